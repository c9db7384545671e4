/*
 * Deadlines (pure): the rules of 市场监督管理行政处罚程序规定 art. 18 and
 * the counting rules of its arts. 80 and 84 (see tipgw.conf(5)): the day
 * the clock starts is not counted; a period in working days ends on a
 * working day; a pause (testing, inspection) stops the clock.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/deadline.h"
#include "tipgw/store.h"
#include "tipgw/tip_state.h"
#include "tipgw/workday.h"

/* The clock of an open tip as the ledger keeps it. */
void
deadline_tip_of(const struct store_open_tip *t, struct deadline_tip *dt)
{
	enum tip_state	 state;
	int		 y, m, d;

	memset(dt, 0, sizeof *dt);
	if (tip_state_parse(t->state, &state) != 0)
		state = TIP_ROUTED;
	dt->from_day = clock_china_day(t->clock_from);
	dt->acknowledged = state != TIP_ROUTED;
	dt->coordinator = tip_state_owner(state) == TIP_OWNER_COORDINATOR;
	dt->extended = t->extended;
	dt->paused_days = t->paused_days;
	dt->paused_from = t->paused_from != NULL &&
	    sscanf(t->paused_from, "%d-%d-%d", &y, &m, &d) == 3 ?
	    workday_day(y, m, d) : -1;
	dt->filed_day = t->filed_at != 0 ? clock_china_day(t->filed_at) : -1;
}

/* Working days from from to to, both included (a pause's days). */
int
deadline_paused_days(const struct workday_cal *cal, long from, long to)
{
	int	 n = 0;
	long	 day;

	for (day = from; day <= to; day++)
		n += workday_is_working(cal, day);
	return (n);
}

void
deadline_compute(const struct workday_cal *cal, int ack_days,
    int verify_days, const struct deadline_tip *t, long today,
    struct deadline *d)
{
	int	 paused = t->paused_days, days;

	d->ack_due = workday_add(cal, t->from_day, ack_days, NULL, 0);
	d->ack_overdue = !t->acknowledged && d->ack_due >= 0 &&
	    today > d->ack_due;
	d->paused = t->paused_from >= 0;
	if (d->paused && today >= t->paused_from)
		paused += deadline_paused_days(cal, t->paused_from, today);
	d->filed = t->filed_day >= 0;
	d->coordinator = t->coordinator;
	if (d->coordinator) {
		/* Routed again within the acknowledge period. */
		d->verify_due = workday_add(cal, t->from_day, ack_days +
		    paused, NULL, 0);
		d->ack_overdue = 0;
		d->filed = 0;
	} else if (d->filed) {
		/* Calendar days; paused (testing) days move it too. */
		days = DEADLINE_CASE_DAYS + (t->extended ?
		    DEADLINE_CASE_EXTENSION : 0) + paused;
		d->verify_due = workday_calendar_days(cal, t->filed_day, days);
		d->ack_overdue = 0;
	} else {
		days = verify_days * (t->extended ? 2 : 1) + paused;
		d->verify_due = workday_add(cal, t->from_day, days, NULL, 0);
	}
	d->verify_left = workday_left(cal, today, d->verify_due);
	if (d->paused)
		d->stage = DEADLINE_RUNNING;
	else if (d->verify_left < 0)
		d->stage = DEADLINE_OVERDUE;
	else if (d->verify_left <= 1)
		d->stage = DEADLINE_D1;
	else if (d->verify_left <= 3)
		d->stage = DEADLINE_D3;
	else
		d->stage = DEADLINE_RUNNING;
}
