/* jsonwalk.h - walk a JSON body: every value, in document order, with its
 * path ("$.customers[].email", array indices folded to []) and the key it
 * sits under (a value inside an array is named by its array's key).
 *
 * Iterative, no allocation, linear in the input: at most max_scan bytes,
 * JSONWALK_MAX_DEPTH levels (deeper values are skipped, not reported), paths
 * cut at JSONWALK_MAX_PATH bytes, keys at JSONWALK_MAX_KEY. Strings are
 * unescaped (\uXXXX to UTF-8, lone surrogates to '?') and delivered in
 * pieces of at most JSONWALK_PIECE bytes (piece 0, 1, ...). Malformed JSON
 * is walked as far as it goes; it never fails the caller.
 *
 * Keys and values are attacker bytes: a caller escapes them before output.
 */
#ifndef SW_JSONWALK_H
#define SW_JSONWALK_H

#include <stddef.h>

#define JSONWALK_MAX_DEPTH 32
#define JSONWALK_MAX_PATH 160
#define JSONWALK_MAX_KEY 48
#define JSONWALK_PIECE 4096

enum jsonwalk_type {
	JSONWALK_STRING,
	JSONWALK_NUMBER,   /* as written: "-1.5e3" */
	JSONWALK_LITERAL,  /* true, false, null, or junk outside a string */
	JSONWALK_OBJECT,   /* entering one: val is NULL */
	JSONWALK_ARRAY,
};

struct jsonwalk_item {
	const char *path;
	const char *key;   /* not NUL-terminated; klen 0 at the top */
	size_t klen;
	const char *val;
	size_t vlen;
	enum jsonwalk_type type;
	unsigned piece;    /* strings longer than JSONWALK_PIECE: 1, 2, ... */
};

typedef void (*jsonwalk_fn)(void *ctx, const struct jsonwalk_item *it);

/* Returns 0 when every container closed, -1 otherwise (cut or malformed);
 * everything walked was reported either way. */
int jsonwalk(const char *body, size_t len, size_t max_scan, jsonwalk_fn fn,
	     void *ctx);

#endif /* SW_JSONWALK_H */
