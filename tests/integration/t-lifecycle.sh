#!/bin/sh
# A tip's life, owned: every tip reaches a person. A tip for a township
# with no office, a tip the office sends back and a tip whose place stays
# unknown go to the coordinator (by SMS, e-mail and webhook), appear in
# tipgwctl deadlines on the coordinator's clock, and can be routed
# again; an office that nobody can reach hands its tip to the
# coordinator; the office's alert carries the shop and the villager's
# words, and the webhook's text is the tip, not the SMS.
. "$top_srcdir/tests/integration/lib.sh"

sink_start
SINK_PORT=$SINK_HTTP_PORT
# sink_has STRING: a webhook the sink recorded contains it.
sink_has() { grep -q -- "$1" "$SINK"/http/* 2>/dev/null; }

write_config "coordinator_phone = +8613700000000
coordinator_webhook = http://127.0.0.1:$SINK_PORT/coordinator
followup_window = 1h
quiet_hours = none"
demo_county --webhook "http://127.0.0.1:$SINK_PORT/office"
ctl office add "袁寨所" --township 411724108 >/dev/null
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
coord() {	# coord PATTERN: the coordinator's SMS like it
	sql "SELECT count(*) FROM outbox WHERE destination = '+8613700000000' AND intent = 'notice' AND body LIKE '$1'"
}

# The office's alert: the shop and the villager's own words.
inject "寒冻镇固城村东头小卖部卖过期奶粉 我电话13912345678" --from +8613900000001
check "routed" wait_until 10 sql_is "SELECT state FROM tips WHERE township_code = '411724101'" routed
A=$(sql "SELECT code FROM tips WHERE township_code = '411724101'")
check "the alert names the shop" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '13800000999' AND intent = 'alert' AND body LIKE '%固城村小卖部%'" 1
check "the alert has the villager's words" sql_is "SELECT count(*) FROM outbox WHERE destination = '13800000999' AND body LIKE '%原话：“寒冻镇固城村东头小卖部卖过期奶粉%'" 1
check "a number in the words is masked" sql_is "SELECT count(*) FROM outbox WHERE body LIKE '%13912345678%' AND destination <> '+8613900000001'" 0
check "the webhook is delivered" wait_until 15 sink_has "$A"
check "the webhook's text is the tip, not the SMS" "$PYTHON3" - "$SINK/http" "$A" <<'PY'
import glob, json, sys
for name in sorted(glob.glob(sys.argv[1] + "/*.json")):
    r = json.load(open(name, encoding="utf-8"))
    b = json.loads(r["body"])
    if b.get("code") == sys.argv[2] and r["path"] == "/office":
        assert b["text"].startswith("寒冻镇固城村东头小卖部卖过期奶粉"), b
        assert b["shop"] == "小卖部" and "【食品安全举报】" in b["alert"], b
        sys.exit(0)
sys.exit(1)
PY

# A township with no office: the coordinator, not the villager's hope.
inject "兰青乡胡冲村小卖部卖假酒" --from +8613900000002
check "no office: unassigned" wait_until 10 sql_is "SELECT state, office_id IS NULL FROM tips WHERE township_code = '411724214'" "unassigned|1"
B=$(sql "SELECT code FROM tips WHERE township_code = '411724214'")
check "no office: the reporter is not told it went to the township" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000002' AND intent = 'ack' AND body NOT LIKE '%已转%'" 1
check "no office: the coordinator is told why" wait_until 10 sql_is "$(printf "SELECT count(*) FROM outbox WHERE destination = '+8613700000000' AND body LIKE '%%%s%%未设监管所%%'" "$B")" 1
check "no office: by webhook too" wait_until 15 sink_has "$B"
check "no office: once" sql_is "SELECT count(*) FROM alerts WHERE tip_id = (SELECT id FROM tips WHERE code = '$B')" 1
ctl deadlines >"$T/out" 2>&1
check "no office: in deadlines, on the coordinator's clock" grep -q "^$B *unassigned .* coordinator .*(coordinator" "$T/out"

# The office sends a tip back: the coordinator, with the reason.
inject "退回 $A 不在本所辖区" --from +8613800000999
check "returned" wait_until 10 sql_is "SELECT state, office_id IS NULL FROM tips WHERE code = '$A'" "returned|1"
check "returned: the reason is in the history" sql_is "SELECT count(*) FROM events WHERE action = 'tip.office_return' AND detail = 'state=routed->returned reason=不在本所辖区'" 1
check "returned: the coordinator is told, with the reason" wait_until 10 sql_is "$(printf "SELECT count(*) FROM outbox WHERE destination = '+8613700000000' AND body LIKE '%%%s%%乡镇退回：不在本所辖区%%'" "$A")" 1
ctl deadlines >"$T/out" 2>&1
check "returned: in deadlines" grep -q "^$A *returned .* coordinator" "$T/out"

# Two questions unanswered: triage, and the coordinator.
inject "陈庄村口卖散酒的 用酒精兑的" --from +8613900000003
check "ambiguous: a question" wait_until 10 sql_is "SELECT state FROM tips WHERE text LIKE '陈庄村口%'" awaiting_reply
inject "就在村口" --from +8613900000003
check "a second question" wait_until 10 sql_is "SELECT questions FROM tips WHERE text LIKE '陈庄村口%'" 2
inject "不知道" --from +8613900000003
check "triage" wait_until 10 sql_is "SELECT state FROM tips WHERE text LIKE '陈庄村口%'" triage
C=$(sql "SELECT code FROM tips WHERE text LIKE '陈庄村口%'")
check "triage: the coordinator is told" wait_until 10 sql_is "$(printf "SELECT count(*) FROM outbox WHERE destination = '+8613700000000' AND body LIKE '%%%s%%地点无法确定%%'" "$C")" 1

# An office nobody can reach: its tip goes to the coordinator.
inject "袁寨镇街上超市卖变质猪肉" --from +8613900000004
check "routed to an office without channels" wait_until 10 sql_is "SELECT state FROM tips WHERE township_code = '411724108'" routed
D=$(sql "SELECT code FROM tips WHERE township_code = '411724108'")
check "unreachable: the coordinator is told" wait_until 10 sql_is "$(printf "SELECT count(*) FROM outbox WHERE destination = '+8613700000000' AND body LIKE '%%%s%%监管所无联系方式%%'" "$D")" 1
check "unreachable: logged" log_has "tip=$D office=\"袁寨所\" has no duty phone, webhook or e-mail"
check "no reporter number reaches the coordinator" sql_is "SELECT count(*) FROM outbox WHERE intent = 'notice' AND body LIKE '%1390000000%'" 0
check "no reporter number at the sink" sh -c "! grep -q 1390000000 '$SINK'/http/*"

# The coordinator's commands: list, route again, note, close, show.
ctl tips --state unassigned >"$T/out" 2>&1
check "tips --state: the unassigned tip" sh -c "grep -q ' $B ' '$T/out' && [ \$(wc -l < '$T/out') = 2 ]"
ctl tips --township 411724101 --json >"$T/out" 2>&1
check "tips --township --json: one JSON line a tip" "$PYTHON3" -c '
import json, sys
tips = [json.loads(l) for l in open(sys.argv[1])]
assert [t["code"] for t in tips] == [sys.argv[2]], tips
t = tips[0]
for k in ("state", "township", "village", "shop", "clock_from", "result", "questions"):
    assert k in t, k
assert "pin" not in t and "reporter" not in json.dumps(t), t' "$T/out" "$A"
ctl tips --since 2001-01-01 --until 2001-12-31 >"$T/out" 2>&1
check "tips --since --until: none then" sh -c "[ \$(wc -l < '$T/out') = 1 ]"
ctl tips --state lost >"$T/out" 2>&1
check "tips --state: an unknown state is refused" grep -q "not a state" "$T/out"
ctl tip route "$B" --township 411724214 >"$T/out" 2>&1
check "route: refused to a township with no office" grep -q "township 411724214 has no office" "$T/out"
ctl office add "兰青所" --township 411724214 --phone 13800000777 >/dev/null
ctl tip route "$B" --township 411724214 --reason "新设兰青所" >"$T/out" 2>&1
check "route: done" grep -q "^tip $B routed to 411724214" "$T/out"
check "route: routed to the new office" sql_is "SELECT t.state, o.name FROM tips t JOIN offices o ON o.id = t.office_id WHERE t.code = '$B'" "routed|兰青所"
check "route: the office is told" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '13800000777' AND intent = 'alert' AND body LIKE '%$B%'" 1
check "route: audited with who and why" sql_is "SELECT count(*) FROM events e JOIN tips t ON t.id = e.tip_id WHERE t.code = '$B' AND e.action = 'tip.reroute' AND e.actor LIKE 'tipgwctl:%' AND e.detail = 'state=unassigned->routed reason=新设兰青所'" 1
ctl tip route "$A" --township 411724101 --reason "属寒冻镇，请核查" >"$T/out" 2>&1
check "route: a returned tip back to an office" sql_is "SELECT state FROM tips WHERE code = '$A'" routed
check "route: told as a new alert" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '13800000999' AND dedup_key LIKE 'alert:$A:%:reroute:%'" 1
ctl tip note "$C" "已电话联系举报人，地点在陈庄村" >"$T/out" 2>&1
check "note: added" sql_is "SELECT count(*) FROM events WHERE action = 'tip.note' AND detail = 'state=triage->triage note=已电话联系举报人，地点在陈庄村'" 1
ctl tip close "$C" >"$T/out" 2>&1
check "close: needs a result" grep -q "close needs --result" "$T/out"
ctl tip close "$C" --result "查无此事" >"$T/out" 2>&1
check "close: closed with its result" sql_is "SELECT state, result, closed_at IS NOT NULL FROM tips WHERE code = '$C'" "closed|查无此事|1"
ctl tip route "$C" --township 411724101 >"$T/out" 2>&1
check "route: a closed tip is not routed" grep -q "tip $C is closed: it cannot be routed" "$T/out"
ctl tip note NOSUCH "x" >"$T/out" 2>&1
check "note: an unknown code is an error" grep -q "no tip NOSUCH" "$T/out"
ctl tip show "$A" --json >"$T/out" 2>&1
check "show --json: the tip, its messages and its history" "$PYTHON3" -c '
import json, sys
t = json.load(open(sys.argv[1]))
for k in ("code", "state", "township_code", "kind", "product", "office", "text", "history", "messages"):
    assert k in t, k
assert t["code"] == sys.argv[2] and t["state"] == "routed" and t["office"] == "寒冻所", t
acts = [h["action"] for h in t["history"]]
assert acts[:2] == ["tip.route", "tip.received"] and "tip.office_return" in acts and acts[-1] == "tip.reroute", acts
for h in t["history"]:
    assert set(h) >= {"at", "action", "actor", "detail"}, h
ret = [h for h in t["history"] if h["action"] == "tip.office_return"][0]
assert ret["detail"].endswith("reason=不在本所辖区") and ret["actor"].startswith("office:"), ret
assert len(t["messages"]) == 1 and "13900000001" not in json.dumps(t), t' "$T/out" "$A"
ctl tip show "$A" >"$T/out" 2>&1
check "show: text, messages and history" sh -c "grep -q '^state  *routed (office)' '$T/out' && grep -q '^history' '$T/out' && grep -q 'tip.office_return .*reason=不在本所辖区' '$T/out'"
check "show: a number in the words is masked" sh -c "grep -q '139\\*\\*\\*\\*\\*\\*78' '$T/out' && ! grep -q 13912345678 '$T/out'"
ctl tip show "$A" --json >"$T/out" 2>&1
check "show --json: a number in the words is masked" sh -c "grep -q '139\\*\\*\\*\\*\\*\\*78' '$T/out' && ! grep -q 13912345678 '$T/out'"
ctl tips >"$T/out" 2>&1
ctl tips --json >>"$T/out" 2>&1
check "tips: a number in the words is masked" sh -c "grep -q '139\\*\\*\\*\\*\\*\\*78' '$T/out' && ! grep -q 13912345678 '$T/out'"

# A question nobody answers hands the tip to the coordinator (by day).
inject "有人卖三无辣条" --from +8613900000005
check "a question is asked" wait_until 10 sql_is "SELECT state FROM tips WHERE text = '有人卖三无辣条'" awaiting_reply
E=$(sql "SELECT code FROM tips WHERE text = '有人卖三无辣条'")
kill -TERM "$PID"
check "exit status 0" wait_exit 10
check "clean exit" [ "${EXIT_STATUS:-1}" = 0 ]
TIPGW_TEST_TIME_SHIFT=$("$PYTHON3" -c 'import datetime, time
cst = datetime.timezone(datetime.timedelta(hours=8))
d = datetime.datetime.now(cst) + datetime.timedelta(days=1)
print(int(d.replace(hour=10, minute=0, second=0, microsecond=0).timestamp() - time.time()))')
export TIPGW_TEST_TIME_SHIFT
start_daemon
check "a day later: ready" wait_until 10 health_is modems.0.state ready
check "unanswered: triage" wait_until 10 sql_is "SELECT state FROM tips WHERE code = '$E'" triage
check "unanswered: the reporter gets the code and a PIN" wait_until 10 sql_is "SELECT count(*) FROM outbox o JOIN tips t ON t.id = o.tip_id WHERE t.code = '$E' AND o.destination = '+8613900000005' AND o.intent = 'ack' AND instr(o.body, t.code) AND o.body GLOB '*查询码[0-9][0-9][0-9][0-9]*' AND t.pin_hash IS NOT NULL" 1
check "unanswered: the coordinator is told" wait_until 10 sql_is "$(printf "SELECT count(*) FROM outbox WHERE destination = '+8613700000000' AND body LIKE '%%%s%%地点无法确定%%'" "$E")" 1
check "unanswered: audited" sql_is "SELECT count(*) FROM events WHERE action = 'tip.give_up' AND actor = 'tipgwd' AND detail = 'state=awaiting_reply->triage no answer to the question'" 1
kill -TERM "$PID"
wait_exit 10
unset TIPGW_TEST_TIME_SHIFT

# Without any coordinator channel: a warning at start, and the tips wait
# in deadlines.
sed -i '/^coordinator_/d' "$T/tipgw.conf"
start_daemon
check "restarted" wait_until 10 health_is modems.0.state ready
check "no coordinator: warned at start" log_has "no coordinator_phone, coordinator_email or coordinator_webhook"

# /metrics: the ledger's and the API's numbers, in the Prometheus text
# format, and never a tip's words or a number.
http_get /healthz >/dev/null
http_get /nothing >/dev/null
check "metrics: 200" http_status_is /metrics 200
curl -s -o "$T/metrics" -D "$T/metrics.h" --max-time 5 "http://127.0.0.1:$PORT/metrics"
check "metrics: the text format's content type" grep -qi '^Content-Type: text/plain; version=0.0.4' "$T/metrics.h"
check "metrics: every sample well formed, after its TYPE" "$PYTHON3" - "$T/metrics" <<'PY'
import re, sys
typed = set()
sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$')
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("# TYPE "):
        typed.add(line.split()[2])
        continue
    if line.startswith("#") or not line:
        continue
    m = sample.match(line)
    assert m, line
    name = re.sub(r"_(bucket|sum|count)$", "", m.group(1))
    assert m.group(1) in typed or name in typed, line
PY
check "metrics: tips by state and township" grep -q '^tipgw_tips{state="routed",township="411724101"} [1-9]' "$T/metrics"
check "metrics: the outbox by state and channel" grep -q '^tipgw_outbox{state="sent",channel="sms"} [1-9]' "$T/metrics"
check "metrics: messages received" grep -q '^tipgw_messages_received{disposition="tip"} [1-9]' "$T/metrics"
check "metrics: the modem" grep -q '^tipgw_modem_ready{modem="gammu",state="ready"} 1$' "$T/metrics"
check "metrics: requests by route, with their time" sh -c "grep -q '^tipgw_http_requests_total{route=\"other\",code=\"4xx\"} [1-9]' '$T/metrics' && grep -q '^tipgw_http_request_seconds_count{route=\"/healthz\"} [1-9]' '$T/metrics'"
check "metrics: no number, no words" sh -c "! grep -Eq '1390000|13800000999|寒冻' '$T/metrics'"
# Open311 GeoReport v2, read-only: kinds as services, tips as requests,
# never a contact field or a number.
check "open311: services" sh -c "curl -s --max-time 5 http://127.0.0.1:$PORT/open311/v2/services.json | '$PYTHON3' -c 'import json,sys; s=json.load(sys.stdin); assert len(s) == 7 and {\"service_code\": \"expired\", \"service_name\": \"过期\"}.items() <= s[2].items(), s'"
curl -s --max-time 5 -o "$T/requests.json" "http://127.0.0.1:$PORT/open311/v2/requests.json"
check "open311: requests, open and closed, no contact field" "$PYTHON3" - "$T/requests.json" "$A" "$C" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
by = {x["service_request_id"]: x for x in r}
allowed = {"service_request_id", "status", "status_notes", "service_name",
           "service_code", "description", "agency_responsible",
           "requested_datetime", "updated_datetime", "address"}
for x in r:
    assert set(x) <= allowed, x
a, c = by[sys.argv[2]], by[sys.argv[3]]
assert a["status"] == "open" and a["agency_responsible"] == "寒冻所", a
assert a["address"].startswith("寒冻镇") and "139******78" in a["description"], a
assert c["status"] == "closed" and c["status_notes"] == "查无此事", c
raw = open(sys.argv[1], encoding="utf-8").read()
assert "13912345678" not in raw and "1390000000" not in raw
PY
check "open311: status=closed" sh -c "curl -s --max-time 5 'http://127.0.0.1:$PORT/open311/v2/requests.json?status=closed' | '$PYTHON3' -c 'import json,sys; r=json.load(sys.stdin); assert r and all(x[\"status\"] == \"closed\" for x in r), r'"
check "open311: a window with nothing" sh -c "[ \"\$(curl -s --max-time 5 'http://127.0.0.1:$PORT/open311/v2/requests.json?start_date=2000-01-01&end_date=2000-01-31')\" = '[]' ]"
for bad in "status=pending:status" "service_code=meat:service_code" "start_date=yesterday:start_date" "phone=1:unknown parameter: phone"; do
	q=${bad%%:*}
	why=${bad#*:}
	check "open311: $q is a 400 naming it" sh -c "[ \"\$(curl -s -o '$T/o311' -w '%{http_code}' --max-time 5 'http://127.0.0.1:$PORT/open311/v2/requests.json?$q')\" = 400 ] && grep -q '\"error\":\"$why' '$T/o311'"
done
check "metrics: POST is 405" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:$PORT/metrics)\" = 405 ]"
kill -TERM "$PID"
wait_exit 10
finish
