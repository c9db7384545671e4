/*
 * The conversation with a reporter, decided (pure): from what a message
 * was understood to be and the plain values read for it (the reporter's
 * latest tip, the tip a command names, the sender's counts), what to
 * store and which reply to queue: an acknowledgement with the tip code, a
 * question about the place (at most two per tip), the answer to a
 * command, or nothing at all (never a reply to an advertisement or a
 * greeting). The daemon and tipgwctl classify run the same plan.
 */
#ifndef TIPGW_CONVERSE_H
#define TIPGW_CONVERSE_H

#include "tipgw/store.h"
#include "tipgw/tipgw.h"

struct pin_key;
struct templates;
struct understand;
struct understand_prior;
struct understand_result;

#define CONVERSE_MAX_QUESTIONS	2
#define CONVERSE_QUERY_TRIES	5	/* wrong status queries a day */
#define CONVERSE_REPEAT_DAYS	90	/* a repeat of a tip this recent */
#define CONVERSE_TEXT_MAX	4000	/* bytes of a tip's text, merged */
#define CONVERSE_TEXT_MORE	"〔后续短信见原始记录〕"

#define CONVERSE_INBOUND_DEFAULT	20	/* tipgw.conf's default */

struct converse_in {
	const struct understand		*u;
	const struct templates		*templates;	/* NULL: no replies */
	const struct understand_result	*r;
	const struct store_intake_ctx	*ctx;		/* read for it */
	const char			*text;		/* as received */
	const char			*joined;	/* a late part: all */
	const char			*raw_key;	/* the message's key */
	const char			*new_code;	/* for a new tip */
	const char			*new_pin;
	const struct pin_key		*pin_key;	/* NULL: no PINs */
	time_t				 now;
	unsigned int			 reply_limit;	/* a day; 0: none */
	unsigned int			 inbound_limit;	/* new tips an hour */
	int				 every_office;	/* classify: all */
};

/* The plan: what becomes of the message, its tip, and what to send. */
struct converse {
	const char		*disposition;	/* tip, repeat, flood, ... */
	int			 is_tip;
	struct tip		 tip;
	struct store_understood	 su;
	char			**owned;	/* freed with the plan */
	int			  nowned;
	int			 limited;	/* replies held back */
	int			 flood_first;	/* first of the hour */
};

void	converse_plan(const struct converse_in *, struct converse *);
void	converse_hotline(const struct converse_in *, struct converse *,
	    int ack);
void	converse_call(const struct converse_in *, struct converse *,
	    const char *key);
int	converse_prior(const struct understand *, const struct store_prior *,
	    struct understand_prior *, char **norm);
void	converse_keep(struct converse *, char *);
void	converse_free(struct converse *);

#endif
