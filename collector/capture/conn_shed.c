/* conn_shed.c - the connection table's memory budget.
 *
 * Every connection is charged what its decoder holds (each decoder keeps
 * that figure in O(1)); the table keeps the sum. Past the budget the
 * table sheds down to 7/8 of it, in an order that loses least and hurts
 * the abuser first:
 *   1. spare buffers of the oldest connections (nothing is lost);
 *   2. the oldest connections with unfinished requests or streams of the
 *      clients holding the most (the hogs);
 *   3. the oldest idle connections (nothing unfinished: a keep-alive that
 *      comes back is tracked anew, resynchronising on its next request);
 *   4. the oldest connections with unfinished work of anyone.
 * Dropping a connection flushes its decoder: what it held is emitted and
 * judged as a partial exchange, never silently lost.
 * The hogs (clients holding at least 1/16 of the budget, up to
 * CONN_HOG_MAX) each get a session event with the anomaly "conn.mem_hog",
 * which the evasion rule judges: exhausting the collector's memory to
 * blind it is an evasion. Clients are summed in a table of CONN_HOLD_SLOTS;
 * past that many distinct clients the rest go uncounted (each then holds
 * less than budget / CONN_HOLD_SLOTS on average).
 */
#include "collector/capture/conn_int.h"
#include "collector/decode/h1.h"
#include "collector/decode/h2.h"
#include "common/log.h"

#include <stdlib.h>
#include <string.h>

#define CONN_HOLD_SLOTS 4096u /* power of two */

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
	size_t n = sizeof(*c) + (c->held ? CONN_HELD_MAX : 0);

	n += h1_conn_mem(c->h1, &b1) + h2_conn_mem(c->h2, &b2) + ws_conn_mem(c->ws);
	if (busy)
		*busy = b1 + b2 + (c->held ? CONN_HELD_MAX : 0);
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

static uint32_t addr_hash(const uint8_t a[16])
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, a + 8, 8);
	x = (x ^ (y * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
	return (uint32_t)(x >> 40);
}

/* Sum every connection's bytes by client address; the largest holders
 * at or above floor go to hogs (largest first). Returns how many. */
static unsigned find_hogs(struct conn_table *t, uint64_t floor,
			  struct hog hogs[CONN_HOG_MAX])
{
	const struct conn_hold *top[CONN_HOG_MAX] = { 0 };
	unsigned n = 0;

	if (!t->hold && !(t->hold = malloc(CONN_HOLD_SLOTS * sizeof(*t->hold))))
		return 0;
	memset(t->hold, 0, CONN_HOLD_SLOTS * sizeof(*t->hold));
	for (const struct conn *c = t->lru_head; c; c = c->lnext) {
		uint32_t i = addr_hash(c->id.client_addr), probe;

		for (probe = 0; probe < 64; probe++, i++) {
			struct conn_hold *h = &t->hold[i & (CONN_HOLD_SLOTS - 1)];

			if (!h->used) {
				h->used = 1;
				h->family = c->id.family;
				memcpy(h->addr, c->id.client_addr, 16);
				h->rep = c;
			} else if (h->family != c->id.family ||
				   memcmp(h->addr, c->id.client_addr, 16)) {
				continue;
			}
			h->bytes += c->mem;
			break;
		}
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
	for (unsigned k = 0; k < n; k++)
		if (c->id.family == hogs[k].id.family &&
		    !memcmp(c->id.client_addr, hogs[k].id.client_addr, 16))
			return 1;
	return 0;
}

static void hog_event(struct conn_table *t, const struct hog *h, uint64_t ts)
{
	struct sess_event *e = malloc(sizeof(*e));

	if (!e)
		return;
	sess_event_init(e, h->proto, &h->id);
	e->flags |= SESS_F_PARTIAL | SESS_F_NO_RESP;
	e->req_ns = e->end_ns = ts;
	sess_anom_add(e, "conn.mem_hog", 1);
	t->cnt[CONN_CNT_MEM_HOGS]++;
	sess_emit(&t->sink, e);
	free(e);
}

enum shed_kind { SHED_HOGS_BUSY, SHED_IDLE, SHED_BUSY };

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
			take = busy && is_hog(c, hogs, nhogs);
		if (take) {
			t->cnt[busy ? CONN_CNT_SHED_BUSY : CONN_CNT_SHED_IDLE]++;
			t->cnt[CONN_CNT_SHED_BYTES] += c->mem;
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
	shed_pass(t, goal, ts, SHED_HOGS_BUSY, hogs, nhogs);
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
}

uint64_t conn_mem(const struct conn_table *t)
{
	return t->mem;
}

uint64_t conn_mem_peak(const struct conn_table *t)
{
	return t->mem_peak;
}
