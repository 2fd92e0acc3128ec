/* strikes.h - a client's recent payload strikes, for escalation (issue 20
 * item 7): the requests that drew a payload verdict, newest
 * RULES_MAX_ESCALATE kept, one strike per request however many times its
 * head and windows are judged, one per request however many a client
 * packs together (pipelined in one write, HTTP/2 streams in one record).
 *
 * A request is told apart by two keys: its exchange (connection cookie,
 * HTTP/2 stream, start time; pipelined HTTP/1.1 requests of one write
 * share it) and, where the event has them, its method, path and query
 * (which its head and its header and body windows all carry). A URI
 * window (path or query bytes past the event's bounds) and a WebSocket
 * message have the exchange key only; they match any strike of their
 * exchange, and a head that comes after its URI window fills the strike
 * in. Two pipelined requests alike in method, path and query are one
 * strike: a residual, for requests that differ only in body or headers.
 *
 * In: a session event with a payload verdict, and now. Out: how many
 * strikes fall within a window ending now. Fixed size, no allocation;
 * lives inside the verdict engine's per-client state.
 */
#ifndef SW_STRIKES_H
#define SW_STRIKES_H

#include <stdint.h>

#include "collector/decode/sess.h"
#include "collector/detect/rules.h"

struct strikes {
	uint64_t ts[RULES_MAX_ESCALATE];
	uint32_t xkey[RULES_MAX_ESCALATE]; /* exchange: cookie, stream, start */
	uint32_t rkey[RULES_MAX_ESCALATE]; /* request line; 0: not known */
	uint32_t n, next;
};

/* Count a strike at now for the request ev belongs to, unless one of the
 * kept strikes is that request. 1 if counted, 0 if not. */
int strikes_add(struct strikes *s, const struct sess_event *ev, uint64_t now);
/* Strikes in the window_ns ending at now. */
uint32_t strikes_within(const struct strikes *s, uint64_t window_ns, uint64_t now);

#endif /* SW_STRIKES_H */
