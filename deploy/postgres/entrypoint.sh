#!/bin/bash
# deploy/postgres/entrypoint.sh - deploy/Dockerfile.postgres's entrypoint.
# As root: make PGDATA and the socket directory the postgres user's, read
# the password (POSTGRES_PASSWORD_FILE may be readable by root only), then
# run again as postgres. As postgres: on an empty PGDATA make the cluster
# (initdb, the user with its password, the database), then exec the server
# so that it is PID 1 and gets the container's stop signal.
set -euo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
export PGDATA POSTGRES_USER POSTGRES_DB

fail() { echo "postgres-entrypoint: $*" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then
	install -d -o postgres -g postgres -m 700 "$PGDATA"
	install -d -o postgres -g postgres -m 2775 /var/run/postgresql
	if [ ! -s "$PGDATA/PG_VERSION" ]; then
		pw=${POSTGRES_PASSWORD:-}
		if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
			pw=$(cat "$POSTGRES_PASSWORD_FILE") || fail "cannot read $POSTGRES_PASSWORD_FILE"
		fi
		[ -n "$pw" ] || fail "set POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE"
		# handed over in a file only the postgres user reads, removed
		# once the cluster is made
		umask 077
		printf '%s\n' "$pw" >/var/run/postgresql/.initpw
		chown postgres:postgres /var/run/postgresql/.initpw
	fi
	unset POSTGRES_PASSWORD
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	[ -r /var/run/postgresql/.initpw ] || fail "no password for the new cluster"
	[ "$POSTGRES_USER" != "${POSTGRES_USER//[!A-Za-z0-9_]/}" ] && fail "POSTGRES_USER: letters, digits and _ only"
	[ "$POSTGRES_DB" != "${POSTGRES_DB//[!A-Za-z0-9_]/}" ] && fail "POSTGRES_DB: letters, digits and _ only"
	initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=/var/run/postgresql/.initpw \
		-A scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
	rm -f /var/run/postgresql/.initpw
	cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '*'
unix_socket_directories = '/var/run/postgresql'
CONF
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
	if [ "$POSTGRES_DB" != postgres ]; then
		# single-user mode: nothing listens before the database exists
		echo "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\";" |
			postgres --single -D "$PGDATA" postgres >/dev/null
	fi
	echo "postgres-entrypoint: cluster made in $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB)" >&2
fi
if [ "${1:-}" = postgres ]; then
	shift
	exec postgres -D "$PGDATA" "$@"
fi
exec "$@"
