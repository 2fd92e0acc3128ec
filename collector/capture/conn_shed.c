/* conn_shed.c - the connection table's memory budget.
 *
 * Every connection is charged what its decoder holds (each decoder keeps
 * that figure in O(1); HTTP/2's HPACK inflaters count every allocation
 * nghttp2 makes); the table keeps the sum. Past the budget the table sheds
 * down to 7/8 of it, in an order that loses least and hurts the abuser
 * first:
 *   1. spare buffers and idle judging windows (nothing is lost);
 *   2. every connection of the clients holding the most (the hogs),
 *      oldest first;
 *   3. the oldest idle HTTP/1 connections (nothing unfinished: a
 *      keep-alive that comes back is tracked anew from its next request);
 *   4. the oldest connections with unfinished work (requests, HTTP/2
 *      streams, WebSocket sessions) of anyone.
 * Dropping a connection flushes its decoder: what it held is emitted and
 * judged as a partial exchange. A connection shed with state its later
 * bytes depend on (an unfinished request, HPACK tables, WebSocket framing)
 * is remembered by cookie (CONN_MEMO_SLOTS, the oldest overwritten): when
 * it sends again it is tracked anew with the decoder it had (HTTP/2 joined
 * mid-stream, WebSocket without its handshake), and draws the anomaly
 * "conn.shed_resumed" - what it sent while forgotten was not judged whole.
 * The hogs: clients (an IPv6 client by its /64) holding at least 1/16 of
 * the budget, up to CONN_HOG_MAX; each gets a session event with the
 * anomaly "conn.mem_hog". The evasion rule judges both: exhausting the
 * collector's memory to blind it is an evasion. Clients are summed in a
 * table of CONN_HOLD_SLOTS with a hash seeded at random per table (no
 * address can be chosen to collide); past that many distinct clients the
 * rest go uncounted (counted: hold_full).
 */
#include "collector/capture/conn_int.h"
#include "collector/decode/h1.h"
#include "collector/decode/h2.h"
#include "collector/decode/pp.h"
#include "common/log.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#define CONN_HOLD_SLOTS 8192u /* power of two */
#define CONN_MEMO_SLOTS 4096u /* power of two */

struct conn_hold {
	uint8_t addr[16];
	uint8_t family;
	uint8_t used;
	uint64_t bytes;
	const struct conn *rep; /* one of its connections */
};

struct hog {
	struct sess_conn id;
	enum sess_proto proto;
	uint64_t bytes;
};

size_t conn_mem_of(const struct conn *c, size_t *busy)
{
	size_t b1 = 0, b2 = 0;
	size_t n = sizeof(*c) + (c->held ? CONN_HELD_MAX : 0) + (c->pp_buf ? PP_MAX : 0);

	n += h1_conn_mem(c->h1, &b1) + h2_conn_mem(c->h2, &b2) + ws_conn_mem(c->ws);
	/* a WebSocket session is live state, never an idle keep-alive */
	if (busy)
		*busy = b1 + b2 + ws_conn_mem(c->ws) + (c->held ? CONN_HELD_MAX : 0) +
			(c->pp_buf ? PP_MAX : 0);
	return n;
}

void conn_charge(struct conn_table *t, struct conn *c)
{
	size_t m = conn_mem_of(c, NULL);

	t->mem = t->mem - c->mem + m;
	c->mem = (uint32_t)m;
	if (t->mem > t->mem_peak)
		t->mem_peak = t->mem;
}

/* The client as the budget counts it: an IPv6 client by its /64 (one
 * subscriber or host holds a whole /64). */
static void client_of(const struct conn *c, uint8_t out[16])
{
	memcpy(out, c->id.client_addr, 16);
	if (c->id.family == AF_INET6)
		memset(out + 8, 0, 8);
}

