/* payload_data_proto.c - a JSON body's "__proto__" key spelt with
 * escapes (payload_data.c's payload_json_shape_scan reads the plain one). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_nosql_int.h"

#include <string.h>

/* ':' and '{' after a key that ends before p, blanks aside */
static int key_holds_object(const char *body, size_t len, size_t p)
{
	while (p < len && payload_is_space((unsigned char)body[p]))
		p++;
	if (p >= len || body[p++] != ':')
		return 0;
	while (p < len && payload_is_space((unsigned char)body[p]))
		p++;
	return p < len && body[p] == '{';
}

/* the longest key read below, every byte a "\\u00XX" escape */
#define SHAPE_ESC_MAX (9 * 6)

/* A "__proto__" key spelt with JSON escapes, holding an object: JSON.parse
 * reads {"\\u005f_proto__": {..}} as {"__proto__": {..}}. Each "\\u"
 * finds its string's opening quote by looking back only over the bytes
 * since the last one, and a string is decoded once (linear). */
int payload_data_proto_escaped(const char *body, size_t len)
{
	size_t from = 0, q = (size_t)-1, done = (size_t)-1;

	for (size_t at = payload_find(body, len, 0, "\\u"); at < len; at = payload_find(body, len, at + 2, "\\u")) {
		const char *r = memrchr(body + from, '"', at - from);
		char k[10];
		size_t kl = 0, e;

		if (r)
			q = (size_t)(r - body);
		from = at;
		if (q == (size_t)-1 || q == done || at - q > SHAPE_ESC_MAX)
			continue;
		done = q;
		for (e = q + 1; e < len && body[e] != '"' && kl < sizeof(k) && e - q <= SHAPE_ESC_MAX;) {
			unsigned c = 0;

			if (body[e] != '\\') {
				k[kl++] = body[e++];
				continue;
			}
			if (e + 5 >= len || body[e + 1] != 'u')
				break;
			for (int h = 2; h < 6; h++) {
				int ch = body[e + h] | 0x20;
				int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;

				c = d < 0 ? 0x100 : c << 4 | (unsigned)d;
			}
			if (c == 0 || c > 0x7f)
				break;
			k[kl++] = (char)c;
			e += 6;
		}
		if (e < len && body[e] == '"' && kl == 9 && !memcmp(k, "__proto__", 9) && key_holds_object(body, len, e + 1))
			return 1;
	}
	return 0;
}

