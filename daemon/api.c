/*
 * The HTTP API: evhttp on the daemon's event base. Every answer is JSON;
 * errors are {"error": "..."} with a fitting status. Data comes through the
 * hooks tipgwd.c gives, bodies from json.c.
 */
#include "config.h"

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "tipgw/api.h"
#include "tipgw/json.h"
#include "tipgw/log.h"
#include "tipgw/xmalloc.h"

#define API_TIMEOUT_SECONDS	30
#define API_MAX_BODY		(1024 * 1024)
#define API_MAX_HEADERS		(16 * 1024)

#define API_REFUSED_QUIET	60	/* s: one warning per such spell */

/* The routes /metrics counts requests and their time for. */
enum api_route {
	API_ROUTE_HEALTHZ,
	API_ROUTE_METRICS,
	API_ROUTE_OPEN311,
	API_ROUTE_V1,
	API_ROUTE_UI,
	API_ROUTE_OTHER,
	API_NROUTES
};
static const char *const api_route_names[API_NROUTES] = {
	"/healthz", "/metrics", "/open311/v2", "/api/v1", "/ui", "other"
};
/* Upper bounds of the latency histogram, in seconds (and +Inf). */
static const double api_buckets[] = {
	0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1
};
#define API_NBUCKETS	(sizeof api_buckets / sizeof api_buckets[0])

struct api_route_stats {
	unsigned long long	 by_class[6];	/* 1xx .. 5xx, [0] unused */
	unsigned long long	 bucket[API_NBUCKETS + 1];
	double			 seconds;
	unsigned long long	 count;
};

struct api {
	struct evhttp		*http;
	char			*ui;		/* the web UI's directory */
	struct api_hooks	 hooks;
	struct evconnlistener	*listener;
	struct event		*ev_resume;
	int			 spare;		/* a descriptor kept in reserve */
	time_t			 refused_at;	/* the last accept that failed */
	unsigned long		 refused;
	/* The request being answered (evhttp runs one at a time). */
	enum api_route		 route;
	struct timespec		 start;
	struct api_route_stats	 stats[API_NROUTES];
};

/* The API a reply belongs to, for its metrics. */
static struct api	*api_current;

static double
api_since(const struct timespec *t)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((double)(now.tv_sec - t->tv_sec) +
	    (double)(now.tv_nsec - t->tv_nsec) / 1e9);
}

/* A request begins: which route, and when. */
static void
api_begin(struct api *api, enum api_route route)
{
	api->route = route;
	clock_gettime(CLOCK_MONOTONIC, &api->start);
}

/* Count a reply with its status and the time it took. */
static void
api_count(int code)
{
	struct api_route_stats	*r;
	double			 s;
	size_t			 i;

	if (api_current == NULL)
		return;
	r = &api_current->stats[api_current->route];
	s = api_since(&api_current->start);
	if (code >= 100 && code < 600)
		r->by_class[code / 100]++;
	for (i = 0; i < API_NBUCKETS && s > api_buckets[i]; i++)
		;
	r->bucket[i]++;
	r->seconds += s;
	r->count++;
}

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
	api_count(code);
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

	api_begin(api, API_ROUTE_HEALTHZ);
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

/* The request metrics, in the Prometheus text format. */
static void
api_metrics_requests(struct api *api, struct evbuffer *out)
{
	static const char *const classes[6] = {
		NULL, "1xx", "2xx", "3xx", "4xx", "5xx"
	};
	const struct api_route_stats	*r;
	unsigned long long		 cum;
	size_t				 i, k;

	evbuffer_add_printf(out, "# HELP tipgw_http_requests_total HTTP "
	    "requests answered, by route and status class.\n"
	    "# TYPE tipgw_http_requests_total counter\n");
	for (i = 0; i < API_NROUTES; i++) {
		for (k = 1; k < 6; k++)
			evbuffer_add_printf(out, "tipgw_http_requests_total"
			    "{route=\"%s\",code=\"%s\"} %llu\n",
			    api_route_names[i], classes[k],
			    api->stats[i].by_class[k]);
	}
	evbuffer_add_printf(out, "# HELP tipgw_http_request_seconds Time to "
	    "answer a request, by route.\n"
	    "# TYPE tipgw_http_request_seconds histogram\n");
	for (i = 0; i < API_NROUTES; i++) {
		r = &api->stats[i];
		for (k = 0, cum = 0; k <= API_NBUCKETS; k++) {
			cum += r->bucket[k];
			if (k < API_NBUCKETS)
				evbuffer_add_printf(out,
				    "tipgw_http_request_seconds_bucket{route="
				    "\"%s\",le=\"%g\"} %llu\n",
				    api_route_names[i], api_buckets[k], cum);
			else
				evbuffer_add_printf(out,
				    "tipgw_http_request_seconds_bucket{route="
				    "\"%s\",le=\"+Inf\"} %llu\n",
				    api_route_names[i], cum);
		}
		evbuffer_add_printf(out, "tipgw_http_request_seconds_sum{route="
		    "\"%s\"} %.6f\ntipgw_http_request_seconds_count{route="
		    "\"%s\"} %llu\n", api_route_names[i], r->seconds,
		    api_route_names[i], r->count);
	}
}

