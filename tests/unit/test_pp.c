/* test_pp.c - PROXY protocol headers (collector/decode/pp.c): versions 1
 * and 2 as HAProxy's specification writes them, every prefix of a good
 * header asking for more, and malformed ones refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "collector/decode/pp.h"

#define L(s) (sizeof(s) - 1)

struct pp_case {
	const char *name;
	const char *in;
	size_t len;
	int want;          /* header length, or an enum pp_result */
	int family;
	const char *addr;  /* the client, as inet_ntop writes it */
	uint16_t port;
};

#define V2 "\r\n\r\n\0\r\nQUIT\n"

static const struct pp_case cases[] = {
	{ "v1 tcp4", "PROXY TCP4 192.0.2.7 10.0.0.1 5555 80\r\nGET / HTTP/1.1\r\n",
	  L("PROXY TCP4 192.0.2.7 10.0.0.1 5555 80\r\nGET / HTTP/1.1\r\n"),
	  L("PROXY TCP4 192.0.2.7 10.0.0.1 5555 80\r\n"), AF_INET, "192.0.2.7", 5555 },
	{ "v1 tcp6", "PROXY TCP6 2001:db8::7 2001:db8::1 65535 443\r\n",
	  L("PROXY TCP6 2001:db8::7 2001:db8::1 65535 443\r\n"),
	  L("PROXY TCP6 2001:db8::7 2001:db8::1 65535 443\r\n"), AF_INET6, "2001:db8::7", 65535 },
	{ "v1 tcp6 mapped v4", "PROXY TCP6 ::ffff:192.0.2.9 ::1 1 2\r\n",
	  L("PROXY TCP6 ::ffff:192.0.2.9 ::1 1 2\r\n"), L("PROXY TCP6 ::ffff:192.0.2.9 ::1 1 2\r\n"),
	  AF_INET, "192.0.2.9", 1 },
	{ "v1 unknown", "PROXY UNKNOWN\r\nGET", L("PROXY UNKNOWN\r\nGET"), L("PROXY UNKNOWN\r\n"), 0, NULL, 0 },
	{ "v1 unknown with addresses", "PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n",
	  L("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"),
	  L("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"), 0, NULL, 0 },
	{ "v1 partial", "PROXY TCP4 192.0.2.7 10.0", L("PROXY TCP4 192.0.2.7 10.0"), PP_MORE },
	{ "v1 six bytes", "PROXY ", 6, PP_MORE },
	{ "v1 three bytes", "PRO", 3, PP_MORE },
	{ "not proxy: POST", "POST / HTTP/1.1\r\n", L("POST / HTTP/1.1\r\n"), PP_NOT },
	{ "not proxy: PROXZ", "PROXZ TCP4", L("PROXZ TCP4"), PP_NOT },
	{ "not proxy: GET", "GET /", 5, PP_NOT },
	{ "v1 bare LF: no CRLF yet", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", L("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n"), PP_MORE },
	{ "v1 bad family", "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", L("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n"), PP_BAD },
	/* nginx takes the family from the text, not the keyword */
	{ "v1 v6 address as tcp4", "PROXY TCP4 2001:db8::5 ::1 1 2\r\n", L("PROXY TCP4 2001:db8::5 ::1 1 2\r\n"),
	  L("PROXY TCP4 2001:db8::5 ::1 1 2\r\n"), AF_INET6, "2001:db8::5", 1 },
	/* nginx reads octets and ports with leading zeros */
	{ "v1 zero-padded", "PROXY TCP4 001.002.003.004 5.6.7.8 00080 0000443\r\n",
	  L("PROXY TCP4 001.002.003.004 5.6.7.8 00080 0000443\r\n"),
	  L("PROXY TCP4 001.002.003.004 5.6.7.8 00080 0000443\r\n"), AF_INET, "1.2.3.4", 80 },
	/* a token of address characters that is no address: nginx keeps the
	 * connection (realip ignores it); no client named */
	{ "v1 token that is no address", "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", L("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n"),
	  L("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n"), 0, NULL, 0 },
	{ "v1 letter out of hex in address", "PROXY TCP4 1.2.3.g 5.6.7.8 1 2\r\n",
	  L("PROXY TCP4 1.2.3.g 5.6.7.8 1 2\r\n"), PP_BAD },
	/* UNKNOWN: nginx skips to the first CRLF, wherever it is: the line
	 * after a bare LF is part of the header, the request is after it */
	{ "v1 unknown to the first CRLF", "PROXY UNKNOWN\nGET /ok HTTP/1.1\r\nGET /evil HTTP/1.1\r\n",
	  L("PROXY UNKNOWN\nGET /ok HTTP/1.1\r\nGET /evil HTTP/1.1\r\n"),
	  L("PROXY UNKNOWN\nGET /ok HTTP/1.1\r\n"), 0, NULL, 0 },
	{ "v1 port too big", "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", L("PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n"), PP_BAD },
	{ "v1 port not a number", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2x\r\n", L("PROXY TCP4 1.2.3.4 5.6.7.8 1 2x\r\n"), PP_BAD },
	{ "v1 missing port", "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", L("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n"), PP_BAD },
	{ "v1 double space", "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", L("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n"), PP_BAD },
	{ "v1 no CRLF in 107 bytes: more",
	  "PROXY TCP4 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  107, PP_MORE },
	{ "v2 proxy tcp4", V2 "\x21\x11\x00\x0c\xc0\x00\x02\x07\x0a\x00\x00\x01\x15\xb3\x00\x50GET",
	  28 + 3, 28, AF_INET, "192.0.2.7", 5555 },
	{ "v2 proxy tcp6 with a TLV",
	  V2 "\x21\x21\x00\x27" "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x07"
	  "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01" "\x01\xbb\x00\x50" "\x04\x00\x00",
	  16 + 39, 16 + 39, AF_INET6, "2001:db8::7", 443 },
	{ "v2 local", V2 "\x20\x00\x00\x00", 16, 16, 0, NULL, 0 },
	{ "v2 unspec", V2 "\x21\x00\x00\x00", 16, 16, 0, NULL, 0 },
	{ "v2 header only so far", V2 "\x21\x11\x00\x0c\xc0\x00", 18, PP_MORE },
	{ "v2 signature part", "\r\n\r\n\0\r", 6, PP_MORE },
	{ "crlf then request is not v2", "\r\nGET / HTTP/1.1\r\n", L("\r\nGET / HTTP/1.1\r\n"), PP_NOT },
	{ "v2 version 1", V2 "\x11\x11\x00\x0c", 16, PP_BAD },
	/* what nginx skips whole: another command, transport or family */
	{ "v2 command 2: skipped", V2 "\x22\x11\x00\x0c", 16, 28, 0, NULL, 0 },
	{ "v2 udp: skipped", V2 "\x21\x12\x00\x0c", 16, 28, 0, NULL, 0 },
	{ "v2 tcp4 too short", V2 "\x21\x11\x00\x04\xc0\x00\x02\x07", 20, PP_BAD },
	{ "v2 family 5: skipped", V2 "\x21\x51\x00\x00", 16, 16, 0, NULL, 0 },
	/* longer than anything held: known by its addresses, the rest skipped */
	{ "v2 longer than PP_MAX", V2 "\x21\x11\x04\x00\xc0\x00\x02\x07\x0a\x00\x00\x01\x15\xb3\x00\x50",
	  28, 16 + 1024, AF_INET, "192.0.2.7", 5555 },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pp_case *c = &cases[i];
		struct pp_info pi;
		char ip[64] = "";
		int r = pp_parse((const uint8_t *)c->in, c->len, &pi);

		if (r != c->want)
			fail_msg("%s: got %d, want %d", c->name, r, c->want);
		if (r <= 0)
			continue;
		if (pi.family != c->family)
			fail_msg("%s: family %d, want %d", c->name, pi.family, c->family);
		if (c->addr) {
			inet_ntop(pi.family, pi.addr, ip, sizeof(ip));
			if (strcmp(ip, c->addr) || pi.port != c->port)
				fail_msg("%s: %s port %u, want %s port %u", c->name, ip, pi.port,
					 c->addr, c->port);
		}
	}
}

/* Every proper prefix of a good header asks for more (a v2 header may be
 * known before its TLVs are in); none is refused. */
static void test_prefixes_ask_for_more(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pp_case *c = &cases[i];
		struct pp_info pi;

		if (c->want <= 0)
			continue;
		for (int n = 1; n < c->want && (size_t)n < c->len; n++) {
			int r = pp_parse((const uint8_t *)c->in, (size_t)n, &pi);

			/* a v2 header is known once its addresses are in */
			if (r != PP_MORE && !(c->in[0] == '\r' && r == c->want))
				fail_msg("%s: prefix of %d gave %d", c->name, n, r);
		}
	}
}

/* A v1 line with no CRLF within PP_MAX bytes is refused. */
static void test_v1_bounded(void **state)
{
	static uint8_t buf[PP_MAX + 10];
	struct pp_info pi;
	(void)state;

	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "PROXY UNKNOWN ", 14);
	assert_int_equal(pp_parse(buf, PP_MAX - 1, &pi), PP_MORE);
	assert_int_equal(pp_parse(buf, sizeof(buf), &pi), PP_BAD);
	memcpy(buf + PP_MAX - 2, "\r\n", 2);
	assert_int_equal(pp_parse(buf, sizeof(buf), &pi), PP_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_prefixes_ask_for_more),
		cmocka_unit_test(test_v1_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
