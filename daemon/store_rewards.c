/*
 * The ledger's rewards: one a tip of a case, opened when the case's
 * outcome is recorded, each change one transition of reward_state.c's
 * table, guarded on the state read, audited ("reward.EVENT", with the
 * tip, "reward=N state=a->b ...") and logged. What a reward is worth is
 * reward.c's to decide; this file keeps it. SQL texts are in
 * store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/outbox_state.h"
#include "tipgw/reward_state.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

/* One transition inside the caller's transaction: 0, 1 refused, -1. */
int
store_reward_move(struct store *st, const struct store_reward_change *ch,
    long long tip, char **cause)
{
	const struct reward_transition	*t;
	sqlite3_stmt			*s;
	char				 action[48], *detail;
	int				 rc;

	t = reward_next((enum reward_state)ch->from,
	    (enum reward_event)ch->event);
	if (t == NULL) {
		xasprintf(cause, "reward %lld is %s: it cannot be %s", ch->id,
		    reward_state_name((enum reward_state)ch->from),
		    reward_event_name((enum reward_event)ch->event));
		return (1);
	}
	s = store_stmt(st, STMT_REWARD_MOVE);
	sqlite3_bind_int64(s, 1, ch->id);
	store_bind_text(s, 2, reward_state_name(t->from));
	store_bind_text(s, 3, reward_state_name(t->to));
	sqlite3_bind_int(s, 4, ch->decided);
	store_bind_text(s, 5, ch->rule_set);
	store_bind_flag(s, 6, ch->level);
	store_bind_flag(s, 7, ch->amount);
	store_bind_text(s, 8, ch->why);
	store_bind_flag(s, 9, ch->claim_days);
	store_bind_time(s, 10, ch->at);
	if (store_run(st, s, cause, "changing a reward") != 0)
		return (-1);
	if (sqlite3_changes(st->db) == 0) {
		xasprintf(cause, "reward %lld changed meanwhile", ch->id);
		return (1);
	}
	snprintf(action, sizeof action, "reward.%s",
	    reward_event_name(t->event));
	xasprintf(&detail, "reward=%lld state=%s->%s%s%s%s%s", ch->id,
	    reward_state_name(t->from), reward_state_name(t->to),
	    ch->why != NULL ? " why=" : "", ch->why != NULL ? ch->why : "",
	    ch->note != NULL ? " " : "", ch->note != NULL ? ch->note : "");
	rc = store_event_add(st, ch->at, ch->actor, action, tip, detail,
	    cause);
	free(detail);
	store_log_at_commit(st, 0, "reward=%lld state=%s->%s event=%s "
	    "actor=%s", ch->id, reward_state_name(t->from),
	    reward_state_name(t->to), reward_event_name(t->event), ch->actor);
	return (rc);
}

/*
 * A pending reward for every tip of the case that has none; *opened
 * says how many. One transaction, each audited.
 */
int
store_rewards_open(struct store *st, long long case_id, time_t at,
    const char *actor, int *opened, char **cause)
{
	struct store_reward_change	 ch;
	sqlite3_stmt			*s;
	long long			*tips = NULL;
	size_t				 n = 0, i;
	int				 rc;

	*opened = 0;
	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_CASE_TIPS);
	sqlite3_bind_int64(s, 1, case_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		tips = xreallocarray(tips, n + 1, sizeof *tips);
		tips[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	rc = rc == SQLITE_DONE ? 0 : -1;
	if (rc != 0)
		store_cause(st, cause, "reading a case's tips");
	for (i = 0; rc == 0 && i < n; i++) {
		s = store_stmt(st, STMT_REWARD_OPEN);
		sqlite3_bind_int64(s, 1, case_id);
		sqlite3_bind_int64(s, 2, tips[i]);
		store_bind_text(s, 3, reward_state_name(REWARD_NEW));
		store_bind_time(s, 4, at);
		if ((rc = store_run(st, s, cause, "opening a reward")) != 0 ||
		    sqlite3_changes(st->db) == 0)
			continue;
		memset(&ch, 0, sizeof ch);
		ch.id = sqlite3_last_insert_rowid(st->db);
		ch.from = REWARD_NEW;
		ch.event = REWARD_EV_PROPOSE;
		ch.level = ch.amount = ch.claim_days = -1;
		ch.at = at;
		ch.actor = actor;
		rc = store_reward_move(st, &ch, tips[i], cause);
		(*opened)++;
	}
	free(tips);
	return (store_finish(st, rc, cause));
}

static long long
store_reward_number(sqlite3_stmt *s, int i)
{
	return (sqlite3_column_type(s, i) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(s, i));
}

/* Rewards by state, case or id (NULL, 0: any), in the order opened. */
int
store_rewards_foreach(struct store *st, const char *state, long long case_id,
    long long id, store_reward_cb cb, void *arg, char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_REWARD_LIST);
	struct store_reward	 r;
	int			 rc, stop = 0;

	store_bind_text(s, 1, state);
	store_bind_id(s, 2, case_id);
	store_bind_id(s, 3, id);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(s, 0);
		r.case_id = sqlite3_column_int64(s, 1);
		r.tip_id = sqlite3_column_int64(s, 2);
		r.code = (const char *)sqlite3_column_text(s, 3);
		r.state = (const char *)sqlite3_column_text(s, 4);
		r.rule_set = (const char *)sqlite3_column_text(s, 5);
		r.level = store_reward_number(s, 6);
		r.amount = store_reward_number(s, 7);
		r.why = (const char *)sqlite3_column_text(s, 8);
		r.staff = sqlite3_column_int(s, 9);
		r.brand_owner = sqlite3_column_int(s, 10);
		r.violator = sqlite3_column_int(s, 11);
		r.insider = sqlite3_column_int(s, 12);
		r.paid_by_other = sqlite3_column_int(s, 13);
		r.claim_days = store_reward_number(s, 14);
		r.created_at = store_column_time(s, 15);
		r.updated_at = store_column_time(s, 16);
		r.received_at = store_column_time(s, 17);
		/* column 18, the reporter, stays in the ledger */
		r.earlier_tips = sqlite3_column_int(s, 19);
		r.earlier_own = sqlite3_column_int(s, 20);
		stop = cb(&r, arg);
	}
	if (!stop && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		store_cause(st, cause, "listing rewards");
		return (-1);
	}
	sqlite3_reset(s);
	return (0);
}

