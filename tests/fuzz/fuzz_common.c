/*
 * What the fuzzers share: the demo county understood with the shipped
 * lexicon, as tipgwd loads it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/division.h"
#include "tipgw/understand.h"
#include "fuzz.h"

static char *
fuzz_read(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) ==
	    NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "fuzz: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return (buf);
}

/* The source tree: $top_srcdir, or where it was configured. */
const char *
fuzz_top(void)
{
	const char	*top = getenv("top_srcdir");

	return (top != NULL ? top : TOP_SRCDIR);
}

/* u: the demo county and the shipped lexicon; exits on failure. */
void
fuzz_understand_init(struct understand *u)
{
	const char	*top = fuzz_top();
	struct division	 d;
	char		 path[4096], *data, *cause = NULL;
	size_t		 len;

	memset(&d, 0, sizeof d);
	snprintf(path, sizeof path, "%s/contrib/demo/streets.csv", top);
	data = fuzz_read(path, &len);
	if (division_parse_streets(&d, path, data, len, NULL, &cause) != 0)
		goto fail;
	free(data);
	snprintf(path, sizeof path, "%s/contrib/demo/villages.csv", top);
	data = fuzz_read(path, &len);
	if (division_parse_villages(&d, path, data, len, NULL, &cause) != 0)
		goto fail;
	free(data);
	snprintf(path, sizeof path, "%s/contrib/lexicon", top);
	if (understand_init(u, path, NULL, &d, &cause) != 0)
		goto fail;
	division_free(&d);
	return;
fail:
	fprintf(stderr, "fuzz: %s\n", cause);
	exit(1);
}
