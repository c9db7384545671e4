#!/bin/sh
# Understanding in the daemon: a message dropped into the dummy modem
# becomes a routed tip with township, kind and product, acknowledged with
# its code; a tip without a place gets one question, and the answer
# completes the same tip; commands are answered, non-tips never are; a
# local lexicon and a new gazetteer are read on SIGHUP.
. "$top_srcdir/tests/integration/lib.sh"

write_config "lexicon_local = $T/local.txt
followup_window = 1h
reply_limit = 3"
printf '# nothing yet\n' > "$T/local.txt"
demo_county
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
check "words and gazetteer loaded" wait_until 5 log_has 'understand: lexicon=.* townships=20 villages=297'

# A tip naming its place: routed, with its office, acknowledged once.
inject "寒冻镇固城村东头小卖部卖康帅傅方便面 包装跟康师傅一模一样" --from +8613900000001
check "routed tip stored" wait_until 10 sql_is "SELECT state, township_code, village_code, kind, product, route FROM tips" "routed|411724101|411724101202|counterfeit|snack|township"
check "the township's office is assigned" sql_is "SELECT o.name FROM tips t JOIN offices o ON o.id = t.office_id" "寒冻所"
check "knock-off brand recorded" sql_is "SELECT brand, place FROM tips" "康帅傅|shop"
check "a code, and a PIN kept only as a keyed hash" sql_is "SELECT length(code), length(pin_hash), pin IS NULL FROM tips" "6|64|1"
check "acknowledged with code and PIN" sql_is "SELECT count(*) FROM outbox o JOIN tips t ON o.tip_id = t.id WHERE o.dedup_key = 'ack:' || t.code AND instr(o.body, t.code) AND o.body GLOB '*查询码[0-9][0-9][0-9][0-9]*' AND instr(o.body, '寒冻镇')" 1
check "the PIN's key beside the ledger, mode 0600" sh -c "[ \"\$(stat -c %a '$T/tipgw.db.key')\" = 600 ] && [ \"\$(stat -c %s '$T/tipgw.db.key')\" = 32 ]"
check "the acknowledgement fits one SMS" sql_is "SELECT max(length(body)) <= 70 FROM outbox WHERE dedup_key LIKE 'ack:%'" 1
check "the acknowledgement goes out" wait_until 10 sql_is "SELECT state FROM outbox WHERE dedup_key LIKE 'ack:%'" sent

# The office hears of it: an alert to its duty phone, no reporter number.
check "office alerted once" sql_is "SELECT count(*) FROM outbox WHERE destination = '13800000999' AND dedup_key LIKE 'alert:%'" 1
check "the alert says what and where" sql_is "SELECT instr(body, '寒冻镇') > 0 AND instr(body, '固城') > 0 AND instr(body, '假冒零食') > 0 AND instr(body, '康帅傅') > 0 FROM outbox WHERE destination = '13800000999'" 1
check "the alert has no reporter number" sql_is "SELECT count(*) FROM outbox WHERE destination = '13800000999' AND body LIKE '%13900000001%'" 0
code=$(sql "SELECT code FROM tips WHERE township_code = '411724101'")
# The office replies from its duty phone.
inject "收到 $code" --from +8613800000999
check "office reply: acknowledged" wait_until 10 sql_is "SELECT state FROM tips WHERE code = '$code'" acknowledged
check "office reply: confirmed to the office" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613800000999' AND body LIKE '%乡镇已受理%'" 1
check "office reply: audited" sql_is "SELECT count(*) FROM events WHERE action = 'tip.office_ack' AND detail = 'state=routed->acknowledged' AND actor LIKE 'office:%'" 1
inject "收到 ZZ9Z9Z" --from +8613800000999
check "office reply: unknown code gets the help" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613800000999' AND body LIKE '%回复格式%'" 1
inject "办结 $code 已下架 罚款" --from +62813800000999
inject "办结 $code 已下架 罚款" --from 9913800000999
check "a number ending in a duty phone's digits is not the office" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE sender IN ('+62813800000999', '9913800000999')" 2
check "and changes nothing" sql_is "SELECT state FROM tips WHERE code = '$code'" acknowledged
check "and is not answered as the office" sql_is "SELECT count(*) FROM outbox WHERE destination IN ('+62813800000999', '9913800000999')" 0
inject "办结 $code 已下架 罚款" --from +8613900000077
check "not a duty phone: nothing changes" wait_until 10 sql_is "SELECT state FROM tips WHERE code = '$code'" acknowledged
check "not a duty phone: no answer" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000077'" 0
inject "办结 $code 已下架，罚款2000元" --from +8613800000999
check "office reply: closed" wait_until 10 sql_is "SELECT state FROM tips WHERE code = '$code'" closed
check "office reply: the result is kept" sql_is "SELECT result FROM tips WHERE code = '$code'" "已下架 罚款2000元"
inject "收到 $code" --from +8613800000999
check "收到 after 办结: refused politely" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613800000999' AND body LIKE '%$code已办结%未作变更%'" 1
check "收到 after 办结: still closed" sql_is "SELECT state FROM tips WHERE code = '$code'" closed
check "收到 after 办结: the refusal is recorded" sql_is "SELECT count(*) FROM raw_messages WHERE reason = 'office_refused'" 1

