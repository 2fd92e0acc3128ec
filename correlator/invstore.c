/* invstore.c - EndpointSummary -> sw_api_merge(); see invstore.h. */
#include "correlator/invstore.h"
#include "correlator/invcheck.h"
#include "common/clock.h"

#include <errno.h>
#include <stdatomic.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const protos[] = { "http1", "http2", "grpc", "websocket" };

static int64_t clamp(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* --- array literals ------------------------------------------------------ */

static void a_open(struct sbuf *a)
{
	sbuf_reset(a);
	sbuf_put(a, "{", 1);
}

static void a_sep(struct sbuf *a)
{
	if (a->len > 1)
		sbuf_put(a, ",", 1);
}

static void a_num(struct sbuf *a, int64_t v)
{
	a_sep(a);
	sbuf_printf(a, "%" PRId64, v);
}

static void a_str(struct sbuf *a, const void *s, size_t n)
{
	a_sep(a);
	tx_pgarr(a, s, n);
}

static void a_u64s(struct sbuf *a, const uint64_t *v, size_t n)
{
	size_t i;

	a_open(a);
	for (i = 0; i < n; i++)
		a_num(a, clamp(v[i]));
	sbuf_put(a, "}", 1);
}

static void a_u32s(struct sbuf *a, const uint32_t *v, size_t n)
{
	size_t i;

	a_open(a);
	for (i = 0; i < n; i++)
		a_num(a, v[i]);
	sbuf_put(a, "}", 1);
}

static void a_named(struct sbuf *names, struct sbuf *counts,
		    const sidewatch_NamedCount *v, size_t n)
{
	size_t i;

	a_open(names);
	a_open(counts);
	for (i = 0; i < n; i++) {
		a_str(names, v[i].name, strnlen(v[i].name, sizeof(v[i].name)));
		a_num(counts, clamp(v[i].count));
	}
	sbuf_put(names, "}", 1);
	sbuf_put(counts, "}", 1);
}

static void text(struct sbuf *b, const void *s, size_t n)
{
	sbuf_reset(b);
	sbuf_put(b, "", 0);
	tx_clean(b, s, n);
}

static void num(struct sbuf *b, int64_t v)
{
	sbuf_reset(b);
	sbuf_printf(b, "%" PRId64, v);
}

static void ts(struct sbuf *b, uint64_t us)
{
	/* seconds with six decimals, read as numeric: exact to the µs */
	sbuf_reset(b);
	sbuf_printf(b, "%" PRIu64 ".%06" PRIu64, us / 1000000, us % 1000000);
}

static const char SQL_MERGE[] =
	"SELECT sw_api_merge_q($1, $2, $3, $4, $5, $6, to_timestamp($7::numeric), "
	"to_timestamp($8::numeric), $9, $10, $11, $12, $13, $14, $15, $16, $17, "
	"$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, "
	"$32, $33, $34, $35, $36, $37)";
#define MERGE_NPARAMS 37
_Static_assert(MERGE_NPARAMS <= INVSTORE_NBUF, "buffers");

/* The parameters' arrays: 28 .. 37. */
static void params(struct sbuf *t, const sidewatch_EndpointSummary *e)
{
	size_t i, k;

	for (i = 27; i < 37; i++)
		a_open(&t[i]);
	for (i = 0; i < e->params_count; i++) {
		const sidewatch_EndpointParam *p = &e->params[i];

		a_str(&t[27], p->where, strnlen(p->where, sizeof(p->where)));
		a_str(&t[28], p->name.bytes, p->name.size);
		a_num(&t[29], (int32_t)(p->types & 0x7fffffff));
		a_num(&t[30], clamp(p->seen));
		a_num(&t[31], p->min_len > INT32_MAX ? INT32_MAX : p->min_len);
		a_num(&t[32], p->max_len > INT32_MAX ? INT32_MAX : p->max_len);
		a_num(&t[33], p->n_enum > INT32_MAX ? INT32_MAX : p->n_enum);
		a_sep(&t[34]);
		sbuf_puts(&t[34], p->enum_over ? "t" : "f");
		for (k = 0; k < p->shapes_count; k++) {
			a_num(&t[35], (int64_t)i + 1);
			a_str(&t[36], p->shapes[k].bytes, p->shapes[k].size);
		}
	}
	for (i = 27; i < 37; i++)
		sbuf_put(&t[i], "}", 1);
}

static void fill(struct sbuf *t, const char *host,
		 const sidewatch_EndpointSummary *e)
{
	size_t i;

	text(&t[0], host, strlen(host));
	num(&t[1], clamp(e->gen_us));
	text(&t[2], e->authority.bytes, e->authority.size);
	text(&t[3], e->method.bytes, e->method.size);
	text(&t[4], e->tmpl.bytes, e->tmpl.size);
	text(&t[5], protos[e->proto], strlen(protos[e->proto]));
	ts(&t[6], e->first_us);
	ts(&t[7], e->last_us);
	num(&t[8], clamp(e->calls));
	a_u64s(&t[9], e->status, e->status_count);
	a_u32s(&t[10], e->latency_us, e->latency_us_count);
	a_u32s(&t[11], e->req_bytes, e->req_bytes_count);
	a_u32s(&t[12], e->resp_bytes, e->resp_bytes_count);
	a_named(&t[13], &t[14], e->auth, e->auth_count);
	num(&t[15], clamp(e->ok));
	num(&t[16], clamp(e->ok_no_auth < e->ok ? e->ok_no_auth : e->ok));
	a_open(&t[17]);
	for (i = 0; i < e->jwt_alg_count; i++)
		a_str(&t[17], e->jwt_alg[i].bytes, e->jwt_alg[i].size);
	sbuf_put(&t[17], "}", 1);
	num(&t[18], clamp(e->jwt_exp));
	num(&t[19], clamp(e->jwt_no_exp));
	num(&t[20], clamp(e->jwt_none_ok));
	num(&t[21], clamp(e->jwt_no_exp_ok));
	num(&t[22], clamp(e->tls_calls));
	a_open(&t[23]);
	for (i = 0; i < e->ctype_count; i++)
		a_str(&t[23], e->ctype[i].bytes, e->ctype[i].size);
	sbuf_put(&t[23], "}", 1);
	a_named(&t[24], &t[25], e->data, e->data_count);
	num(&t[26], clamp(e->params_dropped));
	params(t, e);
}

/* sw_api_merge_data (sql/008_inventory_data.sql): what the endpoint
 * returns, after sw_api_merge_q took the summary. $1 is its id. */
static const char SQL_DATA[] =
	"SELECT sw_api_merge_data($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	"$12, $13, $14, $15, $16, $17, $18, $19, $20)";
