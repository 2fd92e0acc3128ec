/* reqbody.c - see reqbody.h. */
#include "collector/detect/reqbody.h"
#include "collector/detect/multipart.h"

#include <string.h>
#include <strings.h>

static void put(struct reqbody_sink *b, const struct payload_match *m, int n,
		const char *where)
{
	b->merge(b->ctx, m, n, where);
}

static int has_ci(const char *s, size_t n, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; i + nl <= n; i++)
		if (!strncasecmp(s + i, needle, nl))
			return 1;
	return 0;
}

/* Printable runs of a binary body (protobuf strings sit in them whole). */
static void scan_runs(struct reqbody_sink *b, const uint8_t *p, size_t n)
{
	struct payload_match m[PAYLOAD__COUNT];
	size_t i = 0;

	while (i < n) {
		size_t s;

		while (i < n && (p[i] < 0x20 || p[i] > 0x7e))
			i++;
		s = i;
		while (i < n && p[i] >= 0x20 && p[i] <= 0x7e)
			i++;
		if (i - s >= 4)
			put(b, m, payload_scan((const char *)p + s, i - s, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "body");
	}
}

/* A multipart/form-data part: its field name and file name are values; a
 * field's content too (read by its type), a file's content is not (as
 * an inline WAF treats uploads: an uploaded script is not an injection). */
static void scan_part(void *ctx, const struct multipart_part *p)
{
	struct reqbody_sink *b = ctx;
	struct payload_match m[PAYLOAD__COUNT];

	if (p->filename && p->filename_len)
		put(b, m, payload_scan(p->filename, p->filename_len, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "multipart filename");
	if (p->name && p->name_len)
		put(b, m, payload_scan(p->name, p->name_len, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "multipart name");
	if (!p->len || p->filename)
		return;
	if (p->ctype && has_ci(p->ctype, p->ctype_len, "json"))
		put(b, m, payload_scan_json(p->data, p->len, m, PAYLOAD__COUNT), "multipart part");
	else if (p->ctype && has_ci(p->ctype, p->ctype_len, "xml"))
		put(b, m, payload_scan_xml(p->data, p->len, m, PAYLOAD__COUNT), "multipart part");
	else
		put(b, m, payload_scan(p->data, p->len, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "multipart part");
}

/* A body that names no type, or text/plain: apps read it all the same (a
 * raw body, a form without its header). Read as a form when it has the
 * shape of one (name=value before any space), else as one value. */
static void scan_untyped(struct reqbody_sink *b, const char *body, size_t n)
{
	struct payload_match m[PAYLOAD__COUNT];
	size_t i;

	for (i = 0; i < n && body[i] != '=' && body[i] != ' ' && body[i] != '\n'; i++)
		;
	if (i && i < n && body[i] == '=')
		put(b, m, payload_scan_query(body, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "body");
	else
		put(b, m, payload_scan(body, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "body");
}

void reqbody_scan(const struct sess_event *ev, struct reqbody_sink *b)
{
	char bnd[MULTIPART_BOUNDARY_MAX + 1];
	size_t bl;
	struct payload_match m[PAYLOAD__COUNT];
	const char *body = (const char *)ev->body;
	const char *ct;
	size_t ctl = 0, n = ev->body_len;
	int json;

	if (!n)
		return;
	ct = sess_get_hdr(ev, "content-type", &ctl);
	json = (ct && has_ci(ct, ctl, "json")) || body[0] == '{' || body[0] == '[';
	if (ev->proto == SESS_PROTO_GRPC) {
		scan_runs(b, ev->body, n);
	} else if (ev->proto == SESS_PROTO_WEBSOCKET) {
		if (json)
			put(b, m, payload_scan_json(body, n, m, PAYLOAD__COUNT), "message");
		else
			put(b, m, payload_scan(body, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "message");
	} else if (ct && has_ci(ct, ctl, "application/x-www-form-urlencoded")) {
		put(b, m, payload_scan_query(body, n, PAYLOAD_WHERE_BODY, m, PAYLOAD__COUNT), "body");
	} else if (json) {
		put(b, m, payload_scan_json(body, n, m, PAYLOAD__COUNT), "body");
	} else if ((ct && has_ci(ct, ctl, "xml")) || (!ct && body[0] == '<')) {
		/* an HTML body is not split: its script text is not a value */
		put(b, m, payload_scan_xml(body, n, m, PAYLOAD__COUNT), "body");
	} else if (ct && has_ci(ct, ctl, "multipart/form-data") &&
		   (bl = multipart_boundary(ct, ctl, bnd))) {
		multipart_each(body, n, bnd, bl, (ev->flags & SESS_F_WINDOW) != 0,
			       scan_part, b, NULL);
	} else if (!ct || has_ci(ct, ctl, "text/plain")) {
		scan_untyped(b, body, n);
	}
	/* binary and other typed bodies are not values of an injection */
}
