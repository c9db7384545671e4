/*
 * The ledger's outbox: every outbound message as a row under a key
 * naming its intent; the due rows taken for sending, what was sent (and
 * the delivery reports on it), failures and dead letters; rows as
 * operators list them, and a failed or dead row put back in the queue by
 * hand (audited). SQL texts are in store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/outbox_state.h"
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
		r.intent = (const char *)sqlite3_column_text(s, 11);
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
 * Put a failed or dead row back in the queue, due now (a person asks).
 * 0 when done, 1 when there is no such row or it is neither failed nor
 * dead (*cause says which), -1 on a ledger error.
 */
int
store_outbox_retry(struct store *st, long long id, time_t now,
    const char *actor, char **cause)
{
	struct store_outbox_change	 ch;
	sqlite3_stmt			*s = store_stmt(st, STMT_OUTBOX_STATE);
	int				 rc, known;

	sqlite3_bind_int64(s, 1, id);
	memset(&ch, 0, sizeof ch);
	rc = sqlite3_step(s);
	known = rc == SQLITE_ROW && outbox_state_parse((const char *)
	    sqlite3_column_text(s, 0), &ch.from) == 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "looking up outbox row %lld", id);
		return (-1);
	}
	if (!known) {
		xasprintf(cause, "no outbox row %lld", id);
		return (1);
	}
	if (outbox_next(ch.from, OUTBOX_EV_RETRY) == NULL) {
		xasprintf(cause, "outbox row %lld is %s, not failed or dead", id,
		    outbox_state_name(ch.from));
		return (1);
	}
	ch.id = id;
	ch.event = OUTBOX_EV_RETRY;
	ch.actor = actor;
	ch.at = ch.next_at = now;
	return (store_outbox_transition(st, &ch, cause));
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
	static const enum outbox_state	 order[4] = { OUTBOX_QUEUED,
					    OUTBOX_SENDING, OUTBOX_FAILED,
					    OUTBOX_DEAD };
	sqlite3_stmt			*s = store_stmt(st, STMT_OUTBOX_COUNTS);
	enum outbox_state		 state;
	int				 i, rc;

	memset(counts, 0, 4 * sizeof counts[0]);
	store_bind_text(s, 1, outbox_state_name(OUTBOX_SENT));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (outbox_state_parse((const char *)sqlite3_column_text(s, 0),
		    &state) != 0)
			continue;
		for (i = 0; i < 4; i++) {
			if (order[i] == state)
				counts[i] = sqlite3_column_int64(s, 1);
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "counting the outbox");
		return (-1);
	}
	return (0);
}

/* Messages of an intent queued to a destination since a time. */
int
store_outbox_count_intent(struct store *st, const char *to, time_t since,
    enum outbox_intent intent, int *count, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_COUNT_INTENT);
	long long	 n = 0;

	store_bind_text(s, 1, to);
	store_bind_time(s, 2, since);
	store_bind_text(s, 3, outbox_intent_name(intent));
	if (store_run_int(st, s, &n, cause, "counting messages") != 0)
		return (-1);
	*count = (int)n;
	return (0);
}

static int
store_report_step(struct store *st, sqlite3_stmt *s, long long *sent_id,
    char **cause)
{
	int	 rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		*sent_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "recording delivery report");
		return (-1);
	}
	return (0);
}

static void
store_report_bind(sqlite3_stmt *s, const char *modem, const char *recipient,
    int reference, time_t at, int delivered, int status)
{
	store_bind_text(s, 1, modem);
	sqlite3_bind_int(s, 2, reference);
	store_bind_text(s, 3, recipient);
	store_bind_text(s, 4, delivered == 1 ? "delivered" :
	    delivered == 0 ? "failed" : "pending");
	if (at != 0)
		store_bind_time(s, 5, at);
	sqlite3_bind_int(s, 6, status);
}

/*
 * Match a delivery report to the part of the latest message this modem
 * sent to that number with that reference: the message is delivered
 * when every part is, failed when one part failed. A message sent before
 * parts were kept matches on its last part's reference. *sent_id is 0
 * when nothing matches.
 */
int
store_delivery_report(struct store *st, const char *modem,
    const char *recipient, int reference, time_t at, int delivered,
    int status, long long *sent_id, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	*sent_id = 0;
	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_SENT_PART_REPORT);
	store_report_bind(s, modem, recipient, reference, at, delivered,
	    status);
	rc = store_report_step(st, s, sent_id, cause);
	if (rc == 0 && *sent_id != 0) {
		s = store_stmt(st, STMT_SENT_DELIVERY);
		sqlite3_bind_int64(s, 1, *sent_id);
		rc = store_run(st, s, cause, "recording delivery");
	} else if (rc == 0) {
		s = store_stmt(st, STMT_SENT_REPORT);
		store_report_bind(s, modem, recipient, reference, at,
		    delivered, status);
		rc = store_report_step(st, s, sent_id, cause);
	}
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0)
		store_rollback(st);
	return (rc);
}

