/*
 * The gazetteer matcher: every way of writing every township and village
 * of the imported division data, and the lexicon's aliases, in one hash
 * of names. A name several places share keeps all of them (the router
 * decides; an ambiguous village is never guessed). Built for a county or
 * the nation alike: the names' texts in one pool, their senses in one
 * array, the index of 32-bit slots, no allocation per name; a text is
 * matched by looking up its substrings of the lengths names have.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "tipgw/acm.h"
#include "tipgw/division.h"
#include "tipgw/gazetteer.h"
#include "tipgw/lexicon.h"
#include "tipgw/lookalike.h"
#include "tipgw/xmalloc.h"

#include "gazetteer_int.h"

#define GAZ_PINYIN_VILLAGES 20000	/* villages named in pinyin, at most */

#define GAZ_FIRST_BITS	(64 * 1024)	/* the first characters of names */

#define GAZ_LOAD_TENTHS	7	/* the index at most 70 % full */
#define GAZ_NO_TEXT	UINT32_MAX	/* a name's text not yet in the pool */

/* A sense of a name while building: kept in the order first given. */
struct gaz_pair {
	uint32_t	 name;
	uint32_t	 seq;
	int32_t		 township;
	int32_t		 village;
	int32_t		 bare;
};


/* Administrative suffixes people drop, longest first. */
static const char *const gaz_township_suffixes[] = {
	"街道办事处", "街道", "民族乡", "镇", "乡", NULL
};

struct gaz_build {
	struct gazetteer	*g;
	const struct lexicon	*lx;
	const struct division	*d;
	int			*vname;		/* village -> d->villages */
	struct gaz_index	 words;		/* the lexicon's words */
	struct gaz_index	 villages;	/* code -> g->villages */
	size_t			 cap;		/* of g->names */
	size_t			 apool;
	struct gaz_pair		*pairs;
	size_t			 npairs, apairs;
	uint32_t		 seq;		/* the next pair's */
};

/* The bit of the first character of s[0, len) in g->first. */
size_t
gaz_first(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n = u[0] < 0x80 ? 1 : u[0] < 0xe0 ? 2 :
				    u[0] < 0xf0 ? 3 : 4, i;
	uint32_t		 h = 2166136261u;

	for (i = 0; i < n && i < len; i++)
		h = (h ^ u[i]) * 16777619u;
	return (h % GAZ_FIRST_BITS);
}

/*
 * The index of the name s[0, len) in g, or -1: h is its hash. Built, g
 * keeps its names in the order of their hash's bucket; while building,
 * in an open-addressed index of slots.
 */
int
gaz_name_get(const struct gazetteer *g, const char *s, size_t len,
    uint32_t h)
{
	uint32_t	 id, end;
	size_t		 i;

	if (g->dir != NULL) {
		i = GAZ_BUCKET(h, g->dirbits);
		for (id = g->dir[i], end = g->dir[i + 1]; id < end; id++) {
			if (g->nlens[id] == len && memcmp(g->pool +
			    g->names[id].text, s, len) == 0)
				return ((int)id);
		}
		return (-1);
	}
	if (g->nslots == 0)
		return (-1);
	for (i = h % g->nslots; (id = g->slots[i]) != 0;
	    i = i + 1 < g->nslots ? i + 1 : 0) {
		if (g->nlens[id - 1] == len && memcmp(g->pool +
		    g->names[id - 1].text, s, len) == 0)
			return ((int)id - 1);
	}
	return (-1);
}

static void
gaz_slot_put(struct gazetteer *g, uint32_t id)
{
	size_t		 i;

	for (i = (uint32_t)gaz_hash(g->pool + g->names[id].text,
	    g->nlens[id]) % g->nslots;
	    g->slots[i] != 0; i = i + 1 < g->nslots ? i + 1 : 0)
		;
	g->slots[i] = id + 1;
}

/* An index of n slots for the names so far. */
static void
gaz_slots(struct gazetteer *g, size_t n)
{
	size_t	 i;

	free(g->slots);
	g->nslots = n;
	g->slots = xcalloc(g->nslots, sizeof *g->slots);
	for (i = 0; i < g->nnames; i++)
		gaz_slot_put(g, (uint32_t)i);
}

/*
 * A new name s[0, len): its text in the pool, its slot. The text is not
 * copied when the pool has it at shared, a longer name's start (the stem
 * 固城 and 固城村 in 固城村民委员会).
 */
