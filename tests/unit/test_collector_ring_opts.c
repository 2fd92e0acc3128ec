/* test_collector_ring_opts.c - the collector's shard ring setting (issue
 * 25): --ring FILE and the config key ring reach struct config (the option
 * over the file), a value too long for it is refused with the key named,
 * and the unknown-key message lists ring; and resp_skip (issue 22): on by
 * default, off from the file or the environment, a bad value refused. */
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

#include "collector/config.h"
#include "collector/opts.h"

static void ring_key_and_option(void **state)
{
	struct config cfg;
	char err[1024], yaml[] = "/tmp/test_ring_opts.XXXXXX";
	char *argv[] = { "sidewatch-collector", "--ring", "/etc/sw/ring-b.txt", NULL };
	const char *cfg_path = NULL;
	uint32_t duration = 0;
	int no_tls = 0, fd;
	char big[400];

	(void)state;
	config_default(&cfg);
	assert_string_equal(cfg.ring, "");
	/* the file */
	fd = mkstemp(yaml);
	assert_true(fd >= 0);
	assert_true(write(fd, "ring: /etc/sw/ring-a.txt\n", 25) == 25);
	close(fd);
	assert_int_equal(config_load(&cfg, yaml, err, sizeof(err)), 0);
	unlink(yaml);
	assert_string_equal(cfg.ring, "/etc/sw/ring-a.txt");
	/* the option over the file */
	assert_int_equal(opts_parse(3, argv, &cfg, &cfg_path, &duration, &no_tls, 0), 0);
	assert_int_equal(opts_parse(3, argv, &cfg, &cfg_path, &duration, &no_tls, 1), 0);
	assert_string_equal(cfg.ring, "/etc/sw/ring-b.txt");
	/* too long: refused, named, the value kept */
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(config_set(&cfg, "ring", big, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "ring is longer than"));
	assert_string_equal(cfg.ring, "/etc/sw/ring-b.txt");
	/* the unknown-key message lists it */
	assert_int_equal(config_set(&cfg, "rings", "x", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, " ring,"));
}

static void resp_skip_key(void **state)
{
	struct config cfg;
	char err[1024];

	(void)state;
	config_default(&cfg);
	assert_int_equal(cfg.resp_skip, 1);
	assert_int_equal(config_set(&cfg, "resp_skip", "false", err, sizeof(err)), 0);
	assert_int_equal(cfg.resp_skip, 0);
	assert_int_equal(config_set(&cfg, "resp_skip", "on", err, sizeof(err)), 0);
	assert_int_equal(cfg.resp_skip, 1);
	assert_true(config_set(&cfg, "resp_skip", "maybe", err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "resp_skip"));
	assert_int_equal(cfg.resp_skip, 1);
	setenv("SIDEWATCH_RESP_SKIP", "off", 1);
	assert_int_equal(config_env(&cfg, err, sizeof(err)), 0);
	unsetenv("SIDEWATCH_RESP_SKIP");
	assert_int_equal(cfg.resp_skip, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ring_key_and_option),
		cmocka_unit_test(resp_skip_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
