/*
 * libFuzzer target: the SMS path after libGammu, as modem_sms_poll runs
 * it on what a modem holds. The input is a run of parts, each a header
 * of 8 bytes (coding, concatenation reference or none, part count, part
 * number, sender, SMSC time in minutes, two flags) and its data (a
 * length byte, then up to that many bytes, UCS-2 or 8-bit). The parts
 * are keyed, sorted, grouped by sender and reference, split into
 * messages by copies and time, and each message is built (decoded,
 * joined, gaps marked) and freed. Every message must have UTF-8 text.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/sms.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_SMS_PARTS	64

static const char *const fuzz_senders[] = {
	"+8613900000001", "+8613900000002", "10086", "中国移动"
};

/* One part from the input; 0 at its end. */
static int
fuzz_part(const uint8_t **data, size_t *size, struct sms_part *p)
{
	const uint8_t	*h = *data;
	size_t		 len;

	if (*size < 9)
		return (0);
	memset(p, 0, sizeof *p);
	p->coding = (enum sms_coding)(h[0] % 3);
	p->concat_ref = h[1];
	p->total = h[2] % 8;
	p->number = h[3] % 9;
	/* As modem_part_udh: a header out of range is no concatenation. */
	if (p->total < 2 || p->number < 1 || p->number > p->total) {
		p->concat_ref = -1;
		p->total = p->number = 1;
	}
	snprintf(p->sender, sizeof p->sender, "%s", fuzz_senders[h[4] % 4]);
	p->smsc_time = (time_t)(1700000000 + (time_t)h[5] * 60);
	p->not_deliver = h[6] & 1;
	p->unreadable = (h[6] >> 1) & 1;
	p->location = h[7];
	len = h[8];
	*data += 9;
	*size -= 9;
	if (len > *size)
		len = *size;
	p->data = malloc(len + 1);
	if (p->data == NULL)
		abort();
	memcpy(p->data, *data, len);
	p->len = len;
	*data += len;
	*size -= len;
	sms_part_key(p);
	return (1);
}

static void
fuzz_message(struct sms_part *parts, int n)
{
	struct sms_message	 m;
	struct sms_part		*own = malloc(sizeof *own * (size_t)n);
	int			 i;

	if (own == NULL)
		abort();
	for (i = 0; i < n; i++) {
		own[i] = parts[i];
		if ((own[i].data = malloc(parts[i].len + 1)) == NULL)
			abort();
		memcpy(own[i].data, parts[i].data, parts[i].len);
	}
	memset(&m, 0, sizeof m);
	sms_message_build(&m, own, n);
	if (m.text == NULL)
		abort();
	sms_message_free(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sms_part	 parts[FUZZ_SMS_PARTS];
	char		 a[SMS_KEY_MAX + 80], b[SMS_KEY_MAX + 80];
	int		 n = 0, start, i, k, ncopies, *copies;

	while (n < FUZZ_SMS_PARTS && fuzz_part(&data, &size, &parts[n]))
		n++;
	qsort(parts, (size_t)n, sizeof *parts, sms_part_cmp);
	for (start = 0, i = 1; i <= n; i++) {
		if (i < n && strcmp(sms_group_key(&parts[i], a, sizeof a),
		    sms_group_key(&parts[start], b, sizeof b)) == 0)
			continue;
		if (parts[start].concat_ref < 0 || parts[start].total <= 1)
			fuzz_message(parts + start, i - start);
		else {
			copies = calloc((size_t)(i - start) + 1,
			    sizeof *copies);
			if (copies == NULL)
				abort();
			ncopies = sms_split_copies(parts + start, i - start,
			    copies);
			for (k = 0; k < ncopies; k++)
				fuzz_message(parts + start + copies[k],
				    copies[k + 1] - copies[k]);
			free(copies);
		}
		start = i;
	}
	for (i = 0; i < n; i++)
		free(parts[i].data);
	return (0);
}
