/*
 * reward.c: every condition, every exclusion, the tiers with their
 * minimum and cap, an insider, the order of rule sets, two reporters of
 * one case and a late duplicate; and the rule file's parser, on the
 * shipped contrib/rewards.txt and on broken files.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/reward.h"
#include "tipgw/reward_state.h"
#include "tap.h"

static struct reward_book	 book;
static const struct reward_rules *local, *national;

/* A verified, specific, new case; a first reporter with no flag. */
static const struct reward_outcome	 good = { 1, 1, 0, 0, 0, 0, 0, 0 };
static const struct reward_claimant	 first = { 1, 0, 0, 0, 0, 0, 0 };

static void
decide(const struct reward_outcome *o, const struct reward_claimant *c,
    struct reward_decision *d)
{
	const struct reward_rules	*sets[2] = { national, local };

	reward_decide(sets, 2, o, c, d);
}

static void
test_conditions(void)
{
	static const struct {
		const char		*what;
		struct reward_outcome	 o;
		struct reward_claimant	 c;
		const char		*why;	/* NULL: eligible */
	} cases[] = {
		{ "a verified case, the first reporter", { 1, 1, 0, 0, 0, 0,
		    0, 0 }, { 1, 0, 0, 0, 0, 0, 0 }, NULL },
		{ "not verified", { 0, 1, 0, 0, 0, 0, 0, 0 },
		    { 1, 0, 0, 0, 0, 0, 0 }, "not verified" },
		{ "no clear target", { 1, 0, 0, 0, 0, 0, 0, 0 },
		    { 1, 0, 0, 0, 0, 0, 0 }, "no clear target" },
		{ "known before", { 1, 1, 1, 0, 0, 0, 0, 0 },
		    { 1, 0, 0, 0, 0, 0, 0 }, "already known" },
		{ "office staff", { 1, 1, 0, 0, 0, 0, 0, 0 },
		    { 1, 1, 0, 0, 0, 0, 0 }, "office staff" },
		{ "the brand owner", { 1, 1, 0, 0, 0, 0, 0, 0 },
		    { 1, 0, 1, 0, 0, 0, 0 }, "the infringed party" },
		{ "the violator", { 1, 1, 0, 0, 0, 0, 0, 0 },
		    { 1, 0, 0, 1, 0, 0, 0 }, "the violator" },
		{ "the violator's insider", { 1, 1, 0, 0, 0, 0, 0, 0 },
		    { 1, 0, 0, 1, 1, 0, 0 }, NULL },
		{ "paid by another", { 1, 1, 0, 0, 0, 0, 0, 0 },
		    { 1, 0, 0, 0, 0, 1, 0 }, "rewarded by another" },
		{ "not the first reporter", { 1, 1, 0, 0, 0, 0, 0, 0 },
		    { 0, 0, 0, 0, 0, 0, 0 }, "not the first reporter" },
		{ "rewarded for the case already (another channel)",
		    { 1, 1, 0, 0, 0, 0, 0, 0 }, { 1, 0, 0, 0, 0, 0, 1 },
		    "rewarded for this case already" },
	};
	struct reward_decision	 d;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		decide(&cases[i].o, &cases[i].c, &d);
		if (cases[i].why == NULL)
			ok(d.eligible && d.why == NULL, "%s: eligible",
			    cases[i].what);
		else
			ok(!d.eligible && d.why != NULL &&
			    strstr(d.why, cases[i].why) != NULL, "%s: not "
			    "eligible, says why (%s)", cases[i].what,
			    d.why ? d.why : "");
	}
}

