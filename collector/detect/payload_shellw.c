/* payload_shellw.c - how bash spells a word: the command injection
 * detector (payload_shell.c) asks what an ANSI-C quoted word ($'\x69\x64')
 * reads as and what a variable the value assigns itself holds. */
#include "collector/detect/payload_int.h"

#include <string.h>

/* The value assigned to name[0..l) at a command position of s[0..lim)
 * ("X=id;"): its offset, *vl its length; 0 when none */
size_t payload_shell_var_value(const char *s, size_t lim, const char *name, size_t l, size_t *vl)
{
	for (size_t k = 0; k + l + 1 < lim; k++) {
		size_t e;

		if ((k > 0 && !strchr(";|&\n ", s[k - 1])) || memcmp(s + k, name, l) || s[k + l] != '=')
			continue;
		for (e = k + l + 1; e < lim && !strchr(" ;|&\n", s[e]); e++)
			;
		if (e > k + l + 1) {
			*vl = e - k - l - 1;
			return k + l + 1;
		}
	}
	return 0;
}

/* The body of bash's $'...' from p (after the quote): escapes \xHH and
 * \NNN (octal) become their bytes, other bytes stay. Writes at most the
 * span's length into out (*ol bytes) and returns the index of the closing
 * quote, or 0 when there is none, it is empty, or an escape makes a byte
 * that is not printable ASCII. (An earlier decoding layer may already
 * have undone \xHH: $'id' is then read the same.) */
size_t payload_shell_ansi_c(const char *s, size_t n, size_t p, char *out, size_t *ol)
{
	size_t w = 0;

	for (size_t i = p; i < n && i < p + 256; i++) {
		unsigned v = 0, k = 0;

		if (s[i] == '\'') {
			*ol = w;
			return w ? i : 0;
		}
		if (s[i] != '\\' || i + 1 >= n) {
			out[w++] = s[i];
			continue;
		}
		if (s[i + 1] == 'x') {
			for (k = 0; k < 2 && i + 2 + k < n; k++) {
				char h = (char)(s[i + 2 + k] | 32);
				if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f')))
					break;
				v = v * 16 + (unsigned)(h <= '9' ? h - '0' : h - 'a' + 10);
			}
			if (!k)
				return 0;
			i += 1 + k;
		} else if (s[i + 1] >= '0' && s[i + 1] <= '7') {
			for (k = 0; k < 3 && i + 1 + k < n && s[i + 1 + k] >= '0' && s[i + 1 + k] <= '7'; k++)
				v = v * 8 + (unsigned)(s[i + 1 + k] - '0');
			i += k;
		} else {
			return 0;
		}
		if (v < 0x20 || v > 0x7e)
			return 0;
		out[w++] = (char)v;
	}
	return 0;
}
