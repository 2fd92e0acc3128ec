/* test_invconv.c - the API inventory on the wire: a learned endpoint ->
 * EndpointSummary (invconv.c) -> Batch bytes -> the correlator's decode
 * and checks (ingest.c, invcheck.c); hostile summaries refused and
 * counted, oversized batches refused, strings cut at the wire's bounds,
 * counts clamped; and the OpenAPI writer giving the same document from a
 * copy of the endpoints as from the table. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "collector/inventory/openapi.h"
#include "collector/uplink/invconv.h"
#include "correlator/ingest.h"
#include "correlator/invcheck.h"

#define RECV_US 1767225600123456ull /* 2026-01-01 */

static const struct ingest_limits LIM = {
	.recv_us = RECV_US,
	.ts_lo_us = 1767139200000000ull,
	.ts_hi_us = 1767398400000000ull,
};

static struct sess_conn conn;

static void req(struct endpoint_table *t, const char *method, const char *path,
		const char *tmpl, const char *auth, const char *body, int status,
		uint64_t now)
{
	static struct sess_event ev;

	sess_event_init(&ev, SESS_PROTO_HTTP1, &conn);
	snprintf(ev.method, sizeof(ev.method), "%s", method);
	snprintf(ev.authority, sizeof(ev.authority), "api.example");
	snprintf(ev.path, sizeof(ev.path), "%s", path);
	snprintf(ev.query, sizeof(ev.query), "page=3");
	ev.status = status;
	ev.req_ns = 1000;
	ev.resp_ns = 1000 + 700 * 1000; /* 700 µs */
	if (auth)
		sess_add_hdr(&ev, "authorization", 13, auth, strlen(auth));
	if (body) {
		sess_add_hdr(&ev, "content-type", 12, "application/json", 16);
		sess_add_body(&ev, body, strlen(body));
	}
	assert_non_null(endpoint_observe(t, &ev, tmpl, now));
}

struct sumlist {
	const sidewatch_EndpointSummary *v;
	size_t n;
};

static bool enc_sums(pb_ostream_t *os, const pb_field_t *f, void *const *arg)
{
	const struct sumlist *l = *arg;

	for (size_t i = 0; i < l->n; i++)
		if (!pb_encode_tag_for_field(os, f) ||
		    !pb_encode_submessage(os, sidewatch_EndpointSummary_fields, &l->v[i]))
			return false;
	return true;
}

/* A batch of host h1 with the summaries, as bytes; returns its length. */
static size_t encode(const sidewatch_EndpointSummary *v, size_t n, uint8_t *buf,
		     size_t cap)
{
	sidewatch_Batch m = sidewatch_Batch_init_zero;
	struct sumlist l = { v, n };
	pb_ostream_t os = pb_ostream_from_buffer(buf, cap);

	m.version = 1;
	strcpy(m.host, "h1");
	m.seq = 9;
	m.endpoints.funcs.encode = enc_sums;
	m.endpoints.arg = &l;
	assert_true(pb_encode(&os, sidewatch_Batch_fields, &m));
	return os.bytes_written;
}

static void test_learned_endpoint_round_trip(void **state)
{
	static const char body[] = "{\"email\":\"a@example.com\",\"card\":\"4111111111111111\"}";
	struct endpoint_table *t = endpoint_new(NULL);
	static sidewatch_EndpointSummary s;
	static uint8_t buf[1 << 16];
	struct ingest_batch b = {0};
	const struct endpoint *e;
	char why[160];
	size_t n;
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		req(t, "POST", "/users/42/orders", "/users/{id}/orders", NULL, body, 201,
		    RECV_US - 1000 + (uint64_t)i);
	req(t, "POST", "/users/43/orders", "/users/{id}/orders",
	    "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", NULL, 200, RECV_US);
	e = endpoint_find(t, "api.example", "POST", "/users/{id}/orders", SESS_PROTO_HTTP1);
	assert_non_null(e);
	assert_int_equal(invconv_endpoint(e, &s), 0);
	assert_int_equal(s.version, 1);
	assert_int_equal(s.gen_us, e->first_us);
	assert_int_equal(s.calls, 4);
	assert_int_equal(s.status_count, 6);
	assert_int_equal(s.status[2], 4);
	assert_int_equal(s.ok, 4);
	assert_int_equal(s.ok_no_auth, 3);
	assert_int_equal(s.trunc, 0);
	assert_memory_equal(s.tmpl.bytes, "/users/{id}/orders", s.tmpl.size);
	assert_int_equal(s.latency_us_count, 32);
	assert_int_equal(s.latency_us[9], 4); /* 700 µs: [512, 1024) */
	/* names, not enum numbers, for classes and credentials */
	{
		int email = 0, card = 0, none = 0, jwt = 0;

		for (i = 0; i < (int)s.data_count; i++) {
			email += !strcmp(s.data[i].name, "email") && s.data[i].count == 3;
			card += !strcmp(s.data[i].name, "card") && s.data[i].count == 3;
		}
		for (i = 0; i < (int)s.auth_count; i++) {
			none += !strcmp(s.auth[i].name, "none") && s.auth[i].count == 3;
			jwt += !strcmp(s.auth[i].name, "jwt") && s.auth[i].count == 1;
		}
		assert_int_equal(email + card + none + jwt, 4);
	}
	assert_true(s.params_count >= 3); /* id, page, $.email, $.card */
	assert_int_equal(s.jwt_alg_count, 1);
	assert_memory_equal(s.jwt_alg[0].bytes, "HS256", 5);

	n = encode(&s, 1, buf, sizeof(buf));
	assert_int_equal(ingest_decode(buf, n, &LIM, &b, why, sizeof(why)), 0);
	assert_int_equal(b.ninv, 1);
	assert_int_equal(b.inv_rejected, 0);
	assert_int_equal(b.nevents, 0);
	assert_int_equal(b.inv[0].calls, 4);
	assert_int_equal(b.inv[0].params_count, s.params_count);
	assert_memory_equal(b.inv[0].tmpl.bytes, s.tmpl.bytes, s.tmpl.size);
	ingest_batch_free(&b);
	endpoint_free(t);
}

