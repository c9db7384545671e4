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

# A default the manual states is the default config.c has, and
# tipgwd.8 names the setting rather than repeating its default.
"${PYTHON3:-python3}" - "$top_srcdir/daemon/config.c" \
    "$top_srcdir/daemon/tipgw.conf.5" <<'PY'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
man = open(sys.argv[2], encoding="utf-8").read()
bad = 0
items = re.split(r"\n\.It Ic ", man)
for key, default in re.findall(r'\{\s*"([a-z_]+)",\s*CONFIG_[A-Z]+,[^}]*?"([^"]*)"\s*\}', src):
    for item in items:
        m = item.startswith(key + " ") and re.search(r"[Tt]he default is\s+([^\s;]+?)[.;]?\n", item)
        if m and m.group(1) != default:
            print("# tipgw.conf.5: %s: the default is %s, config.c says %s" % (key, m.group(1), default))
            bad = 1
sys.exit(bad)
PY
result $? "tipgw.conf.5 states config.c's defaults"
! grep -n 'given up after [0-9][0-9]* attempts' "$top_srcdir/daemon/tipgwd.8"
result $? "tipgwd.8 names outbox_max_attempts, not a number of attempts"

echo "1..$n"
exit $fail
