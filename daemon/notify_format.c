/*
 * What a webhook or an e-mail to an office says (pure): the generic JSON
 * object, the WeCom (企业微信) and DingTalk (钉钉) group-robot markdown
 * messages, and a MIME e-mail in UTF-8. Bodies are rendered when the
 * alert is queued, so the ledger holds exactly what went out.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tipgw/clock.h"
#include "tipgw/log.h"
#include "tipgw/notify.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"

static const char *const notify_format_names[] = {
	[NOTIFY_GENERIC] = "generic",
	[NOTIFY_WECOM] = "wecom",
	[NOTIFY_DINGTALK] = "dingtalk",
};

/* 0 and *f set if s names a format. */
int
notify_format_parse(const char *s, enum notify_format *f)
{
	size_t	 i;

	for (i = 0; i < sizeof notify_format_names /
	    sizeof notify_format_names[0]; i++) {
		if (s != NULL && strcmp(s, notify_format_names[i]) == 0) {
			*f = (enum notify_format)i;
			return (0);
		}
	}
	return (-1);
}

/* The robots' well-known hosts; anything else gets the generic JSON. */
enum notify_format
notify_format_guess(const char *url)
{
	if (url == NULL)
		return (NOTIFY_GENERIC);
	if (strncmp(url, "https://qyapi.weixin.qq.com/", 28) == 0)
		return (NOTIFY_WECOM);
	if (strncmp(url, "https://oapi.dingtalk.com/", 26) == 0)
		return (NOTIFY_DINGTALK);
	return (NOTIFY_GENERIC);
}

static char *
notify_iso_time(time_t t, char *buf, size_t len)
{
	return (clock_china_format(t, "%Y-%m-%dT%H:%M:%S+08:00", buf, len));
}

static char *
notify_dump(json_t *o)
{
	char	*s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

	json_decref(o);
	if (s == NULL)
		fatalx("notify: cannot build JSON");
	return (s);
}

/*
 * A JSON string; bytes that are not UTF-8 (an office name from an older
 * ledger) become U+FFFD, rather than the field, or with json_pack() the
 * whole body, being dropped.
 */
static json_t *
notify_str(const char *value)
{
	json_t	*j;
	char	*clean;

	if ((j = json_string(value)) != NULL)
		return (j);
	clean = tipgw_utf8_sanitize(value);
	j = json_string(clean);
	free(clean);
	return (j);
}

static void
notify_set(json_t *o, const char *key, const char *value)
{
	json_object_set_new(o, key, value != NULL && *value != '\0' ?
	    notify_str(value) : json_null());
}

static const char *
notify_or(const char *s, const char *none)
{
	return (s != NULL ? s : none);
}

/* The title of an alert: a new tip, new facts, or for the coordinator. */
static const char *
notify_title(const struct notify_alert *a)
{
	if (a->event != NULL && strcmp(a->event, "tip.updated") == 0)
		return ("食品安全举报更新");
	if (a->event != NULL && strcmp(a->event, "tip.notice") == 0)
		return ("食品安全举报待分派");
	return ("食品安全举报");
}

/* The markdown both robots show: a title line, then the fields. */
static char *
notify_markdown(const struct notify_alert *a)
{
	char	 when[40], *md;

	xasprintf(&md, "### %s %s\n"
	    "%s%s%s"
	    "> 地点：%s%s%s\n"
	    "> 问题：%s%s%s%s\n"
	    "> 原话：%s\n"
	    "> 收到：%s\n\n"
	    "%s", notify_title(a), a->code,
	    a->why ? "> 原因：" : "", a->why ? a->why : "", a->why ? "\n" : "",
	    a->township, notify_or(a->village, ""), notify_or(a->shop, ""),
	    a->kind, a->product, a->brand ? " " : "", notify_or(a->brand, ""),
	    notify_or(a->words, ""),
	    notify_iso_time(a->received_at, when, sizeof when),
	    notify_or(a->summary, ""));
	return (md);
}

/* The JSON to POST for an alert, in the office's format. */
char *
notify_webhook_body(enum notify_format f, const struct notify_alert *a)
{
	json_t	*o, *inner;
	char	 when[40], *md;

	switch (f) {
	case NOTIFY_WECOM:
		md = notify_markdown(a);
		inner = json_pack("{s:o}", "content", notify_str(md));
		free(md);
		return (notify_dump(json_pack("{s:s, s:o}", "msgtype",
		    "markdown", "markdown", inner)));
	case NOTIFY_DINGTALK:
		md = notify_markdown(a);
		/* The title carries the robot's keyword, 食品安全举报. */
		inner = json_pack("{s:s, s:o}", "title", notify_title(a),
		    "text", notify_str(md));
		free(md);
		return (notify_dump(json_pack("{s:s, s:o}", "msgtype",
		    "markdown", "markdown", inner)));
	case NOTIFY_GENERIC:
	default:
		o = json_object();
		json_object_set_new(o, "event", notify_str(notify_or(a->event,
		    "tip.routed")));
		notify_set(o, "code", a->code);
		notify_set(o, "office", a->office);
		notify_set(o, "township", a->township);
		notify_set(o, "township_code", a->township_code);
		notify_set(o, "village", a->village);
		notify_set(o, "shop", a->shop);
		notify_set(o, "kind", a->kind);
		notify_set(o, "kind_code", a->kind_code);
		notify_set(o, "product", a->product);
		notify_set(o, "product_code", a->product_code);
		notify_set(o, "brand", a->brand);
		notify_set(o, "received_at", notify_iso_time(a->received_at,
		    when, sizeof when));
		notify_set(o, "text", a->words);
		notify_set(o, "alert", a->summary);
		notify_set(o, "why", a->why);
		return (notify_dump(o));
	}
}

