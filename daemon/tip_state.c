/*
 * The tip state table (pure): what each event does in each state, and
 * the names and owners of the states. A pair that is not in the table is
 * refused: a closed tip is never reopened by a late 收到, a filed case
 * never goes back to acknowledged.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/tip_state.h"
#include "tipgw/xmalloc.h"

static const struct {
	const char	*name;		/* in the ledger and the logs */
	enum tip_owner	 owner;
	const char	*words;		/* for the reporter and the office */
} tip_states[TIP_NSTATES] = {
	[TIP_NEW] = { "new", TIP_OWNER_NONE, "已收到" },
	[TIP_RECEIVED] = { "received", TIP_OWNER_COORDINATOR, "已收到" },
	[TIP_AWAITING_REPLY] = { "awaiting_reply", TIP_OWNER_REPORTER,
	    "等待您补充地点" },
	[TIP_TRIAGE] = { "triage", TIP_OWNER_COORDINATOR, "工作人员核实中" },
	[TIP_UNASSIGNED] = { "unassigned", TIP_OWNER_COORDINATOR,
	    "工作人员核实中" },
	[TIP_ROUTED] = { "routed", TIP_OWNER_OFFICE, "已转乡镇处理" },
	[TIP_ACKNOWLEDGED] = { "acknowledged", TIP_OWNER_OFFICE,
	    "乡镇已受理" },
	[TIP_FILED] = { "filed", TIP_OWNER_OFFICE, "已立案调查" },
	[TIP_RETURNED] = { "returned", TIP_OWNER_COORDINATOR, "转县级复核" },
	[TIP_CLOSED] = { "closed", TIP_OWNER_NONE, "已办结" },
};

static const char *const tip_event_names[TIP_NEVENTS] = {
	[TIP_EV_KEEP] = "keep",
	[TIP_EV_ASK] = "ask",
	[TIP_EV_ROUTE] = "route",
	[TIP_EV_NO_OFFICE] = "no_office",
	[TIP_EV_GIVE_UP] = "give_up",
	[TIP_EV_MERGE] = "merge",
	[TIP_EV_AMEND] = "amend",
	[TIP_EV_OFFICE_ACK] = "office_ack",
	[TIP_EV_OFFICE_FILE] = "office_file",
	[TIP_EV_OFFICE_DONE] = "office_done",
	[TIP_EV_OFFICE_RETURN] = "office_return",
	[TIP_EV_REROUTE] = "reroute",
	[TIP_EV_CLOSE] = "close",
	[TIP_EV_NOTE] = "note",
	[TIP_EV_EXTEND] = "extend",
	[TIP_EV_PAUSE] = "pause",
	[TIP_EV_RESUME] = "resume",
};

static const char *const tip_owner_names[] = {
	[TIP_OWNER_NONE] = "none",
	[TIP_OWNER_REPORTER] = "reporter",
	[TIP_OWNER_OFFICE] = "office",
	[TIP_OWNER_COORDINATOR] = "coordinator",
};

/* Reaching the office: its township's office, a fresh clock, an alert. */
#define TO_OFFICE	(TIP_DO_OFFICE | TIP_DO_CLOCK | TIP_DO_TELL)
/* Reaching the coordinator: no office, a fresh clock, a notice. */
#define TO_COORD	(TIP_DO_CLEAR_OFFICE | TIP_DO_CLOCK | TIP_DO_TELL)
#define CLOCK_EVENTS(s) \
	{ s, TIP_EV_EXTEND, s, TIP_DO_EXTEND }, \
	{ s, TIP_EV_PAUSE, s, TIP_DO_PAUSE }, \
	{ s, TIP_EV_RESUME, s, TIP_DO_RESUME }
#define HISTORY(s) \
	{ s, TIP_EV_NOTE, s, 0 }, \
	{ s, TIP_EV_AMEND, s, 0 }
#define CLOSE(s) \
	{ s, TIP_EV_CLOSE, TIP_CLOSED, TIP_DO_CLEAR_OFFICE | TIP_DO_CLOSED }

