#!/bin/sh
# Rewards: two villagers report one shop; the case's outcome decides
# their rewards by the configured rule sets: the first reporter's is
# eligible (the local set's amount for a penalty), the second's is not
# (not the first), nor a first reporter's second tip; an exclusion a
# person confirms decides again; approve (also with an amount set by
# hand), pay only once claimed, revoke with a reason; a major case goes
# to the national set. Every change one transition, audited. The clock
# stands at the middle of this month: the reports count by month,
# quarter and year.
. "$top_srcdir/tests/integration/lib.sh"

write_config "quiet_hours = none
reward_rules = national-2021 local-food"
CTL="$TIPGWCTL -f $T/tipgw.conf"
demo_county
clock_pin 15 10:00
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村小卖部卖过期奶粉" --from +8613900000021
check "A" wait_until 10 sql_is "SELECT count(*) FROM tips" 1
inject "固城村小卖部的奶粉过期了 寒冻镇" --from +8613900000022
check "B" wait_until 10 sql_is "SELECT count(*) FROM tips" 2
inject "寒冻镇红花村超市卖假酒" --from +8613900000023
check "C" wait_until 10 sql_is "SELECT count(*) FROM tips" 3
inject "寒冻镇红花村那个超市还在卖假酒，很多人买" --from +8613900000024
check "D" wait_until 10 sql_is "SELECT count(*) FROM tips" 4
kill -TERM "$PID"
wait_exit 10
A=$(sql "SELECT code FROM tips WHERE id = 1")
B=$(sql "SELECT code FROM tips WHERE id = 2")
C=$(sql "SELECT code FROM tips WHERE id = 3")
D=$(sql "SELECT code FROM tips WHERE id = 4")

ctl case list >/dev/null 2>&1
check "one case of A and B" sql_is "SELECT group_concat(id) FROM tips WHERE case_id = 1" "1,2"
ctl case confirm 1 >/dev/null
check "no reward before the outcome" sql_is "SELECT count(*) FROM rewards" 0
ctl case outcome 1 --finding '销售过期乳粉' --penalty 5000 >"$T/out" 2>&1
check "the outcome decides the rewards" grep -q "case 1: 2 reward(s) decided" "$T/out"
check "the first reporter: eligible, the local set's amount" sql_is "SELECT state, rule_set, amount FROM rewards WHERE tip_id = 1" "eligible|local-food|200"
check "the second: not the first reporter" sql_is "SELECT state, why FROM rewards WHERE tip_id = 2" "ineligible|not the first reporter (by the time received)"
ctl reward list >"$T/list"
check "reward list: both, the first marked" sh -c "grep -q '^1 .*$A .*eligible .*200 yuan .*local-food .*first reporter' '$T/list' && grep -q '^2 .*$B .*ineligible' '$T/list'"
ctl reward list --json --state eligible >"$T/json"
check "reward list --json: no reporter's number" sh -c "grep -q '\"amount\":200' '$T/json' && ! grep -q 139000000 '$T/json' && [ \$(grep -c . '$T/json') = 1 ]"
check "an exclusion decides again" sh -c "$CTL reward flag 1 --staff | grep -q '1 reward(s) decided'"
check "office staff: not eligible" sql_is "SELECT state, why FROM rewards WHERE id = 1" "ineligible|office staff, or a duty to report"
ctl reward flag 1 >/dev/null
check "the exclusion withdrawn: eligible again" sql_is "SELECT state, amount FROM rewards WHERE id = 1" "eligible|200"
check "an amendment to the outcome reconsiders" sh -c "$CTL case outcome 1 --penalty 0 --confiscated 0 | grep -q 'reward(s) decided'"
check "no penalty now: the verified amount" sql_is "SELECT state, amount FROM rewards WHERE id = 1" "eligible|100"
check "pay before the claim is refused" sh -c "! $CTL reward pay 1 2>'$T/err' && grep -q 'reward 1 is eligible: it cannot be pay' '$T/err'"
$CTL reward approve 1 >"$T/approve"
check "approve" grep -q 'reward 1 approved' "$T/approve"
check "approved: the reporter is told how to claim, by SMS" grep -q 'told how to claim it by SMS' "$T/approve"
check "the claim SMS: to the first reporter, with the code, no amount" sql_is "SELECT destination, intent, body LIKE '%领奖 $A 查询码%', body LIKE '%元%' FROM outbox WHERE dedup_key = 'reward:1'" "+8613900000021|reward|1|0"
check "notified" sql_is "SELECT state FROM rewards WHERE id = 1" notified
check "approved, then the outcome changes nothing already approved" sh -c "$CTL case outcome 1 --penalty 9000 >/dev/null && [ \"\$($TIPGWCTL -f $T/tipgw.conf reward list --state notified | grep -c .)\" = 1 ]"
check "approve twice is refused" sh -c "! $CTL reward approve 1 2>/dev/null"

