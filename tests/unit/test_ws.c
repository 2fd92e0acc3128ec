/* test_ws.c - WebSocket decoder: handshake checks, framing, counters,
 * anomalies and events, with inputs split at every byte offset. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/b64.h"
#include "common/sha1.h"
#include "collector/decode/sess.h"
#include "collector/decode/ws.h"

#define MS 1000000ull
#define SEC 1000000000ull
#define T0 (5 * SEC) /* handshake response time */

#define RFC_KEY "dGhlIHNhbXBsZSBub25jZQ=="
#define RFC_ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

/* --- event capture ---------------------------------------------------------- */

struct cap_ev {
	enum sess_ws_phase phase;
	uint64_t client_msgs, server_msgs, client_bytes, server_bytes;
	uint64_t end_ns, req_ns;
	int close_code;
	uint32_t trunc, flags;
	char path[64], origin[64], sub[32], authority[64];
	uint32_t body_len;
	uint8_t body[64];
	uint32_t n_anom;
	struct sess_anom anom[SESS_MAX_ANOM];
};

#define CAP_MAX 16
struct cap {
	int n;
	struct cap_ev ev[CAP_MAX]; /* first CAP_MAX events */
	struct cap_ev last;
};

/* bounded copy of an event string (cut to the capture's size) */
static void cap_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void cap_emit(void *ctx, const struct sess_event *e)
{
	struct cap *k = ctx;
	struct cap_ev v;

	memset(&v, 0, sizeof(v));
	assert_int_equal(e->proto, SESS_PROTO_WEBSOCKET);
	v.phase = e->ws_phase;
	v.client_msgs = e->client_msgs;
	v.server_msgs = e->server_msgs;
	v.client_bytes = e->client_bytes;
	v.server_bytes = e->server_bytes;
	v.end_ns = e->end_ns;
	v.req_ns = e->req_ns;
	v.close_code = e->close_code;
	v.trunc = e->trunc;
	v.flags = e->flags;
	cap_str(v.path, sizeof(v.path), e->path);
	cap_str(v.origin, sizeof(v.origin), e->origin);
	cap_str(v.sub, sizeof(v.sub), e->subprotocol);
	cap_str(v.authority, sizeof(v.authority), e->authority);
	v.body_len = e->body_len < sizeof(v.body) ? e->body_len : sizeof(v.body);
	memcpy(v.body, e->body, v.body_len);
	v.n_anom = e->n_anom;
	memcpy(v.anom, e->anom, sizeof(v.anom));
	if (k->n < CAP_MAX)
		k->ev[k->n] = v;
	k->last = v;
	k->n++;
}

static uint32_t ev_anom(const struct cap_ev *v, const char *name)
{
	uint32_t i;

	for (i = 0; i < v->n_anom; i++)
		if (strcmp(v->anom[i].name, name) == 0)
			return v->anom[i].count;
	return 0;
}

static const struct sess_conn test_conn = { .cookie = 42, .family = 2 };

static struct ws_handshake good_hs(void)
{
	struct ws_handshake hs = {
		.path = "/chat", .query = "room=1", .authority = "example.com:8080",
		.origin = "https://example.com", .key = RFC_KEY, .accept = RFC_ACCEPT,
		.protocol = "chat", .extensions = NULL,
		.req_ns = T0 - MS, .resp_ns = T0,
	};
	return hs;
}

static struct ws_conn *open_conn(struct cap *k, const struct ws_config *cfg,
				 const struct ws_handshake *hs)
{
	struct sess_sink sink = { cap_emit, k };
	struct ws_conn *c;

	memset(k, 0, sizeof(*k));
	c = ws_conn_new(&test_conn, &sink, cfg, hs);
	assert_non_null(c);
	return c;
}

static uint64_t anoms_total(const struct ws_conn *c)
{
	const uint64_t *a = ws_conn_anoms(c);
	uint64_t t = 0;
	int i;

	for (i = 0; i < WS_ANOM__COUNT; i++)
		t += a[i];
	return t;
}

static void assert_only_anom(const struct ws_conn *c, enum ws_anom k, uint64_t n)
{
	const uint64_t *a = ws_conn_anoms(c);
	int i;

	for (i = 0; i < WS_ANOM__COUNT; i++) {
		if (a[i] != (i == (int)k ? n : 0))
			fail_msg("anomaly %s = %llu, want %llu", ws_anom_names[i],
				 (unsigned long long)a[i],
				 (unsigned long long)(i == (int)k ? n : 0));
	}
}

/* --- frame builder ------------------------------------------------------------ */

#define F_FIN 0x80
#define F_RSV1 0x40
#define F_RSV2 0x20
#define F_RSV3 0x10
#define OP_CONT 0x0
#define OP_TEXT 0x1
#define OP_BIN 0x2
#define OP_CLOSE 0x8
#define OP_PING 0x9
#define OP_PONG 0xA

static const uint8_t test_mask[4] = { 0x37, 0xfa, 0x21, 0x3d };

/* Append a frame to buf at *off: b0 = FIN/RSV/opcode bits, len_form 0 =
 * minimal length encoding, 126/127 force that form. Client frames are
 * masked when masked != 0. Returns the frame size. */
static size_t wsb(uint8_t *buf, size_t *off, uint8_t b0, int masked,
		  const void *payload, uint64_t len, int len_form)
{
	uint8_t *p = buf + *off;
	const uint8_t *src = payload;
	size_t h = 0;
	uint64_t i;

	p[h++] = b0;
	if (len_form == 127 || (!len_form && len > 0xFFFF)) {
		p[h++] = (uint8_t)((masked ? 0x80 : 0) | 127);
		for (i = 0; i < 8; i++)
			p[h++] = (uint8_t)(len >> (56 - 8 * i));
	} else if (len_form == 126 || (!len_form && len > 125)) {
		p[h++] = (uint8_t)((masked ? 0x80 : 0) | 126);
		p[h++] = (uint8_t)(len >> 8);
		p[h++] = (uint8_t)len;
	} else {
		p[h++] = (uint8_t)((masked ? 0x80 : 0) | len);
	}
	if (masked) {
		memcpy(p + h, test_mask, 4);
		h += 4;
	}
	if (src)
		for (i = 0; i < len; i++)
			p[h + i] = masked ? src[i] ^ test_mask[i & 3] : src[i];
	*off += h + (src ? len : 0);
	return h + (src ? len : 0);
}

