#!/bin/bash
# The dispatch endpoints at three backlogs, on SQLite and on PostgreSQL,
# against nginx serving the same bodies (docs/PERFORMANCE.md, "Dispatch at
# any backlog"):
#
#   get      GET /api/incidents/<random id>
#   open     GET /api/incidents?status=open&per_page=50   (the open list)
#   newest   GET /api/incidents?per_page=50               (no filter)
#   board    GET /api/incidents/board                     (the live board)
#   create   POST /api/incidents                          (durable intake: 201 each)
#
# For every backlog (20, 10,000 and 200,000 open incidents; at least 10,000
# incidents in all) a store of its own is made once: `fengqiao init`, `demo`,
# then bench/incidents.c with --open. In each round every read scenario runs
# on fengqiao-on-SQLite, nginx, fengqiao-on-PostgreSQL (A B C A B C …), with
# the CPU of every server thread over the run. Then the creates, on a copy of
# the 10,000 store, the stores alternating. Last, instructions per request
# from callgrind (the -O2 binary under valgrind, requests one after another
# over one connection, counted between `callgrind_control -i on` and `off`, the server started with --instr-atstart=no).
#
#   bench/backlog.sh [FENGQIAO] [BENCH_INCIDENTS]        (make bench-backlog)
#
# Settings (environment): BENCH_STORE=sqlite|postgresql|both (both),
# BENCH_BACKLOGS ("20 10000 200000"), BENCH_BL_ROUNDS (3), BENCH_BL_DURATION
# (10 s per run), BENCH_BL_READ_CONNECTIONS (16, as the TicketsCAD figures),
# BENCH_BL_WRITE_CONNECTIONS (64), BENCH_BL_THREADS (2: fengqiao serve
# --threads), BENCH_BL_WRITE_THREADS (8: --threads for the creates, so that
# several intakes can share a flush), BENCH_BL_SCENARIOS ("get open newest board create"),
# BENCH_BL_CALLGRIND (1; 0 leaves the instruction counts out), BENCH_BL_DIR
# (/tmp/fengqiao-bench-backlog), BENCH_BL_PG_DIR (/tmp/fengqiao-bench-backlog-pg:
# a cluster of its own, running only while this script does),
# BENCH_BL_PREPARE_ONLY (1: make the stores and stop).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
fq_src=$(realpath "${1:-build/fengqiao}")
filler=$(realpath "${2:-build/bench/bench-incidents}")
dir=${BENCH_BL_DIR:-/tmp/fengqiao-bench-backlog}
pgdir=${BENCH_BL_PG_DIR:-/tmp/fengqiao-bench-backlog-pg}
backlogs=${BENCH_BACKLOGS:-"20 10000 200000"}
rounds=${BENCH_BL_ROUNDS:-3}
duration=${BENCH_BL_DURATION:-10}
read_conns=${BENCH_BL_READ_CONNECTIONS:-16}
write_conns=${BENCH_BL_WRITE_CONNECTIONS:-64}
threads=${BENCH_BL_THREADS:-2}
write_threads=${BENCH_BL_WRITE_THREADS:-8}
scenarios=${BENCH_BL_SCENARIOS:-"get open newest board create"}
callgrind=${BENCH_BL_CALLGRIND:-1}
case "${BENCH_STORE:-both}" in
sqlite) stores=sqlite ;;
postgresql | pg) stores=postgresql ;;
both) stores="sqlite postgresql" ;;
*) echo "BENCH_STORE must be sqlite, postgresql or both" >&2; exit 2 ;;
esac
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in wrk curl python3 "$nginx"; do
	command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing: run bench/install.sh as root" >&2; exit 1; }
done
[ "$callgrind" = 0 ] || command -v callgrind_control >/dev/null ||
	{ echo "bench: valgrind is missing (BENCH_BL_CALLGRIND=0 leaves it out)" >&2; exit 1; }

mkdir -p "$dir/raw"
chmod 700 "$dir"
# A copy of the binary, so that a rebuild during the run changes nothing.
fq="$dir/fengqiao"
cp "$fq_src" "$fq.new" && mv -f "$fq.new" "$fq"
version="$("$fq" version), $(cd "$(dirname "$fq_src")" && git describe --always --dirty 2>/dev/null || echo 'no git')"
pg_bin=$(pg_bin_dir)
pg_started=
declare -A pid port token
ng_pid=
ngdir=

