/* dataclass_json.c - sensitive data classes in a JSON body: an
 * iterative walk over every string and number with the path and key it
 * sits under; the classes themselves are dataclass.c's.
 */
#include "collector/inventory/dataclass.h"
#include "collector/inventory/dataclass_int.h"

#include <string.h>

#define PIECE 4096 /* a string is unescaped and scanned in pieces this long */


struct jpath {
	char p[DATACLASS_MAX_PATH + 1];
	/* at each depth (one more for a scalar's key): path length, the
	 * container's kind ('{' or '['), the key it sits under */
	size_t len[DATACLASS_MAX_DEPTH + 2];
	char kind[DATACLASS_MAX_DEPTH + 2];
	char key[DATACLASS_MAX_DEPTH + 2][MAX_NAME + 1];
	size_t klen[DATACLASS_MAX_DEPTH + 2];
	unsigned depth;
};

/* Enter a container of kind '{' or '['; its place in the path is ".key"
 * under an object, "[]" under an array, nothing at the top. */
static void path_push(struct jpath *jp, char kind, const char *key,
		      size_t klen)
{
	size_t at = jp->len[jp->depth], room = DATACLASS_MAX_PATH - at;
	char parent = jp->kind[jp->depth];

	if (parent == '[' && room >= 2) {
		memcpy(jp->p + at, "[]", 2);
		at += 2;
	} else if (parent == '{' && room >= 1) {
		jp->p[at++] = '.';
		room--;
		if (klen > room)
			klen = room;
		memcpy(jp->p + at, key, klen);
		at += klen;
	}
	jp->p[at] = '\0';
	jp->depth++;
	jp->len[jp->depth] = at;
	jp->kind[jp->depth] = kind;
	/* a scalar in an array is named by the array's key */
	if (parent == '{') {
		memcpy(jp->key[jp->depth], key, klen);
		jp->klen[jp->depth] = klen;
	} else {
		memcpy(jp->key[jp->depth], jp->key[jp->depth - 1],
		       jp->klen[jp->depth - 1]);
		jp->klen[jp->depth] = jp->klen[jp->depth - 1];
	}
}

static void path_pop(struct jpath *jp)
{
	if (jp->depth > 0)
		jp->depth--;
	jp->p[jp->len[jp->depth]] = '\0';
}

static int hexv(int c)
{
	if (is_digit(c))
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Unescape the JSON string at b[*i] (after its opening quote) into out,
 * up to cap bytes; *i moves past the closing quote, or, when out filled
 * first, to where the next piece starts and *more is set. \u escapes
 * become UTF-8; a lone surrogate becomes '?'. */
static size_t jstring(const char *b, size_t n, size_t *i, char *out,
		      size_t cap, int *more)
{
	size_t k = 0, p = *i;

	*more = 0;
	while (p < n && b[p] != '"') {
		unsigned cp;
		char c;

		if (k + 3 > cap) {
			*more = 1;
			*i = p;
			return k;
		}
		c = b[p++];
		if (c == '\\' && p < n) {
			c = b[p++];
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u':
				if (p + 4 > n || hexv(b[p]) < 0 || hexv(b[p + 1]) < 0 ||
				    hexv(b[p + 2]) < 0 || hexv(b[p + 3]) < 0) {
					c = '?';
					break;
				}
				cp = (unsigned)(hexv(b[p]) << 12 | hexv(b[p + 1]) << 8 |
						hexv(b[p + 2]) << 4 | hexv(b[p + 3]));
				p += 4;
				if (cp < 0x80) {
					c = (char)cp;
					break;
				}
				if (cp >= 0xD800 && cp <= 0xDFFF) {
					c = '?';
					break;
				}
				if (cp < 0x800) {
					out[k++] = (char)(0xC0 | cp >> 6);
				} else {
					out[k++] = (char)(0xE0 | cp >> 12);
					out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				}
				out[k++] = (char)(0x80 | (cp & 0x3F));
				continue;
			default:
				break; /* \" \\ \/ and anything else: itself */
			}
		}
		out[k++] = c;
	}
	*i = p < n ? p + 1 : p;
	return k;
}

/* A scalar (string already unescaped, or a number/literal as written)
 * found under key at the current path. */
static void json_scalar(struct dataclass_scan *s, struct jpath *jp, const char *key,
			size_t klen, const char *v, size_t n)
{
	struct dataclass_field f;

	dataclass_field_init(&f, key, klen);
	if (jp->kind[jp->depth] == '{') {
		path_push(jp, '{', key, klen);
		s->path = jp->p;
		dataclass_scan_text(s, &f, v, n);
		path_pop(jp);
	} else {
		size_t at = jp->len[jp->depth];
		int arr = jp->kind[jp->depth] == '[';

		if (arr) {
			dataclass_field_init(&f, jp->key[jp->depth],
					     jp->klen[jp->depth]);
			if (at + 2 <= DATACLASS_MAX_PATH)
				memcpy(jp->p + at, "[]", 3);
		}
		s->path = jp->p;
		dataclass_scan_text(s, &f, v, n);
		jp->p[at] = '\0';
	}
}

unsigned dataclass_scan_json(const char *body, size_t len,
			     struct dataclass_counts *counts,
			     dataclass_found_fn fn, void *ctx)
{
	struct dataclass_scan s = { counts, fn, ctx, "$", 0 };
	struct jpath jp;
	char key[MAX_NAME + 1], val[PIECE];
	size_t klen = 0, i = 0, n = len < DATACLASS_MAX_SCAN ? len : DATACLASS_MAX_SCAN;
	size_t skip_depth = 0; /* levels past DATACLASS_MAX_DEPTH */
	int want_key = 0, more;

	memcpy(jp.p, "$", 2);
	jp.len[0] = 1;
	jp.kind[0] = 0;
	jp.klen[0] = 0;
	jp.depth = 0;
	while (i < n) {
		char c = body[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == ',' || c == ':') {
			if (c == ',' && jp.kind[jp.depth] == '{')
				want_key = 1;
			i++;
		} else if (c == '{' || c == '[') {
			i++;
			if (skip_depth || jp.depth >= DATACLASS_MAX_DEPTH) {
				skip_depth++;
				continue;
			}
			path_push(&jp, c, key, klen);
			want_key = c == '{';
			klen = 0;
		} else if (c == '}' || c == ']') {
			i++;
			if (skip_depth) {
				skip_depth--;
				continue;
			}
			path_pop(&jp);
			want_key = 0;
		} else if (c == '"') {
			size_t vn;

			i++;
			if (want_key && jp.kind[jp.depth] == '{') {
				klen = jstring(body, n, &i, key, MAX_NAME, &more);
				while (more) { /* the rest of a long key */
					char rest[64];

					jstring(body, n, &i, rest, sizeof(rest), &more);
				}
				want_key = 0;
				continue;
			}
			/* a long string in pieces: a token across a piece
			 * border is not seen, each piece is */
			do {
				vn = jstring(body, n, &i, val, sizeof(val), &more);
				if (!skip_depth)
					json_scalar(&s, &jp, key, klen, val, vn);
			} while (more);
		} else {
			size_t b = i;

			while (i < n && !strchr(" \t\r\n,:]}\"{[", body[i]))
				i++;
			if (i == b)
				i++; /* a byte JSON has no place for */
			else if (!skip_depth)
				json_scalar(&s, &jp, key, klen, body + b, i - b);
		}
	}
	return s.found;
}
