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

/* 2026-11-23 09:00:00 UTC = 17:00 in China. */
#define NOW	1795424400

static const struct notify_alert alert = {
	.code = "DY4K7Q", .office = "寒冻所", .township = "寒冻镇",
	.township_code = "411724101", .village = "固城村", .kind = "假冒",
	.kind_code = "counterfeit", .product = "零食", .product_code = "snack",
	.brand = "康帅傅", .received_at = NOW, .text = "【食品安全举报】DY4K7Q",
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
	ok(strchr(s, '\n') == NULL && strstr(s, "\\u") != NULL,
	    "generic: one line, ASCII-safe");
	json_decref(o);
	free(s);

	s = notify_webhook_body(NOTIFY_WECOM, &alert);
	o = json_loads(s, 0, NULL);
	is_str(jstr(o, "msgtype"), "markdown", "wecom: markdown");
	ok(jstr(o, "markdown.content") != NULL &&
	    strstr(jstr(o, "markdown.content"), "寒冻镇固城村") != NULL,
	    "wecom: content names the place");
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
	ok(outbox_urgent("alert:DY4K7Q:1:sms:139") &&
	    outbox_urgent("remind:DY4K7Q:d1") &&
	    outbox_urgent("escalate:DY4K7Q:verify"), "office messages urgent");
	ok(!outbox_urgent("ack:DY4K7Q") && !outbox_urgent("howto:139"),
	    "reporter messages are not");
}

int
main(void)
{
	test_webhooks();
	test_email();
	test_retry();
	test_quiet();
	return (done_testing());
}
