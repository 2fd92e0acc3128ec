/* sidewatch-collector - copy, decode and judge the API traffic of this host.
 *
 * Recipe: options -> config -> the judge (identity key, rules, verdict
 * engine, never-block list) -> enforcement -> the connection table, whose
 * decoders emit session events to respond.c -> uplink and fleet block list
 * -> /metrics -> load and attach the kernel capture -> poll the ring buffer,
 * the sockets and the timers -> on SIGINT/SIGTERM flush, detach, report
 * counters. What happens to an event or a verdict is respond.c's business;
 * periodic work is registered as timers (common/timer.h).
 */
#include "collector/app.h"
#include "collector/apis.h"
#include "collector/uplink/uplink_inventory.h"
#include "common/curvekey.h"
#include "collector/config.h"
#include "collector/opts.h"
#include "collector/report.h"
#include "collector/respond.h"
#include "collector/capture/capture.h"
#include "collector/capture/conn.h"
#include "collector/capture/tls.h"
#include "collector/detect/ident.h"
#include "collector/detect/rules.h"
#include "collector/detect/verdict.h"
#include "collector/enforce/blocklist_apply.h"
#include "collector/enforce/enforce.h"
#include "collector/enforce/localblock.h"
#include "collector/enforce/shield.h"
#include "collector/uplink/blocklist_sub.h"
#include "collector/uplink/blocklist_sub_fan.h"
#include "collector/uplink/shardup.h"
#include "collector/uplink/uplink.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/textesc.h"
#include "common/metrics.h"
#include "common/timer.h"

#include <errno.h>
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exit codes scripts can trust. */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 2,      /* bad option or config */
	EXIT_PRIV = 3,       /* not root / missing capability */
	EXIT_KERNEL = 4,     /* BTF, tracefs, bpffs or program load */
	EXIT_RUNTIME = 5,
};
#define GO_ON (-1)           /* configure(): not an exit, carry on */

#define SEC 1000000000ull

static volatile sig_atomic_t stop, reread_ring;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* SIGHUP: read the shard ring again now (shardup_check_ring) */
static void on_hup(int sig)
{
	(void)sig;
	reread_ring = 1;
}

/* Events go upstream: to one correlator, or to the shards of a ring. */
static int uplinked(const struct config *cfg)
{
	return cfg->correlator[0] || cfg->ring[0];
}

/* Pass 0 finds --config, --help and option errors; pass 1 applies the
 * options over the file and the environment. Returns GO_ON or an exit code. */
static int configure(struct app *a, int argc, char **argv, uint32_t *duration)
{
	const char *cfg_path = NULL;
	char err[512];
	int rc;

	config_default(&a->cfg);
	rc = opts_parse(argc, argv, &a->cfg, &cfg_path, duration, &a->no_tls, 0);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	if ((cfg_path && config_load(&a->cfg, cfg_path, err, sizeof(err))) ||
	    config_env(&a->cfg, err, sizeof(err))) {
		fprintf(stderr, "sidewatch-collector: %s\n", err);
		return EXIT_USAGE;
	}
	if (opts_parse(argc, argv, &a->cfg, &cfg_path, duration, &a->no_tls, 1))
		return EXIT_USAGE;
	log_set_level((enum log_level)a->cfg.log_level);
	log_set_json(a->cfg.log_json);
	return GO_ON;
}

/* trusted_proxies: their forwarded clients are judged, their own addresses
 * are never blocked; the local identity / forwarded-client blocks. */
static int open_proxies(struct app *a)
{
	char err[256];

	if (fwdfor_set_parse(&a->proxies, a->cfg.trusted_proxies, err, sizeof(err))) {
		fprintf(stderr, "sidewatch-collector: trusted_proxies: %s\n", err);
		return EXIT_USAGE;
	}
	for (unsigned i = 0; i < a->proxies.n; i++) {
		struct enforce_cidr c = { .family = a->proxies.c[i].family,
					  .prefixlen = a->proxies.c[i].prefixlen };

		memcpy(c.addr, a->proxies.c[i].addr, sizeof(c.addr));
		shield_add(&a->shield, &c, "trusted_proxy");
	}
	if (a->proxies.n)
		log_info("trusted_proxies: %u ranges; their %s names the client judged",
			 a->proxies.n, a->cfg.proxy_forwarded ? "Forwarded" : "X-Forwarded-For");
	a->local = localblock_new();
	if (!a->local) {
		fprintf(stderr, "sidewatch-collector: out of memory\n");
		return EXIT_RUNTIME;
	}
	return 0;
}

