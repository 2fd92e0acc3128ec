/* sidewatch-correlator - central ingest: collectors' batches over ZeroMQ
 * (ROUTER, CURVE) into PostgreSQL, acked only after COMMIT.
 *
 *   sidewatch-correlator [--listen tcp://127.0.0.1:7450]
 *       [--blocks tcp://127.0.0.1:7451] [--pg URL] [--keys DIR]
 *       [--server-key FILE] [--plain] [--sql DIR] [--retention DAYS]
 *       [--stats FILE] [--fleet NAME=VALUE]...
 *
 * --pg defaults to $SIDEWATCH_PG, else the embedded default
 * postgresql://postgres@127.0.0.1:55432/sidewatch. --keys is the directory
 * of authorised collector public keys (NAME.pub), --server-key the
 * correlator's z85 secret key (default var/keys/server.key). --plain turns
 * CURVE off (development only). --stats writes the counters as one JSON
 * object, replaced every second and at exit. --fleet overrides a
 * cross-host detector threshold (fleet.h, e.g. bf_min_fail=12).
 *
 * Block lists: decisions go to PostgreSQL (blocks.h); committed versions
 * are published on --blocks; a collector's snapshot request arrives on
 * --listen beside the batches.
 */
#include <errno.h>
#include <getopt.h>
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

#include "blocks.h"
#include "fleet.h"
#include "ingest.h"
#include "store.h"
#include "zap.h"

#define GROUP_MAX 32            /* batches per transaction */
#define MAX_MSG (8 << 20)       /* bytes; a full batch is < 1 MiB */
#define DEFAULT_PG "postgresql://postgres@127.0.0.1:55432/sidewatch"

struct config {
	const char *listen, *blocks, *pg, *keys, *server_key, *sql, *stats;
	unsigned retention;
	int plain;
};

struct counters {
	uint64_t batches, events, duplicates, malformed, rejected, acks;
	uint64_t sanitized, clamped_ts, db_errors, db_connects, unknown_frames;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t unix_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
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

static void write_stats(const struct config *c, const struct counters *k,
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
		",\"fleet_db_errors\":%" PRIu64 "}\n",
		k->batches, k->events, k->duplicates, k->malformed, k->rejected,
		k->acks, k->sanitized, k->clamped_ts, k->db_errors,
		k->db_connects, k->unknown_frames, zap_allowed(z), zap_denied(z),
		zap_key_count(z), db_up ? "true" : "false", bs.version, bs.active,
		bs.deltas, bs.snapshots, fs.observed, fs.detections, fs.blocks,
		fs.allowlisted, fs.db_errors);
	if (fclose(f) == 0)
		rename(tmp, c->stats);
}