/*
 * GET /metrics: the ledger's, the modems' and the outbox's numbers (from
 * the metrics hook) and the API's own, in the Prometheus text format. No
 * token: it holds counts, never a tip or a number; the API listens on a
 * local address.
 */
static void
api_metrics_cb(struct evhttp_request *req, void *arg)
{
	struct api	*api = arg;
	struct evbuffer	*out;
	char		*text;

	api_begin(api, API_ROUTE_METRICS);
	if (!api_method_get(req))
		return;
	if ((out = evbuffer_new()) == NULL)
		fatalx("api: out of memory");
	text = api->hooks.metrics(api->hooks.arg);
	if (text == NULL) {
		evbuffer_free(out);
		api_error(req, 503, "Service Unavailable",
		    "the ledger cannot be read");
		return;
	}
	evbuffer_add(out, text, strlen(text));
	free(text);
	/* This request is counted before it is answered. */
	api_count(200);
	api_metrics_requests(api, out);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Cache-Control", "no-store");
	evhttp_send_reply(req, 200, "OK",
	    evhttp_request_get_command(req) == EVHTTP_REQ_HEAD ? NULL : out);
	evbuffer_free(out);
}

/* GET /open311/v2/services.json: the tip kinds. */
static void
api_open311_services_cb(struct evhttp_request *req, void *arg)
{
	struct api	*api = arg;

	api_begin(api, API_ROUTE_OPEN311);
	if (!api_method_get(req))
		return;
	api_reply(req, 200, "OK", api->hooks.open311_services(
	    api->hooks.arg));
}

/*
 * GET /open311/v2/requests.json: tips as service requests, filtered by
 * status, service_code, start_date and end_date; other parameters are
 * refused by name.
 */
static void
api_open311_requests_cb(struct evhttp_request *req, void *arg)
{
	struct api		*api = arg;
	struct open311_query	 q;
	struct evkeyvalq	 params;
	struct evkeyval		*kv;
	const char		*query;
	char			*body = NULL, why[160];
	int			 code;

	api_begin(api, API_ROUTE_OPEN311);
	if (!api_method_get(req))
		return;
	memset(&q, 0, sizeof q);
	TAILQ_INIT(&params);
	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	if (query != NULL && evhttp_parse_query_str(query, &params) != 0) {
		api_error(req, 400, "Bad Request", "the query string cannot "
		    "be read");
		return;
	}
	TAILQ_FOREACH(kv, &params, next) {
		if (strcmp(kv->key, "status") == 0)
			q.status = kv->value;
		else if (strcmp(kv->key, "service_code") == 0)
			q.service_code = kv->value;
		else if (strcmp(kv->key, "start_date") == 0)
			q.start_date = kv->value;
		else if (strcmp(kv->key, "end_date") == 0)
			q.end_date = kv->value;
		else if (strcmp(kv->key, "jurisdiction_id") != 0) {
			snprintf(why, sizeof why, "unknown parameter: %.64s",
			    kv->key);
			evhttp_clear_headers(&params);
			api_error(req, 400, "Bad Request", why);
			return;
		}
	}
	code = api->hooks.open311_requests(&q, &body, api->hooks.arg);
	evhttp_clear_headers(&params);
	if (code == 200)
		api_reply(req, 200, "OK", body);
	else {
		api_error(req, code, code == 400 ? "Bad Request" :
		    "Service Unavailable", body != NULL ? body : "error");
		free(body);
	}
}

static const char *
api_reason(int code)
{
	switch (code) {
	case 200: return ("OK");
	case 201: return ("Created");
	case 400: return ("Bad Request");
	case 401: return ("Unauthorized");
	case 403: return ("Forbidden");
	case 404: return ("Not Found");
	case 405: return ("Method Not Allowed");
	case 409: return ("Conflict");
	case 413: return ("Payload Too Large");
	case 503: return ("Service Unavailable");
	default: return ("Error");
	}
}

