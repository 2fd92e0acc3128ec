/* payload_census.c - the census of a value for payload.c: its bytes copied
 * and ASCII lower-cased (16 bytes at a time with SSE2, in words below 16
 * bytes), which bytes it holds (payload_val.has) and the byte gates and
 * decoding bytes they open (payload_gate_of, filled by payload.c's
 * gates_build); payload.c's byte helpers: payload_find_len (a word's
 * first occurrence) and payload_fold_compat (full-width and overlong
 * forms folded to ASCII). */
#include "collector/detect/payload_int.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

unsigned payload_gate_of[256];

/* has_lo[c] and has_hi[c] (c < 128) are c's bit of has[0] and of has[1] */
static uint64_t has_lo[128], has_hi[128];

__attribute__((constructor)) static void census_build(void)
{
	for (unsigned c = 0; c < 128; c++) {
		has_lo[c] = c < 64 ? 1ull << c : 0;
		has_hi[c] = c < 64 ? 0 : 1ull << (c - 64);
	}
}

/* The bytes of x ASCII lower-cased, 8 at a time: h + 0x3f reaches 0x80
 * in a byte from 'A' up, h + 0x25 from past 'Z' up (h has no byte over
 * 0x7f, so no carry crosses bytes); bytes from 0x80 are kept. */
static inline uint64_t lower8(uint64_t x)
{
	const uint64_t k7f = 0x7f7f7f7f7f7f7f7full, k80 = 0x8080808080808080ull;
	uint64_t h = x & k7f, up = (h + 0x3f3f3f3f3f3f3f3full) & ~(h + 0x2525252525252525ull) & ~x & k80;

	return x | (up >> 2);
}

/* lower_copy for n < 16: two words that overlap (the same bytes get the
 * same value), read and written inside [0, n) */
static inline __attribute__((always_inline)) unsigned lower_short(const char *src, char *dec, char *lo, size_t n)
{
	uint64_t a = 0, b = 0;

	if (n >= 8) {
		memcpy(&a, src, 8);
		memcpy(&b, src + n - 8, 8);
		memcpy(dec, &a, 8);
		memcpy(dec + n - 8, &b, 8);
		a = lower8(a);
		b = lower8(b);
		memcpy(lo, &a, 8);
		memcpy(lo + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t x, y;

		memcpy(&x, src, 4);
		memcpy(&y, src + n - 4, 4);
		memcpy(dec, &x, 4);
		memcpy(dec + n - 4, &y, 4);
		a = lower8(x);
		b = lower8(y);
		x = (uint32_t)a;
		y = (uint32_t)b;
		memcpy(lo, &x, 4);
		memcpy(lo + n - 4, &y, 4);
	} else if (n) {
		/* 1..3 bytes: the first, the middle and the last (the same
		 * byte twice when n < 3) */
		unsigned c0 = (unsigned char)src[0], c1 = (unsigned char)src[n >> 1],
			 c2 = (unsigned char)src[n - 1];

		a = c0 | c1 | c2;
		dec[0] = (char)c0;
		dec[n >> 1] = (char)c1;
		dec[n - 1] = (char)c2;
		lo[0] = (char)(c0 + ((unsigned)((c0 - 'A') < 26u) << 5));
		lo[n >> 1] = (char)(c1 + ((unsigned)((c1 - 'A') < 26u) << 5));
		lo[n - 1] = (char)(c2 + ((unsigned)((c2 - 'A') < 26u) << 5));
	}
	return ((a | b) & 0x8080808080808080ull) != 0;
}

/* dec[0..n) = src[0..n) (dec may be src: the same bytes are written
 * back) and lo[0..n) the same ASCII lower-cased, 16 bytes at a time
 * (SSE2, the x86-64 baseline; a byte at a time elsewhere); returns
 * nonzero when a byte from 0x80 occurs. Reads and writes only inside
 * [0, n). */
static inline __attribute__((always_inline)) unsigned lower_copy(const char *src, char *dec, char *lo, size_t n)
{
#ifdef __SSE2__
	const __m128i shift = _mm_set1_epi8((char)(128 - 'A')), lim = _mm_set1_epi8((char)(-128 + 26)),
		      bit = _mm_set1_epi8(0x20);
	__m128i hi = _mm_setzero_si128();
	size_t i = 0;

#define LOWER16(x) _mm_or_si128((x), _mm_and_si128(_mm_cmplt_epi8(_mm_add_epi8((x), shift), lim), bit))
	if (n < 16)
		return lower_short(src, dec, lo, n);
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(src + i));

		hi = _mm_or_si128(hi, x);
		_mm_storeu_si128((__m128i *)(dec + i), x);
		_mm_storeu_si128((__m128i *)(lo + i), LOWER16(x));
	}
	if (i < n) { /* the last 16 bytes again, overlapping */
		__m128i x = _mm_loadu_si128((const __m128i *)(src + n - 16));

		hi = _mm_or_si128(hi, x);
		_mm_storeu_si128((__m128i *)(dec + n - 16), x);
		_mm_storeu_si128((__m128i *)(lo + n - 16), LOWER16(x));
	}
