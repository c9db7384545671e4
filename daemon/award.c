/*
 * Awarding a case (award.h): a pending reward for each of its tips,
 * then, once its outcome is recorded, each reward decided by reward.c:
 * the first tip of the case holds first-reporter priority, a reporter's
 * later tip of the same case is never a second reward, and the
 * exclusions are the flags a person confirmed. A decision already made
 * is reconsidered when the outcome or a flag changed it, unless the
 * reward went further (approved, notified ...): then a person acts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/award.h"
#include "tipgw/reward.h"
#include "tipgw/reward_state.h"
#include "tipgw/store.h"
#include "tipgw/template.h"
#include "tipgw/xmalloc.h"

struct award_reward {
	long long		 id;
	enum reward_state	 state;
	struct reward_claimant	 claimant;
	char			*rule_set;
	long long		 amount;
};

struct award {
	struct reward_outcome	 outcome;
	int			 decided;	/* the case has an outcome */
	struct award_reward	*r;
	size_t			 n;
};

struct award_one {
	long long	 amount;
	long long	 claim_days;
	char		 code[16];
	int		 found;
};

static int
award_one_cb(const struct store_reward *r, void *arg)
{
	struct award_one	*o = arg;

	o->found = 1;
	o->amount = r->amount;
	o->claim_days = r->claim_days;
	snprintf(o->code, sizeof o->code, "%s", r->code);
	return (1);
}

/*
 * An approved reward's reporter is told how to claim it, by the
 * template reward_notice (reward_notice_amount when the amount is said),
 * unless anonymous or opted out: *sent 0, and the code and PIN claim it
 * alone. 0, 1 (no such reward, or refused), -1.
 */
int
award_notify(struct store *st, const struct templates *t, int say_amount,
    long long id, time_t at, const char *actor, int *sent, char **cause)
{
	struct award_one	 o;
	struct template_var	 v[3];
	char			*body, days[24], amount[24];
	int			 rc;

	*sent = 0;
	memset(&o, 0, sizeof o);
	if (store_rewards_foreach(st, NULL, 0, id, award_one_cb, &o,
	    cause) != 0)
		return (-1);
	if (!o.found) {
		xasprintf(cause, "no reward %lld", id);
		return (1);
	}
	snprintf(days, sizeof days, "%lld", o.claim_days > 0 ?
	    o.claim_days : 30);
	snprintf(amount, sizeof amount, "%lld", o.amount > 0 ? o.amount : 0);
	v[0].name = "code";
	v[0].value = o.code;
	v[1].name = "days";
	v[1].value = days;
	v[2].name = "amount";
	v[2].value = amount;
	body = template_render(t, say_amount ? "reward_notice_amount" :
	    "reward_notice", v, 3);
	if (body == NULL) {
		xasprintf(cause, "the template reward_notice is missing");
		return (-1);
	}
	rc = store_reward_notify(st, id, body, at, actor, sent, cause);
	free(body);
	return (rc);
}

static int
award_case_cb(const struct store_case *c, void *arg)
{
	struct award	*a = arg;

	a->decided = strcmp(c->state, "decided") == 0 ||
	    strcmp(c->state, "closed") == 0;
	a->outcome.verified = c->verified == 1;
	a->outcome.specific = c->specific == 1;
	a->outcome.known_before = c->known_before == 1;
	a->outcome.penalty = c->penalty > 0 ? c->penalty : 0;
	a->outcome.confiscated = c->confiscated > 0 ? c->confiscated : 0;
	a->outcome.police = c->referral != NULL &&
	    strstr(c->referral, "公安") != NULL;
	a->outcome.closed_down = c->closed_down == 1;
	a->outcome.level = c->level > 0 ? (int)c->level : 0;
	return (1);
}

