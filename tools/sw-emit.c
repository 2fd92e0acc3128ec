/* sw-emit - a fake collector for pipeline tests: sends N synthetic session
 * events through collector/uplink, so the correlator path can be tested
 * without BPF.
 *
 *   sw-emit --host NAME --count N --spool DIR [--connect EP] [--rate EPS]
 *           [--plain | --key SECRET_FILE --server-key PUB_FILE]
 *           [--attack] [--garbage N] [--timeout SEC] [--clients N [--client-base K]]
 *           [--paths N] [--oversize N] [--heavy N]
 *           [--script auth|enum|verdict|grpc --src IP --per N [--offset K]]
 *           [--inventory SCENARIO [--passes K]] [--ring FILE]
 *
 * Event i has path "/e/<i>" (method GET), from client address 10.213.0.9,
 * or with --clients N from one of N addresses 10.213.X.Y (N <= 65536,
 * picked by a multiplicative hash of i; --client-base K shifts them to the
 * K-th address on, 10.213.(K/256).(K%256)): a crowd of clients, each walking
 * distinct paths, so each is a fleet enumeration suspect; --paths N makes
 * the path "/e/<i mod N>" (a crowd of ordinary clients). --attack adds
 * five events with method ATTACK carrying hostile strings (quotes,
 * backslashes, control characters, invalid UTF-8, an embedded NUL, a
 * 1 MiB path). --garbage
 * first sends N undecodable frames and one well-formed batch without a
 * host on a separate socket with the same credentials. --oversize N first
 * sends one batch of N empty events (2 bytes each) the same way. --heavy N
 * first sends N well-formed batches (seq 1000001..1000000+N) of 500
 * events, each with a 1900-byte path and query (1.9 MB a batch, the most
 * a correlator's 2 MiB message limit lets through), all at once, then
 * waits for their acks: what a correlator's buffers grow to at a peak. --script sends N
 * scripted events from client address IP first (for the fleet detectors):
 * auth: POST /api/login answered 401; enum: GET /api/users/<K+i> answered
 * 404; verdict: a local verdict with action block (rule local.test);
 * grpc: calls answered Unimplemented (12). --inventory learns an API
 * inventory from a scenario file (tools/sw_emit_inv.h) K times (default
 * 1), pushing endpoint summaries after each pass. --ring FILE splits the
 * events by shard owner as a collector does (collector/uplink/shardup.h):
 * one uplink per shard of the ring (--connect ignored), spools
 * DIR/<shard>; the file is re-read when it changes (at most once a
 * second) and a higher version routes the events pushed from then on;
 * the counters printed are summed, then one line per shard. --inventory
 * is not split by --ring (refused). Exits 0 when every
 * batch was acked before the timeout, 1 otherwise; prints its counters.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include <pb_encode.h>

#include "collector/decode/sess.h"
#include "common/curvekey.h"
#include "collector/uplink/shardup.h"
#include "tools/sw_emit_inv.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void set(char *dst, size_t cap, const void *s, size_t n,
		struct sess_event *ev, uint32_t bit)
{
	dst[0] = '\0';
	sess_append(dst, cap, s, n, ev, bit);
}

static uint64_t npaths; /* --paths: 0 = every event its own path */

static void fill(struct sess_event *ev, struct sess_conn *c, uint64_t i)
{
	char path[64];
	int n;

	sess_event_init(ev, SESS_PROTO_HTTP1, c);
	ev->req_ns = clock_ns(CLOCK_BOOTTIME);
	ev->resp_ns = ev->req_ns + 150000;
	ev->end_ns = ev->resp_ns + 10000;
	set(ev->method, sizeof(ev->method), "GET", 3, ev, SESS_TRUNC_METHOD);
	set(ev->authority, sizeof(ev->authority), "api.test", 8, ev, SESS_TRUNC_AUTHORITY);
	n = snprintf(path, sizeof(path), "/e/%" PRIu64, npaths ? i % npaths : i);
	set(ev->path, sizeof(ev->path), path, (size_t)n, ev, SESS_TRUNC_PATH);
	set(ev->query, sizeof(ev->query), "q=1", 3, ev, SESS_TRUNC_QUERY);
	ev->status = 200;
	ev->req_bytes = 120;
	ev->resp_bytes = 512;
	sess_anom_add(ev, "emit.synthetic", 1);
}

