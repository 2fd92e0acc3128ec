/* test_h2_shape.c - HTTP/2 request shapes nginx 1.22 serves that the
 * decoder must read as nginx does (tests/integration/h2_evasion.sh sends
 * them to a real nginx): client frames before its SETTINGS, HPACK dynamic
 * table size updates inside a block, frames longer than 16384 bytes before
 * the server's SETTINGS said how long they may be. Blocks are built by hand
 * (RFC 7541 literals without indexing) so each byte is known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/decode/h2.h"
#include "collector/decode/h2_frame.h"
#include "collector/decode/sess.h"

enum { DATA, HEADERS, PRIORITY, RST, SETTINGS, PUSH, PING, GOAWAY, WINUPD, CONT };
#define ES 0x01
#define EH 0x04
#define REQ SESS_DIR_REQ
#define RESP SESS_DIR_RESP

struct cap {
	struct sess_event ev[8];
	size_t n;
	size_t judged; /* request sink calls */
	int judged_sqli; /* a judged event's query or body held "UNION" */
};

static void cap_emit(void *ctx, const struct sess_event *ev)
{
	struct cap *c = ctx;

	if (c->n < 8)
		c->ev[c->n++] = *ev;
}

static void cap_request(void *ctx, const struct sess_event *ev)
{
	struct cap *c = ctx;

	c->judged++;
	if (strstr(ev->query, "UNION") ||
	    (ev->body_len && memmem(ev->body, ev->body_len, "UNION", 5)))
		c->judged_sqli = 1;
}

static const struct sess_event *cap_sid(const struct cap *c, uint32_t sid)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->ev[i].stream_id == sid)
			return &c->ev[i];
	return NULL;
}

/* ---- bytes -------------------------------------------------------------- */

struct buf {
	uint8_t b[65536];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void put_frame(struct buf *b, uint8_t type, uint8_t flags, uint32_t sid,
		      const void *p, size_t n)
{
	uint8_t h[9];

	h2_frame_hdr_write(h, (uint32_t)n, type, flags, sid);
	put(b, h, 9);
	if (n)
		put(b, p, n);
}

/* literal without indexing, new name; lengths under 127 or a 2-byte
 * length up to 127 + 16383 */
static void put_lit(struct buf *b, const char *name, const char *val, size_t vlen)
{
	uint8_t h[4];
	size_t nl = strlen(name);

	h[0] = 0;
	h[1] = (uint8_t)nl;
	put(b, h, 2);
	put(b, name, nl);
	if (vlen < 127) {
		h[0] = (uint8_t)vlen;
		put(b, h, 1);
	} else {
		size_t r = vlen - 127;

		assert_true(r < 16384);
		h[0] = 127;
		h[1] = (uint8_t)(0x80 | (r & 0x7f));
		h[2] = (uint8_t)(r >> 7);
		put(b, h, 3);
	}
	put(b, val, vlen);
}

static void put_str(struct buf *b, const char *name, const char *val)
{
	put_lit(b, name, val, strlen(val));
}

#define SQLI_Q "id=1'%20UNION%20SELECT%20password%20FROM%20users--"

static void get_block(struct buf *b, const char *path)
{
	put_str(b, ":method", "GET");
	put_str(b, ":scheme", "http");
	put_str(b, ":path", path);
	put_str(b, ":authority", "127.0.0.1");
}

static const char preface[] = H2_PREFACE;

/* Feed the request bytes (in chunks of chunk, 0: whole), then the server's
 * SETTINGS and a 200 on each of the given streams, then close. */
static void run(const struct buf *req, size_t chunk, const uint32_t *sids, size_t nsid,
		struct cap *cap, uint64_t *anoms)
{
	struct sess_sink sink = { .emit = cap_emit, .request = cap_request, .ctx = cap };
	static const struct sess_conn conn = { .cookie = 7, .open_ns = 1 };
	struct h2_conn *c = h2_conn_new(&conn, &sink, 0);
	struct buf *resp = calloc(1, sizeof(*resp));
	static const uint8_t st200 = 0x88;

