/* test_conn.c - the connection table's choice of decoder when a client
 * sends its first bytes in pieces: "PRI" alone may begin the HTTP/2
 * preface (prior knowledge) or "POST"; a server such as nginx waits for the
 * rest, and so must the table. */
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

#define L(s) (sizeof(s) - 1)

struct seen {
	int n, h2, h1;
	char anom[32];
	uint64_t req_bytes;
	uint16_t client_port;
	char path[SESS_MAX_PATH], method[SESS_MAX_METHOD];
	int status;
	int pp_family;
	uint8_t pp_addr[16];
	uint16_t pp_port;
};

static void on_event(void *ctx, const struct sess_event *ev)
{
	struct seen *s = ctx;

	s->n++;
	if (ev->proto == SESS_PROTO_HTTP2)
		s->h2++;
	if (ev->proto == SESS_PROTO_HTTP1)
		s->h1++;
	if (ev->n_anom)
		snprintf(s->anom, sizeof(s->anom), "%s", ev->anom[0].name);
	s->req_bytes = ev->req_bytes;
	s->client_port = ev->conn ? ev->conn->client_port : 0;
	if (ev->status) {
		snprintf(s->path, sizeof(s->path), "%s", ev->path);
		snprintf(s->method, sizeof(s->method), "%s", ev->method);
		s->status = ev->status;
		s->pp_family = ev->conn ? ev->conn->pp_family : 0;
		if (ev->conn)
			memcpy(s->pp_addr, ev->conn->pp_addr, 16);
		s->pp_port = ev->conn ? ev->conn->pp_port : 0;
	}
}

struct feeder {
	struct conn_table *t;
	uint64_t seq[2], ts;
};

/* one capture record of a server socket: dir 0 it receives, 1 it sends */
static void put(struct feeder *f, int dir, const void *data, size_t len)
{
	struct sw_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = f->ts += 1000;
	ev.cookie = 7;
	ev.type = SW_EV_DATA;
	ev.dir = dir ? SW_DIR_SEND : SW_DIR_RECV;
	ev.role = SW_ROLE_SERVER;
	ev.proto = SW_GUESS_HTTP1; /* what the kernel guesses from "PRI" alone */
	ev.family = 2;
	ev.sport = 8080;
	ev.dport = 40000;
	ev.saddr[0] = ev.daddr[0] = 10;
	ev.len = (uint32_t)len;
	ev.seq = f->seq[dir];
	f->seq[dir] += len;
	conn_on_record(f->t, &ev, data);
}

static struct conn_table *table(struct seen *s)
{
	static struct sess_sink sink;
	struct conn_config cfg;

	sink.emit = on_event;
	sink.ctx = s;
	conn_config_default(&cfg);
	return conn_table_new(&cfg, &sink);
}

static size_t frame(uint8_t *p, uint8_t type, uint8_t flags, uint32_t sid,
		    const uint8_t *payload, size_t n)
{
	h2_frame_hdr_write(p, (uint32_t)n, type, flags, sid);
	if (n)
		memcpy(p + 9, payload, n);
	return 9 + n;
}

static void test_dribbled_preface_is_http2(void **state)
{
	struct seen s = { 0 };
	struct feeder f = { .t = table(&s) };
	uint8_t buf[512], hb[128], rh[64];
	size_t n = 0, h = 0, r;
	(void)state;

	assert_non_null(f.t);
	put(&f, 0, "PRI", 3);
	/* the server greets before the rest arrives (nginx does) */
	r = frame(buf, 4, 0, 0, (const uint8_t *)"\0\3\0\0\0\x80", 6);
	put(&f, 1, buf, r);
	memcpy(buf, H2_PREFACE + 3, H2_PREFACE_LEN - 3);
	n = H2_PREFACE_LEN - 3;
	n += frame(buf + n, 4, 0, 0, NULL, 0);
	h += h2b_lit(hb + h, ":method", "GET");
	h += h2b_lit(hb + h, ":scheme", "http");
	h += h2b_lit(hb + h, ":path", "/orders");
	h += h2b_lit(hb + h, ":authority", "api");
	n += frame(buf + n, 1, 5, 1, hb, h);
	put(&f, 0, buf, n);
	r = frame(buf, 4, 1, 0, NULL, 0);
	rh[0] = 0x88; /* :status 200, indexed */
	r += frame(buf + r, 1, 5, 1, rh, 1);
	put(&f, 1, buf, r);
	assert_int_equal(s.h2, 1);
	assert_int_equal(s.h1, 0);
	assert_string_equal(s.path, "/orders");
	assert_int_equal(s.status, 200);
	conn_table_free(f.t);
	assert_int_equal(s.n, 1);
}