static const char *
api_method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET: return ("GET");
	case EVHTTP_REQ_HEAD: return ("HEAD");
	case EVHTTP_REQ_POST: return ("POST");
	case EVHTTP_REQ_PUT: return ("PUT");
	case EVHTTP_REQ_PATCH: return ("PATCH");
	case EVHTTP_REQ_DELETE: return ("DELETE");
	case EVHTTP_REQ_OPTIONS: return ("OPTIONS");
	default: return ("OTHER");
	}
}

/* The token of "Authorization: Bearer TOKEN"; NULL if none. */
static const char *
api_bearer(struct evhttp_request *req)
{
	const char	*h;

	h = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return (NULL);
	for (h += 7; *h == ' '; h++)
		;
	return (*h != '\0' ? h : NULL);
}

/*
 * /api/v1/...: the request as plain values for the v1 hook (desk.c),
 * which answers with a status and JSON. A body over 64 KiB is refused
 * before it is read further.
 */
static void
api_v1(struct api *api, struct evhttp_request *req, const char *path)
{
	struct evkeyvalq	 q;
	struct evkeyval		*kv;
	struct api_request	 r;
	struct api_param	*params = NULL;
	struct evbuffer		*in = evhttp_request_get_input_buffer(req);
	const char		*query;
	char			*body = NULL, *copy = NULL;
	size_t			 n = 0;
	int			 code;

	api_begin(api, API_ROUTE_V1);
	if (evbuffer_get_length(in) > API_V1_MAX_BODY) {
		api_error(req, 413, api_reason(413), "the body is larger than "
		    "64 KiB");
		return;
	}
	TAILQ_INIT(&q);
	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	if (query != NULL && evhttp_parse_query_str(query, &q) != 0) {
		api_error(req, 400, api_reason(400), "the query string cannot "
		    "be read");
		return;
	}
	TAILQ_FOREACH(kv, &q, next) {
		params = xreallocarray(params, n + 1, sizeof *params);
		params[n].key = kv->key;
		params[n++].value = kv->value;
	}
	memset(&r, 0, sizeof r);
	r.method = api_method_name(evhttp_request_get_command(req));
	r.path = path;
	r.params = params;
	r.nparams = n;
	r.bodylen = evbuffer_get_length(in);
	if (r.bodylen > 0) {
		copy = xmalloc(r.bodylen + 1);
		evbuffer_copyout(in, copy, r.bodylen);
		copy[r.bodylen] = '\0';
		r.body = copy;
	}
	r.token = api_bearer(req);
	code = api->hooks.v1(&r, &body, api->hooks.arg);
	free(copy);
	free(params);
	evhttp_clear_headers(&q);
	if (code == 401)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "WWW-Authenticate", "Bearer realm=\"tipgw\"");
	api_reply(req, code, api_reason(code), body);
}

/* The type of a file of the web UI, from its name. */
static const char *
api_ui_type(const char *name)
{
	static const struct {
		const char	*suffix;
		const char	*type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".json", "application/json; charset=utf-8" },
	};
	size_t	 i, n = strlen(name), k;

	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		k = strlen(types[i].suffix);
		if (n > k && strcmp(name + n - k, types[i].suffix) == 0)
			return (types[i].type);
	}
	return (NULL);
}

/*
 * /ui/NAME: a file of the web UI's directory, which is flat: a name of
 * letters, digits, '-', '_' and one '.', of a known type, or 404.
 */
static void
api_ui(struct api *api, struct evhttp_request *req, const char *name)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	struct evbuffer		*out;
	struct stat		 sb;
	const char		*type;
	char			*path;
	int			 fd;

	api_begin(api, API_ROUTE_UI);
	if (!api_method_get(req))
		return;
	if (*name == '\0')
		name = "index.html";
	if (api->ui == NULL || strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != strlen(name) ||
	    *name == '.' || strstr(name, "..") != NULL ||
	    (type = api_ui_type(name)) == NULL) {
		api_error(req, 404, "Not Found", "not found");
		return;
	}
	xasprintf(&path, "%s/%s", api->ui, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd == -1 || fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		if (fd != -1)
			close(fd);
		api_error(req, 404, "Not Found", "not found");
		return;
	}
	if ((out = evbuffer_new()) == NULL)
		fatalx("api: out of memory");
	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Cache-Control", "no-cache");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "Content-Security-Policy", "default-src 'self'; "
	    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
	    "form-action 'self'");
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD)
		close(fd);
	else if (evbuffer_add_file(out, fd, 0, sb.st_size) != 0) {
		evbuffer_free(out);
		api_error(req, 500, "Internal Server Error", "the file cannot "
		    "be read");
		return;
	}
	evhttp_send_reply(req, 200, "OK", out);
	evbuffer_free(out);
	api_count(200);
}

