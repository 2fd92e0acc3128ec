/* invconv.c - endpoint -> EndpointSummary; see invconv.h. */
#include "collector/uplink/invconv.h"

#include <errno.h>
#include <string.h>

#include "common/pbfield.h"

#define CAP(type, field) (sizeof(((type *)0)->field))
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
/* the wire carries every byte a table entry can hold */
_Static_assert(CAP(sidewatch_EndpointSummary, authority.bytes) == CAP(struct endpoint, authority) - 1, "authority bound");
_Static_assert(CAP(sidewatch_EndpointSummary, method.bytes) == CAP(struct endpoint, method) - 1, "method bound");
_Static_assert(CAP(sidewatch_EndpointSummary, tmpl.bytes) == CAP(struct endpoint, tmpl) - 1, "tmpl bound");
_Static_assert(CAP(sidewatch_EndpointParam, name.bytes) == PARAM_MAX_NAME - 1, "param name bound");
_Static_assert(CAP(sidewatch_EndpointParam, shapes[0].bytes) == ENDPOINT_SHAPE_LEN - 1, "shape bound");
_Static_assert(NELEM(((sidewatch_EndpointParam *)0)->shapes) == ENDPOINT_SHAPES, "shapes");
_Static_assert(CAP(sidewatch_EndpointSummary, jwt_alg[0].bytes) == CAP(struct endpoint, jwt_alg[0]) - 1, "alg bound");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->jwt_alg) == ENDPOINT_ALGS, "algs");
_Static_assert(CAP(sidewatch_EndpointSummary, ctype[0].bytes) == CAP(struct endpoint, ctype[0]) - 1, "ctype bound");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->ctype) == ENDPOINT_CTYPES, "ctypes");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->status) == 6, "status classes");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->latency_us) == ENDPOINT_HIST, "histogram");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->params) >= ENDPOINT_MAX_PARAMS, "params");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->auth) >= ENDPOINT_AUTH__COUNT, "auth kinds");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->data) >= DATACLASS__COUNT, "data classes");
_Static_assert(PARAM__WHERE_COUNT <= 4, "where names fit char[8]");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->resp_data) >= DATACLASS__COUNT, "data classes");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->data_paths) >= ENDPOINT_DPATHS, "data paths");
_Static_assert(CAP(sidewatch_DataPath, path.bytes) == ENDPOINT_DPATH_LEN - 1, "data path bound");
_Static_assert(CAP(sidewatch_EndpointSummary, resp_ctype[0].bytes) == CAP(struct endpoint, rctype[0]) - 1, "resp ctype bound");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->resp_ctype) == ENDPOINT_CTYPES, "resp ctypes");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->jwt_iss) == ENDPOINT_CLAIMS, "issuers");
_Static_assert(CAP(sidewatch_EndpointSummary, jwt_iss[0].bytes) == ENDPOINT_CLAIM_LEN - 1, "issuer bound");
_Static_assert(NELEM(((sidewatch_EndpointSummary *)0)->jwt_aud) == ENDPOINT_CLAIMS, "audiences");
_Static_assert(CAP(sidewatch_EndpointSummary, jwt_aud[0].bytes) == ENDPOINT_CLAIM_LEN - 1, "audience bound");

static uint64_t clamp(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : v;
}

/* bytes of a char[] field up to its NUL, never past its size */
#define COPY(dst, src, bit)                                                  \
	do {                                                                 \
		if (pbfield_bytes((dst).bytes, &(dst).size, sizeof((dst).bytes), \
				 (src), strnlen((src), sizeof(src))))       \
			out->trunc |= (bit);                                 \
	} while (0)

static void conv_param(const struct endpoint_param *p,
		       sidewatch_EndpointParam *q, uint32_t *trunc)
{
	unsigned i;

	if (pbfield_bytes(q->name.bytes, &q->name.size, sizeof(q->name.bytes),
			 p->name, strnlen(p->name, sizeof(p->name))))
		*trunc |= INVCONV_TRUNC_PARAM;
	pbfield_str(q->where, sizeof(q->where),
		    p->where < PARAM__WHERE_COUNT ? param_where_names[p->where] : "");
	q->types = p->types;
	q->seen = clamp(p->seen);
	q->min_len = p->min_len;
	q->max_len = p->max_len;
	for (i = 0; i < ENDPOINT_SHAPES; i++) {
		size_t n = strnlen(p->shapes[i], sizeof(p->shapes[i]));

		if (!n)
			continue;
		if (pbfield_bytes(q->shapes[q->shapes_count].bytes,
				 &q->shapes[q->shapes_count].size,
				 sizeof(q->shapes[0].bytes), p->shapes[i], n))
			*trunc |= INVCONV_TRUNC_PARAM;
		q->shapes_count++;
	}
	q->n_enum = p->n_enum;
	q->enum_over = p->enum_over != 0;
}

static void named(sidewatch_NamedCount *v, pb_size_t *n, const char *name,
		  uint64_t count)
{
	pbfield_str(v[*n].name, sizeof(v[0].name), name);
	v[*n].count = clamp(count);
	(*n)++;
}

static const char *const dir_names[] = { "request", "response" };

