#!/usr/bin/env bash
# The live board's long poll is per scope: a poll parked by station A's
# officer is not answered by station B's writes (it answers after
# long_poll_seconds with its own, unchanged version), but is answered at once
# by A's own write, on this server or, within about a second, on another
# server of the same database.
# Usage: tests/system/test_board_scope.sh PATH/TO/fengqiao
SUITE=board_scope
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

need "store" setup_any_store
need "init" fq init
sql() {
	if [ -n "${FQ_TEST_PG_URL:-}" ]; then
		q "$1"
	else
		timeout 30 sqlite3 -cmd '.timeout 10000' "$TMP/fq.db" "$1"
	fi
}
# station CODE: a station under the root, its path set from its id.
station() {
	sql "INSERT INTO org_units (parent_id, kind, name, code, path, area_type, created_at, updated_at)
		SELECT id, 'station', 'station $1', '$1', '', 'urban', 0, 0 FROM org_units WHERE parent_id IS NULL;
	     UPDATE org_units SET path = (SELECT path FROM org_units WHERE parent_id IS NULL) || id || '/'
		WHERE code = '$1';"
}
need "station A" station STA
need "station B" station STB
user_token() { # user_token NAME STATION-CODE → token
	printf '%s\n' "$PASSWORD" | fq user add "$1" --role officer --org "$2" >/dev/null || return 1
	fq token create "$1" --scopes incident.read,incident.write
}
TOKEN_A=$(user_token off.a STA)
TOKEN_B=$(user_token off.b STB)
case "$TOKEN_A$TOKEN_B" in fqt_*fqt_*) ok "officers and tokens in A and B" ;;
*) bad "officers and tokens in A and B ($TOKEN_A $TOKEN_B)"; summary; exit 1 ;; esac

start_board_server() { # NAME: long polls held 8 s
	local name=$1 port
	port=$(free_port)
	SERVER_PORT[$name]=$port
	"$FQ" serve --store "$STORE" --key_file "$KEY" --listen "127.0.0.1:$port" \
		--access_log false --threads 2 --long_poll_seconds 8 --web_root "$TMP/noweb" \
		>>"$TMP/serve-$name.log" 2>&1 &
	SERVER_PID[$name]=$!
}
start_board_server S1
start_board_server S2
need "server S1 starts" wait_server S1
need "server S2 starts" wait_server S2

