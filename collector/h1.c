/* h1.c - HTTP/1.x decoder: one llhttp parser per direction, a FIFO pairing
 * requests with responses, gap and error recovery. See h1.h.
 *
 * Byte accounting: on_message_complete pauses the parser, so
 * llhttp_get_error_pos() tells exactly where each message ends; a message's
 * wire size is every byte handed to its parser since the previous message
 * ended (stray CRLFs between messages go to the next one).
 *
 * Lenient flags, and why:
 * - chunked_length: a request with both Content-Length and Transfer-Encoding
 *   is a smuggling attempt we must keep reading, framed the way RFC 9112
 *   6.3 tells servers to (chunked wins); we count it as H1_ANOM_CL_TE.
 *   Side effect: llhttp would then read a request whose last coding is not
 *   chunked until EOF, so on_headers_complete refuses that case itself.
 * - keep_alive: we watch, we do not enforce; bytes a peer sends after
 *   "Connection: close" (or on HTTP/1.0) are still worth decoding.
 * Not set: headers (values with control bytes stay parse errors, which are
 * detection input) and transfer_encoding (non-chunked-final requests are
 * the RFC's 400 case).
 */
#include "h1_int.h"

#include <stdlib.h>
#include <string.h>

#include <llhttp.h>

const char *const h1_anom_names[H1_ANOM__COUNT] = {
	[H1_ANOM_PARSE_ERROR] = "h1.parse_error",
	[H1_ANOM_HDR_OVERSIZE] = "h1.hdr_oversize",
	[H1_ANOM_URI_OVERSIZE] = "h1.uri_oversize",
	[H1_ANOM_CL_TE] = "h1.cl_te",
	[H1_ANOM_DUP_CL] = "h1.dup_cl",
	[H1_ANOM_TE_OBFUSCATED] = "h1.te_obfuscated",
	[H1_ANOM_TE_ON_GET] = "h1.te_on_get",
	[H1_ANOM_GAP] = "h1.gap",
	[H1_ANOM_RESP_WITHOUT_REQ] = "h1.resp_without_req",
	[H1_ANOM_PIPELINE_OVERFLOW] = "h1.pipeline_overflow",
	[H1_ANOM_DUP_TE] = "h1.dup_te",
	[H1_ANOM_DUP_HOST] = "h1.dup_host",
	[H1_ANOM_HDR_VALUE_CUT] = "h1.hdr_value_cut",
};

/* The only mutable global: process-wide totals, updated atomically because
 * connections may be decoded on several threads. */
static uint64_t h1_total[H1_ANOM__COUNT];

/* Filler fed to a parser in place of body bytes the kernel never copied. */
static const char h1_zeros[64 * 1024];

/* ---- small helpers ------------------------------------------------------ */

static void anom(struct h1_conn *c, struct h1_rec *r, enum h1_anom a)
{
	c->anoms[a]++;
	__atomic_fetch_add(&h1_total[a], 1, __ATOMIC_RELAXED);
	if (r)
		sess_anom_add(&r->ev, h1_anom_names[a], 1);
}

static int lc_eq(const char *s, size_t n, const char *lit)
{
	size_t i;

	if (strlen(lit) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch != lit[i])
			return 0;
	}
	return 1;
}

static struct h1_conn *conn_of(llhttp_t *p)
{
	return p->data;
}

static enum sess_dir dir_of(llhttp_t *p)
{
	struct h1_conn *c = p->data;
	return p == &c->d[SESS_DIR_REQ].p ? SESS_DIR_REQ : SESS_DIR_RESP;
}

static struct h1_dir *d_of(llhttp_t *p)
{
	return &conn_of(p)->d[dir_of(p)];
}

/* ---- records and the FIFO ------------------------------------------------ */

static struct h1_rec *rec_get(struct h1_conn *c)
{
	struct h1_rec *r = c->spare;

	if (r)
		c->spare = NULL;
	else if (!(r = malloc(sizeof(*r))))
		return NULL;
	sess_event_init(&r->ev, SESS_PROTO_HTTP1, c->conn);
	r->req_end_ns = 0;
	r->method = 0;
	r->line_ok = r->in_query = r->uri_cut = 0;
	r->req_done = r->resp_started = r->resp_done = 0;
	r->orphan = r->body_stop = 0;
	return r;
}

