/*
 * The desk's tips: the queue (GET /tips), one tip with its messages and
 * history (GET /tips/CODE), a hotline tip (POST /tips) and the changes
 * (POST /tips/CODE/ACTION), each one transition of the tip's lifecycle
 * through the ledger, with the token's user as its actor.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "tipgw/clock.h"
#include "tipgw/deadline.h"
#include "tipgw/ingest.h"
#include "tipgw/json.h"
#include "tipgw/log.h"
#include "tipgw/pin.h"
#include "tipgw/store.h"
#include "tipgw/tip_state.h"
#include "tipgw/tipgw.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "desk_int.h"

/* A tip of the page, with its deadline when it has one running. */
static void
desk_deadline(struct desk *d, const struct tip *t, json_t *o)
{
	struct store_open_tip	 ot;
	struct deadline_tip	 dt;
	struct deadline		 dl;
	enum tip_state		 state;
	char			 buf[16];
	int			 y, m, dd;
	long			 due;

	if (d->cal == NULL || t->clock_from == 0 ||
	    tip_state_parse(t->state, &state) != 0 ||
	    (tip_state_owner(state) != TIP_OWNER_OFFICE &&
	    tip_state_owner(state) != TIP_OWNER_COORDINATOR))
		return;
	memset(&ot, 0, sizeof ot);
	ot.state = t->state;
	ot.clock_from = t->clock_from;
	ot.extended = t->extended_by != NULL;
	ot.paused_days = t->paused_days;
	ot.paused_from = t->paused_from;
	ot.filed_at = t->filed_at;
	deadline_tip_of(&ot, &dt);
	deadline_compute(d->cal, (int)d->ack_days, (int)d->verify_days, &dt,
	    clock_china_day(clock_now()), &dl);
	due = dl.coordinator || (state == TIP_ROUTED && !dl.ack_overdue) ?
	    dl.ack_due : dl.verify_due;
	if (dl.ack_overdue && state == TIP_ROUTED)
		due = dl.ack_due;
	workday_ymd(due, &y, &m, &dd);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
	json_object_set_new(o, "due", json_string(buf));
	json_object_set_new(o, "overdue", json_boolean(
	    dl.stage == DEADLINE_OVERDUE || (state == TIP_ROUTED &&
	    dl.ack_overdue)));
	json_object_set_new(o, "owner", json_string(tip_owner_name(
	    tip_state_owner(state))));
}

struct desk_page {
	struct desk	*desk;
	json_t		*tips;
	long long	 last;
};

static int
desk_page_cb(const struct tip *t, void *arg)
{
	struct desk_page	*p = arg;
	json_t			*o = json_tip_value(t);

	desk_deadline(p->desk, t, o);
	json_array_append_new(p->tips, o);
	p->last = t->id;
	return (0);
}

