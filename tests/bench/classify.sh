#!/bin/sh
# make bench: understanding quality and speed on the labelled corpora of
# ../shared/corpus (where present) and tests/corpus. For each county: the metrics of
# tests/bench/score.py against their targets, then messages per second on
# the corpus repeated to 20 000 lines; at the end, each field over every
# county and the worst county, which is the figure that counts.
#
# Leave-one-county-out: nothing in the lexicon's words is learned from a
# corpus (dialect, symptoms, rules and brands are written from knowledge
# of the language and the trade); the kind model is, so each county is
# scored with a model contrib/mkmodel builds from the other counties.
: "${top_srcdir:?}" "${TIPGWCTL:?}" "${PYTHON3:=python3}"
CORPUS=${TIPGW_CORPUS:-$top_srcdir/../shared/corpus}
if [ ! -d "$CORPUS" ]; then
	echo "classify: no corpus at $CORPUS; only the set in tests/corpus"
	CORPUS=
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/tipgw-bench.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
rc=0
ALL=$(ls ${CORPUS:+"$CORPUS"/tips-*.jsonl} "$top_srcdir"/tests/corpus/tips-*.jsonl)
for tips in ${CORPUS:+"$CORPUS"/tips-*.jsonl} \
    "$top_srcdir"/tests/corpus/tips-*.jsonl; do
	dir=$(dirname "$tips")
	county=$(basename "$tips" .jsonl | sed 's/^tips-//')
	streets=$dir/gazetteer-$county-streets.csv
	villages=$dir/gazetteer-$county-villages.csv
	[ -f "$streets" ] && [ -f "$villages" ] || continue
	# shellcheck disable=SC2086
	"$PYTHON3" "$top_srcdir/contrib/mkmodel" --tipgwctl "$TIPGWCTL" \
	    --lexicon "$top_srcdir/contrib/lexicon" --exclude "$county" \
	    -o "$T/model" $ALL || rc=1
	set -- --streets "$streets" --villages "$villages" \
	    --lexicon "$top_srcdir/contrib/lexicon" --model "$T/model"
	echo "county $county: $(wc -l < "$tips") labelled messages," \
	    "the model built without it ($(sed -n 2p "$T/model" | cut -c3-))"
	"$TIPGWCTL" classify "$@" < "$tips" > "$T/out" 2>/dev/null || rc=1
	"$PYTHON3" "$top_srcdir/tests/bench/score.py" "$tips" "$T/out" \
	    --summary > "$T/score" || rc=1
	grep -v '^SUMMARY ' "$T/score"
	grep '^SUMMARY ' "$T/score" >> "$T/summary"
	n=0
	: > "$T/many"
	while [ "$n" -lt 20000 ]; do
		cat "$tips" >> "$T/many"
		n=$((n + $(wc -l < "$tips")))
	done
	"$TIPGWCTL" classify "$@" < "$T/many" 2>&1 >/dev/null |
	    sed 's/^tipgwctl: /  speed: /'
done
if [ -s "$T/summary" ]; then
	echo "every county, and the worst:"
	"$PYTHON3" "$top_srcdir/tests/bench/score.py" --worst "$T/summary" ||
	    rc=1
fi
exit $rc
