/* reqbody.h - a request body's values for the payload detectors, read the
 * way its Content-Type (or, without one, its first byte) says: a form,
 * JSON, XML, multipart/form-data (each field; a file's name but not its
 * content), gRPC messages (their printable runs), WebSocket messages, and
 * untyped or text/plain bodies (as a form when shaped like one, else as
 * one value). An HTML body and binary types are not values.
 *
 * In: the session event (its kept body prefix, or a window of its body).
 * Out: each detector's matches through sink->merge, with where they sat
 * ("body", "multipart filename", ...: static strings).
 */
#ifndef SW_REQBODY_H
#define SW_REQBODY_H

#include "collector/decode/sess.h"
#include "collector/detect/payload.h"

struct reqbody_sink {
	void (*merge)(void *ctx, const struct payload_match *m, int n,
		      const char *where);
	void *ctx;
};

void reqbody_scan(const struct sess_event *ev, struct reqbody_sink *sink);

#endif
