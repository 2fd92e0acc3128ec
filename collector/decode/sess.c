/* sess.c - session event helpers: bounded copies into the event. */
#include "collector/decode/sess.h"

#include <errno.h>
#include <string.h>

void sess_event_init(struct sess_event *ev, enum sess_proto proto,
		     const struct sess_conn *conn)
{
	/* Only the small head is cleared field by field: the arenas are large
	 * and every reader goes through the lengths, so stale bytes past them
	 * are never read. */
	ev->kind = SESS_KIND_SESSION;
	ev->proto = proto;
	ev->conn = conn;
	ev->flags = 0;
	ev->trunc = 0;
	ev->req_ns = ev->resp_ns = ev->end_ns = 0;
	ev->req_end_ns = 0;
	ev->method[0] = ev->authority[0] = ev->path[0] = ev->query[0] = '\0';
	ev->status = 0;
	ev->req_bytes = ev->resp_bytes = 0;
	ev->req_body_bytes = ev->resp_body_bytes = 0;
	ev->stream_id = 0;
	ev->resp_ctype[0] = '\0';
	ev->resp_coded = ev->resp_body_stop = 0;
	ev->req_coding = SESS_CODING_NONE;
	ev->req_coding_name[0] = '\0';
	ev->resp_body_len = 0;
	ev->service[0] = ev->rpc[0] = '\0';
	ev->grpc_status = -1;
	ev->grpc_message[0] = '\0';
	ev->req_msgs = ev->resp_msgs = 0;
	ev->ws_phase = SESS_WS_OPEN;
	ev->origin[0] = ev->subprotocol[0] = '\0';
	ev->client_msgs = ev->server_msgs = 0;
	ev->client_bytes = ev->server_bytes = 0;
	ev->close_code = -1;
	ev->n_hdrs = 0;
	ev->hdr_arena_len = 0;
	ev->body_len = 0;
	ev->n_anom = 0;
}

size_t sess_append(char *dst, size_t cap, const void *src, size_t len,
		   struct sess_event *ev, uint32_t trunc_bit)
{
	size_t cur = strnlen(dst, cap);
	size_t room, take;

	if (cap == 0)
		return 0;
	if (cur >= cap)
		cur = cap - 1;
	room = cap - 1 - cur;
	take = len < room ? len : room;
	if (take)
		memcpy(dst + cur, src, take);
	dst[cur + take] = '\0';
	if (take < len && ev)
		ev->trunc |= trunc_bit;
	return take;
}

int sess_add_hdr(struct sess_event *ev, const char *name, size_t name_len,
		 const char *val, size_t val_len)
{
	struct sess_hdr *h;
	size_t room;
	size_t i;

	if (ev->n_hdrs >= SESS_MAX_HDRS)
		goto full;
	room = SESS_HDR_ARENA - ev->hdr_arena_len;
	if (name_len > room || name_len > UINT16_MAX)
		goto full;
	h = &ev->hdrs[ev->n_hdrs];
	h->name_off = (uint16_t)ev->hdr_arena_len;
	h->name_len = (uint16_t)name_len;
	for (i = 0; i < name_len; i++) {
		char c = name[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		ev->hdr_arena[ev->hdr_arena_len + i] = c;
	}
	ev->hdr_arena_len += (uint32_t)name_len;
	room -= name_len;
	if (val_len > room) {
		val_len = room;
		ev->trunc |= SESS_TRUNC_HDRS;
	}
	h->val_off = (uint16_t)ev->hdr_arena_len;
	h->val_len = (uint16_t)val_len;
	memcpy(ev->hdr_arena + ev->hdr_arena_len, val, val_len);
	ev->hdr_arena_len += (uint32_t)val_len;
	ev->n_hdrs++;
	return 0;
full:
	ev->trunc |= SESS_TRUNC_HDRS;
	return -ENOSPC;
}

const char *sess_get_hdr(const struct sess_event *ev, const char *name,
			 size_t *len)
{
	size_t nl = strlen(name);
	uint32_t i;

	for (i = 0; i < ev->n_hdrs; i++) {
		const struct sess_hdr *h = &ev->hdrs[i];
		if (h->name_len == nl &&
		    memcmp(ev->hdr_arena + h->name_off, name, nl) == 0) {
			if (len)
				*len = h->val_len;
			return ev->hdr_arena + h->val_off;
		}
	}
	return NULL;
}

void sess_add_body(struct sess_event *ev, const void *data, size_t len)
{
	size_t room = SESS_MAX_BODY - ev->body_len;

	if (len > room) {
		ev->trunc |= SESS_TRUNC_BODY;
		len = room;
	}
	memcpy(ev->body + ev->body_len, data, len);
	ev->body_len += (uint32_t)len;
}

void sess_add_resp_body(struct sess_event *ev, const void *data, size_t len)
{
	size_t room = SESS_MAX_RESP_BODY - ev->resp_body_len;

	if (ev->resp_body_stop)
		return;
	if (len > room) {
		ev->trunc |= SESS_TRUNC_RESP_BODY;
		len = room;
	}
	memcpy(ev->resp_body + ev->resp_body_len, data, len);
	ev->resp_body_len += (uint32_t)len;
}

void sess_resp_body_gap(struct sess_event *ev)
{
	ev->resp_body_stop = 1;
}

static int name_eq(const char *n, size_t nl, const char *lc)
{
	size_t i;

	if (nl != strlen(lc))
		return 0;
	for (i = 0; i < nl; i++) {
		char ch = n[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch | 0x20);
		if (ch != lc[i])
			return 0;
	}
	return 1;
}

void sess_resp_interim(struct sess_event *ev)
{
	ev->resp_ctype[0] = '\0';
	ev->resp_coded = 0;
}

/* Each coding of a Content-Encoding list folded into *coding (a second
 * one makes it SESS_CODING_OTHER); name (cap bytes, may be NULL) gets the
 * codings as sent, reduced to [a-z0-9-] and ',' between them. */
static void fold_codings(uint8_t *coding, char *name, size_t cap,
			 const char *val, size_t val_len)
{
	size_t i = 0, k = name ? strlen(name) : 0;

	while (i < val_len) {
		size_t s, e;
		uint8_t c;

		while (i < val_len && (val[i] == ' ' || val[i] == '\t' || val[i] == ','))
			i++;
		s = i;
		while (i < val_len && val[i] != ',')
			i++;
		for (e = i; e > s && (val[e - 1] == ' ' || val[e - 1] == '\t'); e--)
			;
		if (e == s || name_eq(val + s, e - s, "identity"))
			continue;
		if (name_eq(val + s, e - s, "gzip") || name_eq(val + s, e - s, "x-gzip"))
			c = SESS_CODING_GZIP;
		else if (name_eq(val + s, e - s, "deflate"))
			c = SESS_CODING_DEFLATE;
		else
			c = SESS_CODING_OTHER;
		/* a second coding: ours decodes one layer only */
		*coding = *coding ? SESS_CODING_OTHER : c;
		if (!name)
			continue;
		if (k && k + 1 < cap)
			name[k++] = ',';
		for (; s < e && k + 1 < cap; s++) {
			char ch = val[s];

			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch | 0x20);
			if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')
				name[k++] = ch;
		}
		name[k] = '\0';
	}
}