/* The identity key, the rules, the verdict engine and the never-block
 * list. Returns 0 or an exit code. */
static int open_judge(struct app *a)
{
	char err[512];

	/* before the rules: allow-list identities are hashed as they load */
	if (ident_key_setup(a->cfg.identity_key,
			    uplinked(&a->cfg) ? a->cfg.correlator_key : NULL,
			    err, sizeof(err))) {
		fprintf(stderr, "sidewatch-collector: %s\n", err);
		return EXIT_USAGE;
	}
	/* identities hash alike on every host only under one fleet key: with
	 * an uplink and neither key, each collector's own random key makes
	 * the correlators' per-identity detectors see strangers */
	if (uplinked(&a->cfg) && !a->cfg.identity_key[0] && !a->cfg.correlator_key[0])
		log_warn("neither identity_key nor correlator_key is set: identities hash "
			 "with this process's random key and will not match across hosts "
			 "(set identity_key, a fleet secret)");
	if (a->cfg.rules_file[0]) {
		if (rules_load(&a->rules, a->cfg.rules_file, err, sizeof(err))) {
			fprintf(stderr, "sidewatch-collector: %s\n", err);
			return EXIT_USAGE;
		}
	} else {
		rules_default(&a->rules);
	}
	if (!a->rules) {
		fprintf(stderr, "sidewatch-collector: out of memory\n");
		return EXIT_RUNTIME;
	}
	/* The collector's mode is authoritative over the rules file's. */
	a->rules->enforce = a->cfg.mode == CFG_ENFORCE;
	a->judge = verdict_new(a->rules);
	if (!a->judge) {
		fprintf(stderr, "sidewatch-collector: out of memory\n");
		return EXIT_RUNTIME;
	}
	if (shield_build(&a->shield, a->cfg.never_block, a->cfg.correlator, a->rules,
			 err, sizeof(err))) {
		fprintf(stderr, "sidewatch-collector: never_block: %s\n", err);
		return EXIT_USAGE;
	}
	/* on a ring: every shard's host, as the one correlator's is (a bad
	 * ring file stops the start in open_uplink, with its line) */
	if (a->cfg.ring[0])
		(void)shield_add_ring(&a->shield, a->cfg.ring, 0);
	return open_proxies(a);
}

/* In enforce mode: the enforcement programs, the never-block list in the
 * kernel, the drop program on every interface. Returns 0 or an exit code. */
static int open_enforce(struct app *a)
{
	struct enforce_config ecfg = { .netns_self = a->cfg.netns_self };
	char err[512];
	int rc;

	if (a->cfg.mode != CFG_ENFORCE)
		return 0;
	rc = enforce_open(&a->enf, &ecfg, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "sidewatch-collector: enforcement: %s\n", err);
		return rc == -EPERM ? EXIT_PRIV : EXIT_KERNEL;
	}
	rc = shield_apply(&a->shield, a->enf);
	if (rc < 0) {
		fprintf(stderr, "sidewatch-collector: enforcement: the never-block "
			"list did not reach the kernel: %s\n", strerror(-rc));
		return EXIT_KERNEL;
	}
	log_info("enforcement: %u addresses and ranges are never blocked "
		 "(loopback, link-local, this host's, its gateways, the correlator or "
		 "every ring shard, "
		 "the allow list, never_block)", a->shield.n);
	rc = enforce_attach_all(a->enf);
	if (rc < 0)
		log_warn("enforcement: attaching to some interfaces failed: %s",
			 strerror(-rc));
	return 0;
}

