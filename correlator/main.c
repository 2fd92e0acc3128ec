/* sidewatch-correlator - central ingest: collectors' batches over ZeroMQ
 * (ROUTER, CURVE) into PostgreSQL, acked only after COMMIT.
 *
 *   sidewatch-correlator [--listen tcp://127.0.0.1:7450]
 *       [--blocks tcp://127.0.0.1:7451] [--pg URL] [--keys DIR]
 *       [--server-key FILE] [--plain] [--sql DIR] [--retention DAYS]
 *       [--stats FILE] [--metrics-listen HOST:PORT] [--config FILE]
 *       [--fleet NAME=VALUE]... [--pg-writers N]
 *
 * --pg defaults to $SIDEWATCH_PG, else the embedded default
 * postgresql://postgres@127.0.0.1:55432/sidewatch. --keys is the directory
 * of authorised collector public keys (NAME.pub), --server-key the
 * correlator's z85 secret key (default var/keys/server.key). --plain turns
 * CURVE off (development only). --stats writes the counters as one JSON
 * object, replaced every second and at exit. --metrics-listen serves
 * Prometheus text on GET /metrics (default 127.0.0.1:9465, "off" for none).
 * --config reads the same settings from a flat YAML file (every key is
 * documented with its default in deploy/correlator.yaml); precedence is
 * defaults < file < $SIDEWATCH_PG < options. Exit codes: 0 stopped by a
 * signal, 1 runtime failure, 2 bad option or config file.
 *
 * --fleet overrides a
 * cross-host detector threshold (fleet.h, e.g. bf_min_fail=12).
 * --pg-writers is the number of PostgreSQL connections writing groups of
 * batches in parallel (writer.h; default 2, 1..8).
 *
 * Threads: this one receives and decodes batches, feeds the detectors,
 * serves the block list and metrics, and sends every ack; the writer
 * threads (writer.h) only write groups to PostgreSQL and hand them back.
 *
 * Block lists: decisions go to PostgreSQL (blocks.h); committed versions
 * are published on --blocks; a collector's snapshot request arrives on
 * --listen beside the batches.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include <pb_encode.h>

#include "correlator/blocks.h"
#include "correlator/corr_config.h"
#include "common/curvekey.h"
#include "common/clock.h"
#include "common/json.h"
#include "correlator/fleet.h"
#include "correlator/ingest.h"
#include "common/metrics.h"
#include "correlator/store.h"
#include "common/wire.h"
#include "correlator/writer.h"
#include "correlator/zap.h"

#define GROUP_MAX 32            /* batches per transaction */
#define GROUPS_EXTRA 2          /* groups filling or queued beyond one per writer */
#define MAX_MSG (8 << 20)       /* bytes; a full batch is < 1 MiB */

/* Every event of every group in flight fits in the fleet's staging. */
_Static_assert((WRITER_MAX_CONNS + GROUPS_EXTRA) * GROUP_MAX * WIRE_MAX_BATCH <=
	       FLEET_MAX_STAGED, "fleet staging holds what the groups can");

