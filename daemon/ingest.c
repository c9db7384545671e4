/*
 * Intake: the one place that chains the steps from a received message to
 * the ledger, one way: read the conversation's context once, understand
 * (understand.c), plan (converse.c, pure), commit once: raw message, its
 * parts' keys, the reporter, the tip's transition and the replies, in
 * one transaction before the modem may delete it. A message whose parts
 * the ledger already holds is recognised and only deleted.
 */
#include "config.h"


#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/converse.h"
#include "tipgw/gazetteer.h"
#include "tipgw/ingest.h"
#include "tipgw/log.h"
#include "tipgw/modem.h"
#include "tipgw/pin.h"
#include "tipgw/route.h"
#include "tipgw/sender.h"
#include "tipgw/sms.h"
#include "tipgw/store.h"
#include "tipgw/template.h"
#include "tipgw/tip_state.h"
#include "tipgw/tipgw.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"

struct ingest {
	struct store			 *store;
	char				**service;
	size_t				  nservice;
	const struct understand		 *u;
	const struct templates		 *templates;
	unsigned int			  reply_limit;	/* a day, a number */
	unsigned int			  inbound_limit; /* tips an hour */
	int				  missed_call_sms;
	const struct pin_key		 *pin_key;
	/*
	 * Messages that failed to commit, to log a stuck one less often
	 * however many are stuck; forgotten once committed.
	 */
	struct ingest_failed		 *failed;
	size_t				  nfailed;
	/*
	 * Inside a batch, what became of each message is known only when
	 * the batch commits: kept until then, dropped if it does not (each
	 * is then tried alone).
	 */
	int				  batch;
	struct ingest_outcome		 *pending;
	size_t				  npending;
	time_t				  busy_until;	/* a lock elsewhere */
};

struct ingest_outcome {
	char		 key[SMS_KEY_MAX];
	char		*modem;
	char		*cause;		/* NULL: committed */
	time_t		 at;
};

struct ingest_failed {
	char		 key[SMS_KEY_MAX];
	unsigned int	 tries;
	time_t		 last;
};

#define INGEST_FAILED_MAX	4096	/* then the oldest is forgotten */
#define INGEST_BUSY_PAUSE	1	/* s without a try after a lock */

/* How many times in a row this message has failed to commit. */
static unsigned int
ingest_failure(struct ingest *ig, const char *key, time_t now)
{
	struct ingest_failed	*f;
	size_t			 i, oldest = 0;

	for (i = 0; i < ig->nfailed; i++) {
		f = &ig->failed[i];
		if (strcmp(f->key, key) == 0) {
			f->last = now;
			return (++f->tries);
		}
		if (f->last < ig->failed[oldest].last)
			oldest = i;
	}
	if (ig->nfailed < INGEST_FAILED_MAX) {
		ig->failed = xreallocarray(ig->failed, ig->nfailed + 1,
		    sizeof *ig->failed);
		i = ig->nfailed++;
	} else
		i = oldest;
	f = &ig->failed[i];
	snprintf(f->key, sizeof f->key, "%s", key);
	f->last = now;
	return (f->tries = 1);
}

/* A message committed at last: forget its failures. */
static void
ingest_success(struct ingest *ig, const char *key)
{
	size_t	 i;

	for (i = 0; i < ig->nfailed; i++) {
		if (strcmp(ig->failed[i].key, key) == 0) {
			ig->failed[i] = ig->failed[--ig->nfailed];
			return;
		}
	}
}

/*
 * What became of a message: committed (cause NULL), its failures are
 * forgotten; not, it is logged on its 1st, 2nd, 4th, 8th ... try.
 */
static void
ingest_settle(struct ingest *ig, const char *modem, const char *key,
    time_t at, const char *cause)
{
	unsigned int	 n;

	if (cause == NULL) {
		ingest_success(ig, key);
		return;
	}
	n = ingest_failure(ig, key, at);
	if ((n & (n - 1)) == 0)
		log_warnx("ingest: modem=%s message=%s not committed (try %u): "
		    "%s; it stays on the modem and is tried again", modem, key,
		    n, cause);
}

