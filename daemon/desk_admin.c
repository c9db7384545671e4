/*
 * The desk's administration, for an admin: the API's users (list, add
 * with a new token shown once, revoke) and the offices (add, change),
 * checked as tipgwctl checks them (valid.c) and audited with the admin
 * as actor. Coordinators may list the offices.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tipgw/clock.h"
#include "tipgw/json.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/token.h"
#include "tipgw/valid.h"
#include "tipgw/xmalloc.h"
#include "desk_int.h"

/* A field's name in the API's words, for valid.c's messages. */
static const struct valid_names desk_names = {
	.name = "name", .role = "role", .township = "townships",
	.phone = "phones", .webhook = "webhook_url",
	.webhook_format = "webhook_format", .email = "email",
};

/* What the ledger said: refused (409, why), or its error (503). */
static void
desk_refused(struct desk_call *c, int rc, char *cause)
{
	if (rc < 0) {
		desk_ledger_error(c, cause);
		return;
	}
	desk_fail(c, 409, "%s", cause);
	free(cause);
}

static int
desk_user_cb(const struct store_user *u, void *arg)
{
	desk_list_add(arg, json_user(u));
	return (0);
}

/* The user called name as a JSON object, or NULL. */
struct desk_find_user {
	const char	*name;
	char		*json;
};

static int
desk_find_user_cb(const struct store_user *u, void *arg)
{
	struct desk_find_user	*f = arg;

	if (strcmp(u->name, f->name) != 0)
		return (0);
	f->json = json_user(u);
	return (1);
}

/* POST /users: {"name", "role", "townships"}; the token, shown once. */
static void
desk_user_add(struct desk_call *c)
{
	static const struct desk_field f[] = {
		{ "name", DESK_TEXT, 1, TIPGW_NAME_MAX },
		{ "role", DESK_TEXT, 1, 16 },
		{ "townships", DESK_STRINGS, 0, 9 },
	};
	char		 token[TOKEN_SIZE], hash[TOKEN_HASH_SIZE], why[512];
	char		**townships, *cause = NULL;
	const char	*name, *role;
	size_t		 n;
	json_t		*o;
	int		 rc;

	if (desk_body(c, f, 3) != 0)
		return;
	name = desk_str(c, "name");
	role = desk_str(c, "role");
	townships = desk_strs(c, "townships", &n);
	if (valid_user(name, role, townships, n, &desk_names, why,
	    sizeof why) != 0) {
		desk_strs_free(townships, n);
		desk_fail(c, 400, "field %s", why);
		return;
	}
	token_new(token, sizeof token);
	token_hash(token, hash, sizeof hash);
	rc = store_user_add(c->desk->store, name, role, hash, townships, n,
	    clock_now(), c->user.actor, &cause);
	desk_strs_free(townships, n);
	if (rc != 0) {
		explicit_bzero(token, sizeof token);
		desk_refused(c, rc, cause);
		return;
	}
	o = json_pack("{s:s, s:s, s:O, s:s}", "name", name, "role", role,
	    "townships", json_object_get(c->json, "townships") != NULL ?
	    json_object_get(c->json, "townships") : json_array(), "token",
	    token);
	explicit_bzero(token, sizeof token);
	desk_answer(c, 201, desk_dump(o));
}

/* /users, /users/NAME/revoke: admin only. */
void
desk_users(struct desk_call *c, const char *name, const char *action)
{
	struct desk_list	 l = { NULL };
	struct desk_find_user	 fu = { name, NULL };
	char			*cause = NULL;
	int			 rc;

	if (desk_may(c, DESK_ADMIN, "manage users") != 0)
		return;
	if (name == NULL && strcmp(c->req->method, "POST") == 0) {
		desk_user_add(c);
		return;
	}
	if (name == NULL) {
		if (desk_method(c, "GET") != 0)
			return;
		l.a = json_array();
		rc = store_users_foreach(c->desk->store, desk_user_cb, &l,
		    &cause);
		desk_listing(c, "users", rc, cause, &l);
		return;
	}
	if (strcmp(action, "revoke") != 0) {
		desk_fail(c, 404, "no such action: %.32s", action);
		return;
	}
	if (desk_method(c, "POST") != 0 || desk_body(c, NULL, 0) != 0)
		return;
	if (strcmp(name, c->user.u.name) == 0) {
		desk_fail(c, 409, "an admin may not revoke their own token "
		    "(tipgwctl user revoke can)");
		return;
	}
	rc = store_user_revoke(c->desk->store, name, clock_now(),
	    c->user.actor, &cause);
	if (rc > 0) {
		desk_fail(c, 404, "%s", cause);
		free(cause);
		return;
	}
	if (rc < 0) {
		desk_ledger_error(c, cause);
		return;
	}
	if (store_users_foreach(c->desk->store, desk_find_user_cb, &fu,
	    &cause) != 0) {
		desk_ledger_error(c, cause);
		return;
	}
	desk_answer(c, 200, fu.json != NULL ? fu.json : json_error("gone"));
}

static int
desk_office_cb(const struct office *o, void *arg)
{
	desk_list_add(arg, json_office(o));
	return (0);
}

struct desk_find_office {
	const char	*name;
	char		*json;
};