#define DATA_NPARAMS 20
_Static_assert(DATA_NPARAMS <= INVSTORE_NBUF, "buffers");

static void fill_data(struct sbuf *t, const char *eid, const char *host,
		      const sidewatch_EndpointSummary *e)
{
	size_t i;

	text(&t[0], eid, strlen(eid));
	text(&t[1], host, strlen(host));
	num(&t[2], clamp(e->gen_us));
	num(&t[3], clamp(e->calls));
	a_named(&t[4], &t[5], e->resp_data, e->resp_data_count);
	for (i = 6; i < 10; i++)
		a_open(&t[i]);
	for (i = 0; i < e->data_paths_count; i++) {
		const sidewatch_DataPath *d = &e->data_paths[i];

		a_str(&t[6], d->dir, strnlen(d->dir, sizeof(d->dir)));
		a_str(&t[7], d->class, strnlen(d->class, sizeof(d->class)));
		a_str(&t[8], d->path.bytes, d->path.size);
		a_num(&t[9], clamp(d->count));
	}
	for (i = 6; i < 10; i++)
		sbuf_put(&t[i], "}", 1);
	num(&t[10], clamp(e->data_paths_dropped));
	a_open(&t[11]);
	for (i = 0; i < e->resp_ctype_count; i++)
		a_str(&t[11], e->resp_ctype[i].bytes, e->resp_ctype[i].size);
	sbuf_put(&t[11], "}", 1);
	num(&t[12], clamp(e->resp_scans));
	num(&t[13], clamp(e->resp_coded));
	num(&t[14], clamp(e->unauth_data));
	num(&t[15], clamp(e->bulk));
	num(&t[16], e->bulk_max > INT32_MAX ? INT32_MAX : e->bulk_max);
	text(&t[17], e->bulk_class, strnlen(e->bulk_class, sizeof(e->bulk_class)));
	a_open(&t[18]);
	for (i = 0; i < e->jwt_iss_count; i++)
		a_str(&t[18], e->jwt_iss[i].bytes, e->jwt_iss[i].size);
	sbuf_put(&t[18], "}", 1);
	a_open(&t[19]);
	for (i = 0; i < e->jwt_aud_count; i++)
		a_str(&t[19], e->jwt_aud[i].bytes, e->jwt_aud[i].size);
	sbuf_put(&t[19], "}", 1);
}

static PGresult *exec_all(PGconn *c, const char *sql, struct sbuf *tmp,
			  int n, int *rc)
{
	const char *p[INVSTORE_NBUF];
	PGresult *r;
	int k, oom = 0;

	for (k = 0; k < n; k++) {
		oom |= tmp[k].oom;
		p[k] = tmp[k].p;
	}
	if (oom) {
		*rc = -ENOMEM;
		return NULL;
	}
	r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		*rc = -EIO;
		return r;
	}
	return r;
}

/* Retention (sql/005_inventory_quota.sql): once a minute, in the turn of
 * whichever writer merges then, at most RETAIN_BATCH endpoints go. */
#define RETAIN_EVERY_NS (60ull * 1000000000ull)
#define RETAIN_BATCH "1000"
static _Atomic uint64_t retain_next;

static PGresult *retain(PGconn *c, int *rc)
{
	uint64_t now = clock_mono_ns(), due = atomic_load(&retain_next);
	const char *p[1] = { RETAIN_BATCH };
	PGresult *r;

	if (now < due ||
	    !atomic_compare_exchange_strong(&retain_next, &due, now + RETAIN_EVERY_NS))
		return NULL;
	r = PQexecParams(c, "SELECT sw_api_retain($1)", 1, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		*rc = -EIO;
		return r;
	}
	PQclear(r);
	return NULL;
}

PGresult *invstore_merge(PGconn *c, const char *host,
			 const sidewatch_EndpointSummary *v, size_t n,
			 struct sbuf *tmp, int *rc, uint32_t *refused)
{
	size_t i;

	*rc = 0;
	*refused = 0;
	for (i = 0; i < n; i++) {
		PGresult *r;
		char eid[24];

		fill(tmp, host, &v[i]);
		r = exec_all(c, SQL_MERGE, tmp, MERGE_NPARAMS, rc);
		if (*rc)
			return r;
		/* NULL: refused by a quota (counted there) */
		eid[0] = '\0';
		if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
			snprintf(eid, sizeof(eid), "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		if (!eid[0]) {
			(*refused)++;
			continue;
		}
		fill_data(tmp, eid, host, &v[i]);
		r = exec_all(c, SQL_DATA, tmp, DATA_NPARAMS, rc);
		if (*rc)
			return r;
		PQclear(r);
	}
	return n ? retain(c, rc) : NULL;
}
