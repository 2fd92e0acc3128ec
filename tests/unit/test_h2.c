/* test_h2.c - HTTP/2 decoder: frames built by hand, header blocks by
 * nghttp2's deflater (or by hand where a test needs exact HPACK bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <nghttp2/nghttp2.h>

#include "collector/decode/h2.h"
#include "collector/decode/h2_frame.h"
#include "collector/decode/sess.h"

enum { DATA, HEADERS, PRIORITY, RST, SETTINGS, PUSH, PING, GOAWAY, WINUPD, CONT };
#define ES 0x01
#define EH 0x04
#define PADDED 0x08
#define PRIO 0x20
#define REQ SESS_DIR_REQ
#define RESP SESS_DIR_RESP

/* ---- captured events --------------------------------------------------- */

struct cap {
	struct sess_event *ev;
	size_t n;
};

static void cap_emit(void *ctx, const struct sess_event *ev)
{
	struct cap *c = ctx;

	c->ev = realloc(c->ev, (c->n + 1) * sizeof(*ev));
	assert_non_null(c->ev);
	c->ev[c->n++] = *ev;
}

static void cap_free(struct cap *c)
{
	free(c->ev);
	c->ev = NULL;
	c->n = 0;
}

static const struct sess_event *cap_sid(const struct cap *c, uint32_t sid)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ev[i].stream_id == sid)
			return &c->ev[i];
	return NULL;
}

static uint32_t ev_anom(const struct sess_event *ev, const char *name)
{
	uint32_t i;

	for (i = 0; i < ev->n_anom; i++)
		if (strcmp(ev->anom[i].name, name) == 0)
			return ev->anom[i].count;
	return 0;
}

static int ev_hdr_is(const struct sess_event *ev, const char *name, const char *val)
{
	size_t n;
	const char *v = sess_get_hdr(ev, name, &n);

	return v && n == strlen(val) && memcmp(v, val, n) == 0;
}

/* ---- connection script builder ----------------------------------------- */

struct seg {
	int dir;
	size_t off, len;
	uint64_t ts;
};

struct h2b {
	uint8_t *buf[2];
	size_t len[2], cap[2];
	struct seg *segs;
	size_t nseg;
	nghttp2_hd_deflater *def[2];
	uint64_t ts; /* timestamp of the next segment */
};

static void b_raw(struct h2b *b, int dir, const void *p, size_t n)
{
	if (b->len[dir] + n > b->cap[dir]) {
		b->cap[dir] = (b->len[dir] + n) * 2 + 256;
		b->buf[dir] = realloc(b->buf[dir], b->cap[dir]);
		assert_non_null(b->buf[dir]);
	}
	if (n)
		memcpy(b->buf[dir] + b->len[dir], p, n);
	b->segs = realloc(b->segs, (b->nseg + 1) * sizeof(*b->segs));
	assert_non_null(b->segs);
	b->segs[b->nseg++] = (struct seg){ dir, b->len[dir], n, b->ts };
	b->len[dir] += n;
	b->ts += 1000;
}

static void b_frame(struct h2b *b, int dir, uint8_t type, uint8_t flags,
		    uint32_t sid, const void *p, size_t n)
{
	uint8_t *f = malloc(9 + n);

	assert_non_null(f);
	h2_frame_hdr_write(f, (uint32_t)n, type, flags, sid);
	if (n)
		memcpy(f + 9, p, n);
	b_raw(b, dir, f, 9 + n);
	free(f);
}

/* Deflate a NULL-terminated name, value, ... list with dir's deflater. */
static size_t b_block(struct h2b *b, int dir, uint8_t *out, size_t cap,
		      const char *const *kv)
{
	nghttp2_nv nv[128];
	size_t n = 0;
	ssize_t r;

	while (kv[2 * n]) {
		assert_true(n < 128);
		nv[n].name = (uint8_t *)kv[2 * n];
		nv[n].namelen = strlen(kv[2 * n]);
		nv[n].value = (uint8_t *)kv[2 * n + 1];
		nv[n].valuelen = strlen(kv[2 * n + 1]);
		nv[n].flags = NGHTTP2_NV_FLAG_NONE;
		n++;
	}
	r = nghttp2_hd_deflate_hd(b->def[dir], out, cap, nv, n);
	assert_true(r >= 0);
	return (size_t)r;
}

#define KV(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* One HEADERS frame (END_HEADERS plus flags); returns its block length. */
static size_t b_headers(struct h2b *b, int dir, uint32_t sid, uint8_t flags,
			const char *const *kv)
{
	uint8_t blk[16384];
	size_t n = b_block(b, dir, blk, sizeof(blk), kv);

	b_frame(b, dir, HEADERS, (uint8_t)(EH | flags), sid, blk, n);
	return n;
}

static void b_init(struct h2b *b, int preface)
{
	memset(b, 0, sizeof(*b));
	b->ts = 1000000;
	assert_int_equal(nghttp2_hd_deflate_new(&b->def[0], 4096), 0);
	assert_int_equal(nghttp2_hd_deflate_new(&b->def[1], 4096), 0);
	if (preface) {
		b_raw(b, REQ, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24);
		b_frame(b, REQ, SETTINGS, 0, 0, NULL, 0);
		b_frame(b, RESP, SETTINGS, 0, 0, "\x00\x03\x00\x00\x00\x64", 6);
		b_frame(b, RESP, SETTINGS, 1, 0, NULL, 0);
		b_frame(b, REQ, SETTINGS, 1, 0, NULL, 0);
	}
}

static void b_free(struct h2b *b)
{
	free(b->buf[0]);
	free(b->buf[1]);
	free(b->segs);
	nghttp2_hd_deflate_del(b->def[0]);
	nghttp2_hd_deflate_del(b->def[1]);
}

/* Drop everything recorded so far (used to start a mid-stream capture). */
static void b_forget(struct h2b *b)
{
	b->len[0] = b->len[1] = 0;
	b->nseg = 0;
}

/* Feed the script in order, every segment in chunks of `chunk` bytes. */
static void b_run(struct h2b *b, struct h2_conn *c, size_t chunk)
{
	size_t i, off;

	for (i = 0; i < b->nseg; i++) {
		const struct seg *s = &b->segs[i];
		const uint8_t *p = b->buf[s->dir] + s->off;

		for (off = 0; off < s->len;) {
			size_t n = chunk && s->len - off > chunk ? chunk : s->len - off;

			h2_feed(c, s->dir, p + off, n, s->ts);
			off += n;
		}
	}
}

static const struct sess_conn tconn = { .cookie = 42, .open_ns = 1 };

/* Run a script through a fresh connection and close it. */
static struct h2_conn *run(struct h2b *b, struct cap *cap, unsigned flags,
			   size_t chunk, uint64_t *anoms_out)
{
	struct sess_sink sink = { cap_emit, cap };
	struct h2_conn *c = h2_conn_new(&tconn, &sink, flags);

	assert_non_null(c);
	b_run(b, c, chunk);
	h2_close(c, b->ts);
	if (anoms_out)
		memcpy(anoms_out, h2_conn_anoms(c), sizeof(uint64_t) * H2_ANOM__COUNT);
	h2_conn_free(c);
	return NULL;
}

