/* textesc.c - UTF-8 sanitizing escapers for COPY text and JSON. */
#include "common/textesc.h"
#include "common/json.h"
#include "common/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sbuf_grow(struct sbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1, ncap;
	char *n;

	if (b->oom)
		return -1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 4096;
	while (ncap < need)
		ncap *= 2;
	n = realloc(b->p, ncap);
	if (!n) {
		b->oom = 1;
		return -1;
	}
	b->p = n;
	b->cap = ncap;
	return 0;
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->p)
		b->p[0] = '\0';
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sbuf_grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

size_t tx_utf8_valid_prefix(const void *s, size_t n)
{
	return utf8_valid_prefix(s, n);
}

enum mode { M_RAW, M_COPY, M_JSON };

static size_t escape(struct sbuf *b, const void *s, size_t n, enum mode m)
{
	static const char fffd[] = "\xEF\xBF\xBD";
	const unsigned char *p = s;
	size_t i = 0, bad = 0;

	if (sbuf_grow(b, n + 16) < 0)
		return 0;
	while (i < n) {
		size_t k, run = i;
		unsigned char c;

		/* the common case: a run of printable ASCII that no mode changes,
		 * copied in one go instead of byte by byte */
		while (run < n && p[run] >= 0x20 && p[run] < 0x7f &&
		       p[run] != '\\' && (m != M_JSON || p[run] != '"'))
			run++;
		if (run > i) {
			sbuf_put(b, p + i, run - i);
			i = run;
			continue;
		}
		k = utf8_seq(p + i, n - i);
		c = p[i];

		if (k == 0) {
			sbuf_put(b, fffd, 3);
			bad++;
			i++;
			continue;
		}
		if (k > 1) {
			sbuf_put(b, p + i, k);
			i += k;
			continue;
		}
		i++;
		if (m == M_RAW) {
			sbuf_put(b, &c, 1);
		} else if (m == M_COPY) {
			switch (c) {
			case '\\': sbuf_put(b, "\\\\", 2); break;
			case '\t': sbuf_put(b, "\\t", 2); break;
			case '\n': sbuf_put(b, "\\n", 2); break;
			case '\r': sbuf_put(b, "\\r", 2); break;
			default: sbuf_put(b, &c, 1);
			}
		} else {
			char e[7];

			sbuf_put(b, e, json_escape_ascii(c, e));
		}
	}
	return bad;
}

size_t tx_copy(struct sbuf *b, const void *s, size_t n)
{
	return escape(b, s, n, M_COPY);
}

size_t tx_json(struct sbuf *b, const void *s, size_t n)
{
	return escape(b, s, n, M_JSON);
}

size_t tx_clean(struct sbuf *b, const void *s, size_t n)
{
	return escape(b, s, n, M_RAW);
}

size_t tx_pgarr(struct sbuf *b, const void *s, size_t n)
{
	size_t bad, i, start, end, nsp = 0, w;

	/* clean first, then quote: only '"' and '\\' are special inside a
	 * double-quoted array element; everything else (commas, braces,
	 * spaces, the word NULL) is taken literally. Cleaned in place in b,
	 * then the specials get their backslash from the back (no copy). */
	sbuf_put(b, "\"", 1);
	start = b->len;
	bad = escape(b, s, n, M_RAW);
	end = b->len;
	for (i = start; i < end; i++)
		nsp += b->p[i] == '"' || b->p[i] == '\\';
	for (i = 0; i < nsp; i++)
		sbuf_put(b, "\\", 1); /* room for them */
	if (nsp && !b->oom) {
		w = b->len;
		for (i = end; i-- > start;) {
			b->p[--w] = b->p[i];
			if (b->p[i] == '"' || b->p[i] == '\\')
				b->p[--w] = '\\';
		}
	}
	sbuf_put(b, "\"", 1);
	return bad;
}

void tx_printable(char *dst, size_t cap, const void *src, size_t n)
{
	const unsigned char *p = src;
	struct sbuf t = {0};
	size_t i, k = 0;

	if (!cap)
		return;
	/* the common case, printable ASCII: the same bytes, without the
	 * cleaning copy (the path below gives the same result for it) */
	for (i = 0; i < n && i + 1 < cap && p[i] >= 0x20 && p[i] < 0x7f; i++)
		dst[i] = (char)p[i];
	if (i == n || i + 1 == cap) {
		dst[i] = '\0';
		return;
	}
	tx_clean(&t, src, n);
	for (i = 0; i < t.len && k + 1 < cap; i++) {
		unsigned char ch = (unsigned char)t.p[i];

		/* cut only at a character boundary */
		if (ch >= 0x80 && (ch & 0xC0) != 0x80) {
			size_t l = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;

			if (k + l + 1 > cap)
				break;
		}
		dst[k++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	dst[k] = '\0';
	sbuf_free(&t);
}
