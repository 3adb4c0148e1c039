#!/bin/bash
# Load benchmarks: fengqiao against nginx serving a static file of the same
# size, alternated (A B A B …) as shared/MEASURED.md recommends. See
# bench/README.md.
#
#   bench/run.sh [FENGQIAO_BINARY]   make or reuse the database, run, summarise
#   bench/run.sh --summary           summarise the last run again
#
# Everything listens on 127.0.0.1 only; every run is bounded by a timeout;
# the servers this script starts are stopped when it ends.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=${BENCH_DIR:-/tmp/fengqiao-bench}
residents=${BENCH_RESIDENTS:-1000000}
addresses=${BENCH_ADDRESSES:-20000}
rounds=${BENCH_ROUNDS:-3}
duration=${BENCH_DURATION:-20}   # seconds per measured run
warmup=${BENCH_WARMUP:-5}        # seconds of unmeasured load per server and scenario
conns=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
fq_threads=${BENCH_FQ_THREADS:-2}
fq_port=${BENCH_FQ_PORT:-18281}
ng_port=${BENCH_NGINX_PORT:-18282}
scenarios=${BENCH_SCENARIOS:-"get list search"}
db="$dir/fengqiao.db"
store="sqlite:$db"
raw="$dir/raw"

# ---- summary ----

# Latency in ms from wrk's "1.23ms" / "850.00us" / "1.02s" / "1.00m".
ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0
		else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
		printf "%.2f\n", n }'
}

# field FILE WHAT: rps, p50 or p99 (ms), or bad: non-2xx responses plus
# socket errors (timeouts count: wrk --timeout 5s).
field() {
	case "$2" in
	rps) awk '/^Requests\/sec:/ { print $2 }' "$1" ;;
	p50) ms "$(awk '$1 == "50%" { print $2 }' "$1")" ;;
	p99) ms "$(awk '$1 == "99%" { print $2 }' "$1")" ;;
	bad) awk '/Non-2xx or 3xx responses:/ { n += $NF }
		/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
		END { print n + 0 }' "$1" ;;
	esac
}

median() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else if (NR) printf "%.4g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

summarize() {
	local results="$dir/results.md" scenario server what round row v ratio line size
	{
		echo "## Results $(date -u -r "$raw" +%Y-%m-%dT%H:%MZ)"
		echo
		echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
		echo "- database: $residents persons, $addresses addresses ($(du -m "$db" | cut -f1) MB)$([ -f "$dir/demo-seconds" ] && echo ", made by demo in $(cat "$dir/demo-seconds") s")"
		echo "- load: wrk -t$wrk_threads -c$conns -d${duration}s --timeout 5s --latency; fengqiao --threads $fq_threads; nginx 1 worker; $rounds rounds alternating fengqiao and nginx"
		echo
		echo "| scenario | body bytes | fengqiao req/s | p50 ms | p99 ms | errors | nginx req/s | p50 ms | p99 ms | errors | fengqiao/nginx |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|"
		for scenario in $scenarios; do
			size=$(wc -c <"$dir/bodies/$scenario.json" 2>/dev/null || echo '?')
			row="| $scenario | $size"
			for server in fengqiao nginx; do
				for what in rps p50 p99; do
					# A run with no answer has no latency: leave it out.
					v=$(for round in $(seq "$rounds"); do
						field "$raw/$scenario-$server-$round.txt" $what
					done | awk -v w=$what 'w == "rps" || $1 > 0' | median)
					v=${v:-n/a}
					row="$row | $v"
				done
				v=0
				for round in $(seq "$rounds"); do
					v=$((v + $(field "$raw/$scenario-$server-$round.txt" bad)))
				done
				row="$row | $v"
			done
			# The median of the per-round ratios: each pair ran back to back.
			ratio=$(for round in $(seq "$rounds"); do
				awk -v a="$(field "$raw/$scenario-fengqiao-$round.txt" rps)" \
					-v b="$(field "$raw/$scenario-nginx-$round.txt" rps)" \
					'BEGIN { printf "%.3g\n", a / b }'
			done | median)
			echo "$row | $ratio |"
		done
		echo
		echo "Medians over the rounds; errors are summed over them. Per round (req/s, fengqiao / nginx):"
		echo
		for scenario in $scenarios; do
			line="- $scenario:"
			for round in $(seq "$rounds"); do
				line="$line $(field "$raw/$scenario-fengqiao-$round.txt" rps) / $(field "$raw/$scenario-nginx-$round.txt" rps);"
			done
			echo "$line"
		done
	} >"$results"
	echo
	cat "$results"
	echo
	echo "bench: raw wrk output in $raw, summary in $results"
}

