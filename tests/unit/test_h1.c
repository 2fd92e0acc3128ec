/* test_h1.c - HTTP/1.x decoder: table of {name, steps, expected events,
 * expected anomalies}. Every case also runs with each fed chunk split at
 * every byte offset, and must give identical events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>

#include <cmocka.h>

#include "collector/decode/h1.h"
#include "collector/decode/sess.h"

#define L(s) (sizeof(s) - 1)
#define T(i) ((uint64_t)(i) * 1000) /* kernel ts of step i (1-based) */

/* ---- harness -------------------------------------------------------------- */

enum step_kind { ST_END = 0, ST_FEED, ST_GAP, ST_CLOSE };

struct step {
	enum step_kind kind;
	enum sess_dir dir;
	const char *data;
	size_t len;
	uint64_t gap;
	long ret;    /* expected h1_feed return; -1: all of len */
	int nosplit; /* resync chunk: must start at a chunk boundary */
};

#define REQ(s) { .kind = ST_FEED, .dir = SESS_DIR_REQ, .data = s, .len = L(s), .ret = -1 }
#define RSP(s) { .kind = ST_FEED, .dir = SESS_DIR_RESP, .data = s, .len = L(s), .ret = -1 }
#define REQ_NOSPLIT(s) { .kind = ST_FEED, .dir = SESS_DIR_REQ, .data = s, .len = L(s), .ret = -1, .nosplit = 1 }
#define RSP_NOSPLIT(s) { .kind = ST_FEED, .dir = SESS_DIR_RESP, .data = s, .len = L(s), .ret = -1, .nosplit = 1 }
#define RSP_RET(s, r) { .kind = ST_FEED, .dir = SESS_DIR_RESP, .data = s, .len = L(s), .ret = (r) }
#define REQ_RET(s, r) { .kind = ST_FEED, .dir = SESS_DIR_REQ, .data = s, .len = L(s), .ret = (r) }
#define GAP(d, n) { .kind = ST_GAP, .dir = d, .gap = n }
#define CLOSE { .kind = ST_CLOSE }

struct exp_ev {
	const char *method, *authority, *path, *query;
	int status;
	uint64_t req_bytes, resp_bytes, req_body, resp_body;
	uint32_t flags, trunc;
	uint64_t req_ns, resp_ns, end_ns;
	const char *body;           /* kept request body prefix, NULL: empty */
	const char *hdr, *hdr_val;  /* kept headers to look up */
	const char *hdr2, *hdr2_val;
	const char *anom;           /* one anomaly the event must carry */
	const char *resp_text;      /* kept response body prefix, NULL: any */
	const char *resp_ctype;     /* NULL: "" */
	int resp_coded;
};

#define MAX_STEPS 12
#define MAX_EV 6

struct h1_case {
	const char *name;
	struct step steps[MAX_STEPS];
	int n_ev;
	struct exp_ev ev[MAX_EV];
	uint64_t anoms[H1_ANOM__COUNT];
	enum h1_upgrade upgrade;
};

struct collect {
	int n, cap;
	struct sess_event *ev;
};

static void collect_emit(void *ctx, const struct sess_event *ev)
{
	struct collect *col = ctx;

	if (col->n < col->cap)
		col->ev[col->n] = *ev;
	col->n++;
}

static struct sess_conn test_conn = { .cookie = 42, .comm = "test" };

/* Feed the case; step split_step (if >= 0) is fed in two chunks cut at
 * split_at. */
static struct h1_conn *run_case(const struct h1_case *tc, struct collect *col,
				int split_step, size_t split_at)
{
	struct sess_sink sink = { collect_emit, col };
	struct h1_conn *c = h1_conn_new(&test_conn, &sink);
	int i;

	assert_non_null(c);
	col->n = 0;
	for (i = 0; i < MAX_STEPS && tc->steps[i].kind != ST_END; i++) {
		const struct step *s = &tc->steps[i];
		const uint8_t *b = (const uint8_t *)s->data;
		size_t got;

		switch (s->kind) {
		case ST_FEED:
			if (i == split_step) {
				got = h1_feed(c, s->dir, b, split_at, T(i + 1));
				if (got == split_at)
					got += h1_feed(c, s->dir, b + split_at,
						       s->len - split_at,
						       T(i + 1));
			} else {
				got = h1_feed(c, s->dir, b, s->len, T(i + 1));
			}
			if (got != (s->ret < 0 ? s->len : (size_t)s->ret)) {
				print_error("%s split %d@%zu: step %d consumed %zu\n",
					    tc->name, split_step, split_at, i, got);
				fail();
			}
			break;
		case ST_GAP:
			h1_gap(c, s->dir, s->gap, T(i + 1));
			break;
		case ST_CLOSE:
			h1_close(c, T(i + 1));
			break;
		case ST_END:
			break;
		}
	}
	return c;
}

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			print_error("%s split %d@%zu event %d: %s\n", tc->name, \
				    split_step, split_at, k, #cond);       \
			fail();                                            \
		}                                                          \
	} while (0)

static int has_anom(const struct sess_event *ev, const char *name)
{
	uint32_t i;

	for (i = 0; i < ev->n_anom; i++)
		if (strcmp(ev->anom[i].name, name) == 0)
			return 1;
	return 0;
}

static void check_case(const struct h1_case *tc, const struct collect *col,
		       struct h1_conn *c, int split_step, size_t split_at)
{
	const uint64_t *an = h1_conn_anoms(c);
	int k = -1, a;

	CHECK(col->n == tc->n_ev);
	for (a = 0; a < H1_ANOM__COUNT; a++) {
		if (an[a] != tc->anoms[a]) {
			print_error("%s split %d@%zu: %s = %llu, want %llu\n",
				    tc->name, split_step, split_at,
				    h1_anom_names[a], (unsigned long long)an[a],
				    (unsigned long long)tc->anoms[a]);
			fail();
		}
	}
	CHECK(h1_upgraded(c) == tc->upgrade);
	for (k = 0; k < tc->n_ev; k++) {
		const struct exp_ev *x = &tc->ev[k];
		const struct sess_event *e = &col->ev[k];

		CHECK(e->proto == SESS_PROTO_HTTP1);
		CHECK(e->conn == &test_conn);
		CHECK(strcmp(e->method, x->method ? x->method : "") == 0);
		CHECK(strcmp(e->authority, x->authority ? x->authority : "") == 0);
		CHECK(strcmp(e->path, x->path ? x->path : "") == 0);
		CHECK(strcmp(e->query, x->query ? x->query : "") == 0);
		CHECK(e->status == x->status);
		CHECK(e->req_bytes == x->req_bytes);
		CHECK(e->resp_bytes == x->resp_bytes);
		CHECK(e->req_body_bytes == x->req_body);
		CHECK(e->resp_body_bytes == x->resp_body);
		CHECK(e->flags == x->flags);
		CHECK(e->trunc == x->trunc);
		CHECK(e->req_ns == x->req_ns);
		CHECK(e->resp_ns == x->resp_ns);
		CHECK(e->end_ns == x->end_ns);
		if (x->body) {
			CHECK(e->body_len == strlen(x->body));
			CHECK(memcmp(e->body, x->body, e->body_len) == 0);
		} else {
			CHECK(e->body_len == 0);
		}
		if (x->resp_text) {
			CHECK(e->resp_body_len == strlen(x->resp_text));
			CHECK(memcmp(e->resp_body, x->resp_text, e->resp_body_len) == 0);
		}
		CHECK(strcmp(e->resp_ctype, x->resp_ctype ? x->resp_ctype : "") == 0);
		CHECK(e->resp_coded == x->resp_coded);
		if (x->hdr) {
			size_t vl = 0;
			const char *v = sess_get_hdr(e, x->hdr, &vl);

			CHECK(v != NULL);
			CHECK(vl == strlen(x->hdr_val));
			CHECK(memcmp(v, x->hdr_val, vl) == 0);
		}
		if (x->hdr2) {
			size_t vl = 0;
			const char *v = sess_get_hdr(e, x->hdr2, &vl);

			CHECK(v != NULL);
			CHECK(vl == strlen(x->hdr2_val));
			CHECK(memcmp(v, x->hdr2_val, vl) == 0);
		}
		if (x->anom)
			CHECK(has_anom(e, x->anom));
	}
}

static void run_and_check(const struct h1_case *tc, int split_step,
			  size_t split_at)
{
	static struct collect col;
	struct h1_conn *c;

	if (!col.ev) {
		col.cap = MAX_EV;
		col.ev = calloc(MAX_EV, sizeof(*col.ev));
		assert_non_null(col.ev);
	}
	c = run_case(tc, &col, split_step, split_at);
	check_case(tc, &col, c, split_step, split_at);
	h1_conn_free(c);
}

/* The case whole, then each fed chunk cut at every offset. */
static void test_table_case(void **state)
{
	const struct h1_case *tc = *state;
	int i;

	run_and_check(tc, -1, 0);
	for (i = 0; i < MAX_STEPS && tc->steps[i].kind != ST_END; i++) {
		size_t k;

		if (tc->steps[i].kind != ST_FEED || tc->steps[i].nosplit)
			continue;
		for (k = 1; k < tc->steps[i].len; k++)
			run_and_check(tc, i, k);
	}
}

/* ---- wire fixtures ---------------------------------------------------------- */

