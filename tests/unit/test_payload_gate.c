/* test_payload_gate.c - payload.c skips a detector for a value that holds
 * none of the bytes its findings need (the byte gates of run_detectors).
 * Each case here is an attack found through the rarest opening of one
 * gate: a gate drawn one byte too narrow makes it pass unseen. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "collector/detect/payload.h"

struct gate_case {
	const char *in;
	unsigned where;
	enum payload_kind kind;
	int score; /* as main's detectors scored it before the gates */
	const char *why;
};

static const struct gate_case cases[] = {
	/* traversal: a sensitive name whose only gate byte is '_' */
	{"id_rsa", PAYLOAD_WHERE_QUERY, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	/* SSRF: 169.254.169.254 as one decimal number spelt as a host (a
	 * trailing dot; the number alone is an id), no ':' or '/' */
	{"2852039166", PAYLOAD_WHERE_QUERY, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"  2852039166", PAYLOAD_WHERE_HEADER, PAYLOAD_SSRF, 90, "metadata address as a value"},
	/* payload.c's ssrf_digit_may asks only values led by a digit or a
	 * blank: a tab and a vertical tab lead too */
	{"\t2852039166", PAYLOAD_WHERE_HEADER, PAYLOAD_SSRF, 90, "metadata address as a value"},
	{"\v2852039166", PAYLOAD_WHERE_QUERY, PAYLOAD_SSRF, 90, "metadata address as a value"},
	/* command injection wrapped in base64 without '=', '/' or '+': only
	 * the base64 opening (a first digit below 32) lets it in */
	{"Y2F0IC9ldGMvcGFzc3dk", PAYLOAD_WHERE_QUERY, PAYLOAD_CMDI, 75, "value is a command line"},
	{"YHVuYW1lIC1hYA", PAYLOAD_WHERE_BODY, PAYLOAD_CMDI, 85, "command after shell separator"},
	{"O2NhdCAvZXRjL3Bhc3N3ZA==", PAYLOAD_WHERE_QUERY, PAYLOAD_CMDI, 75, "command after shell separator"},
	/* SQLi with no letter: the gate opens at '&' */
	{"1 && 2=2", PAYLOAD_WHERE_BODY, PAYLOAD_SQLI, 80, "boolean tautology on literals"},
	/* proto pollution through '_' only (the bare word is no key), SSTI
	 * through '{' and '*' */
	{"__proto__[x]", PAYLOAD_WHERE_QUERY, PAYLOAD_PROTO_POLLUTION, 90, "__proto__ as a property key"},
	{"{{7*7}}", PAYLOAD_WHERE_QUERY, PAYLOAD_SSTI, 80, "arithmetic in template expression"},
	/* SSTI through "$" "." "(" alone: Velocity's reference needs no brace */
	{"$class.inspect(\"java.lang.Runtime\").type.getRuntime().exec(\"id\")", PAYLOAD_WHERE_QUERY, PAYLOAD_SSTI, 85,
	 "velocity reference reaching java reflection"},
	/* SSTI through "$" "." and the bytes of "classloader", no '(' or
	 * brace: Velocity's property walk (review rev4 G1) */
	{"$x.class.classLoader", PAYLOAD_WHERE_QUERY, PAYLOAD_SSTI, 85, "velocity reference reaching java reflection"},
	/* OGNL's switches with no '(' (ssti_words' "#_memberaccess" and
	 * "#context[" sets) */
	{"#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS", PAYLOAD_WHERE_QUERY, PAYLOAD_SSTI, 85,
	 "ognl member access outside a template"},
	{"#_memberAccess.allowStaticMethodAccess=true", PAYLOAD_WHERE_QUERY, PAYLOAD_SSTI, 85,
	 "ognl member access outside a template"},
	{"#context ['xwork.MethodAccessor.denyMethodExecution']=false", PAYLOAD_WHERE_QUERY, PAYLOAD_SSTI, 85,
	 "ognl member access outside a template"},
	/* SSTI through '@' '.' and the bytes of "system.environment", no
	 * '(' or brace: Razor's property read (helper e, session 28) */
	{"@System.Environment.MachineName", PAYLOAD_WHERE_QUERY, PAYLOAD_SSTI, 50,
	 "razor code reaching files, environment or reflection"},
	/* XSS through ':' and '(' with no 'o', '<' or quote */
	{"javascript:alert(1)", PAYLOAD_WHERE_QUERY, PAYLOAD_XSS, 80, "script url value"},
	/* XSS through '\\' alone: markup in octal escapes, read decoded */
	{"\\74script\\76alert\\0501\\051\\74/script\\76", PAYLOAD_WHERE_QUERY, PAYLOAD_XSS, 90, "script element"},
	{"${jndi:ldap://x/a}", PAYLOAD_WHERE_HEADER, PAYLOAD_JNDI, 95, "jndi lookup"},
	/* command injection through a quote alone: a command word spelt with
	 * shell quoting (payload_shell.c spelt_lead) holds no separator or
	 * blank (review finding G1) */
	{"'w'hoami", PAYLOAD_WHERE_QUERY, PAYLOAD_CMDI, 75, "command word spelt with shell quoting"},
	{"w\"h\"oami", PAYLOAD_WHERE_BODY, PAYLOAD_CMDI, 75, "command word spelt with shell quoting"},
	/* traversal through ':' alone (payload.c trav_words): the words a
	 * value whose only gate byte is ':' needs - Java's "jar:" and
	 * "netdoc:", "data:", and the one sensitive name with none of
	 * . / _ (its "d" "a" "t") */
	{"jar:file:x", PAYLOAD_WHERE_QUERY, PAYLOAD_TRAVERSAL, 90, "php stream wrapper as a file name"},
	{"netdoc:abc", PAYLOAD_WHERE_QUERY, PAYLOAD_TRAVERSAL, 90, "php stream wrapper as a file name"},
	{"data:<?php phpinfo()?>", PAYLOAD_WHERE_BODY, PAYLOAD_TRAVERSAL, 85, "data url holding php code"},
	{"x:initialadminpassword", PAYLOAD_WHERE_QUERY, PAYLOAD_TRAVERSAL, 75, "sensitive file path"},
	/* LDAP and XPath through parentheses and one more byte each
	 * (payload.c ldap_words): '!', '&', '=', and a digit-led value with
	 * "or" or "and" (no quote, ']', '|', ':') */
	{"x)(!(", PAYLOAD_WHERE_QUERY, PAYLOAD_LDAPI, 85, "ldap filter closed and an operator opened"},
	{"x)(&(", PAYLOAD_WHERE_BODY, PAYLOAD_LDAPI, 85, "ldap filter closed and an operator opened"},
	{"x)(cn=x", PAYLOAD_WHERE_QUERY, PAYLOAD_LDAPI, 75, "ldap filter closed and another item opened"},
	{"1 or count(//user)>0", PAYLOAD_WHERE_QUERY, PAYLOAD_XPATHI, 80,
	 "xpath function in a condition after a closed literal"},
	{"1 and count(/*)>0", PAYLOAD_WHERE_HEADER, PAYLOAD_XPATHI, 80,
	 "xpath function in a condition after a closed literal"},
	/* command injection through 'q' and 'x' alone: Perl's qx with a
	 * delimiter no gate byte is (review rev5 G2), and through a lead '-'
	 * with '=': an option with no blank */
	{"qx#id#", PAYLOAD_WHERE_QUERY, PAYLOAD_CMDI, 85, "ruby or perl command literal"},
	{"qx~id~", PAYLOAD_WHERE_BODY, PAYLOAD_CMDI, 85, "ruby or perl command literal"},
	{"-oProxyCommand=id", PAYLOAD_WHERE_QUERY, PAYLOAD_CMDI, 85, "option injected into a command's arguments"},
};

static void test_gates_let_attacks_through(void **st)
{
	(void)st;
	payload_cache_enable(0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct payload_match m[PAYLOAD__COUNT];
		int n = payload_scan(cases[i].in, strlen(cases[i].in), cases[i].where, m, PAYLOAD__COUNT);
		int found = -1;

		for (int k = 0; k < n; k++)
			if (m[k].kind == cases[i].kind)
				found = k;
		if (found < 0)
			fail_msg("%s: no %s finding", cases[i].in, payload_kind_names[cases[i].kind]);
		assert_int_equal(m[found].score, cases[i].score);
		assert_string_equal(m[found].why, cases[i].why);
	}
	payload_cache_enable(1);
}

/* values that open no gate at all still come out clean, and a benign
 * word that opens some (a letter for SQLi) is judged clean too */
static void test_closed_gates_are_clean(void **st)
{
	static const char *const clean[] = {"p37", "k12", "42", "select a plan", "GA1.2.3.4",
					      "2026-02-23T08:08:24Z", "10:30",
					      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
					      "Chrome/120.0 Safari/537.36"};
	struct payload_match m[PAYLOAD__COUNT];

	(void)st;
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		for (unsigned w = PAYLOAD_WHERE_PATH; w <= PAYLOAD_WHERE_BODY; w++)
			assert_int_equal(payload_scan(clean[i], strlen(clean[i]), w, m, PAYLOAD__COUNT), 0);
}

/* a cookie segment cut at ';' keeps only the spelt word: the quote is
 * its only gate byte (review finding G1) */
static void test_cookie_segment_quote(void **st)
{
	static const char *const hdr[] = {"id=1;w\"\"hoami", "x=127.0.0.1;en'v'"};
	struct payload_match m[PAYLOAD__COUNT];

	(void)st;
	payload_cache_enable(0);
	for (size_t i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++) {
		int n = payload_scan_cookie(hdr[i], strlen(hdr[i]), m, PAYLOAD__COUNT), found = 0;

		for (int k = 0; k < n; k++)
			found |= m[k].kind == PAYLOAD_CMDI && m[k].score == 75;
		if (!found)
			fail_msg("%s: no cmd_injection 75 finding", hdr[i]);
	}
	payload_cache_enable(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gates_let_attacks_through),
		cmocka_unit_test(test_closed_gates_are_clean),
		cmocka_unit_test(test_cookie_segment_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
