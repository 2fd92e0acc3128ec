/* config.c - settings from a YAML file, the environment and options. */
#include "collector/config.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/metrics_http.h"
#include "collector/detect/fwdfor.h"
#include "collector/enforce/shield.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>
#include <yaml.h>

void config_default(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = CFG_MONITOR;
	if (gethostname(cfg->name, sizeof(cfg->name) - 1))
		strcpy(cfg->name, "localhost");
	cfg->log_level = LOG_INFO;
	cfg->max_conns = 65536;
	cfg->mem_budget_mb = 256;
	cfg->idle_timeout_s = 300;
	cfg->ws_summary_s = 30;
	cfg->ws_inflate_windows = 256;
	cfg->ws_inflate_windows_client = 8;
	cfg->stats_interval_s = 0;
	strcpy(cfg->spool_dir, "var/spool");
	cfg->tls = 1;
	cfg->resp_skip = 1;
	cfg->analyzer_idle = 0;
	strcpy(cfg->metrics_listen, "127.0.0.1:9464");
	cfg->inventory = 1;
	cfg->inventory_max_endpoints = 2048;
	cfg->inventory_data_per_sec = 2000;
	cfg->inventory_learning_s = 3600;
	cfg->inventory_page_s = 5;
}

static int set_str(char *dst, size_t cap, const char *key, const char *val,
		   char *err, size_t errlen)
{
	if (strlen(val) >= cap) {
		snprintf(err, errlen, "%s is longer than %zu characters", key, cap - 1);
		return -EINVAL;
	}
	strcpy(dst, val);
	return 0;
}

static int parse_bool(const char *v, int *out)
{
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") ||
	    !strcasecmp(v, "on")) {
		*out = 1;
		return 0;
	}
	if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
	    !strcasecmp(v, "off")) {
		*out = 0;
		return 0;
	}
	return -EINVAL;
}

static int parse_u32(const char *v, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi)
		return -EINVAL;
	*out = (uint32_t)x;
	return 0;
}

#define NOT_MINE 1 /* a setter's answer for a key it does not own */
#define CFG_STR(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

/* Keys whose value is true or false, a whole number in a range, or a
 * string stored as given. */
static const struct { const char *key; size_t off; } bool_keys[] = { /* int */
	{"capture_client", offsetof(struct config, capture_client)},
	{"log_json", offsetof(struct config, log_json)},
	{"tls", offsetof(struct config, tls)},
	{"uplink_plain", offsetof(struct config, uplink_plain)},
	{"collector_key_create", offsetof(struct config, collector_key_create)},
	{"inventory", offsetof(struct config, inventory)},
	{"resp_skip", offsetof(struct config, resp_skip)},
};
static const struct { const char *key; size_t off; uint32_t lo, hi; } num_keys[] = { /* uint32_t */
	{"max_conns", offsetof(struct config, max_conns), 16, 1u << 22},
	{"mem_budget_mb", offsetof(struct config, mem_budget_mb), 8, 1u << 20},
	{"idle_timeout_s", offsetof(struct config, idle_timeout_s), 1, 86400},
	{"ws_summary_s", offsetof(struct config, ws_summary_s), 0, 86400},
	{"ws_inflate_windows", offsetof(struct config, ws_inflate_windows), 0, 1u << 20},
	{"ws_inflate_windows_client", offsetof(struct config, ws_inflate_windows_client), 0, 1u << 20},
	{"stats_interval_s", offsetof(struct config, stats_interval_s), 0, 86400},
	{"inventory_max_endpoints", offsetof(struct config, inventory_max_endpoints), 16, 1u << 20},
	{"inventory_data_per_sec", offsetof(struct config, inventory_data_per_sec), 1, 1000000},
	{"inventory_learning_s", offsetof(struct config, inventory_learning_s), 0, 30u * 86400},
	{"inventory_page_s", offsetof(struct config, inventory_page_s), 1, 3600},
};
static const struct { const char *key; size_t off, size; } str_keys[] = {
	{"rules", CFG_STR(rules_file)},
	{"blocklist", CFG_STR(blocklist)},
	{"ring", CFG_STR(ring)},
	{"spool_dir", CFG_STR(spool_dir)},
	{"collector_key", CFG_STR(collector_key)},
	{"correlator_key", CFG_STR(correlator_key)},
	{"identity_key", CFG_STR(identity_key)},
	{"inventory_token", CFG_STR(inventory_token)},
};

