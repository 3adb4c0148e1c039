#!/bin/bash
# Load benchmarks: fengqiao on SQLite and on PostgreSQL against nginx serving
# a static file of the same size, alternated (A B C A B C …) as
# shared/MEASURED.md recommends. See bench/README.md.
#
#   bench/run.sh [--store sqlite|postgresql|both] [FENGQIAO_BINARY]
#                     make or reuse the databases, run, summarise
#   bench/run.sh --summary          summarise the last run again
#
# Everything listens on 127.0.0.1 (PostgreSQL on a Unix socket only); every
# run is bounded by a timeout; the servers this script starts, the PostgreSQL
# cluster included, are stopped when it ends.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
dir=${BENCH_DIR:-/tmp/fengqiao-bench}
pgdir=${BENCH_PG_DIR:-/tmp/fengqiao-bench-pg}
store_choice=${BENCH_STORE:-both}
residents=${BENCH_RESIDENTS:-1000000}
addresses=${BENCH_ADDRESSES:-20000}
pg_residents=${BENCH_PG_RESIDENTS:-$residents}
pg_addresses=${BENCH_PG_ADDRESSES:-$addresses}
demo_timeout=${BENCH_DEMO_TIMEOUT:-1800} # seconds; demo is stopped after that
rounds=${BENCH_ROUNDS:-3}
duration=${BENCH_DURATION:-20}   # seconds per measured run
warmup=${BENCH_WARMUP:-5}        # seconds of unmeasured load per server and scenario
write_duration=${BENCH_WRITE_DURATION:-10} # seconds per POST run; 0: no write scenario
conns=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
fq_threads=${BENCH_FQ_THREADS:-2}
fq_port=${BENCH_FQ_PORT:-18281}
ng_port=${BENCH_NGINX_PORT:-18282}
pg_fq_port=${BENCH_PG_FQ_PORT:-18283}
scenarios=${BENCH_SCENARIOS:-"get list search"}
raw="$dir/raw"

usage() {
	echo "usage: bench/run.sh [--store sqlite|postgresql|both] [FENGQIAO_BINARY] | --summary" >&2
	exit 2
}

summary_only=
binary=
while [ $# -gt 0 ]; do
	case "$1" in
	--summary) summary_only=1 ;;
	--store) [ $# -ge 2 ] || usage; store_choice=$2; shift ;;
	--store=*) store_choice=${1#--store=} ;;
	-*) usage ;;
	*) [ -z "$binary" ] || usage; binary=$1 ;;
	esac
	shift
done
case "$store_choice" in
sqlite) stores=sqlite ;;
postgresql | pg) stores=postgresql ;;
both) stores="sqlite postgresql" ;;
*) usage ;;
esac

# ---- summary ----

# Latency in ms from wrk's "1.23ms" / "850.00us" / "1.02s" / "1.00m".
ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0
		else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
		printf "%.2f\n", n }'
}

# field FILE WHAT: rps, p50 or p99 (ms), bad: non-2xx responses plus socket
# errors (timeouts count: wrk --timeout 5s), or ok: 2xx answers per second.
field() {
	[ -f "$1" ] || { echo 0; return; }
	case "$2" in
	rps) awk '/^Requests\/sec:/ { print $2 }' "$1" ;;
	p50) ms "$(awk '$1 == "50%" { print $2 }' "$1")" ;;
	p99) ms "$(awk '$1 == "99%" { print $2 }' "$1")" ;;
	bad) awk '/Non-2xx or 3xx responses:/ { n += $NF }
		/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
		END { print n + 0 }' "$1" ;;
	ok) awk '/ requests in / { n = $1; t = $4 + 0; if ($4 ~ /ms,?$/) t /= 1000
			else if ($4 ~ /m,?$/) t *= 60 }
		/Non-2xx or 3xx responses:/ { n -= $NF }
		END { if (t > 0) printf "%.1f\n", n / t; else print 0 }' "$1" ;;
	esac
}

median() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else if (NR) printf "%.4g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Median over rounds of FIELD for one server and scenario (runs without an
# answer have no latency and are left out of p50 and p99).
med() {
	local scenario=$1 server=$2 what=$3 round v
	v=$(for round in $(seq "$rounds"); do
		field "$raw/$scenario-$server-$round.txt" "$what"
	done | awk -v w="$what" 'w == "rps" || w == "ok" || $1 > 0' | median)
	echo "${v:-n/a}"
}

