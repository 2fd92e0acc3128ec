/* dp_xss.c - cross-site scripting: an HTML start-tag tokenizer (after the
 * WHATWG rules for tag names, attribute names and quoted / unquoted values)
 * that scores dangerous elements, event-handler attributes and script URLs;
 * plus the two injection contexts without a new tag: breaking out of an
 * attribute value ("onmouseover=...) and out of a JS string ('-alert(1)-'). */
#include "collector/detect/payload_int.h"

#include <string.h>

#define XSS_MAX_ATTRS 32

static int tag_sep(int c)
{
	return dp_is_space(c) || c == '/' || c == '>';
}

struct span {
	size_t off, len;
};

/* The leading scheme of a URL-ish value, ignoring the whitespace and control
 * characters browsers strip: "java\tscript:" is javascript:. Writes up to
 * cap-1 lower-case bytes. */
static void url_head(const char *lo, size_t off, size_t len, char *out, size_t cap)
{
	size_t w = 0;
	for (size_t i = 0; i < len && w + 1 < cap; i++) {
		unsigned char c = (unsigned char)lo[off + i];
		if (c <= 0x20 || c == '"' || c == '\'' || c == '`')
			continue;
		out[w++] = (char)c;
	}
	out[w] = '\0';
}

static int script_scheme(const char *h)
{
	return !strncmp(h, "javascript:", 11) || !strncmp(h, "vbscript:", 9) ||
	       !strncmp(h, "livescript:", 11);
}

/* data: URLs that a browser would run or render as a document */
static int active_data(const char *h)
{
	if (strncmp(h, "data:", 5) != 0)
		return 0;
	h += 5;
	return !strncmp(h, "text/html", 9) || !strncmp(h, "image/svg", 9) ||
	       !strncmp(h, "application/", 12) || !strncmp(h, "text/javascript", 15) ||
	       !strncmp(h, "text/xml", 8) || h[0] == ',' || h[0] == ';';
}

static int name_is(const char *lo, struct span s, const char *w)
{
	return s.len == strlen(w) && memcmp(lo + s.off, w, s.len) == 0;
}

static int event_name(const char *lo, struct span s)
{
	if (s.len < 5 || lo[s.off] != 'o' || lo[s.off + 1] != 'n')
		return 0;
	for (size_t i = 2; i < s.len; i++)
		if (!(lo[s.off + i] >= 'a' && lo[s.off + i] <= 'z'))
			return 0;
	return 1;
}

/* Parse the start tag whose '<' is at i; score it into a. */
static void start_tag(const struct dp_val *v, size_t i, struct dp_acc *a)
{
	const char *lo = v->lo;
	size_t n = v->n, p = i + 1;
	struct span tag, an[XSS_MAX_ATTRS], av[XSS_MAX_ATTRS];
	int has_val[XSS_MAX_ATTRS];
	int na = 0;

	tag.off = p;
	while (p < n && !tag_sep((unsigned char)lo[p]))
		p++;
	tag.len = p - tag.off;
	/* attributes */
	while (p < n && na < XSS_MAX_ATTRS) {
		while (p < n && (dp_is_space((unsigned char)lo[p]) || lo[p] == '/'))
			p++;
		if (p >= n || lo[p] == '>')
			break;
		an[na].off = p;
		p++; /* first char may be '=' (spec: part of the name) */
		while (p < n && !tag_sep((unsigned char)lo[p]) && lo[p] != '=')
			p++;
		an[na].len = p - an[na].off;
		while (p < n && dp_is_space((unsigned char)lo[p]))
			p++;
		has_val[na] = 0;
		av[na].off = p;
		av[na].len = 0;
		if (p < n && lo[p] == '=') {
			p++;
			while (p < n && dp_is_space((unsigned char)lo[p]))
				p++;
			has_val[na] = 1;
			if (p < n && (lo[p] == '"' || lo[p] == '\'')) {
				char q = lo[p++];
				av[na].off = p;
				while (p < n && lo[p] != q)
					p++;
				av[na].len = p - av[na].off;
				if (p < n)
					p++;
			} else {
				av[na].off = p;
				while (p < n && !dp_is_space((unsigned char)lo[p]) && lo[p] != '>')
					p++;
				av[na].len = p - av[na].off;
			}
		}
		na++;
	}

	if (name_is(lo, tag, "script"))
		dp_acc_hit(a, DP_XSS, 90, "script element");
	else if (name_is(lo, tag, "iframe") || name_is(lo, tag, "frame") ||
		 name_is(lo, tag, "frameset") || name_is(lo, tag, "object") ||
		 name_is(lo, tag, "embed") || name_is(lo, tag, "applet"))
		dp_acc_hit(a, DP_XSS, 80, "embedding element");
	else if (name_is(lo, tag, "svg") || name_is(lo, tag, "math") ||
		 name_is(lo, tag, "isindex") || name_is(lo, tag, "xss"))
		dp_acc_hit(a, DP_XSS, 60, "scriptable foreign element");

	for (int k = 0; k < na; k++) {
		char head[24];
		url_head(lo, av[k].off, av[k].len, head, sizeof(head));
		if (event_name(lo, an[k]) && has_val[k])
			dp_acc_hit(a, DP_XSS, 85, "event handler attribute in tag");
		if (has_val[k] && script_scheme(head))
			dp_acc_hit(a, DP_XSS, 85, "script url in attribute");
		if (has_val[k] && active_data(head))
			dp_acc_hit(a, DP_XSS, 75, "active data url in attribute");
		if (name_is(lo, an[k], "srcdoc") && has_val[k])
			dp_acc_hit(a, DP_XSS, 80, "srcdoc attribute");
		if (name_is(lo, an[k], "style") && has_val[k]) {
			if (dp_find(lo, av[k].off + av[k].len, av[k].off, "expression(") < av[k].off + av[k].len ||
			    dp_find(lo, av[k].off + av[k].len, av[k].off, "javascript:") < av[k].off + av[k].len ||
			    dp_find(lo, av[k].off + av[k].len, av[k].off, "behavior:") < av[k].off + av[k].len ||
			    dp_find(lo, av[k].off + av[k].len, av[k].off, "-moz-binding") < av[k].off + av[k].len)
				dp_acc_hit(a, DP_XSS, 75, "script in style attribute");
		}
		if (name_is(lo, tag, "meta") && has_val[k] && name_is(lo, an[k], "http-equiv") &&
		    av[k].len >= 7 && !memcmp(lo + av[k].off, "refresh", 7))
			dp_acc_hit(a, DP_XSS, 70, "meta refresh");
		if (name_is(lo, tag, "base") && name_is(lo, an[k], "href"))
			dp_acc_hit(a, DP_XSS, 70, "base href rewrite");
		if (name_is(lo, tag, "link") && name_is(lo, an[k], "rel") && has_val[k] &&
		    av[k].len >= 6 && !memcmp(lo + av[k].off, "import", 6))
			dp_acc_hit(a, DP_XSS, 75, "html import");
	}
}

