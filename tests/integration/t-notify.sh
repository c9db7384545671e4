#!/bin/sh
# Office alerts by webhook (generic JSON, WeCom) and e-mail, delivered to
# a local sink (contrib/tipgw-sink): the right fields and never the reporter's
# number; a sink that answers 500 and then refuses connections is retried
# with backoff and gets the alert exactly once when it comes back; a robot
# refusal (errcode) is a failure; max_attempts makes a dead letter, an
# event, which "tipgwctl outbox retry" sends again; kill -9 while a
# webhook is in flight sends neither the ack nor the alert twice.
. "$top_srcdir/tests/integration/lib.sh"

sink_start
HTTP_PORT=$SINK_HTTP_PORT
SMTP_PORT=$SINK_SMTP_PORT
sink_mode() { printf '%s\n' "$1" >"$SINK/mode.tmp"; mv "$SINK/mode.tmp" "$SINK/mode"; sleep 0.4; }
# Files the sink recorded that contain a string.
sink_has() { [ "$(grep -l -- "$2" "$SINK/$1"/* 2>/dev/null | wc -l)" = "$3" ]; }
http_tries() { grep -c -- "$1" "$SINK/http.log" 2>/dev/null || echo 0; }

write_config "smtp_url = smtp://127.0.0.1:$SMTP_PORT
smtp_from = tipgw@county.example.org
smtp_starttls = never
outbox_retry_min = 1s
outbox_retry_max = 2s
outbox_max_attempts = 30
notify_timeout = 60s
quiet_hours = none"
demo_county --webhook "http://127.0.0.1:$HTTP_PORT/hook/handong" \
    --email handong@county.example.org >/dev/null
ctl office add "兰青所" --township 411724214 \
    --webhook "http://127.0.0.1:$HTTP_PORT/robot/send?key=abc" \
    --webhook-format wecom >/dev/null
# An office whose webhook never answers: nothing listens on that port.
ctl office add "铜钟所" --township 411724103 \
    --webhook "http://127.0.0.1:$(free_port)/down" >/dev/null
check "office list shows the format" sh -c "'$TIPGWCTL' -f '$T/tipgw.conf' office list | grep -q 'format=wecom'"
ctl office set "寒冻所" --webhook-format slack >"$T/out" 2>&1
check "an unknown format is refused" grep -q 'expected generic, wecom or dingtalk' "$T/out"
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready

