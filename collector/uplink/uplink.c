/* uplink.c - batch, spool and send session events to the correlator. */
#include "collector/uplink/uplink.h"
#include "common/clock.h"
#include "common/curvekey.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include <pb_decode.h>
#include <pb_encode.h>

/* room for one encoded batch: every event at its bound, plus framing */
#define UPLINK_BUF_SIZE \
	(UPLINK_MAX_BATCH * (sidewatch_SessionEvent_size + 8) + \
	 sidewatch_Heartbeat_size + 256)

struct inflight {
	uint64_t seq;
	uint64_t sent_ms;
	int acked;
	int again;                   /* sent before: its ack may be the old copy's */
};

struct uplink {
	struct uplink_config cfg;    /* its strings point into own[] below */
	char host[64];
	char version[32];
	/* copies of the caller's strings used after uplink_new() (a socket
	 * opened again reads them; the caller's storage may move: shardup's
	 * slots do when a shard retires) */
	char own_ep[512], own_sec[4096], own_srvf[4096], own_srv[64];
	void *ctx, *sock;
	struct spool *sp;

	sidewatch_SessionEvent *evs; /* the open batch */
	unsigned nev;
	uint64_t first_ms;           /* when the open batch got its first event */

	uint8_t *buf;                /* encode / spool read buffer */
	uint8_t *evbuf;              /* one encoded event (enc_events) */

	struct inflight *win;        /* in seq order, oldest first */
	unsigned nwin;
	unsigned cwnd;               /* batches we let be in flight now */
	unsigned rto_ms;             /* ack timeout now */
	uint64_t max_sent;           /* highest seq ever sent */
	uint64_t send_after;         /* next send: first spooled seq > this */

	uint64_t start_ms, last_hb_ms;
	uint64_t opened_ms;          /* when the socket was opened */
	int heard;                   /* an ack came on this socket */
	int hb_due;
	struct {
		const char *name;
		uint64_t value;
	} ctr[UPLINK_MAX_COUNTERS];
	unsigned nctr;

	struct uplink_stats st;
};

static uint64_t now_ms(void)
{
	return clock_mono_ms();
}

static uint64_t unix_us(void)
{
	return clock_unix_us();
}

/* *s copied into buf and pointed there (NULL stays NULL); -1 when too long */
static int own(char *buf, size_t len, const char **s)
{
	if (!*s)
		return 0;
	if (strlen(*s) >= len)
		return -1;
	strcpy(buf, *s);
	*s = buf;
	return 0;
}

static int set_curve(struct uplink *u, char *err, size_t errlen)
{
	char sec[41], pub[41], srv[41];
	int rc, on = 0;

	if (!u->cfg.secret_key_file || (!u->cfg.server_key_file && !u->cfg.server_key)) {
		snprintf(err, errlen, "uplink: CURVE needs a secret key file and the "
			 "server's public key file (or plain mode)");
		return -EINVAL;
	}
	rc = curvekey_read(u->cfg.secret_key_file, sec);
	if (rc < 0) {
		snprintf(err, errlen, "uplink: cannot read a z85 key from %s: %s",
			 u->cfg.secret_key_file, strerror(-rc));
		return rc;
	}
	if (u->cfg.server_key) {
		if (strlen(u->cfg.server_key) != 40) {
			snprintf(err, errlen, "uplink: the server key is not 40 characters of z85");
			return -EINVAL;
		}
		memcpy(srv, u->cfg.server_key, 41);
		rc = 0;
	} else {
		rc = curvekey_read(u->cfg.server_key_file, srv);
	}
	if (rc < 0) {
		snprintf(err, errlen, "uplink: cannot read a z85 key from %s: %s",
			 u->cfg.server_key_file, strerror(-rc));
		return rc;
	}
	if (zmq_curve_public(pub, sec) < 0) {
		snprintf(err, errlen, "uplink: %s is not a CURVE secret key",
			 u->cfg.secret_key_file);
		return -EINVAL;
	}
	if (zmq_setsockopt(u->sock, ZMQ_CURVE_SERVER, &on, sizeof(on)) < 0 ||
	    zmq_setsockopt(u->sock, ZMQ_CURVE_SERVERKEY, srv, 40) < 0 ||
	    zmq_setsockopt(u->sock, ZMQ_CURVE_PUBLICKEY, pub, 40) < 0 ||
	    zmq_setsockopt(u->sock, ZMQ_CURVE_SECRETKEY, sec, 40) < 0) {
		rc = -errno;
		snprintf(err, errlen, "uplink: CURVE setup failed: %s",
			 zmq_strerror(errno));
		return rc;
	}
	memset(sec, 0, sizeof(sec));
	return 0;
}

