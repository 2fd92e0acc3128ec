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
/* What one key can make the correlator hold: a message is at most
 * SERVER_MAX_MSG (an honest full batch is < 1 MiB: 128 events of at most
 * ~6.5 kB), and at most SERVER_RCV_HWM of them wait per connection (an
 * honest collector has its window, 32 by default, in flight; past it the
 * sender is held back by TCP, nothing is lost). Decoded batches waiting
 * for or in a transaction hold at most SERVER_HOLD_MAX of rows (plus the
 * last one received); past it nothing more is received until a group is
 * written. */
#define SERVER_MAX_MSG (2 << 20)
#define SERVER_RCV_HWM 32
#define SERVER_HOLD_MAX (64u << 20)

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
