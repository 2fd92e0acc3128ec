/* ident.c - client identity from credentials, hashed with SipHash-2-4. */
#include "collector/detect/ident.h"
#include "common/digit.h"
#include "common/log.h"
#include "common/sha1.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* --- SipHash-2-4 (from the paper: 2 compression rounds per 8-byte word,
 * 4 finalization rounds, 128-bit key, 64-bit output) ---------------------- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                              \
	do {                                                                  \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);     \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                        \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                        \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);     \
	} while (0)

/* one unaligned load (a byte loop costs as much as the rounds) */
static uint64_t le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

uint64_t ident_siphash24(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ull ^ k0;
	uint64_t v1 = 0x646f72616e646f6dull ^ k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ k0;
	uint64_t v3 = 0x7465646279746573ull ^ k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, full = len & ~(size_t)7;

	for (i = 0; i < full; i += 8) {
		m = le64(in + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	/* last block: remaining bytes little-endian, length in the top byte */
	for (size_t j = 0; j < (len & 7); j++)
		b |= (uint64_t)in[full + j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint8_t proc_key[16];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void key_init(void)
{
	size_t got = 0;

	while (got < sizeof(proc_key)) {
		ssize_t r = getrandom(proc_key + got, sizeof(proc_key) - got, 0);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got < sizeof(proc_key)) {
		/* no entropy source: still differ per process and boot */
		struct timespec ts;
		uint64_t a, b;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		a = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
		b = (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)&ts;
		memcpy(proc_key, &a, 8);
		memcpy(proc_key + 8, &b, 8);
	}
}

void ident_set_key(const uint8_t key[16])
{
	pthread_once(&key_once, key_init);
	memcpy(proc_key, key, sizeof(proc_key));
}

uint64_t ident_hash(const void *data, size_t len)
{
	pthread_once(&key_once, key_init);
	return ident_siphash24(proc_key, data, len);
}

/* Read a file's first line into buf (trailing space cut). 0 or -errno. */
static int read_line(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)cap, f))
		buf[0] = '\0';
	fclose(f);
	n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

/* The fleet identity key: a file of 32 hex digits. */
static int key_from_file(const char *path, char *err, size_t errlen)
{
	uint8_t key[16];
	char line[256];
	int rc;

	rc = read_line(path, line, sizeof(line));
	if (rc) {
		snprintf(err, errlen, "identity_key %s: %s", path, strerror(-rc));
		return rc;
	}
	for (size_t i = 0; i < 16; i++) {
		unsigned v;

		if (strlen(line) != 32 || !isxdigit((unsigned char)line[2 * i]) ||
		    !isxdigit((unsigned char)line[2 * i + 1]) ||
		    sscanf(line + 2 * i, "%2x", &v) != 1) {
			snprintf(err, errlen, "identity_key %s must hold 32 hex digits (16 random bytes), e.g. from `head -c16 /dev/urandom | od -An -tx1 | tr -d ' \\n'`",
				 path);
			explicit_bzero(line, sizeof(line));
			return -EINVAL;
		}
		key[i] = (uint8_t)v;
	}
	ident_set_key(key);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(line, sizeof(line));
	log_info("identities hashed with the fleet identity key %s", path);
	return 0;
}

/* A key derived from the correlator's public key; none when it cannot be
 * read (the random key stays). */
static void key_from_public(const char *path)
{
	uint8_t key[16], dig[SHA1_DIGEST_LEN];
	struct sha1_ctx c;
	char line[256];

	if (read_line(path, line, sizeof(line)) || !line[0])
		return;
	sha1_init(&c);
	sha1_update(&c, "sidewatch identity key v1", 25);
	sha1_update(&c, line, strlen(line));
	sha1_final(&c, dig);
	memcpy(key, dig, sizeof(key));
	ident_set_key(key);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(dig, sizeof(dig));
	/* equal across the fleet, but anyone with the public key and the
	 * events could test guesses of a JWT subject or user name */
	log_warn("identities hashed with a key derived from the correlator's public key: set identity_key (a fleet secret) so identity hashes cannot be tested against guesses");
}

int ident_key_setup(const char *key_file, const char *public_key_file,
		    char *err, size_t errlen)
{
	if (key_file && key_file[0])
		return key_from_file(key_file, err, errlen);
	if (public_key_file && public_key_file[0])
		key_from_public(public_key_file);
	return 0;
}

/* hash of tag followed by value, without keeping the joined copy */
static uint64_t hash_tagged(const char *tag, const char *val, size_t len)
{
	char buf[SESS_HDR_ARENA + 16];
	size_t tl = strlen(tag);
	uint64_t h;

	if (len > sizeof(buf) - tl)
		len = sizeof(buf) - tl;
	memcpy(buf, tag, tl);
	memcpy(buf + tl, val, len);
	h = ident_hash(buf, tl + len);
	/* the joined copy held a credential: do not leave it on the stack */
	explicit_bzero(buf, tl + len);
	return h;
}

static void set_key(struct ident *id, enum ident_kind kind, uint64_t h)
{
	id->kind = kind;
	id->hash = h;
	snprintf(id->key, sizeof(id->key), "id:%016llx", (unsigned long long)h);
}

/* --- decoders ------------------------------------------------------------- */


int ident_b64url_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;

	while (len && in[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++) {
		int v = digit_b64_any((unsigned char)in[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	return (int)o;
}

static int printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* Find "name" as a JSON key in buf and copy its string value (no escapes
 * accepted: such values are left out rather than half-decoded). */
static int json_str_field(const char *buf, size_t n, const char *name,
			  char *out, size_t cap)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i + nl + 2 <= n; i++) {
		size_t j, start;

		if (buf[i] != '"' || memcmp(buf + i + 1, name, nl) != 0 ||
		    buf[i + 1 + nl] != '"')
			continue;
		j = i + nl + 2;
		while (j < n && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\n' || buf[j] == '\r'))
			j++;
		if (j >= n || buf[j] != ':')
			continue;
		j++;
		while (j < n && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\n' || buf[j] == '\r'))
			j++;
		if (j >= n || buf[j] != '"')
			continue;
		start = ++j;
		while (j < n && buf[j] != '"' && buf[j] != '\\')
			j++;
		if (j >= n || buf[j] != '"' || j - start == 0 || j - start >= cap)
			return -ENOENT;
		if (!printable(buf + start, j - start))
			return -ENOENT;
		memcpy(out, buf + start, j - start);
		out[j - start] = '\0';
		return 0;
	}
	return -ENOENT;
}

int ident_jwt_sub(const char *tok, size_t len, char *out, size_t cap)
{
	const char *d1 = memchr(tok, '.', len), *d2;
	uint8_t payload[1536];
	int n;

	if (!d1)
		return -ENOENT;
	d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - tok));
	if (!d2 || d2 == d1 + 1)
		return -ENOENT;
	n = ident_b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), payload, sizeof(payload));
	if (n <= 0)
		return -ENOENT;
	return json_str_field((const char *)payload, (size_t)n, "sub", out, cap);
}

/* --- extraction ------------------------------------------------------------ */

static const char *const session_cookies[] = {
	"session", "sessionid", "session_id", "jsessionid", "phpsessid",
	"connect.sid", "sid", "_session_id", "asp.net_sessionid", NULL,
};

static int is_session_cookie(const char *n, size_t len)
{
	for (int i = 0; session_cookies[i]; i++)
		if (strlen(session_cookies[i]) == len && !strncasecmp(n, session_cookies[i], len))
			return 1;
	return 0;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static int from_cookie(const char *v, size_t len, struct ident *id)
{
	const char *p = v, *end = v + len;

	while (p < end) {
		const char *semi, *eq, *name;
		size_t nl;

		p = skip_ws(p, end);
		semi = memchr(p, ';', (size_t)(end - p));
		if (!semi)
			semi = end;
		eq = memchr(p, '=', (size_t)(semi - p));
		name = p;
		if (eq) {
			nl = (size_t)(eq - name);
			while (nl && (name[nl - 1] == ' ' || name[nl - 1] == '\t'))
				nl--;
			if (is_session_cookie(name, nl) && semi - eq > 1) {
				/* the whole "NAME=VALUE", as an allow spec would give it */
				set_key(id, IDENT_COOKIE,
					hash_tagged("cookie:", name, (size_t)(semi - name)));
				return 1;
			}
		}
		p = semi + 1;
	}
	return 0;
}

static int from_authorization(const char *v, size_t len, struct ident *id)
{
	const char *end = v + len, *p;

	/* the decoder keeps optional white space after a value */
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = (size_t)(end - v);
	if (len > 7 && !strncasecmp(v, "Bearer ", 7)) {
		p = skip_ws(v + 7, end);
		if (p == end)
			return 0;
		if (ident_jwt_sub(p, (size_t)(end - p), id->name, sizeof(id->name)) == 0) {
			set_key(id, IDENT_JWT_SUB, hash_tagged("sub:", id->name, strlen(id->name)));
			return 1;
		}
		id->name[0] = '\0';
		set_key(id, IDENT_BEARER, hash_tagged("bearer:", p, (size_t)(end - p)));
		return 1;
	}
	if (len > 6 && !strncasecmp(v, "Basic ", 6)) {
		uint8_t dec[512];
		const uint8_t *colon;
		int n;

		p = skip_ws(v + 6, end);
		n = ident_b64url_decode(p, (size_t)(end - p), dec, sizeof(dec));
		if (n <= 0)
			return 0;
		colon = memchr(dec, ':', (size_t)n);
		if (colon && colon > dec && (size_t)(colon - dec) < sizeof(id->name) &&
		    printable((const char *)dec, (size_t)(colon - dec))) {
			size_t ul = (size_t)(colon - dec);

			memcpy(id->name, dec, ul);
			id->name[ul] = '\0';
			set_key(id, IDENT_BASIC, hash_tagged("user:", id->name, ul));
		}
		explicit_bzero(dec, sizeof(dec)); /* held the password */
		return id->kind != IDENT_NONE;
	}
	return 0;
}

int ident_extract(const struct sess_event *ev, struct ident *id)
{
	const char *v;
	size_t len;

	memset(id, 0, sizeof(*id));
	if ((v = sess_get_hdr(ev, "x-api-key", &len)) != NULL ||
	    (v = sess_get_hdr(ev, "api-key", &len)) != NULL) {
		while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		if (len) {
			set_key(id, IDENT_APIKEY, hash_tagged("apikey:", v, len));
			return 1;
		}
	}
	if ((v = sess_get_hdr(ev, "authorization", &len)) != NULL &&
	    from_authorization(v, len, id))
		return 1;
	memset(id, 0, sizeof(*id));
	/* every Cookie header (HTTP/2 may split them) */
	for (uint32_t i = 0; i < ev->n_hdrs; i++) {
		const struct sess_hdr *h = &ev->hdrs[i];

		if (h->name_len == 6 && !memcmp(ev->hdr_arena + h->name_off, "cookie", 6) &&
		    from_cookie(ev->hdr_arena + h->val_off, h->val_len, id))
			return 1;
	}
	return 0;
}

int ident_claimed(enum ident_kind kind)
{
	return kind == IDENT_JWT_SUB || kind == IDENT_BASIC;
}

int ident_key_from_spec(const char *spec, char out[24], uint64_t *hash)
{
	static const char *const tags[] = { "apikey:", "sub:", "user:", "bearer:", "cookie:", NULL };
	uint64_t h;

	for (int i = 0; tags[i]; i++) {
		size_t tl = strlen(tags[i]);

		if (!strncmp(spec, tags[i], tl) && spec[tl]) {
			h = hash_tagged(tags[i], spec + tl, strlen(spec + tl));
			snprintf(out, 24, "id:%016llx", (unsigned long long)h);
			if (hash)
				*hash = h;
			return 0;
		}
	}
	return -EINVAL;
}

/* value of a form field name=... at a field start; lower-cased, bounded */
static int form_field(const char *b, size_t n, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i + nl < n; i++) {
		size_t j, o = 0;

		if ((i && b[i - 1] != '&') || strncmp(b + i, name, nl) || b[i + nl] != '=')
			continue;
		for (j = i + nl + 1; j < n && b[j] != '&' && o + 1 < cap; j++)
			out[o++] = b[j];
		out[o] = '\0';
		return o ? 0 : -ENOENT;
	}
	return -ENOENT;
}

uint64_t ident_login_user(const struct sess_event *ev)
{
	static const char *const fields[] = { "username", "user", "email", "login", "user_name", NULL };
	char name[128];
	const char *v;
	size_t len;

	if ((v = sess_get_hdr(ev, "authorization", &len)) != NULL &&
	    len > 6 && !strncasecmp(v, "Basic ", 6)) {
		struct ident id;

		memset(&id, 0, sizeof(id));
		if (from_authorization(v, len, &id) && id.kind == IDENT_BASIC)
			return hash_tagged("login:", id.name, strlen(id.name));
	}
	if (!ev->body_len)
		return 0;
	for (int i = 0; fields[i]; i++) {
		int r;

		if (ev->body[0] == '{')
			r = json_str_field((const char *)ev->body, ev->body_len, fields[i], name, sizeof(name));
		else
			r = form_field((const char *)ev->body, ev->body_len, fields[i], name, sizeof(name));
		if (r == 0) {
			for (char *c = name; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c = (char)(*c - 'A' + 'a');
			return hash_tagged("login:", name, strlen(name));
		}
	}
	return 0;
}
