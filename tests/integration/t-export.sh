#!/bin/sh
# The 12315 hand-off: a tip's work-order number (tip set), and export
# 12315: CSV in UTF-8 with a BOM, the registration fields, a cell with
# commas and quotes quoted, a formula defused; no reporter's number
# unless --reveal with a reason, each shown number audited, a file with
# numbers 0600.
. "$top_srcdir/tests/integration/lib.sh"

write_config "quiet_hours = none"
CTL="$TIPGWCTL -f $T/tipgw.conf"
demo_county
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村小卖部卖过期奶粉，生产日期\"2024\"" --from +8613900000031
inject "=HYPERLINK(\"x\") 寒冻镇红花村超市卖假酒" --from +8613900000032
check "two tips" wait_until 10 sql_is "SELECT count(*) FROM tips" 2
kill -TERM "$PID"
wait_exit 10
A=$(sql "SELECT code FROM tips WHERE id = 1")

check "tip set: the 12315 work order" sh -c "$CTL tip set $A --order-12315 S20261206-0001 | grep -q '12315 work order'"
check "kept and audited" sql_is "SELECT t.order_12315, e.actor LIKE 'tipgwctl:%' FROM tips t JOIN events e ON e.tip_id = t.id AND e.action = 'tip.order_12315' WHERE t.id = 1" "S20261206-0001|1"
check "a bad number is refused" sh -c "! $CTL tip set $A --order-12315 'x y' 2>/dev/null"
check "an unknown tip is refused" sh -c "! $CTL tip set NOSUCH --order-12315 1 2>/dev/null"

ctl export 12315 >"$T/plain.csv" 2>"$T/err"
check "export: the BOM and the header" sh -c "head -c 3 '$T/plain.csv' | od -An -tx1 | grep -q 'ef bb bf' && head -n 1 '$T/plain.csv' | grep -q '登记编号,12315工单号,接收时间'"
check "export: both tips, CRLF lines" sh -c "[ \$(wc -l <'$T/plain.csv') = 3 ] && [ \$(tr -cd '\r' <'$T/plain.csv' | wc -c) = 3 ] && grep -q '2 tip(s) exported' '$T/err'"
check "export: the work order and the office" grep -q "^$A,S20261206-0001,.*,短信,,寒冻镇.*,过期,.*,寒冻所," "$T/plain.csv"
check "export: quotes doubled in a quoted cell" grep -q '"寒冻镇固城村小卖部卖过期奶粉，生产日期""2024"""' "$T/plain.csv"
check "export: a formula defused" grep -q "\"'=HYPERLINK" "$T/plain.csv"
check "export: no reporter's number" sh -c "! grep -q 1390000003 '$T/plain.csv'"
check "export --reveal needs a reason" sh -c "! $CTL export 12315 --reveal >/dev/null 2>&1"
$CTL export 12315 --reveal --reason '按规定向12315平台登记' --output "$T/full.csv" 2>"$T/err2"
check "export --reveal: the numbers" sh -c "grep -q '+8613900000031' '$T/full.csv' && grep -q 'with the reporters' '$T/err2'"
check "export --reveal: the file is 0600" sh -c "[ \"\$(stat -c %a '$T/full.csv')\" = 600 ]"
check "export --reveal: each number audited, with the reason" sql_is "SELECT count(*) FROM events WHERE action = 'tip.revealed' AND detail = 'reason=按规定向12315平台登记'" 2
check "export --reveal: the export audited" sql_is "SELECT count(*) FROM events WHERE action = 'export.revealed'" 1
check "export --since the future: the header alone" sh -c "[ \$($CTL export 12315 --since 2100-01-01 2>/dev/null | grep -c .) = 1 ]"
check "a bad date is refused" sh -c "! $CTL export 12315 --since yesterday 2>/dev/null"
finish