static void test_dribbled_post_is_http1(void **state)
{
	static const char rest[] = "OST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi";
	static const char resp[] = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
	struct seen s = { 0 };
	struct feeder f = { .t = table(&s) };
	(void)state;

	assert_non_null(f.t);
	put(&f, 0, "P", 1);
	put(&f, 0, rest, L(rest));
	put(&f, 1, resp, L(resp));
	assert_int_equal(s.h1, 1);
	assert_string_equal(s.method, "POST");
	assert_string_equal(s.path, "/login");
	assert_int_equal(s.status, 201);
	conn_table_free(f.t);
	assert_int_equal(s.n, 1);
}

/* Server bytes held while undecided reach HTTP/1 in order when the client
 * turns out to speak it ("PRI" then something else). */
static void test_not_a_preface_after_all(void **state)
{
	static const char rest[] = "CE /x HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char resp[] = "HTTP/1.1 405 Not Allowed\r\nContent-Length: 0\r\n\r\n";
	struct seen s = { 0 };
	struct feeder f = { .t = table(&s) };
	(void)state;

	assert_non_null(f.t);
	put(&f, 0, "PRI", 3);
	put(&f, 0, rest, L(rest)); /* "PRICE /x": a method llhttp refuses */
	put(&f, 1, resp, L(resp));
	conn_table_free(f.t);
	assert_int_equal(s.h2, 0);
	assert_true(s.h1 >= 1);
}

static void count_pending(void *ctx, const struct sess_conn *id, uint64_t since)
{
	uint64_t *first = ctx;

	(void)id;
	*first = since;
}

/* A client that sends "PRI" and stops is a slow head like any other. */
static void test_stalled_preface_is_pending(void **state)
{
	struct seen s = { 0 };
	struct feeder f = { .t = table(&s), .ts = 5000 };
	uint64_t since = 0;
	(void)state;

	assert_non_null(f.t);
	put(&f, 0, "PR", 2);
	conn_foreach_pending(f.t, count_pending, &since);
	assert_int_equal(since, 6000);
	conn_table_free(f.t);
	assert_int_equal(s.n, 0);
}

/* The kernel gave up on garbage sent to an HTTP port: one event of its own,
 * for the client that sent it, carrying the reason as an anomaly; a reason
 * that is not suspicious (TLS) gives nothing. */
static void test_unclassified_is_an_event(void **state)
{
	static const struct { unsigned why; const char *anom; } w[] = {
		{ SW_WHY_GARBAGE, "conn.garbage" },
		{ SW_WHY_CRLF, "conn.crlf_flood" },
		{ SW_WHY_H2_FRAMES, "conn.h2_no_headers" },
		{ SW_WHY_TLS, NULL },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		struct seen s = { 0 };
		struct conn_table *t = table(&s);
		uint64_t cnt[CONN_CNT__MAX];
		struct sw_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.type = SW_EV_UNCLASSIFIED;
		ev.cookie = 9;
		ev.role = SW_ROLE_SERVER;
		ev.family = 2;
		ev.sport = 8080;
		ev.dport = 41234;
		ev.len = 8192;
		ev.pad[0] = (uint8_t)w[i].why;
		conn_on_record(t, &ev, NULL);
		conn_counters(t, cnt);
		assert_int_equal(conn_count(t), 0); /* no connection kept */
		if (!w[i].anom) {
			assert_int_equal(s.n, 0);
			assert_int_equal(cnt[CONN_CNT_UNCLASSIFIED], 0);
		} else {
			assert_int_equal(s.n, 1);
			assert_string_equal(s.anom, w[i].anom);
			assert_int_equal(s.req_bytes, 8192);
			assert_int_equal(s.client_port, 41234);
			assert_int_equal(cnt[CONN_CNT_UNCLASSIFIED], 1);
		}
		conn_table_free(t);
	}
}

static uint64_t counter(struct conn_table *t, enum conn_counter k)
{
	uint64_t c[CONN_CNT__MAX];

	conn_counters(t, c);
	return c[k];
}

#define RESP "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

/* PROXY protocol (a balancer's header before the client's bytes): read
 * past, its client kept with the connection, in one record, dribbled, as
 * version 2 alone before the request; TLS after it is not decoded; a
 * malformed one is counted and the request after it still decoded. */
