/* test_tmpl.c - segment shapes, learned variables (/users/1..500 ->
 * /users/{id}, names -> {var}), static files kept, failures not learned,
 * id hashes, bounded learning table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "collector/detect/tmpl.h"

struct seg_case {
	const char *seg;
	enum tmpl_seg want;
};

static void segments_classified_by_shape(void **state)
{
	static const struct seg_case cases[] = {
		{ "123", TMPL_SEG_NUM },
		{ "0", TMPL_SEG_NUM },
		{ "123456789012345678901", TMPL_SEG_HEX }, /* too long for a number */
		{ "550e8400-e29b-41d4-a716-446655440000", TMPL_SEG_UUID },
		{ "550e8400-e29b-41d4-a716-44665544000", TMPL_SEG_TOKEN }, /* not a UUID, still an id */
		{ "deadbeef01", TMPL_SEG_HEX },
		{ "5f1d7a3c9b2e4f60", TMPL_SEG_HEX },
		{ "deadbeef", TMPL_SEG_LITERAL },        /* a word, no digit */
		{ "aGVsbG8gd29ybGQ9PT0xMjM0", TMPL_SEG_TOKEN },
		{ "tok_9fQ2LmZx81Ka0bWq", TMPL_SEG_TOKEN },
		{ "users", TMPL_SEG_LITERAL },
		{ "v1", TMPL_SEG_LITERAL },
		{ "app.js", TMPL_SEG_LITERAL },
		{ "my-long-article-title-slug", TMPL_SEG_LITERAL },
		{ "", TMPL_SEG_LITERAL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum tmpl_seg got = tmpl_classify(cases[i].seg, strlen(cases[i].seg));

		if (got != cases[i].want)
			fail_msg("segment '%s': got %d want %d", cases[i].seg, got, cases[i].want);
	}
}

static void numeric_ids_become_id(void **state)
{
	struct tmpl *t = tmpl_new(NULL);
	struct tmpl_result r, r2;
	char p[64];

	(void)state;
	for (int i = 1; i <= 500; i++) {
		snprintf(p, sizeof(p), "/users/%d", i);
		assert_int_equal(tmpl_observe(t, "api", "GET", p, 1, &r), 0);
		assert_string_equal(r.text, "/users/{id}");
		assert_int_equal(r.n_vars, 1);
	}
	tmpl_observe(t, "api", "GET", "/users/7", 1, &r);
	tmpl_observe(t, "api", "GET", "/users/8", 1, &r2);
	assert_true(r.key == r2.key);   /* one endpoint */
	assert_true(r.ids != r2.ids);   /* two objects */
	assert_true(r.ids != 0);
	tmpl_observe(t, "api", "POST", "/users/8", 1, &r2);
	assert_true(r.key != r2.key);   /* per method */
	tmpl_observe(t, "other", "GET", "/users/8", 1, &r2);
	assert_true(r.key != r2.key);   /* per host */
	tmpl_observe(t, "api", "GET", "/users/550e8400-e29b-41d4-a716-446655440000/orders/42", 1, &r);
	assert_string_equal(r.text, "/users/{uuid}/orders/{id}");
	assert_int_equal(r.n_vars, 2);
	tmpl_free(t);
}

static void static_file_stays(void **state)
{
	struct tmpl *t = tmpl_new(NULL);
	struct tmpl_result r;
	char p[64];

	(void)state;
	for (int i = 0; i < 100; i++) {
		tmpl_observe(t, "web", "GET", "/static/app.js", 1, &r);
		assert_string_equal(r.text, "/static/app.js");
		assert_int_equal(r.n_vars, 0);
		assert_true(r.ids == 0);
	}
	/* many distinct file names under one directory are still files */
	for (int i = 0; i < 100; i++) {
		snprintf(p, sizeof(p), "/static/chunk-%c%c.js", 'a' + i % 26, 'a' + i / 26);
		tmpl_observe(t, "web", "GET", p, 1, &r);
		assert_string_equal(r.text, p);
	}
	tmpl_observe(t, "web", "GET", "/", 1, &r);
	assert_string_equal(r.text, "/");
	tmpl_observe(t, "web", "GET", "//a//b/", 1, &r);
	assert_string_equal(r.text, "/a/b");
	tmpl_free(t);
}