static int
gaz_name_new(struct gaz_build *b, const char *s, size_t len,
    uint32_t shared)
{
	struct gazetteer	*g = b->g;
	size_t			 i;

	if (g->nnames + 1 >= b->cap) {	/* and the sentinel */
		b->cap *= 2;
		g->names = xreallocarray(g->names, b->cap, sizeof *g->names);
		g->nlens = xreallocarray(g->nlens, b->cap, sizeof *g->nlens);
	}
	memset(&g->names[g->nnames], 0, sizeof g->names[g->nnames]);
	g->nlens[g->nnames] = (uint8_t)len;
	if (shared != GAZ_NO_TEXT && shared + len <= g->npool &&
	    memcmp(g->pool + shared, s, len) == 0)
		g->names[g->nnames].text = shared;
	else {
		while (g->npool + len + 1 > b->apool) {
			b->apool = b->apool == 0 ? 65536 : b->apool * 2;
			g->pool = xreallocarray(g->pool, b->apool, 1);
		}
		memcpy(g->pool + g->npool, s, len);
		g->names[g->nnames].text = (uint32_t)g->npool;
		g->npool += len;
	}
	if ((g->nnames + 1) * 10 > g->nslots * GAZ_LOAD_TENTHS)
		gaz_slots(g, g->nslots == 0 ? 1024 : g->nslots * 2);
	gaz_slot_put(g, (uint32_t)g->nnames);
	g->lens[len / 64] |= (uint64_t)1 << (len % 64);
	if (len > g->maxlen)
		g->maxlen = len;
	i = gaz_first(s, len);
	g->first[i / 64] |= (uint64_t)1 << (i % 64);
	return ((int)g->nnames++);
}

static int
gaz_ends(const char *s, const char *suffix, size_t *stem)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	if (n <= m || strcmp(s + n - m, suffix) != 0)
		return (0);
	*stem = n - m;
	return (1);
}

/*
 * A sense of the name text[0, len), its text perhaps at shared in the
 * pool (see gaz_name_new): the name's index, or -1 if it is not one. A
 * word of the lexicon cannot be a bare place name (光明超市, 小店).
 */
static int
gaz_add(struct gaz_build *b, const char *text, size_t len, int township,
    int village, int bare, uint32_t shared)
{
	struct gaz_pair	*p;
	int		 at;

	if (len == 0 || len > GAZ_NAME_MAX)
		return (-1);
	if (bare && (len < GAZ_MIN_BARE ||
	    gaz_index_get(&b->words, text, len) >= 0))
		return (-1);
	if ((at = gaz_name_get(b->g, text, len, (uint32_t)gaz_hash(text,
	    len))) < 0)
		at = gaz_name_new(b, text, len, shared);
	if (b->npairs == b->apairs) {
		b->apairs = b->apairs == 0 ? 4096 : b->apairs * 2;
		b->pairs = xreallocarray(b->pairs, b->apairs, sizeof *b->pairs);
	}
	p = &b->pairs[b->npairs];
	p->name = (uint32_t)at;
	p->seq = b->seq++;	/* never reused when gaz_senses shrinks */
	b->npairs++;
	p->township = township;
	p->village = village;
	p->bare = bare;
	return (at);
}

/* The pool's copy of a name: where names it begins can share it. */
static uint32_t
gaz_text(const struct gaz_build *b, int name)
{
	return (name >= 0 ? b->g->names[name].text : GAZ_NO_TEXT);
}

static int
gaz_pair_cmp_place(const void *x, const void *y)
{
	const struct gaz_pair	*a = x, *b = y;

	if (a->name != b->name)
		return (a->name < b->name ? -1 : 1);
	if (a->township != b->township)
		return (a->township < b->township ? -1 : 1);
	if (a->village != b->village)
		return (a->village < b->village ? -1 : 1);
	return (a->seq < b->seq ? -1 : a->seq > b->seq);
}

static int
gaz_pair_cmp_seq(const void *x, const void *y)
{
	const struct gaz_pair	*a = x, *b = y;

	if (a->name != b->name)
		return (a->name < b->name ? -1 : 1);
	return (a->seq < b->seq ? -1 : a->seq > b->seq);
}

/*
 * The senses so far, each name's in the order first given, a place once
 * (bare only if every time it was given bare), into g->senses.
 */
