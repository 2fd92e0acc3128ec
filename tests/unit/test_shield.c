/* test_shield.c - the addresses a host never blocks: the built-in ranges,
 * never_block lists, the correlator's endpoint, this host's addresses, and
 * which blocks overlap them (a block covering a protected address, or one
 * inside a protected range). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "collector/detect/rules.h"
#include "collector/enforce/shield.h"

/* Does blocking cidr touch the shield? */
static int hits(const struct shield *s, const char *cidr)
{
	struct enforce_cidr c;

	if (enforce_cidr_parse(cidr, &c))
		fail_msg("bad test cidr %s", cidr);
	return shield_overlaps(s, c.family, c.addr, c.prefixlen) > 0;
}

struct ov_case {
	const char *block;
	int want;
};

static void test_builtin_and_never_block(void **state)
{
	static const struct ov_case cases[] = {
		{ "127.0.0.1/32", 1 },      /* loopback */
		{ "127.9.9.9/32", 1 },
		{ "::1/128", 1 },
		{ "169.254.169.254/32", 1 },/* the cloud metadata address */
		{ "fe80::1/128", 1 },
		{ "10.96.0.10/32", 1 },     /* inside never_block 10.96.0.0/12 */
		{ "10.96.0.0/11", 1 },      /* covers it */
		{ "10.0.0.0/8", 1 },        /* covers 10.96/12 and 10.213.0.1 */
		{ "0.0.0.0/0", 1 },
		{ "10.213.0.1/32", 1 },     /* named alone */
		{ "10.213.0.2/32", 0 },     /* its neighbour is fair game */
		{ "10.213.0.0/31", 1 },
		{ "10.213.0.2/31", 0 },
		{ "10.112.0.1/32", 0 },     /* just past 10.96.0.0/12 */
		{ "2001:db8::5/128", 1 },
		{ "2001:db8::6/128", 0 },
		{ "198.51.100.7/32", 0 },
		{ "::ffff:10.213.0.2/128", 0 },
		{ "::ffff:10.213.0.1/128", 1 }, /* IPv4 written as IPv6 */
		{ "::ffff:0:0/96", 1 },         /* every IPv4 address */
		{ "::/0", 1 },
		{ "2001:db8::/32", 1 },
	};
	struct shield s;
	char err[128];

	shield_init(&s);
	assert_int_equal(shield_add_list(&s, "10.96.0.0/12, 10.213.0.1,2001:db8::5", "never_block",
					 err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (hits(&s, cases[i].block) != cases[i].want)
			fail_msg("blocking %s: overlap %d, want %d", cases[i].block,
				 !cases[i].want, cases[i].want);
	/* the same network twice, written with host bits, is held once */
	{
		unsigned n = s.n;

		assert_int_equal(shield_add_list(&s, "10.96.1.2/12 10.96.0.0/12", "x", err, sizeof(err)), 0);
		assert_int_equal(s.n, n);
	}
	assert_int_equal(shield_add_list(&s, "10.0.0.1, bogus", "x", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'bogus'"));
	assert_int_equal(shield_add_list(&s, "10.0.0.0/33", "x", err, sizeof(err)), -EINVAL);
}

static void test_correlator_and_host(void **state)
{
	struct shield s;
	struct rules r;

	shield_init(&s);
	assert_int_equal(shield_add_endpoint(&s, "tcp://10.213.6.100:7450"), 1);
	assert_int_equal(shield_add_endpoint(&s, "tcp://[fd00::7]:7450"), 1);
	assert_int_equal(shield_add_endpoint(&s, "tcp://*:7450"), 0);
	assert_true(hits(&s, "10.213.6.100/32"));
	assert_true(hits(&s, "fd00::7/128"));
	assert_false(hits(&s, "10.213.6.101/32"));
	assert_true(shield_add_host(&s) >= 1); /* at least lo's 127.0.0.1 */

	/* the rules' allow list is shielded too */
	memset(&r, 0, sizeof(r));
	r.n_allow_cidr = 1;
	r.allow_cidr[0].family = AF_INET;
	r.allow_cidr[0].prefix = 24;
	inet_pton(AF_INET, "192.0.2.0", r.allow_cidr[0].addr);
	{
		char err[64];

		assert_int_equal(shield_build(&s, "", "tcp://127.0.0.1:7450", &r, err, sizeof(err)), 0);
		assert_true(hits(&s, "192.0.2.77/32"));
		assert_false(hits(&s, "192.0.3.1/32"));
		assert_int_equal(shield_build(&s, "nope", NULL, NULL, err, sizeof(err)), -EINVAL);
	}
}

/* With a ring (no correlator endpoint), every shard's host is never
 * blocked: a local verdict on a shard's address would cut this host's
 * own uplink to that shard. */
static void test_ring_hosts(void **state)
{
	char path[] = "/tmp/sw-test-shield-ring-XXXXXX";
	struct shield s;
	int fd;
	FILE *f;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "version 3\na tcp://10.213.77.1:7450 1\nb tcp://[fd00:213::9]:7460 1\n"
		   "c ipc:///tmp/x.sock 1\n");
	fclose(f);
	shield_init(&s);
	assert_false(hits(&s, "10.213.77.1/32"));
	assert_int_equal(shield_add_ring(&s, path, 0), 2);
	assert_true(hits(&s, "10.213.77.1/32"));
	assert_true(hits(&s, "fd00:213::9/128"));
	assert_false(hits(&s, "10.213.77.2/32"));
	/* a ring that cannot be read adds nothing and says why */
	assert_true(shield_add_ring(&s, "/nonexistent/ring.txt", 0) < 0);
	unlink(path);
}

/* A shard added to the ring while the collector runs is shielded by the
 * next refresh (tick_shield reads the ring again, addresses only: the
 * main loop must not wait on a name lookup). */
static void test_ring_grows(void **state)
{
	char path[] = "/tmp/sw-test-shield-ring-XXXXXX";
	struct shield s, fresh;
	unsigned added, removed;
	int fd;
	FILE *f;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "version 1\na tcp://10.213.77.1:7450 1\n");
	fclose(f);
	shield_init(&s);
	assert_int_equal(shield_add_ring(&s, path, 0), 1);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "version 2\na tcp://10.213.77.1:7450 1\nb tcp://10.213.77.2:7450 1\n"
		   "c tcp://shard-c.invalid:7450 1\n");
	fclose(f);
	memset(&fresh, 0, sizeof(fresh));
	/* addresses only: the name is not looked up (0 added for it) */
	assert_int_equal(shield_add_ring(&fresh, path, SHIELD_NUMERIC), 2);
	assert_int_equal(shield_refresh(&s, &fresh, NULL, &added, &removed), 0);
	assert_int_equal(added, 1);
	assert_int_equal(removed, 0);
	assert_true(hits(&s, "10.213.77.2/32"));
	/* the shard entries are not host-derived: a refresh without them
	 * (the ring shrank) keeps them */
	memset(&fresh, 0, sizeof(fresh));
	assert_int_equal(shield_refresh(&s, &fresh, NULL, &added, &removed), 0);
	assert_int_equal(removed, 0);
	assert_true(hits(&s, "10.213.77.2/32"));
	unlink(path);
}

static void test_bounded(void **state)
{
	struct shield s;
	char a[64];
	struct enforce_cidr c;

	shield_init(&s);
	for (unsigned i = 0; i < SHIELD_MAX + 10; i++) {
		snprintf(a, sizeof(a), "10.%u.%u.1", i / 256, i % 256);
		assert_int_equal(enforce_cidr_parse(a, &c), 0);
		shield_add(&s, &c, "x");
	}
	assert_int_equal(s.n, SHIELD_MAX);
	assert_int_equal(s.dropped, 14); /* 4 built in + 266 offered */
}


/* One key space with the kernel: IPv4 written as IPv6 is IPv4; a block that
 * only covers a protected address is told apart from one inside a range. */
static void test_mapped_and_containment(void **state)
{
	struct shield s;
	char err[128];
	struct enforce_cidr c;
	unsigned n;

	shield_init(&s);
	assert_int_equal(shield_add_list(&s, "::ffff:10.0.0.0/104, ::ffff:192.0.2.1", "nb",
					 err, sizeof(err)), 0);
	assert_true(hits(&s, "10.1.2.3/32"));
	assert_true(hits(&s, "::ffff:10.1.2.3/128"));
	assert_true(hits(&s, "192.0.2.0/24"));   /* covers the protected .1 */
	assert_false(hits(&s, "11.0.0.1/32"));

	assert_int_equal(enforce_cidr_parse("10.1.2.3/32", &c), 0);
	assert_true(shield_contains(&s, c.family, c.addr, c.prefixlen) > 0);
	assert_int_equal(enforce_cidr_parse("192.0.2.0/24", &c), 0);
	assert_int_equal(shield_contains(&s, c.family, c.addr, c.prefixlen), 0);
	assert_int_equal(enforce_cidr_parse("::ffff:10.9.9.9/128", &c), 0);
	assert_true(shield_contains(&s, c.family, c.addr, c.prefixlen) > 0);

	/* inside a range held: not held again (each veth's fe80:: address) */
	n = s.n;
	assert_int_equal(shield_add_list(&s, "fe80::1234, fe80::5678, 10.3.4.5", "own", err, sizeof(err)), 0);
	assert_int_equal(s.n, n);

	/* ::/0 holds every IPv6 and every IPv4 address */
	shield_init(&s);
	assert_int_equal(shield_add_list(&s, "::/0", "nb", err, sizeof(err)), 0);
	assert_true(hits(&s, "203.0.113.9/32"));
	assert_int_equal(enforce_cidr_parse("203.0.113.9", &c), 0);
	assert_true(shield_contains(&s, c.family, c.addr, c.prefixlen) > 0);
}

/* The operator's list comes first and must fit whole. */
static void test_build_refuses_an_overlong_never_block(void **state)
{
	static char list[SHIELD_MAX * 20];
	struct shield s;
	char err[128];
	size_t o = 0;

	for (unsigned i = 0; i < SHIELD_MAX; i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "10.%u.%u.1,", i / 256, i % 256);
	assert_int_equal(shield_build(&s, list, NULL, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "more than"));
	/* a list that fits comes before the host's own addresses */
	assert_int_equal(shield_build(&s, "10.200.0.1", NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(s.e[4].family, AF_INET);
	assert_string_equal(s.why[4], "never_block");
}

static void add_one(struct shield *s, const char *cidr, const char *why)
{
	struct enforce_cidr c;

	assert_int_equal(enforce_cidr_parse(cidr, &c), 0);
	assert_int_equal(shield_add(s, &c, why), 0);
}

/* Host addresses that go leave; new ones come; the operator's, the
 * correlator's and the trusted proxies' entries stay even when the host's
 * own address list no longer holds them. */
static void test_refresh_diff(void **state)
{
	static struct shield s, fresh;
	unsigned added, removed, before;

	(void)state;
	shield_init(&s);
	add_one(&s, "10.213.5.0/24", "never_block");
	add_one(&s, "192.0.2.9", "correlator");
	add_one(&s, "198.51.100.7", "trusted_proxy");
	add_one(&s, "203.0.113.1", "own");
	add_one(&s, "203.0.113.254", "gateway");
	add_one(&s, "2001:db8::1", "own");
	before = s.n;
	memset(&fresh, 0, sizeof(fresh));
	add_one(&fresh, "203.0.113.1", "own");       /* kept */
	add_one(&fresh, "203.0.113.77", "own");      /* new */
	add_one(&fresh, "10.213.5.9", "own");        /* inside never_block: not held again */
	add_one(&fresh, "203.0.113.253", "gateway"); /* the gateway moved */
	assert_int_equal(shield_refresh(&s, &fresh, NULL, &added, &removed), 0);
	assert_int_equal(added, 2);
	assert_int_equal(removed, 2);
	assert_int_equal(s.n, before);
	assert_true(hits(&s, "203.0.113.77"));
	assert_true(hits(&s, "203.0.113.253"));
	assert_true(hits(&s, "203.0.113.1"));
	assert_false(hits(&s, "203.0.113.254"));
	assert_false(hits(&s, "2001:db8::1"));
	assert_true(hits(&s, "10.213.5.9"));
	assert_true(hits(&s, "192.0.2.9"));
	assert_true(hits(&s, "198.51.100.7"));
	assert_true(hits(&s, "127.0.0.1"));
	/* the same again: nothing changes */
	assert_int_equal(shield_refresh(&s, &fresh, NULL, &added, &removed), 0);
	assert_int_equal(added + removed, 0);
	/* no host entry at all left: the operator's still stand */
	memset(&fresh, 0, sizeof(fresh));
	assert_int_equal(shield_refresh(&s, &fresh, NULL, &added, &removed), 0);
	assert_int_equal(removed, 3);
	assert_true(hits(&s, "192.0.2.9"));
	assert_true(hits(&s, "198.51.100.7"));
	assert_true(hits(&s, "10.213.5.0/24"));
}

/* The host's own address is also a trusted proxy (a node-local ingress
 * whose address later floats to another node): the operator named it, so
 * the host losing it removes nothing. The collector adds trusted_proxies
 * after the host's addresses. */
static void test_refresh_keeps_an_operator_entry_the_host_also_had(void **state)
{
	static struct shield s, fresh;
	unsigned added, removed;

	(void)state;
	shield_init(&s);
	add_one(&s, "203.0.113.5", "own");
	add_one(&s, "203.0.113.6", "gateway");
	add_one(&s, "203.0.113.5", "trusted_proxy");
	add_one(&s, "203.0.113.6/32", "never_block");
	add_one(&s, "203.0.113.5", "own"); /* a host entry never demotes one */
	memset(&fresh, 0, sizeof(fresh));
	assert_int_equal(shield_refresh(&s, &fresh, NULL, &added, &removed), 0);
	assert_int_equal(added, 0);
	assert_int_equal(removed, 0);
	assert_true(hits(&s, "203.0.113.5"));
	assert_true(hits(&s, "203.0.113.6"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_and_never_block),
		cmocka_unit_test(test_correlator_and_host),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_ring_hosts),
		cmocka_unit_test(test_ring_grows),
		cmocka_unit_test(test_mapped_and_containment),
		cmocka_unit_test(test_build_refuses_an_overlong_never_block),
		cmocka_unit_test(test_refresh_diff),
		cmocka_unit_test(test_refresh_keeps_an_operator_entry_the_host_also_had),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
