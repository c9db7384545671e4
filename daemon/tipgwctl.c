/*
 * tipgwctl: the operators' and coordinators' command-line tool. It reads
 * the daemon's configuration to find the ledger and works on it through
 * store.c; it never prints a reporter's number.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tipgw/clock.h"
#include "tipgw/config.h"
#include "tipgw/division.h"
#include "tipgw/json.h"
#include "tipgw/log.h"
#include "tipgw/notify.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

#define CTL_MAX_FILE	(256 * 1024 * 1024)


#define CTL_READONLY	1
#define CTL_NOLEDGER	2	/* works without configuration or ledger */

struct ctl_command {
	const char	*name;
	const char	*sub;
	int		 readonly;
	int		 (*run)(struct ctl *, int, char **);
	const char	*usage;
};

static int ctl_gazetteer_import(struct ctl *, int, char **);
static int ctl_gazetteer_list(struct ctl *, int, char **);
static int ctl_office_add(struct ctl *, int, char **);
static int ctl_office_set(struct ctl *, int, char **);
static int ctl_office_list(struct ctl *, int, char **);
static int ctl_tips(struct ctl *, int, char **);
static int ctl_send(struct ctl *, int, char **);
static int ctl_classify(struct ctl *, int, char **);
static int ctl_outbox(struct ctl *, int, char **);
static int ctl_outbox_retry(struct ctl *, int, char **);
static int ctl_json_flag(int, char **, int *);

static const struct ctl_command ctl_commands[] = {
	{ "gazetteer", "import", 0, ctl_gazetteer_import,
	    "gazetteer import --streets FILE --villages FILE [--county CODE]" },
	{ "gazetteer", "list", 1, ctl_gazetteer_list,
	    "gazetteer list [--json]" },
	{ "office", "add", 0, ctl_office_add,
	    "office add NAME [--township CODE]... [--phone NUMBER]... "
	    "[--webhook URL] [--webhook-format F] [--email ADDRESS]" },
	{ "office", "set", 0, ctl_office_set,
	    "office set NAME [--name NEW] [--township CODE]... "
	    "[--phone NUMBER]... [--webhook URL] [--webhook-format F] "
	    "[--email ADDRESS]" },
	{ "office", "list", 1, ctl_office_list, "office list [--json]" },
	{ "tips", NULL, 1, ctl_tips, "tips [--json]" },
	{ "tip", "extend", 0, ctl_tip_extend,
	    "tip extend CODE --approver NAME --reason TEXT" },
	{ "tip", "pause", 0, ctl_tip_pause, "tip pause CODE --reason TEXT" },
	{ "tip", "resume", 0, ctl_tip_resume, "tip resume CODE" },
	{ "deadlines", NULL, CTL_READONLY, ctl_deadlines,
	    "deadlines [--overdue]" },
	{ "calls", "done", 0, ctl_calls_done, "calls done ID [--note TEXT]" },
	{ "calls", NULL, 0, ctl_calls, "calls [--reveal]" },
	{ "send", NULL, 0, ctl_send, "send NUMBER TEXT" },
	{ "outbox", "retry", 0, ctl_outbox_retry, "outbox retry ID" },
	{ "outbox", NULL, CTL_READONLY, ctl_outbox,
	    "outbox [--state STATE] [--json]" },
	{ "classify", NULL, CTL_NOLEDGER, ctl_classify,
	    "classify --streets FILE --villages FILE [--county CODE] "
	    "[--lexicon DIR] [--lexicon-local FILE]" },
};
#define NCOMMANDS (sizeof ctl_commands / sizeof ctl_commands[0])

static __attribute__((noreturn)) void
usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: tipgwctl [-v] [-f file] command ...\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(stderr, "       tipgwctl %s\n", ctl_commands[i].usage);
	exit(1);
}

static __attribute__((noreturn)) void
ctl_usage(const struct ctl_command *cmd)
{
	fprintf(stderr, "usage: tipgwctl %s\n", cmd->usage);
	exit(1);
}

