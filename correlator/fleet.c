/* fleet.c - cross-host detectors: hot windows in memory, incidents and
 * block decisions in PostgreSQL. */
#include "fleet.h"
#include "clock.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <libpq-fe.h>

#include "blocks.h"
#include "textesc.h"

/* --- configuration ------------------------------------------------------- */

#define FLEET_DEF_BF_WINDOW_S      120
#define FLEET_DEF_BF_MIN_FAIL      12
#define FLEET_DEF_BF_MIN_HOSTS     3
#define FLEET_DEF_BF_EP_MIN_SRC    10
#define FLEET_DEF_BF_EP_MIN_FAIL   30
#define FLEET_DEF_SCAN_WINDOW_S    600 /* low and slow: minutes */
#define FLEET_DEF_SCAN_MIN_PATHS   20
#define FLEET_DEF_SCAN_MIN_HOSTS   2
#define FLEET_DEF_SCAN_NET_PATHS   40
#define FLEET_DEF_ENUM_MIN_IDS     30
#define FLEET_DEF_CRED_WINDOW_S    300
#define FLEET_DEF_CRED_MIN_IPS     5
#define FLEET_DEF_RATE_WINDOW_S    60
#define FLEET_DEF_RATE_MIN         6000
#define FLEET_DEF_GRPC_WINDOW_S    60
#define FLEET_DEF_GRPC_MIN         20
#define FLEET_DEF_GRPC_MIN_HOSTS   2
#define FLEET_DEF_REP_WINDOW_S     3600
#define FLEET_DEF_REP_MIN_HOSTS    2
#define FLEET_DEF_BLOCK_TTL_S      600
#define FLEET_DEF_BLOCK_TTL_MAX_S  86400
#define FLEET_DEF_INCIDENT_GAP_S   1800
#define FLEET_DEF_LOCAL_MIN_FAIL   10

#define FLEET_MAX_HOSTS 4096  /* interned host names */
#define FLEET_EVIDENCE 20     /* sample event ids per incident */
#define FLEET_LIST_MAX 64     /* hosts / sources named per incident */

void fleet_config_defaults(struct fleet_config *c)
{
	c->bf_window_s = FLEET_DEF_BF_WINDOW_S;
	c->bf_min_fail = FLEET_DEF_BF_MIN_FAIL;
	c->bf_min_hosts = FLEET_DEF_BF_MIN_HOSTS;
	c->bf_ep_min_sources = FLEET_DEF_BF_EP_MIN_SRC;
	c->bf_ep_min_fail = FLEET_DEF_BF_EP_MIN_FAIL;
	c->scan_window_s = FLEET_DEF_SCAN_WINDOW_S;
	c->scan_min_paths = FLEET_DEF_SCAN_MIN_PATHS;
	c->scan_min_hosts = FLEET_DEF_SCAN_MIN_HOSTS;
	c->scan_net_min_paths = FLEET_DEF_SCAN_NET_PATHS;
	c->enum_min_ids = FLEET_DEF_ENUM_MIN_IDS;
	c->cred_window_s = FLEET_DEF_CRED_WINDOW_S;
	c->cred_min_ips = FLEET_DEF_CRED_MIN_IPS;
	c->rate_window_s = FLEET_DEF_RATE_WINDOW_S;
	c->rate_min = FLEET_DEF_RATE_MIN;
	c->grpc_window_s = FLEET_DEF_GRPC_WINDOW_S;
	c->grpc_min = FLEET_DEF_GRPC_MIN;
	c->grpc_min_hosts = FLEET_DEF_GRPC_MIN_HOSTS;
	c->rep_window_s = FLEET_DEF_REP_WINDOW_S;
	c->rep_min_hosts = FLEET_DEF_REP_MIN_HOSTS;
	c->block_ttl_s = FLEET_DEF_BLOCK_TTL_S;
	c->block_ttl_max_s = FLEET_DEF_BLOCK_TTL_MAX_S;
	c->incident_gap_s = FLEET_DEF_INCIDENT_GAP_S;
	c->local_min_fail = FLEET_DEF_LOCAL_MIN_FAIL;
}

int fleet_config_set(struct fleet_config *c, const char *kv)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
#define F(n) { #n, offsetof(struct fleet_config, n) }
		F(bf_window_s), F(bf_min_fail), F(bf_min_hosts),
		F(bf_ep_min_sources), F(bf_ep_min_fail), F(scan_window_s),
		F(scan_min_paths), F(scan_min_hosts), F(scan_net_min_paths),
		F(enum_min_ids), F(cred_window_s), F(cred_min_ips),
		F(rate_window_s), F(rate_min), F(grpc_window_s), F(grpc_min),
		F(grpc_min_hosts), F(rep_window_s), F(rep_min_hosts),
		F(block_ttl_s), F(block_ttl_max_s), F(incident_gap_s),
		F(local_min_fail),
#undef F
	};
	const char *eq = strchr(kv, '=');
	unsigned long v;
	char *end;
	size_t i;

	if (!eq || !eq[1])
		return -EINVAL;
	v = strtoul(eq + 1, &end, 10);
	if (*end || v == 0 || v > 100000000ul)
		return -EINVAL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) == (size_t)(eq - kv) &&
		    strncmp(names[i].name, kv, (size_t)(eq - kv)) == 0) {
			if (strcmp(names[i].name, "rate_window_s") == 0 && v > 60)
				return -EINVAL;
			*(unsigned *)((char *)c + names[i].off) = (unsigned)v;
			return 0;
		}
	}
	return -EINVAL;
}