errors() {
	local v=0 round
	for round in $(seq "$rounds"); do
		v=$((v + $(field "$raw/$1-$2-$round.txt" bad)))
	done
	echo "$v"
}

label() {
	case "$1" in
	sqlite) echo "fengqiao, SQLite" ;;
	postgresql) echo "fengqiao, PostgreSQL" ;;
	*) echo "$1" ;;
	esac
}

# shellcheck disable=SC2154 # started, machine: set by . "$raw/params"
summarize() {
	local results="$dir/results.md" scenario server round row ratio line size s
	# The parameters of the run being summarised.
	# shellcheck disable=SC1091
	. "$raw/params"
	{
		echo "## Results $started"
		echo
		echo "- machine: $machine"
		echo "- fengqiao: $version"
		for s in $stores; do
			case $s in
			sqlite) echo "- SQLite $sqlite_version: $residents persons, $addresses addresses ($sqlite_mb MB)${sqlite_demo:+, made by demo in $sqlite_demo s}" ;;
			postgresql) echo "- PostgreSQL $pg_version (shared_buffers 256MB, durability settings at their defaults, Unix socket): $pg_residents persons, $pg_addresses addresses ($pg_mb MB)${pg_demo:+, made by demo in $pg_demo s}${pg_vacuum:+, then VACUUM ANALYZE in $pg_vacuum s}" ;;
			esac
		done
		echo "- load: wrk -t$wrk_threads -c$conns -d${duration}s --timeout 5s --latency; fengqiao --threads $fq_threads; nginx 1 worker; $rounds rounds, each running every scenario on ${servers// / then }"
		echo
		echo "| scenario | server | body bytes | req/s | p50 ms | p99 ms | errors | ÷ nginx |"
		echo "|---|---|---|---|---|---|---|---|"
		for scenario in $scenarios; do
			for server in $servers; do
				if [ "$server" = nginx ]; then
					size=$(wc -c <"$dir/bodies/$first-$scenario.json" 2>/dev/null || echo '?')
					ratio=1
				else
					size=$(wc -c <"$dir/bodies/$server-$scenario.json" 2>/dev/null || echo '?')
					# The median of the per-round ratios: each run was next to its nginx run.
					ratio=$(for round in $(seq "$rounds"); do
						awk -v a="$(field "$raw/$scenario-$server-$round.txt" rps)" \
							-v b="$(field "$raw/$scenario-nginx-$round.txt" rps)" \
							'BEGIN { if (b > 0) printf "%.3g\n", a / b }'
					done | median)
				fi
				row="| $scenario | $(label "$server") | $size"
				row="$row | $(med "$scenario" "$server" rps) | $(med "$scenario" "$server" p50)"
				row="$row | $(med "$scenario" "$server" p99) | $(errors "$scenario" "$server")"
				echo "$row | ${ratio:-n/a} |"
			done
		done
		echo
		echo "Medians over the rounds; errors (non-2xx answers and wrk timeouts) are summed over them. Per round, req/s (${servers// / \/ }):"
		echo
		for scenario in $scenarios; do
			line="- $scenario:"
			for round in $(seq "$rounds"); do
				for server in $servers; do
					line="$line $(field "$raw/$scenario-$server-$round.txt" rps) /"
				done
				line="${line% /};"
			done
			echo "$line"
		done
		if [ "$write_duration" -gt 0 ]; then
			echo
			echo "Durable writes: \`POST /api/persons\` (a new passport number each time; 201), wrk -t$wrk_threads -c$conns -d${write_duration}s, $rounds rounds alternating the stores, on a copy of each database:"
			echo
			echo "| store | creations/s | p50 ms | p99 ms | errors | per round |"
			echo "|---|---|---|---|---|---|"
			for s in $stores; do
				line=
				for round in $(seq "$rounds"); do
					line="$line $(field "$raw/create-$s-$round.txt" ok);"
				done
				echo "| $(label "$s") | $(med create "$s" ok) | $(med create "$s" p50) | $(med create "$s" p99) | $(errors create "$s") |${line%;} |"
			done
		fi
	} >"$results"
	echo
	cat "$results"
	echo
	echo "bench: raw wrk output in $raw, summary in $results"
}

if [ -n "$summary_only" ]; then
	summarize
	exit 0
fi

# ---- set-up ----

