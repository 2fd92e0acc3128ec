/* test_fwdfor.c - the client behind a trusted proxy (collector/detect/fwdfor.c):
 * X-Forwarded-For and Forwarded forms accepted and refused, the walk from
 * the right past trusted proxies, bounds, and the event-level resolve. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "collector/detect/fwdfor.h"
#include "collector/decode/sess.h"

struct fcase {
	int forwarded; /* 0: X-Forwarded-For, 1: Forwarded */
	const char *in;
	enum fwdfor_result want;
	const char *client; /* for FWDFOR_CLIENT */
};

static struct fwdfor_set trusted;

static int setup(void **state)
{
	char err[160];

	(void)state;
	return fwdfor_set_parse(&trusted, "10.213.5.0/24, 2001:db8:5::/48 192.0.2.1", err, sizeof(err));
}

static void check(const struct fcase *c)
{
	struct fwdfor_addr a;
	enum fwdfor_result r = c->forwarded ? fwdfor_forwarded(c->in, strlen(c->in), &trusted, &a)
					    : fwdfor_xff(c->in, strlen(c->in), &trusted, &a);
	char got[INET6_ADDRSTRLEN] = "";

	if (r == FWDFOR_CLIENT)
		inet_ntop(a.family, a.addr, got, sizeof(got));
	if (r != c->want || (r == FWDFOR_CLIENT && strcmp(got, c->client)))
		fail_msg("%s '%s': got %d %s, want %d %s", c->forwarded ? "Forwarded" : "XFF",
			 c->in, r, got, c->want, c->client ? c->client : "");
}

