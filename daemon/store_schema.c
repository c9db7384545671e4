/*
 * The ledger's schema: the migrations, applied in order in one
 * transaction, and the check that refuses a ledger newer than this
 * tipgw. Never edit a released migration: append a new one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

/*
 * Schema migrations, applied in order; PRAGMA user_version holds how many
 * have run. Never edit a released migration: append a new one.
 */
static const char *store_migrations[] = {
	/* 1: the foundation ledger. */
	"CREATE TABLE offices ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  webhook_url TEXT,"
	"  email TEXT,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);"
	"CREATE TABLE office_phones ("
	"  office_id INTEGER NOT NULL REFERENCES offices(id) ON DELETE CASCADE,"
	"  phone TEXT NOT NULL,"
	"  PRIMARY KEY (office_id, phone));"
	"CREATE INDEX office_phones_phone ON office_phones(phone);"
	"CREATE TABLE townships ("
	"  code TEXT PRIMARY KEY CHECK (length(code) = 9),"
	"  name TEXT NOT NULL,"
	"  county_code TEXT NOT NULL,"
	"  city_code TEXT NOT NULL,"
	"  province_code TEXT NOT NULL,"
	"  office_id INTEGER REFERENCES offices(id) ON DELETE SET NULL);"
	"CREATE INDEX townships_office ON townships(office_id);"
	"CREATE TABLE villages ("
	"  code TEXT PRIMARY KEY CHECK (length(code) = 12),"
	"  name TEXT NOT NULL,"
	"  township_code TEXT NOT NULL REFERENCES townships(code));"
	"CREATE INDEX villages_township ON villages(township_code);"
	/* Reporters' numbers live here only; tips point at the row. */
	"CREATE TABLE reporters ("
	"  id INTEGER PRIMARY KEY,"
	"  phone TEXT NOT NULL UNIQUE,"
	"  first_seen TEXT NOT NULL,"
	"  last_seen TEXT NOT NULL,"
	"  opted_out_at TEXT);"
	/* Every inbound message as received; dedup_key makes intake idempotent. */
	"CREATE TABLE raw_messages ("
	"  id INTEGER PRIMARY KEY,"
	"  dedup_key TEXT NOT NULL UNIQUE,"
	"  modem TEXT NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  smsc TEXT,"
	"  smsc_time TEXT,"
	"  received_at TEXT NOT NULL,"
	"  concat_ref INTEGER,"
	"  parts_total INTEGER NOT NULL DEFAULT 1,"
	"  parts_present INTEGER NOT NULL DEFAULT 1,"
	"  coding TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  raw_hex TEXT,"
	"  flags INTEGER NOT NULL DEFAULT 0,"
	"  disposition TEXT NOT NULL DEFAULT 'new');"
	"CREATE TABLE tips ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT UNIQUE,"
	"  pin_hash TEXT,"
	"  channel TEXT NOT NULL"
	"    CHECK (channel IN ('sms', 'hotline', 'web', 'import')),"
	"  raw_message_id INTEGER UNIQUE REFERENCES raw_messages(id),"
	"  reporter_id INTEGER REFERENCES reporters(id),"
	"  received_at TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'received',"
	"  kind TEXT,"
	"  product TEXT,"
	"  township_code TEXT REFERENCES townships(code),"
	"  village_code TEXT REFERENCES villages(code),"
	"  office_id INTEGER REFERENCES offices(id),"
	"  updated_at TEXT NOT NULL);"
	"CREATE INDEX tips_received ON tips(received_at);"
	"CREATE INDEX tips_state ON tips(state);"
	"CREATE INDEX tips_reporter ON tips(reporter_id);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  dedup_key TEXT NOT NULL UNIQUE,"
	"  channel TEXT NOT NULL CHECK (channel IN ('sms', 'webhook', 'email')),"
	"  destination TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  tip_id INTEGER REFERENCES tips(id),"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN"
	"    ('queued', 'sending', 'sent', 'failed', 'dead')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at TEXT NOT NULL,"
	"  last_error TEXT,"
	"  created_at TEXT NOT NULL,"
	"  sent_at TEXT);"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
	/* The audit log: rows are only ever added. */
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  tip_id INTEGER REFERENCES tips(id),"
	"  detail TEXT);"
	"CREATE INDEX events_tip ON events(tip_id);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;",

	/* 2: modem intake: part keys, calls, sent messages. */
	/* Every stored part's key: a part read again is recognised. */
	"CREATE TABLE raw_parts ("
	"  raw_message_id INTEGER NOT NULL REFERENCES raw_messages(id),"
	"  part_key TEXT NOT NULL UNIQUE,"
	"  part_number INTEGER NOT NULL);"
	"CREATE INDEX raw_parts_message ON raw_parts(raw_message_id);"
	"CREATE INDEX raw_messages_received ON raw_messages(received_at);"
	/* Calls to the hotline SIM; the caller's number stays here. */
	"CREATE TABLE calls ("
	"  id INTEGER PRIMARY KEY,"
	"  modem TEXT NOT NULL,"
	"  caller TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  hung_up INTEGER NOT NULL DEFAULT 0,"
	"  handled_at TEXT);"
	"CREATE INDEX calls_caller ON calls(caller, at);"
	/* What a modem sent, to match delivery reports by reference. */
	"CREATE TABLE sms_sent ("
	"  id INTEGER PRIMARY KEY,"
	"  outbox_id INTEGER REFERENCES outbox(id),"
	"  modem TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  reference INTEGER,"
	"  parts INTEGER NOT NULL,"
	"  sent_at TEXT NOT NULL,"
	"  delivery TEXT NOT NULL DEFAULT 'unknown' CHECK (delivery IN"
	"    ('unknown', 'pending', 'delivered', 'failed')),"
	"  delivered_at TEXT,"
	"  report_status INTEGER);"
	"CREATE INDEX sms_sent_reference ON sms_sent(modem, reference);",

	/* 3: understanding: what a tip says, its conversation, commands. */
	"ALTER TABLE tips ADD COLUMN route TEXT;"
	"ALTER TABLE tips ADD COLUMN brand TEXT;"
	"ALTER TABLE tips ADD COLUMN place TEXT;"
	"ALTER TABLE tips ADD COLUMN candidates TEXT;"
	"ALTER TABLE tips ADD COLUMN questions INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE tips ADD COLUMN pin TEXT;"
	"ALTER TABLE tips ADD COLUMN last_message_at TEXT;"
	/* Every message of a tip's conversation points at the tip. */
	"ALTER TABLE raw_messages ADD COLUMN tip_id INTEGER REFERENCES tips(id);"
	"ALTER TABLE raw_messages ADD COLUMN reason TEXT;"
	"UPDATE raw_messages SET tip_id = (SELECT t.id FROM tips t "
	"  WHERE t.raw_message_id = raw_messages.id);"
	"CREATE INDEX raw_messages_tip ON raw_messages(tip_id);",

	/* 4: outbound: webhook formats, deadlines, call-backs. */
	"ALTER TABLE offices ADD COLUMN webhook_format TEXT CHECK "
	"  (webhook_format IN ('generic', 'wecom', 'dingtalk'));"
	/* The verify clock: counted from the day after clock_from. */
	"ALTER TABLE tips ADD COLUMN clock_from TEXT;"
	"ALTER TABLE tips ADD COLUMN extended_by TEXT;"
	"ALTER TABLE tips ADD COLUMN extension_reason TEXT;"
	"ALTER TABLE tips ADD COLUMN paused_from TEXT;"
	"ALTER TABLE tips ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0;"
	/* 立案: the case clock (calendar days) replaces the verify clock. */
	"ALTER TABLE tips ADD COLUMN filed_at TEXT;"
	"UPDATE tips SET clock_from = received_at;"
	"CREATE INDEX outbox_destination ON outbox(destination, created_at);",

	/* 5: the tip lifecycle: when a tip was closed, and with what. */
	"ALTER TABLE tips ADD COLUMN closed_at TEXT;"
	"ALTER TABLE tips ADD COLUMN result TEXT;"
	"CREATE INDEX events_action ON events(action, at);",

	/* 6: the outbox: why each row was queued, as a column. */
	"ALTER TABLE outbox ADD COLUMN intent TEXT NOT NULL DEFAULT 'manual';"
	"UPDATE outbox SET intent = substr(dedup_key, 1, "
	"  instr(dedup_key, ':') - 1) WHERE substr(dedup_key, 1, "
	"  instr(dedup_key, ':') - 1) IN ('ack', 'question', 'reply', 'howto',"
	"  'alert', 'remind', 'escalate');"
	"CREATE INDEX outbox_intent ON outbox(destination, intent, created_at);",

	/*
	 * 7: alerts. A tip reaching an office or the coordinator (and a
	 * fault the coordinator must hear of) is an alert, rendered into
	 * outbox rows when the outbox takes it, from the owner's channels
	 * as they are then.
	 */
	"CREATE TABLE alerts ("
	"  id INTEGER PRIMARY KEY,"
	"  tip_id INTEGER REFERENCES tips(id),"
	"  owner TEXT NOT NULL,"
	"  office_id INTEGER REFERENCES offices(id),"
	"  reason TEXT NOT NULL,"
	"  dedup_key TEXT UNIQUE,"
	"  detail TEXT,"
	"  created_at TEXT NOT NULL,"
	"  expanded_at TEXT,"
	"  messages INTEGER);"
	"CREATE INDEX alerts_pending ON alerts(expanded_at, id);"
	"CREATE INDEX alerts_tip ON alerts(tip_id);"
	/* The shop as the villager wrote it (小卖部), beside its kind. */
	"ALTER TABLE tips ADD COLUMN shop TEXT;",

	/*
	 * 8: merged facts accumulate: every kind and product a tip's
	 * messages named, first one first (kind, product: the first).
	 */
	"ALTER TABLE tips ADD COLUMN kinds TEXT;"
	"ALTER TABLE tips ADD COLUMN products TEXT;"
	"UPDATE tips SET kinds = kind, products = product;",

	/*
	 * 9: parts. Each part's own text, so a late part can join its
	 * tip; a tip with parts missing is flagged; every part of an SMS
	 * sent has its reference, for its delivery report.
	 */
	"ALTER TABLE raw_parts ADD COLUMN text TEXT;"
	"CREATE INDEX raw_messages_group ON raw_messages(sender, concat_ref);"
	"CREATE INDEX raw_messages_sender ON raw_messages(sender, received_at);"
	"ALTER TABLE tips ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE sms_sent_parts ("
	"  sent_id INTEGER NOT NULL REFERENCES sms_sent(id),"
	"  part INTEGER NOT NULL,"
	"  reference INTEGER NOT NULL,"
	"  delivery TEXT NOT NULL DEFAULT 'pending',"
	"  delivered_at TEXT,"
	"  report_status INTEGER,"
	"  PRIMARY KEY (sent_id, part));"
	"CREATE INDEX sms_sent_parts_reference ON sms_sent_parts(reference);",

	/*
	 * 10: a tip's version, one more on every change by any writer
	 * (tipgwd, tipgwctl): intake reads a tip, plans, and writes it
	 * back only if it is still the version it read.
	 */
	"ALTER TABLE tips ADD COLUMN version INTEGER NOT NULL DEFAULT 0;"
	"CREATE TRIGGER tips_version AFTER UPDATE ON tips "
	"WHEN NEW.version = OLD.version BEGIN "
	"UPDATE tips SET version = OLD.version + 1 WHERE id = NEW.id; END;",

	/* 11: the row /healthz writes to know the ledger can be written. */
	"CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  checked_at TEXT NOT NULL);",

	/*
	 * 12: how many times a row went out again after a crash found it in
	 * flight (a robot webhook then says it may be a copy).
	 */
	"ALTER TABLE outbox ADD COLUMN resends INTEGER NOT NULL DEFAULT 0;",

	/*
	 * 13: the people who use the API, each with a role and (an office's
	 * user) the townships they see; a token is kept only as its hash.
	 */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL"
	"    CHECK (role IN ('admin', 'coordinator', 'office', 'hotline')),"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL,"
	"  revoked_at TEXT);"
	"CREATE TABLE user_townships ("
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  township_code TEXT NOT NULL REFERENCES townships(code),"
	"  PRIMARY KEY (user_id, township_code));",

	/*
	 * 14: the desk's queue: who entered a hotline tip (its user reads
	 * it), indexes for the queue's filters, and the tips' text, its
	 * phone-like numbers masked, in an FTS5 trigram index so any three
	 * characters of Chinese match (and no search finds a masked
	 * digit); the ledger writes it with the text (store_tip_text_index)
	 * and store_migrate fills it for the tips before.
	 */
	"ALTER TABLE tips ADD COLUMN created_by TEXT;"
	"CREATE INDEX tips_township ON tips(township_code);"
	"CREATE INDEX tips_kind ON tips(kind);"
	"CREATE INDEX tips_created_by ON tips(created_by);"
	"CREATE VIRTUAL TABLE tips_text USING fts5(text, tokenize='trigram');",

	/*
	 * 15: cases: tips on one target, proposed by the rules (case.c)
	 * and confirmed or split by a person, with the outcome and the
	 * 问题台账 fields; a tip split out of a case is kept apart from
	 * later proposals.
	 */
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  state TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  verified INTEGER,"
	"  specific INTEGER,"
	"  known_before INTEGER,"
	"  finding TEXT,"
	"  measure TEXT,"
	"  deadline TEXT,"
	"  responsible TEXT,"
	"  penalty INTEGER,"
	"  confiscated INTEGER,"
	"  closed_down INTEGER,"
	"  level INTEGER,"
	"  referral TEXT,"
	"  referral_at TEXT,"
	"  followup TEXT);"
	"ALTER TABLE tips ADD COLUMN case_id INTEGER REFERENCES cases(id);"
	"ALTER TABLE tips ADD COLUMN case_apart INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX tips_case ON tips(case_id);",

	/*
	 * 16: rewards, one a tip of a case: its state (reward_state.c),
	 * the rule set and amount decided or why not, and the exclusions
	 * a person confirmed for its reporter.
	 */
	"CREATE TABLE rewards ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  tip_id INTEGER NOT NULL UNIQUE REFERENCES tips(id),"
	"  state TEXT NOT NULL,"
	"  rule_set TEXT,"
	"  level INTEGER,"
	"  amount INTEGER,"
	"  why TEXT,"
	"  staff INTEGER NOT NULL DEFAULT 0,"
	"  brand_owner INTEGER NOT NULL DEFAULT 0,"
	"  violator INTEGER NOT NULL DEFAULT 0,"
	"  insider INTEGER NOT NULL DEFAULT 0,"
	"  paid_by_other INTEGER NOT NULL DEFAULT 0,"
	"  claim_days INTEGER,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);"
	"CREATE INDEX rewards_case ON rewards(case_id);"
	"CREATE INDEX rewards_state ON rewards(state);",

	/*
	 * 17: a tip's work-order number in the national 12315 system, where
	 * Order 121 registers every tip.
	 */
	"ALTER TABLE tips ADD COLUMN order_12315 TEXT;",

	/*
	 * 18: broadcasts: reporters who subscribed by 订阅 (undone by 退订),
	 * each 消费警示 or typical case sent, and the polls of 你点我检 with
	 * one vote a number.
	 */
	"ALTER TABLE reporters ADD COLUMN subscribed_at TEXT;"
	"CREATE TABLE broadcasts ("
	"  id INTEGER PRIMARY KEY,"
	"  text TEXT NOT NULL,"
	"  townships TEXT NOT NULL,"
	"  recipients INTEGER NOT NULL,"
	"  poll_id INTEGER REFERENCES polls(id),"
	"  created_at TEXT NOT NULL,"
	"  actor TEXT NOT NULL);"
	"CREATE TABLE polls ("
	"  id INTEGER PRIMARY KEY,"
	"  question TEXT NOT NULL,"
	"  options TEXT NOT NULL,"
	"  noptions INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),"
	"  created_at TEXT NOT NULL,"
	"  closed_at TEXT);"
	"CREATE TABLE poll_votes ("
	"  poll_id INTEGER NOT NULL REFERENCES polls(id),"
	"  reporter_id INTEGER NOT NULL REFERENCES reporters(id),"
	"  option INTEGER NOT NULL,"
	"  at TEXT NOT NULL,"
	"  PRIMARY KEY (poll_id, reporter_id));",

	/*
	 * 19: the holidays of the years imported from the State Council's
	 * notice (tipgwctl holidays import): a year here replaces the
	 * holiday file's lines for it. A notice's day may fall in the year
	 * before (its 元旦); year is the notice's. batch is the import's
	 * audit event, so a change shows in max(batch).
	 */
	"CREATE TABLE holidays ("
	"  day TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),"
	"  year INTEGER NOT NULL,"
	"  name TEXT,"
	"  batch INTEGER NOT NULL);"
	"CREATE INDEX holidays_year ON holidays(year);",

	/*
	 * 20: the audit log hash-chained: each event's hash covers the one
	 * before it (tipgw_chain, chain.c). Events from before have none;
	 * the chain starts at the first event with a hash.
	 */
	"ALTER TABLE events ADD COLUMN hash TEXT;",

	/*
	 * 21: retention: when a tip's reporter number was removed, and the
	 * closed tips still holding one, found by closing time.
	 */
	"ALTER TABLE tips ADD COLUMN reporter_erased_at TEXT;"
	"CREATE INDEX tips_retention ON tips(closed_at) "
	"  WHERE reporter_erased_at IS NULL AND reporter_id IS NOT NULL;"
	"CREATE INDEX calls_at ON calls(at);",

	/*
	 * 22: the counties' names (areas.csv), so that a message naming its
	 * county is routed within it when several are imported.
	 */
	"CREATE TABLE counties ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL);",
};
#define STORE_SCHEMA_VERSION \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))