#define GET_INDEX "GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t/1\r\n\r\n"
#define OK_HELLO "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
#define GET_A "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
#define GET_B "GET /b?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"
#define GET_C "GET /c HTTP/1.1\r\nHost: h\r\n\r\n"
#define R404 "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop"
#define R201 "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
#define R204 "HTTP/1.1 204 No Content\r\n\r\n"
#define R304 "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"
#define POST_CHUNKED "POST /up HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 11\r\nHost: trailer\r\n\r\n"
#define GET_JSON "GET /c HTTP/1.1\r\nHost: h\r\n\r\n"
#define RESP_JSON "HTTP/1.1 200 OK\r\nContent-Type: Application/JSON; charset=utf-8\r\nContent-Length: 25\r\n\r\n[{\"email\":\"a@b.example\"}]"
#define RESP_GZIP "HTTP/1.1 200 OK\r\nContent-Type:  TEXT/Html;charset=x\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x01"
#define RESP_103 "HTTP/1.1 103 Early Hints\r\nContent-Type: image/png\r\nContent-Encoding: br\r\nLink: </s.css>; rel=preload\r\n\r\n"
#define RESP_CL10_HEAD "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n"
#define RESP_CHUNKED "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n"
#define POST_FORM "POST /login?next=%2Fhome HTTP/1.1\r\nHost: shop.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 22\r\n\r\nuser=bob&pass=hunter2!"
#define R302 "HTTP/1.1 302 Found\r\nLocation: /home\r\nContent-Length: 0\r\n\r\n"
#define HEAD_REQ "HEAD /big HTTP/1.1\r\nHost: h\r\n\r\n"
#define HEAD_RESP "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
#define POST_EXPECT "POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"
#define R100 "HTTP/1.1 100 Continue\r\n\r\n"
#define WS_REQ "GET /chat HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://ws.test\r\nSec-WebSocket-Protocol: chat\r\nSec-WebSocket-Version: 13\r\n\r\n"
#define WS_101 "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n"
#define WS_FRAME "\x81\x05hello"
#define BIG_HEAD "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
#define POST_10 "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc"
#define CUT_HEAD "GET /lost HTTP/1.1\r\nHo"
#define CTL_REQ "GET /c?id=1 HTTP/1.1\r\nHost: h\r\nX-Ctl: a\x01b\x7f" "c\r\n\r\n"
#define BARE_LF_REQ "GET /l?id=1 HTTP/1.1\nHost: h\nX-A: b\n\n"
#define BADLINE_REQ "GET /x?id=1 HTTP/1.1\r\nHost: h\r\nBad Header Line\r\n\r\n"
#define GARBAGE "\x00\x01\x02\xff\xfe binary \x7f\r\n\r\n"
#define CL_TE_REQ "POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
#define DUP_CL_REQ "POST /d HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"
#define R400 "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
#define XCHUNKED_REQ "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n"
#define CAPCHUNKED_REQ "POST /k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
#define TE_GET_REQ "GET /g HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
/* chunk lines llhttp 8 refuses and nginx serves (h1_chunk.h): an
 * extension after a valued one, blanks before the extension or the line
 * end, bytes no grammar allows in an extension, bare LF endings */
#define CK_HEAD "POST /ck HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
#define CK_EXTS CK_HEAD "5;a=b;c=d\r\nid=1'\r\n5;x=\"y\"x;z\r\n OR 1\r\n0;q=1\r\n\r\n"
#define CK_BLANK CK_HEAD "5 ;a=b\r\nid=1'\r\n5\t\r\n OR 1\r\n0 \r\n\r\n"
#define CK_JUNK CK_HEAD "5;a=b c @#$\x01\x7f\xff\r\nid=1'\r\n5\r\n OR 1\r\n0\r\n\r\n"
#define CK_LF CK_HEAD "5\nid=1'\n5;e\n OR 1\n0\n\r\n"
#define CK_HEX CK_HEAD "000000000000000000000005\r\nid=1'\r\n0005\r\n OR 1\r\n0\r\n\r\n"
#define CK_BAD_X CK_HEAD "x5\r\nid=1'\r\n0\r\n\r\n"
#define CK_BAD_CR CK_HEAD "5\r\rid=1'\r\n0\r\n\r\n"
#define CK_BAD_END CK_HEAD "5\r\nid=1'xx\r\n0\r\n\r\n"
#define CK_BAD_BIG CK_HEAD "10000000000000000\r\nid=1'\r\n0\r\n\r\n"
#define ABS_REQ "GET http://Api.Test:8080/a/b?x=1 HTTP/1.1\r\nHost: other\r\n\r\n"
#define ABS_BARE "GET https://h.test?q=1 HTTP/1.1\r\nHost: other\r\n\r\n"
#define ABS_NOT "GET /http://x.test/y HTTP/1.1\r\nHost: h\r\n\r\n"
#define RESP_CK_ODD "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3 ;a=b;c=d\nabc\n0\r\n\r\n"
/* request lines llhttp 8 refuses and nginx serves (h1_line.h): a method
 * outside llhttp's table, versions other than 1.0/1.1 in one digit each,
 * blanks, HTTP/0.9, a scheme with digits and signs */
#define LN_CUSTOM "FOO_BAR /m?id=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nab"
#define LN_LONG "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_ /m HTTP/1.1\r\nHost: h\r\n\r\n"
#define LN_V12 "GET /v?a=1 HTTP/1.2\r\nHost: h\r\n\r\n"
#define LN_V101 "POST /v HTTP/1.01\r\nHost: h\r\nContent-Length: 3\r\n\r\nid'"
#define LN_BLANKS "GET  /v?b=2  HTTP/1.999  \r\nHost: h\r\n\r\n"
#define LN_09 "\r\nGET /n?id=1\r\n"
#define LN_SCHEME "GET h2+x.y-z://a.test/p?q=1 HTTP/1.1\r\nHost: other\r\n\r\n"
#define LN_BAD_V2 "GET /r HTTP/2.0\r\nHost: h\r\n\r\n"
#define LN_BAD_MINOR "GET /r HTTP/1.1000\r\nHost: h\r\n\r\n"
#define LN_BAD_09 "POST /r\r\n"
#define LN_BAD_CH "GET /r HTTP/1.1x\r\nHost: h\r\n\r\n"
/* header lines nginx serves (ignore_invalid_headers: it drops the
 * header) and llhttp 8 refused, losing the rest of the head and the body:
 * a line without a colon, name bytes outside a token (h1_line.h) */
#define HN_NOCOLON "POST /hn HTTP/1.1\r\nHost: h\r\nXYZ\r\nContent-Length: 4\r\n\r\nid=1"
#define HN_BADNAME "POST /hn HTTP/1.1\r\nHost: h\r\nX\xffY=\"@: a\r\nid=1'or'1: b\nContent-Length: 4\r\n\r\nid=2"
#define EOF_RESP "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close"
#define QUERY_REQ "GET /search/a%2Fb%20c?q=caf%C3%A9&page=2 HTTP/1.1\r\nHost: h\r\n\r\n"
#define CONNECT_REQ "CONNECT db.test:443 HTTP/1.1\r\nHost: db.test:443\r\n\r\n"
#define CONNECT_OK "HTTP/1.1 200 Connection Established\r\n\r\n"
#define TLS_HELLO "\x16\x03\x01\x00\x05hello"
#define H2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define R413 "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n"
#define CUT_RESP "HTTP/1.1 200 OK\r\nConte"
#define EOF_HEAD "HTTP/1.1 200 OK\r\n\r\nab"
#define SPLIT_HDR "GET /h HTTP/1.1\r\nHost: h\r\nX-Long: one two three four five six\r\n\r\n"

