/* server_stats.c - the correlator server's counters as a JSON file and as
 * Prometheus metrics (see server_stats.h). */
#include "correlator/memret.h"
#include "correlator/server_stats.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "correlator/blocks.h"
#include "correlator/fleet.h"
#include "correlator/hostrate.h"
#include "correlator/ingest.h"
#include "correlator/zap.h"
#include "common/json.h"
#include "common/metrics.h"

/* --- the --stats file ---------------------------------------------------- */

/* ,"throttled_batches":N,"throttled_rows":N,"throttled_hosts":{"h1":
 * {"batches":N,"rows":N},...}: hosts refused by their rows/s budget */
static void write_throttled(FILE *f, const struct hostrate *hr)
{
	uint64_t nb = 0, nr = 0;
	unsigned i, n = hr ? hostrate_count(hr) : 0;
	const char *sep = "";

	if (hr)
		hostrate_totals(hr, &nb, &nr);
	fprintf(f, ",\"throttled_batches\":%" PRIu64 ",\"throttled_rows\":%" PRIu64
		",\"throttled_hosts\":{", nb, nr);
	for (i = 0; i < n; i++) {
		const struct hostrate_host *h = hostrate_get(hr, i);
		char name[1600];

		if (!h->refused_batches)
			continue;
		json_escape(name, sizeof(name), h->name, strnlen(h->name, sizeof(h->name)));
		fprintf(f, "%s\"%s\":{\"batches\":%" PRIu64 ",\"rows\":%" PRIu64 "}",
			sep, name, h->refused_batches, h->refused_rows);
		sep = ",";
	}
	fputc('}', f);
}

void server_stats_write_file(const char *path, const struct server_stats_view *v)
{
	const struct server_counters *k = v->k;
	struct blocks_stats bs = {0};
	struct fleet_stats fs = {0};
	char tmp[4096];
	FILE *f;

	if (!path)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (v->bl)
		blocks_get_stats(v->bl, &bs);
	if (v->fl)
		fleet_get_stats(v->fl, &fs);
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f, "{\"batches\":%" PRIu64 ",\"events\":%" PRIu64
		",\"duplicates\":%" PRIu64 ",\"malformed\":%" PRIu64
		",\"rejected\":%" PRIu64 ",\"acks\":%" PRIu64
		",\"sanitized\":%" PRIu64 ",\"clamped_ts\":%" PRIu64
		",\"db_errors\":%" PRIu64 ",\"db_connects\":%" PRIu64
		",\"unknown_frames\":%" PRIu64 ",\"zap_allowed\":%" PRIu64
		",\"zap_denied\":%" PRIu64 ",\"keys\":%u,\"db_up\":%s"
		",\"blocklist_version\":%" PRIu64 ",\"blocks_active\":%" PRIu64
		",\"block_deltas\":%" PRIu64 ",\"block_snapshots\":%" PRIu64
		",\"fleet_observed\":%" PRIu64 ",\"fleet_detections\":%" PRIu64
		",\"fleet_blocks\":%" PRIu64 ",\"fleet_allowlisted\":%" PRIu64
		",\"fleet_db_errors\":%" PRIu64 ",\"fleet_staging_full\":%" PRIu64
		",\"fleet_window_drops\":%" PRIu64 ",\"fleet_tick_cuts\":%" PRIu64
		",\"fleet_window_evictions\":%" PRIu64
		",\"fleet_window_self_evictions\":%" PRIu64
		",\"fleet_window_host_share_evictions\":%" PRIu64
		",\"fleet_block_errors\":%" PRIu64 ",\"block_groups_split\":%" PRIu64
		",\"forged\":%" PRIu64 ",\"oversized\":%" PRIu64
		",\"api_merged\":%" PRIu64 ",\"api_rejected\":%" PRIu64
		",\"api_refused\":%" PRIu64
		",\"blocks_protected_skipped\":%" PRIu64 ",\"protected_addrs\":%" PRIu64
		",\"misrouted\":%" PRIu64
		",\"projected\":%" PRIu64 ",\"projections_misrouted\":%" PRIu64
		",\"fleet_windows\":%" PRIu64 ",\"fleet_warmed_rows\":%" PRIu64
		",\"fleet_warmed_projections\":%" PRIu64
		",\"fleet_projections_pruned\":%" PRIu64,
		k->batches, k->events, k->duplicates, k->malformed, k->rejected,
		k->acks, k->sanitized, k->clamped_ts, k->db_errors,
		k->db_connects, k->unknown_frames, zap_allowed(v->zap), zap_denied(v->zap),
		zap_key_count(v->zap), v->db_up ? "true" : "false", bs.version, bs.active,
		bs.deltas, bs.snapshots, fs.observed, fs.detections, fs.blocks,
		fs.allowlisted, fs.db_errors, fs.staged_drops, fs.key_drops,
		fs.tick_cuts, fs.evictions, fs.self_evictions,
		fs.host_share_evictions, fs.block_errors, bs.split, k->forged,
		k->oversized, k->api_merged, k->api_rejected, k->api_refused,
		bs.protected_skips,
		bs.protected_addrs, k->misrouted, k->projected, k->proj_misrouted,
		fs.keys, fs.warmed_rows, fs.warmed_projections, fs.proj_pruned);
	{
		struct memret_stats ms;

		memret_get_stats(&ms);
		fprintf(f, ",\"mem_released_bytes\":%" PRIu64 ",\"mem_releases\":%" PRIu64
			",\"mem_trims\":%" PRIu64 ",\"held_bytes\":%" PRIu64
			",\"held_peak_bytes\":%" PRIu64 ",\"hold_full\":%" PRIu64,
			ms.released_bytes, ms.releases, ms.trims, k->held_bytes,
			k->held_peak, k->hold_full);
	}
	write_throttled(f, v->hr);
	fputs("}\n", f);
	if (fclose(f) == 0)
		rename(tmp, path);
}

