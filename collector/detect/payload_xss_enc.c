/* payload_xss_enc.c - cross-site scripting spelt in an encoding no decoder
 * of the pipeline undoes, read again decoded: UTF-7 throughout (+ADw- is
 * '<', +ACg- '(', a run of base64 holds any text), as a page declared
 * UTF-7 reads it, and JavaScript octal escapes (\74script\76), as a
 * script string written into the page reads them. The decoded copy is
 * judged by payload_xss_scan once more (depth bounds the rereading).
 * And names split by NUL bytes, which old parsers dropped. */
#include "collector/detect/payload_xss_int.h"
#include "common/digit.h"

#include <string.h>

/* a decoded byte the copy may hold: '+' and '\\' (which could start a
 * spelling again) and non-ASCII become '?' */
static char plain(unsigned long c)
{
	return c >= 0x80 || c == '+' || c == '\\' || c == '\0' ? '?' : (char)c;
}

/* s[0..n) with every UTF-7 shift sequence ("+" base64 "-"?) decoded as
 * UTF-16 code units into out (room for n); returns the length, 0 when no
 * sequence spells an ASCII character ("+A" and a sextet A..H: a code unit
 * 0x00XX) or '<' in any of its code units */
static size_t utf7_decode(const char *s, size_t n, char *out)
{
	size_t w = 0;
	int seen = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned long bits = 0;
		int nb = 0;

		if (s[i] != '+' || i + 1 >= n || (digit_b64((unsigned char)s[i + 1]) < 0 && s[i + 1] != '-')) {
			out[w++] = s[i];
			continue;
		}
		if (s[i + 1] == '-') { /* "+-" is '+' */
			out[w++] = '?';
			i++;
			continue;
		}
		seen |= i + 2 < n && s[i + 1] == 'A' && s[i + 2] >= 'A' && s[i + 2] <= 'H';
		for (i++; i < n && digit_b64((unsigned char)s[i]) >= 0; i++) {
			bits = (bits << 6 | (unsigned long)digit_b64((unsigned char)s[i])) & 0xffffff;
			nb += 6;
			if (nb >= 16) {
				nb -= 16;
				/* '<' anywhere in a run (+TgAAPABp-: U+4E00 '<' 'i') */
				seen |= (bits >> nb & 0xffff) == '<';
				out[w++] = plain(bits >> nb & 0xffff);
			}
		}
		/* the '-' that ends the run is dropped, any other byte kept */
		if (i < n && s[i] != '-')
			i--;
	}
	return seen ? w : 0;
}

/* the JavaScript escape at s[i] ('\\'): octal (\74, \074, \0501: one to
 * three digits, at most \377), \xHH, \uHHHH or \u{H...}; its character
 * into *c, returns its length (0: none) */
static size_t js_escape(const char *s, size_t n, size_t i, unsigned long *c)
{
	size_t k = i + 1, d = 0;

	*c = 0;
	/* JavaScript spells these in lower case only */
	if (k < n && (s[k] == 'x' || s[k] == 'u')) {
		int brace = s[k] == 'u' && k + 1 < n && s[k + 1] == '{';
		size_t want = s[k] == 'x' ? 2 : brace ? 6 : 4;
		k += 1 + (size_t)brace;
		while (k < n && d < want && digit_hex((unsigned char)s[k]) >= 0) {
			*c = *c * 16 + (unsigned long)digit_hex((unsigned char)s[k++]);
			d++;
		}
		if (brace ? !d || k >= n || s[k] != '}' : d != want)
			return 0;
		return k + (size_t)brace - i;
	}
	while (k < n && d < 3 && s[k] >= '0' && s[k] <= '7' && *c * 8 + (unsigned long)(s[k] - '0') <= 0377) {
		*c = *c * 8 + (unsigned long)(s[k] - '0');
		k++;
		d++;
	}
	return d ? k - i : 0;
}

/* s[0..n) with JavaScript escapes decoded into out (room for n), a run
 * of them read as one whatever each one's spelling (\x3c\163cript>,
 * \u003c\163vg); returns the length, 0 when no escape spells '<' and none
 * spells a letter of a tag name whose '<' is there already, or '/' right
 * after one (a decoder before this one undid the \x3c of \x3c\163cript) */
