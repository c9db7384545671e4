/*
 * Brand names written one character off (lookalike.h). Built once from
 * the lexicon's [genuine], [pinyin] and [shape] sections into sorted
 * tables; a message is looked at character by character, each character
 * a key to the brands that hold it.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "tipgw/lexicon.h"
#include "tipgw/lookalike.h"
#include "tipgw/xmalloc.h"

#define LK_MAXLEN	8	/* characters of a brand */
#define LK_ANY_FROM	4	/* names this long: any one character off */

struct lk_brand {
	int32_t		 cp[LK_MAXLEN];
	int		 len;
	const char	*word;
	const char	*product;
};

/* A character and what it keys: a brand and a position, a syllable. */
struct lk_key {
	int32_t		 cp;
	int		 a, b;
};

struct lookalike {
	struct lk_brand	*brands;
	size_t		 nbrands;
	struct lk_key	*index;		/* cp -> brand a, position b */
	size_t		 nindex;
	struct lk_key	*sound;		/* cp -> fuzzy syllable a */
	size_t		 nsound;
	struct lk_key	*shape;		/* cp -> group a */
	size_t		 nshape;
	uint8_t		 inbrand[0x10000 / 8];	/* BMP characters of brands */
	char		**syllables;	/* fuzzy */
	size_t		 nsyllables;
	const char	**reals;	/* as written: the lexicon's labels */
	size_t		 nreals;
};

static int
lk_key_cmp(const void *x, const void *y)
{
	const struct lk_key	*a = x, *b = y;

	if (a->cp != b->cp)
		return (a->cp < b->cp ? -1 : 1);
	if (a->a != b->a)
		return (a->a < b->a ? -1 : 1);
	return (a->b < b->b ? -1 : a->b > b->b);
}

static void
lk_key_add(struct lk_key **keys, size_t *n, int32_t cp, int a, int b)
{
	*keys = xreallocarray(*keys, *n + 1, sizeof **keys);
	(*keys)[*n].cp = cp;
	(*keys)[*n].a = a;
	(*keys)[(*n)++].b = b;
}

/* The first key of cp in keys (sorted), and how many there are. */
static const struct lk_key *
lk_keys_of(const struct lk_key *keys, size_t n, int32_t cp, size_t *count)
{
	size_t	 lo = 0, hi = n, mid, end;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (keys[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < n && keys[end].cp == cp; end++)
		;
	*count = end - lo;
	return (keys + lo);
}

/* Characters of s into cp (at most max); -1 if s is not UTF-8. */
static int
lk_decode(const char *s, int32_t *cp, size_t *off, size_t max, size_t *n)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t	 len = (utf8proc_ssize_t)strlen(s), k, at = 0;
	utf8proc_int32_t	 c;

	*n = 0;
	while (at < len) {
		if ((k = utf8proc_iterate(u + at, len - at, &c)) <= 0)
			return (-1);
		if (*n == max)
			return (-1);
		if (off != NULL)
			off[*n] = (size_t)at;
		cp[(*n)++] = c;
		at += k;
	}
	if (off != NULL)
		off[*n] = (size_t)at;
	return (0);
}

/*
 * A syllable as southern speakers tell syllables apart: zh ch sh as z c
 * s, l as n, -ang -eng -ing as -an -en -in.
 */
static void
lk_fuzzy(const char *syl, char *out, size_t size)
{
	size_t	 len;

	if ((syl[0] == 'z' || syl[0] == 'c' || syl[0] == 's') && syl[1] == 'h')
		snprintf(out, size, "%c%s", syl[0], syl + 2);
	else if (syl[0] == 'l')
		snprintf(out, size, "n%s", syl + 1);
	else
		snprintf(out, size, "%s", syl);
	len = strlen(out);
	if (len >= 3 && out[len - 1] == 'g' && out[len - 2] == 'n' &&
	    (out[len - 3] == 'a' || out[len - 3] == 'e' || out[len - 3] == 'i'))
		out[len - 1] = '\0';
}

static int
lk_syllable(struct lookalike *lk, const char *syl)
{
	char	 f[16];
	size_t	 i;

	lk_fuzzy(syl, f, sizeof f);
	for (i = 0; i < lk->nsyllables; i++) {
		if (strcmp(lk->syllables[i], f) == 0)
			return ((int)i);
	}
	lk->syllables = xreallocarray(lk->syllables, lk->nsyllables + 1,
	    sizeof *lk->syllables);
	lk->syllables[lk->nsyllables] = xstrdup(f);
	return ((int)lk->nsyllables++);
}

