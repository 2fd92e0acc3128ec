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

#include <sys/socket.h>

#include "collector/capture/conn.h"
#include "collector/decode/h2.h"
#include "collector/decode/h2_frame.h"
#include "h2_build.h"

#define HOG 66   /* last byte of the flooding client's address */
#define GOOD 5   /* ... of the benign client's */

struct seen {
	int events, hog_named, good_named, partial_x, good_done, good_partial;
	int hog_resumed, good_resumed;
	uint64_t budget, over;     /* records after which mem > budget */
	struct conn_table *t;
};

static void on_event(void *ctx, const struct sess_event *ev)
{
	struct seen *s = ctx;
	uint8_t who = !ev->conn ? 0 : ev->conn->client_addr[ev->conn->family == AF_INET6 ? 7 : 3];

	s->events++;
	for (unsigned i = 0; i < ev->n_anom; i++) {
		if (!strcmp(ev->anom[i].name, "conn.shed_resumed")) {
			s->hog_resumed += who == HOG;
			s->good_resumed += who == GOOD;
		}
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
	int v6; /* 2001:db8:0:WHO::PORT, else 10.0.0.WHO */
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
	ev.family = f->v6 ? AF_INET6 : AF_INET;
	ev.sport = 8080;
	ev.dport = f->port;
	ev.saddr[0] = 10;
	if (f->v6) {
		ev.saddr[0] = ev.daddr[0] = 0x20;
		ev.saddr[1] = ev.daddr[1] = 0x01;
		ev.daddr[7] = f->who;
		ev.daddr[14] = (uint8_t)(f->port >> 8);
		ev.daddr[15] = (uint8_t)f->port;
	} else {
		ev.daddr[0] = 10;
		ev.daddr[3] = f->who;
	}
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

/* ASan's count of the bytes malloc has handed out and not taken back (the
 * unit tests are always built with AddressSanitizer). */
size_t __sanitizer_get_current_allocated_bytes(void);

/* nghttp2 sizes a header's buffer by the length a literal announces,
 * before its bytes come: a HEADERS block of 5 bytes announcing a 65000-byte
 * Huffman-coded name holds ~65 KB. The charge must be what the heap
 * really holds, or such connections pass any budget unseen. */
static void test_hpack_announced_length_is_charged(void **state)
{
	static const uint8_t blk[] = { 0x00, 0xff, 0xe9, 0xfa, 0x03 }; /* name: H, 65000 */
	uint8_t rec[64];
	struct seen s;
	size_t p, real0, real1;
	uint64_t charged;
	(void)state;

	assert_non_null(table(&s, 0));
	p = sizeof(H2_PREFACE) - 1;
	memcpy(rec, H2_PREFACE, p);
	h2_frame_hdr_write(rec + p, 0, 0x4, 0, 0);
	p += 9;
	h2_frame_hdr_write(rec + p, sizeof(blk), 0x1, 0, 1); /* no END_HEADERS */
	memcpy(rec + p + 9, blk, sizeof(blk));
	p += 9 + sizeof(blk);
	real0 = __sanitizer_get_current_allocated_bytes();
	for (unsigned i = 0; i < 100; i++) {
		struct flow f = { .cookie = 7000 + i, .who = HOG, .port = (uint16_t)(44000 + i),
				  .h2 = 1 };

		put(&s, &f, 0, rec, p);
	}
	real1 = __sanitizer_get_current_allocated_bytes();
	charged = conn_mem(s.t);
	print_message("100 connections: heap +%zu bytes, charged %llu\n", real1 - real0,
		      (unsigned long long)charged);
	/* at least the announced 65000 bytes each, and the charge within 10%
	 * of the heap's growth (the table's buckets grow a little besides) */
	assert_true(real1 - real0 > 100 * 65000);
	assert_true(charged * 10 >= (real1 - real0) * 9);
	assert_true(charged <= real1 - real0);
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
	/* the benign keep-alive is the oldest idle connection of all */
	put_s(&s, &good, 0, "GET /k HTTP/1.1\r\nHost: a\r\n\r\n");
	put_s(&s, &good, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
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
	/* the benign keep-alive was shed idle: its next request, on the same
	 * connection, is tracked anew from a clean start - decoded whole, no
	 * anomaly */
	put_s(&s, &good, 0, GOOD_HEAD);
	put_s(&s, &good, 0, "name=alice");
	put_s(&s, &good, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
	assert_int_equal(s.good_done, 1);
	assert_int_equal(s.good_resumed, 0);
	assert_int_equal(cnt(s.t, CONN_CNT_SHED_RESUMED), 0);
	conn_flush(s.t);
	assert_int_equal(conn_mem(s.t), 0);
	conn_table_free(s.t);
}

/* A connection shed with an unfinished upload, then sending the rest:
 * what it sent while forgotten is not judged whole, so it draws
 * conn.shed_resumed; an HTTP/2 connection shed comes back as HTTP/2
 * joined mid-stream (its next request decoded), also flagged. */
static void test_shed_then_resumed(void **state)
{
	const uint64_t budget = 1u << 20;
	struct seen s;
	struct flow up = { .cookie = 2, .who = HOG, .port = 51000 };
	struct flow h2 = { .cookie = 3, .who = HOG, .port = 51001, .h2 = 1 };
	uint8_t rec[128], hb[64];
	size_t p, h = 0;
	(void)state;

	assert_non_null(table(&s, budget));
	put_s(&s, &up, 0, UPLOAD);
	p = sizeof(H2_PREFACE) - 1;
	memcpy(rec, H2_PREFACE, p);
	h2_frame_hdr_write(rec + p, 0, 0x4, 0, 0);
	p += 9;
	put(&s, &h2, 0, rec, p);
	for (unsigned i = 0; i < 60; i++) {
		struct flow f = { .cookie = 3000 + i, .who = HOG, .port = (uint16_t)(45000 + i) };

		put_s(&s, &f, 0, UPLOAD);
	}
	assert_true(cnt(s.t, CONN_CNT_SHED_BUSY) >= 2);
	assert_int_equal(s.hog_resumed, 0);
	/* the rest of the upload: its entry is gone, it comes back flagged */
	put_s(&s, &up, 0, "aaaa&id=1' OR 1=1--");
	assert_int_equal(s.hog_resumed, 1);
	/* HTTP/2 again: flagged, and a request with literal headers decoded */
	h += h2b_lit(hb + h, ":method", "GET");
	h += h2b_lit(hb + h, ":scheme", "http");
	h += h2b_lit(hb + h, ":path", "/after");
	h += h2b_lit(hb + h, ":authority", "a");
	h2_frame_hdr_write(rec, (uint32_t)h, 0x1, 0x5, 5);
	memcpy(rec + 9, hb, h);
	put(&s, &h2, 0, rec, 9 + h);
	assert_int_equal(s.hog_resumed, 2);
	assert_int_equal(cnt(s.t, CONN_CNT_SHED_RESUMED), 2);
	conn_flush(s.t);
	conn_table_free(s.t);
}

/* Spread over 40 addresses of one IPv6 /64, each under the naming floor:
 * the /64 is one client, named, and shed first; the benign client's older
 * unfinished upload survives. */
static void test_v6_spread_is_one_client(void **state)
{
	const uint64_t budget = 4u << 20;
	struct seen s;
	struct flow good = { .cookie = 1, .who = GOOD, .port = 50000 };
	(void)state;

	assert_non_null(table(&s, budget));
	put_s(&s, &good, 0, GOOD_HEAD);
	put_s(&s, &good, 0, "name=");
	for (unsigned i = 0; i < 200; i++) {
		struct flow f = { .cookie = 8000 + i, .who = HOG, .v6 = 1,
				  .port = (uint16_t)(46000 + i % 40) };

		put_s(&s, &f, 0, UPLOAD);
	}
	assert_int_equal(s.over, 0);
	assert_true(s.hog_named > 0);
	assert_int_equal(s.good_named, 0);
	put_s(&s, &good, 0, "alice&x=1");
	put_s(&s, &good, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
	assert_int_equal(s.good_done, 1);
	assert_int_equal(s.good_resumed, 0);
	conn_flush(s.t);
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
		cmocka_unit_test(test_hpack_announced_length_is_charged),
		cmocka_unit_test(test_idle_keepalive_flood),
		cmocka_unit_test(test_shed_then_resumed),
		cmocka_unit_test(test_v6_spread_is_one_client),
		cmocka_unit_test(test_no_budget_accounting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
