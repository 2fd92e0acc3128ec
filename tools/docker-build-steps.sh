#!/usr/bin/env bash
# tools/docker-build-steps.sh - check deploy/Dockerfile without a Docker
# engine (none runs on the CI machines).
#
#   tools/docker-build-steps.sh --check   static checks, no build:
#       every RUN step is valid sh (sh -n), every apt package named exists
#       in this Debian's package lists, every COPY source exists (or is a
#       make target of this tree), the ENTRYPOINT binary is one the runtime
#       stage copies in, and the runtime config file is valid for the binary
#   tools/docker-build-steps.sh [--keep]  the above, then the build stage for
#       real in a scratch directory: a copy of the tree (git ls-files), the
#       non-apt RUN steps run there (apt steps are checked with dpkg: the
#       packages must be installed), the runtime stage's COPYs assembled
#       into scratch/rootfs, and every shared library the binary needs
#       found in a package the runtime stage installs.
# Exit 0 when every check passes, 1 otherwise.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DF=${DOCKERFILE:-$ROOT/deploy/Dockerfile}
MODE=build
KEEP=0
for a in "$@"; do
	case $a in
	--check) MODE=check ;;
	--keep) KEEP=1 ;;
	*) echo "usage: $0 [--check] [--keep]" >&2; exit 2 ;;
	esac
done

fails=0
ok()  { echo "  ok   $*"; }
bad() { echo "  FAIL $*"; fails=$((fails + 1)); }

S=$(mktemp -d /tmp/sw-docker.XXXXXX)
cleanup() { if [ "$KEEP" = 1 ]; then echo "kept $S"; else rm -rf "$S"; fi; }
trap cleanup EXIT

# Split the Dockerfile into instructions: stage<TAB>INSTR<TAB>args, with
# continuation lines joined and comments dropped.
python3 - "$DF" >"$S/steps.tsv" <<'PY'
import sys
stage, buf = "", ""
for raw in open(sys.argv[1]):
    line = raw.rstrip("\n")
    if not buf and (not line.strip() or line.lstrip().startswith("#")):
        continue
    if line.endswith("\\"):
        buf += line[:-1] + " "
        continue
    buf += line
    instr, _, rest = buf.strip().partition(" ")
    instr = instr.upper()
    if instr == "FROM":
        parts = rest.split()
        stage = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else parts[0]
    print(f"{stage}\t{instr}\t{' '.join(rest.split())}")
    buf = ""
PY

echo "-- static checks ($DF)"
stages=$(cut -f1 "$S/steps.tsv" | uniq | tr '\n' ' ')
[ "$(grep -c $'\tFROM\t' "$S/steps.tsv")" -ge 2 ] && ok "multi-stage: $stages" || bad "not multi-stage"
grep -q $'\tFROM\tdebian:bookworm' "$S/steps.tsv" && ok "stages on debian:bookworm" || bad "no debian:bookworm stage"

n=0
while IFS=$'\t' read -r stage instr args; do
	[ "$instr" = RUN ] || continue
	n=$((n + 1))
	printf '%s\n' "$args" >"$S/run-$n.sh"
	if sh -n "$S/run-$n.sh" 2>"$S/run-$n.err"; then ok "RUN $n ($stage) is valid sh"
	else bad "RUN $n ($stage): $(cat "$S/run-$n.err")"; fi
	# packages: the words after "apt-get install" up to the next && or ;
	python3 - "$args" >"$S/pkgs-$n.txt" <<'PY'
import re, sys
for m in re.finditer(r"apt-get install((?:\s+[^&;|]+))", sys.argv[1]):
    for w in m.group(1).split():
        if not w.startswith("-"):
            print(w)
PY
	while read -r p; do
		if apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then :
		else bad "RUN $n ($stage): package $p unknown to apt-cache"; fi
	done <"$S/pkgs-$n.txt"
	[ -s "$S/pkgs-$n.txt" ] && ok "RUN $n ($stage): $(wc -l <"$S/pkgs-$n.txt") apt packages known to apt-cache"
	echo "$stage" >"$S/stage-$n"
done <"$S/steps.tsv"