static uint32_t addr_hash(const struct conn_table *t, const uint8_t a[16])
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, a + 8, 8);
	x ^= t->hold_seed;
	x = (x ^ (y * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
	x ^= x >> 29;
	x *= 0xc4ceb9fe1a85ec53ull ^ t->hold_seed;
	return (uint32_t)(x >> 32);
}

static int hold_init(struct conn_table *t)
{
	if (t->hold)
		return 0;
	t->hold = malloc(CONN_HOLD_SLOTS * sizeof(*t->hold));
	if (!t->hold)
		return -1;
	if (getrandom(&t->hold_seed, sizeof(t->hold_seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(t->hold_seed))
		t->hold_seed = (uint64_t)(uintptr_t)t ^ t->mem_peak * 0x9e3779b97f4a7c15ull;
	return 0;
}

/* Sum every connection's bytes by client; the largest holders at or
 * above floor go to hogs (largest first). Returns how many. */
static unsigned find_hogs(struct conn_table *t, uint64_t floor,
			  struct hog hogs[CONN_HOG_MAX])
{
	const struct conn_hold *top[CONN_HOG_MAX] = { 0 };
	unsigned n = 0;

	if (hold_init(t))
		return 0;
	memset(t->hold, 0, CONN_HOLD_SLOTS * sizeof(*t->hold));
	for (const struct conn *c = t->lru_head; c; c = c->lnext) {
		uint8_t who[16];
		uint32_t i, probe;

		client_of(c, who);
		i = addr_hash(t, who);
		for (probe = 0; probe < CONN_HOLD_SLOTS; probe++, i++) {
			struct conn_hold *h = &t->hold[i & (CONN_HOLD_SLOTS - 1)];

			if (!h->used) {
				h->used = 1;
				h->family = c->id.family;
				memcpy(h->addr, who, 16);
				h->rep = c;
			} else if (h->family != c->id.family || memcmp(h->addr, who, 16)) {
				continue;
			}
			h->bytes += c->mem;
			break;
		}
		if (probe == CONN_HOLD_SLOTS)
			t->cnt[CONN_CNT_HOLD_FULL]++;
	}
	for (uint32_t i = 0; i < CONN_HOLD_SLOTS; i++) {
		const struct conn_hold *h = &t->hold[i];
		unsigned k;

		if (!h->used || h->bytes < floor)
			continue;
		for (k = n; k > 0 && top[k - 1]->bytes < h->bytes; k--)
			if (k < CONN_HOG_MAX)
				top[k] = top[k - 1];
		if (k < CONN_HOG_MAX) {
			top[k] = h;
			if (n < CONN_HOG_MAX)
				n++;
		}
	}
	for (unsigned k = 0; k < n; k++) {
		hogs[k].id = top[k]->rep->id;
		hogs[k].proto = top[k]->rep->st == ST_H2 ? SESS_PROTO_HTTP2 :
				top[k]->rep->st == ST_WS ? SESS_PROTO_WEBSOCKET :
				SESS_PROTO_HTTP1;
		hogs[k].bytes = top[k]->bytes;
	}
	return n;
}

static int is_hog(const struct conn *c, const struct hog *hogs, unsigned n)
{
	uint8_t who[16], hw[16];

	client_of(c, who);
	for (unsigned k = 0; k < n; k++) {
		if (c->id.family != hogs[k].id.family)
			continue;
		memcpy(hw, hogs[k].id.client_addr, 16);
		if (hogs[k].id.family == AF_INET6)
			memset(hw + 8, 0, 8);
		if (!memcmp(who, hw, 16))
			return 1;
	}
	return 0;
}

/* A session event of its own carrying one anomaly. */
static void anom_event(struct conn_table *t, const struct sess_conn *id,
		       enum sess_proto proto, const char *anom, uint64_t ts)
{
	struct sess_event *e = malloc(sizeof(*e));

	if (!e)
		return;
	sess_event_init(e, proto, id);
	e->flags |= SESS_F_PARTIAL | SESS_F_NO_RESP;
	e->req_ns = e->end_ns = ts;
	sess_anom_add(e, anom, 1);
	sess_emit(&t->sink, e);
	free(e);
}

static void hog_event(struct conn_table *t, const struct hog *h, uint64_t ts)
{
	t->cnt[CONN_CNT_MEM_HOGS]++;
	anom_event(t, &h->id, h->proto, "conn.mem_hog", ts);
}

/* --- connections shed with state, remembered ------------------------------- */

static void memo_put(struct conn_table *t, const struct conn *c)
{
	struct conn_memo *m;

	if (!t->memo && !(t->memo = calloc(CONN_MEMO_SLOTS, sizeof(*t->memo))))
		return;
	m = &t->memo[(c->id.cookie * 0x9e3779b97f4a7c15ull >> 40) & (CONN_MEMO_SLOTS - 1)];
	m->cookie = c->id.cookie;
	m->st = (uint8_t)c->st;
}

int conn_memo_take(struct conn_table *t, uint64_t cookie, enum conn_state *st)
{
	struct conn_memo *m;

	if (!t->memo)
		return 0;
	m = &t->memo[(cookie * 0x9e3779b97f4a7c15ull >> 40) & (CONN_MEMO_SLOTS - 1)];
	if (!m->cookie || m->cookie != cookie)
		return 0;
	*st = (enum conn_state)m->st;
	m->cookie = 0;
	return 1;
}

void conn_shed_resumed(struct conn_table *t, const struct conn *c, uint64_t ts)
{
	t->cnt[CONN_CNT_SHED_RESUMED]++;
	anom_event(t, &c->id, c->st == ST_H2 ? SESS_PROTO_HTTP2 :
		   c->st == ST_WS ? SESS_PROTO_WEBSOCKET : SESS_PROTO_HTTP1,
		   "conn.shed_resumed", ts);
}

enum shed_kind { SHED_HOGS, SHED_IDLE, SHED_BUSY };

/* From the oldest, drop connections of one kind while over goal. */
static void shed_pass(struct conn_table *t, uint64_t goal, uint64_t ts,
		      enum shed_kind kind, const struct hog *hogs, unsigned nhogs)
{
	struct conn *c = t->lru_tail;

	while (c && t->mem > goal) {
		struct conn *prev = c->lprev;
		size_t busy;
		int take;

		conn_mem_of(c, &busy);
		if (kind == SHED_IDLE)
			take = !busy;
		else if (kind == SHED_BUSY)
			take = busy != 0;
		else
			take = is_hog(c, hogs, nhogs);
		if (take) {
			t->cnt[busy ? CONN_CNT_SHED_BUSY : CONN_CNT_SHED_IDLE]++;
			t->cnt[CONN_CNT_SHED_BYTES] += c->mem;
			/* its later bytes need what is lost: remember it */
			if (busy || c->st == ST_H2 || c->st == ST_WS)
				memo_put(t, c);
			conn_drop(t, c, ts);
		}
		c = prev;
	}
}

void conn_shed_check(struct conn_table *t, uint64_t ts)
{
	uint64_t budget = t->cfg.mem_budget, goal, before;
	uint64_t shed0 = t->cnt[CONN_CNT_SHED_BUSY] + t->cnt[CONN_CNT_SHED_IDLE];
	struct hog hogs[CONN_HOG_MAX];
	unsigned nhogs;

	if (!budget || t->mem <= budget || t->shedding)
		return;
	t->shedding = 1;
	t->cnt[CONN_CNT_MEM_PRESSURE]++;
	before = t->mem;
	goal = budget - budget / 8;
	nhogs = find_hogs(t, budget / 16, hogs);
	for (struct conn *c = t->lru_tail; c && t->mem > goal; c = c->lprev) {
		if (c->h1 && h1_conn_trim(c->h1)) {
			t->cnt[CONN_CNT_TRIMMED]++;
			conn_charge(t, c);
		}
	}
	if (nhogs)
		shed_pass(t, goal, ts, SHED_HOGS, hogs, nhogs);
	shed_pass(t, goal, ts, SHED_IDLE, NULL, 0);
	shed_pass(t, goal, ts, SHED_BUSY, NULL, 0);
	for (unsigned k = 0; k < nhogs; k++)
		hog_event(t, &hogs[k], ts);
	/* a sustained attack sheds again and again: one line per 10 s */
	if (t->shed_log_ns && ts - t->shed_log_ns < 10 * 1000000000ull) {
		t->shed_log_quiet++;
	} else {
		log_msg(LOG_WARN, "memory budget of %llu bytes exceeded (%llu held): "
			"shed %llu connections, now %llu bytes; %u clients named "
			"conn.mem_hog; %llu more sheddings since the last warning",
			(unsigned long long)budget, (unsigned long long)before,
			(unsigned long long)(t->cnt[CONN_CNT_SHED_BUSY] +
					     t->cnt[CONN_CNT_SHED_IDLE] - shed0),
			(unsigned long long)t->mem, nhogs,
			(unsigned long long)t->shed_log_quiet);
		t->shed_log_ns = ts ? ts : 1;
		t->shed_log_quiet = 0;
	}
	t->shedding = 0;
}

void conn_shed_free(struct conn_table *t)
{
	free(t->hold);
	t->hold = NULL;
	free(t->memo);
	t->memo = NULL;
}

uint64_t conn_mem(const struct conn_table *t)
{
	return t->mem;
}

uint64_t conn_mem_peak(const struct conn_table *t)
{
	return t->mem_peak;
}