# A tip without a place: one question; the answer completes the same tip.
inject "有人卖假酒 喝了头疼" --from +8613900000002
check "no place: awaiting a reply" wait_until 10 sql_is "SELECT state, questions FROM tips WHERE text = '有人卖假酒 喝了头疼'" "awaiting_reply|1"
check "no place: one question queued" sql_is "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'question:%' AND body LIKE '%哪个乡镇哪个村%'" 1
check "no place: no acknowledgement yet" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000002' AND dedup_key LIKE 'ack:%'" 0
inject "俺是兰青乡胡冲村的" --from +8613900000002
check "the answer completes the tip" wait_until 10 sql_is "SELECT count(*), township_code, kind, product FROM tips WHERE id = (SELECT tip_id FROM raw_messages WHERE text = '俺是兰青乡胡冲村的')" "1|411724214|counterfeit|liquor"
check "兰青乡 has no office: the coordinator's" sql_is "SELECT state, office_id IS NULL FROM tips WHERE township_code = '411724214'" "unassigned|1"
check "still one tip for that reporter" sql_is "SELECT count(*) FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613900000002'" 1
check "both messages point at it" sql_is "SELECT count(DISTINCT tip_id), count(*) FROM raw_messages WHERE sender = '+8613900000002'" "1|2"
check "now acknowledged" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000002' AND dedup_key LIKE 'ack:%'" 1
check "not told it went to a township that has no office" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000002' AND body LIKE '%已转%'" 0

# An ambiguous village: the question lists the townships.
inject "陈庄村口卖散酒的 用酒精兑的" --from +8613900000003
check "ambiguous: candidates kept" wait_until 10 sql_is "SELECT state, candidates FROM tips WHERE text LIKE '陈庄村口%'" "awaiting_reply|411724001 411724108"
check "ambiguous: the question names them" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000003' AND body LIKE '%1真阳街道 2袁寨镇%'" 1
# Two answers that do not help: a second question, then triage.
inject "就在村口" --from +8613900000003
check "second question" wait_until 10 sql_is "SELECT questions FROM tips WHERE text LIKE '陈庄村口%'" 2
inject "不知道" --from +8613900000003
check "after two questions: triage" wait_until 10 sql_is "SELECT state FROM tips WHERE text LIKE '陈庄村口%'" triage
check "never more than two questions" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000003' AND dedup_key LIKE 'question:%'" 2
check "triage acknowledged once" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000003' AND dedup_key LIKE 'ack:%'" 1

# The answer to a choice question may be its number.
inject "陈庄村口卖散酒的 用酒精兑的" --from +8613900000014
check "choice: the question names them" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000014' AND body LIKE '%1真阳街道 2袁寨镇%'" 1
inject "1" --from +8613900000014
check "choice: the answer 1 picks 真阳街道" wait_until 10 sql_is "SELECT count(*), township_code, village_code FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613900000014'" "1|411724001|411724001010"

# A whole new tip sent while a question is open is a new tip.
inject "有人卖假酒" --from +8613900000015
check "new tip: asked where" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000015' AND intent = 'question'" 1
inject "真阳街道南街社区超市卖过期奶粉" --from +8613900000015
check "new tip: not swallowed as the answer" wait_until 10 sql_is "SELECT count(*) FROM tips t JOIN reporters r ON r.id = t.reporter_id WHERE r.phone = '+8613900000015'" 2
check "new tip: the first still waits for its answer" sql_is "SELECT state, kind, product FROM tips WHERE text = '有人卖假酒'" "awaiting_reply|counterfeit|liquor"
check "new tip: the second has its own facts and place" sql_is "SELECT township_code, kind FROM tips WHERE text = '真阳街道南街社区超市卖过期奶粉'" "411724001|expired"

