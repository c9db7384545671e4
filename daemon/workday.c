/*
 * Working days, as the rules count them (市场监管总局 Order 121 art. 45;
 * 市场监督管理行政处罚程序规定 arts. 80, 84): the day of receipt is not
 * counted; a period in working days ends on the nth working day after it;
 * a period in calendar days whose last day is a rest day ends on the next
 * working day. Rest days are Saturdays and Sundays, unless the calendar
 * makes one a working day (调休), and the statutory holidays it lists.
 *
 * Days are numbered from 1970-01-01 (day 0) in China's local date. The
 * calendar file holds lines "YYYY-MM-DD holiday|workday [note]"; a year
 * with no line is covered by weekends alone (workday_covers says so).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"

#define WORKDAY_MAX_SPAN	3660	/* ten years: no period is longer */
#define WORKDAY_MAX_FILE	(1024 * 1024)

struct workday_cal {
	long	*holidays;
	size_t	 nholidays;
	long	*workdays;		/* make-up working days (调休) */
	size_t	 nworkdays;
	int	 years[64];		/* years the file has lines for */
	int	 nyears;
};

struct workday_cal *
workday_new(void)
{
	return (xcalloc(1, sizeof(struct workday_cal)));
}

void
workday_free(struct workday_cal *c)
{
	if (c == NULL)
		return;
	free(c->holidays);
	free(c->workdays);
	free(c);
}

/* Days from 1970-01-01 to the date (proleptic Gregorian). */
long
workday_day(int y, int m, int d)
{
	long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

void
workday_ymd(long z, int *y, int *m, int *d)
{
	long	 era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
workday_cmp(const void *a, const void *b)
{
	long	 x = *(const long *)a, y = *(const long *)b;

	return (x < y ? -1 : x > y);
}

static int
workday_in(const long *v, size_t n, long day)
{
	return (n > 0 && bsearch(&day, v, n, sizeof *v, workday_cmp) != NULL);
}

static void
workday_year_add(struct workday_cal *c, int year)
{
	int	 i;

	for (i = 0; i < c->nyears; i++) {
		if (c->years[i] == year)
			return;
	}
	if (c->nyears < (int)(sizeof c->years / sizeof c->years[0]))
		c->years[c->nyears++] = year;
}

/* Add the lines of a calendar file; errors as name:line: message. */
int
workday_load(struct workday_cal *c, const char *name, const char *text,
    char **cause)
{
	const char	*s = text, *nl;
	char		 line[256], kind[32];
	int		 lineno = 0, y, m, d, n, errors = 0;
	long		 day;
	int		 y2, m2, d2;

	*cause = NULL;
	while (*s != '\0') {
		lineno++;
		nl = strchr(s, '\n');
		n = nl ? (int)(nl - s) : (int)strlen(s);
		snprintf(line, sizeof line, "%.*s", n, s);
		s = nl ? nl + 1 : s + n;
		if (strchr(line, '#') != NULL)
			*strchr(line, '#') = '\0';
		if (strspn(line, " \t\r") == strlen(line))
			continue;
		if (sscanf(line, " %d-%d-%d %31s", &y, &m, &d, kind) != 4 ||
		    m < 1 || m > 12 || d < 1 || d > 31 ||
		    (strcmp(kind, "holiday") != 0 &&
		    strcmp(kind, "workday") != 0)) {
			errors++;
			goto bad;
		}
		day = workday_day(y, m, d);
		workday_ymd(day, &y2, &m2, &d2);
		if (y2 != y || m2 != m || d2 != d) {
			errors++;
			goto bad;
		}
		if (kind[0] == 'h') {
			c->holidays = xreallocarray(c->holidays,
			    c->nholidays + 1, sizeof *c->holidays);
			c->holidays[c->nholidays++] = day;
		} else {
			c->workdays = xreallocarray(c->workdays,
			    c->nworkdays + 1, sizeof *c->workdays);
			c->workdays[c->nworkdays++] = day;
		}
		workday_year_add(c, y);
		continue;
bad:
		if (*cause == NULL)
			xasprintf(cause, "%s:%d: expected \"YYYY-MM-DD holiday\" "
			    "or \"YYYY-MM-DD workday\" with a real date", name,
			    lineno);
	}
	if (c->nholidays > 0)
		qsort(c->holidays, c->nholidays, sizeof *c->holidays,
		    workday_cmp);
	if (c->nworkdays > 0)
		qsort(c->workdays, c->nworkdays, sizeof *c->workdays,
		    workday_cmp);
	return (errors ? -1 : 0);
}

static void
workday_drop(long *v, size_t *n, int (*gone)(long, long), long arg)
{
	size_t	 i, o = 0;

	for (i = 0; i < *n; i++) {
		if (!gone(v[i], arg))
			v[o++] = v[i];
	}
	*n = o;
}

static int
workday_of_year(long day, long year)
{
	int	 y, m, d;

	workday_ymd(day, &y, &m, &d);
	return (y == year);
}

static int
workday_same(long day, long other)
{
	return (day == other);
}

/* Forget a year's days and that it was known: a notice replaces it. */
void
workday_forget_year(struct workday_cal *c, int year)
{
	int	 i, o = 0;

	workday_drop(c->holidays, &c->nholidays, workday_of_year, year);
	workday_drop(c->workdays, &c->nworkdays, workday_of_year, year);
	for (i = 0; i < c->nyears; i++) {
		if (c->years[i] != year)
			c->years[o++] = c->years[i];
	}
	c->nyears = o;
}

/* Insert into an ordered list. */
static void
workday_insert(long **v, size_t *n, long day)
{
	size_t	 i;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	for (i = *n; i > 0 && (*v)[i - 1] > day; i--)
		(*v)[i] = (*v)[i - 1];
	(*v)[i] = day;
	(*n)++;
}

/* A day of a year's notice: off (holiday) or on; the year is known. */
void
workday_mark(struct workday_cal *c, int year, long day, int holiday)
{
	workday_drop(c->holidays, &c->nholidays, workday_same, day);
	workday_drop(c->workdays, &c->nworkdays, workday_same, day);
	if (holiday)
		workday_insert(&c->holidays, &c->nholidays, day);
	else
		workday_insert(&c->workdays, &c->nworkdays, day);
	workday_year_add(c, year);
}

/* 1: a holiday, 2: a make-up working day, 0: neither listed. */
int
workday_marked(const struct workday_cal *c, long day)
{
	if (workday_in(c->holidays, c->nholidays, day))
		return (1);
	return (workday_in(c->workdays, c->nworkdays, day) ? 2 : 0);
}

/*
 * The last day of the known years that run on from today's: the day
 * until which deadlines count holidays. -1 if today's year is unknown.
 */
long
workday_covered_until(const struct workday_cal *c, long today)
{
	int	 y, m, d;

	workday_ymd(today, &y, &m, &d);
	if (!workday_covers(c, today))
		return (-1);
	while (workday_covers(c, workday_day(y + 1, 1, 1)))
		y++;
	return (workday_day(y, 12, 31));
}

/* Does the calendar know the holidays of that day's year? */
int
workday_covers(const struct workday_cal *c, long day)
{
	int	 y, m, d, i;

	workday_ymd(day, &y, &m, &d);
	for (i = 0; i < c->nyears; i++) {
		if (c->years[i] == y)
			return (1);
	}
	return (0);
}

int
workday_is_working(const struct workday_cal *c, long day)
{
	long	 wday = ((day % 7) + 7 + 4) % 7;	/* 1970-01-01: Thursday */

	if (workday_in(c->workdays, c->nworkdays, day))
		return (1);
	if (workday_in(c->holidays, c->nholidays, day))
		return (0);
	return (wday != 0 && wday != 6);
}

static int
workday_paused(const struct workday_pause *p, size_t n, long day)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (day >= p[i].from && day <= p[i].to)
			return (1);
	}
	return (0);
}

