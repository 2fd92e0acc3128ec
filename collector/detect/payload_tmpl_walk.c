/* payload_tmpl_walk.c - two readings of a template expression for
 * payload_tmpl.c: string literals joined (and repeated) into a Python
 * dunder that reaches code, and the EL walk from JSP's pageContext or
 * JSF's facesContext to the container (blanks allowed between EL's
 * tokens). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_tmpl_int.h"

#include <string.h>

/* the dunders of payload_tmpl.c's markers: the walk from an object to
 * code (a dunder such as __main__ or __name__ reaches nothing) */
static const char *const walk_dunders[] = {
	"__class__", "__mro__", "__subclasses__", "__globals__",
	"__builtins__", "__import__", "__init__", "__base__",
};

/* Does t[0..l) hold one of walk_dunders, where it is no file name
 * ("__init__.py")? The predicate of a plain literal and of a joined one. */
int payload_tmpl_walk_dunder(const char *t, size_t l)
{
	for (size_t k = 0; k + 4 < l; k++) {
		if (t[k] != '_' || t[k + 1] != '_')
			continue;
		for (size_t d = 0; d < sizeof(walk_dunders) / sizeof(walk_dunders[0]); d++) {
			size_t dl = strlen(walk_dunders[d]);

			if (k + dl <= l && !memcmp(t + k, walk_dunders[d], dl) &&
			    !(k + dl + 3 <= l && !memcmp(t + k + dl, ".py", 3)))
				return 1;
		}
	}
	return 0;
}

/* after a literal ending at lo[q - 1]: a repetition "* N" (N of 1..16,
 * Python's and Jinja's "_"*2); N, and *past after it, or 1 */
static size_t walk_repeat(const char *lo, size_t n, size_t q, size_t *past)
{
	size_t r = 0, p = q;

	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p >= n || lo[p] != '*')
		return 1;
	p++;
	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	while (p < n && lo[p] >= '0' && lo[p] <= '9' && r < 100)
		r = r * 10 + (size_t)(lo[p++] - '0');
	if (r < 1 || r > 16)
		return 1;
	*past = p;
	return r;
}

/* The first chain at or after p of string literals joined (with '+',
 * '~' or only blanks: Jinja joins adjacent literals), each maybe
 * repeated ("_"*2), into a text holding a walk_dunders name that no
 * literal holds whole (["__cl"+"ass__"], "_"*2+"class"+"_"*2): its first
 * quote, or n; *end: after its last literal. The joined text is kept up
 * to 64 bytes; each literal is read once. */
size_t payload_tmpl_walk_joined(const char *lo, size_t n, size_t p, size_t *end)
{
	for (; p < n; p++) {
		char txt[64];
		size_t w = 0, q = p, pieces = 0;
		int whole = 0;

		if (lo[p] != '\'' && lo[p] != '"')
			continue;
		while (q < n && (lo[q] == '\'' || lo[q] == '"')) {
			size_t e = q + 1, reps, past = 0;
			char qc = lo[q];

			while (e < n && lo[e] != qc && e - q < 64)
				e++;
			if (e >= n || lo[e] != qc)
				break;
			whole |= payload_tmpl_walk_dunder(lo + q + 1, e - q - 1);
			reps = walk_repeat(lo, n, e + 1, &past);
			for (size_t r = 0; r < reps; r++)
				for (size_t k = q + 1; k < e && w < sizeof(txt); k++)
					txt[w++] = lo[k];
			pieces += reps;
			if (pieces >= 2 && !whole && payload_tmpl_walk_dunder(txt, w)) {
				*end = e + 1;
				return p;
			}
			q = reps > 1 ? past : e + 1;
			while (q < n && payload_is_space((unsigned char)lo[q]))
				q++;
			if (q < n && (lo[q] == '+' || lo[q] == '~')) {
				q++;
				while (q < n && payload_is_space((unsigned char)lo[q]))
					q++;
			}
		}
		if (q > p)
			p = q - 1;
	}
	*end = n;
	return n;
}

/* lo[p..x) at the name w, which ends there */
static int walk_name(const char *lo, size_t x, size_t p, size_t q, const char *w)
{
	size_t l = strlen(w);

	return q - p == l && !memcmp(lo + p, w, l);
}

