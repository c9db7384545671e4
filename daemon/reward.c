/*
 * Reward eligibility (reward.h): the rule sets of a file, and the one
 * decision a case's outcome and a reporter make. Pure: no clock, no
 * ledger; the file is read by reward_book_load only.
 *
 * A rule set:
 *
 *	[national-2021]
 *	source = 国市监稽规〔2021〕4号
 *	scope = major			(verified: any verified case)
 *	basis = percent			(fixed: amounts by outcome)
 *	major_threshold = 100000	(yuan: the province's 较大数额)
 *	level1 = 5% 5000		(percent of fines and confiscations,
 *	level2 = 3% 3000		 and the minimum, by evidence level)
 *	level3 = 1% 1000
 *	cap = 1000000
 *	insider = 200%			(an insider's reward, raised)
 *	claim_days = 30			(working days to claim)
 *
 * and for basis = fixed: verified, penalty and police, the amounts for a
 * verified case, one with a penalty, one sent to the police.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/reward.h"
#include "tipgw/xmalloc.h"

#define REWARD_MAX_FILE		(256 * 1024)
#define REWARD_MAX_YUAN		100000000LL	/* ¥100 million: a typo */

static int
reward_yuan(const char *v, long long *out)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 0 ||
	    n > REWARD_MAX_YUAN)
		return (-1);
	*out = n;
	return (0);
}

/* "5% 5000" (or "5 5000"): a level's percent and minimum. */
static int
reward_level(const char *v, int *percent, long long *minimum)
{
	char	 pct[16], min[24], extra;
	size_t	 n;

	if (sscanf(v, "%15s %23s %c", pct, min, &extra) != 2)
		return (-1);
	n = strlen(pct);
	if (n > 0 && pct[n - 1] == '%')
		pct[n - 1] = '\0';
	if (strspn(pct, "0123456789") != strlen(pct) || *pct == '\0' ||
	    atoi(pct) > 100 || reward_yuan(min, minimum) != 0)
		return (-1);
	*percent = atoi(pct);
	return (0);
}

/* One "key = value" of a set; 0, or -1 with what is wrong in why. */
static int
reward_set(struct reward_rules *r, const char *key, const char *v,
    char *why, size_t len)
{
	long long	 n;
	size_t		 k;
	char		 pct[16];

	if (strcmp(key, "source") == 0) {
		snprintf(r->source, sizeof r->source, "%s", v);
		return (0);
	}
	if (strcmp(key, "scope") == 0) {
		if (strcmp(v, "verified") == 0)
			r->scope = REWARD_VERIFIED;
		else if (strcmp(v, "major") == 0)
			r->scope = REWARD_MAJOR;
		else {
			snprintf(why, len, "scope: expected verified or major");
			return (-1);
		}
		return (0);
	}
	if (strcmp(key, "basis") == 0) {
		if (strcmp(v, "fixed") == 0)
			r->basis = REWARD_FIXED;
		else if (strcmp(v, "percent") == 0)
			r->basis = REWARD_PERCENT;
		else {
			snprintf(why, len, "basis: expected fixed or percent");
			return (-1);
		}
		return (0);
	}
	if (strncmp(key, "level", 5) == 0 && key[5] >= '1' &&
	    key[5] < '1' + REWARD_LEVELS && key[6] == '\0') {
		k = (size_t)(key[5] - '1');
		if (reward_level(v, &r->percent[k], &r->minimum[k]) != 0) {
			snprintf(why, len, "%s: expected a percent and a "
			    "minimum in yuan, such as 5%% 5000", key);
			return (-1);
		}
		return (0);
	}
	if (strcmp(key, "insider") == 0 || strcmp(key, "claim_days") == 0) {
		snprintf(pct, sizeof pct, "%s", v);
		if (*key == 'i' && strlen(pct) > 0 &&
		    pct[strlen(pct) - 1] == '%')
			pct[strlen(pct) - 1] = '\0';
		if (reward_yuan(pct, &n) != 0 || n > 1000 ||
		    (*key == 'c' && n < 1)) {
			snprintf(why, len, "%s: expected %s", key, *key == 'i' ?
			    "a percent, such as 200%" : "1 to 1000 working "
			    "days");
			return (-1);
		}
		if (*key == 'i')
			r->insider = (int)n;
		else
			r->claim_days = (int)n;
		return (0);
	}
	if (reward_yuan(v, &n) != 0) {
		snprintf(why, len, "%s: expected an amount in yuan", key);
		return (-1);
	}
	if (strcmp(key, "major_threshold") == 0)
		r->major_threshold = n;
	else if (strcmp(key, "verified") == 0)
		r->verified = n;
	else if (strcmp(key, "penalty") == 0)
		r->penalty = n;
	else if (strcmp(key, "police") == 0)
		r->police = n;
	else if (strcmp(key, "cap") == 0)
		r->cap = n;
	else {
		snprintf(why, len, "unknown key '%s'", key);
		return (-1);
	}
	return (0);
}

