/*
 * The desk's campaign routes, for a coordinator or an admin: cases
 * (list, show, open, confirm, split, outcome, close), rewards (list,
 * flag, approve, pay, revoke) and reports (monthly, quarterly, annual,
 * the 问题台账). Each change is the ledger's transition, as tipgwctl's
 * is; an outcome decides the case's rewards (award.c), an approval tells
 * the reporter how to claim. Never a reporter's number.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tipgw/award.h"
#include "tipgw/clock.h"
#include "tipgw/json.h"
#include "tipgw/log.h"
#include "tipgw/periodic.h"
#include "tipgw/report.h"
#include "tipgw/reward.h"
#include "tipgw/reward_state.h"
#include "tipgw/store.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "desk_int.h"

/* A positive number from the path; 0 if it is not one. */
static long long
desk_number(const char *s)
{
	char		*end;
	long long	 n;

	if (s == NULL)
		return (0);
	n = strtoll(s, &end, 10);
	return (*s != '\0' && *end == '\0' && n > 0 ? n : 0);
}

/* The ledger's answer to a change: 200 with doc, 409 why, 404, 503. */
static int
desk_refusal(struct desk_call *c, int rc, char *cause, int missing)
{
	if (rc == 0)
		return (0);
	if (rc < 0)
		desk_ledger_error(c, cause);
	else {
		desk_fail(c, missing ? 404 : 409, "%s", cause);
		free(cause);
	}
	return (-1);
}

static int
desk_case_tip_cb(const struct store_case_tip *t, void *arg)
{
	json_case_tip(arg, t);
	return (0);
}

struct desk_cases {
	struct desk_call	*c;
	json_t			*a;
	int			 n;
};

static int
desk_case_cb(const struct store_case *k, void *arg)
{
	struct desk_cases	*l = arg;
	struct json_doc		*d = json_case_doc(k);
	char			*cause = NULL, *s;
	json_t			*o;

	if (store_case_tips(l->c->desk->store, k->id, desk_case_tip_cb, d,
	    &cause) != 0) {
		free(cause);	/* the case without its tips: said below */
	}
	s = json_doc_finish(d);
	if ((o = json_loads(s, 0, NULL)) == NULL)
		fatalx("api: a case's JSON cannot be read back");
	free(s);
	json_array_append_new(l->a, o);
	l->n++;
	return (0);
}

/* The cases in state (NULL: all), or case id alone (200, or 404). */
static void
desk_cases_list(struct desk_call *c, const char *state, long long id)
{
	struct desk_cases	 l = { c, json_array(), 0 };
	char			*cause = NULL;
	json_t			*one;

	if (store_cases_foreach(c->desk->store, state, id, desk_case_cb, &l,
	    &cause) != 0) {
		json_decref(l.a);
		desk_ledger_error(c, cause);
		return;
	}
	if (id == 0) {
		desk_answer(c, 200, desk_dump(json_pack("{s:o}", "cases",
		    l.a)));
		return;
	}
	if (l.n == 0) {
		json_decref(l.a);
		desk_fail(c, 404, "no case %lld", id);
		return;
	}
	one = json_incref(json_array_get(l.a, 0));
	json_decref(l.a);
	desk_answer(c, 200, desk_dump(one));
}

/* The rewards of case id decided by the configured rule sets. */
static int
desk_award(struct desk_call *c, long long id, int *decided)
{
	struct reward_book		 book;
	const struct reward_rules	*sets[REWARD_MAX_SETS];
	size_t				 n;
	char				*cause = NULL;
	int				 rc;

	*decided = 0;
	if (c->desk->rules_file == NULL) {
		desk_fail(c, 503, "the reward rules are not loaded");
		return (-1);
	}
	if (reward_book_load(&book, c->desk->rules_file, &cause) != 0 ||
	    reward_book_select(&book, c->desk->rules, sets, &n,
	    &cause) != 0) {
		desk_fail(c, 503, "%s", cause);
		free(cause);
		return (-1);
	}
	rc = award_case(c->desk->store, sets, n, id, clock_now(),
	    c->user.actor, decided, &cause);
	return (desk_refusal(c, rc, cause, 0));
}

