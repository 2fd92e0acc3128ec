/* test_payload_web.c - XSS and path traversal written the way public payload
 * collections and scanners write them (issue 20, helper F): forms that a
 * probe table of cheat-sheet and traversal-list spellings found missed,
 * each judged as a query value, and look-alikes from real pages that must
 * draw nothing of the class. Each group's rows failed before its fix. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

struct row {
	const char *name;
	const char *v;
	enum payload_kind want; /* PAYLOAD_NONE: no finding of kind `not` */
	enum payload_kind not;
};

/* the kinds payload_scan finds for v as a query value, as bits */
static unsigned kinds_of(const char *v, unsigned where)
{
	struct payload_match m[PAYLOAD__COUNT];
	unsigned bits = 0;
	int k = payload_scan(v, strlen(v), where, m, PAYLOAD__COUNT);

	for (int i = 0; i < k; i++)
		bits |= 1u << m[i].kind;
	return bits;
}

static void run_rows(const struct row *t, size_t n, unsigned where)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned bits = kinds_of(t[i].v, where);
		int ok = t[i].want != PAYLOAD_NONE ? (bits >> t[i].want) & 1 : !((bits >> t[i].not) & 1);

		if (!ok) {
			print_error("%s: %s (kinds 0x%x)\n", t[i].name, t[i].v, bits);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

#define Q PAYLOAD_WHERE_QUERY

/* AngularJS normalises a directive's name before matching it: a data- or
 * x- prefix is dropped and ':', '_' and '-' are the same delimiter, so
 * data-ng-init, x-ng-init, ng:init and ng_init are all ng-init; htmx reads
 * data-hx-on like hx-on. */
static void test_framework_attr_spellings(void **st)
{
	static const struct row t[] = {
		{"data-ng-init", "<div data-ng-init=\"constructor.constructor('alert(1)')()\">", PAYLOAD_XSS, 0},
		{"x-ng-init", "<div x-ng-init=\"constructor.constructor('alert(1)')()\">", PAYLOAD_XSS, 0},
		{"ng:init", "<div ng:init=\"constructor.constructor('alert(1)')()\">", PAYLOAD_XSS, 0},
		{"ng_init", "<div ng_init=\"constructor.constructor('alert(1)')()\">", PAYLOAD_XSS, 0},
		{"data-ng-click", "<div data-ng-click=\"$event.view.alert(1)\">x</div>", PAYLOAD_XSS, 0},
		{"data-ng-focus", "<input data-ng-focus=\"$event.view.alert(1)\" autofocus>", PAYLOAD_XSS, 0},
		{"data-hx-on", "<div data-hx-on:click=\"alert(1)\">", PAYLOAD_XSS, 0},
		{"benign data-ng-repeat", "<li data-ng-repeat=\"item in items\">{{item.name}}</li>",
		 PAYLOAD_NONE, PAYLOAD_XSS},
		{"benign data-ng-click", "<button data-ng-click=\"save(form)\">Save</button>", PAYLOAD_NONE,
		 PAYLOAD_XSS},
		{"benign x-ng-model", "<input x-ng-model=\"user.email\">", PAYLOAD_NONE, PAYLOAD_XSS},
	};
	(void)st;
	run_rows(t, sizeof(t) / sizeof(t[0]), Q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framework_attr_spellings),
	};
	payload_cache_enable(0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