/* The same, or inside a batch, once the batch's fate is known. */
static void
ingest_outcome(struct ingest *ig, const char *modem, const char *key,
    time_t at, const char *cause)
{
	struct ingest_outcome	*o;

	if (!ig->batch) {
		ingest_settle(ig, modem, key, at, cause);
		return;
	}
	ig->pending = xreallocarray(ig->pending, ig->npending + 1,
	    sizeof *ig->pending);
	o = &ig->pending[ig->npending++];
	snprintf(o->key, sizeof o->key, "%s", key);
	o->modem = xstrdup(modem);
	o->cause = cause != NULL ? xstrdup(cause) : NULL;
	o->at = at;
}

/* A batch of messages begins (store_batch_begin). */
void
ingest_batch_begin(struct ingest *ig)
{
	ig->batch = 1;
}

/*
 * The batch committed, or did not: what its messages came to counts, or
 * is forgotten (each is tried again alone, and counts then).
 */
void
ingest_batch_end(struct ingest *ig, int committed)
{
	struct ingest_outcome	*o;
	size_t			 i;

	ig->batch = 0;
	for (i = 0; i < ig->npending; i++) {
		o = &ig->pending[i];
		if (committed)
			ingest_settle(ig, o->modem, o->key, o->at, o->cause);
		free(o->modem);
		free(o->cause);
	}
	free(ig->pending);
	ig->pending = NULL;
	ig->npending = 0;
}

/* At most this many new tips an hour from one number (0: no limit). */
void
ingest_set_inbound_limit(struct ingest *ig, unsigned int limit)
{
	ig->inbound_limit = limit;
}

/* Text a caller how to send a tip after a missed call (once a day). */
void
ingest_set_missed_call_sms(struct ingest *ig, int on)
{
	ig->missed_call_sms = on;
}

/* At most this many replies a day to one number (0: no limit). */
void
ingest_set_reply_limit(struct ingest *ig, unsigned int limit)
{
	ig->reply_limit = limit;
}

/* Use this understanding and these templates (owned by the caller). */
void
ingest_set_understanding(struct ingest *ig, const struct understand *u,
    const struct templates *t)
{
	ig->u = u;
	ig->templates = t;
}

/* The key PINs are hashed with (owned by the caller). */
void
ingest_set_pin_key(struct ingest *ig, const struct pin_key *k)
{
	ig->pin_key = k;
}

/* Set up intake on a ledger, with the service sender patterns. */
struct ingest *
ingest_new(struct store *st, const char *service_senders)
{
	struct ingest	*ig = xcalloc(1, sizeof *ig);

	ig->store = st;
	ingest_set_service(ig, service_senders);
	return (ig);
}

static void
ingest_service_free(struct ingest *ig)
{
	size_t	 i;

	for (i = 0; i < ig->nservice; i++)
		free(ig->service[i]);
	free(ig->service);
	ig->service = NULL;
	ig->nservice = 0;
}

/* Replace the service sender patterns (on reload). */
void
ingest_set_service(struct ingest *ig, const char *service_senders)
{
	ingest_service_free(ig);
	ig->nservice = sender_patterns_split(service_senders, &ig->service);
}

/* Free the intake state (not the ledger). */
void
ingest_free(struct ingest *ig)
{
	if (ig == NULL)
		return;
	ingest_service_free(ig);
	ingest_batch_end(ig, 0);
	free(ig->failed);
	free(ig);
}

static int
ingest_blank(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!isspace((unsigned char)*s))
			return (0);
	}
	return (1);
}

/* What becomes of a message: a tip, or kept only as a raw message. */
static const char *
ingest_disposition(struct ingest *ig, const struct sms_message *m,
    int *flags)
{
	*flags = m->flags;
	if (m->flags & SMS_FLAG_UNREADABLE)
		return ("unreadable");
	if (m->flags & SMS_FLAG_NOT_DELIVER)
		return ("ignored");
	if (sender_is_service(m->sender, ig->service, ig->nservice)) {
		*flags |= SMS_FLAG_SERVICE;
		return ("service");
	}
	if (m->flags & SMS_FLAG_BINARY)
		return ("binary");
	if (ingest_blank(m->text))
		return ("empty");
	return ("tip");
}

