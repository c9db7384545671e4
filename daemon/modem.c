/*
 * GSM modems through libGammu. libGammu blocks (up to ~700 s on a silent
 * modem) and has no fd to watch, so each modem gets a worker thread that
 * owns its GSM_StateMachine; the worker reports to the event loop with
 * fixed-size records over a socketpair, and takes work (deletions after a
 * commit, messages to send) from a locked list. This file has the thread,
 * the connection state machine and the event-loop side; modem_sms.c reads,
 * deletes and sends messages; modem_tool.c holds what both use.
 *
 * States: DOWN -> CONNECTING -> READY, and BACKOFF (exponential, capped)
 * after any failure; every transition is logged with its reason. A call
 * that has not returned within stall_timeout is aborted by a watchdog on
 * the event loop. Then the reset ladder: the device reopened with a fresh
 * state machine (after a stall, the modem soft-reset through libGammu
 * before it is used again), and after modem_reset_after failures in a row
 * the operator's modem_reset_command (a USB power cycle, say), each step
 * logged and audited (modem.reset).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/event.h>

#include "tipgw/config.h"
#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "modem_int.h"

#define MODEM_STOP_WAIT_SECONDS	3
#define MODEM_BATCH_MAX		256	/* messages committed together */

static const char *modem_state_names[] = {
	[MODEM_DOWN] = "down",
	[MODEM_CONNECTING] = "connecting",
	[MODEM_READY] = "ready",
	[MODEM_BACKOFF] = "backoff",
};

/* The lower-case name of a state, for logs and /healthz. */
const char *
modem_state_name(enum modem_state state)
{
	if ((unsigned int)state >= sizeof modem_state_names /
	    sizeof modem_state_names[0])
		return ("unknown");
	return (modem_state_names[state]);
}

/* The modem's name: its configuration section. */
const char *
modem_name(const struct modem *m)
{
	return (m->name);
}

static void
modem_config_clear(GSM_Config *cfg)
{
	free(cfg->Device);
	free(cfg->Connection);
	free(cfg->DebugFile);
	memset(cfg, 0, sizeof *cfg);
}

/*
 * Read the modem's Gammu section with libGammu itself into cfg. The INI
 * file is read again each time: it is small, and this keeps no libGammu
 * state outside a worker.
 */
static int
modem_read_config(const char *file, int number, GSM_Config *cfg,
    char **cause)
{
	INI_Section	*ini = NULL;
	GSM_Error	 err;

	memset(cfg, 0, sizeof *cfg);
	if ((err = INI_ReadFile(file, FALSE, &ini)) != ERR_NONE) {
		xasprintf(cause, "%s: libGammu cannot read it: %s", file,
		    GSM_ErrorString(err));
		return (-1);
	}
	err = GSM_ReadConfig(ini, cfg, number);
	INI_Free(ini);
	if (err != ERR_NONE) {
		xasprintf(cause, "%s: libGammu rejects section %d: %s", file,
		    number, GSM_ErrorString(err));
		modem_config_clear(cfg);
		return (-1);
	}
	cfg->UseGlobalDebugFile = FALSE;
	return (0);
}

/* The line of a key in a modem section, or the section's line. */
static int
modem_config_line(const struct config_modem *cm, const char *key)
{
	size_t	 i;

	for (i = 0; i < cm->npairs; i++) {
		if (strcasecmp(cm->pairs[i].key, key) == 0)
			return (cm->pairs[i].line);
	}
	return (cm->line);
}

/*
 * Check a features value word by word. libGammu would refuse the whole
 * section for an unknown word, and leak memory on the way (1.42).
 */
