/*
 * tipgwd's answers to the API: /healthz (the ledger, its write check, the
 * modems, the calendar), /metrics, Open311 and /api/v1 handed to the desk.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "tipgw/calendar.h"
#include "tipgw/clock.h"
#include "tipgw/api.h"
#include "tipgw/config.h"
#include "tipgw/desk.h"
#include "tipgw/json.h"
#include "tipgw/lexicon.h"
#include "tipgw/log.h"
#include "tipgw/open311.h"
#include "tipgw/modem.h"
#include "tipgw/outbox.h"
#include "tipgw/remind.h"
#include "tipgw/store.h"
#include "tipgw/template.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"

#include "tipgwd_int.h"

#define TIPGWD_WRITE_CHECK	10	/* s between write checks */

/*
 * A ledger that answers but cannot be written (a full disk, a read-only
 * file) is an error too: checked by a write at most every
 * TIPGWD_WRITE_CHECK seconds, and at once after a failed commit. A lock
 * held elsewhere is not: it passes.
 */
static void
tipgwd_write_check(struct tipgwd *d, struct health *h)
{
	char	*cause = NULL;
	int	 busy;

	if (d->write_error[0] == '\0' && store_write_error(d->store) == NULL &&
	    h->now - d->write_checked < TIPGWD_WRITE_CHECK)
		return;
	if (store_write_check(d->store, h->now, &busy, &cause) == 0 &&
	    store_write_error(d->store) != NULL)
		cause = xstrdup(store_write_error(d->store));
	if (cause == NULL || busy)
		d->write_error[0] = '\0';
	else {
		if (d->write_error[0] == '\0')
			log_warnx("store: the ledger cannot be written: %s",
			    cause);
		snprintf(d->write_error, sizeof d->write_error, "%s", cause);
	}
	free(cause);
	d->write_checked = h->now;
	if (d->write_error[0] != '\0') {
		h->database_ok = 0;
		snprintf(h->database_error, sizeof h->database_error,
		    "cannot be written: %s", d->write_error);
	}
}

struct tipgwd_open311 {
	const struct open311_query	*q;
	struct open311_list		*list;
};

/* The metrics the ledger gives, with their help and label names. */
static const struct {
	const char	*metric, *type, *help, *label1, *label2;
} tipgwd_metric_info[] = {
	{ "tips", "gauge", "Tips by state and township.", "state",
	    "township" },
	{ "messages_received", "counter", "Messages received, by "
	    "disposition.", "disposition", NULL },
	{ "outbox", "gauge", "Outbox rows by state and channel (dead: dead "
	    "letters).", "state", "channel" },
	{ "sms_sent", "counter", "SMS sent, by modem.", "modem", NULL },
	{ "sms_parts_sent", "counter", "SMS parts sent, by modem.", "modem",
	    NULL },
};

struct tipgwd_metrics {
	struct evbuffer	*out;
	const char	*last;
};

/* A label value as Prometheus text wants it: \, " and newline escaped. */
static void
tipgwd_metric_label(struct evbuffer *out, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			evbuffer_add_printf(out, "\\%c", *v);
		else if (*v == '\n')
			evbuffer_add(out, "\\n", 2);
		else
			evbuffer_add(out, v, 1);
	}
}

static void
tipgwd_metric_cb(const char *metric, const char *l1, const char *l2,
    long long value, void *arg)
{
	struct tipgwd_metrics	*m = arg;
	size_t			 i, n = sizeof tipgwd_metric_info /
				    sizeof tipgwd_metric_info[0];

	for (i = 0; i < n; i++) {
		if (strcmp(tipgwd_metric_info[i].metric, metric) == 0)
			break;
	}
	if (i == n)
		return;
	if (m->last == NULL || strcmp(m->last, metric) != 0) {
		evbuffer_add_printf(m->out, "# HELP tipgw_%s %s\n# TYPE "
		    "tipgw_%s %s\n", metric, tipgwd_metric_info[i].help,
		    metric, tipgwd_metric_info[i].type);
		m->last = tipgwd_metric_info[i].metric;
	}
	evbuffer_add_printf(m->out, "tipgw_%s{%s=\"", metric,
	    tipgwd_metric_info[i].label1);
	tipgwd_metric_label(m->out, l1);
	if (l2 != NULL && tipgwd_metric_info[i].label2 != NULL) {
		evbuffer_add_printf(m->out, "\",%s=\"",
		    tipgwd_metric_info[i].label2);
		tipgwd_metric_label(m->out, l2);
	}
	evbuffer_add_printf(m->out, "\"} %lld\n", value);
}

