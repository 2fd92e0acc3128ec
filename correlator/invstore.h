/* invstore.h - the API inventory's side of the correlator: checking each
 * decoded EndpointSummary (proto/sidewatch.proto) and merging it into the
 * api_* tables (sql/004_inventory.sql) inside the batch's transaction.
 *
 * A summary is a collector's word: invstore_check refuses one that breaks
 * the message's rules (no version, incarnation or template, an unknown
 * protocol, class/auth names not made of [a-z0-9_], a parameter location
 * other than path/query/form/json) and mends what can be mended (times
 * outside [2000, receive time + 1 day] become the receive time, a first
 * seen after the last one becomes the last one). invstore_merge passes
 * every string as a statement parameter, made valid UTF-8 without NUL
 * (textesc.h), and every count clamped to bigint; SQL text is never built
 * from a sender's bytes.
 */
#ifndef SW_INVSTORE_H
#define SW_INVSTORE_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "sidewatch.pb.h"
#include "common/textesc.h"

/* 0 (kept, maybe mended) or -EPROTO (refused). */
int invstore_check(sidewatch_EndpointSummary *e, uint64_t recv_us);

/* Merge n summaries of host in the open transaction on c (one statement
 * each). tmp must hold INVSTORE_NBUF buffers (reused). Returns 0, or the
 * failed statement's result (the caller judges and clears it) with err
 * set; NULL with -1 in *rc means out of memory. */
#define INVSTORE_NBUF 40
PGresult *invstore_merge(PGconn *c, const char *host,
			 const sidewatch_EndpointSummary *v, size_t n,
			 struct sbuf *tmp, int *rc);

#endif /* SW_INVSTORE_H */
