/*
 * The checks of an office and of an API user (valid.h): 0, or -1 with
 * why, "FIELD VALUE: expected ...", the field named as the caller
 * names it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tipgw/notify.h"
#include "tipgw/tipgw.h"
#include "tipgw/valid.h"

static const char *const valid_roles[] = {
	"admin", "coordinator", "office", "hotline", NULL
};

/* A field's name: the caller's, or the default. */
#define VALID_NAME(n, f, d)	((n) != NULL && (n)->f != NULL ? (n)->f : (d))

static int
valid_township(const char *code)
{
	return (strlen(code) == 9 && strspn(code, "0123456789") == 9);
}

int
valid_role(const char *role)
{
	size_t	 i;

	for (i = 0; role != NULL && valid_roles[i] != NULL; i++)
		if (strcmp(valid_roles[i], role) == 0)
			return (1);
	return (0);
}

int
valid_office(const struct office *o, const struct valid_names *n, char *why,
    size_t len)
{
	enum notify_format	 format;
	size_t			 i;

	if (o->name != NULL && !tipgw_name_valid(o->name)) {
		snprintf(why, len, "%s %s: expected 1 to %d characters of "
		    "UTF-8 text, without control characters or spaces around "
		    "it", VALID_NAME(n, name, "office name"), o->name,
		    TIPGW_NAME_MAX);
		return (-1);
	}
	for (i = 0; i < o->nphones; i++) {
		if (!tipgw_phone_valid(o->phones[i])) {
			snprintf(why, len, "%s %s: expected digits with an "
			    "optional leading +", VALID_NAME(n, phone,
			    "phone"), o->phones[i]);
			return (-1);
		}
	}
	for (i = 0; i < o->ntownships; i++) {
		if (!valid_township(o->townships[i])) {
			snprintf(why, len, "%s %s: expected a 9-digit township "
			    "code", VALID_NAME(n, township, "township"),
			    o->townships[i]);
			return (-1);
		}
	}
	if (o->webhook_url != NULL && *o->webhook_url != '\0' &&
	    !tipgw_url_valid(o->webhook_url)) {
		snprintf(why, len, "%s %s: expected an http:// or https:// URL "
		    "without spaces", VALID_NAME(n, webhook, "webhook"),
		    o->webhook_url);
		return (-1);
	}
	if (o->webhook_format != NULL && *o->webhook_format != '\0' &&
	    notify_format_parse(o->webhook_format, &format) != 0) {
		snprintf(why, len, "%s %s: expected generic, wecom or dingtalk",
		    VALID_NAME(n, webhook_format, "webhook format"),
		    o->webhook_format);
		return (-1);
	}
	if (o->email != NULL && *o->email != '\0' &&
	    !tipgw_email_valid(o->email)) {
		snprintf(why, len, "%s %s: expected an e-mail address",
		    VALID_NAME(n, email, "email"), o->email);
		return (-1);
	}
	return (0);
}

int
valid_user(const char *name, const char *role, char *const *townships,
    size_t ntownships, const struct valid_names *n, char *why, size_t len)
{
	const char	*township = VALID_NAME(n, township, "township");
	size_t		 i;

	if (!tipgw_name_valid(name)) {
		snprintf(why, len, "%s %s: expected 1 to %d characters of "
		    "UTF-8 text, without control characters or spaces around "
		    "it", VALID_NAME(n, name, "user name"), name,
		    TIPGW_NAME_MAX);
		return (-1);
	}
	if (!valid_role(role)) {
		snprintf(why, len, "%s %s: expected admin, coordinator, office "
		    "or hotline", VALID_NAME(n, role, "role"),
		    role != NULL ? role : "");
		return (-1);
	}
	if (strcmp(role, "office") == 0 && ntownships == 0) {
		snprintf(why, len, "an office's user needs at least one %s: it "
		    "sees only their tips", township);
		return (-1);
	}
	if (strcmp(role, "office") != 0 && ntownships > 0) {
		snprintf(why, len, "%s is for an office's user only; a %s sees "
		    "every township", township, role);
		return (-1);
	}
	for (i = 0; i < ntownships; i++) {
		if (!valid_township(townships[i])) {
			snprintf(why, len, "%s %s: expected a 9-digit township "
			    "code", township, townships[i]);
			return (-1);
		}
	}
	return (0);
}
