#!/bin/sh
# Crash test: inject messages, kill -9 the daemon at random moments while
# it ingests, restart, repeat. At the end every message is in the ledger
# exactly once, and the phone is empty. CRASH_MESSAGES and CRASH_KILLS
# make it longer (make bench runs a soak version).
. "$top_srcdir/tests/integration/lib.sh"

MESSAGES=${CRASH_MESSAGES:-80}
KILLS=${CRASH_KILLS:-6}
SEED=${CRASH_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "# messages=$MESSAGES kills=$KILLS seed=$SEED"
write_config "multipart_timeout = 10m"
mkdir -p "$T/phone/sms/1"

# Deterministic "random" delays from the seed, 0.00 to 0.29 s, in DELAY
# (no subshell: the seed must advance).
next_delay() {
	SEED=$(( (SEED * 1103515245 + 12345) % 2147483648 ))
	DELAY=$(printf '0.%02d' $(( SEED / 65536 % 30 )))
}

# kill_while_ingesting BEFORE: kill -9 the daemon DELAY/50 seconds after
# it commits its first message beyond BEFORE: in the middle of its work.
kill_while_ingesting() {
	"$PYTHON3" - "$T/tipgw.db" "$1" "$PID" "$DELAY" <<'PY'
import os, signal, sqlite3, sys, time
db, before, pid, delay = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]) / 50
deadline = time.time() + 20
while time.time() < deadline:
    try:
        c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=1)
        n = c.execute("SELECT count(*) FROM raw_messages").fetchone()[0]
        c.close()
        if n > before:
            break
    except sqlite3.Error:
        pass
    time.sleep(0.001)
time.sleep(delay)
os.kill(pid, signal.SIGKILL)
PY
}

# Message i: every third one is long enough for two UCS-2 parts (82
# characters).
message() {
	if [ $(($1 % 3)) = 0 ]; then
		printf 'crash %04d 寒冻镇小卖部卖过期牛奶' "$1"
		printf '日期是去年的%.0s' 1 2 3 4 5 6 7 8 9 10
	else
		printf 'crash %04d 岚田村小卖部卖过期牛奶' "$1"
	fi
}

per_round=$(( (MESSAGES + KILLS - 1) / KILLS ))
HITS=0
i=0
round=0
while [ "$round" -lt "$KILLS" ]; do
	round=$((round + 1))
	n=0
	while [ "$n" -lt "$per_round" ] && [ "$i" -lt "$MESSAGES" ]; do
		i=$((i + 1))
		n=$((n + 1))
		inject "$(message "$i")" --from "+86139$(printf '%08d' "$i")"
	done
	next_delay
	before=$(sql "SELECT count(*) FROM raw_messages" 2>/dev/null || echo 0)
	start_daemon
	if [ $((round % 2)) = 0 ]; then
		kill_while_ingesting "${before:-0}"
		when="during intake"
	else
		sleep "$DELAY"
		kill -KILL "$PID"
		when="${DELAY}s after start"
	fi
	wait "$PID" 2>/dev/null
	PID=
	committed=$(sql "SELECT count(*) FROM raw_messages" 2>/dev/null)
	left=$(inbox_count)
	echo "# round $round: killed $when: ${committed:-0} of $i messages committed, $left parts on the phone"
	if [ "${committed:-0}" != "$i" ] || [ "$left" != 0 ]; then
		HITS=$((HITS + 1))
	fi
done

echo "# $HITS of $KILLS kills left work undone (uncommitted or undeleted)"
start_daemon
check "after the crashes: the phone empties" wait_until 60 inbox_empty
check "every message stored once" sql_is "SELECT count(*), count(DISTINCT text) FROM raw_messages" "$MESSAGES|$MESSAGES"
check "every message is one tip" sql_is "SELECT count(*), count(DISTINCT raw_message_id) FROM tips" "$MESSAGES|$MESSAGES"
check "no message lost a part" sql_is "SELECT count(*) FROM raw_messages WHERE parts_present <> parts_total OR flags & 1" 0
check "every part key recorded once" sql_is "SELECT count(*) = count(DISTINCT part_key) FROM raw_parts" 1
check "two-part messages whole" sql_is "SELECT count(*) FROM raw_messages WHERE parts_total = 2 AND length(text) = 82" "$((MESSAGES / 3))"
kill -TERM "$PID"
check "stops cleanly after the crashes" wait_exit 5
finish
