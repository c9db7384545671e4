/*
 * The coordinator's desk: the /api/v1 routes, behind a bearer token.
 * A request arrives as plain values (api.c does the HTTP); the token
 * names a user and their role; the role says which routes they may use
 * (403), their scope which tips they see (an office: its townships'; a
 * hotline operator: the tips they entered; others: all), and a tip out
 * of scope is not found (404). Every change is one transition of the
 * tip's lifecycle through the ledger, with "api:NAME" as its actor;
 * nothing here decides a state. No answer carries a reporter's number
 * but the one /reveal gives, with its audit event.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "tipgw/api.h"
#include "tipgw/desk.h"
#include "tipgw/json.h"
#include "tipgw/lexicon.h"
#include "tipgw/log.h"
#include "tipgw/store.h"
#include "tipgw/tip_state.h"
#include "tipgw/tipgw.h"
#include "tipgw/token.h"
#include "tipgw/vis.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "desk_int.h"

static const struct {
	const char	*name;
	enum desk_role	 role;
} desk_roles[] = {
	{ "admin", DESK_ADMIN },
	{ "coordinator", DESK_COORDINATOR },
	{ "office", DESK_OFFICE },
	{ "hotline", DESK_HOTLINE },
};

struct desk *
desk_new(struct store *st, struct ingest *ig)
{
	struct desk	*d = xcalloc(1, sizeof *d);

	d->store = st;
	d->ingest = ig;
	d->ack_days = 3;
	d->verify_days = 15;
	return (d);
}

/* The calendar and periods deadlines are shown with; d owns cal. */
void
desk_set_clock(struct desk *d, struct workday_cal *cal, unsigned int ack_days,
    unsigned int verify_days)
{
	workday_free(d->cal);
	d->cal = cal;
	d->ack_days = ack_days;
	d->verify_days = verify_days;
}

/* What the cases' outcomes and rewards are decided and told with. */
void
desk_set_campaign(struct desk *d, const char *rules_file, const char *rules,
    const struct templates *t, int say_amount)
{
	free(d->rules_file);
	free(d->rules);
	d->rules_file = xstrdup(rules_file);
	d->rules = xstrdup(rules);
	d->templates = t;
	d->say_amount = say_amount;
}

void
desk_free(struct desk *d)
{
	if (d == NULL)
		return;
	free(d->rules_file);
	free(d->rules);
	workday_free(d->cal);
	free(d);
}

void
desk_answer(struct desk_call *c, int status, char *body)
{
	free(c->body);
	c->status = status;
	c->body = body;
}

void
desk_fail(struct desk_call *c, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	 why[512];

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	desk_answer(c, status, json_error(why));
}

/* A ledger error: logged, and 503 for the client. */
void
desk_ledger_error(struct desk_call *c, char *cause)
{
	char	*path = vis_str(c->req->path, 0);

	log_warnx("api: %s %s: %s", c->req->method, path, cause);
	free(path);
	free(cause);
	desk_fail(c, 503, "the ledger cannot be read or written now; try "
	    "again");
}

static void
desk_user_clear(struct desk_user *du)
{
	size_t	 i;

	for (i = 0; i < du->ntownships; i++)
		free(du->townships[i]);
	free(du->townships);
	store_user_clear(&du->u);
	memset(du, 0, sizeof *du);
}

/* The user the bearer token names; 0, or the call is answered. */
static int
desk_authenticate(struct desk_call *c)
{
	struct desk_user	*du = &c->user;
	char			 hash[TOKEN_HASH_SIZE], *cause = NULL, *list;
	char			*p, *code;
	size_t			 i;

	if (c->req->token == NULL) {
		desk_fail(c, 401, "a bearer token is needed (Authorization: "
		    "Bearer TOKEN; tipgwctl user add makes one)");
		return (-1);
	}
	token_hash(c->req->token, hash, sizeof hash);
	if (store_user_by_token(c->desk->store, hash, &du->u, &cause) != 0) {
		desk_ledger_error(c, cause);
		return (-1);
	}
	if (du->u.id == 0) {
		desk_fail(c, 401, "the token is unknown or revoked");
		return (-1);
	}
	for (i = 0; i < sizeof desk_roles / sizeof desk_roles[0]; i++) {
		if (strcmp(desk_roles[i].name, du->u.role) == 0)
			du->role = desk_roles[i].role;
	}
	if (du->u.townships != NULL) {
		list = p = xstrdup(du->u.townships);
		while ((code = strsep(&p, ",")) != NULL) {
			if (*code == '\0')
				continue;
			du->townships = xreallocarray(du->townships,
			    du->ntownships + 1, sizeof *du->townships);
			du->townships[du->ntownships++] = xstrdup(code);
		}
		free(list);
	}
	if (du->role == 0) {	/* the ledger's CHECK allows no other */
		desk_fail(c, 403, "user %s has an unknown role", du->u.name);
		return (-1);
	}
	if (du->role == DESK_OFFICE) {
		du->scope.townships_only = 1;
		du->scope.townships = du->townships;
		du->scope.ntownships = du->ntownships;
	} else if (du->role == DESK_HOTLINE)
		du->scope.created_by = du->u.name;
	snprintf(du->actor, sizeof du->actor, "api:%s", du->u.name);
	return (0);
}

