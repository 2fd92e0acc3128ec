/* ws_frame.c - the frame half of the WebSocket decoder: a frame's header
 * decoded (lengths, masking, RSV bits, opcodes, fragmentation), its payload
 * unmasked in small pieces for the UTF-8 check and the client text prefix,
 * its end (message complete, close frame judged). See ws.h for what and
 * why; ws.c feeds it.
 */
#include "collector/decode/ws_frame.h"
#include "collector/decode/ws_event.h"
#include "collector/decode/ws_int.h"

#include <string.h>

static void utf8_reset(struct ws_utf8 *u)
{
	u->need = 0;
	u->lo = 0x80;
	u->hi = 0xBF;
}

/* Returns 0 while the bytes so far can start valid UTF-8, -1 otherwise. */
static int utf8_feed(struct ws_utf8 *u, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t b = p[i];

		if (u->need) {
			if (b < u->lo || b > u->hi)
				return -1;
			u->need--;
			u->lo = 0x80;
			u->hi = 0xBF;
		} else if (b < 0x80) {
			continue;
		} else if (b < 0xC2) {
			return -1; /* stray continuation or overlong 2-byte */
		} else if (b < 0xE0) {
			u->need = 1;
		} else if (b < 0xF0) {
			u->need = 2;
			if (b == 0xE0)
				u->lo = 0xA0; /* overlong */
			else if (b == 0xED)
				u->hi = 0x9F; /* surrogates */
		} else if (b < 0xF5) {
			u->need = 3;
			if (b == 0xF0)
				u->lo = 0x90; /* overlong */
			else if (b == 0xF4)
				u->hi = 0x8F; /* past U+10FFFF */
		} else {
			return -1;
		}
	}
	return 0;
}

static int close_code_valid(unsigned code)
{
	/* RFC 6455 7.4.1/7.4.2 and the IANA registry (1012-1014); 1004-1006
	 * and 1015 must never be on the wire. */
	return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
	       (code >= 3000 && code <= 4999);
}

/* One more in r's window at ts: 1 the first time the window passes limit
 * (0: no limit). */
static int rate_over(struct ws_rate *r, uint64_t ts, uint64_t limit)
{
	if (!limit)
		return 0;
	if (ts < r->start || ts - r->start >= NS_PER_SEC) {
		r->start = ts;
		r->count = 0;
		r->flagged = 0;
	}
	if (++r->count > limit && !r->flagged) {
		r->flagged = 1;
		return 1;
	}
	return 0;
}

static void infl_message(struct ws_conn *c, struct ws_side *s);

/* A message we read the text of: plain, or a client's decoded. */
static int msg_readable(const struct ws_side *s)
{
	return s->msg_text && (!s->msg_compressed || s->msg_inflate);
}

static void msg_complete(struct ws_conn *c, struct ws_side *s, enum sess_dir dir,
			 uint64_t ts)
{
	c->st.msgs[dir]++;
	if (s->msg_bytes > c->st.largest_msg[dir])
		c->st.largest_msg[dir] = s->msg_bytes;
	if (dir == SESS_DIR_REQ && s->msg_compressed)
		infl_message(c, s);
	if (msg_readable(s) && !s->msg_unchecked &&
	    !s->msg_bad_utf8 && s->u8.need) {
		/* message ended inside a sequence */
		s->msg_bad_utf8 = 1;
		ws_event_anom(c, WS_ANOM_INVALID_UTF8);
	}
	if (dir == SESS_DIR_REQ) {
		/* message floods make the server do work per message */
		if (rate_over(&s->msgs, ts, c->cfg.flood_msgs_per_sec))
			ws_event_anom(c, WS_ANOM_MESSAGE_FLOOD);
		if (c->pfx_cap && c->sink.request) {
			/* judged now, as it completes: what the window holds
			 * beyond the seed (all of a short message) */
			if (msg_readable(s) && c->cur_len > c->cur_seed)
				ws_event_message(c, s->msg_start_ns, ts);
			c->msg_judge = 0;
		} else if (c->pfx_cap && msg_readable(s)) {
			memcpy(c->pfx_last, c->pfx_cur, c->cur_len);
			c->last_len = c->cur_len;
			c->last_trunc = c->cur_trunc;
			c->have_last = 1;
			c->last_pending = 1;
		}
	}
	s->msg_open = 0;
}

