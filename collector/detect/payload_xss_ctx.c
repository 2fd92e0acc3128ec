/* payload_xss_ctx.c - cross-site scripting where no new tag is needed: a
 * value that breaks out of a quoted or unquoted attribute (" onmouseover=...,
 * x onfocus=...), out of a JS string or expression ('-alert(1)-', 1;alert(1)//,
 * ']);alert(1)//), into ${...}, a CSS value that reaches script, a script or
 * active data URL as the value, or the cookie read into an expression (the
 * value itself one call of a dialog sink: payload_xss_call.c). The
 * recognisers of script (sinks called, passed, assigned or read) are
 * payload_xss.c's; markup spelt in UTF-16 is payload_xss_utf16.c's. */
#include "collector/detect/payload_xss_int.h"
#include "collector/detect/norm.h"

#include <string.h>

/* U+2028 / U+2029 at p: line terminators to JavaScript, so a statement
 * break inside a string literal's line */
static int line_sep(const char *lo, size_t n, size_t p)
{
	return p + 2 < n && (unsigned char)lo[p] == 0xe2 && (unsigned char)lo[p + 1] == 0x80 &&
	       ((unsigned char)lo[p + 2] == 0xa8 || (unsigned char)lo[p + 2] == 0xa9);
}

/* between the quotes at q and p only one ':' or ',' and blanks: a JSON
 * member's or element's separator ("k":"v", "a","b"); '+' there joins
 * strings into script (`javas`+`cript:...`) */
static int json_sep(const char *lo, size_t q, size_t p)
{
	int seps = 0;

	for (size_t k = q + 1; k < p; k++) {
		if (lo[k] == ':' || lo[k] == ',')
			seps++;
		else if (!payload_is_space((unsigned char)lo[k]))
			return 0;
	}
	return seps == 1;
}

/* After a quote at q: an operator (the string ended, an expression or
 * statement follows: '-x-', ';x//', '+x+', ');x', "});x") and script that
 * uses a sink within the next 64 bytes. */
static int js_break_at(const char *lo, size_t n, size_t q)
{
	size_t p = q + 1;
	int op = 0, cmp = 1;

	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	while (p < n && lo[p] != '\0' && (strchr("-+;,|&*/^)}]%:?<=", lo[p]) || line_sep(lo, n, p))) {
		op = 1;
		cmp &= lo[p] == '<' || lo[p] == '=';
		p += line_sep(lo, n, p) ? 3 : 1;
	}
	/* the word operators: 'x' in alert(1) in '' */
	if (!op && payload_word_at(lo, n, p, "in")) {
		op = 1;
		p += 2;
	} else if (!op && payload_word_at(lo, n, p, "instanceof")) {
		op = 1;
		p += 10;
	}
	if (!op)
		return 0;
	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	/* a quote opens a string after the operator ({"k":"v"}: a JSON
	 * member's ":"): what follows is its text, not script, and the
	 * quote that closes it is judged as a break of its own */
	if (p < n && (lo[p] == '"' || lo[p] == '\'') && lo[p] == lo[q] && json_sep(lo, q, p))
		return 0;
	/* a comparison or 'in' after a quote ("x'==y' then confirm (2)")
	 * is prose as often: there the sink must be called right after it.
	 * '>' is no operator here: rich text ends a tag with it
	 * (<p class="x">print(this)) */
	if (cmp && !payload_xss_js_call_at(lo, n, p))
		return 0;
	return payload_xss_js_code(lo, n, p, p + 64);
}

/* a handler's value opened by a quote just before vs whose body does
 * nothing (onclick="return false;", "event.preventDefault()"), closed
 * by its quote or by the value's end: where reading goes on after it,
 * else 0 */
static size_t quoted_inert(const char *lo, size_t n, size_t vs)
{
	size_t z = vs;

	if (vs == 0 || (lo[vs - 1] != '"' && lo[vs - 1] != '\''))
		return 0;
	while (z < n && z < vs + 64 && lo[z] != lo[vs - 1])
		z++;
	/* the value's end closes it too: what follows is the page's */
	if ((z == n || lo[z] == lo[vs - 1]) && payload_xss_inert_handler(lo, (struct span){vs, z - vs}, 1))
		return z < n ? z + 1 : n;
	return 0;
}

/* a handler's value opened by a quote just before vs that calls the
 * page's own helpers and no sink (onclick="toggleMenu(); return false;",
 * payload_xss_page_call): where reading goes on after it, else 0 */
