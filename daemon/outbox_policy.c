/*
 * The outbox's policy (pure): how long to wait before trying again, when
 * quiet hours end, and whether a due row is sent, held or cancelled.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "tipgw/clock.h"
#include "tipgw/outbox.h"
#include "tipgw/outbox_state.h"
#include "tipgw/store.h"

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

/*
 * What to do with a due row (policy, apart from the sending): an SMS to a
 * reporter whose number opted out after it was queued is cancelled; one
 * that is not a fresh answer waits out the daily budget and quiet hours.
 * An acknowledgement waits for the budget only when SMS to reporters
 * alone used it up: office traffic never holds a villager's code and
 * PIN. Messages to offices and the coordinator always go, as do webhooks
 * and e-mail. *until and *why say how long and why a row is held.
 */
enum outbox_decision
outbox_decide(const struct outbox_options *o,
    const struct store_outbox_item *row, const struct outbox_budget *b,
    time_t now, time_t *until, const char **why)
{
	time_t	 budget_until = row->intent == OUTBOX_ACK ?
		    b->reporters_until : b->all_until;

	*until = 0;
	*why = NULL;
	if (strcmp(row->channel, "sms") != 0 ||
	    outbox_intent_urgent(row->intent))
		return (OUTBOX_SEND);
	if (row->opted_out) {
		*why = "the number opted out; not sent";
		return (OUTBOX_CANCEL);
	}
	if (budget_until != 0) {
		*until = budget_until;
		*why = "daily SMS budget reached; held until tomorrow";
		return (OUTBOX_HOLD);
	}
	if (now - row->created_at > OUTBOX_ANSWER_WINDOW &&
	    (*until = outbox_quiet_until(o, now)) != 0) {
		*why = "quiet hours; held until they end";
		return (OUTBOX_HOLD);
	}
	return (OUTBOX_SEND);
}
