#!/bin/bash
# Incidents at a million (docs/PERFORMANCE.md, "Incidents at a million"): on
# SQLite and on PostgreSQL, a demo station with 1,000,000 past incidents
# (bench/incidents.c), served by `fengqiao serve`, loaded with wrk over HTTP:
#
#   board    GET /api/incidents/board              (the live board)
#   search2  GET /api/incidents?q=借条              (2 characters, 1 text in 15)
#   search4  GET /api/incidents?q=噪音扰民           (4 characters, 1 text in 15)
#   create   POST /api/incidents                   (durable intake: 201 each)
#
# and, as the scenario overview (make bench-overview), the station overview:
#
#   overview-today  GET /api/overview?period=today    (the chief's home page)
#   overview-week   GET /api/overview?period=week
#   overview-mine   GET /api/overview/mine            (an officer's own)
#   late-week       GET /api/incidents?from=…&late=true  (the list behind a figure)
#
# create runs on SQLite with group commit on and off and on PostgreSQL,
# alternating, rounds times; the reads run first (the creations add open
# incidents to the board).
#
#   bench/incidents.sh FENGQIAO BENCH_INCIDENTS      (make bench-incidents)
#
# Settings (environment): BENCH_STORE=sqlite|postgresql|both (both),
# BENCH_INC_ROWS (1000000), BENCH_INC_ROUNDS (3), BENCH_INC_DURATION (10 s per
# run), BENCH_INC_CONNECTIONS (64), BENCH_INC_FQ_THREADS (8), BENCH_INC_DIR
# (/tmp/fengqiao-bench-inc: the SQLite file, keys, results), BENCH_INC_PG_DIR
# (/tmp/fengqiao-bench-inc-pg: a cluster of its own, running only while this
# script does), BENCH_INC_OPEN (0: open calls of the last seven days among the
# rows, the period the overview reads), BENCH_INC_SCENARIOS (reads create; or
# overview), BENCH_INC_CALLGRIND (20: overview requests counted by callgrind
# after the rounds, bench/lib.sh cg_count; 0: none), BENCH_UTC_OFFSET (480: the
# station's utc_offset_minutes; "today" and "this week" are local). Stores are
# kept and reused while they hold the same rows. PostgreSQL is filled by
# bench/incidents.c through one connection (about 13 min for a million on a
# quiet machine) when the scenarios search, else in bulk without the
# full-text index (bench/lib.sh, pg_fill_incidents: a minute or two).
set -euo pipefail

fq=$(realpath "${1:-build/fengqiao}")
filler=$(realpath "${2:-build/bench/bench-incidents}")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
dir=${BENCH_INC_DIR:-/tmp/fengqiao-bench-inc}
pgdir=${BENCH_INC_PG_DIR:-/tmp/fengqiao-bench-inc-pg}
rows=${BENCH_INC_ROWS:-1000000}
open=${BENCH_INC_OPEN:-0}
scenarios=${BENCH_INC_SCENARIOS:-reads create}
offset=${BENCH_UTC_OFFSET:-480}
export FENGQIAO_UTC_OFFSET_MINUTES=$offset
# PostgreSQL in bulk (no full-text index) unless a scenario searches.
bulk=$([[ " $scenarios " == *" reads "* ]] && echo indexed || echo bulk)
ready="$rows $open $offset"
cg_n=${BENCH_INC_CALLGRIND:-20}
rounds=${BENCH_INC_ROUNDS:-3}
duration=${BENCH_INC_DURATION:-10}
conns=${BENCH_INC_CONNECTIONS:-64}
fq_threads=${BENCH_INC_FQ_THREADS:-8}
stores=$(bench_stores)

mkdir -p "$dir"
results="$dir/results.md"
raw="$dir/raw"
mkdir -p "$raw"
pg_bin=$(pg_bin_dir)
pg_started=
server_pid=
declare -A url key
url[sqlite]="sqlite:$dir/incidents.db"
key[sqlite]="$dir/incidents.db.key"
url[postgresql]="postgresql:///fengqiao?host=$pgdir&user=fengqiao"
key[postgresql]="$pgdir/fengqiao.key"

