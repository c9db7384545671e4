/*
 * Tip codes and PINs: a code like ZY3K7Q names a tip in every message
 * about it; a 4-digit PIN, told only to the reporter, lets them query
 * its state. Both are drawn from the kernel's randomness.
 */
#ifndef TIPGW_PIN_H
#define TIPGW_PIN_H

#include <stddef.h>

#define PIN_CODE_SIZE	8	/* 6 characters and the NUL, rounded */
#define PIN_SIZE	8	/* 4 digits and the NUL, rounded */

void	pin_code(char *code, size_t);
void	pin_new(char *pin, size_t);

#endif
