/* payload_xss.c - cross-site scripting: an HTML start-tag tokenizer (after the
 * WHATWG tokenization states for tag names, attribute names and quoted /
 * unquoted values: '/' and whitespace separate, '=' may begin a name, '/'
 * and '=' stay inside an unquoted value) that scores script-capable
 * elements, event-handler attributes, script URLs (the scheme read through
 * blanks, entities and HTML comments), style sheets and style attributes
 * that reach script (CSS comments and escapes undone), SVG animation and
 * handler elements, processing instructions' pseudo-attributes, names split
 * by NUL or junk; then calls payload_xss_ctx.c for the contexts where no new
 * tag is needed (attribute, JS-string, expression, template and CSS-value
 * breakouts). Script is recognised by its sinks (alert, eval,
 * document.cookie, location=, top[...]) being called, passed, assigned or
 * read, never by a word alone. */
#include "collector/detect/payload_xss_int.h"

#include <string.h>



/* The leading scheme of a URL-ish value, ignoring the whitespace and control
 * characters browsers strip: "java\tscript:" is javascript:. Writes up to
 * cap-1 lower-case bytes. */
void payload_xss_url_head(const char *lo, size_t off, size_t len, char *out, size_t cap)
{
	size_t w = 0;
	for (size_t i = 0; i < len && w + 1 < cap; i++) {
		unsigned char c = (unsigned char)lo[off + i];
		if (c <= 0x20 || c == '"' || c == '\'' || c == '`')
			continue;
		/* an escaped quote (src=\"javascript:...\"): the value once a
		 * server or script unescapes it */
		if (c == '\\' && i + 1 < len && (lo[off + i + 1] == '"' || lo[off + i + 1] == '\''))
			continue;
		/* an HTML comment inside the value: javas<!-- -->cript: (old IE) */
		if (c == '<' && payload_at(lo, off + len, off + i, "<!--")) {
			size_t e = payload_find(lo, off + len, off + i + 4, "-->");
			i = e < off + len ? e - off + 2 : len;
			continue;
		}
		out[w++] = (char)c;
	}
	out[w] = '\0';
}

/* Does the CSS in lo[off..off+len) reach script: expression(), a
 * javascript: URL, IE behaviors, XBL bindings or an @import? Comments are
 * dropped and backslash escapes undone first (expr/ ** /ession,
 * \6a avascript, @im\port), as the CSS tokenizer does; reads at most 1 KiB. */
/* lo[off..off+len) with CSS comments dropped and escapes undone into b
 * (CSS_FLAT bytes); returns the length */
size_t payload_xss_css_flatten(const char *lo, size_t off, size_t len, char *b)
{
	size_t w = 0, end = off + len;

	for (size_t i = off; i < end && w < CSS_FLAT; i++) {
		unsigned char c = (unsigned char)lo[i];
		if (c == '/' && i + 1 < end && lo[i + 1] == '*') {
			size_t e = payload_find(lo, end, i + 2, "*/");
			i = e < end ? e + 1 : end;
			continue;
		}
		if (c == '\\' && i + 1 < end) {
			unsigned long cp = 0;
			size_t k = i + 1, d = 0;
			while (k < end && d < 6 && strchr("0123456789abcdef", lo[k]) && lo[k]) {
				cp = cp * 16 + (unsigned long)(lo[k] <= '9' ? lo[k] - '0' : lo[k] - 'a' + 10);
				k++;
				d++;
			}
			if (d) {
				if (k < end && payload_is_space((unsigned char)lo[k]))
					k++;
				b[w++] = cp >= 'A' && cp <= 'Z' ? (char)(cp + 32) : cp < 0x80 ? (char)cp : '?';
				i = k - 1;
			} else {
				b[w++] = lo[i + 1];
				i++;
			}
			continue;
		}
		if (c <= 0x20 && w > 0 && b[w - 1] == ':')
			continue; /* "behavior: url" */
		b[w++] = (char)c;
	}
	return w;
}

int payload_xss_script_scheme(const char *h)
{
	return !strncmp(h, "javascript:", 11) || !strncmp(h, "vbscript:", 9) ||
	       !strncmp(h, "livescript:", 11) || !strncmp(h, "mocha:", 6);
}

