/* ingest.h - decode one collector Batch into COPY rows for `events`.
 *
 * A batch is untrusted input from one collector: it is decoded with bounds
 * (nanopb static fields, callbacks for the event stream), checked (version,
 * host, seq), and each event becomes one COPY BINARY row with every string
 * sanitized (textesc.h) and every number clamped to its column's range, so
 * a decoded batch can never make the COPY fail. Anything that does not
 * decode is malformed: counted by the caller, nothing of it stored.
 *
 * A collector speaks only for itself: when the caller knows which host's
 * CURVE key sent the batch (the ZAP User-Id), a batch naming another host
 * is refused (-EACCES), and in every batch the events' own host fields, when
 * set, must name the batch's host (the fleet detectors read them). A batch
 * holds at most INGEST_MAX_EVENTS events, so an 8 MiB message of empty
 * events cannot become millions of rows.
 */
#ifndef SW_INGEST_H
#define SW_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "sidewatch.pb.h"
#include "common/textesc.h"

struct ring;

/* The COPY column list matching the rows ingest_copy_rows() writes: host
 * and seq, then the columns of each decoded event. */
extern const char INGEST_COPY_COLUMNS[];
#define INGEST_COPY_NCOLS 48

/* Events whose collector end time is kept for the event-to-row latency
 * (the first ones of a batch; a batch has at most 128 from an honest
 * collector). */
#define INGEST_END_MAX 256

/* Events one batch may hold: 32 times an honest collector's cap (128). */
#define INGEST_MAX_EVENTS 4096
/* Endpoint summaries one batch may hold: twice an honest collector's cap
 * (UPLINK_MAX_ENDPOINTS, 64). Their memory (5.4 kB each) grows with what
 * came and is given back at the next decode when it passed 64. */
#define INGEST_MAX_ENDPOINTS 128

struct ingest_batch {
	char host[256];         /* sanitized (valid UTF-8, no NUL) */
	uint64_t seq;
	uint32_t version;
	uint32_t nevents;
	uint32_t sanitized;     /* events that had bytes replaced */
	uint32_t clamped_ts;    /* events whose ts was out of range */
	int has_hb;
	sidewatch_Heartbeat hb;
	/* per event: a uint32 length (host byte order, internal framing),
	 * then the COPY BINARY fields from idx on; ingest_copy_rows() adds
	 * the field count, host and seq */
	struct sbuf rows;
	uint32_t nend;
	uint64_t end_us[INGEST_END_MAX]; /* collector end times, unix µs */
	/* API inventory: summaries that passed invcheck_summary,
	 * and how many did not (dropped, the rest of the batch kept) */
	sidewatch_EndpointSummary *inv;
	uint32_t ninv, inv_cap, inv_rejected;
	uint32_t inv_refused;   /* of ninv, refused by a quota (sql/005), set
				 * by the store when it commits */
	/* shards (ring.h): events another shard owns, stored all the same,
	 * and the first of them described (escaped), "" when none */
	uint32_t misrouted;
	char misrouted_first[200];
	/* projections (SessionEvent.projection, common/projkey.h): copies for
	 * the endpoint's or identity's owner, fed to the detectors, never rows
	 * (not in nevents); those whose key another shard owns */
	uint32_t projected;
	uint32_t proj_misrouted;
	/* of them, those a restarted shard warms its windows with (session
	 * events answered 401, 403 or 404, or with an identity): COPY rows for
	 * `fleet_projections` (sql/011), framed as rows is, stored in the
	 * batch's transaction */
	struct sbuf proj;
	uint32_t nproj;
};

/* Detector families an event must not feed (the hook's skip): with a ring,
 * a shard feeds the endpoint and identity detectors only with the events
 * whose key it owns (its sources' own, and the projections it is sent); a
 * projection feeds nothing keyed by source. 0 without a ring. */
#define INGEST_SKIP_SOURCE   1u
#define INGEST_SKIP_ENDPOINT 2u
#define INGEST_SKIP_IDENTITY 4u

/* With a ring, the INGEST_SKIP_* families an event of this shard's own
 * sources (session kind) does not feed, because another shard owns its
 * endpoint key (authority, path) or identity key; 0 without a ring or for
 * a verdict. The live ingest and the warm-up after a restart share it. */
unsigned ingest_own_skip(const struct ring *r, int shard, int session,
			 const void *authority, size_t alen, const void *path,
			 size_t plen, const void *identity, size_t idlen);

/* Called for every decoded event, in order, idx its position in the
 * batch (a projection's: after the batch's rows, see below), skip the
 * INGEST_SKIP_* families it must not feed. The batch is not known good
 * yet (it may still turn out malformed or a duplicate): a hook stages, it
 * does not act. */
typedef void (*ingest_hook_fn)(void *ctx, const struct ingest_batch *b,
			       uint32_t idx, const sidewatch_SessionEvent *e,
			       unsigned skip);

/* ts outside [ts_lo_us, ts_hi_us) is replaced by recv_us (partitions exist
 * only for that range); the row's ts_clamped column says so. */
struct ingest_limits {
	uint64_t recv_us;
	uint64_t ts_lo_us, ts_hi_us;
	ingest_hook_fn hook;    /* optional */
	void *hook_ctx;
	const char *peer;       /* the host the sender's key belongs to;
				 * NULL: not authenticated (plain mode) */
	const struct ring *ring; /* optional: count events whose owner */
	int shard;               /* on it is not this shard index */
};

/* Decode data[0..len) into b (b->rows is reset first, its memory reused).
 * Returns 0, or -EBADMSG (does not decode), -EPROTO (decodes but breaks a
 * rule: no host, seq 0 or too big, unknown version 0, events naming
 * another host), -E2BIG (more than INGEST_MAX_EVENTS events or
 * INGEST_MAX_ENDPOINTS endpoint summaries), -EACCES (the
 * batch names a host other than lim->peer), -ENOMEM. why gets one sentence
 * (attacker-chosen names in it are escaped). */
int ingest_decode(const void *data, size_t len, const struct ingest_limits *lim,
		  struct ingest_batch *b, char *why, size_t whylen);

void ingest_batch_free(struct ingest_batch *b);

/* COPY ... (FORMAT binary) stream pieces: the header once, then
 * ingest_copy_rows() for each batch, then the trailer. copy_rows returns 0,
 * -ENOMEM, or -EINVAL (rows not made by ingest_decode). */
void ingest_copy_header(struct sbuf *out);
int ingest_copy_rows(struct sbuf *out, const struct ingest_batch *b);
void ingest_copy_trailer(struct sbuf *out);
/* The same for b's kept projections, into `fleet_projections`
 * (INGEST_PROJ_COLUMNS): same header and trailer, same returns. */
extern const char INGEST_PROJ_COLUMNS[];
#define INGEST_PROJ_NCOLS 10
int ingest_copy_proj_rows(struct sbuf *out, const struct ingest_batch *b);

/* A group of batches written in one transaction: ord[0..n) gets the
 * indices of b sorted by (host, seq) (bytewise host), and repeat[i] = 1
 * for every batch whose (host, seq) an earlier one in that order has (the
 * same batch resent while the first try is still in the group). Writers
 * take row locks in this order, so two transactions never wait on each
 * other in a cycle. n <= 65535. */
void ingest_group_order(struct ingest_batch *const *b, size_t n, uint16_t *ord,
			uint8_t *repeat);

/* Format unix µs as a PostgreSQL timestamptz literal (UTC). */
void ingest_fmt_ts(char *out, size_t len, uint64_t us);

#endif /* SW_INGEST_H */
