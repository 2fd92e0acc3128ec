/* test_escalate.c - payload escalation (issue 20 item 7) fed by the real
 * decoders: HTTP/1.1 and HTTP/2 bytes go through h1/h2 into the verdict
 * engine (request sink: verdict_judge_request, final events:
 * verdict_judge), as the collector wires them. Default rules, enforcing:
 * the 3rd request with a payload verdict in 60 s from one client is a
 * block. A request counts once however it is judged (head, windows,
 * several rules); requests a client packs together (pipelined in one
 * write, HTTP/2 streams in one record) count one each. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <nghttp2/nghttp2.h>

#include "collector/decode/h1.h"
#include "collector/decode/h2.h"
#include "collector/decode/h2_frame.h"
#include "collector/decode/sess.h"
#include "collector/detect/rules.h"
#include "collector/detect/verdict.h"

#define SEC 1000000000ull
#define T0 (1000 * SEC)

enum { DATA = 0, HEADERS = 1, SETTINGS = 4 };
#define ES 0x01
#define EH 0x04

/* what the engine said, over every judgement */
struct seen {
	struct verdict_engine *v;
	uint64_t now;
	int payload, kills, blocks; /* payload verdicts, by action */
};

static int is_payload(const struct verdict *o)
{
	return o->rule_id >= RULE_PAYLOAD_FIRST && o->rule_id <= RULE_PAYLOAD_LAST;
}

static void tally(struct seen *s, const struct verdict *out, int n)
{
	for (int i = 0; i < n; i++) {
		if (!is_payload(&out[i]))
			continue;
		s->payload++;
		s->kills += out[i].action == VERDICT_KILL;
		s->blocks += out[i].action == VERDICT_BLOCK;
	}
}

static void on_request(void *ctx, const struct sess_event *e)
{
	struct seen *s = ctx;
	struct verdict out[16];

	tally(s, out, verdict_judge_request(s->v, e, s->now, out, 16));
}

static void on_emit(void *ctx, const struct sess_event *e)
{
	struct seen *s = ctx;
	struct verdict out[16];

	tally(s, out, verdict_judge(s->v, e, s->now, out, 16));
}

static struct sess_conn conn_of(const char *ip, uint64_t cookie)
{
	struct sess_conn c;

	memset(&c, 0, sizeof(c));
	c.family = AF_INET;
	inet_pton(AF_INET, ip, c.client_addr);
	inet_pton(AF_INET, "10.213.1.1", c.server_addr);
	c.client_port = 40000;
	c.server_port = 8080;
	c.cookie = cookie;
	c.open_ns = T0;
	return c;
}

struct fix {
	struct rules *r;
	struct seen s;
	struct sess_sink sink;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	rules_default(&f->r);
	f->r->enforce = 1;
	f->s.v = verdict_new(f->r);
	assert_non_null(f->s.v);
	f->s.now = T0;
	f->sink.emit = on_emit;
	f->sink.request = on_request;
	f->sink.ctx = &f->s;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	verdict_free(f->s.v);
	rules_free(f->r);
	free(f);
	return 0;
}

static void h1_one_write(struct fix *f, const struct sess_conn *c, const char *req, uint64_t ts)
{
	struct h1_conn *h = h1_conn_new(c, &f->sink);

	assert_non_null(h);
	assert_int_equal(h1_feed(h, SESS_DIR_REQ, (const uint8_t *)req, strlen(req), ts),
			 strlen(req));
	h1_conn_free(h);
}

/* Three injections pipelined in one write (one capture record, one
 * timestamp): three requests, three strikes, the third a block. They
 * shared one strike before (the same connection and start time). */
