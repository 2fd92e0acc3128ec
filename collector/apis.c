/* apis.c - the API inventory inside the running collector (apis.h). */
#include "collector/apis.h"
#include "collector/app.h"
#include "collector/inventory/openapi.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/textesc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* one endpoint's kinds already reported; key 0 is a free slot */
struct apis_done {
	uint64_t key;
	uint32_t mask;
	uint32_t pass;            /* the last tick that found it in the table */
};

/* A page's last documents, one per query (up to APIS_PAGE_SLOTS): each
 * rebuilt at most every page_ms, so a client polling fast costs a copy,
 * not a walk of the table in the main loop; a query that finds every slot
 * built within page_ms is refused (503) rather than built. */
#define APIS_PAGE_SLOTS 4
struct apis_page {
	char key[64];             /* the ?authority= it was built for */
	int found;                /* whether there was one */
	char *doc;
	size_t len;
	uint64_t built_ms;        /* CLOCK_MONOTONIC; 0: never */
};

/* Cap on one document: ?authority= narrows a bigger one. */
#ifndef APIS_PAGE_MAX
#define APIS_PAGE_MAX (64u << 20)
#endif

struct apis {
	struct app *a;
	struct apis_page pages[2][APIS_PAGE_SLOTS]; /* /inventory.json, /openapi.json */
	uint64_t page_ms;
	struct endpoint_table *t;
	uint64_t start_us, learning_us;
	struct apis_done *done;
	uint32_t n_done, cap_done;    /* cap a power of two */
	uint32_t pass;                /* ticks so far */
	const struct posture_index *ix; /* during a tick */
	struct apis_stats st;
};

#define M_ENDPOINTS "sidewatch_inventory_endpoints"
#define M_CREATED "sidewatch_inventory_endpoints_created_total"
#define M_EVICTED "sidewatch_inventory_evictions_total"
#define M_FINDINGS "sidewatch_inventory_findings_total"
#define M_SCANS "sidewatch_inventory_data_scans_total"
#define M_PAGES "sidewatch_inventory_pages_total"

const char *apis_kind_name(unsigned kind)
{
	if (kind < POSTURE__COUNT)
		return posture_names[kind];
	return kind == APIS_NEW_ENDPOINT ? "new_endpoint" : "unknown";
}

static const char *kind_owasp(unsigned kind)
{
	if (kind < POSTURE__COUNT)
		return posture_owasp[kind];
	return "API9:2023 Improper Inventory Management";
}

/* one sentence: why this kind fired, with its counts */
static void kind_reason(unsigned kind, uint64_t count, uint64_t of,
			char *out, size_t cap)
{
	static const char *const why[APIS_KINDS] = {
		[POSTURE_UNAUTH_SENSITIVE] = "answered 2xx without credentials with a sensitive data class in its responses",
		[POSTURE_BULK_EXPOSURE] = "returned many records of one sensitive data class in one response",
		[POSTURE_MIXED_AUTH] = "answered 2xx both with and without credentials",
		[POSTURE_JWT_ALG_NONE] = "accepted (2xx) a JWT whose alg is none",
		[POSTURE_JWT_NO_EXP] = "accepted (2xx) JWTs without an exp claim",
		[POSTURE_CREDS_IN_URL] = "was called with a credential in the query string",
		[POSTURE_BASIC_CLEAR] = "was called with Basic credentials over plain HTTP",
		[POSTURE_ZOMBIE_VERSION] = "is an older API version still called while a newer one serves",
		[APIS_NEW_ENDPOINT] = "first answered after the learning period: an endpoint not in the inventory learned at start (shadow API)",
	};

	snprintf(out, cap, "%s (%" PRIu64 " of %" PRIu64 ")",
		 kind < APIS_KINDS ? why[kind] : "?", count, of);
}

