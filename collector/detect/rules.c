/* rules.c - rule defaults and the strict YAML loader (libyaml document API). */
#include "collector/detect/rules.h"
#include "collector/detect/ident.h"
#include "common/cidr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <yaml.h>

#define SEC 1000000000ull

const char *const verdict_action_names[3] = { "alert", "kill", "block" };
const char *const verdict_severity_names[4] = { "low", "medium", "high", "critical" };

const char *const rule_names[RULE__COUNT] = {
	[RULE_SQLI] = "sqli",
	[RULE_XSS] = "xss",
	[RULE_PATH_TRAVERSAL] = "path_traversal",
	[RULE_CMD_INJECTION] = "cmd_injection",
	[RULE_SSRF] = "ssrf",
	[RULE_JNDI] = "jndi",
	[RULE_SSTI] = "ssti",
	[RULE_XXE] = "xxe",
	[RULE_NOSQLI] = "nosqli",
	[RULE_PROTO_POLLUTION] = "proto_pollution",
	[RULE_SHELLSHOCK] = "shellshock",
	[RULE_LDAPI] = "ldapi",
	[RULE_XPATHI] = "xpathi",
	[RULE_SMUGGLING] = "smuggling",
	[RULE_OVERSIZE] = "oversize",
	[RULE_H2_RAPID_RESET] = "h2_rapid_reset",
	[RULE_H2_FLOOD] = "h2_flood",
	[RULE_WS_ABUSE] = "ws_abuse",
	[RULE_WS_ORIGIN] = "ws_origin",
	[RULE_EVASION] = "evasion",
	[RULE_SLOWLORIS] = "slowloris",
	[RULE_RATE] = "rate",
	[RULE_BRUTE_FORCE] = "brute_force",
	[RULE_CRED_STUFFING] = "credential_stuffing",
	[RULE_SCANNING] = "scanning",
	[RULE_BOLA] = "bola",
	[RULE_GRPC_UNIMPL] = "grpc_unimplemented",
	[RULE_GRPC_REFLECTION] = "grpc_reflection",
	[RULE_EXFIL] = "exfiltration",
};

/* Which options a rule takes: the loader refuses the others, so that
 * `min_score` on a rate rule is an error rather than a silent no-op. */
enum {
	OPT_THRESHOLD = 1u << 0,
	OPT_WINDOW = 1u << 1,
	OPT_MIN_SCORE = 1u << 2,
	OPT_TIMEOUT = 1u << 3,
	OPT_ANOM = 1u << 4,
	OPT_COOLDOWN = 1u << 5,
	OPT_EXFIL = 1u << 6,
	OPT_ESCALATE = 1u << 7,
};

static unsigned rule_opts(int id)
{
	if (id >= RULE_PAYLOAD_FIRST && id <= RULE_PAYLOAD_LAST)
		return OPT_MIN_SCORE | OPT_ESCALATE;
	if (id == RULE_SLOWLORIS)
		return OPT_TIMEOUT;
	if (id >= RULE_PROTO_FIRST && id <= RULE_PROTO_LAST)
		return OPT_THRESHOLD | OPT_WINDOW | OPT_ANOM;
	if (id == RULE_EXFIL)
		return OPT_EXFIL | OPT_COOLDOWN;
	return OPT_THRESHOLD | OPT_WINDOW | OPT_COOLDOWN;
}

static void set_anoms(struct rule *r, const char *const *names)
{
	r->n_anom = 0;
	for (; *names && r->n_anom < RULES_MAX_ANOM; names++)
		snprintf(r->anom[r->n_anom++], RULES_ANOM_LEN, "%s", *names);
}

static void rule_set(struct rule *r, enum verdict_severity sev, enum verdict_action act,
		     uint32_t threshold, uint64_t window_ns, uint64_t ttl_ns)
{
	r->enabled = 1;
	r->severity = sev;
	r->action = act;
	r->threshold = threshold;
	r->window_ns = window_ns;
	r->block_ttl_ns = ttl_ns;
	r->cooldown_ns = window_ns;
}

