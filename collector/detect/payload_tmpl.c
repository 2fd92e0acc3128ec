/* payload_tmpl.c - server-side template injection: template delimiters
 * whose content evaluates something (arithmetic, calls, object-graph walks).
 * Log4j lookups are payload_jndi.c's. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_tmpl_int.h"

#include <string.h>

#define TMPL_MAX 1024

/* Content markers that only an attack on a template engine contains. */
static const struct {
	const char *s;
	int score;
	const char *why;
} tmpl_marks[] = {
	{"t(java.", 95, "java type reference in template"},
	{"java.lang.", 90, "java class in template"},
	{"java.io.", 85, "java class in template"},
	{"getclass(", 90, "reflection in template"},
	{"forname(", 90, "reflection in template"},
	{"getruntime(", 90, "runtime access in template"},
	{"processbuilder", 90, "process creation in template"},
	{"?new(", 90, "freemarker object creation"},
	{"__class__", 90, "python object traversal in template"},
	{"__mro__", 90, "python object traversal in template"},
	{"__subclasses__", 90, "python object traversal in template"},
	{"__globals__", 90, "python object traversal in template"},
	{"__builtins__", 90, "python object traversal in template"},
	{"__import__", 90, "python object traversal in template"},
	{"__init__", 85, "python object traversal in template"},
	{"__base__", 85, "python object traversal in template"},
	{"|attr(", 85, "attribute filter in template"},
	{"os.system(", 90, "os command in template"},
	{"os.popen(", 90, "os command in template"},
	{".popen(", 85, "os command in template"},
	{"subprocess", 85, "os command in template"},
	{".subclasses(", 85, "object traversal in template"},
	{".mro(", 85, "object traversal in template"},
	{"|filter(", 75, "filter call in template"},
	{".exec(", 85, "exec call in template"},
	{".system(", 85, "system call in template"},
	/* Razor's and .NET's process start: @System.Diagnostics.Process */
	{"diagnostics.process", 90, "process creation in template"},
	/* a class loader reached from an object (Freemarker, EL), a
	 * function's constructor (doT, Handlebars, Nunjucks) */
	{"classloader", 85, "class loader in template"},
	/* the walk to code, not the property: `${this.constructor.name}`
	 * is an everyday JavaScript template literal */
	{".constructor.constructor", 85, "constructor walk in template"},
	{".constructor.prototype", 80, "constructor walk in template"},
	{".constructor(", 80, "constructor walk in template"},
	/* OGNL's (Struts) context and member access switches */
	{"#_memberaccess", 90, "ognl member access in template"},
	{"#context[", 85, "ognl context in template"},
};

#define TMPL_MARKS (sizeof(tmpl_marks) / sizeof(tmpl_marks[0]))

/* names of template globals that expose the application */
static const char *const tmpl_globals[] = {
	"self", "request", "config", "settings", "_self", "cycler", "joiner",
	"namespace", "lipsum", "app", "url_for", "get_flashed_messages",
	"application", "session", "env", "applicationscope", "sessionscope",
	"requestscope", "initparam",
};

/* Go's template builtins, called with blank-separated arguments:
 * {{printf "%s" .Secret}}, {{call .Fn}} */
static const char *const go_builtins[] = {"printf ", "print ", "println ", "call ", "index ", "slice "};

static int is_num(int c)
{
	return c >= '0' && c <= '9';
}

_Static_assert(TMPL_MARKS <= 64, "tmpl_marks must fit a 64-bit mask");

/* Which markers of tmpl_marks occur anywhere in lo[0..n) (bit k: mark k):
 * one pass per marker over the value, so that a run of openers ("{{{{"
 * repeated) does not search every marker in every opener's content */
static uint64_t tmpl_marks_present(const char *lo, size_t n)
{
	uint64_t m = 0;

	for (size_t k = 0; k < TMPL_MARKS; k++)
		if (payload_find(lo, n, 0, tmpl_marks[k].s) < n)
			m |= (uint64_t)1 << k;
	return m;
}

/* The next place at or after some byte where a search succeeds, kept
 * for the expressions after it: a search runs again only when an
 * expression starts past the place found (or before the byte it started
 * from), so the searches of a value's expressions cost one pass, however
 * many expressions overlap (a run of openers, each judged over up to
 * TMPL_OPEN_MAX bytes, cost 128 bytes of every search per opener). */
struct tmpl_next {
	size_t from, at; /* at: the first success at or after from (n: none) */
	int ok;
};

/* first index >= s where w (wl bytes) occurs in lo[0..n), or n */
static size_t tmpl_next_find(struct tmpl_next *c, const char *lo, size_t n, size_t s, const char *w, size_t wl)
{
	if (!c->ok || s < c->from || s > c->at) {
		c->from = s;
		c->at = payload_find_len(lo, n, s, w, wl);
		c->ok = 1;
	}
	return c->at;
}

