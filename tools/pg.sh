#!/usr/bin/env bash
# tools/pg.sh - a private PostgreSQL 15 cluster for sidewatch.
#
#   tools/pg.sh start DIR PORT   initialise DIR/pgdata once, start it on
#                                127.0.0.1:PORT, create database sidewatch
#   tools/pg.sh stop DIR         stop it (fast shutdown)
#   tools/pg.sh url PORT         print the libpq URL
#
# Idempotent: starting a running cluster or stopping a stopped one is fine.
# The server runs as an unprivileged user: as root, initdb/pg_ctl run via
# `runuser -u postgres`, and DIR must be reachable by postgres (every
# parent directory searchable). Listens on 127.0.0.1 only; local
# connections are trusted (a developer's embedded instance, not a server).
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGUSER_OS=postgres

die() { echo "pg.sh: $*" >&2; exit 1; }

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PGUSER_OS" -- "$@"
	else
		"$@"
	fi
}

start() {
	local dir=$1 port=$2 data
	[[ $port =~ ^[0-9]+$ ]] || die "port must be a number"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	data=$dir/pgdata
	if [ "$(id -u)" -eq 0 ]; then
		mkdir -p "$data"
		chown "$PGUSER_OS": "$data"
		chmod 700 "$data"
		as_pg test -x "$dir" ||
			die "$dir is not reachable by user $PGUSER_OS (check parent permissions)"
	fi
	if [ ! -s "$data/PG_VERSION" ]; then
		as_pg "$PGBIN/initdb" -D "$data" -U postgres -A trust -E UTF8 \
			--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			die "initdb failed, see $dir/initdb.log"
		cat >>"$data/postgresql.conf" <<CONF
# sidewatch embedded instance
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data'
fsync = on
# ingest: fewer checkpoints (fewer full-page images) and recycled WAL
# segments instead of new zero-filled ones; durability unchanged (fsync,
# synchronous_commit and full_page_writes stay on)
shared_buffers = 256MB
wal_buffers = 16MB
min_wal_size = 1GB
max_wal_size = 4GB
checkpoint_timeout = 15min
# commit times of transactions: the tests check that the correlator's
# writers commit in the order batches were received
track_commit_timestamp = on
CONF
		cat >"$data/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA
	fi
	if ! as_pg "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
			-o "-p $port -k $data" start >/dev/null ||
			die "server did not start, see $data/server.log"
	fi
	if ! as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc \
		"SELECT 1 FROM pg_database WHERE datname = 'sidewatch'" | grep -q 1; then
		as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres sidewatch
	fi
}

stop() {
	local dir=$1 data
	[ -d "$dir" ] || return 0
	data=$(cd "$dir" && pwd)/pgdata
	[ -s "$data/PG_VERSION" ] || return 0
	if as_pg "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$data" -w -t 60 -m fast stop >/dev/null
	fi
}

case ${1:-} in
start) [ $# -eq 3 ] || die "usage: pg.sh start DIR PORT"; start "$2" "$3" ;;
stop)  [ $# -eq 2 ] || die "usage: pg.sh stop DIR"; stop "$2" ;;
url)   [ $# -eq 2 ] || die "usage: pg.sh url PORT"; echo "postgresql://postgres@127.0.0.1:$2/sidewatch" ;;
*) die "usage: pg.sh start DIR PORT | stop DIR | url PORT" ;;
esac
