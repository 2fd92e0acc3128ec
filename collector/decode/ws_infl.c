/* ws_infl.c - permessage-deflate for a connection's client messages; see
 * ws_infl.h. Written from RFC 7692 (sections 5, 7.1 and 7.2). */
#include "collector/decode/ws_infl.h"

#include "common/inflate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

struct ws_infl {
	uint8_t *in;          /* the open message's compressed bytes (+4 for the tail) */
	uint32_t in_len, in_cap;
	uint8_t *out;         /* the last message's plain bytes (in the thread's scratch) */
	uint8_t *win;         /* the LZ77 window (NULL: no takeover) */
	uint32_t win_len, win_size;
	uint8_t no_takeover;
	uint8_t msg_bad;      /* the open message cannot be decoded */
	uint8_t lost;         /* the window is unknown: nothing more decodes */
	uint8_t group[16];    /* the client as the window table counts it */
	uint32_t slot;        /* index in the thread's table (with a window) */
	uint64_t used;        /* the table's tick at its last message */
};

/* The connections holding a window, per decoding thread: a window is
 * evicted only by the thread that owns its connection. */
struct win_table {
	struct ws_infl **e;
	uint32_t n, cap;
	uint64_t tick;
};

static _Thread_local struct win_table tab;
/* Where every connection of the thread decodes: a window then a message's
 * plain bytes (made once: a message costs no allocation) */
static _Thread_local uint8_t *scratch;

#define WIN_MAX   (1u << 15)
#define IN_KEPT   1024u /* an input buffer this small stays for the next message */
#define SCRATCH_CAP (WIN_MAX + 2u * WS_INFL_OUT_MAX)

/* The connection whose window is in the scratch at off (its own win is
 * stale meanwhile), or NULL. */
static _Thread_local struct {
	struct ws_infl *owner;
	uint32_t off;
} scr;

/* The scratch's window goes back to its connection. */
static void scratch_spill(void)
{
	if (scr.owner)
		memcpy(scr.owner->win, scratch + scr.off, scr.owner->win_len);
	scr.owner = NULL;
}

static uint64_t windows_live;
static uint64_t evicted[WS_INFL_EV__COUNT];

const char *const ws_infl_ev_names[WS_INFL_EV__COUNT] = {
	[WS_INFL_EV_FULL] = "table_full",
	[WS_INFL_EV_CLIENT] = "client_limit",
};

/* --- negotiation -------------------------------------------------------- */

