#!/usr/bin/env bash
# tests/integration/containers/images.sh [base|collector|correlator|postgres|all]
# - the container images the container tests run, made once and reused:
#
#   base        debian:bookworm and debian:bookworm-slim, from Debian's
#               mirror with debootstrap (no image registry needed), made
#               once per machine: skipped while `podman image exists`
#   collector   sidewatch-collector:VERSION from deploy/Dockerfile
#   correlator  sidewatch-correlator:VERSION from deploy/Dockerfile.correlator
#   postgres    sidewatch-postgres:15 from deploy/Dockerfile.postgres (Debian's
#               PostgreSQL 15, for deploy/compose.yaml)
#
# Builds keep podman's layer cache (--layers): the apt-get steps are built
# once per machine, the compile step again only when the source changed; an
# image whose source did not change is rebuilt from cache in seconds. One
# build at a time per machine (flock /tmp/sw-images.lock). Run it before
# taking the kernel lock: the first build takes minutes.
# Prints nothing but progress on stderr; exits non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CTR_ROOT"

MIRROR=${SW_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
WORK=

BEFORE=
BUILD_PID=
cleanup() {
	local rc=$? c
	set +e
	# a half-made root file system or image never survives a failed run:
	# nor do the build containers an interrupted build left (the ones that
	# were not there when we started; builds are one at a time)
	if [ -n "$BUILD_PID" ]; then
		kill -TERM "$BUILD_PID" 2>/dev/null
		for _ in $(seq 1 100); do kill -0 "$BUILD_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$BUILD_PID" 2>/dev/null
		wait "$BUILD_PID" 2>/dev/null
	fi
	if [ -n "$WORK" ]; then
		# an interrupted debootstrap leaves its proc and sys mounts
		findmnt -rn -o TARGET | grep "^$WORK/" | sort -r | xargs -r umount -l
		rm -rf --one-file-system "$WORK"
	fi
	if [ "$rc" -ne 0 ] && [ -n "$BEFORE" ]; then
		for c in $(podman ps -a --external --format '{{.ID}}' 2>/dev/null); do
			grep -qx "$c" "$BEFORE" || podman rm -f "$c" >/dev/null 2>&1
		done
	fi
	[ -n "$BEFORE" ] && rm -f "$BEFORE"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "images: $*" >&2; }

base() {
	if pm image exists "debian:$SUITE" && pm image exists "debian:$SUITE-slim"; then
		return 0
	fi
	WORK=$(mktemp -d /var/tmp/sw-base.XXXXXX)
	log "debootstrap --variant=minbase $SUITE from $MIRROR (once per machine)"
	# in the background, as the builds below: a signal stops it at once
	timeout 900 debootstrap --variant=minbase "$SUITE" "$WORK/root" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 &
	BUILD_PID=$!
	wait "$BUILD_PID" || {
		BUILD_PID=
		tail -20 "$WORK/debootstrap.log" >&2
		return 1
	}
	BUILD_PID=
	# the sources Debian's own images carry: the release, its updates and
	# security; apt lists and caches emptied as they do
	cat >"$WORK/root/etc/apt/sources.list" <<SRC
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian}/debian-security $SUITE-security main
SRC
	rm -rf "$WORK/root/var/lib/apt/lists/"* "$WORK/root/var/cache/apt/"*.bin \
		"$WORK/root/var/cache/apt/archives/"*.deb "$WORK/root/var/log/"*.log
	log "import debian:$SUITE"
	tar -C "$WORK/root" --numeric-owner -c . |
		pm import --change 'CMD ["bash"]' - "debian:$SUITE" >/dev/null
	# slim: as Debian's -slim images, no manuals, documentation or
	# translations, now or in packages installed later
	mkdir -p "$WORK/root/etc/dpkg/dpkg.cfg.d"
	cat >"$WORK/root/etc/dpkg/dpkg.cfg.d/slim" <<SLIM
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
SLIM
	find "$WORK/root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
	rm -rf "$WORK/root/usr/share/man/"* "$WORK/root/usr/share/info/"* "$WORK/root/usr/share/lintian/"*
	find "$WORK/root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
	log "import debian:$SUITE-slim"
	tar -C "$WORK/root" --numeric-owner -c . |
		pm import --change 'CMD ["bash"]' - "debian:$SUITE-slim" >/dev/null
	rm -rf "$WORK"
	WORK=
}

# image NAME DOCKERFILE : build NAME from DOCKERFILE with the layer cache
# (docker format: the OCI format has no HEALTHCHECK); labels carry the
# version and the git revision (with -dirty for uncommitted changes), also
# given with --label: buildah's layer cache takes a LABEL step whose ARG
# changed for the same step, and would keep the first build's revision
image() {
	local name=$1 df=$2 rev
	rev=$(git -C "$CTR_ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
	[ -n "$(git -C "$CTR_ROOT" status --porcelain 2>/dev/null)" ] && rev=$rev-dirty
	log "build $name from $df (revision $rev)"
	local t0=$SECONDS
	# in the background, so that a signal reaches the trap at once (bash
	# runs traps only between foreground commands) and stops the build
	timeout 1800 podman --runtime runc build --layers --format docker --network=host --pull=never \
		-f "$df" --ignorefile "$df.dockerignore" \
		--build-arg VERSION="$CTR_VERSION" --build-arg REVISION="$rev" \
		--label org.opencontainers.image.version="$CTR_VERSION" \
		--label org.opencontainers.image.revision="$rev" \
		-t "$name" "$CTR_ROOT" >"$BUILD_LOG" 2>&1 &
	BUILD_PID=$!
	wait "$BUILD_PID" || {
		tail -30 "$BUILD_LOG" >&2
		log "build of $name failed (whole log: $BUILD_LOG)"
		BUILD_PID=
		return 1
	}
	BUILD_PID=
	log "built $name in $((SECONDS - t0)) s"
}

BUILD_LOG=${SW_IMAGES_LOG:-/tmp/sw-images.log}
ctr_deps
exec 9>/tmp/sw-images.lock
flock -w 1800 9 || { log "another image build held /tmp/sw-images.lock for 30 min"; exit 1; }
BEFORE=$(mktemp /tmp/sw-images-ctrs.XXXXXX)
podman ps -a --external --format '{{.ID}}' >"$BEFORE"
case ${1:-all} in
base) base ;;
collector) base; image "$CTR_COLLECTOR_IMAGE" deploy/Dockerfile ;;
correlator) base; image "$CTR_CORRELATOR_IMAGE" deploy/Dockerfile.correlator ;;
postgres) base; image "$CTR_POSTGRES_IMAGE" deploy/Dockerfile.postgres ;;
all)
	base
	image "$CTR_COLLECTOR_IMAGE" deploy/Dockerfile
	image "$CTR_CORRELATOR_IMAGE" deploy/Dockerfile.correlator
	image "$CTR_POSTGRES_IMAGE" deploy/Dockerfile.postgres
	;;
*) log "unknown target ${1:-}"; exit 2 ;;
esac
