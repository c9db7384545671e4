/*
 * The gazetteer's insides, shared by its builder (gazetteer.c) and its
 * matcher (gazetteer_find.c).
 */
#ifndef TIPGW_GAZETTEER_INT_H
#define TIPGW_GAZETTEER_INT_H

#include <stddef.h>
#include <stdint.h>

struct gazetteer;
struct gaz_sense;

/* A name; its senses run to the next name's first (a sentinel ends). */
struct gaz_name {
	uint32_t	 text;		/* offset in the pool */
	uint32_t	 senses;	/* first, in g->senses */
};
#define GAZ_NSENSES(g, i) ((g)->names[(i) + 1].senses - (g)->names[i].senses)

/*
 * A sense packed in 32 bits: a village's index (its township is the
 * village's), or a township's index with GAZ_SENSE_TOWNSHIP; either
 * with GAZ_SENSE_BARE.
 */
#define GAZ_SENSE_BARE		(1u << 31)
#define GAZ_SENSE_TOWNSHIP	(1u << 30)
#define GAZ_SENSE_INDEX		(GAZ_SENSE_TOWNSHIP - 1)
#define GAZ_PLACES_MAX		GAZ_SENSE_INDEX	/* townships, villages */

/* The bucket of a name's hash in g->dir. */
#define GAZ_MIN_BARE	6	/* bytes: two CJK characters */
#define GAZ_NAME_MAX	255	/* bytes: a longer name is not indexed */

#define GAZ_BUCKET(h, bits) ((uint32_t)((h) * 0x9e3779b1u) >> (32 - (bits)))

/* A township's name without its suffix, by sound. */
#define GAZ_SOUND_MAX	4	/* characters */
struct gaz_sound {
	int		 key[GAZ_SOUND_MAX];	/* fuzzy syllables */
	int32_t		 cp[GAZ_SOUND_MAX];
	int		 len;
	int		 township;
};

/* Strings to indexes (gazetteer_index.c). */
struct gaz_index {
	const char	**keys;		/* borrowed; NULL: empty slot */
	int		 *values;
	size_t		  size;		/* a power of two */
	size_t		  n;
};

size_t	gaz_hash(const char *, size_t);
int	gaz_index_get(const struct gaz_index *, const char *, size_t);
void	gaz_index_put(struct gaz_index *, const char *, int);
void	gaz_index_set(struct gaz_index *, const char *, int);
void	gaz_index_free(struct gaz_index *);

size_t	gaz_first(const char *, size_t);
int	gaz_name_get(const struct gazetteer *, const char *, size_t, uint32_t);
int	gaz_chars(const char *, size_t, int32_t *, int);
int	gaz_sound_cmp(const void *, const void *);
void	gaz_sense_unpack(const struct gazetteer *, uint32_t, struct gaz_sense *);

#endif
