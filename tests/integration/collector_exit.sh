#!/usr/bin/env bash
# collector_exit: the exit codes README and collector/main.c promise, each
# caused for real and checked with the message that names the cause:
#   3 not root (the real binary run as user nobody);
#   4 kernel: no BTF (a private mount namespace hides /sys/kernel/btf);
#   5 runtime: out of memory (address space limited with ulimit -v: the
#     smallest limit at which the binary loads at all must give exit 5 and
#     "out of memory", never a crash by signal).
# (2, a bad option or config, is ops.sh's.) SW_BREAK=root runs the "not
# root" case as root, SW_BREAK=btf leaves BTF visible, SW_BREAK=mem lifts the
# memory limit: each makes its check fail (the collector then runs for its
# --duration of 2 s and exits 0).
source "$(dirname "$0")/lib.sh"
require_kernel
ARGS=(--stdout --netns self --no-tls --metrics-listen off --duration 2)

echo "-- 3: not root"
AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
[ "${SW_BREAK:-}" = root ] && AS=()
rc=0
timeout 30 "${AS[@]}" "$COLLECTOR" "${ARGS[@]}" >"$T/e3.out" 2>"$T/e3.err" || rc=$?
head -2 "$T/e3.err" | sed 's/^/   /'
expect_eq "run as nobody: exit 3" "$rc" 3
check "it says it must run as root" grep -q 'must run as root' "$T/e3.err"
check "it printed no event" test ! -s "$T/e3.out"

echo "-- 4: kernel without BTF"
HIDE='mount -t tmpfs none /sys/kernel/btf && '
[ "${SW_BREAK:-}" = btf ] && HIDE=
rc=0
timeout 30 unshare -m sh -c "${HIDE}exec \"\$0\" \"\$@\"" "$COLLECTOR" "${ARGS[@]}" >"$T/e4.out" 2>"$T/e4.err" || rc=$?
head -2 "$T/e4.err" | sed 's/^/   /'
expect_eq "BTF hidden: exit 4" "$rc" 4
check "it names the missing BTF" grep -q 'no BTF (/sys/kernel/btf/vmlinux missing)' "$T/e4.err"

echo "-- 5: runtime, out of memory"
# Raise the address-space limit 512 KiB at a time from where the shared
# libraries cannot even be mapped (the loader's exit 127) to the first limit
# at which main() runs; bounded: at most 60 steps. Between the two the
# loader itself can die by SIGSEGV (seen: its last mmap for a library's
# thread-local block refused, before main): a signal with nothing printed
# and nothing on stdout is still the loader's; a crash of ours near the
# limit is what the check on the limits above catches.
found= lim=
for step in $(seq 0 59); do
	lim=$((8000 + step * 512))
	[ "${SW_BREAK:-}" = mem ] && lim=unlimited
	rc=0
	(ulimit -v "$lim"; exec timeout 30 "$COLLECTOR" "${ARGS[@]}") >"$T/e5.out" 2>"$T/e5.err" || rc=$?
	[ "$rc" = 127 ] && continue
	[ "$rc" -ge 128 ] && [ ! -s "$T/e5.err" ] && [ ! -s "$T/e5.out" ] && continue
	found=$rc
	break
done
echo "   ulimit -v $lim KiB: exit ${found:-none}: $(head -1 "$T/e5.err")"
expect_eq "the smallest address space main() runs in: exit 5" "${found:-none}" 5
# the next few limits up: still 5 with the message, or on to the kernel
# (4: a 32 MiB ring buffer that cannot be mapped), never a signal
crash=0 msg=0
for step in 1 2 3 4; do
	[ "$lim" = unlimited ] && break
	rc=0
	(ulimit -v $((lim + step * 512)); exec timeout 30 "$COLLECTOR" "${ARGS[@]}") >"$T/e5b.out" 2>"$T/e5b.err" || rc=$?
	[ "$rc" -ge 128 ] && crash=$((crash + 1))
	[ "$rc" = 5 ] && grep -q 'out of memory' "$T/e5b.err" && msg=$((msg + 1))
done
expect_eq "no limit near it kills the collector by a signal" "$crash" 0
check "exit 5 says 'out of memory' ($msg of the 4 limits above it)" test "$msg" -ge 1
finish
