/*
 * Reminders and escalation. Once a minute, on working days between 08:00
 * and 20:00 China time, every open tip's clocks are computed
 * (deadline.c) and what is due is queued in the outbox: a reminder to
 * each duty phone of the office at D-3 and at D-1, and to the
 * coordinator's phone and e-mail when the office never acknowledged the
 * tip or its verification deadline passed. The keys carry the due day,
 * so an extension or a pause that moves it starts its reminders afresh.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "tipgw/calendar.h"
#include "tipgw/clock.h"
#include "tipgw/deadline.h"
#include "tipgw/log.h"
#include "tipgw/notify.h"
#include "tipgw/periodic.h"
#include "tipgw/pin.h"
#include "tipgw/remind.h"
#include "tipgw/store.h"
#include "tipgw/template.h"
#include "tipgw/tipgw.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"

#define REMIND_INTERVAL		60
#define REMIND_FROM_MINUTE	(8 * 60)
#define REMIND_TO_MINUTE	(20 * 60)
#define REMIND_RETAIN_EVERY	3600	/* seconds between retention passes */
#define REMIND_RETAIN_FOR	2	/* seconds a pass may take */

struct remind {
	struct store			*store;
	struct event			*timer;
	struct workday_cal		*cal;
	const struct templates		*templates;
	struct remind_options		 opts;
	char				*phone, *email;
	int				 warned_year;
	char				*holidays;	/* the file */
	long long			 stamp;		/* the ledger's years */
	long				 covered_until;	/* -1: not today */
	time_t				 retained_at;	/* the last pass */
	remind_calendar_cb		 calendar_cb;
	void				*calendar_arg;
	char				*report_email;
	char				 reported[16];	/* periodic.c's */
	int				 warned_nobody;
	const struct pin_key		*pin_key;	/* the daemon's */
};

static char *
remind_mmdd(long day, char *buf, size_t len)
{
	int	 y, m, d;

	workday_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%02d-%02d", m, d);
	return (buf);
}

static char *
remind_ymd(long day, char *buf, size_t len)
{
	int	 y, m, d;

	workday_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
	return (buf);
}

static int
remind_queue(struct remind *r, enum outbox_intent intent, const char *key,
    const char *channel, const char *to, const char *body, long long tip,
    time_t now, int *queued)
{
	struct store_outbox_new	 m;
	long long		 id = 0;
	char			*cause = NULL;

	memset(&m, 0, sizeof m);
	m.dedup_key = key;
	m.intent = intent;
	m.channel = channel;
	m.destination = to;
	m.body = body;
	m.tip_id = tip;
	m.at = now;
	if (store_outbox_queue(r->store, &m, &id, &cause) != 0) {
		log_warnx("remind: %s: %s", key, cause);
		free(cause);
		return (-1);
	}
	if (id != 0)
		(*queued)++;
	return (0);
}

static void
remind_event(struct remind *r, time_t now, const char *action,
    long long tip, const char *detail)
{
	char	*cause = NULL;

	if (store_event_add(r->store, now, "tipgwd", action, tip, detail,
	    &cause) != 0) {
		log_warnx("remind: %s", cause);
		free(cause);
	}
}

/*
 * What a tip's reminder keys name it by: its code, or its id for a tip
 * without one (an import), so two such tips never share a key.
 */
static const char *
remind_who(const struct store_open_tip *t, char *buf, size_t size)
{
	if (strcmp(t->code, "-") != 0)
		snprintf(buf, size, "%s", t->code);
	else
		snprintf(buf, size, "id%lld", t->id);
	return (buf);
}

