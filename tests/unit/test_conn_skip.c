/* test_conn_skip.c - the connection table asks the kernel to count, not
 * copy, the body of a large HTTP/1.1 response past the prefix the events
 * keep (conn.h, conn_skip_fn), and frames what the kernel then skipped
 * exactly: a jump in the stream offsets inside the range, or a gap record
 * flagged SW_F_SKIP, is a skip, never a loss. The records are built here
 * the way capture.bpf.c builds them for a skipping kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/capture/conn.h"

struct seen {
	int n, status;
	uint64_t resp_bytes, resp_body_bytes;
	uint32_t flags, resp_body_len;
	char path[SESS_MAX_PATH];
};

struct asked {
	int n, dels;
	uint64_t cookie, from, to;
};

static void on_event(void *ctx, const struct sess_event *ev)
{
	struct seen *s = ctx;

	s->n++;
	s->status = ev->status;
	s->resp_bytes = ev->resp_bytes;
	s->resp_body_bytes = ev->resp_body_bytes;
	s->resp_body_len = ev->resp_body_len;
	s->flags = ev->flags;
	snprintf(s->path, sizeof(s->path), "%s", ev->path);
}

static int fake_skip(void *ctx, uint64_t cookie, uint64_t from, uint64_t to,
		     int del)
{
	struct asked *a = ctx;

	if (del) {
		a->dels++;
		return 0;
	}
	a->n++;
	a->cookie = cookie;
	a->from = from;
	a->to = to;
	return 0;
}

struct feeder {
	struct conn_table *t;
	uint64_t seq[2], ts;
	uint8_t tls;
};

/* one record of a server socket at the stream offset seq[dir]; type GAP
 * with flags SW_F_SKIP is a range's last call */
static void rec(struct feeder *f, int dir, uint8_t type, uint8_t flags,
		const void *data, size_t len)
{
	struct sw_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = f->ts += 1000;
	ev.cookie = f->tls ? 9 | SW_TLS_COOKIE_BIT : 9;
	ev.type = type;
	ev.flags = flags | (f->tls ? SW_F_TLS : 0);
	ev.dir = dir ? SW_DIR_SEND : SW_DIR_RECV;
	ev.role = SW_ROLE_SERVER;
	ev.proto = SW_GUESS_HTTP1;
	ev.family = 2;
	ev.sport = 8080;
	ev.dport = 40000;
	ev.len = (uint32_t)len;
	ev.seq = f->seq[dir];
	f->seq[dir] += len;
	conn_on_record(f->t, &ev, data);
}

static void put(struct feeder *f, int dir, const void *data, size_t len)
{
	rec(f, dir, SW_EV_DATA, 0, data, len);
}

static uint64_t counter(struct conn_table *t, enum conn_counter k)
{
	uint64_t c[CONN_CNT__MAX];

	conn_counters(t, c);
	return c[k];
}

static struct conn_table *table(struct seen *s, struct asked *a)
{
	static struct sess_sink sink;
	struct conn_config cfg;
	struct conn_table *t;

	sink.emit = on_event;
	sink.ctx = s;
	conn_config_default(&cfg);
	t = conn_table_new(&cfg, &sink);
	conn_set_skip(t, fake_skip, a);
	return t;
}

#define REQ "GET /export HTTP/1.1\r\nHost: a\r\n\r\n"
#define REQ2 "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"
#define HEAD "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
#define RESP2 "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno"

static uint8_t body[100000];

/* Once the head is decoded, the range asked for runs from 4 KiB into the
 * body to its end; 8 KiB of body still arrive copied (written before the
 * kernel read the range). The kernel then skips calls silently
 * (a jump) and ends the range with a SW_F_SKIP gap record; the response
 * is exact, not flagged as a gap, and the next exchange decodes. */