static void handle_close(struct ws_conn *c, struct ws_side *s, enum sess_dir dir)
{
	int code = -1;

	if (s->ctl_gap) {
		/* code not captured: nothing to judge */
	} else if (s->ctl_len == 1) {
		ws_event_anom(c, WS_ANOM_BAD_CLOSE_CODE);
	} else if (s->ctl_len >= 2) {
		code = (int)((unsigned)s->ctl[0] << 8 | s->ctl[1]);
		if (!close_code_valid((unsigned)code))
			ws_event_anom(c, WS_ANOM_BAD_CLOSE_CODE);
		/* the reason must be UTF-8; a >125-byte frame was cut (and
		 * already counted), so only judge a complete one */
		if (s->pos <= sizeof(s->ctl)) {
			struct ws_utf8 u;

			utf8_reset(&u);
			if (utf8_feed(&u, s->ctl + 2, s->ctl_len - 2u) < 0 || u.need)
				ws_event_anom(c, WS_ANOM_INVALID_UTF8);
		}
	}
	if (c->st.who_closed == WS_CLOSED_NONE) {
		size_t rlen = s->ctl_len > 2 && !s->ctl_gap ? s->ctl_len - 2u : 0;

		c->st.who_closed = dir == SESS_DIR_REQ ? WS_CLOSED_CLIENT : WS_CLOSED_SERVER;
		c->st.close_code = code;
		if (rlen > sizeof(c->st.close_reason) - 1)
			rlen = sizeof(c->st.close_reason) - 1;
		memcpy(c->st.close_reason, s->ctl + 2, rlen);
		c->st.close_reason[rlen] = '\0';
		c->st.close_reason_len = (uint8_t)rlen;
	} else {
		c->st.close_code_reply = code;
	}
	s->rx = WS_RX_CLOSED;
	if (c->side[0].rx == WS_RX_CLOSED && c->side[1].rx == WS_RX_CLOSED) {
		c->st.close_done = 1;
		ws_event_close(c);
	}
}

void ws_frame_end(struct ws_conn *c, struct ws_side *s, enum sess_dir dir,
		   uint64_t ts)
{
	s->rx = WS_RX_HDR;
	switch (s->kind) {
	case WS_FK_DATA:
		if (s->fin)
			msg_complete(c, s, dir, ts);
		break;
	case WS_FK_CONTROL:
		if (s->op == WS_OP_CLOSE)
			handle_close(c, s, dir);
		break;
	case WS_FK_SKIP:
		break;
	}
}

/* Of want bytes, how many this second's budget of c still allows (taken). */
static uint64_t scan_budget(struct ws_conn *c, uint64_t want)
{
	uint64_t lim = c->cfg.scan_bytes_per_sec, ts = c->last_ns;
	struct ws_rate *r = &c->scan;

	if (!lim)
		return want;
	if (ts < r->start || ts - r->start >= NS_PER_SEC) {
		r->start = ts;
		r->count = 0;
	}
	if (r->count >= lim)
		return 0;
	if (want > lim - r->count)
		want = lim - r->count;
	r->count += want;
	return want;
}

/* The open client message cannot be judged further: counted, once. */
static void msg_unjudged(struct ws_conn *c)
{
	if (!c->cur_trunc)
		ws_event_anom(c, WS_ANOM_MESSAGE_UNJUDGED);
	c->cur_trunc = 1;
	c->msg_judge = 0;
}

/* A client's compressed message cut short by a new one: not decoded,
 * and counted when text. */
static void infl_abandon(struct ws_conn *c, struct ws_side *s)
{
	const uint8_t *p;
	size_t n;

	if (!s->msg_open || !s->msg_compressed)
		return;
	if (s->msg_inflate) {
		ws_infl_gap(c->infl);
		(void)ws_infl_end(c->infl, &p, &n);
		ws_infl_done(c->infl);
	}
	if (s->msg_text)
		ws_event_anom(c, WS_ANOM_CODED_UNJUDGED);
}

/* Whether a client message compressed with rsv1 can be decoded: the
 * connection's decoder, made at its first (NULL out of memory). */