static int push_script(struct shardup *u, struct sess_conn *c, uint64_t off,
		       const char *script, const char *src, unsigned per,
		       unsigned offset)
{
	struct sess_event *ev = malloc(sizeof(*ev));
	struct pbconv_extra x = { .rule = "local.test", .severity = "high",
				  .action = "block" };
	char path[64];
	unsigned i;
	int rc = 0, n;

	if (!ev)
		return -ENOMEM;
	if (inet_pton(AF_INET, src, c->client_addr) != 1) {
		free(ev);
		return -EINVAL;
	}
	for (i = 0; i < per && rc == 0; i++) {
		fill(ev, c, i);
		c->client_port = (uint16_t)(50000 + i);
		if (strcmp(script, "auth") == 0) {
			set(ev->method, sizeof(ev->method), "POST", 4, ev, SESS_TRUNC_METHOD);
			set(ev->path, sizeof(ev->path), "/api/login", 10, ev, SESS_TRUNC_PATH);
			ev->status = 401;
		} else if (strcmp(script, "enum") == 0) {
			n = snprintf(path, sizeof(path), "/api/users/%u", offset + i);
			set(ev->path, sizeof(ev->path), path, (size_t)n, ev, SESS_TRUNC_PATH);
			ev->status = 404;
		} else if (strcmp(script, "grpc") == 0) {
			ev->proto = SESS_PROTO_GRPC;
			set(ev->service, sizeof(ev->service), "pkg.Hidden", 10, ev, 0);
			n = snprintf(path, sizeof(path), "/pkg.Hidden/M%u", offset + i);
			set(ev->path, sizeof(ev->path), path, (size_t)n, ev, SESS_TRUNC_PATH);
			ev->status = 200;
			ev->grpc_status = 12;
		}
		if (strcmp(script, "verdict") == 0) {
			ev->kind = SESS_KIND_VERDICT;
			rc = shardup_push_ex(u, ev, &x, NULL, off);
		} else {
			rc = shardup_push(u, ev, NULL, off);
		}
	}
	inet_pton(AF_INET, "10.213.0.9", c->client_addr);
	free(ev);
	return rc;
}

static int push_attacks(struct shardup *u, struct sess_conn *c, uint64_t off)
{
	static const char a0[] = "/a/0/'\"\\\t\n\r;DROP TABLE events;--\\N";
	static const char a1[] = "/a/1/\xff\xfe\xc0\xaf" "ok\xed\xa0\x80";
	static const char a2[] = "/a/2/before\0after";
	struct sess_event *ev = malloc(sizeof(*ev));
	char *big = malloc(1 << 20);
	int rc = 0, k;

	if (!ev || !big) {
		free(ev);
		free(big);
		return -ENOMEM;
	}
	memset(big, 'x', 1 << 20);
	memcpy(big, "/a/3/", 5);
	for (k = 0; k < 5 && rc == 0; k++) {
		fill(ev, c, 0);
		set(ev->method, sizeof(ev->method), "ATTACK", 6, ev, SESS_TRUNC_METHOD);
		switch (k) {
		case 0: set(ev->path, sizeof(ev->path), a0, sizeof(a0) - 1, ev, SESS_TRUNC_PATH); break;
		case 1: set(ev->path, sizeof(ev->path), a1, sizeof(a1) - 1, ev, SESS_TRUNC_PATH); break;
		case 2: set(ev->path, sizeof(ev->path), a2, sizeof(a2) - 1, ev, SESS_TRUNC_PATH); break;
		case 3: set(ev->path, sizeof(ev->path), big, 1 << 20, ev, SESS_TRUNC_PATH); break;
		case 4:
			set(ev->path, sizeof(ev->path), "/a/4/", 5, ev, SESS_TRUNC_PATH);
			set(ev->authority, sizeof(ev->authority), "\\N", 2, ev, SESS_TRUNC_AUTHORITY);
			set(ev->query, sizeof(ev->query), "a=\\.\n\\.\n", 8, ev, SESS_TRUNC_QUERY);
			break;
		}
		rc = shardup_push(u, ev, NULL, off);
	}
	free(ev);
	free(big);
	return rc;
}

