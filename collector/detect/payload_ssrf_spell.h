/* payload_ssrf_spell.h - URL spellings the SSRF detector undoes
 * (payload_ssrf_spell.c), for payload_ssrf.c */
#ifndef SW_PAYLOAD_SSRF_SPELL_H
#define SW_PAYLOAD_SSRF_SPELL_H

#include <stddef.h>

/* h[0..l) with IDNA's mapping of enclosed digits and letters and odd
 * full stops undone, into out (room for cap): its length, 0 if too long */
size_t payload_ssrf_spell_fold(const char *h, size_t l, char *out, size_t cap);
/* where the authority of the special scheme lo[s..at) starts when its
 * slashes are spelt otherwise than "//" (none, '\\', three), else 0 */
size_t payload_ssrf_spell_slashes(const char *lo, size_t n, size_t s, size_t at);
/* does lo[0..n) hold a ":/" not followed by "/" then a name, or "http:h"? */
int payload_ssrf_spell_odd(const char *lo, size_t n);

#endif
