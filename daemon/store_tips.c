/*
 * The ledger's tips and their reporters: adding and listing tips, a
 * reporter's latest tip, a tip by its code, the open tips with their
 * clocks and the changes to a clock (extension, pause; audited). A
 * reporter's number is kept in its own table; a tip only points at it.
 * SQL texts are in store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
#include "tipgw/tip_state.h"
#include "tipgw/redact.h"
#include "tipgw/reward_state.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

int
store_reporter_id(struct store *st, const char *phone, time_t now,
    long long *id, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_REPORTER_UPSERT);

	store_bind_text(s, 1, phone);
	store_bind_time(s, 2, now);
	return (store_run_int(st, s, id, cause, "recording reporter"));
}

/*
 * Insert a tip in state st_name, and its reporter if phone is set,
 * inside the caller's transaction; set tip->id.
 */
static int
store_tip_row_add(struct store *st, struct tip *t, const char *state,
    const char *reporter_phone, const char *created_by, char **cause)
{
	sqlite3_stmt	*s;
	long long	 reporter = 0;

	if (reporter_phone != NULL && store_reporter_id(st, reporter_phone,
	    t->received_at, &reporter, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_TIP_INSERT);
	store_bind_text(s, 1, t->code);
	store_bind_text(s, 2, t->channel);
	store_bind_id(s, 3, t->raw_message_id);
	store_bind_id(s, 4, reporter);
	store_bind_time(s, 5, t->received_at);
	store_bind_text(s, 6, t->text);
	store_bind_text(s, 7, state);
	store_bind_text(s, 8, t->kind);
	store_bind_text(s, 9, t->product);
	store_bind_text(s, 10, t->township_code);
	store_bind_text(s, 11, t->village_code);
	store_bind_text(s, 12, created_by);
	if (store_run(st, s, cause, "adding tip") != 0)
		return (-1);
	t->id = sqlite3_last_insert_rowid(st->db);
	return (store_tip_text_index(st, t->id, t->text, cause));
}

/*
 * The tip's text in the search index (tips_text), its phone-like
 * numbers masked as every answer masks them: a search cannot find a
 * digit no answer shows.
 */
int
store_tip_text_index(struct store *st, long long id, const char *text,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_TEXT_INDEX);
	char		*masked = redact_numbers(text != NULL ? text : "");
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, masked);
	rc = store_run(st, s, cause, "indexing the tip's text");
	free(masked);
	return (rc);
}

/* Migration 14: the search index of the tips the ledger has. */
int
store_tip_text_fill(struct store *st, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, "SELECT id, text FROM tips", -1, &s,
	    NULL) != SQLITE_OK) {
		store_cause(st, cause, "reading the tips to index");
		return (-1);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (store_tip_text_index(st, sqlite3_column_int64(s, 0),
		    (const char *)sqlite3_column_text(s, 1), cause) != 0)
			break;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		store_cause(st, cause, "reading the tips to index");
	sqlite3_finalize(s);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* Run one entry action's statement on a tip; 1 if its guard refused. */
static int
store_tip_do(struct store *st, enum store_stmt which, long long id,
    const char *a2, const char *a3, const char *what, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, which);

	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, a2);
	store_bind_text(s, 3, a3);
	if (store_run(st, s, cause, what) != 0)
		return (-1);
	return (sqlite3_changes(st->db) == 0 ? 1 : 0);
}

/*
 * The entry actions of a transition (tip_state.c names them): the office,
 * the clocks, when it closed. The clock's own events refuse what their
 * columns do not allow (a second extension, a pause while paused).
 */
/*
 * Tell the tip's new owner (an office, or the coordinator) that it has
 * reached them, or the office that it has new facts: an alert the outbox
 * renders from the owner's channels when it takes it.
 */