/*
 * Queue an outbound message for an intent under a key naming it; *id is
 * 0 when that key was queued before (and nothing is added).
 */
int
store_outbox_queue(struct store *st, const struct store_outbox_new *m,
    long long *id, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_QUEUE);

	store_bind_text(s, 1, m->dedup_key);
	store_bind_text(s, 2, m->channel);
	store_bind_text(s, 3, m->destination);
	store_bind_text(s, 4, m->body);
	store_bind_id(s, 5, m->tip_id);
	store_bind_time(s, 6, m->at);
	store_bind_text(s, 7, outbox_intent_name(m->intent));
	if (store_run(st, s, cause, "queueing message") != 0)
		return (-1);
	*id = sqlite3_changes(st->db) == 1 ?
	    sqlite3_last_insert_rowid(st->db) : 0;
	return (0);
}

/* What the last_error column becomes: 1 set, 2 cleared, 0 kept. */
static int
store_outbox_error_op(unsigned int actions)
{
	if (actions & OUTBOX_DO_ERROR)
		return (1);
	if (actions & OUTBOX_DO_CLEAR_ERROR)
		return (2);
	return (0);
}

/* The audit event of a transition the table audits. */
static int
store_outbox_audit(struct store *st, const struct store_outbox_change *ch,
    const struct outbox_transition *t, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_TIP);
	long long	 tip = 0;
	char		 action[48], detail[320];

	sqlite3_bind_int64(s, 1, ch->id);
	if (sqlite3_step(s) == SQLITE_ROW)
		tip = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	snprintf(action, sizeof action, "outbox.%s",
	    t->to == OUTBOX_DEAD ? "dead" : outbox_event_name(t->event));
	snprintf(detail, sizeof detail, "outbox=%lld state=%s->%s%s%s", ch->id,
	    outbox_state_name(t->from), outbox_state_name(t->to),
	    ch->error != NULL ? " error=" : "", ch->error != NULL ?
	    ch->error : "");
	return (store_event_add(st, ch->at, ch->actor, action, tip, detail,
	    cause));
}

/*
 * A dead letter: the coordinator is told what could not be sent and
 * why, never to whom; at most once in STORE_DEAD_LETTER_GAP (the others
 * are counted by /healthz and listed by tipgwctl). A notice that dies
 * tells nobody (no loop).
 */
static int
store_outbox_notice(struct store *st, const struct store_outbox_change *ch,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OUTBOX_WHAT);
	char		 key[64], when[16], detail[320];
	const char	*intent = NULL, *channel, *code;
	int		 rc, added;

	sqlite3_bind_int64(s, 1, ch->id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		intent = (const char *)sqlite3_column_text(s, 0);
		channel = (const char *)sqlite3_column_text(s, 1);
		code = (const char *)sqlite3_column_text(s, 2);
		snprintf(detail, sizeof detail, "outbox=%lld（%s，%s%s%s）%s",
		    ch->id, intent, channel, code ? "，举报" : "",
		    code ? code : "", ch->error ? ch->error : "");
	}
	if (rc == SQLITE_ROW && intent != NULL &&
	    strcmp(intent, outbox_intent_name(OUTBOX_NOTICE)) == 0)
		intent = NULL;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "reading a dead letter");
		return (-1);
	}
	if (intent == NULL)
		return (0);
	snprintf(key, sizeof key, "dead_letter:%s:%lld",
	    clock_china_format(ch->at, "%Y%m%d%H%M%S", when, sizeof when),
	    ch->id);
	return (store_alert_fault(st, "dead_letter", key, detail, ch->at,
	    STORE_DEAD_LETTER_GAP, &added, cause));
}

/*
 * One transition of an outbox row read in state ch->from, inside the
 * caller's transaction: what outbox_next() allows, guarded on that
 * state, its entry actions, an audit event where the table asks, and a
 * log line once the transaction commits. 0, 1 when refused, -1.
 */