static int infl_ready(struct ws_conn *c)
{
	if (!c->infl && !c->infl_refused) {
		const struct sess_conn *id = c->conn;
		uint8_t group[16] = { 0 };

		/* a trusted proxy's connections: the client it named */
		if (id && id->pp_family)
			ws_infl_client(id->pp_family, id->pp_addr, group);
		else if (id)
			ws_infl_client(id->family, id->client_addr, group);
		c->infl = ws_infl_new(&c->pmd, group, c->cfg.inflate_windows,
				      c->cfg.inflate_windows_client);
		c->infl_refused = !c->infl;
	}
	return c->infl != NULL;
}

static void msg_start(struct ws_conn *c, struct ws_side *s, enum sess_dir dir,
		      int rsv1, uint64_t ts)
{
	if (dir == SESS_DIR_REQ)
		infl_abandon(c, s);
	s->msg_open = 1;
	s->msg_text = s->op == WS_OP_TEXT;
	if (dir == SESS_DIR_REQ && rsv1 && !c->deflate) {
		/* RSV1 with no permessage-deflate agreed as far as we saw (the
		 * handshake not captured, or an answer we could not read): a
		 * server that did agree inflates it, so it is decoded as one
		 * whose context is unknown (each message alone); what refers
		 * to an earlier message fails and is counted */
		c->deflate = 1;
		c->pmd.no_takeover = 1;
		c->pmd.window_bits = 15;
	}
	s->msg_compressed = rsv1 && c->deflate;
	s->msg_inflate = s->msg_compressed && dir == SESS_DIR_REQ && infl_ready(c);
	s->msg_unchecked = 0;
	s->msg_bad_utf8 = 0;
	s->msg_oversize = 0;
	s->msg_storm = 0;
	s->msg_bytes = 0;
	s->msg_frames = 1;
	utf8_reset(&s->u8);
	if (dir == SESS_DIR_REQ) {
		/* a message cut short by a new one is judged on what it had */
		if (c->msg_judge && c->cur_len > c->cur_seed)
			ws_event_message(c, s->msg_start_ns, ts);
		c->cur_len = 0;
		c->cur_trunc = 0;
		c->cur_seed = 0;
		c->msg_judged = 0;
		s->msg_start_ns = ts;
		c->msg_judge = c->pfx_cap && c->sink.request && msg_readable(s);
		/* every judged message costs something, however small */
		if (c->msg_judge && scan_budget(c, WS_MSG_COST) < WS_MSG_COST)
			msg_unjudged(c);
	}
}

