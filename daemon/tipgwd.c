/*
 * tipgwd: the tip gateway daemon. Options, start-up order, signals, reload,
 * shutdown and systemd notification; the modules do the work.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "tipgw/calendar.h"
#include "tipgw/clock.h"
#include "tipgw/api.h"
#include "tipgw/config.h"
#include "tipgw/desk.h"
#include "tipgw/ingest.h"
#include "tipgw/lexicon.h"
#include "tipgw/log.h"
#include "tipgw/open311.h"
#include "tipgw/modem.h"
#include "tipgw/notify.h"
#include "tipgw/outbox.h"
#include "tipgw/pin.h"
#include "tipgw/remind.h"
#include "tipgw/reward.h"
#include "tipgw/workday.h"
#include "tipgw/division.h"
#include "tipgw/gazetteer.h"
#include "tipgw/store.h"
#include "tipgw/template.h"
#include "tipgw/tipgw.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"

#include "tipgwd_int.h"

#define MODEM_BACKOFF_MIN	2
#define MODEM_BACKOFF_MAX	300


/*
 * The event loop never waits long for a lock another process holds on
 * the ledger (tipgwctl, a backup): what could not be written is tried
 * again from the loop, and /healthz, the outbox and the watchdog go on.
 */
#define TIPGWD_BUSY_TIMEOUT_MS	250

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: tipgwd [-dnv] [-f file]\n");
	exit(1);
}

/* Print each line of a multi-line cause as a warning. */
static void
tipgwd_log_lines(const char *text)
{
	char	*copy = xstrdup(text), *line, *p = copy;

	while ((line = strsep(&p, "\n")) != NULL)
		log_warnx("%s", line);
	free(copy);
}

/*
 * Load the lexicon, the gazetteer of division d (may be empty) and the
 * reply templates that conf names. Errors are logged, one a line.
 */
static int
tipgwd_words_load(const struct config *conf, const struct division *d,
    struct understand **up, struct templates **tp)
{
	struct understand	*u = xcalloc(1, sizeof *u);
	struct templates	*t;
	char			*cause = NULL, *shipped;

	if (understand_init(u, conf->lexicon, conf->lexicon_local, d,
	    &cause) != 0) {
		tipgwd_log_lines(cause);
		free(cause);
		free(u);
		return (-1);
	}
	u->followup_window = conf->followup_window;
	xasprintf(&shipped, "%s/templates.txt", tipgw_datadir());
	t = templates_load(conf->templates, shipped, &cause);
	free(shipped);
	if (t == NULL) {
		tipgwd_log_lines(cause);
		free(cause);
		understand_clear(u);
		free(u);
		return (-1);
	}
	*up = u;
	*tp = t;
	return (0);
}

static void
tipgwd_words_free(struct understand *u, struct templates *t)
{
	if (u != NULL) {
		understand_clear(u);
		free(u);
	}
	templates_free(t);
}

/* Years were imported into the ledger: the desk counts on them too. */
static void
tipgwd_calendar_cb(void *arg)
{
	struct tipgwd		*d = arg;
	struct workday_cal	*cal;
	char			*cause = NULL;

	if ((cal = calendar_load(d->store, d->conf->holidays, &cause)) ==
	    NULL) {
		log_warnx("desk: holidays: %s", cause);
		free(cause);
		return;
	}
	desk_set_clock(d->desk, cal, d->conf->ack_days, d->conf->verify_days);
}

