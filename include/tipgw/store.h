/*
 * The ledger: every SQL statement lives in store_sql.c, the schema in
 * store_schema.c. Other modules see only these functions and the types
 * of tipgw.h.
 */
#ifndef TIPGW_STORE_H
#define TIPGW_STORE_H

#include <time.h>

#include "tipgw/alert.h"
#include "tipgw/division.h"
#include "tipgw/outbox_state.h"
#include "tipgw/sms.h"
#include "tipgw/tip_state.h"
#include "tipgw/tipgw.h"

struct store;

#define STORE_READONLY		0x1

struct store_import_counts {
	long long	 townships;
	long long	 villages;
	long long	 townships_total;	/* in the ledger afterwards */
	long long	 villages_total;
};

/* A change to an office; NULL fields are left as they are. */
struct store_office_change {
	const char	 *new_name;
	const char	 *webhook_url;	/* "" clears */
	const char	 *email;	/* "" clears */
	const char	 *webhook_format; /* "" clears */
	char		**phones;	/* replaces the set if set_phones */
	size_t		  nphones;
	int		  set_phones;
	char		**townships;	/* replaces the set if set_townships */
	size_t		  ntownships;
	int		  set_townships;
};

/* A received message as the ledger keeps it; parts give their keys. */
struct store_raw {
	const char		*dedup_key;
	const char		*modem;
	const char		*sender;
	const char		*smsc;
	time_t			 smsc_time;
	time_t			 received_at;
	int			 concat_ref;
	int			 parts_total;
	int			 parts_present;
	const char		*coding;
	const char		*text;
	const char		*raw_hex;
	int			 flags;
	const char		*disposition;	/* tip, service, empty, ... */
	const char		*user;		/* entered by this API user */
	int			 nparts;
	const struct sms_part	*parts;
};

/* A message waiting in the outbox. */
struct store_outbox_item {
	long long		 id;
	char			*dedup_key;
	enum outbox_intent	 intent;
	enum outbox_state	 state;
	char			*channel;
	char			*destination;
	char			*body;
	int			 attempts;	/* this one included, if taken */
	time_t			 created_at;
	int			 opted_out;	/* its number, since queued */
	int			 resends;	/* sent again after a crash */
};

/* A message to queue. */
struct store_outbox_new {
	const char		*dedup_key;	/* unique: never queued twice */
	enum outbox_intent	 intent;
	const char		*channel;	/* sms, webhook, email */
	const char		*destination;
	const char		*body;
	long long		 tip_id;	/* 0: none */
	time_t			 at;
};

/* An outbox row's change of state (outbox_state.h). */
struct store_outbox_change {
	long long		 id;
	enum outbox_state	 from;		/* the state it was read in */
	enum outbox_event	 event;
	const char		*actor;
	const char		*error;		/* kept as last_error */
	const char		*note;		/* for the log line only */
	time_t			 next_at;	/* the next attempt, a hold */
	time_t			 at;
	int			 warn;		/* log it as a warning */
};

/* What a modem sent for an outbox row. */
struct store_sms_sent {
	const char	*modem;
	const char	*recipient;
	int		 reference;	/* the last part's */
	int		 parts;
	int		 reports;	/* delivery reports asked for */
	const int	*references;	/* each part's */
	int		 nreferences;
};

/* The reporter's latest tip, for the conversation (NULL strings if none). */
struct store_prior {
	long long	 tip_id;
	char		*code;
	char		*text;
	enum tip_state	 state;
	char		*township_code;
	char		*kind;
	char		*product;
	char		*village_code;
	char		*candidates;	/* township codes asked about */
	char		*kinds;		/* every kind it named */
	char		*products;
	char		*pin_hash;	/* NULL: not acknowledged yet */
	time_t		 last_message_at;
	long long	 version;	/* one more on every change */
	int		 questions;
	int		 opted_out;
};

