/*
 * The outbox: every two seconds, take the messages that are due (marked
 * "sending" as they are taken) and hand each to its channel: an SMS to a
 * ready modem, a webhook or an e-mail to notify.c. The result is
 * recorded: sent, or failed with a retry time that doubles per attempt
 * (with jitter, up to a cap), or dead after max_attempts, which is an
 * event for the coordinator. A failing destination only pushes its own
 * rows back; the others are taken in their turn.
 *
 * Two holds apply to SMS to reporters that are not a direct answer (a
 * retry, a notice queued later): quiet hours, and the daily SMS budget.
 * Office alerts, reminders and escalations are never held. An SMS to a
 * reporter queued before the number opted out is not sent at all (the
 * answer to the opt-out itself is queued with it, and goes).
 */
#include "config.h"

#include <sys/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "tipgw/clock.h"
#include "tipgw/log.h"
#include "tipgw/modem.h"
#include "tipgw/notify.h"
#include "tipgw/outbox.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"

#define OUTBOX_TICK_SECONDS	2
#define OUTBOX_MAX_INFLIGHT	4	/* SMS, all modems */
#define OUTBOX_NOTIFY_INFLIGHT	8	/* webhooks and e-mail */
#define OUTBOX_ANSWER_WINDOW	600	/* a reply this fresh is an answer */

struct outbox {
	struct store		 *store;
	struct modem		**modems;
	size_t			  nmodems;
	size_t			  next;		/* round robin */
	struct notify		 *notify;
	struct event		 *timer;
	struct outbox_options	  opts;
	int			  inflight;
	int			  notify_inflight;
	long			  budget_day;	/* alarms raised on this day */
	int			  budget_alarm;	/* 1: near, 2: reached */
};

struct outbox_send {
	struct outbox	*ob;
	long long	 id;
	int		 attempts;
	char		*channel;
	char		*modem;
	char		*recipient;
};

static void
outbox_event(struct outbox *ob, const char *action, long long tip,
    const char *detail)
{
	char	*cause = NULL;

	if (store_event_add(ob->store, clock_now(), "tipgwd", action, tip,
	    detail, &cause) != 0) {
		log_warnx("outbox: event %s not recorded: %s", action, cause);
		free(cause);
	}
}

/*
 * The daily budget: an alarm at 80 % and at 100 % (once a day each);
 * past it, returns the time reporter SMS wait until, else 0.
 */
