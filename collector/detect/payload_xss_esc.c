/* payload_xss_esc.c - rich text that shows markup as text: a value whose
 * own tags are written as tags (<pre><code>, <p>) and whose example
 * markup is escaped as entities (&lt;script&gt;) is HTML a browser parses
 * once: the entities are text inside the real elements, never tags. The
 * pipeline decodes entities before the detectors read a value (an
 * application may decode them), which turns the example into markup; such
 * a value is judged as it was spelt instead (its percent and JavaScript
 * escapes undone, its entities kept). Its real tags, handlers and URLs
 * are read there as in any value (url_head reads entities in a scheme). */
#include "collector/detect/payload_xss_int.h"
#include "collector/detect/norm.h"

#include <stdint.h>
#include <string.h>

/* is there a start or end tag written as such in s[0..n): '<' then a
 * letter, or "</" then a letter */
static int literal_tag(const char *s, size_t n)
{
	for (const char *p = memchr(s, '<', n); p; p = memchr(p + 1, '<', n - (size_t)(p + 1 - s))) {
		size_t i = (size_t)(p - s) + 1;
		if (i < n && s[i] == '/')
			i++;
		if (i < n && payload_is_alpha((unsigned char)s[i]))
			return 1;
		if (i + 1 >= n)
			break;
	}
	return 0;
}

/* the entity at lo[i] ('&') is an escaped '<' (lt != 0) or '>': &lt;
 * &#60; &#x3c; (zeros allowed before the digits); its length, or 0 */
static size_t escaped_angle(const char *lo, size_t n, size_t i, int lt)
{
	size_t p = i + 1;
	int hex;

	if (payload_at(lo, n, p, lt ? "lt;" : "gt;"))
		return 4;
	if (p >= n || lo[p] != '#')
		return 0;
	hex = p + 1 < n && lo[p + 1] == 'x';
	p += 1 + (size_t)hex;
	while (p < n && lo[p] == '0')
		p++;
	if (!payload_at(lo, n, p, hex ? (lt ? "3c" : "3e") : (lt ? "60" : "62")))
		return 0;
	p += 2;
	return p < n && lo[p] == ';' ? p + 1 - i : p - i;
}

/* is there an escaped '<' in lo[0..n)? */
static int escaped_lt(const char *lo, size_t n)
{
	for (const char *p = memchr(lo, '&', n); p; p = memchr(p + 1, '&', n - (size_t)(p + 1 - lo)))
		if (escaped_angle(lo, n, (size_t)(p - lo), 1))
			return 1;
	return 0;
}

/* is s[i] the '<' of a start or end tag ('<' or "</" then a letter)? */
static int tag_open(const char *s, size_t n, size_t i)
{
	if (s[i] != '<')
		return 0;
	i += i + 1 < n && s[i + 1] == '/';
	return i + 1 < n && payload_is_alpha((unsigned char)s[i + 1]);
}

/* the tag at lo[i] ('<') is one of rich text's own elements, whose text
 * stays text when the page is parsed, serialised and parsed again. Not
 * raw-text or foreign elements (<svg><style>, <noscript>, <xmp>: their
 * text is written back unescaped, a mutation), nor IE's <xml> island
 * (its text read as HTML through datasrc). */
static int text_element(const char *lo, size_t n, size_t i)
{
	static const char *const ok[] = {
		"p", "pre", "code", "div", "span", "b", "i", "u", "s", "em", "strong", "small", "mark",
		"a", "ul", "ol", "li", "dl", "dt", "dd", "br", "hr", "h1", "h2", "h3", "h4", "h5",
		"h6", "blockquote", "q", "cite", "kbd", "samp", "var", "sub", "sup", "table", "thead",
		"tbody", "tr", "td", "th", "img", "figure", "figcaption", "section", "article", "abbr"};
	size_t s = i + 1 + (lo[i + 1] == '/'), e = s;

	while (e < n && payload_is_alnum((unsigned char)lo[e]))
		e++;
	if (e < n && !payload_is_space((unsigned char)lo[e]) && lo[e] != '>' && lo[e] != '/')
		return 0;
	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++)
		if (strlen(ok[k]) == e - s && !memcmp(lo + s, ok[k], e - s))
			return 1;
	return 0;
}

/* s[0..n) (lo its lower case) as the browser reads it into out (room
 * for n + 1): a tag's bytes with entities decoded (its attribute values
 * are decoded before use), text kept but for the escaped markup in it
 * (from an escaped '<' to its escaped '>' or the next tag), which is
 * dropped: text to the browser, it is no tag and no attribute.
 * Each byte is read once (a tag's decoding reads its own bytes).
 * SIZE_MAX when a tag is not text_element's. */
static size_t as_parsed(const char *s, const char *lo, size_t n, char *out)
{
	size_t w = 0, i = 0;

	while (i < n) {
		if (tag_open(s, n, i)) {
			size_t j = i + 1;
			char q = 0;
			if (!text_element(lo, n, i))
				return SIZE_MAX;
			for (; j < n && (q || s[j] != '>'); j++)
				if (q ? s[j] == q : (s[j] == '"' || s[j] == '\''))
					q = q ? 0 : s[j];
			j += j < n;
			w += norm_decode(s + i, j - i, out + w, j - i + 1, NORM_HTML);
			i = j;
		} else if (s[i] == '&' && escaped_angle(lo, n, i, 1)) {
			size_t g = 0;
			while (i < n && !tag_open(s, n, i) && !(s[i] == '&' && (g = escaped_angle(lo, n, i, 0)) > 0))
				i++;
			if (i < n && s[i] == '&')
				i += g;
		} else {
			out[w++] = s[i++];
		}
	}
	out[w] = '\0';
	return w;
}

int payload_xss_escaped_text(const struct payload_val *v, struct payload_acc *a, int depth)
{
	char s[PAYLOAD_MAX_VALUE + 1], lo[PAYLOAD_MAX_VALUE + 1], t[PAYLOAD_MAX_VALUE + 1];
	struct payload_val u = *v;
	unsigned fl = NORM_PERCENT | NORM_UNICODE;
	size_t n;

	/* an entity was spelt ('&', or "%26" under percent-encoding) */
	if (depth > 0 || !v->raw || v->rawn == 0 || v->rawn > PAYLOAD_MAX_VALUE || !payload_has(v, '<') ||
	    (!memchr(v->raw, '&', v->rawn) && !memchr(v->raw, '%', v->rawn)))
		return 0;
	/* a '+' the decoding made a blank (a form body's) is one here too */
	if (!payload_has(v, '+') && memchr(v->raw, '+', v->rawn))
		fl |= NORM_PLUS;
	n = norm_decode(v->raw, v->rawn, s, sizeof(s), fl);
	if (n == 0 || !memchr(s, '&', n) || !literal_tag(s, n))
		return 0;
	payload_census_lo(s, lo, n, u.has);
	lo[n] = '\0';
	if (!escaped_lt(lo, n))
		return 0;
	n = as_parsed(s, lo, n, t);
	if (n == SIZE_MAX)
		return 0;
	payload_census_lo(t, lo, n, u.has);
	lo[n] = '\0';
	u.s = t;
	u.lo = lo;
	u.n = n;
	payload_xss_scan_depth(&u, a, depth + 1);
	return 1;
}
