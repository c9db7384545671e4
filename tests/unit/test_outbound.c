/*
 * What goes out and when (pure): the webhook formats (generic JSON,
 * WeCom, DingTalk) and the guess from a URL, the e-mail message, the
 * retry delays with jitter and their cap, quiet hours across midnight,
 * which messages are never held.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "tipgw/clock.h"
#include "tipgw/notify.h"
#include "tipgw/outbox.h"
#include "tipgw/outbox_state.h"
#include "tipgw/store.h"

/* 2026-11-23 09:00:00 UTC = 17:00 in China. */
#define NOW	1795424400

static const struct notify_alert alert = {
	.code = "DY4K7Q", .office = "寒冻所", .township = "寒冻镇",
	.township_code = "411724101", .village = "固城村", .kind = "假冒",
	.kind_code = "counterfeit", .product = "零食", .product_code = "snack",
	.brand = "康帅傅", .received_at = NOW, .shop = "小卖部",
	.words = "固城村东头小卖部卖康帅傅方便面",
	.summary = "【食品安全举报】DY4K7Q",
};

static const char *
jstr(json_t *o, const char *path)
{
	char	 buf[128], *p, *k;
	json_t	*v = o;

	snprintf(buf, sizeof buf, "%s", path);
	for (p = buf; v != NULL && (k = strsep(&p, ".")) != NULL; )
		v = json_object_get(v, k);
	return (json_is_string(v) ? json_string_value(v) : NULL);
}

static void
test_webhooks(void)
{
	enum notify_format	 f;
	json_t			*o;
	char			*s;

	ok(notify_format_guess("https://qyapi.weixin.qq.com/cgi-bin/webhook/"
	    "send?key=x") == NOTIFY_WECOM, "WeCom robot URL guessed");
	ok(notify_format_guess("https://oapi.dingtalk.com/robot/send?"
	    "access_token=x") == NOTIFY_DINGTALK, "DingTalk robot URL guessed");
	ok(notify_format_guess("https://county.example.org/tips") ==
	    NOTIFY_GENERIC, "anything else is generic");
	ok(notify_format_guess("http://qyapi.weixin.qq.com.evil.example/") ==
	    NOTIFY_GENERIC, "a look-alike host is not WeCom");
	ok(notify_format_parse("dingtalk", &f) == 0 && f == NOTIFY_DINGTALK,
	    "format names parse");
	ok(notify_format_parse("slack", &f) != 0, "unknown format refused");

	s = notify_webhook_body(NOTIFY_GENERIC, &alert);
	o = json_loads(s, 0, NULL);
	ok(o != NULL, "generic body is JSON");
	is_str(jstr(o, "event"), "tip.routed", "generic: event");
	is_str(jstr(o, "code"), "DY4K7Q", "generic: code");
	is_str(jstr(o, "township_code"), "411724101", "generic: township code");
	is_str(jstr(o, "kind_code"), "counterfeit", "generic: kind code");
	is_str(jstr(o, "product"), "零食", "generic: product in words");
	is_str(jstr(o, "received_at"), "2026-11-23T17:00:00+08:00",
	    "generic: China time");
	is_str(jstr(o, "text"), "固城村东头小卖部卖康帅傅方便面",
	    "generic: text is the villager's words, not the SMS alert");
	is_str(jstr(o, "alert"), "【食品安全举报】DY4K7Q", "generic: the SMS "
	    "alert as well");
	is_str(jstr(o, "shop"), "小卖部", "generic: the shop");
	ok(strchr(s, '\n') == NULL && strstr(s, "\\u") != NULL,
	    "generic: one line, ASCII-safe");
	json_decref(o);
	free(s);

	s = notify_webhook_body(NOTIFY_WECOM, &alert);
	o = json_loads(s, 0, NULL);
	is_str(jstr(o, "msgtype"), "markdown", "wecom: markdown");
	ok(jstr(o, "markdown.content") != NULL &&
	    strstr(jstr(o, "markdown.content"), "寒冻镇固城村小卖部") != NULL,
	    "wecom: content names the place and the shop");
	ok(jstr(o, "markdown.content") != NULL &&
	    strstr(jstr(o, "markdown.content"), "原话：固城村东头") != NULL,
	    "wecom: and the villager's words");
	json_decref(o);
	free(s);

	s = notify_webhook_body(NOTIFY_DINGTALK, &alert);
	o = json_loads(s, 0, NULL);
	is_str(jstr(o, "markdown.title"), "食品安全举报",
	    "dingtalk: title (the robot's keyword)");
	ok(jstr(o, "markdown.text") != NULL &&
	    strstr(jstr(o, "markdown.text"), "DY4K7Q") != NULL,
	    "dingtalk: text has the code");
	json_decref(o);
	free(s);

	/* Sent again after a crash: people can tell a copy. */
	{
		enum notify_format	 fmts[3] = { NOTIFY_GENERIC,
					    NOTIFY_WECOM, NOTIFY_DINGTALK };
		const char		*where[3] = { NULL, "markdown.content",
					    "markdown.text" };
		char			*body, *again;
		int			 k;

		for (k = 0; k < 3; k++) {
			body = notify_webhook_body(fmts[k], &alert);
			again = notify_mark_resent(body);
			o = json_loads(again, 0, NULL);
			if (k == 0)
				ok(o != NULL && json_is_true(json_object_get(o,
				    "resent")) && jstr(o, "code") != NULL,
				    "resent: generic says so, fields kept");
			else
				ok(jstr(o, where[k]) != NULL && strncmp(jstr(o,
				    where[k]), NOTIFY_RESENT_NOTE,
				    strlen(NOTIFY_RESENT_NOTE)) == 0 &&
				    strstr(jstr(o, where[k]), "DY4K7Q") != NULL,
				    "resent: robot %d's text starts with the "
				    "note", k);
			json_decref(o);
			free(body);
			free(again);
		}
		again = notify_mark_resent("not json");
		is_str(again, "not json", "resent: a body that is not JSON "
		    "goes as it is");
		free(again);
	}

	/* Bytes that are not UTF-8 (an office name in an older ledger). */
	{
		struct notify_alert	 bad = alert;
		enum notify_format	 fmts[3] = { NOTIFY_GENERIC,
					    NOTIFY_WECOM, NOTIFY_DINGTALK };
		int			 k;

		bad.office = "寒冻所\xff";
		bad.township = "寒\xc3";
		for (k = 0; k < 3; k++) {
			s = notify_webhook_body(fmts[k], &bad);
			o = json_loads(s, 0, NULL);
			ok(o != NULL && (k > 0 || (jstr(o, "office") != NULL &&
			    strstr(jstr(o, "office"), "寒冻所") != NULL)),
			    "not UTF-8: format %d still has every field", k);
			json_decref(o);
			free(s);
		}
	}
}