static size_t quoted_page_call(const char *lo, size_t n, size_t vs)
{
	size_t z = vs;

	if (vs == 0 || (lo[vs - 1] != '"' && lo[vs - 1] != '\''))
		return 0;
	while (z < n && z < vs + 200 && lo[z] != lo[vs - 1])
		z++;
	if (z < n && lo[z] == lo[vs - 1] && payload_xss_page_call(lo, (struct span){vs, z - vs}, 1))
		return z + 1;
	return 0;
}

/* After a quote at q, still inside a tag: attributes up to an on*= whose
 * value looks like code. */
static int attr_break_at(const char *lo, size_t n, size_t q, struct payload_xss_run *run)
{
	size_t p = q + 1;
	/* an apostrophe between letters (Don't put onclick="init()" in
	 * markup) is prose's: there the handler must reach a sink */
	int prose = lo[q] == '\'' && q > 0 && q + 1 < n && payload_is_alpha((unsigned char)lo[q - 1]) &&
		    payload_is_alpha((unsigned char)lo[q + 1]);

	for (int guard = 0; guard < 8 && p < n; guard++) {
		while (p < n && (payload_is_space((unsigned char)lo[p]) || lo[p] == '/' || lo[p] == '\0'))
			p++;
		size_t ns = p;
		while (p < n && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '-' || lo[p] == ':'))
			p++;
		if (p == ns)
			return 0;
		struct span nm = {ns, p - ns};
		if (p < n && lo[p] == '=') {
			size_t vs = ++p;
			if (p < n && (lo[p] == '"' || lo[p] == '\''))
				vs = ++p;
			/* a quoted body that does nothing (onclick="return
			 * false;"): a rich-text link's; read on after it */
			if (payload_xss_event_name(lo, nm) && quoted_inert(lo, n, vs)) {
				p = quoted_inert(lo, n, vs);
				continue;
			}
			/* one calling the page's helpers: told, and the reading
			 * ends (the reading from its closing quote finds a real
			 * handler after it) */
			if (payload_xss_event_name(lo, nm) && quoted_page_call(lo, n, vs))
				return prose ? 0 : 2;
			/* the run's stop from any byte of it is its stop */
			if (run->from <= p && p <= run->stop) {
				p = run->stop;
			} else {
				run->from = p;
				while (p < n && !payload_is_space((unsigned char)lo[p]) && lo[p] != '>')
					p++;
				run->stop = p;
			}
			if (payload_xss_event_name(lo, nm)) {
				if (prose)
					return payload_xss_js_code(lo, n, vs, p < vs + 64 ? p : vs + 64);
				for (size_t k = vs; k < p; k++)
					if (lo[k] == '(' || lo[k] == '`' || lo[k] == '=')
						return 1;
			}
		}
	}
	return 0;
}

/* Does the quote at i open an attribute's value in a tag the value
 * writes (<a href="/x" onclick="...">: name= right before it, the tag's
 * '<' and name before that, no '>' between, within 64 bytes)? Its text
 * is the value, not a script string broken out of. */
static int attr_open_quote(const char *lo, size_t n, size_t i)
{
	size_t p = i, lim = i > 64 ? i - 64 : 0;

	if (p < 2 || lo[p - 1] != '=' || !payload_is_alpha((unsigned char)lo[p - 2]))
		return 0;
	for (p -= 2; p > lim && lo[p] != '<' && lo[p] != '>'; p--)
		;
	if (!(lo[p] == '<' && p + 1 < i && payload_is_alpha((unsigned char)lo[p + 1])))
		return 0;
	/* the attribute's value closes and holds no call: <a x=";alert(1)//
	 * written into a script's string breaks out of it as any quote does */
	for (p = i + 1; p < n && p < i + 256 && lo[p] != lo[i]; p++)
		if (lo[p] == '(' || lo[p] == '`')
			return 0;
	return p < n && lo[p] == lo[i];
}

/* At a quote i: an attribute break that reaches an event handler, or a
 * string break followed by script (a sink search taken from *budget). */
void payload_xss_quote_break(const char *lo, size_t n, size_t i, struct payload_acc *a, int *budget,
			     struct payload_xss_run *run)
{
		int br = attr_break_at(lo, n, i, run);
		if (br == 1)
			payload_acc_hit(a, PAYLOAD_XSS, 75, "event handler after attribute break");
		else if (br == 2)
			payload_acc_hit(a, PAYLOAD_XSS, 55, "handler calling the page's functions after attribute break");
		size_t o = i + 1;
		while (o < n && o < i + 8 && payload_is_space((unsigned char)lo[o]))
			o++;
		/* prose quotes are followed by words; a string break by an
		 * operator: only then look for script */
		if (o < n && lo[o] != '\0' &&
		    (strchr("-+;,|&*/^)}]%:?<=", lo[o]) || line_sep(lo, n, o) ||
						payload_word_at(lo, n, o, "in") || payload_word_at(lo, n, o, "instanceof"))) {
			(*budget)--;
			if (!attr_open_quote(lo, n, i) && js_break_at(lo, n, i))
				payload_acc_hit(a, PAYLOAD_XSS, 70, "script call after string break");
		}
}

