/* report.c - what the collector tells about itself: the counters as one
 * JSON line on stderr (at each stats interval and at exit) and the same
 * counters as Prometheus families. main.c calls it; the state is struct app
 * (app.h).
 */
#include "collector/report.h"
#include "collector/app.h"
#include "collector/uplink/blocklist_sub.h"
#include "collector/uplink/blocklist_sub_fan.h"
#include "collector/capture/capture.h"
#include "collector/capture/conn.h"
#include "collector/enforce/enforce.h"
#include "collector/enforce/enforce_table.h"
#include "collector/enforce/blocklist_apply.h"
#include "collector/enforce/localblock.h"
#include "common/clock.h"
#include "collector/decode/h1.h"
#include "collector/decode/h2.h"
#include "common/json.h"
#include "common/metrics.h"
#include "collector/capture/tls.h"
#include "collector/uplink/shardup.h"
#include "collector/uplink/uplink.h"
#include "collector/decode/ws.h"
#include "collector/detect/reqbody.h"
#include "collector/detect/verdict.h"
#include "collector/decode/ws_infl.h"
#include "common/inflate.h"

#include <stdio.h>

struct kv {
	const char *n;
	uint64_t v;
};

#define NKV(a) (sizeof(a) / sizeof((a)[0]))

/* The verdict engine's own counts: what it held back or dropped, and
 * its bounded tables (clients, templates, baselines, connection marks,
 * strikes) with their evictions, where a flood meant to exhaust state
 * shows. Counters into c[13], table sizes into g[6]. */
static void judge_kvs(const struct app *a, struct kv *c, struct kv *g)
{
	struct verdict_stats st = {0};

	if (a->judge)
		verdict_get_stats(a->judge, &st);
	c[0] = (struct kv){ "events", st.events };
	c[1] = (struct kv){ "verdicts", st.verdicts };
	c[2] = (struct kv){ "dropped", st.dropped };
	c[3] = (struct kv){ "cooldown", st.cooldown };
	c[4] = (struct kv){ "conn_repeat", st.conn_repeat };
	c[5] = (struct kv){ "downgraded_monitor", st.downgraded_monitor };
	c[6] = (struct kv){ "downgraded_allow", st.downgraded_allow };
	c[7] = (struct kv){ "payload_escalated", st.payload_escalated };
	c[8] = (struct kv){ "client_evictions", st.client_evictions };
	c[9] = (struct kv){ "strike_evictions", st.strike_evictions };
	c[10] = (struct kv){ "template_evictions", st.tmpl_evictions + st.baseline_evictions };
	c[11] = (struct kv){ "set_alloc_failures", st.set_alloc_failures };
	c[12] = (struct kv){ "conn_mark_evictions", st.conn_mark_evictions };
	g[0] = (struct kv){ "clients", st.clients };
	g[1] = (struct kv){ "strikes", st.strikes };
	g[2] = (struct kv){ "templates", st.tmpl_nodes };
	g[3] = (struct kv){ "baselines", st.baselines };
	g[4] = (struct kv){ "conn_marks", st.conn_marks };
	g[5] = (struct kv){ "set_bytes", st.set_bytes };
}

#define JUDGE_NC 13
#define JUDGE_NG 6

/* "judge": judge_kvs, the table sizes under "entries". */
static void report_judge(struct json_buf *jb, const struct app *a)
{
	struct kv c[JUDGE_NC], g[JUDGE_NG];

	judge_kvs(a, c, g);
	json_key(jb, "judge");
	json_obj_open(jb);
	for (size_t i = 0; i < JUDGE_NC; i++)
		json_kv_u64(jb, c[i].n, c[i].v);
	json_key(jb, "entries");
	json_obj_open(jb);
	for (size_t i = 0; i < JUDGE_NG; i++)
		json_kv_u64(jb, g[i].n, g[i].v);
	json_obj_close(jb);
	json_obj_close(jb);
}