/* What tmpl_content keeps across the expressions of one value. */
struct tmpl_lazy {
	uint64_t present;                 /* tmpl_marks_present */
	struct tmpl_next mark[TMPL_MARKS]; /* each marker's next place */
	struct tmpl_next paren;            /* the next '(' */
	struct tmpl_next call[2];          /* the next call of a name after '.' [1] or not [0] */
	struct tmpl_next ctor[2];          /* the next "constructor" quoted */
	int present_quote;                 /* the value has a quote */
	struct tmpl_next split;            /* the next payload_tmpl_walk_joined chain */
	size_t split_end;
};

/* Does w (wl bytes) occur whole within lo[s..e)? */
static int tmpl_next_in(struct tmpl_next *c, const char *lo, size_t n, size_t s, size_t e, const char *w, size_t wl)
{
	size_t at = tmpl_next_find(c, lo, n, s, w, wl);

	return at < n && at + wl <= e;
}

/* The markers of tmpl_marks (those present) in lo[s..e) */
static void tmpl_marks_in(const char *lo, size_t n, size_t s, size_t e, struct tmpl_lazy *z, struct payload_acc *a)
{
	for (size_t k = 0; k < TMPL_MARKS; k++)
		if (((z->present >> k) & 1) &&
		    tmpl_next_in(&z->mark[k], lo, n, s, e, tmpl_marks[k].s, strlen(tmpl_marks[k].s)) &&
		    !(tmpl_marks[k].s[0] == '_' && !payload_tmpl_walk_dunder(lo + z->mark[k].at, e - z->mark[k].at)))
			payload_acc_hit(a, PAYLOAD_SSTI, tmpl_marks[k].score, tmpl_marks[k].why);
}

/* The first call at or after t (lo[t - 1] is no name byte): a '(' after
 * a name (letters and digits) that follows a '.' (dot 1) or not (dot 0);
 * its '(' or n. Kept in c like tmpl_next_find. */
static size_t tmpl_next_call(struct tmpl_next *c, const char *lo, size_t n, size_t t, int dot)
{
	size_t run = (size_t)-1; /* where the name before p began */

	if (c->ok && t >= c->from && t <= c->at)
		return c->at;
	c->from = t, c->ok = 1, c->at = n;
	for (size_t p = t; p < n; p++) {
		if (payload_is_alnum((unsigned char)lo[p])) {
			if (run == (size_t)-1)
				run = p;
			continue;
		}
		if (lo[p] == '(' && run != (size_t)-1 && (run > 0 && lo[run - 1] == '.') == dot) {
			c->at = p;
			break;
		}
		run = (size_t)-1;
	}
	return c->at;
}

/* After an i18n helper's first string literal, lo[p..x): its further
 * arguments and the ')' ending the content, made only of literals, names,
 * keyword arguments and the maps and lists of them ({{ _('Hi %(n)s',
 * n=user.name) }}, {{ $t('key', {n: 1}) }}, {{ __('a', ['n' => $u]) }}):
 * nothing called (no '(' outside a literal), no dunder, no template
 * global named; keys: Pug's #{ }, where a name must be an object's key
 * (#{t('n', {count: 3})}), not a value the helper prints
 * (#{t('a', process.env)}). 1 or 0. */
static int tmpl_i18n_args(const char *lo, size_t p, size_t x, int keys)
{
	size_t w;

	while (p < x && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p >= x || lo[p] != ',' || lo[x - 1] != ')' || x - p > 200)
		return 0;
	for (x--; p < x; p++) {
		char c = lo[p];

		if (c == '\'' || c == '"') {
			size_t e = p + 1;

			while (e < x && lo[e] != c && lo[e] != '\\')
				e++;
			if (e >= x || lo[e] != c)
				return 0;
			p = e;
			continue;
		}
		if (c == '_' && p + 1 < x && lo[p + 1] == '_')
			return 0;
		if (payload_is_alpha((unsigned char)c) && !(p > 0 && (payload_is_alnum((unsigned char)lo[p - 1]) ||
								   lo[p - 1] == '.'))) {
			for (w = p; w < x && payload_is_alnum((unsigned char)lo[w]); w++)
				;
			for (size_t k = 0; k < sizeof(tmpl_globals) / sizeof(tmpl_globals[0]); k++)
				if (w - p == strlen(tmpl_globals[k]) && !memcmp(lo + p, tmpl_globals[k], w - p))
					return 0;
			if (keys) {
				size_t k = w;

				while (k < x && payload_is_space((unsigned char)lo[k]))
					k++;
				if (k >= x || lo[k] != ':')
					return 0;
			}
			p = w - 1;
			continue;
		}
		if (!payload_is_alnum((unsigned char)c) && !payload_is_space((unsigned char)c) &&
		    !strchr(",=:.{}[]>$-+%#&@", c))
			return 0;
	}
	return 1;
}

