#!/bin/sh
# The systemd unit as built: systemd-analyze verify finds nothing wrong
# with it (its commands pointed at the built tipgwd, its man pages at the
# source tree's), and systemd-analyze security rates its exposure at
# most 2.5 ("OK"): a hardening line removed by mistake fails here.
# Skipped where systemd-analyze is not installed.
: "${top_srcdir:?}" "${top_builddir:?}" "${TIPGWD:?}"
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "1..0 # SKIP systemd-analyze is not installed"
	exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/tipgw-unit.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
unit="$top_builddir/systemd/tipgwd.service"
if [ ! -f "$unit" ]; then
	make -C "$top_builddir" systemd/tipgwd.service >/dev/null 2>&1 ||
	    { echo "Bail out! cannot build $unit"; exit 99; }
fi
mkdir -p "$T/man/man8" "$T/man/man5"
cp "$top_srcdir/daemon/tipgwd.8" "$T/man/man8/"
cp "$top_srcdir/daemon/tipgw.conf.5" "$T/man/man5/"
sed "s|^\(ExecStart[A-Za-z]*=\)[^ ]*/tipgwd |\1$TIPGWD |" "$unit" \
    >"$T/tipgwd.service"
n=0
fail=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
grep -q "^ExecStart=$TIPGWD " "$T/tipgwd.service"
result $? "the unit's ExecStart found and pointed at the built tipgwd"
out=$(MANPATH="$T/man" systemd-analyze verify "$T/tipgwd.service" 2>&1)
rc=$?
[ "$rc" = 0 ] && [ -z "$out" ]
result $? "systemd-analyze verify: no complaint"
[ -z "$out" ] || echo "$out" | sed 's/^/# /'
systemd-analyze security --offline=true "$T/tipgwd.service" >"$T/security" 2>&1
grep 'Overall exposure level' "$T/security" | sed 's/^/# /'
systemd-analyze security --offline=true --threshold=25 \
    "$T/tipgwd.service" >/dev/null 2>&1
result $? "systemd-analyze security: exposure at most 2.5"
echo "1..$n"
exit $fail