/* data: URLs that a browser would run or render as a document */
int payload_xss_active_data(const char *h)
{
	if (strncmp(h, "data:", 5) != 0)
		return 0;
	h += 5;
	if (!strncmp(h, "application/", 12)) {
		/* the application types a browser renders as a document or
		 * runs (a head of 24 bytes holds 6 of the subtype, one of 48
		 * the whole of most); json, pdf,
		 * octet-stream, zip: an API's file upload as a data URL */
		static const char *const run[] = {"xhtml", "xml", "javasc", "ecmasc", "x-java", "x-ecma",
						  "x-shoc", "x-silv", "vnd.wa", "rss+xm", "atom+x"};
		size_t e = 12;

		for (size_t k = 0; k < sizeof(run) / sizeof(run[0]); k++)
			if (!strncmp(h + 12, run[k], strlen(run[k])))
				return 1;
		/* any XML type (a subtype ending "+xml": mathml+xml,
		 * xslt+xml, vnd.x+xml) is rendered by the XML parser, and an
		 * element in the XHTML namespace runs its script there */
		while (h[e] && h[e] != ',' && h[e] != ';' && e < 64)
			e++;
		return e >= 16 && !strncmp(h + e - 4, "+xml", 4);
	}
	return !strncmp(h, "text/html", 9) || !strncmp(h, "image/svg", 9) ||
	       !strncmp(h, "text/javascript", 15) || !strncmp(h, "text/xml", 8) || h[0] == ',' || h[0] == ';';
}

static int name_is(const char *lo, struct span s, const char *w)
{
	return s.len == strlen(w) && memcmp(lo + s.off, w, s.len) == 0;
}

/* on + at least three letters; junk punctuation after the letters
 * (onload!#$%&()*~+-_.,:;?@[) is what old parsers skipped, still a handler */
int payload_xss_event_name(const char *lo, struct span s)
{
	size_t i = 2;

	if (s.len < 5 || lo[s.off] != 'o' || lo[s.off + 1] != 'n')
		return 0;
	while (i < s.len && lo[s.off + i] >= 'a' && lo[s.off + i] <= 'z')
		i++;
	if (i < 5)
		return 0;
	for (; i < s.len; i++)
		if (payload_is_alnum((unsigned char)lo[s.off + i]) && lo[s.off + i] != '_')
			return 0;
	return 1;
}

/* DOM event handler attributes an injected tag or attribute uses. Inside
 * a tag any on* name counts; outside one (the value broke out of an
 * unquoted attribute) a listed name with code-like value, or any on* whose
 * value calls a script sink. */
static const char *const events[] = {
	"onload", "onerror", "onclick", "ondblclick", "onmouseover", "onmouseout",
	"onmouseenter", "onmouseleave", "onmousedown", "onmouseup", "onmousemove",
	"onfocus", "onblur", "onfocusin", "onfocusout", "onchange", "oninput",
	"onsubmit", "onreset", "onkeydown", "onkeyup", "onkeypress", "onpointerover",
	"onpointerenter", "onpointerdown", "onpointerup", "onpointermove",
	"onpointerout", "onpointerleave", "onanimationstart", "onanimationend",
	"onanimationiteration", "ontransitionend", "ontoggle", "onbegin", "onend",
	"onstart", "onfinish", "onscroll", "onwheel", "onresize", "onpageshow",
	"onhashchange", "onmessage", "onbeforeprint", "onafterprint", "onunload",
	"onbeforeunload", "onauxclick", "oncontextmenu", "oncopy", "oncut",
	"onpaste", "onbeforecopy", "onbeforecut", "onbeforepaste", "ondrag",
	"ondragstart", "ondragend", "ondragenter", "ondragover", "ondrop",
	"onplay", "onpause", "onended", "onloadstart", "oncanplay", "ontimeupdate",
	"onselect", "onselectstart", "oninvalid", "onsearch", "ontouchstart",
	"ontouchend", "onactivate", "onreadystatechange", "onpropertychange",
	"onmousewheel", "onwebkitanimationstart", "onbeforeinput", "onrepeat",
	"onpopstate", "onpagehide", "onvolumechange", "onshow",
};

int payload_xss_known_event(const char *lo, struct span s)
{
	for (size_t k = 0; k < sizeof(events) / sizeof(events[0]); k++)
		if (name_is(lo, s, events[k]))
			return 1;
	return 0;
}

/* What script does with a foothold: dialogs, eval and its cousins, the
 * cookie, navigation, globals indexed by a computed name. */
