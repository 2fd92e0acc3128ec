/* ws.c - WebSocket (RFC 6455) frame decoder; see ws.h for what and why.
 * Here: handshake checks, the connection, and the byte stream of each side
 * (header bytes, payload runs, gaps). Frame headers, payload, messages and
 * control frames are in ws_frame.c; anomaly counts and events in
 * ws_event.c.
 */
#include "collector/decode/ws_int.h"
#include "collector/decode/ws_event.h"
#include "collector/decode/ws_frame.h"

#include "common/b64.h"
#include "common/sha1.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ws_config_default(struct ws_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->summary_interval_ns = 30 * NS_PER_SEC;
	cfg->max_message = 16u << 20;
	cfg->max_frame = 16u << 20;
	cfg->max_fragments = 1024;
	cfg->flood_msgs_per_sec = 1000;
	cfg->text_prefix = SESS_MAX_BODY;
	cfg->allowed_origins = NULL;
	cfg->flood_pings_per_sec = 100;
	cfg->scan_msg_max = 1u << 20;
	cfg->scan_bytes_per_sec = 2u << 20;
	cfg->inflate_windows = 256;
	cfg->inflate_windows_client = 8;
}

/* --- handshake ------------------------------------------------------------ */

static int is_ows(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Trim optional whitespace: *len gets the trimmed length. */
static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && is_ows(*s)) {
		s++;
		n--;
	}
	while (n && is_ows(s[n - 1]))
		n--;
	*len = n;
	return s;
}

int ws_accept_for_key(const char *key, char out[WS_ACCEPT_LEN + 1])
{
	uint8_t dig[SHA1_DIGEST_LEN];
	struct sha1_ctx ctx;
	size_t klen;
	const char *k;

	if (!key)
		return -EINVAL;
	k = trim(key, &klen);
	sha1_init(&ctx);
	sha1_update(&ctx, k, klen);
	sha1_update(&ctx, WS_GUID, sizeof(WS_GUID) - 1);
	sha1_final(&ctx, dig);
	return b64_encode(dig, sizeof(dig), out, WS_ACCEPT_LEN + 1) < 0 ? -EINVAL : 0;
}

static int accept_ok(const struct ws_handshake *hs)
{
	char want[WS_ACCEPT_LEN + 1];
	const char *a;
	size_t alen;

	if (!hs->key || !hs->accept || ws_accept_for_key(hs->key, want) < 0)
		return 0;
	a = trim(hs->accept, &alen);
	/* base64 is case sensitive: exact compare */
	return alen == WS_ACCEPT_LEN && memcmp(a, want, WS_ACCEPT_LEN) == 0;
}

/* Host part of "host[:port]" or "[v6]:port" starting at s (len bytes). */
static void host_part(const char *s, size_t len, const char **h, size_t *hlen)
{
	size_t i;

	*h = s;
	if (len && s[0] == '[') {
		for (i = 0; i < len && s[i] != ']'; i++)
			;
		*hlen = i < len ? i + 1 : len;
		return;
	}
	for (i = 0; i < len && s[i] != ':' && s[i] != '/'; i++)
		;
	*hlen = i;
}

/* Host of an Origin ("scheme://host[:port]"); 0 when it has none (e.g.
 * "null" from sandboxed frames and file: pages). */
static int origin_host(const char *o, size_t olen, const char **h, size_t *hlen)
{
	size_t i;

	for (i = 0; i + 3 <= olen; i++) {
		if (o[i] == ':' && o[i + 1] == '/' && o[i + 2] == '/') {
			host_part(o + i + 3, olen - i - 3, h, hlen);
			return *hlen > 0;
		}
	}
	return 0;
}

static int same_ci(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && strncasecmp(a, b, alen) == 0;
}

/* Cross-site WebSocket hijacking input: a browser on another site opened
 * this socket with the victim's cookies. Origin absent = not a browser. */
static int origin_foreign(const struct ws_config *cfg, const struct ws_handshake *hs)
{
	const char *o, *oh = NULL, *a, *ah;
	size_t olen, ohlen = 0, alen, ahlen;
	int has_host;

	if (!hs->origin)
		return 0;
	o = trim(hs->origin, &olen);
	has_host = origin_host(o, olen, &oh, &ohlen);
	if (cfg->allowed_origins) {
		const char *const *e;

		for (e = cfg->allowed_origins; *e; e++) {
			if (strcmp(*e, "*") == 0 || same_ci(*e, strlen(*e), o, olen))
				return 0;
			/* a bare host entry matches that host on any scheme/port */
			if (has_host && !strstr(*e, "://") &&
			    same_ci(*e, strlen(*e), oh, ohlen))
				return 0;
		}
		return 1;
	}
	if (!has_host || !hs->authority)
		return 1;
	a = trim(hs->authority, &alen);
	host_part(a, alen, &ah, &ahlen);
	return !same_ci(oh, ohlen, ah, ahlen);
}