static void defaults(struct rules *rs)
{
	static const char *const smuggling[] = { "h1.cl_te", "h1.dup_cl", "h1.te_obfuscated",
						 "h1.te_on_get", "h1.dup_te", NULL };
	static const char *const oversize[] = { "h1.hdr_oversize", "h1.uri_oversize",
						"h2.hdr_list_oversize", NULL };
	static const char *const rapid[] = { "h2.rapid_reset", NULL };
	static const char *const h2flood[] = { "h2.reset_flood", "h2.continuation_flood",
					       "h2.settings_flood", "h2.ping_flood",
					       "h2.streams_over_max", "h2.stream_table_full", NULL };
	static const char *const wsabuse[] = { "ws.message_flood", "ws.oversize_message",
					       "ws.oversize_frame", "ws.fragment_storm",
					       "ws.control_abuse", NULL };
	static const char *const wsorigin[] = { "ws.foreign_origin", NULL };
	static const char *const evasion[] = { "conn.garbage", "conn.crlf_flood",
					       "conn.h2_no_headers", "h1.req_unparsed",
					       "h1.ctl_in_header", "h1.body_unjudged", "h1.uri_unjudged",
					       "h2.body_unjudged",
					       "ws.message_unjudged", "conn.mem_hog",
					       "conn.shed_resumed", "body.coded_unjudged",
					       "ws.coded_unjudged", "grpc.coded_unjudged", NULL };
	static const char *const login[] = { "login", "signin", "auth", "token", "oauth",
					     "session", NULL };
	static const char *const hdrs[] = { "user-agent", "referer", "x-forwarded-for",
					    "x-api-version", "cookie", NULL };
	int i;

	memset(rs, 0, sizeof(*rs));
	rs->enforce = 0;
	for (i = RULE_PAYLOAD_FIRST; i <= RULE_PAYLOAD_LAST; i++) {
		rule_set(&rs->r[i], SEV_HIGH, VERDICT_KILL, 60, 0, 0);
		rs->r[i].escalate_after = 3;
		rs->r[i].escalate_window_ns = 60 * SEC;
		rs->r[i].escalate_ttl_ns = 600 * SEC;
	}
	rule_set(&rs->r[RULE_SMUGGLING], SEV_HIGH, VERDICT_KILL, 1, 60 * SEC, 0);
	set_anoms(&rs->r[RULE_SMUGGLING], smuggling);
	rule_set(&rs->r[RULE_OVERSIZE], SEV_LOW, VERDICT_ALERT, 1, 60 * SEC, 0);
	set_anoms(&rs->r[RULE_OVERSIZE], oversize);
	rule_set(&rs->r[RULE_H2_RAPID_RESET], SEV_HIGH, VERDICT_BLOCK, 100, 10 * SEC, 60 * SEC);
	set_anoms(&rs->r[RULE_H2_RAPID_RESET], rapid);
	rule_set(&rs->r[RULE_H2_FLOOD], SEV_HIGH, VERDICT_BLOCK, 1, 10 * SEC, 60 * SEC);
	set_anoms(&rs->r[RULE_H2_FLOOD], h2flood);
	rule_set(&rs->r[RULE_WS_ABUSE], SEV_MEDIUM, VERDICT_KILL, 1, 60 * SEC, 0);
	set_anoms(&rs->r[RULE_WS_ABUSE], wsabuse);
	rule_set(&rs->r[RULE_WS_ORIGIN], SEV_MEDIUM, VERDICT_ALERT, 1, 60 * SEC, 0);
	set_anoms(&rs->r[RULE_WS_ORIGIN], wsorigin);
	rule_set(&rs->r[RULE_EVASION], SEV_MEDIUM, VERDICT_ALERT, 1, 60 * SEC, 0);
	set_anoms(&rs->r[RULE_EVASION], evasion);
	rule_set(&rs->r[RULE_SLOWLORIS], SEV_MEDIUM, VERDICT_KILL, 0, 10 * SEC, 0);
	rule_set(&rs->r[RULE_RATE], SEV_MEDIUM, VERDICT_BLOCK, 200, 10 * SEC, 60 * SEC);
	rule_set(&rs->r[RULE_BRUTE_FORCE], SEV_HIGH, VERDICT_BLOCK, 10, 60 * SEC, 300 * SEC);
	rule_set(&rs->r[RULE_CRED_STUFFING], SEV_HIGH, VERDICT_BLOCK, 5, 60 * SEC, 300 * SEC);
	rule_set(&rs->r[RULE_SCANNING], SEV_MEDIUM, VERDICT_BLOCK, 20, 60 * SEC, 300 * SEC);
	rule_set(&rs->r[RULE_BOLA], SEV_HIGH, VERDICT_ALERT, 50, 60 * SEC, 300 * SEC);
	rule_set(&rs->r[RULE_GRPC_UNIMPL], SEV_MEDIUM, VERDICT_ALERT, 20, 60 * SEC, 0);
	rule_set(&rs->r[RULE_GRPC_REFLECTION], SEV_LOW, VERDICT_ALERT, 1, 60 * SEC, 0);
	rule_set(&rs->r[RULE_EXFIL], SEV_HIGH, VERDICT_ALERT, 0, 0, 0);
	rs->r[RULE_EXFIL].k = 6.0;
	rs->r[RULE_EXFIL].warmup = 50;
	rs->r[RULE_EXFIL].min_bytes = 1u << 20;
	rs->r[RULE_EXFIL].cooldown_ns = 60 * SEC;
	for (i = 0; login[i]; i++)
		snprintf(rs->login[rs->n_login++], RULES_STR_LEN, "%s", login[i]);
	for (i = 0; hdrs[i]; i++)
		snprintf(rs->scan_hdr[rs->n_scan_hdr++], RULES_STR_LEN, "%s", hdrs[i]);
	rs->ipv6_prefix = 128;
	rs->max_clients = 65536;
	rs->buckets = 10;
	rs->max_templates = 16384;
	rs->learn_distinct = 24;
	rs->max_conn_marks = 65536;
}

