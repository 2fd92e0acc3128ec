/* test_endpoint.c - the API inventory table: one endpoint per template,
 * parameters and their types, credentials and 2xx without them, JWT facts,
 * data classes, histograms, and a bounded table under many paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "collector/inventory/endpoint.h"
#include "collector/inventory/param.h"

static struct sess_conn conn;

static void mkev(struct sess_event *ev, const char *method, const char *path,
		 const char *query, int status)
{
	sess_event_init(ev, SESS_PROTO_HTTP1, &conn);
	snprintf(ev->method, sizeof(ev->method), "%s", method);
	snprintf(ev->authority, sizeof(ev->authority), "api.example.com");
	snprintf(ev->path, sizeof(ev->path), "%s", path);
	snprintf(ev->query, sizeof(ev->query), "%s", query);
	ev->status = status;
	ev->req_ns = 1000000;
	ev->resp_ns = ev->req_ns + 2500 * 1000; /* 2.5 ms */
	ev->req_bytes = 300;
	ev->resp_bytes = 5000;
}

static void hdr(struct sess_event *ev, const char *n, const char *v)
{
	assert_int_equal(sess_add_hdr(ev, n, strlen(n), v, strlen(v)), 0);
}

static const struct endpoint_param *param(const struct endpoint *e,
					  int where, const char *name)
{
	unsigned i;

	for (i = 0; i < e->n_param; i++)
		if (e->param[i].where == where && strcmp(e->param[i].name, name) == 0)
			return &e->param[i];
	fail_msg("no parameter %s %s", param_where_names[where], name);
	return NULL;
}

static void test_params_and_types(void **state)
{
	struct endpoint_table *t = endpoint_new(NULL);
	static struct sess_event ev;
	const struct endpoint *e = NULL;
	const struct endpoint_param *p;
	const char *fmt;
	int i;

	(void)state;
	for (i = 0; i < 30; i++) {
		char path[64], q[128], body[256];

		snprintf(path, sizeof(path), "/users/%d/orders", 100 + i);
		snprintf(q, sizeof(q), "limit=%d&sort=%s&since=2026-12-0%dT10:00:00Z&q=red+shoe"
			 "&debug&sk_live_51HxQjK2eZvKYlo2C0123",
			 10 + i, i % 2 ? "asc" : "desc", 1 + i % 9);
		mkev(&ev, "POST", path, q, 201);
		hdr(&ev, "content-type", "application/json; charset=utf-8");
		snprintf(body, sizeof(body),
			 "{\"item\":{\"sku\":\"AB-%04d\",\"qty\":%d,\"price\":%d.5},"
			 "\"gift\":%s,\"tags\":[\"x\"],\"note\":null,"
			 "\"id\":\"550e8400-e29b-41d4-a716-44665544%04d\"}",
			 i, i, i, i % 2 ? "true" : "false", i);
		sess_add_body(&ev, body, strlen(body));
		e = endpoint_observe(t, &ev, "/users/{id}/orders", 1000 + (uint64_t)i);
		assert_non_null(e);
	}
	assert_int_equal(e->calls, 30);
	assert_int_equal(e->first_us, 1000);
	assert_int_equal(e->last_us, 1029);
	assert_int_equal(e->status[2], 30);
	assert_string_equal(e->ctype[0], "application/json");

	p = param(e, PARAM_PATH, "id");
	assert_string_equal(param_type_name(p->types, &fmt), "integer");
	p = param(e, PARAM_QUERY, "limit");
	assert_string_equal(param_type_name(p->types, &fmt), "integer");
	assert_int_equal(p->min_len, 2);
	assert_int_equal(p->max_len, 2);
	/* an item without '=' is a flag when it reads like a name; a token
	 * there is a value, and values are never kept */
	p = param(e, PARAM_QUERY, "debug");
	for (unsigned k = 0; k < e->n_param; k++)
		assert_null(strstr(e->param[k].name, "sk_live"));
	p = param(e, PARAM_QUERY, "sort");
	assert_int_equal(p->n_enum, 2);
	assert_false(p->enum_over);
	assert_string_equal(p->shapes[0], "a");
	p = param(e, PARAM_QUERY, "since");
	assert_string_equal(param_type_name(p->types, &fmt), "string");
	assert_string_equal(fmt, "date-time");
	p = param(e, PARAM_QUERY, "q");
	assert_string_equal(p->shapes[0], "a a"); /* '+' is a space */
	assert_true(p->enum_over == 0 && p->n_enum == 1);
	p = param(e, PARAM_JSON, "$.item.qty");
	assert_string_equal(param_type_name(p->types, &fmt), "integer");
	p = param(e, PARAM_JSON, "$.item.price");
	assert_string_equal(param_type_name(p->types, &fmt), "number");
	p = param(e, PARAM_JSON, "$.item.sku");
	assert_string_equal(param_type_name(p->types, &fmt), "string");
	assert_string_equal(p->shapes[0], "A-9");
	assert_true(p->enum_over);
	p = param(e, PARAM_JSON, "$.gift");
	assert_string_equal(param_type_name(p->types, &fmt), "boolean");
	p = param(e, PARAM_JSON, "$.item");
	assert_string_equal(param_type_name(p->types, &fmt), "object");
	p = param(e, PARAM_JSON, "$.tags");
	assert_string_equal(param_type_name(p->types, &fmt), "array");
	p = param(e, PARAM_JSON, "$.tags[]");
	assert_string_equal(param_type_name(p->types, &fmt), "string");
	p = param(e, PARAM_JSON, "$.note");
	assert_string_equal(param_type_name(p->types, &fmt), "null");
	p = param(e, PARAM_JSON, "$.id");
	param_type_name(p->types, &fmt);
	assert_string_equal(fmt, "uuid");
	assert_int_equal(endpoint_quantile(e->latency_us, 0.5), 4095);
	endpoint_free(t);
}

