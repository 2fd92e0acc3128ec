/* test_ingest.c - the correlator's Batch -> COPY BINARY row encoder.
 *
 * The correlator is not in libcollector.a, so its two pure modules
 * (ingest.c, textesc.c; no libpq) are compiled into this test directly.
 * Batches are made with nanopb exactly as a collector sends them, decoded
 * by ingest_decode(), and the COPY stream checked byte for byte (a known
 * event) or field by field with a small independent tuple reader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include <pb_encode.h>

#include "common/textesc.h"
#include "correlator/ingest.h"

#define RECV_US 1767225600123456ull  /* 2026-01-01 00:00:00.123456 UTC */
#define TS_US   1767225600000001ull
#define PG_US(u) ((u) - 946684800000000ull)

static const struct ingest_limits LIM = {
	.recv_us = RECV_US,
	.ts_lo_us = 1767139200000000ull, /* 2025-12-31 */
	.ts_hi_us = 1767398400000000ull, /* 2026-01-03 */
};

struct evlist {
	const sidewatch_SessionEvent *ev;
	size_t n;
};

static bool enc_events(pb_ostream_t *os, const pb_field_t *f, void *const *arg)
{
	const struct evlist *l = *arg;

	for (size_t i = 0; i < l->n; i++)
		if (!pb_encode_tag_for_field(os, f) ||
		    !pb_encode_submessage(os, sidewatch_SessionEvent_fields, &l->ev[i]))
			return false;
	return true;
}

/* Encode a batch of host "h1", seq 7 holding ev[0..n), decode it. */
static int roundtrip(const sidewatch_SessionEvent *ev, size_t n,
		     struct ingest_batch *b)
{
	static uint8_t buf[64 << 10];
	sidewatch_Batch m = sidewatch_Batch_init_zero;
	struct evlist l = { ev, n };
	pb_ostream_t os = pb_ostream_from_buffer(buf, sizeof(buf));
	char why[128];

	m.version = 1;
	strcpy(m.host, "h1");
	m.seq = 7;
	m.events.funcs.encode = enc_events;
	m.events.arg = &l;
	assert_true(pb_encode(&os, sidewatch_Batch_fields, &m));
	return ingest_decode(buf, os.bytes_written, &LIM, b, why, sizeof(why));
}

static void base_event(sidewatch_SessionEvent *e)
{
	memset(e, 0, sizeof(*e));
	e->ts_us = TS_US;
	e->src_ip.size = 4;
	memcpy(e->src_ip.bytes, "\x0a\xd5\x00\x09", 4);
	e->src_port = 40000;
	e->dst_ip.size = 4;
	memcpy(e->dst_ip.bytes, "\x0a\xd5\x00\x01", 4);
	e->dst_port = 8080;
	e->pid = 42;
	e->comm.size = 1;
	e->comm.bytes[0] = 'c';
	e->method.size = 3;
	memcpy(e->method.bytes, "GET", 3);
	e->path.size = 2;
	memcpy(e->path.bytes, "/x", 2);
	e->status = 200;
	e->req_bytes = 1;
	e->resp_bytes = 2;
	e->latency_us = 3;
	e->conn_id = 0xffffffffffffffffull;
	e->end_us = TS_US + 500;
}

/* --- a known event, byte for byte ------------------------------------------ */

#define B4(v) (uint8_t)((uint32_t)(v) >> 24), (uint8_t)((uint32_t)(v) >> 16), \
	      (uint8_t)((uint32_t)(v) >> 8), (uint8_t)(v)
#define B8(v) B4((uint64_t)(v) >> 32), B4((uint64_t)(v) & 0xffffffffu)
#define F_I32(v) 0, 0, 0, 4, B4(v)
#define F_I64(v) 0, 0, 0, 8, B8(v)
#define F_BOOL(v) 0, 0, 0, 1, (v)
#define F_NULL 0xff, 0xff, 0xff, 0xff

