/*
 * Loading the lexicon files (see lexicon.h for the format) into one
 * Aho-Corasick matcher. Every error is reported as file:line: message;
 * a file with errors adds nothing.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tipgw/acm.h"
#include "tipgw/lexicon.h"
#include "tipgw/lookalike.h"
#include "tipgw/model.h"
#include "tipgw/text.h"
#include "tipgw/xmalloc.h"

#define LEX_MAX_ERRORS	20

const char *const lex_kinds[] = {
	"counterfeit", "sanwu", "expired", "spoiled", "unlicensed",
	"adulterated", "other", NULL
};

const char *const lex_products[] = {
	"dairy", "meat", "liquor", "beverage", "snack", "condiment",
	"grain_oil", "baby_food", "health_food", "other", NULL
};

/* The kinds and products in words, for offices (过期, 乳品). */
static const char *const lex_kind_names[] = {
	"假冒", "三无", "过期", "变质", "无证", "掺假", "其他", NULL
};

static const char *const lex_product_names[] = {
	"乳品", "肉类", "酒类", "饮料", "零食", "调味品", "粮油",
	"婴幼儿食品", "保健食品", "其他", NULL
};

static const char *
lex_words(const char *const *codes, const char *const *words,
    const char *code)
{
	int	 i;

	for (i = 0; code != NULL && codes[i] != NULL; i++) {
		if (strcmp(codes[i], code) == 0)
			return (words[i]);
	}
	return ("未说明");
}

/* A kind code (expired) in words (过期); 未说明 if none. */
const char *
lex_kind_words(const char *kind)
{
	return (lex_words(lex_kinds, lex_kind_names, kind));
}

/* A product code (dairy) in words (乳品); 未说明 if none. */
const char *
lex_product_words(const char *product)
{
	return (lex_words(lex_products, lex_product_names, product));
}

static const char *const lex_sections[LEX_NTABLES] = {
	"kind", "product", "brand", "place", "nontip", "neutral",
	"unresolved", "refer", "alias", "dialect", "cue", "compose",
	"genuine", "pinyin", "shape"
};

struct lexicon *
lexicon_new(void)
{
	return (xcalloc(1, sizeof(struct lexicon)));
}

static int
lex_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, s) == 0)
			return (1);
	}
	return (0);
}

static int
lex_digits(const char *s, size_t n)
{
	size_t	 i;

	if (strlen(s) != n)
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (1);
}

/* Is label valid in table? Returns NULL or why not. */
static const char *
lex_label_check(enum lex_table t, const char *label)
{
	switch (t) {
	case LEX_KIND:
	case LEX_COMPOSE:
		return (lex_in(lex_kinds, label) ? NULL :
		    "unknown kind (counterfeit sanwu expired spoiled "
		    "unlicensed adulterated other)");
	case LEX_PRODUCT:
	case LEX_BRAND:
	case LEX_GENUINE:
		return (lex_in(lex_products, label) ? NULL :
		    "unknown product (dairy meat liquor beverage snack "
		    "condiment grain_oil baby_food health_food other)");
	case LEX_ALIAS:
		return (lex_digits(label, 9) || lex_digits(label, 12) ? NULL :
		    "an alias needs a 9- or 12-digit division code");
	default:
		return (label[0] != '\0' ? NULL : "empty label");
	}
}

/*
 * Put an entry into lx, which takes its strings. A dialect word has one
 * meaning: a word given again (a local file repeating a shipped word,
 * or the same word in traditional characters) replaces the meaning
 * given before, so the later file wins and the table never holds a word
 * twice.
 */
static void
lex_entry_put(struct lexicon *lx, const struct lex_entry *in)
{
	struct lex_entry	*e;
	size_t			 i;

	for (i = 0; in->table == LEX_DIALECT && i < lx->nentries; i++) {
		e = &lx->entries[i];
		if (e->table == in->table && strcmp(e->word, in->word) == 0) {
			free(e->label);
			free(in->word);
			e->label = in->label;
			e->weight = in->weight;
			return;
		}
	}
	lx->entries = xreallocarray(lx->entries, lx->nentries + 1,
	    sizeof *lx->entries);
	lx->entries[lx->nentries++] = *in;
}

static void
lex_entry_add(struct lexicon *lx, enum lex_table t, const char *label,
    char *word, int weight)
{
	struct lex_entry	 e;

	memset(&e, 0, sizeof e);
	e.table = t;
	e.label = xstrdup(label);
	e.word = word;
	e.weight = weight;
	lex_entry_put(lx, &e);
}