void rules_default(struct rules **out)
{
	*out = malloc(sizeof(**out));
	if (*out)
		defaults(*out);
}

void rules_free(struct rules *r)
{
	free(r);
}

/* --- value parsers ---------------------------------------------------------- */

int rules_parse_duration(const char *s, uint64_t *ns)
{
	char *end;
	unsigned long long v;
	uint64_t mul;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (!*end || !strcmp(end, "s"))
		mul = SEC;
	else if (!strcmp(end, "ms"))
		mul = 1000000ull;
	else if (!strcmp(end, "m"))
		mul = 60 * SEC;
	else if (!strcmp(end, "h"))
		mul = 3600 * SEC;
	else if (!strcmp(end, "d"))
		mul = 86400 * SEC;
	else
		return -EINVAL;
	if (v > UINT64_MAX / mul || v * mul > 366 * 86400 * SEC)
		return -EINVAL;
	*ns = v * mul;
	return 0;
}

int rules_parse_cidr(const char *s, struct rules_cidr *c)
{
	struct cidr x;
	int rc = cidr_parse(s, &x);

	memset(c, 0, sizeof(*c));
	if (rc)
		return rc;
	cidr_clear_host_bits(x.addr, x.prefixlen);
	c->family = x.family;
	c->prefix = x.prefixlen;
	memcpy(c->addr, x.addr, sizeof(c->addr));
	return 0;
}

static int cidr_match(const struct rules_cidr *c, uint8_t family, const uint8_t *addr)
{
	int full = c->prefix / 8, rest = c->prefix % 8;

	if (c->family != family)
		return 0;
	if (memcmp(c->addr, addr, (size_t)full))
		return 0;
	if (rest && ((addr[full] ^ c->addr[full]) & (uint8_t)(0xff << (8 - rest))))
		return 0;
	return 1;
}

int rules_allowed_addr(const struct rules *r, uint8_t family, const uint8_t *addr)
{
	uint8_t v4[4];

	/* an IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d */
	if (family == AF_INET6 && !memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12)) {
		memcpy(v4, addr + 12, 4);
		if (rules_allowed_addr(r, AF_INET, v4))
			return 1;
	}
	for (uint32_t i = 0; i < r->n_allow_cidr; i++)
		if (cidr_match(&r->allow_cidr[i], family, addr))
			return 1;
	return 0;
}