/* The handler's value at e a dialog sink, not called, and an exception
 * thrown right after it: onerror=alert;throw 1, {onerror=prompt}throw 1,
 * the call without parentheses (the sink gets the thrown value) */
static int handler_throws(const char *lo, size_t lim, size_t e)
{
	static const char *const dlg[] = {"alert", "prompt", "confirm", "eval"};

	for (size_t k = 0; k < sizeof(dlg) / sizeof(dlg[0]); k++) {
		size_t p = e + strlen(dlg[k]);
		if (!payload_at(lo, lim, e, dlg[k]) || p >= lim || !strchr(";,}", lo[p]) || lo[p] == '\0')
			continue;
		while (p < lim && (strchr(";,}", lo[p]) || payload_is_space((unsigned char)lo[p])) && lo[p] != '\0')
			p++;
		if (!payload_word_at(lo, lim, p, "throw"))
			return 0;
		/* an operand follows ("throw-away" is a word) */
		for (p += 5; p < lim && payload_is_space((unsigned char)lo[p]); p++)
			;
		return p < lim && lo[p] != '\0' && (payload_is_alnum((unsigned char)lo[p]) || strchr("'\"`/[{(", lo[p]));
	}
	return 0;
}

/* {onerror=alert}throw 1 at i ('{' there): only the thrown-to handler,
 * as a block holds it ({onClick={() => alert(1)}} is JSX) */
void payload_xss_brace_throw(const char *lo, size_t n, size_t i, struct payload_acc *a)
{
	size_t j = i + 3, e;

	while (j < n && lo[j] >= 'a' && lo[j] <= 'z')
		j++;
	for (e = j; e < n && payload_is_space((unsigned char)lo[e]); e++)
		;
	if (j - i < 6 || e >= n || lo[e] != '=')
		return;
	for (e++; e < n && payload_is_space((unsigned char)lo[e]); e++)
		;
	if (handler_throws(lo, e + 64 < n ? e + 64 : n, e))
		payload_acc_hit(a, PAYLOAD_XSS, 75, "dialog made the error handler, then thrown to");
}

/* The quoted handler value opened at e-1 closes, and prose follows it:
 * three words in a row with no '=', '>' or '/' among them (I set
 * onload="init()" on my body tag). Attributes after an injected handler
 * carry '=' or stop at '>' or the value's end (autofocus x="). */
static int handler_then_prose(const char *lo, size_t n, size_t e)
{
	size_t p = e;
	int words = 0;

	if (e == 0 || (lo[e - 1] != '"' && lo[e - 1] != '\''))
		return 0;
	while (p < n && p < e + 64 && lo[p] != lo[e - 1])
		p++;
	if (p >= n || lo[p] != lo[e - 1])
		return 0;
	for (p++; p < n && words < 3; words++) {
		size_t w;
		if (lo[p] != ' ')
			return 0;
		for (w = ++p; p < n && p < w + 17 && payload_is_alpha((unsigned char)lo[p]); p++)
			;
		if (p == w || p - w > 16)
			return 0;
		if (p < n && lo[p] != ' ' && !strchr(",.?!", lo[p]))
			return 0;
		if (p < n && lo[p] != ' ')
			return words == 2;
	}
	return words == 3;
}

/* Three words of prose right before the handler's name at i (I don't
 * use onclick=...): letters, an apostrophe inside a word, one blank
 * between; an unquoted attribute broken out of holds one value */
static int prose_before(const char *lo, size_t i)
{
	size_t p = i;
	int words = 0;

	while (words < 3 && p > 1 && lo[p - 1] == ' ' && p + 64 > i) {
		size_t e = --p;
		while (p > 0 && e - p < 16 &&
		       (payload_is_alpha((unsigned char)lo[p - 1]) ||
			(lo[p - 1] == '\'' && p > 1 && payload_is_alpha((unsigned char)lo[p - 2]) && p < e)))
			p--;
		if (p == e || !payload_is_alpha((unsigned char)lo[p]))
			return 0;
		words++;
	}
	return words == 3;
}

