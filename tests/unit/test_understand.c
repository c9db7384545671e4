/*
 * Understanding: normalisation, the matcher, the lexicon loader, parse,
 * route and the conversation rules, table-driven, on a made-up county
 * and the shipped lexicon (contrib/lexicon).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "tipgw/acm.h"
#include "tipgw/division.h"
#include "tipgw/gazetteer.h"
#include "tipgw/lexicon.h"
#include "tipgw/text.h"
#include "tipgw/understand.h"

#define STREETS "code,name,areaCode,provinceCode,cityCode\n" \
	"411799001,岚田街道,411799,41,4117\n" \
	"411799101,大涌镇,411799,41,4117\n" \
	"411799102,石桥乡,411799,41,4117\n" \
	"411799201,石门壮族瑶族乡,411799,41,4117\n"
#define VILLAGES "code,name,streetCode,provinceCode,cityCode,areaCode\n" \
	"411799001001,岚田社区居民委员会,411799001,41,4117,411799\n" \
	"411799001002,光明村民委员会,411799001,41,4117,411799\n" \
	"411799101201,东岗村民委员会,411799101,41,4117,411799\n" \
	"411799101202,王庄村民委员会,411799101,41,4117,411799\n" \
	"411799102201,王庄村民委员会,411799102,41,4117,411799\n" \
	"411799102202,柳林村民委员会,411799102,41,4117,411799\n" \
	"411799201201,龙门村委会,411799201,41,4117,411799\n" \
	"411799102203,金龙村民委员会,411799102,41,4117,411799\n" \
	"411799102204,王老集村民委员会,411799102,41,4117,411799\n" \
	"411799101203,幸福村民委员会,411799101,41,4117,411799\n" \
	"411799201002,河滨社区居委会,411799201,41,4117,411799\n"

static struct understand	 u;

/* 2026-09-01 10:00 +08:00 */
#define T0	((time_t)1788228000)

