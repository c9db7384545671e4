/*
 * tipgwctl gazetteer import|list: the county's townships and villages
 * from the national statistical division CSV files (checked, then
 * imported in one transaction), and the townships with their offices.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tipgw/clock.h"
#include "tipgw/division.h"
#include "tipgw/json.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

#define CTL_MAX_FILE	(256 * 1024 * 1024)

/* Read a whole file into memory. */
static char *
ctl_read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 size;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "tipgwctl: %s: %s\n", path, strerror(errno));
		return (NULL);
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || size > CTL_MAX_FILE) {
		fprintf(stderr, "tipgwctl: %s: cannot read (not a regular "
		    "file, or over %d MiB)\n", path, CTL_MAX_FILE >> 20);
		fclose(f);
		return (NULL);
	}
	buf = xmalloc((size_t)size + 1);
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "tipgwctl: %s: read error\n", path);
		free(buf);
		fclose(f);
		return (NULL);
	}
	buf[size] = '\0';
	*len = (size_t)size;
	fclose(f);
	return (buf);
}

typedef int (*ctl_parse_fn)(struct division *, const char *, const char *,
    size_t, const char *, char **);

static int
ctl_parse_file(struct division *d, const char *path, const char *county,
    ctl_parse_fn parse)
{
	char	*data, *cause = NULL;
	size_t	 len;
	int	 rc;

	if ((data = ctl_read_file(path, &len)) == NULL)
		return (-1);
	rc = parse(d, path, data, len, county, &cause);
	free(data);
	if (rc != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
	}
	return (rc);
}

/* Digits only, and as many as one of the lengths allowed (bit n set). */
static int
ctl_code_valid(const char *s, unsigned int lengths)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (i < 32 && (lengths & (1u << i)) != 0);
}

/*
 * Add --county CODE[,CODE...] (6 digits each) or --prefix CODE (2, 4 or
 * 6 digits: a province, a prefecture, a county) to the selection, a
 * comma-separated list of prefixes of county codes. -1 with a message.
 */
int
ctl_division_select(char **selection, const char *arg, int prefix)
{
	char		*copy = xstrdup(arg), *p = copy, *code, *old;
	unsigned int	 lengths = prefix ? (1u << 2 | 1u << 4 | 1u << 6) :
			    1u << 6;

	while ((code = strsep(&p, ",")) != NULL) {
		if (!ctl_code_valid(code, lengths)) {
			fprintf(stderr, "tipgwctl: %s %s: expected %s\n",
			    prefix ? "--prefix" : "--county", code, prefix ?
			    "a province (41), prefecture (4117) or county "
			    "(411724) code" : "a 6-digit county code such as "
			    "411724");
			free(copy);
			return (-1);
		}
		old = *selection;
		xasprintf(selection, "%s%s%s", old != NULL ? old : "",
		    old != NULL ? "," : "", code);
		free(old);
	}
	free(copy);
	return (0);
}

