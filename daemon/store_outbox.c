/*
 * The ledger's outbox: every outbound message as a row under a key
 * naming its intent; the due rows taken for sending, what was sent (and
 * the delivery reports on it), failures and dead letters; rows as
 * operators list them, and a failed or dead row put back in the queue by
 * hand (audited). SQL texts are in store.c.
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


/*
 * Match a delivery report to the latest message this modem sent with
 * that reference to that number; *sent_id is 0 when none matches.
 */
int
store_delivery_report(struct store *st, const char *modem,
    const char *recipient, int reference, time_t at, int delivered,
    int status, long long *sent_id, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_SENT_REPORT);
	int		 rc;

	store_bind_text(s, 1, modem);
	sqlite3_bind_int(s, 2, reference);
	store_bind_text(s, 3, recipient);
	store_bind_text(s, 4, delivered == 1 ? "delivered" :
	    delivered == 0 ? "failed" : "pending");
	if (at != 0)
		store_bind_time(s, 5, at);
	sqlite3_bind_int(s, 6, status);
	*sent_id = 0;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*sent_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "recording delivery report");
		return (-1);
	}
	return (0);
}

/*
 * Queue an outbound message under a key naming its intent; *id is 0 when
 * that intent was queued before (and nothing is added).
 */
int
store_outbox_queue(struct store *st, const char *dedup_key,
    const char *channel, const char *destination, const char *body,
    long long tip_id, time_t now, long long *id, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_QUEUE);

	store_bind_text(s, 1, dedup_key);
	store_bind_text(s, 2, channel);
	store_bind_text(s, 3, destination);
	store_bind_text(s, 4, body);
	store_bind_id(s, 5, tip_id);
	store_bind_time(s, 6, now);
	if (store_run(st, s, cause, "queueing message") != 0)
		return (-1);
	*id = sqlite3_changes(st->db) == 1 ?
	    sqlite3_last_insert_rowid(st->db) : 0;
	return (0);
}

static int
store_outbox_mark(struct store *st, long long id, const char *state,
    int attempt, const char *error, const char *retry_at, time_t sent_at,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_SET);

	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, state);
	sqlite3_bind_int(s, 3, attempt);
	store_bind_text(s, 4, error);
	store_bind_text(s, 5, retry_at);
	if (sent_at != 0)
		store_bind_time(s, 6, sent_at);
	return (store_run(st, s, cause, "updating outbox"));
}

static int
store_outbox_due_rows(struct store *st, const char *channel, time_t now,
    int limit, struct store_outbox_item **rows, int *n, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_OUTBOX_DUE);
	struct store_outbox_item	*r;
	int			 rc;

	store_bind_time(s, 1, now);
	sqlite3_bind_int(s, 2, limit);
	store_bind_text(s, 3, channel);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*rows = xreallocarray(*rows, (size_t)*n + 1, sizeof **rows);
		r = &(*rows)[(*n)++];
		r->id = sqlite3_column_int64(s, 0);
		r->destination = store_column_strdup(s, 1);
		r->body = store_column_strdup(s, 2);
		r->attempts = sqlite3_column_int(s, 3);
		r->dedup_key = store_column_strdup(s, 4);
		r->created_at = store_column_time(s, 5);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "listing the outbox");
		return (-1);
	}
	return (0);
}

/*
 * Take up to limit messages of a channel that are due, marking them
 * "sending" in the same transaction, so that no other pass takes them.
 */
int
store_outbox_due(struct store *st, const char *channel, time_t now,
    int limit, struct store_outbox_item **rows, int *n, char **cause)
{
	int	 i, rc;

	*rows = NULL;
	*n = 0;
	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_outbox_due_rows(st, channel, now, limit, rows, n, cause);
	for (i = 0; rc == 0 && i < *n; i++)
		rc = store_outbox_mark(st, (*rows)[i].id, "sending", 1, NULL,
		    NULL, 0, cause);
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0) {
		store_rollback(st);
		store_outbox_items_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return (rc);
}

/* Free rows from store_outbox_due. */
void
store_outbox_items_free(struct store_outbox_item *rows, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		free(rows[i].dedup_key);
		free(rows[i].destination);
		free(rows[i].body);
	}
	free(rows);
}