static void
gaz_senses(struct gaz_build *b)
{
	struct gazetteer	*g = b->g;
	size_t			 i, k = 0;

	if (b->npairs > 0)
		qsort(b->pairs, b->npairs, sizeof *b->pairs,
		    gaz_pair_cmp_place);
	for (i = 0; i < b->npairs; i++) {
		if (k > 0 && b->pairs[k - 1].name == b->pairs[i].name &&
		    b->pairs[k - 1].township == b->pairs[i].township &&
		    b->pairs[k - 1].village == b->pairs[i].village) {
			b->pairs[k - 1].bare &= b->pairs[i].bare;
			continue;
		}
		b->pairs[k++] = b->pairs[i];
	}
	b->npairs = k;
	if (b->npairs > 0)
		qsort(b->pairs, b->npairs, sizeof *b->pairs, gaz_pair_cmp_seq);
	free(g->senses);
	g->senses = xcalloc(b->npairs + 1, sizeof *g->senses);
	/* Every name has a sense: the runs go in the order of the names. */
	for (i = 0; i < b->npairs; i++) {
		if (i == 0 || b->pairs[i - 1].name != b->pairs[i].name)
			g->names[b->pairs[i].name].senses = (uint32_t)i;
		g->senses[i] = b->pairs[i].village >= 0 ?
		    (uint32_t)b->pairs[i].village : GAZ_SENSE_TOWNSHIP |
		    (uint32_t)b->pairs[i].township;
		if (b->pairs[i].bare)
			g->senses[i] |= GAZ_SENSE_BARE;
	}
	g->names[g->nnames].senses = (uint32_t)b->npairs;
	g->nsenses = b->npairs;
}

/* Peoples in the names of 民族乡 (下帅壮族瑶族乡 -> 下帅). */
static const char *const gaz_peoples[] = {
	"蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满",
	"侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤",
	"畲", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔",
	"仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
	"塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固",
	"京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", NULL
};

/* The length of name without its trailing "X族" groups. */
static size_t
gaz_strip_peoples(const char *name, size_t len)
{
	size_t	 n, z = strlen("族");
	int	 i, again = 1;

	while (again && len > z && strncmp(name + len - z, "族", z) == 0) {
		again = 0;
		for (i = 0; gaz_peoples[i] != NULL; i++) {
			n = strlen(gaz_peoples[i]);
			if (len >= n + z + 6 && strncmp(name + len - z - n,
			    gaz_peoples[i], n) == 0) {
				len -= n + z;
				again = 1;
				break;
			}
		}
	}
	return (len);
}

static void
gaz_township_names(struct gaz_build *b, int t)
{
	const char	*name = b->g->townships[t].name;
	char		*form;
	size_t		 stem, bare;
	int		 i;
	uint32_t	 text;

	text = gaz_text(b, gaz_add(b, name, strlen(name), t, -1, 0,
	    GAZ_NO_TEXT));
	for (i = 0; gaz_township_suffixes[i] != NULL; i++) {
		if (!gaz_ends(name, gaz_township_suffixes[i], &stem))
			continue;
		bare = gaz_strip_peoples(name, stem);
		if (bare != stem) {
			/* 下帅壮族瑶族乡 -> 下帅乡 as well as 下帅. */
			xasprintf(&form, "%.*s%s", (int)bare, name,
			    gaz_township_suffixes[i]);
			gaz_add(b, form, strlen(form), t, -1, 0, GAZ_NO_TEXT);
			free(form);
		}
		gaz_add(b, name, bare, t, -1, 1, text);
		break;
	}
}

/*
 * Village suffixes, longest first, and the forms people write: 岚田社区居民
 * 委员会 -> 岚田社区, 岚田; 金集居民委员会 -> 金集社区, 金集; 固城村民委员会 ->
 * 固城村, 固城 (新村村民委员会 -> 新村). The short official forms (村委会,
 * 社区居委会, 居委会) are used by some provinces' data.
 */
static const struct {
	const char	*suffix;
	const char	*form;		/* written with the stem */
} gaz_village_suffixes[] = {
	{ "社区居民委员会", "社区" },
	{ "社区居委会", "社区" },
	{ "居民委员会", "社区" },
	{ "居委会", "社区" },
	{ "村民委员会", "村" },
	{ "村委会", "村" },
	{ "委员会", NULL },
	{ NULL, NULL }
};

