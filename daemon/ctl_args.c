/*
 * What tipgwctl's commands share: option helpers and timing.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tipgw/xmalloc.h"
#include "ctl.h"

/* --json, and nothing else. */
int
ctl_json_flag(int argc, char **argv, int *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	*json = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'j')
			return (-1);
		*json = 1;
	}
	return (optind == argc ? 0 : -1);
}

/* Seconds since start (CLOCK_MONOTONIC). */
double
ctl_elapsed(const struct timespec *start)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9);
}

/* Append each comma-separated item of arg to a string list. */
void
ctl_list_add(char ***list, size_t *n, const char *arg)
{
	char	*copy = xstrdup(arg), *p = copy, *item;

	while ((item = strsep(&p, ",")) != NULL) {
		if (*item == '\0')
			continue;
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = xstrdup(item);
	}
	free(copy);
}
