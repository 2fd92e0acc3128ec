/* fuzz_inventory.c - libFuzzer target: the endpoint learner over any
 * request. The input is split at NUL bytes into method, path, template,
 * query, header name, header value and body; the same request is observed
 * into a small table (so evictions happen). Checks: no memory error, the
 * table never passes its bound, every kept name is NUL-terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/inventory/endpoint.h"

static struct endpoint_table *table;
static struct sess_conn conn;

static const uint8_t *field(const uint8_t **p, const uint8_t *end, size_t *n)
{
	const uint8_t *s = *p, *z = s < end ? memchr(s, 0, (size_t)(end - s)) : NULL;

	*n = z ? (size_t)(z - s) : (size_t)(end - s);
	*p = z ? z + 1 : end;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sess_event ev;
	const uint8_t *p = data, *end = data + size, *f[7];
	size_t n[7], i;
	char tmpl[300];
	struct endpoint_stats st;
	const struct endpoint *e;

	if (!table) {
		struct endpoint_config cfg = { .max_endpoints = 16 };

		table = endpoint_new(&cfg);
	}
	for (i = 0; i < 7; i++)
		f[i] = field(&p, end, &n[i]);
	sess_event_init(&ev, SESS_PROTO_HTTP1, &conn);
	sess_append(ev.method, sizeof(ev.method), f[0], n[0], &ev, SESS_TRUNC_METHOD);
	sess_append(ev.path, sizeof(ev.path), f[1], n[1], &ev, SESS_TRUNC_PATH);
	sess_append(ev.query, sizeof(ev.query), f[3], n[3], &ev, SESS_TRUNC_QUERY);
	sess_add_hdr(&ev, (const char *)f[4], n[4], (const char *)f[5], n[5]);
	sess_add_body(&ev, f[6], n[6]);
	ev.status = size ? 100 + data[0] % 500 : 0;
	memcpy(tmpl, f[2], n[2] < sizeof(tmpl) - 1 ? n[2] : sizeof(tmpl) - 1);
	tmpl[n[2] < sizeof(tmpl) - 1 ? n[2] : sizeof(tmpl) - 1] = '\0';
	e = endpoint_observe(table, &ev, tmpl, 1);
	if (e) {
		for (i = 0; i < e->n_param; i++)
			if (!memchr(e->param[i].name, 0, sizeof(e->param[i].name)))
				abort();
		if (e->n_param > ENDPOINT_MAX_PARAMS)
			abort();
	}
	endpoint_get_stats(table, &st);
	if (st.endpoints > 16)
		abort();
	return 0;
}
