/*
 * Inside the ledger: the handle, the statement numbers and the helpers
 * shared by store.c (schema, statements, core) and the store_*.c files.
 * Only store*.c include this header, and with it sqlite3.h; every SQL
 * text stays in store_sql.c's table.
 */
#ifndef TIPGW_STORE_INT_H
#define TIPGW_STORE_INT_H

#include <time.h>

#include <sqlite3.h>

#include "tipgw/store.h"

enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT_PING,
	STMT_EVENT_ADD,
	STMT_EVENTS_BETWEEN,
	STMT_TOWNSHIP_UPSERT,
	STMT_VILLAGE_UPSERT,
	STMT_COUNTY_UPSERT,
	STMT_TOWNSHIP_COUNT,
	STMT_VILLAGE_COUNT,
	STMT_TOWNSHIP_LIST,
	STMT_OFFICE_INSERT,
	STMT_OFFICE_ID,
	STMT_OFFICE_UPDATE,
	STMT_OFFICE_PHONES_CLEAR,
	STMT_OFFICE_PHONE_ADD,
	STMT_OFFICE_TOWNSHIPS_CLEAR,
	STMT_TOWNSHIP_ASSIGN,
	STMT_TOWNSHIP_OWNER,
	STMT_OFFICE_LIST,
	STMT_OFFICE_PHONES,
	STMT_OFFICE_TOWNSHIPS,
	STMT_REPORTER_UPSERT,
	STMT_TIP_INSERT,
	STMT_PART_KNOWN,
	STMT_RAW_INSERT,
	STMT_RAW_ID,
	STMT_PART_INSERT,
	STMT_RAW_SIBLING,
	STMT_TIP_PRIOR_BY_ID,
	STMT_CALL_INSERT,
	STMT_OUTBOX_QUEUE,
	STMT_OUTBOX_DUE,
	STMT_OUTBOX_TIP,
	STMT_OUTBOX_WHAT,
	STMT_OUTBOX_MOVE,
	STMT_OUTBOX_IN_STATE,
	STMT_SMS_PARTS_SINCE,
	STMT_SMS_PARTS_BY_INTENT,
	STMT_METRICS_TIPS,
	STMT_METRICS_RAW,
	STMT_METRICS_OUTBOX,
	STMT_METRICS_SENT,
	STMT_HEALTH_PROBE,
	STMT_USER_ADD,
	STMT_USER_TOWNSHIP_ADD,
	STMT_USER_REVOKE,
	STMT_USERS,
	STMT_USER_BY_TOKEN,
	STMT_SENDER_COUNT,
	STMT_OUTBOX_COUNT_INTENT,
	STMT_CALLS_OPEN,
	STMT_CALL_DONE,
	STMT_OUTBOX_COUNTS,
	STMT_OPEN_TIPS,
	STMT_TIP_MOVE,
	STMT_TIP_DO_OFFICE,
	STMT_TIP_DO_CLEAR_OFFICE,
	STMT_TIP_DO_CLOCK,
	STMT_TIP_DO_CASE_CLOCK,
	STMT_TIP_DO_CLOSED,
	STMT_TIP_DO_EXTEND,
	STMT_TIP_DO_PAUSE,
	STMT_TIP_DO_RESUME,
	STMT_TIP_STATE_OF,
	STMT_TIP_CLEAR_PINS,
	STMT_TIP_HASH_PIN,
	STMT_TIP_SET_PIN,
	STMT_TIP_TO_REPORTER,
	STMT_TIPS_UNANSWERED,
	STMT_TIP_PLACE,
	STMT_TIP_DO_TELL,
	STMT_ALERT_ADD,
	STMT_ALERTS_PENDING,
	STMT_ALERT_EXPANDED,
	STMT_SENT_INSERT,
	STMT_SENT_REPORT,
	STMT_SENT_PART_INSERT,
	STMT_SENT_PART_REPORT,
	STMT_SENT_DELIVERY,
	STMT_REPORTER_PRIOR,
	STMT_TIP_UNDERSTOOD,
	STMT_RAW_LINK,
	STMT_REPORTER_OPTOUT,
	STMT_REPORTER_OPTIN,
	STMT_TIP_BY_CODE,
	STMT_OFFICE_TOWNSHIPS_ALL,
	STMT_BEGIN_READ,
	STMT_TOWNSHIP_OFFICE,
	STMT_PHONE_OFFICE,
	STMT_DIVISION_TOWNSHIPS,
	STMT_DIVISION_VILLAGES,
	STMT_DIVISION_COUNTIES,
	STMT_OUTBOX_LIST,
	STMT_OUTBOX_STATE,
	STMT_OUTBOX_COUNT_TO,
	STMT_TIP_LIST,
	STMT_TIP_REPORTER,
	STMT_TIP_TEXT_INDEX,
	STMT_CASE_CANDIDATES,
	STMT_CASE_INSERT,
	STMT_CASE_MOVE,
	STMT_CASE_STATE_OF,
	STMT_TIP_SET_CASE,
	STMT_TIP_CASE_APART,
	STMT_CASE_COUNT_TIPS,
	STMT_CASE_FREE,
	STMT_CASE_LIST,
	STMT_CASE_TIPS,
	STMT_CASE_OUTCOME,
	STMT_REWARD_OPEN,
	STMT_REWARD_LIST,
	STMT_REWARD_MOVE,
	STMT_REWARD_FLAGS,
	STMT_REWARD_REPORTER,
	STMT_TIP_SET_ORDER,
	STMT_REPORT_TIPS,
	STMT_SUBSCRIBERS_IN,
	STMT_BROADCAST_ADD,
	STMT_BROADCAST_COUNT,
	STMT_POLL_OPEN_ONE,
	STMT_POLL_ADD,
	STMT_POLL_CLOSE,
	STMT_POLL_LIST,
	STMT_POLL_TALLY,
	STMT_POLL_VOTED,
	STMT_POLL_VOTE,
	STMT_TIP_MESSAGES,
	STMT_TIP_HISTORY,
	STMT_CHECK_INTEGRITY,
	STMT_CHECK_FOREIGN,
	STMT_CHECK_NO_SOURCE,
	STMT_CHECK_OUTBOX,
	STMT_CHECK_INTENTS,
	STMT_CHECK_CLOCKS,
	STMT_CHECK_COUNTS,
	STMT_HOLIDAYS_DELETE,
	STMT_HOLIDAYS_INSERT,
	STMT_HOLIDAYS_ALL,
	STMT_HOLIDAYS_STAMP,
	STMT_CHECK_EVENTS,
	STMT_RETAIN_TIPS,
	STMT_RETAIN_RAW,
	STMT_RETAIN_SENT,
	STMT_RETAIN_OUTBOX,
	STMT_RETAIN_TIP,
	STMT_RETAIN_OLD_RAW,
	STMT_RETAIN_OLD_SENT,
	STMT_RETAIN_OLD_OUTBOX,
	STMT_RETAIN_CALLS,
	STMT_RETAIN_REPORTERS,
	STMT_COUNT
};

