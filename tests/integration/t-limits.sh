#!/bin/sh
# The limits that keep tipgw from spamming or being spammed: a repeat
# tip gets a polite answer and no new tip, alert or clock, new facts on
# the same target are merged and restart the clock; status queries with
# a wrong code or PIN are throttled; one number cannot flood an office;
# quiet hours and the daily SMS budget hold reporter SMS but never an
# office alert. The clock stands on this day (China time), so that its
# SMS all count against one day's budget.
. "$top_srcdir/tests/integration/lib.sh"

write_config "reply_limit = 50
inbound_limit = 3
quiet_hours = none"
demo_county
clock_pin today 10:00
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready

# A tip, then the same tip again two days... (here: at once) later.
inject "寒冻镇固城村小卖部卖过期牛奶" --from +8613900000001
check "tip routed" wait_until 10 sql_is "SELECT count(*) FROM tips" 1
code=$(sql "SELECT code FROM tips")
inject "固城村小卖部在卖过期牛奶，寒冻镇的" --from +8613900000001
check "repeat: no second tip" wait_until 10 sql_is "SELECT count(*), (SELECT count(*) FROM raw_messages WHERE disposition = 'repeat') FROM tips" "1|1"
check "repeat: the message points at the tip" sql_is "SELECT count(*) FROM raw_messages WHERE tip_id = (SELECT id FROM tips) AND reason = 'repeat'" 1
check "repeat: a polite answer with the code" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000001' AND body LIKE '%已收到%$code%无需重复%'" 1
check "repeat: no second alert" sql_is "SELECT count(*) FROM alerts" 1
check "repeat: the one alert goes out" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE intent = 'alert'" 1
check "repeat: audited" sql_is "SELECT count(*) FROM events WHERE action = 'tip.repeated'" 1
sleep 1		# times are to the second: the merge must come later

# New facts on the same target: merged, the clock starts again.
inject "寒冻镇固城村那个小卖部还卖假酒" --from +8613900000001
check "merge: still one tip" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE reason = 'merged'" 1
check "merge: one tip, both texts" sql_is "SELECT count(*), instr(text, '过期牛奶') > 0 AND instr(text, '假酒') > 0 FROM tips" "1|1"
check "merge: the earlier facts kept, the new ones added" sql_is "SELECT kind, product, kinds, products FROM tips" "expired|dairy|expired counterfeit|dairy liquor"
check "merge: the clock restarted" sql_is "SELECT clock_from > received_at FROM tips" 1
check "merge: audited" sql_is "SELECT count(*) FROM events WHERE action = 'tip.merge' AND detail = 'state=routed->routed'" 1
check "merge: the office hears of it again" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'alert:$code:%:sms:13800000999:merge:%'" 1
check "merge: as an update, with the new words" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'alert:$code:%:merge:%' AND intent = 'alert' AND body LIKE '%举报更新%还卖假酒%'" 1
check "merge: the update names every fact" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'alert:$code:%:merge:%' AND body LIKE '%过期、假冒乳品、酒类%'" 1
check "merge: the first alert was not an update" sql_is "SELECT count(*) FROM outbox WHERE dedup_key = 'alert:$code:1:sms:13800000999' AND body LIKE '【食品安全举报】%' AND body NOT LIKE '%更新%'" 1
sleep 1		# times are to the second: the repeat must come later
inject "寒冻镇固城村小卖部卖假酒" --from +8613900000001
check "a repeat of the merged fact is a repeat" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE reason = 'repeat'" 2

# Status queries: a right PIN works; five wrong ones, then one notice,
# then silence (even for the right PIN).
pin=$(tip_pin "$code")
inject "查询 $code $pin" --from +8613900000001
check "query: the right PIN answers" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000001' AND body LIKE '举报$code：%'" 1
i=0
while [ $i -lt 7 ]; do
	i=$((i + 1))
	inject "查询 $code $(printf '%04d' $(( (1$pin - 10000 + i) % 10000 )))" --from +8613900000077
	wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000077'" $i
done
inject "查询 $code $pin" --from +8613900000077
check "query: eight taken" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000077'" 8
check "query: five 'not found' answers" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000077' AND body LIKE '%未找到%'" 5
check "query: then one 'too many'" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000077' AND body LIKE '%查询次数过多%'" 1
check "query: then silence, even for the right PIN" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000077'" 6
check "query: the state never leaked" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000077' AND body LIKE '%处理%'" 0

# One number, many tips: after inbound_limit an hour, kept, not acted on.
for place in 寒冻镇 汝南埠镇 铜钟镇 陡沟镇 熊寨镇; do
	inject "${place}小卖部卖三无辣条" --from +8613900000050
