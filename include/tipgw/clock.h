/*
 * One clock and one owner of China local time. Every module reads the
 * time through clock_now() (tests may shift it), and turns a time into
 * a China local day, minute or date only through the functions here:
 * China Standard Time is UTC+8 all year, with no daylight saving.
 */
#ifndef TIPGW_CLOCK_H
#define TIPGW_CLOCK_H

#include <stddef.h>
#include <time.h>

void	 clock_init(void);
time_t	 clock_now(void);
time_t	 clock_shifted(time_t wall);
long	 clock_china_day(time_t);
int	 clock_china_minute(time_t);
time_t	 clock_china_midnight(time_t);
time_t	 clock_china_day_start(long day);
void	 clock_china_tm(time_t, struct tm *);
char	*clock_china_format(time_t, const char *fmt, char *buf, size_t len)
	    __attribute__((format(strftime, 2, 0)));
int	 clock_parse_query(const char *, int end, time_t *);

#endif