/* Bounded private copy of a handshake string (the caller's buffers go away
 * after the upgrade). */
static char *dup_bounded(struct ws_conn *c, const char *s, size_t cap, uint32_t bit)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strnlen(s, cap);
	if (n >= cap) {
		n = cap - 1;
		c->trunc |= bit;
	}
	d = malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* --- events --------------------------------------------------------------- */

static void touch(struct ws_conn *c, uint64_t ts)
{
	if (!c->start_ns) {
		/* joined mid-stream: the duration starts with the first byte */
		c->start_ns = ts;
		if (c->cfg.summary_interval_ns)
			c->next_due = ts + c->cfg.summary_interval_ns;
	}
	if (ts > c->last_ns)
		c->last_ns = ts;
	if (c->last_ns > c->start_ns)
		c->st.duration_ns = c->last_ns - c->start_ns;
}

/* --- connection ----------------------------------------------------------- */

static void side_reset(struct ws_side *s)
{
	memset(s, 0, sizeof(*s));
	s->rx = WS_RX_HDR;
	s->hdr_need = 2;
}

struct ws_conn *ws_conn_new(const struct sess_conn *conn, const struct sess_sink *sink,
			    const struct ws_config *cfg, const struct ws_handshake *hs)
{
	struct ws_config def;
	struct ws_conn *c;
	uint32_t cap;

	if (!cfg) {
		ws_config_default(&def);
		cfg = &def;
	}
	cap = cfg->text_prefix > SESS_MAX_BODY ? SESS_MAX_BODY : cfg->text_prefix;
	c = calloc(1, sizeof(*c) + 2 * (size_t)cap);
	if (!c)
		return NULL;
	c->conn = conn;
	if (sink)
		c->sink = *sink;
	c->cfg = *cfg;
	c->cfg.text_prefix = cap;
	c->cfg.allowed_origins = NULL; /* used only here; not ours to keep */
	c->pfx_cap = cap;
	c->pfx_cur = c->pfx_buf;
	c->pfx_last = c->pfx_buf + cap;
	side_reset(&c->side[0]);
	side_reset(&c->side[1]);
	c->st.close_code = -1;
	c->st.close_code_reply = -1;

	if (hs) {
		c->have_hs = 1;
		c->req_ns = hs->req_ns;
		c->resp_ns = hs->resp_ns;
		c->start_ns = hs->resp_ns ? hs->resp_ns : hs->req_ns;
		c->last_ns = c->start_ns;
		if (c->start_ns && cfg->summary_interval_ns)
			c->next_due = c->start_ns + cfg->summary_interval_ns;
		if ((hs->path && !(c->path = dup_bounded(c, hs->path, SESS_MAX_PATH, SESS_TRUNC_PATH))) ||
		    (hs->query && !(c->query = dup_bounded(c, hs->query, SESS_MAX_QUERY, SESS_TRUNC_QUERY))) ||
		    (hs->authority && !(c->authority = dup_bounded(c, hs->authority, SESS_MAX_AUTHORITY, SESS_TRUNC_AUTHORITY))) ||
		    (hs->origin && !(c->origin = dup_bounded(c, hs->origin, SESS_MAX_AUTHORITY, SESS_TRUNC_AUTHORITY))) ||
		    (hs->protocol && !(c->subprotocol = dup_bounded(c, hs->protocol, SESS_MAX_NAME, 0)))) {
			ws_conn_free(c);
			return NULL;
		}
		c->deflate = (uint8_t)ws_infl_parse(hs->extensions, &c->pmd);
		c->st.deflate = c->deflate;
		if (!accept_ok(hs))
			ws_event_anom(c, WS_ANOM_BAD_ACCEPT);
		if (origin_foreign(cfg, hs))
			ws_event_anom(c, WS_ANOM_FOREIGN_ORIGIN);
	} else {
		c->flags |= SESS_F_PARTIAL;
	}
	c->mem = (uint32_t)(sizeof(*c) + 2 * (size_t)cap);
	const char *const held[] = { c->path, c->query, c->authority, c->origin,
				     c->subprotocol };
	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++)
		c->mem += held[i] ? (uint32_t)strlen(held[i]) + 1 : 0;
	ws_event_emit(c, SESS_WS_OPEN);
	return c;
}

