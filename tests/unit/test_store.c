/*
 * store.c: migrations from empty, idempotent re-open, gazetteer import,
 * offices, tips, the append-only audit log, read-only opening.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "tipgw/division.h"
#include "tipgw/store.h"
#include "tipgw/xmalloc.h"

#include "../../daemon/store_int.h"

#define NOW	((time_t)1795000000)

static char	*dbpath;

/* Ask SQLite directly: what the ledger holds, not what store.c says. */
static long long
sql_int(const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	long long	 v = -1;

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return (-1);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	} else
		tap_diag("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
	return (v);
}

static const char *
sql_text(const char *sql, char *buf, size_t len)
{
	sqlite3		*db;
	sqlite3_stmt	*s;

	snprintf(buf, len, "(error)");
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return (buf);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			snprintf(buf, len, "%s", sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return (buf);
}

static int
sql_exec(const char *sql)
{
	sqlite3	*db;
	int	 rc;

	if (sqlite3_open(dbpath, &db) != SQLITE_OK)
		return (-1);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return (rc == SQLITE_OK ? 0 : -1);
}

/*
 * What the log says meanwhile: stderr (where the log goes in the
 * foreground) into a file from log_begin until log_end, which reads it.
 */
static int	 log_saved = -1;
static char	 log_text[4096];

static void
log_begin(void)
{
	char	*path;
	int	 fd;

	xasprintf(&path, "%s/log", tap_tempdir());
	fflush(stderr);
	log_saved = dup(2);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) != -1) {
		dup2(fd, 2);
		close(fd);
	}
	free(path);
}

static const char *
log_end(void)
{
	ssize_t	 n;

	fflush(stderr);
	n = pread(2, log_text, sizeof log_text - 1, 0);
	log_text[n > 0 ? n : 0] = '\0';
	dup2(log_saved, 2);
	close(log_saved);
	return (log_text);
}