static int
store_outbox_apply(struct store *st, const struct store_outbox_change *ch,
    char **cause)
{
	const struct outbox_transition	*t;
	sqlite3_stmt			*s;
	unsigned int			 a;

	if ((t = outbox_next(ch->from, ch->event)) == NULL) {
		xasprintf(cause, "outbox row %lld is %s: %s is refused", ch->id,
		    outbox_state_name(ch->from), outbox_event_name(ch->event));
		return (1);
	}
	a = t->actions;
	s = store_stmt(st, STMT_OUTBOX_MOVE);
	sqlite3_bind_int64(s, 1, ch->id);
	store_bind_text(s, 2, outbox_state_name(t->from));
	store_bind_text(s, 3, outbox_state_name(t->to));
	sqlite3_bind_int(s, 4, (a & OUTBOX_DO_COUNT) ? 1 :
	    (a & OUTBOX_DO_UNCOUNT) ? -1 : 0);
	sqlite3_bind_int(s, 5, store_outbox_error_op(a));
	store_bind_text(s, 6, ch->error);
	if (a & OUTBOX_DO_NEXT)
		store_bind_time(s, 7, ch->next_at);
	if (a & OUTBOX_DO_SENT_AT)
		store_bind_time(s, 8, ch->at);
	sqlite3_bind_int(s, 9, (a & OUTBOX_DO_RESENT) ? 1 : 0);
	if (store_run(st, s, cause, "changing the outbox") != 0)
		return (-1);
	if (sqlite3_changes(st->db) == 0) {
		xasprintf(cause, "outbox row %lld is no longer %s", ch->id,
		    outbox_state_name(t->from));
		return (1);
	}
	if ((a & OUTBOX_DO_AUDIT) && store_outbox_audit(st, ch, t,
	    cause) != 0)
		return (-1);
	if ((a & OUTBOX_DO_NOTICE) && store_outbox_notice(st, ch, cause) != 0)
		return (-1);
	store_log_at_commit(st, ch->warn, "outbox=%lld state=%s->%s "
	    "event=%s actor=%s%s%s", ch->id, outbox_state_name(t->from),
	    outbox_state_name(t->to), outbox_event_name(t->event), ch->actor,
	    ch->note != NULL ? " " : "", ch->note != NULL ? ch->note : "");
	return (0);
}

/*
 * One transition of an outbox row, in its own transaction: 0, 1 when
 * the table or the row's state refuses it (*cause says why), -1.
 */
int
store_outbox_transition(struct store *st, const struct store_outbox_change *ch,
    char **cause)
{
	int	 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	if ((rc = store_outbox_apply(st, ch, cause)) == 0 &&
	    store_commit(st, cause) != 0)
		rc = -1;
	if (rc != 0)
		store_rollback(st);
	return (rc);
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
	store_bind_text(s, 4, outbox_state_name(OUTBOX_QUEUED));
	store_bind_text(s, 5, outbox_state_name(OUTBOX_FAILED));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*rows = xreallocarray(*rows, (size_t)*n + 1, sizeof **rows);
		r = &(*rows)[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(s, 0);
		r->destination = store_column_strdup(s, 1);
		r->body = store_column_strdup(s, 2);
		r->attempts = sqlite3_column_int(s, 3);
		r->dedup_key = store_column_strdup(s, 4);
		r->created_at = store_column_time(s, 5);
		if (outbox_intent_parse((const char *)sqlite3_column_text(s,
		    6), &r->intent) != 0)
			r->intent = OUTBOX_MANUAL;
		if (outbox_state_parse((const char *)sqlite3_column_text(s,
		    7), &r->state) != 0)
			r->state = OUTBOX_QUEUED;
		r->opted_out = sqlite3_column_int(s, 8);
		r->resends = sqlite3_column_int(s, 9);
		r->channel = xstrdup(channel);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "listing the outbox");
		return (-1);
	}
	return (0);
}

/*
 * Take up to limit messages of a channel that are due (each through the
 * take transition, so that no other pass takes them), in one
 * transaction; the rows come back in state sending.
 */
int
store_outbox_due(struct store *st, const char *channel, time_t now,
    int limit, struct store_outbox_item **rows, int *n, char **cause)
{
	struct store_outbox_change	 ch;
	int				 i, rc;

	*rows = NULL;
	*n = 0;
	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_outbox_due_rows(st, channel, now, limit, rows, n, cause);
	memset(&ch, 0, sizeof ch);
	ch.event = OUTBOX_EV_TAKE;
	ch.actor = "tipgwd";
	ch.at = now;
	for (i = 0; rc == 0 && i < *n; i++) {
		ch.id = (*rows)[i].id;
		ch.from = (*rows)[i].state;
		rc = store_outbox_apply(st, &ch, cause) == 0 ? 0 : -1;
		(*rows)[i].state = OUTBOX_SENDING;
		(*rows)[i].attempts++;
	}
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
		free(rows[i].channel);
	}
	free(rows);
}

