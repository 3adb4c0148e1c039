#!/usr/bin/env bash
# Every worker thread gets its share of the connections: 8 keep-alive
# connections opened together on a server with --threads 4 are spread over
# the 4 workers (the acceptor hands each new connection to the worker with
# the fewest open ones), so each worker answers requests; /metrics counts
# them per worker (fengqiao_worker_requests_total). With libmicrohttpd's own
# thread pool one worker could take every connection of a burst: then the
# other workers count no requests and this test fails.
# Usage: tests/system/test_spread.sh PATH/TO/fengqiao
SUITE=spread
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

THREADS=4
CONNS=8
REQUESTS=5 # per connection

need "store" setup_any_store
need "init" fq init
PORT=$(free_port)
SERVER_PORT[A]=$PORT
"$FQ" serve --store "$STORE" --key_file "$KEY" --listen "127.0.0.1:$PORT" \
	--access_log false --threads $THREADS --web_root "$TMP/noweb" >>"$TMP/serve-A.log" 2>&1 &
SERVER_PID[A]=$!
need "server starts with --threads $THREADS" wait_server A
PID=${SERVER_PID[A]}

# All connections open first, then REQUESTS requests on each in turn; each
# connection must stay open (keep-alive) and answer 200 every time.
check "$CONNS connections, $REQUESTS keep-alive requests each, all answered 200" \
	timeout 60 python3 - "$PORT" "$CONNS" "$REQUESTS" <<'PY'
import socket, sys
port, n, reqs = (int(a) for a in sys.argv[1:4])
conns = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(n)]
bufs = [b""] * n
for r in range(reqs):
    for i, s in enumerate(conns):
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    for i, s in enumerate(conns):
        while True:
            head, sep, rest = bufs[i].partition(b"\r\n\r\n")
            if sep:
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v)
                if len(rest) >= length:
                    break
            data = s.recv(65536)
            if not data:
                sys.exit(f"connection {i} closed by the server at request {r + 1}")
            bufs[i] += data
        status = head.split(b" ")[1]
        if status != b"200" or b"connection: close" in head.lower():
            sys.exit(f"connection {i} request {r + 1}: {head.decode(errors='replace')}")
        bufs[i] = rest[length:]
print(f"{n * reqs} answers")
PY

metrics=$(curl -s -m 5 "$(url A)/metrics")
counts=$(printf '%s\n' "$metrics" | sed -n 's/^fengqiao_worker_requests_total{worker="\([0-9]*\)"} \([0-9]*\)$/\1 \2/p')
expect "/metrics has a request counter for each of the $THREADS workers" \
	"$(printf '%s\n' "$counts" | awk 'NF == 2' | wc -l)" "$THREADS"
# Each worker holds 2 of the 8 connections (3 or 1 while an earlier /healthz
# connection is still being closed): at least one connection's REQUESTS.
short=$(printf '%s\n' "$counts" | awk -v min=$REQUESTS '$2 < min { printf "worker %s: %s; ", $1, $2 }')
expect "every worker answered at least $REQUESTS requests (counts: $(printf '%s\n' "$counts" | awk '{ printf "%s ", $2 }'))" \
	"$short" ""

names=$(cat /proc/"$PID"/task/*/comm 2>/dev/null | sort | tr '\n' ' ')
expect "one accepting thread (fq-accept)" "$(echo "$names" | grep -o 'fq-accept' | wc -l)" 1
expect "$THREADS worker threads named fq-http-N (threads: $names)" \
	"$(echo "$names" | grep -o 'fq-http-[0-9]*' | sort -u | wc -l)" "$THREADS"

kill -0 "$PID" 2>/dev/null && ok "server still runs" || bad "server still runs"
summary
