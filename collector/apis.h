/* apis.h - the API inventory inside the running collector.
 *
 * In: every complete session event (respond.c), with the path template the
 * verdict engine's learner gave it (verdict_template), so the inventory and
 * the detectors agree on what an endpoint is.
 * Out: the endpoint table (collector/inventory/endpoint.h) learning from
 * them; posture findings (posture.h, plus "new endpoint after the learning
 * period") checked on a timer, each (endpoint, kind) reported once as a JSON
 * line on stdout (with --stdout) and a log line, tagged with its OWASP API
 * Security Top 10 2023 category; GET /inventory.json and /openapi.json on
 * the metrics listener (behind inventory_token when set; each document
 * built at most every inventory_page_s and served from a copy meanwhile,
 * capped at APIS_PAGE_MAX); the sidewatch_inventory_* Prometheus families.
 *
 * Session events carry the request body prefix only (decode/sess.h), so
 * data classes are counted in requests (query and body), not responses.
 *
 * Memory: the endpoint table is fixed at start (inventory_max_endpoints,
 * LRU, evictions counted); the record of findings already reported is a
 * fixed array of 4 x max_endpoints entries, and a finding that finds it
 * full is counted, not reported.
 */
#ifndef SW_APIS_H
#define SW_APIS_H

#include <stdint.h>

#include "collector/decode/sess.h"
#include "collector/inventory/endpoint.h"
#include "collector/inventory/posture.h"

struct app;
struct apis;

/* kinds beyond posture.h's: an endpoint first answering after the
 * learning period */
#define APIS_NEW_ENDPOINT POSTURE__COUNT
#define APIS_KINDS (POSTURE__COUNT + 1)

struct apis_stats {
	struct endpoint_stats ep;
	uint64_t findings;            /* findings reported */
	uint64_t by_kind[APIS_KINDS];
	uint64_t findings_unrecorded; /* not reported: the record was full */
	uint64_t no_template;         /* events without a template */
	uint64_t pages_built;         /* documents built (walks of the table) */
	uint64_t pages_built_ok;      /* of them served (not over the cap) */
	uint64_t pages_served;        /* answered 200, built or cached */
	uint64_t pages_refused;       /* 503: built for another query just now */
};

/* From a->cfg (inventory off: NULL, and every call below is a no-op).
 * Registers the metric families and the HTTP pages on a->met. */
struct apis *apis_new(struct app *a);
void apis_free(struct apis *x); /* NULL ok */

/* One complete session event and its template (NULL: none). */
void apis_observe(struct apis *x, const struct sess_event *ev,
		  const char *tmpl);

/* The timer's work: check posture and report new findings; update the
 * metrics. */
void apis_tick(struct apis *x);

/* The table, for the uplink's summaries (NULL when off). */
const struct endpoint_table *apis_table(const struct apis *x);

void apis_get_stats(const struct apis *x, struct apis_stats *st);

/* The finding names: posture_names[], then "new_endpoint". */
const char *apis_kind_name(unsigned kind);

#endif /* SW_APIS_H */