/* An outbound message decided with a received message. */
struct store_reply {
	enum outbox_intent intent;
	const char	*dedup_key;
	const char	*body;
	const char	*destination;	/* NULL: the sender */
	const char	*channel;	/* NULL: sms */
};

#define STORE_MAX_REPLIES	16
#define STORE_UPDATE_ALERT_GAP	3600	/* s between a tip's update alerts */
#define STORE_DEAD_LETTER_GAP	3600	/* s between dead letter notices */
#define STORE_MAX_AUDIT		2

/* What understanding made of a received message, for store_intake_full. */
struct store_understood {
	long long		 tip_id;	/* continues this tip; 0: new */
	long long		 version;	/* ... read at this version */
	enum tip_state		 from;		/* ... and in this state */
	enum tip_event		 event;		/* what the message does */
	const char		*route;
	const char		*brand;
	const char		*place;
	const char		*shop;		/* the place's word */
	int			 partial;	/* parts of its text missing */
	const char		*kinds;		/* all it named, first first */
	const char		*products;
	const char		*candidates;
	const char		*pin_hash;	/* the PIN just told */
	int			 questions;
	const char		*reason;	/* not a tip, or a command */
	const char		*review;	/* a new tip's kind unsure: the
						 * coordinator is told why */
	int			 optout;	/* 退订 */
	int			 optin;		/* 订阅, 恢复 */
	long long		 office_tip;	/* an office's reply moves it */
	const char		*office_code;
	enum tip_state		 office_from;
	enum tip_event		 office_event;
	const char		*office_detail;	/* the result, the reason */
	long long		 office_id;	/* ... the replying office */
	long long		 link_tip;	/* a repeat of this tip */
	long long		 claim_reward;	/* 领奖: this reward claimed */
	int			 claim_from;	/* ... read in this state */
	long long		 claim_tip;	/* ... of this tip */
	long long		 vote_poll;	/* 投票 N: in this poll */
	int			 vote_option;
	struct {
		const char	*action;
		const char	*detail;
	}			 audit[STORE_MAX_AUDIT];	/* limits */
	int			 naudit;
	struct store_reply	 replies[STORE_MAX_REPLIES];
	int			 nreplies;
};

/* A tip found by its code (status queries, office replies). */
struct store_tip_status {
	long long	 id;
	char		*code;
	char		*pin_hash;
	enum tip_state	 state;
	char		*township;
	long long	 office_id;
	long long	 reward_id;	/* its reward; 0: none */
	int		 reward_state;	/* enum reward_state */
};

/*
 * What the conversation needs of the ledger for one message, read once
 * as plain values: the reporter's latest tip, the tip a command names,
 * whether the sender is a duty phone, the sender's counts, and which
 * townships have an office.
 */
struct store_intake_ctx {
	struct store_prior	 prior;
	struct store_tip_status	 named;		/* id 0: none */
	long long		 sender_office;	/* 0: not a duty phone */
	int			 replies_today;	/* SMS queued to it */
	int			 wrong_queries;	/* refused status queries */
	int			 tips_hour;	/* new tips in the last hour */
	int			 floods_hour;	/* messages held as a flood */
	int			 howto_today;	/* how-to SMS to it */
	char			**office_townships;	/* sorted codes */
	size_t			 noffice_townships;
	/* A late part: the tip its group's earlier parts made. */
	struct store_prior	 sibling;	/* tip_id 0: none */
	char			**sibling_texts;	/* by part, NULL: missing */
	int			 sibling_total;
	long long		 poll_id;	/* the open poll; 0: none */
	int			 poll_options;
	int			 poll_voted;	/* the sender voted in it */
};

/* What the plan of one message (or call) needs read, and for whom. */
struct store_intake_want {
	const char	*sender;
	const char	*code;		/* the tip a command names; NULL */
	int		 concat_ref;	/* a partial message's group */
	int		 parts_total;	/* 0: not a partial message */
	int		 hour_counts;	/* tips, floods this hour */
	int		 replies;	/* SMS to it today */
	int		 queries;	/* refused status queries today */
	int		 howto;		/* how-to SMS today */
	time_t		 now;
};

