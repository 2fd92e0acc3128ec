#!/usr/bin/env bash
# exit_hooks: lib.sh's exit-hook stack, on each way a test can end. A child
# script sources lib.sh, pushes hooks, starts a background process through
# bg and a background function (a subshell whose program is its child), then
# ends by finish with a failed check, by die, by a failing command under
# set -e, by SIGTERM, or passes. Each time: every hook ran once, newest
# first, even after a hook that fails or exits; the exit status is the
# script's; no process it started is left; its temp dir is gone.
# Needs no kernel features.
source "$(dirname "$0")/lib.sh"

cat >"$T/child.sh" <<'SH'
source "$LIB"
echo "T $T" >>"$LOG"
hook() { echo "hook $1 x=$x" >>"$LOG"; }
x=1
on_exit hook first
on_exit hook 'second $x'
on_exit false
on_exit sh -c 'exit 7'
x=2
sleeper() { sleep 300; }
sleeper &
SLP=$!
SW_PIDS+=("$SLP")
bg sl sleep 301
has_child() { [ -n "$(ps -o pid= --ppid "$1")" ]; }
wait_for 10 has_child "$SLP" || true
echo "pids $(sw_tree "$SLP" | tr '\n' ' ')$(sw_tree "$PID_sl" | tr '\n' ' ')" >>"$LOG"
echo started >>"$LOG"
case $MODE in
bad) bad "a failed check"; finish ;;
die) die "on purpose" ;;
errexit) false ;;
term) sleep 30 & wait $! ;;
pass) ok "a passed check"; finish ;;
esac
SH

# run_child MODE WANT_RC
run_child() {
	local mode=$1 want=$2 rc=0 pids left
	: >"$T/$mode.log"
	if [ "$mode" = term ]; then
		LIB=$ROOT/tests/integration/lib.sh LOG=$T/$mode.log MODE=$mode bash "$T/child.sh" >/dev/null 2>&1 &
		local c=$!
		wait_for 10 grep -q '^started$' "$T/$mode.log" || true
		kill -TERM "$c"
		wait "$c" || rc=$?
	else
		LIB=$ROOT/tests/integration/lib.sh LOG=$T/$mode.log MODE=$mode bash "$T/child.sh" >/dev/null 2>&1 || rc=$?
	fi
	expect_eq "$mode: exit status" "$rc" "$want"
	expect_eq "$mode: hooks ran once each, newest first, past a failing one" \
		"$(grep '^hook' "$T/$mode.log" | tr '\n' ';')" "hook second \$x x=2;hook first x=2;"
	pids=$(sed -n 's/^pids //p' "$T/$mode.log")
	check "$mode: two background processes and the sleep under the function (${pids% })" \
		test "$(wc -w <<<"$pids")" -eq 3
	left=
	for p in $pids; do sw_alive "$p" && left="$left $p"; done # a zombie is gone
	expect_eq "$mode: none of them is left" "${left:-none}" none
	check "$mode: its temp dir is removed" test ! -e "$(sed -n 's/^T //p' "$T/$mode.log")"
}
run_child bad 1
run_child die 1
run_child errexit 1
run_child term 130
run_child pass 0
finish
