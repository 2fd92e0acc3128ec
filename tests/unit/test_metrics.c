/* test_metrics.c - the Prometheus registry and endpoint: exact exposition
 * text, label escaping, histogram buckets, caps and refusals, address
 * parsing, and real scrapes over a loopback socket (whole, dribbled,
 * wrong path, wrong method, oversized). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/metrics.h"
#include "common/metrics_http.h"

/* The two self-metrics every registry ends with (no scrape yet). */
#define SELF_TAIL(dropped, scrapes)                                              \
	"# HELP sidewatch_metrics_series_dropped_total Series updates refused because the series cap or label size was reached.\n" \
	"# TYPE sidewatch_metrics_series_dropped_total counter\n"                \
	"sidewatch_metrics_series_dropped_total " #dropped "\n"                   \
	"# HELP sidewatch_metrics_scrapes_total Requests for /metrics answered.\n" \
	"# TYPE sidewatch_metrics_scrapes_total counter\n"                        \
	"sidewatch_metrics_scrapes_total " #scrapes "\n"

static struct metrics *new_reg(void)
{
	char err[256];
	struct metrics *m = metrics_new(NULL, err, sizeof(err));

	assert_non_null(m);
	return m;
}

static char *render(struct metrics *m)
{
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(metrics_render(m, &out, &len), 0);
	assert_int_equal(strlen(out), len);
	return out;
}

static void test_counter_and_gauge_exposition_is_exact(void **state)
{
	struct metrics *m = new_reg();
	static const char *const h1[] = { "proto", "http1", NULL };
	static const char *const h2[] = { "proto", "http2", NULL };
	static const char *const two[] = { "a", "x", "b", "y", NULL };
	char *out;

	(void)state;
	assert_int_equal(metrics_register(m, "sw_events_total", METRICS_COUNTER,
					  "Events emitted.", NULL, 0), 0);
	assert_int_equal(metrics_register(m, "sw_open", METRICS_GAUGE,
					  "Open connections.", NULL, 0), 0);
	assert_int_equal(metrics_counter_set(m, "sw_events_total", h1, 7), 0);
	assert_int_equal(metrics_counter_set(m, "sw_events_total", h2, 3), 0);
	assert_int_equal(metrics_counter_add(m, "sw_events_total", h1, 2), 0);
	assert_int_equal(metrics_counter_set(m, "sw_events_total", two, 18446744073709551615ull), 0);
	assert_int_equal(metrics_gauge_set(m, "sw_open", NULL, 0.25), 0);
	out = render(m);
	assert_string_equal(out,
		SELF_TAIL(0, 0)
		"# HELP sw_events_total Events emitted.\n"
		"# TYPE sw_events_total counter\n"
		"sw_events_total{proto=\"http1\"} 9\n"
		"sw_events_total{proto=\"http2\"} 3\n"
		"sw_events_total{a=\"x\",b=\"y\"} 18446744073709551615\n"
		"# HELP sw_open Open connections.\n"
		"# TYPE sw_open gauge\n"
		"sw_open 0.25\n");
	free(out);
	metrics_free(m);
}

static void test_label_values_and_help_are_escaped(void **state)
{
	struct metrics *m = new_reg();
	static const char *const l[] = { "path", "/a\\b\"c\nd{}=,", NULL };
	char *out;

	(void)state;
	assert_int_equal(metrics_register(m, "x_total", METRICS_COUNTER,
					  "back\\slash\nnewline \"quoted\"", NULL, 0), 0);
	assert_int_equal(metrics_counter_set(m, "x_total", l, 1), 0);
	out = render(m);
	assert_non_null(strstr(out, "# HELP x_total back\\\\slash\\nnewline \"quoted\"\n"));
	assert_non_null(strstr(out, "x_total{path=\"/a\\\\b\\\"c\\nd{}=,\"} 1\n"));
	free(out);
	metrics_free(m);
}

