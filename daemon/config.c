/*
 * Configuration: parse tipgw.conf into struct config, reporting every error
 * as file:line: message. The Gammu sections are only collected and checked
 * for known keys here; libGammu itself reads them in modem.c.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tipgw/config.h"
#include "tipgw/log.h"
#include "tipgw/sender.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"

enum config_type {
	CONFIG_STRING,
	CONFIG_DURATION,
	CONFIG_LISTEN,
	CONFIG_BOOL,
	CONFIG_SENDERS,
	CONFIG_NUMBER,
	CONFIG_STARTTLS,
	CONFIG_HOURS,
};

struct config_key {
	const char		*name;
	enum config_type	 type;
	size_t			 offset;
	unsigned int		 min, max;	/* for durations */
	int			 required;
	int			 restart;	/* SIGHUP cannot change it */
	const char		*fallback;
};

#define OFF(f) offsetof(struct config, f)
static const struct config_key config_keys[] = {
	{ "database", CONFIG_STRING, OFF(database), 0, 0, 1, 1, NULL },
	{ "listen", CONFIG_LISTEN, OFF(listen), 0, 0, 0, 1, "127.0.0.1:8080" },
	{ "poll_interval", CONFIG_DURATION, OFF(poll_interval), 1, 3600, 0, 0,
	    "5s" },
	{ "gammurc", CONFIG_STRING, OFF(gammurc), 0, 0, 0, 1, NULL },
	{ "multipart_timeout", CONFIG_DURATION, OFF(multipart_timeout), 10,
	    86400, 0, 0, "10m" },
	{ "health_interval", CONFIG_DURATION, OFF(health_interval), 5, 3600,
	    0, 0, "1m" },
	{ "stall_timeout", CONFIG_DURATION, OFF(stall_timeout), 10, 3600, 0, 0,
	    "2m" },
	{ "service_senders", CONFIG_SENDERS, OFF(service_senders), 0, 0, 0, 0,
	    SENDER_DEFAULT_SERVICE },
	{ "hangup_calls", CONFIG_BOOL, OFF(hangup_calls), 0, 0, 0, 0, "yes" },
	{ "delivery_reports", CONFIG_BOOL, OFF(delivery_reports), 0, 0, 0, 0,
	    "yes" },
	{ "lexicon", CONFIG_STRING, OFF(lexicon), 0, 0, 0, 0, NULL },
	{ "lexicon_local", CONFIG_STRING, OFF(lexicon_local), 0, 0, 0, 0,
	    NULL },
	{ "templates", CONFIG_STRING, OFF(templates), 0, 0, 0, 0, NULL },
	{ "ui_directory", CONFIG_STRING, OFF(ui_directory), 0, 0, 0, 0, NULL },
	{ "reward_rules", CONFIG_STRING, OFF(reward_rules), 0, 0, 0, 0,
	    "local-food" },
	{ "reward_rules_file", CONFIG_STRING, OFF(reward_rules_file), 0, 0, 0,
	    0, NULL },
	{ "reward_sms_amount", CONFIG_BOOL, OFF(reward_sms_amount), 0, 0, 0,
	    0, "no" },
	{ "report_email", CONFIG_STRING, OFF(report_email), 0, 0, 0, 0, NULL },
	{ "report_days_before", CONFIG_NUMBER, OFF(report_days_before), 0, 24,
	    0, 0, "5" },
	{ "followup_window", CONFIG_DURATION, OFF(followup_window), 600,
	    7 * 86400, 0, 0, "24h" },
	{ "case_window", CONFIG_DURATION, OFF(case_window), 3600,
	    366 * 86400, 0, 0, "30d" },
	{ "reply_limit", CONFIG_NUMBER, OFF(reply_limit), 0, 1000, 0, 0, "10" },
	{ "inbound_limit", CONFIG_NUMBER, OFF(inbound_limit), 0, 1000, 0, 0,
	    "20" },
	{ "quiet_hours", CONFIG_HOURS, OFF(quiet_hours), 0, 0, 0, 0,
	    "22:00-07:00" },
	{ "sms_daily_budget", CONFIG_NUMBER, OFF(sms_daily_budget), 0,
	    1000000, 0, 0, "500" },
	{ "outbox_retry_min", CONFIG_DURATION, OFF(outbox_retry_min), 1,
	    3600, 0, 0, "1m" },
	{ "outbox_retry_max", CONFIG_DURATION, OFF(outbox_retry_max), 1,
	    7 * 86400, 0, 0, "1h" },
	{ "outbox_max_attempts", CONFIG_NUMBER, OFF(outbox_max_attempts), 1,
	    100, 0, 0, "10" },
	{ "notify_timeout", CONFIG_DURATION, OFF(notify_timeout), 1, 600, 0,
	    0, "30s" },
	{ "tls_verify", CONFIG_BOOL, OFF(tls_verify), 0, 0, 0, 0, "yes" },
	{ "smtp_url", CONFIG_STRING, OFF(smtp_url), 0, 0, 0, 0, NULL },
	{ "smtp_from", CONFIG_STRING, OFF(smtp_from), 0, 0, 0, 0, NULL },
	{ "smtp_user", CONFIG_STRING, OFF(smtp_user), 0, 0, 0, 0, NULL },
	{ "smtp_password", CONFIG_STRING, OFF(smtp_password), 0, 0, 0, 0,
	    NULL },
	{ "smtp_starttls", CONFIG_STARTTLS, OFF(smtp_starttls), 0, 0, 0, 0,
	    "try" },
	{ "holidays", CONFIG_STRING, OFF(holidays), 0, 0, 0, 0, NULL },
	{ "ack_days", CONFIG_NUMBER, OFF(ack_days), 1, 30, 0, 0, "1" },
	{ "verify_days", CONFIG_NUMBER, OFF(verify_days), 1, 60, 0, 0, "15" },
	{ "reporter_retention_days", CONFIG_NUMBER,
	    OFF(reporter_retention_days), 0, 3650, 0, 0, "180" },
	{ "coordinator_phone", CONFIG_STRING, OFF(coordinator_phone), 0, 0, 0,
	    0, NULL },
	{ "coordinator_email", CONFIG_STRING, OFF(coordinator_email), 0, 0, 0,
	    0, NULL },
	{ "coordinator_webhook", CONFIG_STRING, OFF(coordinator_webhook), 0,
	    0, 0, 0, NULL },
	{ "coordinator_webhook_format", CONFIG_STRING,
	    OFF(coordinator_webhook_format), 0, 0, 0, 0, NULL },
	{ "missed_call_sms", CONFIG_BOOL, OFF(missed_call_sms), 0, 0, 0, 0,
	    "yes" },
	{ "modem_down_alert", CONFIG_DURATION, OFF(modem_down_alert), 0,
	    7 * 86400, 0, 0, "30m" },
	{ "modem_reset_command", CONFIG_STRING, OFF(modem_reset_command), 0,
	    0, 0, 0, NULL },
	{ "modem_reset_after", CONFIG_NUMBER, OFF(modem_reset_after), 1, 100,
	    0, 0, "3" },
};
#undef OFF
#define NKEYS (sizeof config_keys / sizeof config_keys[0])