/* --- Prometheus ---------------------------------------------------------- */

static const double PG_WRITE_BOUNDS[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};

/* collector end of exchange -> row committed: batching at the collector
 * (uplink batch_ms) dominates, so the buckets are fine from 0.5 ms to 10 s */
static const double EVENT_TO_ROW_BOUNDS[] = {
	0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15,
	0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10,
};

static const struct {
	const char *name;
	enum metrics_type type;
	const char *help;
	const double *bounds;
	size_t nbounds;
} FAMILIES[] = {
	{ "sidewatch_correlator_batches_total", METRICS_COUNTER,
	  "Batches received, by result (stored, duplicate, rejected, malformed, forged: naming a host other than its key's, oversized: more events than a batch may hold)." },
	{ "sidewatch_correlator_api_summaries_total", METRICS_COUNTER,
	  "API endpoint summaries of committed batches, by result (merged, rejected: broke the message's rules, refused: over a quota of sql/005, counted per host and reason in api_inventory_refusals)." },
	{ "sidewatch_correlator_mem_released_bytes_total", METRICS_COUNTER,
	  "Bytes of pooled buffers a peak grew, given back when their work was done." },
	{ "sidewatch_correlator_events_total", METRICS_COUNTER,
	  "Events committed to PostgreSQL." },
	{ "sidewatch_correlator_events_misrouted_total", METRICS_COUNTER,
	  "Events of accepted batches another shard of the ring owns (stored all the same)." },
	{ "sidewatch_correlator_projections_total", METRICS_COUNTER,
	  "Projections (an event's copy for its endpoint's or identity's shard) of stored batches, fed to those detectors, never stored as rows; result misrouted: their key is another shard's." },
	{ "sidewatch_correlator_events_fixed_total", METRICS_COUNTER,
	  "Committed events whose strings were sanitized or whose timestamp was clamped." },
	{ "sidewatch_correlator_acks_total", METRICS_COUNTER,
	  "Acks sent to collectors." },
	{ "sidewatch_correlator_db_errors_total", METRICS_COUNTER,
	  "PostgreSQL connection or write failures." },
	{ "sidewatch_correlator_db_connects_total", METRICS_COUNTER,
	  "PostgreSQL connections made." },
	{ "sidewatch_correlator_db_retries_total", METRICS_COUNTER,
	  "Transactions tried again (deadlock, serialization, commit turn timeout)." },
	{ "sidewatch_correlator_commit_turn_timeouts_total", METRICS_COUNTER,
	  "Groups that waited in vain for their turn to COMMIT (rolled back and retried)." },
	{ "sidewatch_correlator_zap_total", METRICS_COUNTER,
	  "CURVE handshakes, by result (allowed, denied)." },
	{ "sidewatch_correlator_unknown_frames_total", METRICS_COUNTER,
	  "ZeroMQ messages without a routing frame." },
	{ "sidewatch_correlator_db_up", METRICS_GAUGE,
	  "1 when connected to PostgreSQL." },
	{ "sidewatch_correlator_keys", METRICS_GAUGE,
	  "Authorised collector keys." },
	{ "sidewatch_correlator_fleet_events_total", METRICS_COUNTER,
	  "Committed events by what the fleet detectors made of them (observed; unobserved: staging full)." },
	{ "sidewatch_correlator_fleet_window_drops_total", METRICS_COUNTER,
	  "Observations dropped because no detector window could be made for them (out of memory)." },
	{ "sidewatch_correlator_fleet_window_evictions_total", METRICS_COUNTER,
	  "Live detector windows evicted to make room for new ones, by reason: own_share (an owner, one source as one host reports it, at its share of the table paid with its own oldest window), host_share (the least recently observed of a sample, a window of a reporting host over its share), sampled (the least recently observed of a sample, others)." },
	{ "sidewatch_correlator_fleet_tick_cuts_total", METRICS_COUNTER,
	  "Detector passes that reached their database time limit and left windows for the next pass." },
	{ "sidewatch_correlator_fleet_incidents_total", METRICS_COUNTER,
	  "Incidents the fleet detectors opened." },
	{ "sidewatch_correlator_fleet_blocks_total", METRICS_COUNTER,
	  "Block decisions the fleet detectors committed." },
	{ "sidewatch_correlator_fleet_block_errors_total", METRICS_COUNTER,
	  "Block decisions PostgreSQL refused (their incidents stand without a block)." },
	{ "sidewatch_correlator_fleet_blocks_protected_total", METRICS_COUNTER,
	  "Detector blocks skipped: they covered the correlator's or a collector's address." },
	{ "sidewatch_correlator_throttled_batches_total", METRICS_COUNTER,
	  "Batches refused (not acked: resent later) because their host was over its rows per second, by host." },
	{ "sidewatch_correlator_throttled_rows_total", METRICS_COUNTER,
	  "Rows of the batches refused over their host's rows per second, by host." },
	{ "sidewatch_correlator_fleet_warmed_total", METRICS_COUNTER,
	  "Observations replayed into the detector windows at start, by source (events: this shard's own rows; projections: the kept copies other shards sent it)." },
	{ "sidewatch_correlator_fleet_projections_pruned_total", METRICS_COUNTER,
	  "Kept projections deleted past the longest detector window." },
	{ "sidewatch_correlator_fleet_windows", METRICS_GAUGE,
	  "Detector windows in use." },
	{ "sidewatch_correlator_pg_write_seconds", METRICS_HISTOGRAM,
	  "Time to COPY and COMMIT one group of batches.",
	  PG_WRITE_BOUNDS, sizeof(PG_WRITE_BOUNDS) / sizeof(PG_WRITE_BOUNDS[0]) },
	{ "sidewatch_correlator_event_to_row_seconds", METRICS_HISTOGRAM,
	  "Collector end of an exchange (its wall clock) to its row committed (ours, right after COMMIT).",
	  EVENT_TO_ROW_BOUNDS, sizeof(EVENT_TO_ROW_BOUNDS) / sizeof(EVENT_TO_ROW_BOUNDS[0]) },
};

