/*
 * The modem worker's messages: read every stored part, group concatenated
 * parts, hand complete messages (or, after multipart_timeout, what arrived)
 * to the event loop, and delete parts only once the event loop reports
 * them committed. Also sending, delivery reports and incoming calls.
 * Runs on the worker thread; only modem*.c include gammu.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "modem_int.h"

#define MODEM_MAX_PARTS		10000	/* more than any SIM or phone holds */
#define MODEM_SEND_TIMEOUT	60	/* seconds for the network's answer */
#define MODEM_CALL_REPEAT	30	/* seconds: RINGs of one call */

static void
modem_send_status_cb(GSM_StateMachine *s, int status, int reference,
    void *arg)
{
	struct modem	*m = arg;

	m->send_status = status;
	m->send_reference = reference;
}

static void
modem_incoming_sms_cb(GSM_StateMachine *s, GSM_SMSMessage *sms, void *arg)
{
	struct modem	*m = arg;

	m->sms_signalled = 1;
}

static void
modem_incoming_call_cb(GSM_StateMachine *s, GSM_Call *call, void *arg)
{
	struct modem		*m = arg;
	struct modem_call_rec	*c;
	char			 caller[(GSM_MAX_NUMBER_LENGTH + 1) * 4];
	int			 i;

	if (call->Status != GSM_CALL_IncomingCall)
		return;
	memset(caller, 0, sizeof caller);
	EncodeUTF8(caller, call->PhoneNumber);
	if (strcmp(m->last_caller, caller) == 0 &&
	    modem_monotonic() - m->last_call_at < MODEM_CALL_REPEAT)
		return;	/* another RING of the same call */
	for (i = 0; i < m->ncalls; i++) {
		if (strcmp(m->calls[i].caller, caller) == 0)
			return;
	}
	if (m->ncalls == (int)(sizeof m->calls / sizeof m->calls[0]))
		return;
	modem_copy(m->last_caller, sizeof m->last_caller, caller);
	m->last_call_at = modem_monotonic();
	c = &m->calls[m->ncalls++];
	modem_copy(c->caller, sizeof c->caller, caller);
	c->at = time(NULL);
}

/*
 * Register the callbacks. The send-status callback is required before
 * any GSM_SendSMS (the dummy driver crashes without it); the others let
 * an AT modem tell us of new messages and calls between polls.
 */
void
modem_sms_callbacks(struct modem *m)
{
	GSM_SetSendSMSStatusCallback(m->gsm, modem_send_status_cb, m);
	GSM_SetIncomingSMSCallback(m->gsm, modem_incoming_sms_cb, m);
	GSM_SetIncomingCallCallback(m->gsm, modem_incoming_call_cb, m);
	if (!m->poll_device)
		return;
	if (GSM_SetIncomingSMS(m->gsm, TRUE) != ERR_NONE)
		log_debug("modem=%s: no new-message notifications; polling",
		    m->name);
	if (GSM_SetIncomingCall(m->gsm, TRUE) != ERR_NONE)
		log_info("modem=%s: the modem does not report calls",
		    m->name);
}

static time_t
modem_time(const GSM_DateTime *dt)
{
	struct tm	 tm;

	if (dt->Year == 0)
		return (0);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = dt->Year - 1900;
	tm.tm_mon = dt->Month - 1;
	tm.tm_mday = dt->Day;
	tm.tm_hour = dt->Hour;
	tm.tm_min = dt->Minute;
	tm.tm_sec = dt->Second;
	return (timegm(&tm) - dt->Timezone);
}

static void
modem_part_udh(struct sms_part *p, const GSM_UDHHeader *udh)
{
	p->concat_ref = -1;
	p->total = p->number = 1;
	if (udh->AllParts < 2 || udh->AllParts > SMS_MAX_PARTS ||
	    udh->PartNumber < 1 || udh->PartNumber > udh->AllParts)
		return;
	if (udh->Type == UDH_ConcatenatedMessages)
		p->concat_ref = udh->ID8bit;
	else if (udh->Type == UDH_ConcatenatedMessages16bit)
		p->concat_ref = udh->ID16bit;
	else
		return;
	p->total = udh->AllParts;
	p->number = udh->PartNumber;
}

