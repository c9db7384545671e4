#!/bin/sh
# make soak (not in CI): SOAK_MINUTES (default 60) of mixed traffic on
# the dummy phone, then an audit.
#
# Traffic: tips from 300 reporters naming villages of the demo county
# (one in ten three parts long), 帮助 and 查询 commands, and the office's
# 收到 replies from its duty phone for tips it was alerted to; the
# office's webhook goes to a loopback sink (contrib/tipgw-sink) whose mode
# changes every 20 s at random: ok, HTTP 500, slow (3 s), connection
# refused. tipgwd is killed with SIGKILL every SOAK_KILL_EVERY seconds
# (default 240) and started again at once, except in the last quarter
# (at most 15 minutes), so that one run is long enough to see its
# memory; its private memory (RssAnon) is sampled every 10 s.
#
# Audit, once the traffic stops and the sink is ok again (up to 10
# minutes to drain): every message injected is in the ledger exactly
# once and the phone is empty; every outbox row is sent (none dead,
# none pending); every webhook row reached the sink, and no key the
# ledger does not know; every SMS row has one sms_sent row; tipgwctl
# check passes (integrity, invariants, the audit chain); within each run
# of tipgwd longer than 5 minutes, private memory after its first minute
# grows by less than 4 MiB.
. "$top_srcdir/tests/integration/lib.sh"

MINUTES=${SOAK_MINUTES:-60}
KILL_EVERY=${SOAK_KILL_EVERY:-240}
sink_start
write_config "quiet_hours = none
sms_daily_budget = 0
inbound_limit = 0
outbox_retry_min = 1s
outbox_retry_max = 20s
outbox_max_attempts = 100
notify_timeout = 5s"
demo_county --webhook "http://127.0.0.1:$(cat "$SINK/http.port")/hook"
echo "# soak: $MINUTES minutes, SIGKILL every ${KILL_EVERY}s, $(nproc) cores"

"$PYTHON3" - "$top_srcdir/contrib/sms-inject" "$T" "$SINK" "$TIPGWD" \
    "$MINUTES" "$KILL_EVERY" <<'PY'
import argparse, calendar, importlib.machinery, importlib.util, json, os
import random, signal, sqlite3, subprocess, sys, time

inject_path, T, sink, tipgwd, minutes, kill_every = sys.argv[1:7]
minutes, kill_every = float(minutes), float(kill_every)
loader = importlib.machinery.SourceFileLoader("sms_inject", inject_path)
spec = importlib.util.spec_from_loader("sms_inject", loader)
inj = importlib.util.module_from_spec(spec)
loader.exec_module(inj)
folder = os.path.join(T, "phone", "sms", "1")
os.makedirs(folder, exist_ok=True)
rnd = random.Random(int(os.environ.get("SOAK_SEED", "20261206")))
log = open(os.path.join(T, "tipgwd.log"), "a")
villages = ["固城村", "东岗村", "寒冻镇", "王庄村", "寒冻镇集市"]
products = ["牛奶", "面包", "辣条", "饮料", "猪肉", "月饼"]
injected = []          # (sender, text) of every message put in the phone
lives = []             # [(pid, [(t, kib), ...])]
proc = None

def start():
    global proc
    proc = subprocess.Popen([tipgwd, "-d", "-f", os.path.join(T, "tipgw.conf")],
                            stdout=log, stderr=log)
    lives.append((proc.pid, []))

def put(sender, text):
    args = argparse.Namespace(
        sender=sender, smsc="+8613800371500", folder=1, unicode=False,
        binary=False, parts_only=None, quiet=True,
        date=time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    inj.inject(args, folder, text, rnd.randrange(256))
    injected.append((sender, text))

def ledger(sql):
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(T, "tipgw.db"),
                         uri=True, timeout=10)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()

def mode(m):
    with open(os.path.join(sink, "mode.tmp"), "w") as f:
        f.write(m + "\n")
    os.replace(os.path.join(sink, "mode.tmp"), os.path.join(sink, "mode"))

def rss(pid):
    try:
        for line in open("/proc/%d/status" % pid):
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    except OSError:
        return None