/* --- observations and windows ------------------------------------------- */

enum det {
	D_BF_SRC, D_BF_EP, D_SCAN_SRC, D_SCAN_NET, D_SCAN_ID, D_ENUM,
	D_CRED, D_RATE, D_GRPC, D_REP, D_N,
};

struct fleet_rule {
	const char *rule, *severity;
	int blocks;  /* 1: block the source address, 2: its /24 */
};

static const struct fleet_rule fleet_rules[D_N] = {
	[D_BF_SRC]   = { "fleet.bruteforce.source", "high", 1 },
	[D_BF_EP]    = { "fleet.bruteforce.endpoint", "medium", 0 },
	[D_SCAN_SRC] = { "fleet.scan.source", "medium", 1 },
	[D_SCAN_NET] = { "fleet.scan.net24", "medium", 2 },
	[D_SCAN_ID]  = { "fleet.scan.identity", "medium", 0 },
	[D_ENUM]     = { "fleet.enum.source", "high", 1 },
	[D_CRED]     = { "fleet.credential_sharing", "high", 0 },
	[D_RATE]     = { "fleet.rate.endpoint", "medium", 0 },
	[D_GRPC]     = { "fleet.grpc.probe", "medium", 1 },
	[D_REP]      = { "fleet.repeat_offender", "high", 1 },
};

/* What a window needs of one event, copied at staging. */
struct fobs {
	const struct ingest_batch *b;
	uint32_t idx;
	uint8_t kind, ip_len;
	uint8_t ip[16];
	int32_t status, grpc_status;
	char host[64];       /* per-event host override, "" = the batch's */
	char path[160];
	char authority[64];
	char identity[129];
	char service[64];
	char action[16];
};

struct wobs {
	uint64_t ts_us, seq;
	uint32_t idx, sub;
	uint16_t host;
	uint8_t ip_len;
	uint8_t ip[16];
};

struct wkey {
	struct wkey *next;
	uint64_t hash;
	enum det det;
	char key[200];       /* rule prefix + subject: the dedupe key */
	char subject[180];   /* printable: an IP, a /24, an identity, a path */
	char block[64];      /* CIDR to block, "" = none */
	struct wobs ring[FLEET_RING];
	unsigned head, n;
	uint32_t bucket[60]; /* per-second counts (rate) */
	uint64_t bucket_sec[60];
	uint64_t last_us, total, reported;
	int due, fired;
	int64_t incident_id;
};

#define FLEET_NBUCKETS 8192

struct fleet {
	struct fleet_config cfg;
	char *url;
	PGconn *conn;
	struct fobs *stage;
	size_t nstage;
	struct wkey *tab[FLEET_NBUCKETS];
	size_t nkeys;
	uint64_t evict_after_us; /* no table walk before this (see get_key) */
	char (*hosts)[64];
	unsigned nhosts;
	struct sbuf q1, q2, q3;
	struct fleet_stats st;
};

static uint64_t fleet_fnv(const void *p, size_t n, uint64_t h)
{
	const uint8_t *s = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}
#define FLEET_FNV0 1469598103934665603ull

struct fleet *fleet_new(const struct fleet_config *c, const char *pg_url)
{
	struct fleet *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->cfg = *c;
	f->url = strdup(pg_url);
	f->stage = calloc(FLEET_MAX_STAGED, sizeof(*f->stage));
	f->hosts = calloc(FLEET_MAX_HOSTS, sizeof(*f->hosts));
	if (!f->url || !f->stage || !f->hosts) {
		fleet_free(f);
		return NULL;
	}
	return f;
}

void fleet_free(struct fleet *f)
{
	size_t i;

	if (!f)
		return;
	if (f->conn)
		PQfinish(f->conn);
	for (i = 0; i < FLEET_NBUCKETS; i++) {
		while (f->tab[i]) {
			struct wkey *k = f->tab[i];
			f->tab[i] = k->next;
			free(k);
		}
	}
	sbuf_free(&f->q1);
	sbuf_free(&f->q2);
	sbuf_free(&f->q3);
	free(f->stage);
	free(f->hosts);
	free(f->url);
	free(f);
}

int fleet_connected(const struct fleet *f)
{
	return f->conn && PQstatus(f->conn) == CONNECTION_OK;
}

static void pg_err(char *err, size_t errlen, const char *what, PGconn *c,
		   PGresult *r)
{
	const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
	size_t i;

	snprintf(err, errlen, "fleet: %s: %s", what, m && *m ? m : "unknown error");
	for (i = 0; err[i]; i++)
		if (err[i] == '\n' || err[i] == '\t')
			err[i] = ' ';
}

/* --- staging ----------------------------------------------------------------- */

/* Bounded, printable copy of attacker bytes: valid UTF-8 is kept, control
 * characters become '?'; the value is data for SQL parameters and keys. */
