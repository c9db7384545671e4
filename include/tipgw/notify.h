/*
 * Webhooks and e-mail through libcurl's multi interface on the daemon's
 * event base: one request never blocks another or the event loop. Each
 * request ends in exactly one call of its callback.
 */
#ifndef TIPGW_NOTIFY_H
#define TIPGW_NOTIFY_H

#include <time.h>

struct event_base;
struct notify;

struct notify_options {
	unsigned int	 timeout;	/* seconds, a whole request */
	int		 tls_verify;	/* check certificates (default) */
	const char	*smtp_url;	/* smtp://host:port or smtps:// */
	const char	*smtp_from;
	const char	*smtp_user;
	const char	*smtp_password;
	int		 smtp_starttls;	/* NOTIFY_STARTTLS_* */
};

#define NOTIFY_STARTTLS_TRY		0
#define NOTIFY_STARTTLS_REQUIRED	1
#define NOTIFY_STARTTLS_NEVER		2

struct notify_result {
	int	 ok;
	int	 stopped;	/* tipgwd stopping: not an attempt */
	long	 status;	/* HTTP status or SMTP reply code */
	char	 error[256];
};

typedef void (*notify_done_cb)(const struct notify_result *, void *);

/* What an owner is told of a tip (never the reporter's number). */
struct notify_alert {
	const char	*event;		/* tip.routed, tip.updated, tip.notice */
	const char	*code;
	const char	*office;	/* NULL: to the coordinator */
	const char	*township;
	const char	*township_code;
	const char	*village;
	const char	*shop;		/* 小卖部, 超市 ... */
	const char	*kind;		/* in words */
	const char	*kind_code;
	const char	*product;
	const char	*product_code;
	const char	*brand;
	time_t		 received_at;
	const char	*words;		/* the villager's words, masked */
	const char	*summary;	/* the SMS alert */
	const char	*why;		/* to the coordinator: why */
};

enum notify_format {
	NOTIFY_GENERIC,
	NOTIFY_WECOM,
	NOTIFY_DINGTALK,
};

struct notify	*notify_new(struct event_base *, const struct notify_options *,
		    char **cause);
void		 notify_set_options(struct notify *,
		    const struct notify_options *);
void		 notify_webhook(struct notify *, const char *url,
		    const char *json, const char *key, notify_done_cb, void *);
void		 notify_email(struct notify *, const char *to,
		    const char *message, const char *key, notify_done_cb,
		    void *);
void		 notify_free(struct notify *);

int		 notify_format_parse(const char *, enum notify_format *);
enum notify_format notify_format_guess(const char *url);
char		*notify_webhook_body(enum notify_format,
		    const struct notify_alert *);
char		*notify_email_body(const struct notify_alert *);
char		*notify_mark_resent(const char *body);

/* What a robot's copy of an alert sent again after a crash starts with. */
#define NOTIFY_RESENT_NOTE	"（系统重启后重发，如已收到请忽略）"
char		*notify_fault_body(const char *format, const char *url,
		    const char *reason, const char *text);
char		*notify_email_message(const char *from, const char *to,
		    const char *body, const char *key, time_t now);

#endif
