/* test_cred_shape.c - a request counts as carrying a credential for the
 * inventory (and so escapes unauthenticated_sensitive_data) only when the
 * credential is well-formed for its scheme: a Bearer token of a plausible
 * length and token68 characters or a JWT's shape, Basic that decodes to
 * user:password, an API key of a plausible length and charset. Junk ("x")
 * is no credential: an unauthenticated client sending it proves nothing
 * about the API, so an endpoint that answers it with personal data is
 * still flagged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "collector/inventory/endpoint.h"
#include "collector/inventory/posture.h"

#define JWT "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6OTk5OTk5OTk5OX0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU"

static struct sess_conn conn;

static const struct {
	const char *hname, *hval;
	enum endpoint_auth want;
	const char *h2n, *h2v; /* a second header, when the case needs one */
} cases[] = {
	{ "authorization", "x", ENDPOINT_AUTH_NONE },
	{ "authorization", "Bearer x", ENDPOINT_AUTH_NONE },
	{ "authorization", "Bearer null", ENDPOINT_AUTH_NONE },
	{ "authorization", "Bearer undefined", ENDPOINT_AUTH_NONE },
	{ "authorization", "Bearer a.b.c", ENDPOINT_AUTH_NONE },
	{ "authorization", "Bearer <script>alert(1)</script>", ENDPOINT_AUTH_NONE },
	{ "authorization", "Bearer 0123456789abcdef 0123456789", ENDPOINT_AUTH_NONE },
	{ "authorization", "Bearer mF_9.B5f-4.1JqM", ENDPOINT_AUTH_BEARER }, /* RFC 6750 */
	{ "authorization", "Bearer ya29.a0AfH6SMBx3kq9ZbT5-opaque_token", ENDPOINT_AUTH_BEARER },
	{ "authorization", "Bearer dGhpcyBpcyBhIHRva2Vu==", ENDPOINT_AUTH_BEARER },
	{ "authorization", "Bearer " JWT, ENDPOINT_AUTH_JWT },
	{ "authorization", "Basic x", ENDPOINT_AUTH_NONE },
	{ "authorization", "Basic Og==", ENDPOINT_AUTH_NONE },          /* ":" */
	{ "authorization", "Basic bm9jb2xvbg==", ENDPOINT_AUTH_NONE },  /* "nocolon" */
	{ "authorization", "Basic YWxpY2U6czNjcmV0", ENDPOINT_AUTH_BASIC }, /* alice:s3cret */
	/* an API key as the user, no password (Stripe's curl -u KEY:) */
	{ "authorization", "Basic c2tfdGVzdF80ZUMzOUhxTHlqV0RhcmpUMXpkcDdkYzo=", ENDPOINT_AUTH_BASIC },
	{ "x-api-key", "x", ENDPOINT_AUTH_NONE },
	{ "x-api-key", "test", ENDPOINT_AUTH_NONE },
	{ "x-api-key", "k3y 9f8e7d6c5b4a3921", ENDPOINT_AUTH_NONE },
	{ "x-api-key", "9f8e7d6c5b4a39210f1e2d3c", ENDPOINT_AUTH_APIKEY },
	{ "api-key", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", ENDPOINT_AUTH_APIKEY },
	/* placeholders copied from documentation are no credential */
	{ "x-api-key", "YOUR_API_KEY", ENDPOINT_AUTH_NONE },
	{ "authorization", "Bearer your_token_here", ENDPOINT_AUTH_NONE },
	{ "authorization", "Bearer aaaaaaaaaaaa", ENDPOINT_AUTH_NONE },
	{ "x-api-key", "changeme", ENDPOINT_AUTH_NONE },
	/* a JWT-looking value with a sub but junk around it */
	{ "authorization", "Bearer !!.eyJzdWIiOiJ4In0.!! junk", ENDPOINT_AUTH_NONE },
	/* a lone session cookie is weak unless it looks like a session id */
	{ "cookie", "PHPSESSID=x", ENDPOINT_AUTH_NONE },
	{ "cookie", "sid=1", ENDPOINT_AUTH_NONE },
	{ "cookie", "PHPSESSID=5f2b8c9e1a7d4c3b9e0f6a2d", ENDPOINT_AUTH_COOKIE },
	{ "authorization", "Basic YTo=", ENDPOINT_AUTH_NONE },             /* "a:" */
	/* every credential present is judged; the best one counts */
	{ "x-api-key", "undefined", ENDPOINT_AUTH_BEARER,
	  "authorization", "Bearer ya29.a0AfH6SMBx3kq9ZbT5-opaque_token" },
	/* optional white space the decoder keeps */
	{ "x-api-key", "9f8e7d6c5b4a39210f1e2d3c \t", ENDPOINT_AUTH_APIKEY },
	{ "authorization", "Basic YWxpY2U6czNjcmV0 ", ENDPOINT_AUTH_BASIC },
	/* short keys with mixed classes are real; 8 is the floor */
	{ "x-api-key", "a1b2c3d4e5", ENDPOINT_AUTH_APIKEY },
	{ "x-api-key", "a1b2c3d", ENDPOINT_AUTH_NONE },
};

static void credentials_by_shape(void **state)
{
	static struct sess_event ev;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct endpoint_table *t = endpoint_new(NULL);
		const struct endpoint *e;

		sess_event_init(&ev, SESS_PROTO_HTTP1, &conn);
		snprintf(ev.method, sizeof(ev.method), "GET");
		snprintf(ev.authority, sizeof(ev.authority), "api.example.com");
		snprintf(ev.path, sizeof(ev.path), "/customers");
		ev.status = 200;
		sess_add_hdr(&ev, cases[i].hname, strlen(cases[i].hname), cases[i].hval,
			     strlen(cases[i].hval));
		if (cases[i].h2n)
			sess_add_hdr(&ev, cases[i].h2n, strlen(cases[i].h2n), cases[i].h2v,
				     strlen(cases[i].h2v));
		sess_resp_hdr(&ev, "content-type", 12, "application/json", 16);
		sess_add_resp_body(&ev, "[{\"email\":\"a@example.com\"}]", 27);
		e = endpoint_observe(t, &ev, "/customers", 1);
		if (e->auth[cases[i].want] != 1)
			fail_msg("%s: %s: want %s", cases[i].hname, cases[i].hval,
				 endpoint_auth_names[cases[i].want]);
		assert_int_equal(e->ok_no_auth, cases[i].want == ENDPOINT_AUTH_NONE);
		assert_int_equal(e->unauth_data, cases[i].want == ENDPOINT_AUTH_NONE);
		endpoint_free(t);
	}
}

