/* fuzz_rules.c - libFuzzer target: the rules file (YAML through libyaml,
 * then our schema: rules, thresholds, CIDRs, durations, allow lists) on
 * any bytes. Checks beyond the sanitizers: a refusal says why, and what
 * parses can drive a verdict engine. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collector/detect/rules.h"
#include "collector/detect/verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules *r = NULL;
	char err[512] = "";

	if (rules_parse(&r, (const char *)data, size, "fuzz.yaml", err,
			sizeof(err)) == 0) {
		struct verdict_engine *v = verdict_new(r);

		verdict_free(v);
		rules_free(r);
	} else if (!err[0]) {
		abort(); /* refused without a reason */
	}
	return 0;
}
