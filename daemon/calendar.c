/*
 * The calendar: the holiday file, then the ledger's imported years,
 * each replacing what the file says of its year.
 */
#include "config.h"

#include <stdlib.h>

#include "tipgw/calendar.h"
#include "tipgw/store.h"
#include "tipgw/workday.h"

struct calendar_fill {
	struct workday_cal	*cal;
	int			 year;		/* the last forgotten */
};

static void
calendar_day_cb(int year, long day, int holiday, void *arg)
{
	struct calendar_fill	*f = arg;

	if (year != f->year) {
		workday_forget_year(f->cal, year);
		f->year = year;
	}
	workday_mark(f->cal, year, day, holiday);
}

/* The file's calendar with the ledger's years (st may be NULL). */
struct workday_cal *
calendar_load(struct store *st, const char *path, char **cause)
{
	struct calendar_fill	 f;

	if ((f.cal = workday_load_file(path, cause)) == NULL)
		return (NULL);
	f.year = 0;
	if (st != NULL &&
	    store_holidays_foreach(st, calendar_day_cb, &f, cause) != 0) {
		workday_free(f.cal);
		return (NULL);
	}
	return (f.cal);
}