/* Read a whole file into memory. */
static char *
ctl_read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 size;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "tipgwctl: %s: %s\n", path, strerror(errno));
		return (NULL);
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || size > CTL_MAX_FILE) {
		fprintf(stderr, "tipgwctl: %s: cannot read (not a regular "
		    "file, or over %d MiB)\n", path, CTL_MAX_FILE >> 20);
		fclose(f);
		return (NULL);
	}
	buf = xmalloc((size_t)size + 1);
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "tipgwctl: %s: read error\n", path);
		free(buf);
		fclose(f);
		return (NULL);
	}
	buf[size] = '\0';
	*len = (size_t)size;
	fclose(f);
	return (buf);
}

static int
ctl_parse_file(struct division *d, const char *path, const char *county,
    int villages)
{
	char	*data, *cause = NULL;
	size_t	 len;
	int	 rc;

	if ((data = ctl_read_file(path, &len)) == NULL)
		return (-1);
	if (villages)
		rc = division_parse_villages(d, path, data, len, county,
		    &cause);
	else
		rc = division_parse_streets(d, path, data, len, county, &cause);
	free(data);
	if (rc != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
	}
	return (rc);
}

static int
ctl_county_valid(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (i == 6);
}

/*
 * Read a county's division files into d: both parsed, then checked
 * against each other. Errors are printed; -1 then (d freed).
 */
static int
ctl_division_read(struct division *d, const char *streets,
    const char *villages, const char *county)
{
	char	*cause = NULL;

	memset(d, 0, sizeof *d);
	if (county != NULL && !ctl_county_valid(county)) {
		fprintf(stderr, "tipgwctl: --county %s: expected a 6-digit "
		    "county code such as 411724\n", county);
		return (-1);
	}
	if (ctl_parse_file(d, streets, county, 0) != 0 ||
	    ctl_parse_file(d, villages, county, 1) != 0)
		goto fail;
	if (division_check(d, streets, villages, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		goto fail;
	}
	return (0);
fail:
	division_free(d);
	return (-1);
}

static double
ctl_elapsed(const struct timespec *start)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9);
}

static int
ctl_gazetteer_store(struct ctl *c, struct division *d, const char *county,
    const struct timespec *start)
{
	struct store_import_counts	 counts;
	char				*cause = NULL;

	if (d->ntownships == 0) {
		fprintf(stderr, "tipgwctl: no townships%s%s found; nothing "
		    "imported\n", county ? " for county " : "",
		    county ? county : "");
		return (1);
	}
	if (store_gazetteer_import(c->store, d, clock_now(), c->actor, &counts,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: import failed, nothing imported: "
		    "%s\n", cause);
		free(cause);
		return (1);
	}
	printf("imported %lld townships and %lld villages in %.3fs; the "
	    "ledger has %lld townships and %lld villages\n", counts.townships,
	    counts.villages, ctl_elapsed(start), counts.townships_total,
	    counts.villages_total);
	return (0);
}

static int
ctl_gazetteer_import(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "streets", required_argument, NULL, 's' },
		{ "villages", required_argument, NULL, 'V' },
		{ "county", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct division		 d = { NULL, 0, NULL, 0 };
	struct timespec		 start;
	const char		*streets = NULL, *villages = NULL;
	const char		*county = NULL;
	int			 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			streets = optarg;
		else if (ch == 'V')
			villages = optarg;
		else if (ch == 'c')
			county = optarg;
		else
			return (-1);
	}
	if (streets == NULL || villages == NULL || optind != argc)
		return (-1);
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (ctl_division_read(&d, streets, villages, county) != 0) {
		fprintf(stderr, "tipgwctl: nothing imported\n");
		return (1);
	}
	rc = ctl_gazetteer_store(c, &d, county, &start);
	division_free(&d);
	return (rc);
}

static int
ctl_township_print_cb(const struct township *t, void *arg)
{
	int	*json = arg;
	char	*s;

	if (*json) {
		s = json_township(t);
		printf("%s\n", s);
		free(s);
	} else
		printf("%-9s %-8lld %-24s %s\n", t->code, t->nvillages,
		    t->office_name ? t->office_name : "-", t->name);
	return (0);
}

