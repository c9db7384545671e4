/*
 * Alerts rendered: what an office and the coordinator are told, under
 * which keys, through which channels, with the villager's words and never
 * a phone number; with the shipped templates (contrib/templates.txt).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "tipgw/alert.h"
#include "tipgw/template.h"

/* 2026-11-23 09:00:00 UTC = 17:00 in China. */
#define NOW	1795424400

static struct templates	*t;
static int		 n_global;

static const struct alert_view routed = {
	.id = 7, .reason = "route", .code = "DY4K7Q", .tip_id = 3,
	.township = "寒冻镇", .township_code = "411724101",
	.village = "固城村民委员会", .kind = "expired", .product = "dairy",
	.shop = "小卖部", .text = "寒冻镇固城村东头小卖部卖过期奶粉，"
	"我电话13912345678", .received_at = NOW,
};

static const struct alert_owner office = {
	.office_id = 1, .name = "寒冻所",
	.phones = { "13800000999", "13800000998" }, .nphones = 2,
	.webhook_url = "https://county.example.org/tips",
	.email = "hd@example.org",
};

static const struct alert_owner coordinator = {
	.office_id = 0, .name = "coordinator",
	.phones = { "+8613700000000" }, .nphones = 1,
};

static const struct alert_msg *
find(const struct alert_msg *m, int n, const char *channel)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(m[i].channel, channel) == 0)
			return (&m[i]);
	}
	return (NULL);
}

static void
test_office(void)
{
	struct alert_msg	 m[ALERT_MAX_MESSAGES];
	const struct alert_msg	*x;
	json_t			*o;
	int			 n, i, leaked = 0;

	ok(alert_render(&routed, &office, t, m, &n) == 0 && n == 4,
	    "a routed tip: two duty phones, the webhook, the e-mail");
	is_str(m[0].key, "alert:DY4K7Q:1:sms:13800000999", "the first SMS key "
	    "names the tip, the office and the phone");
	ok(m[0].intent == OUTBOX_ALERT, "an alert, for the outbox");
	ok(strstr(m[0].body, "寒冻镇固城村小卖部") != NULL, "the SMS names the "
	    "township, the short village and the shop");
	ok(strstr(m[0].body, "过期乳品") != NULL, "the kind and product in "
	    "words");
	ok(strstr(m[0].body, "原话：“寒冻镇固城村东头小卖部卖过期奶粉") != NULL,
	    "and the villager's words");
	for (i = 0; i < n; i++)
		leaked += strstr(m[i].body, "13912345678") != NULL;
	is_int(leaked, 0, "a number typed into the tip reaches no message");
	ok(strstr(m[0].body, "139******78") != NULL, "it is masked");
	x = find(m, n, "webhook");
	o = x != NULL ? json_loads(x->body, 0, NULL) : NULL;
	ok(o != NULL && strcmp(json_string_value(json_object_get(o,
	    "event")), "tip.routed") == 0, "the webhook: tip.routed");
	ok(o != NULL && strstr(json_string_value(json_object_get(o, "text")),
	    "卖过期奶粉") != NULL, "its text: the villager's words");
	is_str(x != NULL ? x->key : NULL, "alert:DY4K7Q:1:webhook",
	    "the webhook's key");
	json_decref(o);
	x = find(m, n, "email");
	ok(x != NULL && strncmp(x->body, "Subject: 食品安全举报 DY4K7Q", 33) ==
	    0, "the e-mail's subject");
	alert_msgs_free(m, n);
}

static void
test_update(void)
{
	struct alert_view	 a = routed;
	struct alert_msg	 m[ALERT_MAX_MESSAGES];

	a.reason = "merge";
	a.id = 9;
	a.kind = "counterfeit";
	a.product = "liquor";
	a.text = "寒冻镇固城村小卖部卖过期奶粉\n那个小卖部还卖假酒";
	ok(alert_render(&a, &office, t, m, &n_global) == 0, "new facts "
	    "rendered");
	ok(strstr(m[0].body, "举报更新") != NULL, "the office sees it is an "
	    "update, not a new tip");
	ok(strstr(m[0].body, "那个小卖部还卖假酒") != NULL &&
	    strstr(m[0].body, "过期奶粉") == NULL, "with the new words only");
	is_str(m[0].key, "alert:DY4K7Q:1:sms:13800000999:merge:9",
	    "a key of its own");
	alert_msgs_free(m, n_global);
}

