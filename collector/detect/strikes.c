/* strikes.c - a client's recent payload strikes; see strikes.h. */
#include "collector/detect/strikes.h"

void strikes_add(struct strikes *s, uint64_t conn, uint64_t req_ns, uint64_t now)
{
	if (s->n && s->conn == conn && s->req == req_ns)
		return;
	s->ts[s->next] = now;
	s->next = (s->next + 1) % RULES_MAX_ESCALATE;
	s->n += s->n < RULES_MAX_ESCALATE;
	s->conn = conn;
	s->req = req_ns;
}

uint32_t strikes_within(const struct strikes *s, uint64_t window_ns, uint64_t now)
{
	uint32_t in = 0;

	for (uint32_t k = 0; k < s->n; k++)
		in += s->ts[k] <= now && now - s->ts[k] < window_ns;
	return in;
}