/* What a set lacks to decide anything; NULL if it is whole. */
static const char *
reward_incomplete(const struct reward_rules *r)
{
	int	 i;

	if (r->basis == REWARD_PERCENT) {
		for (i = 0; i < REWARD_LEVELS; i++)
			if (r->percent[i] == 0 && r->minimum[i] == 0)
				return ("a percent set needs level1, level2 "
				    "and level3");
	} else if (r->verified == 0 && r->penalty == 0 && r->police == 0)
		return ("a fixed set needs verified, penalty or police");
	if (r->scope == REWARD_MAJOR && r->major_threshold == 0)
		return ("a major set needs major_threshold");
	return (NULL);
}

static char *
reward_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return (s);
}

/* The rule sets of text (a file called name); 0, or -1 with *cause. */
int
reward_book_parse(struct reward_book *b, const char *name, const char *text,
    char **cause)
{
	struct reward_rules	*r = NULL;
	const char		*s = text, *nl, *bad;
	char			 line[512], why[160], *p, *key, *eq, *hash;
	int			 lineno = 0;
	size_t			 n, i;

	memset(b, 0, sizeof *b);
	*cause = NULL;
	while (*s != '\0') {
		lineno++;
		nl = strchr(s, '\n');
		n = nl != NULL ? (size_t)(nl - s) : strlen(s);
		if (n >= sizeof line) {
			xasprintf(cause, "%s:%d: line too long", name, lineno);
			return (-1);
		}
		memcpy(line, s, n);
		line[n] = '\0';
		s = nl != NULL ? nl + 1 : s + n;
		if ((hash = strstr(line, " #")) != NULL || *line == '#')
			*(hash != NULL ? hash : line) = '\0';
		p = reward_trim(line);
		if (*p == '\0')
			continue;
		if (*p == '[') {
			if (p[strlen(p) - 1] != ']' || strlen(p) < 3 ||
			    strlen(p) - 2 >= sizeof r->name) {
				xasprintf(cause, "%s:%d: expected [name]",
				    name, lineno);
				return (-1);
			}
			if (b->nsets == REWARD_MAX_SETS) {
				xasprintf(cause, "%s:%d: more than %d rule "
				    "sets", name, lineno, REWARD_MAX_SETS);
				return (-1);
			}
			r = &b->sets[b->nsets++];
			memset(r, 0, sizeof *r);
			snprintf(r->name, sizeof r->name, "%.*s",
			    (int)(strlen(p) - 2), p + 1);
			r->insider = 100;
			r->claim_days = 30;
			r->line = lineno;
			for (i = 0; i + 1 < b->nsets; i++)
				if (strcmp(b->sets[i].name, r->name) == 0) {
					xasprintf(cause, "%s:%d: rule set %s "
					    "twice", name, lineno, r->name);
					return (-1);
				}
			continue;
		}
		if ((eq = strchr(p, '=')) == NULL || r == NULL) {
			xasprintf(cause, "%s:%d: expected key = value%s", name,
			    lineno, r == NULL ? " inside a [set]" : "");
			return (-1);
		}
		*eq = '\0';
		key = reward_trim(p);
		if (reward_set(r, key, reward_trim(eq + 1), why,
		    sizeof why) != 0) {
			xasprintf(cause, "%s:%d: %s", name, lineno, why);
			return (-1);
		}
	}
	for (i = 0; i < b->nsets; i++) {
		if ((bad = reward_incomplete(&b->sets[i])) != NULL) {
			xasprintf(cause, "%s:%d: [%s]: %s", name,
			    b->sets[i].line, b->sets[i].name, bad);
			return (-1);
		}
	}
	return (0);
}

int
reward_book_load(struct reward_book *b, const char *path, char **cause)
{
	FILE	*f;
	char	*text;
	size_t	 len;
	int	 rc;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	text = xmalloc(REWARD_MAX_FILE + 1);
	len = fread(text, 1, REWARD_MAX_FILE, f);
	text[len] = '\0';
	fclose(f);
	rc = reward_book_parse(b, path, text, cause);
	free(text);
	return (rc);
}