/* The audit event of one write (store_audited). */
struct store_audit {
	time_t		 at;
	const char	*actor;
	const char	*action;
	long long	 tip_id;
	char		 detail[4096];	/* a note of 1000 characters fits */
	char		 action_buf[48];
};

struct store;
typedef int (*store_write_fn)(struct store *, void *,
    struct store_audit *, char **);

struct store {
	sqlite3		*db;
	char		*path;
	int		 readonly;
	sqlite3_stmt	*stmt[STMT_COUNT];
	char		**logs;		/* logged when the transaction commits */
	int		 *warn;		/* ... as a warning */
	size_t		  nlogs;
	char		  write_error[160]; /* since the last commit that
					       wrote: full, read-only, I/O */
	int		  changes;	/* total_changes at BEGIN */
	int		  write_failed;	/* a write failed since BEGIN */
	unsigned long	  write_failures; /* writes failed, ever */
	unsigned long	  checked_failures; /* ... at store_write_check */
	time_t		  quiet_since;	/* no write failed since */
	time_t		  write_quiet;	/* s of that to clear the error */
	int		  busy;		/* the last statement met a lock */
	int		  batch;	/* store_batch_begin's transaction */
	int		  nested;	/* a savepoint in it */
	size_t		  nested_logs;	/* nlogs when it began */
};

void		 store_cause(struct store *, char **, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
sqlite3_stmt	*store_stmt(struct store *, enum store_stmt);
void		 store_bind_text(sqlite3_stmt *, int, const char *);
void		 store_bind_id(sqlite3_stmt *, int, long long);
void		 store_bind_time(sqlite3_stmt *, int, time_t);
void		 store_bind_flag(sqlite3_stmt *, int, long long);
time_t		 store_column_time(sqlite3_stmt *, int);
char		*store_column_strdup(sqlite3_stmt *, int);
int		 store_run(struct store *, sqlite3_stmt *, char **,
		    const char *);
int		 store_run_int(struct store *, sqlite3_stmt *, long long *,
		    char **, const char *);
int		 store_exec(struct store *, const char *, char **);
int		 store_pragma_int(struct store *, const char *, int *,
		    char **);
int		 store_migrate(struct store *, char **);
int		 store_audited(struct store *, store_write_fn, void *,
		    struct store_audit *, char **);
void		 store_log_at_commit(struct store *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
int		 store_begin(struct store *, char **);
int		 store_begin_read(struct store *, char **);
int		 store_commit(struct store *, char **);
void		 store_rollback(struct store *);
int		 store_finish(struct store *, int, char **);
int		 store_tip_create(struct store *, struct tip *, const char *,
		    const struct store_tip_change *, char **);
int		 store_tip_transition(struct store *,
		    const struct store_tip_change *, char **);
int		 store_reporter_id(struct store *, const char *, time_t,
		    long long *, char **);
int		 store_tip_prior(struct store *, long long, struct store_prior *,
		    char **);
int		 store_replies_queue(struct store *, const char *, time_t,
		    long long, const struct store_understood *, char **);
int		 store_raw_insert(struct store *, const struct store_raw *,
		    long long *, char **);
int		 store_raw_parts(struct store *, const struct store_raw *,
		    long long, char **);

/* The SQL texts (store_sql.c), by statement. */
extern const char *const store_sql[STMT_COUNT];
/* The columns of a tip as listed; store_tip_row reads a row of them. */
extern const char store_tip_select[];
void		 store_tip_row(sqlite3_stmt *, struct tip *);
int		 store_tip_text_index(struct store *, long long,
		    const char *, char **);
int		 store_tip_text_fill(struct store *, char **);
struct store_reward_change;
int		 store_reward_move(struct store *,
		    const struct store_reward_change *, long long tip,
		    char **);
#endif
