/*
 * tipgwctl tip route|note|close|extend|pause|resume: a person's changes
 * to a tip, each one transition of the tip table, audited with who did it
 * (tipgwctl:USER). route sends it (again) to a township's office; note
 * adds to its history; close closes it with the result; the clock: one
 * extension with the approver and the reason, a pause while samples are
 * tested (testing time does not count) and its end.
 * One extension of the period, with the approver (the head of the
 * department, art. 18) and the reason; a pause while samples are tested
 * (testing time does not count) and its end. All audited.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/calendar.h"
#include "tipgw/clock.h"
#include "tipgw/config.h"
#include "tipgw/deadline.h"
#include "tipgw/json.h"
#include "tipgw/remind.h"
#include "tipgw/store.h"
#include "tipgw/tip_state.h"
#include "tipgw/tipgw.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

/* CODE then --approver/--reason options; -1 on a usage error. */
static int
ctl_tip_args(int argc, char **argv, const char **code, const char **approver,
    const char **reason)
{
	static const struct option opts[] = {
		{ "approver", required_argument, NULL, 'a' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	*code = argv[1];
	argc--;
	argv++;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a' && approver != NULL)
			*approver = optarg;
		else if (ch == 'r' && reason != NULL)
			*reason = optarg;
		else
			return (-1);
	}
	return (optind == argc ? 0 : -1);
}

/* Print the outcome of a change to a tip; the command's status. */
int
ctl_tip_result(int rc, const char *what, const char *code, char *cause)
{
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("tip %s %s\n", code, what);
	return (0);
}

/* One transition of a tip, by this user, now. */
static int
ctl_tip_move(struct ctl *c, struct store_tip_change *ch, char **cause)
{
	ch->actor = c->actor;
	ch->at = clock_now();
	return (store_tip_change(c->store, ch, cause));
}

static int
ctl_tip_extend(struct ctl *c, int argc, char **argv)
{
	struct store_tip_change	 ch;
	const char		*code, *approver = NULL, *reason = NULL;
	char			*cause = NULL, *detail;
	int			 rc;

	if (ctl_tip_args(argc, argv, &code, &approver, &reason) != 0)
		return (-1);
	if (approver == NULL || reason == NULL || *approver == '\0' ||
	    *reason == '\0') {
		fprintf(stderr, "tipgwctl: an extension needs --approver "
		    "(who approved it) and --reason\n");
		return (1);
	}
	memset(&ch, 0, sizeof ch);
	ch.code = code;
	ch.event = TIP_EV_EXTEND;
	ch.approver = approver;
	xasprintf(&detail, "approver=%s reason=%s", approver, reason);
	ch.detail = detail;
	rc = ctl_tip_move(c, &ch, &cause);
	free(detail);
	return (ctl_tip_result(rc, "extended once by the verification period",
	    code, cause));
}

static int
ctl_tip_pause(struct ctl *c, int argc, char **argv)
{
	struct store_tip_change	 ch;
	const char		*code, *reason = NULL;
	char			*cause = NULL, day[16], *detail;
	int			 y, m, d, rc;

	if (ctl_tip_args(argc, argv, &code, NULL, &reason) != 0)
		return (-1);
	if (reason == NULL || *reason == '\0') {
		fprintf(stderr, "tipgwctl: a pause needs --reason (e.g. "
		    "\"sample sent for testing\")\n");
		return (1);
	}
	workday_ymd(clock_china_day(clock_now()), &y, &m, &d);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
	memset(&ch, 0, sizeof ch);
	ch.code = code;
	ch.event = TIP_EV_PAUSE;
	ch.pause_day = day;
	xasprintf(&detail, "from=%s reason=%s", day, reason);
	ch.detail = detail;
	rc = ctl_tip_move(c, &ch, &cause);
	free(detail);
	return (ctl_tip_result(rc, "paused: its clock stops until tipgwctl "
	    "tip resume", code, cause));
}

static int
ctl_tip_resume(struct ctl *c, int argc, char **argv)
{
	struct store_tip_change	 ch;
	struct store_open_tip	*tips;
	struct workday_cal	*cal;
	const char		*code;
	char			*cause = NULL, what[64], detail[32];
	long			 today = clock_china_day(clock_now());
	int			 i, n, y, m, d, days = -1, rc;

	if (ctl_tip_args(argc, argv, &code, NULL, NULL) != 0)
		return (-1);
	if ((cal = calendar_load(c->store, c->conf->holidays, &cause)) == NULL)
		return (ctl_tip_result(1, "", code, cause));
	if (store_open_tips(c->store, &tips, &n, &cause) != 0) {
		workday_free(cal);
		return (ctl_tip_result(1, "", code, cause));
	}
	for (i = 0; i < n; i++) {
		if (strcmp(tips[i].code, code) == 0 &&
		    tips[i].paused_from != NULL && sscanf(tips[i].paused_from,
		    "%d-%d-%d", &y, &m, &d) == 3)
			days = deadline_paused_days(cal, workday_day(y, m, d),
			    today);
	}
	store_open_tips_free(tips, n);
	workday_free(cal);
	if (days < 0) {
		fprintf(stderr, "tipgwctl: no open tip %s with a paused "
		    "clock\n", code);
		return (1);
	}
	snprintf(what, sizeof what, "resumed after %d working day(s)", days);
	memset(&ch, 0, sizeof ch);
	ch.code = code;
	ch.event = TIP_EV_RESUME;
	ch.paused_days = days;
	snprintf(detail, sizeof detail, "paused_days=%d", days);
	ch.detail = detail;
	rc = ctl_tip_move(c, &ch, &cause);
	return (ctl_tip_result(rc, what, code, cause));
}

const struct ctl_entry ctl_tip_extend_entry = {
	.name = "tip",
	.sub = "extend",
	.flags = 0,
	.usage = "tip extend CODE --approver NAME --reason TEXT",
	.exec = ctl_tip_extend,
};

const struct ctl_entry ctl_tip_pause_entry = {
	.name = "tip",
	.sub = "pause",
	.flags = 0,
	.usage = "tip pause CODE --reason TEXT",
	.exec = ctl_tip_pause,
};

const struct ctl_entry ctl_tip_resume_entry = {
	.name = "tip",
	.sub = "resume",
	.flags = 0,
	.usage = "tip resume CODE",
	.exec = ctl_tip_resume,
};

/* tip route CODE --township CODE [--reason TEXT]: the coordinator routes. */
static int
ctl_tip_route(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "township", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_tip_change	 ch;
	const char		*township = NULL, *reason = NULL;
	char			*cause = NULL, what[64];
	int			 opt, rc;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	optind = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (opt == 't')
			township = optarg;
		else if (opt == 'r')
			reason = optarg;
		else
			return (-1);
	}
	if (optind != argc - 1 || township == NULL)
		return (-1);
	if (strlen(township) != 9 || strspn(township, "0123456789") != 9) {
		fprintf(stderr, "tipgwctl: --township %s: expected a 9-digit "
		    "township code (tipgwctl gazetteer list)\n", township);
		return (1);
	}
	memset(&ch, 0, sizeof ch);
	ch.code = argv[1];
	ch.detail = reason;
	ch.actor = c->actor;
	ch.at = clock_now();
	rc = store_tip_route(c->store, &ch, township, &cause);
	snprintf(what, sizeof what, "routed to %s; its office is told",
	    township);
	return (ctl_tip_result(rc, what, argv[1], cause));
}

