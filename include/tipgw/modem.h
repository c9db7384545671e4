/*
 * GSM modems: one worker thread per modem owns its libGammu state machine
 * and reports to the event loop over a socketpair. Only the modem*.c files
 * include gammu.h.
 */
#ifndef TIPGW_MODEM_H
#define TIPGW_MODEM_H

#include <time.h>

struct event_base;
struct config_modem;
struct modem;
struct sms_message;

enum modem_state {
	MODEM_DOWN,
	MODEM_CONNECTING,
	MODEM_READY,
	MODEM_BACKOFF,
};

/* What the event loop knows of a modem, for /healthz and the log. */
struct modem_status {
	char			 name[32];
	char			 device[128];
	enum modem_state	 state;
	const char		*state_name;
	time_t			 since;		/* of the current state */
	time_t			 last_contact;	/* 0: never */
	char			 reason[160];	/* of the last transition */
	char			 manufacturer[64];
	char			 model[64];
	char			 imei[32];
	char			 imsi[32];
	int			 signal_percent; /* -1: unknown */
	char			 network[24];	/* home, roaming, none, ... */
	int			 sim_used;	/* -1: unknown */
	int			 sim_size;
	unsigned int		 connects;	/* successful connections */
	unsigned int		 failures;	/* in a row, since last steady */
	unsigned int		 resets;	/* soft resets and commands run */
	unsigned long		 received;	/* messages handed over */
	unsigned long		 sent;		/* parts sent */
};

struct modem_options {
	unsigned int	 poll_interval;		/* seconds */
	unsigned int	 health_interval;	/* seconds */
	unsigned int	 multipart_timeout;	/* seconds */
	unsigned int	 stall_timeout;		/* seconds */
	unsigned int	 backoff_min;		/* seconds */
	unsigned int	 backoff_max;		/* seconds */
	int		 hangup_calls;
	int		 delivery_reports;
	char		 reset_command[512];	/* "": none; see config.h */
	unsigned int	 reset_after;		/* failures before it */
};

/* A delivery (status) report for a message this modem sent. */
struct modem_report {
	char		 recipient[64];
	int		 reference;	/* TP-MR of the sent part */
	time_t		 at;
	int		 delivered;	/* 1 delivered, 0 failed, -1 pending */
	int		 status;	/* TP-ST */
};

#define MODEM_MAX_REFERENCES	16	/* parts whose references are kept */

struct modem_send_result {
	int		 ok;
	int		 parts;
	int		 reference;	/* TP-MR of the last part, -1 if none */
	int		 references[MODEM_MAX_REFERENCES];	/* each part's */
	int		 nreferences;
	char		 error[128];
};

typedef void (*modem_send_cb)(const struct modem_send_result *, void *);

/* What the event loop is told; every hook runs on the event loop. */
struct modem_hooks {
	/*
	 * A message (or what arrived of it, after multipart_timeout) to
	 * commit. Return 0 once it is committed or known: the modem then
	 * deletes it. Return -1 to have it offered again at the next poll.
	 */
	int	(*message)(const char *modem, const struct sms_message *,
		    void *);
	/* A delivery report; it is deleted from the modem afterwards. */
	void	(*report)(const char *modem, const struct modem_report *,
		    void *);
	/* Someone called the hotline SIM. */
	void	(*call)(const char *modem, const char *caller, time_t at,
		    int hung_up, void *);
	/* Something for the audit log: a stall, a full SIM, a bad PDU. */
	void	(*event)(const char *modem, const char *action,
		    const char *detail, void *);
	/*
	 * Optional: the messages that arrive together are committed as one
	 * batch. begin 1 before the first: 0 if a batch is open. begin 0
	 * after the last: 0 if the batch is committed; if it is not, none
	 * of its messages is deleted (each is offered again).
	 */
	int	(*batch)(const char *modem, int begin, void *);
	void	*arg;
};

int		 modem_config_check(const struct config_modem *, char **cause);
struct modem	*modem_start(struct event_base *, const struct config_modem *,
		    const struct modem_options *, const struct modem_hooks *,
		    char **cause);
void		 modem_set_options(struct modem *,
		    const struct modem_options *);
int		 modem_send(struct modem *, const char *number,
		    const char *text, modem_send_cb, void *);
void		 modem_stop(struct modem *);
void		 modem_status(const struct modem *, struct modem_status *);
const char	*modem_name(const struct modem *);
const char	*modem_state_name(enum modem_state);

#endif
