/*
 * config.c: values, defaults, every error with its line, reload merging.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tipgw/config.h"
#include "tipgw/tipgw.h"
#include "tipgw/vis.h"
#include "tipgw/xmalloc.h"

struct config_case {
	const char	*name;
	const char	*text;
	const char	*errors;	/* NULL: must load; else exact text */
};

static const struct config_case cases[] = {
	{ "minimal", "[tipgw]\ndatabase = /tmp/x.db\n", NULL },
	{ "quoted and spaced",
	    "# comment\n; other comment\n\n  [tipgw]  \n"
	    "  database   =   \"/tmp/x.db\"  \nlisten=[::1]:9000\n", NULL },
	{ "modems",
	    "[tipgw]\ndatabase = a.db\n[gammu]\ndevice = /dev/ttyUSB0\n"
	    "connection = at\n[gammu2]\ndevice = /tmp/d\nmodel = dummy\n"
	    "connection = none\n", NULL },
	{ "bom", "\xef\xbb\xbf[tipgw]\ndatabase = a.db\n", NULL },
	{ "unknown key",
	    "[tipgw]\ndatabase = a.db\ncolour = blue\n",
	    "F:3: unknown key 'colour' in [tipgw]" },
	{ "bad listen, no port",
	    "[tipgw]\ndatabase = a.db\nlisten = 127.0.0.1\n",
	    "F:3: listen: bad value '127.0.0.1': expected ADDRESS:PORT with "
	    "a numeric address, e.g. 127.0.0.1:8080 or [::1]:8080" },
	{ "bad listen, port range",
	    "[tipgw]\ndatabase = a.db\nlisten = 127.0.0.1:70000\n",
	    "F:3: listen: bad value '127.0.0.1:70000': expected ADDRESS:PORT "
	    "with a numeric address, e.g. 127.0.0.1:8080 or [::1]:8080" },
	{ "bad listen, host name",
	    "[tipgw]\ndatabase = a.db\nlisten = localhost:80\n",
	    "F:3: listen: bad value 'localhost:80': expected ADDRESS:PORT "
	    "with a numeric address, e.g. 127.0.0.1:8080 or [::1]:8080" },
	{ "missing database", "[tipgw]\nlisten = 127.0.0.1:1\n",
	    "F:1: [tipgw] is missing required key 'database'" },
	{ "no tipgw section", "[gammu]\ndevice = /x\n",
	    "F:1: no [tipgw] section" },
	{ "every error reported",
	    "stray = 1\n[tipgw]\ndatabase = a.db\ndatabase = b.db\n"
	    "poll_interval = 0\npoll_interval2 = 5\nnot a pair\n[smsd]\n"
	    "[gammu]\ndevise = /dev/ttyUSB0\n[gammu]\n[gammu01]\n",
	    "F:1: 'stray' is outside any section\n"
	    "F:4: duplicate key 'database' (first set on line 3)\n"
	    "F:5: poll_interval: bad value '0': expected a duration from 1s "
	    "to 3600s (e.g. 30s, 10m, 2h)\n"
	    "F:6: unknown key 'poll_interval2' in [tipgw]\n"
	    "F:7: expected 'key = value', got 'not a pair'\n"
	    "F:8: unknown section [smsd] (expected [tipgw], [gammu] or "
	    "[gammuN])\n"
	    "F:10: unknown key 'devise' in [gammu]\n"
	    "F:11: duplicate section [gammu] (first on F:9)\n"
	    "F:12: unknown section [gammu01] (expected [tipgw], [gammu] or "
	    "[gammuN])" },
	{ "bad duration suffix", "[tipgw]\ndatabase = a\npoll_interval = 5x\n",
	    "F:3: poll_interval: bad value '5x': expected a duration from 1s "
	    "to 3600s (e.g. 30s, 10m, 2h)" },
	{ "empty value", "[tipgw]\ndatabase =\n",
	    "F:2: database: empty value" },
	{ "bad header", "[tipgw\ndatabase = a\n",
	    "F:1: bad section header '[tipgw'\n"
	    "F:1: no [tipgw] section" },
};

/* Replace every occurrence of the file path in text by "F". */
static char *
config_errors_relative(const char *text, const char *path)
{
	char		*out = xcalloc(1, strlen(text) + 1), *w = out;
	size_t		 n = strlen(path);

	while (*text != '\0') {
		if (strncmp(text, path, n) == 0) {
			*w++ = 'F';
			text += n;
		} else
			*w++ = *text++;
	}
	return (out);
}