/*
 * The parts of m the ledger does not hold yet, as a message of their own;
 * NULL if it holds them all. *rest is set when some were already held (a
 * part that arrived after its message was ingested as partial). A part
 * stored twice on the SIM (the same key) is looked up and kept once,
 * however many copies there are: no part is left out of the commit that
 * the SIM then loses.
 */
static struct sms_message *
ingest_unknown_parts(struct ingest *ig, const struct sms_message *m,
    int *rest, char **cause)
{
	struct sms_message	*out;
	struct sms_part		*parts;
	const char		**keys;
	int			*known, *first, i, j, n = 0, nkeys = 0;

	keys = xcalloc((size_t)m->nparts + 1, sizeof *keys);
	known = xcalloc((size_t)m->nparts + 1, sizeof *known);
	first = xcalloc((size_t)m->nparts + 1, sizeof *first);
	for (i = 0; i < m->nparts; i++) {
		for (j = 0; j < nkeys; j++) {
			if (strcmp(keys[j], m->parts[i].key) == 0)
				break;
		}
		if (j == nkeys) {
			first[nkeys] = i;
			keys[nkeys++] = m->parts[i].key;
		}
	}
	parts = NULL;
	if (store_parts_known(ig->store, keys, nkeys, known, cause) == 0) {
		parts = xcalloc((size_t)nkeys + 1, sizeof *parts);
		for (j = 0; j < nkeys; j++) {
			if (known[j])
				continue;
			i = first[j];
			parts[n] = m->parts[i];
			parts[n].data = xmalloc(m->parts[i].len + 1);
			memcpy(parts[n].data, m->parts[i].data,
			    m->parts[i].len);
			n++;
		}
	}
	free(keys);
	free(known);
	free(first);
	if (parts == NULL)
		return (NULL);
	*rest = n != nkeys;
	if (n == 0) {
		free(parts);
		return (NULL);
	}
	out = xcalloc(1, sizeof *out);
	sms_message_build(out, parts, n);
	if (*rest)
		out->flags |= SMS_FLAG_PARTIAL;
	return (out);
}

static void
ingest_raw(struct store_raw *raw, const char *modem,
    const struct sms_message *m, const char *disposition, int flags,
    time_t now)
{
	int	 i;

	memset(raw, 0, sizeof *raw);
	raw->dedup_key = m->key;
	raw->modem = modem;
	raw->sender = m->sender;
	raw->smsc = m->smsc;
	raw->smsc_time = m->smsc_time;
	raw->received_at = now;
	raw->concat_ref = m->concat_ref;
	raw->parts_total = m->total;
	for (i = 0; i < m->nparts; i++) {
		if (i == 0 || m->parts[i].number != m->parts[i - 1].number)
			raw->parts_present++;
	}
	raw->coding = sms_coding_name(m->coding);
	raw->text = m->text;
	raw->raw_hex = m->raw_hex;
	raw->flags = flags;
	raw->disposition = disposition;
	raw->nparts = m->nparts;
	raw->parts = m->parts;
}

/*
 * The tip's text with its group's old text (the last time it appears)
 * replaced by the new; the new added at the end if the old is not there.
 */
static char *
ingest_splice(const char *tip, const char *old, const char *new)
{
	const char	*at = NULL, *p;
	char		*out;

	for (p = tip; *old != '\0' && (p = strstr(p, old)) != NULL; p++)
		at = p;
	if (at == NULL)
		xasprintf(&out, "%s\n%s", tip, new);
	else
		xasprintf(&out, "%.*s%s%s", (int)(at - tip), tip, new,
		    at + strlen(old));
	return (out);
}

/*
 * A late part of a concatenated message whose earlier parts went into a
 * tip (read into ctx): the tip's whole text again, the group's part of
 * it rebuilt in order with the parts still missing marked. NULL if m is
 * not one, or adds nothing.
 */