[ -n "$binary" ] || binary=build/fengqiao
[ -x "$binary" ] || { echo "bench: no fengqiao binary at '$binary': run make" >&2; exit 1; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in wrk curl "$nginx"; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: $tool is missing: run bench/install.sh as root" >&2
		exit 1
	}
done
case " $stores " in
*" postgresql "*)
	# shellcheck disable=SC2012
	pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -x "$pg_bin/initdb" ] || {
		echo "bench: PostgreSQL server binaries not found: install 'postgresql'" >&2
		exit 1
	}
	;;
esac

mkdir -p "$dir"
chmod 700 "$dir"
# A copy of the binary, so a rebuild during the run cannot change it under us.
fq="$dir/fengqiao"
cp "$binary" "$fq.new"
mv -f "$fq.new" "$fq"
version="$("$fq" version), $(cd "$(dirname "$(realpath "$binary")")" &&
	git describe --always --dirty 2>/dev/null || echo 'no git')"

declare -A url key_args port fq_pid cookie csrf max_id
url[sqlite]="sqlite:$dir/fengqiao.db"
key_args[sqlite]=
port[sqlite]=$fq_port
url[postgresql]="postgresql:///fengqiao?host=$pgdir&user=fengqiao"
key_args[postgresql]="--key_file $pgdir/fengqiao.key"
port[postgresql]=$pg_fq_port
fq_pid[sqlite]=
fq_pid[postgresql]=
ng_pid=
ngdir=
pg_started=


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
pg_stop() {
	[ -n "$pg_started" ] || return 0
	as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	pg_started=
}
cleanup() {
	stop "${fq_pid[sqlite]}"
	stop "${fq_pid[postgresql]}"
	stop "$ng_pid"
	if [ -n "$ngdir" ]; then rm -rf "$ngdir"; fi
	pg_stop
	rm -f "$dir/write.db" "$dir/write.db-wal" "$dir/write.db-shm" "$dir/write.db.key"
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

# seconds_since T0: wall seconds since date +%s.%N gave T0.
seconds_since() {
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }'
}

# make_demo STORE DIR RESIDENTS ADDRESSES: init and demo into the store,
# timing demo into DIR/demo-seconds (and its CPU time into DIR/demo-time).
make_demo() {
	local s=$1 d=$2 n=$3 a=$4 t0
	echo "bench: $s: creating a database of $n persons and $a addresses"
	# shellcheck disable=SC2086
	"$fq" init --store "${url[$s]}" ${key_args[$s]} >"$d/init.log" 2>&1 ||
		{ cat "$d/init.log" >&2; exit 1; }
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086
	/usr/bin/time -f '%e s wall, %U s user, %S s system, %M KB max RSS' -o "$d/demo-time" \
		timeout "$demo_timeout" "$fq" demo --store "${url[$s]}" ${key_args[$s]} \
		--residents "$n" --addresses "$a" >"$d/demo.log" 2>&1 || {
		tail -n 20 "$d/demo.log" >&2
		echo "bench: $s: demo failed or took more than $demo_timeout s (BENCH_DEMO_TIMEOUT);" \
			"try fewer residents (BENCH_PG_RESIDENTS for PostgreSQL)" >&2
		exit 1
	}
	seconds_since "$t0" >"$d/demo-seconds"
	echo "bench: $s: demo took $(cat "$d/demo-seconds") s"
}

# ---- the SQLite database (kept between runs) ----

if [[ " $stores " == *" sqlite "* ]]; then
	db="$dir/fengqiao.db"
	# Reused when it was made for the same sizes and this binary still opens it
	# (schema and key file).
	if [ "$(cat "$dir/ready" 2>/dev/null)" != "$residents $addresses" ] ||
		! "$fq" audit verify --store "${url[sqlite]}" >/dev/null 2>&1; then
		rm -f "$db" "$db-wal" "$db-shm" "$db.key" "$dir/ready" "$dir/demo.log" \
			"$dir/demo-seconds" "$dir/demo-time"
		make_demo sqlite "$dir" "$residents" "$addresses"
		echo "$residents $addresses" >"$dir/ready"
	fi
fi

# ---- the PostgreSQL cluster and database (data kept between runs) ----

psql_fq() {
	"$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pgdir" -U fengqiao "$@"
}

pg_start() {
	pg_started=1
	as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 120 \
		-o "-c listen_addresses='' -c unix_socket_directories='$pgdir' -c max_connections=200 -c shared_buffers=256MB" \
		start >/dev/null || { tail -n 30 "$pgdir/server.log" >&2; exit 1; }
}

