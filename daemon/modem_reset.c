/*
 * The modem reset ladder's rungs, run by the worker (modem.c): the soft
 * reset through libGammu after a stall, and the operator's
 * modem_reset_command after modem_reset_after failures in a row. Each
 * is logged and audited (modem.reset) and counted in the status.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "modem_int.h"

#define MODEM_RESET_WAIT_SECONDS 60	/* the reset command, at most */

extern char	**environ;

/*
 * Worker, the rung after a stall: the device reopened with a fresh state
 * machine (the stalled one was aborted), the modem is soft-reset through
 * libGammu before it is used again.
 */
void
modem_soft_reset(struct modem *m)
{
	GSM_Error	 err;
	char		 buf[160];

	modem_busy(m, 1);
	err = GSM_Reset(m->gsm, FALSE);
	modem_busy(m, 0);
	m->ws.resets++;
	log_warnx("modem=%s reset=soft: %s", m->name, err == ERR_NONE ? "done" :
	    modem_gsm_error(err, buf, sizeof buf));
	modem_event(m, "modem.reset", "step=soft result=%s", err == ERR_NONE ?
	    "done" : modem_gsm_error(err, buf, sizeof buf));
}

/* The environment with the modem's name and device first (at *added). */
static char **
modem_reset_env(struct modem *m, size_t *added)
{
	char	**env;
	size_t	  n = 0, i;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 3, sizeof *env);
	/* First, so that they win over any inherited ones. */
	xasprintf(&env[0], "TIPGW_MODEM=%s", m->name);
	xasprintf(&env[1], "TIPGW_DEVICE=%s", m->ws.device);
	for (i = 0; i < n; i++)
		env[i + 2] = environ[i];
	*added = 0;
	return (env);
}

/* Wait for the command, at most until; how it ended, into what. */
static void
modem_reset_wait(struct modem *m, pid_t pid, time_t until, char *what,
    size_t size)
{
	int	 status = 0, rc;

	while ((rc = waitpid(pid, &status, WNOHANG)) == 0 &&
	    modem_monotonic() < until && !modem_stopping(m))
		modem_sleep_until(m, modem_monotonic() + 1, 0);
	if (rc == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (modem_stopping(m))
			snprintf(what, size, "killed: tipgwd is stopping");
		else
			snprintf(what, size, "killed after %ds",
			    MODEM_RESET_WAIT_SECONDS);
	} else if (rc < 0)
		snprintf(what, size, "lost: %s", strerror(errno));
	else if (WIFEXITED(status))
		snprintf(what, size, "exit=%d", WEXITSTATUS(status));
	else
		snprintf(what, size, "signal=%d", WTERMSIG(status));
}

/*
 * Worker, last rung: the operator's modem_reset_command, by /bin/sh, with
 * TIPGW_MODEM and TIPGW_DEVICE set; given MODEM_RESET_WAIT_SECONDS, then
 * killed. How it ended is logged and audited.
 */
void
modem_reset_command(struct modem *m, const struct modem_options *o)
{
	posix_spawnattr_t	 attr;
	sigset_t		 dfl;
	char			*argv[4], **env, what[64];
	size_t			 n;
	pid_t			 pid;
	int			 rc;

	argv[0] = (char *)"sh";
	argv[1] = (char *)"-c";
	argv[2] = (char *)o->reset_command;
	argv[3] = NULL;
	m->ws.resets++;
	log_warnx("modem=%s reset=command after %u failures: %s", m->name,
	    m->ws.failures, o->reset_command);
	env = modem_reset_env(m, &n);
	/* tipgwd ignores SIGPIPE; the command gets the default back. */
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	if ((rc = posix_spawnattr_init(&attr)) == 0) {
		posix_spawnattr_setsigdefault(&attr, &dfl);
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
		rc = posix_spawn(&pid, "/bin/sh", NULL, &attr, argv, env);
		posix_spawnattr_destroy(&attr);
	}
	free(env[n]);
	free(env[n + 1]);
	free(env);
	if (rc != 0)
		snprintf(what, sizeof what, "not started: %s", strerror(rc));
	else
		modem_reset_wait(m, pid, modem_monotonic() +
		    MODEM_RESET_WAIT_SECONDS, what, sizeof what);
	log_warnx("modem=%s reset=command %s", m->name, what);
	modem_event(m, "modem.reset", "step=command after=%u result=%s",
	    m->ws.failures, what);
}