static const char *const sinks[] = {
	"alert", "confirm", "prompt", "eval", "print", "fetch", "import", "atob",
	"fromcharcode", "settimeout", "setinterval", "function", "constructor",
	"document.cookie", "document.domain", "document.write", "location",
	"window[", "top[", "self[", "this[", "parent[", "globalthis[", "frames[",
	"xmlhttprequest", "new image", "innerhtml", "javascript:", ".src=",
	"location.replace", "location.assign", "location.href", "window.open", "open",
};

/* a string literal at p (blanks before it) closed before to, holding no
 * markup, entity or escape, and ending the statement */
static int plain_literal(const char *lo, size_t to, size_t p)
{
	char q;

	while (p < to && lo[p] == ' ')
		p++;
	if (p >= to || (lo[p] != '\'' && lo[p] != '"'))
		return 0;
	for (q = lo[p++]; p < to && lo[p] != q; p++)
		if (lo[p] == '<' || lo[p] == '&' || lo[p] == '\\' || lo[p] == '\0' || lo[p] == '`')
			return 0;
	for (p++; p < to && lo[p] == ' '; p++)
		;
	return p >= to || lo[p] == ';';
}

/* what a global holds that script reaches for to steal or navigate:
 * the cookie's and storage's owners, the window's links to others and its
 * name (window['document']['cookie'], self['localStorage']['token']) */
static const char *const reached[] = {
	"document", "cookie", "domain", "localstorage", "sessionstorage", "indexeddb", "location", "name",
	"opener", "top", "parent", "frames", "self", "window", "globalthis", "history", "navigator", "origin",
};

/* After a global's '[' at e: -1 unless the member is named by a plain
 * literal ('dataLayer', "config") closed by ']'; else 1 when it is called
 * (window['x'](), `), names a sink itself (top['alert'], self["eval"]) or
 * what script reaches for (window['document'], rev8 L5), or is walked on
 * (window['a']['b'], self['x'].y); 0 for a named member only read or set
 * (window['dataLayer'] = ...) */
static int named_member(const char *lo, size_t to, size_t e)
{
	size_t p = e + 1, s;
	char q;

	if (e >= to || (lo[e] != '\'' && lo[e] != '"'))
		return -1;
	q = lo[e];
	for (s = p; p < to && p < s + 40 && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_' || lo[p] == '$');
	     p++)
		;
	if (p == s || p + 1 >= to || lo[p] != q || lo[p + 1] != ']')
		return -1;
	for (size_t k = 0; k < sizeof(sinks) / sizeof(sinks[0]); k++)
		if (strlen(sinks[k]) == p - s && !memcmp(lo + s, sinks[k], p - s))
			return 1;
	for (size_t k = 0; k < sizeof(reached) / sizeof(reached[0]); k++)
		if (strlen(reached[k]) == p - s && !memcmp(lo + s, reached[k], p - s))
			return 1;
	for (p += 2; p < to && (lo[p] == ' ' || lo[p] == '\t'); p++)
		;
	return p < to && (lo[p] == '(' || lo[p] == '`' || lo[p] == '[' || lo[p] == '.' ||
			  (lo[p] == '?' && p + 1 < to && lo[p + 1] == '.'));
}

/* Does lo[from..to) use a sink as code: called (alert(1), alert`1`),
 * passed as a function (find(alert), onerror=alert), assigned
 * (location=...), or read (document.cookie)? */
