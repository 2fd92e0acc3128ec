/* metrics.c - bounded Prometheus registry and a non-blocking /metrics
 * endpoint serviced from the owner's poll loop (see metrics.h). */
#include "common/metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DROPPED_NAME "sidewatch_metrics_series_dropped_total"
#define SCRAPES_NAME "sidewatch_metrics_scrapes_total"

struct family {
	char name[128];
	char help[256];
	enum metrics_type type;
	size_t nbounds;
	double bounds[METRICS_MAX_BUCKETS];
};

struct series {
	uint32_t fam;
	uint32_t hash;
	char labels[METRICS_MAX_LABELS_LEN]; /* escaped: a="x",b="y" */
	uint64_t count;     /* counter value, or histogram observations */
	double value;       /* gauge value, or histogram sum */
	uint64_t buckets[METRICS_MAX_BUCKETS]; /* per bound, not cumulative */
};

struct client {
	int fd;
	size_t rlen;
	char req[METRICS_MAX_REQUEST];
	char *out;
	size_t olen, off;
	uint64_t deadline_ms;
};

struct metrics {
	int lfd;
	int port;
	size_t nfam, nser;
	struct family fams[METRICS_MAX_FAMILIES];
	struct series *ser[METRICS_MAX_SERIES];
	uint64_t dropped;
	uint64_t scrapes;
	struct client cl[METRICS_MAX_CLIENTS];
};

/* --- growable text buffer --------------------------------------------- */