static void test_known_event_encodes_byte_exact(void **state)
{
	static const uint8_t want[] = {
		'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 48,                                  /* fields */
		0, 0, 0, 2, 'h', '1',                   /* host */
		F_I64(7),                               /* seq */
		F_I32(0),                               /* idx */
		F_I64(PG_US(TS_US)),                    /* ts */
		F_BOOL(0),                              /* ts_clamped */
		F_I64(PG_US(RECV_US)),                  /* recv_ts */
		0, 0, 0, 7, 's', 'e', 's', 's', 'i', 'o', 'n',
		0, 0, 0, 5, 'h', 't', 't', 'p', '1',
		0, 0, 0, 8, 2, 32, 0, 4, 10, 213, 0, 9, /* src_ip inet */
		F_I64(40000),
		0, 0, 0, 8, 2, 32, 0, 4, 10, 213, 0, 1, /* dst_ip */
		F_I64(8080),
		F_I64(42),                              /* pid */
		0, 0, 0, 1, 'c',                        /* comm */
		F_BOOL(0),                              /* tls */
		0, 0, 0, 3, 'G', 'E', 'T',
		0, 0, 0, 0,                             /* authority: empty, not NULL */
		0, 0, 0, 2, '/', 'x',
		0, 0, 0, 0,                             /* query */
		F_I32(200),
		F_I64(1), F_I64(2), F_I64(3), F_I64(0), /* req, resp, latency, stream */
		F_NULL, F_NULL, F_NULL, F_NULL, F_NULL, /* grpc: not grpc */
		F_NULL, F_NULL, F_NULL, F_NULL,         /* websocket: not ws */
		F_NULL, F_NULL, F_NULL, F_NULL,
		F_NULL,                                 /* identity */
		F_NULL,                                 /* anomalies */
		F_NULL, F_NULL, F_NULL,                 /* rule, severity, action */
		F_NULL, F_NULL,                         /* verdict latencies */
		F_I64(0), F_I64(0),                     /* flags, trunc */
		F_BOOL(0),                              /* sanitized */
		F_I64(-1),                              /* conn_id bits kept */
		0xff, 0xff,                             /* trailer */
	};
	sidewatch_SessionEvent e;
	struct ingest_batch b = {0};
	struct sbuf out = {0};

	(void)state;
	base_event(&e);
	assert_int_equal(roundtrip(&e, 1, &b), 0);
	assert_int_equal(b.nevents, 1);
	assert_string_equal(b.host, "h1");
	ingest_copy_header(&out);
	assert_int_equal(ingest_copy_rows(&out, &b), 0);
	ingest_copy_trailer(&out);
	assert_int_equal(out.len, sizeof(want));
	assert_memory_equal(out.p, want, sizeof(want));
	assert_int_equal(b.nend, 1);
	assert_true(b.end_us[0] == TS_US + 500);
	sbuf_free(&out);
	ingest_batch_free(&b);
}

/* --- an independent reader of one tuple -------------------------------------- */

struct field {
	int32_t len; /* -1: NULL */
	const uint8_t *p;
};

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) << 32 | rd32(p + 4);
}

/* Split the tuples after the header into f[row][0..48). */
static int read_tuples(const struct sbuf *s, struct field f[][48], int maxrows)
{
	const uint8_t *p = (const uint8_t *)s->p + 19, *end = (const uint8_t *)s->p + s->len;
	int rows = 0;

	while (p + 2 <= end) {
		int nf = p[0] << 8 | p[1];

		p += 2;
		if (nf == 0xffff)
			return p == end ? rows : -1;
		if (nf != 48 || rows == maxrows)
			return -1;
		for (int i = 0; i < nf; i++) {
			if (p + 4 > end)
				return -1;
			f[rows][i].len = (int32_t)rd32(p);
			p += 4;
			f[rows][i].p = p;
			if (f[rows][i].len > 0) {
				if (f[rows][i].len > end - p)
					return -1;
				p += f[rows][i].len;
			}
		}
		rows++;
	}
	return -1;
}

