/*
 * tipgwctl calls: the calls to the hotline SIM nobody has called back
 * yet, oldest first, and "calls done ID" once someone has. Numbers are
 * masked unless --reveal is given (audited: the coordinator calls back).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/log.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "ctl.h"

struct ctl_calls_arg {
	int	 reveal;
	int	 n;
};

static int
ctl_call_print_cb(const struct store_call *c, void *arg)
{
	struct ctl_calls_arg	*a = arg;
	char			 masked[32], when[32];

	printf("%-6lld %-20s %-10s %-16s %s\n", c->id,
	    tipgw_time_format(c->at, when, sizeof when), c->modem,
	    a->reveal ? c->caller : log_mask_phone(c->caller, masked,
	    sizeof masked), c->hung_up ? "missed" : "rang");
	a->n++;
	return (0);
}

static int
ctl_calls(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reveal", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_calls_arg	 a;
	char			*cause = NULL;
	int			 ch;

	memset(&a, 0, sizeof a);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'r')
			return (-1);
		a.reveal = 1;
	}
	if (optind != argc)
		return (-1);
	if (a.reveal && store_event_add(c->store, clock_now(), c->actor,
	    "calls.revealed", 0, "caller numbers shown for call-backs",
	    &cause) != 0)
		goto fail;
	printf("%-6s %-20s %-10s %-16s %s\n", "ID", "AT", "MODEM", "CALLER",
	    "CALL");
	if (store_calls_open(c->store, 0, ctl_call_print_cb, &a, &cause) != 0)
		goto fail;
	if (a.n == 0)
		printf("(no calls to call back)\n");
	return (0);
fail:
	fprintf(stderr, "tipgwctl: %s\n", cause);
	free(cause);
	return (1);
}

static int
ctl_calls_done(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*note = NULL;
	char		*end, *cause = NULL;
	long long	 id;
	int		 ch, rc;

	if (argc < 2)
		return (-1);
	id = strtoll(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || id <= 0)
		return (-1);
	argc--;
	argv++;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'n')
			return (-1);
		note = optarg;
	}
	if (optind != argc)
		return (-1);
	rc = store_call_done(c->store, id, note, clock_now(), c->actor,
	    &cause);
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("call %lld called back\n", id);
	return (0);
}

const struct ctl_entry ctl_calls_done_entry = {
	.name = "calls",
	.sub = "done",
	.flags = 0,
	.usage = "calls done ID [--note TEXT]",
	.exec = ctl_calls_done,
};

const struct ctl_entry ctl_calls_entry = {
	.name = "calls",
	.sub = NULL,
	.flags = 0,
	.usage = "calls [--reveal]",
	.exec = ctl_calls,
};
