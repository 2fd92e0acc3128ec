/* test_payload_rte6.c - issue 20, helper e (session 29): a Smarty tag
 * calling a static method of the template's own class
 * ({self::getStreamVariable(..)}), EJS printing Node's process
 * environment (<%= process.env %>), a $where string broken out of with
 * JavaScript comments or non-ASCII blanks around the ';'
 * ('/ ** /; return true; var a='), and wildcard-DNS names spelling the
 * address in hexadecimal (a9fea9fe.nip.io), one row per construct.
 * Every value is judged as a query parameter value (payload_scan) and as
 * a form body "a=1&q=<percent-encoded value>" (payload_scan_query): an
 * attack must draw its own kind in both, a benign value nothing in
 * either. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define S PAYLOAD_NOSQLI
#define T PAYLOAD_SSTI
#define F PAYLOAD_SSRF
#define N PAYLOAD_NONE

/* note19 / rev7: Smarty before 3.1.30 runs {self::method(..)} on the
 * template's class: getStreamVariable reads any file or URL. PHP code
 * with a statement after the call, and a static property, are no tag. */
static void test_ssti_smarty_static(void **st)
{
	static const struct rtcase t[] = {
		{"{self::getStreamVariable(\"file:///etc/passwd\")}", T},
		{"{self::getStreamVariable(\"/etc/passwd\")}", T},
		{"{self::getStreamVariable(\"http://203.0.113.7/x\")}", T},
		{"{self::clearConfig()}", T},
		{"{static::getStreamVariable('/etc/hosts')}", T},
		{"x{self::getStreamVariable(\"/proc/self/environ\")", T},
		{"{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}", T},
		{"{fetch file=\"file:///etc/passwd\"}", T},
		{"{fetch file='/etc/passwd'}", T},
		{"{include file=\"file:/etc/passwd\"}", T},
		{"{include file=\"../../../../config.php\"}", T},
		{"{include file=\"string:{system('id')}\"}", T},
		{"{include file=\"phar:///tmp/upload.jpg/x\"}", T},
		{"{fetch file=\"/proc/self/environ\"}", T},
		{"{fetch file=\"http://203.0.113.7/x\"}", T},
		{"{include file=\"header.tpl\"}", N},
		{"{include file='file:footer.tpl' title=\"Home\"}", N},
		/* q: Smarty's manual and ordinary templates */
		{"{include file=\"../shared/header.tpl\"}", N},
		{"{include file='file:/usr/local/share/templates/navigation.tpl'}", N},
		{"{include file='C:/www/pub/templates/header.tpl'}", N},
		{"{include file='db:header.tpl'}", N},
		{"{include file=\"extends:layout.tpl|mypage.tpl\"}", N},
		{"{include file=\"string:{$template_body}\"}", N},
		{"{fetch file='/export/httpd/www.example.com/docs/navbar.js'}", N},
		{"if ($x) {self::log(\"saved\"); return;}", N},
		{"{self::$instance}", N},
		{"use {self::Item} in Rust", N},
	};
	(void)st;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(rt_best("{self::getStreamVariable(\"/etc/passwd\")}", 0, T), 85);
	assert_int_equal(rt_best("{self::clearConfig()}", 0, T), 85);
	assert_int_equal(rt_best("{fetch file=\"file:///etc/passwd\"}", 0, T), 80);
	/* quoted in prose: told */
	assert_int_equal(rt_best("Smarty: {self::method()} is not allowed in tags", 0, T), 50);
	assert_int_equal(rt_best("see {include file=\"/etc/passwd\"} in the docs", 0, T), 50);
}

/* EJS's <%= %> and <%- %> print what Pug's #{ } prints: the whole
 * environment at the kill line, one variable told */
static void test_ssti_ejs_process(void **st)
{
	static const struct rtcase t[] = {
		{"<%= process.env %>", T},
		{"<%- process.env %>", T},
		{"<%= JSON.stringify(process.env) %>", T},
		{"<%= process.env.SECRET %>", T},
		{"<%- process.mainModule.require('child_process').execSync('id') %>", T},
		{"<%= user.name %>", N},
		{"<%= processed.count %>", N},
	};
	(void)st;
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(rt_best("<%= process.env %>", 0, T), 70);
	assert_int_equal(rt_best("<%- process.env %>", 0, T), 70);
	assert_true(rt_best("<%= process.env.PORT %>", 0, T) < 60);
}