stop_server() {
	[ -n "$server_pid" ] || return 0
	kill "$server_pid" 2>/dev/null || true
	wait "$server_pid" 2>/dev/null || true
	server_pid=
}
cleanup() { stop_server; cg_stop; pg_stop; }
trap cleanup EXIT
trap 'exit 130' INT TERM

fqc() { # fqc STORE ARGS…: the command line on a store
	local s=$1
	shift
	"$fq" "$@" --store "${url[$s]}" --key_file "${key[$s]}"
}

# The store with the demo station and the incidents, made once.
prepare() {
	local s=$1 t0
	if [ "$s" = postgresql ]; then
		if [ "$(cat "$pgdir/ready" 2>/dev/null)" = "$ready $bulk" ] && [ -f "$pgdir/data/PG_VERSION" ]; then
			pg_start
			return 0
		fi
		pg_new_cluster fengqiao
		rm -f "${key[postgresql]}"
	else
		[ "$(cat "$dir/sqlite.ready" 2>/dev/null)" = "$ready" ] && return 0
		rm -f "$dir"/incidents.db* "$dir/sqlite.ready"
	fi
	echo "bench: $s: init, demo station, $rows incidents ($open open)"
	fqc "$s" init >"$dir/$s-init.log" 2>&1
	fqc "$s" demo --residents 1000 --addresses 300 >"$dir/$s-demo.log" 2>&1
	t0=$(date +%s)
	if [ "$s" = postgresql ] && [ "$bulk" = bulk ]; then
		pg_fill_incidents "$rows" "$open" "$offset"
	else
		"$filler" --store "${url[$s]}" --rows "$rows" --open "$open" --utc-offset "$offset" | tail -n 1
	fi
	echo "bench: $s: filled in $(($(date +%s) - t0)) s"
	if [ "$s" = postgresql ]; then
		[ "$bulk" = bulk ] || psql_fq -d fengqiao -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'
		echo "$ready $bulk" >"$pgdir/ready"
	else
		"$fq" version >/dev/null
		python3 -c "import sqlite3; c = sqlite3.connect('$dir/incidents.db'); c.execute('ANALYZE'); c.execute('PRAGMA wal_checkpoint(TRUNCATE)')"
		echo "$ready" >"$dir/sqlite.ready"
	fi
}

start_server() { # start_server STORE GROUP_COMMIT
	local s=$1 gc=$2
	port=$(free_port)
	"$fq" serve --max_connections_per_address 0 --store "${url[$s]}" --key_file "${key[$s]}" --listen "127.0.0.1:$port" \
		--threads "$fq_threads" --access_log false --group_commit "$gc" --web_root "$dir" \
		>>"$dir/serve-$s.log" 2>&1 &
	server_pid=$!
	wait_up "http://127.0.0.1:$port/healthz" "$dir/serve-$s.log" || exit 1
}

# run NAME STORE LABEL METHOD PATH: one wrk run; appends "label req/s p50 p99
# errors load", the last the load average of the minute when it ended.
run() {
	local name=$1 label=$3 out
	out="$raw/$name.$label.$(date +%s%N).txt"
	if [ "$4" = POST ]; then
		FQ_RUN=$(date +%s%N) wrk -t2 -c"$conns" -d"${duration}s" --timeout 5s --latency \
			-s "$here/post_incident.lua" -H "Authorization: Bearer $token" \
			"http://127.0.0.1:$port$5" >"$out" 2>&1
	else
		wrk -t2 -c"$conns" -d"${duration}s" --timeout 5s --latency \
			-H "Authorization: Bearer $token" "http://127.0.0.1:$port$5" >"$out" 2>&1
	fi
	python3 - "$out" "$name" "$label" >>"$dir/figures.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
tmo = re.search(r"timeout (\d+)", text)
errs = (int(bad.group(1)) if bad else 0) + (int(tmo.group(1)) if tmo else 0)
load = open("/proc/loadavg").read().split()[0]
print(sys.argv[2], sys.argv[3], rps.group(1) if rps else "0", lat.get("50", "-"), lat.get("99", "-"), errs, load)
PY
	tail -n 1 "$dir/figures.txt"
}