static int
ctl_code_cmp(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/* Keep the names of the counties whose townships d has, no others. */
static void
ctl_division_counties(struct division *d)
{
	const char	**codes, *key;
	size_t		  i, kept = 0;

	codes = xcalloc(d->ntownships + 1, sizeof *codes);
	for (i = 0; i < d->ntownships; i++)
		codes[i] = d->townships[i].county_code;
	qsort(codes, d->ntownships, sizeof *codes, ctl_code_cmp);
	for (i = 0; i < d->ncounties; i++) {
		key = d->counties[i].code;
		if (bsearch(&key, codes, d->ntownships, sizeof *codes,
		    ctl_code_cmp) != NULL)
			d->counties[kept++] = d->counties[i];
		else
			free(d->counties[i].name);
	}
	d->ncounties = kept;
	free(codes);
}

/*
 * Read the division files into d (areas, the counties' names, may be
 * NULL): parsed, then checked against each other. Errors are printed;
 * -1 then (d freed).
 */
int
ctl_division_read(struct division *d, const char *streets,
    const char *villages, const char *areas, const char *county)
{
	char	*cause = NULL;

	memset(d, 0, sizeof *d);
	if ((areas != NULL && ctl_parse_file(d, areas, county,
	    division_parse_areas) != 0) ||
	    ctl_parse_file(d, streets, county, division_parse_streets) != 0 ||
	    ctl_parse_file(d, villages, county, division_parse_villages) != 0)
		goto fail;
	if (division_check(d, streets, villages, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		goto fail;
	}
	ctl_division_counties(d);
	return (0);
fail:
	division_free(d);
	return (-1);
}

static int
ctl_gazetteer_store(struct ctl *c, struct division *d, const char *county,
    const struct timespec *start)
{
	struct store_import_counts	 counts;
	char				*cause = NULL;

	if (d->ntownships == 0) {
		fprintf(stderr, "tipgwctl: no townships%s%s found; nothing "
		    "imported\n", county ? " in the counties of " : "",
		    county ? county : "");
		return (1);
	}
	if (store_gazetteer_import(c->store, d, clock_now(), c->actor, &counts,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: import failed, nothing imported: "
		    "%s\n", cause);
		free(cause);
		return (1);
	}
	if (d->ncounties > 0)
		printf("imported %zu county name%s\n", d->ncounties,
		    d->ncounties == 1 ? "" : "s");
	printf("imported %lld townships and %lld villages in %.3fs; the "
	    "ledger has %lld townships and %lld villages\n", counts.townships,
	    counts.villages, ctl_elapsed(start), counts.townships_total,
	    counts.villages_total);
	return (0);
}

static int
ctl_gazetteer_import(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "streets", required_argument, NULL, 's' },
		{ "villages", required_argument, NULL, 'V' },
		{ "areas", required_argument, NULL, 'a' },
		{ "county", required_argument, NULL, 'c' },
		{ "prefix", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct division		 d;
	struct timespec		 start;
	const char		*streets = NULL, *villages = NULL;
	const char		*areas = NULL;
	char			*select = NULL;
	int			 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			streets = optarg;
		else if (ch == 'V')
			villages = optarg;
		else if (ch == 'a')
			areas = optarg;
		else if (ch == 'c' || ch == 'p') {
			if (ctl_division_select(&select, optarg, ch == 'p') !=
			    0) {
				free(select);
				return (1);
			}
		} else {
			free(select);
			return (-1);
		}
	}
	if (streets == NULL || villages == NULL || optind != argc) {
		free(select);
		return (-1);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (ctl_division_read(&d, streets, villages, areas, select) != 0) {
		fprintf(stderr, "tipgwctl: nothing imported\n");
		free(select);
		return (1);
	}
	rc = ctl_gazetteer_store(c, &d, select, &start);
	division_free(&d);
	free(select);
	return (rc);
}

static int
ctl_township_print_cb(const struct township *t, void *arg)
{
	int	*json = arg;
	char	*s;

	if (*json) {
		s = json_township(t);
		printf("%s\n", s);
		free(s);
	} else
		printf("%-9s %-8lld %-24s %s\n", t->code, t->nvillages,
		    t->office_name ? t->office_name : "-", t->name);
	return (0);
}

static int
ctl_gazetteer_list(struct ctl *c, int argc, char **argv)
{
	char	*cause = NULL;
	int	 json;

	if (ctl_json_flag(argc, argv, &json) != 0)
		return (-1);
	if (!json)
		printf("%-9s %-8s %-24s %s\n", "CODE", "VILLAGES", "OFFICE",
		    "NAME");
	if (store_township_foreach(c->store, ctl_township_print_cb, &json,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

const struct ctl_entry ctl_gazetteer_import_entry = {
	.name = "gazetteer",
	.sub = "import",
	.flags = 0,
	.usage = "gazetteer import --streets FILE --villages FILE "
	    "[--areas FILE] [--county CODE[,CODE...]] [--prefix CODE]",
	.exec = ctl_gazetteer_import,
};

const struct ctl_entry ctl_gazetteer_list_entry = {
	.name = "gazetteer",
	.sub = "list",
	.flags = CTL_READONLY,
	.usage = "gazetteer list [--json]",
	.exec = ctl_gazetteer_list,
};
