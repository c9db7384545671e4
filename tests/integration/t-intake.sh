#!/bin/sh
# Modem intake through libGammu's dummy driver: every kind of message
# lands in the ledger exactly once, with its full decoded text, and leaves
# the phone only after it is committed.
. "$top_srcdir/tests/integration/lib.sh"

# No hourly tip limit: the burst below comes from one number.
write_config "multipart_timeout = 10s
inbound_limit = 0"
mkdir -p "$T/phone/sms/1"
"$TIPGWCTL" -f "$T/tipgw.conf" gazetteer import \
    --streets "$top_srcdir/contrib/demo/streets.csv" \
    --villages "$top_srcdir/contrib/demo/villages.csv" >/dev/null
LONG=$("$PYTHON3" -c 'print("正阳县铜钟镇集市上有人卖病死猪肉，" * 12, end="")')
inject "Plain GSM text: fake milk @ shop #3" --from +8613800000001
inject "岚田村东头小卖部卖过期的纯牛奶 生产日期是去年的" --from +8613800000002
inject "假冒😀饮料 🥛 𠀀" --from +8613800000003
inject "$LONG" --from +8613800000004 --ref 77
inject "尊敬的客户，您本月话费余额不足" --from 10086
inject "您的验证码是123456" --from CMCC
inject "" --from +8613800000005
inject 01020304 --binary --from +8613800000006
start_daemon

check "intake: phone emptied" wait_until 20 inbox_empty
check "intake: 8 raw messages" sql_is "SELECT count(*) FROM raw_messages" 8
check "intake: GSM text exact" sql_is "SELECT text FROM raw_messages WHERE coding = 'gsm' AND sender = '+8613800000001'" "Plain GSM text: fake milk @ shop #3"
check "intake: text it cannot read kept, not a tip" sql_is "SELECT disposition, reason FROM raw_messages WHERE sender = '+8613800000001'" "nontip|garbage"
check "intake: Chinese UCS-2 exact" sql_is "SELECT count(*) FROM tips WHERE text = '岚田村东头小卖部卖过期的纯牛奶 生产日期是去年的'" 1
check "intake: emoji and CJK ext. B (surrogate pairs) exact" sql_is "SELECT count(*) FROM tips WHERE text = '假冒😀饮料 🥛 𠀀'" 1
check "intake: 3-part message is one tip" sql_is "SELECT parts_total, parts_present, flags FROM raw_messages WHERE concat_ref = 77" "4|4|0"
check "intake: long message text whole" sql_is "SELECT count(*) FROM tips WHERE text = '$LONG'" 1
check "intake: carrier number kept, no tip" sql_is "SELECT disposition, flags FROM raw_messages WHERE sender = '10086'" "service|4"
check "intake: alphanumeric sender kept, no tip" sql_is "SELECT disposition FROM raw_messages WHERE sender = 'CMCC'" "service"
check "intake: empty body kept, no tip" sql_is "SELECT disposition FROM raw_messages WHERE sender = '+8613800000005'" "empty"
check "intake: 8-bit kept as hex, no tip" sql_is "SELECT disposition, raw_hex, flags FROM raw_messages WHERE sender = '+8613800000006'" "binary|01020304|2"
check "intake: 3 tips" sql_is "SELECT count(*) FROM tips" 3
check "intake: tips point at reporters, not numbers" sql_is "SELECT count(*) FROM tips t JOIN reporters r ON r.id = t.reporter_id" 3
check "intake: tipgwctl tips --json shows the full text" [ "$(tip_text 2 | head -c 200)" != "" ]
check "intake: every tip audited" sql_is "SELECT count(*) FROM events WHERE action = 'tip.received' AND actor = 'modem:gammu'" 3
check "intake: no number in the info log" sh -c "! grep -v 'sender=' '$LOG' | grep -q '13800000'"
check "intake: healthz counts received" health_is modems.0.received 8

