/* test_pbconv.c - sess_event -> SessionEvent: field mapping, truncation of
 * oversized values, hostile bytes carried unchanged, encode/decode round
 * trip within the nanopb bounds. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "collector/uplink/pbconv.h"

static struct sess_conn conn4(void)
{
	struct sess_conn c = { .family = AF_INET, .tgid = 321, .tls = 1,
			       .client_port = 51000, .server_port = 443,
			       .cookie = 99, .comm = "nginx" };
	inet_pton(AF_INET, "10.213.0.5", c.client_addr);
	inet_pton(AF_INET, "10.213.0.1", c.server_addr);
	return c;
}

static void set(char *dst, size_t cap, const void *s, size_t n,
		struct sess_event *ev, uint32_t bit)
{
	dst[0] = '\0';
	sess_append(dst, cap, s, n, ev, bit);
}

static void test_maps_http_fields_and_times(void **state)
{
	struct sess_conn c = conn4();
	struct sess_event *ev = calloc(1, sizeof(*ev));
	sidewatch_SessionEvent *o = calloc(1, sizeof(*o));

	(void)state;
	sess_event_init(ev, SESS_PROTO_HTTP2, &c);
	ev->req_ns = 5000000000ull;       /* 5 s after boot */
	ev->resp_ns = 5000250000ull;      /* +250 µs */
	set(ev->method, sizeof(ev->method), "POST", 4, ev, SESS_TRUNC_METHOD);
	set(ev->path, sizeof(ev->path), "/v1/login", 9, ev, SESS_TRUNC_PATH);
	set(ev->query, sizeof(ev->query), "a=1", 3, ev, SESS_TRUNC_QUERY);
	ev->status = 401;
	ev->stream_id = 7;
	ev->req_bytes = 100;
	ev->resp_bytes = 200;
	sess_anom_add(ev, "h2.bad_frame", 3);
	assert_int_equal(pbconv_event(ev, NULL, "hostA", 1700000000000000000ull, o), 0);
	assert_int_equal(o->proto, sidewatch_Proto_PROTO_HTTP2);
	assert_int_equal(o->kind, sidewatch_Kind_KIND_SESSION);
	assert_int_equal(o->ts_us, 1700000005000000ull);
	assert_int_equal(o->latency_us, 250);
	assert_string_equal(o->host, "hostA");
	assert_int_equal(o->src_ip.size, 4);
	assert_memory_equal(o->src_ip.bytes, c.client_addr, 4);
	assert_memory_equal(o->dst_ip.bytes, c.server_addr, 4);
	assert_int_equal(o->src_port, 51000);
	assert_int_equal(o->dst_port, 443);
	assert_int_equal(o->pid, 321);
	assert_true(o->tls);
	assert_int_equal(o->conn_id, 99);
	assert_int_equal(o->comm.size, 5);
	assert_memory_equal(o->comm.bytes, "nginx", 5);
	assert_int_equal(o->method.size, 4);
	assert_memory_equal(o->path.bytes, "/v1/login", 9);
	assert_int_equal(o->query.size, 3);
	assert_int_equal(o->status, 401);
	assert_int_equal(o->stream_id, 7);
	assert_int_equal(o->grpc_status, -1);
	assert_int_equal(o->close_code, -1);
	assert_int_equal(o->anomalies_count, 1);
	assert_string_equal(o->anomalies[0].name, "h2.bad_frame");
	assert_int_equal(o->anomalies[0].count, 3);
	assert_int_equal(o->trunc, 0);
	free(ev);
	free(o);
}