static uint64_t anom_sum(const uint64_t *a)
{
	uint64_t s = 0;
	int k;

	for (k = 0; k < H2_ANOM__COUNT; k++)
		s += a[k];
	return s;
}

/* ---- plain HTTP/2 ------------------------------------------------------ */

static size_t get_req_blk, get_resp_blk;

static void script_get(struct h2b *b)
{
	b_init(b, 1);
	get_req_blk = b_headers(b, REQ, 1, ES,
				KV(":method", "GET", ":scheme", "https",
				   ":authority", "api.example.com",
				   ":path", "/v1/items?id=7&x=y", "user-agent", "t/1"));
	get_resp_blk = b_headers(b, RESP, 1, 0,
				 KV(":status", "200", "content-type", "text/plain"));
	b_frame(b, RESP, DATA, ES, 1, "hello", 5);
}

static void check_get(const struct cap *cap, const uint64_t *an)
{
	const struct sess_event *ev;

	assert_int_equal(cap->n, 1);
	ev = &cap->ev[0];
	assert_int_equal(ev->proto, SESS_PROTO_HTTP2);
	assert_int_equal(ev->stream_id, 1);
	assert_string_equal(ev->method, "GET");
	assert_string_equal(ev->authority, "api.example.com");
	assert_string_equal(ev->path, "/v1/items");
	assert_string_equal(ev->query, "id=7&x=y");
	assert_int_equal(ev->status, 200);
	assert_int_equal(ev->req_bytes, 9 + get_req_blk);
	assert_int_equal(ev->resp_bytes, 9 + get_resp_blk + 9 + 5);
	assert_int_equal(ev->req_body_bytes, 0);
	assert_int_equal(ev->resp_body_bytes, 5);
	assert_string_equal(ev->resp_ctype, "text/plain");
	assert_int_equal(ev->resp_body_len, 5);
	assert_memory_equal(ev->resp_body, "hello", 5);
	assert_int_equal(ev->resp_coded, 0);
	assert_int_equal(ev->flags, 0);
	assert_int_equal(ev->n_anom, 0);
	assert_true(ev->req_ns > 0 && ev->resp_ns > ev->req_ns);
	assert_true(ev->end_ns >= ev->resp_ns);
	assert_true(ev_hdr_is(ev, ":method", "GET"));
	assert_true(ev_hdr_is(ev, ":path", "/v1/items?id=7&x=y"));
	assert_true(ev_hdr_is(ev, "user-agent", "t/1"));
	assert_int_equal(anom_sum(an), 0);
}

static void test_get_200_with_data(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];

	script_get(&b);
	run(&b, &cap, 0, 0, an);
	check_get(&cap, an);
	cap_free(&cap);
	b_free(&b);
}

static void test_get_split_at_every_offset(void **state)
{
	struct h2b b;
	struct sess_sink sink;
	uint64_t an[H2_ANOM__COUNT];
	int dir;
	size_t k;

	script_get(&b);
	/* Each direction as one byte string cut in two at every offset (the
	 * other direction whole), then everything one byte at a time. */
	for (dir = 0; dir < 2; dir++) {
		for (k = 0; k <= b.len[dir]; k++) {
			struct cap cap = { 0 };
			struct h2_conn *c;

			sink = (struct sess_sink){ cap_emit, &cap };
			c = h2_conn_new(&tconn, &sink, 0);
			if (dir == REQ) {
				h2_feed(c, REQ, b.buf[REQ], k, 10);
				h2_feed(c, REQ, b.buf[REQ] + k, b.len[REQ] - k, 20);
				h2_feed(c, RESP, b.buf[RESP], b.len[RESP], 30);
			} else {
				h2_feed(c, REQ, b.buf[REQ], b.len[REQ], 10);
				h2_feed(c, RESP, b.buf[RESP], k, 20);
				h2_feed(c, RESP, b.buf[RESP] + k, b.len[RESP] - k, 30);
			}
			h2_close(c, 40);
			memcpy(an, h2_conn_anoms(c), sizeof(an));
			h2_conn_free(c);
			check_get(&cap, an);
			cap_free(&cap);
		}
	}
	{
		struct cap cap = { 0 };

		run(&b, &cap, 0, 1, an);
		check_get(&cap, an);
		cap_free(&cap);
	}
	b_free(&b);
}

static void test_three_interleaved_streams(void **state)
{
	static const struct { uint32_t sid; const char *path, *status; size_t body; } t[] = {
		{ 1, "/one", "200", 10 }, { 3, "/three", "404", 3 }, { 5, "/five", "201", 7 },
	};
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint8_t body[16] = "0123456789abcde";
	size_t i;

	b_init(&b, 1);
	for (i = 0; i < 3; i++)
		b_headers(&b, REQ, t[i].sid, 0,
			  KV(":method", "POST", ":scheme", "http", ":authority", "h",
			     ":path", t[i].path));
	/* Request bodies interleaved byte-chunk by chunk across streams. */
	for (i = 0; i < 3; i++)
		b_frame(&b, REQ, DATA, 0, t[i].sid, body, 1);
	for (i = 0; i < 3; i++)
		b_frame(&b, REQ, DATA, ES, t[i].sid, body + 1, t[i].body - 1);
	/* Responses finish in the order 5, 1, 3. */
	for (i = 0; i < 3; i++)
		b_headers(&b, RESP, t[(i + 2) % 3].sid, 0, KV(":status", t[(i + 2) % 3].status));
	for (i = 0; i < 3; i++)
		b_frame(&b, RESP, DATA, ES, t[(i + 2) % 3].sid, "ok", 2);
	run(&b, &cap, 0, 7, an);

	assert_int_equal(cap.n, 3);
	assert_int_equal(cap.ev[0].stream_id, 5);
	assert_int_equal(cap.ev[1].stream_id, 1);
	assert_int_equal(cap.ev[2].stream_id, 3);
	for (i = 0; i < 3; i++) {
		const struct sess_event *ev = cap_sid(&cap, t[i].sid);

		assert_non_null(ev);
		assert_string_equal(ev->path, t[i].path);
		assert_int_equal(ev->status, atoi(t[i].status));
		assert_int_equal(ev->req_body_bytes, t[i].body);
		assert_int_equal(ev->body_len, t[i].body);
		assert_memory_equal(ev->body, body, t[i].body);
		assert_int_equal(ev->resp_body_bytes, 2);
		assert_int_equal(ev->flags, 0);
	}
	assert_int_equal(anom_sum(an), 0);
	cap_free(&cap);
	b_free(&b);
}

