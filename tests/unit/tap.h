/*
 * A small TAP producer for the unit tests: ok(), is_int(), is_str(),
 * then done_testing() prints the plan and returns the exit status.
 */
#ifndef TIPGW_TAP_H
#define TIPGW_TAP_H

int	tap_ok(int, const char *, int, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
int	tap_is_int(long long, long long, const char *, int, const char *, ...)
	    __attribute__((format(printf, 5, 6)));
int	tap_is_str(const char *, const char *, const char *, int,
	    const char *, ...) __attribute__((format(printf, 5, 6)));
void	tap_diag(const char *, ...) __attribute__((format(printf, 1, 2)));
int	done_testing(void);
char	*tap_tempdir(void);
char	*tap_write_file(const char *dir, const char *name, const char *text);
char	*tap_read_srcfile(const char *name);

#define ok(c, ...)		tap_ok(!!(c), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(g, e, ...)	tap_is_int((g), (e), __FILE__, __LINE__, \
				    __VA_ARGS__)
#define is_str(g, e, ...)	tap_is_str((g), (e), __FILE__, __LINE__, \
				    __VA_ARGS__)

#endif
