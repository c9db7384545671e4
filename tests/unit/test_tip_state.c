/*
 * The tip state table: every (state x event) pair against a matrix
 * written out here independently, then the properties the lifecycle
 * relies on (every tip reaches a person, a closed tip stays closed).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tipgw/tip_state.h"

#define X	(-1)	/* refused */

/*
 * Where each event takes a tip from each state. Columns: keep ask route
 * no_office give_up merge amend office_ack office_file office_done
 * office_return reroute close note extend pause resume.
 */
#define N	TIP_NEW
#define RC	TIP_RECEIVED
#define AW	TIP_AWAITING_REPLY
#define TR	TIP_TRIAGE
#define UN	TIP_UNASSIGNED
#define RO	TIP_ROUTED
#define AK	TIP_ACKNOWLEDGED
#define FI	TIP_FILED
#define RE	TIP_RETURNED
#define CL	TIP_CLOSED
static const int expect[TIP_NSTATES][TIP_NEVENTS] = {
	/*      kp  ask rte nof gvu mrg amd ack fil don ret rer cls not ext pau res */
	[N]  = { RC, AW, RO, UN, TR, X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X },
	[RC] = { X,  X,  X,  X,  X,  X,  RC, X,  X,  X,  X,  RO, CL, RC, X,  X,  X },
	[AW] = { X,  AW, RO, UN, TR, X,  AW, X,  X,  X,  X,  RO, CL, AW, X,  X,  X },
	[TR] = { X,  X,  RO, UN, X,  X,  TR, X,  X,  X,  X,  RO, CL, TR, X,  X,  X },
	[UN] = { X,  X,  X,  X,  X,  UN, UN, X,  X,  X,  X,  RO, CL, UN, X,  X,  X },
	[RO] = { X,  X,  X,  X,  X,  RO, RO, AK, FI, CL, RE, RO, CL, RO, RO, RO, RO },
	[AK] = { X,  X,  X,  X,  X,  AK, AK, X,  FI, CL, RE, RO, CL, AK, AK, AK, AK },
	[FI] = { X,  X,  X,  X,  X,  FI, FI, X,  X,  CL, X,  X,  CL, FI, FI, FI, FI },
	[RE] = { X,  X,  X,  X,  X,  RE, RE, X,  X,  X,  X,  RO, CL, RE, X,  X,  X },
	[CL] = { X,  X,  X,  X,  X,  X,  CL, X,  X,  X,  X,  X,  X,  CL, X,  X,  X },
};

static void
test_every_pair(void)
{
	const struct tip_transition	*t;
	int				 s, e, got;

	for (s = 0; s < TIP_NSTATES; s++) {
		for (e = 0; e < TIP_NEVENTS; e++) {
			t = tip_next((enum tip_state)s, (enum tip_event)e);
			got = t != NULL ? (int)t->to : X;
			is_int(got, expect[s][e], "%s + %s -> %s",
			    tip_state_name((enum tip_state)s),
			    tip_event_name((enum tip_event)e),
			    expect[s][e] == X ? "refused" :
			    tip_state_name((enum tip_state)expect[s][e]));
		}
	}
}