/* "fleet": the fleet block list as applied here. */
static void report_fleet(struct json_buf *jb, struct app *a)
{
	struct blocklist_apply_stats fs;

	json_key(jb, "fleet");
	json_obj_open(jb);
	blocklist_apply_get_stats(a->fleet, &fs);
	if (a->bsub) {
		json_kv_u64(jb, "version", blocklist_sub_version(a->bsub));
	} else {
		struct blocklist_sub_fan_stats ff;

		blocklist_sub_fan_get_stats(a->bfan, &ff);
		json_kv_u64(jb, "shards", ff.shards);
		json_kv_u64(jb, "subjects", ff.merge.subjects);
		json_kv_u64(jb, "refused_full", ff.merge.full);
		json_kv_u64(jb, "ring_refused", ff.ring_refused);
	}
	json_kv_u64(jb, "applied", fs.applied);
	json_kv_u64(jb, "removed", fs.removed);
	json_kv_u64(jb, "skipped", fs.skipped);
	json_kv_u64(jb, "loopback_not_blocked", fs.loopback);
	json_kv_u64(jb, "shielded", fs.shielded);
	json_kv_u64(jb, "uncut", fs.uncut);
	json_kv_u64(jb, "identities", fs.identities);
	json_kv_u64(jb, "identity_kills", fs.identity_hits);
	json_kv_u64(jb, "identity_unparsed", fs.unparsed);
	json_obj_close(jb);
}

/* "proxy": requests from trusted proxies and what their headers said;
 * "local_block": identities and forwarded clients cut on sight. */
static void report_proxy(struct json_buf *jb, struct app *a)
{
	struct localblock_stats ls = {};

	json_key(jb, "proxy");
	json_obj_open(jb);
	json_kv_u64(jb, "forwarded", a->fwd_resolved);
	json_kv_u64(jb, "proxy_itself", a->fwd_peer);
	json_kv_u64(jb, "malformed", a->fwd_bad);
	json_kv_u64(jb, "untrusted_ignored", a->fwd_ignored);
	json_kv_u64(jb, "proxy_protocol", a->pp_resolved);
	json_kv_u64(jb, "proxy_protocol_untrusted", a->pp_ignored);
	json_obj_close(jb);
	if (a->local)
		localblock_stats(a->local, clock_mono_ns(), &ls);
	json_key(jb, "local_block");
	json_obj_open(jb);
	json_kv_u64(jb, "blocks", ls.blocks);
	json_kv_u64(jb, "active", ls.active);
	json_kv_u64(jb, "strikes", ls.strikes);
	json_kv_u64(jb, "cut_on_sight", ls.hits);
	json_kv_u64(jb, "evicted", ls.evicted);
	json_kv_u64(jb, "claimed_not_blocked", a->claimed_not_blocked);
	json_obj_close(jb);
}

/* "enforce": kills, blocks and the kernel's enforcement counters. */
static void report_enforce(struct json_buf *jb, struct app *a)
{
	uint64_t ec[SW_ENF__MAX];
	struct enforce_table_stats ts;

	json_key(jb, "enforce");
	json_obj_open(jb);
	json_kv_u64(jb, "kills", a->kills);
	json_kv_u64(jb, "blocks", a->blocks);
	json_kv_u64(jb, "errors", a->enforce_errors);
	json_kv_u64(jb, "loopback_not_blocked", a->loopback_not_blocked);
	json_kv_u64(jb, "shielded", a->shielded);
	json_kv_u64(jb, "blocks_prefix", a->blocks_prefix);
	json_kv_u64(jb, "prefix_narrowed", a->prefix_narrowed);
	json_kv_u64(jb, "identity_not_blocked", a->identity_not_blocked);
	json_kv_u64(jb, "proxied_not_blocked", a->proxied_not_blocked);
	json_kv_u64(jb, "attached", (uint64_t)enforce_attached(a->enf));
	json_kv_u64(jb, "shield_refreshes", a->shield_refreshes);
	json_kv_u64(jb, "shield_added", a->shield_added);
	json_kv_u64(jb, "shield_removed", a->shield_removed);
	json_kv_u64(jb, "shield_entries", a->shield.n);
	if (!enforce_counters(a->enf, ec))
		json_kv_u64s(jb, enforce_counter_names, ec, SW_ENF__MAX);
	enforce_table_counts(a->enf, &ts);
	json_kv_u64(jb, "table_swept", ts.swept);
	json_kv_u64(jb, "table_evicted", ts.evicted);
	json_kv_u64(jb, "table_full", ts.full);
	json_obj_close(jb);
}

