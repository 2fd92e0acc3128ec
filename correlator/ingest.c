/* ingest.c - Batch -> COPY rows. */
#include "correlator/ingest.h"
#include "correlator/invcheck.h"
#include "common/projkey.h"
#include "common/ring.h"

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

const char INGEST_PROJ_COLUMNS[] =
	"host, seq, idx, recv_ts, bits, src_ip, status, authority, path, identity";

struct dec_ctx {
	struct ingest_batch *b;
	const struct ingest_limits *lim;
	sidewatch_SessionEvent *ev; /* scratch, one event at a time */
	struct sbuf tmp;
	char ev_host[sizeof(((sidewatch_SessionEvent *)0)->host)];
	int ev_hosts_differ, too_many;
};

/* Batch.endpoints: each summary decoded into the batch's growing array,
 * checked, kept or counted as rejected. */
static bool dec_endpoint(pb_istream_t *is, const pb_field_t *field, void **arg)
{
	struct dec_ctx *c = *arg;
	struct ingest_batch *b = c->b;
	sidewatch_EndpointSummary *e;

	(void)field;
	if (b->ninv + b->inv_rejected >= INGEST_MAX_ENDPOINTS) {
		c->too_many = 1;
		return false;
	}
	if (b->ninv == b->inv_cap) {
		uint32_t nc = b->inv_cap ? b->inv_cap * 2 : 8;
		void *nv = realloc(b->inv, nc * sizeof(*b->inv));

		if (!nv) {
			b->rows.oom = 1;
			return false;
		}
		b->inv = nv;
		b->inv_cap = nc;
	}
	e = &b->inv[b->ninv];
	memset(e, 0, sizeof(*e));
	if (!pb_decode_ex(is, sidewatch_EndpointSummary_fields, e, PB_DECODE_NOINIT))
		return false;
	if (invcheck_summary(e, c->lim->recv_us) < 0)
		b->inv_rejected++;
	else
		b->ninv++;
	return true;
}

void ingest_fmt_ts(char *out, size_t len, uint64_t us)
{
	time_t s = (time_t)(us / 1000000);
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(out, len, "%04d-%02d-%02d %02d:%02d:%02d.%06u+00",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (unsigned)(us % 1000000));
}

/* --- COPY binary fields ------------------------------------------------------
 * Each field is an int32 length (network order, -1 for NULL) and the
 * type's binary "send" form: integers big-endian, booleans one byte,
 * timestamptz int64 µs since 2000-01-01 UTC, inet family/bits/is_cidr/
 * length/address, jsonb a version byte 1 and the JSON text, text its
 * bytes (valid UTF-8 without NUL, which the server checks again). */

#define PG_EPOCH_US 946684800000000ull /* 2000-01-01 in unix µs */
#define PGSQL_AF_INET 2                /* PostgreSQL's own codes, */
#define PGSQL_AF_INET6 3               /* not the OS's AF_* */

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

static void col_null(struct sbuf *r)
{
	static const uint8_t null[4] = { 0xff, 0xff, 0xff, 0xff };

	sbuf_put(r, null, 4);
}

static void col_i64(struct sbuf *r, int64_t v)
{
	uint8_t f[12];

	put_be32(f, 8);
	put_be64(f + 4, (uint64_t)v);
	sbuf_put(r, f, sizeof(f));
}

