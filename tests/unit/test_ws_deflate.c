/* test_ws_deflate.c - permessage-deflate (RFC 7692) client messages are
 * decoded and judged as plain ones are (ws.h, ws_infl.h): zlib compresses
 * as a peer does (one raw stream, each message sync-flushed and its
 * 00 00 ff ff tail stripped, RSV1 on its first frame), with and without
 * context takeover and at small windows; what cannot be decoded counts
 * ws.coded_unjudged, message by message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <zlib.h>

#include "collector/decode/sess.h"
#include "collector/decode/ws.h"
#include "collector/decode/ws_infl.h"

#define MS 1000000ull
#define SEC 1000000000ull
#define T0 (5 * SEC)

struct judged {
	int n;
	uint32_t len[16];
	char body[16][SESS_MAX_BODY + 1];
};

static void on_request(void *ctx, const struct sess_event *e)
{
	struct judged *j = ctx;

	if (j->n < 16) {
		j->len[j->n] = e->body_len;
		memcpy(j->body[j->n], e->body, e->body_len);
		j->body[j->n][e->body_len] = '\0';
	}
	j->n++;
}

static void on_emit(void *ctx, const struct sess_event *e)
{
	(void)ctx;
	(void)e;
}

static const struct sess_conn conn = { .cookie = 9, .family = 2 };
static const uint8_t mask[4] = { 0x37, 0xfa, 0x21, 0x3d };

/* One masked client frame (b0: FIN, RSV1 and opcode) at *off in buf. */
static void frame(uint8_t *buf, size_t *off, uint8_t b0, const uint8_t *p, size_t n)
{
	uint8_t *o = buf + *off;
	size_t h = 0, i;

	o[h++] = b0;
	if (n > 0xFFFF) {
		o[h++] = 0x80 | 127;
		for (i = 0; i < 8; i++)
			o[h++] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
	} else if (n > 125) {
		o[h++] = 0x80 | 126;
		o[h++] = (uint8_t)(n >> 8);
		o[h++] = (uint8_t)n;
	} else {
		o[h++] = (uint8_t)(0x80 | n);
	}
	memcpy(o + h, mask, 4);
	h += 4;
	for (i = 0; i < n; i++)
		o[h + i] = p[i] ^ mask[i & 3];
	*off += h + n;
}

