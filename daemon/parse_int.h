/*
 * What parse.c and parse_expiry.c share.
 */
#ifndef TIPGW_PARSE_INT_H
#define TIPGW_PARSE_INT_H

/* parse_expiry: expired, the production year long past. */
#define PARSE_OLD_YEAR	2

int	parse_prefix(const char *, const char *, const char **);

#endif