static size_t octal_decode(const char *s, size_t n, char *out)
{
	size_t w = 0;
	int lt = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned long c;
		size_t l = s[i] == '\\' ? js_escape(s, n, i, &c) : 0;

		if (!l) {
			out[w++] = s[i];
			continue;
		}
		/* or a letter of a tag name whose '<' came before it, spelt
		 * plainly or undone already (<s\143ript>) */
		if (!lt && c != '<' && ((c | 32) - 'a' < 26 || c == '/')) {
			size_t b = w;
			while (b > 0 && w - b < 16 && payload_is_alpha((unsigned char)out[b - 1]))
				b--;
			lt = b > 0 && out[b - 1] == '<' && (c != '/' || b == w);
		}
		lt |= c == '<';
		out[w++] = plain(c);
		i += l - 1;
	}
	return lt ? w : 0;
}

/* judge s[0..n) (a decoded copy of v's value) as v's value */
static void rescan(const struct payload_val *v, char *s, size_t n, struct payload_acc *a, int depth)
{
	char lo[PAYLOAD_MAX_VALUE + 1];
	struct payload_val u = *v;

	memset(u.has, 0, sizeof(u.has));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
		lo[i] = (char)c;
		u.has[c >> 6] |= 1ull << (c & 63);
	}
	s[n] = lo[n] = '\0';
	u.s = s;
	u.lo = lo;
	u.n = n;
	/* the raw spelling is the original's, not this copy's */
	u.raw = NULL;
	u.rawn = 0;
	payload_xss_scan_depth(&u, a, depth + 1);
}

void payload_xss_enc_rescan(const struct payload_val *v, struct payload_acc *a, int depth)
{
	char s[PAYLOAD_MAX_VALUE + 1];
	size_t n;

	if (depth >= 2 || v->n > PAYLOAD_MAX_VALUE)
		return;
	/* a run that spells '<' may start with any code unit */
	if (payload_has(v, '+') && (n = utf7_decode(v->s, v->n, s)))
		rescan(v, s, n, a, depth);
	/* '<' is \74, \074, \x3c, \u003c, \u{3c}, or a literal '<' a tag name's escapes follow */
	if (payload_has(v, '\\') &&
	    (payload_find(v->lo, v->n, 0, "74") < v->n || payload_find(v->lo, v->n, 0, "3c") < v->n ||
	     payload_has(v, '<')) &&
	    (n = octal_decode(v->s, v->n, s)))
		rescan(v, s, n, a, depth);
}

/* ---- names split by NUL (moved from payload_xss.c) ---- */

/* o%00nerror=: an attribute name whose pieces, NULs dropped (as old
 * parsers dropped them), are a handler's name; s is the last piece, the
 * one given the value (reads at most 24 bytes back) */
int payload_xss_nul_split_event(const char *lo, struct span s)
{
	char b[48];
	size_t p = s.off, w = 0;

	while (p > 0 && s.off - p < 24 && (lo[p - 1] == '\0' || payload_is_alpha((unsigned char)lo[p - 1])))
		p--;
	for (; p < s.off + s.len && w < sizeof(b); p++)
		if (lo[p] != '\0')
			b[w++] = lo[p];
	return w > s.len && payload_xss_event_name(b, (struct span){0, w});
}

/* <scri%00pt>: a tag name split by NULs, which old parsers dropped */
void payload_xss_nul_split_name(const char *lo, size_t n, struct span tag, struct payload_acc *a)
{
	static const char *const bad[] = {"script", "iframe", "object", "embed"};
	char b[16];
	size_t w = 0;

	for (size_t i = tag.off; i < n && w + 1 < sizeof(b); i++) {
		if (lo[i] == '\0')
			continue;
		if (!payload_is_alpha((unsigned char)lo[i]))
			break;
		b[w++] = lo[i];
	}
	b[w] = '\0';
	for (size_t k = 0; w > tag.len && k < sizeof(bad) / sizeof(bad[0]); k++)
		if (!strcmp(b, bad[k]))
			payload_acc_hit(a, PAYLOAD_XSS, 75, "element name split by nul");
}
