#!/bin/sh
# tipgwctl against a fresh ledger: gazetteer import (good, filtered, bad),
# township listing, offices (add, set, list, refusals), tips listing.
. "$top_srcdir/tests/integration/lib.sh"

DEMO="$top_srcdir/contrib/demo"
CORPUS="$top_srcdir/../shared/corpus"
write_config

ctl gazetteer import --streets "$DEMO/streets.csv" \
    --villages "$DEMO/villages.csv" --county 411724 >"$T/out" 2>&1
check "demo county imports" [ $? = 0 ]
check "import reports the counts" grep -q '^imported 20 townships and 297 villages in [0-9.]*s; the ledger has 20 townships and 297 villages$' "$T/out"

ctl gazetteer list >"$T/list" 2>&1
check "gazetteer list: header and 20 townships" [ "$(wc -l <"$T/list")" = 21 ]
check "gazetteer list: village count per township" grep -q '^411724001 .* 真阳街道$' "$T/list"
ctl gazetteer list --json >"$T/list.json"
check "gazetteer list --json: one object per line" [ "$(grep -c '^{"code":"4117' "$T/list.json")" = 20 ]

ctl gazetteer import --streets "$DEMO/streets.csv" \
    --villages "$DEMO/villages.csv" >"$T/out" 2>&1
check "importing again is idempotent" grep -q 'the ledger has 20 townships and 297 villages' "$T/out"

ctl gazetteer import --streets "$DEMO/streets.csv" \
    --villages "$DEMO/villages.csv" --county 411527 >"$T/out" 2>&1
check "a county not in the files: exit 1" [ $? = 1 ]
check "a county not in the files: says so" grep -q 'no townships in the counties of 411527 found' "$T/out"

ctl gazetteer import --streets "$DEMO/streets.csv" \
    --villages "$DEMO/villages.csv" --county 4117 >"$T/out" 2>&1
check "bad --county refused" grep -q 'expected a 6-digit county code' "$T/out"
ctl gazetteer import --streets "$DEMO/streets.csv" \
    --villages "$DEMO/villages.csv" --prefix 411 >"$T/out" 2>&1
check "bad --prefix refused" grep -q '\-\-prefix 411: expected a province (41), prefecture (4117) or county (411724) code' "$T/out"

# Several counties in one pair of files (Henan's 411724, Guangdong's
# 441224, Sichuan's 510921): by county, by prefecture, by province.
for f in streets villages; do
	{ cat "$DEMO/$f.csv"; tail -n +2 "$top_srcdir/tests/corpus/gazetteer-441224-$f.csv"
	  tail -n +2 "$top_srcdir/tests/corpus/gazetteer-510921-$f.csv"; } >"$T/three-$f.csv"
done
cat >"$T/other.conf" <<EOF2
[tipgw]
database = $T/other.db
EOF2
"$TIPGWCTL" -f "$T/other.conf" gazetteer import --streets "$T/three-streets.csv" \
    --villages "$T/three-villages.csv" --county 441224,510921 >"$T/out" 2>&1
check "two counties by --county A,B" grep -q 'imported 39 townships and 648 villages' "$T/out"
"$TIPGWCTL" -f "$T/other.conf" gazetteer import --streets "$T/three-streets.csv" \
    --villages "$T/three-villages.csv" --prefix 41 >"$T/out" 2>&1
check "a province by --prefix 41: Henan's county added" grep -q 'imported 20 townships and 297 villages in .*; the ledger has 59 townships and 945 villages' "$T/out"
"$TIPGWCTL" -f "$T/other.conf" gazetteer import --streets "$T/three-streets.csv" \
    --villages "$T/three-villages.csv" --prefix 4412 --county 510921 >"$T/out" 2>&1
check "a prefecture and a county together" grep -q 'imported 39 townships and 648 villages in .*; the ledger has 59 ' "$T/out"

# A malformed file: the errors carry line numbers and nothing is imported.
cp "$DEMO/villages.csv" "$T/bad-villages.csv"
printf '411724001999,"新村",411724001,41,4117,411724\n' >>"$T/bad-villages.csv"
printf '41172400199,"短码",411724001,41,4117,411724\n' >>"$T/bad-villages.csv"
printf '411724999001,"孤村",411724999,41,4117,411724\n' >>"$T/bad-villages.csv"
ctl gazetteer import --streets "$DEMO/streets.csv" \
    --villages "$T/bad-villages.csv" >"$T/out" 2>&1
check "bad CSV: exit 1" [ $? = 1 ]
check "bad CSV: short code reported with its line" grep -q "bad-villages.csv:300: village code '41172400199' is not 12 digits" "$T/out"
ctl gazetteer list --json >"$T/list2.json"
check "bad CSV: nothing imported" cmp -s "$T/list.json" "$T/list2.json"
sed -i '$d' "$T/bad-villages.csv"
sed -i '$d' "$T/bad-villages.csv"
printf '411724999001,"孤村",411724999,41,4117,411724\n' >>"$T/bad-villages.csv"
ctl gazetteer import --streets "$DEMO/streets.csv" \
    --villages "$T/bad-villages.csv" >"$T/out" 2>&1
check "orphan village: refused with its line" grep -q "bad-villages.csv:300: village 411724999001: township 411724999 is not in" "$T/out"
check "orphan village: the good new row was not imported" sh -c "! grep -q 新村 '$T/out'; [ \"\$('$TIPGWCTL' -f '$T/tipgw.conf' gazetteer list | grep -c '^411724001 ')\" = 1 ]"
ctl gazetteer import --streets "$T/missing.csv" --villages "$DEMO/villages.csv" >"$T/out" 2>&1
check "missing file: exit 1 with the reason" sh -c "[ $? = 1 ] && grep -q 'missing.csv: No such file or directory' '$T/out'"

# Offices.
ctl office add "铜钟镇市场监管所" --township 411724103 --phone +8613900000001,13900000002 \
    --webhook http://127.0.0.1:9/hook >"$T/out" 2>&1
check "office add" grep -q '^added office 铜钟镇市场监管所 (id 1)$' "$T/out"
ctl office add "other" --township 411724103 >"$T/out" 2>&1
check "a township belongs to one office" grep -q "township 411724103 already belongs to office '铜钟镇市场监管所'" "$T/out"
ctl office add "other" --township 411724999 >"$T/out" 2>&1
check "unknown township refused" grep -q "township 411724999 is not in the gazetteer" "$T/out"
ctl office add "other" --phone 12ab >"$T/out" 2>&1
check "bad phone refused" grep -q -- "--phone 12ab: expected digits" "$T/out"
ctl office add "other" --webhook ftp://x >"$T/out" 2>&1
check "bad webhook refused" grep -q -- "--webhook ftp://x: expected an http" "$T/out"
ctl office add "other" --webhook "http://x/a b" >"$T/out" 2>&1
check "a webhook with a space refused" grep -q -- "expected an http:// or https:// URL without spaces" "$T/out"
ctl office add "other" --email "a@example.org>
Bcc: spy@example.org" >"$T/out" 2>&1
check "an e-mail address that adds a header refused" grep -q -- "expected an e-mail address" "$T/out"
ctl office add "other" --email "a@example.org, spy@example.org" >"$T/out" 2>&1
check "two e-mail addresses refused" grep -q -- "expected an e-mail address" "$T/out"
ctl office add "$(printf 'x\r\n2026-12-06 tipgwd: forged')" >"$T/out" 2>&1
check "a name with CR/LF refused" grep -q -- "expected 1 to 64 characters of UTF-8 text, without control characters" "$T/out"
ctl office add "$(printf 'x\033[2J')" >"$T/out" 2>&1
check "a name with ESC refused, and not echoed raw" sh -c "grep -q 'expected 1 to 64' '$T/out' && grep -q 'x\\\\x1b\\[2J' '$T/out' && ! grep -q \"\$(printf '\\033')\" '$T/out'"
ctl office add "$(printf 'x\377')" >"$T/out" 2>&1
check "a name that is not UTF-8 refused" grep -q 'expected 1 to 64' "$T/out"
check "none of them added" sh -c "! '$TIPGWCTL' -f '$T/tipgw.conf' office list | grep -q '^other'"
ctl office add "铜钟镇市场监管所" >"$T/out" 2>&1
check "duplicate office name refused" grep -q "an office named '铜钟镇市场监管所' already exists" "$T/out"
ctl office set "铜钟镇市场监管所" --email tz@example.org --webhook "" \
    --township 411724103,411724104 >"$T/out" 2>&1
check "office set" grep -q '^updated office 铜钟镇市场监管所$' "$T/out"
ctl office list --json >"$T/offices.json"
check "office list --json shows the change" grep -q '"townships":\["411724103","411724104"\],"phones":\["+8613900000001","13900000002"\],"webhook_url":null,"webhook_format":null,"email":"tz@example.org"' "$T/offices.json"
ctl office list >"$T/out"
check "office list text" grep -q '^铜钟镇市场监管所 townships=411724103,411724104 phones=+8613900000001,13900000002 webhook=- email=tz@example.org$' "$T/out"
ctl office set "nobody" --email x@y >"$T/out" 2>&1
check "office set on an unknown office refused" grep -q "no office named 'nobody'" "$T/out"
ctl office >"$T/out" 2>&1
check "incomplete command prints usage" grep -q '^usage: tipgwctl' "$T/out"

# Users of the API: a token shown once, kept as its hash; audited.
ctl user add 张主任 --role coordinator >"$T/out" 2>&1
check "user add: added" grep -q '^added user 张主任 (coordinator); the token, shown only now:$' "$T/out"
TOKEN=$(sed -n 2p "$T/out")
check "user add: the token on a line of its own, 256 bits" sh -c "echo '$TOKEN' | grep -Eq '^tipgw_[A-Za-z0-9_-]{43}\$'"
check "user add: the ledger keeps its BLAKE2b hash, not the token" "$PYTHON3" - "$T/tipgw.db" "$TOKEN" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
h = hashlib.blake2b(sys.argv[2].encode(), digest_size=32).hexdigest()
assert db.execute("SELECT count(*) FROM users WHERE name = '张主任' AND token_hash = ?", (h,)).fetchone()[0] == 1
assert sys.argv[2].encode() not in open(sys.argv[1], "rb").read()
PY
ctl user add 寒冻所小王 --role office --township 411724103 >"$T/out" 2>&1
check "user add: an office's user with its township" grep -q '^added user 寒冻所小王 (office)' "$T/out"
check "user add: tokens differ" [ "$(sed -n 2p "$T/out")" != "$TOKEN" ]
ctl user add x --role office >"$T/out" 2>&1
check "user add: an office's user needs a township" grep -q 'needs at least one --township' "$T/out"
ctl user add x --role coordinator --township 411724103 >"$T/out" 2>&1
check "user add: only an office's user has townships" grep -q 'is for an office' "$T/out"
ctl user add x --role office --township 411724999 >"$T/out" 2>&1
check "user add: an unknown township refused" grep -q 'township 411724999 is not in the gazetteer' "$T/out"
ctl user add x --role boss >"$T/out" 2>&1
check "user add: an unknown role refused" grep -q -- '--role boss: expected admin, coordinator, office or hotline' "$T/out"
ctl user add 张主任 --role admin >"$T/out" 2>&1
check "user add: a name taken refused" grep -q "a user named '张主任' exists already" "$T/out"
ctl user add "$(printf 'x\033[2J')" --role admin >"$T/out" 2>&1
check "user add: a name with ESC refused" grep -q 'user name .*expected 1 to 64' "$T/out"
check "user add: refused ones add nothing" sql_is "SELECT count(*) FROM users" 2
ctl user list >"$T/out" 2>&1
ctl user list --json >>"$T/out" 2>&1
check "user list: both, with role and township" sh -c "grep -q '^寒冻所小王 *office *411724103' '$T/out' && grep -q '\"name\":\"张主任\",\"role\":\"coordinator\"' '$T/out'"
check "user list: never a token" sh -c "! grep -q 'tipgw_' '$T/out'"
ctl user revoke 张主任 >"$T/out" 2>&1
check "user revoke: done" grep -q '^revoked user 张主任: the token no longer works$' "$T/out"
ctl user revoke 张主任 >"$T/out" 2>&1
check "user revoke: twice is an error" grep -q "no user named '张主任' with a working token" "$T/out"
check "user: audited, with who did it" sql_is "SELECT group_concat(action || ' ' || detail, '; ') FROM (SELECT action, detail FROM events WHERE action LIKE 'user.%' AND actor LIKE 'tipgwctl:%' ORDER BY id)" "user.add user=张主任 role=coordinator; user.add user=寒冻所小王 role=office; user.revoke user=张主任"

# Tips: an empty ledger lists nothing.
ctl tips --json >"$T/out" 2>&1
check "tips --json on an empty ledger prints nothing" [ ! -s "$T/out" ]

# What an SMS or an older ledger holds cannot drive the terminal.
"$PYTHON3" - "$T/tipgw.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO reporters (phone, first_seen, last_seen) VALUES ('+8613900000031', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')")
db.execute("INSERT INTO tips (code, channel, received_at, updated_at, state, text, reporter_id) VALUES ('ESC2X3', 'sms', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', 'received', 'x\x1b]0;pwned\x07\x1b[2J\u202e卖假酒', (SELECT id FROM reporters WHERE phone = '+8613900000031'))")
db.execute("UPDATE offices SET name = 'old\x1b[31mname' WHERE id = 1")
db.commit()
PY
ctl tips >"$T/out" 2>&1
ctl tips --json >>"$T/out" 2>&1
ctl tip show ESC2X3 >>"$T/out" 2>&1
ctl office list >>"$T/out" 2>&1
check "listings: no raw escape reaches the terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$T/out' && ! grep -q \"\$(printf '\\007')\" '$T/out'"
check "listings: the escapes are shown" sh -c "grep -q 'x\\\\x1b]0;pwned\\\\x07' '$T/out' && grep -q 'old\\\\x1b\\[31mname' '$T/out' && grep -q 'u202e' '$T/out'"

# The second public county, when the corpus is at hand.
if [ -d "$CORPUS" ]; then
	ctl gazetteer import --streets "$CORPUS/gazetteer-411527-streets.csv" \
	    --villages "$CORPUS/gazetteer-411527-villages.csv" >"$T/out" 2>&1
	check "淮滨县 imports beside 正阳县" grep -q '^imported 19 townships and 295 villages .* the ledger has 39 townships and 592 villages$' "$T/out"
else
	ok "# SKIP corpus not present"
fi

ctl -f /nonexistent.conf tips >"$T/out" 2>&1
check "missing config: clear error" grep -q '/nonexistent.conf:0: No such file or directory' "$T/out"

finish