/* Is the content lo[b..x) one call of a helper, named lo[q..p), of a
 * single string literal: the translation and URL helpers of i18n strings
 * and views ({{ t('welcome.title') }}, {{ __("Hello") }}, {{ asset('a.css')
 * }})? Not the calls that run, read or include something. */
static int tmpl_i18n_call(const char *lo, size_t b, size_t x, size_t q, size_t p, int keys)
{
	static const char *const danger[] = {
		"system", "exec", "eval", "include", "source", "passthru", "popen", "shell_exec",
		"require", "import", "open", "file", "readfile", "file_get_contents", "getattr",
		"lipsum", "range", "dump", "constant", "attribute", "block", "template_from_string",
		"phpinfo", "self", "cycler", "joiner", "namespace", "config", "debug",
	};
	size_t e = p + 1;
	char quote;

	/* a path segment's '+' for a blank: {{+t('key')+}} */
	while (b < x && lo[b] == '+')
		b++;
	while (x > b && lo[x - 1] == '+')
		x--;
	if (q != b || e >= x)
		return 0;
	if (lo[e] != '\'' && lo[e] != '"') {
		/* a view helper given no literal: {{ csrf_token() }},
		 * {{ form_widget(form.name) }}, {{ now() }} (names, numbers) */
		for (; e < x && e - p < 80 && lo[e] != ')'; e++)
			if (!(payload_is_alnum((unsigned char)lo[e]) || payload_is_space((unsigned char)lo[e]) ||
			      lo[e] == '.' || lo[e] == ',' || (lo[e] == '_' && lo[e - 1] != '_')))
				return 0;
		if (e + 1 != x || lo[e] != ')')
			return 0;
	} else {
		quote = lo[e++];
		while (e < x && lo[e] != quote && lo[e] != '\\')
			e++;
		if (e >= x || lo[e] != quote || e + 1 >= x)
			return 0;
		if ((lo[e + 1] != ')' || e + 2 != x) && !tmpl_i18n_args(lo, e + 1, x, keys))
			return 0;
	}
	if (lo[q] == '$')
		q++; /* Vue's $t('key') */
	for (size_t k = 0; k < sizeof(danger) / sizeof(danger[0]); k++)
		if (p - q == strlen(danger[k]) && !memcmp(lo + q, danger[k], p - q))
			return 0;
	return 1;
}

/* a payload_tmpl_walk_joined chain whole within lo[b..x), found once per value */
static int tmpl_split_in(struct tmpl_lazy *z, const char *lo, size_t n, size_t b, size_t x)
{
	struct tmpl_next *c = &z->split;

	if (!c->ok || b < c->from || b > c->at) {
		c->from = b;
		c->at = payload_tmpl_walk_joined(lo, n, b, &z->split_end);
		c->ok = 1;
	}
	return c->at < x && z->split_end <= x;
}

/* lo[b..x) starts with the name nm, which ends there (no name byte
 * after it) */
static int tmpl_special(const char *lo, size_t x, size_t b, const char *nm)
{
	size_t l;

	if (!payload_at(lo, x, b, nm))
		return 0;
	l = strlen(nm);
	return (b + l >= x || !(payload_is_alpha((unsigned char)lo[b + l]) ||
				(lo[b + l] >= '0' && lo[b + l] <= '9') || lo[b + l] == '_'));
}

/* lo[b..x) is pure arithmetic on numbers: 7*7, 7*'7', 3 + 3 */
static int tmpl_arith(const char *lo, size_t b, size_t x)
{
	size_t p = b;
	int nums = 0, ops = 0, ok = 1;
	while (p < x && ok) {
		while (p < x && payload_is_space((unsigned char)lo[p]))
			p++;
		int q = p < x && (lo[p] == '\'' || lo[p] == '"');
		if (q)
			p++;
		if (p < x && is_num((unsigned char)lo[p])) {
			while (p < x && (is_num((unsigned char)lo[p]) || lo[p] == '.'))
				p++;
			nums++;
		} else {
			ok = 0;
			break;
		}
		if (q && p < x && (lo[p] == '\'' || lo[p] == '"'))
			p++;
		while (p < x && payload_is_space((unsigned char)lo[p]))
			p++;
		if (p < x && strchr("*+-/%", lo[p])) {
			ops++;
			p++;
		} else if (p < x) {
			ok = 0;
		}
	}
	return ok && nums >= 2 && ops >= 1;
}

/* The forms of lo[b..x) that need no call: an import, an include of a
 * file outside the templates, Freemarker's special variables, ERB's
 * backticks, a JSP directive, Go's data root and builtins, arithmetic */
