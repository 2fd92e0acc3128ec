/* payload_xss_tag.c - the HTML start-tag tokenizer of payload_xss.c (after
 * the WHATWG tokenization states for tag names, attribute names and quoted /
 * unquoted values: '/' and whitespace separate, '=' may begin a name, '/'
 * and '=' stay inside an unquoted value), scoring script-capable elements,
 * event-handler attributes, script URLs, style sheets and style attributes
 * that reach script, SVG animation and handler elements, names split by NUL
 * or junk.
 *
 * Linear over a value: a '<' inside a tag name a previous tag read starts
 * a tag whose name is a suffix of that name (same end, same attributes:
 * "<s<s<s..."), and a '<' inside a long unquoted value starts tags whose
 * values end where that one does ("<a/href=<a/href=..."). struct
 * payload_xss_tagmemo remembers the last name, attribute name and value
 * runs read and the checks already run over a run's suffixes, so a byte is
 * read a bounded number of times; a check skipped there would only repeat
 * a finding already recorded (payload_acc_hit keeps the first of equal
 * scores). */
#include "collector/detect/payload_xss_int.h"

#include <string.h>

static int name_is(const char *lo, struct span s, const char *w)
{
	return s.len == strlen(w) && memcmp(lo + s.off, w, s.len) == 0;
}
/* what ends a tag or attribute name: the spec's whitespace, '/' and '>',
 * and NUL, which old parsers took for a blank (<svg%00onload=...>) */
static int tag_sep(int c)
{
	return payload_is_space(c) || c == '/' || c == '>' || c == '\0';
}

/* in the rule body b[s..e), a fetch of another host (url(//x),
 * url(https://x), image-set("//x" 1x)) or a relative URL with a query
 * (url(/log?a): a logging endpoint) */
static int css_fetch_off(const char *b, size_t s, size_t e)
{
	static const char *const fn[] = {"url(", "image-set(", "image("};

	for (size_t f = 0; f < sizeof(fn) / sizeof(fn[0]); f++)
		for (size_t i = payload_find(b, e, s, fn[f]); i < e; i = payload_find(b, e, i + 1, fn[f])) {
			size_t p = i + strlen(fn[f]);
			while (p < e && (b[p] == ' ' || b[p] == '\'' || b[p] == '"'))
				p++;
			if (payload_at(b, e, p, "//") || payload_at(b, e, p, "http:") || payload_at(b, e, p, "https:"))
				return 1;
			while (f == 0 && p < e && b[p] != ')' && b[p] != '?')
				p++;
			if (p < e && b[p] == '?')
				return 1;
		}
	return 0;
}

static int css_danger(const char *lo, size_t off, size_t len)
{
	static const char *const bad[] = {"expression(", "javascript:", "vbscript:",
					  "behavior:", "-moz-binding"};
	char b[CSS_FLAT];
	size_t w = payload_xss_css_flatten(lo, off, len, b);

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		if (payload_find(b, w, 0, bad[k]) < w)
			return 1;
	/* CSS exfiltration: a rule matching a field's value by its prefix,
	 * suffix or a part (input[value^=a], [ value^=a], [*|value^=a]) that
	 * fetches a URL of another host (url(//x/a), image-set("https://x/a"
	 * 1x)) or a logging one (url(/log?a)) when it matches, so that host
	 * learns the token a byte at a time; the selector and the fetch in one
	 * rule (input[value^="https"]{background:url(/img/lock.svg)} is an
	 * icon) */
	{
		size_t bk = SIZE_MAX, bc = 0;
		int bf = 0;
		for (size_t i = payload_find(b, w, 0, "value"); i < w; i = payload_find(b, w, i + 5, "value")) {
			size_t j = i + 5, k = i;
			while (j < w && b[j] == ' ')
				j++;
			if (!(j + 1 < w && strchr("^$*", b[j]) && b[j + 1] == '='))
				continue;
			while (k > 0 && b[k - 1] == ' ')
				k--;
			if (k > 0 && b[k - 1] == '|')
				for (k--; k > 0 && (b[k - 1] == '*' || payload_is_alnum((unsigned char)b[k - 1]) ||
						    b[k - 1] == '-' || b[k - 1] == ' ');)
					k--;
			if (k == 0 || b[k - 1] != '[')
				continue;
			k = payload_find(b, w, j, "{");
			if (k >= w)
				break;
			if (k != bk) {
				bk = k;
				bc = payload_find(b, w, k, "}");
				bf = css_fetch_off(b, k, bc < w ? bc : w);
			}
			if (bf)
				return 1;
		}
	}
	/* @import of a sheet not fetched over https, or from an evidently
	 * hostile address (https://fonts.../css?family= and the site's own
	 * https sheet are rich text; @import'http://x/x.css' or
	 * 'https://fonts.googleapis.com@evil/x.css' an injected sheet) */
	for (size_t i = payload_find(b, w, 0, "@import"); i < w; i = payload_find(b, w, i + 7, "@import")) {
		size_t j = i + 7;
		while (j < w && (b[j] == ' ' || b[j] == '+' || b[j] == '\'' || b[j] == '"' || b[j] == '('))
			j++;
		if (payload_at(b, w, j, "url("))
			j += 4;
		while (j < w && (b[j] == '\'' || b[j] == '"' || b[j] == ' '))
			j++;
		/* over https, no userinfo, no IP literal: the rule
		 * <link rel=stylesheet> has */
		size_t u = j;
		while (u < w && u < j + 512 && b[u] != '\'' && b[u] != '"' && b[u] != ')' && b[u] != ';' &&
		       b[u] != ' ')
			u++;
		if (!payload_xss_https_sheet(b, (struct span){j, u - j}))
			return 1;
	}
	return 0;
}


