/* swctl_int.h - what swctl.c (the dispatcher and the PostgreSQL
 * subcommands) and swctl_status.c (swctl status) share: the defaults, the
 * exit codes, the parsed command line (swctl_args.h) and the libpq connection.
 * Private: only the swctl sources include it.
 */
#ifndef SW_SWCTL_INT_H
#define SW_SWCTL_INT_H

#include <stdint.h>
#include <time.h>

#include <libpq-fe.h>

#include "tools/swctl_args.h"

#define DEFAULT_PG "postgresql://postgres@127.0.0.1:25432/sidewatch"

#define DEFAULT_METRICS "127.0.0.1:9465"

/* Exit codes (also in usage()). */
enum {
	SW_OK = 0,        /* done; status: everything up */
	SW_FAIL = 1,      /* PostgreSQL unreachable, query failed, not found;
			   * status: degraded */
	SW_USAGE = 2,     /* bad command or option; status: down */
};


/* swctl.c: connect to $SIDEWATCH_PG (default DEFAULT_PG); NULL when it is
 * unreachable, with a message on stderr unless quiet. */
PGconn *swctl_pg_open(int quiet);

/* swctl.c: output. Rows as JSON objects, one a line (text escaped, int,
 * bool and jsonb columns as they are); a table for people (control bytes
 * shown as '?', and so are bidirectional controls; cells cut at 63 bytes);
 * swctl_cell is one such cell. */
void swctl_print_json_range(PGresult *r, int from, int to);
void swctl_print_json(PGresult *r);
void swctl_print_table(PGresult *r);
void swctl_cell(const char *v, char *out, size_t cap);

static inline uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif /* SW_SWCTL_INT_H */