start()
t0 = time.monotonic()
end = t0 + minutes * 60
calm = end - min(15 * 60, minutes * 60 / 4)
next_kill = t0 + kill_every
next_mode = next_sample = next_reply = t0
n = kills = replies = 0
acked = set()
while time.monotonic() < end:
    now = time.monotonic()
    if now >= next_kill and now < calm:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        start()
        next_kill = now + kill_every
    if now >= next_mode:
        mode(rnd.choices(["ok", "500", "slow 3", "refuse"],
                         [6, 2, 1, 1])[0])
        next_mode = now + 20
    if now >= next_sample:
        k = rss(proc.pid)
        if k is not None:
            lives[-1][1].append((now - t0, k))
        next_sample = now + 10
    if now >= next_reply:
        next_reply = now + 5
        try:
            rows = ledger("SELECT code FROM tips WHERE code IS NOT NULL "
                          "AND office_id IS NOT NULL AND state = 'routed' "
                          "ORDER BY id DESC LIMIT 20")
        except sqlite3.Error:
            rows = []
        rows = [r[0] for r in rows if r[0] not in acked]
        if rows:
            code = rnd.choice(rows)
            acked.add(code)
            put("+8613800000999", "收到 %s" % code)
            replies += 1
    n += 1
    r = rnd.random()
    sender = "+86139%08d" % rnd.randrange(300)
    if r < 0.05:
        put(sender, "帮助")
    elif r < 0.08:
        put(sender, "查询")
    else:
        text = "%s小卖部卖过期%s，第%d次" % (rnd.choice(villages),
                                         rnd.choice(products), n)
        if r > 0.9:
            text = (text + "，生产日期看不清，包装也没有厂名厂址，") * 6
        put(sender, text)
    time.sleep(rnd.uniform(0.1, 0.5))
mode("ok")
print("# traffic done: %d messages injected (%d office replies), %d kills"
      % (len(injected), replies, kills))

# Drain: the phone empty, nothing pending in the outbox.
deadline = time.monotonic() + 600
pending = None
while time.monotonic() < deadline:
    left = [x for x in os.listdir(folder) if x.isdigit()]
    try:
        pending = ledger("SELECT count(*) FROM outbox WHERE state NOT IN "
                         "('sent', 'dead')")[0][0]
    except sqlite3.Error:
        pending = None
    if not left and pending == 0:
        break
    time.sleep(1)
k = rss(proc.pid)
if k is not None:
    lives[-1][1].append((time.monotonic() - t0, k))
proc.send_signal(signal.SIGTERM)
proc.wait(30)

fail = 0
def check(ok, what):
    global fail
    print("%s: %s" % ("ok" if ok else "FAILED", what))
    fail += not ok

left = [x for x in os.listdir(folder) if x.isdigit()]
check(not left, "the phone is empty (%d left)" % len(left))
got = {}
for sender, text in ledger("SELECT sender, text FROM raw_messages"):
    got[(sender, text)] = got.get((sender, text), 0) + 1
want = {}
for m in injected:
    want[m] = want.get(m, 0) + 1
missing = [m for m in want if got.get(m, 0) < want[m]]
extra = [m for m in got if got[m] > want.get(m, 0)]
check(not missing, "every message in the ledger (%d of %d missing)" %
      (len(missing), len(want)))
check(not extra, "no message twice (%d twice)" % len(extra))
states = dict(ledger("SELECT state, count(*) FROM outbox GROUP BY state"))
check(set(states) <= {"sent"}, "every outbox row sent: %s" % states)
keys = {r[0] for r in ledger("SELECT dedup_key FROM outbox WHERE "
                              "channel = 'webhook'")}
seen = {}
http = os.path.join(sink, "http")
for name in os.listdir(http) if os.path.isdir(http) else []:
    try:
        h = json.load(open(os.path.join(http, name)))["headers"]
    except (OSError, ValueError, KeyError):
        continue
    k = h.get("idempotency-key")
    seen[k] = seen.get(k, 0) + 1
check(keys <= set(seen), "every webhook intent reached the sink (%d of %d)"
      % (len(keys & set(seen)), len(keys)))
check(set(seen) <= keys, "no webhook the ledger does not know (%d)" %
      len(set(seen) - keys))
again = sum(1 for k in seen if seen[k] > 1)
print("# webhooks: %d intents, %d delivered again with the same "
      "Idempotency-Key (a kill between the sink's answer and the commit)"
      % (len(keys), again))
bad = ledger("SELECT count(*) FROM outbox o WHERE channel = 'sms' AND "
             "(SELECT count(*) FROM sms_sent s WHERE s.outbox_id = o.id) "
             "!= 1")[0][0]
sms = ledger("SELECT count(*) FROM outbox WHERE channel = 'sms'")[0][0]
check(bad == 0, "every SMS intent sent once (%d of %d not)" % (bad, sms))
tips = dict(ledger("SELECT state, count(*) FROM tips GROUP BY state"))
print("# ledger: %d messages, %d outbox rows (%d SMS); tips by state: %s" %
      (sum(got.values()), sum(states.values()), sms, tips))
for pid, s in lives:
    s = [x for x in s if x[0] - s[0][0] >= 60] if s else []
    if len(s) < 2 or s[-1][0] - s[0][0] < 240:
        continue
    grow = s[-1][1] - s[0][1]
    check(grow < 4096, "run %d: private memory %d -> %d KiB over %.0f "
          "minutes" % (pid, s[0][1], s[-1][1], (s[-1][0] - s[0][0]) / 60))
sys.exit(1 if fail else 0)
PY
rc=$?
out=$("$TIPGWCTL" -f "$T/tipgw.conf" check 2>&1) ||
    { echo "FAILED: tipgwctl check: $out"; rc=1; }
[ $rc = 0 ] && echo "ok: tipgwctl check"
exit $rc
