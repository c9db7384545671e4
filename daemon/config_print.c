/*
 * The effective configuration, defaults included, as tipgwd -nv prints
 * it: every [tipgw] key in the form the file takes, then the modems'
 * sections as read. A password is shown as set, never itself.
 */
#include "config.h"

#include <stdio.h>

#include "tipgw/config.h"

void
config_print(const struct config *conf, FILE *f)
{
	size_t	 i, j;

	fprintf(f, "[tipgw]\n");
	fprintf(f, "database = %s\n", conf->database);
	fprintf(f, "listen = %s\n", conf->listen);
	fprintf(f, "poll_interval = %us\n", conf->poll_interval);
	if (conf->gammurc != NULL)
		fprintf(f, "gammurc = %s\n", conf->gammurc);
	fprintf(f, "multipart_timeout = %us\n", conf->multipart_timeout);
	fprintf(f, "health_interval = %us\n", conf->health_interval);
	fprintf(f, "stall_timeout = %us\n", conf->stall_timeout);
	fprintf(f, "service_senders = %s\n", conf->service_senders);
	fprintf(f, "hangup_calls = %s\n", conf->hangup_calls ? "yes" : "no");
	fprintf(f, "delivery_reports = %s\n",
	    conf->delivery_reports ? "yes" : "no");
	fprintf(f, "lexicon = %s\n", conf->lexicon);
	if (conf->lexicon_local != NULL)
		fprintf(f, "lexicon_local = %s\n", conf->lexicon_local);
	fprintf(f, "templates = %s\n", conf->templates);
	fprintf(f, "ui_directory = %s\n", conf->ui_directory);
	fprintf(f, "reward_rules = %s\n", conf->reward_rules);
	fprintf(f, "reward_rules_file = %s\n", conf->reward_rules_file);
	fprintf(f, "reward_sms_amount = %s\n",
	    conf->reward_sms_amount ? "yes" : "no");
	if (conf->report_email != NULL)
		fprintf(f, "report_email = %s\n", conf->report_email);
	fprintf(f, "report_days_before = %u\n", conf->report_days_before);
	fprintf(f, "followup_window = %us\n", conf->followup_window);
	fprintf(f, "case_window = %us\n", conf->case_window);
	fprintf(f, "reply_limit = %u\n", conf->reply_limit);
	fprintf(f, "inbound_limit = %u\n", conf->inbound_limit);
	fprintf(f, "quiet_hours = %s\n", conf->quiet_hours);
	fprintf(f, "sms_daily_budget = %u\n", conf->sms_daily_budget);
	fprintf(f, "outbox_retry_min = %us\n", conf->outbox_retry_min);
	fprintf(f, "outbox_retry_max = %us\n", conf->outbox_retry_max);
	fprintf(f, "outbox_max_attempts = %u\n", conf->outbox_max_attempts);
	fprintf(f, "notify_timeout = %us\n", conf->notify_timeout);
	fprintf(f, "tls_verify = %s\n", conf->tls_verify ? "yes" : "no");
	if (conf->smtp_url != NULL)
		fprintf(f, "smtp_url = %s\n", conf->smtp_url);
	if (conf->smtp_from != NULL)
		fprintf(f, "smtp_from = %s\n", conf->smtp_from);
	if (conf->smtp_user != NULL)
		fprintf(f, "smtp_user = %s\n", conf->smtp_user);
	if (conf->smtp_password != NULL)
		fprintf(f, "smtp_password = (set)\n");
	fprintf(f, "smtp_starttls = %s\n",
	    config_starttls[conf->smtp_starttls]);
	fprintf(f, "holidays = %s\n", conf->holidays);
	fprintf(f, "ack_days = %u\n", conf->ack_days);
	fprintf(f, "verify_days = %u\n", conf->verify_days);
	fprintf(f, "reporter_retention_days = %u\n",
	    conf->reporter_retention_days);
	if (conf->coordinator_phone != NULL)
		fprintf(f, "coordinator_phone = %s\n", conf->coordinator_phone);
	if (conf->coordinator_email != NULL)
		fprintf(f, "coordinator_email = %s\n", conf->coordinator_email);
	if (conf->coordinator_webhook != NULL)
		fprintf(f, "coordinator_webhook = %s\n",
		    conf->coordinator_webhook);
	if (conf->coordinator_webhook_format != NULL)
		fprintf(f, "coordinator_webhook_format = %s\n",
		    conf->coordinator_webhook_format);
	fprintf(f, "missed_call_sms = %s\n",
	    conf->missed_call_sms ? "yes" : "no");
	fprintf(f, "modem_down_alert = %us\n", conf->modem_down_alert);
	if (conf->modem_reset_command != NULL)
		fprintf(f, "modem_reset_command = %s\n",
		    conf->modem_reset_command);
	fprintf(f, "modem_reset_after = %u\n", conf->modem_reset_after);
	for (i = 0; i < conf->nmodems; i++) {
		fprintf(f, "\n[%s]\n", conf->modems[i].name);
		for (j = 0; j < conf->modems[i].npairs; j++)
			fprintf(f, "%s = %s\n", conf->modems[i].pairs[j].key,
			    conf->modems[i].pairs[j].value);
	}
}