/*
 * /metrics: the ledger's numbers, and from /healthz's data the ledger's
 * health, each modem's state and signal, and today's SMS parts against
 * the budget. NULL if the ledger cannot be read.
 */
char *
tipgwd_metrics(void *arg)
{
	struct tipgwd		*d = arg;
	struct tipgwd_metrics	 m = { NULL, NULL };
	struct health		 h;
	char			*cause = NULL, *text;
	size_t			 i, len;

	if ((m.out = evbuffer_new()) == NULL)
		fatalx("tipgwd: out of memory");
	memset(&h, 0, sizeof h);
	tipgwd_health(&h, d);
	evbuffer_add_printf(m.out, "# HELP tipgw_ledger_up 1 if the ledger "
	    "answers and can be written.\n# TYPE tipgw_ledger_up gauge\n"
	    "tipgw_ledger_up %d\n", h.database_ok);
	evbuffer_add_printf(m.out, "# HELP tipgw_modem_ready 1 if the modem "
	    "is ready.\n# TYPE tipgw_modem_ready gauge\n");
	for (i = 0; i < h.nmodems; i++) {
		evbuffer_add_printf(m.out, "tipgw_modem_ready{modem=\"");
		tipgwd_metric_label(m.out, h.modems[i].name);
		evbuffer_add_printf(m.out, "\",state=\"%s\"} %d\n",
		    modem_state_name(h.modems[i].state),
		    h.modems[i].state == MODEM_READY);
	}
	evbuffer_add_printf(m.out, "# HELP tipgw_modem_signal_percent Signal "
	    "strength, when known.\n# TYPE tipgw_modem_signal_percent "
	    "gauge\n");
	for (i = 0; i < h.nmodems; i++) {
		if (h.modems[i].signal_percent < 0)
			continue;
		evbuffer_add_printf(m.out, "tipgw_modem_signal_percent{modem="
		    "\"");
		tipgwd_metric_label(m.out, h.modems[i].name);
		evbuffer_add_printf(m.out, "\"} %d\n",
		    h.modems[i].signal_percent);
	}
	evbuffer_add_printf(m.out, "# HELP tipgw_modem_resets_total Soft "
	    "resets and reset commands.\n# TYPE tipgw_modem_resets_total "
	    "counter\n");
	for (i = 0; i < h.nmodems; i++) {
		evbuffer_add_printf(m.out, "tipgw_modem_resets_total{modem=\"");
		tipgwd_metric_label(m.out, h.modems[i].name);
		evbuffer_add_printf(m.out, "\"} %u\n", h.modems[i].resets);
	}
	free(h.modems);
	evbuffer_add_printf(m.out, "# HELP tipgw_intake_commits_total Group "
	    "commits of the messages a modem read together.\n# TYPE "
	    "tipgw_intake_commits_total counter\ntipgw_intake_commits_total "
	    "%lu\n# HELP tipgw_intake_batched_total Messages committed in "
	    "them.\n# TYPE tipgw_intake_batched_total counter\n"
	    "tipgw_intake_batched_total %lu\n", d->intake_commits,
	    d->intake_batched);
	evbuffer_add_printf(m.out, "# HELP tipgw_sms_parts_today SMS parts "
	    "sent today (China time).\n# TYPE tipgw_sms_parts_today gauge\n"
	    "tipgw_sms_parts_today %lld\n# HELP tipgw_sms_daily_budget "
	    "sms_daily_budget (0: none).\n# TYPE tipgw_sms_daily_budget "
	    "gauge\ntipgw_sms_daily_budget %u\n", h.sms_parts_today,
	    h.sms_budget);
	if (store_metrics(d->store, tipgwd_metric_cb, &m, &cause) != 0) {
		log_warnx("store: %s", cause);
		free(cause);
		evbuffer_free(m.out);
		return (NULL);
	}
	len = evbuffer_get_length(m.out);
	text = xmalloc(len + 1);
	evbuffer_remove(m.out, text, len);
	text[len] = '\0';
	evbuffer_free(m.out);
	return (text);
}

char *
tipgwd_open311_services(void *arg)
{
	return (open311_services());
}

