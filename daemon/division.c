/*
 * Parse the national division CSV files (china-division's streets.csv and
 * villages.csv) from memory. Pure: no I/O, no database; tipgwctl reads the
 * files and store.c writes the rows.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/division.h"
#include "tipgw/xmalloc.h"

#define CSV_MAX_FIELDS	16
#define DIVISION_MAX_ERRORS 20

struct csv {
	const char	*p, *end;
	int		 line;		/* line the current record starts on */
	int		 next_line;
};

struct csv_record {
	char	*field[CSV_MAX_FIELDS];
	int	 nfields;
};

struct division_errors {
	const char	*file;
	char		*text;
	int		 count;
};

static void division_error(struct division_errors *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
division_error(struct division_errors *e, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *all;

	e->count++;
	if (e->count > DIVISION_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	xasprintf(&all, "%s%s%s:%d: %s", e->text ? e->text : "",
	    e->text ? "\n" : "", e->file, line, msg ? msg : "error");
	free(msg);
	free(e->text);
	e->text = all;
}

static int
division_errors_finish(struct division_errors *e, char **cause)
{
	char	*all;

	if (e->count == 0)
		return (0);
	if (e->count > DIVISION_MAX_ERRORS) {
		xasprintf(&all, "%s\n%s: %d more errors not shown", e->text,
		    e->file, e->count - DIVISION_MAX_ERRORS);
		free(e->text);
		e->text = all;
	}
	*cause = e->text;
	return (-1);
}

static void
csv_record_clear(struct csv_record *r)
{
	int	 i;

	for (i = 0; i < r->nfields; i++)
		free(r->field[i]);
	r->nfields = 0;
}

/* Read one field; return 1 at the end of the record, 0 before a comma. */
static int
csv_field(struct csv *c, char **out, int *bad)
{
	const char	*start;
	char		*buf, *w;

	if (c->p < c->end && *c->p == '"') {
		buf = w = xmalloc((size_t)(c->end - c->p) + 1);
		for (c->p++;; c->p++) {
			if (c->p >= c->end) {
				*bad = 1;
				break;
			}
			if (*c->p == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					*w++ = '"';
					c->p++;
					continue;
				}
				c->p++;
				break;
			}
			if (*c->p == '\n')
				c->next_line++;
			*w++ = *c->p;
		}
		*w = '\0';
		*out = buf;
		if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
		    *c->p != '\r')
			*bad = 1;
	} else {
		start = c->p;
		while (c->p < c->end && *c->p != ',' && *c->p != '\n')
			c->p++;
		*out = xstrndup(start, (size_t)(c->p - start));
		if ((w = strchr(*out, '\r')) != NULL && w[1] == '\0')
			*w = '\0';
	}
	while (c->p < c->end && *c->p != ',' && *c->p != '\n')
		c->p++;		/* junk after a closing quote */
	if (c->p >= c->end)
		return (1);
	if (*c->p++ == ',')
		return (0);
	c->next_line++;
	return (1);
}

/*
 * Read the next non-empty record. Return 1 with a record, 0 at the end,
 * -1 for a malformed record (r is still filled as far as it goes).
 */
static int
csv_next(struct csv *c, struct csv_record *r)
{
	int	 bad = 0, end = 0;
	char	*field;

	csv_record_clear(r);
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->next_line++;
		c->p++;
	}
	if (c->p >= c->end)
		return (0);
	c->line = c->next_line;
	while (!end) {
		end = csv_field(c, &field, &bad);
		if (r->nfields == CSV_MAX_FIELDS) {
			free(field);
			bad = 1;
			continue;
		}
		r->field[r->nfields++] = field;
	}
	return (bad ? -1 : 1);
}

static int
csv_column(const struct csv_record *header, const char *name)
{
	int	 i;

	for (i = 0; i < header->nfields; i++) {
		if (strcmp(header->field[i], name) == 0)
			return (i);
	}
	return (-1);
}

static int
division_digits(const char *s, size_t len)
{
	size_t	 i;

	if (strlen(s) != len)
		return (0);
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (0);
	}
	return (1);
}

