/*
 * The outbox as operators see it: every row, or those in one state, and
 * a failed or dead row put back in the queue by hand (audited). SQL texts
 * are in store.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/xmalloc.h"
#include "store_int.h"

/* Call cb for each outbox row (in state, if not NULL), oldest first. */
int
store_outbox_foreach(struct store *st, const char *state, store_outbox_cb cb,
    void *arg, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_OUTBOX_LIST);
	struct store_outbox_row	 r;
	int			 rc;

	store_bind_text(s, 1, state);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(s, 0);
		r.dedup_key = (const char *)sqlite3_column_text(s, 1);
		r.channel = (const char *)sqlite3_column_text(s, 2);
		r.destination = (const char *)sqlite3_column_text(s, 3);
		r.state = (const char *)sqlite3_column_text(s, 4);
		r.attempts = sqlite3_column_int(s, 5);
		r.next_attempt_at = store_column_time(s, 6);
		r.last_error = (const char *)sqlite3_column_text(s, 7);
		r.created_at = store_column_time(s, 8);
		r.sent_at = store_column_time(s, 9);
		r.tip_id = sqlite3_column_int64(s, 10);
		if (cb(&r, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "listing the outbox");
		return (-1);
	}
	return (0);
}

/*
 * Put a failed or dead row back in the queue, due now. 0 when done, 1
 * when there is no such row or it is not failed or dead (*cause says
 * which), -1 on a ledger error.
 */
int
store_outbox_retry(struct store *st, long long id, time_t now,
    const char *actor, char **cause)
{
	sqlite3_stmt	*s;
	char		 detail[64];
	const char	*state;
	int		 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_OUTBOX_RETRY);
	sqlite3_bind_int64(s, 1, id);
	store_bind_time(s, 2, now);
	if (store_run(st, s, cause, "re-queueing") != 0)
		goto fail;
	if (sqlite3_changes(st->db) == 0) {
		s = store_stmt(st, STMT_OUTBOX_STATE);
		sqlite3_bind_int64(s, 1, id);
		rc = sqlite3_step(s);
		state = rc == SQLITE_ROW ?
		    (const char *)sqlite3_column_text(s, 0) : NULL;
		if (state != NULL)
			xasprintf(cause, "outbox row %lld is %s, not failed "
			    "or dead", id, state);
		else
			xasprintf(cause, "no outbox row %lld", id);
		sqlite3_reset(s);
		store_rollback(st);
		return (1);
	}
	snprintf(detail, sizeof detail, "outbox=%lld", id);
	if (store_event_add(st, now, actor, "outbox.retry", 0, detail,
	    cause) != 0 || store_commit(st, cause) != 0)
		goto fail;
	return (0);
fail:
	store_rollback(st);
	return (-1);
}

/* How many SMS were queued to destination since a time. */
int
store_outbox_count_to(struct store *st, const char *destination,
    time_t since, int *count, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_COUNT_TO);
	long long	 n = 0;

	store_bind_text(s, 1, destination);
	store_bind_time(s, 2, since);
	if (store_run_int(st, s, &n, cause, "counting replies") != 0)
		return (-1);
	*count = (int)n;
	return (0);
}

/* Rows queued, sending, failed and dead (for /healthz). */
int
store_outbox_counts(struct store *st, long long counts[4], char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_COUNTS);
	int		 i, rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		for (i = 0; i < 4; i++)
			counts[i] = sqlite3_column_int64(s, i);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		store_cause(st, cause, "counting the outbox");
		return (-1);
	}
	return (0);
}

/* Messages from a sender since a time (of a disposition, a reason). */
int
store_sender_count(struct store *st, const char *sender, time_t since,
    const char *disposition, const char *reason, int *count, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_SENDER_COUNT);
	long long	 n = 0;

	store_bind_text(s, 1, sender);
	store_bind_time(s, 2, since);
	store_bind_text(s, 3, disposition);
	store_bind_text(s, 4, reason);
	if (store_run_int(st, s, &n, cause, "counting messages") != 0)
		return (-1);
	*count = (int)n;
	return (0);
}

/* Messages queued to a destination since a time whose key is LIKE. */
int
store_outbox_count_key(struct store *st, const char *to, time_t since,
    const char *key_like, int *count, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_COUNT_KEY);
	long long	 n = 0;

	store_bind_text(s, 1, to);
	store_bind_time(s, 2, since);
	store_bind_text(s, 3, key_like);
	if (store_run_int(st, s, &n, cause, "counting messages") != 0)
		return (-1);
	*count = (int)n;
	return (0);
}

/* The calls not yet called back (or only call id, if not 0). */
int
store_calls_open(struct store *st, long long id, store_call_cb cb,
    void *arg, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_CALLS_OPEN);
	struct store_call	 c;
	int			 rc;

	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		c.id = sqlite3_column_int64(s, 0);
		c.modem = (const char *)sqlite3_column_text(s, 1);
		c.caller = (const char *)sqlite3_column_text(s, 2);
		c.at = store_column_time(s, 3);
		c.hung_up = sqlite3_column_int(s, 4);
		if (cb(&c, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "listing calls");
		return (-1);
	}
	return (0);
}

/* A call was called back: 0, 1 if no such open call, -1 on error. */
int
store_call_done(struct store *st, long long id, const char *note, time_t now,
    const char *actor, char **cause)
{
	sqlite3_stmt	*s;
	char		*detail;

	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_CALL_DONE);
	sqlite3_bind_int64(s, 1, id);
	store_bind_time(s, 2, now);
	if (store_run(st, s, cause, "closing the call") != 0)
		goto fail;
	if (sqlite3_changes(st->db) == 0) {
		store_rollback(st);
		xasprintf(cause, "no open call %lld", id);
		return (1);
	}
	xasprintf(&detail, "call=%lld%s%s", id, note ? " note=" : "",
	    note ? note : "");
	if (store_event_add(st, now, actor, "call.handled", 0, detail,
	    cause) != 0) {
		free(detail);
		goto fail;
	}
	free(detail);
	if (store_commit(st, cause) == 0)
		return (0);
fail:
	store_rollback(st);
	return (-1);
}
