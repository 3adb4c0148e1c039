#!/bin/bash
# Durable creations per second with and without group commit, alternated
# (A B A B …, as shared/MEASURED.md asks), on a copy of a 1M-person database.
# See docs/PERFORMANCE.md, "Group commit".
#
#   bench/group_commit.sh [--store sqlite|postgresql] [FENGQIAO_BINARY [OTHER_BINARY]]
#
# SQLite: the variants are `--group_commit true` and `--group_commit false` of
# one binary. PostgreSQL (which groups commits itself): the variants are the
# two binaries, e.g. before and after a change to the commit path; with one
# binary, that binary alone.
#
# Settings (environment): BENCH_DIR (/tmp/fengqiao-bench-gc: the SQLite
# database, kept between runs), BENCH_PG_DIR (/tmp/fengqiao-bench-gc-pg),
# BENCH_RESIDENTS (1000000), BENCH_ADDRESSES (20000), BENCH_ROUNDS (5),
# BENCH_WRITE_DURATION (10 s per run), BENCH_CONNECTIONS (64),
# BENCH_WRK_THREADS (2), BENCH_FQ_THREADS ("2 8": each count is a series of
# its own), BENCH_PORT (18291). Every server and cluster it starts is stopped
# when it ends.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
store=sqlite
binaries=()
while [ $# -gt 0 ]; do
	case "$1" in
	--store) store=$2; shift ;;
	--store=*) store=${1#--store=} ;;
	-*) echo "usage: bench/group_commit.sh [--store sqlite|postgresql] [BINARY [OTHER_BINARY]]" >&2; exit 2 ;;
	*) binaries+=("$1") ;;
	esac
	shift