# Parts out of order and seconds apart: one message, not a partial.
inject "$LONG" --from +8613800000007 --ref 12 --parts-only 3
check "out of order: part 3 alone waits" wait_until 10 log_has 'concat_ref=12 parts=1/4 waiting for the rest'
inject "$LONG" --from +8613800000007 --ref 12 --parts-only 1
inject "$LONG" --from +8613800000007 --ref 12 --parts-only 4,2
check "out of order: phone emptied" wait_until 20 inbox_empty
check "out of order: one complete message" sql_is "SELECT count(*), max(parts_present), max(flags) FROM raw_messages WHERE sender = '+8613800000007'" "1|4|0"
check "out of order: text in part order" sql_is "SELECT count(*) FROM tips WHERE text = '$LONG'" 2

# A part that never arrives: after multipart_timeout, a flagged partial.
inject "$LONG" --from +8613800000008 --ref 13 --parts-only 1,2,4
check "missing part: waits" wait_until 10 log_has 'concat_ref=13 parts=3/4 waiting for the rest'
check "missing part: kept on the phone meanwhile" [ "$(inbox_count)" = 3 ]
check "missing part: ingested after the timeout" wait_until 30 inbox_empty
check "missing part: flagged partial, 3 of 4" sql_is "SELECT parts_total, parts_present, flags & 1 FROM raw_messages WHERE sender = '+8613800000008'" "4|3|1"
check "missing part: logged" log_has 'parts=3/4 waited=1[0-9]s: ingesting as partial'
check "missing part: the tip is flagged partial" sql_is "SELECT count(*), sum(partial) FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613800000008'" "1|1"
check "missing part: a visible mark where it is missing" sql_is "SELECT instr(text, '〔缺第3段〕') > 0 FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613800000008'" 1

# The late part arrives after all: a partial of its own, nothing twice.
inject "$LONG" --from +8613800000008 --ref 13 --parts-only 3
check "late part: ingested after the timeout" wait_until 30 inbox_empty
check "late part: a second partial with only the new part" sql_is "SELECT count(*), sum(parts_present) FROM raw_messages WHERE sender = '+8613800000008'" "2|4"
check "late part: joined to its tip, not a tip of its own" sql_is "SELECT count(DISTINCT tip_id), group_concat(coalesce(reason, '-'), ',') FROM (SELECT tip_id, reason FROM raw_messages WHERE sender = '+8613800000008' ORDER BY id)" "1|-,joined"
check "late part: the tip's text whole again, in order, no mark" sql_is "SELECT text = '$LONG', partial FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613800000008'" "1|0"
check "late part: audited" sql_is "SELECT count(*) FROM events e JOIN tips t ON t.id = e.tip_id JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613800000008' AND e.action = 'tip.amend'" 1

# A late part of a tip that has grown since (a follow-up merged into it):
# the group's text rebuilt where it stands, the follow-up kept. And a
# late part that leaves another still missing: the mark for that one
# stays, and so does the flag.
inject "$LONG" --from +8613800000012 --ref 15 --parts-only 1,2,4
inject "$LONG" --from +8613800000013 --ref 16 --parts-only 1,4
check "grown tip: partials ingested" wait_until 30 inbox_empty
MORE="铜钟镇集市上还有人卖假酒"
inject "$MORE" --from +8613800000012
check "grown tip: the follow-up merged into it" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613800000012' AND reason = 'merged'" 1
inject "$LONG" --from +8613800000012 --ref 15 --parts-only 3
inject "$LONG" --from +8613800000013 --ref 16 --parts-only 2
check "grown tip: late parts ingested" wait_until 30 inbox_empty
check "grown tip: one tip, whole, the follow-up after it" sql_is "SELECT count(*), text = '$LONG' || char(10) || '$MORE', partial FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613800000012'" "1|1|0"
check "still missing: one tip, still flagged" sql_is "SELECT count(*), partial FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613800000013'" "1|1"
check "still missing: part 2 in, part 3 still marked" sql_is "SELECT instr(text, '〔缺第2段〕') = 0, instr(text, '〔缺第3段〕') > 0 FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613800000013'" "1|1"

# A message the ledger already holds (read again after a crash between
# commit and delete) is deleted, not stored twice.
inject "再来一次：小卖部卖过期牛奶" --from +8613800000009 --date 20261101T010203Z
check "re-read: first copy ingested" wait_until 10 inbox_empty
inject "再来一次：小卖部卖过期牛奶" --from +8613800000009 --date 20261101T010203Z
check "re-read: copy removed from the phone" wait_until 10 inbox_empty
check "re-read: still one raw message and one tip" sql_is "SELECT count(*) FROM tips WHERE text = '再来一次：小卖部卖过期牛奶'" 1
check "re-read: logged as already in the ledger" log_has 'already in the ledger; deleting it from the modem'