static void pipelined_requests_in_one_write_are_three_strikes(void **state)
{
	struct fix *f = *state;
	struct sess_conn c = conn_of("10.213.5.1", 77);

	h1_one_write(f, &c,
		     "GET /items?id=1'%20or%20'1'='1 HTTP/1.1\r\nHost: a\r\n\r\n"
		     "GET /items?id=2'%20or%20'2'='2 HTTP/1.1\r\nHost: a\r\n\r\n"
		     "GET /items?id=3'%20or%20'3'='3 HTTP/1.1\r\nHost: a\r\n\r\n",
		     T0);
	print_message("pipelined: %d payload verdicts, %d kills, %d blocks\n",
		      f->s.payload, f->s.kills, f->s.blocks);
	assert_int_equal(f->s.payload, 3);
	assert_int_equal(f->s.kills, 2);
	assert_int_equal(f->s.blocks, 1);
}

/* The same request judged again (the head, then its body past the
 * event's prefix in windows) and matched by several rules stays one
 * strike: two such requests are two kills, no block. */
static void one_request_many_windows_and_rules_is_one_strike(void **state)
{
	struct fix *f = *state;
	struct sess_conn c = conn_of("10.213.5.2", 78);
	char *req = malloc(64 * 1024);
	size_t n, body = 20000;

	assert_non_null(req);
	for (int k = 0; k < 2; k++) {
		n = (size_t)sprintf(req, "POST /items?q=<script>alert(1)</script>&id=1'%%20or%%20'1'='1 HTTP/1.1\r\n"
				   "Host: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
				   "Content-Length: %zu\r\n\r\n", body);
		for (size_t i = 0; i < body; i += 40)
			n += (size_t)sprintf(req + n, "%-39.39s&", "a=1' or '1'='1");
		req[n] = '\0';
		h1_one_write(f, &c, req, T0 + (uint64_t)k * SEC);
	}
	free(req);
	print_message("two requests, head and windows: %d payload verdicts, %d kills, %d blocks\n",
		      f->s.payload, f->s.kills, f->s.blocks);
	assert_true(f->s.payload > 4); /* judged in several windows, several rules */
	assert_int_equal(f->s.blocks, 0);
}

/* --- HTTP/2 ---------------------------------------------------------------- */

struct link {
	struct h2_conn *c;
	nghttp2_hd_deflater *def;
	uint8_t buf[16384];
	size_t n;           /* bytes queued for the next feed */
};

static void frame(struct link *l, uint8_t type, uint8_t flags, uint32_t sid,
		  const void *p, size_t n)
{
	assert_true(l->n + 9 + n <= sizeof(l->buf));
	h2_frame_hdr_write(l->buf + l->n, (uint32_t)n, type, flags, sid);
	if (n)
		memcpy(l->buf + l->n + 9, p, n);
	l->n += 9 + n;
}

/* everything queued as one record, with one timestamp */
static void feed(struct link *l, enum sess_dir dir, uint64_t ts)
{
	h2_feed(l->c, dir, l->buf, l->n, ts);
	l->n = 0;
}

static void headers(struct link *l, uint32_t sid, uint8_t flags, const char *method,
		    const char *path)
{
	nghttp2_nv nv[] = {
		{ (uint8_t *)":method", (uint8_t *)method, 7, strlen(method), 0 },
		{ (uint8_t *)":scheme", (uint8_t *)"http", 7, 4, 0 },
		{ (uint8_t *)":path", (uint8_t *)path, 5, strlen(path), 0 },
		{ (uint8_t *)":authority", (uint8_t *)"a.example", 10, 9, 0 },
		{ (uint8_t *)"content-type", (uint8_t *)"application/x-www-form-urlencoded", 12, 33, 0 },
	};
	uint8_t blk[1024];
	ssize_t n = nghttp2_hd_deflate_hd(l->def, blk, sizeof(blk), nv, 5);

	assert_true(n > 0);
	frame(l, HEADERS, (uint8_t)(EH | flags), sid, blk, (size_t)n);
}