static char *
ingest_joined(const struct sms_message *m, const struct store_intake_ctx *ctx)
{
	const char	**texts;
	char		 *out = NULL, *old, *new;
	int		  i, k, added = 0;

	if (ctx->sibling.tip_id == 0 || ctx->sibling_total != m->total)
		return (NULL);
	texts = xcalloc((size_t)m->total, sizeof *texts);
	for (k = 0; k < m->total; k++)
		texts[k] = ctx->sibling_texts[k];
	for (i = 0; i < m->nparts; i++) {
		k = m->parts[i].number - 1;
		if (k < 0 || k >= m->total || texts[k] != NULL)
			continue;
		texts[k] = sms_part_text(&m->parts[i]);
		added++;
	}
	if (added > 0 && ctx->sibling.text != NULL) {
		old = sms_text_with_gaps((const char *const *)ctx->sibling_texts,
		    m->total);
		new = sms_text_with_gaps(texts, m->total);
		out = ingest_splice(ctx->sibling.text, old, new);
		free(old);
		free(new);
	}
	for (k = 0; k < m->total; k++) {
		if (texts[k] != ctx->sibling_texts[k])
			free((char *)texts[k]);
	}
	free(texts);
	return (out);
}

/*
 * A message that may be a tip, as a one-way pipeline: read what its
 * conversation needs from the ledger once (plain values), understand it,
 * plan (pure: converse.c). 0, or -1 if the ledger could not be read.
 */
static int
ingest_plan(struct ingest *ig, const struct sms_message *m, time_t now,
    struct understand_result *r, struct converse *c, char *code, char *pin,
    char **cause)
{
	struct store_intake_ctx		 ctx;
	struct store_intake_want	 w;
	struct understand_prior		 up;
	struct converse_in		 in;
	char				*norm = NULL, named[16], *joined;

	understand_command_code(ig->u, m->text, named, sizeof named);
	memset(&w, 0, sizeof w);
	w.sender = m->sender;
	w.code = named;
	w.concat_ref = m->concat_ref;
	w.parts_total = (m->flags & SMS_FLAG_PARTIAL) ? m->total : 0;
	w.hour_counts = ig->inbound_limit > 0;
	w.replies = ig->reply_limit > 0;
	w.queries = *named != '\0';
	w.now = now;
	if (store_intake_context(ig->store, &w, &ctx, cause) != 0)
		return (-1);
	memset(&in, 0, sizeof in);
	if ((joined = ingest_joined(m, &ctx)) != NULL) {
		/* A late part: its tip is the one its group made. */
		store_prior_clear(&ctx.prior);
		ctx.prior = ctx.sibling;
		memset(&ctx.sibling, 0, sizeof ctx.sibling);
		understand_joined(ig->u, joined, now, r);
	} else {
		converse_prior(ig->u, &ctx.prior, &up, &norm);
		understand_message(ig->u, m->text, now, &up, r);
	}
	pin_code(code, PIN_CODE_SIZE);
	pin_new(pin, PIN_SIZE);
	in.joined = joined;
	in.u = ig->u;
	in.templates = ig->templates;
	in.r = r;
	in.ctx = &ctx;
	in.text = m->text;
	in.raw_key = m->key;
	in.new_code = code;
	in.new_pin = pin;
	in.pin_key = ig->pin_key;
	in.now = now;
	in.reply_limit = ig->reply_limit;
	in.inbound_limit = ig->inbound_limit;
	converse_plan(&in, c);
	if (joined != NULL)	/* the plan points at it: the plan owns it */
		converse_keep(c, joined);
	free(norm);
	store_intake_context_clear(&ctx);
	return (0);
}

/*
 * What became of a message, in the log (its sender only at debug), once
 * it is committed: in a batch, when the batch is.
 */
