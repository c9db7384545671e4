/*
 * The conversation plan, table-driven: the reporter's prior tip (its
 * state and facts) x the message x the counters read for it -> what
 * becomes of the message, the tip event (and the state it is read in),
 * and the replies with their intents. On the demo county (contrib/demo)
 * with the shipped lexicon and templates; no ledger.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tipgw/converse.h"
#include "tipgw/division.h"
#include "tipgw/gazetteer.h"
#include "tipgw/pin.h"
#include "tipgw/store.h"
#include "tipgw/template.h"
#include "tipgw/tip_state.h"
#include "tipgw/understand.h"

/* The case table leaves out what a case does not need (zero, NULL). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* 2026-11-23 09:00:00 UTC = 17:00 in China. */
#define NOW	1795424400
#define NONE	(-1)		/* no prior tip; no tip event */
#define HANDONG	"411724101"	/* 寒冻镇: has an office */
#define LANQING	"411724214"	/* 兰青乡: has none */
#define OFFICE	7LL

static struct understand	 u;
static const struct pin_key	 key = { { 7, 7, 7 } };
static struct templates		*t;

struct prior {
	int		 state;		/* NONE: the reporter has no tip */
	const char	*text;
	const char	*township;
	const char	*village;
	const char	*kind;
	const char	*product;
	int		 questions;
	int		 age;		/* seconds since its last message */
	int		 opted_out;
	const char	*candidates;	/* the townships a question offered */
};

struct counters {
	int		 tips_hour;
	int		 floods_hour;
	int		 wrong_queries;
	int		 replies_today;
	int		 duty_phone;	/* the sender is OFFICE's */
	int		 named_state;	/* NONE: no tip by that code */
	long long	 named_office;
};

struct expect {
	const char	*disposition;
	int		 event;		/* NONE: no tip moves */
	int		 from;
	int		 nreplies;
	int		 intent;	/* of the first reply */
	const char	*says;		/* in the first reply */
	const char	*reason;
	int		 naudit;
};