static int
store_tip_tell(struct store *st, const struct store_tip_change *ch,
    long long id, unsigned int actions, enum tip_state to, const char *now,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_DO_TELL);
	enum tip_owner	 owner = tip_state_owner(to);
	char		 since[32];

	if (owner != TIP_OWNER_OFFICE && owner != TIP_OWNER_COORDINATOR)
		return (0);
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, tip_owner_name(owner));
	store_bind_text(s, 3, tip_event_name(ch->event));
	store_bind_text(s, 4, (actions & TIP_DO_TELL_UPDATE) ? NULL :
	    ch->detail);
	store_bind_text(s, 5, tip_owner_name(TIP_OWNER_OFFICE));
	store_bind_text(s, 6, now);
	/* New facts tell the office at most once an hour. */
	if (actions & TIP_DO_TELL_UPDATE) {
		tipgw_time_format(ch->at - STORE_UPDATE_ALERT_GAP, since,
		    sizeof since);
		store_bind_text(s, 7, since);
	}
	return (store_run(st, s, cause, "queueing the alert"));
}

static int
store_tip_actions(struct store *st, const struct store_tip_change *ch,
    long long id, enum tip_state to, unsigned int actions, char **cause)
{
	char	 now[32], days[16];
	int	 rc = 0;

	tipgw_time_format(ch->at, now, sizeof now);
	if (actions & TIP_DO_OFFICE)
		rc = store_tip_do(st, STMT_TIP_DO_OFFICE, id, NULL, NULL,
		    "routing the tip", cause) < 0 ? -1 : 0;
	if (rc == 0 && (actions & TIP_DO_CLEAR_OFFICE))
		rc = store_tip_do(st, STMT_TIP_DO_CLEAR_OFFICE, id, NULL,
		    NULL, "clearing the office", cause) < 0 ? -1 : 0;
	if (rc == 0 && (actions & TIP_DO_CLOCK))
		rc = store_tip_do(st, STMT_TIP_DO_CLOCK, id, now, NULL,
		    "starting the clock", cause) < 0 ? -1 : 0;
	if (rc == 0 && (actions & TIP_DO_CASE_CLOCK))
		rc = store_tip_do(st, STMT_TIP_DO_CASE_CLOCK, id, now, NULL,
		    "starting the case clock", cause) < 0 ? -1 : 0;
	if (rc == 0 && (actions & TIP_DO_CLOSED))
		rc = store_tip_do(st, STMT_TIP_DO_CLOSED, id, now, ch->detail,
		    "closing the tip", cause) < 0 ? -1 : 0;
	if (rc == 0 && (actions & TIP_DO_EXTEND) && (rc = store_tip_do(st,
	    STMT_TIP_DO_EXTEND, id, ch->approver, ch->detail,
	    "extending the clock", cause)) == 1)
		xasprintf(cause, "tip %s was extended already", ch->code);
	if (rc == 0 && (actions & TIP_DO_PAUSE) && (rc = store_tip_do(st,
	    STMT_TIP_DO_PAUSE, id, ch->pause_day, NULL, "pausing the clock",
	    cause)) == 1)
		xasprintf(cause, "tip %s is paused already", ch->code);
	if (rc == 0 && (actions & (TIP_DO_TELL | TIP_DO_TELL_UPDATE)))
		rc = store_tip_tell(st, ch, id, actions, to, now, cause);
	snprintf(days, sizeof days, "%d", ch->paused_days);
	if (rc == 0 && (actions & TIP_DO_RESUME) && (rc = store_tip_do(st,
	    STMT_TIP_DO_RESUME, id, days, NULL, "resuming the clock",
	    cause)) == 1)
		xasprintf(cause, "tip %s has no paused clock", ch->code);
	return (rc);
}

/* What the free text of an event is, in its audit detail. */
static const char *
store_tip_label(enum tip_event e)
{
	switch (e) {
	case TIP_EV_OFFICE_DONE:
	case TIP_EV_CLOSE:
		return ("result=");
	case TIP_EV_OFFICE_RETURN:
	case TIP_EV_REROUTE:
		return ("reason=");
	case TIP_EV_NOTE:
		return ("note=");
	default:
		return ("");
	}
}

/* The audit detail of a transition: "state=a->b" and what was said. */
static void
store_tip_audit(const struct store_tip_change *ch,
    const struct tip_transition *t, long long id, struct store_audit *a)
{
	a->at = ch->at;
	a->actor = ch->actor;
	snprintf(a->action_buf, sizeof a->action_buf, "tip.%s",
	    tip_event_name(ch->event));
	a->action = a->action_buf;
	a->tip_id = id;
	snprintf(a->detail, sizeof a->detail, "state=%s->%s%s%s%s",
	    tip_state_name(t->from), tip_state_name(t->to),
	    ch->detail != NULL ? " " : "", ch->detail != NULL ?
	    store_tip_label(ch->event) : "", ch->detail != NULL ? ch->detail :
	    "");
}

