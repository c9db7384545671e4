#!/bin/sh
# Deadlines on the working-day calendar, with the clock shifted (the
# test-only TIPGW_TEST_TIME_SHIFT) rather than slept: the office is
# reminded at D-3 and D-1, once each; a tip the office never
# acknowledged is escalated to the coordinator; an extension moves the
# deadline by the period once, with approver and reason; a passed
# deadline is escalated; nothing goes out at night; a case's 回头看
# follow-up date reminds its office. Between the shifted days, the clock
# stands at 10:00 of the day the test began (China time), so that no
# midnight falls between a tip and the days counted from it.
. "$top_srcdir/tests/integration/lib.sh"

write_config "coordinator_phone = +8613700000000
quiet_hours = none"
demo_county

# The calendar, independently: the n-th working day after the day of
# receipt, and the shift that puts the clock at HH:MM China time that day.
cal() {
	"$PYTHON3" - "$top_srcdir/contrib/holidays-cn.txt" "$@" <<'PY'
import datetime, os, sys, time
rest, work = set(), set()
for line in open(sys.argv[1], encoding="utf-8"):
    f = line.split()
    if len(f) >= 2 and not line.startswith("#"):
        (rest if f[1] == "holiday" else work).add(f[0])
def working(d):
    s = d.isoformat()
    return s in work or (s not in rest and d.weekday() < 5)
def nth(start, n):
    d = start
    while n > 0:
        d += datetime.timedelta(days=1)
        n -= working(d)
    return d
today = datetime.date.fromisoformat(os.environ["CAL_TODAY"])
what = sys.argv[2]
if what == "due":		# due DAYS: the deadline counted from today
    print(nth(today, int(sys.argv[3])).isoformat())
elif what == "back":		# back DAY N: the working day N before DAY
    d = datetime.date.fromisoformat(sys.argv[3]); n = int(sys.argv[4])
    while n > 0:
        d -= datetime.timedelta(days=1)
        n -= working(d)
    print(d.isoformat())
elif what == "working":	# working: 1 if today is a working day
    print(int(working(today)))
elif what == "case":		# case N: N calendar days from today, to a working day
    d = today + datetime.timedelta(days=int(sys.argv[3]))
    while not working(d):
        d += datetime.timedelta(days=1)
    print(d.isoformat())
elif what == "next":		# next DAY: the next working day after DAY
    print(nth(datetime.date.fromisoformat(sys.argv[3]), 1).isoformat())
elif what == "shift":		# shift DAY HH:MM: seconds from now to then
    d = datetime.date.fromisoformat(sys.argv[3])
    h, m = map(int, sys.argv[4].split(":"))
    cst = datetime.timezone(datetime.timedelta(hours=8))
    at = datetime.datetime(d.year, d.month, d.day, h, m, tzinfo=cst)
    print(round(at.timestamp() - time.time()))
PY
}
start_at() {
	TIPGW_TEST_TIME_SHIFT=$(cal shift "$1" "$2")
	export TIPGW_TEST_TIME_SHIFT
	start_daemon
	wait_until 10 health_is modems.0.state ready
}
stop() {
	kill -TERM "$PID"
	wait_exit 10
	TIPGW_TEST_TIME_SHIFT=$BASE_SHIFT
}
rows() { sql "SELECT count(*) FROM outbox WHERE dedup_key LIKE '$1'"; }

CAL_TODAY=$(TZ=Asia/Shanghai date +%Y-%m-%d)
export CAL_TODAY
TIPGW_TEST_TIME_SHIFT=$(cal shift "$CAL_TODAY" 10:00)
BASE_SHIFT=$TIPGW_TEST_TIME_SHIFT
export TIPGW_TEST_TIME_SHIFT
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇小卖部卖过期牛奶" --from +8613900000001
inject "寒冻镇小卖部卖三无辣条" --from +8613900000002
check "two tips routed" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE state = 'routed'" 2
A=$(sql "SELECT code FROM tips WHERE text = '寒冻镇小卖部卖过期牛奶'")
B=$(sql "SELECT code FROM tips WHERE text = '寒冻镇小卖部卖三无辣条'")
inject "收到 $A" --from +8613800000999
check "A acknowledged by the office" wait_until 10 sql_is "SELECT state FROM tips WHERE code = '$A'" acknowledged
kill -TERM "$PID"
wait_exit 10