static void test_skip_range_and_framing(void **state)
{
	struct seen s = {};
	struct asked a = {};
	struct feeder f = {};
	uint64_t hl = sizeof(HEAD) - 1;

	(void)state;
	memset(body, '7', sizeof(body));
	body[0] = '[';
	f.t = table(&s, &a);
	put(&f, 0, REQ, sizeof(REQ) - 1);
	put(&f, 1, HEAD, hl);
	/* the head alone frames the body: asked at once */
	assert_int_equal(a.n, 1);
	assert_int_equal(a.cookie, 9);
	assert_int_equal(a.from, hl + 4096);
	assert_int_equal(a.to, hl + 100000);
	put(&f, 1, body, 8192);
	assert_int_equal(a.n, 1); /* the same range: not asked again */
	/* the kernel copies one more call that began before it read the
	 * range, then skips 3 calls silently and ends with a gap record */
	put(&f, 1, body + 8192, 16384);
	assert_int_equal(a.n, 1); /* the same range: not asked again */
	f.seq[1] += 3 * 20000;
	rec(&f, 1, SW_EV_GAP, SW_F_SKIP, NULL, 100000 - 8192 - 16384 - 60000);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.status, 200);
	assert_int_equal(s.resp_bytes, hl + 100000);
	assert_int_equal(s.resp_body_bytes, 100000);
	assert_int_equal(s.resp_body_len, SESS_MAX_RESP_BODY); /* the prefix */
	assert_false(s.flags & SESS_F_BODY_GAP);
	assert_int_equal(counter(f.t, CONN_CNT_SKIPS), 1);
	assert_int_equal(counter(f.t, CONN_CNT_SKIP_BYTES), 100000 - 8192 - 16384);
	assert_int_equal(counter(f.t, CONN_CNT_GAPS), 0);
	put(&f, 0, REQ2, sizeof(REQ2) - 1);
	put(&f, 1, RESP2, sizeof(RESP2) - 1);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.status, 404);
	assert_string_equal(s.path, "/next");
	assert_int_equal(a.n, 1);
	conn_table_free(f.t);
	assert_int_equal(a.dels, 1); /* the range is forgotten at the end */
}

/* Chunked: the range is the rest of the current chunk only (the next
 * chunk's size line must be read); the kernel skips it, the chunk's CRLF
 * and the last chunk arrive copied, and the answer is exact. */
#define CHEAD "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
#define CLINE "10000\r\n" /* one chunk of 65536 bytes */
#define CTAIL "\r\n0\r\n\r\n"
static void test_skip_chunk(void **state)
{
	struct seen s = {};
	struct asked a = {};
	struct feeder f = {};
	uint64_t at;

	(void)state;
	memset(body, 'c', sizeof(body));
	f.t = table(&s, &a);
	put(&f, 0, REQ, sizeof(REQ) - 1);
	put(&f, 1, CHEAD, sizeof(CHEAD) - 1);
	assert_int_equal(a.n, 0); /* no chunk yet: nothing framed */
	put(&f, 1, CLINE, sizeof(CLINE) - 1);
	at = f.seq[1]; /* the chunk's first byte */
	put(&f, 1, body, 1000);
	assert_int_equal(a.n, 1);
	assert_int_equal(a.from, at + 4096);
	assert_int_equal(a.to, at + 65536);
	put(&f, 1, body, 3096 + 4000); /* copied before the kernel read it */
	f.seq[1] += 65536 - 1000 - 3096 - 4000 - 500; /* skipped silently */
	/* a call crossing the range's end: copied whole */
	memcpy(body + 500, CTAIL, sizeof(CTAIL) - 1);
	put(&f, 1, body, 500 + sizeof(CTAIL) - 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.status, 200);
	assert_int_equal(s.resp_body_bytes, 65536);
	assert_int_equal(s.resp_bytes, sizeof(CHEAD) - 1 + sizeof(CLINE) - 1 + 65536 +
						sizeof(CTAIL) - 1);
	assert_false(s.flags & SESS_F_BODY_GAP);
	assert_int_equal(counter(f.t, CONN_CNT_SKIP_BYTES), 65536 - 1000 - 3096 - 4000 - 500);
	assert_int_equal(counter(f.t, CONN_CNT_GAPS), 0);
	assert_int_equal(a.n, 1);
	conn_table_free(f.t);
}

/* A jump outside the range asked for is a loss (a gap), not a skip; a
 * body with less than 16 KiB past the prefix and a TLS stream (its
 * plaintext comes from the TLS probes, which never skip) ask nothing. */
