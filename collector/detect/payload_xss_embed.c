/* payload_xss_embed.c - markup rich text holds that payload_xss_tag.c's
 * element and attribute rules would otherwise kill: an editor's embed of
 * a video or map (a complete <iframe> whose src is a web address), a
 * <base href> to a path of the site, a style sheet linked over https, a
 * server-side include of one of the site's own pages. Each is told below
 * the kill line (or not at all) only when nothing in it can run script:
 * handlers, script URLs, srcdoc and the like keep their own findings.
 * Also rich text's own ways to run script: a style that lays an element
 * over the whole page (payload_xss_form.c judges the link or form under
 * it), a Markdown link to an active data: URL or a script URL. */
#include "collector/detect/payload_xss_int.h"

#include <string.h>

static int name_is(const char *lo, struct span s, const char *w)
{
	return s.len == strlen(w) && memcmp(lo + s.off, w, s.len) == 0;
}

/* a web address at lo[s]: http(s)://host, //host, or a path of this site
 * (/x); blanks before it are what a browser strips */
int payload_xss_web_address(const char *lo, struct span v)
{
	size_t p = v.off, e = v.off + v.len;

	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	if (payload_at(lo, e, p, "https://"))
		p += 8;
	else if (payload_at(lo, e, p, "http://"))
		p += 7;
	else if (payload_at(lo, e, p, "//"))
		p += 2;
	else if (p < e && lo[p] == '/')
		p++;
	else
		return 0;
	return p < e && payload_is_alnum((unsigned char)lo[p]);
}

/* the last "</iframe" of the value, found once (a value of many iframes
 * stays linear) */
static size_t close_last(const char *lo, size_t n, struct payload_xss_tagmemo *m)
{
	if (!m->frame_close_known) {
		m->frame_close_known = 1;
		m->frame_close = SIZE_MAX;
		for (size_t i = payload_find(lo, n, 0, "</iframe"); i < n; i = payload_find(lo, n, i + 8, "</iframe"))
			m->frame_close = i;
	}
	return m->frame_close;
}

/* a width or height under 2 (its whole part: "0", "00", "0px", ".5",
 * "1.9", "" ) */
static int box_tiny(const char *lo, struct span v)
{
	size_t p = v.off, e = v.off + v.len;
	unsigned x = 0;

	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	for (; p < e && lo[p] >= '0' && lo[p] <= '9' && x < 1000; p++)
		x = x * 10 + (unsigned)(lo[p] - '0');
	return x < 2;
}

/* pat occurs in v with blanks between its bytes skipped */
static int has_spaced(const char *lo, struct span v, const char *pat)
{
	size_t e = v.off + v.len;

	for (size_t s = v.off; s < e; s++) {
		size_t p = s;
		const char *q = pat;

		if (lo[s] != *pat)
			continue;
		while (*q && p < e) {
			if (lo[p] == *q)
				q++;
			else if (!payload_is_space((unsigned char)lo[p]))
				break;
			p++;
		}
		if (!*q)
			return 1;
	}
	return 0;
}

#define NO_NUM 0xffffffffu

/* the number of a declaration's value at p (blanks skipped; a sign at
 * *neg): its whole part, or 100000 for an exponent (-5e3px); *small is
 * set when the number is under .1 (0, .01, 0.05) */
static unsigned decl_num(const char *lo, size_t p, size_t e, int *neg, int *small)
{
	unsigned x = 0;
	size_t d;

	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	/* calc(0px): the number inside */
	if (payload_at(lo, e, p, "calc("))
		for (p += 5; p < e && payload_is_space((unsigned char)lo[p]); p++)
			;
	*neg = p < e && lo[p] == '-';
	p += (size_t)*neg;
	for (d = p; p < e && lo[p] >= '0' && lo[p] <= '9' && x < 100000; p++)
		x = x * 10 + (unsigned)(lo[p] - '0');
	*small = x == 0 && p > d;
	if (p < e && lo[p] == '.') {
		*small = x == 0 && p + 1 < e && lo[p + 1] == '0';
		for (p++; p < e && lo[p] >= '0' && lo[p] <= '9'; p++)
			;
	} else if (p == d) {
		return NO_NUM;
	}
	if (p + 1 < e && lo[p] == 'e' && lo[p + 1] >= '0' && lo[p + 1] <= '9' && x)
		x = 100000;
	/* a negative exponent: 1e-3 is under .1 when x < 10^(k-1) */
	if (p + 2 < e && lo[p] == 'e' && lo[p + 1] == '-' && lo[p + 2] >= '0' && lo[p + 2] <= '9') {
		unsigned k = 0, t = 1;
		for (p += 2; p < e && lo[p] >= '0' && lo[p] <= '9' && k < 100; p++)
			k = k * 10 + (unsigned)(lo[p] - '0');
		for (unsigned i = 1; i < k && t < 1000000; i++)
			t *= 10;
		if (k > 0 && (x < t || k > 7)) {
			*small = 1;
			x = 0;
		} else {
			for (unsigned i = 0; i < k && x; i++)
				x /= 10;
		}
	}
	return x;
}

