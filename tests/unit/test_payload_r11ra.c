/* test_payload_r11ra.c - issue 20, reviewer ra of round 11's merge:
 * attacks shaped to fit the round's new exemptions (helper x's SSRF and
 * XSS ones, helper t's traversal sentence) and to slip past its new
 * readings (deflated SAML). A loopback sign-in callback whose quote is
 * followed by a climb, an environment line or a development path that
 * names an operator's API, an attribute's quote that opens a string
 * break, a SAML blob stored (not compressed), led by a byte order mark or zlib-wrapped. Attacks reach
 * the kill line as a query value; benign rows stay below it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define X PAYLOAD_XSS
#define S PAYLOAD_SSRF
#define E PAYLOAD_XXE

/* a fetcher handed the raw value keeps the quote in the path, and
 * resolves the climb after it */
static void test_callback_quote_then_climb(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"http://127.0.0.1:8080/callback'/../../manager/html", S},
		{"http://127.0.0.1:8080/callback\"/../../manager/html", S},
		{"http://localhost:8080/callback>/../../admin", S},
		{"http://localhost:8080/auth/callback'/../../../actuator/env", S},
		{"http://localhost:8080/callback'/..%2f..%2fadmin", S},
	};
	static const char *const benign[] = {
		"{\"redirect_uri\":\"http://localhost:3000/auth/callback\"}",
		"<a href=\"http://localhost:3000/auth/callback\">Sign in</a>",
	};
	rt_run_kill("callback quote climb", S, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("callback quote benign", benign, sizeof(benign) / sizeof(benign[0]));
}

/* an environment line's or a development path's exemption reaches only
 * a plain path: an operator's page, an internal API (_catalog) or an
 * operator service's port is the attack it always was */
static void test_env_and_dev_path_ops(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"API_URL=http://127.0.0.1:8080/manager/html", S},
		{"export API_URL=http://127.0.0.1:2375/containers/json", S},
		{"A_B=http://localhost:8500/v1/agent/self", S},
		{"http://localhost:5984/_all_dbs", S},
		{"http://localhost:5000/v2/_catalog", S},
		{"http://localhost:8200/v1/sys/raw", S},
		{"http://localhost:8500/v1/kv/secret", S},
		{"http://localhost:15672/api/users", S},
		{"http://localhost:10255/runningpods", S},
		{"http://localhost:9090/api/v1/targets", S},
		{"http://localhost:8080/h2-console", S},
		{"http://localhost:8080/trace", S},
		{"http://localhost:8080/configprops", S},
		{"http://localhost:8080/druid/index.html", S},
	};
	static const char *const benign[] = {
		"API_BASE_URL=http://localhost:8000/api/v1/",
		"export NEXT_PUBLIC_API=http://localhost:3000",
		"http://localhost:8000/api/v1/users",
		"http://localhost:5173/",
		"http://localhost:3000/_next/static/chunks/main.js",
	};
	rt_run_kill("env and dev path ops", S, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("env and dev path benign", benign, sizeof(benign) / sizeof(benign[0]));
}

/* a quote after "<tag name=" written into a script's string breaks out
 * of it as any quote does when the attribute's value never closes or
 * holds the call itself */
static void test_attr_quote_string_break(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<a x=\";alert(1)//", X},
		{"<b c='-alert(1)-'", X},
		{"<a href=\";alert(document.cookie)//", X},
		{"<a x=\";alert(1);x=\"", X},
	};
	static const char *const benign[] = {
		"<a href=\"/items/5/delete\" onclick=\"return confirm('Delete this item permanently?');\">x</a>",
	};
	rt_run_kill("attribute quote break", X, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("attribute quote benign", benign, sizeof(benign) / sizeof(benign[0]));
}

/* SAML's redirect binding as an attacker encodes it: a stored block
 * (any inflater takes it), a byte order mark before the DOCTYPE, zlib's
 * header (some providers take it) */
static void test_saml_stored_bom_zlib(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"AUAAv/88IURPQ1RZUEUgciBbPCFFTlRJVFkgeCBTWVNURU0gImZpbGU6Ly8vZXRjL3Bhc3N3ZCI+XT48cj4meDs8L3I+", E},
		{"e797v42ii79zSGSAq0KRQrSNoqtfiGdIpEKFQnBkcIirr4JSWmZOqpW+vn5qSbJ+QWJxcXmKkl2snU2RnVqFtY1+kR0A", E},
		{"eJyzUXTxdw6JDHBVKFKItlF09QvxDIlUqFAIjgwOcfVVUErLzEm10tfXTy1J1i9ILC4uT1Gyi7WzKbJTq7C20S+yAwBRNhLb", E},
	};
	rt_run_kill("saml stored bom zlib", E, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callback_quote_then_climb),
		cmocka_unit_test(test_env_and_dev_path_ops),
		cmocka_unit_test(test_attr_quote_string_break),
		cmocka_unit_test(test_saml_stored_bom_zlib),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
