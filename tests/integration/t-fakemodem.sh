#!/bin/sh
# The real AT path: libGammu's AT driver talks to tests/fakemodem.py on a
# pseudo-terminal. Messages (Chinese, concatenated) come in once and are
# deleted; a sent message gets the modem's own reference and its delivery
# report is matched; a call is recorded and hung up. Then the modem stops
# answering, answers garbage, vanishes and comes back: the daemon resets
# the connection, logs each state change, and loses and doubles nothing.
. "$top_srcdir/tests/integration/lib.sh"

fakemodem_start
: > "$T/gammu.log"
chmod 644 "$T/gammu.log"
write_config "health_interval = 5s
stall_timeout = 10s" "[gammu]
device = $T/tty
connection = at
model = at
logfile = $T/gammu.log"
start_daemon
sleep 1
kill -0 "$PID" 2>/dev/null || { show_log; echo "Bail out! tipgwd did not start"; exit 99; }
check "AT modem ready" wait_until 20 health_is modems.0.state ready
check "identity read" health_is modems.0.imei 351234567890123
check "IMSI read" health_is modems.0.imsi 460001234567890
check "signal read (CSQ 23)" wait_until 10 health_is modems.0.signal_percent 69
check "registered on the home network" wait_until 10 health_is modems.0.network home
check "state change logged" log_has 'modem=gammu state=connecting->ready'
check "libGammu's logfile made 0600" [ "$(stat -c %a "$T/gammu.log")" = 600 ]
check "and its clear numbers warned about" log_has "libGammu's logfile .* records reporters' numbers and messages in clear"

# Intake over AT: a UCS-2 message and a 3-part one, each once.
LONG=$("$PYTHON3" -c 'print("寒冻镇固城村集上有人卖病死猪肉，" * 10, end="")')
fm deliver +8613900000001 寒冻镇固城村小卖部卖过期牛奶
fm deliver +8613900000002 "$LONG"
check "messages stored" wait_until 15 sql_is "SELECT count(*) FROM raw_messages" 2
check "Chinese text exact" sql_is "SELECT count(*) FROM raw_messages WHERE text = '寒冻镇固城村小卖部卖过期牛奶'" 1
check "3-part message whole" sql_is "SELECT parts_total, parts_present, text = '$LONG' FROM raw_messages WHERE sender = '+8613900000002'" "3|3|1"
check "all 4 parts deleted from the SIM" wait_until 10 sh -c "[ \$(grep -c DELETED '$FM_LOG') = 4 ]"

# Sending: the modem's own reference, and the delivery report matched.
"$TIPGWCTL" -f "$T/tipgw.conf" send +8613800000009 "测试：调制解调器正常" >/dev/null
check "sent through the modem" wait_until 20 fm_has 'SENT mr=[0-9]* to=+8613800000009 udh=- text=测试：调制解调器正常'
mr=$(sed -n 's/.*SENT mr=\([0-9]*\) to=+8613800000009.*/\1/p' "$FM_LOG" | tail -n 1)
check "reference recorded" wait_until 10 sql_is "SELECT reference, delivery FROM sms_sent WHERE recipient = '+8613800000009'" "$mr|pending"
fm status-report "$mr" +8613800000009
check "delivery report matched" wait_until 15 sql_is "SELECT delivery FROM sms_sent WHERE recipient = '+8613800000009'" delivered
check "report deleted from the SIM" wait_until 10 sh -c "[ \$(grep -c DELETED '$FM_LOG') = 5 ]"

# A message of two parts: each part has its reference and its report;
# the message is delivered when both are.
TWO=$("$PYTHON3" -c 'print("测试长短信：" + "寒冻镇固城村小卖部卖过期牛奶" * 6, end="")')
"$TIPGWCTL" -f "$T/tipgw.conf" send +8613800000010 "$TWO" >/dev/null
check "two parts sent" wait_until 20 sh -c "[ \$(grep -c 'SENT mr=[0-9]* to=+8613800000010' '$FM_LOG') = 2 ]"
mr1=$(sed -n 's/.*SENT mr=\([0-9]*\) to=+8613800000010.*/\1/p' "$FM_LOG" | head -n 1)
mr2=$(sed -n 's/.*SENT mr=\([0-9]*\) to=+8613800000010.*/\1/p' "$FM_LOG" | tail -n 1)
check "both references recorded" wait_until 10 sql_is "SELECT group_concat(p.reference, ',') FROM sms_sent_parts p JOIN sms_sent s ON s.id = p.sent_id WHERE s.recipient = '+8613800000010' ORDER BY p.part" "$mr1,$mr2"
fm status-report "$mr1" +8613800000010
check "the first part's report matched" wait_until 15 sql_is "SELECT p.delivery FROM sms_sent_parts p JOIN sms_sent s ON s.id = p.sent_id WHERE s.recipient = '+8613800000010' AND p.part = 1" delivered
check "one part delivered: the message is still pending" sql_is "SELECT delivery FROM sms_sent WHERE recipient = '+8613800000010'" pending
fm status-report "$mr2" +8613800000010
check "both delivered: the message is delivered" wait_until 15 sql_is "SELECT delivery FROM sms_sent WHERE recipient = '+8613800000010'" delivered

