/* fuzz_ident.c - libFuzzer target: identities from attacker bytes. A JWT
 * (base64url header.payload.signature, JSON payload), base64 itself, and
 * the allowlist / block list specs ("sub:...", "apikey:...", ...). Checks
 * beyond the sanitizers: decoded lengths stay within their buffer, a JWT
 * subject is printable ASCII and terminated, a spec's key is "id:" and 16
 * hex digits. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_key.h"
#include "collector/detect/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	uint8_t raw[256];
	char sub[64], key[24], spec[512];
	uint64_t h;
	int n;

	n = ident_b64url_decode(s, size, raw, sizeof(raw));
	if (n < -1 || n > (int)sizeof(raw))
		abort();
	memset(sub, 'X', sizeof(sub));
	if (ident_jwt_sub(s, size, sub, sizeof(sub)) == 0) {
		size_t l = strnlen(sub, sizeof(sub));

		if (l == sizeof(sub))
			abort(); /* not terminated */
		for (size_t i = 0; i < l; i++)
			if (sub[i] < 0x20 || sub[i] > 0x7e)
				abort();
	}
	if (size < sizeof(spec)) {
		memcpy(spec, data, size);
		spec[size] = '\0';
		if (ident_key_from_spec(spec, key, &h) == 0) {
			if (strlen(key) != 19 || strncmp(key, "id:", 3) ||
			    strspn(key + 3, "0123456789abcdef") != 16)
				abort();
		}
	}
	return 0;
}
