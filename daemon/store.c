/*
 * The ledger in SQLite: opening, every statement prepared once from
 * store_sql.c's texts (bound parameters only), and the transactions
 * around multi-step changes. The schema and its migrations are in
 * store_schema.c; only the store files include sqlite3.h.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tipgw/chain.h"
#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

#define STORE_BUSY_TIMEOUT_MS	5000
#define STORE_WRITE_QUIET	60	/* s with no failed write: room again */

/*
 * Remember what the last error says of the ledger: one that means it
 * cannot be written (full, read-only, I/O, corrupt) stands, for /healthz,
 * until a transaction that wrote commits with no write of it failing (a
 * commit of nothing proves nothing, nor one of what was left when a part
 * was undone); a lock held elsewhere is noted for the caller.
 */
static void
store_note_error(struct store *st, const char *what)
{
	switch (sqlite3_errcode(st->db) & 0xff) {
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		snprintf(st->write_error, sizeof st->write_error, "%s", what);
		st->write_failed = 1;
		st->write_failures++;
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		st->busy = 1;
		break;
	default:
		break;
	}
}

void
store_cause(struct store *st, char **cause, const char *fmt, ...)
{
	va_list	 ap;
	char	*what;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		fatalx("store_cause: out of memory");
	va_end(ap);
	if (st != NULL && st->db != NULL) {
		xasprintf(cause, "%s: %s", what, sqlite3_errmsg(st->db));
		store_note_error(st, *cause);
	} else
		*cause = xstrdup(what);
	free(what);
}

sqlite3_stmt *
store_stmt(struct store *st, enum store_stmt which)
{
	sqlite3_stmt	*s = st->stmt[which];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return (s);
}

void
store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

