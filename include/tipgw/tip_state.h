/*
 * A tip's life (pure): its states, who owns a tip in each, the events
 * that move it, and the one table of what each event does in each state.
 * Nothing else decides a tip's state: store_tip_transition() applies
 * what tip_next() allows, guarded on the state it read, and runs the
 * entry actions the table names.
 */
#ifndef TIPGW_TIP_STATE_H
#define TIPGW_TIP_STATE_H

#include <stddef.h>

enum tip_state {
	TIP_NEW,		/* not in the ledger yet: a creation's from */
	TIP_RECEIVED,		/* kept, nothing understood it */
	TIP_AWAITING_REPLY,	/* a question about the place is open */
	TIP_TRIAGE,		/* no place after the questions */
	TIP_UNASSIGNED,		/* its township has no office */
	TIP_ROUTED,		/* the office is told, not yet 收到 */
	TIP_ACKNOWLEDGED,	/* 收到: the office verifies */
	TIP_FILED,		/* 立案: a case, on the case clock */
	TIP_RETURNED,		/* 退回: not the office's; the coordinator */
	TIP_CLOSED,		/* 办结, or closed by the coordinator */
};
#define TIP_NSTATES	((int)TIP_CLOSED + 1)

enum tip_event {
	TIP_EV_KEEP,		/* kept without understanding */
	TIP_EV_ASK,		/* a question to the reporter */
	TIP_EV_ROUTE,		/* placed in a township with an office */
	TIP_EV_NO_OFFICE,	/* placed in a township with none */
	TIP_EV_GIVE_UP,		/* no place after the questions */
	TIP_EV_MERGE,		/* new facts on the same target */
	TIP_EV_AMEND,		/* more of its text (a late part) */
	TIP_EV_OFFICE_ACK,	/* 收到 */
	TIP_EV_OFFICE_FILE,	/* 立案 */
	TIP_EV_OFFICE_DONE,	/* 办结, with the result */
	TIP_EV_OFFICE_RETURN,	/* 退回, with the reason */
	TIP_EV_REROUTE,		/* the coordinator routes it to an office */
	TIP_EV_CLOSE,		/* the coordinator closes it */
	TIP_EV_NOTE,		/* a note on its history */
	TIP_EV_EXTEND,		/* its clock extended, once */
	TIP_EV_PAUSE,		/* its clock paused (testing) */
	TIP_EV_RESUME,		/* ... and running again */
};
#define TIP_NEVENTS	((int)TIP_EV_RESUME + 1)

/* Who has to act on a tip in a state. */
enum tip_owner {
	TIP_OWNER_NONE,		/* nobody: new, or closed */
	TIP_OWNER_REPORTER,	/* the reporter is asked */
	TIP_OWNER_OFFICE,	/* the township's office, on its clock */
	TIP_OWNER_COORDINATOR,	/* the county's coordinator */
};

/* Entry actions of a transition, run by the ledger in C. */
#define TIP_DO_OFFICE		0x01	/* the office of its township */
#define TIP_DO_CLEAR_OFFICE	0x02	/* no office any more */
#define TIP_DO_CLOCK		0x04	/* (re)start the owner's clock */
#define TIP_DO_CASE_CLOCK	0x08	/* start the case clock (立案) */
#define TIP_DO_TELL		0x10	/* tell the new owner of the tip */
#define TIP_DO_TELL_UPDATE	0x20	/* tell the office of new facts */
#define TIP_DO_CLOSED		0x40	/* record when it was closed */
#define TIP_DO_EXTEND		0x80	/* extend the clock (once) */
#define TIP_DO_PAUSE		0x100	/* pause the clock */
#define TIP_DO_RESUME		0x200	/* end the pause */

struct tip_transition {
	enum tip_state	 from;
	enum tip_event	 event;
	enum tip_state	 to;
	unsigned int	 actions;	/* TIP_DO_* */
};

const struct tip_transition *tip_next(enum tip_state, enum tip_event);
const char	*tip_state_name(enum tip_state);
int		 tip_state_parse(const char *, enum tip_state *);
const char	*tip_state_words(enum tip_state);
enum tip_owner	 tip_state_owner(enum tip_state);
const char	*tip_owner_name(enum tip_owner);
const char	*tip_event_name(enum tip_event);
int		 tip_event_parse(const char *, enum tip_event *);
char		*tip_states_json(unsigned int owners);
size_t		 tip_transitions(const struct tip_transition **);

/* Owner masks for tip_states_json(). */
#define TIP_OWNS(o)	(1u << (o))

#endif