/*
 * Apply one transition inside the caller's transaction: what tip_next()
 * allows from the state the tip was read in, guarded on that state, its
 * entry actions, and the audit event (filled into a, for the caller to
 * add). 0, 1 when refused (*cause says why; nothing changed), -1.
 */
static int
store_tip_apply(struct store *st, const struct store_tip_change *ch,
    long long id, struct store_audit *a, char **cause)
{
	const struct tip_transition	*t;
	sqlite3_stmt			*s;
	int				 rc;

	if ((t = tip_next(ch->from, ch->event)) == NULL) {
		xasprintf(cause, "tip %s is %s: %s is refused", ch->code,
		    tip_state_name(ch->from), tip_event_name(ch->event));
		return (1);
	}
	s = store_stmt(st, STMT_TIP_MOVE);
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, tip_state_name(t->from));
	store_bind_text(s, 3, tip_state_name(t->to));
	store_bind_time(s, 4, ch->at);
	if (store_run(st, s, cause, "changing the tip's state") != 0)
		return (-1);
	if (sqlite3_changes(st->db) == 0) {
		xasprintf(cause, "tip %s is no longer %s", ch->code,
		    tip_state_name(t->from));
		return (1);
	}
	if ((rc = store_tip_actions(st, ch, id, t->to, t->actions, cause)) != 0)
		return (rc);
	store_tip_audit(ch, t, id, a);
	store_log_at_commit(st, 0, "tip=%s state=%s->%s event=%s actor=%s",
	    ch->code, tip_state_name(t->from), tip_state_name(t->to),
	    tip_event_name(ch->event), ch->actor);
	return (0);
}

/*
 * A new tip, in the state its first event leads to from TIP_NEW, with
 * its reporter if phone is set, inside the caller's transaction; sets
 * tip->id and audits the transition.
 */
int
store_tip_create(struct store *st, struct tip *tip, const char *phone,
    const struct store_tip_change *ch, char **cause)
{
	const struct tip_transition	*t;
	struct store_tip_change		 c = *ch;
	struct store_audit		 a;

	c.from = TIP_NEW;
	c.code = tip->code != NULL ? tip->code : "-";
	if ((t = tip_next(TIP_NEW, ch->event)) == NULL) {
		xasprintf(cause, "a new tip cannot begin with %s",
		    tip_event_name(ch->event));
		return (-1);
	}
	if (store_tip_row_add(st, tip, tip_state_name(t->to), phone,
	    ch->created_by, cause) != 0 ||
	    store_tip_actions(st, &c, tip->id, t->to, t->actions, cause) != 0)
		return (-1);
	store_tip_audit(&c, t, tip->id, &a);
	store_log_at_commit(st, 0, "tip=%s state=%s->%s event=%s actor=%s",
	    c.code, tip_state_name(t->from), tip_state_name(t->to),
	    tip_event_name(c.event), c.actor);
	return (store_event_add(st, a.at, a.actor, a.action, a.tip_id,
	    a.detail, cause));
}

/*
 * One transition of a tip read in state ch->from, inside the caller's
 * transaction (intake): 0, 1 when refused, -1 on a ledger error.
 */
int
store_tip_transition(struct store *st, const struct store_tip_change *ch,
    char **cause)
{
	struct store_audit	 a;
	int			 rc;

	if ((rc = store_tip_apply(st, ch, ch->tip_id, &a, cause)) != 0)
		return (rc);
	return (store_event_add(st, a.at, a.actor, a.action, a.tip_id,
	    a.detail, cause));
}

/* The tip with code ch->code: ch->tip_id and ch->from; 1 if none. */
static int
store_tip_read(struct store *st, struct store_tip_change *ch, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_STATE_OF);
	const char	*state;
	int		 rc;

	store_bind_text(s, 1, ch->code);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		ch->tip_id = sqlite3_column_int64(s, 0);
		state = (const char *)sqlite3_column_text(s, 1);
		if (tip_state_parse(state, &ch->from) != 0)
			rc = SQLITE_CORRUPT;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		xasprintf(cause, "no tip %s", ch->code);
		return (1);
	}
	if (rc != SQLITE_ROW) {
		store_cause(st, cause, "looking up tip %s", ch->code);
		return (-1);
	}
	return (0);
}

