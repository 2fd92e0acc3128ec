/* conn_int.h - what the connection table's two halves share: conn.c
 * (records, decoder dispatch, lifetime) and conn_shed.c (the memory
 * budget). Private: no other module includes it.
 */
#ifndef SW_CONN_INT_H
#define SW_CONN_INT_H

#include "collector/capture/conn.h"
#include "collector/decode/ws.h"

enum conn_state {
	ST_H1 = 0,
	ST_H2,
	ST_WS,
	ST_OPAQUE, /* upgraded to something we do not decode */
	ST_PRI,    /* the first request bytes begin the HTTP/2 preface */
};

/* A PROXY protocol header may open the request stream (decode/pp.h). */
enum conn_pp {
	CONN_PP_LOOK = 0, /* the stream's first bytes: look for one */
	CONN_PP_SKIP,     /* the rest of a v2 header still to come (pp_skip) */
	CONN_PP_AFTER,    /* one was read: what follows may be TLS */
	CONN_PP_DONE,     /* decided */
};

/* Server bytes kept while a dribbled preface is undecided: an HTTP/2
 * server's first SETTINGS and WINDOW_UPDATE fit with room to spare. */
#define CONN_HELD_MAX 512

struct conn {
	struct conn *hnext;             /* hash chain */
	struct conn *lprev, *lnext;     /* LRU list, most recent at head */
	struct sess_conn id;
	uint64_t expect[2];             /* next stream offset per sess_dir */
	uint64_t last_ns;
	enum conn_state st;
	uint8_t req_seen;               /* a request byte was decoded */
	uint8_t pri_got;                /* ST_PRI: preface bytes received */
	uint16_t held_len;              /* ST_PRI: server bytes in held */
	uint64_t pri_since;             /* ST_PRI: when its first byte came */
	uint8_t *held;
	uint8_t pp_state;               /* enum conn_pp */
	uint16_t pp_len;                /* PROXY header bytes held in pp_buf */
	uint8_t *pp_buf;                /* a header arriving in pieces */
	uint64_t pp_since;              /* when its first byte came */
	uint32_t pp_skip;               /* CONN_PP_SKIP: header bytes to come */
	struct h1_conn *h1;
	struct h2_conn *h2;
	struct ws_conn *ws;
	uint32_t mem;                   /* bytes charged (conn_charge) */
	uint8_t skippable;              /* a plain server socket (conn_skip_fn) */
	uint8_t skip_set;               /* the kernel holds a range for it */
	uint64_t skip_from, skip_to;    /* the range last asked for */
};

struct conn_hold;                       /* conn_shed.c: bytes per client */

struct conn_memo {                      /* conn_shed.c: shed with state */
	uint64_t cookie;
	uint8_t st;                     /* its enum conn_state */
};

struct conn_table {
	struct conn_config cfg;
	struct sess_sink out;           /* where events finally go */
	struct sess_sink sink;          /* counting wrapper handed to decoders */
	struct ws_config wscfg;
	struct conn **buckets;
	uint32_t nbuckets;              /* power of two */
	uint32_t count;
	struct conn *lru_head, *lru_tail;
	uint64_t cnt[CONN_CNT__MAX];
	uint64_t mem, mem_peak;         /* bytes charged to connections */
	struct conn_hold *hold;         /* conn_shed.c, made at first need */
	uint64_t hold_seed;             /* its hash's random seed */
	struct conn_memo *memo;         /* conn_shed.c, made at first need */
	uint8_t shedding;
	uint64_t shed_log_ns;           /* last warning logged */
	uint64_t shed_log_quiet;        /* sheddings since, not logged */
	conn_skip_fn skip_fn;           /* conn_set_skip; NULL: the default */
	void *skip_ctx;
};

/* conn.c: flush the decoder (it emits what it holds) and free the entry. */
void conn_drop(struct conn_table *t, struct conn *c, uint64_t ts_ns);
/* conn_shed.c: charge c what it holds now. */
void conn_charge(struct conn_table *t, struct conn *c);
/* conn_shed.c: shed when over the budget (any connection may be gone
 * after: hold no pointer across it). */
void conn_shed_check(struct conn_table *t, uint64_t ts_ns);
/* conn_shed.c: heap bytes c holds; *busy the part for unfinished work. */
size_t conn_mem_of(const struct conn *c, size_t *busy);
void conn_shed_free(struct conn_table *t);
/* conn_shed.c: was cookie shed with state? 1 (once) and the state it had. */
int conn_memo_take(struct conn_table *t, uint64_t cookie, enum conn_state *st);
/* conn_shed.c: c is one of those, tracked anew: its anomaly event. */
void conn_shed_resumed(struct conn_table *t, const struct conn *c, uint64_t ts);

#endif /* SW_CONN_INT_H */
