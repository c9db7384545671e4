/*
 * tipgwctl user add|list|revoke: the people who use the HTTP API. A new
 * user's bearer token is printed once, on a line of its own, and kept
 * only as its hash; a role says what they may do, and an office's user
 * sees only the townships given here.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/json.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/token.h"
#include "tipgw/valid.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

/* Check what user add was given; 0, or 1 after saying why. */
static int
ctl_user_check(const char *name, const char *role, char **townships,
    size_t n)
{
	static const struct valid_names	 names = {
		.role = "--role", .township = "--township",
	};
	char				 why[512];

	if (valid_user(name, role, townships, n, &names, why,
	    sizeof why) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", why);
		return (1);
	}
	return (0);
}

static int
ctl_user_add(struct ctl *c, int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "township", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	char				 token[TOKEN_SIZE];
	char				 hash[TOKEN_HASH_SIZE];
	char				**townships = NULL, *cause = NULL;
	const char			*role = NULL, *name;
	size_t				 n = 0, i;
	int				 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r')
			role = optarg;
		else if (ch == 't')
			ctl_list_add(&townships, &n, optarg);
		else
			return (-1);
	}
	if (optind + 1 != argc)
		return (-1);
	name = argv[optind];
	if ((rc = ctl_user_check(name, role, townships, n)) == 0) {
		token_new(token, sizeof token);
		token_hash(token, hash, sizeof hash);
		if (store_user_add(c->store, name, role, hash, townships, n,
		    clock_now(), c->actor, &cause) != 0) {
			fprintf(stderr, "tipgwctl: %s\n", cause);
			free(cause);
			rc = 1;
		} else
			printf("added user %s (%s); the token, shown only "
			    "now:\n%s\n", name, role, token);
		memset(token, 0, sizeof token);
	}
	for (i = 0; i < n; i++)
		free(townships[i]);
	free(townships);
	return (rc);
}

static int
ctl_user_print_cb(const struct store_user *u, void *arg)
{
	int	*json = arg;
	char	*s, created[32], revoked[32];

	clock_china_format(u->created_at, "%Y-%m-%d %H:%M", created,
	    sizeof created);
	if (u->revoked_at != 0)
		clock_china_format(u->revoked_at, "%Y-%m-%d %H:%M", revoked,
		    sizeof revoked);
	if (*json) {
		s = json_user(u);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	printf("%-16s %-12s %-20s created %s%s%s\n", u->name, u->role,
	    u->townships ? u->townships : "-", created,
	    u->revoked_at ? ", revoked " : "", u->revoked_at ? revoked : "");
	return (0);
}

static int
ctl_user_list(struct ctl *c, int argc, char **argv)
{
	char	*cause = NULL;
	int	 json;

	if (ctl_json_flag(argc, argv, &json) != 0)
		return (-1);
	if (store_users_foreach(c->store, ctl_user_print_cb, &json,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

static int
ctl_user_revoke(struct ctl *c, int argc, char **argv)
{
	char	*cause = NULL;
	int	 rc;

	if (argc != 2)
		return (-1);
	rc = store_user_revoke(c->store, argv[1], clock_now(), c->actor,
	    &cause);
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("revoked user %s: the token no longer works\n", argv[1]);
	return (0);
}

const struct ctl_entry ctl_user_add_entry = {
	.name = "user",
	.sub = "add",
	.flags = 0,
	.usage = "user add NAME --role admin|coordinator|office|hotline "
	    "[--township CODE[,CODE...]]",
	.exec = ctl_user_add,
};

const struct ctl_entry ctl_user_list_entry = {
	.name = "user",
	.sub = "list",
	.flags = CTL_READONLY,
	.usage = "user list [--json]",
	.exec = ctl_user_list,
};

const struct ctl_entry ctl_user_revoke_entry = {
	.name = "user",
	.sub = "revoke",
	.flags = 0,
	.usage = "user revoke NAME",
	.exec = ctl_user_revoke,
};
