/* endpoint.c - the endpoint table and what one exchange teaches it; see
 * endpoint.h. An open-addressing index (linear probing, backward-shift
 * deletion, no tombstones) over a fixed array of entries kept in LRU order.
 */
#include "collector/inventory/endpoint.h"
#include "collector/inventory/cred.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "collector/detect/ident.h"
#include "collector/inventory/epdata.h"

#define NIL UINT32_MAX

const char *const endpoint_auth_names[ENDPOINT_AUTH__COUNT] = {
	[ENDPOINT_AUTH_NONE] = "none",
	[ENDPOINT_AUTH_BASIC] = "basic",
	[ENDPOINT_AUTH_JWT] = "jwt",
	[ENDPOINT_AUTH_BEARER] = "bearer",
	[ENDPOINT_AUTH_APIKEY] = "api_key",
	[ENDPOINT_AUTH_QUERY_KEY] = "query_key",
	[ENDPOINT_AUTH_COOKIE] = "cookie",
};

struct endpoint_table {
	struct endpoint *e;
	uint32_t cap, n;
	uint32_t *slot;        /* entry index + 1, 0 = empty */
	uint32_t mask;
	uint32_t head, tail;   /* most and least recently seen */
	/* copies of the last ENDPOINT_EVICTED entries evicted, so their last
	 * changes still reach the next push (endpoint_foreach_evicted) */
	struct endpoint *ev;
	uint32_t ev_n, ev_next;
	struct endpoint_stats st;
	uint64_t chg_seq;      /* last change number handed out */
	uint64_t rng;          /* xorshift64* state, seeded by getrandom() */
	uint32_t data_per_sec; /* scan budget, and this second's use */
	uint32_t budget_used;
	uint64_t budget_sec;
};

void endpoint_config_default(struct endpoint_config *cfg)
{
	cfg->max_endpoints = 2048;
	cfg->data_per_sec = 2000;
}

struct endpoint_table *endpoint_new(const struct endpoint_config *cfg)
{
	struct endpoint_table *t = calloc(1, sizeof(*t));
	uint32_t cap = cfg && cfg->max_endpoints ? cfg->max_endpoints : 2048;
	uint32_t ns = 4;

	if (!t || cap > (1u << 24))
		goto fail;
	while (ns < cap * 2)
		ns <<= 1;
	t->e = calloc(cap, sizeof(*t->e));
	t->slot = calloc(ns, sizeof(*t->slot));
	t->ev = calloc(ENDPOINT_EVICTED, sizeof(*t->ev));
	if (!t->e || !t->slot || !t->ev)
		goto fail;
	if (getrandom(&t->rng, sizeof(t->rng), GRND_NONBLOCK) != sizeof(t->rng)) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		t->rng = ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^
			 (uint64_t)(uintptr_t)t;
	}
	t->rng |= 1; /* xorshift's state must not be 0 */
	t->cap = cap;
	t->data_per_sec = cfg && cfg->data_per_sec ? cfg->data_per_sec : 2000;
	t->mask = ns - 1;
	t->head = t->tail = NIL;
	return t;
fail:
	endpoint_free(t);
	return NULL;
}

void endpoint_free(struct endpoint_table *t)
{
	if (!t)
		return;
	free(t->e);
	free(t->slot);
	free(t->ev);
	free(t);
}

/* --- the index and the LRU list ------------------------------------------ */

static uint64_t key_of(const char *authority, const char *method,
		       const char *tmpl, int proto)
{
	char buf[64 + 16 + 256 + 8];
	int n = snprintf(buf, sizeof(buf), "%.63s\n%.15s\n%.255s\n%d",
			 authority, method, tmpl, proto);

	return ident_hash(buf, n > 0 ? (size_t)n : 0);
}

static uint32_t *find_slot(const struct endpoint_table *t, uint64_t key)
{
	uint32_t i = (uint32_t)key & t->mask;

	while (t->slot[i]) {
		if (t->e[t->slot[i] - 1].key == key)
			return &t->slot[i];
		i = (i + 1) & t->mask;
	}
	return &t->slot[i];
}

