#!/usr/bin/env bash
# CPU time per thread of a running process, from /proc/PID/task/*/stat
# (utime + stime, clock ticks turned into seconds) with each thread's name
# (comm): shows whether every HTTP worker ("fq-http-N") did its share.
#
#   bench/thread_cpu.sh PID [SECONDS]      CPU used by each thread over SECONDS (default 10)
#   bench/thread_cpu.sh snapshot PID > F   one reading: "TID NAME TICKS" per line
#   bench/thread_cpu.sh diff BEFORE AFTER  CPU per thread between two readings
#
# The diff prints one line per thread, busiest first: seconds of CPU and its
# share of the process's total over the interval. Threads that started or
# ended in between count from zero or are left out.
set -euo pipefail

usage() {
	sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# snapshot PID: "TID NAME TICKS" for every thread of PID.
snapshot() {
	local pid=$1 task tid name stat rest
	[ -d "/proc/$pid/task" ] || { echo "no process $pid" >&2; exit 1; }
	for task in /proc/"$pid"/task/*; do
		tid=${task##*/}
		name=$(tr ' ' '_' <"$task/comm" 2>/dev/null) || continue
		stat=$(cat "$task/stat" 2>/dev/null) || continue
		# Fields after the ")" that closes comm: 3 state … 14 utime 15 stime.
		rest=${stat##*) }
		# shellcheck disable=SC2086
		set -- $rest
		echo "$tid $name $((${12} + ${13}))"
	done
}

diff_snapshots() {
	local hz total used
	used=$(mktemp)
	hz=$(getconf CLK_TCK)
	# "TID NAME TICKS" used in between, busiest first (plain awk: no gawk sort).
	awk 'NR == FNR { before[$1] = $3; next }
	     { print $1, $2, $3 - ($1 in before ? before[$1] : 0) }' "$1" "$2" |
		sort -k3,3nr >"$used"
	total=$(awk '{ t += $3 } END { print t + 0 }' "$used")
	printf "%-8s %-16s %9s %7s\n" tid thread cpu_s share
	awk -v hz="$hz" -v total="$total" '{
		printf "%-8s %-16s %9.2f %6.1f%%\n", $1, $2, $3 / hz, total ? 100 * $3 / total : 0
	}' "$used"
	awk -v hz="$hz" -v total="$total" 'BEGIN { printf "%-8s %-16s %9.2f\n", "", "total", total / hz }'
	rm -f "$used"
}

case "${1:-}" in
snapshot)
	[ $# -eq 2 ] || usage
	snapshot "$2"
	;;
diff)
	[ $# -eq 3 ] || usage
	diff_snapshots "$2" "$3"
	;;
'' | -h | --help) usage ;;
*)
	[ $# -le 2 ] || usage
	pid=$1
	secs=${2:-10}
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	snapshot "$pid" >"$tmp/before"
	sleep "$secs"
	snapshot "$pid" >"$tmp/after"
	diff_snapshots "$tmp/before" "$tmp/after"
	;;
esac
