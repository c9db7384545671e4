/*
 * Dates in a tip: the production date and the shelf life a message
 * states (生产日期2024年3月1日, 保质期6个月, 保质期十五天), written as people
 * write them, and whether the product had expired when the tip came.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tipgw/clock.h"
#include "tipgw/parse.h"

#include "parse_int.h"

/* Parse digits at s (at most max), or -1. */
static int
parse_int(const char **s, int max)
{
	int	 v = 0, n = 0;

	while (isdigit((unsigned char)**s) && n < max) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return (n > 0 ? v : -1);
}

static void
parse_skip_spaces(const char **s)
{
	while (**s == ' ' || **s == ':')
		(*s)++;
}

/*
 * What a date is measured against: the day the tip came, its year (both
 * on China's calendar, not UTC's: from 00:00 to 08:00 they differ), and
 * whether the date is a production date (never after that day) or an
 * expiry date (either side of it).
 */
struct parse_when {
	long	 today;		/* days since 1970 */
	int	 year, month;
	int	 made;
};

static void	parse_copula(const char **);

/* The days of month m (1-12) of year y. */
static int
parse_month_days(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}
static int	parse_cn_int(const char **);
static int	parse_cn_digit(const char *);

/*
 * A production date of a year alone (日期是2022年的), at least 18 months
 * before the message even if made on the year's last day: past the
 * shelf life of nearly every packaged food. Not when a shelf life is
 * stated (the arithmetic decides), nor for liquor (parse_words).
 */
static int
parse_old_year(const char *s, int this_year, int this_month)
{
	const char	*p = s, *rest;
	int		 y;

	parse_copula(&p);
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || !isdigit((unsigned char)p[3]) ||
	    isdigit((unsigned char)p[4]))
		return (0);
	y = parse_int(&p, 4);
	if (!parse_prefix(p, "年", &rest))
		return (0);
	parse_skip_spaces(&rest);
	if (isdigit((unsigned char)*rest) || parse_cn_digit(rest))
		return (0);		/* a month follows: parse_date's */
	/* From December 31 of y to this month: 18 months or more. */
	return (y >= 1990 && (this_year - y - 1) * 12 + this_month >= 18);
}

/*
 * Skip what stands between a label field and its value: spaces and a
 * copula or a verb of writing (是, 为, Cantonese 系, 写着, 写住 ...), and
 * 才 or 只有 before a short shelf life.
 */
static void
parse_copula(const char **s)
{
	static const char *const words[] = {
		"写的是", "印的是", "写着", "写住", "印着", "标着", "标的",
		"只有", "是", "为", "系", "才", "只", ":", NULL
	};
	const char	*rest;
	int		 i, again = 1;

	while (again) {
		again = 0;
		parse_skip_spaces(s);
		for (i = 0; words[i] != NULL; i++) {
			if (parse_prefix(*s, words[i], &rest)) {
				*s = rest;
				again = 1;
				break;
			}
		}
	}
}

/*
 * A date after "生产日期" (or 生产于, 出厂日期): 2025年3月(12日),
 * 2025.03(.12), 2025-3-12, 2025/3/12, 今年8月, 去年10月, 3月12日.
 * Returns a day number (days since 1970) or -1; *yearless is set when
 * no year was written.
 */