static void test_hpack_dynamic_table_20_requests(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	size_t first = 0, later = 0;
	char path[32];
	uint32_t i;

	b_init(&b, 1);
	for (i = 0; i < 20; i++) {
		size_t n;

		snprintf(path, sizeof(path), "/r/%u", i);
		n = b_headers(&b, REQ, 1 + 2 * i, ES,
			      KV(":method", "GET", ":scheme", "https",
				 ":authority", "svc.internal", ":path", path,
				 "x-api-key", "Bearer abcdefghijklmnop",
				 "x-tenant", "tenant-0042"));
		if (i == 0)
			first = n;
		else
			later = n;
		b_headers(&b, RESP, 1 + 2 * i, ES, KV(":status", "204", "x-srv", "a"));
	}
	/* The later blocks reuse dynamic indices: much smaller than the first. */
	assert_true(later * 2 < first);
	run(&b, &cap, 0, 0, an);
	assert_int_equal(cap.n, 20);
	for (i = 0; i < 20; i++) {
		const struct sess_event *ev = &cap.ev[i];

		snprintf(path, sizeof(path), "/r/%u", i);
		assert_int_equal(ev->stream_id, 1 + 2 * i);
		assert_string_equal(ev->path, path);
		assert_string_equal(ev->authority, "svc.internal");
		assert_true(ev_hdr_is(ev, "x-api-key", "Bearer abcdefghijklmnop"));
		assert_true(ev_hdr_is(ev, "x-tenant", "tenant-0042"));
		assert_int_equal(ev->status, 204);
		assert_int_equal(ev->flags, 0);
	}
	assert_int_equal(anom_sum(an), 0);
	cap_free(&cap);
	b_free(&b);
}

static void test_continuation_split_header_block(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint8_t blk[1024];
	size_t n;

	b_init(&b, 1);
	n = b_block(&b, REQ, blk, sizeof(blk),
		    KV(":method", "GET", ":scheme", "https", ":authority", "c.example",
		       ":path", "/cont", "x-long", "0123456789012345678901234567890123456789"));
	b_frame(&b, REQ, HEADERS, ES, 1, blk, 5);
	b_frame(&b, REQ, CONT, 0, 1, blk + 5, 10);
	b_frame(&b, REQ, CONT, EH, 1, blk + 15, n - 15);
	b_headers(&b, RESP, 1, ES, KV(":status", "200"));
	run(&b, &cap, 0, 3, an);
	assert_int_equal(cap.n, 1);
	assert_string_equal(cap.ev[0].path, "/cont");
	assert_string_equal(cap.ev[0].authority, "c.example");
	assert_true(ev_hdr_is(&cap.ev[0], "x-long", "0123456789012345678901234567890123456789"));
	assert_int_equal(cap.ev[0].req_bytes, 3 * 9 + n);
	assert_int_equal(cap.ev[0].status, 200);
	assert_int_equal(anom_sum(an), 0);
	cap_free(&cap);
	b_free(&b);
}

static void test_padded_data_and_headers(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint8_t blk[512], f[1024];
	size_t n;

	b_init(&b, 1);
	n = b_block(&b, REQ, blk, sizeof(blk),
		    KV(":method", "PUT", ":scheme", "https", ":authority", "p",
		       ":path", "/pad"));
	/* HEADERS: pad length 4, priority (5 bytes), block, 4 zero bytes. */
	f[0] = 4;
	memcpy(f + 1, "\x00\x00\x00\x00\x10", 5);
	memcpy(f + 6, blk, n);
	memset(f + 6 + n, 0, 4);
	b_frame(&b, REQ, HEADERS, EH | PADDED | PRIO, 1, f, 6 + n + 4);
	/* DATA: pad length 7, "body!", 7 zero bytes. */
	f[0] = 7;
	memcpy(f + 1, "body!", 5);
	memset(f + 6, 0, 7);
	b_frame(&b, REQ, DATA, ES | PADDED, 1, f, 13);
	b_headers(&b, RESP, 1, 0, KV(":status", "200"));
	/* DATA with padding only. */
	f[0] = 3;
	memset(f + 1, 0, 3);
	b_frame(&b, RESP, DATA, ES | PADDED, 1, f, 4);
	run(&b, &cap, 0, 2, an);
	assert_int_equal(cap.n, 1);
	assert_string_equal(cap.ev[0].method, "PUT");
	assert_string_equal(cap.ev[0].path, "/pad");
	assert_int_equal(cap.ev[0].req_body_bytes, 5);
	assert_int_equal(cap.ev[0].body_len, 5);
	assert_memory_equal(cap.ev[0].body, "body!", 5);
	assert_int_equal(cap.ev[0].req_bytes, 9 + 6 + n + 4 + 9 + 13);
	assert_int_equal(cap.ev[0].resp_body_bytes, 0);
	assert_int_equal(anom_sum(an), 0);
	cap_free(&cap);
	b_free(&b);
}

static void test_padding_longer_than_frame_is_protocol_error(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];

	b_init(&b, 1);
	b_headers(&b, REQ, 1, 0, KV(":method", "POST", ":scheme", "http",
				     ":authority", "p", ":path", "/x"));
	b_frame(&b, REQ, DATA, ES | PADDED, 1, "\x09" "abc", 4);
	run(&b, &cap, 0, 0, an);
	assert_int_equal(an[H2_ANOM_PROTOCOL_ERROR], 1);
	assert_int_equal(cap.n, 1);
	assert_int_equal(cap.ev[0].req_body_bytes, 0);
	assert_int_equal(ev_anom(&cap.ev[0], "h2.protocol_error"), 1);
	cap_free(&cap);
	b_free(&b);
}

/* A :path whose query runs past SESS_MAX_QUERY (padding, then the
 * payload): the bytes the event cannot keep reach the request sink in URI
 * windows (SESS_F_WINDOW | SESS_F_WIN_URI) that overlap, so the payload is
 * judged wherever it sits; before, nothing past the bound was. */
struct uriwin {
	int n, found, uri;
	const char *needle;
};

static void uri_request(void *ctx, const struct sess_event *ev)
{
	struct uriwin *u = ctx;

	if (!(ev->flags & SESS_F_WINDOW))
		return;
	u->n++;
	u->uri += (ev->flags & SESS_F_WIN_URI) != 0;
	if (strstr(ev->query, u->needle) || strstr(ev->path, u->needle))
		u->found++;
}

static void uri_emit(void *ctx, const struct sess_event *ev)
{
	(void)ctx;
	(void)ev;
}

static void test_query_past_the_bound_is_judged(void **state)
{
	static char path[40000];
	const size_t pads[] = { 3000, SESS_MAX_QUERY - 5, 7000, 12000 };
	(void)state;

	for (size_t k = 0; k < sizeof(pads) / sizeof(pads[0]); k++) {
		struct uriwin u = { .needle = "id=1%27%20OR%201%3D1--" };
		struct sess_sink sink = { uri_emit, &u, uri_request };
		struct h2b b;
		struct h2_conn *c;
		size_t n = (size_t)snprintf(path, sizeof(path), "/w?pad=");

		memset(path + n, 'a', pads[k]);
		n += pads[k];
		snprintf(path + n, sizeof(path) - n, "&%s", u.needle);
		b_init(&b, 1);
		b_headers(&b, REQ, 1, ES, KV(":method", "GET", ":scheme", "https",
					     ":authority", "api.example.com", ":path", path));
		c = h2_conn_new(&tconn, &sink, 0);
		assert_non_null(c);
		b_run(&b, c, 0);
		h2_close(c, b.ts);
		h2_conn_free(c);
		b_free(&b);
		if (u.found != 1 || u.uri != u.n) {
			print_error("pad %zu: found %d in %d windows (%d of the URI)\n", pads[k],
				    u.found, u.n, u.uri);
			fail();
		}
	}
}

