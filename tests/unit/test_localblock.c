/* test_localblock.c - identities and forwarded clients blocked on this host
 * (collector/enforce/localblock.c): a blocking rule blocks at once for its
 * TTL, kills block at the third strike within the strike window, blocks
 * expire, and a full probe window evicts the block closest to expiry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "collector/enforce/localblock.h"

#define S 1000000000ull

static void block_and_expire(void **state)
{
	struct localblock *lb = localblock_new();
	struct localblock_stats st;

	(void)state;
	assert_int_equal(localblock_offend(lb, 42, 30 * S, 100 * S), 1);
	assert_true(localblock_has(lb, 42, 100 * S));
	assert_true(localblock_has(lb, 42, 130 * S - 1));
	assert_false(localblock_has(lb, 42, 130 * S));
	assert_false(localblock_has(lb, 43, 100 * S));
	localblock_stats(lb, 110 * S, &st);
	assert_int_equal(st.blocks, 1);
	assert_int_equal(st.active, 1);
	localblock_stats(lb, 131 * S, &st);
	assert_int_equal(st.active, 0);
	localblock_free(lb);
}

static void strikes(void **state)
{
	struct localblock *lb = localblock_new();
	struct localblock_stats st;

	(void)state;
	assert_int_equal(localblock_offend(lb, 7, 0, 1 * S), 0);
	assert_int_equal(localblock_offend(lb, 7, 0, 2 * S), 0);
	assert_false(localblock_has(lb, 7, 2 * S));
	assert_int_equal(localblock_offend(lb, 7, 0, 3 * S), 1);
	assert_true(localblock_has(lb, 7, 3 * S + LOCALBLOCK_TTL_NS - 1));
	assert_false(localblock_has(lb, 7, 3 * S + LOCALBLOCK_TTL_NS));
	/* strikes further apart than the window start over */
	assert_int_equal(localblock_offend(lb, 8, 0, 1 * S), 0);
	assert_int_equal(localblock_offend(lb, 8, 0, 2 * S), 0);
	assert_int_equal(localblock_offend(lb, 8, 0, 2 * S + LOCALBLOCK_STRIKE_NS), 0);
	assert_false(localblock_has(lb, 8, 2 * S + LOCALBLOCK_STRIKE_NS));
	localblock_stats(lb, 4 * S, &st);
	assert_int_equal(st.strikes, 6);
	assert_int_equal(st.blocks, 1);
	localblock_free(lb);
}

static void evicts_closest_to_expiry(void **state)
{
	struct localblock *lb = localblock_new();
	struct localblock_stats st;

	(void)state;
	/* nine subjects on one probe window of eight slots */
	for (uint64_t i = 0; i < 8; i++)
		assert_int_equal(localblock_offend(lb, 5 + i * LOCALBLOCK_SLOTS, (100 + i) * S, 0), 1);
	assert_int_equal(localblock_offend(lb, 5 + 8 * LOCALBLOCK_SLOTS, 500 * S, 0), 1);
	localblock_stats(lb, 1, &st);
	assert_int_equal(st.evicted, 1);
	assert_false(localblock_has(lb, 5, 1));  /* the soonest to expire went */
	for (uint64_t i = 1; i <= 8; i++)
		assert_true(localblock_has(lb, 5 + i * LOCALBLOCK_SLOTS, 1));
	/* an expired slot is taken before any live one */
	assert_int_equal(localblock_offend(lb, 5 + 9 * LOCALBLOCK_SLOTS, 10 * S, 102 * S), 1);
	localblock_stats(lb, 102 * S, &st);
	assert_int_equal(st.evicted, 1);
	localblock_free(lb);
}

static void addr_keys(void **state)
{
	uint8_t a[16] = { 10, 213, 24, 10 }, b[16] = { 10, 213, 24, 11 };

	(void)state;
	assert_int_equal(localblock_addr_key(AF_INET, a), localblock_addr_key(AF_INET, a));
	assert_int_not_equal(localblock_addr_key(AF_INET, a), localblock_addr_key(AF_INET, b));
	assert_int_not_equal(localblock_addr_key(AF_INET, a), localblock_addr_key(AF_INET6, a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(block_and_expire),
		cmocka_unit_test(strikes),
		cmocka_unit_test(evicts_closest_to_expiry),
		cmocka_unit_test(addr_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