enum { C_HOST, C_SEQ, C_IDX, C_TS, C_CLAMPED, C_RECV, C_KIND, C_PROTO, C_SRC,
       C_SPORT, C_DST, C_DPORT, C_PID, C_COMM, C_TLS, C_METHOD, C_AUTH, C_PATH,
       C_QUERY, C_STATUS, C_REQB, C_RESPB, C_LAT, C_STREAM, C_SERVICE, C_RPC,
       C_GRPC, C_REQM, C_RESPM, C_PHASE, C_ORIGIN, C_SUBP, C_CM, C_SM, C_CB,
       C_SB, C_CLOSE, C_IDENT, C_ANOM, C_RULE, C_SEV, C_ACTION, C_DLAT, C_ELAT,
       C_FLAGS, C_TRUNC, C_SANIT, C_CONN };

static void assert_text(const struct field *f, const char *want, size_t n)
{
	assert_int_equal(f->len, (int32_t)n);
	assert_memory_equal(f->p, want, n);
}

static void encode_all(struct ingest_batch *b, struct sbuf *out)
{
	sbuf_reset(out);
	ingest_copy_header(out);
	assert_int_equal(ingest_copy_rows(out, b), 0);
	ingest_copy_trailer(out);
}

/* --- hostile strings --------------------------------------------------------- */

struct hostile_case {
	const char *name;
	const char *in;
	size_t inlen;
	const char *want; /* stored bytes: raw, no COPY escaping in binary */
	size_t wantlen;
	int sanitized;
};

static const struct hostile_case HOSTILE[] = {
	{ "COPY text specials stay as they are", "/a\t\n\r\\N\\.", 9,
	  "/a\t\n\r\\N\\.", 9, 0 },
	{ "quotes and SQL", "/'\";DROP TABLE events;--", 24,
	  "/'\";DROP TABLE events;--", 24, 0 },
	{ "invalid UTF-8 becomes U+FFFD", "/\xff\xc0\xafok", 6,
	  "/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdok", 12, 1 },
	{ "surrogate becomes U+FFFD per byte", "/\xed\xa0\x80", 4,
	  "/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 10, 1 },
	{ "embedded NUL becomes U+FFFD", "/a\0b", 4, "/a\xef\xbf\xbd" "b", 6, 1 },
	{ "valid multibyte kept", "/\xc3\xa9\xe2\x82\xac", 6,
	  "/\xc3\xa9\xe2\x82\xac", 6, 0 },
	{ "control bytes kept", "/\x01\x1f\x7f", 4, "/\x01\x1f\x7f", 4, 0 },
};

static void test_hostile_paths_stored_faithfully_or_replaced(void **state)
{
	size_t n = sizeof(HOSTILE) / sizeof(HOSTILE[0]);
	static sidewatch_SessionEvent ev[8];
	static struct field f[8][48];
	struct ingest_batch b = {0};
	struct sbuf out = {0};
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		base_event(&ev[i]);
		ev[i].path.size = (pb_size_t)HOSTILE[i].inlen;
		memcpy(ev[i].path.bytes, HOSTILE[i].in, HOSTILE[i].inlen);
		bad += HOSTILE[i].sanitized;
	}
	assert_int_equal(roundtrip(ev, n, &b), 0);
	encode_all(&b, &out);
	assert_int_equal(read_tuples(&out, f, 8), (int)n);
	for (i = 0; i < n; i++) {
		print_message("case: %s\n", HOSTILE[i].name);
		assert_text(&f[i][C_PATH], HOSTILE[i].want, HOSTILE[i].wantlen);
		assert_int_equal(f[i][C_SANIT].len, 1);
		assert_int_equal(f[i][C_SANIT].p[0], HOSTILE[i].sanitized);
		assert_int_equal(rd32(f[i][C_IDX].p), i);
	}
	assert_int_equal(b.sanitized, bad);
	sbuf_free(&out);
	ingest_batch_free(&b);
}

/* --- NULLs, kinds, clamping --------------------------------------------------- */