/* An entry whose strings fill their arrays without a NUL (memory a bug or
 * an attacker could leave) and counts past bigint: cut, clamped. */
static void test_bounds_and_clamps(void **state)
{
	static struct endpoint e;
	static sidewatch_EndpointSummary s;

	(void)state;
	memset(&e, 0, sizeof(e));
	memset(e.authority, 'a', sizeof(e.authority));
	memset(e.method, 'M', sizeof(e.method));
	memset(e.tmpl, '/', sizeof(e.tmpl));
	e.first_us = 5;
	e.calls = UINT64_MAX;
	e.ok = 10;
	e.ok_no_auth = 99; /* more than ok: never sent so */
	e.n_param = 1;
	memset(e.param[0].name, 'p', sizeof(e.param[0].name));
	memset(e.param[0].shapes[0], 'a', sizeof(e.param[0].shapes[0]));
	e.param[0].seen = UINT64_MAX;
	e.n_ctype = 200;  /* past its array: only ENDPOINT_CTYPES read */
	e.n_alg = 200;
	assert_int_equal(invconv_endpoint(&e, &s), 0);
	assert_int_equal(s.authority.size, sizeof(e.authority) - 1);
	assert_int_equal(s.method.size, sizeof(e.method) - 1);
	assert_int_equal(s.tmpl.size, sizeof(e.tmpl) - 1);
	assert_true(s.trunc & INVCONV_TRUNC_AUTHORITY);
	assert_true(s.trunc & INVCONV_TRUNC_METHOD);
	assert_true(s.trunc & INVCONV_TRUNC_TMPL);
	assert_true(s.trunc & INVCONV_TRUNC_PARAM);
	assert_int_equal(s.calls, INT64_MAX);
	assert_int_equal(s.params[0].seen, INT64_MAX);
	assert_int_equal(s.params[0].name.size, PARAM_MAX_NAME - 1);
	assert_int_equal(s.ok_no_auth, 10);
	assert_int_equal(s.ctype_count, ENDPOINT_CTYPES);
	assert_int_equal(s.jwt_alg_count, ENDPOINT_ALGS);
	assert_int_equal(invconv_endpoint(NULL, &s), -EINVAL);
}

static void good(sidewatch_EndpointSummary *s)
{
	memset(s, 0, sizeof(*s));
	s->version = 1;
	s->gen_us = RECV_US - 10;
	s->first_us = RECV_US - 10;
	s->last_us = RECV_US - 5;
	s->method.size = 3;
	memcpy(s->method.bytes, "GET", 3);
	s->tmpl.size = 2;
	memcpy(s->tmpl.bytes, "/a", 2);
	s->calls = 1;
}

/* Each hostile summary is refused alone and counted; the good ones of the
 * same batch are kept; times are mended. */