static const struct {
	const char	*what;
	struct prior	 prior;
	struct counters	 n;
	const char	*text;
	struct expect	 want;
} cases[] = {
	{ "a new tip with a township that has an office",
	    { NONE }, { 0 }, "寒冻镇固城村小卖部卖过期牛奶",
	    { "tip", TIP_EV_ROUTE, TIP_NEW, 1, OUTBOX_ACK, "已转寒冻镇处理" } },
	{ "a new tip for a township without an office",
	    { NONE }, { 0 }, "兰青乡胡冲村小卖部卖假酒",
	    { "tip", TIP_EV_NO_OFFICE, TIP_NEW, 1, OUTBOX_ACK, "工作人员将核实" } },
	{ "a new tip with no place: asked where",
	    { NONE }, { 0 }, "有人卖假酒 喝了头疼",
	    { "tip", TIP_EV_ASK, TIP_NEW, 1, OUTBOX_QUESTION, "哪个乡镇" } },
	{ "the answer places it",
	    { TIP_AWAITING_REPLY, "有人卖假酒", NULL, NULL, "counterfeit",
	    "liquor", 1, 60 }, { 0 }, "寒冻镇固城村的",
	    { "tip", TIP_EV_ROUTE, TIP_AWAITING_REPLY, 1, OUTBOX_ACK,
	    "已转寒冻镇" } },
	{ "a choice question answered by its number",
	    { TIP_AWAITING_REPLY, "陈庄村口卖散酒的 用酒精兑的", NULL, NULL,
	    "adulterated", "liquor", 1, 60, 0, "411724001 411724108" }, { 0 },
	    "2", { "tip", TIP_EV_NO_OFFICE, TIP_AWAITING_REPLY, 1, OUTBOX_ACK,
	    "工作人员将核实" } },
	{ "a number out of the choices is no answer",
	    { TIP_AWAITING_REPLY, "陈庄村口卖散酒的 用酒精兑的", NULL, NULL,
	    "adulterated", "liquor", 1, 60, 0, "411724001 411724108" }, { 0 },
	    "3", { "tip", TIP_EV_ASK, TIP_AWAITING_REPLY, 1, OUTBOX_QUESTION } },
	{ "a whole new tip while a question is open is a new tip",
	    { TIP_AWAITING_REPLY, "有人卖假酒", NULL, NULL, "counterfeit",
	    "liquor", 1, 60 }, { 0 }, "寒冻镇固城村超市卖过期奶粉",
	    { "tip", TIP_EV_ROUTE, TIP_NEW, 1, OUTBOX_ACK, "已转寒冻镇" } },
	{ "the same problem with its place is the answer",
	    { TIP_AWAITING_REPLY, "有人卖假酒", NULL, NULL, "counterfeit",
	    "liquor", 1, 60 }, { 0 }, "寒冻镇固城村超市卖假酒",
	    { "tip", TIP_EV_ROUTE, TIP_AWAITING_REPLY, 1, OUTBOX_ACK } },
	{ "an answer that does not help: asked again",
	    { TIP_AWAITING_REPLY, "有人卖假酒", NULL, NULL, "counterfeit",
	    "liquor", 1, 60 }, { 0 }, "就在村口",
	    { "tip", TIP_EV_ASK, TIP_AWAITING_REPLY, 1, OUTBOX_QUESTION } },
	{ "after two questions: the coordinator",
	    { TIP_AWAITING_REPLY, "有人卖假酒", NULL, NULL, "counterfeit",
	    "liquor", 2, 60 }, { 0 }, "不知道",
	    { "tip", TIP_EV_GIVE_UP, TIP_AWAITING_REPLY, 1, OUTBOX_ACK,
	    "工作人员将核实" } },
	{ "the same tip again: a repeat",
	    { TIP_ROUTED, "寒冻镇固城村小卖部卖过期牛奶", HANDONG,
	    "411724101202", "expired", "dairy", 0, 3600 }, { 0 },
	    "固城村小卖部在卖过期牛奶，寒冻镇的",
	    { "repeat", NONE, 0, 1, OUTBOX_REPLY, "无需重复", "repeat" } },
	{ "new facts on the same target: merged",
	    { TIP_ACKNOWLEDGED, "寒冻镇固城村小卖部卖过期牛奶", HANDONG,
	    "411724101202", "expired", "dairy", 0, 3600 }, { 0 },
	    "寒冻镇固城村那个小卖部还卖假酒",
	    { "tip", TIP_EV_MERGE, TIP_ACKNOWLEDGED, 1, OUTBOX_REPLY, NULL,
	    "merged" } },
	{ "a closed tip's target again: a new tip",
	    { TIP_CLOSED, "寒冻镇固城村小卖部卖过期牛奶", HANDONG,
	    "411724101202", "expired", "dairy", 0, 3600 }, { 0 },
	    "寒冻镇固城村小卖部卖过期牛奶",
	    { "tip", TIP_EV_ROUTE, TIP_NEW, 1, OUTBOX_ACK } },
	{ "the hourly limit: a flood, kept, noted once",
	    { NONE }, { 20, 0 }, "铜钟镇小卖部卖三无辣条",
	    { "flood", NONE, 0, 0, 0, NULL, NULL, 1 } },
	{ "a flood already noted this hour",
	    { NONE }, { 25, 3 }, "铜钟镇小卖部卖三无辣条",
	    { "flood", NONE, 0, 0, 0, NULL, NULL, 0 } },
	{ "a flooding number's repeat is still a repeat",
	    { TIP_ROUTED, "寒冻镇固城村小卖部卖过期牛奶", HANDONG,
	    "411724101202", "expired", "dairy", 0, 60 }, { 20, 0 },
	    "寒冻镇固城村小卖部卖过期牛奶",
	    { "repeat", NONE, 0, 1, OUTBOX_REPLY } },
	{ "help", { NONE }, { 0 }, "帮助",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "查进度", "help" } },
	{ "opt-out", { NONE }, { 0 }, "退订",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "已退订", "optout" } },
	{ "an opted-out reporter's tip: taken, not answered",
	    { TIP_CLOSED, "x", NULL, NULL, NULL, NULL, 0, 86400 * 200, 1 },
	    { 0 }, "寒冻镇小卖部卖过期面包",
	    { "tip", TIP_EV_ROUTE, TIP_NEW, 0 } },
	{ "the daily reply limit: held back, noted",
	    { NONE }, { 0, 0, 0, 10 }, "寒冻镇小卖部卖过期面包",
	    { "tip", TIP_EV_ROUTE, TIP_NEW, 0, 0, NULL, NULL, 1 } },
	{ "收到 from the tip's office",
	    { NONE }, { 0, 0, 0, 0, 1, TIP_ROUTED, OFFICE }, "收到 AB2C3D",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "乡镇已受理", "office_ack" } },
	{ "收到 after 办结: refused politely",
	    { NONE }, { 0, 0, 0, 0, 1, TIP_CLOSED, OFFICE }, "收到 AB2C3D",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "已办结，本条回复未作变更",
	    "office_refused" } },
	{ "收到 after 立案: refused politely",
	    { NONE }, { 0, 0, 0, 0, 1, TIP_FILED, OFFICE }, "收到 AB2C3D",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "已立案调查",
	    "office_refused" } },
	{ "退回 from another office: the help",
	    { NONE }, { 0, 0, 0, 0, 1, TIP_ROUTED, 99 }, "退回 AB2C3D 不归我们",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "回复格式" } },
	{ "收到 from a villager: nothing",
	    { NONE }, { 0, 0, 0, 0, 0, TIP_ROUTED, OFFICE }, "收到 AB2C3D",
	    { "command", NONE, 0, 0 } },
	{ "a status query with the right PIN",
	    { NONE }, { 0, 0, 0, 0, 0, TIP_ROUTED, OFFICE },
	    "查询 AB2C3D 1234",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "已转乡镇处理", "query" } },
	{ "查询 without spaces",
	    { NONE }, { 0, 0, 0, 0, 0, TIP_ROUTED, OFFICE },
	    "查询AB2C3D1234",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "已转乡镇处理", "query" } },
	{ "opt back in, after opting out",
	    { TIP_CLOSED, "x", NULL, NULL, NULL, NULL, 0, 86400, 1 }, { 0 },
	    "订阅", { "command", NONE, 0, 1, OUTBOX_REPLY, "已恢复", "optin" } },
	{ "取消退订 is opting in, not out",
	    { NONE }, { 0 }, "取消退订",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "已恢复", "optin" } },
	{ "a status query with a wrong PIN",
	    { NONE }, { 0, 0, 0, 0, 0, TIP_ROUTED, OFFICE },
	    "查询 AB2C3D 1235",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "未找到", "query_wrong" } },
	{ "a status query for no tip",
	    { NONE }, { 0 }, "查询 ZZ9Z9Z 1234",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "未找到", "query_wrong" } },
	{ "a status query, too many wrong ones before",
	    { NONE }, { 0, 0, 5, 0, 0, TIP_ROUTED, OFFICE },
	    "查询 AB2C3D 1234",
	    { "command", NONE, 0, 1, OUTBOX_REPLY, "查询次数过多",
	    "query_locked" } },
	{ "then silence",
	    { NONE }, { 0, 0, 6, 0, 0, TIP_ROUTED, OFFICE },
	    "查询 AB2C3D 1234", { "command", NONE, 0, 0, 0, NULL,
	    "query_locked" } },
	{ "a question about rewards: answered",
	    { NONE }, { 0 }, "举报有奖励吗",
	    { "nontip", NONE, 0, 1, OUTBOX_REPLY, "领奖 编号 查询码",
	    "reward" } },
	{ "not about food: where to turn",
	    { NONE }, { 0 }, "村里小卖部卖假烟",
	    { "nontip", NONE, 0, 1, OUTBOX_REPLY, "12315", "nonfood" } },
	{ "a greeting: recorded, never answered",
	    { NONE }, { 0 }, "你好", { "nontip", NONE, 0, 0, 0, NULL,
	    "greeting" } },
};

