/* shardup.h - the uplink split by shard owner (issue 25).
 *
 * Without a ring: one struct uplink, exactly the configuration given (its
 * endpoint, its spool directory). With a ring file (common/ring.h): one
 * uplink per shard, its endpoint from the ring, its spool in
 * <spool_dir>/<shard name>, the same keys and host name. Each uplink keeps
 * its own spool, seqs, acks and resends, so the exactly-once rules hold per
 * shard and a shard that is down delays only its own slice.
 *
 * Routing:
 *   - an event goes to ring_owner(ring_key(client address)), the address
 *     the correlator checks (the event's src_ip: conn->client_addr);
 *   - projections (issue 25): a session event's endpoint key and identity
 *     key (common/projkey.h) may belong to other shards, whose detectors
 *     keyed by endpoint (fleet.bruteforce.endpoint, fleet.rate.endpoint)
 *     or identity (fleet.scan.identity, fleet.credential_sharing) must see
 *     every event of their subject: each such shard gets one copy marked
 *     SessionEvent.projection (the bits of the keys it owns), slimmed
 *     (pbconv.h), in its own batches, so its acks, spool and resends cover
 *     it like any event. The correlator feeds it to those detectors only
 *     and stores no row of it;
 *   - heartbeats go to every shard (each uplink sends its own; counters
 *     set here are set on all);
 *   - an endpoint summary goes to the owner of ring_hash(authority), so all
 *     of one authority's summaries, and its endpoints_per_authority quota,
 *     stay on one shard.
 *
 * Ring change (shardup_check_ring): the file is looked at when its mtime or
 * size changed, at most once a second, or at once when forced (SIGHUP).
 * A ring with a higher version replaces the current one for new events;
 * batches already spooled for a shard stay in that shard's spool and go to
 * that shard, so nothing acknowledged is lost or sent twice. A shard no
 * longer in the ring keeps its uplink until its spool is empty, then it is
 * closed. Refused, with one logged line (escaped) and the old ring kept: a
 * file that does not parse, a version not above the current one, a shard
 * whose name stays but whose endpoint changed (its spool would be
 * ambiguous: give it a new name).
 */
#ifndef SW_SHARDUP_H
#define SW_SHARDUP_H

#include <stddef.h>
#include <stdint.h>

#include "collector/uplink/uplink.h"

struct shardup;

struct shardup_stats {
	uint64_t ring_version;   /* 0 without a ring */
	uint64_t ring_changes;   /* rings taken after the first */
	uint64_t ring_refused;   /* new files refused */
	uint64_t shards;         /* uplinks open (ring shards + retiring ones) */
	uint64_t retired;        /* uplinks closed after leaving the ring */
	uint64_t projections;    /* projections pushed (open uplinks) */
	struct uplink_stats sum; /* every open uplink's, summed; events
				  * without the projections */
};

/* base: the uplink configuration (spool_dir, keys, host...). ring_path NULL
 * or "": one uplink with base as is. Otherwise base->endpoint is ignored.
 * NULL with one sentence in err when refused. */
struct shardup *shardup_new(const struct uplink_config *base,
			    const char *ring_path, char *err, size_t errlen);
void shardup_free(struct shardup *s);

int shardup_push(struct shardup *s, const struct sess_event *ev,
		 const char *host, uint64_t boot_to_unix_ns);
int shardup_push_ex(struct shardup *s, const struct sess_event *ev,
		    const struct pbconv_extra *x, const char *host,
		    uint64_t boot_to_unix_ns);
/* Each summary to its authority's owner (n <= UPLINK_MAX_ENDPOINTS). */
int shardup_push_endpoints(struct shardup *s,
			   const sidewatch_EndpointSummary *v, size_t n);

/* Service every uplink (waits at most timeout_ms in all); closes retired
 * uplinks whose spools are empty. Returns 0 or the first -errno. */
int shardup_poll(struct shardup *s, int timeout_ms);
int shardup_flush(struct shardup *s);
int shardup_set_counter(struct shardup *s, const char *name, uint64_t value);
void shardup_heartbeat_now(struct shardup *s);

/* Re-read the ring when its file changed (at most once a second) or when
 * force. Returns 1 taken, 0 unchanged or no ring, -1 refused (logged,
 * counted). now_ms: a monotonic clock. */
int shardup_check_ring(struct shardup *s, uint64_t now_ms, int force);

/* The one uplink when there is no ring (for callers that need it, e.g.
 * uplink_inventory_push), NULL with a ring. */
struct uplink *shardup_single(struct shardup *s);

void shardup_get_stats(const struct shardup *s, struct shardup_stats *st);
/* Open uplinks, i in 0 .. shards-1: name ("" without a ring), 1 while in
 * the ring, and stats (events: without the projections it was sent).
 * Returns -ENOENT past the end. */
int shardup_shard(const struct shardup *s, size_t i, const char **name,
		  int *in_ring, struct uplink_stats *st);
/* What the collector reports of one shard (its metrics and stats line). */
#define SHARDUP_ACK_RECENT_MS 10000
struct shardup_info {
	const char *name;      /* "" without a ring */
	const char *endpoint;  /* NULL: the uplink's default */
	int in_ring;           /* 0: left the ring, draining its spool */
	int connected;         /* an ack came in the last SHARDUP_ACK_RECENT_MS,
				* or nothing waits in its spool */
	uint64_t projections;  /* projections pushed to it (not in st.events) */
	struct uplink_stats st;
};
/* Uplink i (as shardup_shard) at now_ms (clock_mono_ms). -ENOENT past
 * the end. */
int shardup_shard_info(const struct shardup *s, size_t i, uint64_t now_ms,
		       struct shardup_info *out);

/* The shard (index for shardup_shard) an event with this client address
 * goes to now; 0 without a ring. */
size_t shardup_route(const struct shardup *s, const uint8_t *ip, size_t iplen);

#endif /* SW_SHARDUP_H */