# The claim by SMS: 领奖 CODE PIN, through the daemon.
PIN_A=$(tip_pin "$A")
PIN_B=$(tip_pin "$B")
start_daemon
check "daemon again" wait_until 10 health_is modems.0.state ready
inject "领奖 $A 0000" --from +8613900000021
check "a wrong PIN claims nothing" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE text = '领奖 $A 0000' AND reason = 'query_wrong'" 1
check "... and is told so" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000021' AND body LIKE '%未找到举报$A%'" 1
check "still notified" sql_is "SELECT state FROM rewards WHERE id = 1" notified
inject "领奖 $B $PIN_B" --from +8613900000022
check "the second reporter has nothing to claim" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000022' AND body LIKE '%暂无可领取的奖励%'" 1
inject "领奖 $A $PIN_A" --from +8613900000021
check "领奖 CODE PIN: claimed" wait_until 10 sql_is "SELECT state FROM rewards WHERE id = 1" claimed
check "the claimant is told the next step" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000021' AND body LIKE '%已登记举报$A的领奖申请%'" 1
check "the claim is audited, the reporter never named" sql_is "SELECT actor, detail LIKE '%state=notified->claimed%' FROM events WHERE action = 'reward.claim'" "reporter|1"
check "the log has the claim" log_has "reward=1 state=notified->claimed event=claim actor=reporter"
kill -TERM "$PID"
wait_exit 10
check "pay the claimed reward" sh -c "$CTL reward pay 1 | grep -q 'reward 1 paid'"
check "paid" sql_is "SELECT state FROM rewards WHERE id = 1" paid
check "revoke needs a reason" sh -c "! $CTL reward revoke 1 2>&1 | grep -q revoked"
check "revoke with a reason" sh -c "$CTL reward revoke 1 --reason '举报内容不实' | grep -q 'reward 1 revoked'"
check "revoked: audited with the reason" sql_is "SELECT count(*) FROM events WHERE action = 'reward.revoke' AND detail LIKE '%reason=举报内容不实%' AND actor LIKE 'tipgwctl:%'" 1

# A major case: the national set, level and minimum.
ctl case list >/dev/null 2>&1
check "C and D: one case" sql_is "SELECT group_concat(id) FROM tips WHERE case_id = 2" "3,4"
ctl case confirm 2 >/dev/null
ctl case outcome 2 --finding '销售假冒白酒' --penalty 150000 --confiscated 50000 --referral 公安 --level 2 >/dev/null
check "a major case: national-2021, 3% of ¥200,000" sql_is "SELECT rule_set, level, amount FROM rewards WHERE tip_id = 3" "national-2021|2|6000"
check "approve with an amount set by hand" sh -c "$CTL reward approve 3 --amount 5000 | grep -q '5000 yuan'"
check "the hand-set amount kept, the rule set too" sql_is "SELECT state, rule_set, amount FROM rewards WHERE id = 3" "notified|national-2021|5000"
check "a bad amount is refused" sh -c "! $CTL reward approve 4 --amount 5k 2>/dev/null"