static void
test_coordinator(void)
{
	struct alert_view	 a = routed;
	struct alert_msg	 m[ALERT_MAX_MESSAGES];
	struct alert_owner	 nobody;
	int			 n;

	a.reason = "office_return";
	a.detail = "不归本所管";
	ok(alert_render(&a, &coordinator, t, m, &n) == 0 && n == 1,
	    "returned: the coordinator's phone");
	ok(m[0].intent == OUTBOX_NOTICE, "a notice");
	ok(strstr(m[0].body, "乡镇退回：不归本所管") != NULL, "says why, with "
	    "the office's reason");
	ok(strstr(m[0].body, "tipgwctl tip route DY4K7Q") != NULL, "and how "
	    "to route it");
	is_str(m[0].key, "notice:DY4K7Q:office_return:7:sms",
	    "the notice's key");
	alert_msgs_free(m, n);
	a.detail = "举报人13912345678说不在本镇";
	ok(alert_render(&a, &coordinator, t, m, &n) == 0 && n == 1 &&
	    strstr(m[0].body, "13912345678") == NULL &&
	    strstr(m[0].body, "139******78") != NULL, "a number in a "
	    "person's reason is masked");
	alert_msgs_free(m, n);
	a.detail = "不归本所管";
	a.reason = "give_up";
	a.township = a.township_code = a.village = NULL;
	ok(alert_render(&a, &coordinator, t, m, &n) == 0 && n == 1 &&
	    strstr(m[0].body, "地点无法确定") != NULL &&
	    strstr(m[0].body, "乡镇未定") != NULL, "unplaced: no township");
	alert_msgs_free(m, n);
	a.code = NULL;		/* kept with no understanding: no code */
	a.tip_id = 12;
	a.reason = "keep";
	ok(alert_render(&a, &coordinator, t, m, &n) == 0 && n == 1 &&
	    strstr(m[0].body, "ID12") != NULL, "a tip with no code: named by "
	    "its id");
	is_str(n == 1 ? m[0].key : NULL, "notice:ID12:keep:7:sms",
	    "and keyed by it");
	alert_msgs_free(m, n);
	memset(&nobody, 0, sizeof nobody);
	nobody.office_id = 1;
	ok(alert_render(&routed, &nobody, t, m, &n) == 0 && n == 0,
	    "an office with no channel: no message (the outbox then tells "
	    "the coordinator)");
}

static void
test_fault(void)
{
	struct alert_view	 a;
	struct alert_msg	 m[ALERT_MAX_MESSAGES];
	struct alert_owner	 o = coordinator;
	json_t			*j;
	int			 n;

	memset(&a, 0, sizeof a);
	a.id = 11;
	a.reason = "dead_letter";
	a.key = "dead_letter:2026112317";
	a.detail = "outbox=5 sms 已放弃";
	o.webhook_url = "https://oapi.dingtalk.com/robot/send?access_token=x";
	ok(alert_render(&a, &o, t, m, &n) == 0 && n == 2, "a fault: the "
	    "coordinator's phone and webhook");
	is_str(m[0].key, "notice:dead_letter:2026112317:sms:+8613700000000",
	    "keyed by cause and hour");
	ok(strstr(m[0].body, "多次发送失败") != NULL, "says what happened");
	j = json_loads(m[1].body, 0, NULL);
	ok(j != NULL && strstr(json_string_value(json_object_get(
	    json_object_get(j, "markdown"), "title")), "食品安全举报") != NULL,
	    "the robot's keyword");
	json_decref(j);
	alert_msgs_free(m, n);
}

/* The villager's words as the office sees them: numbers masked. */
static const struct {
	const char	*in, *out, *what;
} masks[] = {
	{ "电话１３９１２３４５６７８，店在村口", "电话１３９******７８，店在村口",
	    "full-width digits masked too" },
	{ "2025年3月5日生产", "2025年3月5日生产", "dates are not numbers to hide" },
	{ "电话138 0013 8000找老板", "电话138 **** **00找老板",
	    "spaced mobile masked" },
	{ "座机0396-1234567", "座机039*-*****67", "landline with a dash masked" },
	{ "(0396)1234567", "(039*)*****67", "area code in parentheses masked" },
	{ "138-0013-8000，139.1234.5678", "138-****-**00，139.****.**78",
	    "dashes and dots masked" },
	{ "１３８　００１３　８０００", "１３８　****　**００",
	    "full-width spaced mobile masked" },
	{ "１３８－００１３－８０００", "１３８－****－**００",
	    "full-width dashes masked" },
	{ "2025-03-05生产，2025.3.5到期", "2025-03-05生产，2025.3.5到期",
	    "dotted and dashed dates kept" },
	{ "卖12.5元，3 2 1", "卖12.5元，3 2 1", "short numbers kept" },
	{ "号码 13800138000 ", "号码 138******00 ", "spaces around a number kept" },
};

static void
test_words(void)
{
	char	*w;
	size_t	 i;

	w = alert_words("第一行\n第二行", 1);
	is_str(w, "第二行", "the last line of new facts");
	free(w);
	for (i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		w = alert_words(masks[i].in, 0);
		is_str(w, masks[i].out, "%s", masks[i].what);
		free(w);
	}
	w = alert_words("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二", 0);
	ok(strstr(w, "…") != NULL && strlen(w) <= 60 * 3 + 3, "at most 60 "
	    "characters, then …");
	free(w);
}

int
main(void)
{
	char		*cause = NULL, *path;
	const char	*top = getenv("top_srcdir");

	if (asprintf(&path, "%s/contrib/templates.txt", top ? top : ".") < 0)
		return (1);
	if ((t = templates_load(path, NULL, &cause)) == NULL) {
		printf("Bail out! %s\n", cause);
		return (1);
	}
	test_office();
	test_update();
	test_coordinator();
	test_fault();
	test_words();
	templates_free(t);
	free(path);
	return (done_testing());
}
