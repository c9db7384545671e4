/*
 * Normalisation of message text. Every step works on valid UTF-8 (bytes
 * that are not are replaced first; the ledger keeps the raw text), and
 * the result is what the lexicon, the gazetteer and the parser see:
 *
 *   嵐田士多啲奶過期咗，生產日期２０２５年３月  ->  岚田士多啲奶过期咗 生产日期2025年3月
 *
 * Kept: letters (CJK and Latin, Latin lower-cased), digits, and the few
 * marks that carry meaning in a tip: ". - / :" (dates, prices) and "?"
 * (the help command). Everything else (punctuation, emoji, symbols,
 * controls) becomes a space; runs of spaces collapse to one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <opencc/opencc.h>
#include <utf8proc.h>

#include "tipgw/text.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"

struct text_norm {
	opencc_t	 cc;
};

/* Open OpenCC's traditional-to-simplified conversion. */
struct text_norm *
text_norm_new(char **cause)
{
	struct text_norm	*t;
	opencc_t		 cc;

	cc = opencc_open("t2s.json");
	if (cc == (opencc_t)-1) {
		xasprintf(cause, "OpenCC: cannot open t2s.json: %s",
		    opencc_error());
		return (NULL);
	}
	t = xcalloc(1, sizeof *t);
	t->cc = cc;
	return (t);
}

void
text_norm_free(struct text_norm *t)
{
	if (t == NULL)
		return;
	opencc_close(t->cc);
	free(t);
}

/* Is this code point kept as it is? */
static int
text_keep(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return (1);
	default:
		return (c == '.' || c == '-' || c == '/' || c == ':' ||
		    c == '?');
	}
}

/* Drop decoration, collapse spaces; s is valid UTF-8, rewritten in place. */
static void
text_filter(char *s)
{
	const utf8proc_uint8_t	*in = (const utf8proc_uint8_t *)s;
	char			*out = s;
	utf8proc_int32_t	 c;
	utf8proc_ssize_t	 n;
	int			 space = 1;	/* no leading space */

	while (*in != '\0') {
		n = utf8proc_iterate(in, -1, &c);
		if (n <= 0) {
			in++;
			continue;
		}
		if (text_keep(c)) {
			memmove(out, in, (size_t)n);
			out += n;
			space = 0;
		} else if (!space) {
			*out++ = ' ';
			space = 1;
		}
		in += n;
	}
	if (out > s && out[-1] == ' ')
		out--;
	*out = '\0';
}

/* The normalised form of in (any bytes); never NULL. */
char *
text_normalise(struct text_norm *t, const char *in)
{
	utf8proc_uint8_t	*nfkc = NULL;
	utf8proc_ssize_t	 n;
	char			*clean, *simp, *out;

	clean = tipgw_utf8_sanitize(in != NULL ? in : "");
	simp = t != NULL ? opencc_convert_utf8(t->cc, clean, strlen(clean)) :
	    NULL;
	n = utf8proc_map((const utf8proc_uint8_t *)(simp != NULL ? simp :
	    clean), 0, &nfkc, UTF8PROC_NULLTERM | UTF8PROC_STABLE |
	    UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	    UTF8PROC_IGNORE | UTF8PROC_STRIPCC);
	if (simp != NULL)
		opencc_convert_utf8_free(simp);
	if (n < 0) {
		/* Cannot happen on sanitized input; keep going regardless. */
		out = clean;
	} else {
		free(clean);
		out = xstrdup((char *)nfkc);
		free(nfkc);
	}
	text_filter(out);
	return (out);
}
