/* inflate.c - see inflate.h. Written from RFC 1950, 1951 and 1952.
 *
 * Huffman codes are canonical (RFC 1951 3.2.2): a code is known by its
 * lengths alone. Codes up to FAST_BITS long are looked up in one table
 * indexed by the next input bits; longer ones (and the last bits of the
 * input) are decoded a bit at a time against the count of codes of each
 * length. Errors stop the run with a status; nothing longjmps.
 */
#include "common/inflate.h"

#include <pthread.h>
#include <string.h>

#define MAX_BITS  15
#define FAST_BITS 9
#define N_LIT     288 /* 286 used; 286 and 287 take part in the fixed code */
#define N_DIST    32  /* 30 used; 30 and 31 as above */
#define N_CL      19

struct huff {
	uint16_t count[MAX_BITS + 1]; /* codes of each length */
	uint16_t sym[N_LIT];          /* symbols in code order */
	uint16_t fast[1 << FAST_BITS]; /* sym << 4 | len; 0: longer code */
};

struct st {
	const uint8_t *in;
	size_t in_len, in_pos;
	uint64_t bb;          /* bits not yet used, low first */
	unsigned bc;          /* how many */
	uint8_t *out;
	size_t out_cap, out_len;
	size_t base;          /* out[0..base): history, not this run's output */
	size_t member_start;  /* back-references stop here */
	unsigned ratio;
	size_t blocks;        /* blocks begun, every member's */
	enum inflate_status soft; /* a flaw decoders differ on: decoding goes
				   * on, and it is the status unless a worse */
	enum inflate_status err; /* INFLATE_OK while running */
	int uncounted;        /* inflate_probe: not in inflate_counts */
};

static uint64_t counts[INFLATE__COUNT];

/* --- bits ------------------------------------------------------------------ */

static void refill(struct st *s)
{
	while (s->bc <= 56 && s->in_pos < s->in_len) {
		s->bb |= (uint64_t)s->in[s->in_pos++] << s->bc;
		s->bc += 8;
	}
}

/* n bits (n <= 32), or -1 with err TRUNCATED */
static int64_t bits(struct st *s, unsigned n)
{
	uint32_t v;

	if (s->bc < n)
		refill(s);
	if (s->bc < n) {
		s->err = INFLATE_TRUNCATED;
		return -1;
	}
	v = (uint32_t)(s->bb & ((1ull << n) - 1));
	s->bb >>= n;
	s->bc -= n;
	return v;
}

/* drop the bits up to the next byte boundary */
static void align(struct st *s)
{
	s->bb >>= s->bc & 7;
	s->bc -= s->bc & 7;
}

/* input bytes consumed: those read less whole bytes still buffered */
static size_t consumed(const struct st *s)
{
	return s->in_pos - s->bc / 8;
}

/* --- Huffman tables --------------------------------------------------------- */

/* Build a canonical code from n lengths. An over-subscribed set is
 * refused; an incomplete one only when it has a single code of length 1
 * or none (RFC 1951 allows one distance code; its other half is an
 * error when met). */
static int huff_build(struct huff *h, const uint8_t *len, unsigned n)
{
	uint16_t offs[MAX_BITS + 2], next[MAX_BITS + 1];
	int left = 1;
	unsigned i, total = 0, code = 0;

	memset(h->count, 0, sizeof(h->count));
	memset(h->fast, 0, sizeof(h->fast));
	for (i = 0; i < n; i++)
		h->count[len[i]]++;
	h->count[0] = 0;
	for (i = 1; i <= MAX_BITS; i++) {
		left = left * 2 - h->count[i];
		total += h->count[i];
		if (left < 0)
			return -1;
	}
	if (left > 0 && !(total == 0 || (total == 1 && h->count[1] == 1)))
		return -1;
	offs[1] = 0;
	for (i = 1; i <= MAX_BITS; i++) {
		offs[i + 1] = (uint16_t)(offs[i] + h->count[i]);
		next[i] = (uint16_t)code;
		code = (code + h->count[i]) << 1;
	}
	for (i = 0; i < n; i++) {
		unsigned l = len[i], c, r = 0, k;

		if (!l)
			continue;
		h->sym[offs[l]++] = (uint16_t)i;
		c = next[l]++;
		if (l > FAST_BITS)
			continue;
		for (k = 0; k < l; k++) /* codes are sent most significant bit first */
			r |= ((c >> k) & 1u) << (l - 1 - k);
		for (k = r; k < (1u << FAST_BITS); k += 1u << l)
			h->fast[k] = (uint16_t)(i << 4 | l);
	}
	return 0;
}

