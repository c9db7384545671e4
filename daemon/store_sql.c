/*
 * Every SQL text of the ledger, one a statement of store_int.h's enum;
 * store.c prepares each once. Values are always bound, never written
 * into a text; store_desk.c alone puts a query together, from fixed
 * fragments of its own.
 */
#include "config.h"

#include "store_int.h"

/* A tip as the ledger lists it (store_tip_row reads its columns). */
#define STORE_TIP_SELECT \
	    "SELECT t.id, t.code, t.channel, t.raw_message_id, t.received_at, " \
	    "t.text, t.state, t.kind, t.product, t.township_code, " \
	    "t.village_code, o.name, tw.name, v.name, t.brand, t.place, " \
	    "t.shop, t.route, t.candidates, t.questions, t.last_message_at, " \
	    "t.updated_at, t.clock_from, t.filed_at, t.closed_at, t.result, " \
	    "t.extended_by, t.extension_reason, t.paused_from, t.paused_days, " \
	    "t.kinds, t.products, t.order_12315 " \
	    "FROM tips t LEFT JOIN offices o ON o.id = t.office_id " \
	    "LEFT JOIN townships tw ON tw.code = t.township_code " \
	    "LEFT JOIN villages v ON v.code = t.village_code "

const char store_tip_select[] = STORE_TIP_SELECT;

