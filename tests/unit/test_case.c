/*
 * case.c: which tips are one target, how tips group (an existing
 * case's, a late tip joining it, the earliest first), and the case
 * state table, every state by every event.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tipgw/case.h"
#include "tap.h"

#define DAY	86400
#define T1	"411724101"
#define T2	"411724102"
#define V1	"411724101202"
#define V2	"411724101203"

static void
test_same(void)
{
	static const struct {
		const char	*what;
		struct case_tip	 a, b;
		int		 same;
	} cases[] = {
		{ "one village, one problem, a day apart",
		    { 1, 0, T1, V1, "小卖部", "expired", 0 },
		    { 2, DAY, T1, V1, NULL, "expired", 0 }, 1 },
		{ "another problem", { 1, 0, T1, V1, NULL, "expired", 0 },
		    { 2, DAY, T1, V1, NULL, "counterfeit", 0 }, 0 },
		{ "another village", { 1, 0, T1, V1, NULL, "expired", 0 },
		    { 2, DAY, T1, V2, NULL, "expired", 0 }, 0 },
		{ "outside the window", { 1, 0, T1, V1, NULL, "expired", 0 },
		    { 2, 8 * DAY, T1, V1, NULL, "expired", 0 }, 0 },
		{ "the same shop word in one township",
		    { 1, 0, T1, NULL, "超市", "sanwu", 0 },
		    { 2, DAY, T1, NULL, "超市", "sanwu", 0 }, 1 },
		{ "a shop word in another township",
		    { 1, 0, T1, NULL, "超市", "sanwu", 0 },
		    { 2, DAY, T2, NULL, "超市", "sanwu", 0 }, 0 },
		{ "a township alone: could be anywhere",
		    { 1, 0, T1, NULL, NULL, "sanwu", 0 },
		    { 2, DAY, T1, NULL, NULL, "sanwu", 0 }, 0 },
		{ "a village and a shop word only",
		    { 1, 0, T1, V1, "超市", "sanwu", 0 },
		    { 2, DAY, T1, NULL, "超市", "sanwu", 0 }, 0 },
		{ "no problem named", { 1, 0, T1, V1, NULL, NULL, 0 },
		    { 2, DAY, T1, V1, NULL, NULL, 0 }, 0 },
		{ "no place", { 1, 0, NULL, NULL, "超市", "sanwu", 0 },
		    { 2, DAY, NULL, NULL, "超市", "sanwu", 0 }, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		is_int(case_same_target(&cases[i].a, &cases[i].b, 7 * DAY),
		    cases[i].same, "%s", cases[i].what);
		is_int(case_same_target(&cases[i].b, &cases[i].a, 7 * DAY),
		    cases[i].same, "%s, the other way", cases[i].what);
	}
}

static void
test_group(void)
{
	/* Given out of order: grouping sorts by the time received. */
	struct case_tip	 t[] = {
		{ 3, 2 * DAY, T1, V1, NULL, "expired", 0 },	/* joins 1 */
		{ 1, 0, T1, V1, NULL, "expired", 0 },
		{ 2, DAY, T1, V2, NULL, "expired", 0 },		/* alone */
		{ 5, 3 * DAY, T1, NULL, "超市", "sanwu", 7 },	/* case 7 */
		{ 4, 3 * DAY, T1, V2, NULL, "counterfeit", 7 },	/* case 7 */
		{ 6, 4 * DAY, T1, NULL, "超市", "sanwu", 0 },	/* joins 7 */
	};
	long long	 g[6];
	size_t		 n;

	n = case_group(t, 6, 7 * DAY, g);
	is_int((long long)n, 2, "two groups");
	ok(t[0].id == 1 && t[1].id == 2 && t[2].id == 3,
	    "sorted by the time received");
	ok(g[0] == 0 && g[2] == 0, "the later tip on the same target joins "
	    "the earliest, which heads the group");
	is_int(g[1], -1, "a tip on no other's target stands alone");
	ok(g[3] == g[4] && g[3] >= 0, "the tips of one existing case stay "
	    "one group, whatever their targets");
	ok(g[5] == g[3], "a new tip on one of its tips' targets joins the "
	    "existing case's group");
	is_int((long long)case_group(t, 0, DAY, g), 0, "no tips: no groups");
	is_int((long long)case_group(NULL, 0, DAY, NULL), 0, "no tips at all "
	    "(a ledger with none): no groups, and no NULL to qsort");
}

static void
test_states(void)
{
	static const struct {
		enum case_state	 from;
		enum case_event	 event;
		enum case_state	 to;
	} allowed[] = {
		{ CASE_NEW, CASE_EV_PROPOSE, CASE_PROPOSED },
		{ CASE_NEW, CASE_EV_OPEN, CASE_CONFIRMED },
		{ CASE_PROPOSED, CASE_EV_CONFIRM, CASE_CONFIRMED },
		{ CASE_PROPOSED, CASE_EV_SPLIT, CASE_PROPOSED },
		{ CASE_PROPOSED, CASE_EV_DISSOLVE, CASE_DISSOLVED },
		{ CASE_CONFIRMED, CASE_EV_SPLIT, CASE_CONFIRMED },
		{ CASE_CONFIRMED, CASE_EV_OUTCOME, CASE_DECIDED },
		{ CASE_DECIDED, CASE_EV_OUTCOME, CASE_DECIDED },
		{ CASE_DECIDED, CASE_EV_SPLIT, CASE_DECIDED },
		{ CASE_DECIDED, CASE_EV_CLOSE, CASE_CLOSED },
	};
	const struct case_transition	*t;
	enum case_state			 s, parsed;
	size_t				 i;
	int				 e, want, bad = 0;

	for (s = CASE_NEW; (int)s < CASE_NSTATES; s++) {
		for (e = 0; e < CASE_NEVENTS; e++) {
			t = case_next(s, (enum case_event)e);
			for (i = 0, want = -1; i < sizeof allowed /
			    sizeof allowed[0]; i++)
				if (allowed[i].from == s &&
				    (int)allowed[i].event == e)
					want = (int)allowed[i].to;
			if ((t == NULL) != (want == -1) ||
			    (t != NULL && (int)t->to != want)) {
				bad++;
				printf("# %s --%s--> unexpected\n",
				    case_state_name(s),
				    case_event_name((enum case_event)e));
			}
		}
		ok(case_state_parse(case_state_name(s), &parsed) == 0 &&
		    parsed == s, "state %s: its name", case_state_name(s));
	}
	is_int(bad, 0, "every state and event: the table is the lifecycle");
}

int
main(void)
{
	test_same();
	test_group();
	test_states();
	return (done_testing());
}