: >"$dir/figures.txt"
for s in $stores; do
	prepare "$s"
	token=$(fqc "$s" token create demo.officer \
		--scopes incident.read,incident.write,duty.read,overview.read,overview.mine 2>/dev/null | tail -n 1)
	echo "$token" >"$dir/$s.token"
done

has() { [[ " $scenarios " == *" $1 "* ]]; }

# The station overview and the list behind its late arrivals.
monday=$(python3 -c "import datetime as d; t = d.datetime.utcnow() + d.timedelta(minutes=$offset); print((t - d.timedelta(days=t.weekday())).date())")
for r in $(seq 1 "$rounds"); do
	has overview || break
	for s in $stores; do
		token=$(cat "$dir/$s.token")
		start_server "$s" true
		run overview-today "$s" "$s" GET "/api/overview?period=today"
		run overview-week "$s" "$s" GET "/api/overview?period=week"
		run overview-mine "$s" "$s" GET "/api/overview/mine?period=week"
		run late-week "$s" "$s" GET "/api/incidents?from=$monday&late=true"
		stop_server
	done
done
# Instructions per overview request, counted by callgrind (bench/lib.sh).
: >"$dir/instructions.txt"
for s in $stores; do
	{ has overview && [ "$cg_n" -gt 0 ]; } || break
	token=$(cat "$dir/$s.token")
	cg_serve "$dir" "$fq" --store "${url[$s]}" --key_file "${key[$s]}"
	for p in "/api/overview?period=today" "/api/overview?period=week" "/api/overview/mine?period=week"; do
		echo "$s GET $p $(cg_count "$dir" "$token" "$cg_n" "$p" "$s$(echo "$p" | tr '/?=' '---')")" |
			tee -a "$dir/instructions.txt"
	done
	cg_stop
done
# Reads first: the board (open incidents: the demo's few) and search.
for r in $(seq 1 "$rounds"); do
	has reads || break
	for s in $stores; do
		token=$(cat "$dir/$s.token")
		start_server "$s" true
		run board "$s" "$s" GET /api/incidents/board
		run search2 "$s" "$s" GET "/api/incidents?q=%E5%80%9F%E6%9D%A1"
		run search4 "$s" "$s" GET "/api/incidents?q=%E5%99%AA%E9%9F%B3%E6%89%B0%E6%B0%91"
		stop_server
	done
done
# Durable creation: SQLite with and without group commit, PostgreSQL.
for r in $(seq 1 "$rounds"); do
	has create || break
	for s in $stores; do
		token=$(cat "$dir/$s.token")
		if [ "$s" = sqlite ]; then
			start_server sqlite true
			run create sqlite sqlite-group-commit POST /api/incidents
			stop_server
			start_server sqlite false
			run create sqlite sqlite-one-flush-each POST /api/incidents
			stop_server
		else
			start_server "$s" true
			run create "$s" "$s" POST /api/incidents
			stop_server
		fi
	done
done

python3 - "$dir/figures.txt" "$rows" "$rounds" "$duration" "$conns" "$fq_threads" >"$results" <<'PY'
import statistics, sys
from collections import defaultdict
rows = defaultdict(list)
for line in open(sys.argv[1]):
    name, label, rps, p50, p99, errs, load = line.split()
    rows[(name, label)].append((float(rps), p50, p99, int(errs), load))
print(f"{int(sys.argv[2]):,} incidents; wrk -t2 -c{sys.argv[5]} -d{sys.argv[4]}s --latency; "
      f"fengqiao serve --threads {sys.argv[6]}; medians of {sys.argv[3]} rounds\n")
print("| scenario | store | req/s (median) | p50 | p99 (of the median run) | errors | load |")
print("|---|---|---|---|---|---|---|")
for (name, label), runs in rows.items():
    runs.sort(key=lambda r: r[0])
    mid = runs[len(runs) // 2]
    print(f"| {name} | {label} | {mid[0]:,.0f} | {mid[1]} | {mid[2]} | {sum(r[3] for r in runs)} | {mid[4]} |")
PY
cat "$results"
echo "bench: raw wrk output in $raw, figures in $dir/figures.txt"
