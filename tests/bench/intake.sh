#!/bin/sh
# Benchmark: how many messages per second the dummy-modem intake commits
# (read through libGammu, grouped, committed with synchronous=FULL, then
# deleted), for single-part and 3-part messages. Prints a report.
. "$top_srcdir/tests/integration/lib.sh"

N=${BENCH_MESSAGES:-1000}

now() {
	date +%s.%N
}

# run LABEL COUNT-OF-RAW-MESSAGES: start the daemon on a loaded phone and
# time until the ledger holds them all and the phone is empty.
run() {
	rm -f "$T/tipgw.db" "$T/tipgw.db-wal" "$T/tipgw.db-shm"
	start=$(now)
	start_daemon
	wait_until 600 sh -c "[ \"\$(find '$T/phone/sms/1' -type f -name '[0-9]*' | wc -l)\" = 0 ] || ! kill -0 $PID" ||
	    { echo "# $1: timed out"; return 1; }
	kill -0 "$PID" || { echo "# $1: tipgwd died"; show_log; return 1; }
	end=$(now)
	got=$(sql "SELECT count(*) FROM raw_messages")
	kill -TERM "$PID"
	wait_exit 10
	"$PYTHON3" -c 'import sys
label, n, got, s, e = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print("%-28s %6d messages (%d stored) in %6.2f s = %7.1f messages/s" % (label, n, got, e - s, got / (e - s)))' \
	    "$1" "$2" "$got" "$start" "$end"
	[ "$got" = "$2" ]
}

write_config "inbound_limit = 0"
mkdir -p "$T/phone/sms/1"
echo "# tipgw intake benchmark: $(nproc) cores, libGammu dummy driver"
inject "bench single-part tip" --count "$N" --from +8613800138000
check "single-part messages" run "single-part (GSM 7-bit)" "$N"
LONG=$("$PYTHON3" -c 'print("正阳县铜钟镇集市上有人卖病死猪肉" * 10, end="")')
inject "$LONG" --count $((N / 3)) --from +8613900139000
check "3-part messages" run "3-part (UCS-2 Chinese)" $((N / 3))
finish
