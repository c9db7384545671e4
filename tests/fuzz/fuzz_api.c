/*
 * libFuzzer target: the API's JSON bodies. The input is a POST's body,
 * read by desk_body against a field list with every type the handlers
 * use (text, text or null, true or false, a list of strings, a bounded
 * whole number), then its list taken as a handler takes it. A body
 * refused must be answered 400 with a JSON error that names why; one
 * accepted must be an object holding no field but those.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tipgw/api.h"
#include "../../daemon/desk_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct desk_field fuzz_fields[] = {
	{ "text", DESK_TEXT, 1, 1000 },
	{ "township", DESK_TEXT_NULL, 0, 64 },
	{ "anonymous", DESK_BOOL, 0, 0 },
	{ "kinds", DESK_STRINGS, 0, 32 },
	{ "amount", DESK_INT, 0, 1000000 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_request	 req;
	struct desk_call	 c;
	const char		*key;
	json_t			*v, *answer;
	char			**kinds;
	size_t			 n, i;

	if (size > API_V1_MAX_BODY)
		return (0);		/* refused with 413 before it is read */
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.path = "/fuzz";
	req.body = (const char *)data;
	req.bodylen = size;
	memset(&c, 0, sizeof c);
	c.req = &req;
	if (desk_body(&c, fuzz_fields, sizeof fuzz_fields /
	    sizeof fuzz_fields[0]) != 0) {
		if (c.status != 400 || c.body == NULL ||
		    (answer = json_loads(c.body, 0, NULL)) == NULL)
			abort();	/* refused, but not as a client's error */
		if (json_string_value(json_object_get(answer, "error")) ==
		    NULL)
			abort();
		json_decref(answer);
	} else {
		if (!json_is_object(c.json) || c.body != NULL)
			abort();
		json_object_foreach(c.json, key, v) {
			for (i = 0; i < sizeof fuzz_fields /
			    sizeof fuzz_fields[0]; i++)
				if (strcmp(fuzz_fields[i].name, key) == 0)
					break;
			if (i == sizeof fuzz_fields / sizeof fuzz_fields[0])
				abort();	/* a field not asked for */
		}
		kinds = desk_strs(&c, "kinds", &n);
		desk_strs_free(kinds, n);
	}
	json_decref(c.json);
	free(c.body);
	return (0);
}
