/* test_inflate.c - the bounded DEFLATE decoder against zlib as the
 * reference encoder: stored, fixed and dynamic Huffman blocks in raw,
 * zlib and gzip wrappers (a gzip header with every optional field,
 * several members), every strategy zlib has, truncated prefixes, output
 * bounds, bombs, and hand-built malformed streams, one per status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "common/inflate.h"

#define BIG (256 * 1024)

/* zlib's deflate of in: wbits -15 raw, 15 zlib, 31 gzip */
static size_t zdeflate(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
		       int level, int wbits, int strategy, gz_header *gh)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, wbits, 8, strategy), Z_OK);
	if (gh)
		assert_int_equal(deflateSetHeader(&z, gh), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return z.total_out;
}

/* text with repeats (matches) and variety (a dynamic code pays) */
static void make_text(uint8_t *p, size_t n, unsigned seed)
{
	static const char *const w[] = { "{\"id\":", "\"name\":\"alice\",", "\"email\":",
		"\"bob@example.com\"", ",\"items\":[", "1,", "22,", "333]}", "\n", "select " };
	size_t o = 0;

	srand(seed);
	while (o < n) {
		const char *s = w[rand() % 10];
		size_t l = strlen(s);

		if (rand() % 4 == 0) {
			p[o++] = (uint8_t)('a' + rand() % 26);
			continue;
		}
		if (rand() % 8 == 0 && o > 300) { /* a long repeat: every length code */
			size_t k = 3 + (size_t)rand() % 280, from = (size_t)rand() % (o - k);

			for (size_t i = 0; i < k && o < n; i++)
				p[o++] = p[from + i];
			continue;
		}
		memcpy(p + o, s, l < n - o ? l : n - o);
		o += l < n - o ? l : n - o;
	}
}

struct bufs {
	uint8_t plain[BIG], comp[BIG + 1024], out[BIG + 64];
};

static struct bufs *B;

static int setup(void **state)
{
	(void)state;
	B = calloc(1, sizeof(*B));
	return B ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(B);
	return 0;
}

/* round trip of n plain bytes through zlib and back; returns the first
 * block's type as written */
static int roundtrip(size_t n, int level, int strategy, int wbits,
		     enum inflate_wrap wrap)
{
	struct inflate_result r;
	size_t cn = zdeflate(B->plain, n, B->comp, sizeof(B->comp), level, wbits, strategy, NULL);
	size_t hdr = wbits == -15 ? 0 : wbits == 15 ? 2 : 10;

	assert_int_equal(inflate_run(wrap, B->comp, cn, B->out, sizeof(B->out), 0, &r), INFLATE_OK);
	assert_int_equal(r.out_len, n);
	assert_int_equal(r.in_used, cn);
	assert_int_equal(r.members, 1);
	assert_memory_equal(B->out, B->plain, n);
	return (B->comp[hdr] >> 1) & 3;
}

static void stored_fixed_dynamic_each_wrapper(void **state)
{
	static const int wb[3] = { -15, 15, 31 };
	static const enum inflate_wrap wr[3] = { INFLATE_RAW, INFLATE_ZLIB, INFLATE_GZIP };

	(void)state;
	make_text(B->plain, 70000, 1);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(roundtrip(70000, 0, Z_DEFAULT_STRATEGY, wb[i], wr[i]), 0);
		assert_int_equal(roundtrip(70000, 6, Z_FIXED, wb[i], wr[i]), 1);
		assert_int_equal(roundtrip(70000, 9, Z_DEFAULT_STRATEGY, wb[i], wr[i]), 2);
	}
	/* HTTP "deflate": zlib-wrapped or raw, told apart by the header */
	roundtrip(5000, 6, Z_DEFAULT_STRATEGY, 15, INFLATE_DEFLATE);
	roundtrip(5000, 6, Z_DEFAULT_STRATEGY, -15, INFLATE_DEFLATE);
	/* an empty body */
	assert_int_equal(roundtrip(0, 6, Z_DEFAULT_STRATEGY, 31, INFLATE_GZIP), 1);
}

static void every_strategy_and_level(void **state)
{
	static const int strat[] = { Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY,
				      Z_RLE, Z_FIXED };

	(void)state;
	for (unsigned seed = 0; seed < 12; seed++) {
		size_t n = 1 + (size_t)seed * 9001;

		make_text(B->plain, n, seed + 7);
		if (seed % 3 == 2) /* incompressible: zlib falls back to stored */
			for (size_t i = 0; i < n; i++)
				B->plain[i] = (uint8_t)(rand() >> 7);
		for (unsigned s = 0; s < 5; s++)
			roundtrip(n, (int)(seed % 10), strat[s], 31, INFLATE_GZIP);
	}
}

