/* test_ring.c - the shard ring (common/ring.c): the hash against an
 * independent implementation, the same owners on every load and line
 * order, balance, minimal movement when a shard is added, weights, the
 * event key, and every refusal of the parser with its line number. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/ring.h"

#define NKEYS 100000

static struct ring *parse(const char *text)
{
	char err[256] = "";
	struct ring *r = ring_parse(text, strlen(text), err, sizeof(err));

	if (!r)
		fail_msg("refused: %s", err);
	return r;
}

/* key i: the /24 (10+c).a.b.0 (i = c*65536 + a*256 + b), all distinct */
static uint64_t key_of(unsigned i)
{
	uint8_t ip[4] = { (uint8_t)(10 + (i >> 16)), (uint8_t)(i >> 8), (uint8_t)i, 77 };

	return ring_key(ip, 4);
}

/* FNV-1a 64 ("a" and "foobar" are the published vectors) then fmix64,
 * computed by a separate Python implementation */
static void hash_matches_independent_implementation(void **state)
{
	static const uint8_t v4[] = { 4, 10, 1, 2 };
	static const uint8_t v6[] = { 6, 0x20, 0x01, 0x0d, 0xb8, 0, 1 };

	(void)state;
	assert_int_equal(ring_hash("", 0), 0xefd01f60ba992926ull);
	assert_int_equal(ring_hash("a", 1), 0x82a2a958a9bece5bull);
	assert_int_equal(ring_hash("foobar", 6), 0x2c22194922d1672bull);
	assert_int_equal(ring_hash(v4, sizeof(v4)), 0xfe2c90913d73f9ccull);
	assert_int_equal(ring_hash(v6, sizeof(v6)), 0x412631d09ea4f853ull);
}

static void key_is_the_prefix_only(void **state)
{
	uint8_t a[4] = { 10, 1, 2, 77 }, b[4] = { 10, 1, 2, 200 }, c[4] = { 10, 1, 3, 77 };
	uint8_t m[16] = { [10] = 0xff, [11] = 0xff, 10, 1, 2, 9 };
	uint8_t x[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0xaa, 0xbb, [15] = 1 };
	uint8_t y[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0xcc, [15] = 7 };
	uint8_t z[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, 0xaa, 0xbb, [15] = 1 };

	(void)state;
	assert_int_equal(ring_key(a, 4), 0xfe2c90913d73f9ccull);
	assert_int_equal(ring_key(a, 4), ring_key(b, 4));
	assert_int_not_equal(ring_key(a, 4), ring_key(c, 4));
	/* an IPv4-mapped address is its IPv4 /24 */
	assert_int_equal(ring_key(m, 16), ring_key(a, 4));
	assert_int_equal(ring_key(x, 16), 0x412631d09ea4f853ull);
	assert_int_equal(ring_key(x, 16), ring_key(y, 16));
	assert_int_not_equal(ring_key(x, 16), ring_key(z, 16));
	/* no identity in the key: one /24 trying many usernames (credential
	 * stuffing) or scanning (fleet.scan.net24) stays on one shard; the
	 * value is ring_hash of { 4, 10, 1, 2 } and nothing else */
	/* no address: a key of its own, not the 0.0.0.0/24 one */
	{
		uint8_t zero[4] = { 0 };

		assert_int_not_equal(ring_key(NULL, 0), ring_key(zero, 4));
		assert_int_equal(ring_key(a, 5), ring_key(NULL, 0));
	}
}

/* two made-up z85 keys; the first holds a '#', which is z85, not a comment */
#define K_A "abcdefghij0123456789#ABCDEFGHIJ.-:+=^!/*"
#define K_B "?&<>()[]{}@%$zyxwvutsrqponmlkZYXWVUTSRQP"

