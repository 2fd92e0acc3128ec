/* payload_json.c - the splitters for JSON bodies (every string, keys
 * too, unescaped and judged as a value; a value that is itself JSON one
 * level deep) and Cookie headers (every name and value), split from
 * payload.c. Each value goes to payload_scan_value (payload.c). */
#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static size_t json_unescape(const char *s, size_t n, char *out, size_t cap, size_t *used);

/* The index of the first '"' or '\\' of s[from..lim), or lim: one pass
 * (two memchr calls cost more on the short strings of most bodies) */
static size_t quote_or_escape(const char *s, size_t from, size_t lim)
{
	size_t i = from;

#ifdef __SSE2__
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');

	for (; i + 16 <= lim; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(s + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, b)));

		if (m)
			return i + (unsigned)__builtin_ctz(m);
	}
#endif
	for (; i < lim; i++)
		if (s[i] == '"' || s[i] == '\\')
			return i;
	return lim;
}

/* Judge the JSON string whose bytes start at s[from] (after its opening
 * quote) and end at its closing quote or at lim, as a value of a JSON
 * body, into a; returns the index of its end. Whole, however long (up to
 * PAYLOAD_MAX_SCAN, in windows as any value): in place when it holds no
 * escape (unescaping would copy it unchanged); else unescaped into buf
 * (cap bytes) a piece at a time. Each piece after the first starts
 * 2 * PAYLOAD_OVERLAP bytes of input before the last one ended (an escape
 * is at most 2 bytes read for 1 written, so they share at least
 * PAYLOAD_OVERLAP bytes of output, as windows do), never just after an
 * escaping backslash. A string was cut at cap - 4 bytes before: a payload
 * after 4100 bytes of padding was never judged. */
static size_t json_string_scan(const char *s, size_t lim, size_t from, char *buf, size_t cap,
			       struct payload_acc *a)
{
	size_t j = quote_or_escape(s, from, lim), pos, done = 0;

	/* the closing quote (or lim) comes before any backslash */
	if (j == lim || s[j] == '"') {
		payload_scan_json_string(s + from, j - from, a);
		return j;
	}
	for (j = from; j < lim && s[j] != '"'; j += s[j] == '\\' ? 2 : 1)
		;
	j = j < lim ? j : lim;
	for (pos = from; pos < j && done < PAYLOAD_MAX_SCAN;) {
		size_t used, w = json_unescape(s + pos, j - pos, buf, cap, &used), next, bs;

		payload_scan_json_string(buf, w, a);
		done += w;
		if (pos + used >= j || used <= 2 * PAYLOAD_OVERLAP)
			break;
		next = pos + used - 2 * PAYLOAD_OVERLAP;
		for (bs = 0; next - bs > pos && s[next - bs - 1] == '\\'; bs++)
			;
		pos = next - (bs & 1); /* an odd run of backslashes escapes s[next] */
	}
	return j;
}


/* A value that is itself JSON ({"id":"1 OR 1=1"} in a query parameter or
 * a header, which the application parses): each of its strings, keys
 * too, is judged as a value of a JSON body as well, one level deep (a
 * string holding JSON again is not opened). */
static __thread int json_opened;

void payload_json_embedded_scan(const char *dec, size_t n, struct payload_acc *a)
{
	char buf[PAYLOAD_MAX_VALUE + 8];
	size_t i = 0, e = n;

	while (i < n && payload_is_space((unsigned char)dec[i]))
		i++;
	while (e > i && payload_is_space((unsigned char)dec[e - 1]))
		e--;
	if (json_opened || e - i < 4 || !((dec[i] == '{' && dec[e - 1] == '}') ||
					   (dec[i] == '[' && dec[e - 1] == ']')))
		return;
	json_opened = 1;
	for (; i < e; i++) {
		if (dec[i] != '"')
			continue;
		i = json_string_scan(dec, e, i + 1, buf, sizeof(buf), a);
	}
	json_opened = 0;
}

/* Undo JSON string escapes of s[0..n) (the bytes between the quotes) into
 * out; returns the length. \uXXXX pairs become UTF-8. */