static void metrics_setup(struct metrics *m)
{
	metrics_register(m, M_ENDPOINTS, METRICS_GAUGE,
			 "API endpoints in the inventory now.", NULL, 0);
	metrics_register(m, M_CREATED, METRICS_COUNTER,
			 "API endpoints the inventory learned (new entries).", NULL, 0);
	metrics_register(m, M_EVICTED, METRICS_COUNTER,
			 "API endpoints evicted from the full inventory (seen longest ago).",
			 NULL, 0);
	metrics_register(m, M_SCANS, METRICS_COUNTER,
			 "Exchanges due a data-class scan, by result (scanned; skipped: over inventory_data_per_sec).",
			 NULL, 0);
	metrics_register(m, M_FINDINGS, METRICS_COUNTER,
			 "API posture findings reported, by kind.", NULL, 0);
	metrics_register(m, M_PAGES, METRICS_COUNTER,
			 "Requests for /inventory.json and /openapi.json answered, by result (built: the table walked; cached: a copy of the last; refused: 503, built for another query just now).",
			 NULL, 0);
}

static int page(void *arg, const char *path, const char *query, char **out,
		size_t *len);

struct apis *apis_new(struct app *a)
{
	struct endpoint_config ec;
	struct apis *x;

	if (!a->cfg.inventory)
		return NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	endpoint_config_default(&ec);
	ec.max_endpoints = a->cfg.inventory_max_endpoints;
	ec.data_per_sec = a->cfg.inventory_data_per_sec;
	x->a = a;
	x->t = endpoint_new(&ec);
	x->cap_done = 64;
	while (x->cap_done < 4 * ec.max_endpoints)
		x->cap_done <<= 1;
	x->done = calloc(x->cap_done, sizeof(*x->done));
	if (!x->t || !x->done) {
		apis_free(x);
		return NULL;
	}
	x->start_us = clock_unix_us();
	x->learning_us = (uint64_t)a->cfg.inventory_learning_s * 1000000ull;
	x->page_ms = (uint64_t)(a->cfg.inventory_page_s ? a->cfg.inventory_page_s : 5) * 1000;
	if (a->met) {
		metrics_setup(a->met);
		metrics_set_pages(a->met, page, x);
		if (metrics_set_page_token(a->met, a->cfg.inventory_token) < 0) {
			apis_free(x);
			return NULL;
		}
	}
	return x;
}

void apis_free(struct apis *x)
{
	if (!x)
		return;
	if (x->a->met)
		metrics_set_pages(x->a->met, NULL, NULL);
	for (unsigned i = 0; i < 2 * APIS_PAGE_SLOTS; i++)
		free(x->pages[i / APIS_PAGE_SLOTS][i % APIS_PAGE_SLOTS].doc);
	endpoint_free(x->t);
	free(x->done);
	free(x);
}

const struct endpoint_table *apis_table(const struct apis *x)
{
	return x ? x->t : NULL;
}

void apis_get_stats(const struct apis *x, struct apis_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!x)
		return;
	*st = x->st;
	endpoint_get_stats(x->t, &st->ep);
}

void apis_observe(struct apis *x, const struct sess_event *ev, const char *tmpl)
{
	if (!x || ev->kind != SESS_KIND_SESSION)
		return;
	if (!tmpl) {
		x->st.no_template++;
		return;
	}
	endpoint_observe(x->t, ev, tmpl, clock_unix_us());
}

/* --- findings, each (endpoint, kind) once --------------------------------- */

/* The slot of key, or the free slot it would take (the table is never
 * full: check_one keeps a quarter free). */
static struct apis_done *done_slot(struct apis *x, uint64_t key)
{
	uint32_t i = (uint32_t)(key ^ (key >> 32)) & (x->cap_done - 1), n;

	for (n = 0; n + 1 < x->cap_done; n++, i = (i + 1) & (x->cap_done - 1))
		if (x->done[i].key == key || x->done[i].key == 0)
			break;
	return &x->done[i];
}