static void rec_put(struct h1_conn *c, struct h1_rec *r)
{
	if (!r || r == c->upg_rec)
		return;
	if (!c->spare)
		c->spare = r;
	else
		free(r);
}

static struct h1_rec *q_at(const struct h1_conn *c, unsigned i)
{
	return c->q[(c->q_head + i) % H1_PIPELINE_MAX];
}

static struct h1_rec *q_pop(struct h1_conn *c)
{
	struct h1_rec *r = c->q[c->q_head];

	c->q_head = (c->q_head + 1) % H1_PIPELINE_MAX;
	c->q_len--;
	return r;
}

/* Forget the newest request (one that never became a usable event). If a
 * response already pairs with it, the response parser still fills it: keep
 * it as a partial exchange instead. */
static void q_drop_tail(struct h1_conn *c, struct h1_rec *r)
{
	if (r->resp_started) {
		r->ev.flags |= SESS_F_PARTIAL;
		r->req_done = 1;
		return;
	}
	if (c->q_len && q_at(c, c->q_len - 1) == r) {
		c->q_len--;
		rec_put(c, r);
	}
}

static void emit_rec(struct h1_conn *c, struct h1_rec *r)
{
	sess_emit(&c->sink, &r->ev);
	rec_put(c, r);
}

/* Emit finished exchanges in request order. */
static void q_flush_done(struct h1_conn *c)
{
	while (c->q_len && q_at(c, 0)->req_done && q_at(c, 0)->resp_done)
		emit_rec(c, q_pop(c));
}

/* ---- per-message state ---------------------------------------------------- */

static void dir_msg_start(struct h1_dir *d)
{
	d->in_msg = 1;
	d->in_head = 1;
	d->in_chunk = 0;
	d->hdr_bytes = 0;
	d->oversize = 0;
	d->saw_cl = d->saw_te = d->saw_host = 0;
	d->keep_upg = 0;
	d->name_len = d->val_len = 0;
	d->name_cut = d->val_cut = 0;
	d->rec = NULL;
}

static void dir_msg_end(struct h1_dir *d)
{
	d->in_msg = d->in_head = d->in_chunk = 0;
	d->rec = NULL;
	d->msg_bytes = 0;
	d->done = 0;
}

/* Finish a request early (error, gap, close): keep it if its request line
 * made sense, otherwise it never becomes an event. */
static void req_cut(struct h1_conn *c, struct h1_dir *d)
{
	struct h1_rec *r = d->rec;

	c->pending_since = 0;
	if (!r)
		return;
	if (!r->line_ok) {
		q_drop_tail(c, r);
		return;
	}
	r->ev.req_bytes = d->msg_bytes;
	r->req_end_ns = d->last_ts;
	r->req_done = 1;
}

/* Finish a response early with what is known. */
static void resp_cut(struct h1_conn *c, struct h1_dir *d)
{
	struct h1_rec *r = d->rec;

	if (!r)
		return;
	if (r->orphan) {
		if (r->ev.status) {
			anom(c, r, H1_ANOM_RESP_WITHOUT_REQ);
			emit_rec(c, r);
		} else {
			rec_put(c, r);
		}
		return;
	}
	r->ev.resp_bytes = d->msg_bytes + d->carry;
	r->ev.end_ns = d->last_ts;
	r->resp_done = 1;
}

/* The direction lost track (parse error or gap): close what it was filling
 * and drop bytes until the next message start. */
static void dir_break(struct h1_conn *c, enum sess_dir dir, enum h1_anom why)
{
	struct h1_dir *d = &c->d[dir];

	anom(c, d->rec, why);
	if (d->rec && why == H1_ANOM_GAP)
		d->rec->ev.trunc |= SESS_TRUNC_CAPTURE;
	if (d->in_msg) {
		if (dir == SESS_DIR_REQ)
			req_cut(c, d);
		else
			resp_cut(c, d);
	}
	dir_msg_end(d);
	d->carry = 0;
	d->desync = 1;
	q_flush_done(c);
}

/* ---- header handling ------------------------------------------------------ */

