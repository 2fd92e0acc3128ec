/* projkey.c - the ring keys of an event's endpoint and identity; see
 * projkey.h. */
#include "common/projkey.h"

#include <ctype.h>
#include <string.h>

#include "common/ring.h"
#include "common/textesc.h"

#define FNV0 1469598103934665603ull
#define FNVP 1099511628211ull

static uint64_t fnv(const char *s, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * FNVP;
	return h;
}

int projkey_template(const char *path, char *out, size_t cap, uint32_t *idh)
{
	const char *p = path;
	size_t k = 0;
	uint64_t h = FNV0;
	int any = 0;

	out[0] = '\0';
	while (*p && k + 1 < cap) {
		const char *seg = p + (*p == '/');
		size_t n = strcspn(seg, "/"), i, dig = 0, hex = 0;

		for (i = 0; i < n; i++) {
			dig += isdigit((unsigned char)seg[i]) != 0;
			hex += isxdigit((unsigned char)seg[i]) || seg[i] == '-';
		}
		if (*p == '/')
			out[k++] = '/';
		if (n && ((dig == n && n <= 19) || (n == 36 && hex == n))) {
			static const char id[] = "{id}";
			size_t l = sizeof(id) - 1;

			if (k + l >= cap)
				break;
			memcpy(out + k, id, l);
			k += l;
			h = fnv(seg, n, h) * 31;
			any = 1;
		} else {
			size_t l = n < cap - 1 - k ? n : cap - 1 - k;

			memcpy(out + k, seg, l);
			k += l;
		}
		p = seg + n;
		if (!*p)
			break;
	}
	out[k < cap ? k : cap - 1] = '\0';
	*idh = (uint32_t)h;
	return any;
}

uint64_t projkey_endpoint(const void *authority, size_t alen,
			  const void *path, size_t plen)
{
	char a[PROJKEY_AUTHORITY_MAX], p[PROJKEY_PATH_MAX];
	char buf[PROJKEY_AUTHORITY_MAX + PROJKEY_PATH_MAX];
	size_t n;
	uint32_t idh;

	tx_printable(a, sizeof(a), authority, alen);
	tx_printable(p, sizeof(p), path, plen);
	n = strlen(a);
	memcpy(buf, a, n + 1); /* the NUL separates authority from path */
	projkey_template(p, buf + n + 1, PROJKEY_PATH_MAX, &idh);
	return ring_hash(buf, n + 1 + strlen(buf + n + 1));
}

uint64_t projkey_identity(const void *id, size_t len)
{
	if (!id || !len)
		return 0;
	return ring_hash(id, len > PROJKEY_IDENTITY_MAX ? PROJKEY_IDENTITY_MAX : len);
}