static void keys_belong_to_their_shards(void **state)
{
	static const char keyed[] =
		"version 2\n"
		"a tcp://10.0.0.1:7450 1 key=" K_A "   # a's own pair\n"
		"b\ttcp://10.0.0.2:7450\t2\tkey=" K_B "\n";
	struct ring *r = parse(keyed), *plain = parse("version 1\na tcp://x:1 1 #c\n");

	(void)state;
	assert_int_equal(strlen(K_A), RING_KEY_LEN);
	assert_int_equal(strlen(K_B), RING_KEY_LEN);
	assert_int_equal(ring_nshards(r), 2);
	assert_string_equal(ring_shard_key(r, 0), K_A);
	assert_string_equal(ring_shard_key(r, 1), K_B);
	assert_int_equal(ring_shard_weight(r, 1), 2);
	assert_null(ring_shard_key(plain, 0));
	ring_free(r);
	ring_free(plain);
}

static const char THREE[] =
	"# three equal shards\n"
	"version 7\n"
	"a tcp://10.0.0.1:7450 1\n"
	"b tcp://10.0.0.2:7450 1   # comment after the fields\n"
	"\n"
	"c\ttcp://10.0.0.3:7450\t1\n";

static const char THREE_REORDERED[] =
	"version 7\n"
	"c tcp://10.0.0.3:7450 1\n"
	"a tcp://10.0.0.1:7450 1\n"
	"b tcp://10.0.0.2:7450 1\n";

static void same_owner_on_every_load_and_order(void **state)
{
	struct ring *r1 = parse(THREE), *r2 = parse(THREE), *r3 = parse(THREE_REORDERED);
	unsigned i;

	(void)state;
	assert_int_equal(ring_version(r1), 7);
	assert_int_equal(ring_nshards(r1), 3);
	assert_string_equal(ring_shard_name(r1, 2), "c");
	assert_string_equal(ring_shard_endpoint(r1, 1), "tcp://10.0.0.2:7450");
	assert_int_equal(ring_shard_weight(r1, 0), 1);
	assert_int_equal(ring_find(r1, "b"), 1);
	assert_int_equal(ring_find(r3, "b"), 2);
	assert_int_equal(ring_find(r1, "d"), -1);
	/* past the last point the circle wraps to the first */
	assert_int_equal(ring_owner(r1, UINT64_MAX), ring_owner(r1, 0));
	for (i = 0; i < NKEYS; i++) {
		uint64_t k = key_of(i);
		size_t o1 = ring_owner(r1, k);

		assert_int_equal(o1, ring_owner(r2, k));
		assert_string_equal(ring_shard_name(r1, o1),
				    ring_shard_name(r3, ring_owner(r3, k)));
	}
	ring_free(r1);
	ring_free(r2);
	ring_free(r3);
}

static void count_owners(const struct ring *r, unsigned *n)
{
	unsigned i;

	memset(n, 0, ring_nshards(r) * sizeof(*n));
	for (i = 0; i < NKEYS; i++)
		n[ring_owner(r, key_of(i))]++;
}

static void three_equal_shards_own_a_third_each(void **state)
{
	struct ring *r = parse(THREE);
	unsigned n[3], i;

	(void)state;
	count_owners(r, n);
	print_message("balance over %d keys: a %u, b %u, c %u\n", NKEYS, n[0], n[1], n[2]);
	for (i = 0; i < 3; i++) {
		assert_in_range(n[i], NKEYS * 30 / 100, NKEYS * 36 / 100);
	}
	ring_free(r);
}

static void weights_share_in_proportion(void **state)
{
	struct ring *r = parse("version 1\nlight ipc:///tmp/l 1\n"
			       "heavy ipc:///tmp/h 2\nother ipc:///tmp/o 1\n");
	unsigned n[3];

	(void)state;
	assert_int_equal(ring_shard_weight(r, 1), 2);
	count_owners(r, n);
	print_message("weights 1:2:1 over %d keys: %u %u %u\n", NKEYS, n[0], n[1], n[2]);
	assert_in_range(n[0], NKEYS * 22 / 100, NKEYS * 28 / 100);
	assert_in_range(n[1], NKEYS * 47 / 100, NKEYS * 53 / 100);
	assert_in_range(n[2], NKEYS * 22 / 100, NKEYS * 28 / 100);
	ring_free(r);
}

/* 2 -> 3 shards: about a third of the keys move, every one to the new
 * shard; none moves between the old ones */
