/*
 * SMS parts and messages, independent of libGammu: grouping concatenated
 * parts, decoding UCS-2 to UTF-8, and the keys that make intake idempotent.
 * Pure: no I/O, no clock (times are passed in).
 */
#ifndef TIPGW_SMS_H
#define TIPGW_SMS_H

#include <stddef.h>
#include <time.h>

#define SMS_SENDER_MAX		64	/* UTF-8; alphanumeric senders too */
#define SMS_KEY_MAX		160
#define SMS_MAX_PARTS		255
#define SMS_GAP			"〔缺"	/* a missing part: 〔缺第2段〕 */
#define SMS_PARTS_WINDOW	600	/* s: one message's parts at the SMSC */

enum sms_coding {
	SMS_CODING_GSM,		/* GSM 7-bit; data holds UCS-2BE */
	SMS_CODING_UCS2,	/* data holds UCS-2BE */
	SMS_CODING_8BIT,	/* data holds raw bytes */
};

#define SMS_FLAG_PARTIAL	0x1	/* parts missing when ingested */
#define SMS_FLAG_BINARY		0x2	/* 8-bit data, stored as hex */
#define SMS_FLAG_SERVICE	0x4	/* carrier or service sender */
#define SMS_FLAG_NOT_DELIVER	0x8	/* not an SMS-DELIVER PDU */
#define SMS_FLAG_WAITING	0x10	/* incomplete, still waiting: only
					   asks whether the ledger holds it */
#define SMS_FLAG_UNREADABLE	0x20	/* libGammu could not decode it: data
					   says why and where it was */

/* One stored part, as read from the modem. */
struct sms_part {
	char		 sender[SMS_SENDER_MAX];
	char		 smsc[32];
	time_t		 smsc_time;	/* 0 if unknown */
	enum sms_coding	 coding;
	int		 concat_ref;	/* -1 if not concatenated */
	int		 total;		/* 1 if not concatenated */
	int		 number;	/* 1..total */
	unsigned char	*data;
	size_t		 len;
	int		 not_deliver;
	int		 unreadable;	/* data: why, as ASCII */
	int		 folder;	/* where to delete it */
	int		 location;
	char		 key[SMS_KEY_MAX];
};

/* A message: one or more parts of the same group, in part order. */
struct sms_message {
	char		 sender[SMS_SENDER_MAX];
	char		 smsc[32];
	time_t		 smsc_time;	/* of the earliest part */
	enum sms_coding	 coding;
	int		 concat_ref;
	int		 total;
	int		 nparts;
	struct sms_part	*parts;		/* owned: data freed with the message */
	char		*text;		/* UTF-8 */
	char		*raw_hex;	/* 8-bit data as hex, else NULL */
	int		 flags;
	char		 key[SMS_KEY_MAX];
};

void		 sms_part_key(struct sms_part *);
const char	*sms_group_key(const struct sms_part *, char *, size_t);
int		 sms_part_cmp(const void *, const void *);
int		 sms_split_copies(struct sms_part *, int n, int *copies);
void		 sms_message_build(struct sms_message *, struct sms_part *,
		    int nparts);
void		 sms_message_free(struct sms_message *);
const char	*sms_coding_name(enum sms_coding);
char		*sms_ucs2_to_utf8(const unsigned char *, size_t);
char		*sms_text_with_gaps(const char *const *, int total);
char		*sms_part_text(const struct sms_part *);
char		*sms_hex(const unsigned char *, size_t);
int		 sms_gsm7_compatible(const char *);

#endif
