/* test_textout.c - the shared text output helpers of common/: one UTF-8
 * validator (utf8.c) and one JSON escape of a byte (json.c), used by the
 * bounded JSON writer and by the correlator's growable escapers
 * (textesc.c). The two JSON writers must escape every byte the same way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common/json.h"
#include "common/textesc.h"
#include "common/utf8.h"

static void test_utf8_seq_table(void **state)
{
	static const struct {
		const char *s;
		size_t n, want;
	} t[] = {
		{ "A", 1, 1 },
		{ "\0", 1, 0 },                  /* NUL: not text */
		{ "\x80", 1, 0 },                /* lone continuation */
		{ "\xC1\xBF", 2, 0 },            /* overlong 2-byte */
		{ "\xC2\xA0", 2, 2 },            /* U+00A0 */
		{ "\xE0\x9F\xBF", 3, 0 },        /* overlong 3-byte */
		{ "\xE0\xA0\x80", 3, 3 },        /* U+0800 */
		{ "\xED\xA0\x80", 3, 0 },        /* surrogate U+D800 */
		{ "\xEF\xBF\xBD", 3, 3 },        /* U+FFFD */
		{ "\xF0\x8F\xBF\xBF", 4, 0 },    /* overlong 4-byte */
		{ "\xF0\x9F\x98\x80", 4, 4 },    /* U+1F600 */
		{ "\xF4\x90\x80\x80", 4, 0 },    /* past U+10FFFF */
		{ "\xF5\x80\x80\x80", 4, 0 },
		{ "\xE2\x82", 2, 0 },            /* cut short */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (utf8_seq(t[i].s, t[i].n) != t[i].want)
			fail_msg("case %zu: got %zu, want %zu", i,
				 utf8_seq(t[i].s, t[i].n), t[i].want);
	}
	assert_int_equal(utf8_seq("A", 0), 0);
	assert_int_equal(utf8_valid_prefix("ab\xC3\xA9" "c\xFF" "d", 7), 5);
	assert_int_equal(tx_utf8_valid_prefix("ab\xC3\xA9" "c\xFF" "d", 7), 5);
}

/* Every ASCII byte but NUL: the bounded writer and the growable escaper
 * give the same JSON text, and it is what RFC 8259 requires. */
static void test_json_writers_agree(void **state)
{
	unsigned c;

	(void)state;
	for (c = 1; c < 0x80; c++) {
		char in[3] = { 'x', (char)c, 'y' }, a[32];
		struct sbuf b = {0};

		json_escape(a, sizeof(a), in, 3);
		assert_int_equal(tx_json(&b, in, 3), 0);
		if (strcmp(a, b.p) != 0)
			fail_msg("byte 0x%02x: json_escape \"%s\", tx_json \"%s\"",
				 c, a, b.p);
		if (c == '"' || c == '\\')
			assert_true(a[1] == '\\' && a[2] == (char)c);
		else if (c < 0x20 || c == 0x7f)
			assert_true(a[1] == '\\' && strlen(a) >= 4);
		else
			assert_true(a[1] == (char)c && strlen(a) == 3);
		sbuf_free(&b);
	}
}

/* Invalid UTF-8 never passes through either writer. */
static void test_invalid_utf8_replaced(void **state)
{
	const char in[] = "a\xC0\xAF" "b\xED\xA0\x80" "c";
	char a[64];
	struct sbuf b = {0};

	(void)state;
	json_escape(a, sizeof(a), in, sizeof(in) - 1);
	assert_string_equal(a, "a\\ufffd\\ufffdb\\ufffd\\ufffd\\ufffdc");
	assert_int_equal(tx_json(&b, in, sizeof(in) - 1), 5);
	assert_string_equal(b.p, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD"
				 "\xEF\xBF\xBD\xEF\xBF\xBD" "c");
	sbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_seq_table),
		cmocka_unit_test(test_json_writers_agree),
		cmocka_unit_test(test_invalid_utf8_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