/* A key (cp, a) for each character of s. */
static void
lk_each(struct lk_key **keys, size_t *n, const char *s, int a, int b)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t	 len = (utf8proc_ssize_t)strlen(s), k, at = 0;
	utf8proc_int32_t	 c;

	while (at < len && (k = utf8proc_iterate(u + at, len - at, &c)) > 0) {
		lk_key_add(keys, n, c, a, b);
		at += k;
	}
}

struct lookalike *
lookalike_new(const struct lexicon *lx)
{
	struct lookalike	*lk = xcalloc(1, sizeof *lk);
	struct lk_brand		 b;
	size_t			 i, k, n;
	int			 syl;

	for (i = 0; i < lx->nentries; i++) {
		const struct lex_entry *e = &lx->entries[i];

		switch (e->table) {
		case LEX_GENUINE:
			memset(&b, 0, sizeof b);
			if (lk_decode(e->word, b.cp, NULL, LK_MAXLEN, &n) != 0 ||
			    n < 2)
				break;
			b.len = (int)n;
			b.word = e->word;
			b.product = e->label;
			for (k = 0; k < n; k++) {
				lk_key_add(&lk->index, &lk->nindex, b.cp[k],
				    (int)lk->nbrands, (int)k);
				if (b.cp[k] < 0x10000)
					lk->inbrand[b.cp[k] / 8] |=
					    (uint8_t)(1u << (b.cp[k] % 8));
			}
			lk->brands = xreallocarray(lk->brands, lk->nbrands + 1,
			    sizeof *lk->brands);
			lk->brands[lk->nbrands++] = b;
			break;
		case LEX_PINYIN:
			syl = lk_syllable(lk, e->label);
			lk->reals = xreallocarray(lk->reals, lk->nreals + 1,
			    sizeof *lk->reals);
			lk->reals[lk->nreals] = e->label;
			lk_each(&lk->sound, &lk->nsound, e->word, syl,
			    (int)lk->nreals++);
			break;
		case LEX_SHAPE:
			lk_each(&lk->shape, &lk->nshape, e->word, (int)i, 0);
			break;
		default:
			break;
		}
	}
	if (lk->nindex > 0)
		qsort(lk->index, lk->nindex, sizeof *lk->index, lk_key_cmp);
	if (lk->nsound > 0)
		qsort(lk->sound, lk->nsound, sizeof *lk->sound, lk_key_cmp);
	if (lk->nshape > 0)
		qsort(lk->shape, lk->nshape, sizeof *lk->shape, lk_key_cmp);
	return (lk);
}

/* A character's fuzzy syllable (a number), or -1 if it has none. */
int
lookalike_sound(const struct lookalike *lk, unsigned int c)
{
	const struct lk_key	*k;
	size_t			 n;

	if (lk == NULL)
		return (-1);
	k = lk_keys_of(lk->sound, lk->nsound, (int32_t)c, &n);
	return (n > 0 ? k[0].a : -1);
}

/* A character's pinyin without tones (the lexicon's), or NULL. */
const char *
lookalike_pinyin(const struct lookalike *lk, unsigned int c)
{
	const struct lk_key	*k;
	size_t			 n;

	if (lk == NULL)
		return (NULL);
	k = lk_keys_of(lk->sound, lk->nsound, (int32_t)c, &n);
	return (n > 0 ? lk->reals[k[0].b] : NULL);
}

/* Do two characters sound (fuzzy pinyin) or look ([shape]) the same? */
int
lookalike_similar(const struct lookalike *lk, unsigned int x, unsigned int y)
{
	const struct lk_key	*a, *b;
	size_t			 na, nb, i, k;

	if (x == y)
		return (1);
	a = lk_keys_of(lk->sound, lk->nsound, (int32_t)x, &na);
	b = lk_keys_of(lk->sound, lk->nsound, (int32_t)y, &nb);
	if (na > 0 && nb > 0 && a[0].a == b[0].a)
		return (1);
	a = lk_keys_of(lk->shape, lk->nshape, (int32_t)x, &na);
	b = lk_keys_of(lk->shape, lk->nshape, (int32_t)y, &nb);
	for (i = 0; i < na; i++) {
		for (k = 0; k < nb; k++) {
			if (a[i].a == b[k].a)
				return (1);
		}
	}
	return (0);
}