#undef LOWER16
	return (unsigned)_mm_movemask_epi8(hi);
#else
	unsigned hi = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)src[i];

		hi |= c;
		dec[i] = (char)c;
		lo[i] = (char)(c + ((unsigned)((c - 'A') < 26u) << 5));
	}
	return hi & 0x80;
#endif
}

/* The census of lo[0..n) when a byte from 0x80 occurs: has[] and the
 * gates by byte, in registers (has[c >> 6] indexed in memory made every
 * byte a load and a store); no branch on what kind of ASCII byte it is
 * (letters, digits and punctuation alternate in most values). */
static unsigned census_wide(const unsigned char *l, size_t n, uint64_t has[4])
{
	uint64_t h0 = 0, h1 = 0, h2 = 0, h3 = 0;
	unsigned gates = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned c = l[i];
		uint64_t b = 1ull << (c & 63), upper = -(uint64_t)((c >> 6) & 1);

		gates |= payload_gate_of[c];
		if (c < 128) {
			h1 |= b & upper;
			h0 |= b & ~upper;
		} else {
			h3 |= b & upper;
			h2 |= b & ~upper;
		}
	}
	has[0] = h0;
	has[1] = h1;
	has[2] = h2;
	has[3] = h3;
	return gates;
}

/* The gates the bytes of a census open (census() gives the same for
 * the value it counts) */
unsigned payload_census_gates(const uint64_t has[4])
{
	unsigned gates = 0;

	for (unsigned w = 0; w < 4; w++)
		for (uint64_t m = has[w]; m; m &= m - 1)
			gates |= payload_gate_of[w * 64 + (unsigned)__builtin_ctzll(m)];
	return gates;
}

/* the census of an ASCII lo[0..n): payload_census' loop */
static inline __attribute__((always_inline)) unsigned census_ascii(const unsigned char *l, size_t n, uint64_t has[4])
{
	uint64_t h0 = 0, h1 = 0, g0 = 0, g1 = 0;
	unsigned gates = 0, gates1 = 0;
	size_t i = 0;

	/* two chains of ORs, even and odd bytes */
	for (; i + 2 <= n; i += 2) {
		h0 |= has_lo[l[i]];
		h1 |= has_hi[l[i]];
		gates |= payload_gate_of[l[i]];
		g0 |= has_lo[l[i + 1]];
		g1 |= has_hi[l[i + 1]];
		gates1 |= payload_gate_of[l[i + 1]];
	}
	if (i < n) {
		h0 |= has_lo[l[i]];
		h1 |= has_hi[l[i]];
		gates |= payload_gate_of[l[i]];
	}
	has[0] = h0 | g0;
	has[1] = h1 | g1;
	has[2] = has[3] = 0;
	return gates | gates1;
}

/* Copy src[0..n) into lo ASCII lower-cased, and into dec (dec may be
 * src), write in has[] which bytes lo holds (bit c of the 256) and
 * return the gates they open (payload_gate_of). dec[n] and lo[n] are NUL.
 * Copying and lower-casing 16 bytes at a time
 * (lower_copy); then, for an ASCII value (most), a byte costs three
 * ORs from tables: its bit of has[0], of has[1], its gates. */
unsigned payload_census(const char *src, char *dec, char *lo, size_t n, uint64_t has[4])
{
	const unsigned char *l = (const unsigned char *)lo;

	if (lower_copy(src, dec, lo, n)) {
		dec[n] = lo[n] = '\0';
		return census_wide(l, n, has);
	}
	dec[n] = lo[n] = '\0';
	return census_ascii(l, n, has);
}

/* payload_census for a text read out of a wrapper (payload_b64_val):
 * lo[0..n) = src lower-cased, no byte written past it, dec not kept */
unsigned payload_census_lo(const char *src, char *lo, size_t n, uint64_t has[4])
{
	const unsigned char *l = (const unsigned char *)lo;

	if (lower_copy(src, lo, lo, n))
		return census_wide(l, n, has);
	return census_ascii(l, n, has);
}

/* The first index i >= from where lo[i..i+l) is w[0..l), or n. With
 * SSE2 (the x86-64 baseline), 16 candidates at a time: the bits of the
 * positions whose first byte is w[0] and (l > 1) whose next is w[1],
 * each such position then compared in full, lowest first; a last block
 * that overlaps the one before covers the tail (its positions below i
 * masked off). Reads only inside [0, n): a block at b reads
 * lo[b..b+16) and, for l > 1, lo[b+1..b+17), and is read only when
 * b + span <= n. A value shorter than a block is walked a byte at a
 * time (a call to memchr cost more than it). */
/* Does s[0..n) hold w[0..l) or x[0..xl) (payload_find_len's answer < n
 * for either)? One pass for both when they share their first byte and
 * are two bytes or more (a JSON body's "__proto__" and "constructor"
 * keys): 16 candidates at a time, the first byte and either second byte,
 * each candidate compared in full; otherwise, or under a block, two
 * payload_find_len calls. Reads only inside [0, n). */
