/*
 * The conversation rules around parse and route:
 *  - a command is a command, whatever came before;
 *  - a message within followup_window of a question is its answer;
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

/* Normalised text, dialect words in Mandarin: what parse reads. */
char *
understand_normalise(const struct understand *u, const char *text)
{
	char	*norm = text_normalise(u->tn, text), *out;

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

void
understand_message(const struct understand *u, const char *text,
    time_t received, const struct understand_prior *prior,
    struct understand_result *r)
{
	int	 continues = 0;

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
			continues = 1;
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
		r->parse.what = PARSE_TIP;
		r->action = UNDERSTAND_CONTINUES;
		understand_route(u, r, -1);
		return;
	}
	if (r->parse.what == PARSE_NONTIP) {
		r->action = UNDERSTAND_NONTIP;
		return;
	}
	r->action = UNDERSTAND_NEW_TIP;
	understand_route(u, r, understand_within(prior, received,
	    u->history_window) && prior->township >= 0 ? prior->township : -1);
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