int payload_xss_js_code(const char *lo, size_t n, size_t from, size_t to)
{
	if (to > n)
		to = n;
	if (to <= from)
		return 0;
	/* every use below needs one of these bytes (or reads the cookie):
	 * a JSON body's ":" and "," breaks end here */
	if (!memchr(lo + from, '(', to - from) && !memchr(lo + from, '`', to - from) &&
	    !memchr(lo + from, '=', to - from) && !memchr(lo + from, '[', to - from) &&
	    payload_find(lo, to, from, "document.") >= to)
		return 0;
	for (size_t p = from; p < to; p++) {
		/* the first bytes of the sinks: most positions end here */
		if (!memchr("acdefgijlnopstwx.", lo[p], 17) || lo[p] == '\0')
			continue;
		if (p > 0 && payload_is_alnum((unsigned char)lo[p - 1]) && lo[p] != '.')
			continue;
		for (size_t k = 0; k < sizeof(sinks) / sizeof(sinks[0]); k++) {
			size_t l, e, b = p;
			if (lo[p] != sinks[k][0] || !payload_at(lo, to, p, sinks[k]))
				continue;
			l = strlen(sinks[k]);
			e = p + l;
			char last = sinks[k][l - 1];
			if (last == '[' && named_member(lo, to, e) == 0)
				continue;
			if (last == '[' || last == ':' || last == '=' || strchr(sinks[k], '.'))
				return 1;
			if (e < to && payload_is_alnum((unsigned char)lo[e]))
				continue;
			while (e < to && (lo[e] == ' ' || lo[e] == '\t'))
				e++;
			/* a dialog or eval called through Function.prototype:
			 * alert.call(null,1), confirm.apply(0,[1]) */
			if (k < 4 && (payload_at(lo, to, e, ".call(") || payload_at(lo, to, e, ".apply(")))
				e += lo[e + 1] == 'c' ? 5 : 6;
			/* or bound, then called: alert.bind(null,1)() */
			if (k < 5 && payload_at(lo, to, e, ".bind(")) {
				size_t c = e + 6;
				while (c < to && c < e + 40 && lo[c] != ')' && lo[c] != '(')
					c++;
				if (c + 1 < to && lo[c] == ')' && (lo[c + 1] == '(' || lo[c + 1] == '`'))
					return 1;
			}
			/* the optional call: alert?.(1) */
			if (e + 2 < to && lo[e] == '?' && lo[e + 1] == '.' && (lo[e + 2] == '(' || lo[e + 2] == '`'))
				e += 2;
			/* open() is a word too: it navigates when given a URL
			 * ('//x', "http...", `javascript:...`, '/path') */
			if (sinks[k][0] == 'o') {
				size_t u = e + 1 < to && lo[e] == '(' ? e + 1 : to;
				if (u < to && strchr("'\"`", lo[u]))
					u++;
				if (u < to && (lo[u] == '/' || payload_at(lo, to, u, "http") ||
					       payload_at(lo, to, u, "javascript:") || payload_at(lo, to, u, "data:")))
					return 1;
				continue;
			}
			/* markup written from a literal that holds none
			 * (el.innerHTML = '', = "Saved") writes text */
			if (sinks[k][0] == 'i' && sinks[k][1] == 'n' && e < to && lo[e] == '=' &&
			    plain_literal(lo, to, e + 1))
				continue;
			if (e < to && (lo[e] == '(' || lo[e] == '`' || lo[e] == '='))
				return 1;
			while (b > from && lo[b - 1] == ' ')
				b--;
			if (b > from && strchr("(=,", lo[b - 1]) && e < to && strchr(");,", lo[e]))
				return 1;
			/* a dialog put in an array and picked back out to be
			 * called: [alert][0](1), [prompt].pop()(1) */
			if (k < 5 && b > from && lo[b - 1] == '[' && e + 1 < to && lo[e] == ']' &&
			    (lo[e + 1] == '[' || lo[e + 1] == '.'))
				return 1;
		}
	}
	return 0;
}

/* a sink called right at o: alert(, alert`, top[..](, document.cookie */
int payload_xss_js_call_at(const char *lo, size_t n, size_t o)
{
	size_t e = o;

	if (payload_at(lo, n, o, "new "))
		e = o += 4; /* new Function`...`, new Image() */
	while (e < n && e < o + 40 && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '.' ||
				       lo[e] == '[' || lo[e] == ']' || lo[e] == '\'' || lo[e] == '"' ||
				       (lo[e] == '?' && e + 1 < n && lo[e + 1] == '.'))) {
		/* a computed member: top['al'+'ert'] */
		if (lo[e] == '[') {
			size_t c = e + 1;
			while (c < n && c < e + 40 && lo[c] != ']')
				c++;
			if (c < n && lo[c] == ']')
				e = c;
		}
		e++;
	}
	return e < n && (lo[e] == '(' || lo[e] == '`' || lo[e] == '=');
}


/* A value that opens by leaving the context it was put in - a quoted
 * attribute and its tag ('">', "'>", '/>' after a quote), a comment
 * ("-->"), or a raw-text element ("</textarea>", "</title>", "</script>",
 * "</style>", "</noscript>", "</xmp>") - and then opens an element of its
 * own ('"><img src=x>', "</textarea><h1>"), the quote perhaps after a
 * scanner's probe token (e3d5b"><a>hudtf): markup injection, which no
 * form field's text starts with (rich-text bodies start with their own
 * element, not with a break out of one). */
