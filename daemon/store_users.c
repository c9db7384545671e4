/*
 * The ledger's side of the API's users: a name, a role, the townships
 * an office's user sees, and the hash of a bearer token (never the
 * token). Adding and revoking are audited. SQL texts are in store_sql.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/xmalloc.h"
#include "store_int.h"

struct store_user_new {
	const char	*name, *role, *token_hash;
	char *const	*townships;
	size_t		 ntownships;
};

static int
store_user_add_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	struct store_user_new	*u = arg;
	sqlite3_stmt		*s = store_stmt(st, STMT_USER_ADD);
	long long		 id;
	size_t			 i;
	int			 rc;

	snprintf(a->detail, sizeof a->detail, "user=%s role=%s", u->name,
	    u->role);
	store_bind_text(s, 1, u->name);
	store_bind_text(s, 2, u->role);
	store_bind_text(s, 3, u->token_hash);
	store_bind_time(s, 4, a->at);
	if (sqlite3_step(s) != SQLITE_DONE) {
		rc = sqlite3_extended_errcode(st->db) ==
		    SQLITE_CONSTRAINT_UNIQUE ? 1 : -1;
		if (rc == 1)
			xasprintf(cause, "a user named '%s' exists already",
			    u->name);
		else
			store_cause(st, cause, "adding user %s", u->name);
		sqlite3_reset(s);
		return (rc);
	}
	sqlite3_reset(s);
	id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < u->ntownships; i++) {
		s = store_stmt(st, STMT_USER_TOWNSHIP_ADD);
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, u->townships[i]);
		if (store_run(st, s, cause, "adding a township") != 0)
			return (-1);
		if (sqlite3_changes(st->db) == 0) {
			xasprintf(cause, "township %s is not in the gazetteer "
			    "(import it with 'tipgwctl gazetteer import')",
			    u->townships[i]);
			return (1);
		}
	}
	return (0);
}

/*
 * Add a user whose token hashes to token_hash, in one transaction: 0, 1
 * when refused (the name taken, a township unknown), -1 on a ledger
 * error.
 */
int
store_user_add(struct store *st, const char *name, const char *role,
    const char *token_hash, char *const *townships, size_t ntownships,
    time_t now, const char *actor, char **cause)
{
	struct store_user_new	 u = { name, role, token_hash, townships,
				    ntownships };
	struct store_audit	 a = { .at = now, .actor = actor,
	    .action = "user.add" };

	return (store_audited(st, store_user_add_write, &u, &a, cause));
}

static int
store_user_revoke_write(struct store *st, void *arg, struct store_audit *a,
    char **cause)
{
	const char	*name = arg;
	sqlite3_stmt	*s = store_stmt(st, STMT_USER_REVOKE);

	snprintf(a->detail, sizeof a->detail, "user=%s", name);
	store_bind_text(s, 1, name);
	store_bind_time(s, 2, a->at);
	if (store_run(st, s, cause, "revoking a user") != 0)
		return (-1);
	if (sqlite3_changes(st->db) == 0) {
		xasprintf(cause, "no user named '%s' with a working token",
		    name);
		return (1);
	}
	return (0);
}

/* Revoke a user's token: 0, 1 if there is no such working user, -1. */
int
store_user_revoke(struct store *st, const char *name, time_t now,
    const char *actor, char **cause)
{
	struct store_audit	 a = { .at = now, .actor = actor,
	    .action = "user.revoke" };

	return (store_audited(st, store_user_revoke_write, (void *)name, &a,
	    cause));
}

static void
store_user_read(sqlite3_stmt *s, struct store_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(s, 0);
	u->name = store_column_strdup(s, 1);
	u->role = store_column_strdup(s, 2);
	u->created_at = store_column_time(s, 3);
	u->revoked_at = store_column_time(s, 4);
	u->townships = store_column_strdup(s, 5);
}

void
store_user_clear(struct store_user *u)
{
	free(u->name);
	free(u->role);
	free(u->townships);
	memset(u, 0, sizeof *u);
}

/* Every user, by name, revoked ones too. */
int
store_users_foreach(struct store *st, store_user_cb cb, void *arg,
    char **cause)
{
	sqlite3_stmt		*s = store_stmt(st, STMT_USERS);
	struct store_user	 u;
	int			 rc, stop = 0;

	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_user_read(s, &u);
		stop = cb(&u, arg);
		store_user_clear(&u);
	}
	sqlite3_reset(s);
	if (!stop && rc != SQLITE_DONE) {
		store_cause(st, cause, "listing users");
		return (-1);
	}
	return (0);
}

/* The working user whose token hashes to token_hash; u->id 0 if none. */
int
store_user_by_token(struct store *st, const char *token_hash,
    struct store_user *u, char **cause)
{
	sqlite3_stmt	*s = store_stmt(st, STMT_USER_BY_TOKEN);
	int		 rc;

	memset(u, 0, sizeof *u);
	store_bind_text(s, 1, token_hash);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		store_user_read(s, u);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_cause(st, cause, "looking up a token");
		return (-1);
	}
	return (0);
}