/* translate...(x, y): a move of -500 or further on either axis */
static int translate_away(const char *lo, struct span v)
{
	size_t e = v.off + v.len;

	for (size_t i = payload_find(lo, e, v.off, "translate"); i < e; i = payload_find(lo, e, i + 9, "translate"))
		for (size_t p = i + 9; p < e && lo[p] != ')' && p < i + 64; p++) {
			int neg, small;
			if ((lo[p] == '(' || lo[p] == ',') && decl_num(lo, p + 1, e, &neg, &small) != NO_NUM &&
			    neg && decl_num(lo, p + 1, e, &neg, &small) >= 500)
				return 1;
		}
	return 0;
}

/* the function whose '(' is at p names one of w (its name: the letters,
 * digits and '-' before p, at most 16) */
static int fn_named(const char *lo, size_t from, size_t p, const char *w)
{
	size_t s = p, l = strlen(w);

	while (s > from && p - s < 16 && (payload_is_alnum((unsigned char)lo[s - 1]) || lo[s - 1] == '-'))
		s--;
	return p - s == l && memcmp(lo + s, w, l) == 0;
}

/* the numbers of a function's arguments from p (up to 4, separated by
 * ',' or blanks; their whole parts, 0 only when under .1, 1 for .1 to 1;
 * *pct when the first is a percentage, bit i of *pcts when the i-th is);
 * how many were read */
static int fn_args_pcts(const char *lo, size_t p, size_t e, unsigned *x, int *pct, unsigned *pcts)
{
	int k = 0, neg, small;

	*pct = 0;
	*pcts = 0;
	while (k < 4 && p < e && lo[p] != ')') {
		unsigned v = decl_num(lo, p, e, &neg, &small);
		if (v == NO_NUM)
			break;
		x[k++] = small ? 0 : v ? v : 1; /* 0.5: not under .1 */
		while (p < e && payload_is_space((unsigned char)lo[p]))
			p++;
		/* past the number and its unit */
		while (p < e && lo[p] != ',' && lo[p] != ')' && lo[p] != '(' && lo[p] != ';' &&
		       !payload_is_space((unsigned char)lo[p])) {
			if (lo[p] == '%' && k == 1)
				*pct = 1;
			if (lo[p] == '%')
				*pcts |= 1u << (k - 1);
			p++;
		}
		while (p < e && (lo[p] == ',' || payload_is_space((unsigned char)lo[p])))
			p++;
		if (p < e && (lo[p] == '(' || lo[p] == ';'))
			break;
	}
	return k;
}

/* inset()'s sides in percent (t, r, b, l as the shorthand spreads 1 to 4
 * values; a side in a length counts as 0): 1 when top and bottom, or
 * right and left, meet (inset(0 100% 0 0), inset(60% 0 40%)) */
static int inset_meets(const unsigned *x, int k, unsigned pcts)
{
	unsigned v[4];

	for (int i = 0; i < k; i++)
		v[i] = pcts >> i & 1 ? x[i] : 0;
	if (k == 1)
		return v[0] >= 50;
	if (k == 2)
		return v[0] >= 50 || v[1] >= 50;
	if (k == 3)
		return v[0] + v[2] >= 100 || v[1] >= 50;
	return v[0] + v[2] >= 100 || v[1] + v[3] >= 100;
}

/* a number of degrees at p (blanks, a sign, digits, "deg"): 90 or 270,
 * edge-on to the viewer for rotateX/rotateY */
