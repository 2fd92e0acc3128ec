/* timer.h - periodic work for an event loop, in the spirit of Redis' ae.c
 * time events.
 *
 * In: a function, a context and an interval, registered once; the loop's
 * clock (monotonic ns) each time round. Out: the functions that are due,
 * called in the order they were registered, and the time until the next one
 * for the loop's poll timeout. A timer's next deadline is counted from the
 * time it ran (`last = now`), so a late run does not bunch the next ones.
 * No threads, no allocation: the set is a fixed array the caller owns.
 */
#ifndef SW_TIMER_H
#define SW_TIMER_H

#include <stdint.h>

#ifndef TIMER_MAX
#define TIMER_MAX 16
#endif

/* now_ns: the clock value timer_run was given. */
typedef void (*timer_fn)(void *ctx, uint64_t now_ns);

struct timer {
	uint64_t due_ns;       /* runs once the clock reaches this */
	uint64_t interval_ns;  /* then again this long after; 0: once only */
	timer_fn fn;
	void *ctx;
};

struct timer_set {
	struct timer t[TIMER_MAX];
	unsigned n;
};

void timer_init(struct timer_set *ts);

/* Run fn(ctx) first at due_ns, then every interval_ns after each run
 * (interval_ns 0: once). A function may register timers while it runs;
 * they are first considered on the next timer_run. Returns 0, -EINVAL
 * without fn, or -ENOSPC when TIMER_MAX are registered. */
int timer_add(struct timer_set *ts, uint64_t due_ns, uint64_t interval_ns,
	      timer_fn fn, void *ctx);

/* Run every timer due at now_ns. Returns how many ran. */
int timer_run(struct timer_set *ts, uint64_t now_ns);

/* The earliest deadline, or UINT64_MAX with no timer. */
uint64_t timer_next_ns(const struct timer_set *ts);

/* A poll timeout: milliseconds until the earliest deadline (rounded up, 0
 * when one is due), at most cap_ms (cap_ms < 0: no cap; -1 with no timer). */
int timer_timeout_ms(const struct timer_set *ts, uint64_t now_ns, int cap_ms);

#endif /* SW_TIMER_H */
