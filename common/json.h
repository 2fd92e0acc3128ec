/* json.h - bounded JSON writer. Every string passes through json_escape:
 * quotes, backslashes and control bytes are escaped and invalid UTF-8 is
 * replaced by U+FFFD, so attacker bytes can never break a line or a parser.
 */
#ifndef SW_JSON_H
#define SW_JSON_H

#include <stddef.h>
#include <stdint.h>

struct json_buf {
	char *buf;
	size_t cap;
	size_t len;
	int overflow;   /* output was cut: the buffer is still valid text */
	int need_comma;
};

void json_init(struct json_buf *jb, char *buf, size_t cap);
const char *json_str(const struct json_buf *jb);

void json_obj_open(struct json_buf *jb);
void json_obj_close(struct json_buf *jb);
void json_arr_open(struct json_buf *jb, const char *key);
void json_arr_close(struct json_buf *jb);
void json_key(struct json_buf *jb, const char *key);

void json_kv_str(struct json_buf *jb, const char *key, const char *val);
void json_kv_strn(struct json_buf *jb, const char *key, const char *val, size_t len);
void json_kv_u64(struct json_buf *jb, const char *key, uint64_t v);
/* n counters: names[i] -> v[i] (a counter table and its name table). */
void json_kv_u64s(struct json_buf *jb, const char *const *names,
		  const uint64_t *v, int n);
void json_kv_i64(struct json_buf *jb, const char *key, int64_t v);
void json_kv_bool(struct json_buf *jb, const char *key, int v);
void json_kv_double(struct json_buf *jb, const char *key, double v);
/* A bare string value (inside an array). */
void json_val_strn(struct json_buf *jb, const char *val, size_t len);

/* Escape len bytes of s as the inside of a JSON string into out (always
 * NUL-terminated); returns the bytes written, without the NUL. */
size_t json_escape(char *out, size_t cap, const char *s, size_t len);

/* The JSON string form of one ASCII byte c (< 0x80) into out: itself,
 * or \" \\ \n \r \t, or \u00XX for other control bytes and DEL.
 * Returns its length (1..6). The one place both JSON writers escape. */
size_t json_escape_ascii(unsigned char c, char out[7]);

/* "2026-11-24T16:15:54.123456Z" from Unix ns. */
void json_rfc3339(char *out, size_t cap, uint64_t unix_ns);

#endif