/* The next symbol, or -1 (err set). */
static int decode(struct st *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;
	unsigned l;

	if (s->bc < FAST_BITS)
		refill(s);
	if (s->bc >= FAST_BITS) {
		uint16_t e = h->fast[s->bb & ((1u << FAST_BITS) - 1)];

		if (e) {
			s->bb >>= e & 15;
			s->bc -= e & 15;
			return e >> 4;
		}
	}
	for (l = 1; l <= MAX_BITS; l++) {
		int64_t b = bits(s, 1);
		int cnt = h->count[l];

		if (b < 0)
			return -1;
		code |= (int)b;
		if (code - first < cnt)
			return h->sym[index + code - first];
		index += cnt;
		first = (first + cnt) << 1;
		code <<= 1;
	}
	s->err = INFLATE_BAD_SYMBOL;
	return -1;
}

/* --- blocks ----------------------------------------------------------------- */

static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
	8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static int stop(struct st *s, enum inflate_status e)
{
	s->err = e;
	return -1;
}

static int ratio_over(const struct st *s)
{
	size_t made = s->out_len - s->base;

	return s->ratio && made > INFLATE_RATIO_FLOOR && made / s->ratio > consumed(s);
}

/* A block of Huffman-coded symbols up to its end code: 0, or -1. */
static int codes(struct st *s, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = decode(s, lit), d;
		int64_t e;
		size_t n, from;

		if (sym < 0)
			return -1;
		if (sym < 256) {
			if (s->out_len == s->out_cap)
				return stop(s, INFLATE_OUT_FULL);
			s->out[s->out_len++] = (uint8_t)sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return stop(s, INFLATE_BAD_SYMBOL);
		if ((e = bits(s, len_extra[sym])) < 0)
			return -1;
		n = len_base[sym] + (size_t)e;
		if ((d = decode(s, dist)) < 0)
			return -1;
		if (d >= 30)
			return stop(s, INFLATE_BAD_SYMBOL);
		if ((e = bits(s, dist_extra[d])) < 0)
			return -1;
		if (dist_base[d] + (size_t)e > s->out_len - s->member_start)
			return stop(s, INFLATE_BAD_DISTANCE);
		from = s->out_len - dist_base[d] - (size_t)e;
		/* byte by byte: a copy may overlap what it writes */
		while (n && s->out_len < s->out_cap) {
			s->out[s->out_len++] = s->out[from++];
			n--;
		}
		if (n)
			return stop(s, INFLATE_OUT_FULL);
		if (ratio_over(s))
			return stop(s, INFLATE_RATIO);
	}
}

static int stored(struct st *s)
{
	int64_t len, nlen;

	align(s);
	if ((len = bits(s, 16)) < 0 || (nlen = bits(s, 16)) < 0)
		return -1;
	if ((len ^ 0xffff) != nlen)
		return stop(s, INFLATE_BAD_STORED_LEN);
	while (len--) {
		int64_t b;

		if (s->out_len == s->out_cap)
			return stop(s, INFLATE_OUT_FULL);
		if ((b = bits(s, 8)) < 0)
			return -1;
		s->out[s->out_len++] = (uint8_t)b;
	}
	return 0;
}

/* The fixed code (RFC 1951 3.2.6), built once for every thread: building
 * it costs more than decoding a short block. */
static struct huff fixed_lit, fixed_dist;
static pthread_once_t fixed_once = PTHREAD_ONCE_INIT;

static void fixed_init(void)
{
	uint8_t l[N_LIT];
	unsigned i;

	for (i = 0; i < N_LIT; i++)
		l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	huff_build(&fixed_lit, l, N_LIT);
	memset(l, 5, N_DIST);
	huff_build(&fixed_dist, l, N_DIST);
}

static int fixed(struct st *s)
{
	pthread_once(&fixed_once, fixed_init);
	return codes(s, &fixed_lit, &fixed_dist);
}

