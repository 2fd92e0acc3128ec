/* fleet_win.c - the fleet detectors' hot windows: events staged per
 * ingested batch, and committed ones fed into per-detector, per-subject
 * windows in memory. fleet.c evaluates the windows. */
#include "correlator/fleet_int.h"
#include "common/clock.h"
#include "common/projkey.h"
#include "correlator/memret.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* --- staging ----------------------------------------------------------------- */

void fleet_hook(void *ctx, const struct ingest_batch *b, uint32_t idx,
		const sidewatch_SessionEvent *e, unsigned skip)
{
	struct fleet *f = ctx;
	struct fleet_staged_event *o;

	if (f->nstage == f->stage_cap) {
		size_t cap = f->stage_cap * 2;
		struct fleet_staged_event *p = NULL;

		if (cap <= FLEET_MAX_STAGED)
			p = realloc(f->stage, cap * sizeof(*p));
		if (!p) {
			f->st.staged_drops++;
			return;
		}
		f->stage = p;
		f->stage_cap = cap;
	}
	o = &f->stage[f->nstage++];
	o->b = b;
	o->idx = idx;
	o->kind = (uint8_t)e->kind;
	o->skip = (uint8_t)skip;
	o->ip_len = (uint8_t)(e->src_ip.size == 4 || e->src_ip.size == 16
			      ? e->src_ip.size : 0);
	memcpy(o->ip, e->src_ip.bytes, o->ip_len);
	o->status = e->status;
	o->grpc_status = e->proto == sidewatch_Proto_PROTO_GRPC ? e->grpc_status : -1;
	tx_printable(o->host, sizeof(o->host), e->host,
		     strnlen(e->host, sizeof(e->host)));
	tx_printable(o->path, sizeof(o->path), e->path.bytes, e->path.size);
	tx_printable(o->authority, sizeof(o->authority), e->authority.bytes,
		     e->authority.size);
	tx_printable(o->identity, sizeof(o->identity), e->identity.bytes,
		     e->identity.size);
	tx_printable(o->service, sizeof(o->service), e->service.bytes,
		     e->service.size);
	tx_printable(o->action, sizeof(o->action), e->action,
		     strnlen(e->action, sizeof(e->action)));
}

void fleet_discard(struct fleet *f, const struct ingest_batch *b)
{
	struct ingest_batch *one = (struct ingest_batch *)b; /* only read */
	const uint8_t stored = 0;

	fleet_settle(f, &one, &stored, 1);
}

/* --- windows --------------------------------------------------------------- */

