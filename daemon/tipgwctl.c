/*
 * tipgwctl: the operators' and coordinators' command-line tool. It reads
 * the daemon's configuration to find the ledger and works on it through
 * store.c; it never prints a reporter's number.
 */
#include "config.h"

#include <sys/stat.h>

#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tipgw/clock.h"
#include "tipgw/config.h"
#include "tipgw/log.h"
#include "tipgw/store.h"
#include "tipgw/vis.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

static const struct ctl_entry *ctl_entries[] = {
	&ctl_gazetteer_import_entry,
	&ctl_gazetteer_list_entry,
	&ctl_office_add_entry,
	&ctl_office_set_entry,
	&ctl_office_list_entry,
	&ctl_tips_entry,
	&ctl_tip_show_entry,
	&ctl_tip_route_entry,
	&ctl_tip_note_entry,
	&ctl_tip_close_entry,
	&ctl_tip_extend_entry,
	&ctl_tip_pause_entry,
	&ctl_tip_resume_entry,
	&ctl_tip_set_entry,
	&ctl_export_12315_entry,
	&ctl_deadlines_entry,
	&ctl_holidays_import_entry,
	&ctl_holidays_list_entry,
	&ctl_case_list_entry,
	&ctl_case_show_entry,
	&ctl_case_open_entry,
	&ctl_case_confirm_entry,
	&ctl_case_split_entry,
	&ctl_case_outcome_entry,
	&ctl_case_close_entry,
	&ctl_reward_list_entry,
	&ctl_reward_flag_entry,
	&ctl_reward_approve_entry,
	&ctl_reward_pay_entry,
	&ctl_reward_revoke_entry,
	&ctl_report_monthly_entry,
	&ctl_report_quarterly_entry,
	&ctl_report_annual_entry,
	&ctl_report_ledger_entry,
	&ctl_broadcast_entry,
	&ctl_poll_open_entry,
	&ctl_poll_show_entry,
	&ctl_poll_close_entry,
	&ctl_calls_done_entry,
	&ctl_calls_entry,
	&ctl_send_entry,
	&ctl_outbox_retry_entry,
	&ctl_outbox_entry,
	&ctl_user_add_entry,
	&ctl_user_list_entry,
	&ctl_user_revoke_entry,
	&ctl_classify_entry,
	&ctl_backup_entry,
	&ctl_check_entry,
};
#define NENTRIES (sizeof ctl_entries / sizeof ctl_entries[0])

static __attribute__((noreturn)) void
usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: tipgwctl [-v] [-f file] command ...\n");
	for (i = 0; i < NENTRIES; i++)
		fprintf(stderr, "       tipgwctl %s\n", ctl_entries[i]->usage);
	exit(1);
}

static __attribute__((noreturn)) void
ctl_usage(const struct ctl_entry *cmd)
{
	fprintf(stderr, "usage: tipgwctl %s\n", cmd->usage);
	exit(1);
}

/*
 * Run as root against a ledger owned by the daemon's user, become that
 * user: files SQLite creates (the WAL and shared-memory files) would
 * otherwise belong to root and lock the daemon out.
 */
static void
ctl_become_owner(const char *database)
{
	struct stat	 sb;
	struct passwd	*pw;
	char		*copy;
	int		 found;

	if (geteuid() != 0)
		return;
	found = stat(database, &sb) == 0;
	if (!found) {
		copy = xstrdup(database);
		found = stat(dirname(copy), &sb) == 0;
		free(copy);
	}
	if (!found || sb.st_uid == 0)
		return;
	pw = getpwuid(sb.st_uid);
	if (setgroups(0, NULL) == -1 || setgid(sb.st_gid) == -1 ||
	    setuid(sb.st_uid) == -1)
		fatal("cannot become the ledger's owner (uid %u)",
		    (unsigned int)sb.st_uid);
	log_debug("tipgwctl: running as %s, the owner of %s",
	    pw ? pw->pw_name : "?", database);
}

static void
ctl_actor(struct ctl *c)
{
	struct passwd	*pw = getpwuid(getuid());
	const char	*who = getenv("SUDO_USER");

	if (who == NULL)
		who = pw != NULL ? pw->pw_name : "unknown";
	snprintf(c->actor, sizeof c->actor, "tipgwctl:%s", who);
}