static void report(struct apis *x, const struct endpoint *e, unsigned kind,
		   uint64_t count, uint64_t of)
{
	char buf[4096], reason[256], auth[96], tmpl[160], method[40];
	struct json_buf jb;

	kind_reason(kind, count, of, reason, sizeof(reason));
	x->st.findings++;
	x->st.by_kind[kind]++;
	if (x->a->met) {
		const char *l[] = { "kind", apis_kind_name(kind), NULL };

		metrics_counter_add(x->a->met, M_FINDINGS, l, 1);
	}
	if (x->a->cfg.to_stdout) {
		json_init(&jb, buf, sizeof(buf));
		json_obj_open(&jb);
		json_kv_str(&jb, "kind", "finding");
		json_kv_str(&jb, "host", x->a->cfg.name);
		json_kv_u64(&jb, "ts_us", clock_unix_us());
		json_kv_str(&jb, "finding", apis_kind_name(kind));
		json_kv_str(&jb, "owasp", kind_owasp(kind));
		json_kv_str(&jb, "reason", reason);
		json_kv_str(&jb, "authority", e->authority);
		json_kv_str(&jb, "method", e->method);
		json_kv_str(&jb, "template", e->tmpl);
		json_kv_str(&jb, "proto", sess_proto_name((enum sess_proto)e->proto));
		json_kv_u64(&jb, "count", count);
		json_kv_u64(&jb, "of", of);
		json_kv_u64(&jb, "calls", e->calls);
		json_obj_close(&jb);
		fputs(json_str(&jb), stdout);
		fputc('\n', stdout);
	}
	/* off the wire: printable and bounded before the log sees it */
	tx_printable(auth, sizeof(auth), e->authority, strlen(e->authority));
	tx_printable(tmpl, sizeof(tmpl), e->tmpl, strlen(e->tmpl));
	tx_printable(method, sizeof(method), e->method, strlen(e->method));
	log_warn("API finding %s [%s] on %s %s %s: %s", apis_kind_name(kind),
		 kind_owasp(kind), auth, method, tmpl, reason);
}

static void check_one(void *ctx, const struct endpoint *e)
{
	struct posture_finding f[APIS_KINDS];
	struct apis *x = ctx;
	struct apis_done *d;
	uint64_t key = e->key ? e->key : 1;
	int n, i;

	n = posture_check_ix(x->ix, e, f, POSTURE__COUNT);
	d = done_slot(x, key);
	if (d->key)
		d->pass = x->pass;
	if (e->ok && x->learning_us && e->first_us > x->start_us + x->learning_us) {
		f[n].kind = APIS_NEW_ENDPOINT;
		f[n].count = e->ok;
		f[n++].of = e->calls;
	}
	if (!n)
		return;
	if (!d->key) {
		/* at most 3/4 of the slots taken, so every probe ends */
		if (x->n_done >= x->cap_done / 4 * 3) {
			x->st.findings_unrecorded += (uint64_t)n;
			return;
		}
		d->key = key;
		d->pass = x->pass;
		x->n_done++;
	}
	for (i = 0; i < n; i++) {
		unsigned k = f[i].kind;

		if (d->mask & (1u << k))
			continue;
		d->mask |= 1u << k;
		report(x, e, k, f[i].count, f[i].of);
	}
}

static void metrics_update(struct apis *x)
{
	struct endpoint_stats st;
	struct metrics *m = x->a->met;

	if (!m)
		return;
	endpoint_get_stats(x->t, &st);
	metrics_gauge_set(m, M_ENDPOINTS, NULL, (double)st.endpoints);
	metrics_counter_set(m, M_CREATED, NULL, st.created);
	metrics_counter_set(m, M_EVICTED, NULL, st.evicted);
	{
		const char *ls[] = { "result", "scanned", NULL };
		const char *lk[] = { "result", "skipped", NULL };

		metrics_counter_set(m, M_SCANS, ls, st.data_scans);
		metrics_counter_set(m, M_SCANS, lk, st.data_skipped);
	}
	if (!x->st.findings)
		metrics_counter_set(m, M_FINDINGS, NULL, 0);
	{
		const char *lb[] = { "result", "built", NULL };
		const char *lc[] = { "result", "cached", NULL };
		const char *lr[] = { "result", "refused", NULL };

		metrics_counter_set(m, M_PAGES, lb, x->st.pages_built);
		metrics_counter_set(m, M_PAGES, lc, x->st.pages_served - x->st.pages_built_ok);
		metrics_counter_set(m, M_PAGES, lr, x->st.pages_refused);
	}
}

/* Forget the endpoints this tick did not find (evicted): their records
 * would otherwise fill the table and silence every later finding. Rebuilt
 * in place by reinserting what stays (linear probing has no tombstones). */
static void done_sweep(struct apis *x)
{
	struct apis_done *old = x->done, *d;
	uint32_t cap = x->cap_done, i;

	x->done = calloc(cap, sizeof(*x->done));
	if (!x->done) {
		x->done = old; /* keep them all: no memory, no sweep */
		return;
	}
	x->n_done = 0;
	for (i = 0; i < cap; i++) {
		if (!old[i].key || old[i].pass != x->pass)
			continue;
		d = done_slot(x, old[i].key);
		*d = old[i];
		x->n_done++;
	}
	free(old);
}