if [[ " $stores " == *" postgresql "* ]]; then
	mkdir -p "$pgdir"
	chmod 755 "$pgdir"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir"
	# A cluster left running by a run that was killed: stop it first.
	if [ -f "$pgdir/data/postmaster.pid" ] &&
		as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" status >/dev/null 2>&1; then
		echo "bench: stopping the PostgreSQL cluster a previous run left in $pgdir"
		pg_started=1
		pg_stop
	fi
	if [ "$(cat "$pgdir/ready" 2>/dev/null)" = "$pg_residents $pg_addresses" ] &&
		[ -f "$pgdir/data/PG_VERSION" ]; then
		pg_start
		# shellcheck disable=SC2086
		"$fq" audit verify --store "${url[postgresql]}" ${key_args[postgresql]} \
			>/dev/null 2>&1 || rm -f "$pgdir/ready"
	fi
	if [ "$(cat "$pgdir/ready" 2>/dev/null)" != "$pg_residents $pg_addresses" ]; then
		pg_stop
		rm -rf "$pgdir/data" "$pgdir/fengqiao.key" "$pgdir"/*.log "$pgdir"/demo-* \
			"$pgdir"/vacuum-seconds "$pgdir/ready"
		mkdir -m 700 "$pgdir/data"
		[ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir/data"
		as_pg "$pg_bin/initdb" -D "$pgdir/data" -U fengqiao -A trust -E UTF8 \
			--locale=C.UTF-8 >"$pgdir/initdb.log" 2>&1 ||
			{ cat "$pgdir/initdb.log" >&2; exit 1; }
		pg_start
		as_pg "$pg_bin/createdb" -h "$pgdir" -U fengqiao fengqiao
		make_demo postgresql "$pgdir" "$pg_residents" "$pg_addresses"
		# What autovacuum would do in the minutes after a bulk load, done now
		# so that it does not run during the measurements.
		t0=$(date +%s.%N)
		psql_fq -d fengqiao -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'
		seconds_since "$t0" >"$pgdir/vacuum-seconds"
		echo "$pg_residents $pg_addresses" >"$pgdir/ready"
	fi
	# A write copy left by a run that was killed.
	psql_fq -d postgres -c 'DROP DATABASE IF EXISTS fengqiao_write' 2>/dev/null
fi

# ---- fengqiao: one server per store ----

start_fq() {
	local s=$1
	# A server left by a run that was killed would answer in its place.
	if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:${port[$s]}/healthz"; then
		echo "bench: something answers on 127.0.0.1:${port[$s]} already: stop it or set BENCH_*_PORT" >&2
		exit 1
	fi
	# shellcheck disable=SC2086
	"$fq" serve --max_connections_per_address 0 --store "${url[$s]}" ${key_args[$s]} --listen "127.0.0.1:${port[$s]}" \
		--access_log false --threads "$fq_threads" --log_level warn >>"$dir/serve-$s.log" 2>&1 &
	fq_pid[$s]=$!
	wait_http "http://127.0.0.1:${port[$s]}/healthz" "$dir/serve-$s.log"
}

# After a run, requests wrk gave up on may still queue in the server (a slow
# list can take seconds). Waits up to 10 s for it to be idle, else restarts it
# (the session lives in the database and survives).
drain_fq() {
	local s=$1 t
	for _ in $(seq 10); do
		t=$(curl -s -o /dev/null --max-time 1 -w '%{time_total}' \
			"http://127.0.0.1:${port[$s]}/healthz" || echo 9)
		awk -v t="$t" 'BEGIN { exit !(t < 0.05) }' && return 0
		sleep 1
	done
	echo "  (fengqiao on $s still busy with queued requests: restarting it)"
	stop "${fq_pid[$s]}"
	start_fq "$s"
}

# Signs in as demo.officer on store S's server: its cookie and CSRF token.
sign_in() {
	local s=$1
	cookie[$s]=$(curl -s --max-time 10 -D - -o "$dir/session-$s.json" \
		-H 'Content-Type: application/json' \
		-d '{"username":"demo.officer","password":"Demo@2026"}' \
		"http://127.0.0.1:${port[$s]}/api/session" |
		tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(fq_session=[^;]*\).*/\1/p')
	csrf[$s]=$(grep -o '"csrf_token":"[^"]*"' "$dir/session-$s.json" | cut -d'"' -f4)
	if [ -z "${cookie[$s]}" ] || [ -z "${csrf[$s]}" ]; then
		echo "bench: cannot sign in as demo.officer on $s" >&2
		cat "$dir/session-$s.json" >&2
		exit 1
	fi
}

