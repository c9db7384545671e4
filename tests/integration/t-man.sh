#!/bin/sh
# The manual pages are valid mdoc (mandoc -Tlint) and document every
# option and command the programs accept.
: "${top_srcdir:?top_srcdir is not set}"
: "${TIPGWCTL:?TIPGWCTL is not set}"
MANDOC=${MANDOC:-mandoc}
case "$MANDOC" in no|"") MANDOC=mandoc ;; esac
if ! command -v "$MANDOC" >/dev/null 2>&1; then
	echo "1..0 # SKIP mandoc is not installed"
	exit 0
fi

n=0
fail=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

for page in tipgwd.8 tipgw.conf.5 tipgwctl.1 tipgw-lexicon.5; do
	out=$("$MANDOC" -Tlint -Wwarning "$top_srcdir/daemon/$page" 2>&1)
	result $? "$page: mandoc -Tlint"
	[ -z "$out" ] || echo "$out" | sed 's/^/# /'
done

# Every tipgwctl command in the usage text is in the manual.
"$TIPGWCTL" 2>&1 | sed -n 's/^ *tipgwctl \([a-z]*\) \([a-z]*\).*/\1 \2/p' |
while read -r cmd sub; do
	case "$sub" in
	-*|\[*) sub= ;;
	esac
	grep -Eq "^\.(It )?Cm $cmd${sub:+ $sub}( |$)" "$top_srcdir/daemon/tipgwctl.1" ||
	    { echo "# tipgwctl.1 lacks .Cm $cmd $sub"; exit 1; }
done
result $? "tipgwctl.1 documents every command"

# Every [tipgw] key config.c knows is in tipgw.conf.5.
keys=$(sed -n 's/^	{ "\([a-z_]*\)", CONFIG_.*/\1/p' "$top_srcdir/daemon/config.c")
[ -n "$keys" ]
result $? "the keys are found in config.c"
for key in $keys; do
	grep -q "^\.It Ic $key" "$top_srcdir/daemon/tipgw.conf.5"
	result $? "tipgw.conf.5 documents $key"
done

echo "1..$n"
exit $fail
