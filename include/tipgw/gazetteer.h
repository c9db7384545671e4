/*
 * Township and village names as people write them, found in normalised
 * text in one pass (Aho-Corasick), longest match first. Names come from
 * the national division data with their administrative suffixes also
 * stripped (岚田社区居民委员会 -> 岚田社区, 岚田; 大涌镇 -> 大涌), and from
 * [alias] lexicon entries. A township written with its suffix and one
 * character of its name off by a character of the same sound (依文镇 for
 * 依汶镇, the lexicon's [pinyin]) is that township too.
 */
#ifndef TIPGW_GAZETTEER_H
#define TIPGW_GAZETTEER_H

#include <stddef.h>

struct division;
struct lexicon;

struct gaz_township {
	char	 code[10];
	char	*name;
};

struct gaz_village {
	char	 code[13];
	char	*name;
	int	 township;		/* index into townships */
};

/* One place a name can mean. */
struct gaz_sense {
	int	 township;		/* index */
	int	 village;		/* index, or -1 for the township itself */
	int	 bare;			/* suffix stripped: weaker evidence */
};

struct gaz_mention {
	size_t			 start, len;	/* bytes in the text */
	struct gaz_sense	*senses;	/* owned by the gazetteer */
	int			 nsenses;
	int			 shop_name;	/* right before 超市 ...: 高升超市 */
	int			 at;		/* 在X, X场上: where it happened */
};

struct gaz_index;
struct gaz_sound;
struct lookalike;

struct gazetteer {
	struct gaz_township	*townships;
	size_t			 ntownships;
	struct gaz_village	*villages;
	size_t			 nvillages;
	struct gaz_name		*names;
	size_t			 nnames;
	struct acm		*acm;
	/* Township names by sound (伊文镇 for 依汶镇): the lexicon's. */
	const struct lookalike	*lookalike;
	struct gaz_sound	*sounds;
	size_t			 nsounds;
	struct gaz_sense	*self;		/* each township's own sense */
	struct gaz_index	*codes;		/* township code -> index */
};

struct gazetteer *gazetteer_new(const struct division *,
		    const struct lexicon *, char **cause);
size_t		 gazetteer_find(const struct gazetteer *, const char *,
		    struct gaz_mention **);
int		 gazetteer_township(const struct gazetteer *, const char *);
char		*gazetteer_village_short(const char *);
void		 gazetteer_free(struct gazetteer *);

#endif