/* Deadline reminders with these settings, templates and holidays. */
static void
tipgwd_reminders(struct tipgwd *d, const struct config *conf,
    const struct templates *t)
{
	struct remind_options	 o;
	struct workday_cal	*cal;
	char			*cause = NULL;

	if ((cal = calendar_load(d->store, conf->holidays, &cause)) != NULL)
		desk_set_clock(d->desk, cal, conf->ack_days,
		    conf->verify_days);
	desk_set_campaign(d->desk, conf->reward_rules_file,
	    conf->reward_rules, t, conf->reward_sms_amount);
	free(cause);
	cause = NULL;
	memset(&o, 0, sizeof o);
	o.ack_days = (int)conf->ack_days;
	o.verify_days = (int)conf->verify_days;
	o.coordinator_phone = conf->coordinator_phone;
	o.coordinator_email = conf->coordinator_email;
	o.followup_window = conf->followup_window;
	o.report_email = conf->report_email;
	o.report_days_before = conf->report_days_before;
	o.case_window = conf->case_window;
	o.retention_days = conf->reporter_retention_days;
	if (d->remind == NULL) {
		if ((d->remind = remind_new(d->base, d->store, conf->holidays,
		    &cause)) == NULL)
			fatalx("remind: holidays: %s", cause);
		remind_set_pin_key(d->remind, &d->pin_key);
		remind_set_calendar_cb(d->remind, tipgwd_calendar_cb, d);
		remind_set(d->remind, &o, t, NULL, &cause);
		return;
	}
	if (remind_set(d->remind, &o, t, conf->holidays, &cause) != 0) {
		log_warnx("remind: holidays: %s; keeping the old calendar",
		    cause);
		free(cause);
	}
}

/* The words with the ledger's gazetteer, into the daemon and intake. */
static int
tipgwd_understanding(struct tipgwd *d, const struct config *conf)
{
	struct division		 div;
	struct understand	*u;
	struct templates	*t;
	char			*cause = NULL;
	int			 rc;

	if (store_division_load(d->store, &div, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (-1);
	}
	rc = tipgwd_words_load(conf, &div, &u, &t);
	if (rc == 0) {
		if (div.ntownships == 0)
			log_warnx("understand: the ledger has no gazetteer; "
			    "tips cannot be routed until one is imported "
			    "(tipgwctl gazetteer import, then SIGHUP)");
		log_info("understand: lexicon=%s words=%zu townships=%zu "
		    "villages=%zu templates=%s", conf->lexicon,
		    u->lx->nentries, u->gz->ntownships, u->gz->nvillages,
		    conf->templates);
		ingest_set_understanding(d->ingest, u, t);
		tipgwd_reminders(d, conf, t);
		if (d->outbox != NULL)
			outbox_set_templates(d->outbox, t);
		tipgwd_words_free(d->understand, d->templates);
		d->understand = u;
		d->templates = t;
	}
	division_free(&div);
#ifdef HAVE_MALLOC_TRIM
	/* The division data read to build the gazetteer goes back to the
	 * system: at a province's or the nation's size, tens of MiB. */
	malloc_trim(0);
#endif
	return (rc);
}

/* Parse the file and let libGammu read each modem section. */
static struct config *
tipgwd_config_load(const char *path)
{
	struct division		 none;
	struct understand	*u;
	struct templates	*t;
	struct workday_cal	*cal;
	struct reward_book	 book;
	const struct reward_rules *sets[REWARD_MAX_SETS];
	struct config		*conf;
	char			*cause = NULL;
	size_t			 i, nsets;
	int			 bad = 0;

	if ((conf = config_load(path, &cause)) == NULL) {
		tipgwd_log_lines(cause);
		free(cause);
		return (NULL);
	}
	for (i = 0; i < conf->nmodems; i++) {
		if (modem_config_check(&conf->modems[i], &cause) != 0) {
			tipgwd_log_lines(cause);
			free(cause);
			bad = 1;
		}
	}
	memset(&none, 0, sizeof none);
	if (tipgwd_words_load(conf, &none, &u, &t) != 0)
		bad = 1;
	else
		tipgwd_words_free(u, t);
	if ((cal = workday_load_file(conf->holidays, &cause)) == NULL) {
		tipgwd_log_lines(cause);
		free(cause);
		bad = 1;
	}
	workday_free(cal);
	if (reward_book_load(&book, conf->reward_rules_file, &cause) != 0 ||
	    reward_book_select(&book, conf->reward_rules, sets, &nsets,
	    &cause) != 0) {
		tipgwd_log_lines(cause);
		free(cause);
		bad = 1;
	}
	if (bad) {
		config_free(conf);
		return (NULL);
	}
	return (conf);
}

static void
tipgwd_notify(const char *state)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}

