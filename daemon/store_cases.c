/*
 * The ledger's cases: tips grouped by case.c's rules into proposed
 * cases, opened, confirmed or split by a person, and their outcome (the
 * 问题台账 fields). Every change of a case's state is one transition of
 * case.c's table, guarded on the state read, audited ("case.EVENT",
 * "case=N state=a->b ...") and logged. SQL texts are in store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/case.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

/* A case's state, read; 0, 1 if there is no such case, -1. */
static int
store_case_state(struct store *st, long long id, enum case_state *state,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_CASE_STATE_OF);
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && case_state_parse((const char *)
	    sqlite3_column_text(s, 0), state) != 0)
		rc = SQLITE_CORRUPT;
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		xasprintf(cause, "no case %lld", id);
		return (1);
	}
	if (rc != SQLITE_ROW) {
		store_cause(st, cause, "reading case %lld", id);
		return (-1);
	}
	return (0);
}

/*
 * One transition of case id (0 with event PROPOSE or OPEN: a new case,
 * its id set) inside the caller's transaction, audited and logged: 0,
 * 1 when the table refuses it, -1.
 */
static int
store_case_move(struct store *st, long long *id, enum case_event event,
    const char *detail, time_t at, const char *actor, char **cause)
{
	const struct case_transition	*t;
	enum case_state			 from = CASE_NEW;
	sqlite3_stmt			*s;
	char				 action[48], *text;
	int				 rc;

	if (*id != 0 && (rc = store_case_state(st, *id, &from, cause)) != 0)
		return (rc);
	if ((t = case_next(from, event)) == NULL) {
		xasprintf(cause, "case %lld is %s: it cannot be %s", *id,
		    case_state_name(from), case_event_name(event));
		return (1);
	}
	if (*id == 0) {
		s = store_stmt(st, STMT_CASE_INSERT);
		store_bind_text(s, 1, case_state_name(t->to));
		store_bind_time(s, 2, at);
		if (store_run(st, s, cause, "adding a case") != 0)
			return (-1);
		*id = sqlite3_last_insert_rowid(st->db);
	} else {
		s = store_stmt(st, STMT_CASE_MOVE);
		sqlite3_bind_int64(s, 1, *id);
		store_bind_text(s, 2, case_state_name(from));
		store_bind_text(s, 3, case_state_name(t->to));
		store_bind_time(s, 4, at);
		if (store_run(st, s, cause, "changing a case") != 0)
			return (-1);
		if (sqlite3_changes(st->db) == 0) {
			xasprintf(cause, "case %lld changed meanwhile", *id);
			return (1);
		}
	}
	snprintf(action, sizeof action, "case.%s", case_event_name(event));
	xasprintf(&text, "case=%lld state=%s->%s%s%s", *id,
	    case_state_name(from), case_state_name(t->to),
	    detail != NULL ? " " : "", detail != NULL ? detail : "");
	rc = store_event_add(st, at, actor, action, 0, text, cause);
	free(text);
	store_log_at_commit(st, 0, "case=%lld state=%s->%s event=%s actor=%s",
	    *id, case_state_name(from), case_state_name(t->to),
	    case_event_name(event), actor);
	return (rc);
}

static int
store_tip_case(struct store *st, long long tip, long long id, time_t at,
    const char *actor, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_SET_CASE);
	char		 detail[64];

	sqlite3_bind_int64(s, 1, tip);
	store_bind_id(s, 2, id);
	if (store_run(st, s, cause, "adding a tip to a case") != 0)
		return (-1);
	snprintf(detail, sizeof detail, "case=%lld", id);
	return (store_event_add(st, at, actor, "tip.case", tip, detail,
	    cause));
}

struct store_propose {
	unsigned int	 window;
	int		 proposed;
	int		 joined;
};

static void
store_case_tips_free(struct case_tip *t, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free((char *)t[i].township);
		free((char *)t[i].village);
		free((char *)t[i].shop);
		free((char *)t[i].kind);
	}
	free(t);
}

