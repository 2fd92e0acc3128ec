/* swctl_apis.c - swctl apis, api show, apis export; see swctl_apis.h. */
#include "tools/swctl_apis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "collector/inventory/endpoint.h"
#include "collector/inventory/openapi.h"
#include "collector/inventory/param.h"
#include "common/textesc.h"
#include "tools/swctl_int.h"

#define EXPORT_MAX 100000 /* endpoints one export reads */

static PGresult *run(PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "swctl: %s", PQresultErrorMessage(r));
		PQclear(r);
		return NULL;
	}
	return r;
}

/* --- swctl apis ------------------------------------------------------------ */

#define APIS_WHERE                                                          \
	" FROM api_inventory WHERE ($1::text IS NULL OR $1 = ANY (hosts)) "  \
	"AND ($2::text IS NULL OR authority = $2) "                          \
	"AND ($3::text IS NULL OR $3 = ANY (data_classes)) "                 \
	"ORDER BY risk = 'high' DESC, risk = 'medium' DESC, calls DESC, id"
#define PER_MIN                                                             \
	"round(calls / greatest(1, extract(epoch FROM last_seen - first_seen) / 60)::numeric, 1)"

int swctl_apis_list(const struct swctl_args *a)
{
	static const char q_table[] =
		"SELECT id, method || ' ' || authority || template AS endpoint, protocol, "
		"array_to_string(hosts, ',') AS hosts, " PER_MIN " AS calls_per_min, "
		"array_to_string(auth_kinds, ',') AS auth, "
		"array_to_string(data_classes, ',') AS data_classes, risk, "
		"date_trunc('second', first_seen) AS first_seen" APIS_WHERE;
	static const char q_json[] =
		"SELECT id, method, authority, template, protocol, to_jsonb(hosts) AS hosts, "
		"calls, to_jsonb(" PER_MIN ") AS calls_per_min, to_jsonb(auth_kinds) AS auth, "
		"to_jsonb(ok_no_auth_share) AS ok_no_auth_share, "
		"to_jsonb(data_classes) AS data_classes, risk, p50_us, p99_us, "
		"first_seen, last_seen" APIS_WHERE;
	const char *p[3] = { a->host, a->authority, a->data_class };
	PGconn *c = swctl_pg_open(0);
	PGresult *r;

	if (!c)
		return SW_FAIL;
	r = run(c, a->json ? q_json : q_table, 3, p);
	if (r) {
		if (a->json)
			swctl_print_json(r);
		else
			swctl_print_table(r);
		PQclear(r);
	}
	PQfinish(c);
	return r ? SW_OK : SW_FAIL;
}

/* --- swctl api show ID ----------------------------------------------------- */

/* A LIKE pattern for the paths a template stands for: LIKE's own
 * characters escaped, each {slot} segment any text. */
static void like_of(const char *tmpl, struct sbuf *out)
{
	const char *p = tmpl;

	sbuf_reset(out);
	sbuf_put(out, "", 0);
	while (*p) {
		if (*p == '{') {
			const char *e = strchr(p, '}');

			if (e && param_is_slot(p, (size_t)(e - p + 1))) {
				sbuf_put(out, "%", 1);
				p = e + 1;
				continue;
			}
		}
		if (*p == '%' || *p == '_' || *p == '\\')
			sbuf_put(out, "\\", 1);
		sbuf_put(out, p, 1);
		p++;
	}
}