/* The client's compressor: one raw DEFLATE stream for the connection. */
static void z_open(z_stream *z, int wbits)
{
	memset(z, 0, sizeof(*z));
	assert_int_equal(deflateInit2(z, 6, Z_DEFLATED, -wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
}

/* m compressed as a message: sync flush, tail stripped. */
static size_t z_msg(z_stream *z, const char *m, size_t mlen, uint8_t *out, size_t cap)
{
	size_t n;

	z->next_in = (Bytef *)m;
	z->avail_in = (uInt)mlen;
	z->next_out = out;
	z->avail_out = (uInt)cap;
	assert_int_equal(deflate(z, Z_SYNC_FLUSH), Z_OK);
	assert_int_equal(z->avail_in, 0);
	n = cap - z->avail_out;
	assert_true(n >= 4 && !memcmp(out + n - 4, "\x00\x00\xff\xff", 4));
	return n - 4;
}

static struct ws_conn *open_ws(struct judged *j, const char *ext, const struct ws_config *cfg)
{
	struct sess_sink sink = { .emit = on_emit, .ctx = j, .request = on_request };
	struct ws_handshake hs = { .path = "/chat", .authority = "example.com",
				   .key = "dGhlIHNhbXBsZSBub25jZQ==",
				   .accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
				   .extensions = ext, .req_ns = T0 - MS, .resp_ns = T0 };
	struct ws_conn *c;

	memset(j, 0, sizeof(*j));
	c = ws_conn_new(&conn, &sink, cfg, &hs);
	assert_non_null(c);
	return c;
}

static const char *const msgs[4] = {
	"{\"op\":\"search\",\"q\":\"weather in lisbon today\"}",
	"{\"op\":\"search\",\"q\":\"1' OR 1=1-- \"}",
	"{\"op\":\"search\",\"q\":\"weather in lisbon tomorrow\"}",
	"{\"op\":\"search\",\"q\":\"<script>alert(document.cookie)</script>\"}",
};

static uint64_t coded(struct ws_conn *c)
{
	return ws_conn_anoms(c)[WS_ANOM_CODED_UNJUDGED];
}

/* Four messages on one stream, later ones referring back into earlier
 * ones, fed in chunks of 1 to 7 bytes, the second split over three
 * frames (RSV1 on the first only): each judged as its plain text, at
 * windows of 2^9 to 2^15 as agreed; no RSV or UTF-8 anomaly. */
static void test_context_takeover(void **state)
{
	static const char *const ext[3] = {
		"permessage-deflate; client_max_window_bits=9",
		"permessage-deflate;client_max_window_bits=\"12\"; server_max_window_bits=12",
		"permessage-deflate",
	};
	static const int wbits[3] = { 9, 12, 15 };
	struct judged *j = malloc(sizeof(*j));
	uint8_t comp[512], buf[1024];

	(void)state;
	for (int e = 0; e < 3; e++) {
		for (size_t chunk = 1; chunk <= 7; chunk++) {
			struct ws_conn *c = open_ws(j, ext[e], NULL);
			z_stream z;

			z_open(&z, wbits[e]);
			for (int i = 0; i < 4; i++) {
				size_t n = z_msg(&z, msgs[i], strlen(msgs[i]), comp, sizeof(comp));
				size_t len = 0;

				if (i == 1 && n >= 3) {
					frame(buf, &len, 0x41, comp, 1);
					frame(buf, &len, 0x00, comp + 1, 1);
					frame(buf, &len, 0x80, comp + 2, n - 2);
				} else {
					frame(buf, &len, 0xc1, comp, n);
				}
				if (i == 2) /* mostly message 0 again */
					assert_true(n < strlen(msgs[i]) / 2);
				for (size_t o = 0; o < len; o += chunk)
					ws_feed(c, SESS_DIR_REQ, buf + o,
						len - o < chunk ? len - o : chunk,
						T0 + (uint64_t)(i + 1) * MS);
				assert_int_equal(j->n, i + 1);
				assert_string_equal(j->body[i], msgs[i]);
			}
			deflateEnd(&z);
			assert_int_equal(coded(c), 0);
			assert_int_equal(ws_conn_anoms(c)[WS_ANOM_RSV_BITS], 0);
			assert_int_equal(ws_conn_anoms(c)[WS_ANOM_INVALID_UTF8], 0);
			ws_conn_free(c);
		}
	}
	assert_int_equal(ws_infl_windows(), 0);
	free(j);
}

/* client_no_context_takeover: each message a stream of its own; a
 * binary message on the stream is decoded (the window stays right) but
 * not judged; an uncompressed message between compressed ones is read
 * as it is. */
static void test_no_takeover_and_binary(void **state)
{
	struct judged *j = malloc(sizeof(*j));
	uint8_t comp[512], buf[1024];
	struct ws_conn *c;
	z_stream z;
	size_t n, len;

	(void)state;
	c = open_ws(j, "permessage-deflate; client_no_context_takeover; client_max_window_bits=10",
		    NULL);
	for (int i = 0; i < 4; i++) {
		z_open(&z, 10);
		n = z_msg(&z, msgs[i], strlen(msgs[i]), comp, sizeof(comp));
		deflateEnd(&z);
		len = 0;
		frame(buf, &len, 0xc1, comp, n);
		ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
		assert_int_equal(j->n, i + 1);
		assert_string_equal(j->body[i], msgs[i]);
	}
	assert_int_equal(ws_infl_windows(), 0);
	ws_conn_free(c);

	c = open_ws(j, "permessage-deflate", NULL);
	z_open(&z, 15);
	/* binary: a long run the next text refers to */
	n = z_msg(&z, "UNION SELECT password FROM users WHERE 1=1", 42, comp, sizeof(comp));
	len = 0;
	frame(buf, &len, 0xc2, comp, n);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
	assert_int_equal(j->n, 0);
	len = 0;
	frame(buf, &len, 0x81, (const uint8_t *)"plain one", 9);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + 2 * MS);
	n = z_msg(&z, "x=1 UNION SELECT password FROM users WHERE 1=1", 46, comp, sizeof(comp));
	assert_true(n < 30);
	len = 0;
	frame(buf, &len, 0xc1, comp, n);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + 3 * MS);
	deflateEnd(&z);
	assert_int_equal(j->n, 2);
	assert_string_equal(j->body[0], "plain one");
	assert_string_equal(j->body[1], "x=1 UNION SELECT password FROM users WHERE 1=1");
	assert_int_equal(coded(c), 0);
	assert_int_equal(ws_infl_windows(), 1);
	ws_conn_free(c);
	assert_int_equal(ws_infl_windows(), 0);
	free(j);
}

