/*
 * The State Council's yearly notice of holidays (国务院办公厅关于YYYY年
 * 部分节假日安排的通知), read from its text as published (pure): the
 * days off (放假) and the weekend days made working days (上班, 调休).
 */
#ifndef TIPGW_HOLIDAYS_H
#define TIPGW_HOLIDAYS_H

#include <stddef.h>

#define HOLIDAYS_NAME_MAX	48

struct holidays_day {
	long	 day;			/* workday_day() */
	int	 holiday;		/* 1: 放假; 0: 上班 */
	char	 name[HOLIDAYS_NAME_MAX]; /* 春节, 国庆节、中秋节 ... */
};

struct holidays_notice {
	int			 year;
	struct holidays_day	*days;		/* by day */
	size_t			 ndays;
	int			 nholidays, nworkdays;
};

/*
 * Read a notice; year is the notice's year, or 0 to take it from the
 * title. -1 and *cause (naming the clause) if it cannot be read whole.
 */
int	holidays_parse(const char *text, int year, struct holidays_notice *,
	    char **cause);
void	holidays_free(struct holidays_notice *);

#endif