/* "x/onerror=..." inside an unquoted value (the junk before '=' may run
 * past its end: x/onload!#$%\n=...): the offset of the last such '/' in
 * lo[off..off+len), or SIZE_MAX. Whether a '/' counts depends on the
 * value's end, not its start, so a suffix of the value holds one when the
 * last one lies in it. */
static size_t slash_event_last(const char *lo, size_t n, size_t off, size_t len)
{
	size_t last = SIZE_MAX;

	for (size_t i = off; i + 4 < off + len; i++) {
		size_t j = i + 3;
		if (lo[i] != '/' || lo[i + 1] != 'o' || lo[i + 2] != 'n')
			continue;
		while (j < off + len && lo[j] >= 'a' && lo[j] <= 'z')
			j++;
		if (j - i < 6)
			continue;
		/* junk an old parser skipped: /onerror\=, /onload!#$=... */
		for (size_t g = j; j < n && j < g + 32 && lo[j] != '=' &&
				   (!payload_is_alnum((unsigned char)lo[j]) || lo[j] == '_');)
			j++;
		if (j < n && lo[j] == '=')
			last = i;
	}
	return last;
}

/* the start of the last w in lo[off..end), or SIZE_MAX */
static size_t find_last(const char *lo, size_t off, size_t end, const char *w)
{
	size_t last = SIZE_MAX;

	for (size_t i = payload_find(lo, end, off, w); i < end; i = payload_find(lo, end, i + 1, w))
		last = i;
	return last;
}

/* The checks over a value that a value nested in it repeats: a '<' inside
 * a long unquoted value starts tags whose values are suffixes of it (same
 * end). For each check, the start it was run from over [start, end) and
 * what it found. */
enum { VC_SLASH, VC_FRAME, VC_UTF7, VC_SHEET, VC_STYPE, VC__N };
static const char *const vc_word[VC__N] = {NULL, NULL, "utf-7", "stylesheet", "script"};

static struct payload_xss_vmemo *vmemo_for(struct payload_xss_tagmemo *m, size_t end)
{
	struct payload_xss_vmemo *e;

	for (int k = 0; k < PAYLOAD_XSS_VMEMO; k++)
		if (m->v[k].used && m->v[k].end == end)
			return &m->v[k];
	e = &m->v[m->vnext++ % PAYLOAD_XSS_VMEMO];
	e->used = 1;
	e->end = end;
	for (int c = 0; c < VC__N; c++)
		e->from[c] = SIZE_MAX;
	return e;
}

/* does the check c (a word's search, the slash junk) find something in
 * the value s? Suffixes of a value read before are answered from the memo:
 * the last find lies in the suffix or not. */
static int vcheck(const char *lo, size_t n, struct span s, int c, struct payload_xss_tagmemo *m)
{
	struct payload_xss_vmemo *e = vmemo_for(m, s.off + s.len);

	if (e->from[c] == SIZE_MAX || s.off < e->from[c]) {
		e->from[c] = s.off;
		e->last[c] = c == VC_SLASH ? slash_event_last(lo, n, s.off, s.len)
					   : find_last(lo, s.off, s.off + s.len, vc_word[c]);
	}
	return e->last[c] != SIZE_MAX && e->last[c] >= s.off;
}

/* has the framework check already run over a value this one is a suffix
 * of? (its finding, if any, is recorded: a suffix finds no other) */
static int vframe_done(struct span s, struct payload_xss_tagmemo *m)
{
	struct payload_xss_vmemo *e = vmemo_for(m, s.off + s.len);

	if (e->from[VC_FRAME] != SIZE_MAX && s.off >= e->from[VC_FRAME])
		return 1;
	e->from[VC_FRAME] = s.off;
	return 0;
}

void payload_xss_tagmemo_init(struct payload_xss_tagmemo *m)
{
	m->valid = 0;
	m->name_s = m->name_e = m->an_s = m->an_e = m->uv_s = m->uv_e = 0;
	m->glued_s = m->glued_e = SIZE_MAX;
	m->cur = 0;
	m->vnext = 0;
	m->frame_close_known = 0;
	m->pw_known = 0;
	m->form_known = 0;
	m->away_known = 0;
	m->inert_left = 4;
	for (int k = 0; k < PAYLOAD_XSS_VMEMO; k++)
		m->v[k].used = 0;
}

