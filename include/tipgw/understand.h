/*
 * Understanding a message in its conversation: normalise, parse, and
 * route it, reading it as the continuation of the reporter's previous
 * tip when it answers a question, completes a cut-off message or refers
 * back to an unresolved tip. Used by the daemon (ingest) and by
 * `tipgwctl classify`, so both decide the same way.
 */
#ifndef TIPGW_UNDERSTAND_H
#define TIPGW_UNDERSTAND_H

#include <time.h>

#include "tipgw/parse.h"
#include "tipgw/route.h"

struct gazetteer;
struct lexicon;
struct text_norm;

struct understand {
	struct text_norm	*tn;
	struct lexicon		*lx;
	struct gazetteer	*gz;
	unsigned int		 followup_window;	/* seconds */
	unsigned int		 history_window;
	unsigned int		 cutoff_window;
	unsigned int		 refer_window;
};

/* The reporter's latest tip, as far as the caller knows it. */
struct understand_prior {
	int		 known;
	time_t		 at;		/* its latest message */
	const char	*norm;		/* its text so far, normalised */
	int		 township;	/* index, -1 if not routed */
	int		 awaiting;	/* a question is open */
	int		 unrouted;	/* awaiting or triage */
	int		 incomplete;	/* no kind or product named: cut
					 * off? */
	const char	*kind;		/* what it says is wrong, or NULL */
	const char	*product;
	int		 candidates[ROUTE_MAX_CANDIDATES];	/* asked about */
	int		 ncandidates;
};

enum understand_action {
	UNDERSTAND_NONTIP,
	UNDERSTAND_COMMAND,
	UNDERSTAND_NEW_TIP,
	UNDERSTAND_CONTINUES,	/* completes the prior tip */
};

struct understand_result {
	enum understand_action	 action;
	char			*norm;		/* this message */
	char			*combined;	/* CONTINUES: whole tip text */
	struct parse_result	 parse;
	struct route_result	 route;
	int			 needs_followup;
};

void	understand_message(const struct understand *, const char *text,
	    time_t received, const struct understand_prior *,
	    struct understand_result *);
void	understand_joined(const struct understand *, const char *text,
	    time_t received, struct understand_result *);
void	understand_free(struct understand_result *);
#define UNDERSTAND_TEXT_MAX	4000	/* bytes of a message understood */
char	*understand_normalise(const struct understand *, const char *);
void	 understand_command_code(const struct understand *, const char *text,
	    char *code, size_t);

struct division;

int	understand_init(struct understand *, const char *lexicon_dir,
	    const char *lexicon_local, const struct division *, char **cause);
void	understand_clear(struct understand *);

/* classify.c: tipgwctl classify, JSON lines in and out. */
#include <stdio.h>
#define CLASSIFY_NORMALISED	0x1	/* each line with the text as read */
int	classify_stream(const struct understand *, FILE *in, FILE *out,
	    int flags, unsigned long *lines, char **cause);
#endif