/* "shards" of "uplink", with a ring: one object per open uplink. */
static void report_shards(struct json_buf *jb, struct app *a)
{
	struct shardup_info si;
	uint64_t now = clock_mono_ms();

	json_arr_open(jb, "shards");
	for (size_t i = 0; shardup_shard_info(a->up, i, now, &si) == 0; i++) {
		json_obj_open(jb);
		json_kv_str(jb, "name", si.name);
		json_kv_str(jb, "endpoint", si.endpoint ? si.endpoint : "");
		json_kv_bool(jb, "in_ring", si.in_ring);
		json_kv_bool(jb, "connected", si.connected);
		json_kv_u64(jb, "events", si.st.events);
		json_kv_u64(jb, "sent", si.st.sent);
		json_kv_u64(jb, "acked", si.st.acked);
		json_kv_u64(jb, "spool_bytes", si.st.spool.bytes);
		json_kv_u64(jb, "spool_batches", si.st.spool.pending);
		json_obj_close(jb);
	}
	json_arr_close(jb);
}

/* "uplink": batches to the correlator, or to each shard of a ring. */
static void report_uplink(struct json_buf *jb, struct app *a)
{
	struct shardup_stats ss;

	shardup_get_stats(a->up, &ss);
	json_key(jb, "uplink");
	json_obj_open(jb);
	json_kv_u64(jb, "push_errors", a->uplink_errors);
	json_kv_u64(jb, "events", ss.sum.events);
	json_kv_u64(jb, "batches", ss.sum.batches);
	json_kv_u64(jb, "acked", ss.sum.acked);
	json_kv_u64(jb, "resent", ss.sum.resent);
	json_kv_u64(jb, "spool_errors", ss.sum.spool_errors);
	if (a->cfg.ring[0]) {
		json_kv_u64(jb, "ring_version", ss.ring_version);
		json_kv_u64(jb, "ring_changes", ss.ring_changes);
		json_kv_u64(jb, "ring_refused", ss.ring_refused);
		report_shards(jb, a);
	}
	json_obj_close(jb);
}

/* "tls": the TLS probes and the processes they cover. */
static void report_tls(struct json_buf *jb, struct app *a)
{
	uint64_t tc[SW_TLS_CNT__MAX];
	struct tls_status ts;

	tls_counters(a->tls, tc);
	tls_status(a->tls, &ts);
	json_key(jb, "tls");
	json_obj_open(jb);
	json_kv_u64s(jb, tls_counter_names, tc, SW_TLS_CNT__MAX);
	json_kv_u64(jb, "libs_probed", ts.libs_attached);
	json_kv_u64(jb, "bins_probed", ts.bins_attached);
	json_kv_u64(jb, "probe_failed", ts.attach_failed);
	json_kv_u64(jb, "probed_internal", ts.internal_attached);
	json_kv_u64(jb, "procs", ts.procs);
	json_kv_u64(jb, "procs_covered", ts.procs_covered);
	json_kv_u64(jb, "procs_go", ts.procs_go);
	json_kv_str(jb, "go_names", ts.go_names);
	json_kv_u64(jb, "procs_probe_failed", ts.procs_failed);
	json_kv_str(jb, "probe_failed_names", ts.failed_names);
	json_kv_u64(jb, "procs_nosock", ts.procs_nosock);
	json_kv_str(jb, "nosock_names", ts.nosock_names);
	json_kv_u64(jb, "procs_blind", ts.procs_blind);
	json_kv_str(jb, "blind_names", ts.blind_names);
	json_kv_u64(jb, "blind_conns", ts.blind_conns);
	json_kv_u64(jb, "blind_bytes", ts.blind_bytes);
	json_obj_close(jb);
}

/* Counters as one JSON line on stderr: the kernel's, the table's, HTTP/1's. */
/* "coded_bodies": request bodies under a Content-Encoding by outcome, and
 * every decode (requests and the inventory's responses) by status. */
static void report_coded(struct json_buf *jb)
{
	uint64_t rb[REQBODY_CNT__COUNT], in[INFLATE__COUNT], ev[WS_INFL_EV__COUNT];

	reqbody_counts(rb);
	inflate_counts(in);
	json_key(jb, "coded_bodies");
	json_obj_open(jb);
	json_kv_u64s(jb, reqbody_cnt_names, rb, REQBODY_CNT__COUNT);
	json_key(jb, "inflate");
	json_obj_open(jb);
	for (int i = 0; i < INFLATE__COUNT; i++)
		json_kv_u64(jb, inflate_status_name((enum inflate_status)i), in[i]);
	json_obj_close(jb);
	json_obj_close(jb);
	/* permessage-deflate windows held now, and evicted by why */
	ws_infl_evictions(ev);
	json_key(jb, "ws_inflate");
	json_obj_open(jb);
	json_kv_u64(jb, "windows", ws_infl_windows());
	json_kv_u64s(jb, ws_infl_ev_names, ev, WS_INFL_EV__COUNT);
	json_obj_close(jb);
}