int rules_allowed_id(const struct rules *r, const char *key)
{
	if (!key || !*key)
		return 0;
	for (uint32_t i = 0; i < r->n_allow_id; i++)
		if (!strcmp(r->allow_id[i], key))
			return 1;
	return 0;
}

/* --- YAML ------------------------------------------------------------------- */

struct ld {
	yaml_document_t *doc;
	const char *name;
	char *err;
	size_t errlen;
	struct rules *rs;
};

static int fail(struct ld *l, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ld *l, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(l->err, l->errlen, "%s:%zu: %s", l->name,
		 n ? n->start_mark.line + 1 : (size_t)0, msg);
	return -EINVAL;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int want_scalar(struct ld *l, const yaml_node_t *n, const char *key, const char **out)
{
	*out = scalar(n);
	if (!*out)
		return fail(l, n, "%s needs a single value, not a list or mapping", key);
	return 0;
}

static int get_bool(struct ld *l, const yaml_node_t *n, const char *key, uint8_t *out)
{
	const char *v;

	if (want_scalar(l, n, key, &v))
		return -EINVAL;
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on")) {
		*out = 1;
	} else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off")) {
		*out = 0;
	} else {
		return fail(l, n, "%s: '%.40s' is not a boolean; write true or false", key, v);
	}
	return 0;
}

static int get_u32(struct ld *l, const yaml_node_t *n, const char *key,
		   uint32_t lo, uint32_t hi, uint32_t *out)
{
	const char *v;
	char *end;
	unsigned long long x;

	if (want_scalar(l, n, key, &v))
		return -EINVAL;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno || end == v || *end || *v == '-' || x < lo || x > hi)
		return fail(l, n, "%s: '%.40s' must be a whole number from %u to %u", key, v, lo, hi);
	*out = (uint32_t)x;
	return 0;
}

static int get_dur(struct ld *l, const yaml_node_t *n, const char *key,
		   uint64_t lo, uint64_t *out)
{
	const char *v;

	if (want_scalar(l, n, key, &v))
		return -EINVAL;
	if (rules_parse_duration(v, out) || *out < lo)
		return fail(l, n, "%s: '%.40s' is not a duration of at least %llums; write e.g. 500ms, 10s, 5m, 1h",
			    key, v, (unsigned long long)(lo / 1000000ull));
	return 0;
}