/*
 * The bytes of a UCS-2 part's text: the Length characters the PDU said,
 * not up to the first U+0000 (UnicodeLength() stops there, and the rest
 * of the message would be lost), so a U+0000 inside is kept (read as
 * U+FFFD). libGammu's decoder writes a source '~' as "~~"; trailing
 * zeros are padding.
 */
static size_t
modem_ucs2_len(const GSM_SMSMessage *sms)
{
	const unsigned char	*t = sms->Text;
	size_t			 max = sizeof sms->Text - 2, i = 0, z;
	int			 n;

	z = UnicodeLength(sms->Text) * 2;
	for (n = 0; n < sms->Length && i + 2 <= max; n++) {
		if (t[i] == 0 && t[i + 1] == '~' && i + 4 <= max &&
		    t[i + 2] == 0 && t[i + 3] == '~')
			i += 4;
		else
			i += 2;
	}
	if (i < z)
		i = z;
	while (i >= 2 && t[i - 2] == 0 && t[i - 1] == 0)
		i -= 2;
	return (i);
}

/* A libGammu message part as our own part: UCS-2 text or raw bytes. */
static void
modem_part(struct sms_part *p, const GSM_SMSMessage *sms)
{
	char	 buf[(GSM_MAX_NUMBER_LENGTH + 1) * 4];
	size_t	 len;

	memset(p, 0, sizeof *p);
	memset(buf, 0, sizeof buf);
	EncodeUTF8(buf, sms->Number);
	modem_copy(p->sender, sizeof p->sender, buf);
	memset(buf, 0, sizeof buf);
	EncodeUTF8(buf, sms->SMSC.Number);
	modem_copy(p->smsc, sizeof p->smsc, buf);
	p->smsc_time = modem_time(&sms->DateTime);
	p->not_deliver = sms->PDU != SMS_Deliver;
	p->folder = sms->Folder;
	p->location = sms->Location;
	modem_part_udh(p, &sms->UDH);
	switch (sms->Coding) {
	case SMS_Coding_Unicode_No_Compression:
		p->coding = SMS_CODING_UCS2;
		len = modem_ucs2_len(sms);
		break;
	case SMS_Coding_Default_No_Compression:
		/* GSM 7-bit has no U+0000 (0x00 is @). */
		p->coding = SMS_CODING_GSM;
		len = UnicodeLength(sms->Text) * 2;
		break;
	default:
		p->coding = SMS_CODING_8BIT;
		len = sms->Length > 0 ? (size_t)sms->Length : 0;
		if (len > sizeof sms->Text)
			len = sizeof sms->Text;
		break;
	}
	p->data = xmalloc(len + 1);
	memcpy(p->data, sms->Text, len);
	p->len = len;
	sms_part_key(p);
}

static int
modem_delete(struct modem *m, int folder, int location, char **cause)
{
	GSM_SMSMessage	 sms;
	GSM_Error	 err;
	char		 buf[160];

	memset(&sms, 0, sizeof sms);
	sms.Folder = folder;
	sms.Location = location;
	modem_busy(m, 1);
	err = GSM_DeleteSMS(m->gsm, &sms);
	modem_busy(m, 0);
	switch (err) {
	case ERR_NONE:
	case ERR_EMPTY:
	case ERR_INVALIDLOCATION:	/* already gone */
		m->ws.last_contact = time(NULL);
		return (0);
	default:
		modem_gsm_error(err, buf, sizeof buf);
		if (modem_error_fatal(err)) {
			xasprintf(cause, "deleting folder %d location %d: %s",
			    folder, location, buf);
			return (-1);
		}
		log_warnx("modem=%s folder=%d location=%d delete failed: %s; "
		    "it will be read and deleted again", m->name, folder,
		    location, buf);
		return (1);
	}
}

