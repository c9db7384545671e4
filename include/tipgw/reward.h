/*
 * Reward eligibility (pure, table-driven): rule sets read from a file
 * (contrib/rewards.txt), tried in the order the configuration gives;
 * the first whose scope fits the case's outcome decides the amount. The
 * conditions and exclusions are the 2021 national measures' (国市监稽规
 * 〔2021〕4号 arts. 2-12), which local food-safety rules share; each
 * exclusion is a flag a person confirms, never a guess.
 */
#ifndef TIPGW_REWARD_H
#define TIPGW_REWARD_H

#include <stddef.h>

#define REWARD_LEVELS		3
#define REWARD_MAX_SETS		8

enum reward_scope {
	REWARD_VERIFIED,	/* any verified case */
	REWARD_MAJOR,		/* a major violation only (重大违法行为) */
};

enum reward_basis {
	REWARD_FIXED,		/* fixed amounts by outcome */
	REWARD_PERCENT,		/* a share of fines and confiscations */
};

struct reward_rules {
	char			 name[32];
	char			 source[256];
	enum reward_scope	 scope;
	enum reward_basis	 basis;
	long long		 major_threshold; /* yuan: the province's */
	long long		 verified;	/* REWARD_FIXED: amounts */
	long long		 penalty;
	long long		 police;
	int			 percent[REWARD_LEVELS];	/* REWARD_PERCENT */
	long long		 minimum[REWARD_LEVELS];
	long long		 cap;		/* per case; 0: none */
	int			 insider;	/* multiplier, percent (100) */
	int			 claim_days;	/* working days to claim */
	int			 line;		/* where it began */
};

struct reward_book {
	struct reward_rules	 sets[REWARD_MAX_SETS];
	size_t			 nsets;
};

/* What became of the case (the coordinator records it). */
struct reward_outcome {
	int		 verified;	/* the facts were confirmed */
	int		 specific;	/* a clear target and specific facts */
	int		 known_before;	/* the office knew it already */
	long long	 penalty;	/* yuan fined */
	long long	 confiscated;	/* yuan confiscated */
	int		 police;	/* transferred to the police */
	int		 closed_down;	/* stopped, closed, licence revoked */
	int		 level;		/* 1-3, the evidence; 0: not set (3) */
};

/* The reporter of one tip of the case, as a person confirmed them. */
struct reward_claimant {
	int		 first;		/* the earliest valid tip of the case */
	int		 staff;		/* office staff, or a duty to report */
	int		 brand_owner;	/* the infringed party or its agents */
	int		 violator;
	int		 insider;	/* ... who reported from inside */
	int		 paid;		/* rewarded for it by someone else */
	int		 rewarded;	/* already rewarded for this case */
};

struct reward_decision {
	int		 eligible;
	const char	*why;		/* ineligible: the rule it fails */
	const struct reward_rules *rules; /* eligible: the set applied */
	int		 level;
	long long	 amount;	/* yuan */
};

int	reward_book_parse(struct reward_book *, const char *name,
	    const char *text, char **cause);
int	reward_book_load(struct reward_book *, const char *path,
	    char **cause);
const struct reward_rules *reward_book_find(const struct reward_book *,
	    const char *name);
int	reward_book_select(const struct reward_book *, const char *names,
	    const struct reward_rules **, size_t *, char **cause);
int	reward_major(const struct reward_rules *,
	    const struct reward_outcome *);
void	reward_decide(const struct reward_rules *const *, size_t,
	    const struct reward_outcome *, const struct reward_claimant *,
	    struct reward_decision *);

#endif