static void test_maps_verdict_extra_and_grpc(void **state)
{
	struct sess_conn c = conn4();
	struct sess_event *ev = calloc(1, sizeof(*ev));
	sidewatch_SessionEvent *o = calloc(1, sizeof(*o));
	struct pbconv_extra x = { .identity = "k-123", .identity_len = 5,
				  .rule = "bola", .severity = "high",
				  .action = "kill", .detect_latency_us = 40,
				  .enforce_latency_us = 90 };
	char longrule[200];

	(void)state;
	sess_event_init(ev, SESS_PROTO_GRPC, &c);
	ev->kind = SESS_KIND_VERDICT;
	set(ev->service, sizeof(ev->service), "pkg.Svc", 7, ev, 0);
	set(ev->rpc, sizeof(ev->rpc), "Get", 3, ev, 0);
	ev->grpc_status = 7;
	ev->req_msgs = 2;
	ev->resp_msgs = 1;
	assert_int_equal(pbconv_event(ev, &x, NULL, 0, o), 0);
	assert_int_equal(o->kind, sidewatch_Kind_KIND_VERDICT);
	assert_int_equal(o->ts_us, 0);
	assert_string_equal(o->host, "");
	assert_memory_equal(o->service.bytes, "pkg.Svc", 7);
	assert_memory_equal(o->rpc.bytes, "Get", 3);
	assert_int_equal(o->grpc_status, 7);
	assert_int_equal(o->req_msgs, 2);
	assert_memory_equal(o->identity.bytes, "k-123", 5);
	assert_string_equal(o->rule, "bola");
	assert_string_equal(o->severity, "high");
	assert_string_equal(o->action, "kill");
	assert_int_equal(o->detect_latency_us, 40);
	assert_int_equal(o->enforce_latency_us, 90);
	assert_int_equal(o->trunc, 0);

	memset(longrule, 'r', sizeof(longrule) - 1);
	longrule[sizeof(longrule) - 1] = '\0';
	x.rule = longrule;
	assert_int_equal(pbconv_event(ev, &x, NULL, 0, o), 0);
	assert_int_equal(strlen(o->rule), sizeof(o->rule) - 1);
	assert_true(o->trunc & PBCONV_TRUNC_VERDICT);
	free(ev);
	free(o);
}

/* Hostile values: {name, bytes, len, expected bytes on the wire, trunc} */
struct hostile {
	const char *name;
	const char *in;
	size_t len;
	const char *want;
	size_t want_len;
};

static void test_hostile_paths_carried_byte_exact(void **state)
{
	static const struct hostile cases[] = {
		{ "quotes_backslashes", "/a'\"\\\\N\t\n", 9, "/a'\"\\\\N\t\n", 9 },
		{ "invalid_utf8", "/\xff\xfe\xc0\xaf\xed\xa0\x80", 8, "/\xff\xfe\xc0\xaf\xed\xa0\x80", 8 },
		{ "embedded_nul_ends_value", "/x\0y", 4, "/x", 2 },
		{ "copy_end_marker", "\\.\n", 3, "\\.\n", 3 },
	};
	struct sess_conn c = conn4();
	struct sess_event *ev = calloc(1, sizeof(*ev));
	sidewatch_SessionEvent *o = calloc(1, sizeof(*o));
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sess_event_init(ev, SESS_PROTO_HTTP1, &c);
		set(ev->path, sizeof(ev->path), cases[i].in, cases[i].len, ev, SESS_TRUNC_PATH);
		assert_int_equal(pbconv_event(ev, NULL, NULL, 0, o), 0);
		assert_int_equal(o->path.size, cases[i].want_len);
		assert_memory_equal(o->path.bytes, cases[i].want, cases[i].want_len);
		assert_int_equal(o->trunc & SESS_TRUNC_PATH, 0);
	}
	free(ev);
	free(o);
}

