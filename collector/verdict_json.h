/* verdict_json.h - a verdict's fields in the JSON line the collector
 * writes for an event (beside evjson.h, which writes the event's own).
 * In: a struct verdict from the verdict engine (detect/verdict.h). Out:
 * key-value pairs in an open JSON object. The engine itself writes no
 * JSON. */
#ifndef SW_VERDICT_JSON_H
#define SW_VERDICT_JSON_H

#include "collector/detect/verdict.h"

struct json_buf;

/* rule, severity, action (and wanted when it differs), block_ttl_s for
 * blocks, reason, client. */
void verdict_json_put(struct json_buf *jb, const struct verdict *v);

#endif /* SW_VERDICT_JSON_H */