static const struct h1_case cases[] = {
	{
		/* The server answers before the body is done; the event
		 * waits for the request's last byte. */
		.name = "early_response_waits_for_request_end",
		.steps = { REQ(POST_10), RSP(R413), REQ("defghij"), REQ(GET_A),
			   RSP(OK_HELLO) },
		.n_ev = 2,
		.ev = {
			{ .method = "POST", .authority = "h", .path = "/p",
			  .status = 413, .req_bytes = L(POST_10) + 7,
			  .resp_bytes = L(R413), .req_body = 10,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .body = "abcdefghij" },
			{ .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(4), .resp_ns = T(5), .end_ns = T(5) },
		},
	},
	{
		.name = "gap_in_response_headers_then_resync",
		.steps = { REQ(GET_A GET_C), RSP(CUT_RESP),
			   GAP(SESS_DIR_RESP, 30), RSP_NOSPLIT(R201) },
		.n_ev = 2,
		.ev = {
			{ .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(CUT_RESP), .trunc = SESS_TRUNC_CAPTURE,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(3),
			  .anom = "h1.gap" },
			{ .method = "GET", .authority = "h", .path = "/c",
			  .status = 201, .req_bytes = L(GET_C),
			  .resp_bytes = L(R201), .req_ns = T(1),
			  .resp_ns = T(4), .end_ns = T(4) },
		},
		.anoms = { [H1_ANOM_GAP] = 1 },
	},
	{
		.name = "gap_in_body_until_close",
		.steps = { REQ(GET_A), RSP(EOF_HEAD), GAP(SESS_DIR_RESP, 1000000),
			   CLOSE },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(EOF_HEAD) + 1000000,
			  .resp_body = 2 + 1000000, .flags = SESS_F_BODY_GAP,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(3) } },
	},
	{
		.name = "single_get",
		.steps = { REQ(GET_INDEX), RSP(OK_HELLO) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "example.com",
			  .path = "/index.html", .status = 200,
			  .req_bytes = L(GET_INDEX), .resp_bytes = L(OK_HELLO),
			  .resp_body = 5, .req_ns = T(1), .resp_ns = T(2),
			  .end_ns = T(2), .hdr = "user-agent", .hdr_val = "t/1" } },
	},
	{
		.name = "keepalive_three_requests",
		.steps = { REQ(GET_A), RSP(OK_HELLO), REQ(GET_B), RSP(R404),
			   REQ(GET_C), RSP(R201) },
		.n_ev = 3,
		.ev = {
			{ .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) },
			{ .method = "GET", .authority = "h", .path = "/b",
			  .query = "x=1", .status = 404, .req_bytes = L(GET_B),
			  .resp_bytes = L(R404), .resp_body = 3,
			  .req_ns = T(3), .resp_ns = T(4), .end_ns = T(4) },
			{ .method = "GET", .authority = "h", .path = "/c",
			  .status = 201, .req_bytes = L(GET_C),
			  .resp_bytes = L(R201), .req_ns = T(5),
			  .resp_ns = T(6), .end_ns = T(6) },
		},
	},
	{
		.name = "pipelined_three_before_any_response",
		.steps = { REQ(GET_A GET_B GET_C), RSP(OK_HELLO R404),
			   RSP(R201) },
		.n_ev = 3,
		.ev = {
			{ .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) },
			{ .method = "GET", .authority = "h", .path = "/b",
			  .query = "x=1", .status = 404, .req_bytes = L(GET_B),
			  .resp_bytes = L(R404), .resp_body = 3,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) },
			{ .method = "GET", .authority = "h", .path = "/c",
			  .status = 201, .req_bytes = L(GET_C),
			  .resp_bytes = L(R201), .req_ns = T(1),
			  .resp_ns = T(3), .end_ns = T(3) },
		},
	},
	{
		.name = "chunked_request_and_response",
		.steps = { REQ(POST_CHUNKED), RSP(RESP_CHUNKED) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/up",
			  .status = 200, .req_bytes = L(POST_CHUNKED),
			  .resp_bytes = L(RESP_CHUNKED), .req_body = 11,
			  .resp_body = 19, .req_ns = T(1), .resp_ns = T(2),
			  .end_ns = T(2), .body = "hello world",
			  .resp_text = "abc0123456789abcdef",
			  .hdr = "x-empty", .hdr_val = "",
			  .hdr2 = "x-sum", .hdr2_val = "11" } },
	},
	{
		/* The response's content type and body prefix reach the event
		 * for the inventory; a content coding says the body is not
		 * readable as it stands. */
		.name = "response_type_and_body_prefix",
		.steps = { REQ(GET_JSON), RSP(RESP_JSON), REQ(GET_JSON), RSP(RESP_GZIP) },
		.n_ev = 2,
		.ev = { { .method = "GET", .authority = "h", .path = "/c",
			  .status = 200, .req_bytes = L(GET_JSON),
			  .resp_bytes = L(RESP_JSON), .resp_body = 25,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .resp_text = "[{\"email\":\"a@b.example\"}]",
			  .resp_ctype = "application/json" },
			{ .method = "GET", .authority = "h", .path = "/c",
			  .status = 200, .req_bytes = L(GET_JSON),
			  .resp_bytes = L(RESP_GZIP), .resp_body = 4,
			  .req_ns = T(3), .resp_ns = T(4), .end_ns = T(4),
			  .resp_text = "\x1f\x8b\x08\x01",
			  .resp_ctype = "text/html", .resp_coded = 1 } },
	},
	{
		/* An interim answer's headers (103 Early Hints, chosen by the
		 * server or whatever sits in front of it) say nothing of the
		 * final body: its type and coding must not stick to it. */
		.name = "interim_headers_do_not_stick",
		.steps = { REQ(GET_JSON), RSP(RESP_103), RSP(RESP_JSON) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/c",
			  .status = 200, .req_bytes = L(GET_JSON),
			  .resp_bytes = L(RESP_103) + L(RESP_JSON), .resp_body = 25,
			  .req_ns = T(1), .resp_ns = T(3), .end_ns = T(3),
			  .resp_text = "[{\"email\":\"a@b.example\"}]",
			  .resp_ctype = "application/json" } },
	},
	{
		/* A capture gap ends the response prefix: what follows the
		 * filler is never read as the body's start. */
		.name = "response_prefix_stops_at_gap",
		.steps = { REQ(GET_JSON), RSP(RESP_CL10_HEAD), RSP("abc"),
			   GAP(SESS_DIR_RESP, 4), RSP("xyz") },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/c",
			  .status = 200, .req_bytes = L(GET_JSON),
			  .resp_bytes = L(RESP_CL10_HEAD) + 10, .resp_body = 10,
			  .flags = SESS_F_BODY_GAP,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(5),
			  .resp_text = "abc", .resp_ctype = "text/plain" } },
	},
	{
		/* The split-at-every-offset run is the point of this one. */
		.name = "post_form_body_any_split",
		.steps = { REQ(POST_FORM), RSP(R302) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "shop.test",
			  .path = "/login", .query = "next=%2Fhome",
			  .status = 302, .req_bytes = L(POST_FORM),
			  .resp_bytes = L(R302), .req_body = 22,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .body = "user=bob&pass=hunter2!",
			  .hdr = "content-type",
			  .hdr_val = "application/x-www-form-urlencoded" } },
	},
	{
		.name = "head_response_has_no_body",
		.steps = { REQ(HEAD_REQ), RSP(HEAD_RESP), REQ(GET_A),
			   RSP(OK_HELLO) },
		.n_ev = 2,
		.ev = {
			{ .method = "HEAD", .authority = "h", .path = "/big",
			  .status = 200, .req_bytes = L(HEAD_REQ),
			  .resp_bytes = L(HEAD_RESP), .req_ns = T(1),
			  .resp_ns = T(2), .end_ns = T(2) },
			{ .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(3), .resp_ns = T(4), .end_ns = T(4) },
		},
	},
	{
		.name = "continue_100_then_200_one_event",
		.steps = { REQ(POST_EXPECT), RSP(R100), REQ("ping"),
			   RSP(OK_HELLO) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/e",
			  .status = 200, .req_bytes = L(POST_EXPECT) + 4,
			  .resp_bytes = L(R100) + L(OK_HELLO), .req_body = 4,
			  .resp_body = 5, .req_ns = T(1), .resp_ns = T(4),
			  .end_ns = T(4), .body = "ping",
			  .hdr = "expect", .hdr_val = "100-continue" } },
	},
	{
		.name = "no_body_204_304_keep_sync",
		.steps = { REQ(GET_A GET_B GET_C), RSP(R204), RSP(R304),
			   RSP(OK_HELLO) },
		.n_ev = 3,
		.ev = {
			{ .method = "GET", .authority = "h", .path = "/a",
			  .status = 204, .req_bytes = L(GET_A),
			  .resp_bytes = L(R204), .req_ns = T(1),
			  .resp_ns = T(2), .end_ns = T(2) },
			{ .method = "GET", .authority = "h", .path = "/b",
			  .query = "x=1", .status = 304, .req_bytes = L(GET_B),
			  .resp_bytes = L(R304), .req_ns = T(1),
			  .resp_ns = T(3), .end_ns = T(3) },
			{ .method = "GET", .authority = "h", .path = "/c",
			  .status = 200, .req_bytes = L(GET_C),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(1), .resp_ns = T(4), .end_ns = T(4) },
		},
	},
	{
		.name = "websocket_101_stops_at_frames",
		.steps = { REQ(WS_REQ), RSP_RET(WS_101 WS_FRAME, L(WS_101)),
			   REQ_RET("\x81\x85mask", 0) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "ws.test",
			  .path = "/chat", .status = 101,
			  .req_bytes = L(WS_REQ), .resp_bytes = L(WS_101),
			  .flags = SESS_F_UPGRADE, .req_ns = T(1),
			  .resp_ns = T(2), .end_ns = T(2),
			  .hdr = "sec-websocket-key",
			  .hdr_val = "dGhlIHNhbXBsZSBub25jZQ==" } },
		.upgrade = H1_UPG_WEBSOCKET,
	},
	{
		.name = "connect_2xx_is_a_tunnel",
		.steps = { REQ(CONNECT_REQ),
			   RSP_RET(CONNECT_OK TLS_HELLO, L(CONNECT_OK)) },
		.n_ev = 1,
		.ev = { { .method = "CONNECT", .authority = "db.test:443",
			  .path = "db.test:443", .status = 200,
			  .req_bytes = L(CONNECT_REQ),
			  .resp_bytes = L(CONNECT_OK), .flags = SESS_F_UPGRADE,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) } },
		.upgrade = H1_UPG_OTHER,
	},
	{
		.name = "h2_prior_knowledge_preface_not_consumed",
		.steps = { { .kind = ST_FEED, .dir = SESS_DIR_REQ,
			     .data = H2_PREFACE, .len = L(H2_PREFACE),
			     .ret = 0, .nosplit = 1 } },
		.n_ev = 0,
		.upgrade = H1_UPG_H2C,
	},
	{
		/* nginx: headers by writev, body by sendfile (never copied) */
		.name = "gap_inside_content_length_body",
		.steps = { REQ(GET_A), RSP(BIG_HEAD), GAP(SESS_DIR_RESP, 100000),
			   REQ(GET_C), RSP(R201) },
		.n_ev = 2,
		.ev = {
			{ .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(BIG_HEAD) + 100000,
			  .resp_body = 100000, .flags = SESS_F_BODY_GAP,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(3) },
			{ .method = "GET", .authority = "h", .path = "/c",
			  .status = 201, .req_bytes = L(GET_C),
			  .resp_bytes = L(R201), .req_ns = T(4),
			  .resp_ns = T(5), .end_ns = T(5) },
		},
	},
	{
		.name = "gap_inside_request_body_keeps_prefix",
		.steps = { REQ(POST_10), GAP(SESS_DIR_REQ, 7), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/p",
			  .status = 201, .req_bytes = L(POST_10) + 7,
			  .resp_bytes = L(R201), .req_body = 10,
			  .flags = SESS_F_BODY_GAP, .trunc = SESS_TRUNC_BODY,
			  .req_ns = T(1), .resp_ns = T(3), .end_ns = T(3),
			  .body = "abc" } },
	},
	{
		.name = "gap_in_headers_then_resync",
		.steps = { REQ(CUT_HEAD), GAP(SESS_DIR_REQ, 50),
			   REQ_NOSPLIT("ost: h\r\n\r\n"), REQ_NOSPLIT(GET_B),
			   RSP(R404 OK_HELLO) },
		.n_ev = 2,
		.ev = {
			{ .method = "GET", .path = "/lost", .status = 404,
			  .req_bytes = L(CUT_HEAD), .resp_bytes = L(R404),
			  .resp_body = 3, .trunc = SESS_TRUNC_CAPTURE,
			  .req_ns = T(1), .resp_ns = T(5), .end_ns = T(5),
			  .anom = "h1.gap" },
			{ .method = "GET", .authority = "h", .path = "/b",
			  .query = "x=1", .status = 200, .req_bytes = L(GET_B),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(4), .resp_ns = T(5), .end_ns = T(5) },
		},
		.anoms = { [H1_ANOM_GAP] = 1 },
	},
	{
		.name = "garbage_counted_no_event_then_resync",
		.steps = { REQ(GARBAGE), REQ_NOSPLIT(GET_A), RSP(OK_HELLO) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(2), .resp_ns = T(3), .end_ns = T(3) } },
		.anoms = { [H1_ANOM_PARSE_ERROR] = 1, [H1_ANOM_REQ_UNPARSED] = 1 },
	},
	{
		/* RFC 9112 2.2: a server skips empty lines before a request
		 * line (nginx: any number); they count toward that request. */
		.name = "leading_crlf_before_first_request",
		.steps = { REQ("\r\n\n\r\n" GET_B), RSP(OK_HELLO) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/b",
			  .query = "x=1", .status = 200, .req_bytes = 5 + L(GET_B),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) } },
	},
	{
		/* After a parse error the direction resynchronises on a chunk
		 * that starts a request, empty lines before it included. */
		.name = "garbage_then_crlf_request_resync",
		.steps = { REQ(GARBAGE), REQ_NOSPLIT("\r\n" GET_B), RSP(OK_HELLO) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/b",
			  .query = "x=1", .status = 200, .req_bytes = 2 + L(GET_B),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(2), .resp_ns = T(3), .end_ns = T(3) } },
		.anoms = { [H1_ANOM_PARSE_ERROR] = 1, [H1_ANOM_REQ_UNPARSED] = 1 },
	},
	{
		/* nginx serves control bytes in a header value; llhttp's strict
		 * mode refused them and lost the pipelined request behind. */
		.name = "ctl_in_header_value_then_pipelined",
		.steps = { REQ(CTL_REQ GET_B), RSP(OK_HELLO), RSP(R201) },
		.n_ev = 2,
		.ev = {
			{ .method = "GET", .authority = "h", .path = "/c",
			  .query = "id=1", .status = 200, .req_bytes = L(CTL_REQ),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .anom = "h1.ctl_in_header" },
			{ .method = "GET", .authority = "h", .path = "/b",
			  .query = "x=1", .status = 201, .req_bytes = L(GET_B),
			  .resp_bytes = L(R201), .req_ns = T(1), .resp_ns = T(3),
			  .end_ns = T(3) },
		},
		.anoms = { [H1_ANOM_CTL_IN_HEADER] = 1 },
	},
	{
		/* Bare LF line ends (nginx serves them) */
		.name = "bare_lf_request_then_pipelined",
		.steps = { REQ(BARE_LF_REQ GET_B), RSP(OK_HELLO), RSP(R201) },
		.n_ev = 2,
		.ev = {
			{ .method = "GET", .authority = "h", .path = "/l",
			  .query = "id=1", .status = 200, .req_bytes = L(BARE_LF_REQ),
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) },
			{ .method = "GET", .authority = "h", .path = "/b",
			  .query = "x=1", .status = 201, .req_bytes = L(GET_B),
			  .resp_bytes = L(R201), .req_ns = T(1), .resp_ns = T(3),
			  .end_ns = T(3) },
		},
	},
	{
		/* A parse error never discards the rest of the read: the
		 * pipelined request behind the broken one is decoded. */
		.name = "parse_error_keeps_pipelined_second",
		.steps = { REQ_NOSPLIT(BADLINE_REQ GET_B), RSP(OK_HELLO), RSP(R201) },
		.n_ev = 2,
		.ev = {
			{ .method = "GET", .authority = "h", .path = "/x",
			  /* bytes up to where llhttp refused it: the CR
			   * ending the header line without a colon */
			  .query = "id=1", .status = 200, .req_bytes = 46,
			  .resp_bytes = L(OK_HELLO), .resp_body = 5,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .anom = "h1.req_unparsed" },
			{ .method = "GET", .authority = "h", .path = "/b",
			  .query = "x=1", .status = 201, .req_bytes = 2 + L(GET_B),
			  .resp_bytes = L(R201), .req_ns = T(1), .resp_ns = T(3),
			  .end_ns = T(3) },
		},
		.anoms = { [H1_ANOM_PARSE_ERROR] = 1, [H1_ANOM_REQ_UNPARSED] = 1 },
	},
	{
		.name = "garbage_response_no_event",
		.steps = { RSP("\x17\x03\x03\x00\x10 not http at all") },
		.n_ev = 0,
		.anoms = { [H1_ANOM_PARSE_ERROR] = 1 },
	},
	{
		.name = "cl_and_te_counted_chunked_wins",
		.steps = { REQ(CL_TE_REQ), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/s",
			  .status = 201, .req_bytes = L(CL_TE_REQ),
			  .resp_bytes = L(R201), .req_ns = T(1),
			  .resp_ns = T(2), .end_ns = T(2),
			  .anom = "h1.cl_te" } },
		.anoms = { [H1_ANOM_CL_TE] = 1 },
	},
	{
		.name = "duplicate_content_length_counted",
		.steps = { REQ(DUP_CL_REQ), RSP(R400) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/d",
			  .status = 400,
			  .req_bytes = L("POST /d HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: "),
			  .resp_bytes = L(R400), .req_ns = T(1),
			  .resp_ns = T(2), .end_ns = T(2),
			  .anom = "h1.dup_cl" } },
		.anoms = { [H1_ANOM_DUP_CL] = 1, [H1_ANOM_PARSE_ERROR] = 1, [H1_ANOM_REQ_UNPARSED] = 1 },
	},
	{
		.name = "te_xchunked_counted_and_refused",
		.steps = { REQ(XCHUNKED_REQ), RSP(R400) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/x",
			  .status = 400, .req_bytes = L(XCHUNKED_REQ),
			  .resp_bytes = L(R400), .req_ns = T(1),
			  .resp_ns = T(2), .end_ns = T(2),
			  .anom = "h1.te_obfuscated" } },
		.anoms = { [H1_ANOM_TE_OBFUSCATED] = 1, [H1_ANOM_PARSE_ERROR] = 1, [H1_ANOM_REQ_UNPARSED] = 1 },
	},
	{
		.name = "te_odd_case_counted_still_parsed",
		.steps = { REQ(CAPCHUNKED_REQ), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/k",
			  .status = 201, .req_bytes = L(CAPCHUNKED_REQ),
			  .resp_bytes = L(R201), .req_body = 2,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .body = "hi", .anom = "h1.te_obfuscated" } },
		.anoms = { [H1_ANOM_TE_OBFUSCATED] = 1 },
	},
	{
		/* RFC-valid extensions llhttp 8 refuses after a valued one */
		.name = "chunk_extensions_after_a_value",
		.steps = { REQ(CK_EXTS), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/ck",
			  .status = 201, .req_bytes = L(CK_EXTS),
			  .resp_bytes = L(R201), .req_body = 10,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .body = "id=1' OR 1" } },
	},
	{
		.name = "chunk_blanks_after_the_size_counted",
		.steps = { REQ(CK_BLANK), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/ck",
			  .status = 201, .req_bytes = L(CK_BLANK),
			  .resp_bytes = L(R201), .req_body = 10,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .body = "id=1' OR 1", .anom = "h1.chunk_line" } },
		.anoms = { [H1_ANOM_CHUNK_LINE] = 3 },
	},
	{
		.name = "chunk_extension_junk_taken",
		.steps = { REQ(CK_JUNK), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/ck",
			  .status = 201, .req_bytes = L(CK_JUNK),
			  .resp_bytes = L(R201), .req_body = 10,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .body = "id=1' OR 1" } },
	},
	{
		/* LF alone ends size lines and data; the last size line too
		 * (the trailer section's own end is llhttp's) */
		.name = "chunk_bare_lf_counted",
		.steps = { REQ(CK_LF), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/ck",
			  .status = 201, .req_bytes = L(CK_LF),
			  .resp_bytes = L(R201), .req_body = 10,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .body = "id=1' OR 1", .anom = "h1.chunk_line" } },
		.anoms = { [H1_ANOM_CHUNK_LINE] = 5 },
	},
	{
		.name = "chunk_size_leading_zeros",
		.steps = { REQ(CK_HEX), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "POST", .authority = "h", .path = "/ck",
			  .status = 201, .req_bytes = L(CK_HEX),
			  .resp_bytes = L(R201), .req_body = 10,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .body = "id=1' OR 1" } },
	},
	{
		/* what nginx refuses (400) is refused: a size that is not hex,
		 * CR not before LF, data longer than its size, a size past
		 * nginx's bound */
		.name = "chunk_lines_nginx_refuses",
		.steps = { REQ(CK_BAD_X), RSP(R400), REQ_NOSPLIT(CK_BAD_CR), RSP(R400),
			   REQ_NOSPLIT(CK_BAD_END), RSP(R400), REQ_NOSPLIT(CK_BAD_BIG), RSP(R400) },
		.n_ev = 4,
		.ev = { { .method = "POST", .authority = "h", .path = "/ck",
			  .status = 400, .req_bytes = L(CK_HEAD),
			  .resp_bytes = L(R400), .req_ns = T(1),
			  .resp_ns = T(2), .end_ns = T(2), .anom = "h1.parse_error" },
			{ .method = "POST", .authority = "h", .path = "/ck",
			  .status = 400, .req_bytes = L(CK_HEAD "5\r"),
			  .resp_bytes = L(R400), .req_ns = T(3),
			  .resp_ns = T(4), .end_ns = T(4), .anom = "h1.parse_error" },
			{ .method = "POST", .authority = "h", .path = "/ck",
			  .status = 400, .req_bytes = L(CK_HEAD "5\r\nid=1'"),
			  .resp_bytes = L(R400), .req_body = 5, .body = "id=1'",
			  .req_ns = T(5), .resp_ns = T(6), .end_ns = T(6), .anom = "h1.parse_error" },
			{ .method = "POST", .authority = "h", .path = "/ck",
			  .status = 400, .req_bytes = L(CK_HEAD "1000000000000000"),
			  .resp_bytes = L(R400), .req_ns = T(7),
			  .resp_ns = T(8), .end_ns = T(8), .anom = "h1.parse_error" } },
		.anoms = { [H1_ANOM_PARSE_ERROR] = 4, [H1_ANOM_REQ_UNPARSED] = 4 },
	},
	{
		.name = "chunk_odd_lines_in_a_response",
		.steps = { REQ(GET_A), RSP(RESP_CK_ODD) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(RESP_CK_ODD), .resp_body = 3,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .resp_text = "abc" } },
		.anoms = { [H1_ANOM_CHUNK_LINE] = 2 },
	},
	{
		/* any [A-Z_-]+ method: nginx proxies it */
		.name = "req_line_methods_nginx_serves",
		.steps = { REQ(LN_CUSTOM LN_LONG), RSP(R201), RSP(R201) },
		.n_ev = 2,
		.ev = { { .method = "FOO_BAR", .authority = "h", .path = "/m",
			  .query = "id=1", .status = 201, .req_bytes = L(LN_CUSTOM),
			  .resp_bytes = L(R201), .req_body = 2, .body = "ab",
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) },
			{ .method = "ABCDEFGHIJKLMNOPQRSTUVW", .authority = "h", .path = "/m",
			  .status = 201, .req_bytes = L(LN_LONG), .trunc = SESS_TRUNC_METHOD,
			  .resp_bytes = L(R201), .req_ns = T(1), .resp_ns = T(3), .end_ns = T(3) } },
	},
	{
		.name = "req_line_versions_and_blanks_counted",
		.steps = { REQ(LN_V12 LN_V101 LN_BLANKS), RSP(R201), RSP(R201), RSP(R201) },
		.n_ev = 3,
		.ev = { { .method = "GET", .authority = "h", .path = "/v", .query = "a=1",
			  .status = 201, .req_bytes = L(LN_V12), .resp_bytes = L(R201),
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2), .anom = "h1.req_line" },
			{ .method = "POST", .authority = "h", .path = "/v", .status = 201,
			  .req_bytes = L(LN_V101), .resp_bytes = L(R201), .req_body = 3,
			  .body = "id'", .req_ns = T(1), .resp_ns = T(3), .end_ns = T(3),
			  .anom = "h1.req_line" },
			{ .method = "GET", .authority = "h", .path = "/v", .query = "b=2",
			  .status = 201, .req_bytes = L(LN_BLANKS), .resp_bytes = L(R201),
			  .req_ns = T(1), .resp_ns = T(4), .end_ns = T(4), .anom = "h1.req_line" } },
		.anoms = { [H1_ANOM_REQ_LINE] = 3 },
	},
	{
		/* HTTP/0.9: the line alone is the request (nginx answers and
		 * closes) */
		.name = "req_line_http09",
		.steps = { REQ(LN_09), CLOSE },
		.n_ev = 1,
		.ev = { { .method = "GET", .path = "/n", .query = "id=1",
			  .req_bytes = L(LN_09), .flags = SESS_F_NO_RESP,
			  .req_ns = T(1), .end_ns = T(1), .anom = "h1.req_line" } },
		.anoms = { [H1_ANOM_REQ_LINE] = 1 },
	},
	{
		.name = "req_line_scheme_with_signs",
		.steps = { REQ(LN_SCHEME), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "a.test", .path = "/p",
			  .query = "q=1", .status = 201, .req_bytes = L(LN_SCHEME),
			  .resp_bytes = L(R201), .req_ns = T(1), .resp_ns = T(2),
			  .end_ns = T(2), .anom = "h1.req_line" } },
		.anoms = { [H1_ANOM_REQ_LINE] = 1 },
	},
	{
		/* what nginx refuses (505, 400) is refused: major 2, a minor
		 * past 999, 0.9 but not GET, bytes after the version */
		.name = "req_lines_nginx_refuses",
		.steps = { REQ(LN_BAD_V2), REQ_NOSPLIT(LN_BAD_MINOR), REQ_NOSPLIT(LN_BAD_09),
			   REQ_NOSPLIT(LN_BAD_CH) },
		.n_ev = 0,
		.anoms = { [H1_ANOM_PARSE_ERROR] = 4, [H1_ANOM_REQ_UNPARSED] = 4 },
	},
	{
		.name = "hdr_names_nginx_drops_counted",
		.steps = { REQ(HN_NOCOLON HN_BADNAME GET_B), RSP(R201), RSP(R201), RSP(R201) },
		.n_ev = 3,
		.ev = { { .method = "POST", .authority = "h", .path = "/hn", .status = 201,
			  .req_bytes = L(HN_NOCOLON), .resp_bytes = L(R201), .req_body = 4,
			  .body = "id=1", .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2),
			  .hdr = "xyz", .hdr_val = "", .anom = "h1.hdr_name" },
			{ .method = "POST", .authority = "h", .path = "/hn", .status = 201,
			  .req_bytes = L(HN_BADNAME), .resp_bytes = L(R201), .req_body = 4,
			  .body = "id=2", .req_ns = T(1), .resp_ns = T(3), .end_ns = T(3),
			  .hdr = "x_y___", .hdr_val = "a", .hdr2 = "id_1'or'1", .hdr2_val = "b",
			  .anom = "h1.hdr_name" },
			{ .method = "GET", .authority = "h", .path = "/b", .query = "x=1",
			  .status = 201, .req_bytes = L(GET_B), .resp_bytes = L(R201),
			  .req_ns = T(1), .resp_ns = T(4), .end_ns = T(4) } },
		.anoms = { [H1_ANOM_HDR_NAME] = 2 },
	},
	{
		/* the absolute form: its authority, not Host; its path alone */
		.name = "absolute_form_target",
		.steps = { REQ(ABS_REQ), RSP(R201), REQ(ABS_BARE), RSP(R201), REQ(ABS_NOT), RSP(R201) },
		.n_ev = 3,
		.ev = { { .method = "GET", .authority = "Api.Test:8080", .path = "/a/b",
			  .query = "x=1", .status = 201, .req_bytes = L(ABS_REQ),
			  .resp_bytes = L(R201), .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) },
			{ .method = "GET", .authority = "h.test", .path = "/",
			  .query = "q=1", .status = 201, .req_bytes = L(ABS_BARE),
			  .resp_bytes = L(R201), .req_ns = T(3), .resp_ns = T(4), .end_ns = T(4) },
			{ .method = "GET", .authority = "h", .path = "/http://x.test/y",
			  .status = 201, .req_bytes = L(ABS_NOT),
			  .resp_bytes = L(R201), .req_ns = T(5), .resp_ns = T(6), .end_ns = T(6) } },
	},
	{
		.name = "te_on_get_counted",
		.steps = { REQ(TE_GET_REQ), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/g",
			  .status = 201, .req_bytes = L(TE_GET_REQ),
			  .resp_bytes = L(R201), .req_ns = T(1),
			  .resp_ns = T(2), .end_ns = T(2),
			  .anom = "h1.te_on_get" } },
		.anoms = { [H1_ANOM_TE_ON_GET] = 1 },
	},
	{
		.name = "close_before_response_no_resp",
		.steps = { REQ(GET_A), CLOSE },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/a",
			  .req_bytes = L(GET_A), .flags = SESS_F_NO_RESP,
			  .req_ns = T(1), .end_ns = T(1) } },
	},
	{
		.name = "response_ends_at_close",
		.steps = { REQ(GET_A), RSP(EOF_RESP), CLOSE },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/a",
			  .status = 200, .req_bytes = L(GET_A),
			  .resp_bytes = L(EOF_RESP), .resp_body = 11,
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) } },
	},
	{
		.name = "query_split_and_percent_path_raw",
		.steps = { REQ(QUERY_REQ), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h",
			  .path = "/search/a%2Fb%20c",
			  .query = "q=caf%C3%A9&page=2", .status = 201,
			  .req_bytes = L(QUERY_REQ), .resp_bytes = L(R201),
			  .req_ns = T(1), .resp_ns = T(2), .end_ns = T(2) } },
	},
	{
		.name = "response_without_request_partial",
		.steps = { RSP(OK_HELLO) },
		.n_ev = 1,
		.ev = { { .status = 200, .resp_bytes = L(OK_HELLO),
			  .resp_body = 5, .flags = SESS_F_PARTIAL,
			  .resp_ns = T(1), .end_ns = T(1),
			  .anom = "h1.resp_without_req" } },
		.anoms = { [H1_ANOM_RESP_WITHOUT_REQ] = 1 },
	},
	{
		.name = "header_value_joined_across_chunks",
		.steps = { REQ(SPLIT_HDR), RSP(R201) },
		.n_ev = 1,
		.ev = { { .method = "GET", .authority = "h", .path = "/h",
			  .status = 201, .req_bytes = L(SPLIT_HDR),
			  .resp_bytes = L(R201), .req_ns = T(1),
			  .resp_ns = T(2), .end_ns = T(2), .hdr = "x-long",
			  .hdr_val = "one two three four five six" } },
	},
};

