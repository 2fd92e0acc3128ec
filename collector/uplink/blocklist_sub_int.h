/* blocklist_sub_int.h - what the two halves of the block-list subscriber share:
 * blocklist_sub.c (sockets and CURVE, snapshot requests, polling, encoders and
 * CIDR text) and blocklist_sub_state.c (the list state: table, applying
 * snapshots and deltas atomically, versions, gaps, pending deltas,
 * expiry). Private: no other module includes it.
 */
#ifndef SW_BLOCKLIST_SUB_INT_H
#define SW_BLOCKLIST_SUB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "collector/uplink/blocklist_sub.h"
#include "common/clock.h"

/* Open addressing over a power-of-two table; deleted slots are tombstones
 * until the next rehash. */
enum { SLOT_EMPTY = 0, SLOT_FULL = 1, SLOT_TOMB = 2 };

struct slot {
	uint8_t state;
	uint8_t mark; /* in the snapshot being applied */
	struct blocklist_entry e;
};

struct pending {
	uint64_t from, to;
	void *data;
	size_t len;
};

/* One change made while applying a version, with what undoes it. */
struct undo {
	int op;                    /* the op that undoes it */
	struct blocklist_entry e;
};

struct blocklist_sub {
	struct blocklist_sub_config cfg;
	/* cfg's endpoints and key paths, copied: a caller's buffers may not
	 * outlive blocklist_sub_new, and reopening reads them again */
	char endpoint[300], req_endpoint[300], secret_key_file[4096], server_key_file[4096];
	char server_key[64];
	void *zctx, *sub, *req;
	struct slot *tab;
	size_t cap, used, tombs;   /* used: full slots */
	uint64_t version;
	int have_version;          /* a snapshot was applied at least once */
	int need_snap;
	uint64_t last_req_ms;
	uint64_t opened_ms;        /* when the sockets were (re)made */
	int heard;                 /* a message came on them since */
	uint64_t next_expiry;      /* min expires_us held, 0: none */
	struct pending pend[BLOCKLIST_SUB_MAX_PENDING];
	unsigned npend;
	struct undo *undo;
	size_t nundo, capundo;
	struct blocklist_sub_stats st;
};

static inline uint64_t mono_ms(void)
{
	return clock_mono_ms();
}

static inline uint64_t unix_us(void)
{
	return clock_unix_us();
}

#endif /* SW_BLOCKLIST_SUB_INT_H */
