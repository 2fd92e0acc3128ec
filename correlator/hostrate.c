/* hostrate.c - token buckets per reporting host (see hostrate.h). */
#include "correlator/hostrate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOSTRATE_SLOTS (2 * HOSTRATE_MAX_HOSTS) /* open addressing */

struct hostrate {
	uint32_t rate, burst;
	struct hostrate_host *hosts; /* HOSTRATE_MAX_HOSTS */
	unsigned n;
	uint16_t *slot;              /* HOSTRATE_SLOTS: index + 1, 0 = free */
};

struct hostrate *hostrate_new(uint32_t rate, uint32_t burst)
{
	struct hostrate *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->rate = rate;
	r->burst = burst ? burst : (rate > UINT32_MAX / 2 ? UINT32_MAX : 2 * rate);
	r->hosts = calloc(HOSTRATE_MAX_HOSTS, sizeof(*r->hosts));
	r->slot = calloc(HOSTRATE_SLOTS, sizeof(*r->slot));
	if (!r->hosts || !r->slot) {
		hostrate_free(r);
		return NULL;
	}
	return r;
}

void hostrate_free(struct hostrate *r)
{
	if (!r)
		return;
	free(r->hosts);
	free(r->slot);
	free(r);
}

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 1099511628211ull;
	return h;
}

/* host's bucket, made full at first sight; the last one is shared by all
 * hosts beyond HOSTRATE_MAX_HOSTS - 1 (a plain-mode correlator takes any
 * name; with CURVE the names are the admitted keys') */
static struct hostrate_host *find(struct hostrate *r, const char *host,
				  uint64_t now_us)
{
	size_t i = name_hash(host) % HOSTRATE_SLOTS;
	struct hostrate_host *h;

	for (; r->slot[i]; i = (i + 1) % HOSTRATE_SLOTS)
		if (strcmp(r->hosts[r->slot[i] - 1].name, host) == 0)
			return &r->hosts[r->slot[i] - 1];
	if (r->n == HOSTRATE_MAX_HOSTS - 1) {
		h = &r->hosts[r->n];
		if (!h->name[0]) {
			snprintf(h->name, sizeof(h->name), "(other)");
			h->tokens = (uint64_t)r->burst * 1000000;
			h->last_us = now_us;
		}
		return h;
	}
	h = &r->hosts[r->n];
	snprintf(h->name, sizeof(h->name), "%s", host);
	h->tokens = (uint64_t)r->burst * 1000000;
	h->last_us = now_us;
	r->slot[i] = (uint16_t)(++r->n);
	return h;
}

int hostrate_take(struct hostrate *r, const char *host, uint32_t rows,
		  uint64_t now_us)
{
	struct hostrate_host *h = find(r, host, now_us);
	uint64_t cap = (uint64_t)r->burst * 1000000, cost;

	if (!r->rate) {
		h->taken_rows += rows;
		return 0;
	}
	if (now_us > h->last_us) {
		uint64_t dt = now_us - h->last_us;

		/* refill; a long quiet time only fills the bucket */
		if (dt >= cap / r->rate)
			h->tokens = cap;
		else
			h->tokens = h->tokens + dt * r->rate < cap ? h->tokens + dt * r->rate : cap;
		h->last_us = now_us;
	}
	cost = (uint64_t)(rows ? (rows < r->burst ? rows : r->burst) : 1) * 1000000;
	if (h->tokens < cost) {
		h->refused_batches++;
		h->refused_rows += rows;
		return -EBUSY;
	}
	h->tokens -= cost;
	h->taken_rows += rows;
	return 0;
}

unsigned hostrate_count(const struct hostrate *r)
{
	return r->n + (r->hosts[HOSTRATE_MAX_HOSTS - 1].name[0] != '\0');
}

const struct hostrate_host *hostrate_get(const struct hostrate *r, unsigned i)
{
	if (i < r->n)
		return &r->hosts[i];
	if (i == r->n && r->hosts[HOSTRATE_MAX_HOSTS - 1].name[0])
		return &r->hosts[HOSTRATE_MAX_HOSTS - 1];
	return NULL;
}

void hostrate_totals(const struct hostrate *r, uint64_t *refused_batches,
		     uint64_t *refused_rows)
{
	unsigned i, n = hostrate_count(r);

	*refused_batches = *refused_rows = 0;
	for (i = 0; i < n; i++) {
		const struct hostrate_host *h = hostrate_get(r, i);

		*refused_batches += h->refused_batches;
		*refused_rows += h->refused_rows;
	}
}