static int edge_on(const char *lo, size_t p, size_t e)
{
	unsigned x = 0;
	size_t d;

	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p < e && lo[p] == '-')
		p++;
	for (d = p; p < e && lo[p] >= '0' && lo[p] <= '9' && x < 1000; p++)
		x = x * 10 + (unsigned)(lo[p] - '0');
	return p > d && (x == 90 || x == 270) && payload_at(lo, e, p, "deg");
}

/* polygon()'s points all 0 (polygon(0 0,0 0,0 0)): an empty shape */
static int empty_polygon(const char *lo, size_t p, size_t e)
{
	int zero = 0;

	for (size_t q = p + 1; q < e && q < p + 256; q++) {
		if (lo[q] == ')')
			return zero;
		if (lo[q] >= '1' && lo[q] <= '9')
			return 0;
		zero |= lo[q] == '0';
	}
	return 0;
}

/* a CSS function of the style that leaves nothing to see: scale(.01) (and
 * scaleX/Y/3d), a filter's opacity(0), clip-path inset(50%) or more (the
 * sides meet), circle(0) or ellipse(0), clip's rect() with its bottom above
 * its top or its right left of its left (rect(0,0,0,0), rect(1px 1px 1px
 * 1px)) */
static int fn_hides(const char *lo, struct span v)
{
	static const char *const shrink[] = {"scale", "scalex", "scaley", "scale3d", "opacity", "circle", "ellipse"};
	size_t e = v.off + v.len;

	for (size_t p = payload_find(lo, e, v.off, "("); p < e; p = payload_find(lo, e, p + 1, "(")) {
		unsigned x[4], pcts;
		int pct, k = fn_args_pcts(lo, p + 1, e, x, &pct, &pcts);
		if (k < 1)
			continue;
		/* rev8 E9: inset()'s opposite sides meeting, a flat
		 * matrix(), rotateX/Y edge-on, an empty polygon() */
		if (fn_named(lo, v.off, p, "inset") && inset_meets(x, k, pcts))
			return 1;
		if (k == 4 && !x[0] && !x[1] && !x[2] && !x[3] && fn_named(lo, v.off, p, "matrix"))
			return 1;
		if ((fn_named(lo, v.off, p, "rotatex") || fn_named(lo, v.off, p, "rotatey")) && edge_on(lo, p + 1, e))
			return 1;
		if (fn_named(lo, v.off, p, "polygon") && empty_polygon(lo, p, e))
			return 1;
		for (size_t f = 0; f < sizeof(shrink) / sizeof(shrink[0]); f++)
			if (!x[0] && fn_named(lo, v.off, p, shrink[f]))
				return 1;
		if (pct && x[0] >= 50 && fn_named(lo, v.off, p, "inset"))
			return 1;
		if (k == 4 && (x[2] <= x[0] || x[1] <= x[3]) && fn_named(lo, v.off, p, "rect"))
			return 1;
	}
	return 0;
}

/* the number at p (blanks, digits, a fraction) is followed by '%' */
static int pct_after(const char *lo, size_t p, size_t e)
{
	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	while (p < e && ((lo[p] >= '0' && lo[p] <= '9') || lo[p] == '.'))
		p++;
	return p < e && lo[p] == '%';
}

/* A CSS declaration's property from lo[q] (blanks first): its name at
 * *s, *l bytes of letters and '-', then blanks; the index of its ':',
 * or e when none follows */
static size_t css_prop(const char *lo, size_t q, size_t e, size_t *s, size_t *l)
{
	while (q < e && payload_is_space((unsigned char)lo[q]))
		q++;
	for (*s = q; q < e && (payload_is_alpha((unsigned char)lo[q]) || lo[q] == '-'); q++)
		;
	*l = q - *s;
	while (q < e && payload_is_space((unsigned char)lo[q]))
		q++;
	return q < e && lo[q] == ':' ? q : e;
}

/* a style that hides the element: display:none, visibility:hidden,
 * visibility:collapse, opacity or zoom under .1 (0, .01), a function that
 * shrinks or clips it away (fn_hides), a box shrunk under 2 pixels by its
 * width or height (width:0;height:0) that no large min-width/min-height
 * restores (width:1px;min-width:100% is the iframe-resizer idiom), moved
 * off the page by a position offset of -500 or further (left:-9999px,
 * translateX(-9999px), or a margin of -500 or further with no offset
 * beside it: left:50%;margin-left:-640px centres a wide frame) */