static void gzip_optional_fields_and_members(void **state)
{
	struct inflate_result r;
	gz_header gh;
	size_t a, b;

	(void)state;
	memset(&gh, 0, sizeof(gh));
	gh.extra = (Bytef *)"XYZW";
	gh.extra_len = 4;
	gh.name = (Bytef *)"body.json";
	gh.comment = (Bytef *)"a comment";
	gh.hcrc = 1;
	make_text(B->plain, 3000, 3);
	a = zdeflate(B->plain, 1000, B->comp, sizeof(B->comp), 6, 31, Z_DEFAULT_STRATEGY, &gh);
	assert_int_equal(B->comp[3], 2 | 4 | 8 | 16);
	b = zdeflate(B->plain + 1000, 2000, B->comp + a, sizeof(B->comp) - a, 6, 31,
		     Z_DEFAULT_STRATEGY, NULL);
	assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, a + b, B->out, sizeof(B->out), 0, &r),
			 INFLATE_OK);
	assert_int_equal(r.members, 2);
	assert_int_equal(r.out_len, 3000);
	assert_memory_equal(B->out, B->plain, 3000);
	/* the header CRC (FHCRC) covers the file name; a wrong one is
	 * flagged, and the members decoded on as Python's gzip does */
	B->comp[16] ^= 1;
	assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, a + b, B->out, sizeof(B->out), 0, &r),
			 INFLATE_BAD_CHECKSUM);
	assert_int_equal(r.out_len, 3000);
	assert_int_equal(r.members, 2);
	B->comp[16] ^= 1;
	/* bytes after the last member that are no member: decoded, flagged */
	memcpy(B->comp + a + b, "junk", 4);
	assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, a + b + 4, B->out, sizeof(B->out), 0, &r),
			 INFLATE_TRAILING);
	assert_int_equal(r.out_len, 3000);
	assert_int_equal(r.in_used, a + b);
	/* a second member cut inside its magic */
	assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, a + 1, B->out, sizeof(B->out), 0, &r),
			 INFLATE_TRUNCATED);
	assert_int_equal(r.out_len, 1000);
}

/* Every prefix decodes to a prefix of the plain text, and says so. */
static void truncated_prefixes(void **state)
{
	struct inflate_result r;
	size_t cn, last = 0;

	(void)state;
	make_text(B->plain, 40000, 5);
	cn = zdeflate(B->plain, 40000, B->comp, sizeof(B->comp), 6, 31, Z_DEFAULT_STRATEGY, NULL);
	for (size_t cut = 0; cut < cn; cut += 1 + cut / 16) {
		assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, cut, B->out, sizeof(B->out), 0, &r),
				 INFLATE_TRUNCATED);
		assert_true(r.out_len <= 40000);
		assert_true(r.in_used <= cut);
		assert_memory_equal(B->out, B->plain, r.out_len);
		assert_true(r.out_len >= last); /* more input, never less output */
		last = r.out_len;
	}
	/* half the compressed bytes gave a good part of the text */
	inflate_run(INFLATE_GZIP, B->comp, cn / 2, B->out, sizeof(B->out), 0, &r);
	assert_true(r.out_len > 15000);
}

static void output_bounded(void **state)
{
	struct inflate_result r;
	size_t cn;

	(void)state;
	make_text(B->plain, 50000, 9);
	cn = zdeflate(B->plain, 50000, B->comp, sizeof(B->comp), 6, 31, Z_DEFAULT_STRATEGY, NULL);
	for (size_t cap = 0; cap < 20000; cap += 997) {
		memset(B->out, 0xa5, sizeof(B->out));
		assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, cn, B->out, cap, 0, &r),
				 INFLATE_OUT_FULL);
		assert_int_equal(r.out_len, cap);
		assert_memory_equal(B->out, B->plain, cap);
		for (size_t k = cap; k < cap + 64; k++)
			assert_int_equal(B->out[k], 0xa5);
	}
}

