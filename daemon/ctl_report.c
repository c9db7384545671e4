/*
 * tipgwctl report monthly|quarterly|annual|ledger: what came in, where
 * it went, what happened, who was rewarded. monthly --month YYYY-MM
 * (情况表), quarterly --quarter YYYYQN (报表, due the 25th of its last
 * month), annual --year YYYY: per township, tips received by kind and
 * product, routed, acknowledged in time, verified, cases, penalties and
 * confiscations, referrals, rewards approved and paid, and the total.
 * ledger: the 问题台账, one line a case. --csv (UTF-8 with a BOM, for
 * Excel; the default) or --json. Never a reporter's number.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tipgw/calendar.h"
#include "tipgw/clock.h"
#include "tipgw/config.h"
#include "tipgw/json.h"
#include "tipgw/periodic.h"
#include "tipgw/redact.h"
#include "tipgw/report.h"
#include "tipgw/store.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

/* Write text to stdout as it is: CSV's CRLF kept. */
static int
ctl_report_write(const char *text)
{
	size_t	 len = strlen(text), off = 0;
	ssize_t	 n;

	fflush(stdout);
	while (off < len) {
		if ((n = write(STDOUT_FILENO, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "tipgwctl: stdout: %s\n",
			    strerror(errno));
			return (1);
		}
		off += (size_t)n;
	}
	return (0);
}

static int
ctl_report_format(int argc, char **argv, const char *period_opt,
    const char **period, int *json)
{
	const struct option opts[] = {
		{ period_opt, required_argument, NULL, 'p' },
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	*json = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'p')
			*period = optarg;
		else if (ch == 'c')
			*json = 0;
		else if (ch == 'j')
			*json = 1;
		else
			return (-1);
	}
	return (optind == argc ? 0 : -1);
}

