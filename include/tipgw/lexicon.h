/*
 * The lexicon: words that tell what a tip is about, as data an operator
 * can extend. Files hold [section]s of lines "LABEL[/WEIGHT] WORD...":
 *
 *   [kind]        problem kinds: expired 过期 过了期 过其 ...
 *   [product]     product categories: dairy 牛奶 酸奶 ...
 *   [brand]       knock-off brands, label = product: beverage 雷碧 ...
 *   [place]       where food is sold or made: shop 小卖部 超市 ...
 *   [nontip]      marks of messages that are not tips: ad 点击 ...
 *   [neutral]     words that mean nothing here; they shield their parts
 *                 (放假 is not 假) and are never a place (光明超市)
 *   [unresolved]  places too vague to route: county 县城 城里 ...
 *   [refer]       references to an earlier message: earlier 上回说的 ...
 *   [alias]       other names of places, label = division code
 *   [dialect]     dialect words, label = the Mandarin they mean: 没有 冇
 *   [cue]         word classes that rules compose: neg 没 没有 无 ...
 *   [compose]     rules, label = kind, words CLASS+CLASS[@CHARS]: a word
 *                 of each class within CHARS characters of the other
 *                 (sanwu/4 neg+label@4: 没写日期, 日期都没有)
 *   [genuine]     real brands, label = product: a name one character off
 *                 is a knock-off (lookalike.h): beverage 健力宝 ...
 *   [pinyin]      characters by sound, label = syllable: li 丽利俐 ...
 *   [shape]       characters that look alike, one group a word: - 天夭
 *
 * '#' starts a comment. Words are normalised like message text.
 */
#ifndef TIPGW_LEXICON_H
#define TIPGW_LEXICON_H

#include <stddef.h>

struct text_norm;

enum lex_table {
	LEX_KIND,
	LEX_PRODUCT,
	LEX_BRAND,
	LEX_PLACE,
	LEX_NONTIP,
	LEX_NEUTRAL,
	LEX_UNRESOLVED,
	LEX_REFER,
	LEX_ALIAS,
	LEX_DIALECT,
	LEX_CUE,
	LEX_COMPOSE,
	LEX_GENUINE,
	LEX_PINYIN,
	LEX_SHAPE,
	LEX_NTABLES
};

struct lex_entry {
	enum lex_table	 table;
	char		*label;
	char		*word;		/* normalised */
	int		 weight;
};

/* A [compose] rule: a word of class a within window characters of b. */
struct lex_rule {
	const char	*kind;		/* the entry's label */
	int		 weight;
	char		 a[32], b[32];
	int		 window;
};
#define LEX_RULE_WINDOW	4		/* characters, when not given */
#define LEX_RULE_MAX_WINDOW 30

struct lookalike;
struct model;

#define LEX_MODEL_FILE	"kind-model.tsv"	/* in the lexicon directory */

struct lexicon {
	struct lex_entry	*entries;
	size_t			 nentries;
	struct lex_rule		*rules;
	size_t			 nrules;
	struct acm		*acm;		/* all words but aliases */
	struct acm		*dialect;	/* [dialect] words */
	struct lookalike	*lookalike;	/* [genuine] brands */
	struct model		*model;		/* kind-model.tsv, or NULL */
};

extern const char *const lex_kinds[];		/* NULL-terminated */
extern const char *const lex_products[];

const char	*lex_kind_words(const char *);
const char	*lex_product_words(const char *);

struct lexicon	*lexicon_new(void);
int		 lexicon_load_file(struct lexicon *, struct text_norm *,
		    const char *path, char **cause);
int		 lexicon_load_dir(struct lexicon *, struct text_norm *,
		    const char *dir, char **cause);
int		 lexicon_load_text(struct lexicon *, struct text_norm *,
		    const char *name, const char *text, char **cause);
void		 lexicon_build(struct lexicon *);
char		*lexicon_dialect(const struct lexicon *, const char *);
int		 lexicon_has(const struct lexicon *, enum lex_table,
		    const char *word);
int		 lexicon_rule_parse(const char *, struct lex_rule *);
int		 lexicon_model(struct lexicon *, const char *path,
		    char **cause);
void		 lexicon_free(struct lexicon *);

#endif