struct mbuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void mb_put(struct mbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *np;

		while (b->len + n + 1 > cap)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void mb_puts(struct mbuf *b, const char *s)
{
	mb_put(b, s, strlen(s));
}

static void mb_printf(struct mbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void mb_printf(struct mbuf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		mb_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* --- names, numbers, escaping ------------------------------------------ */

static int valid_name(const char *s, int colon_ok)
{
	size_t i;

	if (!s || !*s || strlen(s) >= sizeof(((struct family *)0)->name))
		return 0;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			    (colon_ok && c == ':');

		if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
			return 0;
	}
	return 1;
}

/* Shortest text that reads back as the same double; Prometheus spellings
 * for the special values. */
static void fmt_double(char *out, size_t cap, double v)
{
	if (isnan(v)) {
		snprintf(out, cap, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(out, cap, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, cap, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/* Label values: backslash, double quote and line feed are escaped (the
 * exposition format's three). Returns -ENOSPC when cap is exceeded. */
static int esc_label(char *dst, size_t cap, size_t *pos, const char *v)
{
	for (; *v; v++) {
		const char *rep = NULL;
		char one[2] = { *v, 0 };
		size_t n;

		if (*v == '\\')
			rep = "\\\\";
		else if (*v == '"')
			rep = "\\\"";
		else if (*v == '\n')
			rep = "\\n";
		else
			rep = one;
		n = strlen(rep);
		if (*pos + n + 1 > cap)
			return -ENOSPC;
		memcpy(dst + *pos, rep, n);
		*pos += n;
	}
	dst[*pos] = '\0';
	return 0;
}

/* HELP text: backslash and line feed only. */
static void esc_help(struct mbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			mb_puts(b, "\\\\");
		else if (*s == '\n')
			mb_puts(b, "\\n");
		else
			mb_put(b, s, 1);
	}
}

static int build_labels(const struct family *f, const char *const *labels,
			char *out, size_t cap)
{
	size_t pos = 0;

	out[0] = '\0';
	for (size_t i = 0; labels && labels[i]; i += 2) {
		const char *k = labels[i], *v = labels[i + 1];
		size_t kl = strlen(k);

		if (!v || !valid_name(k, 0) || !strncmp(k, "__", 2) ||
		    (f->type == METRICS_HISTOGRAM && !strcmp(k, "le")))
			return -EINVAL;
		if (pos + kl + 4 + (i ? 1 : 0) > cap)
			return -ENOSPC;
		if (i)
			out[pos++] = ',';
		memcpy(out + pos, k, kl);
		pos += kl;
		out[pos++] = '=';
		out[pos++] = '"';
		if (esc_label(out, cap, &pos, v))
			return -ENOSPC;
		if (pos + 2 > cap)
			return -ENOSPC;
		out[pos++] = '"';
		out[pos] = '\0';
	}
	return 0;
}

static uint32_t fnv(uint32_t fam, const char *s)
{
	uint32_t h = 2166136261u ^ fam;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* --- registry ------------------------------------------------------------ */

static int find_family(const struct metrics *m, const char *name)
{
	for (size_t i = 0; i < m->nfam; i++)
		if (!strcmp(m->fams[i].name, name))
			return (int)i;
	return -1;
}

int metrics_register(struct metrics *m, const char *name, enum metrics_type type,
		     const char *help, const double *bounds, size_t nbounds)
{
	struct family *f;
	int i;

	if (!m || !valid_name(name, 1) || type > METRICS_HISTOGRAM)
		return -EINVAL;
	i = find_family(m, name);
	if (i >= 0)
		return m->fams[i].type == type ? 0 : -EINVAL;
	if (type == METRICS_HISTOGRAM) {
		if (!bounds || !nbounds || nbounds > METRICS_MAX_BUCKETS)
			return -EINVAL;
		for (size_t j = 0; j < nbounds; j++)
			if (!isfinite(bounds[j]) || (j && bounds[j] <= bounds[j - 1]))
				return -EINVAL;
	} else if (nbounds) {
		return -EINVAL;
	}
	if (m->nfam >= METRICS_MAX_FAMILIES)
		return -ENOSPC;
	f = &m->fams[m->nfam];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->help, sizeof(f->help), "%s", help ? help : "");
	f->type = type;
	f->nbounds = nbounds;
	if (nbounds)
		memcpy(f->bounds, bounds, nbounds * sizeof(double));
	m->nfam++;
	return 0;
}

/* The series of (name, labels), created if new. */
static int get_series(struct metrics *m, const char *name, enum metrics_type type,
		      const char *const *labels, struct series **out)
{
	char lt[METRICS_MAX_LABELS_LEN];
	struct series *s;
	uint32_t h;
	int fi, rc;

	if (!m || !name)
		return -EINVAL;
	fi = find_family(m, name);
	if (fi < 0)
		return -ENOENT;
	if (m->fams[fi].type != type)
		return -EINVAL;
	rc = build_labels(&m->fams[fi], labels, lt, sizeof(lt));
	if (rc == -ENOSPC)
		m->dropped++;
	if (rc)
		return rc;
	h = fnv((uint32_t)fi, lt);
	for (size_t i = 0; i < m->nser; i++) {
		s = m->ser[i];
		if (s->hash == h && s->fam == (uint32_t)fi && !strcmp(s->labels, lt)) {
			*out = s;
			return 0;
		}
	}
	if (m->nser >= METRICS_MAX_SERIES) {
		m->dropped++;
		return -ENOSPC;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fam = (uint32_t)fi;
	s->hash = h;
	memcpy(s->labels, lt, strlen(lt) + 1);
	m->ser[m->nser++] = s;
	*out = s;
	return 0;
}

int metrics_counter_set(struct metrics *m, const char *name,
			const char *const *labels, uint64_t value)
{
	struct series *s;
	int rc = get_series(m, name, METRICS_COUNTER, labels, &s);

	if (!rc)
		s->count = value;
	return rc;
}

int metrics_counter_add(struct metrics *m, const char *name,
			const char *const *labels, uint64_t delta)
{
	struct series *s;
	int rc = get_series(m, name, METRICS_COUNTER, labels, &s);

	if (!rc)
		s->count += delta;
	return rc;
}

int metrics_gauge_set(struct metrics *m, const char *name,
		      const char *const *labels, double value)
{
	struct series *s;
	int rc = get_series(m, name, METRICS_GAUGE, labels, &s);

	if (!rc)
		s->value = value;
	return rc;
}

int metrics_hist_observe_n(struct metrics *m, const char *name,
			   const char *const *labels, const double *values,
			   size_t n)
{
	struct series *s;
	const struct family *f;
	int rc = get_series(m, name, METRICS_HISTOGRAM, labels, &s);

	if (rc)
		return rc;
	f = &m->fams[s->fam];
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < f->nbounds; i++) {
			if (values[k] <= f->bounds[i]) {
				s->buckets[i]++;
				break;
			}
		}
		s->count++;
		s->value += values[k];
	}
	return 0;
}

int metrics_hist_observe(struct metrics *m, const char *name,
			 const char *const *labels, double value)
{
	return metrics_hist_observe_n(m, name, labels, &value, 1);
}

/* --- exposition ----------------------------------------------------------- */

static void put_sample(struct mbuf *b, const char *name, const char *suffix,
		       const char *labels, const char *extra, const char *val)
{
	mb_puts(b, name);
	mb_puts(b, suffix);
	if (*labels || *extra) {
		mb_puts(b, "{");
		mb_puts(b, labels);
		if (*labels && *extra)
			mb_puts(b, ",");
		mb_puts(b, extra);
		mb_puts(b, "}");
	}
	mb_puts(b, " ");
	mb_puts(b, val);
	mb_puts(b, "\n");
}

static const char *type_name(enum metrics_type t)
{
	return t == METRICS_COUNTER ? "counter" : t == METRICS_GAUGE ? "gauge" : "histogram";
}

int metrics_render(struct metrics *m, char **out, size_t *len)
{
	struct mbuf b = {0};
	char num[64], le[80];

	metrics_counter_set(m, DROPPED_NAME, NULL, m->dropped);
	metrics_counter_set(m, SCRAPES_NAME, NULL, m->scrapes);
	for (size_t fi = 0; fi < m->nfam; fi++) {
		const struct family *f = &m->fams[fi];

		mb_printf(&b, "# HELP %s ", f->name);
		esc_help(&b, f->help);
		mb_printf(&b, "\n# TYPE %s %s\n", f->name, type_name(f->type));
		for (size_t si = 0; si < m->nser; si++) {
			const struct series *s = m->ser[si];
			uint64_t cum = 0;

			if (s->fam != fi)
				continue;
			if (f->type == METRICS_COUNTER) {
				snprintf(num, sizeof(num), "%" PRIu64, s->count);
				put_sample(&b, f->name, "", s->labels, "", num);
			} else if (f->type == METRICS_GAUGE) {
				fmt_double(num, sizeof(num), s->value);
				put_sample(&b, f->name, "", s->labels, "", num);
			} else {
				for (size_t i = 0; i < f->nbounds; i++) {
					cum += s->buckets[i];
					fmt_double(num, sizeof(num), f->bounds[i]);
					snprintf(le, sizeof(le), "le=\"%s\"", num);
					snprintf(num, sizeof(num), "%" PRIu64, cum);
					put_sample(&b, f->name, "_bucket", s->labels, le, num);
				}
				snprintf(num, sizeof(num), "%" PRIu64, s->count);
				put_sample(&b, f->name, "_bucket", s->labels, "le=\"+Inf\"", num);
				fmt_double(num, sizeof(num), s->value);
				put_sample(&b, f->name, "_sum", s->labels, "", num);
				snprintf(num, sizeof(num), "%" PRIu64, s->count);
				put_sample(&b, f->name, "_count", s->labels, "", num);
			}
		}
	}
	if (b.oom) {
		free(b.p);
		return -ENOMEM;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}

/* --- endpoint --------------------------------------------------------------- */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int metrics_parse_addr(const char *text, struct sockaddr_storage *ss,
		       unsigned *sslen)
{
	char host[128];
	const char *colon, *hs = text, *he;
	char *end;
	unsigned long port;

	if (!text)
		return -EINVAL;
	if (*text == '[') {
		he = strchr(text, ']');
		if (!he || he[1] != ':')
			return -EINVAL;
		hs = text + 1;
		colon = he + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon)
			return -EINVAL;
		he = colon;
	}
	if ((size_t)(he - hs) >= sizeof(host) || he == hs)
		return -EINVAL;
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535)
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	if (*text != '[') {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return -EINVAL;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*sslen = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return -EINVAL;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*a);
	}
	return 0;
}

struct metrics *metrics_new(const char *addr, char *err, size_t errlen)
{
	struct metrics *m = calloc(1, sizeof(*m));
	struct sockaddr_storage ss;
	unsigned sl;
	int one = 1;

	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->lfd = -1;
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++)
		m->cl[i].fd = -1;
	metrics_register(m, DROPPED_NAME, METRICS_COUNTER,
			 "Series updates refused because the series cap or label size was reached.",
			 NULL, 0);
	metrics_register(m, SCRAPES_NAME, METRICS_COUNTER,
			 "Requests for /metrics answered.", NULL, 0);
	/* created now so that a full table can never hide them */
	metrics_counter_set(m, DROPPED_NAME, NULL, 0);
	metrics_counter_set(m, SCRAPES_NAME, NULL, 0);
	if (!addr || !*addr)
		return m;
	if (metrics_parse_addr(addr, &ss, &sl)) {
		snprintf(err, errlen, "metrics address '%.80s' is not HOST:PORT (e.g. 127.0.0.1:9464 or [::1]:9464)",
			 addr);
		goto fail;
	}
	m->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->lfd < 0) {
		snprintf(err, errlen, "metrics socket: %s", strerror(errno));
		goto fail;
	}
	setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(m->lfd, (struct sockaddr *)&ss, sl) < 0 || listen(m->lfd, 16) < 0) {
		snprintf(err, errlen, "cannot listen for metrics on %.80s: %s", addr,
			 strerror(errno));
		goto fail;
	}
	sl = sizeof(ss);
	if (getsockname(m->lfd, (struct sockaddr *)&ss, (socklen_t *)&sl) == 0)
		m->port = ntohs(ss.ss_family == AF_INET
					? ((struct sockaddr_in *)&ss)->sin_port
					: ((struct sockaddr_in6 *)&ss)->sin6_port);
	return m;