/* the EL objects that hold the container: a walk ending at one hands
 * it over ("${pageContext.request}"); a walk through servletContext, the
 * response or a class loader reaches it whatever follows */
static const char *const el_objects[] = {"request", "response", "session", "servletcontext", "application"};
static const char *const el_reach[] = {"servletcontext", "response", "classloader", "getclass"};

/* JSP's pageContext and JSF's facesContext at lo[b..x), walked by '.'
 * with blanks around it ("#{ facesContext .externalContext.response}"):
 * a call in the walk 75, a step through el_reach or a walk ending at one
 * of el_objects 65, the bare pageContext 60; 0 for a property read
 * (${pageContext.request.contextPath}, the JSP link idiom). */
int payload_tmpl_walk_el(const char *lo, size_t b, size_t x, const char **why)
{
	size_t p, q, last = b, last_end;
	int fc = payload_at(lo, x, b, "facescontext");

	if (!fc && !payload_at(lo, x, b, "pagecontext"))
		return 0;
	p = last_end = b + (fc ? 12 : 11);
	if (p < x && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_'))
		return 0;
	for (int k = 0; k < 16; k++) {
		while (p < x && payload_is_space((unsigned char)lo[p]))
			p++;
		if (p < x && lo[p] == '(' && last > b) {
			*why = "method call in template expression";
			return 75;
		}
		if (p >= x || lo[p] != '.')
			break;
		p++;
		while (p < x && payload_is_space((unsigned char)lo[p]))
			p++;
		for (q = p; q < x && q - p < 40 && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '_'); q++)
			;
		if (q == p)
			break;
		for (size_t r = 0; r < sizeof(el_reach) / sizeof(el_reach[0]); r++)
			if (walk_name(lo, x, p, q, el_reach[r])) {
				*why = "template global object walk";
				return 65;
			}
		last = p, last_end = q, p = q;
	}
	while (p < x && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p < x)
		return 0;
	if (last == b) {
		*why = "template global object";
		return fc ? 0 : 60;
	}
	for (size_t r = 0; r < sizeof(el_objects) / sizeof(el_objects[0]); r++)
		if (walk_name(lo, x, last, last_end, el_objects[r])) {
			*why = "template global object walk";
			return 65;
		}
	return 0;
}

/* Smarty's and the scanners' single-brace probe, a product of numbers
 * alone: "{7*7}", "{ 1337*2 }", the value or after a quote or operator
 * ("'{7*7}"), or ending the value after a blank ("q {7*7}"); not a brace
 * of TeX ("x^{2*3}", "\frac{1}{2*3}", "\sqrt{2*3}"), of another
 * delimiter ("{{", "${") or in prose ("and {7*7} in braces"). lo[i] is
 * '{'. */
int payload_tmpl_walk_brace_math(const char *lo, size_t n, size_t i)
{
	size_t p = i + 1;
	int nums = 0, stars = 0;
	int blank = i > 0 && (payload_is_space((unsigned char)lo[i - 1]) || lo[i - 1] == '+'); /* '+': a form's blank */

	if (i > 0 && (payload_is_alnum((unsigned char)lo[i - 1]) || strchr("{}$#*@%^_\\", lo[i - 1])))
		return 0;
	for (; p < n && p - i < 32 && lo[p] != '}'; p++) {
		if (lo[p] >= '0' && lo[p] <= '9') {
			nums += p == i + 1 || !(lo[p - 1] >= '0' && lo[p - 1] <= '9');
		} else if (lo[p] == '*') {
			stars++;
		} else if (!payload_is_space((unsigned char)lo[p])) {
			return 0;
		}
	}
	if (!(p < n && lo[p] == '}' && nums >= 2 && stars >= 1 && stars < nums && (!blank || p + 1 == n)))
		return 0;
	/* 2: the probe as the scanners send it, the whole value or a quote
	 * break's ("{7*7}", "'{7*7}'"); 1: inside text or code, where JSX
	 * props ("p={2*8}"), f-strings and "{3*4} items" write it too */
	return (i == 0 || lo[i - 1] == '\'' || lo[i - 1] == '"') &&
		       (p + 1 == n || lo[p + 1] == '\'' || lo[p + 1] == '"') ? 2 : 1;
}