/* ---- tests outside the table ------------------------------------------------ */

struct counter {
	int n, partial, ok;
	int hollow;        /* events with neither a request line nor a status */
	uint64_t wire;     /* req_bytes + resp_bytes of all events */
};

static void count_emit(void *ctx, const struct sess_event *ev)
{
	struct counter *k = ctx;

	k->n++;
	if (!ev->method[0] && !ev->status)
		k->hollow++;
	k->wire += ev->req_bytes + ev->resp_bytes;
	if (ev->flags & SESS_F_PARTIAL)
		k->partial++;
	if (ev->status == 200)
		k->ok++;
}

static void test_upgrade_accessors(void **state)
{
	struct collect col = { .cap = 2 };
	struct sess_sink sink = { collect_emit, &col };
	struct h1_conn *c;
	const struct sess_event *up;
	const char *v;
	size_t vl = 0;
	(void)state;

	col.ev = calloc(2, sizeof(*col.ev));
	c = h1_conn_new(&test_conn, &sink);
	assert_int_equal(h1_feed(c, SESS_DIR_REQ, (const uint8_t *)WS_REQ,
				 L(WS_REQ), 1), L(WS_REQ));
	assert_null(h1_upgrade_request(c));
	assert_int_equal(h1_feed(c, SESS_DIR_RESP,
				 (const uint8_t *)WS_101 WS_FRAME,
				 L(WS_101 WS_FRAME), 2), L(WS_101));
	assert_int_equal(h1_upgraded(c), H1_UPG_WEBSOCKET);
	up = h1_upgrade_request(c);
	assert_non_null(up);
	assert_string_equal(up->path, "/chat");
	v = sess_get_hdr(up, "origin", &vl);
	assert_non_null(v);
	assert_memory_equal(v, "http://ws.test", vl);
	v = sess_get_hdr(up, "sec-websocket-protocol", &vl);
	assert_non_null(v);
	assert_memory_equal(v, "chat", vl);
	v = h1_upgrade_resp_hdr(c, "sec-websocket-accept", &vl);
	assert_non_null(v);
	assert_int_equal(vl, 28);
	assert_memory_equal(v, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", vl);
	assert_null(h1_upgrade_resp_hdr(c, "x-none", &vl));
	/* Nothing more is HTTP/1: not consumed, close emits nothing. */
	assert_int_equal(h1_feed(c, SESS_DIR_RESP, (const uint8_t *)WS_FRAME,
				 L(WS_FRAME), 3), 0);
	h1_close(c, 4);
	assert_int_equal(col.n, 1);
	h1_conn_free(c);
	free(col.ev);
}

static void test_h2c_upgrade(void **state)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";
	static const char resp[] = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";
	struct counter k = { 0 };
	struct sess_sink sink = { count_emit, &k };
	struct h1_conn *c = h1_conn_new(&test_conn, &sink);
	(void)state;

	assert_int_equal(h1_feed(c, SESS_DIR_REQ, (const uint8_t *)req, L(req), 1), L(req));
	assert_int_equal(h1_feed(c, SESS_DIR_RESP, (const uint8_t *)resp, L(resp), 2),
			 L(resp) - 9);
	assert_int_equal(h1_upgraded(c), H1_UPG_H2C);
	assert_int_equal(k.n, 1);
	h1_conn_free(c);
}

