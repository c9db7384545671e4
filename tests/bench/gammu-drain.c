/*
 * The limit of SMS intake through libGammu, for the intake benchmark:
 * read every stored message part with GSM_GetNextSMS and delete it with
 * GSM_DeleteSMS, storing nothing, understanding nothing. Whatever a
 * daemon does with a message comes on top of this loop.
 *
 * usage: gammu-drain [-r] GAMMURC
 *
 * GAMMURC is a Gammu configuration file (its [gammu] section). Each read
 * goes on from the last location read; with -r, from the first again
 * after each delete, as the simplest loop does (on the dummy driver,
 * whose reads look for files location by location, that loop's cost
 * grows with the square of the messages). Prints "N parts in S s" on
 * standard output; exits 1 on an error.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gammu.h>

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static int
fail(const char *what, GSM_Error err)
{
	fprintf(stderr, "gammu-drain: %s: %s\n", what, GSM_ErrorString(err));
	return (1);
}

int
main(int argc, char **argv)
{
	GSM_StateMachine	*gsm;
	GSM_MultiSMSMessage	 msms;
	INI_Section		*ini = NULL;
	GSM_Error		 err;
	double			 t0;
	long			 parts = 0;
	gboolean		 start;
	int			 i, restart = 0;

	if (argc == 3 && strcmp(argv[1], "-r") == 0) {
		restart = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: gammu-drain [-r] GAMMURC\n");
		return (2);
	}
	t0 = now();
	if ((gsm = GSM_AllocStateMachine()) == NULL)
		return (fail("state machine", ERR_MOREMEMORY));
	if ((err = INI_ReadFile(argv[1], FALSE, &ini)) != ERR_NONE)
		return (fail(argv[1], err));
	err = GSM_ReadConfig(ini, GSM_GetConfig(gsm, 0), 0);
	INI_Free(ini);
	if (err != ERR_NONE)
		return (fail("configuration", err));
	GSM_SetConfigNum(gsm, 1);
	if ((err = GSM_InitConnection(gsm, 1)) != ERR_NONE)
		return (fail("connection", err));
	memset(&msms, 0, sizeof msms);
	for (start = TRUE;; start = restart ? TRUE : FALSE) {
		/* On from the last location read, deleted or not. */
		msms.Number = 0;
		err = GSM_GetNextSMS(gsm, &msms, start);
		if (err == ERR_EMPTY)
			break;
		if (err != ERR_NONE)
			return (fail("reading", err));
		for (i = 0; i < msms.Number; i++) {
			err = GSM_DeleteSMS(gsm, &msms.SMS[i]);
			if (err != ERR_NONE && err != ERR_EMPTY)
				return (fail("deleting", err));
			parts++;
		}
	}
	GSM_TerminateConnection(gsm);
	GSM_FreeStateMachine(gsm);
	printf("%ld parts in %.3f s\n", parts, now() - t0);
	return (0);
}