inject "铜钟镇小卖部卖过期牛奶" --from +8613900000009
# A routed tip: the ack by SMS, the alert by SMS, webhook and e-mail.
inject "寒冻镇固城村东头小卖部卖康帅傅方便面 包装跟康师傅一模一样" --from +8613900000001
check "tip routed" wait_until 10 sql_is "SELECT state FROM tips WHERE text LIKE '寒冻镇固城村%'" routed
code=$(sql "SELECT code FROM tips WHERE text LIKE '寒冻镇固城村%'")
check "ack sent by SMS" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'ack:$code'" sent
check "webhook delivered" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'alert:$code:1:webhook'" sent
check "webhook: the sink has it once" sink_has http "$code" 1
f=$(grep -l -- "$code" "$SINK"/http/* | head -n 1)
check "webhook: generic JSON with the fields" "$PYTHON3" - "$f" "$code" <<'PY'
import json, sys
req = json.load(open(sys.argv[1]))
b = json.loads(req["body"])
assert req["path"] == "/hook/handong", req["path"]
assert req["headers"]["content-type"].startswith("application/json")
assert req["headers"]["idempotency-key"] == "alert:%s:1:webhook" % sys.argv[2]
assert b["event"] == "tip.routed" and b["code"] == sys.argv[2], b
assert b["township"] == "寒冻镇" and b["township_code"] == "411724101", b
assert b["village"] == "固城村", b  # not 固城村民委员会
assert b["kind_code"] == "counterfeit" and b["product_code"] == "snack", b
assert b["kind"] == "假冒" and b["product"] == "零食", b
assert b["brand"] == "康帅傅" and b["office"] == "寒冻所", b
assert b["received_at"].endswith("+08:00"), b
PY
check "webhook: no reporter number" sh -c "! grep -q 13900000001 '$f'"
check "e-mail delivered" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'alert:$code:1:email'" sent
check "e-mail: the sink has it once" wait_until 5 sink_has smtp "alert.$code.1.email@tipgw" 1
m=$(grep -l -- "alert.$code.1.email@tipgw" "$SINK"/smtp/* | head -n 1)
check "e-mail: envelope and headers" "$PYTHON3" - "$m" "$code" <<'PY'
import email, email.policy, sys
raw = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n")
head, _, rest = raw.partition(b"\n")
assert b"tipgw@county.example.org" in head, head
rcpt, _, data = rest.partition(b"\n")
assert b"handong@county.example.org" in rcpt, rcpt
msg = email.message_from_bytes(data, policy=email.policy.default)
assert msg["To"] == "handong@county.example.org", msg["To"]
assert sys.argv[2] in msg["Subject"] and "寒冻镇" in msg["Subject"], msg["Subject"]
text = msg.get_content()
assert sys.argv[2] in text and "寒冻镇" in text and "康帅傅" in text, text
assert "13900000001" not in text
PY
check "e-mail: no reporter number" sh -c "! grep -q 13900000001 '$m'"

# The WeCom robot's format.
inject "兰青乡胡冲村有人卖假酒 喝了头疼" --from +8613900000002
check "second tip routed" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE township_code = '411724214'" 1
code2=$(sql "SELECT code FROM tips WHERE township_code = '411724214'")
check "wecom: delivered" wait_until 15 sink_has http "$code2" 1
f=$(grep -l -- "$code2" "$SINK"/http/* | head -n 1)
check "wecom: a markdown message" "$PYTHON3" - "$f" "$code2" <<'PY'
import json, sys
req = json.load(open(sys.argv[1]))
b = json.loads(req["body"])
assert req["path"] == "/robot/send?key=abc", req["path"]
assert b["msgtype"] == "markdown", b
assert sys.argv[2] in b["markdown"]["content"] and "兰青乡" in b["markdown"]["content"], b
PY

# The office whose webhook is down does not hold up the others.
check "a dead destination keeps failing" sql_is "SELECT state, attempts >= 2, last_error LIKE '%onnect%' FROM outbox WHERE destination LIKE '%/down'" "failed|1|1"
check "while the others were delivered" sql_is "SELECT count(*) FROM outbox WHERE channel = 'webhook' AND destination NOT LIKE '%/down' AND state <> 'sent'" 0

# No coordinator channel yet: a tip imported without a code that is the
# coordinator's reaches nobody, and the log names it by its id.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cur = db.execute("INSERT INTO tips (code, channel, received_at, text, state, updated_at) VALUES (NULL, 'import', '2026-11-02T01:00:00Z', '导入的线索', 'triage', '2026-11-02T01:00:00Z')")
db.execute("INSERT INTO alerts (tip_id, owner, reason, created_at) VALUES (?, 'coordinator', 'give_up', '2026-11-02T01:00:00Z')", (cur.lastrowid,))
db.commit()
PY
uncoded=$(sql "SELECT id FROM tips WHERE code IS NULL")
check "no code: the tip reaches nobody, logged by its id" wait_until 10 log_has "tip=ID$uncoded reaches nobody: set coordinator_phone"

# The sink fails (500), then refuses connections, then comes back.
sink_mode 500
inject "寒冻镇小卖部卖过期牛奶" --from +8613900000003
check "third tip routed" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE text = '寒冻镇小卖部卖过期牛奶'" 1
code3=$(sql "SELECT code FROM tips WHERE text = '寒冻镇小卖部卖过期牛奶'")
key3="alert:$code3:1:webhook"
check "500: retried" wait_until 20 sh -c "[ \$(grep -c '^500 /hook/handong' '$SINK/http.log') -ge 2 ]"
check "500: failed with the status" sql_is "SELECT state, last_error FROM outbox WHERE dedup_key = '$key3'" "failed|HTTP 500"
check "500: logged with a retry" log_has "channel=webhook attempt=.* error=\"HTTP 500\"; retry in"
sink_mode refuse
a=$(sql "SELECT attempts FROM outbox WHERE dedup_key = '$key3'")
check "refused: retried again" wait_until 20 sh -c "[ \$('$PYTHON3' -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT attempts FROM outbox WHERE dedup_key = ?\", (sys.argv[2],)).fetchone()[0])' '$T/tipgw.db' '$key3') -gt $((a + 1)) ]"
check "refused: the error says so" sql_is "SELECT last_error LIKE '%onnect%' FROM outbox WHERE dedup_key = '$key3'" 1
sink_mode ok
check "back: delivered" wait_until 20 sql_is "SELECT state FROM outbox WHERE dedup_key = '$key3'" sent
check "back: the sink has it exactly once" sink_has http "$code3" 1

# A robot that answers 200 with an errcode has refused the message.
sink_mode errcode
inject "寒冻镇小卖部卖三无辣条" --from +8613900000004
check "errcode: tip routed" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE text = '寒冻镇小卖部卖三无辣条'" 1
code4=$(sql "SELECT code FROM tips WHERE text = '寒冻镇小卖部卖三无辣条'")
check "errcode: failed, with the robot's answer" wait_until 15 sql_is "SELECT state, last_error FROM outbox WHERE dedup_key = 'alert:$code4:1:webhook'" "failed|refused: errcode 310000 keywords not in content"
sink_mode ok
check "errcode: delivered later" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'alert:$code4:1:webhook'" sent

# kill -9 while a webhook is in flight: after the restart, no second ack
# and no second alert row; the webhook goes again with the same key.
# (The sink holds the requests for 30 s, well within notify_timeout.)
sink_mode "slow 30"
inject "寒冻镇小卖部卖变质豆腐" --from +8613900000005
check "in flight: tip routed" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE text = '寒冻镇小卖部卖变质豆腐'" 1
code5=$(sql "SELECT code FROM tips WHERE text = '寒冻镇小卖部卖变质豆腐'")
wait_until 10 sql_is "SELECT state FROM outbox WHERE dedup_key = 'ack:$code5'" sent
check "in flight: webhook sending" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'alert:$code5:1:webhook'" sending
kill -KILL "$PID"
wait "$PID" 2>/dev/null
PID=
sink_mode ok
start_daemon
check "restart: ready" wait_until 10 health_is modems.0.state ready
check "restart: the webhook is sent again" wait_until 20 sql_is "SELECT state FROM outbox WHERE dedup_key = 'alert:$code5:1:webhook'" sent
check "restart: logged" log_has "message(s) were being sent when tipgwd stopped and no modem or server confirmed them"
check "restart: one ack, sent once" sql_is "SELECT count(*), (SELECT count(*) FROM sms_sent s JOIN outbox o ON o.id = s.outbox_id WHERE o.dedup_key = 'ack:$code5') FROM outbox WHERE dedup_key = 'ack:$code5'" "1|1"
check "restart: one alert row per channel" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'alert:$code5:%'" 3
check "restart: the copy sent again says so" sh -c "[ \$(grep -l 'alert:$code5:1:webhook' '$SINK'/http/* | xargs grep -l 'resent' | wc -l) -ge 1 ]"
check "restart: at most once more per crash" sh -c "[ \$(grep -l '$code5' '$SINK'/http/* | wc -l) -le 2 ]"
check "restart: every copy carries the same key" sh -c "[ \$(grep -l 'alert:$code5:1:webhook' '$SINK'/http/* | wc -l) -ge 1 ] && [ \$(grep -l '$code5' '$SINK'/http/* | wc -l) = \$(grep -l 'alert:$code5:1:webhook' '$SINK'/http/* | wc -l) ]"
check "restart: still one tip" sql_is "SELECT count(*) FROM tips WHERE text = '寒冻镇小卖部卖变质豆腐'" 1
kill -TERM "$PID"
check "stops cleanly" wait_exit 10
check "exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]

# A dead letter: few attempts allowed, the sink keeps failing.
sed -i 's/^outbox_max_attempts = .*/outbox_max_attempts = 2/' "$T/tipgw.conf"
sed -i 's/^\[tipgw\]$/[tipgw]\ncoordinator_phone = +8613700000000/' "$T/tipgw.conf"
sink_mode 500
start_daemon
check "dead: ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇小卖部卖假奶粉" --from +8613900000006
check "dead: tip routed" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE text = '寒冻镇小卖部卖假奶粉'" 1
code6=$(sql "SELECT code FROM tips WHERE text = '寒冻镇小卖部卖假奶粉'")
key6="alert:$code6:1:webhook"
check "dead: after two attempts" wait_until 20 sql_is "SELECT state, attempts FROM outbox WHERE dedup_key = '$key6'" "dead|2"
id6=$(sql "SELECT id FROM outbox WHERE dedup_key = '$key6'")
check "dead: an event for the coordinator" sql_is "SELECT count(*) FROM events e JOIN tips t ON t.id = e.tip_id WHERE e.action = 'outbox.dead' AND t.code = '$code6' AND e.detail = 'outbox=$id6 state=sending->dead error=HTTP 500'" 1
check "dead: logged" log_has "state=sending->dead .*a dead letter"
check "dead: the coordinator is told by SMS" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613700000000' AND intent = 'notice' AND dedup_key LIKE 'notice:dead_letter:%' AND body LIKE '%多次发送失败%outbox=%（alert，webhook，举报%'" 1
check "dead: one notice an hour" sql_is "SELECT count(*) FROM alerts WHERE reason = 'dead_letter' AND messages > 0" 1
check "dead: the notice is logged with no tip" log_has "alert=[0-9]* tip=- owner=coordinator reason=dead_letter messages=1"
check "dead: the notice names no number" sql_is "SELECT count(*) FROM outbox WHERE intent = 'notice' AND body LIKE '%1390000000%'" 0
check "dead: counted by /healthz" sh -c "curl -s -o '$T/body' --max-time 5 http://127.0.0.1:$PORT/healthz && [ \$('$PYTHON3' -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"outbox\"][\"dead\"])' '$T/body') -ge 1 ]"
ctl outbox --state dead >"$T/out"
check "dead: listed by tipgwctl" grep -q "^$id6 *webhook *dead" "$T/out"
sleep 3		# a negative: three outbox ticks pass without a try
check "dead: not tried again on its own" sql_is "SELECT attempts FROM outbox WHERE dedup_key = '$key6'" 2
sink_mode ok
ctl outbox retry "$id6" >"$T/out" 2>&1
check "dead: re-queued by hand" grep -q "^outbox=$id6 queued again" "$T/out"
check "dead: then delivered" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = '$key6'" sent
check "dead: the sink has it once" sink_has http "$code6" 1

# SIGTERM with a webhook in flight: not an attempt; sent at the next start.
sink_mode "slow 6"
inject "寒冻镇小卖部卖假酱油" --from +8613900000007
check "stop: webhook in flight" wait_until 15 sql_is "SELECT count(*) FROM outbox o JOIN tips t ON o.tip_id = t.id WHERE t.text = '寒冻镇小卖部卖假酱油' AND o.channel = 'webhook' AND o.state = 'sending'" 1
code7=$(sql "SELECT code FROM tips WHERE text = '寒冻镇小卖部卖假酱油'")
check "stop: the e-mail in flight too" wait_until 5 sql_is "SELECT state FROM outbox WHERE dedup_key = 'alert:$code7:1:email'" sending
check "stop: the mail server holds the message" wait_until 10 grep -q '^slow 6 ' "$SINK/smtp.log"
# libcurl's SMTP waits for the server with a blocking poll: e-mail runs
# on its own thread, so a slow mail server holds up nothing else.
check "a slow mail server does not hold up the daemon" sh -c "curl -s --max-time 1 -o /dev/null http://127.0.0.1:$PORT/healthz"
kill -TERM "$PID"
check "stop: stops at once, in flight" wait_exit 2
check "stop: logged" log_has "state=sending->queued event=stop actor=tipgwd channel=webhook stopped in flight"
check "stop: the e-mail too" log_has "state=sending->queued event=stop actor=tipgwd channel=email stopped in flight"
check "stop: the rows wait for the next start, no attempt counted" sql_is "SELECT group_concat(state || attempts) FROM outbox WHERE dedup_key IN ('alert:$code7:1:webhook', 'alert:$code7:1:email')" "queued0,queued0"
sink_mode ok
start_daemon
check "stop: sent after the restart" wait_until 20 sql_is "SELECT group_concat(state) FROM outbox WHERE dedup_key IN ('alert:$code7:1:webhook', 'alert:$code7:1:email')" "sent,sent"

# A mail server silent after the message: notify_timeout bounds the
# wait (libcurl alone waits 120 s), and the next e-mail is not held.
kill -TERM "$PID"
wait_exit 10
sed -i 's/^notify_timeout = .*/notify_timeout = 3s/' "$T/tipgw.conf"
sink_mode "slow 60"
start_daemon
check "silent server: ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇小卖部卖过期月饼" --from +8613900000008
check "silent server: the e-mail is given up on within notify_timeout" wait_until 12 sql_is "SELECT attempts >= 1 AND last_error IS NOT NULL FROM outbox o JOIN tips t ON t.id = o.tip_id WHERE t.text = '寒冻镇小卖部卖过期月饼' AND o.channel = 'email'" 1
sink_mode ok

check "no reporter number anywhere in the sink" sh -c "! grep -rq '139000000' '$SINK/http' '$SINK/smtp'"
check "no reporter number in the info log" sh -c "! grep -v 'debug' '$LOG' | grep -q '139000000'"
kill -TERM "$PID"
check "stops cleanly (2)" wait_exit 10
check "exit status 0 (2)" [ "${EXIT_STATUS:-1}" = 0 ]
finish