/* A malformed message counts, and with context takeover so does every
 * later one (the window is lost); without takeover the next decodes. A
 * capture gap in a compressed message is the same. */
static void test_faults_counted(void **state)
{
	static const uint8_t junk[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }; /* block type 3 */
	struct judged *j = malloc(sizeof(*j));
	uint8_t comp[512], buf[1024];
	struct ws_conn *c;
	z_stream z;
	size_t n, len;

	(void)state;
	for (int nt = 0; nt < 2; nt++) {
		c = open_ws(j, nt ? "permessage-deflate; client_no_context_takeover"
				  : "permessage-deflate", NULL);
		len = 0;
		frame(buf, &len, 0xc1, junk, sizeof(junk));
		ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
		assert_int_equal(coded(c), 1);
		z_open(&z, 15);
		n = z_msg(&z, msgs[1], strlen(msgs[1]), comp, sizeof(comp));
		deflateEnd(&z);
		len = 0;
		frame(buf, &len, 0xc1, comp, n);
		ws_feed(c, SESS_DIR_REQ, buf, len, T0 + 2 * MS);
		assert_int_equal(coded(c), nt ? 1 : 2);
		assert_int_equal(j->n, nt ? 1 : 0);
		ws_conn_free(c);
	}

	c = open_ws(j, "permessage-deflate; client_no_context_takeover", NULL);
	z_open(&z, 15);
	n = z_msg(&z, msgs[3], strlen(msgs[3]), comp, sizeof(comp));
	deflateEnd(&z);
	len = 0;
	frame(buf, &len, 0xc1, comp, n);
	ws_feed(c, SESS_DIR_REQ, buf, 10, T0 + MS);
	ws_gap(c, SESS_DIR_REQ, 5, T0 + MS);
	ws_feed(c, SESS_DIR_REQ, buf + 15, len - 15, T0 + MS);
	assert_int_equal(coded(c), 1);
	assert_int_equal(j->n, 0);
	ws_conn_free(c);
	free(j);
}

/* Past cfg.inflate_windows connections holding a window, the next one
 * takes the least recently used (here its own client's only one): the
 * evicted connection's later compressed messages are counted, each; one
 * that takes no context over needs no window and decodes. */
