#!/bin/sh
# tipgwctl backup while tipgwd runs: a whole copy, 0600, never over a
# file; tipgwctl check on a sound ledger, then on one whose own rules are
# broken (a tip without its message, an outbox row without its tip or
# with no intent, a routed tip without a clock): each problem named,
# exit 1.
. "$top_srcdir/tests/integration/lib.sh"

write_config "quiet_hours = none"
CTL="$TIPGWCTL -f $T/tipgw.conf"
demo_county
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村小卖部卖过期奶粉" --from +8613900000051
inject "寒冻镇小卖部卖三无辣条" --from +8613900000052
check "two tips" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE state = 'routed'" 2
$CTL backup "$T/copy.db" > "$T/out" 2> "$T/err"
check "backup while tipgwd runs: exit 0" [ $? = 0 ]
check "backup: says where" grep -q "backup written to $T/copy.db" "$T/out"
check "backup: readable by its owner only" [ "$(stat -c %a "$T/copy.db")" = 600 ]
check "backup: the tips in it" [ "$("$PYTHON3" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM tips").fetchone()[0])' "$T/copy.db")" = 2 ]
check "backup: SQLite finds it whole" [ "$("$PYTHON3" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$T/copy.db")" = ok ]
$CTL backup "$T/copy.db" > "$T/out" 2> "$T/err"
check "backup over a file: refused" [ $? = 1 ]
check "backup over a file: says why" grep -q "exists: a backup never overwrites" "$T/err"
check "no file left behind" [ ! -e "$T/copy.db.tmp" ]
$CTL backup "$T/nodir/x.db" > "$T/out" 2> "$T/err"
check "backup into a missing directory: exit 1, named" sh -c "grep -q 'nodir/x.db.tmp' '$T/err'"
$CTL check > "$T/out" 2> "$T/err"
check "check: a sound ledger" [ $? = 0 ]
check "check: counts" grep -q "^ok: 2 tips, 2 messages, " "$T/out"
kill -TERM "$PID"
wait_exit 10
# Break each of the ledger's rules once.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA foreign_keys = OFF")
db.execute("INSERT INTO tips (code, channel, received_at, text, state, updated_at) VALUES ('NOSRC1', 'sms', '2026-11-02T01:00:00Z', 'x', 'triage', '2026-11-02T01:00:00Z')")
db.execute("UPDATE tips SET clock_from = NULL WHERE text LIKE '%三无辣条%'")
db.execute("INSERT INTO outbox (dedup_key, channel, destination, body, tip_id, intent, next_attempt_at, created_at) VALUES ('orphan', 'sms', '+8613800000000', 'x', 9999, 'alert', '2026-11-02T01:00:00Z', '2026-11-02T01:00:00Z')")
db.execute("INSERT INTO outbox (dedup_key, channel, destination, body, intent, next_attempt_at, created_at) VALUES ('odd', 'sms', '+8613800000000', 'x', 'gossip', '2026-11-02T01:00:00Z', '2026-11-02T01:00:00Z')")
db.commit()
PY
$CTL check > "$T/out" 2> "$T/err"
check "check: broken rules: exit 1" [ $? = 1 ]
check "check: a tip without its message" grep -q "^tip NOSRC1 (id 3) has no source message" "$T/out"
check "check: a tip without a clock" grep -q "is routed without a clock" "$T/out"
check "check: an outbox row without its tip" grep -q "^outbox row [0-9]* (orphan) is for tip id 9999" "$T/out"
check "check: an unknown intent" grep -q "have the unknown intent 'gossip'" "$T/out"
check "check: the foreign key too" grep -q "^foreign key: outbox row" "$T/out"
check "check: the number of problems" grep -q "check: [0-9]* problem(s)" "$T/err"
check "exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]
finish