static void test_histogram_buckets_are_cumulative_with_inf_sum_count(void **state)
{
	struct metrics *m = new_reg();
	static const double b[] = { 0.001, 0.01, 0.1 };
	static const char *const l[] = { "op", "copy", NULL };
	static const double obs[] = { 0.0005, 0.001, 0.002, 0.05, 0.5, 2 };
	char *out;

	(void)state;
	assert_int_equal(metrics_register(m, "lat_seconds", METRICS_HISTOGRAM,
					  "Latency.", b, 3), 0);
	for (size_t i = 0; i < sizeof(obs) / sizeof(obs[0]); i++)
		assert_int_equal(metrics_hist_observe(m, "lat_seconds", l, obs[i]), 0);
	assert_int_equal(metrics_hist_observe(m, "lat_seconds", NULL, 0.01), 0);
	out = render(m);
	assert_non_null(strstr(out,
		"# HELP lat_seconds Latency.\n"
		"# TYPE lat_seconds histogram\n"
		"lat_seconds_bucket{op=\"copy\",le=\"0.001\"} 2\n"
		"lat_seconds_bucket{op=\"copy\",le=\"0.01\"} 3\n"
		"lat_seconds_bucket{op=\"copy\",le=\"0.1\"} 4\n"
		"lat_seconds_bucket{op=\"copy\",le=\"+Inf\"} 6\n"
		"lat_seconds_sum{op=\"copy\"} 2.5535\n"
		"lat_seconds_count{op=\"copy\"} 6\n"
		"lat_seconds_bucket{le=\"0.001\"} 0\n"
		"lat_seconds_bucket{le=\"0.01\"} 1\n"
		"lat_seconds_bucket{le=\"0.1\"} 1\n"
		"lat_seconds_bucket{le=\"+Inf\"} 1\n"
		"lat_seconds_sum 0.01\n"
		"lat_seconds_count 1\n"));
	free(out);
	metrics_free(m);
}

static void test_special_gauge_values_use_prometheus_spelling(void **state)
{
	struct metrics *m = new_reg();
	static const char *const a[] = { "v", "nan", NULL }, *const b[] = { "v", "pinf", NULL },
		*const c[] = { "v", "ninf", NULL }, *const d[] = { "v", "big", NULL };
	char *out;

	(void)state;
	metrics_register(m, "g", METRICS_GAUGE, "", NULL, 0);
	metrics_gauge_set(m, "g", a, 0.0 / 0.0);
	metrics_gauge_set(m, "g", b, 1.0 / 0.0);
	metrics_gauge_set(m, "g", c, -1.0 / 0.0);
	metrics_gauge_set(m, "g", d, 1e300);
	out = render(m);
	assert_non_null(strstr(out, "# HELP g \n# TYPE g gauge\n"
				    "g{v=\"nan\"} NaN\ng{v=\"pinf\"} +Inf\n"
				    "g{v=\"ninf\"} -Inf\ng{v=\"big\"} 1e+300\n"));
	free(out);
	metrics_free(m);
}

struct bad_case {
	const char *name;
	int rc;
};