/* The connection table, its events and requests to respond.c. Returns 0
 * or an exit code. */
static int open_conns(struct app *a)
{
	struct conn_config kcfg;
	struct sess_sink sink;

	respond_sink(a, &sink);
	conn_config_default(&kcfg);
	kcfg.max_conns = a->cfg.max_conns;
	kcfg.mem_budget = (uint64_t)a->cfg.mem_budget_mb << 20;
	kcfg.idle_timeout_ns = (uint64_t)a->cfg.idle_timeout_s * SEC;
	kcfg.ws_summary_ns = (uint64_t)a->cfg.ws_summary_s * SEC;
	kcfg.ws_inflate_windows = a->cfg.ws_inflate_windows;
	kcfg.ws_inflate_windows_client = a->cfg.ws_inflate_windows_client;
	a->conns = conn_table_new(&kcfg, &sink);
	if (!a->conns) {
		fprintf(stderr, "sidewatch-collector: out of memory\n");
		return EXIT_RUNTIME;
	}
	return 0;
}

/* collector_key_create: a host's first start makes its own key pair; the
 * operator admits the host by giving the correlator NAME.pub. */
static int own_key(const struct config *cfg)
{
	char pub_path[300], pub[41], err[512];
	size_t n = strlen(cfg->collector_key);
	int rc;

	if (!cfg->collector_key_create || !cfg->collector_key[0] || cfg->uplink_plain)
		return 0;
	if (n > 4 && !strcmp(cfg->collector_key + n - 4, ".key"))
		snprintf(pub_path, sizeof(pub_path), "%.*s.pub", (int)(n - 4), cfg->collector_key);
	else
		snprintf(pub_path, sizeof(pub_path), "%s.pub", cfg->collector_key);
	rc = curvekey_ensure_pair(cfg->collector_key, pub_path, pub, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "sidewatch-collector: %s\n", err);
		return rc;
	}
	if (rc == 1)
		fprintf(stderr, "sidewatch-collector: made this host's key pair (%s, %s); "
			"the correlator takes its events once %s.pub holding %s is in its "
			"keys directory\n", cfg->collector_key, pub_path, cfg->name, pub);
	return 0;
}

/* The fleet block list: subscribed from the correlator, applied here (a
 * subscription that fails is logged, not fatal). Returns 0 or an exit code. */
static int open_fleet(struct app *a)
{
	struct blocklist_sub_config bcfg = {};
	char ep[300], err[512];

	if (a->cfg.blocklist[0]) {
		snprintf(ep, sizeof(ep), "%s", a->cfg.blocklist);
	} else {
		/* tcp://host:PORT -> tcp://host:PORT+1 */
		const char *colon = strrchr(a->cfg.correlator, ':');
		long port = colon ? strtol(colon + 1, NULL, 10) : 0;

		snprintf(ep, sizeof(ep), "%.*s:%ld",
			 (int)(colon ? colon - a->cfg.correlator : 0),
			 a->cfg.correlator, port + 1);
	}
	bcfg.endpoint = ep;
	bcfg.req_endpoint = a->cfg.correlator;
	bcfg.plain = a->cfg.uplink_plain;
	bcfg.secret_key_file = a->cfg.collector_key[0] ? a->cfg.collector_key : NULL;
	bcfg.server_key_file = a->cfg.correlator_key[0] ? a->cfg.correlator_key : NULL;
	a->fleet = blocklist_apply_new(a->enf);
	if (!a->fleet) {
		fprintf(stderr, "sidewatch-collector: out of memory\n");
		return EXIT_RUNTIME;
	}
	blocklist_apply_set_shield(a->fleet, &a->shield);
	bcfg.apply = blocklist_apply_entry;
	bcfg.ctx = a->fleet;
	bcfg.uplink = shardup_single(a->up); /* NULL with a ring */
	a->bsub = blocklist_sub_new(&bcfg, err, sizeof(err));
	if (!a->bsub)
		log_warn("fleet block list: %s (continuing without it)", err);
	return 0;
}