/* The DEALER to the correlator, connected. libzmq does not reconnect a
 * socket whose handshake the correlator refused (an unknown key gets a
 * CURVE ERROR, a protocol error to libzmq), so uplink_poll opens a new one
 * when nothing was heard for UPLINK_REOPEN_MS: a host admitted after it
 * started then gets through without a restart. */
static int open_socket(struct uplink *u, char *err, size_t errlen)
{
	int64_t maxmsg = 4096; /* acks */
	int opt;

	u->sock = zmq_socket(u->ctx, ZMQ_DEALER);
	if (!u->sock) {
		snprintf(err, errlen, "uplink: zmq socket: %s", zmq_strerror(errno));
		return -EIO;
	}
	opt = 0;
	zmq_setsockopt(u->sock, ZMQ_LINGER, &opt, sizeof(opt));
	opt = 1; /* queue nothing on a connection that is not up */
	zmq_setsockopt(u->sock, ZMQ_IMMEDIATE, &opt, sizeof(opt));
	opt = (int)u->cfg.window * 2;
	zmq_setsockopt(u->sock, ZMQ_SNDHWM, &opt, sizeof(opt));
	opt = 100;
	zmq_setsockopt(u->sock, ZMQ_RECONNECT_IVL, &opt, sizeof(opt));
	opt = 2000;
	zmq_setsockopt(u->sock, ZMQ_RECONNECT_IVL_MAX, &opt, sizeof(opt));
	/* A dead correlator is noticed by TCP, not by ZMTP PINGs: libzmq
	 * 4.3.4 aborts a peer (!_io_error, stream_engine_base.cpp:331) that
	 * decodes a PING it had buffered behind a batch its full receive
	 * queue stopped, after the connection hung up; a correlator holding
	 * batches back (its designed backpressure) then died when a
	 * collector's 3 s heartbeat timeout dropped the connection. Keepalive
	 * probes are answered by the correlator's kernel however busy it is;
	 * TCP_USER_TIMEOUT (UPLINK_TCP_MAXRT_MS) bounds how long a vanished
	 * host keeps the connection, probing or sending. */
	opt = 1;
	zmq_setsockopt(u->sock, ZMQ_TCP_KEEPALIVE, &opt, sizeof(opt));
	opt = 2;
	zmq_setsockopt(u->sock, ZMQ_TCP_KEEPALIVE_IDLE, &opt, sizeof(opt));
	opt = 1;
	zmq_setsockopt(u->sock, ZMQ_TCP_KEEPALIVE_INTVL, &opt, sizeof(opt));
	opt = 3;
	zmq_setsockopt(u->sock, ZMQ_TCP_KEEPALIVE_CNT, &opt, sizeof(opt));
	opt = UPLINK_TCP_MAXRT_MS;
	zmq_setsockopt(u->sock, ZMQ_TCP_MAXRT, &opt, sizeof(opt));
	zmq_setsockopt(u->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof(maxmsg));
	if (!u->cfg.plain && set_curve(u, err, errlen) < 0)
		return -EINVAL;
	if (zmq_connect(u->sock, u->cfg.endpoint) < 0) {
		snprintf(err, errlen, "uplink: cannot connect to %s: %s",
			 u->cfg.endpoint, zmq_strerror(errno));
		return -EINVAL;
	}
	u->opened_ms = now_ms();
	u->heard = 0;
	return 0;
}

