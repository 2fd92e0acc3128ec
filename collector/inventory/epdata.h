/* epdata.h - what one exchange's bodies say of an endpoint's data: the
 * sensitive data classes in its request and in its response body prefix,
 * the JSON paths they sit in, and how many records of one class a response
 * carried (a bulk exposure past ENDPOINT_BULK).
 *
 * In: one session event and the endpoint it belongs to (endpoint.c decides
 * which exchanges are scanned). Out: the endpoint's data counters. Values
 * are never kept: only counts, classes and paths.
 */
#ifndef SW_EPDATA_H
#define SW_EPDATA_H

#include "collector/decode/sess.h"
#include "collector/inventory/endpoint.h"

#ifndef EPDATA_PLAIN_MAX
#define EPDATA_PLAIN_MAX 16384 /* decoded bytes of a coded response read */
#endif

/* The request body as the application reads it: a gzip or deflate body
 * decoded (up to EPDATA_PLAIN_MAX bytes, into a per-thread buffer valid
 * until the next call), another coding or a malformed stream nothing (*n
 * 0), a body without a coding as it is. */
const uint8_t *epdata_req_body(const struct sess_event *ev, size_t *n);

/* Scan the request (query, and body - from epdata_req_body - when json)
 * and the response body
 * prefix (as JSON, as text, or not at all by its content type; a gzip or
 * deflate body decoded first, up to EPDATA_PLAIN_MAX bytes; another
 * coding, or bytes that are no valid stream, hide it and are counted in
 * resp_coded). unauth_ok: the exchange was a 2xx answer to a request
 * without credentials. */
void epdata_scan(struct endpoint *e, const struct sess_event *ev,
		 const uint8_t *body, size_t body_len, int json, int unauth_ok);

/* Note the response's content type (every exchange, not only scanned). */
void epdata_resp_type(struct endpoint *e, const struct sess_event *ev);

#endif /* SW_EPDATA_H */
