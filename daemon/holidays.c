/*
 * The State Council's notice of holidays, read from its published text
 * (pure). Each item reads like
 *
 *	二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、
 *	周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
 *
 * The text is cut into clauses at 。，；and line ends, after what is in
 * brackets is dropped; a clause with 放假 gives days off (a date, or a
 * range with 至), one with 上班 gives working days; a date without its
 * month or year takes the one before it in the clause, or the notice's
 * year. Dates in other clauses (the notice's own date) are not days.
 * What does not read as a real date of the years around the notice's, a
 * 上班 on a weekday or a day both off and on is an error that names its
 * clause: a calendar that is wrong without saying so is worse than none.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/holidays.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"

#define HOLIDAYS_TEXT_MAX	(256 * 1024)
#define HOLIDAYS_RANGE_MAX	15	/* no holiday is longer */
#define HOLIDAYS_BRACKET_MAX	240	/* bytes a （…） may hold */
#define HOLIDAYS_DATES_MAX	16	/* dates in one clause */

struct holidays_date {
	int	 y, m, d;
	int	 to_next;		/* 至 between this and the next */
};

static int
holidays_starts(const char *s, const char *word)
{
	return (strncmp(s, word, strlen(word)) == 0);
}

/*
 * The text with brackets dropped, full-width digits and colons made
 * ASCII, and every clause on a line of its own.
 */