static void
test_email(void)
{
	char	*body, *msg;

	body = notify_email_body(&alert);
	ok(strncmp(body, "Subject: 食品安全举报 DY4K7Q：寒冻镇固城村\n\n",
	    strlen("Subject: 食品安全举报 DY4K7Q：寒冻镇固城村\n\n")) == 0,
	    "the outbox keeps subject and text");
	msg = notify_email_message("tipgw@example.org", "tz@example.org",
	    body, "alert:DY4K7Q:1:email", NOW);
	ok(strstr(msg, "From: tipgw@example.org\r\n") != NULL, "From");
	ok(strstr(msg, "To: tz@example.org\r\n") != NULL, "To");
	ok(strstr(msg, "Subject: =?UTF-8?B?") != NULL,
	    "subject as an encoded word");
	ok(strstr(msg, "Message-ID: <alert:DY4K7Q:1:email@tipgw>\r\n") !=
	    NULL, "the dedup key is the Message-ID");
	ok(strstr(msg, "Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n") != NULL,
	    "Date");
	ok(strstr(msg, "Content-Transfer-Encoding: base64\r\n\r\n") != NULL,
	    "body in base64");
	ok(strstr(msg, "康帅傅") == NULL, "no raw UTF-8 in the message");
	free(msg);
	msg = notify_email_message("a@b", "c@d", "no subject line", "k<@>",
	    NOW);
	ok(strstr(msg, "Subject: =?UTF-8?B?dGlwZ3c=?=") != NULL,
	    "without a subject: 'tipgw'");
	ok(strstr(msg, "Message-ID: <k...@tipgw>") != NULL,
	    "the Message-ID is made safe");
	free(msg);
	free(body);
}

