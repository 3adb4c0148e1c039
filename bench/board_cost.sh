#!/usr/bin/env bash
# Instructions and bytes of one live-board poll (GET /api/incidents/board)
# with B open incidents: the -O2 binary under callgrind, started with
# --instr-atstart=no; 20 polls to warm up, then N counted between
# `callgrind_control -i on` and `-i off` (docs/PERFORMANCE.md, "The board
# poll"). The store (SQLite) is made once: init, demo, bench-incidents
# --rows 10000 --open B.
#
#   bench/board_cost.sh [FENGQIAO] [BENCH_INCIDENTS]
#
# Settings: BENCH_BOARD_OPEN (233), BENCH_BOARD_N (100), BENCH_BOARD_DIR
# (/tmp/fengqiao-bench-board). Prints "open B bytes X instructions/poll Y
# instructions/open-call Z".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
fq=$(realpath "${1:-build/fengqiao}")
filler=$(realpath "${2:-build/bench/bench-incidents}")
open=${BENCH_BOARD_OPEN:-233}
n=${BENCH_BOARD_N:-100}
dir=${BENCH_BOARD_DIR:-/tmp/fengqiao-bench-board}
store="sqlite:$dir/b$open.db"
key="$dir/b$open.key"
command -v callgrind_control >/dev/null || { echo "bench: valgrind is missing" >&2; exit 1; }
mkdir -p "$dir"
chmod 700 "$dir"
if [ ! -s "$dir/b$open.token" ]; then
	rm -f "$dir/b$open".db* "$key"
	"$fq" init --store "$store" --key_file "$key" >"$dir/init.log" 2>&1
	"$fq" demo --residents 1000 --addresses 300 --store "$store" --key_file "$key" >"$dir/demo.log" 2>&1
	"$filler" --store "$store" --rows 10000 --open "$open" | tail -n 1
	"$fq" token create demo.officer --scopes incident.read --store "$store" --key_file "$key" |
		tail -n 1 >"$dir/b$open.token"
fi
token=$(cat "$dir/b$open.token")
port=$(free_port)
rm -f "$dir"/callgrind.out.*
valgrind --tool=callgrind --instr-atstart=no "--callgrind-out-file=$dir/callgrind.out.%p" \
	"$fq" serve --store "$store" --key_file "$key" --listen "127.0.0.1:$port" --threads 2 \
	--access_log false --log_level warn >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
wait_up "http://127.0.0.1:$port/healthz" "$dir/serve.log"
bytes=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/incidents/board" | wc -c)
shown=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/incidents/board" |
	python3 -c 'import json, sys; print(len(json.load(sys.stdin)["incidents"]))')
python3 "$here/requests.py" "$port" "$token" 20 GET /api/incidents/board
callgrind_control -i on "$pid" >/dev/null 2>&1
callgrind_control -z "$pid" >/dev/null 2>&1
python3 "$here/requests.py" "$port" "$token" "$n" GET /api/incidents/board
callgrind_control -i off "$pid" >/dev/null 2>&1
callgrind_control -d "$pid" >/dev/null 2>&1
f=$(ls -t "$dir"/callgrind.out."$pid"* | head -n 1)
awk -v n="$n" -v b="$bytes" -v s="$shown" -v o="$open" '/^totals:/ {
	printf "open %d shown %d bytes %d instructions/poll %d instructions/shown-call %d\n", o, s, b, $2 / n, $2 / n / s; exit }' "$f"