static void names_learned_as_var_after_threshold(void **state)
{
	struct tmpl_config cfg = { .max_nodes = 1024, .learn_distinct = 10 };
	struct tmpl *t = tmpl_new(&cfg);
	struct tmpl_result r;
	char p[64];

	(void)state;
	for (int i = 0; i < 9; i++) {
		snprintf(p, sizeof(p), "/profiles/user%c%c/settings", 'a' + i, 'k');
		tmpl_observe(t, "api", "GET", p, 1, &r);
		assert_string_equal(r.text, p); /* not yet */
	}
	tmpl_observe(t, "api", "GET", "/profiles/zed/settings", 1, &r);
	assert_string_equal(r.text, "/profiles/{var}/settings");
	tmpl_observe(t, "api", "GET", "/profiles/someone-new/settings", 0, &r);
	assert_string_equal(r.text, "/profiles/{var}/settings");
	/* the sibling position under another prefix is not affected */
	tmpl_observe(t, "api", "GET", "/teams/core/settings", 0, &r);
	assert_string_equal(r.text, "/teams/core/settings");
	tmpl_free(t);
}

static void failed_requests_teach_nothing(void **state)
{
	struct tmpl_config cfg = { .max_nodes = 1024, .learn_distinct = 4 };
	struct tmpl *t = tmpl_new(&cfg);
	struct tmpl_result r;
	char p[64];

	(void)state;
	for (int i = 0; i < 50; i++) {
		snprintf(p, sizeof(p), "/admin%c", 'a' + i % 26);
		tmpl_observe(t, "api", "GET", p, 0 /* 404 */, &r);
	}
	tmpl_observe(t, "api", "GET", "/adminq", 0, &r);
	assert_string_equal(r.text, "/adminq");
	assert_int_equal(tmpl_nodes(t), 0);
	tmpl_free(t);
}

static void learning_table_bounded(void **state)
{
	struct tmpl_config cfg = { .max_nodes = 64, .learn_distinct = 24 };
	struct tmpl *t = tmpl_new(&cfg);
	struct tmpl_result r;
	char p[2100], host[32];

	(void)state;
	for (int i = 0; i < 2000; i++) {
		snprintf(host, sizeof(host), "h%d", i);
		tmpl_observe(t, host, "GET", "/a/b/c", 1, &r);
	}
	assert_true(tmpl_nodes(t) <= 64);
	assert_true(tmpl_evictions(t) > 0);
	/* a very long path: text is cut, key covers all */
	memset(p, 'x', sizeof(p) - 1);
	p[0] = '/';
	p[sizeof(p) - 1] = '\0';
	tmpl_observe(t, "h", "GET", p, 1, &r);
	assert_int_equal(strlen(r.text), TMPL_MAX_LEN - 1);
	tmpl_free(t);
}

/* L15: a path segment that is literally "{id}" (or carries braces) must
 * not read as a learned slot: braces in literal segments are written
 * percent-encoded, so "/users/{id}" sent by an attacker is its own
 * endpoint "/users/%7Bid%7D", not the template "/users/{id}". */
static void literal_braces_never_read_as_slot(void **state)
{
	struct tmpl *t = tmpl_new(NULL);
	struct tmpl_result r, lit;

	(void)state;
	assert_int_equal(tmpl_observe(t, "api", "GET", "/users/7", 1, &r), 0);
	assert_string_equal(r.text, "/users/{id}");
	assert_int_equal(tmpl_observe(t, "api", "GET", "/users/{id}", 1, &lit), 0);
	assert_string_equal(lit.text, "/users/%7Bid%7D");
	assert_int_equal(lit.n_vars, 0);
	assert_true(lit.key != r.key);
	assert_int_equal(tmpl_observe(t, "api", "GET", "/a}{b/{var}", 1, &lit), 0);
	assert_string_equal(lit.text, "/a%7D%7Bb/%7Bvar%7D");
	assert_null(strchr(lit.text, '{'));
	tmpl_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(segments_classified_by_shape),
		cmocka_unit_test(numeric_ids_become_id),
		cmocka_unit_test(static_file_stays),
		cmocka_unit_test(names_learned_as_var_after_threshold),
		cmocka_unit_test(failed_requests_teach_nothing),
		cmocka_unit_test(learning_table_bounded),
		cmocka_unit_test(literal_braces_never_read_as_slot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
