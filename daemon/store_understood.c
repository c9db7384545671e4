/*
 * The ledger's side of understanding: a received message with what was
 * made of it (a new tip, the next message of a tip's conversation, a
 * command or not a tip) and the replies it calls for, in one transaction;
 * the reporter's latest tip; a tip's status by code; the gazetteer as
 * division data. SQL texts are in store.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/xmalloc.h"
#include "store_int.h"

static int
store_understood_tip(struct store *st, const struct store_raw *r,
    long long raw_id, struct tip *tip, const struct store_understood *u,
    char **cause)
{
	sqlite3_stmt	*s;
	char		 detail[96], actor[64];
	const char	*action = "tip.updated";

	snprintf(actor, sizeof actor, "modem:%s", r->modem);
	if (u->tip_id == 0) {
		tip->raw_message_id = raw_id;
		if (store_tip_add(st, tip, r->sender, cause) != 0)
			return (-1);
		action = "tip.received";
	} else
		tip->id = u->tip_id;
	if (u->merge) {
		action = "tip.merged";
		s = store_stmt(st, STMT_TIP_CLOCK_RESTART);
		sqlite3_bind_int64(s, 1, tip->id);
		store_bind_time(s, 2, r->received_at);
		if (store_run(st, s, cause, "restarting the clock") != 0)
			return (-1);
	}
	s = store_stmt(st, STMT_TIP_UNDERSTOOD);
	sqlite3_bind_int64(s, 1, tip->id);
	store_bind_text(s, 2, tip->text);
	store_bind_text(s, 3, u->state);
	store_bind_text(s, 4, tip->kind);
	store_bind_text(s, 5, tip->product);
	store_bind_text(s, 6, tip->township_code);
	store_bind_text(s, 7, tip->village_code);
	store_bind_text(s, 8, u->route);
	store_bind_text(s, 9, u->brand);
	store_bind_text(s, 10, u->place);
	store_bind_text(s, 11, u->candidates);
	sqlite3_bind_int(s, 12, u->questions);
	store_bind_time(s, 13, r->received_at);
	store_bind_text(s, 14, u->pin);
	if (store_run(st, s, cause, "recording the tip") != 0)
		return (-1);
	snprintf(detail, sizeof detail, "raw=%lld state=%s route=%s township=%s",
	    raw_id, u->state, u->route ? u->route : "-",
	    tip->township_code ? tip->township_code : "-");
	return (store_event_add(st, r->received_at, actor, action, tip->id,
	    detail, cause));
}

static int
store_understood_replies(struct store *st, const struct store_raw *r,
    long long tip_id, const struct store_understood *u, char **cause)
{
	sqlite3_stmt	*s;
	int		 i;

	for (i = 0; i < u->nreplies; i++) {
		s = store_stmt(st, STMT_OUTBOX_QUEUE);
		store_bind_text(s, 1, u->replies[i].dedup_key);
		store_bind_text(s, 2, u->replies[i].channel != NULL ?
		    u->replies[i].channel : "sms");
		store_bind_text(s, 3, u->replies[i].destination != NULL ?
		    u->replies[i].destination : r->sender);
		store_bind_text(s, 4, u->replies[i].body);
		store_bind_id(s, 5, tip_id);
		store_bind_time(s, 6, r->received_at);
		if (store_run(st, s, cause, "queueing a reply") != 0)
			return (-1);
	}
	return (0);
}

/* An office's reply by SMS changes its tip's state (audited). */
static int
store_understood_office(struct store *st, const struct store_raw *r,
    const struct store_understood *u, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_STATE_SET);
	char		 detail[96];

	sqlite3_bind_int64(s, 1, u->office_tip);
	store_bind_text(s, 2, u->office_state);
	store_bind_time(s, 3, r->received_at);
	if (store_run(st, s, cause, "changing the tip's state") != 0)
		return (-1);
	snprintf(detail, sizeof detail, "state=%s by=office_phone",
	    u->office_state);
	return (store_event_add(st, r->received_at, "office:sms",
	    "tip.office_reply", u->office_tip, detail, cause));
}

/*
 * Commit a received message with what understanding made of it: tip is
 * set for a tip (new when u->tip_id is 0, else the tip it continues);
 * the replies go to the outbox. *stored is 0 when the message was in the
 * ledger already (then nothing else is done).
 */
int
store_intake_full(struct store *st, const struct store_raw *r,
    struct tip *tip, const struct store_understood *u, long long *raw_id,
    int *stored, char **cause)
{
	sqlite3_stmt	*s;
	long long	 reporter = 0;
	int		 rc;

	*stored = 0;
	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_raw_insert(st, r, raw_id, cause);
	if (rc != 1)
		goto done;
	*stored = 1;
	rc = store_raw_parts(st, r, *raw_id, cause);
	if (rc == 0 && tip != NULL)
		rc = store_understood_tip(st, r, *raw_id, tip, u, cause);
	if (rc == 0) {
		s = store_stmt(st, STMT_RAW_LINK);
		sqlite3_bind_int64(s, 1, *raw_id);
		store_bind_id(s, 2, tip != NULL ? tip->id : u->link_tip);
		store_bind_text(s, 3, u->reason);
		rc = store_run(st, s, cause, "linking the message");
	}
	if (rc == 0 && u->optout)
		rc = store_reporter_id(st, r->sender, r->received_at, &reporter,
		    cause);
	if (rc == 0 && u->optout) {
		s = store_stmt(st, STMT_REPORTER_OPTOUT);
		store_bind_text(s, 1, r->sender);
		store_bind_time(s, 2, r->received_at);
		rc = store_run(st, s, cause, "recording the opt-out");
	}
	if (rc == 0 && u->office_state != NULL)
		rc = store_understood_office(st, r, u, cause);
	if (rc == 0)
		rc = store_understood_replies(st, r, tip != NULL ? tip->id :
		    u->link_tip, u, cause);
	if (rc == 0 && u->link_tip != 0)
		rc = store_event_add(st, r->received_at, "tipgwd",
		    "tip.repeated", u->link_tip, "the same report again; no new "
		    "tip, alert or clock", cause);
done:
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0) {
		store_rollback(st);
		return (-1);
	}
	return (0);
}