static void
gaz_village_names(struct gaz_build *b, int v)
{
	const char	*name = b->d->villages[b->vname[v]].name;
	int		 t = b->g->villages[v].township, i;
	size_t		 stem, s2;
	char		*stemmed, *full;
	uint32_t	 text;

	text = gaz_text(b, gaz_add(b, name, strlen(name), t, v, 0,
	    GAZ_NO_TEXT));
	for (i = 0; gaz_village_suffixes[i].suffix != NULL; i++) {
		if (gaz_ends(name, gaz_village_suffixes[i].suffix, &stem))
			break;
	}
	if (gaz_village_suffixes[i].suffix == NULL)
		return;
	stemmed = xstrndup(name, stem);
	if (gaz_village_suffixes[i].form != NULL &&
	    gaz_ends(stemmed, gaz_village_suffixes[i].form, &s2)) {
		/* 新村村民委员会: the stem already ends in its form. */
		gaz_add(b, stemmed, stem, t, v, 0, text);
		gaz_add(b, stemmed, s2, t, v, 1, text);
	} else {
		if (gaz_village_suffixes[i].form != NULL) {
			xasprintf(&full, "%s%s", stemmed,
			    gaz_village_suffixes[i].form);
			gaz_add(b, full, strlen(full), t, v, 0, text);
			free(full);
		}
		gaz_add(b, stemmed, stem, t, v, 1, text);
	}
	free(stemmed);
}

/*
 * A village's official name as people write it, for messages: 固城村民委员会
 * -> 固城村, 城关社区居民委员会 -> 城关社区, 新村村民委员会 -> 新村. A new
 * string; the name itself when no suffix applies.
 */
char *
gazetteer_village_short(const char *name)
{
	size_t	 stem, s2;
	char	*stemmed, *out;
	int	 i;

	for (i = 0; gaz_village_suffixes[i].suffix != NULL; i++) {
		if (gaz_ends(name, gaz_village_suffixes[i].suffix, &stem))
			break;
	}
	if (gaz_village_suffixes[i].suffix == NULL ||
	    gaz_village_suffixes[i].form == NULL)
		return (xstrdup(name));
	stemmed = xstrndup(name, stem);
	if (gaz_ends(stemmed, gaz_village_suffixes[i].form, &s2))
		return (stemmed);
	xasprintf(&out, "%s%s", stemmed, gaz_village_suffixes[i].form);
	free(stemmed);
	return (out);
}

/* [alias] entries: label = 9- or 12-digit code, word = another name. */
static void
gaz_aliases(struct gaz_build *b)
{
	const struct lexicon	*lx = b->lx;
	struct gazetteer	*g = b->g;
	size_t			 i;
	int			 t, v;

	if (lx == NULL)
		return;
	for (i = 0; i < lx->nentries; i++) {
		const struct lex_entry *e = &lx->entries[i];

		if (e->table != LEX_ALIAS)
			continue;
		if (strlen(e->label) == 9) {
			if ((t = gazetteer_township(g, e->label)) >= 0)
				gaz_add(b, e->word, strlen(e->word), t, -1, 0,
				    GAZ_NO_TEXT);
		} else if ((v = gaz_index_get(&b->villages, e->label,
		    strlen(e->label))) >= 0)
			gaz_add(b, e->word, strlen(e->word),
			    g->villages[v].township, v, 0, GAZ_NO_TEXT);
	}
}

/*
 * People write 陈庄村 for 陈庄社区 too: a name ending in 村 or 社区 also
 * means every village its stem (陈庄) means, so that a name two villages
 * share stays ambiguous whichever form is written.
 */
static void
gaz_merge_forms(struct gaz_build *b)
{
	static const char *const forms[] = { "村", "社区", NULL };
	struct gazetteer	*g = b->g;
	const char		*text;
	size_t			 i, len, stem, nnames = g->nnames;
	uint32_t		 k, sn;
	int			 f, j, v;

	gaz_senses(b);
	for (i = 0; i < nnames; i++) {
		for (f = 0; forms[f] != NULL; f++) {
			text = g->pool + g->names[i].text;
			len = g->nlens[i];
			if (len <= strlen(forms[f]) || memcmp(text + len -
			    strlen(forms[f]), forms[f], strlen(forms[f])) != 0)
				continue;
			stem = len - strlen(forms[f]);
			if ((j = gaz_name_get(g, text, stem, (uint32_t)gaz_hash(
			    text, stem))) < 0 || j >= (int)nnames)
				continue;
			for (k = 0; k < GAZ_NSENSES(g, j); k++) {
				sn = g->senses[g->names[j].senses + k];
				if (sn & GAZ_SENSE_TOWNSHIP)
					continue;
				/* The name is there: the pool stays. */
				v = (int)(sn & GAZ_SENSE_INDEX);
				gaz_add(b, text, len, g->villages[v].township,
				    v, 1, g->names[i].text);
			}
		}
	}
	/* gaz_directory makes the senses again, these with them. */
}

