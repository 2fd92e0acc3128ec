/* json.c - bounded JSON writer with strict escaping. */
#include "common/json.h"
#include "common/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void json_init(struct json_buf *jb, char *buf, size_t cap)
{
	jb->buf = buf;
	jb->cap = cap;
	jb->len = 0;
	jb->overflow = 0;
	jb->need_comma = 0;
	if (cap)
		buf[0] = '\0';
}

const char *json_str(const struct json_buf *jb)
{
	return jb->buf;
}

static void put(struct json_buf *jb, const char *s, size_t n)
{
	if (jb->overflow)
		return;
	if (jb->len + n + 1 > jb->cap) {
		jb->overflow = 1;
		return;
	}
	memcpy(jb->buf + jb->len, s, n);
	jb->len += n;
	jb->buf[jb->len] = '\0';
}

static void putc1(struct json_buf *jb, char c)
{
	put(jb, &c, 1);
}

size_t json_escape_ascii(unsigned char c, char out[7])
{
	switch (c) {
	case '"': memcpy(out, "\\\"", 2); return 2;
	case '\\': memcpy(out, "\\\\", 2); return 2;
	case '\n': memcpy(out, "\\n", 2); return 2;
	case '\r': memcpy(out, "\\r", 2); return 2;
	case '\t': memcpy(out, "\\t", 2); return 2;
	}
	if (c < 0x20 || c == 0x7f)
		return (size_t)snprintf(out, 7, "\\u%04x", c);
	out[0] = (char)c;
	return 1;
}

size_t json_escape(char *out, size_t cap, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i = 0;

	if (cap == 0)
		return 0;
	while (i < len) {
		char tmp[8];
		const char *piece = tmp;
		size_t pn;
		unsigned c = p[i];

		if (c < 0x80) {
			pn = json_escape_ascii((unsigned char)c, tmp);
			i++;
		} else {
			size_t n = utf8_seq(p + i, len - i);

			if (n == 0) {
				piece = "\\ufffd";
				pn = 6;
				i++;
			} else {
				piece = (const char *)p + i;
				pn = n;
				i += n;
			}
		}
		if (o + pn + 1 > cap)
			break;
		memcpy(out + o, piece, pn);
		o += pn;
	}
	out[o] = '\0';
	return o;
}

static void comma(struct json_buf *jb)
{
	if (jb->need_comma)
		putc1(jb, ',');
	jb->need_comma = 1;
}

static void put_escaped(struct json_buf *jb, const char *s, size_t len)
{
	char tmp[512];

	putc1(jb, '"');
	/* Escape in pieces so one long value needs no large stack buffer; a
	 * piece boundary inside a UTF-8 sequence must not split it, so pieces
	 * end before any lead byte near the edge. */
	while (len > 0) {
		size_t n = len < 80 ? len : 80;

		while (n < len && n > 76 &&
		       ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		size_t w = json_escape(tmp, sizeof(tmp), s, n);
		put(jb, tmp, w);
		s += n;
		len -= n;
	}
	putc1(jb, '"');
}

void json_obj_open(struct json_buf *jb)
{
	if (jb->need_comma)
		putc1(jb, ',');
	putc1(jb, '{');
	jb->need_comma = 0;
}

void json_obj_close(struct json_buf *jb)
{
	putc1(jb, '}');
	jb->need_comma = 1;
}

void json_key(struct json_buf *jb, const char *key)
{
	comma(jb);
	put_escaped(jb, key, strlen(key));
	putc1(jb, ':');
	jb->need_comma = 0;
}

void json_arr_open(struct json_buf *jb, const char *key)
{
	if (key)
		json_key(jb, key);
	else if (jb->need_comma)
		putc1(jb, ',');
	putc1(jb, '[');
	jb->need_comma = 0;
}

void json_arr_close(struct json_buf *jb)
{
	putc1(jb, ']');
	jb->need_comma = 1;
}

void json_kv_strn(struct json_buf *jb, const char *key, const char *val, size_t len)
{
	json_key(jb, key);
	put_escaped(jb, val, len);
	jb->need_comma = 1;
}

void json_kv_str(struct json_buf *jb, const char *key, const char *val)
{
	json_kv_strn(jb, key, val ? val : "", val ? strlen(val) : 0);
}

void json_val_strn(struct json_buf *jb, const char *val, size_t len)
{
	comma(jb);
	put_escaped(jb, val, len);
}

void json_kv_u64(struct json_buf *jb, const char *key, uint64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%" PRIu64, v);

	json_key(jb, key);
	put(jb, tmp, (size_t)n);
	jb->need_comma = 1;
}

void json_kv_u64s(struct json_buf *jb, const char *const *names,
		  const uint64_t *v, int n)
{
	for (int i = 0; i < n; i++)
		json_kv_u64(jb, names[i], v[i]);
}

void json_kv_i64(struct json_buf *jb, const char *key, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);

	json_key(jb, key);
	put(jb, tmp, (size_t)n);
	jb->need_comma = 1;
}

void json_kv_double(struct json_buf *jb, const char *key, double v)
{
	char tmp[40];
	int n = snprintf(tmp, sizeof(tmp), "%.3f", v);

	json_key(jb, key);
	put(jb, tmp, (size_t)n);
	jb->need_comma = 1;
}

void json_kv_bool(struct json_buf *jb, const char *key, int v)
{
	json_key(jb, key);
	put(jb, v ? "true" : "false", v ? 4 : 5);
	jb->need_comma = 1;
}

void json_rfc3339(char *out, size_t cap, uint64_t unix_ns)
{
	time_t sec = (time_t)(unix_ns / 1000000000ull);
	unsigned usec = (unsigned)((unix_ns % 1000000000ull) / 1000ull);
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, usec);
}
