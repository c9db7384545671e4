/*
 * Logging for tipgwd and tipgwctl: stderr in the foreground, syslog otherwise.
 * Lines lead with the object id, then key=value pairs.
 */
#ifndef TIPGW_LOG_H
#define TIPGW_LOG_H

#include <stdarg.h>

#define LOG_ATTR_PRINTF(f, a) __attribute__((format(printf, f, a)))

void	log_init(int foreground, int verbose, const char *ident);
void	log_setverbose(int verbose);
int	log_getverbose(void);
void	log_warn(const char *, ...) LOG_ATTR_PRINTF(1, 2);
void	log_warnx(const char *, ...) LOG_ATTR_PRINTF(1, 2);
void	log_info(const char *, ...) LOG_ATTR_PRINTF(1, 2);
void	log_debug(const char *, ...) LOG_ATTR_PRINTF(1, 2);
void	log_vwrite(int pri, const char *, va_list) LOG_ATTR_PRINTF(2, 0);
__attribute__((noreturn)) void fatal(const char *, ...) LOG_ATTR_PRINTF(1, 2);
__attribute__((noreturn)) void fatalx(const char *, ...) LOG_ATTR_PRINTF(1, 2);

/* Mask a phone number for debug logs: 13812341234 -> 138****1234. */
const char *log_mask_phone(const char *number, char *buf, unsigned long len);

#endif
