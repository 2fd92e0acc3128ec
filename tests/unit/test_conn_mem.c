/* test_conn_mem.c - the connection table's memory budget (issue 23, item 5):
 * floods of half-finished HTTP/1.1 requests, of open HTTP/2 streams and of
 * idle keep-alive connections never hold more than the budget; what is
 * shed is emitted (judged) rather than lost; the client holding the most is
 * named with conn.mem_hog; a benign client is still decoded, and its older
 * unfinished request outlives the flood; the accounting returns to zero. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/capture/conn.h"
#include "collector/decode/h2.h"
#include "collector/decode/h2_frame.h"
#include "h2_build.h"

#define HOG 66   /* last byte of the flooding client's address */
#define GOOD 5   /* ... of the benign client's */

struct seen {
	int events, hog_named, good_named, partial_x, good_done, good_partial;
	uint64_t budget, over;     /* records after which mem > budget */
	struct conn_table *t;
};

static void on_event(void *ctx, const struct sess_event *ev)
{
	struct seen *s = ctx;
	uint8_t who = ev->conn ? ev->conn->client_addr[3] : 0;

	s->events++;
	for (unsigned i = 0; i < ev->n_anom; i++) {
		if (strcmp(ev->anom[i].name, "conn.mem_hog"))
			continue;
		if (who == HOG)
			s->hog_named++;
		else if (who == GOOD)
			s->good_named++;
	}
	if (!strcmp(ev->path, "/x") && (ev->flags & SESS_F_NO_RESP) &&
	    memmem(ev->body, ev->body_len, "OR 1=1", 6))
		s->partial_x++;
	if (who == GOOD && !strcmp(ev->path, "/good")) {
		if (ev->status == 200 && !(ev->flags & SESS_F_PARTIAL))
			s->good_done++;
		else
			s->good_partial++;
	}
}

static struct conn_table *table(struct seen *s, uint64_t budget)
{
	static struct sess_sink sink;
	struct conn_config cfg;

	memset(s, 0, sizeof(*s));
	sink.emit = on_event;
	sink.ctx = s;
	conn_config_default(&cfg);
	cfg.mem_budget = budget;
	s->budget = budget;
	s->t = conn_table_new(&cfg, &sink);
	return s->t;
}

struct flow {
	uint64_t cookie, seq[2], ts;
	uint8_t who;
	uint16_t port;
	int h2;
};

static uint64_t clock_ns = 1000000000ull;

/* one record of a server socket: dir 0 it receives, 1 it sends */
static void put(struct seen *s, struct flow *f, int dir, const void *data, size_t len)
{
	struct sw_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = clock_ns += 1000;
	ev.cookie = f->cookie;
	ev.type = SW_EV_DATA;
	ev.dir = dir ? SW_DIR_SEND : SW_DIR_RECV;
	ev.role = SW_ROLE_SERVER;
	ev.proto = f->h2 ? SW_GUESS_HTTP2 : SW_GUESS_HTTP1;
	ev.family = 2;
	ev.sport = 8080;
	ev.dport = f->port;
	ev.saddr[0] = 10;
	ev.daddr[0] = 10;
	ev.daddr[3] = f->who;
	ev.len = (uint32_t)len;
	ev.seq = f->seq[dir];
	f->seq[dir] += len;
	conn_on_record(s->t, &ev, data);
	if (s->budget && conn_mem(s->t) > s->budget)
		s->over++;
}

static void put_s(struct seen *s, struct flow *f, int dir, const char *str)
{
	put(s, f, dir, str, strlen(str));
}

static uint64_t cnt(struct conn_table *t, enum conn_counter k)
{
	uint64_t c[CONN_CNT__MAX];

	conn_counters(t, c);
	return c[k];
}

static const char UPLOAD[] =
	"POST /x HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
	"Content-Length: 100000\r\n\r\nq=1' OR 1=1--&pad=";

static const char GOOD_HEAD[] =
	"POST /good HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n";

