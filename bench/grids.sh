#!/bin/bash
# Grids at district size (docs/PERFORMANCE.md, "Grids at district size"): on
# SQLite and on PostgreSQL, a station of 200 drawn grids (4 police rooms, 8
# beats, 40 communities and villages) with BENCH_GRIDS_ADDRESSES addresses,
# BENCH_GRIDS_PLACES places and BENCH_GRIDS_INCIDENTS incidents of the last
# year, filled by SQL (bench/grids_fill.sql through bench/lib.sh
# sqlite_fill_grids / pg_fill_grids), beside the demo station; its chief
# (bench.grids.chief) asks, over HTTP with a bearer token, for the requests
# bench/lib.sh grids_paths lists: the areas, the map layers, the heat, the
# coverage check, a grid's page and the station's, an address created (which
# places it in its grid).
#
# For each request: the median and the 95th percentile of
# BENCH_GRIDS_REQUESTS requests one after the other over one connection, the
# load average beside them (the machine is shared: compare within a run);
# then the instructions of one request, counted by callgrind on the same store
# (bench/lib.sh, cg_count: the whole fengqiao process; on SQLite the store's
# work included, on PostgreSQL the server process only): the figure that does
# not drift.
#
#   bench/grids.sh FENGQIAO     (make bench-grids; the -O2 binary)
#
# Settings (environment): BENCH_STORE=sqlite|postgresql|both (both),
# BENCH_GRIDS_ADDRESSES (100000), BENCH_GRIDS_PLACES (20000),
# BENCH_GRIDS_INCIDENTS (1000000), BENCH_GRIDS_REQUESTS (20; 0: no timing),
# BENCH_GRIDS_CALLGRIND (5 requests counted; 0: none), BENCH_GRIDS_PATHS (a
# subset of the paths, space-separated, as grids_paths lists them without
# the method), BENCH_GRIDS_CG_PATHS (the same for callgrind alone; a request
# of seconds takes minutes under callgrind), BENCH_GRIDS_DIR (/tmp/bench-grids: the SQLite file, its key,
# the figures; the PostgreSQL cluster in its pg/, running only while this
# script does), BENCH_UTC_OFFSET (480). The filled stores (SQLite filled.db,
# PostgreSQL database fengqiao) are reused while they hold the same rows of
# the same fill on the same day, whatever the binary; each run measures a
# copy (run.db, fengqiao_run), which the server migrates, so that binaries
# before and after a change compare on the same rows.
set -euo pipefail

fq=$(realpath "${1:-build/fengqiao}")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
dir=${BENCH_GRIDS_DIR:-/tmp/bench-grids}
pgdir=$dir/pg
addresses=${BENCH_GRIDS_ADDRESSES:-100000}
places=${BENCH_GRIDS_PLACES:-20000}
incidents=${BENCH_GRIDS_INCIDENTS:-1000000}
n=${BENCH_GRIDS_REQUESTS:-20}
cg_n=${BENCH_GRIDS_CALLGRIND:-5}
offset=${BENCH_UTC_OFFSET:-480}
only=${BENCH_GRIDS_PATHS:-}
cg_only=${BENCH_GRIDS_CG_PATHS:-$only}
export FENGQIAO_UTC_OFFSET_MINUTES=$offset
today=$(TZ=UTC date -d "@$(($(date +%s) + offset * 60))" +%F)
month_ago=$(TZ=UTC date -d "@$(($(date +%s) + offset * 60 - 29 * 86400))" +%F)
ready="$addresses $places $incidents $offset $today $(sha1sum <"$here/grids_fill.sql" | cut -c1-12)"
stores=$(bench_stores)
mkdir -p "$dir"
pg_bin=$(pg_bin_dir)
pg_started=
server_pid=
finish() {
	[ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; }
	cg_stop
	pg_stop
}
trap finish EXIT

# wanted PATH [LIST]: whether PATH is measured (all unless LIST, by default
# BENCH_GRIDS_PATHS, names some).
wanted() {
	local w list=${2-$only}
	[ -z "$list" ] && return 0
	for w in $list; do [ "$w" = "$1" ] && return 0; done
	return 1
}

