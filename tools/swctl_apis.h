/* swctl_apis.h - swctl's API inventory commands, over the api_* tables
 * the correlator merges collectors' endpoint summaries into
 * (sql/004_inventory.sql):
 *
 *   swctl apis [--host H] [--authority A] [--data-class C] [--json]
 *       one row per endpoint: id, endpoint (method, authority, template),
 *       hosts, calls/min (calls over the minutes between first and last
 *       seen, at least one), credentials seen, data classes, risk, first
 *       seen;
 *   swctl api show ID [--json]
 *       the endpoint, its hosts (first/last seen, calls), parameters with
 *       their types, status classes, latency, credentials, data classes
 *       and its recent verdicts (7 days, 20 at most);
 *   swctl apis export --openapi [--authority A]
 *       an OpenAPI 3.1 document on stdout, written by
 *       collector/inventory/openapi.c from the endpoints read back.
 *
 * Everything shown came from collectors: tables show control bytes as
 * '?', JSON is escaped, the OpenAPI writer escapes what it writes.
 */
#ifndef SW_SWCTL_APIS_H
#define SW_SWCTL_APIS_H

#include "tools/swctl_args.h"

int swctl_apis_list(const struct swctl_args *a);
int swctl_apis_show(const struct swctl_args *a);
int swctl_apis_export(const struct swctl_args *a);

#endif /* SW_SWCTL_APIS_H */