/* Batches wait and this socket has never had an ack in UPLINK_REOPEN_MS
 * since it was opened: its handshake was most likely refused, and libzmq
 * will not try again. A socket that has had acks is kept: a correlator or
 * PostgreSQL outage is waited out on it, as libzmq reconnects by itself. */
static void reopen_if_unheard(struct uplink *u, uint64_t now)
{
	struct spool_stats ss;
	char err[256];

	if (u->heard || now - u->opened_ms < UPLINK_REOPEN_MS)
		return;
	spool_get_stats(u->sp, &ss);
	if (!ss.pending)
		return;
	zmq_close(u->sock);
	u->sock = NULL;
	u->st.reopens++;
	u->nwin = 0; /* whatever was in flight goes again on the new socket */
	u->send_after = ss.acked_seq;
	if (open_socket(u, err, sizeof(err)) < 0) {
		if (u->sock)
			zmq_close(u->sock);
		u->sock = NULL;
		u->opened_ms = now; /* try again after the same wait */
	}
}

struct uplink *uplink_new(const struct uplink_config *cfg, char *err,
			  size_t errlen)
{
	struct spool_config sc = {0};
	struct uplink *u;
	int rc;

	if (!cfg || !cfg->host || !cfg->spool_dir) {
		snprintf(err, errlen, "uplink: host and spool directory are required");
		return NULL;
	}
	u = calloc(1, sizeof(*u));
	if (!u) {
		snprintf(err, errlen, "uplink: out of memory");
		return NULL;
	}
	u->cfg = *cfg;
	if (!u->cfg.endpoint)
		u->cfg.endpoint = "tcp://127.0.0.1:7450";
	if (!u->cfg.batch_events || u->cfg.batch_events > UPLINK_MAX_BATCH)
		u->cfg.batch_events = UPLINK_MAX_BATCH;
	if (!u->cfg.batch_ms)
		u->cfg.batch_ms = 50;
	if (!u->cfg.window)
		u->cfg.window = 32;
	if (!u->cfg.ack_timeout_ms)
		u->cfg.ack_timeout_ms = 2000;
	if (!u->cfg.heartbeat_ms)
		u->cfg.heartbeat_ms = 5000;
	if (own(u->own_ep, sizeof(u->own_ep), &u->cfg.endpoint) ||
	    own(u->own_sec, sizeof(u->own_sec), &u->cfg.secret_key_file) ||
	    own(u->own_srvf, sizeof(u->own_srvf), &u->cfg.server_key_file) ||
	    own(u->own_srv, sizeof(u->own_srv), &u->cfg.server_key)) {
		snprintf(err, errlen, "uplink: an endpoint or key path over its limit");
		goto fail;
	}
	u->cfg.spool_dir = NULL; /* read once, by spool_open() below */
	u->cfg.host = u->cfg.version = NULL; /* host[] and version[] hold them */
	u->cwnd = u->cfg.window;
	u->rto_ms = u->cfg.ack_timeout_ms;
	pbfield_str(u->host, sizeof(u->host), cfg->host);
	pbfield_str(u->version, sizeof(u->version), cfg->version ? cfg->version : "dev");

	u->evs = calloc(UPLINK_MAX_BATCH, sizeof(*u->evs));
	u->buf = malloc(UPLINK_BUF_SIZE);
	u->evbuf = malloc(sidewatch_SessionEvent_size);
	u->win = calloc(u->cfg.window, sizeof(*u->win));
	if (!u->evs || !u->buf || !u->evbuf || !u->win) {
		snprintf(err, errlen, "uplink: out of memory");
		goto fail;
	}
	sc.dir = cfg->spool_dir;
	sc.max_bytes = cfg->spool_max_bytes;
	sc.sync = cfg->spool_sync;
	sc.min_seq = unix_us(); /* a lost spool never reuses an old seq */
	rc = spool_open(&u->sp, &sc, err, errlen);
	if (rc < 0)
		goto fail;
	u->send_after = 0;

	u->ctx = zmq_ctx_new();
	if (!u->ctx || open_socket(u, err, errlen) < 0)
		goto fail;
	u->start_ms = u->last_hb_ms = now_ms();
	u->hb_due = 1; /* introduce ourselves at once */
	return u;
fail:
	uplink_free(u);
	return NULL;
}

