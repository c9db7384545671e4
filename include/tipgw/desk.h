/*
 * The coordinator's desk: the /api/v1 routes (desk.c), behind a bearer
 * token, each change one transition of the tip's lifecycle.
 */
#ifndef TIPGW_DESK_H
#define TIPGW_DESK_H

struct api_request;
struct desk;
struct ingest;
struct store;
struct templates;
struct workday_cal;

struct desk	*desk_new(struct store *, struct ingest *);
void		 desk_set_clock(struct desk *, struct workday_cal *,
		    unsigned int ack_days, unsigned int verify_days);
void		 desk_set_campaign(struct desk *, const char *rules_file,
		    const char *rules, const struct templates *,
		    int say_amount);
void		 desk_free(struct desk *);
int		 desk_handle(struct desk *, const struct api_request *,
		    char **body);

#endif
