/*
 * Domain types shared by the daemon, tipgwctl and their modules: tips and
 * township offices. Each module's functions live in its own header.
 */
#ifndef TIPGW_TIPGW_H
#define TIPGW_TIPGW_H

#include <stddef.h>
#include <time.h>

#define TIPGW_PHONE_MAX		32	/* +8613812345678 and room to spare */

/* A tip as the ledger holds it. The reporter's number is not part of it. */
struct tip {
	long long	 id;
	char		*code;		/* public code, NULL until assigned */
	char		*channel;	/* sms, hotline, web, import */
	long long	 raw_message_id; /* 0 if none */
	time_t		 received_at;
	char		*text;
	char		*state;
	char		*kind;
	char		*product;
	char		*township_code;
	char		*village_code;
	char		*office_name;
	/* As the ledger lists it (tipgwctl tips, tip show); never the PIN. */
	char		*township;	/* names */
	char		*village;
	char		*brand;
	char		*place;		/* shop, market ... */
	char		*shop;		/* 小卖部, as written */
	char		*route;
	char		*candidates;
	int		 questions;
	time_t		 last_message_at;
	time_t		 updated_at;
	time_t		 clock_from;
	time_t		 filed_at;
	time_t		 closed_at;
	char		*result;
	char		*extended_by;
	char		*extension_reason;
	char		*paused_from;
	int		 paused_days;
	char		*kinds;		/* every kind its messages named */
	char		*products;
	char		*order_12315;	/* its 12315 work order, NULL */
};

/* Which tips to list; NULL and 0 are no restriction. */
struct tip_filter {
	const char	*state;
	const char	*township;	/* 9 digits */
	const char	*code;
	time_t		 since;		/* received at or after */
	time_t		 until;		/* received before */
};

/* A township office (市场监管所) and how to reach it. */
struct office {
	long long	 id;
	char		*name;
	char		*webhook_url;	/* NULL if none */
	char		*webhook_format; /* generic, wecom, dingtalk; NULL */
	char		*email;		/* NULL if none */
	char		**phones;	/* duty phones */
	size_t		 nphones;
	char		**townships;	/* 9-digit codes it covers */
	size_t		 ntownships;
};

/* A township (乡镇/街道) of the gazetteer, with its office if assigned. */
struct township {
	char		*code;		/* 9 digits */
	char		*name;
	long long	 nvillages;
	char		*office_name;	/* NULL if unassigned */
};

void	tip_clear(struct tip *);
void	office_clear(struct office *);
#define TIPGW_NAME_MAX	64	/* characters in an office name */

int	tipgw_phone_valid(const char *);
int	tipgw_name_valid(const char *);
void	tipgw_phone_national(const char *, char *, size_t);
int	tipgw_email_valid(const char *);
int	tipgw_url_valid(const char *);
char	*tipgw_time_format(time_t, char *, size_t);
char	*tipgw_utf8_sanitize(const char *);
const char *tipgw_datadir(void);

#endif