/* Valid UTF-8 text of exactly n bytes mixing 2-byte and ASCII characters,
 * so chunk splits fall inside sequences. */
static void fill_text(uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i + 2 <= n) {
		p[i++] = 0xC3;
		p[i++] = 0xA9; /* é */
	}
	if (i < n)
		p[i++] = 'a';
}

static void feed_chunks(struct ws_conn *c, enum sess_dir dir, const uint8_t *p,
			size_t len, size_t chunk, uint64_t ts)
{
	size_t o;

	for (o = 0; o < len; o += chunk)
		ws_feed(c, dir, p + o, len - o < chunk ? len - o : chunk, ts);
}

/* --- sha1 / base64 ------------------------------------------------------------ */

static void hex(const uint8_t *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_sha1_rfc3174_vectors(void **state)
{
	static const struct {
		const char *in;
		const char *want;
	} t[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	};
	uint8_t d[SHA1_DIGEST_LEN];
	char h[41];
	struct sha1_ctx ctx;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		sha1(t[i].in, strlen(t[i].in), d);
		hex(d, sizeof(d), h);
		assert_string_equal(h, t[i].want);
	}
	/* one million 'a' fed in odd pieces */
	sha1_init(&ctx);
	for (j = 0; j < 1000000; j += 7) {
		char a[7];
		memset(a, 'a', sizeof(a));
		sha1_update(&ctx, a, 1000000 - j < 7 ? 1000000 - j : 7);
	}
	sha1_final(&ctx, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void test_b64_rfc4648_vectors(void **state)
{
	static const char *t[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	char out[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(b64_encode(t[i][0], strlen(t[i][0]), out, sizeof(out)),
				 (int)strlen(t[i][1]));
		assert_string_equal(out, t[i][1]);
	}
	assert_int_equal(b64_encode("foobar", 6, out, 8), -ENOSPC);
}

/* --- handshake --------------------------------------------------------------- */

static void test_accept_rfc6455_example(void **state)
{
	char out[WS_ACCEPT_LEN + 1];

	(void)state;
	assert_int_equal(ws_accept_for_key(RFC_KEY, out), 0);
	assert_string_equal(out, RFC_ACCEPT);
}

static void test_handshake_accept_good_and_bad(void **state)
{
	static const struct {
		const char *name, *key, *accept;
		uint64_t bad;
	} t[] = {
		{ "rfc example", RFC_KEY, RFC_ACCEPT, 0 },
		{ "accept with spaces", RFC_KEY, " " RFC_ACCEPT " ", 0 },
		{ "wrong accept", RFC_KEY, "s3pPLMBiTxaQ9kYGzzhZRbK+xOO=", 1 },
		{ "accept for other key", "AQIDBAUGBwgJCgsMDQ4PEA==", RFC_ACCEPT, 1 },
		{ "accept missing", RFC_KEY, NULL, 1 },
		{ "key missing", NULL, RFC_ACCEPT, 1 },
		{ "accept truncated", RFC_KEY, "s3pPLMBiTxaQ9kYGzzhZRbK+xO", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ws_handshake hs = good_hs();
		struct cap k;
		struct ws_conn *c;

		hs.key = t[i].key;
		hs.accept = t[i].accept;
		c = open_conn(&k, NULL, &hs);
		if (ws_conn_anoms(c)[WS_ANOM_BAD_ACCEPT] != t[i].bad)
			fail_msg("%s", t[i].name);
		assert_only_anom(c, WS_ANOM_BAD_ACCEPT, t[i].bad);
		/* the open event carries the handshake anomaly */
		assert_int_equal(k.n, 1);
		assert_int_equal(k.ev[0].phase, SESS_WS_OPEN);
		assert_int_equal(ev_anom(&k.ev[0], "ws.bad_accept"), t[i].bad);
		ws_conn_free(c);
	}
}

static void test_open_event_fields(void **state)
{
	struct ws_handshake hs = good_hs();
	struct cap k;
	struct ws_conn *c;

	(void)state;
	c = open_conn(&k, NULL, &hs);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.ev[0].phase, SESS_WS_OPEN);
	assert_string_equal(k.ev[0].path, "/chat");
	assert_string_equal(k.ev[0].origin, "https://example.com");
	assert_string_equal(k.ev[0].sub, "chat");
	assert_string_equal(k.ev[0].authority, "example.com:8080");
	assert_int_equal(k.ev[0].req_ns, T0 - MS);
	assert_int_equal(k.ev[0].close_code, -1);
	assert_true(k.ev[0].flags & SESS_F_UPGRADE);
	assert_int_equal(k.ev[0].n_anom, 0);
	ws_conn_free(c);
}

static void test_origin_rules(void **state)
{
	static const char *const allow[] = { "https://app.example.com", "trusted.org", NULL };
	static const struct {
		const char *name, *origin, *authority;
		int use_list;
		uint64_t foreign;
	} t[] = {
		{ "same host", "https://example.com", "example.com", 0, 0 },
		{ "same host, ports differ", "http://Example.COM:8080", "example.com:443", 0, 0 },
		{ "no origin (not a browser)", NULL, "example.com", 0, 0 },
		{ "other site", "https://evil.test", "example.com", 0, 1 },
		{ "suffix trick", "https://example.com.evil.test", "example.com", 0, 1 },
		{ "null origin", "null", "example.com", 0, 1 },
		{ "ipv6 same", "http://[::1]:9000", "[::1]:8080", 0, 0 },
		{ "ipv6 other", "http://[::2]", "[::1]", 0, 1 },
		{ "list exact", "https://app.example.com", "api.example.com", 1, 0 },
		{ "list bare host", "http://trusted.org:81", "api.example.com", 1, 0 },
		{ "list miss", "https://example.com", "example.com", 1, 1 },
		{ "list scheme differs", "http://app.example.com", "api.example.com", 1, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ws_handshake hs = good_hs();
		struct ws_config cfg;
		struct cap k;
		struct ws_conn *c;

		ws_config_default(&cfg);
		if (t[i].use_list)
			cfg.allowed_origins = allow;
		hs.origin = t[i].origin;
		hs.authority = t[i].authority;
		c = open_conn(&k, &cfg, &hs);
		if (ws_conn_anoms(c)[WS_ANOM_FOREIGN_ORIGIN] != t[i].foreign)
			fail_msg("%s", t[i].name);
		assert_only_anom(c, WS_ANOM_FOREIGN_ORIGIN, t[i].foreign);
		assert_int_equal(ev_anom(&k.ev[0], "ws.foreign_origin"), t[i].foreign);
		ws_conn_free(c);
	}
}

/* --- messages ------------------------------------------------------------------ */

struct size_case {
	uint8_t op;
	size_t size;
};

static const struct size_case size_cases[] = {
	{ OP_TEXT, 0 }, { OP_TEXT, 125 }, { OP_TEXT, 126 }, { OP_TEXT, 65535 },
	{ OP_TEXT, 65536 }, { OP_TEXT, 1u << 20 },
	{ OP_BIN, 0 }, { OP_BIN, 125 }, { OP_BIN, 126 }, { OP_BIN, 65535 },
	{ OP_BIN, 65536 }, { OP_BIN, 1u << 20 },
};

/* One client message and one server reply of the case's size; small ones
 * are split in two at every byte offset, large ones fed in odd chunks. */
static void test_message_sizes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(size_cases) / sizeof(size_cases[0]); i++) {
		const struct size_case *sc = &size_cases[i];
		uint8_t *pl = malloc(sc->size + 1);
		uint8_t *cf = malloc(sc->size + 14);
		uint8_t *sf = malloc(sc->size + 14);
		size_t clen = 0, slen = 0, split, nsplit;

		assert_non_null(pl);
		assert_non_null(cf);
		assert_non_null(sf);
		fill_text(pl, sc->size);
		wsb(cf, &clen, F_FIN | sc->op, 1, pl, sc->size, 0);
		wsb(sf, &slen, F_FIN | sc->op, 0, pl, sc->size, 0);
		nsplit = sc->size <= 126 ? clen : 1;
		for (split = 0; split < nsplit; split++) {
			struct ws_handshake hs = good_hs();
			struct cap k;
			struct ws_conn *c = open_conn(&k, NULL, &hs);
			const struct ws_stats *st;

			if (sc->size <= 126) {
				ws_feed(c, SESS_DIR_REQ, cf, split, T0 + MS);
				ws_feed(c, SESS_DIR_REQ, cf + split, clen - split, T0 + MS);
				ws_feed(c, SESS_DIR_RESP, sf, split < slen ? split : slen, T0 + 2 * MS);
				if (split < slen)
					ws_feed(c, SESS_DIR_RESP, sf + split, slen - split, T0 + 2 * MS);
			} else {
				feed_chunks(c, SESS_DIR_REQ, cf, clen, 7919, T0 + MS);
				feed_chunks(c, SESS_DIR_RESP, sf, slen, 4093, T0 + 2 * MS);
			}
			st = ws_conn_stats(c);
			if (anoms_total(c) != 0)
				fail_msg("op %u size %zu split %zu: anomalies", sc->op, sc->size, split);
			assert_int_equal(st->msgs[SESS_DIR_REQ], 1);
			assert_int_equal(st->msgs[SESS_DIR_RESP], 1);
			assert_int_equal(st->payload_bytes[SESS_DIR_REQ], sc->size);
			assert_int_equal(st->payload_bytes[SESS_DIR_RESP], sc->size);
			assert_int_equal(st->largest_msg[SESS_DIR_REQ], sc->size);
			assert_int_equal(st->frames[SESS_DIR_REQ][sc->op], 1);
			assert_int_equal(st->wire_bytes[SESS_DIR_REQ], clen);
			ws_close(c, T0 + 3 * MS);
			assert_int_equal(k.n, 2);
			assert_int_equal(k.last.phase, SESS_WS_CLOSE);
			assert_int_equal(k.last.client_msgs, 1);
			assert_int_equal(k.last.server_msgs, 1);
			assert_int_equal(k.last.client_bytes, sc->size);
			assert_int_equal(k.last.server_bytes, sc->size);
			assert_int_equal(k.last.close_code, -1);
			assert_int_equal(k.last.end_ns, T0 + 2 * MS);
			ws_conn_free(c);
		}
		free(pl);
		free(cf);
		free(sf);
	}
}

/* "Hel" + ping + "lo " + "wo": one 8-byte message, the ping in between
 * (control frames may interleave), at every split offset. */
static void test_fragmented_message_counts_once(void **state)
{
	uint8_t buf[128];
	size_t len = 0, split;

	(void)state;
	wsb(buf, &len, OP_TEXT, 1, "Hel", 3, 0);
	wsb(buf, &len, F_FIN | OP_PING, 1, "p", 1, 0);
	wsb(buf, &len, OP_CONT, 1, "lo ", 3, 0);
	wsb(buf, &len, F_FIN | OP_CONT, 1, "wo", 2, 0);
	for (split = 0; split <= len; split++) {
		struct ws_handshake hs = good_hs();
		struct ws_config cfg;
		struct cap k;
		struct ws_conn *c;
		const struct ws_stats *st;
		const uint8_t *txt;
		size_t tl;

		ws_config_default(&cfg);
		cfg.text_prefix = 32;
		c = open_conn(&k, &cfg, &hs);
		ws_feed(c, SESS_DIR_REQ, buf, split, T0 + MS);
		ws_feed(c, SESS_DIR_REQ, buf + split, len - split, T0 + MS);
		st = ws_conn_stats(c);
		assert_int_equal(anoms_total(c), 0);
		assert_int_equal(st->msgs[SESS_DIR_REQ], 1);
		assert_int_equal(st->payload_bytes[SESS_DIR_REQ], 8);
		assert_int_equal(st->frames[SESS_DIR_REQ][OP_TEXT], 1);
		assert_int_equal(st->frames[SESS_DIR_REQ][OP_CONT], 2);
		assert_int_equal(st->frames[SESS_DIR_REQ][OP_PING], 1);
		txt = ws_last_text(c, &tl);
		assert_int_equal(tl, 8);
		assert_memory_equal(txt, "Hello wo", 8);
		assert_int_equal(ws_last_text_truncated(c), 0);
		ws_conn_free(c);
	}
}

static void test_ping_pong(void **state)
{
	uint8_t cb[64], sb[64];
	size_t cl = 0, sl = 0;
	struct ws_handshake hs = good_hs();
	struct cap k;
	struct ws_conn *c;
	const struct ws_stats *st;

	(void)state;
	wsb(cb, &cl, F_FIN | OP_PING, 1, "hi", 2, 0);
	wsb(sb, &sl, F_FIN | OP_PONG, 0, "hi", 2, 0);
	wsb(sb, &sl, F_FIN | OP_PING, 0, "", 0, 0);
	wsb(cb, &cl, F_FIN | OP_PONG, 1, "", 0, 0);
	c = open_conn(&k, NULL, &hs);
	ws_feed(c, SESS_DIR_REQ, cb, cl, T0 + MS);
	ws_feed(c, SESS_DIR_RESP, sb, sl, T0 + MS);
	st = ws_conn_stats(c);
	assert_int_equal(anoms_total(c), 0);
	assert_int_equal(st->msgs[0] + st->msgs[1], 0);
	assert_int_equal(st->payload_bytes[0] + st->payload_bytes[1], 0);
	assert_int_equal(st->frames[SESS_DIR_REQ][OP_PING], 1);
	assert_int_equal(st->frames[SESS_DIR_REQ][OP_PONG], 1);
	assert_int_equal(st->frames[SESS_DIR_RESP][OP_PING], 1);
	assert_int_equal(st->frames[SESS_DIR_RESP][OP_PONG], 1);
	ws_conn_free(c);
}

static void test_close_handshake(void **state)
{
	static const struct {
		const char *name;
		enum sess_dir first;
		uint8_t who;
	} t[] = {
		{ "client closes first", SESS_DIR_REQ, WS_CLOSED_CLIENT },
		{ "server closes first", SESS_DIR_RESP, WS_CLOSED_SERVER },
	};
	uint8_t cb[64], sb[64];
	const uint8_t pl[] = { 0x03, 0xE8, 'b', 'y', 'e' }; /* 1000 "bye" */
	size_t i, split;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t cl = 0, sl = 0;

		wsb(cb, &cl, F_FIN | OP_TEXT, 1, "x", 1, 0);
		wsb(cb, &cl, F_FIN | OP_CLOSE, 1, pl, sizeof(pl), 0);
		wsb(sb, &sl, F_FIN | OP_CLOSE, 0, pl, 2, 0);
		for (split = 0; split <= cl; split++) {
			struct ws_handshake hs = good_hs();
			struct cap k;
			struct ws_conn *c = open_conn(&k, NULL, &hs);
			const struct ws_stats *st;
			enum sess_dir second = t[i].first == SESS_DIR_REQ ? SESS_DIR_RESP
									  : SESS_DIR_REQ;
			const uint8_t *f = t[i].first == SESS_DIR_REQ ? cb : sb;
			const uint8_t *s = t[i].first == SESS_DIR_REQ ? sb : cb;
			size_t fl = t[i].first == SESS_DIR_REQ ? cl : sl;
			size_t sl2 = t[i].first == SESS_DIR_REQ ? sl : cl;
			size_t sp = split < fl ? split : fl;

			ws_feed(c, t[i].first, f, sp, T0 + MS);
			ws_feed(c, t[i].first, f + sp, fl - sp, T0 + MS);
			assert_int_equal(k.n, 1); /* half closed: no event yet */
			ws_feed(c, second, s, sl2, T0 + 2 * MS);
			st = ws_conn_stats(c);
			assert_int_equal(anoms_total(c), 0);
			assert_int_equal(k.n, 2);
			assert_int_equal(k.last.phase, SESS_WS_CLOSE);
			assert_int_equal(k.last.close_code, 1000);
			assert_int_equal(k.last.client_msgs, 1);
			assert_int_equal(k.last.end_ns, T0 + 2 * MS);
			assert_int_equal(st->who_closed, t[i].who);
			assert_int_equal(st->close_done, 1);
			assert_int_equal(st->close_code, 1000);
			assert_int_equal(st->close_code_reply, 1000);
			assert_int_equal(st->duration_ns, 2 * MS);
			if (t[i].first == SESS_DIR_REQ)
				assert_string_equal(st->close_reason, "bye");
			/* the connection ending later sends nothing more */
			ws_close(c, T0 + 3 * MS);
			assert_int_equal(k.n, 2);
			ws_conn_free(c);
		}
	}
}

/* --- anomalies, one frame each ---------------------------------------------- */

struct anom_case {
	const char *name;
	enum sess_dir dir;
	uint8_t b0;
	int masked;
	const char *payload;
	size_t len;
	int len_form;
	int prelude;          /* 1 = an open fragmented text message first */
	enum ws_anom want;
	uint64_t count;
	uint64_t msgs;        /* messages counted on dir afterwards */
};

static const struct anom_case anom_cases[] = {
	{ "unmasked client frame", SESS_DIR_REQ, F_FIN | OP_TEXT, 0, "hi", 2, 0, 0,
	  WS_ANOM_UNMASKED_CLIENT, 1, 1 },
	{ "masked server frame", SESS_DIR_RESP, F_FIN | OP_TEXT, 1, "hi", 2, 0, 0,
	  WS_ANOM_MASKED_SERVER, 1, 1 },
	{ "reserved data opcode 3", SESS_DIR_REQ, F_FIN | 0x3, 1, "hi", 2, 0, 0,
	  WS_ANOM_RESERVED_OPCODE, 1, 0 },
	{ "reserved control opcode 0xB", SESS_DIR_RESP, F_FIN | 0xB, 0, "hi", 2, 0, 0,
	  WS_ANOM_RESERVED_OPCODE, 1, 0 },
	{ "rsv2 set", SESS_DIR_REQ, F_FIN | F_RSV2 | OP_BIN, 1, "hi", 2, 0, 0,
	  WS_ANOM_RSV_BITS, 1, 1 },
	{ "rsv3 set", SESS_DIR_RESP, F_FIN | F_RSV3 | OP_BIN, 0, "hi", 2, 0, 0,
	  WS_ANOM_RSV_BITS, 1, 1 },
	{ "rsv1 without deflate", SESS_DIR_REQ, F_FIN | F_RSV1 | OP_BIN, 1, "hi", 2, 0, 0,
	  WS_ANOM_RSV_BITS, 1, 1 },
	{ "continuation without message", SESS_DIR_REQ, F_FIN | OP_CONT, 1, "hi", 2, 0, 0,
	  WS_ANOM_BAD_CONTINUATION, 1, 0 },
	{ "new message while one is open", SESS_DIR_REQ, F_FIN | OP_TEXT, 1, "hi", 2, 0, 1,
	  WS_ANOM_BAD_CONTINUATION, 1, 1 },
	{ "fragmented ping", SESS_DIR_REQ, OP_PING, 1, "hi", 2, 0, 0,
	  WS_ANOM_CONTROL_ABUSE, 1, 0 },
	{ "126-byte ping", SESS_DIR_RESP, F_FIN | OP_PING, 0, NULL, 126, 0, 0,
	  WS_ANOM_CONTROL_ABUSE, 1, 0 },
	{ "16-bit length for 5 bytes", SESS_DIR_REQ, F_FIN | OP_BIN, 1, "hello", 5, 126, 0,
	  WS_ANOM_NONMINIMAL_LENGTH, 1, 1 },
	{ "64-bit length for 5 bytes", SESS_DIR_RESP, F_FIN | OP_BIN, 0, "hello", 5, 127, 0,
	  WS_ANOM_NONMINIMAL_LENGTH, 1, 1 },
	{ "invalid utf-8 text", SESS_DIR_RESP, F_FIN | OP_TEXT, 0, "a\xff", 2, 0, 0,
	  WS_ANOM_INVALID_UTF8, 1, 1 },
	{ "invalid utf-8 binary is fine", SESS_DIR_RESP, F_FIN | OP_BIN, 0, "a\xff", 2, 0, 0,
	  WS_ANOM__COUNT, 0, 1 },
	{ "close code 1005 on the wire", SESS_DIR_REQ, F_FIN | OP_CLOSE, 1, "\x03\xed", 2, 0, 0,
	  WS_ANOM_BAD_CLOSE_CODE, 1, 0 },
	{ "close code 999", SESS_DIR_REQ, F_FIN | OP_CLOSE, 1, "\x03\xe7", 2, 0, 0,
	  WS_ANOM_BAD_CLOSE_CODE, 1, 0 },
	{ "close one-byte payload", SESS_DIR_RESP, F_FIN | OP_CLOSE, 0, "\x03", 1, 0, 0,
	  WS_ANOM_BAD_CLOSE_CODE, 1, 0 },
	{ "close reason not utf-8", SESS_DIR_RESP, F_FIN | OP_CLOSE, 0, "\x03\xe8\xc0\xaf", 4, 0, 0,
	  WS_ANOM_INVALID_UTF8, 1, 0 },
	{ "close code 4000 ok", SESS_DIR_RESP, F_FIN | OP_CLOSE, 0, "\x0f\xa0", 2, 0, 0,
	  WS_ANOM__COUNT, 0, 0 },
};

static void test_anomaly_table(void **state)
{
	size_t i, split;
	uint8_t buf[256], zeros[126] = { 0 };

	(void)state;
	for (i = 0; i < sizeof(anom_cases) / sizeof(anom_cases[0]); i++) {
		const struct anom_case *a = &anom_cases[i];
		size_t len = 0;

		if (a->prelude)
			wsb(buf, &len, OP_TEXT, a->dir == SESS_DIR_REQ, "ab", 2, 0);
		wsb(buf, &len, a->b0, a->masked, a->payload ? (const void *)a->payload : zeros,
		    a->len, a->len_form);
		for (split = 0; split <= len; split++) {
			struct ws_handshake hs = good_hs();
			struct cap k;
			struct ws_conn *c = open_conn(&k, NULL, &hs);
			const uint64_t *an;
			int j;

			ws_feed(c, a->dir, buf, split, T0 + MS);
			ws_feed(c, a->dir, buf + split, len - split, T0 + MS);
			an = ws_conn_anoms(c);
			for (j = 0; j < WS_ANOM__COUNT; j++) {
				uint64_t want = j == (int)a->want ? a->count : 0;
				if (an[j] != want)
					fail_msg("%s split %zu: %s = %llu, want %llu", a->name,
						 split, ws_anom_names[j],
						 (unsigned long long)an[j],
						 (unsigned long long)want);
			}
			if (ws_conn_stats(c)->msgs[a->dir] != a->msgs)
				fail_msg("%s: msgs %llu", a->name,
					 (unsigned long long)ws_conn_stats(c)->msgs[a->dir]);
			ws_close(c, T0 + 2 * MS);
			if (a->count)
				assert_int_equal(ev_anom(&k.last, ws_anom_names[a->want]), a->count);
			else
				assert_int_equal(k.last.n_anom, 0);
			ws_conn_free(c);
		}
	}
}

static void test_oversize_frame_and_message(void **state)
{
	struct ws_handshake hs = good_hs();
	struct ws_config cfg;
	struct cap k;
	struct ws_conn *c;
	uint8_t pl[200], buf[512];
	size_t len = 0;

	(void)state;
	ws_config_default(&cfg);
	cfg.max_frame = 100;
	cfg.max_message = 150;
	memset(pl, 'x', sizeof(pl));
	wsb(buf, &len, F_FIN | OP_TEXT, 1, pl, 120, 0);  /* frame > 100 */
	wsb(buf, &len, OP_TEXT, 1, pl, 80, 0);           /* message 80 + 80 > 150 */
	wsb(buf, &len, F_FIN | OP_CONT, 1, pl, 80, 0);
	c = open_conn(&k, &cfg, &hs);
	feed_chunks(c, SESS_DIR_REQ, buf, len, 3, T0 + MS);
	assert_int_equal(ws_conn_anoms(c)[WS_ANOM_OVERSIZE_FRAME], 1);
	assert_int_equal(ws_conn_anoms(c)[WS_ANOM_OVERSIZE_MESSAGE], 1);
	assert_int_equal(anoms_total(c), 2);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_REQ], 2);
	assert_int_equal(ws_conn_stats(c)->payload_bytes[SESS_DIR_REQ], 280);
	assert_int_equal(ws_conn_stats(c)->largest_msg[SESS_DIR_REQ], 160);
	ws_conn_free(c);
}

