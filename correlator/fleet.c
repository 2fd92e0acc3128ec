/* fleet.c - cross-host detectors: configuration, evaluation of the hot
 * windows (fleet_win.c keeps them), incidents and block decisions in
 * PostgreSQL, connection and warm-up. */
#include "correlator/fleet_int.h"
#include "common/clock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include <libpq-fe.h>

#include "correlator/blocks.h"
#include "common/textesc.h"
#include "correlator/pgx.h"

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
			/* a detector that blocks fleet-wide needs the word of
			 * two hosts: one host alone, whatever it sends, can
			 * only do what its own local rules do */
			if (strstr(names[i].name, "_min_hosts") && v < 2)
				return -EDOM;
			*(unsigned *)((char *)c + names[i].off) = (unsigned)v;
			return 0;
		}
	}
	return -EINVAL;
}

/* --- detectors ---------------------------------------------------------- */

const struct fleet_rule fleet_rules[FLEET_DET_COUNT] = {
	[FLEET_DET_BF_SRC]   = { "fleet.bruteforce.source", "high", 1 },
	[FLEET_DET_BF_EP]    = { "fleet.bruteforce.endpoint", "medium", 0 },
	[FLEET_DET_SCAN_SRC] = { "fleet.scan.source", "medium", 1 },
	[FLEET_DET_SCAN_NET] = { "fleet.scan.net24", "medium", 2 },
	[FLEET_DET_SCAN_ID]  = { "fleet.scan.identity", "medium", 0 },
	[FLEET_DET_ENUM]     = { "fleet.enum.source", "high", 1 },
	[FLEET_DET_CRED]     = { "fleet.credential_sharing", "high", 0 },
	[FLEET_DET_RATE]     = { "fleet.rate.endpoint", "medium", 0 },
	[FLEET_DET_GRPC]     = { "fleet.grpc.probe", "medium", 1 },
	[FLEET_DET_REP]      = { "fleet.repeat_offender", "high", 1 },
};

struct fleet *fleet_new(const struct fleet_config *c, const char *pg_url)
{
	struct fleet *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->cfg = *c;
	f->url = strdup(pg_url);
	f->stage_cap = FLEET_STAGE_INIT;
	f->stage = calloc(f->stage_cap, sizeof(*f->stage));
	f->hosts = calloc(FLEET_MAX_HOSTS, sizeof(*f->hosts));
	f->owners = calloc(FLEET_OWNERS, sizeof(*f->owners));
	f->own_tab = calloc(FLEET_OWN_BUCKETS, sizeof(*f->own_tab));
	f->host_n = calloc(FLEET_MAX_HOSTS, sizeof(*f->host_n));
	/* the owners' chains are not for an attacker to lengthen */
	if (getrandom(&f->own_seed, sizeof(f->own_seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(f->own_seed))
		f->own_seed = clock_mono_ns() ^ (uint64_t)(uintptr_t)f;
	if (!f->url || !f->stage || !f->hosts || !f->owners || !f->own_tab ||
	    !f->host_n) {
		fleet_free(f);
		return NULL;
	}
	fleet_win_owners_init(f);
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
			struct fleet_window *k = f->tab[i];
			f->tab[i] = k->next;
			free(k);
		}
	}
	sbuf_free(&f->q1);
	sbuf_free(&f->q2);
	sbuf_free(&f->q3);
	free(f->stage);
	free(f->hosts);
	free(f->owners);
	free(f->own_tab);
	free(f->host_n);
	free(f->url);
	free(f);
}

int fleet_connected(const struct fleet *f)
{
	return pgx_connected(f->conn);
}

/* --- evaluation ----------------------------------------------------------- */

struct fleet_window_summary {
	unsigned n, nhosts, nsubs, rate;
	uint16_t hosts[FLEET_LIST_MAX];
	uint32_t subs[FLEET_RING];
	unsigned ev[FLEET_EVIDENCE]; /* ring positions of sample events */
	unsigned nev;
};

static void summarise(const struct fleet *f, const struct fleet_window *k,
		      uint64_t now, struct fleet_window_summary *s)
{
	uint64_t w = (uint64_t)fleet_win_seconds(f, k->det) * 1000000;
	unsigned i, j;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < k->n; i++) {
		unsigned pos = (k->head + FLEET_RING - k->n + i) % FLEET_RING;
		const struct fleet_observation *o = &k->ring[pos];

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
		/* evidence names stored rows: a projection's index is past
		 * its batch's rows (ingest.h), it is stored on its source's
		 * shard under another batch */
		if (s->nev < FLEET_EVIDENCE && o->idx < INGEST_MAX_EVENTS)
			s->ev[s->nev++] = pos;
	}
	for (i = 0; i < 60; i++)
		if (now / 1000000 - k->bucket_sec[i] < fleet_win_seconds(f, k->det))
			s->rate += k->bucket[i];
}