/* The posture finding: junk credentials on every call do not hide an
 * endpoint that hands out personal data to anyone. */
static void junk_credential_still_flagged(void **state)
{
	static struct sess_event ev;
	struct endpoint_table *t = endpoint_new(NULL);
	const struct endpoint *e = NULL;
	struct posture_finding f[POSTURE__COUNT];
	int n, found = 0;

	(void)state;
	for (int i = 0; i < 20; i++) {
		sess_event_init(&ev, SESS_PROTO_HTTP1, &conn);
		snprintf(ev.method, sizeof(ev.method), "GET");
		snprintf(ev.authority, sizeof(ev.authority), "api.example.com");
		snprintf(ev.path, sizeof(ev.path), "/customers");
		ev.status = 200;
		sess_add_hdr(&ev, "authorization", 13, "Bearer x", 8);
		sess_resp_hdr(&ev, "content-type", 12, "application/json", 16);
		sess_add_resp_body(&ev, "[{\"email\":\"a@example.com\",\"card\":\"4111111111111111\"}]", 53);
		e = endpoint_observe(t, &ev, "/customers", 1 + (uint64_t)i);
	}
	n = posture_check(t, e, f, POSTURE__COUNT);
	for (int i = 0; i < n; i++)
		found |= f[i].kind == POSTURE_UNAUTH_SENSITIVE;
	assert_true(found);
	endpoint_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(credentials_by_shape),
		cmocka_unit_test(junk_credential_still_flagged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