/* D-3 or D-1: each duty phone of the office. */
static void
remind_office(struct remind *r, const struct store_open_tip *t,
    const struct deadline *d, time_t now)
{
	struct store_office_duty	 o;
	struct template_var		 v[5];
	const char			*step = d->stage == DEADLINE_D3 ?
					    "d3" : "d1";
	char				 key[128], due[16], left[16], ymd[16];
	char				 who[32], *body, *cause = NULL;
	int				 i, queued = 0;

	remind_who(t, who, sizeof who);

	if (store_office_duty(r->store, t->township_code, &o, &cause) != 0) {
		log_warnx("remind: %s", cause);
		free(cause);
		return;
	}
	v[0].name = "code";
	v[0].value = t->code;
	v[1].name = "township";
	v[1].value = t->township;
	v[2].name = "due";
	v[2].value = remind_mmdd(d->verify_due, due, sizeof due);
	v[3].name = "left";
	snprintf(left, sizeof left, "%d", d->verify_left);
	v[3].value = left;
	v[4].name = "what";
	v[4].value = d->filed ? "办案" : "核查";
	body = template_render(r->templates, "remind", v, 5);
	remind_ymd(d->verify_due, ymd, sizeof ymd);
	for (i = 0; body != NULL && i < o.nphones; i++) {
		snprintf(key, sizeof key, "remind:%s:%s:%s%s:%s", who, ymd,
		    d->filed ? "case-" : "", step, o.phones[i]);
		remind_queue(r, OUTBOX_REMIND, key, "sms", o.phones[i], body,
		    t->id, now,
		    &queued);
	}
	if (queued > 0) {
		snprintf(key, sizeof key, "%s due=%s left=%d", step, ymd,
		    d->verify_left);
		remind_event(r, now, "tip.reminded", t->id, key);
		log_info("tip=%lld code=%s reminder=%s due=%s office=\"%s\" "
		    "phones=%d", t->id, t->code, step, ymd, t->office, queued);
	}
	free(body);
	store_office_duty_clear(&o);
}

/* A case whose 回头看 is due, and where its first tip was. */
struct remind_case {
	long long	 id;
	char		 followup[16];
	long long	 tip;
	char		*township_code, *township, *place;
};

struct remind_cases {
	struct remind_case	*c;
	size_t			 n;
	char			 today[16];
};

static int
remind_case_cb(const struct store_case *k, void *arg)
{
	struct remind_cases	*rc = arg;
	struct remind_case	*c;

	/* YYYY-MM-DD compares as it sorts: due today or before. */
	if (k->followup == NULL || strlen(k->followup) != 10 ||
	    strcmp(k->followup, rc->today) > 0)
		return (0);
	rc->c = xreallocarray(rc->c, rc->n + 1, sizeof *rc->c);
	c = &rc->c[rc->n++];
	memset(c, 0, sizeof *c);
	c->id = k->id;
	snprintf(c->followup, sizeof c->followup, "%s", k->followup);
	return (0);
}

/* The earliest tip of a case: its township and place name the target. */
static int
remind_case_tip_cb(const struct store_case_tip *t, void *arg)
{
	struct remind_case	*c = arg;

	if (c->tip != 0 || t->township_code == NULL)
		return (0);
	c->tip = t->id;
	c->township_code = xstrdup(t->township_code);
	c->township = xstrdup(t->township != NULL ? t->township : "");
	c->place = xstrdup(t->shop != NULL ? t->shop :
	    t->village != NULL ? t->village : "");
	return (0);
}

/*
 * A case's 回头看 (follow-up check) date has come: each duty phone of
 * the office of its first tip's township, once per case and date. A
 * closed case has had its follow-up; a proposed one is not a case yet.
 */
