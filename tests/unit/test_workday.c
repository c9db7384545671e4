/*
 * workday.c: the working-day calendar on the 2026 holidays shipped in
 * contrib/holidays-cn.txt: weekends, holidays, 调休 Saturdays and Sundays,
 * year boundaries, extensions, paused days, calendar-day periods.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tipgw/clock.h"
#include "tipgw/deadline.h"
#include "tipgw/workday.h"

static struct workday_cal	*cal;

#define D(y, m, d)	workday_day((y), (m), (d))

static void
setup(void)
{
	char	*text = tap_read_srcfile("contrib/holidays-cn.txt");
	char	*cause = NULL;

	cal = workday_new();
	if (workday_load(cal, "contrib/holidays-cn.txt", text, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	free(text);
}

static char *
ymd(long day)
{
	static char	 buf[4][16];
	static int	 i;
	int		 y, m, d;

	workday_ymd(day, &y, &m, &d);
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%04d-%02d-%02d", y, m, d);
	return (buf[i]);
}

static void
test_dates(void)
{
	char	 buf[32];

	is_int(D(1970, 1, 1), 0, "day 0 is 1970-01-01");
	is_str(ymd(D(2026, 11, 23)), "2026-11-23", "round trip");
	is_str(ymd(D(2024, 2, 29) + 1), "2024-03-01", "leap day");
	is_str(ymd(D(2026, 12, 31) + 1), "2027-01-01", "new year");
	is_int(clock_china_day(1795449600), D(2026, 11, 24),
	    "2026-11-23T16:00Z is already the 24th in China");
	is_int(clock_china_day(1795449599), D(2026, 11, 23),
	    "a second earlier it is still the 23rd");
	is_int(clock_china_day(-28801), -1,
	    "1969-12-31T15:59:59Z: the last second of 1969 in China");
	is_int(clock_china_minute(1795449600), 0, "China midnight: minute 0");
	is_int(clock_china_minute(1795449600 - 60), 23 * 60 + 59,
	    "a minute before: 23:59");
	is_int(clock_china_midnight(1795449600 - 1), 1795449600,
	    "the next midnight");
	is_int(clock_china_midnight(1795449600), 1795449600 + 86400,
	    "at midnight: the one after");
	is_int(clock_china_day_start(D(2026, 11, 24)), 1795449600,
	    "the 24th begins at 16:00 UTC on the 23rd");
	is_str(clock_china_format(1795449600 + 3661, "%Y-%m-%d %H:%M:%S",
	    buf, sizeof buf), "2026-11-24 01:01:01", "formatted in China");
}

static void
test_days(void)
{
	ok(workday_is_working(cal, D(2026, 11, 23)), "a Monday works");
	ok(!workday_is_working(cal, D(2026, 11, 22)), "a Sunday rests");
	ok(!workday_is_working(cal, D(2026, 10, 1)), "国庆 rests");
	ok(!workday_is_working(cal, D(2026, 2, 23)), "春节 Monday rests");
	ok(workday_is_working(cal, D(2026, 10, 10)), "调休 Saturday works");
	ok(workday_is_working(cal, D(2026, 9, 20)), "调休 Sunday works");
	ok(workday_covers(cal, D(2026, 6, 1)), "2026 is covered");
	ok(!workday_covers(cal, D(2027, 6, 1)), "2027 is not yet");
}

static void
test_periods(void)
{
	struct workday_pause	 testing = { D(2026, 10, 12), D(2026, 10, 16) };
	long			 due;

	due = workday_add(cal, D(2026, 9, 24), 15, NULL, 0);
	is_str(ymd(due), "2026-10-22",
	    "15 working days across 中秋 and 国庆, with a 调休 Saturday");
	is_str(ymd(workday_add(cal, due, 15, NULL, 0)), "2026-11-12",
	    "one extension of 15 working days");
	is_str(ymd(workday_add(cal, D(2026, 9, 24), 15, &testing, 1)),
	    "2026-10-29", "five working days of testing do not count");
	is_str(ymd(workday_add(cal, D(2025, 12, 30), 3, NULL, 0)),
	    "2026-01-05", "across the year, 元旦 and its 调休 Sunday");
	is_str(ymd(workday_add(cal, D(2026, 11, 20), 1, NULL, 0)),
	    "2026-11-23", "the day of receipt is not counted (Friday -> "
	    "Monday)");
	is_str(ymd(workday_calendar_days(cal, D(2026, 7, 4), 90)),
	    "2026-10-08", "90 calendar days ending in 国庆 move to its end");
	is_str(ymd(workday_calendar_days(cal, D(2026, 11, 2), 7)),
	    "2026-11-09", "7 calendar days ending on a Monday stay");
	is_int(workday_add(cal, 0, -1, NULL, 0), -1, "a negative period");
	is_int(workday_left(cal, D(2026, 10, 20), D(2026, 10, 22)), 2,
	    "two working days left");
	is_int(workday_left(cal, D(2026, 10, 22), D(2026, 10, 22)), 0,
	    "the last day is still in time");
	is_int(workday_left(cal, D(2026, 10, 26), D(2026, 10, 22)), -2,
	    "overdue by two working days (over a weekend)");
}

static void
test_errors(void)
{
	struct workday_cal	*c = workday_new();
	char			*cause = NULL;

	is_int(workday_load(c, "h.txt", "# ok\n2026-02-30 holiday\n"
	    "2026-03-01 rest\n", &cause), -1, "bad lines refused");
	is_str(cause, "h.txt:2: expected \"YYYY-MM-DD holiday\" or "
	    "\"YYYY-MM-DD workday\" with a real date", "first bad line named");
	free(cause);
	workday_free(c);
}

static void
test_deadlines(void)
{
	struct deadline_tip	 t;
	struct deadline		 d;
	/* Received Friday 2026-09-18; 15 working days across 中秋/国庆. */
	memset(&t, 0, sizeof t);
	t.from_day = D(2026, 9, 18);
	t.paused_from = -1;
	t.filed_day = -1;
	deadline_compute(cal, 1, 15, &t, D(2026, 9, 18), &d);
	is_str(ymd(d.ack_due), "2026-09-20", "acknowledge by the 调休 Sunday");
	ok(!d.ack_overdue, "not yet overdue on the day of receipt");
	is_int(d.stage, DEADLINE_RUNNING, "running");
	deadline_compute(cal, 1, 15, &t, D(2026, 9, 22), &d);
	ok(d.ack_overdue, "not acknowledged by Tuesday: overdue");
	t.acknowledged = 1;
	deadline_compute(cal, 1, 15, &t, D(2026, 9, 22), &d);
	ok(!d.ack_overdue, "acknowledged: no ack escalation");
	deadline_compute(cal, 1, 15, &t, d.verify_due, &d);
	is_str(ymd(d.verify_due), "2026-10-15",
	    "verify by 10-15 (中秋 and 国庆 skipped, 调休 days counted)");
	is_int(d.stage, DEADLINE_D1, "the last day is D-1 stage");
	is_int(d.verify_left, 0, "0 days left on it");
	deadline_compute(cal, 1, 15, &t, D(2026, 10, 12), &d);
	is_int(d.stage, DEADLINE_D3, "three working days before: D-3");
	deadline_compute(cal, 1, 15, &t, D(2026, 10, 16), &d);
	is_int(d.stage, DEADLINE_OVERDUE, "the next working day: overdue");
	t.extended = 1;
	deadline_compute(cal, 1, 15, &t, D(2026, 10, 19), &d);
	is_str(ymd(d.verify_due), "2026-11-05", "extended once: +15");
	is_int(d.stage, DEADLINE_RUNNING, "and running again");
	t.paused_days = 2;
	deadline_compute(cal, 1, 15, &t, D(2026, 10, 19), &d);
	is_str(ymd(d.verify_due), "2026-11-09", "two paused days");
	t.paused_from = D(2026, 11, 5);
	deadline_compute(cal, 1, 15, &t, D(2026, 11, 9), &d);
	ok(d.paused && d.stage == DEADLINE_RUNNING,
	    "a running pause: no reminders");
	is_str(ymd(d.verify_due), "2026-11-12",
	    "its working days so far move the deadline");
	/* Filed (立案) on 2026-09-30: 90 calendar days, +30 once. */
	memset(&t, 0, sizeof t);
	t.from_day = D(2026, 9, 18);
	t.paused_from = -1;
	t.filed_day = D(2026, 9, 30);
	deadline_compute(cal, 1, 15, &t, D(2026, 12, 1), &d);
	ok(d.filed && !d.ack_overdue, "filed: the case clock, no ack escalation");
	is_str(ymd(d.verify_due), "2026-12-29", "filed 09-30: decide by 12-29");
	is_int(d.stage, DEADLINE_RUNNING, "running on 12-01");
	deadline_compute(cal, 1, 15, &t, D(2026, 12, 30), &d);
	is_int(d.stage, DEADLINE_OVERDUE, "overdue on 12-30");
	t.extended = 1;
	deadline_compute(cal, 1, 15, &t, D(2026, 12, 30), &d);
	is_str(ymd(d.verify_due), "2027-01-28", "extended: +30 days");
	t.filed_day = D(2026, 7, 3);
	t.extended = 0;
	deadline_compute(cal, 1, 15, &t, D(2026, 9, 1), &d);
	is_str(ymd(d.verify_due), "2026-10-08",
	    "a last day in 国庆 (10-01) moves to the first working day after");
	is_int(deadline_paused_days(cal, D(2026, 10, 1), D(2026, 10, 11)), 3,
	    "paused 10-01..10-11: 10-08, 10-09 and the 调休 Saturday");
}