static void col_u64(struct sbuf *r, uint64_t v)
{
	col_i64(r, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

static void col_i32(struct sbuf *r, int32_t v)
{
	uint8_t f[8];

	put_be32(f, 4);
	put_be32(f + 4, (uint32_t)v);
	sbuf_put(r, f, sizeof(f));
}

static void col_bool(struct sbuf *r, int v)
{
	uint8_t f[5] = { 0, 0, 0, 1, v ? 1 : 0 };

	sbuf_put(r, f, sizeof(f));
}

static void col_ts(struct sbuf *r, uint64_t unix_us)
{
	/* callers keep unix_us inside the partitions' range, after 2000 */
	col_i64(r, (int64_t)(unix_us - PG_EPOCH_US));
}

/* Reserve the length word, append the value, patch the length. */
static size_t col_text(struct sbuf *r, const void *p, size_t n)
{
	size_t at = r->len, bad;
	uint8_t len[4] = { 0 };

	sbuf_put(r, len, 4);
	bad = tx_clean(r, p, n);
	if (!r->oom)
		put_be32((uint8_t *)r->p + at, (uint32_t)(r->len - at - 4));
	return bad;
}

/* empty -> NULL (used for optional, verdict-only values) */
static size_t col_str_or_null(struct sbuf *r, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (!n) {
		col_null(r);
		return 0;
	}
	return col_text(r, s, n);
}

static void col_ip(struct sbuf *r, const uint8_t *p, size_t n)
{
	uint8_t f[4 + 4 + 16];

	if (n != 4 && n != 16) {
		col_null(r);
		return;
	}
	put_be32(f, (uint32_t)(4 + n));
	f[4] = n == 4 ? PGSQL_AF_INET : PGSQL_AF_INET6;
	f[5] = (uint8_t)(n * 8); /* a host address: full prefix */
	f[6] = 0;                /* inet, not cidr */
	f[7] = (uint8_t)n;
	memcpy(f + 8, p, n);
	sbuf_put(r, f, 8 + n);
}

static void col_name(struct sbuf *r, unsigned v, const char *const *names,
		     unsigned n)
{
	const char *s = v < n ? names[v] : "unknown";

	col_text(r, s, strlen(s));
}

/* the row's body, after its framing word: see struct ingest_batch */
static void format_row(struct dec_ctx *c, uint32_t idx)
{
	static const char *const kinds[] = { "session", "verdict" };
	static const char *const protos[] = { "http1", "http2", "grpc", "websocket" };
	static const char *const phases[] = { "open", "periodic", "close" };
	const sidewatch_SessionEvent *e = c->ev;
	struct ingest_batch *b = c->b;
	struct sbuf *r = &b->rows;
	uint64_t ts = e->ts_us;
	uint8_t frame[4] = { 0 };
	size_t bad = 0, at = r->len;
	uint32_t blen;
	int clamped = 0;
	unsigned i;

	if (ts < c->lim->ts_lo_us || ts >= c->lim->ts_hi_us || ts < PG_EPOCH_US) {
		ts = c->lim->recv_us;
		clamped = 1;
		b->clamped_ts++;
	}
	sbuf_put(r, frame, 4);
	col_i32(r, (int32_t)(idx > INT32_MAX ? INT32_MAX : idx));
	col_ts(r, ts);
	col_bool(r, clamped);
	col_ts(r, c->lim->recv_us);
	col_name(r, (unsigned)e->kind, kinds, 2);
	col_name(r, (unsigned)e->proto, protos, 4);
	col_ip(r, e->src_ip.bytes, e->src_ip.size);
	col_u64(r, e->src_port);
	col_ip(r, e->dst_ip.bytes, e->dst_ip.size);
	col_u64(r, e->dst_port);
	col_u64(r, e->pid);
	bad += col_text(r, e->comm.bytes, e->comm.size);
	col_bool(r, e->tls);
	bad += col_text(r, e->method.bytes, e->method.size);
	bad += col_text(r, e->authority.bytes, e->authority.size);
	bad += col_text(r, e->path.bytes, e->path.size);
	bad += col_text(r, e->query.bytes, e->query.size);
	col_i32(r, e->status);
	col_u64(r, e->req_bytes);
	col_u64(r, e->resp_bytes);
	col_u64(r, e->latency_us);
	col_u64(r, e->stream_id);
	if (e->proto == sidewatch_Proto_PROTO_GRPC) {
		bad += col_text(r, e->service.bytes, e->service.size);
		bad += col_text(r, e->rpc.bytes, e->rpc.size);
		col_i32(r, e->grpc_status);
		col_u64(r, e->req_msgs);
		col_u64(r, e->resp_msgs);
	} else {
		for (i = 0; i < 5; i++)
			col_null(r);
	}
	if (e->proto == sidewatch_Proto_PROTO_WEBSOCKET) {
		col_name(r, (unsigned)e->ws_phase, phases, 3);
		bad += col_text(r, e->origin.bytes, e->origin.size);
		bad += col_text(r, e->subprotocol.bytes, e->subprotocol.size);
		col_u64(r, e->client_msgs);
		col_u64(r, e->server_msgs);
		col_u64(r, e->client_bytes);
		col_u64(r, e->server_bytes);
		col_i32(r, e->close_code);
	} else {
		for (i = 0; i < 8; i++)
			col_null(r);
	}
	if (e->identity.size)
		bad += col_text(r, e->identity.bytes, e->identity.size);
	else
		col_null(r);
	/* anomalies as a jsonb object {"name": count}: version byte 1, JSON */
	if (e->anomalies_count) {
		sbuf_reset(&c->tmp);
		sbuf_put(&c->tmp, "\1{", 2);
		for (i = 0; i < e->anomalies_count; i++) {
			const sidewatch_Anomaly *a = &e->anomalies[i];
			char num[16];
			int nn = snprintf(num, sizeof(num), "\":%" PRIu32, a->count);

			sbuf_put(&c->tmp, i ? ",\"" : "\"", i ? 2 : 1);
			bad += tx_json(&c->tmp, a->name, strnlen(a->name, sizeof(a->name)));
			sbuf_put(&c->tmp, num, (size_t)nn);
		}
		sbuf_put(&c->tmp, "}", 1);
		{
			uint8_t len[4];

			put_be32(len, (uint32_t)c->tmp.len);
			sbuf_put(r, len, 4);
			sbuf_put(r, c->tmp.p, c->tmp.len);
		}
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
	col_bool(r, bad != 0);
	col_i64(r, (int64_t)e->conn_id); /* an id: bit pattern kept */
	if (r->oom)
		return;
	blen = (uint32_t)(r->len - at - 4);
	memcpy(r->p + at, &blen, 4);
	if (bad)
		b->sanitized++;
	if (e->end_us && b->nend < INGEST_END_MAX)
		b->end_us[b->nend++] = e->end_us;
}

void ingest_copy_header(struct sbuf *out)
{
	/* signature, flags (no OIDs), header extension length 0 */
	static const uint8_t hdr[19] = {
		'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0,
		0, 0, 0, 0, 0, 0, 0, 0,
	};

	sbuf_put(out, hdr, sizeof(hdr));
}

void ingest_copy_trailer(struct sbuf *out)
{
	static const uint8_t end[2] = { 0xff, 0xff };

	sbuf_put(out, end, 2);
}

/* rows framed as ingest_batch.rows, each with host and seq before it */
static int copy_framed(struct sbuf *out, const struct ingest_batch *b,
		       const struct sbuf *rows, unsigned ncols)
{
	const char *p = rows->p, *end;
	size_t hl = strlen(b->host);
	uint8_t pre[2 + 4 + 4 + 8], hlen[4];

	if (!p) /* no event was ever decoded into it */
		return rows->len ? -EINVAL : 0;
	end = p + rows->len;

	/* field count, then host (text) and seq (int8) before each body */
	pre[0] = 0;
	pre[1] = (uint8_t)ncols;
	put_be32(hlen, (uint32_t)hl);
	put_be32(pre + 2 + 4, 8);
	put_be64(pre + 2 + 4 + 4, b->seq);
	while (end - p >= 4) {
		uint32_t n;

		memcpy(&n, p, 4);
		p += 4;
		if (n > (size_t)(end - p))
			return -EINVAL;
		sbuf_put(out, pre, 2);
		sbuf_put(out, hlen, 4);
		sbuf_put(out, b->host, hl);
		sbuf_put(out, pre + 6, 12);
		sbuf_put(out, p, n);
		p += n;
	}
	if (p != end)
		return -EINVAL;
	return out->oom ? -ENOMEM : 0;
}

int ingest_copy_rows(struct sbuf *out, const struct ingest_batch *b)
{
	return copy_framed(out, b, &b->rows, INGEST_COPY_NCOLS);
}

int ingest_copy_proj_rows(struct sbuf *out, const struct ingest_batch *b)
{
	return copy_framed(out, b, &b->proj, INGEST_PROJ_NCOLS);
}

/* Sharded (lim->ring set): count an event another shard owns and
 * describe the batch's first such one; the event is stored all the same
 * (its collector's ring may be older than ours). */
static void check_owner(struct dec_ctx *c, uint32_t idx)
{
	const sidewatch_SessionEvent *e = c->ev;
	struct ingest_batch *b = c->b;
	size_t o = ring_owner(c->lim->ring, ring_key(e->src_ip.bytes, e->src_ip.size));
	char addr[INET6_ADDRSTRLEN] = "none", id[64];

	if ((int)o == c->lim->shard)
		return;
	if (!b->misrouted++) {
		if (e->src_ip.size == 4 || e->src_ip.size == 16)
			inet_ntop(e->src_ip.size == 4 ? AF_INET : AF_INET6,
				  e->src_ip.bytes, addr, sizeof(addr));
		tx_printable(id, sizeof(id), e->identity.bytes, e->identity.size);
		snprintf(b->misrouted_first, sizeof(b->misrouted_first),
			 "event %" PRIu32 ": client %s identity '%s' belongs to owner '%s'",
			 idx, addr, id, ring_shard_name(c->lim->ring, o));
	}
}

unsigned ingest_own_skip(const struct ring *r, int shard, int session,
			 const void *authority, size_t alen, const void *path,
			 size_t plen, const void *identity, size_t idlen)
{
	unsigned skip = 0;

	if (!r || !session)
		return 0;
	if ((int)ring_owner(r, projkey_endpoint(authority, alen, path, plen)) != shard)
		skip |= INGEST_SKIP_ENDPOINT;
	if (idlen && (int)ring_owner(r, projkey_identity(identity, idlen)) != shard)
		skip |= INGEST_SKIP_IDENTITY;
	return skip;
}

/* With a ring: the families an event of this shard's sources does not
 * feed, because another shard owns its endpoint or identity key (that
 * shard gets a projection of it from the collector). */
static unsigned own_skip(const struct dec_ctx *c)
{
	const sidewatch_SessionEvent *e = c->ev;

	return ingest_own_skip(c->lim->ring, c->lim->shard,
			       e->kind == sidewatch_Kind_KIND_SESSION,
			       e->authority.bytes, e->authority.size,
			       e->path.bytes, e->path.size,
			       e->identity.bytes, e->identity.size);
}

/* A projection that can feed a detector after a restart becomes a
 * `fleet_projections` row (sql/011): what the endpoint and identity
 * detectors read, cut where their subjects are cut. */
static void keep_projection(struct dec_ctx *c, uint32_t idx)
{
	const sidewatch_SessionEvent *e = c->ev;
	struct ingest_batch *b = c->b;
	struct sbuf *r = &b->proj;
	uint32_t bits = e->projection & (sidewatch_Projection_PROJ_ENDPOINT |
					 sidewatch_Projection_PROJ_IDENTITY);
	uint8_t frame[4] = { 0 };
	size_t at = r->len;
	uint32_t blen;

	if (e->kind != sidewatch_Kind_KIND_SESSION || !bits ||
	    (e->status != 401 && e->status != 403 && e->status != 404 &&
	     !e->identity.size))
		return;
	sbuf_put(r, frame, 4);
	col_i32(r, (int32_t)idx);
	col_ts(r, c->lim->recv_us);
	col_i32(r, (int32_t)bits);
	col_ip(r, e->src_ip.bytes, e->src_ip.size);
	col_i32(r, e->status);
	col_text(r, e->authority.bytes, e->authority.size < PROJKEY_AUTHORITY_MAX ?
		    e->authority.size : PROJKEY_AUTHORITY_MAX - 1);
	col_text(r, e->path.bytes, e->path.size < PROJKEY_PATH_MAX ?
		    e->path.size : PROJKEY_PATH_MAX - 1);
	if (e->identity.size)
		col_text(r, e->identity.bytes, e->identity.size < PROJKEY_IDENTITY_MAX ?
			    e->identity.size : PROJKEY_IDENTITY_MAX);
	else
		col_null(r);
	if (r->oom)
		return;
	blen = (uint32_t)(r->len - at - 4);
	memcpy(r->p + at, &blen, 4);
	b->nproj++;
}

/* A projection (SessionEvent.projection): no row; it feeds only the
 * families its bits name; with a ring, counted when a key it carries is
 * another shard's (it feeds all the same: the sender's ring may be newer
 * or older than ours). Returns the hook's skip. */
static unsigned projection(struct dec_ctx *c)
{
	const sidewatch_SessionEvent *e = c->ev;
	const struct ring *r = c->lim->ring;
	uint32_t p = e->projection;
	unsigned skip = INGEST_SKIP_SOURCE;
	int wrong = 0;

	c->b->projected++;
	if (!(p & sidewatch_Projection_PROJ_ENDPOINT))
		skip |= INGEST_SKIP_ENDPOINT;
	else if (r)
		wrong |= (int)ring_owner(r, projkey_endpoint(e->authority.bytes,
				e->authority.size, e->path.bytes, e->path.size)) != c->lim->shard;
	if (!(p & sidewatch_Projection_PROJ_IDENTITY))
		skip |= INGEST_SKIP_IDENTITY;
	else if (r)
		wrong |= (int)ring_owner(r, projkey_identity(e->identity.bytes,
				e->identity.size)) != c->lim->shard;
	c->b->proj_misrouted += wrong;
	return skip;
}

static bool dec_event(pb_istream_t *is, const pb_field_t *field, void **arg)
{
	struct dec_ctx *c = *arg;

	(void)field;
	/* One memset instead of nanopb's per-field defaults (every string
	 * array zeroed again): proto3 defaults are all zero. */
	memset(c->ev, 0, sizeof(*c->ev));
	if (c->b->nevents + c->b->projected >= INGEST_MAX_EVENTS) {
		c->too_many = 1;
		return false;
	}
	if (!pb_decode_ex(is, sidewatch_SessionEvent_fields, c->ev, PB_DECODE_NOINIT))
		return false;
	/* the batch's host may come after its events on the wire: remember
	 * the events' host and compare once the batch is read */
	if (c->ev->host[0]) {
		if (!c->ev_host[0])
			memcpy(c->ev_host, c->ev->host, sizeof(c->ev_host));
		else if (strncmp(c->ev_host, c->ev->host, sizeof(c->ev_host)))
			c->ev_hosts_differ = 1;
	}
	if (c->ev->projection) {
		unsigned skip = projection(c);

		/* its index: past any row the batch can hold, so an observation
		 * of it never names a stored event of this batch */
		if (c->lim->hook && skip != (INGEST_SKIP_SOURCE | INGEST_SKIP_ENDPOINT |
					     INGEST_SKIP_IDENTITY))
			c->lim->hook(c->lim->hook_ctx, c->b,
				     INGEST_MAX_EVENTS + c->b->projected - 1, c->ev, skip);
		keep_projection(c, INGEST_MAX_EVENTS + c->b->projected - 1);
		return !c->b->proj.oom;
	}
	if (c->lim->ring)
		check_owner(c, c->b->nevents);
	format_row(c, c->b->nevents++);
	if (c->lim->hook)
		c->lim->hook(c->lim->hook_ctx, c->b, c->b->nevents - 1, c->ev, own_skip(c));
	return !c->b->rows.oom;
}

/* "<what> '<name>'" with the name escaped: it is the sender's word. */
static void why_host(char *why, size_t whylen, const char *what,
		     const char *name, size_t cap)
{
	char esc[96];

	tx_printable(esc, sizeof(esc), name, strnlen(name, cap));
	snprintf(why, whylen, "%s '%s'", what, esc);
}

int ingest_decode(const void *data, size_t len, const struct ingest_limits *lim,
		  struct ingest_batch *b, char *why, size_t whylen)
{
	sidewatch_Batch msg;
	struct dec_ctx c = { .b = b, .lim = lim };
	pb_istream_t is;
	int rc = 0;

	sbuf_reset(&b->rows);
	sbuf_reset(&b->proj);
	b->nproj = 0;
	b->nevents = b->sanitized = b->clamped_ts = b->nend = 0;
	b->has_hb = 0;
	b->ninv = b->inv_rejected = 0;
	b->misrouted = 0;
	b->misrouted_first[0] = '\0';
	b->projected = b->proj_misrouted = 0;
	if (b->inv_cap > INGEST_MAX_ENDPOINTS / 2) {
		free(b->inv); /* a big batch's room is not kept for ever */
		b->inv = NULL;
		b->inv_cap = 0;
	}
	c.ev = malloc(sizeof(*c.ev));
	if (!c.ev)
		return -ENOMEM;
	memset(&msg, 0, sizeof(msg));
	msg.events.funcs.decode = dec_event;
	msg.events.arg = &c;
	msg.endpoints.funcs.decode = dec_endpoint;
	msg.endpoints.arg = &c;
	is = pb_istream_from_buffer(data, len);
	if (!pb_decode(&is, sidewatch_Batch_fields, &msg)) {
		if (c.too_many) {
			rc = -E2BIG;
			snprintf(why, whylen, "more than %d events or %d endpoint summaries",
				 INGEST_MAX_EVENTS, INGEST_MAX_ENDPOINTS);
		} else {
			rc = b->rows.oom || b->proj.oom ? -ENOMEM : -EBADMSG;
			snprintf(why, whylen, "does not decode: %s", PB_GET_ERROR(&is));
		}
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
	} else if (lim->peer && strncmp(msg.host, lim->peer, sizeof(msg.host))) {
		rc = -EACCES;
		why_host(why, whylen, "names host", msg.host, sizeof(msg.host));
	} else if (c.ev_hosts_differ || (c.ev_host[0] &&
		   strncmp(c.ev_host, msg.host, sizeof(msg.host)))) {
		rc = -EPROTO;
		why_host(why, whylen, "has events of another host", c.ev_host,
			 sizeof(c.ev_host));
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
	sbuf_free(&b->proj);
	free(b->inv);
	b->inv = NULL;
	b->ninv = b->inv_cap = 0;
}

static int batch_before(const struct ingest_batch *x, const struct ingest_batch *y)
{
	int c = strcmp(x->host, y->host);

	return c < 0 || (c == 0 && x->seq < y->seq);
}

void ingest_group_order(struct ingest_batch *const *b, size_t n, uint16_t *ord,
			uint8_t *repeat)
{
	size_t i, j;

	/* insertion sort: a group is at most a few dozen batches, mostly
	 * already in order (one collector's window) */
	for (i = 0; i < n; i++) {
		uint16_t v = (uint16_t)i;

		for (j = i; j > 0 && batch_before(b[v], b[ord[j - 1]]); j--)
			ord[j] = ord[j - 1];
		ord[j] = v;
		repeat[i] = 0;
	}
	for (i = 1; i < n; i++) {
		const struct ingest_batch *p = b[ord[i - 1]], *q = b[ord[i]];

		if (p->seq == q->seq && strcmp(p->host, q->host) == 0)
			repeat[ord[i]] = 1;
	}
}