/* Up to max characters of s[0, len) into cp; how many, -1 if more. */
int
gaz_chars(const char *s, size_t len, int32_t *cp, int max)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t	 k, at = 0;
	int			 n = 0;

	while ((size_t)at < len) {
		if (n == max || (k = utf8proc_iterate(u + at,
		    (utf8proc_ssize_t)len - at, &cp[n])) <= 0)
			return (-1);
		at += k;
		n++;
	}
	return (n);
}

int
gaz_sound_cmp(const void *x, const void *y)
{
	const struct gaz_sound	*a = x, *b = y;
	int			 i;

	if (a->len != b->len)
		return (a->len < b->len ? -1 : 1);
	for (i = 0; i < a->len; i++) {
		if (a->key[i] != b->key[i])
			return (a->key[i] < b->key[i] ? -1 : 1);
	}
	return (0);
}

/* Each township's stem (2 to 4 characters, peoples dropped) by sound. */
static void
gaz_sounds(struct gazetteer *g)
{
	struct gaz_sound	 s;
	const char		*name;
	size_t			 stem;
	int			 i, k, t;

	g->self = xcalloc(g->ntownships + 1, sizeof *g->self);
	for (t = 0; t < (int)g->ntownships; t++) {
		g->self[t].township = t;
		g->self[t].village = -1;
		name = g->townships[t].name;
		for (i = 0; gaz_township_suffixes[i] != NULL; i++) {
			if (gaz_ends(name, gaz_township_suffixes[i], &stem))
				break;
		}
		if (gaz_township_suffixes[i] == NULL || g->lookalike == NULL)
			continue;
		memset(&s, 0, sizeof s);
		stem = gaz_strip_peoples(name, stem);
		if ((s.len = gaz_chars(name, stem, s.cp, GAZ_SOUND_MAX)) < 2)
			continue;
		for (k = 0; k < s.len; k++) {
			if ((s.key[k] = lookalike_sound(g->lookalike,
			    (unsigned int)s.cp[k])) < 0)
				break;
		}
		if (k < s.len)
			continue;
		s.township = t;
		g->sounds = xreallocarray(g->sounds, g->nsounds + 1,
		    sizeof *g->sounds);
		g->sounds[g->nsounds++] = s;
	}
	if (g->nsounds > 0)
		qsort(g->sounds, g->nsounds, sizeof *g->sounds, gaz_sound_cmp);
}

/* The pinyin of s[0, len), syllables joined by sep; NULL if unknown. */
static char *
gaz_pinyin(const struct lookalike *lk, const char *s, size_t len,
    const char *sep)
{
	int32_t		 cp[8];
	const char	*syl;
	char		*out = NULL, *prev;
	int		 n, i;

	if ((n = gaz_chars(s, len, cp, 8)) < 1)
		return (NULL);
	for (i = 0; i < n; i++) {
		if ((syl = lookalike_pinyin(lk, (unsigned int)cp[i])) == NULL) {
			free(out);
			return (NULL);
		}
		prev = out;
		xasprintf(&out, "%s%s%s", prev != NULL ? prev : "",
		    prev != NULL ? sep : "", syl);
		free(prev);
	}
	return (out);
}

/*
 * A place in pinyin, as tips typed without Chinese input write it: the
 * stem's syllables joined or apart, with the suffix's pinyin apart or
 * joined (qingtuo zhen, qingtuozhen, qing tuo zhen), and the joined stem
 * alone when it is long enough not to be another word (6 letters).
 */
static void
gaz_pinyin_names(struct gaz_build *b, const char *stem, size_t len,
    const char *suffix, int t, int v)
{
	char		*joined, *apart, *form;
	uint32_t	 text;

	if ((joined = gaz_pinyin(b->lx->lookalike, stem, len, "")) == NULL)
		return;
	apart = gaz_pinyin(b->lx->lookalike, stem, len, " ");
	xasprintf(&form, "%s %s", joined, suffix);
	text = gaz_text(b, gaz_add(b, form, strlen(form), t, v, 0,
	    GAZ_NO_TEXT));
	free(form);
	xasprintf(&form, "%s%s", joined, suffix);
	gaz_add(b, form, strlen(form), t, v, 0, text);
	free(form);
	xasprintf(&form, "%s %s", apart, suffix);
	gaz_add(b, form, strlen(form), t, v, 0, GAZ_NO_TEXT);
	free(form);
	if (strlen(joined) >= 6)
		gaz_add(b, joined, strlen(joined), t, v, 1, text);
	free(apart);
	free(joined);
}

