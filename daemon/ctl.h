/*
 * tipgwctl's commands share this: the open configuration and ledger, and
 * who is acting (for the audit log). A command returns 0 on success, 1
 * on a failure it reported, -1 for a usage error.
 */
#ifndef TIPGW_CTL_H
#define TIPGW_CTL_H

struct config;
struct store;

struct ctl {
	const char	*config_path;
	struct config	*conf;
	struct store	*store;
	char		 actor[64];
};

int	ctl_tip_extend(struct ctl *, int, char **);
int	ctl_tip_pause(struct ctl *, int, char **);
int	ctl_tip_resume(struct ctl *, int, char **);
int	ctl_deadlines(struct ctl *, int, char **);
int	ctl_calls(struct ctl *, int, char **);
int	ctl_calls_done(struct ctl *, int, char **);

#endif