/* header: name, value, expected auth; status 200 each */
static void test_auth(void **state)
{
	/* {"alg":"HS256","typ":"JWT"} . {"sub":"alice","exp":1999999999} */
	static const char jwt_exp[] =
		"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
		"eyJzdWIiOiJhbGljZSIsImV4cCI6MTk5OTk5OTk5OX0.c2ln";
	/* {"alg":"none"} . {"sub":"x"} */
	static const char jwt_none[] = "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
	static const struct {
		const char *name, *val, *query;
		int want;
	} c[] = {
		{ NULL, NULL, "", ENDPOINT_AUTH_NONE },
		{ "authorization", "Basic YWxpY2U6c2VjcmV0", "", ENDPOINT_AUTH_BASIC },
		{ "authorization", jwt_exp, "", ENDPOINT_AUTH_JWT },
		{ "authorization", jwt_none, "", ENDPOINT_AUTH_JWT },
		{ "authorization", "Bearer 9f8e7d6c5b4a39281706", "", ENDPOINT_AUTH_BEARER },
		{ "x-api-key", "k-1234567890", "", ENDPOINT_AUTH_APIKEY },
		{ NULL, NULL, "api_key=abc123&x=1", ENDPOINT_AUTH_QUERY_KEY },
		/* a session id of 16+ characters (a short one is weak) */
		{ "cookie", "theme=dark; sessionid=q1w2e3r4t5y6u7i8", "", ENDPOINT_AUTH_COOKIE },
	};
	struct endpoint_table *t = endpoint_new(NULL);
	static struct sess_event ev;
	const struct endpoint *e = NULL;
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t before[ENDPOINT_AUTH__COUNT];

		mkev(&ev, "GET", "/account", c[i].query, 200);
		if (c[i].name)
			hdr(&ev, c[i].name, c[i].val);
		e = endpoint_find(t, "api.example.com", "GET", "/account",
				  SESS_PROTO_HTTP1);
		if (e)
			memcpy(before, e->auth, sizeof(before));
		else
			memset(before, 0, sizeof(before));
		e = endpoint_observe(t, &ev, "/account", 5);
		if (e->auth[c[i].want] != before[c[i].want] + 1)
			fail_msg("case %u: %s not counted", i,
				 endpoint_auth_names[c[i].want]);
	}
	assert_int_equal(e->ok, 8);
	assert_int_equal(e->ok_no_auth, 1);
	assert_int_equal(e->n_alg, 2);
	assert_string_equal(e->jwt_alg[0], "HS256");
	assert_string_equal(e->jwt_alg[1], "none");
	assert_int_equal(e->jwt_exp, 1);
	assert_int_equal(e->jwt_no_exp, 1);
	/* a query credential beside a header one is counted too */
	mkev(&ev, "GET", "/account", "token=zzz", 200);
	hdr(&ev, "x-api-key", "k-1234567890");
	e = endpoint_observe(t, &ev, "/account", 6);
	assert_int_equal(e->auth[ENDPOINT_AUTH_QUERY_KEY], 2);
	assert_int_equal(e->auth[ENDPOINT_AUTH_APIKEY], 2);
	endpoint_free(t);

	/* issuers and audiences (an array's first); a claim named "exp" only
	 * counts as a member name, not as a string value. Payloads:
	 * {"sub":"a","iss":"https://id.example.com/","aud":["shop-api","other"],
	 *  "exp":1999999999} and {"sub":"b","scope":"exp",
	 *  "iss":"https://id.example.com/","aud":"billing"} */
	t = endpoint_new(NULL);
	/* forged tokens the server refused (401) take no issuer or audience
	 * slot: payloads {"sub":"x","iss":"!a","aud":"!a"}, "!b", "!c" */
	{
		static const char *const forged[] = {
			"Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwiaXNzIjoiIWEiLCJhdWQiOiIhYSJ9.c2ln",
			"Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwiaXNzIjoiIWIiLCJhdWQiOiIhYiJ9.c2ln",
			"Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwiaXNzIjoiIWMiLCJhdWQiOiIhYyJ9.c2ln",
		};

		for (i = 0; i < 3; i++) {
			mkev(&ev, "GET", "/account", "", 401);
			hdr(&ev, "authorization", forged[i]);
			endpoint_observe(t, &ev, "/account", 7);
		}
	}
	mkev(&ev, "GET", "/account", "", 200);
	hdr(&ev, "authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIiwiaXNzIjoiaHR0cHM6Ly9pZC5leGFtcGxlLmNvbS8iLCJhdWQiOlsic2hvcC1hcGkiLCJvdGhlciJdLCJleHAiOjE5OTk5OTk5OTl9.c2ln");
	e = endpoint_observe(t, &ev, "/account", 7);
	mkev(&ev, "GET", "/account", "", 200);
	hdr(&ev, "authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiIiwic2NvcGUiOiJleHAiLCJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUuY29tLyIsImF1ZCI6ImJpbGxpbmcifQ.c2ln");
	e = endpoint_observe(t, &ev, "/account", 8);
	assert_int_equal(e->n_iss, 1);
	assert_string_equal(e->jwt_iss[0], "https://id.example.com/");
	assert_int_equal(e->n_aud, 2);
	assert_string_equal(e->jwt_aud[0], "shop-api");
	assert_string_equal(e->jwt_aud[1], "billing");
	assert_int_equal(e->jwt_exp, 1);
	/* {"scope":"exp"} has no exp, nor have the 3 refused ones (counted:
	 * tokens seen, whatever the answer) */
	assert_int_equal(e->jwt_no_exp, 4);
	endpoint_free(t);
}

