/*
 * The ledger's side of the modems: received messages with their part keys
 * (committed before the modem may delete them), calls to the hotline SIM,
 * the SMS outbox and what was sent, and delivery reports. SQL texts are in
 * store.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

/* Set known[i] for each part key the ledger already holds. */
int
store_parts_known(struct store *st, const char *const *keys, int n,
    int *known, char **cause)
{
	sqlite3_stmt	*s;
	int		 i, rc;

	for (i = 0; i < n; i++) {
		s = store_stmt(st, STMT_PART_KNOWN);
		store_bind_text(s, 1, keys[i]);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			store_cause(st, cause, "looking up part");
			return (-1);
		}
		known[i] = rc == SQLITE_ROW;
	}
	return (0);
}

int
store_raw_insert(struct store *st, const struct store_raw *r, long long *id,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_RAW_INSERT);

	store_bind_text(s, 1, r->dedup_key);
	store_bind_text(s, 2, r->modem);
	store_bind_text(s, 3, r->sender);
	store_bind_text(s, 4, r->smsc);
	if (r->smsc_time != 0)
		store_bind_time(s, 5, r->smsc_time);
	store_bind_time(s, 6, r->received_at);
	if (r->concat_ref >= 0)
		sqlite3_bind_int(s, 7, r->concat_ref);
	sqlite3_bind_int(s, 8, r->parts_total);
	sqlite3_bind_int(s, 9, r->parts_present);
	store_bind_text(s, 10, r->coding);
	store_bind_text(s, 11, r->text);
	store_bind_text(s, 12, r->raw_hex);
	sqlite3_bind_int(s, 13, r->flags);
	store_bind_text(s, 14, r->disposition);
	if (store_run(st, s, cause, "adding raw message") != 0)
		return (-1);
	if (sqlite3_changes(st->db) == 1) {
		*id = sqlite3_last_insert_rowid(st->db);
		return (1);
	}
	s = store_stmt(st, STMT_RAW_ID);	/* stored before */
	store_bind_text(s, 1, r->dedup_key);
	return (store_run_int(st, s, id, cause, "finding raw message"));
}

int
store_raw_parts(struct store *st, const struct store_raw *r, long long id,
    char **cause)
{
	sqlite3_stmt	*s;
	int		 i;

	for (i = 0; i < r->nparts; i++) {
		s = store_stmt(st, STMT_PART_INSERT);
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, r->parts[i].key);
		sqlite3_bind_int(s, 3, r->parts[i].number);
		if (store_run(st, s, cause, "adding part") != 0)
			return (-1);
	}
	return (0);
}

/*
 * Commit a received message, its part keys and, if tip is set, the tip
 * (state "received") and its reporter, in one transaction. A message
 * stored before is not stored again (and gets no second tip); *raw_id is
 * set either way.
 */
int
store_intake(struct store *st, const struct store_raw *r, struct tip *tip,
    long long *raw_id, char **cause)
{
	struct store_understood	 u;
	int			 stored;

	memset(&u, 0, sizeof u);
	u.state = tip != NULL && tip->state != NULL ? tip->state : "received";
	return (store_intake_full(st, r, tip, &u, raw_id, &stored, cause));
}

/* Record a call to the hotline SIM. */
int
store_call_add(struct store *st, const char *modem, const char *caller,
    time_t at, int hung_up, long long *id, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_CALL_INSERT);
	char		 detail[64], actor[64];

	if (store_begin(st, cause) != 0)
		return (-1);
	store_bind_text(s, 1, modem);
	store_bind_text(s, 2, caller);
	store_bind_time(s, 3, at);
	sqlite3_bind_int(s, 4, hung_up);
	if (store_run(st, s, cause, "adding call") != 0)
		goto fail;
	*id = sqlite3_last_insert_rowid(st->db);
	snprintf(detail, sizeof detail, "call=%lld hung_up=%d", *id, hung_up);
	snprintf(actor, sizeof actor, "modem:%s", modem);
	if (store_event_add(st, at, actor, "call.missed", 0, detail,
	    cause) != 0 || store_commit(st, cause) != 0)
		goto fail;
	return (0);
fail:
	store_rollback(st);
	return (-1);
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
