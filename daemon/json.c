/*
 * JSON encoding with jansson: the only file that includes jansson.h.
 * Objects are built from the domain types; a reporter's number is not in
 * any of them, so it cannot leak through here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tipgw/clock.h"
#include "tipgw/json.h"
#include "tipgw/lexicon.h"
#include "tipgw/log.h"
#include "tipgw/redact.h"
#include "tipgw/calendar.h"
#include "tipgw/report.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"

/* A JSON string, null for NULL; invalid UTF-8 becomes U+FFFD. */
static json_t *
json_str_or_null(const char *s)
{
	json_t	*j;
	char	*clean;

	if (s == NULL)
		return (json_null());
	if ((j = json_string(s)) != NULL)
		return (j);
	clean = tipgw_utf8_sanitize(s);
	j = json_string(clean);
	free(clean);
	return (j);
}

/* A villager's words as a JSON string, phone-like numbers masked. */
static json_t *
json_words(const char *s)
{
	json_t	*j;
	char	*masked;

	if (s == NULL)
		return (json_null());
	masked = redact_numbers(s);
	j = json_str_or_null(masked);
	free(masked);
	return (j);
}

static json_t *
json_time(time_t t)
{
	char	 buf[32];

	if (t == 0)
		return (json_null());
	return (json_string(tipgw_time_format(t, buf, sizeof buf)));
}

static json_t *
json_strings(char *const *v, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_str_or_null(v[i]));
	return (a);
}

/* Every stored field of a tip but its reporter and PIN. */
static json_t *
json_tip_object(const struct tip *t)
{
	json_t	*o = json_object();

	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "code", json_str_or_null(t->code));
	json_object_set_new(o, "channel", json_str_or_null(t->channel));
	json_object_set_new(o, "received_at", json_time(t->received_at));
	json_object_set_new(o, "state", json_str_or_null(t->state));
	json_object_set_new(o, "kind", json_str_or_null(t->kind));
	json_object_set_new(o, "product", json_str_or_null(t->product));
	/* "": the words named no kind (the model's is "kind"). */
	json_object_set_new(o, "kinds", json_str_or_null(t->kinds != NULL &&
	    *t->kinds != '\0' ? t->kinds : NULL));
	json_object_set_new(o, "products", json_str_or_null(t->products));
	json_object_set_new(o, "township_code",
	    json_str_or_null(t->township_code));
	json_object_set_new(o, "township", json_str_or_null(t->township));
	json_object_set_new(o, "village_code",
	    json_str_or_null(t->village_code));
	json_object_set_new(o, "village", json_str_or_null(t->village));
	json_object_set_new(o, "office", json_str_or_null(t->office_name));
	json_object_set_new(o, "shop", json_str_or_null(t->shop));
	json_object_set_new(o, "place", json_str_or_null(t->place));
	json_object_set_new(o, "brand", json_str_or_null(t->brand));
	json_object_set_new(o, "route", json_str_or_null(t->route));
	json_object_set_new(o, "candidates", json_str_or_null(t->candidates));
	json_object_set_new(o, "questions", json_integer(t->questions));
	json_object_set_new(o, "text", json_words(t->text));
	json_object_set_new(o, "last_message_at",
	    json_time(t->last_message_at));
	json_object_set_new(o, "updated_at", json_time(t->updated_at));
	json_object_set_new(o, "clock_from", json_time(t->clock_from));
	json_object_set_new(o, "filed_at", json_time(t->filed_at));
	json_object_set_new(o, "closed_at", json_time(t->closed_at));
	json_object_set_new(o, "result", json_words(t->result));
	json_object_set_new(o, "extended_by", json_words(t->extended_by));
	json_object_set_new(o, "extension_reason",
	    json_words(t->extension_reason));
	json_object_set_new(o, "paused_from",
	    json_str_or_null(t->paused_from));
	json_object_set_new(o, "paused_days", json_integer(t->paused_days));
	json_object_set_new(o, "order_12315",
	    json_str_or_null(t->order_12315));
	return (o);
}

/* Serialise and free; invalid UTF-8 from the ledger is never fatal. */
static char *
json_finish(json_t *o)
{
	char	*s;

	if (o == NULL)
		fatalx("json: out of memory");
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		s = xstrdup("{\"error\":\"cannot encode JSON\"}");
	return (s);
}

static json_t *
json_int_or_null(int v)
{
	return (v < 0 ? json_null() : json_integer(v));
}