/* A delivery report: hand it over and delete it at once. */
static int
modem_report(struct modem *m, const GSM_SMSMessage *sms, char **cause)
{
	struct modem_report	*r = xcalloc(1, sizeof *r);
	struct modem_record	 rec;
	char			 buf[(GSM_MAX_NUMBER_LENGTH + 1) * 4];

	memset(buf, 0, sizeof buf);
	EncodeUTF8(buf, sms->Number);
	modem_copy(r->recipient, sizeof r->recipient, buf);
	r->reference = sms->MessageReference;
	r->at = modem_time(&sms->SMSCTime);
	r->status = sms->DeliveryStatus;
	/* TP-ST: 0x00-0x1f delivered, 0x20-0x3f still trying, else failed. */
	r->delivered = r->status < 0x20 ? 1 : r->status < 0x40 ? -1 : 0;
	memset(&rec, 0, sizeof rec);
	rec.type = MODEM_REC_REPORT;
	rec.payload = r;
	modem_record_send(m, &rec);
	return (modem_delete(m, sms->Folder, sms->Location, cause) < 0 ?
	    -1 : 0);
}

struct modem_inbox {
	struct sms_part	*parts;
	int		 nparts;
};

static int
modem_inbox_add(struct modem *m, struct modem_inbox *in,
    GSM_MultiSMSMessage *msms, char **cause)
{
	int	 i;

	for (i = 0; i < msms->Number; i++) {
		GSM_SMSMessage	*sms = &msms->SMS[i];

		if (!sms->InboxFolder)
			continue;	/* sent items or drafts: not ours */
		if (sms->PDU == SMS_Status_Report) {
			if (modem_report(m, sms, cause) != 0)
				return (-1);
			continue;
		}
		in->parts = xreallocarray(in->parts, (size_t)in->nparts + 1,
		    sizeof *in->parts);
		modem_part(&in->parts[in->nparts++], sms);
	}
	return (0);
}

/*
 * A stored message libGammu cannot decode: a part of its own that says
 * why and where, so the ledger records it (disposition unreadable) and
 * the SIM is freed of it, with one warning, instead of it filling the
 * SIM and a warning at every poll. libGammu does not hand out the PDU
 * it failed on, so its bytes cannot be kept.
 */
static void
modem_unreadable(struct modem *m, struct modem_inbox *in, int folder,
    int location, GSM_Error err)
{
	struct sms_part	*p;
	char		*why;
	int		 n;

	in->parts = xreallocarray(in->parts, (size_t)in->nparts + 1,
	    sizeof *in->parts);
	p = &in->parts[in->nparts++];
	memset(p, 0, sizeof *p);
	n = xasprintf(&why, "unreadable by libGammu (%s) at folder %d "
	    "location %d of modem %s", GSM_ErrorName(err), folder, location,
	    m->name);
	p->data = (unsigned char *)why;
	p->len = (size_t)n;
	p->unreadable = 1;
	p->coding = SMS_CODING_8BIT;
	p->concat_ref = -1;
	p->total = p->number = 1;
	p->folder = folder;
	p->location = location;
	sms_part_key(p);
	if (m->corrupt_seen++ % 100 == 0)
		modem_event(m, "modem.bad_message", "folder=%d location=%d: %s",
		    folder, location, GSM_ErrorName(err));
	log_debug("modem=%s folder=%d location=%d unreadable: %s", m->name,
	    folder, location, GSM_ErrorName(err));
}

/*
 * Read every stored part. A part libGammu cannot decode is recorded as
 * such (modem_unreadable), never allowed to stop the others
 * (gammu-smsd's failure).
 */