/* Is s valid UTF-8 without control characters? */
static int
division_name_ok(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	int			 n, i;

	if (*u == '\0')
		return (0);
	while (*u != '\0') {
		if (*u < 0x20 || *u == 0x7f)
			return (0);
		if (*u < 0x80) {
			u++;
			continue;
		}
		if ((*u & 0xe0) == 0xc0 && *u >= 0xc2)
			n = 1;
		else if ((*u & 0xf0) == 0xe0)
			n = 2;
		else if ((*u & 0xf8) == 0xf0 && *u <= 0xf4)
			n = 3;
		else
			return (0);
		for (i = 1; i <= n; i++) {
			if ((u[i] & 0xc0) != 0x80)
				return (0);
		}
		u += n + 1;
	}
	return (1);
}

struct division_columns {
	const char	*name[6];
	int		 index[6];
	int		 n;
};

static int
division_header(struct csv *c, struct csv_record *r,
    struct division_columns *cols, struct division_errors *e)
{
	int	 i, rc;

	if ((rc = csv_next(c, r)) <= 0) {
		division_error(e, rc == 0 ? 1 : c->line, "%s",
		    rc == 0 ? "empty file: expected a header line" :
		    "malformed header line");
		return (-1);
	}
	if (r->nfields > 0 && strncmp(r->field[0], "\xef\xbb\xbf", 3) == 0)
		memmove(r->field[0], r->field[0] + 3,
		    strlen(r->field[0] + 3) + 1);
	for (i = 0; i < cols->n; i++) {
		cols->index[i] = csv_column(r, cols->name[i]);
		if (cols->index[i] < 0) {
			division_error(e, c->line, "header has no '%s' column",
			    cols->name[i]);
			return (-1);
		}
	}
	return (0);
}

static const char *
division_field(const struct csv_record *r, const struct division_columns *c,
    int i)
{
	if (c->index[i] >= r->nfields)
		return (NULL);
	return (r->field[c->index[i]]);
}

/* Fetch the needed fields of a row, or report what is missing. */
static int
division_row(struct csv *c, const struct csv_record *r,
    const struct division_columns *cols, const char **v,
    struct division_errors *e)
{
	int	 i;

	for (i = 0; i < cols->n; i++) {
		if ((v[i] = division_field(r, cols, i)) == NULL) {
			division_error(e, c->line, "expected %d fields, found "
			    "%d", cols->index[i] + 1, r->nfields);
			return (-1);
		}
	}
	return (0);
}

static int
division_township_row(struct division *d, const char **v, int line,
    struct division_errors *e)
{
	struct division_township	*t;

	/* v: code, name, areaCode, cityCode, provinceCode */
	if (!division_digits(v[0], 9)) {
		division_error(e, line, "township code '%s' is not 9 digits",
		    v[0]);
		return (-1);
	}
	if (!division_digits(v[2], 6) || !division_digits(v[3], 4) ||
	    !division_digits(v[4], 2) || strncmp(v[0], v[2], 6) != 0 ||
	    strncmp(v[2], v[3], 4) != 0 || strncmp(v[3], v[4], 2) != 0) {
		division_error(e, line, "township %s: area, city and province "
		    "codes do not match the code", v[0]);
		return (-1);
	}
	if (!division_name_ok(v[1])) {
		division_error(e, line, "township %s: name is empty or not "
		    "valid UTF-8", v[0]);
		return (-1);
	}
	d->townships = xreallocarray(d->townships, d->ntownships + 1,
	    sizeof *d->townships);
	t = &d->townships[d->ntownships++];
	memset(t, 0, sizeof *t);
	memcpy(t->code, v[0], 9);
	memcpy(t->county_code, v[2], 6);
	memcpy(t->city_code, v[3], 4);
	memcpy(t->province_code, v[4], 2);
	t->name = xstrdup(v[1]);
	t->line = line;
	return (0);
}

static int
division_village_row(struct division *d, const char **v, int line,
    struct division_errors *e)
{
	struct division_village	*vl;

