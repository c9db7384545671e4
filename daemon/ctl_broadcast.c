/*
 * tipgwctl broadcast and poll: the campaign's voice. broadcast sends a
 * 消费警示 or a typical case (no personal data: no phone-like number) to
 * the subscribers of chosen townships (those who texted 订阅, not since
 * 退订, with a tip there), paced by the outbox within quiet hours and
 * the daily SMS budget. poll open asks them to choose what is sampled
 * next (你点我检): 投票 N by SMS, one vote a number; poll show counts the
 * votes, poll close ends it. Audited.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/redact.h"
#include "tipgw/store.h"
#include "tipgw/template.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

#define CTL_BROADCAST_MAX	280	/* characters: four SMS at most */
#define CTL_POLL_OPTION_MAX	20	/* characters of an option */

/* Text for the public: no control character, no phone-like number. */
static int
ctl_public_text(const char *what, const char *s, size_t max)
{
	char	*masked;
	int	 personal;

	if (*s == '\0' || template_chars(s) > max ||
	    strpbrk(s, "\r\n\t\033") != NULL) {
		fprintf(stderr, "tipgwctl: %s: expected 1 to %zu characters on "
		    "one line\n", what, max);
		return (-1);
	}
	masked = redact_numbers(s);
	personal = strcmp(masked, s) != 0;
	free(masked);
	if (personal) {
		fprintf(stderr, "tipgwctl: %s: a phone-like number is personal "
		    "data; a broadcast carries none\n", what);
		return (-1);
	}
	return (0);
}

/* --township CODE... (9 digits each); -1 after saying why. */
static int
ctl_townships_ok(char **codes, size_t n)
{
	size_t	 i;

	if (n == 0) {
		fprintf(stderr, "tipgwctl: name the townships (--township "
		    "CODE, tipgwctl gazetteer list)\n");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (strlen(codes[i]) != 9 ||
		    strspn(codes[i], "0123456789") != 9) {
			fprintf(stderr, "tipgwctl: --township %s: expected a "
			    "9-digit township code\n", codes[i]);
			return (-1);
		}
	}
	return (0);
}

static void
ctl_codes_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
ctl_send_out(struct ctl *c, const char *text, char **codes, size_t n,
    long long poll)
{
	long long	 id;
	char		*cause = NULL;
	int		 recipients;

	if (store_broadcast(c->store, text, codes, n, poll, clock_now(),
	    c->actor, &id, &recipients, &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("broadcast %lld queued to %d subscriber(s); the outbox sends "
	    "it within quiet hours and the daily SMS budget\n", id,
	    recipients);
	return (0);
}

/* broadcast --township CODE... TEXT */
static int
ctl_broadcast(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "township", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	char	**codes = NULL;
	size_t	  n = 0;
	int	  ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 't') {
			ctl_codes_free(codes, n);
			return (-1);
		}
		ctl_list_add(&codes, &n, optarg);
	}
	if (optind + 1 != argc) {
		ctl_codes_free(codes, n);
		return (-1);
	}
	if (ctl_townships_ok(codes, n) == 0 && ctl_public_text("the text",
	    argv[optind], CTL_BROADCAST_MAX) == 0)
		rc = ctl_send_out(c, argv[optind], codes, n, 0);
	ctl_codes_free(codes, n);
	return (rc);
}