static int
modem_config_features(const struct config_modem *cm, char **cause)
{
	const char	*features = config_modem_get(cm, "features");
	char		*copy, *p, *word;
	int		 rc = 0;

	if (features == NULL)
		return (0);
	p = copy = xstrdup(features);
	while (rc == 0 && (word = strsep(&p, ", \t")) != NULL) {
		if (*word == '\0' || GSM_FeatureFromString(word) != 0)
			continue;
		xasprintf(cause, "%s:%d: [%s]: libGammu does not know the "
		    "feature '%s'", cm->file, modem_config_line(cm, "features"),
		    cm->name, word);
		rc = -1;
	}
	free(copy);
	return (rc);
}

/* Let libGammu read a modem section, as tipgwd -n does. */
int
modem_config_check(const struct config_modem *cm, char **cause)
{
	GSM_Config	 cfg;
	char		*why;

	if (modem_config_features(cm, cause) != 0)
		return (-1);
	if (modem_read_config(cm->file, cm->number, &cfg, &why) != 0) {
		xasprintf(cause, "%s:%d: [%s]: %s", cm->file, cm->line,
		    cm->name, why);
		free(why);
		return (-1);
	}
	modem_config_clear(&cfg);
	return (0);
}

int
modem_stopping(struct modem *m)
{
	int	 stopping;

	pthread_mutex_lock(&m->lock);
	stopping = m->stopping;
	pthread_mutex_unlock(&m->lock);
	return (stopping);
}

static struct modem_options
modem_options(struct modem *m)
{
	struct modem_options	 o;

	pthread_mutex_lock(&m->lock);
	o = m->opts;
	pthread_mutex_unlock(&m->lock);
	return (o);
}

/*
 * Sleep until the monotonic time until, or until woken (a stop, new
 * options, or, if jobs is set, a job); return 1 if stopping. Without a
 * connection jobs must wait: a worker in backoff that woke for them would
 * spin on a modem that is not there.
 */
int
modem_sleep_until(struct modem *m, time_t until, int jobs)
{
	struct timespec	 ts;
	int		 stopping;

	ts.tv_sec = until;
	ts.tv_nsec = 0;
	pthread_mutex_lock(&m->lock);
	while (!m->stopping && (!jobs || m->jobs == NULL) &&
	    modem_monotonic() < until) {
		if (pthread_cond_timedwait(&m->wake, &m->lock, &ts) != 0)
			break;		/* timed out */
		if (jobs)
			break;		/* woken: new options, a job */
	}
	stopping = m->stopping;
	pthread_mutex_unlock(&m->lock);
	return (stopping);
}

static void
modem_report_status(struct modem *m, enum modem_record_type type)
{
	struct modem_record	 rec;

	memset(&rec, 0, sizeof rec);
	rec.type = type;
	rec.status = m->ws;
	modem_record_send(m, &rec);
}

/* Worker: record a transition, log it, and tell the event loop. */
static void
modem_change_state(struct modem *m, enum modem_state state,
    const char *reason)
{
	log_info("modem=%s state=%s->%s reason=\"%s\"", m->name,
	    modem_state_name(m->ws.state), modem_state_name(state), reason);
	m->ws.state = state;
	m->ws.since = time(NULL);
	modem_copy(m->ws.reason, sizeof m->ws.reason, reason);
	modem_report_status(m, MODEM_REC_STATE);
}

static void
modem_identify(struct modem *m)
{
	char	 buf[GSM_MAX_IMEI_LENGTH + 64];

	memset(buf, 0, sizeof buf);
	if (GSM_GetManufacturer(m->gsm, buf) == ERR_NONE)
		modem_copy(m->ws.manufacturer, sizeof m->ws.manufacturer, buf);
	memset(buf, 0, sizeof buf);
	if (GSM_GetModel(m->gsm, buf) == ERR_NONE)
		modem_copy(m->ws.model, sizeof m->ws.model, buf);
	memset(buf, 0, sizeof buf);
	if (GSM_GetIMEI(m->gsm, buf) == ERR_NONE)
		modem_copy(m->ws.imei, sizeof m->ws.imei, buf);
	memset(buf, 0, sizeof buf);
	if (GSM_GetSIMIMSI(m->gsm, buf) == ERR_NONE)
		modem_copy(m->ws.imsi, sizeof m->ws.imsi, buf);
	m->ws.last_contact = time(NULL);
	log_info("modem=%s manufacturer=\"%s\" model=\"%s\" imei=%s imsi=%s",
	    m->name, m->ws.manufacturer, m->ws.model, m->ws.imei, m->ws.imsi);
}

