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
	long			 calendar_until; /* workday_day; -1: none */
	long			 calendar_today;
};

/* An Open311 requests.json query, as received (NULL: not given). */
struct open311_query {
	const char	*status;
	const char	*service_code;
	const char	*start_date;
	const char	*end_date;
};

/* A request to /api/v1, as received. */
struct api_param {
	const char	*key;
	const char	*value;
};
struct api_request {
	const char		*method;	/* GET, POST ... */
	const char		*path;		/* after /api/v1 */
	const struct api_param	*params;	/* the query, decoded */
	size_t			 nparams;
	const char		*body;
	size_t			 bodylen;
	const char		*token;		/* bearer; NULL: none */
};

/* Bodies of /api/v1 requests larger than this are refused (413). */
#define API_V1_MAX_BODY		(64 * 1024)

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
	/* An /api/v1 request: its status; *body is JSON, to free. */
	int	 (*v1)(const struct api_request *, char **body, void *arg);
	void	*arg;
};

struct api	*api_start(struct event_base *, const char *address,
		    unsigned int port, const struct api_hooks *, char **cause);
void		 api_set_ui(struct api *, const char *directory);
void		 api_stop(struct api *);

#endif