static int
desk_find_office_cb(const struct office *o, void *arg)
{
	struct desk_find_office	*f = arg;

	if (strcmp(o->name, f->name) != 0)
		return (0);
	f->json = json_office(o);
	return (1);
}

/* The office as it is now, with status. */
static void
desk_office_show(struct desk_call *c, const char *name, int status)
{
	struct desk_find_office	 f = { name, NULL };
	char			*cause = NULL;

	if (store_office_foreach(c->desk->store, desk_find_office_cb, &f,
	    &cause) != 0) {
		desk_ledger_error(c, cause);
		return;
	}
	if (f.json == NULL)
		desk_fail(c, 404, "no office %s", name);
	else
		desk_answer(c, status, f.json);
}

/* Is there an office called name? 1, or the call is answered. */
static int
desk_office_exists(struct desk_call *c, const char *name)
{
	struct desk_find_office	 f = { name, NULL };
	char			*cause = NULL;

	if (store_office_foreach(c->desk->store, desk_find_office_cb, &f,
	    &cause) != 0) {
		desk_ledger_error(c, cause);
		return (0);
	}
	if (f.json == NULL) {
		desk_fail(c, 404, "no office %s", name);
		return (0);
	}
	free(f.json);
	return (1);
}

/*
 * An office from the body: set lists, and strings ("" where the body
 * has null: cleared on a change).
 */
static void
desk_office_read(struct desk_call *c, struct office *o, int *set_phones,
    int *set_townships)
{
	static const char *const clearable[] = {
		"webhook_url", "webhook_format", "email"
	};
	char	**field[3];
	size_t	 i;
	json_t	*v;

	field[0] = &o->webhook_url;
	field[1] = &o->webhook_format;
	field[2] = &o->email;
	for (i = 0; i < 3; i++) {
		v = json_object_get(c->json, clearable[i]);
		if (v != NULL)
			*field[i] = xstrdup(json_is_null(v) ? "" :
			    json_string_value(v));
	}
	*set_phones = json_object_get(c->json, "phones") != NULL;
	*set_townships = json_object_get(c->json, "townships") != NULL;
	o->phones = desk_strs(c, "phones", &o->nphones);
	o->townships = desk_strs(c, "townships", &o->ntownships);
}

/* GET, POST /offices (list, add) and POST /offices/NAME (change). */
void
desk_offices(struct desk_call *c, const char *name)
{
	static const struct desk_field f[] = {
		{ "name", DESK_TEXT, 0, TIPGW_NAME_MAX },
		{ "townships", DESK_STRINGS, 0, 9 },
		{ "phones", DESK_STRINGS, 0, 32 },
		{ "webhook_url", DESK_TEXT_NULL, 0, 1024 },
		{ "webhook_format", DESK_TEXT_NULL, 0, 16 },
		{ "email", DESK_TEXT_NULL, 0, 254 },
	};
	struct store_office_change	 ch;
	struct desk_list		 l = { NULL };
	struct office			 o, renamed;
	char				*cause = NULL, why[512];
	const char			*shown;
	long long			 id;
	int				 rc, set_phones, set_townships;

	if (name == NULL && strcmp(c->req->method, "POST") != 0) {
		if (desk_method(c, "GET") != 0 ||
		    desk_may(c, DESK_STAFF, "list offices") != 0)
			return;
		l.a = json_array();
		rc = store_office_foreach(c->desk->store, desk_office_cb, &l,
		    &cause);
		desk_listing(c, "offices", rc, cause, &l);
		return;
	}
	if (desk_method(c, "POST") != 0 ||
	    desk_may(c, DESK_ADMIN, "manage offices") != 0 ||
	    desk_body(c, f, sizeof f / sizeof f[0]) != 0)
		return;
	if (name != NULL && !desk_office_exists(c, name))
		return;
	memset(&o, 0, sizeof o);
	o.name = xstrdup(name != NULL ? name : desk_str(c, "name") != NULL ?
	    desk_str(c, "name") : "");
	desk_office_read(c, &o, &set_phones, &set_townships);
	memset(&renamed, 0, sizeof renamed);
	renamed.name = name != NULL ? (char *)desk_str(c, "name") : NULL;
	if (valid_office(&o, &desk_names, why, sizeof why) != 0 ||
	    valid_office(&renamed, &desk_names, why, sizeof why) != 0) {
		office_clear(&o);
		desk_fail(c, 400, "field %s", why);
		return;
	}
	if (name == NULL) {
		rc = store_office_add(c->desk->store, &o, clock_now(),
		    c->user.actor, &id, &cause);
		shown = o.name;
	} else {
		memset(&ch, 0, sizeof ch);
		ch.new_name = desk_str(c, "name");
		ch.webhook_url = o.webhook_url;
		ch.webhook_format = o.webhook_format;
		ch.email = o.email;
		ch.phones = o.phones;
		ch.nphones = o.nphones;
		ch.set_phones = set_phones;
		ch.townships = o.townships;
		ch.ntownships = o.ntownships;
		ch.set_townships = set_townships;
		rc = store_office_set(c->desk->store, name, &ch, clock_now(),
		    c->user.actor, &cause);
		shown = ch.new_name != NULL ? ch.new_name : name;
	}
	if (rc != 0)
		desk_refused(c, rc, cause);
	else
		desk_office_show(c, shown, name == NULL ? 201 : 200);
	office_clear(&o);
}