static int style_hides(const char *lo, struct span v)
{
	static const char *const prop[] = {"width", "max-width", "height", "max-height", "min-width", "min-height",
					   "left", "top", "right", "bottom", "opacity", "margin-left", "margin-top", "zoom", "scale"};
	size_t e = v.off + v.len;
	int tiny[2] = {0, 0}, big[2] = {0, 0}, margin = 0, placed = 0;

	if (has_spaced(lo, v, "display:none") || has_spaced(lo, v, "visibility:hidden") ||
	    has_spaced(lo, v, "visibility:collapse") || fn_hides(lo, v) || translate_away(lo, v))
		return 1;
	/* each declaration's property: after the start, ';' or '"' */
	for (size_t p = v.off; p < e; p++) {
		size_t q = p, s, l;
		int neg, small;
		unsigned x;
		if (p > v.off && lo[p - 1] != ';' && lo[p - 1] != '{')
			continue;
		q = css_prop(lo, q, e, &s, &l);
		if (q >= e)
			continue;
		for (size_t k = 0; k < sizeof(prop) / sizeof(prop[0]); k++) {
			if (strlen(prop[k]) != l || memcmp(lo + s, prop[k], l))
				continue;
			x = decl_num(lo, q + 1, e, &neg, &small);
			if (x == NO_NUM)
				break;
			if (k < 4 && x < 2)
				tiny[k / 2] = 1;
			else if (k < 6 && k >= 4 && x >= 50)
				big[k - 4] = 1;
			else if (k >= 6 && k < 10 && neg && x >= 500)
				return 1;
			else if (k >= 6 && k < 10)
				placed = 1;
			else if ((k == 10 || k == 13 || k == 14) && small)
				return 1;
			/* zoom:1%: a percentage under 10 */
			else if (k == 13 && x < 10 && pct_after(lo, q + 1, e))
				return 1;
			else if ((k == 11 || k == 12) && neg && x >= 500)
				margin = 1;
			break;
		}
	}
	return (tiny[0] && !big[0]) || (tiny[1] && !big[1]) || (margin && !placed);
}

/* a number at p of 100 or more in % or viewport units (100%, 100vw) */
static int full_len(const char *lo, size_t p, size_t e)
{
	int neg, small;
	unsigned x = decl_num(lo, p, e, &neg, &small);

	if (x == NO_NUM || neg || x < 100)
		return 0;
	while (p < e && (payload_is_space((unsigned char)lo[p]) || (lo[p] >= '0' && lo[p] <= '9') || lo[p] == '.'))
		p++;
	return p < e && (lo[p] == '%' || (p + 1 < e && lo[p] == 'v' && (lo[p + 1] == 'w' || lo[p + 1] == 'h')));
}

/* a style that lays the element fixed over the whole viewport:
 * position:fixed and both axes covered, by a length of 100% / 100vw /
 * 100vh or by offsets of 0 on both sides (inset:0 for all four). A
 * cookie bar (bottom:0;width:100%) or a back-to-top button covers one
 * edge, not the page. */
int payload_xss_style_overlay(const char *lo, struct span v)
{
	static const char *const prop[] = {"width", "min-width", "height", "min-height", "left", "right",
					   "top", "bottom", "inset"};
	size_t e = v.off + v.len;
	unsigned got = 0;

	if (!has_spaced(lo, v, "position:fixed"))
		return 0;
	for (size_t p = v.off; p < e; p++) {
		size_t q = p, s, l;
		int neg, small;
		if (p > v.off && lo[p - 1] != ';')
			continue;
		q = css_prop(lo, q, e, &s, &l);
		if (q >= e)
			continue;
		for (size_t k = 0; k < sizeof(prop) / sizeof(prop[0]); k++) {
			if (strlen(prop[k]) != l || memcmp(lo + s, prop[k], l))
				continue;
			if (k < 4 && full_len(lo, q + 1, e))
				got |= k < 2 ? 1u : 2u;
			else if (k >= 4 && decl_num(lo, q + 1, e, &neg, &small) == 0)
				got |= k == 8 ? 0xf0u : 1u << k;
			break;
		}
	}
	/* bit 0 width, 1 height, 4..7 left, right, top, bottom */
	return ((got & 1) || (got & 0x30) == 0x30) && ((got & 2) || (got & 0xc0) == 0xc0);
}