/* The entry actions that make a tip reach a person. */
static void
test_actions(void)
{
	const struct tip_transition	*table, *t;
	enum tip_owner			 from, to;
	size_t				 i, n = tip_transitions(&table);
	int				 bad_tell = 0, bad_office = 0;
	int				 bad_coord = 0, bad_dup = 0;

	for (i = 0; i < n; i++) {
		t = &table[i];
		from = tip_state_owner(t->from);
		to = tip_state_owner(t->to);
		/* Reaching a person who did not have it: tell them. */
		if ((to == TIP_OWNER_OFFICE || to == TIP_OWNER_COORDINATOR) &&
		    (from != to || t->event == TIP_EV_REROUTE) &&
		    !(t->actions & TIP_DO_TELL))
			bad_tell++;
		if (to == TIP_OWNER_OFFICE && from != TIP_OWNER_OFFICE &&
		    !(t->actions & TIP_DO_OFFICE))
			bad_office++;
		if (to == TIP_OWNER_COORDINATOR && from != to &&
		    !(t->actions & TIP_DO_CLEAR_OFFICE))
			bad_coord++;
		if (tip_next(t->from, t->event) != t)
			bad_dup++;
	}
	is_int(bad_tell, 0, "every tip that reaches an office or the "
	    "coordinator is told to them");
	is_int(bad_office, 0, "reaching an office sets the office");
	is_int(bad_coord, 0, "reaching the coordinator clears the office");
	is_int(bad_dup, 0, "no pair is in the table twice");
	t = tip_next(TIP_ROUTED, TIP_EV_OFFICE_FILE);
	ok(t != NULL && (t->actions & TIP_DO_CASE_CLOCK), "立案 starts the "
	    "case clock");
	t = tip_next(TIP_ROUTED, TIP_EV_MERGE);
	ok(t != NULL && (t->actions & TIP_DO_TELL_UPDATE) &&
	    (t->actions & TIP_DO_CLOCK), "new facts: the office is told, "
	    "the verify clock starts again");
	t = tip_next(TIP_FILED, TIP_EV_MERGE);
	ok(t != NULL && !(t->actions & TIP_DO_CLOCK), "new facts on a case "
	    "leave the case clock alone");
	t = tip_next(TIP_ROUTED, TIP_EV_OFFICE_DONE);
	ok(t != NULL && (t->actions & TIP_DO_CLOSED), "办结 records the time");
}

static void
test_owners(void)
{
	int	 s, open_unowned = 0;

	for (s = TIP_RECEIVED; s < TIP_NSTATES; s++) {
		if (s != TIP_CLOSED &&
		    tip_state_owner((enum tip_state)s) == TIP_OWNER_NONE)
			open_unowned++;
	}
	is_int(open_unowned, 0, "every open state has someone to act");
	is_int(tip_state_owner(TIP_UNASSIGNED), TIP_OWNER_COORDINATOR,
	    "no office: the coordinator");
	is_int(tip_state_owner(TIP_RETURNED), TIP_OWNER_COORDINATOR,
	    "returned: the coordinator");
	is_int(tip_state_owner(TIP_TRIAGE), TIP_OWNER_COORDINATOR,
	    "triage: the coordinator");
	is_int(tip_state_owner(TIP_AWAITING_REPLY), TIP_OWNER_REPORTER,
	    "a question: the reporter");
}

static void
test_names(void)
{
	enum tip_state	 s;
	enum tip_event	 e;
	char		*json;
	int		 i, bad = 0;

	for (i = TIP_RECEIVED; i < TIP_NSTATES; i++) {
		if (tip_state_parse(tip_state_name((enum tip_state)i),
		    &s) != 0 || (int)s != i)
			bad++;
	}
	for (i = 0; i < TIP_NEVENTS; i++) {
		if (tip_event_parse(tip_event_name((enum tip_event)i),
		    &e) != 0 || (int)e != i)
			bad++;
	}
	is_int(bad, 0, "state and event names round trip");
	ok(tip_state_parse("new", &s) != 0, "new is not a stored state");
	ok(tip_state_parse("Routed", &s) != 0 &&
	    tip_state_parse(NULL, &s) != 0, "unknown names refused");
	is_str(tip_state_name((enum tip_state)99), "unknown", "out of range");
	is_str(tip_state_words(TIP_CLOSED), "已办结", "words for an SMS");
	json = tip_states_json(TIP_OWNS(TIP_OWNER_OFFICE));
	is_str(json, "[\"routed\",\"acknowledged\",\"filed\"]",
	    "the office's states, for SQL");
	free(json);
	json = tip_states_json(TIP_OWNS(TIP_OWNER_COORDINATOR));
	is_str(json, "[\"received\",\"triage\",\"unassigned\",\"returned\"]",
	    "the coordinator's states");
	free(json);
	json = tip_states_json(0);
	is_str(json, "[]", "no owner: no states");
	free(json);
}

int
main(void)
{
	test_every_pair();
	test_actions();
	test_owners();
	test_names();
	return (done_testing());
}
