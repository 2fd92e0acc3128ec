/* dp_int.h - internal interface between dp.c and the per-language detector
 * files (dp_sqli.c, dp_xss.c, dp_sh.c, dp_misc.c). Not for other modules.
 *
 * Every detector gets the decoded value twice: as decoded (s) and ASCII
 * lower-cased (lo), same length; it records its best finding per kind in a
 * dp_acc and never copies input bytes into a reason.
 */
#ifndef SW_DP_INT_H
#define SW_DP_INT_H

#include "collector/detect/payload.h"

struct dp_acc {
	int score[DP__COUNT];
	const char *why[DP__COUNT]; /* static strings */
};

struct dp_val {
	const char *s;  /* decoded */
	const char *lo; /* decoded, ASCII lower-case */
	size_t n;
	unsigned where;
};

static inline void dp_acc_hit(struct dp_acc *a, enum dp_kind k, int score,
			      const char *why)
{
	if (score > 100)
		score = 100;
	if (score > a->score[k]) {
		a->score[k] = score;
		a->why[k] = why;
	}
}

void dp_sqli_scan(const struct dp_val *v, struct dp_acc *a);
void dp_xss_scan(const struct dp_val *v, struct dp_acc *a);
void dp_cmdi_scan(const struct dp_val *v, struct dp_acc *a);
void dp_trav_scan(const struct dp_val *v, struct dp_acc *a);
void dp_ssrf_scan(const struct dp_val *v, struct dp_acc *a);
void dp_jndi_scan(const struct dp_val *v, struct dp_acc *a);
void dp_ssti_scan(const struct dp_val *v, struct dp_acc *a);
/* dp_data.c: XXE, NoSQL operators, prototype pollution, Shellshock */
void dp_data_scan(const struct dp_val *v, struct dp_acc *a);
/* dp_data.c: structure a JSON body's strings hide when scanned one by one
 * ({"constructor":{"prototype":...}}) */
void dp_json_shape_scan(const char *body, size_t len, struct dp_acc *a);
/* dp_xml.c: DTDs with external or nested entities, XInclude, XSLT */
void dp_xxe_scan(const struct dp_val *v, struct dp_acc *a);
/* dp.c, for body splitters in other files: judge one value into a, and
 * write a's findings out as dp_scan does */
void dp_scan_value(const char *val, size_t len, unsigned where, unsigned nflags,
		   struct dp_acc *a);
int dp_acc_out(const struct dp_acc *a, struct dp_match *out, int max);

/* helpers shared by the detector files */
int dp_is_alpha(int c);
int dp_is_alnum(int c);
int dp_is_space(int c);
/* does lo[i..) start with the lower-case literal w? */
int dp_at(const char *lo, size_t n, size_t i, const char *w);
/* same, and not preceded/followed by an identifier character */
int dp_word_at(const char *lo, size_t n, size_t i, const char *w);
/* first index >= from where w occurs, or n */
size_t dp_find(const char *lo, size_t n, size_t from, const char *w);

#endif /* SW_DP_INT_H */