/* The office of a township, with its duty phones, webhook and e-mail. */
struct store_office_duty {
	long long	 id;
	char		*name;
	char		*phones[8];
	int		 nphones;
	char		*webhook_url;
	char		*webhook_format;	/* NULL: from the URL */
	char		*email;
};

/* An outbox row as tipgwctl lists it. */
struct store_outbox_row {
	long long	 id;
	const char	*dedup_key;
	const char	*intent;
	const char	*channel;
	const char	*destination;
	const char	*state;
	int		 attempts;
	time_t		 next_attempt_at;
	const char	*last_error;
	time_t		 created_at;
	time_t		 sent_at;	/* 0 if not sent */
	long long	 tip_id;
};

/* A tip an office still has to act on, with its clock. */
struct store_open_tip {
	long long	 id;
	char		*code;
	char		*state;
	time_t		 clock_from;
	char		*township_code;
	char		*township;
	char		*office;
	int		 extended;
	int		 paused_days;
	char		*paused_from;	/* YYYY-MM-DD, NULL: running */
	time_t		 filed_at;	/* 立案; 0: not filed */
};

/* A tip's change of state, as the lifecycle asks for it (tip_state.h). */
struct store_tip_change {
	long long	 tip_id;	/* set by store_tip_change */
	const char	*code;
	enum tip_state	 from;		/* the state it was read in */
	enum tip_event	 event;
	const char	*actor;
	const char	*detail;	/* a result, a reason, a note */
	const char	*approver;	/* TIP_EV_EXTEND */
	const char	*pause_day;	/* TIP_EV_PAUSE: YYYY-MM-DD */
	int		 paused_days;	/* TIP_EV_RESUME */
	time_t		 at;
	const char	*pin_hash;	/* of a new PIN, if it has none */
	const struct store_reply *to_reporter;	/* queued with it */
	const char	*created_by;	/* a new tip: the API user, NULL */
};

/* A pending alert with its tip and (for an office) its channels. */
struct store_alert {
	struct alert_view	 view;
	struct alert_owner	 owner;		/* office_id 0: coordinator */
	int			 coordinator;
	char			*strings[32];	/* owned */
	int			 nstrings;
};

/* A call to the hotline SIM not yet called back. */
struct store_call {
	long long	 id;
	const char	*modem;
	const char	*caller;
	time_t		 at;
	int		 hung_up;
};

/* A message of a tip's conversation, as tip show lists it. */
struct store_message {
	long long	 id;
	time_t		 received_at;
	int		 parts_present;
	int		 parts_total;
	const char	*disposition;
	const char	*reason;
	const char	*text;
};

/* An audit event. */
struct store_event {
	time_t		 at;
	const char	*action;
	const char	*actor;
	const char	*detail;
};

typedef int (*store_message_cb)(const struct store_message *, void *);
typedef int (*store_event_cb)(const struct store_event *, void *);
typedef int (*store_call_cb)(const struct store_call *, void *);
typedef int (*store_outbox_cb)(const struct store_outbox_row *, void *);
typedef int (*store_tip_cb)(const struct tip *, void *);
typedef int (*store_office_cb)(const struct office *, void *);
typedef int (*store_township_cb)(const struct township *, void *);

struct store	*store_open(const char *path, int flags, char **cause);
/* store_check.c: a backup while tipgwd runs; the ledger checked. */
struct store_check_counts {
	long long	 tips, messages, outbox;
	long long	 events, unchained;	/* unchained: from before it */
	char		 head[65];		/* the last event's hash */
};
typedef void (*store_check_cb)(const char *problem, void *);
int		 store_backup(struct store *, const char *path,
		    void (*)(int, int, void *), void *, char **cause);
int		 store_check(struct store *, store_check_cb, void *,
		    struct store_check_counts *, char **cause);
