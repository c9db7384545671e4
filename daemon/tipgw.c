/*
 * Small helpers on the shared domain types: freeing, phone number syntax,
 * timestamps. Pure: no I/O.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tipgw/log.h"
#include "tipgw/tipgw.h"
#include "tipgw/vis.h"
#include "tipgw/xmalloc.h"

/* Free a tip's strings and zero it. */
void
tip_clear(struct tip *t)
{
	free(t->code);
	free(t->channel);
	free(t->text);
	free(t->state);
	free(t->kind);
	free(t->product);
	free(t->township_code);
	free(t->village_code);
	free(t->office_name);
	free(t->township);
	free(t->village);
	free(t->brand);
	free(t->place);
	free(t->shop);
	free(t->route);
	free(t->candidates);
	free(t->result);
	free(t->extended_by);
	free(t->extension_reason);
	free(t->paused_from);
	free(t->kinds);
	free(t->products);
	free(t->order_12315);
	memset(t, 0, sizeof *t);
}

static void
strings_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free an office's strings and zero it. */
void
office_clear(struct office *o)
{
	free(o->name);
	free(o->webhook_url);
	free(o->webhook_format);
	free(o->email);
	strings_free(o->phones, o->nphones);
	strings_free(o->townships, o->ntownships);
	memset(o, 0, sizeof *o);
}

/* Is s a phone number: an optional '+' and 3 to 20 digits? */
int
tipgw_phone_valid(const char *s)
{
	size_t	 n = 0;

	if (*s == '+')
		s++;
	for (; *s != '\0'; s++, n++) {
		if (!isdigit((unsigned char)*s))
			return (0);
	}
	return (n >= 3 && n <= 20);
}

/*
 * A Chinese number in its national form: +86, 0086 or 86 (before an
 * 11-digit mobile number) taken off; any other number as it is, so a
 * foreign number never matches a Chinese one whose digits it ends in.
 */
void
tipgw_phone_national(const char *s, char *out, size_t size)
{
	const char	*rest = s;
	size_t		 n;

	if (strncmp(s, "+86", 3) == 0)
		rest = s + 3;
	else if (strncmp(s, "0086", 4) == 0)
		rest = s + 4;
	else if (strncmp(s, "86", 2) == 0) {
		n = strlen(s + 2);
		if (n == 11 && s[2] == '1' && strspn(s + 2, "0123456789") == n)
			rest = s + 2;
	}
	snprintf(out, size, "%s", rest);
}

/*
 * Is s a name tipgw can show in an alert, a log line and a listing: 1
 * to TIPGW_NAME_MAX characters of UTF-8, no control or bidirectional
 * formatting character (nothing vis_str() would escape), no space at
 * either end?
 */
int
tipgw_name_valid(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	char			*v;
	size_t			 len = strlen(s), chars = 0, i;
	int			 ok;

	if (len == 0 || isspace(u[0]) || isspace(u[len - 1]))
		return (0);
	for (i = 0; i < len; i++)
		chars += (u[i] & 0xc0) != 0x80;
	if (chars > TIPGW_NAME_MAX)
		return (0);
	v = vis_str(s, 0);
	ok = strcmp(v, s) == 0;
	free(v);
	return (ok);
}

/*
 * Is s an e-mail address tipgw can put in a header and an SMTP envelope:
 * local@domain, printable ASCII, no space, quote, angle bracket, comma
 * or second @ (so that it cannot add a header or a recipient)?
 */
int
tipgw_email_valid(const char *s)
{
	const char	*at = strchr(s, '@');
	size_t		 n = strlen(s), i;

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') ||
	    n > 254)
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] <= ' ' || s[i] >= 0x7f || strchr("<>\"(),;:\\[]",
		    s[i]) != NULL)
			return (0);
	}
	return (1);
}

/* Is s an http:// or https:// URL with no space or control character? */
int
tipgw_url_valid(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return (0);
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return (0);
	}
	return (1);
}

/* Format t as the ledger's UTC timestamp, 2026-11-23T03:05:39Z. */
char *
tipgw_time_format(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		if (len > 0)
			buf[0] = '\0';
	}
	return (buf);
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t
utf8_sequence(const unsigned char *s)
{
	size_t		 n, i;
	unsigned int	 cp;

	if (*s < 0x80)
		return (1);
	if (*s >= 0xc2 && *s <= 0xdf) {
		n = 2;
		cp = *s & 0x1f;
	} else if ((*s & 0xf0) == 0xe0) {
		n = 3;
		cp = *s & 0x0f;
	} else if (*s >= 0xf0 && *s <= 0xf4) {
		n = 4;
		cp = *s & 0x07;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (n);
}

/* A copy of s with every invalid UTF-8 byte replaced by U+FFFD. */
char *
tipgw_utf8_sanitize(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	char			*out, *w;
	size_t			 n;

	out = w = xmalloc(strlen(s) * 3 + 1);
	while (*u != '\0') {
		if ((n = utf8_sequence(u)) == 0) {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			u++;
			continue;
		}
		memcpy(w, u, n);
		w += n;
		u += n;
	}
	*w = '\0';
	return (out);
}

/*
 * The data directory (lexicon, templates, demo): $TIPGW_DATADIR when set,
 * for running from a source tree, else the one chosen at build time.
 */
const char *
tipgw_datadir(void)
{
	const char	*d = getenv("TIPGW_DATADIR");

	return (d != NULL && *d != '\0' ? d : PKGDATADIR);
}
