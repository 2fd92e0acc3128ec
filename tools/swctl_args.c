/* swctl_args.c - swctl's command line (see swctl_args.h). */
#include "tools/swctl_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	O_SINCE = 1 << 0,
	O_LIMIT = 1 << 1,
	O_HOST = 1 << 2,
	O_RULE = 1 << 3,
	O_COUNT = 1 << 4,
	O_FOR = 1 << 5,
	O_METRICS = 1 << 6,
	O_JSON = 1 << 7,
	O_IDENTITY = 1 << 8,
	O_TTL = 1 << 9,
	O_REASON = 1 << 10,
	O_NOTE = 1 << 11,
	O_AUTHORITY = 1 << 12,
	O_DATA_CLASS = 1 << 13,
	O_OPENAPI = 1 << 14,
};

static const struct opt {
	const char *name;
	unsigned bit;
	int takes_value;
} opts[] = {
	{ "since", O_SINCE, 1 },   { "limit", O_LIMIT, 1 },
	{ "host", O_HOST, 1 },     { "rule", O_RULE, 1 },
	{ "count", O_COUNT, 1 },   { "for", O_FOR, 1 },
	{ "metrics", O_METRICS, 1 }, { "json", O_JSON, 0 },
	{ "identity", O_IDENTITY, 1 }, { "ttl", O_TTL, 1 },
	{ "reason", O_REASON, 1 }, { "note", O_NOTE, 1 },
	{ "authority", O_AUTHORITY, 1 }, { "data-class", O_DATA_CLASS, 1 },
	{ "openapi", O_OPENAPI, 0 },
};

/* One command: its words, how many plain arguments follow them, and the
 * options it takes. A NULL sub matches the command word alone. */
static const struct cmd {
	const char *word, *sub;
	enum swctl_args_cmd cmd;
	int min_args, max_args;
	unsigned opts;
} cmds[] = {
	{ "help", NULL, SWCTL_ARGS_HELP, 0, 0, 0 },
	{ "keygen", NULL, SWCTL_ARGS_KEYGEN, 1, 2, 0 },
	{ "hosts", NULL, SWCTL_ARGS_HOSTS, 0, 0, O_JSON },
	{ "events", "tail", SWCTL_ARGS_EVENTS_TAIL, 0, 0, O_COUNT | O_FOR | O_HOST | O_RULE | O_JSON },
	{ "events", NULL, SWCTL_ARGS_EVENTS, 0, 0, O_SINCE | O_LIMIT | O_HOST | O_RULE | O_JSON },
	{ "incidents", NULL, SWCTL_ARGS_INCIDENTS, 0, 0, O_SINCE | O_LIMIT | O_HOST | O_RULE | O_JSON },
	{ "incident", "show", SWCTL_ARGS_INCIDENT_SHOW, 1, 1, O_LIMIT | O_JSON },
	{ "status", NULL, SWCTL_ARGS_STATUS, 0, 0, O_METRICS | O_JSON },
	{ "blocks", NULL, SWCTL_ARGS_BLOCKS, 0, 0, O_RULE | O_JSON },
	{ "block", "ls", SWCTL_ARGS_BLOCKS, 0, 0, O_RULE | O_JSON },
	{ "block", "add", SWCTL_ARGS_BLOCK_ADD, 0, 1, O_IDENTITY | O_TTL | O_REASON | O_JSON },
	{ "block", "rm", SWCTL_ARGS_BLOCK_RM, 0, 1, O_IDENTITY | O_JSON },
	{ "block", NULL, SWCTL_ARGS_BLOCKS, 0, 0, O_RULE | O_JSON },
	{ "allow", "ls", SWCTL_ARGS_ALLOW, 0, 0, O_JSON },
	{ "allow", "add", SWCTL_ARGS_ALLOW_ADD, 0, 1, O_IDENTITY | O_NOTE | O_JSON },
	{ "allow", "rm", SWCTL_ARGS_ALLOW_RM, 0, 1, O_IDENTITY | O_JSON },
	{ "allow", NULL, SWCTL_ARGS_ALLOW, 0, 0, O_JSON },
	{ "apis", "export", SWCTL_ARGS_APIS_EXPORT, 0, 0, O_OPENAPI | O_AUTHORITY },
	{ "apis", NULL, SWCTL_ARGS_APIS, 0, 0, O_HOST | O_AUTHORITY | O_DATA_CLASS | O_JSON },
	{ "api", "show", SWCTL_ARGS_API_SHOW, 1, 1, O_JSON },
};