/* May the user do this? 0, or the call is answered with 403. */
int
desk_may(struct desk_call *c, unsigned int roles, const char *what)
{
	if (c->user.role & roles)
		return (0);
	desk_fail(c, 403, "a user with role %s may not %s", c->user.u.role,
	    what);
	return (-1);
}

int
desk_method(struct desk_call *c, const char *allowed)
{
	const char	*m = c->req->method;

	if (strcmp(m, allowed) == 0 ||
	    (strcmp(m, "HEAD") == 0 && strcmp(allowed, "GET") == 0))
		return (0);
	desk_fail(c, 405, "method %s not allowed here; use %s", m, allowed);
	return (-1);
}

/* Free text from a person: no control characters but line breaks. */
int
desk_text_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\r' &&
		    *s != '\t')
			return (0);
		if ((unsigned char)*s == 0x7f)
			return (0);
	}
	return (1);
}

size_t
desk_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

/* A string of the body: not empty, no NUL, no control, not too long. */
static int
desk_string_ok(struct desk_call *c, const char *field, json_t *v,
    size_t max)
{
	const char	*s = json_string_value(v);

	if (*s == '\0' || strlen(s) != json_string_length(v)) {
		desk_fail(c, 400, "field %s: empty, or with a NUL", field);
		return (0);
	}
	if (!desk_text_ok(s)) {
		desk_fail(c, 400, "field %s: control characters are not "
		    "allowed", field);
		return (0);
	}
	if (desk_chars(s) > max) {
		desk_fail(c, 400, "field %s: longer than %zu characters",
		    field, max);
		return (0);
	}
	return (1);
}

/* A list of strings of the body, each checked as a string. */
static int
desk_strings_ok(struct desk_call *c, const char *field, json_t *v,
    size_t max)
{
	json_t	*item;
	size_t	 i;

	if (!json_is_array(v) || json_array_size(v) > DESK_LIST_MAX) {
		desk_fail(c, 400, "field %s: expected a list of at most %d "
		    "strings", field, DESK_LIST_MAX);
		return (0);
	}
	json_array_foreach(v, i, item) {
		if (!json_is_string(item)) {
			desk_fail(c, 400, "field %s: expected a list of "
			    "strings", field);
			return (0);
		}
		if (!desk_string_ok(c, field, item, max))
			return (0);
	}
	return (1);
}

/*
 * The body as a JSON object with only these fields, of these types; 0,
 * or the call is answered with 400 naming the field.
 */
