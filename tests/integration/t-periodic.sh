#!/bin/sh
# The campaign's periodic work, on a clock moved to the 22nd of a
# quarter's last month (TIPGW_TEST_TIME_SHIFT): a reward notified long
# ago and never claimed expires (audited, by tipgwd); the quarter's
# report is e-mailed to each report_email address once, and not again
# after a restart. The tip comes in on the 10th of that month, so that
# both days are in one quarter whatever the day of the run.
. "$top_srcdir/tests/integration/lib.sh"

# The last month of the quarter after the present one, found once.
MONTH=$("$PYTHON3" -c '
import datetime
now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
month = ((now.month - 1) // 3 + 2) * 3
print("%04d-%02d" % (now.year + (month - 1) // 12, (month - 1) % 12 + 1))')
# shift_to DAY: the shift to DAY 10:00 China time of that month.
shift_to() { clock_at "$MONTH-$1" 10:00; }

sink_start
write_config "quiet_hours = none
smtp_url = smtp://127.0.0.1:$(cat "$SINK/smtp.port")
smtp_from = tipgw@localhost
smtp_starttls = never
report_email = county@example.org, city@example.org
report_days_before = 5"
CTL="$TIPGWCTL -f $T/tipgw.conf"
demo_county
TIPGW_TEST_TIME_SHIFT=$(shift_to 10)
export TIPGW_TEST_TIME_SHIFT
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村小卖部卖过期奶粉" --from +8613900000051
check "a tip" wait_until 10 sql_is "SELECT count(*) FROM tips" 1
kill -TERM "$PID"
wait_exit 10
A=$(sql "SELECT code FROM tips")
ctl case open "$A" >/dev/null
ctl case outcome 1 --finding '销售过期乳粉' --penalty 2000 >/dev/null
ctl reward approve 1 >/dev/null
check "notified" sql_is "SELECT state FROM rewards WHERE id = 1" notified
# Told in January; 30 working days to claim went by long ago.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE rewards SET updated_at = '2026-01-05T02:00:00Z'")
db.commit()
PY
TIPGW_TEST_TIME_SHIFT=$(shift_to 22)
start_daemon
check "daemon on the 22nd" wait_until 10 health_is modems.0.state ready
check "the unclaimed reward expired" wait_until 10 sql_is "SELECT state FROM rewards WHERE id = 1" expired
check "audited by tipgwd with why" sql_is "SELECT actor, detail LIKE '%state=notified->expired%not claimed%' FROM events WHERE action = 'reward.expire'" "tipgwd|1"
check "the quarter's report queued to both addresses" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE intent = 'report' AND channel = 'email' AND body LIKE 'Subject: 食品安全举报季度报表 %'" 2
check "its figures: the tip, the case, the penalty" sql_is "SELECT count(*) FROM outbox WHERE intent = 'report' AND body LIKE '%411724101,寒冻镇,1,%' AND body LIKE '%,2000,%'" 2
check "sent to the mail server" wait_until 20 sql_is "SELECT count(*) FROM outbox WHERE intent = 'report' AND state = 'sent'" 2
check "logged" log_has "the quarter's report queued to 2 address"
kill -TERM "$PID"
wait_exit 10
start_daemon
check "again on the 22nd" wait_until 10 health_is modems.0.state ready
sleep 2		# a negative: the timer's first pass has run
check "not queued twice" sql_is "SELECT count(*) FROM outbox WHERE intent = 'report'" 2
kill -TERM "$PID"
wait_exit 10
unset TIPGW_TEST_TIME_SHIFT
sed -i 's/^report_email = .*/report_email = nobody/' "$T/tipgw.conf"
"$TIPGWD" -n -f "$T/tipgw.conf" >"$T/check" 2>&1
check "a bad address is refused by tipgwd -n" grep -q "report_email: bad address 'nobody'" "$T/check"
finish
