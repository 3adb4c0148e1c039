#!/usr/bin/env bash
# One client cannot hold every connection: connections from one address past
# max_connections_per_address are closed at once (other addresses are
# answered meanwhile), a connection that sends no request head is closed
# after header_timeout_seconds, while an idle keep-alive connection between
# requests lasts idle_timeout_seconds. Trusted proxies are not limited: every
# client behind one shares its address.
# Usage: tests/system/test_connection_limits.sh PATH/TO/fengqiao
SUITE=connection_limits
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

need "store" setup_any_store
need "init" fq init

# start_limited NAME EXTRA…: a server with 8 connections per address and an
# 8-second header timeout (long enough for the checks below on a loaded machine).
start_limited() {
	local name=$1 port
	shift
	port=$(free_port)
	SERVER_PORT[$name]=$port
	"$FQ" serve --store "$STORE" --key_file "$KEY" --listen "127.0.0.1:$port" \
		--access_log false --threads 2 --web_root "$TMP/noweb" \
		--max_connections_per_address 8 --header_timeout_seconds 8 "$@" \
		>>"$TMP/serve-$name.log" 2>&1 &
	SERVER_PID[$name]=$!
}
start_limited A
need "server A starts (8 per address, header timeout 8 s)" wait_server A
PORT=${SERVER_PORT[A]}
healthz() { # healthz SOURCE-ADDRESS → HTTP status (000: refused or no answer)
	curl -s -m 2 --interface "$1" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz"
}

# 20 connections from 127.0.0.1 that send nothing.
timeout 60 python3 "$SYS_DIR/http_raw.py" hold "$PORT" 20 >"$TMP/hold.out" 2>&1 &
HOLD=$!
BG_PIDS+=("$HOLD")
for _ in $(seq 1 50); do [ -s "$TMP/hold.out" ] && break; sleep 0.1; done
expect "of 20 idle connections from one address, the server keeps 8" \
	"$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["open_after_1s"])' "$TMP/hold.out" 2>&1)" 8
T=$(date +%s.%N)
expect "a ninth connection from 127.0.0.1 is refused meanwhile" "$(healthz 127.0.0.1)" 000
expect "another address (127.0.0.2) is answered meanwhile" "$(healthz 127.0.0.2)" 200
echo "     (checked within $(python3 -c "print(round($(date +%s.%N) - $T, 2))")s)"
wait "$HOLD"
if python3 - "$TMP/hold.out" <<'PY'; then
import json, sys
lines = open(sys.argv[1]).read().splitlines()
r = json.loads(lines[1])
times = r["closed_after"]
print(r)
sys.exit(0 if r["kept"] == 8 and all(7.5 <= t <= 12 for t in times) else 1)
PY
	ok "the idle connections were closed after the 8-second header timeout"
else
	bad "the idle connections were closed after the 8-second header timeout"
	sed 's/^/     /' "$TMP/hold.out"
fi
expect "127.0.0.1 is answered again once under its limit" "$(healthz 127.0.0.1)" 200

# Between requests, a keep-alive connection is idle, not slow: it lasts
# idle_timeout_seconds (60), not the header timeout.
expect "a keep-alive connection idle for 9 s (over the header timeout) is kept" \
	"$(timeout 30 python3 "$SYS_DIR/http_raw.py" keepalive "$PORT" 9)" "200 200"

# A trusted proxy carries many clients: it is not limited.
start_limited P --trusted_proxies 127.0.0.1
need "server P starts (127.0.0.1 a trusted proxy)" wait_server P
timeout 60 python3 "$SYS_DIR/http_raw.py" hold "${SERVER_PORT[P]}" 20 >"$TMP/hold-p.out" 2>&1 &
HOLDP=$!
BG_PIDS+=("$HOLDP")
for _ in $(seq 1 50); do [ -s "$TMP/hold-p.out" ] && break; sleep 0.1; done
expect "a trusted proxy's 20 connections are all kept" \
	"$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["open_after_1s"])' "$TMP/hold-p.out" 2>&1)" 20
wait "$HOLDP"

kill -0 "${SERVER_PID[A]}" 2>/dev/null && ok "server A still runs" || bad "server A still runs"
summary
[ "$failed" -eq 0 ]