/* The HTTP/2 preface on the request side while a 101 is half received
 * (found by the fuzzer: freeing the decoder read a record already freed).
 * The waiting exchange is reported as it stands, then HTTP/2 takes over. */
static void test_preface_during_101(void **state)
{
	static const char req[] = "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
	static const char half[] = "HTTP/1.1 101 Switch";
	static const char pri[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	struct collect col = { .cap = 2 };
	struct sess_sink sink = { collect_emit, &col };
	struct h1_conn *c = h1_conn_new(&test_conn, &sink);
	size_t used;
	(void)state;

	col.ev = calloc(2, sizeof(*col.ev));
	assert_non_null(col.ev);
	assert_int_equal(h1_feed(c, SESS_DIR_REQ, (const uint8_t *)req, L(req), 1), L(req));
	assert_int_equal(h1_feed(c, SESS_DIR_RESP, (const uint8_t *)half, L(half), 2), L(half));
	assert_int_equal(col.n, 0);
	used = h1_feed(c, SESS_DIR_REQ, (const uint8_t *)pri, L(pri), 3);
	assert_int_equal(used, L(pri)); /* llhttp reads the whole preface */
	assert_int_equal(h1_upgraded(c), H1_UPG_H2C);
	assert_int_equal(col.n, 1);
	assert_string_equal(col.ev[0].path, "/chat");
	assert_int_equal(col.ev[0].status, 0);
	assert_int_equal(col.ev[0].resp_bytes, L(half));
	assert_int_equal(h1_feed(c, SESS_DIR_RESP, (const uint8_t *)half, L(half), 4), 0);
	h1_conn_free(c);
	assert_int_equal(col.n, 1);
	free(col.ev);
}

/* A declined upgrade (no 101) leaves the connection in HTTP/1. */
static void test_upgrade_declined_stays_http1(void **state)
{
	static const char req[] = "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
	static const char r426[] = "HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n";
	struct counter k = { 0 };
	struct sess_sink sink = { count_emit, &k };
	struct h1_conn *c = h1_conn_new(&test_conn, &sink);
	(void)state;

	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)req, L(req), 1);
	h1_feed(c, SESS_DIR_RESP, (const uint8_t *)r426, L(r426), 2);
	assert_int_equal(h1_upgraded(c), H1_UPG_NONE);
	assert_int_equal(h1_feed(c, SESS_DIR_REQ, (const uint8_t *)GET_A, L(GET_A), 3), L(GET_A));
	h1_feed(c, SESS_DIR_RESP, (const uint8_t *)OK_HELLO, L(OK_HELLO), 4);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.ok, 1);
	assert_int_equal(h1_conn_anoms(c)[H1_ANOM_PARSE_ERROR], 0);
	h1_conn_free(c);
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks;
}

