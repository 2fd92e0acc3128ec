/* fleet_int.h - internal interface between fleet.c (configuration,
 * incidents, blocks, the PostgreSQL connection and warm-up) and fleet_win.c
 * (staging of ingested events and the hot windows they are fed into).
 * Not for other modules: they use fleet.h.
 *
 * The vocabulary: a detector (enum fleet_detector) keeps one window
 * (struct fleet_window) per subject it watches: a source, a /24, an
 * identity, an endpoint. An ingested event is staged (struct
 * fleet_staged_event) until its batch commits, then becomes one
 * observation (struct fleet_observation) in each window it concerns.
 */
#ifndef SW_FLEET_INT_H
#define SW_FLEET_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "correlator/blocks.h"
#include "correlator/fleet.h"
#include "common/textesc.h"

#define FLEET_MAX_HOSTS 4096  /* interned host names */

/* one per rule of fleet.h, in fleet_rules[] order */
enum fleet_detector {
	FLEET_DET_BF_SRC, FLEET_DET_BF_EP, FLEET_DET_SCAN_SRC, FLEET_DET_SCAN_NET,
	FLEET_DET_SCAN_ID, FLEET_DET_ENUM, FLEET_DET_CRED, FLEET_DET_RATE,
	FLEET_DET_GRPC, FLEET_DET_REP, FLEET_DET_COUNT,
};

struct fleet_rule {
	const char *rule, *severity;
	int blocks;  /* 1: block the source address, 2: its /24 */
};

/* rule name, severity and block scope of each detector (fleet.c) */
extern const struct fleet_rule fleet_rules[FLEET_DET_COUNT];

/* What a window needs of one event, copied at staging. */
/* The staging's room at start, and the least it shrinks back to. */
#define FLEET_STAGE_INIT 4096

struct fleet_staged_event {
	const struct ingest_batch *b;
	uint32_t idx;
	uint8_t kind, ip_len;
	uint8_t skip;        /* INGEST_SKIP_* families it does not feed */
	uint8_t ip[16];
	int32_t status, grpc_status;
	char host[64];       /* per-event host override, "" = the batch's */
	char path[160];
	char authority[64];
	char identity[129];
	char service[64];
	char action[16];
};

/* One event in a window's ring: when it arrived, where it is stored
 * (host, seq, idx) and the distinct thing it adds (sub: a path, a source,
 * an object id, hashed). */
struct fleet_observation {
	uint64_t ts_us, seq;
	uint32_t idx, sub;
	uint16_t host;
	uint8_t ip_len;
	uint8_t ip[16];
};

struct fleet_window {
	struct fleet_window *next;
	/* its owner's windows, least recently observed first (fleet_win.c) */
	struct fleet_window *oprev, *onext;
	uint32_t own;        /* the owner: f->owners[own] */
	uint16_t own_host;   /* the reporting host that created it */
	uint64_t hash;
	enum fleet_detector det;
	char key[200];       /* rule prefix + subject: the dedupe key */
	char subject[180];   /* printable: an IP, a /24, an identity, a path */
	char block[64];      /* CIDR to block, "" = none */
	struct fleet_observation ring[FLEET_RING];
	unsigned head, n;
	uint32_t bucket[60]; /* per-second counts (rate) */
	uint64_t bucket_sec[60];
	uint64_t last_us, total, reported;
	uint64_t extend_after_us; /* an open incident's next update, not before */
	/* counts at the last summary, when total was sum_total (fleet.c) */
	uint64_t sum_total;
	uint32_t sum_n, sum_hosts, sum_subs, sum_rate;
	int due, fired;
	int64_t incident_id;
};

#define FLEET_NBUCKETS 8192
#define FLEET_BLOCK_BATCH 64  /* block decisions committed together */
#define FLEET_EVICT_SAMPLE 16 /* windows looked at to evict one (fleet_win.c) */
/* Budgets. A window is owned by the pair (reporting host, source address
 * or IPv6 /64) whose event created it. When the table is full, an owner
 * holding FLEET_OWNER_SHARE windows or more pays for a new one with its
 * own least recently observed window; otherwise the sampled eviction takes
 * windows of owners, then of reporting hosts, over their share first. */