static void test_response_trailers(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];

	b_init(&b, 1);
	b_headers(&b, REQ, 1, ES, KV(":method", "GET", ":scheme", "http",
				      ":authority", "t", ":path", "/trail"));
	b_headers(&b, RESP, 1, 0, KV(":status", "100"));
	b_headers(&b, RESP, 1, 0, KV(":status", "200"));
	b_frame(&b, RESP, DATA, 0, 1, "abc", 3);
	b_headers(&b, RESP, 1, ES, KV("x-checksum", "99", ":status", "500"));
	run(&b, &cap, 0, 0, an);
	assert_int_equal(cap.n, 1);
	/* 1xx is informational; a pseudo-header in trailers is ignored. */
	assert_int_equal(cap.ev[0].status, 200);
	assert_int_equal(cap.ev[0].resp_body_bytes, 3);
	assert_int_equal(cap.ev[0].flags, 0);
	assert_int_equal(anom_sum(an), 0);
	cap_free(&cap);
	b_free(&b);
}

/* ---- gRPC -------------------------------------------------------------- */

/* Append one length-prefixed message to buf. */
static size_t grpc_msg(uint8_t *buf, const char *body)
{
	size_t n = strlen(body);

	buf[0] = 0;
	buf[1] = (uint8_t)(n >> 24);
	buf[2] = (uint8_t)(n >> 16);
	buf[3] = (uint8_t)(n >> 8);
	buf[4] = (uint8_t)n;
	memcpy(buf + 5, body, n);
	return 5 + n;
}

/* Send bytes as DATA frames of at most `frame` bytes; END_STREAM on the
 * last when es. */
static void b_data_split(struct h2b *b, int dir, uint32_t sid, const uint8_t *p,
			 size_t n, size_t frame, int es)
{
	size_t off = 0;

	do {
		size_t k = n - off < frame ? n - off : frame;

		b_frame(b, dir, DATA, (uint8_t)(es && off + k == n ? ES : 0), sid, p + off, k);
		off += k;
	} while (off < n);
}

struct grpc_case {
	const char *name;
	int req_msgs, resp_msgs;
	int interleave;      /* bidi: one request, one response, ... */
	size_t frame;        /* DATA frame payload size (splits messages) */
	const char *status, *message;
	int trailers_only;
};

static const struct grpc_case grpc_cases[] = {
	{ "unary_ok_split_messages", 1, 1, 0, 3, "0", NULL, 0 },
	{ "server_streaming", 1, 5, 0, 16384, "0", NULL, 0 },
	{ "client_streaming", 5, 1, 0, 7, "0", NULL, 0 },
	{ "bidi_streaming", 4, 4, 1, 16384, "0", NULL, 0 },
	{ "unary_not_found", 1, 0, 0, 16384, "5", "no such item", 0 },
	{ "trailers_only_not_found", 1, 0, 0, 16384, "5", "gone", 1 },
};

static void run_grpc_case(const struct grpc_case *t, size_t chunk)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint8_t msg[64], all[512];
	size_t all_len = 0, n;
	char body[32];
	const struct sess_event *ev;
	int i;

	b_init(&b, 1);
	b_headers(&b, REQ, 1, 0,
		  KV(":method", "POST", ":scheme", "http", ":authority", "grpc.local",
		     ":path", "/shop.v1.Catalog/GetItem", "content-type", "application/grpc",
		     "te", "trailers"));
	for (i = 0; i < (t->interleave ? t->req_msgs : 1); i++) {
		int j, last = t->interleave ? 1 : t->req_msgs;

		for (j = 0; j < last; j++) {
			int k = t->interleave ? i : j;

			snprintf(body, sizeof(body), "req-%d", k);
			n = grpc_msg(msg, body);
			memcpy(all + all_len, body, strlen(body));
			all_len += strlen(body);
			b_data_split(&b, REQ, 1, msg, n, t->frame, k == t->req_msgs - 1);
		}
		if (t->interleave) {
			if (i == 0)
				b_headers(&b, RESP, 1, 0,
					  KV(":status", "200", "content-type", "application/grpc"));
			snprintf(body, sizeof(body), "resp-%d", i);
			n = grpc_msg(msg, body);
			b_data_split(&b, RESP, 1, msg, n, t->frame, 0);
		}
	}
	if (t->trailers_only) {
		b_headers(&b, RESP, 1, ES,
			  KV(":status", "200", "content-type", "application/grpc",
			     "grpc-status", t->status, "grpc-message", t->message));
	} else {
		if (!t->interleave) {
			b_headers(&b, RESP, 1, 0,
				  KV(":status", "200", "content-type", "application/grpc"));
			for (i = 0; i < t->resp_msgs; i++) {
				snprintf(body, sizeof(body), "resp-%d", i);
				n = grpc_msg(msg, body);
				b_data_split(&b, RESP, 1, msg, n, t->frame, 0);
			}
		}
		if (t->message)
			b_headers(&b, RESP, 1, ES, KV("grpc-status", t->status,
						       "grpc-message", t->message));
		else
			b_headers(&b, RESP, 1, ES, KV("grpc-status", t->status));
	}
	run(&b, &cap, 0, chunk, an);

	assert_int_equal(cap.n, 1);
	ev = &cap.ev[0];
	assert_int_equal(ev->proto, SESS_PROTO_GRPC);
	assert_string_equal(ev->service, "shop.v1.Catalog");
	assert_string_equal(ev->rpc, "GetItem");
	assert_string_equal(ev->path, "/shop.v1.Catalog/GetItem");
	assert_int_equal(ev->status, 200);
	assert_int_equal(ev->grpc_status, atoi(t->status));
	assert_int_equal(ev->req_msgs, t->req_msgs);
	assert_int_equal(ev->resp_msgs, t->resp_msgs);
	/* Kept body: the raw message bytes without the 5-byte prefixes. */
	assert_int_equal(ev->body_len, all_len);
	assert_memory_equal(ev->body, all, all_len);
	assert_int_equal(ev->req_body_bytes, all_len + 5u * (unsigned)t->req_msgs);
	if (t->message)
		assert_string_equal(ev->grpc_message, t->message);
	assert_int_equal(ev->flags, 0);
	assert_int_equal(anom_sum(an), 0);
	cap_free(&cap);
	b_free(&b);
}

