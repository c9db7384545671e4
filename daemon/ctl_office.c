/*
 * tipgwctl office add|set|list: the township offices (市场监管所), the
 * townships each covers, its duty phones, webhook and e-mail; every
 * value checked before it reaches the ledger.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tipgw/clock.h"
#include "tipgw/json.h"
#include "tipgw/store.h"
#include "tipgw/tipgw.h"
#include "tipgw/valid.h"
#include "tipgw/xmalloc.h"
#include "ctl.h"

struct ctl_office_args {
	struct office	 office;
	const char	*new_name;
	int		 set_phones;
	int		 set_townships;
};

/* Check an office's values; 0, or -1 after saying why. */
static int
ctl_office_check(const struct office *o)
{
	static const struct valid_names	 names = {
		.township = "--township", .phone = "--phone",
		.webhook = "--webhook", .webhook_format = "--webhook-format",
		.email = "--email",
	};
	char				 why[512];

	if (valid_office(o, &names, why, sizeof why) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", why);
		return (-1);
	}
	return (0);
}

static int
ctl_office_options(int argc, char **argv, struct ctl_office_args *a,
    int allow_rename)
{
	static const struct option opts[] = {
		{ "township", required_argument, NULL, 't' },
		{ "phone", required_argument, NULL, 'p' },
		{ "webhook", required_argument, NULL, 'w' },
		{ "webhook-format", required_argument, NULL, 'F' },
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct office	*o = &a->office;
	int		 ch;

	if (argc < 2 || argv[1][0] == '-')
		return (-1);
	o->name = xstrdup(argv[1]);
	argc--;
	argv++;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			ctl_list_add(&o->townships, &o->ntownships, optarg);
			a->set_townships = 1;
			break;
		case 'p':
			ctl_list_add(&o->phones, &o->nphones, optarg);
			a->set_phones = 1;
			break;
		case 'w':
			free(o->webhook_url);
			o->webhook_url = xstrdup(optarg);
			break;
		case 'F':
			free(o->webhook_format);
			o->webhook_format = xstrdup(optarg);
			break;
		case 'e':
			free(o->email);
			o->email = xstrdup(optarg);
			break;
		case 'n':
			if (!allow_rename)
				return (-1);
			a->new_name = optarg;
			break;
		default:
			return (-1);
		}
	}
	return (optind == argc ? 0 : -1);
}

static int
ctl_office_add(struct ctl *c, int argc, char **argv)
{
	struct ctl_office_args	 a;
	long long		 id;
	char			*cause = NULL;
	int			 rc = 1;

	memset(&a, 0, sizeof a);
	if (ctl_office_options(argc, argv, &a, 0) != 0) {
		office_clear(&a.office);
		return (-1);
	}
	if (ctl_office_check(&a.office) == 0) {
		if (store_office_add(c->store, &a.office, clock_now(), c->actor,
		    &id, &cause) != 0) {
			fprintf(stderr, "tipgwctl: office %s: %s\n",
			    a.office.name, cause);
			free(cause);
		} else {
			printf("added office %s (id %lld)\n", a.office.name,
			    id);
			rc = 0;
		}
	}
	office_clear(&a.office);
	return (rc);
}

static int
ctl_office_set(struct ctl *c, int argc, char **argv)
{
	struct ctl_office_args		 a;
	struct store_office_change	 ch;
	char				*cause = NULL;
	int				 rc = 1;

	memset(&a, 0, sizeof a);
	if (ctl_office_options(argc, argv, &a, 1) != 0) {
		office_clear(&a.office);
		return (-1);
	}
	memset(&ch, 0, sizeof ch);
	ch.new_name = a.new_name;
	ch.webhook_url = a.office.webhook_url;
	ch.email = a.office.email;
	ch.webhook_format = a.office.webhook_format;
	ch.phones = a.office.phones;
	ch.nphones = a.office.nphones;
	ch.set_phones = a.set_phones;
	ch.townships = a.office.townships;
	ch.ntownships = a.office.ntownships;
	ch.set_townships = a.set_townships;
	if (ctl_office_check(&a.office) == 0) {
		if (store_office_set(c->store, a.office.name, &ch, clock_now(),
		    c->actor, &cause) != 0) {
			fprintf(stderr, "tipgwctl: office %s: %s\n",
			    a.office.name, cause);
			free(cause);
		} else {
			printf("updated office %s\n", a.new_name ?
			    a.new_name : a.office.name);
			rc = 0;
		}
	}
	office_clear(&a.office);
	return (rc);
}

static void
ctl_print_list(const char *label, char **v, size_t n)
{
	size_t	 i;

	printf(" %s=", label);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", v[i]);
	if (n == 0)
		printf("-");
}

static int
ctl_office_print_cb(const struct office *o, void *arg)
{
	int	*json = arg;
	char	*s;

	if (*json) {
		s = json_office(o);
		printf("%s\n", s);
		free(s);
		return (0);
	}
	printf("%s", o->name);
	ctl_print_list("townships", o->townships, o->ntownships);
	ctl_print_list("phones", o->phones, o->nphones);
	printf(" webhook=%s%s%s email=%s\n",
	    o->webhook_url ? o->webhook_url : "-",
	    o->webhook_format ? " format=" : "",
	    o->webhook_format ? o->webhook_format : "",
	    o->email ? o->email : "-");
	return (0);
}

static int
ctl_office_list(struct ctl *c, int argc, char **argv)
{
	char	*cause = NULL;
	int	 json;

	if (ctl_json_flag(argc, argv, &json) != 0)
		return (-1);
	if (store_office_foreach(c->store, ctl_office_print_cb, &json,
	    &cause) != 0) {
		fprintf(stderr, "tipgwctl: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
}

const struct ctl_entry ctl_office_add_entry = {
	.name = "office",
	.sub = "add",
	.flags = 0,
	.usage = "office add NAME [--township CODE]... [--phone NUMBER]... "
	    "[--webhook URL] [--webhook-format F] [--email ADDRESS]",
	.exec = ctl_office_add,
};

const struct ctl_entry ctl_office_set_entry = {
	.name = "office",
	.sub = "set",
	.flags = 0,
	.usage = "office set NAME [--name NEW] [--township CODE]... "
	    "[--phone NUMBER]... [--webhook URL] [--webhook-format F] "
	    "[--email ADDRESS]",
	.exec = ctl_office_set,
};

const struct ctl_entry ctl_office_list_entry = {
	.name = "office",
	.sub = "list",
	.flags = CTL_READONLY,
	.usage = "office list [--json]",
	.exec = ctl_office_list,
};
