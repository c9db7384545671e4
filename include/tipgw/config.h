/*
 * tipgw.conf: the [tipgw] section (parsed here, with line numbers) and the
 * Gammu modem sections [gammu], [gammu1], ... (read by libGammu in modem.c).
 */
#ifndef TIPGW_CONFIG_H
#define TIPGW_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#define CONFIG_DEFAULT_PATH	SYSCONFDIR "/tipgw/tipgw.conf"
#define CONFIG_MAX_MODEMS	16

struct config_pair {
	char	*key;
	char	*value;
	int	 line;
};

/* One modem: a Gammu section, as written, for libGammu to read. */
struct config_modem {
	char			*name;		/* section name, e.g. "gammu1" */
	int			 number;	/* Gammu's section number */
	char			*file;		/* file that holds the section */
	int			 line;
	struct config_pair	*pairs;
	size_t			 npairs;
};

struct config {
	char			*path;
	char			*database;
	char			*listen;	/* ADDRESS:PORT as written */
	char			*listen_address;
	unsigned int		 listen_port;
	unsigned int		 poll_interval;	/* seconds */
	char			*gammurc;	/* modems live here if set */
	unsigned int		 multipart_timeout; /* seconds */
	unsigned int		 health_interval; /* seconds */
	unsigned int		 stall_timeout;	/* seconds */
	char			*service_senders; /* patterns */
	int			 hangup_calls;
	int			 delivery_reports;
	char			*lexicon;	/* directory of *.txt */
	char			*ui_directory;	/* the web UI's files */
	char			*reward_rules;	/* set names, in order */
	char			*reward_rules_file;
	int			 reward_sms_amount; /* the claim SMS says it */
	char			*report_email;	/* the quarter's report to */
	unsigned int		 report_days_before;
	char			*lexicon_local;	/* the operator's file */
	char			*templates;	/* reply texts */
	unsigned int		 followup_window; /* seconds */
	unsigned int		 case_window;	/* seconds: one target's tips */
	unsigned int		 reply_limit;	/* replies a day to a number */
	unsigned int		 inbound_limit;	/* tips an hour from a number */
	char			*quiet_hours;	/* as written */
	int			 quiet_from, quiet_to; /* minutes; equal: none */
	unsigned int		 sms_daily_budget; /* parts; 0: none */
	unsigned int		 outbox_retry_min; /* seconds */
	unsigned int		 outbox_retry_max;
	unsigned int		 outbox_max_attempts;
	unsigned int		 notify_timeout; /* seconds */
	int			 tls_verify;
	char			*smtp_url;
	char			*smtp_from;
	char			*smtp_user;
	char			*smtp_password;
	int			 smtp_starttls;	/* NOTIFY_STARTTLS_* */
	char			*holidays;	/* working-day calendar */
	unsigned int		 ack_days;	/* working days */
	unsigned int		 verify_days;
	unsigned int		 reporter_retention_days; /* 0: keep */
	char			*coordinator_phone;
	char			*coordinator_email;
	char			*coordinator_webhook;
	char			*coordinator_webhook_format;
	int			 missed_call_sms;
	unsigned int		 modem_down_alert; /* seconds; 0: never */
	char			*modem_reset_command; /* NULL: none */
#define CONFIG_RESET_COMMAND_MAX 512
	unsigned int		 modem_reset_after; /* failures in a row */
	struct config_modem	*modems;
	size_t			 nmodems;
};

struct config	*config_load(const char *path, char **cause);
void		 config_free(struct config *);
void		 config_print(const struct config *, FILE *);
/* smtp_starttls's values, by number (config.c). */
extern const char *const config_starttls[3];
int		 config_merge_reload(struct config *newconf,
		    struct config *oldconf);
const char	*config_modem_get(const struct config_modem *, const char *);
int		 config_parse_duration(const char *, unsigned int *);

#endif
