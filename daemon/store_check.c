/*
 * The ledger's backup (SQLite's online backup API, while tipgwd runs)
 * and its check: SQLite's integrity and foreign keys, then the ledger's
 * own invariants. Each problem is handed to the caller as a line.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tipgw/chain.h"
#include "tipgw/outbox_state.h"
#include "tipgw/tip_state.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

#define STORE_BACKUP_PAGES	256	/* a step: the daemon waits no longer */

/*
 * Copy the ledger to path, which must not exist, readable by its owner
 * only (it holds reporters' numbers): written as path.tmp, then renamed.
 * progress (may be NULL) is told the pages copied and the total.
 */
int
store_backup(struct store *st, const char *path,
    void (*progress)(int done, int total, void *), void *arg, char **cause)
{
	sqlite3		*dst = NULL;
	sqlite3_backup	*b;
	char		*tmp;
	int		 fd, rc, total;

	if (access(path, F_OK) == 0) {
		xasprintf(cause, "%s exists: a backup never overwrites", path);
		return (-1);
	}
	xasprintf(&tmp, "%s.tmp", path);
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return (-1);
	}
	close(fd);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		xasprintf(cause, "%s: %s", tmp, dst != NULL ?
		    sqlite3_errmsg(dst) : "cannot open");
		goto fail;
	}
	if ((b = sqlite3_backup_init(dst, "main", st->db, "main")) == NULL) {
		xasprintf(cause, "backup: %s", sqlite3_errmsg(dst));
		goto fail;
	}
	do {
		rc = sqlite3_backup_step(b, STORE_BACKUP_PAGES);
		total = sqlite3_backup_pagecount(b);
		if (progress != NULL && (rc == SQLITE_OK || rc == SQLITE_DONE))
			progress(total - sqlite3_backup_remaining(b), total,
			    arg);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);	/* the daemon is writing */
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "backup: %s", sqlite3_errstr(rc));
		goto fail;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		dst = NULL;
		xasprintf(cause, "%s: cannot close", tmp);
		goto fail;
	}
	dst = NULL;
	if (rename(tmp, path) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	return (0);
fail:
	if (dst != NULL)
		sqlite3_close(dst);
	(void)unlink(tmp);
	free(tmp);
	return (-1);
}

struct store_check_run {
	store_check_cb	 cb;
	void		*arg;
	int		 problems;
};

static void
store_problem(struct store_check_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
store_problem(struct store_check_run *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) == -1)
		line = NULL;
	va_end(ap);
	r->problems++;
	r->cb(line != NULL ? line : "(no memory for the message)", r->arg);
	free(line);
}

#define COLTEXT(s, i) \
	(sqlite3_column_text((s), (i)) != NULL ? \
	    (const char *)sqlite3_column_text((s), (i)) : "")

/*
 * The audit log's chain: from the first event with a hash on, each must
 * have one, and it must be the hash of the one before and its fields.
 * After a broken link the check goes on from the stored hash, so each
 * tampered event is named once.
 */
static int
store_check_chain(struct store *st, struct store_check_run *r,
    struct store_check_counts *counts)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_CHECK_EVENTS);
	struct chain_fields	 f;
	char			 prev[CHAIN_HEX + 1] = "", want[CHAIN_HEX + 1];
	const char		*hash;
	int			 rc, started = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		counts->events++;
		hash = (const char *)sqlite3_column_text(s, 6);
		if (hash == NULL) {
			if (started)
				store_problem(r, "audit log: event %lld has no "
				    "hash: added outside tipgw",
				    (long long)sqlite3_column_int64(s, 0));
			else
				counts->unchained++;
			prev[0] = '\0';
			continue;
		}
		f.at = (const char *)sqlite3_column_text(s, 1);
		f.actor = (const char *)sqlite3_column_text(s, 2);
		f.action = (const char *)sqlite3_column_text(s, 3);
		f.tip_id = (const char *)sqlite3_column_text(s, 4);
		f.detail = (const char *)sqlite3_column_text(s, 5);
		chain_hash(prev, &f, want);
		if (strcmp(want, hash) != 0)
			store_problem(r, "audit log: event %lld does not follow "
			    "the one before: it was changed, or an event "
			    "before it removed", (long long)sqlite3_column_int64(
			    s, 0));
		snprintf(prev, sizeof prev, "%s", hash);
		started = 1;
	}
	snprintf(counts->head, sizeof counts->head, "%s", prev);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * Check the ledger; each problem goes to cb as a line. 0 if there are
 * none, the number of problems, or -1 if the ledger cannot be read.
 */
