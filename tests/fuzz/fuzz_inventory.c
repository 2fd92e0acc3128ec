/* fuzz_inventory.c - libFuzzer target: the endpoint learner over any
 * exchange. The input is split at NUL bytes into method, path, template,
 * query, header name, header value, body, response content type and
 * response body; the exchange is observed into a small table (so evictions
 * happen), 1 ms of its clock apart (within the data-scan budget: every
 * scan due is made). Checks: no memory error, the table never passes its
 * bound, every kept name and data path is NUL-terminated and within its
 * count. */
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
	static uint64_t now_us;
	const uint8_t *p = data, *end = data + size, *f[9];
	size_t n[9], i;
	char tmpl[300];
	struct endpoint_stats st;
	const struct endpoint *e;

	if (!table) {
		struct endpoint_config cfg = { .max_endpoints = 16 };

		table = endpoint_new(&cfg);
	}
	for (i = 0; i < 9; i++)
		f[i] = field(&p, end, &n[i]);
	sess_event_init(&ev, SESS_PROTO_HTTP1, &conn);
	sess_append(ev.method, sizeof(ev.method), f[0], n[0], &ev, SESS_TRUNC_METHOD);
	sess_append(ev.path, sizeof(ev.path), f[1], n[1], &ev, SESS_TRUNC_PATH);
	sess_append(ev.query, sizeof(ev.query), f[3], n[3], &ev, SESS_TRUNC_QUERY);
	sess_add_hdr(&ev, (const char *)f[4], n[4], (const char *)f[5], n[5]);
	sess_add_body(&ev, f[6], n[6]);
	sess_resp_hdr(&ev, "content-type", 12, (const char *)f[7], n[7]);
	sess_add_resp_body(&ev, f[8], n[8]);
	ev.status = size ? 100 + data[0] % 500 : 0;
	memcpy(tmpl, f[2], n[2] < sizeof(tmpl) - 1 ? n[2] : sizeof(tmpl) - 1);
	tmpl[n[2] < sizeof(tmpl) - 1 ? n[2] : sizeof(tmpl) - 1] = '\0';
	now_us += 1000;
	e = endpoint_observe(table, &ev, tmpl, now_us);
	if (e) {
		for (i = 0; i < e->n_param; i++)
			if (!memchr(e->param[i].name, 0, sizeof(e->param[i].name)))
				abort();
		if (e->n_param > ENDPOINT_MAX_PARAMS || e->n_dpath > ENDPOINT_DPATHS ||
		    e->n_rctype > ENDPOINT_CTYPES)
			abort();
		for (i = 0; i < e->n_dpath; i++)
			if (!memchr(e->dpath[i].path, 0, sizeof(e->dpath[i].path)) ||
			    e->dpath[i].kind >= DATACLASS__COUNT)
				abort();
	}
	endpoint_get_stats(table, &st);
	if (st.endpoints > 16)
		abort();
	return 0;
}