static void test_hostile_summaries(void **state)
{
	static sidewatch_EndpointSummary v[9];
	static uint8_t buf[1 << 17];
	struct ingest_batch b = {0};
	char why[160];
	size_t n;
	int i;

	(void)state;
	for (i = 0; i < 9; i++)
		good(&v[i]);
	v[1].version = 0;
	v[2].tmpl.size = 0;
	v[3].proto = (sidewatch_Proto)9;
	v[4].auth_count = 1;
	strcpy(v[4].auth[0].name, "x'); DROP");
	v[5].data_count = 1;
	strcpy(v[5].data[0].name, "Card");
	v[6].params_count = 1;
	strcpy(v[6].params[0].where, "cookie");
	v[6].params[0].name.size = 1;
	v[7].gen_us = 0;
	/* kept, mended: a last seen far in the future, a first after it */
	v[8].last_us = RECV_US + 10 * 86400000000ull;
	v[8].first_us = UINT64_MAX;
	v[8].calls = UINT64_MAX;
	v[8].ok = UINT64_MAX;
	v[8].ok_no_auth = UINT64_MAX;
	/* kept as bytes: a template with quotes and control bytes */
	v[0].tmpl.size = 8;
	memcpy(v[0].tmpl.bytes, "/\"'\x1b[\x07\x00z", 8);
	n = encode(v, 9, buf, sizeof(buf));
	assert_int_equal(ingest_decode(buf, n, &LIM, &b, why, sizeof(why)), 0);
	/* v[6]'s unknown-place parameter goes alone; the summary stays */
	assert_int_equal(b.ninv, 3);
	assert_int_equal(b.inv_rejected, 6);
	assert_int_equal(b.inv[0].tmpl.size, 8);
	assert_int_equal(b.inv[1].params_count, 0);
	assert_int_equal(b.inv[1].params_dropped, 1);
	assert_int_equal(b.inv[2].last_us, RECV_US);
	assert_int_equal(b.inv[2].first_us, RECV_US);
	/* counts past 2^48 clamped (sums over incarnations stay in bigint),
	 * 2xx without credentials never more than 2xx */
	assert_int_equal(b.inv[2].calls, 1ull << 48);
	assert_int_equal(b.inv[2].ok, 1ull << 48);
	assert_true(b.inv[2].ok_no_auth <= b.inv[2].ok);

	/* more summaries than a batch may hold: the whole batch refused */
	{
		static sidewatch_EndpointSummary many[INGEST_MAX_ENDPOINTS + 1];
		static uint8_t big[INGEST_MAX_ENDPOINTS * 64 + 4096];

		for (i = 0; i <= INGEST_MAX_ENDPOINTS; i++)
			good(&many[i]);
		n = encode(many, INGEST_MAX_ENDPOINTS, big, sizeof(big));
		assert_int_equal(ingest_decode(big, n, &LIM, &b, why, sizeof(why)), 0);
		assert_int_equal(b.ninv, INGEST_MAX_ENDPOINTS);
		n = encode(many, INGEST_MAX_ENDPOINTS + 1, big, sizeof(big));
		assert_int_equal(ingest_decode(big, n, &LIM, &b, why, sizeof(why)), -E2BIG);
	}
	/* cut short anywhere: undecodable, never a crash */
	n = encode(v, 9, buf, sizeof(buf));
	for (size_t k = 1; k < n; k += 7) {
		int rc = ingest_decode(buf, k, &LIM, &b, why, sizeof(why));

		assert_true(rc == -EBADMSG || rc == -EPROTO || rc == 0);
	}
	ingest_batch_free(&b);
}

struct copy {
	struct endpoint v[8];
	size_t n;
};

/* Variants of one authority (case, a trailing dot, the default port) are
 * one authority, so none of them gets its own endpoint quota. */
static void test_authority_variants(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "api.shop", "api.shop" },
		{ "API.Shop", "api.shop" },
		{ "api.shop.", "api.shop" },
		{ "api.shop:80", "api.shop" },
		{ "Api.Shop.:443", "api.shop" },
		{ "api.shop:8080", "api.shop:8080" },
		{ "API.SHOP.:8443", "api.shop:8443" },
		{ "[::1]:443", "[::1]" },
		{ "[::1]", "[::1]" },
		{ ".", "." },
		{ "", "" },
	};
	sidewatch_EndpointSummary s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		good(&s);
		s.authority.size = (pb_size_t)strlen(cases[i].in);
		memcpy(s.authority.bytes, cases[i].in, s.authority.size);
		assert_int_equal(invcheck_summary(&s, RECV_US), 0);
		assert_int_equal(s.authority.size, strlen(cases[i].out));
		assert_memory_equal(s.authority.bytes, cases[i].out, s.authority.size);
	}
}

static void take(void *ctx, const struct endpoint *e)
{
	struct copy *cp = ctx;

	if (cp->n < 8)
		cp->v[cp->n++] = *e;
}

/* openapi_write_array: the document swctl exports is the collector's. */
static void test_openapi_from_array(void **state)
{
	struct endpoint_table *t = endpoint_new(NULL);
	struct sbuf a = {0}, b = {0};
	static struct copy c;

	(void)state;
	req(t, "GET", "/users/7", "/users/{id}", NULL, NULL, 200, 10);
	req(t, "POST", "/users/7/orders", "/users/{id}/orders", NULL,
	    "{\"qty\":2}", 201, 11);
	req(t, "GET", "/a\"b\x1b", "/a\"b\x1b", NULL, NULL, 404, 12);
	endpoint_foreach(t, take, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(openapi_write(t, "api.example", "T", &a), 0);
	assert_int_equal(openapi_write_array(c.v, c.n, "api.example", "T", &b), 0);
	assert_string_equal(a.p, b.p);
	assert_non_null(strstr(b.p, "\"/a\\\"b\\u001b\""));
	sbuf_free(&a);
	sbuf_free(&b);
	endpoint_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learned_endpoint_round_trip),
		cmocka_unit_test(test_bounds_and_clamps),
		cmocka_unit_test(test_hostile_summaries),
		cmocka_unit_test(test_authority_variants),
		cmocka_unit_test(test_openapi_from_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