static void tmpl_forms(const char *lo, size_t b, size_t x, int views, int shown, struct payload_acc *a)
{
	/* Python's import of a module by its bare name in a Mako or Tornado
	 * block (<%! import os %>, {% import os %}); Jinja imports a quoted
	 * template name */
	if (payload_at(lo, x, b, "import ") && b + 7 < x && payload_is_alpha((unsigned char)lo[b + 7]))
		payload_acc_hit(a, PAYLOAD_SSTI, 75, "python import in template");
	/* a file outside the templates included, extended or imported:
	 * {% include "/etc/passwd" %}, <#include "../../x"> */
	if (payload_tmpl_walk_include(lo, b, x))
		payload_acc_hit(a, PAYLOAD_SSTI, 80, "template includes a file outside the templates");
	/* Freemarker's special variables that hand over the data model, as
	 * whole names and not in {{ }}, where Go templates (Helm, Hugo) write
	 * every field with a dot: {{ .Maintainer }}, {{ .Globals.region }} */
	if (views != 1 && (tmpl_special(lo, x, b, ".data_model") || tmpl_special(lo, x, b, ".globals") ||
		       tmpl_special(lo, x, b, ".vars") || tmpl_special(lo, x, b, ".main")))
		payload_acc_hit(a, PAYLOAD_SSTI, 70, "freemarker special variable");
	/* Ruby's backticks in ERB run a command: <%= `id` %> */
	if (lo[b] == '`' && x - b > 2 && lo[x - 1] == '`')
		payload_acc_hit(a, PAYLOAD_SSTI, 85, "shell command in template expression");
	/* JSP's directives: <%@ page import="..." %> */
	if (lo[b] == '@' && (payload_at(lo, x, b + 1, " page ") || payload_at(lo, x, b + 1, "page ") ||
			     payload_at(lo, x, b + 1, " include ") || payload_at(lo, x, b + 1, " taglib ")))
		payload_acc_hit(a, PAYLOAD_SSTI, 80, "jsp directive");
	/* Go's template: the data root {{.}}, a builtin given arguments */
	if (x == b + 1 && lo[b] == '.')
		payload_acc_hit(a, PAYLOAD_SSTI, 60, "go template data root");
	for (size_t k = 0; k < sizeof(go_builtins) / sizeof(go_builtins[0]); k++)
		if (payload_at(lo, x, b, go_builtins[k]) && b + strlen(go_builtins[k]) < x &&
		    strchr("\".$", lo[b + strlen(go_builtins[k])]))
			payload_acc_hit(a, PAYLOAD_SSTI,
					k != 3 && payload_tmpl_dir_go_fields(lo, b + strlen(go_builtins[k]), x) ? 50 : 70,
					"go template builtin call");
	if (tmpl_arith(lo, b, x))
		payload_acc_hit(a, PAYLOAD_SSTI, shown ? 50 : 80,
				shown ? "arithmetic in template expression, its result written after it" :
					"arithmetic in template expression");
}

/* The calls and walks in lo[b..x): a method's or a function's call, a
 * dunder spelt by joined literals, EL's and Tornado's walks to the
 * container, an application global */
static void tmpl_calls(const char *lo, size_t n, size_t b, size_t x, int views, struct tmpl_lazy *z,
		       struct payload_acc *a)
{
	/* calls: name( or .name(. The first '(' after b is judged here,
	 * where a name may begin at b (an i18n helper's); every later one
	 * follows a name that begins after that '(', so whether it is a
	 * method's or a function's is the value's, found once (tmpl_next_call) */
	{
		size_t p = tmpl_next_find(&z->paren, lo, n, b, "(", 1);

		if (p < x && p != b) {
			size_t q = p;

			while (q > b && (payload_is_alnum((unsigned char)lo[q - 1])))
				q--;
			if (q != p) {
				if (q > b && lo[q - 1] == '.')
					payload_acc_hit(a, PAYLOAD_SSTI, 75, "method call in template expression");
				else if ((!views || (views == 2 && lo[p + 1] != '\'' && lo[p + 1] != '"') ||
					  !tmpl_i18n_call(lo, b, x, q > b && lo[q - 1] == '$' ? q - 1 : q, p, views == 2)) &&
					 !payload_tmpl_walk_filter(lo, b, q, p, x))
					payload_acc_hit(a, PAYLOAD_SSTI, 65, "function call in template expression");
			}
		}
		if (p < x) {
			if (tmpl_next_call(&z->call[1], lo, n, p + 1, 1) < x)
				payload_acc_hit(a, PAYLOAD_SSTI, 75, "method call in template expression");
			if (tmpl_next_call(&z->call[0], lo, n, p + 1, 0) < x)
				payload_acc_hit(a, PAYLOAD_SSTI, 65, "function call in template expression");
		}
	}
	/* string literals joined ('+', '~', blanks) that spell a Python dunder
	 * no literal holds whole: ''["__cl"+"ass__"] */
	if (z->present_quote && tmpl_split_in(z, lo, n, b, x))
		payload_acc_hit(a, PAYLOAD_SSTI, 85, "python object traversal spelt by joined literals");
	/* JSP's pageContext, JSF's facesContext walked to the container */
	{
		const char *why = NULL;
		int sc = payload_tmpl_walk_el(lo, b, x, &why);

		if (sc)
			payload_acc_hit(a, PAYLOAD_SSTI, sc, why);
	}
	if (payload_tmpl_dir_tornado(lo, b, x))
		payload_acc_hit(a, PAYLOAD_SSTI, 65, "template global object walk");
	/* a bare application global, or a walk from one: {{self}}, {{config.x}} */
	for (size_t k = 0; k < sizeof(tmpl_globals) / sizeof(tmpl_globals[0]); k++) {
		size_t l;

		if (!payload_at(lo, x, b, tmpl_globals[k]))
			continue;
		l = strlen(tmpl_globals[k]);
		if (b + l == x)
			payload_acc_hit(a, PAYLOAD_SSTI, 60, "template global object");
		else if (lo[b + l] == '.' || lo[b + l] == '|' || lo[b + l] == '[')
			payload_acc_hit(a, PAYLOAD_SSTI, payload_tmpl_dir_plain_read(lo, b + l, x, tmpl_globals[k]) ? 50 : 65,
					"template global object walk");
	}}

