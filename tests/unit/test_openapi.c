/* test_openapi.c - the inventory as OpenAPI 3.1: templated paths declare
 * their parameters (a repeated placeholder renamed), types and formats,
 * JSON bodies, security schemes, and hostile paths and names escaped. The
 * document is checked as JSON by jsonwalk here and by an OpenAPI validator
 * in tests/integration/inventory.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "collector/inventory/jsonwalk.h"
#include "collector/inventory/openapi.h"

static struct sess_conn conn = { .tls = 1 };

static void req(struct endpoint_table *t, const char *method, const char *path,
		const char *tmpl, const char *query, const char *auth,
		const char *body, int status)
{
	static struct sess_event ev;

	sess_event_init(&ev, SESS_PROTO_HTTP1, &conn);
	snprintf(ev.method, sizeof(ev.method), "%s", method);
	snprintf(ev.authority, sizeof(ev.authority), "shop.example");
	snprintf(ev.path, sizeof(ev.path), "%s", path);
	snprintf(ev.query, sizeof(ev.query), "%s", query);
	ev.status = status;
	if (auth)
		sess_add_hdr(&ev, "authorization", 13, auth, strlen(auth));
	if (body) {
		sess_add_hdr(&ev, "content-type", 12, "application/json", 16);
		sess_add_body(&ev, body, strlen(body));
	}
	assert_non_null(endpoint_observe(t, &ev, tmpl, 7));
}

static void nothing(void *ctx, const struct jsonwalk_item *it)
{
	(void)ctx;
	(void)it;
}

static void test_path_keys(void **state)
{
	char p[128];

	(void)state;
	assert_int_equal(openapi_path("/users/{id}/posts/{id}", p, sizeof(p)), 23);
	assert_string_equal(p, "/users/{id}/posts/{id4}");
	assert_true(openapi_path("/a{b}/c}", p, sizeof(p)) > 0);
	assert_string_equal(p, "/a%7Bb%7D/c%7D");
	assert_true(openapi_path("/{x y}", p, sizeof(p)) > 0);
	assert_string_equal(p, "/%7Bx y%7D");
	assert_int_equal(openapi_path("*", p, sizeof(p)), 0);
	assert_int_equal(openapi_path("/abcdefghijklmnop", p, 8), 0);
}

static void test_document(void **state)
{
	struct endpoint_table *t = endpoint_new(NULL);
	struct sbuf b = {0};
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/users/%d/posts/%d", 10 + i, 500 + i);
		req(t, "GET", path, "/users/{id}/posts/{id}", "limit=5&since=2026-01-02",
		    "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIiwiZXhwIjoxfQ.c2ln", NULL, 200);
	}
	for (i = 0; i < 2; i++)
		req(t, "POST", "/orders", "/orders", "", NULL,
		    "{\"sku\":\"A-1\",\"qty\":2,\"tags\":[\"x\"],\"email\":\"a@example.com\"}", 201);
	req(t, "post", "/orders", "/orders", "", NULL, "{\"qty\":3}", 400);
	req(t, "GET", "/a\"b\\c{d}", "/a\"b\\c{d}", "n\"ame=1", NULL, NULL, 404);
	req(t, "BREW", "/pot", "/pot", "", NULL, NULL, 418);
	assert_int_equal(openapi_write(t, "shop.example", "shop \"learned\"", &b), 0);
	assert_non_null(b.p);
	assert_int_equal(jsonwalk(b.p, b.len, b.len, nothing, NULL), 0);
	assert_non_null(strstr(b.p, "\"openapi\":\"3.1.0\""));
	assert_non_null(strstr(b.p, "\"title\":\"shop \\\"learned\\\"\""));
	assert_non_null(strstr(b.p, "\"/users/{id}/posts/{id4}\":{\"get\":"));
	assert_non_null(strstr(b.p, "{\"name\":\"id4\",\"in\":\"path\",\"required\":true,"
				    "\"schema\":{\"type\":\"integer\"}}"));
	assert_non_null(strstr(b.p, "{\"name\":\"since\",\"in\":\"query\",\"required\":true,"
				    "\"schema\":{\"type\":\"string\",\"format\":\"date-time\"}"));
	assert_non_null(strstr(b.p, "\"security\":[{\"bearerJWT\":[]}]"));
	/* POST and post are one operation, the most called standing */
	assert_non_null(strstr(b.p, "\"/orders\":{\"post\":"));
	assert_null(strstr(b.p, "\"/orders\":{\"post\":{\"operationId\":\"post_2\"},\"post\""));
	assert_non_null(strstr(b.p, "\"x-sidewatch-merged\":1"));
	assert_non_null(strstr(b.p, "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"));
	assert_non_null(strstr(b.p, "\"email\":{\"type\":\"string\",\"format\":\"email\"}"));
	/* hostile path and name: escaped, braces encoded, never raw */
	assert_non_null(strstr(b.p, "\"/a\\\"b\\\\c%7Bd%7D\""));
	assert_non_null(strstr(b.p, "\"name\":\"n\\\"ame\""));
	/* a method OpenAPI has no key for is left out */
	assert_null(strstr(b.p, "/pot"));
	sbuf_free(&b);
	endpoint_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_keys),
		cmocka_unit_test(test_document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
