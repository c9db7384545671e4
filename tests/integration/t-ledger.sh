#!/bin/sh
# The ledger under pressure: another process holding its lock does not
# freeze the daemon (/healthz answers, nothing is lost), a ledger that
# cannot be written is an error on /healthz (503), and however many
# messages are stuck, each is warned about at its 1st, 2nd, 4th... try.
. "$top_srcdir/tests/integration/lib.sh"

write_config
demo_county
start_daemon
check "ready" wait_until 10 health_is modems.0.state ready

# Another process holds the write lock for 12 s.
"$PYTHON3" - "$T/tipgw.db" "$T/locked" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(12)
db.execute("ROLLBACK")
PY
LOCKER=$!
wait_until 10 test -f "$T/locked"
for i in 1 2 3 4 5; do
	inject "寒冻镇固城村小卖部卖过期牛奶${i}号" --from "+861390000010$i"
done
# The daemon has met the lock.
wait_until 10 log_has "database is locked"
check "locked: /healthz still answers at once" sh -c "curl -s -o /dev/null --max-time 2 http://127.0.0.1:$PORT/healthz"
check "locked: and again" sh -c "sleep 2; curl -s -o /dev/null --max-time 2 http://127.0.0.1:$PORT/healthz"
wait "$LOCKER"
check "unlocked: every message comes in, once" wait_until 20 sql_is "SELECT count(*), count(DISTINCT dedup_key) FROM raw_messages WHERE sender LIKE '+861390000010%'" "5|5"
check "unlocked: the phone is empty" wait_until 10 inbox_empty
check "unlocked: healthy" wait_until 15 health_is database.state ok
kill -TERM "$PID"
check "stops cleanly" wait_exit 10

# A ledger that cannot grow (a full disk): /healthz says so with 503.
# The messages wait on the phone, to be read in one go: a short one
# first, which fits, then long ones, which do not. The one that fits
# comes in, the batch it was read with failing or not.
pages=$(sql "PRAGMA page_count")
inject "寒冻镇固城村小卖部卖假酒" --from "+8613900000300"
LONG=$("$PYTHON3" -c 'print("寒冻镇固城村集上有人卖病死猪肉，" * 120, end="")')
i=10
while [ $i -lt 22 ]; do
	inject "$LONG$i" --from "+86139000002$i"
	i=$((i + 1))
done
TIPGW_TEST_MAX_PAGES=$((pages + 1)) start_daemon
check "full: ready" wait_until 10 health_is modems.0.state ready
check "full: the long ones tried twice" wait_until 20 grep -q 'not committed (try 2)' "$LOG"
check "full: the message that fits came in by then" sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000300'" 1
check "full: /healthz is 503" wait_until 30 http_status_is /healthz 503
check "full: the ledger state is error" health_is database.state error
check "full: and says why" grep -q 'cannot be written.*full' "$T/body"
# More polls: every message is tried again and again, to its 8th try.
check "full: the 8th try reached" wait_until 30 log_has "not committed (try 8)"
check "full: the messages stay on the phone" [ "$(inbox_count)" -ge 12 ]
check "full: each stuck message warned about at its 1st try once" sh -c "[ \$(grep -o 'message=[0-9a-f]* not committed (try 1)' '$LOG' | sort | uniq -d | wc -l) = 0 ]"
check "full: and at its 2nd, 4th, ... tries only" sh -c "! grep -q 'not committed (try [3567])' '$LOG'"
kill -TERM "$PID"
check "full: stops cleanly" wait_exit 10

# Room again: they come in.
start_daemon
check "room: every message comes in" wait_until 30 sql_is "SELECT count(*) FROM raw_messages WHERE sender LIKE '+86139000002%'" 12
check "room: healthy" wait_until 15 http_status_is /healthz 200
kill -TERM "$PID"
check "room: stops cleanly" wait_exit 10
finish
