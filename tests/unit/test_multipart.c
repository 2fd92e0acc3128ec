/* test_multipart.c - the multipart/form-data splitter: boundaries, parts,
 * lenient line ends, and its bounds (parts, header bytes) counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/detect/multipart.h"

struct seen {
	unsigned n;
	char names[80][16];
	char data[80][64];
	int file[80];
};

static void on_part(void *ctx, const struct multipart_part *p)
{
	struct seen *s = ctx;

	if (s->n >= 80)
		fail_msg("too many parts");
	snprintf(s->names[s->n], sizeof(s->names[0]), "%.*s",
		 p->name ? (int)p->name_len : 0, p->name ? p->name : "");
	snprintf(s->data[s->n], sizeof(s->data[0]), "%.*s", (int)p->len, p->data);
	s->file[s->n] = p->filename != NULL;
	s->n++;
}

static void test_boundary(void **state)
{
	char b[MULTIPART_BOUNDARY_MAX + 1];
	char long_ct[128];

	(void)state;
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=abc", 33, b), 3);
	assert_string_equal(b, "abc");
	assert_int_equal(multipart_boundary("multipart/form-data;BOUNDARY=\"a b;c\"", 36, b), 5);
	assert_string_equal(b, "a b;c");
	assert_int_equal(multipart_boundary("multipart/form-data", 19, b), 0);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=", 30, b), 0);
	snprintf(long_ct, sizeof(long_ct), "multipart/form-data; boundary=%071d", 0);
	assert_int_equal(multipart_boundary(long_ct, strlen(long_ct), b), 0);
}

static void test_parts(void **state)
{
	static const char body[] =
		"ignored preamble\r\n"
		"--xy\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
		"--xy  \nCONTENT-DISPOSITION: form-data; filename=\"f.txt\"; name=b\n\ntwo\n"
		"--xy\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\nthree --xy inside\r\n"
		"--xy--\r\nepilogue";
	struct seen s = { 0 };
	struct multipart_stats st;

	(void)state;
	assert_int_equal(multipart_each(body, sizeof(body) - 1, "xy", 2, 0, on_part, &s, &st), 3);
	assert_string_equal(s.names[0], "a");
	assert_string_equal(s.data[0], "one");
	assert_string_equal(s.names[1], "b");
	assert_int_equal(s.file[1], 1);
	assert_string_equal(s.data[1], "two");
	assert_string_equal(s.data[2], "three --xy inside");
	/* a window starts inside a part: its leading bytes are one */
	memset(&s, 0, sizeof(s));
	assert_int_equal(multipart_each(body + 4, 20, "xy", 2, 1, on_part, &s, NULL), 1);
	assert_string_equal(s.data[0], "red preamble");
	/* cut short: the last part runs to the end kept */
	memset(&s, 0, sizeof(s));
	assert_int_equal(multipart_each(body, 80, "xy", 2, 0, on_part, &s, NULL), 1);
	assert_string_equal(s.data[0], "one");
}

static void test_bounds(void **state)
{
	static char body[8192];
	struct seen s = { 0 };
	struct multipart_stats st;
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < 70; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "--b\r\nContent-Disposition: form-data; name=\"p%d\"\r\n\r\nv%d\r\n", i, i);
	n += (size_t)snprintf(body + n, sizeof(body) - n, "--b--\r\n");
	assert_int_equal(multipart_each(body, n, "b", 1, 0, on_part, &s, &st), MULTIPART_MAX_PARTS);
	assert_int_equal(st.over_parts, 70 - MULTIPART_MAX_PARTS);
	assert_string_equal(s.data[MULTIPART_MAX_PARTS - 1], "v63");
	/* a header block past its bound: counted, its bytes still read */
	memset(&s, 0, sizeof(s));
	n = (size_t)snprintf(body, sizeof(body), "--b\r\nX-Pad: ");
	memset(body + n, 'a', 3000);
	n += 3000;
	n += (size_t)snprintf(body + n, sizeof(body) - n, "\r\n\r\nhidden' or 1=1--\r\n--b--");
	assert_int_equal(multipart_each(body, n, "b", 1, 0, on_part, &s, &st), 1);
	assert_int_equal(st.bad_headers, 1);
	assert_non_null(strstr(body, "hidden"));
	assert_int_equal(strncmp(s.data[0], "X-Pad: aaa", 10), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
