/*
 * Open311 GeoReport v2, read-only (pure): the tip kinds as services and
 * tips as service requests, for the civic tools that speak it. Never a
 * contact field; the villager's words with phone-like numbers masked.
 */
#ifndef TIPGW_OPEN311_H
#define TIPGW_OPEN311_H

#include <time.h>

struct tip;
struct open311_list;

#define OPEN311_MAX_REQUESTS	1000	/* the spec's default cap */
#define OPEN311_DEFAULT_DAYS	90	/* the spec's default window */

char			*open311_services(void);
struct open311_list	*open311_list_new(void);
int			 open311_list_add(struct open311_list *,
			    const struct tip *, const char *status,
			    const char *service_code);
char			*open311_list_finish(struct open311_list *);

#endif