static int read_z85(const char *path, char out[41])
{
	char buf[128];
	size_t i, n = 0, r;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	r = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	for (i = 0; i < r; i++) {
		if (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')
			continue;
		if (n == 40)
			return -EINVAL;
		out[n++] = buf[i];
	}
	out[n] = '\0';
	return n == 40 ? 0 : -EINVAL;
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
	int used;
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
static int recv_one(void *router, struct slot *s, struct store *st,
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
	store_ts_range(st, &lim.ts_lo_us, &lim.ts_hi_us);
	lim.hook = fleet_hook;
	lim.hook_ctx = fl;
	fleet_discard(fl, &s->b); /* the slot's previous, undecodable try */
	rc = extra ? -EPROTO
		   : ingest_decode(zmq_msg_data(&m), zmq_msg_size(&m), &lim,
				   &s->b, why, sizeof(why));
	if (rc < 0) {
		const char *user = zmq_msg_gets(&m, "User-Id");

		fleet_discard(fl, &s->b);
		k->malformed++;
		logf_("malformed batch from %s (%zu bytes): %s",
		      user ? user : "?", zmq_msg_size(&m),
		      extra ? "extra frames" : why);
		zmq_msg_close(&m);
		zmq_msg_close(&s->id);
		return 0;
	}
	zmq_msg_close(&m);
	return 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: sidewatch-correlator [--listen EP] [--blocks EP] [--pg URL]\n"
		"         [--keys DIR] [--server-key FILE] [--plain] [--sql DIR]\n"
		"         [--retention DAYS] [--stats FILE] [--fleet NAME=VALUE]...\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "blocks", required_argument, NULL, 'b' },
		{ "pg", required_argument, NULL, 'p' },
		{ "keys", required_argument, NULL, 'k' },
		{ "server-key", required_argument, NULL, 's' },
		{ "plain", no_argument, NULL, 'P' },
		{ "sql", required_argument, NULL, 'q' },
		{ "retention", required_argument, NULL, 'r' },
		{ "stats", required_argument, NULL, 'S' },
		{ "fleet", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct config c = {
		.listen = "tcp://127.0.0.1:7450",
		.blocks = "tcp://127.0.0.1:7451",
		.keys = "var/keys/collectors",
		.server_key = "var/keys/server.key",
		.sql = "sql",
		.retention = 30,
	};
	struct counters k = {0};
	struct fleet_config fc;
	struct blocks *bl = NULL;
	struct fleet *fl = NULL;
	uint64_t next_side = 0, last_tick = 0;
	struct slot *slots = NULL;
	struct store *st = NULL;
	struct zap *zap = NULL;
	void *ctx = NULL, *router = NULL, *pub = NULL;
	char err[512], secret[41];
	uint64_t next_try = 0, backoff = 100, last_stats = 0, last_maint;
	int64_t maxmsg = MAX_MSG;
	int o, rc = 1, zero = 0, hwm = 1000;
	size_t i;

	fleet_config_defaults(&fc);
	c.pg = getenv("SIDEWATCH_PG");
	if (!c.pg || !*c.pg)
		c.pg = DEFAULT_PG;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'l': c.listen = optarg; break;
		case 'b': c.blocks = optarg; break;
		case 'p': c.pg = optarg; break;
		case 'k': c.keys = optarg; break;
		case 's': c.server_key = optarg; break;
		case 'P': c.plain = 1; break;
		case 'q': c.sql = optarg; break;
		case 'r': c.retention = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'S': c.stats = optarg; break;
		case 'F':
			if (fleet_config_set(&fc, optarg) < 0) {
				fprintf(stderr, "sidewatch-correlator: bad --fleet %s\n", optarg);
				return 2;
			}
			break;
		default: usage(); return o == 'h' ? 0 : 2;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	slots = calloc(GROUP_MAX, sizeof(*slots));
	st = store_new(c.pg, c.sql, c.retention);
	ctx = zmq_ctx_new();
	fl = fleet_new(&fc, c.pg);
	if (!slots || !st || !ctx || !fl) {
		logf_("out of memory");
		goto out;
	}
	if (!c.plain) {
		if (read_z85(c.server_key, secret) < 0) {
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
	logf_("listening on %s (%s), block lists on %s, %u authorised keys",
	      c.listen, c.plain ? "plain" : "CURVE", c.blocks, zap_key_count(zap));
	last_maint = mono_ms();

	while (!stop) {
		zmq_pollitem_t pi = { .socket = router, .events = ZMQ_POLLIN };
		struct ingest_batch *bs[GROUP_MAX];
		int res[GROUP_MAX];
		size_t n = 0;
		uint64_t now = mono_ms();

		if (now - last_stats >= 1000) {
			write_stats(&c, &k, zap, store_connected(st), bl, fl);
			last_stats = now;
		}
		if (!store_connected(st)) {
			/* no database: leave batches queued in ZeroMQ and at the
			 * collectors (their spools), retry with backoff */
			if (now < next_try) {
				usleep(50 * 1000);
				continue;
			}
			if (store_connect(st, err, sizeof(err)) < 0) {
				k.db_errors++;
				logf_("%s; retrying in %" PRIu64 " ms", err, backoff);
				next_try = now + backoff;
				backoff = backoff * 2 > 5000 ? 5000 : backoff * 2;
				continue;
			}
			k.db_connects++;
			backoff = 100;
			last_maint = now;
			logf_("connected to PostgreSQL");
		}
		if (now - last_maint >= 600 * 1000) {
			if (store_maintain(st, err, sizeof(err)) < 0) {
				logf_("partition upkeep: %s", err);
				store_disconnect(st);
				continue;
			}
			last_maint = now;
		}
		/* the block list and the detectors keep their own connections */
		if ((!blocks_connected(bl) || !fleet_connected(fl)) && now >= next_side) {
			if (!blocks_connected(bl) && blocks_connect(bl, err, sizeof(err)) < 0)
				logf_("%s", err);
			if (!fleet_connected(fl) && fleet_connect(fl, err, sizeof(err)) < 0)
				logf_("%s", err);
			next_side = now + 1000;
		}
		{
			zmq_pollitem_t all[2] = {
				pi, { .socket = NULL, .fd = blocks_fd(bl), .events = ZMQ_POLLIN },
			};

			zmq_poll(all, all[1].fd >= 0 ? 2 : 1, 100);
			pi.revents = all[0].revents;
		}
		if (blocks_connected(bl) && blocks_service(bl, err, sizeof(err)) < 0)
			logf_("%s", err);
		if (mono_ms() - last_tick >= 200) {
			if (fleet_tick(fl, bl, err, sizeof(err)) < 0 && fleet_connected(fl))
				logf_("%s", err);
			last_tick = mono_ms();
		}
		if (!(pi.revents & ZMQ_POLLIN))
			continue;
		while (n < GROUP_MAX) {
			int r = recv_one(router, &slots[n], st, &k, bl, fl);
			if (r < 0)
				break;
			if (r == 1) {
				slots[n].used = 1;
				bs[n] = &slots[n].b;
				n++;
			}
		}
		if (!n)
			continue;
		if (store_write(st, bs, n, res, err, sizeof(err)) < 0) {
			/* nothing acked: the collectors resend after their
			 * timeout, and (host, seq) dedupes what did commit */
			k.db_errors++;
			logf_("write failed, %zu batches not acked: %s", n, err);
			store_disconnect(st);
			for (i = 0; i < n; i++)
				fleet_discard(fl, bs[i]);
		} else {
			for (i = 0; i < n; i++) {
				if (res[i] == STORE_STORED)
					fleet_commit(fl, bs[i]);
				else
					fleet_discard(fl, bs[i]);
				if (res[i] == STORE_STORED) {
					k.batches++;
					k.events += bs[i]->nevents;
					k.sanitized += bs[i]->sanitized;
					k.clamped_ts += bs[i]->clamped_ts;
				} else if (res[i] == STORE_DUPLICATE) {
					k.duplicates++;
				} else {
					k.rejected++;
					logf_("batch %s/%" PRIu64 " rejected: %s",
					      bs[i]->host, bs[i]->seq, err);
				}
				send_ack(router, &slots[i], &k);
			}
		}
		for (i = 0; i < n; i++) {
			zmq_msg_close(&slots[i].id);
			slots[i].used = 0;
		}
		/* decide on what this group brought at once, not at the next tick */
		if (fleet_tick(fl, bl, err, sizeof(err)) < 0 && fleet_connected(fl))
			logf_("%s", err);
		last_tick = mono_ms();
	}
	rc = 0;
	logf_("stopping: %" PRIu64 " batches, %" PRIu64 " events, %" PRIu64
	      " duplicates, %" PRIu64 " malformed, %" PRIu64 " denied",
	      k.batches, k.events, k.duplicates, k.malformed, zap_denied(zap));
out:
	write_stats(&c, &k, zap, st && store_connected(st), bl, fl);
	blocks_free(bl);
	fleet_free(fl);
	if (router)
		zmq_close(router);
	if (pub)
		zmq_close(pub);
	zap_stop(zap);
	if (ctx)
		zmq_ctx_term(ctx);
	if (slots) {
		for (i = 0; i < GROUP_MAX; i++)
			ingest_batch_free(&slots[i].b);
		free(slots);
	}
	store_free(st);
	return rc;
}
