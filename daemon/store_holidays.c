/*
 * The holiday years imported from the State Council's notice: a year is
 * replaced whole, with an audit event that is also its batch.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/holidays.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

static int
store_holidays_write(struct store *st, const struct holidays_notice *hn,
    long long batch, char **cause)
{
	sqlite3_stmt	*s;
	char		 day[16];
	size_t		 i;
	int		 y, m, d;

	s = store_stmt(st, STMT_HOLIDAYS_DELETE);
	sqlite3_bind_int(s, 1, hn->year);
	if (store_run(st, s, cause, "replacing the year's holidays") != 0)
		return (-1);
	for (i = 0; i < hn->ndays; i++) {
		workday_ymd(hn->days[i].day, &y, &m, &d);
		snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
		s = store_stmt(st, STMT_HOLIDAYS_INSERT);
		store_bind_text(s, 1, day);
		store_bind_text(s, 2, hn->days[i].holiday ? "holiday" :
		    "workday");
		sqlite3_bind_int(s, 3, hn->year);
		store_bind_text(s, 4, hn->days[i].name[0] != '\0' ?
		    hn->days[i].name : NULL);
		sqlite3_bind_int64(s, 5, batch);
		if (store_run(st, s, cause, "adding a holiday") != 0)
			return (-1);
	}
	return (0);
}

/* Replace the notice's year with its days, audited, in one transaction. */
int
store_holidays_import(struct store *st, const struct holidays_notice *hn,
    time_t now, const char *actor, const char *source, char **cause)
{
	char	*detail;
	int	 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	xasprintf(&detail, "year=%d holidays=%d workdays=%d source=%s",
	    hn->year, hn->nholidays, hn->nworkdays, source);
	rc = store_event_add(st, now, actor, "holidays.import", 0, detail,
	    cause);
	free(detail);
	if (rc == 0)
		rc = store_holidays_write(st, hn,
		    (long long)sqlite3_last_insert_rowid(st->db), cause);
	return (store_finish(st, rc, cause));
}

/* Each imported day: the notice's year, the day, off (1) or on (0). */
int
store_holidays_foreach(struct store *st, store_holiday_cb cb, void *arg,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_HOLIDAYS_ALL);
	const char	*day, *kind;
	int		 rc, y, m, d;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		day = (const char *)sqlite3_column_text(s, 1);
		kind = (const char *)sqlite3_column_text(s, 2);
		if (day == NULL || kind == NULL ||
		    sscanf(day, "%d-%d-%d", &y, &m, &d) != 3)
			continue;
		cb(sqlite3_column_int(s, 0), workday_day(y, m, d),
		    strcmp(kind, "holiday") == 0, arg);
	}
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "reading the holidays");
		return (-1);
	}
	return (0);
}

/* A number that changes whenever a year is imported. */
int
store_holidays_stamp(struct store *st, long long *stamp, char **cause)
{
	return (store_run_int(st, store_stmt(st, STMT_HOLIDAYS_STAMP), stamp,
	    cause, "reading the holidays"));
}
