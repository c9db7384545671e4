/*
 * Logging: stderr in the foreground (-d), syslog (and so the journal)
 * otherwise. Thread-safe enough for the modem workers: one write per line.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "tipgw/log.h"
#include "tipgw/vis.h"

static int	 log_foreground = 1;
static int	 log_verbose;

/* Start logging; with foreground set, lines go to stderr. */
void
log_init(int foreground, int verbose, const char *ident)
{
	log_foreground = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

/* Change the verbosity at run time (SIGHUP may do this). */
void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

/* The verbosity: 0 is info, 1 and more add debug lines. */
int
log_getverbose(void)
{
	return (log_verbose);
}

/* Write one line at priority pri. */
void
log_vwrite(int pri, const char *fmt, va_list ap)
{
	char	 line[2048], safe[VIS_ROOM(sizeof line)];
	size_t	 n;

	if (pri == LOG_DEBUG && log_verbose < 1)
		return;
	vsnprintf(line, sizeof line, fmt, ap);
	/* One line, whatever a message or a name put in it. */
	vis_buf(line, strlen(line), 0, 1, safe, &n);
	if (log_foreground)
		fprintf(stderr, "%s\n", safe);
	else
		syslog(pri, "%s", safe);
}

static void
log_write(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(pri, fmt, ap);
	va_end(ap);
}

static void
log_verrno(int pri, const char *fmt, va_list ap)
{
	char	 msg[1536];
	int	 saved = errno;

	vsnprintf(msg, sizeof msg, fmt, ap);
	log_write(pri, "%s: %s", msg, strerror(saved));
	errno = saved;
}

/* A warning with the text of errno appended. */
void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_verrno(LOG_WARNING, fmt, ap);
	va_end(ap);
}

/* A warning. */
void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap);
	va_end(ap);
}

/* An informational line. */
void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap);
	va_end(ap);
}

/* A debug line, shown with -v. */
void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* Log with errno and exit. */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_verrno(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

/* Log and exit. */
void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

/*
 * Keep the first three and last four digits of a number and mask the rest
 * (+86 13812341234 -> +86138****1234), so debug logs can tell reporters
 * apart without revealing them. Short numbers are masked whole.
 */
const char *
log_mask_phone(const char *number, char *buf, unsigned long len)
{
	size_t	 n, i, skip = 0;

	if (len == 0)
		return ("");
	if (number == NULL)
		number = "";
	if (strncmp(number, "+86", 3) == 0)
		skip = 3;
	n = strlen(number);
	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++) {
		if (i < skip || (n - skip > 7 && (i < skip + 3 || i >= n - 4)))
			buf[i] = number[i];
		else
			buf[i] = '*';
	}
	buf[n] = '\0';
	return (buf);
}
