#!/usr/bin/env bash
# tools/mount-fs.sh - mount tracefs and bpffs when they are missing.
set -eu
if [ "$(id -u)" -ne 0 ]; then
	echo "mount-fs: must run as root to mount tracefs/bpffs" >&2
	exit 1
fi
if ! mountpoint -q /sys/kernel/tracing; then
	mount -t tracefs tracefs /sys/kernel/tracing
fi
if ! mountpoint -q /sys/fs/bpf; then
	mount -t bpf bpf /sys/fs/bpf
fi