/* on*= at i, where an attribute name can start: the value broke out of
 * an unquoted attribute (x onmouseover=alert(1)). */
void payload_xss_bare_event(const char *lo, size_t n, size_t i, struct payload_acc *a, int *budget)
{
		size_t j = i + 2, e;
		while (j < n && lo[j] >= 'a' && lo[j] <= 'z')
			j++;
		struct span nm = {i, j - i};
		e = j;
		while (e < n && payload_is_space((unsigned char)lo[e]))
			e++;
		if (j - i >= 5 && e < n && lo[e] == '=') {
			(*budget)--;
			e++;
			while (e < n && (payload_is_space((unsigned char)lo[e]) || lo[e] == '"' ||
					 lo[e] == '\''))
				e++;
			size_t lim = e + 64 < n ? e + 64 : n, f = e;
			if (quoted_inert(lo, n, e))
				return;
			/* one calling the page's helpers and no sink: told */
			if (quoted_page_call(lo, n, e)) {
				if (!prose_before(lo, i) && !handler_then_prose(lo, n, e))
					payload_acc_hit(a, PAYLOAD_XSS, 55, "handler calling the page's functions after break");
				return;
			}
			/* a listed event whose value is a call: name(...) or
			 * name`...` ({() => x} is a JSX snippet) */
			while (f < lim && (payload_is_alnum((unsigned char)lo[f]) || lo[f] == '.' ||
					   lo[f] == '$' || lo[f] == '[' || lo[f] == ']'))
				f++;
			/* a listed event calling a function that is no sink: a
			 * forum post quotes its own handler and goes on in prose */
			if (payload_xss_js_code(lo, n, e, lim) ||
			    (payload_xss_known_event(lo, nm) && f > e && f < lim && (lo[f] == '(' || lo[f] == '`') &&
			     !handler_then_prose(lo, n, e) && !prose_before(lo, i)))
				payload_acc_hit(a, PAYLOAD_XSS, 75, "event handler attribute after break");
			else if (handler_throws(lo, lim, e))
				payload_acc_hit(a, PAYLOAD_XSS, 75, "dialog made the error handler, then thrown to");
		}
}

/* the operators number_break reads after a number (strchr's set, NUL
 * excluded as its callers' lo[] != '\0' excluded it) */
static const unsigned char num_op[256] = {
	['-'] = 1, ['+'] = 1, [';'] = 1, [','] = 1, ['|'] = 1, ['&'] = 1, ['*'] = 1,
	['/'] = 1, ['^'] = 1, [')'] = 1, ['}'] = 1, [']'] = 1, ['%'] = 1,
};

/* The call at o (payload_xss_js_call_at holds) closes and a word follows
 * it on the same line: "dialog; prompt() asks for input" is prose, as no
 * statement goes on with a name after a call's ')'. Only a '(' call whose
 * ')' is found within 48 bytes, nesting counted, and a letter right
 * after its blanks. */
static int call_then_word(const char *lo, size_t n, size_t o)
{
	size_t p = o, lim = o + 48 < n ? o + 48 : n;
	int depth = 0;

	while (p < lim && lo[p] != '(' && lo[p] != '`' && lo[p] != '=')
		p++;
	if (p >= lim || lo[p] != '(')
		return 0;
	for (; p < lim; p++) {
		if (lo[p] == '(')
			depth++;
		else if (lo[p] == ')' && --depth == 0)
			break;
		else if (lo[p] == '\0' || strchr("'\"`", lo[p]))
			return 0;
	}
	if (p >= lim)
		return 0;
	for (p++; p < n && p < lim + 8 && lo[p] == ' '; p++)
		;
	if (p >= n || lo[p - 1] != ' ' || payload_word_at(lo, n, p, "in") || payload_word_at(lo, n, p, "instanceof"))
		return 0;
	/* a word of prose: letters, then a blank or a sentence's mark
	 * (+ADw-script+AD4-alert(1)+ADw-: '+' read as a blank is no prose) */
	for (o = p; p < n && p < o + 24 && payload_is_alpha((unsigned char)lo[p]); p++)
		;
	return p > o && (p == n || (lo[p] != '\0' && (lo[p] == ' ' || strchr(",.?!", lo[p]))));
}

/* a value that lands in script as a number: an operator right after
 * it and a sink (1;alert(1)//, -alert(1)-) */
