/* reqbody.h - a request body's values for the payload detectors, read the
 * way its Content-Type (or, without one, its first byte) says: a form,
 * JSON, XML, multipart/form-data (each field; a file's name but not its
 * content), gRPC messages (their printable runs), WebSocket messages, and
 * untyped or text/plain bodies (as a form when shaped like one, else as
 * one value). An HTML body and binary types are not values.
 *
 * A body sent with a Content-Encoding (HTTP/1 and HTTP/2) is read as the
 * application behind a decompressing server reads it: gzip and deflate
 * (zlib or raw) are decoded (common/inflate.h), at most REQBODY_PLAIN_MAX
 * bytes of it, and the plain text is read by its type. Compressed bytes
 * are never read as text; bytes that only claim a coding but are text
 * (7 in 8 printable: no compressor's output looks like that) are read as
 * the text a server that ignores the header gets. What cannot be judged
 * goes to sink->unjudged as the anomaly REQBODY_ANOM_CODED: a coding we do
 * not decode (br, zstd, two layers), a malformed stream, a bomb (output
 * over REQBODY_RATIO_MAX times its input), and a body longer than what is
 * decoded (the kept prefix, or REQBODY_PLAIN_MAX). A window from the
 * middle of a coded body (HTTP/1 past the kept prefix) cannot be decoded
 * without the stream before it: it is counted, not judged (no inflate
 * state is kept per request), and the prefix already reported the rest.
 *
 * A body (or a multipart part) whose Content-Type names a charset that is
 * no superset of ASCII (UTF-16, UTF-32, UTF-7, the EBCDIC pages), or whose
 * first bytes show one where a reader may guess it (JSON, XML, untyped,
 * text), is judged twice: as it came, and decoded as the Java servlet
 * containers and ASP.NET read it (charset.h), a form name by name and
 * value by value. Decoded text past REQBODY_CHARSET_OUT is not judged
 * (REQBODY_ANOM_CODED, counted).
 *
 * In: the session event (its kept body prefix, or a window of its body).
 * Out: each detector's matches through sink->merge, with where they sat
 * ("body", "multipart filename", ...: static strings), and sink->unjudged.
 */
#ifndef SW_REQBODY_H
#define SW_REQBODY_H

#include "collector/decode/sess.h"
#include "collector/detect/payload.h"

#ifndef REQBODY_PLAIN_MAX
#define REQBODY_PLAIN_MAX 16384 /* decoded bytes judged per coded body */
#endif
#ifndef REQBODY_RATIO_MAX
#define REQBODY_RATIO_MAX 100   /* decoded/compressed past which it is a bomb */
#endif
#ifndef REQBODY_CHARSET_OUT
#define REQBODY_CHARSET_OUT 65536 /* a body in a charset, decoded, judged */
#endif
#define REQBODY_ANOM_CODED "body.coded_unjudged"

struct reqbody_sink {
	void (*merge)(void *ctx, const struct payload_match *m, int n,
		      const char *where);
	void *ctx;
	/* optional: part of the body could not be judged; anom is a static
	 * anomaly name, why one sentence (no attacker bytes but the coding's
	 * name, reduced to [a-z0-9,-]) */
	void (*unjudged)(void *ctx, const char *anom, const char *why);
};

/* Coded request bodies seen, by outcome (every thread's). */
enum reqbody_cnt {
	REQBODY_CODED = 0,     /* bodies with a coding (windows included) */
	REQBODY_WHOLE,         /* decoded to their end and judged */
	REQBODY_CUT,           /* judged up to a bound, the rest not */
	REQBODY_UNKNOWN,       /* a coding not decoded (br, zstd, several) */
	REQBODY_MALFORMED,     /* not a valid stream */
	REQBODY_BOMB,          /* stopped at REQBODY_RATIO_MAX */
	REQBODY_TEXT_CLAIMED,  /* text under a coding, judged as text */
	REQBODY_WIN_SKIPPED,   /* mid-body windows not judged */
	REQBODY_CHARSET,       /* bodies and parts read again in their charset */
	REQBODY_CHARSET_GUESSED, /* an EBCDIC page with no table, read as 037 */
	REQBODY_CHARSET_CUT,   /* decoded past REQBODY_CHARSET_OUT */
	REQBODY_CNT__COUNT
};

extern const char *const reqbody_cnt_names[REQBODY_CNT__COUNT];

void reqbody_scan(const struct sess_event *ev, struct reqbody_sink *sink);
/* The query again, decoded with the charset the request's Content-Type
 * names when that is no superset of ASCII: ASP.NET decodes the query
 * string with the request's content encoding (a GET may carry one). */
void reqbody_scan_query(const struct sess_event *ev, struct reqbody_sink *sink);
void reqbody_counts(uint64_t out[REQBODY_CNT__COUNT]);

#endif