void sess_req_hdr(struct sess_event *ev, const char *name, size_t name_len,
		  const char *val, size_t val_len)
{
	if (name_eq(name, name_len, "content-encoding"))
		fold_codings(&ev->req_coding, ev->req_coding_name,
			     sizeof(ev->req_coding_name), val, val_len);
}

void sess_resp_hdr(struct sess_event *ev, const char *name, size_t name_len,
		   const char *val, size_t val_len)
{
	size_t i, k = 0, n, cut;

	while (val_len && (*val == ' ' || *val == '\t')) {
		val++;
		val_len--;
	}
	if (name_eq(name, name_len, "content-encoding")) {
		/* "identity" (or nothing) leaves the body readable */
		fold_codings(&ev->resp_coded, NULL, 0, val, val_len);
		return;
	}
	if (!name_eq(name, name_len, "content-type") || ev->resp_ctype[0])
		return;
	for (n = 0; n < val_len; n++)
		if (val[n] == ';' || val[n] == ' ' || val[n] == '\t')
			break;
	/* the media type alone; one too long to keep whole keeps its
	 * structured-syntax suffix ("+json", RFC 6839) after a cut start,
	 * since the suffix says how the body reads */
	cut = n;
	if (n > SESS_MAX_CTYPE - 1) {
		const char *plus = memrchr(val, '+', n);
		size_t slen = plus ? n - (size_t)(plus - val) : 0;

		cut = SESS_MAX_CTYPE - 1 - (slen && slen <= 16 ? slen : 0);
	}
	for (i = 0; i < n && k < SESS_MAX_CTYPE - 1; i++) {
		char ch;

		if (i == cut)
			i = n - (SESS_MAX_CTYPE - 1 - k);
		ch = val[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch | 0x20);
		ev->resp_ctype[k++] = ch > 0x20 && ch < 0x7f ? ch : '?';
	}
	ev->resp_ctype[k] = '\0';
}

void sess_anom_add(struct sess_event *ev, const char *name, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < ev->n_anom; i++) {
		if (ev->anom[i].name == name || strcmp(ev->anom[i].name, name) == 0) {
			ev->anom[i].count += n;
			return;
		}
	}
	if (ev->n_anom < SESS_MAX_ANOM) {
		ev->anom[ev->n_anom].name = name;
		ev->anom[ev->n_anom].count = n;
		ev->n_anom++;
	}
}

const char *sess_proto_name(enum sess_proto p)
{
	switch (p) {
	case SESS_PROTO_HTTP1: return "http1";
	case SESS_PROTO_HTTP2: return "http2";
	case SESS_PROTO_GRPC: return "grpc";
	case SESS_PROTO_WEBSOCKET: return "websocket";
	}
	return "unknown";
}
