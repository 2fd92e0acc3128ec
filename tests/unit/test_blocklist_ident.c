/* test_blocklist_ident.c - the fleet's blocked identities: add, refresh, expiry,
 * removal, bounds, and the identity specs the block list carries. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "collector/enforce/blocklist_ident.h"
#include "collector/detect/ident.h"

static void add_has_del(void **state)
{
	struct blocklist_ident *b = blocklist_ident_new();
	static const uint64_t hs[] = { 42, 7, UINT64_MAX, 1000, 8 };

	(void)state;
	assert_non_null(b);
	assert_int_equal(blocklist_ident_has(b, 42, 1), 0);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(blocklist_ident_add(b, hs[i], 1, 0), 0);
	assert_int_equal(blocklist_ident_count(b), 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(blocklist_ident_has(b, hs[i], 123), 1);
	assert_int_equal(blocklist_ident_has(b, 9, 123), 0);
	assert_int_equal(blocklist_ident_add(b, 7, 1, 0), 0); /* refresh: no duplicate */
	assert_int_equal(blocklist_ident_count(b), 5);
	assert_int_equal(blocklist_ident_del(b, 1000, 1), 0);
	assert_int_equal(blocklist_ident_del(b, 1000, 1), -ENOENT);
	assert_int_equal(blocklist_ident_has(b, 1000, 123), 0);
	assert_int_equal(blocklist_ident_has(b, 8, 123), 1);
	assert_int_equal(blocklist_ident_count(b), 4);
	blocklist_ident_free(b);
}

static void expiry_and_refresh(void **state)
{
	struct blocklist_ident *b = blocklist_ident_new();

	(void)state;
	assert_int_equal(blocklist_ident_add(b, 5, 1, 1000), 0);
	assert_int_equal(blocklist_ident_has(b, 5, 999), 1);
	assert_int_equal(blocklist_ident_has(b, 5, 1000), 0); /* expired at its time */
	assert_int_equal(blocklist_ident_add(b, 5, 1, 0), 0);    /* refreshed: never */
	assert_int_equal(blocklist_ident_has(b, 5, UINT64_MAX), 1);
	blocklist_ident_free(b);
}

static void bounded(void **state)
{
	struct blocklist_ident *b = blocklist_ident_new();

	(void)state;
	for (uint64_t i = 0; i < BLOCKLIST_IDENT_MAX; i++)
		assert_int_equal(blocklist_ident_add(b, i * 2654435761u, 1, 0), 0);
	assert_int_equal(blocklist_ident_add(b, 3, 1, 0), -ENOSPC);
	assert_int_equal(blocklist_ident_add(b, 0, 1, 5), 0); /* a refresh still fits */
	assert_int_equal(blocklist_ident_count(b), BLOCKLIST_IDENT_MAX);
	for (uint64_t i = 0; i < BLOCKLIST_IDENT_MAX; i += 97)
		assert_int_equal(blocklist_ident_has(b, i * 2654435761u, 1), 1);
	blocklist_ident_free(b);
}

/* Two block list entries naming one identity ("sub:alice" and its "id:"):
 * each is held on its own, with its own expiry; removing one leaves the
 * identity blocked by the other. */
static void two_entries_one_identity(void **state)
{
	struct blocklist_ident *b = blocklist_ident_new();
	uint64_t h, h2, t1 = blocklist_ident_tag("sub:alice"), t2;
	char spec[24];

	(void)state;
	assert_int_equal(blocklist_ident_parse("sub:alice", &h), 0);
	snprintf(spec, sizeof(spec), "id:%016llx", (unsigned long long)h);
	assert_int_equal(blocklist_ident_parse(spec, &h2), 0);
	assert_true(h == h2);
	t2 = blocklist_ident_tag(spec);
	assert_true(t1 != t2);
	assert_int_equal(blocklist_ident_add(b, h, t1, 0), 0);
	assert_int_equal(blocklist_ident_add(b, h, t2, 0), 0);
	assert_int_equal(blocklist_ident_count(b), 2);
	assert_int_equal(blocklist_ident_del(b, h, t1), 0);
	assert_int_equal(blocklist_ident_has(b, h, 123), 1); /* the id: entry holds it */
	assert_int_equal(blocklist_ident_del(b, h, t1), -ENOENT);
	assert_int_equal(blocklist_ident_del(b, h, t2), 0);
	assert_int_equal(blocklist_ident_has(b, h, 123), 0);

	/* one expired, the other not: still blocked; both expired: not */
	assert_int_equal(blocklist_ident_add(b, h, t1, 1000), 0);
	assert_int_equal(blocklist_ident_add(b, h, t2, 5000), 0);
	assert_int_equal(blocklist_ident_has(b, h, 2000), 1);
	assert_int_equal(blocklist_ident_has(b, h, 5000), 0);
	/* neighbours in the sorted set do not stand in for it */
	assert_int_equal(blocklist_ident_add(b, h - 1, t1, 0), 0);
	assert_int_equal(blocklist_ident_add(b, h + 1, t1, 0), 0);
	assert_int_equal(blocklist_ident_has(b, h, 6000), 0);
	blocklist_ident_free(b);
}

/* An identity key as events show it, and a clear spec, name the same
 * identity; anything else is refused. */
static void specs(void **state)
{
	static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	static const char *const bad[] = {
		"", "id:", "id:123", "id:0123456789abcdeg", "id:0123456789abcdef0",
		"alice", "sub:", "password:x",
	};
	char keytext[24], spec[32];
	uint64_t h1 = 0, h2 = 0, h3 = 0;

	(void)state;
	ident_set_key(key);
	assert_int_equal(ident_key_from_spec("sub:alice", keytext, &h1), 0);
	assert_int_equal(blocklist_ident_parse("sub:alice", &h2), 0);
	assert_true(h1 == h2);
	snprintf(spec, sizeof(spec), "%s", keytext);
	assert_int_equal(blocklist_ident_parse(spec, &h3), 0);
	assert_true(h3 == h1);
	assert_int_equal(blocklist_ident_parse("id:00000000000000FF", &h3), 0);
	assert_true(h3 == 255);
	assert_int_equal(blocklist_ident_parse("user:bob", &h3), 0);
	assert_true(h3 != h1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(blocklist_ident_parse(bad[i], &h3), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_has_del),
		cmocka_unit_test(expiry_and_refresh),
		cmocka_unit_test(bounded),
		cmocka_unit_test(two_entries_one_identity),
		cmocka_unit_test(specs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
