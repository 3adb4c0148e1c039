#!/bin/bash
# Disputes at 100,000 (docs/PERFORMANCE.md, "Disputes at 100,000"): on SQLite
# and on PostgreSQL, the demo station (`fengqiao demo --residents 30000
# --addresses 1000`) plus BENCH_DISPUTES_ROWS disputes of the last three years,
# the newest BENCH_DISPUTES_OPEN of them open, filled by SQL
# (bench/disputes_fill.sql through bench/lib.sh sqlite_fill_disputes /
# pg_fill_disputes), loaded over HTTP with bearer tokens:
#
#   the chief (demo.chief):      GET /api/disputes/watch
#                                GET /api/disputes/figures?from=Y-01-01&to=Y-12-31&by=type|tier|mediator|grid
#                                GET /api/disputes?per_page=20  (the list page)
#                                GET /api/overview?period=week  (her home)
#   the mediator (demo.mediator, one of 40 mediators):
#                                GET /api/work                  (her work queue)
#                                GET /api/overview/mine?period=week  (her home)
#                                GET /api/disputes?status=open&mediator=ID&per_page=20  (my disputes)
#
# then the instructions of one request of each, counted by callgrind on the
# same store (bench/lib.sh, cg_count: the whole fengqiao process; on SQLite
# the store's work included, on PostgreSQL the server process only).
#
# then BENCH_DISPUTES_SWEEPS (3) runs of the escalation watch's sweep
# (bench/disputes_sweep.c: fq_dispute_watch_sweep as the server runs it every
# 30 s, timed).
#
#   bench/disputes.sh FENGQIAO BENCH_DISPUTES_SWEEP     (make bench-disputes)
#
# Settings (environment): BENCH_STORE=sqlite|postgresql|both (both),
# BENCH_DISPUTES_ROWS (100000), BENCH_DISPUTES_OPEN (3000),
# BENCH_DISPUTES_DURATION (10 s of wrk per request), BENCH_DISPUTES_CONNECTIONS
# (16), BENCH_DISPUTES_CALLGRIND (20 requests counted; 0: none),
# BENCH_DISPUTES_PATHS (a subset of the paths above, space-separated, as
# bench/lib.sh disputes_paths lists them, with mediator=MEDIATOR), BENCH_DISPUTES_DIR (/tmp/fengqiao-bench-disputes: the
# SQLite file, its key, the figures), BENCH_DISPUTES_PG_DIR
# (/tmp/fengqiao-bench-disputes-pg: a cluster of its own, running only while
# this script does), BENCH_UTC_OFFSET (480). Both filled stores are kept as
# the fill left them (SQLite filled.db, PostgreSQL database fengqiao) and
# reused while they hold the same rows on the same day (open disputes'
# sessions and follow-ups are placed around the time of the fill); each run
# measures a copy (run.db, fengqiao_run), which the server migrates, so that
# bench/disputes_cost.sh can compare binaries of other schema versions.
set -euo pipefail

fq=$(realpath "${1:-build/fengqiao}")
sweeper=$(realpath "${2:-build/bench/bench-disputes-sweep}")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
dir=${BENCH_DISPUTES_DIR:-/tmp/fengqiao-bench-disputes}
pgdir=${BENCH_DISPUTES_PG_DIR:-/tmp/fengqiao-bench-disputes-pg}
rows=${BENCH_DISPUTES_ROWS:-100000}
open=${BENCH_DISPUTES_OPEN:-3000}
duration=${BENCH_DISPUTES_DURATION:-10}
conns=${BENCH_DISPUTES_CONNECTIONS:-16}
cg_n=${BENCH_DISPUTES_CALLGRIND:-20}
offset=${BENCH_UTC_OFFSET:-480}
export FENGQIAO_UTC_OFFSET_MINUTES=$offset
year=$(TZ=UTC date -d "@$(($(date +%s) + offset * 60))" +%Y)
# The filled stores are reused while the rows, the day, the fill and the
# binary's version and schema are the same.
ready="$rows $open $offset $(TZ=UTC date -d "@$(($(date +%s) + offset * 60))" +%F) $(sha1sum <"$here/disputes_fill.sql" | cut -c1-12) $("$fq" version | tr ' ' _)"
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

only=${BENCH_DISPUTES_PATHS:-}
# wanted PATH: whether PATH is measured (all unless BENCH_DISPUTES_PATHS
# names some; the mediator's id in a path is written MEDIATOR there).
wanted() {
	[ -z "$only" ] && return 0
	local w
	for w in $only; do [ "$w" = "${1//mediator=$mid/mediator=MEDIATOR}" ] && return 0; done
	return 1
}

# wrk_row STORE WHO PATH TOKEN: one client's median (one_client), then one
# wrk run: one line of the table.
wrk_row() {
	local one
	one=$(one_client "$port" "$3" "$4")
	timeout $((duration + 30)) wrk -t2 -c"$conns" -d"${duration}s" --latency \
		-H "Authorization: Bearer $4" "http://127.0.0.1:$port$3" >"$dir/wrk.txt" 2>&1 || true
	echo "| $1 | $2 | GET $3 | $one ms | $(wrk_cells "$dir/wrk.txt")"
}