static int
modem_read_all(struct modem *m, struct modem_inbox *in, char **cause)
{
	GSM_MultiSMSMessage	 msms;
	GSM_Error		 err;
	gboolean		 start = TRUE;
	int			 reads, last_folder = -1, last_location = -1;
	char			 buf[160];

	memset(&msms, 0, sizeof msms);
	for (reads = 0; reads < MODEM_MAX_PARTS; reads++) {
		msms.Number = 0;
		modem_busy(m, 1);
		err = GSM_GetNextSMS(m->gsm, &msms, start);
		modem_busy(m, 0);
		start = FALSE;
		if (err == ERR_EMPTY) {
			m->ws.last_contact = time(NULL);	/* it answered */
			break;
		}
		if (modem_error_fatal(err)) {
			xasprintf(cause, "reading messages: %s",
			    modem_gsm_error(err, buf, sizeof buf));
			return (-1);
		}
		m->ws.last_contact = time(NULL);
		if (msms.SMS[0].Folder == last_folder &&
		    msms.SMS[0].Location == last_location)
			break;	/* a driver that does not move on */
		last_folder = msms.SMS[0].Folder;
		last_location = msms.SMS[0].Location;
		if (err != ERR_NONE) {
			modem_unreadable(m, in, last_folder, last_location,
			    err);
			continue;
		}
		if (msms.Number > 0 && modem_inbox_add(m, in, &msms, cause))
			return (-1);
	}
	return (0);
}

static int
modem_inflight_find(struct modem *m, const char *key)
{
	size_t	 i;

	for (i = 0; i < m->ninflight; i++) {
		if (strcmp(m->inflight[i], key) == 0)
			return ((int)i);
	}
	return (-1);
}

static void
modem_inflight_remove(struct modem *m, const char *key)
{
	int	 i = modem_inflight_find(m, key);

	if (i < 0)
		return;
	free(m->inflight[i]);
	m->inflight[i] = m->inflight[--m->ninflight];
}

/* How long has this incomplete group been waiting (0 if new)? */
static time_t
modem_pending_age(struct modem *m, const char *group, time_t now)
{
	struct modem_pending	*p;
	size_t			 i;

	for (i = 0; i < m->npending; i++) {
		if (strcmp(m->pending[i].group, group) == 0) {
			m->pending[i].seen = 1;
			return (now - m->pending[i].first_seen);
		}
	}
	m->pending = xreallocarray(m->pending, m->npending + 1,
	    sizeof *m->pending);
	p = &m->pending[m->npending++];
	modem_copy(p->group, sizeof p->group, group);
	p->first_seen = now;
	p->seen = 1;
	return (0);
}

/* Forget groups that are no longer stored (completed or deleted). */
static void
modem_pending_prune(struct modem *m)
{
	size_t	 i = 0;

	while (i < m->npending) {
		if (!m->pending[i].seen)
			m->pending[i] = m->pending[--m->npending];
		else
			m->pending[i++].seen = 0;
	}
}

static int
modem_group_distinct(const struct sms_part *parts, int n)
{
	int	 i, distinct = 0;

	for (i = 0; i < n; i++) {
		if (i == 0 || parts[i].number != parts[i - 1].number)
			distinct++;
	}
	return (distinct);
}

/*
 * Hand a group to the event loop, unless it is already on its way. The
 * message takes over the parts' data.
 */
static void
modem_offer(struct modem *m, struct sms_part *parts, int n, int flags)
{
	struct sms_message	*msg = xcalloc(1, sizeof *msg);
	struct sms_part		*own = xcalloc((size_t)n, sizeof *own);
	struct modem_record	 rec;

	memcpy(own, parts, (size_t)n * sizeof *own);
	sms_message_build(msg, own, n);
	msg->flags |= flags;
	if (modem_inflight_find(m, msg->key) >= 0) {
		sms_message_free(msg);
		free(msg);
		return;
	}
	m->inflight = xreallocarray(m->inflight, m->ninflight + 1,
	    sizeof *m->inflight);
	m->inflight[m->ninflight++] = xstrdup(msg->key);
	memset(&rec, 0, sizeof rec);
	rec.type = MODEM_REC_MESSAGE;
	rec.payload = msg;
	modem_record_send(m, &rec);
}

/*
 * Offer one message's parts if complete, or if incomplete and they have
 * waited long enough; copy tells apart messages that share a reference.
 */
