/* uplink_inventory.c - the endpoint table, changed entries only, onto the
 * uplink; see uplink_inventory.h. */
#include "collector/uplink/uplink_inventory.h"

#include <errno.h>
#include <stdlib.h>

#include "collector/uplink/invconv.h"
#include "collector/uplink/shardup.h"

struct push {
	struct uplink *up;       /* one of the two */
	struct shardup *sh;
	sidewatch_EndpointSummary *v; /* UPLINK_MAX_ENDPOINTS */
	size_t n;
	uint64_t since, newest;
	int pushed, rc;
};

static void flush(struct push *p)
{
	int rc;

	if (!p->n || p->rc < 0)
		return;
	rc = p->sh ? shardup_push_endpoints(p->sh, p->v, p->n)
		   : uplink_push_endpoints(p->up, p->v, p->n);
	if (rc < 0)
		p->rc = rc;
	else
		p->pushed += (int)p->n;
	p->n = 0;
}

static void take(void *ctx, const struct endpoint *e)
{
	struct push *p = ctx;

	if (p->rc < 0 || e->chg <= p->since)
		return;
	if (invconv_endpoint(e, &p->v[p->n]) < 0)
		return;
	p->n++;
	if (e->chg > p->newest)
		p->newest = e->chg;
	if (p->n == UPLINK_MAX_ENDPOINTS)
		flush(p);
}

static int push_all(struct push *p, const struct endpoint_table *t,
		    uint64_t *next_since)
{
	if (next_since)
		*next_since = p->since;
	if ((!p->up && !p->sh) || !t)
		return -EINVAL;
	p->v = malloc(UPLINK_MAX_ENDPOINTS * sizeof(*p->v));
	if (!p->v)
		return -ENOMEM;
	endpoint_foreach(t, take, p);
	endpoint_foreach_evicted(t, take, p); /* their last changes */
	flush(p);
	free(p->v);
	if (p->rc < 0)
		return p->rc;
	if (next_since)
		*next_since = p->newest;
	return p->pushed;
}

int uplink_inventory_push(struct uplink *up, const struct endpoint_table *t,
			  uint64_t since, uint64_t *next_since)
{
	struct push p = { .up = up, .since = since, .newest = since };

	return push_all(&p, t, next_since);
}

int uplink_inventory_push_shards(struct shardup *sh, const struct endpoint_table *t,
				 uint64_t since, uint64_t *next_since)
{
	struct push p = { .sh = sh, .since = since, .newest = since };

	return push_all(&p, t, next_since);
}