int
store_check(struct store *st, store_check_cb cb, void *arg,
    struct store_check_counts *counts, char **cause)
{
	struct store_check_run	 r = { cb, arg, 0 };
	enum outbox_intent	 intent;
	enum tip_state		 state;
	sqlite3_stmt		*s;
	int			 rc;

	s = store_stmt(st, STMT_CHECK_INTEGRITY);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (strcmp(COLTEXT(s, 0), "ok") != 0)
			store_problem(&r, "sqlite: %s", COLTEXT(s, 0));
	}
	if (rc != SQLITE_DONE)
		goto fail;
	s = store_stmt(st, STMT_CHECK_FOREIGN);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		store_problem(&r, "foreign key: %s row %lld refers to a "
		    "missing %s", COLTEXT(s, 0),
		    (long long)sqlite3_column_int64(s, 1), COLTEXT(s, 2));
	if (rc != SQLITE_DONE)
		goto fail;
	s = store_stmt(st, STMT_CHECK_NO_SOURCE);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		store_problem(&r, "tip %s (id %lld) has no source message",
		    COLTEXT(s, 1), (long long)sqlite3_column_int64(s, 0));
	if (rc != SQLITE_DONE)
		goto fail;
	s = store_stmt(st, STMT_CHECK_OUTBOX);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			store_problem(&r, "outbox row %lld (%s) is for tip id "
			    "%lld, which is not in the ledger",
			    (long long)sqlite3_column_int64(s, 0),
			    COLTEXT(s, 1),
			    (long long)sqlite3_column_int64(s, 2));
		else
			store_problem(&r, "outbox row %lld (%s) has no intent",
			    (long long)sqlite3_column_int64(s, 0),
			    COLTEXT(s, 1));
	}
	if (rc != SQLITE_DONE)
		goto fail;
	s = store_stmt(st, STMT_CHECK_INTENTS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (outbox_intent_parse(COLTEXT(s, 0), &intent) != 0)
			store_problem(&r, "%lld outbox row(s) have the unknown "
			    "intent '%s'", (long long)sqlite3_column_int64(s,
			    1), COLTEXT(s, 0));
	}
	if (rc != SQLITE_DONE)
		goto fail;
	s = store_stmt(st, STMT_CHECK_CLOCKS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		/* A reporter's question has no clock; a person's tip has. */
		if (tip_state_parse(COLTEXT(s, 2), &state) != 0)
			store_problem(&r, "tip %s (id %lld) is in the unknown "
			    "state '%s'", COLTEXT(s, 1),
			    (long long)sqlite3_column_int64(s, 0),
			    COLTEXT(s, 2));
		else if (tip_state_owner(state) == TIP_OWNER_OFFICE ||
		    tip_state_owner(state) == TIP_OWNER_COORDINATOR)
			store_problem(&r, "tip %s (id %lld) is %s without a "
			    "clock", COLTEXT(s, 1),
			    (long long)sqlite3_column_int64(s, 0),
			    COLTEXT(s, 2));
	}
	if (rc != SQLITE_DONE)
		goto fail;
	memset(counts, 0, sizeof *counts);
	if (store_check_chain(st, &r, counts) != 0)
		goto fail;
	s = store_stmt(st, STMT_CHECK_COUNTS);
	if (sqlite3_step(s) != SQLITE_ROW)
		goto fail;
	counts->tips = sqlite3_column_int64(s, 0);
	counts->messages = sqlite3_column_int64(s, 1);
	counts->outbox = sqlite3_column_int64(s, 2);
	return (r.problems);
fail:
	store_cause(st, cause, "checking the ledger");
	return (-1);
}