/* A 64-bit length with the top bit set: counted, and the rest of that side
 * is skipped by counting; the other side still decodes. */
static void test_length_2_63(void **state)
{
	struct ws_handshake hs = good_hs();
	struct cap k;
	struct ws_conn *c;
	uint8_t buf[64], junk[4096], sb[16];
	size_t len = 0, sl = 0;
	int i;

	(void)state;
	wsb(buf, &len, F_FIN | OP_BIN, 1, NULL, 1ull << 63, 127);
	wsb(sb, &sl, F_FIN | OP_TEXT, 0, "ok", 2, 0);
	memset(junk, 0x81, sizeof(junk)); /* would look like frame headers */
	c = open_conn(&k, NULL, &hs);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
	for (i = 0; i < 100; i++)
		ws_feed(c, SESS_DIR_REQ, junk, sizeof(junk), T0 + MS);
	ws_feed(c, SESS_DIR_RESP, sb, sl, T0 + MS);
	assert_only_anom(c, WS_ANOM_OVERSIZE_FRAME, 1);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_REQ], 0);
	assert_int_equal(ws_conn_stats(c)->payload_bytes[SESS_DIR_REQ], 0);
	assert_int_equal(ws_conn_stats(c)->ignored_bytes[SESS_DIR_REQ], 100 * sizeof(junk));
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_RESP], 1);
	ws_conn_free(c);
}

