/* endpoint.h - the API inventory one collector learns from the wire.
 *
 * In: every session event (request and response seen), with the path
 * template the detectors' template learner gave it.
 * Out: a bounded table of endpoints — (authority, method, template,
 * protocol) — each with first/last seen, calls, status classes, latency and
 * size histograms, request content types, the credentials seen (and how
 * many 2xx answers had none), JWT algorithms and claims present, the
 * sensitive data classes seen in requests and responses (per JSON path,
 * with the most records of a class one response carried), and its parameters with their
 * inferred types and a few value shapes. Never a value: shapes are
 * character classes ("a9-a"), enums are counted by keyed hash.
 *
 * Memory is fixed at endpoint_new (max_endpoints entries); when full, the
 * endpoint seen longest ago is evicted and counted. Lookups hash with the
 * process key (detect/ident.h), so crafted paths cannot aim at one chain.
 */
#ifndef SW_ENDPOINT_H
#define SW_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "collector/decode/sess.h"
#include "collector/inventory/dataclass.h"
#include "collector/inventory/param.h"

#ifndef ENDPOINT_MAX_PARAMS
#define ENDPOINT_MAX_PARAMS 16  /* parameters kept per endpoint */
#endif
#define ENDPOINT_HIST 32        /* log2 buckets: [2^k, 2^(k+1)) */
#define ENDPOINT_SHAPES 3       /* value shapes kept per parameter */
#define ENDPOINT_SHAPE_LEN 16
#define ENDPOINT_ENUM 8         /* distinct value hashes counted */
#define ENDPOINT_CTYPES 3       /* request content types kept */
#define ENDPOINT_ALGS 3         /* JWT algorithms kept */
#define ENDPOINT_CLAIMS 3       /* JWT issuers, and audiences, kept */
#define ENDPOINT_CLAIM_LEN 48
#define ENDPOINT_EVICTED 64      /* evicted entries kept for the next push */
/* Data classes: every request until this many, then one in 16 at random
 * (a per-table generator seeded from getrandom()). */
#define ENDPOINT_DATA_FULL 64
#define ENDPOINT_DPATHS 8        /* (direction, class, JSON path) kept */
#define ENDPOINT_DPATH_LEN 96    /* bytes of a JSON path kept */
/* Records of one sensitive class in one response that make it a bulk
 * exposure (posture.h). */
#ifndef ENDPOINT_CRED_MIN
#define ENDPOINT_CRED_MIN 12 /* shortest API key or opaque bearer token
			      * counted as a credential (RFC 6750's example
			      * is 15; "null", "undefined", "test" are not) */
#endif
#ifndef ENDPOINT_CRED_SHORT
#define ENDPOINT_CRED_SHORT 8 /* shorter keys count with two character
			       * classes or more ("a1b2c3d4e5") */
#endif
#ifndef ENDPOINT_SESSID_MIN
#define ENDPOINT_SESSID_MIN 16 /* a session cookie value counts as a
				* credential from this length, two classes */
#endif
#ifndef ENDPOINT_BULK
#define ENDPOINT_BULK 10
#endif

enum endpoint_dir { ENDPOINT_DIR_REQ, ENDPOINT_DIR_RESP };

enum endpoint_auth {
	ENDPOINT_AUTH_NONE,
	ENDPOINT_AUTH_BASIC,
	ENDPOINT_AUTH_JWT,       /* Authorization: Bearer <JWT> */
	ENDPOINT_AUTH_BEARER,    /* Authorization: Bearer <opaque> */
	ENDPOINT_AUTH_APIKEY,    /* x-api-key / api-key header */
	ENDPOINT_AUTH_QUERY_KEY, /* a credential in the query string */
	ENDPOINT_AUTH_COOKIE,    /* a session cookie */
	ENDPOINT_AUTH__COUNT
};

/* "none", "basic", "jwt", "bearer", "api_key", "query_key", "cookie" */
extern const char *const endpoint_auth_names[ENDPOINT_AUTH__COUNT];

struct endpoint_param {
	char name[PARAM_MAX_NAME];
	uint8_t where;            /* enum param_where */
	uint32_t types;           /* PARAM_T_* union */
	uint64_t seen;
	uint32_t min_len, max_len;
	char shapes[ENDPOINT_SHAPES][ENDPOINT_SHAPE_LEN];
	uint32_t enum_hash[ENDPOINT_ENUM];
	uint8_t n_enum;
	uint8_t enum_over;        /* more distinct values than ENDPOINT_ENUM */
};

/* Where a data class was found: "$.customers[].email" in responses. The
 * path is built from the body's keys, attacker-chosen in requests: it is
 * escaped wherever it is written (JSON, SQL, OpenAPI). */
struct endpoint_dpath {
	char path[ENDPOINT_DPATH_LEN];
	uint8_t kind;             /* enum dataclass_kind */
	uint8_t dir;              /* enum endpoint_dir */
	uint64_t count;
};