static void test_grpc_shapes(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(grpc_cases) / sizeof(grpc_cases[0]); i++) {
		print_message("  grpc case %s\n", grpc_cases[i].name);
		run_grpc_case(&grpc_cases[i], 0);
		run_grpc_case(&grpc_cases[i], 1);
		run_grpc_case(&grpc_cases[i], 5);
	}
}

/* ---- mid-stream join ----------------------------------------------------- */

static void test_midstream_dynamic_ref_partial_no_invented_headers(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	const struct sess_event *ev;

	b_init(&b, 1);
	/* Before the join: x-secret enters the client's dynamic table. */
	b_headers(&b, REQ, 1, ES, KV(":method", "GET", ":scheme", "http",
				      ":authority", "m", ":path", "/before",
				      "x-secret", "s3cr3t"));
	b_headers(&b, RESP, 1, ES, KV(":status", "200"));
	b_forget(&b);
	/* After the join: stream 3 refers back to those entries. */
	b_headers(&b, REQ, 3, ES, KV(":method", "GET", ":scheme", "http",
				      ":authority", "m", ":path", "/before",
				      "x-secret", "s3cr3t"));
	b_headers(&b, RESP, 3, ES, KV(":status", "200"));
	/* Stream 5 only has new names/values: certain; stream 7 refers to the
	 * entries stream 5 added after the join: certain too. */
	b_headers(&b, REQ, 5, ES, KV(":method", "DELETE", ":path", "/new/5",
				      "x-new", "fresh-value"));
	b_headers(&b, RESP, 5, ES, KV(":status", "202"));
	b_headers(&b, REQ, 7, ES, KV(":method", "DELETE", ":path", "/new/5",
				      "x-new", "fresh-value"));
	b_headers(&b, RESP, 7, ES, KV(":status", "202"));
	run(&b, &cap, H2_F_MIDSTREAM, 0, an);

	assert_int_equal(cap.n, 3);
	ev = cap_sid(&cap, 3);
	assert_non_null(ev);
	assert_true(ev->flags & SESS_F_PARTIAL);
	assert_null(sess_get_hdr(ev, "x-secret", NULL));
	assert_string_equal(ev->method, "GET"); /* static table: certain */
	assert_int_equal(ev->status, 200);
	ev = cap_sid(&cap, 5);
	assert_non_null(ev);
	assert_false(ev->flags & SESS_F_PARTIAL);
	assert_string_equal(ev->method, "DELETE");
	assert_true(ev_hdr_is(ev, "x-new", "fresh-value"));
	ev = cap_sid(&cap, 7);
	assert_non_null(ev);
	assert_false(ev->flags & SESS_F_PARTIAL);
	assert_string_equal(ev->path, "/new/5");
	assert_true(ev_hdr_is(ev, "x-new", "fresh-value"));
	assert_int_equal(an[H2_ANOM_BAD_HPACK], 0);
	assert_int_equal(an[H2_ANOM_PROTOCOL_ERROR], 0);
	cap_free(&cap);
	b_free(&b);
}

static void test_midstream_implausible_first_frame_drops_direction(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];

	b_init(&b, 0);
	b_raw(&b, REQ, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27);
	b_headers(&b, RESP, 1, ES, KV(":status", "200"));
	run(&b, &cap, H2_F_MIDSTREAM, 0, an);
	assert_int_equal(an[H2_ANOM_PROTOCOL_ERROR], 1);
	/* The server side still decodes; the stream event also carries the
	 * connection-level anomaly. */
	assert_int_equal(cap.n, 1);
	assert_int_equal(cap.ev[0].status, 200);
	assert_true(cap.ev[0].flags & SESS_F_PARTIAL);
	assert_int_equal(ev_anom(&cap.ev[0], "h2.protocol_error"), 1);
	cap_free(&cap);
	b_free(&b);
}

/* ---- anomalies ----------------------------------------------------------- */

static void test_rapid_reset_100_pairs_counted(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint32_t i;

	b_init(&b, 1);
	for (i = 0; i < 100; i++) {
		b_headers(&b, REQ, 1 + 2 * i, ES,
			  KV(":method", "GET", ":scheme", "https", ":authority", "victim",
			     ":path", "/"));
		b_frame(&b, REQ, RST, 0, 1 + 2 * i, "\x00\x00\x00\x08", 4); /* CANCEL */
	}
	run(&b, &cap, 0, 0, an);
	assert_int_equal(an[H2_ANOM_RAPID_RESET], 100);
	assert_int_equal(cap.n, 100);
	for (i = 0; i < 100; i++) {
		assert_int_equal(ev_anom(&cap.ev[i], "h2.rapid_reset"), 1);
		assert_true(cap.ev[i].flags & SESS_F_NO_RESP);
		assert_int_equal(cap.ev[i].status, 0);
	}
	cap_free(&cap);
	b_free(&b);
}

static void test_reset_rate_flood_flagged_once_per_second(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint32_t i;

	b_init(&b, 1);
	for (i = 0; i < 2 * H2_RESETS_PER_SEC; i++) {
		b_headers(&b, REQ, 1 + 2 * i, ES, KV(":method", "GET", ":path", "/"));
		b_frame(&b, REQ, RST, 0, 1 + 2 * i, "\x00\x00\x00\x08", 4);
	}
	run(&b, &cap, 0, 0, an);
	assert_int_equal(an[H2_ANOM_RAPID_RESET], 2 * H2_RESETS_PER_SEC);
	assert_int_equal(an[H2_ANOM_RESET_FLOOD], 1);
	cap_free(&cap);
	b_free(&b);
}

static void test_reset_after_response_is_not_rapid(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];

	b_init(&b, 1);
	b_headers(&b, REQ, 1, ES, KV(":method", "GET", ":path", "/slow"));
	b.ts += 50000000; /* 50 ms later */
	b_headers(&b, RESP, 1, 0, KV(":status", "200"));
	b_frame(&b, REQ, RST, 0, 1, "\x00\x00\x00\x08", 4);
	run(&b, &cap, 0, 0, an);
	assert_int_equal(an[H2_ANOM_RAPID_RESET], 0);
	assert_int_equal(cap.n, 1);
	assert_int_equal(cap.ev[0].status, 200);
	cap_free(&cap);
	b_free(&b);
}

static void test_continuation_flood_counted(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint8_t blk[512];
	size_t n;
	int i;

	b_init(&b, 1);
	n = b_block(&b, REQ, blk, sizeof(blk),
		    KV(":method", "GET", ":scheme", "http", ":authority", "f", ":path", "/f"));
	b_frame(&b, REQ, HEADERS, ES, 1, blk, 1);
	for (i = 0; i < 200; i++)
		b_frame(&b, REQ, CONT, 0, 1, NULL, 0);
	b_frame(&b, REQ, CONT, EH, 1, blk + 1, n - 1);
	b_headers(&b, RESP, 1, ES, KV(":status", "200"));
	run(&b, &cap, 0, 0, an);
	assert_int_equal(an[H2_ANOM_CONTINUATION_FLOOD], 1);
	assert_int_equal(cap.n, 1);
	assert_int_equal(ev_anom(&cap.ev[0], "h2.continuation_flood"), 1);
	/* The block itself was still decoded. */
	assert_string_equal(cap.ev[0].path, "/f");
	cap_free(&cap);
	b_free(&b);
}

