/*
 * The outbox (I/O only): every two seconds, for each channel of the
 * table below (SMS through a ready modem, webhook and e-mail through
 * notify.c), take the rows that are due and hand each to it, unless the
 * policy (outbox_decide, pure) holds or cancels it. Every change of a
 * row's state is a transition of outbox_state.c, guarded on the state
 * it was read in: sent; failed, with a retry time that doubles per
 * attempt (with jitter, up to a cap); dead after max_attempts, an event
 * for the coordinator. A failing destination only pushes its own rows
 * back; the others are taken in their turn.
 */
#include "config.h"

#include <sys/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "tipgw/alert.h"
#include "tipgw/clock.h"
#include "tipgw/log.h"
#include "tipgw/modem.h"
#include "tipgw/notify.h"
#include "tipgw/outbox.h"
#include "tipgw/outbox_state.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"

#define OUTBOX_TICK_SECONDS	2
#define OUTBOX_MAX_INFLIGHT	4	/* SMS, all modems */
#define OUTBOX_NOTIFY_INFLIGHT	8	/* webhooks and e-mail */
#define OUTBOX_ALERTS_A_TICK	32	/* rendered at most per pass */
#define OUTBOX_MAX_MODEMS	16	/* watched for staying down */

struct outbox {
	struct store		 *store;
	struct modem		**modems;
	size_t			  nmodems;
	size_t			  next;		/* round robin */
	struct notify		 *notify;
	struct event		 *timer;
	struct event		*kick;		/* a tick now (outbox_kick) */
	struct outbox_options	  opts;
	int			  inflight;
	int			  notify_inflight;
	long			  budget_day;	/* alarms raised on this day */
	unsigned int		  budget_of;	/* for this daily budget */
	int			  budget_alarm;	/* 1: near, 2: reached */
	const struct templates	 *templates;
	char			 *coord[4];	/* copies of the options' */
	struct {
		time_t		 since;		/* not ready since; 0: ready */
		char		 told[64];	/* the last notice's key */
	}			 down[OUTBOX_MAX_MODEMS];
};

struct outbox_send {
	struct outbox			*ob;
	long long			 id;
	int				 attempts;
	const struct outbox_channel	*channel;
	char				*modem;
	char				*recipient;
};

/* A way out: SMS through a modem, a webhook, an e-mail (notify.c). */
struct outbox_channel {
	const char	*name;
	int		 max_inflight;
	int		 (*ready)(struct outbox *);
	void		 (*send)(struct outbox *, const struct store_outbox_item *,
			    struct outbox_send *);
};

static int	outbox_sms_ready(struct outbox *);
static void	outbox_sms_send(struct outbox *,
		    const struct store_outbox_item *, struct outbox_send *);
static int	outbox_notify_ready(struct outbox *);
static void	outbox_webhook_send(struct outbox *,
		    const struct store_outbox_item *, struct outbox_send *);
static void	outbox_email_send(struct outbox *,
		    const struct store_outbox_item *, struct outbox_send *);

static const struct outbox_channel outbox_channels[] = {
	{ "webhook", OUTBOX_NOTIFY_INFLIGHT, outbox_notify_ready,
	    outbox_webhook_send },
	{ "email", OUTBOX_NOTIFY_INFLIGHT, outbox_notify_ready,
	    outbox_email_send },
	{ "sms", OUTBOX_MAX_INFLIGHT, outbox_sms_ready, outbox_sms_send },
};
#define OUTBOX_NCHANNELS (sizeof outbox_channels / sizeof outbox_channels[0])

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
 * Move a row from the state it was read in; what cannot be recorded is
 * logged (the row is examined again at the next start). 0 when moved.
 */
