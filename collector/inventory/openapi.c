/* openapi.c - the endpoint table as OpenAPI 3.1 JSON; see openapi.h. */
#include "collector/inventory/openapi.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collector/inventory/param.h"
#include "collector/inventory/posture.h"

#define MAX_SLOTS 16

/* --- path keys ----------------------------------------------------------- */

struct slots {
	char name[MAX_SLOTS][32];
	unsigned n;
};

static void on_slot(void *ctx, enum param_where w, const char *name,
		    size_t nlen, const char *val, size_t vlen, unsigned type)
{
	struct slots *s = ctx;

	(void)w;
	(void)val;
	(void)vlen;
	(void)type;
	if (s->n < MAX_SLOTS && nlen < sizeof(s->name[0])) {
		memcpy(s->name[s->n], name, nlen);
		s->name[s->n++][nlen] = '\0';
	}
}

static void put(char *out, size_t cap, size_t *k, const char *s, size_t n)
{
	if (*k + n < cap) {
		memcpy(out + *k, s, n);
		*k += n;
	} else {
		*k = cap; /* too long: the caller sees 0 */
	}
}

size_t openapi_path(const char *tmpl, char *out, size_t cap)
{
	struct slots sl = { .n = 0 };
	const char *p = tmpl;
	size_t k = 0;
	unsigned slot = 0;

	if (!cap || tmpl[0] != '/')
		return 0;
	param_walk_path(tmpl, tmpl, on_slot, &sl);
	while (*p == '/') {
		const char *e = strchr(p + 1, '/');
		size_t n;

		if (!e)
			e = p + strlen(p);
		n = (size_t)(e - p - 1);
		put(out, cap, &k, "/", 1);
		if (param_is_slot(p + 1, n) && slot < sl.n) {
			put(out, cap, &k, "{", 1);
			put(out, cap, &k, sl.name[slot], strlen(sl.name[slot]));
			put(out, cap, &k, "}", 1);
			slot++;
		} else {
			size_t i;

			for (i = 1; i <= n; i++) {
				if (p[i] == '{')
					put(out, cap, &k, "%7B", 3);
				else if (p[i] == '}')
					put(out, cap, &k, "%7D", 3);
				else
					put(out, cap, &k, p + i, 1);
			}
		}
		p = e;
	}
	if (k >= cap)
		return 0;
	out[k] = '\0';
	return k;
}

/* --- JSON helpers -------------------------------------------------------- */

static void jstr(struct sbuf *b, const char *s, size_t n)
{
	sbuf_put(b, "\"", 1);
	tx_json(b, s, n);
	sbuf_put(b, "\"", 1);
}

static void schema(struct sbuf *b, unsigned types)
{
	const char *fmt, *type = param_type_name(types, &fmt);

	if (types & PARAM_T_NULL && strcmp(type, "null") != 0)
		sbuf_printf(b, "{\"type\":[\"%s\",\"null\"]", type);
	else
		sbuf_printf(b, "{\"type\":\"%s\"", type);
	if (fmt[0])
		sbuf_printf(b, ",\"format\":\"%s\"", fmt);
	sbuf_puts(b, "}");
}

static const char *const methods[] = {
	"get", "put", "post", "delete", "options", "head", "patch", "trace", NULL
};

static const char *oa_method(const char *m)
{
	unsigned i;

	for (i = 0; methods[i]; i++)
		if (strcasecmp(methods[i], m) == 0)
			return methods[i];
	return NULL;
}

static const char *const schemes[ENDPOINT_AUTH__COUNT] = {
	[ENDPOINT_AUTH_BASIC] = "basic",
	[ENDPOINT_AUTH_JWT] = "bearerJWT",
	[ENDPOINT_AUTH_BEARER] = "bearer",
	[ENDPOINT_AUTH_APIKEY] = "apiKeyHeader",
	[ENDPOINT_AUTH_QUERY_KEY] = "apiKeyQuery",
	[ENDPOINT_AUTH_COOKIE] = "sessionCookie",
};

