/*
 * The texts tipgw sends to reporters, from a file an operator can change:
 * [name] sections whose lines make one message, with {variables}.
 */
#ifndef TIPGW_TEMPLATE_H
#define TIPGW_TEMPLATE_H

#include <stddef.h>

#define TEMPLATE_SMS_CHARS	70	/* one UCS-2 segment */

struct templates;

/* One variable of a rendering. */
struct template_var {
	const char	*name;
	const char	*value;
};

struct templates *templates_load(const char *path, const char *defaults,
		    char **cause);
char		*template_render(const struct templates *, const char *name,
		    const struct template_var *, size_t nvars);
size_t		 template_chars(const char *);
void		 templates_free(struct templates *);

#endif