static void test_window_cap(void **state)
{
	struct judged *j1 = malloc(sizeof(*j1)), *j2 = malloc(sizeof(*j2)),
		      *j3 = malloc(sizeof(*j3));
	uint8_t comp[512], buf[1024];
	struct ws_config cfg;
	struct ws_conn *a, *b, *d;
	z_stream z;
	size_t n, len = 0;

	(void)state;
	ws_config_default(&cfg);
	cfg.inflate_windows = 1;
	z_open(&z, 15);
	n = z_msg(&z, msgs[1], strlen(msgs[1]), comp, sizeof(comp));
	deflateEnd(&z);
	frame(buf, &len, 0xc1, comp, n);
	a = open_ws(j1, "permessage-deflate", &cfg);
	b = open_ws(j2, "permessage-deflate", &cfg);
	d = open_ws(j3, "permessage-deflate; client_no_context_takeover", &cfg);
	ws_feed(a, SESS_DIR_REQ, buf, len, T0 + MS);
	ws_feed(b, SESS_DIR_REQ, buf, len, T0 + MS);
	ws_feed(b, SESS_DIR_REQ, buf, len, T0 + 2 * MS);
	ws_feed(d, SESS_DIR_REQ, buf, len, T0 + MS);
	ws_feed(a, SESS_DIR_REQ, buf, len, T0 + 3 * MS);
	ws_feed(a, SESS_DIR_REQ, buf, len, T0 + 4 * MS);
	assert_int_equal(j1->n, 1);
	assert_int_equal(coded(a), 2);
	assert_int_equal(j2->n, 2);
	assert_int_equal(coded(b), 0);
	assert_int_equal(j3->n, 1);
	assert_int_equal(coded(d), 0);
	assert_int_equal(ws_infl_windows(), 1);
	assert_true(ws_conn_mem(b) >= ws_conn_mem(a) + 32768);
	ws_conn_free(a);
	ws_conn_free(b);
	ws_conn_free(d);
	free(j1);
	free(j2);
	free(j3);
}

/* A bomb (a run of one byte far past WS_INFL_RATIO times its input) is
 * counted; what decoded before it stopped is still judged. */
static void test_bomb(void **state)
{
	struct judged *j = malloc(sizeof(*j));
	size_t plen = 200000, n, len = 0;
	char *plain = malloc(plen);
	uint8_t *comp = malloc(4096), *buf = malloc(8192);
	struct ws_conn *c;
	z_stream z;

	(void)state;
	memcpy(plain, "<script>alert(1)</script>", 25);
	memset(plain + 25, ' ', plen - 25);
	z_open(&z, 15);
	n = z_msg(&z, plain, plen, comp, 4096);
	deflateEnd(&z);
	assert_true(n * WS_INFL_RATIO < plen);
	c = open_ws(j, "permessage-deflate", NULL);
	frame(buf, &len, 0xc1, comp, n);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
	assert_int_equal(coded(c), 1);
	assert_true(j->n >= 1);
	assert_memory_equal(j->body[0], "<script>alert(1)</script>", 25);
	ws_conn_free(c);
	free(plain);
	free(comp);
	free(buf);
	free(j);
}

/* A chatty client repeating one 2 KiB state message: through the window
 * each repeat is a few dozen bytes of back-references (about 80:1, under
 * WS_INFL_RATIO: a 258-byte match at a long distance costs 3 bytes), so
 * every one is decoded and judged, none counted. */
static void test_repeats_are_no_bomb(void **state)
{
	struct judged *j = malloc(sizeof(*j));
	uint8_t comp[4096], buf[8192];
	char msg[2049];
	struct ws_conn *c;
	z_stream z;
	size_t n, len, minc = sizeof(comp);

	(void)state;
	for (size_t i = 0; i < 2048; i++)
		msg[i] = (char)('a' + (i * 7 + i / 26) % 26);
	msg[2048] = '\0';
	c = open_ws(j, "permessage-deflate", NULL);
	z_open(&z, 15);
	for (int i = 0; i < 12; i++) {
		n = z_msg(&z, msg, 2048, comp, sizeof(comp));
		minc = n < minc ? n : minc;
		len = 0;
		frame(buf, &len, 0xc1, comp, n);
		ws_feed(c, SESS_DIR_REQ, buf, len, T0 + (uint64_t)(i + 1) * MS);
	}
	deflateEnd(&z);
	assert_true(minc * 50 < 2048);
	assert_int_equal(coded(c), 0);
	assert_int_equal(j->n, 12);
	assert_int_equal(j->len[11], 2048);
	ws_conn_free(c);
	free(j);
}

/* The review: a client repeating an 8 KiB or 16 KiB message through the
 * window compresses it past 100:1 (119:1, 127:1); with the ratio cap on
 * back-references too, each repeat was a "bomb", the window was lost and
 * every later message, an attack included, went unjudged with an evasion
 * alert on a benign client. With history the cap is off (the output cap
 * bounds the work). */
