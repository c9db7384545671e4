/*
 * route_tip(): the rules, in order.
 *  1. A township named: that township (if several, the one a named
 *     village confirms, else the first named).
 *  2. A village named that only one township has: that township.
 *  3. A village several townships have, and none of them named: ambiguous,
 *     with the candidates (never guessed).
 *  4. No place at all (or only a vague one such as 县城): the township of
 *     the reporter's recent tip, if the caller knows one, flagged as such.
 *  5. Otherwise nothing: the tip needs a follow-up question.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tipgw/gazetteer.h"
#include "tipgw/parse.h"
#include "tipgw/route.h"

const char *
route_status_name(enum route_status s)
{
	switch (s) {
	case ROUTE_TOWNSHIP:
		return ("township");
	case ROUTE_HISTORY:
		return ("history");
	case ROUTE_AMBIGUOUS:
		return ("ambiguous");
	default:
		return ("none");
	}
}

/* Does the mention name the township t itself? */
static int
route_names_township(const struct gaz_mention *m, int t)
{
	int	 i;

	for (i = 0; i < m->nsenses; i++) {
		if (m->senses[i].village < 0 &&
		    (t < 0 || m->senses[i].township == t))
			return (1);
	}
	return (0);
}

/* The village of mention m in township t, or -1. */
static int
route_village_in(const struct gaz_mention *m, int t)
{
	int	 i;

	for (i = 0; i < m->nsenses; i++) {
		if (m->senses[i].village >= 0 && m->senses[i].township == t)
			return (m->senses[i].village);
	}
	return (-1);
}

/* The distinct townships of the villages a mention may mean. */
static int
route_village_townships(const struct gaz_mention *m, int *out, int max)
{
	int	 i, j, n = 0;

	for (i = 0; i < m->nsenses; i++) {
		if (m->senses[i].village < 0)
			continue;
		for (j = 0; j < n; j++) {
			if (out[j] == m->senses[i].township)
				break;
		}
		if (j == n && n < max)
			out[n++] = m->senses[i].township;
	}
	return (n);
}

/* The one village named in t, or -1 if none or several different. */
static int
route_one_village(const struct parse_result *p, int t)
{
	size_t	 i;
	int	 v, found = -1;

	for (i = 0; i < p->nplaces; i++) {
		if (route_names_township(&p->places[i], t))
			continue;
		if ((v = route_village_in(&p->places[i], t)) < 0)
			continue;
		if (found >= 0 && found != v)
			return (-1);
		found = v;
	}
	return (found);
}

/* Does the mention name a township only without its suffix? */
static int
route_bare_township(const struct gaz_mention *m)
{
	int	 i, any = 0;

	for (i = 0; i < m->nsenses; i++) {
		if (m->senses[i].village < 0) {
			if (!m->senses[i].bare)
				return (0);
			any = 1;
		}
	}
	return (any);
}

/* Is the mention the reporter saying where they are from (我是X的)? */
static int
route_self(const struct parse_result *p, const struct gaz_mention *m)
{
	int	 i;

	for (i = 0; i < p->nself; i++) {
		if (m->start >= p->self[i] && m->start - p->self[i] <= 6)
			return (1);
	}
	return (0);
}

/*
 * The township named: the first one a named village confirms, else the
 * first named, preferring one the reporter does not give as their home
 * (我是芦集乡的，昨天去期思镇赶集 -> 期思镇).
 */
static int
route_named_township(const struct parse_result *p)
{
	size_t	 i;
	int	 j, first = -1, other = -1, t, distinct = 0;

	for (i = 0; i < p->nplaces; i++) {
		const struct gaz_mention *m = &p->places[i];

		/* 高升超市 ... 在天福镇: the shop's name is not its place. */
		if (m->shop_name && p->nplaces > 1 && route_bare_township(m))
			continue;

		for (j = 0; j < m->nsenses; j++) {
			if (m->senses[j].village >= 0)
				continue;
			t = m->senses[j].township;
			if (first < 0)
				first = t;
			if (t != first)
				distinct = 1;
			if (other < 0 && !route_self(p, m))
				other = t;
		}
	}
	if (!distinct)
		return (first);
	/* 吉祥如意超市 ... 在常乐场上: where it happened, said so. */
	for (i = 0; i < p->nplaces; i++) {
		const struct gaz_mention *m = &p->places[i];

		for (j = 0; m->at && !route_self(p, m) && j < m->nsenses; j++) {
			if (m->senses[j].village < 0)
				return (m->senses[j].township);
		}
	}
	for (i = 0; i < p->nplaces; i++) {
		const struct gaz_mention *m = &p->places[i];

		for (j = 0; j < m->nsenses; j++) {
			if (m->senses[j].village < 0 && !route_self(p, m) &&
			    route_one_village(p, m->senses[j].township) >= 0)
				return (m->senses[j].township);
		}
	}
	return (other >= 0 ? other : first);
}

static int
route_int_cmp(const void *a, const void *b)
{
	return (*(const int *)a - *(const int *)b);
}

void
route_tip(const struct gazetteer *g, const struct parse_result *p,
    int recent_township, struct route_result *r)
{
	int	 towns[ROUTE_MAX_CANDIDATES], n, t;
	size_t	 i;

	(void)g;
	memset(r, 0, sizeof *r);
	r->status = ROUTE_NONE;
	r->township = r->village = -1;
	if ((t = route_named_township(p)) >= 0) {
		r->status = ROUTE_TOWNSHIP;
		r->township = t;
		r->village = route_one_village(p, t);
		return;
	}
	for (i = 0; i < p->nplaces; i++) {
		n = route_village_townships(&p->places[i], towns,
		    ROUTE_MAX_CANDIDATES);
		if (n == 1) {
			r->status = ROUTE_TOWNSHIP;
			r->township = towns[0];
			r->village = route_one_village(p, towns[0]);
			return;
		}
		if (n > 1 && r->ncandidates == 0) {
			qsort(towns, (size_t)n, sizeof *towns, route_int_cmp);
			memcpy(r->candidates, towns, (size_t)n * sizeof *towns);
			r->ncandidates = n;
		}
	}
	if (r->ncandidates > 0) {
		r->status = ROUTE_AMBIGUOUS;
		return;
	}
	if (recent_township >= 0 && !p->vague_place) {
		r->status = ROUTE_HISTORY;
		r->township = recent_township;
	}
}