static void test_proxy_protocol(void **state)
{
	static const char v1[] = "PROXY TCP4 192.0.2.7 10.0.0.1 5555 80\r\nGET /pp?a=1 HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char v2[] = "\r\n\r\n\0\r\nQUIT\n\x21\x11\x00\x0c\xc0\x00\x02\x09\x0a\x00\x00\x01\x15\xb4\x00\x50";
	static const char tls[] = "PROXY TCP4 192.0.2.7 10.0.0.1 5555 443\r\n";
	static const char bad[] = "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n";
	uint8_t want[16] = { 192, 0, 2, 7 };
	(void)state;

	for (int dribble = 0; dribble < 2; dribble++) {
		struct seen s = { 0 };
		struct feeder f = { .t = table(&s) };

		if (dribble) {
			put(&f, 0, v1, 3);
			put(&f, 0, v1 + 3, 20);
			put(&f, 0, v1 + 23, L(v1) - 23);
		} else {
			put(&f, 0, v1, L(v1));
		}
		put(&f, 1, RESP, L(RESP));
		assert_int_equal(s.n, 1);
		assert_string_equal(s.path, "/pp");
		assert_int_equal(s.status, 200);
		assert_int_equal(s.pp_family, AF_INET);
		assert_memory_equal(s.pp_addr, want, 16);
		assert_int_equal(s.pp_port, 5555);
		assert_int_equal(counter(f.t, CONN_CNT_PP), 1);
		assert_int_equal(s.anom[0], '\0');
		conn_table_free(f.t);
	}
	{
		struct seen s = { 0 };
		struct feeder f = { .t = table(&s) };

		put(&f, 0, v2, L(v2));
		put(&f, 0, v1 + 39, L(v1) - 39);
		put(&f, 1, RESP, L(RESP));
		assert_int_equal(s.n, 1);
		assert_string_equal(s.path, "/pp");
		assert_int_equal(s.pp_family, AF_INET);
		assert_int_equal(s.pp_addr[3], 9);
		assert_int_equal(s.pp_port, 5556);
		conn_table_free(f.t);
	}
	{
		/* UNKNOWN reaches to the first CRLF (as nginx reads it): the
		 * request served is the one after it */
		static const char unk[] = "PROXY UNKNOWN\nGET /ok HTTP/1.1\r\nGET /evil?id=1 HTTP/1.1\r\nHost: a\r\n\r\n";
		struct seen s = { 0 };
		struct feeder f = { .t = table(&s) };

		put(&f, 0, unk, L(unk));
		put(&f, 1, RESP, L(RESP));
		assert_int_equal(s.n, 1);
		assert_string_equal(s.path, "/evil");
		assert_int_equal(s.pp_family, 0);
		conn_table_free(f.t);
	}
	{
		/* a v2 header with 2000 bytes of TLVs, longer than any hold:
		 * its client kept, the TLVs skipped across records */
		static uint8_t big[16 + 2000];
		struct seen s = { 0 };
		struct feeder f = { .t = table(&s) };

		memcpy(big, v2, 16);
		big[14] = 2000 >> 8;
		big[15] = 2000 & 0xff;
		memcpy(big + 16, v2 + 16, 12);
		memset(big + 28, 'T', sizeof(big) - 28);
		put(&f, 0, big, 700);
		put(&f, 0, big + 700, sizeof(big) - 700);
		put(&f, 0, v1 + 39, L(v1) - 39);
		put(&f, 1, RESP, L(RESP));
		assert_int_equal(s.n, 1);
		assert_string_equal(s.path, "/pp");
		assert_int_equal(s.pp_addr[3], 9);
		conn_table_free(f.t);
	}
	{
		struct seen s = { 0 };
		struct feeder f = { .t = table(&s) };

		put(&f, 0, tls, L(tls));
		put(&f, 0, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
		put(&f, 1, "\x16\x03\x03\x00\x7a\x02", 6);
		conn_flush(f.t);
		assert_int_equal(s.n, 0);
		assert_int_equal(counter(f.t, CONN_CNT_PP_TLS), 1);
		conn_table_free(f.t);
	}
	{
		struct seen s = { 0 };
		struct feeder f = { .t = table(&s) };

		put(&f, 0, bad, L(bad));
		put(&f, 1, RESP, L(RESP));
		conn_flush(f.t);
		assert_int_equal(counter(f.t, CONN_CNT_PP_BAD), 1);
		assert_string_equal(s.path, "/after");
		assert_int_equal(s.pp_family, 0);
		conn_table_free(f.t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dribbled_preface_is_http2),
		cmocka_unit_test(test_dribbled_post_is_http1),
		cmocka_unit_test(test_not_a_preface_after_all),
		cmocka_unit_test(test_stalled_preface_is_pending),
		cmocka_unit_test(test_unclassified_is_an_event),
		cmocka_unit_test(test_proxy_protocol),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
