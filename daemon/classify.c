/*
 * classify_stream(): `tipgwctl classify`. JSON lines in
 * ({"id", "text", "sender", "received"}), one JSON line out per line in
 * ({"id", "is_tip", "township_code", "village_code", "kind", "product",
 * "needs_followup"}), each sender's messages read in input order as one
 * conversation: understood and planned by the daemon's own code
 * (understand.c, converse.c), on a conversation kept in memory instead
 * of the ledger, so the two can never disagree.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "tipgw/clock.h"
#include "tipgw/converse.h"
#include "tipgw/gazetteer.h"
#include "tipgw/pin.h"
#include "tipgw/store.h"
#include "tipgw/tip_state.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"

#define CLASSIFY_BUCKETS	4096
#define CLASSIFY_RECENT		64	/* tip times kept, for the flood rule */

/*
 * A sender's conversation, in memory: the ledger's side of it, as the
 * daemon would hold it after the same messages (its latest tip, its
 * recent tips and floods).
 */
struct classify_sender {
	char			*sender;
	struct store_prior	 prior;
	time_t			 tips[CLASSIFY_RECENT];	/* ring */
	time_t			 floods[CLASSIFY_RECENT];
	unsigned int		 ntips, nfloods;
	struct classify_sender	*next;
};

/* PINs are hashed (a tip acknowledged has one), with a key of zeros. */
static const struct pin_key classify_key;

struct classify {
	struct classify_sender	*buckets[CLASSIFY_BUCKETS];
	unsigned long		 ntips;		/* tip ids and codes */
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
			store_prior_clear(&s->prior);
			free(s);
		}
	}
}

/* How many of the times in a ring fall within the hour before now. */
static int
classify_hour(const time_t *ring, unsigned int n, time_t now)
{
	unsigned int	 i;
	int		 count = 0;

	for (i = 0; i < n && i < CLASSIFY_RECENT; i++)
		count += ring[i] >= now - 3600 && ring[i] <= now;
	return (count);
}

static void
classify_set(char **field, const char *value)
{
	char	*copy = value != NULL ? xstrdup(value) : NULL;

	free(*field);
	*field = copy;
}

/*
 * What the ledger would hold after a plan: the tip it made or moved
 * becomes the sender's latest, in the state the tip table gives.
 */
static void
classify_apply(struct classify *cl, struct classify_sender *s,
    const struct converse *c, time_t now)
{
	struct store_prior		*p = &s->prior;
	const struct tip_transition	*t;

	if (c->su.optout)
		p->opted_out = 1;
	if (c->disposition != NULL && strcmp(c->disposition, "flood") == 0)
		s->floods[s->nfloods++ % CLASSIFY_RECENT] = now;
	if (!c->is_tip)
		return;
	s->tips[s->ntips++ % CLASSIFY_RECENT] = now;
	if ((t = tip_next(c->su.from, c->su.event)) == NULL)
		return;
	if (c->su.tip_id == 0) {
		p->tip_id = (long long)++cl->ntips;
		classify_set(&p->code, c->tip.code);
		classify_set(&p->pin_hash, NULL);
	}
	if (c->su.pin_hash != NULL)
		classify_set(&p->pin_hash, c->su.pin_hash);
	p->state = t->to;
	classify_set(&p->text, c->tip.text);
	classify_set(&p->kind, c->tip.kind);
	classify_set(&p->product, c->tip.product);
	classify_set(&p->township_code, c->tip.township_code);
	classify_set(&p->village_code, c->tip.village_code);
	classify_set(&p->candidates, c->su.candidates);
	classify_set(&p->kinds, c->su.kinds != NULL ? c->su.kinds :
	    c->tip.kind);
	classify_set(&p->products, c->su.products != NULL ? c->su.products :
	    c->tip.product);
	p->questions = c->su.questions;
	p->last_message_at = now;
}

