/*
 * sms.c and sender.c: UCS-2 decoding, part keys, joining concatenated
 * parts (out of order, duplicated, missing), service senders.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tipgw/sender.h"
#include "tipgw/sms.h"
#include "tipgw/xmalloc.h"

/* UTF-8 to UCS-2BE, for building parts (BMP and surrogate pairs). */
static unsigned char *
to_ucs2(const char *s, size_t *len)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned char		*out = xmalloc(strlen(s) * 4 + 2), *w = out;
	unsigned int		 cp, hi, lo;

	while (*u != '\0') {
		if (*u < 0x80)
			cp = *u++;
		else if (*u < 0xe0) {
			cp = ((u[0] & 0x1fu) << 6) | (u[1] & 0x3fu);
			u += 2;
		} else if (*u < 0xf0) {
			cp = ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) |
			    (u[2] & 0x3fu);
			u += 3;
		} else {
			cp = ((u[0] & 0x07u) << 18) | ((u[1] & 0x3fu) << 12) |
			    ((u[2] & 0x3fu) << 6) | (u[3] & 0x3fu);
			u += 4;
		}
		if (cp >= 0x10000) {
			hi = 0xd800 + ((cp - 0x10000) >> 10);
			lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
			*w++ = (unsigned char)(hi >> 8);
			*w++ = (unsigned char)hi;
			cp = lo;
		}
		*w++ = (unsigned char)(cp >> 8);
		*w++ = (unsigned char)cp;
	}
	*len = (size_t)(w - out);
	return (out);
}

static void
make_part(struct sms_part *p, const char *sender, const char *text, int ref,
    int total, int number, int location)
{
	memset(p, 0, sizeof *p);
	snprintf(p->sender, sizeof p->sender, "%s", sender);
	snprintf(p->smsc, sizeof p->smsc, "+8613800371500");
	p->smsc_time = 1795000000 + number;
	p->coding = SMS_CODING_UCS2;
	p->concat_ref = ref;
	p->total = total;
	p->number = number;
	p->location = location;
	p->data = to_ucs2(text, &p->len);
	sms_part_key(p);
}

static void
test_ucs2(void)
{
	static const unsigned char	 lone[] = { 0xd8, 0x3d, 0x00, 0x41 };
	static const unsigned char	 odd[] = { 0x00, 0x41, 0x00 };
	static const unsigned char	 nul[] = { 0x00, 0x00, 0x00, 0x42 };
	unsigned char			*u;
	size_t				 len;
	char				*s;

	u = to_ucs2("岚田村 milk 😀 𠀀", &len);
	s = sms_ucs2_to_utf8(u, len);
	is_str(s, "岚田村 milk 😀 𠀀", "BMP, ASCII and surrogate pairs");
	free(s);
	free(u);
	s = sms_ucs2_to_utf8(lone, sizeof lone);
	is_str(s, "\xef\xbf\xbd" "A", "lone high surrogate -> U+FFFD");
	free(s);
	s = sms_ucs2_to_utf8(odd, sizeof odd);
	is_str(s, "A\xef\xbf\xbd", "odd trailing byte -> U+FFFD");
	free(s);
	s = sms_ucs2_to_utf8(nul, sizeof nul);
	is_str(s, "\xef\xbf\xbd" "B", "NUL never ends the text early");
	free(s);
	s = sms_ucs2_to_utf8(NULL, 0);
	is_str(s, "", "empty body");
	free(s);
}

static void
test_keys(void)
{
	struct sms_part	 a, b;
	char		 ka[256], kb[256];

	make_part(&a, "+8613800000001", "same", -1, 1, 1, 1);
	make_part(&b, "+8613800000001", "same", -1, 1, 1, 7);
	is_str(a.key, b.key, "same part read again: same key");
	ok(strstr(a.key, "13800000001") == NULL, "the key hides the number");
	free(b.data);
	make_part(&b, "+8613800000001", "diff", -1, 1, 1, 1);
	ok(strcmp(a.key, b.key) != 0, "other text: other key");
	ok(strcmp(sms_group_key(&a, ka, sizeof ka),
	    sms_group_key(&b, kb, sizeof kb)) != 0,
	    "single parts are groups of their own");
	free(a.data);
	free(b.data);
	make_part(&a, "+8613800000001", "x", 9, 3, 1, 1);
	make_part(&b, "+8613800000001", "y", 9, 3, 3, 2);
	is_str(sms_group_key(&a, ka, sizeof ka),
	    sms_group_key(&b, kb, sizeof kb), "parts of one message group");
	free(a.data);
	free(b.data);
}

