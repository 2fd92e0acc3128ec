/* test_timer.c - common/timer: which timers run at which clock, in what
 * order, how a late run moves the next deadline, one-shot timers, the set's
 * capacity, and the poll timeout derived from the next deadline. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/timer.h"

#define MS 1000000ull

/* what the timers did: their ids in the order they ran, with the clock */
struct log {
	int n;
	int id[64];
	uint64_t at[64];
};

struct tctx {
	struct log *log;
	int id;
	struct timer_set *ts; /* for a timer that registers another */
};

static void record(void *ctx, uint64_t now)
{
	struct tctx *c = ctx;

	assert_true(c->log->n < 64);
	c->log->id[c->log->n] = c->id;
	c->log->at[c->log->n++] = now;
}

/* A, every 10 ms from 10; B, every 25 ms from 5; C once at 30. The clock
 * is stepped; each step lists what runs (ids), as a string. */
static void due_timers_run_in_registration_order(void **state)
{
	static const struct {
		uint64_t now_ms;
		const char *ran;
	} steps[] = {
		{ 0, "" },      /* nothing due yet */
		{ 5, "B" },     /* B's first deadline */
		{ 9, "" },
		{ 10, "A" },    /* A's first; B next at 30 */
		{ 19, "" },
		{ 30, "ABC" },  /* all three due: registration order */
		{ 31, "" },     /* C is gone */
		{ 100, "AB" },  /* late: each runs once, not once per missed tick */
		{ 109, "" },    /* A next at 110 (counted from 100), B at 125 */
		{ 110, "A" },
		{ 120, "A" },
		{ 125, "B" },
	};
	struct timer_set ts;
	struct log log = {};
	struct tctx a = { &log, 'A', NULL }, b = { &log, 'B', NULL }, c = { &log, 'C', NULL };

	timer_init(&ts);
	assert_int_equal(timer_add(&ts, 10 * MS, 10 * MS, record, &a), 0);
	assert_int_equal(timer_add(&ts, 5 * MS, 25 * MS, record, &b), 0);
	assert_int_equal(timer_add(&ts, 30 * MS, 0, record, &c), 0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		char got[8] = "";
		int before = log.n, ran;

		ran = timer_run(&ts, steps[i].now_ms * MS);
		for (int k = before; k < log.n; k++) {
			got[k - before] = (char)log.id[k];
			assert_int_equal(log.at[k], steps[i].now_ms * MS);
		}
		assert_int_equal(ran, log.n - before);
		if (strcmp(got, steps[i].ran))
			fail_msg("at %llu ms ran \"%s\", expected \"%s\"",
				 (unsigned long long)steps[i].now_ms, got, steps[i].ran);
	}
	assert_int_equal(ts.n, 2); /* the one-shot was dropped */
}

static void next_deadline_and_poll_timeout(void **state)
{
	struct timer_set ts;
	struct log log = {};
	struct tctx a = { &log, 'A', NULL }, b = { &log, 'B', NULL };

	timer_init(&ts);
	assert_int_equal(timer_next_ns(&ts), UINT64_MAX);
	assert_int_equal(timer_timeout_ms(&ts, 0, 2), 2);   /* no timer: the cap */
	assert_int_equal(timer_timeout_ms(&ts, 0, -1), -1); /* no timer, no cap: wait */

	timer_add(&ts, 1000 * MS, 1000 * MS, record, &a);
	timer_add(&ts, 300 * MS + 1, 0, record, &b);
	assert_int_equal(timer_next_ns(&ts), 300 * MS + 1);
	assert_int_equal(timer_timeout_ms(&ts, 0, 2), 2);          /* capped */
	assert_int_equal(timer_timeout_ms(&ts, 0, -1), 301);       /* rounded up */
	assert_int_equal(timer_timeout_ms(&ts, 299 * MS, 1000), 2);
	assert_int_equal(timer_timeout_ms(&ts, 300 * MS + 1, 5), 0); /* due */
	assert_int_equal(timer_timeout_ms(&ts, 400 * MS, 5), 0);     /* overdue */

	timer_run(&ts, 400 * MS); /* B runs once and is gone */
	assert_int_equal(log.n, 1);
	assert_int_equal(timer_next_ns(&ts), 1000 * MS);
	assert_int_equal(timer_timeout_ms(&ts, 400 * MS, -1), 600);
	timer_run(&ts, 1000 * MS + 7);
	assert_int_equal(timer_next_ns(&ts), 2000 * MS + 7);
}

static void add_rejects_no_function_and_a_full_set(void **state)
{
	struct timer_set ts;
	struct log log = {};
	struct tctx a = { &log, 'A', NULL };

	timer_init(&ts);
	assert_int_equal(timer_add(&ts, 0, 1, NULL, &a), -EINVAL);
	for (int i = 0; i < TIMER_MAX; i++)
		assert_int_equal(timer_add(&ts, 0, 1, record, &a), 0);
	assert_int_equal(timer_add(&ts, 0, 1, record, &a), -ENOSPC);
	assert_int_equal(timer_run(&ts, 0), TIMER_MAX);
	assert_int_equal(log.n, TIMER_MAX);
}

static void register_then_record(void *ctx, uint64_t now)
{
	struct tctx *c = ctx;
	static struct tctx child;

	child = (struct tctx){ c->log, 'N', NULL };
	record(ctx, now);
	/* due at once, yet only considered on the next run */
	assert_int_equal(timer_add(c->ts, now, 0, record, &child), 0);
}

static void timer_added_while_running_waits_for_next_run(void **state)
{
	struct timer_set ts;
	struct log log = {};
	struct tctx a = { &log, 'A', &ts };

	timer_init(&ts);
	timer_add(&ts, 0, 0, register_then_record, &a); /* a one-shot, too */
	assert_int_equal(timer_run(&ts, 5), 1);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.id[0], 'A');
	assert_int_equal(ts.n, 1); /* A spent and dropped, N kept */
	assert_int_equal(timer_next_ns(&ts), 5);
	assert_int_equal(timer_run(&ts, 6), 1);
	assert_int_equal(log.id[1], 'N');
	assert_int_equal(ts.n, 0);
	assert_int_equal(timer_run(&ts, 100), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(due_timers_run_in_registration_order),
		cmocka_unit_test(next_deadline_and_poll_timeout),
		cmocka_unit_test(add_rejects_no_function_and_a_full_set),
		cmocka_unit_test(timer_added_while_running_waits_for_next_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