/* --- one operation ------------------------------------------------------- */

static const struct endpoint_param *path_param(const struct endpoint *e,
					       const char *name)
{
	unsigned i;

	for (i = 0; i < e->n_param; i++)
		if (e->param[i].where == PARAM_PATH &&
		    strcmp(e->param[i].name, name) == 0)
			return &e->param[i];
	return NULL;
}

static void parameters(struct sbuf *b, const struct endpoint *e)
{
	struct slots sl = { .n = 0 };
	unsigned i;
	int first = 1;

	param_walk_path(e->tmpl, e->tmpl, on_slot, &sl);
	sbuf_puts(b, ",\"parameters\":[");
	for (i = 0; i < sl.n; i++) {
		const struct endpoint_param *p = path_param(e, sl.name[i]);

		sbuf_puts(b, first ? "{" : ",{");
		first = 0;
		sbuf_puts(b, "\"name\":");
		jstr(b, sl.name[i], strlen(sl.name[i]));
		sbuf_puts(b, ",\"in\":\"path\",\"required\":true,\"schema\":");
		schema(b, p ? p->types : PARAM_T_STRING);
		sbuf_puts(b, "}");
	}
	for (i = 0; i < e->n_param; i++) {
		const struct endpoint_param *p = &e->param[i];

		if (p->where != PARAM_QUERY)
			continue;
		sbuf_puts(b, first ? "{" : ",{");
		first = 0;
		sbuf_puts(b, "\"name\":");
		jstr(b, p->name, strlen(p->name));
		sbuf_printf(b, ",\"in\":\"query\",\"required\":%s,\"schema\":",
			    p->seen == e->calls ? "true" : "false");
		schema(b, p->types);
		sbuf_printf(b, ",\"x-sidewatch-seen\":%" PRIu64 "}", p->seen);
	}
	sbuf_puts(b, "]");
}

/* Top-level JSON body fields ("$.name") and their arrays' items. */
static void body_schema(struct sbuf *b, const struct endpoint *e, int where)
{
	unsigned i, j;
	int first = 1;

	sbuf_puts(b, "{\"type\":\"object\",\"properties\":{");
	for (i = 0; i < e->n_param; i++) {
		const struct endpoint_param *p = &e->param[i];
		const char *name = p->name;

		if (p->where != where)
			continue;
		if (where == PARAM_JSON) {
			if (strncmp(name, "$.", 2) != 0 || strpbrk(name + 2, ".["))
				continue;
			name += 2;
		}
		if (!first)
			sbuf_puts(b, ",");
		first = 0;
		jstr(b, name, strlen(name));
		sbuf_puts(b, ":");
		if (where == PARAM_JSON && (p->types & PARAM_T_ARRAY)) {
			unsigned items = 0;
			size_t nl = strlen(p->name);

			for (j = 0; j < e->n_param; j++)
				if (e->param[j].where == PARAM_JSON &&
				    strncmp(e->param[j].name, p->name, nl) == 0 &&
				    strcmp(e->param[j].name + nl, "[]") == 0)
					items = e->param[j].types;
			sbuf_puts(b, "{\"type\":\"array\"");
			if (items) {
				sbuf_puts(b, ",\"items\":");
				schema(b, items);
			}
			sbuf_puts(b, "}");
		} else {
			schema(b, p->types);
		}
	}
	sbuf_puts(b, "}}");
}

static void request_body(struct sbuf *b, const struct endpoint *e)
{
	unsigned i;
	int json = 0, form = 0;

	for (i = 0; i < e->n_param; i++) {
		json |= e->param[i].where == PARAM_JSON;
		form |= e->param[i].where == PARAM_FORM;
	}
	if (!json && !form)
		return;
	sbuf_puts(b, ",\"requestBody\":{\"content\":{");
	if (json) {
		sbuf_puts(b, "\"application/json\":{\"schema\":");
		body_schema(b, e, PARAM_JSON);
		sbuf_puts(b, "}");
	}
	if (form) {
		sbuf_puts(b, json ? "," : "");
		sbuf_puts(b, "\"application/x-www-form-urlencoded\":{\"schema\":");
		body_schema(b, e, PARAM_FORM);
		sbuf_puts(b, "}");
	}
	sbuf_puts(b, "}}");
}

