/*
 * Alerts rendered (pure): from a pending alert, its tip and its owner's
 * channels as they are when the outbox sends it, the messages to queue:
 * an SMS to each duty phone (or the coordinator's), the webhook in the
 * owner's format, the e-mail. Each under a key that names the tip, the
 * owner, the channel and the alert, so nothing is queued twice.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/alert.h"
#include "tipgw/clock.h"
#include "tipgw/gazetteer.h"
#include "tipgw/lexicon.h"
#include "tipgw/notify.h"
#include "tipgw/redact.h"
#include "tipgw/template.h"
#include "tipgw/xmalloc.h"

/*
 * The villager's words for an alert: the whole text (or its last line,
 * for new facts), on one line, phone-like numbers masked, at most
 * ALERT_WORDS_MAX characters.
 */
char *
alert_words(const char *text, int last_line)
{
	const char	*from = text, *nl;
	char		*line, *out, *p;
	size_t		 chars = 0;

	if (last_line && (nl = strrchr(text, '\n')) != NULL)
		from = nl + 1;
	line = redact_numbers(from);
	for (p = line; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
		if (((unsigned char)*p & 0xc0) != 0x80 &&
		    ++chars > ALERT_WORDS_MAX) {
			*p = '\0';
			xasprintf(&out, "%s…", line);
			free(line);
			return (out);
		}
	}
	return (line);
}

/* Why the coordinator is told, in words. */
static const char *
alert_why(const char *reason)
{
	static const struct {
		const char	*reason;
		const char	*words;
	} why[] = {
		{ "no_office", "该乡镇未设监管所" },
		{ "give_up", "地点无法确定" },
		{ "keep", "未能识别内容" },
		{ "office_return", "乡镇退回" },
		{ "review", "问题种类待核实" },
		{ "unreachable", "监管所无联系方式" },
	};
	size_t	 i;

	for (i = 0; i < sizeof why / sizeof why[0]; i++) {
		if (strcmp(why[i].reason, reason) == 0)
			return (why[i].words);
	}
	return ("待分派");
}

struct alert_fields {
	char	 code[24];	/* the tip's, or ID12 for one without */
	char	 received[32];
	char	*village;
	char	*words;
	char	*why;
	char	*kinds;		/* 过期、假冒 */
	char	*products;
	char	 kind[24];	/* the first code */
	char	 product[24];
};

/*
 * Every kind (or product) a tip's messages named, in words joined by 、
 * (过期、假冒); into first, the first code.
 */
static char *
alert_list_words(const char *list, const char *(*words)(const char *),
    char *first, size_t len)
{
	char	 code[24], *out = NULL, *prev;
	int	 n;

	first[0] = '\0';
	while (list != NULL && sscanf(list, "%23s%n", code, &n) == 1) {
		if (first[0] == '\0')
			snprintf(first, len, "%s", code);
		prev = out;
		xasprintf(&out, "%s%s%s", prev ? prev : "", prev ? "、" : "",
		    words(code));
		free(prev);
		list += n;
	}
	return (out != NULL ? out : xstrdup(words(NULL)));
}

static void
alert_fields(const struct alert_view *a, struct alert_fields *f)
{
	const char	*why = alert_why(a->reason);
	char		*masked;

	/* A tip kept or imported without a code is named by its id. */
	if (a->code != NULL)
		snprintf(f->code, sizeof f->code, "%s", a->code);
	else
		snprintf(f->code, sizeof f->code, "ID%lld", a->tip_id);
	clock_china_format(a->received_at, "%m-%d %H:%M", f->received,
	    sizeof f->received);
	f->village = a->village != NULL ? gazetteer_village_short(a->village) :
	    xstrdup("");
	f->words = alert_words(a->text != NULL ? a->text : "",
	    strcmp(a->reason, "merge") == 0);
	f->kinds = alert_list_words(a->kind, lex_kind_words, f->kind,
	    sizeof f->kind);
	f->products = alert_list_words(a->product, lex_product_words,
	    f->product, sizeof f->product);
	if (a->detail != NULL && *a->detail != '\0') {
		/* A person's reason: a number in it masked, as in the words. */
		masked = redact_numbers(a->detail);
		xasprintf(&f->why, "%s：%s", why, masked);
		free(masked);
	} else
		f->why = xstrdup(why);
}

