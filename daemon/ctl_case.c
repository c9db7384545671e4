/*
 * tipgwctl case list|show|open|confirm|split|outcome|close: tips on one
 * target as one case. list proposes the cases the rules see first
 * (case.c: the same village, or the same shop word in one township,
 * with the same problem, within case_window), then lists them; the
 * coordinator confirms a proposal or splits a tip out of it, opens a
 * case by hand (one tip or several), and records the outcome: the
 * finding, the measure with its deadline and the person responsible
 * (问题台账), the penalty and confiscation, a referral to another
 * department, the 回头看 follow-up date. Every change is one transition
 * of the case table, audited with who did it.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/config.h"
#include "tipgw/json.h"
#include "tipgw/redact.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

#define CTL_CASE_TEXT_MAX	1000	/* bytes of a finding, a measure */

/* CASE: a positive number; 0 if not. */
static long long
ctl_case_id(const char *s)
{
	char		*end;
	long long	 id;

	id = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || id <= 0) {
		fprintf(stderr, "tipgwctl: case %s: expected a case number "
		    "(tipgwctl case list)\n", s);
		return (0);
	}
	return (id);
}

/* The outcome of a change: said on stdout, or why not on stderr. */
static int
ctl_case_done(int rc, char *cause, const char *done)
{
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("%s\n", done);
	return (0);
}

struct ctl_case_print {
	int		 json;
	struct store	*store;
	int		 n;
};

/* The earliest tip, as the list's line shows it (arg: 512 bytes). */
static int
ctl_case_first_cb(const struct store_case_tip *t, void *arg)
{
	snprintf(arg, 512, "%s %s%s%s %s", t->code,
	    t->township ? t->township : "-", t->village ? t->village : "",
	    t->shop ? t->shop : "", t->kind ? t->kind : "-");
	return (1);
}

static int
ctl_case_doc_tip_cb(const struct store_case_tip *t, void *arg)
{
	json_case_tip(arg, t);
	return (0);
}

