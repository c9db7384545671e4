/*
 * tipgwctl deadlines [--overdue]: every open tip's clock, the nearest
 * deadline first: what the coordinator has to chase, and the tips that
 * wait for the coordinator (no office, returned, unplaced).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/calendar.h"
#include "tipgw/clock.h"
#include "tipgw/config.h"
#include "tipgw/deadline.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

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
static int
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
	if ((cal = calendar_load(c->store, c->conf->holidays, &cause)) == NULL)
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
		    ctl_stage_name(&d[i]), d[i].coordinator ? "coordinator" :
		    d[i].filed ? "case" : "verify", d[i].verify_left,
		    tips[i].extended ? "yes" : "no", tips[i].office != NULL ?
		    tips[i].office : "(coordinator: tipgwctl tip route)");
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

const struct ctl_entry ctl_deadlines_entry = {
	.name = "deadlines",
	.sub = NULL,
	.flags = CTL_READONLY,
	.usage = "deadlines [--overdue]",
	.exec = ctl_deadlines,
};
