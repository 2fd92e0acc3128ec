/* timer.c - registered periodic work for an event loop (timer.h). */
#include "common/timer.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

void timer_init(struct timer_set *ts)
{
	memset(ts, 0, sizeof(*ts));
}

int timer_add(struct timer_set *ts, uint64_t due_ns, uint64_t interval_ns,
	      timer_fn fn, void *ctx)
{
	struct timer *t;

	if (!fn)
		return -EINVAL;
	if (ts->n >= TIMER_MAX)
		return -ENOSPC;
	t = &ts->t[ts->n++];
	t->due_ns = due_ns;
	t->interval_ns = interval_ns;
	t->fn = fn;
	t->ctx = ctx;
	return 0;
}

int timer_run(struct timer_set *ts, uint64_t now_ns)
{
	unsigned n = ts->n, i, kept = 0;
	int ran = 0;

	/* Only the timers present on entry: one registered by a running
	 * function lands past n and waits for the next call. */
	for (i = 0; i < n; i++) {
		struct timer *t = &ts->t[i];
		timer_fn fn = t->fn;

		if (!fn || t->due_ns > now_ns)
			continue;
		if (t->interval_ns)
			t->due_ns = now_ns + t->interval_ns;
		else
			t->fn = NULL; /* spent: dropped below */
		fn(t->ctx, now_ns);
		ran++;
	}
	/* drop spent one-shot timers, keeping the order of the rest */
	for (i = 0; i < ts->n; i++) {
		if (!ts->t[i].fn)
			continue;
		if (kept != i)
			ts->t[kept] = ts->t[i];
		kept++;
	}
	ts->n = kept;
	return ran;
}

uint64_t timer_next_ns(const struct timer_set *ts)
{
	uint64_t next = UINT64_MAX;

	for (unsigned i = 0; i < ts->n; i++)
		if (ts->t[i].fn && ts->t[i].due_ns < next)
			next = ts->t[i].due_ns;
	return next;
}

int timer_timeout_ms(const struct timer_set *ts, uint64_t now_ns, int cap_ms)
{
	uint64_t next = timer_next_ns(ts), d, ms;

	if (next == UINT64_MAX)
		return cap_ms < 0 ? -1 : cap_ms;
	if (next <= now_ns)
		return 0;
	/* rounded up: a poll that wakes just before the deadline would
	 * only go round again with nothing to do */
	d = next - now_ns;
	ms = d / 1000000 + (d % 1000000 != 0);
	if (cap_ms >= 0 && ms > (uint64_t)cap_ms)
		return cap_ms;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}