/* the runs read_attrs and the tag name scan: 0 a tag name's (ended by
 * tag_sep), 1 an attribute name's (and '='), 2 an unquoted value's (blank,
 * '>', NUL) */
static int run_stop(int cls, unsigned char c)
{
	if (cls == 2)
		return payload_is_space(c) || c == '>' || c == '\0';
	return tag_sep(c) || (cls == 1 && c == '=');
}

/* where the run of class cls from p ends (a stop byte or n); [*ms, *me)
 * is the last run of the class read, which a later read inside it (a tag
 * started by a '<' inside a name or value) ends with */
static size_t run_end(const char *lo, size_t n, size_t p, int cls, size_t *ms, size_t *me)
{
	size_t s = p;

	if (*me > *ms && p >= *ms && p <= *me)
		return *me;
	while (p < n && !run_stop(cls, (unsigned char)lo[p])) {
		if (p == *ms && *me > *ms) {
			p = *me;
			break;
		}
		p++;
	}
	*ms = s;
	*me = p;
	return p;
}

/* junk glued between the name and a handler: <svg};onload=x(1)> */
static void tag_glued_handler(const char *lo, size_t n, struct span tag, struct payload_acc *a)
{
	for (size_t k = tag.off + 1; k + 5 < tag.off + tag.len; k++) {
		size_t j = k + 3;
		/* "on" and a letter: Vue's v-on:click= names no handler */
		if (payload_is_alnum((unsigned char)lo[k - 1]) || lo[k] != 'o' || lo[k + 1] != 'n' ||
		    lo[k + 2] < 'a' || lo[k + 2] > 'z')
			continue;
		while (j < tag.off + tag.len && lo[j] >= 'a' && lo[j] <= 'z')
			j++;
		/* a quoted body that does nothing (a '+' kept in a path glued
		 * <a+href="#"+onclick="return false;">): read on after it */
		size_t to = j + 65;
		if (j - k >= 5 && j + 1 < tag.off + tag.len && lo[j] == '=' && (lo[j + 1] == '"' || lo[j + 1] == '\'')) {
			size_t z = j + 2;
			while (z < n && z < j + 66 && lo[z] != lo[j + 1])
				z++;
			if (z < n && lo[z] == lo[j + 1] && payload_xss_inert_handler(lo, (struct span){j + 2, z - j - 2}, 1)) {
				k = z;
				continue;
			}
			/* a quoted body's code ends at its closing quote */
			if (z < n && lo[z] == lo[j + 1])
				to = z;
		}
		if (j - k >= 5 && j < tag.off + tag.len && lo[j] == '=' &&
		    (payload_xss_js_code(lo, n, j + 1, to) || payload_xss_js_call_at(lo, n, j + 1))) {
			payload_acc_hit(a, PAYLOAD_XSS, 75, "event handler glued to tag name");
			break;
		}
	}
}

/* copy o's attributes after its k-th (k = -1: all) into t from its na-th;
 * returns where reading stands, *done set when o's reading ended there */
static size_t attrs_copy(const struct payload_xss_attrs *o, int k, struct payload_xss_attrs *t, int *na,
			 int *done)
{
	size_t p = k < 0 ? o->start : o->end[k];

	for (k++; k < o->na && *na < PAYLOAD_XSS_MAX_ATTRS; k++, (*na)++) {
		t->an[*na] = o->an[k];
		t->av[*na] = o->av[k];
		t->has_val[*na] = o->has_val[k];
		t->quoted[*na] = o->quoted[k];
		t->ev[*na] = o->ev[k];
		t->seen[*na] = 1;
		t->end[*na] = p = o->end[k];
	}
	/* o stopped at its '>' or the value's end, or at the cap (then read on) */
	*done = *na >= PAYLOAD_XSS_MAX_ATTRS || o->na < PAYLOAD_XSS_MAX_ATTRS;
	return *na >= PAYLOAD_XSS_MAX_ATTRS ? p : o->na < PAYLOAD_XSS_MAX_ATTRS ? o->stop : p;
}

/* Read up to PAYLOAD_XSS_MAX_ATTRS attributes from p into m's next slot;
 * returns it. Where reading stands where one of the last two tags' did
 * (its start, or after one of its attributes), the rest is that tag's:
 * two, for a quote pairing across two copies of a repeated construct
 * puts every other tag's attributes in the same phase
 * (<a+onclick="return <a+onclick="return ...). */
static const struct payload_xss_attrs *read_attrs(const char *lo, size_t n, size_t p,
						  struct payload_xss_tagmemo *m)
{
	const struct payload_xss_attrs *os[2];
	struct payload_xss_attrs *t = &m->t[(m->cur + 1) % 3];
	struct span *an = t->an, *av = t->av;
	int na = 0, c[2] = {0, 0}, done = 0, no = 0;

