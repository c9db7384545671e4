/*
 * converse_plan() (pure): from what a message was understood to be and
 * the plain values read for it (store_intake_ctx), the plan: what becomes
 * of the message and its tip (the tip event, from the state it was read
 * in) and what to send, by rule.
 *  - A new tip with a township: routed (or, its township having no
 *    office, the coordinator's), acknowledged with code and PIN; the
 *    owner is told by the tip's transition, not here.
 *  - A new tip without one: a question (the candidates when a village is
 *    ambiguous); the acknowledgement comes when it is placed.
 *  - An answer that places it: acknowledged. One that does not: a second
 *    question; after that the tip goes to triage (the coordinator) and
 *    the reporter is acknowledged without a township.
 *  - The same tip again is a repeat (a polite answer); new facts on the
 *    same target are merged into the reporter's tip.
 *  - A number over inbound_limit new tips an hour is flooding: its new
 *    tips are kept, nothing more.
 *  - Commands: help and opt-out are answered; a status query only with
 *    the right PIN; an office's reply moves its tip if the tip's state
 *    allows it, and is refused politely if not.
 *  - Not a tip: recorded with the reason, never answered.
 * An opted-out reporter gets nothing but the opt-out confirmation, and no
 * number gets more than reply_limit replies in a day. Every reply's
 * dedup key names its intent, so a message read twice (or a restart)
 * never sends it twice.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/converse.h"
#include "tipgw/gazetteer.h"
#include "tipgw/lexicon.h"
#include "tipgw/pin.h"
#include "tipgw/reward_state.h"
#include "tipgw/sms.h"
#include "tipgw/template.h"
#include "tipgw/text.h"
#include "tipgw/tip_state.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"

/* The plan owns s: it is freed with the plan. */
static char *
converse_own(struct converse *c, char *s)
{
	if (s == NULL)
		return (NULL);
	c->owned = xreallocarray(c->owned, (size_t)c->nowned + 1,
	    sizeof *c->owned);
	c->owned[c->nowned++] = s;
	return (s);
}

/* The audit event of a limit reached, with the message. */
static void
converse_audit(struct converse *c, const char *action, const char *detail)
{
	if (c->su.naudit < STORE_MAX_AUDIT) {
		c->su.audit[c->su.naudit].action = action;
		c->su.audit[c->su.naudit].detail = detail;
		c->su.naudit++;
	}
}

/* What a reply is, for the outbox: a template's intent. */
static enum outbox_intent
converse_intent(const char *name)
{
	if (strncmp(name, "ack", 3) == 0)
		return (OUTBOX_ACK);
	if (strncmp(name, "question", 8) == 0)
		return (OUTBOX_QUESTION);
	if (strcmp(name, "howto") == 0)
		return (OUTBOX_HOWTO);
	return (OUTBOX_REPLY);
}

/*
 * Queue the reply the template name renders: 1 if it is queued, 0 if
 * the number opted out, the reply limit is reached or there is nothing
 * to write it with.
 */
static int
converse_reply(struct converse *c, const struct converse_in *in,
    const char *key, const char *name, const struct template_var *vars,
    size_t nvars)
{
	char	*body;

	if (in->ctx->prior.opted_out && strcmp(name, "optout") != 0 &&
	    strcmp(name, "optin") != 0)
		return (0);
	/* Never a reply storm (two auto-responders, a stuck phone). */
	if (in->reply_limit > 0 && in->ctx->sender_office == 0 &&
	    in->ctx->replies_today + c->su.nreplies >=
	    (int)in->reply_limit) {
		c->limited++;
		return (0);
	}
	if (in->templates == NULL)	/* classify: no replies to write */
		return (0);
	body = template_render(in->templates, name, vars, nvars);
	if (body == NULL || c->su.nreplies == STORE_MAX_REPLIES) {
		free(body);
		return (0);
	}
	c->su.replies[c->su.nreplies].intent = converse_intent(name);
	c->su.replies[c->su.nreplies].dedup_key = converse_own(c,
	    xstrdup(key));
	c->su.replies[c->su.nreplies].body = converse_own(c, body);
	c->su.nreplies++;
	return (1);
}