static void
setup(void)
{
	struct division	 d;
	char		*cause = NULL, *dir;
	const char	*top = getenv("top_srcdir");

	memset(&d, 0, sizeof d);
	if (division_parse_streets(&d, "s", STREETS, strlen(STREETS), NULL,
	    &cause) != 0 || division_parse_villages(&d, "v", VILLAGES,
	    strlen(VILLAGES), NULL, &cause) != 0) {
		printf("Bail out! fixture: %s\n", cause);
		exit(1);
	}
	if (asprintf(&dir, "%s/contrib/lexicon", top ? top : ".") < 0)
		exit(1);
	if (understand_init(&u, dir, NULL, &d, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	/* The words alone: the model is tested with models of its own
	 * (t-classify.sh, t-review.sh), not the shipped one's weights. */
	(void)lexicon_model(u.lx, NULL, NULL);
	free(dir);
	division_free(&d);
}

static void
test_normalise(void)
{
	static const struct {
		const char	*in, *out, *what;
	} cases[] = {
		{ "嵐田士多啲奶過期咗，生產日期２０２５年３月",
		    "岚田士多啲奶过期咗 生产日期2025年3月",
		    "traditional to simplified, full-width digits" },
		{ "ＡＢＣ Ｘｉａｏｍａｉｂｕ", "abc xiaomaibu",
		    "full-width Latin, lower case" },
		{ "假冒😀饮料 🥛🥛  !!", "假冒 饮料", "emoji and marks dropped" },
		{ "\xff\xfe过期", "过期", "invalid UTF-8 replaced, then dropped" },
		{ "   \t\n ", "", "whitespace only" },
		{ "日期2025.03.12 3/4 ?", "日期2025.03.12 3/4 ?",
		    "date marks and ? kept" },
	};
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = text_normalise(u.tn, cases[i].in);
		is_str(s, cases[i].out, "normalise: %s", cases[i].what);
		free(s);
	}
}

static void
short_is(const char *name, const char *want)
{
	char	*got = gazetteer_village_short(name);

	is_str(got, want, "village shown short: %s", name);
	free(got);
}

/* Division data from CSV texts (areas may be NULL), or a bail-out. */
static void
division_of(struct division *d, const char *areas, const char *streets,
    const char *villages)
{
	char	*cause = NULL;

	memset(d, 0, sizeof *d);
	if ((areas != NULL && division_parse_areas(d, "a", areas,
	    strlen(areas), NULL, &cause) != 0) || division_parse_streets(d,
	    "s", streets, strlen(streets), NULL, &cause) != 0 ||
	    division_parse_villages(d, "v", villages, strlen(villages), NULL,
	    &cause) != 0) {
		printf("Bail out! division fixture: %s\n", cause);
		exit(1);
	}
}

/* The gazetteer of d, or a bail-out. */
static struct gazetteer *
gazetteer_of(const struct division *d)
{
	struct gazetteer	*g;
	char			*cause = NULL;

	if ((g = gazetteer_new(d, NULL, &cause)) == NULL) {
		printf("Bail out! gazetteer fixture: %s\n", cause);
		exit(1);
	}
	return (g);
}

/*
 * How the gazetteer keeps its places: a village's code from its
 * township's (or kept whole when it is not), the forms of a name sharing
 * their text, a name written twice meaning the same places.
 */
static void
test_gazetteer_store(void)
{
	static const char streets[] =
	    "code,name,areaCode,provinceCode,cityCode\n"
	    "411799101,大涌镇,411799,41,4117\n"
	    "411799102,石桥乡,411799,41,4117\n";
	static const char villages[] =
	    "code,name,streetCode,provinceCode,cityCode,areaCode\n"
	    "411799101201,东岗村民委员会,411799101,41,4117,411799\n"
	    "411799101007,西岗社区居民委员会,411799101,41,4117,411799\n"
	    "411799102201,东岗村民委员会,411799102,41,4117,411799\n";
	struct division		 d;
	struct gazetteer	*g;
	struct gaz_mention	*m = NULL;
	char			 code[GAZ_VILLAGE_CODE];
	size_t			 n, i, bytes = 0;

	division_of(&d, NULL, streets, villages);
	/* The parser refuses it; a ledger changed by hand may hold it. */
	memcpy(d.villages[1].code, "411799109007", 12);
	g = gazetteer_of(&d);
	is_str(gazetteer_village_code(g, 0, code), "411799101201",
	    "village code from its township's");
	is_str(gazetteer_village_code(g, 1, code), "411799109007",
	    "a village code not its township's is kept whole");
	is_str(gazetteer_village_code(g, 2, code), "411799102201",
	    "the next village's code");
	for (i = 0; i < g->nnames; i++)
		bytes += g->nlens[i];
	ok(g->npool == strlen("大涌镇石桥乡东岗村民委员会西岗社区居民委员会"),
	    "the short forms share the official names' text: %zu bytes for "
	    "%zu", g->npool, bytes);
	n = gazetteer_find(g, "西岗社区居民委员会西岗社区西岗", &m);
	ok(n == 3, "three forms of one village: %zu", n);
	for (i = 0; i < n && i < 3; i++) {
		ok(m[i].nsenses == 1 && m[i].senses[0].village == 1 &&
		    m[i].senses[0].township == 0, "form %zu: the village", i);
		ok(m[i].senses[0].bare == (i == 2), "form %zu: bare only "
		    "without its suffix", i);
	}
	free(m);
	n = gazetteer_find(g, "东岗村,东岗村", &m);
	ok(n == 2 && m[0].nsenses == 2 && m[1].nsenses == 2,
	    "a name two villages share, twice: both each time");
	for (i = 0; n == 2 && i < 2; i++) {
		ok(m[1].senses[i].village == m[0].senses[i].village &&
		    m[1].senses[i].township == m[0].senses[i].township &&
		    m[0].senses[i].village == (int)i * 2 &&
		    m[0].senses[i].township == (int)i, "sense %zu", i);
	}
	free(m);
	gazetteer_free(g);
	division_free(&d);
}

/* Append one to buf (size bytes); a bail-out if it does not fit. */
static void
strlcat_or_fail(char *buf, const char *one, size_t size)
{
	if (strlen(buf) + strlen(one) + 1 > size) {
		printf("Bail out! senses do not fit\n");
		exit(1);
	}
	strcat(buf, one);
}

/* The senses of the first mention of text: "T:V" each, joined by ",". */
static void
senses_are(const struct gazetteer *g, const char *text, const char *want)
{
	struct gaz_mention	*m = NULL;
	char			 got[256] = "", one[40], code[GAZ_VILLAGE_CODE];
	size_t			 n;
	int			 i;

	n = gazetteer_find(g, text, &m);
	for (i = 0; n > 0 && i < m[0].nsenses; i++) {
		snprintf(one, sizeof one, "%s%s:%s", i ? "," : "",
		    g->townships[m[0].senses[i].township].code,
		    m[0].senses[i].village < 0 ? "-" : gazetteer_village_code(g,
		    m[0].senses[i].village, code));
		strlcat_or_fail(got, one, sizeof got);
	}
	is_str(got, want, "counties: %s", text);
	free(m);
}

/*
 * Several counties: a name they share means each, until the text names
 * its county (正阳县, or 正阳 alone); a name only elsewhere is then no
 * place. One county's name alone changes nothing.
 */
static void
test_gazetteer_counties(void)
{
	static const char areas[] =
	    "code,name,cityCode,provinceCode\n"
	    "411724,正阳县,4117,41\n"
	    "411527,淮滨县,4115,41\n"
	    "411702,驿城区,4117,41\n";
	static const char streets[] =
	    "code,name,areaCode,provinceCode,cityCode\n"
	    "411724101,大涌镇,411724,41,4117\n"
	    "411527101,大涌镇,411527,41,4115\n";
	static const char villages[] =
	    "code,name,streetCode,provinceCode,cityCode,areaCode\n"
	    "411724101201,陈庄村民委员会,411724101,41,4117,411724\n"
	    "411527101201,陈庄村民委员会,411527101,41,4115,411527\n"
	    "411527101202,李营村民委员会,411527101,41,4115,411527\n"
	    "411724101202,淮滨桥村民委员会,411724101,41,4117,411724\n";
	struct division		 d;
	struct gazetteer	*g;

	division_of(&d, areas, streets, villages);
	g = gazetteer_of(&d);
	is_int((int)g->ncounties, 2, "counties: only those with townships");
	senses_are(g, "陈庄村有人卖假酒", "411724101:411724101201,"
	    "411527101:411527101201");
	senses_are(g, "正阳县陈庄村有人卖假酒", "411724101:411724101201");
	senses_are(g, "淮滨陈庄村有人卖假酒", "411527101:411527101201");
	senses_are(g, "淮滨县大涌镇街上", "411527101:-");
	senses_are(g, "大涌镇街上", "411724101:-,411527101:-");
	senses_are(g, "正阳县李营村", "");
	senses_are(g, "李营村", "411527101:411527101202");
	/* A county's name not right before a place names no county. */
	senses_are(g, "大涌镇正阳路的超市卖假酒", "411724101:-,"
	    "411527101:-");
	senses_are(g, "去过正阳的人说陈庄村有假酒", "411724101:411724101201,"
	    "411527101:411527101201");
	senses_are(g, "淮滨桥村有人卖假酒", "411724101:411724101202");
	gazetteer_free(g);
	division_free(&d);
}

static void
test_village_short(void)
{
	short_is("固城村民委员会", "固城村");
	short_is("城关社区居民委员会", "城关社区");
	short_is("金集居民委员会", "金集社区");
	short_is("新村村民委员会", "新村");
	short_is("东关社区居委会", "东关社区");
	short_is("胡冲村委会", "胡冲村");
	short_is("林场管理委员会", "林场管理委员会");
	short_is("南街社区", "南街社区");
}

static void
test_acm(void)
{
	struct acm		*a = acm_new();
	struct acm_match	*m;
	size_t			 n;

	acm_add(a, "he", 1);
	acm_add(a, "she", 2);
	acm_add(a, "his", 3);
	acm_add(a, "hers", 4);
	acm_build(a);
	n = acm_scan(a, "ushers", &m);
	is_int((long long)n, 3, "acm: she, he and hers in ushers");
	n = acm_longest(m, n, 6);
	is_int((long long)n, 1, "acm: longest keeps one");
	is_int(n ? m[0].value : -1, 4, "acm: and it is hers");
	free(m);
	n = acm_scan(a, "", &m);
	is_int((long long)n, 0, "acm: empty text");
	free(m);
	acm_free(a);
}

static void
test_lexicon_errors(void)
{
	struct lexicon	*lx = lexicon_new();
	char		*cause = NULL;

	is_int(lexicon_load_text(lx, u.tn, "x.txt",
	    "# comment\n"
	    "stray line\n"
	    "[kind]\n"
	    "expired 过期 过了期\n"
	    "rotten 烂\n"
	    "expired/0 过期\n"
	    "[colour]\n"
	    "[product]\n"
	    "dairy\n"
	    "[alias]\n"
	    "12345 某地\n", &cause), -1, "lexicon: errors refused");
	is_str(cause, "x.txt:2: a line outside a known [section]\n"
	    "x.txt:5: unknown kind (counterfeit sanwu expired spoiled "
	    "unlicensed adulterated other): rotten\n"
	    "x.txt:6: weight must be 1 to 100: 0\n"
	    "x.txt:7: unknown section: [colour\n"
	    "x.txt:9: a label needs at least one word: dairy\n"
	    "x.txt:11: an alias needs a 9- or 12-digit division code: 12345",
	    "lexicon: every error with file:line");
	is_int((long long)lx->nentries, 0, "lexicon: a bad file adds nothing");
	free(cause);
	cause = NULL;
	is_int(lexicon_load_text(lx, u.tn, "y.txt",
	    "[kind]\nexpired/3 過期\n[alias]\n411799101 老大涌\n", &cause), 0,
	    "lexicon: good file");
	is_int(lexicon_has(lx, LEX_KIND, "过期"), 1,
	    "lexicon: words normalised (過期 -> 过期)");
	is_int(lexicon_load_text(lx, u.tn, "z.txt",
	    "[kind]\nexpired GUO_QI\n", &cause), 0, "lexicon: a word apart");
	is_int(lexicon_has(lx, LEX_KIND, "guo qi"), 1,
	    "lexicon: an underscore is a space, each part normalised");
	lexicon_free(lx);
}

/* [compose] rules: their syntax, and classes defined before them. */
static void
test_lexicon_compose(void)
{
	struct lexicon	*lx = lexicon_new();
	char		*cause = NULL;

	is_int(lexicon_load_text(lx, u.tn, "c.txt",
	    "[cue]\n"
	    "neg 没 没有\n"
	    "[compose]\n"
	    "sanwu neg+label\n"
	    "sanwu neg\n"
	    "sanwu neg+neg@31\n"
	    "sanwu Neg+neg\n"
	    "sanwu/2 neg+neg@2 neg+neg\n"
	    "ripe neg+neg\n", &cause), -1, "compose: errors refused");
	is_str(cause, "c.txt:4: no [cue] class before it of the second name: "
	    "neg+label\n"
	    "c.txt:5: a rule is CLASS+CLASS or CLASS+CLASS@CHARS (classes a-z "
	    "and _, CHARS 0 to 30): neg\n"
	    "c.txt:6: a rule is CLASS+CLASS or CLASS+CLASS@CHARS (classes a-z "
	    "and _, CHARS 0 to 30): neg+neg@31\n"
	    "c.txt:7: a rule is CLASS+CLASS or CLASS+CLASS@CHARS (classes a-z "
	    "and _, CHARS 0 to 30): Neg+neg\n"
	    "c.txt:9: unknown kind (counterfeit sanwu expired spoiled "
	    "unlicensed adulterated other): ripe",
	    "compose: every error with file:line");
	free(cause);
	cause = NULL;
	is_int(lexicon_load_text(lx, u.tn, "cue.txt",
	    "[cue]\nneg 没\nfield 日期\n", &cause), 0, "compose: classes");
	is_int(lexicon_load_text(lx, u.tn, "rules.txt",
	    "[compose]\nsanwu/4 neg+field@2 field+neg\n", &cause), 0,
	    "compose: rules in a later file use them");
	lexicon_build(lx);
	is_int((long long)lx->nrules, 2, "compose: two rules built");
	is_int(lx->rules[0].window, 2, "compose: @CHARS read");
	is_int(lx->rules[1].window, LEX_RULE_WINDOW, "compose: the default");
	lexicon_free(lx);
}

/*
 * A dialect word given twice (a local file repeating a shipped word, or
 * the same word in traditional characters) has one meaning, the later;
 * the rewrite never writes past its buffer (under ASan the old code
 * wrote the rest of the message past it).
 */
static void
test_lexicon_dialect_twice(void)
{
	struct lexicon	*lx = lexicon_new();
	char		*cause = NULL, *out, tail[1200];
	size_t		 i, n = 0;

	is_int(lexicon_load_text(lx, u.tn, "dialect.txt",
	    "[dialect]\n没有 冇\n有没有 有冇\n", &cause), 0,
	    "dialect twice: the shipped table");
	is_int(lexicon_load_text(lx, u.tn, "local.txt",
	    "[dialect]\n没有 冇\n无 冇\n没有 沒冇\n", &cause), 0,
	    "dialect twice: a local file repeating its words");
	for (i = 0; i < lx->nentries; i++)
		n += lx->entries[i].table == LEX_DIALECT &&
		    strcmp(lx->entries[i].word, "冇") == 0;
	is_int((long long)n, 1, "dialect twice: the word is held once");
	lexicon_build(lx);
	for (i = 0, n = 0; i < 30; i++)
		n += (size_t)snprintf(tail + n, sizeof tail - n, "%s",
		    "村口小卖部卖过期牛奶");
	if (asprintf(&cause, "冇%s", tail) < 0)
		cause = NULL;
	out = lexicon_dialect(lx, cause);
	ok(strncmp(out, "无村口", strlen("无村口")) == 0 &&
	    strcmp(out + strlen("无"), tail) == 0,
	    "dialect twice: the later meaning, the rest of the text whole");
	free(out);
	free(cause);
	out = lexicon_dialect(lx, "有冇冇有冇");
	is_str(out, "有没有无有没有", "dialect twice: overlapping words");
	free(out);
	lexicon_free(lx);
}

struct tip_case {
	const char	*text;
	int		 tip;
	const char	*township, *village, *kind, *product;
	int		 followup;
	const char	*what;
};

static const struct tip_case tips[] = {
	{ "大涌镇东岗村小卖部卖过期牛奶", 1, "411799101", "411799101201",
	    "expired", "dairy", 0, "township and village named" },
	{ "東崗村小賣部賣過期的牛奶，還在賣", 1, "411799101", "411799101201",
	    "expired", "dairy", 0, "traditional; village only, unique" },
	{ "柳林村康帅傅方便面包装跟真的一样", 1, "411799102", "411799102202",
	    "counterfeit", "snack", 0, "knock-off brand, no punctuation" },
	{ "雷碧 大涌街上好几家都在卖", 1, "411799101", NULL, "counterfeit",
	    "beverage", 0, "township without 镇, knock-off drink" },
	{ "王庄有人卖假酒 喝了头疼", 1, NULL, NULL, "counterfeit", "liquor", 1,
	    "ambiguous village: follow-up" },
	{ "王庄村有人卖假酒", 1, NULL, NULL, "counterfeit", "liquor", 1,
	    "ambiguous with the 村 suffix too" },
	{ "石桥乡王庄有人卖散酒 用酒精兑的", 1, "411799102", "411799102201",
	    "adulterated", "liquor", 0, "ambiguous village, township named" },
	{ "光明超市卖的酸奶过期了", 1, NULL, NULL, "expired", "dairy", 1,
	    "a shop named like a village is not a place" },
	{ "东岗村超市 饼干 生产日期２０２５．０３ 保质期１２个月", 1,
	    "411799101", "411799101201", "expired", "snack", 0,
	    "expiry arithmetic" },
	{ "岚田社区卖过其的酸奶", 1, "411799001", "411799001001", "expired",
	    "dairy", 0, "typo 过其, 社区 name" },
	{ "岚田小卖部三无辣条", 1, "411799001", NULL, "sanwu", "snack", 0,
	    "bare name of the 街道 and its 社区" },
	{ "我是大涌镇的 昨天去石桥乡赶集买的散装酒是酒精勾兑的", 1,
	    "411799102", NULL, "adulterated", "liquor", 0,
	    "the reporter's home is not the place" },
	{ "柳林村有人卖病死猪肉", 1, "411799102", "411799102202", "spoiled",
	    "meat", 0, "病死 and 猪肉 overlap; both count" },
	{ "柳林村饭店后厨老鼠乱跑", 1, "411799102", "411799102202", "other",
	    "other", 0, "restaurant hygiene: other/other" },
	{ "大涌镇有个黑作坊做凉皮 没有证", 1, "411799101", NULL, "unlicensed",
	    "grain_oil", 0, "unlicensed workshop" },
	{ "东岗村卖的牛肉注水", 1, "411799101", "411799101201", "adulterated",
	    "meat", 0, "adulterated meat" },
	{ "县城超市卖假红牛", 1, NULL, NULL, "counterfeit", "beverage", 1,
	    "the county town is too vague" },
	{ "石门乡龙门村士多卖过期牛奶", 1, "411799201", "411799201201",
	    "expired", "dairy", 0, "民族乡 written short, 村委会 village" },
	{ "石门河滨社区有人卖注水肉", 1, "411799201", "411799201002",
	    "adulterated", "meat", 0, "社区居委会 village" },
	{ "龙门村士多啲辣条冇生产日期", 1, "411799201", "411799201201",
	    "sanwu", "snack", 0, "Cantonese: 冇 is 没有, 士多 a shop" },
	{ "我喺龙门县买嘅酒系假嘅", 1, NULL, NULL, "counterfeit", "liquor", 1,
	    "龙门县 is another county, not 龙门村" },
	{ "您好 东岗村有人卖过期牛奶", 1, "411799101", "411799101201",
	    "expired", "dairy", 0, "a polite greeting is not an advert" },
	{ "东岗村小卖部卖", 1, "411799101", "411799101201", NULL, NULL, 0,
	    "cut off before the problem: still a tip" },
	{ "柳林村幺店子卖的饼干莫得生产日期", 1, "411799102", "411799102202",
	    "sanwu", "snack", 0, "Sichuan: 莫得 is 没有, 幺店子 a shop" },
	{ "大涌超市卖过期奶粉 在石桥乡街上", 1, "411799102", NULL, "expired",
	    "baby_food", 0, "a township's name on a shop is not its place" },
	{ "超市卖的金龙鱼油是假的", 1, NULL, NULL, "counterfeit", "grain_oil",
	    1, "a village name inside a brand (金龙鱼) is no place" },
	{ "东岗村卖的白酒 生产日期是2018年的", 1, "411799101",
	    "411799101201", NULL, "liquor", 0,
	    "expiry: liquor keeps; an old year alone says nothing" },
	{ "东岗村卖的饼干 生产日期是2018年的", 1, "411799101",
	    "411799101201", "expired", "snack", 0,
	    "expiry: a biscuit from an old year alone is expired" },
	{ "东岗村小卖部卖的两个核桃都发霉了", 1, "411799101",
	    "411799101201", "spoiled", NULL, 0,
	    "lookalike: one number for another is no knock-off" },
	{ "东岗村卖的嵩山啤酒过期了", 1, "411799101", "411799101201",
	    "expired", "liquor", 0,
	    "lookalike: a long name off by its first character is another" },
	/* Dialect groups (dialect.txt). */
	{ "东岗村小卖部的饼干 袋子上甚也没写", 1, "411799101", "411799101201",
	    "sanwu", "snack", 0, "Jin: 甚也 is 什么也" },
	{ "柳林村小店卖的酱油呒没生产日期", 1, "411799102", "411799102202",
	    "sanwu", "condiment", 0, "Wu: 呒没 is 没有" },
	{ "东岗村小卖部的饮料木有厂家", 1, "411799101", "411799101201",
	    "sanwu", "beverage", 0, "northern: 木有 is 没有" },
	{ "柳林村士多卖嘅雪糕溶咗又冻返", 1, "411799102", "411799102202",
	    "spoiled", "snack", 0, "Cantonese: melted and frozen again" },
	/* Townships written by sound (gazetteer.c, the lexicon's pinyin). */
	{ "大勇镇小卖部卖过期牛奶", 1, "411799101", NULL, "expired", "dairy", 0,
	    "a township written by sound, with its suffix" },
	{ "石们乡街上卖过期牛奶", 1, "411799201", NULL, "expired", "dairy", 0,
	    "a 民族乡 by sound, written short" },
	{ "大勇小卖部卖过期牛奶", 1, NULL, NULL, "expired", "dairy", 1,
	    "by sound only with the suffix" },
	{ "打勇镇小卖部卖过期牛奶", 1, NULL, NULL, "expired", "dairy", 1,
	    "by sound only one character off" },
	/* Village names that are words, naming a shop, road or product. */
	{ "幸福超市卖过期牛奶", 1, NULL, NULL, "expired", "dairy", 1,
	    "a shop named like a village is not the village" },
	{ "幸福路上的饭店卖过期牛奶", 1, NULL, NULL, "expired", "dairy", 1,
	    "a road named like a village is not the village" },
	{ "幸福大米发霉了", 1, NULL, NULL, "spoiled", "grain_oil", 1,
	    "a product named like a village is not the village" },
	{ "幸福村小卖部卖过期牛奶", 1, "411799101", "411799101203", "expired",
	    "dairy", 0, "the same village with its 村 is the village" },
	{ "东岗超市卖过期牛奶", 1, "411799101", "411799101201", "expired",
	    "dairy", 0, "a settlement's name before a shop is its place" },
	{ "幸福集上卖过期牛奶", 1, "411799101", "411799101203", "expired",
	    "dairy", 0, "at the market (集上) of a village is its place" },
	{ "大涌如意超市卖假酒 在石桥街上", 1, "411799102", NULL,
	    "counterfeit", "liquor", 0, "a township at a locative (街上) is "
	    "where it happened, not one in a shop's name" },
	{ "大涌蜜是假的 就在石桥乡", 1, "411799102", NULL, "counterfeit",
	    "other", 0, "a township's bare name on a product is no place" },
	/* Tips typed in pinyin (pinyin-words.txt, the gazetteer's pinyin). */
	{ "dayong zhen donggang cun xiaomaibu mai guoqi niunai", 1,
	    "411799101", "411799101201", "expired", "dairy", 0,
	    "pinyin: township and village, kind and product" },
	{ "shiqiaoxiang you ren mai jia jiu", 1, "411799102", NULL,
	    "counterfeit", "liquor", 0, "pinyin: a township joined to its "
	    "suffix, words apart" },
	{ "donggangxi chaoshi mai guoqi niunai", 1, NULL, NULL, "expired",
	    "dairy", 1, "pinyin: a name inside a longer word is no place" },
	/* Rules that compose (compose.txt). */
	{ "东岗村小卖部的饼干 袋子上啥也没写", 1, "411799101", "411799101201",
	    "sanwu", "snack", 0, "compose: nothing written on the bag" },
	{ "柳林村卖的酱油 日期都没有", 1, "411799102", "411799102202", "sanwu",
	    "condiment", 0, "compose: a label field, then its negation" },
	{ "大涌镇有人卖豆腐 啥手续也没有", 1, "411799101", NULL,
	    "unlicensed", "other", 0, "compose: a permit and its negation" },
	{ "东岗村超市的奶粉 罐上全是外国字", 1, "411799101", "411799101201",
	    "sanwu", "baby_food", 0, "compose: a label in foreign text only" },
	{ "柳林村小卖部的面包 生产日期被人涂了", 1, "411799102",
	    "411799102202", "expired", "snack", 0,
	    "compose: a date tampered with" },
	{ "柳林村卖的油条 明矾放太多", 1, "411799102", "411799102202",
	    "adulterated", "grain_oil", 0, "compose: too much of an additive" },
	{ "东岗村小卖部的酸奶 盒子都胀起来了", 1, "411799101", "411799101201",
	    "spoiled", "dairy", 0, "compose: a swollen container" },
	{ "柳林村卖的粉条 煮都煮不烂", 1, "411799102", "411799102202",
	    "adulterated", "grain_oil", 0, "compose: noodles that never soften" },
	{ "东岗村有人在家里熬猪油卖", 1, "411799101", "411799101201",
	    "unlicensed", "grain_oil", 0, "compose: made at home for sale" },
	{ "柳林村卖的豆腐放了三天都不馊", 1, "411799102", "411799102202",
	    "adulterated", "other", 0, "not spoiling for days is a preservative, "
	    "and 不馊 is not 馊" },
	{ "柳林村小卖部的果冻 上面一个字都没有", 1, "411799102",
	    "411799102202", "sanwu", "snack", 0, "compose: not one word on it" },
	{ "东岗村卖的白酒 瓶子是茅台的 里面装的是散酒", 1, "411799101",
	    "411799101201", "counterfeit", "liquor", 0,
	    "compose: a brand's bottle refilled" },
	/* Brands one character off (genuine.txt, lookalike.c). */
	{ "东岗村小卖部卖的伊俐纯牛奶", 1, "411799101", "411799101201",
	    "counterfeit", "dairy", 0, "lookalike: two characters, a homophone, "
	    "before a product word" },
	{ "柳林村超市的健力堡", 1, "411799102", "411799102202", "counterfeit",
	    "beverage", 0, "lookalike: a homophone; the brand's product" },
	{ "柳林村超市的特仑舒", 1, "411799102", "411799102202", "counterfeit",
	    "dairy", 0, "lookalike: fuzzy pinyin (sh as s)" },
	{ "东岗村卖的冰红荼", 1, "411799101", "411799101201", "counterfeit",
	    "beverage", 0, "lookalike: a character that looks the same" },
	{ "石桥乡卖的可口乐乐", 1, "411799102", NULL, "counterfeit",
	    "beverage", 0, "lookalike: four characters, any one off" },
	{ "东岗村的海夭酱油 不是海天", 1, "411799101", "411799101201",
	    "counterfeit", "condiment", 0,
	    "lookalike: two characters with the real name beside" },
	{ "东岗村小卖部的伊俐 好多人买", 1, "411799101", "411799101201", NULL,
	    NULL, 0, "lookalike: two characters alone say nothing" },
	{ "柳林村同一家店卖过期饮料", 1, "411799102", "411799102202",
	    "expired", "beverage", 0, "lookalike: 同一 is not 统一" },
	{ "王老集村小卖部卖过期牛奶", 1, "411799102", "411799102204", "expired",
	    "dairy", 0, "lookalike: a village named like a brand is a place" },
};

static void
check_tip(const struct understand_result *r, const struct tip_case *c)
{
	const char	*town = NULL, *village = NULL;
	char		 code[GAZ_VILLAGE_CODE];

	if (r->route.township >= 0)
		town = u.gz->townships[r->route.township].code;
	if (r->route.village >= 0)
		village = gazetteer_village_code(u.gz, r->route.village,
		    code);
	is_int(r->action == UNDERSTAND_NEW_TIP || r->action ==
	    UNDERSTAND_CONTINUES, c->tip, "%s: is a tip", c->what);
	is_str(town, c->township, "%s: township", c->what);
	is_str(village, c->village, "%s: village", c->what);
	is_str(r->parse.kind, c->kind, "%s: kind", c->what);
	is_str(r->parse.product, c->product, "%s: product", c->what);
	is_int(r->needs_followup, c->followup, "%s: follow-up", c->what);
}

static void
test_tips(void)
{
	struct understand_result	 r;
	size_t				 i;

	for (i = 0; i < sizeof tips / sizeof tips[0]; i++) {
		understand_message(&u, tips[i].text, T0, NULL, &r);
		check_tip(&r, &tips[i]);
		understand_free(&r);
	}
	understand_message(&u, "王庄有人卖假酒", T0, NULL, &r);
	is_int(r.route.ncandidates, 2, "ambiguous: two candidates");
	understand_free(&r);
}

/*
 * A message as long as a concatenated SMS can be, of words that the
 * rules pair (没 and 厂家): understood, and only its first
 * UNDERSTAND_TEXT_MAX bytes (a kind word after them is not read).
 */
static void
test_long_message(void)
{
	struct understand_result	 r;
	char				*text, *p;
	size_t				 i, len = 8500 * 3 + 4250 * 6 + 64;

	p = text = malloc(len);
	if (text == NULL)
		exit(1);
	for (i = 0; i < 8500; i++)
		p += sprintf(p, "没");
	for (i = 0; i < 4250; i++)
		p += sprintf(p, "厂家");
	understand_message(&u, text, T0, NULL, &r);
	ok(strlen(r.norm) <= UNDERSTAND_TEXT_MAX,
	    "long message: at most %d bytes read", UNDERSTAND_TEXT_MAX);
	understand_free(&r);
	p = text;
	for (i = 0; i < 1400; i++)
		p += sprintf(p, "好");
	sprintf(p, "东岗村卖过期牛奶");
	understand_message(&u, text, T0, NULL, &r);
	is_str(r.parse.kind, NULL, "long message: a word past the limit is "
	    "not read");
	understand_free(&r);
	free(text);
}

static void
test_expiry(void)
{
	is_int(parse_expiry("生产日期2025年3月 保质期6个月", T0), 1,
	    "expiry: 2025-03 + 6 months is past on 2026-09-01");
	is_int(parse_expiry("生产日期2026年8月12日 保质期12个月", T0), -1,
	    "expiry: not yet");
	is_int(parse_expiry("生产日期是今年8月 保质期30天", T0), 1,
	    "expiry: 今年8月 + 30 days");
	is_int(parse_expiry("到期日2026.07.01 还在卖", T0), 1,
	    "expiry: an expiry date given");
	is_int(parse_expiry("生产日期2025年3月", T0), 0,
	    "expiry: no shelf life, no verdict");
	is_int(parse_expiry("保质期45天", T0), 0,
	    "expiry: no date, no verdict");
	is_int(parse_expiry("生产日期2025年10月 保质期半年", T0), 1,
	    "expiry: half a year");
	is_int(parse_expiry("生产日期2026年6月 保质期十八个月", T0), -1,
	    "expiry: Chinese numerals");
	is_int(parse_expiry("瓶子上印的2024.05.03生产 保质期十八个月", T0), 1,
	    "expiry: a date written before 生产");
	is_int(parse_expiry("生产日期26年2月15号 保质期6个月", T0), 1,
	    "expiry: two-digit year, 号 for the day");
	is_int(parse_expiry("到期日系今年8月尾", T0), 1,
	    "expiry: Cantonese 系, the month's end");
	/* China's date, not UTC's: 2026-12-15 07:30 in China. */
	is_int(parse_expiry("到期日12月14日 还在卖", (time_t)1797291000), 1,
	    "expiry: the day is China's: past at 07:30 the next morning");
	/* 2027-01-01 04:00 in China, still 2026 in UTC. */
	is_int(parse_expiry("到期日今年1月5日 还在卖", (time_t)1798747200), -1,
	    "expiry: the year is China's");
	is_int(parse_expiry("生产日期1月1日 保质期3天", (time_t)1798747200), -1,
	    "expiry: made on China's today, not last year's");
	/* 2026-12-30 10:00 in China. */
	is_int(parse_expiry("到期日1月5日 还在卖", (time_t)1798596000), -1,
	    "expiry: a date with no year six days ahead is next year's");
	is_int(parse_expiry("到期日3月1日 还在卖", T0), 1,
	    "expiry: one six months past is this year's");
	is_int(parse_expiry("到期日12月28日 还在卖", (time_t)1798941600), 1,
	    "expiry: 12月28日 said on January 3 was last year's");
	is_int(parse_expiry("生产日期12月20日 保质期7天", (time_t)1798941600), 1,
	    "expiry: a production date is never after the tip");
	is_int(parse_expiry("生产日期8月20日 保质期30天", T0), -1,
	    "expiry: a production date of this year, in its shelf life");
	/* 2026-03-01 10:00 in China: 2月30日 is February's last day. */
	is_int(parse_expiry("到期日2月30日 还在卖", (time_t)1772330400), 1,
	    "expiry: a day past the month's end is its last day");
	is_int(parse_expiry("到期日2026年2月29日 还在卖", (time_t)1772330400), 1,
	    "expiry: 2026 has no 29 February");
	is_int(parse_expiry("到期日写着10月底", T0), -1,
	    "expiry: a verb of writing, the month's end still ahead");
	is_int(parse_expiry("生产日期写住8月20 保质期才7日", T0), 1,
	    "expiry: 写住, 才 and 日 for days");
	is_int(parse_expiry("生产日期8月28 保质期只有7天", T0), -1,
	    "expiry: 只有, not yet");
	is_int(parse_expiry("日期是2022年的", T0), 2,
	    "expiry: a year alone, long past any shelf life");
	is_int(parse_expiry("生产日期2025年", 1767229200), 0,
	    "expiry: a year alone not 18 months back (received 2026-01-01)");
	is_int(parse_expiry("生产日期2024年 保质期36个月", T0), 0,
	    "expiry: a year alone with a shelf life: no verdict");
	is_int(parse_expiry("到期日8月底", 1787968800), -1,
	    "expiry: the month's end is its last day (received 08-29)");
	is_int(parse_expiry("生产日期是2025年的", T0), 0,
	    "expiry: last year alone, no verdict");
	is_int(parse_expiry("八月份生产的 保质期才二十一天", T0), 1,
	    "expiry: a month in Chinese numerals before 生产");
	is_int(parse_expiry("买了八个 生产的 保质期二十一天", T0), 0,
	    "expiry: 八个 is no month");
}

static void
test_commands(void)
{
	static const struct {
		const char		*text;
		enum parse_command	 cmd;
		const char		*code, *pin, *arg;
	} cases[] = {
		{ "查询 ZY3K7Q 4821", CMD_QUERY, "ZY3K7Q", "4821", NULL },
		{ "cx jb0904102 7719", CMD_QUERY, "JB0904102", "7719", NULL },
		{ "查询ZY3K7Q", CMD_QUERY, "ZY3K7Q", "", NULL },
		{ "退订", CMD_OPTOUT, "", "", NULL },
		{ "TD", CMD_OPTOUT, "", "", NULL },
		{ "退订TD", CMD_OPTOUT, "", "", NULL },
		{ "Stop", CMD_OPTOUT, "", "", NULL },
		{ "帮助", CMD_HELP, "", "", NULL },
		{ "？", CMD_HELP, "", "", NULL },
		{ "收到 ZY3K7Q", CMD_OFFICE_ACK, "ZY3K7Q", "", "" },
		{ "办结 ZY3K7Q 已下架 罚款2000元", CMD_OFFICE_DONE, "ZY3K7Q", "",
		    "已下架 罚款2000元" },
		{ "退回 ZY3K7Q 不属本所辖区", CMD_OFFICE_RETURN, "ZY3K7Q", "",
		    "不属本所辖区" },
	};
	struct understand_result	 r;
	size_t				 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		understand_message(&u, cases[i].text, T0, NULL, &r);
		is_int(r.action, UNDERSTAND_COMMAND, "command: %s",
		    cases[i].text);
		is_str(parse_command_name(r.parse.command),
		    parse_command_name(cases[i].cmd), "command: %s: which",
		    cases[i].text);
		is_str(r.parse.code, cases[i].code, "command: %s: code",
		    cases[i].text);
		is_str(r.parse.pin, cases[i].pin, "command: %s: PIN",
		    cases[i].text);
		is_str(r.parse.arg, cases[i].arg, "command: %s: text",
		    cases[i].text);
		understand_free(&r);
	}
	understand_message(&u, "收到，已安排执法人员核查", T0, NULL, &r);
	is_int(r.action, UNDERSTAND_NONTIP,
	    "收到 without a tip code is not a command, and not a tip");
	understand_free(&r);
}

