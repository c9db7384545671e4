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
	LEX_NTABLES
};

struct lex_entry {
	enum lex_table	 table;
	char		*label;
	char		*word;		/* normalised */
	int		 weight;
};

struct lexicon {
	struct lex_entry	*entries;
	size_t			 nentries;
	struct acm		*acm;		/* all words but aliases */
	struct acm		*dialect;	/* [dialect] words */
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
void		 lexicon_free(struct lexicon *);

#endif
