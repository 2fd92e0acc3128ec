/* writer.h - the correlator's PostgreSQL writers: a few threads, one
 * connection (struct store) each, fed groups of decoded batches through a
 * bounded queue, so the ZeroMQ thread keeps receiving and decoding while
 * PostgreSQL copies and commits, and one connection's COPY overlaps
 * another's COMMIT (WAL flush).
 *
 * Ownership: the caller fills a writer_group and submits it; from then
 * until writer_done() hands it back, the group and its batches belong to
 * the writers and the caller must not touch them. A group comes back with
 * store_write()'s verdict (rc, res[]) after its COMMIT (or failure), in
 * completion order, which is not submission order with several
 * connections. COMMITs, though, happen in submission order: the COPYs
 * run side by side, each COMMIT waits for the previous group's (or its
 * failure), so rows become visible in the order their batches were
 * received (recv_ts) and a reader following recv_ts (swctl events tail)
 * never skips a row committed late. A group waiting for its turn holds
 * row locks; after TURN_WAIT_MS it rolls back and tries again, so a
 * lock cycle with an earlier group (the same batch resent into both)
 * cannot wedge them. The caller acks a batch only after its group came back
 * with rc == 0; exactly-once across connections is the store's business
 * (store.h: a batch in two concurrent groups is stored by one of them).
 *
 * Connections: each thread connects on its own with backoff (100 ms ..
 * 5 s); migrations and partition upkeep run under one lock, on the first
 * connection and every 10 minutes, so two threads never race on DDL. A
 * group whose write fails is returned with rc < 0 (nothing to ack: the
 * collectors resend) and its thread reconnects.
 */
#ifndef SW_WRITER_H
#define SW_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "correlator/ingest.h"
#include "correlator/store.h"

#define WRITER_MAX_CONNS 8
#define WRITER_MAX_INFLIGHT 64 /* groups submitted and not yet handed back */

struct writer_group {
	struct ingest_batch *b[STORE_GROUP_MAX];
	size_t n;
	/* results, valid when the group came back from writer_done() */
	int rc;                   /* store_write(): 0, -ECONNRESET, ... */
	int res[STORE_GROUP_MAX]; /* enum store_result each, when rc == 0 */
	char err[512];            /* one sentence when rc < 0 or a reject */
	uint64_t committed_us;    /* unix µs right after the COMMIT */
	uint64_t write_ns;        /* the transaction's duration */
	uint64_t ticket;          /* commit order, set by writer_submit() */
	struct writer_group *next; /* queue link: the writer's */
};

struct writer_stats {
	uint64_t groups;      /* groups written (rc == 0) */
	uint64_t db_errors;   /* failed connects and writes */
	uint64_t db_connects; /* connections made */
	uint64_t retries;     /* transactions retried (deadlock, turn timeout) */
	uint64_t turn_timeouts; /* COMMITs that waited TURN_WAIT_MS in vain */
	unsigned up;          /* connections up now */
	unsigned queued;      /* groups waiting for a connection */
};

struct writer;

/* nconn connections (1..WRITER_MAX_CONNS) to url; see store_new(). */
struct writer *writer_new(const char *url, const char *sql_dir,
			  unsigned retention_days, unsigned nconn);
/* Start the threads. Returns 0 or a negative errno (err says why). */
int writer_start(struct writer *w, char *err, size_t errlen);
/* Stop and join the threads (a write in progress finishes first). Groups
 * not yet handed back are dropped without their batches being freed: the
 * caller owns those. NULL is fine. */
void writer_free(struct writer *w);

/* A file descriptor that polls readable while writer_done() has a group. */
int writer_fd(const struct writer *w);
/* Queue g (g->b[0..n) filled); the caller's pool of groups bounds the
 * queue. -EINVAL for n == 0 or n > STORE_GROUP_MAX; -EBUSY with
 * WRITER_MAX_INFLIGHT groups not yet written. */
int writer_submit(struct writer *w, struct writer_group *g);
/* One written group, or NULL when none is back yet. */
struct writer_group *writer_done(struct writer *w);

/* 1 when at least one connection is up (worth receiving for). */
int writer_ready(struct writer *w);
/* ts range the partitions cover (unix µs), for ingest_limits. */
void writer_ts_range(struct writer *w, uint64_t *lo, uint64_t *hi);
void writer_get_stats(struct writer *w, struct writer_stats *st);

#endif /* SW_WRITER_H */
