/* h1_msg.c - the llhttp half of the HTTP/1 decoder: the callbacks that
 * fill an exchange from its request and its response, and what finishing
 * a message does. Connection state and feeding are in h1.c, the FIFO in
 * h1_rec.c.
 *
 * Lenient flags, and why:
 * - chunked_length: a request with both Content-Length and Transfer-Encoding
 *   is a smuggling attempt we must keep reading, framed the way RFC 9112
 *   6.3 tells servers to (chunked wins); we count it as H1_ANOM_CL_TE.
 *   Side effect: llhttp would then read a request whose last coding is not
 *   chunked until EOF, so on_headers_complete refuses that case itself.
 * - keep_alive: we watch, we do not enforce; bytes a peer sends after
 *   "Connection: close" (or on HTTP/1.0) are still worth decoding.
 * - headers: nginx serves control bytes (other than NUL, CR, LF) and 8-bit
 *   bytes in header values, which llhttp's strict mode refuses - and with
 *   them every pipelined request behind (issue 23). We count control bytes
 *   in request header values as H1_ANOM_CTL_IN_HEADER instead. The flag
 *   also lets llhttp take spaces before a colon, which nginx answers with
 *   400 (we then decode a request the server refused: harmless).
 * Not set: transfer_encoding (non-chunked-final requests are the RFC's 400
 * case).
 */
#include "collector/decode/h1_msg.h"

#include <string.h>

#include <llhttp.h>

#include "collector/decode/h1_int.h"
#include "collector/decode/h1_rec.h"
#include "collector/decode/h1_win.h"

/* ---- small helpers ------------------------------------------------------ */

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

/* ---- header handling ------------------------------------------------------ */

