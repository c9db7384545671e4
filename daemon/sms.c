/*
 * SMS parts to messages: order and join concatenated parts, decode UCS-2
 * (surrogate pairs included) to UTF-8, and compute the keys that let the
 * ledger recognise a part or a message it has already stored. Pure.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/sms.h"
#include "tipgw/xmalloc.h"

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static uint64_t
sms_fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char	*p = data;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= FNV_PRIME;
	}
	return (h);
}

static const char *sms_coding_names[] = {
	[SMS_CODING_GSM] = "gsm",
	[SMS_CODING_UCS2] = "ucs2",
	[SMS_CODING_8BIT] = "8bit",
};

/* "gsm", "ucs2" or "8bit". */
const char *
sms_coding_name(enum sms_coding coding)
{
	if ((unsigned int)coding > SMS_CODING_8BIT)
		return ("unknown");
	return (sms_coding_names[coding]);
}

/*
 * The key of a stored part: a 128-bit hash of who sent it, when the SMSC
 * stamped it, where it sits in its group, and its content. Reading the
 * same part again gives the same key; a different part almost surely
 * does not; and the key does not show the sender's number.
 */
void
sms_part_key(struct sms_part *p)
{
	char		 head[SMS_SENDER_MAX + 64];
	uint64_t	 a, b;
	int		 n;

	n = snprintf(head, sizeof head, "%s|%lld|%d|%d|%d|%d", p->sender,
	    (long long)p->smsc_time, (int)p->coding, p->concat_ref, p->total,
	    p->number);
	if (n < 0 || (size_t)n >= sizeof head)
		n = (int)strlen(head);
	a = sms_fnv(sms_fnv(FNV_OFFSET, head, (size_t)n + 1), p->data, p->len);
	b = sms_fnv(sms_fnv(FNV_OFFSET ^ 0x9e3779b97f4a7c15ULL, p->data,
	    p->len), head, (size_t)n);
	snprintf(p->key, sizeof p->key, "%016llx%016llx",
	    (unsigned long long)a, (unsigned long long)b);
}

/*
 * The key that groups parts of one concatenated message: sender,
 * reference and part count. A part that is not concatenated is a group
 * of its own, keyed by its part key.
 */
const char *
sms_group_key(const struct sms_part *p, char *buf, size_t len)
{
	if (p->concat_ref < 0 || p->total <= 1)
		snprintf(buf, len, "s|%s", p->key);
	else
		snprintf(buf, len, "c|%s|%d|%d", p->sender, p->concat_ref,
		    p->total);
	return (buf);
}

/* qsort order: by group, then part number, then location. */
int
sms_part_cmp(const void *a, const void *b)
{
	const struct sms_part	*pa = a, *pb = b;
	char			 ka[SMS_KEY_MAX + 80], kb[SMS_KEY_MAX + 80];
	int			 c;

	c = strcmp(sms_group_key(pa, ka, sizeof ka),
	    sms_group_key(pb, kb, sizeof kb));
	if (c != 0)
		return (c);
	if (pa->number != pb->number)
		return (pa->number < pb->number ? -1 : 1);
	return ((pa->location > pb->location) - (pa->location < pb->location));
}

static void
utf8_put(char **w, uint32_t cp)
{
	unsigned char	*o = (unsigned char *)*w;

	if (cp < 0x80)
		*o++ = (unsigned char)cp;
	else if (cp < 0x800) {
		*o++ = (unsigned char)(0xc0 | (cp >> 6));
		*o++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (unsigned char)(0xe0 | (cp >> 12));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (unsigned char)(0xf0 | (cp >> 18));
		*o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*w = (char *)o;
}

/*
 * UCS-2 (really UTF-16) big-endian to UTF-8. Surrogate pairs become one
 * character; a lone surrogate, a NUL or an odd trailing byte becomes
 * U+FFFD, so the result is always valid UTF-8.
 */
char *
sms_ucs2_to_utf8(const unsigned char *s, size_t len)
{
	char		*out, *w;
	size_t		 i;
	uint32_t	 u, lo;

	out = w = xmalloc(len * 2 + 4);
	for (i = 0; i + 1 < len; i += 2) {
		u = ((uint32_t)s[i] << 8) | s[i + 1];
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < len) {
			lo = ((uint32_t)s[i + 2] << 8) | s[i + 3];
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			}
		}
		if (u == 0 || (u >= 0xd800 && u <= 0xdfff))
			u = 0xfffd;
		utf8_put(&w, u);
	}
	if (len % 2 != 0)
		utf8_put(&w, 0xfffd);
	*w = '\0';
	return (out);
}