static void test_large_repeats_keep_the_window(void **state)
{
	struct judged *j = malloc(sizeof(*j));
	static uint8_t comp[8192], buf[20000];
	static char msg[8192];
	struct ws_conn *c;
	z_stream z;
	size_t n, len;

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('a' + (i * 7 + i / 26) % 26);
	c = open_ws(j, "permessage-deflate", NULL);
	z_open(&z, 15);
	for (int i = 0; i < 4; i++) {
		n = z_msg(&z, msg, sizeof(msg), comp, sizeof(comp));
		if (i)
			assert_true(n * WS_INFL_RATIO < sizeof(msg)); /* past the cap */
		len = 0;
		frame(buf, &len, 0xc1, comp, n);
		ws_feed(c, SESS_DIR_REQ, buf, len, T0 + (uint64_t)(i + 1) * MS);
	}
	n = z_msg(&z, "1' OR 1=1--", 11, comp, sizeof(comp));
	deflateEnd(&z);
	len = 0;
	frame(buf, &len, 0xc1, comp, n);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + 10 * MS);
	print_message("coded_unjudged %llu, judged %d\n", (unsigned long long)coded(c), j->n);
	assert_int_equal(coded(c), 0);
	assert_true(j->n > 4 && j->n <= 16);
	assert_string_equal(j->body[j->n - 1], "1' OR 1=1--");
	ws_conn_free(c);
	free(j);
}

/* A bomb after the first message: history lifts the plain ratio cap, but
 * not without bound. Reviewer D: after "hello", a 279-byte message of
 * 255 KiB of one letter was decoded whole every time (1.4 ms a message,
 * ~200 KB/s of wire fills a collector core) and never alerted. Past the
 * window (what back-references into history can honestly repeat), the
 * cap holds again: the bomb counts ws.coded_unjudged; the 8 KiB repeats
 * of test_large_repeats_keep_the_window stay judged. */
static void test_bomb_through_the_window(void **state)
{
	struct judged *j = malloc(sizeof(*j));
	static uint8_t comp[8192], buf[9000];
	static char plain[255 << 10];
	struct ws_conn *c;
	z_stream z;
	size_t n, len;

	(void)state;
	memset(plain, 'a', sizeof(plain));
	c = open_ws(j, "permessage-deflate", NULL);
	z_open(&z, 15);
	n = z_msg(&z, "hello", 5, comp, sizeof(comp));
	len = 0;
	frame(buf, &len, 0xc1, comp, n);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
	n = z_msg(&z, plain, sizeof(plain), comp, sizeof(comp));
	deflateEnd(&z);
	assert_true(n < 2000); /* a bomb: > 100:1 */
	len = 0;
	frame(buf, &len, 0xc1, comp, n);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + 2 * MS);
	print_message("bomb of %zu bytes: coded_unjudged %llu, judged %d\n", n,
		      (unsigned long long)coded(c), j->n);
	assert_int_equal(coded(c), 1);
	ws_conn_free(c);
	free(j);
}

/* A connection from address a.b.c.d, its handshake agreeing ext. */
static struct ws_conn *open_ws_from(struct judged *j, const char *ext,
				    const struct ws_config *cfg, struct sess_conn *id,
				    uint8_t a, uint8_t b, uint8_t c3, uint8_t d)
{
	struct sess_sink sink = { .emit = on_emit, .ctx = j, .request = on_request };
	struct ws_handshake hs = { .path = "/chat", .authority = "example.com",
				   .key = "dGhlIHNhbXBsZSBub25jZQ==",
				   .accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
				   .extensions = ext, .req_ns = T0 - MS, .resp_ns = T0 };
	struct ws_conn *c;

	memset(id, 0, sizeof(*id));
	id->family = 2;
	id->client_addr[0] = a;
	id->client_addr[1] = b;
	id->client_addr[2] = c3;
	id->client_addr[3] = d;
	memset(j, 0, sizeof(*j));
	c = ws_conn_new(id, &sink, cfg, &hs);
	assert_non_null(c);
	return c;
}

