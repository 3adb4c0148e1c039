#!/bin/bash
# My work queue and the notification bell at a million incidents
# (docs/PERFORMANCE.md, "Work queue"): on SQLite and on PostgreSQL, the demo
# station with BENCH_WORK_ROWS incidents (bench/incidents.c: past years'
# closed calls, then BENCH_WORK_OPEN open calls of the last week), the demo
# officer made leader of the shift running now (the heaviest queue: the
# day's open calls of the station besides their own), loaded over HTTP:
#
#   work    GET /api/work                    (every provider's items)
#   status  GET /api/notifications/status    (the bell's poll, no version: at once)
#   list    GET /api/notifications           (the bell's first page)
#
#   bench/work.sh FENGQIAO BENCH_INCIDENTS        (make bench-work)
#
# Then the instructions of one request of each, counted by callgrind on the
# same store (bench/lib.sh, cg_count; the whole fengqiao process: on SQLite
# the store's work included, on PostgreSQL the server process only).
#
# Settings (environment): BENCH_STORE=sqlite|postgresql|both (both),
# BENCH_WORK_ROWS (1000000), BENCH_WORK_OPEN (300), BENCH_WORK_DURATION (10 s),
# BENCH_WORK_CONNECTIONS (16), BENCH_WORK_CALLGRIND (100 requests counted;
# 0: none), BENCH_WORK_DIR (/tmp/fengqiao-bench-work: the SQLite file, its key,
# the figures), BENCH_WORK_PG_DIR (/tmp/fengqiao-bench-work-pg: a cluster of
# its own, running only while this script does), BENCH_UTC_OFFSET (480: the
# station's utc_offset_minutes; the queue holds the open calls of the local
# day, so run it late in a local day or give an offset where it is). The
# SQLite store is filled by bench/incidents.c, the PostgreSQL one in bulk
# (bench/lib.sh, pg_fill_incidents); both are kept and reused while they hold
# the same rows, offset and local day (the demo's shifts are the day's).
set -euo pipefail

fq=$(realpath "${1:-build/fengqiao}")
filler=$(realpath "${2:-build/bench/bench-incidents}")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
dir=${BENCH_WORK_DIR:-/tmp/fengqiao-bench-work}
pgdir=${BENCH_WORK_PG_DIR:-/tmp/fengqiao-bench-work-pg}
rows=${BENCH_WORK_ROWS:-1000000}
open=${BENCH_WORK_OPEN:-300}
duration=${BENCH_WORK_DURATION:-10}
conns=${BENCH_WORK_CONNECTIONS:-16}
cg_n=${BENCH_WORK_CALLGRIND:-100}
offset=${BENCH_UTC_OFFSET:-480}
export FENGQIAO_UTC_OFFSET_MINUTES=$offset
ready="$rows $open $offset $(TZ=UTC date -d "@$(($(date +%s) + offset * 60))" +%F)"
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

# The SQL that makes the demo officer the leader of the shift running now.
LEADER_SQL="UPDATE shift_positions SET position = 'leader' WHERE user_id =
 (SELECT id FROM users WHERE username = 'demo.officer')
 AND start_at <= $(date +%s)000 AND end_at > $(date +%s)000"

paths="/api/work /api/notifications/status /api/notifications"
: >"$dir/instructions.txt"
for s in $stores; do
	if [ "$s" = sqlite ]; then
		store="sqlite:$dir/work.db"
		export FENGQIAO_KEY_FILE="$dir/work.db.key"
		if [ "$(cat "$dir/ready" 2>/dev/null)" != "$ready" ]; then
			rm -f "$dir"/work.db* "$dir/ready"
			"$fq" init --store "$store" >"$dir/init.log" 2>&1
			"$fq" demo --store "$store" --residents 1000 --addresses 300 >"$dir/demo.log" 2>&1
			"$filler" --store "$store" --rows "$rows" --open "$open" --utc-offset "$offset" | tail -n 1
			python3 -c "import sqlite3; c = sqlite3.connect('$dir/work.db'); c.execute('ANALYZE'); c.execute('PRAGMA wal_checkpoint(TRUNCATE)')"
			echo "$ready" >"$dir/ready"
		fi
		python3 -c "import sqlite3, sys; c = sqlite3.connect('$dir/work.db'); c.execute(sys.argv[1]); c.commit()" "$LEADER_SQL"
	else
		store="postgresql:///fengqiao?host=$pgdir&user=fengqiao"
		export FENGQIAO_KEY_FILE="$pgdir/fengqiao.key"
		if [ "$(cat "$pgdir/ready" 2>/dev/null)" = "$ready" ] && [ -f "$pgdir/data/PG_VERSION" ]; then
			pg_start
		else
			pg_new_cluster fengqiao
			rm -f "$FENGQIAO_KEY_FILE"
			"$fq" init --store "$store" >"$dir/init-pg.log" 2>&1
			"$fq" demo --store "$store" --residents 1000 --addresses 300 >"$dir/demo-pg.log" 2>&1
			t0=$(date +%s)
			pg_fill_incidents "$rows" "$open" "$offset"
			echo "bench: postgresql: $rows incidents in $(($(date +%s) - t0)) s"
			echo "$ready" >"$pgdir/ready"
		fi
		psql_fq -d fengqiao -c "$LEADER_SQL"
	fi
	token=$("$fq" token create demo.officer --scopes incident.read,incident.write,duty.read,duty.write \
		--store "$store" 2>/dev/null | tail -n 1)
	port=$(free_port)
	"$fq" serve --store "$store" --listen "127.0.0.1:$port" --threads 2 --access_log false \
		--max_connections_per_address 0 >"$dir/serve-$s.log" 2>&1 &
	server_pid=$!
	wait_up "http://127.0.0.1:$port/healthz" "$dir/serve-$s.log" || exit 1
	items=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/work" |
		python3 -c 'import json, sys; q = json.load(sys.stdin); print(q["count"], "items,", q["overdue"], "overdue")')
	echo "bench: $s: demo.officer's queue: $items"
	for path in $paths; do
		wrk -t2 -c"$conns" -d"${duration}s" --latency -H "Authorization: Bearer $token" \
			"http://127.0.0.1:$port$path" >"$dir/wrk.txt" 2>&1
		echo "| $s | GET $path | $(wrk_cells "$dir/wrk.txt")"
	done
	kill "$server_pid"
	wait "$server_pid" 2>/dev/null || true
	server_pid=
	if [ "$cg_n" -gt 0 ]; then
		cg_serve "$dir" "$fq" --store "$store"
		for path in $paths; do
			n=$(cg_count "$dir" "$token" "$cg_n" "$path" "$s$(echo "$path" | tr / -)")
			echo "| $s | GET $path | $n |" | tee -a "$dir/instructions.txt"
		done
		cg_stop
	fi
	pg_stop
done
echo "bench: instructions per request (callgrind, $cg_n requests each) in $dir/instructions.txt"