/* The keys libGammu's GSM_ReadConfig understands in a [gammu] section. */
static const char *gammu_keys[] = {
	"device", "port", "connection", "model", "synchronizetime", "logfile",
	"logformat", "use_locking", "startinfo", "features", "reminder",
	"meeting", "call", "birthday", "memo", "gammuloc", "gammucoding",
	NULL
};

struct config_parse {
	const char	*file;
	int		 line;
	char		*errors;	/* newline-separated */
	int		 nerrors;
	int		 seen[NKEYS];	/* line of each [tipgw] key, 0 if unset */
	int		 tipgw_line;
	int		 gammu_only;	/* reading a gammurc: skip others */
};

static void config_error(struct config_parse *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
config_error(struct config_parse *p, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *line;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		fatalx("config_error: out of memory");
	va_end(ap);
	xasprintf(&line, "%s%s%s:%d: %s", p->errors ? p->errors : "",
	    p->errors ? "\n" : "", p->file, p->line, msg);
	free(msg);
	free(p->errors);
	p->errors = line;
	p->nerrors++;
}

static char *
config_trim(char *s)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return (s);
}

/* Parse "30", "30s", "10m", "2h" or "1d" into seconds. */
int
config_parse_duration(const char *s, unsigned int *seconds)
{
	char			*end;
	unsigned long		 n, mult = 1;

	if (!isdigit((unsigned char)*s))
		return (-1);
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0)
		return (-1);
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	default:
		return (-1);
	}
	if (*end != '\0' && end[1] != '\0')
		return (-1);
	if (n > UINT_MAX / mult)
		return (-1);
	*seconds = (unsigned int)(n * mult);
	return (0);
}