struct lex_parse {
	const char	*name;
	int		 line;
	int		 errors;
	char		*msg;		/* accumulated messages */
};

static void
lex_error(struct lex_parse *p, const char *what, const char *arg)
{
	char	*prev = p->msg;

	p->errors++;
	if (p->errors > LEX_MAX_ERRORS)
		return;
	xasprintf(&p->msg, "%s%s%s:%d: %s%s%s", prev ? prev : "",
	    prev ? "\n" : "", p->name, p->line, what, arg ? ": " : "",
	    arg ? arg : "");
	free(prev);
}

/*
 * A [compose] word, CLASS+CLASS[@CHARS], into r (kind and weight not
 * set): 0, or -1 if it is not one.
 */
int
lexicon_rule_parse(const char *word, struct lex_rule *r)
{
	const char	*plus, *at, *c;
	char		*end;
	long		 w = LEX_RULE_WINDOW;

	memset(r, 0, sizeof *r);
	if ((plus = strchr(word, '+')) == NULL)
		return (-1);
	if ((at = strchr(plus, '@')) != NULL) {
		errno = 0;
		w = strtol(at + 1, &end, 10);
		if (at[1] < '0' || at[1] > '9' || errno != 0 || *end != '\0' ||
		    w > LEX_RULE_MAX_WINDOW)
			return (-1);
	} else
		at = plus + strlen(plus);
	if (plus == word || at == plus + 1 ||
	    (size_t)(plus - word) >= sizeof r->a ||
	    (size_t)(at - plus - 1) >= sizeof r->b)
		return (-1);
	for (c = word; c < at; c++) {
		if (c != plus && !((*c >= 'a' && *c <= 'z') || *c == '_'))
			return (-1);
	}
	memcpy(r->a, word, (size_t)(plus - word));
	memcpy(r->b, plus + 1, (size_t)(at - plus - 1));
	r->window = (int)w;
	return (0);
}

static int
lex_has_class(const struct lexicon *lx, const char *class)
{
	size_t	 i;

	for (i = 0; i < lx->nentries; i++) {
		if (lx->entries[i].table == LEX_CUE &&
		    strcmp(lx->entries[i].label, class) == 0)
			return (1);
	}
	return (0);
}

/* Why word is no rule of classes loaded so far, or NULL. */
static const char *
lex_rule_check(const struct lexicon *lx, const struct lexicon *staged,
    const char *word)
{
	struct lex_rule	 r;

	if (lexicon_rule_parse(word, &r) != 0)
		return ("a rule is CLASS+CLASS or CLASS+CLASS@CHARS "
		    "(classes a-z and _, CHARS 0 to 30)");
	if (!lex_has_class(lx, r.a) && !lex_has_class(staged, r.a))
		return ("no [cue] class before it of the first name");
	if (!lex_has_class(lx, r.b) && !lex_has_class(staged, r.b))
		return ("no [cue] class before it of the second name");
	return (NULL);
}

/*
 * A word normalised as message text is, or NULL if it is empty or splits.
 * An underscore joins words written apart (jia_de: pinyin as typed);
 * each part is normalised, and the parts joined by one space.
 */
static char *
lex_normalise(struct text_norm *tn, const char *word)
{
	char	*copy = xstrdup(word), *rest = copy, *part, *norm, *out = NULL;
	char	*prev;

	while ((part = strsep(&rest, "_")) != NULL) {
		norm = text_normalise(tn, part);
		if (norm[0] == '\0' || strchr(norm, ' ') != NULL) {
			free(norm);
			free(out);
			free(copy);
			return (NULL);
		}
		prev = out;
		xasprintf(&out, "%s%s%s", prev != NULL ? prev : "",
		    prev != NULL ? " " : "", norm);
		free(prev);
		free(norm);
	}
	free(copy);
	return (out);
}

/* One "LABEL[/WEIGHT] WORD..." line of section t. */
static void
lex_line(struct lexicon *lx, struct text_norm *tn, struct lex_parse *p,
    enum lex_table t, char *line, struct lexicon *staged)
{
	char		*label, *word, *slash, *end, *norm;
	const char	*why;
	long		 weight = 1;
	int		 nwords = 0, errors = p->errors;