static void
ingest_log(struct ingest *ig, const char *modem, const struct sms_message *m,
    const struct store_raw *raw, long long raw_id, const struct converse *c)
{
	char	 masked[32];

	store_log_committed(ig->store, 0, "raw=%lld modem=%s parts=%d/%d "
	    "coding=%s flags=0x%x "
	    "disposition=%s%s%s tip=%lld%s%s%s%s replies=%d", raw_id, modem,
	    raw->parts_present, m->total, raw->coding, raw->flags,
	    raw->disposition, c->su.reason ? ":" : "",
	    c->su.reason ? c->su.reason : "", c->tip.id,
	    c->is_tip ? " event=" : "",
	    c->is_tip ? tip_event_name(c->su.event) : "",
	    c->tip.township_code ? " township=" : "",
	    c->tip.township_code ? c->tip.township_code : "", c->su.nreplies);
	log_debug("raw=%lld sender=%s", raw_id,
	    log_mask_phone(m->sender, masked, sizeof masked));
	if (m->flags & SMS_FLAG_UNREADABLE)
		store_log_committed(ig->store, 1, "ingest: raw=%lld: a message "
		    "%s; recorded, and deleted from the modem", raw_id,
		    m->text);
	if (c->flood_first)
		store_log_committed(ig->store, 1, "ingest: raw=%lld: the sender "
		    "sent %u tips within an hour; more are kept but not acted "
		    "on", raw_id, ig->inbound_limit);
	if (c->limited > 0)
		store_log_committed(ig->store, 1, "raw=%lld: %d reply held "
		    "back: the sender had its %u replies of the day", raw_id,
		    c->limited, ig->reply_limit);
}

static int
ingest_commit(struct ingest *ig, const char *modem,
    const struct sms_message *m, time_t now)
{
	struct store_raw		 raw;
	struct understand_result	 r;
	struct converse			 c;
	const char			*disposition;
	char				*cause = NULL;
	char				 code[PIN_CODE_SIZE], pin[PIN_SIZE];
	long long			 raw_id = 0;
	int				 flags, stored = 0;

	memset(&r, 0, sizeof r);
	memset(&c, 0, sizeof c);
	disposition = ingest_disposition(ig, m, &flags);
	if (strcmp(disposition, "tip") == 0 && ig->u == NULL) {
		c.is_tip = 1;		/* nothing to understand it with */
		c.tip.channel = (char *)"sms";
		c.tip.text = m->text;
		c.su.event = TIP_EV_KEEP;
	} else if (strcmp(disposition, "tip") == 0) {
		if (ingest_plan(ig, m, now, &r, &c, code, pin, &cause) != 0)
			goto fail;
		disposition = c.disposition;
	}
	ingest_raw(&raw, modem, m, disposition, flags, now);
	if (c.is_tip)
		c.tip.received_at = now;
	if (store_intake_full(ig->store, &raw, c.is_tip ? &c.tip : NULL,
	    &c.su, &raw_id, &stored, &cause) != 0)
		goto fail;
	ingest_log(ig, modem, m, &raw, raw_id, &c);
	ingest_outcome(ig, modem, m->key, now, NULL);
	converse_free(&c);
	understand_free(&r);
	return (0);
fail:
	if (store_busy(ig->store))
		ig->busy_until = now + INGEST_BUSY_PAUSE;
	ingest_outcome(ig, modem, m->key, now, cause);
	free(cause);
	converse_free(&c);
	understand_free(&r);
	return (-1);
}

/*
 * Another process holds the ledger (a batch could not begin): no message
 * is tried for INGEST_BUSY_PAUSE, so the loop does not wait on the lock
 * once for each.
 */
void
ingest_pause(struct ingest *ig, time_t now)
{
	ig->busy_until = now + INGEST_BUSY_PAUSE;
}

/*
 * Commit a message from a modem. 0: it is in the ledger (now or
 * already), so the modem may delete it; -1: it is not, keep it. A
 * message still waiting for parts is never committed here: 0 only when
 * the ledger already holds all its parts (left over by a crash).
 */
