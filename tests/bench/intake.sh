#!/bin/sh
# Benchmark 1: intake against the limit and the peer, in one run. The
# same BENCH_MESSAGES (default 2,000) single-part tips, each from its own
# reporter and naming a village of the demo county, are put in three
# libGammu dummy phones, one for each of:
#
#   limit      tests/bench/gammu-drain: GSM_GetNextSMS + GSM_DeleteSMS,
#              storing nothing, each read on from the last (the physical
#              limit of the driver);
#   naive      the same loop reading from the first location again after
#              each delete (gammu-drain -r), the simplest way to write it;
#   tipgwd     with the demo county and its office: every message parsed,
#              routed, committed with synchronous=FULL, its
#              acknowledgement and the office's alert queued, then deleted;
#   gammu-smsd 1.42 with its sql service on sqlite3 (packages gammu-smsd
#              and libdbd-sqlite3; skipped when absent).
#
# Each is timed from its start until its phone is empty, in
# BENCH_ROUNDS (default 3) interleaved rounds. Prints each rate (the
# median of the rounds), tipgwd as a percentage of the limit in each
# round (target 90 %) and of the naive loop, and as a multiple of
# gammu-smsd. Then tipgwd on
# BENCH_MESSAGES / 3 three-part messages (reassembly).
. "$top_srcdir/tests/integration/lib.sh"

N=${BENCH_MESSAGES:-2000}
ROUNDS=${BENCH_ROUNDS:-3}
TARGET_PCT=90
DRAIN=$top_builddir/tests/bench/gammu-drain
SMSD_SQL=/usr/share/doc/gammu-smsd/examples/sqlite.sql

