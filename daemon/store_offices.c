/*
 * The ledger's reference data: the gazetteer (townships and villages, as
 * division data for understanding) and the township offices with their
 * duty phones, webhook and e-mail. SQL texts are in store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
#include "tipgw/tipgw.h"
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
	for (i = 0; i < d->ncounties; i++) {
		s = store_stmt(st, STMT_COUNTY_UPSERT);
		store_bind_text(s, 1, d->counties[i].code);
		store_bind_text(s, 2, d->counties[i].name);
		if (store_run(st, s, cause, "county") != 0)
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

struct store_import {
	const struct division		*d;
	struct store_import_counts	*counts;
};

static int
store_gazetteer_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_import	*im = arg;

	snprintf(a->detail, sizeof a->detail, "counties=%zu townships=%zu "
	    "villages=%zu", im->d->ncounties, im->d->ntownships,
	    im->d->nvillages);
	if (store_gazetteer_rows(st, im->d, cause) != 0 ||
	    store_run_int(st, store_stmt(st, STMT_TOWNSHIP_COUNT),
	    &im->counts->townships_total, cause, "counting townships") != 0 ||
	    store_run_int(st, store_stmt(st, STMT_VILLAGE_COUNT),
	    &im->counts->villages_total, cause, "counting villages") != 0)
		return (-1);
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
	struct store_import	 im = { d, counts };
	struct store_audit	 a = { .at = now, .actor = actor,
	    .action = "gazetteer.import" };

	if (store_audited(st, store_gazetteer_write, &im, &a, cause) != 0)
		return (-1);
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
	return (rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1);
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
			return (1);
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
	if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE) {
		xasprintf(cause, "an office named '%s' already exists", name);
		sqlite3_reset(s);
		return (1);
	}
	store_cause(st, cause, "writing office");
	sqlite3_reset(s);
	return (-1);
}

static int
store_office_insert(struct store *st, const struct office *o, time_t now,
    long long *id, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_OFFICE_INSERT);
	int		 rc;

	store_bind_text(s, 1, o->name);
	store_bind_text(s, 2, o->webhook_url);
	store_bind_text(s, 3, o->email);
	store_bind_time(s, 4, now);
	store_bind_text(s, 5, o->webhook_format);
	if ((rc = store_run_office(st, s, o->name, cause)) != 0)
		return (rc);
	*id = sqlite3_last_insert_rowid(st->db);
	return (0);
}

struct store_office_add {
	const struct office	*o;
	long long		*id;
};

static int
store_office_add_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_office_add	*w = arg;
	const struct office	*o = w->o;

	int			 rc;

	snprintf(a->detail, sizeof a->detail, "%s", o->name);
	if ((rc = store_office_insert(st, o, a->at, w->id, cause)) != 0)
		return (rc);
	if (store_office_phones(st, *w->id, o->phones, o->nphones,
	    cause) != 0)
		return (-1);
	return (store_office_townships(st, *w->id, o->townships,
	    o->ntownships, cause));
}

/*
 * Add an office with its phones and townships, in one transaction: 0,
 * 1 when refused (the name taken, a township unknown or another
 * office's; *cause says which), -1 on a ledger error.
 */
int
store_office_add(struct store *st, const struct office *o, time_t now,
    const char *actor, long long *id, char **cause)
{
	struct store_office_add	 w = { o, id };
	struct store_audit	 a = { .at = now, .actor = actor,
	    .action = "office.add" };

	return (store_audited(st, store_office_add_write, &w, &a, cause));
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

struct store_office_set {
	const char			*name;
	const struct store_office_change *c;
};

static int
store_office_set_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_office_set			*w = arg;
	const struct store_office_change	*c = w->c;
	long long				 id;

	int					 rc;

	snprintf(a->detail, sizeof a->detail, "%s", w->name);
	if ((rc = store_office_id(st, w->name, &id, cause)) != 0 ||
	    (rc = store_office_update(st, id, c, a->at, cause)) != 0)
		return (rc);
	if (c->set_phones &&
	    store_office_phones(st, id, c->phones, c->nphones, cause) != 0)
		return (-1);
	if (c->set_townships)
		return (store_office_townships(st, id, c->townships,
		    c->ntownships, cause));
	return (0);
}