/* Judge the content lo[s..e) of one template expression; views: the
 * delimiter is one of the view languages' output tags ({{ }}, <%= %>)
 * where i18n and URL helpers are called (1), or Pug's "#{ }" (2), where
 * only a helper given a literal is (#{t("nav.home")}). */
static void tmpl_content(const char *lo, size_t n, size_t s, size_t e, int views, struct tmpl_lazy *z,
			 struct payload_acc *a)
{
	size_t b = s, x = e;

	tmpl_marks_in(lo, n, s, e, z, a);
	/* the output and trim marks of doT, EJS, Handlebars, JsRender:
	 * {{= }}, <%- %>, {{:x}} */
	while (b < x && (payload_is_space((unsigned char)lo[b]) || lo[b] == '=' || lo[b] == '-' ||
			 lo[b] == '~' || lo[b] == ':' || lo[b] == '!'))
		b++;
	while (x > b && (payload_is_space((unsigned char)lo[x - 1]) || lo[x - 1] == '-' || lo[x - 1] == '~' ||
			 lo[x - 1] == '#'))
		x--;
	if (b >= x)
		return;
	/* a statement of Jinja, Nunjucks, Twig: the expression printed or
	 * assigned is judged ({%print config%}, {%set x=7*7%}); Tornado's
	 * unescaped output too ({% raw handler.settings %}) */
	if (payload_at(lo, x, b, "print ") || payload_at(lo, x, b, "raw ")) {
		b += lo[b] == 'p' ? 5 : 3;
		while (b < x && payload_is_space((unsigned char)lo[b]))
			b++;
	} else if (payload_at(lo, x, b, "set ")) {
		size_t q = b + 4;

		while (q < x && q - b < 40 && lo[q] != '=')
			q++;
		if (q < x && lo[q] == '=' && q + 1 < x && lo[q + 1] != '=') {
			b = q + 1;
			while (b < x && payload_is_space((unsigned char)lo[b]))
				b++;
		}
	}
	if (b >= x)
		return;
	tmpl_forms(lo, b, x, views, e < n && payload_tmpl_dir_arith_shown(lo, n, b, x, e), a);
	tmpl_calls(lo, n, b, x, views, z, a);
}

/* an expression no close ends is judged over this many bytes: what a
 * cut payload shows is near its opener, and a run of openers without a
 * close ("{{{{", "%{(%{(") costs this much per opener, not TMPL_MAX */
#define TMPL_OPEN_MAX 128

struct delim {
	const char *open, *close;
};

/* delims' indices, in its order */
enum { D_CURLY2, D_STMT, D_DOLLAR, D_HASH, D_STAR, D_ASPEQ, D_ASP, D_ATPAREN, D_SQ2, D_SMARTY,
       D_PCT, D_FMSQ, D_FMANGLE, D_VSET, D_AT, D_VQUIET };

static const struct delim delims[] = {
	{"{{", "}}"}, {"{%", "%}"}, {"${", "}"}, {"#{", "}"}, {"*{", "}"},
	{"<%=", "%>"}, {"<%", "%>"}, {"@(", ")"}, {"[[", "]]"}, {"{$", "}"}, {"%{", "}"},
	{"[#", "]"}, {"<#", ">"}, {"#set(", ")"}, {"@{", "}"},
	/* Velocity's quiet reference: $!{request.getClass()} */
	{"$!{", "}"},
};

_Static_assert(sizeof(delims) / sizeof(delims[0]) == D_VQUIET + 1, "delims and its indices");

/* A probe written to break every template syntax at once, as scanners
 * send first (${{<%[%'"}}%\): three openers of different engines and a
 * quote within a few bytes. The next occurrence of each opener and of a
 * quote at or after i is kept in pr and found again only once i has
 * passed it, so a run of '$' costs one search per opener kind, not seven
 * searches at every '$' (1 MiB of '$' took 5.5 s in payload-dump). */