static void test_data_classes(void **state)
{
	static const char body[] =
		"{\"name\":\"A\",\"email\":\"a@example.com\",\"card\":\"4111111111111111\"}";
	struct endpoint_table *t = endpoint_new(NULL);
	static struct sess_event ev;
	const struct endpoint *e;

	(void)state;
	mkev(&ev, "POST", "/customers", "", 201);
	hdr(&ev, "content-type", "application/json");
	sess_add_body(&ev, body, sizeof(body) - 1);
	e = endpoint_observe(t, &ev, "/customers", 1);
	assert_int_equal(e->data[DATACLASS_EMAIL], 1);
	assert_int_equal(e->data[DATACLASS_CARD], 1);
	endpoint_free(t);
}

static const struct endpoint_dpath *dpath(const struct endpoint *e, int dir,
					  int kind, const char *path)
{
	unsigned i;

	for (i = 0; i < e->n_dpath; i++)
		if (e->dpath[i].dir == dir && e->dpath[i].kind == kind &&
		    strcmp(e->dpath[i].path, path) == 0)
			return &e->dpath[i];
	fail_msg("no data path %d %s %s", dir, dataclass_kind_names[kind], path);
	return NULL;
}

/* Response bodies: classes per JSON path and direction, the records of one
 * class in a response, a coded body counted and not read, binary media
 * skipped, and the response types kept. */
