#!/bin/sh
# Benchmark: from an SMS dropped in the (dummy) phone to the office's
# webhook received by a local sink (contrib/tipgw-sink), with
# poll_interval = 1s: BENCH_LATENCY_TIPS tips (default 500) from as many
# senders, one every BENCH_GAP seconds (default 0.1), each timed from
# its file's creation to the sink's record of its alert. Prints p50, p99
# and the worst; the target is p99 under 2 s (a committed tip's alert
# goes at once, not at the outbox's next tick).
. "$top_srcdir/tests/integration/lib.sh"

N=${BENCH_LATENCY_TIPS:-500}
GAP=${BENCH_GAP:-0.1}
TARGET_P99=2.0
sink_start
write_config "quiet_hours = none
sms_daily_budget = 0
inbound_limit = 0"
demo_county --webhook "http://127.0.0.1:$(cat "$SINK/http.port")/hook"
start_daemon
wait_until 20 health_is modems.0.state ready ||
    { echo "Bail out! tipgwd did not start"; show_log; exit 99; }
"$PYTHON3" - "$top_srcdir/contrib/sms-inject" "$T/phone" "$SINK/http" "$N" \
    "$GAP" "$TARGET_P99" <<'PY'
import json, os, subprocess, sys, time
inject, phone, http, n, gap, target = sys.argv[1:7]
n, gap, target = int(n), float(gap), float(target)
sent = {}
for i in range(n):
    text = "寒冻镇固城村小卖部卖过期牛奶，第%d箱" % i
    subprocess.run([sys.executable, inject, "--quiet", "--from",
                    "+86139%08d" % i, "--", phone, text], check=True)
    sent[i] = time.time()
    time.sleep(gap)
deadline = time.time() + 60
got = {}
while time.time() < deadline and len(got) < n:
    for name in os.listdir(http) if os.path.isdir(http) else []:
        path = os.path.join(http, name)
        if path in got.values():
            continue
        try:
            body = json.load(open(path, encoding="utf-8"))["body"]
            body = json.dumps(json.loads(body), ensure_ascii=False)
        except (OSError, ValueError):
            continue
        for i in sent:
            if i not in got and ("第%d箱" % i) in body:
                got[i] = path
                break
    time.sleep(0.2)
lat = sorted(os.stat(got[i]).st_mtime - sent[i] for i in got)
if len(lat) < n:
    print("latency: %d of %d alerts arrived in time" % (len(lat), n))
    sys.exit(1)
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print("SMS to office webhook, %d tips: p50 %.2f s, p99 %.2f s, worst %.2f s"
      " (target p99 %.1f s)%s" % (n, p(0.50), p(0.99), lat[-1], target,
      "" if p(0.99) < target else " BELOW TARGET"))
sys.exit(0 if p(0.99) < target else 1)
PY
rc=$?
kill -TERM "$PID"
wait_exit 10
exit $rc
