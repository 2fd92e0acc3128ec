/* test_grpc.c - gRPC helpers: message framing across arbitrary splits,
 * gaps, :path split, grpc-status and content-type parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "collector/decode/grpc.h"
#include "collector/decode/h2_frame.h"

/* Three messages: "abc", "" (empty), "hello world". */
static const uint8_t three_msgs[] = {
	0, 0, 0, 0, 3, 'a', 'b', 'c',
	0, 0, 0, 0, 0,
	1, 0, 0, 0, 11, 'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd',
};

static void test_msgp_counts_messages_at_every_split(void **state)
{
	struct sess_event *ev = malloc(sizeof(*ev));
	size_t a, b;

	assert_non_null(ev);
	for (a = 0; a <= sizeof(three_msgs); a++) {
		for (b = a; b <= sizeof(three_msgs); b++) {
			struct grpc_msgp p = { 0 };

			sess_event_init(ev, SESS_PROTO_GRPC, NULL);
			grpc_msgp_feed(&p, three_msgs, a, ev);
			grpc_msgp_feed(&p, three_msgs + a, b - a, ev);
			grpc_msgp_feed(&p, three_msgs + b, sizeof(three_msgs) - b, ev);
			assert_int_equal(p.msgs, 3);
			assert_false(p.in_body);
			assert_int_equal(p.pfx_len, 0);
			assert_int_equal(ev->body_len, 14);
			assert_memory_equal(ev->body, "abchello world", 14);
			/* flag 1 on bytes no coding made: counted, kept */
			assert_int_equal(ev->n_anom, 1);
		}
	}
	free(ev);
}

static void test_msgp_gap(void **state)
{
	static const struct { const char *name; size_t before; uint64_t gap; uint32_t msgs; int lost; } t[] = {
		{ "inside_first_body", 6, 2, 3, 0 },      /* 'b','c' lost: count exact */
		{ "ends_first_body", 5, 3, 3, 0 },
		{ "across_prefix", 7, 4, 1, 1 },          /* framing unknown after */
		{ "inside_prefix", 2, 1, 0, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct grpc_msgp p = { 0 };
		size_t after = t[i].before + (size_t)t[i].gap;

		grpc_msgp_feed(&p, three_msgs, t[i].before, NULL);
		grpc_msgp_gap(&p, t[i].gap);
		grpc_msgp_feed(&p, three_msgs + after, sizeof(three_msgs) - after, NULL);
		print_message("  gap %s\n", t[i].name);
		assert_int_equal(p.lost, t[i].lost);
		assert_int_equal(p.msgs, t[i].msgs);
	}
}

static void test_split_path(void **state)
{
	static const struct { const char *path; int rc; const char *svc, *rpc; } t[] = {
		{ "/helloworld.Greeter/SayHello", 0, "helloworld.Greeter", "SayHello" },
		{ "/a/b", 0, "a", "b" },
		{ "/a.B/", -1, "", "" },
		{ "//M", -1, "", "" },
		{ "/a/b/c", -1, "", "" },
		{ "no-slash", -1, "", "" },
		{ "", -1, "", "" },
	};
	struct sess_event *ev = malloc(sizeof(*ev));
	size_t i;

	assert_non_null(ev);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		sess_event_init(ev, SESS_PROTO_GRPC, NULL);
		assert_int_equal(grpc_split_path(t[i].path, strlen(t[i].path), ev),
				 t[i].rc ? -22 : 0);
		assert_string_equal(ev->service, t[i].svc);
		assert_string_equal(ev->rpc, t[i].rpc);
	}
	free(ev);
}

