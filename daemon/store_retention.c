/*
 * Retention (PIPL art. 19): a reporter's number is kept no longer than
 * it is needed. A closed tip whose case is closed (or that has none) and
 * whose rewards are all settled, closed before the cutoff, with nothing
 * left to send and not a subscriber's, loses
 * its reporter's number everywhere it is kept (its messages and their
 * PDUs, what was sent to the reporter) and keeps everything else; each
 * is audited. Messages, replies and calls of no tip older than the
 * cutoff lose their numbers too, and a reporter no tip, vote, 订阅 or
 * 退订 needs any more is deleted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/case.h"
#include "tipgw/outbox_state.h"
#include "tipgw/reward_state.h"
#include "tipgw/tip_state.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

#define STORE_RETAIN_BATCH	500	/* tips, or rows, a pass */
#define STORE_ERASED		"erased"

struct store_retain_tip {
	long long	 id;
	char		*code, *phone;
};

static int
store_retain_find(struct store *st, time_t cutoff,
    struct store_retain_tip **out, int *n, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_RETAIN_TIPS);
	struct store_retain_tip	*t = NULL;
	int			 rc;

	*n = 0;
	store_bind_time(s, 1, cutoff);
	store_bind_text(s, 2, tip_state_name(TIP_CLOSED));
	store_bind_text(s, 3, reward_state_name(REWARD_INELIGIBLE));
	store_bind_text(s, 4, reward_state_name(REWARD_PAID));
	store_bind_text(s, 5, reward_state_name(REWARD_EXPIRED));
	store_bind_text(s, 6, reward_state_name(REWARD_REVOKED));
	store_bind_text(s, 7, outbox_state_name(OUTBOX_SENT));
	store_bind_text(s, 8, outbox_state_name(OUTBOX_DEAD));
	sqlite3_bind_int(s, 9, STORE_RETAIN_BATCH);
	store_bind_text(s, 10, case_state_name(CASE_CLOSED));
	store_bind_text(s, 11, case_state_name(CASE_DISSOLVED));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		t = xreallocarray(t, (size_t)*n + 1, sizeof *t);
		t[*n].id = sqlite3_column_int64(s, 0);
		t[*n].code = store_column_strdup(s, 1);
		t[*n].phone = store_column_strdup(s, 2);
		(*n)++;
	}
	*out = t;
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "finding tips past retention");
		return (-1);
	}
	return (0);
}

/* One tip: its reporter's number out of every row that holds it. */
static int
store_retain_tip(struct store *st, const struct store_retain_tip *t,
    time_t cutoff, time_t now, char **cause)
{
	sqlite3_stmt	*s;
	char		 when[32], detail[128];
	int		 i;
	const enum store_stmt stmts[] = { STMT_RETAIN_SENT, STMT_RETAIN_OUTBOX };

	s = store_stmt(st, STMT_RETAIN_RAW);
	store_bind_id(s, 1, t->id);
	store_bind_text(s, 2, STORE_ERASED);
	if (store_run(st, s, cause, "erasing a tip's messages' sender") != 0)
		return (-1);
	for (i = 0; i < 2; i++) {
		s = store_stmt(st, stmts[i]);
		store_bind_id(s, 1, t->id);
		store_bind_text(s, 2, t->phone);
		store_bind_text(s, 3, STORE_ERASED);
		if (store_run(st, s, cause, "erasing what went to the "
		    "reporter") != 0)
			return (-1);
	}
	s = store_stmt(st, STMT_RETAIN_TIP);
	store_bind_id(s, 1, t->id);
	store_bind_time(s, 2, now);
	if (store_run(st, s, cause, "erasing a tip's reporter") != 0)
		return (-1);
	tipgw_time_format(cutoff, when, sizeof when);
	snprintf(detail, sizeof detail, "reporter's number removed: closed "
	    "before %s, rewards settled", when);
	if (store_event_add(st, now, "tipgwd", "tip.erase", t->id, detail,
	    cause) != 0)
		return (-1);
	store_log_at_commit(st, 0, "tip=%s retention: reporter's number "
	    "removed", t->code);
	return (0);
}

/* Rows of no tip, older than the cutoff: their numbers out. */
static int
store_retain_rest(struct store *st, time_t cutoff, int *rows, char **cause)
{
	const enum store_stmt	 stmts[] = { STMT_RETAIN_OLD_RAW,
				    STMT_RETAIN_OLD_SENT, STMT_RETAIN_OLD_OUTBOX,
				    STMT_RETAIN_CALLS };
	sqlite3_stmt		*s;
	size_t			 i;

	for (i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
		s = store_stmt(st, stmts[i]);
		store_bind_time(s, 1, cutoff);
		store_bind_text(s, 2, STORE_ERASED);
		sqlite3_bind_int(s, 3, STORE_RETAIN_BATCH);
		if (stmts[i] == STMT_RETAIN_OLD_OUTBOX ||
		    stmts[i] == STMT_RETAIN_OLD_SENT) {
			store_bind_text(s, 4, outbox_state_name(OUTBOX_SENT));
			store_bind_text(s, 5, outbox_state_name(OUTBOX_DEAD));
		}
		if (store_run(st, s, cause, "erasing old numbers") != 0)
			return (-1);
		*rows += sqlite3_changes(st->db);
	}
	s = store_stmt(st, STMT_RETAIN_REPORTERS);
	if (store_run(st, s, cause, "deleting reporters no longer needed") !=
	    0)
		return (-1);
	*rows += sqlite3_changes(st->db);
	return (0);
}

/*
 * One pass, in one transaction: at most STORE_RETAIN_BATCH tips (*tips)
 * and rows of no tip (*rows). A caller runs it again while it finds work.
 */
int
store_retention(struct store *st, time_t cutoff, time_t now, int *tips,
    int *rows, char **cause)
{
	struct store_retain_tip	*t = NULL;
	int			 i, n = 0, rc;

	*tips = *rows = 0;
	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_retain_find(st, cutoff, &t, &n, cause);
	for (i = 0; rc == 0 && i < n; i++)
		rc = store_retain_tip(st, &t[i], cutoff, now, cause);
	if (rc == 0)
		rc = store_retain_rest(st, cutoff, rows, cause);
	for (i = 0; i < n; i++) {
		free(t[i].code);
		free(t[i].phone);
	}
	free(t);
	if (store_finish(st, rc, cause) != 0)
		return (-1);
	*tips = n;
	return (0);
}
