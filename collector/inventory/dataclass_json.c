/* dataclass_json.c - sensitive data classes in a JSON body: every string
 * and number jsonwalk reports, judged as a value of the field it sits in.
 */
#include "collector/inventory/dataclass.h"
#include "collector/inventory/dataclass_int.h"
#include "collector/inventory/jsonwalk.h"

_Static_assert(DATACLASS_MAX_PATH == JSONWALK_MAX_PATH, "one path bound");

static void on_value(void *ctx, const struct jsonwalk_item *it)
{
	struct dataclass_scan *s = ctx;
	struct dataclass_field f;

	if (it->type != JSONWALK_STRING && it->type != JSONWALK_NUMBER)
		return;
	dataclass_field_init(&f, it->key, it->klen);
	s->path = it->path;
	dataclass_scan_text(s, &f, it->val, it->vlen);
}

unsigned dataclass_scan_json(const char *body, size_t len,
			     struct dataclass_counts *counts,
			     dataclass_found_fn fn, void *ctx)
{
	struct dataclass_scan s = { counts, fn, ctx, "$", 0 };

	jsonwalk(body, len, DATACLASS_MAX_SCAN, on_value, &s);
	return s.found;
}