static void bomb_stops_at_ratio(void **state)
{
	struct inflate_result r;
	size_t cn;

	(void)state;
	memset(B->plain, 0, BIG);
	cn = zdeflate(B->plain, BIG, B->comp, sizeof(B->comp), 9, 31, Z_DEFAULT_STRATEGY, NULL);
	assert_true(cn < 400); /* 256 KiB of zeros: ~1000:1 */
	assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, cn, B->out, 16384, 100, &r),
			 INFLATE_RATIO);
	assert_true(r.out_len > INFLATE_RATIO_FLOOR && r.out_len < 16384);
	assert_true(r.out_len > 100 * r.in_used);
	/* without a cap, the buffer bounds it */
	assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, cn, B->out, 16384, 0, &r),
			 INFLATE_OUT_FULL);
	assert_int_equal(r.out_len, 16384);
	/* ordinary text is far under a cap of 100 */
	make_text(B->plain, BIG, 2);
	cn = zdeflate(B->plain, BIG, B->comp, sizeof(B->comp), 9, 31, Z_DEFAULT_STRATEGY, NULL);
	assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, cn, B->out, sizeof(B->out), 100, &r),
			 INFLATE_OK);
}

/* --- hand-built malformed streams ------------------------------------------ */

struct bw {
	uint8_t b[1024];
	size_t bit;
};

static void put(struct bw *w, uint32_t v, unsigned n) /* LSB first */
{
	for (unsigned i = 0; i < n; i++, w->bit++)
		if (v >> i & 1)
			w->b[w->bit / 8] |= (uint8_t)(1u << (w->bit % 8));
}

static void put_code(struct bw *w, uint32_t code, unsigned n) /* MSB first */
{
	for (unsigned i = n; i--;)
		put(w, code >> i & 1, 1);
}

static size_t bw_len(const struct bw *w)
{
	return (w->bit + 7) / 8;
}

static enum inflate_status run_raw(const struct bw *w, struct inflate_result *r)
{
	return inflate_run(INFLATE_RAW, w->b, bw_len(w), B->out, 1024, 0, r);
}

