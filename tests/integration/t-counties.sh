#!/bin/sh
# Several counties in one ledger, with their names (areas.csv): a place
# two counties share (罗岗, a village of 正阳县 and of 怀集县) is routed
# within the county a message names, by its name or without its 县; left
# for the coordinator when none is named, or when the county named does
# not have it.
. "$top_srcdir/tests/integration/lib.sh"

write_config "quiet_hours = none
inbound_limit = 0"
mkdir -p "$T/phone/sms/1"
ctl gazetteer import --areas "$top_srcdir/tests/corpus/areas.csv" \
    --streets "$top_srcdir/contrib/demo/streets.csv" \
    --villages "$top_srcdir/contrib/demo/villages.csv" >"$T/out" 2>&1
check "import: the county's name with it" grep -q '^imported 1 county name$' "$T/out"
ctl gazetteer import --areas "$top_srcdir/tests/corpus/areas.csv" \
    --streets "$top_srcdir/tests/corpus/gazetteer-441224-streets.csv" \
    --villages "$top_srcdir/tests/corpus/gazetteer-441224-villages.csv" \
    --county 441224 >"$T/out" 2>&1
check "import: a second county beside it" grep -q '^imported 19 townships and 326 villages .* the ledger has 39 townships and 623 villages$' "$T/out"
check "import: only the counties selected" sql_is "SELECT group_concat(name, ',') FROM (SELECT name FROM counties ORDER BY code)" "正阳县,怀集县"
ctl office add "寒冻所" --township 411724101 --phone 13800000999 >/dev/null
ctl office add "凤岗所" --township 441224106 --phone 13800000888 >/dev/null
start_daemon
check "starts" wait_until 20 health_is modems.0.state ready

inject "罗岗村小卖部卖过期牛奶" --from +8613900000001
inject "正阳县罗岗村小卖部卖过期面包" --from +8613900000002
inject "怀集罗岗村有间士多卖假酒" --from +8613900000003
inject "怀集县真阳街道卖病死猪肉" --from +8613900000004
check "all read" wait_until 20 sql_is "SELECT count(*) FROM tips" 4
township() {
	sql "SELECT coalesce(t.township_code, '-') || '|' || coalesce(t.village_code, '-') FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '$1'"
}
check "no county named: both counties' 罗岗, so asked" [ "$(township +8613900000001)" = "-|-" ]
check "正阳县罗岗村: 正阳县's" [ "$(township +8613900000002)" = "411724101|411724101203" ]
check "怀集罗岗村 (no 县): 怀集县's" [ "$(township +8613900000003)" = "441224106|441224106203" ]
check "怀集县真阳街道: 怀集县 has none; not 正阳县's" [ "$(township +8613900000004)" = "-|-" ]
kill -TERM "$PID"
check "stops cleanly" wait_exit 10
finish