static int ows(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* "name" or "name=value" or name="value" between p and end: its parts. */
static void param_split(const char *p, const char *end, const char **name, size_t *nlen,
			const char **val, size_t *vlen)
{
	const char *eq;

	while (p < end && ows(*p))
		p++;
	while (end > p && ows(end[-1]))
		end--;
	for (eq = p; eq < end && *eq != '='; eq++)
		;
	*name = p;
	*nlen = (size_t)(eq - p);
	while (*nlen && ows(p[*nlen - 1]))
		(*nlen)--;
	*val = NULL;
	*vlen = 0;
	if (eq < end) {
		const char *v = eq + 1, *ve = end;

		while (v < ve && ows(*v))
			v++;
		if (ve - v >= 2 && *v == '"' && ve[-1] == '"') {
			v++;
			ve--;
		}
		*val = v;
		*vlen = (size_t)(ve - v);
	}
}

static int name_is(const char *n, size_t len, const char *want)
{
	return len == strlen(want) && strncasecmp(n, want, len) == 0;
}

/* The parameters of one extension element (between ';' after its name
 * and the end of the element). */
static void params_read(const char *p, const char *end, struct ws_infl_params *out)
{
	while (p < end) {
		const char *semi = p, *n, *v;
		size_t nl, vl;

		while (semi < end && *semi != ';')
			semi++;
		param_split(p, semi, &n, &nl, &v, &vl);
		if (name_is(n, nl, "client_no_context_takeover")) {
			out->no_takeover = 1;
		} else if (name_is(n, nl, "client_max_window_bits") && v && vl && vl <= 2) {
			unsigned b = 0;

			for (size_t i = 0; i < vl; i++)
				b = v[i] >= '0' && v[i] <= '9' ? b * 10 + (unsigned)(v[i] - '0') : 99;
			/* a bigger window than agreed costs memory only: an
			 * unreadable value keeps 32 KiB */
			out->window_bits = (uint8_t)(b < 9 ? 9 : b > 15 ? 15 : b);
		}
		p = semi + (semi < end);
	}
}

int ws_infl_parse(const char *ext, struct ws_infl_params *out)
{
	const char *p = ext;

	if (!ext)
		return 0;
	while (*p) {
		const char *name, *elem_end, *ne;

		while (*p && (ows(*p) || *p == ','))
			p++;
		name = p;
		for (elem_end = p; *elem_end && *elem_end != ','; elem_end++)
			;
		for (ne = name; ne < elem_end && *ne != ';' && !ows(*ne); ne++)
			;
		if (name_is(name, (size_t)(ne - name), "permessage-deflate")) {
			out->no_takeover = 0;
			out->window_bits = 15;
			while (ne < elem_end && *ne != ';')
				ne++;
			params_read(ne + (ne < elem_end), elem_end, out);
			return 1;
		}
		p = elem_end;
	}
	return 0;
}

/* --- the window table ------------------------------------------------------ */

void ws_infl_client(uint8_t family, const uint8_t addr[16], uint8_t out[16])
{
	/* IPv4 by its /24, IPv6 by its /64: one subscriber, one site */
	size_t keep = family == AF_INET6 ? 8 : 3;

	memcpy(out, addr, keep);
	memset(out + keep, 0, 16 - keep);
}

static void tab_remove(struct ws_infl *z)
{
	struct ws_infl *last = tab.e[--tab.n];

	tab.e[z->slot] = last;
	last->slot = z->slot;
	if (!tab.n) {
		free(tab.e);
		tab.e = NULL;
		tab.cap = 0;
	}
}

/* z's window goes back (z decodes nothing more unless it takes no
 * context over). */
static void win_release(struct ws_infl *z)
{
	if (!z->win)
		return;
	if (scr.owner == z)
		scr.owner = NULL;
	tab_remove(z);
	free(z->win);
	z->win = NULL;
	z->win_len = z->win_size = 0;
	__atomic_sub_fetch(&windows_live, 1, __ATOMIC_RELAXED);
}

static void evict(struct ws_infl *z, enum ws_infl_ev why)
{
	win_release(z);
	z->lost = 1;
	z->msg_bad = 1;
	__atomic_add_fetch(&evicted[why], 1, __ATOMIC_RELAXED);
}

static int by_group(const void *a, const void *b)
{
	const struct ws_infl *x = *(struct ws_infl *const *)a, *y = *(struct ws_infl *const *)b;
	int d = memcmp(x->group, y->group, 16);

	return d ? d : x->used < y->used ? -1 : x->used > y->used;
}

/* The table is full: the least recently used window of the client
 * holding the most goes (an idle flood from one client is evicted before
 * any window of a client holding fewer). NULL when out of memory. */
static struct ws_infl *victim_of_biggest(void)
{
	struct ws_infl **v = malloc(tab.n * sizeof(*v)), *best = NULL;
	uint32_t i, run = 0, best_run = 0;

	if (!v)
		return NULL;
	memcpy(v, tab.e, tab.n * sizeof(*v));
	qsort(v, tab.n, sizeof(*v), by_group);
	for (i = 0; i < tab.n; i++) {
		run = i && !memcmp(v[i]->group, v[i - 1]->group, 16) ? run + 1 : 0;
		/* a run is sorted by use: its first is its least recent */
		if (run + 1 > best_run ||
		    (run + 1 == best_run && v[i - run]->used < best->used)) {
			best_run = run + 1;
			best = v[i - run];
		}
	}
	free(v);
	return best;
}

/* Room for a window of z's client: past per_client of its own, its least
 * recently used goes; past max_windows in all, the biggest holder's. */
static void make_room(struct ws_infl *z, uint32_t max_windows, uint32_t per_client)
{
	struct ws_infl *own = NULL, *v;
	uint32_t mine = 0;

	for (uint32_t i = 0; per_client && i < tab.n; i++) {
		if (memcmp(tab.e[i]->group, z->group, 16))
			continue;
		mine++;
		if (!own || tab.e[i]->used < own->used)
			own = tab.e[i];
	}
	if (per_client && mine >= per_client) {
		evict(own, WS_INFL_EV_CLIENT);
		return;
	}
	if (max_windows && tab.n >= max_windows && (v = victim_of_biggest()))
		evict(v, WS_INFL_EV_FULL);
}

static int tab_add(struct ws_infl *z)
{
	if (tab.n == tab.cap) {
		uint32_t cap = tab.cap ? 2 * tab.cap : 64;
		struct ws_infl **e = realloc(tab.e, cap * sizeof(*e));

		if (!e)
			return -1;
		tab.e = e;
		tab.cap = cap;
	}
	z->slot = tab.n;
	z->used = ++tab.tick;
	tab.e[tab.n++] = z;
	return 0;
}

/* --- the connection's state ----------------------------------------------- */

struct ws_infl *ws_infl_new(const struct ws_infl_params *p, const uint8_t group[16],
			    uint32_t max_windows, uint32_t per_client)
{
	struct ws_infl *z = calloc(1, sizeof(*z));
	unsigned bits = p->window_bits >= 9 && p->window_bits <= 15 ? p->window_bits : 15;

	if (!z)
		return NULL;
	z->no_takeover = p->no_takeover;
	if (z->no_takeover)
		return z;
	memcpy(z->group, group, 16);
	make_room(z, max_windows, per_client);
	if (max_windows && tab.n >= max_windows) {
		free(z); /* out of memory finding a victim */
		return NULL;
	}
	z->win_size = 1u << bits;
	z->win = malloc(z->win_size);
	if (!z->win || tab_add(z) < 0) {
		free(z->win);
		free(z);
		return NULL;
	}
	__atomic_add_fetch(&windows_live, 1, __ATOMIC_RELAXED);
	return z;
}

void ws_infl_free(struct ws_infl *z)
{
	if (!z)
		return;
	win_release(z);
	free(z->in);
	free(z);
}

void ws_infl_evictions(uint64_t out[WS_INFL_EV__COUNT])
{
	for (int i = 0; i < WS_INFL_EV__COUNT; i++)
		out[i] = __atomic_load_n(&evicted[i], __ATOMIC_RELAXED);
}

uint64_t ws_infl_windows(void)
{
	return __atomic_load_n(&windows_live, __ATOMIC_RELAXED);
}

size_t ws_infl_mem(const struct ws_infl *z)
{
	return z ? sizeof(*z) + z->win_size + z->in_cap : 0;
}

/* --- messages ------------------------------------------------------------- */

void ws_infl_add(struct ws_infl *z, const uint8_t *p, size_t n)
{
	if (z->msg_bad || z->lost || !n)
		return;
	if (z->win)
		z->used = ++tab.tick;
	if (n > WS_INFL_IN_MAX - z->in_len) {
		z->msg_bad = 1;
		return;
	}
	if (z->in_len + n + 4 > z->in_cap) {
		uint32_t cap = z->in_cap ? z->in_cap : 1024;
		uint8_t *in;

		while (cap < z->in_len + n + 4)
			cap *= 2;
		if (cap > WS_INFL_IN_MAX + 4)
			cap = WS_INFL_IN_MAX + 4;
		in = realloc(z->in, cap);
		if (!in) {
			z->msg_bad = 1;
			return;
		}
		z->in = in;
		z->in_cap = cap;
	}
	memcpy(z->in + z->in_len, p, n);
	z->in_len += (uint32_t)n;
}

void ws_infl_gap(struct ws_infl *z)
{
	z->msg_bad = 1;
}

/* The message's end: its input goes back, the state is ready for the
 * next; a bad message loses the window (unless none is taken over). */
static int msg_over(struct ws_infl *z, int ok)
{
	if (z->in_cap > IN_KEPT) {
		free(z->in);
		z->in = NULL;
		z->in_cap = 0;
	}
	z->in_len = 0;
	if (!ok && !z->no_takeover) {
		z->lost = 1;
		win_release(z); /* unknown now: it holds no slot */
	}
	z->msg_bad = 0;
	return ok ? 0 : -1;
}

static int status_ok(const struct inflate_result *r, size_t in_len)
{
	/* a sync flush leaves the stream open (truncated at the tail's
	 * end); a final block ends it (RFC 7692 7.2.3.3) */
	if (r->status == INFLATE_TRUNCATED)
		return r->in_used == in_len;
	return r->status == INFLATE_OK || r->status == INFLATE_TRAILING;
}

/* Where z's history sits in the scratch, and so where its message's plain
 * bytes go (right after it): the last connection to decode keeps its
 * window there, so a connection decoding message after message copies
 * nothing in or out; another one's window is written back first. NULL
 * out of memory. */
static uint8_t *scratch_hist(struct ws_infl *z, size_t hist)
{
	if (!scratch && !(scratch = malloc(SCRATCH_CAP)))
		return NULL;
	if (hist && scr.owner == z) {
		if (scr.off + hist + WS_INFL_OUT_MAX > SCRATCH_CAP) {
			memmove(scratch, scratch + scr.off, hist);
			scr.off = 0;
		}
		return scratch + scr.off;
	}
	scratch_spill();
	if (hist)
		memcpy(scratch, z->win, hist);
	return scratch;
}

int ws_infl_end(struct ws_infl *z, const uint8_t **out, size_t *out_len)
{
	static const uint8_t tail[4] = { 0x00, 0x00, 0xff, 0xff };
	struct inflate_result r;
	size_t hist = z->no_takeover ? 0 : z->win_len, total;
	uint8_t *buf;
	int ok;

	ws_infl_done(z);
	*out = NULL;
	*out_len = 0;
	if (z->msg_bad || z->lost)
		return msg_over(z, 0);
	if (!z->in) {
		if (!(z->in = malloc(4)))
			return msg_over(z, 0);
		z->in_cap = 4;
	}
	if (!(buf = scratch_hist(z, hist)))
		return msg_over(z, 0);
	memcpy(z->in + z->in_len, tail, 4);
	/* the ratio cap, with history, only past the window: a message that
	 * repeats an earlier one is a few back-references into the window
	 * (a repeated 8 KiB message compresses 119:1, 16 KiB 127:1), but
	 * more than a window's worth beyond the ratio is a bomb through the
	 * history (255 KiB of one letter in 271 bytes decoded whole 1.4 ms
	 * a message) and stops like one */
	size_t cap = WS_INFL_OUT_MAX;

	if (hist && (size_t)z->win_size + (size_t)(z->in_len + 4u) * WS_INFL_RATIO < cap)
		cap = (size_t)z->win_size + (size_t)(z->in_len + 4u) * WS_INFL_RATIO;
	inflate_run_hist(z->in, z->in_len + 4u, buf, hist, hist + cap,
			 hist ? 0 : WS_INFL_RATIO, &r);
	ok = status_ok(&r, z->in_len + 4u);
	z->out = buf + hist;
	*out = z->out;
	*out_len = r.out_len;
	if (ok && z->win) {
		/* the window: the last win_size bytes of history and message,
		 * left in the scratch (written back when another needs it) */
		total = hist + r.out_len;
		z->win_len = total < z->win_size ? (uint32_t)total : z->win_size;
		scr.owner = z;
		scr.off = (uint32_t)(buf - scratch) + (uint32_t)(total - z->win_len);
	}
	return msg_over(z, ok);
}

void ws_infl_done(struct ws_infl *z)
{
	z->out = NULL;
}
