/* b64.h - base64 encoding (RFC 4648 section 4, standard alphabet, padded). */
#ifndef SW_B64_H
#define SW_B64_H

#include <stddef.h>
#include <stdint.h>

/* Characters needed to encode len bytes, without the terminating NUL. */
#define B64_ENCODED_LEN(len) ((((len) + 2) / 3) * 4)

/* Encode len bytes into dst as a NUL-terminated string. Returns the string
 * length, or -ENOSPC when cap cannot hold it and the NUL. */
int b64_encode(const void *src, size_t len, char *dst, size_t cap);

#endif /* SW_B64_H */