/* Message m compressed alone (a fresh stream) and framed into buf. */
static size_t one_msg(const char *m, uint8_t *buf)
{
	uint8_t comp[512];
	z_stream z;
	size_t n, len = 0;

	z_open(&z, 15);
	n = z_msg(&z, m, strlen(m), comp, sizeof(comp));
	deflateEnd(&z);
	frame(buf, &len, 0xc1, comp, n);
	return len;
}

/* The reviewer's exhaustion: one /24 fills the window table with idle
 * connections. Another client's compressed attack is still decoded and
 * judged: the idle window of the client holding the most, least recently
 * used, goes, and that connection's next message is the one counted. */
static void test_window_table_is_fair(void **state)
{
	struct judged *ja = malloc(4 * sizeof(*ja)), *jv = malloc(sizeof(*jv));
	struct sess_conn ida[4], idv;
	struct ws_conn *att[4], *v;
	struct ws_config cfg;
	uint8_t buf[1024];
	size_t len;

	(void)state;
	ws_config_default(&cfg);
	cfg.inflate_windows = 4;
	len = one_msg(msgs[0], buf);
	for (int i = 0; i < 4; i++) {
		att[i] = open_ws_from(&ja[i], "permessage-deflate", &cfg, &ida[i],
				      10, 1, 2, (uint8_t)(3 + i));
		ws_feed(att[i], SESS_DIR_REQ, buf, len, T0 + (uint64_t)(i + 1) * MS);
		assert_int_equal(ja[i].n, 1);
	}
	assert_int_equal(ws_infl_windows(), 4);
	v = open_ws_from(jv, "permessage-deflate", &cfg, &idv, 192, 0, 2, 7);
	len = one_msg(msgs[1], buf);
	ws_feed(v, SESS_DIR_REQ, buf, len, T0 + 10 * MS);
	assert_int_equal(jv->n, 1);
	assert_string_equal(jv->body[0], msgs[1]);
	assert_int_equal(coded(v), 0);
	assert_int_equal(ws_infl_windows(), 4);
	/* the least recently used attacker connection lost its window */
	ws_feed(att[0], SESS_DIR_REQ, buf, len, T0 + 11 * MS);
	assert_int_equal(ja[0].n, 1);
	assert_int_equal(coded(att[0]), 1);
	ws_feed(att[3], SESS_DIR_REQ, buf, len, T0 + 12 * MS);
	assert_int_equal(ja[3].n, 2);
	assert_int_equal(coded(att[3]), 0);
	for (int i = 0; i < 4; i++)
		ws_conn_free(att[i]);
	ws_conn_free(v);
	assert_int_equal(ws_infl_windows(), 0);
	free(ja);
	free(jv);
}

/* Past cfg.inflate_windows_client windows of one /24, that client's own
 * least recently used goes, not another client's; the evictions are
 * counted by why. A client grouped by /24 (IPv4) or /64 (IPv6). */