int
ingest_sms(struct ingest *ig, const char *modem, const struct sms_message *m,
    time_t now)
{
	struct sms_message	*todo;
	char			*cause = NULL;
	int			 rest = 0, rc;

	if (now < ig->busy_until) {
		/* Another process holds the ledger: not now, from the loop. */
		log_debug("ingest: modem=%s message=%s: the ledger is locked; "
		    "tried again later", modem, m->key);
		return (-1);
	}
	todo = ingest_unknown_parts(ig, m, &rest, &cause);
	if ((m->flags & SMS_FLAG_WAITING) && (todo != NULL || cause != NULL)) {
		if (todo != NULL)
			sms_message_free(todo);
		free(todo);
		free(cause);
		return (-1);
	}
	if (todo == NULL) {
		if (cause != NULL) {
			log_warnx("ingest: modem=%s message=%s: %s", modem,
			    m->key, cause);
			free(cause);
			return (-1);
		}
		log_info("ingest: modem=%s message=%s parts=%d already in the "
		    "ledger; deleting it from the modem", modem, m->key,
		    m->nparts);
		return (0);
	}
	if (rest)
		log_info("ingest: modem=%s message=%s: %d of %d parts are "
		    "new; ingesting them as a partial message", modem, m->key,
		    todo->nparts, m->nparts);
	rc = ingest_commit(ig, modem, todo, now);
	sms_message_free(todo);
	free(todo);
	return (rc);
}

/* Record a delivery report against the message it reports on. */
void
ingest_report(struct ingest *ig, const char *modem,
    const struct modem_report *r)
{
	char		*cause = NULL;
	long long	 sent_id = 0;

	if (store_delivery_report(ig->store, modem, r->recipient, r->reference,
	    r->at, r->delivered, r->status, &sent_id, &cause) != 0) {
		log_warnx("ingest: modem=%s delivery report: %s", modem, cause);
		free(cause);
		return;
	}
	if (sent_id == 0)
		log_info("ingest: modem=%s reference=%d delivery report for no "
		    "message we know", modem, r->reference);
	else
		log_info("sms_sent=%lld modem=%s reference=%d delivery=%s",
		    sent_id, modem, r->reference, r->delivered == 1 ?
		    "delivered" : r->delivered == 0 ? "failed" : "pending");
}

/*
 * After a call to the hotline SIM, how to text a tip, planned as a
 * message is (converse_call): at most once a day to a number, never to
 * one that opted out, within the daily reply limit. 0, or -1 if the
 * ledger could not be read.
 */
static int
ingest_howto(struct ingest *ig, const char *modem, const char *caller,
    time_t at, struct converse *c, char **cause)
{
	struct store_intake_want w;
	struct store_intake_ctx	 ctx;
	struct converse_in	 in;
	char			 key[96];

	memset(c, 0, sizeof *c);
	if (!ig->missed_call_sms || ig->templates == NULL ||
	    !tipgw_phone_valid(caller) ||
	    sender_is_service(caller, ig->service, ig->nservice))
		return (0);
	memset(&w, 0, sizeof w);
	w.sender = caller;
	w.replies = ig->reply_limit > 0;
	w.howto = 1;
	w.now = at;
	if (store_intake_context(ig->store, &w, &ctx, cause) != 0)
		return (-1);
	memset(&in, 0, sizeof in);
	in.u = ig->u;
	in.templates = ig->templates;
	in.ctx = &ctx;
	in.now = at;
	in.reply_limit = ig->reply_limit;
	snprintf(key, sizeof key, "howto:%s:%lld", modem, (long long)at);
	converse_call(&in, c, key);
	store_intake_context_clear(&ctx);
	return (0);
}

/* Record a call to the hotline SIM, and the how-to SMS it calls for. */
void
ingest_call(struct ingest *ig, const char *modem, const char *caller,
    time_t at, int hung_up)
{
	struct converse	 c;
	char		*cause = NULL, masked[32];
	long long	 id = 0;

	if (ingest_howto(ig, modem, caller, at, &c, &cause) != 0 ||
	    store_call_add(ig->store, modem, caller, at, hung_up, &c.su, &id,
	    &cause) != 0) {
		log_warnx("ingest: modem=%s call not recorded: %s", modem,
		    cause);
		free(cause);
		converse_free(&c);
		return;
	}
	log_info("call=%lld modem=%s hung_up=%s; a call-back task "
	    "(tipgwctl calls)", id, modem, hung_up ? "yes" : "no");
	log_debug("call=%lld caller=%s", id,
	    log_mask_phone(caller, masked, sizeof masked));
	if (c.su.nreplies > 0)
		log_info("call=%lld: how-to SMS queued", id);
	else if (c.su.reason != NULL)
		log_info("call=%lld: no how-to SMS (%s)", id, c.su.reason);
	converse_free(&c);
}

