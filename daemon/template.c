/*
 * Message templates. The file holds [name] sections; the non-comment
 * lines of a section are joined into one text. {name} is replaced by a
 * variable's value, {{ and }} stand for braces. Loading checks that every
 * message tipgw sends is there, uses only its known variables and, for
 * the acknowledgement and the questions, fits one SMS (70 characters as
 * UCS-2) with the longest values those variables take.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/log.h"
#include "tipgw/template.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"

struct template {
	char	*name;
	char	*text;
	char	*file;
	int	 line;
};

struct templates {
	struct template	*t;
	size_t		 n;
};

/* Worst-case values of the variables, for the length check. */
static const struct template_var template_longest[] = {
	{ "code", "XXXXXXXX" },
	{ "pin", "0000" },
	{ "township", "XXXXXXXXXXX" },
	{ "choices", "1XXXXXX 2XXXXXX 3XXXXXX" },
	{ "state", "XXXXXX" },
	{ "village", "XXXXXXXX" },
	{ "kind", "XXXX" },
	{ "product", "XXXXX" },
	{ "place", "XXXXXX" },
	{ "received", "11-23 14:05" },
	{ "due", "12-31" },
	{ "left", "15" },
	{ "office", "XXXXXXXXXXXX" },
	{ "what", "XXXX" },
	{ "shop", "XXXX" },
	{ "words", "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" },
	{ "why", "XXXXXXXX" },
	{ "detail", "XXXXXXXXXXXX" },
	{ "amount", "1000000" },
	{ "days", "365" },
	{ "case", "1234567" },
};

static const struct {
	const char	*name;
	const char	*vars;		/* the variables it may use */
	int		 one_sms;
} template_known[] = {
	{ "ack", "code pin township", 1 },
	{ "ack_triage", "code pin", 1 },
	{ "question", "code", 1 },
	{ "question_choice", "code choices", 1 },
	{ "help", "", 1 },
	{ "optout", "", 1 },
	{ "optin", "", 1 },
	{ "reward", "", 1 },
	{ "nonfood", "", 1 },
	{ "query", "code state township", 1 },
	{ "query_unknown", "code", 1 },
	{ "alert", "code township village shop kind product place received "
	    "words", 0 },
	{ "alert_update", "code township village shop kind product place "
	    "received words", 0 },
	{ "notice", "code why township village shop kind product place "
	    "received words", 0 },
	{ "notice_fault", "what detail", 0 },
	{ "office_ok", "code state", 1 },
	{ "office_help", "code", 1 },
	{ "office_refused", "code state", 1 },
	{ "remind", "code township due left what", 1 },
	{ "followup", "case township place due", 1 },
	{ "escalate", "code township office due what", 0 },
	{ "repeat", "code", 1 },
	{ "howto", "", 1 },
	{ "query_locked", "", 1 },
	{ "reward_notice", "code days", 1 },
	{ "reward_notice_amount", "code amount days", 1 },
	{ "reward_claimed", "code", 1 },
	{ "reward_none", "code", 1 },
	{ "vote_ok", "", 1 },
	{ "vote_closed", "", 1 },
	{ "vote_bad", "", 1 },
	{ "vote_again", "", 1 },
};
#define NKNOWN (sizeof template_known / sizeof template_known[0])

/* UTF-8 characters, as an SMS counts them (UCS-2 units). */
size_t
template_chars(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n = 0;

	for (; *u != '\0'; u++) {
		if ((*u & 0xc0) != 0x80)
			n += (*u >= 0xf0) ? 2 : 1;	/* surrogate pair */
	}
	return (n);
}

static const struct template *
template_find(const struct templates *ts, const char *name)
{
	size_t	 i;

	for (i = 0; i < ts->n; i++) {
		if (strcmp(ts->t[i].name, name) == 0)
			return (&ts->t[i]);
	}
	return (NULL);
}

