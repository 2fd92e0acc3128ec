/* server.c - the correlator's ROUTER and PUB sockets with CURVE, batches
 * received into groups for the writers, acks, and the loop that also
 * drives the block list and the fleet detectors (see server.h). */
#include "correlator/server.h"
#include "correlator/memret.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include <pb_encode.h>

#include "correlator/blocks.h"
#include "correlator/corr_config.h"
#include "correlator/fleet.h"
#include "correlator/hostrate.h"
#include "correlator/ingest.h"
#include "correlator/server_stats.h"
#include "correlator/store.h"
#include "correlator/writer.h"
#include "correlator/zap.h"
#include "common/clock.h"
#include "common/curvekey.h"
#include "common/json.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/wire.h"

#define SERVER_TICK_MS 200   /* fleet detectors, at the latest */
#define SERVER_STATS_MS 1000 /* stats file and metrics */
#define SERVER_SIDE_MS 1000  /* reconnecting the block list and detectors */

/* Every event of every group in flight fits in the fleet's staging. */
_Static_assert((WRITER_MAX_CONNS + SERVER_GROUPS_EXTRA) * SERVER_GROUP_MAX *
	       WIRE_MAX_BATCH <= FLEET_MAX_STAGED,
	       "fleet staging holds what the groups can");

/* One received message: [routing id][payload]. */
struct slot {
	zmq_msg_t id;
	struct ingest_batch b;
	size_t held; /* its rows' room, counted in server.held */
};

/* Up to SERVER_GROUP_MAX batches written in one transaction. Filled here,
 * then the writers' until writer_done() hands wg back (busy meanwhile). */
struct group {
	struct writer_group wg; /* first: writer_done() returns &wg */
	struct slot slots[SERVER_GROUP_MAX];
	int busy;
};

struct server {
	const struct corr_config *cfg;
	struct metrics *met;
	struct server_counters k;
	void *ctx, *router, *pub;
	struct zap *zap;           /* NULL in plain mode */
	struct writer *wr;
	struct blocks *bl;
	struct fleet *fl;
	struct hostrate *hr;       /* rows per second per host */
	uint64_t throttle_log_ms;  /* last "throttled" log line (monotonic) */
	uint64_t throttle_logged;  /* refused batches that line had counted */
	struct group *groups;
	size_t ngroups, inflight;  /* inflight: submitted, not yet back */
	size_t held;               /* rows' room of the batches received and
				    * not yet written (SERVER_HOLD_MAX) */
	unsigned nwriters;
	uint64_t last_stats, next_side, last_tick; /* monotonic ms */
	uint64_t refused;          /* refused block decisions logged so far */
};

/* --- setup and teardown --------------------------------------------------- */

struct server *server_new(const struct corr_config *c,
			  const struct fleet_config *fc, struct metrics *met)
{
	struct server *s = calloc(1, sizeof(*s));
	size_t i, j;

	if (!s)
		return NULL;
	s->cfg = c;
	s->met = met;
	s->nwriters = c->pg_writers;
	s->ngroups = s->nwriters + SERVER_GROUPS_EXTRA;
	s->groups = calloc(s->ngroups, sizeof(*s->groups));
	for (i = 0; s->groups && i < s->ngroups; i++)
		for (j = 0; j < SERVER_GROUP_MAX; j++)
			s->groups[i].wg.b[j] = &s->groups[i].slots[j].b;
	s->wr = writer_new(c->pg, c->sql, c->retention, s->nwriters);
	s->ctx = zmq_ctx_new();
	s->fl = fleet_new(fc, c->pg);
	if (s->fl)
		fleet_set_ring(s->fl, c->ring, c->shard_idx);
	s->hr = hostrate_new(c->host_rows_per_s, c->host_rows_burst);
	if (!s->groups || !s->wr || !s->ctx || !s->fl || !s->hr) {
		server_free(s);
		return NULL;
	}
	return s;
}

static int curve_server(void *sock, const char *secret)
{
	int one = 1;

	return zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &one, sizeof(one)) < 0 ||
	       zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, secret, 40) < 0 ||
	       zmq_setsockopt(sock, ZMQ_ZAP_DOMAIN, "sidewatch", 9) < 0 ? -1 : 0;
}