static int fan_counter(void *up, const char *name, uint64_t value)
{
	return shardup_set_counter(up, name, value);
}

/* With a ring and no block list endpoint of its own: every shard's block
 * list (each shard's correlator --blocks on its ring port + 1), merged
 * into one and applied here; each shard's version in the heartbeats. A
 * fan that cannot be opened is logged, not fatal. Returns 0 or an exit
 * code. */
static int open_fleet_fan(struct app *a)
{
	struct blocklist_sub_fan_config fc = {0};
	char err[512], esc[600];

	a->fleet = blocklist_apply_new(a->enf);
	if (!a->fleet) {
		fprintf(stderr, "sidewatch-collector: out of memory\n");
		return EXIT_RUNTIME;
	}
	blocklist_apply_set_shield(a->fleet, &a->shield);
	fc.plain = a->cfg.uplink_plain;
	fc.secret_key_file = a->cfg.collector_key[0] ? a->cfg.collector_key : NULL;
	fc.server_key_file = a->cfg.correlator_key[0] ? a->cfg.correlator_key : NULL;
	fc.apply = blocklist_apply_entry;
	fc.ctx = a->fleet;
	fc.set_counter = fan_counter;
	fc.cctx = a->up;
	a->bfan = blocklist_sub_fan_open(&fc, a->cfg.ring, err, sizeof(err));
	if (!a->bfan) {
		tx_printable(esc, sizeof(esc), err, strlen(err));
		log_warn("fleet block lists from the ring's shards: %s (continuing without them)",
			 esc);
	}
	return 0;
}

/* With a correlator: this host's key pair, the uplink, the fleet block
 * list. Returns 0 or an exit code. */
static int open_uplink(struct app *a)
{
	struct uplink_config ucfg = {};
	char err[512], esc[600];

	if (!uplinked(&a->cfg))
		return 0;
	if (own_key(&a->cfg) < 0)
		return EXIT_USAGE;
	ucfg.endpoint = a->cfg.correlator;
	ucfg.host = a->cfg.name;
	ucfg.version = SW_VERSION;
	ucfg.spool_dir = a->cfg.spool_dir;
	ucfg.plain = a->cfg.uplink_plain;
	ucfg.secret_key_file = a->cfg.collector_key[0] ? a->cfg.collector_key : NULL;
	ucfg.server_key_file = a->cfg.correlator_key[0] ? a->cfg.correlator_key : NULL;
	a->up = shardup_new(&ucfg, a->cfg.ring, err, sizeof(err));
	if (!a->up) {
		tx_printable(esc, sizeof(esc), err, strlen(err));
		fprintf(stderr, "sidewatch-collector: %s%s\n",
			a->cfg.ring[0] ? "" : "uplink: ", esc); /* ring errors name the file */
		return EXIT_USAGE;
	}
	/* a ring: every shard's list, unless one endpoint (a proxy tier) is
	 * named */
	if (a->cfg.ring[0] && !a->cfg.blocklist[0])
		return open_fleet_fan(a);
	return open_fleet(a);
}

/* The Prometheus registry and its endpoint. Returns 0 or an exit code. */
static int open_metrics(struct app *a)
{
	char err[512];

	a->met = metrics_new(a->cfg.metrics_listen, err, sizeof(err));
	if (!a->met && !strcmp(a->cfg.metrics_listen, "127.0.0.1:9464")) {
		/* the default port taken (another collector, make run): carry
		 * on without the endpoint; a chosen address must work */
		log_warn("%s; running without /metrics (set metrics_listen)", err);
		a->met = metrics_new(NULL, err, sizeof(err));
	}
	if (!a->met) {
		fprintf(stderr, "sidewatch-collector: metrics_listen: %s\n", err);
		return EXIT_USAGE;
	}
	report_metrics_setup(a->met);
	return 0;
}

/* The API inventory (inventory: on), its metrics and HTTP pages on the
 * registry. Returns 0 or an exit code. */