/* What a change brings with it: a new PIN, a message to the reporter. */
static int
store_tip_extras(struct store *st, const struct store_tip_change *ch,
    char **cause)
{
	const struct store_reply	*m = ch->to_reporter;
	sqlite3_stmt			*s;

	if (ch->pin_hash != NULL) {
		s = store_stmt(st, STMT_TIP_SET_PIN);
		sqlite3_bind_int64(s, 1, ch->tip_id);
		store_bind_text(s, 2, ch->pin_hash);
		if (store_run(st, s, cause, "setting the PIN") != 0)
			return (-1);
	}
	if (m == NULL)
		return (0);
	s = store_stmt(st, STMT_TIP_TO_REPORTER);
	sqlite3_bind_int64(s, 1, ch->tip_id);
	store_bind_text(s, 2, m->dedup_key);
	store_bind_text(s, 3, m->body);
	store_bind_time(s, 4, ch->at);
	store_bind_text(s, 5, outbox_intent_name(m->intent));
	return (store_run(st, s, cause, "queueing the reporter's message"));
}

static int
store_tip_change_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_tip_change	*ch = arg;
	int			 rc;

	if ((rc = store_tip_read(st, ch, cause)) != 0 ||
	    (rc = store_tip_apply(st, ch, ch->tip_id, a, cause)) != 0)
		return (rc);
	return (store_tip_extras(st, ch, cause));
}

/*
 * The tips whose question went unanswered since before: their codes
 * (free each and the array). 0, or -1 on a ledger error.
 */
int
store_tips_unanswered(struct store *st, time_t before, char ***codes,
    int *n, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIPS_UNANSWERED);
	int		 rc;

	*codes = NULL;
	*n = 0;
	store_bind_text(s, 1, tip_state_name(TIP_AWAITING_REPLY));
	store_bind_time(s, 2, before);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*codes = xreallocarray(*codes, (size_t)*n + 1,
		    sizeof **codes);
		(*codes)[(*n)++] = store_column_strdup(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "listing unanswered tips");
		return (-1);
	}
	return (0);
}

struct store_tip_route {
	struct store_tip_change	*ch;
	const char		*township;
};

/* Has the township an office? 1 if not (or no such township). */
static int
store_township_office(struct store *st, const char *township, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TOWNSHIP_OWNER);
	int		 rc, known = 0, office = 0;

	store_bind_text(s, 1, township);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		known = 1;
		office = sqlite3_column_type(s, 0) != SQLITE_NULL;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "looking up township %s", township);
		return (-1);
	}
	if (!known)
		xasprintf(cause, "no township %s in the gazetteer (tipgwctl "
		    "gazetteer list)", township);
	else if (!office)
		xasprintf(cause, "township %s has no office; add one first "
		    "(tipgwctl office add NAME --township %s ...)", township,
		    township);
	return (known && office ? 0 : 1);
}

static int
store_tip_route_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_tip_route	*w = arg;
	struct store_tip_change	*ch = w->ch;
	sqlite3_stmt		*s;
	int			 rc;

	if ((rc = store_tip_read(st, ch, cause)) != 0)
		return (rc);
	if (tip_next(ch->from, TIP_EV_REROUTE) == NULL) {
		xasprintf(cause, "tip %s is %s: it cannot be routed", ch->code,
		    tip_state_name(ch->from));
		return (1);
	}
	if ((rc = store_township_office(st, w->township, cause)) != 0)
		return (rc);
	s = store_stmt(st, STMT_TIP_PLACE);
	sqlite3_bind_int64(s, 1, ch->tip_id);
	store_bind_text(s, 2, w->township);
	store_bind_text(s, 3, "coordinator");
	if (store_run(st, s, cause, "placing the tip") != 0)
		return (-1);
	return (store_tip_apply(st, ch, ch->tip_id, a, cause));
}

/*
 * The coordinator routes a tip to a township's office (again): the
 * township must have an office; its verify clock starts and the office
 * is told. 0, 1 when refused (*cause says why), -1.
 */