# A call: recorded, hung up.
fm ring +8613900000003
rang=$(date +%s)
check "call recorded" wait_until 15 sql_is "SELECT count(*), hung_up FROM calls WHERE caller = '+8613900000003'" "1|1"
check "call hung up" wait_until 5 fm_has HANGUP
check "call: the caller is told how to text a tip" wait_until 20 fm_has 'SENT mr=[0-9]* to=+8613900000003 udh=- text=您好，本号码接收食品安全举报短信'
# RINGs from one number within 30 s are one call (modem_sms.c): the
# second call comes after that.
wait_until 40 sh -c "[ \$(date +%s) -gt $((rang + 31)) ]"
fm ring +8613900000003
check "second call recorded" wait_until 15 sql_is "SELECT count(*) FROM calls WHERE caller = '+8613900000003'" 2
check "second call: no how-to, said why" wait_until 10 log_has "no how-to SMS (one went to this number within a day)"
check "second call: no second how-to the same day" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000003' AND dedup_key LIKE 'howto:%'" 1
"$TIPGWCTL" -f "$T/tipgw.conf" calls >"$T/calls"
check "calls: two to call back, masked" sh -c "[ \$(grep -c '+86139\*\*\*\*0003 *missed' '$T/calls') = 2 ] && ! grep -q 13900000003 '$T/calls'"
"$TIPGWCTL" -f "$T/tipgw.conf" calls --reveal >"$T/calls"
check "calls --reveal: the number to call" grep -q '+8613900000003 *missed' "$T/calls"
check "calls --reveal: audited" sql_is "SELECT count(*) FROM events WHERE action = 'calls.revealed'" 1
id=$(sql "SELECT min(id) FROM calls")
"$TIPGWCTL" -f "$T/tipgw.conf" calls done "$id" --note "called back, will text" >"$T/calls"
check "calls done" grep -q "^call $id called back" "$T/calls"
check "calls done: one left" sh -c "[ \$('$TIPGWCTL' -f '$T/tipgw.conf' calls | grep -c missed) = 1 ]"
check "calls done: audited" sql_is "SELECT count(*) FROM events WHERE action = 'call.handled' AND detail = 'call=$id note=called back, will text'" 1

# The modem stops answering the inbox listing: reset after stall_timeout.
fm fault silent-on AT+CMGL
fm deliver +8613900000004 "大林镇集上卖注水牛肉"
check "silent modem: stall recorded" wait_until 40 sql_is "SELECT count(*) >= 1 FROM events WHERE action = 'modem.stall'" 1
check "silent modem: connection reset" wait_until 10 log_has 'state=ready->backoff'
fm fault clear
check "silent modem: back" wait_until 40 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000004'" 1
check "silent modem: ready again" wait_until 10 health_is modems.0.state ready

# Garbage in answer to the signal query: recovers.
fm fault garbage-on AT+CSQ
fm deliver +8613900000005 "兰青乡卖假老干妈"
check "garbage: message still comes in" wait_until 40 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000005'" 1
fm fault clear

# The device vanishes (USB unplugged) and comes back.
http_get /healthz >/dev/null
connects=$(json "$T/body" modems.0.connects)
fm vanish
check "vanished: not ready" wait_until 40 sh -c "! health_is modems.0.state ready"
fm deliver +8613900000006 "熊寨镇超市卖三无辣条"
sleep 3
fm appear
check "reappeared: ready again" wait_until 60 health_is modems.0.state ready
check "reappeared: a new connection" [ "$(json "$T/body" modems.0.connects)" -gt "$connects" ]
check "no descriptor leaked by the failed connects" [ "$(ls -l /proc/$PID/fd 2>/dev/null | grep -c gammu.log)" -le 1 ]
check "reappeared: the message waiting on it comes in" wait_until 30 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000006'" 1

check "nothing lost, nothing twice" sql_is "SELECT count(*), count(DISTINCT dedup_key) FROM raw_messages WHERE sender LIKE '+86139%'" "5|5"
check "no reconnect storm while it was gone" sh -c "[ \$(grep -c 'state=backoff->connecting' '$LOG') -lt 12 ]"
check "the SIM is empty" wait_until 10 sh -c "[ \$(grep -c DELETED '$FM_LOG') -ge 8 ]"
check "every state change logged" sh -c "grep -q 'state=backoff->connecting' '$LOG' && grep -q 'state=connecting->ready' '$LOG'"
kill -TERM "$PID"
check "stops cleanly" wait_exit 10
finish
