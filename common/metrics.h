/* metrics.h - a bounded Prometheus registry and a tiny /metrics endpoint.
 *
 * Families (counter, gauge, histogram) are registered by name with their
 * HELP text; series are created on first update from the family name and a
 * NULL-terminated list of label name/value pairs:
 *
 *     static const char *const l[] = { "proto", "http1", NULL };
 *     metrics_counter_set(m, "sidewatch_events_total", l, n);
 *
 * The number of families and series is capped at creation; an update that
 * would create a series beyond the cap is refused (-ENOSPC) and counted in
 * sidewatch_metrics_series_dropped_total, so a label value an attacker can
 * choose never grows memory. Label values are escaped on the way out.
 *
 * The HTTP side (metrics_http.c, which knows nothing of families) is one
 * non-blocking listening socket serviced from the owner's loop by
 * metrics_poll(): no thread, no lock. GET /metrics answers
 * the text exposition format 0.0.4; other GET paths go to the owner's page
 * callback (metrics_set_pages) or get 404; other methods 405, junk 400. At most
 * METRICS_MAX_CLIENTS connections at once, each with a bounded request and
 * a deadline, closed after the answer.
 */
#ifndef SW_METRICS_H
#define SW_METRICS_H

#include <stddef.h>
#include <stdint.h>

#ifndef METRICS_MAX_FAMILIES
#define METRICS_MAX_FAMILIES 256
#endif
#ifndef METRICS_MAX_SERIES
#define METRICS_MAX_SERIES 2048
#endif
#ifndef METRICS_MAX_BUCKETS
#define METRICS_MAX_BUCKETS 24   /* histogram upper bounds, +Inf excluded */
#endif
#ifndef METRICS_MAX_LABELS_LEN
#define METRICS_MAX_LABELS_LEN 512 /* one series' escaped label text */
#endif
#ifndef METRICS_MAX_CLIENTS
#define METRICS_MAX_CLIENTS 8
#endif
#ifndef METRICS_MAX_TOKEN
#define METRICS_MAX_TOKEN 128    /* the pages' bearer token, NUL included */
#endif
#ifndef METRICS_MAX_REQUEST
#define METRICS_MAX_REQUEST 4096   /* request line + headers */
#endif
#ifndef METRICS_CLIENT_TIMEOUT_MS
#define METRICS_CLIENT_TIMEOUT_MS 5000
#endif

enum metrics_type {
	METRICS_COUNTER = 0,
	METRICS_GAUGE = 1,
	METRICS_HISTOGRAM = 2,
};

struct metrics;

/* A registry; listen "HOST:PORT" (IPv4, or [IPv6]:PORT; port 0 picks a
 * free one) opens the endpoint, NULL or "" makes a registry without one.
 * Returns NULL with one sentence in err. */
struct metrics *metrics_new(const char *listen, char *err, size_t errlen);
void metrics_free(struct metrics *m);

/* The bound TCP port, 0 without an endpoint. */
int metrics_port(const struct metrics *m);

/* Register a family. name: [a-zA-Z_:][a-zA-Z0-9_:]*; help: one line.
 * Histograms take strictly increasing finite upper bounds (the +Inf bucket
 * is implied); others pass NULL, 0. Registering the same name and type
 * again is a no-op. Returns 0, -EINVAL (bad name, bounds or type clash),
 * -ENOSPC (too many families). */
int metrics_register(struct metrics *m, const char *name, enum metrics_type type,
		     const char *help, const double *bounds, size_t nbounds);

/* Series updates. labels: NULL, or NULL-terminated name, value, ... pairs
 * (names [a-zA-Z_][a-zA-Z0-9_]*, not "le" on histograms; values any bytes).
 * Returns 0, -ENOENT (family not registered), -EINVAL (wrong type or bad
 * label name), -ENOSPC (series cap or label text too long). */
int metrics_counter_set(struct metrics *m, const char *name,
			const char *const *labels, uint64_t value);
int metrics_counter_add(struct metrics *m, const char *name,
			const char *const *labels, uint64_t delta);
int metrics_gauge_set(struct metrics *m, const char *name,
		      const char *const *labels, double value);
int metrics_hist_observe(struct metrics *m, const char *name,
			 const char *const *labels, double value);
/* n observations with one series lookup (hot paths). */
int metrics_hist_observe_n(struct metrics *m, const char *name,
			   const char *const *labels, const double *values,
			   size_t n);

/* The exposition text, NUL-terminated, in *out (free() it). Families in
 * registration order, series in creation order. Returns 0 or -ENOMEM. */
int metrics_render(struct metrics *m, char **out, size_t *len);

/* Accept, read and answer scrapes for up to timeout_ms (0: only what is
 * ready now). Returns the number of requests answered, or -errno. */
int metrics_poll(struct metrics *m, int timeout_ms);

/* Serve further GET paths on the endpoint (metrics_http.h's page
 * callback); fn NULL: only /metrics. */
typedef int (*metrics_page_fn)(void *arg, const char *path, const char *query,
			       char **out, size_t *len);
void metrics_set_pages(struct metrics *m, metrics_page_fn fn, void *arg);
/* Called just before each /metrics answer is rendered, so that a scrape
 * reads the state of that moment rather than the last periodic update's
 * (a change made since, such as a new shard ring, shows at once); fn NULL:
 * none. */
typedef void (*metrics_refresh_fn)(void *arg);
void metrics_set_refresh(struct metrics *m, metrics_refresh_fn fn, void *arg);
/* Require "Authorization: Bearer TOKEN" for the pages (not /metrics);
 * "" or NULL: none. -EINVAL when longer than METRICS_MAX_TOKEN - 1. */
int metrics_set_page_token(struct metrics *m, const char *token);

#endif /* SW_METRICS_H */
