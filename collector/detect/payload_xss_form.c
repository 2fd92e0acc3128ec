/* payload_xss_form.c - markup that needs no script to turn a page against
 * its user, and handler bodies that do nothing:
 * - a form (or a button's formaction) that posts to an IP literal or
 *   through userinfo while the value holds a password field: a login box
 *   planted in the site's own page;
 * - DOM clobbering: an element whose id or name is one of the DOM's own
 *   members (<form id=x><input name=innerHTML>, <img name=getElementById>)
 *   shadows that member for the sanitizer or script that reads it;
 * - a link or form laid fixed over the whole viewport (position:fixed,
 *   100% both ways or offsets of 0): every click goes where it sends;
 * - an event handler whose whole body does nothing (onclick="return
 *   false;"), what every rich-text link with a '#' href carries. */
#include "collector/detect/payload_xss_int.h"

#include <string.h>

static int name_is(const char *lo, struct span s, const char *w)
{
	return s.len == strlen(w) && memcmp(lo + s.off, w, s.len) == 0;
}

/* a string literal at lo[p] ('..' or "..", up to 128 bytes) whose text
 * is no markup and no script URL: its end, or SIZE_MAX */
static size_t plain_literal(const char *lo, size_t p, size_t e)
{
	size_t q;

	if (p >= e || (lo[p] != '\'' && lo[p] != '"'))
		return SIZE_MAX;
	for (q = p + 1; q < e && q < p + 130 && lo[q] != lo[p]; q++)
		if (lo[q] == '<' || lo[q] == '\\' || lo[q] == '`' || lo[q] == '$' || (lo[q] == ':' && q >= p + 7 && !memcmp(lo + q - 6, "script", 6)))
			return SIZE_MAX;
	return q < e && lo[q] == lo[p] ? q + 1 : SIZE_MAX;
}

/* blanks from p */
static size_t skip_blank(const char *lo, size_t p, size_t e)
{
	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	return p;
}

/* a statement whose effect stays on the element or the site's own pages
 * at lo[p]: this.x.y = 'literal' (a fallback image's src, a style), a
 * class toggled on this, location = '/path' of the site: its end, or
 * SIZE_MAX. No member that parses markup (innerHTML, outerHTML, srcdoc)
 * and no literal that is markup or a script URL. */