void
store_bind_id(sqlite3_stmt *s, int i, long long v)
{
	if (v == 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

void
store_bind_time(sqlite3_stmt *s, int i, time_t t)
{
	char	 buf[32];

	store_bind_text(s, i, tipgw_time_format(t, buf, sizeof buf));
}

/* An integer, or NULL for a negative one (not given). */
void
store_bind_flag(sqlite3_stmt *s, int i, long long v)
{
	if (v < 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

time_t
store_column_time(sqlite3_stmt *s, int i)
{
	const char	*v = (const char *)sqlite3_column_text(s, i);
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	if (v == NULL || strptime(v, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		return (0);
	return (timegm(&tm));
}

char *
store_column_strdup(sqlite3_stmt *s, int i)
{
	const char	*v = (const char *)sqlite3_column_text(s, i);

	return (v == NULL ? NULL : xstrdup(v));
}

/* Run a statement that returns no rows. */
int
store_run(struct store *st, sqlite3_stmt *s, char **cause, const char *what)
{
	int	 rc = sqlite3_step(s);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(s);
		return (0);
	}
	store_cause(st, cause, "%s", what);
	sqlite3_reset(s);
	return (-1);
}

/* Run a statement that returns one integer. */
int
store_run_int(struct store *st, sqlite3_stmt *s, long long *out,
    char **cause, const char *what)
{
	int	 rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return (0);
	}
	if (rc == SQLITE_DONE)
		xasprintf(cause, "%s: no row", what);
	else
		store_cause(st, cause, "%s", what);
	sqlite3_reset(s);
	return (-1);
}

/*
 * Inside a batch (store_batch_begin), a transaction is a savepoint of the
 * batch's: its commit is the savepoint's release, its rollback undoes it
 * alone, and what it logs waits for the batch's commit.
 */
static int
store_savepoint(struct store *st, char **cause)
{
	if (st->nested || sqlite3_get_autocommit(st->db)) {
		/* SQLite ended the batch on an error: nothing more joins. */
		xasprintf(cause, "%s: the batch's transaction was rolled back",
		    st->path);
		return (-1);
	}
	if (store_run(st, store_stmt(st, STMT_SAVEPOINT), cause,
	    "savepoint") != 0)
		return (-1);
	st->nested = 1;
	st->nested_logs = st->nlogs;
	return (0);
}

/* BEGIN (which): a savepoint inside a batch. */
static int
store_begin_with(struct store *st, enum store_stmt which, char **cause)
{
	st->busy = 0;
	if (st->batch)
		return (store_savepoint(st, cause));
	st->changes = sqlite3_total_changes(st->db);
	st->write_failed = 0;
	return (store_run(st, store_stmt(st, which), cause, "begin"));
}

int
store_begin(struct store *st, char **cause)
{
	return (store_begin_with(st, STMT_BEGIN, cause));
}

/* A transaction that only reads (a write in it may still take the lock). */
int
store_begin_read(struct store *st, char **cause)
{
	return (store_begin_with(st, STMT_BEGIN_READ, cause));
}

/*
 * Begin a batch: the transactions until store_batch_end are one, so that
 * they cost one commit (one fsync) between them, each still undone alone
 * when it fails. 0, or -1 when the ledger cannot be locked.
 */
int
store_batch_begin(struct store *st, char **cause)
{
	if (st->batch) {
		xasprintf(cause, "%s: a batch is open already", st->path);
		return (-1);
	}
	if (store_begin(st, cause) != 0)
		return (-1);
	st->batch = 1;
	return (0);
}

/* Commit the batch (or roll it back if commit is 0): 0, or -1. */
int
store_batch_end(struct store *st, int commit, char **cause)
{
	int	 rc = 0;

	if (!st->batch)
		return (-1);
	if (st->nested)
		store_rollback(st);
	st->batch = 0;
	if (!commit || sqlite3_get_autocommit(st->db)) {
		if (commit)
			xasprintf(cause, "%s: the batch's transaction was "
			    "rolled back", st->path);
		store_rollback(st);
		return (-1);
	}
	if ((rc = store_commit(st, cause)) != 0)
		store_rollback(st);
	return (rc);
}

/* Keep line (taken) to log when the transaction commits. */
static void
store_log_keep(struct store *st, int warn, char *line)
{
	st->logs = xreallocarray(st->logs, st->nlogs + 1, sizeof *st->logs);
	st->warn = xreallocarray(st->warn, st->nlogs + 1, sizeof *st->warn);
	st->warn[st->nlogs] = warn;
	st->logs[st->nlogs++] = line;
}

static char *
store_log_line(const char *fmt, va_list ap)
{
	char	*line;

	if (vasprintf(&line, fmt, ap) < 0)
		fatalx("store: out of memory");
	return (line);
}

/*
 * A line to log once the transaction commits (a state change), so that
 * the log never tells of a change a rollback undid.
 */
void
store_log_at_commit(struct store *st, int warn, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	store_log_keep(st, warn, store_log_line(fmt, ap));
	va_end(ap);
}

/*
 * A line about what was just committed: logged now, or inside a batch
 * (store_batch_begin) once the batch commits, never if it rolls back.
 */
void
store_log_committed(struct store *st, int warn, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;

	va_start(ap, fmt);
	line = store_log_line(fmt, ap);
	va_end(ap);
	if (st->batch) {
		store_log_keep(st, warn, line);
		return;
	}
	if (warn)
		log_warnx("%s", line);
	else
		log_info("%s", line);
	free(line);
}

static void
store_logs_end(struct store *st, int committed)
{
	size_t	 i;

	for (i = 0; i < st->nlogs; i++) {
		if (committed && st->warn[i])
			log_warnx("%s", st->logs[i]);
		else if (committed)
			log_info("%s", st->logs[i]);
		free(st->logs[i]);
	}
	free(st->logs);
	free(st->warn);
	st->logs = NULL;
	st->warn = NULL;
	st->nlogs = 0;
}

int
store_commit(struct store *st, char **cause)
{
	int	 rc;

	if (st->nested) {
		if ((rc = store_run(st, store_stmt(st, STMT_RELEASE), cause,
		    "release")) == 0)
			st->nested = 0;
		return (rc);
	}
	if (st->batch)
		return (0);	/* the batch's own, at store_batch_end */
	rc = store_run(st, store_stmt(st, STMT_COMMIT), cause, "commit");
	if (rc == 0) {
		store_logs_end(st, 1);
		if (!st->write_failed &&
		    sqlite3_total_changes(st->db) != st->changes)
			st->write_error[0] = '\0';
	}
	return (rc);
}

void
store_rollback(struct store *st)
{
	size_t	 i;

	if (st->nested) {
		if (!sqlite3_get_autocommit(st->db)) {
			sqlite3_step(store_stmt(st, STMT_ROLLBACK_TO));
			sqlite3_reset(st->stmt[STMT_ROLLBACK_TO]);
			sqlite3_step(store_stmt(st, STMT_RELEASE));
			sqlite3_reset(st->stmt[STMT_RELEASE]);
		}
		for (i = st->nested_logs; i < st->nlogs; i++)
			free(st->logs[i]);
		st->nlogs = st->nested_logs;
		st->nested = 0;
		return;
	}
	if (st->batch)
		return;		/* the batch's own, at store_batch_end */
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_step(store_stmt(st, STMT_ROLLBACK));
	sqlite3_reset(st->stmt[STMT_ROLLBACK]);
	store_logs_end(st, 0);
}

int
store_exec(struct store *st, const char *sql, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) == SQLITE_OK)
		return (0);
	xasprintf(cause, "%s: %s", st->path, err ? err : "error");
	sqlite3_free(err);
	return (-1);
}

int
store_pragma_int(struct store *st, const char *sql, int *out, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_cause(st, cause, "%s", st->path);
		return (-1);
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	else
		store_cause(st, cause, "%s", st->path);
	sqlite3_finalize(s);
	return (rc == SQLITE_ROW ? 0 : -1);
}
static int
store_prepare(struct store *st, char **cause)
{
	int	 i;

	for (i = 0; i < STMT_COUNT; i++) {
		if (sqlite3_prepare_v3(st->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL) != SQLITE_OK) {
			store_cause(st, cause, "preparing statement %d", i);
			return (-1);
		}
	}
	return (0);
}

/*
 * Tests only: TIPGW_TEST_MAX_PAGES caps the ledger's size in pages, so
 * that a test can fill it like a full disk (SQLITE_FULL).
 */
static int
store_test_full(struct store *st, char **cause)
{
	const char	*pages = getenv("TIPGW_TEST_MAX_PAGES");
	char		 sql[64];

	if (pages == NULL || st->readonly ||
	    strspn(pages, "0123456789") != strlen(pages) || *pages == '\0')
		return (0);
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %s", pages);
	return (store_exec(st, sql, cause));
}

/*
 * tipgw_chain(prev, at, actor, action, tip_id, detail): an event's hash
 * (chain.c), computed in the INSERT itself so that two writers cannot
 * chain from the same event.
 */
static void
store_chain_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct chain_fields	 f;
	char			 out[CHAIN_HEX + 1];

	(void)argc;
	f.at = (const char *)sqlite3_value_text(argv[1]);
	f.actor = (const char *)sqlite3_value_text(argv[2]);
	f.action = (const char *)sqlite3_value_text(argv[3]);
	f.tip_id = (const char *)sqlite3_value_text(argv[4]);
	f.detail = (const char *)sqlite3_value_text(argv[5]);
	chain_hash((const char *)sqlite3_value_text(argv[0]), &f, out);
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

static int
store_setup(struct store *st, char **cause)
{
	if (sqlite3_create_function_v2(st->db, "tipgw_chain", 6,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, store_chain_fn, NULL,
	    NULL, NULL) != SQLITE_OK) {
		store_cause(st, cause, "%s", st->path);
		return (-1);
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	if (store_exec(st, "PRAGMA foreign_keys = ON", cause) != 0)
		return (-1);
	if (!st->readonly &&
	    store_exec(st, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL", cause) != 0)
		return (-1);
	if (store_migrate(st, cause) != 0)
		return (-1);
	if (store_prepare(st, cause) != 0)
		return (-1);
	return (store_test_full(st, cause));
}

/*
 * Open (and, unless read-only, create and migrate) the ledger at path.
 * Intake durability: WAL with synchronous=FULL, so a commit survives a
 * power cut before the modem deletes the message.
 */
/*
 * The ledger holds reporters' numbers: it, its -wal and its -shm are
 * the owner's only (0600), whatever the umask. A new ledger is created
 * so; an existing one others could read is made so, with a warning.
 */
static int
store_private(const char *path, char **cause)
{
	static const char *const	 suffix[] = { "", "-wal", "-shm" };
	struct stat			 sb;
	char				*name;
	size_t				 i;
	int				 fd;

	if (*path == ':' || strncmp(path, "file:", 5) == 0)
		return (0);	/* in memory, or a URI: not a plain file */
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		xasprintf(&name, "%s%s", path, suffix[i]);
		fd = open(name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
		    (i == 0 ? O_CREAT : 0), 0600);
		if (fd == -1 && errno != ENOENT) {
			xasprintf(cause, "%s: %s", name, strerror(errno));
			free(name);
			return (-1);
		}
		if (fd != -1) {
			if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0) {
				log_warnx("store: %s was readable by others "
				    "(mode %04o); made 0600", name,
				    (unsigned int)(sb.st_mode & 07777));
				if (fchmod(fd, 0600) != 0)
					log_warn("store: chmod %s", name);
			}
			close(fd);
		}
		free(name);
	}
	return (0);
}

struct store *
store_open(const char *path, int flags, char **cause)
{
	struct store	*st;
	int		 oflags;

	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->readonly = (flags & STORE_READONLY) != 0;
	st->write_quiet = STORE_WRITE_QUIET;
	oflags = st->readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (!st->readonly && store_private(path, cause) != 0) {
		store_close(st);
		return (NULL);
	}
	if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
		store_cause(st, cause, "%s", path);
		store_close(st);
		return (NULL);
	}
	if (store_setup(st, cause) != 0) {
		store_close(st);
		return (NULL);
	}
	return (st);
}

/* Finalize every statement and close the database. */
void
store_close(struct store *st)
{
	int	 i;

	if (st == NULL)
		return;
	store_logs_end(st, 0);
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		log_warnx("store: database=%s close: %s", st->path,
		    sqlite3_errmsg(st->db));
	free(st->path);
	free(st);
}

/* The schema version the database is at. */
int
store_schema_version(struct store *st)
{
	int	 version = -1;
	char	*cause = NULL;

	if (store_pragma_int(st, "PRAGMA user_version", &version, &cause))
		free(cause);
	return (version);
}

/*
 * Can the ledger be written? A write of the health row, committed, so a
 * full disk or a read-only file shows. 0, or -1 with why; *busy is set
 * when a lock held elsewhere stopped it (it may pass in a moment).
 *
 * The check's small write passing does not clear an error a larger write
 * met (a message stuck on the modem is tried at every poll, and fails
 * again), unless no write has failed for write_quiet seconds: then the
 * room was made, on a ledger that has nothing else to write.
 */
int
store_write_check(struct store *st, time_t now, int *busy, char **cause)
{
	sqlite3_stmt	*s;
	char		 standing[sizeof st->write_error];
	int		 rc;

	if (st->write_failures != st->checked_failures ||
	    now < st->quiet_since) {	/* or the clock went back */
		st->checked_failures = st->write_failures;
		st->quiet_since = now;
	}
	if (store_begin(st, cause) != 0) {
		*busy = st->busy;
		return (-1);
	}
	s = store_stmt(st, STMT_HEALTH_PROBE);
	store_bind_time(s, 1, now);
	memcpy(standing, st->write_error, sizeof standing);
	rc = store_run(st, s, cause, "writing the health row");
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0)
		store_rollback(st);
	else if (now - st->quiet_since < st->write_quiet)
		memcpy(st->write_error, standing, sizeof st->write_error);
	*busy = st->busy;
	return (rc);
}

/* The error that says the ledger cannot be written, since the last commit. */
const char *
store_write_error(struct store *st)
{
	return (st->write_error[0] != '\0' ? st->write_error : NULL);
}

/* Did the last failed statement meet a lock held by another process? */
int
store_busy(struct store *st)
{
	return (st->busy);
}

/* How long a statement waits for a lock held elsewhere. */
void
store_set_busy_timeout(struct store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms);
}

