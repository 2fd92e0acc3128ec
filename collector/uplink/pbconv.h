/* pbconv.h - session event -> protobuf SessionEvent (proto/sidewatch.proto).
 *
 * The one place that knows both struct sess_event and the wire message, so
 * transport (uplink) stays ignorant of decoding. Every copy is bounded by
 * the nanopb field size; a value that does not fit is cut and its
 * SESS_TRUNC_* bit (or PBCONV_TRUNC_* for fields sess.h does not carry) is
 * set in the message's trunc field. Nothing is ever rejected for length.
 */
#ifndef SW_PBCONV_H
#define SW_PBCONV_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/sess.h"
#include "common/pbfield.h"
#include "sidewatch.pb.h"

/* trunc bits for fields that live outside struct sess_event */
#define PBCONV_TRUNC_IDENTITY (1u << 16)
#define PBCONV_TRUNC_VERDICT  (1u << 17) /* rule / severity / action cut */
#define PBCONV_TRUNC_HOST     (1u << 18)
#define PBCONV_TRUNC_ANOM     (1u << 19) /* an anomaly name was cut */

/* What a verdict (or an identity extractor) adds to a session event. All
 * members optional (NULL / 0). */
struct pbconv_extra {
	const char *identity; /* API key / bearer / session id hash */
	size_t identity_len;
	const char *rule;
	const char *severity;
	const char *action;   /* alert, kill, block */
	uint64_t detect_latency_us;
	uint64_t enforce_latency_us;
	uint32_t projection;  /* sidewatch_Projection bits: a projection for
			       * another shard (shardup.h), slimmed to what
			       * the fleet detectors read */
};

/* Fill *out from ev (and x, may be NULL). host may be NULL (the batch's
 * host is meant). boot_to_unix_ns is added to kernel (boot clock) times to
 * get unix time. Returns 0, or -EINVAL when ev or out is NULL. */
int pbconv_event(const struct sess_event *ev, const struct pbconv_extra *x,
		 const char *host, uint64_t boot_to_unix_ns,
		 sidewatch_SessionEvent *out);

#endif /* SW_PBCONV_H */
