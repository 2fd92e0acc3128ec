/* uplink.h - ship session events to the correlator.
 *
 * Events are batched (up to batch_events or batch_ms), encoded as a
 * protobuf Batch, written to the on-disk spool (spool.h) and then sent over
 * a ZeroMQ DEALER socket. A batch leaves the spool only when the correlator
 * acks its seq, i.e. after its COMMIT; unacked batches are sent again after
 * ack_timeout_ms (which also covers a reconnect: ZeroMQ drops what was
 * queued on a dead connection); after a timeout only the oldest goes
 * again, the timeout doubles (UPLINK_RTO_MAX_MS) and the window grows back
 * by one per ack, so a slow correlator is not buried under resends.
 * Duplicates are the correlator's business, by (host, seq).
 *
 * Nothing here blocks for long: sends are non-blocking, a full window or an
 * absent peer just leaves batches in the spool, and a full spool drops its
 * oldest batches (counted). The caller owns the loop: uplink_push() per
 * event, uplink_poll() from its poll loop.
 *
 * Security: CURVE by default. secret_key_file holds this collector's z85
 * secret key (its public key is derived), server_key_file the correlator's
 * z85 public key; both written by `swctl keygen`. plain = 1 turns
 * encryption and authentication off (development only).
 *
 * In: struct sess_event (with verdict and identity fields, pbconv_extra)
 * from the collector's loop, and acks from the correlator.
 * Out: protobuf Batches (pbconv.h) over ZeroMQ to the correlator, through
 * the spool; counters of events, batches, acks and resends.
 */
#ifndef SW_UPLINK_H
#define SW_UPLINK_H

#include <stddef.h>
#include <stdint.h>

#include "collector/uplink/pbconv.h"
#include "collector/decode/sess.h"
#include "collector/uplink/spool.h"
#include "common/wire.h"

#define UPLINK_MAX_BATCH WIRE_MAX_BATCH /* events per batch, hard cap */
#define UPLINK_MAX_COUNTERS 80 /* caller-set heartbeat counters (64 shard versions) */
#define UPLINK_MAX_ENDPOINTS 64 /* endpoint summaries per batch */
/* With batches waiting and no ack ever on the current socket for this long
 * after it was opened, it is replaced: libzmq never reconnects one whose
 * CURVE handshake was refused. */
#define UPLINK_REOPEN_MS 10000
/* TCP_USER_TIMEOUT: data unacknowledged, a zero window, or keepalive
 * probes unanswered this long drop the connection and libzmq connects
 * again (on Linux it also overrides the keepalive probe count). A
 * correlator host that vanished without a FIN is left within 10 s, idle or
 * not; a correlator that holds batches back for longer costs a reconnect
 * and resends, nothing else. A correlator process that exits closes its
 * connections (noticed at once); one that hangs while its kernel answers
 * is not a TCP matter: its acks stop and the resends back off. */
#define UPLINK_TCP_MAXRT_MS 10000
/* After an ack timeout the wait doubles up to this (or ack_timeout_ms if
 * larger) and one batch is in flight until acks come back. */
#define UPLINK_RTO_MAX_MS 16000

struct uplink_config {
	const char *endpoint;        /* default tcp://127.0.0.1:7450 */
	const char *host;            /* this collector's name (required) */
	const char *version;         /* software version for heartbeats */
	const char *spool_dir;       /* required */
	uint64_t spool_max_bytes;    /* 0: 64 MiB */
	enum spool_sync spool_sync;
	unsigned batch_events;       /* 0: 128 */
	unsigned batch_ms;           /* 0: 50 (latency: an event waits at most this long to leave) */
	unsigned window;             /* batches in flight, 0: 32 */
	unsigned ack_timeout_ms;     /* 0: 2000 */
	unsigned heartbeat_ms;       /* 0: 5000 */
	int plain;                   /* 1: no CURVE (dev only) */
	const char *secret_key_file; /* z85, 40 chars */
	const char *server_key_file; /* z85, 40 chars */
	const char *server_key;      /* or the key itself (z85 text, a ring's
				      * key for its shard): used when set */
};

struct uplink_stats {
	uint64_t events;        /* pushed */
	uint64_t batches;       /* spooled */
	uint64_t sent;          /* batch sends, first or again */
	uint64_t resent;        /* sends of a batch sent before (timeout, reopen) */
	uint64_t acked;         /* batches acked */
	uint64_t timeouts;      /* ack timeouts (window rewound) */
	uint64_t encode_errors;
	uint64_t spool_errors;  /* batches lost to a failed spool write */
	uint64_t bad_acks;      /* undecodable acks */
	uint64_t reopens;       /* new sockets after UPLINK_REOPEN_MS unheard */
	uint64_t rto_ms;        /* ack timeout now, backed off (a gauge) */
	uint64_t unflushed;     /* events not yet in a batch */
	uint64_t endpoints;     /* endpoint summaries spooled */
	struct spool_stats spool;
};

struct uplink;

struct uplink *uplink_new(const struct uplink_config *cfg, char *err,
			  size_t errlen);
void uplink_free(struct uplink *u);

/* Queue one event. host NULL means cfg->host. boot_to_unix_ns converts the
 * event's kernel times to unix time. Returns 0 or -errno; the event is
 * copied, never kept. */
int uplink_push(struct uplink *u, const struct sess_event *ev,
		const char *host, uint64_t boot_to_unix_ns);
/* Same, with verdict / identity fields. */
int uplink_push_ex(struct uplink *u, const struct sess_event *ev,
		   const struct pbconv_extra *x, const char *host,
		   uint64_t boot_to_unix_ns);

/* Spool n <= UPLINK_MAX_ENDPOINTS endpoint summaries (the API inventory)
 * as one batch of their own, after the open batch of events; from then on
 * they follow the events' rules (spool, acks, resends). Returns 0 or
 * -errno (-EINVAL for n too big). See uplink_inventory.h for the caller. */
int uplink_push_endpoints(struct uplink *u, const sidewatch_EndpointSummary *v,
			  size_t n);

/* Service the link: flush a due batch or heartbeat, send what the window
 * allows, take acks, rewind on ack timeout. Waits at most timeout_ms for
 * socket activity (0: do not wait). Returns 0 or -errno. */
int uplink_poll(struct uplink *u, int timeout_ms);

/* Close the current batch now (e.g. at shutdown). */
int uplink_flush(struct uplink *u);

/* Set a counter reported in heartbeats (name must outlive the uplink). */
int uplink_set_counter(struct uplink *u, const char *name, uint64_t value);

/* Ask for a heartbeat in the next batch. */
void uplink_heartbeat_now(struct uplink *u);

void uplink_get_stats(const struct uplink *u, struct uplink_stats *st);

#endif /* SW_UPLINK_H */
