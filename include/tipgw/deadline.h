/*
 * A tip's clocks on the working-day calendar (pure). Acknowledge within
 * ack_days working days; verify and decide within verify_days, counted
 * from the day after the clock started (receipt, or the last merge of
 * new facts), once extended by as many again, paused days not counted.
 * Once a case is filed (立案) the clock is the case's instead: decided
 * within case_days calendar days of filing (a last day off moves to the
 * next working day), once extended by case_extension days.
 * A tip waiting for the coordinator (no office, returned, unplaced) is on
 * the coordinator's clock: routed again within ack_days working days.
 * Reminders go to the office at D-3 and D-1; a passed deadline is
 * escalated to the coordinator.
 */
#ifndef TIPGW_DEADLINE_H
#define TIPGW_DEADLINE_H

struct store_open_tip;
struct workday_cal;

enum deadline_stage {
	DEADLINE_RUNNING,
	DEADLINE_D3,		/* 3 or 2 working days left */
	DEADLINE_D1,		/* 1 or 0 left: the last day */
	DEADLINE_OVERDUE,
};

struct deadline_tip {
	long	 from_day;	/* the clock's start (not counted) */
	int	 acknowledged;	/* the office answered 收到 */
	int	 extended;	/* one extension granted */
	int	 paused_days;	/* working days of finished pauses */
	long	 paused_from;	/* a pause running since; -1: none */
	long	 filed_day;	/* 立案: the case clock; -1: not filed */
	int	 coordinator;	/* the coordinator's: route it in ack_days */
};

#define DEADLINE_CASE_DAYS	90	/* 处罚程序规定 art. 64 */
#define DEADLINE_CASE_EXTENSION	30

struct deadline {
	long			 ack_due;
	int			 ack_overdue;
	long			 verify_due;
	int			 verify_left;	/* working days; < 0 overdue */
	enum deadline_stage	 stage;
	int			 paused;
	int			 filed;		/* the case clock */
	int			 coordinator;	/* the coordinator's clock */
};

void	deadline_compute(const struct workday_cal *, int ack_days,
	    int verify_days, const struct deadline_tip *, long today,
	    struct deadline *);
void	deadline_tip_of(const struct store_open_tip *, struct deadline_tip *);
int	deadline_paused_days(const struct workday_cal *, long from, long to);

#endif
