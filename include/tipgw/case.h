/*
 * Cases (pure): which tips are one target, and a case's state table.
 * Tips on the same target (the same village, or the same shop word in
 * the same township, with the same problem) received within a window,
 * from any reporter and channel, are proposed as one case; a person
 * confirms or splits it. The earliest tip holds first-reporter
 * priority.
 */
#ifndef TIPGW_CASE_H
#define TIPGW_CASE_H

#include <stddef.h>
#include <time.h>

enum case_state {
	CASE_NEW,		/* not in the ledger yet */
	CASE_PROPOSED,		/* grouped by the rules; a person decides */
	CASE_CONFIRMED,		/* one case, as a person said */
	CASE_DECIDED,		/* its outcome recorded */
	CASE_CLOSED,		/* the 问题台账 complete, the follow-up done */
	CASE_DISSOLVED,		/* split until one tip was left */
};
#define CASE_NSTATES	((int)CASE_DISSOLVED + 1)

enum case_event {
	CASE_EV_PROPOSE,
	CASE_EV_OPEN,		/* a person groups tips (or one) as a case */
	CASE_EV_CONFIRM,
	CASE_EV_SPLIT,		/* a tip taken out */
	CASE_EV_DISSOLVE,	/* ... the last but one */
	CASE_EV_OUTCOME,	/* the finding, penalty, referral ... */
	CASE_EV_CLOSE,
};
#define CASE_NEVENTS	((int)CASE_EV_CLOSE + 1)

struct case_transition {
	enum case_state	 from;
	enum case_event	 event;
	enum case_state	 to;
};

/* A tip as grouping reads it. */
struct case_tip {
	long long	 id;
	time_t		 received_at;
	const char	*township;	/* 9 digits; NULL: unplaced */
	const char	*village;	/* 12 digits; NULL */
	const char	*shop;		/* 小卖部, as written; NULL */
	const char	*kind;		/* NULL: none */
	long long	 case_id;	/* 0: in no case */
};

const struct case_transition *case_next(enum case_state, enum case_event);
const char	*case_state_name(enum case_state);
int		 case_state_parse(const char *, enum case_state *);
const char	*case_event_name(enum case_event);
int		 case_same_target(const struct case_tip *,
		    const struct case_tip *, unsigned int window);
size_t		 case_group(struct case_tip *, size_t, unsigned int window,
		    long long *group);

#endif
