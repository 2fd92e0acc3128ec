/* conn.c - connection table and decoder dispatch. */
#include "collector/capture/conn_int.h"
#include "collector/decode/h1.h"
#include "collector/decode/h2.h"
#include "collector/decode/pp.h"
#include "collector/decode/ws.h"
#include "common/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

const char *const conn_counter_names[CONN_CNT__MAX] = {
	[CONN_CNT_OPENED] = "opened",
	[CONN_CNT_CLOSED] = "closed",
	[CONN_CNT_EVICTED] = "evicted",
	[CONN_CNT_IDLE] = "idle_swept",
	[CONN_CNT_GAPS] = "gaps",
	[CONN_CNT_GAP_BYTES] = "gap_bytes",
	[CONN_CNT_OVERLAP] = "overlaps",
	[CONN_CNT_EVENTS] = "events",
	[CONN_CNT_UPGRADES] = "upgrades",
	[CONN_CNT_UNCLASSIFIED] = "unclassified",
	[CONN_CNT_MEM_PRESSURE] = "mem_pressure",
	[CONN_CNT_SHED_BUSY] = "shed_busy",
	[CONN_CNT_SHED_IDLE] = "shed_idle",
	[CONN_CNT_SHED_BYTES] = "shed_bytes",
	[CONN_CNT_TRIMMED] = "trimmed",
	[CONN_CNT_MEM_HOGS] = "mem_hogs",
	[CONN_CNT_SHED_RESUMED] = "shed_resumed",
	[CONN_CNT_HOLD_FULL] = "hold_full",
	[CONN_CNT_PP] = "proxy_headers",
	[CONN_CNT_PP_BAD] = "proxy_headers_bad",
	[CONN_CNT_PP_TLS] = "proxy_then_tls",
	[CONN_CNT_SKIPS] = "skips",
	[CONN_CNT_SKIP_BYTES] = "skipped_bytes",
	[CONN_CNT_SKIP_FAIL] = "skip_fail",
};

/* The kernel never needs to look a skip range up before SW_RESP_PREFIX
 * bytes of a response: the ranges asked for start after the prefix kept. */
_Static_assert(SESS_MAX_RESP_BODY >= SW_RESP_PREFIX, "skip ranges start past SW_RESP_PREFIX");

static conn_skip_fn skip_default_fn;
static void *skip_default_ctx;

void conn_skip_default(conn_skip_fn fn, void *ctx)
{
	skip_default_fn = fn;
	skip_default_ctx = ctx;
}

void conn_skip_default_drop(void *ctx)
{
	if (skip_default_ctx == ctx) {
		skip_default_fn = NULL;
		skip_default_ctx = NULL;
	}
}

void conn_set_skip(struct conn_table *t, conn_skip_fn fn, void *ctx)
{
	t->skip_fn = fn;
	t->skip_ctx = ctx;
}

/* Ask the kernel (if anyone listens) for [from, to) of c's responses;
 * del forgets c's range. */
static int skip_ask(struct conn_table *t, struct conn *c, uint64_t from,
		    uint64_t to, int del)
{
	conn_skip_fn fn = t->skip_fn ? t->skip_fn : skip_default_fn;
	void *ctx = t->skip_fn ? t->skip_ctx : skip_default_ctx;

	if (!fn)
		return -ENOSYS;
	return fn(ctx, c->id.cookie, from, to, del);
}

void conn_config_default(struct conn_config *cfg)
{
	cfg->max_conns = 65536;
	cfg->idle_timeout_ns = 300ull * 1000000000ull;
	cfg->ws_summary_ns = 30ull * 1000000000ull;
	cfg->ws_inflate_windows = 256;
	cfg->ws_inflate_windows_client = 8;
	cfg->mem_budget = 256ull << 20;
}

static void count_emit(void *ctx, const struct sess_event *ev)
{
	struct conn_table *t = ctx;

	t->cnt[CONN_CNT_EVENTS]++;
	sess_emit(&t->out, ev);
}

static void pass_request(void *ctx, const struct sess_event *ev)
{
	struct conn_table *t = ctx;

	if (t->out.request)
		t->out.request(t->out.ctx, ev);
}