/*
 * A year replaced by its notice (workday_forget_year, workday_mark), and
 * how far the calendar reaches (workday_covered_until).
 */
static void
test_years(void)
{
	struct workday_cal	*c = workday_new();
	char			*cause = NULL;

	ok(workday_load(c, "t", "2026-10-01 holiday\n2026-10-10 workday\n"
	    "2027-01-01 holiday\n", &cause) == 0, "a small calendar");
	is_str(ymd(workday_covered_until(c, D(2026, 6, 1))), "2027-12-31",
	    "2026 and 2027 known: until the end of 2027");
	is_int(workday_covered_until(c, D(2025, 6, 1)), -1,
	    "2025 unknown: -1, even with later years known");
	workday_forget_year(c, 2027);
	is_str(ymd(workday_covered_until(c, D(2026, 6, 1))), "2026-12-31",
	    "2027 forgotten: until the end of 2026");
	ok(workday_is_working(c, D(2027, 1, 1)), "its holiday forgotten");
	ok(!workday_is_working(c, D(2026, 10, 1)), "2026's days kept");
	workday_mark(c, 2027, D(2026, 12, 31), 1);
	workday_mark(c, 2027, D(2027, 2, 13), 0);
	ok(workday_covers(c, D(2027, 6, 1)), "marked: 2027 known");
	is_int(workday_marked(c, D(2026, 12, 31)), 1,
	    "a notice's day in the year before");
	ok(!workday_is_working(c, D(2026, 12, 31)), "... is off");
	ok(workday_is_working(c, D(2027, 2, 13)), "a 上班 Saturday works");
	workday_mark(c, 2027, D(2027, 2, 13), 1);
	is_int(workday_marked(c, D(2027, 2, 13)), 1,
	    "marked again: off, not both");
	is_int(workday_marked(c, D(2026, 10, 10)), 2, "a workday stays one");
	is_int(workday_add(c, D(2026, 12, 30), 1, NULL, 0), D(2027, 1, 1),
	    "the lists stay ordered: the next working day is found");
	workday_free(c);
}

int
main(void)
{
	setup();
	test_dates();
	test_days();
	test_periods();
	test_errors();
	test_deadlines();
	test_years();
	workday_free(cal);
	return (done_testing());
}
