/* blocklist_sub.h - the collector's copy of the fleet block list.
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
 * expiry; blocklist_sub_poll() removes expired entries locally (DEL) even when
 * the correlator is unreachable.
 *
 * Wire framing (both sides use the helpers below):
 *   PUB:      "D" + BlockDelta                  (subscribe to "D")
 *   request:  "SWBLSNAP" on a DEALER to the correlator's ROUTER
 *   reply:    "S" + BlockSnapshot
 */
#ifndef SW_BLOCKLIST_SUB_H
#define SW_BLOCKLIST_SUB_H

#include <stddef.h>
#include <stdint.h>

#include "common/blocklist.h"

struct uplink;

#ifndef BLOCKLIST_SUB_MAX_ENTRIES
#define BLOCKLIST_SUB_MAX_ENTRIES 65536 /* active blocks kept; more is refused */
#endif
#ifndef BLOCKLIST_SUB_MAX_PENDING
#define BLOCKLIST_SUB_MAX_PENDING 256   /* deltas kept while a snapshot is due */
#endif
struct blocklist_sub_config {
	const char *endpoint;     /* PUB; NULL: no sockets (tests feed messages) */
	const char *req_endpoint; /* snapshot requests (the event ROUTER) */
	int plain;                /* 1: no CURVE (dev only) */
	const char *secret_key_file;
	const char *server_key_file;
	const char *server_key;   /* or the key itself (z85 text, a ring's key
				   * for its shard): used when set */
	unsigned resync_ms;       /* snapshot request retry, 0: 1000 */
	unsigned max_entries;     /* 0: BLOCKLIST_SUB_MAX_ENTRIES */
	int (*apply)(void *ctx, const struct blocklist_entry *e, int op);
	void *ctx;
	struct uplink *uplink;    /* optional: gets counter blocklist_version */
};

struct blocklist_sub_stats {
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
	uint64_t reopens;          /* new sockets: no snapshot for BLOCKLIST_SUB_REOPEN_MS */
};

/* Joining and no snapshot after this long: new sockets (libzmq does not
 * reconnect one whose CURVE handshake the correlator refused). */
#define BLOCKLIST_SUB_REOPEN_MS 10000

struct blocklist_sub;

struct blocklist_sub *blocklist_sub_new(const struct blocklist_sub_config *cfg, char *err,
			      size_t errlen);
void blocklist_sub_free(struct blocklist_sub *b);

/* Receive and apply what arrived, expire due entries, (re)send a due
 * snapshot request. Waits at most timeout_ms. Returns 0 or -errno. */
int blocklist_sub_poll(struct blocklist_sub *b, int timeout_ms);

/* blocklist_sub_poll() in two halves, for one zmq_poll() over several
 * subscribers (blocklist_sub_fan.h): _prepare expires due entries, reopens
 * unanswered sockets and sends a due snapshot request, puts the SUB and
 * DEALER sockets in socks[0], socks[1] (NULL: no sockets) and returns the
 * longest wait in ms it allows (-1: any); _ready drains the sockets that
 * zmq_poll() found readable. */
int blocklist_sub_poll_prepare(struct blocklist_sub *b, void *socks[2]);
void blocklist_sub_poll_ready(struct blocklist_sub *b, int sub_ready, int req_ready);

/* The state machine without sockets (blocklist_sub_poll feeds these; tests call
 * them directly). data is a whole message including its tag. Return 0, or
 * -EBADMSG for a message that does not decode. */
int blocklist_sub_on_delta(struct blocklist_sub *b, const void *data, size_t len);
int blocklist_sub_on_snapshot(struct blocklist_sub *b, const void *data, size_t len);
/* Remove entries whose expiry is <= now_us; returns how many. */
unsigned blocklist_sub_expire(struct blocklist_sub *b, uint64_t now_us);

/* A snapshot request is due (joined, gap, failed apply). */
int blocklist_sub_needs_snapshot(const struct blocklist_sub *b);
uint64_t blocklist_sub_version(const struct blocklist_sub *b);
void blocklist_sub_get_stats(const struct blocklist_sub *b, struct blocklist_sub_stats *st);
/* Visit every active entry (order unspecified). */
void blocklist_sub_foreach(const struct blocklist_sub *b,
		      void (*fn)(void *ctx, const struct blocklist_entry *e),
		      void *ctx);

#endif /* SW_BLOCKLIST_SUB_H */
