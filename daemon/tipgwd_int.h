/*
 * The daemon's state, shared by its start and loop (tipgwd.c) and its
 * answers to the API (tipgwd_api.c).
 */
#ifndef TIPGWD_INT_H
#define TIPGWD_INT_H

#include <time.h>

#include "tipgw/config.h"
#include "tipgw/pin.h"

struct api;
struct api_request;
struct desk;
struct event;
struct event_base;
struct health;
struct ingest;
struct modem;
struct notify;
struct open311_query;
struct outbox;
struct remind;
struct store;
struct templates;
struct understand;

struct tipgwd {
	struct event_base	*base;
	struct config		*conf;
	struct store		*store;
	struct api		*api;
	struct desk		*desk;
	struct ingest		*ingest;
	struct outbox		*outbox;
	struct notify		*notify;
	struct remind		*remind;
	struct understand	*understand;
	struct templates	*templates;
	struct modem		*modems[CONFIG_MAX_MODEMS];
	size_t			 nmodems;
	struct event		*ev_term, *ev_int, *ev_hup, *ev_watchdog;
	struct pin_key		 pin_key;
	time_t			 started;
	time_t			 write_checked;	/* the ledger's write check */
	char			 write_error[160]; /* ... and what it found */
	int			 batch_open;	/* a modem's group commit */
	unsigned long		 batch_messages; /* ... its messages so far */
	unsigned long		 intake_commits; /* group commits made */
	unsigned long		 intake_batched; /* messages in them */
};

/* tipgwd_api.c: the API's hooks. */
void	 tipgwd_health(struct health *, void *);
char	*tipgwd_metrics(void *);
char	*tipgwd_open311_services(void *);
int	 tipgwd_open311_requests(const struct open311_query *, char **,
	    void *);
int	 tipgwd_v1(const struct api_request *, char **, void *);

#endif