unsigned fleet_win_seconds(const struct fleet *f, enum fleet_detector d)
{
	switch (d) {
	case FLEET_DET_BF_SRC: case FLEET_DET_BF_EP: return f->cfg.bf_window_s;
	case FLEET_DET_SCAN_SRC: case FLEET_DET_SCAN_NET: case FLEET_DET_SCAN_ID: case FLEET_DET_ENUM:
		return f->cfg.scan_window_s;
	case FLEET_DET_CRED: return f->cfg.cred_window_s;
	case FLEET_DET_RATE: return f->cfg.rate_window_s;
	case FLEET_DET_GRPC: return f->cfg.grpc_window_s;
	case FLEET_DET_REP: return f->cfg.rep_window_s;
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

/* --- owners: each window is charged to (reporting host, source) ---------- */

/* What a new window would be charged to. */
struct fleet_who {
	uint16_t host;
	uint8_t len;
	uint8_t ip[8];
};

void fleet_win_owners_init(struct fleet *f)
{
	uint32_t i;

	f->own_free = 0;
	for (i = FLEET_OWNERS - 1; i >= 1; i--) {
		f->owners[i].next = f->own_free;
		f->own_free = i;
	}
	f->owners[0].host = UINT16_MAX;
}

static uint32_t own_bucket(const struct fleet *f, const struct fleet_who *w)
{
	uint64_t h = fleet_fnv(&w->host, sizeof(w->host), FLEET_FNV0 ^ f->own_seed);

	return (uint32_t)(fleet_fnv(w->ip, w->len, h) % FLEET_OWN_BUCKETS);
}

static int own_is(const struct fleet_owner *o, const struct fleet_who *w)
{
	return o->host == w->host && o->len == w->len &&
	       memcmp(o->ip, w->ip, w->len) == 0;
}

/* w's owner, 0 if it has none yet (or is the shared one) */
static uint32_t own_find(const struct fleet *f, const struct fleet_who *w)
{
	uint32_t i = f->own_tab[own_bucket(f, w)];

	while (i && !own_is(&f->owners[i], w))
		i = f->owners[i].next;
	return i;
}

/* w's owner, made if need be; the shared owner 0 when none is free (not
 * expected: there are more owners than windows). */
static uint32_t own_get(struct fleet *f, const struct fleet_who *w)
{
	uint32_t i = own_find(f, w), b;
	struct fleet_owner *o;

	if (i || !f->own_free)
		return i;
	i = f->own_free;
	o = &f->owners[i];
	f->own_free = o->next;
	b = own_bucket(f, w);
	memset(o, 0, sizeof(*o));
	o->host = w->host;
	o->len = w->len;
	memcpy(o->ip, w->ip, w->len);
	o->next = f->own_tab[b];
	f->own_tab[b] = i;
	return i;
}

/* an owner left without windows goes back to the free list */
static void own_release(struct fleet *f, uint32_t i)
{
	struct fleet_owner *o = &f->owners[i];
	struct fleet_who w = { .host = o->host, .len = o->len };
	uint32_t *pp;

	memcpy(w.ip, o->ip, o->len);
	for (pp = &f->own_tab[own_bucket(f, &w)]; *pp != i; pp = &f->owners[*pp].next)
		;
	*pp = o->next;
	o->next = f->own_free;
	f->own_free = i;
}

static void own_unlink(struct fleet *f, struct fleet_window *k)
{
	struct fleet_owner *o = &f->owners[k->own];

	if (k->oprev)
		k->oprev->onext = k->onext;
	else
		o->head = k->onext;
	if (k->onext)
		k->onext->oprev = k->oprev;
	else
		o->tail = k->oprev;
	k->oprev = k->onext = NULL;
	o->n--;
}

/* k at the tail (most recently observed) of its owner's list */
static void own_append(struct fleet *f, struct fleet_window *k)
{
	struct fleet_owner *o = &f->owners[k->own];

	k->onext = NULL;
	k->oprev = o->tail;
	if (o->tail)
		o->tail->onext = k;
	else
		o->head = k;
	o->tail = k;
	o->n++;
}

static void own_touch(struct fleet *f, struct fleet_window *k)
{
	if (!k->onext)
		return; /* already its owner's most recent */
	own_unlink(f, k);
	own_append(f, k);
}

/* Unhook window *pp from its bucket chain and its owner and free it. */
static void drop_window(struct fleet *f, struct fleet_window **pp)
{
	struct fleet_window *k = *pp;

	*pp = k->next;
	own_unlink(f, k);
	if (!f->owners[k->own].n && k->own)
		own_release(f, k->own);
	f->host_n[k->own_host]--;
	free(k);
	f->nkeys--;
}

/* The pointer to k in its bucket chain. */
static struct fleet_window **chain_of(struct fleet *f, struct fleet_window *k)
{
	struct fleet_window **pp = &f->tab[k->hash % FLEET_NBUCKETS];

	while (*pp != k)
		pp = &(*pp)->next;
	return pp;
}

/* An owner at its share of a full table pays for its new window with its
 * own least recently observed one (one with an open incident only when all
 * it looked at have one). Returns 1 when one went. */
static int evict_own(struct fleet *f, const struct fleet_who *w)
{
	uint32_t i = own_find(f, w);
	struct fleet_window *k, *victim;
	unsigned seen;

	if (!i || f->owners[i].n < FLEET_OWNER_SHARE)
		return 0;
	victim = k = f->owners[i].head;
	for (seen = 0; k && seen < FLEET_EVICT_SAMPLE; k = k->onext, seen++)
		if (!k->fired) {
			victim = k;
			break;
		}
	drop_window(f, chain_of(f, victim));
	f->st.self_evictions++;
	return 1;
}

/* 0: to be evicted first .. 5: last: unfired before fired windows, and
 * among them an owner's over its share, then a reporting host's over its
 * share, then the others */
static int evict_rank(const struct fleet *f, const struct fleet_window *k)
{
	int r = k->fired ? 3 : 0;

	if (f->owners[k->own].n > FLEET_OWNER_SHARE)
		return r;
	if (f->host_n[k->own_host] > FLEET_OWNER_SHARE)
		return r + 1;
	return r + 2;
}

/* Drop windows idle past their length; evicts when the table is full. */
static void evict_idle(struct fleet *f, uint64_t now)
{
	size_t i;

	for (i = 0; i < FLEET_NBUCKETS; i++) {
		struct fleet_window **pp = &f->tab[i];

		while (*pp) {
			struct fleet_window *k = *pp;
			uint64_t w = (uint64_t)fleet_win_seconds(f, k->det) * 1000000;

			if (!k->due && now - k->last_us > w)
				drop_window(f, pp);
			else
				pp = &k->next;
		}
	}
}

/* The table is still full of live windows: evict the least recently
 * observed of a sample of about FLEET_EVICT_SAMPLE windows (an approximate
 * LRU), sparing windows that have fired (their incident is open) while the
 * sample has others, and taking those of owners over their share first.
 * Refusing new windows instead would let a crowd of ordinary clients (a
 * busy API has thousands per window length) hide every new attacker until
 * windows went idle; an active attacker's window is recent and stays. */
static void evict_oldest(struct fleet *f)
{
	struct fleet_window **victim = NULL, **pp;
	unsigned seen = 0, b;
	int vrank = 6;

	for (b = 0; b < FLEET_NBUCKETS && seen < FLEET_EVICT_SAMPLE; b++) {
		for (pp = &f->tab[(f->evict_pos + b) % FLEET_NBUCKETS]; *pp;
		     pp = &(*pp)->next) {
			int rank = evict_rank(f, *pp);

			seen++;
			if (!victim || rank < vrank ||
			    (rank == vrank && (*pp)->last_us < (*victim)->last_us)) {
				victim = pp;
				vrank = rank;
			}
		}
	}
	f->evict_pos = (f->evict_pos + b) % FLEET_NBUCKETS;
	if (!victim)
		return;
	if (vrank % 3 == 1)
		f->st.host_share_evictions++;
	drop_window(f, victim);
	f->st.evictions++;
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

struct fleet_window *fleet_win_find(struct fleet *f, enum fleet_detector d,
				    const char *subject)
{
	char key[200];
	size_t n = join3(key, sizeof(key), fleet_rules[d].rule, ":", subject);
	uint64_t h = fleet_fnv(key, n, FLEET_FNV0);
	struct fleet_window *k;

	for (k = f->tab[h % FLEET_NBUCKETS]; k; k = k->next)
		if (k->hash == h && strcmp(k->key, key) == 0)
			return k;
	return NULL;
}

static struct fleet_window *get_key(struct fleet *f, enum fleet_detector d, const char *subject,
			    const char *block, const struct fleet_who *who,
			    uint64_t now)
{
	char key[200];
	uint64_t h;
	struct fleet_window *k;
	size_t n = join3(key, sizeof(key), fleet_rules[d].rule, ":", subject);

	h = fleet_fnv(key, n, FLEET_FNV0);
	for (k = f->tab[h % FLEET_NBUCKETS]; k; k = k->next)
		if (k->hash == h && strcmp(k->key, key) == 0)
			return k;
	/* A full table: idle windows go first, but walking every bucket for
	 * each new key would cost too much, so at most every 100 ms; otherwise
	 * (or if none was idle) the oldest of a sample makes room. */
	if (f->nkeys >= FLEET_MAX_KEYS && now >= f->evict_after_us) {
		evict_idle(f, now);
		f->evict_after_us = now + 100000;
	}
	/* Still full: an owner (a source as one host reports it) at its share
	 * pays with its own oldest window, so random Host values churn only
	 * their sender's windows; otherwise an approximate LRU that takes
	 * over-share owners' and hosts' windows first (a lying collector's
	 * forged sources are each under their share, its host is not). */
	if (f->nkeys >= FLEET_MAX_KEYS && !evict_own(f, who))
		evict_oldest(f);
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
	k->own = own_get(f, who);
	k->own_host = who->host;
	f->host_n[who->host]++;
	own_append(f, k);
	return k;
}

static void observe(struct fleet *f, enum fleet_detector d, const char *subject,
		    const char *block, uint32_t sub, const struct fleet_staged_event *o,
		    const struct fleet_who *who, uint64_t seq, uint64_t now)
{
	struct fleet_window *k = get_key(f, d, subject, block, who, now);
	struct fleet_observation *w;
	unsigned s;

	if (!k)
		return;
	own_touch(f, k);
	if (k->fired &&
	    now - k->last_us > (uint64_t)fleet_win_seconds(f, d) * 1000000)
		k->fired = 0; /* quiet for a window: a new round (and TTL) */
	w = &k->ring[k->head];
	k->head = (k->head + 1) % FLEET_RING;
	if (k->n < FLEET_RING)
		k->n++;
	w->ts_us = now;
	w->seq = seq;
	w->idx = o->idx;
	w->sub = sub;
	w->host = who->host;
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
void fleet_win_ip_text(const uint8_t *ip, uint8_t len, char *out, size_t cap)
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

_Static_assert(sizeof(((struct fleet_staged_event *)0)->path) == PROJKEY_PATH_MAX &&
	       sizeof(((struct fleet_staged_event *)0)->authority) == PROJKEY_AUTHORITY_MAX,
	       "the endpoint subject is what projkey_endpoint hashes");

/* One committed event into every window it concerns. */
void fleet_win_feed(struct fleet *f, const struct fleet_staged_event *o,
		    const char *host, uint64_t seq, uint64_t now)
{
	char ip[INET6_ADDRSTRLEN], b32[64], net[64], subj[200], tmpl[160];
	uint16_t hid = host_id(f, host);
	/* an IPv6 client rotates addresses within its /64 for free */
	struct fleet_who who = {
		.host = hid,
		.len = o->ip_len == 4 ? 4 : o->ip_len == 16 ? 8 : 0,
	};
	uint32_t iph = (uint32_t)fleet_fnv(o->ip, o->ip_len, FLEET_FNV0);
	uint32_t ph = (uint32_t)fleet_fnv(o->path, strlen(o->path), FLEET_FNV0);
	uint32_t idh;
	int has_id;
	int auth_fail = (o->status == 401 || o->status == 403) && login_like(o->path);
	/* with a ring, each family only where its key is owned (ingest.h) */
	int src = !(o->skip & INGEST_SKIP_SOURCE);
	int ep = !(o->skip & INGEST_SKIP_ENDPOINT);
	int id = !(o->skip & INGEST_SKIP_IDENTITY);

	memcpy(who.ip, o->ip, who.len);
	f->st.observed++;
	fleet_win_ip_text(o->ip, o->ip_len, ip, sizeof(ip));
	join3(b32, sizeof(b32), ip, o->ip_len == 16 ? "/128" : "/32", "");
	net[0] = '\0';
	if (o->ip_len == 4)
		net24_text(o->ip, net);
	if (o->kind == 1) { /* verdict */
		if (src && ip[0] && strcmp(o->action, "block") == 0)
			observe(f, FLEET_DET_REP, ip, b32, hid, o, &who, seq, now);
		return;
	}
	if (src && auth_fail && ip[0])
		observe(f, FLEET_DET_BF_SRC, ip, b32, hid, o, &who, seq, now);
	if (ep && auth_fail) {
		join3(subj, sizeof(subj), o->authority, o->path, "");
		observe(f, FLEET_DET_BF_EP, subj, NULL, iph, o, &who, seq, now);
	}
	if (o->status == 404) {
		if (src && ip[0])
			observe(f, FLEET_DET_SCAN_SRC, ip, b32, ph, o, &who, seq, now);
		if (src && net[0])
			observe(f, FLEET_DET_SCAN_NET, net, net, ph, o, &who, seq, now);
		if (id && o->identity[0])
			observe(f, FLEET_DET_SCAN_ID, o->identity, NULL, ph, o, &who, seq, now);
	}
	has_id = projkey_template(o->path, tmpl, sizeof(tmpl), &idh);
	if (src && ip[0] && has_id) {
		join3(subj, sizeof(subj), ip, " ", tmpl);
		observe(f, FLEET_DET_ENUM, subj, b32, idh, o, &who, seq, now);
	}
	if (id && o->identity[0] && ip[0])
		observe(f, FLEET_DET_CRED, o->identity, NULL, iph, o, &who, seq, now);
	/* an endpoint is its template: /api/users/{id} is one endpoint, not a
	 * window per id (which would fill the table with one-event windows) */
	if (ep && o->path[0]) {
		join3(subj, sizeof(subj), o->authority, has_id ? tmpl : o->path, "");
		observe(f, FLEET_DET_RATE, subj, NULL, iph, o, &who, seq, now);
	}
	if (src && ip[0] && (o->grpc_status == 12 || strstr(o->service, "grpc.reflection")))
		observe(f, FLEET_DET_GRPC, ip, b32, ph, o, &who, seq, now);
}

void fleet_commit(struct fleet *f, const struct ingest_batch *b)
{
	struct ingest_batch *one = (struct ingest_batch *)b; /* only read */
	const uint8_t stored = 1;

	fleet_settle(f, &one, &stored, 1);
}

/* After a peak the staging goes back to a quarter of its size at most
 * while a quarter of that is in use (memret.h). */
static void stage_shrink(struct fleet *f)
{
	struct fleet_staged_event *p;
	size_t cap = f->stage_cap;

	while (cap / 4 >= FLEET_STAGE_INIT && f->nstage <= cap / 16)
		cap /= 4;
	if (cap == f->stage_cap || !(p = realloc(f->stage, cap * sizeof(*p))))
		return;
	memret_count((f->stage_cap - cap) * sizeof(*p));
	f->stage = p;
	f->stage_cap = cap;
}

void fleet_settle(struct fleet *f, struct ingest_batch *const *b,
		  const uint8_t *stored, size_t n)
{
	uint64_t now = clock_unix_us();
	size_t i, j, k = 0;

	for (i = 0; i < f->nstage; i++) {
		const struct fleet_staged_event *o = &f->stage[i];

		for (j = 0; j < n && o->b != b[j]; j++)
			;
		if (j < n) {
			if (stored[j])
				fleet_win_feed(f, o, o->host[0] ? o->host : b[j]->host,
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
	stage_shrink(f);
}
