/* respond.h - what the collector does with each session event and verdict.
 *
 * In: the connection table's session events (a complete exchange; a request
 * that fully arrived, before its response), connections whose request is
 * still arriving (from the sweep), the verdict engine's verdicts on them and
 * the fleet block list's identity verdicts.
 * Out, for an event: a JSON line on stdout, a protobuf event with its
 * identity to the uplink. For a verdict: the loopback / identity /
 * never-block policy (a block verdict that must not drop its address is
 * kept to a kill), the kill or the address block, the detect and enforce
 * latencies, a JSON line and an uplink event, then the cut of the blocked
 * client's other connections.
 * From a trusted proxy (trusted_proxies), the event is judged as the client
 * its forwarding header names (fwdfor.h) while its own connection is the
 * one cut; a block verdict on such a client, or on a secret identity, is
 * kept to a kill and made a local block (localblock.h): later requests of
 * that subject are cut on sight. A claimed identity (unsigned JWT sub,
 * Basic user) never blocks.
 * State: struct app (app.h): the sinks, the enforcement handle and the
 * counters report.c reads (verdicts, kills, blocks, errors, downgrades).
 */
#ifndef SW_RESPOND_H
#define SW_RESPOND_H

#include <stdint.h>

struct app;
struct sess_conn;
struct sess_sink;

/* Fill the connection table's sink: every event and every complete request
 * of the table goes through respond.c with a as its context. */
void respond_sink(struct app *a, struct sess_sink *sink);

/* conn_foreach_pending's callback (ctx: the app): judge a request that has
 * been arriving since since_ns (a slow body) and respond to its verdicts. */
void respond_pending(void *ctx, const struct sess_conn *id, uint64_t since_ns);

#endif /* SW_RESPOND_H */