static void test_response_data(void **state)
{
	static const char list[] =
		"{\"customers\":[{\"email\":\"a@example.com\",\"card\":\"4111111111111111\"},"
		"{\"email\":\"b@example.org\",\"card\":\"5555555555554444\"},"
		"{\"email\":\"c@example.net\",\"phone\":\"+44 20 7946 0958\"}]}";
	static const char q[] = "{\"contact\":{\"email\":\"x@example.com\"}}";
	struct endpoint_table *t = endpoint_new(NULL);
	static struct sess_event ev;
	const struct endpoint *e;

	(void)state;
	mkev(&ev, "POST", "/customers/search", "", 200);
	hdr(&ev, "content-type", "application/json");
	sess_add_body(&ev, q, sizeof(q) - 1);
	sess_resp_hdr(&ev, "content-type", 12, "application/json; charset=utf-8", 31);
	sess_add_resp_body(&ev, list, sizeof(list) - 1);
	e = endpoint_observe(t, &ev, "/customers/search", 1);
	assert_int_equal(e->data[DATACLASS_EMAIL], 1);
	assert_int_equal(e->data_resp[DATACLASS_EMAIL], 3);
	assert_int_equal(e->data_resp[DATACLASS_CARD], 2);
	assert_int_equal(e->data_resp[DATACLASS_PHONE], 1);
	assert_int_equal(dpath(e, ENDPOINT_DIR_REQ, DATACLASS_EMAIL,
			       "$.contact.email")->count, 1);
	assert_int_equal(dpath(e, ENDPOINT_DIR_RESP, DATACLASS_EMAIL,
			       "$.customers[].email")->count, 3);
	assert_int_equal(dpath(e, ENDPOINT_DIR_RESP, DATACLASS_CARD,
			       "$.customers[].card")->count, 2);
	assert_int_equal(e->n_dpath, 4);
	assert_int_equal(e->bulk_max, 3);
	assert_int_equal(e->bulk_kind, DATACLASS_EMAIL);
	assert_int_equal(e->bulk, 0);
	assert_int_equal(e->unauth_data, 1); /* no credentials, 200 */
	assert_int_equal(e->n_rctype, 1);
	assert_string_equal(e->rctype[0], "application/json");

	/* gzip: counted, not read */
	mkev(&ev, "POST", "/customers/search", "", 200);
	sess_resp_hdr(&ev, "content-encoding", 16, "gzip", 4);
	sess_resp_hdr(&ev, "content-type", 12, "application/json", 16);
	sess_add_resp_body(&ev, list, sizeof(list) - 1);
	e = endpoint_observe(t, &ev, "/customers/search", 2);
	assert_int_equal(e->resp_coded, 1);
	assert_int_equal(e->data_resp[DATACLASS_EMAIL], 3);

	/* an image that happens to hold an address is not read; text is */
	mkev(&ev, "GET", "/img", "", 200);
	sess_resp_hdr(&ev, "content-type", 12, "image/png", 9);
	sess_add_resp_body(&ev, "a@example.com", 13);
	e = endpoint_observe(t, &ev, "/img", 3);
	assert_int_equal(e->data_resp[DATACLASS_EMAIL], 0);
	mkev(&ev, "GET", "/txt", "", 200);
	sess_resp_hdr(&ev, "content-type", 12, "text/plain", 10);
	sess_add_resp_body(&ev, "mail a@example.com", 18);
	e = endpoint_observe(t, &ev, "/txt", 4);
	assert_int_equal(e->data_resp[DATACLASS_EMAIL], 1);
	assert_int_equal(dpath(e, ENDPOINT_DIR_RESP, DATACLASS_EMAIL, "$")->count, 1);
	/* a vendor type longer than the kept 47 bytes keeps its "+json"
	 * suffix (RFC 6839): cut in the middle, it was skipped as unknown */
	mkev(&ev, "GET", "/v2/customers", "", 200);
	sess_resp_hdr(&ev, "content-type", 12,
		      "application/vnd.example.customers.collection.v2+json; charset=utf-8", 67);
	sess_add_resp_body(&ev, list, sizeof(list) - 1);
	e = endpoint_observe(t, &ev, "/v2/customers", 5);
	assert_int_equal(strlen(ev.resp_ctype), SESS_MAX_CTYPE - 1);
	assert_int_equal(e->data_resp[DATACLASS_CARD], 2);
	endpoint_free(t);
}

/* More (direction, class, path) than ENDPOINT_DPATHS: the first kept, the
 * rest counted; attacker keys never grow the entry, and keys sent first
 * in requests take at most half the slots: what the endpoint returns
 * still finds room. */
