/* corr_config.h - the correlator's settings: defaults < a flat YAML config file
 * (--config; every key is documented with its default in
 * deploy/correlator.yaml) < $SIDEWATCH_PG < the command-line options.
 * --fleet NAME=VALUE options go to the detectors' fleet_config.
 */
#ifndef SW_CORR_CONFIG_H
#define SW_CORR_CONFIG_H

#include <stddef.h>

struct fleet_config;
struct ring;

struct corr_config {
	const char *listen, *blocks, *pg, *keys, *server_key, *sql, *stats;
	const char *metrics_listen;
	unsigned retention;
	unsigned pg_writers;    /* PostgreSQL writer connections, 1..WRITER_MAX_CONNS */
	unsigned host_rows_per_s; /* rows per second per host, 0: no limit */
	unsigned host_rows_burst; /* rows a host may send at once, 0: twice that */
	int plain;
	/* sharding (common/ring.h): --ring FILE and --shard NAME, both or
	 * neither; ring is loaded by corr_config_parse, shard_idx is NAME's
	 * index in it (ring NULL: not sharded) */
	const char *ring_path, *shard;
	struct ring *ring;
	int shard_idx;
	char *owned[16];        /* values read from the config file */
	size_t nowned;
};

#define CORR_CONFIG_HELP  1  /* --help: usage printed, exit 0 */
#define CORR_CONFIG_USAGE 2  /* a bad option or argument, already printed: exit 2 */

/* Fill c and fc from argv (and the file of --config). Returns 0 to run,
 * CORR_CONFIG_HELP or CORR_CONFIG_USAGE, or -EINVAL for a refused value or config file
 * with one sentence in err (exit 2). c's strings live until corr_config_free(). */
int corr_config_parse(struct corr_config *c, struct fleet_config *fc, int argc, char **argv,
	       char *err, size_t errlen);
void corr_config_free(struct corr_config *c);

#endif /* SW_CORR_CONFIG_H */