static void test_nulls_verdict_grpc_ws_and_bad_ip(void **state)
{
	static sidewatch_SessionEvent ev[3];
	static struct field f[3][48];
	struct ingest_batch b = {0};
	struct sbuf out = {0};

	(void)state;
	/* a gRPC verdict with identity and anomalies, IPv6 source */
	base_event(&ev[0]);
	ev[0].kind = sidewatch_Kind_KIND_VERDICT;
	ev[0].proto = sidewatch_Proto_PROTO_GRPC;
	ev[0].src_ip.size = 16;
	memcpy(ev[0].src_ip.bytes, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	ev[0].service.size = 3;
	memcpy(ev[0].service.bytes, "svc", 3);
	ev[0].grpc_status = -1;
	ev[0].identity.size = 2;
	memcpy(ev[0].identity.bytes, "id", 2);
	ev[0].anomalies_count = 2;
	strcpy(ev[0].anomalies[0].name, "h1.bad\"x");
	ev[0].anomalies[0].count = 2;
	strcpy(ev[0].anomalies[1].name, "z");
	ev[0].anomalies[1].count = 1;
	strcpy(ev[0].rule, "sqli");
	strcpy(ev[0].action, "kill");
	ev[0].detect_latency_us = 9;
	/* websocket close; a 3-byte (bad) address; ts out of range */
	base_event(&ev[1]);
	ev[1].proto = sidewatch_Proto_PROTO_WEBSOCKET;
	ev[1].ws_phase = sidewatch_WsPhase_WS_CLOSE;
	ev[1].close_code = 1000;
	ev[1].src_ip.size = 3;
	ev[1].ts_us = 5;
	/* unknown enum values and no end time */
	base_event(&ev[2]);
	ev[2].kind = 7;
	ev[2].proto = 9;
	ev[2].end_us = 0;

	assert_int_equal(roundtrip(ev, 3, &b), 0);
	assert_int_equal(b.clamped_ts, 1);
	assert_int_equal(b.nend, 2);
	encode_all(&b, &out);
	assert_int_equal(read_tuples(&out, f, 3), 3);

	assert_text(&f[0][C_KIND], "verdict", 7);
	assert_text(&f[0][C_PROTO], "grpc", 4);
	assert_int_equal(f[0][C_SRC].len, 20);
	assert_memory_equal(f[0][C_SRC].p, "\x03\x80\x00\x10\x20\x01\x0d\xb8", 8);
	assert_text(&f[0][C_SERVICE], "svc", 3);
	assert_text(&f[0][C_RPC], "", 0);
	assert_int_equal((int32_t)rd32(f[0][C_GRPC].p), -1);
	assert_int_equal(f[0][C_PHASE].len, -1);
	assert_text(&f[0][C_IDENT], "id", 2);
	assert_text(&f[0][C_ANOM], "\1{\"h1.bad\\\"x\":2,\"z\":1}", 22);
	assert_text(&f[0][C_RULE], "sqli", 4);
	assert_int_equal(f[0][C_SEV].len, -1);
	assert_text(&f[0][C_ACTION], "kill", 4);
	assert_true(rd64(f[0][C_DLAT].p) == 9);
	assert_true(rd64(f[0][C_ELAT].p) == 0);

	assert_int_equal(f[1][C_SRC].len, -1);
	assert_text(&f[1][C_PHASE], "close", 5);
	assert_int_equal((int32_t)rd32(f[1][C_CLOSE].p), 1000);
	assert_int_equal(f[1][C_SERVICE].len, -1);
	assert_int_equal(f[1][C_CLAMPED].p[0], 1);
	assert_true(rd64(f[1][C_TS].p) == PG_US(RECV_US));
	assert_int_equal(f[1][C_DLAT].len, -1);

	assert_text(&f[2][C_KIND], "unknown", 7);
	assert_text(&f[2][C_PROTO], "unknown", 7);
	for (int c = C_SERVICE; c <= C_CLOSE; c++)
		assert_int_equal(f[2][c].len, -1);
	assert_int_equal(f[2][C_CLAMPED].p[0], 0);
	sbuf_free(&out);
	ingest_batch_free(&b);
}

static void test_copy_rows_refuses_broken_framing(void **state)
{
	struct ingest_batch b = {0};
	struct sbuf out = {0};
	uint32_t big = 1000;

	(void)state;
	strcpy(b.host, "h");
	b.seq = 1;
	sbuf_put(&b.rows, &big, 4);
	sbuf_put(&b.rows, "abc", 3);
	assert_int_equal(ingest_copy_rows(&out, &b), -EINVAL);
	sbuf_reset(&b.rows);
	sbuf_put(&b.rows, "ab", 2);
	assert_int_equal(ingest_copy_rows(&out, &b), -EINVAL);
	sbuf_free(&out);
	ingest_batch_free(&b);
}

static void test_garbage_does_not_decode(void **state)
{
	static const uint8_t junk[] = { 0xff, 0x01, 0x02 };
	struct ingest_batch b = {0};
	char why[128];

	(void)state;
	assert_int_equal(ingest_decode(junk, sizeof(junk), &LIM, &b, why, sizeof(why)),
			 -EBADMSG);
	ingest_batch_free(&b);
}

/* --- groups written by concurrent writers ------------------------------- */

/* (host, seq) order, and a batch resent within its group marked a repeat
 * (the writer stores the first copy and acks both). */
static void test_group_order_sorts_and_marks_repeats(void **state)
{
	static const struct {
		const char *name;
		size_t n;
		const char *host[6];
		uint64_t seq[6];
		uint16_t ord[6];
		uint8_t repeat[6];
	} cases[] = {
		{ "empty", 0, {0}, {0}, {0}, {0} },
		{ "one", 1, { "a" }, { 7 }, { 0 }, { 0 } },
		{ "in order", 3, { "a", "a", "b" }, { 1, 2, 1 }, { 0, 1, 2 }, { 0, 0, 0 } },
		{ "reversed", 3, { "b", "a", "a" }, { 1, 2, 1 }, { 2, 1, 0 }, { 0, 0, 0 } },
		{ "resend in the group", 4, { "a", "b", "a", "a" }, { 5, 1, 5, 4 },
		  { 3, 0, 2, 1 }, { 0, 0, 1, 0 } },
		{ "bytewise host, seq numeric", 5, { "b", "B", "a", "a", "\xc3\xa9" },
		  { 10, 1, 10, 9, 1 }, { 1, 3, 2, 0, 4 }, { 0, 0, 0, 0, 0 } },
		{ "three copies", 3, { "h", "h", "h" }, { 3, 3, 3 }, { 0, 1, 2 }, { 0, 1, 1 } },
	};
	static struct ingest_batch bs[6];
	size_t c, i;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct ingest_batch *b[6];
		uint16_t ord[6];
		uint8_t rep[6];

		for (i = 0; i < cases[c].n; i++) {
			snprintf(bs[i].host, sizeof(bs[i].host), "%s", cases[c].host[i]);
			bs[i].seq = cases[c].seq[i];
			b[i] = &bs[i];
		}
		ingest_group_order(b, cases[c].n, ord, rep);
		for (i = 0; i < cases[c].n; i++) {
			if (ord[i] != cases[c].ord[i] || rep[i] != cases[c].repeat[i])
				fail_msg("%s: position %zu: ord %u repeat %u, want %u %u",
					 cases[c].name, i, ord[i], rep[i],
					 cases[c].ord[i], cases[c].repeat[i]);
		}
	}
}