static void context_break_markup(const char *lo, size_t n, struct payload_acc *a)
{
	static const char *const raw[] = {"</textarea", "</title", "</script", "</style",
					  "</noscript", "</xmp", "</iframe", "</noembed"};
	size_t p = 0, e = 0;
	int token = 0;

	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	/* a scanner's probe token before the quote (e3d5b"><a>): one word
	 * of letters and digits ('_' or '-' too) glued to it. A fragment of markup
	 * cut inside a value (btn"><span>) is written so too: a finding
	 * below the kill line (handlers and scripts after it are judged on
	 * their own) */
	for (size_t t = p, al = 0, dg = 0; t < n && t < p + 24; t++) {
		if (lo[t] == '"' || lo[t] == '\'') {
			/* a probe's token mixes letters and digits (a path's
			 * segment, Atom"><title>, or a word does not) */
			token = al && dg;
			p = token ? t : p;
			break;
		}
		if (!payload_is_alnum((unsigned char)lo[t]) && lo[t] != '_' && lo[t] != '-')
			break;
		al |= payload_is_alpha((unsigned char)lo[t]);
		dg |= lo[t] >= '0' && lo[t] <= '9';
	}
	if (p < n && (lo[p] == '"' || lo[p] == '\'' || lo[p] == '`')) {
		e = p + 1;
		while (e < n && (lo[e] == '"' || lo[e] == '\'' || lo[e] == ' ' || lo[e] == '/'))
			e++;
		e = e < n && lo[e] == '>' ? e + 1 : 0;
	} else if (payload_at(lo, n, p, "-->")) {
		e = p + 3;
	} else {
		for (size_t k = 0; k < sizeof(raw) / sizeof(raw[0]) && !e; k++) {
			size_t l = strlen(raw[k]), q = p + l;
			if (!payload_at(lo, n, p, raw[k]))
				continue;
			while (q < n && payload_is_space((unsigned char)lo[q]))
				q++;
			e = q < n && lo[q] == '>' ? q + 1 : 0;
		}
	}
	while (e && e < n && payload_is_space((unsigned char)lo[e]))
		e++;
	if (e && e + 1 < n && lo[e] == '<' && payload_is_alpha((unsigned char)lo[e + 1]))
		payload_acc_hit(a, PAYLOAD_XSS, token ? 55 : 65,
				token ? "probe token, context broken, then an element opened"
				      : "context broken, then an element opened");
}

/* Markup a server or an XML parser writes into the page, at a '<' at i: a
 * server-side include that runs a command (<!--#exec cmd=...-->), a tag
 * split across CDATA sections, or a PHP, ASP or JSP block that prints a
 * string holding a tag (<?php echo '<scr'.'ipt>...') */
static void server_markup(const char *lo, size_t n, size_t i, struct payload_acc *a)
{
	static const char *const out[] = {"echo", "print", "write"};
	size_t lim = i + 64 < n ? i + 64 : n;

	if (payload_at(lo, n, i, "<!--#exec") || payload_at(lo, n, i, "<!--#include")) {
		/* with its argument: cmd= cgi= for exec, file= virtual= */
		size_t e = i + (lo[i + 5] == 'e' ? 9 : 12);
		while (e < n && e < i + 20 && payload_is_space((unsigned char)lo[e]))
			e++;
		if (payload_at(lo, n, e, "cmd") || payload_at(lo, n, e, "cgi") ||
		    payload_at(lo, n, e, "file") || payload_at(lo, n, e, "virtual")) {
			size_t q = e;
			while (q < n && payload_is_alpha((unsigned char)lo[q]))
				q++;
			while (q < n && payload_is_space((unsigned char)lo[q]))
				q++;
			/* one of the site's own pages included: told */
			if (q < n && lo[q] == '=')
				payload_acc_hit(a, PAYLOAD_XSS,
						lo[i + 5] == 'i' && payload_xss_ssi_page(lo, n, q + 1) ? 50 : 75,
						"server-side include directive");
		}
		return;
	}
	/* a tag assembled from CDATA sections that hold only its brackets:
	 * <![CDATA[<]]>script<![CDATA[>]]> is "<script>" once parsed */
	if (payload_at(lo, n, i, "<![cdata[<]]>") && i + 13 < n &&
	    (payload_is_alpha((unsigned char)lo[i + 13]) || lo[i + 13] == '/')) {
		payload_acc_hit(a, PAYLOAD_XSS, 70, "tag assembled from cdata sections");
		return;
	}
	if (lo[i + 1] == '!')
		return;
	for (size_t k = 0; k < sizeof(out) / sizeof(out[0]); k++) {
		size_t o = payload_find(lo, lim, i + 2, out[k]), q;
		if (o >= lim)
			continue;
		q = o + strlen(out[k]);
		while (q < n && q < o + 16 && (lo[q] == ' ' || lo[q] == '(' || lo[q] == '\t'))
			q++;
		if (q + 2 < n && (lo[q] == '\'' || lo[q] == '"') && lo[q + 1] == '<' &&
		    payload_is_alpha((unsigned char)lo[q + 2])) {
			payload_acc_hit(a, PAYLOAD_XSS, 70, "server page code printing a tag");
			return;
		}
	}
}

