#!/bin/sh
# tipgwd at every stage of its start. The words are read from a FIFO
# (lexicon_local), so the start waits there until the test writes: once
# while the configuration is checked, once while the daemon loads its
# words with the ledger open. SIGTERM and SIGINT end it at once with
# status 0 at either stage; the API is not bound until the daemon can
# answer, so a client is refused rather than left hanging; a SIGHUP while
# starting is not fatal and becomes a reload once the loop runs.
. "$top_srcdir/tests/integration/lib.sh"

mkfifo "$T/local.txt"
write_config "lexicon_local = $T/local.txt"
demo_county
# feed: one reader of the FIFO gets an empty file.
feed() { timeout 10 sh -c "printf '' >'$T/local.txt'"; }

start_daemon
sleep 0.5
check "waiting while reading the configuration's words" kill -0 "$PID"
kill -TERM "$PID"
check "SIGTERM while reading the configuration: gone at once" wait_exit 5
check "... with status 0" [ "${EXIT_STATUS:-1}" = 0 ]
check "... saying so" log_has "tipgwd: stopped while starting"

start_daemon
feed
check "the ledger opened, the words loading" wait_until 10 log_has "store: database="
sleep 0.5
if curl -s -o /dev/null --max-time 3 "http://127.0.0.1:$PORT/healthz"; then
	rc=0
else
	rc=$?
fi
check "loading: the API's port refuses (no client hangs)" [ "$rc" = 7 ]
kill -INT "$PID"
check "SIGINT while loading the words: gone at once" wait_exit 5
check "... with status 0" [ "${EXIT_STATUS:-1}" = 0 ]

start_daemon
sleep 0.5
kill -HUP "$PID"
(while :; do printf '' >"$T/local.txt"; sleep 0.05; done) &
FEEDER=$!
check "SIGHUP while starting: not fatal, ready" wait_until 10 health_is modems.0.state ready
check "... and reloaded once running" wait_until 10 log_has "SIGHUP while starting; reloading"
check "... the reload done" wait_until 10 log_has "reloaded refused=0"
kill -TERM "$PID"
check "running: SIGTERM stops it" wait_exit 10
check "... with status 0" [ "${EXIT_STATUS:-1}" = 0 ]
check "... after stopping its modem" log_has 'modem=gammu state=ready->down reason="stopped"'
kill "$FEEDER" 2>/dev/null
wait "$FEEDER" 2>/dev/null
finish
