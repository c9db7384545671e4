/*
 * report.c: the periods, and the figures on a fixture of tips: per
 * township and in total, a case with two tips counted once, penalties,
 * referrals and rewards; the CSV Excel opens.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/report.h"
#include "tipgw/workday.h"
#include "tap.h"

#define A	"411724101"
#define B	"411724108"

static void
test_periods(void)
{
	static const struct {
		const char	*kind, *value;
		int		 ok;
		int		 y1, m1, y2, m2;
	} cases[] = {
		{ "monthly", "2026-11", 1, 2026, 11, 2026, 12 },
		{ "monthly", "2026-12", 1, 2026, 12, 2027, 1 },
		{ "quarterly", "2026Q4", 1, 2026, 10, 2027, 1 },
		{ "quarterly", "2026-Q1", 1, 2026, 1, 2026, 4 },
		{ "quarterly", "2026Q2", 1, 2026, 4, 2026, 7 },
		{ "annual", "2026", 1, 2026, 1, 2027, 1 },
		{ "monthly", "2026-13", 0, 0, 0, 0, 0 },
		{ "monthly", "2026-1", 0, 0, 0, 0, 0 },
		{ "monthly", "2026-11x", 0, 0, 0, 0, 0 },
		{ "quarterly", "2026Q5", 0, 0, 0, 0, 0 },
		{ "quarterly", "2026Q4x", 0, 0, 0, 0, 0 },
		{ "annual", "26", 0, 0, 0, 0, 0 },
		{ "annual", "1999", 0, 0, 0, 0, 0 },
		{ "weekly", "2026", 0, 0, 0, 0, 0 },
	};
	struct report_period	 p;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc = report_period_parse(cases[i].kind, cases[i].value, &p);
		if (!cases[i].ok) {
			ok(rc != 0, "%s %s: refused", cases[i].kind,
			    cases[i].value);
			continue;
		}
		ok(rc == 0 && p.start == workday_day(cases[i].y1,
		    cases[i].m1, 1) && p.end == workday_day(cases[i].y2,
		    cases[i].m2, 1), "%s %s: %04d-%02d to %04d-%02d",
		    cases[i].kind, cases[i].value, cases[i].y1, cases[i].m1,
		    cases[i].y2, cases[i].m2);
	}
	report_period_parse("quarterly", "2026-Q1", &p);
	is_str(p.name, "2026Q1", "a quarter is named YYYYQN");
}

static void
test_figures(void)
{
	static const struct report_tip tips[] = {
		/* Two villagers, one shop: one case, penalty, referral. */
		{ A, "寒冻镇", "expired", "dairy", 1, 1, 5, 1, 5000, 800, 1,
		    200, 200, 1, 1 },
		{ A, "寒冻镇", "expired", "dairy", 1, 0, 5, 1, 5000, 800, 1,
		    0, 0, 0, 0 },
		{ B, "袁寨镇", "counterfeit", "liquor", 1, 1, 0, 0, -1, -1, 0,
		    0, 0, 0, 0 },
		/* Unplaced, nothing understood, never routed. */
		{ NULL, NULL, NULL, NULL, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0, 0 },
		/* An approved reward not paid yet. */
		{ B, "袁寨镇", "sanwu", "snack", 1, 1, 9, 1, 0, 0, 0, 100, 0,
		    1, 0 },
	};
	struct report_period	 p;
	struct report		 r;
	const struct report_row	*a, *b, *u, *t;
	char			*csv;
	size_t			 i;

	report_period_parse("quarterly", "2026Q4", &p);
	report_init(&r, &p);
	for (i = 0; i < sizeof tips / sizeof tips[0]; i++)
		report_add(&r, &tips[i]);
	is_int((long long)r.nrows, 3, "three rows: two townships, unplaced");
	u = &r.rows[0];
	a = &r.rows[1];
	b = &r.rows[2];
	t = &r.total;
	ok(strcmp(u->township, "未定位") == 0 && strcmp(a->township_code, A) ==
	    0 && strcmp(b->township_code, B) == 0, "rows by township code, "
	    "the unplaced first");
	is_int(a->received, 2, "寒冻镇: two tips");
	is_int(a->by_kind[2], 2, "寒冻镇: both expired (lex_kinds[2])");
	is_int(a->by_product[0], 2, "寒冻镇: both dairy");
	is_int(a->routed, 2, "寒冻镇: both routed");
	is_int(a->acked_in_time, 1, "寒冻镇: one acknowledged in time");
	is_int(a->cases, 1, "寒冻镇: one case for two tips");
	is_int(a->verified, 1, "寒冻镇: verified once");
	is_int(a->penalty, 5000, "寒冻镇: the penalty counted once");
	is_int(a->confiscated, 800, "寒冻镇: the confiscation once");
	is_int(a->referrals, 1, "寒冻镇: one referral");
	ok(a->rewards_approved == 1 && a->reward_approved_yuan == 200 &&
	    a->rewards_paid == 1 && a->reward_paid_yuan == 200, "寒冻镇: the "
	    "first reporter's reward, approved and paid");
	is_int(b->received, 2, "袁寨镇: two tips");
	ok(b->cases == 1 && b->penalty == 0, "袁寨镇: a case with no "
	    "penalty");
	ok(b->rewards_approved == 1 && b->reward_approved_yuan == 100 &&
	    b->rewards_paid == 0, "袁寨镇: a reward approved, not paid");
	ok(u->received == 1 && u->by_kind[REPORT_KINDS] == 1 &&
	    u->by_product[REPORT_PRODUCTS] == 1 && u->routed == 0,
	    "unplaced: unknown kind and product, never routed");
	ok(t->received == 5 && t->cases == 2 && t->penalty == 5000 &&
	    t->routed == 4 && t->acked_in_time == 3 &&
	    t->reward_approved_yuan == 300 && t->reward_paid_yuan == 200,
	    "the total");
	csv = report_csv(&r);
	ok(strncmp(csv, "\xef\xbb\xbf乡镇代码,乡镇,收到举报", 27) == 0,
	    "CSV: the BOM and the header");
	ok(strstr(csv, "\r\n" A ",寒冻镇,2,") != NULL, "CSV: a township's "
	    "row");
	ok(strstr(csv, "\r\n,合计,5,") != NULL, "CSV: the total row");
	ok(strstr(csv, "\n") != NULL && strstr(csv, "\r\n") != NULL &&
	    csv[strlen(csv) - 1] == '\n' && csv[strlen(csv) - 2] == '\r',
	    "CSV: CRLF lines");
	free(csv);
	report_free(&r);
}

int
main(void)
{
	test_periods();
	test_figures();
	return (done_testing());
}