/* Township and village names in pinyin, where the lexicon has it. */
static void
gaz_pinyin_all(struct gaz_build *b)
{
	static const struct {
		const char	*suffix, *pinyin;
	} forms[] = {
		{ "街道办事处", "jiedao" }, { "街道", "jiedao" },
		{ "民族乡", "xiang" }, { "镇", "zhen" }, { "乡", "xiang" },
		{ "社区居民委员会", "shequ" }, { "社区居委会", "shequ" },
		{ "居民委员会", "shequ" }, { "居委会", "shequ" },
		{ "村民委员会", "cun" }, { "村委会", "cun" },
	};
	struct gazetteer	*g = b->g;
	const char		*name;
	size_t			 i, k, stem;

	if (b->lx == NULL || b->lx->lookalike == NULL)
		return;
	/* Villages in pinyin for a county or a few: four names each would
	 * be millions for a province or the nation. */
	for (i = 0; i < g->ntownships + (g->nvillages <= GAZ_PINYIN_VILLAGES ?
	    g->nvillages : 0); i++) {
		name = i < g->ntownships ? g->townships[i].name :
		    b->d->villages[b->vname[i - g->ntownships]].name;
		for (k = 0; k < sizeof forms / sizeof forms[0]; k++) {
			if (gaz_ends(name, forms[k].suffix, &stem))
				break;
		}
		if (k == sizeof forms / sizeof forms[0])
			continue;
		if (i < g->ntownships)
			gaz_pinyin_names(b, name, gaz_strip_peoples(name, stem),
			    forms[k].pinyin, (int)i, -1);
		else
			gaz_pinyin_names(b, name, stem, forms[k].pinyin,
			    g->villages[i - g->ntownships].township,
			    (int)(i - g->ntownships));
	}
}

/* County suffixes people drop, longest first (正阳县 -> 正阳). */
static const char *const gaz_county_suffixes[] = {
	"自治县", "自治旗", "县", "区", "市", "旗", NULL
};
#define GAZ_COUNTY_SHARED	(-2)	/* a form two counties have */

/* A form of county c's name; one two counties share names neither. */
static void
gaz_county_form(struct gaz_build *b, const char *form, size_t len, int c)
{
	struct gazetteer	*g = b->g;
	char			*s;
	int			 old;

	if (len < GAZ_MIN_BARE || len > GAZ_NAME_MAX)
		return;
	if ((old = gaz_index_get(g->county_names, form, len)) == c)
		return;
	s = xstrndup(form, len);
	g->county_forms = xreallocarray(g->county_forms, g->ncounty_forms + 1,
	    sizeof *g->county_forms);
	g->county_forms[g->ncounty_forms++] = s;
	gaz_index_set(g->county_names, s, old == -1 ? c : GAZ_COUNTY_SHARED);
	g->county_lens[len / 64] |= (uint64_t)1 << (len % 64);
}

/*
 * The counties of the townships given whose names d has (areas.csv):
 * each by its name (正阳县) and, unless that is a place or a word, by its
 * name without the suffix (正阳; 丰宁 for 丰宁满族自治县). After the
 * names are built: a place's name is not a county's.
 */
