/*
 * libcurl's multi interface driven by libevent, the pattern of curl's
 * hiperfifo example: curl tells us which sockets to watch
 * (CURLMOPT_SOCKETFUNCTION) and when to time out (CURLMOPT_TIMERFUNCTION);
 * events on them go back to curl_multi_socket_action(). A finished
 * transfer is read off curl_multi_info_read() and reported once.
 *
 * A webhook is a POST of JSON; 2xx is delivered, except a robot answer
 * with a non-zero "errcode" (WeCom and DingTalk answer 200 and put the
 * refusal there). An e-mail is one SMTP transaction; STARTTLS is tried
 * by default, certificates are always checked unless tls_verify = no.
 *
 * E-mail runs on a thread of its own with curl_easy_perform(): libcurl's
 * SMTP waits for the answer to the end of the message with a blocking
 * poll even under the multi interface (measured: a server slow to answer
 * held the event loop, and SMS intake, for as long). The thread hands
 * finished messages back through an event. Stopping shuts down the
 * socket of the message in progress (curl opens it through our callback),
 * which ends even that blocking wait at once.
 */
#include "config.h"

#include <sys/socket.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <jansson.h>

#include "tipgw/clock.h"
#include "tipgw/log.h"
#include "tipgw/notify.h"
#include "tipgw/xmalloc.h"

#define NOTIFY_REPLY_MAX	4096

struct notify {
	struct event_base	*base;
	CURLM			*multi;
	struct event		*timer;
	struct notify_options	 opts;
	char			*smtp_url, *smtp_from, *smtp_user, *smtp_pass;
	struct notify_req	*reqs;		/* in flight */

	/* The e-mail thread: lock protects todo, done and stopping. */
	pthread_t		 mail_thread;
	int			 mail_started;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	struct notify_req	*todo, **todo_tail;
	struct notify_req	*done;
	int			 stopping;
	curl_socket_t		 mail_sock;	/* of the message in progress */
	struct event		*mail_ev;
};

struct notify_req {
	struct notify		*n;
	CURL			*easy;
	struct curl_slist	*headers;
	struct curl_slist	*rcpt;
	char			*payload;
	size_t			 len, off;
	char			 reply[NOTIFY_REPLY_MAX];
	size_t			 replylen;
	char			 errbuf[CURL_ERROR_SIZE];
	int			 email;
	CURLcode		 cc;		/* e-mail: what perform said */
	notify_done_cb		 done;
	void			*arg;
	struct notify_req	*next;
};

struct notify_sock {
	struct event	*ev;
};

static void
notify_copy_options(struct notify *n, const struct notify_options *o)
{
	free(n->smtp_url);
	free(n->smtp_from);
	free(n->smtp_user);
	free(n->smtp_pass);
	n->opts = *o;
	n->smtp_url = o->smtp_url ? xstrdup(o->smtp_url) : NULL;
	n->smtp_from = o->smtp_from ? xstrdup(o->smtp_from) : NULL;
	n->smtp_user = o->smtp_user ? xstrdup(o->smtp_user) : NULL;
	n->smtp_pass = o->smtp_password ? xstrdup(o->smtp_password) : NULL;
	n->opts.smtp_url = n->smtp_url;
	n->opts.smtp_from = n->smtp_from;
	n->opts.smtp_user = n->smtp_user;
	n->opts.smtp_password = n->smtp_pass;
}