static void malformed_each_status(void **state)
{
	struct inflate_result r;
	struct bw w;
	uint8_t z[64];
	size_t cn;
	uint64_t before[INFLATE__COUNT], after[INFLATE__COUNT];

	(void)state;
	inflate_counts(before);
	/* block type 3 */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 3, 2);
	assert_int_equal(run_raw(&w, &r), INFLATE_BAD_BLOCK_TYPE);
	/* stored LEN 5 with NLEN not its complement */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 3);
	w.bit = 8;
	put(&w, 5, 16);
	put(&w, 0xfffb, 16);
	assert_int_equal(run_raw(&w, &r), INFLATE_BAD_STORED_LEN);
	/* fixed block whose first symbol is a match: nothing to copy from */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_code(&w, 1, 7);  /* length symbol 257: 3 */
	put_code(&w, 0, 5);  /* distance 1 */
	assert_int_equal(run_raw(&w, &r), INFLATE_BAD_DISTANCE);
	/* fixed block: literal 'a', then distance symbol 30 */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_code(&w, 0x30 + 'a', 8);
	put_code(&w, 1, 7);
	put_code(&w, 30, 5);
	assert_int_equal(run_raw(&w, &r), INFLATE_BAD_SYMBOL);
	assert_int_equal(r.out_len, 1);
	/* fixed block: length symbol 286 */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_code(&w, 0xc0 + 286 - 280, 8);
	assert_int_equal(run_raw(&w, &r), INFLATE_BAD_SYMBOL);
	/* dynamic: HLIT 257 + 30 */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 30, 5);
	put(&w, 0, 5);
	put(&w, 0, 4);
	assert_int_equal(run_raw(&w, &r), INFLATE_BAD_COUNTS);
	/* dynamic: code-length code over-subscribed (three codes of length 1) */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 0, 5);
	put(&w, 0, 5);
	put(&w, 0, 4); /* 4 code-length lengths: symbols 16, 17, 18, 0 */
	put(&w, 1, 3);
	put(&w, 1, 3);
	put(&w, 1, 3);
	put(&w, 0, 3);
	assert_int_equal(run_raw(&w, &r), INFLATE_BAD_CODES);
	/* dynamic: code-length code {16: 1 bit, 0: 1 bit}; first symbol 16
	 * repeats a length before any */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 0, 5);
	put(&w, 0, 5);
	put(&w, 0, 4);
	put(&w, 1, 3); /* 16 */
	put(&w, 0, 3); /* 17 */
	put(&w, 0, 3); /* 18 */
	put(&w, 1, 3); /* 0 */
	put_code(&w, 1, 1); /* canonical: symbol 0 is code 0, 16 is code 1 */
	put(&w, 0, 2);
	assert_int_equal(run_raw(&w, &r), INFLATE_BAD_REPEAT);
	/* dynamic: all 258 lengths zero (symbol 0, 258 times): no end code */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 0, 5);
	put(&w, 0, 5);
	put(&w, 0, 4);
	put(&w, 1, 3);
	put(&w, 0, 3);
	put(&w, 0, 3);
	put(&w, 1, 3);
	for (int i = 0; i < 258; i++)
		put_code(&w, 0, 1);
	assert_int_equal(run_raw(&w, &r), INFLATE_NO_END_CODE);
	/* wrappers */
	cn = zdeflate((const uint8_t *)"hello hello hello", 17, z, sizeof(z), 6, 31,
		      Z_DEFAULT_STRATEGY, NULL);
	z[cn - 8] ^= 1;
	assert_int_equal(inflate_run(INFLATE_GZIP, z, cn, B->out, 1024, 0, &r), INFLATE_BAD_CHECKSUM);
	assert_int_equal(r.out_len, 17);
	z[cn - 8] ^= 1;
	z[cn - 4] ^= 1;
	assert_int_equal(inflate_run(INFLATE_GZIP, z, cn, B->out, 1024, 0, &r), INFLATE_BAD_SIZE);
	z[cn - 4] ^= 1;
	z[3] = 0x20; /* reserved flag: flagged, decoded on (Python's gzip reads it) */
	assert_int_equal(inflate_run(INFLATE_GZIP, z, cn, B->out, 1024, 0, &r), INFLATE_BAD_GZIP_HEADER);
	assert_int_equal(r.out_len, 17);
	assert_memory_equal(B->out, "hello hello hello", 17);
	z[0] = 0x1e; /* no gzip magic: nothing decoded */
	assert_int_equal(inflate_run(INFLATE_GZIP, z, cn, B->out, 1024, 0, &r), INFLATE_BAD_GZIP_HEADER);
	assert_int_equal(r.out_len, 0);
	cn = zdeflate((const uint8_t *)"hello hello hello", 17, z, sizeof(z), 6, 15,
		      Z_DEFAULT_STRATEGY, NULL);
	z[cn - 1] ^= 1;
	assert_int_equal(inflate_run(INFLATE_ZLIB, z, cn, B->out, 1024, 0, &r), INFLATE_BAD_CHECKSUM);
	z[1] ^= 1;
	assert_int_equal(inflate_run(INFLATE_ZLIB, z, cn, B->out, 1024, 0, &r), INFLATE_BAD_ZLIB_HEADER);
	z[0] = 0x78;
	z[1] = 0xbb; /* FDICT, check bits right */
	assert_int_equal((0x78 << 8 | 0xbb) % 31, 0);
	assert_int_equal(inflate_run(INFLATE_ZLIB, z, cn, B->out, 1024, 0, &r), INFLATE_ZLIB_DICT);
	inflate_counts(after);
	assert_true(after[INFLATE_BAD_SYMBOL] >= before[INFLATE_BAD_SYMBOL] + 2);
	assert_true(after[INFLATE_ZLIB_DICT] >= before[INFLATE_ZLIB_DICT] + 1);
	for (int s = INFLATE_BAD_GZIP_HEADER; s < INFLATE__COUNT; s++) {
		assert_true(inflate_malformed((enum inflate_status)s));
		assert_true(after[s] > before[s]);
		assert_string_not_equal(inflate_status_name((enum inflate_status)s), "?");
	}
	assert_false(inflate_malformed(INFLATE_TRUNCATED));
	assert_false(inflate_malformed(INFLATE_RATIO));
}

/* Raw deflate whose first two bytes pass for a zlib header (a stored
 * block of LEN 0x..01 after a first byte 0x78): servers that try zlib
 * then raw read it; so must "deflate". */
static void deflate_raw_posing_as_zlib(void **state)
{
	static const char rest[] = "\"q\":\"1' OR '1'='1' -- \"}";
	struct inflate_result r;
	uint8_t v[256] = { 0x78, 0x01, 0x00, 0xfe, 0xff, '{' };
	size_t n = 6;

	(void)state;
	n += zdeflate((const uint8_t *)rest, strlen(rest), v + n, sizeof(v) - n, 6, -15,
		      Z_DEFAULT_STRATEGY, NULL);
	assert_true(inflate_malformed(inflate_run(INFLATE_ZLIB, v, n, B->out, 1024, 0, &r)));
	assert_int_equal(inflate_run(INFLATE_RAW, v, n, B->out, 1024, 0, &r), INFLATE_OK);
	assert_int_equal(inflate_run(INFLATE_DEFLATE, v, n, B->out, 1024, 0, &r), INFLATE_OK);
	assert_int_equal(r.out_len, 1 + strlen(rest));
	assert_memory_equal(B->out, "{", 1);
	assert_memory_equal(B->out + 1, rest, strlen(rest));
}