# One part of a committed long message left on the phone by a crash in
# the middle of deleting it: deleted at once, not held for the timeout
# and then stored again as a partial.
inject "$LONG" --from +8613800000011 --ref 14 --date 20261101T020304Z
check "left-over part: message ingested" wait_until 10 inbox_empty
inject "$LONG" --from +8613800000011 --ref 14 --date 20261101T020304Z --parts-only 2
check "left-over part: deleted before the multipart timeout" wait_until 5 inbox_empty
check "left-over part: still one whole message" sql_is "SELECT count(*), sum(parts_present), max(flags) FROM raw_messages WHERE sender = '+8613800000011'" "1|4|0"

# A file libGammu cannot read does not block the messages around it.
inject "before the bad one" --from +8613800000010
printf 'this is not an SMS backup file\n' >"$T/phone/sms/1/5000"
inject "after the bad one" --from +8613800000010
check "bad file: the good messages still come in" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613800000010'" 2
check "bad file: reported in the audit log" wait_until 5 sql_is "SELECT count(*) >= 1 FROM events WHERE action = 'modem.bad_message'" 1
check "bad file: recorded as unreadable, where it was" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE disposition = 'unreadable' AND text LIKE '%location 5000%'" 1
check "bad file: then deleted, not left to fill the phone" wait_until 10 sh -c "[ ! -f '$T/phone/sms/1/5000' ]"
rm -f "$T/phone/sms/1/5000"

# A message the ledger refuses every time (a trigger stands in for a
# damaged database): kept on the phone and tried again, logged on the
# 1st, 2nd, 4th ... try only; taken once the ledger accepts it.
ledger() {
	"$PYTHON3" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=10)
db.execute(sys.argv[2])
db.commit()' "$T/tipgw.db" "$1"
}
ledger "CREATE TRIGGER poison BEFORE INSERT ON raw_messages WHEN NEW.text = 'poison pill' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
inject "poison pill" --from +8613800000013
# Read with it, in the same group commit: each undone alone.
inject "和毒丸一起到的第一条" --from +8613800000014
inject "和毒丸一起到的第二条" --from +8613800000015
check "refused: the messages read with it are committed" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender IN ('+8613800000014', '+8613800000015')" 2
check "refused: and deleted, it alone kept" wait_until 10 sh -c "[ \"\$(ls '$T/phone/sms/1' | grep -c '^[0-9]')\" = 1 ]"
check "refused: tried again and again" wait_until 20 sh -c "[ \$(grep -c 'not committed (try [0-9]*): .*refused for the test' '$LOG') -ge 3 ]"
check "refused: the 8th try reached" wait_until 30 log_has "not committed (try 8)"
check "refused: logged on tries 1, 2, 4, 8 only" sh -c "grep -o 'not committed (try [0-9]*)' '$LOG' | grep -v -E 'try (1|2|4|8|16)\)' | wc -l | grep -qx 0"
check "refused: kept on the phone" [ "$(inbox_count)" = 1 ]
ledger "DROP TRIGGER poison"
check "refused: taken once the ledger accepts it" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE text = 'poison pill'" 1
check "refused: then deleted from the phone" wait_until 10 inbox_empty

# A message that rolls back the whole transaction (SQLite does so on a
# full disk or an I/O error): the batch is undone, nothing it did is
# logged as done, and its messages are tried again one by one, so the
# one read with it comes in; once the ledger accepts it too, each
# message is logged once, with its own raw id. They are read in one
# poll: the daemon is stopped while they arrive.
kill -TERM "$PID"
wait_exit 10
ledger "CREATE TRIGGER rollback_pill BEFORE INSERT ON raw_messages WHEN NEW.text = 'rollback pill' BEGIN SELECT RAISE(ROLLBACK, 'rolled back for the test'); END"
inject "和回滚丸一起到的一条" --from +8613800000016
inject "rollback pill" --from +8613800000017
start_daemon
check "rolled back: kept on the phone" wait_until 10 log_has "rolled back for the test"
check "rolled back: the batch tried again one by one" wait_until 10 log_has "was not committed; tried one by one, 1 of them stays on the modem"
check "rolled back: the message read with it comes in alone" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613800000016'" 1
check "rolled back: the batch undone at two polls" wait_until 10 sh -c "[ \$(grep -c 'messages was not committed; tried one by one' '$LOG') -ge 2 ]"
ledger "DROP TRIGGER rollback_pill"
check "rolled back: then taken" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender IN ('+8613800000016', '+8613800000017')" 2
check "rolled back: deleted from the phone" wait_until 10 inbox_empty
check "rolled back: no raw id logged twice" sh -c "[ -z \"\$(grep -o 'raw=[0-9]* modem=' '$LOG' | sort | uniq -d)\" ]"