/* The server's secret key, and the ZAP handler started: before any bind,
 * for without a handler libzmq admits everyone. */
static int start_curve(struct server *s, char secret[CURVEKEY_Z85_LEN + 1],
		       char *err, size_t errlen)
{
	if (curvekey_read(s->cfg->server_key, secret) < 0) {
		snprintf(err, errlen, "cannot read the server secret key %s (swctl keygen)",
			 s->cfg->server_key);
		return -EINVAL;
	}
	s->zap = zap_start(s->ctx, s->cfg->keys, err, errlen);
	return s->zap ? 0 : -EIO;
}

static int bind_to(void *sock, const char *ep, char *err, size_t errlen)
{
	if (zmq_bind(sock, ep) == 0)
		return 0;
	snprintf(err, errlen, "cannot listen on %s: %s", ep, zmq_strerror(errno));
	return -EADDRINUSE;
}

static int open_sockets(struct server *s, char *err, size_t errlen)
{
	char secret[CURVEKEY_Z85_LEN + 1] = "";
	int64_t maxmsg = SERVER_MAX_MSG;
	int zero = 0, hwm = SERVER_RCV_HWM, rc = -EIO;

	if (s->cfg->plain)
		log_warn("PLAIN MODE: no encryption, no authentication (dev only)");
	else if ((rc = start_curve(s, secret, err, errlen)) < 0)
		return rc;
	s->router = zmq_socket(s->ctx, ZMQ_ROUTER);
	s->pub = zmq_socket(s->ctx, ZMQ_PUB);
	if (!s->router || !s->pub) {
		snprintf(err, errlen, "zmq socket: %s", zmq_strerror(errno));
		goto out;
	}
	zmq_setsockopt(s->router, ZMQ_LINGER, &zero, sizeof(zero));
	zmq_setsockopt(s->pub, ZMQ_LINGER, &zero, sizeof(zero));
	zmq_setsockopt(s->router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof(maxmsg));
	zmq_setsockopt(s->router, ZMQ_RCVHWM, &hwm, sizeof(hwm));
	if (!s->cfg->plain && (curve_server(s->router, secret) < 0 ||
			       curve_server(s->pub, secret) < 0)) {
		snprintf(err, errlen, "CURVE setup: %s", zmq_strerror(errno));
		goto out;
	}
	rc = bind_to(s->router, s->cfg->listen, err, errlen);
	if (rc == 0)
		rc = bind_to(s->pub, s->cfg->blocks, err, errlen);
out:
	memset(secret, 0, sizeof(secret));
	return rc;
}

int server_start(struct server *s, char *err, size_t errlen)
{
	int rc = open_sockets(s, err, errlen);

	if (rc < 0)
		return rc;
	s->bl = blocks_new(s->cfg->pg, s->pub);
	if (!s->bl) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = writer_start(s->wr, err, errlen);
	if (rc < 0)
		return rc;
	log_info("listening on %s (%s), block lists on %s, %u authorised keys, %u PostgreSQL writers",
		 s->cfg->listen, s->cfg->plain ? "plain" : "CURVE", s->cfg->blocks,
		 zap_key_count(s->zap), s->nwriters);
	return 0;
}

static void take_writer_stats(struct server *s)
{
	struct writer_stats ws;

	writer_get_stats(s->wr, &ws);
	s->k.db_errors = ws.db_errors;
	s->k.db_connects = ws.db_connects;
	s->k.db_retries = ws.retries;
	s->k.turn_timeouts = ws.turn_timeouts;
}

static struct server_stats_view stats_view(struct server *s, int db_up)
{
	struct server_stats_view v = {
		.k = &s->k, .zap = s->zap, .bl = s->bl, .fl = s->fl, .hr = s->hr,
		.db_up = db_up,
	};

	s->k.held_bytes = s->held;
	return v;
}

static void write_stats(struct server *s, int db_up, int and_metrics)
{
	struct server_stats_view v = stats_view(s, db_up);

	server_stats_write_file(s->cfg->stats, &v);
	if (and_metrics)
		server_stats_update_metrics(s->met, &v);
}