/* POST /cases/ID/outcome: the finding, the 问题台账, the rewards. */
static void
desk_case_outcome(struct desk_call *c, long long id)
{
	static const struct desk_field f[] = {
		{ "finding", DESK_TEXT, 0, DESK_NOTE_MAX },
		{ "measure", DESK_TEXT, 0, DESK_NOTE_MAX },
		{ "deadline", DESK_TEXT, 0, 10 },
		{ "responsible", DESK_TEXT, 0, DESK_WORD_MAX },
		{ "referral", DESK_TEXT, 0, DESK_WORD_MAX },
		{ "followup", DESK_TEXT, 0, 10 },
		{ "penalty", DESK_INT, 0, 100000000 },
		{ "confiscated", DESK_INT, 0, 100000000 },
		{ "level", DESK_INT, 0, 3 },
		{ "verified", DESK_BOOL, 0, 0 },
		{ "specific", DESK_BOOL, 0, 0 },
		{ "known_before", DESK_BOOL, 0, 0 },
		{ "closed_down", DESK_BOOL, 0, 0 },
	};
	static const char *const dates[] = { "deadline", "followup" };
	struct store_case_outcome	 o;
	const char			*d;
	char				*cause = NULL;
	time_t				 t;
	json_t				*v;
	size_t				 i;
	int				 rc, decided;

	if (desk_body(c, f, sizeof f / sizeof f[0]) != 0)
		return;
	for (i = 0; i < 2; i++) {
		d = desk_str(c, dates[i]);
		if (d != NULL && (strlen(d) != 10 ||
		    clock_parse_query(d, 0, &t) != 0)) {
			desk_fail(c, 400, "field %s: expected YYYY-MM-DD",
			    dates[i]);
			return;
		}
	}
	memset(&o, 0, sizeof o);
	o.finding = desk_str(c, "finding");
	o.measure = desk_str(c, "measure");
	o.deadline = desk_str(c, "deadline");
	o.responsible = desk_str(c, "responsible");
	o.referral = desk_str(c, "referral");
	o.followup = desk_str(c, "followup");
	o.penalty = (v = json_object_get(c->json, "penalty")) != NULL ?
	    json_integer_value(v) : -1;
	o.confiscated = (v = json_object_get(c->json, "confiscated")) !=
	    NULL ? json_integer_value(v) : -1;
	o.level = (v = json_object_get(c->json, "level")) != NULL &&
	    json_integer_value(v) > 0 ? json_integer_value(v) : -1;
	o.verified = (v = json_object_get(c->json, "verified")) != NULL ?
	    json_is_true(v) : o.finding != NULL ? 1 : -1;
	o.specific = (v = json_object_get(c->json, "specific")) != NULL ?
	    json_is_true(v) : o.finding != NULL ? 1 : -1;
	o.known_before = (v = json_object_get(c->json, "known_before")) !=
	    NULL ? json_is_true(v) : o.finding != NULL ? 0 : -1;
	o.closed_down = (v = json_object_get(c->json, "closed_down")) !=
	    NULL ? json_is_true(v) : -1;
	rc = store_case_outcome(c->desk->store, id, &o, clock_now(),
	    c->user.actor, &cause);
	if (desk_refusal(c, rc, cause, 0) != 0 ||
	    desk_award(c, id, &decided) != 0)
		return;
	desk_cases_list(c, NULL, id);
}

/* /cases, /cases/ID, /cases/ID/ACTION */
static void
desk_cases(struct desk_call *c, const char *idp, const char *action)
{
	static const struct desk_field split[] = {
		{ "tip", DESK_TEXT, 1, 16 },
	};
	static const struct desk_field open[] = {
		{ "tips", DESK_STRINGS, 1, 16 },
	};
	long long	 id = desk_number(idp);
	char		*cause = NULL, **codes;
	size_t		 n;
	int		 rc;

	if (idp == NULL && strcmp(c->req->method, "POST") == 0) {
		if (desk_body(c, open, 1) != 0)
			return;
		codes = desk_strs(c, "tips", &n);
		if (n == 0) {
			desk_fail(c, 400, "field tips: at least one tip code");
			return;
		}
		rc = store_case_open(c->desk->store, codes, n, clock_now(),
		    c->user.actor, &id, &cause);
		desk_strs_free(codes, n);
		if (desk_refusal(c, rc, cause, 0) == 0) {
			desk_cases_list(c, NULL, id);
			if (c->status == 200)
				c->status = 201;
		}
		return;
	}
	if (idp == NULL) {
		if (desk_method(c, "GET") == 0 && desk_no_params(c, "state") ==
		    0)
			desk_cases_list(c, c->req->nparams > 0 ?
			    c->req->params[0].value : NULL, 0);
		return;
	}
	if (id == 0) {
		desk_fail(c, 404, "no case %.16s", idp);
		return;
	}
	if (action == NULL) {
		if (desk_method(c, "GET") == 0 && desk_no_params(c, NULL) == 0)
			desk_cases_list(c, NULL, id);
		return;
	}
	if (desk_method(c, "POST") != 0 || desk_no_params(c, NULL) != 0)
		return;
	if (strcmp(action, "outcome") == 0) {
		desk_case_outcome(c, id);
		return;
	}
	if (strcmp(action, "split") == 0) {
		if (desk_body(c, split, 1) != 0)
			return;
		rc = store_case_split(c->desk->store, id, desk_str(c, "tip"),
		    clock_now(), c->user.actor, &cause);
	} else if (strcmp(action, "confirm") == 0 ||
	    strcmp(action, "close") == 0) {
		if (desk_body(c, NULL, 0) != 0)
			return;
		if (strcmp(action, "confirm") == 0)
			rc = store_case_confirm(c->desk->store, id,
			    clock_now(), c->user.actor, &cause);
		else
			rc = store_case_close(c->desk->store, id, clock_now(),
			    c->user.actor, &cause);
	} else {
		desk_fail(c, 404, "no such action: %.32s", action);
		return;
	}
	if (desk_refusal(c, rc, cause, rc > 0 && cause != NULL &&
	    strncmp(cause, "no case", 7) == 0) == 0)
		desk_cases_list(c, NULL, id);
}

