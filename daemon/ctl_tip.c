/*
 * tipgwctl tips, and tip extend|pause|resume: the tips, and a tip's
 * verification clock by hand.
 * One extension of the period, with the approver (the head of the
 * department, art. 18) and the reason; a pause while samples are tested
 * (testing time does not count) and its end. All audited.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/config.h"
#include "tipgw/deadline.h"
#include "tipgw/json.h"
#include "tipgw/remind.h"
#include "tipgw/store.h"
#include "tipgw/tip_state.h"
#include "tipgw/tipgw.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

/* CODE then --approver/--reason options; -1 on a usage error. */
static int
ctl_tip_args(int argc, char **argv, const char **code, const char **approver,
    const char **reason)
{
	static const struct option opts[] = {
		{ "approver", required_argument, NULL, 'a' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	*code = argv[1];
	argc--;
	argv++;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a' && approver != NULL)
			*approver = optarg;
		else if (ch == 'r' && reason != NULL)
			*reason = optarg;
		else
			return (-1);
	}
	return (optind == argc ? 0 : -1);
}

/* Print the outcome of a change to a tip; the command's status. */
int
ctl_tip_result(int rc, const char *what, const char *code, char *cause)
{
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("tip %s %s\n", code, what);
	return (0);
}

/* One transition of a tip, by this user, now. */
static int
ctl_tip_move(struct ctl *c, struct store_tip_change *ch, char **cause)
{
	ch->actor = c->actor;
	ch->at = clock_now();
	return (store_tip_change(c->store, ch, cause));
}

static int
ctl_tip_extend(struct ctl *c, int argc, char **argv)
{
	struct store_tip_change	 ch;
	const char		*code, *approver = NULL, *reason = NULL;
	char			*cause = NULL, *detail;
	int			 rc;

	if (ctl_tip_args(argc, argv, &code, &approver, &reason) != 0)
		return (-1);
	if (approver == NULL || reason == NULL || *approver == '\0' ||
	    *reason == '\0') {
		fprintf(stderr, "tipgwctl: an extension needs --approver "
		    "(who approved it) and --reason\n");
		return (1);
	}
	memset(&ch, 0, sizeof ch);
	ch.code = code;
	ch.event = TIP_EV_EXTEND;
	ch.approver = approver;
	xasprintf(&detail, "approver=%s reason=%s", approver, reason);
	ch.detail = detail;
	rc = ctl_tip_move(c, &ch, &cause);
	free(detail);
	return (ctl_tip_result(rc, "extended once by the verification period",
	    code, cause));
}

static int
ctl_tip_pause(struct ctl *c, int argc, char **argv)
{
	struct store_tip_change	 ch;
	const char		*code, *reason = NULL;
	char			*cause = NULL, day[16], *detail;
	int			 y, m, d, rc;

	if (ctl_tip_args(argc, argv, &code, NULL, &reason) != 0)
		return (-1);
	if (reason == NULL || *reason == '\0') {
		fprintf(stderr, "tipgwctl: a pause needs --reason (e.g. "
		    "\"sample sent for testing\")\n");
		return (1);
	}
	workday_ymd(clock_china_day(clock_now()), &y, &m, &d);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
	memset(&ch, 0, sizeof ch);
	ch.code = code;
	ch.event = TIP_EV_PAUSE;
	ch.pause_day = day;
	xasprintf(&detail, "from=%s reason=%s", day, reason);
	ch.detail = detail;
	rc = ctl_tip_move(c, &ch, &cause);
	free(detail);
	return (ctl_tip_result(rc, "paused: its clock stops until tipgwctl "
	    "tip resume", code, cause));
}

static int
ctl_tip_resume(struct ctl *c, int argc, char **argv)
{
	struct store_tip_change	 ch;
	struct store_open_tip	*tips;
	struct workday_cal	*cal;
	const char		*code;
	char			*cause = NULL, what[64], detail[32];
	long			 today = clock_china_day(clock_now());
	int			 i, n, y, m, d, days = -1, rc;

	if (ctl_tip_args(argc, argv, &code, NULL, NULL) != 0)
		return (-1);
	if ((cal = workday_load_file(c->conf->holidays, &cause)) == NULL)
		return (ctl_tip_result(1, "", code, cause));
	if (store_open_tips(c->store, &tips, &n, &cause) != 0) {
		workday_free(cal);
		return (ctl_tip_result(1, "", code, cause));
	}
	for (i = 0; i < n; i++) {
		if (strcmp(tips[i].code, code) == 0 &&
		    tips[i].paused_from != NULL && sscanf(tips[i].paused_from,
		    "%d-%d-%d", &y, &m, &d) == 3)
			days = deadline_paused_days(cal, workday_day(y, m, d),
			    today);
	}
	store_open_tips_free(tips, n);
	workday_free(cal);
	if (days < 0) {
		fprintf(stderr, "tipgwctl: no open tip %s with a paused "
		    "clock\n", code);
		return (1);
	}
	snprintf(what, sizeof what, "resumed after %d working day(s)", days);
	memset(&ch, 0, sizeof ch);
	ch.code = code;
	ch.event = TIP_EV_RESUME;
	ch.paused_days = days;
	snprintf(detail, sizeof detail, "paused_days=%d", days);
	ch.detail = detail;
	rc = ctl_tip_move(c, &ch, &cause);
	return (ctl_tip_result(rc, what, code, cause));
}

static int
ctl_tip_print_cb(const struct tip *t, void *arg)
{
	int	*json = arg;
	char	*s, when[32], *p;

	if (*json) {
		s = json_tip(t);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	s = xstrdup(t->text ? t->text : "");
	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	}
	printf("%-6lld %-8s %-20s %-14s %-9s %s\n", t->id,
	    t->code ? t->code : "-",
	    tipgw_time_format(t->received_at, when, sizeof when),
	    t->state ? t->state : "-",
	    t->township_code ? t->township_code : "-", s);
	free(s);
	return (0);
}

static int
ctl_tips(struct ctl *c, int argc, char **argv)
{
	char	*cause = NULL;
	int	 json;

	if (ctl_json_flag(argc, argv, &json) != 0)
		return (-1);
	if (!json)
		printf("%-6s %-8s %-20s %-14s %-9s %s\n", "ID", "CODE",
		    "RECEIVED", "STATE", "TOWNSHIP", "TEXT");
	if (store_tip_foreach(c->store, ctl_tip_print_cb, &json,
	    &cause) != 0) {
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
	.usage = "tips [--json]",
	.exec = ctl_tips,
};

const struct ctl_entry ctl_tip_extend_entry = {
	.name = "tip",
	.sub = "extend",
	.flags = 0,
	.usage = "tip extend CODE --approver NAME --reason TEXT",
	.exec = ctl_tip_extend,
};

const struct ctl_entry ctl_tip_pause_entry = {
	.name = "tip",
	.sub = "pause",
	.flags = 0,
	.usage = "tip pause CODE --reason TEXT",
	.exec = ctl_tip_pause,
};

const struct ctl_entry ctl_tip_resume_entry = {
	.name = "tip",
	.sub = "resume",
	.flags = 0,
	.usage = "tip resume CODE",
	.exec = ctl_tip_resume,
};
