#ifndef TIPGW_VIS_H
#define TIPGW_VIS_H

#include <stddef.h>

#define VIS_LINES	0x1	/* keep newlines and tabs */

/* The room vis_buf() needs for len bytes: 4 a byte at most, and a NUL. */
#define VIS_ROOM(len)	((len) * 4 + 1)

size_t	 vis_buf(const char *, size_t, int flags, int final, char *out,
	    size_t *outlen);
char	*vis_str(const char *, int flags);

#endif