static void test_continuation_over_block_cap_breaks_inflater(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint8_t *blk = malloc(200000);
	nghttp2_nv nv[80];
	static uint8_t val[1000];
	char names[80][16];
	size_t n, off;
	ssize_t r;
	int i;

	assert_non_null(blk);
	memset(val, 'v', sizeof(val));
	b_init(&b, 1);
	for (i = 0; i < 80; i++) {
		snprintf(names[i], sizeof(names[i]), "x-pad-%02d", i);
		nv[i] = (nghttp2_nv){ (uint8_t *)names[i], val, strlen(names[i]),
				      sizeof(val), NGHTTP2_NV_FLAG_NO_INDEX };
	}
	r = nghttp2_hd_deflate_hd(b.def[REQ], blk, 200000, nv, 80);
	assert_true(r > (ssize_t)H2_MAX_BLOCK);
	n = (size_t)r;
	b_frame(&b, REQ, HEADERS, ES, 1, blk, 1000);
	for (off = 1000; off < n; off += 1000) {
		size_t k = n - off < 1000 ? n - off : 1000;

		b_frame(&b, REQ, CONT, off + k == n ? EH : 0, 1, blk + off, k);
	}
	b_headers(&b, RESP, 1, ES, KV(":status", "431"));
	b_headers(&b, REQ, 3, ES, KV(":method", "GET", ":path", "/after"));
	b_headers(&b, RESP, 3, ES, KV(":status", "200"));
	run(&b, &cap, 0, 0, an);
	assert_int_equal(an[H2_ANOM_HDR_LIST_OVERSIZE], 1);
	assert_int_equal(an[H2_ANOM_CONTINUATION_FLOOD], 1);
	assert_int_equal(cap.n, 2);
	assert_true(cap.ev[0].flags & SESS_F_PARTIAL);
	/* Later client headers are not decoded by an out-of-sync inflater. */
	assert_true(cap_sid(&cap, 3)->flags & SESS_F_PARTIAL);
	assert_string_equal(cap_sid(&cap, 3)->path, "");
	assert_int_equal(cap_sid(&cap, 3)->status, 200);
	free(blk);
	cap_free(&cap);
	b_free(&b);
}

static void test_control_frame_floods(void **state)
{
	static const struct { const char *name; uint8_t type; size_t len; int anom; uint32_t limit; } t[] = {
		{ "settings", SETTINGS, 0, H2_ANOM_SETTINGS_FLOOD, H2_SETTINGS_PER_SEC },
		{ "ping", PING, 8, H2_ANOM_PING_FLOOD, H2_PING_PER_SEC },
	};
	size_t i;
	uint32_t k;

	for (i = 0; i < 2; i++) {
		struct h2b b;
		struct cap cap = { 0 };
		uint64_t an[H2_ANOM__COUNT];

		b_init(&b, 1);
		/* Exactly the limit in one second (with b_init's SETTINGS): fine. */
		for (k = t[i].type == SETTINGS; k < t[i].limit; k++)
			b_frame(&b, REQ, t[i].type, 0, 0, "\0\0\0\0\0\0\0\0", t[i].len);
		b.ts += 2000000000ull;
		/* Ten times the limit within the next second: one flood. */
		for (k = 0; k < 10 * t[i].limit; k++)
			b_frame(&b, REQ, t[i].type, 0, 0, "\0\0\0\0\0\0\0\0", t[i].len);
		run(&b, &cap, 0, 0, an);
		print_message("  flood %s\n", t[i].name);
		assert_int_equal(an[t[i].anom], 1);
		/* No stream carried it: one connection event at close. */
		assert_int_equal(cap.n, 1);
		assert_int_equal(cap.ev[0].stream_id, 0);
		assert_int_equal(ev_anom(&cap.ev[0], h2_anom_names[t[i].anom]), 1);
		cap_free(&cap);
		b_free(&b);
	}
}

static void test_frame_claiming_16mib_skipped(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	struct sess_sink sink = { cap_emit, &cap };
	struct h2_conn *c = h2_conn_new(&tconn, &sink, 0);
	static uint8_t zeros[65536];
	static const uint8_t big[9] = { 0xff, 0xff, 0xff, DATA, 0, 0, 0, 0, 1 };
	size_t left = 0xffffff;

	b_init(&b, 1);
	b_run(&b, c, 0);
	b_forget(&b);
	b_headers(&b, REQ, 1, 0, KV(":method", "POST", ":scheme", "http",
				     ":authority", "big", ":path", "/upload"));
	b_run(&b, c, 0);
	b_forget(&b);
	h2_feed(c, REQ, big, 9, 5000);
	while (left) {
		size_t k = left < sizeof(zeros) ? left : sizeof(zeros);

		h2_feed(c, REQ, zeros, k, 6000);
		left -= k;
	}
	b_frame(&b, REQ, DATA, ES, 1, "tail", 4);
	b_headers(&b, RESP, 1, ES, KV(":status", "413"));
	b_run(&b, c, 0);
	assert_int_equal(h2_conn_anoms(c)[H2_ANOM_FRAME_OVERSIZE], 1);
	h2_close(c, 9000);
	h2_conn_free(c);
	assert_int_equal(cap.n, 1);
	assert_string_equal(cap.ev[0].path, "/upload");
	assert_int_equal(cap.ev[0].status, 413);
	/* Only the frame after the oversized one counted as body. */
	assert_int_equal(cap.ev[0].req_body_bytes, 4);
	assert_int_equal(ev_anom(&cap.ev[0], "h2.frame_oversize"), 1);
	cap_free(&cap);
	b_free(&b);
}

static void test_garbage_prefaces(void **state)
{
	static const struct { const char *name; const char *bytes; size_t len; int anom; } t[] = {
		{ "garbage_after_preface",
		  "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x13\x37\xde\xad\xbe\xef\x00\x01\x02garbage", 24 + 16,
		  H2_ANOM_PROTOCOL_ERROR },
		{ "http1_instead_of_preface", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27,
		  H2_ANOM_BAD_PREFACE },
		/* a client HEADERS before its SETTINGS is decoded, as nginx
		 * does (test_h2_shape.c) */
	};
	size_t i, chunk;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		for (chunk = 1; chunk <= t[i].len; chunk *= 3) {
			struct cap cap = { 0 };
			struct sess_sink sink = { cap_emit, &cap };
			struct h2_conn *c = h2_conn_new(&tconn, &sink, 0);
			size_t off;

			for (off = 0; off < t[i].len; off += chunk)
				h2_feed(c, REQ, (const uint8_t *)t[i].bytes + off,
					t[i].len - off < chunk ? t[i].len - off : chunk, 1);
			/* more bytes after the direction was dropped: ignored */
			h2_feed(c, REQ, (const uint8_t *)"\0\0\0\0\0\0\0\0\0", 9, 2);
			assert_int_equal(h2_conn_anoms(c)[t[i].anom], 1);
			h2_close(c, 3);
			h2_conn_free(c);
			assert_int_equal(cap.n, 1);
			assert_int_equal(cap.ev[0].stream_id, 0);
			cap_free(&cap);
		}
	}
}

