/*
 * classify_stream(): `tipgwctl classify`. JSON lines in
 * ({"id", "text", "sender", "received"}), one JSON line out per line in
 * ({"id", "is_tip", "township_code", "village_code", "kind", "product",
 * "needs_followup"}), each sender's messages read in input order as one
 * conversation, the way the daemon reads them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "tipgw/clock.h"
#include "tipgw/gazetteer.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"

#define CLASSIFY_BUCKETS	4096
#define CLASSIFY_QUESTIONS	2	/* never more per tip */

struct classify_sender {
	char			*sender;
	struct understand_prior	 prior;
	char			*norm;		/* prior.norm, owned */
	int			 questions;
	struct classify_sender	*next;
};

struct classify {
	struct classify_sender	*buckets[CLASSIFY_BUCKETS];
};

static struct classify_sender *
classify_sender(struct classify *c, const char *sender)
{
	struct classify_sender	*s;
	unsigned int		 h = 2166136261u;
	const unsigned char	*p;

	for (p = (const unsigned char *)sender; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	h %= CLASSIFY_BUCKETS;
	for (s = c->buckets[h]; s != NULL; s = s->next) {
		if (strcmp(s->sender, sender) == 0)
			return (s);
	}
	s = xcalloc(1, sizeof *s);
	s->sender = xstrdup(sender);
	s->prior.township = -1;
	s->next = c->buckets[h];
	c->buckets[h] = s;
	return (s);
}

static void
classify_free(struct classify *c)
{
	struct classify_sender	*s, *next;
	size_t			 i;

	for (i = 0; i < CLASSIFY_BUCKETS; i++) {
		for (s = c->buckets[i]; s != NULL; s = next) {
			next = s->next;
			free(s->sender);
			free(s->norm);
			free(s);
		}
	}
}

/* 2026-09-02T07:41:00+08:00 (or Z, or no zone: UTC). -1 if not. */
static time_t
classify_time(const char *s)
{
	struct tm	 tm;
	const char	*p;
	int		 sign, hh, mm;

	if (s == NULL)
		return (-1);
	memset(&tm, 0, sizeof tm);
	if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL &&
	    (p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm)) == NULL)
		return (-1);
	if (*p == '.')
		while (*++p >= '0' && *p <= '9')
			;
	if (*p == '\0' || *p == 'Z')
		return (timegm(&tm));
	if ((*p != '+' && *p != '-') || sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2)
		return (-1);
	sign = *p == '+' ? 1 : -1;
	return (timegm(&tm) - sign * (hh * 3600 + mm * 60));
}

static json_t *
classify_code(const struct gazetteer *g, int township, int village)
{
	if (village >= 0)
		return (json_string(g->villages[village].code));
	if (township >= 0)
		return (json_string(g->townships[township].code));
	return (json_null());
}

static json_t *
classify_str(const char *s)
{
	return (s != NULL ? json_string(s) : json_null());
}

/* Remember the tip this message started or completed. */
static void
classify_remember(struct classify_sender *s, const struct understand_result *r,
    time_t received)
{
	const char	*text = r->combined != NULL ? r->combined : r->norm;

	free(s->norm);
	s->norm = xstrdup(text);
	if (r->action == UNDERSTAND_NEW_TIP)
		s->questions = 0;
	if (r->needs_followup)
		s->questions++;
	s->prior.known = 1;
	s->prior.at = received;
	s->prior.norm = s->norm;
	s->prior.township = r->route.township;
	s->prior.unrouted = r->needs_followup;
	s->prior.awaiting = r->needs_followup &&
	    s->questions <= CLASSIFY_QUESTIONS;
	s->prior.incomplete = r->parse.kind == NULL ||
	    r->parse.product == NULL;
}

static json_t *
classify_one(const struct understand *u, struct classify *c, json_t *in)
{
	struct understand_result	 r;
	struct classify_sender		*s;
	const char			*text, *sender;
	time_t				 received;
	json_t				*out;
	int				 tip, i;

	text = json_string_value(json_object_get(in, "text"));
	sender = json_string_value(json_object_get(in, "sender"));
	received = classify_time(json_string_value(json_object_get(in,
	    "received")));
	if (received < 0)
		received = clock_now();
	s = classify_sender(c, sender != NULL ? sender : "");
	understand_message(u, text != NULL ? text : "", received, &s->prior,
	    &r);
	tip = r.action == UNDERSTAND_NEW_TIP || r.action == UNDERSTAND_CONTINUES;
	out = json_object();
	json_object_set(out, "id", json_object_get(in, "id") ?
	    json_object_get(in, "id") : json_null());
	json_object_set_new(out, "is_tip", json_boolean(tip));
	if (tip) {
		json_object_set_new(out, "township_code", classify_code(u->gz,
		    r.route.township, -1));
		json_object_set_new(out, "village_code", classify_code(u->gz,
		    -1, r.route.village));
		json_object_set_new(out, "kind", classify_str(r.parse.kind));
		json_object_set_new(out, "product",
		    classify_str(r.parse.product));
		json_object_set_new(out, "needs_followup",
		    json_boolean(r.needs_followup));
		json_object_set_new(out, "route",
		    json_string(route_status_name(r.route.status)));
		if (r.route.status == ROUTE_AMBIGUOUS) {
			json_t *cand = json_array();

			for (i = 0; i < r.route.ncandidates; i++)
				json_array_append_new(cand, json_string(
				    u->gz->townships[r.route.candidates[i]].code));
			json_object_set_new(out, "candidates", cand);
		}
		if (r.action == UNDERSTAND_CONTINUES)
			json_object_set_new(out, "continues", json_true());
		classify_remember(s, &r, received);
	} else {
		json_object_set_new(out, "township_code", json_null());
		json_object_set_new(out, "village_code", json_null());
		json_object_set_new(out, "kind", json_null());
		json_object_set_new(out, "product", json_null());
		json_object_set_new(out, "needs_followup", json_false());
		if (r.action == UNDERSTAND_COMMAND)
			json_object_set_new(out, "command", json_string(
			    parse_command_name(r.parse.command)));
		else
			json_object_set_new(out, "nontip",
			    classify_str(r.parse.nontip));
	}
	understand_free(&r);
	return (out);
}

/*
 * Classify every line of in. A line that is not a JSON object is an
 * error naming the line; the lines before it have been written.
 */
int
classify_stream(const struct understand *u, FILE *in, FILE *out,
    unsigned long *lines, char **cause)
{
	struct classify	*c = xcalloc(1, sizeof *c);
	json_error_t	 err;
	json_t		*obj, *res;
	char		*line = NULL, *dump;
	size_t		 size = 0;
	ssize_t		 n;
	int		 rc = 0;

	*lines = 0;
	while ((n = getline(&line, &size, in)) != -1) {
		(*lines)++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		obj = json_loads(line, 0, &err);
		if (obj == NULL || !json_is_object(obj)) {
			xasprintf(cause, "line %lu: not a JSON object%s%s",
			    *lines, obj == NULL ? ": " : "",
			    obj == NULL ? err.text : "");
			json_decref(obj);
			rc = -1;
			break;
		}
		res = classify_one(u, c, obj);
		dump = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fprintf(out, "%s\n", dump);
		free(dump);
		json_decref(res);
		json_decref(obj);
	}
	free(line);
	classify_free(c);
	free(c);
	if (rc == 0 && ferror(in)) {
		xasprintf(cause, "read error");
		rc = -1;
	}
	return (rc);
}