fail:
	metrics_free(m);
	return NULL;
}

static void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	c->fd = -1;
	c->out = NULL;
	c->olen = c->off = c->rlen = 0;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++)
		client_close(&m->cl[i]);
	if (m->lfd >= 0)
		close(m->lfd);
	for (size_t i = 0; i < m->nser; i++)
		free(m->ser[i]);
	free(m);
}

int metrics_port(const struct metrics *m)
{
	return m ? m->port : 0;
}

static void respond(struct metrics *m, struct client *c, int code,
		    const char *reason, const char *extra, const char *body, size_t blen)
{
	struct mbuf b = {0};

	mb_printf(&b, "HTTP/1.1 %d %s\r\n", code, reason);
	mb_puts(&b, code == 200 ? "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
				: "Content-Type: text/plain; charset=utf-8\r\n");
	mb_printf(&b, "Content-Length: %zu\r\n", blen);
	mb_puts(&b, extra);
	mb_puts(&b, "Connection: close\r\n\r\n");
	mb_put(&b, body, blen);
	if (b.oom) {
		free(b.p);
		client_close(c);
		return;
	}
	(void)m;
	c->out = b.p;
	c->olen = b.len;
	c->off = 0;
}

/* A whole request head is in c->req: answer it. */
static void handle(struct metrics *m, struct client *c)
{
	char *sp1, *sp2, *q;
	char *body = NULL;
	size_t blen = 0;

	c->req[c->rlen] = '\0';
	sp1 = strchr(c->req, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || strncmp(sp2 + 1, "HTTP/1.", 7)) {
		respond(m, c, 400, "Bad Request", "", "bad request\n", 12);
		return;
	}
	*sp1 = *sp2 = '\0';
	if (strcmp(c->req, "GET")) {
		respond(m, c, 405, "Method Not Allowed", "Allow: GET\r\n",
			"only GET\n", 9);
		return;
	}
	q = strchr(sp1 + 1, '?');
	if (q)
		*q = '\0';
	if (strcmp(sp1 + 1, "/metrics")) {
		respond(m, c, 404, "Not Found", "", "try /metrics\n", 13);
		return;
	}
	m->scrapes++;
	if (metrics_render(m, &body, &blen)) {
		respond(m, c, 500, "Internal Server Error", "", "out of memory\n", 14);
		return;
	}
	respond(m, c, 200, "OK", "", body, blen);
	free(body);
}