/* Split ADDRESS:PORT or [ADDRESS]:PORT; the address must be numeric. */
static int
config_parse_listen(const char *s, char **address, unsigned int *port)
{
	const char		*colon, *start, *end;
	char			*addr, *endp;
	unsigned char		 buf[sizeof(struct in6_addr)];
	unsigned long		 n;
	int			 family = AF_INET;

	if (*s == '[') {
		start = s + 1;
		if ((end = strchr(start, ']')) == NULL || end[1] != ':')
			return (-1);
		colon = end + 1;
		family = AF_INET6;
	} else {
		start = s;
		if ((colon = strrchr(s, ':')) == NULL)
			return (-1);
		end = colon;
	}
	if (end == start || colon[1] == '\0')
		return (-1);
	errno = 0;
	n = strtoul(colon + 1, &endp, 10);
	if (errno != 0 || *endp != '\0' || n == 0 || n > 65535 ||
	    !isdigit((unsigned char)colon[1]))
		return (-1);
	addr = xstrndup(start, (size_t)(end - start));
	if (inet_pton(family, addr, buf) != 1) {
		free(addr);
		return (-1);
	}
	*address = addr;
	*port = (unsigned int)n;
	return (0);
}

static int
config_set_bool(struct config_parse *p, const struct config_key *k,
    const char *value, int *out)
{
	static const char	*yes[] = { "yes", "true", "on", "1", NULL };
	static const char	*no[] = { "no", "false", "off", "0", NULL };
	int			 i;

	for (i = 0; yes[i] != NULL; i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*out = 1;
			return (0);
		}
		if (strcasecmp(value, no[i]) == 0) {
			*out = 0;
			return (0);
		}
	}
	config_error(p, "%s: bad value '%s': expected yes or no", k->name,
	    value);
	return (-1);
}

/* The order of NOTIFY_STARTTLS_*. */
const char *const config_starttls[3] = { "try", "required", "never" };

/* "22:00-07:00" as minutes of the day; "none": from == to. */
static int
config_parse_hours(const char *s, int *from, int *to)
{
	int	 h1, m1, h2, m2, n = 0;

	if (strcmp(s, "none") == 0) {
		*from = *to = 0;
		return (0);
	}
	if (sscanf(s, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &n) != 4 ||
	    s[n] != '\0' || h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 ||
	    h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0)
		return (-1);
	*from = h1 * 60 + m1;
	*to = h2 * 60 + m2;
	return (0);
}

