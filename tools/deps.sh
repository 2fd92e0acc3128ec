#!/usr/bin/env bash
# tools/deps.sh [--stamp FILE] - install the Debian packages sidewatch
# builds, tests and runs with. Idempotent: one dpkg query first, apt-get only
# for what is missing.
#
# The Makefile includes build/deps.mk and remakes it with --stamp before it
# decides anything else: FILE is (re)written only when this run installed a
# package or FILE is missing, and a rewritten makefile makes make start again
# with a fresh look at the file system (paths such as /usr/share/llhttp exist
# only once their package is installed). When nothing was missing FILE keeps
# its time and make goes on without a restart.
set -euo pipefail

STAMP=
if [ "${1:-}" = --stamp ]; then
	STAMP=${2:?--stamp needs a file}
fi

PKGS=(
	# build
	make gcc clang llvm pkg-config
	libbpf-dev bpftool libelf-dev zlib1g-dev
	node-llhttp libnghttp2-dev
	nanopb libnanopb-dev protobuf-compiler python3-protobuf
	libzmq3-dev libpq-dev libyaml-dev libcmocka-dev
	# tests: libssl.a/libcrypto.a for a statically linked HTTPS server
	libssl-dev
	# fuzz targets: libFuzzer and the sanitizers' runtimes for clang
	libclang-rt-14-dev
	# run and test: real peers nobody here wrote
	iproute2 procps psmisc jq curl wrk nginx-light
	# nginx's stream proxy: a load balancer sending the PROXY protocol
	libnginx-mod-stream
	nghttp2-server nghttp2-client
	python3 python3-grpcio python3-websockets python3-yaml
	postgresql
	# the OpenAPI exports are checked by a validator from the npm registry
	# (this machine's nodejs package carries npm; Debian's own nodejs wants
	# its npm package beside it, which the tests name when it is missing)
	nodejs
)

write_stamp() {
	[ -n "$STAMP" ] || return 0
	mkdir -p "$(dirname "$STAMP")"
	{
		echo "# written by tools/deps.sh: these Debian packages were installed"
		echo "# when make last read its makefiles"
		echo "SW_DEPS_PKGS := ${PKGS[*]}"
	} >"$STAMP.tmp"
	mv -f "$STAMP.tmp" "$STAMP"
}

# one query for all: "name status" for each package dpkg knows
declare -A ok=()
while read -r name status; do
	[ "$status" = installed ] && ok[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${PKGS[@]}" 2>/dev/null || true)
missing=()
for p in "${PKGS[@]}"; do
	[ -n "${ok[$p]:-}" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	[ -n "$STAMP" ] && [ ! -e "$STAMP" ] && write_stamp
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root (apt-get install) or install them by hand;" >&2
	echo "deps: NO_DEPS=1 skips this check (e.g. to build without the test peers)" >&2
	exit 1
fi

# apt_locked CMD... : CMD, run again while another apt or dpkg (a desktop's
# unattended upgrades, a second make) holds the lock it needs: up to
# DEPS_LOCK_WAIT seconds (300), then its own error. apt-get waits for
# dpkg's lock itself (DPkg::Lock::Timeout) but not for the package lists'.
apt_locked() {
	local err rc waited=0
	err=$(mktemp)
	while :; do
		rc=0
		"$@" -o DPkg::Lock::Timeout=60 >/dev/null 2>"$err" || rc=$?
		if [ $rc -ne 0 ] && grep -q "Could not get lock\|Unable to lock" "$err" &&
			[ $waited -lt "${DEPS_LOCK_WAIT:-300}" ]; then
			[ $waited -eq 0 ] && echo "deps: waiting for another package manager: $(grep -m1 'Could not get lock\|Unable to lock' "$err")" >&2
			sleep 5
			waited=$((waited + 5))
			continue
		fi
		cat "$err" >&2
		rm -f "$err"
		return $rc
	done
}

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt_locked apt-get update -q; then
	echo "deps: apt-get update failed (is a Debian mirror reachable?)" >&2
	exit 1
fi
if ! apt_locked apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	echo "deps: apt-get install ${missing[*]} failed" >&2
	exit 1
fi
# nginx's package may start a server on port 80; ours start their own.
if pgrep -x nginx >/dev/null 2>&1 && [ -e /run/nginx.pid ]; then
	nginx -s stop 2>/dev/null || true
fi
# what apt-get said it installed must read back as installed
still=()
for p in "${missing[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || still+=("$p")
done
if [ ${#still[@]} -gt 0 ]; then
	echo "deps: still not installed after apt-get: ${still[*]}" >&2
	exit 1
fi
write_stamp
