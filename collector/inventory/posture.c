/* posture.c - posture findings of a learned endpoint; see posture.h. */
#include "collector/inventory/posture.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const posture_names[POSTURE__COUNT] = {
	[POSTURE_UNAUTH_SENSITIVE] = "unauthenticated_sensitive_data",
	[POSTURE_MIXED_AUTH] = "mixed_authentication",
	[POSTURE_JWT_ALG_NONE] = "jwt_alg_none",
	[POSTURE_JWT_NO_EXP] = "jwt_without_exp",
	[POSTURE_CREDS_IN_URL] = "credentials_in_url",
	[POSTURE_BASIC_CLEAR] = "basic_auth_cleartext",
	[POSTURE_ZOMBIE_VERSION] = "zombie_api_version",
	[POSTURE_BULK_EXPOSURE] = "bulk_data_exposure",
};

const char *const posture_owasp[POSTURE__COUNT] = {
	[POSTURE_UNAUTH_SENSITIVE] = "API2:2023 Broken Authentication",
	[POSTURE_MIXED_AUTH] = "API5:2023 Broken Function Level Authorization",
	[POSTURE_JWT_ALG_NONE] = "API2:2023 Broken Authentication",
	[POSTURE_JWT_NO_EXP] = "API2:2023 Broken Authentication",
	[POSTURE_CREDS_IN_URL] = "API8:2023 Security Misconfiguration",
	[POSTURE_BASIC_CLEAR] = "API8:2023 Security Misconfiguration",
	[POSTURE_ZOMBIE_VERSION] = "API9:2023 Improper Inventory Management",
	[POSTURE_BULK_EXPOSURE] = "API3:2023 Broken Object Property Level Authorization",
};


/* The first segment "v<N>" of tmpl: its version, and where it starts and
 * ends (after the '/'); 0 when none. */
static unsigned version_seg(const char *tmpl, uint32_t *pos, uint32_t *end)
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
				*pos = (uint32_t)(s - tmpl);
				*end = (uint32_t)(s + k - tmpl);
				return v;
			}
		}
		p = s;
	}
	return 0;
}

unsigned posture_version(const char *tmpl, char *out, size_t cap)
{
	uint32_t pos, end;
	unsigned v = version_seg(tmpl, &pos, &end);

	if (v)
		snprintf(out, cap, "%.*s{v}%s", (int)pos, tmpl, tmpl + end);
	else if (cap)
		out[0] = '\0';
	return v;
}

/* --- the newest version of each (authority, method, base) ---------------
 * Built once per pass over the table (n log n), so judging every endpoint
 * of a table full of versioned templates is not a walk of the table each. */
struct pix_ent {
	const struct endpoint *e;
	unsigned v, vmax;         /* its version; the newest of its group */
	uint32_t vpos, vend;      /* the version segment in e->tmpl */
};

struct posture_index {
	struct pix_ent *v;
	size_t n, cap;
};

static int pix_split(const char *tmpl, unsigned *v, uint32_t *pos, uint32_t *end)
{
	*v = version_seg(tmpl, pos, end);
	return *v != 0;
}

static int pix_cmp_key(const struct endpoint *a, uint32_t ap, uint32_t ae,
		       const struct endpoint *b, uint32_t bp, uint32_t be)
{
	int c = strcmp(a->authority, b->authority);

	if (!c)
		c = strcmp(a->method, b->method);
	if (!c)
		c = ap != bp ? (ap < bp ? -1 : 1) : memcmp(a->tmpl, b->tmpl, ap);
	if (!c)
		c = strcmp(a->tmpl + ae, b->tmpl + be);
	return c;
}

static int pix_cmp(const void *x, const void *y)
{
	const struct pix_ent *a = x, *b = y;

	return pix_cmp_key(a->e, a->vpos, a->vend, b->e, b->vpos, b->vend);
}

static void pix_add(void *ctx, const struct endpoint *e)
{
	struct posture_index *ix = ctx;
	struct pix_ent en = { e, 0, 0, 0, 0 };

	if (e->calls < POSTURE_MIN_CALLS || !pix_split(e->tmpl, &en.v, &en.vpos, &en.vend))
		return;
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 64;
		struct pix_ent *nv = realloc(ix->v, cap * sizeof(*nv));

		if (!nv)
			return; /* fewer zombie findings, never a wrong one */
		ix->v = nv;
		ix->cap = cap;
	}
	ix->v[ix->n++] = en;
}

struct posture_index *posture_index_build(const struct endpoint_table *t)
{
	struct posture_index *ix = calloc(1, sizeof(*ix));
	size_t i, g;

	if (!ix || !t)
		return ix;
	endpoint_foreach(t, pix_add, ix);
	if (ix->n)
		qsort(ix->v, ix->n, sizeof(ix->v[0]), pix_cmp);
	for (g = 0; g < ix->n; g = i) {
		unsigned m = 0;

		for (i = g; i < ix->n && !pix_cmp(&ix->v[g], &ix->v[i]); i++)
			m = ix->v[i].v > m ? ix->v[i].v : m;
		for (size_t k = g; k < i; k++)
			ix->v[k].vmax = m;
	}
	return ix;
}

void posture_index_free(struct posture_index *ix)
{
	if (ix) {
		free(ix->v);
		free(ix);
	}
}

/* A newer version of e's template is called (by at least MIN_CALLS). */
static int pix_newer(const struct posture_index *ix, const struct endpoint *e)
{
	unsigned v;
	uint32_t pos, end;
	size_t lo = 0, hi;

	if (!ix || !ix->n || !pix_split(e->tmpl, &v, &pos, &end))
		return 0;
	hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pix_ent *m = &ix->v[mid];
		int c = pix_cmp_key(e, pos, end, m->e, m->vpos, m->vend);

		if (!c)
			return m->vmax > v;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
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

int posture_check_ix(const struct posture_index *ix, const struct endpoint *e,
		     struct posture_finding *out, int max)
{
	uint64_t with = e->ok - e->ok_no_auth;
	int n = 0;

	if (e->calls < POSTURE_MIN_CALLS)
		return 0;
	if (e->unauth_data)
		n = add(out, n, max, POSTURE_UNAUTH_SENSITIVE, e->unauth_data,
			e->resp_scans);
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
	if (pix_newer(ix, e))
		n = add(out, n, max, POSTURE_ZOMBIE_VERSION, e->calls, e->calls);
	if (e->bulk)
		n = add(out, n, max, POSTURE_BULK_EXPOSURE, e->bulk, e->resp_scans);
	return n < max ? n : max;
}

int posture_check(const struct endpoint_table *t, const struct endpoint *e,
		  struct posture_finding *out, int max)
{
	struct posture_index *ix = t ? posture_index_build(t) : NULL;
	int n = posture_check_ix(ix, e, out, max);

	posture_index_free(ix);
	return n;
}