static int
ctl_case_print_cb(const struct store_case *c, void *arg)
{
	struct ctl_case_print		*p = arg;
	struct json_doc			*d;
	char				*cause = NULL, *s, when[32];
	char				 first[512] = "-";

	p->n++;
	if (p->json) {
		d = json_case_doc(c);
		if (store_case_tips(p->store, c->id, ctl_case_doc_tip_cb, d,
		    &cause) != 0) {
			fprintf(stderr, "tipgwctl: %s\n", cause);
			free(cause);
		}
		s = json_doc_finish(d);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	if (store_case_tips(p->store, c->id, ctl_case_first_cb, first,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
	}
	printf("%-5lld %-10s %2lld tip(s)  %s  first %s\n", c->id, c->state,
	    c->ntips, clock_china_format(c->created_at, "%Y-%m-%d", when,
	    sizeof when), first);
	return (0);
}

/* case list [--state S] [--json]: propose, then list. */
static int
ctl_case_list(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_case_print	 p;
	const char		*state = NULL;
	char			*cause = NULL;
	int			 ch, proposed = 0, joined = 0;

	memset(&p, 0, sizeof p);
	p.store = c->store;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			state = optarg;
		else if (ch == 'j')
			p.json = 1;
		else
			return (-1);
	}
	if (optind != argc)
		return (-1);
	if (store_case_propose(c->store, c->conf->case_window, clock_now(),
	    c->actor, &proposed, &joined, &cause) != 0 ||
	    store_cases_foreach(c->store, state, 0, ctl_case_print_cb, &p,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	if (!p.json && (proposed > 0 || joined > 0))
		fprintf(stderr, "tipgwctl: %d case(s) proposed, %d tip(s) "
		    "joined a case; confirm with tipgwctl case confirm ID, or "
		    "split a tip out\n", proposed, joined);
	if (!p.json && p.n == 0)
		fprintf(stderr, "tipgwctl: no cases\n");
	return (0);
}

static void
ctl_case_field(const char *name, const char *value)
{
	char	*masked;

	if (value == NULL || *value == '\0')
		return;
	masked = redact_numbers(value);
	printf("%-12s %s\n", name, masked);
	free(masked);
}

static void
ctl_case_number(const char *name, long long v, const char *unit)
{
	if (v >= 0)
		printf("%-12s %lld%s\n", name, v, unit);
}

static int
ctl_case_show_tip_cb(const struct store_case_tip *t, void *arg)
{
	int	*n = arg;
	char	 when[32], *words;

	words = redact_numbers(t->text != NULL ? t->text : "");
	printf("  %s %s %-8s %-12s %s%s %s\n    %s\n", (*n)++ == 0 ? "*" :
	    " ", t->code, t->channel, t->state, t->township ?
	    t->township : "-", t->village ? t->village : "",
	    clock_china_format(t->received_at, "%Y-%m-%d %H:%M", when,
	    sizeof when), words);
	free(words);
	return (0);
}

static int
ctl_case_show_cb(const struct store_case *k, void *arg)
{
	struct ctl_case_print	*p = arg;
	char			*cause = NULL, when[32];
	int			 n = 0;

	p->n++;
	if (p->json)
		return (ctl_case_print_cb(k, arg));
	printf("%-12s %lld\n%-12s %s\n", "case", k->id, "state", k->state);
	ctl_case_field("finding", k->finding);
	if (k->verified >= 0)
		printf("%-12s %s\n", "verified", k->verified ? "yes" : "no");
	ctl_case_number("penalty", k->penalty, " yuan");
	ctl_case_number("confiscated", k->confiscated, " yuan");
	ctl_case_number("level", k->level, "");
	ctl_case_field("measure", k->measure);
	ctl_case_field("deadline", k->deadline);
	ctl_case_field("responsible", k->responsible);
	if (k->referral != NULL)
		printf("%-12s %s (%s)\n", "referral", k->referral,
		    clock_china_format(k->referral_at, "%Y-%m-%d", when,
		    sizeof when));
	ctl_case_field("follow-up", k->followup);
	printf("tips (* the first reporter's, by the time received)\n");
	if (store_case_tips(p->store, k->id, ctl_case_show_tip_cb, &n,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
	}
	return (1);
}

/* case show ID [--json] */
static int
ctl_case_show(struct ctl *c, int argc, char **argv)
{
	struct ctl_case_print	 p;
	long long		 id;
	char			*cause = NULL;

	memset(&p, 0, sizeof p);
	p.store = c->store;
	if (argc < 2 || ctl_json_flag(argc - 1, argv + 1, &p.json) != 0)
		return (-1);
	if ((id = ctl_case_id(argv[1])) == 0)
		return (1);
	if (store_cases_foreach(c->store, NULL, id, ctl_case_show_cb, &p,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	if (p.n == 0) {
		fprintf(stderr, "tipgwctl: no case %lld\n", id);
		return (1);
	}
	return (0);
}

/* case open CODE...: a case of these tips, confirmed. */
static int
ctl_case_open(struct ctl *c, int argc, char **argv)
{
	long long	 id;
	char		*cause = NULL, done[64];
	int		 rc;

	if (argc < 2)
		return (-1);
	rc = store_case_open(c->store, argv + 1, (size_t)argc - 1,
	    clock_now(), c->actor, &id, &cause);
	snprintf(done, sizeof done, "opened case %lld", id);
	return (ctl_case_done(rc, cause, done));
}

/* case confirm|close ID: one event of the case, by this user. */
static int
ctl_case_event(struct ctl *c, int argc, char **argv,
    int (*change)(struct store *, long long, time_t, const char *, char **),
    const char *done_word)
{
	long long	 id;
	int		 rc;
	char		*cause = NULL, done[64];

	if (argc != 2)
		return (-1);
	if ((id = ctl_case_id(argv[1])) == 0)
		return (1);
	snprintf(done, sizeof done, "case %lld %s", id, done_word);
	rc = change(c->store, id, clock_now(), c->actor, &cause);
	return (ctl_case_done(rc, cause, done));
}

static int
ctl_case_confirm(struct ctl *c, int argc, char **argv)
{
	return (ctl_case_event(c, argc, argv, store_case_confirm,
	    "confirmed"));
}

static int
ctl_case_close(struct ctl *c, int argc, char **argv)
{
	return (ctl_case_event(c, argc, argv, store_case_close, "closed"));
}

/* case split ID CODE: the tip out of the case, kept apart. */
static int
ctl_case_split(struct ctl *c, int argc, char **argv)
{
	long long	 id;
	int		 rc;
	char		*cause = NULL, done[160];

	if (argc != 3)
		return (-1);
	if ((id = ctl_case_id(argv[1])) == 0)
		return (1);
	snprintf(done, sizeof done, "tip %s taken out of case %lld; it is "
	    "not proposed again", argv[2], id);
	rc = store_case_split(c->store, id, argv[2], clock_now(), c->actor,
	    &cause);
	return (ctl_case_done(rc, cause, done));
}

/* A whole number of yuan; -2 if it is not one. */
static long long
ctl_case_yuan(const char *opt, const char *s)
{
	char		*end;
	long long	 v;

	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 100000000LL) {
		fprintf(stderr, "tipgwctl: --%s %s: expected whole yuan, 0 to "
		    "100000000\n", opt, s);
		return (-2);
	}
	return (v);
}

/* YYYY-MM-DD, a real date. */
static int
ctl_case_date(const char *opt, const char *s)
{
	time_t	 t;

	if (strlen(s) != 10 || clock_parse_query(s, 0, &t) != 0) {
		fprintf(stderr, "tipgwctl: --%s %s: expected YYYY-MM-DD\n",
		    opt, s);
		return (-1);
	}
	return (0);
}

/* Text a person gives: 1 to CTL_CASE_TEXT_MAX bytes, no control. */
static int
ctl_case_text(const char *opt, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			break;
	if (*s == '\0' || *p != '\0' || strlen(s) > CTL_CASE_TEXT_MAX) {
		fprintf(stderr, "tipgwctl: --%s: expected 1 to %d bytes of "
		    "text without control characters\n", opt,
		    CTL_CASE_TEXT_MAX);
		return (-1);
	}
	return (0);
}

/* case outcome ID --finding T [--penalty Y] ... */
static int
ctl_case_outcome(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "finding", required_argument, NULL, 'f' },
		{ "penalty", required_argument, NULL, 'p' },
		{ "confiscated", required_argument, NULL, 'c' },
		{ "measure", required_argument, NULL, 'm' },
		{ "deadline", required_argument, NULL, 'd' },
		{ "responsible", required_argument, NULL, 'r' },
		{ "referral", required_argument, NULL, 'R' },
		{ "followup", required_argument, NULL, 'F' },
		{ "level", required_argument, NULL, 'l' },
		{ "unfounded", no_argument, NULL, 'u' },
		{ "not-specific", no_argument, NULL, 's' },
		{ "known-before", no_argument, NULL, 'k' },
		{ "closed-down", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_case_outcome	 o;
	long long			 id;
	char				*cause = NULL, done[64];
	int				 ch, bad = 0, rc;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	if ((id = ctl_case_id(argv[1])) == 0)
		return (1);
	memset(&o, 0, sizeof o);
	o.verified = o.specific = o.known_before = o.closed_down = -1;
	o.penalty = o.confiscated = o.level = -1;
	argc--;
	argv++;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o.finding = optarg;
			bad |= ctl_case_text("finding", optarg);
			break;
		case 'p':
			if ((o.penalty = ctl_case_yuan("penalty", optarg)) < -1)
				bad = 1;
			break;
		case 'c':
			if ((o.confiscated = ctl_case_yuan("confiscated",
			    optarg)) < -1)
				bad = 1;
			break;
		case 'm':
			o.measure = optarg;
			bad |= ctl_case_text("measure", optarg);
			break;
		case 'd':
			o.deadline = optarg;
			bad |= ctl_case_date("deadline", optarg);
			break;
		case 'r':
			o.responsible = optarg;
			bad |= ctl_case_text("responsible", optarg);
			break;
		case 'R':
			o.referral = optarg;
			bad |= ctl_case_text("referral", optarg);
			break;
		case 'F':
			o.followup = optarg;
			bad |= ctl_case_date("followup", optarg);
			break;
		case 'l':
			if (strlen(optarg) != 1 || *optarg < '1' ||
			    *optarg > '3') {
				fprintf(stderr, "tipgwctl: --level %s: expected "
				    "1, 2 or 3 (the evidence)\n", optarg);
				bad = 1;
			} else
				o.level = *optarg - '0';
			break;
		case 'u':
			o.verified = 0;
			break;
		case 's':
			o.specific = 0;
			break;
		case 'k':
			o.known_before = 1;
			break;
		case 'C':
			o.closed_down = 1;
			break;
		default:
			return (-1);
		}
	}
	if (optind != argc)
		return (-1);
	if (bad)
		return (1);
	/* A finding recorded means the facts were looked into. */
	if (o.finding != NULL && o.verified < 0)
		o.verified = 1;
	if (o.finding != NULL && o.specific < 0)
		o.specific = 1;
	if (o.finding != NULL && o.known_before < 0)
		o.known_before = 0;
	snprintf(done, sizeof done, "case %lld: outcome recorded", id);
	rc = store_case_outcome(c->store, id, &o, clock_now(), c->actor,
	    &cause);
	if ((rc = ctl_case_done(rc, cause, done)) != 0)
		return (rc);
	/* The outcome decides the rewards of the case's reporters. */
	return (ctl_award(c, id));
}

const struct ctl_entry ctl_case_list_entry = {
	.name = "case", .sub = "list", .flags = 0,
	.usage = "case list [--state STATE] [--json]",
	.exec = ctl_case_list,
};

const struct ctl_entry ctl_case_show_entry = {
	.name = "case", .sub = "show", .flags = CTL_READONLY,
	.usage = "case show ID [--json]",
	.exec = ctl_case_show,
};

const struct ctl_entry ctl_case_open_entry = {
	.name = "case", .sub = "open", .flags = 0,
	.usage = "case open CODE...",
	.exec = ctl_case_open,
};

const struct ctl_entry ctl_case_confirm_entry = {
	.name = "case", .sub = "confirm", .flags = 0,
	.usage = "case confirm ID",
	.exec = ctl_case_confirm,
};

const struct ctl_entry ctl_case_split_entry = {
	.name = "case", .sub = "split", .flags = 0,
	.usage = "case split ID CODE",
	.exec = ctl_case_split,
};

const struct ctl_entry ctl_case_outcome_entry = {
	.name = "case", .sub = "outcome", .flags = 0,
	.usage = "case outcome ID [--finding TEXT] [--penalty YUAN] "
	    "[--confiscated YUAN] [--measure TEXT --deadline DATE "
	    "--responsible NAME] [--referral DEPT] [--followup DATE] "
	    "[--level 1|2|3] [--unfounded] [--not-specific] [--known-before] "
	    "[--closed-down]",
	.exec = ctl_case_outcome,
};

const struct ctl_entry ctl_case_close_entry = {
	.name = "case", .sub = "close", .flags = 0,
	.usage = "case close ID",
	.exec = ctl_case_close,
};
