/* strikes.h - a client's recent payload strikes, for escalation (issue 20
 * item 7): the requests that drew a payload verdict, newest
 * RULES_MAX_ESCALATE kept, one strike per request however many times its
 * head and body windows are judged.
 *
 * In: (connection cookie, request start time, now) of a request with a
 * payload verdict. Out: how many strikes fall within a window ending now.
 * Fixed size, no allocation; lives inside the verdict engine's per-client
 * state.
 */
#ifndef SW_STRIKES_H
#define SW_STRIKES_H

#include <stdint.h>

#include "collector/detect/rules.h"

struct strikes {
	uint64_t ts[RULES_MAX_ESCALATE];
	uint32_t n, next;
	uint64_t conn, req; /* the request of the newest strike */
};

/* Count a strike for the request (conn, req_ns) at now, unless it is the
 * request of the newest strike. */
void strikes_add(struct strikes *s, uint64_t conn, uint64_t req_ns, uint64_t now);
/* Strikes in the window_ns ending at now. */
uint32_t strikes_within(const struct strikes *s, uint64_t window_ns, uint64_t now);

#endif /* SW_STRIKES_H */