/* The plan's office reply, if any, as an event. */
static int
office_event(const struct converse *c)
{
	return (c->su.office_tip != 0 ? (int)c->su.office_event : NONE);
}

static void
run(size_t i)
{
	struct store_intake_ctx	 ctx;
	struct understand_result r;
	struct understand_prior	 up;
	struct converse_in	 in;
	struct converse		 c;
	const struct prior	*p = &cases[i].prior;
	const struct counters	*n = &cases[i].n;
	const struct expect	*w = &cases[i].want;
	char			*norm = NULL, handong[] = HANDONG;
	char			*offices[1] = { handong };
	char			 code[] = "AB2C3D";
	char			 prior_hash[PIN_HASH_SIZE], named_hash[PIN_HASH_SIZE];
	const char		*what = cases[i].what;
	int			 k, acked;

	memset(&ctx, 0, sizeof ctx);
	if (p->state != NONE) {
		ctx.prior.tip_id = 41;
		ctx.prior.code = (char *)"PQ4R5S";
		ctx.prior.state = (enum tip_state)p->state;
		ctx.prior.text = (char *)p->text;
		ctx.prior.township_code = (char *)p->township;
		ctx.prior.village_code = (char *)p->village;
		ctx.prior.kind = (char *)p->kind;
		ctx.prior.product = (char *)p->product;
		ctx.prior.questions = p->questions;
		ctx.prior.candidates = (char *)p->candidates;
		ctx.prior.last_message_at = NOW - p->age;
		if (p->state != TIP_AWAITING_REPLY) {	/* acknowledged */
			pin_hash(&key, "PQ4R5S", "1234", prior_hash);
			ctx.prior.pin_hash = prior_hash;
		}
	}
	ctx.prior.opted_out = p->opted_out;
	ctx.tips_hour = n->tips_hour;
	ctx.floods_hour = n->floods_hour;
	ctx.wrong_queries = n->wrong_queries;
	ctx.replies_today = n->replies_today;
	ctx.sender_office = n->duty_phone ? OFFICE : 0;
	if (n->named_state > 0) {
		ctx.named.id = 5;
		ctx.named.code = code;
		ctx.named.state = (enum tip_state)n->named_state;
		ctx.named.office_id = n->named_office;
		pin_hash(&key, code, "1234", named_hash);
		ctx.named.pin_hash = named_hash;
	}
	ctx.office_townships = offices;
	ctx.noffice_townships = 1;
	converse_prior(&u, &ctx.prior, &up, &norm);
	understand_message(&u, cases[i].text, NOW, &up, &r);
	memset(&in, 0, sizeof in);
	in.u = &u;
	in.templates = t;
	in.r = &r;
	in.ctx = &ctx;
	in.text = cases[i].text;
	in.raw_key = "k1";
	in.new_code = "NW2X3Y";
	in.new_pin = "5678";
	in.pin_key = &key;
	in.now = NOW;
	in.reply_limit = 10;
	in.inbound_limit = 20;
	converse_plan(&in, &c);
	is_str(c.disposition, w->disposition, "%s: %s", what,
	    w->disposition);
	if (w->event != NONE) {
		ok(c.is_tip && (int)c.su.event == w->event &&
		    (int)c.su.from == w->from, "%s: %s from %s (got %s "
		    "from %s)", what, tip_event_name(w->event),
		    tip_state_name(w->from), tip_event_name(c.su.event),
		    tip_state_name(c.su.from));
		ok(tip_next(c.su.from, c.su.event) != NULL, "%s: the tip "
		    "table allows it", what);
	} else if (w->reason != NULL && strncmp(w->reason, "office_", 7) ==
	    0 && strcmp(w->reason, "office_refused") != 0)
		is_int(office_event(&c), TIP_EV_OFFICE_ACK, "%s: the office's "
		    "tip moves", what);
	else
		ok(!c.is_tip || strcmp(c.disposition, "tip") != 0, "%s: no "
		    "tip moves", what);
	is_int(c.su.nreplies, w->nreplies, "%s: %d replies", what,
	    w->nreplies);
	if (w->nreplies > 0 && c.su.nreplies > 0) {
		is_int(c.su.replies[0].intent, w->intent, "%s: its intent",
		    what);
		if (w->says != NULL)
			ok(strstr(c.su.replies[0].body, w->says) != NULL,
			    "%s: says %s (%s)", what, w->says,
			    c.su.replies[0].body);
	}
	if (w->reason != NULL)
		is_str(c.su.reason, w->reason, "%s: reason", what);
	for (k = 0, acked = 0; k < c.su.nreplies; k++)
		acked |= c.su.replies[k].intent == OUTBOX_ACK;
	ok((c.su.pin_hash != NULL) == acked, "%s: a PIN is kept only when "
	    "the acknowledgement telling it is queued", what);
	is_int(c.su.naudit, w->naudit, "%s: %d audit events", what,
	    w->naudit);
	converse_free(&c);
	understand_free(&r);
	free(norm);
}