done
check "flood: five messages kept" wait_until 15 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000050'" 5
check "flood: three tips" sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000050' AND disposition = 'tip'" 3
check "flood: two held as flood" sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000050' AND disposition = 'flood'" 2
check "flood: no reply to them" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000050'" 3
check "flood: audited once" sql_is "SELECT count(*) FROM events WHERE action = 'inbound.limited'" 1
inject "退订" --from +8613900000050
check "flood: an opt-out still works" wait_until 10 sql_is "SELECT opted_out_at IS NOT NULL FROM reporters WHERE phone = '+8613900000050'" 1

# New facts merged into one tip count toward the limit too, and tell the
# office at most once an hour.
for product in 牛奶 猪肉 白酒 饮料 辣条 酱油 食用油 奶粉; do
	inject "寒冻镇固城村东头小卖部卖过期${product}" --from +8613900000060
done
check "merge flood: eight messages kept" wait_until 15 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000060'" 8
check "merge flood: one tip, two merges, the rest held as flood" sql_is "SELECT group_concat(disposition || ':' || coalesce(reason, '-'), ',') FROM (SELECT disposition, reason FROM raw_messages WHERE sender = '+8613900000060' ORDER BY id)" "tip:-,tip:merged,tip:merged,flood:-,flood:-,flood:-,flood:-,flood:-"
mcode=$(sql "SELECT t.code FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613900000060'")
check "merge flood: the office told of the tip and one update" wait_until 10 sql_is "SELECT count(*) FROM alerts a JOIN tips t ON t.id = a.tip_id WHERE t.code = '$mcode'" 2

# A tip's text does not grow without bound.
LONGA=$("$PYTHON3" -c 'print("陡沟镇陡沟村集上的小卖部卖过期牛奶，" * 45, end="")')
LONGB=$("$PYTHON3" -c 'print("陡沟镇陡沟村集上的小卖部还卖假酒，" * 45, end="")')
inject "$LONGA" --from +8613900000061
inject "$LONGB" --from +8613900000061
check "long merge: merged" wait_until 15 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000061' AND reason = 'merged'" 1
check "long merge: the text stays bounded, and says more came" sql_is "SELECT length(CAST(t.text AS BLOB)) <= 4000 + 40, t.text LIKE '%〔后续短信见原始记录〕' FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613900000061'" "1|1"
kill -TERM "$PID"
wait_exit 10

# Quiet hours at 23:00 China time: an old reporter SMS waits, an office
# alert goes, an answer to a reporter texting now goes.
sed -i 's/^quiet_hours = .*/quiet_hours = 22:00-07:00/' "$T/tipgw.conf"
shift_to() { clock_at "$CLOCK_DAY" "$1"; }
queue() {	# queue KEY AGE_MINUTES: an SMS row created that long ago
	"$PYTHON3" - "$T/tipgw.db" "$1" "$2" "$TIPGW_TEST_TIME_SHIFT" <<'PY'
import datetime, sqlite3, sys
now = datetime.datetime.utcnow() + datetime.timedelta(seconds=int(sys.argv[4]))
at = (now - datetime.timedelta(minutes=int(sys.argv[3]))).strftime("%Y-%m-%dT%H:%M:%SZ")
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO outbox (dedup_key, intent, channel, destination, "
           "body, next_attempt_at, created_at) VALUES (?, ?, 'sms', "
           "'+8613900000100', 'test', ?, ?)",
           (sys.argv[2], sys.argv[2].split(":")[0], at, at))
db.commit()
PY
}
settle() {	# nothing left to send from the earlier steps
	"$PYTHON3" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE outbox SET state = '"'dead'"' WHERE state <> '"'sent'"'")
db.commit()' "$T/tipgw.db"
}
settle
TIPGW_TEST_TIME_SHIFT=$(shift_to 23:00)
export TIPGW_TEST_TIME_SHIFT
queue "ack:OLD" 30
queue "alert:OLD:1:sms:13800000999" 30
queue "reply:FRESH" 1
start_daemon
check "quiet: ready" wait_until 10 health_is modems.0.state ready
check "quiet: the office alert goes" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'alert:OLD:1:sms:13800000999'" sent
check "quiet: a fresh answer goes" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'reply:FRESH'" sent
check "quiet: the old reporter SMS waits" sql_is "SELECT state, attempts, last_error LIKE 'quiet hours%' FROM outbox WHERE dedup_key = 'ack:OLD'" "queued|0|1"
check "quiet: until 07:00 China time" sql_is "SELECT substr(next_attempt_at, 12) FROM outbox WHERE dedup_key = 'ack:OLD'" "23:00:00Z"
check "quiet: logged" log_has "held: quiet hours"
kill -TERM "$PID"
wait_exit 10

