/* test_classify.c - the kernel classifier (bpf/classify.h) run in user
 * space: a table of {name, calls (bytes, direction), expected result of
 * each call, final role/protocol, counters}. The few BPF helpers it uses
 * are stood in for below with their documented semantics (probe reads of
 * the caller's bytes, bpf_loop, the two maps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <linux/types.h>

#include "bpf/abi.h"

/* ---- stand-ins for the BPF side ------------------------------------------- */

#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#define BPF_ANY 0
#define barrier_var(v) ((void)0)

static uint64_t counters[SW_CNT__MAX];
static struct sw_port_key ports[8];
static unsigned n_ports;
static char sw_counters, sw_http_ports; /* identities only */

static void *bpf_map_lookup_elem(void *map, const void *key)
{
	static uint8_t one = 1;

	if (map == &sw_counters) {
		uint32_t i = *(const uint32_t *)key;

		return i < SW_CNT__MAX ? &counters[i] : NULL;
	}
	for (unsigned i = 0; i < n_ports; i++)
		if (!memcmp(&ports[i], key, sizeof(ports[i])))
			return &one;
	return NULL;
}

static long bpf_map_update_elem(void *map, const void *key, const void *val,
				uint64_t flags)
{
	(void)val;
	(void)flags;
	if (map != &sw_http_ports || n_ports >= 8)
		return -1;
	memcpy(&ports[n_ports++], key, sizeof(ports[0]));
	return 0;
}

static long bpf_probe_read_user(void *dst, uint32_t n, const void *src)
{
	memcpy(dst, src, n);
	return 0;
}