/*
 * A hotline tip: always a new tip, never a question (no place: the
 * coordinator), the acknowledgement only if the caller asked and did not
 * opt out, and the PIN kept either way (the operator reads it out).
 */
static const struct {
	const char	*what;
	const char	*text;
	int		 ack;
	int		 opted_out;
	int		 event;
	int		 nreplies;
} hotline_cases[] = {
	{ "hotline: placed, no SMS", "寒冻镇固城村小卖部卖过期面包", 0, 0,
	    TIP_EV_ROUTE, 0 },
	{ "hotline: placed, the caller asked", "寒冻镇固城村小卖部卖过期面包",
	    1, 0, TIP_EV_ROUTE, 1 },
	{ "hotline: the caller opted out", "寒冻镇固城村小卖部卖过期面包", 1, 1,
	    TIP_EV_ROUTE, 0 },
	{ "hotline: no place is the coordinator's, never a question",
	    "有人卖假酒", 1, 0, TIP_EV_GIVE_UP, 1 },
	{ "hotline: a township without an office", "兰青乡胡冲村小卖部卖假酒",
	    0, 0, TIP_EV_NO_OFFICE, 0 },
	{ "hotline: a command's words are still a tip", "查询 AB2C3D 1234", 0,
	    0, TIP_EV_GIVE_UP, 0 },
};