/*
 * An office's reply from a duty phone: 收到 acknowledges, 办结 closes,
 * 退回 returns the tip to the coordinator (an office never forwards a
 * tip sideways). A tip that is not the office's, or no tip at all, gets
 * the short help; a number that is no duty phone gets nothing.
 */
static void
converse_office(const struct converse_in *in, struct converse *c,
    const char *key)
{
	const struct parse_result	*p = &in->r->parse;
	const struct store_tip_status	*named = &in->ctx->named;
	const struct tip_transition	*t;
	struct template_var		 v[2];
	enum tip_event			 event;

	if (in->ctx->sender_office == 0)
		return;
	v[0].name = "code";
	v[0].value = p->code;
	if (named->id == 0 || named->office_id != in->ctx->sender_office) {
		converse_reply(c, in, key, "office_help", v, 1);
		return;
	}
	event = p->command == CMD_OFFICE_ACK ? TIP_EV_OFFICE_ACK :
	    p->command == CMD_OFFICE_DONE ? TIP_EV_OFFICE_DONE :
	    p->command == CMD_OFFICE_FILE ? TIP_EV_OFFICE_FILE :
	    TIP_EV_OFFICE_RETURN;
	v[1].name = "state";
	/* A reply the tip's state does not allow changes nothing. */
	if ((t = tip_next(named->state, event)) == NULL) {
		c->su.reason = "office_refused";
		v[1].value = tip_state_words(named->state);
		converse_reply(c, in, key, "office_refused", v, 2);
		return;
	}
	c->su.office_tip = named->id;
	c->su.office_code = converse_own(c, xstrdup(named->code));
	c->su.office_from = named->state;
	c->su.office_event = event;
	c->su.office_id = in->ctx->sender_office;
	c->su.office_detail = p->arg != NULL && *p->arg != '\0' ?
	    converse_own(c, xstrdup(p->arg)) : NULL;
	v[1].value = tip_state_words(t->to);
	converse_reply(c, in, key, "office_ok", v, 2);
}

/*
 * A command with a code and a PIN (查询, 领奖): 1 if the PIN is the
 * tip's; else 0, the refusal replied (guessing: a few tries a day, then
 * silence, whichever command guesses).
 */
static int
converse_pin_ok(const struct converse_in *in, struct converse *c,
    const char *key, struct template_var *v)
{
	const struct parse_result	*p = &in->r->parse;
	const struct store_tip_status	*named = &in->ctx->named;

	if (in->ctx->wrong_queries >= CONVERSE_QUERY_TRIES) {
		c->su.reason = "query_locked";
		if (in->ctx->wrong_queries == CONVERSE_QUERY_TRIES)
			converse_reply(c, in, key, "query_locked", NULL, 0);
		return (0);
	}
	if (named->id == 0 || in->pin_key == NULL ||
	    !pin_verify(in->pin_key, named->code, p->pin, named->pin_hash)) {
		c->su.reason = "query_wrong";
		converse_reply(c, in, key, "query_unknown", v, 1);
		return (0);
	}
	return (1);
}

/*
 * 领奖 CODE PIN: an approved reward (told by SMS, or not: an anonymous
 * reporter) is claimed, and the reporter told the next step; any other
 * is said to have nothing to claim.
 */
static void
converse_claim(const struct converse_in *in, struct converse *c,
    const char *key, struct template_var *v)
{
	const struct store_tip_status	*named = &in->ctx->named;

	if (!converse_pin_ok(in, c, key, v))
		return;
	if (named->reward_id != 0 &&
	    (named->reward_state == REWARD_NOTIFIED ||
	    named->reward_state == REWARD_APPROVED)) {
		c->su.claim_reward = named->reward_id;
		c->su.claim_from = named->reward_state;
		c->su.claim_tip = named->id;
		converse_reply(c, in, key, "reward_claimed", v, 1);
		return;
	}
	c->su.reason = "claim_none";
	converse_reply(c, in, key, "reward_none", v, 1);
}