static void
test_join(void)
{
	struct sms_part		*p = xcalloc(4, sizeof *p);
	struct sms_message	 m;
	char			 first[SMS_KEY_MAX];

	/* Stored out of order, with part 2 twice. */
	make_part(&p[0], "+8613800000002", "三部分", 200, 3, 3, 1);
	make_part(&p[1], "+8613800000002", "第一", 200, 3, 1, 2);
	make_part(&p[2], "+8613800000002", "第二", 200, 3, 2, 3);
	make_part(&p[3], "+8613800000002", "第二", 200, 3, 2, 4);
	qsort(p, 4, sizeof *p, sms_part_cmp);
	is_int(p[0].number, 1, "sorted: part 1 first");
	sms_message_build(&m, p, 4);
	is_str(m.text, "第一第二三部分", "joined in part order, duplicate once");
	is_int(m.flags & SMS_FLAG_PARTIAL, 0, "complete");
	is_int(m.nparts, 4, "all four stored parts kept for deletion");
	is_int(m.smsc_time, 1795000001, "earliest SMSC time");
	snprintf(first, sizeof first, "%s", m.key);
	sms_message_free(&m);

	p = xcalloc(2, sizeof *p);
	make_part(&p[0], "+8613800000002", "第一", 200, 3, 1, 2);
	make_part(&p[1], "+8613800000002", "三部分", 200, 3, 3, 1);
	qsort(p, 2, sizeof *p, sms_part_cmp);
	sms_message_build(&m, p, 2);
	is_str(m.text, "第一〔缺第2段〕三部分", "partial: what arrived, in order, "
	    "the missing part marked where it was");
	ok(m.flags & SMS_FLAG_PARTIAL, "partial flagged");
	ok(strcmp(first, m.key) != 0, "partial has its own key");
	sms_message_free(&m);

	p = xcalloc(1, sizeof *p);
	make_part(&p[0], "+8613800000003", "", -1, 1, 1, 1);
	p[0].coding = SMS_CODING_8BIT;
	free(p[0].data);
	p[0].data = (unsigned char *)xstrdup("\x01\xff");
	p[0].len = 2;
	sms_message_build(&m, p, 1);
	is_str(m.raw_hex, "01ff", "8-bit kept as hex");
	ok(m.flags & SMS_FLAG_BINARY, "8-bit flagged binary");
	is_str(m.text, "", "no text for 8-bit");
	sms_message_free(&m);
}

static void
test_split(void)
{
	struct sms_part		*p = xcalloc(7, sizeof *p);
	struct sms_message	 m;
	int			 copies[302], n;

	/* Two 3-part messages with reference 5, and a duplicated part. */
	make_part(&p[0], "+8613800000004", "A1", 5, 3, 1, 1);
	make_part(&p[1], "+8613800000004", "A2", 5, 3, 2, 2);
	make_part(&p[2], "+8613800000004", "A3", 5, 3, 3, 3);
	make_part(&p[3], "+8613800000004", "B1", 5, 3, 1, 4);
	make_part(&p[4], "+8613800000004", "B2", 5, 3, 2, 5);
	make_part(&p[5], "+8613800000004", "A2", 5, 3, 2, 7);
	make_part(&p[6], "+8613800000004", "B3", 5, 3, 3, 6);
	p[3].smsc_time = p[4].smsc_time = p[6].smsc_time += 60;
	sms_part_key(&p[3]);
	sms_part_key(&p[4]);
	sms_part_key(&p[6]);
	qsort(p, 7, sizeof *p, sms_part_cmp);
	n = sms_split_copies(p, 7, copies);
	is_int(n, 2, "two messages share reference 5");
	is_int(copies[1], 4, "the first has its 3 parts and the twin of A2");
	is_int(copies[2], 7, "the second has 3");
	{
		struct sms_part	*a = xcalloc(4, sizeof *a);
		struct sms_part	*b = xcalloc(3, sizeof *b);

		memcpy(a, p, 4 * sizeof *p);
		memcpy(b, p + 4, 3 * sizeof *p);
		sms_message_build(&m, a, 4);
		is_str(m.text, "A1A2A3", "first message whole, twin once");
		is_int(m.flags & SMS_FLAG_PARTIAL, 0, "first complete");
		sms_message_free(&m);
		sms_message_build(&m, b, 3);
		is_str(m.text, "B1B2B3", "second message whole");
		sms_message_free(&m);
	}
	free(p);

	/* Reference 9 reused an hour later: part 1 of one, part 2 of another. */
	p = xcalloc(2, sizeof *p);
	make_part(&p[0], "+8613800000004", "C1", 9, 2, 1, 1);
	make_part(&p[1], "+8613800000004", "D2", 9, 2, 2, 2);
	p[1].smsc_time += 3600;
	sms_part_key(&p[1]);
	n = sms_split_copies(p, 2, copies);
	is_int(n, 2, "parts an hour apart are two messages, not one");
	ok(n == 2 && copies[1] == 1 && p[0].number == 1 && p[1].number == 2,
	    "each with its own part");
	free(p[0].data);
	free(p[1].data);
	free(p);

	/* One part stored 300 times beside the other: one whole message. */
	p = xcalloc(301, sizeof *p);
	for (n = 0; n < 300; n++)
		make_part(&p[n], "+8613800000004", "E1", 11, 2, 1, n + 1);
	make_part(&p[300], "+8613800000004", "E2", 11, 2, 2, 301);
	n = sms_split_copies(p, 301, copies);
	is_int(n, 1, "identical copies stay with their message");
	sms_message_build(&m, p, 301);
	is_str(m.text, "E1E2", "and it is whole");
	is_int(m.flags & SMS_FLAG_PARTIAL, 0, "not partial");
	sms_message_free(&m);
}