/* before each /metrics answer: the counters of that moment */
static void refresh_metrics(void *arg)
{
	struct server *s = arg;
	struct server_stats_view v;

	take_writer_stats(s);
	v = stats_view(s, writer_ready(s->wr));
	server_stats_update_metrics(s->met, &v);
}

void server_free(struct server *s)
{
	size_t i, j;

	if (!s)
		return;
	if (s->wr)
		take_writer_stats(s);
	write_stats(s, s->wr && writer_ready(s->wr), 0);
	/* the writers first: they own the batches of busy groups */
	writer_free(s->wr);
	blocks_free(s->bl);
	fleet_free(s->fl);
	hostrate_free(s->hr);
	if (s->router)
		zmq_close(s->router);
	if (s->pub)
		zmq_close(s->pub);
	zap_stop(s->zap);
	if (s->ctx)
		zmq_ctx_term(s->ctx);
	for (i = 0; s->groups && i < s->ngroups; i++) {
		for (j = 0; j < s->groups[i].wg.n; j++)
			zmq_msg_close(&s->groups[i].slots[j].id);
		for (j = 0; j < SERVER_GROUP_MAX; j++)
			ingest_batch_free(&s->groups[i].slots[j].b);
	}
	free(s->groups);
	free(s);
}

/* --- receiving and acking -------------------------------------------------- */

