/* swctl_args.h - swctl's command line, parsed and checked before anything
 * connects anywhere.
 *
 * The command words come in any place among the options: `swctl --json
 * hosts` and `swctl hosts --json` are the same command. Each command takes
 * a fixed set of options and a fixed number of plain arguments; anything
 * else is refused with a message that names the offending word. Pure
 * parsing: no I/O, no global state (no getopt), so the unit tests call it
 * as often as they like.
 */
#ifndef SW_SWCTL_ARGS_H
#define SW_SWCTL_ARGS_H

#include <stddef.h>

enum swctl_args_cmd {
	SWCTL_ARGS_HELP = 0,      /* help, --help, -h */
	SWCTL_ARGS_KEYGEN,        /* keygen DIR [NAME] */
	SWCTL_ARGS_HOSTS,
	SWCTL_ARGS_EVENTS,
	SWCTL_ARGS_EVENTS_TAIL,
	SWCTL_ARGS_INCIDENTS,
	SWCTL_ARGS_INCIDENT_SHOW, /* incident show ID */
	SWCTL_ARGS_STATUS,
	SWCTL_ARGS_BLOCKS,        /* blocks, block, block ls */
	SWCTL_ARGS_BLOCK_ADD,     /* block add ADDR[/LEN] | --identity ID */
	SWCTL_ARGS_BLOCK_RM,      /* block rm ID|ADDR[/LEN] | --identity ID */
	SWCTL_ARGS_ALLOW,         /* allow, allow ls */
	SWCTL_ARGS_ALLOW_ADD,
	SWCTL_ARGS_ALLOW_RM,
	SWCTL_ARGS_APIS,          /* apis [--host H] [--authority A] [--data-class C] */
	SWCTL_ARGS_API_SHOW,      /* api show ID */
	SWCTL_ARGS_APIS_EXPORT,   /* apis export --openapi [--authority A] */
};

/* What a command line says. Strings point into argv. */
struct swctl_args {
	enum swctl_args_cmd cmd;
	const char *arg;   /* keygen DIR, incident ID, block/allow subject */
	const char *arg2;  /* keygen NAME (NULL: "collector") */
	const char *since, *host, *rule, *metrics;
	const char *identity, *reason, *note;
	const char *authority, *data_class;
	long since_s;      /* --since in seconds, -1 when absent */
	long ttl_s;        /* --ttl in seconds, -1 when absent */
	long limit, count, for_s; /* 0 when absent */
	int json;
	int openapi;       /* apis export --openapi */
};

/* Parse argv[1..argc-1] into *a. Returns 0, or -1 with a one-line reason
 * (no "swctl: " prefix, no newline) in err. */
int swctl_args_parse(int argc, char *const argv[], struct swctl_args *a,
		     char *err, size_t errlen);

/* "90s" "15m" "2h" "7d" or plain seconds -> seconds; -1 when malformed or
 * longer than 100 years. */
long swctl_args_dur(const char *s);

#endif /* SW_SWCTL_ARGS_H */
