/* strikes.c - a client's recent payload strikes; see strikes.h. */
#include "collector/detect/strikes.h"
#include "collector/detect/ident.h"

#include <string.h>

/* 32 bits of a 64-bit hash, never 0 (0 is "not known") */
static uint32_t key32(uint64_t h)
{
	uint32_t k = (uint32_t)(h ^ (h >> 32));

	return k ? k : 1;
}

static uint32_t exchange_key(const struct sess_event *ev)
{
	uint64_t k[3];

	k[0] = ev->conn ? ev->conn->cookie : 0;
	k[1] = ev->stream_id;
	k[2] = ev->req_ns;
	return key32(ident_hash(k, sizeof(k)));
}

/* method, path and query after the exchange key; 0 where the event does
 * not carry its request's (URI windows, WebSocket messages) */
static uint32_t request_key(const struct sess_event *ev, uint32_t xkey)
{
	char buf[4 + sizeof(ev->method) + sizeof(ev->path) + sizeof(ev->query)];
	size_t n = 0, l;

	if (ev->proto == SESS_PROTO_WEBSOCKET || (ev->flags & SESS_F_WIN_URI))
		return 0;
	memcpy(buf, &xkey, 4);
	n = 4;
	l = strnlen(ev->method, sizeof(ev->method) - 1);
	memcpy(buf + n, ev->method, l + 1);
	n += l + 1;
	l = strnlen(ev->path, sizeof(ev->path) - 1);
	memcpy(buf + n, ev->path, l + 1);
	n += l + 1;
	l = strnlen(ev->query, sizeof(ev->query) - 1);
	memcpy(buf + n, ev->query, l);
	n += l;
	return key32(ident_hash(buf, n));
}

int strikes_add(struct strikes *s, const struct sess_event *ev, uint64_t now)
{
	uint32_t x = exchange_key(ev), r = request_key(ev, x);

	for (uint32_t k = 0; k < s->n; k++) {
		if (s->xkey[k] != x || (s->rkey[k] && r && s->rkey[k] != r))
			continue;
		if (!s->rkey[k])
			s->rkey[k] = r; /* the head after its URI window */
		return 0;
	}
	s->ts[s->next] = now;
	s->xkey[s->next] = x;
	s->rkey[s->next] = r;
	s->next = (s->next + 1) % RULES_MAX_ESCALATE;
	s->n += s->n < RULES_MAX_ESCALATE;
	return 1;
}

uint32_t strikes_within(const struct strikes *s, uint64_t window_ns, uint64_t now)
{
	uint32_t in = 0;

	for (uint32_t k = 0; k < s->n; k++)
		in += s->ts[k] <= now && now - s->ts[k] < window_ns;
	return in;
}
