/* blocks.h - the fleet block list: decisions in PostgreSQL, published to
 * every collector as a snapshot plus sequenced deltas.
 *
 * Every change is made by the SQL functions of sql/002_fleet.sql
 * (sw_block_add, sw_block_remove_ids, sw_block_expire, sw_allow_add),
 * whoever calls them: this module for the detectors and the sweeper,
 * swctl for operators. Each committed change has the next list version
 * (no gaps, commit order) and rows in block_versions; this module tails
 * that table (woken by NOTIFY sw_blocks, and every second anyway) and
 * publishes one BlockDelta per version on the PUB socket, so the only
 * path to a collector starts at a COMMIT. It keeps the active list in
 * memory (as of the last published version) to answer snapshot requests
 * consistently with the delta stream, publishes a tick (from == to ==
 * current) every second so a collector notices a lost last delta, and
 * sweeps expired blocks every second.
 *
 * Wire framing: collector/blocklist_sub.h.
 */
#ifndef SW_BLOCKS_H
#define SW_BLOCKS_H

#include <stddef.h>
#include <stdint.h>

#ifndef BLOCKS_MAX_ACTIVE
#define BLOCKS_MAX_ACTIVE 65536 /* mirrors BLOCKLIST_SUB_MAX_ENTRIES */
#endif

struct blocks;

struct blocks_stats {
	uint64_t version;        /* last published list version */
	uint64_t active;
	uint64_t deltas;         /* versions published */
	uint64_t ticks;
	uint64_t snapshots;      /* snapshot requests answered */
	uint64_t sweeps;         /* sweeper runs that expired something */
	uint64_t refused;        /* blocks the allow list refused */
	uint64_t send_errors;
	uint64_t db_errors;
	uint64_t split;          /* groups refused, then tried one by one */
	uint64_t protected_skips; /* detector blocks of a protected address */
	uint64_t protected_addrs; /* addresses put in protected_addrs */
};

/* A block decision. addr is CIDR text ("10.213.9.9/32"), identity a
 * string; at least one of them. ttl_s 0 = never expires. */
struct blocks_req {
	const char *addr;
	const char *identity;
	const char *origin;      /* local | correlator | operator */
	const char *rule;
	const char *reason;
	int64_t incident_id;     /* 0: none */
	uint64_t ttl_s;
};

enum blocks_result {
	BLOCKS_ADDED = 0,       /* new block, or an existing one extended */
	BLOCKS_UNCHANGED = 1,   /* already blocked at least as long */
	BLOCKS_ALLOWLISTED = 2, /* refused: overlaps the allow list */
	BLOCKS_PROTECTED = 3,   /* skipped: covers the correlator's or a
	                         * collector's address (sql/006_protect.sql) */
};

/* pub: the bound PUB socket (owned by the caller). */
struct blocks *blocks_new(const char *pg_url, void *pub);
void blocks_free(struct blocks *b);

/* Connect, LISTEN, load the active list. On reconnect to the same
 * database the stream continues where it stopped. */
int blocks_connect(struct blocks *b, char *err, size_t errlen);
int blocks_connected(const struct blocks *b);
void blocks_disconnect(struct blocks *b);
/* The connection's socket, for the caller's poll (-1 when down). */
int blocks_fd(const struct blocks *b);

/* Take notifications, publish new versions, tick, sweep. Call after the
 * fd is readable and at least every 100 ms. -ECONNRESET: disconnected. */
int blocks_service(struct blocks *b, char *err, size_t errlen);

/* Commit a decision and publish it before returning. Returns an enum
 * blocks_result (>= 0) or -errno; *block_id gets the block (0 if none). */
int blocks_add(struct blocks *b, const struct blocks_req *r,
	       int64_t *block_id, char *err, size_t errlen);
/* The same for r[0..n) in one transaction (one wait for the disk).
 * Returns 0, or -ECONNRESET: connection lost, the decisions may or may not
 * have committed (asking again is harmless: an active block comes back
 * BLOCKS_UNCHANGED or extended). res[i] gets r[i]'s enum blocks_result,
 * or -EINVAL when PostgreSQL refused that request (then each was tried
 * alone, so the others still count). */
int blocks_add_many(struct blocks *b, const struct blocks_req *r, size_t n,
		    int64_t *block_id, int *res, char *err, size_t errlen);

/* addr (numeric text, e.g. a ZMQ Peer-Address) is the correlator's own
 * (kind "correlator") or an authenticated collector's ("collector"): no
 * fleet block may cover it. Remembered and written to protected_addrs now
 * if connected, else at the next connect. The correlator's interface
 * addresses are added at every connect. */
void blocks_protect(struct blocks *b, const char *addr, const char *kind);

/* A ROUTER message that asks for a snapshot? */
int blocks_is_request(const void *data, size_t len);
/* Answer it: [id]["S" + BlockSnapshot of the in-memory list]. */
int blocks_reply_snapshot(struct blocks *b, void *router, const void *id,
			  size_t idlen);

void blocks_get_stats(const struct blocks *b, struct blocks_stats *st);

/* Sharded fleets: a heartbeat lists the version of every shard's block
 * list the host holds (blocklist_shards, collector/uplink/blocklist_sub_fan.h).
 * The correlator of shard `shard` records its own as the host's
 * blocklist_version: the entry of that name, or 0 when the host lists
 * shards but not this one (it holds none of our list). Returns 1 when it
 * set the field, 0 when the heartbeat has no shard entries or shard is
 * NULL (an unsharded collector or correlator: the field stays as sent). */
struct _sidewatch_Heartbeat;
int blocks_heartbeat_shard(struct _sidewatch_Heartbeat *hb, const char *shard);

#endif /* SW_BLOCKS_H */
