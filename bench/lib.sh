# Shell functions shared by the benchmark scripts (sourced, not run).

# as_pg COMMAND…: runs a PostgreSQL server command as the postgres user when
# the script runs as root (initdb and the server refuse root).
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_bin_dir: the newest PostgreSQL server binaries of the distribution.
pg_bin_dir() {
	# shellcheck disable=SC2012
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# The PostgreSQL cluster of a benchmark: its data in $pgdir/data, its socket
# in $pgdir (no TCP), the settings of tools/pg-throwaway.sh; $pg_bin holds the
# server binaries, $pg_started says whether this script started it.
psql_fq() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pgdir" -U fengqiao "$@"; }
pg_start() {
	[ -z "${pg_started:-}" ] || return 0
	pg_started=1
	as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 120 \
		-o "-c listen_addresses='' -c unix_socket_directories='$pgdir' -c max_connections=200 -c shared_buffers=256MB" \
		start >/dev/null || { tail -n 30 "$pgdir/server.log" >&2; exit 1; }
}
pg_stop() {
	[ -n "${pg_started:-}" ] || return 0
	as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	pg_started=
}

# bench_stores: the stores BENCH_STORE names (sqlite, postgresql or both, the
# default), one word each; exits with a message on anything else.
bench_stores() {
	case "${BENCH_STORE:-both}" in
	sqlite) echo sqlite ;;
	postgresql | pg) echo postgresql ;;
	both) echo sqlite postgresql ;;
	*) echo "BENCH_STORE must be sqlite, postgresql or both" >&2; exit 2 ;;
	esac
}

# nginx_conf DIR PORT: writes DIR/nginx.conf for one worker serving DIR/www on
# 127.0.0.1:PORT with the headers fengqiao sends, so that responses of the
# same body have about the same size. Run it with
# `nginx -c DIR/nginx.conf -p DIR`.
nginx_conf() {
	local ngdir=$1 port=$2
	chmod 755 "$ngdir" # its worker runs as nobody when started by root
	mkdir -p "$ngdir/www" "$ngdir/tmp"
	chmod 755 "$ngdir/www"
	cat >"$ngdir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $ngdir/nginx.pid;
error_log $ngdir/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $ngdir/tmp/body;
	proxy_temp_path $ngdir/tmp/proxy;
	fastcgi_temp_path $ngdir/tmp/fastcgi;
	uwsgi_temp_path $ngdir/tmp/uwsgi;
	scgi_temp_path $ngdir/tmp/scgi;
	keepalive_requests 100000000;
	keepalive_timeout 120s;
	open_file_cache max=16 inactive=3600s;
	open_file_cache_valid 3600s;
	server {
		listen 127.0.0.1:$port;
		root $ngdir/www;
		location / {
			default_type "application/json; charset=utf-8";
			# The headers fengqiao sends, so responses have about the same size.
			add_header Cache-Control no-store;
			add_header X-Content-Type-Options nosniff;
			add_header X-Frame-Options DENY;
			add_header Referrer-Policy no-referrer;
			add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
		}
	}
}
EOF
}

# free_port: a TCP port on 127.0.0.1 nobody listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_up URL LOG: waits up to 20 s for URL to answer; else shows LOG and fails.
wait_up() {
	for _ in $(seq 1 200); do
		curl -sf -m 2 "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "bench: $1 did not answer" >&2
	tail -n 20 "$2" >&2
	return 1
}
