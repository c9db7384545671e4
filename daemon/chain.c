/*
 * The audit log's hash chain (libsodium): BLAKE2b-256 over the previous
 * event's hash and this event's fields, each given as its length and
 * bytes (a NULL as length -1), so no two different events hash alike.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "tipgw/chain.h"
#include "tipgw/log.h"

static void
chain_field(crypto_generichash_state *h, const char *s)
{
	unsigned char	 len[8];
	int64_t		 n = s != NULL ? (int64_t)strlen(s) : -1;
	int		 i;

	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)n >> (8 * i));
	crypto_generichash_update(h, len, sizeof len);
	if (s != NULL)
		crypto_generichash_update(h, (const unsigned char *)s,
		    (unsigned long long)strlen(s));
}

void
chain_hash(const char *prev, const struct chain_fields *f,
    char out[CHAIN_HEX + 1])
{
	crypto_generichash_state	 h;
	unsigned char			 sum[CHAIN_HEX / 2];

	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
	crypto_generichash_init(&h, NULL, 0, sizeof sum);
	chain_field(&h, prev != NULL ? prev : "");
	chain_field(&h, f->at);
	chain_field(&h, f->actor);
	chain_field(&h, f->action);
	chain_field(&h, f->tip_id);
	chain_field(&h, f->detail);
	crypto_generichash_final(&h, sum, sizeof sum);
	sodium_bin2hex(out, CHAIN_HEX + 1, sum, sizeof sum);
}