static void test_hpack_bomb_bounded_and_stays_in_sync(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint8_t blk[8192];
	size_t n = 0, i;

	b_init(&b, 1);
	/* Stream 1: literal with incremental indexing, new name "x-big",
	 * 3000-byte value -> dynamic index 62. Static :method GET, :path /,
	 * :scheme http around it. */
	blk[n++] = 0x82;
	blk[n++] = 0x84;
	blk[n++] = 0x86;
	blk[n++] = 0x40;
	blk[n++] = 5;
	memcpy(blk + n, "x-big", 5);
	n += 5;
	blk[n++] = 0x7f; /* 7-bit prefix full: 127 + 2873 = 3000 */
	blk[n++] = (uint8_t)(0x80 | ((3000 - 127) & 0x7f));
	blk[n++] = (uint8_t)((3000 - 127) >> 7);
	memset(blk + n, 'B', 3000);
	n += 3000;
	b_frame(&b, REQ, HEADERS, EH | ES, 1, blk, n);
	b_headers(&b, RESP, 1, ES, KV(":status", "200"));
	/* Stream 3: the bomb, 5000 references to index 62 (~15 MB decoded). */
	n = 0;
	blk[n++] = 0x82;
	blk[n++] = 0x84;
	blk[n++] = 0x86;
	for (i = 0; i < 5000; i++)
		blk[n++] = 0x80 | 62;
	b_frame(&b, REQ, HEADERS, EH | ES, 3, blk, n);
	b_headers(&b, RESP, 3, ES, KV(":status", "431"));
	/* Stream 5: one reference; decodes only if the table stayed in sync. */
	blk[3] = 0x80 | 62;
	b_frame(&b, REQ, HEADERS, EH | ES, 5, blk, 4);
	b_headers(&b, RESP, 5, ES, KV(":status", "200"));
	run(&b, &cap, 0, 0, an);

	assert_int_equal(an[H2_ANOM_HDR_LIST_OVERSIZE], 1);
	assert_int_equal(an[H2_ANOM_BAD_HPACK], 0);
	assert_int_equal(cap.n, 3);
	assert_int_equal(ev_anom(cap_sid(&cap, 3), "h2.hdr_list_oversize"), 1);
	assert_true(cap_sid(&cap, 3)->n_hdrs <= SESS_MAX_HDRS);
	assert_int_equal(cap_sid(&cap, 5)->n_hdrs, 4);
	assert_true(sess_get_hdr(cap_sid(&cap, 5), "x-big", NULL) != NULL);
	assert_false(cap_sid(&cap, 5)->flags & SESS_F_PARTIAL);
	cap_free(&cap);
	b_free(&b);
}

/* A block nghttp2 refuses is lost; the ones after it are read by a fresh
 * inflater (nginx may have read the refused one: test_h2_shape.c). */
static void test_bad_hpack_later_blocks_fresh(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];

	b_init(&b, 1);
	/* Index 200 does not exist in an empty dynamic table. */
	b_frame(&b, REQ, HEADERS, EH | ES, 1, "\x82\xff\x49", 3);
	b_headers(&b, RESP, 1, ES, KV(":status", "400"));
	b_frame(&b, REQ, HEADERS, EH | ES, 3, "\x82\x84", 2);
	b_headers(&b, RESP, 3, ES, KV(":status", "200"));
	run(&b, &cap, 0, 1, an);
	assert_int_equal(an[H2_ANOM_BAD_HPACK], 1);
	assert_int_equal(cap.n, 2);
	assert_int_equal(ev_anom(cap_sid(&cap, 1), "h2.bad_hpack"), 1);
	assert_true(cap_sid(&cap, 1)->flags & SESS_F_PARTIAL);
	assert_false(cap_sid(&cap, 3)->flags & SESS_F_PARTIAL);
	assert_string_equal(cap_sid(&cap, 3)->method, "GET");
	assert_string_equal(cap_sid(&cap, 3)->path, "/");
	assert_int_equal(cap_sid(&cap, 3)->status, 200);
	cap_free(&cap);
	b_free(&b);
}

static void test_frames_on_closed_stream_and_streams_over_max(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	uint64_t an[H2_ANOM__COUNT];
	uint32_t i;

	b_init(&b, 1); /* the server announced MAX_CONCURRENT_STREAMS 100 */
	for (i = 0; i < 101; i++)
		b_headers(&b, REQ, 1 + 2 * i, 0, KV(":method", "POST", ":path", "/m"));
	b_frame(&b, REQ, DATA, ES, 1, "x", 1);
	b_headers(&b, RESP, 1, ES, KV(":status", "200"));
	b_frame(&b, REQ, DATA, 0, 1, "late", 4);          /* stream 1 closed */
	b_frame(&b, REQ, WINUPD, 0, 1, "\0\0\0\1", 4);    /* allowed */
	run(&b, &cap, 0, 0, an);
	assert_int_equal(an[H2_ANOM_STREAMS_OVER_MAX], 1);
	assert_int_equal(ev_anom(cap_sid(&cap, 201), "h2.streams_over_max"), 1);
	assert_int_equal(an[H2_ANOM_FRAME_ON_CLOSED_STREAM], 1);
	assert_int_equal(cap.n, 101);
	cap_free(&cap);
	b_free(&b);
}

static void test_gap_inside_data_keeps_framing(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	struct sess_sink sink = { cap_emit, &cap };
	struct h2_conn *c = h2_conn_new(&tconn, &sink, 0);
	uint8_t msg[64];
	size_t n;

	b_init(&b, 1);
	b_headers(&b, REQ, 1, ES, KV(":method", "POST", ":scheme", "http", ":authority", "g",
				      ":path", "/g.S/M", "content-type", "application/grpc"));
	b_headers(&b, RESP, 1, 0, KV(":status", "200", "content-type", "application/grpc"));
	b_run(&b, c, 0);
	b_forget(&b);
	n = grpc_msg(msg, "0123456789abcdefghij");
	b_frame(&b, RESP, DATA, 0, 1, msg, n);
	b_frame(&b, RESP, DATA, 0, 1, msg, n);
	b_headers(&b, RESP, 1, ES, KV("grpc-status", "0"));
	/* Feed the first DATA frame with 10 bytes of its body missing. */
	h2_feed(c, RESP, b.buf[RESP], 9 + 8, 100);
	h2_gap(c, RESP, 10, 101);
	h2_feed(c, RESP, b.buf[RESP] + 27, b.len[RESP] - 27, 102);
	assert_int_equal(h2_conn_anoms(c)[H2_ANOM_GAP], 1);
	h2_close(c, 200);
	h2_conn_free(c);
	assert_int_equal(cap.n, 1);
	assert_true(cap.ev[0].flags & SESS_F_BODY_GAP);
	assert_int_equal(cap.ev[0].resp_msgs, 2);
	assert_int_equal(cap.ev[0].resp_body_bytes, 2 * n);
	assert_int_equal(cap.ev[0].grpc_status, 0);
	cap_free(&cap);
	b_free(&b);
}