#define PROBE_OPS 7
#define PROBE_SPAN 16

struct probe_next {
	size_t at[PROBE_OPS + 1]; /* [PROBE_OPS]: the next quote */
	int init;
};

static const char *const probe_op[PROBE_OPS] = {"${", "{{", "<%", "[%", "#{", "}}", "%>"};

static int polyglot_probe(const char *lo, size_t n, size_t i, struct probe_next *pr)
{
	size_t end = i + PROBE_SPAN < n ? i + PROBE_SPAN : n;
	int kinds = 0;

	for (size_t k = 0; k <= PROBE_OPS; k++) {
		if (pr->init && pr->at[k] >= i)
			continue;
		if (k < PROBE_OPS) {
			pr->at[k] = payload_find(lo, n, i, probe_op[k]);
		} else {
			size_t p = i;

			while (p < n && lo[p] != '\'' && lo[p] != '"')
				p++;
			pr->at[k] = p;
		}
	}
	pr->init = 1;
	/* an opener counts when it lies whole within [i, end) */
	for (size_t k = 0; k < PROBE_OPS; k++)
		kinds += pr->at[k] < n && pr->at[k] + 2 <= end;
	return kinds >= 4 && pr->at[PROBE_OPS] < end;
}

/* The close matching each '{' and '(' of a value, found in one pass with
 * a stack (what counting depth from every opener found again for each:
 * 1 KiB per opener of "${${${...}"). Built at the first need; values of
 * more than TMPL_MATCH_N bytes (never from scan_window's windows) are
 * counted from the opener as before. */
#define TMPL_MATCH_N PAYLOAD_MAX_VALUE

struct tmpl_match {
	int built;
	uint16_t close[TMPL_MATCH_N]; /* at an opening bracket: its close, or 0xffff */
};

static void tmpl_match_build(struct tmpl_match *m, const char *lo, size_t n)
{
	uint16_t brace[TMPL_MATCH_N], paren[TMPL_MATCH_N];
	size_t nb = 0, np = 0;

	for (size_t i = 0; i < n; i++) {
		m->close[i] = 0xffff;
		if (lo[i] == '{')
			brace[nb++] = (uint16_t)i;
		else if (lo[i] == '(')
			paren[np++] = (uint16_t)i;
		else if (lo[i] == '}' && nb > 0)
			m->close[brace[--nb]] = (uint16_t)i;
		else if (lo[i] == ')' && np > 0)
			m->close[paren[--np]] = (uint16_t)i;
	}
	m->built = 1;
}

/* the index of the close matching the bracket at lo[o] ('{' or '('), or n */
static size_t tmpl_match_close(struct tmpl_match *m, const char *lo, size_t n, size_t o)
{
	if (n > TMPL_MATCH_N) {
		char open = lo[o], close = open == '{' ? '}' : ')';
		int depth = 0;

		for (size_t e = o + 1; e < n && e - o <= TMPL_MAX; e++) {
			if (lo[e] == open)
				depth++;
			else if (lo[e] == close && depth-- == 0)
				return e;
		}
		return n;
	}
	if (!m->built)
		tmpl_match_build(m, lo, n);
	return m->close[o] == 0xffff ? n : m->close[o];
}

/* The last expression of one delimiter judged: its content's place,
 * length and whether it closed. */
struct tmpl_seen {
	size_t s, len;
	int closed;
};

/* Is lo[s..e) (closed or not) byte for byte the content last judged for
 * this delimiter? Then judging it again adds nothing. Records it if not. */
static int tmpl_seen_again(struct tmpl_seen *t, const char *lo, size_t s, size_t e, int closed)
{
	if (t->len == e - s && t->closed == closed && !memcmp(lo + t->s, lo + s, e - s))
		return 1;
	t->s = s, t->len = e - s, t->closed = closed;
	return 0;
}

/* The state payload_ssti_scan keeps over a value for its delimiters
 * (ssti_delim): each delimiter's last close found and last content
 * judged, the nested closes, the value's last '}' and ')', the marks
 * read once */
struct ssti_scan {
	struct tmpl_lazy z;
	int marks_done;
	size_t close_from[sizeof(delims) / sizeof(delims[0])], close_at[sizeof(delims) / sizeof(delims[0])];
	struct tmpl_seen seen[sizeof(delims) / sizeof(delims[0])];
	struct tmpl_match match;
	size_t last_brace, last_paren;
};

/* Delimiter d opening at lo[i]: its directives, then its content up to
 * the matching close judged (tmpl_content). 1 when d opens at i (the
 * longer delimiters are listed first: no other is tried), 0 if not. */
