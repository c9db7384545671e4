/*
 * Open311 GeoReport v2, read-only (pure): services.json lists the tip
 * kinds, requests.json the tips (status open or closed, the kind as the
 * service, the office as the agency, the township and village as the
 * address). No contact field is ever written, and the description is
 * the villager's words with phone-like numbers masked.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tipgw/clock.h"
#include "tipgw/lexicon.h"
#include "tipgw/log.h"
#include "tipgw/open311.h"
#include "tipgw/redact.h"
#include "tipgw/tipgw.h"
#include "tipgw/xmalloc.h"

struct open311_list {
	json_t	*requests;
};

static char *
open311_dump(json_t *j)
{
	char	*s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	if (s == NULL)
		fatalx("open311: cannot build JSON");
	return (s);
}

/* A string for JSON, bytes that are not UTF-8 as U+FFFD; null for NULL. */
static json_t *
open311_str(const char *s)
{
	char	*clean = s != NULL ? tipgw_utf8_sanitize(s) : NULL;
	json_t	*j = clean != NULL ? json_string(clean) : json_null();

	free(clean);
	return (j);
}

/* The kinds of tip, as Open311 services. */
char *
open311_services(void)
{
	json_t	*arr = json_array();
	int	 i;

	for (i = 0; lex_kinds[i] != NULL; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, "
		    "s:s, s:s, s:s}", "service_code", lex_kinds[i],
		    "service_name", lex_kind_words(lex_kinds[i]),
		    "description", "食品安全举报", "metadata", 0, "type",
		    "realtime", "keywords", "食品安全", "group", "食品安全"));
	return (open311_dump(arr));
}

struct open311_list *
open311_list_new(void)
{
	struct open311_list	*l = xcalloc(1, sizeof *l);

	l->requests = json_array();
	return (l);
}

/*
 * Add tip t if it matches status (open, closed; NULL: any) and
 * service_code (a kind; NULL: any). 1 when the list is full.
 */
int
open311_list_add(struct open311_list *l, const struct tip *t,
    const char *status, const char *service_code)
{
	const char	*st = t->state != NULL && strcmp(t->state, "closed") == 0 ?
			    "closed" : "open";
	char		 when[40], updated[40], *words, *notes = NULL;
	char		 address[256];
	json_t		*o;

	if (json_array_size(l->requests) >= OPEN311_MAX_REQUESTS)
		return (1);
	if (t->code == NULL || (status != NULL && strcmp(status, st) != 0) ||
	    (service_code != NULL && (t->kind == NULL ||
	    strcmp(t->kind, service_code) != 0)))
		return (0);
	words = redact_numbers(t->text != NULL ? t->text : "");
	if (t->result != NULL)
		notes = redact_numbers(t->result);
	snprintf(address, sizeof address, "%s%s", t->township ? t->township :
	    "", t->village ? t->village : "");
	clock_china_format(t->received_at, "%Y-%m-%dT%H:%M:%S+08:00", when,
	    sizeof when);
	clock_china_format(t->updated_at ? t->updated_at : t->received_at,
	    "%Y-%m-%dT%H:%M:%S+08:00", updated, sizeof updated);
	o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:o}",
	    "service_request_id", t->code, "status", st,
	    "status_notes", open311_str(notes),
	    "service_name", open311_str(t->kind ?
	    lex_kind_words(t->kind) : NULL),
	    "service_code", open311_str(t->kind),
	    "description", open311_str(words),
	    "agency_responsible", open311_str(t->office_name),
	    "requested_datetime", when, "updated_datetime", updated,
	    "address", open311_str(*address ? address : NULL));
	free(words);
	free(notes);
	if (o == NULL)
		fatalx("open311: cannot build a request");
	json_array_append_new(l->requests, o);
	return (0);
}

/* The list as requests.json; frees it. */
char *
open311_list_finish(struct open311_list *l)
{
	json_t	*arr = l->requests;

	free(l);
	return (open311_dump(arr));
}
