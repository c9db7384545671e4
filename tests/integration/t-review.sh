#!/bin/sh
# A tip whose kind the words leave unsaid and the kind model only
# guesses: the office still gets it, with no kind stated; the
# coordinator is told it needs a person's look, with the guess, and the
# review is audited. A tip whose words say its kind makes no review.
. "$top_srcdir/tests/integration/lib.sh"

cp -R "$top_srcdir/contrib/lexicon" "$T/lex"
chmod -R u+w "$T/lex"
# A model that leans to spoiled for 怪 but is not sure (p about 0.55),
# and is sure of spoiled for 变.
printf '# test\nclasses spoiled expired\ntemperature 1\nprior 0 0\nunseen -5 -5\n怪\t-1 -1.2\n变\t0 -10\n' \
    > "$T/lex/kind-model.tsv"
write_config "coordinator_phone = +8613700000000
quiet_hours = none
lexicon = $T/lex"
demo_county
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready
inject "寒冻镇固城村小卖部卖的面包 看着怪" --from +8613900000077
check "the tip is routed to its office" wait_until 10 sql_is "SELECT state, kind IS NULL FROM tips" "routed|1"
A=$(sql "SELECT code FROM tips")
check "the office is alerted" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE intent = 'alert' AND destination = '13800000999'" 1
check "the coordinator is asked to look" wait_until 10 sql_is "SELECT count(*) FROM outbox WHERE intent = 'notice' AND destination = '+8613700000000' AND body LIKE '%问题种类待核实：疑似变质%' AND body LIKE '%$A%'" 1
check "the review is audited" sql_is "SELECT count(*) FROM events WHERE action = 'tip.review' AND detail = 'kind uncertain: 疑似变质'" 1
check "no reporter number to the coordinator" sql_is "SELECT count(*) FROM outbox WHERE intent = 'notice' AND body LIKE '%13900000077%'" 0
inject "寒冻镇固城村小卖部卖过期牛奶 看着怪" --from +8613900000078
check "a second tip" wait_until 10 sql_is "SELECT count(*) FROM tips" 2
check "its words say its kind: no review" sql_is "SELECT count(*) FROM events WHERE action = 'tip.review'" 1
check "its kind stored" sql_is "SELECT kind FROM tips WHERE text LIKE '%过期牛奶%'" expired
# The model sure where the words say nothing: its kind, no word's.
inject "寒冻镇固城村小卖部卖的面包 有点变" --from +8613900000079
check "a sure model's kind" wait_until 10 sql_is "SELECT kind, kinds FROM tips WHERE text LIKE '%有点变%'" "spoiled|"
C=$(sql "SELECT code FROM tips WHERE text LIKE '%有点变%'")
ctl tip show "$C" --json > "$T/show" 2>&1
check "no kind named: kinds null in the JSON" grep -q '"kinds": *null' "$T/show"
# Two kinds named alike, the model picks one: the words' are kept.
inject "寒冻镇固城村小卖部牛奶过期了还变质" --from +8613900000080
check "the model's pick of the two" wait_until 10 sql_is "SELECT kind, kinds FROM tips WHERE text LIKE '%还变质%'" "spoiled|expired"
inject "我明天再去那个村看看" --from +8613900000080
check "the words named a kind: a later chat is not joined to it" wait_until 10 sql_is "SELECT count(*) FROM raw_messages WHERE text LIKE '%明天再去%'" 1
check "... the tip's text stays its own" sql_is "SELECT count(*) FROM tips WHERE text LIKE '%明天再去%'" 0
kill -TERM "$PID"
wait_exit 10
check "exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]
finish
