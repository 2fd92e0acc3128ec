#!/usr/bin/env bash
# tests/run-fuzz.sh smoke|long BIN... - run the libFuzzer targets.
#   smoke: FUZZ_RUNS inputs each (default 20000), seed 1, starting from the
#          generated seeds in a scratch corpus, bounded, for `make test`.
#          Every seed (the regress-* ones included) runs on every pass; the
#          mutations after them can differ from run to run, as libFuzzer
#          also learns from compared values, heap addresses among them.
#   long:  FUZZ_SECS seconds each (default 60) on build/fuzz/corpus/NAME,
#          which grows across runs.
# A crash, leak, sanitizer report or check failure fails the run; the input
# that caused it is kept as build/fuzz/crash-NAME-* and printed.
set -u
mode=${1:?usage: run-fuzz.sh smoke|long BIN...}
shift
dir=$(dirname "${1:?no fuzz targets}")
seeds=$dir/seeds
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for bin in "$@"; do
	name=$(basename "$bin")
	sub=${name#fuzz_}
	if [ "$mode" = smoke ]; then
		corpus=$tmp/$sub
		mkdir -p "$corpus"
		cp "$seeds/$sub"/* "$corpus"/ 2>/dev/null
		args=(-runs="${FUZZ_RUNS:-20000}" -seed=1)
	else
		corpus=$dir/corpus/$sub
		mkdir -p "$corpus"
		args=(-max_total_time="${FUZZ_SECS:-60}" "$seeds/$sub")
	fi
	echo "== $name ($mode)"
	t0=$(date +%s)
	if "$bin" "${args[@]}" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/crash-$sub-" \
		"$corpus" >"$tmp/$sub.log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$sub.log")
		cov=$(grep -o 'cov: [0-9]*' "$tmp/$sub.log" | tail -1)
		echo "   ok: ${execs:-?} inputs, $cov, $(($(date +%s) - t0)) s"
	else
		tail -40 "$tmp/$sub.log"
		ls "$dir"/crash-"$sub"-* 2>/dev/null | sed 's/^/   reproducer: /'
		echo "FAILED: $name" >&2
		fail=$((fail + 1))
	fi
done
echo "fuzz: $(($# - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