static long
parse_date_in(const char *s, int this_year, const char **endp,
    int *yearless)
{
	int		 y = -1, m = -1, d = 1;
	const char	*p = s, *rest = NULL;
	struct tm	 tm;

	parse_copula(&p);
	if (parse_prefix(p, "今年", &rest)) {
		y = this_year;
		p = rest;
	} else if (parse_prefix(p, "去年", &rest)) {
		y = this_year - 1;
		p = rest;
	} else if (parse_prefix(p, "前年", &rest)) {
		y = this_year - 2;
		p = rest;
	} else if (isdigit((unsigned char)p[0]) &&
	    isdigit((unsigned char)p[1]) && !isdigit((unsigned char)p[2]) &&
	    parse_prefix(p + 2, "年", &rest)) {
		y = 2000 + (p[0] - '0') * 10 + (p[1] - '0');	/* 26年 */
		p = rest;
	} else if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3])) {
		y = parse_int(&p, 4);
		if (*p == '.' || *p == '-' || *p == '/')
			p++;
		else if (parse_prefix(p, "年", &rest))
			p = rest;
		else
			return (-1);
	}
	if (isdigit((unsigned char)*p))
		m = parse_int(&p, 2);
	else if ((m = parse_cn_int(&p)) > 0 && !parse_prefix(p, "月", &rest))
		return (-1);		/* 八月, not 八个 */
	if (m < 1 || m > 12)
		return (-1);
	*yearless = y < 0;
	if (y < 0)
		y = this_year;
	if (parse_prefix(p, "月份", &rest) || parse_prefix(p, "月", &rest))
		p = rest;
	else if (*p == '.' || *p == '-' || *p == '/')
		p++;
	if (isdigit((unsigned char)*p)) {
		d = parse_int(&p, 2);
		if (d < 1 || d > 31)
			d = 1;
		if (parse_prefix(p, "日", &rest) || parse_prefix(p, "号", &rest))
			p = rest;
	} else if (parse_prefix(p, "底", &rest) ||
	    parse_prefix(p, "尾", &rest) || parse_prefix(p, "末", &rest)) {
		d = 0;		/* 8月底: day 0 of the next month, its last */
		p = rest;
	}
	if (endp != NULL)
		*endp = p;
	if (y < 1990 || y > 2100)
		return (-1);
	if (d > parse_month_days(y, m))
		d = parse_month_days(y, m);	/* 2月30日: its last day */
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = d == 0 ? m : m - 1;		/* timegm normalises */
	tm.tm_mday = d;
	tm.tm_hour = 12;
	return ((long)(timegm(&tm) / 86400));
}

/*
 * A date, and for one written without a year (3月12日, 1月5号) the year
 * it can be: a production date is this year's unless that is after the
 * tip (12月20日 said on January 3 is last year's). An expiry date is
 * this year's, as food reported is often long past its date (到期日3月1日
 * said on September 1 has expired), unless that is more than
 * PARSE_YEARLESS_DAYS away: 到期日1月5日 said on December 30 is next
 * year's, not a date of almost a year ago.
 */
#define PARSE_YEARLESS_DAYS	270

static long
parse_date(const char *s, const struct parse_when *w, const char **endp)
{
	long	 day;
	int	 yearless = 0, year = w->year;

	if ((day = parse_date_in(s, year, endp, &yearless)) < 0 || !yearless)
		return (day);
	if (w->made ? day > w->today : day - w->today > PARSE_YEARLESS_DAYS)
		year--;
	else if (!w->made && w->today - day > PARSE_YEARLESS_DAYS)
		year++;
	else
		return (day);
	return (parse_date_in(s, year, NULL, &yearless));
}

/* A small number in Chinese numerals (一 to 九十九, 两), or -1. */
static int
parse_cn_int(const char **s)
{
	static const char *const digits[] = {
		"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", NULL
	};
	const char	*p = *s, *rest;
	int		 v = 0, d = -1, i, any = 0;

	for (;;) {
		if (parse_prefix(p, "两", &rest)) {
			d = 2;
			p = rest;
			any = 1;
			continue;
		}
		for (i = 0; digits[i] != NULL; i++) {
			if (parse_prefix(p, digits[i], &rest))
				break;
		}
		if (digits[i] != NULL) {
			d = i;
			p = rest;
			any = 1;
			continue;
		}
		if (parse_prefix(p, "十", &rest)) {
			v += (d < 0 ? 1 : d) * 10;
			d = -1;
			p = rest;
			any = 1;
			continue;
		}
		break;
	}
	if (!any)
		return (-1);
	*s = p;
	return (v + (d < 0 ? 0 : d));
}

