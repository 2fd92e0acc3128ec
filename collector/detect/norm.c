/* norm.c - bounded, allocation-free decoding of request values. */
#include "collector/detect/norm.h"
#include "common/digit.h"

#include <stdint.h>
#include <string.h>

/* Parse exactly n hex digits at s (n <= 8); -1 if any is not hex. */
static long hexn(const char *s, size_t avail, size_t n)
{
	long v = 0;

	if (avail < n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int h = digit_hex((unsigned char)s[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

size_t norm_utf8_put(unsigned long cp, char *out)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		out[0] = '?';
		return 1;
	}
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Named character references that matter for payloads (markup and
 * punctuation) plus the common text ones. Only the first four are accepted
 * without ';', as browsers do for legacy names. */
static const struct {
	const char *name;
	size_t len;
	unsigned long cp;
} html_names[] = {
#define HN(name, cp) {name, sizeof(name) - 1, cp}
	HN("lt", '<'), HN("gt", '>'), HN("amp", '&'), HN("quot", '"'),
	HN("apos", '\''), HN("nbsp", 0xA0), HN("lpar", '('), HN("rpar", ')'),
	HN("equals", '='), HN("comma", ','), HN("sol", '/'), HN("bsol", '\\'),
	HN("num", '#'), HN("colon", ':'), HN("semi", ';'), HN("Tab", '\t'),
	HN("NewLine", '\n'), HN("period", '.'), HN("excl", '!'), HN("lsqb", '['),
	HN("rsqb", ']'), HN("lbrack", '['), HN("rbrack", ']'), HN("lcub", '{'),
	HN("rcub", '}'), HN("lbrace", '{'), HN("rbrace", '}'), HN("grave", '`'),
	HN("plus", '+'), HN("percnt", '%'), HN("ast", '*'), HN("quest", '?'),
	HN("dollar", '$'), HN("lowbar", '_'), HN("verbar", '|'), HN("vert", '|'),
	HN("Hat", '^'), HN("commat", '@'), HN("hyphen", 0x2010), HN("dash", 0x2010),
	HN("LT", '<'), HN("GT", '>'), HN("AMP", '&'), HN("QUOT", '"'),
#undef HN
};

/* html_by_first[c]: bit k set when html_names[k] starts with byte c
 * (filled from the table; fewer than 64 names), so that html_ref reads
 * only the names that can match, in the table's order */
static uint64_t html_by_first[256];

__attribute__((constructor)) static void html_by_first_build(void)
{
	_Static_assert(sizeof(html_names) / sizeof(html_names[0]) <= 64, "html_by_first holds 64 names");
	for (size_t k = 0; k < sizeof(html_names) / sizeof(html_names[0]); k++)
		html_by_first[(unsigned char)html_names[k].name[0]] |= 1ull << k;
}

/* Decode an HTML character reference at s[0] == '&'. On success writes the
 * code point to *cp and returns the bytes consumed, else 0. */
static size_t html_ref(const char *s, size_t n, unsigned long *cp)
{
	size_t i = 1;

	if (n < 3)
		return 0;
	if (s[1] == '#') {
		unsigned long v = 0;
		int hex = 0, digits = 0;

		i = 2;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			hex = 1;
			i++;
		}
		/* leading zeros are a known padding evasion: &#0000060; */
		for (; i < n; i++) {
			int d = hex ? digit_hex((unsigned char)s[i]) :
				(s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
			if (d < 0)
				break;
			if (v <= 0x10FFFF)
				v = v * (hex ? 16 : 10) + (unsigned long)d;
			digits++;
		}
		if (!digits)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		*cp = v;
		return i;
	}
	/* the first letter decides most names */
	for (uint64_t m = html_by_first[(unsigned char)s[1]]; m; m &= m - 1) {
		size_t k = (size_t)__builtin_ctzll(m);
		const char *name = html_names[k].name;
		size_t nl = html_names[k].len;

		if (1 + nl > n || memcmp(s + 1, name, nl) != 0)
			continue;
		if (1 + nl < n && s[1 + nl] == ';') {
			*cp = html_names[k].cp;
			return 2 + nl;
		}
		if (k < 4) { /* legacy names work without ';' */
			*cp = html_names[k].cp;
			return 1 + nl;
		}
	}
	return 0;
}

/* bit f of norm_at[c]: byte c is one a decoding round of flag f acts at
 * (decode_round does nothing else at any other byte) */
static const unsigned char norm_at[256] = {
	['%'] = NORM_PERCENT, ['+'] = NORM_PLUS, ['&'] = NORM_HTML, ['\\'] = NORM_UNICODE,
};

/* One decoding round in place (every decoding shrinks, so the write index
 * never passes the read index). Sets *changed when anything was decoded,
 * and *first to the index of the first byte it acts at (n if none): the
 * bytes before it are left as they were, none a byte of flags. */
static size_t decode_round(char *b, size_t n, unsigned flags, int *changed, size_t *first)
{
	size_t r = 0, w;

	/* nothing is written before the first byte a round acts at */
	while (r < n && !(norm_at[(unsigned char)b[r]] & flags))
		r++;
	*first = w = r;
	while (r < n) {
		unsigned char c = (unsigned char)b[r];
		long v;

		if (!(norm_at[c] & flags)) {
			b[w++] = (char)c;
			r++;
			continue;
		}
		if ((flags & NORM_PERCENT) && c == '%') {
			if ((v = hexn(b + r + 1, n - r - 1, 2)) >= 0) {
				b[w++] = (char)v;
				r += 3;
				*changed = 1;
				continue;
			}
			if (r + 1 < n && (b[r + 1] == 'u' || b[r + 1] == 'U') &&
			    (v = hexn(b + r + 2, n - r - 2, 4)) >= 0) {
				w += norm_utf8_put((unsigned long)v, b + w);
				r += 6;
				*changed = 1;
				continue;
			}
		}
		if ((flags & NORM_PLUS) && c == '+') {
			b[w++] = ' ';
			r++;
			continue; /* not a "change": a second round must not repeat it */
		}
		if ((flags & NORM_HTML) && c == '&') {
			unsigned long cp;
			size_t used = html_ref(b + r, n - r, &cp);
			if (used) {
				char tmp[4];
				size_t k = norm_utf8_put(cp, tmp);
				memcpy(b + w, tmp, k);
				w += k;
				r += used;
				*changed = 1;
				continue;
			}
		}
		if ((flags & NORM_UNICODE) && c == '\\' && r + 1 < n) {
			char e = b[r + 1];
			if ((e == 'u' || e == 'U') && (v = hexn(b + r + 2, n - r - 2, 4)) >= 0) {
				unsigned long cp = (unsigned long)v;
				size_t used = 6;
				long lo;
				/* JSON-style surrogate pair */
				if (cp >= 0xD800 && cp <= 0xDBFF && r + 11 < n + 0 &&
				    b[r + 6] == '\\' && b[r + 7] == 'u' &&
				    (lo = hexn(b + r + 8, n - r - 8, 4)) >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
					used = 12;
				}
				w += norm_utf8_put(cp, b + w);
				r += used;
				*changed = 1;
				continue;
			}
			if (e == 'u' && r + 2 < n && b[r + 2] == '{') {
				size_t k = r + 3;
				unsigned long cp = 0;
				while (k < n && k < r + 11 && digit_hex((unsigned char)b[k]) >= 0)
					cp = cp * 16 + (unsigned long)digit_hex((unsigned char)b[k++]);
				if (k < n && b[k] == '}' && k > r + 3) {
					w += norm_utf8_put(cp, b + w);
					r = k + 1;
					*changed = 1;
					continue;
				}
			}
			if ((e == 'x' || e == 'X') && (v = hexn(b + r + 2, n - r - 2, 2)) >= 0) {
				b[w++] = (char)v;
				r += 4;
				*changed = 1;
				continue;
			}
		}
		b[w++] = (char)c;
		r++;
	}
	return w;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Collapse whitespace runs to one space and remove C-style comments
 * (UN/ ** /ION joins back to UNION); a MySQL executable comment "/ *!50000"
 * keeps its content, only the markers go. */
static size_t squeeze(char *b, size_t n)
{
	size_t r = 0, w = 0;
	int in_exec = 0;

	while (r < n) {
		unsigned char c = (unsigned char)b[r];
		if (c == '/' && r + 1 < n && b[r + 1] == '*') {
			if (r + 2 < n && b[r + 2] == '!') {
				r += 3;
				while (r < n && b[r] >= '0' && b[r] <= '9')
					r++;
				in_exec = 1;
				continue;
			}
			r += 2;
			while (r < n && !(b[r] == '*' && r + 1 < n && b[r + 1] == '/'))
				r++;
			r = r < n ? r + 2 : n;
			continue;
		}
		if (in_exec && c == '*' && r + 1 < n && b[r + 1] == '/') {
			in_exec = 0;
			r += 2;
			continue;
		}
		if (is_space(c)) {
			if (w == 0 || b[w - 1] != ' ')
				b[w++] = ' ';
			r++;
			continue;
		}
		b[w++] = (char)c;
		r++;
	}
	return w;
}

/* does b[0..n) hold a byte that a decoding round of flags acts on? */
static int needs_decoding(const char *b, size_t n, unsigned flags)
{
	for (size_t i = 0; i < n; i++)
		if (norm_at[(unsigned char)b[i]] & flags)
			return 1;
	return 0;
}

size_t norm_decode(const char *in, size_t len, char *out, size_t cap,
		   unsigned flags)
{
	unsigned dec = flags & (NORM_PERCENT | NORM_PLUS | NORM_HTML | NORM_UNICODE);
	size_t n;

	if (!out || cap == 0)
		return 0;
	n = len < cap - 1 ? len : cap - 1;
	if (n && in)
		memcpy(out, in, n);
	else
		n = 0;
	/* a round only acts at these bytes: most values hold none (the
	 * first round finds none, changes nothing and ends the loop) */
	for (int round = 0; dec && round < NORM_ROUNDS; round++) {
		int changed = 0;
		size_t first;

		n = decode_round(out, n, dec, &changed, &first);
		dec &= ~NORM_PLUS; /* '+' is form encoding: one layer only */
		/* a round with no byte to act at would change nothing; the
		 * bytes before first hold none of the round's (dec is fewer) */
		if (!changed || !needs_decoding(out + first, n - first, dec))
			break;
	}
	if (flags & NORM_LOWER)
		for (size_t i = 0; i < n; i++)
			if (out[i] >= 'A' && out[i] <= 'Z')
				out[i] = (char)(out[i] + 32);
	if (flags & NORM_SPACE)
		n = squeeze(out, n);
	out[n] = '\0';
	return n;
}
