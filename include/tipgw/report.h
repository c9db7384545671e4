/*
 * Reports (report.c, pure): the period a report covers, and its figures
 * per township from the ledger's tips of that period: received, by kind
 * and by product, routed, acknowledged in time, verified, cases,
 * penalties and confiscations, referrals, rewards approved and paid.
 * The 情况表 of a month, the 报表 of a quarter, the year's summary.
 */
#ifndef TIPGW_REPORT_H
#define TIPGW_REPORT_H

#include <stddef.h>
#include <time.h>

#define REPORT_KINDS	7	/* lex_kinds, in order */
#define REPORT_PRODUCTS	10	/* lex_products, in order */

/* A period: [start, end) in China days (workday_day's numbering). */
struct report_period {
	char	 name[16];	/* 2026-11, 2026Q4, 2026 */
	long	 start;
	long	 end;
};

/* A tip of the period, as the ledger gives it. */
struct report_tip {
	const char	*township_code;	/* NULL: unplaced */
	const char	*township;
	const char	*kind;		/* lex_kinds; NULL */
	const char	*product;
	int		 routed;	/* reached an office, ever */
	int		 acked_in_time;	/* 收到 within ack_days */
	long long	 case_id;	/* 0: in no case */
	int		 verified;	/* its case's finding: verified */
	long long	 penalty;	/* its case's, yuan (-1: none) */
	long long	 confiscated;
	int		 referred;	/* its case was referred */
	long long	 reward_approved;	/* yuan, approved or later */
	long long	 reward_paid;		/* yuan, paid */
	int		 rewards_approved;	/* 1 if approved or later */
	int		 rewards_paid;
};

/* The figures of one township (or all of them). */
struct report_row {
	char		 township_code[16];
	char		 township[64];
	long long	 received;
	long long	 by_kind[REPORT_KINDS + 1];	/* + unknown */
	long long	 by_product[REPORT_PRODUCTS + 1];
	long long	 routed;
	long long	 acked_in_time;
	long long	 verified;
	long long	 cases;
	long long	 penalty;
	long long	 confiscated;
	long long	 referrals;
	long long	 rewards_approved;
	long long	 reward_approved_yuan;
	long long	 rewards_paid;
	long long	 reward_paid_yuan;
};

struct report {
	struct report_period	 period;
	struct report_row	*rows;		/* by township code */
	size_t			 nrows;
	struct report_row	 total;
	long long		*counted_cases;	/* a case counted once */
	size_t			 ncounted;
};

int	report_period_parse(const char *kind, const char *value,
	    struct report_period *);
void	report_init(struct report *, const struct report_period *);
void	report_add(struct report *, const struct report_tip *);
void	report_free(struct report *);
char	*report_csv(const struct report *);

#endif