static long bpf_loop(uint32_t n, long (*cb)(uint32_t, void *), void *ctx,
		     uint64_t flags)
{
	(void)flags;
	for (uint32_t i = 0; i < n; i++)
		if (cb(i, ctx))
			return i + 1;
	return n;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunknown-pragmas"
#include "bpf/classify.h"
#pragma GCC diagnostic pop

/* ---- the table ---------------------------------------------------------------- */

#define MAX_CALLS 4

struct call {
	const char *data;
	size_t len;
	int dir;
	int repeat; /* fed this many times (0: once) */
	int want;   /* enum cls_result of the call (of the last repeat) */
};

struct cls_case {
	const char *name;
	struct call calls[MAX_CALLS];
	int role, proto, why;
	uint64_t late, skipped, flood, garbage, tls, proxy;
};

#define C(s, d, w) { s, sizeof(s) - 1, d, 0, w }
#define RECV SW_DIR_RECV
#define SEND SW_DIR_SEND

static char crlf_run[2000 + 32];
static char big_garbage[SW_CLASSIFY_BYTES + 100];

static const struct cls_case cases[] = {
	{ "request_line", { C("GET /a HTTP/1.1\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE },
	/* RFC 9112 2.2: empty lines before the request line */
	{ "crlf_then_request_same_call",
	  { C("\r\n\r\nGET /?id=1 HTTP/1.1\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .skipped = 4 },
	{ "bare_lf_then_request", { C("\n\nPOST /x HTTP/1.1\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .skipped = 2 },
	{ "crlf_alone_then_request_next_call",
	  { C("\r\n", RECV, CLS_WAIT), C("GET / HTTP/1.1\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .late = 1 },
	{ "one_cr_then_dribbled_method",
	  { C("\r", RECV, CLS_WAIT), C("\nG", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .late = 1, .skipped = 1 },
	/* the preface only counts at byte 0 */
	{ "crlf_then_pri_is_http1",
	  { C("\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .skipped = 2 },
	{ "preface_is_http2", { C("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP2, SW_WHY_NONE },
	{ "response_sent_first_serves", { C("HTTP/1.1 200 OK\r\n", SEND, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE },
	/* garbage is reported even when a request follows */
	{ "garbage_then_request_next_call",
	  { C("\x01\x02\x03garbage\r\n", RECV, CLS_WAIT),
	    C("\r\n", RECV, CLS_WAIT),
	    C("GET / HTTP/1.1\r\n", RECV, CLS_SUSPECT) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_GARBAGE, .late = 1 },
	/* nginx answers garbage with 400: the server's answer decides, and
	 * the garbage is reported */
	{ "garbage_answered_by_server",
	  { C("\xde\xad\xbe\xef garbage", RECV, CLS_WAIT),
	    C("HTTP/1.1 400 Bad Request\r\n", SEND, CLS_SUSPECT) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_GARBAGE, .late = 1 },
	{ "garbage_given_up_after_tries",
	  { { "\x01\x02\x03garbage", 10, RECV, SW_CLASSIFY_TRIES, CLS_WAIT },
	    C("\x01\x02\x03garbage", RECV, CLS_GAVEUP) },
	  SW_ROLE_IGNORE, SW_GUESS_NONE, SW_WHY_GARBAGE, .garbage = 1 },
	{ "crlf_flood_taken_for_http1",
	  { { "\r\n", 2, RECV, SW_CLASSIFY_TRIES, CLS_WAIT },
	    C("\r\n", RECV, CLS_SUSPECT) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_CRLF, .flood = 1 },
	{ "tls_client_hello_ignored_at_once",
	  { C("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", RECV, CLS_GAVEUP) },
	  SW_ROLE_IGNORE, SW_GUESS_NONE, SW_WHY_TLS, .tls = 1 },
	/* PROXY protocol v1 and v2 (a load balancer's header before the
	 * client's bytes): looked past, what follows classified */
	{ "proxy_v1_then_request_same_call",
	  { C("PROXY TCP4 192.0.2.7 10.0.0.1 5555 80\r\nGET /a HTTP/1.1\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .proxy = 1 },
	{ "proxy_v1_alone_taken_for_http1",
	  { C("PROXY TCP6 2001:db8::7 2001:db8::1 5555 443\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .proxy = 1 },
	{ "proxy_v1_dribbled_taken_for_http1",
	  { C("PROXY TCP4 192.0", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .proxy = 1 },
	{ "proxy_v1_then_crlf_then_request",
	  { C("PROXY UNKNOWN\r\n\r\n\r\nPOST /x HTTP/1.1\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .skipped = 4, .proxy = 1 },
	{ "proxy_v1_then_preface_is_http2",
	  { C("PROXY TCP4 192.0.2.7 10.0.0.1 5555 80\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP2, SW_WHY_NONE, .proxy = 1 },
	{ "proxy_v1_then_tls_ignored",
	  { C("PROXY TCP4 192.0.2.7 10.0.0.1 5555 443\r\n\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", RECV, CLS_GAVEUP) },
	  SW_ROLE_IGNORE, SW_GUESS_NONE, SW_WHY_TLS, .tls = 1, .proxy = 1 },
	{ "proxy_v1_no_crlf_yet_taken_for_http1",
	  { C("PROXY aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .proxy = 1 },
	/* "PROXY UNKNOWN" reaches to the first CRLF (nginx): past a bare LF */
	{ "proxy_unknown_to_the_first_crlf",
	  { C("PROXY UNKNOWN\nxxxx\r\nGET /evil HTTP/1.1\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .proxy = 1 },
	{ "proxy_v2_then_request_same_call",
	  { C("\r\n\r\n\0\r\nQUIT\n\x21\x11\x00\x0c\xc0\x00\x02\x07\x0a\x00\x00\x01\x15\xb3\x00\x50"
	      "GET /a HTTP/1.1\r\n", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .proxy = 1 },
	{ "proxy_v2_alone_taken_for_http1",
	  { C("\r\n\r\n\0\r\nQUIT\n\x21\x11\x00\x0c\xc0\x00\x02\x07\x0a\x00\x00\x01\x15\xb3\x00\x50", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP1, SW_WHY_NONE, .proxy = 1 },
	{ "proxy_v2_then_tls_ignored",
	  { C("\r\n\r\n\0\r\nQUIT\n\x21\x11\x00\x0c\xc0\x00\x02\x07\x0a\x00\x00\x01\x15\xb3\x01\xbb"
	      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", RECV, CLS_GAVEUP) },
	  SW_ROLE_IGNORE, SW_GUESS_NONE, SW_WHY_TLS, .tls = 1, .proxy = 1 },
	{ "h2_frames_wait_then_headers",
	  { C("\x00\x00\x04\x08\x00\x00\x00\x00\x00\x00\x00\x10\x00", RECV, CLS_WAIT),
	    C("\x00\x00\x05\x01\x04\x00\x00\x00\x03\x82\x84\x86\x41\x8a", RECV, CLS_FIRST) },
	  SW_ROLE_SERVER, SW_GUESS_HTTP2_MID, SW_WHY_NONE, .late = 1 },
};

static void feed(struct sw_conn_state *st, const struct call *c, const char *data,
		 size_t len, const char *name, int k)
{
	int reps = c->repeat ? c->repeat : 1;

	for (int r = 0; r < reps; r++) {
		int res = classify_call(st, (__u64)(uintptr_t)data, (uint32_t)len, c->dir);

		if (r == reps - 1 && res != c->want)
			fail_msg("%s: call %d gave %d, want %d", name, k, res, c->want);
		if (r < reps - 1 && res != CLS_WAIT)
			fail_msg("%s: call %d repeat %d gave %d, want wait", name, k, r, res);
	}
}

static void test_case(void **state)
{
	const struct cls_case *tc = *state;
	struct sw_conn_state st = { 0 };

	memset(counters, 0, sizeof(counters));
	n_ports = 0;
	for (int k = 0; k < MAX_CALLS && tc->calls[k].data; k++)
		feed(&st, &tc->calls[k], tc->calls[k].data, tc->calls[k].len, tc->name, k);
	assert_int_equal(st.role, tc->role);
	if (tc->role != SW_ROLE_IGNORE)
		assert_int_equal(st.proto, tc->proto);
	assert_int_equal(st.why, tc->why);
	assert_int_equal(counters[SW_CNT_CLASSIFY_LATE], tc->late);
	assert_int_equal(counters[SW_CNT_SKIPPED_CRLF], tc->skipped);
	assert_int_equal(counters[SW_CNT_CRLF_FLOOD], tc->flood);
	assert_int_equal(counters[SW_CNT_GIVEUP_GARBAGE], tc->garbage);
	assert_int_equal(counters[SW_CNT_GIVEUP_TLS], tc->tls);
	assert_int_equal(counters[SW_CNT_PROXY_HDR], tc->proxy);
}

/* A run of CR/LF longer than one call's look (SW_CLASSIFY_SKIP) with a
 * request behind it in the same call: taken for HTTP/1, nothing lost. */
static void test_long_crlf_run_in_one_call(void **state)
{
	struct sw_conn_state st = { 0 };
	(void)state;

	memset(counters, 0, sizeof(counters));
	for (size_t i = 0; i < 2000; i += 2)
		memcpy(crlf_run + i, "\r\n", 2);
	memcpy(crlf_run + 2000, "GET /?q=1 HTTP/1.1\r\n", 20);
	assert_int_equal(classify_call(&st, (__u64)(uintptr_t)crlf_run, 2020, SW_DIR_RECV), CLS_FIRST);
	assert_int_equal(st.role, SW_ROLE_SERVER);
	assert_int_equal(st.proto, SW_GUESS_HTTP1);
	assert_int_equal(counters[SW_CNT_SKIPPED_CRLF], SW_CLASSIFY_SKIP); /* the bounded look */
	/* the same run whole within the look: skipped and counted */
	memset(&st, 0, sizeof(st));
	memcpy(crlf_run + 1000, "GET /?q=1 HTTP/1.1\r\n", 20);
	assert_int_equal(classify_call(&st, (__u64)(uintptr_t)crlf_run, 1020, SW_DIR_RECV), CLS_FIRST);
	assert_int_equal(counters[SW_CNT_SKIPPED_CRLF], SW_CLASSIFY_SKIP + 1000);
}

/* A "PROXY " line with no CRLF within SW_PP_MAX bytes is no header: the
 * call is garbage, looked at again (nginx would close the connection). */
static void test_proxy_line_past_bound_is_garbage(void **state)
{
	static char line[SW_PP_MAX + 64];
	struct sw_conn_state st = { 0 };
	(void)state;

	memset(counters, 0, sizeof(counters));
	memset(line, 'a', sizeof(line));
	memcpy(line, "PROXY UNKNOWN ", 14);
	assert_int_equal(classify_call(&st, (__u64)(uintptr_t)line, sizeof(line), SW_DIR_RECV), CLS_WAIT);
	assert_int_equal(st.why, SW_WHY_GARBAGE);
	assert_int_equal(counters[SW_CNT_PROXY_HDR], 0);
}

/* More garbage than SW_CLASSIFY_BYTES in one call: given up at once, the
 * bytes counted. */
static void test_big_garbage_given_up(void **state)
{
	struct sw_conn_state st = { 0 };
	(void)state;

	memset(counters, 0, sizeof(counters));
	memset(big_garbage, 0x7f, sizeof(big_garbage));
	assert_int_equal(classify_call(&st, (__u64)(uintptr_t)big_garbage, sizeof(big_garbage), SW_DIR_RECV),
			 CLS_GAVEUP);
	assert_int_equal(st.role, SW_ROLE_IGNORE);
	assert_int_equal(counters[SW_CNT_GIVEUP_GARBAGE], 1);
	assert_int_equal(counters[SW_CNT_GIVEUP_BYTES], sizeof(big_garbage));
}

static void test_ports_remembered(void **state)
{
	(void)state;
	n_ports = 0;
	assert_false(cls_port_serves_http(7, 8080));
	cls_note_port(7, 8080);
	cls_note_port(7, 8080);
	assert_int_equal(n_ports, 1);
	assert_true(cls_port_serves_http(7, 8080));
	assert_false(cls_port_serves_http(8, 8080));
}

int main(void)
{
	struct CMUnitTest t[sizeof(cases) / sizeof(cases[0]) + 4];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct CMUnitTest u = { .name = cases[i].name, .test_func = test_case,
					.initial_state = (void *)&cases[i] };
		t[n++] = u;
	}
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_long_crlf_run_in_one_call);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_big_garbage_given_up);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_ports_remembered);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_proxy_line_past_bound_is_garbage);
	return _cmocka_run_group_tests("classify", t, n, NULL, NULL);
}
