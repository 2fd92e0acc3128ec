/* payload_b64.h - a value that is evidently base64 (sqlmap's base64encode
 * tamper, an application that wraps a parameter), unwrapped so the
 * injection detectors can judge what it carries. */
#ifndef SW_PAYLOAD_B64_H
#define SW_PAYLOAD_B64_H

#include <stddef.h>

#include "common/digit.h"

struct payload_val;
struct payload_acc;

#ifndef PAYLOAD_B64_MIN
#define PAYLOAD_B64_MIN 8   /* base64 digits of a wrapper taken on its shape */
/* Count into a what a weak (short) wrapper's text scored by itself: only
 * the kinds that reach PAYLOAD_MIN_SCORE. */
void payload_b64_merge(struct payload_acc *a, const struct payload_acc *sub);

#endif
#ifndef PAYLOAD_B64_SHORT
#define PAYLOAD_B64_SHORT 4 /* shorter is never unwrapped */
/* Count into a what a weak (short) wrapper's text scored by itself: only
 * the kinds that reach PAYLOAD_MIN_SCORE. */
void payload_b64_merge(struct payload_acc *a, const struct payload_acc *sub);

#endif

/* Decode s[0..n) into out (room for cap bytes) when the value is base64
 * or base64url (padding optional) and the bytes it carries are printable
 * ASCII text with a blank, a quote or punctuation a payload uses in place
 * of one (; ( | & / * $ { } ` < >), percent-decoded when it was encoded
 * before it was wrapped. Characters outside the alphabet are
 * skipped as lenient decoders do while they are a tenth of the value or
 * less. Under PAYLOAD_B64_MIN digits (then with no such characters) *weak
 * is set: the caller counts the text only when it is a payload by itself.
 * Returns the text's length, or 0 when the value is not such a wrapper. */
size_t payload_b64_unwrap(const char *s, size_t n, char *out, size_t cap, int *weak);

/* The value run_detectors (payload.c) hands the detectors: while it is
 * pushed, payload_b64_unwrap answers a repeated call for its bytes (the
 * same s and n) from the first one's refusal. push returns what to pop
 * back (runs nest: a JWT's strings are values too). */
struct payload_b64_memo {
	const char *s;
	size_t n;
	int state; /* -1: not asked, 0: refused, 1: text */
};
struct payload_b64_memo payload_b64_memo_push(const char *s, size_t n);
void payload_b64_memo_pop(struct payload_b64_memo old);

/* Does payload_b64_unwrap give text for s[0..n) (n up to
 * PAYLOAD_MAX_VALUE)? (1: yes; kept for the pushed value) */
int payload_b64_text(const char *s, size_t n);

/* Is s[0..n) worth payload_b64_unwrap's time, for a caller that reads
 * only values whose first byte is alphanumeric (letters, digits, '_')?
 * Not under PAYLOAD_B64_SHORT bytes, and not from a first digit of 32 or
 * more ('g'..'z', '0'..'9', '_'): the first byte it decodes would be 0x80
 * or more, which it refuses. Any other first byte is not alphanumeric. */
static inline int payload_b64_may(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];

	return n >= PAYLOAD_B64_SHORT && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'f'));
}

/* '+', as a form decoder may have left it (' '), counts as itself */
static inline int payload_b64_digit(unsigned char c)
{
	return c == ' ' ? 62 : digit_b64_any(c);
}

/* is c a byte payload_b64_unwrap's loop refuses (no text)? */
static inline int payload_b64_refused(unsigned c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c > 0x7e;
}

/* Does payload_b64_unwrap refuse s[0..n) at its first, second or third
 * byte? With three digits first (none skipped; the third is no '=', so
 * the '=' trimmed leaves them all before m), those bytes are the decoded
 * bytes 1 and 2, and a refused one returns 0 with *weak 0, as here: its
 * first test. Most values that reach it (words, hex ids: "Oslo" gives ':'
 * then 0xC9) stop there; this answers without the loop. A fourth digit
 * (no '=' either, so before m too) makes the third byte, read the same
 * way (hex ids: "b0f0" gives 'o', 'G', then 0xF4). */
static inline int payload_b64_head_refused(const char *s, size_t n)
{
	int d0, d1, d2, d3;

	if (n < 3 || (d0 = payload_b64_digit((unsigned char)s[0])) < 0 ||
	    (d1 = payload_b64_digit((unsigned char)s[1])) < 0 || (d2 = payload_b64_digit((unsigned char)s[2])) < 0)
		return 0;
	if (payload_b64_refused((unsigned)(d0 << 2 | d1 >> 4)) ||
	    payload_b64_refused((unsigned)((d1 & 15) << 4 | d2 >> 2)))
		return 1;
	return n >= 4 && (d3 = payload_b64_digit((unsigned char)s[3])) >= 0 &&
	       payload_b64_refused((unsigned)((d2 & 3) << 6 | d3));
}

/* Fill *w to describe the text t[0..tn) (lo: room for tn bytes, written
 * lower-cased) found inside v, for a detector to judge again; w->has has
 * every bit set (no census). */
void payload_b64_val(const struct payload_val *v, const char *t, size_t tn, char *lo,
		     struct payload_val *w);

/* Count into a what a weak (short) wrapper's text scored by itself: only
 * the kinds that reach PAYLOAD_MIN_SCORE. */
void payload_b64_merge(struct payload_acc *a, const struct payload_acc *sub);

#endif
