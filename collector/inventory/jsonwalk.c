/* jsonwalk.c - one iterative walk over a JSON body for the inventory:
 * every value with its path and key, in constant memory. */
#include "collector/inventory/jsonwalk.h"
#include "common/digit.h"

#include <string.h>

static int is_digit(int c) { return c >= '0' && c <= '9'; }




struct jpath {
	char p[JSONWALK_MAX_PATH + 1];
	/* at each depth (one more for a scalar's key): path length, the
	 * container's kind ('{' or '['), the key it sits under */
	size_t len[JSONWALK_MAX_DEPTH + 2];
	char kind[JSONWALK_MAX_DEPTH + 2];
	char key[JSONWALK_MAX_DEPTH + 2][JSONWALK_MAX_KEY + 1];
	size_t klen[JSONWALK_MAX_DEPTH + 2];
	unsigned depth;
};

/* Enter a container of kind '{' or '['; its place in the path is ".key"
 * under an object, "[]" under an array, nothing at the top. */
static void path_push(struct jpath *jp, char kind, const char *key,
		      size_t klen)
{
	size_t at = jp->len[jp->depth], room = JSONWALK_MAX_PATH - at;
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
				if (p + 4 > n || digit_hex((unsigned char)b[p]) < 0 || digit_hex((unsigned char)b[p + 1]) < 0 ||
				    digit_hex((unsigned char)b[p + 2]) < 0 || digit_hex((unsigned char)b[p + 3]) < 0) {
					c = '?';
					break;
				}
				cp = (unsigned)(digit_hex((unsigned char)b[p]) << 12 | digit_hex((unsigned char)b[p + 1]) << 8 |
						digit_hex((unsigned char)b[p + 2]) << 4 | digit_hex((unsigned char)b[p + 3]));
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

/* Report a value at the current depth: under an object at ".key", in an
 * array at "[]", named by its own key or its array's. */
static void emit(struct jpath *jp, jsonwalk_fn fn, void *ctx,
		 enum jsonwalk_type type, const char *key, size_t klen,
		 const char *v, size_t n, unsigned piece)
{
	struct jsonwalk_item it = { jp->p, key, klen, v, n, type, piece };
	size_t at = jp->len[jp->depth];
	char kind = jp->kind[jp->depth];

	if (kind == '{') {
		path_push(jp, '{', key, klen);
		it.path = jp->p;
		fn(ctx, &it);
		path_pop(jp);
		return;
	}
	if (kind == '[') {
		it.key = jp->key[jp->depth];
		it.klen = jp->klen[jp->depth];
		if (at + 2 <= JSONWALK_MAX_PATH)
			memcpy(jp->p + at, "[]", 3);
	}
	fn(ctx, &it);
	jp->p[at] = '\0';
}

int jsonwalk(const char *body, size_t len, size_t max_scan, jsonwalk_fn fn,
	     void *ctx)
{
	struct jpath jp;
	char key[JSONWALK_MAX_KEY + 1], val[JSONWALK_PIECE];
	size_t klen = 0, i = 0, n = len < max_scan ? len : max_scan;
	size_t skip_depth = 0; /* levels past JSONWALK_MAX_DEPTH */
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
			if (skip_depth || jp.depth >= JSONWALK_MAX_DEPTH) {
				skip_depth++;
				continue;
			}
			emit(&jp, fn, ctx, c == '{' ? JSONWALK_OBJECT : JSONWALK_ARRAY,
			     key, klen, NULL, 0, 0);
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
			unsigned piece = 0;

			i++;
			if (want_key && jp.kind[jp.depth] == '{') {
				klen = jstring(body, n, &i, key, JSONWALK_MAX_KEY, &more);
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
					emit(&jp, fn, ctx, JSONWALK_STRING, key, klen,
					     val, vn, piece);
				piece++;
			} while (more);
			piece = 0;
		} else {
			size_t b = i;

			while (i < n && !strchr(" \t\r\n,:]}\"{[", body[i]))
				i++;
			if (i == b)
				i++; /* a byte JSON has no place for */
			else if (!skip_depth)
				emit(&jp, fn, ctx,
				     body[b] == '-' || is_digit(body[b]) ?
				     JSONWALK_NUMBER : JSONWALK_LITERAL,
				     key, klen, body + b, i - b, 0);
		}
	}
	return jp.depth == 0 && !skip_depth ? 0 : -1;
}
