/* invstore.h - the API inventory's side of the correlator: merging each
 * decoded and checked (invcheck.h) EndpointSummary (proto/sidewatch.proto)
 * into the api_* tables (sql/004_inventory.sql, under the quotas and
 * retention of sql/005_inventory_quota.sql) inside the batch's
 * transaction.
 *
 * invstore_merge passes
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

/* Merge n summaries of host in the open transaction on c (one statement
 * each). tmp must hold INVSTORE_NBUF buffers (reused). Returns 0, or the
 * failed statement's result (the caller judges and clears it) with err
 * set; NULL with -1 in *rc means out of memory. */
#define INVSTORE_NBUF 40
/* *refused gets how many of the n a quota refused (counted per host and
 * reason in api_inventory_refusals). */
PGresult *invstore_merge(PGconn *c, const char *host,
			 const sidewatch_EndpointSummary *v, size_t n,
			 struct sbuf *tmp, int *rc, uint32_t *refused);

#endif /* SW_INVSTORE_H */
