/*
 * The ledger's side of intake: a received message with what was made of
 * it (a new tip, the next message of a tip's conversation, a command or
 * not a tip) and the replies it calls for, in one transaction across the
 * raw messages, the tips and the outbox. SQL texts are in store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/reward_state.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

/* In the intake transaction, a refusal means the tip changed meanwhile. */
static int
store_understood_move(struct store *st, const struct store_tip_change *ch,
    char **cause)
{
	int	 rc = store_tip_transition(st, ch, cause);

	return (rc == 0 ? 0 : -1);
}

/*
 * A new tip whose kind the words leave unsaid and the model only guesses
 * (why: 疑似过期): the coordinator is told, with the tip, by its alert.
 */
static int
store_tip_review(struct store *st, long long id, const char *why,
    time_t at, const char *actor, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TIP_DO_TELL);
	char		 now[32], *detail;
	int		 rc;

	tipgw_time_format(at, now, sizeof now);
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, tip_owner_name(TIP_OWNER_COORDINATOR));
	store_bind_text(s, 3, "review");
	store_bind_text(s, 4, why);
	store_bind_text(s, 5, tip_owner_name(TIP_OWNER_OFFICE));
	store_bind_text(s, 6, now);
	if (store_run(st, s, cause, "queueing the review") != 0)
		return (-1);
	xasprintf(&detail, "kind uncertain: %s", why);
	rc = store_event_add(st, at, actor, "tip.review", id, detail, cause);
	free(detail);
	return (rc);
}

static int
store_understood_tip(struct store *st, const struct store_raw *r,
    long long raw_id, struct tip *tip, const struct store_understood *u,
    char **cause)
{
	struct store_tip_change	 ch;
	sqlite3_stmt		*s;
	char			 detail[96], actor[8 + 4 * TIPGW_NAME_MAX];

	if (r->user != NULL)	/* a hotline tip, entered through the API */
		snprintf(actor, sizeof actor, "api:%s", r->user);
	else
		snprintf(actor, sizeof actor, "modem:%s", r->modem);
	memset(&ch, 0, sizeof ch);
	ch.created_by = r->user;
	ch.code = tip->code != NULL ? tip->code : "-";	/* kept: no code */
	ch.from = u->from;
	ch.event = u->event;
	ch.actor = actor;
	ch.at = r->received_at;
	if (u->tip_id == 0) {
		tip->raw_message_id = raw_id;
		/* An anonymous hotline tip has no reporter. */
		if (store_tip_create(st, tip, *r->sender != '\0' ? r->sender :
		    NULL, &ch, cause) != 0)
			return (-1);
	} else
		tip->id = ch.tip_id = u->tip_id;
	s = store_stmt(st, STMT_TIP_UNDERSTOOD);
	sqlite3_bind_int64(s, 1, tip->id);
	store_bind_text(s, 2, tip->text);
	store_bind_text(s, 4, tip->kind);
	store_bind_text(s, 5, tip->product);
	store_bind_text(s, 6, tip->township_code);
	store_bind_text(s, 7, tip->village_code);
	store_bind_text(s, 8, u->route);
	store_bind_text(s, 9, u->brand);
	store_bind_text(s, 10, u->place);
	store_bind_text(s, 11, u->candidates);
	sqlite3_bind_int(s, 12, u->questions);
	store_bind_time(s, 13, r->received_at);
	store_bind_text(s, 14, u->pin_hash);
	store_bind_text(s, 15, u->shop);
	store_bind_text(s, 16, u->kinds != NULL ? u->kinds : tip->kind);
	store_bind_text(s, 17, u->products != NULL ? u->products :
	    tip->product);
	sqlite3_bind_int(s, 18, u->partial);
	if (u->tip_id != 0)
		sqlite3_bind_int64(s, 19, u->version);
	else
		sqlite3_bind_null(s, 19);
	if (store_run(st, s, cause, "recording the tip") != 0)
		return (-1);
	if (sqlite3_changes(st->db) == 0) {
		/* Changed since intake read it (tipgwctl): plan again. */
		xasprintf(cause, "tip %s changed meanwhile", tip->code != NULL ?
		    tip->code : "-");
		return (-1);
	}
	if (store_tip_text_index(st, tip->id, tip->text, cause) != 0)
		return (-1);
	if (u->tip_id != 0)
		return (store_understood_move(st, &ch, cause));
	snprintf(detail, sizeof detail, "raw=%lld route=%s township=%s",
	    raw_id, u->route ? u->route : "-",
	    tip->township_code ? tip->township_code : "-");
	if (store_event_add(st, r->received_at, actor, "tip.received",
	    tip->id, detail, cause) != 0)
		return (-1);
	return (u->review != NULL ? store_tip_review(st, tip->id, u->review,
	    r->received_at, actor, cause) : 0);
}