/* poll open QUESTION --option A --option B... --township CODE... */
static int
ctl_poll_open(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "option", required_argument, NULL, 'o' },
		{ "township", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	char		**codes = NULL, **options = NULL, *joined = NULL;
	char		*text = NULL, *cause = NULL, *p;
	size_t		  n = 0, nopt = 0, i, len;
	long long	  id;
	int		  ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'o')
			ctl_list_add(&options, &nopt, optarg);
		else if (ch == 't')
			ctl_list_add(&codes, &n, optarg);
		else {
			rc = -1;
			goto done;
		}
	}
	if (optind + 1 != argc) {
		rc = -1;
		goto done;
	}
	if (nopt < 2 || nopt > STORE_POLL_MAX_OPTIONS) {
		fprintf(stderr, "tipgwctl: a poll needs 2 to %d --option\n",
		    STORE_POLL_MAX_OPTIONS);
		goto done;
	}
	if (ctl_townships_ok(codes, n) != 0 || ctl_public_text("the question",
	    argv[optind], 100) != 0)
		goto done;
	for (i = 0, len = 1; i < nopt; i++) {
		if (ctl_public_text("--option", options[i],
		    CTL_POLL_OPTION_MAX) != 0)
			goto done;
		if (strchr(options[i], '|') != NULL) {
			fprintf(stderr, "tipgwctl: --option %s: no '|' in an "
			    "option\n", options[i]);
			goto done;
		}
		len += strlen(options[i]) + 16;
	}
	joined = xcalloc(1, len);
	text = xcalloc(1, len + strlen(argv[optind]) + 64);
	p = text + sprintf(text, "%s 回复", argv[optind]);
	for (i = 0; i < nopt; i++) {
		if (i > 0)
			strcat(joined, "|");
		strcat(joined, options[i]);
		p += sprintf(p, "%s\"投票 %zu\"%s", i > 0 ? "，" : "",
		    i + 1, options[i]);
	}
	strcat(p, "。");
	if (store_poll_open(c->store, argv[optind], joined, (int)nopt,
	    clock_now(), c->actor, &id, &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		goto done;
	}
	printf("poll %lld open\n", id);
	rc = ctl_send_out(c, text, codes, n, id);
done:
	free(joined);
	free(text);
	ctl_codes_free(codes, n);
	ctl_codes_free(options, nopt);
	return (rc);
}

static int
ctl_poll_print_cb(const struct store_poll *p, void *arg)
{
	int		*n = arg;
	char		*copy = xstrdup(p->options), *rest = copy, *opt;
	char		 when[32];
	int		 k = 0;

	(*n)++;
	printf("poll %lld (%s, opened %s): %s\n", p->id, p->state,
	    clock_china_format(p->created_at, "%Y-%m-%d", when, sizeof when),
	    p->question);
	while ((opt = strsep(&rest, "|")) != NULL && k < p->noptions) {
		printf("  %d %-20s %lld\n", k + 1, opt, p->counts[k]);
		k++;
	}
	printf("  votes        %lld\n", p->votes);
	free(copy);
	return (0);
}

/* poll show [ID] */
static int
ctl_poll_show(struct ctl *c, int argc, char **argv)
{
	long long	 id = 0;
	char		*cause = NULL, *end;
	int		 n = 0;

	if (argc > 2)
		return (-1);
	if (argc == 2) {
		id = strtoll(argv[1], &end, 10);
		if (*argv[1] == '\0' || *end != '\0' || id <= 0) {
			fprintf(stderr, "tipgwctl: poll %s: expected a poll "
			    "number\n", argv[1]);
			return (1);
		}
	}
	if (store_polls_foreach(c->store, id, ctl_poll_print_cb, &n,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	if (n == 0) {
		fprintf(stderr, "tipgwctl: no poll%s\n", id ? " so numbered" :
		    "s");
		return (id != 0);
	}
	return (0);
}

static int
ctl_poll_close(struct ctl *c, int argc, char **argv)
{
	long long	 id;
	char		*cause = NULL, *end;

	if (argc != 2)
		return (-1);
	id = strtoll(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || id <= 0) {
		fprintf(stderr, "tipgwctl: poll %s: expected a poll number\n",
		    argv[1]);
		return (1);
	}
	if (store_poll_close(c->store, id, clock_now(), c->actor,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("poll %lld closed\n", id);
	return (0);
}

const struct ctl_entry ctl_broadcast_entry = {
	.name = "broadcast", .sub = NULL, .flags = 0,
	.usage = "broadcast --township CODE... TEXT",
	.exec = ctl_broadcast,
};

const struct ctl_entry ctl_poll_open_entry = {
	.name = "poll", .sub = "open", .flags = 0,
	.usage = "poll open QUESTION --option TEXT --option TEXT... "
	    "--township CODE...",
	.exec = ctl_poll_open,
};

const struct ctl_entry ctl_poll_show_entry = {
	.name = "poll", .sub = "show", .flags = CTL_READONLY,
	.usage = "poll show [ID]",
	.exec = ctl_poll_show,
};

const struct ctl_entry ctl_poll_close_entry = {
	.name = "poll", .sub = "close", .flags = 0,
	.usage = "poll close ID",
	.exec = ctl_poll_close,
};