static void table(void **state)
{
	static const struct fcase cases[] = {
		/* X-Forwarded-For: accepted */
		{ 0, "10.213.9.9", FWDFOR_CLIENT, "10.213.9.9" },
		{ 0, "1.1.1.1, 10.213.9.9", FWDFOR_CLIENT, "10.213.9.9" },
		{ 0, "6.6.6.6,10.213.9.9, 10.213.5.7", FWDFOR_CLIENT, "10.213.9.9" },
		{ 0, " 10.213.9.9 ,\t10.213.5.7 ,192.0.2.1 ", FWDFOR_CLIENT, "10.213.9.9" },
		{ 0, "10.213.9.9:51234", FWDFOR_CLIENT, "10.213.9.9" },
		{ 0, "2001:db8:9::7", FWDFOR_CLIENT, "2001:db8:9::7" },
		{ 0, "[2001:db8:9::7]", FWDFOR_CLIENT, "2001:db8:9::7" },
		{ 0, "[2001:db8:9::7]:443, 2001:db8:5::1", FWDFOR_CLIENT, "2001:db8:9::7" },
		{ 0, "::ffff:10.213.9.9", FWDFOR_CLIENT, "10.213.9.9" },
		{ 0, "garbage-left-of-client, 10.213.9.9", FWDFOR_CLIENT, "10.213.9.9" },
		{ 0, "10.213.5.3, 192.0.2.1", FWDFOR_TRUSTED, NULL },
		{ 0, "unknown", FWDFOR_PEER, NULL },
		{ 0, "1.1.1.1, UNKNOWN", FWDFOR_PEER, NULL },
		/* X-Forwarded-For: refused */
		{ 0, "", FWDFOR_BAD, NULL },
		{ 0, "10.213.9.9,", FWDFOR_BAD, NULL },
		{ 0, "10.213.9.9, garbage", FWDFOR_BAD, NULL },
		{ 0, "10.213.9.9:", FWDFOR_BAD, NULL },
		{ 0, "10.213.9.9:123456", FWDFOR_BAD, NULL },
		{ 0, "10.213.9.9:8x", FWDFOR_BAD, NULL },
		{ 0, "10.213.9", FWDFOR_BAD, NULL },
		{ 0, "999.1.1.1", FWDFOR_BAD, NULL },
		{ 0, "[2001:db8::1", FWDFOR_BAD, NULL },
		{ 0, "[2001:db8::1]x", FWDFOR_BAD, NULL },
		{ 0, "[10.213.9.9]", FWDFOR_BAD, NULL },
		{ 0, "\"10.213.9.9\"", FWDFOR_BAD, NULL },
		{ 0, "10.213.9.9\r\nX: y", FWDFOR_BAD, NULL },
		{ 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", FWDFOR_BAD, NULL },
		/* Forwarded: accepted */
		{ 1, "for=10.213.9.9", FWDFOR_CLIENT, "10.213.9.9" },
		{ 1, "For=\"10.213.9.9:4711\";proto=https;by=10.213.5.1", FWDFOR_CLIENT, "10.213.9.9" },
		{ 1, "for=\"[2001:db8:9::7]:4711\"", FWDFOR_CLIENT, "2001:db8:9::7" },
		{ 1, "for=\"[2001:db8:9::7]\"", FWDFOR_CLIENT, "2001:db8:9::7" },
		{ 1, "for=1.1.1.1, for=10.213.9.9;proto=http, for=10.213.5.2", FWDFOR_CLIENT, "10.213.9.9" },
		{ 1, "proto=http; for=10.213.9.9 ; by=x", FWDFOR_CLIENT, "10.213.9.9" },
		{ 1, "for=10.213.5.2, for=\"[2001:db8:5::9]\"", FWDFOR_TRUSTED, NULL },
		{ 1, "for=_hidden", FWDFOR_PEER, NULL },
		{ 1, "for=1.1.1.1, for=unknown", FWDFOR_PEER, NULL },
		{ 1, "for=\"_gazonk\"", FWDFOR_PEER, NULL },
		{ 1, "proto=https;by=10.213.5.1", FWDFOR_PEER, NULL },
		/* Forwarded: refused */
		{ 1, "for=2001:db8:9::7", FWDFOR_BAD, NULL },
		{ 1, "for=\"10.213.9.9", FWDFOR_BAD, NULL },
		{ 1, "for=\"10.2\\13.9.9\"", FWDFOR_BAD, NULL },
		{ 1, "for=10.213.9.9;for=10.213.9.8", FWDFOR_BAD, NULL },
		{ 1, "for=10.213.9.9;garbage", FWDFOR_BAD, NULL },
		{ 1, "for=", FWDFOR_BAD, NULL },
		{ 1, "for=a\"b\"", FWDFOR_BAD, NULL },
		{ 1, "for=example.com", FWDFOR_BAD, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i]);
}

static void bounds(void **state)
{
	char big[FWDFOR_MAX_LEN + 64], hops[FWDFOR_MAX_HOPS * 12 + 16];
	struct fwdfor_addr a;
	size_t n = 0;

	(void)state;
	/* one byte over the bound, though the rightmost entry is fine */
	memset(big, ' ', sizeof(big));
	memcpy(big + FWDFOR_MAX_LEN + 1 - 10, "10.213.9.9", 10);
	assert_int_equal(fwdfor_xff(big, FWDFOR_MAX_LEN + 1, &trusted, &a), FWDFOR_BAD);
	assert_int_equal(fwdfor_xff(big + 1, FWDFOR_MAX_LEN, &trusted, &a), FWDFOR_CLIENT);
	/* FWDFOR_MAX_HOPS entries pass, one more is refused */
	for (int i = 0; i < FWDFOR_MAX_HOPS; i++)
		n += (size_t)sprintf(hops + n, "%s10.213.9.%d", i ? "," : "", i);
	assert_int_equal(fwdfor_xff(hops, n, &trusted, &a), FWDFOR_CLIENT);
	n += (size_t)sprintf(hops + n, ",10.213.9.99");
	assert_int_equal(fwdfor_xff(hops, n, &trusted, &a), FWDFOR_BAD);
}

static void set_parse(void **state)
{
	struct fwdfor_set s;
	char err[160] = "";
	uint8_t in[16] = { 10, 213, 5, 200 }, out[16] = { 10, 213, 6, 1 };

	(void)state;
	assert_int_equal(fwdfor_set_parse(&s, "", err, sizeof(err)), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(fwdfor_set_parse(&s, "10.213.5.77/24", err, sizeof(err)), 0);
	assert_true(fwdfor_set_has(&s, AF_INET, in));
	assert_false(fwdfor_set_has(&s, AF_INET, out));
	assert_false(fwdfor_set_has(&s, AF_INET6, in));
	assert_int_equal(fwdfor_set_parse(&s, "10.213.5.0/24, nginx.local", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'nginx.local'"));
	assert_int_equal(fwdfor_set_parse(&s, "10.0.0.0/33", err, sizeof(err)), -EINVAL);
}

static void resolve(void **state)
{
	struct sess_conn c = { .family = AF_INET };
	struct sess_event *ev = calloc(1, sizeof(*ev));
	struct fwdfor_addr a;
	char got[INET6_ADDRSTRLEN];

	(void)state;
	assert_non_null(ev);
	sess_event_init(ev, SESS_PROTO_HTTP1, &c);
	assert_int_equal(fwdfor_resolve(ev, &trusted, 0, &a), FWDFOR_PEER);
	/* two XFF headers are one list: the last one's right end first */
	sess_add_hdr(ev, "X-Forwarded-For", 15, "10.213.9.9", 10);
	sess_add_hdr(ev, "Forwarded", 9, "for=10.213.8.8", 14);
	sess_add_hdr(ev, "X-Forwarded-For", 15, "10.213.5.4", 10);
	assert_int_equal(fwdfor_resolve(ev, &trusted, 0, &a), FWDFOR_CLIENT);
	inet_ntop(a.family, a.addr, got, sizeof(got));
	assert_string_equal(got, "10.213.9.9");
	/* the header not chosen is never read */
	assert_int_equal(fwdfor_resolve(ev, &trusted, 1, &a), FWDFOR_CLIENT);
	inet_ntop(a.family, a.addr, got, sizeof(got));
	assert_string_equal(got, "10.213.8.8");
	/* headers cut to fit: the proxy's entry may be lost */
	ev->trunc |= SESS_TRUNC_HDRS;
	assert_int_equal(fwdfor_resolve(ev, &trusted, 0, &a), FWDFOR_BAD);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(bounds),
		cmocka_unit_test(set_parse),
		cmocka_unit_test(resolve),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