[ -x "$DRAIN" ] || { echo "Bail out! $DRAIN is not built (make bench builds it)"; exit 99; }
SMSD=$(command -v gammu-smsd || true)
if [ -n "$SMSD" ] && { [ ! -r "$SMSD_SQL" ] ||
    ! ls /usr/lib/*/dbd/libdbdsqlite3.so >/dev/null 2>&1; }; then
	echo "# gammu-smsd without libdbd-sqlite3 or its schema: not compared"
	SMSD=
fi
[ -n "$SMSD" ] || echo "# gammu-smsd: not installed (apt-get install gammu-smsd libdbd-sqlite3); not compared"

# The ledger with the county and its office, copied for each round.
write_config "quiet_hours = none
sms_daily_budget = 0
inbound_limit = 0"
demo_county
"$PYTHON3" - "$T/tipgw.db" "$T/ledger.template" <<'PY'
import sqlite3, sys
src = sqlite3.connect(sys.argv[1])
dst = sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.close()
PY
rm -f "$T/tipgw.db" "$T/tipgw.db-wal" "$T/tipgw.db-shm"

# The messages, once: a phone to copy.
"$PYTHON3" - "$top_srcdir/contrib/sms-inject" "$T/master" "$N" <<'PY'
import argparse, importlib.machinery, importlib.util, os, sys, time
path, phone, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
loader = importlib.machinery.SourceFileLoader("sms_inject", path)
spec = importlib.util.spec_from_loader("sms_inject", loader)
inj = importlib.util.module_from_spec(spec)
loader.exec_module(inj)
folder = os.path.join(phone, "sms", "1")
os.makedirs(folder)
villages = ["固城村", "东岗村", "寒冻镇", "王庄村"]
for i in range(n):
    args = argparse.Namespace(
        sender="+86139%08d" % i, smsc="+8613800371500",
        date=time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - n + i)),
        folder=1, unicode=False, binary=False, parts_only=None, quiet=True)
    text = "%s小卖部卖过期牛奶，第%d箱" % (villages[i % len(villages)], i)
    # Written in place: no reader yet, so no need for the atomic link.
    with open(os.path.join(folder, str(i + 1)), "w", encoding="ascii") as f:
        f.write(inj.backup_file(args, text, False, None))
PY
[ "$(ls "$T/master/sms/1" | wc -l)" = "$N" ] || { echo "Bail out! the messages were not written"; exit 99; }

for c in limit naive; do
	cat >"$T/$c.rc" <<EOF
[gammu]
device = $T/p-$c
model = dummy
connection = none
EOF
done
cat >"$T/smsd.rc" <<EOF
[gammu]
device = $T/p-smsd
model = dummy
connection = none

[smsd]
service = sql
driver = sqlite3
database = smsd.db
dbdir = $T
logfile = $T/smsd.log
debuglevel = 0
CheckSecurity = 0
CheckBattery = 0
CheckSignal = 0
CheckNetwork = 0
StatusFrequency = 0
LoopSleep = 0
CommTimeout = 1
PhoneID = bench
EOF
sed -i "s|^device = .*|device = $T/p-tipgwd|" "$T/tipgw.conf"

# run WHO: a fresh phone (and store) for WHO, its seconds on stdout.
run() {
	who=$1
	rm -rf "$T/p-$who"
	cp -a "$T/master" "$T/p-$who"
	case $who in
	limit)
		set -- "$DRAIN" "$T/limit.rc" ;;
	naive)
		set -- "$DRAIN" -r "$T/naive.rc" ;;
	tipgwd)
		rm -f "$T/tipgw.db" "$T/tipgw.db-wal" "$T/tipgw.db-shm"
		cp "$T/ledger.template" "$T/tipgw.db"
		chmod 600 "$T/tipgw.db"
		set -- "$TIPGWD" -d -f "$T/tipgw.conf" ;;
	smsd)
		rm -f "$T/smsd.db"
		"$PYTHON3" -c 'import sqlite3, sys
sqlite3.connect(sys.argv[1]).executescript(open(sys.argv[2]).read())' \
		    "$T/smsd.db" "$SMSD_SQL"
		set -- "$SMSD" -c "$T/smsd.rc" ;;
	esac
	"$PYTHON3" - "$T/p-$who" "$@" <<'PY'
import os, signal, subprocess, sys, time
folder = os.path.join(sys.argv[1], "sms", "1")
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL,
                     stderr=open(os.devnull, "w"))
try:
    while any(n.isdigit() for n in os.listdir(folder)):
        if p.poll() is not None and p.returncode != 0:
            sys.exit("exited with status %d" % p.returncode)
        if time.monotonic() - t0 > 300:
            sys.exit("timed out")
        time.sleep(0.005)
    t = time.monotonic() - t0
finally:
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()
print("%.3f" % t)
PY
}

# stored WHO: how many messages WHO's store holds.
stored() {
	case $1 in
	tipgwd) sql "SELECT count(*) FROM raw_messages" ;;
	smsd) "$PYTHON3" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM inbox").fetchone()[0])' "$T/smsd.db" ;;
	esac
}

echo "# intake of $N single-part tips, $ROUNDS interleaved rounds, $(nproc) cores"
ok=0
for r in $(seq "$ROUNDS"); do
	for c in limit naive tipgwd ${SMSD:+smsd}; do
		if ! s=$(run "$c"); then
			echo "# round $r: $c failed: $s"
			[ "$c" = tipgwd ] && show_log
			ok=1
			continue
		fi
		echo "$c $s" >>"$T/times"
		if { [ "$c" = tipgwd ] || [ "$c" = smsd ]; } &&
		    [ "$(stored "$c")" != "$N" ]; then
			echo "# round $r: $c stored $(stored "$c") of $N"
			ok=1
		fi
	done
done
if [ "$ok" = 0 ] && [ "$(sql "SELECT count(*) FROM tips")" != "$N" ]; then
	echo "# tipgwd: $(sql "SELECT count(*) FROM tips") tips of $N"
	ok=1
fi
echo "# tipgwd queued $(sql "SELECT count(*) FROM outbox") outbox rows (acknowledgements and alerts)"
"$PYTHON3" - "$T/times" "$N" "$TARGET_PCT" <<'PY' || ok=1
import statistics, sys
path, n, target = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
t = {}
for line in open(path):
    who, s = line.split()
    t.setdefault(who, []).append(float(s))
med = {w: statistics.median(v) for w, v in t.items()}
names = {"limit": "libGammu limit (read+delete)",
         "naive": "naive read+delete loop", "tipgwd": "tipgwd",
         "smsd": "gammu-smsd (sql, sqlite3)"}
for w in ("limit", "naive", "tipgwd", "smsd"):
    if w in med:
        print("%-30s %6.1f messages/s (median %.2f s; runs %s)" % (
            names[w], n / med[w], med[w],
            " ".join("%.2f" % s for s in t[w])))
pct = [100 * a / b for a, b in zip(t["limit"], t["tipgwd"])]
print("tipgwd / limit: median %.0f %%, each round %s (target %.0f %% on "
      "every run)%s" % (statistics.median(pct), " ".join("%.0f %%" % p
      for p in pct), target, "" if min(pct) >= target else " BELOW TARGET"))
print("tipgwd / naive loop: median %.0f %%" % (100 * med["naive"] /
      med["tipgwd"]))
if "smsd" in med:
    print("tipgwd / gammu-smsd: %.1fx faster" % (med["smsd"] / med["tipgwd"]))
sys.exit(0 if min(pct) >= target else 1)
PY

# Long tips: three parts each, reassembled before they are understood.
LONG=$("$PYTHON3" -c 'print("寒冻镇固城村集市上有人卖病死猪肉" * 10, end="")')
rm -rf "$T/master"
inject "$LONG" --count $((N / 3)) --from +8613900139000
mv "$T/phone" "$T/master"
if s=$(run tipgwd) && [ "$(stored tipgwd)" = $((N / 3)) ]; then
	"$PYTHON3" -c 'import sys
n, s = int(sys.argv[1]), float(sys.argv[2])
print("tipgwd, 3-part tips (UCS-2)   %6.1f messages/s (%d in %.2f s)" % (n / s, n, s))' $((N / 3)) "$s"
else
	echo "# tipgwd on 3-part tips failed: $s, $(stored tipgwd) stored"
	ok=1
fi
exit $ok
