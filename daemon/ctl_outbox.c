/*
 * tipgwctl outbox [retry] and send: what is queued, sent, failed and
 * dead (SMS numbers masked); a failed or dead message put back in the
 * queue; a text queued by hand. tipgwd does the sending.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/json.h"
#include "tipgw/log.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

#define CTL_SEND_MAX	1000	/* characters: about 15 UCS-2 parts */

static size_t
ctl_utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/*
 * Queue a text message; tipgwd sends it through a ready modem. For
 * testing a modem, or telling a reporter something by hand.
 */
static int
ctl_send(struct ctl *c, int argc, char **argv)
{
	struct store_outbox_new	 m;
	char		 key[64], *clean, *cause = NULL;
	long long	 id = 0;
	unsigned int	 nonce;
	int		 ok;

	if (argc != 3)
		return (-1);
	if (!tipgw_phone_valid(argv[1])) {
		fprintf(stderr, "tipgwctl: %s: expected a phone number\n",
		    argv[1]);
		return (1);
	}
	clean = tipgw_utf8_sanitize(argv[2]);
	ok = strcmp(clean, argv[2]) == 0;
	free(clean);
	if (!ok || *argv[2] == '\0' || ctl_utf8_chars(argv[2]) > CTL_SEND_MAX) {
		fprintf(stderr, "tipgwctl: the text must be valid UTF-8, "
		    "from 1 to %d characters\n", CTL_SEND_MAX);
		return (1);
	}
	arc4random_buf(&nonce, sizeof nonce);
	snprintf(key, sizeof key, "manual:%lld:%08x", (long long)clock_now(),
	    nonce);
	memset(&m, 0, sizeof m);
	m.dedup_key = key;
	m.intent = OUTBOX_MANUAL;
	m.channel = "sms";
	m.destination = argv[1];
	m.body = argv[2];
	m.at = clock_now();
	if (store_outbox_queue(c->store, &m, &id, &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("queued outbox=%lld; tipgwd sends it through a ready modem\n",
	    id);
	return (0);
}

static int
ctl_outbox_print_cb(const struct store_outbox_row *r, void *arg)
{
	int	*json = arg;
	char	*s, masked[32], when[32], *p;

	if (*json) {
		s = json_outbox(r);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	s = xstrdup(r->last_error ? r->last_error : "");
	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	}
	printf("%-6lld %-7s %-8s %-3d %-20s %-16s %-28s %s\n", r->id,
	    r->channel, r->state, r->attempts,
	    tipgw_time_format(r->sent_at ? r->sent_at : r->next_attempt_at,
	    when, sizeof when), strcmp(r->channel, "sms") == 0 ?
	    log_mask_phone(r->destination, masked, sizeof masked) :
	    r->destination, r->dedup_key, s);
	free(s);
	return (0);
}

/* outbox: what is queued, sent, failed and dead. */
static int
ctl_outbox(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	enum outbox_state	 parsed;
	const char		*state = NULL;
	char			*cause = NULL;
	int			 ch, json = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			state = optarg;
		else if (ch == 'j')
			json = 1;
		else
			return (-1);
	}
	if (optind != argc)
		return (-1);
	if (state != NULL && outbox_state_parse(state, &parsed) != 0) {
		fprintf(stderr, "tipgwctl: --state: '%s' is not one of queued, "
		    "sending, sent, failed, dead\n", state);
		return (1);
	}
	if (!json)
		printf("%-6s %-7s %-8s %-3s %-20s %-16s %-28s %s\n", "ID",
		    "CHANNEL", "STATE", "TRY", "SENT/NEXT", "TO", "INTENT",
		    "LAST ERROR");
	if (store_outbox_foreach(c->store, state, ctl_outbox_print_cb, &json,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

/* outbox retry ID: put a failed or dead message back in the queue. */
static int
ctl_outbox_retry(struct ctl *c, int argc, char **argv)
{
	char		*cause = NULL, *end;
	long long	 id;
	int		 rc;

	if (argc != 2)
		return (-1);
	id = strtoll(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || id <= 0) {
		fprintf(stderr, "tipgwctl: '%s' is not an outbox ID\n",
		    argv[1]);
		return (1);
	}
	rc = store_outbox_retry(c->store, id, clock_now(), c->actor, &cause);
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("outbox=%lld queued again; tipgwd sends it when its channel "
	    "is ready\n", id);
	return (0);
}

const struct ctl_entry ctl_outbox_retry_entry = {
	.name = "outbox",
	.sub = "retry",
	.flags = 0,
	.usage = "outbox retry ID",
	.exec = ctl_outbox_retry,
};

const struct ctl_entry ctl_outbox_entry = {
	.name = "outbox",
	.sub = NULL,
	.flags = CTL_READONLY,
	.usage = "outbox [--state STATE] [--json]",
	.exec = ctl_outbox,
};

const struct ctl_entry ctl_send_entry = {
	.name = "send",
	.sub = NULL,
	.flags = 0,
	.usage = "send NUMBER TEXT",
	.exec = ctl_send,
};
