/* store.h - the correlator's PostgreSQL side: migrations, daily
 * partitions, and committing decoded batches idempotently.
 *
 * A batch is stored in one transaction with its (host, seq) row in
 * `batches`; a batch seen before is a no-op. The caller acks a batch only
 * when store_write() says it is committed (or was already). A lost
 * connection returns -ECONNRESET and nothing is acked; a batch PostgreSQL
 * refuses for its data (which ingest.c makes unlikely) is recorded as
 * rejected in `batches` and acked, so one bad batch cannot wedge its
 * collector forever.
 *
 * Several stores (connections) may write at once: a batch in two
 * concurrent groups (a resend racing its first try) is stored by one and
 * reported STORE_DUPLICATE by the other, after the first one's COMMIT;
 * rows are locked in (host, seq) order so two writers cannot deadlock on
 * each other. One struct store is used by one thread at a time.
 */
#ifndef SW_STORE_H
#define SW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "correlator/ingest.h"

enum store_result {
	STORE_STORED = 0,
	STORE_DUPLICATE = 1,
	STORE_REJECTED = 2,
};

struct store;

struct store *store_new(const char *url, const char *sql_dir,
			unsigned retention_days);
void store_free(struct store *st);

/* Connect, apply pending migrations, create/drop partitions
 * (store_schema.h). */
int store_connect(struct store *st, char *err, size_t errlen);
int store_connected(const struct store *st);
void store_disconnect(struct store *st);

/* ts range the partitions cover (unix µs), for ingest_limits. */
void store_ts_range(const struct store *st, uint64_t *lo, uint64_t *hi);

#define STORE_GROUP_MAX 64 /* batches per store_write() */

/* Commit n <= STORE_GROUP_MAX batches in one transaction (three
 * statements and a COPY, whatever n); res[i] gets each one's enum store_result. Returns 0
 * (all of res valid), -ECONNRESET (connection lost or a transient error:
 * nothing may be acked), -E2BIG (n too big) or -ENOMEM. */
int store_write(struct store *st, struct ingest_batch **b, size_t n,
		int *res, char *err, size_t errlen);

/* Called right before each COMMIT: 0 to commit now, or a negative errno
 * (the turn did not come in time) to roll back and try the transaction
 * again, which releases its row locks meanwhile (see writer.c: commits in
 * the order batches were received). NULL: commit at once. */
typedef int (*store_turn_fn)(void *ctx);
void store_set_turn(struct store *st, store_turn_fn fn, void *ctx);

/* Transactions tried again after a deadlock or serialization failure. */
uint64_t store_retries(const struct store *st);

#endif /* SW_STORE_H */
