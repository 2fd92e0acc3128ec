/* pbrun.c - the text in a gRPC message's bytes (pbrun.h). */
#include "collector/detect/pbrun.h"

#define PBRUN_DEPTH 32 /* nested messages walked; deeper, read loosely */

static int printable(uint8_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* A varint at p[*i..n), up to 10 bytes, over-long ones too (parsers take
 * them). 1 read, 0 cut by the end, -1 longer than 10 bytes. */
static int varint(const uint8_t *p, size_t n, size_t *i, uint64_t *v)
{
	unsigned k;

	*v = 0;
	for (k = 0; k < 10; k++) {
		if (*i >= n)
			return 0;
		*v |= (uint64_t)(p[*i] & 0x7f) << (7 * k);
		if (!(p[(*i)++] & 0x80))
			return 1;
	}
	return -1;
}

/* Bytes of p[0..n) that are no part of a valid UTF-8 sequence. */
static size_t not_utf8(const uint8_t *p, size_t n)
{
	size_t i = 0, bad = 0;

	while (i < n) {
		uint8_t c = p[i];
		size_t k, j;

		if (c < 0x80) {
			i++;
			continue;
		}
		k = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
		for (j = 1; k && j <= k; j++)
			if (i + j >= n || (p[i + j] & 0xc0) != 0x80)
				k = 0;
		if (!k) {
			bad++;
			i++;
		} else {
			i += k + 1;
		}
	}
	return bad;
}

/* A field's bytes that look random (an image, a hash, ciphertext): eight
 * or more bytes, one in eight or more, that are no UTF-8. Text, Latin-1
 * prose included, stays well under. */
static int looks_random(const uint8_t *p, size_t n)
{
	size_t bad = not_utf8(p, n);

	return bad >= 8 && bad * 8 >= n;
}

/* p[s - 1] ends a valid UTF-8 sequence of two to four bytes */
static int ends_utf8(const uint8_t *p, size_t s)
{
	size_t k;

	for (k = 2; k <= 4 && k <= s; k++) {
		uint8_t c = p[s - k];

		if ((c & 0xc0) == 0x80)
			continue;
		return (k == 2 && c >= 0xc2 && c <= 0xdf) || (k == 3 && c >= 0xe0 && c <= 0xef) ||
		       (k == 4 && c >= 0xf0 && c <= 0xf4);
	}
	return 0;
}

/* The printable runs of p[0..n) of min bytes or more, to fn. loose (bytes
 * that are no protobuf from their first byte): but a run shorter than
 * PBRUN_LONG right after a byte that is no UTF-8 (random bytes: ~2 runs in
 * 3). A run of a valid UTF-8 string never follows one: its field's length
 * ends below 0x80, and inside it the byte before is ASCII or ends a
 * sequence. */
static size_t each_run(const uint8_t *p, size_t n, size_t min, int loose, pbrun_fn fn, void *ctx)
{
	size_t i = 0, got = 0;

	while (i < n) {
		size_t a;

		while (i < n && !printable(p[i]))
			i++;
		a = i;
		while (i < n && printable(p[i]))
			i++;
		if (i - a < min)
			continue;
		if (loose && i - a < PBRUN_LONG && a && p[a - 1] >= 0x80 && !ends_utf8(p, a))
			continue;
		fn(ctx, (const char *)p + a, i - a);
		got++;
	}
	return got;
}

/* Walk p[0..n) as protobuf fields; with fn, hand on the text of each
 * length-delimited field. cut: the buffer may end inside the last field
 * (the kept prefix); a nested message must end with its field. Returns 1
 * when the bytes are fields, 0 when they are not. */
static int walk(const uint8_t *p, size_t n, int cut, int depth, pbrun_fn fn, void *ctx, size_t *got)
{
	size_t i = 0;

	while (i < n) {
		uint64_t tag, v;
		size_t len, s;
		int r = varint(p, n, &i, &tag);

		if (r <= 0)
			return r == 0 && cut;
		if (!(tag >> 3) || tag >> 32)
			return 0;
		switch (tag & 7) {
		case 0:
			r = varint(p, n, &i, &v);
			if (r <= 0)
				return r == 0 && cut;
			continue;
		case 1:
		case 5:
			len = (tag & 7) == 1 ? 8 : 4;
			if (len > n - i)
				return cut;
			i += len;
			continue;
		case 2:
			break;
		case 3:
		case 4: /* a group's start and end: its fields lie between */
			continue;
		default:
			return 0;
		}
		r = varint(p, n, &i, &v);
		if (r <= 0)
			return r == 0 && cut;
		if (v > n - i) {
			if (!cut)
				return 0;
			v = n - i; /* the field runs past the kept bytes */
		}
		s = i;
		len = (size_t)v;
		i += len;
		if (!fn)
			continue;
		/* text (a string, a JSON or XML document in a bytes field): every
		 * run of 4; else a nested message, walked; else random bytes:
		 * only their long runs */
		if (!looks_random(p + s, len))
			*got += each_run(p + s, len, PBRUN_SHORT, 0, fn, ctx);
		else if (depth >= PBRUN_DEPTH) /* parsers go deeper: read loosely */
			*got += each_run(p + s, len, PBRUN_SHORT, 1, fn, ctx);
		else if (walk(p + s, len, i == n && cut, depth + 1, NULL, NULL, NULL))
			walk(p + s, len, i == n && cut, depth + 1, fn, ctx, got);
		else
			*got += each_run(p + s, len, PBRUN_LONG, 0, fn, ctx);
	}
	return 1;
}

size_t pbrun_each(const uint8_t *p, size_t n, int whole, pbrun_fn fn, void *ctx)
{
	size_t got = 0;

	/* fields from the first byte to the last (the kept prefix may cut
	 * the last): their text; anything else (a window, which opens
	 * anywhere in a message, a JSON-coded call, bytes that are no
	 * protobuf) is read by its runs, loosely (each_run) */
	if (whole && n && walk(p, n, 1, 0, NULL, NULL, NULL)) {
		walk(p, n, 1, 0, fn, ctx, &got);
		return got;
	}
	return each_run(p, n, PBRUN_SHORT, 1, fn, ctx);
}
