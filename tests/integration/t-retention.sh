#!/bin/sh
# Retention: a reporter's number is kept no longer than it is needed
# (reporter_retention_days). A tip closed longer ago than that, whose
# reward (if any) is settled, loses its reporter's number everywhere the
# ledger keeps it (messages, PDUs, what was sent back), keeps its text,
# and says so in its history; a closed tip with a reward still to claim,
# and an open tip, keep theirs; an old command and an old call lose
# theirs; the ledger still checks whole.
. "$top_srcdir/tests/integration/lib.sh"

write_config "quiet_hours = none
reporter_retention_days = 30"
demo_county
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村小卖部卖过期奶粉" --from +8613900000071
inject "寒冻镇小卖部卖三无辣条" --from +8613900000072
inject "寒冻镇东街超市卖发霉月饼" --from +8613900000073
inject "帮助" --from +8613900000074
inject "寒冻镇西街饭店用地沟油炸油条" --from +8613900000077
check "four tips routed" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE state = 'routed'" 4
check "the command in, answered" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000074'" 1
check "everything sent" wait_until 20 sql_is "SELECT count(*) FROM outbox WHERE state != 'sent'" 0
kill -TERM "$PID"
wait_exit 10
A=$(sql "SELECT code FROM tips WHERE text LIKE '%过期奶粉%'")
B=$(sql "SELECT code FROM tips WHERE text LIKE '%三无辣条%'")
C=$(sql "SELECT code FROM tips WHERE text LIKE '%发霉月饼%'")
D=$(sql "SELECT code FROM tips WHERE text LIKE '%地沟油%'")
ctl tip close "$A" --result "已责令下架" >/dev/null
ctl case open "$B" >/dev/null
ctl case outcome 1 --finding '销售三无食品' --penalty 2000 >/dev/null
ctl reward approve 1 >/dev/null
ctl tip close "$B" --result "已立案处罚" >/dev/null
check "B's reward to be claimed" sql_is "SELECT state FROM rewards" notified
# D: closed, but its case is not decided yet: a reward may still come.
ctl case open "$D" >/dev/null
ctl tip close "$D" --result "已移送" >/dev/null
# Forty days on: A and B closed, the command, its reply and a call old.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
old = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days')"
db.execute("UPDATE tips SET closed_at = %s WHERE state = 'closed'" % old)
db.execute("UPDATE rewards SET updated_at = %s" % old)
db.execute("UPDATE raw_messages SET received_at = %s WHERE tip_id IS NULL" % old)
db.execute("UPDATE outbox SET created_at = %s WHERE tip_id IS NULL" % old)
db.execute("INSERT INTO calls (modem, caller, at) VALUES ('gammu', '+8613900000075', %s)" % old)
db.execute("INSERT INTO calls (modem, caller, at) VALUES ('gammu', '+8613900000076', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")
db.commit()
PY
# The reward's SMS waits in the queue (tipgwd is stopped): B is kept for
# that reason as well as for its reward; let it go out first.
TIPGW_TEST_REMIND_INTERVAL=1
export TIPGW_TEST_REMIND_INTERVAL
start_daemon
check "daemon ready again" wait_until 10 health_is modems.0.state ready
check "A: its reporter gone" wait_until 10 sql_is "SELECT reporter_id IS NULL, reporter_erased_at IS NOT NULL FROM tips WHERE code = '$A'" "1|1"
check "A: its text kept" sql_is "SELECT text FROM tips WHERE code = '$A'" "寒冻镇固城村小卖部卖过期奶粉"
check "A: its message's sender and PDU gone" sql_is "SELECT group_concat(DISTINCT sender), sum(raw_hex IS NOT NULL) FROM raw_messages WHERE tip_id = (SELECT id FROM tips WHERE code = '$A')" "erased|0"
check "A: what went to its reporter kept, without the number" sql_is "SELECT destination FROM outbox WHERE dedup_key = 'ack:$A'" erased
check "A: nor in what the modem recorded sending" sql_is "SELECT count(*) FROM sms_sent WHERE recipient = '+8613900000071'" 0
check "A: its office's alert untouched" sql_is "SELECT count(*) FROM outbox WHERE tip_id = (SELECT id FROM tips WHERE code = '$A') AND destination = '13800000999'" 1
check "A: in its history, by tipgwd" sql_is "SELECT actor, detail LIKE 'reporter''s number removed: closed before %' FROM events WHERE action = 'tip.erase'" "tipgwd|1"
check "A's number nowhere in the ledger" sh -c "! '$PYTHON3' -c 'import sqlite3,sys; [print(l) for l in sqlite3.connect(sys.argv[1]).iterdump()]' '$T/tipgw.db' | grep -q 13900000071"
check "B (a reward to claim): kept" sql_is "SELECT reporter_id IS NOT NULL, reporter_erased_at IS NULL FROM tips WHERE code = '$B'" "1|1"
check "C (open): kept" sql_is "SELECT reporter_id IS NOT NULL FROM tips WHERE code = '$C'" 1
check "D (closed, its case not decided): kept" sql_is "SELECT reporter_id IS NOT NULL, reporter_erased_at IS NULL FROM tips WHERE code = '$D'" "1|1"
check "the old command: its sender gone" sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000074'" 0
check "its reply: the number gone" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000074'" 0
check "its reply: nor in what the modem recorded sending" sql_is "SELECT count(*) FROM sms_sent WHERE recipient = '+8613900000074'" 0
check "the old call: gone; today's call kept" sql_is "SELECT group_concat(caller, ',') FROM (SELECT caller FROM calls ORDER BY id)" "erased,+8613900000076"
check "the reporter no longer needed: deleted" sql_is "SELECT count(*) FROM reporters WHERE phone IN ('+8613900000071', '+8613900000074')" 0
check "logged, without a number" sh -c "grep 'retention: reporters. numbers removed from 1 closed tip' '$LOG' | grep -vq 1390000"
kill -TERM "$PID"
wait_exit 10
ctl check >"$T/out"
check "the ledger checks whole" grep -q "^ok: 4 tips" "$T/out"
finish