void uplink_free(struct uplink *u)
{
	if (!u)
		return;
	if (u->sock)
		zmq_close(u->sock);
	if (u->ctx)
		zmq_ctx_term(u->ctx);
	spool_close(u->sp);
	free(u->evs);
	free(u->buf);
	free(u->evbuf);
	free(u->win);
	free(u);
}

static bool enc_events(pb_ostream_t *os, const pb_field_t *field,
		       void *const *arg)
{
	const struct uplink *u = *arg;
	unsigned i;

	/* Each event once, into evbuf, then as length-delimited bytes:
	 * pb_encode_submessage would encode it twice (once only to learn
	 * its length), and encoding is most of the uplink's CPU per event. */
	for (i = 0; i < u->nev; i++) {
		pb_ostream_t es = pb_ostream_from_buffer(u->evbuf,
							 sidewatch_SessionEvent_size);

		if (!pb_encode(&es, sidewatch_SessionEvent_fields, &u->evs[i]) ||
		    !pb_encode_tag_for_field(os, field) ||
		    !pb_encode_string(os, u->evbuf, es.bytes_written))
			return false;
	}
	return true;
}

/* Batch.endpoints: the summaries uplink_push_endpoints() was given. */
struct enc_inv {
	const sidewatch_EndpointSummary *v;
	size_t n;
};

static bool enc_endpoints(pb_ostream_t *os, const pb_field_t *field,
			  void *const *arg)
{
	const struct enc_inv *x = *arg;
	size_t i;

	for (i = 0; i < x->n; i++)
		if (!pb_encode_tag_for_field(os, field) ||
		    !pb_encode_submessage(os, sidewatch_EndpointSummary_fields,
					  &x->v[i]))
			return false;
	return true;
}

static void fill_heartbeat(struct uplink *u, sidewatch_Heartbeat *hb)
{
	struct spool_stats ss;
	unsigned i;
	const struct {
		const char *name;
		uint64_t v;
	} own[] = {
		{ "uplink.events", u->st.events },
		{ "uplink.batches", u->st.batches },
		{ "uplink.resent", u->st.resent },
		{ "uplink.timeouts", u->st.timeouts },
		{ "uplink.spool_errors", u->st.spool_errors },
		{ "spool.dropped", 0 },
		{ "spool.corrupt", 0 },
		{ "spool.pending", 0 },
		{ "spool.bytes", 0 },
		{ "uplink.reopens", u->st.reopens }, /* after the spool's: by index above */
	};

	spool_get_stats(u->sp, &ss);
	pbfield_str(hb->host, sizeof(hb->host), u->host);
	pbfield_str(hb->version, sizeof(hb->version), u->version);
	hb->uptime_s = (now_ms() - u->start_ms) / 1000;
	hb->ts_us = unix_us();
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		sidewatch_Counter *c = &hb->counters[hb->counters_count++];
		uint64_t v = own[i].v;

		if (i == 5) v = ss.dropped;
		if (i == 6) v = ss.corrupt;
		if (i == 7) v = ss.pending;
		if (i == 8) v = ss.bytes;
		pbfield_str(c->name, sizeof(c->name), own[i].name);
		c->value = v;
	}
	for (i = 0; i < u->nctr; i++) {
		sidewatch_Counter *c;

		/* blocklist_sub_fan.h: one block list version per shard */
		if (strncmp(u->ctr[i].name, "blocklist_version:", 18) == 0) {
			if (hb->blocklist_shards_count < 64) {
				sidewatch_ShardVersion *v = &hb->blocklist_shards[hb->blocklist_shards_count++];

				pbfield_str(v->shard, sizeof(v->shard), u->ctr[i].name + 18);
				v->version = u->ctr[i].value;
			}
			continue;
		}
		if (hb->counters_count >= 32)
			continue;
		c = &hb->counters[hb->counters_count++];
		pbfield_str(c->name, sizeof(c->name), u->ctr[i].name);
		c->value = u->ctr[i].value;
		/* the block list version has a field of its own */
		if (strcmp(u->ctr[i].name, "blocklist_version") == 0)
			hb->blocklist_version = u->ctr[i].value;
	}
}

