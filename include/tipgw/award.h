/*
 * Awarding (award.c): a case's rewards decided by the rule sets, from
 * the ledger's outcome and reporters, and kept by the ledger: the one
 * place that chains store_rewards.c and reward.c.
 */
#ifndef TIPGW_AWARD_H
#define TIPGW_AWARD_H

#include <stddef.h>
#include <time.h>

struct reward_rules;
struct store;
struct templates;

int	award_case(struct store *, const struct reward_rules *const *,
	    size_t, long long case_id, time_t, const char *actor,
	    int *decided, char **cause);
int	award_notify(struct store *, const struct templates *, int say_amount,
	    long long id, time_t, const char *actor, int *sent, char **cause);

#endif
