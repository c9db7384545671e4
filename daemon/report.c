/*
 * Reports (report.h): periods and figures, pure. The ledger's tips of a
 * period are added one by one; a case with several tips counts once,
 * its penalty and referral once, in the township of its first tip in
 * the period. CSV for Excel (UTF-8 with a BOM, CRLF lines, Chinese
 * headers); JSON is json.c's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/lexicon.h"
#include "tipgw/log.h"
#include "tipgw/report.h"
#include "tipgw/workday.h"
#include "tipgw/xmalloc.h"

/*
 * The period a report covers: monthly YYYY-MM, quarterly YYYYQN (also
 * YYYY-QN), annual YYYY. 0, or -1 if the value is not one.
 */
int
report_period_parse(const char *kind, const char *v, struct report_period *p)
{
	int	 y, m, q, n;
	char	 extra;

	memset(p, 0, sizeof *p);
	if (strcmp(kind, "monthly") == 0) {
		if (sscanf(v, "%4d-%2d%n%c", &y, &m, &n, &extra) != 2 ||
		    n != 7 || y < 2000 || y > 2100 || m < 1 || m > 12)
			return (-1);
		p->start = workday_day(y, m, 1);
		p->end = m == 12 ? workday_day(y + 1, 1, 1) :
		    workday_day(y, m + 1, 1);
	} else if (strcmp(kind, "quarterly") == 0) {
		if ((sscanf(v, "%4dQ%1d%n%c", &y, &q, &n, &extra) != 2 ||
		    n != 6) && (sscanf(v, "%4d-Q%1d%n%c", &y, &q, &n,
		    &extra) != 2 || n != 7))
			return (-1);
		if (y < 2000 || y > 2100 || q < 1 || q > 4)
			return (-1);
		p->start = workday_day(y, 3 * q - 2, 1);
		p->end = q == 4 ? workday_day(y + 1, 1, 1) :
		    workday_day(y, 3 * q + 1, 1);
		snprintf(p->name, sizeof p->name, "%04dQ%d", y, q);
		return (0);
	} else if (strcmp(kind, "annual") == 0) {
		if (sscanf(v, "%4d%n%c", &y, &n, &extra) != 1 || n != 4 ||
		    y < 2000 || y > 2100)
			return (-1);
		p->start = workday_day(y, 1, 1);
		p->end = workday_day(y + 1, 1, 1);
	} else
		return (-1);
	snprintf(p->name, sizeof p->name, "%s", v);
	return (0);
}

void
report_init(struct report *r, const struct report_period *p)
{
	memset(r, 0, sizeof *r);
	r->period = *p;
	snprintf(r->total.township, sizeof r->total.township, "合计");
}

static size_t
report_index(const char *const *v, const char *name)
{
	size_t	 i;

	for (i = 0; name != NULL && v[i] != NULL; i++)
		if (strcmp(v[i], name) == 0)
			return (i);
	return ((size_t)-1);
}

/* The township's row, added in code order if new. */
static struct report_row *
report_row(struct report *r, const char *code, const char *name)
{
	size_t	 i, at;

	if (code == NULL) {
		code = "";
		name = "未定位";
	}
	for (i = 0, at = r->nrows; i < r->nrows; i++) {
		if (strcmp(r->rows[i].township_code, code) == 0)
			return (&r->rows[i]);
		if (at == r->nrows && strcmp(r->rows[i].township_code,
		    code) > 0)
			at = i;
	}
	r->rows = xreallocarray(r->rows, r->nrows + 1, sizeof *r->rows);
	memmove(&r->rows[at + 1], &r->rows[at], (r->nrows - at) *
	    sizeof *r->rows);
	r->nrows++;
	memset(&r->rows[at], 0, sizeof r->rows[at]);
	snprintf(r->rows[at].township_code, sizeof r->rows[at].township_code,
	    "%s", code);
	snprintf(r->rows[at].township, sizeof r->rows[at].township, "%s",
	    name != NULL ? name : code);
	return (&r->rows[at]);
}

