#ifndef TIPGW_REDACT_H
#define TIPGW_REDACT_H

/* A copy of text with phone-like numbers masked (138****** 00). */
char	*redact_numbers(const char *text);

#endif