/* 200000 continuation frames never finishing: one FRAGMENT_STORM, exact
 * byte count, and nothing grows (valgrind would see a leak or growth as
 * allocations; the decoder allocates only in ws_conn_new). */
static void test_fragment_storm_constant_memory(void **state)
{
	struct ws_handshake hs = good_hs();
	struct cap k;
	struct ws_conn *c;
	uint8_t first[16], cont[16];
	size_t fl = 0, cl = 0;
	int i;

	(void)state;
	wsb(first, &fl, OP_BIN, 1, "abc", 3, 0);
	wsb(cont, &cl, OP_CONT, 1, "abc", 3, 0);
	c = open_conn(&k, NULL, &hs);
	ws_feed(c, SESS_DIR_REQ, first, fl, T0 + MS);
	for (i = 0; i < 200000; i++)
		ws_feed(c, SESS_DIR_REQ, cont, cl, T0 + MS);
	assert_only_anom(c, WS_ANOM_FRAGMENT_STORM, 1);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_REQ], 0);
	assert_int_equal(ws_conn_stats(c)->payload_bytes[SESS_DIR_REQ], 3 * 200001);
	assert_int_equal(ws_conn_stats(c)->frames[SESS_DIR_REQ][OP_CONT], 200000);
	ws_conn_free(c);
}