static int
award_reward_cb(const struct store_reward *r, void *arg)
{
	struct award		*a = arg;
	struct award_reward	*w;

	a->r = xreallocarray(a->r, a->n + 1, sizeof *a->r);
	w = &a->r[a->n++];
	memset(w, 0, sizeof *w);
	w->id = r->id;
	if (reward_state_parse(r->state, &w->state) != 0)
		w->state = REWARD_REVOKED;	/* never decided again */
	w->claimant.first = r->earlier_tips == 0;
	w->claimant.rewarded = r->earlier_own > 0;
	w->claimant.staff = r->staff;
	w->claimant.brand_owner = r->brand_owner;
	w->claimant.violator = r->violator;
	w->claimant.insider = r->insider;
	w->claimant.paid = r->paid_by_other;
	w->rule_set = r->rule_set != NULL ? xstrdup(r->rule_set) : NULL;
	w->amount = r->amount;
	return (0);
}

static void
award_free(struct award *a)
{
	size_t	 i;

	for (i = 0; i < a->n; i++)
		free(a->r[i].rule_set);
	free(a->r);
}

/* Has the decision changed what the reward says? */
static int
award_changed(const struct award_reward *w, const struct reward_decision *d)
{
	if ((w->state == REWARD_ELIGIBLE) != d->eligible)
		return (1);
	if (!d->eligible)
		return (0);
	return (w->amount != d->amount || w->rule_set == NULL ||
	    strcmp(w->rule_set, d->rules->name) != 0);
}

static int
award_apply(struct store *st, const struct award_reward *w,
    const struct reward_decision *d, time_t at, const char *actor,
    char **cause)
{
	struct store_reward_change	 ch;
	int				 rc;

	memset(&ch, 0, sizeof ch);
	ch.id = w->id;
	ch.at = at;
	ch.actor = actor;
	ch.level = ch.amount = ch.claim_days = -1;
	ch.from = (int)w->state;
	if (w->state != REWARD_PENDING) {
		ch.event = REWARD_EV_RECONSIDER;
		ch.note = "the outcome or an exclusion changed";
		if ((rc = store_reward_change(st, &ch, cause)) != 0)
			return (rc);
		ch.from = REWARD_PENDING;
		ch.note = NULL;
	}
	ch.decided = 1;
	if (d->eligible) {
		ch.event = REWARD_EV_ELIGIBLE;
		ch.rule_set = d->rules->name;
		ch.level = d->level;
		ch.amount = d->amount;
		ch.claim_days = d->rules->claim_days;
	} else {
		ch.event = REWARD_EV_INELIGIBLE;
		ch.why = d->why;
	}
	return (store_reward_change(st, &ch, cause));
}

/*
 * Open the case's rewards and decide those a person has not taken
 * further: 0 with *decided (rewards whose decision was made or
 * changed), 1 when the ledger refused a change, -1.
 */
int
award_case(struct store *st, const struct reward_rules *const *sets,
    size_t nsets, long long case_id, time_t at, const char *actor,
    int *decided, char **cause)
{
	struct award		 a;
	struct reward_decision	 d;
	size_t			 i;
	int			 opened, rc;

	*decided = 0;
	memset(&a, 0, sizeof a);
	if ((rc = store_rewards_open(st, case_id, at, actor, &opened,
	    cause)) != 0)
		return (rc);
	if (store_cases_foreach(st, NULL, case_id, award_case_cb, &a,
	    cause) != 0 || store_rewards_foreach(st, NULL, case_id, 0,
	    award_reward_cb, &a, cause) != 0) {
		award_free(&a);
		return (-1);
	}
	for (i = 0, rc = 0; a.decided && rc == 0 && i < a.n; i++) {
		if (a.r[i].state != REWARD_PENDING &&
		    a.r[i].state != REWARD_ELIGIBLE &&
		    a.r[i].state != REWARD_INELIGIBLE)
			continue;
		reward_decide(sets, nsets, &a.outcome, &a.r[i].claimant, &d);
		if (a.r[i].state != REWARD_PENDING &&
		    !award_changed(&a.r[i], &d))
			continue;
		if ((rc = award_apply(st, &a.r[i], &d, at, actor,
		    cause)) == 0)
			(*decided)++;
	}
	award_free(&a);
	return (rc);
}
