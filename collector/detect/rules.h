/* rules.h - the verdict engine's rule set, from YAML (deploy/rules.yaml).
 *
 * One struct rule per rule id with the same option names for all; what
 * `threshold` and `window` mean depends on the rule (documented in
 * deploy/rules.yaml). rules_default() equals the shipped deploy/rules.yaml;
 * a file only needs the keys it changes. Loading is strict: an unknown key,
 * a bad value or a threshold outside its range is an error naming the file
 * line and the fix, so a typo never silently disables a rule.
 */
#ifndef SW_RULES_H
#define SW_RULES_H

#include <stddef.h>
#include <stdint.h>

enum verdict_action { VERDICT_ALERT = 0, VERDICT_KILL = 1, VERDICT_BLOCK = 2 };
enum verdict_severity { SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

extern const char *const verdict_action_names[3];   /* "alert", "kill", "block" */
extern const char *const verdict_severity_names[4]; /* "low" .. "critical" */

enum rule_id {
	/* payload attacks, in the order of payload.h's enum payload_kind (minus PAYLOAD_NONE) */
	RULE_SQLI,
	RULE_XSS,
	RULE_PATH_TRAVERSAL,
	RULE_CMD_INJECTION,
	RULE_SSRF,
	RULE_JNDI,
	RULE_SSTI,
	RULE_XXE,
	RULE_NOSQLI,
	RULE_PROTO_POLLUTION,
	RULE_SHELLSHOCK,
	RULE_LDAPI,
	RULE_XPATHI,
	/* protocol abuse from decoder anomalies */
	RULE_SMUGGLING,
	RULE_OVERSIZE,
	RULE_H2_RAPID_RESET,
	RULE_H2_FLOOD,
	RULE_WS_ABUSE,
	RULE_WS_ORIGIN,
	RULE_EVASION,
	RULE_SLOWLORIS,
	/* behaviour per client over sliding windows */
	RULE_RATE,
	RULE_BRUTE_FORCE,
	RULE_CRED_STUFFING,
	RULE_SCANNING,
	RULE_BOLA,
	RULE_GRPC_UNIMPL,
	RULE_GRPC_REFLECTION,
	RULE_EXFIL,
	RULE__COUNT
};
#define RULE_PAYLOAD_FIRST RULE_SQLI
#define RULE_PAYLOAD_LAST RULE_XPATHI
#define RULE_PROTO_FIRST RULE_SMUGGLING
#define RULE_PROTO_LAST RULE_EVASION

/* "sqli", "xss", "path_traversal", "cmd_injection", "ssrf", "jndi", "ssti",
 * "xxe", "nosqli", "proto_pollution", "shellshock", "ldapi", "xpathi",
 * "smuggling", "oversize", "h2_rapid_reset", "h2_flood", "ws_abuse", "ws_origin", "evasion", "slowloris",
 * "rate", "brute_force", "credential_stuffing", "scanning", "bola",
 * "grpc_unimplemented", "grpc_reflection", "exfiltration" */
extern const char *const rule_names[RULE__COUNT];

#ifndef RULES_MAX_ANOM
#define RULES_MAX_ANOM 16   /* anomaly names one rule listens to */
#endif
#ifndef RULES_MAX_ALLOW
#define RULES_MAX_ALLOW 256 /* allow entries (CIDRs + identities) */
#endif
#ifndef RULES_MAX_LIST
#define RULES_MAX_LIST 32   /* login paths, scanned headers */
#endif
#define RULES_ANOM_LEN 48
#define RULES_MAX_ESCALATE 8  /* escalate_after at most this */
#define RULES_STR_LEN 64

struct rule {
	uint8_t enabled;
	enum verdict_severity severity;
	enum verdict_action action;
	uint64_t block_ttl_ns;   /* BLOCK only */
	uint32_t threshold;      /* count, distinct count or minimum score */
	uint64_t window_ns;      /* sliding window; slowloris: head timeout */
	uint64_t cooldown_ns;    /* behaviour: quiet time per client after a verdict */
	/* payload: the escalate_after-th payload verdict on one client within
	 * escalate_window_ns is a BLOCK for escalate_ttl_ns (0: never) */
	uint32_t escalate_after;
	uint64_t escalate_window_ns;
	uint64_t escalate_ttl_ns;
	/* exfiltration */
	double k;                /* standard deviations above the mean */
	uint32_t warmup;         /* samples before a template has a baseline */
	uint64_t min_bytes;      /* never below this response size */
	/* protocol rules: decoder anomaly names that trigger the rule */
	uint32_t n_anom;
	char anom[RULES_MAX_ANOM][RULES_ANOM_LEN];
};

struct rules_cidr {
	uint8_t family;          /* AF_INET or AF_INET6 */
	uint8_t prefix;
	uint8_t addr[16];        /* network order, host bits cleared */
};

struct rules {
	int enforce;             /* mode: 0 monitor (everything is an alert), 1 enforce */
	struct rule r[RULE__COUNT];

	uint32_t n_allow_cidr;
	struct rules_cidr allow_cidr[RULES_MAX_ALLOW];
	uint32_t n_allow_id;
	char allow_id[RULES_MAX_ALLOW][24];  /* ident keys "id:<hex>" */

	uint32_t n_login;
	char login[RULES_MAX_LIST][RULES_STR_LEN];      /* path segments that mark a login endpoint */
	uint32_t n_scan_hdr;
	char scan_hdr[RULES_MAX_LIST][RULES_STR_LEN];   /* request headers scanned for payload attacks */

	/* IPv6 clients are one client per this prefix (a /64 is what one
	 * subscriber or host usually gets): their counts add up and a block
	 * covers the prefix. 128: each address alone (default). */
	uint8_t ipv6_prefix;

	/* limits */
	uint32_t max_clients;    /* per-client state (IP and identity keys), LRU */
	uint32_t buckets;        /* sub-buckets per window */
	uint32_t max_templates;  /* template learning entries and baselines, LRU each */
	uint32_t learn_distinct; /* distinct values before a path position is {var} */
	uint32_t max_conn_marks; /* (connection, rule) pairs already judged, LRU */
};

/* Parse path. Returns 0, or a negative errno with err holding one sentence
 * "FILE:LINE: what is wrong; the fix". */
int rules_load(struct rules **out, const char *path, char *err, size_t errlen);
/* Same from a string (tests); name is used in messages. */
int rules_parse(struct rules **out, const char *yaml, size_t len,
		const char *name, char *err, size_t errlen);
void rules_default(struct rules **out);   /* NULL on out of memory */
void rules_free(struct rules *r);         /* NULL ok */

/* Is this address (family AF_INET/AF_INET6, network order) in the allow
 * list's CIDRs; is this identity key in its identities? */
int rules_allowed_addr(const struct rules *r, uint8_t family, const uint8_t *addr);
int rules_allowed_id(const struct rules *r, const char *key);
/* Parse "10.0.0.0/8", "fd00::/8" or a bare address (common/cidr.h), host
 * bits cleared. 0 or -EINVAL. */
int rules_parse_cidr(const char *s, struct rules_cidr *c);
/* "90s", "500ms", "5m", "1h", "2d" or bare seconds. 0 or -EINVAL. */
int rules_parse_duration(const char *s, uint64_t *ns);

#endif /* SW_RULES_H */