/* 投票 N: one vote a number in the open poll, or why not. */
static void
converse_vote(const struct converse_in *in, struct converse *c,
    const char *key)
{
	const struct store_intake_ctx	*ctx = in->ctx;
	int				 n = in->r->parse.vote;

	if (ctx->poll_id == 0) {
		c->su.reason = "vote_closed";
		converse_reply(c, in, key, "vote_closed", NULL, 0);
	} else if (n < 1 || n > ctx->poll_options) {
		c->su.reason = "vote_bad";
		converse_reply(c, in, key, "vote_bad", NULL, 0);
	} else if (ctx->poll_voted) {
		c->su.reason = "vote_again";
		converse_reply(c, in, key, "vote_again", NULL, 0);
	} else {
		c->su.vote_poll = ctx->poll_id;
		c->su.vote_option = n;
		converse_reply(c, in, key, "vote_ok", NULL, 0);
	}
}

static void
converse_command(const struct converse_in *in, struct converse *c)
{
	const struct parse_result	*p = &in->r->parse;
	const struct store_tip_status	*named = &in->ctx->named;
	struct template_var		 v[3];
	char				 key[160];

	c->disposition = "command";
	c->su.reason = parse_command_name(p->command);
	snprintf(key, sizeof key, "reply:%s", in->raw_key);
	switch (p->command) {
	case CMD_HELP:
		converse_reply(c, in, key, "help", NULL, 0);
		break;
	case CMD_OPTOUT:
		c->su.optout = 1;
		converse_reply(c, in, key, "optout", NULL, 0);
		break;
	case CMD_OPTIN:
		c->su.optin = 1;
		converse_reply(c, in, key, "optin", NULL, 0);
		break;
	case CMD_VOTE:
		converse_vote(in, c, key);
		break;
	case CMD_CLAIM:
		v[0].name = "code";
		v[0].value = p->code;
		converse_claim(in, c, key, v);
		break;
	case CMD_QUERY:
		v[0].name = "code";
		v[0].value = p->code;
		if (!converse_pin_ok(in, c, key, v))
			break;
		v[1].name = "state";
		v[1].value = tip_state_words(named->state);
		v[2].name = "township";
		v[2].value = named->township ? named->township : "-";
		converse_reply(c, in, key, "query", v, 3);
		break;
	case CMD_OFFICE_ACK:
	case CMD_OFFICE_DONE:
	case CMD_OFFICE_RETURN:
	case CMD_OFFICE_FILE:
		converse_office(in, c, key);
		break;
	default:
		break;
	}
}

/* "1大林镇 2袁寨镇" */
static char *
converse_choices(const struct understand *u, const struct route_result *r)
{
	char	*out = xstrdup(""), *prev;
	int	 i;

	for (i = 0; i < r->ncandidates; i++) {
		prev = out;
		xasprintf(&out, "%s%s%d%s", prev, i ? " " : "", i + 1,
		    u->gz->townships[r->candidates[i]].name);
		free(prev);
	}
	return (out);
}

static char *
converse_candidates(const struct understand *u, const struct route_result *r)
{
	char	*out = NULL, *prev;
	int	 i;

	for (i = 0; i < r->ncandidates; i++) {
		prev = out;
		xasprintf(&out, "%s%s%s", prev ? prev : "", prev ? " " : "",
		    u->gz->townships[r->candidates[i]].code);
		free(prev);
	}
	return (out);
}

/* The shop as written (小卖部), from the text parse read. */
static const char *
converse_shop(struct converse *c, const struct understand_result *r)
{
	const char	*text = r->combined != NULL ? r->combined : r->norm;

	if (r->parse.place == NULL || r->parse.place_len == 0 ||
	    r->parse.place_at + r->parse.place_len > strlen(text))
		return (NULL);
	return (converse_own(c, xstrndup(text + r->parse.place_at,
	    r->parse.place_len)));
}

/* Is word in the space-separated list? */
static int
converse_in_list(const char *list, const char *word)
{
	size_t	 n = strlen(word);

	while (list != NULL && *list != '\0') {
		if (strncmp(list, word, n) == 0 &&
		    (list[n] == ' ' || list[n] == '\0'))
			return (1);
		if ((list = strchr(list, ' ')) != NULL)
			list++;
	}
	return (0);
}