static int
desk_reward_cb(const struct store_reward *r, void *arg)
{
	struct desk_cases	*l = arg;
	char			*s = json_reward(r);
	json_t			*o = json_loads(s, 0, NULL);

	free(s);
	if (o == NULL)
		fatalx("api: a reward's JSON cannot be read back");
	json_array_append_new(l->a, o);
	l->n++;
	return (0);
}

/* GET /rewards[?state=&case=], or one reward. */
static void
desk_rewards_list(struct desk_call *c, long long id)
{
	struct desk_cases	 l = { c, json_array(), 0 };
	enum reward_state	 rs;
	const char		*state = NULL;
	long long		 case_id = 0;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; id == 0 && i < c->req->nparams; i++) {
		if (strcmp(c->req->params[i].key, "state") == 0 &&
		    reward_state_parse(c->req->params[i].value, &rs) == 0)
			state = c->req->params[i].value;
		else if (strcmp(c->req->params[i].key, "case") == 0 &&
		    (case_id = desk_number(c->req->params[i].value)) > 0)
			continue;
		else {
			json_decref(l.a);
			desk_fail(c, 400, "parameter %.32s: unknown, or a bad "
			    "value", c->req->params[i].key);
			return;
		}
	}
	if (store_rewards_foreach(c->desk->store, state, case_id, id,
	    desk_reward_cb, &l, &cause) != 0) {
		json_decref(l.a);
		desk_ledger_error(c, cause);
		return;
	}
	if (id == 0) {
		desk_answer(c, 200, desk_dump(json_pack("{s:o}", "rewards",
		    l.a)));
		return;
	}
	if (l.n == 0) {
		json_decref(l.a);
		desk_fail(c, 404, "no reward %lld", id);
		return;
	}
	desk_answer(c, 200, desk_dump(json_incref(json_array_get(l.a, 0))));
	json_decref(l.a);
}

