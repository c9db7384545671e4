/*
 * tipgwctl tip extend|pause|resume: a tip's verification clock by hand;
 * tipgwctl deadlines: every open tip's clock.
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
#include "tipgw/remind.h"
#include "tipgw/store.h"
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

static int
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

int
ctl_tip_extend(struct ctl *c, int argc, char **argv)
{
	const char	*code, *approver = NULL, *reason = NULL;
	char		*cause = NULL;
	int		 rc;

	if (ctl_tip_args(argc, argv, &code, &approver, &reason) != 0)
		return (-1);
	if (approver == NULL || reason == NULL || *approver == '\0' ||
	    *reason == '\0') {
		fprintf(stderr, "tipgwctl: an extension needs --approver "
		    "(who approved it) and --reason\n");
		return (1);
	}
	rc = store_tip_extend(c->store, code, approver, reason, clock_now(),
	    c->actor, &cause);
	return (ctl_tip_result(rc, "extended once by the verification period",
	    code, cause));
}

int
ctl_tip_pause(struct ctl *c, int argc, char **argv)
{
	const char	*code, *reason = NULL;
	char		*cause = NULL, day[16];
	int		 y, m, d, rc;

	if (ctl_tip_args(argc, argv, &code, NULL, &reason) != 0)
		return (-1);
	if (reason == NULL || *reason == '\0') {
		fprintf(stderr, "tipgwctl: a pause needs --reason (e.g. "
		    "\"sample sent for testing\")\n");
		return (1);
	}
	workday_ymd(clock_china_day(clock_now()), &y, &m, &d);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
	rc = store_tip_pause(c->store, code, day, reason, clock_now(),
	    c->actor, &cause);
	return (ctl_tip_result(rc, "paused: its clock stops until tipgwctl "
	    "tip resume", code, cause));
}

int
ctl_tip_resume(struct ctl *c, int argc, char **argv)
{
	struct store_open_tip	*tips;
	struct workday_cal	*cal;
	const char		*code;
	char			*cause = NULL, what[64];
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
	rc = store_tip_resume(c->store, code, days, clock_now(), c->actor,
	    &cause);
	return (ctl_tip_result(rc, what, code, cause));
}

static const char *
ctl_stage_name(const struct deadline *d)
{
	if (d->paused)
		return ("paused");
	switch (d->stage) {
	case DEADLINE_D3:
		return ("D-3");
	case DEADLINE_D1:
		return ("D-1");
	case DEADLINE_OVERDUE:
		return ("overdue");
	default:
		return (d->ack_overdue ? "unacked" : "running");
	}
}

/*
 * tipgwctl deadlines [--overdue]: the open tips and their clocks, the
 * nearest deadline first: what the coordinator has to chase.
 */
int
ctl_deadlines(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "overdue", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_open_tip	*tips;
	struct workday_cal	*cal;
	struct deadline		*d;
	struct deadline_tip	 dt;
	char			*cause = NULL;
	long			 today = clock_china_day(clock_now());
	int			 ch, i, j, n, y, m, dd, overdue = 0, shown = 0;
	int			*order;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'o')
			return (-1);
		overdue = 1;
	}
	if (optind != argc)
		return (-1);
	if ((cal = workday_load_file(c->conf->holidays, &cause)) == NULL)
		return (ctl_tip_result(1, "", "", cause));
	if (store_open_tips(c->store, &tips, &n, &cause) != 0) {
		workday_free(cal);
		return (ctl_tip_result(1, "", "", cause));
	}
	d = xcalloc((size_t)n + 1, sizeof *d);
	order = xcalloc((size_t)n + 1, sizeof *order);
	for (i = 0; i < n; i++) {
		deadline_tip_of(&tips[i], &dt);
		deadline_compute(cal, (int)c->conf->ack_days,
		    (int)c->conf->verify_days, &dt, today, &d[i]);
		/* Insertion sort by due day: a few hundred open tips. */
		for (j = i; j > 0 && d[order[j - 1]].verify_due >
		    d[i].verify_due; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	printf("%-8s %-12s %-10s %-12s %-10s %4s %-8s %s\n", "CODE", "STATE",
	    "DUE", "STAGE", "CLOCK", "LEFT", "EXTENDED", "OFFICE");
	for (j = 0; j < n; j++) {
		i = order[j];
		if (overdue && d[i].stage != DEADLINE_OVERDUE &&
		    !d[i].ack_overdue)
			continue;
		workday_ymd(d[i].verify_due, &y, &m, &dd);
		printf("%-8s %-12s %04d-%02d-%02d %-12s %-10s %4d %-8s %s\n",
		    tips[i].code, tips[i].state, y, m, dd,
		    ctl_stage_name(&d[i]), d[i].filed ? "case" : "verify",
		    d[i].verify_left, tips[i].extended ? "yes" : "no",
		    tips[i].office);
		shown++;
	}
	if (shown == 0)
		printf("(no %s)\n", overdue ? "overdue tips" : "open tips");
	free(order);
	free(d);
	store_open_tips_free(tips, n);
	workday_free(cal);
	return (0);
}