/* Everything but the fixed routes: /api/v1/..., the web UI, or 404. */
static void
api_notfound_cb(struct evhttp_request *req, void *arg)
{
	struct api	*api = arg;
	const char	*path;

	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL)
		path = "/";
	if (strcmp(path, "/api/v1") == 0 ||
	    strncmp(path, "/api/v1/", 8) == 0) {
		api_v1(api, req, path + 7);
		return;
	}
	if (strncmp(path, "/ui/", 4) == 0) {
		api_ui(api, req, path + 4);
		return;
	}
	api_begin(api, API_ROUTE_OTHER);
	if (strcmp(path, "/") == 0 || strcmp(path, "/ui") == 0) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Location", "/ui/");
		api_reply(req, 302, "Found", json_error("the web UI is at "
		    "/ui/"));
		return;
	}
	api_error(req, 404, "Not Found", "not found");
}

static void
api_resume_cb(evutil_socket_t fd, short events, void *arg)
{
	struct api	*api = arg;

	evconnlistener_enable(api->listener);
}

/*
 * accept() failed, as when descriptors run out: the connection waiting
 * would make the listener fire again at once, for ever, each time with
 * libevent's warning. Shed it with the descriptor kept in reserve,
 * stop listening for a second, and warn once a spell.
 */
/* libevent hands an accept error callback evhttp's pointer, not ours. */
static struct api	*api_listening;

static void
api_accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct api	*api = api_listening;
	struct timeval	 tv = { 1, 0 };
	int		 err = EVUTIL_SOCKET_ERROR(), fd;
	time_t		 now = time(NULL);

	if (api == NULL || err == EINTR || err == EAGAIN || err == ECONNABORTED)
		return;
	if (api->spare != -1) {
		close(api->spare);
		if ((fd = accept(evconnlistener_get_fd(l), NULL, NULL)) != -1)
			close(fd);
		api->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	api->refused++;
	if (now - api->refused_at > API_REFUSED_QUIET)
		log_warnx("api: cannot accept connections (%s); refusing them "
		    "a second at a time until descriptors are free (%lu so "
		    "far)", strerror(err), api->refused);
	api->refused_at = now;
	evconnlistener_disable(l);
	evtimer_add(api->ev_resume, &tv);
}

/* Listen on address:port and serve the API on base. */
struct api *
api_start(struct event_base *base, const char *address, unsigned int port,
    const struct api_hooks *hooks, char **cause)
{
	struct api			*api;
	struct evhttp_bound_socket	*bound;
	int				 one;

	api = xcalloc(1, sizeof *api);
	api->hooks = *hooks;
	api->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
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
	evhttp_set_cb(api->http, "/metrics", api_metrics_cb, api);
	evhttp_set_cb(api->http, "/open311/v2/services.json",
	    api_open311_services_cb, api);
	evhttp_set_cb(api->http, "/open311/v2/requests.json",
	    api_open311_requests_cb, api);
	evhttp_set_gencb(api->http, api_notfound_cb, api);
	if ((bound = evhttp_bind_socket_with_handle(api->http, address,
	    (unsigned short)port)) == NULL) {
		xasprintf(cause, "cannot listen on %s port %u (in use, or not "
		    "an address of this machine?)", address, port);
		api_stop(api);
		return (NULL);
	}
	api->listener = evhttp_bound_socket_get_listener(bound);
	/*
	 * No Nagle: an answer's last segment would otherwise wait for the
	 * client's delayed ACK (40 ms a request on a kept-alive
	 * connection). Accepted sockets inherit it from the listener.
	 */
	one = 1;
	if (setsockopt(evhttp_bound_socket_get_fd(bound), IPPROTO_TCP,
	    TCP_NODELAY, &one, sizeof one) == -1)
		log_warn("api: TCP_NODELAY");
	api_listening = api;
	api_current = api;
	evconnlistener_set_error_cb(api->listener, api_accept_error_cb);
	if ((api->ev_resume = evtimer_new(base, api_resume_cb, api)) == NULL)
		fatalx("api: evtimer_new failed");
	log_info("api: listening address=%s port=%u", address, port);
	return (api);
}

/* Serve the web UI from directory (NULL: none). */
void
api_set_ui(struct api *api, const char *directory)
{
	free(api->ui);
	api->ui = directory != NULL ? xstrdup(directory) : NULL;
}

/* Close the listener and free the server. */
void
api_stop(struct api *api)
{
	if (api == NULL)
		return;
	if (api_listening == api)
		api_listening = NULL;
	if (api_current == api)
		api_current = NULL;
	if (api->http != NULL)
		evhttp_free(api->http);
	if (api->ev_resume != NULL)
		event_free(api->ev_resume);
	if (api->spare != -1)
		close(api->spare);
	free(api->ui);
	free(api);
}
