/* config.h - the collector's settings: defaults, then the config file, then
 * SIDEWATCH_* environment variables, then command-line options. */
#ifndef SW_CONFIG_H
#define SW_CONFIG_H

#include <stddef.h>
#include <stdint.h>

enum cfg_mode { CFG_MONITOR = 0, CFG_ENFORCE = 1 };

struct config {
	enum cfg_mode mode;
	char name[64];           /* host name in events */
	int netns_self;          /* 1: only our own network namespace */
	int capture_client;      /* also decode outbound requests */
	int resp_skip;           /* 1 (default): large HTTP/1.1 response bodies
				  * past the decoders' prefix are counted in
				  * the kernel, not copied */
	int log_level;           /* enum log_level */
	int log_json;
	uint32_t max_conns;
	uint32_t mem_budget_mb;     /* connection table's decoder state */
	uint32_t idle_timeout_s;
	uint32_t ws_summary_s;
	uint32_t ws_inflate_windows;        /* permessage-deflate windows (ws.h) */
	uint32_t ws_inflate_windows_client; /* ... per client /24 or /64 */
	uint32_t stats_interval_s; /* counters to the log; 0 = never */
	int to_stdout;           /* print events as JSON lines */
	/* Uplink to the correlator; empty endpoint = standalone. */
	char correlator[256];    /* tcp://host:7450 */
	char ring[256];          /* shard ring file (common/ring.h): one uplink
				  * per shard instead of correlator */
	char blocklist[256];     /* the correlator's block list endpoint
				  * (default: the correlator's port + 1) */
	char spool_dir[256];     /* unacknowledged batches on disk */
	char collector_key[256]; /* our CURVE secret key (z85 file) */
	int collector_key_create;/* make that key pair at first start */
	char correlator_key[256];/* the correlator's CURVE public key */
	char identity_key[256];  /* fleet-wide secret for identity hashes (32 hex) */
	int uplink_plain;        /* no CURVE: local development only */
	int tls;                 /* probe OpenSSL for TLS plaintext */
	int analyzer_idle;       /* 1: run at SCHED_IDLE, never taking CPU
				  * from the apps (analyzer_priority: idle) */
	char rules_file[256];    /* verdict rules; empty = built-in defaults */
	char metrics_listen[64]; /* Prometheus /metrics HOST:PORT; "" = off */
	char never_block[1024];  /* CIDRs never blocked, beside the host's own (shield.h) */
	char trusted_proxies[1024]; /* CIDRs whose forwarded client is judged (fwdfor.h) */
	int proxy_forwarded;     /* trusted_proxy_header: 0 x-forwarded-for, 1 forwarded */
	/* API inventory (collector/apis.h) */
	int inventory;                 /* learn endpoints; default on */
	uint32_t inventory_max_endpoints; /* default 2048 */
	uint32_t inventory_data_per_sec;  /* data-class scans a second, 2000 */
	uint32_t inventory_learning_s; /* endpoints first seen later are new (shadow) */
	char inventory_token[128];     /* "": the pages are open; else Bearer */
	uint32_t inventory_page_s;     /* a page is built at most this often */
};

void config_default(struct config *cfg);
/* Read a YAML file of "key: value" settings. Returns 0, or -errno with a
 * sentence naming the file, line and fix in err. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);
/* Apply SIDEWATCH_MODE, SIDEWATCH_NAME, SIDEWATCH_NETNS, SIDEWATCH_LOG_LEVEL. */
int config_env(struct config *cfg, char *err, size_t errlen);
/* Set one key from text (used by the file, env and options). */
int config_set(struct config *cfg, const char *key, const char *val,
	       char *err, size_t errlen);

#endif
