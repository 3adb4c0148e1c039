#!/usr/bin/env bash
# A second `fengqiao serve` on an address already in use refuses to start
# (libmicrohttpd's address-reuse option set SO_REUSEPORT: a second server,
# even on another database, started and took part of the first one's
# connections). The first server goes on answering every request.
# Usage: tests/system/test_address_in_use.sh PATH/TO/fengqiao
SUITE=address_in_use
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

need "store" setup_any_store
need "init, officer and token" setup_fengqiao
OTHER="sqlite:$TMP/other.db"
need "a second, different database" timeout 60 "$FQ" init --store "$OTHER" --key_file "$TMP/other.key"

start_server A
need "server A starts" wait_server A
PORT=${SERVER_PORT[A]}

# The second server, on the other database, on A's port.
timeout 30 "$FQ" serve --store "$OTHER" --key_file "$TMP/other.key" --listen "127.0.0.1:$PORT" \
	--access_log false --threads 2 --web_root "$TMP/noweb" >"$TMP/second.out" 2>&1 &
SECOND=$!
SERVER_PID[second]=$SECOND
for _ in $(seq 1 150); do
	kill -0 "$SECOND" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$SECOND" 2>/dev/null; then
	bad "the second server exits at once"
	rc=running
else
	wait "$SECOND"
	rc=$?
	unset 'SERVER_PID[second]'
	ok "the second server exits at once"
fi
[ "$rc" != running ] && [ "$rc" != 0 ] && ok "with a non-zero status ($rc)" ||
	bad "with a non-zero status (got $rc)"
if grep -qx "fengqiao: address 127.0.0.1:$PORT is already in use" "$TMP/second.out"; then
	ok "it says: address 127.0.0.1:$PORT is already in use"
else
	bad "it says: address 127.0.0.1:$PORT is already in use"
	sed 's/^/     /' "$TMP/second.out" | tail -n 5
fi

# Forty requests on new connections: all reach A (A's token is unknown to
# the other database, which would answer 401).
codes=$(for _ in $(seq 1 40); do
	curl -s -m 5 -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $TOKEN" \
		"http://127.0.0.1:$PORT/api/persons"
done | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')
expect "A answers all 40 requests with its own database" "$codes" "200×40 "
kill -0 "${SERVER_PID[A]}" 2>/dev/null && ok "server A still runs" || bad "server A still runs"

summary
[ "$failed" -eq 0 ]
