/*
 * The reward state table (pure): pending -> ineligible | eligible ->
 * approved -> notified -> claimed -> paid, with expired (not claimed in
 * time) and revoked (by a person, with why). A decision can be
 * reconsidered while nothing was promised to the reporter.
 */
#include "config.h"

#include <string.h>

#include "tipgw/reward_state.h"

static const char *const reward_state_names[REWARD_NSTATES] = {
	[REWARD_NEW] = "new",
	[REWARD_PENDING] = "pending",
	[REWARD_INELIGIBLE] = "ineligible",
	[REWARD_ELIGIBLE] = "eligible",
	[REWARD_APPROVED] = "approved",
	[REWARD_NOTIFIED] = "notified",
	[REWARD_CLAIMED] = "claimed",
	[REWARD_PAID] = "paid",
	[REWARD_EXPIRED] = "expired",
	[REWARD_REVOKED] = "revoked",
};

static const char *const reward_event_names[REWARD_NEVENTS] = {
	[REWARD_EV_PROPOSE] = "propose",
	[REWARD_EV_ELIGIBLE] = "eligible",
	[REWARD_EV_INELIGIBLE] = "ineligible",
	[REWARD_EV_RECONSIDER] = "reconsider",
	[REWARD_EV_APPROVE] = "approve",
	[REWARD_EV_NOTIFY] = "notify",
	[REWARD_EV_CLAIM] = "claim",
	[REWARD_EV_PAY] = "pay",
	[REWARD_EV_EXPIRE] = "expire",
	[REWARD_EV_REVOKE] = "revoke",
};

#define REVOKE(s)	{ s, REWARD_EV_REVOKE, REWARD_REVOKED }

static const struct reward_transition reward_table[] = {
	{ REWARD_NEW, REWARD_EV_PROPOSE, REWARD_PENDING },
	{ REWARD_PENDING, REWARD_EV_ELIGIBLE, REWARD_ELIGIBLE },
	{ REWARD_PENDING, REWARD_EV_INELIGIBLE, REWARD_INELIGIBLE },
	{ REWARD_INELIGIBLE, REWARD_EV_RECONSIDER, REWARD_PENDING },
	{ REWARD_ELIGIBLE, REWARD_EV_RECONSIDER, REWARD_PENDING },
	{ REWARD_ELIGIBLE, REWARD_EV_APPROVE, REWARD_APPROVED },
	{ REWARD_APPROVED, REWARD_EV_NOTIFY, REWARD_NOTIFIED },
	{ REWARD_NOTIFIED, REWARD_EV_CLAIM, REWARD_CLAIMED },
	/* An anonymous reporter, told by no SMS, claims with code and PIN. */
	{ REWARD_APPROVED, REWARD_EV_CLAIM, REWARD_CLAIMED },
	{ REWARD_NOTIFIED, REWARD_EV_EXPIRE, REWARD_EXPIRED },
	{ REWARD_CLAIMED, REWARD_EV_PAY, REWARD_PAID },
	REVOKE(REWARD_PENDING),
	REVOKE(REWARD_ELIGIBLE),
	REVOKE(REWARD_APPROVED),
	REVOKE(REWARD_NOTIFIED),
	REVOKE(REWARD_CLAIMED),
	REVOKE(REWARD_PAID),		/* money recovered, by law */
};

/* The transition event takes from state, or NULL if it is refused. */
const struct reward_transition *
reward_next(enum reward_state from, enum reward_event event)
{
	size_t	 i;

	for (i = 0; i < sizeof reward_table / sizeof reward_table[0]; i++) {
		if (reward_table[i].from == from &&
		    reward_table[i].event == event)
			return (&reward_table[i]);
	}
	return (NULL);
}

const char *
reward_state_name(enum reward_state s)
{
	if ((unsigned int)s >= (unsigned int)REWARD_NSTATES)
		return ("unknown");
	return (reward_state_names[s]);
}

int
reward_state_parse(const char *name, enum reward_state *s)
{
	int	 i;

	for (i = 0; name != NULL && i < REWARD_NSTATES; i++) {
		if (strcmp(reward_state_names[i], name) == 0) {
			*s = (enum reward_state)i;
			return (0);
		}
	}
	return (-1);
}

const char *
reward_event_name(enum reward_event e)
{
	if ((unsigned int)e >= (unsigned int)REWARD_NEVENTS)
		return ("unknown");
	return (reward_event_names[e]);
}