# GETs a path from store S's server into a file; fails unless the status is 200.
fetch() {
	local s=$1 code
	code=$(curl -s --max-time 30 -o "$3" -w '%{http_code}' -H "Cookie: ${cookie[$s]}" \
		"http://127.0.0.1:${port[$s]}$2")
	[ "$code" = 200 ] || { echo "bench: $s: GET $2 answered $code" >&2; cat "$3" >&2; exit 1; }
}

rm -rf "$dir/bodies"
mkdir -p "$dir/bodies"
for s in $stores; do
	: >"$dir/serve-$s.log"
	start_fq "$s"
	sign_in "$s"
	fetch "$s" "/api/persons?page=1&per_page=1" "$dir/bodies/$s-newest.json"
	max_id[$s]=$(grep -o '"id":[0-9]*' "$dir/bodies/$s-newest.json" | head -n 1 | cut -d: -f2)
	[ -n "${max_id[$s]}" ] || { echo "bench: no persons in the $s database" >&2; exit 1; }
	fetch "$s" "/api/persons/$((max_id[$s] / 2))" "$dir/bodies/$s-get.json"
	fetch "$s" "/api/persons?page=1&per_page=20" "$dir/bodies/$s-list.json"
	fetch "$s" "/api/persons?q=%E9%99%88&page=1&per_page=20" "$dir/bodies/$s-search.json"
done

# ---- nginx with the same bodies and headers, one worker ----

# nginx serves the bodies of the first store (those of the other store have
# the same size or differ by a few bytes: the results list both).
first=${stores%% *}
ngdir=$(mktemp -d /tmp/fengqiao-bench-nginx.XXXXXX)
nginx_conf "$ngdir" "$ng_port"
for scenario in get list search; do
	cp "$dir/bodies/$first-$scenario.json" "$ngdir/www/$scenario.json"
