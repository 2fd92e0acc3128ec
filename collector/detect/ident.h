/* ident.h - who a request comes from, beyond its IP address.
 *
 * Credentials are secrets: we never keep them. An API key, a bearer token,
 * a session cookie value or a Basic password is reduced to a keyed 64-bit
 * SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF") whose
 * key is drawn from getrandom() once per process, so the hashes are useless
 * outside this process. What an identity may show in clear: the `sub` claim
 * of a JWT and the user name of Basic auth (bounded, printable only). A JWT's
 * signature is NOT verified here: its `sub` is what the client claims.
 */
#ifndef SW_IDENT_H
#define SW_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/sess.h"

#define IDENT_MAX_NAME 64

enum ident_kind {
	IDENT_NONE = 0,
	IDENT_APIKEY,   /* x-api-key / api-key header */
	IDENT_JWT_SUB,  /* Authorization: Bearer <JWT> with a sub claim */
	IDENT_BEARER,   /* Authorization: Bearer <opaque or JWT without sub> */
	IDENT_BASIC,    /* Authorization: Basic user:pass -> user */
	IDENT_COOKIE,   /* a session cookie */
};

struct ident {
	enum ident_kind kind;
	uint64_t hash;            /* keyed hash of "<kind>:<value>" */
	char key[24];             /* "id:" + 16 hex digits; "" when none */
	char name[IDENT_MAX_NAME];/* JWT sub or Basic user (printable ASCII only), else "" */
};

/* 1 for an identity the client merely claims (a JWT's unverified sub, a
 * Basic user name): anyone can send it, so it never blocks anyone (a block
 * of "alice" would cut alice). 0 for a secret the client must hold (API
 * key, bearer token, session cookie), or IDENT_NONE. */
int ident_claimed(enum ident_kind kind);

/* Keyed SipHash-2-4 of data with the process key. */
uint64_t ident_hash(const void *data, size_t len);
/* Raw SipHash-2-4 with an explicit 16-byte key (for tests vectors). */
uint64_t ident_siphash24(const uint8_t key[16], const void *data, size_t len);
/* Replace the process key: the fleet-wide identity key (ident_key_setup),
 * so an identity hashes the same on every host; tests. Default: random. */
void ident_set_key(const uint8_t key[16]);

/* The process key from the fleet's configuration, before any identity is
 * hashed (allow-list entries hash as the rules load): key_file, 32 hex
 * digits (identity_key, a fleet secret); else a key derived from
 * public_key_file (the correlator's public key: equal on every host of the
 * fleet, but not secret); else the random per-process key stays (identities
 * then mean nothing across hosts). Either may be NULL or "". Returns 0, or
 * -errno with one sentence in err when key_file is unreadable or malformed. */
int ident_key_setup(const char *key_file, const char *public_key_file,
		    char *err, size_t errlen);

/* The identity of a request, strongest first: API key, bearer (JWT sub),
 * Basic, session cookie. Returns 1 when one was found, else 0 (id->kind
 * IDENT_NONE). */
int ident_extract(const struct sess_event *ev, struct ident *id);

/* The key an identity of this kind and clear value gets, as ident_extract
 * would compute it: used to turn allowlist entries ("apikey:...",
 * "sub:alice", "user:bob", "bearer:...", "cookie:NAME=VALUE") into keys.
 * Returns 0, or -EINVAL when spec has none of those prefixes. */
int ident_key_from_spec(const char *spec, char out[24], uint64_t *hash);

/* The user name a login request tries, hashed: Basic user, or a form /
 * JSON body field username, user, email, login. 0 when none found. */
uint64_t ident_login_user(const struct sess_event *ev);

/* Fixed-size decoders, exported for tests. */
/* base64url (or standard) without padding -> bytes; returns length or -1. */
int ident_b64url_decode(const char *in, size_t len, uint8_t *out, size_t cap);
/* The "sub" string of a JWT's payload, copied if printable; 0 or -ENOENT. */
int ident_jwt_sub(const char *tok, size_t len, char *out, size_t cap);

#endif /* SW_IDENT_H */
