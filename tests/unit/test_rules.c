/* test_rules.c - deploy/rules.yaml equals the built-in defaults; good files
 * change what they say; bad files fail with the line and a fix; CIDR and
 * duration parsing; allow list matching. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "collector/detect/ident.h"
#include "collector/detect/rules.h"

#define SEC 1000000000ull

static void shipped_file_equals_defaults(void **state)
{
	struct rules *def, *file;
	char err[512] = "";

	(void)state;
	rules_default(&def);
	assert_non_null(def);
	if (rules_load(&file, "deploy/rules.yaml", err, sizeof(err)))
		fail_msg("deploy/rules.yaml: %s", err);
	for (int i = 0; i < RULE__COUNT; i++)
		if (memcmp(&def->r[i], &file->r[i], sizeof(def->r[i])))
			fail_msg("rule %s differs from the default", rule_names[i]);
	assert_memory_equal(def, file, sizeof(*def));
	rules_free(def);
	rules_free(file);
}

static void defaults_have_documented_values(void **state)
{
	struct rules *r;

	(void)state;
	rules_default(&r);
	assert_int_equal(r->enforce, 0);
	assert_int_equal(r->r[RULE_SQLI].action, VERDICT_KILL);
	assert_int_equal(r->r[RULE_SQLI].severity, SEV_HIGH);
	assert_int_equal(r->r[RULE_RATE].threshold, 200);
	assert_true(r->r[RULE_RATE].window_ns == 10 * SEC);
	assert_true(r->r[RULE_RATE].block_ttl_ns == 60 * SEC);
	assert_int_equal(r->r[RULE_BRUTE_FORCE].threshold, 10);
	assert_true(r->r[RULE_BRUTE_FORCE].block_ttl_ns == 300 * SEC);
	assert_int_equal(r->r[RULE_SCANNING].threshold, 20);
	assert_int_equal(r->r[RULE_BOLA].threshold, 50);
	assert_true(r->r[RULE_SLOWLORIS].window_ns == 10 * SEC);
	assert_int_equal(r->r[RULE_WS_ORIGIN].severity, SEV_MEDIUM);
	assert_int_equal(r->r[RULE_WS_ORIGIN].action, VERDICT_ALERT);
	assert_string_equal(r->r[RULE_SMUGGLING].anom[0], "h1.cl_te");
	assert_int_equal(r->r[RULE_EVASION].action, VERDICT_ALERT);
	assert_int_equal(r->r[RULE_EVASION].threshold, 1);
	assert_string_equal(r->r[RULE_EVASION].anom[0], "conn.garbage");
	assert_int_equal(r->max_clients, 65536);
	assert_int_equal(r->ipv6_prefix, 128);
	rules_free(r);
}

static void good_file_overrides(void **state)
{
	static const char y[] =
		"mode: enforce\n"
		"allow: [10.213.9.0/24, \"apikey:secret-1\", \"sub:alice\", fd00::1]\n"
		"login_paths: [/Login, sso]\n"
		"ipv6_prefix: 64\n"
		"limits: {max_clients: 1000, buckets: 5}\n"
		"rules:\n"
		"  sqli: {min_score: 80, action: alert}\n"
		"  rate:\n"
		"    threshold: 50\n"
		"    window: 2s\n"
		"    block_ttl: 5m\n"
		"  smuggling: {anomalies: [h1.cl_te]}\n"
		"  slowloris: {timeout: 500ms, enabled: false}\n"
		"  exfiltration: {k: 3.5, warmup: 10, min_bytes: 1000}\n";
	struct rules *r;
	char err[512] = "", key[24];
	uint8_t a[16];

	(void)state;
	if (rules_parse(&r, y, sizeof(y) - 1, "t.yaml", err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(r->enforce, 1);
	assert_int_equal(r->r[RULE_SQLI].threshold, 80);
	assert_int_equal(r->r[RULE_SQLI].action, VERDICT_ALERT);
	assert_int_equal(r->r[RULE_XSS].threshold, 60); /* untouched */
	assert_int_equal(r->r[RULE_RATE].threshold, 50);
	assert_true(r->r[RULE_RATE].window_ns == 2 * SEC);
	assert_true(r->r[RULE_RATE].block_ttl_ns == 300 * SEC);
	assert_int_equal(r->r[RULE_SMUGGLING].n_anom, 1);
	assert_false(r->r[RULE_SLOWLORIS].enabled);
	assert_true(r->r[RULE_SLOWLORIS].window_ns == 500000000ull);
	assert_true(r->r[RULE_EXFIL].k == 3.5);
	assert_int_equal(r->r[RULE_EXFIL].warmup, 10);
	assert_int_equal(r->n_login, 2);
	assert_string_equal(r->login[0], "login");
	assert_int_equal(r->max_clients, 1000);
	assert_int_equal(r->buckets, 5);
	assert_int_equal(r->ipv6_prefix, 64);
	assert_int_equal(r->n_allow_cidr, 2);
	assert_int_equal(r->n_allow_id, 2);
	inet_pton(AF_INET, "10.213.9.77", a);
	assert_true(rules_allowed_addr(r, AF_INET, a));
	inet_pton(AF_INET, "10.213.10.1", a);
	assert_false(rules_allowed_addr(r, AF_INET, a));
	inet_pton(AF_INET6, "::ffff:10.213.9.3", a);
	assert_true(rules_allowed_addr(r, AF_INET6, a));
	inet_pton(AF_INET6, "fd00::1", a);
	assert_true(rules_allowed_addr(r, AF_INET6, a));
	ident_key_from_spec("apikey:secret-1", key, NULL);
	assert_true(rules_allowed_id(r, key));
	ident_key_from_spec("apikey:secret-2", key, NULL);
	assert_false(rules_allowed_id(r, key));
	/* the raw key is not kept */
	assert_null(memmem(r, sizeof(*r), "secret-1", 8));
	rules_free(r);
}

