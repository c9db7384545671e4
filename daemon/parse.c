/*
 * parse_message(): what a normalised message says. Commands are matched
 * first (they have a fixed form); then the lexicon's words are weighed
 * (longest match first, so AD钙奶 is a drink before 奶 is milk), the
 * dates are checked against the shelf life, and the gazetteer's names
 * are collected for the router. Pure: the receive time is an argument.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/acm.h"
#include "tipgw/gazetteer.h"
#include "tipgw/lexicon.h"
#include "tipgw/lookalike.h"
#include "tipgw/model.h"
#include "tipgw/parse.h"
#include "tipgw/xmalloc.h"

#include "parse_int.h"

#define PARSE_AD_SCORE		2	/* nontip "ad" weight that wins */
#define PARSE_EXPIRY_WEIGHT	5
#define PARSE_LOOKALIKE_WEIGHT	5	/* as a knock-off name of brand.txt */
#define PARSE_SPLIT		0.2	/* a kind this unsure asks the model */
#define PARSE_MODEL_SURE	0.85	/* the model's kind taken from here */
#define PARSE_STRONG		3	/* a word that names a thing outright */
#define PARSE_CODE_LEN		6	/* pin.c's tip codes: ZY3K7Q */
#define PARSE_NONTIP_STRONG	3	/* beats tip words when no place */

struct parse_score {
	int	 score;
	size_t	 first;		/* earliest mention */
};

static const char *const parse_optout_words[] = {
	"退订", "td", "stop", "取消订阅", "取消", "unsubscribe", "退定", NULL
};

/* Checked before the opt-out words: 取消退订 is not 取消 + 退订. */
static const char *const parse_optin_words[] = {
	"取消退订", "恢复订阅", "重新订阅", "订阅", "恢复", "dy", "start", NULL
};

static const char *const parse_help_words[] = {
	"帮助", "help", "?", "怎么举报", "如何举报", NULL
};

const char *
parse_command_name(enum parse_command c)
{
	switch (c) {
	case CMD_QUERY:
		return ("query");
	case CMD_OPTOUT:
		return ("optout");
	case CMD_OPTIN:
		return ("optin");
	case CMD_HELP:
		return ("help");
	case CMD_OFFICE_ACK:
		return ("office_ack");
	case CMD_OFFICE_DONE:
		return ("office_done");
	case CMD_OFFICE_RETURN:
		return ("office_return");
	case CMD_OFFICE_FILE:
		return ("office_file");
	case CMD_CLAIM:
		return ("claim");
	case CMD_VOTE:
		return ("vote");
	default:
		return ("none");
	}
}

/* Does s begin with prefix? Then *rest is what follows it. */
int
parse_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t	 n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return (0);
	*rest = s + n;
	return (1);
}

/* A tip code: 4-15 ASCII letters and digits, with at least one digit. */
static const char *
parse_code(const char *s, char *code, size_t size)
{
	size_t	 n = 0;
	int	 digit = 0;

	while (*s == ' ')
		s++;
	while (isascii((unsigned char)*s) && isalnum((unsigned char)*s)) {
		if (n + 1 < size)
			code[n] = (char)toupper((unsigned char)*s);
		digit |= isdigit((unsigned char)*s) != 0;
		n++;
		s++;
	}
	if (n < 4 || n + 1 > size || !digit)
		return (NULL);
	code[n] = '\0';
	return (s);
}

/* Is the whole text made of words of list (and spaces)? */
static int
parse_only_words(const char *s, const char *const *list)
{
	const char	*rest;
	int		 i, any = 0, again;

	do {
		again = 0;
		while (*s == ' ')
			s++;
		for (i = 0; list[i] != NULL; i++) {
			if (parse_prefix(s, list[i], &rest)) {
				s = rest;
				any = again = 1;
				break;
			}
		}
	} while (again);
	return (any && *s == '\0');
}

/*
 * 查询MU7F5F6629, the code and the PIN written together: a tip code
 * (six characters) followed by four digits.
 */
static void
parse_query_split(struct parse_result *r)
{
	size_t	 n = strlen(r->code);

	if (r->pin[0] != '\0' || n != PARSE_CODE_LEN + 4 ||
	    strspn(r->code + PARSE_CODE_LEN, "0123456789") != 4)
		return;
	memcpy(r->pin, r->code + PARSE_CODE_LEN, 5);
	r->code[PARSE_CODE_LEN] = '\0';
}