/* Response data classes, where each class sat, and the bulk facts. */
static void conv_data(const struct endpoint *e, sidewatch_EndpointSummary *out)
{
	unsigned i, k;

	for (i = 0; i < DATACLASS__COUNT; i++)
		if (e->data_resp[i])
			named(out->resp_data, &out->resp_data_count,
			      dataclass_kind_names[i], e->data_resp[i]);
	for (i = 0; i < e->n_dpath && i < ENDPOINT_DPATHS; i++) {
		const struct endpoint_dpath *d = &e->dpath[i];
		sidewatch_DataPath *q;

		if (d->kind >= DATACLASS__COUNT || d->dir > ENDPOINT_DIR_RESP)
			continue;
		q = &out->data_paths[out->data_paths_count++];
		COPY(q->path, d->path, INVCONV_TRUNC_OTHER);
		pbfield_str(q->class, sizeof(q->class), dataclass_kind_names[d->kind]);
		pbfield_str(q->dir, sizeof(q->dir), dir_names[d->dir]);
		q->count = clamp(d->count);
	}
	out->data_paths_dropped = clamp(e->dpaths_dropped);
	for (i = 0; i < e->n_rctype && i < ENDPOINT_CTYPES; i++) {
		k = out->resp_ctype_count++;
		COPY(out->resp_ctype[k], e->rctype[i], INVCONV_TRUNC_OTHER);
	}
	out->resp_scans = clamp(e->resp_scans);
	out->resp_coded = clamp(e->resp_coded);
	out->unauth_data = clamp(e->unauth_data);
	out->bulk = clamp(e->bulk);
	out->bulk_max = e->bulk_max;
	if (e->bulk_max && e->bulk_kind < DATACLASS__COUNT)
		pbfield_str(out->bulk_class, sizeof(out->bulk_class),
			    dataclass_kind_names[e->bulk_kind]);
}

int invconv_endpoint(const struct endpoint *e, sidewatch_EndpointSummary *out)
{
	unsigned i, k;

	if (!e || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->version = sidewatch_Const_PROTO_VERSION;
	out->gen_us = e->first_us;
	COPY(out->authority, e->authority, INVCONV_TRUNC_AUTHORITY);
	COPY(out->method, e->method, INVCONV_TRUNC_METHOD);
	COPY(out->tmpl, e->tmpl, INVCONV_TRUNC_TMPL);
	out->proto = e->proto <= sidewatch_Proto_PROTO_WEBSOCKET
			     ? (sidewatch_Proto)e->proto : sidewatch_Proto_PROTO_HTTP1;
	out->first_us = e->first_us;
	out->last_us = e->last_us;
	out->calls = clamp(e->calls);
	for (i = 0; i < 6; i++)
		out->status[i] = clamp(e->status[i]);
	out->status_count = 6;
	memcpy(out->latency_us, e->latency_us, sizeof(out->latency_us));
	memcpy(out->req_bytes, e->req_bytes, sizeof(out->req_bytes));
	memcpy(out->resp_bytes, e->resp_bytes, sizeof(out->resp_bytes));
	out->latency_us_count = out->req_bytes_count = out->resp_bytes_count =
		ENDPOINT_HIST;
	for (i = 0; i < ENDPOINT_AUTH__COUNT; i++)
		if (e->auth[i])
			named(out->auth, &out->auth_count, endpoint_auth_names[i],
			      e->auth[i]);
	for (i = 0; i < DATACLASS__COUNT; i++)
		if (e->data[i])
			named(out->data, &out->data_count, dataclass_kind_names[i],
			      e->data[i]);
	out->ok = clamp(e->ok);
	out->ok_no_auth = clamp(e->ok_no_auth < e->ok ? e->ok_no_auth : e->ok);
	for (i = 0; i < e->n_alg && i < ENDPOINT_ALGS; i++) {
		k = out->jwt_alg_count++;
		COPY(out->jwt_alg[k], e->jwt_alg[i], INVCONV_TRUNC_OTHER);
	}
	for (i = 0; i < e->n_iss && i < ENDPOINT_CLAIMS; i++) {
		k = out->jwt_iss_count++;
		COPY(out->jwt_iss[k], e->jwt_iss[i], INVCONV_TRUNC_OTHER);
	}
	for (i = 0; i < e->n_aud && i < ENDPOINT_CLAIMS; i++) {
		k = out->jwt_aud_count++;
		COPY(out->jwt_aud[k], e->jwt_aud[i], INVCONV_TRUNC_OTHER);
	}
	out->jwt_exp = clamp(e->jwt_exp);
	out->jwt_no_exp = clamp(e->jwt_no_exp);
	out->jwt_none_ok = clamp(e->jwt_none_ok);
	out->jwt_no_exp_ok = clamp(e->jwt_no_exp_ok);
	out->tls_calls = clamp(e->tls_calls);
	for (i = 0; i < e->n_ctype && i < ENDPOINT_CTYPES; i++) {
		k = out->ctype_count++;
		COPY(out->ctype[k], e->ctype[i], INVCONV_TRUNC_OTHER);
	}
	for (i = 0; i < e->n_param && i < ENDPOINT_MAX_PARAMS; i++)
		conv_param(&e->param[i], &out->params[out->params_count++],
			   &out->trunc);
	out->params_dropped = clamp(e->params_dropped);
	conv_data(e, out);
	return 0;
}
