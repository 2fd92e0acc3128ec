/* fleet.h - cross-host behavioural detectors.
 *
 * Fed from the ingest path: ingest calls fleet_hook() for every decoded
 * event (staged per batch), and the caller commits or discards a batch's
 * events once PostgreSQL said whether the batch was stored (a resent
 * duplicate batch must not count twice). Committed events go into hot
 * windows in memory, keyed per detector and subject; fleet_tick() checks
 * the windows that changed and writes findings to PostgreSQL: each
 * detection creates or extends an incident (found again by dedupe key
 * after a restart, so a restarted correlator continues it) and, for the
 * rules that block, asks blocks.h for a fleet-wide block (refused for
 * allowlisted subjects). Windows are measured in arrival time at the
 * correlator, not the collectors' clocks. At connect the windows are
 * warmed from the recent events table and, sharded, from the projections
 * this shard kept (fleet_projections, sql/011; fleet_warm.c).
 *
 * Detectors (rule names):
 *   fleet.bruteforce.source    auth failures (401/403 on a login-like
 *                              path) from one source over >= N hosts
 *   fleet.bruteforce.endpoint  auth failures against one endpoint from
 *                              many sources (incident only)
 *   fleet.scan.source          one source, many distinct 404 paths, over
 *                              hosts; fleet.scan.net24 the same per /24,
 *                              fleet.scan.identity per identity
 *   fleet.enum.source          one source walking object ids of one path
 *                              template (/api/users/{id}) over hosts
 *   fleet.credential_sharing   one identity from many source IPs
 *                              (incident only)
 *   fleet.rate.endpoint        fleet-wide request rate of one endpoint
 *                              (incident only)
 *   fleet.grpc.probe           gRPC Unimplemented / reflection calls from
 *                              one source over hosts
 *   fleet.repeat_offender      a source blocked locally on >= N hosts;
 *                              blocked fleet-wide, TTL doubling with each
 *                              earlier fleet block of it (7 days)
 */
#ifndef SW_FLEET_H
#define SW_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "correlator/ingest.h"

struct blocks;

#ifndef FLEET_MAX_KEYS
#define FLEET_MAX_KEYS 4096   /* hot windows; idle ones are evicted */
#endif
#define FLEET_TICK_US 20000        /* database time per fleet_tick */
#define FLEET_DB_SHARE_US 250000   /* ... and per second */
#define FLEET_EXTEND_US 1000000    /* an open incident's updates, apart */
#ifndef FLEET_RING
#define FLEET_RING 128        /* observations kept per window */
#endif
#ifndef FLEET_MAX_STAGED
/* Events waiting for their batch's commit. The correlator keeps
 * pg_writers + 2 groups of up to 32 batches in flight, and a collector's
 * batch holds up to 128 events: 8 writers stage at most 40960. The stage
 * grows to this on demand; beyond it (batches larger than a collector
 * sends), events are stored but not observed, and counted. */
#define FLEET_MAX_STAGED 65536
#endif

/* Thresholds. Defaults from FLEET_DEF_* below; overridden with
 * fleet_config_set("name=value") (the correlator's --fleet option). */
struct fleet_config {
	unsigned bf_window_s, bf_min_fail, bf_min_hosts;
	unsigned bf_ep_min_sources, bf_ep_min_fail;
	unsigned scan_window_s, scan_min_paths, scan_min_hosts, scan_net_min_paths;
	unsigned enum_min_ids;
	unsigned cred_window_s, cred_min_ips;
	unsigned rate_window_s, rate_min;           /* rate_window_s <= 60 */
	unsigned grpc_window_s, grpc_min, grpc_min_hosts;
	unsigned rep_window_s, rep_min_hosts;
	unsigned block_ttl_s, block_ttl_max_s;
	unsigned incident_gap_s;  /* an open incident older than this is not extended */
	unsigned local_min_fail;  /* a host's own threshold (documentation) */
};

void fleet_config_defaults(struct fleet_config *c);
/* "bf_min_fail=12" -> 0, or -EINVAL for an unknown name or bad value,
 * -EDOM for a *_min_hosts below 2 (the detectors that block fleet-wide all
 * need two hosts' word, so one host cannot get anyone blocked alone). */
int fleet_config_set(struct fleet_config *c, const char *kv);

struct fleet_stats {
	uint64_t observed;      /* events committed into windows */
	uint64_t discarded;     /* staged events of batches not stored */
	uint64_t staged_drops;  /* staging full */
	uint64_t key_drops;     /* no window free (none could be evicted) */
	uint64_t evictions;     /* live windows evicted for new ones */
	uint64_t self_evictions; /* an owner (a source as one host reports
				  * it) at its share of a full table: its
				  * own oldest window went for its new one */
	uint64_t host_share_evictions; /* sampled evictions that took a window
				  * of a reporting host over its share */
	uint64_t detections;    /* incidents created */
	uint64_t extensions;    /* incident updates */
	uint64_t tick_cuts;     /* ticks that left windows due for the next */
	uint64_t blocks;        /* block decisions committed */
	uint64_t allowlisted;   /* blocks refused by the allow list */
	uint64_t block_errors;  /* block decisions PostgreSQL refused (the
				 * incident stands, without a block) */
	uint64_t db_errors;
	uint64_t keys;          /* windows in use */
	/* the warm-up after a (re)start (fleet_warm.c): own rows of `events`
	 * and kept projections replayed; and old projections deleted */
	uint64_t warmed_rows;
	uint64_t warmed_projections;
	uint64_t proj_pruned;
};

struct fleet;

struct fleet *fleet_new(const struct fleet_config *c, const char *pg_url);
void fleet_free(struct fleet *f);

/* Sharded: the ring (kept, not copied: it outlives f) and this shard's
 * index in it, so the warm-up feeds own rows into the endpoint and
 * identity windows only where this shard owns the key, as live ingest
 * does (ingest_own_skip). Before fleet_connect. */
struct ring;
void fleet_set_ring(struct fleet *f, const struct ring *r, int shard);

int fleet_connect(struct fleet *f, char *err, size_t errlen);
int fleet_connected(const struct fleet *f);

/* ingest hook (struct ingest_limits.hook): stage one decoded event. */
void fleet_hook(void *ctx, const struct ingest_batch *b, uint32_t idx,
		const sidewatch_SessionEvent *e, unsigned skip);
/* The batch b was stored: its staged events enter the windows. */
void fleet_commit(struct fleet *f, const struct ingest_batch *b);
/* The batch b was not stored (duplicate, rejected, malformed, failed). */
void fleet_discard(struct fleet *f, const struct ingest_batch *b);
/* Both at once for a written group, in one pass over the staging:
 * b[i]'s events enter the windows when stored[i], else are dropped. */
void fleet_settle(struct fleet *f, struct ingest_batch *const *b,
		  const uint8_t *stored, size_t n);

/* Evaluate changed windows; write incidents and blocks. Call every
 * ~200 ms and after each stored group. Returns 0 or -ECONNRESET.
 * It runs on the thread that receives and acks batches, so its database
 * time is bounded (FLEET_TICK_US per call, FLEET_DB_SHARE_US per second);
 * windows it did not reach stay due for the next call. An open incident is
 * updated at most every FLEET_EXTEND_US. */
int fleet_tick(struct fleet *f, struct blocks *bl, char *err, size_t errlen);

void fleet_get_stats(const struct fleet *f, struct fleet_stats *st);
/* PostgreSQL's word on the last block decision it refused ("" if none). */
const char *fleet_block_error(const struct fleet *f);

#endif /* SW_FLEET_H */
