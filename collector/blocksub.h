/* blocksub.h - the collector's copy of the fleet block list.
 *
 * The correlator publishes the list as sequenced deltas on a PUB socket
 * (one BlockDelta per list version, from_version -> to_version, plus an
 * empty "tick" delta from == to == current every second) and answers
 * snapshot requests on its event ROUTER. This module SUBscribes (CURVE),
 * asks for a snapshot when it joins, when a delta does not follow the
 * version it holds (a gap: a delta lost to a reconnect or a full queue, or
 * a tick ahead of it), and when the list went backwards (a reset
 * correlator). Deltas that arrive while a snapshot is pending are kept
 * (bounded) and replayed on top of it. Duplicates and old deltas are
 * ignored.
 *
 * Every change reaches the caller through apply(ctx, entry, op), all the
 * changes of one version in a row. A version is atomic: when apply fails,
 * the changes already made for it are undone (the inverse op), the
 * version is not taken, and a snapshot is requested. Entries carry their
 * expiry; blocksub_poll() removes expired entries locally (DEL) even when
 * the correlator is unreachable.
 *
 * Wire framing (both sides use the helpers below):
 *   PUB:      "D" + BlockDelta                  (subscribe to "D")
 *   request:  "SWBLSNAP" on a DEALER to the correlator's ROUTER
 *   reply:    "S" + BlockSnapshot
 */
#ifndef SW_BLOCKSUB_H
#define SW_BLOCKSUB_H

#include <stddef.h>
#include <stdint.h>

struct uplink;

#ifndef BLOCKSUB_MAX_ENTRIES
#define BLOCKSUB_MAX_ENTRIES 65536 /* active blocks kept; more is refused */
#endif
#ifndef BLOCKSUB_MAX_PENDING
#define BLOCKSUB_MAX_PENDING 256   /* deltas kept while a snapshot is due */
#endif
#define BLOCKSUB_MAX_MSG (32 << 20) /* a full snapshot at the entry cap */

#define BLOCKSUB_TOPIC_DELTA "D"
#define BLOCKSUB_REQ_MAGIC "SWBLSNAP"
#define BLOCKSUB_REQ_MAGIC_LEN 8
#define BLOCKSUB_TAG_SNAPSHOT 'S'

enum blocksub_op {
	BLOCKSUB_ADD = 1, /* new, or a known subject with a new expiry/rule */
	BLOCKSUB_DEL = 2,
};

/* One block. The subject is (family, addr, prefix_len, identity): an
 * address block, an identity block, or both at once. */
struct blocksub_entry {
	uint8_t family;        /* AF_INET, AF_INET6, or 0 (identity only) */
	uint8_t prefix_len;
	uint8_t addr[16];      /* network order; host bits cleared */
	char identity[129];
	char rule[65];
	uint64_t expires_us;   /* unix µs, 0 = never */
};

struct blocksub_config {
	const char *endpoint;     /* PUB; NULL: no sockets (tests feed messages) */
	const char *req_endpoint; /* snapshot requests (the event ROUTER) */
	int plain;                /* 1: no CURVE (dev only) */
	const char *secret_key_file;
	const char *server_key_file;
	unsigned resync_ms;       /* snapshot request retry, 0: 1000 */
	unsigned max_entries;     /* 0: BLOCKSUB_MAX_ENTRIES */
	int (*apply)(void *ctx, const struct blocksub_entry *e, int op);
	void *ctx;
	struct uplink *uplink;    /* optional: gets counter blocklist_version */
};

struct blocksub_stats {
	uint64_t version;          /* list version applied */
	uint64_t entries;          /* active entries held */
	uint64_t deltas;           /* versions applied from deltas */
	uint64_t snapshots;        /* snapshots applied */
	uint64_t snapshot_requests;
	uint64_t gaps;             /* deltas that did not follow */
	uint64_t duplicates;       /* deltas at or below the version held */
	uint64_t ticks;
	uint64_t expired;          /* entries removed locally at expiry */
	uint64_t apply_errors;     /* versions undone because apply failed */
	uint64_t bad_messages;     /* undecodable or over a bound */
	uint64_t pending_dropped;  /* deltas dropped while resyncing */
	uint64_t full;             /* entries refused at max_entries */
	uint64_t reopens;          /* new sockets: no snapshot for BLOCKSUB_REOPEN_MS */
};

/* Joining and no snapshot after this long: new sockets (libzmq does not
 * reconnect one whose CURVE handshake the correlator refused). */
#define BLOCKSUB_REOPEN_MS 10000

struct blocksub;

struct blocksub *blocksub_new(const struct blocksub_config *cfg, char *err,
			      size_t errlen);
void blocksub_free(struct blocksub *b);

/* Receive and apply what arrived, expire due entries, (re)send a due
 * snapshot request. Waits at most timeout_ms. Returns 0 or -errno. */
int blocksub_poll(struct blocksub *b, int timeout_ms);

/* The state machine without sockets (blocksub_poll feeds these; tests call
 * them directly). data is a whole message including its tag. Return 0, or
 * -EBADMSG for a message that does not decode. */
int blocksub_on_delta(struct blocksub *b, const void *data, size_t len);
int blocksub_on_snapshot(struct blocksub *b, const void *data, size_t len);
/* Remove entries whose expiry is <= now_us; returns how many. */
unsigned blocksub_expire(struct blocksub *b, uint64_t now_us);

/* A snapshot request is due (joined, gap, failed apply). */
int blocksub_needs_snapshot(const struct blocksub *b);
uint64_t blocksub_version(const struct blocksub *b);
void blocksub_get_stats(const struct blocksub *b, struct blocksub_stats *st);
/* Visit every active entry (order unspecified). */
void blocksub_foreach(const struct blocksub *b,
		      void (*fn)(void *ctx, const struct blocksub_entry *e),
		      void *ctx);

/* Encoders for the publisher and tests. Write a tagged message into
 * buf[0..cap); *len gets its size. Return 0 or -ENOSPC. */
int blocksub_encode_delta(void *buf, size_t cap, size_t *len, uint64_t from,
			  uint64_t to, const struct blocksub_entry *add,
			  size_t nadd, const struct blocksub_entry *del,
			  size_t ndel);
int blocksub_encode_snapshot(void *buf, size_t cap, size_t *len,
			     uint64_t version,
			     const struct blocksub_entry *const *e, size_t n);

/* Upper bound of an encoded message holding n entries. */
size_t blocksub_msg_bound(size_t n);

/* "10.0.0.0/8" / "2001:db8::/32" / "1.2.3.4" (/32 implied) -> entry
 * family, addr, prefix_len (host bits cleared). Returns 0 or -EINVAL. */
int blocksub_parse_cidr(const char *s, struct blocksub_entry *e);
/* entry -> "10.0.0.0/8"; out needs 50 bytes. */
void blocksub_format_cidr(const struct blocksub_entry *e, char *out,
			  size_t cap);

#endif /* SW_BLOCKSUB_H */
