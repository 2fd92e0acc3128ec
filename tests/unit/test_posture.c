/* test_posture.c - each posture finding fires on the traffic built for it
 * and not on the same endpoint served properly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "collector/inventory/posture.h"

static struct sess_conn plain, tls = { .tls = 1 };

/* resp: a JSON response body, or NULL */
static const struct endpoint *send_r(struct endpoint_table *t,
				     const struct sess_conn *c, const char *path,
				     const char *query, const char *hname,
				     const char *hval, const char *body,
				     const char *resp, int status)
{
	static struct sess_event ev;

	sess_event_init(&ev, SESS_PROTO_HTTP1, c);
	snprintf(ev.method, sizeof(ev.method), "GET");
	snprintf(ev.authority, sizeof(ev.authority), "api.example.com");
	snprintf(ev.path, sizeof(ev.path), "%s", path);
	snprintf(ev.query, sizeof(ev.query), "%s", query);
	ev.status = status;
	if (hname)
		sess_add_hdr(&ev, hname, strlen(hname), hval, strlen(hval));
	if (body) {
		sess_add_hdr(&ev, "content-type", 12, "application/json", 16);
		sess_add_body(&ev, body, strlen(body));
	}
	if (resp) {
		sess_resp_hdr(&ev, "Content-Type", 12, "application/json", 16);
		sess_add_resp_body(&ev, resp, strlen(resp));
	}
	return endpoint_observe(t, &ev, path, 1);
}

static const struct endpoint *send(struct endpoint_table *t,
				   const struct sess_conn *c, const char *path,
				   const char *query, const char *hname,
				   const char *hval, const char *body, int status)
{
	return send_r(t, c, path, query, hname, hval, body, NULL, status);
}

/* {"customers":[n customers with an email and a card each]} */
static const char *customers(int n)
{
	static char b[4096];
	size_t len = 0;
	int i;

	len += (size_t)snprintf(b + len, sizeof(b) - len, "{\"customers\":[");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(b + len, sizeof(b) - len,
					"%s{\"id\":%d,\"email\":\"u%d@example.com\","
					"\"card\":\"4111111111111111\"}",
					i ? "," : "", i, i);
	snprintf(b + len, sizeof(b) - len, "]}");
	return b;
}

static int has(const struct endpoint_table *t, const struct endpoint *e,
	       enum posture_kind k)
{
	struct posture_finding f[POSTURE__COUNT];
	int n = posture_check(t, e, f, POSTURE__COUNT), i;

	for (i = 0; i < n; i++)
		if (f[i].kind == k)
			return 1;
	return 0;
}

static int count(const struct endpoint_table *t, const struct endpoint *e)
{
	struct posture_finding f[POSTURE__COUNT];

	return posture_check(t, e, f, POSTURE__COUNT);
}

#define JWT_HS_EXP "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIiwiZXhwIjoxOTk5OTk5OTk5fQ.c2ln"
#define JWT_NONE   "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."
#define JWT_NOEXP  "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"
#define CUSTOMER   "{\"email\":\"a@example.com\",\"card\":\"4111111111111111\"}"

/* every kind is named and tagged: a kind added without its name would
 * print NULL in every report */
static void test_every_kind_named(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < POSTURE__COUNT; k++) {
		if (!posture_names[k] || !posture_names[k][0])
			fail_msg("posture kind %d has no name", k);
		if (!posture_owasp[k] || strncmp(posture_owasp[k], "API", 3) != 0)
			fail_msg("posture kind %d has no OWASP category", k);
	}
}

