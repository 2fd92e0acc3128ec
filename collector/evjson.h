/* evjson.h - one session or verdict event as one JSON line (DESIGN.md's
 * contract for `sidewatch-collector --stdout`). */
#ifndef SW_EVJSON_H
#define SW_EVJSON_H

#include <stddef.h>
#include <stdint.h>
#include "collector/decode/sess.h"
#include "collector/verdict_json.h" /* a verdict's fields, for the same line */

struct evjson_ctx {
	const char *host;
	int64_t mono_to_unix_ns;   /* add to a kernel timestamp for Unix time */
};

/* Offset from CLOCK_MONOTONIC (bpf_ktime_get_ns) to Unix time, now. */
int64_t evjson_clock_offset(void);

/* "ip:port", IPv6 as "[addr]:port". */
void evjson_addr(char *out, size_t cap, uint8_t family, const uint8_t *addr,
		 uint16_t port);

/* Write the event's fields (without the enclosing braces' owner: this opens
 * and closes the object) into jb. Returns 0, or -ENOSPC when cut. */
struct json_buf;
void evjson_fields(struct json_buf *jb, const struct evjson_ctx *ctx,
		   const struct sess_event *ev);
int evjson_format(char *buf, size_t cap, const struct evjson_ctx *ctx,
		  const struct sess_event *ev);

#endif
