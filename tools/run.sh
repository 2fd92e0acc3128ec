#!/usr/bin/env bash
# tools/run.sh - `make run`: protect this host. Starts the collector on every
# network namespace of this machine, printing one JSON event per line.
# Settings: deploy/collector.yaml (SIDEWATCH_* environment overrides it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$ROOT/var"
CONF=${SIDEWATCH_COLLECTOR_CONFIG:-$ROOT/deploy/collector.yaml}
args=(--stdout)
[ -f "$CONF" ] && args+=(--config "$CONF")
echo "sidewatch: collector starting (Ctrl-C stops it); events follow as JSON lines" >&2
exec "$ROOT/build/sidewatch-collector" "${args[@]}" "$@"