static void test_oversized_values_truncated_and_flagged(void **state)
{
	struct sess_conn c = conn4();
	struct sess_event *ev = calloc(1, sizeof(*ev));
	sidewatch_SessionEvent *o = calloc(1, sizeof(*o));
	char *big = malloc(1 << 20), host[100], id[300];

	(void)state;
	memset(big, 'p', 1 << 20);
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	memset(id, 'i', sizeof(id));
	sess_event_init(ev, SESS_PROTO_HTTP1, &c);
	set(ev->path, sizeof(ev->path), big, 1 << 20, ev, SESS_TRUNC_PATH);
	set(ev->authority, sizeof(ev->authority), big, 5000, ev, SESS_TRUNC_AUTHORITY);
	{
		struct pbconv_extra x = { .identity = id, .identity_len = sizeof(id) };
		assert_int_equal(pbconv_event(ev, &x, host, 0, o), 0);
	}
	assert_int_equal(o->path.size, SESS_MAX_PATH - 1);
	assert_int_equal(o->authority.size, SESS_MAX_AUTHORITY - 1);
	assert_int_equal(o->identity.size, sizeof(o->identity.bytes));
	assert_int_equal(strlen(o->host), sizeof(o->host) - 1);
	assert_true(o->trunc & SESS_TRUNC_PATH);
	assert_true(o->trunc & SESS_TRUNC_AUTHORITY);
	assert_true(o->trunc & PBCONV_TRUNC_IDENTITY);
	assert_true(o->trunc & PBCONV_TRUNC_HOST);

	/* the biggest possible event still encodes and decodes */
	{
		uint8_t *buf = malloc(sidewatch_SessionEvent_size);
		sidewatch_SessionEvent *back = calloc(1, sizeof(*back));
		pb_ostream_t os = pb_ostream_from_buffer(buf, sidewatch_SessionEvent_size);
		pb_istream_t is;

		assert_true(pb_encode(&os, sidewatch_SessionEvent_fields, o));
		is = pb_istream_from_buffer(buf, os.bytes_written);
		assert_true(pb_decode(&is, sidewatch_SessionEvent_fields, back));
		assert_int_equal(back->path.size, SESS_MAX_PATH - 1);
		assert_memory_equal(back->path.bytes, o->path.bytes, SESS_MAX_PATH - 1);
		assert_int_equal(back->trunc, o->trunc);
		free(buf);
		free(back);
	}
	free(big);
	free(ev);
	free(o);
}

static void test_str_cut_keeps_utf8_boundary(void **state)
{
	char dst[6];

	(void)state;
	/* "abcd" + é (2 bytes): 6 bytes do not fit in char[6] (5 + NUL) */
	assert_int_equal(pbfield_str(dst, sizeof(dst), "abcd\xc3\xa9"), 1);
	assert_string_equal(dst, "abcd");
	assert_int_equal(pbfield_str(dst, sizeof(dst), "abc"), 0);
	assert_string_equal(dst, "abc");
	assert_int_equal(pbfield_str(dst, sizeof(dst), NULL), 0);
	assert_string_equal(dst, "");
}

static void test_ipv6_and_missing_conn(void **state)
{
	struct sess_conn c = conn4();
	struct sess_event *ev = calloc(1, sizeof(*ev));
	sidewatch_SessionEvent *o = calloc(1, sizeof(*o));

	(void)state;
	c.family = AF_INET6;
	inet_pton(AF_INET6, "fd00::5", c.client_addr);
	sess_event_init(ev, SESS_PROTO_WEBSOCKET, &c);
	ev->ws_phase = SESS_WS_CLOSE;
	ev->close_code = 1006;
	ev->client_msgs = 3;
	assert_int_equal(pbconv_event(ev, NULL, NULL, 0, o), 0);
	assert_int_equal(o->src_ip.size, 16);
	assert_memory_equal(o->src_ip.bytes, c.client_addr, 16);
	assert_int_equal(o->ws_phase, sidewatch_WsPhase_WS_CLOSE);
	assert_int_equal(o->close_code, 1006);
	assert_int_equal(o->client_msgs, 3);

	sess_event_init(ev, SESS_PROTO_HTTP1, NULL);
	assert_int_equal(pbconv_event(ev, NULL, NULL, 0, o), 0);
	assert_int_equal(o->src_ip.size, 0);
	assert_int_equal(pbconv_event(NULL, NULL, NULL, 0, o), -EINVAL);
	free(ev);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps_http_fields_and_times),
		cmocka_unit_test(test_maps_verdict_extra_and_grpc),
		cmocka_unit_test(test_hostile_paths_carried_byte_exact),
		cmocka_unit_test(test_oversized_values_truncated_and_flagged),
		cmocka_unit_test(test_str_cut_keeps_utf8_boundary),
		cmocka_unit_test(test_ipv6_and_missing_conn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