static void hdr_count(struct h1_conn *c, struct h1_dir *d, size_t len)
{
	d->hdr_bytes += len;
	if (!d->oversize && d->hdr_bytes > H1_MAX_HDR_BLOCK) {
		d->oversize = 1;
		anom(c, d->rec, H1_ANOM_HDR_OVERSIZE);
		if (d->rec)
			d->rec->ev.trunc |= SESS_TRUNC_HDRS;
	}
}

static void scratch_add(char *buf, uint32_t *len, size_t cap, uint8_t *cut,
			const char *at, size_t n)
{
	size_t room = cap - *len;

	if (n > room) {
		n = room;
		*cut = 1;
	}
	memcpy(buf + *len, at, n);
	*len += (uint32_t)n;
}

/* A Transfer-Encoding value is obfuscated when "chunked" hides behind odd
 * case, affixes ("xchunked", "chunked-false"), empty list members or
 * unusual whitespace (tabs, doubled or trailing spaces, control bytes):
 * front ends and back ends disagree on such values, which is how requests
 * get smuggled. Plain lists like "gzip, chunked" are fine. */
static int te_obfuscated(const char *v, size_t n)
{
	size_t i = 0;

	if (n == 0 || v[0] == ' ' || v[n - 1] == ' ')
		return 1;
	for (;;) {
		size_t s = i, e, j;
		int has_chunked = 0;

		while (i < n && v[i] != ',')
			i++;
		e = i;
		if (s > 0 && s < e && v[s] == ' ')
			s++; /* the one space usual after a comma */
		if (s == e)
			return 1; /* empty member */
		for (j = s; j < e; j++) {
			unsigned char ch = (unsigned char)v[j];
			if (ch < 0x21 || ch >= 0x7f)
				return 1; /* inner space, tab, control, 8-bit */
		}
		for (j = s; j + 7 <= e; j++)
			if (lc_eq(v + j, 7, "chunked"))
				has_chunked = 1;
		if (has_chunked &&
		    !(e - s == 7 && memcmp(v + s, "chunked", 7) == 0))
			return 1;
		if (i >= n)
			return 0;
		i++; /* past the comma */
	}
}