struct endpoint {
	uint64_t key;
	char authority[64];
	char method[16];
	char tmpl[256];
	uint8_t proto;            /* enum sess_proto */
	uint64_t first_us, last_us, calls;
	uint64_t chg;              /* table change number of its last update:
				    * pushes follow it, not the wall clock */
	uint64_t status[6];       /* none, 1xx .. 5xx */
	uint32_t latency_us[ENDPOINT_HIST];
	uint32_t req_bytes[ENDPOINT_HIST];
	uint32_t resp_bytes[ENDPOINT_HIST];
	uint64_t auth[ENDPOINT_AUTH__COUNT];
	uint64_t ok, ok_no_auth;  /* 2xx answers; of them without credentials */
	char jwt_alg[ENDPOINT_ALGS][12];
	uint8_t n_alg;
	char jwt_iss[ENDPOINT_CLAIMS][ENDPOINT_CLAIM_LEN]; /* "iss" claims */
	uint8_t n_iss;
	char jwt_aud[ENDPOINT_CLAIMS][ENDPOINT_CLAIM_LEN]; /* first "aud" */
	uint8_t n_aud;
	uint64_t jwt_exp, jwt_no_exp;
	uint64_t jwt_none_ok;     /* 2xx to a JWT with alg "none" */
	uint64_t jwt_no_exp_ok;   /* 2xx to a JWT without exp */
	uint64_t tls_calls;       /* calls whose bytes came from a TLS library */
	char ctype[ENDPOINT_CTYPES][48];
	uint8_t n_ctype;
	uint64_t data[DATACLASS__COUNT];      /* in requests */
	uint64_t data_resp[DATACLASS__COUNT]; /* in response bodies */
	struct endpoint_dpath dpath[ENDPOINT_DPATHS];
	uint8_t n_dpath;
	uint64_t dpaths_dropped;  /* findings whose path was not kept */
	char rctype[ENDPOINT_CTYPES][SESS_MAX_CTYPE]; /* response types */
	uint8_t n_rctype;
	uint64_t resp_scans;      /* response bodies scanned for data */
	uint64_t resp_coded;      /* of the sampled, bodies a coding hid (not
				   * gzip/deflate, or no valid stream) */
	uint64_t unauth_data;     /* scanned 2xx answers to requests without
				   * credentials whose body carried a
				   * sensitive class (dataclass_kind_sensitive) */
	uint64_t bulk;            /* responses with ENDPOINT_BULK or more
				   * records of one sensitive class */
	uint32_t bulk_max;        /* most records of one sensitive class in a
				   * response, and that class */
	uint8_t bulk_kind;
	struct endpoint_param param[ENDPOINT_MAX_PARAMS];
	uint8_t n_param;
	uint64_t params_dropped;  /* occurrences of parameters not kept */
	/* table links, private */
	uint32_t lru_prev, lru_next;
};

struct endpoint_config {
	uint32_t max_endpoints;   /* default 2048 */
	/* Data-class scans (of an exchange's request and response bodies)
	 * per second, over the whole table; past it exchanges are learned
	 * without a scan and counted (data_skipped). Default 2000. */
	uint32_t data_per_sec;
};

struct endpoint_stats {
	uint64_t endpoints, created, evicted, observed;
	uint64_t data_scans;      /* exchanges scanned for data classes */
	uint64_t data_skipped;    /* exchanges due a scan the budget refused */
	uint64_t cred_junk;       /* credentials not counted: not well-formed
				   * for their scheme ("Bearer x") */
	uint64_t evicted_overwritten; /* evicted copies reused (an upper bound of
				       * the evicted entries whose last changes
				       * were never pushed) */
};

struct endpoint_table;

void endpoint_config_default(struct endpoint_config *cfg);
struct endpoint_table *endpoint_new(const struct endpoint_config *cfg);
void endpoint_free(struct endpoint_table *t); /* NULL ok */

/* Learn from one exchange; tmpl is its path template ("/users/{id}"),
 * now_us the wall clock. Returns the endpoint's entry (valid until the
 * next call) or NULL for an event that names no endpoint. */
const struct endpoint *endpoint_observe(struct endpoint_table *t,
					const struct sess_event *ev,
					const char *tmpl, uint64_t now_us);

const struct endpoint *endpoint_find(const struct endpoint_table *t,
				     const char *authority, const char *method,
				     const char *tmpl, int proto);
/* Most recently seen first. */
void endpoint_foreach(const struct endpoint_table *t,
		      void (*fn)(void *ctx, const struct endpoint *e),
		      void *ctx);
/* The copies of the last ENDPOINT_EVICTED entries evicted, as they were
 * then: a push takes the ones changed since its last (uplink_inventory.c),
 * so an entry's last updates are not lost with its slot. */
void endpoint_foreach_evicted(const struct endpoint_table *t,
			      void (*fn)(void *ctx, const struct endpoint *e),
			      void *ctx);
void endpoint_get_stats(const struct endpoint_table *t,
			struct endpoint_stats *st);

/* The q-quantile (0..1) of a histogram, as the upper bound of its bucket;
 * 0 when empty. */
uint64_t endpoint_quantile(const uint32_t hist[ENDPOINT_HIST], double q);
/* "a9-a": a value's shape, runs of one class folded (A upper, a lower,
 * 9 digit, other bytes as themselves if printable ASCII (space included), else '?'). */
size_t endpoint_shape(const char *v, size_t n, char *out, size_t cap);

#endif /* SW_ENDPOINT_H */
