/*
 * TAP output for the unit tests, and temporary files they clean up.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "tipgw/xmalloc.h"

static int	 tap_count;
static int	 tap_failed;
static char	*tap_dir;

static int
tap_vresult(int pass, const char *file, int line, const char *fmt,
    va_list ap)
{
	tap_count++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   Failed at %s line %d\n", file, line);
	}
	fflush(stdout);
	return (pass);
}

int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	return (pass);
}

int
tap_is_int(long long got, long long want, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 pass = got == want;

	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got: %lld\n#   expected: %lld\n", got, want);
	return (pass);
}

int
tap_is_str(const char *got, const char *want, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 pass;

	pass = (got == NULL || want == NULL) ? got == want :
	    strcmp(got, want) == 0;
	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got: '%s'\n#   expected: '%s'\n",
		    got ? got : "(null)", want ? want : "(null)");
	return (pass);
}

void
tap_diag(const char *fmt, ...)
{
	va_list	 ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* A fresh directory under $TMPDIR, removed by done_testing(). */
char *
tap_tempdir(void)
{
	const char	*tmp = getenv("TMPDIR");

	if (tap_dir != NULL)
		return (tap_dir);
	xasprintf(&tap_dir, "%s/tipgw-unit.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(tap_dir) == NULL) {
		printf("Bail out! mkdtemp failed\n");
		exit(1);
	}
	return (tap_dir);
}

/* Write text to dir/name; return the path (the caller frees it). */
char *
tap_write_file(const char *dir, const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	return (path);
}

/* A file under top_srcdir, whole; bails out if it cannot be read. */
char *
tap_read_srcfile(const char *name)
{
	const char	*top = getenv("top_srcdir");
	char		*path, *text;
	FILE		*f;
	long		 n;

	xasprintf(&path, "%s/%s", top != NULL ? top : ".", name);
	if ((f = fopen(path, "r")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (text = calloc(1, (size_t)n + 1)) == NULL ||
	    fread(text, 1, (size_t)n, f) != (size_t)n) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	free(path);
	return (text);
}

int
done_testing(void)
{
	char	*cmd;

	printf("1..%d\n", tap_count);
	if (tap_dir != NULL && getenv("TIPGW_KEEP_TMP") == NULL) {
		xasprintf(&cmd, "rm -rf '%s'", tap_dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tap_dir);
		free(cmd);
		free(tap_dir);
		tap_dir = NULL;
	}
	return (tap_failed ? 1 : 0);
}