/* One event with a required text: note (the text), close (the result). */
static int
ctl_tip_text(struct ctl *c, int argc, char **argv, enum tip_event event,
    const char *option, const char *done)
{
	static const struct option opts[] = {
		{ "result", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_tip_change	 ch;
	const char		*text = NULL;
	char			*cause = NULL;
	int			 opt, rc;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	if (option == NULL) {
		if (argc != 3)
			return (-1);
		text = argv[2];
	} else {
		optind = 0;
		while ((opt = getopt_long(argc - 1, argv + 1, "", opts,
		    NULL)) != -1) {
			if (opt != 'r')
				return (-1);
			text = optarg;
		}
		if (optind != argc - 1)
			return (-1);
	}
	if (text == NULL || *text == '\0') {
		fprintf(stderr, "tipgwctl: %s needs %s\n", tip_event_name(event),
		    option != NULL ? option : "a text");
		return (1);
	}
	memset(&ch, 0, sizeof ch);
	ch.code = argv[1];
	ch.event = event;
	ch.detail = text;
	rc = ctl_tip_move(c, &ch, &cause);
	return (ctl_tip_result(rc, done, argv[1], cause));
}

static int
ctl_tip_note(struct ctl *c, int argc, char **argv)
{
	return (ctl_tip_text(c, argc, argv, TIP_EV_NOTE, NULL,
	    "noted in its history"));
}

static int
ctl_tip_close(struct ctl *c, int argc, char **argv)
{
	return (ctl_tip_text(c, argc, argv, TIP_EV_CLOSE, "--result",
	    "closed"));
}

/* tip set CODE --order-12315 NUMBER: its work order in 12315. */
static int
ctl_tip_set(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "order-12315", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*order = NULL;
	char		*cause = NULL;
	int		 opt, rc;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	optind = 0;
	while ((opt = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (opt != 'o')
			return (-1);
		order = optarg;
	}
	if (optind != argc - 1 || order == NULL)
		return (-1);
	if (*order == '\0' || strlen(order) > 40 || strspn(order,
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-") !=
	    strlen(order)) {
		fprintf(stderr, "tipgwctl: --order-12315 %s: expected the work "
		    "order number, 1 to 40 letters, digits or '-'\n", order);
		return (1);
	}
	rc = store_tip_set_order(c->store, argv[1], order, clock_now(),
	    c->actor, &cause);
	return (ctl_tip_result(rc, "has its 12315 work order", argv[1],
	    cause));
}

const struct ctl_entry ctl_tip_set_entry = {
	.name = "tip",
	.sub = "set",
	.flags = 0,
	.usage = "tip set CODE --order-12315 NUMBER",
	.exec = ctl_tip_set,
};

const struct ctl_entry ctl_tip_route_entry = {
	.name = "tip",
	.sub = "route",
	.flags = 0,
	.usage = "tip route CODE --township CODE [--reason TEXT]",
	.exec = ctl_tip_route,
};

const struct ctl_entry ctl_tip_note_entry = {
	.name = "tip",
	.sub = "note",
	.flags = 0,
	.usage = "tip note CODE TEXT",
	.exec = ctl_tip_note,
};

const struct ctl_entry ctl_tip_close_entry = {
	.name = "tip",
	.sub = "close",
	.flags = 0,
	.usage = "tip close CODE --result TEXT",
	.exec = ctl_tip_close,
};
