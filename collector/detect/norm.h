/* norm.h - decode a request value before payload detectors match on it.
 *
 * Attackers hide payloads behind encodings that the application undoes
 * (percent, HTML entities, JS escapes) and often behind two layers of them,
 * so detectors match on the decoded form. Pure function: no allocation, no
 * I/O, output bounded by the caller's buffer.
 *
 * Byte policy: decoded bytes are not validated as UTF-8. %XX and \xXX yield
 * the raw byte, so invalid or overlong UTF-8 (%c0%af) is KEPT AS BYTES;
 * detectors that care (path traversal) recognise overlong forms themselves.
 * Code points from %uXXXX, \uXXXX and &#N; are written as UTF-8; a surrogate
 * (unpaired), U+0000 from an entity, or a value above U+10FFFF becomes '?'.
 * %00 stays a NUL byte: it is detection input.
 */
#ifndef SW_NORM_H
#define SW_NORM_H

#include <stddef.h>

#define NORM_PERCENT (1u << 0) /* %XX and %uXXXX */
#define NORM_PLUS    (1u << 1) /* '+' as space (form / query encoding) */
#define NORM_HTML    (1u << 2) /* &lt; &#39; &#x27; named + numeric */
#define NORM_UNICODE (1u << 3) /* \uXXXX, \u{X..}, \xXX */
#define NORM_LOWER   (1u << 4) /* ASCII lower-case (after decoding) */
#define NORM_SPACE   (1u << 5) /* whitespace runs -> one space, drop C comments */
#define NORM_ALL     (NORM_PERCENT | NORM_PLUS | NORM_HTML | NORM_UNICODE | \
		      NORM_LOWER | NORM_SPACE)

#ifndef NORM_ROUNDS
#define NORM_ROUNDS 5 /* decoding rounds while the output still changes */
#endif

/* Decode in[0..len) into out (cap bytes, NUL-terminated when cap > 0).
 * Input that does not fit is cut; decoding only shrinks, so at most cap-1
 * input bytes are consumed. Returns the output length (excluding the NUL). */
size_t norm_decode(const char *in, size_t len, char *out, size_t cap,
		   unsigned flags);

/* Write code point cp as UTF-8 into out (room for 4 bytes); returns bytes
 * written. Invalid code points are written as '?'. */
size_t norm_utf8_put(unsigned long cp, char *out);

#endif /* SW_NORM_H */