#define MAX_WORDS 6

long swctl_args_dur(const char *s)
{
	long mult = 1, v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (end == s || v < 0 || v > 100L * 365 * 86400)
		return -1;
	switch (*end) {
	case '\0': return v;
	case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if (end[1] || v > 100L * 365 * 86400 / mult)
		return -1;
	return v * mult;
}

static int whole(const char *v, long lo, long hi, long *out)
{
	char *end;
	long x;

	if (*v < '0' || *v > '9')
		return -1;
	x = strtol(v, &end, 10);
	if (*end || x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

static int all_digits_id(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return i > 0 && i < 19;
}

static const struct opt *find_opt(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i].name) == len && !strncmp(opts[i].name, name, len))
			return &opts[i];
	return NULL;
}

/* Store one option's value; -1 with err set when it is malformed. */
static int set_opt(struct swctl_args *a, const struct opt *o, const char *v,
		   char *err, size_t errlen)
{
	switch (o->bit) {
	case O_SINCE:
		a->since = v;
		if ((a->since_s = swctl_args_dur(v)) < 0)
			goto bad_dur;
		return 0;
	case O_TTL:
		if ((a->ttl_s = swctl_args_dur(v)) <= 0)
			goto bad_dur;
		return 0;
	case O_LIMIT:
		if (whole(v, 1, 1000000, &a->limit) == 0)
			return 0;
		snprintf(err, errlen, "--limit takes a whole number from 1 to 1000000");
		return -1;
	case O_COUNT:
		if (whole(v, 1, 100000000, &a->count) == 0)
			return 0;
		snprintf(err, errlen, "--count takes a whole number from 1 to 100000000");
		return -1;
	case O_FOR:
		if (whole(v, 1, 86400L * 365, &a->for_s) == 0)
			return 0;
		snprintf(err, errlen, "--for takes a whole number of seconds from 1 to 31536000");
		return -1;
	case O_HOST: a->host = v; return 0;
	case O_RULE: a->rule = v; return 0;
	case O_METRICS: a->metrics = v; return 0;
	case O_IDENTITY: a->identity = v; return 0;
	case O_REASON: a->reason = v; return 0;
	case O_NOTE: a->note = v; return 0;
	case O_JSON: a->json = 1; return 0;
	case O_AUTHORITY: a->authority = v; return 0;
	case O_DATA_CLASS: a->data_class = v; return 0;
	case O_OPENAPI: a->openapi = 1; return 0;
	}
	return 0;
bad_dur:
	snprintf(err, errlen, "--%s wants a duration like 90s, 15m, 2h or 7d", o->name);
	return -1;
}

/* Split argv into options (stored in *a, their bits in *seen) and plain
 * words, in order. */
static int split(int argc, char *const argv[], struct swctl_args *a,
		 const char **words, int *nwords, unsigned *seen, int *help,
		 char *err, size_t errlen)
{
	int only_words = 0;

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *eq, *v;
		const struct opt *o;

		if (only_words || s[0] != '-' || s[1] == '\0') {
			if (*nwords == MAX_WORDS) {
				snprintf(err, errlen, "too many arguments ('%.40s')", s);
				return -1;
			}
			words[(*nwords)++] = s;
			continue;
		}
		if (!strcmp(s, "--")) {
			only_words = 1;
			continue;
		}
		if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			*help = 1;
			continue;
		}
		if (s[1] != '-') {
			snprintf(err, errlen, "unknown option '%.40s' (options are spelled --name)", s);
			return -1;
		}
		eq = strchr(s + 2, '=');
		o = find_opt(s + 2, eq ? (size_t)(eq - s - 2) : strlen(s + 2));
		if (!o) {
			snprintf(err, errlen, "unknown option '%.40s'", s);
			return -1;
		}
		if (!o->takes_value) {
			if (eq) {
				snprintf(err, errlen, "--%s takes no value", o->name);
				return -1;
			}
			v = NULL;
		} else if (eq) {
			v = eq + 1;
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			snprintf(err, errlen, "--%s needs a value", o->name);
			return -1;
		}
		if (set_opt(a, o, v, err, errlen) < 0)
			return -1;
		*seen |= o->bit;
	}
	return 0;
}

