/*
 * A reward's life (pure): its states, the events that move it, and the
 * one table of what each event does in each state. The ledger applies
 * what reward_next() allows, guarded on the state it read, audits the
 * change with who and why, and logs it.
 */
#ifndef TIPGW_REWARD_STATE_H
#define TIPGW_REWARD_STATE_H

enum reward_state {
	REWARD_NEW,		/* not in the ledger yet: a creation's from */
	REWARD_PENDING,		/* the case's outcome not decided yet */
	REWARD_INELIGIBLE,	/* the rules say no, and why */
	REWARD_ELIGIBLE,	/* the rules say yes, with an amount */
	REWARD_APPROVED,	/* a person approved the amount */
	REWARD_NOTIFIED,	/* the reporter was told to claim */
	REWARD_CLAIMED,		/* 领奖 CODE PIN, within the claim period */
	REWARD_PAID,
	REWARD_EXPIRED,		/* not claimed within the claim period */
	REWARD_REVOKED,		/* withdrawn (false report, fraud), with why */
};
#define REWARD_NSTATES	((int)REWARD_REVOKED + 1)

enum reward_event {
	REWARD_EV_PROPOSE,	/* a reporter of a case: its reward opened */
	REWARD_EV_ELIGIBLE,	/* the decision: yes */
	REWARD_EV_INELIGIBLE,	/* the decision: no */
	REWARD_EV_RECONSIDER,	/* the outcome or a flag changed */
	REWARD_EV_APPROVE,
	REWARD_EV_NOTIFY,	/* the claim SMS is queued */
	REWARD_EV_CLAIM,
	REWARD_EV_PAY,
	REWARD_EV_EXPIRE,
	REWARD_EV_REVOKE,
};
#define REWARD_NEVENTS	((int)REWARD_EV_REVOKE + 1)

struct reward_transition {
	enum reward_state	 from;
	enum reward_event	 event;
	enum reward_state	 to;
};

const struct reward_transition *reward_next(enum reward_state,
		    enum reward_event);
const char	*reward_state_name(enum reward_state);
int		 reward_state_parse(const char *, enum reward_state *);
const char	*reward_event_name(enum reward_event);

#endif