/* Velocity's references need no braces: "$class.inspect(...)",
 * "$x.getClass().forName(...)". The markers of a reference that reaches
 * Java's reflection, each found once per value and again only once a
 * '$' has passed it (linear in the value). */
static const char *const vel_marks[] = {"getclass(", "forname(", "getruntime(", "classloader", ".inspect("};

#define VEL_MARKS (sizeof(vel_marks) / sizeof(vel_marks[0]))
#define VEL_SPAN 128

/* A walk without calls, lo[p..end) from the reference's first '.' to
 * its end, its '$' at lo[i]: a payload when it is the whole value (at
 * most a few bytes of punctuation around it: "$x.class.classLoader",
 * "'$this.classLoader'") or takes 2+ steps after ".class"
 * ("$x.class.classLoader.resources"); one step in prose names a field
 * ("$this.classLoader is null"), and in code a Groovy or Kotlin string
 * ("println \"$this.class.classLoader\""). The marker at lo[m] must be
 * in the walk. At most VEL_SPAN + 32 bytes read. */
static int vel_bare_walk(const char *lo, size_t n, size_t i, size_t p, size_t end, size_t m)
{
	size_t r = p, c, steps = 0, h = 0;

	/* the walk's names and dots: "$this.classLoader+is+null" in a path
	 * ends at '+' */
	while (r < end && (payload_is_alnum((unsigned char)lo[r]) || lo[r] == '_' || lo[r] == '.'))
		r++;
	end = r;
	if (m >= end)
		return 0;
	while (r < n && r - end < 16 && !payload_is_alnum((unsigned char)lo[r]) && lo[r] != '_')
		r++;
	while (h < i && h < 16 && !payload_is_alnum((unsigned char)lo[h]) && lo[h] != '_')
		h++;
	if (r == n && h == i)
		return 1;
	c = payload_find(lo, end, p, ".class.");
	if (c >= end)
		return 0;
	for (c += 6; c + 1 < end; c++)
		steps += lo[c] == '.' && payload_is_alpha((unsigned char)lo[c + 1]);
	return steps >= 2;
}

/* lo[i] is '$': is it a reference, "$name." or "$!name.", with one of
 * vel_marks within VEL_SPAN bytes of it, before any blank outside a
 * call's parentheses? next holds
 * each marker's next place (initialised to 0 by the caller: found at the
 * first need). */