/* Is the Markdown link whose text ends at lo[i] ("](") an image: the
 * '[' opening its text (the nearest before i, in 256 bytes) follows '!' */
static int md_is_image(const char *lo, size_t s, size_t i)
{
	size_t lim = i - s > 256 ? i - 256 : s;

	for (size_t k = i; k > lim; k--)
		if (lo[k - 1] == '[')
			return k - 1 > s && lo[k - 2] == '!';
	return 0;
}

/* the script URL at lo[d] is "javascript:void(0)" or "void 0" and
 * the link ends there: a link that does nothing when followed */
static int md_void(const char *lo, size_t n, size_t d)
{
	const char *c = memchr(lo + d, ':', n - d < 16 ? n - d : 16);
	size_t p;

	if (!c)
		return 0;
	p = (size_t)(c - lo) + 1;
	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	if (payload_at(lo, n, p, "void(0)"))
		p += 7;
	else if (payload_at(lo, n, p, "void 0"))
		p += 6;
	else
		return 0;
	while (p < n && (payload_is_space((unsigned char)lo[p]) || lo[p] == ';' || lo[p] == '>'))
		p++;
	return p < n && lo[p] == ')';
}

/* A Markdown link or image ([x](dest), ![x](<dest>)) in lo[s..n) whose
 * destination is a page or an SVG in a data: URL, or a script URL that
 * calls something: the rendered link opens or runs it (rich text's
 * links, as a CMS or a forum renders them). One finding at most. */
void payload_xss_markdown_link(const char *str, const char *lo, size_t n, size_t s, struct payload_acc *a)
{
	char head[48];
	int inert_left = 4;

	for (size_t i = payload_find(lo, n, s, "]("); i < n; i = payload_find(lo, n, i + 2, "](")) {
		size_t d = i + 2;
		while (d < n && d < i + 10 && (lo[d] == '<' || payload_is_space((unsigned char)lo[d])))
			d++;
		if (d + 5 < n && memchr("djvlm", lo[d], 5)) {
			payload_xss_url_head(lo, d, n - d < 64 ? n - d : 64, head, sizeof(head));
			/* an image's SVG (![badge](data:image/svg+xml;..)) is drawn
			 * by <img>, which runs no script in it: README badges */
			if (!strncmp(head, "data:image/", 11) && md_is_image(lo, s, i))
				continue;
			/* a data: SVG or page whose markup runs nothing (the
			 * first 4 read: past them, a value of many stays linear
			 * and the next is taken as active) */
			if (payload_xss_active_data(head) && head[5] != ',' && head[5] != ';' &&
			    !(inert_left-- > 0 && payload_xss_data_inert(str, lo, n, d, 0))) {
				payload_acc_hit(a, PAYLOAD_XSS, 70, "markdown link to an active data url");
				break;
			}
			/* [x](vbscript:msgbox(1)): a script URL that calls
			 * ([menu](javascript:void(0)), a no-op link, does not) */
			if (payload_xss_script_scheme(head) && memchr(lo + d, '(', n - d < 64 ? n - d : 64) &&
			    !md_void(lo, n, d)) {
				payload_acc_hit(a, PAYLOAD_XSS, 80, "markdown link to a script url");
				break;
			}
		}
	}
}

/* An <iframe> a rich-text editor writes for an embed (YouTube, Vimeo,
 * maps, forms): its src a web address, its box declared (width, height,
 * frameborder, allowfullscreen: a probe's frame declares none; not hidden
 * by a tiny box, the hidden attribute or its style),
 * its start tag closed by '>' at stop and its end tag following. A frame of another page runs no script
 * in this one; the probes' frames are script URLs, srcdoc, handlers (each
 * judged on its own) or tags left open (<iframe src=//x/scriptlet.html <). */
