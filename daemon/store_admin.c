/*
 * The ledger's reference data: the gazetteer (townships and villages) and
 * the township offices with their duty phones. SQL texts are in store.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
#include "tipgw/xmalloc.h"
#include "store_int.h"

static int
store_gazetteer_rows(struct store *st, const struct division *d,
    char **cause)
{
	sqlite3_stmt	*s;
	size_t		 i;

	for (i = 0; i < d->ntownships; i++) {
		s = store_stmt(st, STMT_TOWNSHIP_UPSERT);
		store_bind_text(s, 1, d->townships[i].code);
		store_bind_text(s, 2, d->townships[i].name);
		store_bind_text(s, 3, d->townships[i].county_code);
		store_bind_text(s, 4, d->townships[i].city_code);
		store_bind_text(s, 5, d->townships[i].province_code);
		if (store_run(st, s, cause, "township") != 0)
			return (-1);
	}
	for (i = 0; i < d->nvillages; i++) {
		s = store_stmt(st, STMT_VILLAGE_UPSERT);
		store_bind_text(s, 1, d->villages[i].code);
		store_bind_text(s, 2, d->villages[i].name);
		store_bind_text(s, 3, d->villages[i].township_code);
		if (store_run(st, s, cause, "village") != 0)
			return (-1);
	}
	return (0);
}

/*
 * Import (insert or update by code) a checked division set in one
 * transaction: all of it or nothing.
 */
int
store_gazetteer_import(struct store *st, const struct division *d, time_t now,
    const char *actor, struct store_import_counts *counts, char **cause)
{
	char	*detail;
	int	 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	xasprintf(&detail, "townships=%zu villages=%zu", d->ntownships,
	    d->nvillages);
	rc = store_gazetteer_rows(st, d, cause);
	if (rc == 0)
		rc = store_event_add(st, now, actor, "gazetteer.import", 0,
		    detail, cause);
	free(detail);
	if (rc == 0)
		rc = store_run_int(st, store_stmt(st, STMT_TOWNSHIP_COUNT),
		    &counts->townships_total, cause, "counting townships");
	if (rc == 0)
		rc = store_run_int(st, store_stmt(st, STMT_VILLAGE_COUNT),
		    &counts->villages_total, cause, "counting villages");
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0) {
		store_rollback(st);
		return (-1);
	}
	counts->townships = (long long)d->ntownships;
	counts->villages = (long long)d->nvillages;
	return (0);
}

/* Call cb for every township, by code; stop early if cb returns non-zero. */
int
store_township_foreach(struct store *st, store_township_cb cb, void *arg,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TOWNSHIP_LIST);
	struct township	 t;
	int		 rc, stop = 0;

	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		t.code = store_column_strdup(s, 0);
		t.name = store_column_strdup(s, 1);
		t.nvillages = sqlite3_column_int64(s, 2);
		t.office_name = store_column_strdup(s, 3);
		stop = cb(&t, arg);
		free(t.code);
		free(t.name);
		free(t.office_name);
	}
	if (!stop && rc != SQLITE_DONE) {
		store_cause(st, cause, "listing townships");
		sqlite3_reset(s);
		return (-1);
	}
	sqlite3_reset(s);
	return (0);
}

static int
store_office_id(struct store *st, const char *name, long long *id,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OFFICE_ID);
	int		 rc;

	store_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE)
		xasprintf(cause, "no office named '%s'", name);
	else
		store_cause(st, cause, "looking up office");
	sqlite3_reset(s);
	return (rc == SQLITE_ROW ? 0 : -1);
}

static int
store_office_phones(struct store *st, long long id, char **phones, size_t n,
    char **cause)
{
	sqlite3_stmt	*s;
	size_t		 i;

	s = store_stmt(st, STMT_OFFICE_PHONES_CLEAR);
	sqlite3_bind_int64(s, 1, id);
	if (store_run(st, s, cause, "clearing phones") != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		s = store_stmt(st, STMT_OFFICE_PHONE_ADD);
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, phones[i]);
		if (store_run(st, s, cause, "adding phone") != 0)
			return (-1);
	}
	return (0);
}

/* Explain why a township could not be given to an office. */
static void
store_township_refused(struct store *st, const char *code, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TOWNSHIP_OWNER);
	const char	*owner;

	store_bind_text(s, 1, code);
	if (sqlite3_step(s) != SQLITE_ROW)
		xasprintf(cause, "township %s is not in the gazetteer "
		    "(import it with 'tipgwctl gazetteer import')", code);
	else {
		owner = (const char *)sqlite3_column_text(s, 0);
		xasprintf(cause, "township %s already belongs to office '%s'",
		    code, owner ? owner : "?");
	}
	sqlite3_reset(s);
}

