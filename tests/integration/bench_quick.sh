#!/usr/bin/env bash
# bench_quick: tools/bench-compare.sh --quick runs end to end (nginx,
# ModSecurity+CRS, CrowdSec, collector, correlator) and writes a
# COMPARE.md whose tables hold numbers, plus the four plots. Any baseline
# that cannot run makes the driver die with the reason; that fails here.
# Then the ingest and fleet benchmarks of `make bench` (tools/bench-ingest.sh,
# tools/bench-fleet.sh) run short and their tables must hold numbers, and
# so do the live-path rows of tools/bench.sh.
source "$(dirname "$0")/lib.sh"
require_kernel

OUT=$T/compare
mkdir -p "$OUT"
# The timeouts guard against a hang, they time nothing: bench-compare
# --quick takes ~100 s on this 2-core machine alone, 276 s and then more
# than 300 s while other builds shared it; a hang still ends in 10 min.
t0=$(date +%s)
if BENCH_COMPARE_OUT=$OUT timeout 600 bash "$ROOT/tools/bench-compare.sh" --quick >"$T/run.log" 2>&1; then
	ok "bench-compare --quick exits 0 ($(($(date +%s) - t0)) s)"
else
	tail -30 "$T/run.log"
	bad "bench-compare --quick failed"
	finish
	exit 1
fi
check "COMPARE.md written" test -s "$OUT/COMPARE.md"
for p in latency detection ttb scaling; do
	check "compare-$p.png is a PNG" sh -c "head -c 8 '$OUT/compare-$p.png' | od -An -c | grep -q 'P   N   G'"
done

python3 "$ROOT/tests/integration/bench_compare_tables.py" "$OUT/COMPARE.md" >"$T/checks.txt"
while read -r res what; do
	if [ "$res" = ok ]; then ok "$what"; else bad "$what"; fi
done <"$T/checks.txt"
# 3 live-path rows, ratios, 6 TP families, false positives, CrowdSec,
# sidewatch verdicts, attached runs decoded, scaling: 15 lines
expect_eq "all table checks ran" "$(wc -l <"$T/checks.txt")" 15

# --- make bench's ingest and fleet sections, short --------------------------------
t0=$(date +%s)
if BENCH_QUICK=1 timeout 300 bash "$ROOT/tools/bench-ingest.sh" "$T/ingest.md" >"$T/ingest.log" 2>&1; then
	ok "bench-ingest quick exits 0 ($(($(date +%s) - t0)) s)"
else
	tail -20 "$T/ingest.log"
	bad "bench-ingest quick failed"
fi
t0=$(date +%s)
if BENCH_QUICK=1 timeout 300 bash "$ROOT/tools/bench-fleet.sh" "$T/fleet.md" >"$T/fleet.log" 2>&1; then
	ok "bench-fleet quick exits 0 ($(($(date +%s) - t0)) s)"
else
	tail -20 "$T/fleet.log"
	bad "bench-fleet quick failed"
fi
python3 "$ROOT/tests/integration/bench_ingest_fleet_tables.py" "$T/ingest.md" "$T/fleet.md" >"$T/checks2.txt"
while read -r res what; do
	if [ "$res" = ok ]; then ok "$what"; else bad "$what"; fi
done <"$T/checks2.txt"
expect_eq "all ingest/fleet checks ran" "$(wc -l <"$T/checks2.txt")" 6

# --- make bench's live-path rows (tools/bench.sh), short: the saturated
# HTTP/1.1 row with its three sides and the verdict runs at both priorities
t0=$(date +%s)
if BENCH_QUICK=1 BENCH_ROWS=h1sat BENCH_OUT="$T/results.md" timeout 300 bash "$ROOT/tools/bench.sh" >"$T/rows.log" 2>&1; then
	ok "bench.sh quick exits 0 ($(($(date +%s) - t0)) s)"
else
	tail -20 "$T/rows.log"
	bad "bench.sh quick failed"
fi
python3 "$ROOT/tests/integration/bench_rows_tables.py" "$T/results.md" >"$T/checks3.txt"
while read -r res what; do
	if [ "$res" = ok ]; then ok "$what"; else bad "$what"; fi
done <"$T/checks3.txt"
expect_eq "all live-path row checks ran" "$(wc -l <"$T/checks3.txt")" 4

# --- make bench's payload detectors' section (tools/bench-payload.sh), short
if PB_RUNS=1 PB_N=60 timeout 120 bash "$ROOT/tools/bench-payload.sh" >"$T/payload.md" 2>"$T/payload.log"; then
	ok "bench-payload quick exits 0"
else
	tail -5 "$T/payload.log"
	bad "bench-payload quick failed"
fi
# a row per corpus, three sizes, each a median with its p99
expect_eq "bench-payload: both corpora measured at 200 B, 2 KiB and 64 KiB" \
	"$(grep -cE '^\| (tests/data/benign|bench/api-values)[^|]+ \| [0-9.]+ \([0-9]+\) \| [0-9.]+ \([0-9]+\) \| [0-9.]+ \([0-9]+\) \|$' "$T/payload.md")" 2
finish