void		 store_close(struct store *);
int		 store_schema_version(struct store *);
int		 store_ping(struct store *, char **cause);
int		 store_batch_begin(struct store *, char **cause);
int		 store_batch_end(struct store *, int commit, char **cause);
void		 store_log_committed(struct store *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/*
 * One number for /metrics: a metric (tips, messages_received, outbox,
 * sms_sent, sms_parts_sent), up to two label values, and the count.
 */
typedef void	(*store_metric_cb)(const char *metric, const char *l1,
		    const char *l2, long long value, void *arg);
int		 store_metrics(struct store *, store_metric_cb, void *,
		    char **cause);

/* A person who uses the API; an office's user sees its townships only. */
struct store_user {
	long long	 id;
	char		*name;
	char		*role;		/* admin, coordinator, office, hotline */
	char		*townships;	/* comma-separated; NULL: none */
	time_t		 created_at;
	time_t		 revoked_at;	/* 0: the token works */
};

typedef int	(*store_user_cb)(const struct store_user *, void *);

int		 store_user_add(struct store *, const char *name,
		    const char *role, const char *token_hash,
		    char *const *townships, size_t ntownships, time_t,
		    const char *actor, char **cause);
int		 store_user_revoke(struct store *, const char *name, time_t,
		    const char *actor, char **cause);
int		 store_users_foreach(struct store *, store_user_cb, void *,
		    char **cause);
int		 store_user_by_token(struct store *, const char *token_hash,
		    struct store_user *, char **cause);
void		 store_user_clear(struct store_user *);
int		 store_write_check(struct store *, time_t, int *busy,
		    char **cause);
int		 store_busy(struct store *);
const char	*store_write_error(struct store *);
void		 store_set_busy_timeout(struct store *, int ms);
void		 store_set_write_quiet(struct store *, unsigned int);
int		 store_retention(struct store *, time_t cutoff, time_t now,
		    int *tips, int *rows, char **cause);
struct holidays_notice;
typedef void	(*store_holiday_cb)(int year, long day, int holiday, void *);
int		 store_holidays_import(struct store *,
		    const struct holidays_notice *, time_t, const char *actor,
		    const char *source, char **cause);
int		 store_holidays_foreach(struct store *, store_holiday_cb,
		    void *, char **cause);
int		 store_holidays_stamp(struct store *, long long *, char **cause);
int		 store_events_between(struct store *, const char *action,
		    const char *detail, time_t since, time_t until,
		    long long *n, char **cause);
int		 store_event_add(struct store *, time_t, const char *actor,
		    const char *action, long long tip_id, const char *detail,
		    char **cause);
int		 store_gazetteer_import(struct store *, const struct division *,
		    time_t, const char *actor, struct store_import_counts *,
		    char **cause);
int		 store_township_foreach(struct store *, store_township_cb,
		    void *, char **cause);
int		 store_office_add(struct store *, const struct office *,
		    time_t, const char *actor, long long *id, char **cause);
int		 store_office_set(struct store *, const char *name,
		    const struct store_office_change *, time_t,
		    const char *actor, char **cause);
int		 store_office_foreach(struct store *, store_office_cb, void *,
		    char **cause);
int		 store_tip_insert(struct store *, struct tip *,
		    const char *reporter_phone, char **cause);
int		 store_tip_foreach(struct store *, const struct tip_filter *,
		    store_tip_cb, void *, char **cause);
/* The desk's queue (store_desk.c): filters, NULL and 0 for none. */
struct tip_query {
	const char	*code;
	const char	*state;
	const char	*township;
	const char	*kind;
	const char	*product;
	const char	*text;		/* anywhere in the tip's text */
	time_t		 since;
	time_t		 until;
	long long	 before;	/* the cursor: ids below this */
	int		 limit;
};
/* What a user may see: an office's townships, a hotline user's tips. */
struct tip_scope {
	int		 townships_only;
	char *const	*townships;
	size_t		 ntownships;
	const char	*created_by;	/* NULL: anyone's */
};
int		 store_tip_query(struct store *, const struct tip_query *,
		    const struct tip_scope *, store_tip_cb, void *, int *more,
		    char **cause);
int		 store_tip_counts(struct store *, const struct tip_scope *,
		    const char *by, store_metric_cb, void *, char **cause);
int		 store_tip_reveal(struct store *, const char *code,
		    const char *reason, time_t, const char *actor,
		    char **phone, char **cause);
/* A case as listed (store_cases.c); -1: not recorded. */
struct store_case {
	long long	 id;
	const char	*state;
	time_t		 created_at;
	time_t		 updated_at;
	long long	 verified;
	long long	 specific;
	long long	 known_before;
	const char	*finding;
	const char	*measure;
	const char	*deadline;	/* YYYY-MM-DD, 整改时限 */
	const char	*responsible;	/* 责任人 */
	long long	 penalty;	/* yuan */
	long long	 confiscated;
	long long	 closed_down;
	long long	 level;
	const char	*referral;	/* 公安, 农业农村 ... */
	time_t		 referral_at;
	const char	*followup;	/* YYYY-MM-DD, 回头看 */
	long long	 ntips;
};
/* What a case's outcome says; NULL and -1: left as it is. */
struct store_case_outcome {
	long long	 verified;
	long long	 specific;
	long long	 known_before;
	const char	*finding;
	const char	*measure;
	const char	*deadline;
	const char	*responsible;
	long long	 penalty;
	long long	 confiscated;
	long long	 closed_down;
	long long	 level;
	const char	*referral;
	const char	*followup;
};
/* A tip of a case. */
struct store_case_tip {
	long long	 id;
	const char	*code;
	time_t		 received_at;
	const char	*channel;
	const char	*state;
	const char	*township_code;
	const char	*township;
	const char	*village_code;
	const char	*village;
	const char	*shop;
	const char	*kind;
	const char	*product;
	const char	*text;
};
typedef int (*store_case_cb)(const struct store_case *, void *);
typedef int (*store_case_tip_cb)(const struct store_case_tip *, void *);
int		 store_case_propose(struct store *, unsigned int window,
		    time_t, const char *actor, int *proposed, int *joined,
		    char **cause);
int		 store_case_open(struct store *, char *const *codes, size_t,
		    time_t, const char *actor, long long *id, char **cause);
int		 store_case_confirm(struct store *, long long, time_t,
		    const char *actor, char **cause);
int		 store_case_close(struct store *, long long, time_t,
		    const char *actor, char **cause);
int		 store_case_split(struct store *, long long, const char *code,
		    time_t, const char *actor, char **cause);
int		 store_case_outcome(struct store *, long long,
		    const struct store_case_outcome *, time_t,
		    const char *actor, char **cause);
int		 store_cases_foreach(struct store *, const char *state,
		    long long id, store_case_cb, void *, char **cause);
int		 store_case_tips(struct store *, long long, store_case_tip_cb,
		    void *, char **cause);
/* A reward as the ledger keeps it, with what deciding it needs. */
struct store_reward {
	long long	 id;
	long long	 case_id;
	long long	 tip_id;
	const char	*code;		/* the tip's */
	const char	*state;
	const char	*rule_set;	/* NULL: not decided */
	long long	 level;		/* -1: none */
	long long	 amount;	/* yuan; -1: none */
	const char	*why;		/* ineligible: the rule */
	int		 staff, brand_owner, violator, insider, paid_by_other;
	long long	 claim_days;	/* -1: none */
	time_t		 created_at;
	time_t		 updated_at;
	time_t		 received_at;	/* the tip's */
	int		 earlier_tips;	/* of the case, received before */
	int		 earlier_own;	/* ... from the same reporter */
};
/* A reward's change of state (reward_state.h). */
struct store_reward_change {
	long long	 id;
	int		 from;		/* enum reward_state, as read */
	int		 event;		/* enum reward_event */
	int		 decided;	/* set rule_set ... claim_days */
					/* amount >= 0 alone: set it */
	const char	*rule_set;
	long long	 level;
	long long	 amount;
	const char	*why;
	long long	 claim_days;
	const char	*note;		/* for the audit: a reason */
	time_t		 at;
	const char	*actor;
};
typedef int (*store_reward_cb)(const struct store_reward *, void *);
int		 store_rewards_open(struct store *, long long case_id, time_t,
		    const char *actor, int *opened, char **cause);
int		 store_rewards_foreach(struct store *, const char *state,
		    long long case_id, long long id, store_reward_cb, void *,
		    char **cause);
int		 store_reward_change(struct store *,
		    const struct store_reward_change *, char **cause);
int		 store_reward_notify(struct store *, long long id,
		    const char *body, time_t, const char *actor, int *sent,
		    char **cause);
int		 store_reward_flags(struct store *, long long id,
		    const int flags[5], time_t, const char *actor,
		    char **cause);
int		 store_tip_set_order(struct store *, const char *code,
		    const char *order, time_t, const char *actor,
		    char **cause);
/* A tip of a report's period (store_desk.c). */
struct store_report_tip {
	const char	*township_code;
	const char	*township;
	const char	*kind;
	const char	*product;
	time_t		 received_at;
	time_t		 acked_at;	/* the office's first answer; 0 */
	int		 routed;	/* reached an office, ever */
	long long	 case_id;	/* a decided or closed case; 0 */
	int		 verified;
	long long	 penalty;	/* -1: none */
	long long	 confiscated;
	int		 referred;
	const char	*reward_state;	/* NULL: no reward */
	long long	 reward_amount;
};
typedef int (*store_report_cb)(const struct store_report_tip *, void *);
int		 store_report_tips(struct store *, time_t since, time_t until,
		    store_report_cb, void *, char **cause);
/* A poll of 你点我检 with its votes (store_broadcast.c). */
#define STORE_POLL_MAX_OPTIONS	9
struct store_poll {
	long long	 id;
	const char	*question;
	const char	*options;	/* joined by '|' */
	int		 noptions;
	const char	*state;		/* open, closed */
	time_t		 created_at;
	long long	 votes;
	long long	 counts[STORE_POLL_MAX_OPTIONS];
};
typedef int (*store_poll_cb)(const struct store_poll *, void *);
int		 store_broadcast(struct store *, const char *text,
		    char *const *codes, size_t, long long poll_id, time_t,
		    const char *actor, long long *id, int *recipients,
		    char **cause);
int		 store_poll_open(struct store *, const char *question,
		    const char *options, int noptions, time_t,
		    const char *actor, long long *id, char **cause);
int		 store_poll_close(struct store *, long long, time_t,
		    const char *actor, char **cause);
int		 store_polls_foreach(struct store *, long long id,
		    store_poll_cb, void *, char **cause);
int		 store_poll_context(struct store *, const char *sender,
		    long long *poll, int *noptions, int *voted, char **cause);
int		 store_poll_vote(struct store *, long long poll, int option,
		    const char *sender, time_t, char **cause);
int		 store_tip_messages(struct store *, long long tip,
		    store_message_cb, void *, char **cause);
int		 store_tip_history(struct store *, long long tip,
		    store_event_cb, void *, char **cause);
int		 store_parts_known(struct store *, const char *const *keys,
		    int n, int *known, char **cause);
int		 store_intake(struct store *, const struct store_raw *,
		    struct tip *, long long *raw_id, char **cause);
int		 store_intake_full(struct store *, const struct store_raw *,
		    struct tip *, const struct store_understood *,
		    long long *raw_id, int *stored, char **cause);
int		 store_reporter_prior(struct store *, const char *phone,
		    struct store_prior *, char **cause);
void		 store_prior_clear(struct store_prior *);
int		 store_tip_status(struct store *, const char *code,
		    struct store_tip_status *, char **cause);
void		 store_tip_status_clear(struct store_tip_status *);
int		 store_office_duty(struct store *, const char *township,
		    struct store_office_duty *, char **cause);
void		 store_office_duty_clear(struct store_office_duty *);
int		 store_phone_office(struct store *, const char *phone,
		    long long *office_id, char **cause);
int		 store_division_load(struct store *, struct division *,
		    char **cause);
int		 store_call_add(struct store *, const char *modem,
		    const char *caller, time_t at, int hung_up,
		    const struct store_understood *, long long *id,
		    char **cause);
int		 store_delivery_report(struct store *, const char *modem,
		    const char *recipient, int reference, time_t at,
		    int delivered, int status, long long *sent_id,
		    char **cause);
int		 store_outbox_queue(struct store *,
		    const struct store_outbox_new *, long long *id,
		    char **cause);
int		 store_outbox_transition(struct store *,
		    const struct store_outbox_change *, char **cause);
int		 store_outbox_sent(struct store *,
		    const struct store_outbox_change *,
		    const struct store_sms_sent *, char **cause);
int		 store_outbox_interrupted(struct store *, time_t now,
		    int *resent, int *confirmed, char **cause);
int		 store_outbox_count_intent(struct store *, const char *to,
		    time_t since, enum outbox_intent, int *count,
		    char **cause);
int		 store_outbox_due(struct store *, const char *channel,
		    time_t now, int limit, struct store_outbox_item **rows,
		    int *n, char **cause);
int		 store_outbox_counts(struct store *, long long counts[4],
		    char **cause);
int		 store_sms_parts_since(struct store *, time_t since,
		    long long *parts, char **cause);
int		 store_sms_parts_to_reporters(struct store *, time_t since,
		    long long *reporters, long long *all, char **cause);
void		 store_outbox_items_free(struct store_outbox_item *, int n);
int		 store_outbox_foreach(struct store *, const char *state,
		    store_outbox_cb, void *, char **cause);
int		 store_outbox_count_to(struct store *, const char *, time_t,
		    int *, char **cause);
int		 store_outbox_retry(struct store *, long long id, time_t,
		    const char *actor, char **cause);
int		 store_sender_count(struct store *, const char *sender,
		    time_t since, const char *disposition, const char *reason,
		    int *count, char **cause);
int		 store_calls_open(struct store *, long long id,
		    store_call_cb, void *, char **cause);
int		 store_call_done(struct store *, long long id, const char *note,
		    time_t, const char *actor, char **cause);
int		 store_open_tips(struct store *, struct store_open_tip **,
		    int *n, char **cause);
void		 store_open_tips_free(struct store_open_tip *, int n);
int		 store_tip_change(struct store *, struct store_tip_change *,
		    char **cause);
int		 store_tip_route(struct store *, struct store_tip_change *,
		    const char *township, char **cause);
int		 store_tips_unanswered(struct store *, time_t before,
		    char ***codes, int *n, char **cause);
typedef void (*store_pin_hash_cb)(void *, const char *code, const char *pin,
		    char *hash, size_t);
int		 store_tip_hash_pins(struct store *, store_pin_hash_cb,
		    void *, int *n, char **cause);

int		 store_alert_fault(struct store *, const char *reason,
		    const char *key, const char *detail, time_t,
		    time_t gap, int *added, char **cause);
int		 store_alerts_pending(struct store *, int limit,
		    struct store_alert **, int *n, char **cause);
void		 store_alerts_free(struct store_alert *, int n);
int		 store_alert_expand(struct store *,
		    const struct store_alert *, const struct alert_msg *,
		    int n, time_t, char **cause);

int		 store_intake_context(struct store *,
		    const struct store_intake_want *, struct store_intake_ctx *,
		    char **cause);
void		 store_intake_context_clear(struct store_intake_ctx *);

#endif
