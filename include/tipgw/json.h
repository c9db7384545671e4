/*
 * JSON text for the API and tipgwctl (jansson). Every function returns a
 * string the caller frees; none of them ever includes a reporter's number.
 */
#ifndef TIPGW_JSON_H
#define TIPGW_JSON_H

#include "tipgw/api.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"

char	*json_health(const struct health *, const char **status);
char	*json_tip(const struct tip *);
struct json_t;
struct json_t	*json_tip_value(const struct tip *);
char	*json_user(const struct store_user *);
struct json_doc;
struct json_doc	*json_tip_doc(const struct tip *);
void		 json_doc_message(struct json_doc *,
		    const struct store_message *);
void		 json_doc_event(struct json_doc *, const struct store_event *);
char		*json_doc_finish(struct json_doc *);
struct json_doc	*json_case_doc(const struct store_case *);
void		 json_case_tip(struct json_doc *,
		    const struct store_case_tip *);
char	*json_office(const struct office *);
char	*json_reward(const struct store_reward *);
struct report;
char	*json_report(const struct report *);
char	*json_township(const struct township *);
char	*json_outbox(const struct store_outbox_row *);
char	*json_error(const char *message);

#endif