static int
config_set(struct config_parse *p, struct config *conf,
    const struct config_key *k, const char *value)
{
	char		**sp = (char **)((char *)conf + k->offset);
	unsigned int	 *up = (unsigned int *)((char *)conf + k->offset);
	unsigned int	  n;
	unsigned long	  num;
	char		 *why, *end;

	switch (k->type) {
	case CONFIG_STRING:
		if (*value == '\0') {
			config_error(p, "%s: empty value", k->name);
			return (-1);
		}
		free(*sp);
		*sp = xstrdup(value);
		return (0);
	case CONFIG_NUMBER:
		errno = 0;
		num = strtoul(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0 ||
		    num < k->min || num > k->max) {
			config_error(p, "%s: bad value '%s': expected a number "
			    "from %u to %u", k->name, value, k->min, k->max);
			return (-1);
		}
		*up = (unsigned int)num;
		return (0);
	case CONFIG_DURATION:
		if (config_parse_duration(value, &n) != 0 ||
		    n < k->min || n > k->max) {
			config_error(p, "%s: bad value '%s': expected a duration "
			    "from %us to %us (e.g. 30s, 10m, 2h)", k->name,
			    value, k->min, k->max);
			return (-1);
		}
		*up = n;
		return (0);
	case CONFIG_BOOL:
		return (config_set_bool(p, k, value, (int *)up));
	case CONFIG_SENDERS:
		if (sender_patterns_valid(value, &why) != 0) {
			config_error(p, "%s: %s", k->name, why);
			free(why);
			return (-1);
		}
		free(*sp);
		*sp = xstrdup(value);
		return (0);
	case CONFIG_STARTTLS:
		for (n = 0; n < 3; n++) {
			if (strcmp(value, config_starttls[n]) == 0) {
				*(int *)up = (int)n;
				return (0);
			}
		}
		config_error(p, "%s: bad value '%s': expected try, required or "
		    "never", k->name, value);
		return (-1);
	case CONFIG_HOURS:
		if (config_parse_hours(value, &conf->quiet_from,
		    &conf->quiet_to) != 0) {
			config_error(p, "%s: bad value '%s': expected HH:MM-HH:MM "
			    "(e.g. 22:00-07:00) or none", k->name, value);
			return (-1);
		}
		free(*sp);
		*sp = xstrdup(value);
		return (0);
	case CONFIG_LISTEN:
		free(conf->listen_address);
		conf->listen_address = NULL;
		if (config_parse_listen(value, &conf->listen_address,
		    &conf->listen_port) != 0) {
			config_error(p, "%s: bad value '%s': expected "
			    "ADDRESS:PORT with a numeric address, e.g. "
			    "127.0.0.1:8080 or [::1]:8080", k->name, value);
			return (-1);
		}
		free(conf->listen);
		conf->listen = xstrdup(value);
		return (0);
	}
	return (-1);
}

static void
config_tipgw_pair(struct config_parse *p, struct config *conf,
    const char *key, const char *value)
{
	size_t	 i;
	size_t	 len = strlen(value);
	char	*unq = NULL;

	for (i = 0; i < NKEYS; i++) {
		if (strcasecmp(config_keys[i].name, key) == 0)
			break;
	}
	if (i == NKEYS) {
		config_error(p, "unknown key '%s' in [tipgw]", key);
		return;
	}
	if (p->seen[i] != 0) {
		config_error(p, "duplicate key '%s' (first set on line %d)",
		    key, p->seen[i]);
		return;
	}
	p->seen[i] = p->line;
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
		value = unq = xstrndup(value + 1, len - 2);
	config_set(p, conf, &config_keys[i], value);
	free(unq);
}

static int
config_gammu_section_number(const char *name)
{
	const char	*digits;
	char		*end;
	long		 n;

	if (strncasecmp(name, "gammu", 5) != 0)
		return (-1);
	digits = name + 5;
	if (*digits == '\0')
		return (0);
	if (!isdigit((unsigned char)*digits) || *digits == '0')
		return (-1);
	n = strtol(digits, &end, 10);
	if (*end != '\0' || n > 99)
		return (-1);
	return ((int)n);
}

static struct config_modem *
config_modem_add(struct config_parse *p, struct config *conf,
    const char *name, int number)
{
	struct config_modem	*m;
	size_t			 i;

	for (i = 0; i < conf->nmodems; i++) {
		if (conf->modems[i].number == number) {
			config_error(p, "duplicate section [%s] (first on "
			    "%s:%d)", name, conf->modems[i].file,
			    conf->modems[i].line);
			return (NULL);
		}
	}
	if (conf->nmodems == CONFIG_MAX_MODEMS) {
		config_error(p, "too many modems (at most %d)",
		    CONFIG_MAX_MODEMS);
		return (NULL);
	}
	conf->modems = xreallocarray(conf->modems, conf->nmodems + 1,
	    sizeof *conf->modems);
	m = &conf->modems[conf->nmodems++];
	memset(m, 0, sizeof *m);
	m->name = xstrdup(name);
	m->number = number;
	m->file = xstrdup(p->file);
	m->line = p->line;
	return (m);
}