static int
ctl_report_period(struct ctl *c, int argc, char **argv, const char *kind,
    const char *opt, const char *example)
{
	struct report		 r;
	struct workday_cal	*cal;
	struct report_period	 p;
	const char		*value = NULL;
	char			*cause = NULL, *out;
	int			 json, rc;

	if (ctl_report_format(argc, argv, opt, &value, &json) != 0 ||
	    value == NULL)
		return (-1);
	if (report_period_parse(kind, value, &p) != 0) {
		fprintf(stderr, "tipgwctl: --%s %s: expected %s\n", opt, value,
		    example);
		return (1);
	}
	if ((cal = calendar_load(c->store, c->conf->holidays, &cause)) == NULL) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	report_init(&r, &p);
	if (report_collect(c->store, cal, (int)c->conf->ack_days, &r,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		report_free(&r);
		workday_free(cal);
		return (1);
	}
	out = json ? json_report(&r) : report_csv(&r);
	rc = ctl_report_write(out);
	if (json && rc == 0)
		rc = ctl_report_write("\n");
	free(out);
	report_free(&r);
	workday_free(cal);
	return (rc);
}

static int
ctl_report_monthly(struct ctl *c, int argc, char **argv)
{
	return (ctl_report_period(c, argc, argv, "monthly", "month",
	    "YYYY-MM"));
}

static int
ctl_report_quarterly(struct ctl *c, int argc, char **argv)
{
	return (ctl_report_period(c, argc, argv, "quarterly", "quarter",
	    "YYYYQN, such as 2026Q4"));
}

static int
ctl_report_annual(struct ctl *c, int argc, char **argv)
{
	return (ctl_report_period(c, argc, argv, "annual", "year", "YYYY"));
}

/* One CSV cell of the ledger: quoted, a formula defused, one line. */
static void
ctl_ledger_cell(FILE *f, const char *s, int last)
{
	char	*masked = redact_numbers(s != NULL ? s : ""), *p;

	fputc('"', f);
	if (*masked != '\0' && strchr("=+-@", *masked) != NULL)
		fputc('\'', f);
	for (p = masked; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc((unsigned char)*p < 0x20 ? ' ' : *p, f);
	}
	fputc('"', f);
	fputs(last ? "\r\n" : ",", f);
	free(masked);
}

struct ctl_ledger {
	FILE		*f;
	struct store	*store;
	int		 json;
	char		 first[256];
};

static int
ctl_ledger_first_cb(const struct store_case_tip *t, void *arg)
{
	snprintf(arg, 256, "%s%s%s", t->township ? t->township : "",
	    t->village ? t->village : "", t->shop ? t->shop : "");
	return (1);
}

static int
ctl_ledger_doc_cb(const struct store_case_tip *t, void *arg)
{
	json_case_tip(arg, t);
	return (0);
}

static int
ctl_ledger_cb(const struct store_case *k, void *arg)
{
	struct ctl_ledger	*l = arg;
	struct json_doc		*d;
	char			*cause = NULL, n[32], penalty[32], conf[32];
	char			 when[32], *s;

	if (strcmp(k->state, "proposed") == 0 ||
	    strcmp(k->state, "dissolved") == 0)
		return (0);
	if (l->json) {
		d = json_case_doc(k);
		if (store_case_tips(l->store, k->id, ctl_ledger_doc_cb, d,
		    &cause) != 0) {
			fprintf(stderr, "tipgwctl: %s\n", cause);
			free(cause);
		}
		s = json_doc_finish(d);
		fprintf(l->f, "%s\n", s);
		free(s);
		return (0);
	}
	snprintf(l->first, sizeof l->first, "-");
	if (store_case_tips(l->store, k->id, ctl_ledger_first_cb, l->first,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
	}
	snprintf(n, sizeof n, "%lld", k->id);
	snprintf(penalty, sizeof penalty, "%lld", k->penalty > 0 ?
	    k->penalty : 0);
	snprintf(conf, sizeof conf, "%lld", k->confiscated > 0 ?
	    k->confiscated : 0);
	ctl_ledger_cell(l->f, n, 0);
	ctl_ledger_cell(l->f, l->first, 0);
	ctl_ledger_cell(l->f, k->finding, 0);
	ctl_ledger_cell(l->f, k->measure, 0);
	ctl_ledger_cell(l->f, k->deadline, 0);
	ctl_ledger_cell(l->f, k->responsible, 0);
	ctl_ledger_cell(l->f, penalty, 0);
	ctl_ledger_cell(l->f, conf, 0);
	ctl_ledger_cell(l->f, k->referral, 0);
	ctl_ledger_cell(l->f, k->referral_at ? clock_china_format(
	    k->referral_at, "%Y-%m-%d", when, sizeof when) : "", 0);
	ctl_ledger_cell(l->f, k->followup, 0);
	ctl_ledger_cell(l->f, k->state, 0);
	snprintf(n, sizeof n, "%lld", k->ntips);
	ctl_ledger_cell(l->f, n, 1);
	return (0);
}

/* report ledger [--csv|--json]: the 问题台账, one line a case. */
static int
ctl_report_ledger(struct ctl *c, int argc, char **argv)
{
	struct ctl_ledger	 l;
	const char		*unused = NULL;
	char			*cause = NULL, *out = NULL;
	size_t			 len = 0;
	int			 rc;

	memset(&l, 0, sizeof l);
	l.store = c->store;
	if (ctl_report_format(argc, argv, "month", &unused, &l.json) != 0 ||
	    unused != NULL)
		return (-1);
	if ((l.f = open_memstream(&out, &len)) == NULL) {
		fprintf(stderr, "tipgwctl: out of memory\n");
		return (1);
	}
	if (!l.json)
		fputs("\xef\xbb\xbf案件编号,被举报地点,发现问题,整改措施,"
		    "整改时限,责任人,罚款(元),没收(元),移送部门,移送日期,"
		    "回头看日期,状态,举报数\r\n", l.f);
	rc = store_cases_foreach(c->store, NULL, 0, ctl_ledger_cb, &l, &cause);
	fclose(l.f);
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		free(out);
		return (1);
	}
	rc = ctl_report_write(out);
	free(out);
	return (rc);
}

const struct ctl_entry ctl_report_monthly_entry = {
	.name = "report", .sub = "monthly", .flags = CTL_READONLY,
	.usage = "report monthly --month YYYY-MM [--csv | --json]",
	.exec = ctl_report_monthly,
};

const struct ctl_entry ctl_report_quarterly_entry = {
	.name = "report", .sub = "quarterly", .flags = CTL_READONLY,
	.usage = "report quarterly --quarter YYYYQN [--csv | --json]",
	.exec = ctl_report_quarterly,
};

const struct ctl_entry ctl_report_annual_entry = {
	.name = "report", .sub = "annual", .flags = CTL_READONLY,
	.usage = "report annual --year YYYY [--csv | --json]",
	.exec = ctl_report_annual,
};

const struct ctl_entry ctl_report_ledger_entry = {
	.name = "report", .sub = "ledger", .flags = CTL_READONLY,
	.usage = "report ledger [--csv | --json]",
	.exec = ctl_report_ledger,
};