static time_t
outbox_budget(struct outbox *ob, time_t now)
{
	long long	 parts = 0;
	long		 day = clock_china_day(now);
	time_t		 midnight = clock_china_midnight(now);
	char		*cause = NULL, detail[96];
	int		 level;

	if (ob->opts.daily_budget == 0)
		return (0);
	if (store_sms_parts_since(ob->store, midnight - 86400, &parts,
	    &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
		return (0);
	}
	if (day != ob->budget_day) {
		ob->budget_day = day;
		ob->budget_alarm = 0;
	}
	level = parts >= ob->opts.daily_budget ? 2 :
	    parts * 5 >= (long long)ob->opts.daily_budget * 4 ? 1 : 0;
	if (level > ob->budget_alarm) {
		ob->budget_alarm = level;
		snprintf(detail, sizeof detail, "parts=%lld budget=%u", parts,
		    ob->opts.daily_budget);
		log_warnx("outbox: %s of today's SMS budget used (%s)%s",
		    level == 2 ? "all" : "80%", detail, level == 2 ?
		    "; SMS to reporters wait until tomorrow, office alerts "
		    "still go" : "");
		outbox_event(ob, level == 2 ? "sms.budget_reached" :
		    "sms.budget_near", 0, detail);
	}
	return (level == 2 ? midnight : 0);
}

/* Hold an SMS to a reporter that is not a fresh answer; 1 if held. */
static int
outbox_hold(struct outbox *ob, const struct store_outbox_item *row,
    time_t now, time_t budget_until)
{
	time_t		 until;
	const char	*why;
	char		*cause = NULL;
	int		 cancelled = 0;

	if (outbox_urgent(row->dedup_key))
		return (0);
	/* Opted out since it was queued (held in quiet hours, say). */
	if (store_outbox_optout(ob->store, row->id, &cancelled, &cause) != 0) {
		log_warnx("outbox=%lld: %s", row->id, cause);
		free(cause);
		return (0);
	}
	if (cancelled) {
		log_info("outbox=%lld channel=sms state=sending->dead: the "
		    "number opted out", row->id);
		return (1);
	}
	if (budget_until != 0) {
		until = budget_until;
		why = "daily SMS budget reached; held until tomorrow";
	} else if (now - row->created_at > OUTBOX_ANSWER_WINDOW &&
	    (until = outbox_quiet_until(&ob->opts, now)) != 0)
		why = "quiet hours; held until they end";
	else
		return (0);
	if (store_outbox_postpone(ob->store, row->id, until, why,
	    &cause) != 0) {
		log_warnx("outbox=%lld: %s", row->id, cause);
		free(cause);
		return (0);
	}
	log_info("outbox=%lld channel=sms state=sending->queued held: %s",
	    row->id, why);
	return (1);
}

static struct modem *
outbox_ready_modem(struct outbox *ob)
{
	struct modem_status	 st;
	size_t			 i, k;

	for (i = 0; i < ob->nmodems; i++) {
		k = (ob->next + i) % ob->nmodems;
		modem_status(ob->modems[k], &st);
		if (st.state == MODEM_READY) {
			ob->next = k + 1;
			return (ob->modems[k]);
		}
	}
	return (NULL);
}

/* A send finished: take the next due rows now, not at the next tick. */
static void
outbox_kick(struct outbox *ob)
{
	if (ob->timer != NULL)
		event_active(ob->timer, EV_TIMEOUT, 0);
}

static void
outbox_send_free(struct outbox_send *send)
{
	free(send->channel);
	free(send->modem);
	free(send->recipient);
	free(send);
}

static void
outbox_failed(struct outbox_send *send, const char *error)
{
	struct outbox	*ob = send->ob;
	char		*cause = NULL;
	unsigned int	 rnd = 0;
	time_t		 delay, now = clock_now();
	int		 dead = send->attempts >= (int)ob->opts.max_attempts;

	if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != sizeof rnd)
		rnd = (unsigned int)now;
	delay = outbox_retry_delay(&ob->opts, send->attempts, rnd);
	if (store_outbox_failed(ob->store, send->id, error, dead, now + delay,
	    now, &cause) != 0) {
		log_warnx("outbox=%lld failure not recorded: %s", send->id,
		    cause);
		free(cause);
		return;
	}
	if (dead)
		log_warnx("outbox=%lld channel=%s attempt=%d "
		    "state=sending->dead error=\"%s\"; a dead letter for the "
		    "coordinator (tipgwctl outbox --state dead)", send->id,
		    send->channel, send->attempts, error);
	else
		log_warnx("outbox=%lld channel=%s attempt=%d "
		    "state=sending->failed error=\"%s\"; retry in %llds",
		    send->id, send->channel, send->attempts, error,
		    (long long)delay);
}

static void
outbox_sms_done_cb(const struct modem_send_result *r, void *arg)
{
	struct outbox_send	*send = arg;
	struct outbox		*ob = send->ob;
	char			*cause = NULL;

	ob->inflight--;
	if (!r->ok)
		outbox_failed(send, r->error);
	else if (store_outbox_sent(ob->store, send->id, send->modem,
	    send->recipient, r->reference, r->parts, ob->opts.reports,
	    clock_now(), &cause) != 0) {
		log_warnx("outbox=%lld sent, but not recorded: %s", send->id,
		    cause);
		free(cause);
	} else
		log_info("outbox=%lld channel=sms modem=%s parts=%d "
		    "reference=%d state=sending->sent", send->id, send->modem,
		    r->parts, r->reference);
	outbox_send_free(send);
	outbox_kick(ob);
}

static void
outbox_notify_done_cb(const struct notify_result *r, void *arg)
{
	struct outbox_send	*send = arg;
	struct outbox		*ob = send->ob;
	char			*cause = NULL;

	ob->notify_inflight--;
	if (r->stopped)
		log_info("outbox=%lld channel=%s: stopped in flight; sent again "
		    "at the next start", send->id, send->channel);
	else if (!r->ok)
		outbox_failed(send, r->error);
	else if (store_outbox_delivered(ob->store, send->id, clock_now(),
	    &cause) != 0) {
		log_warnx("outbox=%lld delivered, but not recorded: %s",
		    send->id, cause);
		free(cause);
	} else
		log_info("outbox=%lld channel=%s status=%ld "
		    "state=sending->sent", send->id, send->channel, r->status);
	outbox_send_free(send);
	if (!r->stopped)
		outbox_kick(ob);
}

static struct outbox_send *
outbox_send_new(struct outbox *ob, const struct store_outbox_item *row,
    const char *channel)
{
	struct outbox_send	*send = xcalloc(1, sizeof *send);

	send->ob = ob;
	send->id = row->id;
	send->attempts = row->attempts + 1;
	send->channel = xstrdup(channel);
	send->recipient = xstrdup(row->destination);
	return (send);
}

