/*
 * The Chinese working-day calendar deadlines are counted on (pure):
 * weekends, statutory holidays and the make-up working days (调休) the
 * State Council announces each year, loaded from a file.
 */
#ifndef TIPGW_WORKDAY_H
#define TIPGW_WORKDAY_H

#include <stddef.h>
#include <time.h>

struct workday_cal;

/* Days a period does not run (testing, inspection), both ends included. */
struct workday_pause {
	long	 from, to;
};

struct workday_cal *workday_new(void);
int		 workday_load(struct workday_cal *, const char *name,
		    const char *text, char **cause);
void		 workday_free(struct workday_cal *);
struct workday_cal *workday_load_file(const char *path, char **cause);
long		 workday_day(int year, int month, int mday);
void		 workday_ymd(long day, int *year, int *month, int *mday);
int		 workday_covers(const struct workday_cal *, long day);
long		 workday_covered_until(const struct workday_cal *, long today);
void		 workday_forget_year(struct workday_cal *, int year);
void		 workday_mark(struct workday_cal *, int year, long day,
		    int holiday);
int		 workday_marked(const struct workday_cal *, long day);
int		 workday_is_working(const struct workday_cal *, long day);
long		 workday_add(const struct workday_cal *, long start, int n,
		    const struct workday_pause *, size_t npauses);
long		 workday_calendar_days(const struct workday_cal *, long start,
		    int n);
int		 workday_left(const struct workday_cal *, long today,
		    long deadline);

#endif
