/* blocklist_sub_fan.h - the fleet block list from every correlator shard.
 *
 * With a shard ring (common/ring.h) each shard decides the blocks of the
 * sources it owns and publishes its own versioned list. This module holds
 * one blocklist_sub per shard of the ring (its own sockets, snapshot,
 * deltas, version and entry expiry) and merges their lists into one
 * (blocklist_sub_merge.h: a union; a subject stays while any shard holds
 * it) that goes to the caller's apply (blocklist_apply_entry). A shard
 * that is down keeps its last list until its entries expire or it comes
 * back and sends a snapshot; the other shards go on meanwhile.
 *
 * Endpoints, by convention (no column in the ring file): a ring shard's
 * endpoint is its correlator's event ROUTER, which answers snapshot
 * requests; its block list PUB (the correlator's --blocks) is the next
 * port: tcp://H:P -> tcp://H:P+1 (P+1 <= 65535), as for an unsharded
 * collector (config key blocklist unset). An ipc:// endpoint gets ".blocks"
 * appended: ipc://PATH -> ipc://PATH.blocks. Anything else is refused.
 *
 * Heartbeats: each shard's list version goes to the caller's set_counter
 * as "blocklist_version:<shard name>" (the uplink puts those into the
 * heartbeat's blocklist_shards, not its counters), whenever it changes.
 * The legacy "blocklist_version" counter is not set here. Counter names
 * live as long as the fan (the uplink keeps the pointer).
 *
 * Ring changes (blocklist_sub_fan_set_ring): a shard that stays (same name
 * and endpoint) keeps its subscriber and list; a new one is subscribed; a
 * shard that left, or whose endpoint changed, is dropped with its entries
 * (another shard owns its sources now and decides for them); entries of
 * it the kernel refused to remove are removed again on every poll. At
 * most BLOCKLIST_SUB_MERGE_MAX_SHARDS shards at once: past that many names
 * over the fan's life, a new name takes the slot of a shard that left
 * whose entries are all gone (its counter name string is rewritten in
 * place, so the uplink's counter, keyed by the string, is renamed with it
 * and takes the new shard's version at its next poll); with no such slot
 * it is refused and counted.
 *
 * Use (a collector with a ring): blocklist_sub_fan_open() with the ring
 * file, apply = blocklist_apply_entry, set_counter = a wrapper of
 * shardup_set_counter; in the main loop blocklist_sub_fan_poll(f, 0),
 * blocklist_sub_fan_check_ring(f, clock_mono_ms(), 0, ...) and
 * blocklist_apply_cut_pending(); tools/sw-blockfan.c does just that.
 */
#ifndef SW_BLOCKLIST_SUB_FAN_H
#define SW_BLOCKLIST_SUB_FAN_H

#include <stddef.h>
#include <stdint.h>

#include "collector/uplink/blocklist_sub.h"
#include "collector/uplink/blocklist_sub_merge.h"

struct ring;
struct shield;

struct blocklist_sub_fan_config {
	int plain;                /* 1: no CURVE (dev only) */
	const char *secret_key_file;
	const char *server_key_file; /* the shards' public key when the ring names none */
	unsigned resync_ms;       /* 0: 1000 */
	unsigned max_entries;     /* per shard and merged; 0: BLOCKLIST_SUB_MAX_ENTRIES */
	int no_sockets;           /* 1: no sockets (tests feed messages) */
	int (*apply)(void *ctx, const struct blocklist_entry *e, int op);
	void *ctx;
	/* optional: addresses never blocked (collector/enforce/shield.h; read
	 * once, copied). The fan always protects loopback and link-local
	 * (shield_init) and the host of every ring endpoint it is given (the
	 * shards; resolved by shield_add_endpoint on each ring); an entry
	 * wholly inside one of these is not passed on to apply and is counted
	 * in protected_refused, and so is one that covers a ring host (it
	 * would cut this collector off from that shard and its list; the
	 * kernel's allow trie does not hold the ring's hosts). One that only
	 * covers another protected address goes on: the downstream exempts it
	 * (blocklist_apply with the same shield written to the kernel's allow
	 * trie). */
	const struct shield *protect;
	/* optional: the heartbeat counters (uplink_set_counter,
	 * shardup_set_counter behind a cast-free wrapper) */
	int (*set_counter)(void *cctx, const char *name, uint64_t value);
	void *cctx;
};

