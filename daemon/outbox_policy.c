/*
 * The outbox's rules of time (pure): how long to wait before trying
 * again, when quiet hours end, which messages are never held.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "tipgw/clock.h"
#include "tipgw/outbox.h"

/*
 * The delay before attempt n+1: retry_min doubled per attempt, capped at
 * retry_max, then spread by up to a quarter either way, so that rows
 * that failed together do not all come back in the same second.
 */
time_t
outbox_retry_delay(const struct outbox_options *o, int attempts,
    unsigned int rnd)
{
	unsigned long long	 d = o->retry_min ? o->retry_min : 1;
	long long		 spread;
	int			 i;

	for (i = 1; i < attempts && d < o->retry_max; i++)
		d *= 2;
	if (d > o->retry_max)
		d = o->retry_max;
	spread = (long long)d / 4;
	if (spread > 0)
		d = d - (unsigned long long)spread +
		    rnd % (2 * (unsigned long long)spread + 1);
	return (d < 1 ? 1 : (time_t)d);
}

/* The end of quiet hours, if now is inside them; 0 otherwise. */
time_t
outbox_quiet_until(const struct outbox_options *o, time_t now)
{
	int	 m = clock_china_minute(now), inside, wait;

	if (o->quiet_from == o->quiet_to)
		return (0);
	if (o->quiet_from < o->quiet_to)
		inside = m >= o->quiet_from && m < o->quiet_to;
	else
		inside = m >= o->quiet_from || m < o->quiet_to;
	if (!inside)
		return (0);
	wait = o->quiet_to - m;
	if (wait <= 0)
		wait += 24 * 60;
	return (now - now % 60 + (time_t)wait * 60);
}

/* Alerts, reminders and escalations go to offices and are never held. */
int
outbox_urgent(const char *key)
{
	return (strncmp(key, "alert:", 6) == 0 ||
	    strncmp(key, "remind:", 7) == 0 ||
	    strncmp(key, "escalate:", 9) == 0 ||
	    strncmp(key, "budget:", 7) == 0);
}