int payload_xss_web_frame(const char *lo, size_t n, struct span tag, const struct payload_xss_attrs *t,
			  size_t stop, struct payload_xss_tagmemo *m)
{
	static const char *const box[] = {"width", "height", "frameborder", "allowfullscreen"};
	int src = 0, sized = 0;
	size_t c;

	if (!name_is(lo, tag, "iframe") || stop >= n || lo[stop] != '>')
		return 0;
	for (int k = 0; k < t->na; k++) {
		if (name_is(lo, t->an[k], "srcdoc") || name_is(lo, t->an[k], "hidden"))
			return 0;
		if (name_is(lo, t->an[k], "src")) {
			if (!t->has_val[k] || !payload_xss_web_address(lo, t->av[k]))
				return 0;
			src = 1;
		}
		/* a frame kept out of sight is the drive-by's */
		if (name_is(lo, t->an[k], "style") && t->has_val[k] && style_hides(lo, t->av[k]))
			return 0;
		/* an embed declares its box; a frame under 2 pixels wide or
		 * high (0, 00, 0px, .5, 1) is hidden */
		for (size_t b = 0; b < sizeof(box) / sizeof(box[0]); b++) {
			if (!name_is(lo, t->an[k], box[b]))
				continue;
			if (b < 2 && (!t->has_val[k] || box_tiny(lo, t->av[k])))
				return 0;
			sized = 1;
		}
	}
	c = close_last(lo, n, m);
	return src && sized && c != SIZE_MAX && c > stop;
}

/* <base href> to a path of the same site (<base href="/">, "/app/",
 * "app/"): relative scripts still load from this origin */
int payload_xss_base_path(const char *lo, struct span v)
{
	size_t p = v.off, e = v.off + v.len, s;

	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	/* relative: ./ ../ then a path */
	for (s = p; p + 1 < e && lo[p] == '.';) {
		if (lo[p + 1] == '/')
			p += 2;
		else if (lo[p + 1] == '.' && p + 2 < e && lo[p + 2] == '/')
			p += 3;
		else
			break;
	}
	/* or a path relative to the page (_static/site.css, app/): a first
	 * segment of letters, digits, '_' or '.', no scheme (no ':' below) */
	if (p == s && (p >= e || (lo[p] != '/' && !payload_is_alnum((unsigned char)lo[p]) && lo[p] != '_')))
		return 0;
	/* "//host" and "/\host" name another host */
	if (p + 1 < e && (lo[p] == '/' || lo[p] == '\\') && (lo[p + 1] == '/' || lo[p + 1] == '\\'))
		return 0;
	for (; p < e; p++)
		if (lo[p] == '\\' || lo[p] == ':' || lo[p] == '&' || lo[p] == '%' || lo[p] <= 0x20)
			return 0;
	return 1;
}

/* a style sheet's href fetched over https (a CDN's framework sheet, a
 * font service, the site's own sheet): the same line @import's rule
 * draws. A sheet's text is remote and unseen, so its address alone
 * tells nothing of it (a library's release path is met by any attacker:
 * x.css#1.0); only an address that is evidently hostile keeps the kill:
 * userinfo naming a trusted host before the real one
 * (https://fonts.googleapis.com@evil.example/x.css) or a host that is an
 * IP literal (https://203.0.113.9/x.css, https://[::1]/x.css). */
int payload_xss_https_sheet(const char *lo, struct span v)
{
	size_t p = v.off, e = v.off + v.len, h;
	int digits = 1;

	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	if (!payload_at(lo, e, p, "https://") || p + 8 >= e || !payload_is_alnum((unsigned char)lo[p + 8]))
		return 0;
	for (h = p += 8; p < e && lo[p] != '/' && lo[p] != '?' && lo[p] != '#' && lo[p] != '\\'; p++) {
		if (lo[p] == '@')
			return 0;
		if (!(lo[p] >= '0' && lo[p] <= '9') && lo[p] != '.' && lo[p] != ':')
			digits = 0;
	}
	return !(digits && p > h);
}

/* A third party's embed snippet as a CMS field holds it pasted: <script
 * async src="https://platform.twitter.com/widgets.js" charset="utf-8">
 * </script>, after the post it shows (<blockquote class="twitter-tweet">
 * ..</blockquote>: the snippets of Twitter, Instagram, TikTok and Reddit
 * all quote the post first). Loaded async from an https address of a
 * named host (payload_xss_https_sheet's), no body, closed at once, and
 * only the attributes such snippets carry. A probe's script (<script
 * src=//evil/x.js>, one over http, of an IP, with a body or a handler,
 * deferred, or async on its own as collections write it) keeps the kill;
 * this one is told. stop: where its start tag ended. */
