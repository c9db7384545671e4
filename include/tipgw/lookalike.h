/*
 * Brand names written one character off (lookalike.c): 伊俐 for 伊利,
 * 健力堡 for 健力宝, 冰红荼 for 冰红茶. A knock-off names itself close to
 * the brand it copies, by a character that sounds the same (the [pinyin]
 * table, compared as the fuzzy pinyin of southern speakers: zh/z, ch/c,
 * sh/s, n/l, -ng/-n) or looks the same (the [shape] groups); in a name
 * of four characters or more, by any one character.
 */
#ifndef TIPGW_LOOKALIKE_H
#define TIPGW_LOOKALIKE_H

#include <stddef.h>

struct lexicon;
struct lookalike;

struct lookalike_hit {
	size_t		 start, len;	/* bytes of the text */
	const char	*brand;		/* the [genuine] word it copies */
	const char	*product;	/* its label */
	int		 weak;		/* a two-character name: only with
					 * more to say it (see parse.c) */
};

struct lookalike *lookalike_new(const struct lexicon *);
size_t		 lookalike_find(const struct lookalike *, const char *norm,
		    struct lookalike_hit **);
int		 lookalike_similar(const struct lookalike *, unsigned int,
		    unsigned int);
int		 lookalike_sound(const struct lookalike *, unsigned int);
const char	*lookalike_pinyin(const struct lookalike *, unsigned int);
void		 lookalike_free(struct lookalike *);

#endif
