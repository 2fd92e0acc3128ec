#!/usr/bin/env bash
# tests/run-integration.sh [NAME...] - run integration tests (real kernel,
# real servers, network-namespace hosts), each bounded in time.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [ $# -gt 0 ]; then
	tests=()
	for n in "$@"; do tests+=("tests/integration/$n.sh"); done
else
	mapfile -t tests < <(ls tests/integration/*.sh | grep -vE '/(lib|enforce_lib|fleet_lib).sh$' | sort)
fi
pass=0
fail=0
failed=()
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	echo "== integration: $name"
	start=$(date +%s)
	if timeout --kill-after=10 600 bash "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed+=("$name")
	fi
	echo "   ($(( $(date +%s) - start )) s)"
done
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