int payload_tmpl_walk_velocity(const char *lo, size_t n, size_t i, size_t next[5])
{
	size_t p = i + 1, end;
	int depth = 0;

	/* "Launcher$AppClassLoader.loadClass(": a Java inner class's name
	 * in a stack trace, not a reference */
	if (i > 0 && (payload_is_alnum((unsigned char)lo[i - 1]) || lo[i - 1] == '_'))
		return 0;
	if (p < n && lo[p] == '!')
		p++;
	if (p >= n || !payload_is_alpha((unsigned char)lo[p]))
		return 0;
	while (p < n && p - i < 40 && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_'))
		p++;
	if (p >= n || lo[p] != '.')
		return 0;
	/* the reference ends at a blank outside its calls' parentheses
	 * ("$x.toString( ).getClass( )": Velocity reads blanks between a
	 * call's arguments), at markup, or VEL_SPAN bytes on */
	for (end = p; end < n && end - i < VEL_SPAN && lo[end] != '<' && lo[end] != '>'; end++) {
		if (lo[end] == '(')
			depth++;
		else if (lo[end] == ')' && depth > 0)
			depth--;
		else if (payload_is_space((unsigned char)lo[end]) && depth == 0)
			break;
	}
	/* a marker after the reference's name: "$classLoaders.x" names none */
	for (size_t k = 0; k < VEL_MARKS; k++) {
		if (next[k] <= p)
			next[k] = payload_find(lo, n, p, vel_marks[k]) + 1;
		if (next[k] - 1 < end && (memchr(lo + p, '(', end - p) || vel_bare_walk(lo, n, i, p, end, next[k] - 1)))
			return 1;
	}
	return 0;
}

/* the roots of a system's own files, not of a site's (an absolute
 * template name is read under the template root, "/common/nav.ftl", or
 * names the site's tree, "/home/deploy/site/templates/nav.html") */
static const char *const incl_roots[] = {"/etc/", "/proc/", "/root/", "/dev/", "/sys/", "/tmp/",
					 "/boot/", "/var/log/", "/windows/", "\\windows\\"};

/* the names of a system's files and trees, as one segment of a path */
static const char *const incl_sys[] = {"etc", "proc", "windows", "winnt", "system32", ".ssh", ".aws", ".git",
				       ".env", "passwd", "shadow", "win.ini", "boot.ini", "system.ini", "id_rsa",
				       "environ", "web.config", "web.xml", ".htpasswd", ".bash_history"};

/* source and configuration, not templates: "../../app/config.py" */
static const char *const incl_src[] = {".py", ".php", ".rb", ".properties", ".yml", ".yaml", ".ini",
				       ".conf", ".cfg", ".pem", ".key", ".sql", ".log", ".sh"};

/* Does the name lo[q..e) reach a system's file or tree: a segment of
 * incl_sys (".env.local" too), or (src) ends in one of incl_src? */
static int incl_system(const char *lo, size_t q, size_t e, int src)
{
	size_t s = q;

	for (size_t k = q; k <= e; k++) {
		if (k < e && lo[k] != '/' && lo[k] != '\\')
			continue;
		for (size_t w = 0; w < sizeof(incl_sys) / sizeof(incl_sys[0]); w++) {
			size_t l = strlen(incl_sys[w]);

			int env = !strcmp(incl_sys[w], ".env") && k - s > l && lo[s + l] == '.';

			if ((k - s == l || env) && payload_at(lo, k, s, incl_sys[w]))
				return 1;
		}
		s = k + 1;
	}
	for (size_t w = 0; src && w < sizeof(incl_src) / sizeof(incl_src[0]); w++) {
		size_t l = strlen(incl_src[w]);

		if (e - q > l && payload_at(lo, e, e - l, incl_src[w]))
			return 1;
	}
	return 0;
}

/* lo[q..c) is a name before ':' (c < e): a URL scheme a template
 * loader or PHP's include opens ("file:", "php://", "data:"), or any
 * name followed by "//" */
static int incl_scheme(const char *lo, size_t q, size_t c, size_t e)
{
	static const char *const sch[] = {"file", "php", "http", "https", "ftp", "data", "expect", "zip",
					  "phar", "jar", "glob", "gopher", "classpath", "netdoc", "ssh2"};

	if (c + 2 < e && lo[c + 1] == '/' && lo[c + 2] == '/')
		return 1;
	for (size_t k = 0; k < sizeof(sch) / sizeof(sch[0]); k++)
		if (c - q == strlen(sch[k]) && payload_at(lo, c, q, sch[k]))
			return 1;
	return 0;
}

/* A statement at lo[b..x) that includes, extends or imports a file
 * outside the templates: "include", "extends", "import" or "from", a
 * quoted name that climbs to a system's file, 2+ levels to source or
 * configuration, or 3+ levels ("../" is
 * read from the current template in Django 2.0+, Nunjucks, Freemarker:
 * "../base.html" is the site's), names a URL scheme ("file:", "php:"),
 * a drive to a system's file ("c:/windows/win.ini"), or starts at a
 * system root ("/etc/", "/proc/"). Jinja's, Twig's, Django's, Nunjucks'
 * {% %} and Freemarker's <#include>, [#import]. */
int payload_tmpl_walk_include(const char *lo, size_t b, size_t x)
{
	static const char *const kw[] = {"include", "extends", "import", "from"};
	size_t p = x, q, e;
	int climbs = 0;
	char qc;

	for (size_t k = 0; k < sizeof(kw) / sizeof(kw[0]); k++)
		if (payload_at(lo, x, b, kw[k])) {
			p = b + strlen(kw[k]);
			break;
		}
	if (p >= x || !(payload_is_space((unsigned char)lo[p]) || lo[p] == '"' || lo[p] == '\''))
		return 0;
	while (p < x && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p >= x || (lo[p] != '"' && lo[p] != '\''))
		return 0;
	qc = lo[p];
	q = p + 1;
	for (e = q; e < x && e - q < 256 && lo[e] != qc; e++)
		;
	if (e >= x || lo[e] != qc || e == q)
		return 0;
	/* the climbs anywhere in the name */
	for (size_t k = q; k + 2 < e; k++)
		climbs += lo[k] == '.' && lo[k + 1] == '.' && (lo[k + 2] == '/' || lo[k + 2] == '\\');
	/* one climb to the project's own source ("../examples/demo.py",
	 * "../_config.yml": mkdocs, Jekyll and Sphinx pages pull examples so)
	 * is not; two to it, or any to a system's file, is */
	if (climbs >= 3 || (climbs && incl_system(lo, q, e, climbs >= 2)))
		return 1;
	/* a scheme ("file:///etc/x", "php://filter") or a drive ("c:/x");
	 * Twig's "AppBundle::layout.html.twig", "theme:nav.html" and
	 * Drupal's "olivero:teaser" name a bundle or a theme, not a scheme */
	for (size_t k = q; k < e && k - q < 12 && payload_is_alpha((unsigned char)lo[k]); k++)
		if (k + 1 < e && lo[k + 1] == ':') {
			if (k == q)
				return k + 2 < e && (lo[k + 2] == '/' || lo[k + 2] == '\\') &&
				       incl_system(lo, k + 2, e, 0);
			return incl_scheme(lo, q, k + 1, e);
		}
	for (size_t k = 0; k < sizeof(incl_roots) / sizeof(incl_roots[0]); k++)
		if (payload_at(lo, e, q, incl_roots[k]))
			return 1;
	/* a site's tree holding a system's file: "/home/u/.ssh/id_rsa" */
	return (lo[q] == '/' || lo[q] == '\\') && incl_system(lo, q, e, 0);
}

/* The action context's entry named at lo[k..) up to the quote q: is it
 * one an exploit chain needs (the container that hands out OgnlUtil, a
 * member-access switch) or is it set ("['...'] =")? Struts' own JSPs
 * read struts.valueStack and struts.actionMapping so: not a switch. */
static int ognl_context_switch(const char *lo, size_t n, size_t k, char q)
{
	static const char *const sw[] = {"container", "denymethodexecution", "memberaccess", "excluded",
					 "ognlutil", "securitymember"};
	size_t e = k;

	while (e < n && e - k < 96 && lo[e] != q)
		e++;
	if (e >= n || lo[e] != q)
		return 0;
	for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]); i++)
		if (payload_find(lo, e, k, sw[i]) < e)
			return 1;
	e++;
	if (e < n && lo[e] == ']')
		e++;
	while (e < n && e - k < 112 && payload_is_space((unsigned char)lo[e]))
		e++;
	return e + 1 < n && lo[e] == '=' && lo[e + 1] != '=';
}

