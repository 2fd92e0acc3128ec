/* cred.c - a request's credential judged by its shape (see cred.h). */
#include "collector/inventory/cred.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* After the member named key in a decoded JSON object: the value's first
 * byte, or NULL. The name must be followed by ':' (a string that only
 * contains "exp" is not the claim). */
static const char *claim_at(const char *json, const char *key)
{
	size_t kl = strlen(key);
	const char *p = json;

	while ((p = strstr(p, key)) != NULL) {
		const char *q = p + kl;

		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		if (*q == ':') {
			q++;
			while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
				q++;
			return q;
		}
		p += kl;
	}
	return NULL;
}

/* A string claim (the first of an array) as printable text, cut. */
static void claim_str(const char *json, const char *key, char *out, size_t cap)
{
	const char *v = claim_at(json, key);
	size_t k = 0;

	out[0] = '\0';
	if (!v)
		return;
	if (*v == '[')
		for (v++; *v == ' '; v++)
			;
	if (*v != '"')
		return;
	for (v++; *v && *v != '"' && k + 1 < cap; v++)
		out[k++] = *v > 0x20 && *v < 0x7f ? *v : '?';
	out[k] = '\0';
}

/* A JWT's "alg" (printable, cut), whether its payload has "exp", and its
 * "iss" and first "aud" (printable, cut; "" when absent). 0 when its
 * header names no "alg": a dotted opaque token is no JWT. */
int cred_jwt_facts(const char *tok, size_t len, char alg[12], int *exp,
		    char iss[ENDPOINT_CLAIM_LEN], char aud[ENDPOINT_CLAIM_LEN])
{
	const char *d1 = memchr(tok, '.', len), *d2;
	uint8_t buf[1024];
	int n;
	char *a, *end;

	alg[0] = iss[0] = aud[0] = '\0';
	*exp = 0;
	if (!d1 || !(d2 = memchr(d1 + 1, '.', (size_t)(tok + len - d1 - 1))))
		return 0;
	n = ident_b64url_decode(tok, (size_t)(d1 - tok), buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	a = strstr((char *)buf, "\"alg\"");
	if (!a)
		return 0;
	if ((a = strchr(a + 5, '"')) && (end = strchr(a + 1, '"'))) {
		size_t k, l = (size_t)(end - a - 1);

		if (l > 11)
			l = 11;
		for (k = 0; k < l; k++)
			alg[k] = a[1 + k] > 0x20 && a[1 + k] < 0x7f ? a[1 + k] : '?';
		alg[l] = '\0';
	}
	n = ident_b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		*exp = claim_at((char *)buf, "\"exp\"") != NULL;
		claim_str((char *)buf, "\"iss\"", iss, ENDPOINT_CLAIM_LEN);
		claim_str((char *)buf, "\"aud\"", aud, ENDPOINT_CLAIM_LEN);
	}
	return 1;
}

/* token68 (RFC 7235 2.1): letters, digits, "-._~+/", then '=' padding */
static int token68(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
			 (p[i] >= '0' && p[i] <= '9') || p[i] == '-' || p[i] == '.' ||
			 p[i] == '_' || p[i] == '~' || p[i] == '+' || p[i] == '/'))
		i++;
	while (i < n && p[i] == '=')
		i++;
	return n && i == n;
}

/* Character classes of a value: lower, upper, digit, other (a bit each). */
static int char_classes(const char *p, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 'a' && p[i] <= 'z')
			c |= 1;
		else if (p[i] >= 'A' && p[i] <= 'Z')
			c |= 2;
		else if (p[i] >= '0' && p[i] <= '9')
			c |= 4;
		else
			c |= 8;
	}
	return c;
}

static int n_classes(const char *p, size_t n)
{
	int c = char_classes(p, n);

	return (c & 1) + !!(c & 2) + !!(c & 4) + !!(c & 8);
}

/* A value copied from documentation or left unset by a client:
 * "YOUR_API_KEY", "your_token_here", "undefined", "changeme",
 * "aaaaaaaaaaaa". Compared on its letters and digits, lower-cased. */