static int
ctl_gazetteer_list(struct ctl *c, int argc, char **argv)
{
	char	*cause = NULL;
	int	 json;

	if (ctl_json_flag(argc, argv, &json) != 0)
		return (-1);
	if (!json)
		printf("%-9s %-8s %-24s %s\n", "CODE", "VILLAGES", "OFFICE",
		    "NAME");
	if (store_township_foreach(c->store, ctl_township_print_cb, &json,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

/* Append each comma-separated item of arg to a string list. */
static void
ctl_list_add(char ***list, size_t *n, const char *arg)
{
	char	*copy = xstrdup(arg), *p = copy, *item;

	while ((item = strsep(&p, ",")) != NULL) {
		if (*item == '\0')
			continue;
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = xstrdup(item);
	}
	free(copy);
}

static int
ctl_office_check(const struct office *o)
{
	enum notify_format	 format;
	size_t			 i;

	for (i = 0; i < o->nphones; i++) {
		if (!tipgw_phone_valid(o->phones[i])) {
			fprintf(stderr, "tipgwctl: --phone %s: expected digits "
			    "with an optional leading +\n", o->phones[i]);
			return (-1);
		}
	}
	for (i = 0; i < o->ntownships; i++) {
		if (strlen(o->townships[i]) != 9 ||
		    strspn(o->townships[i], "0123456789") != 9) {
			fprintf(stderr, "tipgwctl: --township %s: expected a "
			    "9-digit township code\n", o->townships[i]);
			return (-1);
		}
	}
	if (o->webhook_url != NULL && *o->webhook_url != '\0' &&
	    !tipgw_url_valid(o->webhook_url)) {
		fprintf(stderr, "tipgwctl: --webhook %s: expected an http:// "
		    "or https:// URL without spaces\n", o->webhook_url);
		return (-1);
	}
	if (o->webhook_format != NULL && *o->webhook_format != '\0' &&
	    notify_format_parse(o->webhook_format, &format) != 0) {
		fprintf(stderr, "tipgwctl: --webhook-format %s: expected "
		    "generic, wecom or dingtalk\n", o->webhook_format);
		return (-1);
	}
	if (o->email != NULL && *o->email != '\0' &&
	    !tipgw_email_valid(o->email)) {
		fprintf(stderr, "tipgwctl: --email %s: expected an e-mail "
		    "address\n", o->email);
		return (-1);
	}
	return (0);
}

struct ctl_office_args {
	struct office	 office;
	const char	*new_name;
	int		 set_phones;
	int		 set_townships;
};

static int
ctl_office_options(int argc, char **argv, struct ctl_office_args *a,
    int allow_rename)
{
	static const struct option opts[] = {
		{ "township", required_argument, NULL, 't' },
		{ "phone", required_argument, NULL, 'p' },
		{ "webhook", required_argument, NULL, 'w' },
		{ "webhook-format", required_argument, NULL, 'F' },
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct office	*o = &a->office;
	int		 ch;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	o->name = xstrdup(argv[1]);
	argc--;
	argv++;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			ctl_list_add(&o->townships, &o->ntownships, optarg);
			a->set_townships = 1;
			break;
		case 'p':
			ctl_list_add(&o->phones, &o->nphones, optarg);
			a->set_phones = 1;
			break;
		case 'w':
			free(o->webhook_url);
			o->webhook_url = xstrdup(optarg);
			break;
		case 'F':
			free(o->webhook_format);
			o->webhook_format = xstrdup(optarg);
			break;
		case 'e':
			free(o->email);
			o->email = xstrdup(optarg);
			break;
		case 'n':
			if (!allow_rename)
				return (-1);
			a->new_name = optarg;
			break;
		default:
			return (-1);
		}
	}
	return (optind == argc ? 0 : -1);
}

static int
ctl_office_add(struct ctl *c, int argc, char **argv)
{
	struct ctl_office_args	 a;
	long long		 id;
	char			*cause = NULL;
	int			 rc = 1;

	memset(&a, 0, sizeof a);
	if (ctl_office_options(argc, argv, &a, 0) != 0) {
		office_clear(&a.office);
		return (-1);
	}
	if (ctl_office_check(&a.office) == 0) {
		if (store_office_add(c->store, &a.office, clock_now(), c->actor,
		    &id, &cause) != 0) {
			fprintf(stderr, "tipgwctl: office %s: %s\n",
			    a.office.name, cause);
			free(cause);
		} else {
			printf("added office %s (id %lld)\n", a.office.name,
			    id);
			rc = 0;
		}
	}
	office_clear(&a.office);
	return (rc);
}

static int
ctl_office_set(struct ctl *c, int argc, char **argv)
{
	struct ctl_office_args		 a;
	struct store_office_change	 ch;
	char				*cause = NULL;
	int				 rc = 1;

	memset(&a, 0, sizeof a);
	if (ctl_office_options(argc, argv, &a, 1) != 0) {
		office_clear(&a.office);
		return (-1);
	}
	memset(&ch, 0, sizeof ch);
	ch.new_name = a.new_name;
	ch.webhook_url = a.office.webhook_url;
	ch.email = a.office.email;
	ch.webhook_format = a.office.webhook_format;
	ch.phones = a.office.phones;
	ch.nphones = a.office.nphones;
	ch.set_phones = a.set_phones;
	ch.townships = a.office.townships;
	ch.ntownships = a.office.ntownships;
	ch.set_townships = a.set_townships;
	if (ctl_office_check(&a.office) == 0) {
		if (store_office_set(c->store, a.office.name, &ch, clock_now(),
		    c->actor, &cause) != 0) {
			fprintf(stderr, "tipgwctl: office %s: %s\n",
			    a.office.name, cause);
			free(cause);
		} else {
			printf("updated office %s\n", a.new_name ?
			    a.new_name : a.office.name);
			rc = 0;
		}
	}
	office_clear(&a.office);
	return (rc);
}

static int
ctl_json_flag(int argc, char **argv, int *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	*json = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'j')
			return (-1);
		*json = 1;
	}
	return (optind == argc ? 0 : -1);
}