/* JS sinks and global objects whose call after a string break means code */
static const char *const js_heads[] = {
	"alert", "confirm", "prompt", "eval", "settimeout", "setinterval",
	"function", "fetch", "import", "atob", "document", "window", "top",
	"self", "parent", "location", "globalthis", "frames", "constructor",
	"print", "open",
};

/* After a quote at q: an operator and a call of a JS sink. */
static int js_break_at(const char *lo, size_t n, size_t q)
{
	size_t p = q + 1;
	int op = 0;

	while (p < n && dp_is_space((unsigned char)lo[p]))
		p++;
	while (p < n && strchr("-+;,|&*/^)}", lo[p]) && lo[p] != '\0') {
		op = 1;
		p++;
	}
	if (!op)
		return 0;
	while (p < n && dp_is_space((unsigned char)lo[p]))
		p++;
	for (size_t k = 0; k < sizeof(js_heads) / sizeof(js_heads[0]); k++) {
		size_t l = strlen(js_heads[k]);
		if (!dp_at(lo, n, p, js_heads[k]))
			continue;
		size_t e = p + l;
		/* window['alert'](1), top.alert(1), alert`1`, alert (1) */
		while (e < n && (dp_is_alnum((unsigned char)lo[e]) || lo[e] == '.' || lo[e] == '[' ||
				 lo[e] == ']' || lo[e] == '\'' || lo[e] == '"' || lo[e] == '$'))
			e++;
		while (e < n && dp_is_space((unsigned char)lo[e]))
			e++;
		if (e < n && (lo[e] == '(' || lo[e] == '`' || lo[e] == '='))
			return 1;
	}
	return 0;
}

/* After a quote at q, still inside a tag: attributes up to an on*= whose
 * value looks like code. */
static int attr_break_at(const char *lo, size_t n, size_t q)
{
	size_t p = q + 1;

	for (int guard = 0; guard < 8 && p < n; guard++) {
		while (p < n && (dp_is_space((unsigned char)lo[p]) || lo[p] == '/'))
			p++;
		size_t ns = p;
		while (p < n && (dp_is_alnum((unsigned char)lo[p]) || lo[p] == '-' || lo[p] == ':'))
			p++;
		if (p == ns)
			return 0;
		struct span nm = {ns, p - ns};
		if (p < n && lo[p] == '=') {
			size_t vs = ++p;
			if (p < n && (lo[p] == '"' || lo[p] == '\''))
				vs = ++p;
			while (p < n && !dp_is_space((unsigned char)lo[p]) && lo[p] != '>')
				p++;
			if (event_name(lo, nm)) {
				for (size_t k = vs; k < p; k++)
					if (lo[k] == '(' || lo[k] == '`' || lo[k] == '=')
						return 1;
			}
		}
	}
	return 0;
}

void dp_xss_scan(const struct dp_val *v, struct dp_acc *a)
{
	const char *lo = v->lo;
	size_t n = v->n;
	char head[24];
	size_t s = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)lo[i];
		if (c == '<' && dp_is_alpha((unsigned char)lo[i + 1]))
			start_tag(v, i, a);
		if (c == '"' || c == '\'' || c == '`') {
			if (attr_break_at(lo, n, i))
				dp_acc_hit(a, DP_XSS, 75, "event handler after attribute break");
			if (js_break_at(lo, n, i))
				dp_acc_hit(a, DP_XSS, 70, "script call after string break");
		}
	}
	/* a script URL in value position (href=<value>) */
	while (s < n && (lo[s] <= 0x20 || lo[s] == '"' || lo[s] == '\''))
		s++;
	url_head(lo, s, n - s, head, sizeof(head));
	if (script_scheme(head))
		dp_acc_hit(a, DP_XSS, 80, "script url value");
	else if (active_data(head) && strncmp(head, "data:,", 6) != 0)
		dp_acc_hit(a, DP_XSS, 70, "active data url value");
}
