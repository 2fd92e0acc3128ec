/* test_pgx.c - the correlator's libpq helpers: a failed connect gives one
 * line "WHAT: libpq's message" (no newline, no trailing space), bounded by
 * the buffer; a NULL connection is not connected. No server needed: port 1
 * on the loopback refuses at once. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "correlator/pgx.h"

#define NOWHERE "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2"

static void connect_refused_is_one_line(void **state)
{
	char err[512];
	PGconn *c;
	size_t n;

	(void)state;
	c = pgx_connect(NOWHERE, err, sizeof(err), "blocks: %s", "connect");
	assert_null(c);
	assert_true(strncmp(err, "blocks: connect: ", 17) == 0);
	assert_null(strchr(err, '\n'));
	assert_null(strchr(err, '\t'));
	n = strlen(err);
	assert_true(n > 17);
	assert_true(err[n - 1] != ' ');
}

static void bounded_by_the_buffer(void **state)
{
	static const size_t caps[] = { 1, 8, 17, 18, 40 };
	char err[64];

	(void)state;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		memset(err, 'x', sizeof(err));
		assert_null(pgx_connect(NOWHERE, err, caps[i], "fleet: connect"));
		assert_true(strlen(err) < caps[i]);
		assert_int_equal(err[caps[i]], 'x'); /* nothing past the cap */
	}
}

static void null_is_not_connected(void **state)
{
	(void)state;
	assert_int_equal(pgx_connected(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connect_refused_is_one_line),
		cmocka_unit_test(bounded_by_the_buffer),
		cmocka_unit_test(null_is_not_connected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
