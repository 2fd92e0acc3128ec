/* server_stats.h - what the correlator's server counts and where it shows:
 * the --stats file (one JSON object, replaced every second and at exit)
 * and the Prometheus registry behind --metrics-listen. The server
 * (server.c) owns the counters and calls these; the block list, the fleet
 * detectors, ZAP and the writers add their own counts at each update.
 */
#ifndef SW_SERVER_STATS_H
#define SW_SERVER_STATS_H

#include <stdint.h>

struct blocks;
struct fleet;
struct hostrate;
struct ingest_batch;
struct metrics;
struct zap;

struct server_counters {
	uint64_t batches, events, duplicates, malformed, rejected, acks;
	uint64_t sanitized, clamped_ts, db_errors, db_connects, unknown_frames;
	uint64_t db_retries, turn_timeouts;
	uint64_t forged, oversized; /* batches naming another host; too many events */
	uint64_t api_merged, api_rejected; /* endpoint summaries (invstore.h) */
	uint64_t api_refused;     /* ... refused by a quota (sql/005) */
	uint64_t held_bytes, held_peak;    /* decoded rows waiting (SERVER_HOLD_MAX) */
	uint64_t hold_full;                /* receive passes stopped by it */
	uint64_t misrouted;                /* events another shard owns (ring.h) */
	uint64_t projected;                /* projections of stored batches (ingest.h) */
	uint64_t proj_misrouted;           /* ... whose key another shard owns */
};

/* Everything one update reads; any module pointer may be NULL (not made
 * yet, or setup failed before it). */
struct server_stats_view {
	const struct server_counters *k;
	const struct zap *zap;
	const struct blocks *bl;
	const struct fleet *fl;
	const struct hostrate *hr;
	int db_up;
};

/* Register the correlator's metric families (once, before updates). */
void server_stats_register(struct metrics *m);
/* Counters and gauges from v. */
void server_stats_update_metrics(struct metrics *m, const struct server_stats_view *v);
/* Replace the file at path (NULL: none) with v as one JSON object. */
void server_stats_write_file(const char *path, const struct server_stats_view *v);

/* One group's COPY and COMMIT took write_ns. */
void server_stats_observe_write(struct metrics *m, uint64_t write_ns);
/* b's events committed at committed_us (unix µs): each one's delay from
 * the collector's end of its exchange. */
void server_stats_observe_event_to_row(struct metrics *m, const struct ingest_batch *b,
				       uint64_t committed_us);

#endif /* SW_SERVER_STATS_H */
