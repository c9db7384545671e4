#!/bin/sh
# The modem fault matrix on the fake AT modem, bounded in time (no test
# waits for libGammu's long timeouts: stall_timeout is 10 s). A send the
# network refuses is retried, and goes when it can; a full SIM raises its
# alarm; a SIM that asks for its PIN is said so; a modem that stops
# answering gets a soft reset and a reopen; one that vanishes and does
# not come back by itself gets the operator's reset command (here, one
# that brings it back) after modem_reset_after failures; the coordinator
# is told once for the episode; /healthz and /metrics count the resets.
. "$top_srcdir/tests/integration/lib.sh"

fakemodem_start
cat >"$T/reset.sh" <<EOF2
#!/bin/sh
env | grep '^TIPGW_' | sort >>"$T/reset.log"
sleep 6		# a power cycle takes a while: longer than modem_down_alert
printf 'appear\n' >"$FM_CTL"
EOF2
chmod +x "$T/reset.sh"
write_config "health_interval = 5s
stall_timeout = 10s
quiet_hours = none
outbox_retry_min = 1s
outbox_retry_max = 2s
coordinator_email = coordinator@example.org
modem_down_alert = 5s
modem_reset_after = 2
modem_reset_command = $T/reset.sh" "[gammu]
device = $T/tty
connection = at
model = at"
start_daemon
check "AT modem ready" wait_until 20 health_is modems.0.state ready
check "no resets yet" health_is modems.0.resets 0

# The network refuses a send: failed, retried, sent once it can.
fm fault error-on AT+CMGS
ctl send +8613800000009 "测试：发送失败后重试" >/dev/null
check "send refused: failed with its error" wait_until 30 sql_is "SELECT state != 'sent', attempts >= 1, last_error IS NOT NULL FROM outbox WHERE destination = '+8613800000009'" "1|1|1"
fm fault clear
check "send refused: sent once the network takes it" wait_until 30 sql_is "SELECT state FROM outbox WHERE destination = '+8613800000009'" sent
check "send refused: sent once, not twice" sh -c "[ \$(grep -c 'SENT mr=[0-9]* to=+8613800000009' '$FM_LOG') = 1 ]"

# A full SIM: the alarm, once.
fm full
check "SIM full: alarm logged" wait_until 20 log_has "alarm=sim_full"
check "SIM full: audited" wait_until 10 sql_is "SELECT count(*) >= 1 FROM events WHERE action = 'modem.sim_full'" 1

# The modem stops answering: a soft reset, then the device reopened.
fm fault silent-on AT+CMGL
check "silent: stall recorded" wait_until 40 sql_is "SELECT count(*) >= 1 FROM events WHERE action = 'modem.stall'" 1
check "silent: reopened and soft-reset" wait_until 40 sql_is "SELECT count(*) >= 1 FROM events WHERE action = 'modem.reset' AND detail = 'step=soft result=done'" 1
fm fault clear
check "silent: ready again after reopening" wait_until 40 health_is modems.0.state ready

# The device vanishes and stays away: after two failed connections the
# reset command runs, with the modem's name and device, and brings it
# back; the coordinator is told once for the episode.
fm vanish
check "vanished: the reset command ran" wait_until 60 test -s "$T/reset.log"
check "the command knew the modem and its device" sh -c "grep -qx 'TIPGW_MODEM=gammu' '$T/reset.log' && grep -qx 'TIPGW_DEVICE=$T/tty' '$T/reset.log'"
check "the command logged with its result" wait_until 10 log_has "modem=gammu reset=command exit=0"
check "audited: after 2 failures, exit 0" wait_until 10 sql_is "SELECT count(*) FROM events WHERE action = 'modem.reset' AND detail = 'step=command after=2 result=exit=0'" 1
check "back: ready again" wait_until 60 health_is modems.0.state ready
check "/healthz counts the resets" sh -c "http_get() { curl -s \"http://127.0.0.1:$PORT/healthz\"; }; [ \$(http_get | '$PYTHON3' -c 'import json,sys; print(json.load(sys.stdin)[\"modems\"][0][\"resets\"])') -ge 2 ]"
check "/metrics too" sh -c "curl -s http://127.0.0.1:$PORT/metrics | grep -q '^tipgw_modem_resets_total{modem=\"gammu\"} [1-9]'"
check "the coordinator told once for the episode" wait_until 10 sql_is "SELECT count(*) FROM alerts WHERE reason = 'modem_down'" 1
check "by e-mail" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'notice:modem_down:gammu:%:email'" 1

# A SIM that asks for its PIN: not ready, and said why.
fm pin on
check "PIN: the reason says so" wait_until 60 sh -c "grep -q 'PIN' '$LOG'"
fm pin off
check "PIN entered: ready again" wait_until 60 health_is modems.0.state ready
kill -TERM "$PID"
check "stops cleanly" wait_exit 10
finish