static int cred_placeholder(const char *p, size_t n)
{
	static const char *const exact[] = {
		"null", "undefined", "none", "nil", "test", "testing", "token",
		"apikey", "key", "secret", "password", "bearer", "string",
		"example", "demo", "dummy", "fake", "abc123", "123456789", NULL,
	};
	static const char *const inside[] = {
		"changeme", "placeholder", "replaceme", "redacted", "insertyour",
		"yourapikey", "yourtoken", "yourkey", "yoursecret", "youraccess",
		"tokenhere", "keyhere", NULL,
	};
	char buf[64];
	size_t k = 0, same = 1;

	for (size_t i = 0; i < n && k + 1 < sizeof(buf); i++) {
		char c = p[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			buf[k++] = c;
	}
	buf[k] = '\0';
	if (!k)
		return 1;
	for (size_t i = 1; i < k; i++)
		same &= buf[i] == buf[0];
	if (same || strncmp(buf, "your", 4) == 0)
		return 1;
	for (int i = 0; exact[i]; i++)
		if (strcmp(buf, exact[i]) == 0)
			return 1;
	for (int i = 0; inside[i]; i++)
		if (strstr(buf, inside[i]))
			return 1;
	return 0;
}

/* An API key or opaque token a server could have issued: token68, no
 * placeholder, ENDPOINT_CRED_MIN characters, or ENDPOINT_CRED_SHORT
 * with two classes of characters ("a1b2c3d4e5"). */
static int key_shaped(const char *p, size_t n)
{
	if (!token68(p, n) || cred_placeholder(p, n))
		return 0;
	return n >= ENDPOINT_CRED_MIN || (n >= ENDPOINT_CRED_SHORT && n_classes(p, n) >= 2);
}

/* v without the optional white space around it */
static const char *ows_trim(const char *v, size_t *n)
{
	while (*n && (*v == ' ' || *v == '\t'))
		v++, (*n)--;
	while (*n && (v[*n - 1] == ' ' || v[*n - 1] == '\t'))
		(*n)--;
	return v;
}

/* Basic: a printable user, a colon and a password; an empty password
 * only when the user is itself a key (Stripe's curl -u KEY:). */
static int basic_shaped(const char *p, size_t n)
{
	uint8_t dec[512];
	const uint8_t *colon;
	int m, ok = 0;

	if (!n || !token68(p, n))
		return 0;
	m = ident_b64url_decode(p, n, dec, sizeof(dec));
	if (m > 0 && (colon = memchr(dec, ':', (size_t)m)) && colon > dec) {
		size_t ul = (size_t)(colon - dec), pl = (size_t)m - ul - 1;

		ok = 1;
		for (size_t i = 0; i < (size_t)m; i++)
			ok &= dec[i] >= 0x20 && dec[i] < 0x7f;
		ok = ok && (pl || key_shaped((const char *)dec, ul));
	}
	explicit_bzero(dec, sizeof(dec)); /* held the password */
	return ok;
}

/* A session cookie (ident's names) whose value looks like a session id:
 * ENDPOINT_SESSID_MIN characters of two classes or more. "sid=1" alone
 * proves nothing. */
static int cookie_shaped(const struct sess_event *ev)
{
	static const char *const names[] = {
		"session", "sessionid", "session_id", "jsessionid", "phpsessid",
		"connect.sid", "sid", "_session_id", "asp.net_sessionid", NULL,
	};

	for (uint32_t i = 0; i < ev->n_hdrs; i++) {
		const struct sess_hdr *h = &ev->hdrs[i];
		const char *p, *end;

		if (h->name_len != 6 || memcmp(ev->hdr_arena + h->name_off, "cookie", 6))
			continue;
		p = ev->hdr_arena + h->val_off;
		end = p + h->val_len;
		while (p < end) {
			const char *semi = memchr(p, ';', (size_t)(end - p)), *eq;
			size_t nl, vl;
			const char *val;

			if (!semi)
				semi = end;
			nl = (size_t)(semi - p);
			p = ows_trim(p, &nl);
			eq = memchr(p, '=', nl);
			if (eq) {
				size_t k = (size_t)(eq - p);

				vl = (size_t)(p + nl - eq - 1);
				val = ows_trim(eq + 1, &vl);
				while (k && (p[k - 1] == ' ' || p[k - 1] == '\t'))
					k--;
				for (int j = 0; names[j]; j++)
					if (strlen(names[j]) == k && !strncasecmp(p, names[j], k) &&
					    vl >= ENDPOINT_SESSID_MIN && n_classes(val, vl) >= 2 &&
					    !cred_placeholder(val, vl))
						return 1;
			}
			p = semi + 1;
		}
	}
	return 0;
}

/* a JWT whose header names an "alg" */
static int jwt_shaped(const char *v, size_t n)
{
	char alg[12], iss[ENDPOINT_CLAIM_LEN], aud[ENDPOINT_CLAIM_LEN];
	int exp;

	return cred_jwt_facts(v, n, alg, &exp, iss, aud);
}

/* The best credential a request carries, each judged by the shape its
 * scheme gives it (an API key beside a Bearer token may be "undefined"
 * while the token is real): API key, then Bearer (a JWT with an "alg",
 * or an opaque token), then Basic, then a session cookie. *tok is the
 * Bearer token when that wins. IDENT_NONE when none is plausible. */
enum ident_kind cred_best(const struct sess_event *ev, const char **tok, size_t *tok_len)
{
	const char *v;
	size_t n;

	for (int i = 0; i < 2; i++)
		if ((v = sess_get_hdr(ev, i ? "api-key" : "x-api-key", &n))) {
			v = ows_trim(v, &n);
			if (key_shaped(v, n))
				return IDENT_APIKEY;
		}
	if ((v = sess_get_hdr(ev, "authorization", &n))) {
		v = ows_trim(v, &n);
		if (n > 7 && strncasecmp(v, "bearer ", 7) == 0) {
			v += 7, n -= 7;
			v = ows_trim(v, &n);
			if (key_shaped(v, n) || (token68(v, n) && jwt_shaped(v, n))) {
				*tok = v;
				*tok_len = n;
				return IDENT_BEARER;
			}
		} else if (n > 6 && strncasecmp(v, "basic ", 6) == 0) {
			v += 6, n -= 6;
			v = ows_trim(v, &n);
			if (basic_shaped(v, n))
				return IDENT_BASIC;
		}
	}
	return cookie_shaped(ev) ? IDENT_COOKIE : IDENT_NONE;
}