	label = strtok(line, " \t");
	if ((slash = strchr(label, '/')) != NULL) {
		*slash++ = '\0';
		errno = 0;
		weight = strtol(slash, &end, 10);
		if (errno != 0 || *end != '\0' || weight < 1 || weight > 100) {
			lex_error(p, "weight must be 1 to 100", slash);
			return;
		}
	}
	if ((why = lex_label_check(t, label)) != NULL) {
		lex_error(p, why, label);
		return;
	}
	while ((word = strtok(NULL, " \t")) != NULL) {
		if (t == LEX_COMPOSE && (why = lex_rule_check(lx, staged,
		    word)) != NULL) {
			lex_error(p, why, word);
			continue;
		}
		if (t == LEX_COMPOSE || t == LEX_PINYIN ||
		    t == LEX_SHAPE) {	/* a rule, or characters as they are */
			lex_entry_add(staged, t, label, xstrdup(word),
			    (int)weight);
			nwords++;
			continue;
		}
		if ((norm = lex_normalise(tn, word)) == NULL) {
			lex_error(p, "word is empty or splits when normalised",
			    word);
			continue;
		}
		lex_entry_add(staged, t, label, norm, (int)weight);
		nwords++;
	}
	if (nwords == 0 && p->errors == errors)
		lex_error(p, "a label needs at least one word", label);
}

/* Load one file's text; name is for messages. */
int
lexicon_load_text(struct lexicon *lx, struct text_norm *tn, const char *name,
    const char *text, char **cause)
{
	struct lex_parse	 p = { name, 0, 0, NULL };
	struct lexicon		 staged;
	const char		*s = text, *nl;
	char			*line, *c, *start, *end;
	int			 t = -1, i;
	size_t			 k;

	memset(&staged, 0, sizeof staged);
	while (*s != '\0') {
		p.line++;
		nl = strchr(s, '\n');
		line = nl ? xstrndup(s, (size_t)(nl - s)) : xstrdup(s);
		s = nl ? nl + 1 : s + strlen(s);
		if ((c = strchr(line, '#')) != NULL)
			*c = '\0';
		for (start = line; *start == ' ' || *start == '\t'; start++)
			;
		end = start + strlen(start);
		while (end > start && (end[-1] == ' ' || end[-1] == '\t' ||
		    end[-1] == '\r'))
			*--end = '\0';
		if (*start == '\0') {
			free(line);
			continue;
		}
		if (*start == '[') {
			t = -1;
			if (end[-1] == ']') {
				end[-1] = '\0';
				for (i = 0; i < LEX_NTABLES; i++) {
					if (strcmp(start + 1,
					    lex_sections[i]) == 0)
						t = i;
				}
			}
			if (t < 0)
				lex_error(&p, "unknown section", start);
		} else if (t < 0)
			lex_error(&p, "a line outside a known [section]", NULL);
		else
			lex_line(lx, tn, &p, (enum lex_table)t, start, &staged);
		free(line);
	}
	if (p.errors > 0) {
		if (p.errors > LEX_MAX_ERRORS)
			xasprintf(cause, "%s\n%s: %d more errors", p.msg, name,
			    p.errors - LEX_MAX_ERRORS);
		else
			*cause = p.msg, p.msg = NULL;
		free(p.msg);
		for (k = 0; k < staged.nentries; k++) {
			free(staged.entries[k].label);
			free(staged.entries[k].word);
		}
		free(staged.entries);
		return (-1);
	}
	for (k = 0; k < staged.nentries; k++)
		lex_entry_put(lx, &staged.entries[k]);
	free(staged.entries);
	return (0);
}

int
lexicon_load_file(struct lexicon *lx, struct text_norm *tn, const char *path,
    char **cause)
{
	FILE	*f;
	char	*data = NULL;
	size_t	 len = 0, n;
	char	 buf[8192];
	int	 rc;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		data = xreallocarray(data, len + n + 1, 1);
		memcpy(data + len, buf, n);
		len += n;
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: read error", path);
		fclose(f);
		free(data);
		return (-1);
	}
	fclose(f);
	if (data == NULL)
		data = xstrdup("");
	data[len] = '\0';
	if (memchr(data, '\0', len) != NULL) {
		xasprintf(cause, "%s: not a text file", path);
		free(data);
		return (-1);
	}
	rc = lexicon_load_text(lx, tn, path, data, cause);
	free(data);
	return (rc);
}

static int
lex_name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Every *.txt file of dir, in name order. */
int
lexicon_load_dir(struct lexicon *lx, struct text_norm *tn, const char *dir,
    char **cause)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, *path;
	size_t		 n = 0, i, len;
	int		 rc = 0;

	if ((d = opendir(dir)) == NULL) {
		xasprintf(cause, "lexicon directory %s: %s", dir,
		    strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 4, ".txt") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n == 0) {
		xasprintf(cause, "lexicon directory %s: no *.txt files", dir);
		return (-1);
	}
	qsort(names, n, sizeof *names, lex_name_cmp);
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s", dir, names[i]);
		if (rc == 0 && lexicon_load_file(lx, tn, path, cause) != 0)
			rc = -1;
		free(path);
		free(names[i]);
	}
	free(names);
	/* The kind model beside the words, if the directory has one. */
	xasprintf(&path, "%s/%s", dir, LEX_MODEL_FILE);
	if (rc == 0 && access(path, F_OK) == 0 &&
	    lexicon_model(lx, path, cause) != 0)
		rc = -1;
	free(path);
	return (rc);
}