DUE=$(cal due 15)
D3=$(cal back "$DUE" 3)
D1=$(cal back "$DUE" 1)
echo "# due $DUE, D-3 $D3, D-1 $D1"

# D-3 at 23:00: an office is not woken at night.
start_at "$D3" 23:00
check "night: nothing queued" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'remind:%' OR dedup_key LIKE 'escalate:%'" 0
stop

# D-3 in the morning.
start_at "$D3" 09:30
check "D-3: A reminded on the duty phone" wait_until 5 sql_is "SELECT count(*), max(destination) FROM outbox WHERE dedup_key = 'remind:$A:$DUE:d3:13800000999'" "1|13800000999"
check "D-3: B reminded too" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'remind:$B:$DUE:d3:%'" 1
check "D-3: the reminder says when and how long" sql_is "SELECT instr(body, '$A') > 0 AND instr(body, '还剩3个工作日') > 0 AND instr(body, substr('$DUE', 6)) > 0 FROM outbox WHERE dedup_key LIKE 'remind:$A:%:d3:%'" 1
check "D-3: fits one SMS" sql_is "SELECT max(length(body)) <= 70 FROM outbox WHERE dedup_key LIKE 'remind:%'" 1
check "D-3: audited" sql_is "SELECT count(*) FROM events e JOIN tips t ON t.id = e.tip_id WHERE e.action = 'tip.reminded' AND t.code = '$A' AND e.detail = 'd3 due=$DUE left=3'" 1
check "B never acknowledged: the coordinator is told" sql_is "SELECT count(*), max(destination) FROM outbox WHERE dedup_key LIKE 'escalate:$B:ack:%:sms'" "1|+8613700000000"
check "the escalation names the office" sql_is "SELECT instr(body, '寒冻所') > 0 AND instr(body, '受理') > 0 FROM outbox WHERE dedup_key LIKE 'escalate:$B:ack:%'" 1
check "A was acknowledged: no escalation" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'escalate:$A:%'" 0
check "the reminder goes out" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key = 'remind:$A:$DUE:d3:13800000999'" sent
check "no reporter number in a reminder" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'remind:%' AND body LIKE '%1390000000%'" 0
stop

# The same morning again (a restart): nothing twice.
start_at "$D3" 10:30
check "again: no second D-3 reminder" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'remind:%:d3:%'" 2
check "again: no second escalation" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'escalate:%'" 1
stop

# D-1.
start_at "$D1" 08:05
check "D-1: both reminded again" wait_until 5 sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'remind:%:$DUE:d1:%'" 2
check "D-1: the last day" sql_is "SELECT instr(body, '还剩1个工作日') > 0 FROM outbox WHERE dedup_key LIKE 'remind:$A:%:d1:%'" 1
stop

# An extension, once, with approver and reason.
ctl tip extend "$A" --approver 张局长 --reason "样品送检" >"$T/out" 2>&1
check "extend: done" grep -q "^tip $A extended" "$T/out"
check "extend: audited with approver and reason" sql_is "SELECT count(*) FROM events e JOIN tips t ON t.id = e.tip_id WHERE e.action = 'tip.extend' AND t.code = '$A' AND e.detail = 'state=acknowledged->acknowledged approver=张局长 reason=样品送检'" 1
ctl tip extend "$A" --approver 张局长 --reason "再延" >"$T/out" 2>&1
check "extend: only once" grep -q "tip $A was extended already" "$T/out"
ctl tip extend "$B" --reason "no approver" >"$T/out" 2>&1
check "extend: an approver is required" grep -q "needs --approver" "$T/out"

