/* test_ident.c - SipHash-2-4 against the paper's vectors, identities from
 * API keys, bearer tokens (JWT sub), Basic and session cookies; the same
 * credential gives the same key, and no raw credential is kept. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "collector/detect/ident.h"
#include "collector/decode/sess.h"

#define JWT_ALICE "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsIm5hbWUiOiJBbGljZSIsImlhdCI6MTUxNjIzOTAyMn0.sig-abc_123"
#define JWT_NOSUB "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4IiwiZXhwIjoxfQ.sig"
#define BASIC_BOB "Ym9iOmh1bnRlcjI=" /* bob:hunter2 */

static struct sess_conn conn;
static struct sess_event ev;

static void mk(const char *n1, const char *v1, const char *n2, const char *v2)
{
	sess_event_init(&ev, SESS_PROTO_HTTP1, &conn);
	if (n1)
		sess_add_hdr(&ev, n1, strlen(n1), v1, strlen(v1));
	if (n2)
		sess_add_hdr(&ev, n2, strlen(n2), v2, strlen(v2));
}

static int contains(const void *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static void siphash_matches_paper_vectors(void **state)
{
	uint8_t key[16], msg[64];

	(void)state;
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	assert_true(ident_siphash24(key, msg, 0) == 0x726fdb47dd0e0e31ull);
	/* Appendix A of the paper: 15-byte message 00..0e */
	assert_true(ident_siphash24(key, msg, 15) == 0xa129ca6149be45e5ull);
	assert_true(ident_siphash24(key, msg, 8) == 0x93f5f5799a932462ull);
}

static void process_key_changes_hash(void **state)
{
	uint8_t k1[16] = {1}, k2[16] = {2};
	uint64_t a, b;

	(void)state;
	ident_set_key(k1);
	a = ident_hash("apikey:x", 8);
	ident_set_key(k2);
	b = ident_hash("apikey:x", 8);
	assert_true(a != b);
	ident_set_key(k1);
	assert_true(ident_hash("apikey:x", 8) == a);
}

static void apikey_same_key_same_identity(void **state)
{
	struct ident a, b, c;
	char spec_key[24];

	(void)state;
	mk("X-Api-Key", "k-123456", NULL, NULL);
	assert_int_equal(ident_extract(&ev, &a), 1);
	assert_int_equal(a.kind, IDENT_APIKEY);
	mk("api-key", "k-123456", NULL, NULL);
	assert_int_equal(ident_extract(&ev, &b), 1);
	assert_string_equal(a.key, b.key);
	mk("x-api-key", "k-999", NULL, NULL);
	ident_extract(&ev, &c);
	assert_string_not_equal(a.key, c.key);
	/* the allow list spec computes the same key */
	assert_int_equal(ident_key_from_spec("apikey:k-123456", spec_key, NULL), 0);
	assert_string_equal(spec_key, a.key);
	/* nothing of the key is kept */
	assert_false(contains(&a, sizeof(a), "k-123456"));
	assert_string_equal(a.name, "");
	assert_int_equal(strncmp(a.key, "id:", 3), 0);
	assert_int_equal(strlen(a.key), 19);
}

static void jwt_keeps_sub_not_token(void **state)
{
	struct ident a, b;
	char spec_key[24];

	(void)state;
	mk("authorization", "Bearer " JWT_ALICE, NULL, NULL);
	assert_int_equal(ident_extract(&ev, &a), 1);
	assert_int_equal(a.kind, IDENT_JWT_SUB);
	assert_string_equal(a.name, "alice");
	assert_false(contains(&a, sizeof(a), "sig-abc_123"));
	assert_false(contains(&a, sizeof(a), "eyJ"));
	ident_key_from_spec("sub:alice", spec_key, NULL);
	assert_string_equal(spec_key, a.key);
	/* a JWT without sub is an opaque bearer: hashed whole */
	mk("authorization", "Bearer " JWT_NOSUB, NULL, NULL);
	assert_int_equal(ident_extract(&ev, &b), 1);
	assert_int_equal(b.kind, IDENT_BEARER);
	assert_string_equal(b.name, "");
	assert_false(contains(&b, sizeof(b), "eyJ"));
	ident_key_from_spec("bearer:" JWT_NOSUB, spec_key, NULL);
	assert_string_equal(spec_key, b.key);
}

static void basic_keeps_user_not_password(void **state)
{
	struct ident a;
	char spec_key[24];

	(void)state;
	mk("authorization", "Basic " BASIC_BOB, NULL, NULL);
	assert_int_equal(ident_extract(&ev, &a), 1);
	assert_int_equal(a.kind, IDENT_BASIC);
	assert_string_equal(a.name, "bob");
	assert_false(contains(&a, sizeof(a), "hunter2"));
	ident_key_from_spec("user:bob", spec_key, NULL);
	assert_string_equal(spec_key, a.key);
	/* the login user of a Basic request is bob as well */
	assert_true(ident_login_user(&ev) != 0);
}

/* The decoder keeps optional white space after a value: an API key or
 * Basic credentials with trailing spaces or tabs are the same identity. */
static void trailing_ows_is_trimmed(void **state)
{
	struct ident a, b;
	char spec_key[24];

	(void)state;
	mk("x-api-key", "9f8e7d6c5b4a3921 \t", NULL, NULL);
	assert_int_equal(ident_extract(&ev, &a), 1);
	assert_int_equal(a.kind, IDENT_APIKEY);
	ident_key_from_spec("apikey:9f8e7d6c5b4a3921", spec_key, NULL);
	assert_string_equal(spec_key, a.key);
	mk("authorization", "Basic " BASIC_BOB " \t", NULL, NULL);
	assert_int_equal(ident_extract(&ev, &b), 1);
	assert_int_equal(b.kind, IDENT_BASIC);
	assert_string_equal(b.name, "bob");
}

static void session_cookie_found_among_others(void **state)
{
	struct ident a, b;
	char spec_key[24];

	(void)state;
	mk("cookie", "theme=dark; JSESSIONID=ABC123XYZ; lang=en", NULL, NULL);
	assert_int_equal(ident_extract(&ev, &a), 1);
	assert_int_equal(a.kind, IDENT_COOKIE);
	assert_false(contains(&a, sizeof(a), "ABC123XYZ"));
	ident_key_from_spec("cookie:JSESSIONID=ABC123XYZ", spec_key, NULL);
	assert_string_equal(spec_key, a.key);
	mk("cookie", "theme=dark", "cookie", "connect.sid=s%3Aabc");
	assert_int_equal(ident_extract(&ev, &b), 1);
	assert_int_equal(b.kind, IDENT_COOKIE);
	mk("cookie", "theme=dark; lang=en", NULL, NULL);
	assert_int_equal(ident_extract(&ev, &b), 0);
	assert_int_equal(b.kind, IDENT_NONE);
	assert_string_equal(b.key, "");
}

static void apikey_preferred_over_cookie(void **state)
{
	struct ident a;

	(void)state;
	mk("cookie", "session=abc", "x-api-key", "kkk");
	ident_extract(&ev, &a);
	assert_int_equal(a.kind, IDENT_APIKEY);
}

static void garbage_credentials_are_no_identity(void **state)
{
	static const char *const vals[] = {
		"Bearer ", "Basic !!!!", "Basic " "YWJj" /* "abc": no colon */,
		"Negotiate abc", "", "Bearer a.b", NULL,
	};
	struct ident a;

	(void)state;
	for (int i = 0; vals[i]; i++) {
		mk("authorization", vals[i], NULL, NULL);
		ident_extract(&ev, &a);
		/* "Bearer a.b" is an opaque bearer; the rest are nothing */
		if (i == 5)
			assert_int_equal(a.kind, IDENT_BEARER);
		else
			assert_int_equal(a.kind, IDENT_NONE);
	}
	assert_int_equal(ident_key_from_spec("nope:x", (char[24]){0}, NULL), -EINVAL);
	assert_int_equal(ident_key_from_spec("apikey:", (char[24]){0}, NULL), -EINVAL);
}

static void login_user_from_form_and_json(void **state)
{
	uint64_t a, b, c, d;
	const char *form1 = "username=Alice&password=x";
	const char *form2 = "password=y&username=alice";
	const char *json = "{\"email\": \"carol@example.com\", \"password\": \"z\"}";

	(void)state;
	mk(NULL, NULL, NULL, NULL);
	sess_add_body(&ev, form1, strlen(form1));
	a = ident_login_user(&ev);
	mk(NULL, NULL, NULL, NULL);
	sess_add_body(&ev, form2, strlen(form2));
	b = ident_login_user(&ev);
	assert_true(a && a == b); /* case folded */
	mk(NULL, NULL, NULL, NULL);
	sess_add_body(&ev, json, strlen(json));
	c = ident_login_user(&ev);
	assert_true(c && c != a);
	mk(NULL, NULL, NULL, NULL);
	sess_add_body(&ev, "password=only", 13);
	d = ident_login_user(&ev);
	assert_true(d == 0);
}

static void b64url_decoder_bounds(void **state)
{
	uint8_t out[4];

	(void)state;
	assert_int_equal(ident_b64url_decode("YWJj", 4, out, sizeof(out)), 3);
	assert_memory_equal(out, "abc", 3);
	assert_int_equal(ident_b64url_decode("YWJjZGVm", 8, out, sizeof(out)), -1);
	assert_int_equal(ident_b64url_decode("YW*j", 4, out, sizeof(out)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(siphash_matches_paper_vectors),
		cmocka_unit_test(process_key_changes_hash),
		cmocka_unit_test(apikey_same_key_same_identity),
		cmocka_unit_test(jwt_keeps_sub_not_token),
		cmocka_unit_test(basic_keeps_user_not_password),
		cmocka_unit_test(trailing_ows_is_trimmed),
		cmocka_unit_test(session_cookie_found_among_others),
		cmocka_unit_test(apikey_preferred_over_cookie),
		cmocka_unit_test(garbage_credentials_are_no_identity),
		cmocka_unit_test(login_user_from_form_and_json),
		cmocka_unit_test(b64url_decoder_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