/* POST /rewards/ID/approve|pay|revoke|flag */
static void
desk_reward_change(struct desk_call *c, long long id, const char *action)
{
	static const struct desk_field approve[] = {
		{ "amount", DESK_INT, 0, 1000000 },
	};
	static const struct desk_field revoke[] = {
		{ "reason", DESK_TEXT, 1, DESK_NOTE_MAX },
	};
	static const struct desk_field flag[] = {
		{ "staff", DESK_BOOL, 0, 0 },
		{ "brand_owner", DESK_BOOL, 0, 0 },
		{ "violator", DESK_BOOL, 0, 0 },
		{ "insider", DESK_BOOL, 0, 0 },
		{ "paid_by_other", DESK_BOOL, 0, 0 },
	};
	struct store_reward_change	 ch;
	char				*cause = NULL, *note = NULL;
	json_t				*v;
	int				 rc, flags[5], sent, decided;
	size_t				 i;

	memset(&ch, 0, sizeof ch);
	ch.id = id;
	ch.from = -1;
	ch.level = ch.amount = ch.claim_days = -1;
	ch.at = clock_now();
	ch.actor = c->user.actor;
	if (strcmp(action, "flag") == 0) {
		struct desk_cases	 l = { c, json_array(), 0 };

		if (desk_body(c, flag, 5) != 0) {
			json_decref(l.a);
			return;
		}
		for (i = 0; i < 5; i++)
			flags[i] = json_is_true(json_object_get(c->json,
			    flag[i].name));
		rc = store_reward_flags(c->desk->store, id, flags, ch.at,
		    c->user.actor, &cause);
		if (rc == 0)
			rc = store_rewards_foreach(c->desk->store, NULL, 0, id,
			    desk_reward_cb, &l, &cause);
		v = json_object_get(json_array_get(l.a, 0), "case");
		if (desk_refusal(c, rc, cause, 1) == 0 && v != NULL &&
		    desk_award(c, json_integer_value(v), &decided) == 0)
			desk_rewards_list(c, id);
		json_decref(l.a);
		return;
	}
	if (strcmp(action, "approve") == 0) {
		if (desk_body(c, approve, 1) != 0)
			return;
		ch.event = REWARD_EV_APPROVE;
		if ((v = json_object_get(c->json, "amount")) != NULL) {
			ch.amount = json_integer_value(v);
			xasprintf(&note, "amount=%lld set by hand", ch.amount);
		}
	} else if (strcmp(action, "pay") == 0) {
		if (desk_body(c, NULL, 0) != 0)
			return;
		ch.event = REWARD_EV_PAY;
	} else if (strcmp(action, "revoke") == 0) {
		if (desk_body(c, revoke, 1) != 0)
			return;
		ch.event = REWARD_EV_REVOKE;
		xasprintf(&note, "reason=%s", desk_str(c, "reason"));
	} else {
		desk_fail(c, 404, "no such action: %.32s", action);
		return;
	}
	ch.note = note;
	rc = store_reward_change(c->desk->store, &ch, &cause);
	free(note);
	if (desk_refusal(c, rc, cause, rc > 0 && cause != NULL &&
	    strncmp(cause, "no reward", 9) == 0) != 0)
		return;
	if (ch.event == REWARD_EV_APPROVE && c->desk->templates != NULL &&
	    award_notify(c->desk->store, c->desk->templates,
	    c->desk->say_amount, id, ch.at, c->user.actor, &sent,
	    &cause) != 0) {
		desk_ledger_error(c, cause);
		return;
	}
	desk_rewards_list(c, id);
}

/* GET /reports/monthly?month= | quarterly?quarter= | annual?year= */
static void
desk_report(struct desk_call *c, const char *kind)
{
	static const struct {
		const char	*kind, *param;
	} kinds[] = {
		{ "monthly", "month" },
		{ "quarterly", "quarter" },
		{ "annual", "year" },
	};
	struct report_period	 p;
	struct report		 r;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < 3 && strcmp(kinds[i].kind, kind) != 0; i++)
		;
	if (i == 3) {
		desk_fail(c, 404, "no report %.16s (monthly, quarterly, annual, "
		    "ledger)", kind);
		return;
	}
	if (desk_method(c, "GET") != 0 ||
	    desk_no_params(c, kinds[i].param) != 0)
		return;
	if (c->req->nparams != 1 || report_period_parse(kind,
	    c->req->params[0].value, &p) != 0) {
		desk_fail(c, 400, "parameter %s: missing or not a %s",
		    kinds[i].param, kinds[i].param);
		return;
	}
	if (c->desk->cal == NULL) {
		desk_fail(c, 503, "the holiday calendar is not loaded");
		return;
	}
	report_init(&r, &p);
	if (report_collect(c->desk->store, c->desk->cal,
	    (int)c->desk->ack_days, &r, &cause) != 0) {
		report_free(&r);
		desk_ledger_error(c, cause);
		return;
	}
	desk_answer(c, 200, json_report(&r));
	report_free(&r);
}

/* /cases..., /rewards..., /reports/...: a coordinator's or an admin's. */
void
desk_campaign(struct desk_call *c, const char *what, const char *id,
    const char *action)
{
	long long	 n;

	if (desk_may(c, DESK_STAFF, "work cases, rewards and reports") != 0)
		return;
	if (strcmp(what, "cases") == 0) {
		desk_cases(c, id, action);
		return;
	}
	if (strcmp(what, "reports") == 0) {
		if (id == NULL || action != NULL)
			desk_fail(c, 404, "no such route");
		else if (strcmp(id, "ledger") == 0) {
			if (desk_method(c, "GET") == 0 &&
			    desk_no_params(c, NULL) == 0)
				desk_cases_list(c, NULL, 0);
		} else
			desk_report(c, id);
		return;
	}
	if (id == NULL) {
		if (desk_method(c, "GET") == 0)
			desk_rewards_list(c, 0);
		return;
	}
	if ((n = desk_number(id)) == 0) {
		desk_fail(c, 404, "no reward %.16s", id);
		return;
	}
	if (action == NULL) {
		if (desk_method(c, "GET") == 0 && desk_no_params(c, NULL) == 0)
			desk_rewards_list(c, n);
		return;
	}
	if (desk_method(c, "POST") == 0 && desk_no_params(c, NULL) == 0)
		desk_reward_change(c, n, action);
}