static int
lk_cjk(int32_t c)
{
	return (c >= 0x4e00 && c <= 0x9fff);
}

static int
lk_numeral(int32_t c)
{
	static const char numerals[] = "一二三四五六七八九十两几百千万";
	char		  buf[8];
	utf8proc_ssize_t  n;

	if ((n = utf8proc_encode_char(c, (utf8proc_uint8_t *)buf)) <= 0)
		return (0);
	buf[n] = '\0';
	return (strstr(numerals, buf) != NULL);
}

/*
 * May a name of four characters or more be written with character d
 * replaced by c, whatever c is (六颗核桃, 可口乐乐)? Not its first (崂山
 * for 泰山 is another brand) and not one number for another (两个核桃
 * are walnuts).
 */
static int
lk_any(const struct lk_brand *b, int d, int32_t c)
{
	return (b->len >= LK_ANY_FROM && d > 0 &&
	    !(lk_numeral(c) && lk_numeral(b->cp[d])));
}

/* Is text[s, s + len) a genuine brand itself? */
static int
lk_genuine(const struct lookalike *lk, const int32_t *text, size_t len)
{
	size_t	 i;

	for (i = 0; i < lk->nbrands; i++) {
		if ((size_t)lk->brands[i].len == len &&
		    memcmp(lk->brands[i].cp, text, len * sizeof *text) == 0)
			return (1);
	}
	return (0);
}

/*
 * The places in norm where a brand is written one character off (each
 * brand at each place once); *hits is the caller's to free.
 */
size_t
lookalike_find(const struct lookalike *lk, const char *norm,
    struct lookalike_hit **hits)
{
	const struct lk_key	*k;
	const struct lk_brand	*b;
	int32_t			*cp;
	size_t			*off, n, i, j, count, s, nhits = 0;
	int			 p, d, diffs;

	*hits = NULL;
	if (lk == NULL || lk->nbrands == 0)
		return (0);
	n = strlen(norm);
	cp = xcalloc(n + 1, sizeof *cp);
	off = xcalloc(n + 2, sizeof *off);
	if (lk_decode(norm, cp, off, n + 1, &n) != 0)
		n = 0;
	for (i = 0; i < n; i++) {
		/* Most characters are in no brand: one bit says so. */
		if (cp[i] < 0x10000 &&
		    !(lk->inbrand[cp[i] / 8] & (1u << (cp[i] % 8))))
			continue;
		k = lk_keys_of(lk->index, lk->nindex, cp[i], &count);
		for (j = 0; j < count; j++) {
			b = &lk->brands[k[j].a];
			if ((size_t)k[j].b > i || i - (size_t)k[j].b +
			    (size_t)b->len > n)
				continue;
			s = i - (size_t)k[j].b;
			/* Looked at already from an earlier character. */
			for (p = 0; p < k[j].b && cp[s + p] != b->cp[p]; p++)
				;
			if (p < k[j].b)
				continue;
			for (p = 0, diffs = 0, d = -1; p < b->len; p++) {
				if (cp[s + p] != b->cp[p]) {
					diffs++;
					d = p;
				}
			}
			if (diffs != 1 || !lk_cjk(cp[s + d]) ||
			    (!lookalike_similar(lk, (unsigned int)cp[s + d],
			    (unsigned int)b->cp[d]) && !lk_any(b, d, cp[s + d])) ||
			    lk_genuine(lk, cp + s, (size_t)b->len))
				continue;
			*hits = xreallocarray(*hits, nhits + 1, sizeof **hits);
			(*hits)[nhits].start = off[s];
			(*hits)[nhits].len = off[s + (size_t)b->len] - off[s];
			(*hits)[nhits].brand = b->word;
			(*hits)[nhits].product = b->product;
			(*hits)[nhits].weak = b->len == 2;
			nhits++;
		}
	}
	free(cp);
	free(off);
	return (nhits);
}

void
lookalike_free(struct lookalike *lk)
{
	size_t	 i;

	if (lk == NULL)
		return;
	for (i = 0; i < lk->nsyllables; i++)
		free(lk->syllables[i]);
	free(lk->syllables);
	free(lk->reals);
	free(lk->brands);
	free(lk->index);
	free(lk->sound);
	free(lk->shape);
	free(lk);
}
