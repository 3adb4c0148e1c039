#!/bin/bash
# Instructions per overview request of one or more fengqiao binaries on the
# stores bench-overview made (bench/incidents.sh, scenario overview), one
# after the other in the same run: a before/after comparison that does not
# drift with the machine's load (docs/PERFORMANCE.md, "The station overview").
#
#   bench/overview_cost.sh FENGQIAO…
#
# Settings: BENCH_STORE (both), BENCH_INC_DIR (/tmp/fengqiao-bench-inc),
# BENCH_INC_PG_DIR (/tmp/fengqiao-bench-inc-pg), BENCH_INC_CALLGRIND (20
# requests counted), BENCH_UTC_OFFSET (480) as for that run. Prints "binary
# store request instructions" lines; the dumps stay in BENCH_INC_DIR as
# NAME-STORE-REQUEST.callgrind for callgrind_annotate.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
dir=${BENCH_INC_DIR:-/tmp/fengqiao-bench-inc}
pgdir=${BENCH_INC_PG_DIR:-/tmp/fengqiao-bench-inc-pg}
n=${BENCH_INC_CALLGRIND:-20}
export FENGQIAO_UTC_OFFSET_MINUTES=${BENCH_UTC_OFFSET:-480}
pg_bin=$(pg_bin_dir)
pg_started=
trap 'cg_stop; pg_stop' EXIT
declare -A url key
url[sqlite]="sqlite:$dir/incidents.db"
key[sqlite]="$dir/incidents.db.key"
url[postgresql]="postgresql:///fengqiao?host=$pgdir&user=fengqiao"
key[postgresql]="$pgdir/fengqiao.key"
for s in $(bench_stores); do
	[ -s "$dir/$s.token" ] || { echo "bench: no $s store in $dir: run make bench-overview first" >&2; exit 1; }
	[ "$s" != postgresql ] || pg_start
	for bin in "$@"; do
		cg_serve "$dir" "$(realpath "$bin")" --store "${url[$s]}" --key_file "${key[$s]}"
		for p in "/api/overview?period=today" "/api/overview?period=week" "/api/overview/mine?period=week"; do
			echo "$bin $s GET $p $(cg_count "$dir" "$(cat "$dir/$s.token")" "$n" "$p" \
				"$(basename "$bin")-$s$(echo "$p" | tr '/?=' '---')")"
		done
		cg_stop
	done
done