static void
notify_req_free(struct notify_req *r)
{
	struct notify_req	**pp;

	for (pp = &r->n->reqs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
	if (r->easy != NULL) {
		if (!r->email)
			curl_multi_remove_handle(r->n->multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	curl_slist_free_all(r->headers);
	curl_slist_free_all(r->rcpt);
	free(r->payload);
	free(r);
}

/* A robot's refusal: {"errcode": non-zero, "errmsg": ...}. */
static int
notify_robot_refused(const struct notify_req *r, char *err, size_t len)
{
	json_t		*o, *code, *msg;
	json_error_t	 je;
	int		 refused = 0;

	o = json_loadb(r->reply, r->replylen, 0, &je);
	if (o == NULL)
		return (0);
	code = json_object_get(o, "errcode");
	msg = json_object_get(o, "errmsg");
	if (json_is_integer(code) && json_integer_value(code) != 0) {
		snprintf(err, len, "refused: errcode %lld %s",
		    (long long)json_integer_value(code),
		    json_is_string(msg) ? json_string_value(msg) : "");
		refused = 1;
	}
	json_decref(o);
	return (refused);
}

static int
notify_stopping(struct notify *n)
{
	int	 stopping;

	pthread_mutex_lock(&n->lock);
	stopping = n->stopping;
	pthread_mutex_unlock(&n->lock);
	return (stopping);
}

static void
notify_finish(struct notify_req *r, CURLcode cc)
{
	struct notify_result	 res;

	memset(&res, 0, sizeof res);
	/* Cut short by notify_free(): not an attempt. */
	res.stopped = cc == CURLE_ABORTED_BY_CALLBACK ||
	    (r->email && cc != CURLE_OK && notify_stopping(r->n));
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &res.status);
	if (cc != CURLE_OK)
		snprintf(res.error, sizeof res.error, "%s",
		    r->errbuf[0] ? r->errbuf : curl_easy_strerror(cc));
	else if (r->email)
		res.ok = 1;
	else if (res.status < 200 || res.status > 299)
		snprintf(res.error, sizeof res.error, "HTTP %ld", res.status);
	else if (!notify_robot_refused(r, res.error, sizeof res.error))
		res.ok = 1;
	r->done(&res, r->arg);
	notify_req_free(r);
}

static void
notify_check(struct notify *n)
{
	CURLMsg			*msg;
	struct notify_req	*r;
	int			 left;

	while ((msg = curl_multi_info_read(n->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		r = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)&r);
		if (r != NULL)
			notify_finish(r, msg->data.result);
	}
}

static void
notify_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notify	*n = arg;
	int		 action = 0, running;

	if (what & EV_READ)
		action |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(n->multi, fd, action, &running);
	notify_check(n);
}

static void
notify_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notify	*n = arg;
	int		 running;

	curl_multi_socket_action(n->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	notify_check(n);
}

static int
notify_socket_fn(CURL *easy, curl_socket_t s, int what, void *userp,
    void *socketp)
{
	struct notify		*n = userp;
	struct notify_sock	*ns = socketp;
	short			 kind;

	if (what == CURL_POLL_REMOVE) {
		if (ns != NULL) {
			event_free(ns->ev);
			free(ns);
		}
		curl_multi_assign(n->multi, s, NULL);
		return (0);
	}
	kind = EV_PERSIST | ((what & CURL_POLL_IN) ? EV_READ : 0) |
	    ((what & CURL_POLL_OUT) ? EV_WRITE : 0);
	if (ns == NULL) {
		ns = xcalloc(1, sizeof *ns);
		curl_multi_assign(n->multi, s, ns);
	} else
		event_free(ns->ev);
	ns->ev = event_new(n->base, s, kind, notify_event_cb, n);
	if (ns->ev == NULL || event_add(ns->ev, NULL) != 0)
		fatalx("notify: cannot watch a socket");
	return (0);
}

static int
notify_timer_fn(CURLM *multi, long ms, void *userp)
{
	struct notify	*n = userp;
	struct timeval	 tv;

	if (ms < 0) {
		evtimer_del(n->timer);
		return (0);
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(n->timer, &tv);
	return (0);
}

static size_t
notify_write_fn(char *p, size_t size, size_t nmemb, void *arg)
{
	struct notify_req	*r = arg;
	size_t			 len = size * nmemb, room;

	room = sizeof r->reply - r->replylen;
	if (room > 0) {
		memcpy(r->reply + r->replylen, p, len < room ? len : room);
		r->replylen += len < room ? len : room;
	}
	return (len);
}

static size_t
notify_read_fn(char *p, size_t size, size_t nmemb, void *arg)
{
	struct notify_req	*r = arg;
	size_t			 len = size * nmemb;

	if (len > r->len - r->off)
		len = r->len - r->off;
	memcpy(p, r->payload + r->off, len);
	r->off += len;
	return (len);
}

/* The e-mail thread: abort a transfer when tipgwd stops. */
static int
notify_progress_fn(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct notify_req	*r = arg;

	return (notify_stopping(r->n));
}

/* The e-mail thread's sockets, so that stopping can shut one down. */
static curl_socket_t
notify_open_fn(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct notify	*n = arg;
	curl_socket_t	 s;

	s = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
	pthread_mutex_lock(&n->lock);
	if (n->stopping && s != CURL_SOCKET_BAD) {
		close(s);
		s = CURL_SOCKET_BAD;
	}
	n->mail_sock = s;
	pthread_mutex_unlock(&n->lock);
	return (s);
}

static int
notify_close_fn(void *arg, curl_socket_t s)
{
	struct notify	*n = arg;

	pthread_mutex_lock(&n->lock);
	if (n->mail_sock == s)
		n->mail_sock = CURL_SOCKET_BAD;
	pthread_mutex_unlock(&n->lock);
	return (close(s));
}

static void *
notify_mail_thread(void *arg)
{
	struct notify		*n = arg;
	struct notify_req	*r;

	pthread_mutex_lock(&n->lock);
	for (;;) {
		while (!n->stopping && n->todo == NULL)
			pthread_cond_wait(&n->wake, &n->lock);
		if (n->stopping)
			break;
		r = n->todo;
		if ((n->todo = r->next) == NULL)
			n->todo_tail = &n->todo;
	n->mail_sock = CURL_SOCKET_BAD;
		pthread_mutex_unlock(&n->lock);
		r->cc = curl_easy_perform(r->easy);
		pthread_mutex_lock(&n->lock);
		r->next = n->done;
		n->done = r;
		event_active(n->mail_ev, EV_READ, 1);
	}
	pthread_mutex_unlock(&n->lock);
	return (NULL);
}

/* Event loop: report the e-mails the thread has finished, oldest first. */
static void
notify_mail_done_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notify		*n = arg;
	struct notify_req	*r, *list, *rev = NULL;

	pthread_mutex_lock(&n->lock);
	list = n->done;
	n->done = NULL;
	pthread_mutex_unlock(&n->lock);
	while ((r = list) != NULL) {
		list = r->next;
		r->next = rev;
		rev = r;
	}
	while ((r = rev) != NULL) {
		rev = r->next;
		r->next = NULL;
		notify_finish(r, r->cc);
	}
}

/* Set up the multi handle on base. NULL and *cause if it cannot. */
struct notify *
notify_new(struct event_base *base, const struct notify_options *o,
    char **cause)
{
	struct notify	*n = xcalloc(1, sizeof *n);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (n->multi = curl_multi_init()) == NULL) {
		xasprintf(cause, "cannot start libcurl");
		free(n);
		return (NULL);
	}
	n->base = base;
	n->timer = evtimer_new(base, notify_timer_cb, n);
	n->mail_ev = event_new(base, -1, 0, notify_mail_done_cb, n);
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->wake, NULL);
	n->todo_tail = &n->todo;
	notify_copy_options(n, o);
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETFUNCTION, notify_socket_fn);
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETDATA, n);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERFUNCTION, notify_timer_fn);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERDATA, n);
	return (n);
}

