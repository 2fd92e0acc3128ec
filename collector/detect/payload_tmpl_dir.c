/* payload_tmpl_dir.c - how far a Freemarker list or a Smarty
 * reserved variable reaches. A CMS's e-mail template lists
 * its own data (<#list items as item>) and prints
 * the time or a loop's index ({$smarty.now|date_format},
 * {$smarty.foreach.row.index}): told. A directive given a built-in
 * ('?': ?new, ?api, ?keys) or a special variable (.data_model, .vars),
 * and the Smarty variables that hand over the request, the server, the
 * constants or the engine ({$smarty.version}, the probe tools send) are
 * kills, and so is an assignment (<#assign x=1>, what tools send).
 * And which members of Tornado's request handler count, and arithmetic
 * shown with its result, as a tutorial writes it. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_tmpl_int.h"

#include <string.h>

#define DIR_MAX 128 /* bytes of a directive read */

/* a Freemarker directive's content from s, up to close (its '>' or
 * ']'); an assignment is what tools send (<#assign x=1>), a kill */
int payload_tmpl_dir_fm(const char *lo, size_t n, size_t s, char close)
{
	if (payload_at(lo, n, s, "assign"))
		return 70;
	for (size_t p = s; p < n && p - s < DIR_MAX && lo[p] != close; p++)
		if (lo[p] == '?' || lo[p] == '(' ||
		    (lo[p] == '.' && p > s && (payload_is_space((unsigned char)lo[p - 1]) || lo[p - 1] == '=') &&
		     p + 1 < n && payload_is_alpha((unsigned char)lo[p + 1])))
			return 70;
	return 50;
}

/* "{$smarty." at s - 7: the member named at s */
int payload_tmpl_dir_smarty(const char *lo, size_t n, size_t s)
{
	static const char *const told[] = {"now", "foreach", "section", "capture", "ldelim", "rdelim", "block",
					    "current_dir", "counter"};

	if (s < n && lo[s] == '.')
		s++;
	for (size_t k = 0; k < sizeof(told) / sizeof(told[0]); k++) {
		size_t l = strlen(told[k]);

		if (payload_at(lo, n, s, told[k]) &&
		    (s + l >= n || !(payload_is_alnum((unsigned char)lo[s + l]) || lo[s + l] == '_')))
			return 50;
	}
	return 75;
}

/* Velocity's "#set(" at s - 5, s at its '$': a literal assigned
 * (#set($greeting = "Hello"), #set($count = 1), #set($on = true)) is a
 * page's own variable: told. Anything else (a reference, a call, a
 * sum: #set($x = $e.class), #set($x = 7*7)) is what tools send, a kill */
int payload_tmpl_dir_vset(const char *lo, size_t n, size_t s)
{
	size_t p = s + 1, lim = s + DIR_MAX < n ? s + DIR_MAX : n;

	while (p < lim && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_' || lo[p] == '-'))
		p++;
	while (p < lim && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p >= lim || lo[p] != '=')
		return 70;
	for (p++; p < lim && payload_is_space((unsigned char)lo[p]); p++)
		;
	if (p < lim && (lo[p] == '"' || lo[p] == '\'')) {
		char q = lo[p];

		for (p++; p < lim && lo[p] != q; p++)
			if (lo[p] == '$' || lo[p] == '#' || lo[p] == '\\')
				return 70;
		p++;
	} else if (payload_at(lo, lim, p, "true") || payload_at(lo, lim, p, "false")) {
		p += lo[p] == 't' ? 4 : 5;
	} else {
		size_t d = p;

		if (p < lim && lo[p] == '-')
			p++;
		while (p < lim && ((lo[p] >= '0' && lo[p] <= '9') || lo[p] == '.'))
			p++;
		if (p == d || (p == d + 1 && lo[d] == '-'))
			return 70;
	}
	while (p < lim && payload_is_space((unsigned char)lo[p]))
		p++;
	return p < lim && lo[p] == ')' ? 50 : 70;
}

/* A site generator's own settings and a page's request line read by
 * name ({{ config.site_name }}, {{ config.extra.analytics }},
 * {{ request.path }}): told. At p the '.' after the global g; the walk
 * up to x is only names and dots, and none reaches a secret, a method or
 * a dunder (config.items(), config.secret_key, request.environ) */
int payload_tmpl_dir_plain_read(const char *lo, size_t p, size_t x, const char *g)
{
	static const char *const req_line[] = {"path", "url", "method", "endpoint", "host", "base_url",
					       "full_path", "url_root", "scheme"};
	static const char *const secret[] = {"secret", "key", "pass", "token", "cred", "item", "from", "get",
					      "env", "update", "class", "global", "init", "database", "sql"};
	size_t e = p, k;

	if (strcmp(g, "config") && strcmp(g, "request"))
		return 0;
	while (e < x && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '_' || lo[e] == '.'))
		e++;
	while (e < x && payload_is_space((unsigned char)lo[e]))
		e++;
	if (e != x || lo[p] != '.' || payload_find(lo, x, p, "__") < x || payload_find(lo, x, p, "..") < x)
		return 0;
	for (k = 0; k < sizeof(secret) / sizeof(secret[0]); k++)
		if (payload_find(lo, x, p, secret[k]) < x)
			return 0;
	if (!strcmp(g, "request")) {
		for (k = 0; k < sizeof(req_line) / sizeof(req_line[0]); k++) {
			size_t l = strlen(req_line[k]);

			if (payload_at(lo, x, p + 1, req_line[k]) &&
			    (p + 1 + l >= x || !(payload_is_alnum((unsigned char)lo[p + 1 + l]) || lo[p + 1 + l] == '_')))
				return 1;
		}
		return 0;
	}
	return 1;
}

