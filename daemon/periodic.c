/*
 * Periodic work (periodic.h), and the one place a report's figures are
 * collected from the ledger (tipgwctl report, and the quarter's e-mail).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/outbox_state.h"
#include "tipgw/periodic.h"
#include "tipgw/report.h"
#include "tipgw/reward_state.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"

struct collect {
	struct report			*r;
	const struct workday_cal	*cal;
	int				 ack_days;
};

static int
collect_cb(const struct store_report_tip *s, void *arg)
{
	struct collect		*c = arg;
	struct report_tip	 t;
	enum reward_state	 rs = REWARD_NEW;
	long			 due;

	memset(&t, 0, sizeof t);
	t.township_code = s->township_code;
	t.township = s->township;
	t.kind = s->kind;
	t.product = s->product;
	t.routed = s->routed;
	if (s->acked_at != 0) {
		due = workday_add(c->cal, clock_china_day(s->received_at),
		    c->ack_days, NULL, 0);
		t.acked_in_time = due < 0 ||
		    clock_china_day(s->acked_at) <= due;
	}
	t.case_id = s->case_id;
	t.verified = s->verified;
	t.penalty = s->penalty;
	t.confiscated = s->confiscated;
	t.referred = s->referred;
	if (s->reward_state != NULL)
		(void)reward_state_parse(s->reward_state, &rs);
	t.rewards_approved = rs == REWARD_APPROVED || rs == REWARD_NOTIFIED ||
	    rs == REWARD_CLAIMED || rs == REWARD_PAID;
	t.reward_approved = t.rewards_approved ? s->reward_amount : 0;
	t.rewards_paid = rs == REWARD_PAID;
	t.reward_paid = t.rewards_paid ? s->reward_amount : 0;
	report_add(c->r, &t);
	return (0);
}

/* The figures of r's period (report_init'ed) from the ledger's tips. */
int
report_collect(struct store *st, const struct workday_cal *cal, int ack_days,
    struct report *r, char **cause)
{
	struct collect	 c = { r, cal, ack_days };

	return (store_report_tips(st, clock_china_day_start(r->period.start),
	    clock_china_day_start(r->period.end), collect_cb, &c, cause));
}

struct expire {
	long long	*ids;
	size_t		 n;
	const struct workday_cal *cal;
	long		 today;
};

static int
expire_cb(const struct store_reward *r, void *arg)
{
	struct expire	*e = arg;
	long		 due;

	/* A notified reward changes only when claimed: updated_at is when
	 * its reporter was told. */
	due = workday_add(e->cal, clock_china_day(r->updated_at),
	    r->claim_days > 0 ? (int)r->claim_days : 30, NULL, 0);
	if (due >= 0 && e->today > due) {
		e->ids = xreallocarray(e->ids, e->n + 1, sizeof *e->ids);
		e->ids[e->n++] = r->id;
	}
	return (0);
}

/* Rewards notified and not claimed within their claim period expire. */
static int
periodic_expire(struct store *st, const struct workday_cal *cal, time_t now,
    int *expired, char **cause)
{
	struct store_reward_change	 ch;
	struct expire			 e;
	size_t				 i;
	int				 rc = 0;

	memset(&e, 0, sizeof e);
	e.cal = cal;
	e.today = clock_china_day(now);
	if (store_rewards_foreach(st, reward_state_name(REWARD_NOTIFIED), 0,
	    0, expire_cb, &e, cause) != 0)
		return (-1);
	for (i = 0; i < e.n && rc >= 0; i++) {
		memset(&ch, 0, sizeof ch);
		ch.id = e.ids[i];
		ch.from = REWARD_NOTIFIED;
		ch.event = REWARD_EV_EXPIRE;
		ch.level = ch.amount = ch.claim_days = -1;
		ch.note = "not claimed within the claim period";
		ch.at = now;
		ch.actor = "tipgwd";
		/* 1: claimed meanwhile, as it should be; nothing to do. */
		if ((rc = store_reward_change(st, &ch, cause)) == 0)
			(*expired)++;
		else if (rc > 0) {
			free(*cause);
			*cause = NULL;
		}
	}
	free(e.ids);
	return (rc < 0 ? -1 : 0);
}

/*
 * The quarter's report, e-mailed to each address once, from the given
 * number of days before the 25th of the quarter's last month to the 25th
 * (a county files it by then).
 */
static int
periodic_report(struct store *st, const struct workday_cal *cal,
    const struct periodic_options *o, time_t now, int *mailed, char **cause)
{
	struct report_period	 p;
	struct report		 r;
	char			 quarter[16], key[160], *csv, *body, *list;
	char			*rest, *to;
	int			 y, m, d, rc = 0;
	long long		 id;

	if (o->report_email == NULL || *o->report_email == '\0')
		return (0);
	workday_ymd(clock_china_day(now), &y, &m, &d);
	if (m % 3 != 0 || d > 25 || d < 25 - (int)o->report_days_before)
		return (0);
	snprintf(quarter, sizeof quarter, "%04dQ%d", y, m / 3);
	if (strcmp(o->reported, quarter) == 0 ||
	    report_period_parse("quarterly", quarter, &p) != 0)
		return (0);	/* queued (or found queued) this run already */
	report_init(&r, &p);
	if (report_collect(st, cal, o->ack_days, &r, cause) != 0) {
		report_free(&r);
		return (-1);
	}
	csv = report_csv(&r);
	report_free(&r);
	/* The CSV's BOM is for a file; the mail's text starts after it. */
	xasprintf(&body, "Subject: 食品安全举报季度报表 %s\n\n"
	    "%s 各乡镇举报受理、查处和奖励情况（截至%04d-%02d-%02d），"
	    "CSV格式，可存为 .csv 文件用Excel打开：\n\n%s", quarter, quarter,
	    y, m, d, strncmp(csv, "\xef\xbb\xbf", 3) == 0 ? csv + 3 : csv);
	free(csv);
	list = rest = xstrdup(o->report_email);
	while (rc == 0 && (to = strsep(&rest, " ,")) != NULL) {
		if (*to == '\0')
			continue;
		snprintf(key, sizeof key, "report:%s:%s", quarter, to);
		{
			struct store_outbox_new	 n;

			memset(&n, 0, sizeof n);
			n.dedup_key = key;
			n.intent = OUTBOX_REPORT;
			n.channel = "email";
			n.destination = to;
			n.body = body;
			n.at = now;
			id = 0;
			rc = store_outbox_queue(st, &n, &id, cause);
			if (rc == 0 && id != 0)
				(*mailed)++;
		}
	}
	free(list);
	free(body);
	if (rc == 0)	/* queued now, or before: once a quarter and address */
		snprintf(o->reported, 16, "%s", quarter);
	return (rc);
}

int
periodic_run(struct store *st, const struct workday_cal *cal,
    const struct periodic_options *o, time_t now, int *proposed,
    int *expired, int *mailed, char **cause)
{
	int	 joined = 0;

	*proposed = *expired = *mailed = 0;
	if (o->case_window > 0 && store_case_propose(st, o->case_window, now,
	    "tipgwd", proposed, &joined, cause) != 0)
		return (-1);
	*proposed += joined;
	if (periodic_expire(st, cal, now, expired, cause) != 0)
		return (-1);
	return (periodic_report(st, cal, o, now, mailed, cause));
}