static void hdr_count(struct h1_conn *c, struct h1_dir *d, size_t len)
{
	d->hdr_bytes += len;
	if (!d->oversize && d->hdr_bytes > H1_MAX_HDR_BLOCK) {
		d->oversize = 1;
		h1_anom_add(c, d->rec, H1_ANOM_HDR_OVERSIZE);
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

/* Bytes strict parsing refuses in a value: controls other than HTAB. */
static int has_ctl(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return 1;
	}
	return 0;
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
		h1_anom_add(c, r, H1_ANOM_HDR_VALUE_CUT);
		if (r)
			r->ev.trunc |= SESS_TRUNC_HDRS;
	}
	if (!d->in_head) {
		/* Chunked trailer: kept for detectors, framing not checked. */
		if (dir == SESS_DIR_REQ && r && !d->oversize)
			sess_add_hdr(&r->ev, n, nl, v, vl);
	} else if (lc_eq(n, nl, "transfer-encoding") && te_obfuscated(v, vl)) {
		h1_anom_add(c, r, H1_ANOM_TE_OBFUSCATED);
	}
	if (dir == SESS_DIR_RESP && d->in_head && r)
		sess_resp_hdr(&r->ev, n, nl, v, vl);
	if (dir == SESS_DIR_REQ && has_ctl(v, vl))
		h1_anom_add(c, r, H1_ANOM_CTL_IN_HEADER);
	if (dir == SESS_DIR_REQ && d->in_head) {
		if (r)
			sess_req_hdr(&r->ev, n, nl, v, vl);
		if (lc_eq(n, nl, "host")) {
			if (d->saw_host)
				h1_anom_add(c, r, H1_ANOM_DUP_HOST);
			else if (r)
				sess_append(r->ev.authority, SESS_MAX_AUTHORITY, v,
					    vl, &r->ev, SESS_TRUNC_AUTHORITY);
			d->saw_host = 1;
		}
		if (r && !d->oversize && sess_add_hdr(&r->ev, n, nl, v, vl))
			h1_win_hdr(c, r, n, nl, v, vl); /* judged all the same */
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
			h1_anom_add(c, d->rec, H1_ANOM_DUP_CL);
		d->saw_cl = 1;
	} else if (lc_eq(d->name, d->name_len, "transfer-encoding")) {
		if (d->saw_te)
			h1_anom_add(c, d->rec, H1_ANOM_DUP_TE);
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

/* Pause llhttp where a chunk line of kind mode is next: the feed loop
 * reads it (h1_chunk.h) and hands llhttp its canonical form. */
static int chunk_pause(struct h1_dir *d, enum h1_chunk_mode mode)
{
	h1_chunk_expect(&d->ck, mode);
	return HPE_PAUSED;
}

/* A chunked body's first size line is next (not after a CONNECT or a
 * 101, where llhttp reads no body but another protocol follows). */
static int chunked_body_next(llhttp_t *p)
{
	if (p->type == HTTP_REQUEST ? p->method == HTTP_CONNECT : p->status_code == 101)
		return 0;
	return (p->flags & F_CHUNKED) != 0;
}

/* After body bytes: at a chunk's last data byte, the line ending it */
static int body_end_pause(llhttp_t *p, struct h1_dir *d)
{
	if ((p->flags & F_CHUNKED) && d->in_chunk && p->content_length == 0)
		return chunk_pause(d, H1_CHUNK_END);
	return 0;
}

static int on_chunk_header(llhttp_t *p)
{
	struct h1_dir *d = d_of(p);

	d->in_chunk = 1;
	d->ck.last = p->content_length == 0;
	return 0;
}

static int on_chunk_complete(llhttp_t *p)
{
	struct h1_dir *d = d_of(p);

	d->in_chunk = 0;
	return d->ck.last ? 0 : chunk_pause(d, H1_CHUNK_SIZE);
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

	h1_dir_msg_start(d);
	c->pending_since = c->ts;
	r = h1_rec_get(c);
	if (c->q_len >= H1_PIPELINE_MAX || c->unpaired) {
		/* No room to wait for its answer (or an earlier request had
		 * none, and answers come in order): judged and emitted when it
		 * ends all the same (h1_rec_unqueued_done), in no FIFO */
		if (r) {
			r->unqueued = 1;
			r->ev.req_ns = c->ts;
			d->rec = c->unq = r;
		}
		h1_anom_add(c, r, H1_ANOM_PIPELINE_OVERFLOW);
		return 0;
	}
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
	struct h1_dir *d = d_of(p);
	struct h1_rec *r = d->rec;

	if (!r)
		return 0;
	if (d->ln.sub) {
		/* llhttp read "POST" for a method it does not know (h1_line.h):
		 * the event names the one sent */
		size_t kept = d->ln.mlen < H1_LINE_METHOD_MAX ? d->ln.mlen : H1_LINE_METHOD_MAX;

		r->ev.method[0] = '\0';
		sess_append(r->ev.method, SESS_MAX_METHOD, d->ln.meth, kept, &r->ev,
			    SESS_TRUNC_METHOD);
		if (kept < d->ln.mlen)
			r->ev.trunc |= SESS_TRUNC_METHOD;
		return 0;
	}
	sess_append(r->ev.method, SESS_MAX_METHOD, at, len, &r->ev, SESS_TRUNC_METHOD);
	return 0;
}

static void uri_over(struct h1_conn *c, struct h1_rec *r)
{
	if (!r->uri_cut) {
		r->uri_cut = 1;
		h1_anom_add(c, r, H1_ANOM_URI_OVERSIZE);
	}
}

/* URL bytes arrive in pieces: path until the first '?', query after. */
static int req_url(llhttp_t *p, const char *at, size_t len)
{
	struct h1_conn *c = conn_of(p);
	struct h1_rec *r = d_of(p)->rec;
	size_t k;

	if (!r)
		return 0;
	if (!r->in_query) {
		const char *qm = memchr(at, '?', len);
		size_t n = qm ? (size_t)(qm - at) : len;

		k = sess_append(r->ev.path, SESS_MAX_PATH, at, n, &r->ev, SESS_TRUNC_PATH);
		if (k < n) {
			uri_over(c, r);
			h1_win_uri(c, r, 0, at + k, n - k); /* judged all the same */
		}
		if (!qm)
			return 0;
		r->in_query = 1;
		at = qm + 1;
		len -= n + 1;
	}
	k = sess_append(r->ev.query, SESS_MAX_QUERY, at, len, &r->ev, SESS_TRUNC_QUERY);
	if (k < len) {
		uri_over(c, r);
		h1_win_uri(c, r, 1, at + k, len - k);
	}
	return 0;
}

static int req_version_complete(llhttp_t *p)
{
	struct h1_dir *d = d_of(p);
	struct h1_rec *r = d->rec;

	if (r) {
		r->line_ok = 1;
		r->method = p->method;
	}
	/* the line as sent was not the canonical one llhttp read */
	if (d->ln.odd)
		h1_anom_add(conn_of(p), r, H1_ANOM_REQ_LINE);
	return 0;
}

/* RFC 9112 3.2.2: a target in absolute form ("http://host/p?q", what a
 * client sends a proxy, and what nginx serves too) names the authority
 * the server takes instead of Host. The event gets that authority and
 * the target's path alone ("/" when it has none), as the server reads
 * them: the path's judges and the inventory see "/p", not a URL. */
static void absolute_target(struct h1_rec *r)
{
	char *t = r->ev.path;
	size_t n = strnlen(t, SESS_MAX_PATH - 1), i = 0, e;

	while (i < n && (((unsigned char)t[i] | 0x20) >= 'a' && ((unsigned char)t[i] | 0x20) <= 'z'))
		i++;
	if (i == 0 || n - i < 3 || memcmp(t + i, "://", 3) != 0)
		return;
	for (e = i + 3; e < n && t[e] != '/'; e++)
		;
	r->ev.authority[0] = '\0';
	sess_append(r->ev.authority, SESS_MAX_AUTHORITY, t + i + 3, e - i - 3, &r->ev,
		    SESS_TRUNC_AUTHORITY);
	memmove(t, t + e, n - e);
	t[n - e] = '\0';
	if (!t[0])
		memcpy(t, "/", 2);
}

static int req_headers_complete(llhttp_t *p)
{
	struct h1_conn *c = conn_of(p);
	struct h1_dir *d = &c->d[SESS_DIR_REQ];

	d->in_head = 0;
	c->pending_since = 0;
	if (d->rec && d->rec->line_ok)
		absolute_target(d->rec);
	h1_win_flush(c);
	if (d->saw_cl && d->saw_te)
		h1_anom_add(c, d->rec, H1_ANOM_CL_TE);
	if (d->ln.hodd)
		h1_anom_add(c, d->rec, H1_ANOM_HDR_NAME);
	if (d->saw_te && (p->method == HTTP_GET || p->method == HTTP_HEAD))
		h1_anom_add(c, d->rec, H1_ANOM_TE_ON_GET);
	/* See the top: lenient chunked_length would read this to EOF. */
	if ((p->flags & F_TRANSFER_ENCODING) && !(p->flags & F_CHUNKED))
		return -1;
	return chunked_body_next(p) ? chunk_pause(d, H1_CHUNK_SIZE) : 0;
}

static int req_body(llhttp_t *p, const char *at, size_t len)
{
	struct h1_dir *d = d_of(p);
	struct h1_rec *r = d->rec;

	if (!r)
		return body_end_pause(p, d);
	r->ev.req_body_bytes += len;
	if (!d->filler && !r->body_stop) {
		size_t keep = SESS_MAX_BODY - r->ev.body_len;

		sess_add_body(&r->ev, at, len);
		if (len > keep) /* past the prefix: judged in windows */
			h1_win_body(conn_of(p), r, at + keep, len - keep);
	}
	return body_end_pause(p, d);
}

/* ---- response callbacks --------------------------------------------------- */

static int resp_message_begin(llhttp_t *p)
{
	struct h1_conn *c = conn_of(p);
	struct h1_dir *d = &c->d[SESS_DIR_RESP];
	struct h1_rec *r = NULL;
	unsigned i;

	h1_dir_msg_start(d);
	for (i = 0; i < c->q_len; i++) {
		if (!h1_q_at(c, i)->resp_started) {
			r = h1_q_at(c, i);
			break;
		}
	}
	if (!r && c->unpaired) {
		/* the answer of a request emitted unqueued: skipped */
		c->unpaired--;
		d->skip_resp = 1;
		return 0;
	}
	if (!r) {
		/* Joined mid-stream, or the request was lost: still report. */
		r = h1_rec_get(c);
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
		h1_anom_add(c, r, H1_ANOM_CL_TE);
	/* no body whatever the headers say (RFC 9112 6.3), which this llhttp
	 * knows for HEAD only: a Content-Length here framed the next answers
	 * as a body (and named them to the kernel to skip) */
	if (p->status_code == 204 || p->status_code == 304 ||
	    (p->status_code / 100 == 1 && p->status_code != 101))
		return 1;
	if (r && !r->orphan && r->line_ok) {
		if (r->method == HTTP_HEAD)
			return 1; /* no body follows, whatever the headers say */
		if (r->method == HTTP_CONNECT && p->status_code / 100 == 2)
			return 2; /* tunnel: no body, then another protocol */
	}
	return chunked_body_next(p) ? chunk_pause(d, H1_CHUNK_SIZE) : 0;
}

static int resp_body(llhttp_t *p, const char *at, size_t len)
{
	struct h1_dir *d = d_of(p);
	struct h1_rec *r = d->rec;

	if (!r)
		return body_end_pause(p, d);
	r->ev.resp_body_bytes += len;
	if (d->filler)
		sess_resp_body_gap(&r->ev);
	else
		sess_add_resp_body(&r->ev, at, len);
	return body_end_pause(p, d);
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

/* ---- parser setup ------------------------------------------------------- */

void h1_msg_parser_init(struct h1_conn *c, enum sess_dir dir)
{
	llhttp_t *p = &c->d[dir].p;

	llhttp_init(p, dir == SESS_DIR_REQ ? HTTP_REQUEST : HTTP_RESPONSE,
		    dir == SESS_DIR_REQ ? &h1_req_settings : &h1_resp_settings);
	llhttp_set_lenient_chunked_length(p, 1);
	llhttp_set_lenient_keep_alive(p, 1);
	llhttp_set_lenient_headers(p, 1);
	p->data = c;
}

/* ---- message completion ----------------------------------------------------- */

const char *h1_msg_upgrade_hdr(const struct h1_conn *c, const char *name,
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

static enum h1_upgrade upg_kind(const struct h1_conn *c, const struct h1_rec *r)
{
	const char *v;
	size_t n = 0;

	if (r && r->line_ok && r->method == HTTP_CONNECT)
		return H1_UPG_OTHER;
	v = h1_msg_upgrade_hdr(c, "upgrade", &n);
	if (!v && r)
		v = sess_get_hdr(&r->ev, "upgrade", &n);
	if (v && lc_eq(v, n, "websocket"))
		return H1_UPG_WEBSOCKET;
	if (v && lc_eq(v, n, "h2c"))
		return H1_UPG_H2C;
	return H1_UPG_OTHER;
}

void h1_msg_req_done(struct h1_conn *c)
{
	struct h1_dir *d = &c->d[SESS_DIR_REQ];
	struct h1_rec *r = d->rec;

	h1_win_flush(c);
	if (r) {
		r->ev.req_bytes = d->msg_bytes;
		r->req_end_ns = d->last_ts;
		r->ev.req_end_ns = d->last_ts;
		r->req_done = 1;
		/* judged now, before the server has answered */
		if (r->unqueued)
			h1_rec_unqueued_done(c, r);
		else if (!r->resp_done)
			sess_emit_request(&c->sink, &r->ev);
	}
	h1_dir_msg_end(d);
	h1_rec_flush_done(c);
}

void h1_msg_resp_done(struct h1_conn *c)
{
	struct h1_dir *d = &c->d[SESS_DIR_RESP];
	struct h1_rec *r = d->rec;
	int status = d->p.status_code;

	if (status / 100 == 1 && status != 101) {
		/* Interim answer (100 Continue...): its bytes count toward the
		 * final response, which pairs with the same request. */
		d->carry += d->msg_bytes;
		if (d->skip_resp)
			c->unpaired++; /* the final answer is still to come */
		if (r && r->orphan) {
			h1_rec_put(c, r);
		} else if (r) {
			r->resp_started = 0;
			r->ev.resp_ns = 0;
			r->ev.status = 0;
			sess_resp_interim(&r->ev);
		}
		h1_dir_msg_end(d);
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
	/* an unqueued Upgrade answered: the connection is another protocol
	 * now, whose request is gone (no decoder for it: opaque) */
	if (!r && d->skip_resp && status == 101)
		c->upgraded = upg_kind(c, NULL);
	d->carry = 0;
	h1_dir_msg_end(d);
	if (r && r->orphan) {
		h1_anom_add(c, r, H1_ANOM_RESP_WITHOUT_REQ);
		h1_rec_emit(c, r);
	}
	h1_rec_flush_done(c);
}
