/* test_corr_ring.c - the correlator's --ring and --shard (corr_config.c):
 * both or neither, the shard must be in the ring, a bad ring is refused
 * naming its file and line, the config file's keys and the options'
 * precedence over them. */
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

#include "common/ring.h"
#include "correlator/corr_config.h"
#include "correlator/fleet.h"

static char ring_path[] = "/tmp/test_corr_ring_XXXXXX";
static char bad_path[] = "/tmp/test_corr_ring_bad_XXXXXX";
static char cfg_path[] = "/tmp/test_corr_ring_cfg_XXXXXX";

static void put(char *path, const char *text)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int parse(struct corr_config *c, char *err, int argc, char **argv)
{
	static struct fleet_config fc;

	optind = 0; /* getopt starts over */
	err[0] = '\0';
	return corr_config_parse(c, &fc, argc, argv, err, 256);
}

static void ring_and_shard(void **state)
{
	struct corr_config c;
	char err[256];
	char *ok[] = { "c", "--ring", ring_path, "--shard", "b", NULL };
	char *none[] = { "c", NULL };
	char *alone[] = { "c", "--ring", ring_path, NULL };
	char *unknown[] = { "c", "--ring", ring_path, "--shard", "z\033", NULL };
	char *bad[] = { "c", "--ring", bad_path, "--shard", "a", NULL };
	char *file[] = { "c", "--config", cfg_path, NULL };
	char *file_opt[] = { "c", "--config", cfg_path, "--shard", "a", NULL };

	(void)state;
	assert_int_equal(parse(&c, err, 5, ok), 0);
	assert_non_null(c.ring);
	assert_int_equal(c.shard_idx, 1);
	assert_int_equal(ring_version(c.ring), 5);
	corr_config_free(&c);

	assert_int_equal(parse(&c, err, 1, none), 0);
	assert_null(c.ring);
	assert_int_equal(c.shard_idx, -1);
	corr_config_free(&c);

	assert_int_equal(parse(&c, err, 3, alone), -EINVAL);
	assert_non_null(strstr(err, "--ring and --shard go together"));
	corr_config_free(&c);

	assert_int_equal(parse(&c, err, 5, unknown), -EINVAL);
	assert_non_null(strstr(err, "shard 'z?' is not in the ring"));
	corr_config_free(&c);

	assert_int_equal(parse(&c, err, 5, bad), -EINVAL);
	assert_non_null(strstr(err, bad_path));
	assert_non_null(strstr(err, "line 3: weight"));
	corr_config_free(&c);

	assert_int_equal(parse(&c, err, 3, file), 0);
	assert_int_equal(c.shard_idx, 2);
	corr_config_free(&c);
	assert_int_equal(parse(&c, err, 5, file_opt), 0);
	assert_int_equal(c.shard_idx, 0);
	corr_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ring_and_shard),
	};
	char cfg[128];
	int rc;

	put(ring_path, "version 5\na ipc:///tmp/a 1\nb ipc:///tmp/b 1\nc ipc:///tmp/c 2\n");
	put(bad_path, "version 5\na ipc:///tmp/a 1\nb ipc:///tmp/b 0\n");
	snprintf(cfg, sizeof(cfg), "ring: %s\nshard: c\n", ring_path);
	put(cfg_path, cfg);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(ring_path);
	unlink(bad_path);
	unlink(cfg_path);
	return rc;
}
