/*
 * The ledger's side of the coordinator's desk (the /api/v1 queue): tips
 * by any combination of filters within a user's scope, newest first, a
 * page at a time; their counts by state and by township, kind and month;
 * and a reporter's number, revealed only with an audit event. The queue's
 * SQL is put together from fixed fragments, so each combination of
 * filters gets the plan of its indexes; every value is bound.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

#define STORE_QUERY_SQL_MAX	4096

struct store_sql {
	char	 text[STORE_QUERY_SQL_MAX];
	size_t	 len;
	int	 where;
};

static void
store_sql_add(struct store_sql *q, const char *fragment)
{
	int	 n;

	n = snprintf(q->text + q->len, sizeof q->text - q->len, "%s%s",
	    q->where++ == 0 ? "WHERE " : " AND ", fragment);
	if (n < 0 || (size_t)n >= sizeof q->text - q->len)
		fatalx("store: a query's text is too long");
	q->len += (size_t)n;
}

static void
store_sql_append(struct store_sql *q, const char *text)
{
	size_t	 n = strlen(text);

	if (n >= sizeof q->text - q->len)
		fatalx("store: a query's text is too long");
	memcpy(q->text + q->len, text, n + 1);
	q->len += n;
}

/* The scope's condition: an office's townships, a hotline user's tips. */
static void
store_scope_sql(struct store_sql *q, const struct tip_scope *sc)
{
	char	 frag[64];
	size_t	 i;

	if (sc == NULL)
		return;
	if (sc->townships_only) {
		if (sc->ntownships == 0) {
			store_sql_add(q, "0");
			return;
		}
		store_sql_add(q, "t.township_code IN (");
		for (i = 0; i < sc->ntownships; i++) {
			snprintf(frag, sizeof frag, "%s?%zu", i > 0 ? ", " : "",
			    100 + i);
			store_sql_append(q, frag);
		}
		store_sql_append(q, ")");
	}
	if (sc->created_by != NULL)
		store_sql_add(q, "t.created_by = ?99");
}

static void
store_scope_bind(sqlite3_stmt *s, const struct tip_scope *sc)
{
	size_t	 i;

	if (sc == NULL)
		return;
	for (i = 0; sc->townships_only && i < sc->ntownships; i++)
		store_bind_text(s, (int)(100 + i), sc->townships[i]);
	store_bind_text(s, 99, sc->created_by);
}

/* q as one FTS5 phrase: in double quotes, its own doubled. */
static char *
store_fts_phrase(const char *q)
{
	size_t	 n = strlen(q), i, j;
	char	*out = xmalloc(2 * n + 3);

	out[0] = '"';
	for (i = 0, j = 1; i < n; i++) {
		if (q[i] == '"')
			out[j++] = '"';
		out[j++] = q[i];
	}
	out[j++] = '"';
	out[j] = '\0';
	return (out);
}

/* Characters (not bytes) in a UTF-8 string. */
static size_t
store_utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

static int
store_prepare(struct store *st, const char *sql, sqlite3_stmt **s,
    char **cause)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK) {
		store_cause(st, cause, "preparing a query");
		return (-1);
	}
	return (0);
}

/*
 * Call cb for the tips q lets through within its scope, newest first,
 * at most q->limit of them; *more is set when there are others after.
 * Text of three characters or more is looked up in the trigram index;
 * shorter text is matched by scanning what the other filters leave;
 * both search the masked text (phone-like numbers as answers show
 * them).
 */
int
store_tip_query(struct store *st, const struct tip_query *q,
    const struct tip_scope *sc, store_tip_cb cb, void *arg, int *more,
    char **cause)
{
	struct store_sql	 sql;
	sqlite3_stmt		*s;
	struct tip		 t;
	char			*text = NULL, limit[48];
	int			 rc, n = 0, stop = 0, fts;

	*more = 0;
	memset(&sql, 0, sizeof sql);
	store_sql_append(&sql, store_tip_select);
	fts = q->text != NULL && store_utf8_chars(q->text) >= 3;
	if (q->code != NULL)
		store_sql_add(&sql, "t.code = ?1");
	if (q->state != NULL)
		store_sql_add(&sql, "t.state = ?2");
	if (q->township != NULL)
		store_sql_add(&sql, "t.township_code = ?3");
	if (q->kind != NULL)
		store_sql_add(&sql, "t.kind = ?4");
	if (q->product != NULL)
		store_sql_add(&sql, "t.product = ?5");
	if (q->since != 0)
		store_sql_add(&sql, "t.received_at >= ?6");
	if (q->until != 0)
		store_sql_add(&sql, "t.received_at < ?7");
	if (q->before != 0)
		store_sql_add(&sql, "t.id < ?8");
	/* The masked text: a search finds only what answers show. */
	if (fts)
		store_sql_add(&sql, "t.id IN (SELECT rowid FROM tips_text "
		    "WHERE tips_text MATCH ?9)");
	else if (q->text != NULL)
		store_sql_add(&sql, "EXISTS (SELECT 1 FROM tips_text x WHERE "
		    "x.rowid = t.id AND instr(x.text, ?9) > 0)");
	store_scope_sql(&sql, sc);
	snprintf(limit, sizeof limit, " ORDER BY t.id DESC LIMIT %d",
	    q->limit + 1);
	store_sql_append(&sql, limit);
	if (store_prepare(st, sql.text, &s, cause) != 0)
		return (-1);
	store_bind_text(s, 1, q->code);
	store_bind_text(s, 2, q->state);
	store_bind_text(s, 3, q->township);
	store_bind_text(s, 4, q->kind);
	store_bind_text(s, 5, q->product);
	if (q->since != 0)
		store_bind_time(s, 6, q->since);
	if (q->until != 0)
		store_bind_time(s, 7, q->until);
	if (q->before != 0)
		sqlite3_bind_int64(s, 8, q->before);
	if (q->text != NULL) {
		text = fts ? store_fts_phrase(q->text) : xstrdup(q->text);
		store_bind_text(s, 9, text);
	}
	store_scope_bind(s, sc);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n++ == q->limit) {
			*more = 1;
			break;
		}
		store_tip_row(s, &t);
		stop = cb(&t, arg);
		tip_clear(&t);
	}
	free(text);
	if (!stop && !*more && rc != SQLITE_DONE) {
		store_cause(st, cause, "listing tips");
		sqlite3_finalize(s);
		return (-1);
	}
	sqlite3_finalize(s);
	return (0);
}