static void index_del(struct endpoint_table *t, uint64_t key)
{
	uint32_t *s = find_slot(t, key), i, j;

	if (!*s)
		return;
	i = (uint32_t)(s - t->slot);
	t->slot[i] = 0;
	/* backward shift: move later entries of the run into the hole when
	 * their home is not between the hole and them */
	for (j = (i + 1) & t->mask; t->slot[j]; j = (j + 1) & t->mask) {
		uint32_t home = (uint32_t)t->e[t->slot[j] - 1].key & t->mask;

		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			t->slot[i] = t->slot[j];
			t->slot[j] = 0;
			i = j;
		}
	}
}

static void lru_unlink(struct endpoint_table *t, uint32_t x)
{
	struct endpoint *e = &t->e[x];

	if (e->lru_prev != NIL)
		t->e[e->lru_prev].lru_next = e->lru_next;
	else
		t->head = e->lru_next;
	if (e->lru_next != NIL)
		t->e[e->lru_next].lru_prev = e->lru_prev;
	else
		t->tail = e->lru_prev;
}

static void lru_front(struct endpoint_table *t, uint32_t x)
{
	struct endpoint *e = &t->e[x];

	e->lru_prev = NIL;
	e->lru_next = t->head;
	if (t->head != NIL)
		t->e[t->head].lru_prev = x;
	t->head = x;
	if (t->tail == NIL)
		t->tail = x;
}

static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static struct endpoint *get(struct endpoint_table *t, const char *authority,
			    const char *method, const char *tmpl, int proto,
			    uint64_t now_us)
{
	uint64_t key = key_of(authority, method, tmpl, proto);
	uint32_t *s = find_slot(t, key), x;
	struct endpoint *e;

	if (*s) {
		x = *s - 1;
		if (t->head != x) {
			lru_unlink(t, x);
			lru_front(t, x);
		}
		return &t->e[x];
	}
	if (t->n < t->cap) {
		x = t->n++;
	} else {
		x = t->tail;
		lru_unlink(t, x);
		index_del(t, t->e[x].key);
		t->st.evicted++;
		if (t->ev_n == ENDPOINT_EVICTED)
			t->st.evicted_overwritten++;
		else
			t->ev_n++;
		t->ev[t->ev_next] = t->e[x];
		t->ev_next = (t->ev_next + 1) % ENDPOINT_EVICTED;
		s = find_slot(t, key); /* the run may have moved */
	}
	e = &t->e[x];
	memset(e, 0, sizeof(*e));
	e->key = key;
	copy_cut(e->authority, sizeof(e->authority), authority);
	copy_cut(e->method, sizeof(e->method), method);
	copy_cut(e->tmpl, sizeof(e->tmpl), tmpl);
	e->proto = (uint8_t)proto;
	e->first_us = now_us;
	*s = x + 1;
	lru_front(t, x);
	t->st.created++;
	return e;
}

const struct endpoint *endpoint_find(const struct endpoint_table *t,
				     const char *authority, const char *method,
				     const char *tmpl, int proto)
{
	uint32_t *s = find_slot(t, key_of(authority, method, tmpl, proto));

	return *s ? &t->e[*s - 1] : NULL;
}

void endpoint_foreach(const struct endpoint_table *t,
		      void (*fn)(void *ctx, const struct endpoint *e),
		      void *ctx)
{
	uint32_t x;

	for (x = t->head; x != NIL; x = t->e[x].lru_next)
		fn(ctx, &t->e[x]);
}

void endpoint_foreach_evicted(const struct endpoint_table *t,
			      void (*fn)(void *ctx, const struct endpoint *e),
			      void *ctx)
{
	uint32_t i;

	for (i = 0; i < t->ev_n; i++)
		fn(ctx, &t->ev[i]);
}

void endpoint_get_stats(const struct endpoint_table *t,
			struct endpoint_stats *st)
{
	*st = t->st;
	st->endpoints = t->n;
}

/* --- histograms and shapes ----------------------------------------------- */

