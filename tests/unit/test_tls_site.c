/* test_tls_site.c - finding OpenSSL's internal read/write functions. The
 * machine code below is Debian 12's libssl.so.3 (OpenSSL 3.0), as objdump
 * shows it: SSL_read_ex at 0x354c0, SSL_read at 0x35430, ssl_read_internal
 * at 0x35290. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "collector/capture/tls_site.h"

static const uint8_t read_ex[] = { 0x48, 0x83, 0xec, 0x08, 0xe8, 0xc7, 0xfd,
				   0xff, 0xff, 0x31, 0xd2 };
static const uint8_t read_plain[] = {
	0x48, 0x83, 0xec, 0x18, 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00,
	0x00, 0x48, 0x89, 0x44, 0x24, 0x08, 0x31, 0xc0, 0x85, 0xd2, 0x78, 0x2f,
	0x48, 0x89, 0xe1, 0x48, 0x63, 0xd2, 0xe8, 0x3d, 0xfe, 0xff, 0xff,
	0x85, 0xc0 };
static const uint8_t internal_head[] = { 0x41, 0x55, 0x41, 0x54 };

static void wrapper_callee_is_the_call_target(void **state)
{
	uint64_t callee = 0;

	(void)state;
	assert_int_equal(tls_site_wrapper_callee(read_ex, sizeof(read_ex), 0x354c0,
					      &callee), 0);
	assert_int_equal(callee, 0x35290);
}

static void wrapper_needs_sub_then_call(void **state)
{
	uint8_t c[sizeof(read_ex)];
	uint64_t callee = 0;

	(void)state;
	/* SSL_read is not a thin wrapper: it sets up a stack slot first */
	assert_int_equal(tls_site_wrapper_callee(read_plain, sizeof(read_plain),
					      0x35430, &callee), -ENOENT);
	memcpy(c, read_ex, sizeof(c));
	c[4] = 0xe9; /* jmp, not call */
	assert_int_equal(tls_site_wrapper_callee(c, sizeof(c), 0x354c0, &callee),
			 -ENOENT);
	assert_int_equal(tls_site_wrapper_callee(read_ex, 8, 0x354c0, &callee),
			 -ENOENT); /* truncated */
}

/* The same wrapper as a CET build lays it out: endbr64 first. */
static void wrapper_after_endbr64(void **state)
{
	uint8_t c[4 + sizeof(read_ex)] = { 0xf3, 0x0f, 0x1e, 0xfa };
	uint64_t callee = 0;

	(void)state;
	memcpy(c + 4, read_ex, sizeof(read_ex));
	/* the call is 4 bytes later: its target too, for the same rel32 */
	assert_int_equal(tls_site_wrapper_callee(c, sizeof(c), 0x354c0, &callee), 0);
	assert_int_equal(callee, 0x35290 + 4);
	assert_int_equal(tls_site_endbr(c, sizeof(c)), 4);
	assert_int_equal(tls_site_endbr(read_ex, sizeof(read_ex)), 0);
	assert_int_equal(tls_site_endbr(c, 3), 0);
}

static void plain_call_found_only_for_its_target(void **state)
{
	(void)state;
	assert_int_equal(tls_site_calls(read_plain, sizeof(read_plain), 0x35430,
				     0x35290), 1);
	assert_int_equal(tls_site_calls(read_plain, sizeof(read_plain), 0x35430,
				     0x355a0), 0);
	/* the call ends at byte 35: a shorter view does not contain it */
	assert_int_equal(tls_site_calls(read_plain, 34, 0x35430, 0x35290), 0);
}

static void emulated_first_instructions(void **state)
{
	static const uint8_t sub[] = { 0x48, 0x83, 0xec, 0x18 };
	static const uint8_t push_rbp[] = { 0x55 };
	static const uint8_t endbr[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const uint8_t jmp_plt[] = { 0xff, 0x25, 0, 0, 0, 0 };

	(void)state;
	assert_true(tls_site_emulated(internal_head, sizeof(internal_head)));
	assert_true(tls_site_emulated(push_rbp, 1));
	assert_false(tls_site_emulated(sub, sizeof(sub)));
	assert_false(tls_site_emulated(endbr, sizeof(endbr)));
	assert_false(tls_site_emulated(jmp_plt, sizeof(jmp_plt)));
	assert_false(tls_site_emulated(internal_head, 1)); /* 0x41 alone: REX */
}

/* On the machine's own libssl: both internal functions are found, distinct,
 * and each starts with an emulated instruction. */
static void system_libssl(void **state)
{
	static const char *const paths[] = {
		"/usr/lib/x86_64-linux-gnu/libssl.so.3",
		"/lib/x86_64-linux-gnu/libssl.so.3",
	};
	struct tls_site_ssl us;

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (access(paths[i], R_OK))
			continue;
		assert_int_equal(tls_site_ssl_find(paths[i], &us), 0);
		assert_true(us.read_off > 0 && us.write_off > 0);
		assert_true(us.read_off != us.write_off);
		return;
	}
	fail_msg("no libssl.so.3 on this machine (tools/deps.sh installs it)");
}

static void not_openssl(void **state)
{
	struct tls_site_ssl us = { 1, 1 };

	(void)state;
	assert_int_equal(tls_site_ssl_find("/bin/sh", &us), -ENOENT);
	assert_int_equal(us.read_off, 0);
	assert_int_equal(tls_site_ssl_find("/nonexistent/libssl.so", &us), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrapper_callee_is_the_call_target),
		cmocka_unit_test(wrapper_needs_sub_then_call),
		cmocka_unit_test(wrapper_after_endbr64),
		cmocka_unit_test(plain_call_found_only_for_its_target),
		cmocka_unit_test(emulated_first_instructions),
		cmocka_unit_test(system_libssl),
		cmocka_unit_test(not_openssl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