/* Do these counts cross detector d's threshold? */
static int crossed_at(const struct fleet *f, enum fleet_detector d, uint64_t n,
		      uint64_t nhosts, uint64_t nsubs, uint64_t rate)
{
	const struct fleet_config *c = &f->cfg;

	switch (d) {
	case FLEET_DET_BF_SRC: return n >= c->bf_min_fail && nhosts >= c->bf_min_hosts;
	case FLEET_DET_BF_EP: return nsubs >= c->bf_ep_min_sources && n >= c->bf_ep_min_fail;
	case FLEET_DET_SCAN_SRC: return nsubs >= c->scan_min_paths && nhosts >= c->scan_min_hosts;
	case FLEET_DET_SCAN_NET: return nsubs >= c->scan_net_min_paths && nhosts >= c->scan_min_hosts;
	case FLEET_DET_SCAN_ID: return nsubs >= c->scan_min_paths && nhosts >= c->scan_min_hosts;
	case FLEET_DET_ENUM: return nsubs >= c->enum_min_ids && nhosts >= c->scan_min_hosts;
	case FLEET_DET_CRED: return nsubs >= c->cred_min_ips;
	case FLEET_DET_RATE: return rate >= c->rate_min;
	case FLEET_DET_GRPC: return n >= c->grpc_min && nhosts >= c->grpc_min_hosts;
	case FLEET_DET_REP: return nhosts >= c->rep_min_hosts;
	default: return 0;
	}
}

static int crossed(const struct fleet *f, const struct fleet_window *k,
		   const struct fleet_window_summary *s)
{
	return crossed_at(f, k->det, s->n, s->nhosts, s->nsubs, s->rate);
}

int fleet_win_crossed(const struct fleet *f, const struct fleet_window *k,
		      uint64_t now)
{
	struct fleet_window_summary s;

	summarise(f, k, now, &s);
	return crossed(f, k, &s);
}

/* Since window k's last summary its counts can only have grown by what
 * arrived (older observations only leave): if even that cannot reach the
 * threshold, it need not be summarised. A crowd of ordinary clients keeps
 * every window due on every pass; this spares summarising each of them. */
static int may_cross(const struct fleet *f, const struct fleet_window *k)
{
	uint64_t m = k->total - k->sum_total;

	return crossed_at(f, k->det, k->sum_n + m, k->sum_hosts + m,
			  k->sum_subs + m, k->sum_rate + m);
}