/*
 * libGammu's debug log (logfile) records every AT exchange, reporters'
 * numbers in clear: kept 0600 whatever it was, and said so once a
 * start, so that it is turned off again after troubleshooting.
 */
static void
modem_debug_file(struct modem *m, const char *path)
{
	struct stat	 sb;
	int		 fd;

	if (path == NULL || *path == '\0' || strcmp(path, "stderr") == 0 ||
	    strcmp(path, "stdout") == 0)
		return;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1)
		return;		/* libGammu will say why */
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0) {
		log_warnx("modem=%s: libGammu's logfile %s was readable by "
		    "others (mode %04o); made 0600", m->name, path,
		    (unsigned int)(sb.st_mode & 07777));
		if (fchmod(fd, 0600) != 0)
			log_warn("modem=%s: chmod %s", m->name, path);
	}
	close(fd);
	if (!m->debug_file_told) {
		m->debug_file_told = 1;
		log_warnx("modem=%s: libGammu's logfile %s records reporters' "
		    "numbers and messages in clear; use it only while "
		    "troubleshooting", m->name, path);
	}
}

/* Worker: allocate a state machine and connect; 0 on success. */
static int
modem_connect(struct modem *m, char **cause)
{
	GSM_StateMachine	*gsm;
	GSM_Config		*cfg;
	GSM_Error		 err;
	char			 buf[160];

	if ((gsm = GSM_AllocStateMachine()) == NULL)
		fatalx("modem=%s: cannot allocate a state machine", m->name);
	cfg = GSM_GetConfig(gsm, 0);
	if (modem_read_config(m->file, m->number, cfg, cause) != 0) {
		GSM_FreeStateMachine(gsm);
		return (-1);
	}
	m->poll_device = cfg->Connection != NULL &&
	    strcasecmp(cfg->Connection, "none") != 0;
	modem_debug_file(m, cfg->DebugFile);
	GSM_SetConfigNum(gsm, 1);
	pthread_mutex_lock(&m->lock);
	m->gsm = gsm;
	m->aborted = 0;
	if (m->stopping)
		GSM_AbortOperation(gsm);
	pthread_mutex_unlock(&m->lock);
	modem_busy(m, 1);
	err = GSM_InitConnection(gsm, 1);
	modem_busy(m, 0);
	if (err != ERR_NONE) {
		*cause = xstrdup(modem_gsm_error(err, buf, sizeof buf));
		return (-1);
	}
	modem_busy(m, 1);
	modem_identify(m);
	modem_sms_callbacks(m);
	modem_busy(m, 0);
	return (0);
}

/* Worker: end the connection and free the state machine, if any. */
static void
modem_disconnect(struct modem *m)
{
	GSM_StateMachine	*gsm;

	pthread_mutex_lock(&m->lock);
	gsm = m->gsm;
	m->gsm = NULL;
	m->busy_since = 0;
	pthread_mutex_unlock(&m->lock);
	if (gsm == NULL)
		return;
	if (GSM_IsConnected(gsm))
		GSM_TerminateConnection(gsm);
	/*
	 * libGammu 1.42 opens the debug log (logfile in the section) in
	 * GSM_InitConnection and closes it only in a TerminateConnection
	 * that succeeds: a failed connect, or a failed terminate after the
	 * device vanished, would leak one descriptor each time.
	 */
	GSM_SetDebugFileDescriptor(NULL, FALSE, GSM_GetDebug(gsm));
	GSM_FreeStateMachine(gsm);
}

