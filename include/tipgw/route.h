/*
 * Routing (pure): a parsed message and what is known of its reporter ->
 * the township whose office must act, or a question to ask, or triage.
 */
#ifndef TIPGW_ROUTE_H
#define TIPGW_ROUTE_H

struct gazetteer;
struct parse_result;

enum route_status {
	ROUTE_TOWNSHIP,		/* a township named, or a unique village */
	ROUTE_HISTORY,		/* no place; the reporter's recent tip's */
	ROUTE_AMBIGUOUS,	/* a village several townships have */
	ROUTE_NONE,		/* no place, or too vague (县城) */
};

#define ROUTE_MAX_CANDIDATES	8

struct route_result {
	enum route_status	 status;
	int			 township;	/* index, -1 */
	int			 village;	/* index, -1 */
	int			 candidates[ROUTE_MAX_CANDIDATES];
	int			 ncandidates;	/* ROUTE_AMBIGUOUS */
};

const char	*route_status_name(enum route_status);
void		 route_tip(const struct gazetteer *, const struct parse_result *,
		    int recent_township, struct route_result *);

#endif