void report_counters(struct app *a, const char *why)
{
	uint64_t k[SW_CNT__MAX] = {0}, c[CONN_CNT__MAX], h[H1_ANOM__COUNT];
	uint64_t h2[H2_ANOM__COUNT], w[WS_ANOM__COUNT];
	char buf[32768]; /* 64 shards and more: about 250 bytes each */
	struct json_buf jb;

	if (a->cap)
		capture_counters(a->cap, k);
	conn_counters(a->conns, c);
	h1_totals(h);
	h2_totals(h2);
	ws_totals(w);
	json_init(&jb, buf, sizeof(buf));
	json_obj_open(&jb);
	json_kv_str(&jb, "kind", "counters");
	json_kv_str(&jb, "why", why);
	json_kv_str(&jb, "host", a->cfg.name);
	json_kv_u64(&jb, "events_emitted", a->emitted);
	json_kv_u64(&jb, "verdicts", a->verdicts);
	report_judge(&jb, a);
	if (a->bsub || a->bfan)
		report_fleet(&jb, a);
	if (a->enf)
		report_enforce(&jb, a);
	report_proxy(&jb, a);
	if (a->up)
		report_uplink(&jb, a);
	json_key(&jb, "kernel");
	json_obj_open(&jb);
	json_kv_u64s(&jb, capture_counter_names, k, SW_CNT__MAX);
	json_obj_close(&jb);
	if (a->tls)
		report_tls(&jb, a);
	json_key(&jb, "conn");
	json_obj_open(&jb);
	json_kv_u64s(&jb, conn_counter_names, c, CONN_CNT__MAX);
	json_kv_u64(&jb, "open", conn_count(a->conns));
	json_kv_u64(&jb, "mem_bytes", conn_mem(a->conns));
	json_kv_u64(&jb, "mem_peak_bytes", conn_mem_peak(a->conns));
	json_kv_u64(&jb, "mem_budget_bytes", (uint64_t)a->cfg.mem_budget_mb << 20);
	json_obj_close(&jb);
	json_key(&jb, "http1");
	json_obj_open(&jb);
	json_kv_u64s(&jb, h1_anom_names, h, H1_ANOM__COUNT);
	json_obj_close(&jb);
	json_key(&jb, "http2");
	json_obj_open(&jb);
	json_kv_u64s(&jb, h2_anom_names, h2, H2_ANOM__COUNT);
	json_obj_close(&jb);
	json_key(&jb, "websocket");
	json_obj_open(&jb);
	json_kv_u64s(&jb, ws_anom_names, w, WS_ANOM__COUNT);
	json_obj_close(&jb);
	report_coded(&jb);
	json_obj_close(&jb);
	fprintf(stderr, "%s\n", json_str(&jb));
}