static void
ctl_print_list(const char *label, char **v, size_t n)
{
	size_t	 i;

	printf(" %s=", label);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", v[i]);
	if (n == 0)
		printf("-");
}

static int
ctl_office_print_cb(const struct office *o, void *arg)
{
	int	*json = arg;
	char	*s;

	if (*json) {
		s = json_office(o);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	printf("%s", o->name);
	ctl_print_list("townships", o->townships, o->ntownships);
	ctl_print_list("phones", o->phones, o->nphones);
	printf(" webhook=%s%s%s email=%s\n",
	    o->webhook_url ? o->webhook_url : "-",
	    o->webhook_format ? " format=" : "",
	    o->webhook_format ? o->webhook_format : "",
	    o->email ? o->email : "-");
	return (0);
}

static int
ctl_office_list(struct ctl *c, int argc, char **argv)
{
	char	*cause = NULL;
	int	 json;

	if (ctl_json_flag(argc, argv, &json) != 0)
		return (-1);
	if (store_office_foreach(c->store, ctl_office_print_cb, &json,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

static int
ctl_tip_print_cb(const struct tip *t, void *arg)
{
	int	*json = arg;
	char	*s, when[32], *p;

	if (*json) {
		s = json_tip(t);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	s = xstrdup(t->text ? t->text : "");
	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	}
	printf("%-6lld %-8s %-20s %-14s %-9s %s\n", t->id,
	    t->code ? t->code : "-",
	    tipgw_time_format(t->received_at, when, sizeof when),
	    t->state ? t->state : "-",
	    t->township_code ? t->township_code : "-", s);
	free(s);
	return (0);
}

static int
ctl_tips(struct ctl *c, int argc, char **argv)
{
	char	*cause = NULL;
	int	 json;

	if (ctl_json_flag(argc, argv, &json) != 0)
		return (-1);
	if (!json)
		printf("%-6s %-8s %-20s %-14s %-9s %s\n", "ID", "CODE",
		    "RECEIVED", "STATE", "TOWNSHIP", "TEXT");
	if (store_tip_foreach(c->store, ctl_tip_print_cb, &json,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

#define CTL_SEND_MAX	1000	/* characters: about 15 UCS-2 parts */

static size_t
ctl_utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/*
 * Queue a text message; tipgwd sends it through a ready modem. For
 * testing a modem, or telling a reporter something by hand.
 */
static int
ctl_send(struct ctl *c, int argc, char **argv)
{
	char		 key[64], *clean, *cause = NULL;
	long long	 id = 0;
	unsigned int	 nonce;
	int		 ok;

	if (argc != 3)
		return (-1);
	if (!tipgw_phone_valid(argv[1])) {
		fprintf(stderr, "tipgwctl: %s: expected a phone number\n",
		    argv[1]);
		return (1);
	}
	clean = tipgw_utf8_sanitize(argv[2]);
	ok = strcmp(clean, argv[2]) == 0;
	free(clean);
	if (!ok || *argv[2] == '\0' || ctl_utf8_chars(argv[2]) > CTL_SEND_MAX) {
		fprintf(stderr, "tipgwctl: the text must be valid UTF-8, "
		    "from 1 to %d characters\n", CTL_SEND_MAX);
		return (1);
	}
	arc4random_buf(&nonce, sizeof nonce);
	snprintf(key, sizeof key, "manual:%lld:%08x", (long long)clock_now(),
	    nonce);
	if (store_outbox_queue(c->store, key, "sms", argv[1], argv[2], 0,
	    clock_now(), &id, &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("queued outbox=%lld; tipgwd sends it through a ready modem\n",
	    id);
	return (0);
}

/*
 * Run as root against a ledger owned by the daemon's user, become that
 * user: files SQLite creates (the WAL and shared-memory files) would
 * otherwise belong to root and lock the daemon out.
 */
static int
ctl_outbox_print_cb(const struct store_outbox_row *r, void *arg)
{
	int	*json = arg;
	char	*s, masked[32], when[32], *p;

	if (*json) {
		s = json_outbox(r);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	s = xstrdup(r->last_error ? r->last_error : "");
	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	}
	printf("%-6lld %-7s %-8s %-3d %-20s %-16s %-28s %s\n", r->id,
	    r->channel, r->state, r->attempts,
	    tipgw_time_format(r->sent_at ? r->sent_at : r->next_attempt_at,
	    when, sizeof when), strcmp(r->channel, "sms") == 0 ?
	    log_mask_phone(r->destination, masked, sizeof masked) :
	    r->destination, r->dedup_key, s);
	free(s);
	return (0);
}

/* outbox: what is queued, sent, failed and dead. */
static int
ctl_outbox(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const states[] = {
		"queued", "sending", "sent", "failed", "dead", NULL
	};
	const char	*state = NULL;
	char		*cause = NULL;
	int		 ch, json = 0, i;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			state = optarg;
		else if (ch == 'j')
			json = 1;
		else
			return (-1);
	}
	if (optind != argc)
		return (-1);
	for (i = 0; state != NULL && states[i] != NULL; i++) {
		if (strcmp(states[i], state) == 0)
			break;
	}
	if (state != NULL && states[i] == NULL) {
		fprintf(stderr, "tipgwctl: --state: '%s' is not one of queued, "
		    "sending, sent, failed, dead\n", state);
		return (1);
	}
	if (!json)
		printf("%-6s %-7s %-8s %-3s %-20s %-16s %-28s %s\n", "ID",
		    "CHANNEL", "STATE", "TRY", "SENT/NEXT", "TO", "INTENT",
		    "LAST ERROR");
	if (store_outbox_foreach(c->store, state, ctl_outbox_print_cb, &json,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

/* outbox retry ID: put a failed or dead message back in the queue. */
static int
ctl_outbox_retry(struct ctl *c, int argc, char **argv)
{
	char		*cause = NULL, *end;
	long long	 id;
	int		 rc;

	if (argc != 2)
		return (-1);
	id = strtoll(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || id <= 0) {
		fprintf(stderr, "tipgwctl: '%s' is not an outbox ID\n",
		    argv[1]);
		return (1);
	}
	rc = store_outbox_retry(c->store, id, clock_now(), c->actor, &cause);
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("outbox=%lld queued again; tipgwd sends it when its channel "
	    "is ready\n", id);
	return (0);
}

/*
 * classify: the daemon's understanding, offline. JSON lines on stdin,
 * JSON lines on stdout; a summary with the rate on stderr.
 */
static int
ctl_classify(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "streets", required_argument, NULL, 's' },
		{ "villages", required_argument, NULL, 'V' },
		{ "county", required_argument, NULL, 'c' },
		{ "lexicon", required_argument, NULL, 'l' },
		{ "lexicon-local", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	struct understand	 u;
	struct division		 d;
	struct timespec		 start;
	const char		*streets = NULL, *villages = NULL;
	const char		*county = NULL, *local = NULL;
	const char		*lexdir = NULL;
	char			*cause = NULL, *deflex = NULL;
	unsigned long		 lines = 0;
	double			 secs;
	int			 ch, rc;

	(void)c;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			streets = optarg;
			break;
		case 'V':
			villages = optarg;
			break;
		case 'c':
			county = optarg;
			break;
		case 'l':
			lexdir = optarg;
			break;
		case 'L':
			local = optarg;
			break;
		default:
			return (-1);
		}
	}
	if (streets == NULL || villages == NULL || optind != argc)
		return (-1);
	if (ctl_division_read(&d, streets, villages, county) != 0)
		return (1);
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (lexdir == NULL) {
		xasprintf(&deflex, "%s/lexicon", tipgw_datadir());
		lexdir = deflex;
	}
	rc = understand_init(&u, lexdir, local, &d, &cause);
	free(deflex);
	division_free(&d);
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	rc = classify_stream(&u, stdin, stdout, &lines, &cause);
	understand_clear(&u);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tipgwctl: classify: write error\n");
		return (1);
	}
	if (rc != 0) {
		fprintf(stderr, "tipgwctl: classify: stdin: %s\n", cause);
		free(cause);
		return (1);
	}
	secs = ctl_elapsed(&start);
	fprintf(stderr, "tipgwctl: classified %lu lines in %.3f s "
	    "(%.0f lines/s)\n", lines, secs, secs > 0 ? lines / secs : 0.0);
	return (0);
}

static void
ctl_become_owner(const char *database)
{
	struct stat	 sb;
	struct passwd	*pw;
	char		*copy;
	int		 found;

	if (geteuid() != 0)
		return;
	found = stat(database, &sb) == 0;
	if (!found) {
		copy = xstrdup(database);
		found = stat(dirname(copy), &sb) == 0;
		free(copy);
	}
	if (!found || sb.st_uid == 0)
		return;
	pw = getpwuid(sb.st_uid);
	if (setgroups(0, NULL) == -1 || setgid(sb.st_gid) == -1 ||
	    setuid(sb.st_uid) == -1)
		fatal("cannot become the ledger's owner (uid %u)",
		    (unsigned int)sb.st_uid);
	log_debug("tipgwctl: running as %s, the owner of %s",
	    pw ? pw->pw_name : "?", database);
}

static void
ctl_actor(struct ctl *c)
{
	struct passwd	*pw = getpwuid(getuid());
	const char	*who = getenv("SUDO_USER");

	if (who == NULL)
		who = pw != NULL ? pw->pw_name : "unknown";
	snprintf(c->actor, sizeof c->actor, "tipgwctl:%s", who);
}

static const struct ctl_command *
ctl_find(int argc, char **argv)
{
	size_t	 i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(ctl_commands[i].name, argv[0]) != 0)
			continue;
		if (ctl_commands[i].sub == NULL)
			return (&ctl_commands[i]);
		if (argc > 1 && strcmp(ctl_commands[i].sub, argv[1]) == 0)
			return (&ctl_commands[i]);
	}
	return (NULL);
}

static int
ctl_open(struct ctl *c, const struct ctl_command *cmd)
{
	char	*cause = NULL;

	if ((c->conf = config_load(c->config_path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (-1);
	}
	ctl_actor(c);
	ctl_become_owner(c->conf->database);
	c->store = store_open(c->conf->database,
	    cmd->readonly == CTL_READONLY ? STORE_READONLY : 0, &cause);
	if (c->store == NULL) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

int
main(int argc, char *argv[])
{
	struct ctl			 c;
	const struct ctl_command	*cmd;
	int				 ch, rc, verbose = 0, skip;

	memset(&c, 0, sizeof c);
	c.config_path = CONFIG_DEFAULT_PATH;
	while ((ch = getopt(argc, argv, "+f:v")) != -1) {
		if (ch == 'f')
			c.config_path = optarg;
		else if (ch == 'v')
			verbose++;
		else
			usage();
	}
	argc -= optind;
	argv += optind;
	log_init(1, verbose, "tipgwctl");
	clock_init();
	if (argc == 0 || (cmd = ctl_find(argc, argv)) == NULL)
		usage();
	if (cmd->readonly != CTL_NOLEDGER && ctl_open(&c, cmd) != 0)
		return (1);
	skip = cmd->sub != NULL ? 1 : 0;
	optind = 0;	/* glibc: start getopt afresh, permuting */
	rc = cmd->run(&c, argc - skip, argv + skip);
	store_close(c.store);
	config_free(c.conf);
	if (rc < 0)
		ctl_usage(cmd);
	return (rc);
}
