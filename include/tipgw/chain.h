/*
 * The audit log's hash chain: each event's hash covers the one before
 * it and its own fields, so a changed or removed event shows.
 */
#ifndef TIPGW_CHAIN_H
#define TIPGW_CHAIN_H

#define CHAIN_HEX	64	/* BLAKE2b-256 in hex */

/* Fields as stored, NULL where the column is NULL. */
struct chain_fields {
	const char	*at;
	const char	*actor;
	const char	*action;
	const char	*tip_id;	/* decimal */
	const char	*detail;
};

void	chain_hash(const char *prev, const struct chain_fields *,
	    char out[CHAIN_HEX + 1]);

#endif
