/* localblock.c - identities and forwarded clients cut on sight (localblock.h). */
#include "collector/enforce/localblock.h"
#include "collector/detect/ident.h"

#include <stdlib.h>
#include <string.h>

#define PROBE 8

struct slot {
	uint64_t subject;    /* 0: empty */
	uint64_t until_ns;   /* blocked until; 0: not blocked */
	uint64_t strike_ns;  /* first strike of the current run */
	uint32_t strikes;
};

struct localblock {
	struct slot s[LOCALBLOCK_SLOTS];
	struct localblock_stats st;
};

struct localblock *localblock_new(void)
{
	return calloc(1, sizeof(struct localblock));
}

void localblock_free(struct localblock *lb)
{
	free(lb);
}

uint64_t localblock_addr_key(uint8_t family, const uint8_t *addr)
{
	uint8_t k[20] = { 'f', 'w', 'd', family };

	memcpy(k + 4, addr, 16);
	return ident_hash(k, sizeof(k));
}

static int live(const struct slot *x, uint64_t now)
{
	return x->until_ns > now || (x->strikes && now - x->strike_ns < LOCALBLOCK_STRIKE_NS);
}

static struct slot *find(const struct localblock *lb, uint64_t subject)
{
	for (unsigned i = 0; i < PROBE; i++) {
		const struct slot *x = &lb->s[(subject + i) % LOCALBLOCK_SLOTS];

		if (x->subject == subject)
			return (struct slot *)x;
	}
	return NULL;
}

/* subject's slot, taken if need be: an empty or dead one, else the one
 * closest to expiry (evicted). */
static struct slot *take(struct localblock *lb, uint64_t subject, uint64_t now)
{
	struct slot *x = find(lb, subject), *best = NULL;

	if (x)
		return x;
	for (unsigned i = 0; i < PROBE; i++) {
		x = &lb->s[(subject + i) % LOCALBLOCK_SLOTS];
		if (!x->subject || !live(x, now)) {
			best = x;
			break;
		}
		if (!best || x->until_ns < best->until_ns)
			best = x;
	}
	if (best->subject && live(best, now))
		lb->st.evicted++;
	memset(best, 0, sizeof(*best));
	best->subject = subject;
	return best;
}

int localblock_offend(struct localblock *lb, uint64_t subject, uint64_t ttl_ns,
		      uint64_t now_ns)
{
	struct slot *x;

	if (!lb || !subject)
		return 0;
	x = take(lb, subject, now_ns);
	if (!ttl_ns) {
		lb->st.strikes++;
		if (!x->strikes || now_ns - x->strike_ns >= LOCALBLOCK_STRIKE_NS) {
			x->strikes = 0;
			x->strike_ns = now_ns;
		}
		if (++x->strikes < LOCALBLOCK_STRIKES)
			return x->until_ns > now_ns;
		ttl_ns = LOCALBLOCK_TTL_NS;
	}
	x->strikes = 0;
	x->until_ns = now_ns + ttl_ns;
	lb->st.blocks++;
	return 1;
}

int localblock_has(const struct localblock *lb, uint64_t subject, uint64_t now_ns)
{
	const struct slot *x = lb && subject ? find(lb, subject) : NULL;

	return x && x->until_ns > now_ns;
}

void localblock_hit(struct localblock *lb)
{
	lb->st.hits++;
}

void localblock_stats(const struct localblock *lb, uint64_t now_ns,
		      struct localblock_stats *st)
{
	*st = lb->st;
	st->active = 0;
	for (unsigned i = 0; i < LOCALBLOCK_SLOTS; i++)
		st->active += lb->s[i].subject && lb->s[i].until_ns > now_ns;
}