int
desk_body(struct desk_call *c, const struct desk_field *f, size_t n)
{
	json_error_t	 err;
	json_t		*v;
	const char	*key;
	size_t		 i;

	if (c->req->bodylen == 0)
		c->json = json_object();
	else if ((c->json = json_loadb(c->req->body, c->req->bodylen,
	    JSON_REJECT_DUPLICATES, &err)) == NULL) {
		desk_fail(c, 400, "the body is not JSON: %s (line %d)",
		    err.text, err.line);
		return (-1);
	}
	if (!json_is_object(c->json)) {
		desk_fail(c, 400, "the body must be a JSON object");
		return (-1);
	}
	json_object_foreach(c->json, key, v) {
		for (i = 0; i < n && strcmp(f[i].name, key) != 0; i++)
			;
		if (i == n) {
			desk_fail(c, 400, "unknown field: %.64s", key);
			return (-1);
		}
	}
	for (i = 0; i < n; i++) {
		v = json_object_get(c->json, f[i].name);
		if (v == NULL || (json_is_null(v) &&
		    f[i].type == DESK_TEXT_NULL)) {
			if (f[i].required) {
				desk_fail(c, 400, "missing field: %s",
				    f[i].name);
				return (-1);
			}
			continue;
		}
		switch (f[i].type) {
		case DESK_BOOL:
			if (!json_is_boolean(v)) {
				desk_fail(c, 400, "field %s: expected true "
				    "or false", f[i].name);
				return (-1);
			}
			break;
		case DESK_INT:
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    (json_int_t)f[i].max < json_integer_value(v)) {
				desk_fail(c, 400, "field %s: expected a whole "
				    "number from 0 to %zu", f[i].name,
				    f[i].max);
				return (-1);
			}
			break;
		case DESK_STRINGS:
			if (!desk_strings_ok(c, f[i].name, v, f[i].max))
				return (-1);
			break;
		default:
			if (!json_is_string(v)) {
				desk_fail(c, 400, "field %s: expected a "
				    "string%s", f[i].name,
				    f[i].type == DESK_TEXT_NULL ? " or null" :
				    "");
				return (-1);
			}
			if (!desk_string_ok(c, f[i].name, v, f[i].max))
				return (-1);
			break;
		}
	}
	return (0);
}

/* A list of strings of the body (checked by desk_body): *n, copies. */
char **
desk_strs(struct desk_call *c, const char *name, size_t *n)
{
	json_t	*a = json_object_get(c->json, name), *item;
	char	**v = NULL;
	size_t	 i;

	*n = json_array_size(a);	/* 0 if not an array */
	if (*n > 0)
		v = xcalloc(*n, sizeof *v);
	json_array_foreach(a, i, item)
		v[i] = xstrdup(json_string_value(item));
	return (v);
}

void
desk_strs_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * A path segment with its %XX escapes decoded; NULL if an escape is
 * malformed or decodes to a NUL or a control character.
 */
char *
desk_segment(const char *seg)
{
	char		*out = xmalloc(strlen(seg) + 1), *o = out;
	unsigned int	 x;

	for (; *seg != '\0'; seg++) {
		if (*seg != '%') {
			*o++ = *seg;
			continue;
		}
		if (!isxdigit((unsigned char)seg[1]) ||
		    !isxdigit((unsigned char)seg[2]) ||
		    sscanf(seg + 1, "%2x", &x) != 1 || x < 0x20 || x == 0x7f) {
			free(out);
			return (NULL);
		}
		*o++ = (char)x;
		seg += 2;
	}
	*o = '\0';
	return (out);
}

/* A string field of the body (checked by desk_body); NULL if absent. */
const char *
desk_str(struct desk_call *c, const char *name)
{
	return (json_string_value(json_object_get(c->json, name)));
}

int
desk_township_code(const char *s)
{
	return (strlen(s) == 9 && strspn(s, "0123456789") == 9);
}

/* A JSON line (json.c's) added to a list. */
void
desk_list_add(struct desk_list *l, char *line)
{
	json_t	*o = json_loads(line, 0, NULL);

	free(line);
	if (o == NULL)
		fatalx("api: a row's JSON cannot be read back");
	json_array_append_new(l->a, o);
}

static int
desk_township_cb(const struct township *t, void *arg)
{
	desk_list_add(arg, json_township(t));
	return (0);
}

/*
 * An outbox row for the API: no key, a webhook's URL only up to its host
 * (its path may hold the robot's secret); json.c masks an SMS number.
 */
static int
desk_outbox_cb(const struct store_outbox_row *r, void *arg)
{
	struct desk_list	*l = arg;
	json_t			*o;
	const char		*url, *host, *at;
	char			 origin[256];
	size_t			 n, scheme;

	desk_list_add(l, json_outbox(r));
	o = json_array_get(l->a, json_array_size(l->a) - 1);
	json_object_del(o, "key");
	if (strcmp(r->channel, "webhook") == 0 && (url = strstr(
	    r->destination, "://")) != NULL) {
		scheme = (size_t)(url - r->destination) + 3;
		host = url + 3;
		n = strcspn(host, "/?#");
		if ((at = memchr(host, '@', n)) != NULL) {	/* user:pass@ */
			n -= (size_t)(at + 1 - host);
			host = at + 1;
		}
		snprintf(origin, sizeof origin, "%.*s%.*s/...", (int)scheme,
		    r->destination, (int)n, host);
		json_object_set_new(o, "destination", json_string(origin));
	}
	return (0);
}

