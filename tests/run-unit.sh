#!/usr/bin/env bash
# tests/run-unit.sh BIN... - run cmocka unit test binaries; fail if any fails.
set -u
fail=0
total=0
for t in "$@"; do
	total=$((total + 1))
	echo "== $t"
	if ! "$t"; then
		echo "FAILED: $t" >&2
		fail=$((fail + 1))
	fi
done
echo "unit: $((total - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