static int
tipgwd_open311_cb(const struct tip *t, void *arg)
{
	struct tipgwd_open311	*o = arg;

	return (open311_list_add(o->list, t, o->q->status,
	    o->q->service_code));
}

/*
 * Open311 requests.json: the tips received in the window asked for (by
 * default the last OPEN311_DEFAULT_DAYS days), at most
 * OPEN311_MAX_REQUESTS. 200, 400 with why, or 503.
 */
int
tipgwd_open311_requests(const struct open311_query *q, char **body,
    void *arg)
{
	struct tipgwd		*d = arg;
	struct tipgwd_open311	 o = { q, NULL };
	struct tip_filter	 f;
	char			*cause = NULL;
	int			 i;

	memset(&f, 0, sizeof f);
	f.until = clock_now() + 1;
	if (q->status != NULL && strcmp(q->status, "open") != 0 &&
	    strcmp(q->status, "closed") != 0) {
		*body = xstrdup("status: expected open or closed");
		return (400);
	}
	for (i = 0; q->service_code != NULL && lex_kinds[i] != NULL; i++)
		if (strcmp(lex_kinds[i], q->service_code) == 0)
			break;
	if (q->service_code != NULL && lex_kinds[i] == NULL) {
		*body = xstrdup("service_code: not one of services.json");
		return (400);
	}
	if (q->end_date != NULL && clock_parse_query(q->end_date, 1,
	    &f.until) != 0) {
		*body = xstrdup("end_date: expected YYYY-MM-DD or "
		    "YYYY-MM-DDTHH:MM:SS with Z or an offset");
		return (400);
	}
	f.since = f.until - OPEN311_DEFAULT_DAYS * 86400;
	if (q->start_date != NULL && clock_parse_query(q->start_date, 0,
	    &f.since) != 0) {
		*body = xstrdup("start_date: expected YYYY-MM-DD or "
		    "YYYY-MM-DDTHH:MM:SS with Z or an offset");
		return (400);
	}
	o.list = open311_list_new();
	if (store_tip_foreach(d->store, &f, tipgwd_open311_cb, &o,
	    &cause) != 0) {
		log_warnx("open311: %s", cause);
		free(cause);
		free(open311_list_finish(o.list));
		*body = xstrdup("the ledger cannot be read");
		return (503);
	}
	*body = open311_list_finish(o.list);
	return (200);
}

/* /api/v1: the coordinator's desk. */
int
tipgwd_v1(const struct api_request *req, char **body, void *arg)
{
	struct tipgwd	*d = arg;
	int		 status;

	if (d->desk == NULL) {
		*body = json_error("starting; try again in a moment");
		return (503);
	}
	status = desk_handle(d->desk, req, body);
	/* A change (a hotline tip, a route) may have queued messages. */
	if (strcmp(req->method, "GET") != 0 && status < 300)
		outbox_kick(d->outbox);
	return (status);
}

/* /healthz data: the ledger answers, and what each modem is doing. */
void
tipgwd_health(struct health *h, void *arg)
{
	struct tipgwd	*d = arg;
	char		*cause = NULL;
	size_t		 i;

	h->version = PACKAGE_VERSION;
	h->started = d->started;
	h->now = clock_now();
	h->database_ok = store_ping(d->store, &cause) == 0;
	if (!h->database_ok) {
		snprintf(h->database_error, sizeof h->database_error, "%s",
		    cause);
		log_warnx("store: ping failed: %s", cause);
		free(cause);
	} else
		tipgwd_write_check(d, h);
	h->schema_version = store_schema_version(d->store);
	h->nmodems = d->nmodems;
	if (d->nmodems > 0)
		h->modems = xcalloc(d->nmodems, sizeof *h->modems);
	for (i = 0; i < d->nmodems; i++)
		modem_status(d->modems[i], &h->modems[i]);
	h->sms_budget = d->conf->sms_daily_budget;
	h->calendar_until = d->remind != NULL ?
	    remind_covered_until(d->remind) : -1;
	h->calendar_today = clock_china_day(h->now);
	if (h->database_ok && (store_outbox_counts(d->store, h->outbox,
	    &cause) != 0 || store_sms_parts_since(d->store,
	    clock_china_midnight(clock_now()) - 86400, &h->sms_parts_today,
	    &cause) != 0)) {
		log_warnx("store: %s", cause);
		free(cause);
	}
}
