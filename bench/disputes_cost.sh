#!/bin/bash
# Instructions per request of two or more fengqiao binaries on the stores
# bench/disputes.sh filled (docs/PERFORMANCE.md, "Disputes at 100,000"), in
# turns (A B A B …, BENCH_DISPUTES_ROUNDS rounds) in one run, so that a
# before/after comparison does not drift with the machine. Each binary works
# on its own copy of the filled store (SQLite: a copy of the file;
# PostgreSQL: CREATE DATABASE … TEMPLATE), which its server migrates to its
# own schema.
#
#   bench/disputes_cost.sh FENGQIAO…
#
# Settings: BENCH_STORE (both), BENCH_DISPUTES_DIR, BENCH_DISPUTES_PG_DIR,
# BENCH_UTC_OFFSET, BENCH_DISPUTES_PATHS as for bench/disputes.sh;
# BENCH_DISPUTES_CALLGRIND (5 requests counted by callgrind after 10 to warm
# up; 0: instead, one client's median time of BENCH_DISPUTES_ONE (5)
# requests, with the server run plainly: much quicker for slow requests),
# BENCH_DISPUTES_ROUNDS (2), BENCH_DISPUTES_FIRST_SQL (SQL run on the
# first binary's copy before it is migrated). Prints "round binary store who request
# instructions-or-ms" lines, also into BENCH_DISPUTES_DIR/cost.txt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
dir=${BENCH_DISPUTES_DIR:-/tmp/fengqiao-bench-disputes}
pgdir=${BENCH_DISPUTES_PG_DIR:-/tmp/fengqiao-bench-disputes-pg}
n=${BENCH_DISPUTES_CALLGRIND:-5}
only=${BENCH_DISPUTES_PATHS:-}
rounds=${BENCH_DISPUTES_ROUNDS:-2}
offset=${BENCH_UTC_OFFSET:-480}
export FENGQIAO_UTC_OFFSET_MINUTES=$offset
year=$(TZ=UTC date -d "@$(($(date +%s) + offset * 60))" +%Y)
pg_bin=$(pg_bin_dir)
pg_started=
trap 'cg_stop; pg_stop' EXIT
: >"$dir/cost.txt"
for s in $(bench_stores); do
	if [ "$s" = sqlite ]; then
		[ -s "$dir/filled.db" ] || { echo "bench: no $dir/filled.db: run bench/disputes.sh first" >&2; exit 1; }
		export FENGQIAO_KEY_FILE="$dir/filled.db.key"
	else
		[ -s "$pgdir/ready" ] || { echo "bench: no store in $pgdir: run bench/disputes.sh first" >&2; exit 1; }
		export FENGQIAO_KEY_FILE="$pgdir/fengqiao.key"
		pg_start
	fi
	# A copy of the filled store per binary, migrated by its server, with
	# the two tokens.
	declare -A url chief mediator
	i=0
	for bin in "$@"; do
		i=$((i + 1))
		if [ "$s" = sqlite ]; then
			rm -f "$dir/cost-$i.db"*
			cp "$dir/filled.db" "$dir/cost-$i.db"
			url[$i]="sqlite:$dir/cost-$i.db"
			mid=$(python3 -c "import sqlite3; print(sqlite3.connect('$dir/cost-$i.db').execute(\"SELECT id FROM users WHERE username = 'demo.mediator'\").fetchone()[0])")
		else
			pg_copy_db fengqiao "fengqiao_cost_$i"
			url[$i]="postgresql:///fengqiao_cost_$i?host=$pgdir&user=fengqiao"
			mid=$(psql_fq -d "fengqiao_cost_$i" -At -c "SELECT id FROM users WHERE username = 'demo.mediator'")
		fi
		# BENCH_DISPUTES_FIRST_SQL: SQL run on the first binary's copy, e.g.
		# to take it back to that binary's schema when the filled store was
		# made by a newer one.
		if [ "$i" = 1 ] && [ -n "${BENCH_DISPUTES_FIRST_SQL:-}" ]; then
			if [ "$s" = sqlite ]; then
				python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()" \
					"$dir/cost-$i.db" "$BENCH_DISPUTES_FIRST_SQL"
			else
				psql_fq -d "fengqiao_cost_$i" -c "$BENCH_DISPUTES_FIRST_SQL" >/dev/null
			fi
		fi
		"$bin" migrate --store "${url[$i]}" >"$dir/cost-migrate-$i.log" 2>&1
		chief[$i]=$("$bin" token create demo.chief --scopes dispute.read,dispute.write,overview.read \
			--store "${url[$i]}" 2>/dev/null | tail -n 1)
		mediator[$i]=$("$bin" token create demo.mediator --scopes dispute.read,dispute.mediate,overview.mine \
			--store "${url[$i]}" 2>/dev/null | tail -n 1)
	done
	for r in $(seq 1 "$rounds"); do
		i=0
		for bin in "$@"; do
			i=$((i + 1))
			if [ "$n" -gt 0 ]; then
				cg_serve "$dir" "$(realpath "$bin")" --store "${url[$i]}"
			else
				port=$(free_port)
				"$bin" serve --store "${url[$i]}" --listen "127.0.0.1:$port" --threads 2 \
					--access_log false --log_level warn >"$dir/cost-serve.log" 2>&1 &
				cg_pid=$!
				wait_up "http://127.0.0.1:$port/healthz" "$dir/cost-serve.log"
			fi
			while read -r who p; do
				[ "$who" = chief ] && tok=${chief[$i]} || tok=${mediator[$i]}
				if [ -n "$only" ] && [[ " $only " != *" ${p//mediator=$mid/mediator=MEDIATOR} "* ]]; then
					continue
				elif [ "$n" -gt 0 ]; then
					v=$(cg_count "$dir" "$tok" "$n" "$p" "cost-$i-$s$(echo "$p" | tr '/?=&' '----')")
				else
					v="$(one_client "$port" "$p" "$tok") ms"
				fi
				echo "$r $bin $s $who GET $p $v" | tee -a "$dir/cost.txt"
			done < <(disputes_paths "$year" "$mid")
			cg_stop
		done
	done
	if [ "$s" = sqlite ]; then
		rm -f "$dir"/cost-*.db*
	else
		for j in $(seq 1 "$i"); do psql_fq -d postgres -c "DROP DATABASE fengqiao_cost_$j" >/dev/null; done
	fi
	pg_stop
done
