/*
 * Tip codes and PINs, from the kernel's randomness.
 */
#include "config.h"

#include <sys/random.h>

#include <stdio.h>

#include "tipgw/log.h"
#include "tipgw/pin.h"

static void
pin_random(unsigned char *buf, size_t len)
{
	if (getrandom(buf, len, 0) != (ssize_t)len)
		fatal("getrandom");
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
	unsigned char		 rnd[sizeof pattern];
	size_t			 i;

	pin_random(rnd, sizeof rnd);
	for (i = 0; pattern[i] != '\0' && i + 1 < size; i++)
		code[i] = pattern[i] == 'L' ?
		    letters[rnd[i] % (sizeof letters - 1)] :
		    digits[rnd[i] % (sizeof digits - 1)];
	if (size > 0)
		code[i] = '\0';
}

/* A 4-digit PIN, 0000 to 9999. */
void
pin_new(char *pin, size_t size)
{
	unsigned char	 rnd[4];
	unsigned int	 v;

	pin_random(rnd, sizeof rnd);
	v = (unsigned int)rnd[0] | (unsigned int)rnd[1] << 8 |
	    (unsigned int)rnd[2] << 16 | (unsigned int)rnd[3] << 24;
	snprintf(pin, size, "%04u", v % 10000);
}
