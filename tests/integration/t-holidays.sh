#!/bin/sh
# A holiday calendar that runs out does not do so silently, and the next
# year comes from the State Council's notice as published. On a clock
# moved to 2026-11-20 (41 days before the shipped calendar ends):
# tipgwd warns in its log and on /healthz, and e-mails the coordinator
# once; tipgwctl holidays list says how far it reaches; holidays import
# refuses a misread notice whole, shows a --dry-run without writing,
# and writes an audited year that tipgwd counts on without a restart.
# The calendar is the shipped file's 2026 alone, so that the test holds
# once the real 2027 is added to it.
. "$top_srcdir/tests/integration/lib.sh"

grep -E '^(#|2026-)' "$top_srcdir/contrib/holidays-cn.txt" >"$T/holidays.txt"
write_config "coordinator_email = coordinator@example.org
quiet_hours = none
verify_days = 30
holidays = $T/holidays.txt"
demo_county
TIPGW_TEST_TIME_SHIFT=$("$PYTHON3" -c '
import datetime, time
cst = datetime.timezone(datetime.timedelta(hours=8))
at = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=cst)
print(int(at.timestamp() - time.time()))')
TIPGW_TEST_REMIND_INTERVAL=1
export TIPGW_TEST_TIME_SHIFT TIPGW_TEST_REMIND_INTERVAL
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
check "logged: the calendar ends, import 2027" wait_until 10 log_has "the holiday calendar ends 2026-12-31; deadlines from 2027 on count weekends only"
check "/healthz: calendar not ok" health_is calendar.ok False
check "/healthz: until 2026-12-31" health_is calendar.until 2026-12-31
warning_names() { json "$T/body" calendar.warning | grep -q "$1"; }
check "/healthz: the warning names the year" warning_names "notice for 2027 (tipgwctl holidays import FILE)"
check "the coordinator e-mailed once" wait_until 10 sql_is "SELECT count(*), min(destination), min(body LIKE 'Subject: tipgw：节假日安排待更新（2027年）%') FROM outbox WHERE dedup_key = 'holidays:2027:email'" "1|coordinator@example.org|1"
sleep 2
check "once: not again on the next passes" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'holidays:%'" 1
check "no SMS to anyone about it" sql_is "SELECT count(*) FROM outbox WHERE channel = 'sms' AND body LIKE '%节假日%'" 0

ctl holidays list >"$T/list"
check "list: 2026 from the file" grep -q "^2026 file     33 days off, 6 make-up working days" "$T/list"
check "list: ends soon" grep -q "warning: the calendar ends soon: until 2026-12-31 (41 days from today)" "$T/list"

# A made-up 2027 notice in the published form (test data, not the real
# notice): the title gives the year.
cat >"$T/notice.txt" <<'TXT'
国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（周五）至11日（周四）放假调休，共7天。2月13日（周六）上班。
国务院办公厅
2026年11月10日
TXT
sed 's/2月13日（周六）上班/2月15日（周一）上班/' "$T/notice.txt" >"$T/bad.txt"
if ctl holidays import "$T/bad.txt" >"$T/out" 2>"$T/err"; then rc=0; else rc=$?; fi
check "a 上班 on a Monday: refused" test "$rc" = 1
check "refused naming the clause" grep -q '"2月15日上班": 上班 names a weekday' "$T/err"
check "refused: nothing written" sql_is "SELECT count(*) FROM holidays" 0
if ctl holidays import "$T/none.txt" >"$T/out" 2>"$T/err"; then rc=0; else rc=$?; fi
check "a missing file: refused, saying so" sh -c "test $rc = 1 && grep -q 'none.txt: No such file' '$T/err'"
# Deadlines count on it. A tip received on Friday 2026-11-20 is to be
# verified in 30 working days: the 30th is Friday 2027-01-01 when 2027
# is counted by weekends, Monday 2027-01-04 after its 元旦 is imported.
inject "寒冻镇小卖部卖过期牛奶" --from +8613900000001
check "a tip routed" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE state = 'routed'" 1
check "received on the shifted day" sql_is "SELECT substr(received_at, 1, 10) FROM tips" 2026-11-20
check "its verification due 2027-01-01 on weekends alone" sh -c "$TIPGWCTL -f $T/tipgw.conf deadlines | grep -q ' 2027-01-01 '"
ctl holidays import --dry-run "$T/notice.txt" >"$T/out"
check "dry run: the days shown" grep -q "^2027-02-13 workday 春节$" "$T/out"
check "dry run: said so" grep -q "read 2027: 10 days off, 1 make-up working days (--dry-run" "$T/out"
check "dry run: nothing written" sql_is "SELECT count(*) FROM holidays" 0
ctl holidays import "$T/notice.txt" >"$T/out"
check "imported" grep -q "imported 2027: 10 days off, 1 make-up working days" "$T/out"
check "in the ledger" sql_is "SELECT count(*), sum(kind = 'workday'), min(day), max(day) FROM holidays WHERE year = 2027" "11|1|2027-01-01|2027-02-13"
check "audited with who and what" sql_is "SELECT actor != '', detail LIKE 'year=2027 holidays=10 workdays=1 source=%notice.txt' FROM events WHERE action = 'holidays.import'" "1|1"
check "tipgwd takes it up without a restart" wait_until 10 health_is calendar.until 2027-12-31
check "/healthz: ok now" health_is calendar.ok True
check "logged: read again" log_has "holiday calendar read again"
ctl holidays list >"$T/list"
check "list: 2027 from the ledger" grep -q "^2027 ledger   10 days off, 1 make-up working days" "$T/list"
check "list: known until the end of 2027" grep -q "^known: until 2027-12-31" "$T/list"
check "deadlines count the imported 元旦: due 2027-01-04" sh -c "$TIPGWCTL -f $T/tipgw.conf deadlines | grep -q ' 2027-01-04 '"
# A corrected notice imported right after the first, with one day
# fewer: tipgwd reads it again too.
sed 's/至11日（周四）放假调休，共7天/至10日（周三）放假调休，共6天/' "$T/notice.txt" >"$T/notice2.txt"
ctl holidays import "$T/notice2.txt" >/dev/null
check "a corrected year replaces the first at once" sql_is "SELECT count(*) FROM holidays WHERE year = 2027" 10
check "tipgwd reads the correction too" wait_until 10 sh -c "[ \$(grep -c 'holiday calendar read again' '$LOG') -ge 2 ]"
ctl holidays list --year 2027 >"$T/list"
check "list --year: the days" sh -c "head -1 '$T/list' | grep -q '^2027-01-01 holiday$' && grep -c . '$T/list' | grep -qx 10"

kill -TERM "$PID"
wait_exit 10
ctl holidays import "$T/notice.txt" >/dev/null
check "a notice for the same year replaces it" sql_is "SELECT count(*) FROM holidays WHERE year = 2027" 11
check "each import audited" sql_is "SELECT count(*) FROM events WHERE action = 'holidays.import'" 3
finish
