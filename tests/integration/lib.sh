# lib.sh: helpers for the integration tests (TAP output, a temporary
# directory, a loopback port, the daemon in the foreground, wait_until).
# Source it from a t-*.sh script; call finish at the end.

set -u
: "${TIPGWD:?TIPGWD is not set (run through make check)}"
: "${TIPGWCTL:?TIPGWCTL is not set}"
: "${top_srcdir:?top_srcdir is not set}"
PYTHON3=${PYTHON3:-python3}
case "$PYTHON3" in no|"") PYTHON3=python3 ;; esac

for tool in curl "$PYTHON3"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "Bail out! $tool is needed (contrib/quickstart check installs it)"
		exit 99
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/tipgw-it.XXXXXX") || exit 99
PID=
TAP_N=0
TAP_FAIL=0
LOG="$T/tipgwd.log"

SINK_PID=
cleanup() {
	if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
		kill -KILL "$PID" 2>/dev/null
	fi
	[ -z "$SINK_PID" ] || kill "$SINK_PID" 2>/dev/null
	if [ -z "${TIPGW_KEEP_TMP:-}" ]; then
		rm -rf "$T"
	else
		echo "# kept $T"
	fi
}
trap cleanup EXIT

show_log() {
	[ -f "$LOG" ] || return 0
	echo "# --- tipgwd log (last 40 lines) ---"
	tail -n 40 "$LOG" | sed 's/^/# /'
}

ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

not_ok() {
	TAP_N=$((TAP_N + 1))
	echo "not ok $TAP_N - $*"
	TAP_FAIL=1
	show_log
}

# check DESCRIPTION COMMAND...: one TAP line for the command's status.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

finish() {
	echo "1..$TAP_N"
	exit $TAP_FAIL
}

