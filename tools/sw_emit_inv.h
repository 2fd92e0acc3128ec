/* sw_emit_inv.h - sw-emit's --inventory: learn an API inventory from a
 * scenario of exchanges with the collector's own learner
 * (collector/inventory/endpoint.h) and ship it with
 * uplink_inventory_push(), as a collector does, without BPF.
 *
 * Scenario: one exchange kind per line, TAB-separated fields,
 *   N METHOD AUTHORITY PATH TEMPLATE QUERY STATUS LATENCY_US HEADER BODY [RESP]
 * N times (RESP, optional: a JSON response body); "-" is an empty field; HEADER is "name: value"; fields take C
 * escapes (\t \n \r \\ \xHH) so a test can craft any byte. Lines starting
 * with '#' and empty lines are skipped; at most 256 lines, 8 kB each.
 */
#ifndef SW_EMIT_INV_H
#define SW_EMIT_INV_H

#include <stdint.h>

#include "collector/decode/sess.h"
#include "collector/uplink/uplink.h"

/* Play the scenario in path `passes` times into one table, pushing the
 * changed endpoints after each pass. Returns the summaries pushed, or
 * -errno (a line that does not parse: -EINVAL, its number in *bad_line). */
int sw_emit_inv_run(struct uplink *u, struct sess_conn *c, const char *path,
		    unsigned passes, uint64_t boot_to_unix_ns, unsigned *bad_line);

#endif /* SW_EMIT_INV_H */