	if (m->valid >= 1)
		os[no++] = &m->t[m->cur];
	if (m->valid >= 2)
		os[no++] = &m->t[(m->cur + 2) % 3];
	t->start = p;
	for (int j = 0; j < no; j++)
		if (p == os[j]->start) {
			p = attrs_copy(os[j], -1, t, &na, &done);
			os[0] = os[j];
			no = 1;
			break;
		}
	while (!done && p < n && na < PAYLOAD_XSS_MAX_ATTRS) {
		while (p < n && (payload_is_space((unsigned char)lo[p]) || lo[p] == '/' || lo[p] == '\0'))
			p++;
		if (p >= n || lo[p] == '>')
			break;
		an[na].off = p;
		/* first char may be '=' (spec: part of the name) */
		p = run_end(lo, n, p + 1, 1, &m->an_s, &m->an_e);
		an[na].len = p - an[na].off;
		while (p < n && payload_is_space((unsigned char)lo[p]))
			p++;
		t->has_val[na] = 0;
		t->quoted[na] = 0;
		t->seen[na] = 0;
		t->ev[na] = (unsigned char)payload_xss_event_name(lo, an[na]);
		av[na].off = p;
		av[na].len = 0;
		if (p < n && lo[p] == '=') {
			p++;
			while (p < n && payload_is_space((unsigned char)lo[p]))
				p++;
			t->has_val[na] = 1;
			if (p < n && (lo[p] == '"' || lo[p] == '\'')) {
				char q = lo[p++];
				t->quoted[na] = 1;
				av[na].off = p;
				while (p < n && lo[p] != q)
					p++;
				av[na].len = p - av[na].off;
				if (p < n)
					p++;
			} else {
				av[na].off = p;
				p = run_end(lo, n, p, 2, &m->uv_s, &m->uv_e);
				av[na].len = p - av[na].off;
			}
		}
		t->end[na++] = p;
		/* standing where a last tag stood after one of its own */
		for (int j = 0; j < no && !done; j++) {
			while (c[j] < os[j]->na && os[j]->end[c[j]] < p)
				c[j]++;
			if (c[j] < os[j]->na && os[j]->end[c[j]] == p) {
				p = attrs_copy(os[j], c[j], t, &na, &done);
				/* in phase with that one: the other is not read */
				os[0] = os[j];
				c[0] = c[j];
				no = 1;
			}
		}
	}
	t->na = na;
	t->stop = p;
	m->cur = (m->cur + 1) % 3;
	if (m->valid < 2)
		m->valid++;
	return t;
}

/* The element itself: a style sheet (read from p, where the attributes
 * ended) that reaches script, a name nested to survive a filter, script,
 * embedding and bait elements. */
static void tag_element(const char *lo, size_t n, size_t p, struct span tag,
			const struct payload_xss_attrs *t, struct payload_acc *a, int *css,
			struct payload_xss_tagmemo *m)
{
	const struct span *an = t->an, *av = t->av;
	int na = t->na;

