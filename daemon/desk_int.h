/*
 * The desk's parts (desk.c: the request, the user, the checks, the
 * lists; desk_tips.c: the tips' routes). Not for other modules.
 */
#ifndef TIPGW_DESK_INT_H
#define TIPGW_DESK_INT_H

#include <stddef.h>

#include <jansson.h>

#include "tipgw/store.h"
#include "tipgw/tipgw.h"

struct api_request;
struct ingest;
struct templates;
struct workday_cal;

#define DESK_LIMIT_DEFAULT	50
#define DESK_LIMIT_MAX		500
#define DESK_TEXT_MAX		2000	/* characters of a hotline tip */
#define DESK_NOTE_MAX		1000	/* ... of a note, a reason, a result */
#define DESK_WORD_MAX		64	/* ... of a filter's value */
#define DESK_LIST_MAX		32	/* strings in a list field */

enum desk_role {
	DESK_ADMIN = 0x1,
	DESK_COORDINATOR = 0x2,
	DESK_OFFICE = 0x4,
	DESK_HOTLINE = 0x8,
};
#define DESK_ALL	(DESK_ADMIN | DESK_COORDINATOR | DESK_OFFICE | \
			    DESK_HOTLINE)
#define DESK_STAFF	(DESK_ADMIN | DESK_COORDINATOR)

struct desk {
	struct store		*store;
	char			*rules_file;	/* the reward rule sets */
	char			*rules;		/* ... in use, in order */
	const struct templates	*templates;	/* the claim SMS */
	int			 say_amount;
	struct ingest		*ingest;
	struct workday_cal	*cal;		/* NULL: none loaded */
	unsigned int		 ack_days;
	unsigned int		 verify_days;
};

/* Who asks, from their token. */
struct desk_user {
	struct store_user	 u;
	enum desk_role		 role;
	char			**townships;
	size_t			 ntownships;
	struct tip_scope	 scope;
	char			 actor[8 + 4 * TIPGW_NAME_MAX];	/* api:NAME */
};

/* A request being answered. */
struct desk_call {
	struct desk			*desk;
	const struct api_request	*req;
	struct desk_user		 user;
	int				 status;
	char				*body;
	json_t				*json;	/* a POST's body */
};

/* A field of a JSON body. */
enum desk_type {
	DESK_TEXT,		/* a non-empty string */
	DESK_TEXT_NULL,		/* ... or null */
	DESK_BOOL,
	DESK_STRINGS,		/* a list of non-empty strings */
	DESK_INT,		/* a whole number, 0 to max */
};
struct desk_field {
	const char	*name;
	enum desk_type	 type;
	int		 required;
	size_t		 max;		/* characters */
};

void	desk_answer(struct desk_call *, int status, char *body);
void	desk_fail(struct desk_call *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	desk_ledger_error(struct desk_call *, char *cause);
int	desk_may(struct desk_call *, unsigned int roles, const char *what);
int	desk_method(struct desk_call *, const char *allowed);
int	desk_text_ok(const char *);
size_t	desk_chars(const char *);
int	desk_body(struct desk_call *, const struct desk_field *, size_t);
const char *desk_str(struct desk_call *, const char *name);
char	**desk_strs(struct desk_call *, const char *name, size_t *);
void	desk_strs_free(char **, size_t);
char	*desk_segment(const char *);
int	desk_township_code(const char *);
int	desk_no_params(struct desk_call *, const char *allowed);
char	*desk_dump(json_t *);

/* A list of rows for an answer. */
struct desk_list {
	json_t		*a;
};
void	desk_list_add(struct desk_list *, char *line);
void	desk_listing(struct desk_call *, const char *name, int rc,
	    char *cause, struct desk_list *);

/* desk_admin.c */
void	desk_users(struct desk_call *, const char *name, const char *action);
void	desk_offices(struct desk_call *, const char *name);

/* desk_cases.c */
void	desk_campaign(struct desk_call *, const char *what, const char *id,
	    const char *action);

/* desk_tips.c */
void	desk_tips_list(struct desk_call *);
void	desk_tips_create(struct desk_call *);
void	desk_tip(struct desk_call *, const char *code, const char *action);

#endif