size_t ws_conn_mem(const struct ws_conn *c)
{
	return c ? c->mem + ws_infl_mem(c->infl) : 0;
}

void ws_conn_free(struct ws_conn *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->query);
	free(c->authority);
	free(c->origin);
	free(c->subprotocol);
	ws_infl_free(c->infl);
	free(c);
}

const uint64_t *ws_conn_anoms(const struct ws_conn *c)
{
	return c->anoms;
}

const struct ws_stats *ws_conn_stats(const struct ws_conn *c)
{
	return &c->st;
}

const uint8_t *ws_last_text(const struct ws_conn *c, size_t *len)
{
	if (!c->have_last) {
		*len = 0;
		return NULL;
	}
	*len = c->last_len;
	return c->pfx_last;
}

int ws_last_text_truncated(const struct ws_conn *c)
{
	return c->have_last && c->last_trunc;
}

/* --- feeding -------------------------------------------------------------- */

void ws_feed(struct ws_conn *c, enum sess_dir dir, const uint8_t *data, size_t len,
	     uint64_t ts_ns)
{
	struct ws_side *s;

	if (!c || (dir != SESS_DIR_REQ && dir != SESS_DIR_RESP) || !data || !len)
		return;
	s = &c->side[dir];
	touch(c, ts_ns);
	ws_event_periodic(c, ts_ns);
	c->st.wire_bytes[dir] += len;

	while (len) {
		size_t n;

		switch (s->rx) {
		case WS_RX_CLOSED:
			/* a peer must send nothing after its close frame */
			ws_event_anom(c, WS_ANOM_DATA_AFTER_CLOSE);
			c->st.ignored_bytes[dir] += len;
			return;
		case WS_RX_LOST:
			c->st.ignored_bytes[dir] += len;
			return;
		case WS_RX_HDR:
			if (!s->hdr_len)
				s->hdr_ns = ts_ns;
			s->hdr[s->hdr_len++] = *data++;
			len--;
			if (s->hdr_len == 2) {
				uint8_t l7 = s->hdr[1] & 0x7F;

				s->hdr_need = 2 + (l7 == 126 ? 2 : l7 == 127 ? 8 : 0) +
					      (s->hdr[1] & 0x80 ? 4 : 0);
			}
			if (s->hdr_len == s->hdr_need)
				ws_frame_begin(c, s, dir, ts_ns);
			break;
		case WS_RX_PAYLOAD:
			n = len < s->remain ? len : (size_t)s->remain;
			ws_frame_payload(c, s, dir, data, n);
			data += n;
			len -= n;
			s->remain -= n;
			s->pos += n;
			if (!s->remain)
				ws_frame_end(c, s, dir, ts_ns);
			break;
		}
	}
}

void ws_gap(struct ws_conn *c, enum sess_dir dir, uint64_t len, uint64_t ts_ns)
{
	struct ws_side *s;

	if (!c || (dir != SESS_DIR_REQ && dir != SESS_DIR_RESP) || !len)
		return;
	s = &c->side[dir];
	touch(c, ts_ns);
	ws_event_periodic(c, ts_ns);
	ws_event_anom(c, WS_ANOM_GAP);
	c->trunc |= SESS_TRUNC_CAPTURE;
	c->st.wire_bytes[dir] += len;

	if (s->rx == WS_RX_PAYLOAD && len <= s->remain) {
		/* inside one payload: framing survives, content unknown */
		ws_frame_payload(c, s, dir, NULL, (size_t)len);
		s->remain -= len;
		s->pos += len;
		if (!s->remain)
			ws_frame_end(c, s, dir, ts_ns);
		return;
	}
	c->st.ignored_bytes[dir] += len;
	if (s->rx == WS_RX_HDR || s->rx == WS_RX_PAYLOAD) {
		s->rx = WS_RX_LOST;
		s->msg_open = 0;
	}
}

void ws_tick(struct ws_conn *c, uint64_t now_ns)
{
	if (c)
		ws_event_periodic(c, now_ns);
}

void ws_close(struct ws_conn *c, uint64_t ts_ns)
{
	if (!c)
		return;
	if (!c->close_sent && ts_ns > c->start_ns && ts_ns - c->start_ns > c->st.duration_ns)
		c->st.duration_ns = ts_ns - c->start_ns;
	ws_event_close(c);
}