static int open_inventory(struct app *a)
{
	if (!a->cfg.inventory)
		return 0;
	a->apis = apis_new(a);
	if (!a->apis) {
		fprintf(stderr, "sidewatch-collector: out of memory for the API inventory\n");
		return EXIT_RUNTIME;
	}
	return 0;
}

static void on_record(void *ctx, const struct sw_event *ev, const uint8_t *data)
{
	struct app *a = ctx;

	conn_on_record(a->conns, ev, data);
}

/* The kernel capture, and the TLS probes unless switched off. Returns 0 or
 * an exit code. */
static int open_capture(struct app *a)
{
	struct capture_config ccfg = {};
	char err[512];
	int rc;

	ccfg.netns_self = a->cfg.netns_self;
	ccfg.copy_client = a->cfg.capture_client;
	ccfg.no_resp_skip = !a->cfg.resp_skip;
	rc = capture_open(&a->cap, &ccfg, on_record, a, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "sidewatch-collector: %s\n", err);
		return rc == -EPERM ? EXIT_PRIV : EXIT_KERNEL;
	}
	if (a->cfg.tls && !a->no_tls) {
		struct tls_config tcfg = { .netns_self = ccfg.netns_self,
					   .copy_client = ccfg.copy_client };

		/* Without TLS probes the collector still sees plain traffic. */
		if (tls_open(&a->tls, a->cap, &tcfg, err, sizeof(err)))
			log_warn("TLS plaintext capture is off: %s", err);
	}
	return 0;
}

/* --- periodic work, as timers --------------------------------------------- */

/* tls_poll keeps its own clocks (new processes every 2 s, all of them
 * every 30 s): a tick of 1 s, the first at once, starts them and meets them. */
static void tick_tls(void *ctx, uint64_t now)
{
	struct app *a = ctx;

	tls_poll(a->tls, now);
}

/* idle connections out; slow requests judged before they complete */
static void tick_sweep(void *ctx, uint64_t now)
{
	struct app *a = ctx;

	conn_sweep(a->conns, now);
	if (a->judge)
		conn_foreach_pending(a->conns, respond_pending, a);
}

/* expired blocks of sources that never came back */
static void tick_enforce_sweep(void *ctx, uint64_t now)
{
	struct app *a = ctx;

	enforce_sweep(a->enf);
}

/* The host gains or loses an address, or its default gateway moves: the
 * shield's host-derived entries follow, in the kernel too (shield.h); a
 * shard that joined the ring is added. No address at all (getifaddrs
 * failed) changes nothing. */
static void tick_shield(void *ctx, uint64_t now)
{
	static struct shield fresh; /* ~30 KiB: not on the stack */
	struct app *a = ctx;
	unsigned added, removed;
	int rc;

	fresh.n = fresh.dropped = 0;
	if (shield_add_host(&fresh) <= 0)
		return;
	/* a shard added to the ring since: its address (no name lookup
	 * here) joins the list; a shard's entry is never taken away */
	if (a->cfg.ring[0])
		(void)shield_add_ring(&fresh, a->cfg.ring, SHIELD_NUMERIC);
	rc = shield_refresh(&a->shield, &fresh, a->enf, &added, &removed);
	a->shield_refreshes++;
	a->shield_added += added;
	a->shield_removed += removed;
	if (rc < 0) {
		a->enforce_errors++;
		log_warn("enforcement: the never-block list refresh failed: %s",
			 strerror(-rc));
	} else if (added || removed) {
		log_info("enforcement: host addresses or ring shards changed: %u never-block "
			 "entries added, %u removed (%u in all)", added, removed, a->shield.n);
	}
}

/* new namespaces and interfaces get the drop program */
static void tick_rescan(void *ctx, uint64_t now)
{
	struct app *a = ctx;

	enforce_rescan(a->enf);
}

static void tick_metrics(void *ctx, uint64_t now)
{
	struct app *a = ctx;

	report_metrics_update(a);
	report_uplink_update(a);
}

/* ===== the API inventory's periodic work ================================
 * Posture findings (each reported once) and the inventory metrics every
 * 2 s; the endpoints seen since the last push go upstream every
 * INVENTORY_PUSH_S and once more at exit (cumulative counts: a summary
 * sent twice is harmless, a batch lost to a full spool is whole again at
 * the endpoint's next push). */