static void
alert_fields_free(struct alert_fields *f)
{
	free(f->village);
	free(f->words);
	free(f->why);
	free(f->kinds);
	free(f->products);
}

/* The SMS text, from the owner's template. */
static char *
alert_sms(const struct alert_view *a, const struct alert_owner *o,
    const struct templates *t, const struct alert_fields *f)
{
	struct template_var	 v[10];
	const char		*name;

	v[0].name = "code";
	v[0].value = f->code;
	v[1].name = "township";
	v[1].value = a->township != NULL ? a->township : "乡镇未定";
	v[2].name = "village";
	v[2].value = f->village;
	v[3].name = "shop";
	v[3].value = a->shop != NULL ? a->shop : "";
	v[4].name = "kind";
	v[4].value = f->kinds;
	v[5].name = "product";
	v[5].value = f->products;
	v[6].name = "place";
	v[6].value = a->brand != NULL ? a->brand : "";
	v[7].name = "received";
	v[7].value = f->received;
	v[8].name = "words";
	v[8].value = f->words;
	v[9].name = "why";
	v[9].value = f->why;
	if (o->office_id == 0)
		name = "notice";
	else
		name = strcmp(a->reason, "merge") == 0 ? "alert_update" :
		    "alert";
	return (template_render(t, name, v, o->office_id == 0 ? 10 : 9));
}

static void
alert_add(struct alert_msg *out, int *n, enum outbox_intent intent,
    const char *channel, const char *to, char *body, const char *key)
{
	struct alert_msg	*m = &out[(*n)++];

	m->intent = intent;
	m->channel = channel;
	m->destination = xstrdup(to);
	m->body = body;
	m->key = xstrdup(key);
}

/* The key prefix: alert:CODE:OFFICE: or notice:CODE:REASON:ID: */
static void
alert_key(const struct alert_view *a, const struct alert_owner *o,
    const struct alert_fields *f, const char *channel, const char *to,
    char *key, size_t len)
{
	if (o->office_id == 0)
		snprintf(key, len, "notice:%s:%s:%lld:%s", f->code, a->reason,
		    a->id, channel);
	else if (strcmp(a->reason, "route") == 0)
		snprintf(key, len, "alert:%s:%lld:%s%s%s", f->code,
		    o->office_id, channel, to ? ":" : "", to ? to : "");
	else
		snprintf(key, len, "alert:%s:%lld:%s%s%s:%s:%lld", f->code,
		    o->office_id, channel, to ? ":" : "", to ? to : "",
		    a->reason, a->id);
}

static void
alert_notify_fill(const struct alert_view *a, const struct alert_owner *o,
    const struct alert_fields *f, const char *sms, struct notify_alert *n)
{
	memset(n, 0, sizeof *n);
	n->event = o->office_id == 0 ? "tip.notice" :
	    strcmp(a->reason, "merge") == 0 ? "tip.updated" : "tip.routed";
	n->code = f->code;
	n->office = o->name;
	n->township = a->township != NULL ? a->township : "乡镇未定";
	n->township_code = a->township_code;
	n->village = f->village;
	n->shop = a->shop;
	n->kind = f->kinds;
	n->kind_code = f->kind[0] != '\0' ? f->kind : NULL;
	n->product = f->products;
	n->product_code = f->product[0] != '\0' ? f->product : NULL;
	n->brand = a->brand;
	n->received_at = a->received_at;
	n->words = f->words;
	n->summary = sms;
	n->why = o->office_id == 0 ? f->why : NULL;
}