static int
store_case_propose_write(struct store *st, struct store_propose *p,
    time_t at, const char *actor, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_CASE_CANDIDATES);
	struct case_tip		*t = NULL;
	long long		*group, id;
	size_t			 n = 0, i, j;
	int			 rc;

	store_bind_time(s, 1, at - (time_t)p->window);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		t = xreallocarray(t, n + 1, sizeof *t);
		t[n].id = sqlite3_column_int64(s, 0);
		t[n].received_at = store_column_time(s, 1);
		t[n].township = store_column_strdup(s, 2);
		t[n].village = store_column_strdup(s, 3);
		t[n].shop = store_column_strdup(s, 4);
		t[n].kind = store_column_strdup(s, 5);
		t[n++].case_id = sqlite3_column_int64(s, 6);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_case_tips_free(t, n);
		store_cause(st, cause, "reading tips for cases");
		return (-1);
	}
	group = xcalloc(n > 0 ? n : 1, sizeof *group);
	case_group(t, n, p->window, group);
	for (i = 0, rc = 0; rc == 0 && i < n; i++) {
		if (group[i] != (long long)i)
			continue;	/* not the first of a group */
		/* The group's case: one a member is in, or a new one. */
		for (j = i, id = 0; j < n && id == 0; j++)
			if (group[j] == (long long)i)
				id = t[j].case_id;
		if (id == 0) {
			rc = store_case_move(st, &id, CASE_EV_PROPOSE, NULL,
			    at, actor, cause);
			p->proposed++;
		}
		for (j = i; rc == 0 && j < n; j++) {
			if (group[j] != (long long)i || t[j].case_id == id)
				continue;
			rc = store_tip_case(st, t[j].id, id, at, actor,
			    cause);
			if (t[j].case_id == 0 && j != i)
				p->joined++;
		}
	}
	free(group);
	store_case_tips_free(t, n);
	return (rc);
}

/*
 * Propose cases: tips received within window seconds of now, not in a
 * case, grouped with each other and with the tips of open cases by
 * case.c's rules. One transaction; *proposed new cases, *joined tips
 * added to an existing one.
 */
int
store_case_propose(struct store *st, unsigned int window, time_t now,
    const char *actor, int *proposed, int *joined, char **cause)
{
	struct store_propose	 p = { window, 0, 0 };
	int			 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_case_propose_write(st, &p, now, actor, cause);
	if ((rc = store_finish(st, rc, cause)) != 0)
		return (rc);
	*proposed = p.proposed;
	*joined = p.joined;
	return (0);
}

/* The tip with this code: its id and its case (0: none); 1 if none. */
static int
store_case_tip_of(struct store *st, const char *code, long long *tip,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_STATE_OF);
	int		 rc;

	store_bind_text(s, 1, code);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*tip = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		xasprintf(cause, "no tip %s", code);
		return (1);
	}
	if (rc != SQLITE_ROW) {
		store_cause(st, cause, "looking up tip %s", code);
		return (-1);
	}
	return (0);
}

/*
 * A person opens a case of these tips (one or more), confirmed at once;
 * a tip in another case leaves it. 0 with *id, 1 when refused, -1.
 */