struct bad_case {
	const char *name;
	const char *yaml;
	const char *want; /* substring of the error, which starts "t.yaml:LINE:" */
};

static void bad_files_name_line_and_fix(void **state)
{
	static const struct bad_case cases[] = {
		{ "unknown top key", "mode: monitor\nmodes: x\n", "t.yaml:2: 'modes': unknown key; known: mode" },
		{ "ipv6_prefix range", "ipv6_prefix: 16\n", "t.yaml:1: ipv6_prefix" },
		{ "bad mode", "mode: enforcing\n", "t.yaml:1: mode: 'enforcing' is not a mode; use monitor or enforce" },
		{ "unknown rule", "rules:\n  sqlinjection: {}\n", "t.yaml:2: rules.sqlinjection: unknown rule id" },
		{ "bad action", "rules:\n  xss:\n    action: kil\n", "t.yaml:3: rules.xss.action: 'kil' is not an action; use alert, kill or block" },
		{ "bad severity", "rules:\n  xss: {severity: urgent}\n", "t.yaml:2: rules.xss.severity: 'urgent' is not a severity" },
		{ "score range", "rules:\n\n  xss: {min_score: 101}\n", "t.yaml:3: rules.xss.min_score: '101' must be a whole number from 1 to 100" },
		{ "option not for rule", "rules:\n  rate: {min_score: 5}\n", "t.yaml:2: rules.rate.min_score: rule 'rate' takes no 'min_score' option; remove it" },
		{ "unknown option", "rules:\n  rate:\n    treshold: 5\n", "t.yaml:3: rules.rate.treshold: unknown option; known:" },
		{ "bad duration", "rules:\n  rate: {window: 10 seconds}\n", "t.yaml:2: rules.rate.window: '10 seconds' is not a duration" },
		{ "block without ttl", "rules:\n  sqli: {action: block}\n", "t.yaml:2: rules.sqli: action block needs block_ttl" },
		{ "bad allow", "allow:\n  - 10.0.0.0/8\n  - 300.1.1.1\n", "t.yaml:3: allow: '300.1.1.1' is neither a CIDR" },
		{ "bad prefix", "allow: [10.0.0.0/33]\n", "t.yaml:1: allow: '10.0.0.0/33' is neither" },
		{ "bad bool", "rules:\n  ssti: {enabled: maybe}\n", "t.yaml:2: rules.ssti.enabled: 'maybe' is not a boolean" },
		{ "syntax", "rules:\n  sqli: {min_score: 5\n", "t.yaml:3: YAML syntax" },
		{ "not a mapping", "- a\n- b\n", "t.yaml:1: the file must be a mapping" },
		{ "list expected", "login_paths: login\n", "t.yaml:1: login_paths must be a list" },
		{ "distinct cap", "rules:\n  scanning: {threshold: 5000}\n", "from 1 to 1000" },
		{ "limit range", "limits:\n  buckets: 17\n", "t.yaml:2: limits.buckets: '17' must be a whole number from 1 to 16" },
		{ "anomaly name", "rules:\n  oversize: {anomalies: [nodot]}\n", "t.yaml:2: rules.oversize.anomalies: each entry is a decoder anomaly name" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rules *r = (struct rules *)1;
		char err[512] = "";
		int rc = rules_parse(&r, cases[i].yaml, strlen(cases[i].yaml), "t.yaml", err, sizeof(err));

		if (rc != -EINVAL || r != NULL)
			fail_msg("%s: rc %d", cases[i].name, rc);
		if (!strstr(err, cases[i].want))
			fail_msg("%s: error '%s' lacks '%s'", cases[i].name, err, cases[i].want);
	}
}

static void empty_file_is_defaults(void **state)
{
	struct rules *r, *d;
	char err[256];

	(void)state;
	assert_int_equal(rules_parse(&r, "", 0, "e.yaml", err, sizeof(err)), 0);
	rules_default(&d);
	assert_memory_equal(r, d, sizeof(*d));
	rules_free(r);
	rules_free(d);
	assert_int_equal(rules_load(&r, "/nonexistent/rules.yaml", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "cannot open"));
}

static void durations_and_cidrs(void **state)
{
	uint64_t ns;
	struct rules_cidr c;

	(void)state;
	assert_int_equal(rules_parse_duration("90", &ns), 0);
	assert_true(ns == 90 * SEC);
	assert_int_equal(rules_parse_duration("250ms", &ns), 0);
	assert_true(ns == 250000000ull);
	assert_int_equal(rules_parse_duration("5m", &ns), 0);
	assert_true(ns == 300 * SEC);
	assert_int_equal(rules_parse_duration("1h", &ns), 0);
	assert_int_equal(rules_parse_duration("-1s", &ns), -EINVAL);
	assert_int_equal(rules_parse_duration("1w", &ns), -EINVAL);
	assert_int_equal(rules_parse_duration("999999999999d", &ns), -EINVAL);
	assert_int_equal(rules_parse_cidr("10.213.2.77/16", &c), 0);
	assert_int_equal(c.prefix, 16);
	assert_int_equal(c.addr[2], 0); /* host bits cleared */
	assert_int_equal(rules_parse_cidr("10.0.0.0/-1", &c), -EINVAL);
	assert_int_equal(rules_parse_cidr("fd00::/129", &c), -EINVAL);
	assert_int_equal(rules_parse_cidr("::/0", &c), 0);
	assert_int_equal(rules_parse_cidr("10.1.2.3/23", &c), 0);
	assert_int_equal(c.addr[2], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_file_equals_defaults),
		cmocka_unit_test(defaults_have_documented_values),
		cmocka_unit_test(good_file_overrides),
		cmocka_unit_test(bad_files_name_line_and_fix),
		cmocka_unit_test(empty_file_is_defaults),
		cmocka_unit_test(durations_and_cidrs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