/* A message went out: mark it sent and remember its reference. */
int
store_outbox_sent(struct store *st, long long id, const char *modem,
    const char *recipient, int reference, int parts, int reports,
    time_t now, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_outbox_mark(st, id, "sent", 0, NULL, NULL, now, cause);
	if (rc == 0) {
		s = store_stmt(st, STMT_SENT_INSERT);
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, modem);
		store_bind_text(s, 3, recipient);
		if (reference >= 0)
			sqlite3_bind_int(s, 4, reference);
		sqlite3_bind_int(s, 5, parts);
		store_bind_time(s, 6, now);
		store_bind_text(s, 7, reports ? "pending" : "unknown");
		rc = store_run(st, s, cause, "recording sent message");
	}
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0)
		store_rollback(st);
	return (rc);
}

static long long
store_outbox_tip(struct store *st, long long id)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_TIP);
	long long	 tip = 0;

	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		tip = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return (tip);
}

/*
 * A message failed: try again at retry_at, or give up (dead). A dead
 * letter is an event for the coordinator, in the same transaction.
 */
int
store_outbox_failed(struct store *st, long long id, const char *error,
    int dead, time_t retry_at, time_t now, char **cause)
{
	char	 when[32], detail[320];

	if (store_begin(st, cause) != 0)
		return (-1);
	if (store_outbox_mark(st, id, dead ? "dead" : "failed", 0, error,
	    tipgw_time_format(retry_at, when, sizeof when), 0, cause) != 0)
		goto fail;
	if (dead) {
		snprintf(detail, sizeof detail, "outbox=%lld error=%s", id,
		    error != NULL ? error : "-");
		if (store_event_add(st, now, "tipgwd", "outbox.dead",
		    store_outbox_tip(st, id), detail, cause) != 0)
			goto fail;
	}
	if (store_commit(st, cause) == 0)
		return (0);
fail:
	store_rollback(st);
	return (-1);
}

/* A webhook or an e-mail was accepted by the other side. */
int
store_outbox_delivered(struct store *st, long long id, time_t now,
    char **cause)
{
	return (store_outbox_mark(st, id, "sent", 0, NULL, NULL, now, cause));
}

/*
 * A message just taken for a number that has opted out since it was
 * queued is not sent: *cancelled is 1 and the row is dead.
 */
int
store_outbox_optout(struct store *st, long long id, int *cancelled,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_CANCEL);

	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, "the number opted out; not sent");
	if (store_run(st, s, cause, "checking the opt-out") != 0)
		return (-1);
	*cancelled = sqlite3_changes(st->db) > 0;
	return (0);
}

/* Hold a message until a time without counting an attempt. */
int
store_outbox_postpone(struct store *st, long long id, time_t until,
    const char *why, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_POSTPONE);

	sqlite3_bind_int64(s, 1, id);
	store_bind_time(s, 2, until);
	store_bind_text(s, 3, why);
	return (store_run(st, s, cause, "postponing"));
}

/* SMS parts sent since a time (the daily budget). */
int
store_sms_parts_since(struct store *st, time_t since, long long *parts,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_SMS_PARTS_SINCE);

	store_bind_time(s, 1, since);
	return (store_run_int(st, s, parts, cause, "counting SMS sent"));
}

/*
 * At start-up, rows left "sending" by a crash. An SMS may or may not
 * have gone out: it is marked failed, not sent again on its own (twice
 * is worse than asking a person). A webhook or an e-mail is queued again:
 * it carries its dedup key (Idempotency-Key, Message-ID), so the
 * receiver can drop a second copy.
 */
int
store_outbox_interrupted(struct store *st, int *count, int *requeued,
    char **cause)
{
	if (store_run(st, store_stmt(st, STMT_OUTBOX_INTERRUPTED), cause,
	    "checking the outbox") != 0)
		return (-1);
	*count = sqlite3_changes(st->db);
	if (store_run(st, store_stmt(st, STMT_OUTBOX_REQUEUE), cause,
	    "checking the outbox") != 0)
		return (-1);
	*requeued = sqlite3_changes(st->db);
	return (0);
}