int
store_case_open(struct store *st, char *const *codes, size_t n, time_t at,
    const char *actor, long long *id, char **cause)
{
	long long	*tips = xcalloc(n > 0 ? n : 1, sizeof *tips);
	size_t		 i;
	int		 rc;

	*id = 0;
	if ((rc = store_begin(st, cause)) != 0) {
		free(tips);
		return (-1);
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = store_case_tip_of(st, codes[i], &tips[i], cause);
	if (rc == 0)
		rc = store_case_move(st, id, CASE_EV_OPEN, NULL, at, actor,
		    cause);
	for (i = 0; rc == 0 && i < n; i++)
		rc = store_tip_case(st, tips[i], *id, at, actor, cause);
	free(tips);
	return (store_finish(st, rc, cause));
}

/* One transition of a case in its own transaction: 0, 1 refused, -1. */
static int
store_case_event(struct store *st, long long id, enum case_event event,
    const char *detail, time_t at, const char *actor, char **cause)
{
	int	 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_case_move(st, &id, event, detail, at, actor, cause);
	return (store_finish(st, rc, cause));
}

int
store_case_confirm(struct store *st, long long id, time_t at,
    const char *actor, char **cause)
{
	return (store_case_event(st, id, CASE_EV_CONFIRM, NULL, at, actor,
	    cause));
}

int
store_case_close(struct store *st, long long id, time_t at,
    const char *actor, char **cause)
{
	return (store_case_event(st, id, CASE_EV_CLOSE, NULL, at, actor,
	    cause));
}

/*
 * Take the tip with this code out of case id, kept apart from later
 * proposals; a proposed case left with one tip is dissolved (its tip
 * free again). 0, 1 when refused, -1.
 */
int
store_case_split(struct store *st, long long id, const char *code, time_t at,
    const char *actor, char **cause)
{
	sqlite3_stmt	*s;
	long long	 tip = 0, left = 0;
	enum case_state	 state;
	char		 detail[64];
	int		 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_case_tip_of(st, code, &tip, cause);
	if (rc == 0) {
		s = store_stmt(st, STMT_TIP_CASE_APART);
		sqlite3_bind_int64(s, 1, tip);
		sqlite3_bind_int64(s, 2, id);
		rc = store_run(st, s, cause, "taking a tip out of a case");
		if (rc == 0 && sqlite3_changes(st->db) == 0) {
			xasprintf(cause, "tip %s is not in case %lld", code,
			    id);
			rc = 1;
		}
	}
	snprintf(detail, sizeof detail, "tip=%s", code);
	if (rc == 0)
		rc = store_case_move(st, &id, CASE_EV_SPLIT, detail, at, actor,
		    cause);
	if (rc == 0) {
		s = store_stmt(st, STMT_CASE_COUNT_TIPS);
		sqlite3_bind_int64(s, 1, id);
		rc = store_run_int(st, s, &left, cause, "counting a case's "
		    "tips");
	}
	if (rc == 0 && left < 2)
		rc = store_case_state(st, id, &state, cause);
	if (rc == 0 && left < 2 && state == CASE_PROPOSED) {
		rc = store_case_move(st, &id, CASE_EV_DISSOLVE, NULL, at,
		    actor, cause);
		if (rc == 0) {
			/* The last tip is free again, not kept apart. */
			s = store_stmt(st, STMT_CASE_FREE);
			sqlite3_bind_int64(s, 1, id);
			rc = store_run(st, s, cause, "freeing a case's tip");
		}
	}
	return (store_finish(st, rc, cause));
}

/* Record (or amend) a case's outcome: confirmed -> decided. */
int
store_case_outcome(struct store *st, long long id,
    const struct store_case_outcome *o, time_t at, const char *actor,
    char **cause)
{
	sqlite3_stmt	*s;
	char		 detail[256] = "";
	int		 rc, n;

	if (store_begin(st, cause) != 0)
		return (-1);
	/* What this change records, field by field. */
	n = 0;
	if (o->penalty >= 0)
		n += snprintf(detail + n, sizeof detail - n, " penalty=%lld",
		    o->penalty);
	if (o->confiscated >= 0 && (size_t)n < sizeof detail)
		n += snprintf(detail + n, sizeof detail - n,
		    " confiscated=%lld", o->confiscated);
	if (o->level >= 0 && (size_t)n < sizeof detail)
		n += snprintf(detail + n, sizeof detail - n, " level=%lld",
		    o->level);
	if (o->referral != NULL && (size_t)n < sizeof detail)
		n += snprintf(detail + n, sizeof detail - n, " referral=%s",
		    o->referral);
	if (o->verified == 0 && (size_t)n < sizeof detail)
		snprintf(detail + n, sizeof detail - n, " unfounded");
	rc = store_case_move(st, &id, CASE_EV_OUTCOME, *detail != '\0' ?
	    detail + 1 : NULL, at, actor, cause);
	if (rc == 0) {
		s = store_stmt(st, STMT_CASE_OUTCOME);
		sqlite3_bind_int64(s, 1, id);
		store_bind_flag(s, 2, o->verified);
		store_bind_flag(s, 3, o->specific);
		store_bind_flag(s, 4, o->known_before);
		store_bind_text(s, 5, o->finding);
		store_bind_text(s, 6, o->measure);
		store_bind_text(s, 7, o->deadline);
		store_bind_text(s, 8, o->responsible);
		store_bind_flag(s, 9, o->penalty);
		store_bind_flag(s, 10, o->confiscated);
		store_bind_flag(s, 11, o->closed_down);
		store_bind_flag(s, 12, o->level);
		store_bind_text(s, 13, o->referral);
		store_bind_time(s, 14, at);
		store_bind_text(s, 15, o->followup);
		rc = store_run(st, s, cause, "recording the outcome");
	}
	return (store_finish(st, rc, cause));
}

static long long
store_column_flag(sqlite3_stmt *s, int i)
{
	return (sqlite3_column_type(s, i) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(s, i));
}

/* Cases in state (NULL: all), or the case id (0: all), oldest first. */
int
store_cases_foreach(struct store *st, const char *state, long long id,
    store_case_cb cb, void *arg, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_CASE_LIST);
	struct store_case	 c;
	int			 rc, stop = 0;

	store_bind_text(s, 1, state);
	store_bind_id(s, 2, id);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&c, 0, sizeof c);
		c.id = sqlite3_column_int64(s, 0);
		c.state = (const char *)sqlite3_column_text(s, 1);
		c.created_at = store_column_time(s, 2);
		c.updated_at = store_column_time(s, 3);
		c.verified = store_column_flag(s, 4);
		c.specific = store_column_flag(s, 5);
		c.known_before = store_column_flag(s, 6);
		c.finding = (const char *)sqlite3_column_text(s, 7);
		c.measure = (const char *)sqlite3_column_text(s, 8);
		c.deadline = (const char *)sqlite3_column_text(s, 9);
		c.responsible = (const char *)sqlite3_column_text(s, 10);
		c.penalty = store_column_flag(s, 11);
		c.confiscated = store_column_flag(s, 12);
		c.closed_down = store_column_flag(s, 13);
		c.level = store_column_flag(s, 14);
		c.referral = (const char *)sqlite3_column_text(s, 15);
		c.referral_at = store_column_time(s, 16);
		c.followup = (const char *)sqlite3_column_text(s, 17);
		c.ntips = sqlite3_column_int64(s, 18);
		stop = cb(&c, arg);
	}
	if (!stop && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		store_cause(st, cause, "listing cases");
		return (-1);
	}
	sqlite3_reset(s);
	return (0);
}

