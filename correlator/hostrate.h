/* hostrate.h - rows per second per reporting host: a token bucket each.
 *
 * The correlator charges every decoded batch's rows (events and endpoint
 * summaries; at least 1) to the host that sent it, the name its CURVE key
 * is admitted under. A batch the bucket cannot pay for is refused: not
 * stored and not acked, so the collector keeps it in its spool and sends
 * it again after its ack timeout (exactly once still: (host, seq)). Only
 * that host waits; refusing costs no database work. Counted per host.
 *
 * Time is given (µs, monotonic), never read here, so tests need no sleep.
 */
#ifndef SW_HOSTRATE_H
#define SW_HOSTRATE_H

#include <stdint.h>

#define HOSTRATE_DEF_RATE 20000  /* rows/s per host */
#define HOSTRATE_MAX_HOSTS 4096  /* beyond: one shared bucket, "(other)" */

struct hostrate_host {
	char name[256];         /* as the batch names it (ingest_batch.host) */
	uint64_t tokens;        /* rows * 1e6 */
	uint64_t last_us;
	uint64_t refused_batches, refused_rows, taken_rows;
};

struct hostrate;

/* rate rows/s (0: no limit), burst rows (0: 2 * rate). NULL: no memory. */
struct hostrate *hostrate_new(uint32_t rate, uint32_t burst);
void hostrate_free(struct hostrate *r);

/* Charge rows (at least 1, at most the burst) to host at now_us: 0 when
 * paid, -EBUSY when refused (counted; nothing charged). */
int hostrate_take(struct hostrate *r, const char *host, uint32_t rows,
		  uint64_t now_us);

/* Hosts seen, 0 .. n-1 in first-seen order, for stats. */
unsigned hostrate_count(const struct hostrate *r);
const struct hostrate_host *hostrate_get(const struct hostrate *r, unsigned i);
/* Totals over all hosts. */
void hostrate_totals(const struct hostrate *r, uint64_t *refused_batches,
		     uint64_t *refused_rows);

#endif /* SW_HOSTRATE_H */