/* Can an event handler's name start at lo[i] ("on" there): at the start,
 * after a blank, a '/', a quote or a NUL? */
static int event_boundary(const char *lo, size_t i)
{
	return i == 0 || payload_is_space((unsigned char)lo[i - 1]) || lo[i - 1] == '/' ||
	       lo[i - 1] == '"' || lo[i - 1] == '\'' || lo[i - 1] == '`' || lo[i - 1] == '\0';
}

/* the bytes payload_xss_scan's loop acts at (its 'o' visits "on") */
static const unsigned char loop_act[256] = {
	['<'] = 1, ['"'] = 1, ['\''] = 1, ['`'] = 1, ['o'] = 1,
	['{'] = 1, ['+'] = 1, ['$'] = 1, ['#'] = 1, ['&'] = 1,
};

void payload_xss_scan(const struct payload_val *v, struct payload_acc *a)
{
	payload_xss_scan_depth(v, a, 0);
}

void payload_xss_scan_depth(const struct payload_val *v, struct payload_acc *a, int depth)
{
	const char *lo = v->lo;
	size_t n = v->n;
	int budget = 32; /* sink searches per value: they read 64 bytes each */
	int css = 8;
	struct payload_xss_run run = {1, 0};
	struct payload_xss_tagmemo tm;
	/* the loop acts only at these bytes and at 'o' */
	int markup = payload_has(v, '<') || payload_has(v, '"') || payload_has(v, '\'') ||
		     payload_has(v, '`') || payload_has(v, '{') || payload_has(v, '+') ||
		     payload_has(v, '$');
	int any = markup || payload_has(v, 'o');

	if (payload_xss_escaped_text(v, a, depth))
		return;
	/* with 'o' alone, only its "on" branch can act: visit each "on"
	 * (most prose holds one) instead of every byte */
	for (size_t i = !markup && any ? payload_find(lo, n, 0, "on") : n; i < n && budget > 0;
	     i = payload_find(lo, n, i + 1, "on"))
		if (event_boundary(lo, i))
			payload_xss_bare_event(lo, n, i, a, &budget);
	if (markup)
		payload_xss_tagmemo_init(&tm);
	for (size_t i = 0; markup && i + 1 < n; i++) {
		unsigned char c = (unsigned char)lo[i];

		/* every branch below starts at one of loop_act's bytes */
		if (!loop_act[c])
			continue;
		if (c == '<' && payload_is_alpha((unsigned char)lo[i + 1]))
			payload_xss_start_tag(v, i, a, &css, &tm);
		/* <?xml-stylesheet href=javascript:...?>: a processing
		 * instruction's pseudo-attributes, read as a tag's */
		else if (c == '<' && lo[i + 1] == '?' && i + 2 < n && payload_is_alpha((unsigned char)lo[i + 2]))
			payload_xss_start_tag(v, i + 1, a, &css, &tm);
		if (c == '<' && (lo[i + 1] == '?' || lo[i + 1] == '%' || lo[i + 1] == '!'))
			server_markup(lo, n, i, a);
		if ((c == '"' || c == '\'' || c == '`') && budget > 0)
			payload_xss_quote_break(lo, n, i, a, &budget, &run);
		if (c == 'o' && lo[i + 1] == 'n' && budget > 0 && event_boundary(lo, i))
			payload_xss_bare_event(lo, n, i, a, &budget);
		/* {{...}} in a client-side template (AngularJS and kin) that
		 * reaches a sink: {{constructor.constructor('alert(1)')()}} */
		if (c == '{' && lo[i + 1] == 'o' && i + 2 < n && lo[i + 2] == 'n')
			payload_xss_brace_throw(lo, n, i, a);
		if (c == '{' && lo[i + 1] == '{' && budget > 0) {
			size_t e = payload_find(lo, i + 160 < n ? i + 160 : n, i + 2, "}}");
			budget--;
			if (e < n && payload_xss_js_code(lo, n, i + 2, e))
				payload_acc_hit(a, PAYLOAD_XSS, 70, "script in client-side template");
		}
		/* markup spelled in UTF-7 for a page that declares it: +ADw-script */
		if (c == '+' && payload_at(lo, n, i, "+adw-") && i + 5 < n && payload_is_alpha((unsigned char)lo[i + 5]))
			payload_acc_hit(a, PAYLOAD_XSS, 70, "utf-7 encoded tag");
		/* ${...} in a template literal the value lands in (#{...}
		 * in the languages that spell it so) */
		if ((c == '$' || c == '#' || c == '&') && lo[i + 1] == '{' && budget > 0) {
			size_t e = i + 2;
			budget--;
			while (e < n && e < i + 80 && lo[e] != '}')
				e++;
			if (e < n && lo[e] == '}' && payload_xss_js_code(lo, n, i + 2, e))
				payload_acc_hit(a, PAYLOAD_XSS, 70, "script in template substitution");
		}
	}
	/* at the start, and after the blanks in the first 64 bytes (text
	 * the page put before the value: "search 1;confirm(1)"); the call
	 * it needs is spelt with one of these bytes */
	if (payload_has(v, '(') || payload_has(v, '`') || payload_has(v, '=')) {
		/* the blanks among lo[0 .. min(n - 1, 64)) */
		size_t lim = n < 65 ? (n > 0 ? n - 1 : 0) : 64, k = 0;

		payload_xss_number_break(lo, n, 0, a, budget);
		for (const char *q = lim ? memchr(lo, ' ', lim) : NULL; q && k < 8 && budget > 0;
		     q = (size_t)(q - lo) + 1 < lim ? memchr(q + 1, ' ', lim - (size_t)(q - lo) - 1) : NULL)
			if (q[1] != ' ') {
				payload_xss_number_break(lo, n, (size_t)(q - lo) + 1, a, budget);
				k++;
			}
	}
	/* "document.cookie" holds '.', 'k' and 'u' */
	if (payload_has(v, '.') && payload_has(v, 'k') && payload_has(v, 'u'))
		payload_xss_cookie_read(lo, n, a);
	if (payload_has(v, '<') && payload_has(v, '>'))
		context_break_markup(lo, n, a);
	/* "-->", "--!>" and "]]>" then a call's '(' or '`', or an '=' */
	if (payload_has(v, '>') && (payload_has(v, '(') || payload_has(v, '`') || payload_has(v, '=')))
		payload_xss_comment_close(v->s, lo, n, a);
	/* a whole call ends in ( or ` after the name */
	if (payload_has(v, '(') || payload_has(v, '`'))
		payload_xss_whole_call(v->s, lo, n, a);
	if (payload_has(v, '(') || payload_has(v, '`') || payload_has(v, '='))
		payload_xss_whole_script(lo, n, a);
	/* JSFuck needs eight '[' in its run */
	if (payload_has(v, '['))
		payload_xss_six_char_script(lo, n, a);
	/* url_value returns at once without a ':' */
	if (payload_has(v, ':'))
		payload_xss_url_value(v->s, lo, n, a);
	if ((payload_has(v, '(') && (payload_has(v, 'x') || payload_has(v, 'u'))) || payload_has(v, '@'))
		payload_xss_css_value(v, a);
	payload_xss_plus_kept(v, a);
	if (payload_has(v, '\0'))
		payload_xss_utf16_rescan(v, a, depth);
	/* UTF-7 needs '+', octal escapes '\\' */
	if (payload_has(v, '+') || payload_has(v, '\\'))
		payload_xss_enc_rescan(v, a, depth);
}