#define FLEET_OWNER_SHARE (FLEET_MAX_KEYS / 8)
#define FLEET_OWNERS (FLEET_MAX_KEYS + 2) /* [0]: shared, if ever short */
#define FLEET_OWN_BUCKETS 4096

struct fleet_owner {
	struct fleet_window *head, *tail; /* least .. most recently observed */
	uint32_t n;
	uint32_t next;      /* hash chain or free list; 0 = end */
	uint16_t host;
	uint8_t len;        /* 4 or 8 (an IPv6 /64), 0 = no address */
	uint8_t ip[8];
};

struct fleet {
	struct fleet_config cfg;
	char *url;
	PGconn *conn;
	struct fleet_staged_event *stage;
	size_t nstage, stage_cap;
	struct fleet_window *tab[FLEET_NBUCKETS];
	size_t nkeys;
	uint64_t evict_after_us; /* no table walk before this (see get_key) */
	char (*hosts)[64];
	unsigned nhosts;
	struct fleet_owner *owners;  /* FLEET_OWNERS, fleet_win.c */
	uint32_t *own_tab;           /* FLEET_OWN_BUCKETS chains */
	uint32_t own_free;           /* free list of owners */
	uint32_t *host_n;            /* windows per reporting host */
	uint64_t own_seed;           /* owner hash seed, per process */
	struct sbuf q1, q2, q3;
	size_t tick_pos;          /* bucket the next tick starts at */
	size_t evict_pos;         /* bucket the next eviction sample starts at */
	uint64_t sec_start_us;    /* this second's PostgreSQL time so far: */
	uint64_t sec_db_us;
	/* block decisions of this tick, committed together (fleet.c) */
	struct fleet_window *pend_k[FLEET_BLOCK_BATCH];
	struct blocks_req pend_q[FLEET_BLOCK_BATCH];
	char pend_reason[FLEET_BLOCK_BATCH][512];
	size_t npend;
	char block_err[256];      /* the last refusal (fleet_block_error) */
	struct fleet_stats st;
	/* sharded (fleet_set_ring): the ring and this shard's index in it,
	 * for the warm-up's own rows (fleet_warm.c); NULL: not sharded */
	const struct ring *ring;
	int shard;
	uint64_t prune_after_us;  /* no fleet_projections prune before this */
};

static inline uint64_t fleet_fnv(const void *p, size_t n, uint64_t h)
{
	const uint8_t *s = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}
#define FLEET_FNV0 1469598103934665603ull

/* fleet_win.c: the window length of detector d in seconds */
unsigned fleet_win_seconds(const struct fleet *f, enum fleet_detector d);
/* fleet_win.c: ip as text, "" for none; cap >= INET6_ADDRSTRLEN */
void fleet_win_ip_text(const uint8_t *ip, uint8_t len, char *out, size_t cap);
/* fleet_win.c: one committed event into every window it concerns */
void fleet_win_feed(struct fleet *f, const struct fleet_staged_event *o,
		    const char *host, uint64_t seq, uint64_t now);
/* fleet_win.c: set up the owners' free list (after fleet_new's calloc) */
void fleet_win_owners_init(struct fleet *f);
/* fleet_win.c: the window of detector d and subject, NULL if none */
struct fleet_window *fleet_win_find(struct fleet *f, enum fleet_detector d,
				    const char *subject);
/* fleet_warm.c: after a (re)start, replay what this correlator stored
 * (own rows, kept projections) into the windows (fleet_connect) */
void fleet_warm(struct fleet *f);
/* fleet_warm.c: one stored event, as the warm-up's queries return it:
 * FLEET_WARM_NCOLS values (host, seq, idx, recv µs, kind, source, status,
 * path, authority, identity, service, action, grpc status, projection
 * bits: 0 for an own row of `events`), fed to the families live ingest
 * fed it to (a projection: those of its bits) */
#define FLEET_WARM_NCOLS 14
void fleet_warm_row(struct fleet *f, const char *const *v);
/* fleet_warm.c: delete (a bounded number of) fleet_projections rows older
 * than any window of their families needs, at most every few seconds;
 * counted in st.proj_pruned */
void fleet_warm_prune(struct fleet *f, uint64_t now);
/* fleet.c: do window k's counts at now cross its detector's threshold? */
int fleet_win_crossed(const struct fleet *f, const struct fleet_window *k,
		      uint64_t now);

#endif /* SW_FLEET_INT_H */