/* {{printf "%.2f" .Price}}, {{index .Items 0}}: a builtin that formats
 * or indexes named fields (its arguments from p to x; not "call") prints
 * the page's own data, told; one given the data root "." whole, a
 * variable or a call ({{printf "%v" .}}, {{call .Fn}}) stays a kill */
int payload_tmpl_dir_go_fields(const char *lo, size_t p, size_t x)
{
	while (p < x) {
		while (p < x && payload_is_space((unsigned char)lo[p]))
			p++;
		if (p >= x)
			break;
		if (lo[p] == '"') {
			for (p++; p < x && lo[p] != '"'; p++)
				if (lo[p] == '\\')
					p++;
			if (p >= x)
				return 0;
			p++;
		} else if (lo[p] == '.' && p + 1 < x && payload_is_alpha((unsigned char)lo[p + 1])) {
			for (p++; p < x && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_' || lo[p] == '.'); p++)
				;
		} else if (lo[p] >= '0' && lo[p] <= '9') {
			while (p < x && ((lo[p] >= '0' && lo[p] <= '9') || lo[p] == '.'))
				p++;
		} else {
			return 0;
		}
		if (p < x && !payload_is_space((unsigned char)lo[p]))
			return 0;
	}
	return 1;
}

/* Tornado's request handler is a template global, but "handler" is also
 * the person a ticket or a claim is handled by ({{handler.name}}): only
 * its members that reach the application's secrets count
 * ({{handler.settings}} holds the cookie secret); blanks may stand
 * around the '.' as Python allows */
int payload_tmpl_dir_tornado(const char *lo, size_t b, size_t x)
{
	static const char *const mem[] = {"settings", "application", "request", "get_secure_cookie",
					  "create_signed_value", "cookies", "get_cookie", "ui"};
	size_t p = b + 7;

	if (!payload_at(lo, x, b, "handler"))
		return 0;
	while (p < x && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p >= x || lo[p] != '.')
		return 0;
	for (p++; p < x && payload_is_space((unsigned char)lo[p]);)
		p++;
	for (size_t k = 0; k < sizeof(mem) / sizeof(mem[0]); k++) {
		size_t l = strlen(mem[k]);

		if (payload_at(lo, x, p, mem[k]) &&
		    (p + l >= x || !(payload_is_alnum((unsigned char)lo[p + l]) || lo[p + l] == '_')))
			return 1;
	}
	return 0;
}

/* lo[b..x) is two integers and an operator ("2 * 3", "7*'7'" is not),
 * and after the close at e (its bytes, then blanks) "=", "==", "=>",
 * "->" or a verb ("renders", "is") and that operation's result: a tutorial showing what the
 * template prints ("{{ 2 * 3 }} = 6"). A scanner's probe reads the
 * result in the response; it never writes it in the request. */
int payload_tmpl_dir_arith_shown(const char *lo, size_t n, size_t b, size_t x, size_t e)
{
	long v[2] = {0, 0}, r;
	char op = 0;
	size_t p = b;

	for (int k = 0; k < 2; k++) {
		size_t d = p;

		while (p < x && p - d < 6 && lo[p] >= '0' && lo[p] <= '9')
			v[k] = v[k] * 10 + (lo[p++] - '0');
		if (p == d || (p < x && lo[p] >= '0' && lo[p] <= '9'))
			return 0;
		while (p < x && payload_is_space((unsigned char)lo[p]))
			p++;
		if (k == 0) {
			if (p >= x || !strchr("*+-", lo[p]))
				return 0;
			op = lo[p++];
			while (p < x && payload_is_space((unsigned char)lo[p]))
				p++;
		}
	}
	if (p != x)
		return 0;
	r = op == '*' ? v[0] * v[1] : op == '+' ? v[0] + v[1] : v[0] - v[1];
	for (p = e; p < n && p < e + 3 && strchr("}%>]", lo[p]); p++)
		;
	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p + 1 < n && (lo[p] == '=' || (lo[p] == '-' && lo[p + 1] == '>'))) {
		p += lo[p] == '-' || lo[p + 1] == '=' || lo[p + 1] == '>' ? 2 : 1;
	} else {
		/* or a verb a sentence says it with: "{{7*7}} renders 49" */
		static const char *const verb[] = {"renders ", "returns ", "gives ", "prints ", "outputs ",
						   "evaluates to ", "becomes ", "is "};
		size_t k = 0;

		while (k < sizeof(verb) / sizeof(verb[0]) && !payload_at(lo, n, p, verb[k]))
			k++;
		if (k == sizeof(verb) / sizeof(verb[0]))
			return 0;
		p += strlen(verb[k]);
	}
	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	if (r < 0 || p >= n || lo[p] < '0' || lo[p] > '9')
		return 0;
	for (long got = 0; p <= n; p++) {
		if (p < n && lo[p] >= '0' && lo[p] <= '9' && got < 100000000000L) {
			got = got * 10 + (lo[p] - '0');
			continue;
		}
		return got == r && (p == n || !payload_is_alnum((unsigned char)lo[p]));
	}
	return 0;
}