/* Use the kind model in path (NULL: none) instead of the one loaded. */
int
lexicon_model(struct lexicon *lx, const char *path, char **cause)
{
	struct model	*m = NULL;

	if (path != NULL && (m = model_load(path, cause)) == NULL)
		return (-1);
	model_free(lx->model);
	lx->model = m;
	return (0);
}

/* Build the matcher over every word but the aliases (the gazetteer's). */
void
lexicon_build(struct lexicon *lx)
{
	size_t	 i;

	acm_free(lx->acm);
	acm_free(lx->dialect);
	free(lx->rules);
	lx->rules = NULL;
	lx->nrules = 0;
	lx->acm = acm_new();
	lx->dialect = acm_new();
	for (i = 0; i < lx->nentries; i++) {
		const struct lex_entry	*e = &lx->entries[i];
		struct lex_rule		 r;

		if (e->table == LEX_DIALECT)
			acm_add(lx->dialect, e->word, (int)i);
		else if (e->table == LEX_COMPOSE) {
			if (lexicon_rule_parse(e->word, &r) != 0)
				continue;	/* checked on load */
			r.kind = e->label;
			r.weight = e->weight;
			lx->rules = xreallocarray(lx->rules, lx->nrules + 1,
			    sizeof *lx->rules);
			lx->rules[lx->nrules++] = r;
		} else if (e->table != LEX_ALIAS && e->table != LEX_GENUINE &&
		    e->table != LEX_PINYIN && e->table != LEX_SHAPE)
			acm_add(lx->acm, e->word, (int)i);
	}
	lookalike_free(lx->lookalike);
	lx->lookalike = lookalike_new(lx);
	acm_build(lx->acm);
	acm_build(lx->dialect);
}

/*
 * Normalised text with its dialect words replaced by the Mandarin they
 * mean (冇 -> 没有, 咗 -> 了), longest first; the caller frees it. A
 * match that starts before the end of the one replaced last is skipped:
 * every copy is bounded by the text and the buffer, whatever the
 * matcher returns.
 */
char *
lexicon_dialect(const struct lexicon *lx, const char *norm)
{
	struct acm_match	*m;
	size_t			 n, i, at = 0, len = strlen(norm), size, w = 0;
	size_t			 ll;
	const char		*label;
	char			*out;

	n = lx->dialect != NULL ? acm_scan(lx->dialect, norm, &m) : 0;
	if (n == 0) {
		if (lx->dialect != NULL)
			free(m);
		return (xstrdup(norm));
	}
	n = acm_longest(m, n, len);
	size = len + 1;
	for (i = 0; i < n; i++)
		size += strlen(lx->entries[m[i].value].label);
	out = xmalloc(size);
	for (i = 0; i < n; i++) {
		if (m[i].start < at || m[i].start + m[i].len > len)
			continue;
		label = lx->entries[m[i].value].label;
		ll = strlen(label);
		if (w + (m[i].start - at) + ll + (len - m[i].start) >= size)
			break;		/* cannot happen; never past out */
		memcpy(out + w, norm + at, m[i].start - at);
		w += m[i].start - at;
		memcpy(out + w, label, ll);
		w += ll;
		at = m[i].start + m[i].len;
	}
	memcpy(out + w, norm + at, len - at);
	out[w + len - at] = '\0';
	free(m);
	return (out);
}

/* Is word (normalised) a word of table? */
int
lexicon_has(const struct lexicon *lx, enum lex_table t, const char *word)
{
	size_t	 i;

	for (i = 0; i < lx->nentries; i++) {
		if (lx->entries[i].table == t &&
		    strcmp(lx->entries[i].word, word) == 0)
			return (1);
	}
	return (0);
}

void
lexicon_free(struct lexicon *lx)
{
	size_t	 i;

	if (lx == NULL)
		return;
	for (i = 0; i < lx->nentries; i++) {
		free(lx->entries[i].label);
		free(lx->entries[i].word);
	}
	free(lx->entries);
	free(lx->rules);
	lookalike_free(lx->lookalike);
	model_free(lx->model);
	acm_free(lx->acm);
	acm_free(lx->dialect);
	free(lx);
}