static void copy_text(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	struct sbuf t = {0};
	size_t i, k = 0;

	tx_clean(&t, src, n);
	for (i = 0; i < t.len && k + 1 < cap; i++) {
		unsigned char ch = (unsigned char)t.p[i];

		/* cut only at a character boundary */
		if (ch >= 0x80 && (ch & 0xC0) != 0x80) {
			size_t l = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
			if (k + l + 1 > cap)
				break;
		}
		dst[k++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	dst[k] = '\0';
	sbuf_free(&t);
}

void fleet_hook(void *ctx, const struct ingest_batch *b, uint32_t idx,
		const sidewatch_SessionEvent *e)
{
	struct fleet *f = ctx;
	struct fobs *o;

	if (f->nstage >= FLEET_MAX_STAGED) {
		f->st.staged_drops++;
		return;
	}
	o = &f->stage[f->nstage++];
	o->b = b;
	o->idx = idx;
	o->kind = (uint8_t)e->kind;
	o->ip_len = (uint8_t)(e->src_ip.size == 4 || e->src_ip.size == 16
			      ? e->src_ip.size : 0);
	memcpy(o->ip, e->src_ip.bytes, o->ip_len);
	o->status = e->status;
	o->grpc_status = e->proto == sidewatch_Proto_PROTO_GRPC ? e->grpc_status : -1;
	copy_text(o->host, sizeof(o->host), (const uint8_t *)e->host,
		  strnlen(e->host, sizeof(e->host)));
	copy_text(o->path, sizeof(o->path), e->path.bytes, e->path.size);
	copy_text(o->authority, sizeof(o->authority), e->authority.bytes,
		  e->authority.size);
	copy_text(o->identity, sizeof(o->identity), e->identity.bytes,
		  e->identity.size);
	copy_text(o->service, sizeof(o->service), e->service.bytes, e->service.size);
	copy_text(o->action, sizeof(o->action), (const uint8_t *)e->action,
		  strnlen(e->action, sizeof(e->action)));
}

void fleet_discard(struct fleet *f, const struct ingest_batch *b)
{
	size_t i, k = 0;

	for (i = 0; i < f->nstage; i++) {
		if (f->stage[i].b == b) {
			f->st.discarded++;
			continue;
		}
		if (k != i)
			f->stage[k] = f->stage[i];
		k++;
	}
	f->nstage = k;
}

/* --- windows --------------------------------------------------------------- */

static unsigned fleet_window_s(const struct fleet *f, enum det d)
{
	switch (d) {
	case D_BF_SRC: case D_BF_EP: return f->cfg.bf_window_s;
	case D_SCAN_SRC: case D_SCAN_NET: case D_SCAN_ID: case D_ENUM:
		return f->cfg.scan_window_s;
	case D_CRED: return f->cfg.cred_window_s;
	case D_RATE: return f->cfg.rate_window_s;
	case D_GRPC: return f->cfg.grpc_window_s;
	case D_REP: return f->cfg.rep_window_s;
	default: return 60;
	}
}

static uint16_t host_id(struct fleet *f, const char *name)
{
	unsigned i;

	for (i = 0; i < f->nhosts; i++)
		if (strcmp(f->hosts[i], name) == 0)
			return (uint16_t)i;
	if (f->nhosts == FLEET_MAX_HOSTS)
		return FLEET_MAX_HOSTS - 1; /* shared overflow name */
	snprintf(f->hosts[f->nhosts], sizeof(f->hosts[0]), "%s", name);
	return (uint16_t)f->nhosts++;
}

/* Drop windows idle past their length; evicts when the table is full. */
static void evict_idle(struct fleet *f, uint64_t now)
{
	size_t i;

	for (i = 0; i < FLEET_NBUCKETS; i++) {
		struct wkey **pp = &f->tab[i];

		while (*pp) {
			struct wkey *k = *pp;
			uint64_t w = (uint64_t)fleet_window_s(f, k->det) * 1000000;

			if (!k->due && now - k->last_us > w) {
				*pp = k->next;
				free(k);
				f->nkeys--;
			} else {
				pp = &k->next;
			}
		}
	}
}

/* dst = a b c (each may be ""), cut to cap - 1 bytes as snprintf would;
 * returns the length. The feed builds a few subjects and keys for every
 * event: without printf they cost a copy each. */
static size_t join3(char *dst, size_t cap, const char *a, const char *b,
		    const char *c)
{
	const char *part[3] = { a, b, c };
	size_t k = 0, n;

	for (int i = 0; i < 3; i++) {
		n = strlen(part[i]);
		if (n > cap - 1 - k)
			n = cap - 1 - k;
		memcpy(dst + k, part[i], n);
		k += n;
	}
	dst[k] = '\0';
	return k;
}

static struct wkey *get_key(struct fleet *f, enum det d, const char *subject,
			    const char *block, uint64_t now)
{
	char key[200];
	uint64_t h;
	struct wkey *k;
	size_t n = join3(key, sizeof(key), fleet_rules[d].rule, ":", subject);

	h = fleet_fnv(key, n, FLEET_FNV0);
	for (k = f->tab[h % FLEET_NBUCKETS]; k; k = k->next)
		if (k->hash == h && strcmp(k->key, key) == 0)
			return k;
	/* A full table of live windows (high-cardinality paths do that) would
	 * otherwise cost a walk of every bucket for each new key: walk at most
	 * every 100 ms; keys refused meanwhile are counted as drops. */
	if (f->nkeys >= FLEET_MAX_KEYS && now >= f->evict_after_us) {
		evict_idle(f, now);
		f->evict_after_us = now + 100000;
	}
	if (f->nkeys >= FLEET_MAX_KEYS) {
		f->st.key_drops++;
		return NULL;
	}
	k = calloc(1, sizeof(*k));
	if (!k) {
		f->st.key_drops++;
		return NULL;
	}
	k->hash = h;
	k->det = d;
	snprintf(k->key, sizeof(k->key), "%s", key);
	snprintf(k->subject, sizeof(k->subject), "%s", subject);
	snprintf(k->block, sizeof(k->block), "%s", block ? block : "");
	k->next = f->tab[h % FLEET_NBUCKETS];
	f->tab[h % FLEET_NBUCKETS] = k;
	f->nkeys++;
	return k;
}

static void observe(struct fleet *f, enum det d, const char *subject,
		    const char *block, uint32_t sub, const struct fobs *o,
		    uint16_t host, uint64_t seq, uint64_t now)
{
	struct wkey *k = get_key(f, d, subject, block, now);
	struct wobs *w;
	unsigned s;

	if (!k)
		return;
	if (k->fired &&
	    now - k->last_us > (uint64_t)fleet_window_s(f, d) * 1000000)
		k->fired = 0; /* quiet for a window: a new round (and TTL) */
	w = &k->ring[k->head];
	k->head = (k->head + 1) % FLEET_RING;
	if (k->n < FLEET_RING)
		k->n++;
	w->ts_us = now;
	w->seq = seq;
	w->idx = o->idx;
	w->sub = sub;
	w->host = host;
	w->ip_len = o->ip_len;
	memcpy(w->ip, o->ip, o->ip_len);
	s = (unsigned)((now / 1000000) % 60);
	if (k->bucket_sec[s] != now / 1000000) {
		k->bucket_sec[s] = now / 1000000;
		k->bucket[s] = 0;
	}
	k->bucket[s]++;
	k->last_us = now;
	k->total++;
	k->due = 1;
}

static int login_like(const char *path)
{
	static const char *const words[] = {
		"login", "logon", "signin", "sign_in", "sign-in", "auth",
		"token", "session", "password", "passwd",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(path, words[i]))
			return 1;
	return 0;
}

/* /api/users/123/orders/9 -> /api/users/{id}/orders/{id}; the ids are
 * hashed into *idh. Returns 1 when the path had an id. */
static int path_template(const char *path, char *out, size_t cap, uint32_t *idh)
{
	const char *p = path;
	size_t k = 0;
	uint64_t h = FLEET_FNV0;
	int any = 0;

	out[0] = '\0';
	while (*p && k + 1 < cap) {
		const char *seg = p + (*p == '/');
		size_t n = strcspn(seg, "/"), i, dig = 0, hex = 0;

		for (i = 0; i < n; i++) {
			dig += isdigit((unsigned char)seg[i]) != 0;
			hex += isxdigit((unsigned char)seg[i]) || seg[i] == '-';
		}
		if (*p == '/')
			out[k++] = '/';
		if (n && ((dig == n && n <= 19) || (n == 36 && hex == n))) {
			const char *id = "{id}";
			size_t l = strlen(id);

			if (k + l >= cap)
				break;
			memcpy(out + k, id, l);
			k += l;
			h = fleet_fnv(seg, n, h) * 31;
			any = 1;
		} else {
			size_t l = n < cap - 1 - k ? n : cap - 1 - k;
			memcpy(out + k, seg, l);
			k += l;
		}
		p = seg + n;
		if (!*p)
			break;
	}
	out[k < cap ? k : cap - 1] = '\0';
	*idh = (uint32_t)h;
	return any;
}

/* v in decimal at p; returns the end. */
static char *put_u8(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* IPv4 by hand (glibc's inet_ntop formats it with sprintf), IPv6 by
 * inet_ntop; "" for none. cap is at least INET6_ADDRSTRLEN. */
static void fleet_ip_text(const uint8_t *ip, uint8_t len, char *out, size_t cap)
{
	char *p = out;

	if (len == 4) {
		for (int i = 0; i < 4; i++) {
			p = put_u8(p, ip[i]);
			*p++ = i < 3 ? '.' : '\0';
		}
		return;
	}
	if (len != 16 || !inet_ntop(AF_INET6, ip, out, (socklen_t)cap))
		out[0] = '\0';
}

/* "a.b.c.0/24" for an IPv4 address; out holds at least 19 bytes. */
static void net24_text(const uint8_t *ip, char *out)
{
	char *p = out;

	for (int i = 0; i < 3; i++) {
		p = put_u8(p, ip[i]);
		*p++ = '.';
	}
	memcpy(p, "0/24", 5);
}

/* One committed event into every window it concerns. */
static void fleet_feed(struct fleet *f, const struct fobs *o,
		       const char *host, uint64_t seq, uint64_t now)
{
	char ip[INET6_ADDRSTRLEN], b32[64], net[64], subj[200], tmpl[160];
	uint16_t hid = host_id(f, host);
	uint32_t iph = (uint32_t)fleet_fnv(o->ip, o->ip_len, FLEET_FNV0);
	uint32_t ph = (uint32_t)fleet_fnv(o->path, strlen(o->path), FLEET_FNV0);
	uint32_t idh;
	int auth_fail = (o->status == 401 || o->status == 403) && login_like(o->path);

	f->st.observed++;
	fleet_ip_text(o->ip, o->ip_len, ip, sizeof(ip));
	join3(b32, sizeof(b32), ip, o->ip_len == 16 ? "/128" : "/32", "");
	net[0] = '\0';
	if (o->ip_len == 4)
		net24_text(o->ip, net);
	if (o->kind == 1) { /* verdict */
		if (ip[0] && strcmp(o->action, "block") == 0)
			observe(f, D_REP, ip, b32, hid, o, hid, seq, now);
		return;
	}
	if (auth_fail && ip[0])
		observe(f, D_BF_SRC, ip, b32, hid, o, hid, seq, now);
	if (auth_fail) {
		join3(subj, sizeof(subj), o->authority, o->path, "");
		observe(f, D_BF_EP, subj, NULL, iph, o, hid, seq, now);
	}
	if (o->status == 404) {
		if (ip[0])
			observe(f, D_SCAN_SRC, ip, b32, ph, o, hid, seq, now);
		if (net[0])
			observe(f, D_SCAN_NET, net, net, ph, o, hid, seq, now);
		if (o->identity[0])
			observe(f, D_SCAN_ID, o->identity, NULL, ph, o, hid, seq, now);
	}
	if (ip[0] && path_template(o->path, tmpl, sizeof(tmpl), &idh)) {
		join3(subj, sizeof(subj), ip, " ", tmpl);
		observe(f, D_ENUM, subj, b32, idh, o, hid, seq, now);
	}
	if (o->identity[0] && ip[0])
		observe(f, D_CRED, o->identity, NULL, iph, o, hid, seq, now);
	if (o->path[0]) {
		join3(subj, sizeof(subj), o->authority, o->path, "");
		observe(f, D_RATE, subj, NULL, iph, o, hid, seq, now);
	}
	if (ip[0] && (o->grpc_status == 12 || strstr(o->service, "grpc.reflection")))
		observe(f, D_GRPC, ip, b32, ph, o, hid, seq, now);
}

void fleet_commit(struct fleet *f, const struct ingest_batch *b)
{
	uint64_t now = clock_unix_us();
	size_t i, k = 0;

	for (i = 0; i < f->nstage; i++) {
		const struct fobs *o = &f->stage[i];

		if (o->b == b) {
			fleet_feed(f, o, o->host[0] ? o->host : b->host, b->seq, now);
			continue;
		}
		if (k != i)
			f->stage[k] = f->stage[i];
		k++;
	}
	f->nstage = k;
}

void fleet_settle(struct fleet *f, struct ingest_batch *const *b,
		  const uint8_t *stored, size_t n)
{
	uint64_t now = clock_unix_us();
	size_t i, j, k = 0;

	for (i = 0; i < f->nstage; i++) {
		const struct fobs *o = &f->stage[i];

		for (j = 0; j < n && o->b != b[j]; j++)
			;
		if (j < n) {
			if (stored[j])
				fleet_feed(f, o, o->host[0] ? o->host : b[j]->host,
					   b[j]->seq, now);
			else
				f->st.discarded++;
			continue;
		}
		if (k != i)
			f->stage[k] = f->stage[i];
		k++;
	}
	f->nstage = k;
}

/* --- evaluation ----------------------------------------------------------- */

struct wsum {
	unsigned n, nhosts, nsubs, rate;
	uint16_t hosts[FLEET_LIST_MAX];
	uint32_t subs[FLEET_RING];
	unsigned ev[FLEET_EVIDENCE]; /* ring positions of sample events */
	unsigned nev;
};

static void summarise(const struct fleet *f, const struct wkey *k,
		      uint64_t now, struct wsum *s)
{
	uint64_t w = (uint64_t)fleet_window_s(f, k->det) * 1000000;
	unsigned i, j;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < k->n; i++) {
		unsigned pos = (k->head + FLEET_RING - k->n + i) % FLEET_RING;
		const struct wobs *o = &k->ring[pos];

		if (now - o->ts_us > w)
			continue;
		s->n++;
		for (j = 0; j < s->nhosts && s->hosts[j] != o->host; j++)
			;
		if (j == s->nhosts && s->nhosts < FLEET_LIST_MAX)
			s->hosts[s->nhosts++] = o->host;
		for (j = 0; j < s->nsubs && s->subs[j] != o->sub; j++)
			;
		if (j == s->nsubs)
			s->subs[s->nsubs++] = o->sub;
		if (s->nev < FLEET_EVIDENCE)
			s->ev[s->nev++] = pos;
	}
	for (i = 0; i < 60; i++)
		if (now / 1000000 - k->bucket_sec[i] < fleet_window_s(f, k->det))
			s->rate += k->bucket[i];
}

static int crossed(const struct fleet *f, const struct wkey *k,
		   const struct wsum *s)
{
	const struct fleet_config *c = &f->cfg;

	switch (k->det) {
	case D_BF_SRC: return s->n >= c->bf_min_fail && s->nhosts >= c->bf_min_hosts;
	case D_BF_EP: return s->nsubs >= c->bf_ep_min_sources && s->n >= c->bf_ep_min_fail;
	case D_SCAN_SRC: return s->nsubs >= c->scan_min_paths && s->nhosts >= c->scan_min_hosts;
	case D_SCAN_NET: return s->nsubs >= c->scan_net_min_paths && s->nhosts >= c->scan_min_hosts;
	case D_SCAN_ID: return s->nsubs >= c->scan_min_paths && s->nhosts >= c->scan_min_hosts;
	case D_ENUM: return s->nsubs >= c->enum_min_ids && s->nhosts >= c->scan_min_hosts;
	case D_CRED: return s->nsubs >= c->cred_min_ips;
	case D_RATE: return s->rate >= c->rate_min;
	case D_GRPC: return s->n >= c->grpc_min && s->nhosts >= c->grpc_min_hosts;
	case D_REP: return s->nhosts >= c->rep_min_hosts;
	default: return 0;
	}
}

/* text[] literal for PostgreSQL: {"a","b"} with " and \ escaped. */
static void arr_add(struct sbuf *a, const char *v)
{
	const char *p;

	sbuf_put(a, a->len > 1 ? ",\"" : "\"", a->len > 1 ? 2 : 1);
	for (p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			sbuf_put(a, "\\", 1);
		sbuf_put(a, p, 1);
	}
	sbuf_put(a, "\"", 1);
}

static void build_lists(struct fleet *f, const struct wkey *k,
			const struct wsum *s)
{
	char ip[INET6_ADDRSTRLEN], ev[128];
	unsigned i, j, nsrc = 0;
	uint32_t seen[FLEET_LIST_MAX];

	sbuf_reset(&f->q1);
	sbuf_reset(&f->q2);
	sbuf_reset(&f->q3);
	sbuf_put(&f->q1, "{", 1);
	sbuf_put(&f->q2, "{", 1);
	sbuf_put(&f->q3, "{", 1);
	for (i = 0; i < s->nhosts; i++)
		arr_add(&f->q1, f->hosts[s->hosts[i]]);
	/* sources: the subject for per-source rules, else the addresses seen */
	if (k->block[0] || k->det == D_SCAN_ID) {
		arr_add(&f->q2, k->det == D_ENUM ? k->block : k->subject);
	}
	if (!k->block[0] || k->det == D_SCAN_NET) {
		for (i = 0; i < k->n && nsrc < FLEET_LIST_MAX; i++) {
			const struct wobs *o = &k->ring[i];
			uint32_t h = (uint32_t)fleet_fnv(o->ip, o->ip_len, FLEET_FNV0);

			for (j = 0; j < nsrc && seen[j] != h; j++)
				;
			if (j < nsrc || !o->ip_len)
				continue;
			seen[nsrc++] = h;
			fleet_ip_text(o->ip, o->ip_len, ip, sizeof(ip));
			arr_add(&f->q2, ip);
		}
	}
	for (i = 0; i < s->nev; i++) {
		const struct wobs *o = &k->ring[s->ev[i]];

		snprintf(ev, sizeof(ev), "%s/%" PRIu64 "/%" PRIu32,
			 f->hosts[o->host], o->seq, o->idx);
		arr_add(&f->q3, ev);
	}
	sbuf_put(&f->q1, "}", 2); /* with the NUL */
	sbuf_put(&f->q2, "}", 2);
	sbuf_put(&f->q3, "}", 2);
}

static const char SQL_EXTEND[] =
	"UPDATE incidents SET updated_at = now(), last_seen = now(), "
	"hosts = ARRAY(SELECT DISTINCT unnest(hosts || $2::text[]) ORDER BY 1), "
	"sources = (ARRAY(SELECT DISTINCT unnest(sources || $3::text[]) ORDER BY 1))[1:64], "
	"evidence = (ARRAY(SELECT DISTINCT unnest(evidence || $4::text[])))[1:20], "
	"event_count = event_count + $5::bigint, summary = $6, "
	"details = coalesce(details, '{}'::jsonb) || $7::jsonb "
	"WHERE id = $1::bigint AND state <> 'closed' RETURNING id";

static const char SQL_FIND[] =
	"SELECT id FROM incidents WHERE dedupe_key = $1 AND state <> 'closed' "
	"AND last_seen > now() - $2::interval ORDER BY id DESC LIMIT 1";

static const char SQL_OPEN[] =
	"INSERT INTO incidents (rule, severity, src_ip, identity, hosts, "
	"event_count, summary, details, sources, evidence, dedupe_key) "
	"VALUES ($1, $2, $3::inet, $4, $5::text[], $6::bigint, $7, $8::jsonb, "
	"$9::text[], $10::text[], $11) RETURNING id";

static void summary_text(const struct fleet *f, const struct wkey *k,
			 const struct wsum *s, char *out, size_t cap)
{
	unsigned w = fleet_window_s(f, k->det);

	switch (k->det) {
	case D_BF_SRC:
		snprintf(out, cap, "%u auth failures from %s across %u hosts in %u s",
			 s->n, k->subject, s->nhosts, w);
		break;
	case D_BF_EP:
		snprintf(out, cap, "%u auth failures on %s from %u sources in %u s",
			 s->n, k->subject, s->nsubs, w);
		break;
	case D_SCAN_SRC: case D_SCAN_NET: case D_SCAN_ID:
		snprintf(out, cap, "%s probed %u distinct missing paths on %u hosts in %u s",
			 k->subject, s->nsubs, s->nhosts, w);
		break;
	case D_ENUM:
		snprintf(out, cap, "%s walked %u object ids on %u hosts in %u s",
			 k->subject, s->nsubs, s->nhosts, w);
		break;
	case D_CRED:
		snprintf(out, cap, "identity %s used from %u source addresses in %u s",
			 k->subject, s->nsubs, w);
		break;
	case D_RATE:
		snprintf(out, cap, "%u requests to %s fleet-wide in %u s",
			 s->rate, k->subject, w);
		break;
	case D_GRPC:
		snprintf(out, cap, "%u gRPC Unimplemented/reflection calls from %s on %u hosts in %u s",
			 s->n, k->subject, s->nhosts, w);
		break;
	case D_REP:
		snprintf(out, cap, "%s blocked locally on %u hosts within %u s",
			 k->subject, s->nhosts, w);
		break;
	default:
		snprintf(out, cap, "%s", k->subject);
	}
}

/* Create or extend the incident of window k. */
static int record_incident(struct fleet *f, struct wkey *k, const struct wsum *s,
			   int64_t block_id, int allowlisted, char *err,
			   size_t errlen)
{
	char summ[512], cnt[32], gap[32], idb[32], det[160];
	PGresult *r;
	uint64_t add = k->incident_id ? k->total - k->reported : s->n;

	build_lists(f, k, s);
	summary_text(f, k, s, summ, sizeof(summ));
	snprintf(cnt, sizeof(cnt), "%" PRIu64, add);
	idb[0] = '\0';
	if (block_id > 0)
		snprintf(idb, sizeof(idb), ",\"block_id\":%" PRId64, block_id);
	snprintf(det, sizeof(det),
		 "{\"window_s\":%u,\"in_window\":%u,\"distinct\":%u%s%s}",
		 fleet_window_s(f, k->det), s->n, s->nsubs, idb,
		 allowlisted ? ",\"allowlisted\":true" : "");
	if (!k->incident_id) { /* after a restart: the open incident, if any */
		const char *p[2] = { k->key, gap };

		snprintf(gap, sizeof(gap), "%u seconds", f->cfg.incident_gap_s);
		r = PQexecParams(f->conn, SQL_FIND, 2, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			goto dberr;
		if (PQntuples(r) == 1)
			k->incident_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
	}
	if (k->incident_id) {
		const char *p[7] = { idb, f->q1.p, f->q2.p, f->q3.p, cnt, summ, det };

		snprintf(idb, sizeof(idb), "%" PRId64, k->incident_id);
		r = PQexecParams(f->conn, SQL_EXTEND, 7, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			goto dberr;
		if (PQntuples(r) == 1) {
			PQclear(r);
			f->st.extensions++;
			k->reported = k->total;
			return 0;
		}
		PQclear(r); /* closed meanwhile: open a new one */
		k->incident_id = 0;
		snprintf(cnt, sizeof(cnt), "%u", s->n);
	}
	{
		char ip[64] = "";
		const char *p[11] = { fleet_rules[k->det].rule,
				      fleet_rules[k->det].severity, NULL,
				      NULL, f->q1.p, cnt, summ, det, f->q2.p,
				      f->q3.p, k->key };

		if (fleet_rules[k->det].blocks == 1 && k->det != D_ENUM)
			p[2] = k->subject;
		else if (k->det == D_ENUM) {
			snprintf(ip, sizeof(ip), "%.*s", (int)strcspn(k->subject, " "),
				 k->subject);
			p[2] = ip;
		}
		if (k->det == D_CRED || k->det == D_SCAN_ID)
			p[3] = k->subject;
		r = PQexecParams(f->conn, SQL_OPEN, 11, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
			goto dberr;
		k->incident_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		f->st.detections++;
		k->reported = k->total;
	}
	return 0;
dberr:
	pg_err(err, errlen, "incident", f->conn, r);
	PQclear(r);
	f->st.db_errors++;
	return -EIO;
}

/* TTL doubles with every fleet block of the subject in the last 7 days. */
static uint64_t block_ttl(struct fleet *f, const char *cidr)
{
	const char *p[1] = { cidr };
	PGresult *r = PQexecParams(f->conn,
		"SELECT count(*) FROM blocks WHERE addr = $1::cidr "
		"AND origin = 'correlator' AND created_at > now() - interval '7 days'",
		1, NULL, p, NULL, NULL, 0);
	uint64_t ttl = f->cfg.block_ttl_s;
	long n = 0;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	while (n-- > 0 && ttl < f->cfg.block_ttl_max_s)
		ttl *= 2;
	return ttl < f->cfg.block_ttl_max_s ? ttl : f->cfg.block_ttl_max_s;
}

static int act(struct fleet *f, struct blocks *bl, struct wkey *k,
	       const struct wsum *s, char *err, size_t errlen)
{
	int64_t block_id = 0;
	int allowlisted = 0, rc;

	if (!k->fired && k->block[0] && bl) {
		char reason[512];
		struct blocks_req q = {
			.addr = k->block, .origin = "correlator",
			.rule = fleet_rules[k->det].rule, .reason = reason,
			.ttl_s = block_ttl(f, k->block),
		};

		summary_text(f, k, s, reason, sizeof(reason));
		/* the incident first, so the block can name it */
		if (record_incident(f, k, s, 0, 0, err, errlen) < 0)
			return -EIO;
		q.incident_id = k->incident_id;
		rc = blocks_add(bl, &q, &block_id, err, errlen);
		if (rc == -ECONNRESET)
			return rc;
		if (rc == BLOCKS_ALLOWLISTED) {
			allowlisted = 1;
			f->st.allowlisted++;
		} else if (rc == BLOCKS_ADDED) {
			f->st.blocks++;
		}
		k->fired = 1;
		/* note the outcome on the incident */
		return record_incident(f, k, s, block_id, allowlisted, err, errlen);
	}
	k->fired = 1;
	return record_incident(f, k, s, 0, 0, err, errlen);
}

int fleet_tick(struct fleet *f, struct blocks *bl, char *err, size_t errlen)
{
	uint64_t now = clock_unix_us();
	size_t i;
	int rc = 0;

	if (!fleet_connected(f))
		return -ECONNRESET;
	for (i = 0; i < FLEET_NBUCKETS && rc == 0; i++) {
		struct wkey *k;

		for (k = f->tab[i]; k && rc == 0; k = k->next) {
			struct wsum s;

			if (!k->due)
				continue;
			summarise(f, k, now, &s);
			if (!s.n && !s.rate) {
				k->due = 0;
				continue;
			}
			if (crossed(f, k, &s) || (k->fired && k->incident_id &&
						  k->total > k->reported)) {
				rc = act(f, bl, k, &s, err, errlen);
				if (rc < 0)
					break; /* stays due: retried */
			}
			k->due = 0;
		}
	}
	if (rc < 0 && PQstatus(f->conn) != CONNECTION_OK) {
		PQfinish(f->conn);
		f->conn = NULL;
		return -ECONNRESET;
	}
	return rc;
}

/* --- connection and warm-up ------------------------------------------------ */

/* Replay recent relevant events into the windows (arrival = recv_ts), so a
 * restarted correlator keeps counting where it stopped. */
static void warm(struct fleet *f)
{
	char since[32];
	const char *p[1] = { since };
	unsigned w = f->cfg.rep_window_s > f->cfg.scan_window_s ? f->cfg.rep_window_s
								: f->cfg.scan_window_s;
	PGresult *r;
	int i;
	size_t b;

	snprintf(since, sizeof(since), "%u seconds", w);
	r = PQexecParams(f->conn,
		"SELECT host, seq, idx, (extract(epoch FROM recv_ts) * 1000000)::bigint, "
		"kind, host(src_ip), coalesce(status, 0), coalesce(path, ''), "
		"coalesce(authority, ''), coalesce(identity, ''), coalesce(service, ''), "
		"coalesce(action, ''), coalesce(grpc_status, -1) FROM events "
		"WHERE ts > now() - $1::interval - interval '1 hour' "
		"AND recv_ts > now() - $1::interval "
		"AND (status IN (401, 403, 404) OR kind = 'verdict' OR identity IS NOT NULL "
		"OR grpc_status = 12) ORDER BY recv_ts LIMIT 20000",
		1, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return;
	}
	for (i = 0; i < PQntuples(r); i++) {
		struct fobs o;
		const char *ipt = PQgetvalue(r, i, 5);

		memset(&o, 0, sizeof(o));
		o.idx = (uint32_t)strtoul(PQgetvalue(r, i, 2), NULL, 10);
		o.kind = strcmp(PQgetvalue(r, i, 4), "verdict") == 0;
		if (inet_pton(AF_INET, ipt, o.ip) == 1)
			o.ip_len = 4;
		else if (inet_pton(AF_INET6, ipt, o.ip) == 1)
			o.ip_len = 16;
		o.status = atoi(PQgetvalue(r, i, 6));
		snprintf(o.path, sizeof(o.path), "%s", PQgetvalue(r, i, 7));
		snprintf(o.authority, sizeof(o.authority), "%s", PQgetvalue(r, i, 8));
		snprintf(o.identity, sizeof(o.identity), "%s", PQgetvalue(r, i, 9));
		snprintf(o.service, sizeof(o.service), "%s", PQgetvalue(r, i, 10));
		snprintf(o.action, sizeof(o.action), "%s", PQgetvalue(r, i, 11));
		o.grpc_status = atoi(PQgetvalue(r, i, 12));
		fleet_feed(f, &o, PQgetvalue(r, i, 0),
			   strtoull(PQgetvalue(r, i, 1), NULL, 10),
			   strtoull(PQgetvalue(r, i, 3), NULL, 10));
	}
	PQclear(r);
	/* What was already counted into incidents is not counted again, and
	 * what already crossed a threshold was acted on before the restart:
	 * it must not block again (an operator may have lifted that block);
	 * new events extend its incident, found by dedupe key. */
	for (b = 0; b < FLEET_NBUCKETS; b++) {
		struct wkey *k;
		for (k = f->tab[b]; k; k = k->next) {
			struct wsum s;

			k->reported = k->total;
			summarise(f, k, clock_unix_us(), &s);
			k->fired = crossed(f, k, &s);
			k->due = 0;
		}
	}
}

int fleet_connect(struct fleet *f, char *err, size_t errlen)
{
	PGresult *r;

	if (f->conn)
		PQfinish(f->conn);
	f->conn = PQconnectdb(f->url);
	if (PQstatus(f->conn) != CONNECTION_OK) {
		pg_err(err, errlen, "connect", f->conn, NULL);
		PQfinish(f->conn);
		f->conn = NULL;
		return -ECONNREFUSED;
	}
	r = PQexec(f->conn, "SET client_encoding = 'UTF8'; "
			    "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	PQclear(r);
	if (!f->nkeys)
		warm(f);
	return 0;
}

void fleet_get_stats(const struct fleet *f, struct fleet_stats *st)
{
	*st = f->st;
	st->keys = f->nkeys;
}