/* The reward's tip, read inside the transaction; 1 if no such reward. */
static int
store_reward_tip(struct store *st, long long id, long long *tip, int *state,
    char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_REWARD_LIST);
	enum reward_state	 rs;
	int			 rc;

	store_bind_text(s, 1, NULL);
	store_bind_id(s, 2, 0);
	store_bind_id(s, 3, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*tip = sqlite3_column_int64(s, 2);
		if (reward_state_parse((const char *)sqlite3_column_text(s, 4),
		    &rs) != 0)
			rc = SQLITE_CORRUPT;
		*state = (int)rs;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		xasprintf(cause, "no reward %lld", id);
		return (1);
	}
	if (rc != SQLITE_ROW) {
		store_cause(st, cause, "reading reward %lld", id);
		return (-1);
	}
	return (0);
}

/*
 * One transition of a reward in its own transaction, from the state it
 * is in now (ch->from -1) or the state the caller read: 0, 1 when
 * refused (*cause says why), -1.
 */
int
store_reward_change(struct store *st, const struct store_reward_change *ch,
    char **cause)
{
	struct store_reward_change	 c = *ch;
	long long			 tip = 0;
	int				 state, rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_reward_tip(st, c.id, &tip, &state, cause);
	if (rc == 0 && c.from < 0)
		c.from = state;
	else if (rc == 0 && c.from != state) {
		xasprintf(cause, "reward %lld changed meanwhile", c.id);
		rc = 1;
	}
	if (rc == 0)
		rc = store_reward_move(st, &c, tip, cause);
	return (store_finish(st, rc, cause));
}

/*
 * An approved reward's reporter told how to claim it: body queued to
 * their number and the reward notified, in one transaction. *sent 0
 * (and nothing changed) for an anonymous reporter, who claims with the
 * code and PIN alone, or one who opted out.
 */
int
store_reward_notify(struct store *st, long long id, const char *body,
    time_t at, const char *actor, int *sent, char **cause)
{
	struct store_reward_change	 ch;
	sqlite3_stmt			*s;
	long long			 tip = 0;
	char				*phone = NULL, key[48];
	int				 rc, optout = 0;

	*sent = 0;
	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_REWARD_REPORTER);
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		tip = sqlite3_column_int64(s, 0);
		phone = store_column_strdup(s, 1);
		optout = sqlite3_column_int(s, 2);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		xasprintf(cause, "no reward %lld", id);
		rc = 1;
	} else if (rc != SQLITE_ROW) {
		store_cause(st, cause, "reading reward %lld", id);
		rc = -1;
	} else
		rc = 0;
	if (rc == 0 && phone != NULL && !optout) {
		snprintf(key, sizeof key, "reward:%lld", id);
		s = store_stmt(st, STMT_OUTBOX_QUEUE);
		store_bind_text(s, 1, key);
		store_bind_text(s, 2, "sms");
		store_bind_text(s, 3, phone);
		store_bind_text(s, 4, body);
		store_bind_id(s, 5, tip);
		store_bind_time(s, 6, at);
		store_bind_text(s, 7, outbox_intent_name(OUTBOX_REWARD));
		rc = store_run(st, s, cause, "queueing the claim SMS");
		memset(&ch, 0, sizeof ch);
		ch.id = id;
		ch.from = REWARD_APPROVED;
		ch.event = REWARD_EV_NOTIFY;
		ch.level = ch.amount = ch.claim_days = -1;
		ch.note = "claim SMS queued";
		ch.at = at;
		ch.actor = actor;
		if (rc == 0)
			rc = store_reward_move(st, &ch, tip, cause);
		*sent = rc == 0;
	}
	free(phone);
	if ((rc = store_finish(st, rc, cause)) != 0)
		*sent = 0;
	return (rc);
}

/*
 * The exclusions a person confirmed for the reward's reporter: staff,
 * brand owner, violator, insider, paid by another (0 or 1 each).
 */
int
store_reward_flags(struct store *st, long long id, const int flags[5],
    time_t at, const char *actor, char **cause)
{
	sqlite3_stmt	*s;
	long long	 tip = 0;
	char		 detail[160];
	int		 state, rc, i;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_reward_tip(st, id, &tip, &state, cause);
	if (rc == 0) {
		s = store_stmt(st, STMT_REWARD_FLAGS);
		sqlite3_bind_int64(s, 1, id);
		for (i = 0; i < 5; i++)
			sqlite3_bind_int(s, 2 + i, flags[i] != 0);
		store_bind_time(s, 7, at);
		rc = store_run(st, s, cause, "recording a reward's exclusions");
	}
	snprintf(detail, sizeof detail, "reward=%lld staff=%d brand_owner=%d "
	    "violator=%d insider=%d paid_by_other=%d", id, flags[0] != 0,
	    flags[1] != 0, flags[2] != 0, flags[3] != 0, flags[4] != 0);
	if (rc == 0)
		rc = store_event_add(st, at, actor, "reward.flags", tip, detail,
		    cause);
	return (store_finish(st, rc, cause));
}