	if (name_is(lo, tag, "style")) {
		/* the style sheet up to </style (bounded): script or bindings */
		if ((*css)-- > 0 &&
		    css_danger(lo, p, payload_find(lo, p + 1024 < n ? p + 1024 : n, p, "</style") - p))
			payload_acc_hit(a, PAYLOAD_XSS, 75, "script in style element");
		for (int k = 0; k < na; k++)
			if (name_is(lo, an[k], "type") && vcheck(lo, n, av[k], VC_STYPE, m))
				payload_acc_hit(a, PAYLOAD_XSS, 75, "style element typed as script");
	}
	/* a name that is a dangerous one once a filter strips the copy
	 * nested inside it: <scrscriptipt>, <iframiframee> */
	{
		static const char *const nest[] = {"script", "iframe", "object", "embed", "svg"};
		for (size_t k = 0; k < sizeof(nest) / sizeof(nest[0]); k++) {
			size_t l = strlen(nest[k]);
			if (tag.len != 2 * l)
				continue;
			for (size_t at = 0; at <= l; at++)
				if (!memcmp(lo + tag.off + at, nest[k], l) &&
				    !memcmp(lo + tag.off, nest[k], at) &&
				    !memcmp(lo + tag.off + at + l, nest[k] + at, l - at)) {
					payload_acc_hit(a, PAYLOAD_XSS, 75, "element name nested to survive a filter");
					break;
				}
		}
	}
	if (name_is(lo, tag, "script")) {
		int src = 0;
		for (int k = 0; k < na; k++)
			src |= name_is(lo, an[k], "src") || name_is(lo, an[k], "href") ||
			       name_is(lo, an[k], "xlink:href");
		if (!src && payload_xss_script_prose(lo, n, p))
			payload_acc_hit(a, PAYLOAD_XSS, 50, "script element whose text cannot compile");
		else if (!src && payload_xss_script_words(lo, n, p))
			payload_acc_hit(a, PAYLOAD_XSS, 50, "script element whose text is words that call nothing");
		else if (payload_xss_data_block(lo, t))
			payload_acc_hit(a, PAYLOAD_XSS, 50, "script element holding data");
		else if (src && payload_xss_embed_script(lo, n, t, p))
			payload_acc_hit(a, PAYLOAD_XSS, 55, "third-party embed script over https");
		else
			payload_acc_hit(a, PAYLOAD_XSS, 90, "script element");
	}
	/* <x:script> where the page is XHTML and x the XHTML namespace */
	else if (tag.len > 7 && !memcmp(lo + tag.off + tag.len - 7, ":script", 7))
		payload_acc_hit(a, PAYLOAD_XSS, 75, "namespaced script element");
	/* SVG Tiny's handler element runs its text on the event named */
	else if (name_is(lo, tag, "handler") || name_is(lo, tag, "ev:listener")) {
		for (int k = 0; k < na; k++)
			if (name_is(lo, an[k], "ev:event") || name_is(lo, an[k], "event"))
				payload_acc_hit(a, PAYLOAD_XSS, 75, "svg handler element");
	}
	else if (name_is(lo, tag, "iframe") || name_is(lo, tag, "frame") ||
		 name_is(lo, tag, "frameset") || name_is(lo, tag, "object") ||
		 name_is(lo, tag, "embed") || name_is(lo, tag, "applet") || name_is(lo, tag, "portal") ||
		 name_is(lo, tag, "layer") || name_is(lo, tag, "ilayer")) {
		if (payload_xss_web_frame(lo, n, tag, t, p, m))
			payload_acc_hit(a, PAYLOAD_XSS, 50, "page embedded from a web address");
		else if (payload_xss_pdf_embed(lo, tag, t))
			payload_acc_hit(a, PAYLOAD_XSS, 50, "pdf, video or sound file embedded");
		else
			payload_acc_hit(a, PAYLOAD_XSS, 80, "embedding element");
	}
	else if (name_is(lo, tag, "isindex") || name_is(lo, tag, "xss"))
		/* svg and math run script only through handlers, script
		 * children or script URLs, each judged on its own: an inline
		 * icon or formula in rich text is markup */
		payload_acc_hit(a, PAYLOAD_XSS, 60, "scriptable obsolete or bait element");
}

/* Attribute k of the tag: event handlers, script and data URLs, srcdoc,
 * style, meta refresh/cookie/charset, base href, html imports. */
/* attributes a client framework evaluates as script once the page loads
 * it: Vue v-on:x / @x / :href, Alpine x-init / x-on:x, htmx hx-on*,
 * AngularJS ng-* directives. AngularJS and htmx drop a "data-" prefix
 * before matching (AngularJS an "x-" too), and AngularJS reads ':' and
 * '_' as '-': data-ng-init, x-ng-init, ng:init, ng_init are ng-init. */
static int framework_attr(const char *lo, struct span s)
{
	const char *p = lo + s.off;
	size_t l = s.len;

	if ((l > 1 && (p[0] == '@' || p[0] == ':')) ||
	    (l > 5 && (!memcmp(p, "v-on:", 5) || !memcmp(p, "x-on:", 5) || !memcmp(p, "v-bind", 6))) ||
	    (l >= 6 && !memcmp(p, "x-init", 6)))
		return 1;
	if (l > 5 && !memcmp(p, "data-", 5)) {
		p += 5;
		l -= 5;
	} else if (l > 2 && !memcmp(p, "x-", 2)) {
		p += 2;
		l -= 2;
	}
	return (l > 5 && !memcmp(p, "hx-on", 5)) ||
	       (l > 3 && p[0] == 'n' && p[1] == 'g' && (p[2] == '-' || p[2] == ':' || p[2] == '_'));
}

/* htmx's hx-get/post/put/patch/delete (data-hx-* too) to another host:
 * htmx fetches that page and swaps its HTML, scripts and all, into this
 * one. A path of the site's own (/api/rows) is the app's. */
static int htmx_remote(const char *lo, struct span s, struct span v)
{
	static const char *const verb[] = {"get", "post", "put", "patch", "delete"};
	const char *p = lo + s.off;
	size_t l = s.len, q = v.off, e = v.off + v.len;

	if (l > 5 && !memcmp(p, "data-", 5)) {
		p += 5;
		l -= 5;
	}
	if (l < 6 || memcmp(p, "hx-", 3))
		return 0;
	for (size_t k = 0; k < sizeof(verb) / sizeof(verb[0]); k++) {
		if (l != 3 + strlen(verb[k]) || memcmp(p + 3, verb[k], l - 3))
			continue;
		while (q < e && payload_is_space((unsigned char)lo[q]))
			q++;
		return (q + 1 < e && (lo[q] == '/' || lo[q] == '\\') && (lo[q + 1] == '/' || lo[q + 1] == '\\')) ||
		       payload_at(lo, e, q, "http:") || payload_at(lo, e, q, "https:");
	}
	return 0;
}

