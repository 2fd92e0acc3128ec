# tests/integration/containers/env.sh - source it: podman as the container
# tests use it.
#   ctr_deps [PKG...]   install podman, runc, debootstrap and PKGs (Debian's)
#                       if missing
#   pm ARGS...          podman with this folder's containers.conf and runc
# Image names: CTR_BASE (debian:bookworm, debian:bookworm-slim),
# CTR_COLLECTOR_IMAGE, CTR_CORRELATOR_IMAGE, CTR_POSTGRES_IMAGE (PostgreSQL
# 15 from Debian's package, for deploy/compose.yaml).

CTR_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CTR_ROOT=$(cd "$CTR_DIR/../../.." && pwd)
export CONTAINERS_CONF=$CTR_DIR/containers.conf
# the version the collector prints (--version) and reports upstream
CTR_VERSION=$(sed -n 's/^#define SW_VERSION "\(.*\)"$/\1/p' "$CTR_ROOT/collector/opts.h")
CTR_COLLECTOR_IMAGE=sidewatch-collector:$CTR_VERSION
CTR_CORRELATOR_IMAGE=sidewatch-correlator:$CTR_VERSION
CTR_POSTGRES_IMAGE=sidewatch-postgres:15

pm() { podman --runtime runc "$@"; }

# ctr_deps: the packages the container tests run with, installed the way
# tools/deps.sh installs the others (one dpkg query, apt-get only for what
# is missing, read back after)
ctr_deps() {
	local p missing=()
	for p in podman runc debootstrap "$@"; do
		dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || { echo "containers: missing Debian packages: ${missing[*]} (install as root)" >&2; return 1; }
	echo "containers: installing ${missing[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || {
		echo "containers: apt-get install ${missing[*]} failed" >&2
		return 1
	}
	for p in "${missing[@]}"; do
		dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || {
			echo "containers: $p still not installed after apt-get" >&2
			return 1
		}
	done
}
