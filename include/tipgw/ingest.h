/*
 * Intake: received messages, delivery reports and calls into the ledger.
 * The one place that chains the steps from a modem to the ledger.
 */
#ifndef TIPGW_INGEST_H
#define TIPGW_INGEST_H

#include <time.h>

struct ingest;
struct modem_report;
struct pin_key;
struct sms_message;
struct store;
struct templates;
struct understand;

struct ingest	*ingest_new(struct store *, const char *service_senders);
void		 ingest_set_service(struct ingest *, const char *);
void		 ingest_set_understanding(struct ingest *,
		    const struct understand *, const struct templates *);
void		 ingest_set_reply_limit(struct ingest *, unsigned int);
void		 ingest_set_inbound_limit(struct ingest *, unsigned int);
void		 ingest_set_missed_call_sms(struct ingest *, int);
void		 ingest_set_pin_key(struct ingest *, const struct pin_key *);
void		 ingest_free(struct ingest *);
int		 ingest_sms(struct ingest *, const char *modem,
		    const struct sms_message *, time_t now);
void		 ingest_pause(struct ingest *, time_t now);
void		 ingest_batch_begin(struct ingest *);
void		 ingest_batch_end(struct ingest *, int committed);
void		 ingest_report(struct ingest *, const char *modem,
		    const struct modem_report *);
/* A tip a hotline operator entered (the API's POST /api/v1/tips). */
struct ingest_hotline {
	const char	*text;
	const char	*phone;		/* NULL: the caller gave none */
	const char	*township;	/* NULL: from the text */
	int		 ack;		/* the caller wants the SMS */
	const char	*user;		/* the operator */
};
int		 ingest_hotline(struct ingest *, const struct ingest_hotline *,
		    time_t now, char *code, char *pin, char **cause);
void		 ingest_call(struct ingest *, const char *modem,
		    const char *caller, time_t at, int hung_up);

#endif