/* A list of the facts a tip's messages named, the new one added last. */
/* The kind the words named (NULL if none), not the model's pick. */
static const char *
converse_named_kind(const struct understand_result *r)
{
	return (r->parse.kind_model ? r->parse.kind_words : r->parse.kind);
}

static const char *
converse_add(struct converse *c, const char *list, const char *word)
{
	char	*out;

	if (word == NULL || converse_in_list(list, word))
		return (list);
	if (list == NULL || *list == '\0')
		return (word);
	xasprintf(&out, "%s %s", list, word);
	return (converse_own(c, out));
}

static char *
converse_dup(struct converse *c, const char *s)
{
	return (s != NULL ? converse_own(c, xstrdup(s)) : NULL);
}

/*
 * A tip's text with a message added on a line of its own, unless the
 * tip's text is already CONVERSE_TEXT_MAX bytes: then it stays as it is
 * and says once that more came (every message stays in the ledger, and
 * tipgwctl tip show lists them), so no sender can grow a tip, and the
 * work on every message about it, without bound.
 */
static char *
converse_append(struct converse *c, const char *text, const char *more)
{
	char	*out;
	size_t	 len = strlen(text), mark = strlen(CONVERSE_TEXT_MORE);

	if (len + 1 + strlen(more) <= CONVERSE_TEXT_MAX)
		xasprintf(&out, "%s\n%s", text, more);
	else if (len >= mark && strcmp(text + len - mark,
	    CONVERSE_TEXT_MORE) == 0)
		out = xstrdup(text);
	else
		xasprintf(&out, "%s\n%s", text, CONVERSE_TEXT_MORE);
	return (converse_own(c, out));
}

static int
converse_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* Is the message about the target of the reporter's recent open tip? */
static int
converse_same_target(const struct converse_in *in)
{
	const struct understand_result	*r = in->r;
	const struct understand		*u = in->u;
	const struct store_prior	*p = &in->ctx->prior;
	const char			*village;
	char				 code[GAZ_VILLAGE_CODE];

	if (p->tip_id == 0 || r->needs_followup || r->route.township < 0 ||
	    tip_next(p->state, TIP_EV_MERGE) == NULL ||
	    in->now - p->last_message_at > CONVERSE_REPEAT_DAYS * 86400)
		return (0);
	village = r->route.village >= 0 ? gazetteer_village_code(u->gz,
	    r->route.village, code) : NULL;
	return (converse_same(p->township_code,
	    u->gz->townships[r->route.township].code) &&
	    converse_same(p->village_code, village));
}

/*
 * New facts about the same place: one tip, its clock restarted (by the
 * tip table's merge). The earlier facts stay, the new ones are added.
 */
static void
converse_merge(const struct converse_in *in, struct converse *c,
    const char *kinds, const char *products)
{
	const struct understand_result	*r = in->r;
	const struct store_prior	*p = &in->ctx->prior;

	c->disposition = "tip";
	c->is_tip = 1;
	c->su.tip_id = p->tip_id;
	c->su.version = p->version;
	c->su.from = p->state;
	c->su.event = TIP_EV_MERGE;
	c->su.reason = "merged";
	c->su.questions = p->questions;
	c->su.route = route_status_name(r->route.status);
	c->su.brand = r->parse.brand;
	c->su.place = r->parse.place;
	c->su.shop = converse_shop(c, r);
	c->tip.code = converse_dup(c, p->code);
	c->tip.channel = (char *)"sms";
	c->tip.received_at = in->now;
	c->tip.text = converse_append(c, p->text, in->text);
	c->su.partial = strstr(c->tip.text, SMS_GAP) != NULL;
	/* The context is freed before the commit: copies. */
	c->tip.kind = converse_dup(c, p->kind ? p->kind : r->parse.kind);
	c->tip.product = converse_dup(c, p->product ? p->product :
	    r->parse.product);
	c->su.kinds = converse_dup(c, converse_add(c, kinds,
	    converse_named_kind(r)));
	c->su.products = converse_dup(c, converse_add(c, products,
	    r->parse.product));
	c->tip.township_code = converse_dup(c, p->township_code);
	c->tip.village_code = converse_dup(c, p->village_code);
}