/* GET /tips: the queue, newest first, a page at a time. */
void
desk_tips_list(struct desk_call *c)
{
	const struct api_request	*r = c->req;
	struct tip_query		 q;
	struct desk_page		 page;
	enum tip_state			 state;
	char				*cause = NULL, next[32], *end;
	const char			*k, *v;
	size_t				 i;
	int				 more;
	json_t				*o;

	memset(&q, 0, sizeof q);
	q.limit = DESK_LIMIT_DEFAULT;
	for (i = 0; i < r->nparams; i++) {
		k = r->params[i].key;
		v = r->params[i].value;
		if (strlen(v) > 256 || !desk_text_ok(v)) {
			desk_fail(c, 400, "parameter %.64s: too long, or with "
			    "control characters", k);
			return;
		}
		if (strcmp(k, "state") == 0) {
			if (tip_state_parse(v, &state) != 0) {
				desk_fail(c, 400, "parameter state: no state "
				    "%.64s", v);
				return;
			}
			q.state = v;
		} else if (strcmp(k, "township") == 0) {
			if (!desk_township_code(v)) {
				desk_fail(c, 400, "parameter township: "
				    "expected a 9-digit township code");
				return;
			}
			q.township = v;
		} else if (strcmp(k, "kind") == 0 || strcmp(k, "product") == 0) {
			if (*v == '\0' || desk_chars(v) > DESK_WORD_MAX) {
				desk_fail(c, 400, "parameter %s: empty or "
				    "longer than %d characters", k,
				    DESK_WORD_MAX);
				return;
			}
			if (*k == 'k')
				q.kind = v;
			else
				q.product = v;
		} else if (strcmp(k, "q") == 0) {
			if (*v == '\0' || desk_chars(v) > DESK_WORD_MAX) {
				desk_fail(c, 400, "parameter q: empty or "
				    "longer than %d characters", DESK_WORD_MAX);
				return;
			}
			q.text = v;
		} else if (strcmp(k, "since") == 0 || strcmp(k, "until") == 0) {
			time_t	 t;

			if (clock_parse_query(v, *k == 'u', &t) != 0) {
				desk_fail(c, 400, "parameter %s: expected "
				    "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with Z "
				    "or an offset", k);
				return;
			}
			if (*k == 's')
				q.since = t;
			else
				q.until = t;
		} else if (strcmp(k, "limit") == 0) {
			long	 n = strtol(v, &end, 10);

			if (*v == '\0' || *end != '\0' || n < 1 ||
			    n > DESK_LIMIT_MAX) {
				desk_fail(c, 400, "parameter limit: expected "
				    "1 to %d", DESK_LIMIT_MAX);
				return;
			}
			q.limit = (int)n;
		} else if (strcmp(k, "cursor") == 0) {
			long long	 n = strtoll(v, &end, 10);

			if (*v == '\0' || *end != '\0' || n < 1) {
				desk_fail(c, 400, "parameter cursor: not a "
				    "cursor this API gave");
				return;
			}
			q.before = n;
		} else {
			desk_fail(c, 400, "unknown parameter: %.64s", k);
			return;
		}
	}
	memset(&page, 0, sizeof page);
	page.desk = c->desk;
	page.tips = json_array();
	if (store_tip_query(c->desk->store, &q, &c->user.scope, desk_page_cb,
	    &page, &more, &cause) != 0) {
		json_decref(page.tips);
		desk_ledger_error(c, cause);
		return;
	}
	o = json_object();
	json_object_set_new(o, "tips", page.tips);
	if (more) {
		snprintf(next, sizeof next, "%lld", page.last);
		json_object_set_new(o, "next", json_string(next));
	} else
		json_object_set_new(o, "next", json_null());
	desk_answer(c, 200, desk_dump(o));
}

struct desk_one {
	struct tip	 tip;
	int		 found;
};

static int
desk_one_cb(const struct tip *t, void *arg)
{
	struct desk_one	*one = arg;

	one->found = 1;
	one->tip = *t;
	/* Keep its strings: the caller frees them with tip_clear. */
	memset((struct tip *)t, 0, sizeof *t);
	return (1);
}

/* The tip with this code in the user's scope; 0, or the call answered. */
static int
desk_find(struct desk_call *c, const char *code, struct tip *t)
{
	struct tip_query	 q;
	struct desk_one		 one;
	char			*cause = NULL;
	int			 more;

	memset(&q, 0, sizeof q);
	q.code = code;
	q.limit = 1;
	memset(&one, 0, sizeof one);
	if (store_tip_query(c->desk->store, &q, &c->user.scope, desk_one_cb,
	    &one, &more, &cause) != 0) {
		desk_ledger_error(c, cause);
		return (-1);
	}
	if (!one.found) {
		desk_fail(c, 404, "no tip %.16s", code);
		return (-1);
	}
	*t = one.tip;
	return (0);
}

static int
desk_message_cb(const struct store_message *m, void *arg)
{
	json_doc_message(arg, m);
	return (0);
}

static int
desk_event_cb(const struct store_event *e, void *arg)
{
	json_doc_event(arg, e);
	return (0);
}

/* The tip with its messages and history, as tipgwctl tip show --json. */
static void
desk_tip_show(struct desk_call *c, const struct tip *t, int status)
{
	struct json_doc	*doc = json_tip_doc(t);
	char		*cause = NULL;

	if (store_tip_messages(c->desk->store, t->id, desk_message_cb, doc,
	    &cause) != 0 || store_tip_history(c->desk->store, t->id,
	    desk_event_cb, doc, &cause) != 0) {
		free(json_doc_finish(doc));
		desk_ledger_error(c, cause);
		return;
	}
	desk_answer(c, status, json_doc_finish(doc));
}