static void
run_hotline(size_t i)
{
	struct store_intake_ctx	 ctx;
	struct understand_result r;
	struct understand_prior	 up;
	struct converse_in	 in;
	struct converse		 c;
	char			 handong[] = HANDONG, *offices[1] = { handong };
	char			 hash[PIN_HASH_SIZE];
	const char		*what = hotline_cases[i].what;

	memset(&ctx, 0, sizeof ctx);
	ctx.prior.opted_out = hotline_cases[i].opted_out;
	ctx.office_townships = offices;
	ctx.noffice_townships = 1;
	memset(&up, 0, sizeof up);
	up.township = -1;
	understand_message(&u, hotline_cases[i].text, NOW, &up, &r);
	memset(&in, 0, sizeof in);
	in.u = &u;
	in.templates = t;
	in.r = &r;
	in.ctx = &ctx;
	in.text = hotline_cases[i].text;
	in.raw_key = "hotline:op:NW2X3Y";
	in.new_code = "NW2X3Y";
	in.new_pin = "5678";
	in.pin_key = &key;
	in.now = NOW;
	converse_hotline(&in, &c, hotline_cases[i].ack);
	ok(c.is_tip && c.su.from == TIP_NEW && c.su.tip_id == 0 &&
	    strcmp(c.tip.channel, "hotline") == 0, "%s: a new hotline tip",
	    what);
	is_int(c.su.event, hotline_cases[i].event, "%s: %s (got %s)", what,
	    tip_event_name(hotline_cases[i].event),
	    tip_event_name(c.su.event));
	is_int(c.su.nreplies, hotline_cases[i].nreplies, "%s: %d replies",
	    what, hotline_cases[i].nreplies);
	ok(c.su.nreplies == 0 || c.su.replies[0].intent == OUTBOX_ACK,
	    "%s: only an acknowledgement", what);
	pin_hash(&key, "NW2X3Y", "5678", hash);
	ok(c.su.pin_hash != NULL && strcmp(c.su.pin_hash, hash) == 0,
	    "%s: the PIN is kept", what);
	converse_free(&c);
	understand_free(&r);
}

static void
setup(void)
{
	struct division	 d;
	char		*cause = NULL, *path, *data;
	const char	*top = getenv("top_srcdir");
	size_t		 len;
	FILE		*f;
	int		 k;

	memset(&d, 0, sizeof d);
	for (k = 0; k < 2; k++) {
		if (asprintf(&path, "%s/contrib/demo/%s.csv", top ? top : ".",
		    k ? "villages" : "streets") < 0 ||
		    (f = fopen(path, "r")) == NULL)
			exit(1);
		data = malloc(1 << 20);
		len = fread(data, 1, (1 << 20) - 1, f);
		fclose(f);
		if ((k ? division_parse_villages(&d, path, data, len, NULL,
		    &cause) : division_parse_streets(&d, path, data, len, NULL,
		    &cause)) != 0) {
			printf("Bail out! %s\n", cause);
			exit(1);
		}
		free(data);
		free(path);
	}
	if (asprintf(&path, "%s/contrib/lexicon", top ? top : ".") < 0 ||
	    understand_init(&u, path, NULL, &d, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	free(path);
	division_free(&d);
	if (asprintf(&path, "%s/contrib/templates.txt", top ? top : ".") < 0 ||
	    (t = templates_load(path, NULL, &cause)) == NULL) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	free(path);
}

int
main(void)
{
	size_t	 i;

	setup();
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run(i);
	for (i = 0; i < sizeof hotline_cases / sizeof hotline_cases[0]; i++)
		run_hotline(i);
	templates_free(t);
	understand_clear(&u);
	return (done_testing());
}