/* A fault for the coordinator: what happened, in words. */
static const char *
alert_fault_words(const char *reason)
{
	if (strcmp(reason, "dead_letter") == 0)
		return ("有消息多次发送失败");
	if (strcmp(reason, "modem_down") == 0)
		return ("短信猫长时间离线");
	return ("系统故障");
}

static int
alert_fault(const struct alert_view *a, const struct alert_owner *o,
    const struct templates *t, struct alert_msg *out, int *n)
{
	struct template_var	 v[2];
	char			*sms, *mail, *hook, key[256];
	const char		*what = alert_fault_words(a->reason);
	const char		*key_base = a->key != NULL ? a->key : a->reason;
	int			 i;

	v[0].name = "what";
	v[0].value = what;
	v[1].name = "detail";
	v[1].value = a->detail != NULL ? a->detail : "";
	if ((sms = template_render(t, "notice_fault", v, 2)) == NULL)
		return (-1);
	for (i = 0; i < o->nphones && i < ALERT_MAX_PHONES; i++) {
		snprintf(key, sizeof key, "notice:%s:sms:%s", key_base,
		    o->phones[i]);
		alert_add(out, n, OUTBOX_NOTICE, "sms", o->phones[i],
		    xstrdup(sms), key);
	}
	if (o->webhook_url != NULL) {
		snprintf(key, sizeof key, "notice:%s:webhook", key_base);
		hook = notify_fault_body(o->webhook_format, o->webhook_url,
		    a->reason, sms);
		alert_add(out, n, OUTBOX_NOTICE, "webhook", o->webhook_url,
		    hook, key);
	}
	if (o->email != NULL) {
		snprintf(key, sizeof key, "notice:%s:email", key_base);
		xasprintf(&mail, "Subject: tipgw：%s\n\n%s\n", what, sms);
		alert_add(out, n, OUTBOX_NOTICE, "email", o->email, mail, key);
	}
	free(sms);
	return (0);
}

/*
 * The messages alert a asks for, to owner o: out has room for
 * ALERT_MAX_MESSAGES; *n is how many (0 when the owner has no channel).
 * -1 if a template is missing.
 */
int
alert_render(const struct alert_view *a, const struct alert_owner *o,
    const struct templates *t, struct alert_msg *out, int *n)
{
	struct alert_fields	 f;
	struct notify_alert	 na;
	enum notify_format	 fmt;
	enum outbox_intent	 intent = o->office_id == 0 ? OUTBOX_NOTICE :
				    OUTBOX_ALERT;
	char			*sms, key[256];
	int			 i;

	*n = 0;
	if (a->tip_id == 0)
		return (alert_fault(a, o, t, out, n));
	memset(&f, 0, sizeof f);
	alert_fields(a, &f);
	if ((sms = alert_sms(a, o, t, &f)) == NULL) {
		alert_fields_free(&f);
		return (-1);
	}
	for (i = 0; i < o->nphones && i < ALERT_MAX_PHONES; i++) {
		alert_key(a, o, &f, "sms", o->phones[i], key, sizeof key);
		alert_add(out, n, intent, "sms", o->phones[i], xstrdup(sms),
		    key);
	}
	alert_notify_fill(a, o, &f, sms, &na);
	if (o->webhook_url != NULL) {
		if (o->webhook_format == NULL ||
		    notify_format_parse(o->webhook_format, &fmt) != 0)
			fmt = notify_format_guess(o->webhook_url);
		alert_key(a, o, &f, "webhook", NULL, key, sizeof key);
		alert_add(out, n, intent, "webhook", o->webhook_url,
		    notify_webhook_body(fmt, &na), key);
	}
	if (o->email != NULL) {
		alert_key(a, o, &f, "email", NULL, key, sizeof key);
		alert_add(out, n, intent, "email", o->email,
		    notify_email_body(&na), key);
	}
	free(sms);
	alert_fields_free(&f);
	return (0);
}

void
alert_msgs_free(struct alert_msg *m, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		free(m[i].destination);
		free(m[i].body);
		free(m[i].key);
	}
}