/* A DEALER of its own with the emitter's credentials, connected to ep. */
static void *side_socket(void *ctx, const char *ep, int plain, const char *key,
			 const char *srv)
{
	void *s = zmq_socket(ctx, ZMQ_DEALER);
	char sec[41], pub[41], spub[41];
	int linger = 2000;

	if (!plain && curvekey_read(key, sec) == 0 &&
	    curvekey_read(srv, spub) == 0 && zmq_curve_public(pub, sec) == 0) {
		zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, spub, 40);
		zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pub, 40);
		zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec, 40);
	}
	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof(linger));
	zmq_connect(s, ep);
	return s;
}

/* Undecodable frames and a host-less batch, on their own socket. */
static void send_garbage(const char *ep, int plain, const char *key,
			 const char *srv, int n)
{
	void *ctx = zmq_ctx_new(), *s = side_socket(ctx, ep, plain, key, srv);
	uint8_t buf[256];
	int i;

	for (i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < sizeof(buf); j++)
			buf[j] = (uint8_t)(rand() & 0xff);
		buf[0] = 0xff; /* field 31, wire type 7: never valid */
		zmq_send(s, buf, sizeof(buf), 0);
	}
	{
		sidewatch_Batch b = sidewatch_Batch_init_zero;
		pb_ostream_t os = pb_ostream_from_buffer(buf, sizeof(buf));
		b.version = 1;
		b.seq = 1; /* but no host */
		if (pb_encode(&os, sidewatch_Batch_fields, &b))
			zmq_send(s, buf, os.bytes_written, 0);
	}
	zmq_close(s);
	zmq_ctx_term(ctx);
}

/* One well-formed batch of host with n empty events (2 bytes each on the
 * wire), on its own socket: what an 8 MiB message could make of rows. */
static void send_oversize(const char *ep, int plain, const char *key,
			  const char *srv, const char *host, unsigned n)
{
	size_t hl = strnlen(host, 63), o = 0, cap = 16 + hl + 2 * (size_t)n;
	uint8_t *buf = malloc(cap);
	void *ctx, *s;

	if (!buf)
		return;
	buf[o++] = 0x08; buf[o++] = 0x01;       /* version 1 */
	buf[o++] = 0x12; buf[o++] = (uint8_t)hl; /* host */
	memcpy(buf + o, host, hl);
	o += hl;
	buf[o++] = 0x18; buf[o++] = 0x7f;       /* seq 127 */
	for (unsigned i = 0; i < n; i++) {
		buf[o++] = 0x22;                /* events: an empty one */
		buf[o++] = 0x00;
	}
	ctx = zmq_ctx_new();
	s = side_socket(ctx, ep, plain, key, srv);
	zmq_send(s, buf, o, 0);
	zmq_close(s);
	zmq_ctx_term(ctx);
	free(buf);
}

/* a protobuf varint */
static size_t put_len(uint8_t *o, uint64_t n)
{
	size_t i = 0;

	while (n >= 0x80) {
		o[i++] = (uint8_t)(0x80 | (n & 0x7f));
		n >>= 7;
	}
	o[i++] = (uint8_t)n;
	return i;
}

/* n batches of HEAVY_EVENTS big events on their own socket, sent at once,
 * then their acks awaited. */