static int
parse_command(const char *s, struct parse_result *r)
{
	static const struct {
		const char		*word;
		enum parse_command	 cmd;
	} office[] = {
		{ "收到", CMD_OFFICE_ACK },
		{ "办结", CMD_OFFICE_DONE },
		{ "退回", CMD_OFFICE_RETURN },
		{ "立案", CMD_OFFICE_FILE },
	};
	/* The commands with a code and a PIN: a status query, a claim. */
	static const struct {
		const char		*word;
		enum parse_command	 cmd;
	} pinned[] = {
		{ "查询", CMD_QUERY },
		{ "cx", CMD_QUERY },
		{ "领奖", CMD_CLAIM },
		{ "lj", CMD_CLAIM },
	};
	const char	*rest, *after;
	size_t		 i, n;

	for (i = 0; i < sizeof pinned / sizeof pinned[0]; i++) {
		if (!parse_prefix(s, pinned[i].word, &rest))
			continue;
		while (*rest == ':' || *rest == ' ')
			rest++;
		if ((after = parse_code(rest, r->code, sizeof r->code)) ==
		    NULL || (*after != '\0' && *after != ' '))
			continue;
		while (*after == ' ' || *after == ':')
			after++;
		for (n = 0; isdigit((unsigned char)after[n]) &&
		    n + 1 < sizeof r->pin; n++)
			r->pin[n] = after[n];
		r->pin[n] = '\0';
		parse_query_split(r);
		r->command = pinned[i].cmd;
		return (1);
	}
	for (i = 0; i < sizeof office / sizeof office[0]; i++) {
		if (!parse_prefix(s, office[i].word, &rest))
			continue;
		if ((after = parse_code(rest, r->code, sizeof r->code)) ==
		    NULL || (*after != '\0' && *after != ' '))
			continue;
		while (*after == ' ')
			after++;
		r->arg = xstrdup(after);
		r->command = office[i].cmd;
		return (1);
	}
	/* 投票 N (tp N): one digit, and nothing after it. */
	if ((parse_prefix(s, "投票", &rest) || parse_prefix(s, "tp", &rest))) {
		while (*rest == ' ' || *rest == ':')
			rest++;
		if (*rest >= '1' && *rest <= '9' && rest[1] == '\0') {
			r->vote = *rest - '0';
			r->command = CMD_VOTE;
			return (1);
		}
	}
	if (parse_only_words(s, parse_optin_words)) {
		r->command = CMD_OPTIN;
		return (1);
	}
	if (parse_only_words(s, parse_optout_words)) {
		r->command = CMD_OPTOUT;
		return (1);
	}
	if (parse_only_words(s, parse_help_words)) {
		r->command = CMD_HELP;
		return (1);
	}
	return (0);
}

static int
parse_index(const char *const *list, const char *label)
{
	int	 i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(list[i], label) == 0)
			return (i);
	}
	return (-1);
}

static void
parse_add(struct parse_score *s, int i, int weight, size_t at)
{
	if (i < 0)
		return;
	if (s[i].score == 0 || at < s[i].first)
		s[i].first = at;
	s[i].score += weight;
}

static int
parse_best(const struct parse_score *s, int n)
{
	int	 i, best = -1;

	for (i = 0; i < n; i++) {
		if (s[i].score == 0)
			continue;
		if (best < 0 || s[i].score > s[best].score ||
		    (s[i].score == s[best].score && s[i].first < s[best].first))
			best = i;
	}
	return (best);
}

/* The highest score but best's. */
static int
parse_second(const struct parse_score *s, int n, int best)
{
	int	 i, second = 0;

	for (i = 0; i < n; i++) {
		if (i != best && s[i].score > second)
			second = s[i].score;
	}
	return (second);
}

/*
 * How sure a verdict of score best is over the next, second: 0 (nothing,
 * or a tie) to nearly 1; a strong word alone (3) gives 0.75, a weak one
 * alone (1) 0.5, a strong word against another strong one little.
 */
double
parse_confidence(int best, int second)
{
	if (best <= 0 || second >= best)
		return (0.0);
	return ((double)(best - second) / (double)(best + 1));
}

/* Does the text hold any CJK ideograph? */
static int
parse_has_cjk(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	for (; *u != '\0'; u++) {
		if (*u >= 0xe4 && *u <= 0xe9)
			return (1);
	}
	return (0);
}