/*
 * A number sending more than inbound_limit tips an hour (new ones, and
 * new facts merged into one, which tell the office too) is flooding (a
 * stuck phone, a prank): its tips are kept but make nothing; its
 * commands (退订, 查询, an office's 收到) still work. 1 if so.
 */
static int
converse_flood(const struct converse_in *in, struct converse *c)
{
	if (in->inbound_limit == 0 ||
	    in->ctx->tips_hour < (int)in->inbound_limit)
		return (0);
	c->disposition = "flood";
	c->flood_first = in->ctx->floods_hour == 0;
	if (c->flood_first)
		converse_audit(c, "inbound.limited", "hourly tip limit "
		    "reached by one number");
	return (1);
}

/*
 * A tip about the same target (township and village) as the reporter's
 * open tip of the last 90 days: the same facts again are a repeat (art.
 * 35: no new tip, alert or clock; a polite answer); new facts are merged
 * into that tip, which tells the office again. 1 if handled here.
 */
static int
converse_repeat(const struct converse_in *in, struct converse *c)
{
	const struct parse_result	*r = &in->r->parse;
	const struct store_prior	*p = &in->ctx->prior;
	struct template_var		 v[1];
	const char			*kinds, *named, *products;
	char				 key[160];

	if (!converse_same_target(in))
		return (0);
	v[0].name = "code";
	v[0].value = p->code;
	snprintf(key, sizeof key, "reply:%s", in->raw_key);
	/* What the new message does not say is not a new fact. */
	kinds = p->kinds != NULL && *p->kinds != '\0' ? p->kinds : p->kind;
	/* The kinds named, kept apart from a model's pick ("" if none). */
	named = p->kinds != NULL ? p->kinds : p->kind;
	products = p->products != NULL ? p->products : p->product;
	if ((r->kind == NULL || converse_in_list(kinds, r->kind)) &&
	    (r->product == NULL || converse_in_list(products, r->product))) {
		c->disposition = "repeat";
		c->su.link_tip = p->tip_id;
		c->su.reason = "repeat";
	} else if (converse_flood(in, c))
		return (1);	/* a merge tells the office: it counts */
	else
		converse_merge(in, c, named, products);
	converse_reply(c, in, key, "repeat", v, 1);
	return (1);
}

/* Does the township the tip is placed in have an office? */
static int
converse_has_office(const struct converse_in *in)
{
	const struct understand_result	*r = in->r;
	const char			*code;
	size_t				 i;

	if (in->every_office)
		return (1);
	if (r->route.township < 0)
		return (0);
	code = in->u->gz->townships[r->route.township].code;
	for (i = 0; i < in->ctx->noffice_townships; i++) {
		if (strcmp(in->ctx->office_townships[i], code) == 0)
			return (1);
	}
	return (0);
}

/*
 * What the message does to its tip: placed (with or without an office),
 * a question, given up to the coordinator after the questions, or, for a
 * tip already past its questions, more of its text (AMEND).
 */
static enum tip_event
converse_tip_event(const struct converse_in *in, const struct converse *c,
    enum tip_state from)
{
	enum tip_event	 event;

	if (!in->r->needs_followup)
		event = converse_has_office(in) ? TIP_EV_ROUTE :
		    TIP_EV_NO_OFFICE;
	else if (in->joined != NULL)
		event = TIP_EV_AMEND;	/* a late part asks nothing */
	else if (c->su.questions < CONVERSE_MAX_QUESTIONS)
		event = TIP_EV_ASK;
	else
		event = TIP_EV_GIVE_UP;
	if (tip_next(from, event) == NULL)
		event = TIP_EV_AMEND;
	return (event);
}