static void test_findings(void **state)
{
	struct endpoint_table *t = endpoint_new(NULL);
	const struct endpoint *e = NULL;
	int i;

	(void)state;
	/* properly served: JWT with exp over TLS, data, no finding */
	for (i = 0; i < 10; i++)
		e = send_r(t, &tls, "/v2/customers", "", "authorization",
			   JWT_HS_EXP, CUSTOMER, customers(3), 200);
	assert_int_equal(count(t, e), 0);

	/* sensitive data returned without credentials */
	for (i = 0; i < 10; i++)
		e = send_r(t, &tls, "/export", "", NULL, NULL, NULL, CUSTOMER, 200);
	assert_true(has(t, e, POSTURE_UNAUTH_SENSITIVE));
	assert_false(has(t, e, POSTURE_MIXED_AUTH));
	assert_false(has(t, e, POSTURE_BULK_EXPOSURE));
	/* ... but a sign-up that takes them, or a login that hands out a
	 * token, without prior credentials is how those work */
	for (i = 0; i < 10; i++)
		e = send_r(t, &tls, "/signup", "", NULL, NULL, CUSTOMER,
			   "{\"created\":1}", 201);
	assert_int_equal(count(t, e), 0);
	for (i = 0; i < 10; i++)
		e = send_r(t, &tls, "/login", "", NULL, NULL, NULL,
			   "{\"token\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln\"}",
			   200);
	assert_int_equal(e->data_resp[DATACLASS_JWT], 10);
	assert_int_equal(count(t, e), 0);

	/* bulk: one response with ENDPOINT_BULK customers, authenticated or
	 * not; one fewer is not bulk */
	for (i = 0; i < 6; i++)
		e = send_r(t, &tls, "/v2/all", "", "authorization", JWT_HS_EXP,
			   NULL, customers(i == 3 ? ENDPOINT_BULK : ENDPOINT_BULK - 1),
			   200);
	assert_true(has(t, e, POSTURE_BULK_EXPOSURE));
	assert_int_equal(e->bulk, 1);
	assert_int_equal(e->bulk_max, ENDPOINT_BULK);
	assert_int_equal(count(t, e), 1);
	for (i = 0; i < 6; i++)
		e = send_r(t, &tls, "/v2/some", "", "authorization", JWT_HS_EXP,
			   NULL, customers(ENDPOINT_BULK - 1), 200);
	assert_int_equal(count(t, e), 0);

	/* mixed: half with a key, half without, all 2xx */
	for (i = 0; i < 10; i++)
		e = send(t, &tls, "/orders", "", i % 2 ? "x-api-key" : NULL,
			 "k-1234567890", NULL, 200);
	assert_true(has(t, e, POSTURE_MIXED_AUTH));
	assert_false(has(t, e, POSTURE_UNAUTH_SENSITIVE));
	/* ... but not when the unauthenticated ones are refused */
	for (i = 0; i < 10; i++)
		e = send(t, &tls, "/guarded", "", i % 2 ? "x-api-key" : NULL,
			 "k-1234567890", NULL, i % 2 ? 200 : 401);
	assert_int_equal(count(t, e), 0);

	/* alg none and no exp, answered */
	for (i = 0; i < 6; i++)
		e = send(t, &tls, "/me", "", "authorization", JWT_NONE, NULL, 200);
	assert_true(has(t, e, POSTURE_JWT_ALG_NONE));
	assert_true(has(t, e, POSTURE_JWT_NO_EXP));
	for (i = 0; i < 6; i++)
		e = send(t, &tls, "/me2", "", "authorization", JWT_NONE, NULL, 401);
	assert_int_equal(count(t, e), 0);
	for (i = 0; i < 6; i++)
		e = send(t, &tls, "/me3", "", "authorization", JWT_NOEXP, NULL, 200);
	assert_true(has(t, e, POSTURE_JWT_NO_EXP));
	assert_false(has(t, e, POSTURE_JWT_ALG_NONE));

	/* a credential in the URL */
	for (i = 0; i < 6; i++)
		e = send(t, &tls, "/feed", "api_key=s3cr3t&page=2", NULL, NULL, NULL, 200);
	assert_true(has(t, e, POSTURE_CREDS_IN_URL));

	/* Basic in clear text, not over TLS */
	for (i = 0; i < 6; i++)
		e = send(t, &plain, "/admin", "", "authorization",
			 "Basic YWxpY2U6c2VjcmV0", NULL, 200);
	assert_true(has(t, e, POSTURE_BASIC_CLEAR));
	for (i = 0; i < 6; i++)
		e = send(t, &tls, "/admin2", "", "authorization",
			 "Basic YWxpY2U6c2VjcmV0", NULL, 200);
	assert_false(has(t, e, POSTURE_BASIC_CLEAR));

	/* /v1 still called beside /v2 */
	for (i = 0; i < 6; i++)
		e = send(t, &tls, "/v1/customers", "", "authorization", JWT_HS_EXP,
			 NULL, 200);
	assert_true(has(t, e, POSTURE_ZOMBIE_VERSION));
	e = endpoint_find(t, "api.example.com", "GET", "/v2/customers",
			  SESS_PROTO_HTTP1);
	assert_false(has(t, e, POSTURE_ZOMBIE_VERSION));
	assert_false(has(NULL, e, POSTURE_ZOMBIE_VERSION));

	/* too few calls: nothing */
	e = send(t, &plain, "/once", "token=abc", "authorization",
		 "Basic YWxpY2U6c2VjcmV0", NULL, 200);
	assert_int_equal(count(t, e), 0);
	endpoint_free(t);
}

static void test_version(void **state)
{
	char b[64];

	(void)state;
	assert_int_equal(posture_version("/v2/users", b, sizeof(b)), 2);
	assert_string_equal(b, "/{v}/users");
	assert_int_equal(posture_version("/api/v10/x/{id}", b, sizeof(b)), 10);
	assert_string_equal(b, "/api/{v}/x/{id}");
	assert_int_equal(posture_version("/video/v0/x", b, sizeof(b)), 0);
	assert_int_equal(posture_version("/vendors/x", b, sizeof(b)), 0);
	assert_int_equal(posture_version("/v2beta/x", b, sizeof(b)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_named),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
