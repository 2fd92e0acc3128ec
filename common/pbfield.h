/* pbfield.h - bounded copies of C strings and bytes into the fixed-size
 * fields nanopb generates (sidewatch.proto's .options bounds), shared by
 * every side that fills a message.
 */
#ifndef SW_PBFIELD_H
#define SW_PBFIELD_H

#include <stddef.h>
#include <stdint.h>

#include <pb.h>

/* Bounded copy of a C string into a nanopb char[cap] field; returns 1 when
 * it was cut, 0 otherwise. The cut never splits a UTF-8 sequence. */
int pbfield_str(char *dst, size_t cap, const char *src);

/* Bounded copy of len bytes into a nanopb bytes field of capacity cap;
 * returns 1 when cut. */
int pbfield_bytes(uint8_t *dst, pb_size_t *dst_len, size_t cap,
		 const void *src, size_t len);

#endif /* SW_PBFIELD_H */
