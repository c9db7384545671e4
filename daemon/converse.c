/*
 * converse_plan(): the replies, by rule.
 *  - A new tip with a township: routed, acknowledged with code and PIN.
 *  - A new tip without one: a question (the candidates when a village is
 *    ambiguous), state awaiting_reply; the acknowledgement comes when it
 *    is routed.
 *  - An answer that routes it: routed, acknowledged. One that does not:
 *    a second question; after that the tip goes to triage (a person
 *    looks) and the reporter is acknowledged without a township.
 *  - Commands: help and opt-out are answered; a status query is answered
 *    only with the right PIN. Office replies are recorded for now.
 *  - Not a tip: recorded with the reason, never answered.
 * An opted-out reporter gets nothing but the opt-out confirmation, and no
 * number gets more than reply_limit replies in a day. Every
 * reply's dedup key names its intent, so a message read twice (or a
 * restart) never sends it twice.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/converse.h"
#include "tipgw/gazetteer.h"
#include "tipgw/lexicon.h"
#include "tipgw/template.h"
#include "tipgw/text.h"
#include "tipgw/tip_state.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"

static char *
converse_own(struct converse *c, char *s)
{
	if (s != NULL && c->nowned < (int)(sizeof c->owned /
	    sizeof c->owned[0]))
		c->owned[c->nowned++] = s;
	return (s);
}

/* What a reply is, for the outbox: a template's intent. */
static enum outbox_intent
converse_intent(const char *name)
{
	if (strncmp(name, "ack", 3) == 0)
		return (OUTBOX_ACK);
	if (strncmp(name, "question", 8) == 0)
		return (OUTBOX_QUESTION);
	return (OUTBOX_REPLY);
}

static void
converse_reply(struct converse *c, const struct converse_in *in,
    const char *key, const char *name, const struct template_var *vars,
    size_t nvars)
{
	char	*body;

	if (in->prior != NULL && in->prior->opted_out &&
	    strcmp(name, "optout") != 0)
		return;
	/* Never a reply storm (two auto-responders, a stuck phone). */
	if (in->reply_limit > 0 && in->sender_office == 0 &&
	    in->replies_today + c->su.nreplies >= in->reply_limit) {
		c->limited++;
		return;
	}
	body = template_render(in->templates, name, vars, nvars);
	if (body == NULL || c->su.nreplies == STORE_MAX_REPLIES) {
		free(body);
		return;
	}
	c->su.replies[c->su.nreplies].intent = converse_intent(name);
	c->su.replies[c->su.nreplies].dedup_key = converse_own(c,
	    xstrdup(key));
	c->su.replies[c->su.nreplies].body = converse_own(c, body);
	c->su.nreplies++;
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
	const struct tip_transition	*t;
	struct template_var		 v[2];
	enum tip_event			 event;

	if (in->sender_office == 0)
		return;
	v[0].name = "code";
	v[0].value = p->code;
	if (in->query == NULL || in->query->id == 0 ||
	    in->query->office_id != in->sender_office) {
		converse_reply(c, in, key, "office_help", v, 1);
		return;
	}
	event = p->command == CMD_OFFICE_ACK ? TIP_EV_OFFICE_ACK :
	    p->command == CMD_OFFICE_DONE ? TIP_EV_OFFICE_DONE :
	    p->command == CMD_OFFICE_FILE ? TIP_EV_OFFICE_FILE :
	    TIP_EV_OFFICE_RETURN;
	v[1].name = "state";
	/* A reply the tip's state does not allow changes nothing. */
	if ((t = tip_next(in->query->state, event)) == NULL) {
		c->su.reason = "office_refused";
		v[1].value = tip_state_words(in->query->state);
		converse_reply(c, in, key, "office_refused", v, 2);
		return;
	}
	c->su.office_tip = in->query->id;
	c->su.office_code = converse_own(c, xstrdup(in->query->code));
	c->su.office_from = in->query->state;
	c->su.office_event = event;
	c->su.office_id = in->sender_office;
	c->su.office_detail = p->arg != NULL && *p->arg != '\0' ?
	    converse_own(c, xstrdup(p->arg)) : NULL;
	v[1].value = tip_state_words(t->to);
	converse_reply(c, in, key, "office_ok", v, 2);
}