/* 1 MiB header value fed in 4 KiB chunks: counted, capped, and the
 * decoder's heap does not grow with it. */
static void test_header_1mib_oversize_bounded(void **state)
{
	static const char head[] = "GET /big HTTP/1.1\r\nX-Big: ";
	static const char tail[] = "\r\nHost: h\r\n\r\n";
	struct collect col = { .cap = 1 };
	struct sess_sink sink = { collect_emit, &col };
	struct h1_conn *c;
	char *chunk = malloc(4096);
	size_t before, peak = 0, i;
	const struct sess_event *e;
	size_t vl = 0;
	(void)state;

	col.ev = calloc(1, sizeof(*col.ev));
	memset(chunk, 'a', 4096);
	c = h1_conn_new(&test_conn, &sink);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)head, L(head), 1);
	before = heap_in_use();
	for (i = 0; i < 256; i++) {
		size_t now;

		assert_int_equal(h1_feed(c, SESS_DIR_REQ, (const uint8_t *)chunk,
					 4096, 2), 4096);
		now = heap_in_use();
		if (now > peak)
			peak = now;
	}
	assert_true(peak <= before + 1024);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)tail, L(tail), 3);
	h1_feed(c, SESS_DIR_RESP, (const uint8_t *)R201, L(R201), 4);
	assert_int_equal(col.n, 1);
	e = &col.ev[0];
	assert_string_equal(e->path, "/big");
	assert_string_equal(e->authority, "h");
	assert_int_equal(e->req_bytes, L(head) + (1 << 20) + L(tail));
	assert_true(e->trunc & SESS_TRUNC_HDRS);
	/* Past the cap no header is kept, but Host still names the target. */
	assert_null(sess_get_hdr(e, "x-big", &vl));
	assert_null(sess_get_hdr(e, "host", &vl));
	assert_int_equal(h1_conn_anoms(c)[H1_ANOM_HDR_OVERSIZE], 1);
	assert_int_equal(h1_conn_anoms(c)[H1_ANOM_HDR_VALUE_CUT], 1);
	assert_int_equal(h1_conn_anoms(c)[H1_ANOM_PARSE_ERROR], 0);
	h1_conn_free(c);
	free(col.ev);
	free(chunk);
}

/* 70 requests in one burst: 64 wait, 6 overflow: those are emitted as
 * they end (partial: unpaired), their answers skipped, not taken for
 * orphans; and nothing leaks. */
static void test_pipeline_overflow_counted(void **state)
{
	struct counter k = { 0 };
	struct sess_sink sink = { count_emit, &k };
	struct h1_conn *c = h1_conn_new(&test_conn, &sink);
	size_t n = 70 * L(GET_A), i;
	char *burst = malloc(n);
	(void)state;

	for (i = 0; i < 70; i++)
		memcpy(burst + i * L(GET_A), GET_A, L(GET_A));
	assert_int_equal(h1_feed(c, SESS_DIR_REQ, (const uint8_t *)burst, n, 1), n);
	assert_int_equal(h1_conn_anoms(c)[H1_ANOM_PIPELINE_OVERFLOW], 6);
	for (i = 0; i < 70; i++)
		h1_feed(c, SESS_DIR_RESP, (const uint8_t *)OK_HELLO, L(OK_HELLO), 2);
	assert_int_equal(k.n, 70);
	assert_int_equal(k.partial, 6);
	assert_int_equal(h1_conn_anoms(c)[H1_ANOM_RESP_WITHOUT_REQ], 0);
	h1_conn_free(c);
	free(burst);
}

/* The request past a full FIFO is the attack (64 plain ones before it, in
 * one write): it reaches the detectors (the sink's request hook) with its
 * own path and query before any answer; the answers pair in order after
 * it (the next request's own 404); an unqueued request cut by a close,
 * and one left unfinished when the connection is freed, leak nothing. */
static int b_judged;

static void count_request(void *ctx, const struct sess_event *ev)
{
	(void)ctx;
	if (strcmp(ev->path, "/b") == 0 && strcmp(ev->query, "x=1") == 0)
		b_judged++;
}