/* The header in s->hdr is complete: decide what the payload is. */
void ws_frame_begin(struct ws_conn *c, struct ws_side *s, enum sess_dir dir,
		     uint64_t ts)
{
	const uint8_t *h = s->hdr;
	uint8_t l7 = h[1] & 0x7F;
	unsigned off = 2;
	uint64_t len = l7;
	int rsv1, bad_rsv;
	int i;

	s->fin = h[0] >> 7;
	s->op = h[0] & 0x0F;
	s->masked = h[1] >> 7;
	rsv1 = (h[0] & 0x40) != 0;
	bad_rsv = (h[0] & 0x30) != 0; /* RSV2/RSV3: no extension we know */
	if (l7 == 126) {
		len = (uint64_t)h[2] << 8 | h[3];
		off = 4;
		if (len < 126)
			ws_event_anom(c, WS_ANOM_NONMINIMAL_LENGTH);
	} else if (l7 == 127) {
		len = 0;
		for (i = 0; i < 8; i++)
			len = len << 8 | h[2 + i];
		off = 10;
		if (len <= 0xFFFF)
			ws_event_anom(c, WS_ANOM_NONMINIMAL_LENGTH);
	}
	if (s->masked)
		memcpy(s->mask, h + off, 4);
	s->hdr_len = 0;
	s->hdr_need = 2;
	s->remain = len;
	s->pos = 0;
	s->rx = WS_RX_PAYLOAD;
	c->st.frames[dir][s->op]++;

	if (dir == SESS_DIR_REQ && !s->masked)
		ws_event_anom(c, WS_ANOM_UNMASKED_CLIENT);
	if (dir == SESS_DIR_RESP && s->masked)
		ws_event_anom(c, WS_ANOM_MASKED_SERVER);

	if (len >> 63) {
		/* RFC 6455 5.2: the top bit must be 0. No peer sends 2^63
		 * bytes: count the rest of this side without looking. */
		ws_event_anom(c, WS_ANOM_OVERSIZE_FRAME);
		s->kind = WS_FK_SKIP;
		if (bad_rsv || rsv1)
			ws_event_anom(c, WS_ANOM_RSV_BITS);
		return;
	}
	if (c->cfg.max_frame && len > c->cfg.max_frame)
		ws_event_anom(c, WS_ANOM_OVERSIZE_FRAME);

	if (s->op & 0x08) {
		if (s->op > WS_OP_PONG) {
			ws_event_anom(c, WS_ANOM_RESERVED_OPCODE);
			s->kind = WS_FK_SKIP;
		} else {
			s->kind = WS_FK_CONTROL;
			s->ctl_len = 0;
			s->ctl_gap = 0;
			if (!s->fin || len > sizeof(s->ctl))
				ws_event_anom(c, WS_ANOM_CONTROL_ABUSE);
			/* ping floods (and unsolicited pongs): server work
			 * per control frame */
			if (dir == SESS_DIR_REQ && s->op != WS_OP_CLOSE &&
			    rate_over(&s->pings, ts, c->cfg.flood_pings_per_sec))
				ws_event_anom(c, WS_ANOM_CONTROL_ABUSE);
		}
		bad_rsv |= rsv1; /* deflate never applies to control frames */
	} else if (s->op == WS_OP_CONT) {
		if (!s->msg_open) {
			ws_event_anom(c, WS_ANOM_BAD_CONTINUATION);
			s->kind = WS_FK_SKIP;
		} else {
			s->kind = WS_FK_DATA;
			s->msg_frames++;
			if (c->cfg.max_fragments && s->msg_frames > c->cfg.max_fragments &&
			    !s->msg_storm) {
				s->msg_storm = 1;
				ws_event_anom(c, WS_ANOM_FRAGMENT_STORM);
			}
		}
		bad_rsv |= rsv1; /* RSV1 marks only a message's first frame */
	} else if (s->op == WS_OP_TEXT || s->op == WS_OP_BINARY) {
		if (s->msg_open) {
			/* a peer would fail the connection; we drop the open
			 * message uncounted and follow the new one */
			ws_event_anom(c, WS_ANOM_BAD_CONTINUATION);
		}
		s->kind = WS_FK_DATA;
		bad_rsv |= rsv1 && !c->deflate;
		msg_start(c, s, dir, rsv1, s->hdr_ns);
	} else {
		ws_event_anom(c, WS_ANOM_RESERVED_OPCODE);
		s->kind = WS_FK_SKIP;
	}
	if (bad_rsv)
		ws_event_anom(c, WS_ANOM_RSV_BITS);
	if (len == 0)
		ws_frame_end(c, s, dir, ts);
}

/* Judging: append to the window; a full window is judged and the next
 * starts with its last bytes. Within the message's and the second's
 * budget; past them the message is counted unjudged. */
static void window_add(struct ws_conn *c, struct ws_side *s, const uint8_t *p,
		       size_t n)
{
	uint32_t ov = c->pfx_cap / 2 < WS_WIN_OVERLAP ? c->pfx_cap / 2 : WS_WIN_OVERLAP;

	while (n && c->msg_judge) {
		uint64_t room = c->pfx_cap - c->cur_len, take;

		if (!room) {
			ws_event_message(c, s->msg_start_ns, c->last_ns);
			memmove(c->pfx_cur, c->pfx_cur + c->cur_len - ov, ov);
			c->cur_len = c->cur_seed = ov;
			room = c->pfx_cap - ov;
		}
		take = n < room ? n : room;
		if (c->cfg.scan_msg_max && take > c->cfg.scan_msg_max - c->msg_judged)
			take = c->cfg.scan_msg_max - c->msg_judged;
		take = scan_budget(c, take);
		memcpy(c->pfx_cur + c->cur_len, p, take);
		c->cur_len += (uint32_t)take;
		c->msg_judged += take;
		p += take;
		n -= take;
		if (n && !take)
			msg_unjudged(c);
	}
}

static void prefix_add(struct ws_conn *c, const uint8_t *p, size_t n)
{
	size_t room = c->pfx_cap - c->cur_len;

	if (n > room) {
		n = room;
		c->cur_trunc = 1;
	}
	memcpy(c->pfx_cur + c->cur_len, p, n);
	c->cur_len += (uint32_t)n;
}

