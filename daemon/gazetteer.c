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

#define GAZ_MIN_BARE	6	/* bytes: two CJK characters */
#define GAZ_PINYIN_VILLAGES 20000	/* villages named in pinyin, at most */

#define GAZ_NAME_MAX	255	/* bytes: a longer name is not indexed */
#define GAZ_FIRST_BITS	(64 * 1024)	/* the first characters of names */

#define GAZ_LOAD_TENTHS	7	/* the index at most 70 % full */

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

/*
 * Strings to indexes, open addressing on FNV-1a: the names, the codes
 * and the lexicon's words, so that building the gazetteer of a whole
 * province or the nation stays linear.
 */
struct gaz_index {
	const char	**keys;		/* borrowed; NULL: empty slot */
	int		 *values;
	size_t		  size;		/* a power of two */
	size_t		  n;
};

static size_t
gaz_hash(const char *s, size_t len)
{
	size_t	 h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return (h);
}

/* The value of s[0, len) in x, or -1. */
static int
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
static void
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

static void
gaz_index_free(struct gaz_index *x)
{
	free(x->keys);
	free(x->values);
	memset(x, 0, sizeof *x);
}

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

/* The index of the name s[0, len) in g, or -1. */
int
gaz_name_get(const struct gazetteer *g, const char *s, size_t len,
    uint32_t h)
{
	uint32_t	 id;
	size_t		 i;
	const char	*t;

	if (g->nslots == 0)
		return (-1);
	for (i = h % g->nslots; (id = g->slots[i]) != 0;
	    i = i + 1 < g->nslots ? i + 1 : 0) {
		t = g->pool + g->names[id - 1].text;
		if (strncmp(t, s, len) == 0 && t[len] == '\0')
			return ((int)id - 1);
	}
	return (-1);
}