static void show_params(PGresult *r, int json)
{
	int i;

	if (!json)
		printf("\nparameters\n%-6s  %-32s  %-16s  %-8s  %-9s  %s\n", "where",
		       "name", "type", "seen", "length", "shapes");
	for (i = 0; i < PQntuples(r); i++) {
		const char *fmt, *type;
		unsigned bits = (unsigned)strtoul(PQgetvalue(r, i, 2), NULL, 10);
		const char *v[6];
		int k;

		type = param_type_name(bits, &fmt);
		for (k = 0; k < 6; k++)
			v[k] = PQgetvalue(r, i, k);
		if (json) {
			struct sbuf b = {0};

			sbuf_puts(&b, "{\"record\":\"param\",\"location\":\"");
			tx_json(&b, v[0], strlen(v[0]));
			sbuf_puts(&b, "\",\"name\":\"");
			tx_json(&b, v[1], strlen(v[1]));
			sbuf_printf(&b, "\",\"type\":\"%s\",\"format\":\"%s\",\"seen\":%s,"
				    "\"min_len\":%s,\"max_len\":%s,\"shapes\":%s}\n",
				    type, fmt, v[3], v[4], v[5], PQgetvalue(r, i, 6));
			if (!b.oom)
				fwrite(b.p, 1, b.len, stdout);
			sbuf_free(&b);
		} else {
			char name[64], shapes[64], t[32];

			swctl_cell(v[1], name, sizeof(name));
			swctl_cell(PQgetvalue(r, i, 7), shapes, sizeof(shapes));
			snprintf(t, sizeof(t), "%s%s%s", type, fmt[0] ? ":" : "", fmt);
			printf("%-6s  %-32s  %-16s  %-8s  %s..%-5s  %s\n", v[0], name, t,
			       v[3], v[4], v[5], shapes);
		}
	}
}

static int show_part(PGconn *c, const char *title, const char *sql, int n,
		     const char *const *p, int json)
{
	PGresult *r = run(c, sql, n, p);

	if (!r)
		return -1;
	if (json) {
		swctl_print_json(r);
	} else {
		printf("\n%s\n", title);
		swctl_print_table(r);
	}
	PQclear(r);
	return 0;
}

int swctl_apis_show(const struct swctl_args *a)
{
	static const char q_ep[] =
		"SELECT 'endpoint' AS record, id, method, authority, template, protocol, "
		"first_seen, last_seen, calls, to_jsonb(status) AS status_none_1xx_5xx, "
		"p50_us, p99_us, to_jsonb(auth_kinds) AS auth, ok AS ok_2xx, "
		"ok_no_auth AS ok_2xx_without_credentials, to_jsonb(ok_no_auth_share) AS "
		"share_2xx_without_credentials, jwt_none_ok, jwt_no_exp_ok, tls_calls, "
		"to_jsonb(content_types) AS content_types, to_jsonb(jwt_issuers) AS "
		"jwt_issuers, to_jsonb(jwt_audiences) AS jwt_audiences, "
		"to_jsonb(resp_types) AS response_types, resp_scans AS responses_read, "
		"resp_coded AS responses_coded, unauth_data AS "
		"sensitive_2xx_no_credentials, bulk AS bulk_responses, "
		"bulk_max AS most_records_in_a_response, bulk_class, risk "
		"FROM api_inventory WHERE id = $1::bigint";
	static const char q_hosts[] =
		"SELECT 'host' AS record, host, first_seen, last_seen, calls "
		"FROM api_endpoint_hosts WHERE endpoint_id = $1::bigint ORDER BY host";
	static const char q_params[] =
		"SELECT location, name, types, seen, min_len, max_len, to_jsonb(shapes), "
		"array_to_string(shapes, ' ') FROM api_params "
		"WHERE endpoint_id = $1::bigint ORDER BY seen DESC, location, name";
	static const char q_auth[] =
		"SELECT 'auth' AS record, kind, count, to_jsonb(jwt_algs) AS jwt_algs, "
		"jwt_exp, jwt_no_exp FROM api_auth WHERE endpoint_id = $1::bigint ORDER BY kind";
	static const char q_data[] =
		"SELECT 'data' AS record, direction, class, path, count FROM api_data_classes "
		"WHERE endpoint_id = $1::bigint ORDER BY direction, class, path = '*' DESC, path";
	static const char q_verdicts[] =
		"SELECT 'verdict' AS record, ts, host, host(src_ip) AS src, path, status, "
		"rule, severity, action FROM events WHERE kind = 'verdict' "
		"AND ts > now() - interval '7 days' AND authority = $1 AND method = $2 "
		"AND path LIKE $3 ORDER BY ts DESC LIMIT 20";
	const char *p[3] = { a->arg };
	struct sbuf like = {0};
	PGconn *c = swctl_pg_open(0);
	PGresult *r;
	int rc = SW_FAIL, j;

	if (!c)
		return SW_FAIL;
	r = run(c, q_ep, 1, p);
	if (!r)
		goto out;
	if (PQntuples(r) == 0) {
		fprintf(stderr, "swctl: no endpoint %s (swctl apis lists them)\n", a->arg);
		PQclear(r);
		goto out;
	}
	if (a->json) {
		swctl_print_json(r);
	} else {
		for (j = 1; j < PQnfields(r); j++) {
			char v[64];

			swctl_cell(PQgetisnull(r, 0, j) ? "-" : PQgetvalue(r, 0, j), v, sizeof(v));
			printf("%-30s %s\n", PQfname(r, j), v);
		}
	}
	like_of(PQgetvalue(r, 0, 4), &like);
	{
		/* the verdicts' keys, copied before r goes */
		static char auth[256], meth[64];

		snprintf(auth, sizeof(auth), "%s", PQgetvalue(r, 0, 3));
		snprintf(meth, sizeof(meth), "%s", PQgetvalue(r, 0, 2));
		PQclear(r);
		if (show_part(c, "hosts", q_hosts, 1, p, a->json) < 0)
			goto out;
		r = run(c, q_params, 1, p);
		if (!r)
			goto out;
		show_params(r, a->json);
		PQclear(r);
		if (show_part(c, "credentials", q_auth, 1, p, a->json) < 0 ||
		    show_part(c, "data classes", q_data, 1, p, a->json) < 0)
			goto out;
		p[0] = auth;
		p[1] = meth;
		p[2] = like.oom ? "" : like.p;
		if (show_part(c, "recent verdicts", q_verdicts, 3, p, a->json) < 0)
			goto out;
	}
	rc = SW_OK;
out:
	sbuf_free(&like);
	PQfinish(c);
	return rc;
}