static void
test_amounts(void)
{
	static const struct {
		const char	*what;
		long long	 penalty, confiscated;
		int		 police, closed, level, insider;
		const char	*set;
		long long	 amount;
	} cases[] = {
		{ "verified, no penalty: the local amount", 0, 0, 0, 0, 0, 0,
		    "local-food", 100 },
		{ "a penalty: the local amount for one", 2000, 0, 0, 0, 0, 0,
		    "local-food", 200 },
		{ "a large penalty below the threshold: local", 99999, 0, 0,
		    0, 1, 0, "local-food", 200 },
		{ "to the police: major, level 3 minimum", 0, 0, 1, 0, 0, 0,
		    "national-2021", 1000 },
		{ "closed down: major", 0, 0, 0, 1, 2, 0, "national-2021",
		    3000 },
		{ "at the threshold: major, 1% of it", 60000, 40000, 0, 0, 3,
		    0, "national-2021", 1000 },
		{ "level 1: 5% above the minimum", 200000, 100000, 0, 0, 1, 0,
		    "national-2021", 15000 },
		{ "level 2: 3%", 1000000, 0, 0, 0, 2, 0, "national-2021",
		    30000 },
		{ "level 3, unset: 1%", 500000, 0, 0, 0, 0, 0,
		    "national-2021", 5000 },
		{ "level 1 minimum", 100000, 0, 0, 0, 1, 0, "national-2021",
		    5000 },
		{ "the cap: ¥1,000,000", 90000000, 0, 0, 0, 1, 0,
		    "national-2021", 1000000 },
		{ "an insider: doubled", 1000000, 0, 0, 0, 2, 1,
		    "national-2021", 60000 },
		{ "an insider: doubled, still within the cap", 30000000, 0, 0,
		    0, 1, 1, "national-2021", 1000000 },
	};
	struct reward_outcome	 o;
	struct reward_claimant	 c;
	struct reward_decision	 d;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		o = good;
		o.penalty = cases[i].penalty;
		o.confiscated = cases[i].confiscated;
		o.police = cases[i].police;
		o.closed_down = cases[i].closed;
		o.level = cases[i].level;
		c = first;
		c.violator = c.insider = cases[i].insider;
		decide(&o, &c, &d);
		ok(d.eligible && d.rules != NULL &&
		    strcmp(d.rules->name, cases[i].set) == 0, "%s: %s",
		    cases[i].what, cases[i].set);
		is_int(d.amount, cases[i].amount, "%s: ¥%lld", cases[i].what,
		    cases[i].amount);
	}
	/* The local set alone: a major case still gets the local amount. */
	o = good;
	o.police = 1;
	reward_decide(&local, 1, &o, &first, &d);
	ok(d.eligible && d.amount == 1000 && d.rules == local, "the local set "
	    "alone: the police amount");
	/* The national set alone: a small case is covered by nothing. */
	o = good;
	o.penalty = 500;
	reward_decide(&national, 1, &o, &first, &d);
	ok(!d.eligible && d.why != NULL && strstr(d.why, "no rule set"),
	    "the national set alone: a small case is not rewarded");
}

/* Two villagers report one shop; a third texts it again a week later. */
static void
test_reporters(void)
{
	struct reward_outcome	 o = good;
	struct reward_claimant	 c;
	struct reward_decision	 d;

	o.penalty = 3000;
	c = first;
	decide(&o, &c, &d);
	ok(d.eligible && d.amount == 200, "the first reporter of the case: "
	    "¥200");
	c.first = 0;
	decide(&o, &c, &d);
	ok(!d.eligible, "the second reporter of the same case: nothing");
	decide(&o, &c, &d);
	ok(!d.eligible && strstr(d.why, "first"), "a late duplicate: "
	    "nothing, as not the first");
	c = first;
	c.rewarded = 1;
	decide(&o, &c, &d);
	ok(!d.eligible, "the first reporter texting again: one reward per "
	    "person and case");
}

static void
test_parse(void)
{
	static const struct {
		const char	*what;
		const char	*text;
		const char	*error;		/* NULL: parses */
	} cases[] = {
		{ "a fixed set", "[a]\nscope = verified\nbasis = fixed\n"
		    "verified = 50\n", NULL },
		{ "comments and blanks", "# x\n\n[a] # y\nbasis = fixed\n"
		    "verified = 50   # fifty\n", NULL },
		{ "a key outside a set", "basis = fixed\n", "inside a [set]" },
		{ "an unknown key", "[a]\nbasis = fixed\nverified = 1\n"
		    "bonus = 5\n", "unknown key 'bonus'" },
		{ "a bad amount", "[a]\nbasis = fixed\nverified = -5\n",
		    "verified: expected an amount" },
		{ "a bad level", "[a]\nbasis = percent\nlevel1 = five\n",
		    "level1: expected" },
		{ "a percent set without levels", "[a]\nbasis = percent\n"
		    "level1 = 5% 100\n", "needs level1, level2 and level3" },
		{ "a major set without a threshold", "[a]\nscope = major\n"
		    "basis = fixed\npolice = 5\n", "needs major_threshold" },
		{ "a fixed set without amounts", "[a]\nbasis = fixed\n",
		    "needs verified, penalty or police" },
		{ "a set twice", "[a]\nverified = 1\n[a]\nverified = 1\n",
		    "rule set a twice" },
		{ "a bad scope", "[a]\nscope = all\n", "scope: expected" },
		{ "zero claim days", "[a]\nverified = 1\nclaim_days = 0\n",
		    "claim_days: expected" },
		{ "no key", "[a]\nverified\n", "expected key = value" },
	};
	struct reward_book	 b;
	char			*cause;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc = reward_book_parse(&b, "r.txt", cases[i].text, &cause);
		if (cases[i].error == NULL)
			ok(rc == 0, "%s: parses", cases[i].what);
		else
			ok(rc != 0 && cause != NULL &&
			    strstr(cause, cases[i].error) != NULL &&
			    strncmp(cause, "r.txt:", 6) == 0, "%s: refused "
			    "with file:line (%s)", cases[i].what,
			    cause ? cause : "");
		free(cause);
	}
}

