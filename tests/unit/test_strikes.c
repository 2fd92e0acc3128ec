/* test_strikes.c - a client's recent payload strikes (strikes.h): one per
 * request (exchange, then request line), counted over a window, the
 * newest RULES_MAX_ESCALATE kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "collector/detect/strikes.h"

#define SEC 1000000000ull

static struct sess_conn conns[2] = { { .cookie = 1 }, { .cookie = 2 } };
static struct sess_event ev;

/* an HTTP/1.1 event of connection conn (1 or 2) started at req_ns */
static const struct sess_event *req(int conn, uint64_t req_ns, const char *path,
				    const char *query, uint32_t flags)
{
	sess_event_init(&ev, SESS_PROTO_HTTP1, &conns[conn - 1]);
	ev.req_ns = req_ns;
	ev.flags = flags;
	snprintf(ev.method, sizeof(ev.method), "GET");
	snprintf(ev.path, sizeof(ev.path), "%s", path);
	snprintf(ev.query, sizeof(ev.query), "%s", query);
	return &ev;
}

static void one_per_request_within_the_window(void **state)
{
	struct strikes s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(strikes_add(&s, req(1, 100, "/a", "x=1", 0), 10 * SEC), 1);
	/* the same request, a body window */
	assert_int_equal(strikes_add(&s, req(1, 100, "/a", "x=1", SESS_F_WINDOW), 10 * SEC + 1), 0);
	assert_int_equal(strikes_within(&s, 60 * SEC, 10 * SEC + 1), 1);
	strikes_add(&s, req(1, 200, "/a", "x=1", 0), 20 * SEC); /* the next request */
	strikes_add(&s, req(2, 100, "/a", "x=1", 0), 30 * SEC); /* same start, another connection */
	assert_int_equal(strikes_within(&s, 60 * SEC, 30 * SEC), 3);
	/* 10 s and 20 s are out of a 15 s window ending at 35 s */
	assert_int_equal(strikes_within(&s, 15 * SEC, 35 * SEC), 1);
	assert_int_equal(strikes_within(&s, 60 * SEC, 80 * SEC), 1);
	assert_int_equal(strikes_within(&s, 60 * SEC, 100 * SEC), 0);
}

/* A window is matched against every kept strike, not only the newest. */
static void window_after_another_request_is_no_new_strike(void **state)
{
	struct strikes s;

	(void)state;
	memset(&s, 0, sizeof(s));
	strikes_add(&s, req(1, 100, "/a", "", 0), SEC);
	strikes_add(&s, req(2, 100, "/b", "", 0), SEC);
	assert_int_equal(strikes_add(&s, req(1, 100, "/a", "", SESS_F_WINDOW), SEC), 0);
	assert_int_equal(strikes_add(&s, req(2, 100, "/b", "", SESS_F_WINDOW), SEC), 0);
	assert_int_equal(strikes_within(&s, 60 * SEC, SEC), 2);
}

/* Pipelined in one write: one exchange key, told apart by the request
 * line; a URI window (query past the event's bounds) comes before its
 * head and has no request line: it and its head are one strike. */
static void pipelined_requests_and_uri_windows(void **state)
{
	struct strikes s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(strikes_add(&s, req(1, 100, "/a", "id=1", 0), SEC), 1);
	assert_int_equal(strikes_add(&s, req(1, 100, "/a", "id=2", 0), SEC), 1);
	assert_int_equal(strikes_add(&s, req(1, 100, "/b", "id=1", 0), SEC), 1);
	/* a URI window of a fourth request: its exchange is known, it may be
	 * any of them: no new strike */
	assert_int_equal(strikes_add(&s, req(1, 100, "", "...or 1=1", SESS_F_WINDOW | SESS_F_WIN_URI), SEC), 0);
	/* on a new exchange the URI window comes first, then its head */
	assert_int_equal(strikes_add(&s, req(1, 300, "", "...or 1=1", SESS_F_WINDOW | SESS_F_WIN_URI), SEC), 1);
	assert_int_equal(strikes_add(&s, req(1, 300, "/c", "q=...", 0), SEC), 0);
	/* which filled the strike in: the next pipelined request counts */
	assert_int_equal(strikes_add(&s, req(1, 300, "/d", "q=...", 0), SEC), 1);
	assert_int_equal(strikes_within(&s, 60 * SEC, SEC), 5);
}

/* HTTP/2: streams of one record share a start time, not a stream id. */
static void h2_streams_apart(void **state)
{
	struct strikes s;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (uint32_t sid = 1; sid <= 5; sid += 2) {
		req(1, 100, "/a", "id=1", 0);
		ev.stream_id = sid;
		assert_int_equal(strikes_add(&s, &ev, SEC), 1);
	}
	req(1, 100, "/a", "id=1", SESS_F_WINDOW);
	ev.stream_id = 3;
	assert_int_equal(strikes_add(&s, &ev, SEC), 0);
	assert_int_equal(strikes_within(&s, 60 * SEC, SEC), 3);
}

static void newest_kept(void **state)
{
	struct strikes s;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 3 * RULES_MAX_ESCALATE; i++)
		strikes_add(&s, req(1, (uint64_t)i, "/a", "", 0), (uint64_t)i * SEC);
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
		cmocka_unit_test(window_after_another_request_is_no_new_strike),
		cmocka_unit_test(pipelined_requests_and_uri_windows),
		cmocka_unit_test(h2_streams_apart),
		cmocka_unit_test(newest_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
