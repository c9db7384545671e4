/*
 * What a person gives for an office or a user of the API, checked the
 * same way for tipgwctl and the API (pure). Each check names the field
 * as its caller calls it ("--phone", "phones") in why.
 */
#ifndef TIPGW_VALID_H
#define TIPGW_VALID_H

#include <stddef.h>

struct office;

/* The fields' names in the caller's words; NULL: the default. */
struct valid_names {
	const char	*name;		/* "office name", "user name" */
	const char	*role;
	const char	*township;
	const char	*phone;
	const char	*webhook;
	const char	*webhook_format;
	const char	*email;
};

int	valid_office(const struct office *, const struct valid_names *,
	    char *why, size_t);
int	valid_user(const char *name, const char *role,
	    char *const *townships, size_t, const struct valid_names *,
	    char *why, size_t);
int	valid_role(const char *);

#endif