static void
config_modem_pair(struct config_parse *p, struct config_modem *m,
    const char *key, const char *value)
{
	size_t	 i;

	for (i = 0; gammu_keys[i] != NULL; i++) {
		if (strcasecmp(gammu_keys[i], key) == 0)
			break;
	}
	if (gammu_keys[i] == NULL) {
		config_error(p, "unknown key '%s' in [%s]", key, m->name);
		return;
	}
	for (i = 0; i < m->npairs; i++) {
		if (strcasecmp(m->pairs[i].key, key) == 0) {
			config_error(p, "duplicate key '%s' (first set on "
			    "line %d)", key, m->pairs[i].line);
			return;
		}
	}
	m->pairs = xreallocarray(m->pairs, m->npairs + 1, sizeof *m->pairs);
	m->pairs[m->npairs].key = xstrdup(key);
	m->pairs[m->npairs].value = xstrdup(value);
	m->pairs[m->npairs].line = p->line;
	m->npairs++;
}

enum config_section {
	SECTION_NONE,
	SECTION_TIPGW,
	SECTION_MODEM,
	SECTION_SKIP,
	SECTION_BAD,
};

static enum config_section
config_section_start(struct config_parse *p, struct config *conf, char *s,
    struct config_modem **modem)
{
	char	*end = strchr(s, ']');
	int	 number;

	if (end == NULL || end[1] != '\0' || end == s + 1) {
		config_error(p, "bad section header '%s'", s);
		return (SECTION_BAD);
	}
	*end = '\0';
	s = config_trim(s + 1);
	if ((number = config_gammu_section_number(s)) >= 0) {
		*modem = config_modem_add(p, conf, s, number);
		return (*modem != NULL ? SECTION_MODEM : SECTION_BAD);
	}
	if (p->gammu_only)
		return (SECTION_SKIP);
	if (strcasecmp(s, "tipgw") == 0) {
		if (p->tipgw_line != 0) {
			config_error(p, "duplicate section [tipgw] (first on "
			    "line %d)", p->tipgw_line);
			return (SECTION_BAD);
		}
		p->tipgw_line = p->line;
		return (SECTION_TIPGW);
	}
	config_error(p, "unknown section [%s] (expected [tipgw], [gammu] "
	    "or [gammuN])", s);
	return (SECTION_BAD);
}

static void
config_parse_line(struct config_parse *p, struct config *conf, char *s,
    enum config_section *section, struct config_modem **modem)
{
	char	*eq, *key, *value;

	s = config_trim(s);
	if (*s == '\0' || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		*section = config_section_start(p, conf, s, modem);
		return;
	}
	if (*section == SECTION_SKIP || *section == SECTION_BAD)
		return;
	if ((eq = strchr(s, '=')) == NULL) {
		config_error(p, "expected 'key = value', got '%s'", s);
		return;
	}
	*eq = '\0';
	key = config_trim(s);
	value = config_trim(eq + 1);
	if (*key == '\0') {
		config_error(p, "missing key before '='");
		return;
	}
	switch (*section) {
	case SECTION_NONE:
		config_error(p, "'%s' is outside any section", key);
		break;
	case SECTION_TIPGW:
		config_tipgw_pair(p, conf, key, value);
		break;
	case SECTION_MODEM:
		config_modem_pair(p, *modem, key, value);
		break;
	default:
		break;
	}
}

static int
config_read_file(struct config_parse *p, struct config *conf)
{
	FILE			*f;
	char			*buf = NULL;
	size_t			 size = 0;
	ssize_t			 n;
	enum config_section	 section = SECTION_NONE;
	struct config_modem	*modem = NULL;

	p->line = 0;
	if ((f = fopen(p->file, "r")) == NULL) {
		config_error(p, "%s", strerror(errno));
		return (-1);
	}
	while ((n = getline(&buf, &size, f)) != -1) {
		p->line++;
		if (strlen(buf) != (size_t)n) {
			config_error(p, "NUL byte in line");
			continue;
		}
		if (p->line == 1 && strncmp(buf, "\xef\xbb\xbf", 3) == 0)
			memmove(buf, buf + 3, (size_t)n - 2);
		config_parse_line(p, conf, buf, &section, &modem);
	}
	if (ferror(f))
		config_error(p, "read error: %s", strerror(errno));
	free(buf);
	fclose(f);
	return (0);
}

