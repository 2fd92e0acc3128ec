/* posture.c - posture findings of a learned endpoint; see posture.h. */
#include "collector/inventory/posture.h"

#include <stdio.h>
#include <string.h>

const char *const posture_names[POSTURE__COUNT] = {
	[POSTURE_UNAUTH_SENSITIVE] = "unauthenticated_sensitive_data",
	[POSTURE_MIXED_AUTH] = "mixed_authentication",
	[POSTURE_JWT_ALG_NONE] = "jwt_alg_none",
	[POSTURE_JWT_NO_EXP] = "jwt_without_exp",
	[POSTURE_CREDS_IN_URL] = "credentials_in_url",
	[POSTURE_BASIC_CLEAR] = "basic_auth_cleartext",
	[POSTURE_ZOMBIE_VERSION] = "zombie_api_version",
};

const char *const posture_owasp[POSTURE__COUNT] = {
	[POSTURE_UNAUTH_SENSITIVE] = "API2:2023 Broken Authentication",
	[POSTURE_MIXED_AUTH] = "API5:2023 Broken Function Level Authorization",
	[POSTURE_JWT_ALG_NONE] = "API2:2023 Broken Authentication",
	[POSTURE_JWT_NO_EXP] = "API2:2023 Broken Authentication",
	[POSTURE_CREDS_IN_URL] = "API8:2023 Security Misconfiguration",
	[POSTURE_BASIC_CLEAR] = "API8:2023 Security Misconfiguration",
	[POSTURE_ZOMBIE_VERSION] = "API9:2023 Improper Inventory Management",
};

/* classes whose presence makes an unauthenticated 2xx a finding */
static const enum dataclass_kind sensitive[] = {
	DATACLASS_CARD, DATACLASS_IBAN, DATACLASS_SSN, DATACLASS_EMAIL,
	DATACLASS_PHONE, DATACLASS_JWT, DATACLASS_AWS_KEY,
	DATACLASS_GITHUB_TOKEN, DATACLASS_GITLAB_TOKEN, DATACLASS_SLACK_TOKEN,
	DATACLASS_GOOGLE_KEY, DATACLASS_PRIVATE_KEY, DATACLASS_SECRET,
};

unsigned posture_version(const char *tmpl, char *out, size_t cap)
{
	const char *p = tmpl;

	while ((p = strchr(p, '/')) != NULL) {
		const char *s = p + 1;
		unsigned v = 0;
		size_t k = 1;

		if ((s[0] == 'v' || s[0] == 'V') && s[1] >= '1' && s[1] <= '9') {
			while (s[k] >= '0' && s[k] <= '9' && v < 10000)
				v = v * 10 + (unsigned)(s[k++] - '0');
			if (s[k] == '/' || s[k] == '\0' || s[k] == '.') {
				snprintf(out, cap, "%.*s{v}%s", (int)(s - tmpl), tmpl,
					 s + k);
				return v;
			}
		}
		p = s;
	}
	if (cap)
		out[0] = '\0';
	return 0;
}

struct newer {
	const struct endpoint *e;
	const char *base;
	unsigned v;
	int found;
};

static void find_newer(void *ctx, const struct endpoint *o)
{
	struct newer *n = ctx;
	char base[256];
	unsigned v;

	if (n->found || o == n->e || strcmp(o->authority, n->e->authority) ||
	    strcmp(o->method, n->e->method) || o->calls < POSTURE_MIN_CALLS)
		return;
	v = posture_version(o->tmpl, base, sizeof(base));
	if (v > n->v && strcmp(base, n->base) == 0)
		n->found = 1;
}

static int add(struct posture_finding *out, int n, int max,
	       enum posture_kind k, uint64_t count, uint64_t of)
{
	if (n < max) {
		out[n].kind = k;
		out[n].count = count;
		out[n].of = of;
	}
	return n + 1;
}

int posture_check(const struct endpoint_table *t, const struct endpoint *e,
		  struct posture_finding *out, int max)
{
	uint64_t with = e->ok - e->ok_no_auth, data = 0;
	int n = 0;
	size_t i;

	if (e->calls < POSTURE_MIN_CALLS)
		return 0;
	for (i = 0; i < sizeof(sensitive) / sizeof(sensitive[0]); i++)
		data += e->data[sensitive[i]];
	if (e->ok_no_auth && data)
		n = add(out, n, max, POSTURE_UNAUTH_SENSITIVE, e->ok_no_auth, e->ok);
	if (e->ok >= POSTURE_MIN_CALLS &&
	    (double)e->ok_no_auth >= POSTURE_MIXED_SHARE * (double)e->ok &&
	    (double)with >= POSTURE_MIXED_SHARE * (double)e->ok)
		n = add(out, n, max, POSTURE_MIXED_AUTH, e->ok_no_auth, e->ok);
	if (e->jwt_none_ok)
		n = add(out, n, max, POSTURE_JWT_ALG_NONE, e->jwt_none_ok, e->calls);
	if (e->jwt_no_exp_ok)
		n = add(out, n, max, POSTURE_JWT_NO_EXP, e->jwt_no_exp_ok, e->calls);
	if (e->auth[ENDPOINT_AUTH_QUERY_KEY])
		n = add(out, n, max, POSTURE_CREDS_IN_URL,
			e->auth[ENDPOINT_AUTH_QUERY_KEY], e->calls);
	if (e->auth[ENDPOINT_AUTH_BASIC] && e->tls_calls < e->calls)
		n = add(out, n, max, POSTURE_BASIC_CLEAR,
			e->auth[ENDPOINT_AUTH_BASIC], e->calls);
	if (t) {
		struct newer nw = { e, NULL, 0, 0 };
		char base[256];

		nw.v = posture_version(e->tmpl, base, sizeof(base));
		nw.base = base;
		if (nw.v) {
			endpoint_foreach(t, find_newer, &nw);
			if (nw.found)
				n = add(out, n, max, POSTURE_ZOMBIE_VERSION,
					e->calls, e->calls);
		}
	}
	return n < max ? n : max;
}