static const char *
modem_network_name(GSM_NetworkInfo_State state)
{
	switch (state) {
	case GSM_HomeNetwork:
		return ("home");
	case GSM_RoamingNetwork:
		return ("roaming");
	case GSM_RequestingNetwork:
		return ("searching");
	case GSM_NoNetwork:
		return ("none");
	case GSM_RegistrationDenied:
		return ("denied");
	default:
		return ("unknown");
	}
}

/* Is this an answer (even "not supported"), or a dead link? */
static int
modem_answered(struct modem *m, GSM_Error err, const char *what,
    char **cause)
{
	char	 buf[160];

	if (modem_error_fatal(err)) {
		xasprintf(cause, "%s: %s", what,
		    modem_gsm_error(err, buf, sizeof buf));
		return (0);
	}
	m->ws.last_contact = time(NULL);
	return (1);
}

/* Worker: signal, network and SIM use; fails when the modem is gone. */
static int
modem_health(struct modem *m, char **cause)
{
	GSM_SignalQuality	 sig;
	GSM_NetworkInfo		 net;
	GSM_SMSMemoryStatus	 mem;
	GSM_Error		 err;

	memset(&sig, 0, sizeof sig);
	modem_busy(m, 1);
	err = GSM_GetSignalQuality(m->gsm, &sig);
	modem_busy(m, 0);
	if (!modem_answered(m, err, "signal quality", cause))
		return (-1);
	m->ws.signal_percent = err == ERR_NONE ? sig.SignalPercent : -1;
	memset(&net, 0, sizeof net);
	modem_busy(m, 1);
	err = GSM_GetNetworkInfo(m->gsm, &net);
	modem_busy(m, 0);
	if (!modem_answered(m, err, "network", cause))
		return (-1);
	modem_copy(m->ws.network, sizeof m->ws.network, err == ERR_NONE ?
	    modem_network_name(net.State) : "unknown");
	memset(&mem, 0, sizeof mem);
	modem_busy(m, 1);
	err = GSM_GetSMSStatus(m->gsm, &mem);
	modem_busy(m, 0);
	if (!modem_answered(m, err, "SMS memory", cause))
		return (-1);
	m->ws.sim_used = err == ERR_NONE ? mem.SIMUsed : -1;
	m->ws.sim_size = err == ERR_NONE ? mem.SIMSize : -1;
	if (err == ERR_NONE && mem.SIMSize > 0 && mem.SIMUsed >= mem.SIMSize) {
		if (!m->full_alarm) {
			log_warnx("modem=%s alarm=sim_full used=%d size=%d: the "
			    "network cannot deliver new messages", m->name,
			    mem.SIMUsed, mem.SIMSize);
			modem_event(m, "modem.sim_full", "used=%d size=%d",
			    mem.SIMUsed, mem.SIMSize);
		}
		m->full_alarm = 1;
	} else
		m->full_alarm = 0;
	modem_report_status(m, MODEM_REC_STATUS);
	return (0);
}

/* Worker: wait for the next thing to do, serving callbacks meanwhile. */
static void
modem_idle(struct modem *m, time_t until)
{
	if (m->poll_device) {
		/*
		 * Reading the device delivers +CMTI and RING to the
		 * callbacks; it waits at most about a second.
		 */
		modem_busy(m, 1);
		GSM_ReadDevice(m->gsm, TRUE);
		modem_busy(m, 0);
		return;
	}
	modem_sleep_until(m, until, 1);
}