/* rev7 E5c: JavaScript takes comments and any Unicode blank where a
 * blank goes; after the break, before and after the ';' */
static void test_nosql_break_comment(void **st)
{
	static const struct rtcase t[] = {
		{"'/**/; return true; var a='", S},
		{"'/**/;return true;//", S},
		{"';/**/return true;var b='", S},
		{"'/*x*/; /*y*/ return 1==1; var a='", S},
		{"'/*x*/||/*y*/'1'=='1", S},
		{"1;/**/sleep(5000)", S},
		{"1/**/;/**/return true", S},
		{"'\xc2\xa0; return true; var a='", S},
		{"'//\n; return true; var a='", S},
		{"\"/* a */; while(1){}; var b=\"", S},
		{"'\xe2\x80\xa8; return true; var z='", S},
		{"0/**/;/**/return/**/true", S},
		{"1; while(true){}", S},
		{"'\xc2\xa0;\xc2\xa0return\xc2\xa0true;\xc2\xa0var\xc2\xa0x='", S},
		{"1;return true//", S},
		{"3; while(true) is bad", N},
		{"1; return true if valid", N},
		{"I said: 'hi' /* aside */; return policy is 30 days", N},
		{"don't /**/ do this", N},
		{"'/* note */; see below", N},
	};
	(void)st;
	rt_run("nosqli", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(rt_best("'/**/; return true; var a='", 0, S), 75);
}

/* nip.io's hexadecimal names: 8 hex digits as the last label, alone or
 * after a dash ("magic-a9fea9fe") */
static void test_ssrf_wildcard_hex(void **st)
{
	static const struct rtcase t[] = {
		{"http://a9fea9fe.nip.io/latest/meta-data/", F},
		{"http://magic-a9fea9fe.nip.io/", F},
		{"http://7f000001.sslip.io:8080/admin", F},
		{"{\"url\":\"http://0a000803.nip.io/\"}", F},
		{"http://localhost.localdomain/admin", F},
		{"http://ip6-localhost:8080/", F},
		{"http://instance-data.ec2.internal/latest/meta-data/", F},
		{"https://deadbeef.nip.io/", N},
		{"https://app-5db8c0de.nip.io/", N},
	};
	(void)st;
	rt_run("ssrf", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(rt_best("http://a9fea9fe.nip.io/latest/meta-data/", 0, F), 95);
}

/* JSON.parse reads escapes in a key: {"\u005f_proto__": {..}} is the
 * __proto__ key; prose naming __proto__ before a word is no key */
static void test_proto_escaped_and_prose(void **st)
{
	static const char *const js[] = {
		"{\"\\u005f_proto__\":{\"isAdmin\":true}}",
		"{\"a\":{\"\\u005F\\u005F\\u0070roto\\u005f\\u005f\" : {\"x\":1}}}",
	};
	static const char *const benign[] = {
		"{\"note\":\"\\u005f_proto__ is a key\"}",
		"{\"\\u005f_proto__\":1}",
		"{\"name\":\"caf\\u00e9\",\"x\":{\"y\":1}}",
	};
	static const struct rtcase t[] = {
		{"x.__proto__ = {\"admin\":1}", PAYLOAD_PROTO_POLLUTION},
		{"a.__proto__.isAdmin=1", PAYLOAD_PROTO_POLLUTION},
		{"obj.__proto__ is deprecated", N},
		{"Use Object.getPrototypeOf(o), not o.__proto__ here", N},
	};
	struct payload_match m[PAYLOAD__COUNT];

	(void)st;
	for (size_t i = 0; i < sizeof(js) / sizeof(js[0]); i++) {
		int k = payload_scan_json(js[i], strlen(js[i]), m, PAYLOAD__COUNT), hit = 0;

		for (int j = 0; j < k; j++)
			hit |= m[j].kind == PAYLOAD_PROTO_POLLUTION && m[j].score >= 60;
		if (!hit)
			fprintf(stderr, "  FAIL json proto missed: %s\n", js[i]);
		assert_true(hit);
	}
	for (size_t i = 0; i < sizeof(benign) / sizeof(benign[0]); i++) {
		int k = payload_scan_json(benign[i], strlen(benign[i]), m, PAYLOAD__COUNT);

		if (k)
			fprintf(stderr, "  FAIL json benign flagged: %s [%s]\n", benign[i], m[0].why);
		assert_int_equal(k, 0);
	}
	rt_run("proto", t, sizeof(t) / sizeof(t[0]));
}

/* rev8 L2/E8: a number's $where break returning a parenthesised
 * expression ("0; return(true)") or a negation ("0; return !0"), and
 * every JavaScript blank (U+1680, U+2000-U+200A, U+202F, U+205F,
 * U+3000) where a blank goes; a group that is prose is none */
static void test_nosql_number_break_rev8(void **st)
{
	static const struct rtcase kill[] = {
		{"0; return(true)", S},
		{"1; return(true)", S},
		{"0;return(1)", S},
		{"0; return(true);", S},
		{"0;return(true)//", S},
		{"0; return(1==1)", S},
		{"0; return(1", S},
		{"0; return (true)", S},
		{"0; return !0", S},
		{"0;return !!1", S},
		{"0; return !(0)", S},
		{"0;\xe3\x80\x80return true", S},
		{"0;\xe1\x9a\x80return true", S},
		{"0;\xe2\x80\x80return true", S},
		{"0;\xe2\x80\x8areturn\xe2\x80\x8atrue", S},
		{"0;\xe2\x80\xafreturn true", S},
		{"0;\xe2\x81\x9freturn true", S},
		{"0\xe3\x80\x80;\xe3\x80\x80return true", S},
		{"'\xe3\x80\x80; return true; var a='", S},
		{"'\xe2\x80\x89;\xe2\x80\x89return true; var a='", S},
	};
	static const struct rtcase t[] = {
		{"1; return (see below)", N},
		{"1; return (see below", N},
		{"1; return(s) accepted within 30 days", N},
		{"0; return !important", N},
		{"2; return (true) if valid", N},
	};
	(void)st;
	rt_run("nosqli", kill, sizeof(kill) / sizeof(kill[0]));
	rt_kill_run("nosqli", S, kill, sizeof(kill) / sizeof(kill[0]));
	rt_run("nosqli", t, sizeof(t) / sizeof(t[0]));
}

/* rev8 F1: Smarty's manual fetches a remote file over ftp (told, as
 * http(s) is); an absolute name in a templates directory is a template;
 * a local file that is no template stays a kill */
static void test_ssti_smarty_fetch_rev8(void **st)
{
	static const struct rtcase kill[] = {
		{"{fetch file='/home/user/site/README.md'}", T},
		{"{include file='../../docs/CHANGELOG.md'}", T},
		{"{fetch file='ftp:///etc/passwd'}", T},
		{"{fetch file='/etc/passwd'}", T},
		{"{include file='/var/www/templates/../../../etc/passwd'}", T},
		{"{include file='/usr/local/templates/../../../etc/shadow'}", T},
		{"{fetch file='ftp:/etc/passwd'}", T},
		{"{fetch file='php://filter/resource=/etc/passwd'}", T},
		{"{include file='/proc/self/cwd/templates/x.inc'}", T},
		{"{fetch file='/etc/templates/x.inc'}", T},
		{"{fetch file=\"ftps:///etc/passwd\"}", T},
	};
	static const struct rtcase t[] = {
		{"{include file='/usr/local/include/templates/header.inc'}", N},
		{"{include file='/var/www/site/templates/footer.inc'}", N},
	};
	(void)st;
	rt_run("ssti", kill, sizeof(kill) / sizeof(kill[0]));
	rt_kill_run("ssti", T, kill, sizeof(kill) / sizeof(kill[0]));
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
	assert_int_equal(rt_best("{fetch file='ftp://user:password@ftp.example.com/path/to/currentheadlines.txt'}", 0, T), 50);
	assert_int_equal(rt_best("{fetch file=\"ftps://ftp.example.com/feed.xml\" assign=x}", 0, T), 50);
	assert_int_equal(rt_best("{fetch file='http://www.myweather.com/68502/'}", 0, T), 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssti_smarty_static),
		cmocka_unit_test(test_ssti_ejs_process),
		cmocka_unit_test(test_nosql_break_comment),
		cmocka_unit_test(test_ssrf_wildcard_hex),
		cmocka_unit_test(test_proto_escaped_and_prose),
		cmocka_unit_test(test_nosql_number_break_rev8),
		cmocka_unit_test(test_ssti_smarty_fetch_rev8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
