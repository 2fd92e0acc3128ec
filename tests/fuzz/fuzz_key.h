/* fuzz_key.h - included once by each fuzz target whose code hashes
 * identities. The collector draws its hash key at random per process;
 * a target fixes it, so that a run and its reproducers take the same
 * paths every time. */
#ifndef SW_FUZZ_KEY_H
#define SW_FUZZ_KEY_H

#include <stdint.h>

#include "collector/detect/ident.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const uint8_t key[16] = "sidewatch-fuzz!";

	(void)argc;
	(void)argv;
	ident_set_key(key);
	return 0;
}

#endif