: >"$dir/instructions.txt"
: >"$dir/latency.txt"
: >"$dir/sweep.txt"
for s in $stores; do
	if [ "$s" = sqlite ]; then
		export FENGQIAO_KEY_FILE="$dir/filled.db.key"
		if [ "$(cat "$dir/ready" 2>/dev/null)" != "$ready" ] || [ ! -s "$dir/filled.db" ]; then
			rm -f "$dir"/filled.db* "$dir/ready"
			"$fq" init --store "sqlite:$dir/filled.db" >"$dir/init.log" 2>&1
			"$fq" demo --store "sqlite:$dir/filled.db" --residents 30000 --addresses 1000 >"$dir/demo.log" 2>&1
			t0=$(date +%s)
			sqlite_fill_disputes "$dir/filled.db" "$rows" "$open"
			echo "bench: sqlite: $rows disputes in $(($(date +%s) - t0)) s"
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
			"$fq" demo --store "$filled" --residents 30000 --addresses 1000 >"$dir/demo-pg.log" 2>&1
			t0=$(date +%s)
			pg_fill_disputes "$rows" "$open"
			echo "bench: postgresql: $rows disputes in $(($(date +%s) - t0)) s"
			echo "$ready" >"$pgdir/ready"
		fi
		pg_copy_db fengqiao fengqiao_run
		store="postgresql:///fengqiao_run?host=$pgdir&user=fengqiao"
	fi
	chief=$("$fq" token create demo.chief --scopes dispute.read,dispute.write,overview.read \
		--store "$store" 2>/dev/null | tail -n 1)
	mediator=$("$fq" token create demo.mediator --scopes dispute.read,dispute.mediate,overview.mine \
		--store "$store" 2>/dev/null | tail -n 1)
	port=$(free_port)
	"$fq" serve --store "$store" --listen "127.0.0.1:$port" --threads 2 --access_log false \
		--max_connections_per_address 0 >"$dir/serve-$s.log" 2>&1 &
	server_pid=$!
	wait_up "http://127.0.0.1:$port/healthz" "$dir/serve-$s.log" || exit 1
	if [ "$s" = sqlite ]; then
		mid=$(python3 -c "import sqlite3; print(sqlite3.connect('$dir/run.db').execute(\"SELECT id FROM users WHERE username = 'demo.mediator'\").fetchone()[0])")
	else
		mid=$(psql_fq -d fengqiao_run -At -c "SELECT id FROM users WHERE username = 'demo.mediator'")
	fi
	curl -s -H "Authorization: Bearer $mediator" "http://127.0.0.1:$port/api/work" |
		python3 -c 'import json, sys, collections; q = json.load(sys.stdin); print("bench: '"$s"': demo.mediator'"'"'s queue:", q["count"], "items", dict(collections.Counter(i["kind"] for i in q["items"])))'
	curl -s -H "Authorization: Bearer $chief" "http://127.0.0.1:$port/api/disputes/watch" |
		python3 -c 'import json, sys; q = json.load(sys.stdin); print("bench: '"$s"': the watch list:", len(q["items"]), "items")'
	while read -r who p; do
		[ "$who" = chief ] && tok=$chief || tok=$mediator
		! wanted "$p" || wrk_row "$s" "$who" "$p" "$tok" | tee -a "$dir/latency.txt"
	done < <(disputes_paths "$year" "$mid")
	kill "$server_pid"
	wait "$server_pid" 2>/dev/null || true
	server_pid=
	if [ "$cg_n" -gt 0 ]; then
		cg_serve "$dir" "$fq" --store "$store"
		while read -r who p; do
			[ "$who" = chief ] && tok=$chief || tok=$mediator
			! wanted "$p" ||
				echo "| $s | $who | GET $p | $(cg_count "$dir" "$tok" "$cg_n" "$p" "$s$(echo "$p" | tr '/?=&' '----')") |" |
				tee -a "$dir/instructions.txt"
		done < <(disputes_paths "$year" "$mid")
		cg_stop
	fi
	# The escalation watch's sweep, as the server runs it every 30 s, on a
	# new copy of the filled store (the server's own sweep has rescored the
	# run's copy by now), migrated first.
	if [ "$s" = sqlite ]; then
		rm -f "$dir"/sweep.db*
		cp "$dir/filled.db" "$dir/sweep.db"
		sstore="sqlite:$dir/sweep.db"
	else
		pg_copy_db fengqiao fengqiao_sweep
		sstore="postgresql:///fengqiao_sweep?host=$pgdir&user=fengqiao"
	fi
	"$fq" migrate --store "$sstore" >"$dir/sweep-migrate.log" 2>&1
	"$sweeper" --store "$sstore" --runs "${BENCH_DISPUTES_SWEEPS:-3}" | sed "s/^/bench: $s: /" |
		tee -a "$dir/sweep.txt"
	pg_stop
done
echo "bench: latency in $dir/latency.txt; instructions per request (callgrind, $cg_n requests each) in $dir/instructions.txt"
