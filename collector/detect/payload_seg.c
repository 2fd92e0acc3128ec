/* payload_seg.c - a request path judged the way REST applications read it:
 * each segment a value (a route's {id} or {term}), matrix parameters
 * (name;k=v) value by value, and a payload that holds '/' (</script>,
 * cat /etc/passwd, an SQL comment) judged across the segments it spans. The SQL and
 * command detectors see a path only through these values (payload.c
 * leaves them out for the whole path). */
#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"

#include <string.h>

#define PATH_SEGMENTS_JUDGED 16
#define PATH_WRAPPED_MIN 16 /* the shortest plain segment judged (segment_wrapped) */

/* Do the two bytes at h spell a UTF-8 byte in hex ("%C3%A9"), and not one
 * of a form that folds to ASCII (fold_compat: overlong C0, C1, E0 and
 * full-width EF)? */
static int utf8_escape(const char *h)
{
	unsigned char a = (unsigned char)(h[0] | 32), b = (unsigned char)(h[1] | 32);

	if (!((a >= '8' && a <= '9') || (a >= 'a' && a <= 'f')) ||
	    !((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f')))
		return 0;
	return !((a == 'c' && (b == '0' || b == '1')) || (a == 'e' && (b == '0' || b == 'f')));
}

/* Does the raw segment s[0..n) hold a byte no plain name has? Plain: letters,
 * digits, "-._~", what e-mail addresses, map positions and base64 tokens
 * add ("@:,="), and percent-encoded UTF-8 (utf8_escape). A blank, '+' (a
 * blank to a form decoder: "3927+and+2158=2158"), a quote, a bracket, a
 * separator a shell or SQL reads, an escaped ASCII punctuation byte: odd. */
static int segment_odd(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (payload_is_alnum(c) || c >= 0x80 || strchr("-.~@:,=", c))
			continue;
		if (c == '%' && i + 2 < n && utf8_escape(s + i + 1))
			continue;
		return 1;
	}
	return 0;
}

/* Judge p[0..n) as a value an application read from its path, as a query
 * value is (a path segment is one). A raw '+' is a blank: a client's path
 * encoder escapes a literal plus (%2B), so a raw one was written by a form
 * encoder, and PHP's urldecode, .NET's UrlDecode and servlets that
 * form-decode read it so (read literally, "sleep(8)+hours" is arithmetic).
 * Kinds in mask only: a run of segments still holds '/' as the path's
 * separator, which traversal judges on the whole path. */
static void scan_path_value(const char *p, size_t n, unsigned mask, struct payload_acc *a)
{
	struct payload_acc one;
	unsigned f = NORM_PERCENT | NORM_HTML | NORM_UNICODE;

	memset(&one, 0, sizeof(one));
	payload_scan_value(p, n, PAYLOAD_WHERE_QUERY, memchr(p, '+', n) ? f | NORM_PLUS : f, &one);
	for (int k = 1; k < PAYLOAD__COUNT; k++)
		if (mask & (1u << k))
			payload_acc_hit(a, (enum payload_kind)k, one.score[k], one.why[k]);
}

/* Is the raw segment s[0..n) in matrix form, name(;key=value)+ (RFC 3986
 * 3.3: /cars;color=red;year=2012, Spring's @MatrixVariable, JAX-RS
 * @MatrixParam, ;jsessionid=)? Then a servlet strips the parameters and
 * the application reads the name and each value apart: each is judged as
 * a value of its own, not the segment whole ("1;DROP TABLE x" and
 * "ls -la;lang=en" differ by the '=' of a plain key). */
static int scan_matrix(const char *s, size_t n, unsigned mask, struct payload_acc *a)
{
	const char *semi = memchr(s, ';', n);
	size_t from;

	if (!semi)
		return 0;
	for (from = (size_t)(semi - s) + 1; from <= n;) {
		size_t k = from;

		while (k < n && (payload_is_alnum((unsigned char)s[k]) || s[k] == '-' || s[k] == '.'))
			k++;
		if (k == from || k == n || s[k] != '=')
			return 0;
		while (k < n && s[k] != ';')
			k++;
		from = k + 1;
	}
	scan_path_value(s, (size_t)(semi - s), mask, a);
	for (from = (size_t)(semi - s) + 1; from < n;) {
		size_t eq = from, end = from;

		while (end < n && s[end] != ';')
			end++;
		while (s[eq] != '=')
			eq++;
		if (eq + 1 < end)
			scan_path_value(s + eq + 1, end - eq - 1, mask, a);
		from = end + 1;
	}
	return 1;
}

/* Could the plain segment s[0..n) be a payload wrapped in base64 or
 * base64url (payload_b64.c unwraps it)? Long, with upper- and lower-case
 * letters and a digit: not a slug, a hex hash or a UUID. */
static int segment_wrapped(const char *s, size_t n)
{
	int up = 0, low = 0, dig = 0;

	if (n < PATH_WRAPPED_MIN)
		return 0;
	for (size_t i = 0; i < n; i++) {
		up |= s[i] >= 'A' && s[i] <= 'Z';
		low |= s[i] >= 'a' && s[i] <= 'z';
		dig |= s[i] >= '0' && s[i] <= '9';
	}
	return up && low && dig;
}

/* a byte of a name: what a raw '/' between two of them separates */
static int name_byte(unsigned char c)
{
	return payload_is_alnum(c) || c >= 0x80 || c == '-' || c == '.' || c == '~';
}

/* Where does the value that starts at the raw path offset from end? A
 * payload holds '/' of its own (</script>, / * * / comments, cat /etc/passwd,
 * <svg/onload=...>) where a path's separator sits between two names: a
 * '/' continues the value when the byte before it (decoded from %XX) is
 * no name byte, when '*' follows, or when the word it ends (since the last
 * blank: ' ', '+', %20, %09, %0A, %0D) holds a byte no name has, a '/'
 * continuing the value among them. "ls -la explained/results" stops at
 * its '/', "cat%20/etc/passwd" and "2>1/details" run on. */
static size_t value_end(const char *p, size_t len, size_t from)
{
	int odd_word = 0;
	unsigned char last = 0;

	for (size_t i = from; i < len;) {
		unsigned char c = (unsigned char)p[i];
		size_t step = 1;
		char d[4];

		/* one escape, one layer: norm_decode leaves "%zz" as it is */
		if (c == '%' && i + 2 < len && norm_decode(p + i, 3, d, sizeof(d), NORM_PERCENT) == 1) {
			c = (unsigned char)d[0];
			step = 3;
		} else if (c == '/') {
			if (!odd_word && name_byte(last) && !(i + 1 < len && p[i + 1] == '*'))
				return i;
			odd_word = 1;
		}
		if (c == ' ' || c == '+' || c == '\t' || c == '\n' || c == '\r')
			odd_word = 0;
		else if (!name_byte(c))
			odd_word = 1;
		last = c;
		i += step;
	}
	return len;
}

#define KINDS_ALL (((1u << PAYLOAD__COUNT) - 1) & ~1u)
#define KINDS_TAIL (KINDS_ALL & ~(1u << PAYLOAD_TRAVERSAL))

/* A REST API reads values from its path (/api/items/<id>/details): what
 * makes a value an injection at its start (a number then a boolean, a
 * quote closing a string, "() {") counts at a segment's start too. Each of
 * the first PATH_SEGMENTS_JUDGED odd segments (segment_odd) is judged as a
 * value, decoded, so an escaped '/' stays in it (..%2F, cat%20%2Fetc), or
 * its name and matrix parameters apart. When the value runs on past the
 * segment's end (value_end), the run is judged as one value too, from the
 * segment before when the odd one opens with '*' (a "/ *" comment).
 * A plain segment is judged when it may be base64 (segment_wrapped).
 * Bounded: PATH_SEGMENTS_JUDGED segments, one run each at most, then the
 * rest of the path as one value. */
void payload_scan_segments(const char *p, size_t len, struct payload_acc *a)
{
	size_t i = 0, prev = 0, covered = 0;
	int seen = 0, odd;

	while (i < len) {
		size_t e = i;

		if (seen == PATH_SEGMENTS_JUDGED) {
			/* the rest at once: padding cannot hide a segment */
			if (i >= covered)
				scan_path_value(p + i, len - i, KINDS_TAIL, a);
			return;
		}

		while (e < len && p[e] != '/')
			e++;
		odd = e > i && segment_odd(p + i, e - i);
		if (!odd && segment_wrapped(p + i, e - i)) {
			scan_path_value(p + i, e - i, KINDS_TAIL, a);
			seen++;
		} else if (odd) {
			size_t from = p[i] == '*' ? prev : i, end;

			/* a dot segment is the path's own syntax ("..;" too),
			 * judged on the whole; a segment holding an escaped
			 * separator is a file name of its own */
			unsigned mask = memchr(p + i, '%', e - i) || memchr(p + i, '\\', e - i) ?
						KINDS_ALL : KINDS_TAIL;

			if (!scan_matrix(p + i, e - i, mask, a))
				scan_path_value(p + i, e - i, mask, a);
			if (i >= covered && (end = value_end(p, len, from)) > e) {
				scan_path_value(p + from, end - from, KINDS_TAIL, a);
				covered = end;
			}
			seen++;
		}
		prev = i;
		i = e + 1;
	}
}