	/* v: code, name, streetCode */
	if (!division_digits(v[0], 12)) {
		division_error(e, line, "village code '%s' is not 12 digits",
		    v[0]);
		return (-1);
	}
	if (!division_digits(v[2], 9) || strncmp(v[0], v[2], 9) != 0) {
		division_error(e, line, "village %s: streetCode '%s' does not "
		    "match the code", v[0], v[2]);
		return (-1);
	}
	if (!division_name_ok(v[1])) {
		division_error(e, line, "village %s: name is empty or not "
		    "valid UTF-8", v[0]);
		return (-1);
	}
	d->villages = xreallocarray(d->villages, d->nvillages + 1,
	    sizeof *d->villages);
	vl = &d->villages[d->nvillages++];
	memset(vl, 0, sizeof *vl);
	memcpy(vl->code, v[0], 12);
	memcpy(vl->township_code, v[2], 9);
	vl->name = xstrdup(v[1]);
	vl->line = line;
	return (0);
}

static int
division_county_row(struct division *d, const char **v, int line,
    struct division_errors *e)
{
	struct division_county	*c;

	/* v: code, name, cityCode, provinceCode */
	if (!division_digits(v[0], 6)) {
		division_error(e, line, "county code '%s' is not 6 digits",
		    v[0]);
		return (-1);
	}
	if (!division_digits(v[2], 4) || !division_digits(v[3], 2) ||
	    strncmp(v[0], v[2], 4) != 0 || strncmp(v[2], v[3], 2) != 0) {
		division_error(e, line, "county %s: city and province codes do "
		    "not match the code", v[0]);
		return (-1);
	}
	if (!division_name_ok(v[1])) {
		division_error(e, line, "county %s: name is empty or not "
		    "valid UTF-8", v[0]);
		return (-1);
	}
	d->counties = xreallocarray(d->counties, d->ncounties + 1,
	    sizeof *d->counties);
	c = &d->counties[d->ncounties++];
	memset(c, 0, sizeof *c);
	memcpy(c->code, v[0], 6);
	c->name = xstrdup(v[1]);
	c->line = line;
	return (0);
}

typedef int (*division_row_fn)(struct division *, const char **, int,
    struct division_errors *);

/*
 * Is a county code in the selection: comma-separated prefixes (41, a
 * province; 4117, a prefecture; 411724, a county)? NULL selects all.
 */
static int
division_selected(const char *area, const char *selection)
{
	const char	*p = selection, *comma;
	size_t		 n;

	if (selection == NULL)
		return (1);
	for (;;) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n > 0 && strncmp(area, p, n) == 0)
			return (1);
		if (comma == NULL)
			return (0);
		p = comma + 1;
	}
}

static int
division_parse(struct division *d, const char *file, const char *data,
    size_t len, const char *county, struct division_columns *cols,
    int area_column, division_row_fn row_fn, char **cause)
{
	struct csv		 c = { data, data + len, 1, 1 };
	struct csv_record	 r = { .nfields = 0 };
	struct division_errors	 e = { file, NULL, 0 };
	const char		*v[6];
	int			 rc;

	if (division_header(&c, &r, cols, &e) == 0) {
		while ((rc = csv_next(&c, &r)) != 0) {
			if (rc < 0) {
				division_error(&e, c.line, "malformed CSV "
				    "record (bad quoting or too many fields)");
				continue;
			}
			if (division_row(&c, &r, cols, v, &e) != 0)
				continue;
			if (!division_selected(v[area_column], county))
				continue;
			row_fn(d, v, c.line, &e);
		}
	}
	csv_record_clear(&r);
	return (division_errors_finish(&e, cause));
}

/*
 * Parse streets.csv (code,name,areaCode,provinceCode,cityCode) and append
 * its townships; with a selection (comma-separated prefixes of county
 * codes), keep only the rows of the counties it selects.
 */