static size_t self_stmt(const char *lo, size_t p, size_t e)
{
	int site = 0, parts = 0;
	size_t q;

	if (payload_at(lo, e, p, "this.")) {
		p += 5;
	} else {
		if (payload_at(lo, e, p, "window."))
			p += 7;
		if (!payload_at(lo, e, p, "location"))
			return SIZE_MAX;
		p += 8;
		if (payload_at(lo, e, p, ".href"))
			p += 5;
		site = 1;
		goto assign;
	}
	for (;;) {
		size_t s = p;
		while (p < e && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_'))
			p++;
		if (p == s || p - s > 24 || ++parts > 4)
			return SIZE_MAX;
		if ((p - s == 9 && (!memcmp(lo + s, "innerhtml", 9) || !memcmp(lo + s, "outerhtml", 9))) ||
		    (p - s == 6 && !memcmp(lo + s, "srcdoc", 6)))
			return SIZE_MAX;
		if (p - s == 9 && !memcmp(lo + s, "classlist", 9) && p < e && lo[p] == '.') {
			p++;
			if (payload_at(lo, e, p, "add("))
				p += 4;
			else if (payload_at(lo, e, p, "remove("))
				p += 7;
			else if (payload_at(lo, e, p, "toggle("))
				p += 7;
			else
				return SIZE_MAX;
			q = plain_literal(lo, p, e);
			return q < e && lo[q] == ')' ? q + 1 : SIZE_MAX;
		}
		if (p < e && lo[p] == '.') {
			p++;
			continue;
		}
		break;
	}
assign:
	p = skip_blank(lo, p, e);
	if (p >= e || lo[p] != '=' || (p + 1 < e && lo[p + 1] == '='))
		return SIZE_MAX;
	p = skip_blank(lo, p + 1, e);
	if (site) {
		/* a path of this site: '/' and no second '/' or '\' */
		if (p + 2 >= e || (lo[p] != '\'' && lo[p] != '"') || lo[p + 1] != '/' || lo[p + 2] == '/' ||
		    lo[p + 2] == '\\')
			return SIZE_MAX;
		return plain_literal(lo, p, e);
	}
	if (payload_at(lo, e, p, "null") || payload_at(lo, e, p, "true") || payload_at(lo, e, p, "none"))
		return p + 4;
	if (payload_at(lo, e, p, "false"))
		return p + 5;
	if (p < e && lo[p] >= '0' && lo[p] <= '9') {
		while (p < e && ((lo[p] >= '0' && lo[p] <= '9') || lo[p] == '.'))
			p++;
		return p;
	}
	return plain_literal(lo, p, e);
}

/* "return confirm('Are you sure?')" at lo[p]: the page asks the user a
 * question before a link or a form goes on. The question is a quoted
 * sentence (a blank in it, '?' last) of words and plain punctuation: no
 * other quote, escape, call, '+', '$', '<' or brace. Its end, or
 * SIZE_MAX. */
static size_t ask_stmt(const char *lo, size_t p, size_t e)
{
	size_t q;
	int blank = 0;
	char quote;

	if (!payload_at(lo, e, p, "return confirm(") || p + 16 >= e)
		return SIZE_MAX;
	quote = lo[p + 15];
	if (quote != '\'' && quote != '"')
		return SIZE_MAX;
	for (q = p + 16; q < e && q < p + 136 && lo[q] != quote; q++) {
		if (lo[q] == ' ')
			blank = 1;
		else if (!payload_is_alnum((unsigned char)lo[q]) && !strchr(",.!?:-", lo[q]))
			return SIZE_MAX;
	}
	if (!blank || q + 1 >= e || lo[q] != quote || lo[q - 1] != '?' || lo[q + 1] != ')')
		return SIZE_MAX;
	return q + 2;
}

/* one statement that does nothing at lo[p] (lower case), or whose
 * effect stays on the page (history.back(), a fallback image: see
 * self_stmt): its end, or SIZE_MAX */
static size_t inert_stmt(const char *lo, size_t p, size_t e)
{
	static const char *const w[] = {"return false", "return true", "void(0)", "void 0",
					"event.preventdefault()", "event.stoppropagation()", "history.back()",
					"history.go(-1)", "window.history.back()", "window.close()",
					"location.reload()", "window.location.reload()", "this.blur()",
					"this.select()", "return"};
	size_t q = ask_stmt(lo, p, e);

	if (q != SIZE_MAX && (q == e || lo[q] == ';' || payload_is_space((unsigned char)lo[q])))
		return q;
	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++) {
		size_t l;
		if (p >= e || lo[p] != w[k][0])
			continue;
		l = strlen(w[k]);
		if (payload_at(lo, e, p, w[k]) &&
		    (p + l == e || lo[p + l] == ';' || payload_is_space((unsigned char)lo[p + l])))
			return p + l;
	}
	if (p >= e || (lo[p] != 't' && lo[p] != 'w' && lo[p] != 'l'))
		return SIZE_MAX;
	q = self_stmt(lo, p, e);
	if (q != SIZE_MAX && (q == e || lo[q] == ';' || payload_is_space((unsigned char)lo[q])))
		return q;
	return SIZE_MAX;
}

/* a quoted handler body made only of statements that do nothing
 * (return false, void(0), event.preventDefault()), ';' and blanks, after
 * an optional "javascript:" label. Only quoted: in an unquoted value an
 * entity the browser decodes after tokenizing (&Tab;) joins what follows
 * to the body. */
int payload_xss_inert_handler(const char *lo, struct span v, int quoted)
{
	size_t p = v.off, e = v.off + v.len;
	int stmts = 0, printed = 0, kept = 0;

	if (!quoted)
		return 0;
	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	if (payload_at(lo, e, p, "javascript:"))
		p += 11;
	while (p < e) {
		if (lo[p] == ';' || payload_is_space((unsigned char)lo[p])) {
			p++;
			continue;
		}
		/* a print link's: window.print() with return false beside */
		if (payload_at(lo, e, p, "window.print()")) {
			p += 14;
			printed = 1;
			continue;
		}
		if (payload_at(lo, e, p, "return false"))
			kept = 1;
		p = inert_stmt(lo, p, e);
		if (p == SIZE_MAX)
			return 0;
		stmts++;
	}
	return stmts > 0 && (!printed || kept);
}

