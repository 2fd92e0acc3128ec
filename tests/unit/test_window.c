/* test_window.c - sliding counters (expiry, rotation at bucket boundaries),
 * distinct sets (window, cap, stalest replaced), LRU table (eviction order,
 * counting, value cleanup). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/detect/window.h"

#define SEC 1000000000ull
#define W (10 * SEC) /* window */
#define NB 10        /* 1 s buckets */

static void count_sums_within_window(void **state)
{
	struct win_count c = {0};

	(void)state;
	for (int i = 0; i < 10; i++)
		win_count_add(&c, W, NB, 100 * SEC + i * SEC, 1);
	assert_int_equal(win_count_sum(&c, W, NB, 109 * SEC), 10);
	/* one bucket expires per second */
	assert_int_equal(win_count_sum(&c, W, NB, 110 * SEC), 9);
	assert_int_equal(win_count_sum(&c, W, NB, 115 * SEC), 4);
	assert_int_equal(win_count_sum(&c, W, NB, 119 * SEC), 0);
	assert_int_equal(win_count_sum(&c, W, NB, 500 * SEC), 0);
}

static void count_rotation_at_bucket_boundary(void **state)
{
	struct win_count c = {0};

	(void)state;
	win_count_add(&c, W, NB, 100 * SEC - 1, 5);   /* last ns of bucket 99 */
	win_count_add(&c, W, NB, 100 * SEC, 7);       /* first ns of bucket 100 */
	assert_int_equal(win_count_sum(&c, W, NB, 100 * SEC), 12);
	/* at 109 s bucket 99 leaves the window [100, 109] */
	assert_int_equal(win_count_sum(&c, W, NB, 109 * SEC - 1), 12);
	assert_int_equal(win_count_sum(&c, W, NB, 109 * SEC), 7);
	/* an add after a gap longer than the window starts fresh */
	win_count_add(&c, W, NB, 200 * SEC, 1);
	assert_int_equal(win_count_sum(&c, W, NB, 200 * SEC), 1);
	/* the ring slot of bucket 100 (slot 0) is reused by bucket 110 */
	win_count_add(&c, W, NB, 205 * SEC, 2);
	win_count_add(&c, W, NB, 210 * SEC, 3);
	assert_int_equal(win_count_sum(&c, W, NB, 210 * SEC), 5);
}

static void count_late_sample_kept_or_dropped(void **state)
{
	struct win_count c = {0};

	(void)state;
	win_count_add(&c, W, NB, 100 * SEC, 1);
	win_count_add(&c, W, NB, 95 * SEC, 1);  /* late but inside the ring */
	win_count_add(&c, W, NB, 50 * SEC, 1);  /* older than the ring: dropped */
	assert_int_equal(win_count_sum(&c, W, NB, 100 * SEC), 2);
	/* a clock behind the newest bucket counts everything kept */
	assert_int_equal(win_count_sum(&c, W, NB, 90 * SEC), 2);
}

static void set_counts_distinct_in_window(void **state)
{
	struct win_set s = {0};

	(void)state;
	assert_int_equal(win_set_add(&s, 1, 10 * SEC, W, 100), 1);
	assert_int_equal(win_set_add(&s, 1, 11 * SEC, W, 100), 1);
	assert_int_equal(win_set_add(&s, 2, 12 * SEC, W, 100), 2);
	assert_int_equal(win_set_add(&s, 3, 13 * SEC, W, 100), 3);
	/* 1 was refreshed at 11 s: still in at 20.5 s, gone at 21 s */
	assert_int_equal(win_set_count(&s, 20 * SEC + SEC / 2, W), 3);
	assert_int_equal(win_set_count(&s, 21 * SEC, W), 2);
	assert_int_equal(win_set_count(&s, 30 * SEC, W), 0);
	win_set_clear(&s);
}

static void set_is_bounded_by_cap(void **state)
{
	struct win_set s = {0};
	int n = 0;

	(void)state;
	for (uint64_t h = 1; h <= 1000; h++)
		n = win_set_add(&s, h, 10 * SEC + h, W, 40);
	assert_int_equal(n, 40);
	assert_true(s.alloc <= 40);
	/* the newest survive: 1000 is there, 1 is not */
	assert_int_equal(win_set_add(&s, 1000, 11 * SEC, W, 40), 40);
	win_set_clear(&s);
	assert_null(s.e);
}

static int finis;
static void fini(void *v)
{
	(void)v;
	finis++;
}

static void table_evicts_least_recent(void **state)
{
	struct win_table *t = win_table_new(3, sizeof(uint64_t), fini);
	int created;
	uint64_t *v;

	(void)state;
	finis = 0;
	for (uint64_t k = 1; k <= 3; k++) {
		v = win_table_get(t, k, 1, &created);
		assert_non_null(v);
		assert_int_equal(created, 1);
		*v = k * 10;
	}
	/* touch 1: 2 becomes the least recent */
	v = win_table_get(t, 1, 0, &created);
	assert_int_equal(*v, 10);
	assert_int_equal(created, 0);
	assert_non_null(win_table_get(t, 4, 1, NULL));
	assert_null(win_table_peek(t, 2));
	assert_non_null(win_table_peek(t, 1));
	assert_int_equal(win_table_count(t), 3);
	assert_int_equal(win_table_evictions(t), 1);
	assert_int_equal(finis, 1);
	assert_null(win_table_get(t, 99, 0, NULL));
	win_table_free(t);
	assert_int_equal(finis, 4);
}

static void table_many_keys_bounded(void **state)
{
	struct win_table *t = win_table_new(1000, 8, NULL);

	(void)state;
	for (uint64_t k = 0; k < 100000; k++)
		assert_non_null(win_table_get(t, k * 0x9e3779b97f4a7c15ull, 1, NULL));
	assert_int_equal(win_table_count(t), 1000);
	assert_int_equal(win_table_evictions(t), 99000);
	assert_non_null(win_table_peek(t, 99999 * 0x9e3779b97f4a7c15ull));
	win_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(count_sums_within_window),
		cmocka_unit_test(count_rotation_at_bucket_boundary),
		cmocka_unit_test(count_late_sample_kept_or_dropped),
		cmocka_unit_test(set_counts_distinct_in_window),
		cmocka_unit_test(set_is_bounded_by_cap),
		cmocka_unit_test(table_evicts_least_recent),
		cmocka_unit_test(table_many_keys_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