static void
modem_group_one(struct modem *m, struct sms_part *parts, int n, int copy,
    time_t now, unsigned int timeout)
{
	char	 group[SMS_KEY_MAX + 96];
	size_t	 len;
	time_t	 age;
	int	 i;

	if (modem_group_distinct(parts, n) < parts[0].total) {
		sms_group_key(&parts[0], group, sizeof group);
		len = strlen(group);
		snprintf(group + len, sizeof group - len, "#%d", copy);
		age = modem_pending_age(m, group, now);
		if (age == 0) {
			/*
			 * First sight since start: these may be the parts
			 * left over by a crash between commit and delete.
			 * Ask the ledger; it answers "delete" only if it
			 * holds every one of them.
			 */
			log_debug("modem=%s concat_ref=%d parts=%d/%d waiting "
			    "for the rest (up to %us)", m->name,
			    parts[0].concat_ref, modem_group_distinct(parts, n),
			    parts[0].total, timeout);
			modem_offer(m, parts, n, SMS_FLAG_WAITING);
			return;
		}
		if (age < (time_t)timeout) {
			for (i = 0; i < n; i++)
				free(parts[i].data);
			return;
		}
		log_info("modem=%s concat_ref=%d parts=%d/%d waited=%llds: "
		    "ingesting as partial", m->name, parts[0].concat_ref,
		    modem_group_distinct(parts, n), parts[0].total,
		    (long long)age);
	}
	modem_offer(m, parts, n, 0);
}

/* Offer the messages of a group of parts that share a group key. */
static void
modem_group(struct modem *m, struct sms_part *parts, int n, time_t now,
    unsigned int timeout)
{
	int	*copies, ncopies, k;

	if (parts[0].concat_ref < 0 || parts[0].total <= 1) {
		modem_group_one(m, parts, n, 0, now, timeout);
		return;
	}
	copies = xcalloc((size_t)n + 1, sizeof *copies);
	ncopies = sms_split_copies(parts, n, copies);
	if (ncopies > 1)
		log_info("modem=%s concat_ref=%d: %d messages share the "
		    "reference; told apart by time", m->name,
		    parts[0].concat_ref, ncopies);
	for (k = 0; k < ncopies; k++)
		modem_group_one(m, parts + copies[k], copies[k + 1] - copies[k],
		    k, now, timeout);
	free(copies);
}

/* The parts [start, end) of one group, with its earliest time and place. */
struct modem_range {
	int	 start, end;
	time_t	 first;
	int	 folder, location;
};

static void
modem_group_range(struct modem_range *g, const struct sms_part *parts,
    int start, int end)
{
	int	 i;

	g->start = start;
	g->end = end;
	g->first = parts[start].smsc_time;
	g->folder = parts[start].folder;
	g->location = parts[start].location;
	for (i = start + 1; i < end; i++) {
		if (parts[i].smsc_time < g->first)
			g->first = parts[i].smsc_time;
		if (parts[i].folder < g->folder || (parts[i].folder ==
		    g->folder && parts[i].location < g->location)) {
			g->folder = parts[i].folder;
			g->location = parts[i].location;
		}
	}
}

static int
modem_group_cmp(const void *x, const void *y)
{
	const struct modem_range	*a = x, *b = y;

	if (a->first != b->first)
		return (a->first < b->first ? -1 : 1);
	if (a->folder != b->folder)
		return (a->folder < b->folder ? -1 : 1);
	return (a->location < b->location ? -1 : a->location > b->location);
}

/*
 * Worker: one poll of the inbox. Each complete message goes to the event
 * loop exactly once per reading; it is deleted only when the event loop
 * answers that it is committed (modem_sms_jobs).
 */