done
[ ${#binaries[@]} -gt 0 ] || binaries=(build/fengqiao)
dir=${BENCH_DIR:-/tmp/fengqiao-bench-gc}
pgdir=${BENCH_PG_DIR:-/tmp/fengqiao-bench-gc-pg}
residents=${BENCH_RESIDENTS:-1000000}
addresses=${BENCH_ADDRESSES:-20000}
rounds=${BENCH_ROUNDS:-5}
secs=${BENCH_WRITE_DURATION:-10}
conns=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
fq_threads_list=${BENCH_FQ_THREADS:-"2 8"}
port=${BENCH_PORT:-18291}
mkdir -p "$dir"
chmod 700 "$dir"
raw="$dir/raw-$store"
rm -rf "$raw"
mkdir -p "$raw"

# Copies of the binaries: a rebuild during the run cannot change them.
declare -a bin
for i in "${!binaries[@]}"; do
	[ -x "${binaries[$i]}" ] || { echo "bench: no binary '${binaries[$i]}'" >&2; exit 1; }
	cp "${binaries[$i]}" "$dir/fengqiao-$i"
	bin[$i]="$dir/fengqiao-$i"
done

fq_pid=
pg_bin=
pg_started=
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_fq() {
	[ -n "$fq_pid" ] || return 0
	kill "$fq_pid" 2>/dev/null || true
	wait "$fq_pid" 2>/dev/null || true
	fq_pid=
}
cleanup() {
	stop_fq
	[ -z "$pg_started" ] || as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -f "$dir/write.db" "$dir/write.db-wal" "$dir/write.db-shm" "$dir/write.db.key"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the database (made once, kept) ----
case $store in
sqlite)
	url="sqlite:$dir/fengqiao.db"
	key_args=()
	if [ "$(cat "$dir/ready" 2>/dev/null)" != "$residents $addresses" ]; then
		rm -f "$dir"/fengqiao.db*
		echo "bench: making $residents persons in $dir/fengqiao.db"
		"${bin[0]}" init --store "$url" >"$dir/init.log" 2>&1
		"${bin[0]}" demo --store "$url" --residents "$residents" --addresses "$addresses" >"$dir/demo.log" 2>&1
		echo "$residents $addresses" >"$dir/ready"
	fi
	;;
postgresql | pg)
	store=postgresql
	pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	url="postgresql:///fengqiao_write?host=$pgdir&user=fengqiao"
	key_args=(--key_file "$pgdir/fengqiao.key")
	mkdir -p "$pgdir"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir"
	if [ ! -f "$pgdir/data/PG_VERSION" ]; then
		rm -f "$pgdir/ready"
		mkdir -m 700 -p "$pgdir/data"
		[ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir/data"
		as_pg "$pg_bin/initdb" -D "$pgdir/data" -U fengqiao -A trust -E UTF8 --locale=C.UTF-8 >"$pgdir/initdb.log"
	fi
	pg_started=1
	as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 120 \
		-o "-c listen_addresses='' -c unix_socket_directories='$pgdir' -c max_connections=200 -c shared_buffers=256MB" \
		start >/dev/null
	psql_fq() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pgdir" -U fengqiao "$@"; }
	if [ "$(cat "$pgdir/ready" 2>/dev/null)" != "$residents $addresses" ]; then
		psql_fq -d postgres -c 'DROP DATABASE IF EXISTS fengqiao' -c 'CREATE DATABASE fengqiao'
		rm -f "$pgdir/fengqiao.key"
		base="postgresql:///fengqiao?host=$pgdir&user=fengqiao"
		echo "bench: making $residents persons in PostgreSQL ($pgdir)"
		"${bin[0]}" init --store "$base" "${key_args[@]}" >"$pgdir/init.log" 2>&1
		"${bin[0]}" demo --store "$base" "${key_args[@]}" --residents "$residents" \
			--addresses "$addresses" >"$pgdir/demo.log" 2>&1
		psql_fq -d fengqiao -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'
		echo "$residents $addresses" >"$pgdir/ready"
	fi
	;;
*) echo "bench: --store sqlite or postgresql" >&2; exit 2 ;;
esac

# fresh_copy: the writes go to a copy, so every run starts from the same data.
fresh_copy() {
	if [ "$store" = sqlite ]; then
		rm -f "$dir"/write.db*
		cp "$dir/fengqiao.db" "$dir/write.db"
		cp "$dir/fengqiao.db.key" "$dir/write.db.key"
		# Else the copy's 0.5 GB are written back during the run, and every
		# flush of the WAL waits behind them.
		sync "$dir/write.db"
		url="sqlite:$dir/write.db"
	else
		psql_fq -d postgres -c 'DROP DATABASE IF EXISTS fengqiao_write' \
			-c 'CREATE DATABASE fengqiao_write TEMPLATE fengqiao'
	fi
}

# run VARIANT THREADS OUT: one server, one wrk run.
run() {
	local variant=$1 threads=$2 out=$3 b args=() cookie csrf
	case $store-$variant in
	sqlite-on) b=${bin[0]} args=(--group_commit true) ;;
	sqlite-off) b=${bin[0]} args=(--group_commit false) ;;
	postgresql-*) b=${bin[$variant]} ;;
	esac
	fresh_copy
	"$b" serve --max_connections_per_address 0 --store "$url" "${key_args[@]}" --listen "127.0.0.1:$port" --access_log false \
		--threads "$threads" --log_level info "${args[@]}" >"$out.log" 2>&1 &
	fq_pid=$!
	for _ in $(seq 300); do
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" && break
		sleep 0.1
	done
	cookie=$(curl -s --max-time 10 -D - -o "$out.session" -H 'Content-Type: application/json' \
		-d '{"username":"demo.officer","password":"Demo@2026"}' "http://127.0.0.1:$port/api/session" |
		tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(fq_session=[^;]*\).*/\1/p')
	csrf=$(grep -o '"csrf_token":"[^"]*"' "$out.session" | cut -d'"' -f4)
	[ -n "$cookie" ] && [ -n "$csrf" ] || { echo "bench: cannot sign in" >&2; cat "$out.log" >&2; exit 1; }
	FQ_RUN=$(date +%s%N) timeout $((secs + 30)) wrk -t"$wrk_threads" -c"$conns" -d"${secs}s" \
		--timeout 5s --latency -s "$here/post_person.lua" -H "Cookie: $cookie" \
		-H "X-CSRF-Token: $csrf" "http://127.0.0.1:$port" >"$out" 2>&1 || true
	stop_fq
}