const char *const store_sql[STMT_COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_SAVEPOINT] = "SAVEPOINT tipgw_one",
	[STMT_RELEASE] = "RELEASE tipgw_one",
	[STMT_ROLLBACK_TO] = "ROLLBACK TO tipgw_one",
	[STMT_PING] = "SELECT count(*) FROM sqlite_master",
	[STMT_EVENT_ADD] =
	    "INSERT INTO events (at, actor, action, tip_id, detail, hash) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, tipgw_chain((SELECT hash FROM events "
	    "ORDER BY id DESC LIMIT 1), ?1, ?2, ?3, ?4, ?5))",
	[STMT_EVENTS_BETWEEN] =
	    "SELECT count(*) FROM events WHERE action = ?1 AND at >= ?2 AND "
	    "at < ?3 AND (?4 IS NULL OR detail LIKE ?4)",
	[STMT_TOWNSHIP_UPSERT] =
	    "INSERT INTO townships (code, name, county_code, city_code, "
	    "province_code) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
	    "county_code = excluded.county_code, city_code = excluded.city_code, "
	    "province_code = excluded.province_code",
	[STMT_VILLAGE_UPSERT] =
	    "INSERT INTO villages (code, name, township_code) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT(code) DO UPDATE SET "
	    "name = excluded.name, township_code = excluded.township_code",
	[STMT_COUNTY_UPSERT] =
	    "INSERT INTO counties (code, name) VALUES (?1, ?2) "
	    "ON CONFLICT(code) DO UPDATE SET name = excluded.name",
	[STMT_TOWNSHIP_COUNT] = "SELECT count(*) FROM townships",
	[STMT_VILLAGE_COUNT] = "SELECT count(*) FROM villages",
	[STMT_TOWNSHIP_LIST] =
	    "SELECT t.code, t.name, (SELECT count(*) FROM villages v "
	    "WHERE v.township_code = t.code), o.name FROM townships t "
	    "LEFT JOIN offices o ON o.id = t.office_id ORDER BY t.code",
	[STMT_OFFICE_INSERT] =
	    "INSERT INTO offices (name, webhook_url, email, created_at, "
	    "updated_at, webhook_format) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
	[STMT_OFFICE_ID] = "SELECT id FROM offices WHERE name = ?1",
	[STMT_OFFICE_UPDATE] =
	    "UPDATE offices SET name = coalesce(?2, name), "
	    "webhook_url = CASE WHEN ?3 IS NULL THEN webhook_url "
	    "  WHEN ?3 = '' THEN NULL ELSE ?3 END, "
	    "email = CASE WHEN ?4 IS NULL THEN email "
	    "  WHEN ?4 = '' THEN NULL ELSE ?4 END, "
	    "webhook_format = CASE WHEN ?6 IS NULL THEN webhook_format "
	    "  WHEN ?6 = '' THEN NULL ELSE ?6 END, "
	    "updated_at = ?5 WHERE id = ?1",
	[STMT_OFFICE_PHONES_CLEAR] =
	    "DELETE FROM office_phones WHERE office_id = ?1",
	[STMT_OFFICE_PHONE_ADD] =
	    "INSERT OR IGNORE INTO office_phones (office_id, phone) "
	    "VALUES (?1, ?2)",
	[STMT_OFFICE_TOWNSHIPS_CLEAR] =
	    "UPDATE townships SET office_id = NULL WHERE office_id = ?1",
	[STMT_TOWNSHIP_ASSIGN] =
	    "UPDATE townships SET office_id = ?1 WHERE code = ?2 AND "
	    "(office_id IS NULL OR office_id = ?1)",
	[STMT_TOWNSHIP_OWNER] =
	    "SELECT o.name FROM townships t LEFT JOIN offices o "
	    "ON o.id = t.office_id WHERE t.code = ?1",
	[STMT_OFFICE_LIST] =
	    "SELECT id, name, webhook_url, email, webhook_format FROM offices "
	    "ORDER BY name",
	[STMT_OFFICE_PHONES] =
	    "SELECT phone FROM office_phones WHERE office_id = ?1 "
	    "ORDER BY phone",
	[STMT_OFFICE_TOWNSHIPS] =
	    "SELECT code FROM townships WHERE office_id = ?1 ORDER BY code",
	[STMT_REPORTER_UPSERT] =
	    "INSERT INTO reporters (phone, first_seen, last_seen) "
	    "VALUES (?1, ?2, ?2) ON CONFLICT(phone) DO UPDATE SET "
	    "last_seen = max(last_seen, excluded.last_seen) RETURNING id",
	[STMT_TIP_INSERT] =
	    "INSERT INTO tips (code, channel, raw_message_id, reporter_id, "
	    "received_at, text, state, kind, product, township_code, "
	    "village_code, updated_at, created_by) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?5, ?12)",
	[STMT_PART_KNOWN] = "SELECT 1 FROM raw_parts WHERE part_key = ?1",
	[STMT_RAW_INSERT] =
	    "INSERT INTO raw_messages (dedup_key, modem, sender, smsc, "
	    "smsc_time, received_at, concat_ref, parts_total, parts_present, "
	    "coding, text, raw_hex, flags, disposition) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
	    "ON CONFLICT(dedup_key) DO NOTHING",
	[STMT_RAW_ID] = "SELECT id FROM raw_messages WHERE dedup_key = ?1",
	[STMT_PART_INSERT] =
	    "INSERT OR IGNORE INTO raw_parts (raw_message_id, part_key, "
	    "part_number, text) VALUES (?1, ?2, ?3, ?4)",
	/* The parts of an earlier message of the same group, with a tip. */
	[STMT_RAW_SIBLING] =
	    "SELECT rm.tip_id, p.part_number, p.text FROM raw_messages rm "
	    "JOIN raw_parts p ON p.raw_message_id = rm.id WHERE "
	    "rm.sender = ?1 AND rm.concat_ref = ?2 AND rm.parts_total = ?3 "
	    "AND rm.received_at >= ?4 AND rm.disposition = ?5 AND "
	    "rm.tip_id = (SELECT max(tip_id) FROM raw_messages WHERE "
	    "sender = ?1 AND concat_ref = ?2 AND parts_total = ?3 AND "
	    "received_at >= ?4 AND disposition = ?5) ORDER BY p.part_number",
	[STMT_CALL_INSERT] =
	    "INSERT INTO calls (modem, caller, at, hung_up) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[STMT_OUTBOX_QUEUE] =
	    "INSERT INTO outbox (dedup_key, channel, destination, body, tip_id, "
	    "next_attempt_at, created_at, intent) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?6, ?7) ON CONFLICT(dedup_key) DO NOTHING",
	/* ?4, ?5: the states a row is taken from (outbox_state.c). */
	[STMT_OUTBOX_DUE] =
	    "SELECT o.id, o.destination, o.body, o.attempts, o.dedup_key, "
	    "o.created_at, o.intent, o.state, EXISTS (SELECT 1 FROM reporters r "
	    "WHERE r.phone = o.destination AND o.created_at < r.opted_out_at), "
	    "o.resends FROM outbox o WHERE o.channel = ?3 AND o.state IN (?4, ?5) "
	    "AND o.next_attempt_at <= ?1 ORDER BY o.next_attempt_at, o.id "
	    "LIMIT ?2",
	/* An outbox row's state moves only from the state it was read in. */
	[STMT_OUTBOX_MOVE] =
	    "UPDATE outbox SET state = ?3, attempts = attempts + ?4, "
	    "last_error = CASE ?5 WHEN 1 THEN ?6 WHEN 2 THEN NULL "
	    "ELSE last_error END, next_attempt_at = coalesce(?7, "
	    "next_attempt_at), sent_at = coalesce(?8, sent_at), "
	    "resends = resends + ?9 WHERE id = ?1 AND state = ?2",
	[STMT_OUTBOX_IN_STATE] =
	    "SELECT id, channel, (SELECT count(*) FROM sms_sent s WHERE "
	    "s.outbox_id = outbox.id) FROM outbox WHERE state = ?1 ORDER BY id",
	[STMT_OUTBOX_TIP] = "SELECT tip_id FROM outbox WHERE id = ?1",
	[STMT_OUTBOX_WHAT] =
	    "SELECT o.intent, o.channel, t.code FROM outbox o LEFT JOIN tips t "
	    "ON t.id = o.tip_id WHERE o.id = ?1",
	/* ?1: the states on a clock, from tip_states_json(). */
	[STMT_OPEN_TIPS] =
	    "SELECT t.id, t.code, t.state, coalesce(t.clock_from, "
	    "t.received_at), t.township_code, tw.name, o.name, "
	    "t.extended_by IS NOT NULL, t.paused_days, t.paused_from, "
	    "t.filed_at FROM tips t LEFT JOIN townships tw ON "
	    "tw.code = t.township_code LEFT JOIN offices o ON "
	    "o.id = t.office_id WHERE t.state IN (SELECT value FROM "
	    "json_each(?1)) ORDER BY t.id",
	/* A tip's state moves only from the state it was read in. */
	[STMT_TIP_MOVE] =
	    "UPDATE tips SET state = ?3, updated_at = ?4 WHERE id = ?1 AND "
	    "state = ?2",
	[STMT_TIP_DO_OFFICE] =
	    "UPDATE tips SET office_id = (SELECT office_id FROM townships "
	    "WHERE code = tips.township_code) WHERE id = ?1",
	[STMT_TIP_DO_CLEAR_OFFICE] =
	    "UPDATE tips SET office_id = NULL WHERE id = ?1",
	[STMT_TIP_DO_CLOCK] =
	    "UPDATE tips SET clock_from = ?2, extended_by = NULL, "
	    "extension_reason = NULL, paused_from = NULL, paused_days = 0 "
	    "WHERE id = ?1",
	[STMT_TIP_DO_CASE_CLOCK] =
	    "UPDATE tips SET filed_at = ?2, extended_by = NULL, "
	    "extension_reason = NULL, paused_from = NULL, paused_days = 0 "
	    "WHERE id = ?1 AND filed_at IS NULL",
	[STMT_TIP_DO_CLOSED] =
	    "UPDATE tips SET closed_at = ?2, result = coalesce(?3, result) "
	    "WHERE id = ?1",
	[STMT_TIP_DO_EXTEND] =
	    "UPDATE tips SET extended_by = ?2, extension_reason = ?3 "
	    "WHERE id = ?1 AND extended_by IS NULL",
	[STMT_TIP_DO_PAUSE] =
	    "UPDATE tips SET paused_from = ?2 WHERE id = ?1 AND "
	    "paused_from IS NULL",
	[STMT_TIP_DO_RESUME] =
	    "UPDATE tips SET paused_from = NULL, paused_days = paused_days + ?2 "
	    "WHERE id = ?1 AND paused_from IS NOT NULL",
	[STMT_TIP_DO_TELL] =
	    "INSERT INTO alerts (tip_id, owner, office_id, reason, detail, "
	    "created_at) SELECT id, ?2, CASE WHEN ?2 = ?5 THEN office_id END, "
	    "?3, ?4, ?6 FROM tips WHERE id = ?1 AND (?7 IS NULL OR NOT EXISTS "
	    "(SELECT 1 FROM alerts WHERE tip_id = ?1 AND reason = ?3 AND "
	    "created_at >= ?7))",
	[STMT_ALERT_ADD] =
	    "INSERT INTO alerts (owner, reason, dedup_key, detail, created_at) "
	    "SELECT ?1, ?2, ?3, ?4, ?5 WHERE ?6 IS NULL OR NOT EXISTS "
	    "(SELECT 1 FROM alerts WHERE dedup_key > ?7 AND "
	    "dedup_key < ?2 || ';' AND reason = ?2 AND created_at > ?6 AND "
	    "created_at <= ?5 AND (expanded_at IS NULL OR messages > 0)) "
	    "ON CONFLICT(dedup_key) DO NOTHING",
	[STMT_ALERTS_PENDING] =
	    "SELECT a.id, a.reason, a.detail, a.created_at, a.owner, "
	    "a.office_id, t.id, t.code, tw.name, t.township_code, v.name, "
	    "coalesce(nullif(t.kinds, ''), t.kind), "
	    "coalesce(t.products, t.product), "
	    "t.brand, t.shop, t.text, t.received_at, "
	    "o.name, o.webhook_url, o.webhook_format, o.email, a.dedup_key "
	    "FROM alerts a LEFT JOIN tips t ON t.id = a.tip_id "
	    "LEFT JOIN townships tw ON tw.code = t.township_code "
	    "LEFT JOIN villages v ON v.code = t.village_code "
	    "LEFT JOIN offices o ON o.id = a.office_id "
	    "WHERE a.expanded_at IS NULL ORDER BY a.id LIMIT ?1",
	[STMT_ALERT_EXPANDED] =
	    "UPDATE alerts SET expanded_at = ?2, messages = ?3 WHERE id = ?1 "
	    "AND expanded_at IS NULL",
	[STMT_TIP_PLACE] =
	    "UPDATE tips SET township_code = ?2, village_code = CASE WHEN "
	    "village_code IN (SELECT code FROM villages WHERE "
	    "township_code = ?2) THEN village_code END, route = ?3 "
	    "WHERE id = ?1",
	[STMT_TIP_SET_PIN] =
	    "UPDATE tips SET pin_hash = ?2 WHERE id = ?1 AND pin_hash IS NULL",
	/* A message to a tip's reporter: the number never leaves SQL. */
	[STMT_TIP_TO_REPORTER] =
	    "INSERT INTO outbox (dedup_key, channel, destination, body, tip_id, "
	    "next_attempt_at, created_at, intent) SELECT ?2, 'sms', r.phone, "
	    "?3, t.id, ?4, ?4, ?5 FROM tips t JOIN reporters r ON "
	    "r.id = t.reporter_id WHERE t.id = ?1 AND r.opted_out_at IS NULL "
	    "ON CONFLICT(dedup_key) DO NOTHING",
	[STMT_TIPS_UNANSWERED] =
	    "SELECT code FROM tips WHERE state = ?1 AND "
	    "coalesce(last_message_at, received_at) < ?2 ORDER BY id",
	/* Old ledgers kept PINs in clear: hashed at start, then dropped. */
	[STMT_TIP_CLEAR_PINS] =
	    "SELECT id, code, pin FROM tips WHERE pin IS NOT NULL",
	[STMT_TIP_HASH_PIN] =
	    "UPDATE tips SET pin_hash = ?2, pin = NULL WHERE id = ?1",
	/* A tip by its code, or one with no code by ID and its id (ID12). */
	[STMT_TIP_STATE_OF] =
	    "SELECT id, state FROM tips WHERE code = ?1 UNION ALL "
	    "SELECT id, state FROM tips WHERE ?1 GLOB 'ID[1-9]*' AND "
	    "NOT substr(?1, 3) GLOB '*[^0-9]*' AND "
	    "id = CAST(substr(?1, 3) AS INTEGER) AND code IS NULL LIMIT 1",
	[STMT_SENDER_COUNT] =
	    "SELECT count(*) FROM raw_messages WHERE sender = ?1 AND "
	    "received_at >= ?2 AND (?3 IS NULL OR disposition = ?3) AND "
	    "(?4 IS NULL OR reason GLOB ?4)",
	[STMT_OUTBOX_COUNT_INTENT] =
	    "SELECT count(*) FROM outbox WHERE destination = ?1 AND "
	    "intent = ?3 AND created_at >= ?2",
	[STMT_CALLS_OPEN] =
	    "SELECT id, modem, caller, at, hung_up FROM calls "
	    "WHERE handled_at IS NULL AND (?1 = 0 OR id = ?1) ORDER BY id",
	[STMT_CALL_DONE] =
	    "UPDATE calls SET handled_at = ?2 WHERE id = ?1 AND "
	    "handled_at IS NULL",
	[STMT_OUTBOX_COUNTS] =
	    "SELECT state, count(*) FROM outbox WHERE state <> ?1 "
	    "GROUP BY state",
	[STMT_SMS_PARTS_SINCE] =
	    "SELECT coalesce(sum(parts), 0) FROM sms_sent WHERE sent_at >= ?1",
	[STMT_USER_ADD] =
	    "INSERT INTO users (name, role, token_hash, created_at) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[STMT_USER_TOWNSHIP_ADD] =
	    "INSERT INTO user_townships (user_id, township_code) "
	    "SELECT ?1, code FROM townships WHERE code = ?2",
	[STMT_USER_REVOKE] =
	    "UPDATE users SET revoked_at = ?2 WHERE name = ?1 AND "
	    "revoked_at IS NULL",
	[STMT_USERS] =
	    "SELECT u.id, u.name, u.role, u.created_at, u.revoked_at, "
	    "(SELECT group_concat(township_code, ',') FROM (SELECT "
	    "township_code FROM user_townships WHERE user_id = u.id ORDER BY "
	    "township_code)) FROM users u ORDER BY u.name",
	[STMT_USER_BY_TOKEN] =
	    "SELECT u.id, u.name, u.role, u.created_at, u.revoked_at, "
	    "(SELECT group_concat(township_code, ',') FROM (SELECT "
	    "township_code FROM user_townships WHERE user_id = u.id ORDER BY "
	    "township_code)) FROM users u WHERE u.token_hash = ?1 AND "
	    "u.revoked_at IS NULL",
	[STMT_METRICS_TIPS] =
	    "SELECT state, coalesce(township_code, ''), count(*) FROM tips "
	    "GROUP BY 1, 2 ORDER BY 1, 2",
	[STMT_METRICS_RAW] =
	    "SELECT disposition, count(*) FROM raw_messages GROUP BY 1 "
	    "ORDER BY 1",
	[STMT_METRICS_OUTBOX] =
	    "SELECT state, channel, count(*) FROM outbox GROUP BY 1, 2 "
	    "ORDER BY 1, 2",
	[STMT_METRICS_SENT] =
	    "SELECT modem, count(*), coalesce(sum(parts), 0) FROM sms_sent "
	    "GROUP BY 1 ORDER BY 1",
	[STMT_HEALTH_PROBE] =
	    "INSERT OR REPLACE INTO health (id, checked_at) VALUES (1, ?1)",
	[STMT_SMS_PARTS_BY_INTENT] =
	    "SELECT o.intent, sum(s.parts) FROM sms_sent s LEFT JOIN outbox o "
	    "ON o.id = s.outbox_id WHERE s.sent_at >= ?1 GROUP BY o.intent",
	[STMT_SENT_INSERT] =
	    "INSERT INTO sms_sent (outbox_id, modem, recipient, reference, "
	    "parts, sent_at, delivery) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_SENT_PART_INSERT] =
	    "INSERT INTO sms_sent_parts (sent_id, part, reference) "
	    "VALUES (?1, ?2, ?3)",
	[STMT_SENT_PART_REPORT] =
	    "UPDATE sms_sent_parts SET delivery = ?4, delivered_at = ?5, "
	    "report_status = ?6 WHERE rowid = (SELECT p.rowid FROM "
	    "sms_sent_parts p JOIN sms_sent s ON s.id = p.sent_id WHERE "
	    "s.modem = ?1 AND p.reference = ?2 AND "
	    "substr(s.recipient, -8) = substr(?3, -8) ORDER BY s.id DESC "
	    "LIMIT 1) RETURNING sent_id",
	/* A message is what its parts are: failed if one, delivered if all. */
	[STMT_SENT_DELIVERY] =
	    "UPDATE sms_sent SET delivery = (SELECT CASE "
	    "WHEN sum(delivery = 'failed') > 0 THEN 'failed' "
	    "WHEN sum(delivery = 'delivered') = count(*) THEN 'delivered' "
	    "ELSE 'pending' END FROM sms_sent_parts WHERE sent_id = ?1), "
	    "delivered_at = (SELECT max(delivered_at) FROM sms_sent_parts "
	    "WHERE sent_id = ?1), report_status = (SELECT report_status FROM "
	    "sms_sent_parts WHERE sent_id = ?1 ORDER BY delivered_at DESC "
	    "LIMIT 1) WHERE id = ?1",
	[STMT_SENT_REPORT] =
	    "UPDATE sms_sent SET delivery = ?4, delivered_at = ?5, "
	    "report_status = ?6 WHERE id = (SELECT id FROM sms_sent "
	    "WHERE modem = ?1 AND reference = ?2 AND "
	    "substr(recipient, -8) = substr(?3, -8) ORDER BY id DESC LIMIT 1) "
	    "RETURNING id",
	[STMT_REPORTER_PRIOR] =
	    "SELECT t.id, t.code, t.text, t.state, t.township_code, t.kind, "
	    "coalesce(t.last_message_at, t.received_at), t.questions, "
	    "r.opted_out_at, t.pin_hash, t.product, t.village_code, "
	    "t.candidates, t.kinds, t.products, t.version "
	    "FROM reporters r LEFT JOIN tips t ON "
	    "t.reporter_id = r.id WHERE r.phone = ?1 ORDER BY t.id DESC "
	    "LIMIT 1",
	/* A tip as the conversation needs it, by id (a late part's). */
	[STMT_TIP_PRIOR_BY_ID] =
	    "SELECT t.id, t.code, t.text, t.state, t.township_code, t.kind, "
	    "coalesce(t.last_message_at, t.received_at), t.questions, "
	    "r.opted_out_at, t.pin_hash, t.product, t.village_code, "
	    "t.candidates, t.kinds, t.products, t.version "
	    "FROM tips t JOIN reporters r ON r.id = t.reporter_id "
	    "WHERE t.id = ?1",
	[STMT_TIP_UNDERSTOOD] =
	    "UPDATE tips SET text = ?2, kind = ?4, product = ?5, "
	    "township_code = ?6, village_code = ?7, route = ?8, "
	    "brand = coalesce(?9, brand), place = coalesce(?10, place), "
	    "candidates = ?11, questions = ?12, "
	    "last_message_at = ?13, updated_at = ?13, "
	    "pin_hash = coalesce(?14, pin_hash), shop = coalesce(?15, shop), "
	    "kinds = ?16, products = ?17, partial = ?18 WHERE id = ?1 AND "
	    "(?19 IS NULL OR version = ?19)",
	[STMT_RAW_LINK] =
	    "UPDATE raw_messages SET tip_id = ?2, reason = ?3 WHERE id = ?1",
	[STMT_REPORTER_OPTIN] =
	    "UPDATE reporters SET opted_out_at = NULL, "
	    "subscribed_at = coalesce(subscribed_at, ?2) WHERE phone = ?1 AND "
	    "(opted_out_at IS NOT NULL OR subscribed_at IS NULL)",
	[STMT_REPORTER_OPTOUT] =
	    "UPDATE reporters SET opted_out_at = ?2, subscribed_at = NULL "
	    "WHERE phone = ?1 AND opted_out_at IS NULL",
	[STMT_OFFICE_TOWNSHIPS_ALL] =
	    "SELECT code FROM townships WHERE office_id IS NOT NULL "
	    "ORDER BY code",
	[STMT_BEGIN_READ] = "BEGIN",
	[STMT_TIP_BY_CODE] =
	    "SELECT t.id, t.pin_hash, t.state, tw.name, t.office_id, r.id, "
	    "r.state FROM tips t "
	    "LEFT JOIN townships tw ON tw.code = t.township_code "
	    "LEFT JOIN rewards r ON r.tip_id = t.id "
	    "WHERE t.code = ?1",
	[STMT_TOWNSHIP_OFFICE] =
	    "SELECT o.id, o.name, o.webhook_url, o.webhook_format, o.email "
	    "FROM townships t JOIN offices o ON "
	    "o.id = t.office_id WHERE t.code = ?1",
	[STMT_PHONE_OFFICE] =
	    "SELECT office_id FROM office_phones WHERE phone IN "
	    "(?1, '+86' || ?1, '0086' || ?1, '86' || ?1) "
	    "ORDER BY office_id LIMIT 1",
	[STMT_DIVISION_TOWNSHIPS] =
	    "SELECT code, name, county_code, city_code, province_code "
	    "FROM townships ORDER BY code",
	[STMT_DIVISION_VILLAGES] =
	    "SELECT code, name, township_code FROM villages ORDER BY code",
	[STMT_DIVISION_COUNTIES] =
	    "SELECT code, name FROM counties ORDER BY code",
	[STMT_OUTBOX_LIST] =
	    "SELECT id, dedup_key, channel, destination, state, attempts, "
	    "next_attempt_at, last_error, created_at, sent_at, tip_id, intent "
	    "FROM outbox WHERE ?1 IS NULL OR state = ?1 ORDER BY id",
	[STMT_OUTBOX_STATE] = "SELECT state FROM outbox WHERE id = ?1",
	[STMT_OUTBOX_COUNT_TO] =
	    "SELECT count(*) FROM outbox WHERE channel = 'sms' AND "
	    "destination = ?1 AND created_at >= ?2",
	[STMT_TIP_LIST] =
	    STORE_TIP_SELECT
	    "WHERE (?1 IS NULL OR t.state = ?1) AND "
	    "(?2 IS NULL OR t.township_code = ?2) AND "
	    "(?3 IS NULL OR t.received_at >= ?3) AND "
	    "(?4 IS NULL OR t.received_at < ?4) AND "
	    "(?5 IS NULL OR t.code = ?5) ORDER BY t.id",
	[STMT_TIP_REPORTER] =
	    "SELECT t.id, r.phone, t.reporter_erased_at FROM tips t "
	    "LEFT JOIN reporters r ON r.id = t.reporter_id WHERE t.code = ?1",
	[STMT_CASE_CANDIDATES] =
	    "SELECT t.id, t.received_at, t.township_code, t.village_code, "
	    "t.shop, t.kind, coalesce(c.id, 0) FROM tips t "
	    "LEFT JOIN cases c ON c.id = t.case_id AND c.state IN "
	    "('proposed', 'confirmed', 'decided') WHERE t.case_apart = 0 AND "
	    "((t.case_id IS NULL AND t.received_at >= ?1) OR c.id IS NOT NULL)",
	[STMT_CASE_INSERT] =
	    "INSERT INTO cases (state, created_at, updated_at) "
	    "VALUES (?1, ?2, ?2)",
	[STMT_CASE_MOVE] =
	    "UPDATE cases SET state = ?3, updated_at = ?4 WHERE id = ?1 AND "
	    "state = ?2",
	[STMT_CASE_STATE_OF] = "SELECT state FROM cases WHERE id = ?1",
	[STMT_TIP_SET_CASE] = "UPDATE tips SET case_id = ?2 WHERE id = ?1",
	[STMT_TIP_CASE_APART] =
	    "UPDATE tips SET case_id = NULL, case_apart = 1 WHERE id = ?1 AND "
	    "case_id = ?2",
	[STMT_CASE_COUNT_TIPS] = "SELECT count(*) FROM tips WHERE case_id = ?1",
	[STMT_CASE_FREE] = "UPDATE tips SET case_id = NULL WHERE case_id = ?1",
	[STMT_CASE_LIST] =
	    "SELECT c.id, c.state, c.created_at, c.updated_at, c.verified, "
	    "c.specific, c.known_before, c.finding, c.measure, c.deadline, "
	    "c.responsible, c.penalty, c.confiscated, c.closed_down, c.level, "
	    "c.referral, c.referral_at, c.followup, "
	    "(SELECT count(*) FROM tips t WHERE t.case_id = c.id) "
	    "FROM cases c WHERE (?1 IS NULL OR c.state = ?1) AND "
	    "(?2 IS NULL OR c.id = ?2) ORDER BY c.id",
	[STMT_CASE_TIPS] =
	    "SELECT t.id, t.code, t.received_at, t.channel, t.state, "
	    "t.township_code, tw.name, t.village_code, v.name, t.shop, t.kind, "
	    "t.product, t.text FROM tips t "
	    "LEFT JOIN townships tw ON tw.code = t.township_code "
	    "LEFT JOIN villages v ON v.code = t.village_code "
	    "WHERE t.case_id = ?1 ORDER BY t.received_at, t.id",
	[STMT_CASE_OUTCOME] =
	    "UPDATE cases SET verified = coalesce(?2, verified), "
	    "specific = coalesce(?3, specific), "
	    "known_before = coalesce(?4, known_before), "
	    "finding = coalesce(?5, finding), measure = coalesce(?6, measure), "
	    "deadline = coalesce(?7, deadline), "
	    "responsible = coalesce(?8, responsible), "
	    "penalty = coalesce(?9, penalty), "
	    "confiscated = coalesce(?10, confiscated), "
	    "closed_down = coalesce(?11, closed_down), "
	    "level = coalesce(?12, level), referral = coalesce(?13, referral), "
	    "referral_at = CASE WHEN ?13 IS NULL THEN referral_at ELSE ?14 END, "
	    "followup = coalesce(?15, followup), updated_at = ?14 "
	    "WHERE id = ?1",
	[STMT_REWARD_OPEN] =
	    "INSERT INTO rewards (case_id, tip_id, state, created_at, "
	    "updated_at) VALUES (?1, ?2, ?3, ?4, ?4) "
	    "ON CONFLICT(tip_id) DO NOTHING",
	[STMT_REWARD_LIST] =
	    "SELECT r.id, r.case_id, r.tip_id, t.code, r.state, r.rule_set, "
	    "r.level, r.amount, r.why, r.staff, r.brand_owner, r.violator, "
	    "r.insider, r.paid_by_other, r.claim_days, r.created_at, "
	    "r.updated_at, t.received_at, t.reporter_id, "
	    "(SELECT count(*) FROM tips e WHERE e.case_id = r.case_id AND "
	    "(e.received_at < t.received_at OR (e.received_at = "
	    "t.received_at AND e.id < t.id))), "
	    "(SELECT count(*) FROM tips e WHERE e.case_id = r.case_id AND "
	    "e.reporter_id = t.reporter_id AND (e.received_at < t.received_at "
	    "OR (e.received_at = t.received_at AND e.id < t.id))) "
	    "FROM rewards r JOIN tips t ON t.id = r.tip_id "
	    "WHERE (?1 IS NULL OR r.state = ?1) AND (?2 IS NULL OR "
	    "r.case_id = ?2) AND (?3 IS NULL OR r.id = ?3) ORDER BY r.id",
	[STMT_REWARD_MOVE] =
	    "UPDATE rewards SET state = ?3, rule_set = CASE WHEN ?4 THEN ?5 "
	    "ELSE rule_set END, level = CASE WHEN ?4 THEN ?6 ELSE level END, "
	    "amount = CASE WHEN ?4 OR ?7 IS NOT NULL THEN ?7 ELSE amount END, "
	    "why = CASE WHEN ?4 THEN ?8 ELSE why END, "
	    "claim_days = CASE WHEN ?4 THEN ?9 ELSE claim_days END, "
	    "updated_at = ?10 WHERE id = ?1 AND state = ?2",
	[STMT_REWARD_FLAGS] =
	    "UPDATE rewards SET staff = ?2, brand_owner = ?3, violator = ?4, "
	    "insider = ?5, paid_by_other = ?6, updated_at = ?7 WHERE id = ?1",
	[STMT_REWARD_REPORTER] =
	    "SELECT r.tip_id, p.phone, p.opted_out_at IS NOT NULL FROM rewards r "
	    "JOIN tips t ON t.id = r.tip_id "
	    "LEFT JOIN reporters p ON p.id = t.reporter_id WHERE r.id = ?1",
	[STMT_TIP_SET_ORDER] =
	    "UPDATE tips SET order_12315 = ?2 WHERE id = ?1",
	[STMT_REPORT_TIPS] =
	    "SELECT t.township_code, tw.name, t.kind, t.product, "
	    "t.received_at, (SELECT min(e.at) FROM events e WHERE "
	    "e.tip_id = t.id AND e.action IN ('tip.office_ack', "
	    "'tip.office_file', 'tip.office_done')), EXISTS (SELECT 1 FROM "
	    "events e WHERE e.tip_id = t.id AND e.action IN ('tip.route', "
	    "'tip.reroute')), coalesce(c.id, 0), c.verified, c.penalty, "
	    "c.confiscated, c.referral IS NOT NULL, r.state, r.amount "
	    "FROM tips t LEFT JOIN townships tw ON tw.code = t.township_code "
	    "LEFT JOIN cases c ON c.id = t.case_id AND c.state IN "
	    "('decided', 'closed') LEFT JOIN rewards r ON r.tip_id = t.id "
	    "WHERE t.received_at >= ?1 AND t.received_at < ?2 "
	    "ORDER BY t.received_at, t.id",
	[STMT_SUBSCRIBERS_IN] =
	    "SELECT DISTINCT r.id, r.phone FROM reporters r JOIN tips t ON "
	    "t.reporter_id = r.id JOIN json_each(?1) j ON j.value = "
	    "t.township_code WHERE r.subscribed_at IS NOT NULL AND "
	    "r.opted_out_at IS NULL ORDER BY r.id",
	[STMT_BROADCAST_ADD] =
	    "INSERT INTO broadcasts (text, townships, recipients, poll_id, "
	    "created_at, actor) VALUES (?1, ?2, 0, ?3, ?4, ?5)",
	[STMT_BROADCAST_COUNT] =
	    "UPDATE broadcasts SET recipients = ?2 WHERE id = ?1",
	[STMT_POLL_OPEN_ONE] =
	    "SELECT id, noptions FROM polls WHERE state = 'open' "
	    "ORDER BY id DESC LIMIT 1",
	[STMT_POLL_ADD] =
	    "INSERT INTO polls (question, options, noptions, state, "
	    "created_at) VALUES (?1, ?2, ?3, 'open', ?4)",
	[STMT_POLL_CLOSE] =
	    "UPDATE polls SET state = 'closed', closed_at = ?2 WHERE id = ?1 "
	    "AND state = 'open'",
	[STMT_POLL_LIST] =
	    "SELECT p.id, p.question, p.options, p.noptions, p.state, "
	    "p.created_at, (SELECT count(*) FROM poll_votes v WHERE "
	    "v.poll_id = p.id) FROM polls p WHERE (?1 IS NULL OR p.id = ?1) "
	    "ORDER BY p.id",
	[STMT_POLL_TALLY] =
	    "SELECT option, count(*) FROM poll_votes WHERE poll_id = ?1 "
	    "GROUP BY option ORDER BY option",
	[STMT_POLL_VOTED] =
	    "SELECT 1 FROM poll_votes v JOIN reporters r ON r.id = "
	    "v.reporter_id WHERE v.poll_id = ?1 AND r.phone = ?2",
	[STMT_POLL_VOTE] =
	    "INSERT INTO poll_votes (poll_id, reporter_id, option, at) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
	[STMT_TIP_TEXT_INDEX] =
	    "INSERT OR REPLACE INTO tips_text (rowid, text) VALUES (?1, ?2)",
	[STMT_TIP_MESSAGES] =
	    "SELECT id, received_at, parts_present, parts_total, disposition, "
	    "reason, text FROM raw_messages WHERE tip_id = ?1 ORDER BY id",
	[STMT_TIP_HISTORY] =
	    "SELECT at, action, actor, detail FROM events WHERE tip_id = ?1 "
	    "ORDER BY id",
	/* tipgwctl check: SQLite's own check, then the ledger's. */
	[STMT_CHECK_INTEGRITY] = "PRAGMA integrity_check",
	[STMT_CHECK_FOREIGN] = "PRAGMA foreign_key_check",
	[STMT_CHECK_NO_SOURCE] =
	    "SELECT t.id, coalesce(t.code, '-') FROM tips t "
	    "LEFT JOIN raw_messages r ON r.id = t.raw_message_id "
	    "WHERE t.channel != 'import' AND r.id IS NULL ORDER BY t.id",
	[STMT_CHECK_OUTBOX] =
	    "SELECT o.id, o.dedup_key, o.tip_id FROM outbox o "
	    "LEFT JOIN tips t ON t.id = o.tip_id "
	    "WHERE (o.tip_id IS NOT NULL AND t.id IS NULL) OR o.intent IS NULL "
	    "ORDER BY o.id",
	[STMT_CHECK_INTENTS] =
	    "SELECT intent, count(*) FROM outbox WHERE intent IS NOT NULL "
	    "GROUP BY intent",
	[STMT_CHECK_CLOCKS] =
	    "SELECT id, coalesce(code, '-'), state FROM tips "
	    "WHERE state != 'closed' AND clock_from IS NULL ORDER BY id",
	[STMT_CHECK_COUNTS] =
	    "SELECT (SELECT count(*) FROM tips), "
	    "(SELECT count(*) FROM raw_messages), (SELECT count(*) FROM outbox)",
	/* Years of holidays imported from the State Council's notice. */
	[STMT_HOLIDAYS_DELETE] = "DELETE FROM holidays WHERE year = ?1",
	[STMT_HOLIDAYS_INSERT] =
	    "INSERT OR REPLACE INTO holidays (day, kind, year, name, batch) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_HOLIDAYS_ALL] =
	    "SELECT year, day, kind FROM holidays ORDER BY year, day",
	[STMT_HOLIDAYS_STAMP] =
	    "SELECT coalesce(max(batch), 0) FROM holidays",
	/* tipgwctl check: the audit log's chain. */
	[STMT_CHECK_EVENTS] =
	    "SELECT id, at, actor, action, tip_id, detail, hash FROM events "
	    "ORDER BY id",
	/*
	 * Retention (store_retention.c): closed before the cutoff (?1); in
	 * no case, or in one closed or dissolved (?10, ?11) before it, so no
	 * reward can still open; no reward still to be decided, claimed or
	 * paid (?3-?6 are its final states); nothing still to send; not a
	 * subscriber's (broadcasts find subscribers by their tips): the
	 * reporter's number goes.
	 */
	[STMT_RETAIN_TIPS] =
	    "SELECT t.id, coalesce(t.code, '-'), r.phone FROM tips t "
	    "JOIN reporters r ON r.id = t.reporter_id "
	    "WHERE t.reporter_erased_at IS NULL AND t.reporter_id IS NOT NULL "
	    "AND t.closed_at < ?1 AND t.state = ?2 "
	    "AND r.subscribed_at IS NULL "
	    "AND (t.case_id IS NULL OR EXISTS (SELECT 1 FROM cases c "
	    "  WHERE c.id = t.case_id AND c.state IN (?10, ?11) "
	    "  AND c.updated_at < ?1)) "
	    "AND NOT EXISTS (SELECT 1 FROM rewards w WHERE w.tip_id = t.id "
	    "  AND (w.state NOT IN (?3, ?4, ?5, ?6) OR w.updated_at >= ?1)) "
	    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.tip_id = t.id "
	    "  AND o.state NOT IN (?7, ?8)) "
	    "ORDER BY t.closed_at LIMIT ?9",
	[STMT_RETAIN_RAW] =
	    "UPDATE raw_messages SET sender = ?2, raw_hex = NULL "
	    "WHERE tip_id = ?1 OR id = (SELECT raw_message_id FROM tips "
	    "WHERE id = ?1)",
	[STMT_RETAIN_SENT] =
	    "UPDATE sms_sent SET recipient = ?3 WHERE recipient = ?2 AND "
	    "outbox_id IN (SELECT id FROM outbox WHERE tip_id = ?1)",
	[STMT_RETAIN_OUTBOX] =
	    "UPDATE outbox SET destination = ?3 WHERE tip_id = ?1 AND "
	    "destination = ?2",
	[STMT_RETAIN_TIP] =
	    "UPDATE tips SET reporter_id = NULL, reporter_erased_at = ?2 "
	    "WHERE id = ?1",
	/* Messages, replies and calls of no tip, older than the cutoff. */
	[STMT_RETAIN_OLD_RAW] =
	    "UPDATE raw_messages SET sender = ?2, raw_hex = NULL WHERE id IN "
	    "(SELECT id FROM raw_messages WHERE tip_id IS NULL AND "
	    "received_at < ?1 AND sender != ?2 LIMIT ?3)",
	[STMT_RETAIN_OLD_SENT] =
	    "UPDATE sms_sent SET recipient = ?2 WHERE recipient != ?2 AND "
	    "outbox_id IN (SELECT id FROM outbox WHERE tip_id IS NULL AND "
	    "channel = 'sms' AND created_at < ?1 AND destination != ?2 AND "
	    "state IN (?4, ?5) LIMIT ?3)",
	[STMT_RETAIN_OLD_OUTBOX] =
	    "UPDATE outbox SET destination = ?2 WHERE id IN "
	    "(SELECT id FROM outbox WHERE tip_id IS NULL AND channel = 'sms' "
	    "AND created_at < ?1 AND destination != ?2 AND state IN (?4, ?5) "
	    "LIMIT ?3)",
	[STMT_RETAIN_CALLS] =
	    "UPDATE calls SET caller = ?2 WHERE id IN (SELECT id FROM calls "
	    "WHERE at < ?1 AND caller != ?2 LIMIT ?3)",
	/* A reporter no tip, vote or choice (订阅, 退订) needs any more. */
	[STMT_RETAIN_REPORTERS] =
	    "DELETE FROM reporters WHERE subscribed_at IS NULL "
	    "AND opted_out_at IS NULL "
	    "AND NOT EXISTS (SELECT 1 FROM tips t WHERE t.reporter_id = "
	    "reporters.id) AND NOT EXISTS (SELECT 1 FROM poll_votes v WHERE "
	    "v.reporter_id = reporters.id)",
};