/* After a change: the tip as it is now, or why the change was refused. */
static void
desk_changed(struct desk_call *c, const char *code, int rc, char *cause)
{
	struct tip	 t;

	if (rc < 0) {
		desk_ledger_error(c, cause);
		return;
	}
	if (rc > 0) {
		desk_fail(c, 409, "%s", cause);
		free(cause);
		return;
	}
	if (desk_find(c, code, &t) != 0)
		return;
	desk_tip_show(c, &t, 200);
	tip_clear(&t);
}

static void
desk_move(struct desk_call *c, const char *code, struct store_tip_change *ch)
{
	char	*cause = NULL;
	int	 rc;

	ch->code = code;
	ch->actor = c->user.actor;
	ch->at = clock_now();
	rc = store_tip_change(c->desk->store, ch, &cause);
	desk_changed(c, code, rc, cause);
}

static void
desk_tip_route(struct desk_call *c, const char *code)
{
	static const struct desk_field f[] = {
		{ "township", DESK_TEXT, 1, 9 },
		{ "reason", DESK_TEXT_NULL, 0, DESK_NOTE_MAX },
	};
	struct store_tip_change	 ch;
	char			*cause = NULL;
	const char		*township;
	int			 rc;

	if (desk_body(c, f, 2) != 0)
		return;
	township = desk_str(c, "township");
	if (!desk_township_code(township)) {
		desk_fail(c, 400, "field township: expected a 9-digit "
		    "township code");
		return;
	}
	memset(&ch, 0, sizeof ch);
	ch.code = code;
	ch.detail = desk_str(c, "reason");
	ch.actor = c->user.actor;
	ch.at = clock_now();
	rc = store_tip_route(c->desk->store, &ch, township, &cause);
	desk_changed(c, code, rc, cause);
}

/* One event with one required text field (note, close, pause ...). */
static void
desk_tip_text(struct desk_call *c, const char *code, enum tip_event event,
    const char *field)
{
	const struct desk_field	 f[] = {
		{ field, DESK_TEXT, 1, DESK_NOTE_MAX },
	};
	struct store_tip_change	 ch;

	if (desk_body(c, f, 1) != 0)
		return;
	memset(&ch, 0, sizeof ch);
	ch.event = event;
	ch.detail = desk_str(c, field);
	desk_move(c, code, &ch);
}

/* assign: the office takes the tip (收到), optionally naming who. */
static void
desk_tip_assign(struct desk_call *c, const char *code)
{
	static const struct desk_field f[] = {
		{ "to", DESK_TEXT_NULL, 0, DESK_WORD_MAX },
	};
	struct store_tip_change	 ch;
	char			*detail = NULL;

	if (desk_body(c, f, 1) != 0)
		return;
	memset(&ch, 0, sizeof ch);
	ch.event = TIP_EV_OFFICE_ACK;
	if (desk_str(c, "to") != NULL) {
		xasprintf(&detail, "assigned to %s", desk_str(c, "to"));
		ch.detail = detail;
	}
	desk_move(c, code, &ch);
	free(detail);
}

static void
desk_tip_extend(struct desk_call *c, const char *code)
{
	static const struct desk_field f[] = {
		{ "approver", DESK_TEXT, 1, DESK_WORD_MAX },
		{ "reason", DESK_TEXT, 1, DESK_NOTE_MAX },
	};
	struct store_tip_change	 ch;
	char			*detail;

	if (desk_body(c, f, 2) != 0)
		return;
	memset(&ch, 0, sizeof ch);
	ch.event = TIP_EV_EXTEND;
	ch.approver = desk_str(c, "approver");
	xasprintf(&detail, "approver=%s reason=%s", ch.approver,
	    desk_str(c, "reason"));
	ch.detail = detail;
	desk_move(c, code, &ch);
	free(detail);
}

