/*
 * holidays.c: the State Council's notice read from its text. The 2026
 * notice in contrib/ must give exactly the 2026 lines of the shipped
 * calendar (two sources that must agree); then the forms other years
 * used, and every way a notice can be misread, each refused with the
 * clause it comes from.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tipgw/holidays.h"
#include "tipgw/workday.h"

/* The notice's days as the calendar file writes them, one a line. */
static char *
lines(const struct holidays_notice *hn)
{
	static char	 buf[8192];
	size_t		 i, o = 0;
	int		 y, m, d;

	buf[0] = '\0';
	for (i = 0; i < hn->ndays && o < sizeof buf - 64; i++) {
		workday_ymd(hn->days[i].day, &y, &m, &d);
		o += (size_t)snprintf(buf + o, sizeof buf - o,
		    "%04d-%02d-%02d %s\n", y, m, d,
		    hn->days[i].holiday ? "holiday" : "workday");
	}
	return (buf);
}

static int
cmp_line(const void *a, const void *b)
{
	return (strcmp(a, b));
}

/* The shipped file's lines of a year in order, without notes. */
static char *
shipped(const char *text, int year)
{
	static char	 buf[8192];
	char		 line[256], kind[16], prefix[8], got[128][64];
	const char	*s = text, *nl;
	size_t		 o = 0, n = 0, i;
	int		 y, m, d;

	buf[0] = '\0';
	snprintf(prefix, sizeof prefix, "%d-", year);
	for (; *s != '\0'; s = nl ? nl + 1 : s + strlen(s)) {
		nl = strchr(s, '\n');
		snprintf(line, sizeof line, "%.*s",
		    (int)(nl ? nl - s : (long)strlen(s)), s);
		if (strncmp(line, prefix, 5) != 0 ||
		    sscanf(line, "%d-%d-%d %15s", &y, &m, &d, kind) != 4)
			continue;
		if (n < sizeof got / sizeof got[0])
			snprintf(got[n++], sizeof got[0], "%04d-%02d-%02d %s",
			    y, m, d, kind);
	}
	qsort(got, n, sizeof got[0], cmp_line);
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s\n", got[i]);
	return (buf);
}

static void
test_2026(void)
{
	struct holidays_notice	 hn;
	char			*notice = tap_read_srcfile("contrib/holidays-notice-2026.txt");
	char			*file = tap_read_srcfile("contrib/holidays-cn.txt");
	char			*cause = NULL;
	size_t			 i;

	ok(holidays_parse(notice, 0, &hn, &cause) == 0, "2026 notice read%s%s",
	    cause ? ": " : "", cause ? cause : "");
	is_int(hn.year, 2026, "the year from the title");
	is_str(lines(&hn), shipped(file, 2026),
	    "the notice gives the shipped calendar's 2026 days");
	is_int(hn.nholidays, 33, "33 days off");
	is_int(hn.nworkdays, 6, "6 make-up working days");
	for (i = 0; i < hn.ndays; i++) {
		if (hn.days[i].day == workday_day(2026, 2, 28))
			break;
	}
	ok(i < hn.ndays && strcmp(hn.days[i].name, "春节") == 0,
	    "a 上班 day carries its item's name (春节)");
	holidays_free(&hn);
	ok(holidays_parse(notice, 2027, &hn, &cause) != 0,
	    "--year 2027 on the 2026 notice: its dates are not 2027's");
	free(cause);
	cause = NULL;
	free(notice);
	free(file);
}

static void
test_forms(void)
{
	struct holidays_notice	 hn;
	char			*cause = NULL;

	/* 2023: across the year's end, years written out. */
	ok(holidays_parse("国务院办公厅关于2023年部分节假日安排的通知\n"
	    "一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。\n",
	    0, &hn, &cause) == 0, "a range across the new year");
	is_str(lines(&hn), "2022-12-31 holiday\n2023-01-01 holiday\n"
	    "2023-01-02 holiday\n", "its three days");
	holidays_free(&hn);
	/* 2025: one day, no 调休; two festivals in one item. */
	ok(holidays_parse("关于2025年部分节假日安排的通知\r\n"
	    "一、元旦：1月1日（周三）放假1天，不调休。\r\n"
	    "七、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。"
	    "9月28日（周日）、10月11日（周六）上班。\r\n", 0, &hn, &cause) == 0,
	    "one day off; CRLF lines%s%s", cause ? ": " : "",
	    cause ? cause : "");
	is_int(hn.nholidays, 9, "1 + 8 days off");
	is_int(hn.nworkdays, 2, "2 working days");
	is_str(hn.days[hn.ndays - 1].name, "国庆节、中秋节",
	    "the item's name without its number");
	holidays_free(&hn);
	/* Full-width digits and ASCII punctuation, year given. */
	ok(holidays_parse("劳动节:５月１日至５日放假,4月27日(周日)上班.", 2025,
	    &hn, &cause) == 0, "full-width digits, ASCII colon and brackets");
	is_int(hn.nholidays, 5, "five days off");
	is_int(hn.nworkdays, 1, "one working day");
	holidays_free(&hn);
}

static void
refused(const char *text, int year, const char *want, const char *what)
{
	struct holidays_notice	 hn;
	char			*cause = NULL;
	int			 rc = holidays_parse(text, year, &hn, &cause);

	ok(rc != 0 && cause != NULL && strstr(cause, want) != NULL,
	    "refused: %s (%s)", what, cause ? cause : "accepted");
	if (rc == 0)
		holidays_free(&hn);
	free(cause);
}

static void
test_refused(void)
{
	refused("一、元旦：1月1日放假。", 0, "--year", "no year anywhere");
	refused("关于2027年部分节假日安排的通知\n经国务院批准，现将安排通知"
	    "如下。", 0, "no days off", "a text with no 放假");
	refused("关于2026年部分节假日安排的通知\n春节：2月30日放假。", 0,
	    "2月30日", "a day that does not exist, naming its clause");
	refused("关于2026年部分节假日安排的通知\n春节：2月23日至15日放假。", 0,
	    "range", "a range backwards");
	refused("关于2026年部分节假日安排的通知\n春节：2月1日至28日放假。", 0,
	    "range", "a month off");
	refused("关于2026年部分节假日安排的通知\n春节：2月16日（周一）上班。", 0,
	    "weekday", "上班 on a Monday");
	refused("关于2026年部分节假日安排的通知\n元旦：1月3日放假。"
	    "1月3日上班。", 0, "both", "a day both off and on");
	refused("关于2026年部分节假日安排的通知\n元旦：3日至5日放假。", 0,
	    "month", "a 日 without its month");
	refused("关于2026年部分节假日安排的通知\n元旦：2029年1月1日放假。", 0,
	    "year", "a year far from the notice's");
	refused("关于2026年部分节假日安排的通知\n春节：1月3日、1月4日、1月10日、"
	    "1月11日、1月17日、1月18日、1月24日、1月25日、1月31日、2月1日、"
	    "2月7日、2月8日、2月14日、2月15日、2月21日、2月22日、2月28日上班。",
	    0, "more dates", "17 dates in a clause: none dropped silently");
}

int
main(void)
{
	test_2026();
	test_forms();
	test_refused();
	return (done_testing());
}
