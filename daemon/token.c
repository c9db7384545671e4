/*
 * API bearer tokens (libsodium): 256 random bits, shown once; the ledger
 * keeps only their BLAKE2b hash. A token has all the entropy a hash
 * needs, so a plain (unkeyed, fast) hash is enough: nothing is guessed
 * from it, and a request is looked up by it.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "tipgw/log.h"
#include "tipgw/token.h"

#define TOKEN_PREFIX	"tipgw_"
#define TOKEN_BYTES	32

static void
token_init(void)
{
	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
}

/* A new token: "tipgw_" and 256 random bits in base64url. */
void
token_new(char *token, size_t size)
{
	unsigned char	 raw[TOKEN_BYTES];
	char		 b64[sodium_base64_ENCODED_LEN(TOKEN_BYTES,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	token_init();
	if (size < TOKEN_SIZE)
		fatalx("token_new: buffer too small");
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	memcpy(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX));
	memcpy(token + strlen(TOKEN_PREFIX), b64, strlen(b64) + 1);
	sodium_memzero(b64, sizeof b64);
}

/* The hash the ledger keeps of a token: BLAKE2b-256, hex. */
void
token_hash(const char *token, char *hash, size_t size)
{
	unsigned char	 h[32];

	token_init();
	if (size < TOKEN_HASH_SIZE)
		fatalx("token_hash: buffer too small");
	crypto_generichash(h, sizeof h, (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(hash, size, h, sizeof h);
}