static void
test_nontips(void)
{
	static const struct {
		const char	*text, *why;
	} cases[] = {
		{ "", "empty" },
		{ "  ", "empty" },
		{ "😂😂😂", "empty" },
		{ "你好", "greeting" },
		{ "谢谢你们 那个小卖部已经不卖过期的了", "thanks" },
		{ "【某某银行】尊敬的客户，您的积分即将过期，点击 http://x.cn "
		    "领取礼品，回TD退订", "ad" },
		{ "sssdddfff???", "garbage" },
		{ "不好意思 发错了", "wrong" },
		{ "大涌镇有人卖假烟", "nonfood" },
		{ "举报了有奖励没 能给多少钱", "reward" },
		{ "上回反映的事咋没信儿了", "status" },
		{ "请问举报是打这个号码吗", "question" },
	};
	struct understand_result	 r;
	size_t				 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		understand_message(&u, cases[i].text, T0, NULL, &r);
		is_int(r.action, UNDERSTAND_NONTIP, "not a tip: '%s'",
		    cases[i].text);
		is_str(r.parse.nontip, cases[i].why, "not a tip: '%s': why",
		    cases[i].text);
		understand_free(&r);
	}
}

static void
test_conversation(void)
{
	struct understand_prior		 p;
	struct understand_result	 r;

	memset(&p, 0, sizeof p);
	p.known = 1;
	p.at = T0;
	p.norm = "王庄有人卖假酒";
	p.township = -1;
	p.awaiting = p.unrouted = 1;
	understand_message(&u, "石桥乡的", T0 + 600, &p, &r);
	is_int(r.action, UNDERSTAND_CONTINUES, "answer: continues the tip");
	is_int(r.needs_followup, 0, "answer: routed now");
	is_str(r.route.township >= 0 ?
	    u.gz->townships[r.route.township].code : NULL, "411799102",
	    "answer: the township answered");
	is_str(r.parse.kind, "counterfeit", "answer: kind kept");
	understand_free(&r);

	understand_message(&u, "石桥乡的", T0 + 25 * 3600, &p, &r);
	is_int(r.action, UNDERSTAND_NONTIP,
	    "after followup_window a bare place is not an answer");
	understand_free(&r);

	understand_message(&u, "查询 ZY3K7Q 4821", T0 + 60, &p, &r);
	is_int(r.action, UNDERSTAND_COMMAND, "a command is never an answer");
	understand_free(&r);

	p.awaiting = 0;
	p.unrouted = 1;
	understand_message(&u, "上回说的王庄是石桥乡那个王庄", T0 + 20 * 86400,
	    &p, &r);
	is_int(r.action, UNDERSTAND_CONTINUES,
	    "a reference back completes an unresolved tip");
	is_int(r.needs_followup, 0, "reference: routed");
	understand_free(&r);

	p.norm = "东岗村超市卖的奶 生产日期是2026年6月 保质期是";
	p.township = 0;
	p.awaiting = p.unrouted = 0;
	p.incomplete = 1;
	understand_message(&u, "45天 今天还在卖", T0 + 60, &p, &r);
	is_int(r.action, UNDERSTAND_CONTINUES, "a cut-off tip is completed");
	is_str(r.parse.kind, "expired", "cut-off: kind from the whole text");
	understand_free(&r);

	p.norm = "东岗村小卖部卖过期饮料";
	p.incomplete = 0;
	p.township = 1;
	understand_message(&u, "还有他家的火腿肠也是三无的", T0 + 600, &p, &r);
	is_int(r.action, UNDERSTAND_NEW_TIP, "an addendum is a new tip");
	is_int(r.route.status, ROUTE_HISTORY,
	    "addendum: routed by the reporter's recent tip");
	is_str(r.parse.kind, "sanwu", "addendum: its own kind");
	understand_free(&r);
	understand_message(&u, "还有他家的火腿肠也是三无的", T0 + 86400, &p, &r);
	is_int(r.needs_followup, 1, "a day later: no history, a question");
	understand_free(&r);
}

int
main(void)
{
	setup();
	test_normalise();
	test_acm();
	test_village_short();
	test_gazetteer_store();
	test_gazetteer_counties();
	test_lexicon_errors();
	test_lexicon_dialect_twice();
	test_lexicon_compose();
	test_tips();
	test_long_message();
	test_expiry();
	test_commands();
	test_nontips();
	test_conversation();
	understand_clear(&u);
	return (done_testing());
}
