/*
 * The gazetteer's index of strings (names while building, township codes,
 * the lexicon's words, the counties' names): open addressing on FNV-1a,
 * keys borrowed, so that building the gazetteer of a whole province or
 * the nation stays linear.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/gazetteer.h"
#include "tipgw/xmalloc.h"

#include "gazetteer_int.h"

size_t
gaz_hash(const char *s, size_t len)
{
	size_t	 h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return (h);
}

/* The value of s[0, len) in x, or -1. */
int
gaz_index_get(const struct gaz_index *x, const char *s, size_t len)
{
	size_t	 i;

	if (x->size == 0)
		return (-1);
	for (i = gaz_hash(s, len) & (x->size - 1); x->keys[i] != NULL;
	    i = (i + 1) & (x->size - 1)) {
		if (strncmp(x->keys[i], s, len) == 0 && x->keys[i][len] == '\0')
			return (x->values[i]);
	}
	return (-1);
}

/* Put key (kept, not copied) with its value; an existing key keeps its. */
void
gaz_index_put(struct gaz_index *x, const char *key, int value)
{
	struct gaz_index	 old = *x;
	size_t			 i;

	if (x->n * 2 >= x->size) {
		x->size = x->size == 0 ? 1024 : x->size * 2;
		x->keys = xcalloc(x->size, sizeof *x->keys);
		x->values = xcalloc(x->size, sizeof *x->values);
		x->n = 0;
		for (i = 0; i < old.size; i++) {
			if (old.keys[i] != NULL)
				gaz_index_put(x, old.keys[i], old.values[i]);
		}
		free(old.keys);
		free(old.values);
	}
	for (i = gaz_hash(key, strlen(key)) & (x->size - 1);
	    x->keys[i] != NULL; i = (i + 1) & (x->size - 1)) {
		if (strcmp(x->keys[i], key) == 0)
			return;
	}
	x->keys[i] = key;
	x->values[i] = value;
	x->n++;
}

/* Set the value of key (kept, not copied), present or not. */
void
gaz_index_set(struct gaz_index *x, const char *key, int value)
{
	size_t	 i;

	gaz_index_put(x, key, value);
	for (i = gaz_hash(key, strlen(key)) & (x->size - 1);
	    strcmp(x->keys[i], key) != 0; i = (i + 1) & (x->size - 1))
		;
	x->values[i] = value;
}

void
gaz_index_free(struct gaz_index *x)
{
	free(x->keys);
	free(x->values);
	memset(x, 0, sizeof *x);
}
