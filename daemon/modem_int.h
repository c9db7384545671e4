/*
 * Inside the modem adapter: the state shared by modem.c (thread, state
 * machine, event-loop side), modem_sms.c (inbox, sending, calls) and
 * modem_tool.c (what both use).
 * Only modem*.c include this header, and with it gammu.h.
 */
#ifndef TIPGW_MODEM_INT_H
#define TIPGW_MODEM_INT_H

#include <pthread.h>
#include <time.h>

#include <gammu.h>

#include "tipgw/modem.h"
#include "tipgw/sms.h"

enum modem_record_type {
	MODEM_REC_STATE,
	MODEM_REC_STATUS,
	MODEM_REC_MESSAGE,
	MODEM_REC_REPORT,
	MODEM_REC_CALL,
	MODEM_REC_SENT,
	MODEM_REC_EVENT,
};

/* Worker -> event loop, one per datagram (SOCK_SEQPACKET). */
struct modem_record {
	enum modem_record_type	 type;
	struct modem_status	 status;	/* STATE, STATUS */
	void			*payload;	/* owned by the receiver */
};

struct modem_call_rec {
	char		 caller[64];
	time_t		 at;
	int		 hung_up;
};

struct modem_event_rec {
	char		 action[32];
	char		 detail[160];
};

enum modem_job_type {
	MODEM_JOB_DELETE,	/* committed: delete the parts */
	MODEM_JOB_KEEP,		/* not committed: offer again later */
	MODEM_JOB_SEND,
};

/* Event loop -> worker, through a locked list. */
struct modem_job {
	enum modem_job_type	 type;
	struct sms_message	*msg;		/* DELETE, KEEP */
	char			*number;	/* SEND */
	char			*text;
	modem_send_cb		 done_cb;
	void			*done_arg;
	struct modem_send_result result;
	struct modem_job	*next;
};

/* An incomplete concatenated message the worker is waiting on. */
struct modem_pending {
	char		 group[SMS_KEY_MAX + 80];
	time_t		 first_seen;	/* monotonic */
	int		 seen;		/* in the last poll */
};

struct modem {
	char			*name;
	char			*file;
	int			 number;
	int			 poll_device;	/* connection is not "none" */
	int			 fds[2];	/* [0] loop end, [1] worker end */
	struct event		*ev;
	struct event		*ev_watchdog;
	struct modem_hooks	 hooks;
	pthread_t		 thread;
	int			 started;

	pthread_mutex_t		 lock;		/* protects what follows */
	pthread_cond_t		 wake;
	int			 stopping;
	int			 exited;
	struct modem_options	 opts;
	GSM_StateMachine	*gsm;
	time_t			 busy_since;	/* monotonic; 0 when idle */
	int			 aborted;	/* the watchdog fired */
	struct modem_job	*jobs, **jobs_tail;

	/* Worker-only. */
	struct modem_status	 ws;		/* what the worker reports */
	struct modem_pending	*pending;
	size_t			 npending;
	char			**inflight;	/* message keys handed over */
	size_t			 ninflight;
	struct modem_call_rec	 calls[8];
	int			 ncalls;
	char			 last_caller[64];
	time_t			 last_call_at;	/* monotonic */
	int			 sms_signalled;	/* +CMTI seen */
	int			 send_status;	/* from the send callback */
	int			 send_reference;
	int			 full_alarm;
	unsigned int		 corrupt_seen;
	int			 debug_file_told; /* logfile warned of */

	/* Event-loop only. */
	struct modem_status	 status;
};

/* modem_tool.c: the worker's toolbox, used by both files below. */
void		 modem_copy(char *, size_t, const char *);
time_t		 modem_monotonic(void);
int		 modem_stopping(struct modem *);
int		 modem_sleep_until(struct modem *, time_t, int jobs);

/* modem_reset.c: the reset ladder. */
void		 modem_soft_reset(struct modem *);
void		 modem_reset_command(struct modem *,
		    const struct modem_options *);

const char	*modem_gsm_error(GSM_Error, char *, size_t);
int		 modem_error_fatal(GSM_Error);
void		 modem_busy(struct modem *, int);
void		 modem_record_send(struct modem *, struct modem_record *);
void		 modem_event(struct modem *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 modem_job_push(struct modem *, struct modem_job *);
struct modem_job *modem_job_pop(struct modem *);
void		 modem_job_requeue(struct modem *, struct modem_job *);
void		 modem_job_free(struct modem_job *);

/* modem_sms.c: the inbox, deletions, sending and calls (the worker). */
void		 modem_sms_callbacks(struct modem *);
int		 modem_sms_poll(struct modem *, char **);
int		 modem_sms_jobs(struct modem *, char **);
void		 modem_sms_calls(struct modem *);
void		 modem_sms_reset(struct modem *);

#endif
