/*
 * The outbox row state table (pure). A row is sent at most as often as
 * the table lets it be taken: a sent row is never taken again, a row in
 * flight at a crash is an SMS a person decides on, or a webhook or an
 * e-mail sent again under the same key.
 */
#include "config.h"

#include <string.h>

#include "tipgw/outbox_state.h"

static const char *const outbox_state_names[OUTBOX_NSTATES] = {
	[OUTBOX_QUEUED] = "queued",
	[OUTBOX_SENDING] = "sending",
	[OUTBOX_SENT] = "sent",
	[OUTBOX_FAILED] = "failed",
	[OUTBOX_DEAD] = "dead",
};

static const char *const outbox_event_names[OUTBOX_NEVENTS] = {
	[OUTBOX_EV_TAKE] = "take",
	[OUTBOX_EV_SENT] = "sent",
	[OUTBOX_EV_FAIL] = "fail",
	[OUTBOX_EV_GIVE_UP] = "give_up",
	[OUTBOX_EV_HOLD] = "hold",
	[OUTBOX_EV_CANCEL] = "cancel",
	[OUTBOX_EV_STOP] = "stop",
	[OUTBOX_EV_RESEND] = "resend",
	[OUTBOX_EV_RETRY] = "retry",
};

static const struct {
	const char	*name;
	int		 urgent;	/* never held by quiet hours, budget */
} outbox_intents[OUTBOX_NINTENTS] = {
	[OUTBOX_ACK] = { "ack", 0 },
	[OUTBOX_QUESTION] = { "question", 0 },
	[OUTBOX_REPLY] = { "reply", 0 },
	[OUTBOX_HOWTO] = { "howto", 0 },
	[OUTBOX_ALERT] = { "alert", 1 },
	[OUTBOX_NOTICE] = { "notice", 1 },
	[OUTBOX_REMIND] = { "remind", 1 },
	[OUTBOX_ESCALATE] = { "escalate", 1 },
	[OUTBOX_MANUAL] = { "manual", 0 },
	[OUTBOX_REWARD] = { "reward", 0 },
	[OUTBOX_BROADCAST] = { "broadcast", 0 },
	[OUTBOX_REPORT] = { "report", 1 },
};

static const struct outbox_transition outbox_table[] = {
	{ OUTBOX_QUEUED, OUTBOX_EV_TAKE, OUTBOX_SENDING, OUTBOX_DO_COUNT },
	{ OUTBOX_FAILED, OUTBOX_EV_TAKE, OUTBOX_SENDING, OUTBOX_DO_COUNT },
	{ OUTBOX_SENDING, OUTBOX_EV_SENT, OUTBOX_SENT,
	    OUTBOX_DO_SENT_AT | OUTBOX_DO_CLEAR_ERROR },
	{ OUTBOX_SENDING, OUTBOX_EV_FAIL, OUTBOX_FAILED,
	    OUTBOX_DO_ERROR | OUTBOX_DO_NEXT },
	{ OUTBOX_SENDING, OUTBOX_EV_GIVE_UP, OUTBOX_DEAD,
	    OUTBOX_DO_ERROR | OUTBOX_DO_AUDIT | OUTBOX_DO_NOTICE },
	{ OUTBOX_SENDING, OUTBOX_EV_HOLD, OUTBOX_QUEUED,
	    OUTBOX_DO_UNCOUNT | OUTBOX_DO_ERROR | OUTBOX_DO_NEXT },
	{ OUTBOX_SENDING, OUTBOX_EV_CANCEL, OUTBOX_DEAD,
	    OUTBOX_DO_UNCOUNT | OUTBOX_DO_ERROR | OUTBOX_DO_AUDIT },
	{ OUTBOX_SENDING, OUTBOX_EV_STOP, OUTBOX_QUEUED, OUTBOX_DO_UNCOUNT },
	{ OUTBOX_SENDING, OUTBOX_EV_RESEND, OUTBOX_QUEUED,
	    OUTBOX_DO_ERROR | OUTBOX_DO_RESENT },
	{ OUTBOX_FAILED, OUTBOX_EV_RETRY, OUTBOX_QUEUED,
	    OUTBOX_DO_NEXT | OUTBOX_DO_CLEAR_ERROR | OUTBOX_DO_AUDIT },
	{ OUTBOX_DEAD, OUTBOX_EV_RETRY, OUTBOX_QUEUED,
	    OUTBOX_DO_NEXT | OUTBOX_DO_CLEAR_ERROR | OUTBOX_DO_AUDIT },
};

/* The transition event takes from state, or NULL if it is refused. */
const struct outbox_transition *
outbox_next(enum outbox_state from, enum outbox_event event)
{
	size_t	 i;

	for (i = 0; i < sizeof outbox_table / sizeof outbox_table[0]; i++) {
		if (outbox_table[i].from == from &&
		    outbox_table[i].event == event)
			return (&outbox_table[i]);
	}
	return (NULL);
}

const char *
outbox_state_name(enum outbox_state s)
{
	if ((unsigned int)s >= (unsigned int)OUTBOX_NSTATES)
		return ("unknown");
	return (outbox_state_names[s]);
}

int
outbox_state_parse(const char *name, enum outbox_state *s)
{
	int	 i;

	for (i = 0; name != NULL && i < OUTBOX_NSTATES; i++) {
		if (strcmp(outbox_state_names[i], name) == 0) {
			*s = (enum outbox_state)i;
			return (0);
		}
	}
	return (-1);
}

const char *
outbox_event_name(enum outbox_event e)
{
	if ((unsigned int)e >= (unsigned int)OUTBOX_NEVENTS)
		return ("unknown");
	return (outbox_event_names[e]);
}

const char *
outbox_intent_name(enum outbox_intent i)
{
	if ((unsigned int)i >= (unsigned int)OUTBOX_NINTENTS)
		return ("unknown");
	return (outbox_intents[i].name);
}

int
outbox_intent_parse(const char *name, enum outbox_intent *intent)
{
	int	 i;

	for (i = 0; name != NULL && i < OUTBOX_NINTENTS; i++) {
		if (strcmp(outbox_intents[i].name, name) == 0) {
			*intent = (enum outbox_intent)i;
			return (0);
		}
	}
	return (-1);
}

/*
 * Messages to offices and to the coordinator are never held by quiet
 * hours or the daily budget; messages to reporters may be.
 */
int
outbox_intent_urgent(enum outbox_intent i)
{
	if ((unsigned int)i >= (unsigned int)OUTBOX_NINTENTS)
		return (0);
	return (outbox_intents[i].urgent);
}
