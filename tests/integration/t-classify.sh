#!/bin/sh
# tipgwctl classify: JSON lines in and out on the demo county, errors
# with line numbers, a local lexicon that extends the shipped one, and
# (where ../shared/corpus is present) the accuracy targets.
. "$top_srcdir/tests/integration/lib.sh"

DEMO=$top_srcdir/contrib/demo
classify() {
	"$TIPGWCTL" classify --streets "$DEMO/streets.csv" \
	    --villages "$DEMO/villages.csv" \
	    --lexicon "$top_srcdir/contrib/lexicon" "$@"
}
field() {	# field LINE KEY: a key of the LINE-th output object
	sed -n "${1}p" "$T/out" | "$PYTHON3" -c '
import json, sys
v = json.load(sys.stdin).get(sys.argv[1])
print(json.dumps(v, ensure_ascii=False))' "$2"
}

cat > "$T/in" <<'IN'
{"id": "a", "text": "寒冻镇固城村小卖部卖康帅傅方便面", "sender": "+8613800000001", "received": "2026-09-02T07:41:00+08:00"}
{"id": 2, "text": "陈庄村口那家卖散酒的 用酒精兑的", "sender": "+8613800000002", "received": "2026-09-02T08:00:00+08:00"}
{"id": "c", "text": "是袁寨镇那个陈庄", "sender": "+8613800000002", "received": "2026-09-02T08:20:00+08:00"}
{"id": "d", "text": "查询 ZY3K7Q 4821", "sender": "+8613800000003", "received": "2026-09-02T09:00:00+08:00"}
{"id": "e", "text": "", "sender": "10086", "received": "2026-09-02T09:00:00+08:00"}
IN
classify < "$T/in" > "$T/out" 2> "$T/err"
check "five lines classified" [ $? = 0 ]
check "one output line per input line" [ "$(wc -l < "$T/out")" = 5 ]
check "ids kept, numbers as numbers" [ "$(field 2 id)" = 2 ]
check "a tip: township" [ "$(field 1 township_code)" = '"411724101"' ]
check "a tip: village" [ "$(field 1 village_code)" = '"411724101202"' ]
check "a tip: knock-off brand is counterfeit snack" [ "$(field 1 kind)$(field 1 product)" = '"counterfeit""snack"' ]
check "ambiguous village needs a follow-up" [ "$(field 2 needs_followup)" = true ]
check "ambiguous village lists candidates" [ "$(field 2 candidates)" = '["411724001", "411724108"]' ]
check "the answer completes the tip" [ "$(field 3 township_code)$(field 3 kind)" = '"411724108""adulterated"' ]
check "a status query is not a tip" [ "$(field 4 is_tip)$(field 4 command)" = 'false"query"' ]
check "an empty message is not a tip" [ "$(field 5 is_tip)" = false ]
check "the rate is reported" grep -q 'classified 5 lines in' "$T/err"
check "confidence per field: a named township, a knock-off name" [ "$(field 1 confidence)" = '{"township": 0.9, "kind": 0.83, "product": 0.89}' ]
check "confidence: no township yet is 0" [ "$(field 2 confidence)" = '{"township": 0.0, "kind": 0.8, "product": 0.86}' ]
check "no confidence on what is not a tip" [ "$(field 4 confidence)" = null ]

printf '%s\n' '{"id": 1, "text": "x"}' 'not json' > "$T/bad"
classify < "$T/bad" > "$T/out" 2> "$T/err"
check "a malformed line: exit 1" [ $? = 1 ]
check "a malformed line: named" grep -q 'stdin: line 2: not a JSON object' "$T/err"
check "lines before it still written" [ "$(wc -l < "$T/out")" = 1 ]

printf '[alias]\n411724101 老寒冻\n[kind]\nexpired 日子过了\n' > "$T/local.txt"
echo '{"id": 1, "text": "老寒冻有家店牛奶日子过了"}' |
    classify --lexicon-local "$T/local.txt" > "$T/out" 2>/dev/null
check "local lexicon: alias routes" [ "$(field 1 township_code)" = '"411724101"' ]
check "local lexicon: new word counts" [ "$(field 1 kind)" = '"expired"' ]

printf '[kind]\nrotten 烂\n' > "$T/broken.txt"
echo '{}' | classify --lexicon-local "$T/broken.txt" > /dev/null 2> "$T/err"
check "broken local lexicon: exit 1" [ $? = 1 ]
check "broken local lexicon: file:line" grep -q "broken.txt:2: unknown kind" "$T/err"
"$TIPGWCTL" classify --streets "$DEMO/streets.csv" < /dev/null 2> "$T/err"
check "missing --villages: usage" grep -q 'usage: tipgwctl classify' "$T/err"