/* --- swctl apis export --openapi ------------------------------------------ */

static uint64_t u64(PGresult *r, int i, int j)
{
	return PQgetisnull(r, i, j) ? 0 : strtoull(PQgetvalue(r, i, j), NULL, 10);
}

/* "{1,2,3}" into n counters (32-bit ones clamped) */
static void nums(const char *s, uint64_t *v64, uint32_t *v32, size_t n)
{
	size_t k = 0;

	if (*s == '{')
		s++;
	while (*s && *s != '}' && k < n) {
		char *end;
		unsigned long long x = strtoull(s, &end, 10);

		if (end == s)
			break;
		if (v64)
			v64[k] = x;
		else
			v32[k] = x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
		k++;
		s = *end == ',' ? end + 1 : end;
	}
}

static int name_index(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static void copy(char *dst, size_t cap, PGresult *r, int i, int j)
{
	snprintf(dst, cap, "%s", PQgetisnull(r, i, j) ? "" : PQgetvalue(r, i, j));
}

static void fill_endpoint(struct endpoint *e, PGresult *r, int i)
{
	static const char *const protos[] = { "http1", "http2", "grpc", "websocket" };
	int k, p;

	memset(e, 0, sizeof(*e));
	e->key = u64(r, i, 0);
	copy(e->authority, sizeof(e->authority), r, i, 1);
	copy(e->method, sizeof(e->method), r, i, 2);
	copy(e->tmpl, sizeof(e->tmpl), r, i, 3);
	p = name_index(protos, 4, PQgetvalue(r, i, 4));
	e->proto = (uint8_t)(p < 0 ? 0 : p);
	e->first_us = u64(r, i, 5);
	e->last_us = u64(r, i, 6);
	e->calls = u64(r, i, 7);
	nums(PQgetvalue(r, i, 8), e->status, NULL, 6);
	nums(PQgetvalue(r, i, 9), NULL, e->latency_us, ENDPOINT_HIST);
	nums(PQgetvalue(r, i, 10), NULL, e->req_bytes, ENDPOINT_HIST);
	nums(PQgetvalue(r, i, 11), NULL, e->resp_bytes, ENDPOINT_HIST);
	e->ok = u64(r, i, 12);
	e->ok_no_auth = u64(r, i, 13);
	e->jwt_none_ok = u64(r, i, 14);
	e->jwt_no_exp_ok = u64(r, i, 15);
	e->tls_calls = u64(r, i, 16);
	for (k = 0; k < ENDPOINT_CTYPES; k++)
		if (!PQgetisnull(r, i, 17 + k))
			copy(e->ctype[e->n_ctype++], sizeof(e->ctype[0]), r, i, 17 + k);
	e->unauth_data = u64(r, i, 20);
	e->bulk = u64(r, i, 21);
	e->bulk_max = (uint32_t)u64(r, i, 22);
	k = dataclass_kind_from_name(PQgetvalue(r, i, 23));
	e->bulk_kind = (uint8_t)(k < 0 ? 0 : k);
	e->resp_scans = u64(r, i, 24);
	for (k = 0; k < ENDPOINT_CTYPES; k++)
		if (!PQgetisnull(r, i, 25 + k))
			copy(e->rctype[e->n_rctype++], sizeof(e->rctype[0]), r, i, 25 + k);
	for (k = 0; k < ENDPOINT_CLAIMS; k++) {
		if (!PQgetisnull(r, i, 28 + k))
			copy(e->jwt_iss[e->n_iss++], sizeof(e->jwt_iss[0]), r, i, 28 + k);
		if (!PQgetisnull(r, i, 31 + k))
			copy(e->jwt_aud[e->n_aud++], sizeof(e->jwt_aud[0]), r, i, 31 + k);
	}
}

/* by id: the endpoints are read in id order */
static struct endpoint *find(struct endpoint *v, size_t n, uint64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid].key == id)
			return &v[mid];
		if (v[mid].key < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void add_auth(struct endpoint *v, size_t n, PGresult *r)
{
	int i, k;

	for (i = 0; i < PQntuples(r); i++) {
		struct endpoint *e = find(v, n, u64(r, i, 0));
		int a = name_index(endpoint_auth_names, ENDPOINT_AUTH__COUNT,
				   PQgetvalue(r, i, 1));

		if (!e || a < 0)
			continue;
		e->auth[a] = u64(r, i, 2);
		for (k = 0; k < ENDPOINT_ALGS; k++)
			if (!PQgetisnull(r, i, 3 + k))
				copy(e->jwt_alg[e->n_alg++], sizeof(e->jwt_alg[0]), r, i, 3 + k);
		e->jwt_exp += u64(r, i, 6);
		e->jwt_no_exp += u64(r, i, 7);
	}
}

static void add_data(struct endpoint *v, size_t n, PGresult *r)
{
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		struct endpoint *e = find(v, n, u64(r, i, 0));
		int d = dataclass_kind_from_name(PQgetvalue(r, i, 1));
		int resp = strcmp(PQgetvalue(r, i, 3), "response") == 0;
		const char *path = PQgetvalue(r, i, 4);
		struct endpoint_dpath *dp;

		if (!e || d < 0)
			continue;
		if (strcmp(path, "*") == 0) { /* a total */
			if (resp)
				e->data_resp[d] += u64(r, i, 2);
			else
				e->data[d] += u64(r, i, 2);
			continue;
		}
		if (e->n_dpath == ENDPOINT_DPATHS) {
			e->dpaths_dropped += u64(r, i, 2);
			continue;
		}
		dp = &e->dpath[e->n_dpath++];
		snprintf(dp->path, sizeof(dp->path), "%s", path);
		dp->kind = (uint8_t)d;
		dp->dir = resp ? ENDPOINT_DIR_RESP : ENDPOINT_DIR_REQ;
		dp->count = u64(r, i, 2);
	}
}