static void test_data_paths_bounded(void **state)
{
	struct endpoint_table *t = endpoint_new(NULL);
	static struct sess_event ev;
	const struct endpoint *e = NULL;
	char body[128];
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		mkev(&ev, "POST", "/p", "", 200);
		hdr(&ev, "content-type", "application/json");
		snprintf(body, sizeof(body), "{\"k%d\":\"u@example.com\"}", i);
		sess_add_body(&ev, body, strlen(body));
		e = endpoint_observe(t, &ev, "/p", 1);
	}
	assert_int_equal(e->n_dpath, ENDPOINT_DPATHS / 2);
	assert_int_equal(e->dpaths_dropped, 20 - ENDPOINT_DPATHS / 2);
	assert_int_equal(e->data[DATACLASS_EMAIL], 20);
	for (i = 0; i < 20; i++) {
		mkev(&ev, "POST", "/p", "", 200);
		snprintf(body, sizeof(body), "{\"r%d\":\"u@example.com\"}", i);
		sess_resp_hdr(&ev, "content-type", 12, "application/json", 16);
		sess_add_resp_body(&ev, body, strlen(body));
		e = endpoint_observe(t, &ev, "/p", 2);
	}
	assert_int_equal(e->n_dpath, ENDPOINT_DPATHS);
	assert_string_equal(e->dpath[ENDPOINT_DPATHS / 2].path, "$.r0");
	assert_int_equal(e->dpath[ENDPOINT_DPATHS / 2].dir, ENDPOINT_DIR_RESP);
	assert_int_equal(e->dpaths_dropped, 40 - ENDPOINT_DPATHS);
	endpoint_free(t);
}

/* The scan budget: past data_per_sec in one second, exchanges are learned
 * unscanned and counted; the next second scans again. */
static void test_data_budget(void **state)
{
	struct endpoint_config cfg = { .max_endpoints = 64, .data_per_sec = 5 };
	struct endpoint_table *t = endpoint_new(&cfg);
	static struct sess_event ev;
	struct endpoint_stats st;
	const struct endpoint *e = NULL;
	int i;

	(void)state;
	mkev(&ev, "GET", "/b", "card=4111111111111111", 200);
	for (i = 0; i < 12; i++)
		e = endpoint_observe(t, &ev, "/b", 7000000 + (uint64_t)i);
	endpoint_get_stats(t, &st);
	assert_int_equal(st.data_scans, 5);
	assert_int_equal(st.data_skipped, 7);
	assert_int_equal(e->calls, 12);
	assert_int_equal(e->data[DATACLASS_CARD], 5);
	e = endpoint_observe(t, &ev, "/b", 8000000);
	endpoint_get_stats(t, &st);
	assert_int_equal(st.data_scans, 6);
	assert_int_equal(e->data[DATACLASS_CARD], 6);

	/* a scanner's unanswered guesses (404 on fresh paths) take at most
	 * half the second's budget: the answers 2xx keep the rest */
	for (i = 0; i < 20; i++) {
		char path[16];

		snprintf(path, sizeof(path), "/guess%d", i);
		mkev(&ev, "GET", path, "", 404);
		endpoint_observe(t, &ev, path, 9000000 + (uint64_t)i);
	}
	endpoint_get_stats(t, &st);
	assert_int_equal(st.data_scans, 6 + 2);   /* 5 / 2 */
	assert_int_equal(st.data_skipped, 7 + 18);
	mkev(&ev, "GET", "/c", "", 200);
	sess_resp_hdr(&ev, "content-type", 12, "application/json", 16);
	sess_add_resp_body(&ev, "{\"card\":\"4111111111111111\"}", 27);
	e = endpoint_observe(t, &ev, "/c", 9000100);
	assert_int_equal(e->data_resp[DATACLASS_CARD], 1);
	endpoint_free(t);
}

/* 100k distinct endpoints into 64 entries: the table stays at 64, every
 * eviction counted, the 64 most recent all findable (the index survives
 * deletions), the oldest gone, and the most recent first. */
static void test_bounded(void **state)
{
	struct endpoint_config cfg = { .max_endpoints = 64 };
	struct endpoint_table *t = endpoint_new(&cfg);
	static struct sess_event ev;
	struct endpoint_stats st;
	char path[64];
	int i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		snprintf(path, sizeof(path), "/r/%x%x", i * 2654435761u, i);
		mkev(&ev, "GET", path, "", 404);
		assert_non_null(endpoint_observe(t, &ev, path, (uint64_t)i));
	}
	endpoint_get_stats(t, &st);
	assert_int_equal(st.endpoints, 64);
	assert_int_equal(st.created, 100000);
	assert_int_equal(st.evicted, 100000 - 64);
	for (i = 100000 - 64; i < 100000; i++) {
		snprintf(path, sizeof(path), "/r/%x%x", i * 2654435761u, i);
		if (!endpoint_find(t, "api.example.com", "GET", path, SESS_PROTO_HTTP1))
			fail_msg("recent endpoint %d lost", i);
	}
	snprintf(path, sizeof(path), "/r/%x%x", 0u, 0);
	assert_null(endpoint_find(t, "api.example.com", "GET", path, SESS_PROTO_HTTP1));
	endpoint_free(t);
}