/* The reporter's latest tip; prior->tip_id is 0 when there is none. */
int
store_reporter_prior(struct store *st, const char *phone,
    struct store_prior *p, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_REPORTER_PRIOR);
	int		 rc;

	memset(p, 0, sizeof *p);
	store_bind_text(s, 1, phone);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		p->tip_id = sqlite3_column_int64(s, 0);
		p->code = store_column_strdup(s, 1);
		p->text = store_column_strdup(s, 2);
		p->state = store_column_strdup(s, 3);
		p->township_code = store_column_strdup(s, 4);
		p->kind = store_column_strdup(s, 5);
		p->last_message_at = store_column_time(s, 6);
		p->questions = sqlite3_column_int(s, 7);
		p->opted_out = sqlite3_column_type(s, 8) != SQLITE_NULL;
		p->pin = store_column_strdup(s, 9);
		p->product = store_column_strdup(s, 10);
		p->village_code = store_column_strdup(s, 11);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "looking up the reporter");
		return (-1);
	}
	return (0);
}

void
store_prior_clear(struct store_prior *p)
{
	free(p->code);
	free(p->text);
	free(p->state);
	free(p->township_code);
	free(p->kind);
	free(p->pin);
	free(p->product);
	free(p->village_code);
	memset(p, 0, sizeof *p);
}

/* A tip by its code; status->id is 0 if there is none. */
int
store_tip_status(struct store *st, const char *code,
    struct store_tip_status *t, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_BY_CODE);
	int		 rc;

	memset(t, 0, sizeof *t);
	store_bind_text(s, 1, code);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		t->id = sqlite3_column_int64(s, 0);
		t->pin = store_column_strdup(s, 1);
		t->state = store_column_strdup(s, 2);
		t->township = store_column_strdup(s, 3);
		t->office_id = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "looking up a tip code");
		return (-1);
	}
	return (0);
}

void
store_tip_status_clear(struct store_tip_status *t)
{
	free(t->pin);
	free(t->state);
	free(t->township);
	memset(t, 0, sizeof *t);
}

static void
store_copy(char *dst, size_t size, sqlite3_stmt *s, int col)
{
	const char	*v = (const char *)sqlite3_column_text(s, col);

	snprintf(dst, size, "%s", v != NULL ? v : "");
}

/* The imported gazetteer as division data (for understanding). */
int
store_division_load(struct store *st, struct division *d, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(d, 0, sizeof *d);
	s = store_stmt(st, STMT_DIVISION_TOWNSHIPS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct division_township *t;

		d->townships = xreallocarray(d->townships, d->ntownships + 1,
		    sizeof *d->townships);
		t = &d->townships[d->ntownships++];
		memset(t, 0, sizeof *t);
		store_copy(t->code, sizeof t->code, s, 0);
		t->name = store_column_strdup(s, 1);
		store_copy(t->county_code, sizeof t->county_code, s, 2);
		store_copy(t->city_code, sizeof t->city_code, s, 3);
		store_copy(t->province_code, sizeof t->province_code, s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	s = store_stmt(st, STMT_DIVISION_VILLAGES);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct division_village *v;

		d->villages = xreallocarray(d->villages, d->nvillages + 1,
		    sizeof *d->villages);
		v = &d->villages[d->nvillages++];
		memset(v, 0, sizeof *v);
		store_copy(v->code, sizeof v->code, s, 0);
		v->name = store_column_strdup(s, 1);
		store_copy(v->township_code, sizeof v->township_code, s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	return (0);
fail:
	store_cause(st, cause, "reading the gazetteer");
	division_free(d);
	return (-1);
}

/* The office responsible for a township and its duty phones (id 0: none). */
int
store_office_duty(struct store *st, const char *township,
    struct store_office_duty *o, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TOWNSHIP_OFFICE);
	int		 rc;

	memset(o, 0, sizeof *o);
	store_bind_text(s, 1, township);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		o->id = sqlite3_column_int64(s, 0);
		o->name = store_column_strdup(s, 1);
		o->webhook_url = store_column_strdup(s, 2);
		o->webhook_format = store_column_strdup(s, 3);
		o->email = store_column_strdup(s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	if (o->id == 0)
		return (0);
	s = store_stmt(st, STMT_OFFICE_PHONES);
	sqlite3_bind_int64(s, 1, o->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    o->nphones < (int)(sizeof o->phones / sizeof o->phones[0]))
		o->phones[o->nphones++] = store_column_strdup(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	return (0);
fail:
	store_cause(st, cause, "looking up the township's office");
	store_office_duty_clear(o);
	return (-1);
}

void
store_office_duty_clear(struct store_office_duty *o)
{
	int	 i;

	free(o->name);
	free(o->webhook_url);
	free(o->webhook_format);
	free(o->email);
	for (i = 0; i < o->nphones; i++)
		free(o->phones[i]);
	memset(o, 0, sizeof *o);
}

/* The office a duty phone belongs to (0 if none); the last 11 digits. */
int
store_phone_office(struct store *st, const char *phone, long long *office_id,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_PHONE_OFFICE);
	int		 rc;

	*office_id = 0;
	store_bind_text(s, 1, phone);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*office_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "looking up a duty phone");
		return (-1);
	}
	return (0);
}
