#!/bin/sh
# make check (built with --enable-fuzzing): run the understanding fuzzer
# for FUZZ_SECONDS (default 20) from the seeds, and fail on any crash,
# leak or sanitizer report.
: "${top_srcdir:?}" "${top_builddir:?}"
FUZZER=$top_builddir/tests/fuzz/fuzz_understand
T=$(mktemp -d "${TMPDIR:-/tmp}/tipgw-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
cp "$top_srcdir"/tests/fuzz/seeds/* "$T/"
echo "1..1"
if (cd "$T" && "$FUZZER" -max_total_time="${FUZZ_SECONDS:-20}" \
    -max_len=2048 -timeout=10 -print_final_stats=1 "$T" > "$T.log" 2>&1); then
	grep -E '^(stat::number_of_executed_units|Done)' "$T.log" | sed 's/^/# /'
	echo "ok 1 - fuzz_understand: no crash in ${FUZZ_SECONDS:-20} s"
else
	tail -n 40 "$T.log" | sed 's/^/# /'
	echo "not ok 1 - fuzz_understand found a crash (see above)"
	rm -f "$T.log"
	exit 1
fi
rm -f "$T.log"