board() { # board SERVER TOKEN [VERSION] → body, then "code seconds"
	curl -s -m 30 -H "Authorization: Bearer $2" -w '\n%{http_code} %{time_total}\n' \
		"$(url "$1")/api/incidents/board${3:+?version=$3}"
}
version_of() { python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["version"])'; }
intake() { # intake SERVER TOKEN TEXT → status
	curl -s -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" \
		-H 'Content-Type: application/json' \
		-d "{\"channel\":\"phone\",\"category\":\"help\",\"narrative\":\"$3\"}" \
		"$(url "$1")/api/incidents"
}
now_s() { date +%s.%N; }
answered_after() { # answered_after FILE T_WRITE → seconds from T_WRITE to the answer
	python3 -c "print(round($(stat -c %.3Y "$1") - $2, 2))"
}

expect "A's first incident" "$(intake S1 "$TOKEN_A" 'station A one')" 201
VA=$(board S1 "$TOKEN_A" | version_of)
VB=$(board S1 "$TOKEN_B" | version_of)
[ -n "$VA" ] && [ -n "$VB" ] && ok "boards answer versions (A $VA, B $VB)" || bad "boards answer versions"

# 1. B's writes do not answer A's parked poll.
board S1 "$TOKEN_A" "$VA" >"$TMP/poll1.out" &
P1=$!
sleep 1
TW=$(now_s)
expect "intake in B" "$(intake S1 "$TOKEN_B" 'station B one')" 201
expect "another intake in B" "$(intake S1 "$TOKEN_B" 'station B two')" 201
wait "$P1"
after=$(answered_after "$TMP/poll1.out" "$TW")
if ! grep -q '"incidents"' "$TMP/poll1.out" && grep -q "\"version\":\"$VA\"" "$TMP/poll1.out" &&
	python3 -c "import sys; sys.exit(0 if $after >= 6 else 1)"; then
	ok "A's parked poll is not answered by B's writes (answered ${after}s later, unchanged)"
else
	bad "A's parked poll is not answered by B's writes (answered ${after}s later)"
	head -c 300 "$TMP/poll1.out"
	echo
fi
grep -q 'station B' "$TMP/poll1.out" && bad "A's answer shows B's incidents" || ok "A's answer shows nothing of B"
expect "A's version is the same after B's writes" "$(board S1 "$TOKEN_A" | version_of)" "$VA"
NB=$(board S1 "$TOKEN_B" | version_of)
[ "$NB" != "$VB" ] && ok "B's version moved" || bad "B's version moved"

# 2. A's own write answers it at once.
board S1 "$TOKEN_A" "$VA" >"$TMP/poll2.out" &
P2=$!
sleep 1
TW=$(now_s)
expect "intake in A" "$(intake S1 "$TOKEN_A" 'station A two')" 201
wait "$P2"
after=$(answered_after "$TMP/poll2.out" "$TW")
if grep -q 'station A two' "$TMP/poll2.out" && python3 -c "import sys; sys.exit(0 if $after < 1.5 else 1)"; then
	ok "A's write answers A's parked poll at once (${after}s)"
else
	bad "A's write answers A's parked poll at once (${after}s)"
	head -c 300 "$TMP/poll2.out"
	echo
fi

# 3. A's write on another server answers it within about a second.
VA=$(board S1 "$TOKEN_A" | version_of)
board S1 "$TOKEN_A" "$VA" >"$TMP/poll3.out" &
P3=$!
sleep 1
TW=$(now_s)
expect "intake in A on S2" "$(intake S2 "$TOKEN_A" 'station A three')" 201
wait "$P3"
after=$(answered_after "$TMP/poll3.out" "$TW")
if grep -q 'station A three' "$TMP/poll3.out" && python3 -c "import sys; sys.exit(0 if $after < 2.5 else 1)"; then
	ok "A's write on server S2 answers the poll parked on S1 (${after}s)"
else
	bad "A's write on server S2 answers the poll parked on S1 (${after}s)"
	head -c 300 "$TMP/poll3.out"
	echo
fi

# 4. B's writes do not even re-run A's parked poll (the server wakes polls by
# scope); only the once-a-second re-check for other servers' writes does.
# Each run of the board is counted in /metrics.
board_runs() {
	curl -s -m 5 "$(url S1)/metrics" |
		sed -n 's|^fengqiao_request_seconds_count{method="GET",route="/api/incidents/board"} ||p'
}
VA=$(board S1 "$TOKEN_A" | version_of)
board S1 "$TOKEN_A" "$VA" >"$TMP/poll4.out" &
P4=$!
sleep 1
M0=$(board_runs)
T0=$(now_s)
for i in $(seq 1 15); do intake S1 "$TOKEN_B" "station B burst $i" >/dev/null; done
T1=$(now_s)
M1=$(board_runs)
if python3 -c "import sys; sys.exit(0 if $M1 - $M0 <= ($T1 - $T0) + 2 else 1)"; then
	ok "15 writes in B re-ran A's parked poll only at the periodic re-check ($((M1 - M0)) runs in $(python3 -c "print(round($T1 - $T0, 1))")s)"
else
	bad "15 writes in B re-ran A's parked poll only at the periodic re-check ($((M1 - M0)) runs in $(python3 -c "print(round($T1 - $T0, 1))")s)"
fi
wait "$P4"
grep -q '"incidents"' "$TMP/poll4.out" && bad "A's poll stayed unanswered by B's burst" ||
	ok "A's poll stayed unanswered by B's burst"

summary
[ "$failed" -eq 0 ]
