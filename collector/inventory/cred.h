/* cred.h - is a request's credential one a server could have issued?
 *
 * The inventory's authentication findings (posture.h:
 * unauthenticated_sensitive_data, mixed_authentication) count a request as
 * authenticated only when it carries a credential well-formed for its
 * scheme, or an attacker who sends "Bearer x" or "x-api-key: YOUR_API_KEY"
 * hides an endpoint that answers anyone. Judged here, by shape alone (no
 * secret is kept): an API key or opaque Bearer token is token68 (RFC 7235
 * 2.1), not a placeholder copied from documentation, ENDPOINT_CRED_MIN
 * characters or ENDPOINT_CRED_SHORT with two character classes; a Bearer
 * JWT's header names an "alg"; Basic decodes to a printable user, a colon
 * and a password (empty only when the user is itself a key); a session
 * cookie's value is ENDPOINT_SESSID_MIN characters of two classes. Optional
 * white space around a value is not part of it.
 */
#ifndef SW_CRED_H
#define SW_CRED_H

#include <stddef.h>

#include "collector/decode/sess.h"
#include "collector/detect/ident.h"
#include "collector/inventory/endpoint.h"

/* The best credential ev carries, each judged by its scheme's shape (an
 * API key beside a Bearer token may be "undefined" while the token is
 * real): API key, then Bearer, then Basic, then a session cookie. *tok and
 * *tok_len are the Bearer token when that wins. IDENT_NONE when none is
 * plausible. */
enum ident_kind cred_best(const struct sess_event *ev, const char **tok, size_t *tok_len);

/* A JWT's "alg" (printable, cut), whether its payload has "exp", and its
 * "iss" and first "aud" (printable, cut; "" when absent). 0 when its
 * header names no "alg": a dotted opaque token is no JWT. */
int cred_jwt_facts(const char *tok, size_t len, char alg[12], int *exp,
		   char iss[ENDPOINT_CLAIM_LEN], char aud[ENDPOINT_CLAIM_LEN]);

#endif /* SW_CRED_H */