static void keep_summary(struct fleet_window *k, const struct fleet_window_summary *s)
{
	k->sum_total = k->total;
	k->sum_n = s->n;
	k->sum_hosts = s->nhosts;
	k->sum_subs = s->nsubs;
	k->sum_rate = s->rate;
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

static void build_lists(struct fleet *f, const struct fleet_window *k,
			const struct fleet_window_summary *s)
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
	if (k->block[0] || k->det == FLEET_DET_SCAN_ID) {
		arr_add(&f->q2, k->det == FLEET_DET_ENUM ? k->block : k->subject);
	}
	if (!k->block[0] || k->det == FLEET_DET_SCAN_NET) {
		for (i = 0; i < k->n && nsrc < FLEET_LIST_MAX; i++) {
			const struct fleet_observation *o = &k->ring[i];
			uint32_t h = (uint32_t)fleet_fnv(o->ip, o->ip_len, FLEET_FNV0);

			for (j = 0; j < nsrc && seen[j] != h; j++)
				;
			if (j < nsrc || !o->ip_len)
				continue;
			seen[nsrc++] = h;
			fleet_win_ip_text(o->ip, o->ip_len, ip, sizeof(ip));
			arr_add(&f->q2, ip);
		}
	}
	for (i = 0; i < s->nev; i++) {
		const struct fleet_observation *o = &k->ring[s->ev[i]];

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

static void summary_text(const struct fleet *f, const struct fleet_window *k,
			 const struct fleet_window_summary *s, char *out, size_t cap)
{
	unsigned w = fleet_win_seconds(f, k->det);

	switch (k->det) {
	case FLEET_DET_BF_SRC:
		snprintf(out, cap, "%u auth failures from %s across %u hosts in %u s",
			 s->n, k->subject, s->nhosts, w);
		break;
	case FLEET_DET_BF_EP:
		snprintf(out, cap, "%u auth failures on %s from %u sources in %u s",
			 s->n, k->subject, s->nsubs, w);
		break;
	case FLEET_DET_SCAN_SRC: case FLEET_DET_SCAN_NET: case FLEET_DET_SCAN_ID:
		snprintf(out, cap, "%s probed %u distinct missing paths on %u hosts in %u s",
			 k->subject, s->nsubs, s->nhosts, w);
		break;
	case FLEET_DET_ENUM:
		snprintf(out, cap, "%s walked %u object ids on %u hosts in %u s",
			 k->subject, s->nsubs, s->nhosts, w);
		break;
	case FLEET_DET_CRED:
		snprintf(out, cap, "identity %s used from %u source addresses in %u s",
			 k->subject, s->nsubs, w);
		break;
	case FLEET_DET_RATE:
		snprintf(out, cap, "%u requests to %s fleet-wide in %u s",
			 s->rate, k->subject, w);
		break;
	case FLEET_DET_GRPC:
		snprintf(out, cap, "%u gRPC Unimplemented/reflection calls from %s on %u hosts in %u s",
			 s->n, k->subject, s->nhosts, w);
		break;
	case FLEET_DET_REP:
		snprintf(out, cap, "%s blocked locally on %u hosts within %u s",
			 k->subject, s->nhosts, w);
		break;
	default:
		snprintf(out, cap, "%s", k->subject);
	}
}

/* Create or extend the incident of window k. */
static int record_incident(struct fleet *f, struct fleet_window *k,
			   const struct fleet_window_summary *s, int64_t block_id,
			   int allowlisted, char *err, size_t errlen)
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
		 fleet_win_seconds(f, k->det), s->n, s->nsubs, idb,
		 allowlisted ? ",\"allowlisted\":true" : "");
	if (!k->incident_id) { /* after a restart: the open incident, if any */
		const char *p[2] = { k->key, gap };

		snprintf(gap, sizeof(gap), "%u seconds", f->cfg.incident_gap_s);
		r = PQexecParams(f->conn, SQL_FIND, 2, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			goto dberr;
		if (PQntuples(r) == 1) {
			k->incident_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
			/* the incident already counts what warm() replayed
			 * (reported = total then): add only what came since,
			 * not the whole window */
			snprintf(cnt, sizeof(cnt), "%" PRIu64, k->total - k->reported);
		}
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

		if (fleet_rules[k->det].blocks == 1 && k->det != FLEET_DET_ENUM)
			p[2] = k->subject;
		else if (k->det == FLEET_DET_ENUM) {
			snprintf(ip, sizeof(ip), "%.*s", (int)strcspn(k->subject, " "),
				 k->subject);
			p[2] = ip;
		}
		if (k->det == FLEET_DET_CRED || k->det == FLEET_DET_SCAN_ID)
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
	pgx_err(err, errlen, f->conn, r, "fleet: incident");
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

/* Block decisions wait in f->pend_* for flush_blocks(), so a wave of them
 * (a crowd of attacking addresses) costs one commit per FLEET_BLOCK_BATCH,
 * not one each. */
static int flush_blocks(struct fleet *f, struct blocks *bl, char *err,
			size_t errlen)
{
	int64_t id[FLEET_BLOCK_BATCH];
	int res[FLEET_BLOCK_BATCH], rc;
	char why[256];
	size_t i, n = f->npend;
	uint64_t now;

	if (!n)
		return 0;
	f->npend = 0;
	rc = blocks_add_many(bl, f->pend_q, n, id, res, err, errlen);
	if (rc < 0)
		return rc; /* they stay due and unfired: asked again */
	snprintf(why, sizeof(why), "%s", err); /* a refusal's, if any */
	now = clock_unix_us();
	for (i = 0; i < n; i++) {
		struct fleet_window *k = f->pend_k[i];
		struct fleet_window_summary s;
		int r;

		if (res[i] == BLOCKS_ALLOWLISTED)
			f->st.allowlisted++;
		else if (res[i] == BLOCKS_ADDED)
			f->st.blocks++;
		else if (res[i] < 0) {
			/* refused for good (a constraint, say): asking again
			 * would be refused again, so the window fires as if
			 * blocked and its incident stands without a block */
			f->st.block_errors++;
			snprintf(f->block_err, sizeof(f->block_err), "%s", why);
		}
		k->fired = 1;
		k->due = 0;
		k->extend_after_us = now + FLEET_EXTEND_US;
		/* note the outcome on the incident */
		summarise(f, k, now, &s);
		r = record_incident(f, k, &s, res[i] >= 0 ? id[i] : 0,
				    res[i] == BLOCKS_ALLOWLISTED, err, errlen);
		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

/* Act on window k: record its incident and, the first time for a rule
 * that blocks, queue its block (returns 1: k stays due until the flush). */
static int act(struct fleet *f, struct blocks *bl, struct fleet_window *k,
	       const struct fleet_window_summary *s, char *err, size_t errlen)
{
	if (!k->fired && k->block[0] && bl) {
		size_t i = f->npend;

		summary_text(f, k, s, f->pend_reason[i], sizeof(f->pend_reason[i]));
		/* the incident first, so the block can name it */
		if (record_incident(f, k, s, 0, 0, err, errlen) < 0)
			return -EIO;
		f->pend_k[i] = k;
		f->pend_q[i] = (struct blocks_req){
			.addr = k->block, .origin = "correlator",
			.rule = fleet_rules[k->det].rule,
			.reason = f->pend_reason[i],
			.ttl_s = block_ttl(f, k->block),
			.incident_id = k->incident_id,
		};
		f->npend++;
		return 1;
	}
	k->fired = 1;
	return record_incident(f, k, s, 0, 0, err, errlen);
}

/* Database time this tick may still spend: its own cap, and what is left
 * of this second's share. 0: none. */
static uint64_t tick_allowance(struct fleet *f, uint64_t now)
{
	uint64_t left;

	if (now - f->sec_start_us >= 1000000) {
		f->sec_start_us = now;
		f->sec_db_us = 0;
	}
	left = f->sec_db_us < FLEET_DB_SHARE_US ? FLEET_DB_SHARE_US - f->sec_db_us : 0;
	return left < FLEET_TICK_US ? left : FLEET_TICK_US;
}

int fleet_tick(struct fleet *f, struct blocks *bl, char *err, size_t errlen)
{
	uint64_t now = clock_unix_us(), t = now, allow;
	size_t n, i = f->tick_pos;
	int rc = 0;

	if (!fleet_connected(f))
		return -ECONNRESET;
	fleet_warm_prune(f, now);
	allow = tick_allowance(f, now);
	/* Buckets in turn from where the last tick stopped, so a wave of
	 * detections (thousands of attacking addresses at once) is written a
	 * slice per tick while batches keep being received and acked. */
	for (n = 0; n < FLEET_NBUCKETS && rc == 0; n++) {
		struct fleet_window *k;

		i = (f->tick_pos + n) % FLEET_NBUCKETS;
		if (t - now >= allow) {
			f->st.tick_cuts++;
			break;
		}
		for (k = f->tab[i]; k && rc == 0; k = k->next) {
			struct fleet_window_summary s;

			/* an open incident is updated once its time comes (it
			 * stays due meanwhile, so it is not evicted) */
			if (!k->due || (k->fired && k->incident_id &&
					now < k->extend_after_us))
				continue;
			if (!k->fired && !may_cross(f, k)) {
				k->due = 0;
				continue;
			}
			summarise(f, k, now, &s);
			keep_summary(k, &s);
			if (s.n || s.rate) {
				if (crossed(f, k, &s) || (k->fired && k->incident_id &&
							  k->total > k->reported))
					rc = act(f, bl, k, &s, err, errlen);
				if (rc == 1) { /* a block queued */
					rc = f->npend < FLEET_BLOCK_BATCH ? 0 :
					     flush_blocks(f, bl, err, errlen);
					t = clock_unix_us();
					continue;
				}
				t = clock_unix_us();
				if (rc < 0)
					break; /* stays due: retried */
				k->extend_after_us = t + FLEET_EXTEND_US;
			}
			k->due = 0;
		}
	}
	f->tick_pos = i;
	{
		int frc = flush_blocks(f, bl, err, errlen);

		if (rc == 0)
			rc = frc;
	}
	t = clock_unix_us();
	f->sec_db_us += t - now;
	if (rc < 0 && !pgx_connected(f->conn)) {
		PQfinish(f->conn);
		f->conn = NULL;
		return -ECONNRESET;
	}
	return rc;
}

/* --- connection and warm-up ------------------------------------------------ */

int fleet_connect(struct fleet *f, char *err, size_t errlen)
{
	if (f->conn)
		PQfinish(f->conn);
	f->conn = pgx_connect(f->url, err, errlen, "fleet: connect");
	if (!f->conn)
		return -ECONNREFUSED;
	/* Incidents are derived from events that are already durable: their
	 * commits need not wait for the disk (one flush per incident update
	 * would stall this thread under a wave of detections). A crash loses
	 * at most the last fraction of a second of updates; a block (its own
	 * connection, synchronous) flushes the incident it names with it,
	 * its commit coming later in the same WAL. */
	pgx_discard(f->conn, "SET client_encoding = 'UTF8'; "
			"SET client_min_messages = warning; SET TIME ZONE 'UTC'; "
			"SET synchronous_commit = off");
	if (!f->nkeys)
		fleet_warm(f);
	return 0;
}

void fleet_set_ring(struct fleet *f, const struct ring *r, int shard)
{
	f->ring = r;
	f->shard = shard;
}

void fleet_get_stats(const struct fleet *f, struct fleet_stats *st)
{
	*st = f->st;
	st->keys = f->nkeys;
}

const char *fleet_block_error(const struct fleet *f)
{
	return f->block_err;
}