static struct modem_options
tipgwd_modem_options(const struct config *conf)
{
	struct modem_options	 o;

	memset(&o, 0, sizeof o);
	o.poll_interval = conf->poll_interval;
	o.health_interval = conf->health_interval;
	o.multipart_timeout = conf->multipart_timeout;
	o.stall_timeout = conf->stall_timeout;
	o.backoff_min = MODEM_BACKOFF_MIN;
	o.backoff_max = MODEM_BACKOFF_MAX;
	o.hangup_calls = conf->hangup_calls;
	o.delivery_reports = conf->delivery_reports;
	if (conf->modem_reset_command != NULL)
		snprintf(o.reset_command, sizeof o.reset_command, "%s",
		    conf->modem_reset_command);
	o.reset_after = conf->modem_reset_after;
	return (o);
}

static int
tipgwd_message_hook(const char *modem, const struct sms_message *m, void *arg)
{
	struct tipgwd	*d = arg;
	int		 rc;

	/* What it queued (an acknowledgement, an alert) goes now. */
	if ((rc = ingest_sms(d->ingest, modem, m, clock_now())) == 0) {
		outbox_kick(d->outbox);
		d->batch_messages += d->batch_open;
	}
	return (rc);
}

/*
 * Group commit: the messages a modem read together are one transaction,
 * one fsync; each still undone alone if it fails. A batch that cannot
 * begin (another process holds the ledger) is no batch: each message
 * tries on its own.
 */
static int
tipgwd_batch_hook(const char *modem, int begin, void *arg)
{
	struct tipgwd	*d = arg;
	char		*cause = NULL;
	int		 rc;

	if (begin) {
		if ((rc = store_batch_begin(d->store, &cause)) != 0) {
			log_debug("modem=%s: no batch: %s", modem, cause);
			if (store_busy(d->store))
				ingest_pause(d->ingest, clock_now());
		} else
			ingest_batch_begin(d->ingest);
		d->batch_open = rc == 0;
		d->batch_messages = 0;
	} else if ((rc = store_batch_end(d->store, 1, &cause)) != 0)
		log_warnx("modem=%s: the batch of messages was not "
		    "committed: %s", modem, cause);
	else {
		d->intake_commits++;
		d->intake_batched += d->batch_messages;
	}
	if (!begin) {
		ingest_batch_end(d->ingest, rc == 0);
		d->batch_open = 0;
	}
	free(cause);
	return (rc);
}

static void
tipgwd_report_hook(const char *modem, const struct modem_report *r,
    void *arg)
{
	struct tipgwd	*d = arg;

	ingest_report(d->ingest, modem, r);
}

static void
tipgwd_call_hook(const char *modem, const char *caller, time_t at,
    int hung_up, void *arg)
{
	struct tipgwd	*d = arg;

	ingest_call(d->ingest, modem, caller, clock_shifted(at), hung_up);
}

/* A modem event (stall, full SIM, unreadable message) for the audit log. */
static void
tipgwd_event_hook(const char *modem, const char *action, const char *detail,
    void *arg)
{
	struct tipgwd	*d = arg;
	char		*cause = NULL, actor[64];

	snprintf(actor, sizeof actor, "modem:%s", modem);
	if (store_event_add(d->store, clock_now(), actor, action, 0, detail,
	    &cause) != 0) {
		log_warnx("modem=%s event %s not recorded: %s", modem, action,
		    cause);
		free(cause);
	}
}

/*
 * Until the event loop takes the signals (tipgwd_signals), at any stage
 * of a start that may take long (the configuration, the ledger's
 * migration, the words and places): SIGTERM and SIGINT end it at once,
 * with status 0 (nothing has been sent, and an open transaction of the
 * ledger rolls back); a SIGHUP is kept for the loop to reload.
 */
static volatile sig_atomic_t	 tipgwd_early_hup;

static void
tipgwd_early_cb(int sig)
{
	static const char	 msg[] = "tipgwd: stopped while starting\n";
	ssize_t			 n;

	if (sig == SIGHUP) {
		tipgwd_early_hup = 1;
		return;
	}
	n = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)n;
	_exit(0);
}

static void
tipgwd_early_signals(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tipgwd_early_cb;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGHUP, &sa, NULL) != 0)
		fatal("tipgwd: sigaction");
}