void payload_xss_number_break(const char *lo, size_t n, size_t p, struct payload_acc *a, int budget)
{
	/* a number or a name (a name in prose is followed by '+' for a
	 * space, so the break needs the sink called right after it) */
	size_t p0 = p;

	while (p < n && p < p0 + 24 && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '.' || lo[p] == '$'))
		p++;
	if (p < n && num_op[(unsigned char)lo[p]] && budget > 0) {
		size_t o = p;
		while (o < n && o < p + 4 && (num_op[(unsigned char)lo[o]] || lo[o] == ' '))
			o++;
		if (o < n && (payload_is_alpha((unsigned char)lo[o]) || lo[o] == '[' || lo[o] == '(') &&
		    /* the cheap test first: prose's "well-known" stops here */
		    payload_xss_js_call_at(lo, n, o) && !call_then_word(lo, n, o) &&
		    payload_xss_js_code(lo, n, o, o + 48))
			payload_acc_hit(a, PAYLOAD_XSS, 65, "script call after expression break");
	}
}

/* A value that opens by closing the comment or CDATA section it was put
 * in ("-->", "--!>", "]]>", after a quote or blanks) and then calls a
 * sink, as a number break does: -->alert(1)<!--, ]]>;prompt`1`// (an
 * HTML-like comment in a script block, an XML island's CDATA). Prose after
 * an arrow names no call right after it ("--> see alert(1) in the log"),
 * or goes on with a word after the call. */
/* The name called at s[o..) as JavaScript spells it: a sink or a
 * function is lower-case ("alert", "print", "document.write") or one of
 * the built-ins a payload reaches code through ("Function", "Reflect");
 * "Print(invoice)", "Alert(\"Low stock\")" are a note's words. And
 * "print" (Python's too) only with nothing or a literal to print. */
static int js_spelt_call(const char *s, const char *lo, size_t n, size_t o)
{
	static const char *const builtin[] = {"function", "reflect", "object", "array", "string",
					      "promise", "json", "math", "set", "map", "image", "worker",
					      "url", "blob", "proxy", "symbol", "date", "webassembly"};
	size_t e = o;

	while (e < n && e - o < 24 && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '_'))
		e++;
	if (s[o] >= 'A' && s[o] <= 'Z') {
		size_t k = 0;

		for (; k < sizeof(builtin) / sizeof(builtin[0]); k++)
			if (e - o == strlen(builtin[k]) && payload_at(lo, n, o, builtin[k]))
				break;
		if (k == sizeof(builtin) / sizeof(builtin[0]))
			return 0;
	}
	if (e - o == 5 && payload_at(lo, n, o, "print") && e + 1 < n && lo[e] == '(')
		return lo[e + 1] == ')' || lo[e + 1] == '\'' || lo[e + 1] == '"' ||
		       (lo[e + 1] >= '0' && lo[e + 1] <= '9');
	return 1;
}

void payload_xss_comment_close(const char *s, const char *lo, size_t n, struct payload_acc *a)
{
	size_t p = 0, o;

	while (p < n && p < 4 && (payload_is_space((unsigned char)lo[p]) || lo[p] == '"' || lo[p] == '\'' ||
				  lo[p] == '`'))
		p++;
	if (payload_at(lo, n, p, "-->") || payload_at(lo, n, p, "]]>"))
		p += 3;
	else if (payload_at(lo, n, p, "--!>"))
		p += 4;
	else
		return;
	for (o = p; o < n && o < p + 4 && (payload_is_space((unsigned char)lo[o]) || lo[o] == ';'); o++)
		;
	/* an assignment gives a string or a dialog sink: location='..',
	 * onerror=alert (a word is no script: "--> location=home") */
	for (p = o; p < n && p < o + 40 && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '.'); p++)
		;
	if (p + 1 < n && lo[p] == '=' && !strchr("'\"`", lo[p + 1]) && lo[p + 1] != '\0' &&
	    !payload_at(lo, n, p + 1, "alert") && !payload_at(lo, n, p + 1, "confirm") &&
	    !payload_at(lo, n, p + 1, "prompt") && !payload_at(lo, n, p + 1, "eval"))
		return;
	if (o < n && payload_is_alpha((unsigned char)lo[o]) && payload_xss_js_call_at(lo, n, o) &&
	    js_spelt_call(s, lo, n, o) && !call_then_word(lo, n, o) && payload_xss_js_code(lo, n, o, o + 48))
		payload_acc_hit(a, PAYLOAD_XSS, 65, "script call after comment close");
}

/* the cookie read into an expression: +document.cookie, (document.cookie,
 * =document.cookie (a question about document.cookie is prose) */
