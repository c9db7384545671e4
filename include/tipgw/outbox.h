/*
 * The outbox: every outbound message is a ledger row; this module takes
 * the due ones and hands them to a channel, recording what happened.
 * For now the channel is SMS through the modems.
 */
#ifndef TIPGW_OUTBOX_H
#define TIPGW_OUTBOX_H

#include <stddef.h>

struct event_base;
struct modem;
struct outbox;
struct store;

#define OUTBOX_MAX_ATTEMPTS	8

struct outbox	*outbox_new(struct event_base *, struct store *,
		    struct modem **, size_t nmodems, int delivery_reports);
void		 outbox_set_reports(struct outbox *, int);
void		 outbox_free(struct outbox *);

#endif