void apis_tick(struct apis *x)
{
	struct posture_index *ix;

	if (!x)
		return;
	x->pass++;
	ix = posture_index_build(x->t);
	x->ix = ix;
	endpoint_foreach(x->t, check_one, x);
	x->ix = NULL;
	posture_index_free(ix);
	done_sweep(x);
	metrics_update(x);
}

/* --- GET /inventory.json, /openapi.json ------------------------------------ */

static void jstr(struct sbuf *b, const char *s)
{
	sbuf_put(b, "\"", 1);
	tx_json(b, s, strlen(s));
	sbuf_put(b, "\"", 1);
}

/* ",\"key\":[...]" of n strings, each a NUL-terminated char[stride] row of
 * one of struct endpoint's fixed tables. */
static void put_strs(struct sbuf *b, const char *key, const char *rows,
		     size_t stride, unsigned n)
{
	unsigned i;

	sbuf_printf(b, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		if (i)
			sbuf_put(b, ",", 1);
		jstr(b, rows + (size_t)i * stride);
	}
	sbuf_puts(b, "]");
}

static void put_params(struct sbuf *b, const struct endpoint *e)
{
	unsigned i, k;

	sbuf_puts(b, ",\"params\":[");
	for (i = 0; i < e->n_param; i++) {
		const struct endpoint_param *p = &e->param[i];
		const char *fmt, *type = param_type_name(p->types, &fmt);

		sbuf_puts(b, i ? ",{\"name\":" : "{\"name\":");
		jstr(b, p->name);
		sbuf_printf(b, ",\"in\":\"%s\",\"type\":\"%s\",\"format\":\"%s\""
			    ",\"seen\":%" PRIu64 ",\"min_len\":%u,\"max_len\":%u"
			    ",\"distinct\":%u,\"enum_over\":%s,\"shapes\":[",
			    p->where < PARAM__WHERE_COUNT ? param_where_names[p->where] : "?",
			    type, fmt, p->seen, p->min_len, p->max_len, p->n_enum,
			    p->enum_over ? "true" : "false");
		for (k = 0; k < ENDPOINT_SHAPES && p->shapes[k][0]; k++) {
			if (k)
				sbuf_put(b, ",", 1);
			jstr(b, p->shapes[k]);
		}
		sbuf_puts(b, "]}");
	}
	sbuf_printf(b, "],\"params_dropped\":%" PRIu64, e->params_dropped);
}

/* "name":{"a":1,...} of the nonzero counts */
static void put_counts(struct sbuf *b, const char *name, const uint64_t *v,
		       const char *const *names, unsigned n)
{
	int first = 1;

	sbuf_printf(b, ",\"%s\":{", name);
	for (unsigned i = 0; i < n; i++) {
		if (!v[i])
			continue;
		sbuf_printf(b, "%s\"%s\":%" PRIu64, first ? "" : ",", names[i], v[i]);
		first = 0;
	}
	sbuf_puts(b, "}");
}

/* What the endpoint returns: types, classes, where each sat, bulk. */
static void put_data(struct sbuf *b, const struct endpoint *e)
{
	static const char *const dirs[] = { "request", "response" };
	unsigned i;

	put_strs(b, "response_types", e->rctype[0], sizeof(e->rctype[0]), e->n_rctype);
	put_counts(b, "response_data_classes", e->data_resp, dataclass_kind_names,
		   DATACLASS__COUNT);
	sbuf_puts(b, ",\"data_paths\":[");
	for (i = 0; i < e->n_dpath; i++) {
		const struct endpoint_dpath *d = &e->dpath[i];

		sbuf_printf(b, "%s{\"in\":\"%s\",\"class\":\"%s\",\"path\":",
			    i ? "," : "", dirs[d->dir & 1],
			    d->kind < DATACLASS__COUNT ? dataclass_kind_names[d->kind] : "?");
		jstr(b, d->path);
		sbuf_printf(b, ",\"count\":%" PRIu64 "}", d->count);
	}
	sbuf_printf(b, "],\"data_paths_dropped\":%" PRIu64
		    ",\"responses_read\":%" PRIu64 ",\"responses_coded\":%" PRIu64
		    ",\"sensitive_2xx_no_credentials\":%" PRIu64
		    ",\"bulk\":{\"responses\":%" PRIu64 ",\"max_records\":%u"
		    ",\"class\":\"%s\"}",
		    e->dpaths_dropped, e->resp_scans, e->resp_coded, e->unauth_data,
		    e->bulk, e->bulk_max,
		    e->bulk_max && e->bulk_kind < DATACLASS__COUNT ?
		    dataclass_kind_names[e->bulk_kind] : "");
}