static int parse_rule(struct ld *l, int id, const yaml_node_t *map)
{
	struct rule *r = &l->rs->r[id];
	unsigned opts = rule_opts(id);
	const char *name = rule_names[id];
	yaml_node_pair_t *p;

	if (map->type != YAML_MAPPING_NODE)
		return fail(l, map, "rules.%s must be a mapping of options (enabled, severity, action, ...)", name);
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(l->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(l->doc, p->value);
		const char *k = scalar(kn), *v;
		char full[96];
		unsigned need = 0;
		int i, rc = 0;

		if (!k)
			return fail(l, kn, "rules.%s: option names must be plain words", name);
		snprintf(full, sizeof(full), "rules.%s.%s", name, k);
		if (!strcmp(k, "threshold"))
			need = OPT_THRESHOLD;
		else if (!strcmp(k, "window"))
			need = OPT_WINDOW;
		else if (!strcmp(k, "min_score"))
			need = OPT_MIN_SCORE;
		else if (!strcmp(k, "timeout"))
			need = OPT_TIMEOUT;
		else if (!strcmp(k, "anomalies"))
			need = OPT_ANOM;
		else if (!strcmp(k, "cooldown"))
			need = OPT_COOLDOWN;
		else if (!strcmp(k, "k") || !strcmp(k, "warmup") || !strcmp(k, "min_bytes"))
			need = OPT_EXFIL;
		else if (!strncmp(k, "escalate_", 9))
			need = OPT_ESCALATE;
		if (need && !(opts & need))
			return fail(l, kn, "%s: rule '%s' takes no '%s' option; remove it", full, name, k);

		if (!strcmp(k, "enabled")) {
			rc = get_bool(l, vn, full, &r->enabled);
		} else if (!strcmp(k, "severity")) {
			if (want_scalar(l, vn, full, &v))
				return -EINVAL;
			for (i = 0; i < 4 && strcmp(v, verdict_severity_names[i]); i++)
				;
			if (i == 4)
				return fail(l, vn, "%s: '%.40s' is not a severity; use low, medium, high or critical", full, v);
			r->severity = (enum verdict_severity)i;
		} else if (!strcmp(k, "action")) {
			if (want_scalar(l, vn, full, &v))
				return -EINVAL;
			for (i = 0; i < 3 && strcmp(v, verdict_action_names[i]); i++)
				;
			if (i == 3)
				return fail(l, vn, "%s: '%.40s' is not an action; use alert, kill or block", full, v);
			r->action = (enum verdict_action)i;
		} else if (!strcmp(k, "block_ttl")) {
			rc = get_dur(l, vn, full, 1000000000ull, &r->block_ttl_ns);
		} else if (!strcmp(k, "threshold")) {
			/* distinct-count rules compare against a bounded set */
			rc = get_u32(l, vn, full, 1,
				     id == RULE_SCANNING || id == RULE_BOLA || id == RULE_CRED_STUFFING ?
					     1000 : 100000000, &r->threshold);
		} else if (!strcmp(k, "min_score")) {
			rc = get_u32(l, vn, full, 1, 100, &r->threshold);
		} else if (!strcmp(k, "window") || !strcmp(k, "timeout")) {
			rc = get_dur(l, vn, full, 100000000ull, &r->window_ns);
		} else if (!strcmp(k, "escalate_after")) {
			rc = get_u32(l, vn, full, 0, RULES_MAX_ESCALATE, &r->escalate_after);
		} else if (!strcmp(k, "escalate_window")) {
			rc = get_dur(l, vn, full, 1000000000ull, &r->escalate_window_ns);
		} else if (!strcmp(k, "escalate_ttl")) {
			rc = get_dur(l, vn, full, 1000000000ull, &r->escalate_ttl_ns);
		} else if (!strcmp(k, "cooldown")) {
			rc = get_dur(l, vn, full, 0, &r->cooldown_ns);
		} else if (!strcmp(k, "warmup")) {
			rc = get_u32(l, vn, full, 2, 1000000, &r->warmup);
		} else if (!strcmp(k, "min_bytes")) {
			uint32_t kb;

			rc = get_u32(l, vn, full, 0, 4000000000u, &kb);
			r->min_bytes = kb;
		} else if (!strcmp(k, "k")) {
			char *end;

			if (want_scalar(l, vn, full, &v))
				return -EINVAL;
			r->k = strtod(v, &end);
			if (end == v || *end || !(r->k >= 0.5 && r->k <= 100))
				return fail(l, vn, "%s: '%.40s' must be a number from 0.5 to 100", full, v);
		} else if (!strcmp(k, "anomalies")) {
			yaml_node_item_t *it;

			if (vn->type != YAML_SEQUENCE_NODE)
				return fail(l, vn, "%s must be a list of anomaly names like [h1.cl_te, h1.dup_cl]", full);
			r->n_anom = 0;
			for (it = vn->data.sequence.items.start; it < vn->data.sequence.items.top; it++) {
				yaml_node_t *en = yaml_document_get_node(l->doc, *it);
				const char *a = scalar(en);

				if (!a || !strchr(a, '.') || strlen(a) >= RULES_ANOM_LEN)
					return fail(l, en, "%s: each entry is a decoder anomaly name like h1.cl_te", full);
				if (r->n_anom >= RULES_MAX_ANOM)
					return fail(l, en, "%s: at most %d names", full, RULES_MAX_ANOM);
				snprintf(r->anom[r->n_anom++], RULES_ANOM_LEN, "%s", a);
			}
		} else {
			return fail(l, kn, "%s: unknown option; known: enabled, severity, action, block_ttl%s%s%s%s%s%s%s%s",
				    full,
				    opts & OPT_THRESHOLD ? ", threshold" : "",
				    opts & OPT_WINDOW ? ", window" : "",
				    opts & OPT_MIN_SCORE ? ", min_score" : "",
				    opts & OPT_TIMEOUT ? ", timeout" : "",
				    opts & OPT_ANOM ? ", anomalies" : "",
				    opts & OPT_COOLDOWN ? ", cooldown" : "",
				    opts & OPT_EXFIL ? ", k, warmup, min_bytes" : "",
				    opts & OPT_ESCALATE ? ", escalate_after, escalate_window, escalate_ttl" : "");
		}
		if (rc)
			return rc;
	}
	if (r->action == VERDICT_BLOCK && r->block_ttl_ns == 0)
		return fail(l, map, "rules.%s: action block needs block_ttl (e.g. 60s)", name);
	return 0;
}

