/*
 * Who sent a message: carrier and service senders (10086, 106... short
 * codes, 95xxx, alphanumeric names) never become tips. Pure.
 */
#ifndef TIPGW_SENDER_H
#define TIPGW_SENDER_H

#include <stddef.h>

#define SENDER_DEFAULT_SERVICE	"100* 106* 95* 96* 12???"

int	sender_is_service(const char *sender, char *const *patterns,
	    size_t npatterns);
int	sender_patterns_valid(const char *list, char **cause);
size_t	sender_patterns_split(const char *list, char ***patterns);

#endif
