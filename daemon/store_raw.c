/*
 * The ledger's received messages: every SMS as it arrived, its parts'
 * keys (so a part read twice is recognised) and counts by sender. SQL
 * texts are in store_sql.c.
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
	char		*text;
	int		 i, rc;

	for (i = 0; i < r->nparts; i++) {
		s = store_stmt(st, STMT_PART_INSERT);
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, r->parts[i].key);
		sqlite3_bind_int(s, 3, r->parts[i].number);
		text = r->parts[i].total > 1 ? sms_part_text(&r->parts[i]) :
		    NULL;
		store_bind_text(s, 4, text);
		rc = store_run(st, s, cause, "adding part");
		free(text);
		if (rc != 0)
			return (-1);
	}
	return (0);
}

/* Messages from a sender since a time (of a disposition, a reason). */
int
store_sender_count(struct store *st, const char *sender, time_t since,
    const char *disposition, const char *reason, int *count, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_SENDER_COUNT);
	long long	 n = 0;

	store_bind_text(s, 1, sender);
	store_bind_time(s, 2, since);
	store_bind_text(s, 3, disposition);
	store_bind_text(s, 4, reason);
	if (store_run_int(st, s, &n, cause, "counting messages") != 0)
		return (-1);
	*count = (int)n;
	return (0);
}
