#!/bin/sh
# Broadcasts and 你点我检: 订阅 subscribes a number (退订 undoes it); a
# 消费警示 goes to the subscribers with a tip in the chosen townships,
# never with a phone-like number in it; a poll is broadcast, 投票 N by
# SMS counts one vote a number, a bad number or a closed poll is told
# so, poll show counts; every step audited.
. "$top_srcdir/tests/integration/lib.sh"

write_config "quiet_hours = none"
CTL="$TIPGWCTL -f $T/tipgw.conf"
demo_county
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村小卖部卖过期奶粉" --from +8613900000041
inject "袁寨乡小卖部卖假酒" --from +8613900000042
inject "寒冻镇红花村超市卖三无辣条" --from +8613900000043
inject "寒冻镇集市卖病死猪肉" --from +8613900000044
check "four tips" wait_until 15 sql_is "SELECT count(*) FROM tips" 4
inject "订阅" --from +8613900000041
inject "订阅" --from +8613900000042
inject "订阅" --from +8613900000043
check "three subscribe" wait_until 10 sql_is "SELECT count(*) FROM reporters WHERE subscribed_at IS NOT NULL" 3
check "订阅 is answered" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE body LIKE '已订阅%' AND destination = '+8613900000041'" 1
inject "退订" --from +8613900000043
check "退订 ends the subscription" wait_until 10 sql_is "SELECT subscribed_at IS NULL, opted_out_at IS NOT NULL FROM reporters WHERE phone = '+8613900000043'" "1|1"

check "broadcast to 寒冻镇" sh -c "$CTL broadcast --township 411724101 '消费提示：购买乳制品请查看生产日期和保质期。' | grep -q 'queued to 1 subscriber'"
check "to the subscriber with a tip there, not the one who left, not one who never came" sql_is "SELECT group_concat(destination) FROM outbox WHERE intent = 'broadcast'" "+8613900000041"
check "a number in a broadcast is refused" sh -c "! $CTL broadcast --township 411724101 '联系13812345678' 2>&1 | grep -q queued"
check "no township: refused" sh -c "! $CTL broadcast '提示' 2>/dev/null"
check "a bad township: refused" sh -c "! $CTL broadcast --township 4117 '提示' 2>/dev/null"
check "audited" sql_is "SELECT count(*) FROM events WHERE action = 'broadcast.sent' AND detail LIKE '%recipients=1' AND actor LIKE 'tipgwctl:%'" 1

check "a poll is opened and broadcast" sh -c "$CTL poll open '下月抽检哪类食品？' --option 散装白酒 --option 辣条 --township 411724101 --township 411724108 | grep -q 'queued to 2 subscriber'"
check "the poll's SMS says how to vote" sql_is "SELECT count(*) FROM outbox WHERE intent = 'broadcast' AND body LIKE '%\"投票 2\"辣条%'" 2
check "one poll at a time" sh -c "! $CTL poll open '再问' --option 甲 --option 乙 --township 411724101 2>/dev/null"
check "a poll needs two options" sh -c "! $CTL poll open '问' --option 甲 --township 411724101 2>/dev/null"
inject "投票 2" --from +8613900000041
check "a vote is counted" wait_until 10 sql_is "SELECT option FROM poll_votes" 2
check "and answered" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000041' AND body LIKE '已收到您的投票%'" 1
inject "投票 1" --from +8613900000041
check "one vote a number" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000041' AND body LIKE '您已投过票%'" 1
check "the first vote stands" sql_is "SELECT count(*), min(option) FROM poll_votes" "1|2"
inject "投票 5" --from +8613900000042
check "a number not offered is told how" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000042' AND body LIKE '请回复%投票%'" 1
inject "tp 1" --from +8613900000044
check "anyone may vote, once" wait_until 10 sql_is "SELECT count(*) FROM poll_votes" 2
$CTL poll show 1 >"$T/show"
check "poll show counts" sh -c "grep -q '1 散装白酒 *1' '$T/show' && grep -q '2 辣条 *1' '$T/show' && grep -q 'votes *2' '$T/show'"
check "close" sh -c "$CTL poll close 1 | grep -q 'poll 1 closed'"
inject "投票 1" --from +8613900000042
check "a closed poll is said so" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000042' AND body LIKE '目前没有进行中的投票%'" 1
check "votes audited without a number" sql_is "SELECT count(*) FROM events WHERE action = 'poll.vote' AND actor = 'reporter' AND detail NOT LIKE '%139%'" 2
check "close again is refused" sh -c "! $CTL poll close 1 2>/dev/null"
kill -TERM "$PID"
wait_exit 10
finish