/* OGNL's switches of member access outside a delimiter, as Struts reads
 * a Content-Type or namespace: "#_memberaccess" set or read, the action
 * context's "#context['xwork." entries, or "@ognl.ognlcontext@" (its
 * DEFAULT_MEMBER_ACCESS). OGNL reads blanks before and inside '[': every
 * occurrence is judged, each search resuming after the last (linear). */
int payload_tmpl_walk_ognl(const char *lo, size_t n)
{
	for (size_t m = 0; (m = payload_find(lo, n, m, "#_memberaccess")) < n; m += 14) {
		size_t k = m + 14;

		while (k < n && k - m < 24 && payload_is_space((unsigned char)lo[k]))
			k++;
		if (k < n && (lo[k] == '=' || lo[k] == '[' || lo[k] == '.' || lo[k] == ')'))
			return 1;
	}
	/* the action context's switches: #context['xwork.MethodAccessor...'] */
	for (size_t m = 0; (m = payload_find(lo, n, m, "#context")) < n; m += 8) {
		size_t k = m + 8;

		while (k < n && k - m < 24 && payload_is_space((unsigned char)lo[k]))
			k++;
		if (k >= n || lo[k] != '[')
			continue;
		k++;
		while (k < n && k - m < 40 && payload_is_space((unsigned char)lo[k]))
			k++;
		if (k + 1 < n && (lo[k] == '\'' || lo[k] == '"') &&
		    (payload_at(lo, n, k + 1, "xwork.") || payload_at(lo, n, k + 1, "com.opensymphony.") ||
		     payload_at(lo, n, k + 1, "struts.") || payload_at(lo, n, k + 1, "_memberaccess")) &&
		    ognl_context_switch(lo, n, k + 1, lo[k]))
			return 1;
	}
	return payload_find(lo, n, 0, "@ognl.ognlcontext@") < n;
}