free_port() {
	"$PYTHON3" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# write_config [EXTRA_TIPGW_LINES] [MODEM_SECTION]: $T/tipgw.conf on a
# dummy phone in $T/phone, ledger $T/tipgw.db, a free port in $PORT.
write_config() {
	PORT=${PORT:-$(free_port)}
	mkdir -p "$T/phone"
	{
		echo "[tipgw]"
		echo "database = $T/tipgw.db"
		echo "listen = 127.0.0.1:$PORT"
		echo "poll_interval = 1s"
		[ -n "${1:-}" ] && printf '%s\n' "$1"
		echo
		if [ -n "${2:-}" ]; then
			printf '%s\n' "$2"
		else
			echo "[gammu]"
			echo "device = $T/phone"
			echo "model = dummy"
			echo "connection = none"
		fi
	} >"$T/tipgw.conf"
}

start_daemon() {
	"$TIPGWD" -d -v -f "$T/tipgw.conf" >>"$LOG" 2>&1 &
	PID=$!
}

# wait_until SECONDS COMMAND...: poll COMMAND until it succeeds.
wait_until() {
	limit=$1
	shift
	tries=$((limit * 10))
	while ! "$@"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
	return 0
}

# Wait for the daemon to exit; set EXIT_STATUS. Fails after SECONDS.
wait_exit() {
	if ! wait_until "$1" daemon_gone; then
		return 1
	fi
	wait "$PID"
	EXIT_STATUS=$?
	PID=
	return 0
}

daemon_gone() {
	! kill -0 "$PID" 2>/dev/null || [ "$(ps -o stat= -p "$PID")" = Z ]
}

# http_get PATH: body into $T/body, status code on stdout.
http_get() {
	curl -s -o "$T/body" -w '%{http_code}' --max-time 5 \
	    "http://127.0.0.1:$PORT$1"
}

http_status_is() {
	[ "$(http_get "$1")" = "$2" ]
}

# json FILE PATH: print the value at a dotted path (modems.0.state).
json() {
	"$PYTHON3" - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print("null" if v is None else v)
PY
}

# health_is PATH VALUE: GET /healthz and compare one field.
health_is() {
	http_get /healthz >/dev/null && [ "$(json "$T/body" "$1")" = "$2" ]
}

log_has() {
	grep -q -- "$1" "$LOG"
}

# clock_pin DAY HH:MM: tipgw's clock (TIPGW_TEST_TIME_SHIFT, exported,
# for the daemon and tipgwctl alike) at HH:MM China time on DAY of this
# month (a number, or "today"), so that no midnight, month's or
# quarter's end falls inside a test that counts by them. Sets CLOCK_DAY
# (2026-12-15), CLOCK_MONTH (2026-12), CLOCK_QUARTER (2026Q4) and
# CLOCK_YEAR (2026).
clock_pin() {
	set -- $("$PYTHON3" - "$1" "$2" <<'PY'
import datetime, sys, time
cst = datetime.timezone(datetime.timedelta(hours=8))
now = datetime.datetime.now(cst)
h, m = map(int, sys.argv[2].split(":"))
day = now.day if sys.argv[1] == "today" else int(sys.argv[1])
at = now.replace(day=day, hour=h, minute=m, second=0, microsecond=0)
print(round(at.timestamp() - time.time()), at.strftime("%Y-%m-%d"),
      at.strftime("%Y-%m"), "%dQ%d" % (at.year, (at.month - 1) // 3 + 1),
      at.year)
PY
)
	TIPGW_TEST_TIME_SHIFT=$1
	export TIPGW_TEST_TIME_SHIFT
	CLOCK_DAY=$2
	CLOCK_MONTH=$3
	CLOCK_QUARTER=$4
	CLOCK_YEAR=$5
}

# clock_at YYYY-MM-DD HH:MM: the TIPGW_TEST_TIME_SHIFT that puts tipgw's
# clock then, China time.
clock_at() {
	"$PYTHON3" - "$1" "$2" <<'PY'
import datetime, sys, time
cst = datetime.timezone(datetime.timedelta(hours=8))
d = datetime.date.fromisoformat(sys.argv[1])
h, m = map(int, sys.argv[2].split(":"))
at = datetime.datetime(d.year, d.month, d.day, h, m, tzinfo=cst)
print(round(at.timestamp() - time.time()))
PY
}

# sink_start: contrib/tipgw-sink on free loopback ports, recording into
# $SINK ($T/sink); SINK_HTTP_PORT and SINK_SMTP_PORT set; stopped on exit.
sink_start() {
	SINK=$T/sink
	mkdir -p "$SINK"
	"$PYTHON3" "$top_srcdir/contrib/tipgw-sink" --dir "$SINK" \
	    --http-port 0 --smtp-port 0 >"$T/sink.log" 2>&1 &
	SINK_PID=$!
	wait_until 10 test -s "$SINK/http.port" -a -s "$SINK/smtp.port" ||
	    { echo "Bail out! the sink did not start"; cat "$T/sink.log"; exit 99; }
	SINK_HTTP_PORT=$(cat "$SINK/http.port")
	SINK_SMTP_PORT=$(cat "$SINK/smtp.port")
}

# inject TEXT [sms-inject options]: an incoming SMS in the dummy phone.
inject() {
	text=$1
	shift
	"$PYTHON3" "$top_srcdir/contrib/sms-inject" --quiet "$@" -- \
	    "$T/phone" "$text" || echo "# sms-inject failed: $*"
}

# sql QUERY: the ledger's answer, one row a line, columns split by |.
sql() {
	"$PYTHON3" - "$T/tipgw.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=10)
for row in db.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
PY
}

sql_is() {
	[ "$(sql "$1")" = "$2" ]
}

inbox_count() {
	find "$T/phone/sms/1" -maxdepth 1 -type f -name '[0-9]*' | wc -l
}

inbox_empty() {
	[ "$(inbox_count)" = 0 ]
}

# tip_pin CODE: the PIN the tip's acknowledgement told the reporter.
tip_pin() {
	sql "SELECT body FROM outbox WHERE dedup_key = 'ack:$1'" |
	    sed -n 's/.*查询码\([0-9]\{4\}\).*/\1/p'
}

# A tip's text by id, as tipgwctl tips --json prints it.
tip_text() {
	"$TIPGWCTL" -f "$T/tipgw.conf" tips --json | "$PYTHON3" -c '
import json, sys
for line in sys.stdin:
    t = json.loads(line)
    if t["id"] == int(sys.argv[1]):
        print(t["text"])' "$1"
}

# ctl ARGS: tipgwctl on the test's configuration.
ctl() {
	"$TIPGWCTL" -f "$T/tipgw.conf" "$@"
}

# demo_county [OFFICE OPTIONS]: the demo county's gazetteer in the ledger,
# an empty inbox, and 寒冻镇's office with duty phone 13800000999 (and
# the options given).
demo_county() {
	mkdir -p "$T/phone/sms/1"
	ctl gazetteer import --streets "$top_srcdir/contrib/demo/streets.csv" \
	    --villages "$top_srcdir/contrib/demo/villages.csv" >/dev/null
	ctl office add "寒冻所" --township 411724101 --phone 13800000999 \
	    "$@" >/dev/null
}

# fakemodem_start [OPTIONS]: tests/fakemodem.py on a pseudo-terminal at
# $T/tty, its log in $FM_LOG and control FIFO at $FM_CTL; stopped on exit.
FM_PID=
fakemodem_start() {
	FM_LOG=$T/fakemodem.log
	FM_CTL=$T/fakemodem.ctl
	"$PYTHON3" "$top_srcdir/tests/fakemodem.py" --link "$T/tty" \
	    --log "$FM_LOG" --ctl "$FM_CTL" --pidfile "$T/fakemodem.pid" "$@" &
	FM_PID=$!
	trap 'kill "$FM_PID" 2>/dev/null; cleanup' EXIT
	wait_until 5 test -p "$FM_CTL" ||
	    { echo "Bail out! fake modem did not start"; exit 99; }
}

# fm COMMAND: a line to the fake modem; if it has died, say so rather
# than block on its FIFO forever.
fm() {
	if ! kill -0 "$FM_PID" 2>/dev/null ||
	    ! timeout 10 sh -c 'printf "%s\n" "$1" > "$2"' sh "$*" "$FM_CTL"; then
		echo "# the fake modem is gone; see $FM_LOG"
		return 1
	fi
}
fm_has() { grep -q -- "$1" "$FM_LOG"; }
fm_count() { grep -c -- "$1" "$FM_LOG"; }

# fm_pdu NUMBER TEXT [REF [AGO]]: the hex SMS-DELIVER PDUs (one a line)
# that the fake modem would store for TEXT (Python escapes allowed in
# TEXT), stamped by the SMSC AGO seconds ago.
fm_pdu() {
	"$PYTHON3" -c 'import sys
sys.path.insert(0, sys.argv[1])
import fakemodem
text = sys.argv[3].encode().decode("unicode_escape").encode("latin-1").decode()
import time
ref = int(sys.argv[4]) if len(sys.argv) > 4 else None
when = time.time() - int(sys.argv[5]) if len(sys.argv) > 5 else None
for pdu, _ in fakemodem.deliver_pdus(sys.argv[2], text, ref, when):
    print(pdu)' "$top_srcdir/tests" "$@"
}
