/* test_hostrate.c - rows per second per host (correlator/hostrate.c):
 * token buckets with the time given, so nothing sleeps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "correlator/hostrate.h"

#define T0 5000000000ull /* µs; any monotonic time */

static const struct hostrate_host *host(const struct hostrate *r, const char *name)
{
	for (unsigned i = 0; i < hostrate_count(r); i++)
		if (!strcmp(hostrate_get(r, i)->name, name))
			return hostrate_get(r, i);
	return NULL;
}

/* 100 rows/s, burst 200: the burst at once, then 1 row per 10 ms */
static void bucket_refills_at_the_rate(void **state)
{
	struct hostrate *r = hostrate_new(100, 200);
	uint64_t b, n;

	assert_non_null(r);
	assert_int_equal(hostrate_take(r, "h1", 128, T0), 0);
	assert_int_equal(hostrate_take(r, "h1", 72, T0), 0);
	assert_int_equal(hostrate_take(r, "h1", 1, T0), -EBUSY);
	assert_int_equal(hostrate_take(r, "h1", 1, T0 + 9999), -EBUSY);
	assert_int_equal(hostrate_take(r, "h1", 1, T0 + 10000), 0);
	assert_int_equal(hostrate_take(r, "h1", 1, T0 + 10000), -EBUSY);
	/* one second later: 100 rows, not 101 */
	assert_int_equal(hostrate_take(r, "h1", 100, T0 + 1010000), 0);
	assert_int_equal(hostrate_take(r, "h1", 1, T0 + 1010000), -EBUSY);
	/* an hour of quiet fills the bucket to its burst, no more */
	assert_int_equal(hostrate_take(r, "h1", 200, T0 + 3600000000ull), 0);
	assert_int_equal(hostrate_take(r, "h1", 1, T0 + 3600000000ull), -EBUSY);
	/* the refused ones are counted, rows and batches */
	assert_int_equal(host(r, "h1")->refused_batches, 5);
	assert_int_equal(host(r, "h1")->refused_rows, 5);
	assert_int_equal(host(r, "h1")->taken_rows, 128 + 72 + 1 + 100 + 200);
	hostrate_totals(r, &b, &n);
	assert_int_equal(b, 5);
	assert_int_equal(n, 5);
	hostrate_free(r);
}

/* One host's flood does not touch another's budget. */
static void hosts_are_apart(void **state)
{
	struct hostrate *r = hostrate_new(1000, 0); /* burst 2000 */
	uint64_t t;
	int refused = 0;

	for (t = 0; t < 1000000; t += 1000) /* h1: 1000 batches of 128 in 1 s */
		refused += hostrate_take(r, "h1", 128, T0 + t) < 0;
	/* paid: 2000 + 1000 rows, i.e. 23 batches; the rest refused */
	assert_int_equal(refused, 1000 - 23);
	assert_int_equal(hostrate_take(r, "h2", 2000, T0 + t), 0);
	assert_int_equal(host(r, "h2")->refused_batches, 0);
	assert_int_equal(host(r, "h1")->refused_rows, (uint64_t)(1000 - 23) * 128);
	hostrate_free(r);
}

/* A batch larger than the burst costs the burst (it passes on a full
 * bucket); an empty one (a heartbeat) costs one row; rate 0: no limit. */
static void edges(void **state)
{
	struct hostrate *r = hostrate_new(10, 20), *off = hostrate_new(0, 0);

	assert_int_equal(hostrate_take(r, "h1", 4096, T0), 0);
	assert_int_equal(hostrate_take(r, "h1", 0, T0), -EBUSY);
	assert_int_equal(hostrate_take(r, "h1", 0, T0 + 100000), 0);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(hostrate_take(off, "h1", 4096, T0), 0);
	assert_int_equal(host(off, "h1")->refused_batches, 0);
	hostrate_free(r);
	hostrate_free(off);
}

/* Names beyond the table share one bucket; the table stays bounded. */
static void many_names(void **state)
{
	struct hostrate *r = hostrate_new(10, 20);
	char name[32];

	for (int i = 0; i < 3 * HOSTRATE_MAX_HOSTS; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		hostrate_take(r, name, 1, T0);
	}
	assert_int_equal(hostrate_count(r), HOSTRATE_MAX_HOSTS);
	assert_non_null(host(r, "(other)"));
	/* 20 rows shared by the 2 * MAX + 1 names beyond */
	assert_int_equal(host(r, "(other)")->taken_rows, 20);
	assert_int_equal(host(r, "n0")->taken_rows, 1);
	assert_int_equal(hostrate_take(r, "n0", 19, T0), 0);
	assert_int_equal(hostrate_take(r, "n0", 1, T0), -EBUSY);
	hostrate_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bucket_refills_at_the_rate),
		cmocka_unit_test(hosts_are_apart),
		cmocka_unit_test(edges),
		cmocka_unit_test(many_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