/* Array elements for unnest(): quoted, '"' and '\' escaped, nothing else
 * special (commas, braces, NULL), invalid UTF-8 and NUL replaced. */
static void test_pgarr_quotes_elements(void **state)
{
	static const struct {
		const char *name;
		const char *in;
		size_t n;
		const char *want;
		size_t bad;
	} cases[] = {
		{ "empty", "", 0, "\"\"", 0 },
		{ "plain", "host-1", 6, "\"host-1\"", 0 },
		{ "word NULL stays a string", "NULL", 4, "\"NULL\"", 0 },
		{ "separators", "a,b}{c d", 8, "\"a,b}{c d\"", 0 },
		{ "quote and backslash", "x\"y\\z", 5, "\"x\\\"y\\\\z\"", 0 },
		{ "json", "{\"n\":1}", 7, "\"{\\\"n\\\":1}\"", 0 },
		{ "NUL and bad byte", "a\0b\xff", 4, "\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"", 2 },
		{ "utf-8 kept", "\xc3\xa9t\xc3\xa9", 5, "\"\xc3\xa9t\xc3\xa9\"", 0 },
	};
	size_t c;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct sbuf b = {0};
		size_t bad = tx_pgarr(&b, cases[c].in, cases[c].n);

		if (bad != cases[c].bad || b.len != strlen(cases[c].want) ||
		    memcmp(b.p, cases[c].want, b.len) != 0)
			fail_msg("%s: got [%.*s] (%zu replaced)", cases[c].name,
				 (int)b.len, b.p, bad);
		sbuf_free(&b);
	}
}