/* A key of the tables above; NOT_MINE for any other. */
static int set_plain(struct config *cfg, const char *key, const char *val,
		     char *err, size_t errlen)
{
	char *base = (char *)cfg;
	uint32_t u;

	for (size_t i = 0; i < sizeof(bool_keys) / sizeof(bool_keys[0]); i++) {
		if (strcmp(key, bool_keys[i].key))
			continue;
		if (parse_bool(val, (int *)(base + bool_keys[i].off))) {
			snprintf(err, errlen, "%s must be true or false, not '%.40s'", key, val);
			return -EINVAL;
		}
		return 0;
	}
	for (size_t i = 0; i < sizeof(num_keys) / sizeof(num_keys[0]); i++) {
		if (strcmp(key, num_keys[i].key))
			continue;
		if (parse_u32(val, num_keys[i].lo, num_keys[i].hi, &u)) {
			snprintf(err, errlen, "%s must be a whole number in range, not '%.40s'", key, val);
			return -EINVAL;
		}
		*(uint32_t *)(base + num_keys[i].off) = u;
		return 0;
	}
	for (size_t i = 0; i < sizeof(str_keys) / sizeof(str_keys[0]); i++)
		if (!strcmp(key, str_keys[i].key))
			return set_str(base + str_keys[i].off, str_keys[i].size, key, val, err, errlen);
	return NOT_MINE;
}

/* mode, name, netns, log_level: a word from a list or a bounded name. */
static int set_word(struct config *cfg, const char *key, const char *val,
		    char *err, size_t errlen)
{
	enum log_level lvl;

	if (!strcmp(key, "mode")) {
		if (!strcmp(val, "monitor"))
			cfg->mode = CFG_MONITOR;
		else if (!strcmp(val, "enforce"))
			cfg->mode = CFG_ENFORCE;
		else {
			snprintf(err, errlen, "mode must be 'monitor' or 'enforce', not '%.40s'", val);
			return -EINVAL;
		}
	} else if (!strcmp(key, "name")) {
		if (!*val || strlen(val) >= sizeof(cfg->name)) {
			snprintf(err, errlen, "name must be 1 to %zu characters",
				 sizeof(cfg->name) - 1);
			return -EINVAL;
		}
		strcpy(cfg->name, val);
	} else if (!strcmp(key, "netns")) {
		if (!strcmp(val, "all"))
			cfg->netns_self = 0;
		else if (!strcmp(val, "self"))
			cfg->netns_self = 1;
		else {
			snprintf(err, errlen, "netns must be 'all' or 'self', not '%.40s'", val);
			return -EINVAL;
		}
	} else if (!strcmp(key, "analyzer_priority")) {
		if (!strcmp(val, "idle"))
			cfg->analyzer_idle = 1;
		else if (!strcmp(val, "normal"))
			cfg->analyzer_idle = 0;
		else {
			snprintf(err, errlen, "analyzer_priority must be 'idle' or 'normal', not '%.40s'", val);
			return -EINVAL;
		}
	} else if (!strcmp(key, "log_level")) {
		if (log_parse_level(val, &lvl)) {
			snprintf(err, errlen, "log_level must be error, warn, info or debug, not '%.40s'", val);
			return -EINVAL;
		}
		cfg->log_level = (int)lvl;
	} else {
		return NOT_MINE;
	}
	return 0;
}

/* correlator, metrics_listen, never_block: addresses, checked before they
 * are kept. */