/* An amended tip keeps what it had; the new text fills in the rest. */
static void
converse_amend(const struct converse_in *in, struct converse *c)
{
	const struct store_prior	*p = &in->ctx->prior;

	if (p->township_code != NULL) {
		c->tip.township_code = converse_dup(c, p->township_code);
		c->tip.village_code = converse_dup(c, p->village_code);
	}
	if (p->kind != NULL)
		c->tip.kind = converse_dup(c, p->kind);
	if (p->product != NULL)
		c->tip.product = converse_dup(c, p->product);
	c->su.kinds = converse_dup(c, converse_add(c, p->kinds,
	    converse_named_kind(in->r)));
	c->su.products = converse_dup(c, converse_add(c, p->products,
	    in->r->parse.product));
}

static void
converse_question(const struct converse_in *in, struct converse *c,
    struct template_var *v)
{
	const struct understand_result	*r = in->r;
	char				 key[160];

	c->su.questions++;
	snprintf(key, sizeof key, "question:%s:%d", c->tip.code,
	    c->su.questions);
	if (r->route.status == ROUTE_AMBIGUOUS) {
		v[1].name = "choices";
		v[1].value = converse_own(c, converse_choices(in->u,
		    &r->route));
		converse_reply(c, in, key, "question_choice", v, 2);
	} else
		converse_reply(c, in, key, "question", v, 1);
}

/*
 * The acknowledgement, once a tip is placed or handed to the coordinator:
 * its code and a new PIN (a tip asked about its place has none yet; one
 * acknowledged before is not again), the PIN kept only as its keyed
 * hash, and only once the acknowledgement is queued: a reporter held
 * back by the reply limit is acknowledged by their next message.
 * "已转X镇处理" only when an office of that township has it.
 */
static void
converse_ack(const struct converse_in *in, struct converse *c,
    struct template_var *v, int acknowledged)
{
	const struct understand_result	*r = in->r;
	char				 key[160], hash[PIN_HASH_SIZE];
	int				 queued;

	if (acknowledged)
		return;
	snprintf(key, sizeof key, "ack:%s", c->tip.code);
	v[1].name = "pin";
	v[1].value = in->new_pin;
	if (c->su.event == TIP_EV_ROUTE) {
		v[2].name = "township";
		v[2].value = in->u->gz->townships[r->route.township].name;
		queued = converse_reply(c, in, key, "ack", v, 3);
	} else
		queued = converse_reply(c, in, key, "ack_triage", v, 2);
	if (queued && in->pin_key != NULL) {
		pin_hash(in->pin_key, c->tip.code, in->new_pin, hash);
		c->su.pin_hash = converse_own(c, xstrdup(hash));
	}
}

/* What the message says of its tip (placed, the facts, the shop). */
static void
converse_facts(const struct converse_in *in, struct converse *c,
    int continues)
{
	const struct understand_result	*r = in->r;
	const struct understand		*u = in->u;
	const struct store_prior	*prior = &in->ctx->prior;
	char				 code[GAZ_VILLAGE_CODE];

	c->tip.kind = (char *)r->parse.kind;
	c->tip.product = (char *)r->parse.product;
	/* The model's kind is not one the words named (incomplete). */
	if (!continues && r->parse.kind_model)
		c->su.kinds = r->parse.kind_words != NULL ?
		    r->parse.kind_words : "";
	/* The words say no kind, the model only guesses: a person decides. */
	if (!continues && r->parse.kind == NULL &&
	    r->parse.kind_uncertain != NULL) {
		char	*why;

		xasprintf(&why, "疑似%s", lex_kind_words(
		    r->parse.kind_uncertain));
		c->su.review = converse_own(c, why);
	}
	if (continues) {
		c->su.kinds = converse_dup(c, converse_add(c, prior->kinds,
		    converse_named_kind(r)));
		c->su.products = converse_dup(c, converse_add(c,
		    prior->products, r->parse.product));
	}
	if (r->route.township >= 0)
		c->tip.township_code = u->gz->townships[r->route.township].code;
	if (r->route.village >= 0)
		c->tip.village_code = converse_dup(c, gazetteer_village_code(
		    u->gz, r->route.village, code));
	c->su.route = route_status_name(r->route.status);
	c->su.brand = r->parse.brand;
	c->su.place = r->parse.place;
	c->su.shop = converse_shop(c, r);
	c->su.candidates = converse_own(c, converse_candidates(u, &r->route));
}