/* Queue a plan's replies (to sender unless they name a destination). */
int
store_replies_queue(struct store *st, const char *sender, time_t at,
    long long tip_id, const struct store_understood *u, char **cause)
{
	sqlite3_stmt	*s;
	int		 i;

	for (i = 0; u != NULL && i < u->nreplies; i++) {
		s = store_stmt(st, STMT_OUTBOX_QUEUE);
		store_bind_text(s, 1, u->replies[i].dedup_key);
		store_bind_text(s, 2, u->replies[i].channel != NULL ?
		    u->replies[i].channel : "sms");
		store_bind_text(s, 3, u->replies[i].destination != NULL ?
		    u->replies[i].destination : sender);
		store_bind_text(s, 4, u->replies[i].body);
		store_bind_id(s, 5, tip_id);
		store_bind_time(s, 6, at);
		store_bind_text(s, 7, outbox_intent_name(u->replies[i].intent));
		if (store_run(st, s, cause, "queueing a reply") != 0)
			return (-1);
	}
	return (0);
}

/*
 * 领奖 CODE PIN from the reporter: the reward claimed, in the message's
 * transaction (audited; the actor is the reporter, never the number).
 * Claimed meanwhile by another message: the plan is made again.
 */
static int
store_understood_claim(struct store *st, const struct store_raw *r,
    const struct store_understood *u, char **cause)
{
	struct store_reward_change	 ch;

	memset(&ch, 0, sizeof ch);
	ch.id = u->claim_reward;
	ch.from = u->claim_from;
	ch.event = REWARD_EV_CLAIM;
	ch.level = ch.amount = ch.claim_days = -1;
	ch.note = "领奖 by SMS with the tip's code and PIN";
	ch.at = r->received_at;
	ch.actor = "reporter";
	return (store_reward_move(st, &ch, u->claim_tip, cause) == 0 ? 0 :
	    -1);
}

/* An office's reply by SMS moves its tip (audited, with its text). */
static int
store_understood_office(struct store *st, const struct store_raw *r,
    const struct store_understood *u, char **cause)
{
	struct store_tip_change	 ch;
	char			 actor[64];

	snprintf(actor, sizeof actor, "office:%lld", u->office_id);
	memset(&ch, 0, sizeof ch);
	ch.tip_id = u->office_tip;
	ch.code = u->office_code;
	ch.from = u->office_from;
	ch.event = u->office_event;
	ch.actor = actor;
	ch.detail = u->office_detail;
	ch.at = r->received_at;
	return (store_understood_move(st, &ch, cause));
}

/*
 * 退订 or 订阅 from a number: its reporter record says whether it gets
 * texts, and the change is audited (without the number).
 */
static int
store_reporter_opt(struct store *st, const struct store_raw *r,
    long long raw_id, int in, char **cause)
{
	sqlite3_stmt	*s;
	long long	 reporter = 0;
	char		 detail[64];

	if (store_reporter_id(st, r->sender, r->received_at, &reporter,
	    cause) != 0)
		return (-1);
	s = store_stmt(st, in ? STMT_REPORTER_OPTIN : STMT_REPORTER_OPTOUT);
	store_bind_text(s, 1, r->sender);
	store_bind_time(s, 2, r->received_at);
	if (store_run(st, s, cause, "recording the opt-out") != 0)
		return (-1);
	if (sqlite3_changes(st->db) == 0)
		return (0);	/* it was so already */
	snprintf(detail, sizeof detail, "reporter=%lld raw=%lld", reporter,
	    raw_id);
	return (store_event_add(st, r->received_at, "reporter",
	    in ? "reporter.optin" : "reporter.optout", 0, detail, cause));
}