static void test_unfinished_requests_flood(void **state)
{
	const uint64_t budget = 1u << 20;
	struct seen s;
	struct flow good = { .cookie = 1, .who = GOOD, .port = 50000 };
	(void)state;

	assert_non_null(table(&s, budget));
	/* the benign client's upload begins first: the oldest unfinished
	 * state in the table, but not the hog's */
	put_s(&s, &good, 0, GOOD_HEAD);
	put_s(&s, &good, 0, "name=");
	for (unsigned i = 0; i < 300; i++) {
		struct flow f = { .cookie = 1000 + i, .who = HOG, .port = (uint16_t)(40000 + i) };

		put_s(&s, &f, 0, UPLOAD);
	}
	print_message("mem %llu peak %llu shed busy %llu idle %llu bytes %llu\n",
		      (unsigned long long)conn_mem(s.t),
		      (unsigned long long)conn_mem_peak(s.t),
		      (unsigned long long)cnt(s.t, CONN_CNT_SHED_BUSY),
		      (unsigned long long)cnt(s.t, CONN_CNT_SHED_IDLE),
		      (unsigned long long)cnt(s.t, CONN_CNT_SHED_BYTES));
	/* charged after each record, shed at once: never over after one */
	assert_int_equal(s.over, 0);
	assert_true(conn_mem_peak(s.t) <= budget + (64u << 10));
	assert_true(cnt(s.t, CONN_CNT_MEM_PRESSURE) > 0);
	assert_true(cnt(s.t, CONN_CNT_SHED_BUSY) > 100);
	/* every shed upload was emitted with what it held: judged, not lost */
	assert_int_equal(s.partial_x, (int)cnt(s.t, CONN_CNT_SHED_BUSY));
	assert_true(s.hog_named > 0);
	assert_int_equal(s.good_named, 0);
	/* the benign upload survived the flood and completes */
	put_s(&s, &good, 0, "alice&x=1");
	put_s(&s, &good, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
	assert_int_equal(s.good_done, 1);
	assert_int_equal(s.good_partial, 0);
	conn_flush(s.t);
	assert_int_equal(conn_mem(s.t), 0);
	conn_table_free(s.t);
}

static void test_open_streams_flood(void **state)
{
	const uint64_t budget = 4u << 20;
	struct seen s;
	uint8_t hb[128], buf[160 * 128], pre[64];
	size_t h = 0, n, p;
	(void)state;

	assert_non_null(table(&s, budget));
	h += h2b_lit(hb + h, ":method", "POST");
	h += h2b_lit(hb + h, ":scheme", "http");
	h += h2b_lit(hb + h, ":path", "/up");
	h += h2b_lit(hb + h, ":authority", "a");
	p = sizeof(H2_PREFACE) - 1;
	memcpy(pre, H2_PREFACE, p);
	h2_frame_hdr_write(pre + p, 0, 0x4, 0, 0); /* empty SETTINGS */
	p += 9;
	/* 40 connections x 120 streams never ended: ~86 MB unbounded */
	for (unsigned i = 0; i < 40; i++) {
		struct flow f = { .cookie = 5000 + i, .who = HOG, .port = (uint16_t)(41000 + i),
				  .h2 = 1 };

		put(&s, &f, 0, pre, p);
		n = 0;
		for (uint32_t k = 0; k < 120; k++) {
			h2_frame_hdr_write(buf + n, (uint32_t)h, 0x1, 0x4, 1 + 2 * k);
			memcpy(buf + n + 9, hb, h);
			n += 9 + h;
		}
		put(&s, &f, 0, buf, n);
	}
	print_message("mem %llu peak %llu shed busy %llu\n",
		      (unsigned long long)conn_mem(s.t),
		      (unsigned long long)conn_mem_peak(s.t),
		      (unsigned long long)cnt(s.t, CONN_CNT_SHED_BUSY));
	assert_int_equal(s.over, 0);
	/* one record opened 120 streams at once before the check */
	assert_true(conn_mem_peak(s.t) <= budget + 121 * 19000);
	assert_true(cnt(s.t, CONN_CNT_SHED_BUSY) >= 30);
	assert_true(s.hog_named > 0);
	conn_flush(s.t);
	assert_int_equal(conn_mem(s.t), 0);
	conn_table_free(s.t);
}

static void test_idle_keepalive_flood(void **state)
{
	const uint64_t budget = 4u << 20;
	struct seen s;
	struct flow good = { .cookie = 1, .who = GOOD, .port = 50000 };
	(void)state;

	assert_non_null(table(&s, budget));
	for (unsigned i = 0; i < 400; i++) {
		struct flow f = { .cookie = 9000 + i, .who = (uint8_t)(100 + i % 100),
				  .port = (uint16_t)(42000 + i) };

		put_s(&s, &f, 0, "GET /k HTTP/1.1\r\nHost: a\r\n\r\n");
		put_s(&s, &f, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
	}
	print_message("mem %llu open %u trimmed %llu shed idle %llu\n",
		      (unsigned long long)conn_mem(s.t), conn_count(s.t),
		      (unsigned long long)cnt(s.t, CONN_CNT_TRIMMED),
		      (unsigned long long)cnt(s.t, CONN_CNT_SHED_IDLE));
	assert_int_equal(s.over, 0);
	/* spare records go first (nothing lost), then idle connections */
	assert_true(cnt(s.t, CONN_CNT_TRIMMED) > 0);
	assert_true(cnt(s.t, CONN_CNT_SHED_IDLE) > 0);
	assert_int_equal(cnt(s.t, CONN_CNT_SHED_BUSY), 0);
	/* 100 clients with 4 connections each: nobody holds 1/16 */
	assert_int_equal(s.hog_named, 0);
	put_s(&s, &good, 0, GOOD_HEAD);
	put_s(&s, &good, 0, "name=alice");
	put_s(&s, &good, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
	assert_int_equal(s.good_done, 1);
	conn_flush(s.t);
	assert_int_equal(conn_mem(s.t), 0);
	conn_table_free(s.t);
}

/* Without a budget nothing is shed, and the charge is the real holding:
 * each half-finished upload costs its connection, its decoder and one
 * request record. */
static void test_no_budget_accounting(void **state)
{
	struct seen s;
	uint64_t one;
	(void)state;

	assert_non_null(table(&s, 0));
	for (unsigned i = 0; i < 50; i++) {
		struct flow f = { .cookie = 100 + i, .who = HOG, .port = (uint16_t)(43000 + i) };

		put_s(&s, &f, 0, UPLOAD);
		if (i == 0)
			one = conn_mem(s.t);
	}
	assert_true(one > sizeof(struct sess_event));
	assert_int_equal(conn_mem(s.t), 50 * one);
	assert_int_equal(cnt(s.t, CONN_CNT_MEM_PRESSURE), 0);
	assert_int_equal(s.partial_x, 0);
	conn_flush(s.t);
	assert_int_equal(s.partial_x, 50);
	assert_int_equal(conn_mem(s.t), 0);
	conn_table_free(s.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unfinished_requests_flood),
		cmocka_unit_test(test_open_streams_flood),
		cmocka_unit_test(test_idle_keepalive_flood),
		cmocka_unit_test(test_no_budget_accounting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
