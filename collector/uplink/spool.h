/* spool.h - bounded on-disk spool of unacknowledged uplink batches.
 *
 * Layout: a directory of append-only segment files "seg-<first seq>.swq"
 * (20 digits) plus a small "acked" file holding the highest acked seq.
 * Each record is a 16-byte header { u32 len, u32 crc32, u64 seq } (host
 * byte order) followed by len payload bytes; the crc covers seq and payload.
 * Seqs are assigned by the spool, consecutive and increasing.
 *
 * fsync policy (spool_config.sync):
 *   SPOOL_SYNC_NONE  never; a machine crash may lose what the page cache held.
 *   SPOOL_SYNC_ROLL  (default) when a segment is closed and on spool_close:
 *                    a crash loses at most the open segment's tail.
 *   SPOOL_SYNC_EACH  after every record: nothing appended is lost, at the
 *                    price of one fsync per batch.
 * The "acked" file holds one checksummed record rewritten in place and is
 * never fsynced: losing it (or reading a torn record, taken as 0) only
 * makes the uplink resend batches the correlator already has, and the
 * correlator drops those by (host, seq).
 *
 * Bounds: total bytes never exceed max_bytes; when an append would, whole
 * oldest segments are dropped and their unacked records counted in
 * stats.dropped. A reopened spool finds every intact unacked record; a
 * damaged record (bad crc) is skipped and counted, a torn tail ends its
 * segment; appends after a reopen go to a new segment.
 */
#ifndef SW_SPOOL_H
#define SW_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#ifndef SPOOL_MAX_RECORD
#define SPOOL_MAX_RECORD (4u << 20)
#endif
#define SPOOL_HDR_SIZE 16

enum spool_sync {
	SPOOL_SYNC_ROLL = 0,
	SPOOL_SYNC_NONE = 1,
	SPOOL_SYNC_EACH = 2,
};

struct spool_config {
	const char *dir;         /* created if missing */
	uint64_t max_bytes;      /* total bound; 0 = 64 MiB */
	uint64_t segment_bytes;  /* roll size; 0 = max_bytes / 8 */
	enum spool_sync sync;
	uint64_t min_seq;        /* first seq is at least this (e.g. unix µs),
				  * so a lost spool never reuses old seqs */
};

struct spool_stats {
	uint64_t records;        /* records on disk, acked or not */
	uint64_t pending;        /* records with seq > acked */
	uint64_t bytes;          /* bytes on disk (segments) */
	uint64_t segments;
	uint64_t appended;       /* since open */
	uint64_t dropped;        /* unacked records dropped because full */
	uint64_t corrupt;        /* damaged records skipped */
	uint64_t acked_seq;
	uint64_t next_seq;
};

struct spool;

/* Open (or create) the spool in cfg->dir. Returns 0 and *out, or -errno;
 * err gets one sentence. */
int spool_open(struct spool **out, const struct spool_config *cfg,
	       char *err, size_t errlen);
/* Flush per policy and free; NULL is fine. */
void spool_close(struct spool *sp);

/* Append one record; *seq gets its seq. -EMSGSIZE when it can never fit. */
int spool_append(struct spool *sp, const void *data, size_t len,
		 uint64_t *seq);

/* Everything <= seq is acknowledged: forget it, delete whole segments. */
int spool_ack(struct spool *sp, uint64_t seq);

/* Read the first intact record with seq > after. Returns 0 (fills *seq,
 * *len, buf), -ENOENT when there is none, -ENOBUFS when cap is too small
 * (*len says how much is needed), or another -errno. */
int spool_read(struct spool *sp, uint64_t after, uint64_t *seq, void *buf,
	       size_t cap, size_t *len);

void spool_get_stats(const struct spool *sp, struct spool_stats *st);

#endif /* SW_SPOOL_H */