/* Worker: stay connected until the modem fails or we stop. */
static void
modem_ready_loop(struct modem *m, char **cause)
{
	struct modem_options	 o;
	time_t			 now, next_poll = 0, next_health = 0;

	for (;;) {
		if (modem_stopping(m))
			return;
		if (modem_sms_jobs(m, cause) != 0)
			return;
		modem_sms_calls(m);
		o = modem_options(m);
		now = modem_monotonic();
		if (now >= next_health) {
			if (modem_health(m, cause) != 0)
				return;
			next_health = now + o.health_interval;
		}
		if (now >= next_poll || m->sms_signalled) {
			m->sms_signalled = 0;
			if (modem_sms_poll(m, cause) != 0)
				return;
			next_poll = now + o.poll_interval;
		}
		if (time(NULL) - m->ws.last_contact > (time_t)o.stall_timeout) {
			xasprintf(cause, "no answer for %us", o.stall_timeout);
			modem_event(m, "modem.stall", "no answer for %us",
			    o.stall_timeout);
			return;
		}
		modem_idle(m, next_poll < next_health ? next_poll :
		    next_health);
	}
}

static void
modem_backoff(struct modem *m, const char *cause, unsigned int *backoff)
{
	struct modem_options	 o = modem_options(m);
	char			*reason;

	xasprintf(&reason, "%s; retry in %us", cause ? cause : "stopped",
	    *backoff);
	modem_change_state(m, MODEM_BACKOFF, reason);
	free(reason);
	modem_sleep_until(m, modem_monotonic() + *backoff, 0);
	*backoff = *backoff * 2 > o.backoff_max ? o.backoff_max :
	    *backoff * 2;
}

static void *
modem_worker(void *arg)
{
	struct modem		*m = arg;
	struct modem_options	 o;
	char			*cause = NULL;
	unsigned int		 backoff = modem_options(m).backoff_min;
	time_t			 ready_at;
	int			 stalled = 0;

	while (!modem_stopping(m)) {
		modem_change_state(m, MODEM_CONNECTING, "connecting");
		if (modem_connect(m, &cause) == 0) {
			if (stalled)
				modem_soft_reset(m);
			stalled = 0;
			backoff = modem_options(m).backoff_min;
			m->ws.connects++;
			modem_change_state(m, MODEM_READY, "connected");
			ready_at = modem_monotonic();
			modem_ready_loop(m, &cause);
			/* Steady for a while: the failures start again. */
			if (modem_monotonic() - ready_at >
			    (time_t)modem_options(m).stall_timeout)
				m->ws.failures = 0;
		}
		/* A stall stays due for its soft reset until a connect works. */
		pthread_mutex_lock(&m->lock);
		if (m->aborted && !m->stopping)
			stalled = 1;
		pthread_mutex_unlock(&m->lock);
		if (cause != NULL && strncmp(cause, "no answer for ", 14) == 0)
			stalled = 1;
		modem_disconnect(m);
		modem_sms_reset(m);
		if (modem_stopping(m))
			break;
		m->ws.failures++;
		o = modem_options(m);
		if (o.reset_command[0] != '\0' && o.reset_after > 0 &&
		    m->ws.failures % o.reset_after == 0) {
			modem_change_state(m, MODEM_BACKOFF, "resetting: "
			    "modem_reset_command");
			modem_reset_command(m, &o);
		}
		modem_backoff(m, cause, &backoff);
		free(cause);
		cause = NULL;
	}
	free(cause);
	modem_change_state(m, MODEM_DOWN, "stopped");
	pthread_mutex_lock(&m->lock);
	m->exited = 1;
	pthread_cond_broadcast(&m->wake);
	pthread_mutex_unlock(&m->lock);
	return (NULL);
}

/*
 * The messages read in one go, committed as one batch (group commit: one
 * fsync for them all, not one each): their jobs are held until the batch
 * is committed, then handed to the worker, which deletes the committed.
 */
struct modem_batch {
	struct modem_job	*held[MODEM_BATCH_MAX];
	size_t			 n;
	int			 open;
};

/*
 * A batch that did not commit is tried again one message at a time, as
 * without batches: one message the ledger cannot take (a full disk) must
 * not hold back those it can.
 */
