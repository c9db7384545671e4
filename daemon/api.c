/*
 * The HTTP API: evhttp on the daemon's event base. Every answer is JSON;
 * errors are {"error": "..."} with a fitting status. Data comes through the
 * hooks tipgwd.c gives, bodies from json.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "tipgw/api.h"
#include "tipgw/json.h"
#include "tipgw/log.h"
#include "tipgw/xmalloc.h"

#define API_TIMEOUT_SECONDS	30
#define API_MAX_BODY		(1024 * 1024)
#define API_MAX_HEADERS		(16 * 1024)

struct api {
	struct evhttp		*http;
	struct api_hooks	 hooks;
};

static void
api_reply(struct evhttp_request *req, int code, const char *reason,
    char *body)
{
	struct evbuffer		*buf = evbuffer_new();
	struct evkeyvalq	*headers = evhttp_request_get_output_headers(req);

	if (buf == NULL)
		fatalx("api: out of memory");
	evhttp_add_header(headers, "Content-Type",
	    "application/json; charset=utf-8");
	evhttp_add_header(headers, "Cache-Control", "no-store");
	evhttp_add_header(headers, "X-Content-Type-Options", "nosniff");
	if (evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		evbuffer_add(buf, body, strlen(body));
		evbuffer_add(buf, "\n", 1);
	}
	evhttp_send_reply(req, code, reason, buf);
	evbuffer_free(buf);
	free(body);
}

static void
api_error(struct evhttp_request *req, int code, const char *reason,
    const char *message)
{
	api_reply(req, code, reason, json_error(message));
}

static int
api_method_get(struct evhttp_request *req)
{
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
	case EVHTTP_REQ_HEAD:
		return (1);
	default:
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		api_error(req, 405, "Method Not Allowed", "method not allowed");
		return (0);
	}
}

/* GET /healthz: no token needed; 503 when the ledger fails. */
static void
api_healthz_cb(struct evhttp_request *req, void *arg)
{
	struct api	*api = arg;
	struct health	 h;
	const char	*status;
	char		*body;

	if (!api_method_get(req))
		return;
	memset(&h, 0, sizeof h);
	api->hooks.health(&h, api->hooks.arg);
	body = json_health(&h, &status);
	free(h.modems);
	if (strcmp(status, "error") == 0)
		api_reply(req, 503, "Service Unavailable", body);
	else
		api_reply(req, 200, "OK", body);
}

static void
api_notfound_cb(struct evhttp_request *req, void *arg)
{
	api_error(req, 404, "Not Found", "not found");
}

/* Listen on address:port and serve the API on base. */
struct api *
api_start(struct event_base *base, const char *address, unsigned int port,
    const struct api_hooks *hooks, char **cause)
{
	struct api	*api;

	api = xcalloc(1, sizeof *api);
	api->hooks = *hooks;
	if ((api->http = evhttp_new(base)) == NULL)
		fatalx("api: evhttp_new failed");
	evhttp_set_timeout(api->http, API_TIMEOUT_SECONDS);
	evhttp_set_max_body_size(api->http, API_MAX_BODY);
	evhttp_set_max_headers_size(api->http, API_MAX_HEADERS);
	/* Every method reaches a handler: 405 or 404 in JSON, never
	 * libevent's 501 page. */
	evhttp_set_allowed_methods(api->http, EVHTTP_REQ_GET |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
	    EVHTTP_REQ_TRACE);
	evhttp_set_cb(api->http, "/healthz", api_healthz_cb, api);
	evhttp_set_gencb(api->http, api_notfound_cb, api);
	if (evhttp_bind_socket_with_handle(api->http, address,
	    (unsigned short)port) == NULL) {
		xasprintf(cause, "cannot listen on %s port %u (in use, or not "
		    "an address of this machine?)", address, port);
		api_stop(api);
		return (NULL);
	}
	log_info("api: listening address=%s port=%u", address, port);
	return (api);
}

/* Close the listener and free the server. */
void
api_stop(struct api *api)
{
	if (api == NULL)
		return;
	if (api->http != NULL)
		evhttp_free(api->http);
	free(api);
}