static void
gaz_slot_put(struct gazetteer *g, uint32_t id)
{
	const char	*t = g->pool + g->names[id].text;
	size_t		 i;

	for (i = (uint32_t)gaz_hash(t, strlen(t)) % g->nslots;
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

/* A new name s[0, len): its text in the pool, its slot. */
static int
gaz_name_new(struct gaz_build *b, const char *s, size_t len)
{
	struct gazetteer	*g = b->g;
	size_t			 i;

	if (g->nnames + 1 >= b->cap) {	/* and the sentinel */
		b->cap *= 2;
		g->names = xreallocarray(g->names, b->cap, sizeof *g->names);
	}
	while (g->npool + len + 1 > b->apool) {
		b->apool = b->apool == 0 ? 65536 : b->apool * 2;
		g->pool = xreallocarray(g->pool, b->apool, 1);
	}
	memcpy(g->pool + g->npool, s, len);
	g->pool[g->npool + len] = '\0';
	memset(&g->names[g->nnames], 0, sizeof g->names[g->nnames]);
	g->names[g->nnames].text = (uint32_t)g->npool;
	g->npool += len + 1;
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

/* A word of the lexicon cannot be a bare place name (光明超市, 小店). */
static void
gaz_add(struct gaz_build *b, const char *text, size_t len, int township,
    int village, int bare)
{
	struct gaz_pair	*p;
	int		 at;

	if (len == 0 || len > GAZ_NAME_MAX)
		return;
	if (bare && (len < GAZ_MIN_BARE ||
	    gaz_index_get(&b->words, text, len) >= 0))
		return;
	if ((at = gaz_name_get(b->g, text, len, (uint32_t)gaz_hash(text,
	    len))) < 0)
		at = gaz_name_new(b, text, len);
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
		g->senses[i].township = b->pairs[i].township;
		g->senses[i].village = b->pairs[i].village;
		g->senses[i].bare = (unsigned int)b->pairs[i].bare;
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

	gaz_add(b, name, strlen(name), t, -1, 0);
	for (i = 0; gaz_township_suffixes[i] != NULL; i++) {
		if (!gaz_ends(name, gaz_township_suffixes[i], &stem))
			continue;
		bare = gaz_strip_peoples(name, stem);
		if (bare != stem) {
			/* 下帅壮族瑶族乡 -> 下帅乡 as well as 下帅. */
			xasprintf(&form, "%.*s%s", (int)bare, name,
			    gaz_township_suffixes[i]);
			gaz_add(b, form, strlen(form), t, -1, 0);
			free(form);
		}
		gaz_add(b, name, bare, t, -1, 1);
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

	gaz_add(b, name, strlen(name), t, v, 0);
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
		gaz_add(b, stemmed, stem, t, v, 0);
		gaz_add(b, stemmed, s2, t, v, 1);
	} else {
		if (gaz_village_suffixes[i].form != NULL) {
			xasprintf(&full, "%s%s", stemmed,
			    gaz_village_suffixes[i].form);
			gaz_add(b, full, strlen(full), t, v, 0);
			free(full);
		}
		gaz_add(b, stemmed, stem, t, v, 1);
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
				gaz_add(b, e->word, strlen(e->word), t, -1, 0);
		} else if ((v = gaz_index_get(&b->villages, e->label,
		    strlen(e->label))) >= 0)
			gaz_add(b, e->word, strlen(e->word),
			    g->villages[v].township, v, 0);
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
	size_t			 i, stem, nnames = g->nnames;
	uint32_t		 k;
	int			 f, j;

	gaz_senses(b);
	for (i = 0; i < nnames; i++) {
		for (f = 0; forms[f] != NULL; f++) {
			text = g->pool + g->names[i].text;
			if (!gaz_ends(text, forms[f], &stem) ||
			    (j = gaz_name_get(g, text, stem, (uint32_t)gaz_hash(
			    text, stem))) < 0 || j >= (int)nnames)
				continue;
			for (k = 0; k < GAZ_NSENSES(g, j); k++) {
				const struct gaz_sense *sn =
				    &g->senses[g->names[j].senses + k];

				/* gaz_add may move the pool: text again. */
				if (sn->village >= 0)
					gaz_add(b, g->pool + g->names[i].text,
					    strlen(g->pool + g->names[i].text),
					    sn->township, sn->village, 1);
			}
		}
	}
	gaz_senses(b);
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
	char	*joined, *apart, *form;

	if ((joined = gaz_pinyin(b->lx->lookalike, stem, len, "")) == NULL)
		return;
	apart = gaz_pinyin(b->lx->lookalike, stem, len, " ");
	xasprintf(&form, "%s %s", joined, suffix);
	gaz_add(b, form, strlen(form), t, v, 0);
	free(form);
	xasprintf(&form, "%s%s", joined, suffix);
	gaz_add(b, form, strlen(form), t, v, 0);
	free(form);
	xasprintf(&form, "%s %s", apart, suffix);
	gaz_add(b, form, strlen(form), t, v, 0);
	free(form);
	if (strlen(joined) >= 6)
		gaz_add(b, joined, strlen(joined), t, v, 1);
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

/* Index the division data (and aliases; lexicon may be NULL). */
struct gazetteer *
gazetteer_new(const struct division *d, const struct lexicon *lx,
    char **cause)
{
	struct gazetteer	*g = xcalloc(1, sizeof *g);
	struct gaz_build	 b;
	size_t			 i;
	int			 t;

	memset(&b, 0, sizeof b);
	b.g = g;
	b.lx = lx;
	b.d = d;
	b.vname = xcalloc(d->nvillages + 1, sizeof *b.vname);
	b.cap = 1024;		/* with room for the sentinel, names or not */
	g->names = xcalloc(b.cap, sizeof *g->names);
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
		memcpy(g->villages[g->nvillages].code, d->villages[i].code,
		    sizeof g->villages[0].code);
		g->villages[g->nvillages].township = t;
		b.vname[g->nvillages] = (int)i;
		gaz_index_put(&b.villages, g->villages[g->nvillages].code,
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
	g->lookalike = lx != NULL ? lx->lookalike : NULL;
	gaz_sounds(g);
	free(b.pairs);
	free(b.vname);
	g->pool = xreallocarray(g->pool, g->npool + 1, 1);
	g->names = xreallocarray(g->names, g->nnames + 1, sizeof *g->names);
	gaz_slots(g, g->nnames * 10 / GAZ_LOAD_TENTHS + 1);
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
	free(g->villages);
	free(g->names);
	free(g->pool);
	free(g->senses);
	free(g->slots);
	free(g->sounds);
	free(g->self);
	if (g->codes != NULL)
		gaz_index_free(g->codes);
	free(g->codes);
	free(g);
}