static void
modem_batch_end(struct modem *m, struct modem_batch *b)
{
	size_t	 i, kept = 0;

	if (b->open && m->hooks.batch(m->name, 0, m->hooks.arg) != 0) {
		for (i = 0; i < b->n; i++) {
			if (m->hooks.message(m->name, b->held[i]->msg,
			    m->hooks.arg) == 0)
				b->held[i]->type = MODEM_JOB_DELETE;
			else {
				b->held[i]->type = MODEM_JOB_KEEP;
				kept++;
			}
		}
		log_warnx("modem=%s: a batch of %zu messages was not "
		    "committed; tried one by one, %zu of them %s on the modem "
		    "and read again", m->name, b->n, kept, kept == 1 ?
		    "stays" : "stay");
	}
	for (i = 0; i < b->n; i++)
		modem_job_push(m, b->held[i]);
	b->n = 0;
	b->open = 0;
}

static void
modem_message_rec(struct modem *m, struct modem_batch *b,
    struct sms_message *msg)
{
	struct modem_job	*job = xcalloc(1, sizeof *job);

	if (!(msg->flags & SMS_FLAG_WAITING))
		m->status.received++;
	if (b->n == 0 && m->hooks.batch != NULL)
		b->open = m->hooks.batch(m->name, 1, m->hooks.arg) == 0;
	job->msg = msg;
	job->type = m->hooks.message(m->name, msg, m->hooks.arg) == 0 ?
	    MODEM_JOB_DELETE : MODEM_JOB_KEEP;
	b->held[b->n++] = job;
	if (b->n == MODEM_BATCH_MAX)
		modem_batch_end(m, b);
}

static void
modem_sent_rec(struct modem *m, struct modem_job *job)
{
	if (job->result.ok)
		m->status.sent += (unsigned long)job->result.parts;
	job->done_cb(&job->result, job->done_arg);
	modem_job_free(job);
}

static void
modem_call_rec(struct modem *m, struct modem_call_rec *call)
{
	m->hooks.call(m->name, call->caller, call->at, call->hung_up,
	    m->hooks.arg);
	free(call);
}

static void
modem_event_rec(struct modem *m, struct modem_event_rec *ev)
{
	m->hooks.event(m->name, ev->action, ev->detail, m->hooks.arg);
	free(ev);
}

static void
modem_status_rec(struct modem *m, const struct modem_status *ws)
{
	unsigned long	 received = m->status.received;
	unsigned long	 sent = m->status.sent;

	m->status = *ws;
	m->status.received = received;
	m->status.sent = sent;
}

/* Event loop: act on the worker's records. */
static void
modem_pipe_read_cb(evutil_socket_t fd, short events, void *arg)
{
	struct modem		*m = arg;
	struct modem_record	 rec;
	struct modem_batch	 b;
	ssize_t			 n;

	b.n = 0;
	b.open = 0;
	while ((n = recv(fd, &rec, sizeof rec, MSG_DONTWAIT)) ==
	    (ssize_t)sizeof rec) {
		/* Whatever else came is acted on after the batch. */
		if (rec.type != MODEM_REC_MESSAGE && b.n > 0)
			modem_batch_end(m, &b);
		switch (rec.type) {
		case MODEM_REC_STATE:
		case MODEM_REC_STATUS:
			modem_status_rec(m, &rec.status);
			break;
		case MODEM_REC_MESSAGE:
			modem_message_rec(m, &b, rec.payload);
			break;
		case MODEM_REC_REPORT:
			m->hooks.report(m->name, rec.payload, m->hooks.arg);
			free(rec.payload);
			break;
		case MODEM_REC_CALL:
			modem_call_rec(m, rec.payload);
			break;
		case MODEM_REC_SENT:
			modem_sent_rec(m, rec.payload);
			break;
		case MODEM_REC_EVENT:
			modem_event_rec(m, rec.payload);
			break;
		}
	}
	modem_batch_end(m, &b);
	if (n != -1 || (errno != EAGAIN && errno != EWOULDBLOCK))
		log_warnx("modem=%s: short record from worker (%zd)", m->name,
		    n);
}

