/* pbrun.h - the text in a gRPC message's bytes, for the payload detectors.
 *
 * A bytes field holding an image, a hash or ciphertext holds printable runs
 * too: random bytes give ~49 runs of 4 or more printable bytes per 4 KiB,
 * and ~0.2% of such runs read as an attack (`1'-`, `;id`), so judging
 * every run killed ~9% of calls that carry 4 KiB of random bytes. pbrun
 * walks the bytes as protobuf fields from the first byte (varints up to 10
 * bytes, over-long ones too, as parsers take them; the kept prefix may cut
 * the last field) and hands on, of each length-delimited field:
 *  - text (a string, or a bytes field holding text): every printable run
 *    of PBRUN_SHORT bytes or more, whatever controls or UTF-8 surround it;
 *  - bytes that look random (8 or more, one in eight or more, that are no
 *    UTF-8): walked as a nested message when they are one (groups' fields
 *    read in place; past 32 levels read as a window is), else only their
 *    runs of PBRUN_LONG bytes or more.
 * A window of the raw DATA, and bytes that are no protobuf from their first
 * byte (a JSON-coded call, anything else), are read by their runs
 * of PBRUN_SHORT, but for a short run right after a byte that is no UTF-8
 * (a valid string's run never follows one). Linear in n times the depth. */
#ifndef SIDEWATCH_PBRUN_H
#define SIDEWATCH_PBRUN_H

#include <stddef.h>
#include <stdint.h>

#define PBRUN_SHORT 4  /* shortest run judged in text */
#define PBRUN_LONG  16 /* shortest run judged in random bytes */

/* called with each run to judge, s[0..n) */
typedef void (*pbrun_fn)(void *ctx, const char *s, size_t n);

/* Every run of p[0..n) to judge, in order, to fn. whole: p starts at a
 * message's first byte (a call's kept messages, concatenated: a protobuf
 * stream too), else it is a window of the call's raw DATA. Returns how
 * many runs. */
size_t pbrun_each(const uint8_t *p, size_t n, int whole, pbrun_fn fn, void *ctx);

#endif
