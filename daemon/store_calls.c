/*
 * The ledger's calls to the hotline SIM: each one a call-back task until
 * a person marks it done (audited). The caller's number stays in this
 * table. SQL texts are in store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

struct store_call_new {
	const char			*modem;
	const char			*caller;
	int				 hung_up;
	const struct store_understood	*plan;
	long long			*id;
};

static int
store_call_add_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_call_new	*w = arg;
	sqlite3_stmt		*s = store_stmt(st, STMT_CALL_INSERT);

	store_bind_text(s, 1, w->modem);
	store_bind_text(s, 2, w->caller);
	store_bind_time(s, 3, a->at);
	sqlite3_bind_int(s, 4, w->hung_up);
	if (store_run(st, s, cause, "adding call") != 0)
		return (-1);
	*w->id = sqlite3_last_insert_rowid(st->db);
	snprintf(a->detail, sizeof a->detail, "call=%lld hung_up=%d", *w->id,
	    w->hung_up);
	return (store_replies_queue(st, w->caller, a->at, 0, w->plan,
	    cause));
}

/* Record a call to the hotline SIM, with the replies plan holds. */
int
store_call_add(struct store *st, const char *modem, const char *caller,
    time_t at, int hung_up, const struct store_understood *plan,
    long long *id, char **cause)
{
	struct store_call_new	 w = { modem, caller, hung_up, plan, id };
	struct store_audit	 a = { .at = at, .action = "call.missed" };
	char			 actor[64];

	snprintf(actor, sizeof actor, "modem:%s", modem);
	a.actor = actor;
	return (store_audited(st, store_call_add_write, &w, &a, cause) == 0 ?
	    0 : -1);
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

struct store_call_handled {
	long long	 id;
	const char	*note;
};

static int
store_call_done_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_call_handled	*w = arg;
	sqlite3_stmt			*s = store_stmt(st, STMT_CALL_DONE);

	sqlite3_bind_int64(s, 1, w->id);
	store_bind_time(s, 2, a->at);
	if (store_run(st, s, cause, "closing the call") != 0)
		return (-1);
	if (sqlite3_changes(st->db) == 0) {
		xasprintf(cause, "no open call %lld", w->id);
		return (1);
	}
	snprintf(a->detail, sizeof a->detail, "call=%lld%s%s", w->id,
	    w->note ? " note=" : "", w->note ? w->note : "");
	return (0);
}

/* A call was called back: 0, 1 if no such open call, -1 on error. */
int
store_call_done(struct store *st, long long id, const char *note, time_t now,
    const char *actor, char **cause)
{
	struct store_call_handled	 w = { id, note };
	struct store_audit		 a = { .at = now, .actor = actor,
					    .action = "call.handled" };

	return (store_audited(st, store_call_done_write, &w, &a, cause));
}