static void adding_a_shard_moves_a_third_only_to_it(void **state)
{
	struct ring *two = parse("version 1\na tcp://10.0.0.1:7450 1\n"
				 "b tcp://10.0.0.2:7450 1\n");
	struct ring *three = parse(THREE);
	unsigned i, moved = 0;
	int c = ring_find(three, "c");

	(void)state;
	for (i = 0; i < NKEYS; i++) {
		uint64_t k = key_of(i);
		const char *before = ring_shard_name(two, ring_owner(two, k));
		size_t after = ring_owner(three, k);

		if (strcmp(before, ring_shard_name(three, after))) {
			moved++;
			assert_int_equal(after, c);
		}
	}
	print_message("2 -> 3 shards: %u of %d keys moved (all to c)\n", moved, NKEYS);
	assert_in_range(moved, NKEYS * 30 / 100, NKEYS * 36 / 100);
	ring_free(two);
	ring_free(three);
}

struct bad {
	const char *text, *err; /* err: a part of the message */
};

static void every_refusal_names_its_line(void **state)
{
	static char longline[400], toomany[RING_MAX_SHARDS * 40 + 64];
	static const struct bad cases[] = {
		{ "", "no version" },
		{ "# only a comment\n", "no version" },
		{ "version 1\n", "no shard" },
		{ "a tcp://x:1 1\n", "line 1: a shard before the version" },
		{ "version 0\na tcp://x:1 1\n", "line 1: bad version" },
		{ "version -1\na tcp://x:1 1\n", "line 1: bad version" },
		{ "version 1x\na tcp://x:1 1\n", "line 1: bad version" },
		{ "version 99999999999999999999\n", "line 1: bad version" },
		{ "version 9223372036854775808\n", "line 1: bad version" },
		{ "version\n", "line 1: bad version" },
		{ "version 1 2\n", "line 1: bad version" },
		{ "version 1\nversion 2\n", "line 2: a second version" },
		{ "version 1\na tcp://x:1 0\n", "line 2: weight" },
		{ "version 1\na tcp://x:1 17\n", "line 2: weight" },
		{ "version 1\na tcp://x:1 1.5\n", "line 2: weight" },
		{ "version 1\na tcp://x:1\n", "line 2: expected" },
		{ "version 1\na tcp://x:1 1 extra\n", "line 2: bad key" },
		{ "version 1\na tcp://x:1 1 key=" K_A " extra\n", "line 2: expected" },
		{ "version 1\na tcp://x:1 1 key=abc\n", "line 2: bad key" },
		{ "version 1\na tcp://x:1 1 key=" K_A "x\n", "line 2: bad key" },
		{ "version 1\na tcp://x:1 1 key=abcdefghij0123456789 ABCDEFGHIJ.-:+=^!/*\n", "line 2: expected" },
		{ "version 1\na tcp://x:1 1 key=abcdefghij0123456789\"ABCDEFGHIJ.-:+=^!/*\n", "line 2: bad key" },
		{ "version 1\na tcp://x:1 1 KEY=" K_A "\n", "line 2: bad key" },
		{ "version 1\na tcp://x:1 1 key=" K_A "\nb tcp://y:1 1\n",
		  "line 3: a key on every shard or on none ('a' has one, 'b' has none)" },
		{ "version 1\na tcp://x:1 1\nb tcp://y:1 1 key=" K_A "\n",
		  "line 3: a key on every shard or on none" },
		{ "version 1\na tcp://x:1 1 key=" K_A "\nb tcp://y:1 1 key=" K_A "\n",
		  "line 3: shards 'a' and 'b' have the same key" },
		{ "version 1\na tcp://x:1 1\na tcp://y:1 1\n", "line 3: shard 'a' named twice" },
		{ "version 1\na tcp://x:1 1\n\nb tcp://x:1 1\n", "line 4: endpoint 'tcp://x:1' used twice" },
		{ "version 1\na/b tcp://x:1 1\n", "line 2: bad shard name" },
		{ "version 1\n0123456789012345678901234567890123 tcp://x:1 1\n", "line 2: bad shard name" },
		{ "version 1\na http://x:1 1\n", "line 2: endpoint" },
		{ "version 1\na tcp:// 1\n", "line 2: endpoint" },
		{ "version 1\na tcp://x\001:1 1\n", "line 2: control byte" },
		{ "version 1\na tcp://x:1 1\r\nb tcp://y:1 1\n", "line 2: control byte" },
		{ "version 1\na tcp://x:1 1\n\0b tcp://y:1 1\n", "line 3: control byte" },
		{ "bogus 1\n", "line 1: expected" },
		{ longline, "line 2: longer than 255" },
		{ toomany, "more than 64 shards" },
	};
	size_t i, at;

	(void)state;
	at = (size_t)snprintf(longline, sizeof(longline), "version 1\na tcp://");
	memset(longline + at, 'x', 300);
	strcpy(longline + at + 300, ":1 1\n");
	at = (size_t)snprintf(toomany, sizeof(toomany), "version 1\n");
	for (i = 0; i <= RING_MAX_SHARDS; i++)
		at += (size_t)snprintf(toomany + at, sizeof(toomany) - at,
				       "s%zu tcp://h%zu:1 1\n", i, i);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		/* the NUL case counts its embedded byte */
		size_t len = strlen(cases[i].text);
		struct ring *r;

		if (strstr(cases[i].err, "line 3: control"))
			len = sizeof("version 1\na tcp://x:1 1\n\0b tcp://y:1 1\n") - 1;
		r = ring_parse(cases[i].text, len, err, sizeof(err));
		if (r || !strstr(err, cases[i].err))
			fail_msg("case %zu (%s): %s, err '%s'", i, cases[i].err,
				 r ? "accepted" : "refused", err);
	}
}

