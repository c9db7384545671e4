#!/bin/sh
# Several modems: each Gammu section gets its own worker, all feed the
# same ledger, and one missing modem does not hold up the others.
. "$top_srcdir/tests/integration/lib.sh"

mkdir -p "$T/phone2/sms/1"
write_config "coordinator_phone = +8613700000000
modem_down_alert = 3s
quiet_hours = none" "[gammu]
device = $T/phone
model = dummy
connection = none

[gammu1]
device = $T/phone2
model = dummy
connection = none

[gammu2]
device = $T/no-such-tty
connection = at"
inject "第一个调制解调器：小卖部卖过期牛奶" --from +8613800000001
"$PYTHON3" "$top_srcdir/contrib/sms-inject" --quiet --from +8613800000002 \
    "$T/phone2" "第二个调制解调器：小卖部卖假酒"
start_daemon
check "three modems reported" wait_until 10 health_is modems.2.name gammu2
check "first modem ready" wait_until 10 health_is modems.0.state ready
check "second modem ready" wait_until 10 health_is modems.1.state ready
check "missing third modem backs off" wait_until 10 health_is modems.2.state backoff
check "status degraded while one is down" health_is status degraded
check "both phones emptied" wait_until 10 sh -c "[ -z \"\$(find '$T/phone/sms/1' '$T/phone2/sms/1' -type f)\" ]"
check "each message from its modem" sql_is "SELECT modem || ':' || text FROM raw_messages ORDER BY modem" "gammu:第一个调制解调器：小卖部卖过期牛奶
gammu1:第二个调制解调器：小卖部卖假酒"
check "two tips in one ledger" sql_is "SELECT count(*) FROM tips" 2
check "a modem down: the coordinator is told" wait_until 15 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613700000000' AND intent = 'notice' AND dedup_key LIKE 'notice:modem_down:gammu2:%' AND body LIKE '%短信猫长时间离线%gammu2%'" 1
check "a modem down: the notice goes out through a working modem" wait_until 15 sql_is "SELECT state FROM outbox WHERE dedup_key LIKE 'notice:modem_down:gammu2:%'" sent
check "a modem down: logged" log_has "modem=gammu2 not ready since"
check "a modem down: told once for the episode" sql_is "SELECT count(*) FROM alerts WHERE reason = 'modem_down'" 1
kill -TERM "$PID"
check "stops cleanly" wait_exit 5
finish
