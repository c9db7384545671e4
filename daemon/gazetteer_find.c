/*
 * Places in a text: every name of the gazetteer found in it, longest
 * first, and townships written with one character off by its sound.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "tipgw/acm.h"
#include "tipgw/gazetteer.h"
#include "tipgw/lookalike.h"
#include "tipgw/xmalloc.h"

#include "gazetteer_int.h"

/*
 * Is a name followed by 县 or 市 (not 市场) another county or city of the
 * same name (龙门县 is not 龙门村)?
 */
static int
gaz_other_county(const char *after)
{
	size_t	 n = strlen("县");

	if (strncmp(after, "县", n) == 0)
		return (1);
	return (strncmp(after, "市", n) == 0 &&
	    strncmp(after + n, "场", n) != 0 &&
	    strncmp(after + n, "集", n) != 0);
}

/*
 * A township written with its suffix and one character of its stem off
 * by the same sound (依文镇 for 依汶镇), where no other name lies: its
 * mention, or 0. at is the suffix's start, end the suffix's end.
 */
static int
gaz_by_sound(const struct gazetteer *g, const char *text, size_t at,
    size_t end, const struct acm_match *m, size_t n, struct gaz_mention *out)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)text;
	struct gaz_sound	 want, *hit;
	size_t			 start, i, k;
	utf8proc_int32_t	 c;
	int			 len, diffs;

	for (len = GAZ_SOUND_MAX; len >= 2; len--) {
		/* Back len characters from the suffix. */
		for (start = at, k = 0; k < (size_t)len && start > 0; k++) {
			do
				start--;
			while (start > 0 && (u[start] & 0xc0) == 0x80);
		}
		if (k < (size_t)len)
			continue;
		memset(&want, 0, sizeof want);
		if (gaz_chars(text + start, at - start, want.cp,
		    GAZ_SOUND_MAX) != len)
			continue;
		want.len = len;
		for (k = 0; k < (size_t)len; k++) {
			c = want.cp[k];
			if ((want.key[k] = lookalike_sound(g->lookalike,
			    (unsigned int)c)) < 0)
				break;
		}
		if (k < (size_t)len)
			continue;
		hit = bsearch(&want, g->sounds, g->nsounds, sizeof *g->sounds,
		    gaz_sound_cmp);
		if (hit == NULL)
			continue;
		/* bsearch finds one of equal keys: the first of them. */
		while (hit > g->sounds && gaz_sound_cmp(hit - 1, &want) == 0)
			hit--;
		for (; hit < g->sounds + g->nsounds &&
		    gaz_sound_cmp(hit, &want) == 0; hit++) {
			for (k = 0, diffs = 0; k < (size_t)len; k++)
				diffs += hit->cp[k] != want.cp[k];
			if (diffs == 1)
				break;
		}
		if (hit == g->sounds + g->nsounds ||
		    gaz_sound_cmp(hit, &want) != 0)
			continue;
		for (i = 0; i < n; i++) {
			if (m[i].start < end && start < m[i].start + m[i].len)
				return (0);	/* a name is written there */
		}
		memset(out, 0, sizeof *out);
		out->start = start;
		out->len = end - start;
		out->senses = &g->self[hit->township];
		out->nsenses = 1;
		return (1);
	}
	return (0);
}

static int
gaz_mention_cmp(const void *x, const void *y)
{
	const struct gaz_mention	*a = x, *b = y;

	return (a->start < b->start ? -1 : a->start > b->start);
}

/* Townships written by sound, after the names found in m. */
static size_t
gaz_find_sounds(const struct gazetteer *g, const char *text,
    const struct acm_match *m, size_t n, struct gaz_mention **out,
    size_t nout)
{
	static const char *const suffixes[] = { "镇", "乡", "街道", NULL };
	struct gaz_mention	 f;
	const char		*p;
	size_t			 at, len, added = 0;
	int			 i;

	if (g->nsounds == 0)
		return (nout);
	for (i = 0; suffixes[i] != NULL; i++) {
		len = strlen(suffixes[i]);
		for (p = text; (p = strstr(p, suffixes[i])) != NULL; p += len) {
			at = (size_t)(p - text);
			if (!gaz_by_sound(g, text, at, at + len, m, n, &f))
				continue;
			*out = xreallocarray(*out, nout + 1, sizeof **out);
			(*out)[nout++] = f;
			added++;
		}
	}
	if (added > 0)
		qsort(*out, nout, sizeof **out, gaz_mention_cmp);
	return (nout);
}

