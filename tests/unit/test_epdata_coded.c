/* test_epdata_coded.c - the inventory reads a response body sent with a
 * content coding: gzip and deflate are decoded and their data classes
 * counted like a plain body's (an attacker who asks for Accept-Encoding:
 * gzip no longer hides an export of emails and cards), beyond the 4 KiB
 * the event keeps when it decodes to more; br and a body that is no valid
 * stream stay counted as hidden, not read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "collector/inventory/endpoint.h"

static struct sess_conn conn;
static struct sess_event ev;

static void mkev(const char *path, const char *coding, const char *ctype)
{
	sess_event_init(&ev, SESS_PROTO_HTTP1, &conn);
	snprintf(ev.method, sizeof(ev.method), "GET");
	snprintf(ev.authority, sizeof(ev.authority), "api.example.com");
	snprintf(ev.path, sizeof(ev.path), "%s", path);
	ev.status = 200;
	ev.req_ns = 1000000;
	ev.resp_ns = ev.req_ns + 1000000;
	if (coding)
		sess_resp_hdr(&ev, "Content-Encoding", 16, coding, strlen(coding));
	if (ctype)
		sess_resp_hdr(&ev, "content-type", 12, ctype, strlen(ctype));
}

static size_t zpack(const void *in, size_t n, uint8_t *o, size_t cap, int wbits)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = o;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return z.total_out;
}

/* n customers with an email and a test card number each */
static size_t customers(char *p, size_t cap, int n)
{
	static const char *const cards[] = { "4111111111111111", "5555555555554444",
					     "378282246310005" };
	size_t o = (size_t)snprintf(p, cap, "{\"customers\":[");

	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(p + o, cap - o, "%s{\"id\":%d,\"email\":\"user%d@example.com\","
				      "\"card\":\"%s\",\"note\":\"customer since 20%02d\"}",
				      i ? "," : "", i, i, cards[i % 3], i % 30);
	o += (size_t)snprintf(p + o, cap - o, "]}");
	return o;
}

static void gzip_response_data_classes(void **state)
{
	static char plain[32768];
	static uint8_t z[32768];
	struct endpoint_table *t = endpoint_new(NULL);
	const struct endpoint *e;
	size_t n, zn;

	(void)state;
	/* 10 records: small, every one inside the kept prefix */
	n = customers(plain, sizeof(plain), 10);
	mkev("/export", "gzip", "application/json");
	zn = zpack(plain, n, z, sizeof(z), 31);
	sess_add_resp_body(&ev, z, zn);
	e = endpoint_observe(t, &ev, "/export", 1);
	assert_int_equal(e->resp_coded, 0);
	assert_int_equal(e->resp_scans, 1);
	assert_int_equal(e->data_resp[DATACLASS_EMAIL], 10);
	assert_int_equal(e->data_resp[DATACLASS_CARD], 10);
	assert_int_equal(e->bulk_max, 10);
	/* 200 records: 20 KiB of JSON in under 4 KiB of zlib; more than the
	 * 4 KiB a plain body keeps is read, up to 16 KiB decoded */
	n = customers(plain, sizeof(plain), 200);
	assert_true(n > 16384);
	mkev("/export", "deflate", "application/json");
	zn = zpack(plain, n, z, sizeof(z), 15);
	assert_true(zn < SESS_MAX_RESP_BODY);
	sess_add_resp_body(&ev, z, zn);
	e = endpoint_observe(t, &ev, "/export", 1);
	assert_int_equal(e->resp_scans, 2);
	assert_true(e->data_resp[DATACLASS_EMAIL] > 10 + 100);
	assert_true(e->bulk_max > 100);
	assert_int_equal(e->bulk, 2); /* 10 records is a bulk too */
	endpoint_free(t);
}

static void undecodable_response_counted_not_read(void **state)
{
	static const char list[] = "[{\"email\":\"a@example.com\"},{\"email\":\"b@example.com\"}]";
	struct endpoint_table *t = endpoint_new(NULL);
	const struct endpoint *e;

	(void)state;
	mkev("/b", "br", "application/json");
	sess_add_resp_body(&ev, list, sizeof(list) - 1);
	e = endpoint_observe(t, &ev, "/b", 1);
	assert_int_equal(e->resp_coded, 1);
	assert_int_equal(e->resp_scans, 0);
	assert_int_equal(e->data_resp[DATACLASS_EMAIL], 0);
	/* gzip in name only: not a stream, not read */
	mkev("/b", "gzip", "application/json");
	sess_add_resp_body(&ev, list, sizeof(list) - 1);
	e = endpoint_observe(t, &ev, "/b", 1);
	assert_int_equal(e->resp_coded, 2);
	assert_int_equal(e->data_resp[DATACLASS_EMAIL], 0);
	endpoint_free(t);
}

/* A gzip'd JSON request body: its data classes and parameters are read
 * from the decoded text. */
static void gzip_request_body_read(void **state)
{
	static const char body[] = "{\"contact\":{\"email\":\"x@example.com\"},\"card\":\"4111111111111111\"}";
	struct endpoint_table *t = endpoint_new(NULL);
	const struct endpoint *e;
	uint8_t z[256];
	size_t zn = zpack(body, sizeof(body) - 1, z, sizeof(z), 31);
	int email = 0;

	(void)state;
	mkev("/signup", NULL, "application/json");
	snprintf(ev.method, sizeof(ev.method), "POST");
	sess_add_hdr(&ev, "content-type", 12, "application/json", 16);
	sess_req_hdr(&ev, "content-encoding", 16, "gzip", 4);
	sess_add_body(&ev, z, zn);
	e = endpoint_observe(t, &ev, "/signup", 1);
	assert_int_equal(e->data[DATACLASS_EMAIL], 1);
	assert_int_equal(e->data[DATACLASS_CARD], 1);
	for (unsigned i = 0; i < e->n_param; i++)
		email |= strstr(e->param[i].name, "email") != NULL;
	assert_true(email);
	endpoint_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gzip_response_data_classes),
		cmocka_unit_test(undecodable_response_counted_not_read),
		cmocka_unit_test(gzip_request_body_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
