/*
 * libFuzzer target: the division files and the gazetteer built from
 * them. The input is streets.csv, a NUL, villages.csv, a NUL, a message
 * and, after another NUL, areas.csv (the counties' names; optional):
 * the files are parsed and checked against each other as tipgwctl
 * gazetteer import does; whatever they give (all of it, or nothing when
 * they are refused) is built into a gazetteer and the message's place
 * names are looked up in it: each sense a place of the gazetteer.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/division.h"
#include "tipgw/gazetteer.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The next piece of data up to a NUL (or the end), as a string. */
static char *
fuzz_piece(const uint8_t **data, size_t *size, size_t *len)
{
	const uint8_t	*nul = memchr(*data, '\0', *size);
	char		*s;

	*len = nul != NULL ? (size_t)(nul - *data) : *size;
	s = malloc(*len + 1);
	if (s == NULL)
		abort();
	memcpy(s, *data, *len);
	s[*len] = '\0';
	*data += *len + (nul != NULL);
	*size -= *len + (nul != NULL);
	return (s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct division		 d;
	struct gazetteer	*g;
	struct gaz_mention	*m = NULL;
	char			*streets, *villages, *text, *areas;
	char			*cause = NULL;
	size_t			 slen, vlen, tlen, alen, n, i;
	int			 k;

	streets = fuzz_piece(&data, &size, &slen);
	villages = fuzz_piece(&data, &size, &vlen);
	text = fuzz_piece(&data, &size, &tlen);
	areas = fuzz_piece(&data, &size, &alen);
	memset(&d, 0, sizeof d);
	if ((alen > 0 && division_parse_areas(&d, "areas", areas, alen, NULL,
	    &cause) != 0) ||
	    division_parse_streets(&d, "streets", streets, slen, NULL,
	    &cause) != 0 || division_parse_villages(&d, "villages", villages,
	    vlen, NULL, &cause) != 0 || division_check(&d, "streets",
	    "villages", &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	if ((g = gazetteer_new(&d, NULL, &cause)) != NULL) {
		n = gazetteer_find(g, text, &m);
		for (i = 0; i < n; i++) {
			if (m[i].start + m[i].len > tlen || m[i].nsenses < 1)
				abort();
			for (k = 0; k < m[i].nsenses; k++) {
				if (m[i].senses[k].township < 0 ||
				    (size_t)m[i].senses[k].township >=
				    g->ntownships || m[i].senses[k].village >=
				    (int)g->nvillages)
					abort();
			}
		}
		free(m);
		gazetteer_free(g);
	}
	free(cause);
	division_free(&d);
	free(streets);
	free(villages);
	free(text);
	free(areas);
	return (0);
}