/* UTF-8 sequences split across frames (and at every chunk offset). */
static void test_utf8_across_frames(void **state)
{
	static const struct {
		const char *name, *a, *b;
		uint64_t invalid;
	} t[] = {
		{ "euro split 2+1", "x\xe2\x82", "\xac", 0 },
		{ "4-byte split 1+3", "\xf0", "\x9f\x98\x80y", 0 },
		{ "overlong e0 80 80", "\xe0", "\x80\x80", 1 },
		{ "surrogate ed a0 80", "\xed\xa0", "\x80", 1 },
		{ "beyond U+10FFFF", "\xf4\x90", "\x80\x80", 1 },
		{ "message ends mid-sequence", "ok", "\xc3", 1 },
		{ "stray continuation", "ok", "\x80", 1 },
		{ "two bad bytes count once", "\xff", "\xfe", 1 },
	};
	size_t i, split;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint8_t buf[64];
		size_t len = 0;

		wsb(buf, &len, OP_TEXT, 1, t[i].a, strlen(t[i].a), 0);
		wsb(buf, &len, F_FIN | OP_CONT, 1, t[i].b, strlen(t[i].b), 0);
		for (split = 0; split <= len; split++) {
			struct ws_handshake hs = good_hs();
			struct cap k;
			struct ws_conn *c = open_conn(&k, NULL, &hs);

			ws_feed(c, SESS_DIR_REQ, buf, split, T0 + MS);
			ws_feed(c, SESS_DIR_REQ, buf + split, len - split, T0 + MS);
			if (ws_conn_anoms(c)[WS_ANOM_INVALID_UTF8] != t[i].invalid)
				fail_msg("%s split %zu", t[i].name, split);
			assert_int_equal(anoms_total(c), t[i].invalid);
			assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_REQ], 1);
			ws_conn_free(c);
		}
	}
}

