/* invconv.h - one learned endpoint (collector/inventory/endpoint.h) ->
 * protobuf EndpointSummary (proto/sidewatch.proto).
 *
 * Counts are cumulative within the entry's incarnation (gen_us, its
 * first_us): see the proto's comment for why merges stay correct after
 * restarts and resends. Every copy is bounded by the nanopb field size
 * (which mirrors endpoint.h, asserted at compile time); a string that does
 * not fit is cut and its INVCONV_TRUNC_* bit set, counts never exceed
 * INT64_MAX (PostgreSQL's bigint). Nothing is rejected for length.
 */
#ifndef SW_INVCONV_H
#define SW_INVCONV_H

#include <stdint.h>

#include "collector/inventory/endpoint.h"
#include "sidewatch.pb.h"

#define INVCONV_TRUNC_AUTHORITY (1u << 0)
#define INVCONV_TRUNC_METHOD    (1u << 1)
#define INVCONV_TRUNC_TMPL      (1u << 2)
#define INVCONV_TRUNC_PARAM     (1u << 3) /* a parameter name or shape */
#define INVCONV_TRUNC_OTHER     (1u << 4) /* a content type or JWT alg */

/* Fill *out from e. Returns 0, or -EINVAL when either is NULL. */
int invconv_endpoint(const struct endpoint *e, sidewatch_EndpointSummary *out);

#endif /* SW_INVCONV_H */
