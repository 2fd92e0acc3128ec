/* test_grpc.c - gRPC helpers: message framing across arbitrary splits,
 * gaps, :path split, grpc-status and content-type parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/decode/grpc.h"
#include "collector/decode/h2_frame.h"

/* Three messages: "abc", "" (empty), "hello world". */
static const uint8_t three_msgs[] = {
	0, 0, 0, 0, 3, 'a', 'b', 'c',
	0, 0, 0, 0, 0,
	1, 0, 0, 0, 11, 'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd',
};

static void test_msgp_counts_messages_at_every_split(void **state)
{
	struct sess_event *ev = malloc(sizeof(*ev));
	size_t a, b;

	assert_non_null(ev);
	for (a = 0; a <= sizeof(three_msgs); a++) {
		for (b = a; b <= sizeof(three_msgs); b++) {
			struct grpc_msgp p = { 0 };

			sess_event_init(ev, SESS_PROTO_GRPC, NULL);
			grpc_msgp_feed(&p, three_msgs, a, ev);
			grpc_msgp_feed(&p, three_msgs + a, b - a, ev);
			grpc_msgp_feed(&p, three_msgs + b, sizeof(three_msgs) - b, ev);
			assert_int_equal(p.msgs, 3);
			assert_false(p.in_body);
			assert_int_equal(p.pfx_len, 0);
			assert_int_equal(ev->body_len, 14);
			assert_memory_equal(ev->body, "abchello world", 14);
		}
	}
	free(ev);
}

static void test_msgp_gap(void **state)
{
	static const struct { const char *name; size_t before; uint64_t gap; uint32_t msgs; int lost; } t[] = {
		{ "inside_first_body", 6, 2, 3, 0 },      /* 'b','c' lost: count exact */
		{ "ends_first_body", 5, 3, 3, 0 },
		{ "across_prefix", 7, 4, 1, 1 },          /* framing unknown after */
		{ "inside_prefix", 2, 1, 0, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct grpc_msgp p = { 0 };
		size_t after = t[i].before + (size_t)t[i].gap;

		grpc_msgp_feed(&p, three_msgs, t[i].before, NULL);
		grpc_msgp_gap(&p, t[i].gap);
		grpc_msgp_feed(&p, three_msgs + after, sizeof(three_msgs) - after, NULL);
		print_message("  gap %s\n", t[i].name);
		assert_int_equal(p.lost, t[i].lost);
		assert_int_equal(p.msgs, t[i].msgs);
	}
}

static void test_split_path(void **state)
{
	static const struct { const char *path; int rc; const char *svc, *rpc; } t[] = {
		{ "/helloworld.Greeter/SayHello", 0, "helloworld.Greeter", "SayHello" },
		{ "/a/b", 0, "a", "b" },
		{ "/a.B/", -1, "", "" },
		{ "//M", -1, "", "" },
		{ "/a/b/c", -1, "", "" },
		{ "no-slash", -1, "", "" },
		{ "", -1, "", "" },
	};
	struct sess_event *ev = malloc(sizeof(*ev));
	size_t i;

	assert_non_null(ev);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		sess_event_init(ev, SESS_PROTO_GRPC, NULL);
		assert_int_equal(grpc_split_path(t[i].path, strlen(t[i].path), ev),
				 t[i].rc ? -22 : 0);
		assert_string_equal(ev->service, t[i].svc);
		assert_string_equal(ev->rpc, t[i].rpc);
	}
	free(ev);
}

static void test_status_and_content_type(void **state)
{
	static const struct { const char *v; int st; } s[] = {
		{ "0", 0 }, { "5", 5 }, { "16", 16 }, { "", -1 }, { "-1", -1 },
		{ "5x", -1 }, { "1234567", -1 },
	};
	static const struct { const char *v; int yes; } ct[] = {
		{ "application/grpc", 1 }, { "application/grpc+proto", 1 },
		{ "Application/GRPC", 1 }, { "application/json", 0 }, { "application/grp", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		assert_int_equal(grpc_parse_status((const uint8_t *)s[i].v, strlen(s[i].v)), s[i].st);
	for (i = 0; i < sizeof(ct) / sizeof(ct[0]); i++)
		assert_int_equal(grpc_is_content_type((const uint8_t *)ct[i].v, strlen(ct[i].v)),
				 ct[i].yes);
}

static void test_frame_rules(void **state)
{
	static const struct { const char *name; uint8_t raw[9]; int dir, valid, plausible; } t[] = {
		{ "settings_empty", { 0, 0, 0, 4, 0, 0, 0, 0, 0 }, SESS_DIR_REQ, 1, 1 },
		{ "settings_on_stream", { 0, 0, 0, 4, 0, 0, 0, 0, 1 }, SESS_DIR_REQ, 0, 0 },
		{ "settings_len_7", { 0, 0, 7, 4, 0, 0, 0, 0, 0 }, SESS_DIR_REQ, 0, 0 },
		{ "data_stream_0", { 0, 0, 1, 0, 0, 0, 0, 0, 0 }, SESS_DIR_REQ, 0, 0 },
		{ "headers_ok", { 0, 0, 9, 1, 0x25, 0, 0, 0, 3 }, SESS_DIR_REQ, 1, 1 },
		{ "headers_undefined_flag", { 0, 0, 9, 1, 0x40, 0, 0, 0, 3 }, SESS_DIR_REQ, 1, 0 },
		{ "push_from_client", { 0, 0, 4, 5, 4, 0, 0, 0, 1 }, SESS_DIR_REQ, 0, 1 },
		{ "ping_len_8", { 0, 0, 8, 6, 0, 0, 0, 0, 0 }, SESS_DIR_RESP, 1, 1 },
		{ "unknown_type", { 0, 0, 3, 0x42, 0, 0, 0, 0, 0 }, SESS_DIR_REQ, 1, 0 },
		{ "reserved_bit", { 0, 0, 0, 4, 0, 0x80, 0, 0, 0 }, SESS_DIR_REQ, 1, 0 },
		{ "huge_data", { 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1 }, SESS_DIR_REQ, 1, 0 },
		{ "http1_text", { 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T' }, SESS_DIR_REQ, 1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct h2_frame_hdr h;

		h2_frame_hdr_parse(t[i].raw, &h);
		print_message("  frame %s\n", t[i].name);
		assert_int_equal(h2_frame_valid(&h, t[i].dir), t[i].valid);
		assert_int_equal(h2_frame_plausible(&h, 1u << 20), t[i].plausible);
	}
}

static void test_rate_window(void **state)
{
	struct h2_rate r = { 0 };
	int i, hits = 0;

	for (i = 0; i < 10; i++)
		hits += h2_rate_hit(&r, 1000 + (uint64_t)i, 10);
	assert_int_equal(hits, 0);
	for (i = 0; i < 50; i++)
		hits += h2_rate_hit(&r, 2000, 10);
	assert_int_equal(hits, 1);
	for (i = 0; i < 50; i++)
		hits += h2_rate_hit(&r, 2000000000ull, 10); /* next window */
	assert_int_equal(hits, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msgp_counts_messages_at_every_split),
		cmocka_unit_test(test_msgp_gap),
		cmocka_unit_test(test_split_path),
		cmocka_unit_test(test_status_and_content_type),
		cmocka_unit_test(test_frame_rules),
		cmocka_unit_test(test_rate_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