static void test_status_and_content_type(void **state)
{
	static const struct { const char *v; int st; } s[] = {
		{ "0", 0 }, { "5", 5 }, { "16", 16 }, { "", -1 }, { "-1", -1 },
		{ "5x", -1 }, { "1234567", -1 },
	};
	static const struct { const char *v; int yes; } ct[] = {
		{ "application/grpc", 1 }, { "application/grpc+proto", 1 },
		{ "Application/GRPC", 1 }, { "application/json", 0 }, { "application/grp", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		assert_int_equal(grpc_parse_status((const uint8_t *)s[i].v, strlen(s[i].v)), s[i].st);
	for (i = 0; i < sizeof(ct) / sizeof(ct[0]); i++)
		assert_int_equal(grpc_is_content_type((const uint8_t *)ct[i].v, strlen(ct[i].v)),
				 ct[i].yes);
}

static void test_frame_rules(void **state)
{
	static const struct { const char *name; uint8_t raw[9]; int dir, valid, plausible; } t[] = {
		{ "settings_empty", { 0, 0, 0, 4, 0, 0, 0, 0, 0 }, SESS_DIR_REQ, 1, 1 },
		{ "settings_on_stream", { 0, 0, 0, 4, 0, 0, 0, 0, 1 }, SESS_DIR_REQ, 0, 0 },
		{ "settings_len_7", { 0, 0, 7, 4, 0, 0, 0, 0, 0 }, SESS_DIR_REQ, 0, 0 },
		{ "data_stream_0", { 0, 0, 1, 0, 0, 0, 0, 0, 0 }, SESS_DIR_REQ, 0, 0 },
		{ "headers_ok", { 0, 0, 9, 1, 0x25, 0, 0, 0, 3 }, SESS_DIR_REQ, 1, 1 },
		{ "headers_undefined_flag", { 0, 0, 9, 1, 0x40, 0, 0, 0, 3 }, SESS_DIR_REQ, 1, 0 },
		{ "push_from_client", { 0, 0, 4, 5, 4, 0, 0, 0, 1 }, SESS_DIR_REQ, 0, 1 },
		{ "ping_len_8", { 0, 0, 8, 6, 0, 0, 0, 0, 0 }, SESS_DIR_RESP, 1, 1 },
		{ "unknown_type", { 0, 0, 3, 0x42, 0, 0, 0, 0, 0 }, SESS_DIR_REQ, 1, 0 },
		{ "reserved_bit", { 0, 0, 0, 4, 0, 0x80, 0, 0, 0 }, SESS_DIR_REQ, 1, 0 },
		{ "huge_data", { 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1 }, SESS_DIR_REQ, 1, 0 },
		{ "http1_text", { 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T' }, SESS_DIR_REQ, 1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct h2_frame_hdr h;

		h2_frame_hdr_parse(t[i].raw, &h);
		print_message("  frame %s\n", t[i].name);
		assert_int_equal(h2_frame_valid(&h, t[i].dir), t[i].valid);
		assert_int_equal(h2_frame_plausible(&h, 1u << 20), t[i].plausible);
	}
}

static void test_rate_window(void **state)
{
	struct h2_rate r = { 0 };
	int i, hits = 0;

	for (i = 0; i < 10; i++)
		hits += h2_rate_hit(&r, 1000 + (uint64_t)i, 10);
	assert_int_equal(hits, 0);
	for (i = 0; i < 50; i++)
		hits += h2_rate_hit(&r, 2000, 10);
	assert_int_equal(hits, 1);
	for (i = 0; i < 50; i++)
		hits += h2_rate_hit(&r, 2000000000ull, 10); /* next window */
	assert_int_equal(hits, 2);
}

/* a gRPC message: flag, big-endian length, body */
static size_t grpc_msg(uint8_t *out, int flag, const uint8_t *p, size_t n)
{
	out[0] = (uint8_t)flag;
	out[1] = (uint8_t)(n >> 24);
	out[2] = (uint8_t)(n >> 16);
	out[3] = (uint8_t)(n >> 8);
	out[4] = (uint8_t)n;
	memcpy(out + 5, p, n);
	return n + 5;
}

/* zlib's compression of p: wbits 31 gzip (grpc-encoding gzip), 15 zlib
 * (grpc-encoding deflate) */
static size_t zcomp(const char *p, size_t n, uint8_t *out, size_t cap, int wbits)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return z.total_out;
}

static uint32_t anom_of(const struct sess_event *ev, const char *name)
{
	for (uint32_t i = 0; i < ev->n_anom; i++)
		if (!strcmp(ev->anom[i].name, name))
			return ev->anom[i].count;
	return 0;
}

/* A plain message, then two compressed ones: gzip'd under grpc-encoding
 * gzip, or gzip and zlib with no grpc-encoding kept (each told by its
 * header); fed split at every point: the body holds the plain text of all
 * three, as the server reads them; nothing counted. */
static void test_msgp_compressed_decoded(void **state)
{
	static const char *const plain[3] = {
		"{name: alice}",
		"\x0a\x1b" "1' UNION SELECT password FROM users--",
		"\x0a\x05" "hello",
	};
	struct sess_event *ev = malloc(sizeof(*ev));
	uint8_t comp[256], wire[1024];
	size_t n, cut, cn;
	char want[256];

	(void)state;
	snprintf(want, sizeof(want), "%s%s%s", plain[0], plain[1], plain[2]);
	for (int hdr = 0; hdr < 2; hdr++) {
		/* one coding per call as grpc-encoding names it; without the
		 * header each message is told by its own first bytes */
		n = grpc_msg(wire, 0, (const uint8_t *)plain[0], strlen(plain[0]));
		cn = zcomp(plain[1], strlen(plain[1]), comp, sizeof(comp), 31);
		n += grpc_msg(wire + n, 1, comp, cn);
		cn = zcomp(plain[2], strlen(plain[2]), comp, sizeof(comp), hdr ? 31 : 15);
		n += grpc_msg(wire + n, 1, comp, cn);
		for (cut = 0; cut <= n; cut++) {
			struct grpc_msgp p = { 0 };

			sess_event_init(ev, SESS_PROTO_GRPC, NULL);
			if (hdr)
				sess_add_hdr(ev, "grpc-encoding", 13, "gzip", 4);
			grpc_msgp_feed(&p, wire, cut, ev);
			grpc_msgp_feed(&p, wire + cut, n - cut, ev);
			assert_int_equal(p.msgs, 3);
			assert_int_equal(ev->body_len, strlen(want));
			assert_memory_equal(ev->body, want, strlen(want));
			assert_int_equal(ev->n_anom, 0);
		}
	}
	free(ev);
}

/* What is not decoded is counted (grpc.coded_unjudged) and its bytes
 * kept as they came (their printable runs are judged as a plain binary
 * body's): a coding we do not decode (snappy, zstd), a stream that is
 * none (a gzip CRC broken), a bomb, and flag 1 on bytes no coding made. */
static void test_msgp_compressed_unjudged(void **state)
{
	struct sess_event *ev = malloc(sizeof(*ev));
	uint8_t comp[2048], wire[4096];
	static char big[100000];
	size_t n, cn;
	struct grpc_msgp p;

	(void)state;
	cn = zcomp("<script>alert(1)</script>", 25, comp, sizeof(comp), 31);
	/* snappy named: not decoded, even though the bytes are gzip */
	memset(&p, 0, sizeof(p));
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	sess_add_hdr(ev, "grpc-encoding", 13, "snappy", 6);
	n = grpc_msg(wire, 1, comp, cn);
	grpc_msgp_feed(&p, wire, n, ev);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	assert_int_equal(ev->body_len, cn);
	assert_memory_equal(ev->body, comp, cn);
	/* a broken CRC */
	memset(&p, 0, sizeof(p));
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	comp[cn - 6] ^= 0x55;
	n = grpc_msg(wire, 1, comp, cn);
	grpc_msgp_feed(&p, wire, n, ev);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	assert_int_equal(ev->body_len, cn);
	/* flag 1 on plain bytes: counted, read as they are */
	memset(&p, 0, sizeof(p));
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	n = grpc_msg(wire, 1, (const uint8_t *)"hello world", 11);
	grpc_msgp_feed(&p, wire, n, ev);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	assert_memory_equal(ev->body, "hello world", 11);
	/* a bomb: 100000 spaces in a few hundred bytes */
	memset(big, ' ', sizeof(big));
	cn = zcomp(big, sizeof(big), comp, sizeof(comp), 31);
	assert_true(cn * 100 < sizeof(big));
	memset(&p, 0, sizeof(p));
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	n = grpc_msg(wire, 1, comp, cn);
	grpc_msgp_feed(&p, wire, n, ev);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	free(ev);
}

/* A compressed message longer than the kept prefix: what is kept decodes
 * (the body is the plain prefix, cut as a plain message's is), and is not
 * counted as undecoded: the rest was not kept, coded or not. A gap inside
 * a compressed message: counted. */
static void test_msgp_compressed_prefix(void **state)
{
	struct sess_event *ev = malloc(sizeof(*ev));
	static char text[60000];
	static uint8_t comp[70000], wire[70010];
	size_t n, cn;
	struct grpc_msgp p = { 0 };

	(void)state;
	srand(3);
	for (size_t i = 0; i < sizeof(text); i++) /* hard to compress */
		text[i] = (char)('a' + rand() % 26);
	memcpy(text, "1' OR 1=1--", 11);
	cn = zcomp(text, sizeof(text), comp, sizeof(comp), 31);
	assert_true(cn > SESS_MAX_BODY);
	n = grpc_msg(wire, 1, comp, cn);
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	for (size_t o = 0; o < n; o += 1000)
		grpc_msgp_feed(&p, wire + o, n - o < 1000 ? n - o : 1000, ev);
	assert_int_equal(p.msgs, 1);
	/* the kept part is decoded and judged; the rest is not, and says so
	 * (as an HTTP body past what is decoded does) */
	assert_int_equal(ev->n_anom, 1);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	assert_true(ev->trunc & SESS_TRUNC_BODY);
	assert_true(ev->body_len > SESS_MAX_BODY / 2);
	assert_memory_equal(ev->body, text, ev->body_len);

	cn = zcomp("1' OR 1=1--", 11, comp, sizeof(comp), 31);
	n = grpc_msg(wire, 1, comp, cn);
	memset(&p, 0, sizeof(p));
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	grpc_msgp_feed(&p, wire, 8, ev);
	grpc_msgp_gap(&p, 4);
	grpc_msgp_feed(&p, wire + 12, n - 12, ev);
	assert_int_equal(p.msgs, 1);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	free(ev);
}

/* A compressed message after a filler that leaves it none, or a few, of
 * the kept bytes: the review's bypass (0 verdicts, 0 alerts) is now an
 * alert; a plain message past the prefix goes to the h2 windows
 * (h2_stream.c), judged there. */
static void test_msgp_compressed_past_the_prefix(void **state)
{
	struct sess_event *ev = malloc(sizeof(*ev));
	static uint8_t filler[SESS_MAX_BODY], comp[256], wire[SESS_MAX_BODY + 300];
	struct grpc_msgp p = { 0 };
	size_t cn, n;

	(void)state;
	for (size_t keep_room = 0; keep_room <= 5; keep_room += 5) {
		memset(filler, 'a', sizeof(filler));
		memset(&p, 0, sizeof(p));
		sess_event_init(ev, SESS_PROTO_GRPC, NULL);
		/* a plain filler message leaving keep_room bytes of the prefix */
		n = grpc_msg(wire, 0, filler, SESS_MAX_BODY - keep_room);
		grpc_msgp_feed(&p, wire, n, ev);
		assert_int_equal(ev->body_len, SESS_MAX_BODY - keep_room);
		cn = zcomp("1' OR 1=1--", 11, comp, sizeof(comp), 31);
		n = grpc_msg(wire, 1, comp, cn);
		grpc_msgp_feed(&p, wire, n, ev);
		assert_int_equal(p.msgs, 2);
		print_message("room %zu: coded anomalies %u\n", keep_room,
			      anom_of(ev, GRPC_ANOM_CODED));
		assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	}
	free(ev);
}

/* A compressed message whose text runs past the kept 4 KiB (5000 bytes
 * of letters, then an SQL injection): the prefix is judged, the rest is
 * not and says so (before: cut silently, the injection never judged). */
static void test_msgp_decoded_past_the_prefix_is_alerted(void **state)
{
	struct sess_event *ev = malloc(sizeof(*ev));
	static char text[5100];
	static uint8_t comp[8192], wire[8300];
	struct grpc_msgp p = { 0 };
	size_t cn, n;

	(void)state;
	srand(5);
	for (size_t i = 0; i < 5000; i++)
		text[i] = (char)('a' + rand() % 4);
	memcpy(text + 5000, "1' OR 1=1--", 11);
	cn = zcomp(text, 5011, comp, sizeof(comp), 31);
	assert_true(cn < SESS_MAX_BODY && cn * 100 > 5011); /* kept whole, no bomb */
	n = grpc_msg(wire, 1, comp, cn);
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	grpc_msgp_feed(&p, wire, n, ev);
	assert_int_equal(p.msgs, 1);
	assert_int_equal(ev->body_len, SESS_MAX_BODY);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	free(ev);
}

struct past_got {
	size_t n, calls;
	uint8_t tail[64];
};

static void past_collect(void *ctx, const uint8_t *b, size_t n)
{
	struct past_got *g = ctx;

	g->n += n;
	g->calls++;
	memcpy(g->tail, n >= 64 ? b + n - 64 : b, n >= 64 ? 64 : n);
}

/* With somewhere to put them (the HTTP/2 body windows), the plain bytes
 * past the prefix of a compressed message kept whole go there, all of
 * them, and nothing is alerted; a message decoding past GRPC_PLAIN_MAX
 * gives that much and is alerted. */
static void test_msgp_decoded_past_the_prefix_goes_on(void **state)
{
	struct sess_event *ev = malloc(sizeof(*ev));
	static char text[5100];
	static uint8_t comp[8192], wire[8300];
	struct grpc_msgp p = { 0 };
	struct past_got g = { 0 };
	size_t cn, n, big = GRPC_PLAIN_MAX + 5000;
	char *bomb = calloc(1, big);

	(void)state;
	srand(5);
	for (size_t i = 0; i < 5000; i++)
		text[i] = (char)('a' + rand() % 4);
	memcpy(text + 5000, "1' OR 1=1--", 11);
	cn = zcomp(text, 5011, comp, sizeof(comp), 31);
	n = grpc_msg(wire, 1, comp, cn);
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	p.past = past_collect;
	p.past_ctx = &g;
	grpc_msgp_feed(&p, wire, n, ev);
	assert_int_equal(ev->body_len, SESS_MAX_BODY);
	assert_memory_equal(ev->body, text, SESS_MAX_BODY);
	assert_int_equal(g.n, 5011 - SESS_MAX_BODY);
	assert_memory_equal(g.tail + 64 - 11, "1' OR 1=1--", 11);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 0);

	/* a bomb (261 KiB of zeros in a few hundred bytes): stopped at
	 * GRPC_RATIO_MAX times its input, not decoded to GRPC_PLAIN_MAX
	 * each time (a message of a few hundred bytes made ~1 ms of work),
	 * counted */
	memset(&p, 0, sizeof(p));
	memset(&g, 0, sizeof(g));
	cn = zcomp(bomb, big, comp, sizeof(comp), 31);
	n = grpc_msg(wire, 1, comp, cn);
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	p.past = past_collect;
	p.past_ctx = &g;
	grpc_msgp_feed(&p, wire, n, ev);
	print_message("bomb of %zu bytes: %zu plain bytes went past\n", cn, g.n);
	assert_true(g.n + SESS_MAX_BODY <= cn * GRPC_RATIO_MAX + 65536);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	free(bomb);
	free(ev);
}

/* A compressed message that does not fit the prefix (after a 4100-byte
 * plain one, or straddling its end) is collected and decoded at its end:
 * its plain bytes past those already in the prefix go on, nothing is
 * alerted, the memory it held (counted in *mem) goes back; a gap inside
 * it is counted. */
static void test_msgp_compressed_past_the_prefix_goes_on(void **state)
{
	struct sess_event *ev = malloc(sizeof(*ev));
	static char text[6100];
	static uint8_t comp[8192], wire[20000], plain[4100];
	struct past_got g;
	struct grpc_msgp p;
	size_t cn, n, first, mem, kept;

	(void)state;
	srand(7);
	for (size_t i = 0; i < 6000; i++)
		text[i] = (char)('a' + rand() % 4);
	memcpy(text + 6000, "1' OR 1=1--", 11);
	cn = zcomp(text, 6011, comp, sizeof(comp), 31);
	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)rand();
	for (int straddle = 0; straddle < 2; straddle++) {
		memset(&p, 0, sizeof(p));
		memset(&g, 0, sizeof(g));
		mem = 0;
		first = straddle ? 3000 : sizeof(plain);
		n = grpc_msg(wire, 0, plain, first);
		n += grpc_msg(wire + n, 1, comp, cn);
		sess_event_init(ev, SESS_PROTO_GRPC, NULL);
		p.past = past_collect;
		p.past_ctx = &g;
		p.mem = &mem;
		/* fed in pieces: collected across feeds */
		for (size_t o = 0; o < n; o += 700)
			grpc_msgp_feed(&p, wire + o, n - o < 700 ? n - o : 700, ev);
		assert_int_equal(p.msgs, 2);
		assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 0);
		assert_int_equal(ev->body_len, SESS_MAX_BODY);
		/* the prefix's plain text and what went on make the message */
		kept = straddle ? ev->body_len - first : 0; /* else the plain one filled it */
		assert_int_equal(g.n + kept, 6011);
		if (kept)
			assert_memory_equal(ev->body + first, text, kept);
		assert_memory_equal(g.tail + 64 - 11, "1' OR 1=1--", 11);
		assert_int_equal(mem, 0);
		assert_null(p.cbuf);
	}
	/* a gap inside it: counted, its buffer back */
	memset(&p, 0, sizeof(p));
	memset(&g, 0, sizeof(g));
	n = grpc_msg(wire, 0, plain, sizeof(plain));
	n += grpc_msg(wire + n, 1, comp, cn);
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	p.past = past_collect;
	p.past_ctx = &g;
	p.mem = &mem;
	grpc_msgp_feed(&p, wire, n - 100, ev);
	assert_true(mem > 0);
	grpc_msgp_gap(&p, 50);
	assert_int_equal(mem, 0);
	grpc_msgp_feed(&p, wire + n - 50, 50, ev);
	assert_int_equal(p.msgs, 2);
	assert_int_equal(g.n, 0);
	assert_int_equal(anom_of(ev, GRPC_ANOM_CODED), 1);
	/* a stream that ends mid-message gives its buffer back */
	memset(&p, 0, sizeof(p));
	sess_event_init(ev, SESS_PROTO_GRPC, NULL);
	p.past = past_collect;
	p.past_ctx = &g;
	p.mem = &mem;
	grpc_msgp_feed(&p, wire, n - 100, ev);
	assert_true(mem > 0);
	grpc_msgp_free(&p);
	assert_int_equal(mem, 0);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msgp_counts_messages_at_every_split),
		cmocka_unit_test(test_msgp_gap),
		cmocka_unit_test(test_msgp_compressed_decoded),
		cmocka_unit_test(test_msgp_compressed_unjudged),
		cmocka_unit_test(test_msgp_compressed_prefix),
		cmocka_unit_test(test_msgp_compressed_past_the_prefix),
		cmocka_unit_test(test_msgp_decoded_past_the_prefix_is_alerted),
		cmocka_unit_test(test_msgp_decoded_past_the_prefix_goes_on),
		cmocka_unit_test(test_msgp_compressed_past_the_prefix_goes_on),
		cmocka_unit_test(test_split_path),
		cmocka_unit_test(test_status_and_content_type),
		cmocka_unit_test(test_frame_rules),
		cmocka_unit_test(test_rate_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
