/* uplink_inventory.h - ship the collector's API inventory upstream.
 *
 * In: the endpoint table (collector/inventory/endpoint.h) and the time of
 * the previous push.
 * Out: every endpoint seen since then, as EndpointSummary messages
 * (invconv.h) in batches of UPLINK_MAX_ENDPOINTS, spooled and sent by the
 * uplink like events (same spool, acks, resends; uplink.h).
 *
 * Summaries carry cumulative counts per entry incarnation, so pushing an
 * endpoint again (or a batch resent) is harmless; an endpoint whose
 * summary was lost to a full spool is complete again at its next push.
 * Call from the collector's loop every few seconds; the table must not
 * change during the call (the collector is single-threaded there).
 */
#ifndef SW_UPLINK_INVENTORY_H
#define SW_UPLINK_INVENTORY_H

#include <stdint.h>

#include "collector/inventory/endpoint.h"
#include "collector/uplink/uplink.h"

/* Push the endpoints changed after change number since (endpoint.chg, a
 * counter of the table's updates, never the wall clock: a clock stepped
 * back must not pause pushes). *next_since (may be NULL) gets the since
 * for the next call: the newest change pushed, or since when none was.
 * Returns the number pushed, or -errno (what was pushed before the error
 * stays pushed; *next_since is left as since so the next call tries the
 * rest again). */
int uplink_inventory_push(struct uplink *up, const struct endpoint_table *t,
			  uint64_t since, uint64_t *next_since);

struct shardup;
/* The same through a shardup (shardup.h): each summary to the owner of
 * its authority, or to the one uplink without a ring. */
int uplink_inventory_push_shards(struct shardup *sh, const struct endpoint_table *t,
				 uint64_t since, uint64_t *next_since);

#endif /* SW_UPLINK_INVENTORY_H */