/* Each part's reference, for its delivery report. */
static int
store_sent_parts(struct store *st, long long sent_id,
    const struct store_sms_sent *sent, char **cause)
{
	sqlite3_stmt	*s;
	int		 i;

	for (i = 0; i < sent->nreferences; i++) {
		s = store_stmt(st, STMT_SENT_PART_INSERT);
		sqlite3_bind_int64(s, 1, sent_id);
		sqlite3_bind_int(s, 2, i + 1);
		sqlite3_bind_int(s, 3, sent->references[i]);
		if (store_run(st, s, cause, "recording a part sent") != 0)
			return (-1);
	}
	return (0);
}

/*
 * An SMS went out through a modem: the sent transition and what the
 * modem sent (its parts' references, for delivery reports), in one
 * transaction.
 */
int
store_outbox_sent(struct store *st, const struct store_outbox_change *ch,
    const struct store_sms_sent *sent, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_outbox_apply(st, ch, cause) == 0 ? 0 : -1;
	if (rc == 0) {
		s = store_stmt(st, STMT_SENT_INSERT);
		sqlite3_bind_int64(s, 1, ch->id);
		store_bind_text(s, 2, sent->modem);
		store_bind_text(s, 3, sent->recipient);
		if (sent->reference >= 0)
			sqlite3_bind_int(s, 4, sent->reference);
		sqlite3_bind_int(s, 5, sent->parts);
		store_bind_time(s, 6, ch->at);
		store_bind_text(s, 7, sent->reports ? "pending" : "unknown");
		rc = store_run(st, s, cause, "recording sent message");
	}
	if (rc == 0 && sent->reports)
		rc = store_sent_parts(st, sqlite3_last_insert_rowid(st->db), sent,
		    cause);
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0)
		store_rollback(st);
	return (rc);
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
 * SMS parts sent since, to reporters (intents that are not urgent) and
 * in all: the daily budget counts both.
 */
int
store_sms_parts_to_reporters(struct store *st, time_t since,
    long long *reporters, long long *all, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_SMS_PARTS_BY_INTENT);
	enum outbox_intent	 intent;
	long long		 n;
	int			 rc;

	*reporters = *all = 0;
	store_bind_time(s, 1, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n = sqlite3_column_int64(s, 1);
		*all += n;
		if (outbox_intent_parse((const char *)sqlite3_column_text(s,
		    0), &intent) == 0 && !outbox_intent_urgent(intent))
			*reporters += n;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "counting SMS sent");
		return (-1);
	}
	return (0);
}

/*
 * At start-up, rows left sending by a crash. One the modem confirmed (its
 * reference is recorded) was sent. Any other goes again: an SMS the modem
 * may have transmitted just before the crash costs a rare duplicate, never
 * a silent loss; a webhook or an e-mail carries its dedup key
 * (Idempotency-Key, Message-ID), so a receiver can drop a second copy.
 * *resent counts the rows queued again, *confirmed the SMS found sent.
 */
int
store_outbox_interrupted(struct store *st, time_t now, int *resent,
    int *confirmed, char **cause)
{
	struct store_outbox_change	 ch;
	sqlite3_stmt			*s;
	long long			*ids = NULL;
	int				*sent = NULL, n = 0, i, rc;

	*resent = *confirmed = 0;
	s = store_stmt(st, STMT_OUTBOX_IN_STATE);
	store_bind_text(s, 1, outbox_state_name(OUTBOX_SENDING));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids = xreallocarray(ids, (size_t)n + 1, sizeof *ids);
		sent = xreallocarray(sent, (size_t)n + 1, sizeof *sent);
		ids[n] = sqlite3_column_int64(s, 0);
		sent[n++] = sqlite3_column_int(s, 2) > 0;
	}
	sqlite3_reset(s);
	rc = rc == SQLITE_DONE ? 0 : -1;
	if (rc != 0)
		store_cause(st, cause, "checking the outbox");
	memset(&ch, 0, sizeof ch);
	ch.from = OUTBOX_SENDING;
	ch.actor = "tipgwd";
	ch.at = now;
	ch.warn = 1;
	for (i = 0; rc == 0 && i < n; i++) {
		ch.id = ids[i];
		ch.event = sent[i] ? OUTBOX_EV_SENT : OUTBOX_EV_RESEND;
		ch.error = sent[i] ? NULL : "interrupted while sending; sent "
		    "again";
		ch.next_at = now;
		if ((rc = store_outbox_transition(st, &ch, cause)) == 0)
			(*(sent[i] ? confirmed : resent))++;
	}
	free(ids);
	free(sent);
	return (rc == 0 ? 0 : -1);
}