static void
desk_tip_pause(struct desk_call *c, const char *code)
{
	static const struct desk_field f[] = {
		{ "reason", DESK_TEXT, 1, DESK_NOTE_MAX },
	};
	struct store_tip_change	 ch;
	char			 day[16], *detail;
	int			 y, m, d;

	if (desk_body(c, f, 1) != 0)
		return;
	workday_ymd(clock_china_day(clock_now()), &y, &m, &d);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
	memset(&ch, 0, sizeof ch);
	ch.event = TIP_EV_PAUSE;
	ch.pause_day = day;
	xasprintf(&detail, "from=%s reason=%s", day, desk_str(c, "reason"));
	ch.detail = detail;
	desk_move(c, code, &ch);
	free(detail);
}

/* resume: the pause's working days no longer count. */
static void
desk_tip_resume(struct desk_call *c, const char *code, const struct tip *t)
{
	struct store_tip_change	 ch;
	char			 detail[32];
	int			 y, m, d, days;

	if (desk_body(c, NULL, 0) != 0)
		return;
	if (t->paused_from == NULL || sscanf(t->paused_from, "%d-%d-%d", &y,
	    &m, &d) != 3) {
		desk_fail(c, 409, "tip %s has no paused clock", code);
		return;
	}
	if (c->desk->cal == NULL) {
		desk_fail(c, 503, "the holiday calendar is not loaded");
		return;
	}
	days = deadline_paused_days(c->desk->cal, workday_day(y, m, d),
	    clock_china_day(clock_now()));
	memset(&ch, 0, sizeof ch);
	ch.event = TIP_EV_RESUME;
	ch.paused_days = days;
	snprintf(detail, sizeof detail, "paused_days=%d", days);
	ch.detail = detail;
	desk_move(c, code, &ch);
}

/* reveal: the reporter's number, for a reason, audited. */
static void
desk_tip_reveal(struct desk_call *c, const char *code)
{
	static const struct desk_field f[] = {
		{ "reason", DESK_TEXT, 1, DESK_NOTE_MAX },
	};
	char	*cause = NULL, *phone = NULL;
	json_t	*o;
	int	 rc;

	if (desk_body(c, f, 1) != 0)
		return;
	rc = store_tip_reveal(c->desk->store, code, desk_str(c, "reason"),
	    clock_now(), c->user.actor, &phone, &cause);
	if (rc != 0) {
		desk_changed(c, code, rc, cause);
		return;
	}
	log_info("api: tip=%s reporter revealed to user=%s (audited)", code,
	    c->user.u.name);
	o = json_pack("{s:s, s:o}", "code", code, "phone",
	    phone != NULL ? json_string(phone) : json_null());
	free(phone);
	desk_answer(c, 200, desk_dump(o));
}

/*
 * A caller's number as an operator types it: a mainland mobile (kept as
 * +86 and its 11 digits, as the network gives an SMS sender, so the
 * caller is the same reporter on both channels) or a landline with its
 * area code (0 and 9 to 11 digits). 0 if it is neither.
 */
static int
desk_phone(const char *in, char *out, size_t size)
{
	char	 national[32];
	size_t	 n;

	if (!tipgw_phone_valid(in))
		return (0);
	tipgw_phone_national(in, national, sizeof national);
	n = strlen(national);
	if (n == 11 && national[0] == '1' && national[1] >= '3') {
		snprintf(out, size, "+86%s", national);
		return (1);
	}
	if (n >= 10 && n <= 12 && national[0] == '0' && national[1] != '0') {
		snprintf(out, size, "%s", national);
		return (1);
	}
	return (0);
}