static void upg_add(struct h1_conn *c, const char *name, size_t nl,
		    const char *val, size_t vl)
{
	struct h1_kv *kv;
	size_t i;

	if (c->n_upg >= H1_UPG_HDRS || nl + vl > H1_UPG_ARENA - c->upg_len)
		return;
	kv = &c->upg[c->n_upg++];
	kv->name_off = (uint16_t)c->upg_len;
	kv->name_len = (uint16_t)nl;
	for (i = 0; i < nl; i++) {
		char ch = name[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		c->upg_arena[c->upg_len++] = ch;
	}
	kv->val_off = (uint16_t)c->upg_len;
	kv->val_len = (uint16_t)vl;
	memcpy(c->upg_arena + c->upg_len, val, vl);
	c->upg_len += (uint32_t)vl;
}

/* One complete header (name and value joined in the scratch). */
static void hdr_done(struct h1_conn *c, enum sess_dir dir, struct h1_dir *d)
{
	struct h1_rec *r = d->rec;
	const char *n = d->name, *v = d->val;
	size_t nl = d->name_len, vl = d->val_len;

	if (d->val_cut || d->name_cut) {
		anom(c, r, H1_ANOM_HDR_VALUE_CUT);
		if (r)
			r->ev.trunc |= SESS_TRUNC_HDRS;
	}
	if (!d->in_head) {
		/* Chunked trailer: kept for detectors, framing not checked. */
		if (dir == SESS_DIR_REQ && r && !d->oversize)
			sess_add_hdr(&r->ev, n, nl, v, vl);
	} else if (lc_eq(n, nl, "transfer-encoding") && te_obfuscated(v, vl)) {
		anom(c, r, H1_ANOM_TE_OBFUSCATED);
	}
	if (dir == SESS_DIR_REQ && d->in_head) {
		if (lc_eq(n, nl, "host")) {
			if (d->saw_host)
				anom(c, r, H1_ANOM_DUP_HOST);
			else if (r)
				sess_append(r->ev.authority, SESS_MAX_AUTHORITY, v,
					    vl, &r->ev, SESS_TRUNC_AUTHORITY);
			d->saw_host = 1;
		}
		if (r && !d->oversize)
			sess_add_hdr(&r->ev, n, nl, v, vl);
	} else if (d->keep_upg) {
		upg_add(c, n, nl, v, vl);
	}
	d->name_len = d->val_len = 0;
	d->name_cut = d->val_cut = 0;
}

static int on_hdr_field(llhttp_t *p, const char *at, size_t len)
{
	struct h1_dir *d = d_of(p);

	hdr_count(conn_of(p), d, len);
	scratch_add(d->name, &d->name_len, sizeof(d->name), &d->name_cut, at,
		    len);
	return 0;
}

/* Framing headers are counted when their name ends: llhttp refuses a
 * second Content-Length before its value completes. */
static int on_hdr_field_complete(llhttp_t *p)
{
	struct h1_conn *c = conn_of(p);
	struct h1_dir *d = d_of(p);

	if (!d->in_head)
		return 0; /* a trailer: it frames nothing */
	if (lc_eq(d->name, d->name_len, "content-length")) {
		if (d->saw_cl)
			anom(c, d->rec, H1_ANOM_DUP_CL);
		d->saw_cl = 1;
	} else if (lc_eq(d->name, d->name_len, "transfer-encoding")) {
		if (d->saw_te)
			anom(c, d->rec, H1_ANOM_DUP_TE);
		d->saw_te = 1;
	}
	return 0;
}

static int on_hdr_value(llhttp_t *p, const char *at, size_t len)
{
	struct h1_dir *d = d_of(p);

	hdr_count(conn_of(p), d, len);
	scratch_add(d->val, &d->val_len, sizeof(d->val), &d->val_cut, at, len);
	return 0;
}

static int on_hdr_value_complete(llhttp_t *p)
{
	hdr_done(conn_of(p), dir_of(p), d_of(p));
	return 0;
}

static int on_chunk_header(llhttp_t *p)
{
	d_of(p)->in_chunk = 1;
	return 0;
}

static int on_chunk_complete(llhttp_t *p)
{
	d_of(p)->in_chunk = 0;
	return 0;
}

/* Pause so the feed loop learns where the message ended. */
static int on_message_complete(llhttp_t *p)
{
	d_of(p)->done = 1;
	return HPE_PAUSED;
}

/* ---- request callbacks ---------------------------------------------------- */

static int req_message_begin(llhttp_t *p)
{
	struct h1_conn *c = conn_of(p);
	struct h1_dir *d = &c->d[SESS_DIR_REQ];
	struct h1_rec *r;

	dir_msg_start(d);
	c->pending_since = c->ts;
	if (c->q_len >= H1_PIPELINE_MAX) {
		/* Parse it to stay in sync, but it gets no event. */
		anom(c, q_at(c, c->q_len - 1), H1_ANOM_PIPELINE_OVERFLOW);
		return 0;
	}
	r = rec_get(c);
	if (!r)
		return 0;
	c->q[(c->q_head + c->q_len) % H1_PIPELINE_MAX] = r;
	c->q_len++;
	r->ev.req_ns = c->ts;
	d->rec = r;
	return 0;
}

static int req_method(llhttp_t *p, const char *at, size_t len)
{
	struct h1_rec *r = d_of(p)->rec;

	if (r)
		sess_append(r->ev.method, SESS_MAX_METHOD, at, len, &r->ev,
			    SESS_TRUNC_METHOD);
	return 0;
}

static void uri_over(struct h1_conn *c, struct h1_rec *r)
{
	if (!r->uri_cut) {
		r->uri_cut = 1;
		anom(c, r, H1_ANOM_URI_OVERSIZE);
	}
}

/* URL bytes arrive in pieces: path until the first '?', query after. */
static int req_url(llhttp_t *p, const char *at, size_t len)
{
	struct h1_conn *c = conn_of(p);
	struct h1_rec *r = d_of(p)->rec;

	if (!r)
		return 0;
	if (!r->in_query) {
		const char *qm = memchr(at, '?', len);
		size_t n = qm ? (size_t)(qm - at) : len;

		if (sess_append(r->ev.path, SESS_MAX_PATH, at, n, &r->ev,
				SESS_TRUNC_PATH) < n)
			uri_over(c, r);
		if (!qm)
			return 0;
		r->in_query = 1;
		at = qm + 1;
		len -= n + 1;
	}
	if (sess_append(r->ev.query, SESS_MAX_QUERY, at, len, &r->ev,
			SESS_TRUNC_QUERY) < len)
		uri_over(c, r);
	return 0;
}

static int req_version_complete(llhttp_t *p)
{
	struct h1_rec *r = d_of(p)->rec;

	if (r) {
		r->line_ok = 1;
		r->method = p->method;
	}
	return 0;
}

static int req_headers_complete(llhttp_t *p)
{
	struct h1_conn *c = conn_of(p);
	struct h1_dir *d = &c->d[SESS_DIR_REQ];

	d->in_head = 0;
	c->pending_since = 0;
	if (d->saw_cl && d->saw_te)
		anom(c, d->rec, H1_ANOM_CL_TE);
	if (d->saw_te && (p->method == HTTP_GET || p->method == HTTP_HEAD))
		anom(c, d->rec, H1_ANOM_TE_ON_GET);
	/* See the top: lenient chunked_length would read this to EOF. */
	if ((p->flags & F_TRANSFER_ENCODING) && !(p->flags & F_CHUNKED))
		return -1;
	return 0;
}

static int req_body(llhttp_t *p, const char *at, size_t len)
{
	struct h1_dir *d = d_of(p);
	struct h1_rec *r = d->rec;

	if (!r)
		return 0;
	r->ev.req_body_bytes += len;
	if (!d->filler && !r->body_stop)
		sess_add_body(&r->ev, at, len);
	return 0;
}

/* ---- response callbacks --------------------------------------------------- */

static int resp_message_begin(llhttp_t *p)
{
	struct h1_conn *c = conn_of(p);
	struct h1_dir *d = &c->d[SESS_DIR_RESP];
	struct h1_rec *r = NULL;
	unsigned i;

	dir_msg_start(d);
	for (i = 0; i < c->q_len; i++) {
		if (!q_at(c, i)->resp_started) {
			r = q_at(c, i);
			break;
		}
	}
	if (!r) {
		/* Joined mid-stream, or the request was lost: still report. */
		r = rec_get(c);
		if (!r)
			return 0;
		r->orphan = 1;
		r->ev.flags |= SESS_F_PARTIAL;
	}
	r->resp_started = 1;
	r->ev.resp_ns = c->ts;
	d->rec = r;
	return 0;
}

static int resp_status_complete(llhttp_t *p)
{
	struct h1_conn *c = conn_of(p);
	struct h1_dir *d = &c->d[SESS_DIR_RESP];

	if (d->rec)
		d->rec->ev.status = p->status_code;
	if (p->status_code == 101) {
		d->keep_upg = 1;
		c->n_upg = c->upg_len = 0;
	}
	return 0;
}

static int resp_headers_complete(llhttp_t *p)
{
	struct h1_conn *c = conn_of(p);
	struct h1_dir *d = &c->d[SESS_DIR_RESP];
	struct h1_rec *r = d->rec;

	d->in_head = 0;
	if (d->saw_cl && d->saw_te)
		anom(c, r, H1_ANOM_CL_TE);
	if (!r || r->orphan || !r->line_ok)
		return 0;
	if (r->method == HTTP_HEAD)
		return 1; /* no body follows, whatever the headers say */
	if (r->method == HTTP_CONNECT && p->status_code / 100 == 2)
		return 2; /* tunnel: no body, then another protocol */
	return 0;
}

static int resp_body(llhttp_t *p, const char *at, size_t len)
{
	struct h1_rec *r = d_of(p)->rec;

	if (r)
		r->ev.resp_body_bytes += len;
	return 0;
}

static const llhttp_settings_t h1_req_settings = {
	.on_message_begin = req_message_begin,
	.on_method = req_method,
	.on_url = req_url,
	.on_version_complete = req_version_complete,
	.on_header_field = on_hdr_field,
	.on_header_field_complete = on_hdr_field_complete,
	.on_header_value = on_hdr_value,
	.on_header_value_complete = on_hdr_value_complete,
	.on_headers_complete = req_headers_complete,
	.on_body = req_body,
	.on_chunk_header = on_chunk_header,
	.on_chunk_complete = on_chunk_complete,
	.on_message_complete = on_message_complete,
};

static const llhttp_settings_t h1_resp_settings = {
	.on_message_begin = resp_message_begin,
	.on_status_complete = resp_status_complete,
	.on_header_field = on_hdr_field,
	.on_header_field_complete = on_hdr_field_complete,
	.on_header_value = on_hdr_value,
	.on_header_value_complete = on_hdr_value_complete,
	.on_headers_complete = resp_headers_complete,
	.on_body = resp_body,
	.on_chunk_header = on_chunk_header,
	.on_chunk_complete = on_chunk_complete,
	.on_message_complete = on_message_complete,
};

/* ---- message completion ----------------------------------------------------- */

static enum h1_upgrade upg_kind(const struct h1_conn *c, const struct h1_rec *r)
{
	const char *v;
	size_t n = 0;

	if (r && r->line_ok && r->method == HTTP_CONNECT)
		return H1_UPG_OTHER;
	v = h1_upgrade_resp_hdr(c, "upgrade", &n);
	if (!v && r)
		v = sess_get_hdr(&r->ev, "upgrade", &n);
	if (v && lc_eq(v, n, "websocket"))
		return H1_UPG_WEBSOCKET;
	if (v && lc_eq(v, n, "h2c"))
		return H1_UPG_H2C;
	return H1_UPG_OTHER;
}

static void req_done(struct h1_conn *c)
{
	struct h1_dir *d = &c->d[SESS_DIR_REQ];
	struct h1_rec *r = d->rec;

	if (r) {
		r->ev.req_bytes = d->msg_bytes;
		r->req_end_ns = d->last_ts;
		r->ev.req_end_ns = d->last_ts;
		r->req_done = 1;
		/* judged now, before the server has answered */
		if (!r->resp_done)
			sess_emit_request(&c->sink, &r->ev);
	}
	dir_msg_end(d);
	q_flush_done(c);
}

static void resp_done(struct h1_conn *c)
{
	struct h1_dir *d = &c->d[SESS_DIR_RESP];
	struct h1_rec *r = d->rec;
	int status = d->p.status_code;

	if (status / 100 == 1 && status != 101) {
		/* Interim answer (100 Continue...): its bytes count toward the
		 * final response, which pairs with the same request. */
		d->carry += d->msg_bytes;
		if (r && r->orphan) {
			rec_put(c, r);
		} else if (r) {
			r->resp_started = 0;
			r->ev.resp_ns = 0;
			r->ev.status = 0;
		}
		dir_msg_end(d);
		return;
	}
	if (r) {
		r->ev.status = status;
		r->ev.resp_bytes = d->msg_bytes + d->carry;
		r->ev.end_ns = d->last_ts;
		r->resp_done = 1;
		if (status == 101 || (!r->orphan && r->line_ok &&
				      r->method == HTTP_CONNECT &&
				      status / 100 == 2)) {
			r->ev.flags |= SESS_F_UPGRADE;
			c->upgraded = upg_kind(c, r);
			if (!r->orphan)
				c->upg_rec = r;
		}
	}
	d->carry = 0;
	dir_msg_end(d);
	if (r && r->orphan) {
		anom(c, r, H1_ANOM_RESP_WITHOUT_REQ);
		emit_rec(c, r);
	}
	q_flush_done(c);
}

/* ---- feeding ---------------------------------------------------------------- */

static void parser_init(struct h1_conn *c, enum sess_dir dir)
{
	llhttp_t *p = &c->d[dir].p;

	llhttp_init(p, dir == SESS_DIR_REQ ? HTTP_REQUEST : HTTP_RESPONSE,
		    dir == SESS_DIR_REQ ? &h1_req_settings : &h1_resp_settings);
	llhttp_set_lenient_chunked_length(p, 1);
	llhttp_set_lenient_keep_alive(p, 1);
	p->data = c;
}

/* Run the parser over data; returns bytes that belong to HTTP/1 (all of
 * them unless the connection switched protocols). */
static size_t run(struct h1_conn *c, enum sess_dir dir, const char *data,
		  size_t len)
{
	struct h1_dir *d = &c->d[dir];
	size_t off = 0;
	int idle = 0;

	while (off < len) {
		llhttp_errno_t err = llhttp_execute(&d->p, data + off, len - off);
		const char *e;
		size_t pos;

		if (err == HPE_OK) {
			d->msg_bytes += len - off;
			return len;
		}
		e = llhttp_get_error_pos(&d->p);
		pos = (e && e >= data + off && e <= data + len)
			      ? (size_t)(e - data) : off;
		d->msg_bytes += pos - off;
		idle = pos == off ? idle + 1 : 0;
		off = pos;
		if (err == HPE_PAUSED && d->done) {
			llhttp_resume(&d->p);
			d->done = 0;
			if (dir == SESS_DIR_REQ)
				req_done(c);
			else
				resp_done(c);
			if (c->upgraded)
				return off;
			continue;
		}
		if (err == HPE_PAUSED_H2_UPGRADE && dir == SESS_DIR_REQ) {
			/* "PRI * HTTP/2.0": HTTP/2 with prior knowledge. */
			if (d->rec)
				q_drop_tail(c, d->rec);
			dir_msg_end(d);
			c->pending_since = 0;
			c->upgraded = H1_UPG_H2C;
			return off;
		}
		if (err == HPE_PAUSED_UPGRADE && dir == SESS_DIR_REQ &&
		    idle < 3) {
			/* An Upgrade or CONNECT request: the response decides.
			 * A client waits for it, so bytes seen before it are
			 * still HTTP/1. */
			llhttp_resume_after_upgrade(&d->p);
			continue;
		}
		dir_break(c, dir, H1_ANOM_PARSE_ERROR);
		return len;
	}
	return len;
}

/* A chunk that starts a message: "METHOD SP" or "HTTP/1.". */
static int looks_like_start(enum sess_dir dir, const uint8_t *b, size_t n)
{
	size_t i = 0;

	if (dir == SESS_DIR_RESP)
		return n >= 7 && memcmp(b, "HTTP/1.", 7) == 0;
	while (i < n && i < SESS_MAX_METHOD &&
	       ((b[i] >= 'A' && b[i] <= 'Z') || b[i] == '-' || b[i] == '_'))
		i++;
	return i >= 3 && i < n && b[i] == ' ';
}

size_t h1_feed(struct h1_conn *c, enum sess_dir dir, const uint8_t *data,
	       size_t len, uint64_t ts_ns)
{
	struct h1_dir *d;

	if (!c || c->upgraded || (dir != SESS_DIR_REQ && dir != SESS_DIR_RESP))
		return 0;
	if (c->closed || len == 0)
		return len;
	d = &c->d[dir];
	c->ts = d->last_ts = ts_ns;
	if (d->desync) {
		if (!looks_like_start(dir, data, len))
			return len;
		llhttp_reset(&d->p);
		d->desync = 0;
		dir_msg_end(d);
	}
	/* HTTP/2 with prior knowledge: the preface instead of a request. */
	if (dir == SESS_DIR_REQ && !d->in_msg && d->msg_bytes == 0 &&
	    c->q_len == 0 && len >= 14 && memcmp(data, "PRI * HTTP/2.0", 14) == 0) {
		c->upgraded = H1_UPG_H2C;
		return 0;
	}
	return run(c, dir, (const char *)data, len);
}

/* Remaining body bytes a gap may stand for without losing framing. */
static uint64_t body_room(const struct h1_dir *d, enum sess_dir dir)
{
	const llhttp_t *p = &d->p;

	if (!d->in_msg || d->in_head)
		return 0;
	if (p->flags & F_CHUNKED)
		return d->in_chunk ? p->content_length : 0;
	if (p->flags & F_CONTENT_LENGTH)
		return p->content_length;
	if (dir == SESS_DIR_RESP && llhttp_message_needs_eof(p))
		return UINT64_MAX; /* body runs to close: anything fits */
	return 0;
}

void h1_gap(struct h1_conn *c, enum sess_dir dir, uint64_t len, uint64_t ts_ns)
{
	struct h1_dir *d;
	uint64_t room, fill;

	if (!c || c->upgraded || c->closed || len == 0 ||
	    (dir != SESS_DIR_REQ && dir != SESS_DIR_RESP))
		return;
	d = &c->d[dir];
	c->ts = d->last_ts = ts_ns;
	if (d->desync)
		return;
	room = body_room(d, dir);
	fill = room < len ? room : len;
	if (fill) {
		if (d->rec) {
			d->rec->ev.flags |= SESS_F_BODY_GAP;
			if (dir == SESS_DIR_REQ && !d->rec->body_stop) {
				d->rec->body_stop = 1;
				d->rec->ev.trunc |= SESS_TRUNC_BODY;
			}
		}
		len -= fill;
	}
	if (fill && room == UINT64_MAX) {
		/* Body to close: llhttp would only count the filler, so
		 * count it here without feeding (a sendfile can be GBs). */
		d->msg_bytes += fill;
		if (d->rec)
			d->rec->ev.resp_body_bytes += fill;
		fill = 0;
	}
	d->filler = 1;
	while (fill && !d->desync && !c->upgraded) {
		size_t n = fill < sizeof(h1_zeros) ? (size_t)fill
						    : sizeof(h1_zeros);
		run(c, dir, h1_zeros, n);
		fill -= n;
	}
	d->filler = 0;
	if (len && !d->desync && !c->upgraded)
		dir_break(c, dir, H1_ANOM_GAP);
}

void h1_close(struct h1_conn *c, uint64_t ts_ns)
{
	struct h1_dir *rq, *rs;

	if (!c || c->closed)
		return;
	c->closed = 1;
	c->ts = ts_ns;
	rq = &c->d[SESS_DIR_REQ];
	rs = &c->d[SESS_DIR_RESP];
	if (!c->upgraded && rs->in_msg && !rs->desync) {
		/* A response without length ends here; others were cut. */
		llhttp_finish(&rs->p);
		if (rs->done)
			resp_done(c);
		else
			resp_cut(c, rs);
		dir_msg_end(rs);
	}
	if (!c->upgraded && rq->in_msg && !rq->desync) {
		req_cut(c, rq);
		dir_msg_end(rq);
	}
	while (c->q_len) {
		struct h1_rec *r = q_pop(c);

		if (!r->resp_done) {
			r->ev.flags |= SESS_F_NO_RESP;
			r->ev.end_ns = r->req_end_ns ? r->req_end_ns : ts_ns;
		}
		emit_rec(c, r);
	}
	c->pending_since = 0;
}

/* ---- lifetime and queries ----------------------------------------------------- */

struct h1_conn *h1_conn_new(const struct sess_conn *conn,
			    const struct sess_sink *sink)
{
	struct h1_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->conn = conn;
	if (sink)
		c->sink = *sink;
	parser_init(c, SESS_DIR_REQ);
	parser_init(c, SESS_DIR_RESP);
	return c;
}

void h1_conn_free(struct h1_conn *c)
{
	struct h1_rec *r;

	if (!c)
		return;
	while (c->q_len) {
		r = q_pop(c);
		if (r != c->upg_rec)
			free(r);
	}
	r = c->d[SESS_DIR_RESP].rec;
	if (r && r->orphan)
		free(r);
	free(c->upg_rec);
	free(c->spare);
	free(c);
}

enum h1_upgrade h1_upgraded(const struct h1_conn *c)
{
	return c ? c->upgraded : H1_UPG_NONE;
}

const struct sess_event *h1_upgrade_request(const struct h1_conn *c)
{
	return c && c->upg_rec ? &c->upg_rec->ev : NULL;
}

const char *h1_upgrade_resp_hdr(const struct h1_conn *c, const char *name,
				size_t *len)
{
	size_t nl = strlen(name);
	uint32_t i;

	for (i = 0; c && i < c->n_upg; i++) {
		const struct h1_kv *kv = &c->upg[i];

		if (kv->name_len == nl &&
		    memcmp(c->upg_arena + kv->name_off, name, nl) == 0) {
			if (len)
				*len = kv->val_len;
			return c->upg_arena + kv->val_off;
		}
	}
	return NULL;
}

const uint64_t *h1_conn_anoms(const struct h1_conn *c)
{
	static const uint64_t none[H1_ANOM__COUNT];

	return c ? c->anoms : none;
}

void h1_totals(uint64_t out[H1_ANOM__COUNT])
{
	int i;

	for (i = 0; i < H1_ANOM__COUNT; i++)
		out[i] = __atomic_load_n(&h1_total[i], __ATOMIC_RELAXED);
}

uint64_t h1_pending_since(const struct h1_conn *c)
{
	return c ? c->pending_since : 0;
}
