#!/bin/sh
# tipgwctl backup while tipgwd runs: a whole copy, 0600, never over a
# file; tipgwctl check on a sound ledger, then on one whose own rules are
# broken (a tip without its message, an outbox row without its tip or
# with no intent, a routed tip without a clock): each problem named,
# exit 1. The audit log is hash-chained: an event changed, one removed
# and one added outside tipgw are each named.
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
check "check: the audit events counted, chained from the first" sh -c "grep -q ' audit events$' '$T/out'"
check "check: the chain's head shown, to note down" grep -Eq "^audit log head: [0-9a-f]{64}$" "$T/out"
check "every event has its hash" sql_is "SELECT count(*) > 2, sum(hash IS NULL) FROM events" "1|0"
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
check "check: the chain intact through that" sh -c "! grep -q 'audit log' '$T/out'"

# Tamper with the audit log as someone with the file could: the triggers
# that keep it append-only dropped, an event's detail changed, another
# removed, one added by hand.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER events_no_update")
db.execute("DROP TRIGGER events_no_delete")
ids = [r[0] for r in db.execute("SELECT id FROM events ORDER BY id")]
db.execute("UPDATE events SET detail = 'nothing happened' WHERE id = ?", (ids[1],))
db.execute("DELETE FROM events WHERE id = ?", (ids[3],))
db.execute("INSERT INTO events (at, actor, action, detail) VALUES ('2026-11-02T01:00:00Z', 'admin', 'tip.close', 'x')")
db.commit()
print(ids[1], ids[4], file=open(sys.argv[1] + ".ids", "w"))
PY
read -r CHANGED AFTER_GAP < "$T/tipgw.db.ids"
$CTL check > "$T/out" 2> "$T/err"
check "tampered audit log: exit 1" [ $? = 1 ]
check "tampered: the changed event named" grep -q "^audit log: event $CHANGED does not follow the one before" "$T/out"
check "tampered: the event after a removed one named" grep -q "^audit log: event $AFTER_GAP does not follow the one before" "$T/out"
check "tampered: the event added by hand named" grep -q "has no hash: added outside tipgw" "$T/out"
check "exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]
finish
