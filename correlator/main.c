/* sidewatch-correlator - central ingest: collectors' batches over ZeroMQ
 * (ROUTER, CURVE) into PostgreSQL, acked only after COMMIT.
 *
 *   sidewatch-correlator [--listen tcp://127.0.0.1:7450]
 *       [--blocks tcp://127.0.0.1:7451] [--pg URL] [--keys DIR]
 *       [--server-key FILE] [--plain] [--sql DIR] [--retention DAYS]
 *       [--stats FILE] [--metrics-listen HOST:PORT] [--config FILE]
 *       [--fleet NAME=VALUE]... [--pg-writers N]
 *
 * --pg defaults to $SIDEWATCH_PG, else the embedded default
 * postgresql://postgres@127.0.0.1:25432/sidewatch. --keys is the directory
 * of authorised collector public keys (NAME.pub), --server-key the
 * correlator's z85 secret key (default var/keys/server.key). --plain turns
 * CURVE off (development only). --stats writes the counters as one JSON
 * object, replaced every second and at exit. --metrics-listen serves
 * Prometheus text on GET /metrics (default 127.0.0.1:9465, "off" for none).
 * --config reads the same settings from a flat YAML file (every key is
 * documented with its default in deploy/correlator.yaml); precedence is
 * defaults < file < $SIDEWATCH_PG < options. Exit codes: 0 stopped by a
 * signal, 1 runtime failure, 2 bad option or config file.
 *
 * --fleet overrides a
 * cross-host detector threshold (fleet.h, e.g. bf_min_fail=12).
 * --pg-writers is the number of PostgreSQL connections writing groups of
 * batches in parallel (writer.h; default 2, 1..8).
 *
 * Threads: this one receives and decodes batches, feeds the detectors,
 * serves the block list and metrics, and sends every ack (server.h); the
 * writer threads (writer.h) only write groups to PostgreSQL and hand them
 * back.
 *
 * Block lists: decisions go to PostgreSQL (blocks.h); committed versions
 * are published on --blocks; a collector's snapshot request arrives on
 * --listen beside the batches.
 *
 * main() is the recipe: settings, the metrics endpoint, the server's
 * parts, start, serve until SIGINT/SIGTERM, one cleanup.
 */
#include <signal.h>
#include <string.h>

#include "correlator/corr_config.h"
#include "correlator/fleet.h"
#include "correlator/memret.h"
#include "correlator/server.h"
#include "correlator/server_stats.h"
#include "common/log.h"
#include "common/metrics.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The Prometheus endpoint. The default port taken: run without it; a
 * port chosen must work. */
static struct metrics *open_metrics(const char *listen)
{
	struct metrics *met;
	char err[512];

	met = metrics_new(listen, err, sizeof(err));
	if (!met && !strcmp(listen, "127.0.0.1:9465")) {
		log_warn("%s; running without /metrics (set --metrics-listen)", err);
		met = metrics_new(NULL, err, sizeof(err));
	}
	if (!met)
		log_err("%s (--metrics-listen off turns it off)", err);
	return met;
}

int main(int argc, char **argv)
{
	struct corr_config c = {0};
	struct fleet_config fc;
	struct metrics *met = NULL;
	struct server *srv = NULL;
	char err[512];
	int rc;

	memret_init();
	rc = corr_config_parse(&c, &fc, argc, argv, err, sizeof(err));
	if (rc == CORR_CONFIG_HELP || rc == CORR_CONFIG_USAGE)
		return rc == CORR_CONFIG_HELP ? 0 : 2;
	if (rc < 0) {
		log_err("%s", err);
		rc = 2;
		goto cleanup;
	}
	met = open_metrics(c.metrics_listen);
	if (!met) {
		rc = 2;
		goto cleanup;
	}
	server_stats_register(met);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	rc = 1;
	srv = server_new(&c, &fc, met);
	if (!srv) {
		log_err("out of memory");
		goto cleanup;
	}
	if (server_start(srv, err, sizeof(err)) < 0) {
		log_err("%s", err);
		goto cleanup;
	}
	server_run(srv, &stop);
	rc = 0;
cleanup:
	server_free(srv); /* the stats file a last time */
	metrics_free(met);
	corr_config_free(&c);
	return rc;
}