/*
 * Commit a received message with what understanding made of it: tip is
 * set for a tip (new when u->tip_id is 0, else the tip it continues);
 * the replies go to the outbox. *stored is 0 when the message was in the
 * ledger already (then nothing else is done).
 */
int
store_intake_full(struct store *st, const struct store_raw *r,
    struct tip *tip, const struct store_understood *u, long long *raw_id,
    int *stored, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc, i;

	*stored = 0;
	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_raw_insert(st, r, raw_id, cause);
	if (rc != 1)
		goto done;
	*stored = 1;
	rc = store_raw_parts(st, r, *raw_id, cause);
	if (rc == 0 && tip != NULL)
		rc = store_understood_tip(st, r, *raw_id, tip, u, cause);
	if (rc == 0) {
		s = store_stmt(st, STMT_RAW_LINK);
		sqlite3_bind_int64(s, 1, *raw_id);
		store_bind_id(s, 2, tip != NULL ? tip->id : u->link_tip);
		store_bind_text(s, 3, u->reason);
		rc = store_run(st, s, cause, "linking the message");
	}
	if (rc == 0 && (u->optout || u->optin))
		rc = store_reporter_opt(st, r, *raw_id, u->optin, cause);
	if (rc == 0 && u->office_tip != 0)
		rc = store_understood_office(st, r, u, cause);
	if (rc == 0 && u->claim_reward != 0)
		rc = store_understood_claim(st, r, u, cause);
	if (rc == 0 && u->vote_poll != 0)
		rc = store_poll_vote(st, u->vote_poll, u->vote_option,
		    r->sender, r->received_at, cause);
	if (rc == 0)
		rc = store_replies_queue(st, r->sender, r->received_at,
		    tip != NULL ? tip->id : u->link_tip, u, cause);
	if (rc == 0 && u->link_tip != 0)
		rc = store_event_add(st, r->received_at, "tipgwd",
		    "tip.repeated", u->link_tip, "the same report again; no new "
		    "tip, alert or clock", cause);
	for (i = 0; rc == 0 && i < u->naudit; i++)
		rc = store_event_add(st, r->received_at, "tipgwd",
		    u->audit[i].action, tip != NULL ? tip->id : u->link_tip,
		    u->audit[i].detail, cause);
done:
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0) {
		store_rollback(st);
		return (-1);
	}
	return (0);
}

/*
 * Commit a received message, its part keys and, if tip is set, the tip
 * (kept: state received) and its reporter, in one transaction. A message
 * stored before is not stored again (and gets no second tip); *raw_id is
 * set either way.
 */
int
store_intake(struct store *st, const struct store_raw *r, struct tip *tip,
    long long *raw_id, char **cause)
{
	struct store_understood	 u;
	int			 stored;

	memset(&u, 0, sizeof u);
	u.event = TIP_EV_KEEP;
	return (store_intake_full(st, r, tip, &u, raw_id, &stored, cause));
}

static int
store_count(struct store *st, sqlite3_stmt *s, int *out, const char *what,
    char **cause)
{
	long long	 n = 0;

	if (store_run_int(st, s, &n, cause, what) != 0)
		return (-1);
	*out = (int)n;
	return (0);
}

static int
store_sender_since(struct store *st, const char *sender, time_t since,
    const char *disposition, const char *reason, int *out, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_SENDER_COUNT);

	store_bind_text(s, 1, sender);
	store_bind_time(s, 2, since);
	store_bind_text(s, 3, disposition);
	store_bind_text(s, 4, reason);
	return (store_count(st, s, out, "counting messages", cause));
}

/*
 * The sender's counts the plan will use: refused queries today, tips and
 * floods this hour, SMS and how-to SMS queued to it today.
 */
static int
store_sender_counts(struct store *st, const struct store_intake_want *w,
    struct store_intake_ctx *c, char **cause)
{
	sqlite3_stmt	*s;