/* The response types seen, as empty media type objects. */
static void resp_content(struct sbuf *b, const struct endpoint *e)
{
	unsigned i;

	sbuf_puts(b, ",\"content\":{");
	for (i = 0; i < e->n_rctype && i < ENDPOINT_CTYPES; i++) {
		if (i)
			sbuf_puts(b, ",");
		jstr(b, e->rctype[i], strnlen(e->rctype[i], sizeof(e->rctype[i])));
		sbuf_puts(b, ":{}");
	}
	sbuf_puts(b, "}");
}

static void responses(struct sbuf *b, const struct endpoint *e)
{
	unsigned c;
	int first = 1;

	sbuf_puts(b, ",\"responses\":{");
	for (c = 1; c <= 5; c++) {
		if (!e->status[c])
			continue;
		if (!first)
			sbuf_puts(b, ",");
		first = 0;
		sbuf_printf(b, "\"%uXX\":{\"description\":\"seen %" PRIu64 " times\"",
			    c, e->status[c]);
		if (c == 2 && e->n_rctype)
			resp_content(b, e);
		sbuf_puts(b, "}");
	}
	if (first)
		sbuf_puts(b, "\"default\":{\"description\":\"no response seen\"}");
	sbuf_puts(b, "}");
}

static void security(struct sbuf *b, const struct endpoint *e)
{
	unsigned a;
	int first = 1;

	sbuf_puts(b, ",\"security\":[");
	for (a = 1; a < ENDPOINT_AUTH__COUNT; a++) {
		if (!e->auth[a])
			continue;
		sbuf_printf(b, "%s{\"%s\":[]}", first ? "" : ",", schemes[a]);
		first = 0;
	}
	if (e->auth[ENDPOINT_AUTH_NONE])
		sbuf_printf(b, "%s{}", first ? "" : ",");
	sbuf_puts(b, "]");
}

/* Response data classes, where each class sat, and the bulk facts. */
static void data_where(struct sbuf *b, const struct endpoint *e)
{
	static const char *const dirs[] = { "request", "response" };
	unsigned k;
	int first = 1;

	sbuf_puts(b, ",\"x-sidewatch-response-data-classes\":{");
	for (k = 0; k < DATACLASS__COUNT; k++) {
		if (!e->data_resp[k])
			continue;
		sbuf_printf(b, "%s\"%s\":%" PRIu64, first ? "" : ",",
			    dataclass_kind_names[k], e->data_resp[k]);
		first = 0;
	}
	sbuf_puts(b, "},\"x-sidewatch-data-paths\":[");
	for (k = 0; k < e->n_dpath && k < ENDPOINT_DPATHS; k++) {
		const struct endpoint_dpath *d = &e->dpath[k];

		if (d->kind >= DATACLASS__COUNT || d->dir > ENDPOINT_DIR_RESP)
			continue;
		sbuf_printf(b, "%s{\"in\":\"%s\",\"class\":\"%s\",\"path\":",
			    k ? "," : "", dirs[d->dir], dataclass_kind_names[d->kind]);
		jstr(b, d->path, strnlen(d->path, sizeof(d->path)));
		sbuf_printf(b, ",\"count\":%" PRIu64 "}", d->count);
	}
	sbuf_printf(b, "],\"x-sidewatch-bulk\":{\"responses\":%" PRIu64
		    ",\"max-records\":%u,\"class\":\"%s\"}", e->bulk, e->bulk_max,
		    e->bulk_max && e->bulk_kind < DATACLASS__COUNT ?
		    dataclass_kind_names[e->bulk_kind] : "");
}

/* The JWT issuers and audiences seen (their text chosen by whoever made
 * the token: escaped). */