int
modem_sms_poll(struct modem *m, char **cause)
{
	struct modem_inbox	 in = { NULL, 0 };
	char			 a[SMS_KEY_MAX + 80], b[SMS_KEY_MAX + 80];
	struct modem_range	*groups;
	unsigned int		 timeout;
	time_t			 now = modem_monotonic();
	int			 i, start, rc, ngroups = 0;

	pthread_mutex_lock(&m->lock);
	timeout = m->opts.multipart_timeout;
	pthread_mutex_unlock(&m->lock);
	rc = modem_read_all(m, &in, cause);
	if (rc == 0 && in.nparts > 0) {
		qsort(in.parts, (size_t)in.nparts, sizeof *in.parts,
		    sms_part_cmp);
		groups = xcalloc((size_t)in.nparts, sizeof *groups);
		for (start = 0, i = 1; i <= in.nparts; i++) {
			if (i < in.nparts && strcmp(sms_group_key(&in.parts[i],
			    a, sizeof a), sms_group_key(&in.parts[start], b,
			    sizeof b)) == 0)
				continue;
			modem_group_range(&groups[ngroups++], in.parts, start,
			    i);
			start = i;
		}
		/* A reporter's messages are read in the order they came. */
		qsort(groups, (size_t)ngroups, sizeof *groups,
		    modem_group_cmp);
		for (i = 0; i < ngroups; i++)
			modem_group(m, in.parts + groups[i].start,
			    groups[i].end - groups[i].start, now, timeout);
		free(groups);
	} else {
		for (i = 0; i < in.nparts; i++)
			free(in.parts[i].data);
	}
	free(in.parts);
	modem_pending_prune(m);
	return (rc);
}

/* Delete every part of a committed message. */
static int
modem_delete_message(struct modem *m, struct sms_message *msg, char **cause)
{
	int	 i, rc = 0;

	for (i = 0; i < msg->nparts && rc == 0; i++) {
		if (modem_delete(m, msg->parts[i].folder,
		    msg->parts[i].location, cause) < 0)
			rc = -1;
	}
	log_debug("modem=%s message=%s parts=%d deleted=%s", m->name,
	    msg->key, msg->nparts, rc == 0 ? "yes" : "no");
	return (rc);
}

static int
modem_encode(struct modem *m, const char *text, GSM_MultiSMSMessage *msms,
    char **cause)
{
	GSM_MultiPartSMSInfo	 info;
	unsigned char		*ucs2;
	size_t			 len = strlen(text);
	GSM_Error		 err;
	char			 buf[160];

	ucs2 = xcalloc(len + 1, 4);
	DecodeUTF8(ucs2, text, len);
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	info.UnicodeCoding = sms_gsm7_compatible(text) ? FALSE : TRUE;
	info.Entries[0].ID = SMS_ConcatenatedTextLong;
	info.Entries[0].Buffer = ucs2;
	memset(msms, 0, sizeof *msms);
	err = GSM_EncodeMultiPartSMS(GSM_GetDebug(m->gsm), &info, msms);
	free(ucs2);
	if (err != ERR_NONE) {
		xasprintf(cause, "cannot encode: %s",
		    modem_gsm_error(err, buf, sizeof buf));
		return (-1);
	}
	return (0);
}

/* Send one part and wait for the network's answer. */
static int
modem_send_part(struct modem *m, GSM_SMSMessage *sms, int *reference,
    char **cause)
{
	GSM_Error	 err;
	time_t		 until;
	char		 buf[160];

	m->send_status = -2;
	modem_busy(m, 1);
	err = GSM_SendSMS(m->gsm, sms);
	until = modem_monotonic() + MODEM_SEND_TIMEOUT;
	while (err == ERR_NONE && m->send_status == -2 &&
	    modem_monotonic() < until)
		GSM_ReadDevice(m->gsm, TRUE);
	modem_busy(m, 0);
	if (err != ERR_NONE) {
		xasprintf(cause, "%s", modem_gsm_error(err, buf, sizeof buf));
		return (modem_error_fatal(err) ? -2 : -1);
	}
	if (m->send_status == -2) {
		xasprintf(cause, "no answer from the network in %ds",
		    MODEM_SEND_TIMEOUT);
		return (-1);
	}
	if (m->send_status != 0) {
		xasprintf(cause, "refused by the network (status %d)",
		    m->send_status);
		return (-1);
	}
	m->ws.last_contact = time(NULL);
	*reference = m->send_reference;
	return (0);
}

/*
 * Send a job's text: GSM 7-bit when every character allows it, else
 * UCS-2; concatenated parts when it is long. Returns -1 only when the
 * connection failed (the worker then reconnects).
 */
