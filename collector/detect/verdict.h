/* verdict.h - the collector's local verdict engine (detection only).
 *
 * Takes finished session events (and, for slowloris, connections whose
 * request head is still unfinished) and returns verdicts: which rule, how
 * bad, and what to do. Three families of rules (rules.h):
 *   payload   - the payload.h detectors over path, query, selected headers,
 *               form/JSON bodies and gRPC/WebSocket text prefixes;
 *   protocol  - decoder anomalies carried in the event (smuggling, floods);
 *   behaviour - per client (IP, and identity when one is present) over
 *               sliding windows: rate, brute force, credential stuffing,
 *               scanning, object enumeration (BOLA), gRPC probing, and
 *               response sizes far above an endpoint template's baseline.
 * What to do is decided here too: `action` is what the rule wants after
 * monitor mode (everything becomes an alert) and the allow list (allowed
 * clients are only alerted on). A BLOCK verdict means: kill the offending
 * connection and drop the client for block_ttl_ns.
 *
 * Memory is bounded: per-client state in an LRU table of max_clients
 * entries (each about 0.5 KiB plus its distinct sets, which are only
 * allocated when used and capped), template learning and baselines in LRU
 * tables of max_templates, (connection, rule) marks in an LRU table. Every
 * eviction is counted in struct verdict_stats.
 *
 * Not thread-safe: one engine per thread.
 *
 * In: struct sess_event (decode/sess.h), whole or as a request head, and
 * connections whose request head is still pending.
 * Out: struct verdict - rule, severity, action (alert or block), reason,
 * client - for the caller to act on (respond.c) and to report.
 */
#ifndef SW_VERDICT_H
#define SW_VERDICT_H

#include <stdint.h>

#include "collector/detect/rules.h"
#include "collector/decode/sess.h"

struct verdict {
	char rule[64];                  /* rule id, e.g. "sqli", "brute_force" */
	enum verdict_severity severity;
	enum verdict_action action;     /* after monitor mode and allowlist: what to do */
	enum verdict_action wanted;     /* what the rule asked for */
	uint64_t block_ttl_ns;          /* for BLOCK */
	char reason[160];               /* short, never raw attacker bytes beyond an escaped, bounded excerpt */
	char client_key[80];            /* "ip:10.213.2.2" or "id:<hash>" */
	uint8_t client_family; uint8_t client_addr[16]; /* for block */
	uint8_t client_prefix;          /* block this prefix of client_addr (IPv6
					 * with rules' ipv6_prefix); 0: the address */
	uint64_t detect_ns;             /* CLOCK_MONOTONIC when decided */
	/* added */
	enum rule_id rule_id;
	uint8_t allowed;                /* the client is on the allow list */
};

struct verdict_stats {
	uint64_t events;                /* events judged */
	uint64_t pending;               /* pending connections judged */
	uint64_t verdicts;              /* verdicts written */
	uint64_t by_rule[RULE__COUNT];
	uint64_t dropped;               /* verdicts that did not fit in max */
	uint64_t cooldown;              /* behaviour verdicts held back by a rule's cooldown */
	uint64_t conn_repeat;           /* held back: already judged for this connection */
	uint64_t downgraded_monitor;    /* kill/block turned into alert by monitor mode */
	uint64_t downgraded_allow;      /* kill/block turned into alert by the allow list */
	uint64_t payload_escalated;     /* payload verdicts made blocks: the client's
					 * rule.escalate_after-th within escalate_window */
	uint32_t clients;               /* per-client entries now */
	uint64_t client_evictions;
	uint32_t tmpl_nodes;
	uint64_t tmpl_evictions;
	uint32_t baselines;             /* exfiltration baselines (per template) */
	uint64_t baseline_evictions;
	uint32_t conn_marks;
	uint64_t conn_mark_evictions;
	uint32_t strikes;               /* clients with payload strikes (strikes.h) */
	uint64_t strike_evictions;      /* strike entries dropped for room: a flood of
					 * addresses drawing verdicts shows here */
	uint64_t set_alloc_failures;    /* distinct-set growth refused: counting went on in place */
	uint64_t set_bytes;             /* bytes held by distinct sets now */
};

struct verdict_engine;

/* The engine keeps a pointer to r: r must outlive it. NULL on out of
 * memory. */
struct verdict_engine *verdict_new(const struct rules *r);
void verdict_free(struct verdict_engine *v); /* NULL ok */

/* Judge one finished session event; returns number of verdicts written (0 = benign). */
int verdict_judge(struct verdict_engine *v, const struct sess_event *ev, uint64_t now_ns, struct verdict *out, int max);
/* Judge a connection still in progress (slowloris: h1 request head unfinished for N s). */
/* Judge a request that has fully arrived before its response: payload and
 * protocol rules only. The complete exchange later goes to verdict_judge
 * with SESS_F_REQ_SEEN set, which then skips the payload rules. */
int verdict_judge_request(struct verdict_engine *v, const struct sess_event *ev,
			  uint64_t now_ns, struct verdict *out, int max);
int verdict_judge_pending(struct verdict_engine *v, const struct sess_conn *conn, uint64_t pending_since_ns, uint64_t now_ns, struct verdict *out, int max);

/* The path template ("/users/{id}") the engine's learner gave the event
 * verdict_judge judged last, or NULL when it named no path; valid until the
 * next verdict_judge. The API inventory learns under the same templates. */
const char *verdict_template(const struct verdict_engine *v);

void verdict_get_stats(const struct verdict_engine *v, struct verdict_stats *st);

/* A verdict as JSON is the output's business: collector/verdict_json.h. */

#endif /* SW_VERDICT_H */
