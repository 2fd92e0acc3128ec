/* server.h - the correlator's ZeroMQ side and the loop that drives the
 * rest.
 *
 * In: collectors' batches and block-list snapshot requests on a ROUTER
 * (--listen), CURVE with the ZAP allow-list of zap.h unless --plain.
 * Batches are decoded (ingest.h) into groups of up to SERVER_GROUP_MAX,
 * and a group goes to the PostgreSQL writers (writer.h) whole.
 * Out: an ack per batch once its group is committed (stored, duplicate or
 * rejected; nothing after a failed write: the collectors resend), the
 * block list on a PUB (--blocks, blocks.h), and the fleet detectors
 * (fleet.h) fed with what was stored and run every 200 ms and after each
 * group. Stats and metrics: server_stats.h.
 *
 * One thread: this one receives, decodes, feeds the detectors, serves the
 * block list and metrics and sends every ack; the writer threads only
 * write groups and hand them back.
 */
#ifndef SW_SERVER_H
#define SW_SERVER_H

#include <signal.h>
#include <stddef.h>

struct corr_config;
struct fleet_config;
struct metrics;
struct server;

#define SERVER_GROUP_MAX 32   /* batches per transaction */
#define SERVER_GROUPS_EXTRA 2 /* groups filling or queued beyond one per writer */
#define SERVER_MAX_MSG (8 << 20) /* bytes; a full batch is < 1 MiB */

/* The server's parts, not yet started: NULL when out of memory. c, fc and
 * met must outlive it. */
struct server *server_new(const struct corr_config *c,
			  const struct fleet_config *fc, struct metrics *met);
/* CURVE and ZAP (unless plain), bind both sockets, start the writers.
 * Returns 0 or a negative errno with one sentence in err. */
int server_start(struct server *s, char *err, size_t errlen);
/* Serve until *stop is set (a signal handler sets it). */
void server_run(struct server *s, volatile sig_atomic_t *stop);
/* Write the stats a last time and free everything; NULL is fine. */
void server_free(struct server *s);

#endif /* SW_SERVER_H */