/* Thousands of empty fixed blocks (10 bits each, no output): a CPU
 * sink, not a body. The run stops at a block cap tied to the output
 * (out_len / 8 + INFLATE_BLOCK_SLACK) with INFLATE_BLOCKS, long before
 * the input ends; a stream of many small flushed blocks still decodes. */
static void empty_blocks_capped(void **state)
{
	struct inflate_result r;
	struct bw *w = calloc(1, sizeof(*w));
	uint8_t plain[4096];
	z_stream z;
	size_t i;

	(void)state;
	assert_non_null(w);
	for (i = 0; i < 800; i++) { /* empty fixed block: 0, 01, end code 0000000 */
		put(w, 0, 1);
		put(w, 1, 2);
		put_code(w, 0, 7);
	}
	put(w, 1, 1);
	put(w, 1, 2);
	put_code(w, 0, 7);
	assert_int_equal(inflate_run(INFLATE_RAW, w->b, bw_len(w), B->out, 1024, 0, &r),
			 INFLATE_BLOCKS);
	assert_false(inflate_malformed(INFLATE_BLOCKS));
	assert_string_equal(inflate_status_name(INFLATE_BLOCKS), "blocks");
	/* stopped at the cap: block INFLATE_BLOCK_SLACK + 1, 10 bits each */
	assert_int_equal(r.out_len, 0);
	assert_true(r.in_used <= (INFLATE_BLOCK_SLACK + 2) * 10 / 8 + 1);
	/* a sync flush every 64 bytes: two blocks per 64 bytes, under the cap */
	make_text(plain, sizeof(plain), 7);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_out = B->comp;
	z.avail_out = sizeof(B->comp);
	for (i = 0; i < sizeof(plain); i += 64) {
		z.next_in = plain + i;
		z.avail_in = 64;
		assert_int_equal(deflate(&z, i + 64 < sizeof(plain) ? Z_SYNC_FLUSH : Z_FINISH),
				 i + 64 < sizeof(plain) ? Z_OK : Z_STREAM_END);
	}
	assert_int_equal(inflate_run(INFLATE_GZIP, B->comp, z.total_out, B->out,
				     sizeof(B->out), 100, &r), INFLATE_OK);
	assert_int_equal(r.out_len, sizeof(plain));
	assert_memory_equal(B->out, plain, sizeof(plain));
	deflateEnd(&z);
	free(w);
}

/* RFC 7692 permessage-deflate with context takeover: one raw DEFLATE
 * stream, each message ended by a sync flush whose 00 00 ff ff tail the
 * sender strips. The second message refers back into the first: alone it
 * does not decode; with the first's output as history it does, and only
 * its own bytes are counted. wbits 9..15: each window size a peer may
 * agree (client_max_window_bits). */
