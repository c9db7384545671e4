/*
 * tipgwctl holidays import FILE: a year's holidays from the State
 * Council's notice, as published, into the ledger (tipgwd takes it up
 * within a minute). tipgwctl holidays list: the years the calendar
 * knows, where from, and how far it reaches.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/calendar.h"
#include "tipgw/clock.h"
#include "tipgw/config.h"
#include "tipgw/holidays.h"
#include "tipgw/store.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

#define CTL_HOLIDAYS_FILE_MAX	(256 * 1024)
#define CTL_HOLIDAYS_YEAR_MIN	2000
#define CTL_HOLIDAYS_YEAR_MAX	2199

static char *
ctl_holidays_read(const char *path)
{
	FILE	*f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char	*text;
	size_t	 len;

	if (f == NULL) {
		fprintf(stderr, "tipgwctl: %s: %s\n", path, strerror(errno));
		return (NULL);
	}
	text = xmalloc(CTL_HOLIDAYS_FILE_MAX + 2);
	len = fread(text, 1, CTL_HOLIDAYS_FILE_MAX + 1, f);
	if (f != stdin)
		fclose(f);
	text[len] = '\0';
	if (len > CTL_HOLIDAYS_FILE_MAX || strlen(text) != len) {
		fprintf(stderr, "tipgwctl: %s: not a notice (over %d bytes, "
		    "or not text)\n", path, CTL_HOLIDAYS_FILE_MAX);
		free(text);
		return (NULL);
	}
	return (text);
}

static void
ctl_holidays_print(const struct holidays_notice *hn)
{
	size_t	 i;
	int	 y, m, d;

	for (i = 0; i < hn->ndays; i++) {
		workday_ymd(hn->days[i].day, &y, &m, &d);
		printf("%04d-%02d-%02d %s %s\n", y, m, d,
		    hn->days[i].holiday ? "holiday" : "workday",
		    hn->days[i].name[0] != '\0' ? hn->days[i].name : "-");
	}
}

static int
ctl_holidays_import(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct holidays_notice	 hn;
	char			*text, *cause = NULL, *end;
	long			 year = 0;
	int			 ch, dry = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'y') {
			errno = 0;
			year = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' ||
			    year < CTL_HOLIDAYS_YEAR_MIN ||
			    year > CTL_HOLIDAYS_YEAR_MAX) {
				fprintf(stderr, "tipgwctl: --year: expected a "
				    "year such as 2027, not \"%s\"\n", optarg);
				return (1);
			}
		} else if (ch == 'n')
			dry = 1;
		else
			return (-1);
	}
	if (optind + 1 != argc)
		return (-1);
	if ((text = ctl_holidays_read(argv[optind])) == NULL)
		return (1);
	if (holidays_parse(text, (int)year, &hn, &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s: %s; nothing imported\n",
		    argv[optind], cause);
		free(cause);
		free(text);
		return (1);
	}
	free(text);
	ctl_holidays_print(&hn);
	if (!dry && store_holidays_import(c->store, &hn, clock_now(),
	    c->actor, argv[optind], &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s; nothing imported\n", cause);
		free(cause);
		holidays_free(&hn);
		return (1);
	}
	printf("%s %d: %d days off, %d make-up working days%s\n",
	    dry ? "read" : "imported", hn.year, hn.nholidays, hn.nworkdays,
	    dry ? " (--dry-run: the ledger is unchanged)" :
	    "; tipgwd counts on them within a minute");
	holidays_free(&hn);
	return (0);
}

struct ctl_holidays_years {
	int	 year[CTL_HOLIDAYS_YEAR_MAX - CTL_HOLIDAYS_YEAR_MIN + 1];
};

static void
ctl_holidays_year_cb(int year, long day, int holiday, void *arg)
{
	struct ctl_holidays_years	*ly = arg;

	(void)day;
	(void)holiday;
	if (year >= CTL_HOLIDAYS_YEAR_MIN && year <= CTL_HOLIDAYS_YEAR_MAX)
		ly->year[year - CTL_HOLIDAYS_YEAR_MIN] = 1;
}

/* A year's counts, or with days its marked days, one a line. */
static void
ctl_holidays_year(const struct workday_cal *cal, int year, int imported,
    int days)
{
	long	 day, last = workday_day(year, 12, 31);
	int	 off = 0, on = 0, kind, y, m, d;

	for (day = workday_day(year, 1, 1); day <= last; day++) {
		if ((kind = workday_marked(cal, day)) == 0)
			continue;
		off += kind == 1;
		on += kind == 2;
		if (days) {
			workday_ymd(day, &y, &m, &d);
			printf("%04d-%02d-%02d %s\n", y, m, d,
			    kind == 1 ? "holiday" : "workday");
		}
	}
	if (!days)
		printf("%d %-7s %3d days off, %d make-up working days\n",
		    year, imported ? "ledger" : "file", off, on);
}

static int
ctl_holidays_list(struct ctl *c, int argc, char **argv)
{
	struct ctl_holidays_years	 ly;
	struct workday_cal		*cal;
	char				*cause = NULL, end[16];
	long				 today = clock_china_day(clock_now());
	long				 until, want = 0;
	int				 y, m, d;

	if (argc == 3 && strcmp(argv[1], "--year") == 0)
		want = strtol(argv[2], NULL, 10);
	else if (argc != 1)
		return (-1);
	memset(&ly, 0, sizeof ly);
	if ((cal = calendar_load(c->store, c->conf->holidays, &cause)) ==
	    NULL || store_holidays_foreach(c->store, ctl_holidays_year_cb, &ly,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		workday_free(cal);
		return (1);
	}
	for (y = CTL_HOLIDAYS_YEAR_MIN; y <= CTL_HOLIDAYS_YEAR_MAX; y++) {
		if ((want == 0 || want == y) &&
		    workday_covers(cal, workday_day(y, 1, 1)))
			ctl_holidays_year(cal, y,
			    ly.year[y - CTL_HOLIDAYS_YEAR_MIN], want != 0);
	}
	until = workday_covered_until(cal, today);
	workday_free(cal);
	if (want != 0)
		return (0);
	if (until < 0) {
		workday_ymd(today, &y, &m, &d);
		printf("warning: no holidays for %d: deadlines count weekends "
		    "only; import the State Council's notice\n", y);
		return (0);
	}
	workday_ymd(until, &y, &m, &d);
	snprintf(end, sizeof end, "%04d-%02d-%02d", y, m, d);
	printf("%s: until %s (%ld days from today)\n", until - today <
	    CALENDAR_AHEAD_DAYS ? "warning: the calendar ends soon" : "known",
	    end, until - today);
	return (0);
}

const struct ctl_entry ctl_holidays_import_entry = {
	.name = "holidays",
	.sub = "import",
	.flags = 0,
	.usage = "holidays import FILE [--year YYYY] [--dry-run]",
	.exec = ctl_holidays_import,
};

const struct ctl_entry ctl_holidays_list_entry = {
	.name = "holidays",
	.sub = "list",
	.flags = CTL_READONLY,
	.usage = "holidays list [--year YYYY]",
	.exec = ctl_holidays_list,
};