int
store_tip_route(struct store *st, struct store_tip_change *ch,
    const char *township, char **cause)
{
	struct store_tip_route	 w = { ch, township };
	struct store_audit	 a;

	memset(&a, 0, sizeof a);
	ch->event = TIP_EV_REROUTE;
	return (store_audited(st, store_tip_route_write, &w, &a, cause));
}

/*
 * One transition of the tip with code ch->code, in its own transaction,
 * from the state it is in now (tipgwctl, the API, timers); ch->from and
 * ch->tip_id are set. 0, 1 when refused (*cause says why), -1.
 */
int
store_tip_change(struct store *st, struct store_tip_change *ch, char **cause)
{
	struct store_audit	 a;

	memset(&a, 0, sizeof a);
	return (store_audited(st, store_tip_change_write, ch, &a, cause));
}

struct store_tip_order {
	const char	*code;
	const char	*order;
};

static int
store_tip_order_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_tip_order	*o = arg;
	struct store_tip_change	 ch;
	sqlite3_stmt		*s;
	int			 rc;

	memset(&ch, 0, sizeof ch);
	ch.code = o->code;
	if ((rc = store_tip_read(st, &ch, cause)) != 0)
		return (rc);
	s = store_stmt(st, STMT_TIP_SET_ORDER);
	sqlite3_bind_int64(s, 1, ch.tip_id);
	store_bind_text(s, 2, o->order);
	a->tip_id = ch.tip_id;
	a->action = "tip.order_12315";
	snprintf(a->detail, sizeof a->detail, "order_12315=%s", o->order);
	return (store_run(st, s, cause, "recording the 12315 work order"));
}

/*
 * The tip's work-order number in the 12315 system, audited: 0, 1 if no
 * such tip, -1.
 */
int
store_tip_set_order(struct store *st, const char *code, const char *order,
    time_t at, const char *actor, char **cause)
{
	struct store_tip_order	 o = { code, order };
	struct store_audit	 a;

	memset(&a, 0, sizeof a);
	a.at = at;
	a.actor = actor;
	return (store_audited(st, store_tip_order_write, &o, &a, cause));
}

/* Insert a tip that nothing understood (state received), with its
 * reporter if phone is set, in one transaction; set tip->id. */
int
store_tip_insert(struct store *st, struct tip *t, const char *reporter_phone,
    char **cause)
{
	struct store_tip_change	 ch;

	memset(&ch, 0, sizeof ch);
	ch.event = TIP_EV_KEEP;
	ch.actor = "tipgwd";
	ch.at = t->received_at;
	if (store_begin(st, cause) != 0)
		return (-1);
	if (store_tip_create(st, t, reporter_phone, &ch, cause) != 0 ||
	    store_commit(st, cause) != 0) {
		store_rollback(st);
		return (-1);
	}
	return (0);
}

/* A tip from a row of store_tip_select. */
void
store_tip_row(sqlite3_stmt *s, struct tip *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(s, 0);
	t->code = store_column_strdup(s, 1);
	t->channel = store_column_strdup(s, 2);
	t->raw_message_id = sqlite3_column_int64(s, 3);
	t->received_at = store_column_time(s, 4);
	t->text = store_column_strdup(s, 5);
	t->state = store_column_strdup(s, 6);
	t->kind = store_column_strdup(s, 7);
	t->product = store_column_strdup(s, 8);
	t->township_code = store_column_strdup(s, 9);
	t->village_code = store_column_strdup(s, 10);
	t->office_name = store_column_strdup(s, 11);
	t->township = store_column_strdup(s, 12);
	t->village = store_column_strdup(s, 13);
	t->brand = store_column_strdup(s, 14);
	t->place = store_column_strdup(s, 15);
	t->shop = store_column_strdup(s, 16);
	t->route = store_column_strdup(s, 17);
	t->candidates = store_column_strdup(s, 18);
	t->questions = sqlite3_column_int(s, 19);
	t->last_message_at = store_column_time(s, 20);
	t->updated_at = store_column_time(s, 21);
	t->clock_from = store_column_time(s, 22);
	t->filed_at = store_column_time(s, 23);
	t->closed_at = store_column_time(s, 24);
	t->result = store_column_strdup(s, 25);
	t->extended_by = store_column_strdup(s, 26);
	t->extension_reason = store_column_strdup(s, 27);
	t->paused_from = store_column_strdup(s, 28);
	t->paused_days = sqlite3_column_int(s, 29);
	t->kinds = store_column_strdup(s, 30);
	t->products = store_column_strdup(s, 31);
	t->order_12315 = store_column_strdup(s, 32);
}