static const struct cmd *match(const char **words, int nwords, int *used)
{
	const struct cmd *alone = NULL;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const struct cmd *c = &cmds[i];

		if (strcmp(c->word, words[0]))
			continue;
		if (c->sub && nwords > 1 && !strcmp(c->sub, words[1])) {
			*used = 2;
			return c;
		}
		if (!c->sub)
			alone = c;
	}
	*used = 1;
	return alone;
}

int swctl_args_parse(int argc, char *const argv[], struct swctl_args *a,
		     char *err, size_t errlen)
{
	const char *words[MAX_WORDS];
	const struct cmd *c;
	unsigned seen = 0, stray;
	int nwords = 0, help = 0, used, nargs;

	memset(a, 0, sizeof(*a));
	a->since_s = a->ttl_s = -1;
	if (split(argc, argv, a, words, &nwords, &seen, &help, err, errlen) < 0)
		return -1;
	if (help || nwords == 0) {
		a->cmd = SWCTL_ARGS_HELP;
		if (!help) {
			snprintf(err, errlen, "which command? (swctl help lists them)");
			return -1;
		}
		return 0;
	}
	c = match(words, nwords, &used);
	if (!c) {
		snprintf(err, errlen, "unknown command '%.40s'", words[0]);
		return -1;
	}
	a->cmd = c->cmd;
	nargs = nwords - used;
	if (nargs < c->min_args || nargs > c->max_args) {
		if (nargs > c->max_args)
			snprintf(err, errlen, "'%s%s%s' does not take '%.40s'", c->word,
				 c->sub ? " " : "", c->sub ? c->sub : "", words[used + c->max_args]);
		else
			snprintf(err, errlen, "'%s%s%s' needs %s", c->word, c->sub ? " " : "",
				 c->sub ? c->sub : "", c->cmd == SWCTL_ARGS_KEYGEN ? "a directory" : "an id");
		return -1;
	}
	a->arg = nargs > 0 ? words[used] : NULL;
	a->arg2 = nargs > 1 ? words[used + 1] : NULL;
	stray = seen & ~c->opts;
	for (size_t i = 0; stray && i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (stray & opts[i].bit) {
			snprintf(err, errlen, "--%s does not apply to '%s%s%s'", opts[i].name,
				 c->word, c->sub ? " " : "", c->sub ? c->sub : "");
			return -1;
		}
	}
	if (c->cmd == SWCTL_ARGS_APIS_EXPORT && !a->openapi) {
		snprintf(err, errlen, "'apis export' needs a format: --openapi");
		return -1;
	}
	if (c->cmd == SWCTL_ARGS_API_SHOW && !all_digits_id(a->arg)) {
		snprintf(err, errlen, "'api show' takes a numeric id, not '%.40s'", a->arg);
		return -1;
	}
	if (c->cmd == SWCTL_ARGS_BLOCK_ADD || c->cmd == SWCTL_ARGS_BLOCK_RM ||
	    c->cmd == SWCTL_ARGS_ALLOW_ADD || c->cmd == SWCTL_ARGS_ALLOW_RM) {
		if (!a->arg == !a->identity) {
			snprintf(err, errlen, "'%s %s' takes %s", c->word, c->sub,
				 a->arg ? "an address or --identity, not both"
					: "an address (or an id to remove) or --identity ID");
			return -1;
		}
	}
	return 0;
}