/* The tip's text: the message, or the tip's so far and the message. */
static void
converse_text(const struct converse_in *in, struct converse *c,
    int continues)
{
	if (continues && in->joined != NULL)
		c->tip.text = (char *)in->joined;
	else if (continues)
		c->tip.text = converse_append(c, in->ctx->prior.text,
		    in->text);
	else
		c->tip.text = (char *)in->text;
	c->su.partial = strstr(c->tip.text, SMS_GAP) != NULL;
}

static void
converse_tip(const struct converse_in *in, struct converse *c)
{
	const struct store_prior	*prior = &in->ctx->prior;
	struct template_var		 v[3];
	int				 continues;

	continues = in->r->action == UNDERSTAND_CONTINUES &&
	    prior->tip_id != 0;
	if (!continues && (converse_repeat(in, c) || converse_flood(in, c)))
		return;
	c->disposition = "tip";
	c->is_tip = 1;
	c->su.tip_id = continues ? prior->tip_id : 0;
	c->su.version = continues ? prior->version : 0;
	c->su.from = continues ? prior->state : TIP_NEW;
	c->tip.code = continues ? converse_dup(c, prior->code) :
	    (char *)in->new_code;
	c->tip.channel = (char *)"sms";
	c->tip.received_at = in->now;
	converse_text(in, c, continues);
	converse_facts(in, c, continues);
	c->su.questions = continues ? prior->questions : 0;
	c->su.reason = !continues ? NULL : in->joined ? "joined" : "continues";
	c->su.event = converse_tip_event(in, c, c->su.from);
	v[0].name = "code";
	v[0].value = c->tip.code;
	switch (c->su.event) {
	case TIP_EV_ASK:
		converse_question(in, c, v);
		break;
	case TIP_EV_AMEND:
		converse_amend(in, c);
		break;
	default:	/* placed, or handed to the coordinator */
		converse_ack(in, c, v, continues && prior->pin_hash != NULL);
		break;
	}
}

/*
 * Not a tip, but a question a person asks deserves its answer: whether
 * tips are rewarded; where a problem that is not about food goes
 * (12315); how to report, how to ask after a tip. Advertisements,
 * greetings, thanks and chat are never answered.
 */
static void
converse_nontip(const struct converse_in *in, struct converse *c)
{
	static const struct {
		const char	*reason;
		const char	*reply;
	} answers[] = {
		{ "reward", "reward" },
		{ "nonfood", "nonfood" },
		{ "question", "help" },
		{ "status", "help" },
	};
	const char	*reason = in->r->parse.nontip;
	char		 key[160];
	size_t		 i;

	for (i = 0; reason != NULL && i < sizeof answers / sizeof answers[0];
	    i++) {
		if (strcmp(answers[i].reason, reason) == 0) {
			snprintf(key, sizeof key, "reply:%s", in->raw_key);
			converse_reply(c, in, key, answers[i].reply, NULL, 0);
			return;
		}
	}
}

/* Plan what to store and send for one message. */
void
converse_plan(const struct converse_in *in, struct converse *c)
{
	memset(c, 0, sizeof *c);
	switch (in->r->action) {
	case UNDERSTAND_COMMAND:
		converse_command(in, c);
		break;
	case UNDERSTAND_NONTIP:
		c->disposition = "nontip";
		c->su.reason = in->r->parse.nontip;
		converse_nontip(in, c);
		break;
	default:
		converse_tip(in, c);
		break;
	}
	if (c->limited > 0)
		converse_audit(c, "reply.limited", "daily reply limit reached");
}

/*
 * A tip an operator took on the hotline and entered: always a new tip,
 * never a question by SMS (the operator asks on the phone, and a tip
 * still without a place goes to the coordinator), the acknowledgement
 * only when the caller agreed to one (ack); the PIN is kept either way,
 * as the operator reads the code and PIN to the caller.
 */