static int
outbox_enter_state(struct outbox *ob, long long id, enum outbox_state from,
    enum outbox_event event, const char *error, time_t next_at,
    const char *note)
{
	struct store_outbox_change	 ch;
	char				*cause = NULL;
	int				 rc;

	memset(&ch, 0, sizeof ch);
	ch.id = id;
	ch.from = from;
	ch.event = event;
	ch.actor = "tipgwd";
	ch.error = error;
	ch.note = note;
	ch.next_at = next_at;
	ch.at = clock_now();
	ch.warn = event == OUTBOX_EV_FAIL || event == OUTBOX_EV_GIVE_UP;
	if ((rc = store_outbox_transition(ob->store, &ch, &cause)) != 0) {
		log_warnx("outbox=%lld %s not recorded: %s", id,
		    outbox_event_name(event), cause);
		free(cause);
	}
	return (rc);
}

/*
 * The alarm already raised today for this budget, from the ledger: a
 * restart does not raise it again; a budget changed (and reloaded, or
 * restarted) is watched afresh.
 */
static int
outbox_budget_raised(struct outbox *ob, time_t midnight)
{
	static const char *const actions[] = {
		"sms.budget_reached", "sms.budget_near"
	};
	long long	 n = 0;
	char		*cause = NULL, detail[48];
	int		 i;

	snprintf(detail, sizeof detail, "%% budget=%u", ob->opts.daily_budget);
	for (i = 0; i < 2; i++) {
		if (store_events_between(ob->store, actions[i], detail,
		    midnight - 86400, midnight, &n, &cause) != 0) {
			log_warnx("outbox: %s", cause);
			free(cause);
			return (0);
		}
		if (n > 0)
			return (2 - i);
	}
	return (0);
}

/*
 * The daily budget: an alarm at 80 % and at 100 % (once a day each);
 * past it, *b says until when reporter SMS wait (all SMS counted), and
 * acknowledgements (SMS to reporters alone counted).
 */
