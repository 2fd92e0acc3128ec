/* invcheck.h - the rules of one EndpointSummary (proto/sidewatch.proto),
 * applied by ingest.c as each one is decoded; no libpq, so the fuzz target
 * runs it.
 *
 * A summary is a collector's word: one that breaks the message's rules is
 * refused (no version, incarnation, method or template, an unknown
 * protocol, class/auth names not made of [a-z0-9_], a parameter without a
 * name or with a location other than path/query/form/json) and counted by
 * the caller; what can be mended is (times outside [2000, receive time + 1
 * day] become the receive time, a first seen after the last one becomes
 * the last one). Strings are made valid text later, at merge
 * (invstore.h).
 */
#ifndef SW_INVCHECK_H
#define SW_INVCHECK_H

#include <stdint.h>

#include "sidewatch.pb.h"

/* 0 (kept, maybe mended) or -EPROTO (refused). */
int invcheck_summary(sidewatch_EndpointSummary *e, uint64_t recv_us);

#endif /* SW_INVCHECK_H */