/* Prometheus: the same counters report_counters prints, as families. */
void report_metrics_setup(struct metrics *m)
{
	metrics_register(m, "sidewatch_events_emitted_total", METRICS_COUNTER,
			 "Session events emitted, by protocol.", NULL, 0);
	metrics_register(m, "sidewatch_judge_total", METRICS_COUNTER,
			 "The verdict engine: events judged, verdicts, held back (cooldown, "
			 "conn_repeat), dropped, downgraded, payload verdicts escalated to blocks, "
			 "and entries evicted from its bounded tables.", NULL, 0);
	metrics_register(m, "sidewatch_judge_entries", METRICS_GAUGE,
			 "The verdict engine's bounded tables now: clients, strikes, templates, "
			 "baselines, conn_marks; set_bytes: bytes of distinct sets.", NULL, 0);
	metrics_register(m, "sidewatch_kernel_total", METRICS_COUNTER,
			 "Capture counters kept by the kernel programs (ring buffer records, bytes, drops).", NULL, 0);
	metrics_register(m, "sidewatch_conn_total", METRICS_COUNTER,
			 "Connection table counters.", NULL, 0);
	metrics_register(m, "sidewatch_conn_open", METRICS_GAUGE,
			 "Connections tracked now.", NULL, 0);
	metrics_register(m, "sidewatch_conn_mem_bytes", METRICS_GAUGE,
			 "Heap bytes the connection table's decoders hold now.", NULL, 0);
	metrics_register(m, "sidewatch_conn_mem_peak_bytes", METRICS_GAUGE,
			 "Most heap bytes the connection table's decoders ever held.", NULL, 0);
	metrics_register(m, "sidewatch_conn_mem_budget_bytes", METRICS_GAUGE,
			 "The connection table's memory budget (mem_budget_mb); past it, state is shed.", NULL, 0);
	metrics_register(m, "sidewatch_anomalies_total", METRICS_COUNTER,
			 "Decoder anomalies, by protocol and anomaly name.", NULL, 0);
	metrics_register(m, "sidewatch_tls_total", METRICS_COUNTER,
			 "TLS plaintext capture (OpenSSL probes): calls, bytes, records, misses.", NULL, 0);
	metrics_register(m, "sidewatch_tls_processes", METRICS_GAUGE,
			 "Processes seen at the last TLS scan, by coverage: covered (a probed "
			 "library or binary), go (crypto/tls: not covered), probe_failed, nosock "
			 "(SSL calls with no socket); blind: alive, served TLS we cannot read.", NULL, 0);
	metrics_register(m, "sidewatch_tls_blind_total", METRICS_COUNTER,
			 "TLS served by processes whose TLS library is not probed (Go, stripped "
			 "static builds, other libraries): connections and ciphertext bytes.", NULL, 0);
	metrics_register(m, "sidewatch_verdicts_total", METRICS_COUNTER,
			 "Verdicts reached (every action, monitor mode's alerts included).", NULL, 0);
	metrics_register(m, "sidewatch_enforce_kills_total", METRICS_COUNTER,
			 "Connections the kernel destroyed on a kill verdict.", NULL, 0);
	metrics_register(m, "sidewatch_enforce_blocks_total", METRICS_COUNTER,
			 "Addresses put in the kernel's block table on a block verdict.", NULL, 0);
	metrics_register(m, "sidewatch_enforce_errors_total", METRICS_COUNTER,
			 "Kills or blocks the kernel refused.", NULL, 0);
	metrics_register(m, "sidewatch_enforce_kept_to_kill_total", METRICS_COUNTER,
			 "Block verdicts that cut only the offending connection, by why: loopback, "
			 "shielded (never_block and the host's own), identity (counted by an identity).", NULL, 0);
	metrics_register(m, "sidewatch_shield_refreshes_total", METRICS_COUNTER,
			 "Times the host's addresses and default gateways were re-read for "
			 "the never-block list.", NULL, 0);
	metrics_register(m, "sidewatch_shield_changes_total", METRICS_COUNTER,
			 "Host addresses and gateways added to or removed from the "
			 "never-block list (and the kernel's allow trie) after start.", NULL, 0);
	metrics_register(m, "sidewatch_shield_entries", METRICS_GAUGE,
			 "Entries in the never-block list.", NULL, 0);
	metrics_register(m, "sidewatch_proxy_requests_total", METRICS_COUNTER,
			 "Requests from trusted_proxies: forwarded (judged by the client the "
			 "header names), proxy_itself (no or an obfuscated client), malformed "
			 "(judged by the proxy); untrusted_ignored: forwarding headers from a "
			 "peer outside trusted_proxies, not believed.", NULL, 0);
	metrics_register(m, "sidewatch_local_block_total", METRICS_COUNTER,
			 "Identities and clients behind a trusted proxy blocked on this host "
			 "(cut on sight): blocks made, strikes (kills counted towards a block), "
			 "cut_on_sight (requests cut), evicted, claimed_not_blocked (verdicts "
			 "on an unsigned JWT sub or Basic user: never an identity block).", NULL, 0);
	metrics_register(m, "sidewatch_local_blocks", METRICS_GAUGE,
			 "Identities and forwarded clients blocked on this host now.", NULL, 0);
	metrics_register(m, "sidewatch_block_table_total", METRICS_COUNTER,
			 "The kernel block table: expired entries swept, live entries evicted "
			 "(soonest to expire) to make room, blocks refused when full.", NULL, 0);
	metrics_register(m, "sidewatch_uplink_total", METRICS_COUNTER,
			 "Uplink to the correlator: events, batches, acks, resends, errors.", NULL, 0);
	metrics_register(m, "sidewatch_uplink_shard_total", METRICS_COUNTER,
			 "Per correlator shard (ring): events pushed, batch sends and acks.", NULL, 0);
	metrics_register(m, "sidewatch_uplink_shard_spool", METRICS_GAUGE,
			 "Per correlator shard: bytes and batches waiting in its spool.", NULL, 0);
	metrics_register(m, "sidewatch_uplink_shard_connected", METRICS_GAUGE,
			 "Per correlator shard and endpoint: 1 when it acked in the last 10 s "
			 "or nothing waits for it; in_ring 0 while a shard that left drains.",
			 NULL, 0);
	metrics_register(m, "sidewatch_coded_bodies_total", METRICS_COUNTER,
			 "Request bodies under a Content-Encoding, by outcome: coded (all), "
			 "whole (decoded and judged), cut (judged up to a bound), "
			 "unknown_coding, malformed, bomb, text_claimed (text under a "
			 "coding, judged as text), window_skipped.", NULL, 0);
	metrics_register(m, "sidewatch_inflate_total", METRICS_COUNTER,
			 "gzip/deflate decodes (request bodies and inventory responses), "
			 "by final status.", NULL, 0);
	metrics_register(m, "sidewatch_ws_inflate_windows", METRICS_GAUGE,
			 "WebSocket connections holding a permessage-deflate window.", NULL, 0);
	metrics_register(m, "sidewatch_ws_inflate_evicted_total", METRICS_COUNTER,
			 "permessage-deflate windows evicted, by why: table_full (the "
			 "client holding the most lost its least recently used), "
			 "client_limit (past ws_inflate_windows_client).", NULL, 0);
	metrics_register(m, "sidewatch_ring_version", METRICS_GAUGE,
			 "Version of the shard ring in use (0: no ring).", NULL, 0);
	metrics_register(m, "sidewatch_ring_changes_total", METRICS_COUNTER,
			 "Ring files taken after the first, and refused.", NULL, 0);
}

