/*
 * The clock (clock_now, which tests may shift with TIPGW_TEST_TIME_SHIFT)
 * and China local time: the only place that knows the offset from UTC.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tipgw/clock.h"
#include "tipgw/log.h"

/* China Standard Time: UTC+8, no daylight saving since 1991. */
#define CLOCK_CHINA_OFFSET	(8 * 3600)

static long long clock_shift;

/*
 * For tests only: TIPGW_TEST_TIME_SHIFT (seconds, may be negative) moves
 * the clock that intake, deadlines, reminders and the outbox read, so a
 * test can look 20 working days ahead without waiting. Read once.
 */
void
clock_init(void)
{
	const char	*s = getenv("TIPGW_TEST_TIME_SHIFT");

	clock_shift = s != NULL ? strtoll(s, NULL, 10) : 0;
	if (clock_shift != 0)
		log_warnx("clock shifted by %llds (TIPGW_TEST_TIME_SHIFT); "
		    "for tests only", clock_shift);
}

/* The time as tipgw sees it. */
time_t
clock_now(void)
{
	return (time(NULL) + (time_t)clock_shift);
}

/* A wall-clock time (from time(2), a modem) on tipgw's clock. */
time_t
clock_shifted(time_t wall)
{
	return (wall + (time_t)clock_shift);
}

/* Seconds of China local time since the epoch. */
static long long
clock_china_seconds(time_t t)
{
	return ((long long)t + CLOCK_CHINA_OFFSET);
}

/* The China local date of t, as days since 1970-01-01. */
long
clock_china_day(time_t t)
{
	long long	 s = clock_china_seconds(t);

	return ((long)(s >= 0 ? s / 86400 : (s - 86399) / 86400));
}

/* Minutes since China local midnight. */
int
clock_china_minute(time_t t)
{
	long long	 s = clock_china_seconds(t) % 86400;

	return ((int)((s < 0 ? s + 86400 : s) / 60));
}

/* The next China local midnight after t. */
time_t
clock_china_midnight(time_t t)
{
	return ((time_t)(((long long)clock_china_day(t) + 1) * 86400 -
	    CLOCK_CHINA_OFFSET));
}

/* When China local day (days since 1970-01-01) begins. */
time_t
clock_china_day_start(long day)
{
	return ((time_t)((long long)day * 86400 - CLOCK_CHINA_OFFSET));
}

/* The broken-down China local time of t. */
void
clock_china_tm(time_t t, struct tm *tm)
{
	time_t	 local = (time_t)clock_china_seconds(t);

	gmtime_r(&local, tm);
}

/* strftime(3) of China local time; "" if it does not fit. */
char *
clock_china_format(time_t t, const char *fmt, char *buf, size_t len)
{
	struct tm	 tm;

	clock_china_tm(t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, len, fmt, &tm) == 0 && len > 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	return (buf);
}

/*
 * A time of a query (Open311, the desk): YYYY-MM-DD (a China day: its start, or with end
 * set its end) or YYYY-MM-DDTHH:MM:SS with Z or an offset (+08:00).
 * 0, or -1 if it is neither.
 */
int
clock_parse_query(const char *s, int end, time_t *out)
{
	struct tm	 tm;
	const char	*rest;
	int		 sign, hh, mm;
	long		 day;

	memset(&tm, 0, sizeof tm);
	if ((rest = strptime(s, "%Y-%m-%d", &tm)) == NULL)
		return (-1);
	if (*rest == '\0') {
		day = (long)(timegm(&tm) / 86400);
		*out = clock_china_day_start(day + (end ? 1 : 0));
		return (0);
	}
	if ((rest = strptime(rest, "T%H:%M:%S", &tm)) == NULL)
		return (-1);
	*out = timegm(&tm);
	if (strcmp(rest, "Z") == 0)
		return (0);
	if ((rest[0] != '+' && rest[0] != '-') || strlen(rest) != 6 ||
	    sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2 || hh > 14 || mm > 59)
		return (-1);
	sign = rest[0] == '+' ? 1 : -1;
	*out -= sign * (hh * 3600 + mm * 60);
	return (0);
}