static int parse_list(struct ld *l, const yaml_node_t *n, const char *key,
		      char (*dst)[RULES_STR_LEN], uint32_t *count, int strip_slash)
{
	yaml_node_item_t *it;

	if (n->type != YAML_SEQUENCE_NODE)
		return fail(l, n, "%s must be a list like [a, b]", key);
	*count = 0;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *en = yaml_document_get_node(l->doc, *it);
		const char *v = scalar(en);

		if (!v)
			return fail(l, en, "%s: entries are single words", key);
		if (strip_slash)
			while (*v == '/')
				v++;
		if (!*v || strlen(v) >= RULES_STR_LEN || strchr(v, '/'))
			return fail(l, en, "%s: '%.40s' must be one word of 1 to %d characters without '/'",
				    key, v, RULES_STR_LEN - 1);
		if (*count >= RULES_MAX_LIST)
			return fail(l, en, "%s: at most %d entries", key, RULES_MAX_LIST);
		snprintf(dst[*count], RULES_STR_LEN, "%s", v);
		for (char *c = dst[*count]; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		(*count)++;
	}
	return 0;
}

static int parse_allow(struct ld *l, const yaml_node_t *n)
{
	yaml_node_item_t *it;
	struct rules *rs = l->rs;

	if (n->type != YAML_SEQUENCE_NODE)
		return fail(l, n, "allow must be a list of CIDRs and identities like [10.0.0.0/8, \"apikey:...\"]");
	rs->n_allow_cidr = rs->n_allow_id = 0;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *en = yaml_document_get_node(l->doc, *it);
		const char *v = scalar(en);

		if (!v)
			return fail(l, en, "allow: entries are single values");
		if (rs->n_allow_cidr + rs->n_allow_id >= RULES_MAX_ALLOW)
			return fail(l, en, "allow: at most %d entries", RULES_MAX_ALLOW);
		if (rules_parse_cidr(v, &rs->allow_cidr[rs->n_allow_cidr]) == 0)
			rs->n_allow_cidr++;
		else if (ident_key_from_spec(v, rs->allow_id[rs->n_allow_id], NULL) == 0)
			rs->n_allow_id++;
		else
			return fail(l, en, "allow: '%.40s' is neither a CIDR (10.0.0.0/8, fd00::/8) nor an identity (apikey:KEY, sub:NAME, user:NAME, bearer:TOKEN, cookie:NAME=VALUE)", v);
	}
	return 0;
}