/* "保质期 45天 / 6个月 / 1年 / 十八个月 / 半年". Days, or -1. */
static long
parse_shelf_life(const char *s)
{
	const char	*p = s, *rest;
	int		 n;

	parse_copula(&p);
	if (parse_prefix(p, "半年", &rest))
		return (182);
	if ((n = parse_int(&p, 4)) <= 0 && (n = parse_cn_int(&p)) <= 0)
		return (-1);
	parse_skip_spaces(&p);
	if (parse_prefix(p, "天", &rest) || parse_prefix(p, "日", &rest))
		return (n);
	if (parse_prefix(p, "个月", &rest) || parse_prefix(p, "月", &rest))
		return ((long)n * 30);
	if (parse_prefix(p, "年", &rest))
		return ((long)n * 365);
	return (-1);
}

static const char *
parse_after(const char *s, const char *const *words)
{
	const char	*p;
	int		 i;

	for (i = 0; words[i] != NULL; i++) {
		if ((p = strstr(s, words[i])) != NULL)
			return (p + strlen(words[i]));
	}
	return (NULL);
}

/* A date written right before word (印的2024.05.03生产), or -1. */
/* Does s start with a Chinese numeral (一 ... 十, 两)? */
static int
parse_cn_digit(const char *s)
{
	const char	*p = s;

	/* All of them are three bytes from 0xe4 to 0xe9: most text is not. */
	if ((unsigned char)*s < 0xe4 || (unsigned char)*s > 0xe9)
		return (0);
	return (parse_cn_int(&p) >= 0);
}

static long
parse_date_before(const char *norm, const struct parse_when *w,
    const char *word)
{
	const char	*p, *end, *rest, *last;
	long		 day;

	/* A date ends right before the word: none if the word is not here. */
	if ((last = strstr(norm, word)) == NULL)
		return (-1);
	while ((p = strstr(last + 1, word)) != NULL)
		last = p;
	for (p = norm; p < last; p++) {
		if (isdigit((unsigned char)*p)) {
			if (p > norm && isdigit((unsigned char)p[-1]))
				continue;
		} else if (!parse_cn_digit(p))
			continue;
		if ((day = parse_date(p, w, &end)) < 0)
			continue;
		while (*end == ' ')
			end++;
		if (parse_prefix(end, word, &rest))
			return (day);
	}
	return (-1);
}

/*
 * Expiry arithmetic: 1 if the production date plus the shelf life is
 * before the receive date, -1 if not yet, 0 if the text does not say.
 */
int
parse_expiry(const char *norm, time_t received)
{
	static const char *const made[] = {
		"生产日期", "生产于", "出厂日期", "生产时间", "日期", NULL
	};
	static const char *const shelf[] = { "保质期", "保存期", NULL };
	static const char *const until[] = {
		"到期日", "到期时间", "保质期至", "有效期至", "保质期到", NULL
	};
	const char		*p;
	struct tm		 tm;
	struct parse_when	 w;
	long			 day, life;

	clock_china_tm(received, &tm);
	w.today = clock_china_day(received);
	w.year = tm.tm_year + 1900;
	w.month = tm.tm_mon + 1;
	w.made = 0;
	if ((p = parse_after(norm, until)) != NULL &&
	    (day = parse_date(p, &w, NULL)) >= 0)
		return (day < w.today ? 1 : -1);
	w.made = 1;
	if ((p = parse_after(norm, made)) != NULL &&
	    parse_after(norm, shelf) == NULL &&
	    parse_old_year(p, w.year, w.month))
		return (PARSE_OLD_YEAR);
	if (((p = parse_after(norm, made)) == NULL ||
	    (day = parse_date(p, &w, NULL)) < 0) &&
	    (day = parse_date_before(norm, &w, "生产")) < 0)
		return (0);
	if ((p = parse_after(norm, shelf)) == NULL ||
	    (life = parse_shelf_life(p)) < 0)
		return (0);
	return (day + life < w.today ? 1 : -1);
}