struct conn_table *conn_table_new(const struct conn_config *cfg,
				  const struct sess_sink *sink)
{
	struct conn_table *t = calloc(1, sizeof(*t));
	uint32_t n = 1024;

	if (!t)
		return NULL;
	t->cfg = *cfg;
	if (!t->cfg.max_conns)
		t->cfg.max_conns = 65536;
	while (n < t->cfg.max_conns && n < (1u << 24))
		n <<= 1;
	t->nbuckets = n;
	t->buckets = calloc(n, sizeof(*t->buckets));
	if (!t->buckets) {
		free(t);
		return NULL;
	}
	t->out = *sink;
	t->sink.emit = count_emit;
	t->sink.request = pass_request;
	t->sink.ctx = t;
	ws_config_default(&t->wscfg);
	t->wscfg.summary_interval_ns = t->cfg.ws_summary_ns;
	t->wscfg.inflate_windows = t->cfg.ws_inflate_windows;
	t->wscfg.inflate_windows_client = t->cfg.ws_inflate_windows_client;
	return t;
}

static uint32_t bucket_of(const struct conn_table *t, uint64_t cookie)
{
	uint64_t h = cookie * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 32) & (t->nbuckets - 1);
}

static void lru_unlink(struct conn_table *t, struct conn *c)
{
	if (c->lprev)
		c->lprev->lnext = c->lnext;
	else
		t->lru_head = c->lnext;
	if (c->lnext)
		c->lnext->lprev = c->lprev;
	else
		t->lru_tail = c->lprev;
	c->lprev = c->lnext = NULL;
}

static void lru_push(struct conn_table *t, struct conn *c)
{
	c->lnext = t->lru_head;
	c->lprev = NULL;
	if (t->lru_head)
		t->lru_head->lprev = c;
	t->lru_head = c;
	if (!t->lru_tail)
		t->lru_tail = c;
}

static struct conn *lookup(struct conn_table *t, uint64_t cookie)
{
	struct conn *c = t->buckets[bucket_of(t, cookie)];

	while (c && c->id.cookie != cookie)
		c = c->hnext;
	return c;
}

void conn_drop(struct conn_table *t, struct conn *c, uint64_t ts_ns)
{
	struct conn **pp = &t->buckets[bucket_of(t, c->id.cookie)];

	while (*pp && *pp != c)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = c->hnext;
	lru_unlink(t, c);
	t->count--;
	t->mem -= c->mem;
	if (c->skip_set)
		skip_ask(t, c, 0, 0, 1);
	if (c->h1)
		h1_close(c->h1, ts_ns);
	if (c->h2)
		h2_close(c->h2, ts_ns);
	if (c->ws)
		ws_close(c->ws, ts_ns);
	h1_conn_free(c->h1);
	h2_conn_free(c->h2);
	ws_conn_free(c->ws);
	free(c->held);
	free(c->pp_buf);
	free(c);
}

static int is_v4mapped(const uint8_t *a)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return memcmp(a, pfx, sizeof(pfx)) == 0;
}

static void fill_id(struct sess_conn *id, const struct sw_event *ev)
{
	int server = ev->role != SW_ROLE_CLIENT;

	id->cookie = ev->cookie;
	id->cgroup_id = ev->cgroup_id;
	id->tgid = ev->tgid;
	id->netns = ev->netns;
	id->family = ev->family;
	id->tls = (ev->flags & SW_F_TLS) != 0;
	/* The record's local end is the server when this socket serves. */
	memcpy(server ? id->server_addr : id->client_addr, ev->saddr, 16);
	memcpy(server ? id->client_addr : id->server_addr, ev->daddr, 16);
	id->server_port = server ? ev->sport : ev->dport;
	id->client_port = server ? ev->dport : ev->sport;
	memcpy(id->comm, ev->comm, sizeof(id->comm));
	id->comm[sizeof(id->comm) - 1] = '\0';
	id->open_ns = ev->ts_ns;
	/* A dual-stack socket talking to an IPv4 peer: the client is IPv4
	 * for events and for blocking (packets on the wire are IPv4). */
	if (id->family == AF_INET6 && is_v4mapped(id->client_addr) &&
	    is_v4mapped(id->server_addr)) {
		id->family = AF_INET;
		memmove(id->client_addr, id->client_addr + 12, 4);
		memset(id->client_addr + 4, 0, 12);
		memmove(id->server_addr, id->server_addr + 12, 4);
		memset(id->server_addr + 4, 0, 12);
	}
}