void server_stats_register(struct metrics *m)
{
	size_t i;

	for (i = 0; i < sizeof(FAMILIES) / sizeof(FAMILIES[0]); i++)
		metrics_register(m, FAMILIES[i].name, FAMILIES[i].type, FAMILIES[i].help,
				 FAMILIES[i].bounds, FAMILIES[i].nbounds);
}

void server_stats_observe_write(struct metrics *m, uint64_t write_ns)
{
	metrics_hist_observe(m, "sidewatch_correlator_pg_write_seconds", NULL,
			     (double)write_ns / 1e9);
}

/* One observation per committed event that carries its end time; a
 * collector clock ahead of ours counts as 0. */
void server_stats_observe_event_to_row(struct metrics *m, const struct ingest_batch *b,
				       uint64_t committed_us)
{
	double v[256];
	uint32_t i = 0, n;

	while (i < b->nend) { /* one series lookup per 256 events */
		for (n = 0; n < 256 && i < b->nend; n++, i++) {
			uint64_t e = b->end_us[i];

			v[n] = e < committed_us ? (double)(committed_us - e) / 1e6 : 0.0;
		}
		metrics_hist_observe_n(m, "sidewatch_correlator_event_to_row_seconds",
				       NULL, v, n);
	}
}

void server_stats_update_metrics(struct metrics *m, const struct server_stats_view *v)
{
	const struct server_counters *k = v->k;
	static const char *const ob[] = { "result", "observed", NULL };
	static const char *const ev_s[] = { "reason", "sampled", NULL };
	static const char *const ev_h[] = { "reason", "host_share", NULL };
	static const char *const ev_o[] = { "reason", "own_share", NULL };
	static const char *const un[] = { "result", "unobserved", NULL };
	static const char *const wr[] = { "source", "events", NULL };
	static const char *const wp[] = { "source", "projections", NULL };
	static const char *const st[] = { "result", "stored", NULL };
	static const char *const du[] = { "result", "duplicate", NULL };
	static const char *const re[] = { "result", "rejected", NULL };
	static const char *const ma[] = { "result", "malformed", NULL };
	static const char *const fo[] = { "result", "forged", NULL };
	static const char *const ov[] = { "result", "oversized", NULL };
	static const char *const sa[] = { "why", "sanitized", NULL };
	static const char *const cl[] = { "why", "clamped_ts", NULL };
	static const char *const al[] = { "result", "allowed", NULL };
	static const char *const de[] = { "result", "denied", NULL };

	metrics_counter_set(m, "sidewatch_correlator_batches_total", st, k->batches);
	metrics_counter_set(m, "sidewatch_correlator_batches_total", du, k->duplicates);
	metrics_counter_set(m, "sidewatch_correlator_batches_total", re, k->rejected);
	metrics_counter_set(m, "sidewatch_correlator_batches_total", ma, k->malformed);
	metrics_counter_set(m, "sidewatch_correlator_batches_total", fo, k->forged);
	metrics_counter_set(m, "sidewatch_correlator_batches_total", ov, k->oversized);
	metrics_counter_set(m, "sidewatch_correlator_events_total", NULL, k->events);
	metrics_counter_set(m, "sidewatch_correlator_events_misrouted_total", NULL,
			    k->misrouted);
	{
		const char *fed[] = { "result", "fed", NULL };
		const char *mis[] = { "result", "misrouted", NULL };

		metrics_counter_set(m, "sidewatch_correlator_projections_total", fed,
				    k->projected - k->proj_misrouted);
		metrics_counter_set(m, "sidewatch_correlator_projections_total", mis,
				    k->proj_misrouted);
	}
	{
		struct memret_stats ms;

		memret_get_stats(&ms);
		metrics_counter_set(m, "sidewatch_correlator_mem_released_bytes_total", NULL,
				    ms.released_bytes);
	}
	{
		static const char *const me[] = { "result", "merged", NULL };
		static const char *const rf[] = { "result", "refused", NULL };

		metrics_counter_set(m, "sidewatch_correlator_api_summaries_total", me,
				    k->api_merged);
		metrics_counter_set(m, "sidewatch_correlator_api_summaries_total", re,
				    k->api_rejected);
		metrics_counter_set(m, "sidewatch_correlator_api_summaries_total", rf,
				    k->api_refused);
	}
	metrics_counter_set(m, "sidewatch_correlator_events_fixed_total", sa, k->sanitized);
	metrics_counter_set(m, "sidewatch_correlator_events_fixed_total", cl, k->clamped_ts);
	metrics_counter_set(m, "sidewatch_correlator_acks_total", NULL, k->acks);
	metrics_counter_set(m, "sidewatch_correlator_db_errors_total", NULL, k->db_errors);
	metrics_counter_set(m, "sidewatch_correlator_db_connects_total", NULL, k->db_connects);
	metrics_counter_set(m, "sidewatch_correlator_db_retries_total", NULL, k->db_retries);
	metrics_counter_set(m, "sidewatch_correlator_commit_turn_timeouts_total", NULL, k->turn_timeouts);
	metrics_counter_set(m, "sidewatch_correlator_zap_total", al, zap_allowed(v->zap));
	metrics_counter_set(m, "sidewatch_correlator_zap_total", de, zap_denied(v->zap));
	metrics_counter_set(m, "sidewatch_correlator_unknown_frames_total", NULL, k->unknown_frames);
	metrics_gauge_set(m, "sidewatch_correlator_db_up", NULL, v->db_up ? 1 : 0);
	metrics_gauge_set(m, "sidewatch_correlator_keys", NULL, zap_key_count(v->zap));
	if (v->fl) {
		struct fleet_stats fs = {0};

		fleet_get_stats(v->fl, &fs);
		metrics_counter_set(m, "sidewatch_correlator_fleet_events_total", ob, fs.observed);
		metrics_counter_set(m, "sidewatch_correlator_fleet_events_total", un, fs.staged_drops);
		metrics_counter_set(m, "sidewatch_correlator_fleet_window_drops_total", NULL, fs.key_drops);
		metrics_counter_set(m, "sidewatch_correlator_fleet_tick_cuts_total", NULL, fs.tick_cuts);
		metrics_counter_set(m, "sidewatch_correlator_fleet_window_evictions_total", ev_s,
				    fs.evictions - fs.host_share_evictions);
		metrics_counter_set(m, "sidewatch_correlator_fleet_window_evictions_total", ev_h,
				    fs.host_share_evictions);
		metrics_counter_set(m, "sidewatch_correlator_fleet_window_evictions_total", ev_o,
				    fs.self_evictions);
		metrics_counter_set(m, "sidewatch_correlator_fleet_incidents_total", NULL, fs.detections);
		metrics_counter_set(m, "sidewatch_correlator_fleet_blocks_total", NULL, fs.blocks);
		metrics_counter_set(m, "sidewatch_correlator_fleet_block_errors_total", NULL, fs.block_errors);
		metrics_counter_set(m, "sidewatch_correlator_fleet_warmed_total", wr, fs.warmed_rows);
		metrics_counter_set(m, "sidewatch_correlator_fleet_warmed_total", wp,
				    fs.warmed_projections);
		metrics_counter_set(m, "sidewatch_correlator_fleet_projections_pruned_total", NULL,
				    fs.proj_pruned);
		metrics_gauge_set(m, "sidewatch_correlator_fleet_windows", NULL, fs.keys);
	}
	for (unsigned i = 0; v->hr && i < hostrate_count(v->hr); i++) {
		const struct hostrate_host *h = hostrate_get(v->hr, i);
		const char *const lb[] = { "host", h->name, NULL };

		if (!h->refused_batches)
			continue;
		metrics_counter_set(m, "sidewatch_correlator_throttled_batches_total", lb,
				    h->refused_batches);
		metrics_counter_set(m, "sidewatch_correlator_throttled_rows_total", lb,
				    h->refused_rows);
	}
	if (v->bl) {
		struct blocks_stats bs = {0};

		blocks_get_stats(v->bl, &bs);
		metrics_counter_set(m, "sidewatch_correlator_fleet_blocks_protected_total",
				    NULL, bs.protected_skips);
	}
}
