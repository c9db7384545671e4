/*
 * The HTTP API on the daemon's event base (evhttp). Handlers get their data
 * through the hooks tipgwd.c provides; api.c touches no other module's state.
 */
#ifndef TIPGW_API_H
#define TIPGW_API_H

#include <stddef.h>
#include <time.h>

#include "tipgw/modem.h"

struct event_base;
struct api;

/* What /healthz reports. */
struct health {
	const char		*version;
	int			 database_ok;
	char			 database_error[256];
	int			 schema_version;
	time_t			 started;
	time_t			 now;
	struct modem_status	*modems;
	size_t			 nmodems;
	long long		 outbox[4];	/* queued, sending, failed, dead */
	long long		 sms_parts_today; /* China time */
	unsigned int		 sms_budget;	/* 0: none */
};

/* An Open311 requests.json query, as received (NULL: not given). */
struct open311_query {
	const char	*status;
	const char	*service_code;
	const char	*start_date;
	const char	*end_date;
};

struct api_hooks {
	/* Fill h; the caller frees h->modems. */
	void	(*health)(struct health *h, void *arg);
	/* The daemon's numbers as Prometheus text; NULL if they cannot be
	 * read. The caller frees it. */
	char	*(*metrics)(void *arg);
	/* Open311 GeoReport v2 bodies: services.json, and requests.json
	 * (an HTTP status; with 400, *body is why). */
	char	*(*open311_services)(void *arg);
	int	 (*open311_requests)(const struct open311_query *,
		    char **body, void *arg);
	void	*arg;
};

struct api	*api_start(struct event_base *, const char *address,
		    unsigned int port, const struct api_hooks *, char **cause);
void		 api_stop(struct api *);

#endif