int payload_find_either(const char *s, size_t n, const char *w, size_t l, const char *x, size_t xl)
{
#ifdef __SSE2__
	if (l >= 2 && xl >= 2 && w[0] == x[0] && n >= 17) {
		const __m128i v0 = _mm_set1_epi8(w[0]), vw = _mm_set1_epi8(w[1]), vx = _mm_set1_epi8(x[1]);
		size_t i = 0;

		for (;;) {
			/* the block at b: i's, or the last one (b + 17 == n) */
			size_t b = i + 17 <= n ? i : n - 17;
			__m128i nx = _mm_loadu_si128((const __m128i *)(s + b + 1));
			unsigned m = (unsigned)_mm_movemask_epi8(
					     _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(s + b)), v0)) &
				     (unsigned)_mm_movemask_epi8(
					     _mm_or_si128(_mm_cmpeq_epi8(nx, vw), _mm_cmpeq_epi8(nx, vx)));

			m &= ~0u << (i - b); /* i - b <= 16: positions from i */
			for (; m; m &= m - 1) {
				size_t p = b + (size_t)__builtin_ctz(m);

				if ((l <= n - p && memcmp(s + p, w, l) == 0) || (xl <= n - p && memcmp(s + p, x, xl) == 0))
					return 1;
			}
			if (b + 17 >= n)
				return 0; /* the last block was read */
			i = b + 16;
		}
	}
#endif
	return payload_find_len(s, n, 0, w, l) < n || payload_find_len(s, n, 0, x, xl) < n;
}

size_t payload_find_len(const char *lo, size_t n, size_t from, const char *w, size_t l)
{
	const unsigned char c0 = (unsigned char)w[0];
	size_t last, i = from;

	if (l == 0 || n < l || from > n - l)
		return n;
	last = n - l; /* the last position w can start at */
#ifdef __SSE2__
	const unsigned char c1 = l > 1 ? (unsigned char)w[1] : 0;
	const size_t span = l > 1 ? 17 : 16;

	if (n >= span) {
		const __m128i v0 = _mm_set1_epi8((char)c0), v1 = _mm_set1_epi8((char)c1);

		for (;;) {
			/* the block at b: i's, or the last one (b + span == n) */
			size_t b = i + span <= n ? i : n - span;
			unsigned m = (unsigned)_mm_movemask_epi8(
				_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(lo + b)), v0));

			if (l > 1)
				m &= (unsigned)_mm_movemask_epi8(
					_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(lo + b + 1)), v1));
			m &= ~0u << (i - b); /* i - b <= 16: positions from i */
			for (; m; m &= m - 1) {
				size_t p = b + (size_t)__builtin_ctz(m), k = 2;

				if (p > last)
					return n;
				while (k < l && lo[p + k] == w[k])
					k++;
				if (k >= l)
					return p;
			}
			if (b + span >= n)
				return n; /* the last block was read */
			i = b + 16;
		}
	}
#endif
	for (; i <= last; i++) {
		if ((unsigned char)lo[i] != c0)
			continue;
		size_t k = 1;

		while (k < l && lo[i + k] == w[k])
			k++;
		if (k == l)
			return i;
	}
	return n;
}

/* Code points a lenient server folds to ASCII before the value reaches a
 * page or a query: full-width forms U+FF01..U+FF5E (NFKC, Windows'
 * best-fit mapping: U+FF1C is '<') and overlong UTF-8 of an ASCII byte
 * (c0 bc, e0 80 bc), as a decoder that masks the low bits reads them;
 * and the two private-use code points old IIS best-fit tables read as
 * '/' (U+EFC8, U+F025: dotdotpwn's "..%uEFC8" and "..%uF025").
 * Writes the folded copy of s[0..n) into out (room for n + 1) and returns
 * its length, or 0 when nothing folds. */
size_t payload_fold_compat(const char *s, size_t n, char *out)
{
	size_t w = 0;
	int changed = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned char c1 = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		unsigned char c2 = i + 2 < n ? (unsigned char)s[i + 2] : 0;

		if ((c == 0xEE && c1 == 0xBF && c2 == 0x88) || (c == 0xEF && c1 == 0x80 && c2 == 0xA5)) {
			out[w++] = '/';
			i += 2;
			changed = 1;
			continue;
		}
		if (c == 0xEF && (c1 == 0xBC || c1 == 0xBD) && (c2 & 0xC0) == 0x80) {
			unsigned cp = 0xF000u | ((unsigned)(c1 & 0x3F) << 6) | (c2 & 0x3F);
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				out[w++] = (char)(cp - 0xFF00 + 0x20);
				i += 2;
				changed = 1;
				continue;
			}
		} else if ((c == 0xC0 || c == 0xC1) && (c1 & 0xC0) == 0x80) {
			out[w++] = (char)(((c & 1) << 6) | (c1 & 0x3F));
			i += 1;
			changed = 1;
			continue;
		} else if (c == 0xE0 && (c1 == 0x80 || c1 == 0x81) && (c2 & 0xC0) == 0x80) {
			out[w++] = (char)(((c1 & 1) << 6) | (c2 & 0x3F));
			i += 2;
			changed = 1;
			continue;
		}
		out[w++] = (char)c;
	}
	out[w] = '\0';
	return changed ? w : 0;
}