# ok FILE: 2xx answers per second; p50/p99 FILE: latency in ms.
ok() {
	awk '/ requests in / { n = $1; t = $4 + 0; if ($4 ~ /ms,?$/) t /= 1000 }
		/Non-2xx or 3xx responses:/ { n -= $NF }
		END { if (t > 0) printf "%.0f\n", n / t; else print 0 }' "$1"
}
lat() {
	awk -v q="$2" '$1 == q { v = $2; n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000
		printf "%.1f\n", n }' "$1"
}
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else if (NR) printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
flushes() { # the server's own count, logged when it stops (SQLite, group commit on)
	sed -n 's/.*group commit on .*: \([0-9]*\) commits in \([0-9]*\) flushes (at most \([0-9]*\) in one, \([0-9]*\) us per flush).*/\1 commits, \2 flushes, \4 us per flush/p' "$1.log" | tail -n 1
}

if [ "$store" = sqlite ]; then variants="on off"; else variants=$(seq -s ' ' 0 $((${#bin[@]} - 1))); fi
echo "bench: $store, $rounds rounds of: $(for v in $variants; do printf '%s ' "$v"; done)(A B A B …)," \
	"wrk -t$wrk_threads -c$conns -d${secs}s POST /api/persons; fengqiao --threads $fq_threads_list"
for threads in $fq_threads_list; do
	for round in $(seq "$rounds"); do
		for v in $variants; do
			out="$raw/create-$v-t$threads-$round.txt"
			run "$v" "$threads" "$out"
			printf '  threads %-2s round %s %-4s %6s creations/s  p50 %6s ms  p99 %7s ms  %s\n' \
				"$threads" "$round" "$v" "$(ok "$out")" "$(lat "$out" 50%)" "$(lat "$out" 99%)" "$(flushes "$out")"
		done
	done
done

echo
echo "| threads | variant | creations/s (median) | per round | p50 ms | p99 ms |"
echo "|---|---|---|---|---|---|"
for threads in $fq_threads_list; do
	for v in $variants; do
		per=$(for r in $(seq "$rounds"); do ok "$raw/create-$v-t$threads-$r.txt"; done)
		name=$v
		[ "$store" = sqlite ] || name="binary $v (${binaries[$v]})"
		echo "| $threads | $name | $(echo "$per" | median) | $(echo "$per" | tr '\n' ' ' | sed 's/ $//') |" \
			"$(for r in $(seq "$rounds"); do lat "$raw/create-$v-t$threads-$r.txt" 50%; done | median) |" \
			"$(for r in $(seq "$rounds"); do lat "$raw/create-$v-t$threads-$r.txt" 99%; done | median) |"
	done
done
echo
# The ratio of the variants within each round (the machine drifts between
# rounds, less within one), and its median: on ÷ off, or binary 1 ÷ binary 0.
if [ "$store" = sqlite ]; then num=on den=off; else num=1 den=0; fi
if [ -n "${bin[1]:-}" ] || [ "$store" = sqlite ]; then
	for threads in $fq_threads_list; do
		ratios=$(for r in $(seq "$rounds"); do
			awk -v a="$(ok "$raw/create-$num-t$threads-$r.txt")" \
				-v b="$(ok "$raw/create-$den-t$threads-$r.txt")" \
				'BEGIN { if (b > 0) printf "%.2f\n", a / b }'
		done)
		echo "threads $threads: $num ÷ $den per round: $(echo "$ratios" | tr '\n' ' ')(median $(echo "$ratios" |
			sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else if (NR) printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'))"
	done
fi
echo
echo "bench: raw wrk output in $raw"