struct blocklist_sub_fan_stats {
	struct blocklist_sub_merge_stats merge;
	uint64_t shards;          /* subscribed now */
	uint64_t ring_version;
	uint64_t ring_changes;    /* set_ring calls taken after the first */
	uint64_t dropped_shards;  /* shards that left (entries removed) */
	uint64_t refused_shards;  /* names past 64 with no free slot, bad endpoints */
	uint64_t ring_refused;    /* ring files refused (check_ring) */
	uint64_t protected_refused; /* entries inside a protected address or
				     * covering a ring host */
	uint64_t reused_slots;    /* new names given the slot of a shard that left */
	uint64_t leftovers_dropped; /* entries of left shards removed on a later poll */
	uint64_t protect_dropped; /* protected entries past SHIELD_MAX, ring
				   * hosts that did not resolve */
};

struct blocklist_sub_fan;

/* Subscribe to every shard of r (r is read, not kept). NULL with one
 * sentence in err when refused (a bad endpoint, out of memory). */
struct blocklist_sub_fan *blocklist_sub_fan_new(const struct blocklist_sub_fan_config *cfg,
						const struct ring *r, char *err, size_t errlen);
/* blocklist_sub_fan_new() with the ring file at path (common/ring.h). */
struct blocklist_sub_fan *blocklist_sub_fan_open(const struct blocklist_sub_fan_config *cfg,
						 const char *ring_path, char *err, size_t errlen);
void blocklist_sub_fan_free(struct blocklist_sub_fan *f);

/* Take a new ring (see above). Returns 0, or -1 with err: a shard whose
 * endpoint is refused keeps what it had (its old subscription, or none);
 * the other shards are taken. */
int blocklist_sub_fan_set_ring(struct blocklist_sub_fan *f, const struct ring *r,
			       char *err, size_t errlen);

/* A fan made by blocklist_sub_fan_open(): read its ring file again when its
 * mtime or size changed (checked at most once a second, or now with force;
 * now_ms any monotonic clock) and take it (set_ring) when its version is
 * higher than the one held. Returns 1 taken, 0 nothing new, -1 refused
 * with one sentence in err (a bad file, a version not raised; counted in
 * ring_refused, the shards held stay). */
int blocklist_sub_fan_check_ring(struct blocklist_sub_fan *f, uint64_t now_ms, int force,
				 char *err, size_t errlen);

/* One zmq_poll over every shard's sockets (waits at most timeout_ms),
 * apply what came, expire, request due snapshots, update the counters.
 * Returns 0 or -errno. */
int blocklist_sub_fan_poll(struct blocklist_sub_fan *f, int timeout_ms);

/* Shard i (0 .. nshards-1): its name and its subscriber (to feed messages
 * in tests, read its version and stats). */
size_t blocklist_sub_fan_nshards(const struct blocklist_sub_fan *f);
const char *blocklist_sub_fan_shard_name(const struct blocklist_sub_fan *f, size_t i);
struct blocklist_sub *blocklist_sub_fan_shard_sub(struct blocklist_sub_fan *f, size_t i);
/* The merged list (to look entries up; changes go through the shards). */
struct blocklist_sub_merge *blocklist_sub_fan_merge(struct blocklist_sub_fan *f);
void blocklist_sub_fan_get_stats(const struct blocklist_sub_fan *f,
				 struct blocklist_sub_fan_stats *st);

/* The block list PUB of a shard whose event endpoint is ep (see above):
 * 0, or -EINVAL for an endpoint the convention does not cover. */
int blocklist_sub_fan_blocks_endpoint(const char *ep, char *out, size_t cap);

#endif /* SW_BLOCKLIST_SUB_FAN_H */