/* New options (on reload) apply to requests started from now on. */
void
notify_set_options(struct notify *n, const struct notify_options *o)
{
	notify_copy_options(n, o);
}

static struct notify_req *
notify_req_new(struct notify *n, const char *url, notify_done_cb done,
    void *arg)
{
	struct notify_req	*r = xcalloc(1, sizeof *r);

	r->n = n;
	r->done = done;
	r->arg = arg;
	if ((r->easy = curl_easy_init()) == NULL)
		fatalx("notify: curl_easy_init failed");
	curl_easy_setopt(r->easy, CURLOPT_URL, url);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT, (long)n->opts.timeout);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT,
	    (long)(n->opts.timeout < 10 ? n->opts.timeout : 10));
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYPEER,
	    n->opts.tls_verify ? 1L : 0L);
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYHOST,
	    n->opts.tls_verify ? 2L : 0L);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, notify_write_fn);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	return (r);
}

static void
notify_start(struct notify *n, struct notify_req *r)
{
	struct notify_result	 res;

	r->next = n->reqs;
	n->reqs = r;
	if (curl_multi_add_handle(n->multi, r->easy) != CURLM_OK) {
		memset(&res, 0, sizeof res);
		snprintf(res.error, sizeof res.error, "cannot start request");
		r->done(&res, r->arg);
		notify_req_free(r);
	}
}

/*
 * POST json to url; key goes in an Idempotency-Key header, so a receiver
 * can drop a request sent again after a crash.
 */
void
notify_webhook(struct notify *n, const char *url, const char *json,
    const char *key, notify_done_cb done, void *arg)
{
	struct notify_req	*r = notify_req_new(n, url, done, arg);
	char			*h;

	r->headers = curl_slist_append(r->headers,
	    "Content-Type: application/json; charset=utf-8");
	xasprintf(&h, "Idempotency-Key: %s", key);
	r->headers = curl_slist_append(r->headers, h);
	free(h);
	r->headers = curl_slist_append(r->headers, "Expect:");
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "tipgw/" PACKAGE_VERSION);
	curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(json));
	curl_easy_setopt(r->easy, CURLOPT_COPYPOSTFIELDS, json);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	notify_start(n, r);
}