#define INVENTORY_PUSH_S 10

static void tick_inventory(void *ctx, uint64_t now)
{
	struct app *a = ctx;

	apis_tick(a->apis);
}

static void push_inventory(struct app *a)
{
	int n;

	if (!a->up || !a->apis)
		return;
	n = uplink_inventory_push_shards(a->up, apis_table(a->apis), a->inv_since, &a->inv_since);
	if (n < 0)
		log_warn("uplink: inventory push: %s", strerror(-n));
}

static void tick_inventory_push(void *ctx, uint64_t now)
{
	push_inventory(ctx);
}

static void tick_stats(void *ctx, uint64_t now)
{
	report_counters(ctx, "interval");
}

static void tick_stop(void *ctx, uint64_t now)
{
	stop = 1;
}

static void add_timers(struct app *a, uint32_t duration)
{
	struct timer_set *ts = &a->timers;
	uint64_t now = clock_mono_ns(), stats = a->cfg.stats_interval_s * SEC;

	timer_init(ts);
	if (a->tls)
		timer_add(ts, now, SEC, tick_tls, a);
	timer_add(ts, now + SEC, SEC, tick_sweep, a);
	if (a->enf) {
		timer_add(ts, now + SEC, SEC, tick_enforce_sweep, a);
		timer_add(ts, now + SEC, 2 * SEC, tick_rescan, a);
		timer_add(ts, now + SHIELD_REFRESH_S * SEC, SHIELD_REFRESH_S * SEC,
			  tick_shield, a);
	}
	timer_add(ts, now + SEC, SEC, tick_metrics, a);
	if (a->apis)
		timer_add(ts, now + 2 * SEC, 2 * SEC, tick_inventory, a);
	if (a->apis && a->up)
		timer_add(ts, now + INVENTORY_PUSH_S * SEC, INVENTORY_PUSH_S * SEC,
			  tick_inventory_push, a);
	if (stats)
		timer_add(ts, now + stats, stats, tick_stats, a);
	if (duration)
		timer_add(ts, now + duration * SEC, 0, tick_stop, a);
}

/* The fan follows the ring file as the uplink does; a refusal is logged
 * (escaped: the file's text) and counted in the fan's ring_refused. */
static void fan_check_ring(struct app *a, uint64_t now_ms, int force)
{
	char err[512], esc[600];

	if (blocklist_sub_fan_check_ring(a->bfan, now_ms, force, err, sizeof(err)) < 0) {
		tx_printable(esc, sizeof(esc), err, strlen(err));
		log_warn("fleet block lists: new ring refused: %s", esc);
	}
}

/* Until a signal or the run's duration: the ring buffer (its records into
 * the connection table), the uplink and block-list sockets, the timers,
 * /metrics. Returns an exit code. */
static void refresh_metrics(void *arg)
{
	report_metrics_update(arg);
}

static int run(struct app *a)
{
	int rc;

	/* each scrape sees this moment's state, not the last tick's */
	metrics_set_refresh(a->met, refresh_metrics, a);
	while (!stop) {
		rc = capture_poll(a->cap, timer_timeout_ms(&a->timers, clock_mono_ns(),
							  SW_POLL_MS));
		if (rc < 0) {
			log_err("reading the ring buffer failed: %s", strerror(-rc));
			return EXIT_RUNTIME;
		}
		fflush(stdout);
		if (a->up) {
			uint64_t now_ms = clock_mono_ns() / 1000000;
			int force = reread_ring;

			reread_ring = 0;
			shardup_check_ring(a->up, now_ms, force);
			shardup_poll(a->up, 0);
			if (a->bfan)
				fan_check_ring(a, now_ms, force);
		}
		if (a->bfan) {
			blocklist_sub_fan_poll(a->bfan, 0);
			blocklist_apply_cut_pending(a->fleet);
		}
		if (a->bsub) {
			blocklist_sub_poll(a->bsub, 0);
			blocklist_apply_cut_pending(a->fleet);
		}
		timer_run(&a->timers, clock_mono_ns());
		metrics_poll(a->met, 0);
	}
	return EXIT_OK;
}