/* most seen first: the first ENDPOINT_MAX_PARAMS of each endpoint */
static void add_params(struct endpoint *v, size_t n, PGresult *r)
{
	int i, k;

	for (i = 0; i < PQntuples(r); i++) {
		struct endpoint *e = find(v, n, u64(r, i, 0));
		struct endpoint_param *p;
		int w = name_index(param_where_names, PARAM__WHERE_COUNT,
				   PQgetvalue(r, i, 1));

		if (!e || w < 0)
			continue;
		if (e->n_param == ENDPOINT_MAX_PARAMS) {
			e->params_dropped += u64(r, i, 4);
			continue;
		}
		p = &e->param[e->n_param++];
		p->where = (uint8_t)w;
		copy(p->name, sizeof(p->name), r, i, 2);
		p->types = (uint32_t)u64(r, i, 3);
		p->seen = u64(r, i, 4);
		p->min_len = (uint32_t)u64(r, i, 5);
		p->max_len = (uint32_t)u64(r, i, 6);
		for (k = 0; k < ENDPOINT_SHAPES; k++)
			copy(p->shapes[k], sizeof(p->shapes[0]), r, i, 7 + k);
	}
}

int swctl_apis_export(const struct swctl_args *a)
{
	static const char q_ep[] =
		"SELECT id, authority, method, template, protocol, "
		"(extract(epoch FROM first_seen) * 1000000)::bigint, "
		"(extract(epoch FROM last_seen) * 1000000)::bigint, calls, status, "
		"latency_hist, req_bytes_hist, resp_bytes_hist, ok, ok_no_auth, "
		"jwt_none_ok, jwt_no_exp_ok, tls_calls, content_types[1], "
		"content_types[2], content_types[3], unauth_data, bulk, bulk_max, "
		"bulk_class, resp_scans, resp_types[1], resp_types[2], resp_types[3], "
		"jwt_issuers[1], jwt_issuers[2], jwt_issuers[3], jwt_audiences[1], "
		"jwt_audiences[2], jwt_audiences[3] "
		"FROM api_endpoints "
		"WHERE ($1::text IS NULL OR authority = $1) ORDER BY id LIMIT 100001";
	static const char q_auth[] =
		"SELECT endpoint_id, kind, count, jwt_algs[1], jwt_algs[2], jwt_algs[3], "
		"jwt_exp, jwt_no_exp FROM api_auth";
	static const char q_data[] =
		"SELECT endpoint_id, class, count, direction, path FROM api_data_classes "
		"ORDER BY endpoint_id, path = '*' DESC, count DESC, direction, class, path";
	static const char q_params[] =
		"SELECT endpoint_id, location, name, types, seen, min_len, max_len, "
		"shapes[1], shapes[2], shapes[3] FROM api_params "
		"ORDER BY endpoint_id, seen DESC, location, name";
	const char *p[1] = { a->authority };
	struct endpoint *v = NULL;
	struct sbuf out = {0};
	PGconn *c = swctl_pg_open(0);
	PGresult *r;
	size_t n = 0, i;
	int rc = SW_FAIL;

	_Static_assert(EXPORT_MAX == 100000, "the LIMIT above, less one");
	if (!c)
		return SW_FAIL;
	r = run(c, q_ep, 1, p);
	if (!r)
		goto out;
	n = (size_t)PQntuples(r);
	if (n > EXPORT_MAX) {
		/* one more row than kept says there are more: never cut silently */
		n = EXPORT_MAX;
		fprintf(stderr, "swctl: the export holds the first %d endpoints (by id) "
			"of more; narrow it with --authority\n", EXPORT_MAX);
	}
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		PQclear(r);
		fprintf(stderr, "swctl: out of memory\n");
		goto out;
	}
	for (i = 0; i < n; i++)
		fill_endpoint(&v[i], r, (int)i);
	PQclear(r);
	if (!(r = run(c, q_auth, 0, NULL)))
		goto out;
	add_auth(v, n, r);
	PQclear(r);
	if (!(r = run(c, q_data, 0, NULL)))
		goto out;
	add_data(v, n, r);
	PQclear(r);
	if (!(r = run(c, q_params, 0, NULL)))
		goto out;
	add_params(v, n, r);
	PQclear(r);
	if (openapi_write_array(v, n, a->authority, "sidewatch fleet inventory",
				&out) < 0) {
		fprintf(stderr, "swctl: out of memory\n");
		goto out;
	}
	fwrite(out.p, 1, out.len, stdout);
	putchar('\n');
	rc = SW_OK;
out:
	sbuf_free(&out);
	free(v);
	PQfinish(c);
	return rc;
}