void payload_xss_cookie_read(const char *lo, size_t n, struct payload_acc *a)
{
	for (size_t i = payload_find(lo, n, 1, "document.cookie"); i < n;
	     i = payload_find(lo, n, i + 15, "document.cookie")) {
		size_t b = i;
		while (b > 0 && lo[b - 1] == ' ')
			b--;
		if (b > 0 && strchr("+(=,", lo[b - 1]) && lo[b - 1] != '\0') {
			payload_acc_hit(a, PAYLOAD_XSS, 65, "cookie read into an expression");
			return;
		}
	}
}

/* JSFuck: script written in []()!+ alone */
void payload_xss_six_char_script(const char *lo, size_t n, struct payload_acc *a)
{
	size_t run = 0, br = 0, best = 0;
	for (size_t i = memchr(lo, '[', n) ? 0 : n; i < n; i++) {
		char ch = lo[i];
		/* '+' may have arrived as a space (form encoding) */
		if (ch == '[' || ch == ']' || ch == '(' || ch == ')' || ch == '!' ||
		    ch == '+' || ch == ' ') {
			run++;
			br += lo[i] == '[';
		} else {
			run = br = 0;
		}
		if (run >= 48 && br >= 8)
			best = run;
	}
	if (best)
		payload_acc_hit(a, PAYLOAD_XSS, 70, "script written in six characters");
}

/* a value that lands in a style attribute or sheet (color=<value>):
 * declarations that reach script, read after comments and escapes are
 * undone. Prose has "expression (" and "url" too, so each needs its CSS
 * shape: a property's colon before expression( and script inside it,
 * url( around a script scheme, behavior/-moz-binding given a url(. */
/* Does lo hold "ssion(" or "url(": a '(' after "ssion" or "url"? */
static int css_call(const char *lo, size_t n)
{
	for (const char *q = memchr(lo, '(', n); q; q = memchr(q + 1, '(', n - (size_t)(q - lo) - 1)) {
		size_t i = (size_t)(q - lo);
		if ((i >= 5 && !memcmp(q - 5, "ssion", 5)) || (i >= 3 && !memcmp(q - 3, "url", 3)))
			return 1;
		if (i + 1 >= n)
			break;
	}
	return 0;
}

void payload_xss_css_value(const struct payload_val *v, struct payload_acc *a)
{
	const char *lo = v->lo;
	size_t n = v->n;
	char b[CSS_FLAT];
	size_t w;

	/* every rule below needs one of these words, or an escape or a
	 * comment that may spell one: most values end here unflattened;
	 * each search only with the bytes its word needs */
	if (!payload_has(v, '\\') && !(payload_has(v, '*') && payload_find(lo, n, 0, "/*") < n) &&
	    !(payload_has(v, '(') && css_call(lo, n)) &&
	    !(payload_has(v, 'v') && payload_find(lo, n, 0, "behavior") < n) &&
	    !(payload_has(v, 'g') && payload_find(lo, n, 0, "binding") < n) &&
	    !(payload_has(v, '@') && payload_find(lo, n, 0, "@import") < n))
		return;
	w = payload_xss_css_flatten(lo, 0, n, b);
	for (size_t i = payload_find(b, w, 0, "expression("); i < w;
	     i = payload_find(b, w, i + 11, "expression(")) {
		size_t j = i;
		while (j > 0 && (b[j - 1] == ' ' || b[j - 1] == '\t'))
			j--;
		/* "Note: expression(s)" is prose: the argument must be script */
		if ((j == 0 || b[j - 1] == ':') && payload_xss_js_code(b, w, i + 11, i + 11 + 64)) {
			payload_acc_hit(a, PAYLOAD_XSS, 70, "css expression in value");
			return;
		}
	}
	for (size_t i = payload_find(b, w, 0, "url("); i < w; i = payload_find(b, w, i + 4, "url(")) {
		char head[24];
		payload_xss_url_head(b, i + 4, w - i - 4 < 24 ? w - i - 4 : 24, head, sizeof(head));
		if (payload_xss_script_scheme(head)) {
			payload_acc_hit(a, PAYLOAD_XSS, 75, "script url in css value");
			return;
		}
	}
	if (payload_find(b, w, 0, "behavior:url(") < w || payload_find(b, w, 0, "-moz-binding:url(") < w)
		payload_acc_hit(a, PAYLOAD_XSS, 70, "css behavior or binding in value");
	for (size_t i = payload_find(b, w, 0, "@import"); i < w; i = payload_find(b, w, i + 7, "@import")) {
		char head[24];
		payload_xss_url_head(b, i + 7, w - i - 7 < 24 ? w - i - 7 : 24, head, sizeof(head));
		if (payload_xss_script_scheme(head))
			payload_acc_hit(a, PAYLOAD_XSS, 75, "script url in css import");
	}
}

