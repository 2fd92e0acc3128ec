/* test_payload_rtc.c - issue 20, helper c (session 13): command injection
 * forms a fresh red-team table found missed, one row per construct, and
 * the benign look-alikes that bound each fix. Every value is judged as a
 * query parameter value (payload_scan) and as a form body
 * "a=1&q=<percent-encoded value>" (payload_scan_query): an attack must
 * draw its own kind in both, a benign value nothing in either. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define C PAYLOAD_CMDI
#define N PAYLOAD_NONE
#define S PAYLOAD_SQLI

/* recon commands probed alone after a separator that leads the value (or
 * follows an address or a closed quote): names no English reads, English
 * names alone, Windows words given their verb */
static void test_cmdi_recon_words(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"; nproc", C},
		{"127.0.0.1|lscpu", C},
		{"| dmesg", C},
		{"& qwinsta", C},
		{"& driverquery", C},
		{"; date", C},
		{"x' & groups", C},
		{"127.0.0.1`date`", C},
		{"; users", C},
		{"; finger", C},
		{"; mount", C},
		{"; rev /etc/passwd", C},
		{"127.0.0.1| route PRINT", C},
		{"& sc query", C},
		{"& query user", C},
		{"|| who ||", C},
		/* a Markdown cell or row names a column */
		{"|date|", N},
		{"| date |", N},
		{"| Users | Groups |", N},
		{"name;date;amount", N},
		{"Start date; end date", N},
		{"users & groups", N},
		{"Route 66 | Chicago to LA", N},
		{"Mount: /dev/sda1 on /", N},
		{"Sort by: date | name | size", N},
		/* Markdown's inline code names fields and endpoints
		 * (adversarial review): a backtick that opens the value or
		 * follows a blank holds no English word alone */
		{"`date`", N},
		{"`users`", N},
		{"Use `query`.", N},
		{"`Route`", N},
		{"`groups` and `mount`", N},
		{"127.0.0.1`echo vulnerable`", C},
		{"'`echo vulnerable`", C},
	};
	rt_run("cmdi-recon-words", t, sizeof(t) / sizeof(t[0]));
}

/* a command word spelt with shell quoting: quotes around a piece a word
 * goes on after, a glued substitution, a backslash or $@ inside it */
static void test_cmdi_spelt_word(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"; \"w\"h\"o\"a\"m\"i", C},
		{"; w`true`hoami", C},
		{"127.0.0.1|w`true`hoami", C},
		{"w`true`hoami", C},
		{"c\\at /etc/passwd", C},
		{"c'a't /etc/passwd", C},
		{"w'h'o'am'i /all", C},
		{"w$@hoami", C},
		{"i'd like to know", N},
		{"we'd id the suspect", N},
		{"rock'n'roll forever", N},
		{"i'd say \"who\" knows", N},
		{"he said \"no\"way", N},
		{"it's 'fine' really", N},
	};
	rt_run("cmdi-spelt-word", t, sizeof(t) / sizeof(t[0]));
}

/* a path whose directories are wildcards names a binary by pattern */
static void test_cmdi_glob_path(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/?\?\?/?\?t /?\?\?/p?\?s?\?", C},
		{"/?\?\?/?at /etc/passwd", C},
		{"/api/?\?\?/items", N},
		{"/search?q=a?b?c", N},
		{"/faq/?\?\?", N},
		{"/img/**/*.png", N},
	};
	rt_run("cmdi-glob-path", t, sizeof(t) / sizeof(t[0]));
}

/* sqlmap's escapequotes: \' is a backslash and a closing quote to every
 * SQL server but MySQL */
static void test_sqli_escaped_quote_break(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"\\' AND SLEEP(5) -- -", S},
		{"\\' || 1=1 -- -", S},
		{"\\') AND JSON_KEYS((SELECT CONVERT((SELECT CONCAT(0x7178,(SELECT (ELT(1234=1234,1))),0x7178)) USING utf8)))", S},
		{"it\\'s a test", N},
		{"don\\'t do that or else", N},
		{"{\\\"name\\\":\\\"O'Brien\\\",\\\"age\\\":30}", N},
		{"He said \\\"stop\\\" and left", N},
		{"\\\"-\\\" means none", N},
		{"[\\\"*\\\",\\\"/\\\"]", N},
		{"\\\"=\\\" sign", N},
		{"{\\\"filter\\\":\\\"price > 10 and size = 2\\\"}", N},
	};
	rt_run("sqli-escaped-quote", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdi_recon_words),
		cmocka_unit_test(test_cmdi_spelt_word),
		cmocka_unit_test(test_cmdi_glob_path),
		cmocka_unit_test(test_sqli_escaped_quote_break),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