static void test_pipeline_overflow_judged(void **state)
{
	struct collect col = { .cap = MAX_EV * 20 };
	struct sess_sink sink = { collect_emit, &col, count_request };
	struct h1_conn *c;
	size_t n = 64 * L(GET_A) + L(GET_B), i, k;
	char *burst = malloc(n);
	(void)state;

	col.ev = calloc((size_t)col.cap, sizeof(*col.ev));
	assert_non_null(col.ev);
	for (i = 0; i < 64; i++)
		memcpy(burst + i * L(GET_A), GET_A, L(GET_A));
	memcpy(burst + 64 * L(GET_A), GET_B, L(GET_B));
	c = h1_conn_new(&test_conn, &sink);
	assert_int_equal(h1_feed(c, SESS_DIR_REQ, (const uint8_t *)burst, n, 1), n);
	assert_int_equal(b_judged, 1); /* /b?x=1 judged before any answer */
	assert_int_equal(col.n, 1);
	assert_string_equal(col.ev[0].path, "/b");
	assert_true(col.ev[0].flags & SESS_F_PARTIAL);
	assert_int_equal(h1_conn_anoms(c)[H1_ANOM_PIPELINE_OVERFLOW], 1);
	for (i = 0; i < 65; i++)
		h1_feed(c, SESS_DIR_RESP, (const uint8_t *)OK_HELLO, L(OK_HELLO), 2);
	assert_int_equal(col.n, 65);
	for (k = 1; k < 65; k++)
		assert_int_equal(col.ev[k].status, 200);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)GET_C, L(GET_C), 3);
	h1_feed(c, SESS_DIR_RESP, (const uint8_t *)R404, L(R404), 4);
	assert_int_equal(col.n, 66);
	assert_string_equal(col.ev[65].path, "/c");
	assert_int_equal(col.ev[65].status, 404);
	assert_int_equal(h1_conn_anoms(c)[H1_ANOM_RESP_WITHOUT_REQ], 0);
	/* past a full FIFO again: one request ends at a close, one is left
	 * half-parsed when the connection is freed */
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)burst, n, 5);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)"GET /d?y=2 HTTP/1.1\r\nHo", L("GET /d?y=2 HTTP/1.1\r\nHo"), 6);
	h1_close(c, 7);
	h1_conn_free(c);
	c = h1_conn_new(&test_conn, &sink);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)burst, n, 8);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)"GET /e HTTP/1.1\r\nHo", L("GET /e HTTP/1.1\r\nHo"), 9);
	h1_conn_free(c);
	free(col.ev);
	free(burst);
}

static void test_uri_oversize_truncated(void **state)
{
	struct collect col = { .cap = 1 };
	struct sess_sink sink = { collect_emit, &col };
	struct h1_conn *c;
	char req[SESS_MAX_PATH + 200];
	int n;
	(void)state;

	col.ev = calloc(1, sizeof(*col.ev));
	n = snprintf(req, sizeof(req), "GET /");
	memset(req + n, 'p', SESS_MAX_PATH + 50);
	n += SESS_MAX_PATH + 50;
	n += snprintf(req + n, sizeof(req) - (size_t)n, "?a=1 HTTP/1.1\r\n\r\n");
	c = h1_conn_new(&test_conn, &sink);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)req, (size_t)n, 1);
	h1_feed(c, SESS_DIR_RESP, (const uint8_t *)R201, L(R201), 2);
	assert_int_equal(col.n, 1);
	assert_int_equal(strlen(col.ev[0].path), SESS_MAX_PATH - 1);
	assert_string_equal(col.ev[0].query, "a=1");
	assert_true(col.ev[0].trunc & SESS_TRUNC_PATH);
	assert_int_equal(col.ev[0].req_bytes, (uint64_t)n);
	assert_int_equal(h1_conn_anoms(c)[H1_ANOM_URI_OVERSIZE], 1);
	h1_conn_free(c);
	free(col.ev);
}

static void test_pending_since_tracks_unfinished_head(void **state)
{
	struct counter k = { 0 };
	struct sess_sink sink = { count_emit, &k };
	struct h1_conn *c = h1_conn_new(&test_conn, &sink);
	(void)state;

	assert_int_equal(h1_pending_since(c), 0);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)"GET / HTTP/1.1\r\nHost: h\r\nX-a: 1\r\n", 33, 500);
	assert_int_equal(h1_pending_since(c), 500);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)"X-b: 2\r\n", 8, 900);
	assert_int_equal(h1_pending_since(c), 500);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)"\r\n", 2, 1300);
	assert_int_equal(h1_pending_since(c), 0);
	h1_close(c, 2000);
	assert_int_equal(k.n, 1);
	h1_conn_free(c);
}

/* Transfer-Encoding spellings: which count as obfuscated, which llhttp
 * refuses outright (counted as parse errors, the exchange still reported). */
static const struct {
	const char *value;
	uint64_t obfuscated, parse_error;
} te_values[] = {
	{ "chunked", 0, 0 },
	{ "gzip, chunked", 0, 0 },
	{ "gzip,chunked", 0, 0 },
	{ "chunked ", 1, 0 },
	{ "chunked  ", 1, 0 },
	{ "Chunked", 1, 0 },
	{ "CHUNKED", 1, 0 },
	{ "gzip,  chunked", 1, 0 },
	{ "gzip , chunked", 1, 0 },
	{ ",chunked", 1, 0 },
	{ "chunked\t", 1, 1 },
	{ "xchunked", 1, 1 },
	{ "chunked-false", 1, 1 },
	{ "chunk ed", 1, 1 },
	{ "chunked, identity", 0, 1 },
	{ "identity", 0, 1 },
	/* nginx serves control bytes in values, so llhttp reads them
	 * leniently: chunked hiding behind one is obfuscation, and a
	 * final coding that is not chunked is refused by the decoder */
	{ "chunked\x0b", 1, 1 },
};

static void test_te_spellings(void **state)
{
	static const char resp[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(te_values) / sizeof(te_values[0]); i++) {
		struct counter k = { 0 };
		struct sess_sink sink = { count_emit, &k };
		struct h1_conn *c = h1_conn_new(&test_conn, &sink);
		char req[256];
		int n = snprintf(req, sizeof(req),
				 "POST /t HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: %s\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
				 te_values[i].value);
		const uint64_t *a;

		h1_feed(c, SESS_DIR_REQ, (const uint8_t *)req, (size_t)n, 1);
		h1_feed(c, SESS_DIR_RESP, (const uint8_t *)resp, L(resp), 2);
		a = h1_conn_anoms(c);
		if (a[H1_ANOM_TE_OBFUSCATED] != te_values[i].obfuscated ||
		    a[H1_ANOM_PARSE_ERROR] != te_values[i].parse_error ||
		    k.n != 1) {
			print_error("TE \"%s\": obfuscated %llu parse_error %llu events %d\n",
				    te_values[i].value,
				    (unsigned long long)a[H1_ANOM_TE_OBFUSCATED],
				    (unsigned long long)a[H1_ANOM_PARSE_ERROR], k.n);
			fail();
		}
		h1_conn_free(c);
	}
}

#ifndef FUZZ_ITERS
#define FUZZ_ITERS 400
#endif

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Valid messages, garbage, gaps and closes shuffled and cut at random
 * (fixed seed): the decoder must stay well-formed (run under valgrind). */
static void test_random_streams_never_crash(void **state)
{
	static const char *const pieces[] = {
		GET_A, GET_B, POST_FORM, POST_CHUNKED, HEAD_REQ, WS_REQ,
		CL_TE_REQ, DUP_CL_REQ, XCHUNKED_REQ, GARBAGE, CONNECT_REQ,
		OK_HELLO, R404, R100, R204, RESP_CHUNKED, HEAD_RESP, WS_101,
		EOF_RESP, BIG_HEAD, CUT_RESP, CONNECT_OK, "\r\n", "HTTP/1.",
		"GET ", "0\r\n\r\n", "\xff\x00\x80",
	};
	const size_t np = sizeof(pieces) / sizeof(pieces[0]);
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	int iter;
	(void)state;

	for (iter = 0; iter < FUZZ_ITERS; iter++) {
		struct counter k = { 0 };
		struct sess_sink sink = { count_emit, &k };
		struct h1_conn *c = h1_conn_new(&test_conn, &sink);
		uint64_t fed = 0;
		int op;

		for (op = 0; op < 24; op++) {
			uint64_t r = rng_next(&seed);
			enum sess_dir dir = (r >> 8) & 1 ? SESS_DIR_RESP : SESS_DIR_REQ;
			const char *p = pieces[(r >> 16) % np];
			size_t len = strlen(p) ? strlen(p) : 1;
			size_t cut = 1 + (size_t)((r >> 32) % len);

			if ((r & 15) == 0) {
				uint64_t g = 1 + ((r >> 40) % 200000);

				fed += g;
				h1_gap(c, dir, g, (uint64_t)op);
				continue;
			}
			fed += len;
			h1_feed(c, dir, (const uint8_t *)p, cut, (uint64_t)op);
			if (cut < len)
				h1_feed(c, dir, (const uint8_t *)p + cut,
					len - cut, (uint64_t)op);
			(void)h1_pending_since(c);
		}
		h1_close(c, 100);
		/* Every event has a request line or a status behind it, and
		 * no event claims bytes that were never fed (gaps count as
		 * fed: their bytes crossed the wire). */
		if (k.hollow || k.wire > fed) {
			print_error("iter %d: %d events, %d without request line or status, %llu bytes claimed of %llu fed\n",
				    iter, k.n, k.hollow, (unsigned long long)k.wire,
				    (unsigned long long)fed);
			fail();
		}
		h1_conn_free(c);
	}
}

/* ---- windows: what the event cannot keep is still judged ---------------- */