static void anoms_to_metrics(struct metrics *m, const char *proto,
			     const char *const *names, const uint64_t *v, int n)
{
	for (int i = 0; i < n; i++) {
		const char *l[] = { "proto", proto, "anomaly", names[i], NULL };

		metrics_counter_set(m, "sidewatch_anomalies_total", l, v[i]);
	}
}

/* One family's series: label=names[i] at v[i]. */
static void named_to_metrics(struct metrics *m, const char *family, const char *label,
			     const char *const *names, const uint64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *l[] = { label, names[i], NULL };

		metrics_counter_set(m, family, l, v[i]);
	}
}

/* The same from name-value pairs; gauge: set as gauges. */
static void kvs_to_metrics(struct metrics *m, const char *family, const char *label,
			   const struct kv *kv, size_t n, int gauge)
{
	for (size_t i = 0; i < n; i++) {
		const char *l[] = { label, kv[i].n, NULL };

		if (gauge)
			metrics_gauge_set(m, family, l, (double)kv[i].v);
		else
			metrics_counter_set(m, family, l, kv[i].v);
	}
}

static void coded_to_metrics(struct metrics *m)
{
	uint64_t rb[REQBODY_CNT__COUNT], in[INFLATE__COUNT], ev[WS_INFL_EV__COUNT];
	const char *names[INFLATE__COUNT];

	reqbody_counts(rb);
	inflate_counts(in);
	for (int i = 0; i < INFLATE__COUNT; i++)
		names[i] = inflate_status_name((enum inflate_status)i);
	named_to_metrics(m, "sidewatch_coded_bodies_total", "outcome", reqbody_cnt_names,
			 rb, REQBODY_CNT__COUNT);
	named_to_metrics(m, "sidewatch_inflate_total", "status", names, in, INFLATE__COUNT);
	ws_infl_evictions(ev);
	named_to_metrics(m, "sidewatch_ws_inflate_evicted_total", "why", ws_infl_ev_names, ev,
			 WS_INFL_EV__COUNT);
	metrics_gauge_set(m, "sidewatch_ws_inflate_windows", NULL, (double)ws_infl_windows());
}

