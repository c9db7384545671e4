/*
 * Tip codes and PINs: a code like ZY3K7Q names a tip in every message
 * about it; a 4-digit PIN, told only to the reporter, lets them query
 * its state. Both are drawn from libsodium's randomness. The ledger keeps
 * a PIN only as a keyed hash (BLAKE2b, the key a file of 32 random bytes
 * beside the ledger, mode 0600, made at first start), compared in
 * constant time.
 */
#ifndef TIPGW_PIN_H
#define TIPGW_PIN_H

#include <stddef.h>

#define PIN_CODE_SIZE	8	/* 6 characters and the NUL, rounded */
#define PIN_SIZE	8	/* 4 digits and the NUL, rounded */
#define PIN_KEY_SIZE	32
#define PIN_HASH_SIZE	65	/* 32 bytes in hex and the NUL */

struct pin_key {
	unsigned char	 key[PIN_KEY_SIZE];
};

void	 pin_code(char *code, size_t);
void	 pin_new(char *pin, size_t);
void	 pin_hash(const struct pin_key *, const char *code, const char *pin,
	    char hash[PIN_HASH_SIZE]);
int	 pin_verify(const struct pin_key *, const char *code, const char *pin,
	    const char *hash);
char	*pin_key_path(const char *database);
int	 pin_key_load(const char *path, int create, struct pin_key *,
	    char **cause);

#endif
