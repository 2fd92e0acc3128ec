/* epdata.c - data classes of an exchange's bodies; see epdata.h. */
#include "collector/inventory/epdata.h"

#include <string.h>

#include "collector/inventory/dataclass.h"
#include "common/inflate.h"

struct found {
	struct endpoint *e;
	uint8_t dir;
};

/* One finding at path: counted under its (direction, class, path), or in
 * dpaths_dropped once the table is full. Requests (whose keys clients
 * choose) take at most half the slots, so junk keys sent first can never
 * keep the paths of what the endpoint returns out. */
static void on_found(void *ctx, const char *path, enum dataclass_kind k)
{
	struct found *f = ctx;
	struct endpoint *e = f->e;
	struct endpoint_dpath *d;
	size_t n = strnlen(path, ENDPOINT_DPATH_LEN - 1);
	unsigned i, req = 0;

	for (i = 0; i < e->n_dpath; i++) {
		d = &e->dpath[i];
		req += d->dir == ENDPOINT_DIR_REQ;
		if (d->kind == k && d->dir == f->dir &&
		    strncmp(d->path, path, n) == 0 && d->path[n] == '\0') {
			d->count++;
			return;
		}
	}
	if (e->n_dpath >= ENDPOINT_DPATHS ||
	    (f->dir == ENDPOINT_DIR_REQ && req >= ENDPOINT_DPATHS / 2)) {
		e->dpaths_dropped++;
		return;
	}
	d = &e->dpath[e->n_dpath++];
	memcpy(d->path, path, n);
	d->path[n] = '\0';
	d->kind = (uint8_t)k;
	d->dir = f->dir;
	d->count = 1;
}

enum body_kind { BODY_SKIP, BODY_JSON, BODY_TEXT };

/* How to read a response body: by its content type, or by its first byte
 * when it names none. Media that cannot carry text are skipped. */
static enum body_kind resp_kind(const struct sess_event *ev, const uint8_t *body,
				size_t n)
{
	const char *ct = ev->resp_ctype;

	if (!n)
		return BODY_SKIP;
	if (!ct[0])
		return body[0] == '{' || body[0] == '[' ? BODY_JSON : BODY_TEXT;
	if (strstr(ct, "json"))
		return BODY_JSON;
	if (strncmp(ct, "text/", 5) == 0 || strstr(ct, "xml") ||
	    strstr(ct, "grpc") || strstr(ct, "protobuf") ||
	    strcmp(ct, "application/x-www-form-urlencoded") == 0 ||
	    strcmp(ct, "application/javascript") == 0)
		return BODY_TEXT;
	return BODY_SKIP;
}

/* A coded response prefix decoded into plain (gzip, deflate: what the
 * client reads); 0 when the coding is not one we decode or the bytes are
 * no valid stream (counted in resp_coded by the caller). No ratio cap: a
 * server's repetitive export is what this looks for, and plain bounds it. */
static size_t decode_response(const struct sess_event *ev, uint8_t *plain, size_t cap)
{
	struct inflate_result r;
	enum inflate_status st;

	if (ev->resp_coded != SESS_CODING_GZIP && ev->resp_coded != SESS_CODING_DEFLATE)
		return 0;
	st = inflate_run(ev->resp_coded == SESS_CODING_GZIP ? INFLATE_GZIP : INFLATE_DEFLATE,
			 ev->resp_body, ev->resp_body_len, plain, cap, 0, &r);
	return inflate_malformed(st) ? 0 : r.out_len;
}

static void scan_response(struct endpoint *e, const struct sess_event *ev,
			  int unauth_ok)
{
	static _Thread_local uint8_t plain[EPDATA_PLAIN_MAX];
	struct dataclass_counts c;
	struct found f = { e, ENDPOINT_DIR_RESP };
	const uint8_t *body = ev->resp_body;
	size_t n = ev->resp_body_len;
	enum body_kind bk;
	unsigned k, most = 0, mk = 0, sens = 0;

	if (ev->resp_coded && n) {
		n = decode_response(ev, plain, sizeof(plain));
		body = plain;
		if (!n) {
			e->resp_coded++;
			return;
		}
	}
	bk = resp_kind(ev, body, n);
	if (bk == BODY_SKIP)
		return;
	memset(&c, 0, sizeof(c));
	if (bk == BODY_JSON)
		dataclass_scan_json((const char *)body, n, &c, on_found, &f);
	else
		dataclass_scan_value(NULL, 0, (const char *)body, n, &c, on_found, &f);
	e->resp_scans++;
	for (k = 0; k < DATACLASS__COUNT; k++) {
		e->data_resp[k] += c.n[k];
		if (dataclass_kind_sensitive[k])
			sens += c.n[k];
		if (dataclass_kind_sensitive[k] && c.n[k] > most) {
			most = c.n[k];
			mk = k;
		}
	}
	if (most >= ENDPOINT_BULK)
		e->bulk++;
	if (unauth_ok && sens)
		e->unauth_data++;
	if (most > e->bulk_max) {
		e->bulk_max = most;
		e->bulk_kind = (uint8_t)mk;
	}
}

const uint8_t *epdata_req_body(const struct sess_event *ev, size_t *n)
{
	static _Thread_local uint8_t plain[EPDATA_PLAIN_MAX];
	struct inflate_result r;
	enum inflate_status st;

	*n = ev->body_len;
	if (ev->req_coding == SESS_CODING_NONE || !ev->body_len)
		return ev->body;
	*n = 0;
	if (ev->req_coding != SESS_CODING_GZIP && ev->req_coding != SESS_CODING_DEFLATE)
		return plain;
	st = inflate_run(ev->req_coding == SESS_CODING_GZIP ? INFLATE_GZIP : INFLATE_DEFLATE,
			 ev->body, ev->body_len, plain, sizeof(plain), 0, &r);
	if (!inflate_malformed(st))
		*n = r.out_len;
	return plain;
}

void epdata_scan(struct endpoint *e, const struct sess_event *ev,
		 const uint8_t *body, size_t body_len, int json, int unauth_ok)
{
	struct dataclass_counts c;
	struct found f = { e, ENDPOINT_DIR_REQ };
	unsigned k;

	memset(&c, 0, sizeof(c));
	if (ev->query[0])
		dataclass_scan_value(NULL, 0, ev->query, strlen(ev->query), &c,
				     on_found, &f);
	if (body_len && json)
		dataclass_scan_json((const char *)body, body_len, &c, on_found, &f);
	for (k = 0; k < DATACLASS__COUNT; k++)
		e->data[k] += c.n[k];
	scan_response(e, ev, unauth_ok);
}

void epdata_resp_type(struct endpoint *e, const struct sess_event *ev)
{
	size_t n = strnlen(ev->resp_ctype, SESS_MAX_CTYPE - 1);
	unsigned i;

	if (!n)
		return;
	for (i = 0; i < e->n_rctype; i++)
		if (strcmp(e->rctype[i], ev->resp_ctype) == 0)
			return;
	if (e->n_rctype < ENDPOINT_CTYPES) {
		memcpy(e->rctype[e->n_rctype], ev->resp_ctype, n);
		e->rctype[e->n_rctype++][n] = '\0';
	}
}
