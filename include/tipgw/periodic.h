/*
 * The campaign's periodic work (periodic.c), run by the daemon's
 * reminder timer: tips on one target are proposed as cases; rewards not
 * claimed within their claim period expire; the quarter's report is
 * e-mailed before the 25th of its last month.
 */
#ifndef TIPGW_PERIODIC_H
#define TIPGW_PERIODIC_H

#include <time.h>

struct report;
struct store;
struct workday_cal;

struct periodic_options {
	const char	*report_email;	/* addresses, NULL: none */
	unsigned int	 report_days_before;
	int		 ack_days;
	unsigned int	 case_window;	/* seconds: one target's tips */
	char		*reported;	/* 16 bytes, the caller's: the
					 * quarter queued already ("") */
};

int	report_collect(struct store *, const struct workday_cal *,
	    int ack_days, struct report *, char **cause);
int	periodic_run(struct store *, const struct workday_cal *,
	    const struct periodic_options *, time_t now, int *proposed,
	    int *expired, int *mailed, char **cause);

#endif
