/*
 * The outbox: every outbound message is a ledger row; this module takes
 * the due ones and hands them to their channel (SMS through the modems,
 * webhooks and e-mail through notify.c), recording what happened.
 */
#ifndef TIPGW_OUTBOX_H
#define TIPGW_OUTBOX_H

#include <stddef.h>
#include <time.h>

struct event_base;
struct modem;
struct notify;
struct outbox;
struct store;
struct templates;

struct store_outbox_item;

#define OUTBOX_ANSWER_WINDOW	600	/* a reply this fresh is an answer */

enum outbox_decision {
	OUTBOX_SEND,
	OUTBOX_HOLD,		/* until a time, no attempt counted */
	OUTBOX_CANCEL,		/* never: the number opted out */
};

struct outbox_options {
	unsigned int	 retry_min;	/* seconds */
	unsigned int	 retry_max;
	unsigned int	 max_attempts;	/* then dead */
	int		 reports;	/* ask for delivery reports */
	int		 quiet_from;	/* minutes of the day; equal: none */
	int		 quiet_to;
	unsigned int	 daily_budget;	/* SMS parts a day; 0: none */
	/* The coordinator's channels, for what reaches nobody else. */
	const char	*coordinator_phone;
	const char	*coordinator_email;
	const char	*coordinator_webhook;
	const char	*coordinator_webhook_format;
	unsigned int	 modem_down_alert;	/* seconds; 0: never */
};

struct outbox	*outbox_new(struct event_base *, struct store *,
		    struct modem **, size_t nmodems, struct notify *,
		    const struct outbox_options *);
void		 outbox_set_options(struct outbox *,
		    const struct outbox_options *);
void		 outbox_set_templates(struct outbox *,
		    const struct templates *);
void		 outbox_kick(struct outbox *);
void		 outbox_free(struct outbox *);
time_t		 outbox_retry_delay(const struct outbox_options *,
		    int attempts, unsigned int rnd);
time_t		 outbox_quiet_until(const struct outbox_options *, time_t);
/*
 * Today's SMS budget: until when it is used up by all SMS (offices'
 * too), and by SMS to reporters alone; 0 while it is not.
 */
struct outbox_budget {
	time_t		 all_until;
	time_t		 reporters_until;
};

enum outbox_decision outbox_decide(const struct outbox_options *,
		    const struct store_outbox_item *,
		    const struct outbox_budget *, time_t now, time_t *until,
		    const char **why);

#endif
