/* utf8.h - the one UTF-8 validator: JSON output (common/json.c) and the
 * correlator's COPY/JSON escapers (common/textesc.c) both cut and replace
 * by it, so a byte is valid or not the same way everywhere.
 */
#ifndef SW_UTF8_H
#define SW_UTF8_H

#include <stddef.h>

/* Length (1..4) of the well-formed UTF-8 sequence at s, n bytes left; 0
 * when the first byte does not start one: NUL, a continuation byte, an
 * overlong form, a surrogate, past U+10FFFF, or cut short (RFC 3629). */
size_t utf8_seq(const void *s, size_t n);

/* Bytes of the longest well-formed prefix of s[0..n). */
size_t utf8_valid_prefix(const void *s, size_t n);

#endif /* SW_UTF8_H */
