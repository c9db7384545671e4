#!/bin/sh
# Golden config tests: for each NN-topic.conf, the output of
# "tipgwd -nv -f NN-topic.conf" (stdout, stderr, exit status) must equal
# NN-topic.ok. Also: the shipped example configuration must parse.
# Regenerate an .ok after a deliberate change with TIPGW_REGEN=1.

: "${TIPGWD:?TIPGWD is not set (run through make check)}"
: "${top_srcdir:?top_srcdir is not set}"
dir="$top_srcdir/tests/config"
out=$(mktemp) || exit 99
trap 'rm -f "$out"' EXIT
n=0
fail=0

for conf in "$dir"/*.conf; do
	name=$(basename "$conf" .conf)
	n=$((n + 1))
	(cd "$dir" && "$TIPGWD" -nv -f "$name.conf" >"$out.raw" 2>&1;
	    echo "exit=$?" >>"$out.raw")
	# The data directory differs between trees: shown as @DATADIR@.
	sed "s|${TIPGW_DATADIR:-/nonexistent}|@DATADIR@|g" "$out.raw" >"$out"
	rm -f "$out.raw"
	if [ -n "$TIPGW_REGEN" ]; then
		cp "$out" "$dir/$name.ok"
	fi
	if diff -u "$dir/$name.ok" "$out" >"$out.diff" 2>&1; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		sed 's/^/# /' "$out.diff"
		fail=1
	fi
	rm -f "$out.diff"
done

n=$((n + 1))
if "$TIPGWD" -n -f "$top_srcdir/contrib/tipgw.conf.example" >"$out" 2>&1; then
	echo "ok $n - contrib/tipgw.conf.example parses"
else
	echo "not ok $n - contrib/tipgw.conf.example parses"
	sed 's/^/# /' "$out"
	fail=1
fi

echo "1..$n"
exit $fail