static void
tipgwd_stop_cb(evutil_socket_t sig, short events, void *arg)
{
	struct tipgwd	*d = arg;

	log_info("tipgwd: signal=%d stopping", (int)sig);
	tipgwd_notify("STOPPING=1");
	event_base_loopexit(d->base, NULL);
}

static void
tipgwd_ingest_options(struct tipgwd *d, const struct config *conf)
{
	ingest_set_reply_limit(d->ingest, conf->reply_limit);
	ingest_set_inbound_limit(d->ingest, conf->inbound_limit);
	ingest_set_missed_call_sms(d->ingest, conf->missed_call_sms);
	/* A message stuck on a modem fails again once a poll. */
	store_set_write_quiet(d->store, 2 * conf->poll_interval);
}

static void
tipgwd_outbound_options(struct tipgwd *d, const struct config *conf)
{
	struct notify_options	 no;
	struct outbox_options	 oo;

	memset(&no, 0, sizeof no);
	no.timeout = conf->notify_timeout;
	no.tls_verify = conf->tls_verify;
	no.smtp_url = conf->smtp_url;
	no.smtp_from = conf->smtp_from;
	no.smtp_user = conf->smtp_user;
	no.smtp_password = conf->smtp_password;
	no.smtp_starttls = conf->smtp_starttls;
	memset(&oo, 0, sizeof oo);
	oo.retry_min = conf->outbox_retry_min;
	oo.retry_max = conf->outbox_retry_max;
	oo.max_attempts = conf->outbox_max_attempts;
	oo.reports = conf->delivery_reports;
	oo.quiet_from = conf->quiet_from;
	oo.quiet_to = conf->quiet_to;
	oo.daily_budget = conf->sms_daily_budget;
	oo.coordinator_phone = conf->coordinator_phone;
	oo.coordinator_email = conf->coordinator_email;
	oo.coordinator_webhook = conf->coordinator_webhook;
	oo.coordinator_webhook_format = conf->coordinator_webhook_format;
	oo.modem_down_alert = conf->modem_down_alert;
	if (conf->coordinator_phone == NULL &&
	    conf->coordinator_email == NULL &&
	    conf->coordinator_webhook == NULL)
		log_warnx("config: no coordinator_phone, coordinator_email or "
		    "coordinator_webhook: tips that no office takes (no office "
		    "for the township, unplaced, returned) are only listed by "
		    "tipgwctl deadlines");
	if (d->notify == NULL) {
		char *cause = NULL;

		if ((d->notify = notify_new(d->base, &no, &cause)) == NULL)
			fatalx("notify: %s", cause);
	} else
		notify_set_options(d->notify, &no);
	if (d->outbox == NULL)
		d->outbox = outbox_new(d->base, d->store, d->modems,
		    d->nmodems, d->notify, &oo);
	else
		outbox_set_options(d->outbox, &oo);
}

/* SIGHUP: parse, validate, then swap; refuse what needs a restart. */
static void
tipgwd_reload_cb(evutil_socket_t sig, short events, void *arg)
{
	struct tipgwd		*d = arg;
	struct config		*conf;
	struct modem_options	 opts;
	size_t			 i;
	int			 refused;

	tipgwd_notify("RELOADING=1");
	log_info("config: file=%s reloading", d->conf->path);
	if ((conf = tipgwd_config_load(d->conf->path)) == NULL) {
		log_warnx("config: file=%s has errors; keeping the running "
		    "configuration", d->conf->path);
		tipgwd_notify("READY=1");
		return;
	}
	refused = config_merge_reload(conf, d->conf);
	config_free(d->conf);
	d->conf = conf;
	opts = tipgwd_modem_options(conf);
	for (i = 0; i < d->nmodems; i++)
		modem_set_options(d->modems[i], &opts);
	ingest_set_service(d->ingest, conf->service_senders);
	tipgwd_ingest_options(d, conf);
	api_set_ui(d->api, conf->ui_directory);
	tipgwd_outbound_options(d, conf);
	if (tipgwd_understanding(d, conf) != 0) {
		log_warnx("understand: keeping the running lexicon, gazetteer "
		    "and templates");
		tipgwd_reminders(d, conf, d->templates);
	}
	log_info("config: file=%s reloaded refused=%d", conf->path, refused);
	tipgwd_notify("READY=1");
}

