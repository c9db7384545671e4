/*
 * tipgwctl tips and tip show: what came in, where it went and what
 * happened. tips lists them (by state, township, day received), every
 * stored field with --json; tip show adds a tip's messages and its
 * history (each event with when, who and what: results and reasons
 * included). Never a reporter's number or a PIN.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tipgw/clock.h"
#include "tipgw/json.h"
#include "tipgw/redact.h"
#include "tipgw/store.h"
#include "tipgw/tip_state.h"
#include "tipgw/tipgw.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

/*
 * A villager's words on one line (newlines and tabs as spaces), phone-
 * like numbers masked.
 */
static char *
ctl_one_line(const char *s)
{
	char	*out = redact_numbers(s != NULL ? s : ""), *p;

	for (p = out; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	}
	return (out);
}

static int
ctl_tip_print_cb(const struct tip *t, void *arg)
{
	int	*json = arg;
	char	*s, when[32];

	if (*json) {
		s = json_tip(t);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	s = ctl_one_line(t->text);
	printf("%-6lld %-8s %-20s %-14s %-9s %s\n", t->id,
	    t->code ? t->code : "-",
	    tipgw_time_format(t->received_at, when, sizeof when),
	    t->state ? t->state : "-",
	    t->township_code ? t->township_code : "-", s);
	free(s);
	return (0);
}

/*
 * A China local date YYYY-MM-DD as the time its day begins (plus days);
 * -1 if s is no date.
 */
static time_t
ctl_day(const char *s, int days)
{
	int	 y, m, d, n = 0;
	long	 day;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    s[n] != '\0' || m < 1 || m > 12 || d < 1 || d > 31)
		return (-1);
	day = workday_day(y, m, d) + days;
	return (clock_china_day_start(day));
}

static int
ctl_tips_options(int argc, char **argv, struct tip_filter *f, int *json)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "township", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	enum tip_state	 state;
	int		 ch;

	memset(f, 0, sizeof *f);
	*json = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (tip_state_parse(optarg, &state) != 0) {
				fprintf(stderr, "tipgwctl: --state %s: not a "
				    "state (received, awaiting_reply, triage, "
				    "unassigned, routed, acknowledged, filed, "
				    "returned, closed)\n", optarg);
				return (1);
			}
			f->state = optarg;
			break;
		case 't':
			if (strlen(optarg) != 9 ||
			    strspn(optarg, "0123456789") != 9) {
				fprintf(stderr, "tipgwctl: --township %s: "
				    "expected a 9-digit township code\n", optarg);
				return (1);
			}
			f->township = optarg;
			break;
		case 'S':
		case 'U':
			if ((ch == 'S' ? (f->since = ctl_day(optarg, 0)) :
			    (f->until = ctl_day(optarg, 1))) == -1) {
				fprintf(stderr, "tipgwctl: %s %s: expected a "
				    "date, YYYY-MM-DD\n", ch == 'S' ? "--since" :
				    "--until", optarg);
				return (1);
			}
			break;
		case 'j':
			*json = 1;
			break;
		default:
			return (-1);
		}
	}
	return (optind == argc ? 0 : -1);
}