const struct reward_rules *
reward_book_find(const struct reward_book *b, const char *name)
{
	size_t	 i;

	for (i = 0; i < b->nsets; i++)
		if (strcmp(b->sets[i].name, name) == 0)
			return (&b->sets[i]);
	return (NULL);
}

/*
 * The sets names lists (space-separated, in order) from the book: 0
 * with sets[] and *n, or -1 with *cause naming the one it lacks.
 */
int
reward_book_select(const struct reward_book *b, const char *names,
    const struct reward_rules **sets, size_t *n, char **cause)
{
	char	*copy = xstrdup(names), *p = copy, *name;

	*n = 0;
	while ((name = strsep(&p, " \t,")) != NULL) {
		if (*name == '\0')
			continue;
		if (*n == REWARD_MAX_SETS ||
		    (sets[*n] = reward_book_find(b, name)) == NULL) {
			xasprintf(cause, "reward_rules: no rule set '%s' in "
			    "the rules file", name);
			free(copy);
			return (-1);
		}
		(*n)++;
	}
	free(copy);
	if (*n == 0) {
		xasprintf(cause, "reward_rules: no rule set named");
		return (-1);
	}
	return (0);
}

/*
 * A major violation (art. 2): sent to the police, stopped or closed
 * down, or fines and confiscations of the province's amount or more.
 */
int
reward_major(const struct reward_rules *r, const struct reward_outcome *o)
{
	return (o->police || o->closed_down ||
	    (r->major_threshold > 0 &&
	    o->penalty + o->confiscated >= r->major_threshold));
}

/* The amount a set gives for the outcome, before the cap. */
static long long
reward_amount(const struct reward_rules *r, const struct reward_outcome *o,
    int level)
{
	long long	 base = o->penalty + o->confiscated, amount;

	if (r->basis == REWARD_FIXED) {
		if (o->police && r->police > 0)
			return (r->police);
		if (base > 0 && r->penalty > 0)
			return (r->penalty);
		return (r->verified);
	}
	amount = base * r->percent[level - 1] / 100;
	return (amount > r->minimum[level - 1] ? amount :
	    r->minimum[level - 1]);
}

/*
 * Why this reporter gets nothing for the case, or NULL: the conditions
 * (all of them, art. 8), the exclusions (art. 6), first-reporter
 * priority and one reward per person and case.
 */
static const char *
reward_refusal(const struct reward_outcome *o, const struct reward_claimant *c)
{
	if (!o->verified)
		return ("not verified");
	if (!o->specific)
		return ("no clear target with specific facts");
	if (o->known_before)
		return ("already known to the office");
	if (c->staff)
		return ("office staff, or a duty to report");
	if (c->brand_owner)
		return ("the infringed party or its agent");
	if (c->violator && !c->insider)
		return ("the violator");
	if (c->paid)
		return ("rewarded by another party for it");
	if (!c->first)
		return ("not the first reporter (by the time received)");
	if (c->rewarded)
		return ("rewarded for this case already");
	return (NULL);
}

/*
 * The decision for one reporter of a case: no refusal, then the first
 * rule set in order whose scope fits decides the amount (an insider's
 * raised), within its cap.
 */
void
reward_decide(const struct reward_rules *const *sets, size_t nsets,
    const struct reward_outcome *o, const struct reward_claimant *c,
    struct reward_decision *d)
{
	const struct reward_rules	*r = NULL;
	size_t				 i;
	long long			 amount;

	memset(d, 0, sizeof *d);
	if ((d->why = reward_refusal(o, c)) != NULL)
		return;
	for (i = 0; i < nsets && r == NULL; i++) {
		if (sets[i]->scope == REWARD_VERIFIED ||
		    reward_major(sets[i], o))
			r = sets[i];
	}
	if (r == NULL) {
		d->why = "no rule set covers this outcome";
		return;
	}
	d->level = o->level >= 1 && o->level <= REWARD_LEVELS ? o->level :
	    REWARD_LEVELS;
	amount = reward_amount(r, o, d->level);
	if (c->insider && c->violator)
		amount = amount * r->insider / 100;
	if (r->cap > 0 && amount > r->cap)
		amount = r->cap;
	d->eligible = 1;
	d->rules = r;
	d->amount = amount;
}
