/*
 * The outbox's SMS channel: every two seconds, take the SMS that are due
 * (marked "sending" as they are taken), hand each to a ready modem, and
 * record the result: sent with its reference, or failed with a retry time
 * that doubles per attempt, or dead after OUTBOX_MAX_ATTEMPTS.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "tipgw/log.h"
#include "tipgw/modem.h"
#include "tipgw/outbox.h"
#include "tipgw/store.h"
#include "tipgw/xmalloc.h"

#define OUTBOX_TICK_SECONDS	2
#define OUTBOX_MAX_INFLIGHT	4
#define OUTBOX_RETRY_MAX	3600

struct outbox {
	struct store	 *store;
	struct modem	**modems;
	size_t		  nmodems;
	size_t		  next;		/* round robin */
	struct event	 *timer;
	int		  reports;
	int		  inflight;
};

struct outbox_send {
	struct outbox	*ob;
	long long	 id;
	int		 attempts;
	char		*modem;
	char		*recipient;
};

static struct modem *
outbox_ready_modem(struct outbox *ob)
{
	struct modem_status	 st;
	size_t			 i, k;

	for (i = 0; i < ob->nmodems; i++) {
		k = (ob->next + i) % ob->nmodems;
		modem_status(ob->modems[k], &st);
		if (st.state == MODEM_READY) {
			ob->next = k + 1;
			return (ob->modems[k]);
		}
	}
	return (NULL);
}

static void
outbox_sent(struct outbox_send *send, const struct modem_send_result *r)
{
	struct outbox	*ob = send->ob;
	char		*cause = NULL;

	if (store_outbox_sent(ob->store, send->id, send->modem,
	    send->recipient, r->reference, r->parts, ob->reports, time(NULL),
	    &cause) != 0) {
		log_warnx("outbox=%lld sent, but not recorded: %s", send->id,
		    cause);
		free(cause);
		return;
	}
	log_info("outbox=%lld channel=sms modem=%s parts=%d reference=%d "
	    "state=sending->sent", send->id, send->modem, r->parts,
	    r->reference);
}

static void
outbox_failed(struct outbox_send *send, const struct modem_send_result *r)
{
	struct outbox	*ob = send->ob;
	char		*cause = NULL;
	time_t		 delay;
	int		 dead = send->attempts >= OUTBOX_MAX_ATTEMPTS;

	delay = (time_t)60 << (send->attempts > 6 ? 6 : send->attempts - 1);
	if (delay > OUTBOX_RETRY_MAX)
		delay = OUTBOX_RETRY_MAX;
	if (store_outbox_failed(ob->store, send->id, r->error, dead,
	    time(NULL) + delay, &cause) != 0) {
		log_warnx("outbox=%lld failure not recorded: %s", send->id,
		    cause);
		free(cause);
		return;
	}
	log_warnx("outbox=%lld channel=sms modem=%s attempt=%d "
	    "state=sending->%s error=\"%s\"%s", send->id, send->modem,
	    send->attempts, dead ? "dead" : "failed", r->error,
	    dead ? "" : "; will retry");
}

static void
outbox_done_cb(const struct modem_send_result *r, void *arg)
{
	struct outbox_send	*send = arg;

	send->ob->inflight--;
	if (r->ok)
		outbox_sent(send, r);
	else
		outbox_failed(send, r);
	free(send->modem);
	free(send->recipient);
	free(send);
}

static void
outbox_tick_cb(evutil_socket_t fd, short events, void *arg)
{
	struct outbox		*ob = arg;
	struct store_outbox_sms	*rows;
	struct outbox_send	*send;
	struct modem		*m;
	char			*cause = NULL;
	int			 i, n;

	if (ob->inflight >= OUTBOX_MAX_INFLIGHT || ob->nmodems == 0 ||
	    (m = outbox_ready_modem(ob)) == NULL)
		return;
	if (store_outbox_due_sms(ob->store, time(NULL),
	    OUTBOX_MAX_INFLIGHT - ob->inflight, &rows, &n, &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && (m = outbox_ready_modem(ob)) == NULL)
			m = ob->modems[0];
		send = xcalloc(1, sizeof *send);
		send->ob = ob;
		send->id = rows[i].id;
		send->attempts = rows[i].attempts + 1;
		send->modem = xstrdup(modem_name(m));
		send->recipient = xstrdup(rows[i].destination);
		ob->inflight++;
		modem_send(m, rows[i].destination, rows[i].body,
		    outbox_done_cb, send);
	}
	store_outbox_sms_free(rows, n);
}

/* Start sending the ledger's queued SMS through the modems. */
struct outbox *
outbox_new(struct event_base *base, struct store *st, struct modem **modems,
    size_t nmodems, int delivery_reports)
{
	struct outbox	*ob = xcalloc(1, sizeof *ob);
	struct timeval	 tick = { OUTBOX_TICK_SECONDS, 0 };
	char		*cause = NULL;
	int		 interrupted = 0;

	ob->store = st;
	ob->modems = modems;
	ob->nmodems = nmodems;
	ob->reports = delivery_reports;
	if (store_outbox_interrupted(st, &interrupted, &cause) != 0)
		fatalx("outbox: %s", cause);
	if (interrupted > 0)
		log_warnx("outbox: %d message(s) were being sent when tipgwd "
		    "stopped; marked failed, not sent again automatically",
		    interrupted);
	ob->timer = event_new(base, -1, EV_PERSIST, outbox_tick_cb, ob);
	if (ob->timer == NULL || event_add(ob->timer, &tick) != 0)
		fatalx("outbox: cannot start the timer");
	return (ob);
}

/* Request delivery reports for what is sent from now on, or not. */
void
outbox_set_reports(struct outbox *ob, int reports)
{
	ob->reports = reports;
}

/* Stop the timer; sends in flight end with their modems. */
void
outbox_free(struct outbox *ob)
{
	if (ob == NULL)
		return;
	if (ob->timer != NULL)
		event_free(ob->timer);
	free(ob);
}