static void
config_defaults(struct config_parse *p, struct config *conf)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++) {
		if (p->seen[i] != 0)
			continue;
		if (config_keys[i].required) {
			p->line = p->tipgw_line;
			config_error(p, "[tipgw] is missing required key '%s'",
			    config_keys[i].name);
		} else if (config_keys[i].fallback != NULL)
			config_set(p, conf, &config_keys[i],
			    config_keys[i].fallback);
	}
	if (conf->lexicon == NULL)
		xasprintf(&conf->lexicon, "%s/lexicon", tipgw_datadir());
	if (conf->reward_rules_file == NULL)
		xasprintf(&conf->reward_rules_file, "%s/rewards.txt",
		    tipgw_datadir());
	if (conf->ui_directory == NULL)
		xasprintf(&conf->ui_directory, "%s/ui", tipgw_datadir());
	if (conf->templates == NULL)
		xasprintf(&conf->templates, "%s/templates.txt",
		    tipgw_datadir());
	if (conf->holidays == NULL)
		xasprintf(&conf->holidays, "%s/holidays-cn.txt",
		    tipgw_datadir());
}

/* The line a [tipgw] key was set on, or the section's line. */
static int
config_key_line(const struct config_parse *p, const char *name)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++) {
		if (strcmp(config_keys[i].name, name) == 0 && p->seen[i] != 0)
			return (p->seen[i]);
	}
	return (p->tipgw_line);
}

/*
 * A modem is judged stalled when it has not answered for stall_timeout;
 * it is asked something every poll_interval and health_interval, so
 * both must be shorter.
 */
static void
config_check_stall(struct config_parse *p, struct config *conf)
{
	if (conf->stall_timeout > conf->poll_interval &&
	    conf->stall_timeout > conf->health_interval)
		return;
	p->line = config_key_line(p, "stall_timeout");
	config_error(p, "stall_timeout (%us) must be longer than "
	    "poll_interval (%us) and health_interval (%us)",
	    conf->stall_timeout, conf->poll_interval, conf->health_interval);
}

/* The coordinator's webhook: a URL, in a format notify.c writes. */
static void
config_check_coordinator(struct config_parse *p, struct config *conf)
{
	const char	*f = conf->coordinator_webhook_format;

	if (conf->coordinator_webhook != NULL &&
	    !tipgw_url_valid(conf->coordinator_webhook)) {
		p->line = config_key_line(p, "coordinator_webhook");
		config_error(p, "coordinator_webhook: bad value '%s': expected "
		    "an http:// or https:// URL without spaces",
		    conf->coordinator_webhook);
	}
	if (f != NULL && strcmp(f, "generic") != 0 &&
	    strcmp(f, "wecom") != 0 && strcmp(f, "dingtalk") != 0) {
		p->line = config_key_line(p, "coordinator_webhook_format");
		config_error(p, "coordinator_webhook_format: bad value '%s': "
		    "expected generic, wecom or dingtalk", f);
	}
}

/* Settings that only make sense together. */
/* report_email: addresses, and a server to send them by. */
static void
config_check_report(struct config_parse *p, struct config *conf)
{
	char	*list, *rest, *a;

	if (conf->report_email == NULL)
		return;
	list = rest = xstrdup(conf->report_email);
	while ((a = strsep(&rest, " ,")) != NULL) {
		if (*a != '\0' && !tipgw_email_valid(a)) {
			p->line = config_key_line(p, "report_email");
			config_error(p, "report_email: bad address '%s'", a);
		}
	}
	free(list);
	if (conf->smtp_url == NULL) {
		p->line = config_key_line(p, "report_email");
		config_error(p, "report_email needs smtp_url and smtp_from");
	}
}