static struct conn *create(struct conn_table *t, const struct sw_event *ev)
{
	enum conn_state was = ST_H1;
	struct conn *c;
	int resumed;
	uint32_t b;

	if (t->count >= t->cfg.max_conns && t->lru_tail) {
		t->cnt[CONN_CNT_EVICTED]++;
		conn_drop(t, t->lru_tail, ev->ts_ns);
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	fill_id(&c->id, ev);
	c->skippable = ev->role == SW_ROLE_SERVER && !(ev->flags & SW_F_TLS) &&
		       !(ev->cookie & SW_TLS_COOKIE_BIT);
	resumed = conn_memo_take(t, ev->cookie, &was);
	/* only a stream seen from its start may open with a PROXY header */
	if (resumed || ev->proto == SW_GUESS_HTTP2_MID)
		c->pp_state = CONN_PP_DONE;
	if (resumed && was == ST_WS) {
		/* shed mid-session: framing resumes without the handshake */
		c->st = ST_WS;
		c->ws = ws_conn_new(&c->id, &t->sink, &t->wscfg, NULL);
		if (!c->ws)
			goto fail;
	} else if ((resumed && was == ST_H2) ||
		   ev->proto == SW_GUESS_HTTP2 || ev->proto == SW_GUESS_HTTP2_MID) {
		c->st = ST_H2;
		c->h2 = h2_conn_new(&c->id, &t->sink,
				    resumed || ev->proto == SW_GUESS_HTTP2_MID ? H2_F_MIDSTREAM : 0);
		if (!c->h2)
			goto fail;
	} else {
		c->st = ST_H1;
		c->h1 = h1_conn_new(&c->id, &t->sink);
		if (!c->h1)
			goto fail;
	}
	b = bucket_of(t, c->id.cookie);
	c->hnext = t->buckets[b];
	t->buckets[b] = c;
	lru_push(t, c);
	t->count++;
	t->cnt[CONN_CNT_OPENED]++;
	conn_charge(t, c);
	if (resumed)
		conn_shed_resumed(t, c, ev->ts_ns);
	return c;
fail:
	free(c);
	return NULL;
}

static void copy_hdr(char *dst, size_t cap, const char *v, size_t len)
{
	if (!v) {
		dst[0] = '\0';
		return;
	}
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* HTTP/1.1 ended with 101 (or CONNECT): hand the connection over. */
static void upgrade(struct conn_table *t, struct conn *c)
{
	enum h1_upgrade u = h1_upgraded(c->h1);
	const struct sess_event *req = h1_upgrade_request(c->h1);

	t->cnt[CONN_CNT_UPGRADES]++;
	if (u == H1_UPG_WEBSOCKET && req) {
		char origin[SESS_MAX_AUTHORITY], key[128], accept[128];
		char proto[SESS_MAX_NAME], ext[256];
		struct ws_handshake hs = {};
		const char *v;
		size_t n = 0;

		v = sess_get_hdr(req, "origin", &n);
		copy_hdr(origin, sizeof(origin), v, n);
		hs.origin = v ? origin : NULL;
		v = sess_get_hdr(req, "sec-websocket-key", &n);
		copy_hdr(key, sizeof(key), v, n);
		hs.key = key;
		v = h1_upgrade_resp_hdr(c->h1, "sec-websocket-accept", &n);
		copy_hdr(accept, sizeof(accept), v, n);
		hs.accept = accept;
		v = h1_upgrade_resp_hdr(c->h1, "sec-websocket-protocol", &n);
		copy_hdr(proto, sizeof(proto), v, n);
		hs.protocol = v ? proto : NULL;
		v = h1_upgrade_resp_hdr(c->h1, "sec-websocket-extensions", &n);
		copy_hdr(ext, sizeof(ext), v, n);
		hs.extensions = v ? ext : NULL;
		hs.path = req->path;
		hs.query = req->query;
		hs.authority = req->authority;
		hs.req_ns = req->req_ns;
		hs.resp_ns = req->resp_ns;
		c->ws = ws_conn_new(&c->id, &t->sink, &t->wscfg, &hs);
		c->st = c->ws ? ST_WS : ST_OPAQUE;
	} else if (u == H1_UPG_H2C && req) {
		c->h2 = h2_conn_new_upgraded(&c->id, &t->sink, req);
		c->st = c->h2 ? ST_H2 : ST_OPAQUE;
	} else {
		c->st = ST_OPAQUE;
	}
	h1_conn_free(c->h1);
	c->h1 = NULL;
	/* no response is framed by HTTP/1 any more: nothing to skip, and the
	 * kernel need not wake us for large ones */
	if (c->skippable && !skip_ask(t, c, UINT64_MAX, UINT64_MAX, 0))
		c->skip_set = 1;
}

static void feed(struct conn_table *t, struct conn *c, enum sess_dir d,
		 const uint8_t *data, size_t len, uint64_t ts);

/* A dribbled preface is decided: HTTP/2 when it completed, otherwise
 * HTTP/1 gets the bytes it held back, in the order they came. */
static void pri_decide(struct conn_table *t, struct conn *c, int h2, uint64_t ts)
{
	uint8_t *held = c->held;
	size_t n = c->held_len;

	c->held = NULL;
	c->held_len = 0;
	if (h2) {
		c->h2 = h2_conn_new(&c->id, &t->sink, 0);
		h1_conn_free(c->h1);
		c->h1 = NULL;
		c->st = c->h2 ? ST_H2 : ST_OPAQUE;
	} else {
		c->st = ST_H1;
	}
	feed(t, c, SESS_DIR_REQ, (const uint8_t *)H2_PREFACE, c->pri_got, ts);
	c->pri_got = 0;
	feed(t, c, SESS_DIR_RESP, held, n, ts);
	free(held);
}

/* ST_PRI: how much of data it took; 0 once decided (c->st has changed). */
static size_t pri_feed(struct conn_table *t, struct conn *c, enum sess_dir d,
		       const uint8_t *data, size_t len, uint64_t ts)
{
	if (d == SESS_DIR_REQ) {
		size_t want = H2_PREFACE_LEN - c->pri_got;
		size_t n = len < want ? len : want;
		int same = memcmp(data, H2_PREFACE + c->pri_got, n) == 0;

		if (same && n < want) {
			c->pri_got = (uint8_t)(c->pri_got + n);
			return n;
		}
		pri_decide(t, c, same, ts);
		return 0;
	}
	if (!c->held && !(c->held = malloc(CONN_HELD_MAX))) {
		pri_decide(t, c, 0, ts);
		return 0;
	}
	if (c->held_len + len > CONN_HELD_MAX) {
		/* the server says more than an HTTP/2 greeting */
		pri_decide(t, c, 0, ts);
		return 0;
	}
	memcpy(c->held + c->held_len, data, len);
	c->held_len = (uint16_t)(c->held_len + len);
	return len;
}

/* PROXY header bytes held back go to the decoder after all (they were
 * no header, or the stream broke): the decoder judges what they are. */
static void pp_giveup(struct conn_table *t, struct conn *c, uint64_t ts)
{
	uint8_t *held = c->pp_buf;
	size_t n = c->pp_len;

	c->pp_state = CONN_PP_DONE;
	c->pp_buf = NULL;
	c->pp_len = 0;
	if (n)
		feed(t, c, SESS_DIR_REQ, held, n, ts);
	free(held);
}

/* The request stream's first bytes: a PROXY protocol header is read past
 * (its client kept in c->id.pp_*), held while it arrives in pieces (at
 * most PP_MAX), and anything else goes on to the decoder. How much of data
 * it took; 0 once decided. */
static size_t pp_feed(struct conn_table *t, struct conn *c, const uint8_t *data,
		      size_t len, uint64_t ts)
{
	size_t prev = c->pp_len, have = len, take;
	const uint8_t *buf = data;
	struct pp_info pi;
	int r;

	if (c->pp_state == CONN_PP_SKIP) {
		take = len < c->pp_skip ? len : c->pp_skip;
		c->pp_skip -= (uint32_t)take;
		if (!c->pp_skip)
			c->pp_state = CONN_PP_AFTER;
		return take;
	}
	if (c->pp_state == CONN_PP_AFTER) {
		c->pp_state = CONN_PP_DONE;
		/* a TLS record header: 0x16, then version 3.x */
		if (data[0] != 0x16 || (len > 1 && data[1] != 0x03))
			return 0;
		/* a TLS record: a TLS server behind the balancer; its
		 * plaintext, if any, comes from the TLS probes */
		t->cnt[CONN_CNT_PP_TLS]++;
		c->st = ST_OPAQUE;
		return len;
	}
	if (prev) {
		take = len < PP_MAX - prev ? len : PP_MAX - prev;
		memcpy(c->pp_buf + prev, data, take);
		buf = c->pp_buf;
		have = prev + take;
	}
	r = pp_parse(buf, have, &pi);
	if (r == PP_MORE) {
		/* more bytes needed: fewer than PP_MAX so far */
		if (!prev) {
			if (!c->pp_buf && !(c->pp_buf = malloc(PP_MAX))) {
				c->pp_state = CONN_PP_DONE;
				return 0;
			}
			memcpy(c->pp_buf, data, len);
			c->pp_since = ts;
		}
		c->pp_len = (uint16_t)have;
		return len;
	}
	if (r > 0) {
		t->cnt[CONN_CNT_PP]++;
		c->id.pp_family = pi.family;
		memcpy(c->id.pp_addr, pi.addr, sizeof(c->id.pp_addr));
		c->id.pp_port = pi.port;
		free(c->pp_buf);
		c->pp_buf = NULL;
		c->pp_len = 0;
		c->pp_state = CONN_PP_AFTER;
		/* a v2 header longer than what came: skip the rest as it comes */
		if ((size_t)r - prev > len) {
			c->pp_skip = (uint32_t)((size_t)r - prev - len);
			c->pp_state = CONN_PP_SKIP;
			return len;
		}
		return (size_t)r - prev;
	}
	if (r == PP_BAD)
		t->cnt[CONN_CNT_PP_BAD]++;
	pp_giveup(t, c, ts);
	return 0;
}

static void feed(struct conn_table *t, struct conn *c, enum sess_dir d,
		 const uint8_t *data, size_t len, uint64_t ts)
{
	while (len > 0) {
		size_t used;

		if (d == SESS_DIR_REQ && c->pp_state != CONN_PP_DONE &&
		    (c->st == ST_H1 || c->st == ST_H2)) {
			used = pp_feed(t, c, data, len, ts);
			data += used;
			len -= used;
			continue;
		}
		switch (c->st) {
		case ST_PRI:
			used = pri_feed(t, c, d, data, len, ts);
			data += used;
			len -= used;
			break;
		case ST_H1:
			if (d == SESS_DIR_REQ && !c->req_seen) {
				c->req_seen = 1;
				/* A first read as short as "PRI" does not tell
				 * HTTP/2 with prior knowledge from "POST": wait
				 * for the rest, as the server does. */
				if (h2_is_preface(data, len)) {
					c->st = ST_PRI;
					c->pri_since = ts;
					break;
				}
			}
			used = h1_feed(c->h1, d, data, len, ts);
			if (h1_upgraded(c->h1) != H1_UPG_NONE) {
				upgrade(t, c);
			} else if (used < len) {
				/* The request side paused at an upgrade the
				 * response has not confirmed yet: the bytes
				 * cannot be decoded as HTTP/1.1. */
				return;
			}
			if (used > len)
				used = len;
			data += used;
			len -= used;
			break;
		case ST_H2:
			h2_feed(c->h2, d, data, len, ts);
			return;
		case ST_WS:
			ws_feed(c->ws, d, data, len, ts);
			return;
		case ST_OPAQUE:
			return;
		}
	}
}

/* After response bytes were decoded: a body whose end the framing fixes,
 * past the prefix kept and long enough to be worth it, is asked of the
 * kernel as a range to count, not copy (conn.h). */
static void skip_update(struct conn_table *t, struct conn *c)
{
	uint64_t seen, room, at = c->expect[SESS_DIR_RESP], from, to;

	room = h1_resp_room(c->h1, &seen);
	if (room < CONN_SKIP_MIN)
		return;
	from = at + (seen < SESS_MAX_RESP_BODY ? SESS_MAX_RESP_BODY - seen : 0);
	to = room > UINT64_MAX - 1 - at ? UINT64_MAX - 1 : at + room;
	if (to <= from || to - from < CONN_SKIP_MIN || to == c->skip_to)
		return;
	c->skip_from = from;
	c->skip_to = to;
	if (skip_ask(t, c, from, to, 0)) {
		t->cnt[CONN_CNT_SKIP_FAIL]++;
		return;
	}
	c->skip_set = 1;
	t->cnt[CONN_CNT_SKIPS]++;
}

/* Did the kernel skip [from, from + len) of d on our word? */
static int skipped(const struct conn *c, enum sess_dir d, uint64_t from,
		   uint64_t len)
{
	return d == SESS_DIR_RESP && c->skip_set && c->st == ST_H1 &&
	       from >= c->skip_from && from + len <= c->skip_to;
}

static void gap(struct conn_table *t, struct conn *c, enum sess_dir d,
		uint64_t len, uint64_t ts)
{
	if (d == SESS_DIR_REQ && c->pp_state != CONN_PP_DONE)
		pp_giveup(t, c, ts); /* bytes lost: no header can follow */
	if (c->st == ST_PRI)
		pri_decide(t, c, 0, ts); /* bytes lost: HTTP/1 resynchronises */
	switch (c->st) {
	case ST_H1: h1_gap(c->h1, d, len, ts); break;
	case ST_H2: h2_gap(c->h2, d, len, ts); break;
	case ST_WS: ws_gap(c->ws, d, len, ts); break;
	case ST_OPAQUE: case ST_PRI: break;
	}
}

const char *conn_unclassified_anom(unsigned why)
{
	switch (why) {
	case SW_WHY_GARBAGE: return "conn.garbage";
	case SW_WHY_CRLF: return "conn.crlf_flood";
	case SW_WHY_H2_FRAMES: return "conn.h2_no_headers";
	}
	return NULL;
}

/* The kernel gave up on a connection to a port that serves HTTP: no
 * exchange to report, but the client is judged for what it sent. */
static void unclassified(struct conn_table *t, const struct sw_event *ev)
{
	const char *anom = conn_unclassified_anom(ev->pad[0]);
	struct sess_event *e;
	struct sess_conn id;

	if (!anom)
		return;
	e = malloc(sizeof(*e));
	if (!e)
		return;
	fill_id(&id, ev);
	sess_event_init(e, SESS_PROTO_HTTP1, &id);
	e->flags |= SESS_F_PARTIAL | SESS_F_NO_RESP;
	e->req_ns = e->end_ns = ev->ts_ns;
	e->req_bytes = ev->len;
	sess_anom_add(e, anom, 1);
	t->cnt[CONN_CNT_UNCLASSIFIED]++;
	sess_emit(&t->sink, e);
	free(e);
}

void conn_on_record(struct conn_table *t, const struct sw_event *ev,
		    const uint8_t *data)
{
	struct conn *c = lookup(t, ev->cookie);
	enum sess_dir d;
	uint64_t seq = ev->seq, len = ev->len;

	if (ev->type == SW_EV_UNCLASSIFIED) {
		unclassified(t, ev);
		return;
	}
	if (ev->type == SW_EV_CLOSE) {
		if (c) {
			t->cnt[CONN_CNT_CLOSED]++;
			conn_drop(t, c, ev->ts_ns);
		}
		return;
	}
	if (!c) {
		c = create(t, ev);
		if (!c)
			return;
	} else {
		lru_unlink(t, c);
		lru_push(t, c);
	}
	c->last_ns = ev->ts_ns;

	/* Request bytes are what the server receives or the client sends. */
	if (ev->role == SW_ROLE_CLIENT)
		d = ev->dir == SW_DIR_SEND ? SESS_DIR_REQ : SESS_DIR_RESP;
	else
		d = ev->dir == SW_DIR_RECV ? SESS_DIR_REQ : SESS_DIR_RESP;

	if (seq > c->expect[d] && skipped(c, d, c->expect[d], seq - c->expect[d])) {
		t->cnt[CONN_CNT_SKIP_BYTES] += seq - c->expect[d];
		h1_skip(c->h1, seq - c->expect[d], ev->ts_ns);
		c->expect[d] = seq;
	} else if (seq > c->expect[d]) {
		t->cnt[CONN_CNT_GAPS]++;
		t->cnt[CONN_CNT_GAP_BYTES] += seq - c->expect[d];
		gap(t, c, d, seq - c->expect[d], ev->ts_ns);
		c->expect[d] = seq;
	} else if (seq < c->expect[d]) {
		uint64_t skip = c->expect[d] - seq;

		t->cnt[CONN_CNT_OVERLAP]++;
		if (skip >= len)
			return;
		seq += skip;
		len -= skip;
		data += skip;
	}
	c->expect[d] = seq + len;
	if (ev->type == SW_EV_GAP && (ev->flags & SW_F_SKIP) && skipped(c, d, seq, len)) {
		t->cnt[CONN_CNT_SKIP_BYTES] += len;
		h1_skip(c->h1, len, ev->ts_ns);
	} else if (ev->type == SW_EV_GAP) {
		gap(t, c, d, len, ev->ts_ns);
	} else {
		feed(t, c, d, data, (size_t)len, ev->ts_ns);
	}
	if (d == SESS_DIR_RESP && c->st == ST_H1 && c->skippable)
		skip_update(t, c);
	conn_charge(t, c);
	conn_shed_check(t, ev->ts_ns);
}

void conn_sweep(struct conn_table *t, uint64_t now_ns)
{
	struct conn *c = t->lru_tail;

	while (c && now_ns > c->last_ns &&
	       now_ns - c->last_ns > t->cfg.idle_timeout_ns) {
		struct conn *prev = c->lprev;

		t->cnt[CONN_CNT_IDLE]++;
		conn_drop(t, c, now_ns);
		c = prev;
	}
	for (c = t->lru_head; c; c = c->lnext) {
		if (c->st == ST_WS) {
			ws_tick(c->ws, now_ns);
		} else if (c->st == ST_H2) {
			h2_tick(c->h2, now_ns);
			conn_charge(t, c);
		}
	}
	conn_shed_check(t, now_ns);
}

void conn_foreach_pending(struct conn_table *t, conn_pending_cb cb, void *ctx)
{
	for (struct conn *c = t->lru_head; c; c = c->lnext) {
		uint64_t since;

		if (c->st == ST_PRI) {
			/* a preface that never completes is a slow head too */
			cb(ctx, &c->id, c->pri_since);
			continue;
		}
		if (c->pp_len) {
			/* so is a PROXY header (or what may begin one) */
			cb(ctx, &c->id, c->pp_since);
			continue;
		}
		if (c->st != ST_H1 || !c->h1)
			continue;
		since = h1_pending_since(c->h1);
		if (since)
			cb(ctx, &c->id, since);
	}
}

void conn_flush(struct conn_table *t)
{
	while (t->lru_head)
		conn_drop(t, t->lru_head, t->lru_head->last_ns);
}

void conn_table_free(struct conn_table *t)
{
	if (!t)
		return;
	conn_flush(t);
	conn_shed_free(t);
	free(t->buckets);
	free(t);
}

void conn_counters(const struct conn_table *t, uint64_t out[CONN_CNT__MAX])
{
	memcpy(out, t->cnt, sizeof(t->cnt));
}

uint32_t conn_count(const struct conn_table *t)
{
	return t->count;
}
