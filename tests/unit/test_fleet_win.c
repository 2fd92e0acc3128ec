/* test_fleet_win.c - the fleet's hot windows under churn: per-source and
 * per-reporting-host budgets.
 *
 * Events go straight into the windows (fleet_win_feed, arrival time
 * injected); no PostgreSQL. A low-and-slow scanner probes one missing path
 * every 20 s on two hosts; meanwhile one client (or one lying collector)
 * sends thousands of events with random Host values, each a new window.
 * The scanner's window must survive the churn and cross its threshold,
 * and the flooder must pay with its own windows (counted).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <inttypes.h>

#include "correlator/fleet_int.h"

#define T0 1767225600000000ull /* 2026-01-01 00:00:00 UTC */
#define STEP_US 20000000ull    /* the scanner's pace: one probe per 20 s */
#define STEPS 25               /* 500 s, inside the 600 s scan window */
#define FLOOD 5000             /* events with a random Host per step */
#define BENIGN 300             /* ordinary clients seen before the flood */

static struct fleet *mk(void)
{
	struct fleet_config c;
	struct fleet *f;

	fleet_config_defaults(&c);
	f = fleet_new(&c, "postgresql:///nowhere");
	assert_non_null(f);
	return f;
}

static void ev(struct fleet *f, const char *host, const uint8_t ip[4],
	       int status, const char *authority, const char *path, uint64_t now)
{
	struct fleet_staged_event o;

	memset(&o, 0, sizeof(o));
	o.ip_len = 4;
	memcpy(o.ip, ip, 4);
	o.status = status;
	o.grpc_status = -1;
	snprintf(o.authority, sizeof(o.authority), "%s", authority);
	snprintf(o.path, sizeof(o.path), "%s", path);
	fleet_win_feed(f, &o, host, 1, now);
}

/* forge 0: the flood is one client through h1, the scanner's own host;
 * 1: a lying collector with a random source per event; 2: a lying
 * collector claiming the scanner's own address (its budget is not the
 * scanner's: a budget is per reporting host and source) */
static void run(struct fleet *f, int forge)
{
	const uint8_t scanner[4] = { 10, 213, 9, 9 };
	uint8_t ip[4] = { 10, 213, 7, 0 };
	char auth[64], path[64];
	uint64_t now = T0;
	unsigned rnd = 12345;
	int i, s;

	for (i = 0; i < BENIGN; i++) {
		ip[2] = (uint8_t)(7 + i / 250);
		ip[3] = (uint8_t)(1 + i % 250);
		ev(f, "h2", ip, 404, "shop.example", "/favicon.ico", now + (uint64_t)i);
	}
	for (s = 0; s < STEPS; s++) {
		now = T0 + 1000 + (uint64_t)s * STEP_US;
		snprintf(path, sizeof(path), "/probe/p%d", s);
		ev(f, s % 2 ? "h2" : "h1", scanner, 404, "shop.example", path, now);
		for (i = 0; i < FLOOD; i++) {
			rnd = rnd * 1103515245u + 12345u;
			snprintf(auth, sizeof(auth), "x%08x.example", rnd);
			if (forge == 2) {
				ev(f, "evil", scanner, 200, auth, "/", now + 1 + (uint64_t)i);
			} else if (forge) {
				uint8_t fip[4] = { 10, 213, (uint8_t)(100 + (rnd >> 24) % 100),
						   (uint8_t)(rnd >> 16) };
				ev(f, "evil", fip, 200, auth, "/", now + 1 + (uint64_t)i);
			} else {
				uint8_t fip[4] = { 10, 213, 5, 5 };
				ev(f, "h1", fip, 200, auth, "/", now + 1 + (uint64_t)i);
			}
		}
	}
	now += FLOOD + 1;
	{
		struct fleet_window *k = fleet_win_find(f, FLEET_DET_SCAN_SRC, "10.213.9.9");
		struct fleet_stats st;

		fleet_get_stats(f, &st);
		printf("  forge=%d windows %" PRIu64 " sampled evictions %" PRIu64
		       " (over-share host %" PRIu64 ") self-evictions %" PRIu64 "\n",
		       forge, st.keys, st.evictions, st.host_share_evictions,
		       st.self_evictions);
		assert_non_null(k); /* not forgotten */
		assert_int_equal(k->total, STEPS);
		assert_true(fleet_win_crossed(f, k, now));
		/* the ordinary clients' windows are still there too */
		for (i = 0; i < BENIGN; i++) {
			char a[32];

			snprintf(a, sizeof(a), "10.213.%d.%d", 7 + i / 250, 1 + i % 250);
			assert_non_null(fleet_win_find(f, FLEET_DET_SCAN_SRC, a));
		}
		/* the flooder paid with its own windows */
		assert_true(st.keys <= FLEET_MAX_KEYS);
		if (forge == 1)
			assert_true(st.host_share_evictions > (uint64_t)STEPS * FLOOD / 2);
		else
			assert_true(st.self_evictions > (uint64_t)STEPS * FLOOD / 2);
	}
}

static void flood_from_one_client(void **state)
{
	struct fleet *f = mk();

	run(f, 0);
	fleet_free(f);
}

static void flood_from_lying_collector(void **state)
{
	struct fleet *f = mk();

	run(f, 1);
	fleet_free(f);
}

/* Under its share nobody is limited: a table with room takes a busy
 * source's windows without evicting anything. */
static void flood_claiming_victims_source(void **state)
{
	struct fleet *f = mk();

	run(f, 2);
	fleet_free(f);
}

/* A client rotating IPv6 addresses within its /64 is one source. */
static void ipv6_rotation_is_one_source(void **state)
{
	struct fleet *f = mk();
	struct fleet_staged_event o;
	struct fleet_stats st;
	int i;

	memset(&o, 0, sizeof(o));
	o.ip_len = 16;
	o.ip[0] = 0xfd;
	o.status = 200;
	o.grpc_status = -1;
	snprintf(o.path, sizeof(o.path), "/");
	for (i = 0; i < 2 * FLEET_MAX_KEYS; i++) {
		o.ip[12] = (uint8_t)(i >> 8);
		o.ip[15] = (uint8_t)i;
		snprintf(o.authority, sizeof(o.authority), "r%d.example", i);
		fleet_win_feed(f, &o, "h1", 1, T0 + (uint64_t)i);
	}
	fleet_get_stats(f, &st);
	assert_int_equal(st.keys, FLEET_MAX_KEYS);
	assert_int_equal(st.self_evictions, FLEET_MAX_KEYS);
	assert_int_equal(st.evictions, 0);
	fleet_free(f);
}

static void under_share_no_eviction(void **state)
{
	struct fleet *f = mk();
	const uint8_t ip[4] = { 10, 213, 5, 5 };
	struct fleet_stats st;
	char auth[64];
	int i;

	for (i = 0; i < FLEET_MAX_KEYS - 16; i++) {
		snprintf(auth, sizeof(auth), "a%d.example", i);
		ev(f, "h1", ip, 200, auth, "/", T0 + (uint64_t)i);
	}
	fleet_get_stats(f, &st);
	assert_int_equal(st.keys, FLEET_MAX_KEYS - 16);
	assert_int_equal(st.evictions + st.self_evictions, 0);
	fleet_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flood_from_one_client),
		cmocka_unit_test(flood_from_lying_collector),
		cmocka_unit_test(flood_claiming_victims_source),
		cmocka_unit_test(ipv6_rotation_is_one_source),
		cmocka_unit_test(under_share_no_eviction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