/* tips: the tips, oldest first, as the filters choose. */
static int
ctl_tips(struct ctl *c, int argc, char **argv)
{
	struct tip_filter	 f;
	char			*cause = NULL;
	int			 json, rc;

	if ((rc = ctl_tips_options(argc, argv, &f, &json)) != 0)
		return (rc);
	if (!json)
		printf("%-6s %-8s %-20s %-14s %-9s %s\n", "ID", "CODE",
		    "RECEIVED", "STATE", "TOWNSHIP", "TEXT");
	if (store_tip_foreach(c->store, &f, ctl_tip_print_cb, &json,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

struct ctl_show {
	int		 json;
	int		 found;
	long long	 id;
	struct json_doc	*doc;
};

static void
ctl_field(const char *name, const char *value)
{
	if (value != NULL && *value != '\0')
		printf("%-12s %s\n", name, value);
}

static void
ctl_time_field(const char *name, time_t t)
{
	char	 buf[32];

	if (t != 0)
		ctl_field(name, clock_china_format(t, "%Y-%m-%d %H:%M:%S",
		    buf, sizeof buf));
}

static int
ctl_show_tip_cb(const struct tip *t, void *arg)
{
	struct ctl_show	*sh = arg;
	enum tip_state	 state;
	char		 buf[96], *s;

	sh->found = 1;
	sh->id = t->id;
	if (sh->json) {
		sh->doc = json_tip_doc(t);
		return (1);
	}
	ctl_field("code", t->code);
	if (tip_state_parse(t->state, &state) == 0)
		snprintf(buf, sizeof buf, "%s (%s)", t->state,
		    tip_owner_name(tip_state_owner(state)));
	ctl_field("state", buf);
	ctl_time_field("received", t->received_at);
	ctl_field("channel", t->channel);
	snprintf(buf, sizeof buf, "%s %s", t->township_code ?
	    t->township_code : "-", t->township ? t->township : "");
	ctl_field("township", buf);
	ctl_field("village", t->village);
	ctl_field("office", t->office_name);
	ctl_field("kind", t->kind);
	ctl_field("product", t->product);
	ctl_field("shop", t->shop);
	ctl_field("brand", t->brand);
	ctl_time_field("clock from", t->clock_from);
	ctl_time_field("filed", t->filed_at);
	ctl_time_field("closed", t->closed_at);
	ctl_field("result", t->result);
	ctl_field("extended by", t->extended_by);
	s = redact_numbers(t->text != NULL ? t->text : "");
	printf("text\n  %s\n", s);
	free(s);
	return (1);
}

static int
ctl_show_message_cb(const struct store_message *m, void *arg)
{
	struct ctl_show	*sh = arg;
	char		 when[32], *s;

	if (sh->json) {
		json_doc_message(sh->doc, m);
		return (0);
	}
	s = ctl_one_line(m->text);
	printf("  %s %-8s %-12s %s\n", clock_china_format(m->received_at,
	    "%m-%d %H:%M", when, sizeof when), m->disposition ?
	    m->disposition : "-", m->reason ? m->reason : "-", s);
	free(s);
	return (0);
}

static int
ctl_show_event_cb(const struct store_event *e, void *arg)
{
	struct ctl_show	*sh = arg;
	char		 when[32], *s;

	if (sh->json) {
		json_doc_event(sh->doc, e);
		return (0);
	}
	s = ctl_one_line(e->detail);
	printf("  %s %-18s %-20s %s\n", clock_china_format(e->at,
	    "%m-%d %H:%M", when, sizeof when), e->action, e->actor, s);
	free(s);
	return (0);
}

/* tip show CODE: the tip, its messages and its history. */
static int
ctl_tip_show(struct ctl *c, int argc, char **argv)
{
	struct tip_filter	 f;
	struct ctl_show		 sh;
	char			*cause = NULL, *s;
	int			 rc;

	memset(&sh, 0, sizeof sh);
	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	memset(&f, 0, sizeof f);
	f.code = argv[1];
	if (ctl_json_flag(argc - 1, argv + 1, &sh.json) != 0)
		return (-1);
	rc = store_tip_foreach(c->store, &f, ctl_show_tip_cb, &sh, &cause);
	if (rc == 0 && !sh.found) {
		fprintf(stderr, "tipgwctl: no tip %s\n", argv[1]);
		return (1);
	}
	if (rc == 0 && !sh.json)
		printf("messages\n");
	if (rc == 0)
		rc = store_tip_messages(c->store, sh.id, ctl_show_message_cb,
		    &sh, &cause);
	if (rc == 0 && !sh.json)
		printf("history\n");
	if (rc == 0)
		rc = store_tip_history(c->store, sh.id, ctl_show_event_cb,
		    &sh, &cause);
	if (sh.doc != NULL) {
		s = json_doc_finish(sh.doc);
		if (rc == 0)
			printf("%s\n", s);
		free(s);
	}
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

const struct ctl_entry ctl_tips_entry = {
	.name = "tips",
	.sub = NULL,
	.flags = CTL_READONLY,
	.usage = "tips [--state STATE] [--township CODE] [--since DATE] "
	    "[--until DATE] [--json]",
	.exec = ctl_tips,
};

const struct ctl_entry ctl_tip_show_entry = {
	.name = "tip",
	.sub = "show",
	.flags = CTL_READONLY,
	.usage = "tip show CODE [--json]",
	.exec = ctl_tip_show,
};