/*
 * How long no write must fail before the health check's own write clears
 * a standing error: longer than the writes that keep failing are apart
 * (a message stuck on a modem fails once a poll). At least a minute.
 */
void
store_set_write_quiet(struct store *st, unsigned int seconds)
{
	st->write_quiet = seconds > STORE_WRITE_QUIET ? (time_t)seconds :
	    STORE_WRITE_QUIET;
}

/* Rows of (label, label, count) or (label, count) to a metric. */
static int
store_metric_rows(struct store *st, enum store_stmt which, int labels,
    const char *metric, const char *metric2, store_metric_cb cb, void *arg,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, which);
	const char	*l1, *l2;
	int		 rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		l1 = (const char *)sqlite3_column_text(s, 0);
		l2 = labels == 2 ? (const char *)sqlite3_column_text(s, 1) :
		    NULL;
		cb(metric, l1 ? l1 : "", l2, sqlite3_column_int64(s, labels),
		    arg);
		if (metric2 != NULL)
			cb(metric2, l1 ? l1 : "", NULL,
			    sqlite3_column_int64(s, 2), arg);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "reading %s", metric);
		return (-1);
	}
	return (0);
}

/*
 * The ledger's numbers for /metrics, one metric after another: tips by
 * state and township, messages received by disposition, the outbox by
 * state and channel, SMS (and their parts) sent by modem.
 */