/* Send the spooled batch seq (its bytes in buf) into the window. */
static int send_one(struct uplink *u, uint64_t seq, const void *buf,
		    size_t len, uint64_t now)
{
	if (!u->sock || zmq_send(u->sock, buf, len, ZMQ_DONTWAIT) < 0)
		return -1; /* no peer or full pipe: try again later */
	u->st.sent++;
	u->win[u->nwin].seq = seq;
	u->win[u->nwin].sent_ms = now;
	u->win[u->nwin].acked = 0;
	u->win[u->nwin].again = seq <= u->max_sent;
	if (u->win[u->nwin].again)
		u->st.resent++;
	else
		u->max_sent = seq;
	u->nwin++;
	u->send_after = seq;
	return 0;
}

/* Encode the open batch (and a heartbeat when due, and endpoint
 * summaries when inv is not NULL) into the spool. */
static int flush_batch_inv(struct uplink *u, int with_hb,
			   const struct enc_inv *inv)
{
	static const sidewatch_Batch zero = sidewatch_Batch_init_zero;
	sidewatch_Batch *b;
	pb_ostream_t os;
	uint64_t seq;
	int rc;

	if (!u->nev && !with_hb && !inv)
		return 0;
	/* Batch is small: events are streamed by the callback */
	b = malloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	*b = zero;
	b->version = sidewatch_Const_PROTO_VERSION;
	pbfield_str(b->host, sizeof(b->host), u->host);
	b->seq = 0; /* the spool assigns it; see below */
	b->events.funcs.encode = enc_events;
	b->events.arg = u;
	if (with_hb) {
		b->has_heartbeat = true;
		fill_heartbeat(u, &b->heartbeat);
	}
	if (inv) {
		b->endpoints.funcs.encode = enc_endpoints;
		b->endpoints.arg = (void *)inv;
	}
	/* The seq is in the message, so encode with the seq the spool will
	 * give: it is always the spool's next_seq. */
	{
		struct spool_stats ss;
		spool_get_stats(u->sp, &ss);
		b->seq = ss.next_seq;
	}
	os = pb_ostream_from_buffer(u->buf, UPLINK_BUF_SIZE);
	if (!pb_encode(&os, sidewatch_Batch_fields, b)) {
		u->st.encode_errors++;
		free(b);
		u->nev = 0;
		return -EIO;
	}
	rc = spool_append(u->sp, u->buf, os.bytes_written, &seq);
	if (rc == 0 && seq != b->seq)
		rc = -EPROTO; /* cannot happen: the spool is single-writer */
	free(b);
	if (rc < 0) {
		u->st.spool_errors++;
	} else {
		u->st.batches++;
		/* next in line with room in the window: sent from here, not
		 * read back from the spool (a resend still reads it there) */
		if (seq == u->send_after + 1 && u->nwin < u->cwnd)
			send_one(u, seq, u->buf, os.bytes_written, now_ms());
		if (with_hb) {
			u->hb_due = 0;
			u->last_hb_ms = now_ms();
		}
	}
	u->nev = 0;
	return rc;
}