/* The list as {"name": [...]}, or the ledger's error. */
void
desk_listing(struct desk_call *c, const char *name, int rc, char *cause,
    struct desk_list *l)
{
	if (rc != 0) {
		json_decref(l->a);
		desk_ledger_error(c, cause);
		return;
	}
	desk_answer(c, 200, desk_dump(json_pack("{s:o}", name, l->a)));
}

int
desk_no_params(struct desk_call *c, const char *allowed)
{
	size_t	 i;

	for (i = 0; i < c->req->nparams; i++) {
		if (allowed == NULL ||
		    strcmp(c->req->params[i].key, allowed) != 0) {
			desk_fail(c, 400, "unknown parameter: %.64s",
			    c->req->params[i].key);
			return (-1);
		}
	}
	return (0);
}

static void
desk_townships(struct desk_call *c)
{
	struct desk_list	 l = { json_array() };
	char			*cause = NULL;
	int			 rc;

	if (desk_method(c, "GET") != 0 || desk_no_params(c, NULL) != 0) {
		json_decref(l.a);
		return;
	}
	rc = store_township_foreach(c->desk->store, desk_township_cb, &l,
	    &cause);
	desk_listing(c, "townships", rc, cause, &l);
}

static void
desk_outbox(struct desk_call *c)
{
	struct desk_list	 l = { json_array() };
	enum outbox_state	 s;
	const char		*state = NULL;
	char			*cause = NULL;
	int			 rc;

	if (desk_method(c, "GET") != 0 ||
	    desk_may(c, DESK_STAFF, "see the outbox") != 0 ||
	    desk_no_params(c, "state") != 0) {
		json_decref(l.a);
		return;
	}
	if (c->req->nparams > 0) {
		state = c->req->params[c->req->nparams - 1].value;
		if (outbox_state_parse(state, &s) != 0) {
			json_decref(l.a);
			desk_fail(c, 400, "parameter state: no outbox state "
			    "%.32s", state);
			return;
		}
	}
	rc = store_outbox_foreach(c->desk->store, state, desk_outbox_cb, &l,
	    &cause);
	desk_listing(c, "outbox", rc, cause, &l);
}

/* GET /me: who the token is. */
static void
desk_me(struct desk_call *c)
{
	json_t	*o, *a;
	size_t	 i;

	if (desk_method(c, "GET") != 0 || desk_no_params(c, NULL) != 0)
		return;
	a = json_array();
	for (i = 0; i < c->user.ntownships; i++)
		json_array_append_new(a, json_string(c->user.townships[i]));
	o = json_pack("{s:s, s:s, s:o}", "name", c->user.u.name, "role",
	    c->user.u.role, "townships", a);
	desk_answer(c, 200, desk_dump(o));
}

static void
desk_count_cb(const char *l1, const char *l2, const char *l3,
    long long n, void *arg)
{
	json_t	*o = arg;

	if (l2 == NULL)
		json_object_set_new(o, l1, json_integer(n));
	else
		json_array_append_new(o, json_pack("{s:s, s:s, s:s, s:I}",
		    "township", l1, "kind", l2, "month", l3 ? l3 : "",
		    "count", (json_int_t)n));
}

/* GET /stats: tips in scope by state, and by township, kind and month. */
static void
desk_stats(struct desk_call *c)
{
	json_t	*states, *months;
	char	*cause = NULL;

	if (desk_method(c, "GET") != 0 || desk_no_params(c, NULL) != 0)
		return;
	states = json_object();
	months = json_array();
	if (store_tip_counts(c->desk->store, &c->user.scope, "state",
	    desk_count_cb, states, &cause) != 0 ||
	    store_tip_counts(c->desk->store, &c->user.scope, "chart",
	    desk_count_cb, months, &cause) != 0) {
		json_decref(states);
		json_decref(months);
		desk_ledger_error(c, cause);
		return;
	}
	desk_answer(c, 200, desk_dump(json_pack("{s:o, s:o}", "states",
	    states, "months", months)));
}

char *
desk_dump(json_t *o)
{
	char	*s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	if (s == NULL)
		fatalx("api: out of memory");
	return (s);
}