int
store_metrics(struct store *st, store_metric_cb cb, void *arg, char **cause)
{
	if (store_metric_rows(st, STMT_METRICS_TIPS, 2, "tips", NULL, cb,
	    arg, cause) != 0 ||
	    store_metric_rows(st, STMT_METRICS_RAW, 1, "messages_received",
	    NULL, cb, arg, cause) != 0 ||
	    store_metric_rows(st, STMT_METRICS_OUTBOX, 2, "outbox", NULL, cb,
	    arg, cause) != 0 ||
	    store_metric_rows(st, STMT_METRICS_SENT, 1, "sms_sent",
	    "sms_parts_sent", cb, arg, cause) != 0)
		return (-1);
	return (0);
}

/* Check that the database answers a query (for /healthz). */
int
store_ping(struct store *st, char **cause)
{
	long long	 n;

	return (store_run_int(st, store_stmt(st, STMT_PING), &n, cause,
	    "ping"));
}

/*
 * One audited write: begin, write(st, arg, a, cause), the audit event a
 * describes (write may fill in its tip and detail), commit. write returns
 * 0 when done, 1 when it refuses (nothing is written; *cause says why)
 * or -1 on a ledger error; so does this.
 */
int
store_audited(struct store *st, store_write_fn write, void *arg,
    struct store_audit *a, char **cause)
{
	int	 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = write(st, arg, a, cause);
	if (rc == 0 && store_event_add(st, a->at, a->actor, a->action,
	    a->tip_id, a->detail, cause) != 0)
		rc = -1;
	if (rc == 0 && store_commit(st, cause) != 0)
		rc = -1;
	if (rc != 0)
		store_rollback(st);
	return (rc);
}