static void
config_check_outbound(struct config_parse *p, struct config *conf)
{
	if (conf->outbox_retry_min > conf->outbox_retry_max) {
		p->line = config_key_line(p, "outbox_retry_min");
		config_error(p, "outbox_retry_min (%us) is longer than "
		    "outbox_retry_max (%us)", conf->outbox_retry_min,
		    conf->outbox_retry_max);
	}
	if (conf->smtp_url != NULL &&
	    strncmp(conf->smtp_url, "smtp://", 7) != 0 &&
	    strncmp(conf->smtp_url, "smtps://", 8) != 0) {
		p->line = config_key_line(p, "smtp_url");
		config_error(p, "smtp_url: bad value '%s': expected "
		    "smtp://HOST[:PORT] or smtps://HOST[:PORT]", conf->smtp_url);
	}
	if ((conf->smtp_url == NULL) != (conf->smtp_from == NULL)) {
		p->line = config_key_line(p, conf->smtp_url ? "smtp_url" :
		    "smtp_from");
		config_error(p, "smtp_url and smtp_from go together: e-mail "
		    "needs a server and a sender address");
	}
	if (conf->smtp_from != NULL && !tipgw_email_valid(conf->smtp_from)) {
		p->line = config_key_line(p, "smtp_from");
		config_error(p, "smtp_from: bad value '%s': expected an e-mail "
		    "address", conf->smtp_from);
	}
	if (conf->coordinator_email != NULL &&
	    !tipgw_email_valid(conf->coordinator_email)) {
		p->line = config_key_line(p, "coordinator_email");
		config_error(p, "coordinator_email: bad value '%s': expected "
		    "an e-mail address", conf->coordinator_email);
	}
	config_check_report(p, conf);
	if (conf->coordinator_phone != NULL &&
	    !tipgw_phone_valid(conf->coordinator_phone)) {
		p->line = config_key_line(p, "coordinator_phone");
		config_error(p, "coordinator_phone: bad value '%s': expected "
		    "digits with an optional leading +",
		    conf->coordinator_phone);
	}
	config_check_coordinator(p, conf);
}

static void
config_read_gammurc(struct config_parse *p, struct config *conf)
{
	struct config_parse	 rc;
	int			 line = config_key_line(p, "gammurc");

	if (conf->nmodems != 0) {
		p->line = line;
		config_error(p, "gammurc is set but this file also has "
		    "[gammu] sections; use one or the other");
		return;
	}
	memset(&rc, 0, sizeof rc);
	rc.file = conf->gammurc;
	rc.gammu_only = 1;
	config_read_file(&rc, conf);
	if (rc.errors != NULL) {
		p->line = line;
		config_error(p, "in gammurc:\n%s", rc.errors);
		free(rc.errors);
	}
}

/*
 * Read and check a configuration file. On any error return NULL with every
 * error, one "file:line: message" per line, in *cause.
 */
/* The reset command must fit the modem's options (modem.h), whole. */
static void
config_check_reset(struct config_parse *p, const struct config *conf)
{
	if (conf->modem_reset_command == NULL ||
	    strlen(conf->modem_reset_command) < CONFIG_RESET_COMMAND_MAX)
		return;
	p->line = config_key_line(p, "modem_reset_command");
	config_error(p, "modem_reset_command: longer than %d bytes",
	    CONFIG_RESET_COMMAND_MAX - 1);
}

struct config *
config_load(const char *path, char **cause)
{
	struct config_parse	 p;
	struct config		*conf;

	memset(&p, 0, sizeof p);
	p.file = path;
	conf = xcalloc(1, sizeof *conf);
	conf->path = xstrdup(path);
	if (config_read_file(&p, conf) == 0) {
		if (p.tipgw_line == 0) {
			p.line = 1;
			config_error(&p, "no [tipgw] section");
		} else {
			config_defaults(&p, conf);
			config_check_stall(&p, conf);
			config_check_outbound(&p, conf);
			config_check_reset(&p, conf);
		}
		if (conf->gammurc != NULL && p.nerrors == 0)
			config_read_gammurc(&p, conf);
	}
	if (p.nerrors != 0) {
		*cause = p.errors;
		config_free(conf);
		return (NULL);
	}
	return (conf);
}

