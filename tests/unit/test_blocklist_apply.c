/* test_blocklist_apply.c - the fleet block list on this host: which addresses and
 * networks are loopback (never dropped). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "collector/enforce/blocklist_apply.h"

static const struct {
	const char *net;
	unsigned len;
	int covers;
} nets[] = {
	{ "127.0.0.1", 32, 1 },
	{ "127.0.0.0", 8, 1 },
	{ "0.0.0.0", 0, 1 },
	{ "64.0.0.0", 2, 1 },      /* 64.0.0.0 - 127.255.255.255 */
	{ "126.0.0.0", 7, 1 },     /* 126.0.0.0 - 127.255.255.255 */
	{ "128.0.0.0", 1, 0 },
	{ "127.0.0.2", 32, 0 },    /* loopback, but not the address locals use */
	{ "10.213.0.0", 16, 0 },
	{ "::1", 128, 1 },
	{ "::", 0, 1 },
	{ "::ffff:127.0.0.0", 104, 1 },
	{ "::ffff:0.0.0.0", 96, 1 },
	{ "2001:db8::", 32, 0 },
	{ "::2", 128, 0 },
};

static void networks_covering_loopback(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++) {
		uint8_t a[16] = { 0 };
		int fam = strchr(nets[i].net, ':') ? AF_INET6 : AF_INET;

		assert_int_equal(inet_pton(fam, nets[i].net, a), 1);
		if (blocklist_apply_covers_loopback((uint8_t)fam, a, nets[i].len) != nets[i].covers)
			fail_msg("%s/%u: want %d", nets[i].net, nets[i].len, nets[i].covers);
	}
}

static void loopback_addresses(void **state)
{
	uint8_t a[16];

	(void)state;
	inet_pton(AF_INET, "127.9.8.7", a);
	assert_true(blocklist_apply_is_loopback(AF_INET, a));
	inet_pton(AF_INET, "10.213.1.1", a);
	assert_false(blocklist_apply_is_loopback(AF_INET, a));
	inet_pton(AF_INET6, "::1", a);
	assert_true(blocklist_apply_is_loopback(AF_INET6, a));
	inet_pton(AF_INET6, "::ffff:127.0.0.1", a);
	assert_true(blocklist_apply_is_loopback(AF_INET6, a));
	inet_pton(AF_INET6, "::ffff:10.0.0.1", a);
	assert_false(blocklist_apply_is_loopback(AF_INET6, a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(networks_covering_loopback),
		cmocka_unit_test(loopback_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
