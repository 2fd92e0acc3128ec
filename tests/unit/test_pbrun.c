/* test_pbrun.c - the text pbrun hands on from protobuf bytes: string
 * fields (short ones too, nested, after printable heads, two- and
 * three-byte tags and lengths, over-long varints, controls and UTF-8 around
 * them, cut by the buffer's end), windows' runs, and not the short runs of
 * random bytes, which drew kills in ~9% of gRPC calls carrying 4 KiB of
 * them (grpc_late's random first message, CI). */
#include "collector/detect/pbrun.h"
#include "collector/detect/payload.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

struct got {
	char s[8][512];
	size_t n;
	unsigned kills;
};

static void keep(void *ctx, const char *s, size_t n)
{
	struct got *g = ctx;
	struct payload_match m[PAYLOAD__COUNT];
	int k, i;

	if (g->n < 8) {
		size_t c = n < 511 ? n : 511;

		memcpy(g->s[g->n], s, c);
		g->s[g->n][c] = 0;
	}
	g->n++;
	k = payload_scan(s, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT);
	for (i = 0; i < k; i++)
		if (m[i].score >= 60) {
			g->kills++;
			break;
		}
}

/* a field of wire type 2: tag, length, bytes; returns the new end */
static size_t field(uint8_t *out, size_t at, unsigned num, size_t n)
{
	unsigned tag = num << 3 | 2;

	while (tag >= 0x80) {
		out[at++] = (uint8_t)(tag | 0x80);
		tag >>= 7;
	}
	out[at++] = (uint8_t)tag;
	while (n >= 0x80) {
		out[at++] = (uint8_t)(n | 0x80);
		n >>= 7;
	}
	out[at++] = (uint8_t)n;
	return at;
}

static size_t put_field(uint8_t *out, size_t at, unsigned num, const void *v, size_t n)
{
	at = field(out, at, num, n);
	memcpy(out + at, v, n);
	return at + n;
}

static void short_string_fields(void **state)
{
	uint8_t b[256];
	struct got g = { 0 };
	size_t n = 0;

	(void)state;
	b[n++] = 0x08; /* field 1, varint 150 */
	b[n++] = 0x96;
	b[n++] = 0x01;
	n = put_field(b, n, 2, "' OR 1=1--", 10);
	n = put_field(b, n, 20, "; id #", 6); /* a two-byte tag */
	assert_int_equal(pbrun_each(b, n, 1, keep, &g), 2);
	assert_string_equal(g.s[0], "' OR 1=1--");
	assert_string_equal(g.s[1], "; id #");
}

static void printable_head_and_nesting(void **state)
{
	uint8_t b[512], sub[64];
	char text[66];
	struct got g = { 0 };
	size_t n = 0, sn = 0;

	(void)state;
	memset(text, 'a', 65);
	text[65] = 0;
	memcpy(text + 20, "1 UNION SELECT pw", 17);
	/* field 4's tag is '"' and a length of 65 is 'A': the run opens with
	 * them, the string is what follows */
	n = put_field(b, n, 4, text, 65);
	assert_int_equal(b[0], '"');
	assert_int_equal(b[1], 'A');
	sn = put_field(sub, sn, 1, "1;id", 4);
	sn = put_field(sub, sn, 2, "../../etc/passwd", 16);
	n = put_field(b, n, 3, sub, sn);
	assert_int_equal(pbrun_each(b, n, 1, keep, &g), 3);
	assert_string_equal(g.s[0], text);
	assert_string_equal(g.s[1], "1;id");
	assert_string_equal(g.s[2], "../../etc/passwd");
}

static void long_field_with_control_bytes(void **state)
{
	uint8_t b[512];
	char text[201];
	struct got g = { 0 };
	size_t n;

	(void)state;
	memset(text, 'x', 200);
	text[200] = 0;
	memcpy(text + 60, "' or 1=1", 8);
	text[68] = 0x01; /* control bytes: the runs around them are judged */
	text[130] = '\t';
	n = put_field(b, 0, 1, text, 200); /* a two-byte length */
	assert_int_equal(pbrun_each(b, n, 1, keep, &g), 3);
	assert_int_equal(strlen(g.s[0]), 68);
	assert_memory_equal(g.s[0] + 60, "' or 1=1", 8);
	assert_int_equal(strlen(g.s[1]), 61); /* 69..129 */
	assert_int_equal(strlen(g.s[2]), 69); /* after the tab */
}

static void cut_and_window(void **state)
{
	uint8_t b[128];
	struct got g = { 0 };
	size_t n;

	(void)state;
	/* a field that says 100 bytes, cut by the buffer after 12 */
	n = field(b, 0, 1, 100);
	memcpy(b + n, "1' AND 1=1--", 12);
	n += 12;
	assert_int_equal(pbrun_each(b, n, 1, keep, &g), 1);
	assert_string_equal(g.s[0], "1' AND 1=1--");
	/* a window of raw DATA opens anywhere: its runs */
	memset(&g, 0, sizeof(g));
	assert_int_equal(pbrun_each((const uint8_t *)"1' AND 1=1--", 12, 0, keep, &g), 1);
	/* a JSON-coded message is no protobuf: its runs */
	memset(&g, 0, sizeof(g));
	assert_int_equal(pbrun_each((const uint8_t *)"{\"q\":\"a' or 1=1-- \"}", 20, 1, keep, &g), 1);
	assert_int_equal(g.kills, 1);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint8_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)(rng >> 24);
}

