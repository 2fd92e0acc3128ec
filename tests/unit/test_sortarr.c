/* test_sortarr.c - the sorted array: order after puts, replace in place,
 * remove, the bound, and lower bounds for keys present and absent. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common/sortarr.h"

struct item {
	int64_t key;
	int value;
};

static int item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	return a->key < b->key ? -1 : a->key > b->key;
}

static const struct item *get(const struct sortarr *a, size_t i)
{
	return sortarr_at(a, i);
}

static void put_keeps_order(void **state)
{
	static const int64_t keys[] = { 50, -3, 7, INT64_MAX, 0, 7, 49, INT64_MIN, 51 };
	static const int64_t want[] = { INT64_MIN, -3, 0, 7, 49, 50, 51, INT64_MAX };
	struct sortarr a;

	(void)state;
	sortarr_init(&a, sizeof(struct item), 0, item_cmp);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct item it = { keys[i], (int)i };

		assert_int_equal(sortarr_put(&a, &it), 0);
	}
	assert_int_equal(a.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < a.n; i++)
		assert_true(get(&a, i)->key == want[i]);
	/* 7 came twice: replaced, holding the second value */
	{
		struct item key = { 7, 0 };
		const struct item *x = sortarr_find(&a, &key);

		assert_non_null(x);
		assert_int_equal(x->value, 5);
	}
	sortarr_free(&a);
	assert_int_equal(a.n, 0);
}

static void lower_and_find(void **state)
{
	static const struct {
		int64_t key;
		size_t lower;
		int found;
	} cases[] = {
		{ 5, 0, 0 }, { 10, 0, 1 }, { 11, 1, 0 }, { 20, 1, 1 },
		{ 29, 2, 0 }, { 30, 2, 1 }, { 31, 3, 0 },
	};
	struct sortarr a;

	(void)state;
	sortarr_init(&a, sizeof(struct item), 0, item_cmp);
	assert_int_equal(sortarr_lower(&a, &(struct item){ 1, 0 }), 0);
	assert_null(sortarr_find(&a, &(struct item){ 1, 0 }));
	for (int64_t k = 30; k >= 10; k -= 10)
		assert_int_equal(sortarr_put(&a, &(struct item){ k, 0 }), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct item key = { cases[i].key, 0 };

		assert_int_equal(sortarr_lower(&a, &key), cases[i].lower);
		assert_int_equal(sortarr_find(&a, &key) != NULL, cases[i].found);
	}
	sortarr_free(&a);
}

static void del(void **state)
{
	struct sortarr a;

	(void)state;
	sortarr_init(&a, sizeof(struct item), 0, item_cmp);
	for (int64_t k = 1; k <= 100; k++)
		assert_int_equal(sortarr_put(&a, &(struct item){ k, 0 }), 0);
	assert_int_equal(sortarr_del(&a, &(struct item){ 1, 0 }), 0);
	assert_int_equal(sortarr_del(&a, &(struct item){ 100, 0 }), 0);
	assert_int_equal(sortarr_del(&a, &(struct item){ 50, 0 }), 0);
	assert_int_equal(sortarr_del(&a, &(struct item){ 50, 0 }), -ENOENT);
	assert_int_equal(sortarr_del(&a, &(struct item){ 1000, 0 }), -ENOENT);
	assert_int_equal(a.n, 97);
	assert_true(get(&a, 0)->key == 2);
	assert_true(get(&a, 47)->key == 49);
	assert_true(get(&a, 48)->key == 51);
	assert_true(get(&a, 96)->key == 99);
	sortarr_free(&a);
}

static void bounded(void **state)
{
	struct sortarr a;

	(void)state;
	sortarr_init(&a, sizeof(struct item), 20, item_cmp);
	for (int64_t k = 0; k < 20; k++)
		assert_int_equal(sortarr_put(&a, &(struct item){ k * 3, 0 }), 0);
	assert_int_equal(sortarr_put(&a, &(struct item){ 1, 0 }), -ENOSPC);
	assert_int_equal(sortarr_put(&a, &(struct item){ 3, 9 }), 0); /* a replace fits */
	assert_int_equal(((const struct item *)sortarr_find(&a, &(struct item){ 3, 0 }))->value, 9);
	assert_true(a.cap <= 20);
	assert_int_equal(sortarr_del(&a, &(struct item){ 0, 0 }), 0);
	assert_int_equal(sortarr_put(&a, &(struct item){ 1, 0 }), 0);
	sortarr_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_keeps_order),
		cmocka_unit_test(lower_and_find),
		cmocka_unit_test(del),
		cmocka_unit_test(bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
