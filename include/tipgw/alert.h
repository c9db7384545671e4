/*
 * Alerts (pure): what a tip's owner is told when a tip reaches them, an
 * office (a new tip, new facts) or the coordinator (no office, unplaced,
 * returned, an office nobody can reach), rendered when the outbox sends
 * it, from the tip and the owner's channels as they are then. Never the
 * reporter's number: digits that look like a phone number in the
 * villager's words are masked.
 */
#ifndef TIPGW_ALERT_H
#define TIPGW_ALERT_H

#include <time.h>

#include "tipgw/outbox_state.h"

struct templates;

#define ALERT_MAX_PHONES	8
#define ALERT_MAX_MESSAGES	(ALERT_MAX_PHONES + 2)
#define ALERT_WORDS_MAX		60	/* characters of the villager's words */

/* Who is told, and how they can be reached. */
struct alert_owner {
	long long	 office_id;	/* 0: the coordinator */
	const char	*name;		/* the office's */
	const char	*phones[ALERT_MAX_PHONES];
	int		 nphones;
	const char	*webhook_url;
	const char	*webhook_format;	/* NULL: from the URL */
	const char	*email;
};

/* A pending alert with its tip, as the ledger holds them. */
struct alert_view {
	long long	 id;
	const char	*key;		/* a fault's: once per cause, hour */
	const char	*reason;	/* the tip event: route, merge, ... */
	const char	*detail;	/* a return's reason */
	time_t		 created_at;
	const char	*code;
	long long	 tip_id;
	const char	*township;	/* NULL: not placed */
	const char	*township_code;
	const char	*village;	/* the gazetteer's name */
	const char	*kind;		/* codes: every one named, by spaces */
	const char	*product;
	const char	*brand;		/* a knock-off brand named */
	const char	*shop;		/* 小卖部, 超市 ... */
	const char	*text;
	time_t		 received_at;
};

/* One message to queue. */
struct alert_msg {
	enum outbox_intent	 intent;
	const char		*channel;	/* sms, webhook, email */
	char			*destination;
	char			*body;
	char			*key;
};

int	 alert_render(const struct alert_view *, const struct alert_owner *,
	    const struct templates *, struct alert_msg *out, int *n);
void	 alert_msgs_free(struct alert_msg *, int n);
char	*alert_words(const char *text, int last_line);

#endif
