/*
 * Sender classification: is this a person who may send a tip, or a
 * carrier or service number whose messages are kept but never acted on?
 * Pure: patterns come from the configuration.
 */
#include "config.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/sender.h"
#include "tipgw/xmalloc.h"

/* The number without +86 or 0086, for matching national patterns. */
static const char *
sender_national(const char *s)
{
	if (strncmp(s, "+86", 3) == 0)
		return (s + 3);
	if (strncmp(s, "0086", 4) == 0)
		return (s + 4);
	return (s);
}

/*
 * Is sender a service sender? Alphanumeric senders ("CMCC", "中国移动")
 * always are; numbers are matched, without a +86 prefix, against shell
 * patterns such as "106*" or "12???".
 */
int
sender_is_service(const char *sender, char *const *patterns,
    size_t npatterns)
{
	const char	*p, *national = sender_national(sender);
	size_t		 i;

	if (*sender == '\0')
		return (1);
	for (p = *sender == '+' ? sender + 1 : sender; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return (1);
	}
	for (i = 0; i < npatterns; i++) {
		if (fnmatch(patterns[i], national, 0) == 0 ||
		    fnmatch(patterns[i], sender, 0) == 0)
			return (1);
	}
	return (0);
}

/* Split a list separated by spaces or commas; return the count. */
size_t
sender_patterns_split(const char *list, char ***patterns)
{
	char	*copy = xstrdup(list), *p = copy, *item;
	size_t	 n = 0;

	*patterns = NULL;
	while ((item = strsep(&p, " ,\t")) != NULL) {
		if (*item == '\0')
			continue;
		*patterns = xreallocarray(*patterns, n + 1, sizeof **patterns);
		(*patterns)[n++] = xstrdup(item);
	}
	free(copy);
	return (n);
}

/* Check a pattern list: digits, '+', '*', '?' and '[...]' classes only. */
int
sender_patterns_valid(const char *list, char **cause)
{
	const char	*p;

	for (p = list; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p) || strchr("+*?[]-!, \t", *p))
			continue;
		xasprintf(cause, "'%c' is not allowed in a sender pattern "
		    "(digits, +, *, ? and [...] only)", *p);
		return (-1);
	}
	return (0);
}
