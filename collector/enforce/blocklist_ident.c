/* blocklist_ident.c - identities on the fleet block list (see blocklist_ident.h). */
#include "collector/enforce/blocklist_ident.h"
#include "collector/detect/ident.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ent {
	uint64_t hash;
	uint64_t tag;
	uint64_t expires_us;
};

struct blocklist_ident {
	struct ent *e; /* sorted by (hash, tag) */
	size_t n, cap;
};

struct blocklist_ident *blocklist_ident_new(void)
{
	return calloc(1, sizeof(struct blocklist_ident));
}

void blocklist_ident_free(struct blocklist_ident *b)
{
	if (!b)
		return;
	free(b->e);
	free(b);
}

/* Index of (hash, tag), or where it would go. */
static size_t find(const struct blocklist_ident *b, uint64_t hash, uint64_t tag)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->e[mid].hash < hash ||
		    (b->e[mid].hash == hash && b->e[mid].tag < tag))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int at(const struct blocklist_ident *b, size_t i, uint64_t hash, uint64_t tag)
{
	return i < b->n && b->e[i].hash == hash && b->e[i].tag == tag;
}

int blocklist_ident_add(struct blocklist_ident *b, uint64_t hash, uint64_t tag,
		uint64_t expires_us)
{
	size_t i = find(b, hash, tag);

	if (at(b, i, hash, tag)) {
		b->e[i].expires_us = expires_us;
		return 0;
	}
	if (b->n == BLOCKLIST_IDENT_MAX)
		return -ENOSPC;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct ent *e = realloc(b->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		b->e = e;
		b->cap = cap;
	}
	memmove(&b->e[i + 1], &b->e[i], (b->n - i) * sizeof(*b->e));
	b->e[i].hash = hash;
	b->e[i].tag = tag;
	b->e[i].expires_us = expires_us;
	b->n++;
	return 0;
}

int blocklist_ident_del(struct blocklist_ident *b, uint64_t hash, uint64_t tag)
{
	size_t i = find(b, hash, tag);

	if (!at(b, i, hash, tag))
		return -ENOENT;
	memmove(&b->e[i], &b->e[i + 1], (b->n - i - 1) * sizeof(*b->e));
	b->n--;
	return 0;
}

int blocklist_ident_has(const struct blocklist_ident *b, uint64_t hash, uint64_t now_us)
{
	size_t i;

	if (!b || !b->n)
		return 0;
	for (i = find(b, hash, 0); i < b->n && b->e[i].hash == hash; i++)
		if (!b->e[i].expires_us || b->e[i].expires_us > now_us)
			return 1;
	return 0;
}

size_t blocklist_ident_count(const struct blocklist_ident *b)
{
	return b ? b->n : 0;
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
			unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
				     c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
				     c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;

			if (d > 15)
				return -EINVAL;
			v = v << 4 | d;
		}
		*hash = v;
		return 0;
	}
	return ident_key_from_spec(spec, key, hash) ? -EINVAL : 0;
}
