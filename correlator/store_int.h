/* store_int.h - struct store, shared by store.c (connection, the write
 * path) and store_schema.c (migrations, daily partitions). Other modules
 * use store.h.
 */
#ifndef SW_STORE_INT_H
#define SW_STORE_INT_H

#include <stdint.h>

#include <libpq-fe.h>

#include "correlator/store.h"
#include "common/textesc.h"
#include "correlator/invstore.h"

struct store {
	char *url, *sql_dir;
	unsigned retention_days;
	PGconn *conn;
	uint64_t ts_lo, ts_hi;
	uint64_t retries;
	store_turn_fn turn;
	void *turn_ctx;
	struct sbuf copy, tmp;
	struct sbuf arr[9]; /* unnest() array literals of one statement */
	struct sbuf inv[INVSTORE_NBUF]; /* sw_api_merge() parameters */
};

#endif /* SW_STORE_INT_H */
