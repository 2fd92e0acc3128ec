/* blocklist_sub_merge.c - one block list out of every shard's (see
 * blocklist_sub_merge.h). Skeleton: nothing merged yet. */
#include "collector/uplink/blocklist_sub_merge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct blocklist_sub_merge {
	struct blocklist_sub_merge_config cfg;
	struct blocklist_sub_merge_stats st;
};

struct blocklist_sub_merge *blocklist_sub_merge_new(const struct blocklist_sub_merge_config *cfg)
{
	struct blocklist_sub_merge *m = calloc(1, sizeof(*m));

	if (m)
		m->cfg = *cfg;
	return m;
}

void blocklist_sub_merge_free(struct blocklist_sub_merge *m)
{
	free(m);
}

int blocklist_sub_merge_apply(struct blocklist_sub_merge *m, unsigned shard,
			      const struct blocklist_entry *e, int op)
{
	(void)m, (void)shard, (void)e, (void)op;
	return -ENOSYS;
}

void *blocklist_sub_merge_port(struct blocklist_sub_merge *m, unsigned shard)
{
	(void)shard;
	return m;
}

int blocklist_sub_merge_port_apply(void *port, const struct blocklist_entry *e, int op)
{
	return blocklist_sub_merge_apply(port, 0, e, op);
}

unsigned blocklist_sub_merge_drop_shard(struct blocklist_sub_merge *m, unsigned shard)
{
	(void)m, (void)shard;
	return 0;
}

int blocklist_sub_merge_get(const struct blocklist_sub_merge *m,
			    const struct blocklist_entry *e, struct blocklist_entry *out)
{
	(void)m, (void)e, (void)out;
	return 0;
}

unsigned blocklist_sub_merge_holders(const struct blocklist_sub_merge *m,
				     const struct blocklist_entry *e)
{
	(void)m, (void)e;
	return 0;
}

void blocklist_sub_merge_get_stats(const struct blocklist_sub_merge *m,
				   struct blocklist_sub_merge_stats *st)
{
	*st = m->st;
}