int payload_xss_embed_script(const char *lo, size_t n, const struct payload_xss_attrs *t, size_t stop)
{
	static const char *const ok[] = {"async", "defer", "charset", "crossorigin", "integrity", "id",
					 "referrerpolicy", "type"};
	int src = 0, lazy = 0;
	size_t p;

	if (stop >= n || lo[stop] != '>')
		return 0;
	for (p = stop + 1; p < n && payload_is_space((unsigned char)lo[p]); p++)
		;
	if (!payload_at(lo, n, p, "</script>") || payload_find(lo, n, 0, "</blockquote>") >= n)
		return 0;
	for (int k = 0; k < t->na; k++) {
		struct span a = t->an[k], v = t->av[k];
		int known = a.len > 5 && !memcmp(lo + a.off, "data-", 5);

		if (name_is(lo, a, "src")) {
			if (src || !t->has_val[k] || !payload_xss_https_sheet(lo, v))
				return 0;
			src = 1;
			continue;
		}
		if (name_is(lo, a, "type") && !(t->has_val[k] && v.len == 15 && !memcmp(lo + v.off, "text/javascript", 15)))
			return 0;
		lazy |= name_is(lo, a, "async");
		for (size_t j = 0; j < sizeof(ok) / sizeof(ok[0]); j++)
			known |= name_is(lo, a, ok[j]);
		if (!known)
			return 0;
	}
	return src && lazy;
}

/* lo[s..e) (a path, its extension cut) names a page the visitor may not
 * read, the SSI probe's first step: a word of administration, secrets,
 * accounts or debugging anywhere in it (/admin/desktop.html,
 * /shared/admin/users.html, secret.html). Any other page of the site
 * (/about.html, /includes/footer.html) shows nothing new. */
static int ssi_sensitive(const char *lo, size_t s, size_t e)
{
	static const char *const w[] = {"admin", "private", "secret", "internal", "config", "conf.", "backup",
					"bak", "passw", "user", "account", "login", "logon", "manage", "staff",
					"intranet", "dashboard", "panel", "hidden", "confiden", "restrict",
					"member", "debug", "phpinfo", "status", "key", "token", "credential",
					"cgi", "/logs/", "auth", "sess", "cookie", "priv", "root", "env"};

	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (payload_find(lo, e, s, w[k]) < e)
			return 1;
	return 0;
}

/* <!--#include virtual="/footer.html" -->: the include's argument (from
 * q, after '=') one of the site's own pages: a path with no climb, no
 * scheme, a page's extension and no sensitive word (ssi_sensitive).
 * Including the site's header shows nothing new; the attacks name system
 * files, climb, #exec, or include a page the visitor could not read. */
int payload_xss_ssi_page(const char *lo, size_t n, size_t q)
{
	static const char *const ext[] = {".html", ".htm", ".shtml", ".shtm", ".stm"};
	size_t p = q, s, e;
	char quote = 0;

	while (p < n && p < q + 8 && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p < n && (lo[p] == '"' || lo[p] == '\''))
		quote = lo[p++];
	s = p;
	while (p < n && p < s + 256 && (payload_is_alnum((unsigned char)lo[p]) || strchr("/._-", lo[p])) &&
	       lo[p] != '\0')
		p++;
	e = p;
	if (e == s || (quote && (p >= n || lo[p] != quote)) || payload_find(lo, e, s, "..") < e)
		return 0;
	/* the system's trees: /etc/passwd.html is no page of the site */
	if (payload_at(lo, e, s, "/etc/") || payload_at(lo, e, s, "/proc/") || payload_at(lo, e, s, "/var/") ||
	    payload_at(lo, e, s, "/usr/") || payload_at(lo, e, s, "/home/") || payload_at(lo, e, s, "/root/"))
		return 0;
	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
		size_t l = strlen(ext[k]);
		if (e - s > l && !memcmp(lo + e - l, ext[k], l))
			return !ssi_sensitive(lo, s, e - l);
	}
	return 0;
}

/* JavaScript's reserved and contextual words: a statement may start with
 * one of them and a name (var x, return x, async function) */