done
chmod 644 "$ngdir"/www/*.json

"$nginx" -c "$ngdir/nginx.conf" -p "$ngdir" >"$ngdir/stdout.log" 2>&1 &
ng_pid=$!
wait_http "http://127.0.0.1:$ng_port/get.json" "$ngdir/error.log"

# ---- what the summary needs ----

rm -rf "$raw"
mkdir -p "$raw"
# sqlite first, nginx after it, postgresql after nginx: every fengqiao run
# is next to an nginx run of the same round.
case "$stores" in
"sqlite postgresql") servers="sqlite nginx postgresql" ;;
*) servers="$stores nginx" ;;
esac
sqlite_mb='' sqlite_demo='' sqlite_version='' pg_mb='' pg_demo='' pg_vacuum='' pg_version=''
if [[ " $stores " == *" sqlite "* ]]; then
	sqlite_mb=$(du -m "$dir/fengqiao.db" | cut -f1)
	sqlite_demo=$(cat "$dir/demo-seconds" 2>/dev/null || true)
	sqlite_version=$(dpkg-query -W -f '${Version}' libsqlite3-0 2>/dev/null || true)
fi
if [[ " $stores " == *" postgresql "* ]]; then
	pg_mb=$(psql_fq -d fengqiao -At -c "SELECT pg_database_size('fengqiao') / 1048576")
	pg_demo=$(cat "$pgdir/demo-seconds" 2>/dev/null || true)
	pg_vacuum=$(cat "$pgdir/vacuum-seconds" 2>/dev/null || true)
	pg_version=$(psql_fq -d fengqiao -At -c 'SHOW server_version' | cut -d' ' -f1)
fi
{
	printf '%s=%q\n' started "$(date -u +%Y-%m-%dT%H:%MZ)" \
		machine "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)" \
		version "$version" stores "$stores" servers "$servers" first "$first" \
		scenarios "$scenarios" rounds "$rounds" duration "$duration" \
		write_duration "$write_duration" conns "$conns" wrk_threads "$wrk_threads" \
		fq_threads "$fq_threads" residents "$residents" addresses "$addresses" \
		pg_residents "$pg_residents" pg_addresses "$pg_addresses" \
		sqlite_mb "$sqlite_mb" sqlite_demo "$sqlite_demo" sqlite_version "$sqlite_version" \
		pg_mb "$pg_mb" pg_demo "$pg_demo" pg_vacuum "$pg_vacuum" pg_version "$pg_version"
} >"$raw/params"

# ---- read runs ----

# run_wrk OUTFILE SECONDS SERVER SCENARIO
run_wrk() {
	local out=$1 secs=$2 server=$3 scenario=$4 script=list_persons.lua list=page base path
	local c=${cookie[$first]} persons=${max_id[$first]} headers=()
	case "$scenario" in
	get) script=get_person.lua ;;
	search) list=search ;;
	create) script=post_person.lua ;;
	esac
	# nginx ignores the query: every request gets the same file.
	case "$server-$scenario" in
	nginx-get) base="http://127.0.0.1:$ng_port" path="/get.json?id=" ;;
	nginx-*) base="http://127.0.0.1:$ng_port" path="/$scenario.json" ;;
	*-get) path=/api/persons/ ;;
	*) path=/api/persons ;;
	esac
	if [ "$server" != nginx ]; then
		base="http://127.0.0.1:${port[$server]}"
		c=${cookie[$server]}
		persons=${max_id[$server]}
		[ "$scenario" != create ] || headers=(-H "X-CSRF-Token: ${csrf[$server]}")
	fi
	FQ_PERSONS=$persons FQ_PATH=$path FQ_LIST=$list FQ_RUN=$(date +%s) \
		timeout $((secs + 30)) wrk -t"$wrk_threads" -c"$conns" -d"${secs}s" --timeout 5s \
		--latency -s "$here/$script" -H "Cookie: $c" "${headers[@]}" "$base" >"$out" 2>&1 ||
		echo "bench: wrk failed, see $out" >&2
	if [ "$server" != nginx ]; then drain_fq "$server"; fi
}

echo "bench: $rounds rounds of ${duration}s per server and scenario ($scenarios) on" \
	"$servers; wrk -t$wrk_threads -c$conns, fengqiao --threads $fq_threads, nginx 1 worker"
for scenario in $scenarios; do
	for server in $servers; do
		run_wrk "$raw/warmup-$scenario-$server.txt" "$warmup" "$server" "$scenario"
	done
done
for round in $(seq "$rounds"); do
	for scenario in $scenarios; do
		for server in $servers; do
			out="$raw/$scenario-$server-$round.txt"
			run_wrk "$out" "$duration" "$server" "$scenario"
			printf '  round %s %-6s %-10s %10s req/s\n' "$round" "$scenario" "$server" \
				"$(field "$out" rps)"
		done
	done
done
stop "$ng_pid"
ng_pid=

# ---- durable writes, on a copy of each database ----

if [ "$write_duration" -gt 0 ]; then
	# The reads' databases stay as demo made them: the servers move to copies.
	for s in $stores; do
		stop "${fq_pid[$s]}"
		fq_pid[$s]=
		case $s in
		sqlite)
			cp "$dir/fengqiao.db" "$dir/write.db"
			if [ -f "$dir/fengqiao.db-wal" ]; then cp "$dir/fengqiao.db-wal" "$dir/write.db-wal"; fi
			cp "$dir/fengqiao.db.key" "$dir/write.db.key"
			url[sqlite]="sqlite:$dir/write.db"
			;;
		postgresql)
			# (from another database: the template must have no connections)
			psql_fq -d postgres -c 'CREATE DATABASE fengqiao_write TEMPLATE fengqiao STRATEGY FILE_COPY'
			url[postgresql]="postgresql:///fengqiao_write?host=$pgdir&user=fengqiao"
			;;
		esac
		start_fq "$s"
		sign_in "$s"
	done
	echo "bench: $rounds rounds of ${write_duration}s of POST /api/persons per store"
	for round in $(seq "$rounds"); do
		for s in $stores; do
			out="$raw/create-$s-$round.txt"
			run_wrk "$out" "$write_duration" "$s" create
			printf '  round %s create %-10s %10s creations/s\n' "$round" "$s" "$(field "$out" ok)"
		done
	done
	for s in $stores; do
		stop "${fq_pid[$s]}"
		fq_pid[$s]=
	done
	rm -f "$dir/write.db" "$dir/write.db-wal" "$dir/write.db-shm" "$dir/write.db.key"
	if [[ " $stores " == *" postgresql "* ]]; then
		psql_fq -d postgres -c 'DROP DATABASE fengqiao_write'
	fi
fi

summarize