/* A part and the burst of sending it belongs to (sms_split_copies). */
struct sms_slot {
	struct sms_part	 part;
	int		 burst;
	int		 copy;
};

static int
sms_slot_time_cmp(const void *a, const void *b)
{
	const struct sms_part	*pa = &((const struct sms_slot *)a)->part;
	const struct sms_part	*pb = &((const struct sms_slot *)b)->part;

	if (pa->smsc_time != pb->smsc_time)
		return (pa->smsc_time < pb->smsc_time ? -1 : 1);
	return ((pa->location > pb->location) - (pa->location < pb->location));
}

static int
sms_slot_cmp(const void *a, const void *b)
{
	const struct sms_slot	*sa = a, *sb = b;

	if (sa->burst != sb->burst)
		return (sa->burst < sb->burst ? -1 : 1);
	if (sa->part.number != sb->part.number)
		return (sa->part.number < sb->part.number ? -1 : 1);
	return (sms_slot_time_cmp(a, b));
}

static int
sms_slot_msg_cmp(const void *a, const void *b)
{
	const struct sms_slot	*sa = a, *sb = b;

	if (sa->burst != sb->burst)
		return (sa->burst < sb->burst ? -1 : 1);
	if (sa->copy != sb->copy)
		return (sa->copy < sb->copy ? -1 : 1);
	if (sa->part.number != sb->part.number)
		return (sa->part.number < sb->part.number ? -1 : 1);
	return (sms_slot_time_cmp(a, b));
}

/*
 * Parts of one group (same sender, reference and count) may belong to
 * several messages: the 8-bit reference wraps after 256 long messages,
 * and a phone may reuse it at once. A phone sends the parts of one
 * message together, so the SMSC stamps them within seconds: parts more
 * than SMS_PARTS_WINDOW apart (by SMSC time) are never one message.
 * Within one such burst, the k-th different copy of each part number
 * goes to message k (an identical copy goes with its twin). The parts
 * are regrouped message by message; returns the number of messages,
 * copies[k] is where message k starts in parts, and copies[messages] is
 * n.
 */
int
sms_split_copies(struct sms_part *parts, int n, int *copies)
{
	struct sms_slot	*s = xcalloc((size_t)n, sizeof *s);
	int		 i, j, k, first = 0, nmsg = 0;

	for (i = 0; i < n; i++)
		s[i].part = parts[i];
	qsort(s, (size_t)n, sizeof *s, sms_slot_time_cmp);
	for (i = 1; i < n; i++) {
		s[i].burst = s[i - 1].burst;
		if (s[i].part.smsc_time != 0 && s[i - 1].part.smsc_time != 0 &&
		    s[i].part.smsc_time - s[i - 1].part.smsc_time >
		    SMS_PARTS_WINDOW)
			s[i].burst++;
	}
	qsort(s, (size_t)n, sizeof *s, sms_slot_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && (s[i].part.number != s[i - 1].part.number ||
		    s[i].burst != s[i - 1].burst))
			first = i;
		s[i].copy = -1;
		for (j = first, k = 0; j < i; j++) {
			if (strcmp(s[j].part.key, s[i].part.key) == 0)
				s[i].copy = s[j].copy;
			else if (s[j].copy + 1 > k)
				k = s[j].copy + 1;
		}
		if (s[i].copy < 0)
			s[i].copy = k;
	}
	qsort(s, (size_t)n, sizeof *s, sms_slot_msg_cmp);
	for (i = 0; i < n; i++) {
		if (i == 0 || s[i].burst != s[i - 1].burst ||
		    s[i].copy != s[i - 1].copy)
			copies[nmsg++] = i;
		parts[i] = s[i].part;
	}
	copies[nmsg] = n;
	free(s);
	return (nmsg);
}