#define HEAVY_EVENTS 500
#define HEAVY_FIELD 1900
#define HEAVY_SEQ0 1000000
static void send_heavy(const char *ep, int plain, const char *key,
		       const char *srv, const char *host, unsigned n)
{
	size_t hl = strnlen(host, 63), ev = 2 * (1 + 2 + HEAVY_FIELD);
	size_t cap = 32 + hl + HEAVY_EVENTS * (3 + ev);
	uint8_t *buf = malloc(cap);
	void *ctx, *s;

	if (!buf)
		return;
	ctx = zmq_ctx_new();
	s = side_socket(ctx, ep, plain, key, srv);
	/* every batch leaves before exit, however slowly the correlator
	 * takes them (a caller that wants it gone kills it) */
	zmq_setsockopt(s, ZMQ_LINGER, &(int){ -1 }, sizeof(int));
	for (unsigned k = 1; k <= n; k++) {
		size_t o = 0;

		buf[o++] = 0x08; buf[o++] = 0x01;       /* version 1 */
		buf[o++] = 0x12; buf[o++] = (uint8_t)hl; /* host */
		memcpy(buf + o, host, hl);
		o += hl;
		buf[o++] = 0x18;   /* seq: clear of the uplink's own (from 1) */
		o += put_len(buf + o, HEAVY_SEQ0 + k);
		for (unsigned i = 0; i < HEAVY_EVENTS; i++) {
			buf[o++] = 0x22;                /* events */
			o += put_len(buf + o, ev);
			buf[o++] = 0x72;                /* path */
			o += put_len(buf + o, HEAVY_FIELD);
			buf[o] = '/';
			memset(buf + o + 1, 'p', HEAVY_FIELD - 1);
			o += HEAVY_FIELD;
			buf[o++] = 0x7a;                /* query */
			o += put_len(buf + o, HEAVY_FIELD);
			memset(buf + o, 'q', HEAVY_FIELD);
			o += HEAVY_FIELD;
		}
		zmq_send(s, buf, o, 0);
	}
	/* and waits for their acks (up to 60 s without one): leaving with
	 * batches unread at the correlator could lose them with the
	 * connection (a real collector would resend from its spool) */
	zmq_setsockopt(s, ZMQ_RCVTIMEO, &(int){ 60000 }, sizeof(int));
	for (unsigned k = 0; k < n && zmq_recv(s, buf, cap, 0) >= 0; k++)
		;
	zmq_close(s);
	zmq_ctx_term(ctx);
	free(buf);
}

/* --ring: the ring's version and changes, then one line per shard. */
static void print_shards(const struct shardup *u, const char *host,
			 const struct shardup_stats *ss)
{
	struct uplink_stats st;
	const char *name;
	int in;

	printf("sw-emit %s: ring_version=%" PRIu64 " ring_changes=%" PRIu64
	       " ring_refused=%" PRIu64 " retired=%" PRIu64 "\n", host, ss->ring_version,
	       ss->ring_changes, ss->ring_refused, ss->retired);
	for (size_t i = 0; shardup_shard(u, i, &name, &in, &st) == 0; i++)
		printf("sw-emit %s: shard=%s in_ring=%d events=%" PRIu64 " batches=%" PRIu64
		       " acked=%" PRIu64 " pending=%" PRIu64 "\n", host, name, in,
		       st.events, st.batches, st.acked, st.spool.pending);
}

/* sw-emit's command line */
struct emit_opts {
	struct uplink_config cfg;
	const char *ring, *inventory, *script, *src;
	uint64_t count, rate;
	unsigned timeout, oversize, heavy, passes, per, offset, clients, cbase;
	int attack, garbage;
};

/* The command line into o (defaults first); 0, or 2 (usage) after
 * saying what is wrong */