static const struct tip_transition tip_table[] = {
	/* A new tip: where its first message leaves it. */
	{ TIP_NEW, TIP_EV_KEEP, TIP_RECEIVED, TO_COORD },
	{ TIP_NEW, TIP_EV_ASK, TIP_AWAITING_REPLY, 0 },
	{ TIP_NEW, TIP_EV_ROUTE, TIP_ROUTED, TO_OFFICE },
	{ TIP_NEW, TIP_EV_NO_OFFICE, TIP_UNASSIGNED, TO_COORD },
	{ TIP_NEW, TIP_EV_GIVE_UP, TIP_TRIAGE, TO_COORD },

	/* Nothing understood it: the coordinator reads it. */
	{ TIP_RECEIVED, TIP_EV_REROUTE, TIP_ROUTED, TO_OFFICE },
	CLOSE(TIP_RECEIVED),
	HISTORY(TIP_RECEIVED),

	/* The reporter is asked where; the answer places it. */
	{ TIP_AWAITING_REPLY, TIP_EV_ASK, TIP_AWAITING_REPLY, 0 },
	{ TIP_AWAITING_REPLY, TIP_EV_ROUTE, TIP_ROUTED, TO_OFFICE },
	{ TIP_AWAITING_REPLY, TIP_EV_NO_OFFICE, TIP_UNASSIGNED, TO_COORD },
	{ TIP_AWAITING_REPLY, TIP_EV_GIVE_UP, TIP_TRIAGE, TO_COORD },
	{ TIP_AWAITING_REPLY, TIP_EV_REROUTE, TIP_ROUTED, TO_OFFICE },
	CLOSE(TIP_AWAITING_REPLY),
	HISTORY(TIP_AWAITING_REPLY),

	/* Unplaced after the questions: a late answer, or the coordinator. */
	{ TIP_TRIAGE, TIP_EV_ROUTE, TIP_ROUTED, TO_OFFICE },
	{ TIP_TRIAGE, TIP_EV_NO_OFFICE, TIP_UNASSIGNED, TO_COORD },
	{ TIP_TRIAGE, TIP_EV_REROUTE, TIP_ROUTED, TO_OFFICE },
	CLOSE(TIP_TRIAGE),
	HISTORY(TIP_TRIAGE),

	/* Its township has no office: the coordinator routes it. */
	{ TIP_UNASSIGNED, TIP_EV_MERGE, TIP_UNASSIGNED, 0 },
	{ TIP_UNASSIGNED, TIP_EV_REROUTE, TIP_ROUTED, TO_OFFICE },
	CLOSE(TIP_UNASSIGNED),
	HISTORY(TIP_UNASSIGNED),

	/* The office has it. */
	{ TIP_ROUTED, TIP_EV_OFFICE_ACK, TIP_ACKNOWLEDGED, 0 },
	{ TIP_ROUTED, TIP_EV_OFFICE_FILE, TIP_FILED, TIP_DO_CASE_CLOCK },
	{ TIP_ROUTED, TIP_EV_OFFICE_DONE, TIP_CLOSED, TIP_DO_CLOSED },
	{ TIP_ROUTED, TIP_EV_OFFICE_RETURN, TIP_RETURNED, TO_COORD },
	{ TIP_ROUTED, TIP_EV_MERGE, TIP_ROUTED,
	    TIP_DO_CLOCK | TIP_DO_TELL_UPDATE },
	{ TIP_ROUTED, TIP_EV_REROUTE, TIP_ROUTED, TO_OFFICE },
	CLOSE(TIP_ROUTED),
	HISTORY(TIP_ROUTED),
	CLOCK_EVENTS(TIP_ROUTED),

	{ TIP_ACKNOWLEDGED, TIP_EV_OFFICE_FILE, TIP_FILED, TIP_DO_CASE_CLOCK },
	{ TIP_ACKNOWLEDGED, TIP_EV_OFFICE_DONE, TIP_CLOSED, TIP_DO_CLOSED },
	{ TIP_ACKNOWLEDGED, TIP_EV_OFFICE_RETURN, TIP_RETURNED, TO_COORD },
	{ TIP_ACKNOWLEDGED, TIP_EV_MERGE, TIP_ACKNOWLEDGED,
	    TIP_DO_CLOCK | TIP_DO_TELL_UPDATE },
	{ TIP_ACKNOWLEDGED, TIP_EV_REROUTE, TIP_ROUTED, TO_OFFICE },
	CLOSE(TIP_ACKNOWLEDGED),
	HISTORY(TIP_ACKNOWLEDGED),
	CLOCK_EVENTS(TIP_ACKNOWLEDGED),

	/* A case: only its decision closes it; new facts do not restart it. */
	{ TIP_FILED, TIP_EV_OFFICE_DONE, TIP_CLOSED, TIP_DO_CLOSED },
	{ TIP_FILED, TIP_EV_MERGE, TIP_FILED, TIP_DO_TELL_UPDATE },
	CLOSE(TIP_FILED),
	HISTORY(TIP_FILED),
	CLOCK_EVENTS(TIP_FILED),

	/* Sent back: an office never forwards sideways; the coordinator does. */
	{ TIP_RETURNED, TIP_EV_MERGE, TIP_RETURNED, 0 },
	{ TIP_RETURNED, TIP_EV_REROUTE, TIP_ROUTED, TO_OFFICE },
	CLOSE(TIP_RETURNED),
	HISTORY(TIP_RETURNED),

	/* Closed: its history may still grow. */
	HISTORY(TIP_CLOSED),
};