struct inv_ctx {
	struct apis *x;
	const struct posture_index *ix;
	struct sbuf *b;
	const char *authority;   /* filter, or NULL */
	unsigned n;
};

static void put_endpoint(void *ctx, const struct endpoint *e)
{
	static const char *const status_names[6] = { "none", "1xx", "2xx", "3xx", "4xx", "5xx" };
	struct posture_finding f[POSTURE__COUNT];
	struct inv_ctx *c = ctx;
	struct sbuf *b = c->b;
	int i, n;

	if (c->authority && strcmp(c->authority, e->authority))
		return;
	sbuf_puts(b, c->n++ ? ",{\"authority\":" : "{\"authority\":");
	jstr(b, e->authority);
	sbuf_puts(b, ",\"method\":");
	jstr(b, e->method);
	sbuf_puts(b, ",\"template\":");
	jstr(b, e->tmpl);
	sbuf_printf(b, ",\"proto\":\"%s\",\"first_seen_us\":%" PRIu64
		    ",\"last_seen_us\":%" PRIu64 ",\"calls\":%" PRIu64
		    ",\"tls_calls\":%" PRIu64,
		    sess_proto_name((enum sess_proto)e->proto), e->first_us,
		    e->last_us, e->calls, e->tls_calls);
	put_counts(b, "status", e->status, status_names, 6);
	sbuf_printf(b, ",\"latency_us\":{\"p50\":%" PRIu64 ",\"p99\":%" PRIu64 "}"
		    ",\"req_bytes\":{\"p50\":%" PRIu64 ",\"p99\":%" PRIu64 "}"
		    ",\"resp_bytes\":{\"p50\":%" PRIu64 ",\"p99\":%" PRIu64 "}",
		    endpoint_quantile(e->latency_us, 0.5),
		    endpoint_quantile(e->latency_us, 0.99),
		    endpoint_quantile(e->req_bytes, 0.5),
		    endpoint_quantile(e->req_bytes, 0.99),
		    endpoint_quantile(e->resp_bytes, 0.5),
		    endpoint_quantile(e->resp_bytes, 0.99));
	put_counts(b, "auth", e->auth, endpoint_auth_names, ENDPOINT_AUTH__COUNT);
	sbuf_printf(b, ",\"ok\":%" PRIu64 ",\"ok_no_auth\":%" PRIu64
		    ",\"jwt\":{\"exp\":%" PRIu64 ",\"no_exp\":%" PRIu64
		    ",\"none_ok\":%" PRIu64 ",\"no_exp_ok\":%" PRIu64,
		    e->ok, e->ok_no_auth, e->jwt_exp, e->jwt_no_exp,
		    e->jwt_none_ok, e->jwt_no_exp_ok);
	put_strs(b, "algs", e->jwt_alg[0], sizeof(e->jwt_alg[0]), e->n_alg);
	put_strs(b, "iss", e->jwt_iss[0], sizeof(e->jwt_iss[0]), e->n_iss);
	put_strs(b, "aud", e->jwt_aud[0], sizeof(e->jwt_aud[0]), e->n_aud);
	sbuf_puts(b, "}");
	put_strs(b, "content_types", e->ctype[0], sizeof(e->ctype[0]), e->n_ctype);
	put_counts(b, "data_classes", e->data, dataclass_kind_names, DATACLASS__COUNT);
	put_data(b, e);
	put_params(b, e);
	n = posture_check_ix(c->ix, e, f, POSTURE__COUNT);
	sbuf_puts(b, ",\"findings\":[");
	for (i = 0; i < n; i++)
		sbuf_printf(b, "%s\"%s\"", i ? "," : "", posture_names[f[i].kind]);
	if (e->ok && c->x->learning_us &&
	    e->first_us > c->x->start_us + c->x->learning_us)
		sbuf_printf(b, "%s\"new_endpoint\"", n ? "," : "");
	sbuf_puts(b, "]}");
}