static int
gaz_letter(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
}

/* A name in pinyin is a whole word: no letter right before or after. */
static int
gaz_whole_word(const char *text, const struct acm_match *m)
{
	if (!gaz_letter(text[m->start]))
		return (1);
	return ((m->start == 0 || !gaz_letter(text[m->start - 1])) &&
	    !gaz_letter(text[m->start + m->len]));
}

/*
 * Every name at each character of text: its substrings of the lengths
 * names have, looked up (the hash carried on from one length to the
 * next). Allocated (free it), in no order; the count returned.
 */
static size_t
gaz_scan(const struct gazetteer *g, const char *text, struct acm_match **m)
{
	size_t		 n = 0, alloc = 0, start, len, tlen = strlen(text);
	uint32_t	 h;
	int		 id;

	*m = NULL;
	for (start = 0; start < tlen; start++) {
		if (((unsigned char)text[start] & 0xc0) == 0x80)
			continue;	/* inside a character */
		len = gaz_first(text + start, tlen - start);
		if ((g->first[len / 64] & ((uint64_t)1 << (len % 64))) == 0)
			continue;	/* no name begins so */
		h = 2166136261u;
		for (len = 1; len <= g->maxlen && start + len <= tlen; len++) {
			h = (h ^ (unsigned char)text[start + len - 1]) *
			    16777619u;
			if ((g->lens[len / 64] & ((uint64_t)1 << (len % 64))) ==
			    0 || (id = gaz_name_get(g, text + start, len, h)) <
			    0)
				continue;
			if (n == alloc) {
				alloc = alloc ? alloc * 2 : 16;
				*m = xreallocarray(*m, alloc, sizeof **m);
			}
			(*m)[n].start = start;
			(*m)[n].len = len;
			(*m)[n++].value = id;
		}
	}
	return (n);
}

/* A packed sense as a mention gives it. */
void
gaz_sense_unpack(const struct gazetteer *g, uint32_t sn,
    struct gaz_sense *out)
{
	memset(out, 0, sizeof *out);
	if (sn & GAZ_SENSE_TOWNSHIP) {
		out->township = (int)(sn & GAZ_SENSE_INDEX);
		out->village = -1;
	} else {
		out->village = (int)(sn & GAZ_SENSE_INDEX);
		out->township = g->villages[out->village].township;
	}
	out->bare = (sn & GAZ_SENSE_BARE) != 0;
}

/* The first of m[0, i] with m[i]'s name. */
static size_t
gaz_first_of(const struct acm_match *m, size_t i)
{
	size_t	 j;

	for (j = 0; j < i && m[j].value != m[i].value; j++)
		;
	return (j);
}

/*
 * The counties text names as where its places are (at most max, into
 * named): how many. A county's name counts only right before a place
 * (正阳县罗岗村, 怀集凤岗镇), not inside another name (怀集桥村), before a
 * road (正阳路) or in passing (去过正阳的人); a form two counties share
 * names neither.
 */
static size_t
gaz_counties_named(const struct gazetteer *g, const char *text,
    const struct gaz_mention *m, size_t nm, int *named, size_t max)
{
	size_t	 n = 0, start, len, tlen = strlen(text), k;
	int	 c;

	for (start = 0; start < tlen; start++) {
		if (((unsigned char)text[start] & 0xc0) == 0x80)
			continue;
		for (len = GAZ_MIN_BARE; len <= GAZ_NAME_MAX &&
		    start + len <= tlen; len++) {
			if ((g->county_lens[len / 64] & ((uint64_t)1 <<
			    (len % 64))) == 0 || (c = gaz_index_get(
			    g->county_names, text + start, len)) < 0)
				continue;
			for (k = 0; k < nm && m[k].start != start + len; k++)
				;
			if (k == nm)
				continue;	/* no place right after it */
			for (k = 0; k < n && named[k] != c; k++)
				;
			if (k == n && n < max)
				named[n++] = c;
		}
	}
	return (n);
}

