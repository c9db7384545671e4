/*
 * Understanding one message (pure: no I/O, no clock): normalised text in,
 * what it is out: a tip with its fields, a command, or not a tip.
 */
#ifndef TIPGW_PARSE_H
#define TIPGW_PARSE_H

#include <stddef.h>
#include <time.h>

struct gazetteer;
struct gaz_mention;
struct lexicon;

enum parse_what {
	PARSE_TIP,
	PARSE_NONTIP,
	PARSE_COMMAND,
};

enum parse_command {
	CMD_NONE,
	CMD_QUERY,		/* 查询 <code> <PIN>, CX ... */
	CMD_OPTOUT,		/* 退订, TD, STOP */
	CMD_OPTIN,		/* 订阅, 恢复: opted in again */
	CMD_HELP,		/* 帮助, ? */
	CMD_OFFICE_ACK,		/* 收到 <code> (duty phones only) */
	CMD_OFFICE_DONE,	/* 办结 <code> <text> */
	CMD_OFFICE_RETURN,	/* 退回 <code> <reason> */
	CMD_OFFICE_FILE,	/* 立案 <code>: a case is opened */
	CMD_CLAIM,		/* 领奖 <code> <PIN>: a reward claimed */
	CMD_VOTE,		/* 投票 <N>: a poll answered */
};

struct parse_result {
	enum parse_what		 what;
	enum parse_command	 command;
	char			 code[16];	/* commands: the tip code */
	char			 pin[8];	/* CMD_QUERY, CMD_CLAIM */
	int			 vote;		/* CMD_VOTE: 1-9 */
	char			*arg;		/* office commands: the text */
	const char		*nontip;	/* why not a tip */

	const char		*kind;		/* NULL if not told */
	const char		*product;
	const char		*brand;		/* a knock-off brand named */
	const char		*place;		/* shop, market, workshop ... */
	size_t			 place_at;	/* ... the word, in norm */
	size_t			 place_len;
	int			 kind_score;
	int			 kind_second;	/* the next kind's score */
	int			 kind_model;	/* the kind is the model's */
	const char		*kind_words;	/* ... the words' own, or NULL */
	double			 kind_probability;	/* ... its probability */
	const char		*kind_uncertain;	/* a guess not taken */
	int			 product_score;
	int			 product_second;
	int			 expired_by_date;	/* expiry arithmetic */
	int			 vague_place;	/* 县城, 城里 ... */
	int			 refers;	/* 上回说的 ... */
	int			 advert;	/* advertisement marks */
	int			 reports;	/* 举报, 反映: meant as a tip */
#define PARSE_MAX_SELF	4
	size_t			 self[PARSE_MAX_SELF];	/* ends of 我是 ... */
	int			 nself;
	int			 followup_only;	/* only a place, or nothing */

	struct gaz_mention	*places;	/* gazetteer mentions */
	size_t			 nplaces;
};

const char	*parse_command_name(enum parse_command);
void		 parse_message(const struct lexicon *, const struct gazetteer *,
		    const char *norm, time_t received, struct parse_result *);
/* Expired: 1 by arithmetic, 2 a year alone long past; -1 not; 0 unknown */
int		 parse_expiry(const char *norm, time_t received);
double		 parse_confidence(int best, int second);
void		 parse_model(const struct lexicon *, const char *norm,
		    struct parse_result *);
void		 parse_free(struct parse_result *);
void		 parse_command_code(const char *norm, char *code, size_t);

#endif