static void inventory_json(struct apis *x, const char *authority, struct sbuf *b)
{
	struct endpoint_stats st;
	struct posture_index *ix = posture_index_build(x->t);
	struct inv_ctx c = { x, ix, b, authority, 0 };

	endpoint_get_stats(x->t, &st);
	sbuf_puts(b, "{\"host\":");
	jstr(b, x->a->cfg.name);
	sbuf_printf(b, ",\"endpoints\":%" PRIu64 ",\"created\":%" PRIu64
		    ",\"evicted\":%" PRIu64 ",\"observed\":%" PRIu64
		    ",\"findings\":%" PRIu64 ",\"items\":[",
		    st.endpoints, st.created, st.evicted, st.observed,
		    x->st.findings);
	endpoint_foreach(x->t, put_endpoint, &c);
	sbuf_puts(b, "]}\n");
	posture_index_free(ix);
}

struct qarg {
	char authority[64];
	int found, bad;
};

static void on_query(void *ctx, enum param_where w, const char *name,
		     size_t name_len, const char *val, size_t val_len,
		     unsigned type)
{
	struct qarg *q = ctx;

	(void)w;
	(void)type;
	if (name_len != 9 || memcmp(name, "authority", 9) || !val)
		return;
	if (val_len >= sizeof(q->authority) || memchr(val, '\0', val_len)) {
		q->bad = 1;
		return;
	}
	memcpy(q->authority, val, val_len);
	q->authority[val_len] = '\0';
	q->found = 1;
}

/* Build page i for authority (NULL: all) into b. */
static int build(struct apis *x, int i, const char *authority, struct sbuf *b)
{
	int rc = 0;

	if (i == 0)
		inventory_json(x, authority, b);
	else
		rc = openapi_write(x->t, authority, "sidewatch API inventory", b);
	if (rc || b->oom || !b->p)
		return -ENOMEM;
	return b->len > APIS_PAGE_MAX ? -E2BIG : 0;
}

/* The slot of q's query, else the one built longest ago. */
static struct apis_page *slot(struct apis_page *v, const struct qarg *q)
{
	struct apis_page *old = &v[0];
	unsigned k;

	for (k = 0; k < APIS_PAGE_SLOTS; k++) {
		if (v[k].built_ms && v[k].found == q->found &&
		    !strcmp(v[k].key, q->authority))
			return &v[k];
		if (v[k].built_ms < old->built_ms)
			old = &v[k];
	}
	return old;
}

static int page(void *arg, const char *path, const char *query, char **out,
		size_t *len)
{
	struct apis *x = arg;
	struct apis_page *pg;
	struct sbuf b = {0};
	struct qarg q = {0};
	uint64_t now = clock_mono_ms();
	int i, rc, fresh;

	if (!strcmp(path, "/inventory.json"))
		i = 0;
	else if (!strcmp(path, "/openapi.json"))
		i = 1;
	else
		return -ENOENT;
	param_walk_query(query, strlen(query), PARAM_QUERY, on_query, &q);
	if (q.bad)
		return -EINVAL;
	pg = slot(x->pages[i], &q);
	fresh = pg->built_ms && now - pg->built_ms < x->page_ms;
	if (!fresh || !pg->doc || pg->found != q.found ||
	    strcmp(pg->key, q.authority)) {
		if (fresh) {
			x->st.pages_refused++;
			return -EAGAIN; /* every slot built just now */
		}
		x->st.pages_built++;
		pg->built_ms = now;
		free(pg->doc);
		pg->doc = NULL;
		memcpy(pg->key, q.authority, sizeof(pg->key));
		pg->found = q.found;
		rc = build(x, i, q.found ? q.authority : NULL, &b);
		if (rc) {
			sbuf_free(&b);
			return rc;
		}
		pg->doc = b.p;
		pg->len = b.len;
		x->st.pages_built_ok++;
	}
	*out = malloc(pg->len + 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, pg->doc, pg->len);
	(*out)[pg->len] = '\0';
	*len = pg->len;
	x->st.pages_served++;
	return 0;
}