# COPY: sources from the context must exist; --from=build sources must be
# this tree's files or make targets.
while IFS=$'\t' read -r stage instr args; do
	[ "$instr" = COPY ] || continue
	read -r -a w <<<"$args"
	if [[ ${w[0]} == --from=* ]]; then
		src=${w[1]#/src/}
		if [ -e "$ROOT/$src" ] || make -C "$ROOT" -n "$src" >/dev/null 2>&1; then
			ok "COPY ${w[0]} $src: a file or make target of the tree"
		else bad "COPY ${w[0]} $src: neither a file nor a make target"; fi
	elif [ "${w[0]}" = . ]; then
		ok "COPY . (the build context)"
	else
		[ -e "$ROOT/${w[0]}" ] && ok "COPY ${w[0]} exists" || bad "COPY ${w[0]} missing"
	fi
done <"$S/steps.tsv"

entry=$(awk -F'\t' '$2=="ENTRYPOINT"{print $3}' "$S/steps.tsv" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0])')
if awk -F'\t' '$2=="COPY"{print $3}' "$S/steps.tsv" | grep -q " $entry\$"; then
	ok "ENTRYPOINT $entry is copied into the runtime stage"
else
	bad "ENTRYPOINT $entry is not copied in by any COPY"
fi
if [ -x "$ROOT/build/sidewatch-collector" ]; then
	if "$ROOT/build/sidewatch-collector" --config "$ROOT/deploy/collector.yaml" --help >/dev/null; then
		ok "deploy/collector.yaml is accepted by the collector"
	else bad "deploy/collector.yaml is refused by the collector"; fi
fi

if [ "$MODE" = check ]; then
	echo "docker-build-steps --check: $fails failed"
	[ "$fails" -eq 0 ]
	exit
fi

echo "-- build stage in $S/src"
mkdir -p "$S/src" "$S/rootfs"
(cd "$ROOT" && git ls-files -z | xargs -0 cp --parents -t "$S/src")
for f in "$S"/run-*.sh; do
	i=${f##*/run-}; i=${i%.sh}
	stage=$(cat "$S/stage-$i")
	if [ -s "$S/pkgs-$i.txt" ]; then
		missing=$(while read -r p; do
			dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
		done <"$S/pkgs-$i.txt" | tr '\n' ' ')
		if [ "$stage" = build ]; then
			[ -z "$missing" ] && ok "RUN $i (build): its packages are installed here" ||
				bad "RUN $i (build): not installed here: $missing (make deps)"
		fi
		continue
	fi
	if (cd "$S/src" && MAKEFLAGS=-j$(nproc) sh -e "$f") >"$S/run-$i.log" 2>&1; then ok "RUN $i ($stage) ran: $(cat "$f")"
	else bad "RUN $i ($stage) failed: $(tail -3 "$S/run-$i.log")"; fi
done

echo "-- runtime stage in $S/rootfs"
while IFS=$'\t' read -r stage instr args; do
	[ "$stage" != build ] && [ "$instr" = COPY ] || continue
	read -r -a w <<<"$args"
	src=$S/src/${w[1]#/src/}
	mkdir -p "$S/rootfs$(dirname "${w[2]}")"
	cp "$src" "$S/rootfs${w[2]}" && ok "COPY ${w[1]} -> ${w[2]}" || bad "COPY ${w[1]}"
done <"$S/steps.tsv"
bin=$S/rootfs$entry
if [ -x "$bin" ]; then
	runtime_pkgs=$(for i in $(ls "$S"/stage-* | sed 's/.*stage-//'); do
		if [ "$(cat "$S/stage-$i")" != build ]; then cat "$S/pkgs-$i.txt"; fi; done | sort -u)
	# what those packages bring along (apt's local lists), plus libc6,
	# which every Debian image has
	closure=$( { echo libc6; apt-cache depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances $runtime_pkgs 2>/dev/null |
		grep -v '^ ' | sed 's/:.*//'; } | sort -u)
	libs_ok=1
	for lib in $(ldd "$bin" | awk '/=>/ {print $3}'); do
		pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1 || true)
		[ -z "$pkg" ] && pkg=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1 || true)
		if grep -qx "$pkg" <<<"$closure"; then continue; fi
		bad "runtime needs $lib from ${pkg:-no package}, not installed by the runtime stage"
		libs_ok=0
	done
	[ "$libs_ok" = 1 ] && ok "every library of $entry comes from the runtime stage's packages (or their dependencies)"
	"$bin" --version >/dev/null && ok "$entry --version runs" || bad "$entry --version"
else
	bad "$entry was not assembled"
fi
echo "docker-build-steps: $fails failed"
[ "$fails" -eq 0 ]
