#!/bin/sh
# tipgwd on the dummy modem: it starts, answers /healthz, reloads on SIGHUP
# (refusing what needs a restart, keeping the old config when the new one
# is broken), keeps running when a modem is missing, and stops cleanly.
. "$top_srcdir/tests/integration/lib.sh"

write_config
umask 022
start_daemon
check "healthz answers 200" wait_until 10 http_status_is /healthz 200
check "the ledger is the owner's only, whatever the umask" sh -c "[ \"\$(stat -c %a '$T/tipgw.db')\" = 600 ] && [ \"\$(stat -c %a '$T/tipgw.db-wal')\" = 600 ]"
check "database ok" health_is database.state ok
check "schema version reported" health_is database.schema 22
check "version reported" health_is version "$(sed -n 's/^AC_INIT(\[tipgw\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")"
check "dummy modem reaches ready" wait_until 10 health_is modems.0.state ready
check "status ok once the modem is ready" health_is status ok
check "modem identity read (IMEI)" health_is modems.0.imei 999999999999999
check "transition logged with reason" log_has 'modem=gammu state=connecting->ready reason="connected"'
check "unknown path is a JSON 404" sh -c "[ \"\$(curl -s -o '$T/404' -w '%{http_code}' http://127.0.0.1:$PORT/nothing)\" = 404 ] && grep -q '\"error\"' '$T/404'"
check "POST to /healthz is 405" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:$PORT/healthz)\" = 405 ]"
for method in OPTIONS TRACE; do
	check "$method to /healthz is a JSON 405" sh -c "[ \"\$(curl -s -o '$T/405' -w '%{http_code}' -X $method http://127.0.0.1:$PORT/healthz)\" = 405 ] && grep -q '\"error\"' '$T/405'"
done

# SIGHUP with a changed poll interval and a changed listen address.
OLD_PORT=$PORT
PORT=$(free_port) write_config
sed -i 's/^poll_interval = 1s/poll_interval = 3s/' "$T/tipgw.conf"
kill -HUP "$PID"
check "reload logged" wait_until 10 log_has 'reloaded refused=1'
check "listen change refused with a warning" log_has 'listen change needs a restart; keeping 127.0.0.1:'"$OLD_PORT"
PORT=$OLD_PORT
check "still serving on the old port after reload" health_is database.state ok

# SIGHUP with a broken file: errors logged with file:line, old config kept.
printf '[tipgw]\ndatabase = %s/tipgw.db\nbogus = 1\n' "$T" >"$T/tipgw.conf"
kill -HUP "$PID"
check "broken reload reports file:line" wait_until 10 log_has "$T/tipgw.conf:3: unknown key 'bogus' in \[tipgw\]"
check "broken reload keeps the running config" log_has 'has errors; keeping the running configuration'
check "daemon still healthy after a broken reload" health_is status ok

kill -TERM "$PID"
check "SIGTERM: exits within 5 seconds" wait_exit 5
check "SIGTERM: exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]
check "SIGTERM: modem stopped" log_has 'modem=gammu state=ready->down reason="stopped"'
check "SIGTERM: exit logged" log_has 'tipgwd: exiting'

# SIGINT stops it too.
write_config
start_daemon
wait_until 10 http_status_is /healthz 200
EXIT_STATUS=
kill -INT "$PID"
check "SIGINT: exits within 5 seconds" wait_exit 5
check "SIGINT: exit status 0" [ "${EXIT_STATUS:-1}" = 0 ]

# A modem that is not there: the daemon runs, the modem backs off.
write_config "" "[gammu]
device = $T/no-such-tty
connection = at"
start_daemon
check "missing modem: healthz still answers" wait_until 10 http_status_is /healthz 200
check "missing modem: state backoff" wait_until 10 health_is modems.0.state backoff
check "missing modem: status degraded" health_is status degraded
check "missing modem: reason logged" log_has 'state=connecting->backoff reason=".*retry in 2s"'
check "missing modem: retried with a longer wait" wait_until 15 log_has 'retry in 4s'

# A second daemon on the same port fails with a clear message.
SECOND_LOG="$T/second.log"
"$TIPGWD" -d -f "$T/tipgw.conf" >"$SECOND_LOG" 2>&1
check "port in use: second daemon exits 1" [ $? = 1 ]
check "port in use: says why" grep -q "cannot listen on 127.0.0.1 port $PORT" "$SECOND_LOG"
kill -TERM "$PID"
check "missing modem: still stops cleanly" wait_exit 5

# A ledger others could read (made before this check) is made private.
chmod 644 "$T/tipgw.db"
start_daemon
check "a readable ledger: made 0600" wait_until 10 sh -c "[ \"\$(stat -c %a '$T/tipgw.db')\" = 600 ]"
check "a readable ledger: warned" log_has 'tipgw.db was readable by others (mode 0644); made 0600'
kill -TERM "$PID"
check "a readable ledger: stops cleanly" wait_exit 10

# Out of descriptors: one warning, no flood, and it answers again once
# the connections close.
(ulimit -n 100; exec "$TIPGWD" -d -v -f "$T/tipgw.conf" >>"$LOG" 2>&1) &
PID=$!
check "few descriptors: ready" wait_until 10 http_status_is /healthz 200
before=$(wc -l < "$LOG")
"$PYTHON3" - "$PORT" <<'PY'
import socket, sys, time
held = []
for i in range(200):
    try:
        held.append(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2))
    except OSError:
        pass
time.sleep(4)
for s in held:
    s.close()
PY
check "few descriptors: at most a few lines logged" [ $(($(wc -l < "$LOG") - before)) -le 5 ]
check "few descriptors: one warning" [ "$(tail -n +$((before + 1)) "$LOG" | grep -c 'cannot accept connections')" = 1 ]
check "few descriptors: answers again" wait_until 10 http_status_is /healthz 200
kill -TERM "$PID"
check "few descriptors: stops cleanly" wait_exit 10

# A broken config stops start-up with exit status 1.
printf '[tipgw]\nlisten = nowhere\n' >"$T/bad.conf"
"$TIPGWD" -d -f "$T/bad.conf" >"$T/bad.log" 2>&1
check "broken config: exit 1" [ $? = 1 ]
check "broken config: file:line errors" grep -q "$T/bad.conf:2: listen: bad value 'nowhere'" "$T/bad.log"

finish