	assert_non_null(c);
	assert_non_null(resp);
	for (size_t off = 0; off < req->n;) {
		size_t k = chunk && req->n - off > chunk ? chunk : req->n - off;

		h2_feed(c, REQ, req->b + off, k, 1000 + off);
		off += k;
	}
	put_frame(resp, SETTINGS, 0, 0, "\x00\x05\x00\xff\xff\xff", 6);
	for (size_t i = 0; i < nsid; i++)
		put_frame(resp, HEADERS, ES | EH, sids[i], &st200, 1);
	h2_feed(c, RESP, resp->b, resp->n, 900000);
	if (anoms)
		memcpy(anoms, h2_conn_anoms(c), sizeof(uint64_t) * H2_ANOM__COUNT);
	h2_close(c, 1000000);
	h2_conn_free(c);
	free(resp);
}

/* ---- the client's first frame ------------------------------------------- */

/* nginx reads any frame after the preface: RFC 9113 3.4's SETTINGS first
 * is counted when missing (h2.protocol_error), the request still decoded. */
static void test_client_frames_before_settings(void **state)
{
	static const char *const shapes[] = { "none", "late", "ack", "winupd", "ping",
					      "unknown", "priority" };
	(void)state;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct buf *b = calloc(1, sizeof(*b));
		struct buf blk = { .n = 0 };
		struct cap cap = { .n = 0 };
		uint64_t an[H2_ANOM__COUNT];
		const uint32_t one = 1;
		const struct sess_event *ev;

		assert_non_null(b);
		put(b, preface, H2_PREFACE_LEN);
		if (!strcmp(shapes[i], "ack"))
			put_frame(b, SETTINGS, 1, 0, NULL, 0);
		else if (!strcmp(shapes[i], "winupd"))
			put_frame(b, WINUPD, 0, 0, "\0\0\x03\xe8", 4);
		else if (!strcmp(shapes[i], "ping"))
			put_frame(b, PING, 0, 0, "12345678", 8);
		else if (!strcmp(shapes[i], "unknown"))
			put_frame(b, 0x20, 0, 0, "xyz", 3);
		else if (!strcmp(shapes[i], "priority"))
			put_frame(b, PRIORITY, 0, 1, "\0\0\0\0\x0f", 5);
		get_block(&blk, "/api/first?" SQLI_Q);
		put_frame(b, HEADERS, ES | EH, 1, blk.b, blk.n);
		if (strcmp(shapes[i], "none") && strcmp(shapes[i], "late"))
			put_frame(b, SETTINGS, 0, 0, NULL, 0);
		if (!strcmp(shapes[i], "late"))
			put_frame(b, SETTINGS, 0, 0, NULL, 0);
		for (size_t chunk = 0; chunk <= 7; chunk += 7) {
			memset(&cap, 0, sizeof(cap));
			run(b, chunk, &one, 1, &cap, an);
			ev = cap_sid(&cap, 1);
			if (!ev || strcmp(ev->path, "/api/first") != 0 || !cap.judged_sqli)
				fail_msg("first frame %s (chunk %zu): request not decoded", shapes[i], chunk);
			assert_int_equal(ev->status, 200);
			assert_int_equal(an[H2_ANOM_PROTOCOL_ERROR], 1);
		}
		free(b);
	}
}

/* A server's first frame is still SETTINGS or nothing: it has no preface
 * telling us this is HTTP/2. */
static void test_server_first_frame_still_checked(void **state)
{
	struct sess_sink sink = { 0 };
	static const struct sess_conn conn = { .cookie = 8 };
	struct h2_conn *c = h2_conn_new(&conn, &sink, 0);
	struct buf b = { .n = 0 };

	(void)state;
	put_frame(&b, PING, 0, 0, "12345678", 8);
	h2_feed(c, RESP, b.b, b.n, 1);
	assert_int_equal(h2_conn_anoms(c)[H2_ANOM_PROTOCOL_ERROR], 1);
	h2_conn_free(c);
}

/* ---- HPACK dynamic table size updates ----------------------------------- */

/* RFC 7541 4.2 puts a size update at the start of a block; nginx applies
 * one anywhere (between fields), and the fields after it are the request:
 * stream 1 with an update after :method, after the last field, and one cut
 * over the HEADERS/CONTINUATION boundary; stream 3 after it decodes too. */