static void
gaz_counties(struct gaz_build *b)
{
	struct gazetteer	*g = b->g;
	const struct division	*d = b->d;
	struct gaz_index	 present, known;
	const char		*name;
	size_t			 i, k, stem;
	int			 c;

	memset(&present, 0, sizeof present);
	memset(&known, 0, sizeof known);
	g->county_names = xcalloc(1, sizeof *g->county_names);
	for (i = 0; i < g->ntownships; i++)
		g->townships[i].county = -1;
	for (i = 0; i < d->ntownships; i++)
		gaz_index_put(&present, d->townships[i].county_code, 0);
	for (i = 0; i < d->ncounties; i++) {
		name = d->counties[i].name;
		if (gaz_index_get(&present, d->counties[i].code, 6) < 0 ||
		    gaz_index_get(&known, d->counties[i].code, 6) >= 0)
			continue;
		g->counties = xreallocarray(g->counties, g->ncounties + 1,
		    sizeof *g->counties);
		c = (int)g->ncounties++;
		memcpy(g->counties[c].code, d->counties[i].code,
		    sizeof g->counties[c].code);
		g->counties[c].name = xstrdup(name);
		/* d's code: g->counties moves as it grows. */
		gaz_index_put(&known, d->counties[i].code, c);
		gaz_county_form(b, name, strlen(name), c);
		for (k = 0; gaz_county_suffixes[k] != NULL; k++) {
			if (gaz_ends(name, gaz_county_suffixes[k], &stem))
				break;
		}
		if (gaz_county_suffixes[k] == NULL)
			continue;
		stem = gaz_strip_peoples(name, stem);
		if (gaz_name_get(g, name, stem, (uint32_t)gaz_hash(name,
		    stem)) < 0 && gaz_index_get(&b->words, name, stem) < 0)
			gaz_county_form(b, name, stem, c);
	}
	for (i = 0; i < g->ntownships; i++) {
		char	code[7];

		memcpy(code, g->townships[i].code, 6);
		code[6] = '\0';
		g->townships[i].county = gaz_index_get(&known, code, 6);
	}
	gaz_index_free(&present);
	gaz_index_free(&known);
}

/*
 * A village's code as g keeps it: the 3 digits after its township's
 * code, as the national data always has it; else 1000 + its place in
 * g->odd_codes.
 */
static uint32_t
gaz_village_code_pack(struct gazetteer *g, const char *code, int t)
{
	const char	*tc = g->townships[t].code;
	size_t		 n = strlen(tc);

	if (strlen(code) == n + 3 && strncmp(code, tc, n) == 0 &&
	    strspn(code + n, "0123456789") == 3)
		return ((uint32_t)strtoul(code + n, NULL, 10));
	g->odd_codes = xreallocarray(g->odd_codes, g->nodd_codes + 1,
	    sizeof *g->odd_codes);
	snprintf(g->odd_codes[g->nodd_codes], sizeof *g->odd_codes, "%s",
	    code);
	return ((uint32_t)(1000 + g->nodd_codes++));
}

/* Village v's code into buf, which is returned. */
const char *
gazetteer_village_code(const struct gazetteer *g, int v,
    char buf[GAZ_VILLAGE_CODE])
{
	const struct gaz_village	*vl = &g->villages[v];

	if (vl->code >= 1000)
		snprintf(buf, GAZ_VILLAGE_CODE, "%s",
		    g->odd_codes[vl->code - 1000]);
	else
		snprintf(buf, GAZ_VILLAGE_CODE, "%s%03u",
		    g->townships[vl->township].code, vl->code);
	return (buf);
}

/*
 * The names in the order of their hash's bucket, g->dir the first of
 * each bucket (half as many as names): no slot array, and a lookup
 * compares about two names. The senses follow their names.
 */
static void
gaz_directory(struct gaz_build *b)
{
	struct gazetteer	*g = b->g;
	struct gaz_name		*names;
	uint8_t			*nlens;
	uint32_t		*bucket, *at;
	unsigned int		 bits = 1;
	size_t			 i, nb;

	while (((size_t)1 << bits) < g->nnames / 2 + 1)
		bits++;
	nb = (size_t)1 << bits;
	g->dir = xcalloc(nb + 1, sizeof *g->dir);
	bucket = xcalloc(g->nnames + 1, sizeof *bucket);
	for (i = 0; i < g->nnames; i++) {
		bucket[i] = GAZ_BUCKET((uint32_t)gaz_hash(g->pool +
		    g->names[i].text, g->nlens[i]), bits);
		g->dir[bucket[i] + 1]++;
	}
	for (i = 0; i < nb; i++)
		g->dir[i + 1] += g->dir[i];
	at = xcalloc(nb, sizeof *at);
	memcpy(at, g->dir, nb * sizeof *at);
	names = xcalloc(g->nnames + 1, sizeof *names);
	nlens = xcalloc(g->nnames + 1, sizeof *nlens);
	for (i = 0; i < g->nnames; i++) {
		bucket[i] = at[bucket[i]]++;	/* the name's new index */
		names[bucket[i]].text = g->names[i].text;
		nlens[bucket[i]] = g->nlens[i];
	}
	free(at);
	free(g->names);
	free(g->nlens);
	g->names = names;
	g->nlens = nlens;
	for (i = 0; i < b->npairs; i++)
		b->pairs[i].name = bucket[b->pairs[i].name];
	free(bucket);
	free(g->slots);
	g->slots = NULL;
	g->nslots = 0;
	g->dirbits = bits;
	gaz_senses(b);
}