/*
 * The reward table, state by event: what each allows, written out here
 * as the issue states the lifecycle, so a change to the table is seen.
 */
static void
test_states(void)
{
	static const struct {
		enum reward_state	 from;
		enum reward_event	 event;
		enum reward_state	 to;
	} allowed[] = {
		{ REWARD_NEW, REWARD_EV_PROPOSE, REWARD_PENDING },
		{ REWARD_PENDING, REWARD_EV_ELIGIBLE, REWARD_ELIGIBLE },
		{ REWARD_PENDING, REWARD_EV_INELIGIBLE, REWARD_INELIGIBLE },
		{ REWARD_INELIGIBLE, REWARD_EV_RECONSIDER, REWARD_PENDING },
		{ REWARD_ELIGIBLE, REWARD_EV_RECONSIDER, REWARD_PENDING },
		{ REWARD_ELIGIBLE, REWARD_EV_APPROVE, REWARD_APPROVED },
		{ REWARD_APPROVED, REWARD_EV_NOTIFY, REWARD_NOTIFIED },
		{ REWARD_NOTIFIED, REWARD_EV_CLAIM, REWARD_CLAIMED },
		{ REWARD_APPROVED, REWARD_EV_CLAIM, REWARD_CLAIMED },
		{ REWARD_NOTIFIED, REWARD_EV_EXPIRE, REWARD_EXPIRED },
		{ REWARD_CLAIMED, REWARD_EV_PAY, REWARD_PAID },
		{ REWARD_PENDING, REWARD_EV_REVOKE, REWARD_REVOKED },
		{ REWARD_ELIGIBLE, REWARD_EV_REVOKE, REWARD_REVOKED },
		{ REWARD_APPROVED, REWARD_EV_REVOKE, REWARD_REVOKED },
		{ REWARD_NOTIFIED, REWARD_EV_REVOKE, REWARD_REVOKED },
		{ REWARD_CLAIMED, REWARD_EV_REVOKE, REWARD_REVOKED },
		{ REWARD_PAID, REWARD_EV_REVOKE, REWARD_REVOKED },
	};
	const struct reward_transition	*t;
	enum reward_state		 st, parsed;
	size_t				 i;
	int				 e, want, bad = 0;

	for (st = REWARD_NEW; (int)st < REWARD_NSTATES; st++) {
		for (e = 0; e < REWARD_NEVENTS; e++) {
			t = reward_next(st, (enum reward_event)e);
			for (i = 0, want = -1; i < sizeof allowed /
			    sizeof allowed[0]; i++)
				if (allowed[i].from == st &&
				    (int)allowed[i].event == e)
					want = (int)allowed[i].to;
			if ((t == NULL) != (want == -1) ||
			    (t != NULL && (int)t->to != want)) {
				bad++;
				printf("# %s --%s--> %s, expected %s\n",
				    reward_state_name(st),
				    reward_event_name((enum reward_event)e),
				    t ? reward_state_name(t->to) : "refused",
				    want >= 0 ? reward_state_name(
				    (enum reward_state)want) : "refused");
			}
		}
		ok(reward_state_parse(reward_state_name(st), &parsed) == 0 &&
		    parsed == st, "state %s: its name", reward_state_name(st));
	}
	is_int(bad, 0, "every state and event: the table is the lifecycle");
	ok(reward_next(REWARD_PAID, REWARD_EV_PAY) == NULL &&
	    reward_next(REWARD_EXPIRED, REWARD_EV_CLAIM) == NULL &&
	    reward_next(REWARD_INELIGIBLE, REWARD_EV_APPROVE) == NULL,
	    "paid twice, a late claim, approving a refusal: refused");
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	char		 path[1024], *cause = NULL;

	snprintf(path, sizeof path, "%s/contrib/rewards.txt",
	    top != NULL ? top : ".");
	if (reward_book_load(&book, path, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		return (1);
	}
	local = reward_book_find(&book, "local-food");
	national = reward_book_find(&book, "national-2021");
	ok(local != NULL && national != NULL && book.nsets == 2, "the shipped "
	    "rule sets: local-food and national-2021");
	ok(national->major_threshold == 100000 && national->cap == 1000000 &&
	    national->percent[0] == 5 && national->minimum[2] == 1000,
	    "national-2021 as the measures say");
	test_conditions();
	test_amounts();
	test_reporters();
	test_parse();
	test_states();
	return (done_testing());
}
