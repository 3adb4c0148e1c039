#!/bin/sh
# A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a new
# temporary folder, listening only on a Unix socket there (no TCP).
#   pg-throwaway.sh start   → prints the store URL (postgresql:///…?host=DIR)
#   pg-throwaway.sh stop DIR → stops it and deletes the folder
# Runs the server as the 'postgres' system user when started as root.
set -eu
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found: install 'postgresql'" >&2; exit 1; }

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "${1:-}" in
start)
	dir=$(mktemp -d /tmp/fq-pg.XXXXXX)
	chmod 755 "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
	as_pg "$bindir/initdb" -D "$dir/data" -U fengqiao -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# Durability settings stay at their defaults: tests must see real commits.
	as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=200 -c shared_buffers=256MB" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	as_pg "$bindir/createdb" -h "$dir" -U fengqiao fengqiao
	echo "postgresql:///fengqiao?host=$dir&user=fengqiao"
	;;
stop)
	dir=${2:?usage: pg-throwaway.sh stop DIR}
	case "$dir" in /tmp/fq-pg.*) ;; *) echo "refusing to remove '$dir'" >&2; exit 1 ;; esac
	as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: pg-throwaway.sh start | stop DIR" >&2
	exit 2
	;;
esac