static int set_address(struct config *cfg, const char *key, const char *val,
		       char *err, size_t errlen)
{
	if (!strcmp(key, "correlator")) {
		if (*val && strncmp(val, "tcp://", 6) && strncmp(val, "ipc://", 6)) {
			snprintf(err, errlen, "correlator must be an endpoint like tcp://10.0.0.5:7450, not '%.60s'", val);
			return -EINVAL;
		}
		return set_str(cfg->correlator, sizeof(cfg->correlator), key, val, err, errlen);
	} else if (!strcmp(key, "metrics_listen")) {
		struct sockaddr_storage ss;
		unsigned sl;

		if (!strcmp(val, "off"))
			val = "";
		if (*val && (strlen(val) >= sizeof(cfg->metrics_listen) ||
			     metrics_http_parse_addr(val, &ss, &sl))) {
			snprintf(err, errlen, "metrics_listen must be HOST:PORT like 127.0.0.1:9464 or [::1]:9464, or off (\"\") to turn it off, not '%.60s'", val);
			return -EINVAL;
		}
		strcpy(cfg->metrics_listen, val);
		return 0;
	} else if (!strcmp(key, "never_block")) {
		struct shield sh;

		shield_init(&sh);
		if (shield_add_list(&sh, val, "never_block", err, errlen)) {
			char why[160];

			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errlen, "never_block: %s (a comma-separated list of addresses and CIDRs)", why);
			return -EINVAL;
		}
		return set_str(cfg->never_block, sizeof(cfg->never_block), key, val, err, errlen);
	} else if (!strcmp(key, "trusted_proxies")) {
		struct fwdfor_set fs;
		char why[160];

		if (fwdfor_set_parse(&fs, val, why, sizeof(why))) {
			snprintf(err, errlen, "trusted_proxies: %s (a comma-separated list of the proxies' addresses and CIDRs)", why);
			return -EINVAL;
		}
		return set_str(cfg->trusted_proxies, sizeof(cfg->trusted_proxies), key, val, err, errlen);
	} else if (!strcmp(key, "trusted_proxy_header")) {
		if (strcasecmp(val, "x-forwarded-for") && strcasecmp(val, "forwarded")) {
			snprintf(err, errlen, "trusted_proxy_header must be 'x-forwarded-for' or 'forwarded' (the header your proxy writes), not '%.40s'", val);
			return -EINVAL;
		}
		cfg->proxy_forwarded = !strcasecmp(val, "forwarded");
		return 0;
	}
	return NOT_MINE;
}

