/* dataclass_int.h - what dataclass.c (the classes) shares with
 * dataclass_json.c (the JSON walk). Private to the two. */
#ifndef SW_DATACLASS_INT_H
#define SW_DATACLASS_INT_H

#include <stddef.h>

#include "collector/inventory/dataclass.h"

#define MAX_NAME 48 /* bytes of a field name compared */

static inline int is_digit(int c) { return c >= '0' && c <= '9'; }
static inline int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static inline int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static inline int is_alnum(int c)
{
	return is_digit(c) || is_upper(c) || is_lower(c);
}

/* One scan: where findings go and the path they are reported under. */
struct dataclass_scan {
	struct dataclass_counts *counts;
	dataclass_found_fn fn;
	void *ctx;
	const char *path;
	unsigned found;
};

/* What a field's name says its value may hold. */
struct dataclass_field {
	char name[MAX_NAME + 1]; /* lower-case alphanumerics */
	int ssn, phone, secret;
};

void dataclass_field_init(struct dataclass_field *f, const char *name,
			  size_t n);
/* Every class in one value of that field. */
void dataclass_scan_text(struct dataclass_scan *s,
			 const struct dataclass_field *f, const char *v,
			 size_t n);

#endif /* SW_DATACLASS_INT_H */