/* GET /vocabulary: the codes of states, kinds and products in words. */
static void
desk_vocabulary(struct desk_call *c)
{
	json_t	*states, *kinds, *products;
	int	 i;

	if (desk_method(c, "GET") != 0 || desk_no_params(c, NULL) != 0)
		return;
	states = json_object();
	for (i = TIP_RECEIVED; i < TIP_NSTATES; i++)
		json_object_set_new(states, tip_state_name((enum tip_state)i),
		    json_pack("{s:s, s:s}", "words", tip_state_words(
		    (enum tip_state)i), "owner", tip_owner_name(
		    tip_state_owner((enum tip_state)i))));
	kinds = json_object();
	for (i = 0; lex_kinds[i] != NULL; i++)
		json_object_set_new(kinds, lex_kinds[i],
		    json_string(lex_kind_words(lex_kinds[i])));
	products = json_object();
	for (i = 0; lex_products[i] != NULL; i++)
		json_object_set_new(products, lex_products[i],
		    json_string(lex_product_words(lex_products[i])));
	desk_answer(c, 200, desk_dump(json_pack("{s:o, s:o, s:o}", "states",
	    states, "kinds", kinds, "products", products)));
}

/* Split "/a/b/c" into at most n segments; the count, -1 if more. */
static int
desk_split(char *path, char **seg, int n)
{
	char	*p = path, *s;
	int	 i = 0;

	while ((s = strsep(&p, "/")) != NULL) {
		if (*s == '\0')
			continue;
		if (i == n)
			return (-1);
		seg[i++] = s;
	}
	return (i);
}

static void
desk_route(struct desk_call *c)
{
	char	*path, *seg[3], *name = NULL;
	int	 n;

	path = xstrdup(c->req->path);
	n = desk_split(path, seg, 3);
	if (n < 1)
		desk_fail(c, 404, "no such route");
	else if (n == 1 && strcmp(seg[0], "tips") == 0) {
		if (strcmp(c->req->method, "POST") == 0)
			desk_tips_create(c);
		else if (desk_method(c, "GET") == 0)
			desk_tips_list(c);
	} else if (n >= 2 && strcmp(seg[0], "tips") == 0) {
		if (desk_no_params(c, NULL) == 0)
			desk_tip(c, seg[1], n == 3 ? seg[2] : NULL);
	} else if (strcmp(seg[0], "offices") == 0 && n <= 2) {
		if ((name = n == 2 ? desk_segment(seg[1]) : NULL) == NULL &&
		    n == 2)
			desk_fail(c, 404, "no such office");
		else if (desk_no_params(c, NULL) == 0)
			desk_offices(c, name);
	} else if (strcmp(seg[0], "users") == 0 && n != 2) {
		if ((name = n == 3 ? desk_segment(seg[1]) : NULL) == NULL &&
		    n == 3)
			desk_fail(c, 404, "no such user");
		else if (desk_no_params(c, NULL) == 0)
			desk_users(c, name, n == 3 ? seg[2] : NULL);
	} else if (strcmp(seg[0], "cases") == 0 ||
	    strcmp(seg[0], "rewards") == 0 || strcmp(seg[0], "reports") == 0) {
		desk_campaign(c, seg[0], n > 1 ? seg[1] : NULL,
		    n > 2 ? seg[2] : NULL);
	} else if (n == 1 && strcmp(seg[0], "townships") == 0)
		desk_townships(c);
	else if (n == 1 && strcmp(seg[0], "outbox") == 0)
		desk_outbox(c);
	else if (n == 1 && strcmp(seg[0], "me") == 0)
		desk_me(c);
	else if (n == 1 && strcmp(seg[0], "stats") == 0)
		desk_stats(c);
	else if (n == 1 && strcmp(seg[0], "vocabulary") == 0)
		desk_vocabulary(c);
	else
		desk_fail(c, 404, "no such route");
	free(name);
	free(path);
}

/* Answer one /api/v1 request: the status, and *body (JSON, to free). */
int
desk_handle(struct desk *d, const struct api_request *req, char **body)
{
	struct desk_call	 c;

	memset(&c, 0, sizeof c);
	c.desk = d;
	c.req = req;
	if (desk_authenticate(&c) == 0)
		desk_route(&c);
	if (c.body == NULL)
		desk_fail(&c, 500, "no answer");
	desk_user_clear(&c.user);
	if (c.json != NULL)
		json_decref(c.json);
	*body = c.body;
	return (c.status);
}
