/* h2_frame.c - stateless HTTP/2 frame header rules (see h2_frame.h). */
#include "collector/decode/h2_frame.h"

#define NS_PER_SEC 1000000000ull

void h2_frame_hdr_parse(const uint8_t raw[H2_FRAME_HDR], struct h2_frame_hdr *h)
{
	h->len = (uint32_t)raw[0] << 16 | (uint32_t)raw[1] << 8 | raw[2];
	h->type = raw[3];
	h->flags = raw[4];
	h->r_bit = raw[5] >> 7;
	h->sid = h2_be32(raw + 5) & 0x7fffffffu;
}

void h2_frame_hdr_write(uint8_t raw[H2_FRAME_HDR], uint32_t len, uint8_t type,
			uint8_t flags, uint32_t sid)
{
	raw[0] = (uint8_t)(len >> 16);
	raw[1] = (uint8_t)(len >> 8);
	raw[2] = (uint8_t)len;
	raw[3] = type;
	raw[4] = flags;
	raw[5] = (uint8_t)(sid >> 24);
	raw[6] = (uint8_t)(sid >> 16);
	raw[7] = (uint8_t)(sid >> 8);
	raw[8] = (uint8_t)sid;
}

int h2_frame_valid(const struct h2_frame_hdr *h, enum sess_dir dir)
{
	uint32_t sid = h->sid, len = h->len;

	switch (h->type) {
	case H2_FT_DATA:
	case H2_FT_HEADERS:
	case H2_FT_CONTINUATION:
		return sid != 0;
	case H2_FT_PRIORITY:      return sid && len == 5;
	case H2_FT_RST_STREAM:    return sid && len == 4;
	case H2_FT_SETTINGS:
		return !sid && len % 6 == 0 && !((h->flags & H2_FL_ACK) && len);
	case H2_FT_PUSH_PROMISE:  return sid && dir == SESS_DIR_RESP;
	case H2_FT_PING:          return !sid && len == 8;
	case H2_FT_GOAWAY:        return !sid && len >= 8;
	case H2_FT_WINDOW_UPDATE: return len == 4;
	}
	return 1; /* unknown types are skipped (RFC 7540 4.1) */
}

int h2_frame_plausible(const struct h2_frame_hdr *h, uint32_t max_len)
{
	uint32_t sid = h->sid, len = h->len;
	uint8_t fl = h->flags;

	if (h->r_bit || len > max_len)
		return 0;
	switch (h->type) {
	case H2_FT_DATA:          return sid && !(fl & ~0x09);
	case H2_FT_HEADERS:       return sid && !(fl & ~0x2d);
	case H2_FT_PRIORITY:      return sid && len == 5 && !fl;
	case H2_FT_RST_STREAM:    return sid && len == 4 && !fl;
	case H2_FT_SETTINGS:      return !sid && len % 6 == 0 && !(fl & ~1);
	case H2_FT_PUSH_PROMISE:  return (sid & 1) && !(fl & ~0x0c);
	case H2_FT_PING:          return !sid && len == 8 && !(fl & ~1);
	case H2_FT_GOAWAY:        return !sid && len >= 8 && !fl;
	case H2_FT_WINDOW_UPDATE: return len == 4 && !fl;
	case H2_FT_CONTINUATION:  return sid && !(fl & ~0x04);
	}
	return 0;
}

int h2_rate_hit(struct h2_rate *r, uint64_t ts, uint32_t limit)
{
	if (ts < r->start || ts - r->start >= NS_PER_SEC) {
		r->start = ts;
		r->n = 0;
		r->flagged = 0;
	}
	r->n++;
	if (r->n > limit && !r->flagged) {
		r->flagged = 1;
		return 1;
	}
	return 0;
}