/* Does the tag carry an hx-trigger (data-hx-trigger too) that fires
 * with no user action: load, revealed, intersect, every <time> */
static int htmx_self_fired(const char *lo, const struct payload_xss_attrs *t)
{
	static const char *const fires[] = {"load", "revealed", "intersect", "every"};

	for (int m = 0; m < t->na; m++) {
		const char *p = lo + t->an[m].off;
		size_t l = t->an[m].len;

		if (l > 5 && !memcmp(p, "data-", 5)) {
			p += 5;
			l -= 5;
		}
		if (!t->has_val[m] || l != 10 || memcmp(p, "hx-trigger", 10))
			continue;
		for (size_t f = 0; f < sizeof(fires) / sizeof(fires[0]); f++)
			if (payload_find(lo, t->av[m].off + t->av[m].len, t->av[m].off, fires[f]) <
			    t->av[m].off + t->av[m].len)
				return 1;
	}
	return 0;
}

/* Attribute k's own findings, whatever tag holds it (run once per
 * attribute: a tag that shares it with the last one repeats them) */
static void attr_own(const char *str, const char *lo, size_t n, const struct payload_xss_attrs *t, int k,
		     struct payload_acc *a, int *css, struct payload_xss_tagmemo *mm)
{
	const struct span *an = t->an, *av = t->av;
	const unsigned char *has_val = t->has_val;
	int na = t->na;
	char head[48];
	size_t hl = av[k].len;
	if (t->quoted[k] == 0 && has_val[k]) {
		/* an entity the browser decodes inside the value (&#x09;,
		 * &Tab;) was decoded before tokenizing and split it: read the
		 * scheme across the blanks, up to the tag's end */
		size_t e = av[k].off;
		while (e < n && e - av[k].off < 24 && lo[e] != '>')
			e++;
		hl = e - av[k].off;
		/* "src=x/onerror=..." is one value to a browser, and an
		 * attack to anyone who writes it */
		if (vcheck(lo, n, av[k], VC_SLASH, mm))
			payload_acc_hit(a, PAYLOAD_XSS, 75, "event handler after slash in unquoted value");
	}
	payload_xss_url_head(lo, av[k].off, hl, head, sizeof(head));
	if (has_val[k] && an[k].off > 0 && lo[an[k].off - 1] == '\0' && payload_xss_nul_split_event(lo, an[k]))
		payload_acc_hit(a, PAYLOAD_XSS, 75, "event handler name split by nul");
	if (t->ev[k] && has_val[k] && !payload_xss_inert_handler(lo, av[k], t->quoted[k]) &&
	    !(!t->quoted[k] && payload_xss_jsx_handler(lo, n, av[k]))) {
		/* one that calls the page's own helpers and no sink: told */
		if (payload_xss_page_call(lo, av[k], t->quoted[k]))
			payload_acc_hit(a, PAYLOAD_XSS, 55, "event handler calling the page's functions");
		else
			payload_acc_hit(a, PAYLOAD_XSS, 85, "event handler attribute in tag");
	}
	if (has_val[k] && framework_attr(lo, an[k]) && !vframe_done(av[k], mm) &&
	    payload_xss_js_code(lo, n, av[k].off, av[k].off + av[k].len))
		payload_acc_hit(a, PAYLOAD_XSS, 80, "script in a framework's handler attribute");
	if (has_val[k] && htmx_remote(lo, an[k], av[k])) {
		/* one that fires by itself (hx-trigger="load") is a kill; on
		 * a click, as htmx's own examples are pasted into tickets
		 * (<button hx-post="https://api.example.com/clicked">), told */
		if (htmx_self_fired(lo, t))
			payload_acc_hit(a, PAYLOAD_XSS, 65, "htmx request to another host swapped into the page");
		else
			payload_acc_hit(a, PAYLOAD_XSS, 55, "htmx request to another host on a click");
	}
	/* onload!#$/|]^`=alert(1): junk split the name from its value */
	for (int m = k + 1; t->ev[k] && !has_val[k] && m < na && m <= k + 3; m++)
		if ((has_val[m] && payload_xss_js_code(lo, n, av[m].off, av[m].off + av[m].len)) ||
		    /* onerror/=alert(0): "=alert(0)" became a name; onload/=
		     * alert(0): "=" did, and the code the next one */
		    payload_xss_js_code(lo, n, an[m].off + (lo[an[m].off] == '='),
			    has_val[m] ? av[m].off + av[m].len : an[m].off + an[m].len))
			payload_acc_hit(a, PAYLOAD_XSS, 75, "event handler split by junk");
	/* href="javascript:void(0)", a menu toggle's do-nothing link, is
	 * rich text's: only a quoted value holding nothing else */
	if (has_val[k] && payload_xss_script_scheme(head) &&
	    !(t->quoted[k] && av[k].len < sizeof(head) - 1 && payload_xss_inert_url(head)))
		payload_acc_hit(a, PAYLOAD_XSS, 85, "script url in attribute");
	/* a source whose SVG or page runs nothing (an icon's inline SVG) is
	 * not (the first 4 of a value read: past them, taken as active);
	 * a link's or a MathML href's keeps the finding */
	if (has_val[k] && payload_xss_active_data(head) &&
	    !(t->quoted[k] && name_is(lo, an[k], "src") && mm->inert_left-- > 0 &&
	      payload_xss_data_inert(str, lo, av[k].off + av[k].len, av[k].off, 1)))
		payload_acc_hit(a, PAYLOAD_XSS, 75, "active data url in attribute");
	if (name_is(lo, an[k], "srcdoc") && has_val[k])
		payload_acc_hit(a, PAYLOAD_XSS, 80, "srcdoc attribute");
	if (name_is(lo, an[k], "style") && has_val[k] && (*css)-- > 0 &&
	    css_danger(lo, av[k].off, av[k].len))
		payload_acc_hit(a, PAYLOAD_XSS, 75, "script in style attribute");
}