static void test_size_update_inside_block(void **state)
{
	static const uint8_t upd4096[] = { 0x3f, 0xe1, 0x1f };
	static const uint8_t upd0[] = { 0x20 };
	(void)state;
	for (int shape = 0; shape < 4; shape++) {
		struct buf *b = calloc(1, sizeof(*b));
		struct buf blk = { .n = 0 }, blk3 = { .n = 0 };
		struct cap cap = { .n = 0 };
		uint64_t an[H2_ANOM__COUNT];
		const uint32_t sids[2] = { 1, 3 };
		size_t cut;

		assert_non_null(b);
		put_str(&blk, ":method", "GET");
		cut = blk.n;
		if (shape == 3)
			put(&blk, upd0, 1);
		put(&blk, upd4096, 3);
		put_str(&blk, ":scheme", "http");
		put_str(&blk, ":path", "/api/upd?" SQLI_Q);
		put_str(&blk, ":authority", "127.0.0.1");
		if (shape == 1)
			put(&blk, upd4096, 3);
		put(b, preface, H2_PREFACE_LEN);
		put_frame(b, SETTINGS, 0, 0, NULL, 0);
		if (shape == 2) {
			/* the update's first byte ends HEADERS */
			put_frame(b, HEADERS, ES, 1, blk.b, cut + 1);
			put_frame(b, CONT, EH, 1, blk.b + cut + 1, blk.n - cut - 1);
		} else {
			put_frame(b, HEADERS, ES | EH, 1, blk.b, blk.n);
		}
		get_block(&blk3, "/api/after");
		put_frame(b, HEADERS, ES | EH, 3, blk3.b, blk3.n);
		for (size_t chunk = 0; chunk <= 1; chunk++) {
			memset(&cap, 0, sizeof(cap));
			run(b, chunk, sids, 2, &cap, an);
			if (!cap_sid(&cap, 1) || strcmp(cap_sid(&cap, 1)->path, "/api/upd") != 0 ||
			    !cap.judged_sqli)
				fail_msg("size update shape %d (chunk %zu): stream 1 not decoded", shape, chunk);
			assert_non_null(cap_sid(&cap, 3));
			assert_string_equal(cap_sid(&cap, 3)->path, "/api/after");
			assert_int_equal(an[H2_ANOM_BAD_HPACK], 0);
			assert_int_equal(cap_sid(&cap, 1)->flags & SESS_F_PARTIAL, 0);
		}
		free(b);
	}
}

/* ---- frames past 16384 bytes -------------------------------------------- */

/* Before the server's SETTINGS (nginx announces 2^24-1 and reads longer
 * frames at once) a long frame is counted and still decoded. */
static void test_long_frames_before_server_settings(void **state)
{
	struct buf *b = calloc(1, sizeof(*b)), *body = calloc(1, sizeof(*body));
	struct buf blk = { .n = 0 };
	struct cap cap = { .n = 0 };
	uint64_t an[H2_ANOM__COUNT];
	const uint32_t sids[2] = { 1, 3 };
	static char pad[17000];

	(void)state;
	assert_non_null(b);
	assert_non_null(body);
	memset(pad, 'a', sizeof(pad));
	put(b, preface, H2_PREFACE_LEN);
	put_frame(b, SETTINGS, 0, 0, NULL, 0);
	/* HEADERS of 17000+ bytes */
	get_block(&blk, "/api/bighdr?" SQLI_Q);
	put_lit(&blk, "x-pad", pad, 16000);
	put_lit(&blk, "y-pad", pad, 1000);
	put_frame(b, HEADERS, ES | EH, 1, blk.b, blk.n);
	/* a POST whose one DATA frame is 17000+ bytes */
	blk.n = 0;
	put_str(&blk, ":method", "POST");
	put_str(&blk, ":scheme", "http");
	put_str(&blk, ":path", "/api/bigdata");
	put_str(&blk, ":authority", "127.0.0.1");
	put_frame(b, HEADERS, EH, 3, blk.b, blk.n);
	put(body, "q=1' UNION SELECT password FROM users--&p=", 42);
	put(body, pad, sizeof(pad));
	put_frame(b, DATA, ES, 3, body->b, body->n);
	run(b, 0, sids, 2, &cap, an);
	assert_int_equal(an[H2_ANOM_FRAME_OVERSIZE], 2);
	assert_non_null(cap_sid(&cap, 1));
	assert_string_equal(cap_sid(&cap, 1)->path, "/api/bighdr");
	assert_non_null(cap_sid(&cap, 3));
	assert_int_equal(cap_sid(&cap, 3)->req_body_bytes, body->n);
	assert_true(cap.judged_sqli);
	free(b);
	free(body);
}

/* After the server's SETTINGS allowed only the default 16384, a longer
 * frame is still skipped (the server refuses it). */
static void test_long_frame_after_default_settings_skipped(void **state)
{
	struct sess_sink sink = { .emit = cap_emit, .request = cap_request };
	static const struct sess_conn conn = { .cookie = 9, .open_ns = 1 };
	struct cap cap = { .n = 0 };
	struct h2_conn *c;
	struct buf *b = calloc(1, sizeof(*b)), blk = { .n = 0 };
	static char big[17000];

	(void)state;
	sink.ctx = &cap;
	c = h2_conn_new(&conn, &sink, 0);
	assert_non_null(b);
	put(b, preface, H2_PREFACE_LEN);
	put_frame(b, SETTINGS, 0, 0, NULL, 0);
	h2_feed(c, REQ, b->b, b->n, 1);
	b->n = 0;
	put_frame(b, SETTINGS, 0, 0, NULL, 0);
	h2_feed(c, RESP, b->b, b->n, 2);
	b->n = 0;
	get_block(&blk, "/api/x");
	put_frame(b, HEADERS, EH, 1, blk.b, blk.n);
	memset(big, 'a', sizeof(big));
	put_frame(b, DATA, ES, 1, big, sizeof(big));
	h2_feed(c, REQ, b->b, b->n, 3);
	assert_int_equal(h2_conn_anoms(c)[H2_ANOM_FRAME_OVERSIZE], 1);
	h2_close(c, 4);
	h2_conn_free(c);
	assert_non_null(cap_sid(&cap, 1));
	assert_int_equal(cap_sid(&cap, 1)->req_body_bytes, 0);
	free(b);
}