static void
tipgwd_watchdog_cb(evutil_socket_t fd, short events, void *arg)
{
	tipgwd_notify("WATCHDOG=1");
}

static void
tipgwd_signals(struct tipgwd *d)
{
	d->ev_term = evsignal_new(d->base, SIGTERM, tipgwd_stop_cb, d);
	d->ev_int = evsignal_new(d->base, SIGINT, tipgwd_stop_cb, d);
	d->ev_hup = evsignal_new(d->base, SIGHUP, tipgwd_reload_cb, d);
	if (d->ev_term == NULL || d->ev_int == NULL || d->ev_hup == NULL ||
	    evsignal_add(d->ev_term, NULL) != 0 ||
	    evsignal_add(d->ev_int, NULL) != 0 ||
	    evsignal_add(d->ev_hup, NULL) != 0)
		fatalx("tipgwd: cannot install signal handlers");
	signal(SIGPIPE, SIG_IGN);
	if (tipgwd_early_hup) {
		log_info("tipgwd: SIGHUP while starting; reloading");
		event_active(d->ev_hup, EV_SIGNAL, 1);
	}
}

/* Ping systemd's watchdog at half its interval, if it asked for one. */
static void
tipgwd_watchdog(struct tipgwd *d)
{
#ifdef HAVE_SYSTEMD
	uint64_t	 usec;
	struct timeval	 tv;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return;
	usec /= 2;
	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	d->ev_watchdog = event_new(d->base, -1, EV_PERSIST,
	    tipgwd_watchdog_cb, d);
	if (d->ev_watchdog == NULL || event_add(d->ev_watchdog, &tv) != 0)
		fatalx("tipgwd: cannot start the watchdog timer");
	log_debug("tipgwd: watchdog every %lld ms", (long long)(usec / 1000));
#else
	(void)d;
	(void)tipgwd_watchdog_cb;
#endif
}

static void
tipgwd_start_modems(struct tipgwd *d)
{
	struct modem_options	 opts = tipgwd_modem_options(d->conf);
	struct modem_hooks	 hooks = { tipgwd_message_hook,
	    tipgwd_report_hook, tipgwd_call_hook, tipgwd_event_hook,
	    tipgwd_batch_hook, d };
	char			*cause = NULL;
	size_t			 i;

	if (d->conf->nmodems == 0)
		log_warnx("tipgwd: no modem configured; SMS intake is off");
	for (i = 0; i < d->conf->nmodems; i++) {
		d->modems[i] = modem_start(d->base, &d->conf->modems[i], &opts,
		    &hooks, &cause);
		if (d->modems[i] == NULL)
			fatalx("%s", cause);
		d->nmodems++;
	}
}

static void
tipgwd_hash_pin_cb(void *arg, const char *code, const char *pin, char *hash,
    size_t len)
{
	char	 h[PIN_HASH_SIZE];

	pin_hash(arg, code, pin, h);
	snprintf(hash, len, "%s", h);
}

/*
 * The key PINs are hashed with, beside the ledger (made at first start);
 * PINs an older tipgwd kept in clear are hashed now.
 */
static void
tipgwd_pin_key(struct tipgwd *d)
{
	char	*path = pin_key_path(d->conf->database), *cause = NULL;
	int	 n;

	if (pin_key_load(path, 1, &d->pin_key, &cause) != 0)
		fatalx("pin: %s", cause);
	free(path);
	if (store_tip_hash_pins(d->store, tipgwd_hash_pin_cb, &d->pin_key, &n,
	    &cause) != 0)
		fatalx("store: %s", cause);
	if (n > 0)
		log_info("store: %d PIN(s) kept in clear by an older tipgwd "
		    "are now hashed", n);
}