static void
load_division(struct division *d)
{
	static const char streets[] =
	    "code,name,areaCode,provinceCode,cityCode\n"
	    "411724100,\"铜钟镇\",411724,41,4117\n"
	    "411724101,\"陡沟镇\",411724,41,4117\n";
	static const char villages[] =
	    "code,name,streetCode,provinceCode,cityCode,areaCode\n"
	    "411724100200,\"胡庄村民委员会\",411724100,41,4117,411724\n"
	    "411724101201,\"魏庄村民委员会\",411724101,41,4117,411724\n"
	    "411724101202,\"岚田村民委员会\",411724101,41,4117,411724\n";
	char	*cause = NULL;

	memset(d, 0, sizeof *d);
	if (division_parse_streets(d, "s", streets, sizeof streets - 1, NULL,
	    &cause) != 0 || division_parse_villages(d, "v", villages,
	    sizeof villages - 1, NULL, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
}

static void
test_open(void)
{
	struct store	*st;
	char		*cause = NULL, buf[32];

	st = store_open(dbpath, 0, &cause);
	if (!ok(st != NULL, "open creates the ledger")) {
		tap_diag("%s", cause);
		exit(1);
	}
	is_int(store_schema_version(st), 22, "migrated to schema 22");
	ok(store_ping(st, &cause) == 0, "ping answers");
	store_close(st);
	is_str(sql_text("PRAGMA journal_mode", buf, sizeof buf), "wal",
	    "the ledger is in WAL mode");
}

static void
test_reopen(void)
{
	struct store	*st;
	char		*cause = NULL;

	st = store_open(dbpath, 0, &cause);
	ok(st != NULL, "re-open of a migrated ledger works");
	is_int(store_schema_version(st), 22, "still schema 22");
	store_close(st);
	is_int(sql_int("SELECT count(*) FROM sqlite_master WHERE type = "
	    "'table' AND name = 'tips'"), 1, "tips table exists once");
}

static void
test_gazetteer(struct store *st)
{
	struct division			 d;
	struct store_import_counts	 c;
	char				*cause = NULL;

	load_division(&d);
	ok(store_gazetteer_import(st, &d, NOW, "test", &c, &cause) == 0,
	    "gazetteer import");
	is_int(c.townships, 2, "two townships imported");
	is_int(c.villages, 3, "three villages imported");
	is_int(c.villages_total, 3, "ledger has three villages");
	ok(store_gazetteer_import(st, &d, NOW, "test", &c, &cause) == 0,
	    "importing again works (upsert)");
	is_int(c.townships_total, 2, "still two townships");
	is_int(sql_int("SELECT count(*) FROM villages WHERE township_code = "
	    "'411724101'"), 2, "villages linked to their township");
	is_int(sql_int("SELECT count(*) FROM events WHERE action = "
	    "'gazetteer.import'"), 2, "each import audited");

	/* A village whose township is missing: all or nothing. */
	free(d.villages[0].name);
	d.villages[0].name = xstrdup("改名村");
	memcpy(d.villages[2].township_code, "411724999", 9);
	ok(store_gazetteer_import(st, &d, NOW, "test", &c, &cause) == -1,
	    "import with a foreign-key failure refused");
	ok(cause != NULL && strstr(cause, "FOREIGN KEY") != NULL,
	    "cause names the constraint");
	free(cause);
	is_int(sql_int("SELECT count(*) FROM villages WHERE name = '改名村'"),
	    0, "nothing of the failed import was kept");
	division_free(&d);
}

static void
test_offices(struct store *st)
{
	struct office			 o;
	struct store_office_change	 ch;
	char				 p1[] = "+8613900000001";
	char				 p2[] = "13900000002";
	char				 t1[] = "411724100";
	char				 t2[] = "411724101";
	char				 t3[] = "411724999";
	char				 name[] = "铜钟市场监管所";
	char				 second[] = "second";
	char				 hook[] = "http://127.0.0.1:9/hook";
	char				*phones[] = { p1, p2 };
	char				*towns[] = { t1 };
	char				*towns2[] = { t2 };
	char				*bad[] = { t3 };
	char				*cause = NULL;
	long long			 id = 0;

	memset(&o, 0, sizeof o);
	o.name = name;
	o.phones = phones;
	o.nphones = 2;
	o.townships = towns;
	o.ntownships = 1;
	o.webhook_url = hook;
	ok(store_office_add(st, &o, NOW, "test", &id, &cause) == 0,
	    "office added");
	ok(id > 0, "office id returned");
	is_int(sql_int("SELECT count(*) FROM office_phones"), 2, "two phones");
	is_int(sql_int("SELECT office_id FROM townships WHERE code = "
	    "'411724100'"), id, "township assigned");

	o.name = second;
	o.phones = NULL;
	o.nphones = 0;
	ok(store_office_add(st, &o, NOW, "test", &id, &cause) == 1,
	    "a township belongs to one office (refused: 1)");
	is_str(cause, "township 411724100 already belongs to office "
	    "'铜钟市场监管所'", "message names the owner");
	free(cause);
	is_int(sql_int("SELECT count(*) FROM offices"), 1, "failed add kept "
	    "nothing");
	o.townships = bad;
	ok(store_office_add(st, &o, NOW, "test", &id, &cause) == 1,
	    "unknown township refused");
	ok(cause && strstr(cause, "not in the gazetteer"), "says why");
	free(cause);

	memset(&ch, 0, sizeof ch);
	ch.email = "tz@example.org";
	ch.webhook_url = "";
	ch.townships = towns2;
	ch.ntownships = 1;
	ch.set_townships = 1;
	ok(store_office_set(st, "铜钟市场监管所", &ch, NOW, "test", &cause) ==
	    0, "office changed");
	is_int(sql_int("SELECT count(*) FROM offices WHERE email = "
	    "'tz@example.org' AND webhook_url IS NULL"), 1,
	    "email set, webhook cleared");
	is_int(sql_int("SELECT count(*) FROM townships WHERE office_id IS NOT "
	    "NULL AND code = '411724101'"), 1, "townships replaced");
	is_int(sql_int("SELECT count(*) FROM office_phones"), 2,
	    "phones untouched");
	ok(store_office_set(st, "nobody", &ch, NOW, "test", &cause) == 1,
	    "unknown office refused");
	is_str(cause, "no office named 'nobody'", "unknown office message");
	free(cause);
}

struct collect {
	long long	 villages;
	int	 n;
	char	 text[256];
	char	 office[64];
};

static int
collect_tip_cb(const struct tip *t, void *arg)
{
	struct collect	*c = arg;

	c->n++;
	snprintf(c->text, sizeof c->text, "%s", t->text);
	snprintf(c->office, sizeof c->office, "%s",
	    t->office_name ? t->office_name : "");
	return (0);
}

static int
collect_office_cb(const struct office *o, void *arg)
{
	struct collect	*c = arg;

	c->n++;
	snprintf(c->office, sizeof c->office, "%s:%zu:%zu", o->name,
	    o->nphones, o->ntownships);
	return (0);
}

static int
collect_township_cb(const struct township *t, void *arg)
{
	struct collect	*c = arg;

	c->n++;
	c->villages += t->nvillages;
	if (t->office_name != NULL)
		snprintf(c->office, sizeof c->office, "%s=%s", t->code,
		    t->office_name);
	return (0);
}

static void
test_townships(struct store *st)
{
	struct collect	 c;
	char		*cause = NULL;

	memset(&c, 0, sizeof c);
	ok(store_township_foreach(st, collect_township_cb, &c, &cause) == 0,
	    "townships listed");
	is_int(c.n, 2, "two townships");
	is_int(c.villages, 3, "village counts add up");
	is_str(c.office, "411724101=铜钟市场监管所", "office shown");
}

static void
test_tips(struct store *st)
{
	struct tip	 t;
	struct collect	 c;
	char		*cause = NULL;
	char		 sms[] = "sms", pigeon[] = "carrier-pigeon";
	char		 text1[] = "岚田村小卖部卖过期牛奶", text2[] = "second";

	memset(&t, 0, sizeof t);
	t.channel = sms;
	t.received_at = NOW;
	t.text = text1;
	ok(store_tip_insert(st, &t, "+8613800000001", &cause) == 0,
	    "tip inserted");
	ok(t.id > 0, "tip id set");
	t.text = text2;
	ok(store_tip_insert(st, &t, "+8613800000001", &cause) == 0,
	    "second tip from the same reporter");
	is_int(sql_int("SELECT count(*) FROM reporters"), 1, "one reporter");
	is_int(sql_int("SELECT count(DISTINCT reporter_id) FROM tips"), 1,
	    "both tips point at it");
	is_int(sql_int("SELECT count(*) FROM tips WHERE state = 'received'"),
	    2, "state defaults to received");
	t.channel = pigeon;
	ok(store_tip_insert(st, &t, NULL, &cause) == -1, "bad channel refused");
	free(cause);
	is_int(sql_int("SELECT count(*) FROM tips"), 2, "refused tip absent");

	memset(&c, 0, sizeof c);
	ok(store_tip_foreach(st, NULL, collect_tip_cb, &c, &cause) == 0,
	    "tips listed");
	is_int(c.n, 2, "two tips listed");
	is_str(c.text, "second", "oldest first, text intact");
	memset(&c, 0, sizeof c);
	ok(store_office_foreach(st, collect_office_cb, &c, &cause) == 0,
	    "offices listed");
	is_str(c.office, "铜钟市场监管所:2:1", "office with phones, townships");
}

static int
queue(struct store *st, const char *key, enum outbox_intent intent,
    const char *channel, long long tip, long long *id)
{
	struct store_outbox_new	 m;
	char			*cause = NULL;
	int			 rc;

	memset(&m, 0, sizeof m);
	m.dedup_key = key;
	m.intent = intent;
	m.channel = channel;
	m.destination = strcmp(channel, "sms") == 0 ? "+8613800000009" :
	    "http://127.0.0.1:9/hook";
	m.body = "收到";
	m.tip_id = tip;
	m.at = NOW;
	rc = store_outbox_queue(st, &m, id, &cause);
	free(cause);
	return (rc);
}

static int
move_at(struct store *st, long long id, enum outbox_state from,
    enum outbox_event event, const char *error, time_t at)
{
	struct store_outbox_change	 ch;
	char				*cause = NULL;
	int				 rc;

	memset(&ch, 0, sizeof ch);
	ch.id = id;
	ch.from = from;
	ch.event = event;
	ch.actor = "test";
	ch.error = error;
	ch.at = ch.next_at = at;
	rc = store_outbox_transition(st, &ch, &cause);
	free(cause);
	return (rc);
}

static int
move(struct store *st, long long id, enum outbox_state from,
    enum outbox_event event, const char *error)
{
	return (move_at(st, id, from, event, error, NOW + 3600));
}

/* A webhook alert queued, taken and given up at a time: a dead letter. */
static int
dead_letter(struct store *st, const char *key, long long tip,
    const char *error, time_t at)
{
	struct store_outbox_item	*rows;
	char				*cause = NULL;
	long long			 id;
	int				 n;

	if (queue(st, key, OUTBOX_ALERT, "webhook", tip, &id) != 0 ||
	    store_outbox_due(st, "webhook", NOW, 10, &rows, &n, &cause) != 0) {
		free(cause);
		return (-1);
	}
	store_outbox_items_free(rows, n);
	if (n != 1)
		return (-1);
	return (move_at(st, id, OUTBOX_SENDING, OUTBOX_EV_GIVE_UP, error, at));
}

/* A one-part SMS tip from sender, and the tip it makes. */
static void
tip_message(struct store_raw *raw, struct tip *t, const char *key,
    const char *sender, char *text)
{
	static char	 sms[] = "sms";

	memset(raw, 0, sizeof *raw);
	raw->dedup_key = key;
	raw->modem = "gammu";
	raw->sender = sender;
	raw->received_at = NOW;
	raw->coding = "ucs2";
	raw->text = text;
	raw->disposition = "tip";
	memset(t, 0, sizeof *t);
	t->channel = sms;
	t->received_at = NOW;
	t->text = text;
}

static void
test_intake(struct store *st)
{
	struct store_outbox_change	 ch;
	struct store_sms_sent		 smss;
	struct sms_part			 parts[2];
	struct store_raw		 raw;
	struct tip			 t;
	struct store_outbox_item		*rows = NULL;
	const char			*keys[3] = { "k-one", "k-two", "k-new" };
	int				 known[3], n = 0;
	long long			 raw_id = 0, again = 0, id = 0, sent = 0;
	char				*cause = NULL;
	char				 text[] = "两部分的短信";

	memset(parts, 0, sizeof parts);
	snprintf(parts[0].key, sizeof parts[0].key, "k-one");
	snprintf(parts[1].key, sizeof parts[1].key, "k-two");
	parts[0].number = 1;
	parts[1].number = 2;
	tip_message(&raw, &t, "message-1", "+8613800000009", text);
	raw.concat_ref = 7;
	raw.parts_total = raw.parts_present = raw.nparts = 2;
	raw.parts = parts;
	ok(store_intake(st, &raw, &t, &raw_id, &cause) == 0, "intake commits");
	ok(raw_id > 0 && t.id > 0, "raw message and tip ids");
	ok(store_intake(st, &raw, &t, &again, &cause) == 0,
	    "the same message again is no error");
	is_int(again, raw_id, "and it is the same raw message");
	is_int(sql_int("SELECT count(*) FROM tips WHERE text = '两部分的短信'"),
	    1, "with no second tip");
	ok(store_parts_known(st, keys, 3, known, &cause) == 0, "parts known");
	ok(known[0] && known[1] && !known[2], "both parts known, new one not");
	is_int(sql_int("SELECT count(*) FROM events WHERE action = "
	    "'tip.received' AND actor = 'modem:gammu'"), 1, "tip audited once");

	ok(queue(st, "ack:1", OUTBOX_ACK, "sms", t.id, &id) == 0 && id > 0,
	    "outbox row queued");
	ok(queue(st, "ack:1", OUTBOX_ACK, "sms", t.id, &id) == 0 && id == 0,
	    "same key not queued twice");
	is_int(sql_int("SELECT count(*) FROM outbox WHERE intent = 'ack'"), 1,
	    "its intent is a column");
	ok(store_outbox_due(st, "sms", NOW, 10, &rows, &n, &cause) == 0 && n == 1,
	    "one SMS due");
	is_int(sql_int("SELECT count(*) FROM outbox WHERE state = 'sending' "
	    "AND attempts = 1"), 1, "taken rows are marked sending");
	store_outbox_items_free(rows, n);
	ok(store_outbox_due(st, "sms", NOW, 10, &rows, &n, &cause) == 0 && n == 0,
	    "a row being sent is not taken again");
	free(rows);
	memset(&ch, 0, sizeof ch);
	ch.id = 1;
	ch.from = OUTBOX_SENDING;
	ch.event = OUTBOX_EV_SENT;
	ch.actor = "test";
	ch.at = NOW;
	memset(&smss, 0, sizeof smss);
	smss.modem = "gammu";
	smss.recipient = "+8613800000009";
	smss.reference = 42;
	smss.parts = smss.reports = 1;
	ok(store_outbox_sent(st, &ch, &smss, &cause) == 0, "sent recorded");
	ok(store_outbox_sent(st, &ch, &smss, &cause) == -1,
	    "sent twice: refused, the row is sent already");
	free(cause);
	cause = NULL;
	is_int(sql_int("SELECT count(*) FROM sms_sent"), 1,
	    "and nothing recorded twice");
	ok(store_delivery_report(st, "gammu", "13800000009", 42, NOW, 1, 0,
	    &sent, &cause) == 0 && sent > 0, "delivery report matched "
	    "(national number form)");
	is_int(sql_int("SELECT count(*) FROM sms_sent WHERE delivery = "
	    "'delivered'"), 1, "delivery recorded");
	ok(store_delivery_report(st, "gammu", "13800000009", 43, NOW, 1, 0,
	    &sent, &cause) == 0 && sent == 0, "unknown reference matches "
	    "nothing");
	ok(store_call_add(st, "gammu", "+8613800000010", NOW, 1, NULL, &id,
	    &cause) == 0 && id > 0, "call recorded");
	is_int(sql_int("SELECT count(*) FROM events WHERE action = "
	    "'call.missed' AND detail NOT LIKE '%13800000010%'"), 1,
	    "call audited without the number");

	ok(queue(st, "alert:X:1:webhook", OUTBOX_ALERT, "webhook", t.id,
	    &id) == 0 && id > 0, "webhook queued");
	ok(store_outbox_due(st, "webhook", NOW, 10, &rows, &n, &cause) == 0 &&
	    n == 1 && strcmp(rows[0].dedup_key, "alert:X:1:webhook") == 0,
	    "webhook due, with its key");
	store_outbox_items_free(rows, n);
	ok(queue(st, "ack:2", OUTBOX_ACK, "sms", t.id, &sent) == 0 &&
	    store_outbox_due(st, "sms", NOW, 10, &rows, &n, &cause) == 0 &&
	    n == 1, "an SMS taken too");
	store_outbox_items_free(rows, n);
	ok(store_outbox_interrupted(st, NOW, &n, &known[0], &cause) == 0,
	    "interrupted rows examined");
	ok(n == 2 && known[0] == 0, "an SMS and a webhook not confirmed: "
	    "both queued again");
	is_int(sql_int("SELECT count(*) FROM outbox WHERE channel = 'webhook' "
	    "AND state = 'queued'"), 1, "the webhook is queued");
	is_int(sql_int("SELECT count(*) FROM outbox WHERE dedup_key = 'ack:2' "
	    "AND state = 'queued'"), 1, "the SMS is queued: never lost");
	ok(store_outbox_due(st, "sms", NOW, 10, &rows, &n, &cause) == 0 &&
	    n == 1, "the SMS is taken again");
	store_outbox_items_free(rows, n);
	sql_exec("INSERT INTO sms_sent (outbox_id, modem, recipient, reference, "
	    "parts, sent_at) SELECT id, 'gammu', destination, 7, 1, "
	    "'2026-11-23T09:00:00Z' FROM outbox WHERE dedup_key = 'ack:2'");
	ok(store_outbox_interrupted(st, NOW, &n, &known[0], &cause) == 0 &&
	    n == 0 && known[0] == 1, "one the modem confirmed: sent");
	is_int(sql_int("SELECT count(*) FROM outbox WHERE dedup_key = 'ack:2' "
	    "AND state = 'sent'"), 1, "and it is not sent twice");
	/* From here on, an SMS that failed for good, for a person. */
	sql_exec("UPDATE outbox SET state = 'failed', attempts = 1 WHERE "
	    "dedup_key = 'ack:2'");
	ok(store_outbox_due(st, "webhook", NOW, 10, &rows, &n, &cause) == 0 &&
	    n == 1, "the webhook is taken again");
	store_outbox_items_free(rows, n);
	ok(move(st, id, OUTBOX_SENDING, OUTBOX_EV_GIVE_UP, "HTTP 500") == 0,
	    "dead letter recorded");
	is_int(sql_int("SELECT count(*) FROM events WHERE action = "
	    "'outbox.dead' AND tip_id IS NOT NULL AND detail LIKE "
	    "'outbox=%state=sending->dead error=HTTP 500'"), 1,
	    "dead letter is an event");
	is_int(sql_int("SELECT count(*) FROM alerts WHERE reason = "
	    "'dead_letter' AND dedup_key LIKE 'dead_letter:20261118200640:%' "
	    "AND detail LIKE 'outbox=%（alert，webhook%）HTTP 500'"), 1,
	    "a dead letter tells the coordinator, keyed by its time and row");
	ok(move(st, id, OUTBOX_SENDING, OUTBOX_EV_SENT, NULL) == 1,
	    "a dead row is not sent: the guard refuses");
	ok(move(st, id, OUTBOX_DEAD, OUTBOX_EV_SENT, NULL) == 1,
	    "nor does the table allow dead -> sent");
	ok(store_outbox_retry(st, sent, NOW, "test", &cause) == 0,
	    "the failed SMS retried by a person");
	is_int(sql_int("SELECT count(*) FROM events WHERE action = "
	    "'outbox.retry' AND actor = 'test'"), 1, "the retry is audited");
	ok(store_outbox_retry(st, sent, NOW, "test", &cause) == 1,
	    "a queued row cannot be retried");
	free(cause);
	cause = NULL;
	ok(store_outbox_due(st, "sms", NOW, 10, &rows, &n, &cause) == 0 &&
	    n == 1 && rows[0].intent == OUTBOX_ACK && rows[0].attempts == 2,
	    "taken again, with its intent and attempts");
	store_outbox_items_free(rows, n);
	ok(move(st, sent, OUTBOX_SENDING, OUTBOX_EV_HOLD, "quiet hours") == 0,
	    "held");
	is_int(sql_int("SELECT count(*) FROM outbox WHERE dedup_key = 'ack:2' "
	    "AND last_error = 'quiet hours' AND attempts = 1 AND state = "
	    "'queued'"), 1, "held: queued, the attempt not counted");
	ok(queue(st, "alert:X:1:webhook:2", OUTBOX_ALERT, "webhook", t.id,
	    &id) == 0 && store_outbox_due(st, "webhook", NOW, 10, &rows, &n,
	    &cause) == 0 && n == 1, "a second webhook taken");
	store_outbox_items_free(rows, n);
	ok(move(st, id, OUTBOX_SENDING, OUTBOX_EV_GIVE_UP, "HTTP 502") == 0,
	    "a second dead letter in the same hour");
	is_int(sql_int("SELECT count(*) FROM alerts WHERE reason = "
	    "'dead_letter'"), 1, "the coordinator is not told twice an hour");
	/*
	 * The hour slides: NOW + 3600 is 20:06:40 in China, so a dead
	 * letter at 21:01:40 is in the next hour of the clock but within
	 * the hour of the first notice; one at 21:06:41 is not.
	 */
	ok(dead_letter(st, "alert:X:1:webhook:3", t.id, "HTTP 503",
	    NOW + 3600 + 3300) == 0, "a dead letter past the full hour");
	is_int(sql_int("SELECT count(*) FROM alerts WHERE reason = "
	    "'dead_letter'"), 1, "not told again: the hour is not the "
	    "clock's");
	ok(dead_letter(st, "alert:X:1:webhook:4", t.id, "HTTP 504",
	    NOW + 3600 + 3601) == 0, "a dead letter an hour after the notice");
	is_int(sql_int("SELECT count(*) FROM alerts WHERE reason = "
	    "'dead_letter' AND detail LIKE '%HTTP 504'"), 1,
	    "told again an hour later");
	sql_exec("UPDATE alerts SET expanded_at = created_at, messages = 0 "
	    "WHERE detail LIKE '%HTTP 504'");
	ok(dead_letter(st, "alert:X:1:webhook:5", t.id, "HTTP 505",
	    NOW + 3600 + 3700) == 0, "a dead letter after one that reached "
	    "nobody");
	is_int(sql_int("SELECT count(*) FROM alerts WHERE reason = "
	    "'dead_letter' AND detail LIKE '%HTTP 505'"), 1,
	    "told: a notice that reached nobody does not count");
	sql_exec("UPDATE alerts SET expanded_at = created_at, messages = 1 "
	    "WHERE detail LIKE '%HTTP 505'");
	ok(dead_letter(st, "alert:X:1:webhook:6", t.id, "HTTP 506",
	    NOW + 3600 + 3800) == 0, "a dead letter after one that reached "
	    "someone");
	is_int(sql_int("SELECT count(*) FROM alerts WHERE reason = "
	    "'dead_letter' AND detail LIKE '%HTTP 506'"), 0,
	    "not told: that one counts");
	/* The clock set back 10 s: a notice "made" later does not count. */
	sql_exec("UPDATE alerts SET expanded_at = created_at, messages = 0 "
	    "WHERE reason = 'dead_letter' AND detail NOT LIKE '%HTTP 505'");
	ok(dead_letter(st, "alert:X:1:webhook:7", t.id, "HTTP 507",
	    NOW + 3600 + 3690) == 0, "a dead letter with the clock set back");
	is_int(sql_int("SELECT count(*) FROM alerts WHERE reason = "
	    "'dead_letter' AND detail LIKE '%HTTP 507'"), 1,
	    "told: a notice of the future does not count");
	ok(queue(st, "notice:x:sms", OUTBOX_NOTICE, "sms", 0, &id) == 0 &&
	    store_outbox_due(st, "sms", NOW, 10, &rows, &n, &cause) == 0 &&
	    n == 1, "a notice taken");
	store_outbox_items_free(rows, n);
	sql_exec("DELETE FROM alerts");
	ok(move(st, id, OUTBOX_SENDING, OUTBOX_EV_GIVE_UP, "no modem") == 0 &&
	    sql_int("SELECT count(*) FROM alerts") == 0, "a dead notice tells "
	    "nobody: no loop");
}

/*
 * Intake writes a tip back only at the version it read: a change made
 * meanwhile (tipgwctl routing it again) is never overwritten; the
 * message is not committed and is planned again.
 */
static void
test_stale(struct store *st)
{
	struct store_understood	 u;
	struct store_prior	 p;
	struct store_raw	 raw;
	struct tip		 t;
	long long		 raw_id = 0, v0;
	char			*cause = NULL;
	char			 first[] = "寒冻镇小卖部卖过期牛奶";
	char			 more[] = "寒冻镇小卖部卖过期牛奶\n还有过期面包";
	int			 stored, rc;

	tip_message(&raw, &t, "stale-1", "+8613800000077", first);
	ok(store_intake(st, &raw, &t, &raw_id, &cause) == 0, "stale: a tip");
	ok(store_reporter_prior(st, raw.sender, &p, &cause) == 0 &&
	    p.tip_id == t.id, "stale: read as the reporter's tip");
	v0 = p.version;
	store_prior_clear(&p);
	sql_exec("UPDATE tips SET township_code = '411724101' WHERE "
	    "text = '寒冻镇小卖部卖过期牛奶'");
	is_int(sql_int("SELECT version FROM tips WHERE text = "
	    "'寒冻镇小卖部卖过期牛奶'"), v0 + 1, "stale: any change is a version");

	memset(&u, 0, sizeof u);
	u.tip_id = t.id;
	u.version = v0;
	u.from = TIP_RECEIVED;
	u.event = TIP_EV_AMEND;
	raw.dedup_key = "stale-2";
	raw.received_at = NOW + 60;
	raw.text = more;
	t.text = more;
	t.township_code = NULL;
	ok(store_intake_full(st, &raw, &t, &u, &raw_id, &stored, &cause) != 0 &&
	    cause != NULL && strstr(cause, "changed meanwhile") != NULL,
	    "stale: the write at an old version is refused");
	free(cause);
	cause = NULL;
	is_int(sql_int("SELECT count(*) FROM raw_messages WHERE dedup_key = "
	    "'stale-2'"), 0, "stale: and nothing of it committed");
	is_int(sql_int("SELECT count(*) FROM tips WHERE township_code = "
	    "'411724101' AND text = '寒冻镇小卖部卖过期牛奶'"), 1,
	    "stale: the change made meanwhile stands");

	ok(store_reporter_prior(st, raw.sender, &p, &cause) == 0, "stale: "
	    "read again");
	u.version = p.version;
	t.township_code = p.township_code;
	log_begin();
	rc = store_intake_full(st, &raw, &t, &u, &raw_id, &stored, &cause);
	log_end();
	ok(rc == 0 && stored, "stale: planned again, it commits (%d %d %s)",
	    rc, stored, cause ? cause : "");
	ok(strstr(log_text, "tip=- state=received->received event=amend") !=
	    NULL, "stale: a tip with no code is logged as tip=-, the same as "
	    "when it was made");
	store_prior_clear(&p);
	is_int(sql_int("SELECT count(*) FROM tips WHERE township_code = "
	    "'411724101' AND text LIKE '%还有过期面包'"), 1,
	    "stale: with both changes");
}

static void
test_events(struct store *st)
{
	char	*cause = NULL;

	ok(store_event_add(st, NOW, "test", "note", 0, "hello", &cause) == 0,
	    "event added");
	ok(sql_exec("UPDATE events SET detail = 'x'") == -1,
	    "events cannot be changed");
	ok(sql_exec("DELETE FROM events") == -1, "events cannot be deleted");
	is_int(sql_int("SELECT count(*) FROM events WHERE detail = 'hello' "
	    "AND at = '2026-11-18T11:06:40Z'"), 1, "event stored with UTC time");
}

/* One event a transaction; 0 if begun, written and committed. */
static int
batch_write(struct store *st, const char *action, int commit)
{
	char	*cause = NULL;
	int	 rc;

	rc = store_begin(st, &cause) == 0 && store_event_add(st, NOW, "test",
	    action, 0, NULL, &cause) == 0 ? 0 : -1;
	if (rc == 0 && commit)
		rc = store_commit(st, &cause);
	else
		store_rollback(st);
	if (cause != NULL)
		tap_diag("%s: %s", action, cause);
	free(cause);
	return (rc);
}

/*
 * Group commit: the transactions of a batch are savepoints of one, each
 * undone alone, none seen before the batch's commit, all undone with it.
 */
static void
test_batch(struct store *st)
{
	char	*cause = NULL;

	ok(store_batch_begin(st, &cause) == 0, "batch: begins");
	ok(store_batch_begin(st, &cause) == -1 && cause != NULL,
	    "batch: not inside another, and says so");
	free(cause);
	cause = NULL;
	ok(batch_write(st, "batch.one", 1) == 0, "batch: a write released");
	ok(batch_write(st, "batch.two", 0) == 0, "batch: a write undone");
	ok(batch_write(st, "batch.three", 1) == 0, "batch: a write after it");
	is_int(sql_int("SELECT count(*) FROM events WHERE action LIKE "
	    "'batch.%'"), 0, "batch: nothing seen before the commit");
	ok(store_batch_end(st, 1, &cause) == 0, "batch: committed");
	is_int(sql_int("SELECT count(*) FROM events WHERE action IN "
	    "('batch.one', 'batch.three')"), 2, "batch: the released writes");
	is_int(sql_int("SELECT count(*) FROM events WHERE action = "
	    "'batch.two'"), 0, "batch: not the undone one");
	ok(store_batch_begin(st, &cause) == 0 &&
	    batch_write(st, "batch.four", 1) == 0 &&
	    store_batch_end(st, 0, &cause) == -1, "batch: rolled back");
	is_int(sql_int("SELECT count(*) FROM events WHERE action = "
	    "'batch.four'"), 0, "batch: its writes undone with it");
	ok(batch_write(st, "batch.five", 1) == 0, "batch: after it, a write "
	    "commits on its own");
	is_int(sql_int("SELECT count(*) FROM events WHERE action = "
	    "'batch.five'"), 1, "batch: and is seen at once");
	free(cause);
}

/* A transaction that writes an event of len bytes: 0 if it commits. */
static int
big_write(struct store *st, const char *action, size_t len)
{
	char	*cause = NULL, *detail = xmalloc(len + 1);
	int	 rc;

	memset(detail, 'x', len);
	detail[len] = '\0';
	rc = store_begin(st, &cause) == 0 && store_event_add(st, NOW, "test",
	    action, 0, detail, &cause) == 0 ? store_commit(st, &cause) : -1;
	if (rc != 0)
		store_rollback(st);
	free(cause);
	free(detail);
	return (rc);
}

/*
 * A batch on a full ledger: a small write, then a big one that fails.
 * With a trigger on events (a statement that writes twice), SQLite undoes
 * the failed statement alone and the batch commits the small write;
 * without, it ends the whole transaction. Either way the error stands.
 */
static void
full_batch(struct store *st, int trigger)
{
	char	*cause = NULL;
	int	 rc;

	if (trigger)
		store_exec(st, "CREATE TEMP TABLE pad (x);"
		    "CREATE TEMP TRIGGER pad AFTER INSERT ON main.events "
		    "BEGIN INSERT INTO pad VALUES (1); END", &cause);
	ok(store_batch_begin(st, &cause) == 0 &&
	    batch_write(st, "full.small", 1) == 0, "full: a batch, a small "
	    "write in it%s", trigger ? " (a trigger on events)" : "");
	ok(big_write(st, "full.big", 256 * 1024) == -1, "full: a big write in "
	    "the batch fails");
	is_int(sqlite3_get_autocommit(st->db), trigger ? 0 : 1, "full: SQLite "
	    "%s", trigger ? "undid the statement alone" : "ended the batch");
	rc = store_batch_end(st, 1, &cause);
	ok(trigger ? rc == 0 : rc == -1 && cause != NULL, "full: the batch "
	    "%s", trigger ? "commits the small write" : "does not commit");
	ok(store_write_error(st) != NULL, "full: the error stands");
	free(cause);
	cause = NULL;
	if (trigger)
		store_exec(st, "DROP TRIGGER temp.pad; DROP TABLE temp.pad",
		    &cause);
	free(cause);
}

/*
 * A full ledger: its error stands, for /healthz, until a write commits;
 * a commit that wrote nothing, or a batch a write failed in, proves
 * nothing; nor does the health check's own small write, until no write
 * has failed for a minute.
 */
static void
test_write_error(struct store *st)
{
	char		*cause = NULL, sql[64];
	long long	 pages = sql_int("PRAGMA page_count");
	int		 busy;

	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages + 8);
	ok(store_exec(st, sql, &cause) == 0, "full: the ledger capped");
	ok(store_write_error(st) == NULL, "full: no error before");
	ok(big_write(st, "full.big", 256 * 1024) == -1, "full: a big write "
	    "fails");
	ok(store_write_error(st) != NULL &&
	    strstr(store_write_error(st), "full") != NULL, "full: the error "
	    "stands, and says full");
	ok(store_begin(st, &cause) == 0 && store_commit(st, &cause) == 0,
	    "full: a transaction that writes nothing commits");
	ok(store_write_error(st) != NULL, "full: and does not clear it");
	full_batch(st, 1);
	full_batch(st, 0);

	ok(big_write(st, "full.small", 10) == 0, "full: a small write "
	    "commits alone");
	ok(store_write_error(st) == NULL, "full: and clears the error");

	ok(big_write(st, "full.big", 256 * 1024) == -1 &&
	    store_write_error(st) != NULL, "full: a big write fails again");
	ok(store_write_check(st, NOW, &busy, &cause) == 0 &&
	    store_write_error(st) != NULL, "full: the check's small write "
	    "passes, and the error stands");
	ok(store_write_check(st, NOW + 59, &busy, &cause) == 0 &&
	    store_write_error(st) != NULL, "full: and 59 s later");
	ok(big_write(st, "full.big", 256 * 1024) == -1, "full: a big write "
	    "fails again before the minute is out");
	ok(store_write_check(st, NOW + 60, &busy, &cause) == 0 &&
	    store_write_error(st) != NULL, "full: the minute begins again");
	ok(store_write_check(st, NOW + 30, &busy, &cause) == 0 &&
	    store_write_error(st) != NULL, "full: the clock set back: it "
	    "begins again");
	ok(store_write_check(st, NOW + 89, &busy, &cause) == 0 &&
	    store_write_error(st) != NULL, "full: 59 s after that");
	ok(store_write_check(st, NOW + 90, &busy, &cause) == 0 &&
	    store_write_error(st) == NULL, "full: a minute with no write "
	    "failing: the check clears it");
	store_set_write_quiet(st, 600);
	ok(big_write(st, "full.big", 256 * 1024) == -1 &&
	    store_write_check(st, NOW + 100, &busy, &cause) == 0 &&
	    store_write_check(st, NOW + 160, &busy, &cause) == 0 &&
	    store_write_error(st) != NULL, "full: with a longer quiet set "
	    "(poll_interval), a minute is not enough");
	ok(store_write_check(st, NOW + 700, &busy, &cause) == 0 &&
	    store_write_error(st) == NULL, "full: its whole length is");
	store_set_write_quiet(st, 0);
	ok(store_exec(st, "PRAGMA max_page_count = 1073741823", &cause) == 0,
	    "full: room again");
	free(cause);
}

static void
test_readonly(void)
{
	struct store	*st;
	struct tip	 t;
	char		*cause = NULL, *path;
	char		 sms[] = "sms", x[] = "x";

	st = store_open(dbpath, STORE_READONLY, &cause);
	ok(st != NULL, "read-only open");
	memset(&t, 0, sizeof t);
	t.channel = sms;
	t.text = x;
	ok(st && store_tip_insert(st, &t, NULL, &cause) == -1,
	    "read-only refuses writes");
	free(cause);
	store_close(st);
	cause = NULL;
	xasprintf(&path, "%s/none.db", tap_tempdir());
	ok(store_open(path, STORE_READONLY, &cause) == NULL,
	    "read-only open of a missing ledger fails");
	ok(cause != NULL, "with a cause");
	free(cause);
	free(path);
}

static void
test_newer_schema(void)
{
	char	*cause = NULL;

	sql_exec("PRAGMA user_version = 99");
	ok(store_open(dbpath, 0, &cause) == NULL, "newer schema refused");
	ok(cause && strstr(cause, "schema version 99 is newer"), "says why");
	free(cause);
	sql_exec("PRAGMA user_version = 2");
}

int
main(void)
{
	struct store	*st;
	char		*cause = NULL;

	xasprintf(&dbpath, "%s/ledger.db", tap_tempdir());
	test_open();
	test_reopen();
	if ((st = store_open(dbpath, 0, &cause)) == NULL) {
		printf("Bail out! %s\n", cause);
		return (1);
	}
	test_gazetteer(st);
	test_offices(st);
	test_townships(st);
	test_tips(st);
	test_intake(st);
	test_stale(st);
	test_events(st);
	test_batch(st);
	test_write_error(st);
	store_close(st);
	test_readonly();
	test_newer_schema();
	free(dbpath);
	return (done_testing());
}
