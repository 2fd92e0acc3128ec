/* posture.h - what an endpoint's own traffic says about how it is
 * protected: posture findings, each tagged with its OWASP API Security
 * Top 10 (2023) category.
 *
 * In: one learned endpoint (endpoint.h), and the table for the checks that
 * compare endpoints (an old version beside a newer one).
 * Out: findings, each a kind, its category and the counts that support it.
 * A finding needs evidence enough not to be noise: POSTURE_MIN_CALLS calls,
 * and for "mixed" auth a share on each side.
 */
#ifndef SW_POSTURE_H
#define SW_POSTURE_H

#include <stddef.h>
#include <stdint.h>

#include "collector/inventory/endpoint.h"

#ifndef POSTURE_MIN_CALLS
#define POSTURE_MIN_CALLS 5
#endif
#define POSTURE_MIXED_SHARE 0.1 /* each side of a mix at least this share */

enum posture_kind {
	POSTURE_UNAUTH_SENSITIVE, /* 2xx without credentials, a sensitive class
				   * (dataclass_kind_sensitive) in responses */
	POSTURE_MIXED_AUTH,       /* 2xx both with and without credentials */
	POSTURE_JWT_ALG_NONE,     /* a JWT with alg "none" answered 2xx */
	POSTURE_JWT_NO_EXP,       /* JWTs without exp answered 2xx */
	POSTURE_CREDS_IN_URL,     /* a credential in the query string */
	POSTURE_BASIC_CLEAR,      /* Basic credentials over plain HTTP */
	POSTURE_ZOMBIE_VERSION,   /* /v1/... still called beside /v2/... */
	POSTURE_BULK_EXPOSURE,    /* a response carried ENDPOINT_BULK or more
				   * records of one sensitive class */
	POSTURE__COUNT
};

/* "unauthenticated_sensitive_data", "mixed_authentication",
 * "jwt_alg_none", "jwt_without_exp", "credentials_in_url",
 * "basic_auth_cleartext", "zombie_api_version", "bulk_data_exposure" */
extern const char *const posture_names[POSTURE__COUNT];
/* "API2:2023 Broken Authentication", "API9:2023 Improper Inventory
 * Management", ... */
extern const char *const posture_owasp[POSTURE__COUNT];

struct posture_finding {
	enum posture_kind kind;
	uint64_t count;      /* calls supporting it */
	uint64_t of;         /* out of */
};

/* The findings of one endpoint into out (at most max); returns how many.
 * t may be NULL (no cross-endpoint checks). */
int posture_check(const struct endpoint_table *t, const struct endpoint *e,
		  struct posture_finding *out, int max);

/* For a pass over the whole table: the newest version of each (authority,
 * method, template base) among endpoints with POSTURE_MIN_CALLS calls,
 * built once (n log n; the table must not change while it is used), then
 * posture_check_ix per endpoint. ix NULL: no cross-endpoint checks. */
struct posture_index;
struct posture_index *posture_index_build(const struct endpoint_table *t);
void posture_index_free(struct posture_index *ix); /* NULL ok */
int posture_check_ix(const struct posture_index *ix, const struct endpoint *e,
		     struct posture_finding *out, int max);

/* The API version a template names ("/v2/users" -> 2, "/api/v10/x" ->
 * 10), and the template with that segment as "{v}" into out; 0 when none. */
unsigned posture_version(const char *tmpl, char *out, size_t cap);

#endif /* SW_POSTURE_H */
