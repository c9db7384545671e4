/*
 * The ledger's alerts: a tip that reached an office or the coordinator
 * (queued by the tip's transition), a fault the coordinator must hear of
 * (once per key, and at most once in a window where asked), read back with the tip and the
 * office's channels as they are now, and turned into outbox rows in one
 * transaction. SQL texts are in store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

/*
 * A fault for the coordinator (a dead letter, a modem down): queued once
 * for its key, which starts with "reason:", and, when gap is not 0, only
 * if no fault of that reason was queued in the gap seconds before now (a
 * window that slides, so that two faults a second apart on either side
 * of a full hour are one notice), unless that one reached nobody (no
 * coordinator channel was set then). With a gap, the key goes on with
 * the China time (YYYYMMDDhhmmss), so that the window is a range of the
 * keys' index. *added is 0 when it was not queued.
 */
int
store_alert_fault(struct store *st, const char *reason, const char *key,
    const char *detail, time_t now, time_t gap, int *added, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_ALERT_ADD);
	char		 from[96], when[16];

	store_bind_text(s, 1, tip_owner_name(TIP_OWNER_COORDINATOR));
	store_bind_text(s, 2, reason);
	store_bind_text(s, 3, key);
	store_bind_text(s, 4, detail);
	store_bind_time(s, 5, now);
	if (gap > 0) {
		store_bind_time(s, 6, now - gap);
		snprintf(from, sizeof from, "%s:%s", reason,
		    clock_china_format(now - gap, "%Y%m%d%H%M%S", when,
		    sizeof when));
		store_bind_text(s, 7, from);
	}
	if (store_run(st, s, cause, "queueing a notice") != 0)
		return (-1);
	*added = sqlite3_changes(st->db) == 1;
	return (0);
}

static const char *
store_alert_str(struct store_alert *a, sqlite3_stmt *s, int col)
{
	char	*v = store_column_strdup(s, col);

	if (v != NULL && a->nstrings < (int)(sizeof a->strings /
	    sizeof a->strings[0]))
		a->strings[a->nstrings++] = v;
	else if (v != NULL) {
		free(v);
		v = NULL;
	}
	return (v);
}

static void
store_alert_row(struct store_alert *a, sqlite3_stmt *s)
{
	struct alert_view	*v = &a->view;
	struct alert_owner	*o = &a->owner;
	const char		*owner;

	memset(a, 0, sizeof *a);
	v->id = sqlite3_column_int64(s, 0);
	v->reason = store_alert_str(a, s, 1);
	v->detail = store_alert_str(a, s, 2);
	v->created_at = store_column_time(s, 3);
	owner = (const char *)sqlite3_column_text(s, 4);
	a->coordinator = owner == NULL || strcmp(owner,
	    tip_owner_name(TIP_OWNER_OFFICE)) != 0;
	o->office_id = a->coordinator ? 0 : sqlite3_column_int64(s, 5);
	v->tip_id = sqlite3_column_int64(s, 6);
	v->code = store_alert_str(a, s, 7);
	v->township = store_alert_str(a, s, 8);
	v->township_code = store_alert_str(a, s, 9);
	v->village = store_alert_str(a, s, 10);
	v->kind = store_alert_str(a, s, 11);
	v->product = store_alert_str(a, s, 12);
	v->brand = store_alert_str(a, s, 13);
	v->shop = store_alert_str(a, s, 14);
	v->text = store_alert_str(a, s, 15);
	v->received_at = store_column_time(s, 16);
	o->name = store_alert_str(a, s, 17);
	o->webhook_url = store_alert_str(a, s, 18);
	o->webhook_format = store_alert_str(a, s, 19);
	o->email = store_alert_str(a, s, 20);
	v->key = store_alert_str(a, s, 21);
}

static int
store_alert_phones(struct store *st, struct store_alert *a, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OFFICE_PHONES);
	int		 rc;

	sqlite3_bind_int64(s, 1, a->owner.office_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    a->owner.nphones < ALERT_MAX_PHONES)
		a->owner.phones[a->owner.nphones++] = store_alert_str(a, s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "reading an office's phones");
		return (-1);
	}
	return (0);
}

/* Up to limit alerts not yet sent, oldest first, with their tips. */
int
store_alerts_pending(struct store *st, int limit, struct store_alert **out,
    int *n, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_ALERTS_PENDING);
	int		 rc, i;

	*out = NULL;
	*n = 0;
	sqlite3_bind_int(s, 1, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		store_alert_row(&(*out)[(*n)++], s);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cause(st, cause, "reading alerts");
		rc = -1;
	} else
		rc = 0;
	for (i = 0; rc == 0 && i < *n; i++) {
		if (!(*out)[i].coordinator)
			rc = store_alert_phones(st, &(*out)[i], cause);
	}
	if (rc != 0) {
		store_alerts_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return (rc);
}

void
store_alerts_free(struct store_alert *a, int n)
{
	int	 i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < a[i].nstrings; j++)
			free(a[i].strings[j]);
	}
	free(a);
}

/*
 * An alert turned into its messages: the outbox rows and the alert
 * marked sent, in one transaction. 1 if another pass had done it.
 */
int
store_alert_expand(struct store *st, const struct store_alert *a,
    const struct alert_msg *m, int n, time_t now, char **cause)
{
	struct store_outbox_new	 o;
	sqlite3_stmt		*s;
	long long		 id;
	int			 i, rc = 0;

	if (store_begin(st, cause) != 0)
		return (-1);
	s = store_stmt(st, STMT_ALERT_EXPANDED);
	sqlite3_bind_int64(s, 1, a->view.id);
	store_bind_time(s, 2, now);
	sqlite3_bind_int(s, 3, n);
	if (store_run(st, s, cause, "marking the alert") != 0)
		rc = -1;
	else if (sqlite3_changes(st->db) == 0)
		rc = 1;
	for (i = 0; rc == 0 && i < n; i++) {
		memset(&o, 0, sizeof o);
		o.dedup_key = m[i].key;
		o.intent = m[i].intent;
		o.channel = m[i].channel;
		o.destination = m[i].destination;
		o.body = m[i].body;
		o.tip_id = a->view.tip_id;
		o.at = now;
		rc = store_outbox_queue(st, &o, &id, cause);
	}
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0)
		store_rollback(st);
	return (rc);
}