static void line_and_file_limits(void **state)
{
	char text[400], err[256];
	struct ring *r;
	int n;

	(void)state;
	/* a line of exactly RING_LINE_MAX bytes is fine */
	/* "a tcp://x:1 16 #" (16) and a comment to the limit */
	n = snprintf(text, sizeof(text), "version 1\na tcp://x:1 16 #");
	memset(text + n, 'x', RING_LINE_MAX - 16);
	text[n + RING_LINE_MAX - 16] = '\0';
	assert_int_equal(strlen(strrchr(text, '\n') + 1), RING_LINE_MAX);
	r = ring_parse(text, strlen(text), err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	assert_int_equal(ring_shard_weight(r, 0), 16);
	ring_free(r);
	/* one byte more is refused */
	memmove(text + n + 1, text + n, strlen(text + n) + 1);
	assert_null(ring_parse(text, strlen(text), err, sizeof(err)));
	assert_non_null(strstr(err, "line 2: longer than"));
	/* a file over RING_FILE_MAX is refused before any line */
	{
		char *big = malloc(RING_FILE_MAX + 2);

		assert_non_null(big);
		memset(big, '\n', RING_FILE_MAX + 1);
		assert_null(ring_parse(big, RING_FILE_MAX + 1, err, sizeof(err)));
		assert_non_null(strstr(err, "longer than 65536 bytes"));
		free(big);
	}
}

static void load_reads_a_file_and_names_it(void **state)
{
	char path[] = "/tmp/test_ring_XXXXXX", err[256];
	int fd = mkstemp(path);
	struct ring *r;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, THREE, strlen(THREE)), (ssize_t)strlen(THREE));
	close(fd);
	r = ring_load(path, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(ring_nshards(r), 3);
	ring_free(r);
	unlink(path);
	assert_null(ring_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_matches_independent_implementation),
		cmocka_unit_test(key_is_the_prefix_only),
		cmocka_unit_test(same_owner_on_every_load_and_order),
		cmocka_unit_test(three_equal_shards_own_a_third_each),
		cmocka_unit_test(weights_share_in_proportion),
		cmocka_unit_test(adding_a_shard_moves_a_third_only_to_it),
		cmocka_unit_test(keys_belong_to_their_shards),
		cmocka_unit_test(every_refusal_names_its_line),
		cmocka_unit_test(line_and_file_limits),
		cmocka_unit_test(load_reads_a_file_and_names_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