static void hist_add(uint32_t h[ENDPOINT_HIST], uint64_t v)
{
	unsigned k = 0;

	while (v > 1 && k < ENDPOINT_HIST - 1) {
		v >>= 1;
		k++;
	}
	h[k]++;
}

uint64_t endpoint_quantile(const uint32_t h[ENDPOINT_HIST], double q)
{
	uint64_t total = 0, acc = 0, want;
	unsigned k;

	for (k = 0; k < ENDPOINT_HIST; k++)
		total += h[k];
	if (!total)
		return 0;
	want = (uint64_t)(q * (double)total + 0.999999);
	if (want < 1)
		want = 1;
	for (k = 0; k < ENDPOINT_HIST; k++) {
		acc += h[k];
		if (acc >= want)
			return (2ull << k) - 1;
	}
	return (2ull << (ENDPOINT_HIST - 1)) - 1;
}

size_t endpoint_shape(const char *v, size_t n, char *out, size_t cap)
{
	size_t i, k = 0;
	char last = 0;

	if (!cap)
		return 0;
	for (i = 0; i < n && k + 1 < cap; i++) {
		unsigned char c = (unsigned char)v[i];
		char s;

		if (c >= 'A' && c <= 'Z')
			s = 'A';
		else if (c >= 'a' && c <= 'z')
			s = 'a';
		else if (c >= '0' && c <= '9')
			s = '9';
		else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			s = (char)c;
		else
			s = '?';
		if (s != last || !(s == 'A' || s == 'a' || s == '9'))
			out[k++] = s;
		last = s;
	}
	out[k] = '\0';
	return k;
}

/* --- parameters ---------------------------------------------------------- */

struct pctx {
	struct endpoint_table *t;
	struct endpoint *e;
};

static void on_param(void *ctx, enum param_where where, const char *name,
		     size_t nlen, const char *val, size_t vlen, unsigned type)
{
	struct pctx *p = ctx;
	struct endpoint *e = p->e;
	struct endpoint_param *pa = NULL;
	char shape[ENDPOINT_SHAPE_LEN];
	uint32_t h;
	unsigned i;

	if (nlen >= PARAM_MAX_NAME)
		nlen = PARAM_MAX_NAME - 1;
	for (i = 0; i < e->n_param; i++)
		if (e->param[i].where == where &&
		    strncmp(e->param[i].name, name, nlen) == 0 &&
		    e->param[i].name[nlen] == '\0') {
			pa = &e->param[i];
			break;
		}
	if (!pa) {
		if (e->n_param == ENDPOINT_MAX_PARAMS) {
			e->params_dropped++;
			return;
		}
		pa = &e->param[e->n_param++];
		memcpy(pa->name, name, nlen);
		pa->name[nlen] = '\0';
		pa->where = (uint8_t)where;
		pa->min_len = UINT32_MAX;
	}
	pa->types |= type;
	pa->seen++;
	if (!val)
		return;
	if (vlen < pa->min_len)
		pa->min_len = (uint32_t)vlen;
	if (vlen > pa->max_len)
		pa->max_len = (uint32_t)(vlen > UINT32_MAX ? UINT32_MAX : vlen);
	endpoint_shape(val, vlen < 64 ? vlen : 64, shape, sizeof(shape));
	for (i = 0; i < ENDPOINT_SHAPES && pa->shapes[i][0]; i++)
		if (strcmp(pa->shapes[i], shape) == 0)
			break;
	if (i < ENDPOINT_SHAPES && !pa->shapes[i][0])
		memcpy(pa->shapes[i], shape, sizeof(shape));
	if (pa->enum_over)
		return;
	h = (uint32_t)ident_hash(val, vlen < 256 ? vlen : 256);
	for (i = 0; i < pa->n_enum; i++)
		if (pa->enum_hash[i] == h)
			return;
	if (pa->n_enum < ENDPOINT_ENUM)
		pa->enum_hash[pa->n_enum++] = h;
	else
		pa->enum_over = 1;
}

/* --- credentials --------------------------------------------------------- */

static const char *const query_keys[] = {
	"api_key", "apikey", "api-key", "access_token", "token", "auth_token",
	"key", "password", "secret", NULL
};

struct qkey {
	int found;
};