# The day after the deadline: B is overdue and escalated; A is not.
AFTER=$(cal next "$DUE")
start_at "$AFTER" 09:00
check "overdue: B escalated to the coordinator" wait_until 5 sql_is "SELECT count(*) FROM outbox WHERE dedup_key = 'escalate:$B:verify:$DUE:sms'" 1
check "overdue: the escalation says 核查" sql_is "SELECT instr(body, '核查') > 0 AND instr(body, '$B') > 0 FROM outbox WHERE dedup_key = 'escalate:$B:verify:$DUE:sms'" 1
check "overdue: audited" sql_is "SELECT count(*) FROM events e JOIN tips t ON t.id = e.tip_id WHERE e.action = 'tip.overdue' AND t.code = '$B' AND e.detail = 'verify due=$DUE'" 1
check "overdue: logged" log_has "code=$B overdue=verify due=$DUE"
check "extended: A is not overdue" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'escalate:$A:%'" 0
stop

# The coordinator's view of the clocks, that day.
TIPGW_TEST_TIME_SHIFT=$(cal shift "$AFTER" 09:00) ctl deadlines >"$T/out" 2>/dev/null
check "deadlines: B first, overdue" sh -c "sed -n 2p '$T/out' | grep -q '^$B *routed *$DUE overdue *verify *-1 no *寒冻所'"
check "deadlines: A extended, running" grep -q "^$A *acknowledged *$(cal due 30) running *verify .* yes *寒冻所" "$T/out"
TIPGW_TEST_TIME_SHIFT=$(cal shift "$AFTER" 09:00) ctl deadlines --overdue >"$T/out" 2>/dev/null
check "deadlines --overdue: only B" sh -c "[ \$(wc -l < '$T/out') = 2 ] && grep -q '^$B ' '$T/out'"

# A pause for testing stops A's clock: the extended deadline moves on by
# the paused working days.
N=$(cal working)
DUE2=$(cal due $((30 + N)))
# An imported tip without a code among the open ones: listed, and
# nothing that looks for a code trips over it.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO tips (code, channel, received_at, text, state, updated_at) VALUES (NULL, 'import', '2026-11-02T01:00:00Z', '导入的线索', 'triage', '2026-11-02T01:00:00Z')")
db.commit()
PY
ctl deadlines >"$T/out" 2>&1
check "no code: listed in the deadlines as -" grep -q '^- *triage ' "$T/out"
ctl tip pause "$A" --reason "样品检测" >"$T/out" 2>&1
check "pause: done" grep -q "^tip $A paused" "$T/out"
ctl tip resume "$A" >"$T/out" 2>&1
check "resume: today's working day paused" grep -q "^tip $A resumed after $N working day" "$T/out"
ctl tip resume "$A" >"$T/out" 2>&1
check "resume: not paused any more" grep -q "no open tip $A with a paused clock" "$T/out"
D1B=$(cal back "$DUE2" 1)
start_at "$D1B" 09:00
check "pause: the D-1 reminder follows the moved deadline" wait_until 5 sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'remind:$A:$DUE2:d1:%'" 1
check "no code: escalated under its id, not a shared key" sql_is "SELECT count(*) FROM outbox WHERE tip_id = (SELECT id FROM tips WHERE code IS NULL) AND dedup_key LIKE 'escalate:id%:route:%:sms'" 1
stop

# 立案: the office opens a case; the case clock (90 calendar days) runs.
start_daemon
wait_until 10 health_is modems.0.state ready
inject "立案 $A" --from +8613800000999
check "filed: the office's reply recorded" wait_until 10 sql_is "SELECT state, filed_at IS NOT NULL, extended_by IS NULL FROM tips WHERE code = '$A'" "filed|1|1"
check "filed: confirmed to the office" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613800000999' AND body LIKE '%已立案调查%'" 1
filed_at=$(sql "SELECT filed_at FROM tips WHERE code = '$A'")
inject "收到 $A" --from +8613800000999
check "收到 after 立案: refused politely" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613800000999' AND body LIKE '%$A已立案调查%未作变更%'" 1
check "收到 after 立案: still a case on its clock" sql_is "SELECT state, filed_at FROM tips WHERE code = '$A'" "filed|$filed_at"
stop
CASE=$(cal case 90)
DAY=$(cal back "$CASE" 1)
start_at "$DAY" 09:00
check "filed: D-1 of the case deadline" wait_until 5 sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'remind:$A:$CASE:case-d1:%' AND body LIKE '%办案期限%'" 1

