/* test_curvekey.c - CURVE key files: what a key file may hold, a new pair
 * (modes, never over an existing key), and a first start cut short. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <zmq.h>

#include "common/curvekey.h"

#define KEY "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sw-curvekey-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *name, const char *text, char *path, size_t cap)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void read_cases(void **state)
{
	static const struct {
		const char *name, *text;
		int rc;
	} cases[] = {
		{ "plain", KEY, 0 },
		{ "newline", KEY "\n", 0 },
		{ "around whitespace", "  \t" KEY "\r\n\n", 0 },
		{ "too short", "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf\n", -EINVAL },
		{ "too long", KEY "x\n", -EINVAL },
		{ "two keys", KEY "\n" KEY "\n", -EINVAL },
		{ "empty", "", -EINVAL },
	};
	char path[256], out[CURVEKEY_Z85_LEN + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put("k", cases[i].text, path, sizeof(path));
		print_message("%s\n", cases[i].name);
		assert_int_equal(curvekey_read(path, out), cases[i].rc);
		if (!cases[i].rc)
			assert_string_equal(out, KEY);
	}
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(curvekey_read(path, out), -ENOENT);
}

static void read_bin(void **state)
{
	uint8_t raw[32], want[32];
	char path[256];

	(void)state;
	assert_non_null(zmq_z85_decode(want, KEY));
	put("bin", KEY "\n", path, sizeof(path));
	assert_int_equal(curvekey_read_bin(path, raw), 0);
	assert_memory_equal(raw, want, 32);
	/* 40 characters, but '"' is not a z85 digit */
	put("bad", "\"q:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n", path, sizeof(path));
	assert_int_equal(curvekey_read_bin(path, raw), -EINVAL);
}

static void make_pair(void **state)
{
	char sec_path[256], pub_path[256], pub[CURVEKEY_Z85_LEN + 1];
	char sec[CURVEKEY_Z85_LEN + 1], derived[CURVEKEY_Z85_LEN + 1];
	char again[CURVEKEY_Z85_LEN + 1], err[256] = "";
	struct stat st;

	(void)state;
	snprintf(sec_path, sizeof(sec_path), "%s/n.key", dir);
	snprintf(pub_path, sizeof(pub_path), "%s/n.pub", dir);
	assert_int_equal(curvekey_make_pair(sec_path, pub_path, pub, err, sizeof(err)), 0);
	assert_int_equal(stat(sec_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(pub_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(curvekey_read(sec_path, sec), 0);
	assert_int_equal(curvekey_read(pub_path, again), 0);
	assert_int_equal(zmq_curve_public(derived, sec), 0);
	assert_string_equal(derived, pub);
	assert_string_equal(again, pub);
	/* never over an existing key */
	assert_int_equal(curvekey_make_pair(sec_path, pub_path, again, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "n.key"));
	/* a first start: both exist, nothing touched */
	assert_int_equal(curvekey_ensure_pair(sec_path, pub_path, again, err, sizeof(err)), 0);
	/* cut short after the secret: the public half comes back */
	assert_int_equal(unlink(pub_path), 0);
	assert_int_equal(curvekey_ensure_pair(sec_path, pub_path, again, err, sizeof(err)), 1);
	assert_string_equal(again, pub);
	assert_int_equal(curvekey_read(pub_path, again), 0);
	assert_string_equal(again, pub);
	/* nothing yet: a new pair */
	unlink(sec_path);
	unlink(pub_path);
	assert_int_equal(curvekey_ensure_pair(sec_path, pub_path, again, err, sizeof(err)), 1);
	assert_int_equal(access(sec_path, F_OK), 0);
	assert_int_equal(access(pub_path, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_cases),
		cmocka_unit_test(read_bin),
		cmocka_unit_test(make_pair),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
