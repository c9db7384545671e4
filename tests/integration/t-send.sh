#!/bin/sh
# Sending through libGammu's dummy driver: a queued SMS is encoded (GSM
# 7-bit or UCS-2, several parts when long), sent once, and recorded with
# its message reference. (The dummy driver answers every part with
# reference 255; the fake AT modem test checks real references.)
. "$top_srcdir/tests/integration/lib.sh"

write_config "quiet_hours = none" "[gammu]
device = $T/phone
model = dummy
connection = none
logfile = $T/gammu.log
logformat = textall"
clock_pin today 12:00	# the parts sent today: no midnight in between
start_daemon
wait_until 10 health_is modems.0.state ready

ctl send +8613912345678 "Test from tipgw: modem OK" >"$T/out" 2>&1
check "send: queued" grep -q '^queued outbox=1;' "$T/out"
check "send: GSM text sent" wait_until 15 sql_is "SELECT state, attempts FROM outbox WHERE id = 1" "sent|1"
check "send: one part, reference recorded" sql_is "SELECT parts, reference, delivery FROM sms_sent WHERE outbox_id = 1" "1|255|pending"
check "send: 7-bit coding chosen" grep -q '7 bit SMS' "$T/gammu.log"
LONG=$("$PYTHON3" -c 'print("您的举报已收到，编号DY4K7Q，查询请回复：查询 DY4K7Q 1234。" * 4, end="")')
ctl send 13912345678 "$LONG" >"$T/out" 2>&1
check "send: long Chinese text sent" wait_until 15 sql_is "SELECT state FROM outbox WHERE id = 2" "sent"
check "send: in 3 UCS-2 parts" sql_is "SELECT parts FROM sms_sent WHERE outbox_id = 2" 3
check "send: Unicode coding chosen" grep -q 'Unicode' "$T/gammu.log"
check "send: healthz counts parts sent" health_is modems.0.sent 4
check "send: healthz: SMS parts today, and the budget" sh -c "http_get() { curl -s -o '$T/body' --max-time 5 http://127.0.0.1:$PORT/healthz; }; http_get && python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); sys.exit(not (h[\"sms_today\"] == {\"parts\": 4, \"budget\": 500}))' '$T/body'"
check "send: the recipient is not in the info log" sh -c "! grep -q '13912345678' '$LOG'"
ctl send 12ab "x" >"$T/out" 2>&1
check "send: bad number refused" grep -q 'expected a phone number' "$T/out"
ctl send 13912345678 "" >"$T/out" 2>&1
check "send: empty text refused" grep -q 'from 1 to 1000 characters' "$T/out"

# A row left "sending" by a crash: one the modem confirmed (row 2) is
# sent and not sent again; one it did not (row 3) is sent again.
kill -KILL "$PID"
wait "$PID" 2>/dev/null
PID=
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE outbox SET state = 'sending' WHERE id = 2")
db.execute("INSERT INTO outbox (id, dedup_key, intent, channel, destination, body, state, next_attempt_at, created_at) VALUES (3, 'manual:crash', 'manual', 'sms', '13912345678', '崩溃时正在发送', 'sending', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
db.commit()
PY
start_daemon
check "restart: the confirmed SMS is sent, once" wait_until 10 sql_is "SELECT state, (SELECT count(*) FROM sms_sent WHERE outbox_id = 2) FROM outbox WHERE id = 2" "sent|1"
check "restart: the unconfirmed one reported" wait_until 10 log_has "1 message(s) were being sent when tipgwd stopped and no modem or server confirmed them"
check "restart: and sent again, never lost" wait_until 15 sql_is "SELECT state, (SELECT count(*) FROM sms_sent WHERE outbox_id = 3) FROM outbox WHERE id = 3" "sent|1"
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE outbox SET state = 'failed', last_error = 'interrupted while sending' WHERE id = 2")
db.commit()
PY

# tipgwctl outbox lists it, the number masked; outbox retry sends it again.
ctl outbox --state failed >"$T/out" 2>"$T/err"
check "outbox: the failed row listed" grep -q '^2 *sms *failed .*interrupted while sending' "$T/out"
check "outbox: only failed rows" [ "$(wc -l < "$T/out")" = 2 ]
check "outbox: the number masked" sh -c "grep -q '139\*\*\*\*5678' '$T/out' && ! grep -q 13912345678 '$T/out'"
ctl outbox --json >"$T/out" 2>&1
check "outbox --json: one object a row" [ "$(grep -c '^{"id":' "$T/out")" = 3 ]
check "outbox --json: masked too" sh -c "! grep -q 13912345678 '$T/out'"
ctl outbox --state lost >"$T/out" 2>&1
check "outbox: an unknown state refused" grep -q "'lost' is not one of" "$T/out"
ctl outbox retry 1 >"$T/out" 2>&1
check "retry: a sent row is not re-sent" grep -q 'outbox row 1 is sent, not failed or dead' "$T/out"
ctl outbox retry 99 >"$T/out" 2>&1
check "retry: an unknown row" grep -q 'no outbox row 99' "$T/out"
ctl outbox retry 2 >"$T/out" 2>&1
check "retry: queued again" grep -q '^outbox=2 queued again' "$T/out"
check "retry: sent by the daemon" wait_until 15 sql_is "SELECT state, (SELECT count(*) FROM sms_sent WHERE outbox_id = 2) FROM outbox WHERE id = 2" "sent|2"
check "retry: audited" sql_is "SELECT count(*) FROM events WHERE action = 'outbox.retry' AND detail LIKE 'outbox=2 state=%->queued'" 1
# Stopping in the middle of sending: what went out is recorded as sent,
# what did not is failed and will be retried; nothing is left "sending".
i=0
while [ $i -lt 30 ]; do
	i=$((i + 1))
	ctl send +8613912345678 "batch $i" >/dev/null 2>&1
done
wait_until 20 sql_is "SELECT count(*) >= 2 FROM outbox WHERE body LIKE 'batch %' AND state = 'sent'" 1
kill -TERM "$PID"
check "stops cleanly" wait_exit 5
check "exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]
check "stop while sending: no row left sending" sql_is "SELECT count(*) FROM outbox WHERE state = 'sending'" 0
check "stop while sending: every sent row has its SMS" sql_is "SELECT count(*) FROM outbox o WHERE state = 'sent' AND NOT EXISTS (SELECT 1 FROM sms_sent s WHERE s.outbox_id = o.id)" 0
finish