struct counters {
	uint64_t batches, events, duplicates, malformed, rejected, acks;
	uint64_t sanitized, clamped_ts, db_errors, db_connects, unknown_frames;
	uint64_t db_retries, turn_timeouts;
	uint64_t forged, oversized; /* batches naming another host; too many events */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t mono_ms(void)
{
	return clock_mono_ms();
}

static uint64_t unix_us(void)
{
	return clock_unix_us();
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;

	fputs("correlator: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void write_stats(const struct corr_config *c, const struct counters *k,
			const struct zap *z, int db_up, const struct blocks *bl,
			const struct fleet *fl)
{
	struct blocks_stats bs = {0};
	struct fleet_stats fs = {0};
	char tmp[4096];
	FILE *f;

	if (!c->stats)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", c->stats);
	if (bl)
		blocks_get_stats(bl, &bs);
	if (fl)
		fleet_get_stats(fl, &fs);
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
		",\"fleet_block_errors\":%" PRIu64 ",\"block_groups_split\":%" PRIu64
		",\"forged\":%" PRIu64 ",\"oversized\":%" PRIu64 "}\n",
		k->batches, k->events, k->duplicates, k->malformed, k->rejected,
		k->acks, k->sanitized, k->clamped_ts, k->db_errors,
		k->db_connects, k->unknown_frames, zap_allowed(z), zap_denied(z),
		zap_key_count(z), db_up ? "true" : "false", bs.version, bs.active,
		bs.deltas, bs.snapshots, fs.observed, fs.detections, fs.blocks,
		fs.allowlisted, fs.db_errors, fs.staged_drops, fs.key_drops,
		fs.tick_cuts, fs.evictions, fs.block_errors, bs.split, k->forged,
		k->oversized);
	if (fclose(f) == 0)
		rename(tmp, c->stats);
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

static void metrics_setup(struct metrics *m)
{
	metrics_register(m, "sidewatch_correlator_batches_total", METRICS_COUNTER,
			 "Batches received, by result (stored, duplicate, rejected, malformed, forged: naming a host other than its key's, oversized: more events than a batch may hold).", NULL, 0);
	metrics_register(m, "sidewatch_correlator_events_total", METRICS_COUNTER,
			 "Events committed to PostgreSQL.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_events_fixed_total", METRICS_COUNTER,
			 "Committed events whose strings were sanitized or whose timestamp was clamped.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_acks_total", METRICS_COUNTER,
			 "Acks sent to collectors.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_db_errors_total", METRICS_COUNTER,
			 "PostgreSQL connection or write failures.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_db_connects_total", METRICS_COUNTER,
			 "PostgreSQL connections made.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_db_retries_total", METRICS_COUNTER,
			 "Transactions tried again (deadlock, serialization, commit turn timeout).", NULL, 0);
	metrics_register(m, "sidewatch_correlator_commit_turn_timeouts_total", METRICS_COUNTER,
			 "Groups that waited in vain for their turn to COMMIT (rolled back and retried).", NULL, 0);
	metrics_register(m, "sidewatch_correlator_zap_total", METRICS_COUNTER,
			 "CURVE handshakes, by result (allowed, denied).", NULL, 0);
	metrics_register(m, "sidewatch_correlator_unknown_frames_total", METRICS_COUNTER,
			 "ZeroMQ messages without a routing frame.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_db_up", METRICS_GAUGE,
			 "1 when connected to PostgreSQL.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_keys", METRICS_GAUGE,
			 "Authorised collector keys.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_fleet_events_total", METRICS_COUNTER,
			 "Committed events by what the fleet detectors made of them (observed; unobserved: staging full).", NULL, 0);
	metrics_register(m, "sidewatch_correlator_fleet_window_drops_total", METRICS_COUNTER,
			 "Observations dropped because no detector window could be made for them (out of memory).", NULL, 0);
	metrics_register(m, "sidewatch_correlator_fleet_window_evictions_total", METRICS_COUNTER,
			 "Live detector windows evicted (the least recently observed of a sample) to make room for new ones.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_fleet_tick_cuts_total", METRICS_COUNTER,
			 "Detector passes that reached their database time limit and left windows for the next pass.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_fleet_incidents_total", METRICS_COUNTER,
			 "Incidents the fleet detectors opened.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_fleet_blocks_total", METRICS_COUNTER,
			 "Block decisions the fleet detectors committed.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_fleet_block_errors_total", METRICS_COUNTER,
			 "Block decisions PostgreSQL refused (their incidents stand without a block).", NULL, 0);
	metrics_register(m, "sidewatch_correlator_fleet_windows", METRICS_GAUGE,
			 "Detector windows in use.", NULL, 0);
	metrics_register(m, "sidewatch_correlator_pg_write_seconds", METRICS_HISTOGRAM,
			 "Time to COPY and COMMIT one group of batches.", PG_WRITE_BOUNDS,
			 sizeof(PG_WRITE_BOUNDS) / sizeof(PG_WRITE_BOUNDS[0]));
	metrics_register(m, "sidewatch_correlator_event_to_row_seconds", METRICS_HISTOGRAM,
			 "Collector end of an exchange (its wall clock) to its row committed (ours, right after COMMIT).",
			 EVENT_TO_ROW_BOUNDS,
			 sizeof(EVENT_TO_ROW_BOUNDS) / sizeof(EVENT_TO_ROW_BOUNDS[0]));
}

/* One observation per committed event that carries its end time; a
 * collector clock ahead of ours counts as 0. */
static void observe_event_to_row(struct metrics *m, const struct ingest_batch *b,
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

static void metrics_update(struct metrics *m, const struct counters *k,
			   const struct zap *z, int db_up, const struct fleet *fl)
{
	static const char *const ob[] = { "result", "observed", NULL };
	static const char *const un[] = { "result", "unobserved", NULL };
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
	metrics_counter_set(m, "sidewatch_correlator_events_fixed_total", sa, k->sanitized);
	metrics_counter_set(m, "sidewatch_correlator_events_fixed_total", cl, k->clamped_ts);
	metrics_counter_set(m, "sidewatch_correlator_acks_total", NULL, k->acks);
	metrics_counter_set(m, "sidewatch_correlator_db_errors_total", NULL, k->db_errors);
	metrics_counter_set(m, "sidewatch_correlator_db_connects_total", NULL, k->db_connects);
	metrics_counter_set(m, "sidewatch_correlator_db_retries_total", NULL, k->db_retries);
	metrics_counter_set(m, "sidewatch_correlator_commit_turn_timeouts_total", NULL, k->turn_timeouts);
	metrics_counter_set(m, "sidewatch_correlator_zap_total", al, zap_allowed(z));
	metrics_counter_set(m, "sidewatch_correlator_zap_total", de, zap_denied(z));
	metrics_counter_set(m, "sidewatch_correlator_unknown_frames_total", NULL, k->unknown_frames);
	metrics_gauge_set(m, "sidewatch_correlator_db_up", NULL, db_up ? 1 : 0);
	metrics_gauge_set(m, "sidewatch_correlator_keys", NULL, zap_key_count(z));
	if (fl) {
		struct fleet_stats fs = {0};

		fleet_get_stats(fl, &fs);
		metrics_counter_set(m, "sidewatch_correlator_fleet_events_total", ob, fs.observed);
		metrics_counter_set(m, "sidewatch_correlator_fleet_events_total", un, fs.staged_drops);
		metrics_counter_set(m, "sidewatch_correlator_fleet_window_drops_total", NULL, fs.key_drops);
		metrics_counter_set(m, "sidewatch_correlator_fleet_tick_cuts_total", NULL, fs.tick_cuts);
		metrics_counter_set(m, "sidewatch_correlator_fleet_window_evictions_total", NULL, fs.evictions);
		metrics_counter_set(m, "sidewatch_correlator_fleet_incidents_total", NULL, fs.detections);
		metrics_counter_set(m, "sidewatch_correlator_fleet_blocks_total", NULL, fs.blocks);
		metrics_counter_set(m, "sidewatch_correlator_fleet_block_errors_total", NULL, fs.block_errors);
		metrics_gauge_set(m, "sidewatch_correlator_fleet_windows", NULL, fs.keys);
	}
}

static int curve_server(void *s, const char *secret)
{
	int one = 1;

	return zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof(one)) < 0 ||
	       zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, secret, 40) < 0 ||
	       zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, "sidewatch", 9) < 0 ? -1 : 0;
}