/*
 * Call cb for every tip the filter lets through (f may be NULL), oldest
 * first; stop early if cb returns non-zero.
 */
int
store_tip_foreach(struct store *st, const struct tip_filter *f,
    store_tip_cb cb, void *arg, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_LIST);
	struct tip	 t;
	int		 rc, stop = 0;

	if (f != NULL) {
		store_bind_text(s, 1, f->state);
		store_bind_text(s, 2, f->township);
		if (f->since != 0)
			store_bind_time(s, 3, f->since);
		if (f->until != 0)
			store_bind_time(s, 4, f->until);
		store_bind_text(s, 5, f->code);
	}
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_tip_row(s, &t);
		stop = cb(&t, arg);
		tip_clear(&t);
	}
	if (!stop && rc != SQLITE_DONE) {
		store_cause(st, cause, "listing tips");
		sqlite3_reset(s);
		return (-1);
	}
	sqlite3_reset(s);
	return (0);
}

/* A tip's row as the conversation needs it (REPORTER_PRIOR's columns). */
static int
store_prior_read(struct store *st, sqlite3_stmt *s, struct store_prior *p,
    char **cause)
{
	int	 rc;

	memset(p, 0, sizeof *p);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		p->tip_id = sqlite3_column_int64(s, 0);
		p->code = store_column_strdup(s, 1);
		p->text = store_column_strdup(s, 2);
		if (tip_state_parse((const char *)sqlite3_column_text(s, 3),
		    &p->state) != 0)
			p->state = TIP_RECEIVED;
		p->township_code = store_column_strdup(s, 4);
		p->kind = store_column_strdup(s, 5);
		p->last_message_at = store_column_time(s, 6);
		p->questions = sqlite3_column_int(s, 7);
		p->opted_out = sqlite3_column_type(s, 8) != SQLITE_NULL;
		p->pin_hash = store_column_strdup(s, 9);
		p->product = store_column_strdup(s, 10);
		p->village_code = store_column_strdup(s, 11);
		p->candidates = store_column_strdup(s, 12);
		p->kinds = store_column_strdup(s, 13);
		p->products = store_column_strdup(s, 14);
		p->version = sqlite3_column_int64(s, 15);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "reading a tip");
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

	store_bind_text(s, 1, phone);
	return (store_prior_read(st, s, p, cause));
}

/* A tip by id, as the conversation needs it (a late part's tip). */
int
store_tip_prior(struct store *st, long long id, struct store_prior *p,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_PRIOR_BY_ID);

	sqlite3_bind_int64(s, 1, id);
	return (store_prior_read(st, s, p, cause));
}

void
store_prior_clear(struct store_prior *p)
{
	free(p->code);
	free(p->text);
	free(p->township_code);
	free(p->kind);
	free(p->pin_hash);
	free(p->product);
	free(p->village_code);
	free(p->candidates);
	free(p->kinds);
	free(p->products);
	memset(p, 0, sizeof *p);
}

/* A tip by its code; status->id is 0 if there is none. */
int
store_tip_status(struct store *st, const char *code,
    struct store_tip_status *t, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_TIP_BY_CODE);
	enum reward_state	 rs;
	int			 rc;

	memset(t, 0, sizeof *t);
	store_bind_text(s, 1, code);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		t->id = sqlite3_column_int64(s, 0);
		t->pin_hash = store_column_strdup(s, 1);
		if (tip_state_parse((const char *)sqlite3_column_text(s, 2),
		    &t->state) != 0)
			t->state = TIP_RECEIVED;
		t->code = xstrdup(code);
		t->township = store_column_strdup(s, 3);
		t->office_id = sqlite3_column_int64(s, 4);
		t->reward_id = sqlite3_column_int64(s, 5);
		if (t->reward_id == 0 || reward_state_parse((const char *)
		    sqlite3_column_text(s, 6), &rs) != 0)
			rs = REWARD_NEW;
		t->reward_state = (int)rs;
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
	free(t->code);
	free(t->pin_hash);
	free(t->township);
	memset(t, 0, sizeof *t);
}