static void send_ack(struct server *s, struct slot *sl)
{
	sidewatch_Ack ack = sidewatch_Ack_init_zero;
	uint8_t buf[sidewatch_Ack_size];
	pb_ostream_t os = pb_ostream_from_buffer(buf, sizeof(buf));

	ack.version = sidewatch_Const_PROTO_VERSION;
	snprintf(ack.host, sizeof(ack.host), "%s", sl->b.host);
	ack.seq = sl->b.seq;
	if (!pb_encode(&os, sidewatch_Ack_fields, &ack))
		return;
	/* a vanished peer is fine: the collector resends and we ack again */
	if (zmq_send(s->router, zmq_msg_data(&sl->id), zmq_msg_size(&sl->id),
		     ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
		return;
	if (zmq_send(s->router, buf, os.bytes_written, ZMQ_DONTWAIT) >= 0)
		s->k.acks++;
}

/* The payload frame after sl->id into m; 1 when more frames followed it
 * (drained: a batch is one frame), 0 when not, -1 when there was none. */
static int recv_payload(struct server *s, struct slot *sl, zmq_msg_t *m)
{
	int more = 0, extra = 0;
	size_t ml = sizeof(more);

	zmq_getsockopt(s->router, ZMQ_RCVMORE, &more, &ml);
	if (!more) /* ROUTER always prefixes the id; cannot happen */
		return -1;
	zmq_msg_init(m);
	zmq_msg_recv(m, s->router, 0);
	zmq_getsockopt(s->router, ZMQ_RCVMORE, &more, &ml);
	while (more) {
		zmq_msg_t x;

		zmq_msg_init(&x);
		zmq_msg_recv(&x, s->router, 0);
		zmq_msg_close(&x);
		zmq_getsockopt(s->router, ZMQ_RCVMORE, &more, &ml);
		extra = 1;
	}
	return extra;
}

/* A host's batch its bucket cannot pay for: not stored, not acked (its
 * collector keeps it spooled and sends it again after its ack timeout).
 * One log line a second at most, naming the last host refused. */
static int throttle(struct server *s, struct slot *sl, uint32_t rows)
{
	uint64_t now = clock_mono_ms(), nb, nr;

	fleet_discard(s->fl, &sl->b);
	if (now - s->throttle_log_ms >= 1000) {
		char h[600];

		hostrate_totals(s->hr, &nb, &nr);
		json_escape(h, sizeof(h), sl->b.host, strnlen(sl->b.host, sizeof(sl->b.host)));
		log_warn("throttled: batch %s/%" PRIu64 " (%" PRIu32 " rows) over the host's "
			 "%u rows/s, not acked (resent later); %" PRIu64 " batches throttled "
			 "since the last such line", h, sl->b.seq, rows,
			 s->cfg->host_rows_per_s, nb - s->throttle_logged);
		s->throttle_log_ms = now;
		s->throttle_logged = nb;
	}
	return -EBUSY;
}

/* Events of another shard in a stored batch: stored all the same (a
 * collector's ring may be older than ours), counted once (a resent copy
 * the writer found a duplicate is not counted again), the first logged. */
static void misrouted(struct server *s, const struct ingest_batch *b)
{
	if (!s->k.misrouted) {
		char h[600];

		json_escape(h, sizeof(h), b->host, strnlen(b->host, sizeof(b->host)));
		log_warn("misrouted: batch %s/%" PRIu64 " holds %" PRIu32 " events shard '%s' "
			 "does not own (stored; counted in misrouted, only this first one "
			 "logged): %s", h, b->seq, b->misrouted, s->cfg->shard, b->misrouted_first);
	}
	s->k.misrouted += b->misrouted;
}

/* Decode m into sl->b; counts and logs a refused or malformed batch. */
static int decode_batch(struct server *s, struct slot *sl, zmq_msg_t *m, int extra)
{
	struct ingest_limits lim;
	const char *user;
	char why[256];
	int rc;

	lim.recv_us = clock_unix_us();
	writer_ts_range(s->wr, &lim.ts_lo_us, &lim.ts_hi_us);
	lim.hook = fleet_hook;
	lim.hook_ctx = s->fl;
	lim.ring = s->cfg->ring; /* NULL: not sharded */
	lim.shard = s->cfg->shard_idx;
	/* the host whose key the ZAP handler admitted (none in plain mode) */
	lim.peer = zmq_msg_gets(m, "User-Id");
	if (lim.peer && !*lim.peer)
		lim.peer = NULL;
	/* nothing of sl is staged: its last group was settled (finish_group)
	 * or its last try discarded below */
	rc = extra ? -EPROTO
		   : ingest_decode(zmq_msg_data(m), zmq_msg_size(m), &lim,
				   &sl->b, why, sizeof(why));
	if (rc >= 0) {
		/* rows per second per host: the name its key is admitted
		 * under (ingest refused any other as forged) */
		uint32_t rows = sl->b.nevents + sl->b.ninv + sl->b.projected;

		if (hostrate_take(s->hr, sl->b.host, rows, clock_mono_ns() / 1000) < 0)
			return throttle(s, sl, rows);
		if (sl->b.has_hb) /* sharded: record our own list's version */
			blocks_heartbeat_shard(&sl->b.hb, s->cfg->shard);
		/* an authenticated collector's address: never fleet-blocked */
		if (lim.peer)
			blocks_protect(s->bl, zmq_msg_gets(m, "Peer-Address"), "collector");
		return 0;
	}
	user = zmq_msg_gets(m, "User-Id");
	fleet_discard(s->fl, &sl->b);
	if (rc == -EACCES)
		s->k.forged++;
	else if (rc == -E2BIG)
		s->k.oversized++;
	else
		s->k.malformed++;
	log_warn("%s batch from %s (%zu bytes): %s",
		 rc == -EACCES || rc == -E2BIG ? "refused" : "malformed",
		 user ? user : "?", zmq_msg_size(m), extra ? "extra frames" : why);
	return rc;
}

/* Receive one message into sl; returns 1 when sl holds a good batch, 0
 * when the message was consumed and counted (malformed, or a block-list
 * request answered), -1 when none waits. */
static int recv_one(struct server *s, struct slot *sl)
{
	zmq_msg_t m;
	int extra, rc;

	zmq_msg_init(&sl->id);
	if (zmq_msg_recv(&sl->id, s->router, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&sl->id);
		return -1;
	}
	extra = recv_payload(s, sl, &m);
	if (extra < 0) {
		zmq_msg_close(&sl->id);
		s->k.unknown_frames++;
		return 0;
	}
	if (!extra && blocks_is_request(zmq_msg_data(&m), zmq_msg_size(&m))) {
		/* a collector (re)joining the block list */
		blocks_reply_snapshot(s->bl, s->router, zmq_msg_data(&sl->id),
				      zmq_msg_size(&sl->id));
		rc = -1;
	} else {
		rc = decode_batch(s, sl, &m, extra);
	}
	zmq_msg_close(&m);
	if (rc < 0) {
		zmq_msg_close(&sl->id);
		/* a refused batch's rows are not kept for the next */
		memret_sbuf(&sl->b.rows, MEMRET_KEEP);
		memret_sbuf(&sl->b.proj, MEMRET_KEEP);
		return 0;
	}
	sl->held = sl->b.rows.cap + sl->b.proj.cap;
	s->held += sl->held;
	if (s->held > s->k.held_peak)
		s->k.held_peak = s->held;
	if (s->held >= SERVER_HOLD_MAX)
		s->k.hold_full++;
	return 1;
}

/* A group to receive into: the one being filled, else a free one. */
static struct group *fill_group(struct server *s)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		if (!s->groups[i].busy && s->groups[i].wg.n)
			return &s->groups[i];
	for (i = 0; i < s->ngroups; i++)
		if (!s->groups[i].busy)
			return &s->groups[i];
	return NULL;
}

/* Receive what waits, a group at a time: a full group goes to the writers
 * at once, a partial one when a writer is free (otherwise it keeps
 * filling while the writers are busy). Past SERVER_HOLD_MAX nothing more
 * is received (a partial group still goes to a free writer). */
static void receive(struct server *s)
{
	struct group *g;
	int rc;

	while ((g = fill_group(s))) {
		while (g->wg.n < SERVER_GROUP_MAX && s->held < SERVER_HOLD_MAX &&
		       (rc = recv_one(s, &g->slots[g->wg.n])) >= 0)
			if (rc == 1)
				g->wg.n++;
		if (!g->wg.n || (g->wg.n < SERVER_GROUP_MAX && s->inflight >= s->nwriters))
			break;
		if (writer_submit(s->wr, &g->wg) < 0)
			break; /* writers full: keep it, try after one returns */
		g->busy = 1;
		s->inflight++;
		if (g->wg.n < SERVER_GROUP_MAX)
			break; /* nothing more waits */
	}
}

/* --- groups back from the writers ------------------------------------------ */

/* One pass of the fleet detectors; logs what went wrong, and the block
 * decisions PostgreSQL refused since the last pass. */
static void fleet_pass(struct server *s)
{
	struct fleet_stats fs;
	char err[512];

	if (fleet_tick(s->fl, s->bl, err, sizeof(err)) < 0 && fleet_connected(s->fl))
		log_err("%s", err);
	fleet_get_stats(s->fl, &fs);
	if (fs.block_errors > s->refused) {
		log_warn("fleet: PostgreSQL refused %" PRIu64 " block decision(s), their "
			 "incidents stand without a block: %s",
			 fs.block_errors - s->refused, fleet_block_error(s->fl));
		s->refused = fs.block_errors;
	}
	s->last_tick = clock_mono_ms();
}

static void count_stored(struct server *s, const struct writer_group *wg, size_t i)
{
	const struct ingest_batch *b = wg->b[i];

	server_stats_observe_event_to_row(s->met, b, wg->committed_us);
	s->k.batches++;
	s->k.events += b->nevents;
	s->k.projected += b->projected;
	s->k.proj_misrouted += b->proj_misrouted;
	s->k.sanitized += b->sanitized;
	s->k.clamped_ts += b->clamped_ts;
	s->k.api_merged += b->ninv - b->inv_refused;
	s->k.api_refused += b->inv_refused;
	s->k.api_rejected += b->inv_rejected;
}

/* A group came back from the writers: feed the detectors with what was
 * stored, count, and ack every batch that is now committed (stored,
 * duplicate or rejected); after a failed write nothing is acked and the
 * collectors resend, (host, seq) deduping what did commit. */
static void finish_group(struct server *s, struct group *g)
{
	struct writer_group *wg = &g->wg;
	uint8_t stored[SERVER_GROUP_MAX];
	size_t i;

	for (i = 0; i < wg->n; i++)
		stored[i] = wg->rc == 0 && wg->res[i] == STORE_STORED;
	fleet_settle(s->fl, wg->b, stored, wg->n);
	server_stats_observe_write(s->met, wg->write_ns);
	for (i = 0; wg->rc == 0 && i < wg->n; i++) {
		if (wg->res[i] == STORE_STORED) {
			count_stored(s, wg, i);
			if (wg->b[i]->misrouted)
				misrouted(s, wg->b[i]);
		} else if (wg->res[i] == STORE_DUPLICATE) {
			s->k.duplicates++;
		} else {
			/* the host name is the collector's word and the
			 * error may quote row data: escaped */
			char h[160], e[600];

			s->k.rejected++;
			json_escape(h, sizeof(h), wg->b[i]->host, strnlen(wg->b[i]->host, 64));
			json_escape(e, sizeof(e), wg->err, strnlen(wg->err, 200));
			log_warn("batch %s/%" PRIu64 " rejected: %s", h, wg->b[i]->seq, e);
		}
		send_ack(s, &g->slots[i]);
	}
	for (i = 0; i < wg->n; i++) {
		zmq_msg_close(&g->slots[i].id);
		s->held -= g->slots[i].held;
		g->slots[i].held = 0;
		memret_sbuf(&g->slots[i].b.rows, MEMRET_KEEP);
		memret_sbuf(&g->slots[i].b.proj, MEMRET_KEEP);
	}
	wg->n = 0;
	g->busy = 0;
}

/* Groups the writers finished; the detectors decide on what each one
 * brought at once, and every SERVER_TICK_MS in any case. */
static void collect_groups(struct server *s)
{
	struct writer_group *wg;

	while ((wg = writer_done(s->wr))) {
		finish_group(s, (struct group *)wg);
		s->inflight--;
		fleet_pass(s);
	}
	if (clock_mono_ms() - s->last_tick >= SERVER_TICK_MS)
		fleet_pass(s);
}

/* --- the loop -------------------------------------------------------------- */

/* The block list and the detectors keep their own connections. */
static void reconnect_side(struct server *s, uint64_t now)
{
	char err[512];

	if ((blocks_connected(s->bl) && fleet_connected(s->fl)) || now < s->next_side)
		return;
	if (!blocks_connected(s->bl) && blocks_connect(s->bl, err, sizeof(err)) < 0)
		log_err("%s", err);
	if (!fleet_connected(s->fl) && fleet_connect(s->fl, err, sizeof(err)) < 0)
		log_err("%s", err);
	s->next_side = now + SERVER_SIDE_MS;
}

/* Up to 100 ms for a batch, a written group or a NOTIFY. No database or
 * every group busy: batches stay queued in ZeroMQ and at the collectors
 * (their spools). */
static void wait_for_work(struct server *s, int ready)
{
	zmq_pollitem_t all[3] = {
		{ .socket = s->router, .events = ready && fill_group(s) &&
			s->held < SERVER_HOLD_MAX ? ZMQ_POLLIN : 0 },
		{ .socket = NULL, .fd = writer_fd(s->wr), .events = ZMQ_POLLIN },
		{ .socket = NULL, .fd = blocks_fd(s->bl), .events = ZMQ_POLLIN },
	};

	zmq_poll(all, all[2].fd >= 0 ? 3 : 2, 100);
}

void server_run(struct server *s, volatile sig_atomic_t *stop)
{
	char err[512];

	metrics_set_refresh(s->met, refresh_metrics, s);
	while (!*stop) {
		uint64_t now = clock_mono_ms();
		int ready = writer_ready(s->wr);

		metrics_poll(s->met, 0);
		if (now - s->last_stats >= SERVER_STATS_MS) {
			take_writer_stats(s);
			write_stats(s, ready, 1);
			s->last_stats = now;
			memret_tick(); /* after a peak, once a second at most */
		}
		/* the side connections read tables the migrations make: not
		 * before a writer is up, i.e. has applied them */
		if (ready)
			reconnect_side(s, now);
		wait_for_work(s, ready);
		if (blocks_connected(s->bl) && blocks_service(s->bl, err, sizeof(err)) < 0)
			log_err("%s", err);
		collect_groups(s);
		if (ready)
			receive(s);
	}
	log_info("stopping: %" PRIu64 " batches, %" PRIu64 " events, %" PRIu64
		 " duplicates, %" PRIu64 " malformed, %" PRIu64 " denied",
		 s->k.batches, s->k.events, s->k.duplicates, s->k.malformed,
		 zap_denied(s->zap));
}
