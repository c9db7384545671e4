/*
 * Text from outside (an SMS, an office name, a URL) made safe to show
 * (pure): control characters (C0, DEL, C1), the bidirectional overrides
 * that reorder what a terminal shows, and bytes that are not UTF-8 are
 * written as escapes (\r, \x1b, \u202e), so no message can move a
 * terminal's cursor, forge a log line or hide what it says. Everything
 * else is kept as it is.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/vis.h"
#include "tipgw/xmalloc.h"

/*
 * The length of the UTF-8 sequence at s (at most len bytes), its code
 * point in *cp; 0 if it is cut short by len, -1 if it is not UTF-8.
 */
static int
vis_utf8(const unsigned char *s, size_t len, unsigned int *cp)
{
	unsigned int	 lo = 0x80, hi = 0xbf;
	int		 n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		*cp = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		*cp = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return (-1);
	for (i = 1; i < n; i++) {
		if ((size_t)i >= len)
			return (0);
		if (s[i] < lo || s[i] > hi)
			return (-1);
		lo = 0x80;
		hi = 0xbf;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return (n);
}

/* Is code point cp one to escape? */
static int
vis_unsafe(unsigned int cp)
{
	return (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c);
}

/*
 * Escape s[0..len) into out (room for VIS_ROOM(len) bytes, NUL added).
 * With VIS_LINES, newlines and tabs are kept. Unless final, a UTF-8
 * sequence cut short at the end is left for the next call. Returns the
 * bytes of s used; *outlen is set to the bytes written.
 */
size_t
vis_buf(const char *in, size_t len, int flags, int final, char *out,
    size_t *outlen)
{
	const unsigned char	*s = (const unsigned char *)in;
	unsigned int		 cp;
	size_t			 i = 0, w = 0;
	int			 n;

	while (i < len) {
		n = vis_utf8(s + i, len - i, &cp);
		if (n == 0 && !final)
			break;
		if (n <= 0) {
			w += (size_t)snprintf(out + w, 5, "\\x%02x", s[i]);
			i++;
			continue;
		}
		if (!vis_unsafe(cp) || ((flags & VIS_LINES) &&
		    (cp == '\n' || cp == '\t'))) {
			memcpy(out + w, s + i, (size_t)n);
			w += (size_t)n;
		} else if (cp == '\n' || cp == '\r' || cp == '\t') {
			out[w++] = '\\';
			out[w++] = cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
		} else if (cp < 0x80)
			w += (size_t)snprintf(out + w, 5, "\\x%02x", cp);
		else
			w += (size_t)snprintf(out + w, 7, "\\u%04x", cp);
		i += (size_t)n;
	}
	out[w] = '\0';
	*outlen = w;
	return (i);
}

/* A copy of s with its unsafe characters escaped; the caller frees it. */
char *
vis_str(const char *s, int flags)
{
	size_t	 len = strlen(s), w;
	char	*out = xmalloc(VIS_ROOM(len));

	vis_buf(s, len, flags, 1, out, &w);
	return (out);
}
