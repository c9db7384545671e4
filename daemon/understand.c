/*
 * The conversation rules around parse and route:
 *  - a command is a command, whatever came before;
 *  - a message within followup_window of a question is its answer (a
 *    number picks one of the townships the question offered), unless it
 *    is a whole new tip: its own problem, different from the tip asked
 *    about, and its own place;
 *  - a message within cutoff_window of a tip that had no kind yet
 *    completes it (a long SMS split by the phone or the reporter);
 *  - a message that refers back (上回说的 ...) to an unresolved tip within
 *    refer_window completes it;
 *  - anything else stands alone; a tip without a place borrows the
 *    township of the reporter's tip of the last history_window.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tipgw/gazetteer.h"
#include "tipgw/lexicon.h"
#include "tipgw/text.h"
#include "tipgw/understand.h"
#include "tipgw/xmalloc.h"

/*
 * Normalised text, dialect words in Mandarin: what parse reads. At most
 * UNDERSTAND_TEXT_MAX bytes of it, cut at a character: a tip says what
 * it is about long before that, and no message can make understanding
 * slow (a concatenated SMS of 255 parts, a hotline body of 64 KiB).
 */
char *
understand_normalise(const struct understand *u, const char *text)
{
	char	*norm = text_normalise(u->tn, text), *out;
	size_t	 len;

	if ((len = strlen(norm)) > UNDERSTAND_TEXT_MAX) {
		len = UNDERSTAND_TEXT_MAX;
		while (len > 0 && ((unsigned char)norm[len] & 0xc0) == 0x80)
			len--;
		norm[len] = '\0';
	}
	out = lexicon_dialect(u->lx, norm);
	free(norm);
	return (out);
}

/*
 * The tip code a command names, if the message is one ("" if not): what
 * intake must read with the reporter's context before understanding it.
 */
void
understand_command_code(const struct understand *u, const char *text,
    char *code, size_t size)
{
	char	*norm = understand_normalise(u, text);

	parse_command_code(norm, code, size);
	free(norm);
}

static int
understand_within(const struct understand_prior *p, time_t now,
    unsigned int window)
{
	return (p != NULL && p->known && now >= p->at &&
	    (unsigned long long)(now - p->at) <= window);
}

static void
understand_route(const struct understand *u, struct understand_result *r,
    int recent)
{
	route_tip(u->gz, &r->parse, recent, &r->route);
	r->needs_followup = r->route.status == ROUTE_AMBIGUOUS ||
	    r->route.status == ROUTE_NONE;
}

/*
 * The answer to a choice question is its number: 1, 第2个, 选3, 二 ... 0
 * if norm is not one of 1..n.
 */
static int
understand_choice(const char *norm, int n)
{
	static const char *const numerals[] = {
		"一", "二", "三", "四", "五", "六", "七", "八", "九"
	};
	static const char *const before[] = { "第", "选择", "选", NULL };
	static const char *const after[] = { "个", "号", "项", ".", "、",
					    NULL };
	const char	*s = norm;
	size_t		 i, len;
	int		 k = 0;

	for (i = 0; before[i] != NULL; i++) {
		len = strlen(before[i]);
		if (strncmp(s, before[i], len) == 0) {
			s += len;
			break;
		}
	}
	if (*s >= '1' && *s <= '9' && !(s[1] >= '0' && s[1] <= '9')) {
		k = *s - '0';
		s++;
	} else {
		for (i = 0; k == 0 && i < sizeof numerals /
		    sizeof numerals[0]; i++) {
			len = strlen(numerals[i]);
			if (strncmp(s, numerals[i], len) == 0) {
				k = (int)i + 1;
				s += len;
			}
		}
	}
	for (i = 0; after[i] != NULL; i++) {
		len = strlen(after[i]);
		if (strncmp(s, after[i], len) == 0) {
			s += len;
			break;
		}
	}
	while (*s == ' ')
		s++;
	return (*s == '\0' && k >= 1 && k <= n ? k : 0);
}

/* The reporter picked township t: its village there, if one was named. */
static void
understand_choose(struct understand_result *r, int t)
{
	size_t	 i;
	int	 k;

	memset(&r->route, 0, sizeof r->route);
	r->route.status = ROUTE_TOWNSHIP;
	r->route.township = t;
	r->route.village = -1;
	for (i = 0; i < r->parse.nplaces && r->route.village < 0; i++) {
		for (k = 0; k < r->parse.places[i].nsenses; k++) {
			if (r->parse.places[i].senses[k].township == t &&
			    r->parse.places[i].senses[k].village >= 0) {
				r->route.village =
				    r->parse.places[i].senses[k].village;
				break;
			}
		}
	}
	r->needs_followup = 0;
}

static int
understand_differs(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) != 0);
}

/*
 * A message sent while a question is open that is a whole new tip: its
 * own problem, not the one asked about, and a place that routes on its
 * own. It is not the answer.
 */