static void
config_modem_free(struct config_modem *m)
{
	size_t	 i;

	for (i = 0; i < m->npairs; i++) {
		free(m->pairs[i].key);
		free(m->pairs[i].value);
	}
	free(m->pairs);
	free(m->name);
	free(m->file);
}

/* Free a configuration. */
void
config_free(struct config *conf)
{
	size_t	 i;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->nmodems; i++)
		config_modem_free(&conf->modems[i]);
	free(conf->modems);
	free(conf->path);
	free(conf->database);
	free(conf->listen);
	free(conf->listen_address);
	free(conf->gammurc);
	free(conf->service_senders);
	free(conf->lexicon);
	free(conf->ui_directory);
	free(conf->reward_rules);
	free(conf->reward_rules_file);
	free(conf->report_email);
	free(conf->lexicon_local);
	free(conf->templates);
	free(conf->quiet_hours);
	free(conf->smtp_url);
	free(conf->smtp_from);
	free(conf->smtp_user);
	free(conf->smtp_password);
	free(conf->holidays);
	free(conf->modem_reset_command);
	free(conf->coordinator_phone);
	free(conf->coordinator_email);
	free(conf->coordinator_webhook);
	free(conf->coordinator_webhook_format);
	free(conf);
}

/* The value of a key in a modem's Gammu section, or NULL. */
const char *
config_modem_get(const struct config_modem *m, const char *key)
{
	size_t	 i;

	for (i = 0; i < m->npairs; i++) {
		if (strcasecmp(m->pairs[i].key, key) == 0)
			return (m->pairs[i].value);
	}
	return (NULL);
}

static int
config_modems_equal(const struct config *a, const struct config *b)
{
	size_t	 i, j;

	if (a->nmodems != b->nmodems)
		return (0);
	for (i = 0; i < a->nmodems; i++) {
		const struct config_modem *ma = &a->modems[i];
		const struct config_modem *mb = &b->modems[i];

		if (ma->number != mb->number || ma->npairs != mb->npairs)
			return (0);
		for (j = 0; j < ma->npairs; j++) {
			if (strcasecmp(ma->pairs[j].key, mb->pairs[j].key) ||
			    strcmp(ma->pairs[j].value, mb->pairs[j].value))
				return (0);
		}
	}
	return (1);
}

static int
config_same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/*
 * Keep in newconf the old value of every setting that only a restart can
 * change, warning about each; return how many were refused. The old modem
 * sections move into newconf, so free oldconf afterwards.
 */
int
config_merge_reload(struct config *newconf, struct config *oldconf)
{
	struct config_modem	*modems;
	size_t			 nmodems;
	char			*gammurc;
	int			 refused = 0;

	if (!config_same_string(newconf->database, oldconf->database)) {
		log_warnx("config: database change needs a restart; keeping "
		    "%s", oldconf->database);
		free(newconf->database);
		newconf->database = xstrdup(oldconf->database);
		refused++;
	}
	if (!config_same_string(newconf->listen, oldconf->listen)) {
		log_warnx("config: listen change needs a restart; keeping %s",
		    oldconf->listen);
		free(newconf->listen);
		free(newconf->listen_address);
		newconf->listen = xstrdup(oldconf->listen);
		newconf->listen_address = xstrdup(oldconf->listen_address);
		newconf->listen_port = oldconf->listen_port;
		refused++;
	}
	if (!config_same_string(newconf->gammurc, oldconf->gammurc) ||
	    !config_modems_equal(newconf, oldconf)) {
		log_warnx("config: modem changes need a restart; keeping the "
		    "running modems");
		modems = newconf->modems;
		nmodems = newconf->nmodems;
		gammurc = newconf->gammurc;
		newconf->modems = oldconf->modems;
		newconf->nmodems = oldconf->nmodems;
		newconf->gammurc = oldconf->gammurc;
		oldconf->modems = modems;
		oldconf->nmodems = nmodems;
		oldconf->gammurc = gammurc;
		refused++;
	}
	return (refused);
}