static int flush_batch(struct uplink *u, int with_hb)
{
	return flush_batch_inv(u, with_hb, NULL);
}

/* Room in the batch buffer for the largest group of summaries. */
_Static_assert(UPLINK_MAX_ENDPOINTS * (sidewatch_EndpointSummary_size + 8) + 256 <=
	       UPLINK_BUF_SIZE, "endpoint summaries fit one batch buffer");

int uplink_push_endpoints(struct uplink *u, const sidewatch_EndpointSummary *v,
			  size_t n)
{
	struct enc_inv inv = { v, n };
	int rc;

	if (!u || (!v && n) || n > UPLINK_MAX_ENDPOINTS)
		return -EINVAL;
	if (!n)
		return 0;
	/* the open events first: they keep their place in the spool */
	rc = flush_batch(u, 0);
	if (rc < 0)
		return rc;
	rc = flush_batch_inv(u, u->hb_due, &inv);
	if (rc == 0)
		u->st.endpoints += n;
	return rc;
}

int uplink_flush(struct uplink *u)
{
	return flush_batch(u, u->hb_due);
}

int uplink_push_ex(struct uplink *u, const struct sess_event *ev,
		   const struct pbconv_extra *x, const char *host,
		   uint64_t boot_to_unix_ns)
{
	int rc;

	if (!u || !ev)
		return -EINVAL;
	if (host && strcmp(host, u->host) == 0)
		host = NULL; /* the batch's host: do not repeat it */
	rc = pbconv_event(ev, x, host, boot_to_unix_ns, &u->evs[u->nev]);
	if (rc < 0)
		return rc;
	/* set here, not in pbconv: only the uplink's batches need it (the
	 * correlator measures collector end -> committed row from it) */
	u->evs[u->nev].end_us = ev->end_ns ? (ev->end_ns + boot_to_unix_ns) / 1000 : 0;
	if (u->nev++ == 0)
		u->first_ms = now_ms();
	u->st.events++;
	if (u->nev >= u->cfg.batch_events)
		return flush_batch(u, u->hb_due);
	return 0;
}

int uplink_push(struct uplink *u, const struct sess_event *ev,
		const char *host, uint64_t boot_to_unix_ns)
{
	return uplink_push_ex(u, ev, NULL, host, boot_to_unix_ns);
}

int uplink_set_counter(struct uplink *u, const char *name, uint64_t value)
{
	unsigned i;

	for (i = 0; i < u->nctr; i++) {
		if (strcmp(u->ctr[i].name, name) == 0) {
			u->ctr[i].value = value;
			return 0;
		}
	}
	if (u->nctr == UPLINK_MAX_COUNTERS)
		return -ENOSPC;
	u->ctr[u->nctr].name = name;
	u->ctr[u->nctr].value = value;
	u->nctr++;
	return 0;
}

void uplink_heartbeat_now(struct uplink *u)
{
	u->hb_due = 1;
}

static void on_ack(struct uplink *u, uint64_t seq)
{
	unsigned i, n = 0;

	u->heard = 1;
	for (i = 0; i < u->nwin; i++) {
		if (u->win[i].seq == seq && !u->win[i].acked) {
			u->win[i].acked = 1;
			u->st.acked++;
			/* the correlator keeps up again: one more in flight
			 * per ack (doubling per round trip); the timeout goes
			 * back to its configured value only on the ack of a
			 * batch sent once (Karn): an ack of a resent batch may
			 * answer the copy sent before the timeout, and under
			 * sustained overload would undo the backoff */
			if (u->cwnd < u->cfg.window)
				u->cwnd++;
			if (!u->win[i].again)
				u->rto_ms = u->cfg.ack_timeout_ms;
			break;
		}
	}
	while (n < u->nwin && u->win[n].acked)
		n++;
	if (n) {
		spool_ack(u->sp, u->win[n - 1].seq);
		memmove(u->win, u->win + n, (u->nwin - n) * sizeof(*u->win));
		u->nwin -= n;
	}
}

