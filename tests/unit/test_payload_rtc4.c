/* test_payload_rtc4.c - issue 20, helper c (session 16): command
 * injection rows of the review's open findings (rev4 G2, E3, E4, E5, E6,
 * E9), one test per construct. Every value is judged as a query
 * parameter value and as a form body (payload_rt_table.h): an attack must
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

/* the shell's other wildcards: [..] and '*' find a binary as '?' does
 * (rev4 E9), also after a leading separator */
static void test_cmdi_glob_forms(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/usr/bin/w[h]oami", C},
		{"/usr/bin/wh*mi", C},
		{"/usr/bin/wh[a-z]ami", C},
		{"/b*/c?t /e?c/pa??wd", C},
		{"/b[i]n/c[a]t /e?c/pa??wd", C},
		{";/b[a-z]n/i[d]", C},
		{"/usr/bin/py*", N},
		{"/app/[id]/edit", N},
		{"/pages/[slug]/index", N},
		{"/usr/lib/*.so", N},
		{"/docs/*/intro", N},
	};
	rt_run("cmdi-glob-forms", t, sizeof(t) / sizeof(t[0]));
}

/* Perl's qx with any delimiter, Ruby's %x with '/' (rev4 G2, E5) */
static void test_cmdi_qx_delims(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"qx/id/", C},
		{"%x/id/", C},
		{"qx'id'", C},
		{"qx\"id\"", C},
		{"%x/uname -a/", C},
		{"a qx'box' in the name", N},
		{"ratio 4x/3x/2x", N},
		{"the \"qx\" key", N},
	};
	rt_run("cmdi-qx-delims", t, sizeof(t) / sizeof(t[0]));
}

/* PHP skips tabs and comments before a call's '('; the short tag opens
 * code as <?php does (rev4 E3) */
static void test_cmdi_php_blanks(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<?php passthru\t($_GET['c']); ?>", C},
		{"<?php system/**/($_GET['c']); ?>", C},
		{"<?php system /**/ ('id'); ?>", C},
		{"<? echo `$_GET[c]`; ?>", C},
		{"<? system($_GET['c']); ?>", C},
		{"Start the file with `<?php` and leave out the closing `?>` in pure PHP files.", N},
		{"I put <? at the top but the system (Apache 2.4) still shows the source.", N},
		{"<?xml version=\"1.0\"?><a>system</a>", N},
	};
	rt_run("cmdi-php-blanks", t, sizeof(t) / sizeof(t[0]));
}

/* SSI directives with several blanks before the attribute (rev4 E4) */
static void test_cmdi_ssi_blanks(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<!--#echo  var=\"DOCUMENT_ROOT\" -->", C},
		{"<!--#echo\tvar=\"DOCUMENT_NAME\" -->", C},
		{"<!--#set   var=\"x\" value=\"y\" -->", C},
		{"<!--#exec  cmd=\"id\" -->", C},
		{"<!-- echo  var=x -->", N},
		{"<!--#region  echo -->", N},
	};
	rt_run("cmdi-ssi-blanks", t, sizeof(t) / sizeof(t[0]));
}

/* a default word quoted whole, a positional parameter's default (rev4 E6) */
static void test_cmdi_default_quoted(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";${x:-\"id\"}", C},
		{";${x:-'id'}", C},
		{";${9:-uname} -a", C},
		{";${x:-\"uname\"} -a", C},
		{"|${1:-id}", C},
		{"Hello ${name:-\"guest\"}; welcome", N},
		{"${1:-default}", N},
	};
	rt_run("cmdi-default-quoted", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdi_glob_forms),
		cmocka_unit_test(test_cmdi_qx_delims),
		cmocka_unit_test(test_cmdi_php_blanks),
		cmocka_unit_test(test_cmdi_ssi_blanks),
		cmocka_unit_test(test_cmdi_default_quoted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