# The kind model: where the words are silent, a sure guess is the kind,
# an unsure one is left to a person (kind_uncertain).
model() {	# model LOGP-SPOILED LOGP-EXPIRED: a one-character model
	printf '# test\nclasses spoiled expired\ntemperature 1\nprior 0 0\nunseen -5 -5\n怪\t%s %s\n' "$1" "$2"
}
model 0 -10 > "$T/sure.tsv"
model -1 -1.2 > "$T/unsure.tsv"
echo '{"id": 1, "text": "寒冻镇固城村小卖部卖的面包 看着怪"}' > "$T/in"
classify --model none < "$T/in" > "$T/out" 2>/dev/null
check "model none: the words say no kind" [ "$(field 1 kind)$(field 1 kind_uncertain)" = nullnull ]
classify --model "$T/sure.tsv" < "$T/in" > "$T/out" 2>/dev/null
check "a sure model: its kind, with its probability" [ "$(field 1 kind)" = '"spoiled"' ] && [ "$(field 1 confidence)" = '{"township": 0.9, "kind": 1.0, "product": 0.75}' ]
classify --model "$T/unsure.tsv" < "$T/in" > "$T/out" 2>/dev/null
check "an unsure model: no kind, the guess kept" [ "$(field 1 kind)$(field 1 kind_uncertain)" = 'null"spoiled"' ]
printf '%s\n' '{"id": 1, "sender": "+8613800000009", "received": "2026-09-02T08:00:00+08:00", "text": "寒冻镇固城村小卖部卖的牛奶 看着怪"}' \
    '{"id": 2, "sender": "+8613800000009", "received": "2026-09-02T08:03:00+08:00", "text": "已经过期了 还在卖"}' |
    classify --model "$T/sure.tsv" > "$T/out" 2>/dev/null
check "a model's kind does not make a cut-off tip whole" [ "$(field 2 continues)$(field 2 kind)" = 'true"expired"' ]
echo '{"id": 1, "text": "寒冻镇固城村小卖部卖过期牛奶"}' |
    classify --model "$T/sure.tsv" > "$T/out" 2>/dev/null
check "the words' kind is not second-guessed" [ "$(field 1 kind)" = '"expired"' ]
printf 'classes spoiled\nprior x\n' > "$T/bad.tsv"
echo '{}' | classify --model "$T/bad.tsv" > /dev/null 2> "$T/err"
check "a broken model: exit 1" [ $? = 1 ]
check "a broken model: file:line" grep -q "bad.tsv:2: a number for each class" "$T/err"
echo '{"id": 1, "text": "寒凍鎮 冇生產日期"}' | classify --normalised > "$T/out" 2>/dev/null
check "--normalised: the text as read" [ "$(field 1 normalised)" = '"寒冻镇 没有生产日期"' ]

# The set kept in the tree: always. The words alone (--model none): the
# shipped model has seen these counties; make bench scores it without.
C=$top_srcdir/tests/corpus
"$TIPGWCTL" classify --streets "$C/gazetteer-441224-streets.csv" \
    --villages "$C/gazetteer-441224-villages.csv" \
    --lexicon "$top_srcdir/contrib/lexicon" --model none \
    < "$C/tips-441224.jsonl" > "$T/c-441224" 2>/dev/null
check "corpus 441224 (in the tree): every target met" "$PYTHON3" \
    "$top_srcdir/tests/bench/score.py" "$C/tips-441224.jsonl" "$T/c-441224"

CORPUS=$top_srcdir/../shared/corpus
if [ -d "$CORPUS" ]; then
	for county in 411724 411527 371321 450923; do
		"$TIPGWCTL" classify \
		    --streets "$CORPUS/gazetteer-$county-streets.csv" \
		    --villages "$CORPUS/gazetteer-$county-villages.csv" \
		    --lexicon "$top_srcdir/contrib/lexicon" --model none \
		    < "$CORPUS/tips-$county.jsonl" > "$T/c-$county" 2>/dev/null
		check "corpus $county: every target met" "$PYTHON3" \
		    "$top_srcdir/tests/bench/score.py" \
		    "$CORPUS/tips-$county.jsonl" "$T/c-$county"
	done
else
	ok "# SKIP no corpus at $CORPUS"
fi
finish