static void test_message_flood(void **state)
{
	struct ws_handshake hs = good_hs();
	struct ws_config cfg;
	struct cap k;
	struct ws_conn *c;
	uint8_t f[16], sf[16];
	size_t fl = 0, sfl = 0;
	int i;

	(void)state;
	ws_config_default(&cfg);
	cfg.flood_msgs_per_sec = 10;
	wsb(f, &fl, F_FIN | OP_BIN, 1, "m", 1, 0);
	wsb(sf, &sfl, F_FIN | OP_BIN, 0, "m", 1, 0);
	c = open_conn(&k, &cfg, &hs);
	/* 10 in the first second: fine; server messages never count */
	for (i = 0; i < 10; i++)
		ws_feed(c, SESS_DIR_REQ, f, fl, T0 + (uint64_t)i * 10 * MS);
	for (i = 0; i < 50; i++)
		ws_feed(c, SESS_DIR_RESP, sf, sfl, T0 + 500 * MS);
	assert_int_equal(anoms_total(c), 0);
	/* the 11th and more inside that second: counted once */
	for (i = 0; i < 20; i++)
		ws_feed(c, SESS_DIR_REQ, f, fl, T0 + 900 * MS);
	assert_only_anom(c, WS_ANOM_MESSAGE_FLOOD, 1);
	/* a calm next second: no more */
	for (i = 0; i < 5; i++)
		ws_feed(c, SESS_DIR_REQ, f, fl, T0 + 1500 * MS);
	assert_only_anom(c, WS_ANOM_MESSAGE_FLOOD, 1);
	/* another flooded second: counted again */
	for (i = 0; i < 30; i++)
		ws_feed(c, SESS_DIR_REQ, f, fl, T0 + 3 * SEC);
	assert_only_anom(c, WS_ANOM_MESSAGE_FLOOD, 2);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_REQ], 65);
	ws_conn_free(c);
}

static void test_ping_flood(void **state)
{
	struct ws_handshake hs = good_hs();
	struct ws_config cfg;
	struct cap k;
	struct ws_conn *c;
	uint8_t f[16];
	size_t fl = 0;
	int i;

	(void)state;
	ws_config_default(&cfg);
	cfg.flood_pings_per_sec = 5;
	wsb(f, &fl, F_FIN | OP_PING, 1, "", 0, 0);
	c = open_conn(&k, &cfg, &hs);
	for (i = 0; i < 5; i++)
		ws_feed(c, SESS_DIR_REQ, f, fl, T0 + MS);
	assert_int_equal(anoms_total(c), 0);
	for (i = 0; i < 100; i++)
		ws_feed(c, SESS_DIR_REQ, f, fl, T0 + 2 * MS);
	assert_only_anom(c, WS_ANOM_CONTROL_ABUSE, 1);
	ws_conn_free(c);
}

