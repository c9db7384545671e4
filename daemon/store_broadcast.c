/*
 * The ledger's broadcasts and polls: a 消费警示 or typical case queued to
 * the subscribers (订阅, not since 退订) of the chosen townships, paced by
 * the outbox (quiet hours, the daily budget); the 你点我检 polls, one
 * open at a time, with one vote a number. Audited. SQL texts are in
 * store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/outbox_state.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

/* The townships as a JSON array of codes (they are 9 digits each). */
static char *
store_codes_json(char *const *codes, size_t n)
{
	char	*out = xmalloc(n * 12 + 3), *p = out;
	size_t	 i;

	*p++ = '[';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s\"%.9s\"", i > 0 ? "," : "", codes[i]);
	*p++ = ']';
	*p = '\0';
	return (out);
}

/*
 * Queue text to every subscriber of the townships (codes, checked by
 * the caller), as broadcast *id; *recipients how many. One transaction.
 */
int
store_broadcast(struct store *st, const char *text, char *const *codes,
    size_t ncodes, long long poll_id, time_t at, const char *actor,
    long long *id, int *recipients, char **cause)
{
	sqlite3_stmt	*s, *q;
	char		*json = store_codes_json(codes, ncodes), key[64];
	char		*detail;
	int		 rc, step = SQLITE_DONE;

	*recipients = 0;
	if (store_begin(st, cause) != 0) {
		free(json);
		return (-1);
	}
	s = store_stmt(st, STMT_BROADCAST_ADD);
	store_bind_text(s, 1, text);
	store_bind_text(s, 2, json);
	store_bind_id(s, 3, poll_id);
	store_bind_time(s, 4, at);
	store_bind_text(s, 5, actor);
	rc = store_run(st, s, cause, "recording the broadcast");
	*id = sqlite3_last_insert_rowid(st->db);
	s = store_stmt(st, STMT_SUBSCRIBERS_IN);
	store_bind_text(s, 1, json);
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(key, sizeof key, "broadcast:%lld:%lld", *id,
		    sqlite3_column_int64(s, 0));
		q = store_stmt(st, STMT_OUTBOX_QUEUE);
		store_bind_text(q, 1, key);
		store_bind_text(q, 2, "sms");
		store_bind_text(q, 3, (const char *)sqlite3_column_text(s, 1));
		store_bind_text(q, 4, text);
		store_bind_id(q, 5, 0);
		store_bind_time(q, 6, at);
		store_bind_text(q, 7, outbox_intent_name(OUTBOX_BROADCAST));
		if ((rc = store_run(st, q, cause, "queueing a broadcast")) == 0)
			(*recipients)++;
	}
	if (rc == 0 && step != SQLITE_DONE) {
		store_cause(st, cause, "reading the subscribers");
		rc = -1;
	}
	sqlite3_reset(s);
	if (rc == 0) {
		s = store_stmt(st, STMT_BROADCAST_COUNT);
		sqlite3_bind_int64(s, 1, *id);
		sqlite3_bind_int(s, 2, *recipients);
		rc = store_run(st, s, cause, "counting the recipients");
	}
	if (rc == 0) {
		xasprintf(&detail, "broadcast=%lld townships=%s recipients=%d",
		    *id, json, *recipients);
		rc = store_event_add(st, at, actor, "broadcast.sent", 0, detail,
		    cause);
		free(detail);
	}
	free(json);
	return (store_finish(st, rc, cause));
}

/*
 * Open a poll (options joined by '|'): 0 with *id, 1 if one is open
 * already (one at a time: 投票 N names no poll), -1.
 */
int
store_poll_open(struct store *st, const char *question, const char *options,
    int noptions, time_t at, const char *actor, long long *id, char **cause)
{
	sqlite3_stmt	*s;
	char		*detail;
	int		 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_POLL_OPEN_ONE);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		xasprintf(cause, "poll %lld is open; close it first (tipgwctl "
		    "poll close %lld)", sqlite3_column_int64(s, 0),
		    sqlite3_column_int64(s, 0));
		rc = 1;
	} else if (rc != SQLITE_DONE) {
		store_cause(st, cause, "looking for an open poll");
		rc = -1;
	} else
		rc = 0;
	sqlite3_reset(s);
	if (rc == 0) {
		s = store_stmt(st, STMT_POLL_ADD);
		store_bind_text(s, 1, question);
		store_bind_text(s, 2, options);
		sqlite3_bind_int(s, 3, noptions);
		store_bind_time(s, 4, at);
		rc = store_run(st, s, cause, "opening a poll");
		*id = sqlite3_last_insert_rowid(st->db);
	}
	if (rc == 0) {
		xasprintf(&detail, "poll=%lld options=%d", *id, noptions);
		rc = store_event_add(st, at, actor, "poll.open", 0, detail,
		    cause);
		free(detail);
	}
	return (store_finish(st, rc, cause));
}

