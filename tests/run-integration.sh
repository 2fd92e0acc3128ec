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
	mapfile -t tests < <(ls tests/integration/*.sh | grep -vE '/(lib|enforce_lib|fleet_lib|shard_lib).sh$' | sort)
fi
pass=0
fail=0
failed=()
# each test's output is kept, so the failed checks can be repeated at the
# end, where a reader of a long log (CI) looks first
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	echo "== integration: $name"
	start=$(date +%s)
	# one test at a time on this machine's kernel and 10.213.0.0/16, also
	# against other runs (a developer's, a second checkout's): they share
	# the lock
	flock "${SW_KERNEL_LOCK:-/tmp/sw-kernel.lock}" \
		timeout --kill-after=10 600 bash "$t" 2>&1 | tee "$LOGS/$name.log"
	if [ "${PIPESTATUS[0]}" -eq 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed+=("$name")
	fi
	echo "   ($(( $(date +%s) - start )) s)"
done
for name in "${failed[@]}"; do
	echo "-- $name: its FAIL and FATAL lines again"
	grep -E 'FAIL|FATAL|[Tt]imed out' "$LOGS/$name.log" | head -20 | cut -c1-300
done
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
