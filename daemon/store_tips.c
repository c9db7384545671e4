/*
 * The ledger's tips and their reporters. A reporter's number is kept in
 * its own table; a tip only points at it. SQL texts are in store.c.
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
