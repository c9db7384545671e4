/*
 * tipgwctl backup FILE: the ledger copied while tipgwd runs. tipgwctl
 * check: is the ledger whole, and does it keep its own rules?
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tipgw/store.h"
#include "ctl.h"

static void
ctl_backup_progress(int done, int total, void *arg)
{
	int	*last = arg;
	int	 pct = total > 0 ? (int)((long long)done * 100 / total) : 100;

	/* A line every tenth, on a terminal only: scripts get the end. */
	if (isatty(fileno(stderr)) && pct / 10 != *last / 10)
		fprintf(stderr, "tipgwctl: backup: %d%% (%d of %d pages)\n",
		    pct, done, total);
	*last = pct;
}

static int
ctl_backup(struct ctl *c, int argc, char **argv)
{
	char	*cause = NULL;
	int	 last = -1;

	if (argc != 2)
		return (-1);
	if (store_backup(c->store, argv[1], ctl_backup_progress, &last,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("backup written to %s (mode 0600)\n", argv[1]);
	return (0);
}

static void
ctl_check_problem(const char *problem, void *arg)
{
	(void)arg;
	printf("%s\n", problem);
}

static int
ctl_check(struct ctl *c, int argc, char **argv)
{
	struct store_check_counts	 n;
	char				*cause = NULL;
	int				 rc;

	(void)argv;
	if (argc != 1)
		return (-1);
	if ((rc = store_check(c->store, ctl_check_problem, NULL, &n,
	    &cause)) < 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	if (rc > 0) {
		fprintf(stderr, "tipgwctl: check: %d problem(s)\n", rc);
		return (1);
	}
	printf("ok: %lld tips, %lld messages, %lld outbox rows, %lld audit "
	    "events", n.tips, n.messages, n.outbox, n.events);
	if (n.unchained > 0)
		printf(" (%lld from before the hash chain)", n.unchained);
	printf("\n");
	if (n.head[0] != '\0')
		printf("audit log head: %s\n", n.head);
	return (0);
}

const struct ctl_entry ctl_backup_entry = {
	.name = "backup",
	.sub = NULL,
	.flags = CTL_READONLY,
	.usage = "backup FILE",
	.exec = ctl_backup,
};

const struct ctl_entry ctl_check_entry = {
	.name = "check",
	.sub = NULL,
	.flags = CTL_READONLY,
	.usage = "check",
	.exec = ctl_check,
};