/*
 * Understand and plan one message with the daemon's code, on the
 * sender's conversation in memory (every township having an office).
 */
static void
classify_plan(const struct understand *u, struct classify *cl,
    struct classify_sender *s, const char *text, time_t received,
    struct understand_result *r)
{
	struct store_intake_ctx	 ctx;
	struct understand_prior	 up;
	struct converse_in	 in;
	struct converse		 c;
	char			*norm = NULL, code[16];

	memset(&ctx, 0, sizeof ctx);
	ctx.prior = s->prior;	/* borrowed */
	ctx.tips_hour = classify_hour(s->tips, s->ntips, received);
	ctx.floods_hour = classify_hour(s->floods, s->nfloods, received);
	converse_prior(u, &ctx.prior, &up, &norm);
	understand_message(u, text, received, &up, r);
	snprintf(code, sizeof code, "T%06lu", cl->ntips + 1);
	memset(&in, 0, sizeof in);
	in.u = u;
	in.r = r;
	in.ctx = &ctx;
	in.text = text;
	in.raw_key = "classify";
	in.new_code = code;
	in.new_pin = "0000";
	in.pin_key = &classify_key;	/* hashes as the daemon's would */
	in.now = received;
	in.inbound_limit = CONVERSE_INBOUND_DEFAULT;
	in.every_office = 1;
	converse_plan(&in, &c);
	classify_apply(cl, s, &c, received);
	converse_free(&c);
	free(norm);
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
	char	 code[GAZ_VILLAGE_CODE];

	if (village >= 0)
		return (json_string(gazetteer_village_code(g, village, code)));
	if (township >= 0)
		return (json_string(g->townships[township].code));
	return (json_null());
}

static json_t *
classify_str(const char *s)
{
	return (s != NULL ? json_string(s) : json_null());
}

/* Two decimals are what a confidence is worth. */
static json_t *
classify_real(double v)
{
	return (json_real((double)(long)(v * 100 + 0.5) / 100));
}

/*
 * How sure each field is, 0 to 1: the kind and product by the margin of
 * their scores over the next (parse_confidence), the township by how it
 * was found (named or from a village 0.9, the reporter's last tip 0.5,
 * none 0).
 */
static json_t *
classify_confidence(const struct understand_result *r)
{
	json_t	*c = json_object();
	double	 t;

	switch (r->route.status) {
	case ROUTE_TOWNSHIP:
		t = 0.9;
		break;
	case ROUTE_HISTORY:
		t = 0.5;
		break;
	default:
		t = 0.0;
		break;
	}
	json_object_set_new(c, "township", classify_real(t));
	json_object_set_new(c, "kind", classify_real(r->parse.kind == NULL ?
	    0.0 : r->parse.kind_model ? r->parse.kind_probability :
	    parse_confidence(r->parse.kind_score, r->parse.kind_second)));
	json_object_set_new(c, "product", classify_real(r->parse.product ==
	    NULL ? 0.0 : parse_confidence(r->parse.product_score,
	    r->parse.product_second)));
	return (c);
}

/* The text as parse reads it: for contrib/mkmodel. */
static void
classify_normalised(const struct understand *u, json_t *in, json_t *out)
{
	const char	*text = json_string_value(json_object_get(in, "text"));
	char		*norm = understand_normalise(u, text != NULL ? text : "");

	json_object_set_new(out, "normalised", json_string(norm));
	free(norm);
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
	classify_plan(u, c, s, text != NULL ? text : "", received, &r);
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
		if (r.parse.kind == NULL && r.parse.kind_uncertain != NULL)
			json_object_set_new(out, "kind_uncertain",
			    json_string(r.parse.kind_uncertain));
		json_object_set_new(out, "confidence", classify_confidence(&r));
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
    int flags, unsigned long *lines, char **cause)
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
		if (flags & CLASSIFY_NORMALISED)
			classify_normalised(u, obj, res);
		dump = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(3));
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
