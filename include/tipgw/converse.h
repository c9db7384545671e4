/*
 * The conversation with a reporter, decided (pure): from what a message
 * was understood to be and the reporter's latest tip, what to store and
 * which reply to queue: an acknowledgement with the tip code, a question
 * about the place (at most two per tip), the answer to a command, or
 * nothing at all (never a reply to an advertisement or a greeting).
 */
#ifndef TIPGW_CONVERSE_H
#define TIPGW_CONVERSE_H

#include "tipgw/store.h"
#include "tipgw/tipgw.h"

struct templates;
struct understand;
struct understand_prior;
struct understand_result;

#define CONVERSE_MAX_QUESTIONS	2
#define CONVERSE_QUERY_TRIES	5	/* wrong status queries a day */
#define CONVERSE_REPEAT_DAYS	90	/* a repeat of a tip this recent */

struct converse_in {
	const struct understand		*u;
	const struct templates		*templates;
	const struct understand_result	*r;
	const struct store_prior	*prior;
	const char			*text;		/* as received */
	const char			*raw_key;	/* the message's key */
	const char			*new_code;	/* for a new tip */
	const char			*new_pin;
	const struct store_tip_status	*query;		/* CMD_QUERY */
	time_t				 now;
	int				 replies_today;	/* to this number */
	int				 reply_limit;	/* a day; 0: none */
	int				 wrong_queries;	/* today, this number */
	const struct store_office_duty	*office;	/* of the township */
	long long			 sender_office;	/* a duty phone's */
};

struct converse {
	int			 is_tip;
	struct tip		 tip;
	struct store_understood	 su;
	char			*owned[3 * STORE_MAX_REPLIES + 8];
	int			 nowned;
	int			 limited;	/* replies held back */
};

void	converse_plan(const struct converse_in *, struct converse *);
int	converse_prior(const struct understand *, const struct store_prior *,
	    struct understand_prior *, char **norm);
void	converse_free(struct converse *);

#endif
