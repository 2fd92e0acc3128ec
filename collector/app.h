/* app.h - the collector's state, shared by main.c (wiring, the event loop,
 * its timers), respond.c (the response to events and verdicts: enforcement,
 * stdout, uplink) and report.c (the counters line and the Prometheus
 * families). Private to the collector binary: no other module includes it.
 */
#ifndef SW_APP_H
#define SW_APP_H

#include <stdint.h>

#include "collector/config.h"
#include "collector/enforce/shield.h"
#include "collector/evjson.h"
#include "collector/decode/sess.h"
#include "common/timer.h"

struct capture;
struct tls;
struct conn_table;
struct uplink;
struct rules;
struct verdict_engine;
struct enforce;
struct blocklist_sub;
struct blocklist_apply;
struct metrics;
struct apis;

struct app {
	struct config cfg;
	struct capture *cap;
	struct tls *tls;
	int no_tls;              /* --no-tls */
	struct conn_table *conns;
	struct evjson_ctx jctx;
	struct uplink *up;
	struct rules *rules;
	struct verdict_engine *judge;
	struct enforce *enf;            /* NULL in monitor mode */
	struct blocklist_sub *bsub;          /* fleet block list, with an uplink */
	struct blocklist_apply *fleet;           /* the fleet block list on this host */
	uint64_t kills, blocks, enforce_errors;
	uint64_t loopback_not_blocked;  /* block verdicts on loopback kept to a kill */
	uint64_t shielded;              /* block verdicts on a protected address kept to a kill */
	uint64_t identity_not_blocked;  /* identity-counted block verdicts kept to a kill */
	struct shield shield;           /* never blocked (shield.h) */
	uint64_t verdicts;
	struct sess_event vev;          /* scratch copy for verdict events */
	struct metrics *met;
	struct apis *apis;              /* the API inventory; NULL when off */
	uint64_t inv_since;             /* last_us of the newest endpoint pushed */
	uint64_t emitted;
	uint64_t emitted_proto[4];   /* by enum sess_proto */
	uint64_t uplink_errors;
	struct timer_set timers;        /* periodic work of the event loop */
	char line[65536];
};

#endif /* SW_APP_H */