static void
test_gsm7(void)
{
	ok(sms_gsm7_compatible("Fake milk @ shop #3, 50% off {x} [y] ~ \\ €"),
	    "ASCII, @ and the extension table are GSM 7-bit");
	ok(sms_gsm7_compatible("Ærø Ñañ ¿¡ ΔΣΩ"), "Latin and Greek letters "
	    "of the default alphabet");
	ok(!sms_gsm7_compatible("您的举报已收到"), "Chinese needs UCS-2");
	ok(!sms_gsm7_compatible("ok 😀"), "emoji need UCS-2");
	ok(!sms_gsm7_compatible("`"), "a backquote is not GSM 7-bit");
	ok(sms_gsm7_compatible(""), "empty text");
}

static void
test_senders(void)
{
	char	**pat;
	size_t	  n = sender_patterns_split(SENDER_DEFAULT_SERVICE, &pat), i;
	char	 *cause = NULL;
	static const struct {
		const char	*sender;
		int		 service;
	} cases[] = {
		{ "10086", 1 }, { "10010", 1 }, { "10000", 1 },
		{ "1069012345678", 1 }, { "+861069012345678", 1 },
		{ "95588", 1 }, { "12315", 1 }, { "CMCC", 1 },
		{ "中国移动", 1 }, { "", 1 },
		{ "+8613800138000", 0 }, { "13800138000", 0 },
		{ "03963812345", 0 }, { "+15551234567", 0 },
		{ "123456", 0 },
	};

	is_int((long long)n, 5, "default pattern list splits into five");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_int(sender_is_service(cases[i].sender, pat, n),
		    cases[i].service, "sender '%s'", cases[i].sender);
	ok(sender_patterns_valid("106*, 95???", &cause) == 0, "valid list");
	ok(sender_patterns_valid("106*;rm", &cause) == -1, "bad list refused");
	free(cause);
	for (i = 0; i < n; i++)
		free(pat[i]);
	free(pat);
}

static void
test_gaps(void)
{
	const char	*three[3] = { NULL, "中间", NULL };
	const char	*five[5] = { "甲", NULL, NULL, "丁", NULL };
	const char	*whole[2] = { "一", "二" };
	char		*t;

	t = sms_text_with_gaps(three, 3);
	is_str(t, "〔缺第1段〕中间〔缺第3段〕", "gaps at both ends");
	free(t);
	t = sms_text_with_gaps(five, 5);
	is_str(t, "甲〔缺第2-3段〕丁〔缺第5段〕", "a run of missing parts, once");
	free(t);
	t = sms_text_with_gaps(whole, 2);
	is_str(t, "一二", "nothing missing: no mark");
	free(t);
}

int
main(void)
{
	test_gaps();
	test_ucs2();
	test_keys();
	test_join();
	test_split();
	test_gsm7();
	test_senders();
	return (done_testing());
}
