/*
 * Tip codes and PINs (libsodium): drawn at random without bias; a PIN
 * kept only as BLAKE2b keyed with the ledger's key over the code and the
 * PIN, compared in constant time; the key file made at first start.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "tipgw/log.h"
#include "tipgw/pin.h"
#include "tipgw/xmalloc.h"

static void
pin_init(void)
{
	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
}

/*
 * A tip code like ZY3K7Q: letters and digits alternating in a fixed
 * pattern (so it always has a digit, which tells it from a word), none
 * that look alike (0/O, 1/I/L).
 */
void
pin_code(char *code, size_t size)
{
	static const char	 letters[] = "ABCDEFGHJKMNPQRSTUVWXYZ";
	static const char	 digits[] = "23456789";
	static const char	 pattern[] = "LLDLDL";
	size_t			 i;

	pin_init();
	for (i = 0; pattern[i] != '\0' && i + 1 < size; i++)
		code[i] = pattern[i] == 'L' ?
		    letters[randombytes_uniform(sizeof letters - 1)] :
		    digits[randombytes_uniform(sizeof digits - 1)];
	if (size > 0)
		code[i] = '\0';
}

/* A 4-digit PIN, 0000 to 9999. */
void
pin_new(char *pin, size_t size)
{
	pin_init();
	snprintf(pin, size, "%04u", (unsigned int)randombytes_uniform(10000));
}

/* The keyed hash of a tip's PIN, in hex: the code keeps equal PINs apart. */
void
pin_hash(const struct pin_key *k, const char *code, const char *pin,
    char hash[PIN_HASH_SIZE])
{
	crypto_generichash_state	 st;
	unsigned char			 out[32];

	pin_init();
	crypto_generichash_init(&st, k->key, sizeof k->key, sizeof out);
	crypto_generichash_update(&st, (const unsigned char *)code,
	    strlen(code) + 1);
	crypto_generichash_update(&st, (const unsigned char *)pin,
	    strlen(pin));
	crypto_generichash_final(&st, out, sizeof out);
	sodium_bin2hex(hash, PIN_HASH_SIZE, out, sizeof out);
	sodium_memzero(out, sizeof out);
}

/* Is pin the PIN whose hash the ledger holds? In constant time. */
int
pin_verify(const struct pin_key *k, const char *code, const char *pin,
    const char *hash)
{
	char	 want[PIN_HASH_SIZE];

	if (hash == NULL || strlen(hash) != PIN_HASH_SIZE - 1 || pin == NULL ||
	    *pin == '\0')
		return (0);
	pin_hash(k, code, pin, want);
	return (sodium_memcmp(want, hash, PIN_HASH_SIZE - 1) == 0);
}

/* The key file of a ledger: beside it, DATABASE.key. */
char *
pin_key_path(const char *database)
{
	char	*path;

	xasprintf(&path, "%s.key", database);
	return (path);
}

static int
pin_key_create(const char *path, struct pin_key *k, char **cause)
{
	int	 fd;

	pin_init();
	randombytes_buf(k->key, sizeof k->key);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (write(fd, k->key, sizeof k->key) != (ssize_t)sizeof k->key ||
	    fsync(fd) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return (-1);
	}
	close(fd);
	log_info("pin: key=%s created (mode 0600); keep it with the ledger's "
	    "backups, or the PINs it hashes cannot be checked", path);
	return (0);
}

/*
 * Read the key at path (or, with create, make it if there is none). A
 * key readable by others is made 0600, with a warning.
 */
int
pin_key_load(const char *path, int create, struct pin_key *k, char **cause)
{
	struct stat	 sb;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && create)
			return (pin_key_create(path, k, cause));
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &sb) != 0 || sb.st_size != (off_t)sizeof k->key) {
		xasprintf(cause, "%s: not a key of %zu bytes", path,
		    sizeof k->key);
		close(fd);
		return (-1);
	}
	if ((sb.st_mode & 077) != 0) {
		log_warnx("pin: key=%s was readable by others; made 0600", path);
		if (fchmod(fd, 0600) != 0)
			log_warn("pin: key=%s", path);
	}
	n = read(fd, k->key, sizeof k->key);
	close(fd);
	if (n != (ssize_t)sizeof k->key) {
		xasprintf(cause, "%s: short read", path);
		return (-1);
	}
	return (0);
}