/* ---- where the path ends ------------------------------------------------ */

/* nginx's $uri ends at '#' as at '?': "/api/hash#f?id=..." runs /api/ for
 * "/api/hash". The path is nginx's; what follows is still judged as the
 * query (proxy_pass forwards it). */
static void test_path_ends_at_hash(void **state)
{
	static const struct { const char *path, *want_path, *want_query; } t[] = {
		{ "/api/hash#f?" SQLI_Q, "/api/hash", "f?" SQLI_Q },
		{ "/api/q?" SQLI_Q "#frag", "/api/q", SQLI_Q "#frag" },
		{ "/api/only#frag", "/api/only", "frag" },
		{ "/api/plain?a=1", "/api/plain", "a=1" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct buf *b = calloc(1, sizeof(*b));
		struct buf blk = { .n = 0 };
		struct cap cap = { .n = 0 };
		const uint32_t one = 1;

		assert_non_null(b);
		put(b, preface, H2_PREFACE_LEN);
		put_frame(b, SETTINGS, 0, 0, NULL, 0);
		get_block(&blk, t[i].path);
		put_frame(b, HEADERS, ES | EH, 1, blk.b, blk.n);
		run(b, 0, &one, 1, &cap, NULL);
		assert_non_null(cap_sid(&cap, 1));
		assert_string_equal(cap_sid(&cap, 1)->path, t[i].want_path);
		assert_string_equal(cap_sid(&cap, 1)->query, t[i].want_query);
		free(b);
	}
}

/* ---- HPACK nghttp2 refuses and nginx reads -------------------------------- */

/* A Huffman string padded with a whole 0xff byte past its last code: RFC
 * 7541 5.2 calls padding over 7 bits an error and nghttp2 fails the block;
 * nginx 1.22 decodes it and serves the stream. The blocks after it are
 * read with a fresh inflater (what the lost block inserted is unknown:
 * references to it fail, literals and the static table are exact), not
 * given up: stream 3's request is decoded and judged. */
static void test_huffman_overpadded_then_request(void **state)
{
	/* "aaaaaaaa": 8 x 00011, 40 bits = 5 bytes, then 8 bits of ones */
	static const uint8_t field[] = { 0x00, 0x03, 'x', '-', 'h', 0x86,
					 0x18, 0xc6, 0x31, 0x8c, 0x63, 0xff };
	struct buf *b = calloc(1, sizeof(*b));
	struct buf blk = { .n = 0 };
	struct cap cap = { .n = 0 };
	uint64_t an[H2_ANOM__COUNT];
	const uint32_t sids[2] = { 1, 3 };

	(void)state;
	assert_non_null(b);
	put(b, preface, H2_PREFACE_LEN);
	put_frame(b, SETTINGS, 0, 0, NULL, 0);
	get_block(&blk, "/api/warm");
	put(&blk, field, sizeof(field));
	put_frame(b, HEADERS, ES | EH, 1, blk.b, blk.n);
	blk.n = 0;
	get_block(&blk, "/api/next?" SQLI_Q);
	put_frame(b, HEADERS, ES | EH, 3, blk.b, blk.n);
	run(b, 0, sids, 2, &cap, an);
	assert_int_equal(an[H2_ANOM_BAD_HPACK], 1);
	assert_non_null(cap_sid(&cap, 1));
	assert_string_equal(cap_sid(&cap, 1)->path, "/api/warm");
	assert_non_null(cap_sid(&cap, 3));
	assert_string_equal(cap_sid(&cap, 3)->path, "/api/next");
	assert_true(cap.judged_sqli);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_frames_before_settings),
		cmocka_unit_test(test_server_first_frame_still_checked),
		cmocka_unit_test(test_size_update_inside_block),
		cmocka_unit_test(test_long_frames_before_server_settings),
		cmocka_unit_test(test_long_frame_after_default_settings_skipped),
		cmocka_unit_test(test_path_ends_at_hash),
		cmocka_unit_test(test_huffman_overpadded_then_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