static void test_windows_per_client(void **state)
{
	struct judged *j = malloc(4 * sizeof(*j));
	struct sess_conn id[4];
	struct ws_conn *c[4];
	struct ws_config cfg;
	uint64_t ev0[WS_INFL_EV__COUNT], ev1[WS_INFL_EV__COUNT];
	uint8_t buf[1024], g1[16], g2[16], a6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 7, 1 };
	size_t len;
	uint8_t v4a[16] = { 10, 1, 2, 3 }, v4b[16] = { 10, 1, 2, 254 }, v4c[16] = { 10, 1, 3, 3 };

	(void)state;
	ws_infl_client(AF_INET, v4a, g1);
	ws_infl_client(AF_INET, v4b, g2);
	assert_memory_equal(g1, g2, 16);
	ws_infl_client(AF_INET, v4c, g2);
	assert_memory_not_equal(g1, g2, 16);
	ws_infl_client(AF_INET6, a6, g1);
	a6[15] = 9;
	ws_infl_client(AF_INET6, a6, g2);
	assert_memory_equal(g1, g2, 16);
	assert_int_equal(g1[8], 0);
	assert_int_equal(g1[7], 7);

	ws_config_default(&cfg);
	cfg.inflate_windows_client = 2;
	ws_infl_evictions(ev0);
	len = one_msg(msgs[0], buf);
	c[0] = open_ws_from(&j[0], "permessage-deflate", &cfg, &id[0], 198, 51, 100, 9);
	ws_feed(c[0], SESS_DIR_REQ, buf, len, T0 + MS);
	for (int i = 1; i < 4; i++) {
		c[i] = open_ws_from(&j[i], "permessage-deflate", &cfg, &id[i], 10, 1, 2,
				    (uint8_t)i);
		ws_feed(c[i], SESS_DIR_REQ, buf, len, T0 + (uint64_t)(i + 1) * MS);
		assert_int_equal(j[i].n, 1);
	}
	assert_int_equal(ws_infl_windows(), 3);
	ws_infl_evictions(ev1);
	assert_int_equal(ev1[WS_INFL_EV_CLIENT] - ev0[WS_INFL_EV_CLIENT], 1);
	assert_int_equal(ev1[WS_INFL_EV_FULL] - ev0[WS_INFL_EV_FULL], 0);
	for (int i = 0; i < 4; i++)
		ws_feed(c[i], SESS_DIR_REQ, buf, len, T0 + 10 * MS);
	assert_int_equal(j[0].n, 2); /* the other client kept its window */
	assert_int_equal(j[1].n, 1); /* evicted: counted instead */
	assert_int_equal(coded(c[1]), 1);
	assert_int_equal(j[2].n, 2);
	assert_int_equal(j[3].n, 2);
	/* a malformed message loses the window and gives its slot back */
	len = 0;
	frame(buf, &len, 0xc1, (const uint8_t *)"\xff\xff\xff\xff", 4);
	ws_feed(c[2], SESS_DIR_REQ, buf, len, T0 + 11 * MS);
	assert_int_equal(coded(c[2]), 1);
	assert_int_equal(ws_infl_windows(), 2);
	for (int i = 0; i < 4; i++)
		ws_conn_free(c[i]);
	assert_int_equal(ws_infl_windows(), 0);
	free(j);
}

/* Three connections' messages interleaved, two taking context over (each
 * third message mostly back-references into its own first), one not:
 * each connection's window stays its own while the decoding buffer is
 * shared (the last decoder's window is written back when another
 * decodes). */
static void test_interleaved_windows(void **state)
{
	static const char *const ext[3] = { "permessage-deflate",
		"permessage-deflate; client_max_window_bits=10",
		"permessage-deflate; client_no_context_takeover" };
	struct judged *j = malloc(3 * sizeof(*j));
	struct ws_conn *c[3];
	z_stream z[3];
	uint8_t comp[512], buf[1024];

	(void)state;
	for (int k = 0; k < 3; k++) {
		c[k] = open_ws(&j[k], ext[k], NULL);
		z_open(&z[k], k == 1 ? 10 : 15);
	}
	for (int i = 0; i < 4; i++) {
		for (int k = 0; k < 3; k++) {
			const char *m = msgs[(i + k) % 4];
			size_t n, len = 0;

			if (k == 2) { /* a fresh stream each message */
				deflateEnd(&z[k]);
				z_open(&z[k], 15);
			}
			n = z_msg(&z[k], m, strlen(m), comp, sizeof(comp));
			frame(buf, &len, 0xc1, comp, n);
			ws_feed(c[k], SESS_DIR_REQ, buf, len, T0 + (uint64_t)(i + 1) * MS);
			assert_int_equal(j[k].n, i + 1);
			assert_string_equal(j[k].body[i], m);
		}
	}
	for (int k = 0; k < 3; k++) {
		assert_int_equal(coded(c[k]), 0);
		deflateEnd(&z[k]);
		ws_conn_free(c[k]);
	}
	free(j);
}