static void
run_cases(const char *dir)
{
	struct config	*conf;
	char		*path, *cause, *rel;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		path = tap_write_file(dir, "case.conf", cases[i].text);
		cause = NULL;
		conf = config_load(path, &cause);
		if (cases[i].errors == NULL) {
			ok(conf != NULL, "%s: loads", cases[i].name);
			if (cause != NULL)
				tap_diag("%s", cause);
		} else {
			ok(conf == NULL, "%s: refused", cases[i].name);
			rel = config_errors_relative(cause ? cause : "", path);
			is_str(rel, cases[i].errors, "%s: errors",
			    cases[i].name);
			free(rel);
		}
		free(cause);
		config_free(conf);
		free(path);
	}
}

static void
test_values(const char *dir)
{
	struct config	*conf;
	char		*path, *cause = NULL;

	path = tap_write_file(dir, "v.conf", "[tipgw]\ndatabase = /x.db\n"
	    "[gammu]\nDevice = /dev/ttyUSB2\nconnection = at115200\n"
	    "[gammu3]\ndevice = /tmp/phone\n");
	conf = config_load(path, &cause);
	if (!ok(conf != NULL, "values: loads")) {
		tap_diag("%s", cause);
		return;
	}
	is_str(conf->database, "/x.db", "database");
	is_str(conf->listen, "127.0.0.1:8080", "listen defaults");
	is_str(conf->listen_address, "127.0.0.1", "listen address");
	is_int(conf->listen_port, 8080, "listen port");
	is_int(conf->poll_interval, 5, "poll_interval defaults to 5s");
	is_int((long long)conf->nmodems, 2, "two modems");
	is_str(conf->modems[0].name, "gammu", "first modem section");
	is_int(conf->modems[0].number, 0, "[gammu] is Gammu's section 0");
	is_str(config_modem_get(&conf->modems[0], "device"), "/dev/ttyUSB2",
	    "modem keys are case-insensitive");
	is_int(conf->modems[1].number, 3, "[gammu3] is Gammu's section 3");
	is_int(conf->modems[1].line, 6, "section line recorded");
	config_free(conf);
	free(path);
}

static void
test_durations(void)
{
	unsigned int	 s = 0;

	ok(config_parse_duration("90", &s) == 0 && s == 90, "90 = 90s");
	ok(config_parse_duration("10m", &s) == 0 && s == 600, "10m = 600s");
	ok(config_parse_duration("2h", &s) == 0 && s == 7200, "2h = 7200s");
	ok(config_parse_duration("1d", &s) == 0 && s == 86400, "1d");
	ok(config_parse_duration("", &s) != 0, "empty refused");
	ok(config_parse_duration("m", &s) != 0, "unit alone refused");
	ok(config_parse_duration("5mm", &s) != 0, "double unit refused");
	ok(config_parse_duration("-5", &s) != 0, "negative refused");
	ok(config_parse_duration("99999999999d", &s) != 0, "overflow refused");
}

static void
test_gammurc(const char *dir)
{
	struct config	*conf;
	char		*path, *rc, *text, *cause = NULL;

	rc = tap_write_file(dir, "gammurc", "[gammu]\ndevice = /dev/ttyS0\n"
	    "[smsd]\nservice = files\n");
	xasprintf(&text, "[tipgw]\ndatabase = a.db\ngammurc = %s\n", rc);
	path = tap_write_file(dir, "g.conf", text);
	conf = config_load(path, &cause);
	ok(conf != NULL && conf->nmodems == 1, "gammurc: modem read from it, "
	    "[smsd] skipped");
	if (conf != NULL)
		is_str(conf->modems[0].file, rc, "gammurc: libGammu reads it");
	config_free(conf);
	free(text);
	free(path);
	xasprintf(&text, "[tipgw]\ndatabase = a.db\ngammurc = %s\n"
	    "[gammu]\ndevice = /x\n", rc);
	path = tap_write_file(dir, "g2.conf", text);
	conf = config_load(path, &cause);
	ok(conf == NULL && cause != NULL && strstr(cause, ":3: gammurc is set"),
	    "gammurc and [gammu] together refused at the gammurc line");
	free(cause);
	free(text);
	free(path);
	free(rc);
}