/* One received message: [routing id][payload]. */
struct slot {
	zmq_msg_t id;
	struct ingest_batch b;
};

/* Up to GROUP_MAX batches written in one transaction. Filled here, then
 * the writers' until writer_done() hands wg back (busy meanwhile). */
struct group {
	struct writer_group wg; /* first: writer_done() returns &wg */
	struct slot slots[GROUP_MAX];
	int busy;
};

static void send_ack(void *router, struct slot *s, struct counters *k)
{
	sidewatch_Ack ack = sidewatch_Ack_init_zero;
	uint8_t buf[sidewatch_Ack_size];
	pb_ostream_t os = pb_ostream_from_buffer(buf, sizeof(buf));

	ack.version = sidewatch_Const_PROTO_VERSION;
	snprintf(ack.host, sizeof(ack.host), "%s", s->b.host);
	ack.seq = s->b.seq;
	if (!pb_encode(&os, sidewatch_Ack_fields, &ack))
		return;
	/* a vanished peer is fine: the collector resends and we ack again */
	if (zmq_send(router, zmq_msg_data(&s->id), zmq_msg_size(&s->id),
		     ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
		return;
	if (zmq_send(router, buf, os.bytes_written, ZMQ_DONTWAIT) >= 0)
		k->acks++;
}

/* Receive one message into s; returns 1 when s holds a good batch, 0 when
 * the message was consumed and counted (malformed), -1 when none waits. */
static int recv_one(void *router, struct slot *s, struct writer *wr,
		    struct counters *k, struct blocks *bl, struct fleet *fl)
{
	struct ingest_limits lim;
	zmq_msg_t m;
	int more = 0, rc, extra = 0;
	size_t ml = sizeof(more);
	char why[256];

	zmq_msg_init(&s->id);
	if (zmq_msg_recv(&s->id, router, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&s->id);
		return -1;
	}
	zmq_getsockopt(router, ZMQ_RCVMORE, &more, &ml);
	if (!more) { /* ROUTER always prefixes the id; cannot happen */
		zmq_msg_close(&s->id);
		k->unknown_frames++;
		return 0;
	}
	zmq_msg_init(&m);
	zmq_msg_recv(&m, router, 0);
	zmq_getsockopt(router, ZMQ_RCVMORE, &more, &ml);
	while (more) { /* a batch is one frame: drain extras */
		zmq_msg_t x;
		zmq_msg_init(&x);
		zmq_msg_recv(&x, router, 0);
		zmq_msg_close(&x);
		zmq_getsockopt(router, ZMQ_RCVMORE, &more, &ml);
		extra = 1;
	}
	if (blocks_is_request(zmq_msg_data(&m), zmq_msg_size(&m)) && !extra) {
		/* a collector (re)joining the block list */
		blocks_reply_snapshot(bl, router, zmq_msg_data(&s->id),
				      zmq_msg_size(&s->id));
		zmq_msg_close(&m);
		zmq_msg_close(&s->id);
		return 0;
	}
	lim.recv_us = unix_us();
	writer_ts_range(wr, &lim.ts_lo_us, &lim.ts_hi_us);
	lim.hook = fleet_hook;
	lim.hook_ctx = fl;
	/* the host whose key the ZAP handler admitted (none in plain mode) */
	lim.peer = zmq_msg_gets(&m, "User-Id");
	if (lim.peer && !*lim.peer)
		lim.peer = NULL;
	/* nothing of s is staged: its last group was settled (finish_group)
	 * or its last try discarded below */
	rc = extra ? -EPROTO
		   : ingest_decode(zmq_msg_data(&m), zmq_msg_size(&m), &lim,
				   &s->b, why, sizeof(why));
	if (rc < 0) {
		const char *user = zmq_msg_gets(&m, "User-Id");

		fleet_discard(fl, &s->b);
		if (rc == -EACCES)
			k->forged++;
		else if (rc == -E2BIG)
			k->oversized++;
		else
			k->malformed++;
		logf_("%s batch from %s (%zu bytes): %s",
		      rc == -EACCES || rc == -E2BIG ? "refused" : "malformed",
		      user ? user : "?", zmq_msg_size(&m),
		      extra ? "extra frames" : why);
		zmq_msg_close(&m);
		zmq_msg_close(&s->id);
		return 0;
	}
	zmq_msg_close(&m);
	return 1;
}

/* One pass of the fleet detectors; logs what went wrong, and the block
 * decisions PostgreSQL refused since the last pass (*refused: seen so far). */
static void fleet_pass(struct fleet *fl, struct blocks *bl, uint64_t *refused)
{
	struct fleet_stats fs;
	char err[512];

	if (fleet_tick(fl, bl, err, sizeof(err)) < 0 && fleet_connected(fl))
		logf_("%s", err);
	fleet_get_stats(fl, &fs);
	if (fs.block_errors > *refused) {
		logf_("fleet: PostgreSQL refused %" PRIu64 " block decision(s), their "
		      "incidents stand without a block: %s",
		      fs.block_errors - *refused, fleet_block_error(fl));
		*refused = fs.block_errors;
	}
}

/* A group came back from the writers: feed the detectors with what was
 * stored, count, and ack every batch that is now committed (stored,
 * duplicate or rejected); after a failed write nothing is acked and the
 * collectors resend, (host, seq) deduping what did commit. */
static void finish_group(struct group *g, void *router, struct counters *k,
			 struct fleet *fl, struct metrics *met)
{
	struct writer_group *wg = &g->wg;
	uint8_t stored[GROUP_MAX];
	size_t i;

	for (i = 0; i < wg->n; i++)
		stored[i] = wg->rc == 0 && wg->res[i] == STORE_STORED;
	fleet_settle(fl, wg->b, stored, wg->n);
	metrics_hist_observe(met, "sidewatch_correlator_pg_write_seconds", NULL,
			     (double)wg->write_ns / 1e9);
	for (i = 0; wg->rc == 0 && i < wg->n; i++) {
		const struct ingest_batch *b = wg->b[i];

		if (wg->res[i] == STORE_STORED) {
			observe_event_to_row(met, b, wg->committed_us);
			k->batches++;
			k->events += b->nevents;
			k->sanitized += b->sanitized;
			k->clamped_ts += b->clamped_ts;
		} else if (wg->res[i] == STORE_DUPLICATE) {
			k->duplicates++;
		} else {
			/* the host name is the collector's word and the
			 * error may quote row data: escaped */
			char h[160], e[600];

			k->rejected++;
			json_escape(h, sizeof(h), b->host, strnlen(b->host, 64));
			json_escape(e, sizeof(e), wg->err, strnlen(wg->err, 200));
			logf_("batch %s/%" PRIu64 " rejected: %s", h, b->seq, e);
		}
		send_ack(router, &g->slots[i], k);
	}
	for (i = 0; i < wg->n; i++)
		zmq_msg_close(&g->slots[i].id);
	wg->n = 0;
	g->busy = 0;
}

/* A group to receive into: the one being filled, else a free one. */
static struct group *fill_group(struct group *gs, size_t ngroups)
{
	size_t i;

	for (i = 0; i < ngroups; i++)
		if (!gs[i].busy && gs[i].wg.n)
			return &gs[i];
	for (i = 0; i < ngroups; i++)
		if (!gs[i].busy)
			return &gs[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct corr_config c = {0};
	struct metrics *met = NULL;
	struct counters k = {0};
	struct fleet_config fc;
	struct blocks *bl = NULL;
	struct fleet *fl = NULL;
	uint64_t next_side = 0, last_tick = 0, refused = 0;
	struct group *groups = NULL;
	struct writer *wr = NULL;
	struct writer_stats ws;
	struct zap *zap = NULL;
	void *ctx = NULL, *router = NULL, *pub = NULL;
	char err[512], secret[41];
	uint64_t last_stats = 0;
	int64_t maxmsg = MAX_MSG;
	int o, rc = 1, zero = 0, hwm = 1000;
	unsigned nwriters;
	size_t i, j, ngroups = 0, inflight = 0;

	o = corr_config_parse(&c, &fc, argc, argv, err, sizeof(err));
	if (o == CORR_CONFIG_HELP || o == CORR_CONFIG_USAGE)
		return o == CORR_CONFIG_HELP ? 0 : 2;
	if (o < 0) {
		logf_("%s", err);
		rc = 2;
		goto out;
	}
	met = metrics_new(c.metrics_listen, err, sizeof(err));
	if (!met && !strcmp(c.metrics_listen, "127.0.0.1:9465")) {
		/* the default port taken: run without it; a chosen one must work */
		logf_("%s; running without /metrics (set --metrics-listen)", err);
		met = metrics_new(NULL, err, sizeof(err));
	}
	if (!met) {
		logf_("%s (--metrics-listen off turns it off)", err);
		rc = 2;
		goto out;
	}
	metrics_setup(met);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	nwriters = c.pg_writers;
	ngroups = nwriters + GROUPS_EXTRA;
	groups = calloc(ngroups, sizeof(*groups));
	for (i = 0; groups && i < ngroups; i++)
		for (j = 0; j < GROUP_MAX; j++)
			groups[i].wg.b[j] = &groups[i].slots[j].b;
	wr = writer_new(c.pg, c.sql, c.retention, nwriters);
	ctx = zmq_ctx_new();
	fl = fleet_new(&fc, c.pg);
	if (!groups || !wr || !ctx || !fl) {
		logf_("out of memory");
		goto out;
	}
	if (!c.plain) {
		if (curvekey_read(c.server_key, secret) < 0) {
			logf_("cannot read the server secret key %s (swctl keygen)",
			      c.server_key);
			goto out;
		}
		/* before any bind: without a handler libzmq admits everyone */
		zap = zap_start(ctx, c.keys, err, sizeof(err));
		if (!zap) {
			logf_("%s", err);
			goto out;
		}
	} else {
		logf_("PLAIN MODE: no encryption, no authentication (dev only)");
	}
	router = zmq_socket(ctx, ZMQ_ROUTER);
	pub = zmq_socket(ctx, ZMQ_PUB);
	if (!router || !pub) {
		logf_("zmq socket: %s", zmq_strerror(errno));
		goto out;
	}
	zmq_setsockopt(router, ZMQ_LINGER, &zero, sizeof(zero));
	zmq_setsockopt(pub, ZMQ_LINGER, &zero, sizeof(zero));
	zmq_setsockopt(router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof(maxmsg));
	zmq_setsockopt(router, ZMQ_RCVHWM, &hwm, sizeof(hwm));
	if (!c.plain && (curve_server(router, secret) < 0 ||
			 curve_server(pub, secret) < 0)) {
		logf_("CURVE setup: %s", zmq_strerror(errno));
		goto out;
	}
	memset(secret, 0, sizeof(secret));
	if (zmq_bind(router, c.listen) < 0) {
		logf_("cannot listen on %s: %s", c.listen, zmq_strerror(errno));
		goto out;
	}
	if (zmq_bind(pub, c.blocks) < 0) {
		logf_("cannot listen on %s: %s", c.blocks, zmq_strerror(errno));
		goto out;
	}
	bl = blocks_new(c.pg, pub);
	if (!bl) {
		logf_("out of memory");
		goto out;
	}
	if (writer_start(wr, err, sizeof(err)) < 0) {
		logf_("%s", err);
		goto out;
	}
	logf_("listening on %s (%s), block lists on %s, %u authorised keys, %u PostgreSQL writers",
	      c.listen, c.plain ? "plain" : "CURVE", c.blocks, zap_key_count(zap),
	      nwriters);

	while (!stop) {
		struct writer_group *wg;
		struct group *g;
		uint64_t now = mono_ms();
		int ready = writer_ready(wr), pr;

		metrics_poll(met, 0);
		if (now - last_stats >= 1000) {
			writer_get_stats(wr, &ws);
			k.db_errors = ws.db_errors;
			k.db_connects = ws.db_connects;
			k.db_retries = ws.retries;
			k.turn_timeouts = ws.turn_timeouts;
			write_stats(&c, &k, zap, ready, bl, fl);
			metrics_update(met, &k, zap, ready, fl);
			last_stats = now;
		}
		/* the block list and the detectors keep their own connections */
		if ((!blocks_connected(bl) || !fleet_connected(fl)) && now >= next_side) {
			if (!blocks_connected(bl) && blocks_connect(bl, err, sizeof(err)) < 0)
				logf_("%s", err);
			if (!fleet_connected(fl) && fleet_connect(fl, err, sizeof(err)) < 0)
				logf_("%s", err);
			next_side = now + 1000;
		}
		g = fill_group(groups, ngroups);
		{
			/* no database or every group busy: leave batches queued
			 * in ZeroMQ and at the collectors (their spools) */
			zmq_pollitem_t all[3] = {
				{ .socket = router, .events = ready && g ? ZMQ_POLLIN : 0 },
				{ .socket = NULL, .fd = writer_fd(wr), .events = ZMQ_POLLIN },
				{ .socket = NULL, .fd = blocks_fd(bl), .events = ZMQ_POLLIN },
			};

			pr = zmq_poll(all, all[2].fd >= 0 ? 3 : 2, 100);
			if (pr < 0)
				pr = 0;
		}
		if (blocks_connected(bl) && blocks_service(bl, err, sizeof(err)) < 0)
			logf_("%s", err);
		while ((wg = writer_done(wr))) {
			finish_group((struct group *)wg, router, &k, fl, met);
			inflight--;
			/* decide on what this group brought at once, not at the
			 * next tick */
			fleet_pass(fl, bl, &refused);
			last_tick = mono_ms();
		}
		if (mono_ms() - last_tick >= 200) {
			fleet_pass(fl, bl, &refused);
			last_tick = mono_ms();
		}
		/* receive what waits, a group at a time: a full group goes to
		 * the writers at once, a partial one when a writer is free
		 * (otherwise it keeps filling while the writers are busy) */
		while (ready && (g = fill_group(groups, ngroups))) {
			while (g->wg.n < GROUP_MAX &&
			       (pr = recv_one(router, &g->slots[g->wg.n], wr, &k, bl, fl)) >= 0)
				if (pr == 1)
					g->wg.n++;
			if (!g->wg.n || (g->wg.n < GROUP_MAX && inflight >= nwriters))
				break;
			if (writer_submit(wr, &g->wg) == 0) {
				g->busy = 1;
				inflight++;
			} else {
				break; /* writers full: keep it, try after one returns */
			}
			if (g->wg.n < GROUP_MAX)
				break; /* nothing more waits */
		}
	}
	rc = 0;
	logf_("stopping: %" PRIu64 " batches, %" PRIu64 " events, %" PRIu64
	      " duplicates, %" PRIu64 " malformed, %" PRIu64 " denied",
	      k.batches, k.events, k.duplicates, k.malformed, zap_denied(zap));
out:
	if (wr) {
		writer_get_stats(wr, &ws);
		k.db_errors = ws.db_errors;
		k.db_connects = ws.db_connects;
	}
	write_stats(&c, &k, zap, wr && writer_ready(wr), bl, fl);
	/* the writers first: they own the batches of busy groups */
	writer_free(wr);
	blocks_free(bl);
	fleet_free(fl);
	if (router)
		zmq_close(router);
	if (pub)
		zmq_close(pub);
	zap_stop(zap);
	if (ctx)
		zmq_ctx_term(ctx);
	for (i = 0; groups && i < ngroups; i++) {
		for (j = 0; j < groups[i].wg.n; j++)
			zmq_msg_close(&groups[i].slots[j].id);
		for (j = 0; j < GROUP_MAX; j++)
			ingest_batch_free(&groups[i].slots[j].b);
	}
	free(groups);
	metrics_free(met);
	corr_config_free(&c);
	return rc;
}
