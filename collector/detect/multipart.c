/* multipart.c - see multipart.h. */
#include "collector/detect/multipart.h"

#include <string.h>
#include <strings.h>

static size_t skip_ws(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* The value of parameter key (any case) among the ";"-separated
 * parameters of a header value s[0..n), its first item skipped (the media
 * type, or "form-data"). Quoted values lose their quotes; a backslash
 * inside quotes keeps the byte after it from closing them. */
static int param(const char *s, size_t n, const char *key, const char **v,
		 size_t *vl)
{
	size_t i = 0, kl = strlen(key);

	while (i < n) {
		int q = 0;

		for (; i < n; i++) {
			if (s[i] == '"')
				q = !q;
			else if (s[i] == '\\' && q && i + 1 < n)
				i++;
			else if (s[i] == ';' && !q)
				break;
		}
		if (i >= n)
			return 0;
		i = skip_ws(s, i + 1, n);
		if (n - i > kl && strncasecmp(s + i, key, kl) == 0) {
			size_t j = skip_ws(s, i + kl, n), e;

			if (j >= n || s[j] != '=')
				continue;
			j = skip_ws(s, j + 1, n);
			if (j < n && s[j] == '"') {
				for (e = ++j; e < n && s[e] != '"'; e++)
					if (s[e] == '\\' && e + 1 < n)
						e++;
			} else {
				for (e = j; e < n && s[e] != ';' && s[e] != ' ' &&
					    s[e] != '\t'; e++)
					;
			}
			*v = s + j;
			*vl = (e < n ? e : n) - j;
			return 1;
		}
	}
	return 0;
}

size_t multipart_boundary(const char *ct, size_t ctl,
			  char out[MULTIPART_BOUNDARY_MAX + 1])
{
	const char *v;
	size_t vl, i;

	out[0] = '\0';
	if (!ct || !param(ct, ctl, "boundary", &v, &vl) || !vl ||
	    vl > MULTIPART_BOUNDARY_MAX)
		return 0;
	for (i = 0; i < vl; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
			return 0;
	memcpy(out, v, vl);
	out[vl] = '\0';
	return vl;
}

/* The next delimiter line "--boundary" at or after from: at the body's
 * start or right after a line feed. NULL when there is none. */
static const char *delim(const char *from, const char *end, const char *body,
			 const char *d, size_t dl)
{
	while (from < end) {
		const char *h = memmem(from, (size_t)(end - from), d, dl);

		if (!h)
			return NULL;
		if (h == body || h[-1] == '\n')
			return h;
		from = h + 1;
	}
	return NULL;
}

/* Where a part's content ends: before the line break ahead of its
 * delimiter (CRLF, or a bare LF). */
static const char *content_end(const char *start, const char *d)
{
	if (d > start && d[-1] == '\n')
		d--;
	if (d > start && d[-1] == '\r')
		d--;
	return d;
}

static void header(const char *l, size_t n, struct multipart_part *p)
{
	static const char cd[] = "content-disposition:", ctn[] = "content-type:";
	size_t i;

	if (n > sizeof(cd) - 1 && strncasecmp(l, cd, sizeof(cd) - 1) == 0) {
		l += sizeof(cd) - 1;
		n -= sizeof(cd) - 1;
		if (!param(l, n, "name", &p->name, &p->name_len))
			p->name = NULL;
		if (!param(l, n, "filename", &p->filename, &p->filename_len))
			p->filename = NULL;
	} else if (n > sizeof(ctn) - 1 && strncasecmp(l, ctn, sizeof(ctn) - 1) == 0) {
		i = skip_ws(l, sizeof(ctn) - 1, n);
		p->ctype = l + i;
		p->ctype_len = n - i;
	}
}

/* A part's header block from p: the fields it names into part; returns
 * where the content starts, NULL when no blank line ends the block within
 * MULTIPART_MAX_HDRS bytes. */
static const char *headers(const char *p, const char *end,
			   struct multipart_part *part)
{
	const char *start = p;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (!nl || nl + 1 - start > MULTIPART_MAX_HDRS)
			return NULL;
		n = (size_t)(nl - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (!n)
			return nl + 1;
		header(p, n, part);
		p = nl + 1;
	}
	return NULL;
}

unsigned multipart_each(const char *body, size_t n, const char *boundary,
			size_t blen, int lead_is_part,
			void (*fn)(void *ctx, const struct multipart_part *p),
			void *ctx, struct multipart_stats *st)
{
	char d[MULTIPART_BOUNDARY_MAX + 2];
	const char *end = body + n, *next, *p;
	struct multipart_stats s = { 0, 0, 0 };
	struct multipart_part part;
	size_t dl = blen + 2;

	if (!body || !blen || blen > MULTIPART_BOUNDARY_MAX)
		goto out;
	d[0] = d[1] = '-';
	memcpy(d + 2, boundary, blen);
	next = delim(body, end, body, d, dl);
	if (lead_is_part) {
		memset(&part, 0, sizeof(part));
		part.data = body;
		part.len = (size_t)(content_end(body, next ? next : end) - body);
		if (part.len) {
			fn(ctx, &part);
			s.parts++;
		}
	}
	while (next) {
		const char *nl, *c;

		p = next + dl;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the close delimiter */
		nl = memchr(p, '\n', (size_t)(end - p)); /* transport padding */
		if (!nl)
			break;
		p = nl + 1;
		memset(&part, 0, sizeof(part));
		c = headers(p, end, &part);
		if (!c) {
			/* headers too long or unended: what follows is still
			 * read, as a part without headers */
			s.bad_headers++;
			memset(&part, 0, sizeof(part));
			c = p;
		}
		next = delim(c, end, body, d, dl);
		part.data = c;
		part.len = (size_t)(content_end(c, next ? next : end) - c);
		if (!part.len && !part.name && !part.filename)
			continue; /* nothing to read (a body cut after a delimiter) */
		if (s.parts >= MULTIPART_MAX_PARTS) {
			s.over_parts++;
			continue;
		}
		fn(ctx, &part);
		s.parts++;
	}
out:
	if (st)
		*st = s;
	return s.parts;
}