static void
converse_command(const struct converse_in *in, struct converse *c)
{
	const struct parse_result	*p = &in->r->parse;
	struct template_var		 v[3];
	char				 key[160];

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
	case CMD_QUERY:
		v[0].name = "code";
		v[0].value = p->code;
		/* Guessing PINs: a few tries a day, then silence. */
		if (in->wrong_queries >= CONVERSE_QUERY_TRIES) {
			c->su.reason = "query_locked";
			if (in->wrong_queries == CONVERSE_QUERY_TRIES)
				converse_reply(c, in, key, "query_locked",
				    NULL, 0);
			break;
		}
		if (in->query == NULL || in->query->id == 0 ||
		    in->query->pin == NULL || strcmp(in->query->pin,
		    p->pin) != 0) {
			c->su.reason = "query_wrong";
			converse_reply(c, in, key, "query_unknown", v, 1);
			break;
		}
		v[1].name = "state";
		v[1].value = tip_state_words(in->query->state);
		v[2].name = "township";
		v[2].value = in->query->township ? in->query->township : "-";
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

static char *
converse_dup(struct converse *c, const char *s)
{
	return (s != NULL ? converse_own(c, xstrdup(s)) : NULL);
}

static int
converse_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/*
 * A routed tip about the same target (township and village) as the
 * reporter's open tip of the last 90 days: the same facts again are a
 * repeat (art. 35: no new tip, alert or clock; a polite answer); new
 * facts are merged into that tip, which restarts its verify clock and
 * tells the office again. 1 if handled here.
 */
static int
converse_repeat(const struct converse_in *in, struct converse *c)
{
	const struct understand_result	*r = in->r;
	const struct understand		*u = in->u;
	const struct store_prior	*p = in->prior;
	struct template_var		 v[1];
	const char			*village;
	char				 key[160];

	if (p == NULL || p->tip_id == 0 || r->needs_followup ||
	    r->route.township < 0 || tip_next(p->state, TIP_EV_MERGE) == NULL ||
	    in->now - p->last_message_at > CONVERSE_REPEAT_DAYS * 86400)
		return (0);
	village = r->route.village >= 0 ?
	    u->gz->villages[r->route.village].code : NULL;
	if (!converse_same(p->township_code,
	    u->gz->townships[r->route.township].code) ||
	    !converse_same(p->village_code, village))
		return (0);
	v[0].name = "code";
	v[0].value = p->code;
	snprintf(key, sizeof key, "reply:%s", in->raw_key);
	/* What the new message does not say is not a new fact. */
	if ((r->parse.kind == NULL || converse_same(p->kind, r->parse.kind)) &&
	    (r->parse.product == NULL ||
	    converse_same(p->product, r->parse.product))) {
		c->su.link_tip = p->tip_id;
		c->su.reason = "repeat";
		converse_reply(c, in, key, "repeat", v, 1);
		return (1);
	}
	/* New facts about the same place: one tip, its clock restarted. */
	c->is_tip = 1;
	c->su.tip_id = p->tip_id;
	c->su.from = p->state;
	c->su.event = TIP_EV_MERGE;
	c->su.reason = "merged";
	c->su.questions = p->questions;
	c->su.route = route_status_name(r->route.status);
	c->su.brand = r->parse.brand;
	c->su.place = r->parse.place;
	c->su.shop = converse_shop(c, r);
	c->tip.code = converse_own(c, xstrdup(p->code));
	c->tip.channel = (char *)"sms";
	c->tip.received_at = in->now;
	xasprintf(&c->tip.text, "%s\n%s", p->text, in->text);
	converse_own(c, c->tip.text);
	/* in->prior is freed before the commit: copies. The new facts. */
	c->tip.kind = converse_dup(c, r->parse.kind ? r->parse.kind : p->kind);
	c->tip.product = converse_dup(c, r->parse.product ? r->parse.product :
	    p->product);
	c->tip.township_code = converse_dup(c, p->township_code);
	c->tip.village_code = converse_dup(c, p->village_code);
	converse_reply(c, in, key, "repeat", v, 1);
	return (1);
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
		event = in->office != NULL && in->office->id != 0 ?
		    TIP_EV_ROUTE : TIP_EV_NO_OFFICE;
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
	const struct store_prior	*p = in->prior;

	if (p->township_code != NULL) {
		c->tip.township_code = converse_dup(c, p->township_code);
		c->tip.village_code = converse_dup(c, p->village_code);
	}
	if (p->kind != NULL)
		c->tip.kind = converse_dup(c, p->kind);
	if (p->product != NULL)
		c->tip.product = converse_dup(c, p->product);
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

static void
converse_tip(const struct converse_in *in, struct converse *c)
{
	const struct understand_result	*r = in->r;
	const struct understand		*u = in->u;
	const char			*code;
	struct template_var		 v[3];
	char				 key[160];
	int				 continues;

	continues = r->action == UNDERSTAND_CONTINUES && in->prior != NULL &&
	    in->prior->tip_id != 0;
	if (!continues && converse_repeat(in, c))
		return;
	c->is_tip = 1;
	c->su.tip_id = continues ? in->prior->tip_id : 0;
	c->su.from = continues ? in->prior->state : TIP_NEW;
	code = continues ? converse_own(c, xstrdup(in->prior->code)) :
	    in->new_code;
	c->tip.code = (char *)code;
	c->tip.channel = (char *)"sms";
	c->tip.received_at = in->now;
	if (continues) {
		xasprintf(&c->tip.text, "%s\n%s", in->prior->text, in->text);
		converse_own(c, c->tip.text);
	} else
		c->tip.text = (char *)in->text;
	c->tip.kind = (char *)r->parse.kind;
	c->tip.product = (char *)r->parse.product;
	if (r->route.township >= 0)
		c->tip.township_code = u->gz->townships[r->route.township].code;
	if (r->route.village >= 0)
		c->tip.village_code = u->gz->villages[r->route.village].code;
	c->su.route = route_status_name(r->route.status);
	c->su.brand = r->parse.brand;
	c->su.place = r->parse.place;
	c->su.shop = converse_shop(c, r);
	c->su.candidates = converse_own(c, converse_candidates(u, &r->route));
	c->su.pin = continues ? NULL : in->new_pin;
	c->su.questions = continues ? in->prior->questions : 0;
	c->su.reason = continues ? "continues" : NULL;
	c->su.event = converse_tip_event(in, c, c->su.from);
	v[0].name = "code";
	v[0].value = code;
	v[1].name = "pin";
	v[1].value = continues ? in->prior->pin : in->new_pin;
	snprintf(key, sizeof key, "ack:%s", code);
	switch (c->su.event) {
	case TIP_EV_ROUTE:
		v[2].name = "township";
		v[2].value = u->gz->townships[r->route.township].name;
		if (v[1].value != NULL)
			converse_reply(c, in, key, "ack", v, 3);
		break;
	case TIP_EV_ASK:
		converse_question(in, c, v);
		break;
	case TIP_EV_AMEND:
		converse_amend(in, c);
		break;
	default:	/* the coordinator: no office, or no place */
		if (v[1].value != NULL)
			converse_reply(c, in, key, "ack_triage", v, 2);
		break;
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
		c->su.reason = in->r->parse.nontip;
		break;
	default:
		converse_tip(in, c);
		break;
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
	out->incomplete = p->kind == NULL || p->product == NULL;
	if (p->township_code != NULL)
		out->township = gazetteer_township(u->gz, p->township_code);
	return (1);
}

void
converse_free(struct converse *c)
{
	int	 i;

	for (i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	memset(c, 0, sizeof *c);
}