static void recv_acks(struct uplink *u)
{
	for (;;) {
		sidewatch_Ack ack = sidewatch_Ack_init_zero;
		zmq_msg_t m;
		pb_istream_t is;

		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, u->sock, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return;
		}
		is = pb_istream_from_buffer(zmq_msg_data(&m), zmq_msg_size(&m));
		if (!pb_decode(&is, sidewatch_Ack_fields, &ack) ||
		    strcmp(ack.host, u->host) != 0)
			u->st.bad_acks++;
		else
			on_ack(u, ack.seq);
		zmq_msg_close(&m);
	}
}

static void send_window(struct uplink *u, uint64_t now)
{
	while (u->nwin < u->cwnd) {
		uint64_t seq;
		size_t len;
		int rc = spool_read(u->sp, u->send_after, &seq, u->buf,
				    UPLINK_BUF_SIZE, &len);

		if (rc == -ENOBUFS) {
			/* cannot be ours; skip rather than stall forever */
			u->send_after = seq;
			continue;
		}
		if (rc < 0 || send_one(u, seq, u->buf, len, now) < 0)
			return;
	}
}

int uplink_poll(struct uplink *u, int timeout_ms)
{
	zmq_pollitem_t pi;
	uint64_t now = now_ms();
	struct spool_stats ss;

	if (!u)
		return -EINVAL;
	if (now - u->last_hb_ms >= u->cfg.heartbeat_ms)
		u->hb_due = 1;
	if ((u->nev && now - u->first_ms >= u->cfg.batch_ms) || u->hb_due)
		flush_batch(u, u->hb_due);
	/* Acks already waiting come first: after a stall of this process
	 * (stopped, starved) longer than the timeout, they answer the window
	 * the timeout below would otherwise resend and back off for. */
	if (u->sock)
		recv_acks(u);

	/* The oldest unacked batch waited too long: rewind and send again,
	 * but only the oldest until acks come back, and wait twice as long
	 * before the next rewind (up to UPLINK_RTO_MAX_MS). A correlator slowed
	 * by a restart or a backlog is otherwise buried under resends of whole
	 * windows by every collector at once, its acks fall behind the timeout
	 * and it never catches up (seen with 50 emitters after a shard's
	 * restart: 25 000 duplicates, batches unacked for a minute). */
	if (u->nwin && now - u->win[0].sent_ms >= u->rto_ms) {
		u->st.timeouts++;
		u->nwin = 0;
		u->cwnd = 1;
		u->rto_ms *= 2;
		if (u->rto_ms > UPLINK_RTO_MAX_MS)
			u->rto_ms = u->cfg.ack_timeout_ms > UPLINK_RTO_MAX_MS
					    ? u->cfg.ack_timeout_ms : UPLINK_RTO_MAX_MS;
		spool_get_stats(u->sp, &ss);
		u->send_after = ss.acked_seq;
	}
	reopen_if_unheard(u, now);
	if (!u->sock) /* no socket could be made: wait, try again later */
		return zmq_poll(NULL, 0, timeout_ms) < 0 && errno != EINTR ? -errno : 0;
	send_window(u, now);

	pi.socket = u->sock;
	pi.fd = -1;
	pi.events = ZMQ_POLLIN;
	pi.revents = 0;
	if (zmq_poll(&pi, 1, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	if (pi.revents & ZMQ_POLLIN) {
		recv_acks(u);
		send_window(u, now_ms());
	}
	return 0;
}

void uplink_get_stats(const struct uplink *u, struct uplink_stats *st)
{
	*st = u->st;
	st->unflushed = u->nev;
	st->rto_ms = u->rto_ms;
	spool_get_stats(u->sp, &st->spool);
}
