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
	int	 county;		/* index into counties, or -1 */
};

/* A county whose name is known (areas.csv) and has townships here. */
struct gaz_county {
	char	 code[7];
	char	*name;
};

/* A village: its code is gazetteer_village_code's to spell. */
struct gaz_village {
	int32_t	 township;		/* index into townships */
	uint32_t code;			/* see gazetteer_village_code */
};
#define GAZ_VILLAGE_CODE	13	/* bytes, with the NUL */

/* One place a name can mean (as a mention gives it). */
struct gaz_sense {
	int		 township;	/* index */
	signed int	 village : 31;	/* index, or -1 for the township */
	unsigned int	 bare : 1;	/* suffix stripped: weaker evidence */
};

struct gaz_mention {
	size_t			 start, len;	/* bytes in the text */
	struct gaz_sense	*senses;	/* freed with the mentions */
	int			 nsenses;
	int			 shop_name;	/* right before 超市 ...: 高升超市 */
	int			 at;		/* 在X, X场上: where it happened */
};

struct gaz_index;
struct gaz_sound;
struct lookalike;

struct gazetteer {
	struct gaz_county	*counties;
	size_t			 ncounties;
	struct gaz_index	*county_names;	/* its forms -> index */
	char			**county_forms;	/* ... their texts */
	size_t			 ncounty_forms;
	uint64_t		 county_lens[4]; /* their byte lengths */
	struct gaz_township	*townships;
	size_t			 ntownships;
	struct gaz_village	*villages;
	size_t			 nvillages;
	char			(*odd_codes)[GAZ_VILLAGE_CODE];
	size_t			 nodd_codes;	/* not township + 3 digits */
	struct gaz_name		*names;		/* in the order of dir */
	uint8_t			*nlens;		/* each name's bytes */
	size_t			 nnames;
	char			*pool;		/* the names' texts, shared */
	size_t			 npool;
	uint32_t		*senses;	/* the names', in runs, packed */
	size_t			 nsenses;
	uint32_t		*slots;		/* while building: name + 1 */
	size_t			 nslots;
	uint32_t		*dir;		/* names by hash bucket */
	unsigned int		 dirbits;
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
const char	*gazetteer_village_code(const struct gazetteer *, int,
		    char [GAZ_VILLAGE_CODE]);
void		 gazetteer_free(struct gazetteer *);

#endif
