/*
 * tipgwctl's commands: one file a family (ctl_<family>.c), each command
 * an entry (tmux's cmd_entry). A command's exec returns 0 on success, 1
 * on a failure it reported, -1 for a usage error. tipgwctl.c opens the
 * configuration and the ledger the entry asks for, and knows who acts.
 */
#ifndef TIPGW_CTL_H
#define TIPGW_CTL_H

#include <time.h>

struct config;
struct division;
struct store;

struct ctl {
	const char	*config_path;
	struct config	*conf;
	struct store	*store;
	char		 actor[64];
};

#define CTL_READONLY	1	/* the ledger, read-only */
#define CTL_NOLEDGER	2	/* neither configuration nor ledger */

struct ctl_entry {
	const char	*name;
	const char	*sub;		/* NULL: none */
	int		 flags;
	const char	*usage;
	int		 (*exec)(struct ctl *, int, char **);
};

extern const struct ctl_entry ctl_backup_entry;
extern const struct ctl_entry ctl_broadcast_entry;
extern const struct ctl_entry ctl_check_entry;
extern const struct ctl_entry ctl_calls_entry;
extern const struct ctl_entry ctl_case_close_entry;
extern const struct ctl_entry ctl_case_confirm_entry;
extern const struct ctl_entry ctl_case_list_entry;
extern const struct ctl_entry ctl_case_open_entry;
extern const struct ctl_entry ctl_case_outcome_entry;
extern const struct ctl_entry ctl_case_show_entry;
extern const struct ctl_entry ctl_case_split_entry;
extern const struct ctl_entry ctl_calls_done_entry;
extern const struct ctl_entry ctl_classify_entry;
extern const struct ctl_entry ctl_deadlines_entry;
extern const struct ctl_entry ctl_export_12315_entry;
extern const struct ctl_entry ctl_gazetteer_import_entry;
extern const struct ctl_entry ctl_gazetteer_list_entry;
extern const struct ctl_entry ctl_holidays_import_entry;
extern const struct ctl_entry ctl_holidays_list_entry;
extern const struct ctl_entry ctl_office_add_entry;
extern const struct ctl_entry ctl_office_list_entry;
extern const struct ctl_entry ctl_office_set_entry;
extern const struct ctl_entry ctl_outbox_entry;
extern const struct ctl_entry ctl_outbox_retry_entry;
extern const struct ctl_entry ctl_poll_close_entry;
extern const struct ctl_entry ctl_poll_open_entry;
extern const struct ctl_entry ctl_poll_show_entry;
extern const struct ctl_entry ctl_report_annual_entry;
extern const struct ctl_entry ctl_report_ledger_entry;
extern const struct ctl_entry ctl_report_monthly_entry;
extern const struct ctl_entry ctl_report_quarterly_entry;
extern const struct ctl_entry ctl_reward_approve_entry;
extern const struct ctl_entry ctl_reward_flag_entry;
extern const struct ctl_entry ctl_reward_list_entry;
extern const struct ctl_entry ctl_reward_pay_entry;
extern const struct ctl_entry ctl_reward_revoke_entry;
extern const struct ctl_entry ctl_send_entry;
extern const struct ctl_entry ctl_tip_close_entry;
extern const struct ctl_entry ctl_tip_extend_entry;
extern const struct ctl_entry ctl_tip_note_entry;
extern const struct ctl_entry ctl_tip_pause_entry;
extern const struct ctl_entry ctl_tip_resume_entry;
extern const struct ctl_entry ctl_tip_route_entry;
extern const struct ctl_entry ctl_tip_set_entry;
extern const struct ctl_entry ctl_tip_show_entry;
extern const struct ctl_entry ctl_tips_entry;
extern const struct ctl_entry ctl_user_add_entry;
extern const struct ctl_entry ctl_user_list_entry;
extern const struct ctl_entry ctl_user_revoke_entry;

/* ctl_args.c */
int	ctl_json_flag(int, char **, int *);
void	ctl_list_add(char ***, size_t *, const char *);
double	ctl_elapsed(const struct timespec *);

/* ctl_gazetteer.c */
int	ctl_division_read(struct division *, const char *streets,
	    const char *villages, const char *areas, const char *selection);
int	ctl_division_select(char **selection, const char *arg, int prefix);

/* ctl_reward.c */
int	ctl_award(struct ctl *, long long case_id);

/* ctl_tip.c */
int	ctl_tip_result(int, const char *what, const char *code, char *cause);

#endif