static void open_link(struct link *l, struct fix *f, const struct sess_conn *c)
{
	static const uint8_t set[6] = { 0, 3, 0, 0, 0, 100 };

	memset(l, 0, sizeof(*l));
	l->c = h2_conn_new(c, &f->sink, 0);
	assert_non_null(l->c);
	assert_int_equal(nghttp2_hd_deflate_new(&l->def, 4096), 0);
	memcpy(l->buf, H2_PREFACE, H2_PREFACE_LEN);
	l->n = H2_PREFACE_LEN;
	frame(l, SETTINGS, 0, 0, NULL, 0);
	feed(l, SESS_DIR_REQ, T0);
	frame(l, SETTINGS, 0, 0, set, sizeof(set));
	feed(l, SESS_DIR_RESP, T0);
}

static void close_link(struct link *l, uint64_t ts)
{
	h2_close(l->c, ts);
	h2_conn_free(l->c);
	nghttp2_hd_deflate_del(l->def);
}

/* Three streams opened in one record: three requests, the third a block
 * (one strike before: same connection, same start time). */
static void h2_streams_in_one_record_are_three_strikes(void **state)
{
	struct fix *f = *state;
	struct sess_conn c = conn_of("10.213.5.3", 79);
	struct link l;

	open_link(&l, f, &c);
	for (uint32_t sid = 1; sid <= 5; sid += 2) {
		char path[64];

		snprintf(path, sizeof(path), "/items?id=%u'%%20or%%20'1'='1", sid);
		headers(&l, sid, ES, "GET", path);
	}
	feed(&l, SESS_DIR_REQ, T0 + SEC);
	close_link(&l, T0 + 2 * SEC);
	print_message("h2, 3 streams in one record: %d payload verdicts, %d kills, %d blocks\n",
		      f->s.payload, f->s.kills, f->s.blocks);
	assert_int_equal(f->s.payload, 3);
	assert_int_equal(f->s.blocks, 1);
}

/* Two HTTP/2 requests whose heads and bodies interleave (stream 1 head,
 * stream 3 head, stream 1 body, stream 3 body), each judged at its head
 * and again in its body window: two requests, two strikes, no block.
 * Before, a window counted again whenever another request's strike came
 * between: four strikes, the third a block for a client that sent two. */
static void h2_interleaved_windows_are_one_strike_per_request(void **state)
{
	struct fix *f = *state;
	struct sess_conn c = conn_of("10.213.5.4", 80);
	static const char body[] = "a=1'%20or%20'1'='1&b=2";
	struct link l;

	open_link(&l, f, &c);
	headers(&l, 1, 0, "POST", "/items?id=1'%20or%20'1'='1");
	feed(&l, SESS_DIR_REQ, T0 + SEC);
	headers(&l, 3, 0, "POST", "/items?id=3'%20or%20'1'='1");
	feed(&l, SESS_DIR_REQ, T0 + 2 * SEC);
	frame(&l, DATA, ES, 1, body, sizeof(body) - 1);
	feed(&l, SESS_DIR_REQ, T0 + 3 * SEC);
	frame(&l, DATA, ES, 3, body, sizeof(body) - 1);
	feed(&l, SESS_DIR_REQ, T0 + 4 * SEC);
	close_link(&l, T0 + 5 * SEC);
	print_message("h2, 2 interleaved requests: %d payload verdicts, %d kills, %d blocks\n",
		      f->s.payload, f->s.kills, f->s.blocks);
	assert_int_equal(f->s.payload, 4); /* each head and each body window */
	assert_int_equal(f->s.blocks, 0);
}

/* The engine's client table is bounded (limits.max_clients) and evicts
 * the least recently used. Identities are keys the client picks (an API
 * key per request), so one address can fill the table: a real attacker's
 * two strikes were evicted with it and its third injection was a kill
 * again. Strikes are kept apart from it, made only by payload verdicts:
 * flushing them takes as many addresses drawing verdicts as it holds. */