static void test_not_skips(void **state)
{
	struct seen s = {};
	struct asked a = {};
	struct feeder f = {};
	uint64_t hl = sizeof(HEAD) - 1;

	(void)state;
	f.t = table(&s, &a);
	put(&f, 0, REQ, sizeof(REQ) - 1);
	put(&f, 1, HEAD, hl);
	put(&f, 1, body, 2048); /* before the range's start: lost bytes */
	assert_int_equal(a.n, 1);
	assert_int_equal(a.from, hl + 4096);
	f.seq[1] += 1000;
	put(&f, 1, body, 1000);
	assert_int_equal(counter(f.t, CONN_CNT_GAPS), 1);
	assert_int_equal(counter(f.t, CONN_CNT_GAP_BYTES), 1000);
	assert_int_equal(counter(f.t, CONN_CNT_SKIP_BYTES), 0);
	conn_table_free(f.t);

	/* 16 KiB + 4 KiB of body in all: the range would be under 16 KiB */
	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	f.t = table(&s, &a);
	put(&f, 0, REQ, sizeof(REQ) - 1);
#define H20K "HTTP/1.1 200 OK\r\nContent-Length: 20000\r\n\r\n"
	put(&f, 1, H20K, sizeof(H20K) - 1);
	put(&f, 1, body, 100);
	assert_int_equal(a.n, 0);
	conn_table_free(f.t);
	assert_int_equal(a.dels, 0);

	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	f.tls = 1;
	f.t = table(&s, &a);
	put(&f, 0, REQ, sizeof(REQ) - 1);
	put(&f, 1, HEAD, hl);
	put(&f, 1, body, 8192);
	assert_int_equal(a.n, 0);
	conn_table_free(f.t);
}

/* --- a skipping kernel, modelled as skip.h decides ------------------------ */

/* Every exchange decoded, in order: what a desynchronised decoder loses. */
struct log {
	int n;
	int status[16];
	char path[16][32];
	uint64_t resp_bytes[16];
};

static void on_log(void *ctx, const struct sess_event *ev)
{
	struct log *l = ctx;

	if (l->n < 16) {
		l->status[l->n] = ev->status;
		snprintf(l->path[l->n], sizeof(l->path[0]), "%.31s", ev->path);
		l->resp_bytes[l->n] = ev->resp_bytes;
	}
	l->n++;
}

/* The kernel's side: the range the collector named last, the offset where
 * the current response began (skip_call's resp_mark). */
struct kern {
	struct feeder f;
	struct asked a;
	uint64_t resp_mark, skipped;
};

static int kern_skip(void *ctx, uint64_t cookie, uint64_t from, uint64_t to, int del)
{
	struct kern *k = ctx;

	(void)cookie;
	if (del) {
		k->a.dels++;
		k->a.from = k->a.to = 0;
		return 0;
	}
	k->a.n++;
	k->a.from = from;
	k->a.to = to;
	return 0;
}

static void kern_open(struct kern *k, struct log *l, int skipping)
{
	static struct sess_sink sink;
	struct conn_config cfg;

	memset(k, 0, sizeof(*k));
	memset(l, 0, sizeof(*l));
	sink.emit = on_log;
	sink.ctx = l;
	conn_config_default(&cfg);
	k->f.t = conn_table_new(&cfg, &sink);
	assert_non_null(k->f.t);
	if (skipping)
		conn_set_skip(k->f.t, kern_skip, k);
}

/* one recv call of the server: request bytes, copied */
static void kern_recv(struct kern *k, const char *s)
{
	k->resp_mark = k->f.seq[1];
	put(&k->f, 0, s, strlen(s));
}

/* one send call of the server, as skip_call and the probe decide */
static void kern_send(struct kern *k, const void *data, size_t len)
{
	uint64_t seq = k->f.seq[1];

	if (seq - k->resp_mark >= SW_RESP_PREFIX && k->a.to && seq < k->a.to &&
	    seq >= k->a.from && k->a.to - seq >= len) {
		k->skipped += len;
		if (seq + len == k->a.to) {
			rec(&k->f, 1, SW_EV_GAP, SW_F_SKIP, NULL, len);
		} else {
			k->f.seq[1] += len; /* silent */
		}
		return;
	}
	put(&k->f, 1, data, len);
}

static void kern_send_str(struct kern *k, const char *s)
{
	kern_send(k, s, strlen(s));
}

