/*
 * An outbox row's life (pure): its states, the events that move it, one
 * {from, event, to, actions} table, and the intents a row is queued for
 * (a column of the row, never read back out of its dedup key).
 */
#ifndef TIPGW_OUTBOX_STATE_H
#define TIPGW_OUTBOX_STATE_H

enum outbox_state {
	OUTBOX_QUEUED,
	OUTBOX_SENDING,
	OUTBOX_SENT,
	OUTBOX_FAILED,		/* to be tried again at next_attempt_at */
	OUTBOX_DEAD,		/* given up: a person decides */
};
#define OUTBOX_NSTATES	((int)OUTBOX_DEAD + 1)

enum outbox_event {
	OUTBOX_EV_TAKE,		/* due: handed to its channel */
	OUTBOX_EV_SENT,		/* the modem, the server or the SMTP host took it */
	OUTBOX_EV_FAIL,		/* failed; tried again later */
	OUTBOX_EV_GIVE_UP,	/* failed max_attempts times: a dead letter */
	OUTBOX_EV_HOLD,		/* held (quiet hours, the budget): no attempt */
	OUTBOX_EV_CANCEL,	/* the number opted out after it was queued */
	OUTBOX_EV_STOP,		/* tipgwd stopped while it was in flight */
	OUTBOX_EV_RESEND,	/* in flight at a crash, not confirmed: again */
	OUTBOX_EV_RETRY,	/* a person puts it back in the queue */
};
#define OUTBOX_NEVENTS	((int)OUTBOX_EV_RETRY + 1)

/* Entry actions, run by the ledger. */
#define OUTBOX_DO_COUNT		0x01	/* an attempt */
#define OUTBOX_DO_UNCOUNT	0x02	/* taken back: not an attempt */
#define OUTBOX_DO_ERROR		0x04	/* keep why */
#define OUTBOX_DO_CLEAR_ERROR	0x08
#define OUTBOX_DO_NEXT		0x10	/* when to try next */
#define OUTBOX_DO_SENT_AT	0x20
#define OUTBOX_DO_AUDIT		0x40	/* an event in the audit log */
#define OUTBOX_DO_NOTICE	0x80	/* tell the coordinator, hourly */
#define OUTBOX_DO_RESENT	0x100	/* goes again after a crash */

struct outbox_transition {
	enum outbox_state	 from;
	enum outbox_event	 event;
	enum outbox_state	 to;
	unsigned int		 actions;	/* OUTBOX_DO_* */
};

/* Why a row was queued. */
enum outbox_intent {
	OUTBOX_ACK,		/* a tip's acknowledgement (code, PIN) */
	OUTBOX_QUESTION,	/* where? */
	OUTBOX_REPLY,		/* an answer to a command or a repeat */
	OUTBOX_HOWTO,		/* after a missed call */
	OUTBOX_ALERT,		/* a tip, to its office */
	OUTBOX_NOTICE,		/* to the coordinator: a tip, a fault */
	OUTBOX_REMIND,		/* a deadline, to the office */
	OUTBOX_ESCALATE,	/* a passed deadline, to the coordinator */
	OUTBOX_MANUAL,		/* tipgwctl send */
	OUTBOX_REWARD,		/* a reward approved: how to claim it */
	OUTBOX_BROADCAST,	/* 消费警示 to subscribers */
	OUTBOX_REPORT,		/* the quarter's report, by e-mail */
};
#define OUTBOX_NINTENTS	((int)OUTBOX_REPORT + 1)

const struct outbox_transition *outbox_next(enum outbox_state,
		    enum outbox_event);
const char	*outbox_state_name(enum outbox_state);
int		 outbox_state_parse(const char *, enum outbox_state *);
const char	*outbox_event_name(enum outbox_event);
const char	*outbox_intent_name(enum outbox_intent);
int		 outbox_intent_parse(const char *, enum outbox_intent *);
int		 outbox_intent_urgent(enum outbox_intent);

#endif
