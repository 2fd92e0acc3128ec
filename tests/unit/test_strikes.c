/* test_strikes.c - a client's recent payload strikes (strikes.h): one per
 * request, counted over a window, the newest RULES_MAX_ESCALATE kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "collector/detect/strikes.h"

#define SEC 1000000000ull

static void one_per_request_within_the_window(void **state)
{
	struct strikes s;

	(void)state;
	memset(&s, 0, sizeof(s));
	strikes_add(&s, 1, 100, 10 * SEC);
	strikes_add(&s, 1, 100, 10 * SEC + 1); /* the same request, a body window */
	assert_int_equal(strikes_within(&s, 60 * SEC, 10 * SEC + 1), 1);
	strikes_add(&s, 1, 200, 20 * SEC);      /* the next request, same connection */
	strikes_add(&s, 2, 100, 30 * SEC);      /* same start time, another connection */
	assert_int_equal(strikes_within(&s, 60 * SEC, 30 * SEC), 3);
	/* 10 s and 20 s are out of a 15 s window ending at 35 s */
	assert_int_equal(strikes_within(&s, 15 * SEC, 35 * SEC), 1);
	assert_int_equal(strikes_within(&s, 60 * SEC, 80 * SEC), 1);
	assert_int_equal(strikes_within(&s, 60 * SEC, 100 * SEC), 0);
}

static void newest_kept(void **state)
{
	struct strikes s;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 3 * RULES_MAX_ESCALATE; i++)
		strikes_add(&s, (uint64_t)i, 0, (uint64_t)i * SEC);
	assert_int_equal(s.n, RULES_MAX_ESCALATE);
	assert_int_equal(strikes_within(&s, 1000 * SEC, 3 * RULES_MAX_ESCALATE * SEC),
			 RULES_MAX_ESCALATE);
	/* the kept ones are the newest: all within the last 8 s */
	assert_int_equal(strikes_within(&s, RULES_MAX_ESCALATE * SEC, (3 * RULES_MAX_ESCALATE - 1) * SEC),
			 RULES_MAX_ESCALATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_per_request_within_the_window),
		cmocka_unit_test(newest_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