static void history_continues_stream(void **state)
{
	static const uint8_t tail[4] = { 0, 0, 0xff, 0xff };
	const char *m1 = "{\"op\":\"search\",\"q\":\"lisbon weather today\"}";
	const char *m2 = "{\"op\":\"search\",\"q\":\"lisbon weather tomorrow\"}";
	uint8_t c1[256], c2[256], buf[1024];
	struct inflate_result r;

	(void)state;
	for (int wb = 9; wb <= 15; wb++) {
		z_stream z;
		size_t n1, n2;

		memset(&z, 0, sizeof(z));
		assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, -wb, 8, Z_DEFAULT_STRATEGY), Z_OK);
		z.next_in = (Bytef *)m1;
		z.avail_in = (uInt)strlen(m1);
		z.next_out = c1;
		z.avail_out = sizeof(c1);
		assert_int_equal(deflate(&z, Z_SYNC_FLUSH), Z_OK);
		n1 = sizeof(c1) - z.avail_out;
		assert_memory_equal(c1 + n1 - 4, tail, 4);
		z.next_in = (Bytef *)m2;
		z.avail_in = (uInt)strlen(m2);
		z.next_out = c2;
		z.avail_out = sizeof(c2);
		assert_int_equal(deflate(&z, Z_SYNC_FLUSH), Z_OK);
		n2 = sizeof(c2) - z.avail_out;
		deflateEnd(&z);
		assert_true(n2 < strlen(m2)); /* it does refer back */

		/* the second message alone reaches before its start */
		assert_int_equal(inflate_run(INFLATE_RAW, c2, n2, buf, sizeof(buf), 0, &r),
				 INFLATE_BAD_DISTANCE);
		/* the first decodes alone; its flush leaves the stream open */
		assert_int_equal(inflate_run_hist(c1, n1, buf, 0, sizeof(buf), 0, &r),
				 INFLATE_TRUNCATED);
		assert_int_equal(r.out_len, strlen(m1));
		assert_int_equal(r.in_used, n1);
		assert_memory_equal(buf, m1, strlen(m1));
		/* the second after it: only its own bytes are counted */
		assert_int_equal(inflate_run_hist(c2, n2, buf, strlen(m1), sizeof(buf), 0, &r),
				 INFLATE_TRUNCATED);
		assert_int_equal(r.out_len, strlen(m2));
		assert_int_equal(r.in_used, n2);
		assert_memory_equal(buf + strlen(m1), m2, strlen(m2));
		/* output bounded by the room after the history */
		assert_int_equal(inflate_run_hist(c2, n2, buf, strlen(m1), strlen(m1) + 10, 0, &r),
				 INFLATE_OUT_FULL);
		assert_int_equal(r.out_len, 10);
	}
}

/* The bomb caps look at the new output only: a long history does not
 * make a short message a bomb, nor lift the block cap. */
static void history_caps_count_new_output(void **state)
{
	uint8_t *buf = B->out;
	struct inflate_result r;

	(void)state;
	memset(buf, 'a', 32768);
	{
		z_stream z;
		uint8_t msg[500];
		size_t n;

		memset(msg, 'a', sizeof(msg));
		memset(&z, 0, sizeof(z));
		assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
		assert_int_equal(deflateSetDictionary(&z, buf, 32768), Z_OK);
		z.next_in = msg;
		z.avail_in = sizeof(msg);
		z.next_out = B->comp;
		z.avail_out = 256;
		assert_int_equal(deflate(&z, Z_SYNC_FLUSH), Z_OK);
		n = 256 - z.avail_out;
		deflateEnd(&z);
		/* 500 new bytes from a few: under the ratio floor, no bomb */
		assert_int_equal(inflate_run_hist(B->comp, n, buf, 32768, 32768 + 1000, 2, &r),
				 INFLATE_TRUNCATED);
		assert_int_equal(r.out_len, 500);
		assert_memory_equal(buf + 32768, msg, 500);
	}
	/* 200 empty fixed blocks (10 bits each): past 64 + 0/8 blocks */
	memset(B->comp, 0, 300);
	for (int i = 0; i < 200; i++) { /* bits: 0 (not last), 01 (fixed), 0000000 (end) */
		size_t bit = (size_t)i * 10 + 1;

		B->comp[bit / 8] |= (uint8_t)(1u << (bit % 8));
	}
	assert_int_equal(inflate_run_hist(B->comp, 250, buf, 32768, 32768 + 100, 0, &r),
			 INFLATE_BLOCKS);
}

/* Random bytes: never past the buffer, never a crash, a status always. */
static void random_bytes_bounded(void **state)
{
	struct inflate_result r;
	unsigned ok = 0;

	(void)state;
	srand(42);
	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(rand() % 200);

		for (size_t k = 0; k < n; k++)
			B->comp[k] = (uint8_t)(rand() >> 5);
		inflate_run((enum inflate_wrap)(i % 4), B->comp, n, B->out, 300, 50, &r);
		assert_true(r.out_len <= 300 && r.in_used <= n);
		assert_true((unsigned)r.status < INFLATE__COUNT);
		ok += r.status == INFLATE_OK;
	}
	assert_true(ok < 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stored_fixed_dynamic_each_wrapper),
		cmocka_unit_test(every_strategy_and_level),
		cmocka_unit_test(gzip_optional_fields_and_members),
		cmocka_unit_test(truncated_prefixes),
		cmocka_unit_test(output_bounded),
		cmocka_unit_test(bomb_stops_at_ratio),
		cmocka_unit_test(malformed_each_status),
		cmocka_unit_test(deflate_raw_posing_as_zlib),
		cmocka_unit_test(empty_blocks_capped),
		cmocka_unit_test(history_continues_stream),
		cmocka_unit_test(history_caps_count_new_output),
		cmocka_unit_test(random_bytes_bounded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
