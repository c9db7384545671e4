#!/bin/sh
# Hostile and broken PDUs on the real AT path (tests/fakemodem.py): what
# a sender, a network or a SIM can put there never cuts, splices or loses
# a message, and nothing is deleted from the SIM unstored.
. "$top_srcdir/tests/integration/lib.sh"

fakemodem_start --capacity 400
write_config "health_interval = 5s
multipart_timeout = 10s" "[gammu]
device = $T/tty
connection = at
model = at"
demo_county
start_daemon
check "AT modem ready" wait_until 20 health_is modems.0.state ready

# A U+0000 inside a UCS-2 text: kept (as U+FFFD), the rest not cut.
fm deliver-raw "$(fm_pdu +8613900000021 '寒冻镇固城村\x00小卖部卖过期牛奶')"
check "U+0000: stored" wait_until 15 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000021'" 1
check "U+0000: the whole text, the NUL as U+FFFD" sql_is "SELECT text FROM raw_messages WHERE sender = '+8613900000021'" "寒冻镇固城村�小卖部卖过期牛奶"
check "U+0000: understood as the tip it is" sql_is "SELECT disposition FROM raw_messages WHERE sender = '+8613900000021'" tip

# A PDU libGammu cannot decode: recorded, deleted, warned about once.
fm deliver-raw 00GGHHII0A0B
check "undecodable: recorded" wait_until 20 sql_is "SELECT disposition, text LIKE 'unreadable by libGammu (%) at folder%' FROM raw_messages WHERE disposition = 'unreadable'" "unreadable|1"
check "undecodable: deleted from the SIM" wait_until 10 sh -c "[ \$(grep -c DELETED '$FM_LOG') -ge 2 ]"
sleep 3		# a few more polls
check "undecodable: warned about once" [ "$(grep -c 'recorded, and deleted from the modem' "$LOG")" = 1 ]

# One reference reused an hour later: part 1 of one message, part 2 of
# another. Two partial messages, never one spliced "whole" one.
LONG1=$("$PYTHON3" -c 'print("寒冻镇固城村集上有人卖病死猪肉，" * 5, end="")')
LONG2=$("$PYTHON3" -c 'print("兰青乡胡冲村小卖部卖假酒喝了头疼，" * 5, end="")')
fm deliver-raw "$(fm_pdu +8613900000022 "$LONG1" 77 3600 | sed -n 1p)"
fm deliver-raw "$(fm_pdu +8613900000022 "$LONG2" 77 0 | sed -n 2p)"
check "reused reference: two messages" wait_until 40 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000022'" 2
check "reused reference: each partial, one part each" sql_is "SELECT group_concat(parts_present || '/' || parts_total || ':' || (flags & 1), ',') FROM raw_messages WHERE sender = '+8613900000022'" "1/2:1,1/2:1"

# A part stored 300 times beside the other part: one whole message, and
# nothing deleted from the SIM unstored.
P1=$(fm_pdu +8613900000023 "$LONG1" 88 | sed -n 1p)
P2=$(fm_pdu +8613900000023 "$LONG1" 88 | sed -n 2p)
i=0
while [ $i -lt 300 ]; do
	printf 'deliver-raw %s\n' "$P1"
	i=$((i + 1))
done > "$T/many"
timeout 30 sh -c 'cat "$1" > "$2"' sh "$T/many" "$FM_CTL"
fm deliver-raw "$P2"
check "300 copies: one message" wait_until 120 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000023'" 1
check "300 copies: whole" sql_is "SELECT parts_present, parts_total, flags & 1, text = '$LONG1' FROM raw_messages WHERE sender = '+8613900000023'" "2|2|0|1"
check "300 copies: the SIM empties" wait_until 60 sh -c "[ \$(grep -c DELETED '$FM_LOG') -ge 304 ]"

kill -TERM "$PID"
check "stops cleanly" wait_exit 10
finish