static void
outbox_budget(struct outbox *ob, time_t now, struct outbox_budget *b)
{
	long long	 parts = 0, reporters = 0;
	long		 day = clock_china_day(now);
	time_t		 midnight = clock_china_midnight(now);
	char		*cause = NULL, detail[96];
	int		 level;

	memset(b, 0, sizeof *b);
	if (ob->opts.daily_budget == 0)
		return;
	if (store_sms_parts_to_reporters(ob->store, midnight - 86400,
	    &reporters, &parts, &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
		return;
	}
	if (day != ob->budget_day || ob->budget_of != ob->opts.daily_budget) {
		ob->budget_day = day;
		ob->budget_of = ob->opts.daily_budget;
		ob->budget_alarm = outbox_budget_raised(ob, midnight);
	}
	level = parts >= ob->opts.daily_budget ? 2 :
	    parts * 5 >= (long long)ob->opts.daily_budget * 4 ? 1 : 0;
	if (level > ob->budget_alarm) {
		ob->budget_alarm = level;
		snprintf(detail, sizeof detail, "parts=%lld budget=%u", parts,
		    ob->opts.daily_budget);
		log_warnx("outbox: %s of today's SMS budget used (%s)%s",
		    level == 2 ? "all" : "80%", detail, level == 2 ?
		    "; SMS to reporters but acknowledgements wait until "
		    "tomorrow, office alerts still go" : "");
		outbox_event(ob, level == 2 ? "sms.budget_reached" :
		    "sms.budget_near", 0, detail);
	}
	if (level == 2)
		b->all_until = midnight;
	if (reporters >= ob->opts.daily_budget)
		b->reporters_until = midnight;
}

/* Apply the policy to a row just taken; 1 if it is not to be sent now. */
static int
outbox_held(struct outbox *ob, const struct store_outbox_item *row,
    time_t now, const struct outbox_budget *budget)
{
	const char	*why;
	char		 note[128];
	time_t		 until;

	switch (outbox_decide(&ob->opts, row, budget, now, &until, &why)) {
	case OUTBOX_CANCEL:
		outbox_enter_state(ob, row->id, row->state, OUTBOX_EV_CANCEL,
		    why, 0, "cancelled: the number opted out");
		return (1);
	case OUTBOX_HOLD:
		snprintf(note, sizeof note, "held: %s", why);
		outbox_enter_state(ob, row->id, row->state, OUTBOX_EV_HOLD,
		    why, until, note);
		return (1);
	default:
		return (0);
	}
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

/*
 * A send finished, or a message was committed: take the next due rows
 * now, not at the next tick. A one-shot event of its own: activating the
 * persistent tick by hand would push its next run a period later each
 * time (libevent re-adds a persistent timer from its due time), and a
 * stream of kicks would stop the ticks. Activations before the loop runs
 * are one.
 */
void
outbox_kick(struct outbox *ob)
{
	if (ob != NULL && ob->kick != NULL)
		event_active(ob->kick, EV_TIMEOUT, 0);
}

static void
outbox_send_free(struct outbox_send *send)
{
	free(send->modem);
	free(send->recipient);
	free(send);
}

static int *
outbox_inflight(struct outbox *ob, const struct outbox_channel *c)
{
	return (strcmp(c->name, "sms") == 0 ? &ob->inflight :
	    &ob->notify_inflight);
}

/* A failed attempt: try again later, or give up after max_attempts. */
static void
outbox_failed(struct outbox_send *send, const char *error)
{
	struct outbox	*ob = send->ob;
	unsigned int	 rnd = 0;
	time_t		 delay, now = clock_now();
	int		 dead = send->attempts >= (int)ob->opts.max_attempts;
	char		 note[512];

	if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != sizeof rnd)
		rnd = (unsigned int)now;
	delay = outbox_retry_delay(&ob->opts, send->attempts, rnd);
	if (dead)
		snprintf(note, sizeof note, "channel=%s attempt=%d "
		    "error=\"%s\"; a dead letter for the coordinator "
		    "(tipgwctl outbox --state dead)", send->channel->name,
		    send->attempts, error);
	else
		snprintf(note, sizeof note, "channel=%s attempt=%d "
		    "error=\"%s\"; retry in %llds", send->channel->name,
		    send->attempts, error, (long long)delay);
	outbox_enter_state(ob, send->id, OUTBOX_SENDING, dead ?
	    OUTBOX_EV_GIVE_UP : OUTBOX_EV_FAIL, error, now + delay, note);
}

static void
outbox_sms_done_cb(const struct modem_send_result *r, void *arg)
{
	struct outbox_send		*send = arg;
	struct outbox			*ob = send->ob;
	struct store_outbox_change	 ch;
	struct store_sms_sent		 sent;
	char				*cause = NULL, note[128];

	ob->inflight--;
	if (!r->ok)
		outbox_failed(send, r->error);
	else {
		memset(&ch, 0, sizeof ch);
		ch.id = send->id;
		ch.from = OUTBOX_SENDING;
		ch.event = OUTBOX_EV_SENT;
		ch.actor = "tipgwd";
		ch.at = clock_now();
		snprintf(note, sizeof note, "channel=sms modem=%s parts=%d "
		    "reference=%d", send->modem, r->parts, r->reference);
		ch.note = note;
		memset(&sent, 0, sizeof sent);
		sent.modem = send->modem;
		sent.recipient = send->recipient;
		sent.reference = r->reference;
		sent.parts = r->parts;
		sent.reports = ob->opts.reports;
		sent.references = r->references;
		sent.nreferences = r->nreferences;
		if (store_outbox_sent(ob->store, &ch, &sent, &cause) != 0) {
			log_warnx("outbox=%lld sent, but not recorded: %s",
			    send->id, cause);
			free(cause);
		}
	}
	outbox_send_free(send);
	outbox_kick(ob);
}

static void
outbox_notify_done_cb(const struct notify_result *r, void *arg)
{
	struct outbox_send	*send = arg;
	struct outbox		*ob = send->ob;
	char			 note[96];

	ob->notify_inflight--;
	if (r->stopped) {
		snprintf(note, sizeof note, "channel=%s stopped in flight; "
		    "sent again at the next start", send->channel->name);
		outbox_enter_state(ob, send->id, OUTBOX_SENDING,
		    OUTBOX_EV_STOP, NULL, 0, note);
	} else if (!r->ok)
		outbox_failed(send, r->error);
	else {
		snprintf(note, sizeof note, "channel=%s status=%ld",
		    send->channel->name, r->status);
		outbox_enter_state(ob, send->id, OUTBOX_SENDING,
		    OUTBOX_EV_SENT, NULL, 0, note);
	}
	outbox_send_free(send);
	if (!r->stopped)
		outbox_kick(ob);
}

static int
outbox_sms_ready(struct outbox *ob)
{
	return (ob->nmodems > 0 && outbox_ready_modem(ob) != NULL);
}

static void
outbox_sms_send(struct outbox *ob, const struct store_outbox_item *row,
    struct outbox_send *send)
{
	struct modem	*m;

	if ((m = outbox_ready_modem(ob)) == NULL)
		m = ob->modems[0];
	send->modem = xstrdup(modem_name(m));
	modem_send(m, row->destination, row->body, outbox_sms_done_cb, send);
}

static int
outbox_notify_ready(struct outbox *ob)
{
	return (ob->notify != NULL);
}

/*
 * A webhook goes with its dedup key (Idempotency-Key); one sent again
 * after a crash found it in flight also says so in its body, for the
 * robots (WeCom, DingTalk) that cannot drop a copy by key.
 */
static void
outbox_webhook_send(struct outbox *ob, const struct store_outbox_item *row,
    struct outbox_send *send)
{
	char	*body;

	body = row->resends > 0 ? notify_mark_resent(row->body) :
	    xstrdup(row->body);
	notify_webhook(ob->notify, row->destination, body, row->dedup_key,
	    outbox_notify_done_cb, send);
	free(body);
}

static void
outbox_email_send(struct outbox *ob, const struct store_outbox_item *row,
    struct outbox_send *send)
{
	notify_email(ob->notify, row->destination, row->body, row->dedup_key,
	    outbox_notify_done_cb, send);
}

/* Take a channel's due rows and hand each to it, or hold it. */
static void
outbox_take(struct outbox *ob, const struct outbox_channel *c, time_t now)
{
	struct store_outbox_item	*rows;
	struct outbox_send		*send;
	char				*cause = NULL;
	struct outbox_budget		 budget;
	int				 i, n, *inflight = outbox_inflight(ob, c);

	if (*inflight >= c->max_inflight || !c->ready(ob))
		return;
	if (store_outbox_due(ob->store, c->name, now,
	    c->max_inflight - *inflight, &rows, &n, &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
		return;
	}
	memset(&budget, 0, sizeof budget);
	if (n > 0 && strcmp(c->name, "sms") == 0)
		outbox_budget(ob, now, &budget);
	for (i = 0; i < n; i++) {
		if (outbox_held(ob, &rows[i], now, &budget))
			continue;
		send = xcalloc(1, sizeof *send);
		send->ob = ob;
		send->id = rows[i].id;
		send->attempts = rows[i].attempts;
		send->channel = c;
		send->recipient = xstrdup(rows[i].destination);
		(*inflight)++;
		c->send(ob, &rows[i], send);
	}
	store_outbox_items_free(rows, n);
}

/* The coordinator, as an owner an alert can go to. */
static void
outbox_coordinator(const struct outbox *ob, struct alert_owner *o)
{
	memset(o, 0, sizeof *o);
	o->name = "coordinator";
	if (ob->opts.coordinator_phone != NULL)
		o->phones[o->nphones++] = ob->opts.coordinator_phone;
	o->email = ob->opts.coordinator_email;
	o->webhook_url = ob->opts.coordinator_webhook;
	o->webhook_format = ob->opts.coordinator_webhook_format;
}

/*
 * Render one pending alert into its messages and queue them. An office
 * nobody can reach hands the tip to the coordinator; a coordinator with
 * no channel leaves it to tipgwctl deadlines, with a warning.
 */
static void
outbox_alert(struct outbox *ob, const struct store_alert *a, time_t now)
{
	struct alert_msg	 msgs[ALERT_MAX_MESSAGES];
	struct alert_owner	 coord;
	struct alert_view	 view = a->view;
	const char		*what = view.code;
	char			*cause = NULL, id[32];
	int			 n = 0, rc;

	if (what == NULL && view.tip_id != 0) {
		snprintf(id, sizeof id, "ID%lld", view.tip_id);
		what = id;		/* a tip imported without a code */
	} else if (what == NULL)
		what = "-";		/* a fault: no tip */
	outbox_coordinator(ob, &coord);
	rc = alert_render(&view, a->coordinator ? &coord : &a->owner,
	    ob->templates, msgs, &n);
	if (rc == 0 && n == 0 && !a->coordinator) {
		log_warnx("tip=%s office=\"%s\" has no duty phone, webhook or "
		    "e-mail; the coordinator is told", what, a->owner.name ?
		    a->owner.name : "?");
		view.reason = "unreachable";
		rc = alert_render(&view, &coord, ob->templates, msgs, &n);
	}
	if (rc != 0) {
		log_warnx("alert=%lld: no template to render it", view.id);
		return;
	}
	if (n == 0 && view.tip_id != 0)
		log_warnx("tip=%s reaches nobody: set coordinator_phone, "
		    "coordinator_email or coordinator_webhook; it waits in "
		    "tipgwctl deadlines", what);
	else if (n == 0)
		log_warnx("alert=%lld reason=%s reaches nobody: set "
		    "coordinator_phone, coordinator_email or "
		    "coordinator_webhook", view.id, view.reason);
	if ((rc = store_alert_expand(ob->store, a, msgs, n, now,
	    &cause)) < 0) {
		log_warnx("alert=%lld: %s", view.id, cause);
		free(cause);
	} else if (rc == 0)
		log_info("alert=%lld tip=%s owner=%s reason=%s messages=%d",
		    view.id, what, a->coordinator || view.reason !=
		    a->view.reason ? "coordinator" : "office", view.reason, n);
	alert_msgs_free(msgs, n);
}

/* The alerts waiting to be rendered, oldest first. */
static void
outbox_alerts(struct outbox *ob, time_t now)
{
	struct store_alert	*alerts;
	char			*cause = NULL;
	int			 i, n;

	if (ob->templates == NULL)
		return;
	if (store_alerts_pending(ob->store, OUTBOX_ALERTS_A_TICK, &alerts, &n,
	    &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++)
		outbox_alert(ob, &alerts[i], now);
	store_alerts_free(alerts, n);
}

/*
 * A modem that has not been ready for modem_down_alert: the coordinator
 * is told once for the episode (when it went down is in the key).
 */
static void
outbox_modem_down(struct outbox *ob, size_t i, const struct modem_status *st,
    time_t now)
{
	char	 key[64], since[20], when[16], detail[320], *cause = NULL;
	int	 added = 0;

	clock_china_format(ob->down[i].since, "%m-%d %H:%M", when, sizeof when);
	snprintf(key, sizeof key, "modem_down:%s:%s", st->name,
	    clock_china_format(ob->down[i].since, "%Y%m%d%H%M%S", since,
	    sizeof since));
	if (strcmp(key, ob->down[i].told) == 0)
		return;
	snprintf(detail, sizeof detail, "modem=%s 自%s起未就绪（%s：%s）",
	    st->name, when, modem_state_name(st->state), st->reason);
	if (store_alert_fault(ob->store, "modem_down", key, detail, now, 0,
	    &added, &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
		return;
	}
	snprintf(ob->down[i].told, sizeof ob->down[i].told, "%s", key);
	if (added)
		log_warnx("modem=%s not ready since %s; the coordinator is "
		    "told", st->name, when);
}

static void
outbox_watch_modems(struct outbox *ob, time_t now)
{
	struct modem_status	 st;
	size_t			 i;

	for (i = 0; i < ob->nmodems && i < OUTBOX_MAX_MODEMS; i++) {
		modem_status(ob->modems[i], &st);
		if (st.state == MODEM_READY) {
			ob->down[i].since = 0;
			continue;
		}
		if (ob->down[i].since == 0)
			ob->down[i].since = now;
		if (ob->opts.modem_down_alert > 0 && now - ob->down[i].since >=
		    (time_t)ob->opts.modem_down_alert)
			outbox_modem_down(ob, i, &st, now);
	}
}

static void
outbox_tick_cb(evutil_socket_t fd, short events, void *arg)
{
	struct outbox	*ob = arg;
	time_t		 now = clock_now();
	size_t		 i;

	outbox_watch_modems(ob, now);
	outbox_alerts(ob, now);
	for (i = 0; i < OUTBOX_NCHANNELS; i++)
		outbox_take(ob, &outbox_channels[i], now);
}

/* Start sending the ledger's queued messages. */
struct outbox *
outbox_new(struct event_base *base, struct store *st, struct modem **modems,
    size_t nmodems, struct notify *notify, const struct outbox_options *o)
{
	struct outbox	*ob = xcalloc(1, sizeof *ob);
	struct timeval	 tick = { OUTBOX_TICK_SECONDS, 0 };
	char		*cause = NULL;
	int		 resent = 0, confirmed = 0;

	ob->store = st;
	ob->modems = modems;
	ob->nmodems = nmodems;
	ob->notify = notify;
	outbox_set_options(ob, o);
	if (store_outbox_interrupted(st, clock_now(), &resent, &confirmed,
	    &cause) != 0)
		fatalx("outbox: %s", cause);
	if (resent > 0) {
		log_warnx("outbox: %d message(s) were being sent when tipgwd "
		    "stopped and no modem or server confirmed them; sending "
		    "them again (a webhook or e-mail with the same key)",
		    resent);
		outbox_event(ob, "outbox.interrupted", 0, "resent");
	}
	if (confirmed > 0)
		log_info("outbox: %d SMS the modem confirmed before tipgwd "
		    "stopped are sent", confirmed);
	ob->timer = event_new(base, -1, EV_PERSIST, outbox_tick_cb, ob);
	ob->kick = event_new(base, -1, 0, outbox_tick_cb, ob);
	if (ob->timer == NULL || ob->kick == NULL ||
	    event_add(ob->timer, &tick) != 0)
		fatalx("outbox: cannot start the timer");
	return (ob);
}

static char *
outbox_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/* New settings (on reload); the strings are copied. */
void
outbox_set_options(struct outbox *ob, const struct outbox_options *o)
{
	size_t	 i;

	for (i = 0; i < 4; i++)
		free(ob->coord[i]);
	ob->opts = *o;
	ob->opts.coordinator_phone = ob->coord[0] =
	    outbox_dup(o->coordinator_phone);
	ob->opts.coordinator_email = ob->coord[1] =
	    outbox_dup(o->coordinator_email);
	ob->opts.coordinator_webhook = ob->coord[2] =
	    outbox_dup(o->coordinator_webhook);
	ob->opts.coordinator_webhook_format = ob->coord[3] =
	    outbox_dup(o->coordinator_webhook_format);
}

/* The templates alerts are rendered with (owned by the caller). */
void
outbox_set_templates(struct outbox *ob, const struct templates *t)
{
	ob->templates = t;
}

/* Stop the timer; sends in flight end with their modems and notify. */
void
outbox_free(struct outbox *ob)
{
	size_t	 i;

	if (ob == NULL)
		return;
	if (ob->timer != NULL)
		event_free(ob->timer);
	if (ob->kick != NULL)
		event_free(ob->kick);
	for (i = 0; i < 4; i++)
		free(ob->coord[i]);
	free(ob);
}