# One reward per person and case: A texts about the shop again.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO tips (code, channel, received_at, updated_at, state, text, reporter_id, township_code, village_code, kind, shop) SELECT 'AGAIN1', 'sms', strftime('%Y-%m-%dT%H:%M:%SZ', received_at, '+1 minute'), strftime('%Y-%m-%dT%H:%M:%SZ', received_at, '+1 minute'), 'routed', '又去看了，还在卖', reporter_id, township_code, village_code, kind, shop FROM tips WHERE id = 1")
db.commit()
PY
ctl case list >/dev/null 2>&1
ctl case outcome 1 --level 3 >/dev/null 2>&1
check "a first reporter's second tip: no second reward" sql_is "SELECT state, why FROM rewards WHERE tip_id = (SELECT id FROM tips WHERE code = 'AGAIN1')" "ineligible|not the first reporter (by the time received)"

# The quarter's report: the tips, the cases, the penalties, the rewards.
Q=$CLOCK_QUARTER
ctl report quarterly --quarter "$Q" --csv >"$T/q.csv"
check "report quarterly --csv: Excel's BOM and header" sh -c "head -c 3 '$T/q.csv' | od -An -tx1 | grep -q 'ef bb bf' && head -n 1 '$T/q.csv' | grep -q '乡镇代码,乡镇,收到举报'"
check "report quarterly --csv: 寒冻镇's row" grep -q "^411724101,寒冻镇,5," "$T/q.csv"
ctl report quarterly --quarter "$Q" --json >"$T/q.json"
check "report quarterly --json: tips, cases, penalties, referral, rewards" "$PYTHON3" - "$T/q.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
t = r["total"]
assert r["period"].endswith(("Q1", "Q2", "Q3", "Q4")), r["period"]
assert t["received"] == 5 and t["cases"] == 2, t
assert t["penalty"] == 159000 and t["confiscated"] == 50000, t
assert t["referrals"] == 1 and t["verified"] == 2, t
assert t["rewards_approved"] == 1 and t["reward_approved_yuan"] == 5000, t
assert t["by_kind"]["expired"] == 3 and t["by_kind"]["counterfeit"] == 2, t
PY
check "report monthly: the same month's figures" sh -c "$CTL report monthly --month $CLOCK_MONTH | grep -q '^411724101,寒冻镇,5,'"
check "report annual" sh -c "$CTL report annual --year $CLOCK_YEAR | grep -q '^,合计,5,'"
check "a bad quarter is refused" sh -c "! $CTL report quarterly --quarter 2026Q5 2>/dev/null"
check "a past quarter: the header and a zero total" sh -c "[ \"\$($CTL report quarterly --quarter 2001Q1 | tail -n 1 | cut -d, -f2,3)\" = '合计,0' ]"
ctl report ledger >"$T/ledger.csv"
ledger_line=$(grep '^"2",' "$T/ledger.csv")
check "report ledger: the 问题台账, one line a case" sh -c "[ \$(grep -c . '$T/ledger.csv') = 3 ]"
check "report ledger: the case's finding, penalty, referral" sh -c 'case "$1" in *销售假冒白酒*150000*50000*公安*) exit 0 ;; esac; exit 1' - "$ledger_line"
check "reports name no reporter" sh -c "! grep -q 1390000002 '$T/q.csv' '$T/q.json' '$T/ledger.csv'"

# The rules: a set the file lacks, a broken file.
sed -i 's/^reward_rules = .*/reward_rules = provincial/' "$T/tipgw.conf"
check "an unknown rule set is named" sh -c "$CTL case outcome 2 --level 1 2>&1 | grep -q \"no rule set 'provincial'\""
printf '[x]\nbasis = percent\nlevel1 = lots\n' >"$T/rules.txt"
sed -i "s|^\[tipgw\]\$|[tipgw]\nreward_rules_file = $T/rules.txt|" "$T/tipgw.conf"
sed -i "s|^reward_rules = .*|reward_rules = x|" "$T/tipgw.conf"
check "a broken rules file: file:line" sh -c "$CTL case outcome 2 --level 1 2>&1 | grep -q 'rules.txt:3: level1: expected'"
n=$(sql "SELECT count(*) FROM events WHERE action LIKE 'reward.%'")
check "every reward change audited ($n events)" test "$n" -ge 10
finish
