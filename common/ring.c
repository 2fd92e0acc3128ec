/* ring.c - the published shard ring (see ring.h). */
#include "common/ring.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textesc.h"

struct ring_shard {
	char name[RING_NAME_MAX + 1];
	char ep[RING_EP_MAX + 1];
	char key[RING_KEY_LEN + 1]; /* z85 public key, or "" */
	unsigned weight;
};

struct ring_point {
	uint64_t h;
	uint32_t shard;
	uint32_t rank; /* the shard's place in name order: breaks ties */
};

struct ring {
	uint64_t version;
	size_t nshards, npoints;
	struct ring_shard shards[RING_MAX_SHARDS];
	struct ring_point *points; /* sorted by (h, shard name) */
};

/* --- hash and key ---------------------------------------------------------- */

uint64_t ring_hash(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a 64 */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	/* MurmurHash3's fmix64: FNV's low bits alone spread poorly */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

uint64_t ring_key(const uint8_t *ip, size_t iplen)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	uint8_t buf[1 + 6];
	size_t n = 0;

	if (iplen == 16 && ip && !memcmp(ip, mapped, sizeof(mapped))) {
		ip += 12;
		iplen = 4;
	}
	if (iplen == 4 && ip) {
		buf[n++] = 4;
		memcpy(buf + n, ip, 3);
		n += 3;
	} else if (iplen == 16 && ip) {
		buf[n++] = 6;
		memcpy(buf + n, ip, 6);
		n += 6;
	} else {
		buf[n++] = 0;
	}
	return ring_hash(buf, n);
}

/* --- lookups ---------------------------------------------------------------- */

size_t ring_owner(const struct ring *r, uint64_t key)
{
	size_t lo = 0, hi = r->npoints;

	/* the first point with h >= key; past the last: the first point */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->points[mid].h < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return r->points[lo == r->npoints ? 0 : lo].shard;
}

uint64_t ring_version(const struct ring *r) { return r->version; }
size_t ring_nshards(const struct ring *r) { return r->nshards; }
const char *ring_shard_name(const struct ring *r, size_t i) { return r->shards[i].name; }
const char *ring_shard_endpoint(const struct ring *r, size_t i) { return r->shards[i].ep; }
unsigned ring_shard_weight(const struct ring *r, size_t i) { return r->shards[i].weight; }

const char *ring_shard_key(const struct ring *r, size_t i)
{
	return r->shards[i].key[0] ? r->shards[i].key : NULL;
}

int ring_find(const struct ring *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nshards; i++)
		if (!strcmp(r->shards[i].name, name))
			return (int)i;
	return -1;
}

void ring_free(struct ring *r)
{
	if (!r)
		return;
	free(r->points);
	free(r);
}

/* --- building the circle ---------------------------------------------------- */

