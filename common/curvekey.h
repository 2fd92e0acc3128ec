/* curvekey.h - CURVE key files, one z85 key per file (40 characters and a
 * newline, as `swctl keygen` writes them), shared by the collector's
 * uplink and block list, the correlator, swctl and the test drivers.
 *
 * A secret key file is 0600, a public one 0644. New files are created
 * exclusively (an existing key is never overwritten) and synced; a pair
 * half written is removed again.
 */
#ifndef SW_CURVEKEY_H
#define SW_CURVEKEY_H

#include <stddef.h>
#include <stdint.h>

#define CURVEKEY_Z85_LEN 40 /* z85 text of a 32-byte key */

/* Read a z85 key (40 characters, surrounding whitespace ignored) from
 * path into out[41], NUL-terminated. Returns 0, -errno when the file
 * cannot be read, or -EINVAL when it does not hold one key. */
int curvekey_read(const char *path, char out[CURVEKEY_Z85_LEN + 1]);

/* curvekey_read() and decode: the key's 32 bytes (what a ZAP request
 * carries). -EINVAL also when the text is not z85. */
int curvekey_read_bin(const char *path, uint8_t out[32]);

/* Make a new key pair: the secret in sec_path (0600), the public key in
 * pub_path (0644), and its z85 text in pub. Neither file may exist.
 * Returns 0 or -errno with one sentence in err. */
int curvekey_make_pair(const char *sec_path, const char *pub_path,
		       char pub[CURVEKEY_Z85_LEN + 1], char *err, size_t errlen);

/* A host's first start: when sec_path does not exist, make the pair as
 * curvekey_make_pair() does and return 1; when it exists, return 0 and
 * touch nothing, except that a missing pub_path (a first start cut short
 * after the secret was written) is derived again from the secret, so the
 * host can still be admitted (also 1). pub holds the public key when 1 is
 * returned. -errno with one sentence in err. */
int curvekey_ensure_pair(const char *sec_path, const char *pub_path,
			 char pub[CURVEKEY_Z85_LEN + 1], char *err, size_t errlen);

#endif /* SW_CURVEKEY_H */