# A batch whose commit fails, each of its statements having passed (a
# deferred constraint here; a full disk in WAL mode does the same): the
# messages are tried one by one, and each is counted once a poll, not
# once in the batch and again alone, nor forgotten because its savepoint
# passed. Read in one poll, as above.
kill -TERM "$PID"
wait_exit 10
ledger "CREATE TABLE commit_pill (x INTEGER REFERENCES raw_messages (id) DEFERRABLE INITIALLY DEFERRED)"
ledger "CREATE TRIGGER commit_pill AFTER INSERT ON raw_messages WHEN NEW.text = 'commit pill' BEGIN INSERT INTO commit_pill VALUES (-1); END"
ledger "CREATE TRIGGER abort_pill BEFORE INSERT ON raw_messages WHEN NEW.text = 'abort pill' BEGIN SELECT RAISE(ABORT, 'refused at once for the test'); END"
inject "和两颗药丸一起到的一条" --from +8613800000018
inject "commit pill" --from +8613800000019
inject "abort pill" --from +8613800000020
batches() {
	echo $(($(grep -c 'the batch of messages was not committed' "$LOG") - BATCHES))
}
BATCHES=0
BATCHES=$(batches)
start_daemon
check "commit fails: the message read with them comes in" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613800000018'" 1
check "commit fails: the refused one tried a 4th time" wait_until 20 log_has "try 4): .*refused at once for the test"
check "commit fails: its tries are not ahead of the polls ($(batches) batches)" [ "$(batches)" -ge 4 ]
check "commit fails: the one refused at commit warned at its 1st try once" [ "$(grep -c 'try 1): .*FOREIGN KEY' "$LOG")" = 1 ]
check "commit fails: and at its 4th" log_has "try 4): .*FOREIGN KEY"
ledger "DROP TRIGGER commit_pill"
ledger "DROP TRIGGER abort_pill"
ledger "DROP TABLE commit_pill"
check "commit fails: then taken" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender IN ('+8613800000019', '+8613800000020')" 2
check "commit fails: deleted from the phone" wait_until 10 inbox_empty

# A burst of 200, read in one poll: committed in a few transactions (one
# fsync each), not 200.
metric() {
	http_get /metrics >/dev/null && sed -n "s/^tipgw_$1 //p" "$T/body"
}
commits=$(metric intake_commits_total)
batched=$(metric intake_batched_total)
inject "寒冻镇小卖部卖过期牛奶 burst" --from +8613800000012 --count 200
check "burst: phone emptied" wait_until 60 inbox_empty
check "burst: the messages committed in groups" [ "$(($(metric intake_batched_total) - ${batched:-0}))" = 200 ]
check "burst: a few commits, not one each ($(($(metric intake_commits_total) - ${commits:-0})))" [ "$(($(metric intake_commits_total) - ${commits:-0}))" -le 20 ]
check "burst: 200 distinct messages, each once" sql_is "SELECT count(DISTINCT text), count(*) FROM raw_messages WHERE text LIKE '寒冻镇小卖部卖过期牛奶 burst %'" "200|200"
# The same report from one number: one tip, then repeats (no new alerts).
check "burst: one tip, 199 repeats" sql_is "SELECT (SELECT count(*) FROM tips WHERE text LIKE '寒冻镇小卖部卖过期牛奶 burst %'), (SELECT count(*) FROM raw_messages WHERE disposition = 'repeat' AND text LIKE '寒冻镇小卖部卖过期牛奶 burst %')" "1|199"

kill -TERM "$PID"
check "stops cleanly" wait_exit 5
check "exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]
finish
