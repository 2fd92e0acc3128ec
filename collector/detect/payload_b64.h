/* payload_b64.h - a value that is evidently base64 (sqlmap's base64encode
 * tamper, an application that wraps a parameter), unwrapped so the
 * injection detectors can judge what it carries. */
#ifndef SW_PAYLOAD_B64_H
#define SW_PAYLOAD_B64_H

#include <stddef.h>

struct payload_val;

/* Decode s[0..n) into out (room for cap bytes) when the whole value is
 * base64 or base64url (padding optional), at least 8 characters, and the
 * bytes it carries are printable ASCII text with a blank or punctuation
 * in them. Returns their length, or 0 when the value is not such a
 * wrapper. */
size_t payload_b64_unwrap(const char *s, size_t n, char *out, size_t cap);

/* Fill *w to describe the text t[0..tn) (lo: room for tn bytes, written
 * lower-cased) found inside v, for a detector to judge again. */
void payload_b64_val(const struct payload_val *v, const char *t, size_t tn, char *lo,
		     struct payload_val *w);

#endif