static void test_gap_across_frames_resyncs_at_next_chunk(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	struct sess_sink sink = { cap_emit, &cap };
	struct h2_conn *c = h2_conn_new(&tconn, &sink, 0);
	size_t mark;

	b_init(&b, 1);
	b_headers(&b, REQ, 1, ES, KV(":method", "GET", ":path", "/a", "x-k", "v"));
	b_run(&b, c, 0);
	b_forget(&b);
	b_headers(&b, REQ, 3, ES, KV(":method", "GET", ":path", "/lost"));
	mark = b.len[REQ];
	b_headers(&b, REQ, 5, ES, KV(":method", "GET", ":path", "/after-gap", "x-k", "v"));
	b_headers(&b, RESP, 1, ES, KV(":status", "200"));
	b_headers(&b, RESP, 5, ES, KV(":status", "200"));
	h2_gap(c, REQ, mark, 10); /* stream 3's whole frame lost */
	h2_feed(c, REQ, b.buf[REQ] + mark, b.len[REQ] - mark, 11);
	h2_feed(c, RESP, b.buf[RESP], b.len[RESP], 12);
	h2_close(c, 20);
	assert_int_equal(h2_conn_anoms(c)[H2_ANOM_GAP], 1);
	assert_int_equal(h2_conn_anoms(c)[H2_ANOM_PROTOCOL_ERROR], 0);
	h2_conn_free(c);
	assert_int_equal(cap.n, 2);
	assert_int_equal(cap_sid(&cap, 5)->status, 200);
	/* The static-table method is certain, the dynamic x-k is not. */
	assert_string_equal(cap_sid(&cap, 5)->method, "GET");
	assert_null(sess_get_hdr(cap_sid(&cap, 5), "x-k", NULL));
	assert_true(cap_sid(&cap, 5)->flags & SESS_F_PARTIAL);
	cap_free(&cap);
	b_free(&b);
}

static void test_h2c_upgrade_stream_1(void **state)
{
	struct h2b b;
	struct cap cap = { 0 };
	struct sess_sink sink = { cap_emit, &cap };
	struct sess_event *req1 = malloc(sizeof(*req1));
	struct h2_conn *c;

	assert_non_null(req1);
	sess_event_init(req1, SESS_PROTO_HTTP1, &tconn);
	strcpy(req1->method, "GET");
	strcpy(req1->path, "/up");
	req1->req_ns = 5;
	req1->req_bytes = 120;
	sess_add_hdr(req1, "upgrade", 7, "h2c", 3);
	c = h2_conn_new_upgraded(&tconn, &sink, req1);
	assert_non_null(c);
	b_init(&b, 1);
	b_headers(&b, RESP, 1, 0, KV(":status", "200"));
	b_frame(&b, RESP, DATA, ES, 1, "upgraded", 8);
	b_headers(&b, REQ, 3, ES, KV(":method", "GET", ":path", "/next"));
	b_headers(&b, RESP, 3, ES, KV(":status", "204"));
	b_run(&b, c, 0);
	h2_close(c, b.ts);
	assert_int_equal(anom_sum(h2_conn_anoms(c)), 0);
	h2_conn_free(c);
	assert_int_equal(cap.n, 2);
	assert_int_equal(cap.ev[0].stream_id, 1);
	assert_int_equal(cap.ev[0].proto, SESS_PROTO_HTTP2);
	assert_string_equal(cap.ev[0].path, "/up");
	assert_int_equal(cap.ev[0].status, 200);
	assert_int_equal(cap.ev[0].resp_body_bytes, 8);
	assert_int_equal(cap.ev[0].req_bytes, 120);
	assert_true(cap.ev[0].flags & SESS_F_UPGRADE);
	assert_true(ev_hdr_is(&cap.ev[0], "upgrade", "h2c"));
	assert_string_equal(cap.ev[1].path, "/next");
	free(req1);
	cap_free(&cap);
	b_free(&b);
}

static void test_preface_detection_and_totals(void **state)
{
	uint64_t tot[H2_ANOM__COUNT];
	int k;

	assert_true(h2_is_preface((const uint8_t *)"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24));
	assert_true(h2_is_preface((const uint8_t *)"PRI * HT", 8));
	assert_true(h2_is_preface((const uint8_t *)"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0", 26));
	assert_false(h2_is_preface((const uint8_t *)"PRI * HTTP/1.1", 14));
	assert_false(h2_is_preface((const uint8_t *)"GET /", 5));
	assert_false(h2_is_preface((const uint8_t *)"", 0));
	for (k = 0; k < H2_ANOM__COUNT; k++)
		assert_non_null(h2_anom_names[k]);
	h2_totals(tot);
	assert_true(tot[H2_ANOM_RAPID_RESET] >= 100); /* earlier tests ran */
	h2_conn_free(NULL);
	h2_close(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_200_with_data),
		cmocka_unit_test(test_query_past_the_bound_is_judged),
		cmocka_unit_test(test_get_split_at_every_offset),
		cmocka_unit_test(test_three_interleaved_streams),
		cmocka_unit_test(test_hpack_dynamic_table_20_requests),
		cmocka_unit_test(test_continuation_split_header_block),
		cmocka_unit_test(test_padded_data_and_headers),
		cmocka_unit_test(test_padding_longer_than_frame_is_protocol_error),
		cmocka_unit_test(test_response_trailers),
		cmocka_unit_test(test_grpc_shapes),
		cmocka_unit_test(test_midstream_dynamic_ref_partial_no_invented_headers),
		cmocka_unit_test(test_midstream_implausible_first_frame_drops_direction),
		cmocka_unit_test(test_rapid_reset_100_pairs_counted),
		cmocka_unit_test(test_reset_rate_flood_flagged_once_per_second),
		cmocka_unit_test(test_reset_after_response_is_not_rapid),
		cmocka_unit_test(test_continuation_flood_counted),
		cmocka_unit_test(test_continuation_over_block_cap_breaks_inflater),
		cmocka_unit_test(test_control_frame_floods),
		cmocka_unit_test(test_frame_claiming_16mib_skipped),
		cmocka_unit_test(test_garbage_prefaces),
		cmocka_unit_test(test_hpack_bomb_bounded_and_stays_in_sync),
		cmocka_unit_test(test_bad_hpack_later_blocks_fresh),
		cmocka_unit_test(test_frames_on_closed_stream_and_streams_over_max),
		cmocka_unit_test(test_gap_inside_data_keeps_framing),
		cmocka_unit_test(test_gap_across_frames_resyncs_at_next_chunk),
		cmocka_unit_test(test_h2c_upgrade_stream_1),
		cmocka_unit_test(test_preface_detection_and_totals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
