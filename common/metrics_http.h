/* metrics_http.h - the /metrics endpoint of a registry (metrics.h): one
 * non-blocking listening socket serviced from the owner's loop, no thread,
 * no lock. GET /metrics answers with the body its owner renders through a
 * callback; anything else gets 404/405/400. At most METRICS_MAX_CLIENTS
 * connections at once, each with a bounded request and a deadline, closed
 * after the answer. An owner may serve further GET paths as JSON through
 * a page callback (the collector's /inventory.json, /openapi.json).
 *
 * In: scrapes. Out: what the render callback returns, and a count of the
 * requests for /metrics. It knows nothing of families and series.
 */
#ifndef SW_METRICS_HTTP_H
#define SW_METRICS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "common/metrics.h" /* the METRICS_MAX_* limits */

struct metrics_http_client {
	int fd;               /* -1: free slot */
	size_t rlen;
	char req[METRICS_MAX_REQUEST];
	char *out;            /* the answer, once there is one */
	size_t olen, off;
	uint64_t deadline_ms; /* CLOCK_MONOTONIC */
};

/* Fill *out (malloc'd, NUL-terminated) and *len; 0 or -ENOMEM. */
typedef int (*metrics_http_render_fn)(void *arg, char **out, size_t *len);

/* Another GET path than /metrics (path without the query; query after the
 * '?', "" when none): fill *out (malloc'd JSON) and *len and return 0, or
 * -ENOENT (404), -EINVAL (400), -EAGAIN (503, try again in a second),
 * -E2BIG (500, the document is over its cap), -ENOMEM (500). */
typedef int (*metrics_http_page_fn)(void *arg, const char *path,
				    const char *query, char **out, size_t *len);

struct metrics_http {
	int lfd;              /* -1: no endpoint */
	int port;
	uint64_t scrapes;     /* requests for /metrics */
	metrics_http_page_fn page; /* NULL: only /metrics */
	void *page_arg;
	/* non-empty: the pages (never /metrics) answer 401 unless the request
	 * carries "Authorization: Bearer <page_token>" */
	char page_token[METRICS_MAX_TOKEN];
	struct metrics_http_client cl[METRICS_MAX_CLIENTS];
};

/* No socket yet: polls answer nothing, close is a no-op. */
void metrics_http_init(struct metrics_http *h);
/* Listen on "HOST:PORT" / "[V6]:PORT" (port 0 picks one). Returns 0, or
 * -1 with one sentence in err. */
int metrics_http_listen(struct metrics_http *h, const char *addr, char *err,
			size_t errlen);
/* Close the clients and the listening socket. */
void metrics_http_close(struct metrics_http *h);

/* Accept, read and answer scrapes for up to timeout_ms (0: only what is
 * ready now), rendering through render(arg). Returns the number of
 * requests answered, or -errno. */
int metrics_http_poll(struct metrics_http *h, int timeout_ms,
		      metrics_http_render_fn render, void *arg);

/* Split "HOST:PORT" / "[V6]:PORT" into a socket address. 0 or -EINVAL. */
struct sockaddr_storage;
int metrics_http_parse_addr(const char *text, struct sockaddr_storage *ss,
			    unsigned *sslen);

#endif /* SW_METRICS_HTTP_H */
