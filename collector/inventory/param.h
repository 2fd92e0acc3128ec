/* param.h - the parameters of a request and what type each value has.
 *
 * In: a session event's query string, form or JSON body prefix, and the
 * variable slots of its path template.
 * Out: one callback per parameter occurrence with where it was, its name
 * (a query/form name, a JSON path like "$.items[].qty", or a template
 * slot's name: "id", or "id3" for a second {id} at segment 3) and the
 * type bits of its value. Values are looked at
 * only to type them; nothing of a value is kept.
 */
#ifndef SW_PARAM_H
#define SW_PARAM_H

#include <stddef.h>
#include <stdint.h>

enum param_where {
	PARAM_PATH,
	PARAM_QUERY,
	PARAM_FORM,
	PARAM_JSON,
	PARAM__WHERE_COUNT
};

/* Type bits of one value; a parameter's type is the union over its values
 * (param_type_name picks the narrowest name that covers them). */
#define PARAM_T_INTEGER  (1u << 0)
#define PARAM_T_NUMBER   (1u << 1)
#define PARAM_T_BOOLEAN  (1u << 2)
#define PARAM_T_UUID     (1u << 3)
#define PARAM_T_EMAIL    (1u << 4)
#define PARAM_T_DATETIME (1u << 5) /* RFC 3339 date or date-time */
#define PARAM_T_STRING   (1u << 6)
#define PARAM_T_OBJECT   (1u << 7)
#define PARAM_T_ARRAY    (1u << 8)
#define PARAM_T_NULL     (1u << 9)

#define PARAM_MAX_NAME 96 /* bytes of a name kept (JSON paths included) */

/* "path", "query", "form", "json" */
extern const char *const param_where_names[PARAM__WHERE_COUNT];

/* The type of one scalar value as text (query, form, path slot, JSON
 * string). A JSON number or literal is typed by param_type_json. */
unsigned param_type_of(const char *v, size_t n);
unsigned param_type_json(int jsonwalk_type, const char *v, size_t n);

/* OpenAPI-style name of a union of type bits: "integer", "number",
 * "boolean", "string" (with format uuid/email/date-time when every value
 * had it), "object", "array", or "string" for a mix. *format gets the
 * format name or "" . */
const char *param_type_name(unsigned bits, const char **format);

/* val is the decoded value (its first bytes for a long one), for the
 * caller to shape or hash, never to keep; NULL for a JSON object/array. */
typedef void (*param_fn)(void *ctx, enum param_where where,
			 const char *name, size_t name_len, const char *val,
			 size_t val_len, unsigned type);

/* a=1&b=x (form-decoded: '+' is a space, %XX decoded for typing). */
void param_walk_query(const char *q, size_t len, enum param_where where,
		      param_fn fn, void *ctx);
/* Every value of a JSON body, named by its path. */
void param_walk_json(const char *body, size_t len, param_fn fn, void *ctx);
/* The variable slots of a template: "/users/{id}/posts/{id}" against the
 * request path gives "id" and "id3", typed by their segments. */
void param_walk_path(const char *tmpl, const char *path, param_fn fn,
		     void *ctx);

/* A template segment that is a variable slot: "{name}", name made of
 * letters, digits and '_'. */
int param_is_slot(const char *seg, size_t len);

#endif /* SW_PARAM_H */