/* a body of n bytes in 16 KiB calls */
static void kern_send_body(struct kern *k, uint64_t n)
{
	while (n) {
		size_t c = n < 16384 ? (size_t)n : 16384;

		kern_send(k, body, c);
		n -= c;
	}
}

static void kern_close(struct kern *k)
{
	conn_table_free(k->f.t);
}

#define BIG_LEN 100000
#define BIG "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
#define SMALL "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

/* After a skipped body, the next exchange decodes whatever it is; every
 * skipped byte is counted. */
static void test_kernel_skip_then_next_exchange(void **state)
{
	struct kern k;
	struct log l;

	(void)state;
	memset(body, 'b', sizeof(body));
	kern_open(&k, &l, 1);
	kern_recv(&k, "GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
	kern_send_str(&k, BIG);
	kern_send_body(&k, BIG_LEN);
	kern_recv(&k, "GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
	kern_send_str(&k, SMALL);
	print_message("skipped %llu, counted %llu\n", (unsigned long long)k.skipped,
		      (unsigned long long)counter(k.f.t, CONN_CNT_SKIP_BYTES));
	assert_true(k.skipped > 0);
	assert_int_equal(counter(k.f.t, CONN_CNT_SKIP_BYTES), k.skipped);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.path[1], "/small");
	assert_int_equal(l.status[1], 200);
	kern_close(&k);
}

/* Answers that carry no body whatever their headers say (RFC 9112 6.3:
 * to HEAD, 1xx, 204, 304), interim answers, trailers, pipelining: the
 * answer that follows decodes, no byte is lost, every skipped byte is
 * counted. */
struct skip_case {
	const char *name;
	const char *req;      /* recv'd at once (may hold pipelined requests) */
	const char *head;     /* the first answer's head */
	uint64_t body;        /* its body bytes, in 16 KiB calls */
	const char *tail;     /* sent after the body (chunk end, trailers) */
	uint64_t join;        /* the body's last join bytes go in tail's call */
	const char *req2;     /* then this request, if any */
	const char *head2;    /* and the answers to what is still unanswered */
	uint64_t body2;       /* with this many body bytes */
	int n;                /* exchanges decoded */
	int status0, status1; /* their statuses */
	int skips;            /* 1: the kernel skips some bytes */
};

static const struct skip_case skip_cases[] = {
	{ "head_with_length", "HEAD /big HTTP/1.1\r\nHost: a\r\n\r\n", BIG, 0, "", 0,
	  "GET /small HTTP/1.1\r\nHost: a\r\n\r\n", SMALL, 0, 2, 200, 200, 0 },
	{ "204_with_length", "DELETE /x HTTP/1.1\r\nHost: a\r\n\r\n",
	  "HTTP/1.1 204 No Content\r\nContent-Length: 100000\r\n\r\n", 0, "", 0,
	  "GET /small HTTP/1.1\r\nHost: a\r\n\r\n", SMALL, 0, 2, 204, 200, 0 },
	{ "304_with_length", "GET /c HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"e\"\r\n\r\n",
	  "HTTP/1.1 304 Not Modified\r\nContent-Length: 100000\r\n\r\n", 0, "", 0,
	  "GET /small HTTP/1.1\r\nHost: a\r\n\r\n", SMALL, 0, 2, 304, 200, 0 },
	{ "100_continue_then_big", "PUT /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n",
	  "HTTP/1.1 100 Continue\r\n\r\n" BIG, BIG_LEN, "", 0,
	  "GET /small HTTP/1.1\r\nHost: a\r\n\r\n", SMALL, 0, 2, 200, 200, 1 },
	{ "1xx_with_length", "GET /x HTTP/1.1\r\nHost: a\r\n\r\n",
	  "HTTP/1.1 150 Odd\r\nContent-Length: 100000\r\n\r\n" SMALL, 0, "", 0,
	  "GET /small HTTP/1.1\r\nHost: a\r\n\r\n", SMALL, 0, 2, 200, 200, 0 },
	{ "pipelined", "GET /big HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\nHost: a\r\n\r\n",
	  BIG, BIG_LEN, SMALL, 0, NULL, NULL, 0, 2, 200, 200, 1 },
	/* a server that writes a body's end and the next answer in one call */
	{ "pipelined_end_and_head_in_one_call",
	  "GET /big HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\nHost: a\r\n\r\n",
	  BIG, BIG_LEN, SMALL, 700, NULL, NULL, 0, 2, 200, 200, 1 },
	/* a WebSocket after a skipped body: nothing of it is skipped (the
	 * kernel skips of /big's body only; 4 events as when copying: /big,
	 * the handshake, the WebSocket's open, and its end with all 20 004
	 * bytes of the server's frame) */
	{ "websocket_after_a_skipped_body", "GET /big HTTP/1.1\r\nHost: a\r\n\r\n",
	  BIG, BIG_LEN, "", 0,
	  "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
	  "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	  "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x82\x7e\x4e\x20",
	  20000, 4, 200, 101, 1 },
	{ "chunked_with_trailers", "GET /big HTTP/1.1\r\nHost: a\r\n\r\n",
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n186a0\r\n", BIG_LEN,
	  "\r\n0\r\nX-Check: 1\r\n\r\n", 0,
	  "GET /small HTTP/1.1\r\nHost: a\r\n\r\n", SMALL, 0, 2, 200, 200, 1 },
};

/* one case, the kernel skipping or not; l gets what was decoded */
static void run_case(const struct skip_case *c, int skipping, struct log *l, uint64_t cnt[3])
{
	struct kern k;

	kern_open(&k, l, skipping);
	kern_recv(&k, c->req);
	kern_send_str(&k, c->head);
	kern_send_body(&k, c->body - c->join);
	if (c->join) {
		uint8_t *j = malloc(c->join + strlen(c->tail));

		assert_non_null(j);
		memset(j, 'b', c->join);
		memcpy(j + c->join, c->tail, strlen(c->tail));
		kern_send(&k, j, c->join + strlen(c->tail));
		free(j);
	} else {
		kern_send_str(&k, c->tail);
	}
	if (c->req2)
		kern_recv(&k, c->req2);
	if (c->head2) {
		kern_send_str(&k, c->head2);
		kern_send_body(&k, c->body2);
	}
	rec(&k.f, 0, SW_EV_CLOSE, 0, NULL, 0);
	cnt[0] = k.skipped;
	cnt[1] = counter(k.f.t, CONN_CNT_SKIP_BYTES);
	cnt[2] = counter(k.f.t, CONN_CNT_GAPS);
	kern_close(&k);
}

static void test_kernel_skip_cases(void **state)
{
	(void)state;
	memset(body, 'b', sizeof(body));
	for (size_t i = 0; i < sizeof(skip_cases) / sizeof(skip_cases[0]); i++) {
		const struct skip_case *c = &skip_cases[i];
		struct log l, plain;
		uint64_t cnt[3], pcnt[3];

		run_case(c, 1, &l, cnt);
		run_case(c, 0, &plain, pcnt);
		print_message("%s: %d exchanges (%d, %d; copying: %d, %d), kernel skipped %llu, "
			      "counted %llu, gaps %llu\n", c->name, l.n, l.status[0], l.status[1],
			      plain.status[0], plain.status[1], (unsigned long long)cnt[0],
			      (unsigned long long)cnt[1], (unsigned long long)cnt[2]);
		/* skipping changes nothing a decoder sees */
		assert_int_equal(l.n, plain.n);
		for (int e = 0; e < l.n && e < 16; e++) {
			assert_int_equal(l.status[e], plain.status[e]);
			assert_string_equal(l.path[e], plain.path[e]);
			assert_int_equal(l.resp_bytes[e], plain.resp_bytes[e]);
		}
		for (int e = 0; e < l.n && e < 16; e++)
			print_message("   %s %d %llu\n", l.path[e], l.status[e], (unsigned long long)l.resp_bytes[e]);
		assert_int_equal(cnt[1], cnt[0]); /* every skipped byte counted */
		assert_int_equal(cnt[2], pcnt[2]);
		assert_true(c->skips ? cnt[0] > 0 : cnt[0] == 0);
		assert_int_equal(l.n, c->n);
		assert_int_equal(l.status[0], c->status0);
		assert_int_equal(l.status[1], c->status1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skip_range_and_framing),
		cmocka_unit_test(test_skip_chunk),
		cmocka_unit_test(test_not_skips),
		cmocka_unit_test(test_kernel_skip_then_next_exchange),
		cmocka_unit_test(test_kernel_skip_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
