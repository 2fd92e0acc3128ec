/* tmpl.h - endpoint templates: /users/123 -> /users/{id}.
 *
 * Two ways a path segment becomes a variable. By its shape, at once:
 * all digits {id}, a UUID {uuid}, a long hex string {hex}, a long
 * base64-ish token with letters and digits {token}. By learning: for each
 * host + method + template prefix + position we count the distinct literal
 * values seen in successful exchanges; once they reach learn_distinct the
 * position is a variable {var} from then on (/users/alice, /users/bob, ...).
 * A segment that looks like a file name (name.ext) is never learned, so
 * static assets keep their names. Learning only from 2xx/3xx responses
 * keeps scanners, whose requests fail, from teaching us their junk.
 *
 * The learning table is bounded (max_nodes, LRU) and keyed with the
 * process-keyed hash, so crafted paths cannot aim at one hash chain.
 */
#ifndef SW_TMPL_H
#define SW_TMPL_H

#include <stddef.h>
#include <stdint.h>

#ifndef TMPL_MAX_LEN
#define TMPL_MAX_LEN 256   /* template text kept; the key covers it all */
#endif
#ifndef TMPL_MAX_SEGS
#define TMPL_MAX_SEGS 32   /* segments examined; the rest fold into one */
#endif
#ifndef TMPL_LEARN_MAX
#define TMPL_LEARN_MAX 64  /* largest learn_distinct */
#endif

enum tmpl_seg {
	TMPL_SEG_LITERAL = 0,
	TMPL_SEG_NUM,
	TMPL_SEG_UUID,
	TMPL_SEG_HEX,
	TMPL_SEG_TOKEN,
};

struct tmpl_config {
	uint32_t max_nodes;      /* learning entries; default 16384 */
	uint32_t learn_distinct; /* distinct values before a position is {var}; default 24, max TMPL_LEARN_MAX */
};

struct tmpl_result {
	char text[TMPL_MAX_LEN]; /* "/users/{id}" (cut to the bound) */
	uint64_t key;            /* hash of host + method + whole template */
	uint64_t ids;            /* hash of the variable segments' values; 0 when none */
	uint32_t n_vars;
};

struct tmpl;

void tmpl_config_default(struct tmpl_config *cfg);
struct tmpl *tmpl_new(const struct tmpl_config *cfg);
void tmpl_free(struct tmpl *t); /* NULL ok */

/* Template of host + method + path; learn from it when learn is set (the
 * exchange succeeded). Returns 0, or -ENOMEM (the result is still filled,
 * without learning). */
int tmpl_observe(struct tmpl *t, const char *host, const char *method,
		 const char *path, int learn, struct tmpl_result *r);

/* Shape class of one segment. */
enum tmpl_seg tmpl_classify(const char *seg, size_t len);

uint32_t tmpl_nodes(const struct tmpl *t);
uint64_t tmpl_evictions(const struct tmpl *t);

#endif /* SW_TMPL_H */
