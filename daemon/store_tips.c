/*
 * The ledger's tips and their reporters: adding and listing tips, a
 * reporter's latest tip, a tip by its code, the open tips with their
 * clocks and the changes to a clock (extension, pause; audited). A
 * reporter's number is kept in its own table; a tip only points at it.
 * SQL texts are in store.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
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
 * Insert a tip, and its reporter if phone is set, inside the caller's
 * transaction; set tip->id.
 */
int
store_tip_add(struct store *st, struct tip *t, const char *reporter_phone,
    char **cause)
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
	store_bind_text(s, 7, t->state);
	store_bind_text(s, 8, t->kind);
	store_bind_text(s, 9, t->product);
	store_bind_text(s, 10, t->township_code);
	store_bind_text(s, 11, t->village_code);
	if (store_run(st, s, cause, "adding tip") != 0)
		return (-1);
	t->id = sqlite3_last_insert_rowid(st->db);
	return (0);
}

/*
 * Insert a tip, and its reporter if phone is set, in one transaction;
 * set tip->id.
 */
int
store_tip_insert(struct store *st, struct tip *t, const char *reporter_phone,
    char **cause)
{
	if (store_begin(st, cause) != 0)
		return (-1);
	if (store_tip_add(st, t, reporter_phone, cause) != 0 ||
	    store_commit(st, cause) != 0) {
		store_rollback(st);
		return (-1);
	}
	return (0);
}

static void
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
}

/* Call cb for every tip, oldest first; stop early if cb returns non-zero. */
int
store_tip_foreach(struct store *st, store_tip_cb cb, void *arg, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_LIST);
	struct tip	 t;
	int		 rc, stop = 0;

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

/* The tips an office still has to act on, with their clocks. */
int
store_open_tips(struct store *st, struct store_open_tip **out, int *n,
    char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_OPEN_TIPS);
	struct store_open_tip	*t;
	int			 rc;

	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		t = &(*out)[(*n)++];
		memset(t, 0, sizeof *t);
		t->id = sqlite3_column_int64(s, 0);
		t->code = store_column_strdup(s, 1);
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

/*
 * Change one open tip's clock (stmt binds ?1 code, ?2..?4 as given) and
 * audit it. 0 done, 1 when no open tip matched (*cause says why), -1 on a
 * ledger error.
 */
static int
store_clock_change(struct store *st, int stmt, const char *code,
    const char *a2, const char *a3, int a4, time_t now, const char *actor,
    const char *action, const char *detail, const char *refusal,
    char **cause)
{
	sqlite3_stmt	*s;
	long long	 tip = 0;

	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, stmt);
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, a2);
	store_bind_text(s, 3, a3);
	sqlite3_bind_int(s, 4, a4);
	if (sqlite3_step(s) == SQLITE_ROW)
		tip = sqlite3_column_int64(s, 0);
	if (sqlite3_reset(s) != SQLITE_OK) {
		store_cause(st, cause, "changing a tip's clock");
		store_rollback(st);
		return (-1);
	}
	if (tip == 0) {
		store_rollback(st);
		xasprintf(cause, "no open tip %s%s", code, refusal);
		return (1);
	}
	if (store_event_add(st, now, actor, action, tip, detail,
	    cause) != 0 || store_commit(st, cause) != 0) {
		store_rollback(st);
		return (-1);
	}
	return (0);
}

/* Extend the verify clock once (approver and reason are recorded). */
int
store_tip_extend(struct store *st, const char *code, const char *approver,
    const char *reason, time_t now, const char *actor, char **cause)
{
	char	*detail;
	int	 rc;

	xasprintf(&detail, "approver=%s reason=%s", approver, reason);
	rc = store_clock_change(st, STMT_TIP_EXTEND, code, approver, reason, 0,
	    now, actor, "tip.extended", detail, " that is not extended "
	    "already", cause);
	free(detail);
	return (rc);
}

/* Pause the clock from day (YYYY-MM-DD) on: testing, inspection. */
int
store_tip_pause(struct store *st, const char *code, const char *day,
    const char *why, time_t now, const char *actor, char **cause)
{
	char	*detail;
	int	 rc;

	xasprintf(&detail, "from=%s reason=%s", day, why);
	rc = store_clock_change(st, STMT_TIP_PAUSE, code, day, NULL, 0, now,
	    actor, "tip.paused", detail, " with a running clock", cause);
	free(detail);
	return (rc);
}

/* End a pause that took days working days. */
int
store_tip_resume(struct store *st, const char *code, int days, time_t now,
    const char *actor, char **cause)
{
	char	 detail[64];

	snprintf(detail, sizeof detail, "paused_days=%d", days);
	return (store_clock_change(st, STMT_TIP_RESUME, code, NULL, NULL, days,
	    now, actor, "tip.resumed", detail, " with a paused clock",
	    cause));
}
