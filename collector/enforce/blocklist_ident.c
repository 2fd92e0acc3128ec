/* blocklist_ident.c - identities on the fleet block list (see blocklist_ident.h). */
#include "collector/enforce/blocklist_ident.h"
#include "collector/detect/ident.h"
#include "common/digit.h"
#include "common/sortarr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ent {
	uint64_t hash;
	uint64_t tag;
	uint64_t expires_us;
};

struct blocklist_ident {
	struct sortarr e; /* struct ent, sorted by (hash, tag) */
};

static int ent_cmp(const void *pa, const void *pb)
{
	const struct ent *a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->tag < b->tag ? -1 : a->tag > b->tag;
}

struct blocklist_ident *blocklist_ident_new(void)
{
	struct blocklist_ident *b = calloc(1, sizeof(*b));

	if (b)
		sortarr_init(&b->e, sizeof(struct ent), BLOCKLIST_IDENT_MAX, ent_cmp);
	return b;
}

void blocklist_ident_free(struct blocklist_ident *b)
{
	if (!b)
		return;
	sortarr_free(&b->e);
	free(b);
}

int blocklist_ident_add(struct blocklist_ident *b, uint64_t hash, uint64_t tag,
		uint64_t expires_us)
{
	struct ent e = { hash, tag, expires_us };

	return sortarr_put(&b->e, &e);
}

int blocklist_ident_del(struct blocklist_ident *b, uint64_t hash, uint64_t tag)
{
	struct ent key = { hash, tag, 0 };

	return sortarr_del(&b->e, &key);
}

int blocklist_ident_has(const struct blocklist_ident *b, uint64_t hash, uint64_t now_us)
{
	struct ent key = { hash, 0, 0 };
	size_t i;

	if (!b || !b->e.n)
		return 0;
	/* every tag of hash, from the first */
	for (i = sortarr_lower(&b->e, &key); i < b->e.n; i++) {
		const struct ent *x = sortarr_at(&b->e, i);

		if (x->hash != hash)
			break;
		if (!x->expires_us || x->expires_us > now_us)
			return 1;
	}
	return 0;
}

size_t blocklist_ident_count(const struct blocklist_ident *b)
{
	return b ? b->e.n : 0;
}

uint64_t blocklist_ident_tag(const char *spec)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

	for (; *spec; spec++)
		h = (h ^ (uint8_t)*spec) * 0x100000001b3ull;
	return h;
}

int blocklist_ident_parse(const char *spec, uint64_t *hash)
{
	char key[24];

	if (!strncmp(spec, "id:", 3)) {
		const char *h = spec + 3;
		uint64_t v = 0;
		size_t i;

		if (strlen(h) != 16)
			return -EINVAL;
		for (i = 0; i < 16; i++) {
			char c = h[i];
			int d = digit_hex((unsigned char)c);

			if (d < 0)
				return -EINVAL;
			v = v << 4 | (unsigned)d;
		}
		*hash = v;
		return 0;
	}
	return ident_key_from_spec(spec, key, hash) ? -EINVAL : 0;
}