static void jwt_claims(struct sbuf *b, const struct endpoint *e)
{
	unsigned i;

	if (!e->n_iss && !e->n_aud)
		return;
	sbuf_puts(b, ",\"x-sidewatch-jwt\":{\"issuers\":[");
	for (i = 0; i < e->n_iss && i < ENDPOINT_CLAIMS; i++) {
		if (i)
			sbuf_puts(b, ",");
		jstr(b, e->jwt_iss[i], strnlen(e->jwt_iss[i], sizeof(e->jwt_iss[i])));
	}
	sbuf_puts(b, "],\"audiences\":[");
	for (i = 0; i < e->n_aud && i < ENDPOINT_CLAIMS; i++) {
		if (i)
			sbuf_puts(b, ",");
		jstr(b, e->jwt_aud[i], strnlen(e->jwt_aud[i], sizeof(e->jwt_aud[i])));
	}
	sbuf_puts(b, "]}");
}

static void extensions(struct sbuf *b, const struct posture_index *ix,
		       const struct endpoint *e, unsigned merged)
{
	struct posture_finding f[POSTURE__COUNT];
	int n = posture_check_ix(ix, e, f, POSTURE__COUNT), i;
	unsigned k;
	int first = 1;

	sbuf_printf(b, ",\"x-sidewatch-calls\":%" PRIu64
		    ",\"x-sidewatch-first-seen-us\":%" PRIu64
		    ",\"x-sidewatch-last-seen-us\":%" PRIu64
		    ",\"x-sidewatch-latency-us\":{\"p50\":%" PRIu64 ",\"p99\":%" PRIu64 "}"
		    ",\"x-sidewatch-2xx-without-credentials\":%" PRIu64,
		    e->calls, e->first_us, e->last_us,
		    endpoint_quantile(e->latency_us, 0.5),
		    endpoint_quantile(e->latency_us, 0.99), e->ok_no_auth);
	sbuf_puts(b, ",\"x-sidewatch-authority\":");
	jstr(b, e->authority, strlen(e->authority));
	if (merged)
		sbuf_printf(b, ",\"x-sidewatch-merged\":%u", merged);
	sbuf_puts(b, ",\"x-sidewatch-data-classes\":{");
	for (k = 0; k < DATACLASS__COUNT; k++) {
		if (!e->data[k] && !e->data_resp[k])
			continue;
		sbuf_printf(b, "%s\"%s\":%" PRIu64, first ? "" : ",",
			    dataclass_kind_names[k], e->data[k] + e->data_resp[k]);
		first = 0;
	}
	sbuf_puts(b, "}");
	data_where(b, e);
	jwt_claims(b, e);
	sbuf_puts(b, ",\"x-sidewatch-findings\":[");
	for (i = 0; i < n; i++)
		sbuf_printf(b, "%s{\"finding\":\"%s\",\"owasp\":\"%s\",\"count\":%" PRIu64
			    ",\"of\":%" PRIu64 "}", i ? "," : "",
			    posture_names[f[i].kind], posture_owasp[f[i].kind],
			    f[i].count, f[i].of);
	sbuf_puts(b, "]");
}

static void operation(struct sbuf *b, const struct posture_index *ix,
		      const struct endpoint *e, const char *m, unsigned id,
		      unsigned merged)
{
	jstr(b, m, strlen(m));
	sbuf_printf(b, ":{\"operationId\":\"%s_%u\"", m, id);
	parameters(b, e);
	request_body(b, e);
	responses(b, e);
	security(b, e);
	extensions(b, ix, e, merged);
	sbuf_puts(b, "}");
}

/* --- the document -------------------------------------------------------- */

struct item {
	const struct endpoint *e;
	char path[256];
};

struct list {
	struct item *v;
	size_t n, cap;
	const char *authority;
	int oom;
};