/* Is the len bytes at name one of the space-separated words of vars? */
static int
template_var_allowed(const char *vars, const char *name, size_t len)
{
	const char	*p = vars, *end;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, " ");
		if ((size_t)(end - p) == len && strncmp(p, name, len) == 0)
			return (1);
		p = end;
	}
	return (0);
}

/* Render text; NULL (and *bad set) if it names an unknown variable. */
static char *
template_expand(const char *text, const struct template_var *vars,
    size_t nvars, const char *allowed, char **bad)
{
	char		*out = xmalloc(strlen(text) + 1), *close;
	size_t		 len = 0, size = strlen(text) + 1, n, i, vlen;
	const char	*p = text, *value;

	while (*p != '\0') {
		value = NULL;
		if (p[0] == '{' && p[1] == '{')
			value = "{", n = 2;
		else if (p[0] == '}' && p[1] == '}')
			value = "}", n = 2;
		else if (p[0] == '{' && (close = strchr(p, '}')) != NULL) {
			n = (size_t)(close - p) + 1;
			for (i = 0; i < nvars; i++) {
				if (strlen(vars[i].name) == n - 2 &&
				    strncmp(vars[i].name, p + 1, n - 2) == 0)
					value = vars[i].value;
			}
			if (allowed != NULL && !template_var_allowed(allowed,
			    p + 1, n - 2))
				value = NULL;
			if (value == NULL) {
				*bad = xstrndup(p, n);
				free(out);
				return (NULL);
			}
		} else
			n = 1;
		if (value == NULL)
			value = p;
		vlen = value == p ? 1 : strlen(value);
		if (len + vlen + 1 > size) {
			size = (len + vlen + 1) * 2;
			out = xreallocarray(out, size, 1);
		}
		memcpy(out + len, value, vlen);
		len += vlen;
		p += n;
	}
	out[len] = '\0';
	return (out);
}

static void template_error(char **, const char *, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
template_error(char **errors, const char *path, int line, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*prev = *errors, *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return;
	if (line > 0)
		xasprintf(errors, "%s%s%s:%d: %s", prev ? prev : "",
		    prev ? "\n" : "", path, line, msg);
	else
		xasprintf(errors, "%s%s%s: %s", prev ? prev : "",
		    prev ? "\n" : "", path, msg);
	free(msg);
	free(prev);
}

static void
template_check(struct templates *ts, const char *path, char **errors)
{
	const struct template	*t;
	char			*out, *bad = NULL;
	size_t			 i, chars;

	for (i = 0; i < NKNOWN; i++) {
		if ((t = template_find(ts, template_known[i].name)) == NULL) {
			template_error(errors, path, 0, "missing [%s]",
			    template_known[i].name);
			continue;
		}
		out = template_expand(t->text, template_longest,
		    sizeof template_longest / sizeof template_longest[0],
		    template_known[i].vars, &bad);
		if (out == NULL) {
			template_error(errors, t->file, t->line,
			    "[%s]: unknown variable %s", t->name, bad);
			free(bad);
			bad = NULL;
			continue;
		}
		chars = template_chars(out);
		if (template_known[i].one_sms && chars > TEMPLATE_SMS_CHARS) {
			template_error(errors, t->file, t->line, "[%s] is too "
			    "long for one SMS with the longest values: %zu "
			    "characters, at most %d", t->name, chars,
			    TEMPLATE_SMS_CHARS);
		}
		free(out);
	}
	for (i = 0; i < ts->n; i++) {
		size_t k;

		for (k = 0; k < NKNOWN; k++) {
			if (strcmp(ts->t[i].name, template_known[k].name) == 0)
				break;
		}
		if (k == NKNOWN)
			template_error(errors, ts->t[i].file, ts->t[i].line,
			    "unknown template [%s]", ts->t[i].name);
	}
}

static void
template_append(struct template *t, const char *line)
{
	char	*prev = t->text;

	xasprintf(&t->text, "%s%s", prev ? prev : "", line);
	free(prev);
}

/* Read a template file's sections into ts; errors into *errors. */
static int
template_read(struct templates *ts, const char *path, char **errors)
{
	struct template		*cur = NULL;
	FILE			*f;
	char			*line = NULL, *s, *e, *clean;
	size_t			 size = 0;
	ssize_t			 n;
	int			 lineno = 0;

	if ((f = fopen(path, "r")) == NULL) {
		template_error(errors, path, 0, "%s", strerror(errno));
		return (-1);
	}
	while ((n = getline(&line, &size, f)) != -1) {
		lineno++;
		clean = tipgw_utf8_sanitize(line);
		for (s = clean; *s == ' ' || *s == '\t'; s++)
			;
		e = s + strlen(s);
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' ||
		    e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*s == '\0' || *s == '#') {
			free(clean);
			continue;
		}
		if (*s == '[' && e[-1] == ']') {
			e[-1] = '\0';
			ts->t = xreallocarray(ts->t, ts->n + 1, sizeof *ts->t);
			cur = &ts->t[ts->n++];
			cur->name = xstrdup(s + 1);
			cur->text = NULL;
			cur->file = xstrdup(path);
			cur->line = lineno;
		} else if (cur == NULL)
			template_error(errors, path, lineno,
			    "text outside a [section]");
		else
			template_append(cur, s);
		free(clean);
	}
	free(line);
	fclose(f);
	return (0);
}

