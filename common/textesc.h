/* textesc.h - growable byte buffer and escapers for untrusted text.
 *
 * Everything a collector sends is untrusted (attacker bytes copied off the
 * wire, or a hostile collector). Before it reaches PostgreSQL or a terminal
 * it is made valid UTF-8 and escaped for where it goes:
 *   - invalid UTF-8: each byte that does not start a well-formed sequence
 *     (overlong, surrogate, > U+10FFFF, truncated) becomes U+FFFD;
 *   - NUL: becomes U+FFFD too (PostgreSQL text cannot hold it);
 *   - COPY text format: \ tab newline CR are written as \\ \t \n \r;
 *   - JSON: " \ and control characters escaped (\n, \u001f, ...).
 * Each escaper returns how many replacements it made, so callers can flag
 * the row as sanitized.
 */
#ifndef SW_TEXTESC_H
#define SW_TEXTESC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sbuf {
	char *p;
	size_t len, cap;
	int oom; /* an allocation failed: contents are incomplete */
};

void sbuf_reset(struct sbuf *b);
void sbuf_free(struct sbuf *b);
/* Make room for extra more bytes (and a NUL); -1 (and oom set) if not. */
int sbuf_grow(struct sbuf *b, size_t extra);

/* Append s[0..n); kept NUL-terminated. Inline: COPY rows are built from
 * many 4- to 12-byte pieces, which become plain stores. */
static inline void sbuf_put(struct sbuf *b, const void *s, size_t n)
{
	if ((b->oom || b->len + n + 1 > b->cap) && sbuf_grow(b, n) < 0)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append s[0..n) as a COPY text field; returns replacements made. */
size_t tx_copy(struct sbuf *b, const void *s, size_t n);
/* Append s[0..n) as the inside of a JSON string (no quotes). */
size_t tx_json(struct sbuf *b, const void *s, size_t n);
/* Append s[0..n) made valid UTF-8 without NUL, nothing escaped. */
size_t tx_clean(struct sbuf *b, const void *s, size_t n);
/* Append s[0..n) made valid UTF-8 without NUL as one double-quoted element
 * of a PostgreSQL array literal ('{"a","b"}'), for unnest() parameters. */
size_t tx_pgarr(struct sbuf *b, const void *s, size_t n);
/* A bounded, printable copy of attacker bytes into dst[cap] (cap >= 1),
 * always NUL-terminated: valid UTF-8 is kept (cut only between
 * characters), invalid bytes and NUL become U+FFFD, other control
 * characters '?'. For SQL parameters, keys and terminal text. */
void tx_printable(char *dst, size_t cap, const void *src, size_t n);
/* Length of the longest prefix of s[0..n) that is valid UTF-8 without NUL
 * (for tests and for cutting values at a character boundary). */
size_t tx_utf8_valid_prefix(const void *s, size_t n);

#endif /* SW_TEXTESC_H */