/* L13: pushes follow the table's change numbers, not the wall clock: an
 * update made after the clock stepped back still counts as newer. */
static void test_change_numbers_ignore_clock(void **state)
{
	struct endpoint_table *t = endpoint_new(NULL);
	struct sess_event ev;
	const struct endpoint *a, *b;
	uint64_t chg_a;

	(void)state;
	mkev(&ev, "GET", "/a", "", 200);
	a = endpoint_observe(t, &ev, "/a", 5000000);
	assert_non_null(a);
	chg_a = a->chg;
	assert_true(chg_a > 0);
	mkev(&ev, "GET", "/b", "", 200);
	b = endpoint_observe(t, &ev, "/b", 1000000); /* the clock went back */
	assert_non_null(b);
	assert_true(b->last_us < a->last_us);
	assert_true(b->chg > chg_a);
	mkev(&ev, "GET", "/a", "", 200);
	a = endpoint_observe(t, &ev, "/a", 1000001);
	assert_true(a->chg > b->chg);
	endpoint_free(t);
}

/* L10: past the first ENDPOINT_DATA_FULL calls an endpoint's requests are
 * scanned for data classes one in 16 on average, chosen at random per
 * table: which calls are scanned must not be predictable from the count of
 * calls (two tables fed the same requests pick different calls). */
static uint64_t scans(const struct endpoint_table *t)
{
	struct endpoint_stats st;

	endpoint_get_stats(t, &st);
	return st.data_scans;
}

static void test_data_sampling_unpredictable(void **state)
{
	struct endpoint_table *t1 = endpoint_new(NULL), *t2 = endpoint_new(NULL);
	struct sess_event ev;
	unsigned differ = 0, n1 = 0;

	(void)state;
	mkev(&ev, "GET", "/s", "card=4111111111111111", 200);
	for (unsigned i = 0; i < ENDPOINT_DATA_FULL + 3200; i++) {
		uint64_t b1 = scans(t1), b2 = scans(t2);

		assert_non_null(endpoint_observe(t1, &ev, "/s", 1000 + i));
		assert_non_null(endpoint_observe(t2, &ev, "/s", 1000 + i));
		if (i < ENDPOINT_DATA_FULL) {
			assert_int_equal(scans(t1), b1 + 1); /* the first ones all */
			continue;
		}
		n1 += scans(t1) > b1;
		differ += (scans(t1) > b1) != (scans(t2) > b2);
	}
	/* 3200 draws at 1/16: mean 200, sd ~13.7 */
	if (n1 < 130 || n1 > 270)
		fail_msg("sampled %u of 3200, want about 200", n1);
	if (differ < 100)
		fail_msg("two tables scanned the same calls (%u differ)", differ);
	endpoint_free(t1);
	endpoint_free(t2);
}

static void test_shape_and_quantile(void **state)
{
	char s[ENDPOINT_SHAPE_LEN];
	uint32_t h[ENDPOINT_HIST] = {0};

	(void)state;
	endpoint_shape("Order-2026_ab", 13, s, sizeof(s));
	assert_string_equal(s, "Aa-9_a");
	endpoint_shape("\"x\\\x01", 4, s, sizeof(s));
	assert_string_equal(s, "?a??");
	endpoint_shape("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1-2-3-4-5-6-7-8", 49, s, sizeof(s));
	assert_int_equal(strlen(s), ENDPOINT_SHAPE_LEN - 1);
	assert_int_equal(endpoint_quantile(h, 0.5), 0);
	h[3] = 90;  /* 8..15 */
	h[10] = 10; /* 1024..2047 */
	assert_int_equal(endpoint_quantile(h, 0.5), 15);
	assert_int_equal(endpoint_quantile(h, 0.99), 2047);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_and_types),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_data_classes),
		cmocka_unit_test(test_response_data),
		cmocka_unit_test(test_data_paths_bounded),
		cmocka_unit_test(test_data_budget),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_shape_and_quantile),
		cmocka_unit_test(test_change_numbers_ignore_clock),
		cmocka_unit_test(test_data_sampling_unpredictable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