static void
remind_followup(struct remind *r, time_t now)
{
	static const char *const	 states[] = { "confirmed", "decided" };
	struct remind_cases		 rc;
	struct store_office_duty	 o;
	struct template_var		 v[4];
	char				 key[128], id[24], due[16];
	char				*body, *cause = NULL;
	size_t				 i, k;
	int				 j, queued;

	memset(&rc, 0, sizeof rc);
	remind_ymd(clock_china_day(now), rc.today, sizeof rc.today);
	for (k = 0; k < sizeof states / sizeof states[0]; k++) {
		if (store_cases_foreach(r->store, states[k], 0,
		    remind_case_cb, &rc, &cause) != 0) {
			log_warnx("remind: %s", cause);
			free(cause);
			cause = NULL;
		}
	}
	for (i = 0; i < rc.n; i++) {
		struct remind_case	*c = &rc.c[i];

		if (store_case_tips(r->store, c->id, remind_case_tip_cb, c,
		    &cause) != 0 || c->tip == 0 || store_office_duty(r->store,
		    c->township_code, &o, &cause) != 0) {
			if (cause != NULL)
				log_warnx("remind: case %lld: %s", c->id,
				    cause);
			free(cause);
			cause = NULL;
			continue;
		}
		snprintf(id, sizeof id, "%lld", c->id);
		v[0].name = "case";
		v[0].value = id;
		v[1].name = "township";
		v[1].value = c->township;
		v[2].name = "place";
		v[2].value = c->place;
		v[3].name = "due";
		v[3].value = c->followup + 5;		/* MM-DD */
		body = template_render(r->templates, "followup", v, 4);
		queued = 0;
		for (j = 0; body != NULL && j < o.nphones; j++) {
			snprintf(key, sizeof key, "followup:%lld:%s:%s",
			    c->id, c->followup, o.phones[j]);
			remind_queue(r, OUTBOX_REMIND, key, "sms",
			    o.phones[j], body, c->tip, now, &queued);
		}
		if (queued > 0) {
			snprintf(due, sizeof due, "%s", c->followup);
			snprintf(key, sizeof key, "case=%lld followup=%s "
			    "phones=%d", c->id, due, queued);
			remind_event(r, now, "case.followup", 0, key);
			log_info("case=%lld followup=%s office=\"%s\" "
			    "phones=%d", c->id, due, o.name != NULL ?
			    o.name : "", queued);
		} else if (body != NULL && o.nphones == 0)
			log_warnx("remind: case %lld: follow-up check due %s, but the "
			    "office of %s has no duty phone", c->id,
			    c->followup, c->township_code);
		free(body);
		store_office_duty_clear(&o);
	}
	for (i = 0; i < rc.n; i++) {
		free(rc.c[i].township_code);
		free(rc.c[i].township);
		free(rc.c[i].place);
	}
	free(rc.c);
}

/* A deadline passed: the coordinator's phone and e-mail. */
static void
remind_escalate(struct remind *r, const struct store_open_tip *t,
    const char *what, const char *words, long due, time_t now)
{
	struct template_var	 v[5];
	const char		*township, *office;
	char			 key[128], mmdd[16], ymd[16], who[32], *body;
	char			*mail;
	int			 queued = 0;

	remind_who(t, who, sizeof who);

	township = t->township != NULL ? t->township : "乡镇未定";
	office = t->office != NULL ? t->office : "待分派";
	v[0].name = "code";
	v[0].value = t->code;
	v[1].name = "township";
	v[1].value = township;
	v[2].name = "office";
	v[2].value = office;
	v[3].name = "due";
	v[3].value = remind_mmdd(due, mmdd, sizeof mmdd);
	v[4].name = "what";
	v[4].value = words;
	remind_ymd(due, ymd, sizeof ymd);
	if ((body = template_render(r->templates, "escalate", v, 5)) == NULL)
		return;
	if (r->phone != NULL) {
		snprintf(key, sizeof key, "escalate:%s:%s:%s:sms", who,
		    what, ymd);
		remind_queue(r, OUTBOX_ESCALATE, key, "sms", r->phone, body,
		    t->id, now,
		    &queued);
	}
	if (r->email != NULL) {
		snprintf(key, sizeof key, "escalate:%s:%s:%s:email", who,
		    what, ymd);
		xasprintf(&mail, "Subject: 举报%s超期：%s %s\n\n%s\n", t->code,
		    township, office, body);
		remind_queue(r, OUTBOX_ESCALATE, key, "email", r->email, mail,
		    t->id, now,
		    &queued);
		free(mail);
	}
	if (queued > 0) {
		snprintf(key, sizeof key, "%s due=%s", what, ymd);
		remind_event(r, now, "tip.overdue", t->id, key);
		log_warnx("tip=%lld code=%s overdue=%s due=%s office=\"%s\"; "
		    "coordinator told", t->id, t->code, what, ymd, office);
	} else if (r->phone == NULL && r->email == NULL && !r->warned_nobody) {
		log_warnx("remind: tip %s is overdue but neither "
		    "coordinator_phone nor coordinator_email is set; "
		    "escalations go nowhere", t->code);
		r->warned_nobody = 1;
	}
	free(body);
}

/*
 * A question nobody answered within followup_window: the tip goes to the
 * coordinator (triage, who is told by the transition) and the reporter
 * is acknowledged with its code and a PIN, as after two questions.
 */
