/*
 * The working-day calendar deadlines count on: the holiday file, with
 * the years imported into the ledger from the State Council's notice in
 * place of the file's lines for them.
 */
#ifndef TIPGW_CALENDAR_H
#define TIPGW_CALENDAR_H

struct store;
struct workday_cal;

#define CALENDAR_AHEAD_DAYS	60	/* warn when it runs out sooner */

struct workday_cal *calendar_load(struct store *, const char *path,
		    char **cause);

#endif