static void
outbox_take_sms(struct outbox *ob, time_t now)
{
	struct store_outbox_item	*rows;
	struct outbox_send		*send;
	struct modem			*m;
	char				*cause = NULL;
	time_t				 budget_until;
	int				 i, n;

	if (ob->inflight >= OUTBOX_MAX_INFLIGHT || ob->nmodems == 0 ||
	    (m = outbox_ready_modem(ob)) == NULL)
		return;
	if (store_outbox_due(ob->store, "sms", now,
	    OUTBOX_MAX_INFLIGHT - ob->inflight, &rows, &n, &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
		return;
	}
	budget_until = n > 0 ? outbox_budget(ob, now) : 0;
	for (i = 0; i < n; i++) {
		if (outbox_hold(ob, &rows[i], now, budget_until))
			continue;
		if (i > 0 && (m = outbox_ready_modem(ob)) == NULL)
			m = ob->modems[0];
		send = outbox_send_new(ob, &rows[i], "sms");
		send->modem = xstrdup(modem_name(m));
		ob->inflight++;
		modem_send(m, rows[i].destination, rows[i].body,
		    outbox_sms_done_cb, send);
	}
	store_outbox_items_free(rows, n);
}

static void
outbox_take_notify(struct outbox *ob, const char *channel, time_t now)
{
	struct store_outbox_item	*rows;
	struct outbox_send		*send;
	char				*cause = NULL;
	int				 i, n;

	if (ob->notify == NULL ||
	    ob->notify_inflight >= OUTBOX_NOTIFY_INFLIGHT)
		return;
	if (store_outbox_due(ob->store, channel, now,
	    OUTBOX_NOTIFY_INFLIGHT - ob->notify_inflight, &rows, &n,
	    &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		send = outbox_send_new(ob, &rows[i], channel);
		ob->notify_inflight++;
		if (strcmp(channel, "webhook") == 0)
			notify_webhook(ob->notify, rows[i].destination,
			    rows[i].body, rows[i].dedup_key,
			    outbox_notify_done_cb, send);
		else
			notify_email(ob->notify, rows[i].destination,
			    rows[i].body, rows[i].dedup_key,
			    outbox_notify_done_cb, send);
	}
	store_outbox_items_free(rows, n);
}

static void
outbox_tick_cb(evutil_socket_t fd, short events, void *arg)
{
	struct outbox	*ob = arg;
	time_t		 now = clock_now();

	outbox_take_notify(ob, "webhook", now);
	outbox_take_notify(ob, "email", now);
	outbox_take_sms(ob, now);
}

/* Start sending the ledger's queued messages. */
struct outbox *
outbox_new(struct event_base *base, struct store *st, struct modem **modems,
    size_t nmodems, struct notify *notify, const struct outbox_options *o)
{
	struct outbox	*ob = xcalloc(1, sizeof *ob);
	struct timeval	 tick = { OUTBOX_TICK_SECONDS, 0 };
	char		*cause = NULL;
	int		 interrupted = 0, requeued = 0;

	ob->store = st;
	ob->modems = modems;
	ob->nmodems = nmodems;
	ob->notify = notify;
	ob->opts = *o;
	if (store_outbox_interrupted(st, &interrupted, &requeued,
	    &cause) != 0)
		fatalx("outbox: %s", cause);
	if (interrupted > 0) {
		log_warnx("outbox: %d SMS were being sent when tipgwd "
		    "stopped; marked failed, not sent again automatically "
		    "(tipgwctl outbox retry ID sends one)", interrupted);
		outbox_event(ob, "outbox.interrupted", 0, "channel=sms");
	}
	if (requeued > 0)
		log_warnx("outbox: %d webhook/e-mail message(s) were being "
		    "sent when tipgwd stopped; sending them again with the "
		    "same key", requeued);
	ob->timer = event_new(base, -1, EV_PERSIST, outbox_tick_cb, ob);
	if (ob->timer == NULL || event_add(ob->timer, &tick) != 0)
		fatalx("outbox: cannot start the timer");
	return (ob);
}

/* New settings (on reload). */
void
outbox_set_options(struct outbox *ob, const struct outbox_options *o)
{
	ob->opts = *o;
}

/* Stop the timer; sends in flight end with their modems and notify. */
void
outbox_free(struct outbox *ob)
{
	if (ob == NULL)
		return;
	if (ob->timer != NULL)
		event_free(ob->timer);
	free(ob);
}