/* Close poll id: 0, 1 if it is not open, -1. */
int
store_poll_close(struct store *st, long long id, time_t at, const char *actor,
    char **cause)
{
	sqlite3_stmt	*s;
	char		 detail[48];
	int		 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_POLL_CLOSE);
	sqlite3_bind_int64(s, 1, id);
	store_bind_time(s, 2, at);
	rc = store_run(st, s, cause, "closing a poll");
	if (rc == 0 && sqlite3_changes(st->db) == 0) {
		xasprintf(cause, "no open poll %lld", id);
		rc = 1;
	}
	snprintf(detail, sizeof detail, "poll=%lld", id);
	if (rc == 0)
		rc = store_event_add(st, at, actor, "poll.close", 0, detail,
		    cause);
	return (store_finish(st, rc, cause));
}

/* Polls (id 0: all), each with its votes counted by option. */
int
store_polls_foreach(struct store *st, long long id, store_poll_cb cb,
    void *arg, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_POLL_LIST), *t;
	struct store_poll	 p;
	int			 rc, trc, stop = 0, k;

	store_bind_id(s, 1, id);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&p, 0, sizeof p);
		p.id = sqlite3_column_int64(s, 0);
		p.question = (const char *)sqlite3_column_text(s, 1);
		p.options = (const char *)sqlite3_column_text(s, 2);
		p.noptions = sqlite3_column_int(s, 3);
		p.state = (const char *)sqlite3_column_text(s, 4);
		p.created_at = store_column_time(s, 5);
		p.votes = sqlite3_column_int64(s, 6);
		t = store_stmt(st, STMT_POLL_TALLY);
		sqlite3_bind_int64(t, 1, p.id);
		while ((trc = sqlite3_step(t)) == SQLITE_ROW) {
			k = sqlite3_column_int(t, 0);
			if (k >= 1 && k <= STORE_POLL_MAX_OPTIONS)
				p.counts[k - 1] = sqlite3_column_int64(t, 1);
		}
		sqlite3_reset(t);
		if (trc != SQLITE_DONE) {
			sqlite3_reset(s);
			store_cause(st, cause, "counting votes");
			return (-1);
		}
		stop = cb(&p, arg);
	}
	if (!stop && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		store_cause(st, cause, "listing polls");
		return (-1);
	}
	sqlite3_reset(s);
	return (0);
}

/* What a vote by SMS needs: the open poll, and whether sender voted. */
int
store_poll_context(struct store *st, const char *sender, long long *poll,
    int *noptions, int *voted, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_POLL_OPEN_ONE);
	int		 rc;

	*poll = 0;
	*noptions = 0;
	*voted = 0;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*poll = sqlite3_column_int64(s, 0);
		*noptions = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "looking for an open poll");
		return (-1);
	}
	if (*poll == 0 || sender == NULL)
		return (0);
	s = store_stmt(st, STMT_POLL_VOTED);
	sqlite3_bind_int64(s, 1, *poll);
	store_bind_text(s, 2, sender);
	rc = sqlite3_step(s);
	*voted = rc == SQLITE_ROW;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "looking for a vote");
		return (-1);
	}
	return (0);
}

/* A vote by SMS, in the message's transaction: one a number. */
int
store_poll_vote(struct store *st, long long poll, int option,
    const char *sender, time_t at, char **cause)
{
	sqlite3_stmt	*s;
	long long	 reporter = 0;
	char		 detail[64];

	if (store_reporter_id(st, sender, at, &reporter, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_POLL_VOTE);
	sqlite3_bind_int64(s, 1, poll);
	sqlite3_bind_int64(s, 2, reporter);
	sqlite3_bind_int(s, 3, option);
	store_bind_time(s, 4, at);
	if (store_run(st, s, cause, "recording a vote") != 0)
		return (-1);
	if (sqlite3_changes(st->db) == 0)
		return (0);	/* voted already */
	snprintf(detail, sizeof detail, "poll=%lld option=%d", poll, option);
	return (store_event_add(st, at, "reporter", "poll.vote", 0, detail,
	    cause));
}
