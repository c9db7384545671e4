#!/bin/sh
# Benchmark: how fast the outbox delivers office alerts by webhook and by
# e-mail to a local sink (contrib/tipgw-sink): BENCH_ALERTS rows of each
# are put in the ledger, tipgwd starts, and the clock runs until all are
# sent. Prints a report.
. "$top_srcdir/tests/integration/lib.sh"

N=${BENCH_ALERTS:-500}
sink_start

write_config "smtp_url = smtp://127.0.0.1:$(cat "$SINK/smtp.port")
smtp_from = bench@localhost
smtp_starttls = never
quiet_hours = none"

# run CHANNEL DESTINATION: N rows of the channel, timed until all sent.
run() {
	rm -f "$T/tipgw.db" "$T/tipgw.db-wal" "$T/tipgw.db-shm"
	start_daemon
	wait_until 10 health_is status ok || wait_until 10 health_is modems.0.state ready
	kill -TERM "$PID"
	wait_exit 10
	"$PYTHON3" - "$T/tipgw.db" "$1" "$2" "$N" <<'PY'
import datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
now = datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
body = ('{"event":"tip.routed","code":"BENCH%d"}' if sys.argv[2] == "webhook"
        else "Subject: bench %d\n\nbench alert\n")
db.executemany("INSERT INTO outbox (dedup_key, intent, channel, destination, "
               "body, next_attempt_at, created_at) VALUES (?, 'alert', ?, ?, "
               "?, ?, ?)",
               [("bench:%d" % i, sys.argv[2], sys.argv[3], body % i, now, now)
                for i in range(int(sys.argv[4]))])
db.commit()
PY
	start=$(date +%s.%N)
	start_daemon
	wait_until 600 sql_is "SELECT count(*) FROM outbox WHERE state <> 'sent'" 0 ||
	    { echo "# $1: timed out"; show_log; return 1; }
	end=$(date +%s.%N)
	kill -TERM "$PID"
	wait_exit 10
	"$PYTHON3" -c 'import sys
ch, n, s, e = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print("%-10s %6d alerts delivered in %6.2f s = %7.1f alerts/s" % (ch, n, e - s, n / (e - s)))' \
	    "$1" "$N" "$start" "$end"
}

run webhook "http://127.0.0.1:$(cat "$SINK/http.port")/bench"
run email bench@localhost