static void collect(void *ctx, const struct endpoint *e)
{
	struct list *l = ctx;

	if (l->authority && strcmp(l->authority, e->authority) != 0)
		return;
	if (!oa_method(e->method))
		return;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct item *nv = realloc(l->v, nc * sizeof(*nv));

		if (!nv) {
			l->oom = 1;
			return;
		}
		l->v = nv;
		l->cap = nc;
	}
	if (openapi_path(e->tmpl, l->v[l->n].path, sizeof(l->v[l->n].path)))
		l->v[l->n++].e = e;
}

/* by path key, method, then most called first */
static int by_path(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	c = strcmp(oa_method(x->e->method), oa_method(y->e->method));
	if (c)
		return c;
	return x->e->calls > y->e->calls ? -1 : x->e->calls < y->e->calls;
}

static void components(struct sbuf *b)
{
	sbuf_puts(b, ",\"components\":{\"securitySchemes\":{"
		  "\"basic\":{\"type\":\"http\",\"scheme\":\"basic\"},"
		  "\"bearerJWT\":{\"type\":\"http\",\"scheme\":\"bearer\",\"bearerFormat\":\"JWT\"},"
		  "\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"},"
		  "\"apiKeyHeader\":{\"type\":\"apiKey\",\"in\":\"header\",\"name\":\"x-api-key\"},"
		  "\"apiKeyQuery\":{\"type\":\"apiKey\",\"in\":\"query\",\"name\":\"api_key\"},"
		  "\"sessionCookie\":{\"type\":\"apiKey\",\"in\":\"cookie\",\"name\":\"session\"}}}");
}

/* The document for the items of l (sorted here); ix for the findings that
 * compare endpoints, or NULL. */
static int write_list(const struct posture_index *ix, struct list *l,
		      const char *authority, const char *title, struct sbuf *b)
{
	size_t i, j;
	unsigned id = 0;

	if (l->oom)
		return -ENOMEM;
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), by_path);
	sbuf_puts(b, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":");
	jstr(b, title, strlen(title));
	sbuf_puts(b, ",\"version\":\"learned\"}");
	if (authority) {
		sbuf_puts(b, ",\"servers\":[{\"url\":\"//");
		tx_json(b, authority, strlen(authority));
		sbuf_puts(b, "\"}]");
	}
	sbuf_puts(b, ",\"paths\":{");
	for (i = 0; i < l->n; i = j) {
		const struct item *it = &l->v[i];
		unsigned merged = 0;

		if (i)
			sbuf_puts(b, strcmp(l->v[i - 1].path, it->path) ? "}," : ",");
		if (!i || strcmp(l->v[i - 1].path, it->path)) {
			jstr(b, it->path, strlen(it->path));
			sbuf_puts(b, ":{");
		}
		/* one operation per method: the most called of the same
		 * path and method (other authorities, case variants)
		 * stands for them */
		for (j = i + 1; j < l->n && strcmp(l->v[j].path, it->path) == 0 &&
				strcmp(oa_method(l->v[j].e->method),
				       oa_method(it->e->method)) == 0; j++)
			merged++;
		operation(b, ix, it->e, oa_method(it->e->method), ++id, merged);
	}
	if (l->n)
		sbuf_puts(b, "}");
	sbuf_puts(b, "}");
	components(b);
	sbuf_puts(b, "}");
	return b->oom ? -ENOMEM : 0;
}

int openapi_write(const struct endpoint_table *t, const char *authority,
		  const char *title, struct sbuf *b)
{
	struct list l = { .authority = authority };
	struct posture_index *ix;
	int rc;

	endpoint_foreach(t, collect, &l);
	ix = posture_index_build(t); /* once per document, not per endpoint */
	rc = write_list(ix, &l, authority, title, b);
	posture_index_free(ix);
	free(l.v);
	return rc;
}

int openapi_write_array(const struct endpoint *v, size_t n,
			const char *authority, const char *title,
			struct sbuf *b)
{
	struct list l = { .authority = authority };
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		collect(&l, &v[i]);
	rc = write_list(NULL, &l, authority, title, b);
	free(l.v);
	return rc;
}