/* Read what is there; answer once the head is complete. Returns 1 when a
 * response was prepared. */
static int client_read(struct metrics *m, struct client *c)
{
	for (;;) {
		ssize_t n;

		if (c->rlen + 1 >= sizeof(c->req)) {
			respond(m, c, 431, "Request Header Fields Too Large", "",
				"request too large\n", 18);
			return 1;
		}
		n = read(c->fd, c->req + c->rlen, sizeof(c->req) - 1 - c->rlen);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			client_close(c);
			return 0;
		}
		c->rlen += (size_t)n;
		c->req[c->rlen] = '\0';
		if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n")) {
			handle(m, c);
			return 1;
		}
	}
}

static void client_write(struct client *c)
{
	while (c->off < c->olen) {
		ssize_t n = send(c->fd, c->out + c->off, c->olen - c->off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			client_close(c);
			return;
		}
		c->off += (size_t)n;
	}
	client_close(c);
}

int metrics_poll(struct metrics *m, int timeout_ms)
{
	struct pollfd pf[METRICS_MAX_CLIENTS + 1];
	int map[METRICS_MAX_CLIENTS + 1];
	int n = 0, free_slot = -1, answered = 0, rc;
	uint64_t now;

	if (!m || m->lfd < 0)
		return 0;
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++) {
		struct client *c = &m->cl[i];

		if (c->fd < 0) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		pf[n].fd = c->fd;
		pf[n].events = c->out ? POLLOUT : POLLIN;
		pf[n].revents = 0;
		map[n++] = i;
	}
	/* a full table leaves new connections in the kernel's backlog */
	if (free_slot >= 0) {
		pf[n].fd = m->lfd;
		pf[n].events = POLLIN;
		pf[n].revents = 0;
		map[n++] = -1;
	}
	rc = poll(pf, (nfds_t)n, timeout_ms);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	now = now_ms();
	for (int k = 0; k < n; k++) {
		struct client *c;

		if (map[k] < 0) {
			if (!(pf[k].revents & POLLIN))
				continue;
			for (int i = 0; i < METRICS_MAX_CLIENTS; i++) {
				int fd;

				if (m->cl[i].fd >= 0)
					continue;
				fd = accept4(m->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (fd < 0)
					break;
				m->cl[i].fd = fd;
				m->cl[i].deadline_ms = now + METRICS_CLIENT_TIMEOUT_MS;
				/* most scrapers send at once: try without waiting */
				if (client_read(m, &m->cl[i]))
					answered++;
				if (m->cl[i].out)
					client_write(&m->cl[i]);
			}
			continue;
		}
		c = &m->cl[map[k]];
		if (c->fd != pf[k].fd)
			continue;
		if (pf[k].revents & (POLLERR | POLLNVAL)) {
			client_close(c);
			continue;
		}
		if (!c->out && (pf[k].revents & (POLLIN | POLLHUP)) && client_read(m, c))
			answered++;
		if (c->fd >= 0 && c->out && (pf[k].revents & (POLLOUT | POLLIN | POLLHUP)))
			client_write(c);
	}
	for (int i = 0; i < METRICS_MAX_CLIENTS; i++)
		if (m->cl[i].fd >= 0 && now > m->cl[i].deadline_ms)
			client_close(&m->cl[i]);
	return answered;
}