/* The fleet's printable copies: cases at the edges, then random bytes
 * against the rule (valid UTF-8, no control character, bounded, and
 * printable ASCII kept as it is). */
static void test_printable_copies(void **state)
{
	static const struct {
		const char *name;
		const char *in;
		size_t n, cap;
		const char *want;
	} cases[] = {
		{ "ascii", "abc", 3, 16, "abc" },
		{ "cut at cap", "abcdef", 6, 4, "abc" },
		{ "cap 1", "abc", 3, 1, "" },
		{ "empty", "", 0, 8, "" },
		{ "controls", "a\tb\x7f", 4, 16, "a?b?" },
		{ "NUL", "a\0b", 3, 16, "a\xef\xbf\xbd" "b" },
		{ "bad byte", "a\xff" "b", 3, 16, "a\xef\xbf\xbd" "b" },
		{ "backslash and quote kept", "a\\'\"", 4, 16, "a\\'\"" },
		{ "no half character", "ab\xc3\xa9", 4, 4, "ab" },
		{ "whole character", "ab\xc3\xa9", 4, 5, "ab\xc3\xa9" },
		{ "ascii to the cap, then a bad byte", "abc\xff", 4, 4, "abc" },
		{ "bad byte past the cap", "abc\xff", 4, 8, "abc\xef\xbf\xbd" },
	};
	static const unsigned char alpha[] = {
		'a', 'Z', '/', '\\', '"', ' ', 0x00, 0x09, 0x1f, 0x7f,
		0x80, 0xbf, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0xff,
	};
	unsigned seed = 42;
	size_t c;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char out[64];

		memset(out, 'X', sizeof(out));
		tx_printable(out, cases[c].cap, cases[c].in, cases[c].n);
		if (strcmp(out, cases[c].want) != 0)
			fail_msg("%s: got [%s]", cases[c].name, out);
	}
	for (int t = 0; t < 20000; t++) {
		unsigned char in[48];
		char out[64];
		size_t n, cap, len, i;
		int ascii = 1;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % sizeof(in);
		seed = seed * 1103515245u + 12345u;
		cap = 1 + (seed >> 16) % (sizeof(out) - 1);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			/* half the strings printable ASCII only */
			in[i] = t & 1 ? (unsigned char)(0x20 + (seed >> 16) % 95)
				      : alpha[(seed >> 16) % sizeof(alpha)];
			ascii &= in[i] >= 0x20 && in[i] < 0x7f;
		}
		tx_printable(out, cap, in, n);
		len = strlen(out);
		assert_true(len < cap);
		assert_int_equal(tx_utf8_valid_prefix(out, len), len);
		for (i = 0; i < len; i++)
			assert_false((unsigned char)out[i] < 0x20 || out[i] == 0x7f);
		if (ascii) {
			assert_int_equal(len, n < cap - 1 ? n : cap - 1);
			assert_memory_equal(out, in, len);
		}
	}
}


/* Raw wire bytes: version 1, seq 7, n empty events, then (after the events,
 * as protobuf allows) the host field when host is not NULL. */
static size_t raw_batch(uint8_t *buf, size_t cap, const char *host, unsigned n,
			const char *ev_host)
{
	size_t o = 0, hl = host ? strlen(host) : 0, el = ev_host ? strlen(ev_host) : 0;

	buf[o++] = 0x08; buf[o++] = 0x01;          /* version = 1 */
	buf[o++] = 0x18; buf[o++] = 0x07;          /* seq = 7 */
	for (unsigned i = 0; i < n && o + 4 + el < cap; i++) {
		buf[o++] = 0x22;                   /* events, length-delimited */
		buf[o++] = (uint8_t)(el ? el + 2 : 0);
		if (el) {
			buf[o++] = 0x22;           /* SessionEvent.host = 4 */
			buf[o++] = (uint8_t)el;
			memcpy(buf + o, ev_host, el);
			o += el;
		}
	}
	if (host) {
		buf[o++] = 0x12;                   /* host = 2 */
		buf[o++] = (uint8_t)hl;
		memcpy(buf + o, host, hl);
		o += hl;
	}
	return o;
}