static void
test_retry(void)
{
	struct outbox_options	 o;
	time_t			 d, lo = 1000000, hi = 0;
	unsigned int		 r;

	memset(&o, 0, sizeof o);
	o.retry_min = 60;
	o.retry_max = 3600;
	for (r = 0; r < 2000; r++) {
		d = outbox_retry_delay(&o, 1, r * 2654435761u);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	ok(lo >= 45 && hi <= 75, "first retry 60 s give or take a quarter "
	    "(%lld..%lld)", (long long)lo, (long long)hi);
	ok(hi - lo >= 20, "and spread out (%lld..%lld)", (long long)lo,
	    (long long)hi);
	is_int(outbox_retry_delay(&o, 3, 60), 240, "doubles per attempt "
	    "(middle of the spread)");
	ok(outbox_retry_delay(&o, 30, 0) >= 2700 &&
	    outbox_retry_delay(&o, 30, ~0u) <= 4500, "capped at retry_max");
	o.retry_min = o.retry_max = 1;
	is_int(outbox_retry_delay(&o, 5, 12345), 1, "never below a second");
}

static void
test_quiet(void)
{
	struct outbox_options	 o;
	time_t			 at2230 = NOW + 5 * 3600 + 1800;

	memset(&o, 0, sizeof o);
	o.quiet_from = 22 * 60;
	o.quiet_to = 7 * 60;
	is_int(outbox_quiet_until(&o, NOW), 0, "17:00 is not quiet");
	is_int(outbox_quiet_until(&o, at2230), NOW + 14 * 3600,
	    "22:30 waits until 07:00");
	is_int(outbox_quiet_until(&o, NOW + 12 * 3600 + 59), NOW + 14 * 3600,
	    "05:00:59 waits until 07:00");
	is_int(outbox_quiet_until(&o, NOW + 14 * 3600), 0, "07:00 is not");
	o.quiet_from = 12 * 60;
	o.quiet_to = 14 * 60;
	is_int(outbox_quiet_until(&o, NOW - 4 * 3600), NOW - 3 * 3600,
	    "a midday quiet time: 13:00 waits until 14:00");
	o.quiet_from = o.quiet_to = 0;
	is_int(outbox_quiet_until(&o, at2230), 0, "none: never quiet");
	is_int(clock_china_midnight(NOW), NOW + 7 * 3600,
	    "next midnight in China");
	ok(outbox_intent_urgent(OUTBOX_ALERT) &&
	    outbox_intent_urgent(OUTBOX_REMIND) &&
	    outbox_intent_urgent(OUTBOX_ESCALATE) &&
	    outbox_intent_urgent(OUTBOX_NOTICE), "office and coordinator "
	    "messages are urgent");
	ok(!outbox_intent_urgent(OUTBOX_ACK) &&
	    !outbox_intent_urgent(OUTBOX_HOWTO) &&
	    !outbox_intent_urgent(OUTBOX_QUESTION), "reporter messages are not");
}

/* Every (state x event) pair of the outbox table, against this matrix. */
static void
test_outbox_table(void)
{
#define Q	OUTBOX_QUEUED
#define S	OUTBOX_SENDING
#define T	OUTBOX_SENT
#define F	OUTBOX_FAILED
#define D	OUTBOX_DEAD
#define X	(-1)
	static const int expect[OUTBOX_NSTATES][OUTBOX_NEVENTS] = {
		/* take sent fail give hold cncl stop rsnd retry */
		[Q] = { S, X, X, X, X, X, X, X, X },
		[S] = { X, T, F, D, Q, D, Q, Q, X },
		[T] = { X, X, X, X, X, X, X, X, X },
		[F] = { S, X, X, X, X, X, X, X, Q },
		[D] = { X, X, X, X, X, X, X, X, Q },
	};
	const struct outbox_transition	*t;
	int				 s, e;

	for (s = 0; s < OUTBOX_NSTATES; s++) {
		for (e = 0; e < OUTBOX_NEVENTS; e++) {
			t = outbox_next((enum outbox_state)s,
			    (enum outbox_event)e);
			is_int(t != NULL ? (int)t->to : X, expect[s][e],
			    "outbox %s + %s",
			    outbox_state_name((enum outbox_state)s),
			    outbox_event_name((enum outbox_event)e));
		}
	}
	t = outbox_next(S, OUTBOX_EV_HOLD);
	ok(t != NULL && (t->actions & OUTBOX_DO_UNCOUNT), "a hold is not an "
	    "attempt");
	t = outbox_next(S, OUTBOX_EV_GIVE_UP);
	ok(t != NULL && (t->actions & OUTBOX_DO_AUDIT), "a dead letter is "
	    "audited");
#undef Q
#undef S
#undef T
#undef F
#undef D
#undef X
}

/* The policy: prior situation x row -> send, hold or cancel. */
static void
test_decide(void)
{
	static const struct {
		const char		*what;
		const char		*channel;
		enum outbox_intent	 intent;
		int			 age;		/* seconds */
		int			 opted_out;
		int			 budget;	/* 1: all, 2: reporters' */
		int			 night;		/* 23:00 */
		enum outbox_decision	 expect;
	} cases[] = {
		{ "a fresh ack", "sms", OUTBOX_ACK, 5, 0, 0, 0, OUTBOX_SEND },
		{ "a fresh ack at night", "sms", OUTBOX_ACK, 5, 0, 0, 1,
		    OUTBOX_SEND },
		{ "an old ack at night", "sms", OUTBOX_ACK, 3600, 0, 0, 1,
		    OUTBOX_HOLD },
		{ "an old ack by day", "sms", OUTBOX_ACK, 3600, 0, 0, 0,
		    OUTBOX_SEND },
		{ "an alert at night", "sms", OUTBOX_ALERT, 3600, 0, 0, 1,
		    OUTBOX_SEND },
		{ "a notice over budget", "sms", OUTBOX_NOTICE, 5, 0, 1, 0,
		    OUTBOX_SEND },
		{ "an ack, the budget used by office traffic", "sms",
		    OUTBOX_ACK, 5, 0, 1, 0, OUTBOX_SEND },
		{ "an ack, the budget used by reporters' SMS", "sms",
		    OUTBOX_ACK, 5, 0, 2, 0, OUTBOX_HOLD },
		{ "a reply, the budget used by office traffic", "sms",
		    OUTBOX_REPLY, 5, 0, 1, 0, OUTBOX_HOLD },
		{ "opted out since", "sms", OUTBOX_REPLY, 5, 1, 1, 1,
		    OUTBOX_CANCEL },
		{ "a webhook at night", "webhook", OUTBOX_ALERT, 3600, 0, 1, 1,
		    OUTBOX_SEND },
		{ "a reminder at night", "sms", OUTBOX_REMIND, 3600, 0, 0, 1,
		    OUTBOX_SEND },
		{ "a how-to at night", "sms", OUTBOX_HOWTO, 3600, 0, 0, 1,
		    OUTBOX_HOLD },
	};
	struct outbox_options		 o;
	struct outbox_budget		 budget;
	struct store_outbox_item	 row;
	const char			*why;
	time_t				 until, now;
	size_t				 i;

	memset(&o, 0, sizeof o);
	o.quiet_from = 22 * 60;
	o.quiet_to = 7 * 60;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		now = cases[i].night ? NOW + 6 * 3600 : NOW;
		memset(&row, 0, sizeof row);
		row.channel = (char *)cases[i].channel;
		row.intent = cases[i].intent;
		row.created_at = now - cases[i].age;
		row.opted_out = cases[i].opted_out;
		budget.all_until = cases[i].budget ? now + 60 : 0;
		budget.reporters_until = cases[i].budget == 2 ? now + 60 : 0;
		is_int(outbox_decide(&o, &row, &budget, now, &until, &why),
		    cases[i].expect, "%s", cases[i].what);
		if (cases[i].expect == OUTBOX_HOLD)
			ok(until > now && why != NULL, "%s: held until a "
			    "time, with a reason", cases[i].what);
	}
}

int
main(void)
{
	test_webhooks();
	test_email();
	test_retry();
	test_quiet();
	test_outbox_table();
	test_decide();
	return (done_testing());
}
