/*
 * tipgwctl export 12315 [--since DATE] [--until DATE] [--reveal --reason
 * TEXT] [--output FILE]: the registration fields of the tips received,
 * for the national 12315 system (Order 121 registers every tip), as CSV
 * in UTF-8 with a BOM so Excel opens it. A reporter's number is in it
 * only with --reveal and a reason, audited; a file holding numbers is
 * made 0600. A cell Excel would read as a formula is quoted with '.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tipgw/clock.h"
#include "tipgw/lexicon.h"
#include "tipgw/redact.h"
#include "tipgw/store.h"
#include "tipgw/tip_state.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

struct ctl_export {
	FILE		*out;
	struct store	*store;
	const char	*actor;
	const char	*reason;
	int		 reveal;
	int		 n;
	char		*error;
};

/* One CSV cell: quoted when it must be, a formula defused. */
static void
ctl_csv_cell(FILE *f, const char *s, int last)
{
	const char	*p;

	int		 formula;

	if (s == NULL)
		s = "";
	/* strchr finds a NUL too: an empty cell is no formula. */
	formula = *s != '\0' && strchr("=+-@\t", *s) != NULL;
	if (strpbrk(s, ",\"") != NULL || formula)
		fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' && (strpbrk(s, ",\"") != NULL || formula))
			fputc('"', f);
		/* A control character (a line break too) is a space. */
		fputc((unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
	}
	if (strpbrk(s, ",\"") != NULL || formula)
		fputc('"', f);
	fputs(last ? "\r\n" : ",", f);
}

static int
ctl_export_cb(const struct tip *t, void *arg)
{
	struct ctl_export	*e = arg;
	enum tip_state		 state;
	char			 when[32], place[256], *words, *phone = NULL;
	char			*cause = NULL;
	const char		*state_words = t->state;

	if (e->reveal && t->code != NULL && store_tip_reveal(e->store,
	    t->code, e->reason, clock_now(), e->actor, &phone, &cause) != 0) {
		e->error = cause;
		return (1);
	}
	if (tip_state_parse(t->state, &state) == 0)
		state_words = tip_state_words(state);
	snprintf(place, sizeof place, "%s%s%s", t->township ? t->township : "",
	    t->village ? t->village : "", t->shop ? t->shop : "");
	words = redact_numbers(t->text != NULL ? t->text : "");
	clock_china_format(t->received_at, "%Y-%m-%d %H:%M:%S", when,
	    sizeof when);
	ctl_csv_cell(e->out, t->code, 0);
	ctl_csv_cell(e->out, t->order_12315, 0);
	ctl_csv_cell(e->out, when, 0);
	ctl_csv_cell(e->out, strcmp(t->channel, "sms") == 0 ? "短信" :
	    strcmp(t->channel, "hotline") == 0 ? "电话" : t->channel, 0);
	ctl_csv_cell(e->out, e->reveal ? (phone != NULL ? phone : "匿名") :
	    "", 0);
	ctl_csv_cell(e->out, place, 0);
	ctl_csv_cell(e->out, t->kind ? lex_kind_words(t->kind) : "", 0);
	ctl_csv_cell(e->out, t->product ? lex_product_words(t->product) : "",
	    0);
	ctl_csv_cell(e->out, words, 0);
	ctl_csv_cell(e->out, t->office_name, 0);
	ctl_csv_cell(e->out, state_words, 0);
	ctl_csv_cell(e->out, t->result, 1);
	free(words);
	free(phone);
	e->n++;
	return (0);
}

static int
ctl_export_12315(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "reveal", no_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_export	 e;
	struct tip_filter	 f;
	const char		*reason = NULL, *output = NULL;
	char			*cause = NULL, detail[512];
	int			 ch, fd;

	memset(&e, 0, sizeof e);
	memset(&f, 0, sizeof f);
	e.store = c->store;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
		case 'u':
			if (clock_parse_query(optarg, ch == 'u', ch == 's' ?
			    &f.since : &f.until) != 0) {
				fprintf(stderr, "tipgwctl: --%s %s: expected "
				    "YYYY-MM-DD\n", ch == 's' ? "since" :
				    "until", optarg);
				return (1);
			}
			break;
		case 'r':
			e.reveal = 1;
			break;
		case 'R':
			reason = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return (-1);
		}
	}
	if (optind != argc)
		return (-1);
	e.actor = c->actor;
	e.reason = reason;
	if (e.reveal && (reason == NULL || *reason == '\0')) {
		fprintf(stderr, "tipgwctl: --reveal needs --reason: each "
		    "reporter's number shown is audited with it\n");
		return (1);
	}
	/*
	 * The CSV goes out as written (its CRLF too), not through the
	 * terminal filter: its cells hold no control character.
	 */
	fflush(stdout);
	if (output == NULL) {
		if ((fd = dup(STDOUT_FILENO)) == -1 ||
		    (e.out = fdopen(fd, "w")) == NULL) {
			fprintf(stderr, "tipgwctl: stdout: %s\n",
			    strerror(errno));
			return (1);
		}
	} else if ((fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    e.reveal ? 0600 : 0644)) == -1 ||
	    (e.reveal && fchmod(fd, 0600) == -1) ||
	    (e.out = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "tipgwctl: %s: %s\n", output, strerror(errno));
		return (1);
	}
	if (e.reveal) {
		snprintf(detail, sizeof detail, "export 12315 with reporters' "
		    "numbers reason=%s", reason);
		if (store_event_add(c->store, clock_now(), c->actor,
		    "export.revealed", 0, detail, &cause) != 0)
			goto fail;
	}
	fputs("\xef\xbb\xbf", e.out);	/* the BOM: Excel reads UTF-8 */
	ctl_csv_cell(e.out, "登记编号", 0);
	ctl_csv_cell(e.out, "12315工单号", 0);
	ctl_csv_cell(e.out, "接收时间", 0);
	ctl_csv_cell(e.out, "渠道", 0);
	ctl_csv_cell(e.out, "举报人电话", 0);
	ctl_csv_cell(e.out, "被举报地点", 0);
	ctl_csv_cell(e.out, "问题类型", 0);
	ctl_csv_cell(e.out, "食品类别", 0);
	ctl_csv_cell(e.out, "举报内容", 0);
	ctl_csv_cell(e.out, "承办单位", 0);
	ctl_csv_cell(e.out, "办理状态", 0);
	ctl_csv_cell(e.out, "处理结果", 1);
	if (store_tip_foreach(c->store, &f, ctl_export_cb, &e, &cause) != 0)
		goto fail;
	if (e.error != NULL) {
		cause = e.error;
		goto fail;
	}
	if (fclose(e.out) != 0) {
		fprintf(stderr, "tipgwctl: %s: %s\n", output ? output :
		    "stdout", strerror(errno));
		return (1);
	}
	fprintf(stderr, "tipgwctl: %d tip(s) exported%s\n", e.n, e.reveal ?
	    ", with the reporters' numbers (audited)" : "");
	return (0);
fail:
	fprintf(stderr, "tipgwctl: %s\n", cause);
	free(cause);
	fclose(e.out);
	return (1);
}

const struct ctl_entry ctl_export_12315_entry = {
	.name = "export", .sub = "12315", .flags = 0,
	.usage = "export 12315 [--since DATE] [--until DATE] "
	    "[--reveal --reason TEXT] [--output FILE]",
	.exec = ctl_export_12315,
};