/* The code lengths of a dynamic block, read with the code-length code. */
static int dyn_lengths(struct st *s, const struct huff *cl, uint8_t *l, unsigned n)
{
	unsigned i = 0;

	while (i < n) {
		int sym = decode(s, cl);
		int64_t rep;
		uint8_t v = 0;

		if (sym < 0)
			return -1;
		if (sym < 16) {
			l[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (!i)
				return stop(s, INFLATE_BAD_REPEAT);
			v = l[i - 1];
			rep = bits(s, 2);
			rep = rep < 0 ? rep : rep + 3;
		} else if (sym == 17) {
			rep = bits(s, 3);
			rep = rep < 0 ? rep : rep + 3;
		} else {
			rep = bits(s, 7);
			rep = rep < 0 ? rep : rep + 11;
		}
		if (rep < 0)
			return -1;
		if (i + (size_t)rep > n)
			return stop(s, INFLATE_BAD_REPEAT);
		while (rep--)
			l[i++] = v;
	}
	return 0;
}

static int dynamic(struct st *s)
{
	static const uint8_t order[N_CL] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	struct huff lit, dist, cl;
	uint8_t l[N_LIT + N_DIST];
	int64_t hlit, hdist, hclen, b;
	unsigned i;

	if ((hlit = bits(s, 5)) < 0 || (hdist = bits(s, 5)) < 0 ||
	    (hclen = bits(s, 4)) < 0)
		return -1;
	hlit += 257;
	hdist += 1;
	hclen += 4;
	if (hlit > 286 || hdist > 30)
		return stop(s, INFLATE_BAD_COUNTS);
	memset(l, 0, N_CL);
	for (i = 0; i < hclen; i++) {
		if ((b = bits(s, 3)) < 0)
			return -1;
		l[order[i]] = (uint8_t)b;
	}
	if (huff_build(&cl, l, N_CL))
		return stop(s, INFLATE_BAD_CODES);
	if (dyn_lengths(s, &cl, l, (unsigned)(hlit + hdist)))
		return -1;
	if (!l[256])
		return stop(s, INFLATE_NO_END_CODE);
	if (huff_build(&lit, l, (unsigned)hlit) ||
	    huff_build(&dist, l + hlit, (unsigned)hdist))
		return stop(s, INFLATE_BAD_CODES);
	return codes(s, &lit, &dist);
}

/* Blocks up to the one marked last: 0, or -1. */
static int blocks(struct st *s)
{
	int64_t last, type;

	do {
		int rc;

		if (++s->blocks > (s->out_len - s->base) / 8 + INFLATE_BLOCK_SLACK)
			return stop(s, INFLATE_BLOCKS);
		if ((last = bits(s, 1)) < 0 || (type = bits(s, 2)) < 0)
			return -1;
		if (type == 0)
			rc = stored(s);
		else if (type == 1)
			rc = fixed(s);
		else if (type == 2)
			rc = dynamic(s);
		else
			rc = stop(s, INFLATE_BAD_BLOCK_TYPE);
		if (rc)
			return rc;
	} while (!last);
	return 0;
}

/* --- checksums -------------------------------------------------------------- */

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	pthread_once(&crc_once, crc_init);
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static uint32_t adler32_of(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;

	while (n) {
		size_t k = n < 5552 ? n : 5552; /* b stays below 2^32 */

		n -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

/* --- wrappers --------------------------------------------------------------- */

/* little-endian 32 bits from byte-aligned input */
static int64_t le32(struct st *s)
{
	int64_t lo = bits(s, 16), hi;

	if (lo < 0 || (hi = bits(s, 16)) < 0)
		return -1;
	return lo | hi << 16;
}

static int skip_zstring(struct st *s)
{
	int64_t b;

	while ((b = bits(s, 8)) > 0)
		;
	return b < 0 ? -1 : 0;
}

/* One gzip member: header, blocks, CRC-32 and ISIZE. */
static int gzip_member(struct st *s)
{
	int64_t id1, id2, cm, flg, b, crc, isize;
	size_t start = consumed(s);

	if ((id1 = bits(s, 8)) < 0 || (id2 = bits(s, 8)) < 0 ||
	    (cm = bits(s, 8)) < 0 || (flg = bits(s, 8)) < 0)
		return -1;
	if (id1 != 0x1f || id2 != 0x8b || cm != 8)
		return stop(s, INFLATE_BAD_GZIP_HEADER);
	if ((flg & 0xe0) && !s->soft) /* zlib refuses, Python's gzip reads on */
		s->soft = INFLATE_BAD_GZIP_HEADER;
	if (le32(s) < 0 || bits(s, 16) < 0) /* MTIME, XFL, OS */
		return -1;
	if (flg & 4) { /* FEXTRA */
		int64_t xlen = bits(s, 16);

		if (xlen < 0)
			return -1;
		while (xlen--)
			if (bits(s, 8) < 0)
				return -1;
	}
	if ((flg & 8) && skip_zstring(s)) /* FNAME */
		return -1;
	if ((flg & 16) && skip_zstring(s)) /* FCOMMENT */
		return -1;
	if (flg & 2) { /* FHCRC: the header's CRC-32, low half */
		size_t hl = consumed(s) - start;

		if ((b = bits(s, 16)) < 0)
			return -1;
		if ((uint32_t)b != (crc32_of(s->in + start, hl) & 0xffff) &&
		    !s->soft) /* as above */
			s->soft = INFLATE_BAD_CHECKSUM;
	}
	s->member_start = s->out_len;
	if (blocks(s))
		return -1;
	align(s);
	if ((crc = le32(s)) < 0 || (isize = le32(s)) < 0)
		return -1;
	if ((uint32_t)crc != crc32_of(s->out + s->member_start,
				      s->out_len - s->member_start))
		return stop(s, INFLATE_BAD_CHECKSUM);
	if ((uint32_t)isize != (uint32_t)(s->out_len - s->member_start))
		return stop(s, INFLATE_BAD_SIZE);
	return 0;
}

static int zlib_header_ok(const uint8_t *p, size_t n)
{
	return n >= 2 && (p[0] & 0x0f) == 8 && (p[0] >> 4) <= 7 &&
	       ((unsigned)p[0] << 8 | p[1]) % 31 == 0;
}

static int zlib_stream(struct st *s)
{
	int64_t cmf, flg, a = 0;

	if ((cmf = bits(s, 8)) < 0 || (flg = bits(s, 8)) < 0)
		return -1;
	if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31)
		return stop(s, INFLATE_BAD_ZLIB_HEADER);
	if (flg & 0x20)
		return stop(s, INFLATE_ZLIB_DICT);
	s->member_start = s->out_len;
	if (blocks(s))
		return -1;
	align(s);
	for (int i = 0; i < 4; i++) { /* big-endian */
		int64_t b = bits(s, 8);

		if (b < 0)
			return -1;
		a = a << 8 | b;
	}
	if ((uint32_t)a != adler32_of(s->out + s->member_start,
				      s->out_len - s->member_start))
		return stop(s, INFLATE_BAD_CHECKSUM);
	return 0;
}

static int more_input(struct st *s)
{
	return s->bc >= 8 || s->in_pos < s->in_len;
}

/* HTTP "deflate": zlib when its header holds, else raw. Raw deflate can
 * open with two bytes that pass for a zlib header (a stored block's
 * length after a first byte 0x78), and servers that try zlib and then
 * raw read it raw: so do we, keeping the zlib reading when neither ends
 * well. */
static enum inflate_status deflate_either(const uint8_t *in, size_t in_len,
					  uint8_t *out, size_t out_cap,
					  unsigned ratio_max, struct inflate_result *r)
{
	if (!zlib_header_ok(in, in_len))
		return inflate_run(INFLATE_RAW, in, in_len, out, out_cap, ratio_max, r);
	if (!inflate_malformed(inflate_run(INFLATE_ZLIB, in, in_len, out, out_cap,
					   ratio_max, r)))
		return r->status;
	if (!inflate_malformed(inflate_run(INFLATE_RAW, in, in_len, out, out_cap,
					   ratio_max, r)))
		return r->status;
	return inflate_run(INFLATE_ZLIB, in, in_len, out, out_cap, ratio_max, r);
}

/* The run's final status, counted, and its figures in r. */
static enum inflate_status finish(struct st *s, uint32_t members,
				  struct inflate_result *r)
{
	if (s->err == INFLATE_OK && more_input(s))
		s->err = INFLATE_TRAILING;
	if (s->soft && !inflate_malformed(s->err))
		s->err = s->soft;
	r->status = s->err;
	r->out_len = s->out_len - s->base;
	r->in_used = consumed(s);
	r->members = members;
	if (!s->uncounted)
		__atomic_fetch_add(&counts[s->err], 1, __ATOMIC_RELAXED);
	return s->err;
}

enum inflate_status inflate_run(enum inflate_wrap wrap, const uint8_t *in,
				size_t in_len, uint8_t *out, size_t out_cap,
				unsigned ratio_max, struct inflate_result *r)
{
	struct st s = { .in = in, .in_len = in_len, .out = out,
			.out_cap = out_cap, .ratio = ratio_max };
	uint32_t members = 0;

	if (wrap == INFLATE_DEFLATE)
		return deflate_either(in, in_len, out, out_cap, ratio_max, r);
	if (wrap == INFLATE_GZIP) {
		/* members follow one another; input that is not one ends it */
		while (!gzip_member(&s)) {
			members++;
			if (!more_input(&s))
				break;
			if (s.bc < 16)
				refill(&s);
			if (s.bc < 16 ? (s.bb & 0xff) != 0x1f
				      : (s.bb & 0xffff) != 0x8b1f) {
				s.err = s.bc < 16 && (s.bb & 0xff) == 0x1f
						? INFLATE_TRUNCATED : INFLATE_TRAILING;
				break;
			}
		}
	} else if (wrap == INFLATE_ZLIB) {
		if (!zlib_stream(&s))
			members++;
	} else if (!blocks(&s)) {
		members++;
	}
	return finish(&s, members, r);
}

enum inflate_status inflate_probe(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
				  unsigned ratio_max, struct inflate_result *r)
{
	struct st s = { .in = in, .in_len = in_len, .out = out,
			.out_cap = out_cap, .ratio = ratio_max, .uncounted = 1 };

	return finish(&s, blocks(&s) ? 0 : 1, r);
}

enum inflate_status inflate_run_hist(const uint8_t *in, size_t in_len, uint8_t *buf,
				     size_t hist_len, size_t buf_cap, unsigned ratio_max,
				     struct inflate_result *r)
{
	struct st s = { .in = in, .in_len = in_len, .out = buf, .out_cap = buf_cap,
			.out_len = hist_len, .base = hist_len, .ratio = ratio_max };

	if (hist_len > buf_cap) {
		s.out_len = s.base = buf_cap;
		s.err = INFLATE_OUT_FULL;
		return finish(&s, 0, r);
	}
	return finish(&s, blocks(&s) ? 0 : 1, r);
}

int inflate_zlib_header(const uint8_t *p, size_t n)
{
	return zlib_header_ok(p, n);
}

int inflate_malformed(enum inflate_status st)
{
	return st >= INFLATE_BAD_GZIP_HEADER && st < INFLATE__COUNT;
}

const char *inflate_status_name(enum inflate_status st)
{
	static const char *const names[INFLATE__COUNT] = {
		[INFLATE_OK] = "ok",
		[INFLATE_TRUNCATED] = "truncated",
		[INFLATE_OUT_FULL] = "out_full",
		[INFLATE_TRAILING] = "trailing",
		[INFLATE_RATIO] = "ratio",
		[INFLATE_BLOCKS] = "blocks",
		[INFLATE_BAD_GZIP_HEADER] = "bad_gzip_header",
		[INFLATE_BAD_ZLIB_HEADER] = "bad_zlib_header",
		[INFLATE_ZLIB_DICT] = "zlib_dict",
		[INFLATE_BAD_BLOCK_TYPE] = "bad_block_type",
		[INFLATE_BAD_STORED_LEN] = "bad_stored_len",
		[INFLATE_BAD_COUNTS] = "bad_counts",
		[INFLATE_BAD_CODES] = "bad_codes",
		[INFLATE_BAD_REPEAT] = "bad_repeat",
		[INFLATE_NO_END_CODE] = "no_end_code",
		[INFLATE_BAD_SYMBOL] = "bad_symbol",
		[INFLATE_BAD_DISTANCE] = "bad_distance",
		[INFLATE_BAD_CHECKSUM] = "bad_checksum",
		[INFLATE_BAD_SIZE] = "bad_size",
	};

	return (unsigned)st < INFLATE__COUNT ? names[st] : "?";
}

void inflate_counts(uint64_t out[INFLATE__COUNT])
{
	for (int i = 0; i < INFLATE__COUNT; i++)
		out[i] = __atomic_load_n(&counts[i], __ATOMIC_RELAXED);
}