/* Place a hotline tip in the township the operator chose. */
static int
ingest_hotline_township(struct ingest *ig, const char *township,
    struct understand_result *r, char **cause)
{
	int	 t;

	if (township == NULL)
		return (0);
	if ((t = gazetteer_township(ig->u->gz, township)) < 0) {
		xasprintf(cause, "no township %s in the gazetteer (GET "
		    "/api/v1/townships)", township);
		return (1);
	}
	if (r->route.township != t) {
		r->route.status = ROUTE_TOWNSHIP;
		r->route.township = t;
		r->route.village = -1;
	}
	r->route.ncandidates = 0;
	r->needs_followup = 0;
	r->action = UNDERSTAND_NEW_TIP;	/* whatever the words read as */
	return (0);
}

/*
 * A tip a hotline operator entered through the API: understood, placed
 * and acknowledged as an SMS tip is, kept as a message of the "hotline"
 * with the operator as the tip's creator, in one commit. 0 with code and
 * pin set (the operator reads them to the caller), 1 when the request
 * cannot be met (cause says why), -1 on a ledger error.
 */
int
ingest_hotline(struct ingest *ig, const struct ingest_hotline *h, time_t now,
    char *code, char *pin, char **cause)
{
	struct store_intake_ctx		 ctx;
	struct store_intake_want	 w;
	struct understand_prior		 up;
	struct understand_result	 r;
	struct converse_in		 in;
	struct converse			 c;
	struct store_raw		 raw;
	char				 key[64];
	long long			 raw_id = 0;
	int				 rc, stored = 0;

	if (ig->u == NULL || ig->templates == NULL) {
		xasprintf(cause, "the lexicon or the templates are not loaded");
		return (-1);
	}
	memset(&w, 0, sizeof w);
	w.sender = h->phone != NULL ? h->phone : "";
	w.now = now;
	if (store_intake_context(ig->store, &w, &ctx, cause) != 0)
		return (-1);
	memset(&up, 0, sizeof up);
	up.township = -1;
	memset(&r, 0, sizeof r);
	understand_message(ig->u, h->text, now, &up, &r);
	if ((rc = ingest_hotline_township(ig, h->township, &r, cause)) != 0) {
		understand_free(&r);
		store_intake_context_clear(&ctx);
		return (rc);
	}
	pin_code(code, PIN_CODE_SIZE);
	pin_new(pin, PIN_SIZE);
	memset(&in, 0, sizeof in);
	in.u = ig->u;
	in.templates = ig->templates;
	in.r = &r;
	in.ctx = &ctx;
	in.text = h->text;
	in.raw_key = key;
	in.new_code = code;
	in.new_pin = pin;
	in.pin_key = ig->pin_key;
	in.now = now;
	/* The code is new and unique: the entry's key whoever enters it. */
	snprintf(key, sizeof key, "hotline:%s", code);
	converse_hotline(&in, &c, h->ack && h->phone != NULL);
	memset(&raw, 0, sizeof raw);
	raw.dedup_key = key;
	raw.modem = "hotline";
	raw.sender = w.sender;
	raw.received_at = now;
	raw.parts_total = 1;
	raw.parts_present = 1;
	raw.coding = "hotline";
	raw.text = h->text;
	raw.disposition = "tip";
	raw.user = h->user;
	rc = store_intake_full(ig->store, &raw, &c.tip, &c.su, &raw_id,
	    &stored, cause);
	if (rc == 0 && !stored) {
		/* Never: a new code's key. Said rather than lost. */
		xasprintf(cause, "hotline entry %s was not stored", key);
		rc = -1;
	}
	if (rc == 0)
		log_info("raw=%lld modem=hotline user=%s tip=%s event=%s%s%s "
		    "replies=%d", raw_id, h->user, code,
		    tip_event_name(c.su.event),
		    c.tip.township_code ? " township=" : "",
		    c.tip.township_code ? c.tip.township_code : "",
		    c.su.nreplies);
	converse_free(&c);
	understand_free(&r);
	store_intake_context_clear(&ctx);
	return (rc == 0 ? 0 : -1);
}