static int
store_version_check(struct store *st, int version, char **cause)
{
	if (version > STORE_SCHEMA_VERSION) {
		xasprintf(cause, "%s: schema version %d is newer than this "
		    "tipgw understands (%d)", st->path, version,
		    STORE_SCHEMA_VERSION);
		return (-1);
	}
	if (version < STORE_SCHEMA_VERSION && st->readonly) {
		xasprintf(cause, "%s: schema version %d needs upgrading to %d; "
		    "start tipgwd once", st->path, version,
		    STORE_SCHEMA_VERSION);
		return (-1);
	}
	return (0);
}

/*
 * Apply the migrations the database has not seen, in one transaction that
 * re-reads the version, so two processes starting together cannot both
 * migrate.
 */
int
store_migrate(struct store *st, char **cause)
{
	char	*sql;
	int	 version, from, rc = 0;

	if (store_pragma_int(st, "PRAGMA user_version", &version, cause) != 0)
		return (-1);
	if (store_version_check(st, version, cause) != 0)
		return (-1);
	if (version == STORE_SCHEMA_VERSION)
		return (0);
	if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
		return (-1);
	if (store_pragma_int(st, "PRAGMA user_version", &from, cause) != 0 ||
	    store_version_check(st, from, cause) != 0)
		rc = -1;
	for (version = from; rc == 0 && version < STORE_SCHEMA_VERSION;
	    version++) {
		rc = store_exec(st, store_migrations[version], cause);
		if (rc == 0 && version + 1 == 14)
			rc = store_tip_text_fill(st, cause);
	}
	if (rc == 0) {
		xasprintf(&sql, "PRAGMA user_version = %d; COMMIT",
		    STORE_SCHEMA_VERSION);
		rc = store_exec(st, sql, cause);
		free(sql);
	}
	if (rc != 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return (-1);
	}
	if (from != STORE_SCHEMA_VERSION)
		log_info("store: database=%s schema=%d->%d", st->path, from,
		    STORE_SCHEMA_VERSION);
	return (0);
}