/*
 * Event loop, every second: abort a libGammu call that has been running
 * for longer than stall_timeout. The worker then gets ERR_ABORTED and
 * reconnects with a new state machine.
 */
static void
modem_watchdog_cb(evutil_socket_t fd, short events, void *arg)
{
	struct modem	*m = arg;
	time_t		 busy = 0;
	unsigned int	 limit;
	int		 fire = 0;

	pthread_mutex_lock(&m->lock);
	limit = m->opts.stall_timeout;
	if (m->busy_since != 0 && !m->aborted && m->gsm != NULL &&
	    modem_monotonic() - m->busy_since > (time_t)limit) {
		busy = modem_monotonic() - m->busy_since;
		GSM_AbortOperation(m->gsm);
		m->aborted = 1;
		fire = 1;
	}
	pthread_mutex_unlock(&m->lock);
	if (!fire)
		return;
	log_warnx("modem=%s stall: a call has not returned for %llds "
	    "(stall_timeout %us); aborting it", m->name, (long long)busy,
	    limit);
	m->hooks.event(m->name, "modem.stall", "call aborted after no "
	    "answer", m->hooks.arg);
}

static void
modem_free(struct modem *m)
{
	if (m->ev != NULL)
		event_free(m->ev);
	if (m->ev_watchdog != NULL)
		event_free(m->ev_watchdog);
	if (m->fds[0] != -1)
		close(m->fds[0]);
	if (m->fds[1] != -1)
		close(m->fds[1]);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->wake);
	free(m->pending);
	free(m->name);
	free(m->file);
	free(m);
}

static void
modem_init(struct modem *m, const struct config_modem *cm,
    const struct modem_options *opts, const struct modem_hooks *hooks)
{
	pthread_condattr_t	 attr;
	const char		*device = config_modem_get(cm, "device");

	m->name = xstrdup(cm->name);
	m->file = xstrdup(cm->file);
	m->number = cm->number;
	m->opts = *opts;
	m->hooks = *hooks;
	m->fds[0] = m->fds[1] = -1;
	m->jobs_tail = &m->jobs;
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&m->wake, &attr);
	pthread_condattr_destroy(&attr);
	modem_copy(m->ws.name, sizeof m->ws.name, cm->name);
	modem_copy(m->ws.device, sizeof m->ws.device,
	    device ? device : config_modem_get(cm, "port"));
	m->ws.state = MODEM_DOWN;
	m->ws.since = time(NULL);
	m->ws.signal_percent = m->ws.sim_used = m->ws.sim_size = -1;
	modem_copy(m->ws.network, sizeof m->ws.network, "unknown");
	m->status = m->ws;
}

static int
modem_events(struct modem *m, struct event_base *base)
{
	struct timeval	 second = { 1, 0 };

	m->ev = event_new(base, m->fds[0], EV_READ | EV_PERSIST,
	    modem_pipe_read_cb, m);
	m->ev_watchdog = event_new(base, -1, EV_PERSIST, modem_watchdog_cb,
	    m);
	if (m->ev == NULL || m->ev_watchdog == NULL ||
	    event_add(m->ev, NULL) != 0 ||
	    event_add(m->ev_watchdog, &second) != 0)
		return (-1);
	return (0);
}

