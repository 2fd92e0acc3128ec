/* test_coded_decode.c - the decoders record a request's Content-Encoding
 * and the body reader decodes what they hand over: HTTP/1 (the header
 * after 60 others, past the 48 an event keeps, still counts; a chunked
 * trailer naming a coding does not change how the body reads) and HTTP/2
 * (a body arriving after its HEADERS, judged in windows from its first
 * byte). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "collector/decode/h1.h"
#include "collector/decode/h2.h"
#include "collector/decode/sess.h"
#include "collector/detect/reqbody.h"
#include "h2_build.h"

#define SQLI_JSON "{\"user\":\"bob\",\"q\":\"1' OR '1'='1' -- \"}"

struct seen {
	int requests, coded, body0, sqli, unjudged;
	uint8_t coding;
	char name[SESS_MAX_CODING];
};

static void merge(void *ctx, const struct payload_match *m, int n, const char *where)
{
	struct seen *s = ctx;

	for (int i = 0; i < n; i++)
		s->sqli += m[i].kind == PAYLOAD_SQLI;
}

static void unjudged(void *ctx, const char *anom, const char *why)
{
	((struct seen *)ctx)->unjudged++;
}

static void on_request(void *ctx, const struct sess_event *ev)
{
	struct seen *s = ctx;
	struct reqbody_sink b = { merge, s, unjudged };

	s->requests++;
	s->coding = ev->req_coding;
	snprintf(s->name, sizeof(s->name), "%s", ev->req_coding_name);
	s->coded += ev->req_coding != SESS_CODING_NONE;
	s->body0 += (ev->flags & SESS_F_WIN_BODY0) != 0;
	reqbody_scan(ev, &b);
}

static void on_emit(void *ctx, const struct sess_event *ev)
{
}

static size_t gz(const char *text, uint8_t *o, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = o;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return z.total_out;
}

static struct sess_conn conn;

static void h1_run(const uint8_t *req, size_t n, struct seen *s)
{
	struct sess_sink sink = { on_emit, s, on_request };
	struct h1_conn *c = h1_conn_new(&conn, &sink);

	assert_non_null(c);
	memset(s, 0, sizeof(*s));
	assert_int_equal(h1_feed(c, SESS_DIR_REQ, req, n, 1000), n);
	h1_conn_free(c);
}

static void h1_coding_header(void **state)
{
	static uint8_t req[8192];
	uint8_t z[256];
	size_t zn = gz(SQLI_JSON, z, sizeof(z)), n;
	struct seen s;

	(void)state;
	n = (size_t)snprintf((char *)req, sizeof(req),
			     "POST /api/search HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
			     "Content-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n", zn);
	memcpy(req + n, z, zn);
	h1_run(req, n + zn, &s);
	assert_int_equal(s.requests, 1);
	assert_int_equal(s.coding, SESS_CODING_GZIP);
	assert_string_equal(s.name, "gzip");
	assert_true(s.sqli > 0);
	/* after 60 other headers: past the event's 48, still the coding */
	n = (size_t)snprintf((char *)req, sizeof(req), "POST /api/search HTTP/1.1\r\nHost: a\r\n");
	for (int i = 0; i < 60; i++)
		n += (size_t)snprintf((char *)req + n, sizeof(req) - n, "X-Pad-%d: v\r\n", i);
	n += (size_t)snprintf((char *)req + n, sizeof(req) - n,
			      "Content-Type: application/json\r\nContent-Encoding: GZip\r\n"
			      "Content-Length: %zu\r\n\r\n", zn);
	memcpy(req + n, z, zn);
	h1_run(req, n + zn, &s);
	assert_int_equal(s.coding, SESS_CODING_GZIP);
	assert_true(s.sqli > 0);
}

static void h1_trailer_is_not_a_coding(void **state)
{
	static const char req[] =
		"POST /api/search HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
		"Transfer-Encoding: chunked\r\n\r\n"
		"26\r\n" SQLI_JSON "\r\n0\r\nContent-Encoding: gzip\r\n\r\n";
	struct seen s;

	(void)state;
	assert_int_equal(strlen(SQLI_JSON), 0x26);
	h1_run((const uint8_t *)req, strlen(req), &s);
	assert_int_equal(s.requests, 1);
	assert_int_equal(s.coding, SESS_CODING_NONE);
	assert_true(s.sqli > 0);
	assert_int_equal(s.unjudged, 0);
}

static size_t frame(uint8_t *p, uint8_t type, uint8_t flags, uint32_t sid,
		    const void *payload, size_t n)
{
	p[0] = (uint8_t)(n >> 16);
	p[1] = (uint8_t)(n >> 8);
	p[2] = (uint8_t)n;
	p[3] = type;
	p[4] = flags;
	p[5] = (uint8_t)(sid >> 24);
	p[6] = (uint8_t)(sid >> 16);
	p[7] = (uint8_t)(sid >> 8);
	p[8] = (uint8_t)sid;
	memcpy(p + 9, payload, n);
	return 9 + n;
}

static void h2_body_after_headers(void **state)
{
	static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	uint8_t buf[2048], hb[512], z[256];
	size_t n = 0, h = 0, zn = gz(SQLI_JSON, z, sizeof(z));
	struct seen s;
	struct sess_sink sink = { on_emit, &s, on_request };
	struct h2_conn *c = h2_conn_new(&conn, &sink, 0);

	(void)state;
	assert_non_null(c);
	memset(&s, 0, sizeof(s));
	memcpy(buf, preface, strlen(preface));
	n = strlen(preface);
	n += frame(buf + n, 4, 0, 0, "", 0); /* SETTINGS */
	h += h2b_lit(hb + h, ":method", "POST");
	h += h2b_lit(hb + h, ":scheme", "http");
	h += h2b_lit(hb + h, ":path", "/api/search");
	h += h2b_lit(hb + h, ":authority", "a");
	h += h2b_lit(hb + h, "content-type", "application/json");
	h += h2b_lit(hb + h, "content-encoding", "gzip");
	n += frame(buf + n, 1, 4, 1, hb, h); /* HEADERS, END_HEADERS */
	h2_feed(c, SESS_DIR_REQ, buf, n, 1000);
	/* the body in two DATA frames, the second ending the stream */
	n = frame(buf, 0, 0, 1, z, zn / 2);
	h2_feed(c, SESS_DIR_REQ, buf, n, 2000);
	n = frame(buf, 0, 1, 1, z + zn / 2, zn - zn / 2);
	h2_feed(c, SESS_DIR_REQ, buf, n, 3000);
	h2_close(c, 4000);
	h2_conn_free(c);
	assert_true(s.requests >= 2);
	assert_true(s.coded >= 2);
	assert_true(s.body0 >= 1);
	assert_true(s.sqli > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(h1_coding_header),
		cmocka_unit_test(h1_trailer_is_not_a_coding),
		cmocka_unit_test(h2_body_after_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