/* Send one e-mail (body as notify_email_body made it) to one address. */
void
notify_email(struct notify *n, const char *to, const char *body,
    const char *key, notify_done_cb done, void *arg)
{
	struct notify_req	*r;
	struct notify_result	 res;
	char			*addr;

	if (n->opts.smtp_url == NULL || n->opts.smtp_from == NULL) {
		memset(&res, 0, sizeof res);
		snprintf(res.error, sizeof res.error, "no smtp_url and "
		    "smtp_from in the configuration");
		done(&res, arg);
		return;
	}
	r = notify_req_new(n, n->opts.smtp_url, done, arg);
	r->email = 1;
	r->payload = notify_email_message(n->opts.smtp_from, to, body, key,
	    clock_now());
	r->len = strlen(r->payload);
	xasprintf(&addr, "<%s>", n->opts.smtp_from);
	curl_easy_setopt(r->easy, CURLOPT_MAIL_FROM, addr);
	free(addr);
	xasprintf(&addr, "<%s>", to);
	r->rcpt = curl_slist_append(r->rcpt, addr);
	free(addr);
	curl_easy_setopt(r->easy, CURLOPT_MAIL_RCPT, r->rcpt);
	curl_easy_setopt(r->easy, CURLOPT_READFUNCTION, notify_read_fn);
	curl_easy_setopt(r->easy, CURLOPT_READDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(r->easy, CURLOPT_USE_SSL,
	    n->opts.smtp_starttls == NOTIFY_STARTTLS_REQUIRED ?
	    (long)CURLUSESSL_ALL : n->opts.smtp_starttls ==
	    NOTIFY_STARTTLS_NEVER ? (long)CURLUSESSL_NONE :
	    (long)CURLUSESSL_TRY);
	if (n->opts.smtp_user != NULL) {
		curl_easy_setopt(r->easy, CURLOPT_USERNAME,
		    n->opts.smtp_user);
		curl_easy_setopt(r->easy, CURLOPT_PASSWORD,
		    n->opts.smtp_password ? n->opts.smtp_password : "");
	}
	curl_easy_setopt(r->easy, CURLOPT_OPENSOCKETFUNCTION, notify_open_fn);
	curl_easy_setopt(r->easy, CURLOPT_OPENSOCKETDATA, n);
	curl_easy_setopt(r->easy, CURLOPT_CLOSESOCKETFUNCTION, notify_close_fn);
	curl_easy_setopt(r->easy, CURLOPT_CLOSESOCKETDATA, n);
	curl_easy_setopt(r->easy, CURLOPT_FORBID_REUSE, 1L);
	/*
	 * CURLOPT_TIMEOUT does not bound the wait for the answer to the
	 * end of the message (libcurl's SMTP waits its server response
	 * timeout there, 120 s): notify_timeout bounds that too.
	 */
	curl_easy_setopt(r->easy, CURLOPT_SERVER_RESPONSE_TIMEOUT,
	    (long)n->opts.timeout);
	curl_easy_setopt(r->easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(r->easy, CURLOPT_XFERINFOFUNCTION, notify_progress_fn);
	curl_easy_setopt(r->easy, CURLOPT_XFERINFODATA, r);
	if (!n->mail_started) {
		if (pthread_create(&n->mail_thread, NULL, notify_mail_thread,
		    n) != 0)
			fatalx("notify: cannot start the e-mail thread");
		n->mail_started = 1;
	}
	pthread_mutex_lock(&n->lock);
	r->next = NULL;
	*n->todo_tail = r;
	n->todo_tail = &r->next;
	pthread_cond_signal(&n->wake);
	pthread_mutex_unlock(&n->lock);
}

/*
 * Abort what is in flight and free. Each request is reported "stopped":
 * its row stays "sending" and goes again, with its key, at the next start.
 */
void
notify_free(struct notify *n)
{
	struct notify_result	 res;
	struct notify_req	*r;

	if (n == NULL)
		return;
	if (n->mail_started) {
		pthread_mutex_lock(&n->lock);
		n->stopping = 1;
		if (n->mail_sock != CURL_SOCKET_BAD)
			shutdown(n->mail_sock, SHUT_RDWR);
		pthread_cond_broadcast(&n->wake);
		pthread_mutex_unlock(&n->lock);
		pthread_join(n->mail_thread, NULL);
		notify_mail_done_cb(-1, 0, n);	/* finished, or aborted */
	}
	while ((r = n->todo) != NULL) {		/* never started */
		n->todo = r->next;
		notify_finish(r, CURLE_ABORTED_BY_CALLBACK);
	}
	while ((r = n->reqs) != NULL) {
		memset(&res, 0, sizeof res);
		snprintf(res.error, sizeof res.error, "tipgwd stopped");
		res.stopped = 1;
		r->done(&res, r->arg);
		notify_req_free(r);
	}
	curl_multi_cleanup(n->multi);
	event_free(n->timer);
	event_free(n->mail_ev);
	pthread_mutex_destroy(&n->lock);
	pthread_cond_destroy(&n->wake);
	notify_copy_options(n, &(struct notify_options){ 0 });
	free(n);
}