static int js_word(const char *lo, size_t s, size_t e)
{
	static const char *const w[] = {
		"break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete",
		"do", "else", "export", "extends", "finally", "for", "function", "if", "import", "in",
		"instanceof", "let", "new", "return", "super", "switch", "this", "throw", "try",
		"typeof", "var", "void", "while", "with", "yield", "await", "async", "static", "get",
		"set", "of", "enum", "implements", "interface", "package", "private", "protected",
		"public", "from", "as"};

	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (strlen(w[k]) == e - s && !memcmp(lo + s, w[k], e - s))
			return 1;
	return 0;
}

/* a name at *p ([a-z_$][a-z0-9_$]*); moves *p past it */
static int js_name(const char *lo, size_t n, size_t *p)
{
	size_t q = *p;

	if (q >= n || !(payload_is_alpha((unsigned char)lo[q]) || lo[q] == '_' || lo[q] == '$'))
		return 0;
	while (q < n && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '$'))
		q++;
	*p = q;
	return 1;
}

/* The text of a <script> (its start tag closed at p, no src) opens with
 * two names on one line, neither a reserved word: "The <script> tag
 * should go ...". JavaScript has no statement of that shape, the whole
 * block fails to compile and nothing in it runs; a post that names the
 * element, not an injection. So does text opened by the word operators
 * 'in' or 'instanceof' ("<script> in JSON?"); a single name as the whole
 * text ("<script> and </script>") compiles and does nothing. */
int payload_xss_script_prose(const char *lo, size_t n, size_t p)
{
	size_t s1, e1, s2, e2;

	if (p >= n || lo[p] != '>')
		return 0;
	p++;
	while (p < n && (lo[p] == ' ' || lo[p] == '\t'))
		p++;
	s1 = p;
	if (!js_name(lo, n, &p))
		return 0;
	e1 = p;
	/* "<script> and </script> tags": one name alone is the whole
	 * text, a statement that does nothing */
	while (p < n && (lo[p] == ' ' || lo[p] == '\t'))
		p++;
	if (payload_at(lo, n, p, "</script"))
		return 1;
	p = e1;
	if (p >= n || (lo[p] != ' ' && lo[p] != '\t'))
		return 0;
	/* "<script> in JSON": a binary operator cannot open a statement */
	if ((e1 - s1 == 2 && !memcmp(lo + s1, "in", 2)) || (e1 - s1 == 10 && !memcmp(lo + s1, "instanceof", 10)))
		return 1;
	while (p < n && (lo[p] == ' ' || lo[p] == '\t'))
		p++;
	s2 = p;
	if (!js_name(lo, n, &p))
		return 0;
	e2 = p;
	return !js_word(lo, s1, e1) && !js_word(lo, s2, e2);
}

/* a <script> whose type (its first type attribute: the one a browser
 * reads) is a JSON type (application/ld+json, application/json): a data
 * block the browser never runs, what a CMS page's structured data is */
int payload_xss_data_block(const char *lo, const struct payload_xss_attrs *t)
{
	for (int k = 0; k < t->na; k++) {
		size_t s, e;
		if (!name_is(lo, t->an[k], "type"))
			continue;
		if (!t->has_val[k])
			return 0;
		s = t->av[k].off;
		e = s + t->av[k].len;
		while (e > s && payload_is_space((unsigned char)lo[e - 1]))
			e--;
		while (s < e && payload_is_space((unsigned char)lo[s]))
			s++;
		/* a type/subtype: letters, digits, '.', '+', '-' and one '/'
		 * (a query's '+' reads as a blank: ld json) */
		for (size_t p = s; p < e; p++)
			if (!payload_is_alnum((unsigned char)lo[p]) && !strchr("/.+- ", lo[p]))
				return 0;
		return e - s > 5 && memchr(lo + s, '/', e - s) && !memcmp(lo + e - 4, "json", 4) &&
		       (lo[e - 5] == '/' || lo[e - 5] == '+' || lo[e - 5] == ' ');
	}
	return 0;
}

/* a script URL whose whole script does nothing (head: the value with
 * blanks dropped, lower case): javascript:void(0), javascript:;,
 * javascript:void 0, javascript: */
int payload_xss_void_url(const char *head)
{
	static const char *const nop[] = {"javascript:void(0)", "javascript:void(0);", "javascript:void0",
					  "javascript:void0;", "javascript:;", "javascript:",
					  "javascript:void(null)"};

	for (size_t k = 0; k < sizeof(nop) / sizeof(nop[0]); k++)
		if (!strcmp(head, nop[k]))
			return 1;
	return 0;
}