/* A case's tips, earliest first: the first holds priority. */
int
store_case_tips(struct store *st, long long id, store_case_tip_cb cb,
    void *arg, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_CASE_TIPS);
	struct store_case_tip	 t;
	int			 rc, stop = 0;

	sqlite3_bind_int64(s, 1, id);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		t.id = sqlite3_column_int64(s, 0);
		t.code = (const char *)sqlite3_column_text(s, 1);
		t.received_at = store_column_time(s, 2);
		t.channel = (const char *)sqlite3_column_text(s, 3);
		t.state = (const char *)sqlite3_column_text(s, 4);
		t.township_code = (const char *)sqlite3_column_text(s, 5);
		t.township = (const char *)sqlite3_column_text(s, 6);
		t.village_code = (const char *)sqlite3_column_text(s, 7);
		t.village = (const char *)sqlite3_column_text(s, 8);
		t.shop = (const char *)sqlite3_column_text(s, 9);
		t.kind = (const char *)sqlite3_column_text(s, 10);
		t.product = (const char *)sqlite3_column_text(s, 11);
		t.text = (const char *)sqlite3_column_text(s, 12);
		stop = cb(&t, arg);
	}
	if (!stop && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		store_cause(st, cause, "listing a case's tips");
		return (-1);
	}
	sqlite3_reset(s);
	return (0);
}
