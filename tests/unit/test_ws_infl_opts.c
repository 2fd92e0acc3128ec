/* test_ws_infl_opts.c - the permessage-deflate window table's knobs
 * (issue 20): ws_inflate_windows and ws_inflate_windows_client default to
 * 256 and 8, are read from the file (deploy/collector.yaml documents
 * them with their defaults) and reach the connection table's WebSocket
 * settings; a value past the bound is refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "collector/config.h"

static void knobs(void **state)
{
	struct config cfg;
	char err[1024];

	(void)state;
	config_default(&cfg);
	assert_int_equal(cfg.ws_inflate_windows, 256);
	assert_int_equal(cfg.ws_inflate_windows_client, 8);
	assert_int_equal(config_set(&cfg, "ws_inflate_windows", "1024", err, sizeof(err)), 0);
	assert_int_equal(config_set(&cfg, "ws_inflate_windows_client", "0", err, sizeof(err)), 0);
	assert_int_equal(cfg.ws_inflate_windows, 1024);
	assert_int_equal(cfg.ws_inflate_windows_client, 0);
	assert_true(config_set(&cfg, "ws_inflate_windows", "9999999", err, sizeof(err)) < 0);
	assert_int_equal(cfg.ws_inflate_windows, 1024);
	/* the documented file parses and says the defaults */
	config_default(&cfg);
	cfg.ws_inflate_windows = cfg.ws_inflate_windows_client = 1;
	assert_int_equal(config_load(&cfg, "deploy/collector.yaml", err, sizeof(err)), 0);
	assert_int_equal(cfg.ws_inflate_windows, 256);
	assert_int_equal(cfg.ws_inflate_windows_client, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(knobs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