/* every printable run of 4 or more, as the collector judged gRPC bodies */
static void naive(const uint8_t *p, size_t n, struct got *g)
{
	size_t i = 0;

	while (i < n) {
		size_t s;

		while (i < n && (p[i] < 0x20 || p[i] > 0x7e))
			i++;
		s = i;
		while (i < n && p[i] >= 0x20 && p[i] <= 0x7e)
			i++;
		if (i - s >= 4)
			keep(g, (const char *)p + s, i - s);
	}
}

static void random_bytes_field(void **state)
{
	static uint8_t b[4096];
	struct got g = { 0 }, old = { 0 }, win = { 0 }, oldwin = { 0 };
	unsigned k;

	(void)state;
	for (k = 0; k < 2000; k++) {
		size_t i, n = field(b, 0, 3, 4100); /* cut at 4096, as kept */

		for (i = n; i < sizeof(b); i++)
			b[i] = rnd();
		pbrun_each(b, sizeof(b), 1, keep, &g);
		naive(b, sizeof(b), &old);
		/* a window past the prefix: raw random bytes */
		for (i = 0; i < sizeof(b); i++)
			b[i] = rnd();
		pbrun_each(b, sizeof(b), 0, keep, &win);
		naive(b, sizeof(b), &oldwin);
	}
	print_message("2000 bodies of 4 KiB random bytes: %u killed judging every run "
		      "(%zu runs), %u through pbrun (%zu runs); 2000 windows of them: %u, %u\n",
		      old.kills, old.n, g.kills, g.n, oldwin.kills, win.kills);
	assert_true(old.kills >= 100); /* the bug, measured: ~9% */
	assert_true(g.kills <= 4);
	assert_true(oldwin.kills >= 100);
	assert_true(win.kills * 2 < oldwin.kills);
}

/* strings a parser delivers, spelt to slip past a reader of printable
 * runs after a field head (the review of the first pbrun): each judged */
static void delivered_strings_judged(void **state)
{
	static const struct {
		const char *b;
		size_t n;
	} t[] = {
		{"\x12\x05\t1;id", 7},                       /* a tab first */
		{"\x12\x0e\x00" "1;id padpadpad", 16},         /* a NUL first */
		{"\x12\x0c\xc3\xa9' or 1=1--", 14},           /* a letter in UTF-8 first */
		{"\x12\x06x\t1;id", 8},                      /* a short run, then a tab */
		{"\x12\x0c' or 1=1--\x01\x01", 14},          /* controls after */
		{"\x12\x84\x00" "1;id", 7},                    /* an over-long length */
		{"\x92\x00\x04" "1;id", 7},                    /* an over-long tag */
		{"\x82\x80\x01\x04" "1;id", 8},               /* a three-byte tag */
		{"\x12\x06" "1;id\xff\xfe", 8},               /* proto2: no UTF-8 check */
		{"\x08\x41\x22\x09" "1;id\nzzzz", 13},        /* printable bytes before */
		{"\x12\x80\x80\x01" "1;id\tzzzz", 13},        /* a 3-byte length, cut */
		/* a group anywhere (proto2's, or unknown in proto3: skipped by
		 * parsers) made the walk fail (the second review) */
		{"\x12\x05\xff" "1;id" "\x83\x01\x84\x01", 11},
		{"\x1a\x13\x09\xff\xff\xff\xff\xff\xff\xff\xff\x12\x04" "1;id" "\x83\x01\x84\x01", 21},
	};
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		struct got g = { 0 };

		pbrun_each((const uint8_t *)t[k].b, t[k].n, 1, keep, &g);
		if (g.kills != 1)
			fail_msg("row %zu: %u kills", k, g.kills);
	}
}

/* nine levels of messages that look random (a fixed64 of 0xff bytes and
 * the next level) around a string: parsers go 100 deep (the second
 * review: 0 runs judged past 8 levels) */
static void deep_nesting(void **state)
{
	static uint8_t a[2048], b[2048];
	struct got g = { 0 };
	size_t n, k;

	(void)state;
	n = put_field(a, 0, 2, "1;id", 4);
	for (k = 0; k < 40; k++) {
		size_t m = 0;

		b[m++] = 0x09;
		memset(b + m, 0xff, 8);
		m += 8;
		m = put_field(b, m, 3, a, n);
		memcpy(a, b, m);
		n = m;
	}
	pbrun_each(a, n, 1, keep, &g);
	assert_int_equal(g.kills, 1);
}

/* a string after a random bytes field, and inside a nested message that
 * holds one (its bytes look random as a whole): judged */
static void strings_beside_random_bytes(void **state)
{
	static uint8_t b[1024], sub[512];
	struct got g = { 0 };
	size_t i, n, sn;

	(void)state;
	n = field(b, 0, 1, 300);
	for (i = 0; i < 300; i++)
		b[n + i] = rnd() | 0x80;
	n = put_field(b, n + 300, 2, "\t1;id", 5);
	pbrun_each(b, n, 1, keep, &g);
	assert_int_equal(g.kills, 1);
	sn = field(sub, 0, 1, 200);
	for (i = 0; i < 200; i++)
		sub[sn + i] = rnd() | 0x80;
	sn = put_field(sub, sn + 200, 2, "1;id", 4);
	memset(&g, 0, sizeof(g));
	n = put_field(b, 0, 5, sub, sn);
	pbrun_each(b, n, 1, keep, &g);
	assert_int_equal(g.kills, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(short_string_fields),
		cmocka_unit_test(printable_head_and_nesting),
		cmocka_unit_test(long_field_with_control_bytes),
		cmocka_unit_test(cut_and_window),
		cmocka_unit_test(random_bytes_field),
		cmocka_unit_test(delivered_strings_judged),
		cmocka_unit_test(strings_beside_random_bytes),
		cmocka_unit_test(deep_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