/* Give the correlator a bounded moment to acknowledge; what it does not is
 * in the spool and goes out on the next start. */
static void uplink_drain(struct shardup *up)
{
	uint64_t until = clock_mono_ns() + 2 * SEC;
	struct shardup_stats ss;

	shardup_flush(up);
	do {
		shardup_poll(up, 50);
		shardup_get_stats(up, &ss);
	} while (ss.sum.acked < ss.sum.batches && clock_mono_ns() < until);
}

/* analyzer_priority: idle puts every collector thread at
 * SCHED_IDLE once it is watching: it runs on CPU time the apps leave, so the
 * analysis never competes with the requests it watches; the price is verdict
 * latency when the CPUs are saturated. Start-up (loading and verifying the
 * BPF programs) runs at normal priority first: at SCHED_IDLE on a busy host
 * it could take minutes. Threads started later inherit the policy. normal
 * (the default) keeps the time-sharing policy: with wrk saturating both
 * cores of the test machine, idle lost 36,701 ring records of 288,032
 * requests (http1_load), which "nothing lost" forbids by default. */
static void set_priority(const struct config *cfg)
{
	struct sched_param sp = { .sched_priority = 0 };
	struct dirent *de;
	DIR *d;

	if (!cfg->analyzer_idle)
		return;
	d = opendir("/proc/self/task");
	if (!d) {
		log_warn("analyzer_priority idle: /proc/self/task: %s; running at normal priority",
			 strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);

		if (tid > 0 && sched_setscheduler(tid, SCHED_IDLE, &sp))
			log_warn("analyzer_priority idle: thread %d: %s; it runs at normal priority",
				 (int)tid, strerror(errno));
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	struct app *a;
	uint32_t duration = 0;
	int code;

	a = calloc(1, sizeof(*a));
	if (!a)
		return EXIT_RUNTIME;
	code = configure(a, argc, argv, &duration);
	if (code != GO_ON) {
		free(a);
		return code;
	}
	a->jctx.host = a->cfg.name;
	a->jctx.mono_to_unix_ns = evjson_clock_offset();
	if ((code = open_judge(a)) || (code = open_enforce(a)) ||
	    (code = open_conns(a)) || (code = open_uplink(a)) ||
	    (code = open_metrics(a)) || (code = open_inventory(a)) ||
	    (code = open_capture(a)))
		goto cleanup;
	set_priority(&a->cfg);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_hup);
	signal(SIGPIPE, SIG_IGN);
	log_info("sidewatch-collector %s: host %s, mode %s, netns %s, watching",
		 SW_VERSION, a->cfg.name,
		 a->cfg.mode == CFG_ENFORCE ? "enforce" : "monitor",
		 a->cfg.netns_self ? "self" : "all");
	/* Tests and scripts wait for this line before sending traffic. */
	fprintf(stderr, "ready\n");

	add_timers(a, duration);
	code = run(a);
	/* Drain what the kernel already handed over, then flush decoders. */
	capture_poll(a->cap, 0);
cleanup:
	if (a->conns) {
		conn_flush(a->conns);
		fflush(stdout);
	}
	if (a->up) {
		push_inventory(a);
		uplink_drain(a->up);
	}
	if (a->cap && a->conns)
		report_counters(a, "exit");
	blocklist_sub_free(a->bsub);
	shardup_free(a->up); /* before the fan: it keeps the fan's counter names */
	blocklist_sub_fan_free(a->bfan);
	blocklist_apply_free(a->fleet);
	tls_close(a->tls);
	enforce_close(a->enf);
	apis_free(a->apis);
	verdict_free(a->judge);
	localblock_free(a->local);
	rules_free(a->rules);
	metrics_free(a->met);
	capture_close(a->cap);
	conn_table_free(a->conns);
	free(a);
	return code;
}