static json_t *
json_modem(const struct modem_status *m)
{
	return (json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I}",
	    "name", json_str_or_null(m->name),
	    "device", json_str_or_null(m->device),
	    "state", m->state_name,
	    "since", json_time(m->since),
	    "last_contact", json_time(m->last_contact),
	    "reason", json_str_or_null(m->reason),
	    "manufacturer", json_str_or_null(m->manufacturer),
	    "model", json_str_or_null(m->model),
	    "imei", json_str_or_null(m->imei),
	    "imsi", json_str_or_null(m->imsi),
	    "signal_percent", json_int_or_null(m->signal_percent),
	    "network", json_str_or_null(m->network),
	    "sim_used", json_int_or_null(m->sim_used),
	    "sim_size", json_int_or_null(m->sim_size),
	    "connects", (json_int_t)m->connects,
	    "failures", (json_int_t)m->failures,
	    "resets", (json_int_t)m->resets,
	    "received", (json_int_t)m->received,
	    "sent", (json_int_t)m->sent));
}

/*
 * How far the holiday calendar reaches: a warning when deadlines within
 * CALENDAR_AHEAD_DAYS would count weekends only.
 */
static json_t *
json_calendar(const struct health *h)
{
	char	 until[16], warning[160];
	int	 y, m, d, ok = h->calendar_until >= h->calendar_today +
		    CALENDAR_AHEAD_DAYS;

	if (h->calendar_until >= 0) {
		workday_ymd(h->calendar_until, &y, &m, &d);
		snprintf(until, sizeof until, "%04d-%02d-%02d", y, m, d);
		snprintf(warning, sizeof warning, "the holiday calendar ends "
		    "%s; import the State Council's notice for %d "
		    "(tipgwctl holidays import FILE)", until, y + 1);
	} else {
		workday_ymd(h->calendar_today, &y, &m, &d);
		snprintf(warning, sizeof warning, "the holiday calendar has "
		    "no %d; import the State Council's notice (tipgwctl "
		    "holidays import FILE)", y);
	}
	return (json_pack("{s:o, s:b, s:o}",
	    "until", h->calendar_until >= 0 ? json_string(until) :
		json_null(),
	    "ok", ok,
	    "warning", ok ? json_null() : json_string(warning)));
}

/*
 * The /healthz body. *status is "ok" when the ledger answers and every
 * modem is ready, "degraded" when the ledger answers but a modem does
 * not, and "error" when the ledger fails.
 */
char *
json_health(const struct health *h, const char **status)
{
	json_t	*modems = json_array();
	size_t	 i;
	int	 all_ready = 1;

	for (i = 0; i < h->nmodems; i++) {
		json_array_append_new(modems, json_modem(&h->modems[i]));
		if (h->modems[i].state != MODEM_READY)
			all_ready = 0;
	}
	if (!h->database_ok)
		*status = "error";
	else
		*status = all_ready ? "ok" : "degraded";
	return (json_finish(json_pack("{s:s, s:s, s:o, s:I, s:{s:s, s:o, "
	    "s:i}, s:o, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:o}, s:o}",
	    "status", *status,
	    "version", h->version,
	    "started", json_time(h->started),
	    "uptime", (json_int_t)(h->now - h->started),
	    "database",
		"state", h->database_ok ? "ok" : "error",
		"error", h->database_ok ? json_null() :
		    json_str_or_null(h->database_error),
		"schema", h->schema_version,
	    "modems", modems,
	    "outbox",
		"queued", (json_int_t)h->outbox[0],
		"sending", (json_int_t)h->outbox[1],
		"failed", (json_int_t)h->outbox[2],
		"dead", (json_int_t)h->outbox[3],
	    "sms_today",
		"parts", (json_int_t)h->sms_parts_today,
		"budget", h->sms_budget ? json_integer(h->sms_budget) :
		    json_null(),
	    "calendar", json_calendar(h))));
}

/* One tip as a JSON object (one line). */
/* A tip as a JSON object, for a caller that adds to it (the desk). */
json_t *
json_tip_value(const struct tip *t)
{
	return (json_tip_object(t));
}

char *
json_tip(const struct tip *t)
{
	return (json_finish(json_tip_object(t)));
}

struct json_doc {
	json_t	*o;
};

/* tip show: the tip, to which its messages and history are added. */
struct json_doc *
json_tip_doc(const struct tip *t)
{
	struct json_doc	*d = xcalloc(1, sizeof *d);

	d->o = json_tip_object(t);
	json_object_set_new(d->o, "messages", json_array());
	json_object_set_new(d->o, "history", json_array());
	return (d);
}

/* One message of the tip's conversation (never its sender). */
void
json_doc_message(struct json_doc *d, const struct store_message *m)
{
	json_array_append_new(json_object_get(d->o, "messages"),
	    json_pack("{s:I, s:o, s:i, s:i, s:o, s:o, s:o}",
	    "id", (json_int_t)m->id,
	    "received_at", json_time(m->received_at),
	    "parts", m->parts_present,
	    "parts_total", m->parts_total,
	    "disposition", json_str_or_null(m->disposition),
	    "reason", json_str_or_null(m->reason),
	    "text", json_words(m->text)));
}