/* A script URL (head: its decoded head, whole) that runs nothing or
 * only what stays on the page: javascript:void(0), or statements
 * payload_xss_inert_handler takes (javascript:history.back()), none of
 * which leaves a string to be written as the new document */
int payload_xss_inert_url(const char *head)
{
	size_t l = strlen(head);

	return payload_xss_void_url(head) ||
	       (l > 11 && !memcmp(head, "javascript:", 11) && head[l - 1] != '\'' && head[l - 1] != '"' &&
		payload_xss_inert_handler(head, (struct span){0, l}, 1));
}

/* the window's own functions that run a string, fetch, open a dialog or
 * a window, or take a function to run later: never a page's helper */
static int window_function(const char *lo, size_t s, size_t e)
{
	static const char *const w[] = {"alert", "prompt", "confirm", "print", "eval", "function", "fetch",
					"open", "import", "settimeout", "setinterval", "execscript", "postmessage",
					"atob", "unescape", "decodeuricomponent", "escape", "requestanimationframe",
					"queuemicrotask", "setimmediate", "reflect", "require", "define", "xmlhttprequest",
					"importscripts", "navigate", "showmodaldialog", "window", "document", "location",
					"top", "self", "parent", "frames", "globalthis", "opener", "constructor"};

	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (strlen(w[k]) == e - s && !memcmp(lo + s, w[k], e - s))
			return 1;
	return 0;
}

/* A name in a handler's arguments at lo[q] that reads what the
 * injector sets, not a literal: window.name (name, window.x, self.x,
 * top.x), a member of the element whose attributes the injection
 * writes (this.id, this.dataset.u, event.target.title; "this" alone is
 * the element), the
 * URL or the document (location, document). An object literal's key
 * ({name: 'x'}) is not a read. */
static int page_call_source(const char *lo, size_t q, size_t e)
{
	static const char *const src[] = {"name",   "window",     "self",     "top",      "parent", "opener",
					   "frames", "globalthis", "location", "document", "this",   "event"};
	size_t r = q;

	while (r < e && (payload_is_alnum((unsigned char)lo[r]) || lo[r] == '_'))
		r++;
	for (size_t k = 0; k < sizeof(src) / sizeof(src[0]); k++) {
		size_t l = strlen(src[k]);
		if (l != r - q || memcmp(lo + q, src[k], l) != 0)
			continue;
		while (r < e && lo[r] == ' ')
			r++;
		if (r < e && lo[r] == ':')
			return 0; /* a key */
		return k < 10 || (r < e && lo[r] == '.'); /* this, event: a member */
	}
	return 0;
}

/* A quoted handler body made of calls of the page's own helpers, each a
 * single name (toggleMenu(), return validateForm(), openModal('signup'),
 * gtag('event', 'click', {event_category: 'outbound'})) or this.form's
 * submit()/reset(), given literals, names and object literals: what a
 * CMS page's markup calls. Not the window's functions (window_function)
 * and nothing that builds a string, calls or uses a sink
 * (payload_xss_js_code) within its arguments. */