/* RSV1 where no permessage-deflate was agreed as far as we saw (the
 * handshake not captured; an answer not read): the message is decoded
 * as one with no context (a server that did agree reads it so), not
 * read as the compressed bytes it came as; one referring back into an
 * earlier message cannot be, and is counted. */
static void test_rsv1_without_agreement(void **state)
{
	struct sess_sink sink;
	struct judged *j = malloc(sizeof(*j));
	uint8_t comp[512], buf[1024];
	struct ws_conn *c;

	(void)state;
	for (int partial = 0; partial < 2; partial++) {
		z_stream z;
		size_t n, len = 0;

		if (partial) {
			memset(j, 0, sizeof(*j));
			sink = (struct sess_sink){ .emit = on_emit, .ctx = j, .request = on_request };
			c = ws_conn_new(&conn, &sink, NULL, NULL);
			assert_non_null(c);
		} else {
			c = open_ws(j, NULL, NULL);
		}
		z_open(&z, 15);
		n = z_msg(&z, msgs[0], strlen(msgs[0]), comp, sizeof(comp));
		frame(buf, &len, 0xc1, comp, n);
		n = z_msg(&z, msgs[2], strlen(msgs[2]), comp, sizeof(comp));
		frame(buf, &len, 0xc1, comp, n);
		deflateEnd(&z);
		z_open(&z, 15);
		n = z_msg(&z, msgs[1], strlen(msgs[1]), comp, sizeof(comp));
		frame(buf, &len, 0xc1, comp, n);
		deflateEnd(&z);
		ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
		/* msgs[2] refers to msgs[0]: counted, its text up to there
		 * judged */
		assert_int_equal(j->n, 3);
		assert_string_equal(j->body[0], msgs[0]);
		assert_true(j->len[1] < strlen(msgs[2]));
		assert_memory_equal(j->body[1], msgs[2], j->len[1]);
		assert_string_equal(j->body[2], msgs[1]);
		assert_int_equal(coded(c), 1);
		assert_int_equal(ws_conn_anoms(c)[WS_ANOM_RSV_BITS], 1);
		assert_int_equal(ws_infl_windows(), 0);
		ws_conn_free(c);
	}
	free(j);
}

/* The server's answer names the parameters. */
static void test_parse(void **state)
{
	struct ws_infl_params p;

	(void)state;
	assert_int_equal(ws_infl_parse(NULL, &p), 0);
	assert_int_equal(ws_infl_parse("x-webkit-deflate-frame", &p), 0);
	assert_int_equal(ws_infl_parse("foo, permessage-deflate; client_max_window_bits=11", &p), 1);
	assert_int_equal(p.window_bits, 11);
	assert_int_equal(p.no_takeover, 0);
	assert_int_equal(ws_infl_parse("PerMessage-Deflate ;Client_No_Context_Takeover ; "
				       "client_max_window_bits = \"8\"", &p), 1);
	assert_int_equal(p.window_bits, 9);
	assert_int_equal(p.no_takeover, 1);
	assert_int_equal(ws_infl_parse("permessage-deflate; server_no_context_takeover, "
				       "client_no_context_takeover", &p), 1);
	assert_int_equal(p.no_takeover, 0); /* another element's */
	assert_int_equal(p.window_bits, 15);
	assert_int_equal(ws_infl_parse("permessage-deflate; client_max_window_bits=99", &p), 1);
	assert_int_equal(p.window_bits, 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_context_takeover),
		cmocka_unit_test(test_no_takeover_and_binary),
		cmocka_unit_test(test_faults_counted),
		cmocka_unit_test(test_window_cap),
		cmocka_unit_test(test_window_table_is_fair),
		cmocka_unit_test(test_windows_per_client),
		cmocka_unit_test(test_interleaved_windows),
		cmocka_unit_test(test_rsv1_without_agreement),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_repeats_are_no_bomb),
		cmocka_unit_test(test_large_repeats_keep_the_window),
		cmocka_unit_test(test_bomb_through_the_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
