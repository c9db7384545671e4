/*
 * Cases (case.h): the same target, the grouping of tips into proposed
 * cases, and the case state table. Pure.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tipgw/case.h"

static const char *const case_state_names[CASE_NSTATES] = {
	[CASE_NEW] = "new",
	[CASE_PROPOSED] = "proposed",
	[CASE_CONFIRMED] = "confirmed",
	[CASE_DECIDED] = "decided",
	[CASE_CLOSED] = "closed",
	[CASE_DISSOLVED] = "dissolved",
};

static const char *const case_event_names[CASE_NEVENTS] = {
	[CASE_EV_PROPOSE] = "propose",
	[CASE_EV_OPEN] = "open",
	[CASE_EV_CONFIRM] = "confirm",
	[CASE_EV_SPLIT] = "split",
	[CASE_EV_DISSOLVE] = "dissolve",
	[CASE_EV_OUTCOME] = "outcome",
	[CASE_EV_CLOSE] = "close",
};

static const struct case_transition case_table[] = {
	{ CASE_NEW, CASE_EV_PROPOSE, CASE_PROPOSED },
	{ CASE_NEW, CASE_EV_OPEN, CASE_CONFIRMED },
	{ CASE_PROPOSED, CASE_EV_CONFIRM, CASE_CONFIRMED },
	{ CASE_PROPOSED, CASE_EV_SPLIT, CASE_PROPOSED },
	{ CASE_PROPOSED, CASE_EV_DISSOLVE, CASE_DISSOLVED },
	{ CASE_CONFIRMED, CASE_EV_SPLIT, CASE_CONFIRMED },
	{ CASE_CONFIRMED, CASE_EV_OUTCOME, CASE_DECIDED },
	{ CASE_DECIDED, CASE_EV_OUTCOME, CASE_DECIDED },
	{ CASE_DECIDED, CASE_EV_SPLIT, CASE_DECIDED },	/* joined wrongly */
	{ CASE_DECIDED, CASE_EV_CLOSE, CASE_CLOSED },
};

const struct case_transition *
case_next(enum case_state from, enum case_event event)
{
	size_t	 i;

	for (i = 0; i < sizeof case_table / sizeof case_table[0]; i++) {
		if (case_table[i].from == from && case_table[i].event == event)
			return (&case_table[i]);
	}
	return (NULL);
}

const char *
case_state_name(enum case_state s)
{
	if ((unsigned int)s >= (unsigned int)CASE_NSTATES)
		return ("unknown");
	return (case_state_names[s]);
}

int
case_state_parse(const char *name, enum case_state *s)
{
	int	 i;

	for (i = 0; name != NULL && i < CASE_NSTATES; i++) {
		if (strcmp(case_state_names[i], name) == 0) {
			*s = (enum case_state)i;
			return (0);
		}
	}
	return (-1);
}

const char *
case_event_name(enum case_event e)
{
	if ((unsigned int)e >= (unsigned int)CASE_NEVENTS)
		return ("unknown");
	return (case_event_names[e]);
}

static int
case_eq(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * One target: the same problem (kind) at the same place, within the
 * window of each other. The place is the village when both name one,
 * else the shop word in the same township; a tip with no place, or a
 * township alone with no shop, is never grouped (it could be anywhere
 * in the township: a person decides).
 */
int
case_same_target(const struct case_tip *a, const struct case_tip *b,
    unsigned int window)
{
	time_t	 gap = a->received_at > b->received_at ?
		    a->received_at - b->received_at :
		    b->received_at - a->received_at;

	if (gap > (time_t)window || !case_eq(a->kind, b->kind) ||
	    !case_eq(a->township, b->township))
		return (0);
	if (a->village != NULL && b->village != NULL)
		return (strcmp(a->village, b->village) == 0);
	return (case_eq(a->shop, b->shop) && a->village == NULL &&
	    b->village == NULL);
}

static int
case_tip_cmp(const void *x, const void *y)
{
	const struct case_tip	*a = x, *b = y;

	if (a->received_at != b->received_at)
		return (a->received_at < b->received_at ? -1 : 1);
	return (a->id < b->id ? -1 : a->id > b->id);
}

/*
 * Group the tips (sorted by receipt, in place): group[i] is the index,
 * in the sorted array, of the earliest tip of tip i's group, or -1 when
 * no other tip is its target. A tip already in a case keeps it: tips of
 * one existing case are one group, and a new tip joins the group of the
 * first earlier tip it matches. The number of groups of two or more.
 */
size_t
case_group(struct case_tip *t, size_t n, unsigned int window,
    long long *group)
{
	size_t	 i, j, ngroups = 0;

	if (n > 1)	/* qsort's array may not be NULL, even empty */
		qsort(t, n, sizeof *t, case_tip_cmp);
	for (i = 0; i < n; i++)
		group[i] = -1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++) {
			if ((t[i].case_id != 0 && t[i].case_id == t[j].case_id) ||
			    (t[i].case_id == 0 && case_same_target(&t[j], &t[i],
			    window))) {
				group[i] = group[j] >= 0 ? group[j] :
				    (long long)j;
				if (group[j] < 0) {
					group[j] = (long long)j;
					ngroups++;
				}
				break;
			}
		}
	}
	return (ngroups);
}
