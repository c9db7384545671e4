/*
 * The gazetteer matcher: every way of writing every township and village
 * of the imported division data, and the lexicon's aliases, in one
 * Aho-Corasick automaton. A name several places share keeps all of them
 * (the router decides; an ambiguous village is never guessed).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "tipgw/acm.h"
#include "tipgw/division.h"
#include "tipgw/gazetteer.h"
#include "tipgw/lexicon.h"
#include "tipgw/lookalike.h"
#include "tipgw/xmalloc.h"

#define GAZ_MIN_BARE	6	/* bytes: two CJK characters */
#define GAZ_PINYIN_VILLAGES 20000	/* villages named in pinyin, at most */

struct gaz_name {
	char			*text;
	struct gaz_sense	*senses;
	int			 nsenses;
};

/* A township's name without its suffix, by sound. */
#define GAZ_SOUND_MAX	4	/* characters */
struct gaz_sound {
	int		 key[GAZ_SOUND_MAX];	/* fuzzy syllables */
	int32_t		 cp[GAZ_SOUND_MAX];
	int		 len;
	int		 township;
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
	struct gaz_index	 names;		/* text -> g->names */
	struct gaz_index	 words;		/* the lexicon's words */
	struct gaz_index	 villages;	/* code -> g->villages */
	size_t			 cap;		/* of g->names */
};

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
static int
gaz_bare_ok(const struct gaz_build *b, const char *text)
{
	if (strlen(text) < GAZ_MIN_BARE)
		return (0);
	return (gaz_index_get(&b->words, text, strlen(text)) < 0);
}

static void
gaz_add(struct gaz_build *b, const char *text, size_t len, int township,
    int village, int bare)
{
	struct gazetteer	*g = b->g;
	struct gaz_name		*n;
	char			*t = xstrndup(text, len);
	size_t			 i;
	int			 at;

	if (bare && !gaz_bare_ok(b, t)) {
		free(t);
		return;
	}
	if ((at = gaz_index_get(&b->names, t, len)) < 0) {
		if (g->nnames == b->cap) {
			b->cap = b->cap == 0 ? 1024 : b->cap * 2;
			g->names = xreallocarray(g->names, b->cap,
			    sizeof *g->names);
		}
		n = &g->names[g->nnames];
		memset(n, 0, sizeof *n);
		n->text = t;
		gaz_index_put(&b->names, n->text, (int)g->nnames++);
	} else {
		i = (size_t)at;
		n = &g->names[i];
		free(t);
		for (i = 0; i < (size_t)n->nsenses; i++) {
			if (n->senses[i].township == township &&
			    n->senses[i].village == village) {
				if (!bare)
					n->senses[i].bare = 0;
				return;
			}
		}
	}
	n->senses = xreallocarray(n->senses, (size_t)n->nsenses + 1,
	    sizeof *n->senses);
	n->senses[n->nsenses].township = township;
	n->senses[n->nsenses].village = village;
	n->senses[n->nsenses].bare = bare;
	n->nsenses++;
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
	const char	*name = b->g->villages[v].name;
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
	size_t			 i, stem, nnames = g->nnames;
	int			 f, j, k;

	for (i = 0; i < nnames; i++) {
		for (f = 0; forms[f] != NULL; f++) {
			if (!gaz_ends(g->names[i].text, forms[f], &stem) ||
			    (j = gaz_index_get(&b->names, g->names[i].text,
			    stem)) < 0 || j >= (int)nnames)
				continue;
			for (k = 0; k < g->names[j].nsenses; k++) {
				const struct gaz_sense *sn =
				    &g->names[j].senses[k];

				if (sn->village >= 0)
					gaz_add(b, g->names[i].text,
					    strlen(g->names[i].text),
					    sn->township, sn->village, 1);
			}
		}
	}
}

/* Up to max characters of s[0, len) into cp; how many, -1 if more. */
static int
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

static int
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
		    g->villages[i - g->ntownships].name;
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
		g->villages[g->nvillages].name = xstrdup(d->villages[i].name);
		g->villages[g->nvillages].township = t;
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
	g->acm = acm_new();
	for (i = 0; i < g->nnames; i++)
		acm_add(g->acm, g->names[i].text, (int)i);
	acm_build(g->acm);
	g->lookalike = lx != NULL ? lx->lookalike : NULL;
	gaz_sounds(g);
	gaz_index_free(&b.names);
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

/* Every place name in normalised text, longest first, in text order. */
size_t
gazetteer_find(const struct gazetteer *g, const char *text,
    struct gaz_mention **out)
{
	struct acm_match	*m;
	size_t			 n, i, k;

	n = acm_scan(g->acm, text, &m);
	n = acm_longest(m, n, strlen(text));
	for (i = k = 0; i < n; i++) {
		if (!gaz_other_county(text + m[i].start + m[i].len) &&
		    gaz_whole_word(text, &m[i]))
			m[k++] = m[i];
	}
	n = k;
	*out = n ? xcalloc(n, sizeof **out) : NULL;
	for (i = 0; i < n; i++) {
		(*out)[i].start = m[i].start;
		(*out)[i].len = m[i].len;
		(*out)[i].senses = g->names[m[i].value].senses;
		(*out)[i].nsenses = g->names[m[i].value].nsenses;
	}
	n = gaz_find_sounds(g, text, m, n, out, n);
	free(m);
	return (n);
}

void
gazetteer_free(struct gazetteer *g)
{
	size_t	 i;

	if (g == NULL)
		return;
	for (i = 0; i < g->ntownships; i++)
		free(g->townships[i].name);
	for (i = 0; i < g->nvillages; i++)
		free(g->villages[i].name);
	for (i = 0; i < g->nnames; i++) {
		free(g->names[i].text);
		free(g->names[i].senses);
	}
	free(g->townships);
	free(g->villages);
	free(g->names);
	free(g->sounds);
	free(g->self);
	if (g->codes != NULL)
		gaz_index_free(g->codes);
	free(g->codes);
	acm_free(g->acm);
	free(g);
}
