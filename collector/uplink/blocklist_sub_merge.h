/* blocklist_sub_merge.h - one block list out of the lists of every
 * correlator shard.
 *
 * With a shard ring (common/ring.h) every shard decides blocks for the
 * sources it owns and publishes its own versioned list; the collector
 * keeps one blocklist_sub per shard (its snapshot, deltas, version and
 * entry expiry, each shard apart) and points their apply callbacks here.
 * This module holds, per subject, the entry each shard has for it. The
 * subject is keyed as the kernel apply keys it: an address entry by
 * (family, address, prefix) alone, an identity it carries ignored (the
 * kernel does not apply it), IPv4-mapped IPv6 (::ffff:a.b.c.d/(96+n)) as
 * the IPv4 a.b.c.d/n it is there, an identity-only entry by its identity.
 * It passes ONE merged list on to the caller's apply (blocklist_apply_entry):
 *
 *   - union: a subject is blocked while at least one shard holds it; a
 *     removal (or expiry) by one shard leaves it blocked when another
 *     shard still holds it;
 *   - the merged entry expires with the last of its holders (0, never,
 *     when any holder has no expiry) and carries that holder's rule;
 *   - the downstream apply is called only when the merged entry appears,
 *     changes (expiry or rule) or goes; a failing downstream apply leaves
 *     this state untouched and fails the shard's call (blocklist_sub then
 *     undoes the version and asks that shard for a snapshot);
 *   - at most max_entries subjects, and each shard at most its quota of
 *     them (max_entries / the ring's shards, blocklist_sub_merge_set_shards)
 *     so one shard cannot take the room of the others; at most
 *     2 * max_entries (subject, shard) entries in all (room for shards
 *     left over their quota when the ring grows). An entry beyond these
 *     is refused and counted (full, refused) but is not a failure: the
 *     shard's call returns 0, the rest of its snapshot or delta applies
 *     and its version advances (a partial apply). The entry goes in when
 *     the shard sends it again (changed, or in a snapshot) and there is
 *     room.
 *
 * Shards are small numbers 0 .. BLOCKLIST_SUB_MERGE_MAX_SHARDS-1 (the
 * caller's slot for each ring shard).
 */
#ifndef SW_BLOCKLIST_SUB_MERGE_H
#define SW_BLOCKLIST_SUB_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "common/blocklist.h"

#define BLOCKLIST_SUB_MERGE_MAX_SHARDS 64 /* = RING_MAX_SHARDS */

struct blocklist_sub_merge_config {
	unsigned max_entries; /* subjects; 0: BLOCKLIST_SUB_MAX_ENTRIES */
	int (*apply)(void *ctx, const struct blocklist_entry *e, int op);
	void *ctx;
};

struct blocklist_sub_merge_stats {
	uint64_t subjects;       /* merged entries held (applied downstream) */
	uint64_t held;           /* (subject, shard) entries held */
	uint64_t adds;           /* downstream ADD calls (new or changed) */
	uint64_t dels;           /* downstream DEL calls */
	uint64_t kept;           /* shard removals that left the subject blocked */
	uint64_t full;           /* new subjects refused at max_entries */
	uint64_t refused;        /* entries refused at a shard's quota */
	uint64_t apply_errors;   /* downstream calls that failed */
	uint64_t bad_shard;      /* calls with a shard number out of range */
};

struct blocklist_sub_merge;

struct blocklist_sub_merge *blocklist_sub_merge_new(const struct blocklist_sub_merge_config *cfg);
void blocklist_sub_merge_free(struct blocklist_sub_merge *m);

/* Shard `shard` adds (or replaces its entry for) e's subject, or removes
 * its entry (op BLOCKLIST_ADD / BLOCKLIST_DEL). Returns 0 (also when the
 * entry is refused for room, counted), -EINVAL (bad shard or op),
 * -ENOMEM, or the downstream apply's error. */
int blocklist_sub_merge_apply(struct blocklist_sub_merge *m, unsigned shard,
			      const struct blocklist_entry *e, int op);

/* The ring has n shards (0 taken as 1): each may hold max_entries / n
 * entries from now on; entries already held over a new, smaller quota
 * stay until their shard removes them. */
void blocklist_sub_merge_set_shards(struct blocklist_sub_merge *m, unsigned n);

/* A blocklist_sub apply callback for one shard: ctx from
 * blocklist_sub_merge_port(), valid while m lives. */
void *blocklist_sub_merge_port(struct blocklist_sub_merge *m, unsigned shard);
int blocklist_sub_merge_port_apply(void *port, const struct blocklist_entry *e, int op);

/* Remove every entry shard holds (a shard that left the ring). Returns
 * how many; entries whose downstream call failed stay and are counted in
 * apply_errors. */
unsigned blocklist_sub_merge_drop_shard(struct blocklist_sub_merge *m, unsigned shard);

/* How many entries shard holds (a dropped shard: those whose removal
 * failed, to drop again). */
unsigned blocklist_sub_merge_shard_held(const struct blocklist_sub_merge *m, unsigned shard);

/* The merged entry for e's subject: 1 and *out filled, or 0. */
int blocklist_sub_merge_get(const struct blocklist_sub_merge *m,
			    const struct blocklist_entry *e, struct blocklist_entry *out);
/* How many shards hold e's subject. */
unsigned blocklist_sub_merge_holders(const struct blocklist_sub_merge *m,
				     const struct blocklist_entry *e);
void blocklist_sub_merge_get_stats(const struct blocklist_sub_merge *m,
				   struct blocklist_sub_merge_stats *st);

#endif /* SW_BLOCKLIST_SUB_MERGE_H */