# The daily SMS budget: at 100 %, reporter SMS wait for tomorrow; alerts go.
sed -i 's/^quiet_hours = .*/quiet_hours = none/' "$T/tipgw.conf"
settle
used=$(sql "SELECT coalesce(sum(parts), 0) FROM sms_sent")
sed -i "s/^\[tipgw\]$/[tipgw]\nsms_daily_budget = $((used + 1))/" "$T/tipgw.conf"
TIPGW_TEST_TIME_SHIFT=$(shift_to 12:00)
queue "reply:B1" 0
start_daemon
check "budget: ready" wait_until 10 health_is modems.0.state ready
check "budget: the last part allowed goes" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'reply:B1'" sent
queue "reply:B2" 0
queue "alert:B3:1:sms:13800000999" 0
check "budget: the office alert still goes" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'alert:B3:1:sms:13800000999'" sent
check "budget: the reporter SMS waits for tomorrow" wait_until 10 sql_is "SELECT state, last_error LIKE 'daily SMS budget%', substr(next_attempt_at, 12) FROM outbox WHERE dedup_key = 'reply:B2'" "queued|1|16:00:00Z"
queue "ack:B4" 0
check "budget: an acknowledgement still goes (office traffic used the budget)" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'ack:B4'" sent
check "budget: an alarm event" sql_is "SELECT count(*) FROM events WHERE action = 'sms.budget_reached'" 1
check "budget: logged" log_has "all of today's SMS budget used"
kill -TERM "$PID"
wait_exit 10
alarms=$(sql "SELECT count(*) FROM events WHERE action LIKE 'sms.budget_%'")
start_daemon
check "budget: ready again" wait_until 10 health_is modems.0.state ready
queue "reply:B5" 0
check "budget: still spent after a restart" wait_until 10 sql_is "SELECT state, last_error LIKE 'daily SMS budget%' FROM outbox WHERE dedup_key = 'reply:B5'" "queued|1"
check "budget: the alarm not raised again that day" sql_is "SELECT count(*), sum(action = 'sms.budget_reached') FROM events WHERE action LIKE 'sms.budget_%'" "$alarms|1"
spent=$(sql "SELECT sum(parts) FROM sms_sent")
sed -i "s/^sms_daily_budget = .*/sms_daily_budget = $spent/" "$T/tipgw.conf"
kill -HUP "$PID"
check "budget: a new budget, reloaded" wait_until 10 log_has "reloaded refused=0"
queue "reply:B6" 0
check "budget: the new budget spent too" wait_until 10 sql_is "SELECT state, last_error LIKE 'daily SMS budget%' FROM outbox WHERE dedup_key = 'reply:B6'" "queued|1"
check "budget: its alarm raised" sql_is "SELECT count(*) FROM events WHERE action = 'sms.budget_reached' AND detail LIKE '% budget=$spent'" 1

# A number that opted out after a message was queued gets nothing.
"$PYTHON3" - "$T/tipgw.db" "$TIPGW_TEST_TIME_SHIFT" <<'PY'
import datetime, sqlite3, sys
t = datetime.datetime.utcnow() + datetime.timedelta(seconds=int(sys.argv[2]))
now = t.strftime("%Y-%m-%dT%H:%M:%SZ")
before = (t - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO reporters (phone, first_seen, last_seen, opted_out_at) "
           "VALUES ('+8613900000200', ?1, ?1, ?1)", (now,))
db.execute("INSERT INTO outbox (dedup_key, channel, destination, body, "
           "next_attempt_at, created_at) VALUES ('ack:OPTOUT', 'sms', "
           "'+8613900000200', 'test', ?1, ?1)", (before,))
db.execute("INSERT INTO outbox (dedup_key, channel, destination, body, "
           "next_attempt_at, created_at) VALUES ('reply:OPTOUT', 'sms', "
           "'+8613900000200', 'confirmed', ?1, ?1)", (now,))
db.commit()
PY
check "opted out: what was queued before is not sent" wait_until 10 sql_is "SELECT state, last_error, attempts FROM outbox WHERE dedup_key = 'ack:OPTOUT'" "dead|the number opted out; not sent|0"
check "opted out: the confirmation is not cancelled" sql_is "SELECT state <> 'dead' FROM outbox WHERE dedup_key = 'reply:OPTOUT'" 1
kill -TERM "$PID"
check "stops cleanly" wait_exit 10
check "exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]
finish