/* With a ring: the ring's version and changes, each shard's uplink. */
static void shards_to_metrics(struct metrics *m, struct app *a,
			      const struct shardup_stats *ss)
{
	const struct kv rc[] = {
		{ "taken", ss->ring_changes }, { "refused", ss->ring_refused },
	};
	struct shardup_info si;
	uint64_t now = clock_mono_ms();

	metrics_gauge_set(m, "sidewatch_ring_version", NULL, (double)ss->ring_version);
	kvs_to_metrics(m, "sidewatch_ring_changes_total", "result", rc, NKV(rc), 0);
	for (size_t i = 0; shardup_shard_info(a->up, i, now, &si) == 0; i++) {
		const struct kv c[] = {
			{ "events", si.st.events }, { "sent", si.st.sent },
			{ "acked", si.st.acked },
		};
		const struct kv g[] = {
			{ "bytes", si.st.spool.bytes }, { "batches", si.st.spool.pending },
		};
		const char *lc[] = { "endpoint", si.endpoint ? si.endpoint : "",
				     "in_ring", si.in_ring ? "1" : "0",
				     "shard", si.name, NULL };

		for (size_t j = 0; j < NKV(c); j++) {
			const char *l[] = { "counter", c[j].n, "shard", si.name, NULL };

			metrics_counter_set(m, "sidewatch_uplink_shard_total", l, c[j].v);
		}
		for (size_t j = 0; j < NKV(g); j++) {
			const char *l[] = { "shard", si.name, "what", g[j].n, NULL };

			metrics_gauge_set(m, "sidewatch_uplink_shard_spool", l, (double)g[j].v);
		}
		metrics_gauge_set(m, "sidewatch_uplink_shard_connected", lc, si.connected);
	}
}