/*
 * One event of the tip's history: a number in what a person wrote (a
 * note, a reason, a result) masked; tip.received's detail is the
 * daemon's own (its township code is no phone).
 */
void
json_doc_event(struct json_doc *d, const struct store_event *e)
{
	int	 own = e->action != NULL && strcmp(e->action,
		    "tip.received") == 0;

	json_array_append_new(json_object_get(d->o, "history"),
	    json_pack("{s:o, s:o, s:o, s:o}",
	    "at", json_time(e->at),
	    "action", json_str_or_null(e->action),
	    "actor", json_words(e->actor),
	    "detail", own ? json_str_or_null(e->detail) :
	    json_words(e->detail)));
}

/* The document as one line; d is freed. */
char *
json_doc_finish(struct json_doc *d)
{
	json_t	*o = d->o;

	free(d);
	return (json_finish(o));
}

static json_t *
json_flag(long long v)
{
	return (v < 0 ? json_null() : json_boolean(v));
}

static json_t *
json_number(long long v)
{
	return (v < 0 ? json_null() : json_integer(v));
}

/* A case: its state, its outcome (the 问题台账 fields), its tips. */
struct json_doc *
json_case_doc(const struct store_case *c)
{
	struct json_doc	*d = xcalloc(1, sizeof *d);

	d->o = json_object();
	json_object_set_new(d->o, "id", json_integer(c->id));
	json_object_set_new(d->o, "state", json_str_or_null(c->state));
	json_object_set_new(d->o, "created_at", json_time(c->created_at));
	json_object_set_new(d->o, "updated_at", json_time(c->updated_at));
	json_object_set_new(d->o, "tips_count", json_integer(c->ntips));
	json_object_set_new(d->o, "verified", json_flag(c->verified));
	json_object_set_new(d->o, "specific", json_flag(c->specific));
	json_object_set_new(d->o, "known_before", json_flag(c->known_before));
	json_object_set_new(d->o, "finding", json_words(c->finding));
	json_object_set_new(d->o, "measure", json_words(c->measure));
	json_object_set_new(d->o, "deadline", json_str_or_null(c->deadline));
	json_object_set_new(d->o, "responsible",
	    json_str_or_null(c->responsible));
	json_object_set_new(d->o, "penalty", json_number(c->penalty));
	json_object_set_new(d->o, "confiscated", json_number(c->confiscated));
	json_object_set_new(d->o, "closed_down", json_flag(c->closed_down));
	json_object_set_new(d->o, "level", json_number(c->level));
	json_object_set_new(d->o, "referral", json_str_or_null(c->referral));
	json_object_set_new(d->o, "referral_at", json_time(c->referral_at));
	json_object_set_new(d->o, "followup", json_str_or_null(c->followup));
	json_object_set_new(d->o, "tips", json_array());
	return (d);
}

/* One tip of the case, earliest first (never its reporter). */
void
json_case_tip(struct json_doc *d, const struct store_case_tip *t)
{
	json_array_append_new(json_object_get(d->o, "tips"),
	    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "code", json_str_or_null(t->code),
	    "received_at", json_time(t->received_at),
	    "channel", json_str_or_null(t->channel),
	    "state", json_str_or_null(t->state),
	    "township_code", json_str_or_null(t->township_code),
	    "township", json_str_or_null(t->township),
	    "village", json_str_or_null(t->village),
	    "shop", json_str_or_null(t->shop),
	    "kind", json_str_or_null(t->kind),
	    "text", json_words(t->text)));
}

/* A reward (one line): never its reporter. */
char *
json_reward(const struct store_reward *r)
{
	return (json_finish(json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:b, s:{s:b, s:b, s:b, s:b, s:b}, s:o, s:o, s:o}",
	    "id", (json_int_t)r->id, "case", (json_int_t)r->case_id,
	    "tip", json_str_or_null(r->code),
	    "state", json_str_or_null(r->state),
	    "rule_set", json_str_or_null(r->rule_set),
	    "level", json_number(r->level),
	    "amount", json_number(r->amount),
	    "why", json_str_or_null(r->why),
	    "first_reporter", r->earlier_tips == 0,
	    "exclusions", "staff", r->staff, "brand_owner", r->brand_owner,
	    "violator", r->violator, "insider", r->insider,
	    "paid_by_other", r->paid_by_other,
	    "claim_days", json_number(r->claim_days),
	    "received_at", json_time(r->received_at),
	    "updated_at", json_time(r->updated_at))));
}

