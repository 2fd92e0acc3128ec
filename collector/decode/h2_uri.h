/* h2_uri.h - a request's :path read into its stream's event (path and
 * query, h2_uri.c), the parts past what the event keeps judged in URI
 * windows. Only h2_stream.c calls it; the structs are in h2_int.h.
 */
#ifndef SW_H2_URI_H
#define SW_H2_URI_H

#include <stddef.h>
#include <stdint.h>

struct h2_conn;
struct h2_stream;

/* :path value v[0..len) of stream s: the event's path and query set (the
 * path ends at the first '?' or '#', as nginx's $uri does), what they
 * cannot keep judged now in windows through the connection's sink. */
void h2_uri_set(struct h2_conn *c, struct h2_stream *s, const uint8_t *v, size_t len);

#endif /* SW_H2_URI_H */