static size_t json_unescape(const char *s, size_t n, char *out, size_t cap, size_t *used)
{
	size_t w = 0, r;

	for (r = 0; r < n && w + 4 < cap; r++) {
		char c = s[r];
		if (c != '\\' || r + 1 >= n) {
			out[w++] = c;
			continue;
		}
		c = s[++r];
		switch (c) {
		case 'n': out[w++] = '\n'; break;
		case 't': out[w++] = '\t'; break;
		case 'r': out[w++] = '\r'; break;
		case 'b': out[w++] = '\b'; break;
		case 'f': out[w++] = '\f'; break;
		case 'u': {
			/* leave \uXXXX to norm_decode (it pairs surrogates) */
			out[w++] = '\\';
			out[w++] = 'u';
			break;
		}
		default: out[w++] = c; break; /* \" \\ \/ and unknown */
		}
	}
	*used = r;
	return w;
}

/* the bytes payload_scan_json steps over between strings: structure,
 * blanks (payload_is_space's) and the bytes of numbers */
static const unsigned char json_skel[256] = {
	['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, [','] = 1, [':'] = 1,
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\v'] = 1, ['\f'] = 1,
	['0' ... '9'] = 1, ['-'] = 1, ['+'] = 1, ['.'] = 1, ['e'] = 1, ['E'] = 1,
};

int payload_scan_json(const char *body, size_t len, struct payload_match *out, int max)
{
	struct payload_acc a;
	char buf[PAYLOAD_MAX_VALUE + 8];
	size_t i = 0;

	if (!out || max <= 0 || !body)
		return 0;
	memset(&a, 0, sizeof(a));
	while (i < len) {
		char c = body[i];
		if (c == '"') {
			i = json_string_scan(body, len, i + 1, buf, sizeof(buf), &a) + 1;
			continue;
		}
		/* punctuation, blanks and number bytes one at a time (none
		 * starts true, false or null) */
		if (json_skel[(unsigned char)c]) {
			i++;
			continue;
		}
		if (payload_at(body, len, i, "true") || payload_at(body, len, i, "null")) {
			i += 4;
			continue;
		}
		if (payload_at(body, len, i, "false")) {
			i += 5;
			continue;
		}
		/* not JSON: judge the rest as one raw value */
		payload_scan_value(body + i, len - i, PAYLOAD_WHERE_BODY,
			  NORM_PERCENT | NORM_HTML | NORM_UNICODE, &a);
		break;
	}
	payload_json_shape_scan(body, len < PAYLOAD_MAX_SCAN ? len : PAYLOAD_MAX_SCAN, &a);
	return payload_acc_out(&a, out, max);
}

int payload_scan_cookie(const char *hdr, size_t len, struct payload_match *out, int max)
{
	struct payload_acc a;
	size_t i = 0;

	if (!out || max <= 0 || !hdr)
		return 0;
	memset(&a, 0, sizeof(a));
	while (i < len) {
		size_t end = i, eq;
		while (i < end || (i < len && (hdr[i] == ' ' || hdr[i] == '\t')))
			i++;
		end = i;
		while (end < len && hdr[end] != ';')
			end++;
		eq = i;
		while (eq < end && hdr[eq] != '=')
			eq++;
		payload_scan_value(hdr + i, eq - i, PAYLOAD_WHERE_COOKIE, NORM_PERCENT | NORM_HTML | NORM_UNICODE, &a);
		if (eq < end) {
			size_t vs = eq + 1, ve = end;
			/* a quoted cookie value: the quotes are syntax */
			if (ve - vs >= 2 && hdr[vs] == '"' && hdr[ve - 1] == '"') {
				vs++;
				ve--;
			}
			payload_scan_value(hdr + vs, ve - vs, PAYLOAD_WHERE_COOKIE,
				  NORM_PERCENT | NORM_HTML | NORM_UNICODE, &a);
		}
		i = end + 1;
	}
	return payload_acc_out(&a, out, max);
}