/* POST /tips: a tip taken on the hotline. */
void
desk_tips_create(struct desk_call *c)
{
	static const struct desk_field f[] = {
		{ "text", DESK_TEXT, 1, DESK_TEXT_MAX },
		{ "phone", DESK_TEXT_NULL, 0, 32 },
		{ "ack", DESK_BOOL, 0, 0 },
		{ "township", DESK_TEXT_NULL, 0, 9 },
	};
	struct ingest_hotline	 h;
	struct tip		 t;
	char			 code[PIN_CODE_SIZE], pin[PIN_SIZE], *cause;
	char			*body, phone[40];
	json_t			*o;
	int			 rc;

	if (desk_may(c, DESK_STAFF | DESK_HOTLINE, "enter hotline tips") != 0 ||
	    desk_body(c, f, 4) != 0)
		return;
	memset(&h, 0, sizeof h);
	h.text = desk_str(c, "text");
	h.phone = desk_str(c, "phone");
	h.township = desk_str(c, "township");
	h.ack = json_is_true(json_object_get(c->json, "ack"));
	h.user = c->user.u.name;
	if (h.phone != NULL) {
		if (!desk_phone(h.phone, phone, sizeof phone)) {
			desk_fail(c, 400, "field phone: expected a mobile "
			    "number (11 digits, +86 allowed) or a landline "
			    "with its area code");
			return;
		}
		h.phone = phone;
	}
	if (h.township != NULL && !desk_township_code(h.township)) {
		desk_fail(c, 400, "field township: expected a 9-digit "
		    "township code");
		return;
	}
	if (h.ack && (h.phone == NULL || strncmp(h.phone, "+86", 3) != 0)) {
		desk_fail(c, 400, "field ack: an acknowledgement by SMS needs "
		    "the caller's mobile number");
		return;
	}
	cause = NULL;
	rc = ingest_hotline(c->desk->ingest, &h, clock_now(), code, pin,
	    &cause);
	if (rc > 0) {
		desk_fail(c, 400, "field township: %s", cause);
		free(cause);
		return;
	}
	if (rc < 0) {
		desk_ledger_error(c, cause);
		return;
	}
	if (desk_find(c, code, &t) != 0)
		return;
	desk_tip_show(c, &t, 201);
	tip_clear(&t);
	/* The PIN, once: the operator reads it to the caller. */
	if (c->status == 201 && (o = json_loads(c->body, 0, NULL)) != NULL) {
		json_object_set_new(o, "pin", json_string(pin));
		body = desk_dump(o);
		desk_answer(c, 201, body);
	}
	explicit_bzero(pin, sizeof pin);
}

/* /tips/CODE[/ACTION] */
void
desk_tip(struct desk_call *c, const char *code, const char *action)
{
	static const struct {
		const char	*action;
		unsigned int	 roles;
		const char	*what;
	} acts[] = {
		{ "route", DESK_STAFF, "route tips" },
		{ "note", DESK_ALL, "add notes" },
		{ "close", DESK_STAFF | DESK_OFFICE, "close tips" },
		{ "assign", DESK_STAFF | DESK_OFFICE, "take tips" },
		{ "extend", DESK_STAFF | DESK_OFFICE, "extend deadlines" },
		{ "pause", DESK_STAFF | DESK_OFFICE, "pause deadlines" },
		{ "resume", DESK_STAFF | DESK_OFFICE, "resume deadlines" },
		{ "reveal", DESK_STAFF, "see a reporter's number" },
	};
	struct tip	 t;
	size_t		 i;

	if (action == NULL) {
		if (desk_method(c, "GET") != 0 || desk_find(c, code, &t) != 0)
			return;
		desk_tip_show(c, &t, 200);
		tip_clear(&t);
		return;
	}
	for (i = 0; i < sizeof acts / sizeof acts[0]; i++)
		if (strcmp(acts[i].action, action) == 0)
			break;
	if (i == sizeof acts / sizeof acts[0]) {
		desk_fail(c, 404, "no such action: %.32s", action);
		return;
	}
	if (desk_method(c, "POST") != 0 ||
	    desk_may(c, acts[i].roles, acts[i].what) != 0 ||
	    desk_find(c, code, &t) != 0)
		return;
	if (strcmp(action, "route") == 0)
		desk_tip_route(c, code);
	else if (strcmp(action, "note") == 0)
		desk_tip_text(c, code, TIP_EV_NOTE, "text");
	else if (strcmp(action, "close") == 0)
		desk_tip_text(c, code, c->user.role == DESK_OFFICE ?
		    TIP_EV_OFFICE_DONE : TIP_EV_CLOSE, "result");
	else if (strcmp(action, "assign") == 0)
		desk_tip_assign(c, code);
	else if (strcmp(action, "extend") == 0)
		desk_tip_extend(c, code);
	else if (strcmp(action, "pause") == 0)
		desk_tip_pause(c, code);
	else if (strcmp(action, "resume") == 0)
		desk_tip_resume(c, code, &t);
	else
		desk_tip_reveal(c, code);
	tip_clear(&t);
}