/* Frames a side sends after its own close frame are counted and ignored;
 * the other side may still talk until it closes. */
static void test_bytes_after_close(void **state)
{
	struct ws_handshake hs = good_hs();
	struct cap k;
	struct ws_conn *c;
	uint8_t cb[64], sb[64];
	size_t cl = 0, sl = 0;

	(void)state;
	wsb(cb, &cl, F_FIN | OP_CLOSE, 1, "\x03\xe8", 2, 0);
	wsb(cb, &cl, F_FIN | OP_TEXT, 1, "late", 4, 0);
	wsb(sb, &sl, F_FIN | OP_TEXT, 0, "still", 5, 0);
	c = open_conn(&k, NULL, &hs);
	ws_feed(c, SESS_DIR_REQ, cb, cl, T0 + MS);
	ws_feed(c, SESS_DIR_REQ, cb, 6, T0 + 2 * MS);
	ws_feed(c, SESS_DIR_RESP, sb, sl, T0 + 2 * MS);
	assert_only_anom(c, WS_ANOM_DATA_AFTER_CLOSE, 2);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_REQ], 0);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_RESP], 1);
	assert_int_equal(ws_conn_stats(c)->ignored_bytes[SESS_DIR_REQ], 10 + 6);
	assert_int_equal(k.n, 1);
	ws_close(c, T0 + 3 * MS);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.last.phase, SESS_WS_CLOSE);
	assert_int_equal(k.last.close_code, 1000);
	assert_int_equal(ev_anom(&k.last, "ws.data_after_close"), 2);
	assert_int_equal(ws_conn_stats(c)->who_closed, WS_CLOSED_CLIENT);
	assert_int_equal(ws_conn_stats(c)->close_done, 0);
	assert_int_equal(ws_conn_stats(c)->duration_ns, 3 * MS);
	ws_conn_free(c);
}

static void test_periodic_summary_via_tick(void **state)
{
	struct ws_handshake hs = good_hs();
	struct ws_config cfg;
	struct cap k;
	struct ws_conn *c;
	uint8_t f[16];
	size_t fl = 0;

	(void)state;
	ws_config_default(&cfg);
	cfg.summary_interval_ns = SEC;
	wsb(f, &fl, F_FIN | OP_TEXT, 1, "hey", 3, 0);
	c = open_conn(&k, &cfg, &hs);
	ws_feed(c, SESS_DIR_REQ, f, fl, T0 + 100 * MS);
	ws_tick(c, T0 + 999 * MS);
	assert_int_equal(k.n, 1);
	ws_tick(c, T0 + SEC);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.ev[1].phase, SESS_WS_PERIODIC);
	assert_int_equal(k.ev[1].client_msgs, 1);
	assert_int_equal(k.ev[1].client_bytes, 3);
	assert_int_equal(k.ev[1].end_ns, T0 + 100 * MS);
	ws_tick(c, T0 + SEC + 500 * MS);
	assert_int_equal(k.n, 2);
	/* due again; bytes arriving late trigger it too, before they count */
	ws_feed(c, SESS_DIR_REQ, f, fl, T0 + 2 * SEC + 1);
	assert_int_equal(k.n, 3);
	assert_int_equal(k.ev[2].phase, SESS_WS_PERIODIC);
	assert_int_equal(k.ev[2].client_msgs, 1);
	ws_close(c, T0 + 10 * SEC);
	assert_int_equal(k.n, 4);
	assert_int_equal(k.ev[3].phase, SESS_WS_CLOSE);
	assert_int_equal(k.ev[3].client_msgs, 2);
	/* closed: no more summaries */
	ws_tick(c, T0 + 20 * SEC);
	assert_int_equal(k.n, 4);
	ws_conn_free(c);
}

static void test_no_periodic_when_interval_zero(void **state)
{
	struct ws_handshake hs = good_hs();
	struct ws_config cfg;
	struct cap k;
	struct ws_conn *c;

	(void)state;
	ws_config_default(&cfg);
	cfg.summary_interval_ns = 0;
	c = open_conn(&k, &cfg, &hs);
	ws_tick(c, T0 + 1000 * SEC);
	assert_int_equal(k.n, 1);
	ws_conn_free(c);
}

/* permessage-deflate: RSV1 on a first frame is fine and the payload is
 * decoded (RFC 7692 7.2.3.1's "Hello"), so its text is the prefix kept;
 * RSV1 on a continuation is not, and bytes that are no DEFLATE stream are
 * counted as a coded message not judged. */
static void test_permessage_deflate(void **state)
{
	struct ws_handshake hs = good_hs();
	struct ws_config cfg;
	struct cap k;
	struct ws_conn *c;
	uint8_t buf[64];
	size_t len = 0, tl;
	const uint8_t *t;

	(void)state;
	ws_config_default(&cfg);
	cfg.text_prefix = 16;
	hs.extensions = "foo, permessage-deflate; client_max_window_bits";
	wsb(buf, &len, F_FIN | F_RSV1 | OP_TEXT, 1, "\xf2\x48\xcd\xc9\xc9\x07\x00", 7, 0);
	c = open_conn(&k, &cfg, &hs);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
	assert_int_equal(anoms_total(c), 0);
	assert_int_equal(ws_conn_stats(c)->deflate, 1);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_REQ], 1);
	t = ws_last_text(c, &tl);
	assert_int_equal(tl, 5);
	assert_memory_equal(t, "Hello", 5);
	len = 0;
	wsb(buf, &len, F_RSV1 | OP_TEXT, 1, "a", 1, 0);
	wsb(buf, &len, F_FIN | F_RSV1 | OP_CONT, 1, "b", 1, 0);
	ws_feed(c, SESS_DIR_REQ, buf, len, T0 + MS);
	assert_int_equal(ws_conn_anoms(c)[WS_ANOM_RSV_BITS], 1);
	assert_int_equal(ws_conn_anoms(c)[WS_ANOM_CODED_UNJUDGED], 1);
	assert_int_equal(anoms_total(c), 2);
	ws_conn_free(c);

	/* "permessage-deflate-x" is a different extension */
	hs.extensions = "permessage-deflate-x";
	c = open_conn(&k, &cfg, &hs);
	assert_int_equal(ws_conn_stats(c)->deflate, 0);
	ws_conn_free(c);
}