void
converse_hotline(const struct converse_in *hotline, struct converse *c,
    int ack)
{
	struct converse_in		 hin = *hotline, *in = &hin;
	struct understand_result	 r = *hotline->r;
	struct template_var		 v[3];
	char				 hash[PIN_HASH_SIZE];

	/* Words that read as a command or chat place nothing. */
	if (r.action == UNDERSTAND_COMMAND || r.action == UNDERSTAND_NONTIP) {
		r.route.status = ROUTE_NONE;
		r.route.township = r.route.village = -1;
		r.route.ncandidates = 0;
	}
	hin.r = &r;
	memset(c, 0, sizeof *c);
	c->disposition = "tip";
	c->is_tip = 1;
	c->su.from = TIP_NEW;
	c->tip.code = (char *)in->new_code;
	c->tip.channel = (char *)"hotline";
	c->tip.received_at = in->now;
	converse_text(in, c, 0);
	converse_facts(in, c, 0);
	if (in->r->route.township < 0)
		c->su.event = TIP_EV_GIVE_UP;
	else
		c->su.event = converse_has_office(in) ? TIP_EV_ROUTE :
		    TIP_EV_NO_OFFICE;
	v[0].name = "code";
	v[0].value = c->tip.code;
	if (ack)
		converse_ack(in, c, v, 0);
	if (c->su.pin_hash == NULL && in->pin_key != NULL) {
		pin_hash(in->pin_key, c->tip.code, in->new_pin, hash);
		c->su.pin_hash = converse_own(c, xstrdup(hash));
	}
}

/*
 * After a call to the hotline SIM: how to text a tip, at most once a day
 * to a number, never to one that opted out; key names the call. When
 * nothing is sent, c->su.reason says why.
 */
void
converse_call(const struct converse_in *in, struct converse *c,
    const char *key)
{
	memset(c, 0, sizeof *c);
	c->disposition = "call";
	if (in->ctx->prior.opted_out)
		c->su.reason = "the number opted out";
	else if (in->ctx->howto_today > 0)
		c->su.reason = "one went to this number within a day";
	else {
		converse_reply(c, in, key, "howto", NULL, 0);
		if (c->limited > 0)
			c->su.reason = "the daily reply limit is reached";
	}
}

/* The townships a question offered, as gazetteer indexes. */
static void
converse_prior_candidates(const struct understand *u, const char *codes,
    struct understand_prior *out)
{
	char	 code[16];
	int	 n, t;

	while (codes != NULL && out->ncandidates < ROUTE_MAX_CANDIDATES &&
	    sscanf(codes, "%15s%n", code, &n) == 1) {
		if ((t = gazetteer_township(u->gz, code)) >= 0)
			out->candidates[out->ncandidates++] = t;
		codes += n;
	}
}

/*
 * The reporter's latest tip as understanding needs it; *norm (to free)
 * holds its normalised text. 0 when there is none.
 */
int
converse_prior(const struct understand *u, const struct store_prior *p,
    struct understand_prior *out, char **norm)
{
	int	 awaiting;

	memset(out, 0, sizeof *out);
	out->township = -1;
	*norm = NULL;
	if (p->tip_id == 0 || p->text == NULL)
		return (0);
	awaiting = p->state == TIP_AWAITING_REPLY;
	*norm = understand_normalise(u, p->text);
	out->known = 1;
	out->at = p->last_message_at;
	out->norm = *norm;
	out->awaiting = awaiting;
	out->unrouted = awaiting || p->state == TIP_TRIAGE;
	/* Cut off? The words named no kind (a model's guess is kept
	 * apart: kinds "") or no product. */
	out->incomplete = p->kind == NULL || p->product == NULL ||
	    (p->kinds != NULL && *p->kinds == '\0');
	out->kind = p->kind;
	out->product = p->product;
	converse_prior_candidates(u, p->candidates, out);
	if (p->township_code != NULL)
		out->township = gazetteer_township(u->gz, p->township_code);
	return (1);
}

/* The plan keeps s (allocated by the caller) and frees it with itself. */
void
converse_keep(struct converse *c, char *s)
{
	converse_own(c, s);
}

void
converse_free(struct converse *c)
{
	int	 i;

	for (i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->owned);
	memset(c, 0, sizeof *c);
}
