/* metrics.c - the bounded Prometheus registry and its text exposition;
 * the /metrics endpoint it owns is metrics_http.c (see metrics.h). */
#include "common/metrics.h"
#include "common/metrics_http.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct metrics {
	size_t nfam, nser;
	struct family fams[METRICS_MAX_FAMILIES];
	struct series *ser[METRICS_MAX_SERIES];
	uint64_t dropped;
	struct metrics_http http; /* the endpoint; counts the scrapes */
	metrics_refresh_fn refresh; /* before each /metrics answer */
	void *refresh_arg;
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
	metrics_counter_set(m, SCRAPES_NAME, NULL, m->http.scrapes);
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

/* --- the registry and its endpoint ---------------------------------------- */

struct metrics *metrics_new(const char *addr, char *err, size_t errlen)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	metrics_http_init(&m->http);
	metrics_register(m, DROPPED_NAME, METRICS_COUNTER,
			 "Series updates refused because the series cap or label size was reached.",
			 NULL, 0);
	metrics_register(m, SCRAPES_NAME, METRICS_COUNTER,
			 "Requests for /metrics answered.", NULL, 0);
	/* created now so that a full table can never hide them */
	metrics_counter_set(m, DROPPED_NAME, NULL, 0);
	metrics_counter_set(m, SCRAPES_NAME, NULL, 0);
	if (addr && *addr && metrics_http_listen(&m->http, addr, err, errlen)) {
		metrics_free(m);
		return NULL;
	}
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	metrics_http_close(&m->http);
	for (size_t i = 0; i < m->nser; i++)
		free(m->ser[i]);
	free(m);
}

int metrics_port(const struct metrics *m)
{
	return m ? m->http.port : 0;
}

static int render_for_http(void *arg, char **out, size_t *len)
{
	struct metrics *m = arg;

	if (m->refresh)
		m->refresh(m->refresh_arg);
	return metrics_render(m, out, len);
}

int metrics_poll(struct metrics *m, int timeout_ms)
{
	if (!m)
		return 0;
	return metrics_http_poll(&m->http, timeout_ms, render_for_http, m);
}

void metrics_set_pages(struct metrics *m, metrics_page_fn fn, void *arg)
{
	if (!m)
		return;
	m->http.page = fn;
	m->http.page_arg = arg;
}

void metrics_set_refresh(struct metrics *m, metrics_refresh_fn fn, void *arg)
{
	if (!m)
		return;
	m->refresh = fn;
	m->refresh_arg = arg;
}

int metrics_set_page_token(struct metrics *m, const char *token)
{
	size_t n = token ? strlen(token) : 0;

	if (!m)
		return 0;
	if (n >= sizeof(m->http.page_token))
		return -EINVAL;
	memcpy(m->http.page_token, token ? token : "", n);
	m->http.page_token[n] = '\0';
	return 0;
}

