#!/bin/sh
# Benchmark: place data at scale. A synthetic division of the nation's
# size (BENCH_TOWNSHIPS, default 41,352 townships; BENCH_VILLAGES,
# default 620,573 villages, as in the national data set) is generated
# with a fixed seed: names of two or three random characters of GB 2312
# level 1 and the real suffixes, so that nearly every name is distinct
# (harder than real data, where names repeat). It is imported with
# tipgwctl gazetteer import; then tipgwd starts on it: the seconds from
# start until /healthz answers (target 10) and its private memory
# (RssAnon) once ready (target 64 MiB); then the same for the demo
# county (target 8 MiB). Timed with date and read from /proc.
. "$top_srcdir/tests/integration/lib.sh"

NT=${BENCH_TOWNSHIPS:-41352}
NV=${BENCH_VILLAGES:-620573}
TARGET_START_S=10
TARGET_NATION_KIB=$((64 * 1024))
TARGET_COUNTY_KIB=$((8 * 1024))
rc=0

"$PYTHON3" - "$T/nation" "$NT" "$NV" <<'PY'
import random, sys
rnd = random.Random(20261206)
pool = []
for hi in range(0xB0, 0xD8):
    for lo in range(0xA1, 0xFF):
        try:
            pool.append(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
out, nt, nv = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
st = open(out + "-streets.csv", "w", encoding="utf-8")
vi = open(out + "-villages.csv", "w", encoding="utf-8")
st.write("code,name,areaCode,provinceCode,cityCode\n")
vi.write("code,name,streetCode,provinceCode,cityCode,areaCode\n")
left = nv
for t in range(nt):
    county = t // 15
    prov = 11 + county // 100
    city = prov * 100 + (county // 10) % 10 + 1
    area = city * 100 + county % 10 + 1
    tcode = "%06d%03d" % (area, 100 + t % 15)
    name = "".join(rnd.choice(pool) for _ in range(2))
    st.write("%s,%s%s,%d,%d,%d\n" % (tcode, name,
             rnd.choice(["镇", "镇", "乡", "街道"]), area, prov, city))
    k = left // (nt - t)
    left -= k
    for v in range(k):
        name = "".join(rnd.choice(pool) for _ in range(2 if rnd.random() < 0.7 else 3))
        vi.write("%s%03d,%s%s,%s,%d,%d,%d\n" % (tcode, 200 + v, name,
                 rnd.choice(["村民委员会", "村委会", "社区居民委员会", "村"]),
                 tcode, prov, city, area))
PY

# measure NAME: start tipgwd on $T/tipgw.conf; seconds to /healthz and
# RssAnon in KiB into START_S and ANON_KIB.
measure() {
	t0=$(date +%s.%N)
	start_daemon
	if ! wait_until 120 http_status_is /healthz 200; then
		echo "Bail out! tipgwd did not answer for $1"
		show_log
		exit 99
	fi
	t1=$(date +%s.%N)
	sleep 2
	START_S=$(echo "$t1 - $t0" | bc)
	ANON_KIB=$(awk '/^RssAnon:/ { print $2 }' "/proc/$PID/status")
	kill -TERM "$PID"
	wait_exit 30
}

report() {	# WHAT VALUE UNIT TARGET: over the target fails the bench
	if [ "$(echo "$2 <= $4" | bc)" = 1 ]; then
		echo "$1: $2 $3 (target $4 $3)"
	else
		echo "$1: $2 $3 (target $4 $3) BELOW TARGET"
		rc=1
	fi
}

write_config "quiet_hours = none"
t0=$(date +%s.%N)
ctl gazetteer import --streets "$T/nation-streets.csv" \
    --villages "$T/nation-villages.csv" >/dev/null 2>&1 ||
    { echo "Bail out! the import failed"; exit 99; }
t1=$(date +%s.%N)
echo "national import ($NT townships, $NV villages): $(echo "$t1 - $t0" | bc) s"
measure nation
report "national start to /healthz" "$START_S" s "$TARGET_START_S"
report "national private memory (RssAnon)" "$((ANON_KIB / 1024))" MiB \
    "$((TARGET_NATION_KIB / 1024))"

rm -f "$T/tipgw.db" "$T/tipgw.db-wal" "$T/tipgw.db-shm"
demo_county >/dev/null 2>&1
measure county
report "county start to /healthz" "$START_S" s "$TARGET_START_S"
report "county private memory (RssAnon)" "$ANON_KIB" KiB "$TARGET_COUNTY_KIB"
exit $rc