# Commands and non-tips.
pin=$(tip_pin "$code")
inject "查询 $code $pin" --from +8613900000001
check "status query answered" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000001' AND body LIKE '%已办结%'" 1
inject "查询${code}${pin}" --from +8613900000012
check "status query without spaces answered" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000012' AND body LIKE '%已办结%'" 1
inject "查询：$(echo "$code" | tr 'A-Z' 'a-z') $pin" --from +8613900000013
check "status query with a colon, in lower case, answered" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000013' AND body LIKE '%已办结%'" 1
inject "查询 $code 0000" --from +8613900000004
check "wrong PIN: told nothing" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000004' AND body LIKE '%未找到%'" 1
inject "帮助" --from +8613900000005
check "help answered" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000005'" 1
inject "举报有奖励吗" --from +8613900000017
check "a question about rewards is answered" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000017' AND body LIKE '%给予奖励%'" 1
inject "村里小卖部卖假烟" --from +8613900000018
check "a report that is not about food: where to turn" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000018' AND body LIKE '%12315%'" 1
check "and it is no tip" sql_is "SELECT disposition, reason FROM raw_messages WHERE sender = '+8613900000018'" "nontip|nonfood"
inject "你好" --from +8613900000006
inject "【某银行】尊敬的客户，点击 http://x.cn 领取积分礼品" --from +8613900000006
check "greetings and ads are recorded" wait_until 10 sql_is "SELECT group_concat(reason, ',') FROM (SELECT reason FROM raw_messages WHERE sender = '+8613900000006' ORDER BY id)" "greeting,ad"
check "and never answered" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000006'" 0
inject "TD" --from +8613900000007
check "opt-out confirmed" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000007'" 1
check "opt-out recorded" sql_is "SELECT opted_out_at IS NOT NULL FROM reporters WHERE phone = '+8613900000007'" 1
inject "寒冻镇罗岗村超市卖过期酸奶" --from +8613900000007
check "an opted-out reporter's tip is taken" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE text LIKE '寒冻镇罗岗村%'" 1
check "but not answered" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000007'" 1
check "the opt-out is audited, without the number" sql_is "SELECT count(*) FROM events WHERE action = 'reporter.optout' AND detail NOT LIKE '%13900000007%'" 1
inject "订阅" --from +8613900000007
check "opt back in: confirmed" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000007' AND body LIKE '%已恢复%'" 1
check "opt back in: recorded" sql_is "SELECT opted_out_at IS NULL FROM reporters WHERE phone = '+8613900000007'" 1
check "opt back in: audited" sql_is "SELECT count(*) FROM events WHERE action = 'reporter.optin' AND detail NOT LIKE '%13900000007%'" 1
inject "铜钟镇小卖部卖过期面包" --from +8613900000007
check "opt back in: tips are answered again" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000007' AND intent = 'ack'" 1

# No reply storm: at most reply_limit replies a day to one number.
for n in 1 2 3 4 5; do
	inject "帮助" --from +8613900000009 --date "2026112${n}T010203Z"
done
check "reply limit: five messages taken" wait_until 15 sql_is "SELECT count(*) FROM raw_messages WHERE sender = '+8613900000009'" 5
check "reply limit: three replies" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000009'" 3
check "reply limit: audited" sql_is "SELECT count(*) FROM events WHERE action = 'reply.limited'" 2

# SIGHUP reads a new local lexicon: an alias routes.
printf '[alias]\n411724106 大林集\n' > "$T/local.txt"
kill -HUP "$PID"
check "reloaded" wait_until 5 log_has 'config: file=.* reloaded'
inject "大林集上卖注水牛肉" --from +8613900000008
check "alias from the reloaded lexicon routes" wait_until 10 sql_is "SELECT township_code, kind, product FROM tips WHERE text LIKE '大林集%'" "411724106|adulterated|meat"
printf '[kind]\nrotten 烂\n' > "$T/local.txt"
kill -HUP "$PID"
check "a broken lexicon is refused on reload" wait_until 5 log_has 'local.txt:2: unknown kind'
check "and the running one kept" log_has 'has errors; keeping the running configuration'
inject "大林集上卖注水猪肉" --from +8613900000016
check "the words still work, the alias too" wait_until 10 sql_is "SELECT count(*) FROM tips WHERE text = '大林集上卖注水猪肉' AND township_code = '411724106'" 1

check "no reporter number in the info log" sh -c "! grep -v 'sender=\\|caller=' '$LOG' | grep -q '1390000000'"
kill -TERM "$PID"
check "stops cleanly" wait_exit 5
# A ledger from before PINs were hashed: its clear PINs are hashed at
# start, and still answer a status query.
printf '# fixed\n' > "$T/local.txt"
"$PYTHON3" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE tips SET pin = ?, pin_hash = NULL WHERE code = ?", ("4321", sys.argv[2]))
db.commit()' "$T/tipgw.db" "$code"
start_daemon
check "restarted on an old ledger" wait_until 10 health_is modems.0.state ready
check "old clear PINs are hashed" sql_is "SELECT count(*) FROM tips WHERE pin IS NOT NULL OR pin_hash IS NULL AND code = '$code'" 0
check "logged" log_has "1 PIN(s) kept in clear by an older tipgwd are now hashed"
inject "查询 $code 4321" --from +8613900000011
check "the old PIN still answers" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000011' AND body LIKE '%已办结%'" 1
kill -TERM "$PID"
wait_exit 10
finish
