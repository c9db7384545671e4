#!/bin/sh
# The campaign's routes of /api/v1 (api_campaign.py): cases, rewards and
# reports, for a coordinator or an admin; an office's or a hotline
# operator's token is refused. tipgwd proposes the case itself. An
# anonymous caller's approved reward is claimed by SMS with the code
# and PIN alone.
. "$top_srcdir/tests/integration/lib.sh"

write_config "quiet_hours = none
reward_rules = national-2021 local-food"
demo_county
clock_pin 15 10:00	# the quarter's report: all its tips in one quarter
for u in "admin admin" "coord coordinator" "hotline1 hotline"; do
	set -- $u
	ctl user add "$1" --role "$2" | tail -n 1 >"$T/$1.token"
done
ctl user add office1 --role office --township 411724101 | tail -n 1 \
    >"$T/office1.token"
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村小卖部卖过期奶粉" --from +8613900000061
check "A" wait_until 10 sql_is "SELECT count(*) FROM tips" 1
inject "固城村小卖部的奶粉过期了 寒冻镇" --from +8613900000062
check "B" wait_until 10 sql_is "SELECT count(*) FROM tips" 2
inject "袁寨乡小卖部卖假酒" --from +8613900000063
check "C" wait_until 10 sql_is "SELECT count(*) FROM tips" 3
kill -TERM "$PID"
wait_exit 10
start_daemon	# its first pass proposes the case
check "daemon again" wait_until 10 health_is modems.0.state ready
check "tipgwd proposed the case" wait_until 10 sql_is "SELECT count(*) FROM cases WHERE state = 'proposed'" 1
A=$(sql "SELECT code FROM tips WHERE id = 1")
B=$(sql "SELECT code FROM tips WHERE id = 2")
C=$(sql "SELECT code FROM tips WHERE id = 3")
Q=$CLOCK_QUARTER
"$PYTHON3" "$top_srcdir/tests/integration/api_campaign.py" "$PORT" "$T" \
    "$A" "$B" "$C" "$Q" "$top_srcdir/contrib/sms-inject" >"$T/api.tap" 2>&1
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) echo "# $line" ;;
	esac
done <"$T/api.tap"
check "the checks ran to the end" grep -q '^ok - the end$' "$T/api.tap"
check "the claim SMS queued by the API's approval" sql_is "SELECT count(*) FROM outbox WHERE intent = 'reward' AND destination = '+8613900000061'" 1
check "every change audited with its API user" sql_is "SELECT count(*) FROM events WHERE (action LIKE 'case.%' OR action LIKE 'reward.%') AND actor NOT IN ('api:coord', 'api:admin', 'tipgwd', 'reporter')" 0
check "the anonymous claim is the reporter's, never a number" sql_is "SELECT count(*) FROM events WHERE action = 'reward.claim' AND actor = 'reporter' AND detail LIKE '%approved->claimed%'" 1
kill -TERM "$PID"
wait_exit 10
finish