#define GAZ_COUNTIES_NAMED	8	/* in one text, at most */

/* Is a sense's township in one of the counties named (or of none known)? */
static int
gaz_in_counties(const struct gazetteer *g, const struct gaz_sense *sn,
    const int *named, size_t n)
{
	int	 c = g->townships[sn->township].county;
	size_t	 i;

	for (i = 0; i < n && named[i] != c; i++)
		;
	return (c < 0 || i < n);
}

/*
 * With the places of several counties, a text that names its county
 * (正阳县陈庄村) means the places there: the senses elsewhere go, and a
 * name with none there is no place. Mentions of one name share their
 * senses: filtered once. The count of mentions kept.
 */
static size_t
gaz_county_filter(const struct gazetteer *g, const char *text,
    struct gaz_mention *m, size_t n)
{
	int	 named[GAZ_COUNTIES_NAMED];
	size_t	 nnamed, i, j, k, kept;

	if (g->ncounties < 2 || (nnamed = gaz_counties_named(g, text, m, n,
	    named, GAZ_COUNTIES_NAMED)) == 0)
		return (n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && m[j].senses != m[i].senses; j++)
			;
		if (j < i) {
			m[i].nsenses = m[j].nsenses;
			continue;
		}
		for (j = k = 0; j < (size_t)m[i].nsenses; j++) {
			if (gaz_in_counties(g, &m[i].senses[j], named, nnamed))
				m[i].senses[k++] = m[i].senses[j];
		}
		m[i].nsenses = (int)k;
	}
	for (i = kept = 0; i < n; i++) {
		if (m[i].nsenses > 0)
			m[kept++] = m[i];
	}
	return (kept);
}

/*
 * Every place name in normalised text, longest first, in text order:
 * the mentions and, after them in the same allocation, their senses
 * (a name written twice has its senses once).
 */
size_t
gazetteer_find(const struct gazetteer *g, const char *text,
    struct gaz_mention **out)
{
	struct acm_match	*m;
	struct gaz_mention	*sounds = NULL, *all;
	struct gaz_sense	*sp;
	size_t			 n, ns, i, k, total;
	uint32_t		 first;

	n = gaz_scan(g, text, &m);
	n = acm_longest(m, n, strlen(text));
	for (i = k = 0; i < n; i++) {
		if (!gaz_other_county(text + m[i].start + m[i].len) &&
		    gaz_whole_word(text, &m[i]))
			m[k++] = m[i];
	}
	n = k;
	ns = gaz_find_sounds(g, text, m, n, &sounds, 0);
	for (i = 0, total = ns; i < n; i++) {
		if (gaz_first_of(m, i) == i)
			total += GAZ_NSENSES(g, m[i].value);
	}
	*out = NULL;
	if (n + ns > 0) {
		all = xcalloc(1, (n + ns) * sizeof *all + total * sizeof *sp);
		sp = (struct gaz_sense *)(void *)(all + n + ns);
		for (i = 0; i < n; i++) {
			all[i].start = m[i].start;
			all[i].len = m[i].len;
			all[i].nsenses = (int)GAZ_NSENSES(g, m[i].value);
			if ((k = gaz_first_of(m, i)) < i) {
				all[i].senses = all[k].senses;
				continue;
			}
			all[i].senses = sp;
			first = g->names[m[i].value].senses;
			for (k = 0; k < (size_t)all[i].nsenses; k++)
				gaz_sense_unpack(g, g->senses[first + k], sp++);
		}
		for (i = 0; i < ns; i++) {
			all[n + i] = sounds[i];
			*sp = *sounds[i].senses;
			all[n + i].senses = sp++;
		}
		if (ns > 0)
			qsort(all, n + ns, sizeof *all, gaz_mention_cmp);
		*out = all;
	}
	free(sounds);
	free(m);
	return (gaz_county_filter(g, text, *out, n + ns));
}