/* The transition event takes from state, or NULL if it is refused. */
const struct tip_transition *
tip_next(enum tip_state from, enum tip_event event)
{
	size_t	 i;

	for (i = 0; i < sizeof tip_table / sizeof tip_table[0]; i++) {
		if (tip_table[i].from == from && tip_table[i].event == event)
			return (&tip_table[i]);
	}
	return (NULL);
}

/* The whole table (for tests and documentation). */
size_t
tip_transitions(const struct tip_transition **table)
{
	*table = tip_table;
	return (sizeof tip_table / sizeof tip_table[0]);
}

const char *
tip_state_name(enum tip_state s)
{
	if ((unsigned int)s >= (unsigned int)TIP_NSTATES)
		return ("unknown");
	return (tip_states[s].name);
}

/* 0 and *s set if name is a stored state (not "new"). */
int
tip_state_parse(const char *name, enum tip_state *s)
{
	int	 i;

	for (i = TIP_RECEIVED; name != NULL && i < TIP_NSTATES; i++) {
		if (strcmp(tip_states[i].name, name) == 0) {
			*s = (enum tip_state)i;
			return (0);
		}
	}
	return (-1);
}

/* The state in words, for an SMS (已转乡镇处理). */
const char *
tip_state_words(enum tip_state s)
{
	if ((unsigned int)s >= (unsigned int)TIP_NSTATES)
		return ("已收到");
	return (tip_states[s].words);
}

enum tip_owner
tip_state_owner(enum tip_state s)
{
	if ((unsigned int)s >= (unsigned int)TIP_NSTATES)
		return (TIP_OWNER_NONE);
	return (tip_states[s].owner);
}

const char *
tip_owner_name(enum tip_owner o)
{
	if ((unsigned int)o >= sizeof tip_owner_names /
	    sizeof tip_owner_names[0])
		return ("unknown");
	return (tip_owner_names[o]);
}

const char *
tip_event_name(enum tip_event e)
{
	if ((unsigned int)e >= (unsigned int)TIP_NEVENTS)
		return ("unknown");
	return (tip_event_names[e]);
}

int
tip_event_parse(const char *name, enum tip_event *e)
{
	int	 i;

	for (i = 0; name != NULL && i < TIP_NEVENTS; i++) {
		if (strcmp(tip_event_names[i], name) == 0) {
			*e = (enum tip_event)i;
			return (0);
		}
	}
	return (-1);
}

/*
 * The stored states whose owner is in the mask (TIP_OWNS(...)), as a
 * JSON array for the ledger's queries to bind: the one way SQL learns
 * which states are open, on the office's clock or the coordinator's.
 */
char *
tip_states_json(unsigned int owners)
{
	char	*out = xstrdup("["), *prev;
	int	 i, n = 0;

	for (i = TIP_RECEIVED; i < TIP_NSTATES; i++) {
		if (!(owners & TIP_OWNS(tip_states[i].owner)))
			continue;
		prev = out;
		xasprintf(&out, "%s%s\"%s\"", prev, n++ ? "," : "",
		    tip_states[i].name);
		free(prev);
	}
	prev = out;
	xasprintf(&out, "%s]", prev);
	free(prev);
	return (out);
}
