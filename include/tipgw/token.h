#ifndef TIPGW_TOKEN_H
#define TIPGW_TOKEN_H

#include <stddef.h>

/* "tipgw_" and 43 characters of base64url: 256 random bits. */
#define TOKEN_SIZE	(6 + 43 + 1)
#define TOKEN_HASH_SIZE	(64 + 1)	/* BLAKE2b-256, hex */

void	token_new(char *token, size_t size);
void	token_hash(const char *token, char *hash, size_t size);

#endif