static void on_query_key(void *ctx, enum param_where where, const char *name,
			 size_t nlen, const char *val, size_t vlen,
			 unsigned type)
{
	struct qkey *q = ctx;
	unsigned i;

	(void)where;
	(void)type;
	if (!vlen)
		return;
	for (i = 0; query_keys[i]; i++)
		if (strlen(query_keys[i]) == nlen &&
		    strncasecmp(query_keys[i], name, nlen) == 0)
			q->found = 1;
	(void)val;
}

/* Keep s among the n values of a small set (first ones win). */
static void keep_str(char (*set)[ENDPOINT_CLAIM_LEN], uint8_t *n, const char *s)
{
	unsigned i;

	if (!s[0])
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(set[i], s) == 0)
			return;
	if (*n < ENDPOINT_CLAIMS)
		snprintf(set[(*n)++], ENDPOINT_CLAIM_LEN, "%s", s);
}

static enum endpoint_auth auth_of(struct endpoint *e,
				  const struct sess_event *ev, int query_key,
				  int ok, int *junk)
{
	struct ident id;
	const char *tok = NULL;
	size_t tok_len = 0;
	enum ident_kind k = cred_best(ev, &tok, &tok_len);

	/* something credential-like was sent, but nothing plausible */
	*junk = k == IDENT_NONE && ident_extract(ev, &id);
	switch (k) {
	case IDENT_APIKEY:
		return ENDPOINT_AUTH_APIKEY;
	case IDENT_BASIC:
		return ENDPOINT_AUTH_BASIC;
	case IDENT_COOKIE:
		return ENDPOINT_AUTH_COOKIE;
	case IDENT_BEARER: {
		char alg[12], iss[ENDPOINT_CLAIM_LEN], aud[ENDPOINT_CLAIM_LEN];
		int exp;
		unsigned i;

		if (cred_jwt_facts(tok, tok_len, alg, &exp, iss, aud)) {
			/* only tokens the server accepted: anyone
			 * can send forged ones to fill the slots */
			if (ok) {
				keep_str(e->jwt_iss, &e->n_iss, iss);
				keep_str(e->jwt_aud, &e->n_aud, aud);
			}
			for (i = 0; i < e->n_alg; i++)
				if (strcmp(e->jwt_alg[i], alg) == 0)
					break;
			if (i == e->n_alg && i < ENDPOINT_ALGS)
				memcpy(e->jwt_alg[e->n_alg++], alg, 12);
			if (exp)
				e->jwt_exp++;
			else
				e->jwt_no_exp++;
			e->jwt_no_exp_ok += ok && !exp;
			e->jwt_none_ok += ok && strcasecmp(alg, "none") == 0;
			return ENDPOINT_AUTH_JWT;
		}
		return ENDPOINT_AUTH_BEARER;
	}
	default:
		return query_key ? ENDPOINT_AUTH_QUERY_KEY : ENDPOINT_AUTH_NONE;
	}
}

/* --- one exchange -------------------------------------------------------- */

static void content_type(struct endpoint *e, const struct sess_event *ev,
			 const uint8_t *body, size_t body_len, int *json, int *form)
{
	const char *h;
	size_t len, k;
	unsigned i;
	char ct[48];

	*json = *form = 0;
	h = sess_get_hdr(ev, "content-type", &len);
	if (!h) {
		*json = body_len && (body[0] == '{' || body[0] == '[');
		return;
	}
	for (k = 0; k < len && k < sizeof(ct) - 1 && h[k] != ';' && h[k] != ' '; k++)
		ct[k] = h[k] >= 'A' && h[k] <= 'Z' ? (char)(h[k] | 0x20) :
			h[k] > 0x20 && h[k] < 0x7f ? h[k] : '?';
	ct[k] = '\0';
	*json = strstr(ct, "json") != NULL;
	*form = strcmp(ct, "application/x-www-form-urlencoded") == 0;
	for (i = 0; i < e->n_ctype; i++)
		if (strcmp(e->ctype[i], ct) == 0)
			return;
	if (e->n_ctype < ENDPOINT_CTYPES && k)
		memcpy(e->ctype[e->n_ctype++], ct, k + 1);
}