/*
 * Change an office, in one transaction: 0, 1 when refused (no such
 * office, the new name taken, a township unknown or another office's),
 * -1 on a ledger error.
 */
int
store_office_set(struct store *st, const char *name,
    const struct store_office_change *c, time_t now, const char *actor,
    char **cause)
{
	struct store_office_set	 w = { name, c };
	struct store_audit	 a = { .at = now, .actor = actor,
	    .action = "office.set" };

	return (store_audited(st, store_office_set_write, &w, &a, cause));
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

static void
store_copy(char *dst, size_t size, sqlite3_stmt *s, int col)
{
	const char	*v = (const char *)sqlite3_column_text(s, col);

	snprintf(dst, size, "%s", v != NULL ? v : "");
}

/* The imported gazetteer as division data (for understanding). */
int
store_division_load(struct store *st, struct division *d, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(d, 0, sizeof *d);
	s = store_stmt(st, STMT_DIVISION_TOWNSHIPS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct division_township *t;

		d->townships = xreallocarray(d->townships, d->ntownships + 1,
		    sizeof *d->townships);
		t = &d->townships[d->ntownships++];
		memset(t, 0, sizeof *t);
		store_copy(t->code, sizeof t->code, s, 0);
		t->name = store_column_strdup(s, 1);
		store_copy(t->county_code, sizeof t->county_code, s, 2);
		store_copy(t->city_code, sizeof t->city_code, s, 3);
		store_copy(t->province_code, sizeof t->province_code, s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	s = store_stmt(st, STMT_DIVISION_VILLAGES);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct division_village *v;

		d->villages = xreallocarray(d->villages, d->nvillages + 1,
		    sizeof *d->villages);
		v = &d->villages[d->nvillages++];
		memset(v, 0, sizeof *v);
		store_copy(v->code, sizeof v->code, s, 0);
		v->name = store_column_strdup(s, 1);
		store_copy(v->township_code, sizeof v->township_code, s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	s = store_stmt(st, STMT_DIVISION_COUNTIES);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct division_county *c;

		d->counties = xreallocarray(d->counties, d->ncounties + 1,
		    sizeof *d->counties);
		c = &d->counties[d->ncounties++];
		memset(c, 0, sizeof *c);
		store_copy(c->code, sizeof c->code, s, 0);
		c->name = store_column_strdup(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	return (0);
fail:
	store_cause(st, cause, "reading the gazetteer");
	division_free(d);
	return (-1);
}

/* The office responsible for a township and its duty phones (id 0: none). */
int
store_office_duty(struct store *st, const char *township,
    struct store_office_duty *o, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_TOWNSHIP_OFFICE);
	int		 rc;

	memset(o, 0, sizeof *o);
	store_bind_text(s, 1, township);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		o->id = sqlite3_column_int64(s, 0);
		o->name = store_column_strdup(s, 1);
		o->webhook_url = store_column_strdup(s, 2);
		o->webhook_format = store_column_strdup(s, 3);
		o->email = store_column_strdup(s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	if (o->id == 0)
		return (0);
	s = store_stmt(st, STMT_OFFICE_PHONES);
	sqlite3_bind_int64(s, 1, o->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    o->nphones < (int)(sizeof o->phones / sizeof o->phones[0]))
		o->phones[o->nphones++] = store_column_strdup(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	return (0);
fail:
	store_cause(st, cause, "looking up the township's office");
	store_office_duty_clear(o);
	return (-1);
}

void
store_office_duty_clear(struct store_office_duty *o)
{
	int	 i;

	free(o->name);
	free(o->webhook_url);
	free(o->webhook_format);
	free(o->email);
	for (i = 0; i < o->nphones; i++)
		free(o->phones[i]);
	memset(o, 0, sizeof *o);
}

/*
 * The office a duty phone belongs to (0 if none): the whole number, in
 * its national form on both sides (13800000999 is +8613800000999 and
 * 008613800000999, never +62813800000999 or 9913800000999).
 */
int
store_phone_office(struct store *st, const char *phone, long long *office_id,
    char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_PHONE_OFFICE);
	char		 national[64];
	int		 rc;

	*office_id = 0;
	tipgw_phone_national(phone, national, sizeof national);
	store_bind_text(s, 1, national);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*office_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "looking up a duty phone");
		return (-1);
	}
	return (0);
}
