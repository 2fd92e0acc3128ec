/* payload_shape.h - shapes of value a detector is proved silent on
 * (payload_shape.c); payload.c's dispatch skips the detector on them. */
#ifndef PAYLOAD_SHAPE_H
#define PAYLOAD_SHAPE_H

#include "collector/detect/payload_int.h"

#include <stddef.h>

/* 1 when v is a browser's User-Agent of the grammar G1..G8 of
 * payload_shape.c, on which payload_cmdi_scan finds nothing but through
 * its base64 reading, and payload_data_scan nothing unless "__" occurs
 * (payload_shape_ua: the census tests, then this walk) */
int payload_shape_ua_walk(const struct payload_val *v);

/* a User-Agent's parenthesis at lo[i], the step both UA grammars share
 * (G2 here, U2 in payload_sqli_gate.c's sqli_ua_quiet): a '(' needs
 * "/N " before it (a product's version, digits and dots) and a letter
 * after it, with none open; a ')' closes the open one and is followed by
 * a blank or the end. 1 when the step holds (*open updated), else 0 */
int payload_shape_ua_paren(const char *lo, size_t n, size_t i, int *open);

/* G1's bytes: blank ( ) , . / 0-9 : ; in has[0], '_' a-z in has[1] */
#define PAYLOAD_SHAPE_B0(c) (1ull << (c))
#define PAYLOAD_SHAPE_OK0                                                                                  \
	(PAYLOAD_SHAPE_B0(' ') | PAYLOAD_SHAPE_B0('(') | PAYLOAD_SHAPE_B0(')') | PAYLOAD_SHAPE_B0(',') |     \
	 PAYLOAD_SHAPE_B0('.') | PAYLOAD_SHAPE_B0('/') | PAYLOAD_SHAPE_B0(':') | PAYLOAD_SHAPE_B0(';') |     \
	 (0x3ffull << '0'))
#define PAYLOAD_SHAPE_OK1 ((1ull << ('_' - 64)) | (((1ull << 26) - 1) << ('a' - 64)))

/* the census test of G1 inline, and of '/' (G5 needs one) and '(' (not
 * needed by the proof: a narrowing, so that a plain phrase of letters and
 * blanks is not walked), the walk of G2..G8 when they hold */
static inline int payload_shape_ua(const struct payload_val *v)
{
	return !(v->has[0] & ~PAYLOAD_SHAPE_OK0) && !(v->has[1] & ~PAYLOAD_SHAPE_OK1) && !v->has[2] && !v->has[3] &&
	       (v->has[0] & PAYLOAD_SHAPE_B0('/')) && (v->has[0] & PAYLOAD_SHAPE_B0('(')) && payload_shape_ua_walk(v);
}

/* the words G4 allows (tests: none is a listed command) */
extern const char *const payload_shape_ua_words[];
extern const size_t payload_shape_ua_nwords;

/* 1 when s[0..n) is a plain number, digit groups, a timestamp or a phone
 * number of payload_shape.c's N1..N4, on which no detector finds
 * anything (the proof is there): scan_window returns before the census */
int payload_shape_plain(const char *s, size_t n);

#endif
