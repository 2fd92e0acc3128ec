#!/usr/bin/env bash
# tools/deps.sh - install the Debian packages sidewatch builds, tests and runs
# with. Idempotent: asks dpkg first and calls apt-get only for what is missing.
set -euo pipefail

PKGS=(
	# build
	make gcc clang llvm pkg-config
	libbpf-dev bpftool libelf-dev zlib1g-dev
	node-llhttp libnghttp2-dev
	nanopb libnanopb-dev protobuf-compiler python3-protobuf
	libzmq3-dev libpq-dev libyaml-dev libcmocka-dev
	# fuzz targets: libFuzzer and the sanitizers' runtimes for clang
	libclang-rt-14-dev
	# run and test: real peers nobody here wrote
	iproute2 procps psmisc jq curl wrk nginx-light
	nghttp2-server nghttp2-client
	python3 python3-grpcio python3-websockets python3-yaml
	postgresql
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root (apt-get install) or install them by hand" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
# nginx's package may start a server on port 80; ours start their own.
if pgrep -x nginx >/dev/null 2>&1 && [ -e /run/nginx.pid ]; then
	nginx -s stop 2>/dev/null || true
fi