/* Is lo[0..n) written as script rather than prose: it opens with what a
 * statement opens with, and a blank between two words follows a keyword
 * that takes an operand (throw 1, new Image), never another word. */
static int js_shaped(const char *lo, size_t n)
{
	static const char *const kw[] = {"throw", "new", "void", "typeof", "return",
					 "await", "var", "let", "const", "in", "of"};

	if (n < 6 || !(payload_is_alnum((unsigned char)lo[0]) || strchr("[('\"`$", lo[0])) || lo[0] == '\0')
		return 0;
	for (size_t i = 1; i + 1 < n; i++) {
		size_t b = i, e = i;
		int ok = 0;

		if (!payload_is_space((unsigned char)lo[i]) || !payload_is_alnum((unsigned char)lo[i - 1]))
			continue;
		while (e < n && payload_is_space((unsigned char)lo[e]))
			e++;
		if (e >= n || !payload_is_alnum((unsigned char)lo[e]))
			continue;
		while (b > 0 && payload_is_alnum((unsigned char)lo[b - 1]))
			b--;
		for (size_t k = 0; k < sizeof(kw) / sizeof(kw[0]) && !ok; k++)
			ok = lo[b] == kw[k][0] && i - b == strlen(kw[k]) && !memcmp(lo + b, kw[k], i - b);
		if (!ok)
			return 0;
		i = e;
	}
	return 1;
}

/* the identifier that ends at lo[e) (before an '='), called later in
 * lo[from..n): x=alert,x(1) */
static int alias_called(const char *lo, size_t n, size_t e, size_t from)
{
	size_t b = e;

	while (b > 0 && (payload_is_alnum((unsigned char)lo[b - 1]) || lo[b - 1] == '$'))
		b--;
	if (b == e || e - b > 32)
		return 0;
	for (size_t p = from; p + (e - b) < n; p++)
		if (!memcmp(lo + p, lo + b, e - b) && (p == 0 || !payload_is_alnum((unsigned char)lo[p - 1])) &&
		    (lo[p + e - b] == '(' || lo[p + e - b] == '`'))
			return 1;
	return 0;
}

/* A dialog or eval sink at p..e of a script-shaped value handed over
 * without its name called: to a call as a callback ([1].map(alert),
 * Reflect.apply(alert,..), Array.from([1],alert)), as the error handler (onerror=alert;throw 1),
 * or aliased and the alias called (x=alert,x(1)). A sink called by name
 * is whole_call's and the breaks' (print("hi") alone is a code sample). */
static int dialog_used(const char *lo, size_t n, size_t p, size_t e)
{
	char before = p > 0 ? lo[p - 1] : '\0', after = e < n ? lo[e] : '\0';

	if ((before == '(' && (after == ')' || after == ',')) || (before == ',' && after == ')'))
		return 1;
	if (before != '=' || (after != ';' && after != ',' && after != '\0'))
		return 0;
	size_t b = p - 1;
	while (b > 0 && payload_is_alpha((unsigned char)lo[b - 1]))
		b--;
	/* onerror=alert: the name from the start or after a separator */
	if (p - 1 - b > 4 && lo[b] == 'o' && lo[b + 1] == 'n' && (b == 0 || !payload_is_alnum((unsigned char)lo[b - 1])))
		return 1;
	return alias_called(lo, n, p - 1, e);
}

/* a string literal at q holding another origin's URL or script: "//x",
 * 'http..', `data:..`, 'javascript:..' */
static int foreign_url_at(const char *lo, size_t n, size_t q)
{
	return q + 1 < n && (lo[q] == '\'' || lo[q] == '"' || lo[q] == '`') &&
	       (payload_at(lo, n, q + 1, "//") || payload_at(lo, n, q + 1, "http") ||
		payload_at(lo, n, q + 1, "data:") || payload_at(lo, n, q + 1, "javascript:"));
}

/* import('//x.example/m.js'), document.location.href='//x.example': a
 * script-shaped value that loads a module from, or navigates to, a URL
 * written as a string (a relative import or a page name is a site's own) */
static int load_or_navigate(const char *lo, size_t n, size_t p)
{
	size_t e;

	if (payload_at(lo, n, p, "import")) {
		for (e = p + 6; e < n && payload_is_space((unsigned char)lo[e]); e++)
			;
		return e < n && lo[e] == '(' && foreign_url_at(lo, n, e + 1);
	}
	if (!payload_at(lo, n, p, "location"))
		return 0;
	e = p + 8;
	if (payload_at(lo, n, e, ".href"))
		e += 5;
	return e < n && lo[e] == '=' && foreign_url_at(lo, n, e + 1);
}