/*
 * The n-th working day after start (start itself not counted), skipping
 * the paused days. -1 if n is out of range.
 */
long
workday_add(const struct workday_cal *c, long start, int n,
    const struct workday_pause *pauses, size_t npauses)
{
	long	 day = start;
	int	 counted = 0;

	if (n < 0 || n > WORKDAY_MAX_SPAN)
		return (-1);
	while (counted < n) {
		day++;
		if (day - start > 4 * WORKDAY_MAX_SPAN)
			return (-1);
		if (workday_is_working(c, day) &&
		    !workday_paused(pauses, npauses, day))
			counted++;
	}
	return (day);
}

/* n calendar days after start; a last day off moves to the next workday. */
long
workday_calendar_days(const struct workday_cal *c, long start, int n)
{
	long	 day;

	if (n < 0 || n > WORKDAY_MAX_SPAN)
		return (-1);
	day = start + n;
	while (!workday_is_working(c, day))
		day++;
	return (day);
}

/*
 * Working days left from today to the deadline: 0 on the deadline itself
 * (still in time), negative when overdue by that many working days.
 */
int
workday_left(const struct workday_cal *c, long today, long deadline)
{
	long	 day;
	int	 n = 0;

	if (deadline - today > WORKDAY_MAX_SPAN ||
	    today - deadline > WORKDAY_MAX_SPAN)
		return (deadline > today ? WORKDAY_MAX_SPAN : -WORKDAY_MAX_SPAN);
	if (today <= deadline) {
		for (day = today + 1; day <= deadline; day++)
			n += workday_is_working(c, day);
		return (n);
	}
	for (day = deadline + 1; day <= today; day++)
		n -= workday_is_working(c, day);
	return (n);
}

/* Read the holiday file into a calendar; NULL and *cause on error. */
struct workday_cal *
workday_load_file(const char *path, char **cause)
{
	struct workday_cal	*cal;
	FILE			*f;
	char			*text;
	size_t			 len;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	text = xmalloc(WORKDAY_MAX_FILE + 1);
	len = fread(text, 1, WORKDAY_MAX_FILE, f);
	text[len] = '\0';
	fclose(f);
	cal = workday_new();
	if (workday_load(cal, path, text, cause) != 0) {
		workday_free(cal);
		cal = NULL;
	}
	free(text);
	return (cal);
}