static void
tipgwd_start(struct tipgwd *d)
{
	struct api_hooks	 hooks = { tipgwd_health, tipgwd_metrics,
				    tipgwd_open311_services,
				    tipgwd_open311_requests, tipgwd_v1, d };
	char			*cause = NULL;

	d->started = clock_now();
	if (evthread_use_pthreads() != 0)
		fatalx("tipgwd: libevent has no pthreads support");
	if ((d->base = event_base_new()) == NULL)
		fatalx("tipgwd: cannot create the event base");
	if ((d->store = store_open(d->conf->database, 0, &cause)) == NULL)
		fatalx("store: %s", cause);
	store_set_busy_timeout(d->store, TIPGWD_BUSY_TIMEOUT_MS);
	log_info("store: database=%s schema=%d", d->conf->database,
	    store_schema_version(d->store));
	tipgwd_pin_key(d);
	d->ingest = ingest_new(d->store, d->conf->service_senders);
	ingest_set_pin_key(d->ingest, &d->pin_key);
	tipgwd_ingest_options(d, d->conf);
	d->desk = desk_new(d->store, d->ingest);
	if (tipgwd_understanding(d, d->conf) != 0)
		fatalx("understand: cannot start without the words");
	/* Bound only now: a client never waits on a daemon still loading. */
	d->api = api_start(d->base, d->conf->listen_address,
	    d->conf->listen_port, &hooks, &cause);
	if (d->api == NULL)
		fatalx("api: %s", cause);
	api_set_ui(d->api, d->conf->ui_directory);
	tipgwd_signals(d);
	tipgwd_start_modems(d);
	tipgwd_outbound_options(d, d->conf);
	outbox_set_templates(d->outbox, d->templates);
	tipgwd_watchdog(d);
}

static void
tipgwd_shutdown(struct tipgwd *d)
{
	size_t	 i;

	for (i = 0; i < d->nmodems; i++)
		modem_stop(d->modems[i]);
	notify_free(d->notify);		/* reports to the outbox */
	outbox_free(d->outbox);
	remind_free(d->remind);
	desk_free(d->desk);
	ingest_free(d->ingest);
	tipgwd_words_free(d->understand, d->templates);
	api_stop(d->api);
	store_close(d->store);
	if (d->ev_watchdog != NULL)
		event_free(d->ev_watchdog);
	event_free(d->ev_term);
	event_free(d->ev_int);
	event_free(d->ev_hup);
	event_base_free(d->base);
	config_free(d->conf);
	log_info("tipgwd: exiting");
}

/* Without -d, detach unless systemd started us (it wants us in front). */
static void
tipgwd_daemonize(void)
{
	if (getenv("NOTIFY_SOCKET") != NULL || getenv("INVOCATION_ID") != NULL)
		return;
	if (daemon(0, 0) == -1)
		fatal("daemon");
}

static int
tipgwd_check(const char *path, int verbose)
{
	struct config	*conf;

	if ((conf = tipgwd_config_load(path)) == NULL)
		return (1);
	if (verbose)
		config_print(conf, stdout);
	config_free(conf);
	fflush(stdout);
	fprintf(stderr, "configuration OK\n");
	return (0);
}

int
main(int argc, char *argv[])
{
	struct tipgwd	 d;
	const char	*path = CONFIG_DEFAULT_PATH;
	int		 ch, foreground = 0, check = 0, verbose = 0;

	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'f':
			path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	/* The files tipgw writes hold reporters' numbers: 0600. */
	umask(077);
	log_init(1, verbose, "tipgwd");
	clock_init();
	tipgwd_early_signals();
	if (check)
		return (tipgwd_check(path, verbose));

	memset(&d, 0, sizeof d);
	if ((d.conf = tipgwd_config_load(path)) == NULL)
		fatalx("config: file=%s has errors", path);
	if (!foreground) {
		log_init(0, verbose, "tipgwd");
		tipgwd_daemonize();
	}
	log_info("tipgwd: version=%s config=%s starting", PACKAGE_VERSION,
	    path);
	tipgwd_start(&d);
	tipgwd_notify("READY=1");
	log_info("tipgwd: ready");
	if (event_base_dispatch(d.base) == -1)
		log_warnx("tipgwd: event loop failed");
	tipgwd_shutdown(&d);
	return (0);
}