/* Index the division data (and aliases; lexicon may be NULL). */
struct gazetteer *
gazetteer_new(const struct division *d, const struct lexicon *lx,
    char **cause)
{
	struct gazetteer	*g = xcalloc(1, sizeof *g);
	struct gaz_build	 b;
	size_t			 i;
	int			 t;

	if (d->ntownships >= GAZ_PLACES_MAX || d->nvillages >= GAZ_PLACES_MAX) {
		free(g);
		*cause = xstrdup("too many places for the gazetteer");
		return (NULL);
	}
	memset(&b, 0, sizeof b);
	b.g = g;
	b.lx = lx;
	b.d = d;
	b.vname = xcalloc(d->nvillages + 1, sizeof *b.vname);
	b.cap = 1024;		/* with room for the sentinel, names or not */
	g->names = xcalloc(b.cap, sizeof *g->names);
	g->nlens = xcalloc(b.cap, sizeof *g->nlens);
	g->codes = xcalloc(1, sizeof *g->codes);
	for (i = 0; lx != NULL && i < lx->nentries; i++) {
		if (lx->entries[i].table != LEX_ALIAS &&
		    lx->entries[i].table != LEX_DIALECT)
			gaz_index_put(&b.words, lx->entries[i].word, 0);
	}
	g->townships = xcalloc(d->ntownships + 1, sizeof *g->townships);
	for (i = 0; i < d->ntownships; i++) {
		memcpy(g->townships[i].code, d->townships[i].code,
		    sizeof g->townships[i].code);
		g->townships[i].name = xstrdup(d->townships[i].name);
		gaz_index_put(g->codes, g->townships[i].code, (int)i);
	}
	g->ntownships = d->ntownships;
	g->villages = xcalloc(d->nvillages + 1, sizeof *g->villages);
	for (i = 0; i < d->nvillages; i++) {
		t = gazetteer_township(g, d->villages[i].township_code);
		if (t < 0)
			continue;	/* outside the townships given */
		g->villages[g->nvillages].township = t;
		g->villages[g->nvillages].code = gaz_village_code_pack(g,
		    d->villages[i].code, t);
		b.vname[g->nvillages] = (int)i;
		gaz_index_put(&b.villages, d->villages[i].code,
		    (int)g->nvillages);
		g->nvillages++;
	}
	for (i = 0; i < g->ntownships; i++)
		gaz_township_names(&b, (int)i);
	for (i = 0; i < g->nvillages; i++)
		gaz_village_names(&b, (int)i);
	gaz_aliases(&b);
	gaz_pinyin_all(&b);
	gaz_merge_forms(&b);
	gaz_directory(&b);
	gaz_counties(&b);
	g->lookalike = lx != NULL ? lx->lookalike : NULL;
	gaz_sounds(g);
	free(b.pairs);
	free(b.vname);
	g->pool = xreallocarray(g->pool, g->npool + 1, 1);
	gaz_index_free(&b.words);
	gaz_index_free(&b.villages);
	return (g);
}

/* The index of a township by code, or -1. */
int
gazetteer_township(const struct gazetteer *g, const char *code)
{
	size_t	 i;

	if (g->codes != NULL)
		return (gaz_index_get(g->codes, code, strlen(code)));
	for (i = 0; i < g->ntownships; i++) {
		if (strcmp(g->townships[i].code, code) == 0)
			return ((int)i);
	}
	return (-1);
}

void
gazetteer_free(struct gazetteer *g)
{
	size_t	 i;

	if (g == NULL)
		return;
	for (i = 0; i < g->ntownships; i++)
		free(g->townships[i].name);
	free(g->townships);
	for (i = 0; i < g->ncounties; i++)
		free(g->counties[i].name);
	free(g->counties);
	for (i = 0; i < g->ncounty_forms; i++)
		free(g->county_forms[i]);
	free(g->county_forms);
	if (g->county_names != NULL)
		gaz_index_free(g->county_names);
	free(g->county_names);
	free(g->villages);
	free(g->odd_codes);
	free(g->names);
	free(g->nlens);
	free(g->pool);
	free(g->senses);
	free(g->slots);
	free(g->dir);
	free(g->sounds);
	free(g->self);
	if (g->codes != NULL)
		gaz_index_free(g->codes);
	free(g->codes);
	free(g);
}