static void test_refusals_name_the_reason(void **state)
{
	struct metrics *m = new_reg();
	static const double up[] = { 1, 2 }, down[] = { 2, 1 };
	static const char *const le[] = { "le", "1", NULL };
	static const char *const badk[] = { "9x", "1", NULL };
	static const char *const resv[] = { "__name__", "1", NULL };
	static const char *const odd[] = { "k", NULL };
	static const struct bad_case names[] = {
		{ "", -EINVAL }, { "9abc", -EINVAL }, { "a-b", -EINVAL },
		{ "a b", -EINVAL }, { "ok_name:sub", 0 }, { "_x9", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(metrics_register(m, names[i].name, METRICS_COUNTER, "",
						  NULL, 0), names[i].rc);
	assert_int_equal(metrics_register(m, "h", METRICS_HISTOGRAM, "", down, 2), -EINVAL);
	assert_int_equal(metrics_register(m, "h", METRICS_HISTOGRAM, "", NULL, 0), -EINVAL);
	assert_int_equal(metrics_register(m, "h", METRICS_HISTOGRAM, "", up, 2), 0);
	assert_int_equal(metrics_register(m, "h", METRICS_HISTOGRAM, "", up, 2), 0);
	assert_int_equal(metrics_register(m, "h", METRICS_GAUGE, "", NULL, 0), -EINVAL);
	assert_int_equal(metrics_register(m, "c", METRICS_COUNTER, "", up, 2), -EINVAL);
	assert_int_equal(metrics_hist_observe(m, "h", le, 1), -EINVAL);
	assert_int_equal(metrics_counter_set(m, "nope", NULL, 1), -ENOENT);
	assert_int_equal(metrics_counter_set(m, "h", NULL, 1), -EINVAL);
	assert_int_equal(metrics_gauge_set(m, "_x9", NULL, 1), -EINVAL);
	assert_int_equal(metrics_counter_set(m, "_x9", badk, 1), -EINVAL);
	assert_int_equal(metrics_counter_set(m, "_x9", resv, 1), -EINVAL);
	assert_int_equal(metrics_counter_set(m, "_x9", odd, 1), -EINVAL);
	metrics_free(m);
}

static void test_series_cap_refuses_and_counts_dropped(void **state)
{
	struct metrics *m = new_reg();
	char v[32], big[METRICS_MAX_LABELS_LEN + 8];
	const char *l[] = { "id", v, NULL };
	int ok = 0, full = 0;
	char *out;

	(void)state;
	metrics_register(m, "c_total", METRICS_COUNTER, "", NULL, 0);
	for (int i = 0; i < METRICS_MAX_SERIES + 10; i++) {
		snprintf(v, sizeof(v), "%d", i);
		int rc = metrics_counter_set(m, "c_total", l, 1);

		if (rc == 0)
			ok++;
		else if (rc == -ENOSPC)
			full++;
	}
	/* the two self-metric series take their places at creation */
	assert_int_equal(ok, METRICS_MAX_SERIES - 2);
	assert_int_equal(full, 12);
	/* an existing series still updates at the cap */
	snprintf(v, sizeof(v), "5");
	assert_int_equal(metrics_counter_add(m, "c_total", l, 4), 0);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	l[1] = big;
	assert_int_equal(metrics_counter_set(m, "c_total", l, 1), -ENOSPC);
	out = render(m);
	assert_non_null(strstr(out, "c_total{id=\"5\"} 5\n"));
	free(out);
	metrics_free(m);
}

static void test_dropped_series_are_exported(void **state)
{
	struct metrics *m = new_reg();
	char big[METRICS_MAX_LABELS_LEN + 8];
	const char *l[] = { "id", big, NULL };
	char *out;

	(void)state;
	metrics_register(m, "c_total", METRICS_COUNTER, "", NULL, 0);
	memset(big, '"', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(metrics_counter_set(m, "c_total", l, 1), -ENOSPC);
	assert_int_equal(metrics_counter_set(m, "c_total", l, 1), -ENOSPC);
	out = render(m);
	assert_non_null(strstr(out, "sidewatch_metrics_series_dropped_total 2\n"));
	free(out);
	metrics_free(m);
}

struct addr_case {
	const char *text;
	int rc;
	int family;
	int port;
};

static void test_listen_addresses_parse(void **state)
{
	static const struct addr_case cases[] = {
		{ "127.0.0.1:9464", 0, AF_INET, 9464 },
		{ "0.0.0.0:0", 0, AF_INET, 0 },
		{ "[::1]:9465", 0, AF_INET6, 9465 },
		{ "[::]:1", 0, AF_INET6, 1 },
		{ "127.0.0.1", -EINVAL, 0, 0 },
		{ "127.0.0.1:", -EINVAL, 0, 0 },
		{ "127.0.0.1:65536", -EINVAL, 0, 0 },
		{ "127.0.0.1:94x", -EINVAL, 0, 0 },
		{ "localhost:9464", -EINVAL, 0, 0 },
		{ "::1:9464", -EINVAL, 0, 0 },
		{ "[::1]9464", -EINVAL, 0, 0 },
		{ ":9464", -EINVAL, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sockaddr_storage ss;
		unsigned sl = 0;
		int rc = metrics_http_parse_addr(cases[i].text, &ss, &sl);

		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d", cases[i].text, rc, cases[i].rc);
		if (rc)
			continue;
		assert_int_equal(ss.ss_family, cases[i].family);
		assert_int_equal(ntohs(ss.ss_family == AF_INET
					       ? ((struct sockaddr_in *)&ss)->sin_port
					       : ((struct sockaddr_in6 *)&ss)->sin6_port),
				 cases[i].port);
	}
}

static void test_bad_listen_address_is_a_sentence(void **state)
{
	char err[256] = "";

	(void)state;
	assert_null(metrics_new("nowhere:99", err, sizeof(err)));
	assert_non_null(strstr(err, "is not HOST:PORT"));
}

/* --- real scrapes ------------------------------------------------------------ */

static int dial(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* Send the request in pieces (serving between them), then read the whole
 * answer into out while the server is polled. */
static size_t exchange(struct metrics *m, const char *const *pieces, char *out,
		       size_t cap)
{
	int fd = dial(metrics_port(m));
	size_t n = 0;

	for (size_t i = 0; pieces[i]; i++) {
		assert_int_equal(write(fd, pieces[i], strlen(pieces[i])),
				 (ssize_t)strlen(pieces[i]));
		assert_true(metrics_poll(m, 50) >= 0);
	}
	for (int round = 0; round < 200; round++) {
		ssize_t r;

		metrics_poll(m, 10);
		r = recv(fd, out + n, cap - 1 - n, MSG_DONTWAIT);
		if (r == 0)
			break;
		if (r > 0)
			n += (size_t)r;
	}
	close(fd);
	out[n] = '\0';
	return n;
}

static struct metrics *endpoint(void)
{
	char err[256];
	struct metrics *m = metrics_new("127.0.0.1:0", err, sizeof(err));

	if (!m)
		fail_msg("%s", err);
	assert_true(metrics_port(m) > 0);
	return m;
}

/* A refresh hook that sets the gauge to the moment's value: each scrape
 * shows the state when it was answered, not the last one set by hand. */
static double refresh_now;
static int refresh_calls;

static void refresh_gauge(void *arg)
{
	refresh_calls++;
	metrics_gauge_set(arg, "sw_ring_version", NULL, refresh_now);
}

static void test_scrape_runs_the_refresh_hook_first(void **state)
{
	struct metrics *m = endpoint();
	static const char *const req[] = {
		"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", NULL };
	static const char *const page[] = {
		"GET /other HTTP/1.1\r\nHost: x\r\n\r\n", NULL };
	static char buf[65536];

	(void)state;
	refresh_calls = 0;
	metrics_register(m, "sw_ring_version", METRICS_GAUGE, "Ring.", NULL, 0);
	metrics_gauge_set(m, "sw_ring_version", NULL, 1);
	refresh_now = 2;
	exchange(m, req, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\nsw_ring_version 1\n")); /* no hook yet */
	metrics_set_refresh(m, refresh_gauge, m);
	exchange(m, req, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\nsw_ring_version 2\n"));
	assert_int_equal(refresh_calls, 1);
	refresh_now = 3;
	exchange(m, req, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\nsw_ring_version 3\n"));
	/* other paths (404 here) do not run it */
	exchange(m, page, buf, sizeof(buf));
	assert_true(!strncmp(buf, "HTTP/1.1 404", 12));
	assert_int_equal(refresh_calls, 2);
	metrics_set_refresh(m, NULL, NULL);
	refresh_now = 4;
	exchange(m, req, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\nsw_ring_version 3\n"));
	metrics_free(m);
}

static void test_scrape_over_socket_returns_the_exposition(void **state)
{
	struct metrics *m = endpoint();
	static const char *const l[] = { "proto", "http1", NULL };
	static const char *const req[] = {
		"GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n", NULL };
	static char buf[65536];
	char *body, *want;
	size_t wl;

	(void)state;
	metrics_register(m, "sw_events_total", METRICS_COUNTER, "Events.", NULL, 0);
	metrics_counter_set(m, "sw_events_total", l, 42);
	exchange(m, req, buf, sizeof(buf));
	assert_true(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17));
	assert_non_null(strstr(buf, "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
	assert_non_null(strstr(buf, "Connection: close\r\n"));
	body = strstr(buf, "\r\n\r\n");
	assert_non_null(body);
	body += 4;
	/* the scrape counts itself; a render now shows the same text */
	assert_int_equal(metrics_render(m, &want, &wl), 0);
	assert_string_equal(body, want);
	assert_non_null(strstr(body, "sw_events_total{proto=\"http1\"} 42\n"));
	assert_non_null(strstr(body, "sidewatch_metrics_scrapes_total 1\n"));
	{
		char cl[64];

		snprintf(cl, sizeof(cl), "Content-Length: %zu\r\n", wl);
		assert_non_null(strstr(buf, cl));
	}
	free(want);
	metrics_free(m);
}

static void test_dribbled_request_is_answered_once_complete(void **state)
{
	struct metrics *m = endpoint();
	static const char *const req[] = { "GE", "T /metr", "ics?x=1 HTTP/1.0\r", "\n\r\n", NULL };
	static char buf[65536];

	(void)state;
	exchange(m, req, buf, sizeof(buf));
	assert_true(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17));
	assert_non_null(strstr(buf, "sidewatch_metrics_scrapes_total 1\n"));
	metrics_free(m);
}

struct http_case {
	const char *name;
	const char *req;
	const char *status;
};

static void test_other_requests_get_errors(void **state)
{
	static const struct http_case cases[] = {
		{ "unknown path", "GET /other HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found\r\n" },
		{ "prefix of the path", "GET /metricsx HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found\r\n" },
		{ "POST", "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
		  "HTTP/1.1 405 Method Not Allowed\r\n" },
		{ "not HTTP", "hello there\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
		{ "HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
	};
	struct metrics *m = endpoint();
	static char buf[65536];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *req[] = { cases[i].req, NULL };

		exchange(m, req, buf, sizeof(buf));
		if (strncmp(buf, cases[i].status, strlen(cases[i].status)))
			fail_msg("%s: got '%.40s'", cases[i].name, buf);
	}
	metrics_free(m);
}

/* The owner's page callback: what it saw, and what it answers. */
struct page_seen {
	char path[64], query[64];
	int calls;
};

static int page_cb(void *arg, const char *path, const char *query, char **out,
		   size_t *len)
{
	struct page_seen *ps = arg;

	ps->calls++;
	snprintf(ps->path, sizeof(ps->path), "%s", path);
	snprintf(ps->query, sizeof(ps->query), "%s", query);
	if (!strcmp(path, "/bad.json"))
		return -EINVAL;
	if (strcmp(path, "/inventory.json"))
		return -ENOENT;
	*out = strdup("{\"items\":[]}");
	*len = strlen(*out);
	return 0;
}

static void test_pages_go_to_the_owner_with_their_query(void **state)
{
	static const struct http_case cases[] = {
		{ "page", "GET /inventory.json?authority=a%3A1 HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n" },
		{ "page refused", "GET /bad.json HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
		{ "no such page", "GET /nope HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found\r\n" },
	};
	struct page_seen ps = {0};
	struct metrics *m = endpoint();
	static char buf[65536];
	const char *req[] = { cases[0].req, NULL };

	(void)state;
	metrics_set_pages(m, page_cb, &ps);
	exchange(m, req, buf, sizeof(buf));
	assert_true(!strncmp(buf, cases[0].status, strlen(cases[0].status)));
	assert_non_null(strstr(buf, "Content-Type: application/json\r\n"));
	assert_non_null(strstr(buf, "\r\n\r\n{\"items\":[]}"));
	assert_string_equal(ps.path, "/inventory.json");
	assert_string_equal(ps.query, "authority=a%3A1");
	for (size_t i = 1; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req[0] = cases[i].req;
		exchange(m, req, buf, sizeof(buf));
		if (strncmp(buf, cases[i].status, strlen(cases[i].status)))
			fail_msg("%s: got '%.40s'", cases[i].name, buf);
	}
	assert_int_equal(ps.calls, 3);
	/* /metrics never reaches the owner */
	req[0] = "GET /metrics HTTP/1.1\r\n\r\n";
	exchange(m, req, buf, sizeof(buf));
	assert_true(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17));
	assert_int_equal(ps.calls, 3);
	metrics_set_pages(m, NULL, NULL);
	req[0] = cases[0].req;
	exchange(m, req, buf, sizeof(buf));
	assert_true(!strncmp(buf, "HTTP/1.1 404 Not Found\r\n", 24));
	metrics_free(m);
}

static void test_oversized_request_is_refused_with_431(void **state)
{
	struct metrics *m = endpoint();
	static char big[METRICS_MAX_REQUEST * 2], buf[4096];
	const char *req[] = { big, NULL };

	(void)state;
	memcpy(big, "GET /metrics HTTP/1.1\r\nX: ", 26);
	memset(big + 26, 'a', sizeof(big) - 27);
	exchange(m, req, buf, sizeof(buf));
	assert_true(!strncmp(buf, "HTTP/1.1 431 ", 13));
	metrics_free(m);
}

static void test_silent_clients_beyond_the_table_do_not_block_scrapes(void **state)
{
	struct metrics *m = endpoint();
	static const char *const req[] = { "GET /metrics HTTP/1.1\r\n\r\n", NULL };
	static char buf[65536];
	int idle[METRICS_MAX_CLIENTS - 1];

	(void)state;
	/* all but one slot held by connections that never speak */
	for (int i = 0; i < METRICS_MAX_CLIENTS - 1; i++) {
		idle[i] = dial(metrics_port(m));
		metrics_poll(m, 10);
	}
	exchange(m, req, buf, sizeof(buf));
	assert_true(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17));
	for (int i = 0; i < METRICS_MAX_CLIENTS - 1; i++)
		close(idle[i]);
	metrics_poll(m, 10);
	metrics_free(m);
}

static void test_poll_without_endpoint_returns_at_once(void **state)
{
	struct metrics *m = new_reg();

	(void)state;
	assert_int_equal(metrics_port(m), 0);
	assert_int_equal(metrics_poll(m, 1000), 0);
	metrics_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_and_gauge_exposition_is_exact),
		cmocka_unit_test(test_label_values_and_help_are_escaped),
		cmocka_unit_test(test_histogram_buckets_are_cumulative_with_inf_sum_count),
		cmocka_unit_test(test_special_gauge_values_use_prometheus_spelling),
		cmocka_unit_test(test_refusals_name_the_reason),
		cmocka_unit_test(test_series_cap_refuses_and_counts_dropped),
		cmocka_unit_test(test_dropped_series_are_exported),
		cmocka_unit_test(test_listen_addresses_parse),
		cmocka_unit_test(test_bad_listen_address_is_a_sentence),
		cmocka_unit_test(test_scrape_over_socket_returns_the_exposition),
		cmocka_unit_test(test_dribbled_request_is_answered_once_complete),
		cmocka_unit_test(test_other_requests_get_errors),
		cmocka_unit_test(test_pages_go_to_the_owner_with_their_query),
		cmocka_unit_test(test_oversized_request_is_refused_with_431),
		cmocka_unit_test(test_silent_clients_beyond_the_table_do_not_block_scrapes),
		cmocka_unit_test(test_poll_without_endpoint_returns_at_once),
		cmocka_unit_test(test_scrape_runs_the_refresh_hook_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