/* Attribute k's findings in its tag: meta refresh/cookie/charset, base
 * href, html imports, style sheet links, SVG animation and use */
static void attr_in_tag(const char *lo, size_t n, struct span tag, const struct payload_xss_attrs *t, int k,
			struct payload_acc *a, struct payload_xss_tagmemo *mm)
{
	const struct span *an = t->an, *av = t->av;
	const unsigned char *has_val = t->has_val;
	int na = t->na;

	if (name_is(lo, tag, "meta") && has_val[k] && name_is(lo, an[k], "http-equiv") &&
	    ((av[k].len >= 7 && !memcmp(lo + av[k].off, "refresh", 7) && !payload_xss_site_refresh(lo, t)) ||
	     (av[k].len >= 4 && !memcmp(lo + av[k].off, "link", 4)) ||
	     (av[k].len >= 10 && !memcmp(lo + av[k].off, "set-cookie", 10))))
		payload_acc_hit(a, PAYLOAD_XSS, 70, "meta http-equiv refresh, link or cookie");
	if (name_is(lo, tag, "meta") && has_val[k] && name_is(lo, an[k], "content") &&
	    vcheck(lo, n, av[k], VC_UTF7, mm))
		payload_acc_hit(a, PAYLOAD_XSS, 70, "meta charset utf-7");
	/* <meta charset=utf-7>: every label of UTF-7 holds "utf-7" or
	 * "utf7" (unicode-1-1-utf-7, x-imap4-modified-utf7, csunicode11utf7) */
	if (name_is(lo, tag, "meta") && has_val[k] && name_is(lo, an[k], "charset") && av[k].len <= 32 &&
	    (payload_find(lo, av[k].off + av[k].len, av[k].off, "utf-7") < av[k].off + av[k].len ||
	     payload_find(lo, av[k].off + av[k].len, av[k].off, "utf7") < av[k].off + av[k].len))
		payload_acc_hit(a, PAYLOAD_XSS, 70, "meta charset utf-7");
	/* a path of the same site moves no script to another host */
	if (name_is(lo, tag, "base") && name_is(lo, an[k], "href") &&
	    !(has_val[k] && payload_xss_base_path(lo, av[k])))
		payload_acc_hit(a, PAYLOAD_XSS, 70, "base href rewrite");
	if (name_is(lo, tag, "link") && name_is(lo, an[k], "rel") && has_val[k] &&
	    av[k].len >= 6 && !memcmp(lo + av[k].off, "import", 6))
		payload_acc_hit(a, PAYLOAD_XSS, 75, "html import");
	/* an injected style sheet restyles the page and reads it through
	 * selectors; only an href makes it load (one over https or of the
	 * site's own path, /css/main.css, told below the kill line) */
	if (name_is(lo, tag, "link") && name_is(lo, an[k], "rel") && has_val[k] &&
	    vcheck(lo, n, av[k], VC_SHEET, mm))
		for (int m = 0; m < na; m++)
			if (name_is(lo, an[m], "href") && has_val[m])
				payload_acc_hit(a, PAYLOAD_XSS,
						payload_xss_https_sheet(lo, av[m]) || payload_xss_base_path(lo, av[m]) ? 50 : 70,
						"style sheet link");
	/* <svg><use href=//evil/x.svg#a>: the element clones another
	 * document's SVG (its handlers and script links) into this page;
	 * a sprite of the site's own (#icon, /static/sprite.svg#menu) is
	 * not another host's */
	if (name_is(lo, tag, "use") && has_val[k] && (name_is(lo, an[k], "href") || name_is(lo, an[k], "xlink:href"))) {
		size_t q = av[k].off, e = av[k].off + av[k].len;
		while (q < e && payload_is_space((unsigned char)lo[q]))
			q++;
		if (payload_at(lo, e, q, "https:") || payload_at(lo, e, q, "http:") || payload_at(lo, e, q, "//") ||
		    payload_at(lo, e, q, "\\\\") || payload_at(lo, e, q, "data:"))
			payload_acc_hit(a, PAYLOAD_XSS, 65, "svg use of another host's or a data: document");
	}
	/* SVG animation writing an event handler: <set attributeName=onclick to=...> */
	if ((name_is(lo, tag, "set") || name_is(lo, tag, "animate")) && name_is(lo, an[k], "attributename") &&
	    has_val[k] && payload_xss_event_name(lo, av[k]))
		payload_acc_hit(a, PAYLOAD_XSS, 75, "animation sets an event handler");
}

