/* pbfield.c - bounded copies into nanopb fields. */
#include "common/pbfield.h"

#include <string.h>

int pbfield_bytes(uint8_t *dst, pb_size_t *dst_len, size_t cap,
		 const void *src, size_t len)
{
	size_t take = len < cap ? len : cap;

	if (take && src)
		memcpy(dst, src, take);
	*dst_len = (pb_size_t)(src ? take : 0);
	return src && take < len;
}

int pbfield_str(char *dst, size_t cap, const char *src)
{
	size_t len, take;

	if (cap == 0)
		return 0;
	if (!src) {
		dst[0] = '\0';
		return 0;
	}
	len = strnlen(src, cap);
	take = len < cap ? len : cap - 1;
	if (take < len) {
		/* back off to a UTF-8 boundary so the cut value stays valid
		 * (these fields are proto3 strings) */
		while (take > 0 && ((unsigned char)src[take] & 0xC0) == 0x80)
			take--;
	}
	memcpy(dst, src, take);
	dst[take] = '\0';
	return take < len;
}
