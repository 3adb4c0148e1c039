#!/usr/bin/env bash
# Slow-headers attack (Debian's slowhttptest) from one address while another
# address asks for /healthz every half second: does the server keep answering
# others? Figures in docs/security.md.
#
#   bench/slowloris.sh [BINARY] [CONNECTIONS]     (defaults: build/fengqiao, 10000)
#
# Installs slowhttptest when missing. Uses a fresh SQLite store in a temporary
# folder, port 18777, and 127.0.0.2 as the other address (loopback).
set -uo pipefail
bin=${1:-build/fengqiao}
conns=${2:-10000}
port=18777
command -v slowhttptest >/dev/null || {
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get install -y -qq slowhttptest >/dev/null || exit 1
}
ulimit -n $((conns * 2)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dir=$(mktemp -d /tmp/fq-slowloris.XXXXXX)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
"$bin" init --store "sqlite:$dir/fq.db" >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }
"$bin" serve --store "sqlite:$dir/fq.db" --listen "127.0.0.1:$port" --log_level warn >"$dir/serve.log" 2>&1 &
server=$!
sleep 2
slowhttptest -H -c "$conns" -r 2000 -i 5 -l 60 -u "http://127.0.0.1:$port/healthz" >"$dir/slow.out" 2>&1 &
attack=$!
ok=0
: >"$dir/probe.txt"
for _ in $(seq 1 100); do
	t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 3 --interface 127.0.0.2 \
		"http://127.0.0.1:$port/healthz")
	echo "$t" >>"$dir/probe.txt"
	case $t in 200*) ok=$((ok + 1)) ;; esac
	sleep 0.5
done
wait "$attack"
echo "slowhttptest -H -c $conns from 127.0.0.1; /healthz from 127.0.0.2: $ok of 100 answered"
awk '{print $2}' "$dir/probe.txt" | sort -n | awk '{a[NR] = $1} END {printf "median %.1f ms, slowest %.1f ms\n", a[int(NR / 2) + 1] * 1000, a[NR] * 1000}'
# slowhttptest's last status: connections it holds and had closed
sed 's/\x1b\[[0-9;]*m//g' "$dir/slow.out" | grep -E "^(connected|closed):" | tail -2
