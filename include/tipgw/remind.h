/*
 * Deadline reminders and escalation, once a minute on the event loop:
 * for each open tip, the office's duty phones are reminded at D-3 and
 * D-1, and the coordinator is told when a deadline passes; a question the
 * reporter left unanswered for followup_window hands the tip to the
 * coordinator. Every message
 * has a dedup key naming the tip, the due day and the step, so a restart
 * or a second pass never sends one twice.
 */
#ifndef TIPGW_REMIND_H
#define TIPGW_REMIND_H

#include <time.h>

struct event_base;
struct pin_key;
struct remind;
struct store;
struct templates;

struct remind_options {
	int		 ack_days;
	int		 verify_days;
	const char	*coordinator_phone;
	const char	*coordinator_email;
	unsigned int	 followup_window;	/* seconds to answer */
	const char	*report_email;		/* the quarter's report */
	unsigned int	 report_days_before;
	unsigned int	 case_window;
	unsigned int	 retention_days;	/* 0: numbers kept */
};

typedef void	(*remind_calendar_cb)(void *);

struct remind	*remind_new(struct event_base *, struct store *,
		    const char *holidays, char **cause);
int		 remind_set(struct remind *, const struct remind_options *,
		    const struct templates *, const char *holidays,
		    char **cause);
int		 remind_run(struct remind *, time_t now);
void		 remind_set_pin_key(struct remind *, const struct pin_key *);
void		 remind_set_calendar_cb(struct remind *, remind_calendar_cb,
		    void *);
long		 remind_covered_until(const struct remind *);
void		 remind_free(struct remind *);

#endif