static json_t *
json_report_row(const struct report_row *w)
{
	json_t	*kinds = json_object(), *products = json_object();
	size_t	 i;

	for (i = 0; i < REPORT_KINDS; i++)
		json_object_set_new(kinds, lex_kinds[i],
		    json_integer(w->by_kind[i]));
	json_object_set_new(kinds, "unknown",
	    json_integer(w->by_kind[REPORT_KINDS]));
	for (i = 0; i < REPORT_PRODUCTS; i++)
		json_object_set_new(products, lex_products[i],
		    json_integer(w->by_product[i]));
	json_object_set_new(products, "unknown",
	    json_integer(w->by_product[REPORT_PRODUCTS]));
	return (json_pack("{s:s, s:s, s:I, s:o, s:o, s:I, s:I, s:I, s:I, "
	    "s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
	    "township_code", w->township_code, "township", w->township,
	    "received", (json_int_t)w->received, "by_kind", kinds,
	    "by_product", products, "routed", (json_int_t)w->routed,
	    "acknowledged_in_time", (json_int_t)w->acked_in_time,
	    "verified", (json_int_t)w->verified,
	    "cases", (json_int_t)w->cases,
	    "penalty", (json_int_t)w->penalty,
	    "confiscated", (json_int_t)w->confiscated,
	    "referrals", (json_int_t)w->referrals,
	    "rewards_approved", (json_int_t)w->rewards_approved,
	    "reward_approved_yuan", (json_int_t)w->reward_approved_yuan,
	    "rewards_paid", (json_int_t)w->rewards_paid,
	    "reward_paid_yuan", (json_int_t)w->reward_paid_yuan));
}

/* A report: its period, a row a township, the total. */
char *
json_report(const struct report *r)
{
	json_t	*rows = json_array();
	size_t	 i;

	for (i = 0; i < r->nrows; i++)
		json_array_append_new(rows, json_report_row(&r->rows[i]));
	return (json_finish(json_pack("{s:s, s:o, s:o}", "period",
	    r->period.name, "townships", rows, "total",
	    json_report_row(&r->total))));
}

/* One office as a JSON object (one line). */
char *
json_office(const struct office *o)
{
	return (json_finish(json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)o->id,
	    "name", json_str_or_null(o->name),
	    "townships", json_strings(o->townships, o->ntownships),
	    "phones", json_strings(o->phones, o->nphones),
	    "webhook_url", json_str_or_null(o->webhook_url),
	    "webhook_format", json_str_or_null(o->webhook_format),
	    "email", json_str_or_null(o->email))));
}

/* One township as a JSON object (one line). */
char *
json_township(const struct township *t)
{
	return (json_finish(json_pack("{s:o, s:o, s:I, s:o}",
	    "code", json_str_or_null(t->code),
	    "name", json_str_or_null(t->name),
	    "villages", (json_int_t)t->nvillages,
	    "office", json_str_or_null(t->office_name))));
}

/*
 * One outbox row as a JSON object (one line). A reporter's number is
 * masked: only the channel's own log and the modem see it whole.
 */
char *
json_outbox(const struct store_outbox_row *r)
{
	char	 masked[32];

	return (json_finish(json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:i, "
	    "s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)r->id,
	    "key", json_str_or_null(r->dedup_key),
	    "intent", json_str_or_null(r->intent),
	    "channel", json_str_or_null(r->channel),
	    "destination", json_str_or_null(strcmp(r->channel, "sms") == 0 ?
	    log_mask_phone(r->destination, masked, sizeof masked) :
	    r->destination),
	    "state", json_str_or_null(r->state),
	    "attempts", r->attempts,
	    "next_attempt_at", json_time(r->next_attempt_at),
	    "last_error", json_str_or_null(r->last_error),
	    "created_at", json_time(r->created_at),
	    "sent_at", r->sent_at ? json_time(r->sent_at) : json_null(),
	    "tip", r->tip_id ? json_integer(r->tip_id) : json_null())));
}

/* {"error": message} */
char *
json_error(const char *message)
{
	return (json_finish(json_pack("{s:o}", "error",
	    json_str_or_null(message))));
}

/* A user of the API as tipgwctl user list --json prints it: never a token. */
char *
json_user(const struct store_user *u)
{
	char	 created[32], revoked[32];

	clock_china_format(u->created_at, "%Y-%m-%d %H:%M", created,
	    sizeof created);
	if (u->revoked_at != 0)
		clock_china_format(u->revoked_at, "%Y-%m-%d %H:%M", revoked,
		    sizeof revoked);
	return (json_finish(json_pack("{s:o, s:o, s:o, s:s, s:o}",
	    "name", json_str_or_null(u->name), "role", json_str_or_null(u->role),
	    "townships", json_str_or_null(u->townships), "created", created,
	    "revoked", u->revoked_at ? json_string(revoked) : json_null())));
}