static void
remind_unanswered_tip(struct remind *r, const char *code, time_t now)
{
	struct store_tip_change	 ch;
	struct store_reply	 ack;
	struct template_var	 v[2];
	char			 pin[PIN_SIZE], hash[PIN_HASH_SIZE], key[64];
	char			*body, *cause = NULL;
	int			 rc;

	pin_new(pin, sizeof pin);
	v[0].name = "code";
	v[0].value = code;
	v[1].name = "pin";
	v[1].value = pin;
	if ((body = template_render(r->templates, "ack_triage", v, 2)) ==
	    NULL)
		return;
	snprintf(key, sizeof key, "ack:%s", code);
	memset(&ack, 0, sizeof ack);
	ack.intent = OUTBOX_ACK;
	ack.dedup_key = key;
	ack.body = body;
	memset(&ch, 0, sizeof ch);
	ch.code = code;
	ch.event = TIP_EV_GIVE_UP;
	ch.actor = "tipgwd";
	ch.detail = "no answer to the question";
	ch.at = now;
	if (r->pin_key != NULL) {
		pin_hash(r->pin_key, code, pin, hash);
		ch.pin_hash = hash;
	}
	ch.to_reporter = &ack;
	if ((rc = store_tip_change(r->store, &ch, &cause)) < 0)
		log_warnx("remind: tip %s: %s", code, cause);
	free(cause);
	free(body);
}

