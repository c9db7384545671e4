#!/bin/sh
# make check (built with --enable-fuzzing): run each fuzzer for
# FUZZ_SECONDS (default 20) from its seeds, and fail on any crash, leak
# or sanitizer report. fuzz_understand: any message through
# understanding and the conversation plan; fuzz_lexicon: a local
# lexicon file and a message understood with it; fuzz_config: the
# configuration reader; fuzz_division: the division CSV files and the
# gazetteer built from them; fuzz_sms: parts grouped, split and decoded
# into messages as the modem's inbox is; fuzz_api: the API's JSON bodies.
: "${top_srcdir:?}" "${top_builddir:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/tipgw-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
echo "1..6"
n=0
rc=0
for target in understand:seeds lexicon:seeds-lexicon config:seeds-config \
    division:seeds-division sms:seeds-sms api:seeds-api; do
	name=fuzz_${target%%:*}
	n=$((n + 1))
	mkdir -p "$T/$name"
	cp "$top_srcdir/tests/fuzz/${target#*:}"/* "$T/$name/"
	if (cd "$T/$name" && "$top_builddir/tests/fuzz/$name" \
	    -max_total_time="${FUZZ_SECONDS:-20}" -max_len=2048 -timeout=10 \
	    -print_final_stats=1 . > "$T/$name.log" 2>&1); then
		grep -E '^(stat::number_of_executed_units|Done)' \
		    "$T/$name.log" | sed 's/^/# /'
		echo "ok $n - $name: no crash in ${FUZZ_SECONDS:-20} s"
	else
		tail -n 40 "$T/$name.log" | sed 's/^/# /'
		echo "not ok $n - $name found a crash (see above)"
		rc=1
	fi
done
exit $rc
