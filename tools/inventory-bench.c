/* tools/inventory-bench.c - the API inventory learner's CPU per request and
 * its memory at 10k endpoints.
 *   cc -O2 -I. tools/inventory-bench.c build/libcollector.a build/libcommon.a -o build/inventory-bench
 *   build/inventory-bench [REQUESTS] [CORPUS]
 * CPU: endpoint_observe (what the collector adds per session event; the
 * template comes from the judge, which computes it anyway) timed with the
 * thread's CPU clock over REQUESTS events (default 200000) of five kinds in
 * turn, values drawn from CORPUS (default tests/data/benign.txt):
 *   GET  /api/v2/customers/N?limit=N&q=WORD, Bearer JWT (HS256, exp),
 *        answered with a JSON customer (email, card, phone)
 *   POST /api/v2/orders, a JSON body of 8 fields (an email, a nested array),
 *        answered with a small JSON object
 *   POST /api/v1/login, a form body, a session cookie
 *   GET  /health, no credentials
 *   POST /demo.Echo/Unary (gRPC), 20 bytes of message
 * spread over 64 authorities (the scan budget lifted: every scan due is
 * made and timed), so 320 endpoints learn at once; prints the
 * median and p99 in microseconds. Memory: a table of 10000 entries filled
 * with 10000 distinct endpoints (each with parameters), the process's
 * resident set before and after, and sizeof(struct endpoint).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/inventory/endpoint.h"

static char *words[4096];
static int nw;
static unsigned rs = 12345;
static unsigned rnd(void) { rs = rs * 1103515245u + 12345u; return rs >> 8; }

/* a corpus line as a JSON- and query-safe word */
static const char *word(char *out, size_t cap)
{
	const char *w = words[rnd() % nw];
	size_t k = 0;

	for (; *w && k + 1 < cap; w++)
		out[k++] = (*w >= 'a' && *w <= 'z') || (*w >= '0' && *w <= '9') ? *w : '_';
	out[k] = 0;
	return out;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double now_us(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static long rss_kib(void)
{
	long pages = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * 4;
}

static struct sess_conn conn;
static const char *jwt =
	"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
	"eyJzdWIiOiJ1c2VyLTciLCJleHAiOjE5MDAwMDAwMDAsImlzcyI6ImJlbmNoIn0."
	"c2lnbmF0dXJlLW5vdC1jaGVja2VkLWhlcmUtMDEyMzQ1Njc4OQ";

/* event i of the mix; *tmpl gets its template */
static void mkev(struct sess_event *ev, unsigned i, const char **tmpl)
{
	char w1[40], w2[40], body[1024];
	int n;

	sess_event_init(ev, (i % 5) == 4 ? SESS_PROTO_GRPC : SESS_PROTO_HTTP1, &conn);
	snprintf(ev->authority, sizeof(ev->authority), "api%u.example.com:8080", (i / 5) % 64);
	ev->status = 200;
	ev->req_ns = 1000000;
	ev->resp_ns = ev->req_ns + 1000 * (200 + rnd() % 5000);
	ev->req_bytes = 300 + rnd() % 2000;
	ev->resp_bytes = 200 + rnd() % 20000;
	switch (i % 5) {
	case 0:
		strcpy(ev->method, "GET");
		snprintf(ev->path, sizeof(ev->path), "/api/v2/customers/%u", rnd() % 100000);
		snprintf(ev->query, sizeof(ev->query), "limit=%u&q=%s", rnd() % 100, word(w1, sizeof(w1)));
		sess_add_hdr(ev, "authorization", 13, jwt, strlen(jwt));
		n = snprintf(body, sizeof(body),
			     "{\"id\":%u,\"name\":\"%s\",\"email\":\"%s@example.com\","
			     "\"card\":\"4111111111111111\",\"phone\":\"+44 20 7946 0958\","
			     "\"since\":\"2026-01-0%uT00:00:00Z\"}",
			     rnd() % 100000, word(w1, sizeof(w1)), w1, 1 + rnd() % 9);
		sess_resp_hdr(ev, "content-type", 12, "application/json", 16);
		sess_add_resp_body(ev, body, (size_t)n);
		*tmpl = "/api/v2/customers/{id}";
		break;
	case 1:
		strcpy(ev->method, "POST");
		strcpy(ev->path, "/api/v2/orders");
		sess_add_hdr(ev, "authorization", 13, jwt, strlen(jwt));
		sess_add_hdr(ev, "content-type", 12, "application/json", 16);
		n = snprintf(body, sizeof(body),
			     "{\"customer_id\":%u,\"email\":\"%s@example.com\",\"amount\":%u.25,"
			     "\"express\":%s,\"note\":\"%s\",\"placed\":\"2026-12-04T10:00:00Z\","
			     "\"items\":[{\"sku\":\"%s\",\"qty\":%u},{\"sku\":\"b\",\"qty\":2}],"
			     "\"ref\":\"6f1c2a4e-3b5d-4c7e-9f80-123456789abc\"}",
			     rnd() % 1000, word(w1, sizeof(w1)), rnd() % 500,
			     rnd() & 1 ? "true" : "false", word(w2, sizeof(w2)), w1, rnd() % 9);
		sess_add_body(ev, body, (size_t)n);
		sess_resp_hdr(ev, "content-type", 12, "application/json; charset=utf-8", 31);
		sess_add_resp_body(ev, "{\"order\":\"o-1\",\"state\":\"queued\"}", 32);
		*tmpl = "/api/v2/orders";
		break;
	case 2:
		strcpy(ev->method, "POST");
		strcpy(ev->path, "/api/v1/login");
		sess_add_hdr(ev, "cookie", 6, "session=0123456789abcdef0123456789abcdef", 40);
		sess_add_hdr(ev, "content-type", 12, "application/x-www-form-urlencoded", 33);
		n = snprintf(body, sizeof(body), "user=%s&remember=true&next=%%2Fhome",
			     word(w1, sizeof(w1)));
		sess_add_body(ev, body, (size_t)n);
		*tmpl = "/api/v1/login";
		break;
	case 3:
		strcpy(ev->method, "GET");
		strcpy(ev->path, "/health");
		*tmpl = "/health";
		break;
	default:
		strcpy(ev->method, "POST");
		strcpy(ev->path, "/demo.Echo/Unary");
		strcpy(ev->service, "demo.Echo");
		strcpy(ev->rpc, "Unary");
		ev->grpc_status = 0;
		sess_add_hdr(ev, "content-type", 12, "application/grpc", 16);
		sess_add_body(ev, "\0\0\0\0\017hello-inventory", 20);
		*tmpl = "/demo.Echo/Unary";
		break;
	}
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 200000, i;
	const char *corpus = argc > 2 ? argv[2] : "tests/data/benign.txt";
	static struct sess_event ev;
	struct endpoint_config cfg;
	struct endpoint_table *t;
	struct endpoint_stats st;
	char line[512];
	double *us, sum = 0;
	long r0, r1;
	FILE *f = fopen(corpus, "r");

	if (!f || n == 0) {
		fprintf(stderr, "inventory-bench: cannot read %s\n", corpus);
		return 1;
	}
	while (nw < 4096 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0])
			words[nw++] = strdup(line);
	}
	fclose(f);
	us = malloc(sizeof(*us) * n);
	endpoint_config_default(&cfg);
	cfg.data_per_sec = 1000000;
	t = endpoint_new(&cfg);
	if (!us || !t || !nw)
		return 1;
	for (i = 0; i < n; i++) {
		const char *tmpl = NULL;
		double a;

		mkev(&ev, i, &tmpl);
		a = now_us(CLOCK_THREAD_CPUTIME_ID);
		endpoint_observe(t, &ev, tmpl, 1700000000000000ull + i);
		us[i] = now_us(CLOCK_THREAD_CPUTIME_ID) - a;
		sum += us[i];
	}
	endpoint_get_stats(t, &st);
	qsort(us, n, sizeof(*us), cmpd);
	printf("cpu: %u events, %llu endpoints, %llu scanned (%llu over budget): median %.2f us, p99 %.2f us, mean %.2f us\n",
	       n, (unsigned long long)st.endpoints, (unsigned long long)st.data_scans,
	       (unsigned long long)st.data_skipped, us[n / 2], us[(size_t)(n * 0.99)], sum / n);
	endpoint_free(t);

	/* memory at 10k endpoints */
	cfg.max_endpoints = 10000;
	r0 = rss_kib();
	t = endpoint_new(&cfg);
	for (i = 0; i < 10000; i++) {
		char tmpl[64];
		const char *ignored;

		mkev(&ev, i * 5 + 1, &ignored); /* the JSON order: 9 parameters */
		snprintf(tmpl, sizeof(tmpl), "/api/v2/orders%u", i);
		endpoint_observe(t, &ev, tmpl, 1700000000000000ull + i);
	}
	r1 = rss_kib();
	endpoint_get_stats(t, &st);
	printf("memory: %llu endpoints, resident %ld KiB more (%.1f KiB each), sizeof(struct endpoint) %zu bytes\n",
	       (unsigned long long)st.endpoints, r1 - r0, (double)(r1 - r0) / 10000.0,
	       sizeof(struct endpoint));
	endpoint_free(t);
	free(us);
	return 0;
}