# Intake reads the same clock as the outbox and the reminders.
inject "寒冻镇小卖部卖过期面包" --from +8613900000003
check "shifted clock: a tip is received that day" wait_until 10 sql_is "SELECT substr(t.received_at, 1, 10), substr(r.received_at, 1, 10) FROM tips t JOIN raw_messages r ON r.id = t.raw_message_id WHERE t.text = '寒冻镇小卖部卖过期面包'" "$DAY|$DAY"
stop

# 回头看: a decided case's follow-up date reminds its office once, on
# that working day, in working hours; a closed case is not reminded.
ctl case open "$B" >/dev/null
K=$(sql "SELECT case_id FROM tips WHERE code = '$B'")
FDAY=$(cal case 120)
ctl case outcome "$K" --finding '销售三无辣条' --penalty 500 --measure '下架' --deadline "$FDAY" --responsible 王所长 --followup "$FDAY" >"$T/out" 2>&1
check "follow-up: recorded" sql_is "SELECT state, followup FROM cases WHERE id = $K" "decided|$FDAY"
ctl case open "$A" >/dev/null
K2=$(sql "SELECT case_id FROM tips WHERE code = '$A'")
ctl case outcome "$K2" --finding '销售过期牛奶' --penalty 800 --followup "$FDAY" >/dev/null 2>&1
ctl case close "$K2" >/dev/null 2>&1
check "follow-up: the second case closed" sql_is "SELECT state FROM cases WHERE id = $K2" closed
start_at "$(cal back "$FDAY" 1)" 09:00
check "follow-up: not the day before" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'followup:%'" 0
stop
start_at "$FDAY" 23:00
check "follow-up: not at night" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'followup:%'" 0
stop
start_at "$FDAY" 09:00
check "follow-up: the office's duty phone reminded" wait_until 5 sql_is "SELECT count(*), max(destination), max(intent) FROM outbox WHERE dedup_key = 'followup:$K:$FDAY:13800000999'" "1|13800000999|remind"
check "follow-up: the reminder names the case, the place and the day" sql_is "SELECT instr(body, '回头看') > 0 AND instr(body, '案件$K') > 0 AND instr(body, '寒冻镇小卖部') > 0 AND instr(body, substr('$FDAY', 6)) > 0 AND length(body) <= 70 FROM outbox WHERE dedup_key LIKE 'followup:$K:%'" 1
check "follow-up: audited" sql_is "SELECT count(*) FROM events WHERE action = 'case.followup' AND detail = 'case=$K followup=$FDAY phones=1'" 1
check "follow-up: logged" log_has "case=$K followup=$FDAY"
check "follow-up: a closed case is not reminded" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'followup:$K2:%'" 0
check "follow-up: no reporter number" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'followup:%' AND body LIKE '%1390000000%'" 0
stop
start_at "$(cal next "$FDAY")" 10:00
check "follow-up: once, not again the day after" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'followup:%'" 1

# The tip without a code is routed by its id, as its notice says, and
# its office is told of it by that name.
NOCODE=$(sql "SELECT id FROM tips WHERE code IS NULL")
ctl tip route "ID$NOCODE" --township 411724101 >"$T/out" 2>&1
check "no code: routed as ID<n>" grep -q "^tip ID$NOCODE routed to 411724101" "$T/out"
check "no code: routed in the ledger" sql_is "SELECT state, township_code FROM tips WHERE id = $NOCODE" "routed|411724101"
check "no code: the office told of ID<n>" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE tip_id = $NOCODE AND intent = 'alert' AND body LIKE '%ID$NOCODE%'" 1
ctl tip route "ID${NOCODE}0" --township 411724101 >"$T/out" 2>&1
check "no code: an id that is not one is refused" grep -q "no tip ID${NOCODE}0" "$T/out"
stop
check "exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]
finish