struct peer_case {
	const char *peer, *host, *ev_host;
	unsigned nev;
	int want;
};

/* A collector speaks only for itself: the batch names its key's host, its
 * events name no other, and it holds a bounded number of events - whatever
 * order the fields come in. */
static void test_batch_bound_to_its_sender(void **state)
{
	static const struct peer_case cases[] = {
		{ NULL, "h1", NULL, 3, 0 },                  /* plain mode: not checked */
		{ "h1", "h1", NULL, 3, 0 },
		{ "h1", "h1", "h1", 3, 0 },                  /* events may repeat the host */
		{ "h1", "h2", NULL, 3, -EACCES },            /* one key posing as h2 */
		{ "h1", "h1x", NULL, 1, -EACCES },           /* not a prefix match */
		{ "h1x", "h1", NULL, 1, -EACCES },
		{ "h1", "h1", "h3", 2, -EPROTO },            /* events posing as h3 */
		{ NULL, "h1", "h3", 2, -EPROTO },            /* plain mode too: rows say h1 */
		{ "h1", "h1", NULL, INGEST_MAX_EVENTS, 0 },
		{ "h1", "h1", NULL, INGEST_MAX_EVENTS + 1, -E2BIG },
		{ NULL, "h1", NULL, 200000, -E2BIG },        /* 400 kB of empty events */
	};
	static uint8_t buf[1 << 20];
	struct ingest_batch b = {0};
	struct ingest_limits lim = LIM;
	char why[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct peer_case *c = &cases[i];
		size_t n = raw_batch(buf, sizeof(buf), c->host, c->nev, c->ev_host);
		int rc;

		lim.peer = c->peer;
		why[0] = '\0';
		rc = ingest_decode(buf, n, &lim, &b, why, sizeof(why));
		if (rc != c->want)
			fail_msg("case %zu (peer %s, host %s, events of %s x%u): got %d (%s), want %d",
				 i, c->peer ? c->peer : "-", c->host, c->ev_host ? c->ev_host : "-",
				 c->nev, rc, why, c->want);
		if (rc == 0)
			assert_int_equal(b.nevents, c->nev);
		if (rc == -EACCES)
			assert_non_null(strstr(why, c->host));
	}
	/* one events-of-two-hosts batch: the second host is caught even when
	 * the first matches the batch */
	{
		sidewatch_SessionEvent ev[2];
		static uint8_t out[4096];
		sidewatch_Batch m = sidewatch_Batch_init_zero;
		struct evlist l = { ev, 2 };
		pb_ostream_t os = pb_ostream_from_buffer(out, sizeof(out));

		base_event(&ev[0]);
		base_event(&ev[1]);
		strcpy(ev[0].host, "h1");
		strcpy(ev[1].host, "h2");
		m.version = 1;
		strcpy(m.host, "h1");
		m.seq = 9;
		m.events.funcs.encode = enc_events;
		m.events.arg = &l;
		assert_true(pb_encode(&os, sidewatch_Batch_fields, &m));
		lim.peer = "h1";
		assert_int_equal(ingest_decode(out, os.bytes_written, &lim, &b, why, sizeof(why)), -EPROTO);
	}
	ingest_batch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_event_encodes_byte_exact),
		cmocka_unit_test(test_hostile_paths_stored_faithfully_or_replaced),
		cmocka_unit_test(test_nulls_verdict_grpc_ws_and_bad_ip),
		cmocka_unit_test(test_copy_rows_refuses_broken_framing),
		cmocka_unit_test(test_garbage_does_not_decode),
		cmocka_unit_test(test_group_order_sorts_and_marks_repeats),
		cmocka_unit_test(test_pgarr_quotes_elements),
		cmocka_unit_test(test_printable_copies),
		cmocka_unit_test(test_batch_bound_to_its_sender),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
