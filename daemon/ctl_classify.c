/*
 * tipgwctl classify: the daemon's understanding and conversation, offline,
 * on JSON lines; needs neither configuration nor ledger.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tipgw/division.h"
#include "tipgw/lexicon.h"
#include "tipgw/tipgw.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

/*
 * classify: the daemon's understanding, offline. JSON lines on stdin,
 * JSON lines on stdout; a summary with the rate on stderr.
 */
static int
ctl_classify(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "streets", required_argument, NULL, 's' },
		{ "villages", required_argument, NULL, 'V' },
		{ "areas", required_argument, NULL, 'a' },
		{ "county", required_argument, NULL, 'c' },
		{ "lexicon", required_argument, NULL, 'l' },
		{ "lexicon-local", required_argument, NULL, 'L' },
		{ "model", required_argument, NULL, 'm' },
		{ "normalised", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct understand	 u;
	struct division		 d;
	struct timespec		 start;
	const char		*streets = NULL, *villages = NULL;
	const char		*areas = NULL, *local = NULL;
	const char		*lexdir = NULL, *model = NULL;
	char			*cause = NULL, *deflex = NULL, *county = NULL;
	unsigned long		 lines = 0;
	double			 secs;
	int			 ch, rc, flags = 0;

	(void)c;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			streets = optarg;
			break;
		case 'V':
			villages = optarg;
			break;
		case 'a':
			areas = optarg;
			break;
		case 'c':
			if (ctl_division_select(&county, optarg, 0) != 0) {
				free(county);
				return (1);
			}
			break;
		case 'l':
			lexdir = optarg;
			break;
		case 'L':
			local = optarg;
			break;
		case 'm':
			model = optarg;
			break;
		case 'n':
			flags |= CLASSIFY_NORMALISED;
			break;
		default:
			free(county);
			return (-1);
		}
	}
	if (streets == NULL || villages == NULL || optind != argc) {
		free(county);
		return (-1);
	}
	rc = ctl_division_read(&d, streets, villages, areas, county);
	free(county);
	if (rc != 0)
		return (1);
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (lexdir == NULL) {
		xasprintf(&deflex, "%s/lexicon", tipgw_datadir());
		lexdir = deflex;
	}
	rc = understand_init(&u, lexdir, local, &d, &cause);
	free(deflex);
	division_free(&d);
	if (rc == 0 && model != NULL && (rc = lexicon_model(u.lx,
	    strcmp(model, "none") == 0 ? NULL : model, &cause)) != 0)
		understand_clear(&u);
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	rc = classify_stream(&u, stdin, stdout, flags, &lines, &cause);
	understand_clear(&u);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tipgwctl: classify: write error\n");
		return (1);
	}
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: classify: stdin: %s\n", cause);
		free(cause);
		return (1);
	}
	secs = ctl_elapsed(&start);
	fprintf(stderr, "tipgwctl: classified %lu lines in %.3f s "
	    "(%.0f lines/s)\n", lines, secs, secs > 0 ? lines / secs : 0.0);
	return (0);
}

const struct ctl_entry ctl_classify_entry = {
	.name = "classify",
	.sub = NULL,
	.flags = CTL_NOLEDGER,
	.usage = "classify --streets FILE --villages FILE [--areas FILE] "
	    "[--county CODE] "
	    "[--lexicon DIR] [--lexicon-local FILE] [--model FILE | none] "
	    "[--normalised]",
	.exec = ctl_classify,
};