	if (w->queries && store_sender_since(st, w->sender, w->now - 86400,
	    NULL, "query_*", &c->wrong_queries, cause) != 0)
		return (-1);
	if (w->hour_counts && (store_sender_since(st, w->sender,
	    w->now - 3600, "tip", NULL, &c->tips_hour, cause) != 0 ||
	    store_sender_since(st, w->sender, w->now - 3600, "flood", NULL,
	    &c->floods_hour, cause) != 0))
		return (-1);
	if (w->howto && store_outbox_count_intent(st, w->sender,
	    w->now - 86400, OUTBOX_HOWTO, &c->howto_today, cause) != 0)
		return (-1);
	if (!w->replies)
		return (0);
	s = store_stmt(st, STMT_OUTBOX_COUNT_TO);
	store_bind_text(s, 1, w->sender);
	store_bind_time(s, 2, w->now - 86400);
	return (store_count(st, s, &c->replies_today, "counting replies",
	    cause));
}

static int
store_office_township_list(struct store *st, struct store_intake_ctx *c,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OFFICE_TOWNSHIPS_ALL);
	int		 rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		c->office_townships = xreallocarray(c->office_townships,
		    c->noffice_townships + 1, sizeof *c->office_townships);
		c->office_townships[c->noffice_townships++] =
		    store_column_strdup(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "listing townships with an office");
		return (-1);
	}
	return (0);
}

/*
 * The tip an earlier message of the same concatenated group made (sent
 * within a day), and its parts' texts: a late part joins it.
 */
static int
store_sibling(struct store *st, const struct store_intake_want *w,
    struct store_intake_ctx *c, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_RAW_SIBLING);
	long long	 tip = 0;
	int		 rc, k, total = w->parts_total;

	store_bind_text(s, 1, w->sender);
	sqlite3_bind_int(s, 2, w->concat_ref);
	sqlite3_bind_int(s, 3, total);
	store_bind_time(s, 4, w->now - 86400);
	store_bind_text(s, 5, "tip");
	c->sibling_texts = xcalloc((size_t)total, sizeof *c->sibling_texts);
	c->sibling_total = total;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		tip = sqlite3_column_int64(s, 0);
		k = sqlite3_column_int(s, 1) - 1;
		if (k >= 0 && k < total && c->sibling_texts[k] == NULL)
			c->sibling_texts[k] = store_column_strdup(s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "looking for a message's other parts");
		return (-1);
	}
	return (tip != 0 ? store_tip_prior(st, tip, &c->sibling, cause) : 0);
}

static int
store_intake_read(struct store *st, const struct store_intake_want *w,
    struct store_intake_ctx *c, char **cause)
{
	if (store_reporter_prior(st, w->sender, &c->prior, cause) != 0 ||
	    store_phone_office(st, w->sender, &c->sender_office, cause) != 0 ||
	    store_sender_counts(st, w, c, cause) != 0 ||
	    store_office_township_list(st, c, cause) != 0)
		return (-1);
	if (w->code != NULL && *w->code != '\0' &&
	    store_tip_status(st, w->code, &c->named, cause) != 0)
		return (-1);
	if (w->parts_total > 1 && w->concat_ref >= 0 &&
	    store_sibling(st, w, c, cause) != 0)
		return (-1);
	return (store_poll_context(st, w->sender, &c->poll_id,
	    &c->poll_options, &c->poll_voted, cause));
}

/*
 * Everything the conversation needs to plan one message (w says what),
 * in one read transaction.
 */
int
store_intake_context(struct store *st, const struct store_intake_want *w,
    struct store_intake_ctx *c, char **cause)
{
	int	 rc;

	memset(c, 0, sizeof *c);
	if (store_begin_read(st, cause) != 0)
		return (-1);
	rc = store_intake_read(st, w, c, cause);
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0) {
		store_rollback(st);
		store_intake_context_clear(c);
	}
	return (rc);
}

void
store_intake_context_clear(struct store_intake_ctx *c)
{
	size_t	 i;

	store_prior_clear(&c->prior);
	store_tip_status_clear(&c->named);
	store_prior_clear(&c->sibling);
	for (i = 0; i < (size_t)c->sibling_total; i++)
		free(c->sibling_texts[i]);
	free(c->sibling_texts);
	for (i = 0; i < c->noffice_townships; i++)
		free(c->office_townships[i]);
	free(c->office_townships);
	memset(c, 0, sizeof *c);
}