/* k plain bytes of a text message (unmasked, or decoded): the UTF-8
 * check and, for the client's, the judging window or the kept prefix.
 * Returns 0 when no more bytes of the message are wanted. */
static int text_plain(struct ws_conn *c, struct ws_side *s, enum sess_dir dir,
		      const uint8_t *p, size_t k)
{
	int want_utf8 = !s->msg_bad_utf8;
	int want_pfx = dir == SESS_DIR_REQ && c->pfx_cap && (c->msg_judge || !c->sink.request);

	if (want_pfx && !want_utf8 && !c->msg_judge && c->cur_len >= c->pfx_cap) {
		c->cur_trunc = 1;
		return 0;
	}
	if (want_utf8 && utf8_feed(&s->u8, p, k) < 0) {
		s->msg_bad_utf8 = 1;
		want_utf8 = 0;
		ws_event_anom(c, WS_ANOM_INVALID_UTF8);
	}
	if (want_pfx && c->msg_judge) {
		window_add(c, s, p, k);
		want_pfx = c->msg_judge;
	} else if (want_pfx && !c->sink.request) {
		prefix_add(c, p, k);
	}
	return want_utf8 || want_pfx;
}

/* The client's compressed message is all in: decoded, then read as a
 * plain one is; what cannot be decoded is counted, once. */
static void infl_message(struct ws_conn *c, struct ws_side *s)
{
	const uint8_t *p = NULL;
	size_t n = 0, done, k;

	if (!s->msg_inflate || ws_infl_end(c->infl, &p, &n)) {
		s->msg_unchecked = 1; /* cut: its UTF-8 end is unknowable */
		if (s->msg_text)
			ws_event_anom(c, WS_ANOM_CODED_UNJUDGED);
	}
	for (done = 0; s->msg_text && done < n; done += k) {
		k = n - done < 4096 ? n - done : 4096;
		if (!text_plain(c, s, SESS_DIR_REQ, p + done, k))
			break;
	}
	if (s->msg_inflate)
		ws_infl_done(c->infl);
}

/* n payload bytes of the current frame (n <= s->remain); data NULL = gap. */
void ws_frame_payload(struct ws_conn *c, struct ws_side *s, enum sess_dir dir,
		 const uint8_t *data, size_t n)
{
	uint8_t tmp[256];
	int want_utf8, want_pfx;
	size_t done, k, i;

	switch (s->kind) {
	case WS_FK_SKIP:
		c->st.ignored_bytes[dir] += n;
		return;
	case WS_FK_CONTROL:
		if (!data) {
			s->ctl_gap = 1;
			return;
		}
		for (i = 0; i < n && s->ctl_len < sizeof(s->ctl); i++)
			s->ctl[s->ctl_len++] = s->masked
				? data[i] ^ s->mask[(s->pos + i) & 3] : data[i];
		return;
	case WS_FK_DATA:
		break;
	}

	c->st.payload_bytes[dir] += n;
	s->msg_bytes += n;
	if (c->cfg.max_message && s->msg_bytes > c->cfg.max_message && !s->msg_oversize) {
		s->msg_oversize = 1;
		ws_event_anom(c, WS_ANOM_OVERSIZE_MESSAGE);
	}
	if (!data) {
		s->msg_unchecked = 1;
		if (dir == SESS_DIR_REQ)
			c->cur_trunc = 1;
		if (s->msg_inflate)
			ws_infl_gap(c->infl);
		return;
	}
	if (s->msg_compressed ? !s->msg_inflate : !s->msg_text || s->msg_unchecked)
		return;
	want_utf8 = !s->msg_bad_utf8;
	want_pfx = dir == SESS_DIR_REQ && c->pfx_cap && (c->msg_judge || !c->sink.request);
	if (!s->msg_inflate && !want_utf8 && !want_pfx)
		return;
	for (done = 0; done < n; done += k) {
		k = n - done < sizeof(tmp) ? n - done : sizeof(tmp);
		for (i = 0; i < k; i++)
			tmp[i] = s->masked ? data[done + i] ^ s->mask[(s->pos + done + i) & 3]
					   : data[done + i];
		if (s->msg_inflate)
			ws_infl_add(c->infl, tmp, k);
		else if (!text_plain(c, s, dir, tmp, k))
			break;
	}
}