/*
 * The matches of one group of tables, longest first within the group:
 * a longer kind word hides a shorter kind word, not a product word (in
 * 病死猪 both 病死 and 死猪 count). Neutral words shield every group.
 */
/*
 * Is the word inside a place name? Place names are not words: 油坊店乡
 * says nothing about oil. A word that reaches beyond the name (金龙渔, a
 * knock-off, over the village 金龙) still counts.
 */
static int
parse_in_place(const struct parse_result *r, const struct acm_match *m)
{
	size_t	 i;

	for (i = 0; i < r->nplaces; i++) {
		if (m->start >= r->places[i].start && m->start + m->len <=
		    r->places[i].start + r->places[i].len)
			return (1);
	}
	return (0);
}

static int
parse_letter(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
}

/* A word of pinyin or Latin letters is a whole word (jia, not jiang). */
static int
parse_whole(const char *norm, const struct acm_match *m)
{
	if (!parse_letter(norm[m->start]) ||
	    !parse_letter(norm[m->start + m->len - 1]))
		return (1);
	return ((m->start == 0 || !parse_letter(norm[m->start - 1])) &&
	    !parse_letter(norm[m->start + m->len]));
}

static size_t
parse_group(const struct lexicon *lx, const struct parse_result *r,
    const char *norm, const struct acm_match *all, size_t n,
    unsigned int tables, size_t textlen, struct acm_match **out)
{
	size_t	 i, k = 0;

	*out = n ? xcalloc(n, sizeof **out) : NULL;
	for (i = 0; i < n; i++) {
		enum lex_table t = lx->entries[all[i].value].table;

		if (parse_in_place(r, &all[i]) || !parse_whole(norm, &all[i]))
			continue;
		if (t == LEX_NEUTRAL || (tables & (1u << t)))
			(*out)[k++] = all[i];
	}
	return (acm_longest(*out, k, textlen));
}

#define PARSE_BIT(t)	(1u << (t))

/* Kind and product scores from the kind, product and brand words. */
static void
parse_score_words(const struct lexicon *lx, const char *norm,
    const struct acm_match *all, size_t n, size_t textlen,
    struct parse_score *kinds,
    struct parse_score *products, struct parse_result *r)
{
	struct acm_match	*m;
	const struct lex_entry	*e;
	size_t			 i, k;

	k = parse_group(lx, r, norm, all, n, PARSE_BIT(LEX_KIND) | PARSE_BIT(LEX_BRAND),
	    textlen, &m);
	for (i = 0; i < k; i++) {
		e = &lx->entries[m[i].value];
		if (e->table == LEX_KIND)
			parse_add(kinds, parse_index(lex_kinds, e->label),
			    e->weight, m[i].start);
		else if (e->table == LEX_BRAND) {
			parse_add(kinds, parse_index(lex_kinds, "counterfeit"),
			    e->weight, m[i].start);
			if (r->brand == NULL)
				r->brand = e->word;
		}
	}
	free(m);
	k = parse_group(lx, r, norm, all, n, PARSE_BIT(LEX_PRODUCT) |
	    PARSE_BIT(LEX_BRAND), textlen, &m);
	for (i = 0; i < k; i++) {
		e = &lx->entries[m[i].value];
		if (e->table == LEX_PRODUCT || e->table == LEX_BRAND)
			parse_add(products, parse_index(lex_products, e->label),
			    e->weight, m[i].start);
	}
	free(m);
}