static const struct ctl_entry *
ctl_find(int argc, char **argv)
{
	const struct ctl_entry	*e;
	size_t			 i;

	for (i = 0; i < NENTRIES; i++) {
		e = ctl_entries[i];
		if (strcmp(e->name, argv[0]) != 0)
			continue;
		if (e->sub == NULL)
			return (e);
		if (argc > 1 && strcmp(e->sub, argv[1]) == 0)
			return (e);
	}
	return (NULL);
}

static int
ctl_open(struct ctl *c, const struct ctl_entry *cmd)
{
	char	*cause = NULL;

	if ((c->conf = config_load(c->config_path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (-1);
	}
	ctl_actor(c);
	ctl_become_owner(c->conf->database);
	c->store = store_open(c->conf->database,
	    cmd->flags == CTL_READONLY ? STORE_READONLY : 0, &cause);
	if (c->store == NULL) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

/*
 * stdout and stderr with their control characters escaped: whatever a
 * stored SMS, office name or URL holds, a listing cannot move the
 * operator's cursor, retitle the terminal or hide what it says. Lines
 * and tabs are kept; a UTF-8 character split between two writes is
 * held until its end arrives.
 */
struct ctl_vis {
	int	 fd;
	char	 held[4];
	size_t	 nheld;
};

static int
ctl_vis_out(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		buf += n;
		len -= (size_t)n;
	}
	return (0);
}

static ssize_t
ctl_vis_write(void *cookie, const char *buf, size_t size)
{
	struct ctl_vis	*v = cookie;
	char		*in, *out;
	size_t		 len = v->nheld + size, used, w;
	int		 rc;

	in = xmalloc(len + 1);
	memcpy(in, v->held, v->nheld);
	memcpy(in + v->nheld, buf, size);
	out = xmalloc(VIS_ROOM(len));
	used = vis_buf(in, len, VIS_LINES, 0, out, &w);
	v->nheld = len - used;
	if (v->nheld > sizeof v->held) {	/* cannot be: a sequence is 4 */
		used = len;
		v->nheld = 0;
	}
	memcpy(v->held, in + used, v->nheld);
	rc = ctl_vis_out(v->fd, out, w);
	free(in);
	free(out);
	return (rc == 0 ? (ssize_t)size : -1);
}

static int
ctl_vis_close(void *cookie)
{
	struct ctl_vis	*v = cookie;
	char		 out[VIS_ROOM(4)];
	size_t		 w;

	vis_buf(v->held, v->nheld, VIS_LINES, 1, out, &w);
	return (ctl_vis_out(v->fd, out, w));
}

static FILE *
ctl_vis_open(int fd, int buffered)
{
	static struct ctl_vis	 v[3];
	cookie_io_functions_t	 io = { NULL, ctl_vis_write, NULL,
				    ctl_vis_close };
	FILE			*f;

	v[fd].fd = fd;
	if ((f = fopencookie(&v[fd], "w", io)) == NULL)
		return (NULL);
	setvbuf(f, NULL, buffered ? _IOFBF : _IOLBF, 0);
	return (f);
}

static void
ctl_vis_init(void)
{
	FILE	*out, *err;

	if ((out = ctl_vis_open(STDOUT_FILENO, !isatty(STDOUT_FILENO))) !=
	    NULL)
		stdout = out;
	if ((err = ctl_vis_open(STDERR_FILENO, 0)) != NULL)
		stderr = err;
}

int
main(int argc, char *argv[])
{
	struct ctl			 c;
	const struct ctl_entry		*cmd;
	int				 ch, rc, verbose = 0, skip;

	memset(&c, 0, sizeof c);
	c.config_path = CONFIG_DEFAULT_PATH;
	while ((ch = getopt(argc, argv, "+f:v")) != -1) {
		if (ch == 'f')
			c.config_path = optarg;
		else if (ch == 'v')
			verbose++;
		else
			usage();
	}
	argc -= optind;
	argv += optind;
	/* The files tipgw writes hold reporters' numbers: 0600. */
	umask(077);
	ctl_vis_init();
	log_init(1, verbose, "tipgwctl");
	clock_init();
	if (argc == 0 || (cmd = ctl_find(argc, argv)) == NULL)
		usage();
	if (cmd->flags != CTL_NOLEDGER && ctl_open(&c, cmd) != 0)
		return (1);
	skip = cmd->sub != NULL ? 1 : 0;
	optind = 0;	/* glibc: start getopt afresh, permuting */
	rc = cmd->exec(&c, argc - skip, argv + skip);
	store_close(c.store);
	config_free(c.conf);
	if (rc < 0)
		ctl_usage(cmd);
	return (rc);
}