static int
store_office_townships(struct store *st, long long id, char **codes,
    size_t n, char **cause)
{
	sqlite3_stmt	*s;
	size_t		 i;

	s = store_stmt(st, STMT_OFFICE_TOWNSHIPS_CLEAR);
	sqlite3_bind_int64(s, 1, id);
	if (store_run(st, s, cause, "clearing townships") != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		s = store_stmt(st, STMT_TOWNSHIP_ASSIGN);
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, codes[i]);
		if (store_run(st, s, cause, "assigning township") != 0)
			return (-1);
		if (sqlite3_changes(st->db) == 0) {
			store_township_refused(st, codes[i], cause);
			return (-1);
		}
	}
	return (0);
}

/* Run an office insert or update; a name taken is a clear error. */
static int
store_run_office(struct store *st, sqlite3_stmt *s, const char *name,
    char **cause)
{
	if (sqlite3_step(s) == SQLITE_DONE) {
		sqlite3_reset(s);
		return (0);
	}
	if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE)
		xasprintf(cause, "an office named '%s' already exists", name);
	else
		store_cause(st, cause, "writing office");
	sqlite3_reset(s);
	return (-1);
}

static int
store_office_insert(struct store *st, const struct office *o, time_t now,
    long long *id, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OFFICE_INSERT);

	store_bind_text(s, 1, o->name);
	store_bind_text(s, 2, o->webhook_url);
	store_bind_text(s, 3, o->email);
	store_bind_time(s, 4, now);
	store_bind_text(s, 5, o->webhook_format);
	if (store_run_office(st, s, o->name, cause) != 0)
		return (-1);
	*id = sqlite3_last_insert_rowid(st->db);
	return (0);
}

/* Add an office with its phones and townships, in one transaction. */
int
store_office_add(struct store *st, const struct office *o, time_t now,
    const char *actor, long long *id, char **cause)
{
	int	 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_office_insert(st, o, now, id, cause);
	if (rc == 0)
		rc = store_office_phones(st, *id, o->phones, o->nphones, cause);
	if (rc == 0)
		rc = store_office_townships(st, *id, o->townships,
		    o->ntownships, cause);
	if (rc == 0)
		rc = store_event_add(st, now, actor, "office.add", 0, o->name,
		    cause);
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0)
		store_rollback(st);
	return (rc);
}

static int
store_office_update(struct store *st, long long id,
    const struct store_office_change *c, time_t now, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OFFICE_UPDATE);

	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, c->new_name);
	store_bind_text(s, 3, c->webhook_url);
	store_bind_text(s, 4, c->email);
	store_bind_time(s, 5, now);
	store_bind_text(s, 6, c->webhook_format);
	return (store_run_office(st, s, c->new_name, cause));
}

/* Change an office, in one transaction. */
int
store_office_set(struct store *st, const char *name,
    const struct store_office_change *c, time_t now, const char *actor,
    char **cause)
{
	long long	 id;
	int		 rc;

	if (store_begin(st, cause) != 0)
		return (-1);
	rc = store_office_id(st, name, &id, cause);
	if (rc == 0)
		rc = store_office_update(st, id, c, now, cause);
	if (rc == 0 && c->set_phones)
		rc = store_office_phones(st, id, c->phones, c->nphones, cause);
	if (rc == 0 && c->set_townships)
		rc = store_office_townships(st, id, c->townships,
		    c->ntownships, cause);
	if (rc == 0)
		rc = store_event_add(st, now, actor, "office.set", 0, name,
		    cause);
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0)
		store_rollback(st);
	return (rc);
}

static int
store_strings(struct store *st, enum store_stmt which, long long id,
    char ***out, size_t *n, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, which);
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = store_column_strdup(s, 0);
	}
	if (rc != SQLITE_DONE)
		store_cause(st, cause, "listing office details");
	sqlite3_reset(s);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static int
store_office_row(struct store *st, sqlite3_stmt *s, struct office *o,
    char **cause)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->name = store_column_strdup(s, 1);
	o->webhook_url = store_column_strdup(s, 2);
	o->email = store_column_strdup(s, 3);
	o->webhook_format = store_column_strdup(s, 4);
	if (store_strings(st, STMT_OFFICE_PHONES, o->id, &o->phones,
	    &o->nphones, cause) != 0)
		return (-1);
	return (store_strings(st, STMT_OFFICE_TOWNSHIPS, o->id, &o->townships,
	    &o->ntownships, cause));
}

/* Call cb for every office, by name; stop early if cb returns non-zero. */
int
store_office_foreach(struct store *st, store_office_cb cb, void *arg,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OFFICE_LIST);
	struct office	 o;
	int		 rc, stop = 0;

	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_office_row(st, s, &o, cause) != 0) {
			office_clear(&o);
			sqlite3_reset(s);
			return (-1);
		}
		stop = cb(&o, arg);
		office_clear(&o);
	}
	if (!stop && rc != SQLITE_DONE) {
		store_cause(st, cause, "listing offices");
		sqlite3_reset(s);
		return (-1);
	}
	sqlite3_reset(s);
	return (0);
}