static char *
holidays_clauses(const char *text)
{
	static const char *breaks[] = { "。", "，", "；", ",", ";", "\r" };
	size_t		 len = strlen(text), k;
	char		*out = xmalloc(len + 1), *o = out;
	const char	*s = text, *close;

	while (*s != '\0') {
		if (holidays_starts(s, "（") || *s == '(') {
			/* Looked for nearby only: no scan of the whole rest. */
			close = memmem(s, strnlen(s, HOLIDAYS_BRACKET_MAX + 3),
			    *s == '(' ? ")" : "）", *s == '(' ? 1 :
			    strlen("）"));
			if (close != NULL) {
				s = close + (*s == '(' ? 1 : strlen("）"));
				continue;
			}
		}
		if (holidays_starts(s, "：")) {
			*o++ = ':';
			s += strlen("：");
			continue;
		}
		if ((unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbc &&
		    (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99) {
			*o++ = (char)('0' + (unsigned char)s[2] - 0x90);
			s += 3;
			continue;
		}
		for (k = 0; k < sizeof breaks / sizeof breaks[0]; k++) {
			if (holidays_starts(s, breaks[k]))
				break;
		}
		if (k < sizeof breaks / sizeof breaks[0]) {
			*o++ = '\n';
			s += strlen(breaks[k]);
			continue;
		}
		*o++ = *s++;
	}
	*o = '\0';
	return (out);
}

/* The year in the title: 关于2027年部分节假日安排的通知. */
static int
holidays_title_year(const char *text)
{
	const char	*p;
	int		 y;

	for (p = strstr(text, "年部分节假日"); p != NULL;
	    p = strstr(p + 1, "年部分节假日")) {
		if (p - text >= 4 && sscanf(p - 4, "%4d", &y) == 1 &&
		    y >= 2000 && y <= 2199)
			return (y);
	}
	return (0);
}

/* The clause, short and on one line, for an error. */
static void
holidays_cause(char **cause, const char *clause, size_t len, const char *why)
{
	if (len > 120) {
		len = 120;
		while (len > 0 && ((unsigned char)clause[len] & 0xc0) == 0x80)
			len--;
	}
	xasprintf(cause, "\"%.*s\": %s", (int)len, clause, why);
}

/*
 * The dates of a clause, with the month and year a date leaves out taken
 * from the one before. -1 when a 日 has no month before it, -2 when a
 * clause has more than HOLIDAYS_DATES_MAX.
 */
static int
holidays_dates(const char *s, size_t len, int year, struct holidays_date *d,
    int *n)
{
	const char	*end = s + len;
	int		 num, y = year, m = 0, ny = 0, nm = 0;

	*n = 0;
	while (s < end) {
		if (*s < '0' || *s > '9') {
			if (*n > 0 && (holidays_starts(s, "至") ||
			    holidays_starts(s, "到") || *s == '-' || *s == '~'))
				d[*n - 1].to_next = 1;
			s++;
			continue;
		}
		for (num = 0; s < end && *s >= '0' && *s <= '9'; s++)
			num = num < 100000 ? num * 10 + (*s - '0') : num;
		if (holidays_starts(s, "年"))
			ny = num;
		else if (holidays_starts(s, "月"))
			nm = num;
		else if (holidays_starts(s, "日") || holidays_starts(s, "号")) {
			if (ny != 0)
				y = ny;
			if (nm != 0)
				m = nm;
			if (m == 0)
				return (-1);
			if (*n == HOLIDAYS_DATES_MAX)
				return (-2);	/* more than a clause has */
			memset(&d[*n], 0, sizeof d[*n]);
			d[*n].y = y;
			d[*n].m = m;
			d[(*n)++].d = num;
			ny = nm = 0;
		} else
			ny = nm = 0;	/* 共3天, 放假1天 */
	}
	return (0);
}

static int
holidays_add(struct holidays_notice *hn, long day, int holiday,
    const char *name)
{
	size_t	 i;

	for (i = 0; i < hn->ndays; i++) {
		if (hn->days[i].day == day)
			return (hn->days[i].holiday == holiday ? 0 : -1);
	}
	hn->days = xreallocarray(hn->days, hn->ndays + 1, sizeof *hn->days);
	memset(&hn->days[hn->ndays], 0, sizeof hn->days[hn->ndays]);
	hn->days[hn->ndays].day = day;
	hn->days[hn->ndays].holiday = holiday;
	snprintf(hn->days[hn->ndays].name, sizeof hn->days[hn->ndays].name,
	    "%s", name);
	hn->ndays++;
	if (holiday)
		hn->nholidays++;
	else
		hn->nworkdays++;
	return (0);
}

/* A real date of the notice's year or the years beside it: its day. */
static long
holidays_day(const struct holidays_notice *hn, const struct holidays_date *d)
{
	long	 day;
	int	 y, m, dd;

	if (d->y < hn->year - 1 || d->y > hn->year + 1 || d->m < 1 ||
	    d->m > 12 || d->d < 1 || d->d > 31)
		return (-1);
	day = workday_day(d->y, d->m, d->d);
	workday_ymd(day, &y, &m, &dd);
	return (y == d->y && m == d->m && dd == d->d ? day : -1);
}

/* One clause's days: off (放假) or on (上班). */
static const char *
holidays_clause_days(struct holidays_notice *hn, struct holidays_date *d,
    int n, int holiday, const char *name)
{
	long	 day, to, wday;
	int	 i;

	for (i = 0; i < n; i++) {
		if ((day = holidays_day(hn, &d[i])) < 0)
			return ("not a real date of the notice's year");
		to = day;
		if (holiday && d[i].to_next && i + 1 < n) {
			if ((to = holidays_day(hn, &d[++i])) < 0)
				return ("not a real date of the notice's year");
			if (to < day || to - day >= HOLIDAYS_RANGE_MAX)
				return ("the days off do not make a range");
		}
		for (; day <= to; day++) {
			wday = ((day % 7) + 7 + 4) % 7;	/* 0: Sunday */
			if (!holiday && wday != 0 && wday != 6)
				return ("上班 names a weekday; only a Saturday "
				    "or Sunday is made a working day");
			if (holidays_add(hn, day, holiday, name) != 0)
				return ("a day both off (放假) and on (上班)");
		}
	}
	return (NULL);
}

/* The item's name before its colon, without 一、 or 1. before it. */
static void
holidays_name(const char *s, size_t len, char *name, size_t size)
{
	static const char *nums = "一二三四五六七八九十";
	size_t		 k;

	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\n')) {
		s++;
		len--;
	}
	for (;;) {
		if (len >= 3 && memmem(nums, strlen(nums), s, 3) != NULL) {
			s += 3;
			len -= 3;
		} else if (len > 0 && *s >= '0' && *s <= '9') {
			s++;
			len--;
		} else
			break;
	}
	if (len >= 3 && holidays_starts(s, "、")) {
		s += 3;
		len -= 3;
	} else if (len > 0 && *s == '.') {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	for (k = 0; k < len && (s[k] < '0' || s[k] > '9'); k++)
		;
	if (k == len)		/* a name has no digits (not 10:00) */
		snprintf(name, size, "%.*s", (int)len, s);
}

static int
holidays_cmp(const void *a, const void *b)
{
	long	 x = ((const struct holidays_day *)a)->day;
	long	 y = ((const struct holidays_day *)b)->day;

	return (x < y ? -1 : x > y);
}

/* One clause: -1 and *cause if it says days that cannot be. */
static int
holidays_clause(struct holidays_notice *hn, const char *s, size_t len,
    char *name, size_t namesize, char **cause)
{
	struct holidays_date	 d[HOLIDAYS_DATES_MAX];
	const char		*colon = memchr(s, ':', len), *why;
	const char		*body = s;
	size_t			 blen = len;
	int			 n, off, on, rc;

	if (colon != NULL) {
		holidays_name(s, (size_t)(colon - s), name, namesize);
		body = colon + 1;
		blen = len - (size_t)(body - s);
	}
	off = memmem(body, blen, "放假", strlen("放假")) != NULL;
	on = memmem(body, blen, "上班", strlen("上班")) != NULL;
	if (!off && !on)
		return (0);
	if ((rc = holidays_dates(body, blen, hn->year, d, &n)) != 0) {
		holidays_cause(cause, s, len, rc == -2 ? "more dates than a "
		    "clause of a notice has" : "a day without its month");
		return (-1);
	}
	if (off && on && n > 0) {
		holidays_cause(cause, s, len, "both 放假 and 上班");
		return (-1);
	}
	if ((why = holidays_clause_days(hn, d, n, off, name)) != NULL) {
		holidays_cause(cause, s, len, why);
		return (-1);
	}
	return (0);
}

int
holidays_parse(const char *text, int year, struct holidays_notice *hn,
    char **cause)
{
	char	*clauses, *s, *nl, name[HOLIDAYS_NAME_MAX] = "";
	int	 rc = 0;

	memset(hn, 0, sizeof *hn);
	*cause = NULL;
	if (strlen(text) > HOLIDAYS_TEXT_MAX) {
		xasprintf(cause, "longer than a notice (%d bytes at most)",
		    HOLIDAYS_TEXT_MAX);
		return (-1);
	}
	clauses = holidays_clauses(text);
	if ((hn->year = year) == 0 &&
	    (hn->year = holidays_title_year(clauses)) == 0) {
		free(clauses);
		xasprintf(cause, "no year in the title (国务院办公厅关于YYYY年"
		    "部分节假日安排的通知); name it with --year");
		return (-1);
	}
	for (s = clauses; rc == 0 && *s != '\0'; s = nl + (*nl != '\0')) {
		if ((nl = strchr(s, '\n')) == NULL)
			nl = s + strlen(s);
		rc = holidays_clause(hn, s, (size_t)(nl - s), name,
		    sizeof name, cause);
	}
	free(clauses);
	if (rc == 0 && hn->nholidays == 0) {
		xasprintf(cause, "no days off (放假) for %d: is this the "
		    "notice?", hn->year);
		rc = -1;
	}
	if (rc != 0) {
		holidays_free(hn);
		return (-1);
	}
	qsort(hn->days, hn->ndays, sizeof *hn->days, holidays_cmp);
	return (0);
}

void
holidays_free(struct holidays_notice *hn)
{
	free(hn->days);
	hn->days = NULL;
	hn->ndays = 0;
}