/* After OGNL's "%{" at lo[s]: blanks, any '(' (a group), then "#name="
 * (not "=="): a variable set, what Struts payloads chain. */
int payload_tmpl_walk_ognl_set(const char *lo, size_t n, size_t s)
{
	size_t p = s, q;

	while (p < n && p - s < 8 && (payload_is_space((unsigned char)lo[p]) || lo[p] == '('))
		p++;
	if (p >= n || lo[p] != '#')
		return 0;
	for (q = p + 1; q < n && q - p < 40 && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '_'); q++)
		;
	if (q == p + 1)
		return 0;
	while (q < n && q - p < 48 && payload_is_space((unsigned char)lo[q]))
		q++;
	return q + 1 < n && lo[q] == '=' && lo[q + 1] != '=';
}

/* filters that take a callable by name or build text a payload needs:
 * Twig's ['id']|map('system'), Jinja's "%c"|format(95) */
static const char *const filter_calls[] = {"map", "filter", "sort", "reduce", "attr", "apply", "call",
					   "format", "sprintf", "invoke", "template_from_string"};
static const char *const filter_globals[] = {"self", "request", "config", "settings", "app", "env", "lipsum",
					     "cycler", "joiner", "namespace", "url_for", "get_flashed_messages",
					     "application", "session", "_self"};
static const char *const filter_danger[] = {"system", "exec", "passthru", "popen", "shell_exec", "eval",
					    "assert", "proc_open", "readfile", "file_get_contents", "include",
					    "require", "os", "subprocess"};

/* The first call of a content lo[b..x), a name lo[q..p) called at
 * lo[p] == '(': is it a filter of Jinja, Twig, Nunjucks or Liquid given
 * literals ("{{ total | round(2) }}", "{{ x | default('n/a') }}",
 * "{{ d | strftime('%Y') }}")? A name after '|', not one of
 * filter_calls, its arguments up to the first ')' holding no call, no
 * dunder and no literal that names a function of filter_danger. 1 or 0. */
int payload_tmpl_walk_filter(const char *lo, size_t b, size_t q, size_t p, size_t x)
{
	size_t k = q, e;

	/* '+': a path segment's blank */
	while (k > b && (payload_is_space((unsigned char)lo[k - 1]) || lo[k - 1] == '+'))
		k--;
	if (k == b || lo[k - 1] != '|' || (k >= b + 2 && lo[k - 2] == '|'))
		return 0;
	for (size_t f = 0; f < sizeof(filter_calls) / sizeof(filter_calls[0]); f++)
		if (p - q == strlen(filter_calls[f]) && !memcmp(lo + q, filter_calls[f], p - q))
			return 0;
	for (e = p + 1; e < x && e - p < 200 && lo[e] != ')'; e++) {
		if (lo[e] == '(' || (lo[e] == '_' && e + 1 < x && lo[e + 1] == '_'))
			return 0;
		/* a name given to the filter: not a template global */
		if (payload_is_alpha((unsigned char)lo[e]) && !payload_is_alnum((unsigned char)lo[e - 1]) &&
		    lo[e - 1] != '.' && lo[e - 1] != '_') {
			size_t c = e;

			while (c < x && (payload_is_alnum((unsigned char)lo[c]) || lo[c] == '_'))
				c++;
			for (size_t g = 0; g < sizeof(filter_globals) / sizeof(filter_globals[0]); g++)
				if (c - e == strlen(filter_globals[g]) && !memcmp(lo + e, filter_globals[g], c - e))
					return 0;
			e = c - 1;
			continue;
		}
		if (lo[e] == '\'' || lo[e] == '"') {
			size_t c = e + 1;

			while (c < x && c - e < 200 && lo[c] != lo[e])
				c++;
			if (c >= x || lo[c] != lo[e])
				return 0;
			for (size_t d = 0; d < sizeof(filter_danger) / sizeof(filter_danger[0]); d++)
				if (c - e - 1 == strlen(filter_danger[d]) && !memcmp(lo + e + 1, filter_danger[d], c - e - 1))
					return 0;
			e = c;
		}
	}
	return e < x && lo[e] == ')';
}
