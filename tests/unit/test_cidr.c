/* test_cidr.c - the one prefix parser (common/cidr.c): the forms the rule
 * file, the enforcement tools and the fleet block list accept, the ones
 * they refuse, and host bits kept until cleared. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "common/cidr.h"

struct pcase {
	const char *in;
	int rc;
	uint8_t family, prefixlen;
	const char *addr; /* as written, host bits kept */
};

static void parse_table(void **state)
{
	static const struct pcase cases[] = {
		{ "10.213.2.2", 0, AF_INET, 32, "10.213.2.2" },
		{ "10.213.2.77/16", 0, AF_INET, 16, "10.213.2.77" },
		{ "0.0.0.0/0", 0, AF_INET, 0, "0.0.0.0" },
		{ "10.0.0.0/008", 0, AF_INET, 8, "10.0.0.0" },
		{ "::1", 0, AF_INET6, 128, "::1" },
		{ "2001:db8::1/32", 0, AF_INET6, 32, "2001:db8::1" },
		{ "::ffff:10.9.9.9/128", 0, AF_INET6, 128, "::ffff:10.9.9.9" },
		{ "10.0.0.0/33", -EINVAL, 0, 0, NULL },
		{ "::/129", -EINVAL, 0, 0, NULL },
		{ "10.0.0.0/", -EINVAL, 0, 0, NULL },
		{ "10.0.0.0/-1", -EINVAL, 0, 0, NULL },
		{ "10.0.0.0/+8", -EINVAL, 0, 0, NULL },
		{ "10.0.0.0/ 8", -EINVAL, 0, 0, NULL },
		{ "10.0.0.0/8x", -EINVAL, 0, 0, NULL },
		{ "10.0.0.0/99999999999999999999", -EINVAL, 0, 0, NULL },
		{ "10.213.9/8", -EINVAL, 0, 0, NULL },
		{ "/8", -EINVAL, 0, 0, NULL },
		{ "", -EINVAL, 0, 0, NULL },
		{ "example.com/8", -EINVAL, 0, 0, NULL },
		{ "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb/64",
		  -EINVAL, 0, 0, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pcase *t = &cases[i];
		struct cidr c;
		uint8_t want[16] = { 0 };

		print_message("parse: %s\n", t->in);
		assert_int_equal(cidr_parse(t->in, &c), t->rc);
		if (t->rc) {
			assert_int_equal(c.family, 0);
			continue;
		}
		assert_int_equal(c.family, t->family);
		assert_int_equal(c.prefixlen, t->prefixlen);
		assert_int_equal(inet_pton(t->family, t->addr, want), 1);
		assert_memory_equal(c.addr, want, 16);
	}
}

static void clear_host_bits(void **state)
{
	struct cidr c;
	uint8_t want4[16] = { 10, 213, 0, 0 };
	uint8_t want6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0x80 };

	(void)state;
	assert_int_equal(cidr_parse("10.213.2.77/16", &c), 0);
	cidr_clear_host_bits(c.addr, c.prefixlen);
	assert_memory_equal(c.addr, want4, 16);
	assert_int_equal(cidr_parse("2001:db8:ffff:ffff::1/41", &c), 0);
	cidr_clear_host_bits(c.addr, c.prefixlen);
	assert_memory_equal(c.addr, want6, 16);
	assert_int_equal(cidr_parse("255.255.255.255/0", &c), 0);
	cidr_clear_host_bits(c.addr, c.prefixlen);
	assert_memory_equal(c.addr, (uint8_t[16]){ 0 }, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_table),
		cmocka_unit_test(clear_host_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