/* Start a worker thread for the modem of config section cm. */
struct modem *
modem_start(struct event_base *base, const struct config_modem *cm,
    const struct modem_options *opts, const struct modem_hooks *hooks,
    char **cause)
{
	struct modem	*m;
	int		 rc;

	m = xcalloc(1, sizeof *m);
	modem_init(m, cm, opts, hooks);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    m->fds) == -1) {
		xasprintf(cause, "modem %s: socketpair: %s", cm->name,
		    strerror(errno));
		modem_free(m);
		return (NULL);
	}
	if (modem_events(m, base) != 0)
		fatalx("modem=%s: cannot add events", m->name);
	if ((rc = pthread_create(&m->thread, NULL, modem_worker, m)) != 0) {
		xasprintf(cause, "modem %s: pthread_create: %s", cm->name,
		    strerror(rc));
		modem_free(m);
		return (NULL);
	}
	m->started = 1;
	return (m);
}

/* Change the options a running worker uses (on SIGHUP). */
void
modem_set_options(struct modem *m, const struct modem_options *opts)
{
	pthread_mutex_lock(&m->lock);
	m->opts = *opts;
	pthread_cond_broadcast(&m->wake);
	pthread_mutex_unlock(&m->lock);
}

/*
 * Send text (UTF-8) to number; done_cb runs on the event loop once the
 * modem has sent every part or failed, never from inside this call.
 */
int
modem_send(struct modem *m, const char *number, const char *text,
    modem_send_cb done_cb, void *arg)
{
	struct modem_job	*job = xcalloc(1, sizeof *job);

	job->type = MODEM_JOB_SEND;
	job->number = xstrdup(number);
	job->text = xstrdup(text);
	job->done_cb = done_cb;
	job->done_arg = arg;
	modem_job_push(m, job);
	return (0);
}

/* Wait a bounded time for the worker to finish; 0 if it did. */
static int
modem_wait_exit(struct modem *m)
{
	struct timespec	 until;
	int		 exited;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += MODEM_STOP_WAIT_SECONDS;
	pthread_mutex_lock(&m->lock);
	while (!m->exited &&
	    pthread_cond_timedwait(&m->wake, &m->lock, &until) != ETIMEDOUT)
		;
	exited = m->exited;
	pthread_mutex_unlock(&m->lock);
	return (exited ? 0 : -1);
}

/* Fail the sends still queued; drop deletions (the next start redoes them). */
static void
modem_jobs_drain(struct modem *m)
{
	struct modem_job	*job, *next;

	for (job = m->jobs; job != NULL; job = next) {
		next = job->next;
		if (job->type == MODEM_JOB_SEND) {
			job->result.reference = -1;
			modem_copy(job->result.error, sizeof job->result.error,
			    "modem stopped");
			job->done_cb(&job->result, job->done_arg);
		}
		modem_job_free(job);
	}
	m->jobs = NULL;
	m->jobs_tail = &m->jobs;
}

/*
 * Stop the worker: wake it, abort any libGammu call in progress, and wait
 * a few seconds. A worker stuck in a call that ignores the abort is left
 * behind (the process is exiting) rather than holding up shutdown.
 */
void
modem_stop(struct modem *m)
{
	if (m == NULL)
		return;
	if (m->started) {
		pthread_mutex_lock(&m->lock);
		m->stopping = 1;
		if (m->gsm != NULL)
			GSM_AbortOperation(m->gsm);
		pthread_cond_broadcast(&m->wake);
		pthread_mutex_unlock(&m->lock);
		if (modem_wait_exit(m) != 0) {
			log_warnx("modem=%s: worker did not stop within %ds; "
			    "leaving it", m->name, MODEM_STOP_WAIT_SECONDS);
			pthread_detach(m->thread);
			return;
		}
		pthread_join(m->thread, NULL);
		modem_sms_reset(m);
		/*
		 * Records the loop has not read yet: a send that went out
		 * must still be recorded as sent, a message stored.
		 */
		modem_pipe_read_cb(m->fds[0], EV_READ, m);
	}
	modem_jobs_drain(m);
	modem_free(m);
}

/* Copy what the event loop knows of the modem. */
void
modem_status(const struct modem *m, struct modem_status *status)
{
	*status = m->status;
	status->state_name = modem_state_name(status->state);
}
