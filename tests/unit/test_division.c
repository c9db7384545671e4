/*
 * division.c: the national division CSV parser, good rows and bad.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tipgw/division.h"

#define STREETS_HEADER	"code,name,areaCode,provinceCode,cityCode\n"
#define VILLAGES_HEADER	"code,name,streetCode,provinceCode,cityCode,areaCode\n"

static int
streets(struct division *d, const char *text, const char *county,
    char **cause)
{
	*cause = NULL;
	return (division_parse_streets(d, "s.csv", text, strlen(text), county,
	    cause));
}

static int
villages(struct division *d, const char *text, const char *county,
    char **cause)
{
	*cause = NULL;
	return (division_parse_villages(d, "v.csv", text, strlen(text), county,
	    cause));
}

static void
test_good(void)
{
	struct division	 d = { .townships = NULL };
	char		*cause;

	is_int(streets(&d, STREETS_HEADER
	    "411724001,\"真阳街道\",411724,41,4117\r\n"
	    "411724100,铜钟镇,411724,41,4117\n"
	    "\n"
	    "411527001,\"栏杆街道\",411527,41,4115\n", "411724", &cause), 0,
	    "streets parse (CRLF, blank line, quotes)");
	is_int((long long)d.ntownships, 2, "county filter keeps two");
	is_str(d.townships[0].name, "真阳街道", "quoted name unquoted");
	is_str(d.townships[1].name, "铜钟镇", "bare name");
	is_str(d.townships[1].county_code, "411724", "county code");
	is_str(d.townships[1].city_code, "4117", "city code");
	is_int(d.townships[1].line, 3, "line number kept");
	is_int(villages(&d, VILLAGES_HEADER
	    "411724001001,\"东花园居民委员会\",411724001,41,4117,411724\n"
	    "411724100200,\"a \"\"quoted\"\" name\",411724100,41,4117,411724\n"
	    "411527001001,\"x\",411527001,41,4115,411527\n", "411724", &cause),
	    0, "villages parse");
	is_int((long long)d.nvillages, 2, "county filter keeps two villages");
	is_str(d.villages[1].name, "a \"quoted\" name", "doubled quotes");
	is_str(d.villages[0].township_code, "411724001", "village township");
	is_int(division_check(&d, "s.csv", "v.csv", &cause), 0,
	    "set is consistent");
	division_free(&d);
}

static void
test_columns_by_header(void)
{
	struct division	 d = { .townships = NULL };
	char		*cause;

	is_int(streets(&d, "\xef\xbb\xbfname,cityCode,code,provinceCode,"
	    "areaCode,extra\n镇,4117,411724100,41,411724,zz\n", NULL, &cause),
	    0, "columns found by header name, BOM skipped");
	is_str(d.ntownships ? d.townships[0].code : NULL, "411724100",
	    "code from its column");
	division_free(&d);
}

struct bad_case {
	const char	*name;
	int		 villages;
	const char	*text;
	const char	*error;
};

static const struct bad_case bad[] = {
	{ "empty file", 0, "", "s.csv:1: empty file: expected a header line" },
	{ "missing column", 0, "code,name,areaCode,provinceCode\n",
	    "s.csv:1: header has no 'cityCode' column" },
	{ "short code", 0, STREETS_HEADER "41172400,x,411724,41,4117\n",
	    "s.csv:2: township code '41172400' is not 9 digits" },
	{ "area mismatch", 0, STREETS_HEADER "411724001,x,411725,41,4117\n",
	    "s.csv:2: township 411724001: area, city and province codes do "
	    "not match the code" },
	{ "empty name", 0, STREETS_HEADER "411724001,\"\",411724,41,4117\n",
	    "s.csv:2: township 411724001: name is empty or not valid UTF-8" },
	{ "bad utf-8", 0, STREETS_HEADER "411724001,\xff\xfe,411724,41,4117\n",
	    "s.csv:2: township 411724001: name is empty or not valid UTF-8" },
	{ "too few fields", 0, STREETS_HEADER "411724001,x,411724\n",
	    "s.csv:2: expected 5 fields, found 3" },
	{ "unterminated quote", 0, STREETS_HEADER
	    "411724001,\"x,411724,41,4117\n",
	    "s.csv:2: malformed CSV record (bad quoting or too many fields)" },
	{ "village street mismatch", 1, VILLAGES_HEADER
	    "411724001001,x,411724002,41,4117,411724\n",
	    "v.csv:2: village 411724001001: streetCode '411724002' does not "
	    "match the code" },
	{ "errors keep their lines", 1, VILLAGES_HEADER
	    "411724001001,x,411724001,41,4117,411724\n"
	    "4117240010,x,411724001,41,4117,411724\n"
	    "411724001003,x,411724001,41,4117,411724\n"
	    "41172400100x,x,411724001,41,4117,411724\n",
	    "v.csv:3: village code '4117240010' is not 12 digits\n"
	    "v.csv:5: village code '41172400100x' is not 12 digits" },
};

static void
test_bad(void)
{
	struct division	 d;
	char		*cause;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&d, 0, sizeof d);
		if (bad[i].villages)
			rc = villages(&d, bad[i].text, NULL, &cause);
		else
			rc = streets(&d, bad[i].text, NULL, &cause);
		ok(rc == -1, "%s: refused", bad[i].name);
		is_str(cause, bad[i].error, "%s: message", bad[i].name);
		free(cause);
		division_free(&d);
	}
}

static void
test_too_many_errors(void)
{
	struct division	 d = { .townships = NULL };
	char		*text, *cause, *p;
	size_t		 i, len = 0;

	text = calloc(1, 64 * 40);
	len += (size_t)sprintf(text, STREETS_HEADER);
	for (i = 0; i < 25; i++)
		len += (size_t)sprintf(text + len, "1,x,411724,41,4117\n");
	ok(streets(&d, text, NULL, &cause) == -1, "25 bad rows refused");
	for (i = 0, p = cause; p != NULL; i++, p = strchr(p + 1, '\n'))
		;
	is_int((long long)i, 21, "20 errors shown plus a summary line");
	ok(strstr(cause, "5 more errors not shown") != NULL, "summary line");
	free(cause);
	free(text);
	division_free(&d);
}

static void
test_check(void)
{
	struct division	 d = { .townships = NULL };
	char		*cause;

	streets(&d, STREETS_HEADER "411724001,a,411724,41,4117\n"
	    "411724001,b,411724,41,4117\n", NULL, &cause);
	villages(&d, VILLAGES_HEADER
	    "411724002001,x,411724002,41,4117,411724\n", NULL, &cause);
	ok(division_check(&d, "s.csv", "v.csv", &cause) == -1,
	    "inconsistent set refused");
	is_str(cause, "s.csv:3: township code 411724001 appears more than "
	    "once (also line 2)\n"
	    "v.csv:2: village 411724002001: township 411724002 is not in "
	    "s.csv", "duplicate and orphan reported");
	free(cause);
	division_free(&d);
}

int
main(void)
{
	test_good();
	test_columns_by_header();
	test_bad();
	test_too_many_errors();
	test_check();
	return (done_testing());
}
