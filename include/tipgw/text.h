/*
 * Text normalisation, before anything looks at a message: traditional to
 * simplified (OpenCC t2s), NFKC (full-width digits and letters to ASCII),
 * lower-case Latin, emoji and decoration removed, whitespace collapsed.
 */
#ifndef TIPGW_TEXT_H
#define TIPGW_TEXT_H

struct text_norm;

struct text_norm *text_norm_new(char **cause);
char		*text_normalise(struct text_norm *, const char *);
void		 text_norm_free(struct text_norm *);

#endif
