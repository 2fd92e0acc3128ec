/* app.h - the collector's state, shared by main.c (wiring, the event loop,
 * its timers), respond.c (the response to events and verdicts: enforcement,
 * stdout, uplink) and report.c (the counters line and the Prometheus
 * families). Private to the collector binary: no other module includes it.
 */
#ifndef SW_APP_H
#define SW_APP_H

#include <stdint.h>

#include "collector/config.h"
#include "collector/detect/fwdfor.h"
#include "collector/enforce/shield.h"
#include "collector/evjson.h"
#include "collector/decode/sess.h"
#include "common/timer.h"

struct capture;
struct tls;
struct conn_table;
struct shardup;
struct rules;
struct verdict_engine;
struct enforce;
struct blocklist_sub;
struct blocklist_sub_fan;
struct blocklist_apply;
struct metrics;
struct apis;
struct localblock;

struct app {
	struct config cfg;
	struct capture *cap;
	struct tls *tls;
	int no_tls;              /* --no-tls */
	struct conn_table *conns;
	struct evjson_ctx jctx;
	struct shardup *up;             /* one uplink, or one per ring shard */
	struct rules *rules;
	struct verdict_engine *judge;
	struct enforce *enf;            /* NULL in monitor mode */
	struct blocklist_sub *bsub;          /* fleet block list, with an uplink */
	struct blocklist_sub_fan *bfan;      /* or every ring shard's, merged */
	struct blocklist_apply *fleet;           /* the fleet block list on this host */
	uint64_t kills, blocks, enforce_errors;
	uint64_t loopback_not_blocked;  /* block verdicts on loopback kept to a kill */
	uint64_t shielded;              /* block verdicts on a protected address kept to a kill */
	uint64_t blocks_prefix;         /* blocks of an IPv6 prefix (rules' ipv6_prefix) */
	uint64_t prefix_narrowed;       /* ... narrowed to the address: the prefix held
					 * a protected address */
	uint64_t identity_not_blocked;  /* identity-counted block verdicts kept to a kill */
	struct shield shield;           /* never blocked (shield.h) */
	uint64_t shield_refreshes;      /* host addresses / gateways re-read */
	uint64_t shield_added, shield_removed; /* host entries that came and went */
	struct fwdfor_set proxies;      /* trusted_proxies (fwdfor.h) */
	uint64_t fwd_resolved;          /* requests judged by their forwarded client */
	uint64_t fwd_peer;              /* from a trusted proxy, judged by the proxy (no or obfuscated header) */
	uint64_t fwd_bad;               /* from a trusted proxy, a malformed header: judged by the proxy */
	uint64_t fwd_ignored;           /* forwarding headers from an untrusted peer, not believed */
	uint64_t pp_resolved;           /* requests judged by a trusted proxy's PROXY header client */
	uint64_t pp_ignored;            /* PROXY headers from an untrusted peer, not believed */
	uint64_t proxied_not_blocked;   /* block verdicts on a forwarded client kept to a kill */
	uint64_t claimed_not_blocked;   /* verdicts keyed by a claimed identity: no identity block */
	struct localblock *local;       /* identities and forwarded clients cut on sight */
	uint64_t local_cookie;          /* the connection last cut on sight */
	/* the event being handled, when it came through a trusted proxy */
	int fwd_ok;
	struct sess_conn fconn;         /* its connection, the client replaced */
	struct sess_event fev;          /* the event as judged: conn = &fconn */
	uint64_t verdicts;
	struct sess_event vev;          /* scratch copy for verdict events */
	struct metrics *met;
	struct apis *apis;              /* the API inventory; NULL when off */
	uint64_t inv_since;             /* change number of the newest endpoint pushed */
	uint64_t emitted;
	uint64_t emitted_proto[4];   /* by enum sess_proto */
	uint64_t uplink_errors;
	struct timer_set timers;        /* periodic work of the event loop */
	char line[65536];
};

#endif /* SW_APP_H */