static int
modem_send_job(struct modem *m, struct modem_job *job, char **cause)
{
	GSM_MultiSMSMessage	 msms;
	struct modem_record	 rec;
	char			*why = NULL;
	int			 i, rc = 0, reports;

	pthread_mutex_lock(&m->lock);
	reports = m->opts.delivery_reports;
	pthread_mutex_unlock(&m->lock);
	job->result.reference = -1;
	if (modem_encode(m, job->text, &msms, &why) == 0) {
		for (i = 0; i < msms.Number && rc == 0; i++) {
			msms.SMS[i].SMSC.Location = 1;
			EncodeUnicode(msms.SMS[i].Number, job->number,
			    strlen(job->number));
			msms.SMS[i].PDU = reports ? SMS_Status_Report :
			    SMS_Submit;
			rc = modem_send_part(m, &msms.SMS[i],
			    &job->result.reference, &why);
			/* Each part's reference: each has its own report. */
			if (rc == 0 && job->result.nreferences <
			    MODEM_MAX_REFERENCES)
				job->result.references[
				    job->result.nreferences++] =
				    job->result.reference;
		}
		job->result.parts = i;
		job->result.ok = rc == 0;
	}
	if (why != NULL)
		modem_copy(job->result.error, sizeof job->result.error, why);
	if (rc == -2)
		*cause = why;
	else
		free(why);
	memset(&rec, 0, sizeof rec);
	rec.type = MODEM_REC_SENT;
	rec.payload = job;
	modem_record_send(m, &rec);
	return (rc == -2 ? -1 : 0);
}

/*
 * Worker: do what the event loop asked: delete committed messages, forget
 * uncommitted ones (they are offered again), send. -1 if the connection
 * failed; the unfinished job is kept for after the reconnect.
 */
int
modem_sms_jobs(struct modem *m, char **cause)
{
	struct modem_job	*job;
	int			 rc;

	while ((job = modem_job_pop(m)) != NULL) {
		switch (job->type) {
		case MODEM_JOB_DELETE:
			if (modem_delete_message(m, job->msg, cause) != 0) {
				modem_job_requeue(m, job);
				return (-1);
			}
			modem_inflight_remove(m, job->msg->key);
			break;
		case MODEM_JOB_KEEP:
			modem_inflight_remove(m, job->msg->key);
			break;
		case MODEM_JOB_SEND:
			rc = modem_send_job(m, job, cause);
			if (rc != 0)
				return (-1);
			continue;	/* the event loop frees it */
		}
		modem_job_free(job);
	}
	return (0);
}

/* Worker: report the calls the callback saw, hanging up if configured. */
void
modem_sms_calls(struct modem *m)
{
	struct modem_record	 rec;
	struct modem_call_rec	*c;
	int			 i, hangup;

	if (m->ncalls == 0)
		return;
	pthread_mutex_lock(&m->lock);
	hangup = m->opts.hangup_calls;
	pthread_mutex_unlock(&m->lock);
	if (hangup) {
		modem_busy(m, 1);
		if (GSM_CancelCall(m->gsm, 0, TRUE) != ERR_NONE)
			hangup = 0;
		modem_busy(m, 0);
	}
	for (i = 0; i < m->ncalls; i++) {
		c = xcalloc(1, sizeof *c);
		*c = m->calls[i];
		c->hung_up = hangup;
		memset(&rec, 0, sizeof rec);
		rec.type = MODEM_REC_CALL;
		rec.payload = c;
		modem_record_send(m, &rec);
	}
	m->ncalls = 0;
}

/*
 * Worker: forget what was in flight and pending after a disconnect. An
 * uncommitted message is simply read again; a committed one is known to
 * the ledger by its keys and only deleted.
 */
void
modem_sms_reset(struct modem *m)
{
	size_t	 i;

	for (i = 0; i < m->ninflight; i++)
		free(m->inflight[i]);
	free(m->inflight);
	m->inflight = NULL;
	m->ninflight = 0;
	m->ncalls = 0;
}
