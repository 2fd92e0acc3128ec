/* dataclass.h - sensitive data classes in request and response bodies.
 *
 * In: the bytes of one body (JSON or text) or one value with its field
 * name, as the decoders deliver them in a session event.
 * Out: a count per class and, for JSON, the path of the field each finding
 * sits in ("$.customers[].email"). Values are never kept or returned.
 *
 * Each class is confirmed by its structure, not only by a pattern: card
 * numbers by Luhn and a network's prefix and length, IBANs by their
 * country's length and ISO 7064 mod 97-10, JWTs by a header that decodes to
 * a JSON object naming "alg", SSN-like numbers only in a field named like
 * one and outside the ranges never issued, phone numbers only with a '+'
 * country code or in a field named like a phone, secrets only in a field
 * named like one holding a value that is not a placeholder.
 *
 * Pure functions: no allocation, no I/O, linear in the input, bounded by
 * DATACLASS_MAX_SCAN bytes and DATACLASS_MAX_DEPTH JSON levels.
 */
#ifndef SW_DATACLASS_H
#define SW_DATACLASS_H

#include <stddef.h>
#include <stdint.h>

#include "common/dataclass_kind.h"

#ifndef DATACLASS_MAX_SCAN
#define DATACLASS_MAX_SCAN (256 * 1024) /* body bytes looked at */
#endif
#define DATACLASS_MAX_DEPTH 32           /* JSON nesting followed */
#define DATACLASS_MAX_PATH 160           /* bytes of a JSON path kept */

/* enum dataclass_kind and the class names: common/dataclass_kind.h */

struct dataclass_counts {
	uint32_t n[DATACLASS__COUNT];
	uint32_t total;
};

/* Called once per finding: path is "$" for a bare value or a text body,
 * "$.a.b[]" inside JSON (array indices folded to []). */
typedef void (*dataclass_found_fn)(void *ctx, const char *path,
				   enum dataclass_kind kind);

/* One value; name is the field it came from (a JSON key, a query or form
 * parameter, a header), or NULL. Adds to counts (may be NULL), calls fn
 * (may be NULL) with path "$" or the name. Returns the findings. */
unsigned dataclass_scan_value(const char *name, size_t name_len,
			      const char *val, size_t len,
			      struct dataclass_counts *counts,
			      dataclass_found_fn fn, void *ctx);

/* A JSON body: every string and number, with its key and path. Malformed
 * JSON is scanned as far as it parses and the rest as text. */
unsigned dataclass_scan_json(const char *body, size_t len,
			     struct dataclass_counts *counts,
			     dataclass_found_fn fn, void *ctx);

/* Validators, exported for their unit tables. */
int dataclass_luhn(const char *digits, size_t n);
/* A card network knows this prefix at this length. */
int dataclass_card_network(const char *digits, size_t n);
/* An IBAN with no spaces: country length table and mod 97 == 1. */
int dataclass_iban_valid(const char *s, size_t n);

#endif /* SW_DATACLASS_H */
