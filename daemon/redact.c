/*
 * Phone numbers hidden in free text (pure): every number of seven or
 * more digits (ASCII or full-width, spaced, dashed, dotted or with its
 * area code in parentheses) keeps its first three and last two digits
 * and shows * for the rest. Dates are not numbers. Used wherever a
 * villager's words leave the ledger: office alerts, the coordinator's
 * listings, the API.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tipgw/redact.h"
#include "tipgw/xmalloc.h"

#define REDACT_DIGITS	7	/* a number this long may be a phone */

/* The length of a digit at s (ASCII, or full-width ０-９), or 0. */
static size_t
redact_digit(const unsigned char *s)
{
	if (*s >= '0' && *s <= '9')
		return (1);
	if (s[0] == 0xef && s[1] == 0xbc && s[2] >= 0x90 && s[2] <= 0x99)
		return (3);
	return (0);
}

/* The value of the digit at s (redact_digit() said it is one). */
static int
redact_digit_value(const unsigned char *s)
{
	return (*s <= '9' ? *s - '0' : s[2] - 0x90);
}

/*
 * The length of a character people write inside a phone number (138
 * 0013 8000, 0396-1234567, (0396)1234567, full-width too), or 0.
 */
static size_t
redact_sep(const unsigned char *s)
{
	if (*s == ' ' || *s == '-' || *s == '.' || *s == '(' || *s == ')')
		return (1);
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)	/* U+3000 */
		return (3);
	if (s[0] == 0xef && s[1] == 0xbc && (s[2] == 0x88 || s[2] == 0x89 ||
	    s[2] == 0x8d || s[2] == 0x8e))			/* （）－． */
		return (3);
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x93 || s[2] == 0x94))
		return (3);					/* – — */
	return (0);
}

/*
 * The run of digits starting at s, its groups joined by at most two
 * separators each: where it ends, how many digits it holds, and whether
 * it reads as a date (2025-03-05, 2025.3.5), which is not a number.
 */
static const unsigned char *
redact_run(const unsigned char *s, size_t *ndigits, int *date)
{
	const unsigned char	*p = s, *q, *end = s;
	size_t			 len, k, glen[3] = { 0, 0, 0 };
	int			 groups = 0, j, first = -1, second = -1;

	*ndigits = 0;
	for (;;) {
		for (k = 0; (len = redact_digit(p)) > 0; k++) {
			if (*ndigits + k == 0)
				first = redact_digit_value(p);
			else if (*ndigits + k == 1)
				second = redact_digit_value(p);
			p += len;
		}
		*ndigits += k;
		if (groups < 3)
			glen[groups] = k;
		groups++;
		end = p;
		for (q = p, j = 0; j < 2 && (len = redact_sep(q)) > 0; j++)
			q += len;
		if (j == 0 || redact_digit(q) == 0)
			break;
		p = q;
	}
	*date = (groups == 2 || groups == 3) && glen[0] == 4 &&
	    ((first == 1 && second == 9) || (first == 2 && second == 0)) &&
	    glen[1] <= 2 && glen[2] <= 2;
	return (end);
}

/*
 * A copy of text with every number of seven or more digits masked but
 * for its first three and last two digits, separators kept: a phone
 * number typed into a tip (the reporter's own, often) never reaches an
 * office, however it was spaced.
 */
char *
redact_numbers(const char *text)
{
	const unsigned char	*s = (const unsigned char *)text, *end;
	char			*out, *w;
	size_t			 n, len, i;
	int			 date;

	out = w = xmalloc(strlen(text) + 1);
	while (*s != '\0') {
		if (redact_digit(s) == 0) {
			*w++ = (char)*s++;
			continue;
		}
		end = redact_run(s, &n, &date);
		for (i = 0; s < end; ) {
			if ((len = redact_digit(s)) == 0) {
				*w++ = (char)*s++;
				continue;
			}
			if (n < REDACT_DIGITS || date || i < 3 ||
			    i >= n - 2) {
				memcpy(w, s, len);
				w += len;
			} else
				*w++ = '*';
			s += len;
			i++;
		}
	}
	*w = '\0';
	return (out);
}
