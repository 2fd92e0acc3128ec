/* test_payload_fast2.c - payload_shape_plain (payload_shape.c's N1..N4):
 * the values scan_window returns for before the census, the ones one
 * step outside each shape it must not take, the census facts its proof
 * reads (payload_sqli_census_quiet on N3's letters), and attacks next to
 * a shape that must still be found. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shape.h"

static int plain(const char *s)
{
	return payload_shape_plain(s, strlen(s));
}

static void test_shapes_taken(void **state)
{
	static const char *const in[] = {
		"0", "85005090", "123456789", "-1", "-12345678901234", "51.657958", "-32.801965", "0",
		"99.5", "1000.25", "2026-12-04", "030-1234567", "1-2-3", "2026-02-23T08:08:24Z",
		"2026-02-23t08:08:24z", "2026-02-23T08:08", "2026-02-23T08:08:24", "2026-02-23T08:08-05:00",
		"2026-02-23T08:08:24-05:00", "+49 309 4409591", "+1-555-0100", "+1", "-0.5",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		if (!plain(in[i]))
			fail_msg("not taken: %s", in[i]);
	}
}

static void test_shapes_refused(void **state)
{
	/* each one step outside a shape: a byte the proof needs absent, or
	 * a digit-led address payload_ssrf_digit_may asks about */
	static const char *const out[] = {
		"", "1234567890", "2130706433", "0.5", "100.1", "169.254", "192.168", "1.", ".5", "1..2",
		"1.2.3", "169.254.169.254", "1e5", "0x1f", "-", "--1", "1--2", "1-", "2-1-- -", "-1-2",
		"2026-02-23T08:08:24+02:00", "2026-02-23T08:08:24.5Z", "2026-02-23 08:08:24",
		"2026-02-23T08", "2026-02-23T08:08:24Zx", "2026-02-23X08:08", "+", "+ 1", "+1  2", "+1 ",
		"+1 (555) 0100", "+ADw-", "+1;id", "1;id", " 1", "1 ", "1 2", "+49 309 4409591'",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		if (plain(out[i]))
			fail_msg("taken: %s", out[i]);
	}
	assert_int_equal(payload_shape_plain("1", 0), 0);
}

/* N3's letters: payload_sqli_census_quiet must say 1 for 't' and 'z'
 * (with the digits, '-' and ':'), as for no letter at all */
static void test_census_quiet_letters(void **state)
{
	const char *sets[] = {"0123456789-:", "0123456789-:tz", "0123456789.-", "0123456789 -+"};

	(void)state;
	for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		uint64_t has[4] = {0, 0, 0, 0};

		for (const char *p = sets[k]; *p; p++)
			has[(unsigned char)*p >> 6] |= 1ull << ((unsigned char)*p & 63);
		assert_int_equal(payload_sqli_census_quiet(has), 1);
	}
}

/* attacks that start like a shape are still found (scan_window takes the
 * long way for them) */
static void test_attacks_next_to_shapes(void **state)
{
	static const struct {
		const char *in;
		unsigned where;
		enum payload_kind kind;
	} cases[] = {
		{"1 or 1=1--", PAYLOAD_WHERE_QUERY, PAYLOAD_SQLI},
		{"1;cat /etc/passwd", PAYLOAD_WHERE_BODY, PAYLOAD_CMDI},
		{"2852039166", PAYLOAD_WHERE_BODY, PAYLOAD_SSRF},
		{"169.254.169.254", PAYLOAD_WHERE_BODY, PAYLOAD_SSRF},
		{"1<script>alert(1)</script>", PAYLOAD_WHERE_BODY, PAYLOAD_XSS},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct payload_match m[8];
		int n = payload_scan(cases[i].in, strlen(cases[i].in), cases[i].where, m, 8), found = 0;

		for (int k = 0; k < n; k++)
			found |= m[k].kind == cases[i].kind && m[k].score >= 50;
		if (!found)
			fail_msg("missed: %s", cases[i].in);
	}
}

/* the shapes draw nothing in any place, raw or encoded */
static void test_shapes_quiet(void **state)
{
	static const char *const in[] = {"85005090", "-32.801965", "2026-12-04", "2026-02-23T08:08:24Z",
					 "+49 309 4409591", "%2B49%20309%204409591", "2026-02-23T08%3A08%3A24Z"};
	static const unsigned wh[] = {PAYLOAD_WHERE_PATH, PAYLOAD_WHERE_QUERY, PAYLOAD_WHERE_HEADER,
				      PAYLOAD_WHERE_COOKIE, PAYLOAD_WHERE_BODY};

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		for (size_t w = 0; w < sizeof(wh) / sizeof(wh[0]); w++) {
			struct payload_match m[8];

			assert_int_equal(payload_scan(in[i], strlen(in[i]), wh[w], m, 8), 0);
		}
}

/* payload_shape.c's ua_word looks ua_words[] up by first letter and
 * length: the table holds every word only while there are at most 64 of
 * at most 15 bytes, each led by a letter (a word left out would only
 * send a browser's User-Agent the long way) */
static void test_ua_words_indexed(void **state)
{
	(void)state;
	assert_true(payload_shape_ua_nwords <= 64);
	for (size_t k = 0; k < payload_shape_ua_nwords; k++) {
		const char *w = payload_shape_ua_words[k];

		assert_true(strlen(w) <= 15);
		assert_true(w[0] >= 'a' && w[0] <= 'z');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes_taken),
		cmocka_unit_test(test_shapes_refused),
		cmocka_unit_test(test_census_quiet_letters),
		cmocka_unit_test(test_attacks_next_to_shapes),
		cmocka_unit_test(test_shapes_quiet),
		cmocka_unit_test(test_ua_words_indexed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
