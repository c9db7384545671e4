#!/bin/sh
# The coordinator's desk, /api/v1: every route and every role boundary.
# Tokens: none or unknown (401), a role that may not (403), a tip of
# another township or of another hotline operator (404); bad JSON,
# unknown fields, bad types, oversized bodies, SQL-looking and very long
# input; and the raw bytes of every answer an office's or a hotline
# operator's token gets hold no reporter's number. The checks are in
# api_checks.py; this script sets up the county, the users and the tips.
. "$top_srcdir/tests/integration/lib.sh"

mkdir -p "$T/ui"
printf '<!doctype html><title>desk</title>\n' >"$T/ui/index.html"
printf 'console.log(1);\n' >"$T/ui/app.js"
printf 'secret\n' >"$T/ui/.hidden.js"
printf 'secret\n' >"$T/ui/notes.txt"
printf 'secret\n' >"$T/secret.js"
ln -s "$T/secret.js" "$T/ui/link.js"
write_config "quiet_hours = none
ui_directory = $T/ui"
demo_county
ctl office add "袁寨所" --township 411724108 --phone 13800000888 >/dev/null
token() {	# token NAME ROLE [OPTIONS]: add a user, keep its token
	name=$1
	shift
	ctl user add "$name" --role "$@" | tail -n 1 >"$T/$name.token"
}
token admin admin
token coord coordinator
token office1 office --township 411724101
token office2 office --township 411724108
token hotline1 hotline
token hotline2 hotline
token gone coordinator
ctl user revoke gone >/dev/null
start_daemon
check "daemon ready" wait_until 10 health_is modems.0.state ready

# The web UI's files: the directory's own, of known types, nothing else.
check "ui: / leads to /ui/" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://127.0.0.1:$PORT/)\" = '302 http://127.0.0.1:$PORT/ui/' ]"
check "ui: /ui/ is index.html" sh -c "[ \"\$(curl -s -o '$T/ui.out' -D '$T/ui.head' -w '%{http_code}' http://127.0.0.1:$PORT/ui/)\" = 200 ] && grep -q '<title>desk' '$T/ui.out'"
check "ui: a page is HTML with a strict CSP" sh -c "grep -qi '^content-type: text/html' '$T/ui.head' && grep -qi \"^content-security-policy: default-src 'self'\" '$T/ui.head' && grep -qi '^x-frame-options: DENY' '$T/ui.head'"
check "ui: a script" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code} %{content_type}' http://127.0.0.1:$PORT/ui/app.js)\" = '200 text/javascript; charset=utf-8' ]"
for bad in /ui/../secret.js /ui/../tipgw.conf /ui/..%2ftipgw.conf /ui/%2e%2e/secret.js /ui/.hidden.js /ui/notes.txt /ui/nothing.js /ui/sub/app.js /ui//etc/passwd; do
	check "ui: $bad is 404" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --path-as-is --max-time 5 'http://127.0.0.1:$PORT$bad')\" = 404 ]"
done
check "ui: a symlink the operator put there is served (Debian's libjs-* way)" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/ui/link.js)\" = 200 ]"
check "ui: POST is 405" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:$PORT/ui/app.js)\" = 405 ]"

# Two SMS tips, one a township; the first with a number in its words.
inject "寒冻镇固城村东头小卖部卖过期奶粉 我电话13912345678" --from +8613900000001
check "tip A routed" wait_until 10 sql_is "SELECT state FROM tips WHERE township_code = '411724101'" routed
inject "袁寨乡小卖部卖假酒" --from +8613900000002
check "tip B routed" wait_until 10 sql_is "SELECT state FROM tips WHERE township_code = '411724108'" routed
A=$(sql "SELECT code FROM tips WHERE township_code = '411724101'")
B=$(sql "SELECT code FROM tips WHERE township_code = '411724108'")

"$PYTHON3" "$top_srcdir/tests/integration/api_checks.py" "$PORT" "$T" \
    "$A" "$B" >"$T/api.tap" 2>&1
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) echo "# $line" ;;
	esac
done <"$T/api.tap"
check "the checks ran to the end" grep -q '^ok - the end$' "$T/api.tap"

# What the ledger kept of it.
check "every change is audited with its user" sql_is "SELECT count(*) FROM events WHERE actor = 'api:office1' AND action LIKE 'tip.%'" "$(sql "SELECT count(*) FROM events WHERE actor = 'api:office1'")"
check "the reveal is audited: who and why, never the number" sql_is "SELECT actor, detail FROM events WHERE action = 'tip.revealed' ORDER BY id LIMIT 1" "api:coord|reason=回访举报人核实细节"
check "no reveal event holds the number" sql_is "SELECT count(*) FROM events WHERE action = 'tip.revealed' AND detail LIKE '%139000000%'" 0
check "the tips table survives SQL-looking input" sql_is "SELECT count(*) > 0 FROM tips" 1
check "an office added through the API is audited with the admin" sql_is "SELECT actor FROM events WHERE action = 'office.add' AND detail = '兰青所'" "api:admin"
check "a user added and revoked through the API, audited" sql_is "SELECT group_concat(action || ' ' || actor, ', ') FROM events WHERE action LIKE 'user.%' AND detail LIKE '%office3%'" "user.add api:admin, user.revoke api:admin"
check "every alert rendered" wait_until 20 sql_is "SELECT count(*) FROM alerts WHERE expanded_at IS NULL" 0
check "no alert holds the number in the route's reason" sql_is "SELECT count(*) FROM outbox WHERE intent = 'alert' AND body LIKE '%13900000002%'" 0
check "hotline: no SMS to a caller who did not ask" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000077'" 0
check "hotline: the acknowledgement to a caller who asked" sql_is "SELECT count(*) FROM outbox WHERE destination = '+8613900000078' AND intent = 'ack'" 1
check "hotline: the caller's mobile kept as the network gives it" sql_is "SELECT count(*) FROM reporters WHERE phone = '+8613900000077'" 1
check "hotline: an anonymous caller has no reporter" sql_is "SELECT reporter_id IS NULL FROM tips WHERE text = '有人卖三无辣条'" 1
check "hotline: the entry is the tip's source message" sql_is "SELECT count(*) FROM tips t JOIN raw_messages r ON r.id = t.raw_message_id WHERE t.channel = 'hotline' AND r.modem = 'hotline'" "$(sql "SELECT count(*) FROM tips WHERE channel = 'hotline'")"
check "hotline tips are the hotline's" sql_is "SELECT count(*) FROM tips WHERE channel = 'hotline' AND created_by IS NULL" 0
check "the log names no reporter's number" sh -c "! grep -Eq '13900000001|13900000077|13900000078' '$LOG'"
kill -TERM "$PID"
wait_exit 10
finish