static int emit_parse(int argc, char **argv, struct emit_opts *o)
{
	static const struct option opts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "count", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'r' },
		{ "spool", required_argument, NULL, 's' },
		{ "plain", no_argument, NULL, 'P' },
		{ "key", required_argument, NULL, 'k' },
		{ "server-key", required_argument, NULL, 'K' },
		{ "attack", no_argument, NULL, 'a' },
		{ "garbage", required_argument, NULL, 'g' },
		{ "timeout", required_argument, NULL, 't' },
		{ "script", required_argument, NULL, 'x' },
		{ "src", required_argument, NULL, 'S' },
		{ "per", required_argument, NULL, 'p' },
		{ "offset", required_argument, NULL, 'o' },
		{ "clients", required_argument, NULL, 'C' },
		{ "paths", required_argument, NULL, 'N' },
		{ "client-base", required_argument, NULL, 'B' },
		{ "oversize", required_argument, NULL, 'O' },
		{ "heavy", required_argument, NULL, 'W' },
		{ "inventory", required_argument, NULL, 'I' },
		{ "passes", required_argument, NULL, 'Q' },
		{ "ring", required_argument, NULL, 'R' },
		{ 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->cfg.endpoint = "tcp://127.0.0.1:7450";
	o->cfg.version = "sw-emit";
	o->count = 1000;
	o->timeout = 60;
	o->passes = 1;
	o->src = "10.213.9.9";
	o->per = 5;
	o->clients = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': o->cfg.endpoint = optarg; break;
		case 'H': o->cfg.host = optarg; break;
		case 'n': o->count = strtoull(optarg, NULL, 10); break;
		case 'r': o->rate = strtoull(optarg, NULL, 10); break;
		case 's': o->cfg.spool_dir = optarg; break;
		case 'P': o->cfg.plain = 1; break;
		case 'k': o->cfg.secret_key_file = optarg; break;
		case 'K': o->cfg.server_key_file = optarg; break;
		case 'a': o->attack = 1; break;
		case 'g': o->garbage = atoi(optarg); break;
		case 't': o->timeout = (unsigned)atoi(optarg); break;
		case 'x': o->script = optarg; break;
		case 'S': o->src = optarg; break;
		case 'p': o->per = (unsigned)atoi(optarg); break;
		case 'o': o->offset = (unsigned)atoi(optarg); break;
		case 'C':
			o->clients = (unsigned)strtoul(optarg, NULL, 10);
			if (o->clients < 1 || o->clients > 65536) {
				fprintf(stderr, "sw-emit: --clients takes 1 to 65536\n");
				return 2;
			}
			break;
		case 'N': npaths = strtoull(optarg, NULL, 10); break;
		case 'I': o->inventory = optarg; break;
		case 'R': o->ring = optarg; break;
		case 'Q': o->passes = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'B': o->cbase = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'O':
			o->oversize = (unsigned)strtoul(optarg, NULL, 10);
			if (o->oversize > 4000000) {
				fprintf(stderr, "sw-emit: --oversize takes up to 4000000 events (8 MB)\n");
				return 2;
			}
			break;
		case 'W':
			o->heavy = (unsigned)strtoul(optarg, NULL, 10);
			if (o->heavy < 1 || o->heavy > 1000) {
				fprintf(stderr, "sw-emit: --heavy takes 1 to 1000 batches\n");
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: see the comment at the top of tools/sw-emit.c\n");
			return 2;
		}
	}
	if ((uint64_t)o->cbase + o->clients > 65536) {
		fprintf(stderr, "sw-emit: --client-base + --clients must not pass 65536\n");
		return 2;
	}
	if (o->ring && (o->inventory || o->garbage || o->oversize || o->heavy)) {
		fprintf(stderr, "sw-emit: --ring goes with plain events, --attack and --script only\n");
		return 2;
	}
	return 0;
}

/* Push o->count events (at o->rate a second, 0: at once), polling
 * the uplink, until all are acked or the deadline; returns how many
 * were pushed */
static uint64_t emit_loop(struct shardup *u, struct sess_event *ev, struct sess_conn *conn,
			  const struct emit_opts *o, uint64_t off, uint64_t t0, uint64_t deadline)
{
	struct shardup_stats ss;
	struct uplink_stats us;
	uint64_t pushed = 0;

	for (;;) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC), due = o->count;

		if (o->rate)
			due = (now - t0) / 1000 * o->rate / 1000000;
		if (due > o->count)
			due = o->count;
		while (pushed < due) {
			if (o->clients > 1 || o->cbase) {
				uint32_t c = o->cbase + (uint32_t)((pushed *
					0x9E3779B97F4A7C15ull) >> 32) % o->clients;

				conn->client_addr[2] = (uint8_t)(c >> 8);
				conn->client_addr[3] = (uint8_t)c;
			}
			fill(ev, conn, pushed);
			conn->client_port = (uint16_t)(40000 + pushed % 20000);
			if (shardup_push(u, ev, NULL, off) < 0)
				fprintf(stderr, "sw-emit: push failed\n");
			pushed++;
			if (pushed % 128 == 0)
				shardup_poll(u, 0);
		}
		if (pushed == o->count)
			shardup_flush(u);
		shardup_poll(u, 5);
		shardup_check_ring(u, now / 1000000, 0);
		shardup_get_stats(u, &ss);
		us = ss.sum;
		if (pushed == o->count && us.unflushed == 0 && us.spool.pending == 0)
			break;
		if (now > deadline)
			break;
	}
	return pushed;
}

