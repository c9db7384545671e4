/*
 * The modem worker's toolbox, shared by modem.c (the thread and its
 * connection) and modem_sms.c (reading, deleting, sending): records to
 * the event loop, the job list between the loop and the worker, libGammu
 * error names and small helpers. It calls neither of those files.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "modem_int.h"

/* Copy a string into a fixed buffer, truncating. */
void
modem_copy(char *dst, size_t len, const char *src)
{
	size_t	 n = src != NULL ? strlen(src) : 0;

	if (n >= len)
		n = len - 1;
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Seconds on the monotonic clock (timeouts, the stall watchdog). */
time_t
modem_monotonic(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec);
}

/* "Timeout (TIMEOUT)" for logs. */
const char *
modem_gsm_error(GSM_Error err, char *buf, size_t len)
{
	snprintf(buf, len, "%s (%s)", GSM_ErrorString(err),
	    GSM_ErrorName(err));
	return (buf);
}

/*
 * Does this error mean the connection is gone or unusable, so the worker
 * must start again with a fresh state machine?
 */
int
modem_error_fatal(GSM_Error err)
{
	switch (err) {
	case ERR_TIMEOUT:
	case ERR_ABORTED:
	case ERR_NOTCONNECTED:
	case ERR_DEVICEWRITEERROR:
	case ERR_DEVICEREADERROR:
	case ERR_DEVICENOTEXIST:
	case ERR_DEVICEOPENERROR:
	case ERR_DEVICENOPERMISSION:
	case ERR_DEVICEBUSY:
	case ERR_DEVICELOCKED:
	case ERR_DEVICENOTWORK:
	case ERR_DEVICENODRIVER:
	case ERR_DEVICECHANGESPEEDERROR:
	case ERR_DEVICEPARITYERROR:
	case ERR_DEVICEDTRRTSERROR:
		return (1);
	default:
		return (0);
	}
}

/*
 * Worker: mark the start (busy) or the end of a libGammu call, for the
 * stall watchdog.
 */
void
modem_busy(struct modem *m, int busy)
{
	pthread_mutex_lock(&m->lock);
	m->busy_since = busy ? modem_monotonic() : 0;
	pthread_mutex_unlock(&m->lock);
}

/* Worker: send a record to the event loop. */
void
modem_record_send(struct modem *m, struct modem_record *rec)
{
	ssize_t	 n;

	do {
		n = send(m->fds[1], rec, sizeof *rec, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof *rec)
		log_warn("modem=%s: reporting to the event loop", m->name);
}

/* Worker: ask the event loop to record an event in the audit log. */
void
modem_event(struct modem *m, const char *action, const char *fmt, ...)
{
	struct modem_record	 rec;
	struct modem_event_rec	*ev = xcalloc(1, sizeof *ev);
	va_list			 ap;

	modem_copy(ev->action, sizeof ev->action, action);
	va_start(ap, fmt);
	vsnprintf(ev->detail, sizeof ev->detail, fmt, ap);
	va_end(ap);
	memset(&rec, 0, sizeof rec);
	rec.type = MODEM_REC_EVENT;
	rec.payload = ev;
	modem_record_send(m, &rec);
}

/* Event loop: hand a job to the worker. */
void
modem_job_push(struct modem *m, struct modem_job *job)
{
	pthread_mutex_lock(&m->lock);
	job->next = NULL;
	*m->jobs_tail = job;
	m->jobs_tail = &job->next;
	pthread_cond_broadcast(&m->wake);
	pthread_mutex_unlock(&m->lock);
}

/* Worker: take the next job, if any. */
struct modem_job *
modem_job_pop(struct modem *m)
{
	struct modem_job	*job;

	pthread_mutex_lock(&m->lock);
	if ((job = m->jobs) != NULL) {
		m->jobs = job->next;
		if (m->jobs == NULL)
			m->jobs_tail = &m->jobs;
	}
	pthread_mutex_unlock(&m->lock);
	return (job);
}

/* Worker: put back a job it could not finish, first in line. */
void
modem_job_requeue(struct modem *m, struct modem_job *job)
{
	pthread_mutex_lock(&m->lock);
	job->next = m->jobs;
	m->jobs = job;
	if (job->next == NULL)
		m->jobs_tail = &job->next;
	pthread_mutex_unlock(&m->lock);
}

/* Free a job and what it owns. */
void
modem_job_free(struct modem_job *job)
{
	if (job->msg != NULL) {
		sms_message_free(job->msg);
		free(job->msg);
	}
	free(job->number);
	free(job->text);
	free(job);
}