/* xorshift64* (Vigna): the sampling draw for data-class scans */
static uint64_t draw(struct endpoint_table *t)
{
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545F4914F6CDD1Dull;
}

/* The data-class scan of one exchange: every exchange in an endpoint's
 * first calls, then one in 16 at random (which ones must not be
 * predictable from the call count, or a client could time its requests to
 * land between scans), all within the table's per-second budget, of which
 * exchanges not answered 2xx may take only half. */
static void data_classes(struct endpoint_table *t, struct endpoint *e,
			 const struct sess_event *ev, const uint8_t *body,
			 size_t body_len, int json, int unauth_ok, uint64_t now_us)
{
	uint64_t sec = now_us / 1000000;

	if (e->calls > ENDPOINT_DATA_FULL && (draw(t) >> 60) != 0)
		return;
	if (sec != t->budget_sec) {
		t->budget_sec = sec;
		t->budget_used = 0;
	}
	/* an exchange not answered 2xx (a scanner's guesses, errors) may
	 * use only half the budget: answers always keep the other half */
	if (t->budget_used >= (ev->status >= 200 && ev->status < 300 ?
			       t->data_per_sec : t->data_per_sec / 2)) {
		t->st.data_skipped++;
		return;
	}
	t->budget_used++;
	epdata_scan(e, ev, body, body_len, json, unauth_ok);
	t->st.data_scans++;
}

const struct endpoint *endpoint_observe(struct endpoint_table *t,
					const struct sess_event *ev,
					const char *tmpl, uint64_t now_us)
{
	struct endpoint *e;
	struct pctx p;
	struct qkey q = {0};
	enum endpoint_auth a;
	int json, form, junk;
	const uint8_t *body;
	size_t body_len;
	uint64_t lat;

	if (!t || !ev || ev->kind != SESS_KIND_SESSION || !tmpl || !tmpl[0] ||
	    !ev->method[0])
		return NULL;
	e = get(t, ev->authority, ev->method, tmpl, (int)ev->proto, now_us);
	t->st.observed++;
	e->calls++;
	e->last_us = now_us;
	e->chg = ++t->chg_seq;
	e->tls_calls += ev->conn && ev->conn->tls;
	e->status[ev->status >= 100 && ev->status < 600 ? ev->status / 100 : 0]++;
	lat = ev->resp_ns > ev->req_ns ? (ev->resp_ns - ev->req_ns) / 1000 : 0;
	if (ev->resp_ns)
		hist_add(e->latency_us, lat);
	hist_add(e->req_bytes, ev->req_bytes);
	hist_add(e->resp_bytes, ev->resp_bytes);

	param_walk_query(ev->query, strlen(ev->query), PARAM_QUERY,
			 on_query_key, &q);
	a = auth_of(e, ev, q.found, ev->status >= 200 && ev->status < 300, &junk);
	t->st.cred_junk += (uint64_t)junk;
	e->auth[a]++;
	if (q.found && a != ENDPOINT_AUTH_QUERY_KEY)
		e->auth[ENDPOINT_AUTH_QUERY_KEY]++;
	if (ev->status >= 200 && ev->status < 300) {
		e->ok++;
		e->ok_no_auth += a == ENDPOINT_AUTH_NONE;
	}

	body = epdata_req_body(ev, &body_len);
	content_type(e, ev, body, body_len, &json, &form);
	p.t = t;
	p.e = e;
	param_walk_path(tmpl, ev->path, on_param, &p);
	param_walk_query(ev->query, strlen(ev->query), PARAM_QUERY, on_param, &p);
	if (body_len && form)
		param_walk_query((const char *)body, body_len, PARAM_FORM,
				 on_param, &p);
	else if (body_len && json)
		param_walk_json((const char *)body, body_len, on_param, &p);
	epdata_resp_type(e, ev);
	data_classes(t, e, ev, body, body_len, json,
		     a == ENDPOINT_AUTH_NONE && ev->status >= 200 &&
		     ev->status < 300, now_us);
	return e;
}