/* Characters (UTF-8 lead bytes) in s[from, to). */
static size_t
parse_chars(const char *s, size_t from, size_t to)
{
	size_t	 n = 0;

	for (; from < to; from++) {
		if (((unsigned char)s[from] & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/* Does a kind word of kind lie over [from, to)? */
static int
parse_said(const struct lexicon *lx, const struct acm_match *words,
    size_t n, const char *kind, size_t from, size_t to)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (lx->entries[words[i].value].table == LEX_KIND &&
		    strcmp(lx->entries[words[i].value].label, kind) == 0 &&
		    words[i].start < to && words[i].start + words[i].len > from)
			return (1);
	}
	return (0);
}

/*
 * The [compose] rules: a word of one [cue] class near a word of another
 * (a negation near a label field: 没写日期, 日期都没有) adds the rule's
 * weight to its kind, once per rule, unless a word of that kind already
 * says it there (没有日期 is a sanwu word too: one fact counts once).
 */
static void
parse_compose(const struct lexicon *lx, const struct parse_result *r,
    const char *norm, const struct acm_match *all, size_t n, size_t textlen,
    struct parse_score *kinds)
{
	struct acm_match		*m, *words;
	const struct lex_rule		*rule;
	const struct acm_match		*x, *y, *lo, *hi;
	size_t				 i, j, k, nw, q;

	if (lx->nrules == 0)
		return;
	k = parse_group(lx, r, norm, all, n, PARSE_BIT(LEX_CUE), textlen, &m);
	nw = parse_group(lx, r, norm, all, n, PARSE_BIT(LEX_KIND), textlen, &words);
	for (q = 0; q < lx->nrules; q++) {
		rule = &lx->rules[q];
		for (i = 0; i < k; i++) {
			x = &m[i];
			if (lx->entries[x->value].table != LEX_CUE ||
			    strcmp(lx->entries[x->value].label, rule->a) != 0)
				continue;
			for (j = 0; j < k; j++) {
				y = &m[j];
				if (j == i ||
				    lx->entries[y->value].table != LEX_CUE ||
				    strcmp(lx->entries[y->value].label,
				    rule->b) != 0)
					continue;
				lo = x->start < y->start ? x : y;
				hi = lo == x ? y : x;
				/* A character is at most 4 bytes: a gap wider
				 * is not counted (a long message stays linear
				 * per pair). */
				if (lo->start + lo->len > hi->start ||
				    hi->start - (lo->start + lo->len) >
				    4 * (size_t)rule->window ||
				    parse_chars(norm, lo->start + lo->len,
				    hi->start) > (size_t)rule->window)
					continue;
				if (!parse_said(lx, words, nw, rule->kind,
				    lo->start, hi->start + hi->len))
					parse_add(kinds, parse_index(lex_kinds,
					    rule->kind), rule->weight,
					    lo->start);
				break;
			}
			if (j < k)
				break;
		}
	}
	free(words);
	free(m);
}

/*
 * Brand names one character off (lookalike.h): each is a knock-off, as
 * strong as a name of brand.txt, and of its brand's product when no
 * product word says what was sold (汪仔牛奶 is milk). Not inside a
 * place name, not where brand.txt names it already; a two-character
 * name only right before a product word (汪仔牛奶) or with the real name
 * in the same message (海夭 不是海天), as two characters off by a sound
 * are often just another word.
 */
static void
parse_lookalike(const struct lexicon *lx, const struct parse_result *r,
    const char *norm, const struct acm_match *all, size_t n,
    struct parse_score *kinds, struct parse_score *products)
{
	struct lookalike_hit	*h;
	size_t			 nh, i, k, end;
	int			 skip, next;

	nh = lookalike_find(lx->lookalike, norm, &h);
	for (i = 0; i < nh; i++) {
		end = h[i].start + h[i].len;
		skip = 0;
		next = 0;
		for (k = 0; k < r->nplaces && !skip; k++)
			skip = r->places[k].start < end && h[i].start <
			    r->places[k].start + r->places[k].len;
		for (k = 0; k < n && !skip; k++) {
			enum lex_table t = lx->entries[all[k].value].table;

			skip = t == LEX_BRAND && all[k].start < end &&
			    h[i].start < all[k].start + all[k].len;
			if (t == LEX_PRODUCT && all[k].start == end)
				next = 1;
		}
		if (skip || (h[i].weak && !next &&
		    strstr(norm, h[i].brand) == NULL))
			continue;
		parse_add(kinds, parse_index(lex_kinds, "counterfeit"),
		    PARSE_LOOKALIKE_WEIGHT, h[i].start);
		if (parse_best(products, 10) < 0)	/* else say what it is */
			parse_add(products, parse_index(lex_products,
			    h[i].product), PARSE_STRONG, h[i].start);
	}
	free(h);
}

/*
 * A place name inside a longer word of the lexicon is part of that word,
 * not a place: 金龙鱼 (a brand of oil) is not the village 金龙.
 */
static void
parse_places_in_words(const struct lexicon *lx, const struct acm_match *m,
    size_t n, struct parse_result *r)
{
	size_t	 i, k, kept = 0;
	int	 inside;

	for (i = 0; i < r->nplaces; i++) {
		const struct gaz_mention *p = &r->places[i];

		inside = 0;
		for (k = 0; k < n && !inside; k++) {
			enum lex_table t = lx->entries[m[k].value].table;

			inside = (t == LEX_PRODUCT || t == LEX_BRAND ||
			    t == LEX_NEUTRAL) && m[k].len > p->len &&
			    m[k].start <= p->start &&
			    m[k].start + m[k].len >= p->start + p->len;
		}
		if (!inside)
			r->places[kept++] = *p;
	}
	r->nplaces = kept;
}

static int
parse_ends(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), k = strlen(suffix);

	return (n >= k && strcmp(s + n - k, suffix) == 0);
}

/*
 * Does a place word written after a name make it the name of a shop
 * (高升超市)? Not a locative (集上, 街上, 场上: at the market of the
 * place), not 有间 (Cantonese: there is a).
 */
static int
parse_names_shop(const char *word)
{
	return (!parse_ends(word, "上") && strcmp(word, "有间") != 0);
}

/*
 * A place name written right before a shop word may be the shop's name;
 * one right before a locative is where it happened (在常乐场上).
 */
static void
parse_shop_name(struct parse_result *r, size_t at, const char *word)
{
	size_t	 i;

	for (i = 0; i < r->nplaces; i++) {
		if (r->places[i].start + r->places[i].len != at)
			continue;
		if (parse_names_shop(word))
			r->places[i].shop_name = 1;
		else
			r->places[i].at = 1;
	}
}

/*
 * The last characters of village names that name a settlement (王庄,
 * 李营, 八里岗, 双河): a name ending otherwise (阳光, 幸福, 联合, 长江,
 * the names of collective days) is as often a word.
 */
static const char parse_settlement[] =
    "庄营集寨楼湾岗店屯圩埠桥坡洼沟河湖岭山坪坝塘冲垌铺堡堰井村台口"
    "头圈洲渡滩港湖岛嘴峪峪庙寺堂祠坊场园林坑窝垄垅垸墩埝岔陂堆港涧"
    "墟坳垭畈冈阁街";

/* Does the UTF-8 text [start, start + len) end in a settlement character? */
static int
parse_settlement_end(const char *norm, size_t start, size_t len)
{
	size_t	 k = start + len;
	char	 last[8];

	if (len == 0)
		return (0);
	do
		k--;
	while (k > start && ((unsigned char)norm[k] & 0xc0) == 0x80);
	if (start + len - k >= sizeof last)
		return (0);
	memcpy(last, norm + k, start + len - k);
	last[start + len - k] = '\0';
	return (strstr(parse_settlement, last) != NULL);
}

/* Is every sense of the mention a name without its suffix? */
static int
parse_all_bare(const struct gaz_mention *p)
{
	int	 j;

	for (j = 0; j < p->nsenses; j++) {
		if (!p->senses[j].bare)
			return (0);
	}
	return (p->nsenses > 0);
}

/*
 * A village named bare (its 村 or 社区 dropped) right before a shop word
 * (阳光超市, not a locative: 集上), a road (和平路, 前进大道) or a
 * product (东北大米, 桂花月饼)
 * is the name of that thing, not a place, unless the name ends like a
 * settlement (王营超市 is the shop in 王营). Such names are taken out.
 */
static void
parse_named_things(const struct lexicon *lx, const char *norm,
    const struct acm_match *all, size_t n, struct parse_result *r)
{
	static const char *const roads[] = { "路", "大道", "大街", NULL };
	static const char *const ats[] = { "在", "到", "去", NULL };
	const struct lex_entry	*next;
	size_t			 i, j, k, end, kept = 0, nextlen;
	int			 village_only, named;

	for (i = 0; i < r->nplaces; i++) {
		const struct gaz_mention *p = &r->places[i];

		end = p->start + p->len;
		for (k = 0; ats[k] != NULL; k++) {
			if (p->start >= strlen(ats[k]) && strncmp(norm +
			    p->start - strlen(ats[k]), ats[k],
			    strlen(ats[k])) == 0)
				r->places[i].at = 1;
		}
		village_only = p->nsenses > 0;
		for (j = 0; j < (size_t)p->nsenses; j++) {
			if (p->senses[j].village < 0 || !p->senses[j].bare)
				village_only = 0;
		}
		named = 0;
		for (k = 0; roads[k] != NULL && !named; k++)
			named = strncmp(norm + end, roads[k],
			    strlen(roads[k])) == 0;
		/* The longest place or product word right after it. */
		for (k = 0, next = NULL, nextlen = 0; k < n; k++) {
			const struct lex_entry *e = &lx->entries[all[k].value];

			if (all[k].start == end && all[k].len > nextlen &&
			    (e->table == LEX_PRODUCT || e->table == LEX_PLACE)) {
				next = e;
				nextlen = all[k].len;
			}
		}
		if (next != NULL && !named)
			named = next->table == LEX_PRODUCT ||
			    parse_names_shop(next->word);
		if (named && village_only &&
		    !parse_settlement_end(norm, p->start, p->len))
			continue;
		/* 槐花蜜 ... 在吉祥镇: a township's bare name on a thing. */
		if (named && parse_all_bare(p) && r->nplaces > 1)
			continue;
		r->places[kept++] = *p;
	}
	r->nplaces = kept;
}

/* Places, non-tip marks, vague places, references. */
static void
parse_context_words(const struct lexicon *lx, const char *norm,
    const struct acm_match *all, size_t n, size_t textlen,
    struct parse_result *r, const char **nontip, int *nontip_weight)
{
	struct acm_match	*m;
	const struct lex_entry	*e;
	size_t			 i, k;
	int			 ad = 0, best = 0;

	k = parse_group(lx, r, norm, all, n, PARSE_BIT(LEX_PLACE) |
	    PARSE_BIT(LEX_NONTIP) | PARSE_BIT(LEX_UNRESOLVED) |
	    PARSE_BIT(LEX_REFER), textlen, &m);
	for (i = 0; i < k; i++) {
		e = &lx->entries[m[i].value];
		switch (e->table) {
		case LEX_PLACE:
			if (r->place == NULL) {
				r->place = e->label;
				r->place_at = m[i].start;
				r->place_len = m[i].len;
			}
			parse_shop_name(r, m[i].start, e->word);
			break;
		case LEX_NONTIP:
			if (strcmp(e->label, "ad") == 0)
				ad += e->weight;
			if (e->weight > best) {
				best = e->weight;
				*nontip = e->label;
			}
			break;
		case LEX_UNRESOLVED:
			r->vague_place = 1;
			break;
		case LEX_REFER:
			if (strcmp(e->label, "report") == 0)
				r->reports = 1;
			else if (strcmp(e->label, "self") != 0)
				r->refers = 1;
			else if (r->nself < PARSE_MAX_SELF)
				r->self[r->nself++] = m[i].start + m[i].len;
			break;
		default:
			break;
		}
	}
	free(m);
	if (ad >= PARSE_AD_SCORE) {
		*nontip = "ad";
		best = ad;
		r->advert = 1;
	}
	*nontip_weight = best;
}

/*
 * Products: the best scoring one; "other" when two categories are both
 * named strongly (several products at once), or when nothing is named
 * but the place serves meals (a canteen, a restaurant, a banquet).
 */
static void
parse_product(struct parse_score *products, struct parse_result *r)
{
	int	 k, second = -1, i;

	if ((k = parse_best(products, 10)) < 0) {
		if (r->place != NULL && (strcmp(r->place, "restaurant") == 0 ||
		    strcmp(r->place, "canteen") == 0 ||
		    strcmp(r->place, "banquet") == 0) && r->kind != NULL)
			r->product = "other";
		return;
	}
	for (i = 0; i < 10; i++) {
		if (i != k && products[i].score >= PARSE_STRONG &&
		    (second < 0 || products[i].score > products[second].score))
			second = i;
	}
	r->product = lex_products[k];
	r->product_score = products[k].score;
	r->product_second = parse_second(products, 10, k);
	if (second >= 0 && products[k].score >= 2 * PARSE_STRONG &&
	    products[second].score >= 2 * PARSE_STRONG)
		r->product = "other";
}

/*
 * The statistical fallback (model.h), where the lexicon is silent about
 * the kind of a tip that names a product or a place, or split between
 * two: the model's kind when it is sure enough; when it is not, the kind
 * is left unsaid and the guess kept (kind_uncertain), for a person to
 * decide. A split the model does not resolve keeps the lexicon's kind.
 * Called on a tip once it is known to be one (understand.c): an answer
 * to a question is not made a new tip by a guess.
 */
void
parse_model(const struct lexicon *lx, const char *norm,
    struct parse_result *r)
{
	const char	*kind;
	double		 p;

	if (lx->model == NULL || (r->kind != NULL &&
	    parse_confidence(r->kind_score, r->kind_second) >= PARSE_SPLIT) ||
	    (r->kind == NULL && r->product == NULL && r->place == NULL))
		return;
	if ((kind = model_kind(lx->model, norm, &p)) == NULL)
		return;
	if (p >= PARSE_MODEL_SURE) {
		r->kind_words = r->kind;	/* what the words said, if any */
		r->kind = kind;
		r->kind_model = 1;
		r->kind_probability = p;
	} else if (r->kind == NULL)
		r->kind_uncertain = kind;
}

/* The lexicon's verdict on the words of the text. */
static void
parse_words(const struct lexicon *lx, const char *norm,
    struct parse_result *r, const char **nontip, int *nontip_weight)
{
	struct parse_score	 kinds[16], products[16];
	struct acm_match	*m;
	size_t			 n, len = strlen(norm);
	int			 k;

	memset(kinds, 0, sizeof kinds);
	memset(products, 0, sizeof products);
	*nontip = NULL;
	n = acm_scan(lx->acm, norm, &m);
	parse_places_in_words(lx, m, n, r);
	parse_score_words(lx, norm, m, n, len, kinds, products, r);
	parse_compose(lx, r, norm, m, n, len, kinds);
	parse_lookalike(lx, r, norm, m, n, kinds, products);
	parse_context_words(lx, norm, m, n, len, r, nontip, nontip_weight);
	parse_named_things(lx, norm, m, n, r);
	free(m);
	/* Liquor keeps for years: an old year alone says nothing of it. */
	if (r->expired_by_date > 0 && !(r->expired_by_date == PARSE_OLD_YEAR &&
	    parse_best(products, 10) == parse_index(lex_products, "liquor")))
		parse_add(kinds, parse_index(lex_kinds, "expired"),
		    PARSE_EXPIRY_WEIGHT, len);
	if ((k = parse_best(kinds, 7)) >= 0) {
		r->kind = lex_kinds[k];
		r->kind_score = kinds[k].score;
		r->kind_second = parse_second(kinds, 7, k);
	}
	parse_product(products, r);
}

/*
 * The tip code a command in norm names (查询 CODE PIN, 收到 CODE ...),
 * into code; "" if norm is no command or names none.
 */
void
parse_command_code(const char *norm, char *code, size_t size)
{
	struct parse_result	 r;

	memset(&r, 0, sizeof r);
	if (size > 0)
		code[0] = '\0';
	if (parse_command(norm, &r))
		snprintf(code, size, "%s", r.code);
	free(r.arg);
}

/* Read one normalised message; free with parse_free. */
void
parse_message(const struct lexicon *lx, const struct gazetteer *gz,
    const char *norm, time_t received, struct parse_result *r)
{
	const char	*nontip;
	int		 nontip_weight = 0;

	memset(r, 0, sizeof *r);
	if (norm[0] == '\0') {
		r->what = PARSE_NONTIP;
		r->nontip = "empty";
		return;
	}
	if (parse_command(norm, r)) {
		r->what = PARSE_COMMAND;
		return;
	}
	r->expired_by_date = parse_expiry(norm, received);
	if (gz != NULL)
		r->nplaces = gazetteer_find(gz, norm, &r->places);
	parse_words(lx, norm, r, &nontip, &nontip_weight);
	r->what = PARSE_TIP;
	if (nontip != NULL && (r->advert ||
	    (strcmp(nontip, "nonfood") == 0 && r->product == NULL) ||
	    (nontip_weight >= PARSE_NONTIP_STRONG && r->nplaces == 0 &&
	    strcmp(nontip, "nonfood") != 0))) {
		r->what = PARSE_NONTIP;
		r->nontip = nontip;
	} else if (r->kind == NULL && r->product == NULL &&
	    !(r->nplaces > 0 && (r->place != NULL || r->reports) &&
	    nontip_weight < PARSE_NONTIP_STRONG)) {
		/*
		 * Not a tip, unless it names a place and a shop or says it
		 * reports something: a tip cut off before the problem.
		 */
		r->what = PARSE_NONTIP;
		r->nontip = nontip != NULL ? nontip : parse_has_cjk(norm) ?
		    "chat" : "garbage";
		r->followup_only = 1;
	}
}

void
parse_free(struct parse_result *r)
{
	free(r->arg);
	free(r->places);
	r->arg = NULL;
	r->places = NULL;
	r->nplaces = 0;
}