/*
 * End the caller's transaction: committed if rc is 0 (-1 if the commit
 * fails), else rolled back; rc.
 */
int
store_finish(struct store *st, int rc, char **cause)
{
	if (rc == 0 && store_commit(st, cause) != 0)
		rc = -1;
	if (rc != 0)
		store_rollback(st);
	return (rc);
}

/*
 * How many events of an action were recorded from since until before
 * until, with a detail LIKE the pattern (NULL: any).
 */
int
store_events_between(struct store *st, const char *action,
    const char *detail, time_t since, time_t until, long long *n,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_EVENTS_BETWEEN);
	int		 rc;

	store_bind_text(s, 1, action);
	store_bind_time(s, 2, since);
	store_bind_time(s, 3, until);
	store_bind_text(s, 4, detail);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		store_cause(st, cause, "counting events");
		return (-1);
	}
	return (0);
}

/* Append an event to the audit log. */
int
store_event_add(struct store *st, time_t at, const char *actor,
    const char *action, long long tip_id, const char *detail, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_EVENT_ADD);

	store_bind_time(s, 1, at);
	store_bind_text(s, 2, actor);
	store_bind_text(s, 3, action);
	store_bind_id(s, 4, tip_id);
	store_bind_text(s, 5, detail);
	return (store_run(st, s, cause, "adding event"));
}
