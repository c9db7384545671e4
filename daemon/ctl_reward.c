/*
 * tipgwctl reward list|show|flag|approve|pay|revoke: the rewards of the
 * cases. A case's rewards are opened and decided when its outcome is
 * recorded (tipgwctl case outcome), by the rule sets reward_rules names
 * in reward_rules_file; a person confirms the exclusions of a reporter
 * (flag, which decides again), approves the amount, records the payment
 * or revokes with a reason. Every change is one transition of the
 * reward table, audited with who did it.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/award.h"
#include "tipgw/clock.h"
#include "tipgw/config.h"
#include "tipgw/json.h"
#include "tipgw/reward.h"
#include "tipgw/reward_state.h"
#include "tipgw/store.h"
#include "tipgw/template.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

/*
 * Decide the rewards of case id by the configured rule sets; say what
 * changed. 0, or 1 after saying why not.
 */
int
ctl_award(struct ctl *c, long long id)
{
	struct reward_book		 book;
	const struct reward_rules	*sets[REWARD_MAX_SETS];
	size_t				 n;
	char				*cause = NULL;
	int				 decided;

	if (reward_book_load(&book, c->conf->reward_rules_file, &cause) != 0 ||
	    reward_book_select(&book, c->conf->reward_rules, sets, &n,
	    &cause) != 0 || award_case(c->store, sets, n, id, clock_now(),
	    c->actor, &decided, &cause) != 0) {
		fprintf(stderr, "tipgwctl: rewards of case %lld: %s\n", id,
		    cause);
		free(cause);
		return (1);
	}
	if (decided > 0)
		printf("case %lld: %d reward(s) decided (tipgwctl reward list "
		    "--case %lld)\n", id, decided, id);
	return (0);
}

static long long
ctl_reward_id(const char *s)
{
	char		*end;
	long long	 id = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || id <= 0) {
		fprintf(stderr, "tipgwctl: reward %s: expected a reward number "
		    "(tipgwctl reward list)\n", s);
		return (0);
	}
	return (id);
}

struct ctl_reward_print {
	int	 json;
	int	 n;
	long long case_id;
};

static int
ctl_reward_print_cb(const struct store_reward *r, void *arg)
{
	struct ctl_reward_print	*p = arg;
	char			*s, amount[32];

	p->n++;
	p->case_id = r->case_id;
	if (p->json) {
		s = json_reward(r);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	if (r->amount >= 0)
		snprintf(amount, sizeof amount, "%lld yuan", r->amount);
	else
		snprintf(amount, sizeof amount, "-");
	printf("%-5lld case %-4lld %-7s %-10s %-12s %-14s %s\n", r->id,
	    r->case_id, r->code, r->state, amount, r->rule_set != NULL ?
	    r->rule_set : "-", r->why != NULL ? r->why :
	    r->earlier_tips == 0 ? "first reporter" : "");
	return (0);
}

/* reward list [--state S] [--case ID] [--json] */
static int
ctl_reward_list(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "case", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_reward_print	 p;
	enum reward_state	 rs;
	const char		*state = NULL;
	long long		 case_id = 0;
	char			*cause = NULL, *end;
	int			 ch;

	memset(&p, 0, sizeof p);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			state = optarg;
		else if (ch == 'c') {
			case_id = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || case_id <= 0) {
				fprintf(stderr, "tipgwctl: --case %s: expected "
				    "a case number\n", optarg);
				return (1);
			}
		} else if (ch == 'j')
			p.json = 1;
		else
			return (-1);
	}
	if (optind != argc)
		return (-1);
	if (state != NULL && reward_state_parse(state, &rs) != 0) {
		fprintf(stderr, "tipgwctl: --state %s: expected pending, "
		    "ineligible, eligible, approved, notified, claimed, paid, "
		    "expired or revoked\n", state);
		return (1);
	}
	if (store_rewards_foreach(c->store, state, case_id, 0,
	    ctl_reward_print_cb, &p, &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	if (!p.json && p.n == 0)
		fprintf(stderr, "tipgwctl: no rewards\n");
	return (0);
}

/* One change of reward id by this user: 0, or 1 after saying why not. */
static int
ctl_reward_move(struct ctl *c, long long id, enum reward_event event,
    long long amount, const char *note, const char *done)
{
	struct store_reward_change	 ch;
	char				*cause = NULL;
	int				 rc;

	memset(&ch, 0, sizeof ch);
	ch.id = id;
	ch.from = -1;
	ch.event = event;
	ch.level = ch.claim_days = -1;
	ch.amount = amount;	/* >= 0: set with the change */
	ch.note = note;
	ch.at = clock_now();
	ch.actor = c->actor;
	rc = store_reward_change(c->store, &ch, &cause);
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("reward %lld %s\n", id, done);
	return (0);
}

/* The approved reward's reporter told how to claim it (award.c). */
static int
ctl_reward_notify(struct ctl *c, long long id)
{
	struct templates	*t;
	char			*cause = NULL, *shipped;
	int			 sent, rc;

	xasprintf(&shipped, "%s/templates.txt", tipgw_datadir());
	t = templates_load(c->conf->templates, shipped, &cause);
	free(shipped);
	rc = t != NULL ? award_notify(c->store, t, c->conf->reward_sms_amount,
	    id, clock_now(), c->actor, &sent, &cause) : -1;
	templates_free(t);
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: reward %lld: %s\n", id, cause);
		free(cause);
		return (1);
	}
	if (sent)
		printf("reward %lld: the reporter is told how to claim it by "
		    "SMS\n", id);
	else
		printf("reward %lld: no SMS (an anonymous reporter, or one who "
		    "opted out); the tip's code and PIN claim it\n", id);
	return (0);
}