static int
understand_new_tip(const struct understand *u, const struct understand_result *r,
    const struct understand_prior *prior)
{
	struct route_result	 alone;

	if (r->parse.what != PARSE_TIP ||
	    (r->parse.kind == NULL && r->parse.product == NULL))
		return (0);
	if (!understand_differs(r->parse.kind, prior->kind) &&
	    !understand_differs(r->parse.product, prior->product))
		return (0);
	route_tip(u->gz, &r->parse, -1, &alone);
	return (alone.status == ROUTE_TOWNSHIP);
}

void
understand_message(const struct understand *u, const char *text,
    time_t received, const struct understand_prior *prior,
    struct understand_result *r)
{
	int	 continues = 0, choice;

	memset(r, 0, sizeof *r);
	r->norm = understand_normalise(u, text);
	parse_message(u->lx, u->gz, r->norm, received, &r->parse);
	if (r->parse.what == PARSE_COMMAND) {
		r->action = UNDERSTAND_COMMAND;
		return;
	}
	if (prior != NULL && prior->known && prior->norm != NULL &&
	    !r->parse.advert) {
		if (prior->awaiting &&
		    understand_within(prior, received, u->followup_window))
			continues = !understand_new_tip(u, r, prior);
		else if (prior->incomplete &&
		    understand_within(prior, received, u->cutoff_window))
			continues = 1;
		else if (r->parse.refers && prior->unrouted &&
		    r->parse.nplaces > 0 &&
		    understand_within(prior, received, u->refer_window))
			continues = 1;
	}
	if (continues) {
		xasprintf(&r->combined, "%s %s", prior->norm, r->norm);
		parse_free(&r->parse);
		parse_message(u->lx, u->gz, r->combined, received, &r->parse);
		parse_model(u->lx, r->combined, &r->parse);
		r->parse.what = PARSE_TIP;
		r->action = UNDERSTAND_CONTINUES;
		understand_route(u, r, -1);
		if (prior->awaiting && (choice = understand_choice(r->norm,
		    prior->ncandidates)) > 0)
			understand_choose(r, prior->candidates[choice - 1]);
		return;
	}
	if (r->parse.what == PARSE_NONTIP) {
		r->action = UNDERSTAND_NONTIP;
		return;
	}
	r->action = UNDERSTAND_NEW_TIP;
	parse_model(u->lx, r->norm, &r->parse);
	understand_route(u, r, understand_within(prior, received,
	    u->history_window) && prior->township >= 0 ? prior->township : -1);
}

/*
 * A late part joined the rest of its message: the whole text (text,
 * with any part still missing marked) read as the continuation of the
 * tip the earlier parts made.
 */
void
understand_joined(const struct understand *u, const char *text,
    time_t received, struct understand_result *r)
{
	memset(r, 0, sizeof *r);
	r->norm = understand_normalise(u, text);
	r->combined = xstrdup(r->norm);
	parse_message(u->lx, u->gz, r->combined, received, &r->parse);
	parse_model(u->lx, r->combined, &r->parse);
	r->parse.what = PARSE_TIP;
	r->action = UNDERSTAND_CONTINUES;
	understand_route(u, r, -1);
}

void
understand_free(struct understand_result *r)
{
	free(r->norm);
	free(r->combined);
	parse_free(&r->parse);
	memset(r, 0, sizeof *r);
}

/* Default windows: one day to answer, ten minutes to finish a cut-off
 * message, an hour for "same place as before", 90 days to refer back. */
#define UNDERSTAND_FOLLOWUP	(24 * 3600)
#define UNDERSTAND_CUTOFF	600
#define UNDERSTAND_HISTORY	3600
#define UNDERSTAND_REFER	(90 * 24 * 3600)

/*
 * Load what understanding needs: OpenCC, the lexicon directory, an
 * optional local lexicon file, and the gazetteer of division d.
 */
int
understand_init(struct understand *u, const char *lexicon_dir,
    const char *lexicon_local, const struct division *d, char **cause)
{
	memset(u, 0, sizeof *u);
	u->followup_window = UNDERSTAND_FOLLOWUP;
	u->cutoff_window = UNDERSTAND_CUTOFF;
	u->history_window = UNDERSTAND_HISTORY;
	u->refer_window = UNDERSTAND_REFER;
	if ((u->tn = text_norm_new(cause)) == NULL)
		return (-1);
	u->lx = lexicon_new();
	if (lexicon_load_dir(u->lx, u->tn, lexicon_dir, cause) != 0 ||
	    (lexicon_local != NULL && lexicon_load_file(u->lx, u->tn,
	    lexicon_local, cause) != 0)) {
		understand_clear(u);
		return (-1);
	}
	lexicon_build(u->lx);
	if ((u->gz = gazetteer_new(d, u->lx, cause)) == NULL) {
		understand_clear(u);
		return (-1);
	}
	return (0);
}

void
understand_clear(struct understand *u)
{
	gazetteer_free(u->gz);
	lexicon_free(u->lx);
	text_norm_free(u->tn);
	memset(u, 0, sizeof *u);
}