int
division_parse_streets(struct division *d, const char *file, const char *data,
    size_t len, const char *county, char **cause)
{
	struct division_columns	 cols = { { "code", "name", "areaCode",
	    "cityCode", "provinceCode" }, { 0 }, 5 };

	return (division_parse(d, file, data, len, county, &cols, 2,
	    division_township_row, cause));
}

/*
 * Parse areas.csv (code,name,cityCode,provinceCode): the counties' names;
 * with a selection, only the counties it selects.
 */
int
division_parse_areas(struct division *d, const char *file, const char *data,
    size_t len, const char *county, char **cause)
{
	struct division_columns	 cols = { { "code", "name", "cityCode",
	    "provinceCode" }, { 0 }, 4 };

	return (division_parse(d, file, data, len, county, &cols, 0,
	    division_county_row, cause));
}

/*
 * Parse villages.csv (code,name,streetCode,provinceCode,cityCode,areaCode)
 * and append its villages; with a selection, only its counties' rows.
 */
int
division_parse_villages(struct division *d, const char *file,
    const char *data, size_t len, const char *county, char **cause)
{
	struct division_columns	 cols = { { "code", "name", "streetCode",
	    "areaCode" }, { 0 }, 4 };

	return (division_parse(d, file, data, len, county, &cols, 3,
	    division_village_row, cause));
}

struct division_key {
	const char	*code;
	int		 line;
};

static int
division_key_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct division_key *)a)->code,
	    ((const struct division_key *)b)->code));
}

/* By code, then line, so duplicates are reported in file order. */
static int
division_key_line_cmp(const void *a, const void *b)
{
	const struct division_key	*ka = a, *kb = b;
	int				 c = strcmp(ka->code, kb->code);

	if (c != 0)
		return (c);
	return ((ka->line > kb->line) - (ka->line < kb->line));
}

/* Sort the keys and report codes that appear twice. */
static void
division_check_unique(struct division_key *keys, size_t n, const char *what,
    struct division_errors *e)
{
	size_t	 i;

	qsort(keys, n, sizeof *keys, division_key_line_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(keys[i - 1].code, keys[i].code) == 0)
			division_error(e, keys[i].line, "%s code %s appears "
			    "more than once (also line %d)", what,
			    keys[i].code, keys[i - 1].line);
	}
}

/*
 * Check the whole set: codes unique, and every village in a township of
 * the set. The file names are for the messages.
 */
int
division_check(const struct division *d, const char *streets_file,
    const char *villages_file, char **cause)
{
	struct division_errors	 e = { streets_file, NULL, 0 };
	struct division_key	*towns, *vills, key;
	size_t			 i;

	towns = xcalloc(d->ntownships + 1, sizeof *towns);
	vills = xcalloc(d->nvillages + 1, sizeof *vills);
	for (i = 0; i < d->ntownships; i++) {
		towns[i].code = d->townships[i].code;
		towns[i].line = d->townships[i].line;
	}
	division_check_unique(towns, d->ntownships, "township", &e);
	e.file = villages_file;
	for (i = 0; i < d->nvillages; i++) {
		vills[i].code = d->villages[i].code;
		vills[i].line = d->villages[i].line;
		key.code = d->villages[i].township_code;
		if (bsearch(&key, towns, d->ntownships, sizeof *towns,
		    division_key_cmp) == NULL)
			division_error(&e, d->villages[i].line, "village %s: "
			    "township %s is not in %s", d->villages[i].code,
			    d->villages[i].township_code, streets_file);
	}
	division_check_unique(vills, d->nvillages, "village", &e);
	free(towns);
	free(vills);
	return (division_errors_finish(&e, cause));
}

/* Free what the parsers allocated. */
void
division_free(struct division *d)
{
	size_t	 i;

	for (i = 0; i < d->ncounties; i++)
		free(d->counties[i].name);
	for (i = 0; i < d->ntownships; i++)
		free(d->townships[i].name);
	for (i = 0; i < d->nvillages; i++)
		free(d->villages[i].name);
	free(d->counties);
	free(d->townships);
	free(d->villages);
	memset(d, 0, sizeof *d);
}