url() { # url STORE NAME
	if [ "$1" = sqlite ]; then echo "sqlite:$dir/$2.db"; else echo "postgresql:///$2?host=$pgdir&user=fengqiao"; fi
}
keyfile() { if [ "$1" = sqlite ]; then echo "$dir/$2.key"; else echo "$pgdir/$2.key"; fi; }
fqc() { # fqc STORE NAME ARGS…: a fengqiao command on a store
	local s=$1 n=$2
	shift 2
	"$fq" "$@" --store "$(url "$s" "$n")" --key_file "$(keyfile "$s" "$n")"
}
pg_cluster() { # the cluster, made once
	mkdir -p "$pgdir"
	chmod 755 "$pgdir"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir"
	if [ ! -f "$pgdir/data/PG_VERSION" ]; then
		rm -rf "$pgdir/data" "$pgdir"/*.ready
		mkdir -m 700 "$pgdir/data"
		[ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir/data"
		as_pg "$pg_bin/initdb" -D "$pgdir/data" -U fengqiao -A trust -E UTF8 \
			--locale=C.UTF-8 >"$pgdir/initdb.log" 2>&1 || { cat "$pgdir/initdb.log" >&2; exit 1; }
	fi
	pg_start
}
stop_pid() {
	[ -n "${1:-}" ] || return 0
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
stop_servers() {
	for s in "${!pid[@]}"; do stop_pid "${pid[$s]}"; done
	pid=()
	stop_pid "$ng_pid"
	ng_pid=
}
cleanup() {
	stop_servers
	pg_stop
	[ -z "$ngdir" ] || rm -rf "$ngdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rows_for() { echo $(($1 > 10000 ? $1 : 10000)); }

# prepare STORE BACKLOG: the store "bBACKLOG", made once and kept.
prepare() {
	local s=$1 b=$2 n="b$2" rows ready t0
	rows=$(rows_for "$b")
	if [ "$s" = sqlite ]; then ready="$dir/$n.ready"; else ready="$pgdir/$n.ready"; fi
	[ "$(cat "$ready" 2>/dev/null)" = "$rows $b" ] && return 0
	echo "bench: $s: store $n: init, demo station, $rows incidents of which $b open"
	if [ "$s" = sqlite ]; then
		rm -f "$dir/$n".db* "$(keyfile sqlite "$n")"
	else
		psql_fq -d postgres -c "DROP DATABASE IF EXISTS $n"
		rm -f "$(keyfile postgresql "$n")"
		as_pg "$pg_bin/createdb" -h "$pgdir" -U fengqiao "$n"
	fi
	fqc "$s" "$n" init >"$dir/$s-$n-init.log" 2>&1
	fqc "$s" "$n" demo --residents 1000 --addresses 300 >"$dir/$s-$n-demo.log" 2>&1
	t0=$(date +%s)
	"$filler" --store "$(url "$s" "$n")" --rows "$rows" --open "$b" | tail -n 1
	echo "bench: $s: store $n filled in $(($(date +%s) - t0)) s"
	if [ "$s" = postgresql ]; then
		psql_fq -d "$n" -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'
	else
		python3 -c "import sqlite3; c = sqlite3.connect('$dir/$n.db'); c.execute('ANALYZE'); c.execute('PRAGMA wal_checkpoint(TRUNCATE)')"
	fi
	echo "$rows $b" >"$ready"
}

# start STORE NAME [valgrind…]: fengqiao serve on store NAME; sets pid and port.
start() {
	local s=$1 n=$2 t=$threads
	shift 2
	[ "$n" != write ] || t=$write_threads
	port[$s]=$(free_port)
	"$@" "$fq" serve --max_connections_per_address 0 --store "$(url "$s" "$n")" --key_file "$(keyfile "$s" "$n")" \
		--listen "127.0.0.1:${port[$s]}" --threads "$t" --access_log false --log_level warn \
		>>"$dir/serve-$s.log" 2>&1 &
	pid[$s]=$!
	wait_up "http://127.0.0.1:${port[$s]}/healthz" "$dir/serve-$s.log"
}

# CPU seconds of every thread of a process: "tid name seconds" lines.
threads_cpu() {
	python3 - "$1" <<'PY'
import os, sys
hz = os.sysconf("SC_CLK_TCK")
for tid in os.listdir(f"/proc/{sys.argv[1]}/task"):
    try:
        stat = open(f"/proc/{sys.argv[1]}/task/{tid}/stat").read()
    except OSError:
        continue
    name = stat[stat.index("(") + 1:stat.rindex(")")].replace(" ", "_")
    fields = stat[stat.rindex(")") + 2:].split()
    print(tid, name, (int(fields[11]) + int(fields[12])) / hz)
PY
}

# run BACKLOG SCENARIO SERVER ROUND: one wrk run, one line in figures.txt:
# backlog scenario server round req/s p50 p99 errors threads
# (threads: each busy thread's CPU as a share of one core, "name:0.97,…").
run() {
	local b=$1 sc=$2 server=$3 r=$4 out base path c=$read_conns script=() before=
	out="$dir/raw/$b-$sc-$server-$r.txt"
	if [ "$server" = nginx ]; then base="http://127.0.0.1:$ng_port"; else base="http://127.0.0.1:${port[$server]}"; fi
	case "$server-$sc" in
	nginx-get) path="/get.json?id=" ;;
	nginx-*) path="/$sc.json" ;;
	*-get) path="/api/incidents/" ;;
	*-open) path="/api/incidents?status=open&per_page=50" ;;
	*-newest) path="/api/incidents?per_page=50" ;;
	*-board) path="/api/incidents/board" ;;
	*-create) path="/api/incidents" c=$write_conns script=(-s "$here/post_incident.lua") ;;
	esac
	[ "$sc" != get ] || script=(-s "$here/get_person.lua")
	[ "$server" = nginx ] || before=$(threads_cpu "${pid[$server]}")
	FQ_PATH=$path FQ_PERSONS=$(rows_for "$b") FQ_RUN=$(date +%s%N) timeout $((duration + 30)) \
		wrk -t2 -c"$c" -d"${duration}s" --timeout 5s --latency "${script[@]}" \
		-H "Authorization: Bearer ${token[$server]:-none}" "$base$path" >"$out" 2>&1 || true
	if [ "$server" != nginx ]; then
		threads_cpu "${pid[$server]}" | python3 -c '
import sys
before = {}
for line in sys.argv[1].splitlines():
    tid, name, s = line.split()
    before[tid] = float(s)
busy = []
for line in sys.stdin:
    tid, name, s = line.split()
    share = (float(s) - before.get(tid, 0.0)) / float(sys.argv[2])
    if share >= 0.02:
        busy.append((share, name))
busy.sort(reverse=True)
print("threads: " + (",".join(f"{n}:{s:.2f}" for s, n in busy) or "-"))' "$before" "$duration" >>"$out"
	fi
	python3 - "$out" "$b" "$sc" "$server" "$r" >>"$dir/figures.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
tmo = re.search(r"timeout (\d+)", text)
thr = re.search(r"^threads: (\S+)", text, re.M)
errs = (int(bad.group(1)) if bad else 0) + (int(tmo.group(1)) if tmo else 0)
print(*sys.argv[2:6], rps.group(1) if rps else "0", lat.get("50", "-"), lat.get("99", "-"), errs,
      thr.group(1) if thr else "-")
PY
	tail -n 1 "$dir/figures.txt"
}

# ---- stores ----

for s in $stores; do
	[ "$s" = sqlite ] || pg_cluster
	for b in $backlogs; do
		prepare "$s" "$b"
		[ -s "$dir/$s-b$b.token" ] ||
			fqc "$s" "b$b" token create demo.officer --scopes incident.read,incident.write |
			tail -n 1 >"$dir/$s-b$b.token"
	done
done

[ -z "${BENCH_BL_PREPARE_ONLY:-}" ] || exit 0

# ---- reads, per backlog: SQLite, nginx, PostgreSQL in every round ----

: >"$dir/figures.txt"
ng_port=$(free_port)
read_scenarios=${scenarios/create/}
for b in $backlogs; do
	for s in $stores; do
		start "$s" "b$b"
		token[$s]=$(cat "$dir/$s-b$b.token")
		# statistics of what the server's migrations added since (as autovacuum would)
		[ "$s" != postgresql ] || psql_fq -d "b$b" -c 'ANALYZE'
	done
	first=${stores%% *}
	ngdir=$(mktemp -d /tmp/fengqiao-bench-nginx.XXXXXX)
	nginx_conf "$ngdir" "$ng_port"
	for sc in $read_scenarios; do
		case $sc in
		get) p="/api/incidents/$(($(rows_for "$b") / 2))" ;;
		open) p="/api/incidents?status=open&per_page=50" ;;
		newest) p="/api/incidents?per_page=50" ;;
		board) p="/api/incidents/board" ;;
		esac
		code=$(curl -s -o "$ngdir/www/$sc.json" -w '%{http_code}' -H "Authorization: Bearer ${token[$first]}" \
			"http://127.0.0.1:${port[$first]}$p")
		[ "$code" = 200 ] || { echo "bench: $first: GET $p answered $code" >&2; cat "$ngdir/www/$sc.json" >&2; exit 1; }
	done
	chmod 644 "$ngdir"/www/*.json
	"$nginx" -c "$ngdir/nginx.conf" -p "$ngdir" >"$ngdir/stdout.log" 2>&1 &
	ng_pid=$!
	wait_up "http://127.0.0.1:$ng_port/$(echo $read_scenarios | cut -d' ' -f1).json" "$ngdir/error.log"
	for r in $(seq 1 "$rounds"); do
		for sc in $read_scenarios; do
			for server in $stores; do # SQLite, nginx, PostgreSQL
				run "$b" "$sc" "$server" "$r"
				[ "$server" != "$first" ] || run "$b" "$sc" nginx "$r"
			done
		done
	done
	stop_servers
	rm -rf "$ngdir"
	ngdir=
done

# ---- durable creates on a copy of the 10,000 store, the stores alternating ----

wb=10000
[[ " $backlogs " == *" 10000 "* ]] || wb=${backlogs%% *}
write_copy() { # write_copy STORE: the copy "write" of store b$wb
	if [ "$1" = sqlite ]; then
		rm -f "$dir"/write.db*
		cp "$dir/b$wb.db" "$dir/write.db"
		cp "$(keyfile sqlite "b$wb")" "$(keyfile sqlite write)"
	else
		psql_fq -d postgres -c "DROP DATABASE IF EXISTS write" -c "CREATE DATABASE write TEMPLATE b$wb STRATEGY FILE_COPY"
		cp "$(keyfile postgresql "b$wb")" "$(keyfile postgresql write)"
	fi
	sync
}
if [[ " $scenarios " == *" create "* ]]; then
	for s in $stores; do write_copy "$s"; done
	for r in $(seq 1 "$rounds"); do
		for s in $stores; do
			start "$s" write
			token[$s]=$(cat "$dir/$s-b$wb.token")
			run "$wb" create "$s" "$r"
			stop_servers
		done
	done
fi

# ---- instructions per request (callgrind) ----

: >"$dir/instructions.txt"
# count STORE BACKLOG SCENARIO N METHOD PATH: Ir per request into instructions.txt.
count() {
	local s=$1 b=$2 sc=$3 n=$4 p=${pid[$1]} f
	python3 "$here/requests.py" "${port[$s]}" "${token[$s]}" 20 "$5" "$6" "$(rows_for "$b")" # warm
	callgrind_control -i on "$p" >/dev/null 2>&1
	callgrind_control -z "$p" >/dev/null 2>&1
	python3 "$here/requests.py" "${port[$s]}" "${token[$s]}" "$n" "$5" "$6" "$(rows_for "$b")"
	callgrind_control -i off "$p" >/dev/null 2>&1
	callgrind_control -d "$p" >/dev/null 2>&1
	f=$(ls -t "$dir"/callgrind.out."$p"* | head -n 1)
	awk -v s="$s" -v b="$b" -v sc="$sc" -v n="$n" '/^totals:/ { printf "%s %s %s %d\n", s, b, sc, $2 / n; exit }' \
		"$f" | tee -a "$dir/instructions.txt"
}
if [ "$callgrind" != 0 ]; then
	rm -f "$dir"/callgrind.out.*
	cg=(valgrind --tool=callgrind --instr-atstart=no "--callgrind-out-file=$dir/callgrind.out.%p")
	for s in $stores; do
		for b in $backlogs; do
			start "$s" "b$b" "${cg[@]}"
			token[$s]=$(cat "$dir/$s-b$b.token")
			[[ " $scenarios " != *" get "* ]] || count "$s" "$b" get 500 GET "/api/incidents/{id}"
			[[ " $scenarios " != *" open "* ]] || count "$s" "$b" open 100 GET "/api/incidents?status=open&per_page=50"
			[[ " $scenarios " != *" newest "* ]] || count "$s" "$b" newest 100 GET "/api/incidents?per_page=50"
			[[ " $scenarios " != *" board "* ]] || count "$s" "$b" board 100 GET "/api/incidents/board"
			stop_servers
		done
		if [[ " $scenarios " == *" create "* ]]; then
			write_copy "$s"
			start "$s" write "${cg[@]}"
			token[$s]=$(cat "$dir/$s-b$wb.token")
			count "$s" "$wb" create 300 POST /api/incidents
			stop_servers
		fi
	done
fi

# ---- summary ----

python3 "$here/backlog_summary.py" "$dir" "$version" "$rounds" "$duration" "$read_conns" "$write_conns" "$threads/$write_threads" \
	>"$dir/results.md"
cat "$dir/results.md"
echo "bench: raw wrk output in $dir/raw, figures in $dir/figures.txt and $dir/instructions.txt"
