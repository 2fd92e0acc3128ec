/* openapi.h - the learned inventory as an OpenAPI 3.1 document.
 *
 * In: the endpoint table (endpoint.h), or an array of endpoints.
 * Out: JSON text: one path item per template (placeholders named as
 * param.h names them, so every templated path declares its parameters),
 * one operation per method OpenAPI knows, query parameters and a JSON or
 * form request body schema with the inferred types, response status
 * classes seen, securitySchemes for the credentials seen, and
 * x-sidewatch-* extensions (calls, first/last seen, data classes, latency
 * p50/p99, 2xx without credentials, posture findings).
 *
 * Every path, name and value that came off the wire is JSON-escaped; a
 * literal '{' or '}' in a path segment is percent-encoded so it cannot
 * pose as a template parameter.
 */
#ifndef SW_OPENAPI_H
#define SW_OPENAPI_H

#include "collector/inventory/endpoint.h"
#include "common/textesc.h"

/* Write the document for one authority (NULL: all of them; a template and
 * method seen under several authorities is written once, the most called,
 * and counted in x-sidewatch-merged). title goes to info.title. Returns 0,
 * -ENOMEM. */
int openapi_write(const struct endpoint_table *t, const char *authority,
		  const char *title, struct sbuf *out);

/* The same document from n endpoints held elsewhere (swctl: the fleet's
 * inventory read back from PostgreSQL); findings that compare endpoints
 * (an old API version beside a newer one) are left out. */
int openapi_write_array(const struct endpoint *v, size_t n,
			const char *authority, const char *title,
			struct sbuf *out);

/* The OpenAPI path key of a template ("/users/{id}/posts/{id}" ->
 * "/users/{id}/posts/{id3}", "/a{b" -> "/a%7Bb"); returns its length, or
 * 0 when the template is no path (does not start with '/'). */
size_t openapi_path(const char *tmpl, char *out, size_t cap);

#endif /* SW_OPENAPI_H */