static void
test_reload(const char *dir)
{
	struct config	*a, *b;
	char		*pa, *pb, *cause = NULL;

	pa = tap_write_file(dir, "a.conf", "[tipgw]\ndatabase = a.db\n"
	    "listen = 127.0.0.1:1000\npoll_interval = 5\n[gammu]\ndevice = x\n");
	pb = tap_write_file(dir, "b.conf", "[tipgw]\ndatabase = b.db\n"
	    "listen = 127.0.0.1:2000\npoll_interval = 9\n[gammu]\ndevice = y\n");
	a = config_load(pa, &cause);
	b = config_load(pb, &cause);
	if (!ok(a != NULL && b != NULL, "reload: both load"))
		return;
	is_int(config_merge_reload(b, a), 3, "database, listen and modems "
	    "refused");
	is_str(b->database, "a.db", "database kept");
	is_str(b->listen, "127.0.0.1:1000", "listen kept");
	is_int(b->listen_port, 1000, "listen port kept");
	is_int(b->poll_interval, 9, "poll_interval changed");
	is_str(config_modem_get(&b->modems[0], "device"), "x", "modem kept");
	is_int(config_merge_reload(b, b), 0, "same config: nothing refused");
	config_free(a);
	config_free(b);
	free(pa);
	free(pb);
}

static void
test_addresses(void)
{
	ok(tipgw_email_valid("tz@example.org"), "an e-mail address");
	ok(tipgw_email_valid("x.y+tips@mail.county.example.org"),
	    "dots and plus");
	ok(!tipgw_email_valid("nobody"), "no @");
	ok(!tipgw_email_valid("@example.org") && !tipgw_email_valid("a@"),
	    "an empty side");
	ok(!tipgw_email_valid("a@b@c"), "two @");
	ok(!tipgw_email_valid("a@example.org\r\nBcc: spy@example.org"),
	    "a header smuggled in");
	ok(!tipgw_email_valid("a@example.org>, <spy@example.org"),
	    "a second recipient smuggled in");
	ok(!tipgw_email_valid("a b@example.org"), "a space");
	ok(tipgw_url_valid("https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
	    "?key=x"), "a URL");
	ok(!tipgw_url_valid("ftp://x") && !tipgw_url_valid("http://x/a b") &&
	    !tipgw_url_valid("http://x/\r\nX: y"), "bad URLs");
}

/* Duty phones match on the whole number, +86 and 0086 taken off. */
static void
test_phones(void)
{
	static const struct {
		const char	*in, *out;
	} c[] = {
		{ "+8613800000999", "13800000999" },
		{ "008613800000999", "13800000999" },
		{ "8613800000999", "13800000999" },
		{ "13800000999", "13800000999" },
		{ "+62813800000999", "+62813800000999" },
		{ "9913800000999", "9913800000999" },
		{ "86123", "86123" },
		{ "+8603961234567", "03961234567" },
	};
	char	 out[64];
	size_t	 i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		tipgw_phone_national(c[i].in, out, sizeof out);
		is_str(out, c[i].out, "national form of %s", c[i].in);
	}
}

/* Names and text shown to people: controls escaped or refused. */
static void
test_vis(void)
{
	char	*v;

	v = vis_str("寒冻所\x1b]0;x\x07\r\n\xe2\x80\xae\xff", 0);
	is_str(v, "寒冻所\\x1b]0;x\\x07\\r\\n\\u202e\\xff",
	    "vis: ESC, BEL, CR, LF, a bidi override and a bad byte escaped");
	free(v);
	v = vis_str("第一行\n\t第二行\x85", VIS_LINES);
	is_str(v, "第一行\n\t第二行\\x85", "vis: lines and tabs kept when "
	    "asked; a stray byte escaped");
	free(v);
	v = vis_str("\xc2\x85", 0);
	is_str(v, "\\u0085", "vis: a C1 control escaped");
	free(v);
	ok(tipgw_name_valid("寒冻镇市场监管所"), "name: Chinese");
	ok(!tipgw_name_valid("x\r\n2026 tipgwd: forged"), "name: no CR/LF");
	ok(!tipgw_name_valid("x\x1b[2J"), "name: no ESC");
	ok(!tipgw_name_valid("x\xff"), "name: UTF-8 only");
	ok(!tipgw_name_valid("") && !tipgw_name_valid(" x"), "name: not empty, "
	    "no space around it");
	ok(!tipgw_name_valid("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五"),
	    "name: at most 64 characters");
}

int
main(void)
{
	char	*dir = tap_tempdir();

	run_cases(dir);
	test_values(dir);
	test_durations();
	test_gammurc(dir);
	test_reload(dir);
	test_addresses();
	test_phones();
	test_vis();
	return (done_testing());
}