static void
report_count(struct report_row *w, const struct report_tip *t, size_t kind,
    size_t product, int new_case)
{
	w->received++;
	w->by_kind[kind < REPORT_KINDS ? kind : REPORT_KINDS]++;
	w->by_product[product < REPORT_PRODUCTS ? product :
	    REPORT_PRODUCTS]++;
	w->routed += t->routed != 0;
	w->acked_in_time += t->acked_in_time != 0;
	w->rewards_approved += t->rewards_approved;
	w->reward_approved_yuan += t->reward_approved;
	w->rewards_paid += t->rewards_paid;
	w->reward_paid_yuan += t->reward_paid;
	if (!new_case)
		return;
	w->cases++;
	w->verified += t->verified != 0;
	w->penalty += t->penalty > 0 ? t->penalty : 0;
	w->confiscated += t->confiscated > 0 ? t->confiscated : 0;
	w->referrals += t->referred != 0;
}

/* One tip of the period. */
void
report_add(struct report *r, const struct report_tip *t)
{
	size_t	 kind = report_index(lex_kinds, t->kind);
	size_t	 product = report_index(lex_products, t->product);
	size_t	 i;
	int	 new_case = 0;

	if (t->case_id != 0) {
		for (i = 0; i < r->ncounted; i++)
			if (r->counted_cases[i] == t->case_id)
				break;
		if (i == r->ncounted) {
			r->counted_cases = xreallocarray(r->counted_cases,
			    r->ncounted + 1, sizeof *r->counted_cases);
			r->counted_cases[r->ncounted++] = t->case_id;
			new_case = 1;
		}
	}
	report_count(report_row(r, t->township_code, t->township), t, kind,
	    product, new_case);
	report_count(&r->total, t, kind, product, new_case);
}

void
report_free(struct report *r)
{
	free(r->rows);
	free(r->counted_cases);
	memset(r, 0, sizeof *r);
}

static void
report_csv_row(FILE *f, const struct report_row *w)
{
	size_t	 i;

	fprintf(f, "%s,%s,%lld", w->township_code, w->township, w->received);
	for (i = 0; i <= REPORT_KINDS; i++)
		fprintf(f, ",%lld", w->by_kind[i]);
	for (i = 0; i <= REPORT_PRODUCTS; i++)
		fprintf(f, ",%lld", w->by_product[i]);
	fprintf(f, ",%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld"
	    "\r\n", w->routed, w->acked_in_time, w->verified, w->cases,
	    w->penalty, w->confiscated, w->referrals, w->rewards_approved,
	    w->reward_approved_yuan, w->rewards_paid, w->reward_paid_yuan);
}

/* The report as CSV for Excel: UTF-8 with a BOM, CRLF lines. */
char *
report_csv(const struct report *r)
{
	char	*out = NULL;
	size_t	 len = 0, i;
	FILE	*f;

	if ((f = open_memstream(&out, &len)) == NULL)
		fatalx("report: out of memory");
	fprintf(f, "\xef\xbb\xbf乡镇代码,乡镇,收到举报");
	for (i = 0; i < REPORT_KINDS; i++)
		fprintf(f, ",类型:%s", lex_kind_words(lex_kinds[i]));
	fprintf(f, ",类型:未识别");
	for (i = 0; i < REPORT_PRODUCTS; i++)
		fprintf(f, ",食品:%s", lex_product_words(lex_products[i]));
	fprintf(f, ",食品:未识别,已转办,按时受理,查证属实,立案(案件),"
	    "罚款(元),没收(元),移送,奖励核定(件),奖励核定(元),"
	    "奖励发放(件),奖励发放(元)\r\n");
	for (i = 0; i < r->nrows; i++)
		report_csv_row(f, &r->rows[i]);
	report_csv_row(f, &r->total);
	if (fclose(f) != 0)
		fatalx("report: out of memory");
	return (out);
}