static int parse_limits(struct ld *l, const yaml_node_t *n)
{
	struct rules *rs = l->rs;
	yaml_node_pair_t *p;

	if (n->type != YAML_MAPPING_NODE)
		return fail(l, n, "limits must be a mapping (max_clients: 65536, ...)");
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(l->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(l->doc, p->value);
		const char *k = scalar(kn);
		int rc;

		if (!k)
			return fail(l, kn, "limits: option names must be plain words");
		if (!strcmp(k, "max_clients"))
			rc = get_u32(l, vn, "limits.max_clients", 16, 1u << 24, &rs->max_clients);
		else if (!strcmp(k, "buckets"))
			rc = get_u32(l, vn, "limits.buckets", 1, 16, &rs->buckets);
		else if (!strcmp(k, "max_templates"))
			rc = get_u32(l, vn, "limits.max_templates", 16, 1u << 22, &rs->max_templates);
		else if (!strcmp(k, "learn_distinct"))
			rc = get_u32(l, vn, "limits.learn_distinct", 2, 64, &rs->learn_distinct);
		else if (!strcmp(k, "max_conn_marks"))
			rc = get_u32(l, vn, "limits.max_conn_marks", 16, 1u << 24, &rs->max_conn_marks);
		else
			return fail(l, kn, "limits.%.40s: unknown option; known: max_clients, buckets, max_templates, learn_distinct, max_conn_marks", k);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_root(struct ld *l, const yaml_node_t *root)
{
	yaml_node_pair_t *p;

	if (!root)
		return 0; /* empty file: defaults */
	if (root->type != YAML_MAPPING_NODE)
		return fail(l, root, "the file must be a mapping (mode:, allow:, rules:, ...)");
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(l->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(l->doc, p->value);
		const char *k = scalar(kn), *v;
		int rc = 0;

		if (!k)
			return fail(l, kn, "top-level keys must be plain words");
		if (!strcmp(k, "mode")) {
			if (want_scalar(l, vn, "mode", &v))
				return -EINVAL;
			if (!strcmp(v, "monitor"))
				l->rs->enforce = 0;
			else if (!strcmp(v, "enforce"))
				l->rs->enforce = 1;
			else
				return fail(l, vn, "mode: '%.40s' is not a mode; use monitor or enforce", v);
		} else if (!strcmp(k, "allow")) {
			rc = parse_allow(l, vn);
		} else if (!strcmp(k, "login_paths")) {
			rc = parse_list(l, vn, "login_paths", l->rs->login, &l->rs->n_login, 1);
		} else if (!strcmp(k, "scan_headers")) {
			rc = parse_list(l, vn, "scan_headers", l->rs->scan_hdr, &l->rs->n_scan_hdr, 0);
		} else if (!strcmp(k, "limits")) {
			rc = parse_limits(l, vn);
		} else if (!strcmp(k, "ipv6_prefix")) {
			uint32_t u;

			rc = get_u32(l, vn, "ipv6_prefix", 32, 128, &u);
			l->rs->ipv6_prefix = (uint8_t)u;
		} else if (!strcmp(k, "rules")) {
			yaml_node_pair_t *q;

			if (vn->type != YAML_MAPPING_NODE)
				return fail(l, vn, "rules must be a mapping of rule id to options");
			for (q = vn->data.mapping.pairs.start; q < vn->data.mapping.pairs.top; q++) {
				yaml_node_t *rk = yaml_document_get_node(l->doc, q->key);
				const char *rn = scalar(rk);
				int id;

				for (id = 0; rn && id < RULE__COUNT && strcmp(rn, rule_names[id]); id++)
					;
				if (!rn || id == RULE__COUNT)
					return fail(l, rk, "rules.%.40s: unknown rule id; see deploy/rules.yaml for the list (sqli, xss, ..., exfiltration)",
						    rn ? rn : "?");
				rc = parse_rule(l, id, yaml_document_get_node(l->doc, q->value));
				if (rc)
					return rc;
			}
		} else {
			return fail(l, kn, "'%.40s': unknown key; known: mode, allow, login_paths, scan_headers, ipv6_prefix, limits, rules", k);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int rules_parse(struct rules **out, const char *yaml, size_t len,
		const char *name, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct ld l = { .doc = &doc, .name = name, .err = err, .errlen = errlen };
	int rc;

	*out = NULL;
	l.rs = malloc(sizeof(*l.rs));
	if (!l.rs) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -ENOMEM;
	}
	defaults(l.rs);
	if (!yaml_parser_initialize(&parser)) {
		free(l.rs);
		snprintf(err, errlen, "%s: out of memory", name);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu: YAML syntax: %s%s%s; fix the indentation or quoting",
			 name, parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "error",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		free(l.rs);
		return -EINVAL;
	}
	rc = parse_root(&l, yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc) {
		free(l.rs);
		return rc;
	}
	*out = l.rs;
	return 0;
}

int rules_load(struct rules **out, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long sz;
	int rc;

	*out = NULL;
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(-rc));
		return rc;
	}
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || sz > (1 << 20) ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		snprintf(err, errlen, "%s: not a readable file of at most 1 MiB", path);
		return -EINVAL;
	}
	buf = malloc((size_t)sz + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		free(buf);
		fclose(f);
		snprintf(err, errlen, "%s: read failed", path);
		return -EIO;
	}
	fclose(f);
	rc = rules_parse(out, buf, (size_t)sz, path, err, errlen);
	free(buf);
	return rc;
}