: >"$dir/instructions.txt"
: >"$dir/latency.txt"
for s in $stores; do
	if [ "$s" = sqlite ]; then
		export FENGQIAO_KEY_FILE="$dir/filled.db.key"
		if [ "$(cat "$dir/ready" 2>/dev/null)" != "$ready" ] || [ ! -s "$dir/filled.db" ]; then
			rm -f "$dir"/filled.db* "$dir/ready"
			"$fq" init --store "sqlite:$dir/filled.db" >"$dir/init.log" 2>&1
			"$fq" demo --store "sqlite:$dir/filled.db" --residents 200 --addresses 50 >"$dir/demo.log" 2>&1
			t0=$(date +%s)
			sqlite_fill_grids "$dir/filled.db" "$addresses" "$places" "$incidents" "$offset"
			echo "bench: sqlite: the district filled in $(($(date +%s) - t0)) s"
			echo "$ready" >"$dir/ready"
		fi
		rm -f "$dir"/run.db*
		cp "$dir/filled.db" "$dir/run.db"
		store="sqlite:$dir/run.db"
	else
		filled="postgresql:///fengqiao?host=$pgdir&user=fengqiao"
		export FENGQIAO_KEY_FILE="$pgdir/fengqiao.key"
		if [ "$(cat "$pgdir/ready" 2>/dev/null)" = "$ready" ] && [ -f "$pgdir/data/PG_VERSION" ]; then
			pg_start
		else
			pg_new_cluster fengqiao
			rm -f "$FENGQIAO_KEY_FILE"
			"$fq" init --store "$filled" >"$dir/init-pg.log" 2>&1
			"$fq" demo --store "$filled" --residents 200 --addresses 50 >"$dir/demo-pg.log" 2>&1
			t0=$(date +%s)
			pg_fill_grids "$addresses" "$places" "$incidents" "$offset"
			echo "bench: postgresql: the district filled in $(($(date +%s) - t0)) s"
			echo "$ready" >"$pgdir/ready"
		fi
		pg_copy_db fengqiao fengqiao_run
		store="postgresql:///fengqiao_run?host=$pgdir&user=fengqiao"
	fi
	"$fq" migrate --store "$store" >"$dir/migrate-$s.log" 2>&1
	chief=$("$fq" token create bench.grids.chief --scopes grid.read,address.write,incident.read,dispute.read,place.read,volunteer.read \
		--store "$store" 2>/dev/null | tail -n 1)
	grid=3001047
	if [ "$n" -gt 0 ]; then
		port=$(free_port)
		"$fq" serve --store "$store" --listen "127.0.0.1:$port" --threads 2 --access_log false \
			--max_connections_per_address 0 >"$dir/serve-$s.log" 2>&1 &
		server_pid=$!
		wait_up "http://127.0.0.1:$port/healthz" "$dir/serve-$s.log" || exit 1
		while read -r m p; do
			wanted "$p" || continue
			python3 "$here/requests.py" "$port" "$chief" 2 "$m" "$p" # warm
			t=$(BENCH_TIMES=1 python3 "$here/requests.py" "$port" "$chief" "$n" "$m" "$p")
			echo "| $s | $m $p | ${t% *} ms | ${t#* } ms | $(cut -d' ' -f1 /proc/loadavg) |" |
				tee -a "$dir/latency.txt"
		done < <(grids_paths "$today" "$month_ago" "$grid")
		kill "$server_pid"
		wait "$server_pid" 2>/dev/null || true
		server_pid=
	fi
	if [ "$cg_n" -gt 0 ]; then
		cg_serve "$dir" "$fq" --store "$store"
		while read -r m p; do
			wanted "$p" "$cg_only" || continue
			echo "| $s | $m $p | $(cg_count "$dir" "$chief" "$cg_n" "$p" "$s$(echo "$p" | tr '/?=&' '----')" "$m") |" |
				tee -a "$dir/instructions.txt"
		done < <(grids_paths "$today" "$month_ago" "$grid")
		cg_stop
	fi
	pg_stop
done
echo "bench: latency (median, p95 of $n requests, load average) in $dir/latency.txt; instructions per request (callgrind, $cg_n requests each) in $dir/instructions.txt"