void report_metrics_update(struct app *a)
{
	uint64_t k[SW_CNT__MAX] = {0}, c[CONN_CNT__MAX], h[H1_ANOM__COUNT];
	uint64_t h2[H2_ANOM__COUNT], w[WS_ANOM__COUNT];
	const char *protos[4];
	struct metrics *m = a->met;

	for (int i = 0; i < 4; i++)
		protos[i] = sess_proto_name((enum sess_proto)i);
	named_to_metrics(m, "sidewatch_events_emitted_total", "proto", protos,
			 a->emitted_proto, 4);
	if (a->cap)
		capture_counters(a->cap, k);
	named_to_metrics(m, "sidewatch_kernel_total", "counter", capture_counter_names,
			 k, SW_CNT__MAX);
	conn_counters(a->conns, c);
	named_to_metrics(m, "sidewatch_conn_total", "counter", conn_counter_names, c,
			 CONN_CNT__MAX);
	metrics_gauge_set(m, "sidewatch_conn_open", NULL, conn_count(a->conns));
	metrics_gauge_set(m, "sidewatch_conn_mem_bytes", NULL, conn_mem(a->conns));
	metrics_gauge_set(m, "sidewatch_conn_mem_peak_bytes", NULL, conn_mem_peak(a->conns));
	metrics_gauge_set(m, "sidewatch_conn_mem_budget_bytes", NULL,
			  (uint64_t)a->cfg.mem_budget_mb << 20);
	h1_totals(h);
	h2_totals(h2);
	ws_totals(w);
	anoms_to_metrics(m, "http1", h1_anom_names, h, H1_ANOM__COUNT);
	anoms_to_metrics(m, "http2", h2_anom_names, h2, H2_ANOM__COUNT);
	anoms_to_metrics(m, "websocket", ws_anom_names, w, WS_ANOM__COUNT);
	coded_to_metrics(m);
	if (a->tls) {
		uint64_t tc[SW_TLS_CNT__MAX];
		struct tls_status ts;

		tls_counters(a->tls, tc);
		tls_status(a->tls, &ts);
		named_to_metrics(m, "sidewatch_tls_total", "counter", tls_counter_names, tc,
				 SW_TLS_CNT__MAX);
		const struct kv p[] = {
			{ "scanned", ts.procs }, { "covered", ts.procs_covered },
			{ "go", ts.procs_go }, { "probe_failed", ts.procs_failed },
			{ "nosock", ts.procs_nosock }, { "blind", ts.procs_blind },
		};
		const struct kv b[] = {
			{ "conns", ts.blind_conns }, { "bytes", ts.blind_bytes },
		};
		kvs_to_metrics(m, "sidewatch_tls_processes", "coverage", p, NKV(p), 1);
		kvs_to_metrics(m, "sidewatch_tls_blind_total", "counter", b, NKV(b), 0);
	}
	metrics_counter_set(m, "sidewatch_verdicts_total", NULL, a->verdicts);
	{
		struct kv jc[JUDGE_NC], jg[JUDGE_NG];

		judge_kvs(a, jc, jg);
		kvs_to_metrics(m, "sidewatch_judge_total", "counter", jc, JUDGE_NC, 0);
		kvs_to_metrics(m, "sidewatch_judge_entries", "table", jg, JUDGE_NG, 1);
	}
	if (a->local) {
		struct localblock_stats ls;

		localblock_stats(a->local, clock_mono_ns(), &ls);
		const struct kv px[] = {
			{ "forwarded", a->fwd_resolved }, { "proxy_itself", a->fwd_peer },
			{ "malformed", a->fwd_bad }, { "untrusted_ignored", a->fwd_ignored },
			{ "proxy_protocol", a->pp_resolved },
			{ "proxy_protocol_untrusted", a->pp_ignored },
		};
		const struct kv lb[] = {
			{ "blocks", ls.blocks }, { "strikes", ls.strikes },
			{ "cut_on_sight", ls.hits }, { "evicted", ls.evicted },
			{ "claimed_not_blocked", a->claimed_not_blocked },
		};

		kvs_to_metrics(m, "sidewatch_proxy_requests_total", "counter", px, NKV(px), 0);
		kvs_to_metrics(m, "sidewatch_local_block_total", "counter", lb, NKV(lb), 0);
		metrics_gauge_set(m, "sidewatch_local_blocks", NULL, ls.active);
	}
	if (a->enf) {
		struct enforce_table_stats ts;

		enforce_table_counts(a->enf, &ts);
		const struct kv kept[] = {
			{ "loopback", a->loopback_not_blocked }, { "shielded", a->shielded },
			{ "identity", a->identity_not_blocked },
			{ "proxied", a->proxied_not_blocked },
		};
		const struct kv tab[] = {
			{ "swept", ts.swept }, { "evicted", ts.evicted }, { "full", ts.full },
		};
		const struct kv sh[] = {
			{ "added", a->shield_added }, { "removed", a->shield_removed },
		};

		metrics_counter_set(m, "sidewatch_enforce_kills_total", NULL, a->kills);
		metrics_counter_set(m, "sidewatch_enforce_blocks_total", NULL, a->blocks);
		metrics_counter_set(m, "sidewatch_enforce_errors_total", NULL, a->enforce_errors);
		kvs_to_metrics(m, "sidewatch_enforce_kept_to_kill_total", "why", kept, NKV(kept), 0);
		kvs_to_metrics(m, "sidewatch_block_table_total", "counter", tab, NKV(tab), 0);
		kvs_to_metrics(m, "sidewatch_shield_changes_total", "change", sh, NKV(sh), 0);
		metrics_counter_set(m, "sidewatch_shield_refreshes_total", NULL, a->shield_refreshes);
		metrics_gauge_set(m, "sidewatch_shield_entries", NULL, a->shield.n);
	}
	if (a->up) {
		struct shardup_stats ss;

		shardup_get_stats(a->up, &ss);
		const struct uplink_stats *us = &ss.sum;
		const struct kv u[] = {
			{ "push_errors", a->uplink_errors }, { "events", us->events },
			{ "batches", us->batches }, { "acked", us->acked },
			{ "resent", us->resent }, { "timeouts", us->timeouts },
			{ "spool_errors", us->spool_errors },
		};
		kvs_to_metrics(m, "sidewatch_uplink_total", "counter", u, NKV(u), 0);
		if (a->cfg.ring[0])
			shards_to_metrics(m, a, &ss);
	}
}

/* What an operator reads in `swctl hosts`, carried by the heartbeat: the
 * records the kernel could not hand over (ring buffer full), the bytes
 * reported as gaps and the session events emitted. */
void report_uplink_update(struct app *a)
{
	uint64_t k[SW_CNT__MAX] = {0}, emitted = 0;

	if (!a->up)
		return;
	if (a->cap)
		capture_counters(a->cap, k);
	for (int i = 0; i < 4; i++)
		emitted += a->emitted_proto[i];
	shardup_set_counter(a->up, "capture.ringbuf_full", k[SW_CNT_RB_FULL]);
	shardup_set_counter(a->up, "capture.bytes_gap", k[SW_CNT_BYTES_GAP]);
	shardup_set_counter(a->up, "capture.conn_table_full", k[SW_CNT_CONN_FULL]);
	shardup_set_counter(a->up, "events.emitted", emitted);
}