/* The tips whose question has gone unanswered too long, by day. */
static void
remind_unanswered(struct remind *r, time_t now)
{
	char	**codes, *cause = NULL;
	int	  i, n, minute = clock_china_minute(now);

	if (r->opts.followup_window == 0 || minute < REMIND_FROM_MINUTE ||
	    minute >= REMIND_TO_MINUTE)
		return;
	if (store_tips_unanswered(r->store, now -
	    (time_t)r->opts.followup_window, &codes, &n, &cause) != 0) {
		log_warnx("remind: %s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		remind_unanswered_tip(r, codes[i], now);
		free(codes[i]);
	}
	free(codes);
}

/*
 * The ledger's imported years, read again when an import changed them
 * (tipgwctl holidays import): the calendar follows without a reload.
 */
static void
remind_calendar_refresh(struct remind *r)
{
	struct workday_cal	*cal;
	long long		 stamp;
	char			*cause = NULL;

	if (store_holidays_stamp(r->store, &stamp, &cause) != 0 ||
	    stamp == r->stamp)
		goto out;
	if ((cal = calendar_load(r->store, r->holidays, &cause)) == NULL)
		goto out;
	workday_free(r->cal);
	r->cal = cal;
	r->stamp = stamp;
	r->warned_year = 0;
	log_info("remind: holiday calendar read again (imported years "
	    "changed)");
	if (r->calendar_cb != NULL)
		r->calendar_cb(r->calendar_arg);
out:
	if (cause != NULL) {
		log_warnx("remind: holidays: %s", cause);
		free(cause);
	}
}

/*
 * A calendar that ends within CALENDAR_AHEAD_DAYS: a warning in the log
 * and one e-mail to the coordinator for each year it lacks (the key names
 * the year; /healthz says it too).
 */
static void
remind_calendar(struct remind *r, time_t now)
{
	long	 today = clock_china_day(now), until, from;
	char	 key[32], end[16], *mail;
	int	 y, m, d, queued = 0;

	remind_calendar_refresh(r);
	r->covered_until = until = workday_covered_until(r->cal, today);
	if (until >= today + CALENDAR_AHEAD_DAYS)
		return;
	from = until < 0 ? today : until + 1;
	workday_ymd(from, &y, &m, &d);
	if (r->warned_year == y)
		return;
	r->warned_year = y;
	remind_ymd(until < 0 ? today - 1 : until, end, sizeof end);
	log_warnx("remind: the holiday calendar %s %s; deadlines from %d on "
	    "count weekends only: import the State Council's notice for %d "
	    "(tipgwctl holidays import FILE)", until < 0 ? "has no" : "ends",
	    until < 0 ? "day of this year" : end, y, y);
	if (r->email == NULL)
		return;
	snprintf(key, sizeof key, "holidays:%d:email", y);
	xasprintf(&mail, "Subject: tipgw：节假日安排待更新（%d年）\n\n"
	    "节假日安排只到%s，%d年的期限暂只按周末计算。\n"
	    "国务院办公厅发布%d年部分节假日安排的通知后，请把通知全文存为文本文件，"
	    "用 tipgwctl holidays import 文件 导入。\n", y,
	    until < 0 ? "去年年底" : end, y, y);
	remind_queue(r, OUTBOX_NOTICE, key, "email", r->email, mail, 0, now,
	    &queued);
	free(mail);
}

/* The last day the calendar knows holidays for; -1: not today's year. */
long
remind_covered_until(const struct remind *r)
{
	return (r->covered_until);
}

/* Called when the calendar changed by an import (tipgwd tells the desk). */
void
remind_set_calendar_cb(struct remind *r, remind_calendar_cb cb, void *arg)
{
	r->calendar_cb = cb;
	r->calendar_arg = arg;
}

/*
 * One pass over the open tips at now. Outside working hours nothing is
 * sent (an office is not woken at night). Returns how many tips were
 * looked at, -1 if the ledger could not be read.
 */
/*
 * The campaign's periodic work (periodic.c): rewards not claimed in
 * time expire, the quarter's report is e-mailed.
 */
static void
remind_periodic(struct remind *r, time_t now)
{
	struct periodic_options	 o;
	char			*cause = NULL;
	int			 proposed, expired, mailed;

	memset(&o, 0, sizeof o);
	o.report_email = r->opts.report_email;
	o.report_days_before = r->opts.report_days_before;
	o.ack_days = r->opts.ack_days;
	o.case_window = r->opts.case_window;
	o.reported = r->reported;
	if (periodic_run(r->store, r->cal, &o, now, &proposed, &expired,
	    &mailed, &cause) != 0) {
		log_warnx("remind: %s", cause);
		free(cause);
		return;
	}
	if (proposed > 0)
		log_info("remind: %d case proposal(s) or tip(s) joining a "
		    "case (tipgwctl case list)", proposed);
	if (expired > 0)
		log_info("remind: %d reward(s) not claimed in time expired",
		    expired);
	if (mailed > 0)
		log_info("remind: the quarter's report queued to %d "
		    "address(es)", mailed);
}

/*
 * Retention: once an hour, reporters' numbers past reporter_retention_days
 * are removed (store_retention), in passes for at most REMIND_RETAIN_FOR
 * seconds; what is left waits for the next tick.
 */
static void
remind_retention(struct remind *r, time_t now)
{
	time_t	 cutoff, until = time(NULL) + REMIND_RETAIN_FOR;
	char	*cause = NULL, when[32];
	int	 tips, rows, ntips = 0, nrows = 0;

	if (r->opts.retention_days == 0 ||
	    now - r->retained_at < REMIND_RETAIN_EVERY)
		return;
	r->retained_at = now;
	cutoff = now - (time_t)r->opts.retention_days * 86400;
	do {
		if (store_retention(r->store, cutoff, now, &tips, &rows,
		    &cause) != 0) {
			log_warnx("retention: %s", cause);
			free(cause);
			return;
		}
		ntips += tips;
		nrows += rows;
	} while ((tips > 0 || rows > 0) && time(NULL) < until);
	if (tips > 0 || rows > 0)
		r->retained_at = 0;	/* more: go on at the next tick */
	if (ntips > 0 || nrows > 0)
		log_info("retention: reporters' numbers removed from %d "
		    "closed tip(s) and %d other row(s), from before %s "
		    "(reporter_retention_days=%u)", ntips, nrows,
		    tipgw_time_format(cutoff, when, sizeof when),
		    r->opts.retention_days);
}

int
remind_run(struct remind *r, time_t now)
{
	struct store_open_tip	*tips;
	struct deadline_tip	 dt;
	struct deadline		 d;
	long			 today = clock_china_day(now);
	int			 i, n;
	int			 minute = clock_china_minute(now);
	char			*cause = NULL;

	if (r->cal == NULL || r->templates == NULL)
		return (0);
	remind_unanswered(r, now);
	remind_periodic(r, now);	/* any day, any hour */
	remind_retention(r, now);
	remind_calendar(r, now);
	if (!workday_is_working(r->cal, today) ||
	    minute < REMIND_FROM_MINUTE || minute >= REMIND_TO_MINUTE)
		return (0);
	remind_followup(r, now);
	if (store_open_tips(r->store, &tips, &n, &cause) != 0) {
		log_warnx("remind: %s", cause);
		free(cause);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		deadline_tip_of(&tips[i], &dt);
		deadline_compute(r->cal, r->opts.ack_days, r->opts.verify_days,
		    &dt, today, &d);
		if (d.coordinator) {
			if (d.stage == DEADLINE_OVERDUE)
				remind_escalate(r, &tips[i], "route", "分派",
				    d.verify_due, now);
			continue;
		}
		if (d.ack_overdue && !d.filed)
			remind_escalate(r, &tips[i], "ack", "受理", d.ack_due,
			    now);
		if (d.stage == DEADLINE_D3 || d.stage == DEADLINE_D1)
			remind_office(r, &tips[i], &d, now);
		else if (d.stage == DEADLINE_OVERDUE)
			remind_escalate(r, &tips[i], d.filed ? "case" : "verify",
			    d.filed ? "办案" : "核查", d.verify_due, now);
	}
	store_open_tips_free(tips, n);
	return (n);
}

static void
remind_tick_cb(evutil_socket_t fd, short events, void *arg)
{
	remind_run(arg, clock_now());
}

struct remind *
remind_new(struct event_base *base, struct store *st, const char *holidays,
    char **cause)
{
	struct remind	*r = xcalloc(1, sizeof *r);
	struct timeval	 tv = { REMIND_INTERVAL, 0 };
	const char	*test = getenv("TIPGW_TEST_REMIND_INTERVAL");

	/* Tests only: a tick every 1..60 s, so a test need not wait. */
	if (test != NULL && atoi(test) >= 1 && atoi(test) <= REMIND_INTERVAL) {
		tv.tv_sec = atoi(test);
		log_warnx("remind: a pass every %lds "
		    "(TIPGW_TEST_REMIND_INTERVAL); for tests only",
		    (long)tv.tv_sec);
	}

	r->store = st;
	r->covered_until = -1;
	if ((r->cal = calendar_load(st, holidays, cause)) == NULL ||
	    store_holidays_stamp(st, &r->stamp, cause) != 0) {
		workday_free(r->cal);
		free(r);
		return (NULL);
	}
	r->holidays = xstrdup(holidays);
	r->covered_until = workday_covered_until(r->cal,
	    clock_china_day(clock_now()));
	r->timer = event_new(base, -1, EV_PERSIST, remind_tick_cb, r);
	if (r->timer == NULL || event_add(r->timer, &tv) != 0)
		fatalx("remind: cannot start the timer");
	return (r);
}

/*
 * New settings, templates and (if holidays is not NULL) calendar. On a
 * calendar error the old one is kept and -1 returned. Runs a pass.
 */
int
remind_set(struct remind *r, const struct remind_options *o,
    const struct templates *t, const char *holidays, char **cause)
{
	struct workday_cal	*cal;
	int			 rc = 0;

	if (holidays != NULL) {
		if ((cal = calendar_load(r->store, holidays, cause)) == NULL)
			rc = -1;
		else {
			workday_free(r->cal);
			r->cal = cal;
			free(r->holidays);
			r->holidays = xstrdup(holidays);
			r->warned_year = 0;
		}
	}
	free(r->phone);
	free(r->email);
	free(r->report_email);
	r->opts = *o;
	r->report_email = o->report_email ? xstrdup(o->report_email) : NULL;
	r->opts.report_email = r->report_email;
	r->phone = o->coordinator_phone ? xstrdup(o->coordinator_phone) : NULL;
	r->email = o->coordinator_email ? xstrdup(o->coordinator_email) : NULL;
	r->opts.coordinator_phone = r->phone;
	r->opts.coordinator_email = r->email;
	r->templates = t;
	remind_run(r, clock_now());
	return (rc);
}

/* The key PINs are hashed with (owned by the caller). */
void
remind_set_pin_key(struct remind *r, const struct pin_key *k)
{
	r->pin_key = k;
}

void
remind_free(struct remind *r)
{
	if (r == NULL)
		return;
	if (r->timer != NULL)
		event_free(r->timer);
	workday_free(r->cal);
	free(r->holidays);
	free(r->phone);
	free(r->email);
	free(r->report_email);
	free(r);
}