/* reward approve ID [--amount YUAN] */
static int
ctl_reward_approve(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "amount", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	long long			 id, amount = -1;
	char				*end, note[64], done[64];
	int				 opt, rc;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	if ((id = ctl_reward_id(argv[1])) == 0)
		return (1);
	argc--;
	argv++;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 'a')
			return (-1);
		amount = strtoll(optarg, &end, 10);
		if (*optarg == '\0' || *end != '\0' || amount < 0 ||
		    amount > 1000000) {
			fprintf(stderr, "tipgwctl: --amount %s: expected whole "
			    "yuan, 0 to 1000000\n", optarg);
			return (1);
		}
	}
	if (optind != argc)
		return (-1);
	if (amount < 0)
		rc = ctl_reward_move(c, id, REWARD_EV_APPROVE, -1, NULL,
		    "approved");
	else {
		/* A person's amount, kept with the approval. */
		snprintf(note, sizeof note, "amount=%lld set by hand", amount);
		snprintf(done, sizeof done, "approved: %lld yuan", amount);
		rc = ctl_reward_move(c, id, REWARD_EV_APPROVE, amount, note,
		    done);
	}
	return (rc != 0 ? rc : ctl_reward_notify(c, id));
}

static int
ctl_reward_pay(struct ctl *c, int argc, char **argv)
{
	long long	 id;

	if (argc != 2)
		return (-1);
	if ((id = ctl_reward_id(argv[1])) == 0)
		return (1);
	return (ctl_reward_move(c, id, REWARD_EV_PAY, -1, NULL, "paid"));
}

/* reward revoke ID --reason TEXT */
static int
ctl_reward_revoke(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	long long	 id;
	const char	*reason = NULL;
	char		*note;
	int		 opt, rc;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	if ((id = ctl_reward_id(argv[1])) == 0)
		return (1);
	argc--;
	argv++;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 'r')
			return (-1);
		reason = optarg;
	}
	if (optind != argc)
		return (-1);
	if (reason == NULL || *reason == '\0') {
		fprintf(stderr, "tipgwctl: a revocation needs --reason\n");
		return (1);
	}
	xasprintf(&note, "reason=%s", reason);
	rc = ctl_reward_move(c, id, REWARD_EV_REVOKE, -1, note, "revoked");
	free(note);
	return (rc);
}

/* reward flag ID [--staff] [--brand-owner] [--violator] ... */
static int
ctl_reward_flag(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "staff", no_argument, NULL, 0 },
		{ "brand-owner", no_argument, NULL, 1 },
		{ "violator", no_argument, NULL, 2 },
		{ "insider", no_argument, NULL, 3 },
		{ "paid", no_argument, NULL, 4 },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_reward_print	 p;
	long long		 id;
	char			*cause = NULL;
	int			 opt, flags[5] = { 0, 0, 0, 0, 0 };

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	if ((id = ctl_reward_id(argv[1])) == 0)
		return (1);
	argc--;
	argv++;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt < 0 || opt > 4)
			return (-1);
		flags[opt] = 1;
	}
	if (optind != argc)
		return (-1);
	memset(&p, 0, sizeof p);
	if (store_reward_flags(c->store, id, flags, clock_now(), c->actor,
	    &cause) != 0 || store_rewards_foreach(c->store, NULL, 0, id,
	    ctl_reward_print_cb, &p, &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (ctl_award(c, p.case_id));
}

const struct ctl_entry ctl_reward_list_entry = {
	.name = "reward", .sub = "list", .flags = CTL_READONLY,
	.usage = "reward list [--state STATE] [--case ID] [--json]",
	.exec = ctl_reward_list,
};

const struct ctl_entry ctl_reward_flag_entry = {
	.name = "reward", .sub = "flag", .flags = 0,
	.usage = "reward flag ID [--staff] [--brand-owner] [--violator] "
	    "[--insider] [--paid]",
	.exec = ctl_reward_flag,
};

const struct ctl_entry ctl_reward_approve_entry = {
	.name = "reward", .sub = "approve", .flags = 0,
	.usage = "reward approve ID [--amount YUAN]",
	.exec = ctl_reward_approve,
};

const struct ctl_entry ctl_reward_pay_entry = {
	.name = "reward", .sub = "pay", .flags = 0,
	.usage = "reward pay ID",
	.exec = ctl_reward_pay,
};

const struct ctl_entry ctl_reward_revoke_entry = {
	.name = "reward", .sub = "revoke", .flags = 0,
	.usage = "reward revoke ID --reason TEXT",
	.exec = ctl_reward_revoke,
};
