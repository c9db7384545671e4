#!/bin/sh
# The web UI in Debian's chromium, driven by playwright-core from npm
# (tests/browser/package-lock.json; contrib/quickstart check installs
# it): sign in, filter the queue, open a tip, route it, reveal its
# reporter, enter a hotline tip, see a chart; confirm a case, record its
# outcome, approve the reward, read the quarter's report; an office's
# user sees its township only and no coordinator's action. Screenshots are kept in
# tests/browser/artefacts of the build tree. Skipped without node,
# chromium or playwright-core (a distcheck's tree has no node_modules).
. "$top_srcdir/tests/integration/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
MODULES=${TIPGW_NODE_MODULES:-$top_srcdir/tests/browser/node_modules}
if ! command -v node >/dev/null 2>&1 || [ ! -x "$CHROMIUM" ] ||
    [ ! -d "$MODULES/playwright-core" ]; then
	# TAP: a plan of none, with the reason, is the whole file skipped.
	echo "1..0 # SKIP node, $CHROMIUM or playwright-core is missing" \
	    "(contrib/quickstart check installs them)"
	exit 0
fi
ARTEFACTS=${TIPGW_ARTEFACTS:-$(pwd)/tests/browser/artefacts}
mkdir -p "$ARTEFACTS"

write_config "quiet_hours = none"
demo_county
ctl office add "袁寨所" --township 411724108 --phone 13800000888 >/dev/null
ctl user add coord --role coordinator | tail -n 1 >"$T/coord.token"
ctl user add office1 --role office --township 411724101 |
    tail -n 1 >"$T/office1.token"
ctl user add hotline1 --role hotline | tail -n 1 >"$T/hotline1.token"
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村东头小卖部卖过期奶粉" --from +8613900000001
inject "袁寨乡小卖部卖假酒" --from +8613900000002
inject "兰青乡胡冲村小卖部卖变质猪肉" --from +8613900000003
inject "寒冻镇有人卖<img src=x onerror=alert(1)>三无辣条" --from +8613900000004
check "four tips" wait_until 15 sql_is "SELECT count(*) FROM tips" 4
inject "固城村小卖部的奶粉过期了 寒冻镇" --from +8613900000005
check "a fifth, on the first one's shop" wait_until 15 sql_is "SELECT count(*) FROM tips" 5
ctl case list >/dev/null 2>&1
check "proposed as one case" sql_is "SELECT count(*) FROM cases WHERE state = 'proposed'" 1
# One of them long overdue: its clock started in January.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE tips SET clock_from = '2026-01-05T01:00:00Z', "
           "received_at = '2026-01-05T01:00:00Z' "
           "WHERE township_code = '411724108'")
db.commit()
PY

node "$top_srcdir/tests/browser/ui.test.js" "$MODULES" "$CHROMIUM" \
    "http://127.0.0.1:$PORT" "$T" "$ARTEFACTS" >"$T/ui.tap" 2>&1
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) echo "# $line" ;;
	esac
done <"$T/ui.tap"
check "the browser checks ran to the end" grep -q '^ok - the end$' "$T/ui.tap"
check "the route is audited with the coordinator" sql_is "SELECT count(*) FROM events WHERE action = 'tip.reroute' AND actor = 'api:coord'" 1
check "the hotline tip is in the ledger" sql_is "SELECT count(*) FROM tips WHERE channel = 'hotline' AND created_by = 'hotline1'" 1
check "screenshots kept" test -s "$ARTEFACTS/queue.png"
kill -TERM "$PID"
wait_exit 10
finish