/* The tips an office or the coordinator has to act on, with clocks. */
int
store_open_tips(struct store *st, struct store_open_tip **out, int *n,
    char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_OPEN_TIPS);
	struct store_open_tip	*t;
	char			*states;
	int			 rc;

	*out = NULL;
	*n = 0;
	states = tip_states_json(TIP_OWNS(TIP_OWNER_OFFICE) |
	    TIP_OWNS(TIP_OWNER_COORDINATOR));
	store_bind_text(s, 1, states);
	free(states);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		t = &(*out)[(*n)++];
		memset(t, 0, sizeof *t);
		t->id = sqlite3_column_int64(s, 0);
		/* An imported tip may have no code; its lines still print. */
		t->code = sqlite3_column_type(s, 1) == SQLITE_NULL ?
		    xstrdup("-") : store_column_strdup(s, 1);
		t->state = store_column_strdup(s, 2);
		t->clock_from = store_column_time(s, 3);
		t->township_code = store_column_strdup(s, 4);
		t->township = store_column_strdup(s, 5);
		t->office = store_column_strdup(s, 6);
		t->extended = sqlite3_column_int(s, 7);
		t->paused_days = sqlite3_column_int(s, 8);
		t->paused_from = store_column_strdup(s, 9);
		t->filed_at = store_column_time(s, 10);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_open_tips_free(*out, *n);
		*out = NULL;
		*n = 0;
		store_cause(st, cause, "listing open tips");
		return (-1);
	}
	return (0);
}

void
store_open_tips_free(struct store_open_tip *t, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		free(t[i].code);
		free(t[i].state);
		free(t[i].township_code);
		free(t[i].township);
		free(t[i].office);
		free(t[i].paused_from);
	}
	free(t);
}

/* The messages of a tip's conversation, oldest first (never the sender). */
int
store_tip_messages(struct store *st, long long tip, store_message_cb cb,
    void *arg, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_TIP_MESSAGES);
	struct store_message	 m;
	int			 rc;

	sqlite3_bind_int64(s, 1, tip);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof m);
		m.id = sqlite3_column_int64(s, 0);
		m.received_at = store_column_time(s, 1);
		m.parts_present = sqlite3_column_int(s, 2);
		m.parts_total = sqlite3_column_int(s, 3);
		m.disposition = (const char *)sqlite3_column_text(s, 4);
		m.reason = (const char *)sqlite3_column_text(s, 5);
		m.text = (const char *)sqlite3_column_text(s, 6);
		if (cb(&m, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "listing a tip's messages");
		return (-1);
	}
	return (0);
}

/* A tip's history: its audit events, oldest first. */
int
store_tip_history(struct store *st, long long tip, store_event_cb cb,
    void *arg, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_TIP_HISTORY);
	struct store_event	 e;
	int			 rc;

	sqlite3_bind_int64(s, 1, tip);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		e.at = store_column_time(s, 0);
		e.action = (const char *)sqlite3_column_text(s, 1);
		e.actor = (const char *)sqlite3_column_text(s, 2);
		e.detail = (const char *)sqlite3_column_text(s, 3);
		if (cb(&e, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "reading a tip's history");
		return (-1);
	}
	return (0);
}

/*
 * Old ledgers kept PINs in clear: each is replaced by its hash (hash
 * computes it) in one transaction; *n says how many.
 */
int
store_tip_hash_pins(struct store *st, store_pin_hash_cb hash, void *arg,
    int *n, char **cause)
{
	sqlite3_stmt	*s, *u;
	char		 h[128];
	int		 rc = 0, step;

	*n = 0;
	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_TIP_CLEAR_PINS);
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		hash(arg, (const char *)sqlite3_column_text(s, 1),
		    (const char *)sqlite3_column_text(s, 2), h, sizeof h);
		u = st->stmt[STMT_TIP_HASH_PIN];
		sqlite3_reset(u);
		sqlite3_clear_bindings(u);
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(s, 0));
		store_bind_text(u, 2, h);
		if ((rc = store_run(st, u, cause, "hashing a PIN")) == 0)
			(*n)++;
	}
	if (rc == 0 && step != SQLITE_DONE) {
		store_cause(st, cause, "reading PINs");
		rc = -1;
	}
	sqlite3_reset(s);
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0)
		store_rollback(st);
	return (rc);
}