/* GSM 03.38: the default alphabet, then the extension table (2 septets). */
static const char sms_gsm_basic[] =
    "@\xc2\xa3$\xc2\xa5\xc3\xa8\xc3\xa9\xc3\xb9\xc3\xac\xc3\xb2\xc3\x87\n"
    "\xc3\x98\xc3\xb8\r\xc3\x85\xc3\xa5\xce\x94_\xce\xa6\xce\x93\xce\x9b"
    "\xce\xa9\xce\xa0\xce\xa8\xce\xa3\xce\x98\xce\x9e\xc3\x86\xc3\xa6\xc3\x9f"
    "\xc3\x89 !\"#\xc2\xa4%&'()*+,-./0123456789:;<=>?\xc2\xa1"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ\xc3\x84\xc3\x96\xc3\x91\xc3\x9c\xc2\xa7"
    "\xc2\xbf" "abcdefghijklmnopqrstuvwxyz\xc3\xa4\xc3\xb6\xc3\xb1\xc3\xbc\xc3\xa0"
    "^{}\\[~]|\xe2\x82\xac\f";

/*
 * Can text be sent in the GSM 7-bit alphabet? Then a part holds 160
 * characters instead of 70; any Chinese character means UCS-2.
 */
int
sms_gsm7_compatible(const char *text)
{
	const unsigned char	*u = (const unsigned char *)text;
	size_t			 n;
	char			 ch[5];

	while (*u != '\0') {
		if (*u < 0x80)
			n = 1;
		else if ((*u & 0xe0) == 0xc0)
			n = 2;
		else if ((*u & 0xf0) == 0xe0)
			n = 3;
		else
			return (0);
		memcpy(ch, u, n);
		ch[n] = '\0';
		if (strstr(sms_gsm_basic, ch) == NULL)
			return (0);
		u += n;
	}
	return (1);
}

/* Lower-case hex of data. */
char *
sms_hex(const unsigned char *data, size_t len)
{
	static const char	 digits[] = "0123456789abcdef";
	char			*out = xmalloc(len * 2 + 1);
	size_t			 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 0xf];
	}
	out[2 * len] = '\0';
	return (out);
}

/* Join the data of distinct part numbers, in order. */
static unsigned char *
sms_join(const struct sms_part *parts, int n, size_t *len, int *distinct)
{
	unsigned char	*buf;
	size_t		 total = 0;
	int		 i;

	for (i = 0; i < n; i++)
		total += parts[i].len;
	buf = xmalloc(total + 1);
	*len = 0;
	*distinct = 0;
	for (i = 0; i < n; i++) {
		if (i > 0 && parts[i].number == parts[i - 1].number)
			continue;	/* the same part stored twice */
		memcpy(buf + *len, parts[i].data, parts[i].len);
		*len += parts[i].len;
		(*distinct)++;
	}
	return (buf);
}

/*
 * The text of a concatenated message of total parts from the texts of
 * the parts at hand (texts[k] for part k + 1, NULL if missing): a run of
 * missing parts shows as 〔缺第2段〕 or 〔缺第2-3段〕, where it was, so a
 * reader sees that something is missing and where.
 */
char *
sms_text_with_gaps(const char *const *texts, int total)
{
	char	*out = xstrdup(""), *prev, gap[48];
	int	 k, from;

	for (k = 0; k < total; ) {
		prev = out;
		if (texts[k] != NULL) {
			xasprintf(&out, "%s%s", prev, texts[k]);
			k++;
		} else {
			for (from = k; k < total && texts[k] == NULL; k++)
				;
			if (k - from == 1)
				snprintf(gap, sizeof gap, SMS_GAP "第%d段〕",
				    from + 1);
			else
				snprintf(gap, sizeof gap, SMS_GAP "第%d-%d段〕",
				    from + 1, k);
			xasprintf(&out, "%s%s", prev, gap);
		}
		free(prev);
	}
	return (out);
}