static void strikes_survive_a_flood_of_made_up_identities(void **state)
{
	struct fix *f = *state;
	struct sess_conn a = conn_of("10.213.6.1", 90), b = conn_of("10.213.6.2", 91);
	char *buf = malloc(1024);
	struct verdict_stats st;
	struct h1_conn *h;
	size_t n;

	assert_non_null(buf);
	verdict_free(f->s.v);
	f->r->max_clients = 256;
	f->s.v = verdict_new(f->r);
	assert_non_null(f->s.v);
	h1_one_write(f, &a, "GET /items?id=1'%20or%20'1'='1 HTTP/1.1\r\nHost: a\r\n\r\n", T0);
	h1_one_write(f, &a, "GET /items?id=2'%20or%20'1'='1 HTTP/1.1\r\nHost: a\r\n\r\n", T0 + 1);
	assert_int_equal(f->s.kills, 2);
	/* 400 answered requests from b, each with an API key of its own */
	h = h1_conn_new(&b, &f->sink);
	assert_non_null(h);
	for (int i = 0; i < 400; i++) {
		n = (size_t)sprintf(buf, "GET /ok HTTP/1.1\r\nHost: a\r\nX-Api-Key: key-%d\r\n\r\n", i);
		assert_int_equal(h1_feed(h, SESS_DIR_REQ, (const uint8_t *)buf, n, T0 + 2), n);
		n = (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		assert_int_equal(h1_feed(h, SESS_DIR_RESP, (const uint8_t *)buf, n, T0 + 3), n);
	}
	h1_conn_free(h);
	free(buf);
	h1_one_write(f, &a, "GET /items?id=3'%20or%20'1'='1 HTTP/1.1\r\nHost: a\r\n\r\n", T0 + 4);
	verdict_get_stats(f->s.v, &st);
	print_message("after 400 made-up identities in a table of 256: %d kills, %d blocks "
		      "(clients %llu, evicted %llu)\n", f->s.kills, f->s.blocks,
		      (unsigned long long)st.clients, (unsigned long long)st.client_evictions);
	assert_true(st.client_evictions >= 400 - 256);
	assert_int_equal(f->s.blocks, 1);
	/* the strike table held one client, and none was evicted from it */
	assert_int_equal(st.strikes, 1);
	assert_int_equal(st.strike_evictions, 0);
}

/* What does flush strikes is shown to the operator: 300 addresses that
 * each draw a payload verdict in a table of 256 evict the oldest strikes,
 * and verdict_get_stats counts them (report.c puts them on the counters
 * line and /metrics). */
static void strike_evictions_are_counted(void **state)
{
	struct fix *f = *state;
	struct verdict_stats st;
	char ip[32];

	verdict_free(f->s.v);
	f->r->max_clients = 256;
	f->s.v = verdict_new(f->r);
	assert_non_null(f->s.v);
	for (int i = 0; i < 300; i++) {
		struct sess_conn c;

		snprintf(ip, sizeof(ip), "10.213.%d.%d", 10 + i / 200, 1 + i % 200);
		c = conn_of(ip, (uint16_t)(1000 + i));
		h1_one_write(f, &c, "GET /items?id=1'%20or%20'1'='1 HTTP/1.1\r\nHost: a\r\n\r\n",
			     T0 + (uint64_t)i);
	}
	verdict_get_stats(f->s.v, &st);
	assert_int_equal(f->s.kills, 300);
	assert_int_equal(st.strikes, 256);
	assert_int_equal(st.strike_evictions, 300 - 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pipelined_requests_in_one_write_are_three_strikes, setup, teardown),
		cmocka_unit_test_setup_teardown(strike_evictions_are_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(one_request_many_windows_and_rules_is_one_strike, setup, teardown),
		cmocka_unit_test_setup_teardown(h2_streams_in_one_record_are_three_strikes, setup, teardown),
		cmocka_unit_test_setup_teardown(h2_interleaved_windows_are_one_strike_per_request, setup, teardown),
		cmocka_unit_test_setup_teardown(strikes_survive_a_flood_of_made_up_identities, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