static int ssti_delim(const struct payload_val *v, struct ssti_scan *st, size_t i, size_t d, struct payload_acc *a)
{
	const char *lo = v->lo, *why = NULL;
	size_t n = v->n;
	size_t ol;

	if (!payload_at(lo, n, i, delims[d].open))
		return 0;
	ol = strlen(delims[d].open);
	/* OGNL's %{ opens a variable, a group, a static
	 * reference or a number (%{#x}, %{(..)}, %{@c@m()},
	 * %{7*7}), after blanks too (%{ 7*7 }); Ruby's and
	 * i18n's %{name} is text */
	if (lo[i] == '%') {
		size_t f = i + 2;

		while (f < n && f - i < 8 && payload_is_space((unsigned char)lo[f]))
			f++;
		if (!(f < n && (lo[f] == '#' || lo[f] == '(' || lo[f] == '@' || is_num((unsigned char)lo[f]))))
			return 1;
	}
	size_t s = i + ol;
	if (d == D_DOLLAR && payload_at(lo, n, s, "jndi:"))
		return 1;
	/* freemarker / smarty directives */
	if ((d == D_FMSQ || d == D_FMANGLE) &&
	    ((payload_at(lo, n, s, "assign") && s + 6 < n && !payload_is_alnum((unsigned char)lo[s + 6]) &&
	      lo[s + 6] != '>') ||
	     (payload_at(lo, n, s, "list") && s + 4 < n && !payload_is_alnum((unsigned char)lo[s + 4]) &&
	      lo[s + 4] != '>')))
		payload_acc_hit(a, PAYLOAD_SSTI, payload_tmpl_dir_fm(lo, n, s, d == D_FMSQ ? ']' : '>'),
				"freemarker directive");
	/* OGNL's variable set in %{ }: %{#a=..}, %{ (#cmd='id') } */
	if (d == D_PCT && payload_tmpl_walk_ognl_set(lo, n, s))
		payload_acc_hit(a, PAYLOAD_SSTI, 75, "ognl variable assignment");
	if (d == D_SMARTY && payload_at(lo, n, s, "smarty"))
		payload_acc_hit(a, PAYLOAD_SSTI, payload_tmpl_dir_smarty(lo, n, s + 6), "smarty variable");
	/* velocity: #set($name = ...) */
	if (d == D_VSET && s < n && lo[s] == '$' &&
	    payload_find(lo, s + 40 < n ? s + 40 : n, s, "=") < (s + 40 < n ? s + 40 : n))
		payload_acc_hit(a, PAYLOAD_SSTI, payload_tmpl_dir_vset(lo, n, s), "velocity set directive");
	/* content ends at the matching close (nested braces counted) */
	size_t e = s, lim = s + TMPL_MAX < n ? s + TMPL_MAX : n;
	size_t cl = strlen(delims[d].close);
	int nest = cl == 1 && (delims[d].close[0] == '}' || delims[d].close[0] == ')');
	if (!nest) {
		/* no nesting: the first close at or after s,
		 * found once for a run of openers ("{{{{...")
		 * and reused while it lies ahead (linear) */
		if (!(st->close_from[d] <= s && st->close_at[d] >= s)) {
			st->close_from[d] = s;
			st->close_at[d] = payload_find(lo, n, s, delims[d].close);
		}
		e = st->close_at[d] < lim ? st->close_at[d] : lim;
		if (st->close_at[d] >= n)
			e = lim = s + TMPL_OPEN_MAX < lim ? s + TMPL_OPEN_MAX : lim;
	} else if ((delims[d].close[0] == '}' ? st->last_brace : st->last_paren) <= s) {
		/* no close at or after s */
		e = lim = s + TMPL_OPEN_MAX < lim ? s + TMPL_OPEN_MAX : lim;
	}
	if (nest && e < lim) {
		/* nested: the close matching the opener's bracket
		 * (its last byte, or "{$"'s first), from one pass
		 * over the value */
		size_t m = tmpl_match_close(&st->match, lo, n, lo[s - 1] == '{' || lo[s - 1] == '(' ? s - 1 : i);

		e = m < lim ? m : lim;
	}
	if (!st->marks_done) {
		memset(&st->z, 0, sizeof(st->z));
		st->z.present = tmpl_marks_present(lo, n);
		st->z.present_quote = payload_has(v, '\'') || payload_has(v, '"');
		st->marks_done = 1;
	}
	/* the same content as this delimiter's last expression
	 * (a run of one opener, "{{{{" or "${${"), judged the
	 * same: its findings are in a already */
	if (tmpl_seen_again(&st->seen[d], lo, s, e, e < lim))
		return 1;
	tmpl_content(lo, n, s, e, d == D_CURLY2 || d == D_ASPEQ ? 1 : d == D_HASH ? 2 : 0, &st->z, a);
	/* #{process.env}, <%= process.env %> (payload_tmpl_pug.c) */
	if (d == D_HASH || d == D_ASPEQ || d == D_ASP) {
		size_t b = s + (d == D_ASP && s < e && (lo[s] == '-' || lo[s] == '_'));
		int sc = payload_tmpl_pug_process(lo, i, b, e, &why);

		if (sc)
			payload_acc_hit(a, PAYLOAD_SSTI, sc, why);
	}
	/* Handlebars' prototype walk, (lookup string.sub
	 * "constructor"), in an expression that closes (a
	 * quoted 'constructor' in prose after an unclosed "[["
	 * is none) */
	if (e < lim && (tmpl_next_in(&st->z.ctor[0], lo, n, s, e, "\"constructor\"", 13) ||
			tmpl_next_in(&st->z.ctor[1], lo, n, s, e, "'constructor'", 13)))
		payload_acc_hit(a, PAYLOAD_SSTI, 85, "constructor lookup in template");
	return 1; /* longer delimiters are listed first */
}