if [ "${1:-}" = --summary ]; then
	summarize
	exit 0
fi

# ---- set-up ----

fq=$(realpath "${1:-build/fengqiao}")
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in wrk curl "$nginx"; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: $tool is missing: run bench/install.sh as root" >&2
		exit 1
	}
done
[ -x "$fq" ] || { echo "bench: no fengqiao binary at '$fq': run make" >&2; exit 1; }

fq_pid=
ng_pid=
ngdir=
# Stops one process this script started: TERM, then KILL after 10 s.
stop() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
cleanup() {
	stop "$fq_pid"
	stop "$ng_pid"
	if [ -n "$ngdir" ]; then rm -rf "$ngdir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits up to 30 s for url to answer; shows the log file $2 when it does not.
wait_http() {
	for _ in $(seq 300); do
		curl -s -o /dev/null --max-time 1 "$1" && return 0
		sleep 0.1
	done
	echo "bench: $1 does not answer" >&2
	cat "$2" >&2
	exit 1
}

# ---- the 1M-person database (kept between runs) ----

mkdir -p "$dir"
chmod 700 "$dir"
# Reused when it was made for the same sizes and this binary still opens it
# (schema and key file).
if [ "$(cat "$dir/ready" 2>/dev/null)" != "$residents $addresses" ] ||
	! "$fq" audit verify --store "$store" >/dev/null 2>&1; then
	rm -f "$db" "$db-wal" "$db-shm" "$db.key" "$dir/ready" "$dir/demo.log" "$dir/demo-seconds"
	echo "bench: creating a database of $residents persons and $addresses addresses in $dir"
	"$fq" init --store "$store" >"$dir/init.log" 2>&1
	t0=$(date +%s.%N)
	"$fq" demo --store "$store" --residents "$residents" --addresses "$addresses" \
		>"$dir/demo.log" 2>&1 || { cat "$dir/demo.log" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$residents $addresses" >"$dir/ready"
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }' >"$dir/demo-seconds"
	echo "bench: demo took $(cat "$dir/demo-seconds") s"
fi

# ---- fengqiao ----

start_fq() {
	"$fq" serve --store "$store" --listen "127.0.0.1:$fq_port" --access_log false \
		--threads "$fq_threads" --log_level warn >>"$dir/serve.log" 2>&1 &
	fq_pid=$!
	wait_http "http://127.0.0.1:$fq_port/healthz" "$dir/serve.log"
}

# After a run, requests wrk gave up on may still queue in the server (a slow
# list can take seconds). Waits up to 10 s for it to be idle, else restarts it
# (the session lives in the database and survives).
drain_fq() {
	local t
	for _ in $(seq 10); do
		t=$(curl -s -o /dev/null --max-time 1 -w '%{time_total}' \
			"http://127.0.0.1:$fq_port/healthz" || echo 9)
		awk -v t="$t" 'BEGIN { exit !(t < 0.05) }' && return 0
		sleep 1
	done
	echo "  (fengqiao still busy with queued requests: restarting it)"
	stop "$fq_pid"
	start_fq
}

: >"$dir/serve.log"
start_fq

cookie=$(curl -s --max-time 10 -D - -o "$dir/session.json" -H 'Content-Type: application/json' \
	-d '{"username":"demo.officer","password":"Demo@2026"}' \
	"http://127.0.0.1:$fq_port/api/session" |
	tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(fq_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || {
	echo "bench: cannot sign in as demo.officer" >&2
	cat "$dir/session.json" >&2
	exit 1
}

# GETs a path with the session into a file; fails unless the status is 200.
fetch() {
	local code
	code=$(curl -s --max-time 30 -o "$2" -w '%{http_code}' -H "Cookie: $cookie" \
		"http://127.0.0.1:$fq_port$1")
	[ "$code" = 200 ] || { echo "bench: GET $1 answered $code" >&2; cat "$2" >&2; exit 1; }
}

# ---- nginx with the same bodies and headers, one worker ----

ngdir=$(mktemp -d /tmp/fengqiao-bench-nginx.XXXXXX)
chmod 755 "$ngdir" # its worker runs as nobody when started by root
mkdir -p "$ngdir/www" "$ngdir/tmp"
chmod 755 "$ngdir/www"
fetch "/api/persons?page=1&per_page=1" "$ngdir/newest.json"
max_id=$(grep -o '"id":[0-9]*' "$ngdir/newest.json" | head -n 1 | cut -d: -f2)
[ -n "$max_id" ] || { echo "bench: no persons in the database" >&2; exit 1; }
fetch "/api/persons/$((max_id / 2))" "$ngdir/www/get.json"
fetch "/api/persons?page=1&per_page=20" "$ngdir/www/list.json"
fetch "/api/persons?q=%E9%99%88&page=1&per_page=20" "$ngdir/www/search.json"
chmod 644 "$ngdir"/www/*.json
rm -rf "$dir/bodies"
mkdir -p "$dir/bodies"
cp "$ngdir"/www/*.json "$dir/bodies/"

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
		listen 127.0.0.1:$ng_port;
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
"$nginx" -c "$ngdir/nginx.conf" -p "$ngdir" >"$ngdir/stdout.log" 2>&1 &
ng_pid=$!
wait_http "http://127.0.0.1:$ng_port/get.json" "$ngdir/error.log"

# ---- runs ----

rm -rf "$raw"
mkdir -p "$raw"

# run_wrk OUTFILE SECONDS SERVER SCENARIO
run_wrk() {
	local out=$1 secs=$2 server=$3 scenario=$4 script=list_persons.lua list=page base path
	[ "$scenario" = get ] && script=get_person.lua
	[ "$scenario" = search ] && list=search
	# nginx ignores the query: every request gets the same file.
	case "$server-$scenario" in
	fengqiao-get) base="http://127.0.0.1:$fq_port" path=/api/persons/ ;;
	fengqiao-*) base="http://127.0.0.1:$fq_port" path=/api/persons ;;
	nginx-get) base="http://127.0.0.1:$ng_port" path="/get.json?id=" ;;
	nginx-*) base="http://127.0.0.1:$ng_port" path="/$scenario.json" ;;
	esac
	FQ_PERSONS=$max_id FQ_PATH=$path FQ_LIST=$list \
		timeout $((secs + 30)) wrk -t"$wrk_threads" -c"$conns" -d"${secs}s" --timeout 5s \
		--latency -s "$here/$script" -H "Cookie: $cookie" "$base" >"$out" 2>&1 ||
		echo "bench: wrk failed, see $out" >&2
	if [ "$server" = fengqiao ]; then drain_fq; fi
}

echo "bench: $rounds rounds of ${duration}s per server and scenario ($scenarios)," \
	"wrk -t$wrk_threads -c$conns, fengqiao --threads $fq_threads, nginx 1 worker"
for scenario in $scenarios; do
	for server in fengqiao nginx; do
		run_wrk "$raw/warmup-$scenario-$server.txt" "$warmup" "$server" "$scenario"
	done
done
for round in $(seq "$rounds"); do
	for scenario in $scenarios; do
		for server in fengqiao nginx; do
			out="$raw/$scenario-$server-$round.txt"
			run_wrk "$out" "$duration" "$server" "$scenario"
			printf '  round %s %-6s %-8s %10s req/s\n' "$round" "$scenario" "$server" \
				"$(field "$out" rps)"
		done
	done
done

summarize