int config_set(struct config *cfg, const char *key, const char *val,
	       char *err, size_t errlen)
{
	int rc = set_plain(cfg, key, val, err, errlen);

	if (rc == NOT_MINE)
		rc = set_word(cfg, key, val, err, errlen);
	if (rc == NOT_MINE)
		rc = set_address(cfg, key, val, err, errlen);
	if (rc != NOT_MINE)
		return rc;
	snprintf(err, errlen,
		 "unknown key '%.40s' (known: mode, name, netns, capture_client, log_level, log_json, max_conns, mem_budget_mb, idle_timeout_s, ws_summary_s, ws_inflate_windows, ws_inflate_windows_client, stats_interval_s, rules, correlator, ring, blocklist, spool_dir, collector_key, collector_key_create, correlator_key, identity_key, uplink_plain, metrics_listen, never_block, trusted_proxies, trusted_proxy_header, tls, inventory, inventory_max_endpoints, inventory_data_per_sec, inventory_learning_s, inventory_token, inventory_page_s, analyzer_priority, resp_skip)",
		 key);
	return -ENOENT;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	yaml_parser_t p;
	yaml_event_t ev;
	FILE *f;
	char key[64] = "";
	char why[512];
	int depth = 0, want_key = 1, rc = 0, done = 0;
	unsigned long line = 0;

	f = fopen(path, "r");
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "cannot open config file %s: %s", path, strerror(errno));
		return rc;
	}
	if (!yaml_parser_initialize(&p)) {
		fclose(f);
		snprintf(err, errlen, "out of memory reading %s", path);
		return -ENOMEM;
	}
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			snprintf(err, errlen, "%s line %lu: YAML error: %s", path,
				 (unsigned long)p.problem_mark.line + 1,
				 p.problem ? p.problem : "unknown");
			rc = -EINVAL;
			break;
		}
		line = (unsigned long)ev.start_mark.line + 1;
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
			if (++depth > 1) {
				snprintf(err, errlen, "%s line %lu: '%s' takes a single value here, not a mapping",
					 path, line, key);
				rc = -EINVAL;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
			snprintf(err, errlen, "%s line %lu: '%s' takes a single value, not a list",
				 path, line, key);
			rc = -EINVAL;
			break;
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_SCALAR_EVENT:
			if (depth != 1) {
				snprintf(err, errlen, "%s line %lu: expected 'key: value' lines", path, line);
				rc = -EINVAL;
			} else if (want_key) {
				snprintf(key, sizeof(key), "%s", (const char *)ev.data.scalar.value);
				want_key = 0;
			} else {
				if (config_set(cfg, key, (const char *)ev.data.scalar.value,
					       why, sizeof(why))) {
					snprintf(err, errlen, "%s line %lu: %s", path, line, why);
					rc = -EINVAL;
				}
				want_key = 1;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (rc)
			break;
	}
	yaml_parser_delete(&p);
	fclose(f);
	return rc;
}

int config_env(struct config *cfg, char *err, size_t errlen)
{
	static const struct { const char *env, *key; } map[] = {
		{ "SIDEWATCH_MODE", "mode" },
		{ "SIDEWATCH_NAME", "name" },
		{ "SIDEWATCH_NETNS", "netns" },
		{ "SIDEWATCH_LOG_LEVEL", "log_level" },
		{ "SIDEWATCH_LOG_JSON", "log_json" },
		{ "SIDEWATCH_CORRELATOR", "correlator" },
		{ "SIDEWATCH_RULES", "rules" },
		{ "SIDEWATCH_SPOOL_DIR", "spool_dir" },
		{ "SIDEWATCH_COLLECTOR_KEY", "collector_key" },
		{ "SIDEWATCH_COLLECTOR_KEY_CREATE", "collector_key_create" },
		{ "SIDEWATCH_CORRELATOR_KEY", "correlator_key" },
		{ "SIDEWATCH_IDENTITY_KEY", "identity_key" },
		{ "SIDEWATCH_METRICS_LISTEN", "metrics_listen" },
		{ "SIDEWATCH_NEVER_BLOCK", "never_block" },
		{ "SIDEWATCH_TRUSTED_PROXIES", "trusted_proxies" },
		{ "SIDEWATCH_TRUSTED_PROXY_HEADER", "trusted_proxy_header" },
		{ "SIDEWATCH_INVENTORY", "inventory" },
		{ "SIDEWATCH_INVENTORY_MAX_ENDPOINTS", "inventory_max_endpoints" },
		{ "SIDEWATCH_INVENTORY_DATA_PER_SEC", "inventory_data_per_sec" },
		{ "SIDEWATCH_INVENTORY_LEARNING_S", "inventory_learning_s" },
		{ "SIDEWATCH_ANALYZER_PRIORITY", "analyzer_priority" },
		{ "SIDEWATCH_RESP_SKIP", "resp_skip" },
		{ "SIDEWATCH_INVENTORY_TOKEN", "inventory_token" },
		{ "SIDEWATCH_INVENTORY_PAGE_S", "inventory_page_s" },
	};
	char why[512];

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const char *v = getenv(map[i].env);

		if (!v || !*v)
			continue;
		if (config_set(cfg, map[i].key, v, why, sizeof(why))) {
			snprintf(err, errlen, "environment %s: %s", map[i].env, why);
			return -EINVAL;
		}
	}
	return 0;
}