static int point_cmp(const void *a, const void *b)
{
	const struct ring_point *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int build_points(struct ring *r)
{
	size_t i, k, n = 0;
	unsigned j;

	for (i = 0; i < r->nshards; i++)
		n += (size_t)r->shards[i].weight * RING_POINTS;
	r->points = malloc(n * sizeof(*r->points));
	if (!r->points)
		return -ENOMEM;
	for (i = 0; i < r->nshards; i++) {
		const struct ring_shard *s = &r->shards[i];
		size_t nl = strlen(s->name);
		uint8_t buf[RING_NAME_MAX + 1 + 4];
		uint32_t rank = 0;

		for (k = 0; k < r->nshards; k++)
			rank += strcmp(r->shards[k].name, s->name) < 0;

		memcpy(buf, s->name, nl + 1); /* name, '\0', i big-endian */
		for (j = 0; j < s->weight * RING_POINTS; j++) {
			buf[nl + 1] = (uint8_t)(j >> 24);
			buf[nl + 2] = (uint8_t)(j >> 16);
			buf[nl + 3] = (uint8_t)(j >> 8);
			buf[nl + 4] = (uint8_t)j;
			r->points[r->npoints].h = ring_hash(buf, nl + 5);
			r->points[r->npoints].rank = rank;
			r->points[r->npoints++].shard = (uint32_t)i;
		}
	}
	qsort(r->points, r->npoints, sizeof(*r->points), point_cmp);
	return 0;
}

/* --- parser ------------------------------------------------------------------ */

/* Split line (NUL-terminated, no newline) into at most max fields,
 * stopping at a '#' that starts a field ('#' is a z85 character, so one
 * inside a key is the key's). Returns the count, max + 1 when there are
 * more. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return max + 1;
		f[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* a whole number lo..hi, decimal digits only */
static int parse_num(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int good_name(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > RING_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int good_endpoint(const char *s)
{
	size_t n = strlen(s);

	return n <= RING_EP_MAX && n > 6 &&
	       (!strncmp(s, "tcp://", 6) || !strncmp(s, "ipc://", 6));
}

/* "key=" and 40 characters of the z85 alphabet (ZeroMQ RFC 32) */
static int good_key(const char *s)
{
	static const char z85[] = "0123456789abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
	size_t i;

	if (strncmp(s, "key=", 4) || strlen(s + 4) != RING_KEY_LEN)
		return 0;
	for (i = 4; s[i]; i++)
		if (!strchr(z85, s[i]))
			return 0;
	return 1;
}

/* One shard line's fields (nf: 3, or 4 with a key) into r; why gets the
 * reason. */
static int add_shard(struct ring *r, char **f, int nf, char *why, size_t whylen)
{
	struct ring_shard *s;
	char esc[80];
	uint64_t w;
	size_t i;

	if (!good_name(f[0])) {
		tx_printable(esc, sizeof(esc), f[0], strlen(f[0]));
		snprintf(why, whylen, "bad shard name '%s' (1..%d of A-Z a-z 0-9 . _ -)",
			 esc, RING_NAME_MAX);
		return -EINVAL;
	}
	if (!good_endpoint(f[1])) {
		tx_printable(esc, sizeof(esc), f[1], strlen(f[1]));
		snprintf(why, whylen, "endpoint '%s' is not tcp:// or ipc:// (at most %d bytes)",
			 esc, RING_EP_MAX);
		return -EINVAL;
	}
	if (parse_num(f[2], 1, RING_MAX_WEIGHT, &w)) {
		tx_printable(esc, sizeof(esc), f[2], strlen(f[2]));
		snprintf(why, whylen, "weight '%s' is not a whole number from 1 to %d",
			 esc, RING_MAX_WEIGHT);
		return -EINVAL;
	}
	if (nf == 4 && !good_key(f[3])) {
		tx_printable(esc, sizeof(esc), f[3], strlen(f[3]));
		snprintf(why, whylen, "bad key '%s' (key= and the shard's %d-character z85 public key)",
			 esc, RING_KEY_LEN);
		return -EINVAL;
	}
	if (r->nshards && (nf == 4) != !!r->shards[0].key[0]) {
		snprintf(why, whylen, "a key on every shard or on none ('%s' %s one, '%s' %s)",
			 r->shards[0].name, r->shards[0].key[0] ? "has" : "has none",
			 f[0], nf == 4 ? "has one" : "has none");
		return -EINVAL;
	}
	for (i = 0; i < r->nshards; i++) {
		if (nf == 4 && !strcmp(r->shards[i].key, f[3] + 4)) {
			snprintf(why, whylen, "shards '%s' and '%s' have the same key (each shard its own pair)",
				 r->shards[i].name, f[0]);
			return -EINVAL;
		}
		if (!strcmp(r->shards[i].name, f[0])) {
			snprintf(why, whylen, "shard '%s' named twice", f[0]);
			return -EINVAL;
		}
		if (!strcmp(r->shards[i].ep, f[1])) {
			tx_printable(esc, sizeof(esc), f[1], strlen(f[1]));
			snprintf(why, whylen, "endpoint '%s' used twice", esc);
			return -EINVAL;
		}
	}
	if (r->nshards == RING_MAX_SHARDS) {
		snprintf(why, whylen, "more than %d shards", RING_MAX_SHARDS);
		return -E2BIG;
	}
	s = &r->shards[r->nshards++];
	strcpy(s->name, f[0]);
	strcpy(s->ep, f[1]);
	if (nf == 4)
		strcpy(s->key, f[3] + 4);
	s->weight = (unsigned)w;
	return 0;
}

/* One line (NUL-terminated copy, no newline). */
static int parse_line(struct ring *r, char *line, char *why, size_t whylen)
{
	char *f[5];
	int n = split(line, f, 4);

	if (n == 0)
		return 0;
	if (!strcmp(f[0], "version")) {
		if (r->version) {
			snprintf(why, whylen, "a second version");
			return -EINVAL;
		}
		if (n != 2 || parse_num(f[1], 1, INT64_MAX, &r->version)) {
			snprintf(why, whylen, "bad version: expected 'version N', N from 1 to %lld",
				 (long long)INT64_MAX);
			return -EINVAL;
		}
		return 0;
	}
	if (!r->version) {
		if (n == 3 || n == 4) {
			snprintf(why, whylen, "a shard before the version");
			return -EINVAL;
		}
	} else if (n == 3 || n == 4) {
		return add_shard(r, f, n, why, whylen);
	}
	snprintf(why, whylen, "expected 'version N' or 'NAME ENDPOINT WEIGHT [key=Z85]'");
	return -EINVAL;
}

struct ring *ring_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct ring *r = calloc(1, sizeof(*r));
	char line[RING_LINE_MAX + 1], why[200];
	size_t at = 0, no = 0;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (len > RING_FILE_MAX) {
		snprintf(err, errlen, "ring longer than %d bytes", RING_FILE_MAX);
		goto fail;
	}
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = (nl ? (size_t)(nl - text) : len) - at, i;

		no++;
		if (n > RING_LINE_MAX) {
			snprintf(err, errlen, "line %zu: longer than %d bytes", no, RING_LINE_MAX);
			goto fail;
		}
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)text[at + i];

			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				snprintf(err, errlen, "line %zu: control byte 0x%02x", no, c);
				goto fail;
			}
		}
		memcpy(line, text + at, n);
		line[n] = '\0';
		if (parse_line(r, line, why, sizeof(why))) {
			snprintf(err, errlen, "line %zu: %s", no, why);
			goto fail;
		}
		at += n + 1;
	}
	if (!r->version) {
		snprintf(err, errlen, "no version line");
		goto fail;
	}
	if (!r->nshards) {
		snprintf(err, errlen, "no shard");
		goto fail;
	}
	if (build_points(r)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return r;
fail:
	ring_free(r);
	return NULL;
}

struct ring *ring_load(const char *path, char *err, size_t errlen)
{
	char *buf = malloc(RING_FILE_MAX + 1), why[256];
	FILE *f = fopen(path, "re");
	struct ring *r = NULL;
	size_t n;

	if (!buf || !f) {
		snprintf(err, errlen, "cannot open ring %s: %s", path,
			 buf ? strerror(errno) : "out of memory");
		goto out;
	}
	n = fread(buf, 1, RING_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read ring %s", path);
		goto out;
	}
	r = ring_parse(buf, n, why, sizeof(why));
	if (!r)
		snprintf(err, errlen, "ring %s: %s", path, why);
out:
	if (f)
		fclose(f);
	free(buf);
	return r;
}