/* The whole value one script statement (no prose) that uses a dialog or
 * eval sink anywhere, or runs a string through the Function constructor
 * and calls the result: Function('alert(1)')(), constructor.constructor`..`,
 * ''.constructor.constructor('...')(); or that imports a module from, or
 * navigates to, a URL in a string. A reflected script block or handler
 * runs it as it is. */
/* the first bytes of the names whole_script looks for */
static const unsigned char script_first[256] = {
	['a'] = 1, ['c'] = 1, ['p'] = 1, ['e'] = 1, ['f'] = 1, ['i'] = 1, ['l'] = 1,
};

void payload_xss_whole_script(const char *lo, size_t n, struct payload_acc *a)
{
	static const char *const dlg[] = {"alert", "confirm", "prompt", "print", "eval"};
	static const char *const ctor[] = {"function", "constructor"};

	while (n > 0 && (payload_is_space((unsigned char)lo[n - 1]) || lo[n - 1] == ';' || lo[n - 1] == '/'))
		n--;
	if (n > 400 || !js_shaped(lo, n))
		return;
	for (size_t p = 0; p < n; p++) {
		/* the first bytes of the names below: most positions end here */
		if (!script_first[(unsigned char)lo[p]] ||
		    (p > 0 && payload_is_alnum((unsigned char)lo[p - 1])))
			continue;
		if ((lo[p] == 'i' || lo[p] == 'l') && load_or_navigate(lo, n, p)) {
			payload_acc_hit(a, PAYLOAD_XSS, 60, "script loading or navigating to a url as the whole value");
			return;
		}
		for (size_t k = 0; k < sizeof(dlg) / sizeof(dlg[0]); k++) {
			size_t e;
			if (!payload_at(lo, n, p, dlg[k]))
				continue;
			e = p + strlen(dlg[k]);
			if ((e == n || !payload_is_alnum((unsigned char)lo[e])) &&
			    dialog_used(lo, n, p, e)) {
				payload_acc_hit(a, PAYLOAD_XSS, 60, "script statement using a dialog sink as the whole value");
				return;
			}
		}
		for (size_t k = 0; k < sizeof(ctor) / sizeof(ctor[0]); k++) {
			size_t e;
			if (!payload_at(lo, n, p, ctor[k]))
				continue;
			e = p + strlen(ctor[k]);
			if (e + 2 >= n)
				continue;
			/* given a string: Function('...'), Function`...`; the
			 * constructor reached through a property given anything
			 * (x.constructor(atob('...'))()): a function literal
			 * called at once is ordinary script */
			if (!(lo[e] == '`' || (lo[e] == '(' && (k == 1 || strchr("'\"`", lo[e + 1])))))
				continue;
			/* and its result called: ')(' or '`(' or '``' after it */
			for (size_t q = e + 1; q + 1 < n; q++)
				if ((lo[q] == ')' || lo[q] == '`') && (lo[q + 1] == '(' || lo[q + 1] == '`')) {
					payload_acc_hit(a, PAYLOAD_XSS, 60, "string run by the function constructor as the whole value");
					return;
				}
		}
	}
}

/* A query value's '+' is a blank to the server but itself to script in
 * the page (decodeURIComponent(location.search) keeps it): the breaks out
 * of a string or attribute are read again on the value decoded with '+'
 * kept, where '+alert(1)+' is a concatenation, not "' alert(1) '". */
void payload_xss_plus_kept(const struct payload_val *v, struct payload_acc *a)
{
	char d[PAYLOAD_MAX_VALUE + 1];
	size_t n;
	int budget = 8;
	struct payload_xss_run run = {1, 0};

	/* the census before the raw bytes' memchr */
	if (v->where != PAYLOAD_WHERE_QUERY || !v->raw || v->rawn > PAYLOAD_MAX_VALUE ||
	    !(payload_has(v, '\'') || payload_has(v, '"') || payload_has(v, '`')) ||
	    !memchr(v->raw, '+', v->rawn))
		return;
	n = norm_decode(v->raw, v->rawn, d, sizeof(d), NORM_PERCENT | NORM_HTML | NORM_UNICODE | NORM_LOWER);
	for (size_t i = 0; i + 1 < n && budget > 0; i++)
		if (d[i] == '\'' || d[i] == '"' || d[i] == '`')
			payload_xss_quote_break(d, n, i, a, &budget, &run);
}
