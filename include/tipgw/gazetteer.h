/*
 * Township and village names as people write them, found in normalised
 * text by looking up its substrings in a hash of names, longest match
 * first. Names come from
 * the national division data with their administrative suffixes also
 * stripped (岚田社区居民委员会 -> 岚田社区, 岚田; 大涌镇 -> 大涌), and from
 * [alias] lexicon entries. A township written with its suffix and one
 * character of its name off by a character of the same sound (依文镇 for
 * 依汶镇, the lexicon's [pinyin]) is that township too.
 */
#ifndef TIPGW_GAZETTEER_H
#define TIPGW_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

struct division;
struct lexicon;

struct gaz_township {
	char	 code[10];
	char	*name;
};

struct gaz_village {
	char	 code[13];
	int	 township;		/* index into townships */
};

/* One place a name can mean. */
struct gaz_sense {
	int		 township;	/* index */
	signed int	 village : 31;	/* index, or -1 for the township */
	unsigned int	 bare : 1;	/* suffix stripped: weaker evidence */
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
	char			*pool;		/* the names' texts */
	size_t			 npool;
	struct gaz_sense	*senses;	/* the names', in runs */
	size_t			 nsenses;
	uint32_t		*slots;		/* name + 1; 0: empty */
	size_t			 nslots;
	uint64_t		 lens[4];	/* the byte lengths names have */
	size_t			 maxlen;
	uint64_t		 first[1024];	/* their first characters */
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