struct windows {
	int n, found, main_seen, ct_form, uri;
	const char *needle, *hdr;
	size_t first_len;
	char first[64];
};

static void win_request(void *ctx, const struct sess_event *ev)
{
	struct windows *w = ctx;
	size_t nl = strlen(w->needle), vl = 0;
	const char *v;

	if (!(ev->flags & SESS_F_WINDOW)) {
		w->main_seen++;
		return;
	}
	w->n++;
	if (ev->flags & SESS_F_WIN_URI) {
		/* URI bytes past the event's bound: the query's go in query */
		w->uri++;
		if (strstr(ev->query, w->needle))
			w->found++;
		if (w->n == 1) {
			w->first_len = strlen(ev->query);
			memcpy(w->first, ev->query, sizeof(w->first));
		}
		return;
	}
	if (strcmp(ev->path, "/w") != 0)
		return;
	if (sess_get_hdr(ev, "content-type", &vl))
		w->ct_form++;
	if (w->hdr && (v = sess_get_hdr(ev, w->hdr, &vl)) && vl == nl &&
	    !memcmp(v, w->needle, nl))
		w->found++;
	for (size_t i = 0; !w->hdr && i + nl <= ev->body_len; i++)
		if (!memcmp(ev->body + i, w->needle, nl)) {
			w->found++;
			break;
		}
	if (w->n == 1) {
		w->first_len = ev->body_len;
		memcpy(w->first, ev->body, sizeof(w->first));
	}
}

static void noop_emit(void *ctx, const struct sess_event *ev)
{
	(void)ctx;
	(void)ev;
}

/* Feed req in chunks of `chunk` bytes to a fresh decoder whose sink
 * judges requests. */
static struct h1_conn *win_feed(struct windows *w, const char *req, size_t len,
				size_t chunk)
{
	static struct sess_sink sink;
	struct h1_conn *c;

	sink.emit = noop_emit;
	sink.request = win_request;
	sink.ctx = w;
	c = h1_conn_new(&test_conn, &sink);
	for (size_t o = 0; o < len; o += chunk)
		h1_feed(c, SESS_DIR_REQ, (const uint8_t *)req + o,
			len - o < chunk ? len - o : chunk, 1);
	return c;
}

/* A payload in a header after more headers than the event keeps (nginx
 * serves a request with 100 of them): judged in a window. */
static void test_header_past_the_table_is_judged(void **state)
{
	static char req[16384];
	const size_t chunks[] = { 1, 7, 100, sizeof(req) };
	(void)state;

	for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
		struct windows w = { .needle = "1' OR 1=1--", .hdr = "user-agent" };
		size_t n = (size_t)snprintf(req, sizeof(req), "GET /w HTTP/1.1\r\nHost: h\r\n");
		struct h1_conn *c;

		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(req + n, sizeof(req) - n, "X-Pad-%d: value-%d\r\n", i, i);
		n += (size_t)snprintf(req + n, sizeof(req) - n, "User-Agent: 1' OR 1=1--\r\n\r\n");
		c = win_feed(&w, req, n, chunks[k]);
		assert_int_equal(w.found, 1);
		assert_int_equal(w.main_seen, 1);
		/* host and 101 more: SESS_MAX_HDRS kept, the other 54 in a
		 * full window and one of 6 */
		assert_int_equal(SESS_MAX_HDRS, 48);
		assert_int_equal(w.n, 2);
		h1_conn_free(c);
	}
}

/* A payload in a form body after padding: every byte of the body is in the
 * kept prefix or a window, windows overlap, the payload is seen whole
 * even where it straddles a window boundary. */
static void test_body_past_the_prefix_is_judged(void **state)
{
	static char req[80000];
	const size_t pads[] = { 6000, SESS_MAX_BODY - 5, 2 * SESS_MAX_BODY - H1_WIN_OVERLAP - 8, 65536 };
	(void)state;

	for (size_t k = 0; k < sizeof(pads) / sizeof(pads[0]); k++) {
		struct windows w = { .needle = "id=1%27%20OR%201%3D1--" };
		size_t body = 4 + pads[k] + 1 + strlen(w.needle);
		size_t n = (size_t)snprintf(req, sizeof(req),
					    "POST /w HTTP/1.1\r\nHost: h\r\n"
					    "Content-Type: application/x-www-form-urlencoded\r\n"
					    "Content-Length: %zu\r\n\r\npad=", body);
		struct h1_conn *c;

		memset(req + n, 'a', pads[k]);
		n += pads[k];
		n += (size_t)snprintf(req + n, sizeof(req) - n, "&%s", w.needle);
		c = win_feed(&w, req, n, 1000);
		if (w.found != 1 || w.ct_form != w.n || w.main_seen != 1) {
			print_error("pad %zu: found %d in %d windows (%d with the content type)\n",
				    pads[k], w.found, w.n, w.ct_form);
			fail();
		}
		/* the first window starts with the prefix's last bytes */
		assert_true(w.first_len > H1_WIN_OVERLAP);
		assert_memory_equal(w.first, "aaaaaaaaaaaaaaaa", 16);
		h1_conn_free(c);
	}
}

/* A payload in the query after padding past SESS_MAX_QUERY (nginx reads a
 * request line up to 8 KiB, Apache 8190 bytes): the bytes the event cannot
 * keep go through URI windows that overlap, so the payload is seen whole
 * wherever it sits; before, only the first SESS_MAX_QUERY - 1 bytes were
 * ever judged. */
static void test_query_past_the_bound_is_judged(void **state)
{
	static char req[80000];
	const size_t pads[] = { 3000, SESS_MAX_QUERY - 5, 2 * SESS_MAX_QUERY - H1_WIN_OVERLAP - 8, 7000,
				 60000 };
	(void)state;

	for (size_t k = 0; k < sizeof(pads) / sizeof(pads[0]); k++) {
		struct windows w = { .needle = "id=1%27%20OR%201%3D1--" };
		size_t n = (size_t)snprintf(req, sizeof(req), "GET /w?pad=");
		struct h1_conn *c;

		memset(req + n, 'a', pads[k]);
		n += pads[k];
		n += (size_t)snprintf(req + n, sizeof(req) - n, "&%s HTTP/1.1\r\nHost: h\r\n\r\n",
				      w.needle);
		c = win_feed(&w, req, n, 1000);
		if (w.found != 1 || w.uri != w.n || w.main_seen != 1) {
			print_error("pad %zu: found %d in %d windows (%d of the URI)\n", pads[k],
				    w.found, w.n, w.uri);
			fail();
		}
		/* the first window starts with the kept query's last bytes */
		assert_true(w.first_len > H1_WIN_OVERLAP);
		assert_memory_equal(w.first, "aaaaaaaaaaaaaaaa", 16);
		assert_int_equal(h1_conn_anoms(c)[H1_ANOM_URI_OVERSIZE], 1);
		h1_conn_free(c);
	}
}

/* Past H1_SCAN_BODY_MAX, body bytes are counted, not judged: one
 * h1.body_unjudged for the request, and no more windows. */
static void test_body_past_the_scan_limit_is_counted(void **state)
{
	static const char head[] = "POST /w HTTP/1.1\r\nHost: h\r\nContent-Length: 1200000\r\n\r\n";
	static char chunk[60000];
	struct windows w = { .needle = "never there" };
	struct h1_conn *c = win_feed(&w, head, L(head), L(head));
	const uint64_t *a;
	(void)state;

	memset(chunk, 'b', sizeof(chunk));
	for (int i = 0; i < 20; i++)
		h1_feed(c, SESS_DIR_REQ, (const uint8_t *)chunk, sizeof(chunk), 2);
	a = h1_conn_anoms(c);
	assert_int_equal(a[H1_ANOM_BODY_UNJUDGED], 1);
	/* (1 MiB - prefix) / (window - overlap), rounded up */
	assert_int_equal(w.n, (H1_SCAN_BODY_MAX - SESS_MAX_BODY + (SESS_MAX_BODY - H1_WIN_OVERLAP) - 1) /
				      (SESS_MAX_BODY - H1_WIN_OVERLAP));
	assert_int_equal(w.main_seen, 1);
	h1_conn_free(c);
}

static void test_totals_accumulate(void **state)
{
	uint64_t before[H1_ANOM__COUNT], after[H1_ANOM__COUNT];
	struct h1_conn *c = h1_conn_new(&test_conn, NULL);
	(void)state;

	h1_totals(before);
	h1_feed(c, SESS_DIR_REQ, (const uint8_t *)GARBAGE, L(GARBAGE), 1);
	h1_gap(c, SESS_DIR_RESP, 10, 2);
	h1_totals(after);
	assert_int_equal(after[H1_ANOM_PARSE_ERROR], before[H1_ANOM_PARSE_ERROR] + 1);
	assert_int_equal(after[H1_ANOM_GAP], before[H1_ANOM_GAP] + 1);
	assert_string_equal(h1_anom_names[H1_ANOM_PARSE_ERROR], "h1.parse_error");
	h1_conn_free(c);
	h1_conn_free(NULL);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 16];
	size_t n = 0, i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct CMUnitTest t = {
			.name = cases[i].name,
			.test_func = test_table_case,
			.initial_state = (void *)&cases[i],
		};
		tests[n++] = t;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_upgrade_accessors);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_h2c_upgrade);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_preface_during_101);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_upgrade_declined_stays_http1);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_header_1mib_oversize_bounded);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_pipeline_overflow_counted);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_pipeline_overflow_judged);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_uri_oversize_truncated);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_pending_since_tracks_unfinished_head);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_te_spellings);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_random_streams_never_crash);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_totals_accumulate);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_header_past_the_table_is_judged);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_body_past_the_prefix_is_judged);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_query_past_the_bound_is_judged);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_body_past_the_scan_limit_is_counted);
	return _cmocka_run_group_tests("h1", tests, n, NULL, NULL);
}
