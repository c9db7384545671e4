/*
 * The ledger side of deadlines: the open tips and their clocks, an
 * extension (once, with a named approver and a reason), a pause for
 * testing and its end; every change audited. SQL texts are in store.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/xmalloc.h"
#include "store_int.h"

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
