/* ingest.c - Batch -> COPY rows. */
#include "ingest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <pb_decode.h>

const char INGEST_COPY_COLUMNS[] =
	"host, seq, idx, ts, ts_clamped, recv_ts, kind, proto, src_ip, src_port, "
	"dst_ip, dst_port, pid, comm, tls, method, authority, path, query, "
	"status, req_bytes, resp_bytes, latency_us, stream_id, service, rpc, "
	"grpc_status, req_msgs, resp_msgs, ws_phase, origin, subprotocol, "
	"client_msgs, server_msgs, client_bytes, server_bytes, close_code, "
	"identity, anomalies, rule, severity, action, detect_latency_us, "
	"enforce_latency_us, flags, trunc, sanitized, conn_id";

struct dec_ctx {
	struct ingest_batch *b;
	const struct ingest_limits *lim;
	sidewatch_SessionEvent *ev; /* scratch, one event at a time */
	struct sbuf tmp;
};

void ingest_fmt_ts(char *out, size_t len, uint64_t us)
{
	time_t s = (time_t)(us / 1000000);
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(out, len, "%04d-%02d-%02d %02d:%02d:%02d.%06u+00",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (unsigned)(us % 1000000));
}

static int64_t clamp64(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

static void col_sep(struct sbuf *r)
{
	sbuf_put(r, "\t", 1);
}

static void col_u64(struct sbuf *r, uint64_t v)
{
	col_sep(r);
	sbuf_printf(r, "%" PRId64, clamp64(v));
}

static void col_i64(struct sbuf *r, int64_t v)
{
	col_sep(r);
	sbuf_printf(r, "%" PRId64, v);
}

static void col_null(struct sbuf *r)
{
	sbuf_put(r, "\t\\N", 3);
}

static size_t col_bytes(struct sbuf *r, const uint8_t *p, size_t n)
{
	col_sep(r);
	return tx_copy(r, p, n);
}

/* empty -> NULL (used for optional, verdict-only values) */
static size_t col_str_or_null(struct sbuf *r, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (!n) {
		col_null(r);
		return 0;
	}
	col_sep(r);
	return tx_copy(r, s, n);
}

static void col_ip(struct sbuf *r, const uint8_t *p, size_t n)
{
	char a[INET6_ADDRSTRLEN];

	if ((n != 4 && n != 16) ||
	    !inet_ntop(n == 4 ? AF_INET : AF_INET6, p, a, sizeof(a))) {
		col_null(r);
		return;
	}
	col_sep(r);
	sbuf_puts(r, a);
}

static void col_name(struct sbuf *r, unsigned v, const char *const *names,
		     unsigned n)
{
	col_sep(r);
	sbuf_puts(r, v < n ? names[v] : "unknown");
}

static void format_row(struct dec_ctx *c, uint32_t idx)
{
	static const char *const kinds[] = { "session", "verdict" };
	static const char *const protos[] = { "http1", "http2", "grpc", "websocket" };
	static const char *const phases[] = { "open", "periodic", "close" };
	const sidewatch_SessionEvent *e = c->ev;
	struct ingest_batch *b = c->b;
	struct sbuf *r = &b->rows;
	uint64_t ts = e->ts_us;
	size_t bad = 0;
	int clamped = 0;
	char tsb[48];
	unsigned i;

	if (ts < c->lim->ts_lo_us || ts >= c->lim->ts_hi_us) {
		ts = c->lim->recv_us;
		clamped = 1;
		b->clamped_ts++;
	}
	sbuf_printf(r, "%" PRIu32, idx);
	ingest_fmt_ts(tsb, sizeof(tsb), ts);
	col_sep(r);
	sbuf_puts(r, tsb);
	col_sep(r);
	sbuf_puts(r, clamped ? "t" : "f");
	ingest_fmt_ts(tsb, sizeof(tsb), c->lim->recv_us);
	col_sep(r);
	sbuf_puts(r, tsb);
	col_name(r, (unsigned)e->kind, kinds, 2);
	col_name(r, (unsigned)e->proto, protos, 4);
	col_ip(r, e->src_ip.bytes, e->src_ip.size);
	col_u64(r, e->src_port);
	col_ip(r, e->dst_ip.bytes, e->dst_ip.size);
	col_u64(r, e->dst_port);
	col_u64(r, e->pid);
	bad += col_bytes(r, e->comm.bytes, e->comm.size);
	col_sep(r);
	sbuf_puts(r, e->tls ? "t" : "f");
	bad += col_bytes(r, e->method.bytes, e->method.size);
	bad += col_bytes(r, e->authority.bytes, e->authority.size);
	bad += col_bytes(r, e->path.bytes, e->path.size);
	bad += col_bytes(r, e->query.bytes, e->query.size);
	col_i64(r, e->status);
	col_u64(r, e->req_bytes);
	col_u64(r, e->resp_bytes);
	col_u64(r, e->latency_us);
	col_u64(r, e->stream_id);
	if (e->proto == sidewatch_Proto_PROTO_GRPC) {
		bad += col_bytes(r, e->service.bytes, e->service.size);
		bad += col_bytes(r, e->rpc.bytes, e->rpc.size);
		col_i64(r, e->grpc_status);
		col_u64(r, e->req_msgs);
		col_u64(r, e->resp_msgs);
	} else {
		col_null(r); col_null(r); col_null(r); col_null(r); col_null(r);
	}
	if (e->proto == sidewatch_Proto_PROTO_WEBSOCKET) {
		col_name(r, (unsigned)e->ws_phase, phases, 3);
		bad += col_bytes(r, e->origin.bytes, e->origin.size);
		bad += col_bytes(r, e->subprotocol.bytes, e->subprotocol.size);
		col_u64(r, e->client_msgs);
		col_u64(r, e->server_msgs);
		col_u64(r, e->client_bytes);
		col_u64(r, e->server_bytes);
		col_i64(r, e->close_code);
	} else {
		for (i = 0; i < 8; i++)
			col_null(r);
	}
	if (e->identity.size) {
		bad += col_bytes(r, e->identity.bytes, e->identity.size);
	} else {
		col_null(r);
	}
	/* anomalies as a jsonb object {"name": count}: JSON first, then COPY */
	if (e->anomalies_count) {
		sbuf_reset(&c->tmp);
		sbuf_put(&c->tmp, "{", 1);
		for (i = 0; i < e->anomalies_count; i++) {
			const sidewatch_Anomaly *a = &e->anomalies[i];

			sbuf_printf(&c->tmp, "%s\"", i ? "," : "");
			bad += tx_json(&c->tmp, a->name, strnlen(a->name, sizeof(a->name)));
			sbuf_printf(&c->tmp, "\":%" PRIu32, a->count);
		}
		sbuf_put(&c->tmp, "}", 1);
		col_sep(r);
		tx_copy(r, c->tmp.p, c->tmp.len);
	} else {
		col_null(r);
	}
	bad += col_str_or_null(r, e->rule, sizeof(e->rule));
	bad += col_str_or_null(r, e->severity, sizeof(e->severity));
	bad += col_str_or_null(r, e->action, sizeof(e->action));
	if (e->kind == sidewatch_Kind_KIND_VERDICT) {
		col_u64(r, e->detect_latency_us);
		col_u64(r, e->enforce_latency_us);
	} else {
		col_null(r);
		col_null(r);
	}
	col_u64(r, e->flags);
	col_u64(r, e->trunc);
	col_sep(r);
	sbuf_puts(r, bad ? "t" : "f");
	col_i64(r, (int64_t)e->conn_id); /* an id: bit pattern kept */
	sbuf_put(r, "\n", 1);
	if (bad)
		b->sanitized++;
}

static bool dec_event(pb_istream_t *is, const pb_field_t *field, void **arg)
{
	struct dec_ctx *c = *arg;

	(void)field;
	memset(c->ev, 0, sizeof(*c->ev));
	if (!pb_decode(is, sidewatch_SessionEvent_fields, c->ev))
		return false;
	format_row(c, c->b->nevents++);
	if (c->lim->hook)
		c->lim->hook(c->lim->hook_ctx, c->b, c->b->nevents - 1, c->ev);
	return !c->b->rows.oom;
}

int ingest_decode(const void *data, size_t len, const struct ingest_limits *lim,
		  struct ingest_batch *b, char *why, size_t whylen)
{
	sidewatch_Batch msg;
	struct dec_ctx c = { .b = b, .lim = lim };
	pb_istream_t is;
	int rc = 0;

	sbuf_reset(&b->rows);
	b->nevents = b->sanitized = b->clamped_ts = 0;
	b->has_hb = 0;
	c.ev = malloc(sizeof(*c.ev));
	if (!c.ev)
		return -ENOMEM;
	memset(&msg, 0, sizeof(msg));
	msg.events.funcs.decode = dec_event;
	msg.events.arg = &c;
	is = pb_istream_from_buffer(data, len);
	if (!pb_decode(&is, sidewatch_Batch_fields, &msg)) {
		rc = b->rows.oom ? -ENOMEM : -EBADMSG;
		snprintf(why, whylen, "does not decode: %s", PB_GET_ERROR(&is));
		goto out;
	}
	if (msg.version == 0) {
		rc = -EPROTO;
		snprintf(why, whylen, "no version");
	} else if (!msg.host[0]) {
		rc = -EPROTO;
		snprintf(why, whylen, "no host");
	} else if (msg.seq == 0 || msg.seq > INT64_MAX) {
		rc = -EPROTO;
		snprintf(why, whylen, "seq out of range");
	}
	if (rc)
		goto out;
	/* the host name is a collector's word too: make it valid text */
	sbuf_reset(&c.tmp);
	tx_clean(&c.tmp, msg.host, strnlen(msg.host, sizeof(msg.host)));
	if (c.tmp.oom || c.tmp.len >= sizeof(b->host)) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(b->host, c.tmp.p, c.tmp.len + 1);
	b->seq = msg.seq;
	b->version = msg.version;
	if (msg.has_heartbeat) {
		b->has_hb = 1;
		b->hb = msg.heartbeat;
	}
out:
	free(c.ev);
	sbuf_free(&c.tmp);
	return rc;
}

void ingest_batch_free(struct ingest_batch *b)
{
	sbuf_free(&b->rows);
}