static void test_text_prefix_in_next_event(void **state)
{
	struct ws_handshake hs = good_hs();
	struct ws_config cfg;
	struct cap k;
	struct ws_conn *c;
	uint8_t buf[64];
	size_t len = 0, tl;
	const uint8_t *t;

	(void)state;
	ws_config_default(&cfg);
	cfg.text_prefix = 8;
	cfg.summary_interval_ns = SEC;
	wsb(buf, &len, F_FIN | OP_TEXT, 1, "hello world", 11, 0);
	wsb(buf, &len, F_FIN | OP_BIN, 1, "\x01\x02", 2, 0); /* binary: not kept */
	c = open_conn(&k, &cfg, &hs);
	feed_chunks(c, SESS_DIR_REQ, buf, len, 1, T0 + MS);
	t = ws_last_text(c, &tl);
	assert_int_equal(tl, 8);
	assert_memory_equal(t, "hello wo", 8);
	assert_int_equal(ws_last_text_truncated(c), 1);
	ws_tick(c, T0 + SEC);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.ev[1].body_len, 8);
	assert_memory_equal(k.ev[1].body, "hello wo", 8);
	assert_true(k.ev[1].trunc & SESS_TRUNC_BODY);
	/* only the next event carries it */
	ws_close(c, T0 + 2 * SEC);
	assert_int_equal(k.ev[2].body_len, 0);
	ws_conn_free(c);
}

/* A gap inside a payload keeps framing (message counted, unchecked); a gap
 * over a frame boundary loses that side. */
static void test_capture_gaps(void **state)
{
	struct ws_handshake hs = good_hs();
	struct cap k;
	struct ws_conn *c;
	uint8_t buf[64];
	size_t len = 0;

	(void)state;
	/* text frame: 6-byte header + 10 payload; lose payload bytes 2..5 */
	wsb(buf, &len, F_FIN | OP_TEXT, 1, "ab\xff\xff\xff\xffghij", 10, 0);
	wsb(buf, &len, F_FIN | OP_TEXT, 1, "ok", 2, 0);
	c = open_conn(&k, NULL, &hs);
	ws_feed(c, SESS_DIR_REQ, buf, 8, T0 + MS);
	ws_gap(c, SESS_DIR_REQ, 4, T0 + MS);
	ws_feed(c, SESS_DIR_REQ, buf + 12, len - 12, T0 + MS);
	assert_only_anom(c, WS_ANOM_GAP, 1);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_REQ], 2);
	assert_int_equal(ws_conn_stats(c)->payload_bytes[SESS_DIR_REQ], 12);
	assert_int_equal(ws_conn_stats(c)->wire_bytes[SESS_DIR_REQ], len);
	/* a gap longer than what is left of the frame: side lost */
	ws_feed(c, SESS_DIR_REQ, buf, 8, T0 + MS);
	ws_gap(c, SESS_DIR_REQ, 100, T0 + MS);
	ws_feed(c, SESS_DIR_REQ, buf + 16, len - 16, T0 + MS);
	assert_only_anom(c, WS_ANOM_GAP, 2);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_REQ], 2);
	ws_close(c, T0 + 2 * MS);
	assert_true(k.last.trunc & SESS_TRUNC_CAPTURE);
	ws_conn_free(c);
}

static void test_midstream_join_and_null_args(void **state)
{
	struct cap k;
	struct ws_conn *c;
	uint8_t buf[16];
	size_t len = 0;

	(void)state;
	ws_conn_free(NULL);
	ws_feed(NULL, SESS_DIR_REQ, buf, 1, 0);
	ws_tick(NULL, 0);
	ws_close(NULL, 0);
	c = open_conn(&k, NULL, NULL);
	assert_int_equal(k.n, 1);
	assert_true(k.ev[0].flags & SESS_F_PARTIAL);
	assert_int_equal(anoms_total(c), 0);
	wsb(buf, &len, F_FIN | OP_BIN, 0, "abc", 3, 0);
	ws_feed(c, SESS_DIR_RESP, buf, len, 7 * SEC);
	assert_int_equal(ws_conn_stats(c)->msgs[SESS_DIR_RESP], 1);
	ws_close(c, 9 * SEC);
	assert_int_equal(ws_conn_stats(c)->duration_ns, 2 * SEC);
	ws_conn_free(c);
}

static void test_totals_accumulate(void **state)
{
	uint64_t before[WS_ANOM__COUNT], after[WS_ANOM__COUNT];
	struct ws_handshake hs = good_hs();
	struct cap k;
	struct ws_conn *c;
	int i;

	(void)state;
	for (i = 0; i < WS_ANOM__COUNT; i++)
		assert_non_null(ws_anom_names[i]);
	assert_string_equal(ws_anom_names[WS_ANOM_UNMASKED_CLIENT], "ws.unmasked_client");
	ws_totals(before);
	hs.accept = "nope";
	c = open_conn(&k, NULL, &hs);
	ws_totals(after);
	assert_int_equal(after[WS_ANOM_BAD_ACCEPT], before[WS_ANOM_BAD_ACCEPT] + 1);
	ws_conn_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_rfc3174_vectors),
		cmocka_unit_test(test_b64_rfc4648_vectors),
		cmocka_unit_test(test_accept_rfc6455_example),
		cmocka_unit_test(test_handshake_accept_good_and_bad),
		cmocka_unit_test(test_open_event_fields),
		cmocka_unit_test(test_origin_rules),
		cmocka_unit_test(test_message_sizes),
		cmocka_unit_test(test_fragmented_message_counts_once),
		cmocka_unit_test(test_ping_pong),
		cmocka_unit_test(test_close_handshake),
		cmocka_unit_test(test_anomaly_table),
		cmocka_unit_test(test_oversize_frame_and_message),
		cmocka_unit_test(test_length_2_63),
		cmocka_unit_test(test_fragment_storm_constant_memory),
		cmocka_unit_test(test_utf8_across_frames),
		cmocka_unit_test(test_message_flood),
		cmocka_unit_test(test_ping_flood),
		cmocka_unit_test(test_bytes_after_close),
		cmocka_unit_test(test_periodic_summary_via_tick),
		cmocka_unit_test(test_no_periodic_when_interval_zero),
		cmocka_unit_test(test_permessage_deflate),
		cmocka_unit_test(test_text_prefix_in_next_event),
		cmocka_unit_test(test_capture_gaps),
		cmocka_unit_test(test_midstream_join_and_null_args),
		cmocka_unit_test(test_totals_accumulate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