int main(int argc, char **argv)
{
	struct emit_opts op;
	struct sess_conn conn = { .family = AF_INET, .tgid = 4242,
				  .client_port = 40000, .server_port = 8080,
				  .cookie = 77, .comm = "sw-emit" };
	struct shardup_stats ss;
	struct uplink_stats us;
	struct rusage ru;
	struct sess_event *ev;
	struct shardup *u;
	uint64_t pushed, off, t0, deadline;
	unsigned bad_line;
	int ok;
	char err[512];

	if (emit_parse(argc, argv, &op))
		return 2;
	inet_pton(AF_INET, "10.213.0.9", conn.client_addr);
	inet_pton(AF_INET, "10.213.0.1", conn.server_addr);
	if (op.garbage)
		send_garbage(op.cfg.endpoint, op.cfg.plain, op.cfg.secret_key_file,
			     op.cfg.server_key_file, op.garbage);
	if (op.oversize && op.cfg.host)
		send_oversize(op.cfg.endpoint, op.cfg.plain, op.cfg.secret_key_file,
			      op.cfg.server_key_file, op.cfg.host, op.oversize);
	if (op.heavy && op.cfg.host)
		send_heavy(op.cfg.endpoint, op.cfg.plain, op.cfg.secret_key_file,
			   op.cfg.server_key_file, op.cfg.host, op.heavy);
	u = shardup_new(&op.cfg, op.ring, err, sizeof(err));
	ev = malloc(sizeof(*ev));
	if (!u || !ev) {
		fprintf(stderr, "sw-emit: %s\n", u ? "out of memory" : err);
		shardup_free(u);
		free(ev);
		return 2;
	}
	off = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	t0 = clock_ns(CLOCK_MONOTONIC);
	deadline = t0 + (uint64_t)op.timeout * 1000000000ull;
	if (op.attack && push_attacks(u, &conn, off) < 0)
		fprintf(stderr, "sw-emit: attack events not queued\n");
	if (op.script && push_script(u, &conn, off, op.script, op.src, op.per, op.offset) < 0)
		fprintf(stderr, "sw-emit: scripted events not queued\n");
	if (op.inventory) {
		int n = sw_emit_inv_run(shardup_single(u), &conn, op.inventory, op.passes, off, &bad_line);

		if (n < 0) {
			fprintf(stderr, "sw-emit: inventory %s: %s (line %u)\n",
				op.inventory, strerror(-n), bad_line);
			shardup_free(u);
			free(ev);
			return 2;
		}
		printf("sw-emit: %d endpoint summaries pushed\n", n);
	}
	pushed = emit_loop(u, ev, &conn, &op, off, t0, deadline);
	shardup_get_stats(u, &ss);
	us = ss.sum;
	ok = pushed == op.count && us.spool.pending == 0;
	/* CPU used (all threads, ZeroMQ's I/O thread included): what the
	 * uplink costs a collector per event, for bench-ingest. */
	getrusage(RUSAGE_SELF, &ru);
	printf("sw-emit %s: events=%" PRIu64 " batches=%" PRIu64 " sent=%" PRIu64
	       " resent=%" PRIu64 " acked=%" PRIu64 " timeouts=%" PRIu64
	       " pending=%" PRIu64 " dropped=%" PRIu64 " cpu_us=%" PRIu64 " %s\n",
	       op.cfg.host, us.events, us.batches, us.sent, us.resent, us.acked,
	       us.timeouts, us.spool.pending, us.spool.dropped,
	       (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
		       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec),
	       ok ? "all acked" : "NOT all acked");
	if (op.ring)
		print_shards(u, op.cfg.host, &ss);
	shardup_free(u);
	free(ev);
	return ok ? 0 : 1;
}
