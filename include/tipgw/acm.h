/*
 * Aho-Corasick multi-pattern matcher over bytes (UTF-8 patterns match
 * only at character boundaries of UTF-8 text). Finds every occurrence of
 * every pattern in one pass.
 */
#ifndef TIPGW_ACM_H
#define TIPGW_ACM_H

#include <stddef.h>

struct acm;

struct acm_match {
	size_t	 start;		/* byte offset in the text */
	size_t	 len;		/* bytes */
	int	 value;		/* as given to acm_add */
};

struct acm	*acm_new(void);
void		 acm_add(struct acm *, const char *, int value);
void		 acm_build(struct acm *);
size_t		 acm_scan(const struct acm *, const char *, struct acm_match **);
size_t		 acm_longest(struct acm_match *, size_t, size_t textlen);
size_t		 acm_size(const struct acm *);
void		 acm_free(struct acm *);

#endif