/*
 * The tips in scope counted by state (by "state", a NULL l2) or by
 * township name, kind and month in China time ("chart").
 */
int
store_tip_counts(struct store *st, const struct tip_scope *sc,
    const char *by, store_metric_cb cb, void *arg, char **cause)
{
	struct store_sql	 sql;
	sqlite3_stmt		*s;
	int			 rc, chart = strcmp(by, "chart") == 0;

	memset(&sql, 0, sizeof sql);
	if (chart)
		store_sql_append(&sql, "SELECT coalesce(tw.name, "
		    "t.township_code, ''), coalesce(t.kind, ''), "
		    "strftime('%Y-%m', t.received_at, '+8 hours'), count(*) "
		    "FROM tips t LEFT JOIN townships tw ON "
		    "tw.code = t.township_code ");
	else
		store_sql_append(&sql, "SELECT t.state, NULL, NULL, count(*) "
		    "FROM tips t ");
	store_scope_sql(&sql, sc);
	store_sql_append(&sql, chart ? " GROUP BY 1, 2, 3 ORDER BY 3, 1, 2" :
	    " GROUP BY 1 ORDER BY 1");
	if (store_prepare(st, sql.text, &s, cause) != 0)
		return (-1);
	store_scope_bind(s, sc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cb((const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    (const char *)sqlite3_column_text(s, 2),
		    sqlite3_column_int64(s, 3), arg);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "counting tips");
		sqlite3_finalize(s);
		return (-1);
	}
	sqlite3_finalize(s);
	return (0);
}

/* The tips received in [since, until), with what a report counts. */
int
store_report_tips(struct store *st, time_t since, time_t until,
    store_report_cb cb, void *arg, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_REPORT_TIPS);
	struct store_report_tip	 t;
	int			 rc, stop = 0;

	store_bind_time(s, 1, since);
	store_bind_time(s, 2, until);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&t, 0, sizeof t);
		t.township_code = (const char *)sqlite3_column_text(s, 0);
		t.township = (const char *)sqlite3_column_text(s, 1);
		t.kind = (const char *)sqlite3_column_text(s, 2);
		t.product = (const char *)sqlite3_column_text(s, 3);
		t.received_at = store_column_time(s, 4);
		t.acked_at = store_column_time(s, 5);
		t.routed = sqlite3_column_int(s, 6);
		t.case_id = sqlite3_column_int64(s, 7);
		t.verified = sqlite3_column_int(s, 8);
		t.penalty = sqlite3_column_type(s, 9) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(s, 9);
		t.confiscated = sqlite3_column_type(s, 10) == SQLITE_NULL ?
		    -1 : sqlite3_column_int64(s, 10);
		t.referred = sqlite3_column_int(s, 11);
		t.reward_state = (const char *)sqlite3_column_text(s, 12);
		t.reward_amount = sqlite3_column_type(s, 13) == SQLITE_NULL ?
		    0 : sqlite3_column_int64(s, 13);
		stop = cb(&t, arg);
	}
	if (!stop && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		store_cause(st, cause, "reading the period's tips");
		return (-1);
	}
	sqlite3_reset(s);
	return (0);
}

struct store_reveal {
	const char	*code;
	const char	*reason;
	const char	*actor;
	time_t		 at;
	char		*phone;
	int		 erased;	/* by the retention policy */
};

static int
store_reveal_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_reveal	*r = arg;
	sqlite3_stmt		*s = store_stmt(st, STMT_TIP_REPORTER);
	int			 rc;

	store_bind_text(s, 1, r->code);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		a->tip_id = sqlite3_column_int64(s, 0);
		r->phone = store_column_strdup(s, 1);
		r->erased = sqlite3_column_type(s, 2) != SQLITE_NULL;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "reading the tip's reporter");
		return (-1);
	}
	if (rc == SQLITE_DONE) {
		xasprintf(cause, "no tip %s", r->code);
		return (1);
	}
	a->at = r->at;
	a->actor = r->actor;
	a->action = "tip.revealed";
	/* Who, when and why; never the number itself. */
	snprintf(a->detail, sizeof a->detail, "reason=%s%s", r->reason,
	    r->erased ? " (no number: removed by the retention policy)" :
	    r->phone == NULL ? " (no reporter: anonymous)" : "");
	return (0);
}

/*
 * The reporter's number of tip code, for a person who gives a reason:
 * *phone (NULL for an anonymous tip), and an audit event with who, when
 * and why, in one transaction. 1 if there is no such tip.
 */
int
store_tip_reveal(struct store *st, const char *code, const char *reason,
    time_t at, const char *actor, char **phone, char **cause)
{
	struct store_reveal	 r;
	struct store_audit	 a;
	int			 rc;

	memset(&r, 0, sizeof r);
	memset(&a, 0, sizeof a);
	r.code = code;
	r.reason = reason;
	r.actor = actor;
	r.at = at;
	rc = store_audited(st, store_reveal_write, &r, &a, cause);
	if (rc != 0) {
		free(r.phone);
		return (rc);
	}
	*phone = r.phone;
	return (0);
}