void payload_ssti_scan(const struct payload_val *v, struct payload_acc *a)
{
	static const unsigned char opener[256] = {
		['{'] = 1, ['$'] = 1, ['#'] = 1, ['*'] = 1, ['<'] = 1, ['@'] = 1, ['['] = 1,
		['%'] = 1,
	};
	const char *lo = v->lo;
	size_t n = v->n;
	struct ssti_scan st;
	struct probe_next probe = { .init = 0 };
	size_t vel_next[5] = {0};
	const char *why = NULL;
	int bm;

	st.marks_done = 0;
	st.match.built = 0;
	/* the last '}' and ')' of the value: an opener after it has no
	 * close to find, nested or not (a run of "{" or "%{(" is judged
	 * without walking its span for each opener) */
	st.last_brace = st.last_paren = 0;
	for (size_t d = 0; d < sizeof(delims) / sizeof(delims[0]); d++)
		st.close_from[d] = (size_t)-1, st.close_at[d] = 0, st.seen[d].len = (size_t)-1;
	for (size_t k = n; k > 0; k--)
		if (lo[k - 1] == '}') {
			st.last_brace = k;
			break;
		}
	for (size_t k = n; k > 0; k--)
		if (lo[k - 1] == ')') {
			st.last_paren = k;
			break;
		}

	/* every delimiter opens with one of these bytes, and so does {php} */
	if (!payload_has(v, '{') && !payload_has(v, '$') && !payload_has(v, '#') &&
	    !payload_has(v, '*') && !payload_has(v, '<') && !payload_has(v, '@') &&
	    !payload_has(v, '['))
		return;
	for (size_t i = 0; i + 1 < n; i++) {
		/* every delimiter opens with one of these bytes */
		if (!opener[(unsigned char)lo[i]])
			continue;
		if (lo[i] == '$' && polyglot_probe(lo, n, i, &probe)) {
			payload_acc_hit(a, PAYLOAD_SSTI, 75, "template syntax probe");
			continue;
		}
		if (lo[i] == '$' && payload_tmpl_walk_velocity(lo, n, i, vel_next))
			payload_acc_hit(a, PAYLOAD_SSTI, 85, "velocity reference reaching java reflection");
		if (lo[i] == '{' && (bm = payload_tmpl_walk_brace_math(lo, n, i)))
			payload_acc_hit(a, PAYLOAD_SSTI, bm == 2 ? 70 : 50, "arithmetic in template expression");
		if (lo[i] == '{' && i + 1 < n && lo[i + 1] >= 'a' && strchr("aefiprs", lo[i + 1]) &&
		    payload_tmpl_smarty_php_call(lo, n, i))
			payload_acc_hit(a, PAYLOAD_SSTI, 80, "smarty tag calling a php function");
		/* {self::getStreamVariable(..)}, {Smarty_Internal_..::..}, {fetch file=..} */
		if (lo[i] == '{' && i + 1 < n && (lo[i + 1] == 's' || lo[i + 1] == 'p' || lo[i + 1] == 'f' || lo[i + 1] == 'i') &&
		    (bm = payload_tmpl_smarty_static(lo, n, i, &why)))
			payload_acc_hit(a, PAYLOAD_SSTI, bm, why);
		for (size_t d = 0; d < sizeof(delims) / sizeof(delims[0]); d++)
			if (ssti_delim(v, &st, i, d, a))
				break;
	}
	if (payload_find(lo, n, 0, "{php}") < n)
		payload_acc_hit(a, PAYLOAD_SSTI, 85, "smarty php block");
	/* OGNL's member access switch needs no delimiter: Struts reads
	 * "(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)" from a
	 * Content-Type or a namespace as it stands */
	if (payload_has(v, '#') && payload_tmpl_walk_ognl(lo, n))
		payload_acc_hit(a, PAYLOAD_SSTI, 85, "ognl member access outside a template");
	/* Razor's code needs no close: @System.Diagnostics.Process.Start(..),
	 * @Html.Raw(System.IO.File.ReadAllText(..)) (payload_tmpl_razor.c) */
	if (payload_has(v, '@') && (bm = payload_tmpl_razor_call(lo, n)))
		payload_acc_hit(a, PAYLOAD_SSTI, bm, bm >= 90 ? "process creation in template" :
							     "razor code reaching files, environment or reflection");
}