/*
 * Load and check a template file. A template the file lacks (an operator's
 * copy from before a new one was added) is taken from defaults, the
 * shipped file, with a notice; defaults may be NULL or the same file.
 */
struct templates *
templates_load(const char *path, const char *defaults, char **cause)
{
	struct templates	*ts = xcalloc(1, sizeof *ts), shipped;
	char			*errors = NULL;
	size_t			 i, k;

	if (template_read(ts, path, &errors) == 0 && defaults != NULL &&
	    strcmp(defaults, path) != 0) {
		memset(&shipped, 0, sizeof shipped);
		template_read(&shipped, defaults, &errors);
		for (i = 0; i < NKNOWN; i++) {
			if (template_find(ts, template_known[i].name) != NULL)
				continue;
			for (k = 0; k < shipped.n; k++) {
				if (shipped.t[k].name == NULL ||
				    strcmp(shipped.t[k].name,
				    template_known[i].name) != 0)
					continue;
				ts->t = xreallocarray(ts->t, ts->n + 1,
				    sizeof *ts->t);
				ts->t[ts->n] = shipped.t[k];
				shipped.t[k].name = shipped.t[k].text =
				    shipped.t[k].file = NULL;
				log_info("templates: %s has no [%s]; using the "
				    "one of %s", path, ts->t[ts->n].name,
				    defaults);
				ts->n++;
				break;
			}
		}
		for (k = 0; k < shipped.n; k++) {
			free(shipped.t[k].name);
			free(shipped.t[k].text);
			free(shipped.t[k].file);
		}
		free(shipped.t);
	}
	if (errors == NULL)
		template_check(ts, path, &errors);
	if (errors != NULL) {
		*cause = errors;
		templates_free(ts);
		return (NULL);
	}
	return (ts);
}

/* The text of template name with vars; NULL if there is no such one. */
char *
template_render(const struct templates *ts, const char *name,
    const struct template_var *vars, size_t nvars)
{
	const struct template	*t = template_find(ts, name);
	char			*bad = NULL, *out;

	if (t == NULL)
		return (NULL);
	out = template_expand(t->text, vars, nvars, NULL, &bad);
	free(bad);
	return (out);
}

void
templates_free(struct templates *ts)
{
	size_t	 i;

	if (ts == NULL)
		return;
	for (i = 0; i < ts->n; i++) {
		free(ts->t[i].name);
		free(ts->t[i].text);
		free(ts->t[i].file);
	}
	free(ts->t);
	free(ts);
}
