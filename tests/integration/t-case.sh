#!/bin/sh
# Cases: two villagers report the same shop, from two numbers, a day
# apart: tipgwctl case list proposes one case, the earlier tip first; a
# tip elsewhere stays out. The coordinator confirms it and records the
# outcome (finding, penalty, 问题台账 measure, deadline and person
# responsible, a referral, the 回头看 date); a proposal is split, and a
# split tip is not proposed again; a case is opened by hand for one tip.
# Every change is one transition of the case table, audited and logged.
. "$top_srcdir/tests/integration/lib.sh"

write_config "quiet_hours = none
case_window = 7d"
CTL="$TIPGWCTL -f $T/tipgw.conf"
demo_county
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村小卖部卖过期奶粉" --from +8613900000011
check "first tip" wait_until 10 sql_is "SELECT count(*) FROM tips" 1
inject "固城村那个小卖部的奶粉过期了，寒冻镇的" --from +8613900000012
check "second tip" wait_until 10 sql_is "SELECT count(*) FROM tips" 2
inject "寒冻镇红花村小卖部卖假酒" --from +8613900000013
check "a tip elsewhere" wait_until 10 sql_is "SELECT count(*) FROM tips" 3
A=$(sql "SELECT code FROM tips WHERE id = 1")
B=$(sql "SELECT code FROM tips WHERE id = 2")
C=$(sql "SELECT code FROM tips WHERE id = 3")
check "the two tips are one target" sql_is "SELECT count(DISTINCT village_code || kind) FROM tips WHERE id IN (1, 2)" 1
kill -TERM "$PID"
wait_exit 10

ctl case list >"$T/out" 2>"$T/err"
# (tipgwd proposes too, on its timer: either may have done it.)
check "case list shows one proposed case" sh -c "grep -c proposed '$T/out' | grep -qx 1"
check "the proposal holds the two tips, the elsewhere tip not" sql_is "SELECT group_concat(id) FROM (SELECT id FROM tips WHERE case_id = 1 ORDER BY id)" "1,2"
check "the list names the earlier tip first" grep -q "first $A " "$T/out"
ctl case list >"$T/out2" 2>"$T/err2"
check "listing again proposes nothing new" sh -c "! grep -q proposed '$T/err2' && [ \$(grep -c . '$T/out2') = 1 ]"
ctl case show 1 >"$T/show"
check "show: the first reporter's tip marked" sh -c "grep -q '^  \\* $A' '$T/show' && grep -q '^    $B' '$T/show'"
check "show: no reporter's number" sh -c "! grep -q 139000000 '$T/show'"
check "an outcome before confirming is refused" sh -c "! $CTL case outcome 1 --finding x 2>'$T/err3' && grep -q 'case 1 is proposed: it cannot be outcome' '$T/err3'"
check "confirm" sh -c "$CTL case confirm 1 | grep -q 'case 1 confirmed'"
check "confirm twice is refused" sh -c "! $CTL case confirm 1 2>/dev/null"
check "outcome" sh -c "$CTL case outcome 1 --finding '销售过期婴幼儿配方乳粉' --penalty 5000 --confiscated 800 --measure '下架销毁，建立进货查验记录' --deadline 2026-12-20 --responsible 王所长 --referral 公安 --followup 2027-01-10 | grep -q 'outcome recorded'"
check "the case is decided, its 台账 fields kept" sql_is "SELECT state, verified, specific, known_before, penalty, confiscated, measure, deadline, responsible, referral, followup FROM cases WHERE id = 1" "decided|1|1|0|5000|800|下架销毁，建立进货查验记录|2026-12-20|王所长|公安|2027-01-10"
$CTL case outcome 1 --level 2 >/dev/null
check "an amendment keeps what it does not name" sql_is "SELECT penalty, level, responsible FROM cases WHERE id = 1" "5000|2|王所长"
ctl case show 1 --json >"$T/json"
check "show --json: the case with its tips" "$PYTHON3" - "$T/json" "$A" "$B" <<'PY'
import json, sys
c = json.loads(open(sys.argv[1], encoding="utf-8").read())
assert c["state"] == "decided" and c["penalty"] == 5000, c
assert [t["code"] for t in c["tips"]] == sys.argv[2:4], c["tips"]
assert "13900000011" not in json.dumps(c, ensure_ascii=False)
PY
for bad in "outcome 1 --penalty -5" "outcome 1 --penalty 5k" "outcome 1 --deadline 2026-13-01" "outcome 1 --level 4" "outcome 1 --finding ''" "show 0" "show abc" "confirm 99" "split 1 NOSUCH"; do
	# shellcheck disable=SC2086
	check "case $bad is refused" sh -c "! eval $CTL case $bad >/dev/null 2>&1"
done
check "an unknown case is said so" sh -c "! $CTL case show 42 2>'$T/err4' && grep -q 'no case 42' '$T/err4'"

# A proposal split: the tip is kept apart, the proposal dissolved.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE tips SET village_code = (SELECT village_code FROM tips WHERE id = 1), kind = 'expired', shop = '小卖部' WHERE id = 3")
db.commit()
PY
ctl case list >/dev/null 2>"$T/err5"
check "a late tip on the same target joins the open case" sh -c "grep -q '1 tip(s) joined' '$T/err5'"
check "the late tip is in case 1" sql_is "SELECT case_id FROM tips WHERE id = 3" 1
check "split it out" sh -c "$CTL case split 1 $C | grep -q 'taken out of case 1'"
check "the split tip is kept apart" sql_is "SELECT case_id IS NULL, case_apart FROM tips WHERE id = 3" "1|1"
ctl case list >/dev/null 2>&1
check "and not proposed again" sql_is "SELECT case_id IS NULL FROM tips WHERE id = 3" 1
check "open a case for one tip" sh -c "$CTL case open $C | grep -q 'opened case 2'"
check "the opened case is confirmed" sql_is "SELECT state FROM cases WHERE id = 2" confirmed
check "close a decided case" sh -c "$CTL case close 1 | grep -q 'case 1 closed'"
check "every change audited" sql_is "SELECT group_concat(action, ' ') FROM (SELECT action FROM events WHERE action LIKE 'case.%' ORDER BY id)" "case.propose case.confirm case.outcome case.outcome case.split case.open case.close"
check "the audit names who" sql_is "SELECT count(*) FROM events WHERE action LIKE 'case.%' AND actor NOT LIKE 'tipgwctl:%' AND actor <> 'tipgwd'" 0
check "a tip's history says its case" sql_is "SELECT detail FROM events WHERE action = 'tip.case' AND tip_id = 2" "case=1"
finish