/*
 * A fault for the coordinator's webhook: reason (dead_letter,
 * modem_down) and the text, in the format given (NULL: from the URL).
 */
char *
notify_fault_body(const char *format, const char *url, const char *reason,
    const char *text)
{
	enum notify_format	 f;
	char			*md;
	json_t			*inner;

	if (format == NULL || notify_format_parse(format, &f) != 0)
		f = notify_format_guess(url);
	if (f == NOTIFY_GENERIC)
		return (notify_dump(json_pack("{s:s, s:s, s:o}", "event",
		    "tipgw.fault", "reason", reason, "text", notify_str(text))));
	xasprintf(&md, "### 食品安全举报系统告警\n\n%s", text);
	if (f == NOTIFY_WECOM)
		inner = json_pack("{s:o}", "content", notify_str(md));
	else
		inner = json_pack("{s:s, s:o}", "title", "食品安全举报系统告警",
		    "text", notify_str(md));
	free(md);
	return (notify_dump(json_pack("{s:s, s:o}", "msgtype", "markdown",
	    "markdown", inner)));
}

/*
 * A webhook body sent again after a crash found it in flight, marked so
 * that people can tell a copy: a robot's markdown starts with a note
 * (the robots cannot drop a copy by key), a generic body gets
 * "resent": true. A body that is not JSON goes as it is.
 */
char *
notify_mark_resent(const char *body)
{
	json_t		*o, *md, *field;
	const char	*name;
	char		*text;

	if ((o = json_loads(body, 0, NULL)) == NULL || !json_is_object(o)) {
		json_decref(o);
		return (xstrdup(body));
	}
	md = json_object_get(o, "markdown");
	name = json_object_get(md, "content") != NULL ? "content" : "text";
	if (json_is_object(md) && json_is_string(field =
	    json_object_get(md, name))) {
		xasprintf(&text, "%s\n\n%s", NOTIFY_RESENT_NOTE,
		    json_string_value(field));
		json_object_set_new(md, name, notify_str(text));
		free(text);
	} else
		json_object_set_new(o, "resent", json_true());
	return (notify_dump(o));
}

/* An e-mail as the outbox keeps it: "Subject: ..." line, blank, text. */
char *
notify_email_body(const struct notify_alert *a)
{
	char	*s;

	xasprintf(&s, "Subject: %s %s：%s%s\n\n%s\n\n原话：%s\n",
	    notify_title(a), a->code, a->township, notify_or(a->village, ""),
	    notify_or(a->summary, ""), notify_or(a->words, ""));
	return (s);
}

static char *
notify_base64(const unsigned char *in, size_t len, size_t wrap)
{
	static const char	 tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out, *p;
	size_t			 i, col = 0;
	unsigned int		 v;

	p = out = xmalloc(len / 3 * 4 + len / 24 * 2 + 16);
	for (i = 0; i < len; i += 3) {
		v = (unsigned int)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned int)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*p++ = tab[v >> 18 & 63];
		*p++ = tab[v >> 12 & 63];
		*p++ = i + 1 < len ? tab[v >> 6 & 63] : '=';
		*p++ = i + 2 < len ? tab[v & 63] : '=';
		if (wrap > 0 && (col += 4) >= wrap && i + 3 < len) {
			*p++ = '\r';
			*p++ = '\n';
			col = 0;
		}
	}
	*p = '\0';
	return (out);
}

/*
 * The whole message for SMTP: headers (the subject as an RFC 2047 word),
 * then the text in base64, lines ending CRLF. key becomes the
 * Message-ID, so a receiver can tell a message sent again.
 */
char *
notify_email_message(const char *from, const char *to, const char *body,
    const char *key, time_t now)
{
	const char	*subject = "tipgw", *text = body, *nl;
	char		*subj64, *text64, *msg, *subj = NULL, date[64], *id;
	struct tm	 tm;
	size_t		 i;

	if (strncmp(body, "Subject: ", 9) == 0 &&
	    (nl = strstr(body, "\n\n")) != NULL) {
		subj = xstrndup(body + 9, (size_t)(nl - body - 9));
		subject = subj;
		text = nl + 2;
	}
	subj64 = notify_base64((const unsigned char *)subject,
	    strlen(subject), 0);
	text64 = notify_base64((const unsigned char *)text, strlen(text), 76);
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	id = xstrdup(key);
	for (i = 0; id[i] != '\0'; i++) {
		if (id[i] == '@' || id[i] == '<' || id[i] == '>' ||
		    id[i] == ' ')
			id[i] = '.';
	}
	xasprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: =?UTF-8?B?%s?=\r\n"
	    "Date: %s\r\nMessage-ID: <%s@tipgw>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n", from, to,
	    subj64, date, id, text64);
	free(subj);
	free(subj64);
	free(text64);
	free(id);
	return (msg);
}