/* Dangling markup: the value ends inside a quoted URL attribute
 * (<img src='//evil.ex/?, <meta http-equiv=refresh content='0;url=//x/?)
 * that fetches from a host: the page after the injection, up to the
 * next such quote, is sent to that host as part of the URL. An opening
 * quote never closed is what rich text never sends; the host and the
 * open query or path at the end are the exfiltration's. k: the last
 * attribute, quoted and running to the value's end. */
static int dangling_url(const char *lo, size_t n, struct span tag, const struct payload_xss_attrs *t, int k)
{
	static const char *const url_attr[] = {"src", "href", "action", "formaction", "background",
					       "poster", "data", "ping", "lowsrc", "dynsrc",
					       "xlink:href", "codebase", "cite"};
	struct span v = t->av[k];
	size_t p = v.off, e = v.off + v.len;
	int ok = 0;

	for (size_t u = 0; u < sizeof(url_attr) / sizeof(url_attr[0]); u++)
		ok |= name_is(lo, t->an[k], url_attr[u]);
	if (name_is(lo, tag, "meta") && name_is(lo, t->an[k], "content")) {
		/* "0;url=" opens the value: look no further than its head */
		size_t h = payload_find(lo, e < p + 40 ? e : p + 40, p, "url=");
		ok = h < e && h < p + 40;
		p = h + 4;
	}
	if (!ok || e != n || e - p < 4 || !strchr("?=&/#", lo[e - 1]) || lo[e - 1] == '\0')
		return 0;
	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	if (payload_at(lo, e, p, "https:"))
		p += 6;
	else if (payload_at(lo, e, p, "http:"))
		p += 5;
	/* a host follows: //name, not a path or /// */
	return p + 2 < e && lo[p] == '/' && lo[p + 1] == '/' && payload_is_alnum((unsigned char)lo[p + 2]);
}

/* Parse the start tag whose '<' is at i; score it into a. */
/* css: how many style sheets or style attributes may still be read (each
 * up to 1 KiB), so a value of many <style> tags stays linear */
void payload_xss_start_tag(const struct payload_val *v, size_t i, struct payload_acc *a, int *css,
			   struct payload_xss_tagmemo *m)
{
	const char *lo = v->lo;
	size_t n = v->n, p;
	struct span tag;
	const struct payload_xss_attrs *t;

	tag.off = i + 1;
	p = run_end(lo, n, i + 1, 0, &m->name_s, &m->name_e);
	tag.len = p - tag.off;
	if (p < n && lo[p] == '\0')
		payload_xss_nul_split_name(lo, n, tag, a);
	/* a suffix of a name looked through holds no other glued handler */
	if (p != m->glued_e || tag.off < m->glued_s) {
		tag_glued_handler(lo, n, tag, a);
		m->glued_s = tag.off;
		m->glued_e = p;
	}
	t = read_attrs(lo, n, p, m);
	p = t->stop;
	/* cut off at a handler's name, no '=': a query split at its first
	 * '=' put the code in the next part (/search?<svg onload=alert(1)>) */
	if (p >= n && t->na > 0 && !t->has_val[t->na - 1] && t->ev[t->na - 1])
		payload_acc_hit(a, PAYLOAD_XSS, 70, "tag cut off at an event handler's name");
	if (p >= n && t->na > 0 && t->quoted[t->na - 1] && dangling_url(lo, n, tag, t, t->na - 1))
		payload_acc_hit(a, PAYLOAD_XSS, 50, "dangling markup: url attribute left open");
	tag_element(lo, n, p, tag, t, a, css, m);
	/* attr_in_tag acts in these elements only */
	int in_tag = name_is(lo, tag, "meta") || name_is(lo, tag, "base") || name_is(lo, tag, "link") ||
		     name_is(lo, tag, "set") || name_is(lo, tag, "animate") || name_is(lo, tag, "use");
	for (int k = 0; k < t->na; k++) {
		if (!t->seen[k])
			attr_own(v->s, lo, n, t, k, a, css, m);
		if (in_tag)
			attr_in_tag(lo, n, tag, t, k, a, m);
	}
	payload_xss_form_tag(lo, n, tag, t, a, m);
}