int payload_xss_page_call(const char *lo, struct span v, int quoted)
{
	size_t p = v.off, e = v.off + v.len;
	int calls = 0;

	if (!quoted || v.len > 200)
		return 0;
	while (p < e) {
		size_t s, q;
		int d = 0;
		char str = 0;

		if (lo[p] == ';' || payload_is_space((unsigned char)lo[p])) {
			p++;
			continue;
		}
		if (payload_at(lo, e, p, "return ")) {
			p += 7;
			while (p < e && payload_is_space((unsigned char)lo[p]))
				p++;
			if (payload_at(lo, e, p, "false"))
				p += 5;
			else if (payload_at(lo, e, p, "true"))
				p += 4;
			continue;
		}
		if (payload_at(lo, e, p, "this.form.submit()") || payload_at(lo, e, p, "this.form.reset()")) {
			p += lo[p + 10] == 's' ? 18 : 17;
			calls++;
			continue;
		}
		for (s = p; p < e && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_'); p++)
			;
		if (p == s || p - s > 32 || !payload_is_alpha((unsigned char)lo[s]) || window_function(lo, s, p) ||
		    p >= e || lo[p] != '(')
			return 0;
		/* the arguments: literals, names, object literals */
		for (q = p; q < e; q++) {
			char c = lo[q];
			if (str) {
				if (c == str)
					str = 0;
				else if (c == '\\' || c == '<' || (c == ':' && q >= 6 && !memcmp(lo + q - 6, "script", 6)))
					return 0;
				continue;
			}
			if (c == '\'' || c == '"')
				str = c;
			else if (payload_is_alpha((unsigned char)c) && !payload_is_alnum((unsigned char)lo[q - 1]) &&
				 lo[q - 1] != '_' && lo[q - 1] != '.' && page_call_source(lo, q, e))
				return 0;
			else if (c == '(')
				d++;
			else if (c == ')') {
				if (--d == 0)
					break;
			} else if (strchr("`=<+\\[", c))
				return 0;
		}
		if (q >= e || d != 0 || str)
			return 0;
		/* a call inside the arguments (f(g(x))), or a sink read or
		 * passed there (f(document.cookie), f(alert)) */
		if (memchr(lo + p + 1, '(', q - p - 1) || payload_xss_js_code(lo, e, s, q + 1))
			return 0;
		p = q + 1;
		calls++;
	}
	return calls > 0;
}

/* JSX's handler braces read as HTML: an unquoted value that is a name in
 * a block ({handleClick}, {this.onToggle}: a statement that calls
 * nothing), or an arrow function's head the tokenizer cut at its blank,
 * "=>" after it ({() =>, {e =>, {(e) =>: a block never closed, which
 * cannot compile). Either way the handler runs nothing. */
int payload_xss_jsx_handler(const char *lo, size_t n, struct span v)
{
	size_t p = v.off + 1, e = v.off + v.len;

	if (v.len < 2 || v.len > 64 || lo[v.off] != '{')
		return 0;
	if (lo[e - 1] == '}') {
		if (!payload_is_alpha((unsigned char)lo[p]) && lo[p] != '_' && lo[p] != '$')
			return 0;
		for (; p < e - 1; p++)
			if (!payload_is_alnum((unsigned char)lo[p]) && !strchr("_$.", lo[p]))
				return 0;
		return 1;
	}
	if (p < e && lo[p] == '(')
		p++;
	while (p < e && (payload_is_alnum((unsigned char)lo[p]) || strchr("_$,", lo[p])))
		p++;
	if (p < e && lo[p] == ')')
		p++;
	if (p != e || e >= n || (lo[e] != ' ' && lo[e] != '\t'))
		return 0;
	while (e < n && (lo[e] == ' ' || lo[e] == '\t'))
		e++;
	return payload_at(lo, n, e, "=>");
}

/* the host lo[h..e) read as a browser reads an IPv4 address (1 to 4
 * parts split by '.', a trailing '.' allowed; each decimal, 0x hex or
 * 0-led octal; the last fills the bytes left: 203.0.29449, 0xCB.0.113.9,
 * 3405803785) into *ip; 0 when it is no such number */
static int ipv4_host(const char *lo, size_t h, size_t e, unsigned long *ip)
{
	unsigned long long part[4], r = 0;
	int np = 0;

	if (e > h && lo[e - 1] == '.')
		e--;
	if (e <= h)
		return 0;
	for (size_t p = h; p <= e; p++) {
		unsigned long long x = 0;
		unsigned base = 10;
		size_t d;
		if (np == 4)
			return 0;
		if (p + 1 < e && lo[p] == '0' && lo[p + 1] == 'x') {
			base = 16;
			p += 2;
		} else if (p + 1 < e && lo[p] == '0' && lo[p + 1] != '.') {
			base = 8;
			p++;
		}
		for (d = p; p < e && lo[p] != '.'; p++) {
			unsigned c = lo[p] >= '0' && lo[p] <= '9'	? (unsigned)(lo[p] - '0')
				     : lo[p] >= 'a' && lo[p] <= 'f' ? (unsigned)(lo[p] - 'a' + 10)
									: 99;
			if (c >= base || x > 0xffffffffULL)
				return 0;
			x = x * base + c;
		}
		if (p == d && base == 10)
			return 0;
		part[np++] = x;
	}
	for (int k = 0; k < np - 1; k++) {
		if (part[k] > 255)
			return 0;
		r |= part[k] << (24 - 8 * k);
	}
	if (np > 1 && part[np - 1] >= (1ULL << (8 * (5 - np))))
		return 0;
	if (part[np - 1] > 0xffffffffULL)
		return 0;
	*ip = (unsigned long)(r | part[np - 1]);
	return 1;
}

/* a private, loopback or link-local IPv4 address (10/8, 172.16/12,
 * 192.168/16, 127/8, 169.254/16): a router's or NAS's own login page,
 * the user's own device (rev8 F3) */
static int private_ipv4(unsigned long ip)
{
	return (ip >> 24) == 10 || (ip >> 24) == 127 || (ip >> 20) == 0xac1 || (ip >> 16) == 0xc0a8 ||
	       (ip >> 16) == 0xa9fe;
}

/* an address of another host that no site's own login form posts to:
 * its host a public IP literal (http://203.0.113.9/, //[2001:db8::1]/, a
 * decimal 3405803785, a hex part 0xCB.0.113.9), a wildcard DNS name that
 * spells one (cb007109.nip.io, 203-0-113-9.sslip.io) or behind userinfo
 * (https://accounts.example.com@evil/). A named host may be the site's
 * own webmail or single sign-on, whose login box a portal's page embeds;
 * a private address is a router's own page. */
static int foreign_host(const char *lo, struct span v)
{
	static const char *const wild[] = {".nip.io", ".sslip.io", ".xip.io", ".nip.direct"};
	size_t p = v.off, e = v.off + v.len, h;
	unsigned long ip;

	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	if (payload_at(lo, e, p, "https:"))
		p += 6;
	else if (payload_at(lo, e, p, "http:"))
		p += 5;
	else if (!(p + 1 < e && (lo[p] == '/' || lo[p] == '\\') && (lo[p + 1] == '/' || lo[p + 1] == '\\')))
		return 0;
	while (p < e && (lo[p] == '/' || lo[p] == '\\'))
		p++;
	/* IPv6: loopback, link-local and unique-local are the user's own */
	if (p < e && lo[p] == '[')
		return !(payload_at(lo, e, p, "[::1]") || payload_at(lo, e, p, "[fe80:") ||
			 (p + 3 < e && lo[p + 1] == 'f' && (lo[p + 2] == 'c' || lo[p + 2] == 'd')));
	for (h = p; p < e && lo[p] != '/' && lo[p] != '\\' && lo[p] != '?' && lo[p] != '#' && lo[p] != ':'; p++)
		if (lo[p] == '@')
			return p > h;
	/* userinfo with a password (user:pw@host): '@' before any '/' */
	for (size_t q = p; p < e && lo[p] == ':' && q < e && q < p + 64 && lo[q] != '/' && lo[q] != '\\'; q++)
		if (lo[q] == '@')
			return 1;
	if (p - h > 255)
		return 0;
	if (ipv4_host(lo, h, p, &ip))
		return !private_ipv4(ip);
	for (size_t k = 0; k < sizeof(wild) / sizeof(wild[0]); k++) {
		size_t l = strlen(wild[k]), t = p > h && lo[p - 1] == '.' ? p - 1 : p;
		if (t - h > l && !memcmp(lo + t - l, wild[k], l))
			return 1;
	}
	return 0;
}

/* an address of another host at v (http(s)://host, //host, \\\\host),
 * named or not: not a path of this site */
static int other_host(const char *lo, struct span v)
{
	size_t p = v.off, e = v.off + v.len;

	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	if (payload_at(lo, e, p, "https:"))
		p += 6;
	else if (payload_at(lo, e, p, "http:"))
		p += 5;
	if (!(p + 2 < e && (lo[p] == '/' || lo[p] == '\\') && (lo[p + 1] == '/' || lo[p + 1] == '\\')))
		return 0;
	return payload_is_alnum((unsigned char)lo[p + 2]);
}

/* the value holds a password field: "password" as the value of a type
 * attribute (type=password, type = "password"); looked for once a value */
static int has_password(const char *lo, size_t n, struct payload_xss_tagmemo *m)
{
	if (m->pw_known)
		return m->pw;
	m->pw_known = 1;
	m->pw = 0;
	for (size_t i = payload_find(lo, n, 0, "password"); i < n && !m->pw; i = payload_find(lo, n, i + 8, "password")) {
		size_t p = i;
		if (p > 0 && (lo[p - 1] == '"' || lo[p - 1] == '\''))
			p--;
		while (p > 0 && payload_is_space((unsigned char)lo[p - 1]))
			p--;
		if (p == 0 || lo[p - 1] != '=')
			continue;
		for (p--; p > 0 && payload_is_space((unsigned char)lo[p - 1]); p--)
			;
		m->pw = p >= 5 && !memcmp(lo + p - 4, "type", 4) &&
			(payload_is_space((unsigned char)lo[p - 5]) || lo[p - 5] == '/' || lo[p - 5] == '"' ||
			 lo[p - 5] == '\'');
	}
	return m->pw;
}

/* members of Element, Node and Document that a sanitizer or a page's
 * script reads and that no form field is named after (lower case: HTML
 * matches names as written, but a probe's case is the DOM's): methods and
 * the tree's links. Not "attributes" (a shop's field, exactly as the
 * probe <form id=x><input name=attributes> has it), nodeName, localName,
 * tagName, textContent, parentNode, implementation: fields of cluster,
 * tag and survey forms, and docs' heading anchors. */
static int dom_member(const char *lo, struct span v)
{
	static const char *const w[] = {
		"getelementbyid", "getelementsbytagname", "getelementsbyname", "queryselector", "queryselectorall",
		"appendchild",	  "removechild",	  "insertbefore",      "replacechild",	"createelement",
		"setattribute",	  "getattribute",	  "removeattribute",   "hasattribute",	"currentscript",
		"defaultview",	  "documentelement",	  "ownerdocument",     "childnodes",	"firstchild",
		"lastchild",	  "innerhtml",		  "outerhtml",	       "nextsibling",	"previoussibling",
		"clonenode",	  "importnode",		  "adoptnode",	       "createrange",
	};

	/* the words are 9 to 20 letters long */
	if (v.len < 9 || v.len > 20)
		return 0;
	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (lo[v.off] == w[k][0] && name_is(lo, v, w[k]))
			return 1;
	return 0;
}

/* Document's own properties that the usual clobbering gadgets shadow
 * by a named img, form, embed or object (Document is
 * [LegacyOverrideBuiltIns]: document.cookie, document.body, rev8 E13);
 * only by name= on those tags: a form field or a checkbox is called
 * "cookie" or "domain" as often as anything */
static int doc_prop(const char *lo, struct span v)
{
	static const char *const w[] = {"cookie", "body", "domain", "referrer", "documenturi", "baseuri",
					"scripts", "forms", "images"};

	if (v.len < 4 || v.len > 11)
		return 0;
	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (lo[v.off] == w[k][0] && name_is(lo, v, w[k]))
			return 1;
	return 0;
}

/* what an element's id or name clobbers: 1 a document member (name= on
 * img, form, embed, object, iframe), 2 its form's member (id or name on a
 * form control, or id on an img: it needs a <form in the value), 0 nothing (a heading's
 * id, an anchor's name, an XML config's <Call name="setAttribute">) */
static int clobbers(const char *lo, struct span tag)
{
	static const char *const doc[] = {"img", "form", "embed", "object", "iframe"};
	static const char *const ctl[] = {"input", "button", "select", "output", "textarea", "fieldset"};

	if (tag.len < 3 || tag.len > 8)
		return 0;
	for (size_t k = 0; k < sizeof(doc) / sizeof(doc[0]); k++)
		if (name_is(lo, tag, doc[k]))
			return 1;
	for (size_t k = 0; k < sizeof(ctl) / sizeof(ctl[0]); k++)
		if (name_is(lo, tag, ctl[k]))
			return 2;
	return 0;
}

/* the value holds a form's start tag (looked for once a value) */
static int has_form(const char *lo, size_t n, struct payload_xss_tagmemo *m)
{
	if (!m->form_known) {
		m->form_known = 1;
		m->form = payload_find(lo, n, 0, "<form") < n;
	}
	return m->form;
}

/* the value names another host or a script URL somewhere ("//",
 * "\\\\", "/\\" and "\\/" (a browser reads each as "//"), "http:" and
 * "https:" (a scheme with no slashes names a host from another
 * scheme's page), "script:"): where a page-wide link or form would send the
 * clicks and keys. A modal's own close link (href="#close", "/close")
 * or its login form (action="/login") sends them to the site itself.
 * Looked for once a value. */
static int names_elsewhere(const char *lo, size_t n, struct payload_xss_tagmemo *m)
{
	if (!m->away_known) {
		m->away_known = 1;
		m->away = payload_find(lo, n, 0, "//") < n || payload_find(lo, n, 0, "\\\\") < n ||
			  payload_find(lo, n, 0, "/\\") < n || payload_find(lo, n, 0, "\\/") < n ||
			  payload_find(lo, n, 0, "http:") < n || payload_find(lo, n, 0, "https:") < n ||
			  payload_find(lo, n, 0, "script:") < n;
	}
	return m->away;
}

void payload_xss_form_tag(const char *lo, size_t n, struct span tag, const struct payload_xss_attrs *t,
			  struct payload_acc *a, struct payload_xss_tagmemo *m)
{
	int form = name_is(lo, tag, "form"), cl = -1;

	for (int k = 0; k < t->na; k++) {
		struct span an = t->an[k];
		/* seen: read for an earlier tag left open, of which the
		 * browser makes it an attribute (<a id=x <img name=y>: an
		 * <a>), and a value of open tags stays linear */
		if (!t->has_val[k] || t->seen[k] || an.len < 2 || an.len > 10)
			continue;
		if ((form && name_is(lo, an, "action")) || name_is(lo, an, "formaction")) {
			int f = foreign_host(lo, t->av[k]);
			/* a named host: the site's own sign-on, or a phisher's
			 * login box planted in the page; told */
			if ((f || other_host(lo, t->av[k])) && has_password(lo, n, m))
				payload_acc_hit(a, PAYLOAD_XSS, f ? 70 : 55,
						f ? "form posts a password to a bare or disguised host"
						  : "form posts a password to another host");
			/* a button that sends the form it stands in, the
			 * page's own (its token, what the user typed), to
			 * another host: a bare or disguised one kills */
			else if (!form && name_is(lo, an, "formaction") && (f || other_host(lo, t->av[k])))
				payload_acc_hit(a, PAYLOAD_XSS, f ? 65 : 55,
						"button sends the page's form to another host");
		}
		/* a link or a form laid over the whole page takes every
		 * click or keystroke (a modal's empty backdrop is neither) */
		if (name_is(lo, an, "style") && (name_is(lo, tag, "a") || form || has_form(lo, n, m)) &&
		    payload_xss_style_overlay(lo, t->av[k]) && names_elsewhere(lo, n, m))
			payload_acc_hit(a, PAYLOAD_XSS, 65, "link or form laid over the whole page");
		if (!name_is(lo, an, "id") && !name_is(lo, an, "name"))
			continue;
		if (cl < 0)
			cl = clobbers(lo, tag);
		if (cl && (an.len == 4 ? cl == 1 || has_form(lo, n, m) : has_form(lo, n, m)) && dom_member(lo, t->av[k]))
			payload_acc_hit(a, PAYLOAD_XSS, 65, "element named after a DOM member (clobbering)");
		else if (cl == 1 && an.len == 4 && doc_prop(lo, t->av[k]))
			payload_acc_hit(a, PAYLOAD_XSS, 65, "element named after a Document property (clobbering)");
	}
}