/* One part's text (UTF-8), as tipgw keeps it beside the part's key. */
char *
sms_part_text(const struct sms_part *p)
{
	if (p->coding == SMS_CODING_8BIT)
		return (xstrdup(""));
	return (sms_ucs2_to_utf8(p->data, p->len));
}

/* The message's text: its parts in order, missing ones marked. */
static char *
sms_text(const struct sms_part *parts, int n, int total)
{
	const char	**texts;
	char		 *out;
	int		  i, k;

	texts = xcalloc((size_t)total, sizeof *texts);
	for (i = 0; i < n; i++) {
		k = parts[i].number - 1;
		if (k >= 0 && k < total && texts[k] == NULL)
			texts[k] = sms_part_text(&parts[i]);
	}
	out = sms_text_with_gaps(texts, total);
	for (k = 0; k < total; k++)
		free((char *)texts[k]);
	free(texts);
	return (out);
}

static void
sms_message_key(struct sms_message *m)
{
	uint64_t	 a = FNV_OFFSET, b = FNV_OFFSET ^ 0x5bd1e995ULL;
	int		 i;

	for (i = 0; i < m->nparts; i++) {
		a = sms_fnv(a, m->parts[i].key, strlen(m->parts[i].key) + 1);
		b = sms_fnv(b, m->parts[i].key, strlen(m->parts[i].key));
		b = sms_fnv(b, "/", 1);
	}
	snprintf(m->key, sizeof m->key, "%016llx%016llx",
	    (unsigned long long)a, (unsigned long long)b);
}

/*
 * Build a message from parts of one group, sorted with sms_part_cmp.
 * The message takes over the parts array and their data.
 */
void
sms_message_build(struct sms_message *m, struct sms_part *parts, int nparts)
{
	unsigned char	*joined;
	size_t		 len;
	int		 i, distinct;

	memset(m, 0, sizeof *m);
	m->parts = parts;
	m->nparts = nparts;
	memcpy(m->sender, parts[0].sender, sizeof m->sender);
	memcpy(m->smsc, parts[0].smsc, sizeof m->smsc);
	m->coding = parts[0].coding;
	m->concat_ref = parts[0].concat_ref;
	m->total = parts[0].total;
	m->smsc_time = parts[0].smsc_time;
	for (i = 0; i < nparts; i++) {
		if (parts[i].smsc_time != 0 && (m->smsc_time == 0 ||
		    parts[i].smsc_time < m->smsc_time))
			m->smsc_time = parts[i].smsc_time;
		if (parts[i].not_deliver)
			m->flags |= SMS_FLAG_NOT_DELIVER;
		if (parts[i].unreadable)
			m->flags |= SMS_FLAG_UNREADABLE;
	}
	joined = sms_join(parts, nparts, &len, &distinct);
	if (distinct < m->total)
		m->flags |= SMS_FLAG_PARTIAL;
	if (m->flags & SMS_FLAG_UNREADABLE)
		m->text = xstrndup((const char *)joined, len);
	else if (m->coding == SMS_CODING_8BIT) {
		m->flags |= SMS_FLAG_BINARY;
		m->raw_hex = sms_hex(joined, len);
		m->text = xstrdup("");
	} else if (m->flags & SMS_FLAG_PARTIAL)
		m->text = sms_text(parts, nparts, m->total);
	else
		m->text = sms_ucs2_to_utf8(joined, len);
	free(joined);
	sms_message_key(m);
}

/* Free a message and the parts it owns. */
void
sms_message_free(struct sms_message *m)
{
	int	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nparts; i++)
		free(m->parts[i].data);
	free(m->parts);
	free(m->text);
	free(m->raw_hex);
	memset(m, 0, sizeof *m);
}
