/* enforce_table.h - hygiene of the kernel's block table (sw_block, an LPM
 * trie of SW_MAX_BLOCKS entries).
 *
 * The drop program deletes an expired entry only when that source sends
 * again, so blocks of sources that never come back (a scan from rotating
 * IPv6 addresses, a crowd of one-shot scanners) would fill the table and
 * turn blocking off. Two remedies, both from user space:
 *   - a sweep, a slice of the table at a time, removes expired entries;
 *   - when a new block finds the table full, every expired entry and then
 *     the live entries closest to expiry (a sixteenth of the table) make
 *     room. Entries without a TTL are never evicted.
 * Every removal is counted. In: the map's fd and the clock the drop
 * program judges with (bpf_ktime_get_ns). Out: counts.
 */
#ifndef SW_ENFORCE_TABLE_H
#define SW_ENFORCE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "bpf/abi.h"

/* Entries one sweep call looks at. */
#define ENFORCE_TABLE_SLICE 4096

struct enforce_table_stats {
	uint64_t swept;     /* expired entries removed by the sweep */
	uint64_t evicted;   /* live entries removed to make room, soonest to expire first */
	uint64_t full;      /* blocks refused: full of entries without a TTL */
};

struct enforce_table {
	struct sw_block_key cursor; /* where the next sweep slice starts */
	int have_cursor;
	struct enforce_table_stats st;
};

/* Look at up to ENFORCE_TABLE_SLICE entries from the cursor on and delete
 * the expired ones (expires_ns != 0 and <= now_ns). Returns how many were
 * deleted, or -errno. */
int enforce_table_sweep(struct enforce_table *t, int fd, uint64_t now_ns);

/* The table refused an insert: delete every expired entry, then the live
 * entries with a TTL closest to expiry until a sixteenth of SW_MAX_BLOCKS
 * is free. Returns how many were deleted (0: none could be: counted as
 * full), or -errno. */
int enforce_table_make_room(struct enforce_table *t, int fd, uint64_t now_ns);

#endif /* SW_ENFORCE_TABLE_H */
