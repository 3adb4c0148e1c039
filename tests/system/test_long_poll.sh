#!/usr/bin/env bash
# The live board's long poll through the real HTTP server (libmicrohttpd
# suspends a parked request and resumes it): a poll with the current version
# waits, answers at once when an incident is registered on this server or,
# within about a second, on another server of the same database; an unchanged
# poll answers after long_poll_seconds with the version only; many parked polls
# hold no worker thread (other requests are answered meanwhile); SIGTERM ends a
# server with parked polls promptly, and they are answered. The overview of
# the home page (GET /api/overview?version=) the same way: a call registered
# on another server reaches a parked overview poll within about a second, an
# unchanged one answers the version only.
# Usage: tests/system/test_long_poll.sh PATH/TO/fengqiao
SUITE=long_poll
source "$(dirname "$0")/lib.sh"

need "database created" setup_database
fq init >"$TMP/init.out" 2>&1 || { cat "$TMP/init.out"; exit 1; }
need "demo station" fq demo --residents 10 --addresses 5
TOKEN=$(fq token create demo.officer --scopes incident.read,incident.write,overview.read,duty.read)
case "$TOKEN" in fqt_*) ok "token for demo.officer" ;; *) bad "token ($TOKEN)"; summary; exit 1 ;; esac

# A and B hold a poll up to 20 s (long enough for a loaded machine to start
# the clients and write meanwhile), C only 2 s (the default is 25 s).
start_lp_server() {
	local name=$1 secs=$2 port
	port=$(free_port)
	SERVER_PORT[$name]=$port
	"$FQ" serve --store "$STORE" --key_file "$KEY" --listen "127.0.0.1:$port" \
		--access_log false --threads 2 --long_poll_seconds "$secs" --web_root "$TMP/noweb" \
		>>"$TMP/serve-$name.log" 2>&1 &
	SERVER_PID[$name]=$!
}
start_lp_server A 20
start_lp_server B 20
start_lp_server C 2
need "server A starts" wait_server A
need "server B starts" wait_server B
need "server C starts" wait_server C

auth=(-H "Authorization: Bearer $TOKEN")
board() { # board SERVER [VERSION] → body; timing in $TMP/time
	curl -s -m 30 "${auth[@]}" -w '\n%{http_code} %{time_total}\n' \
		"$(url "$1")/api/incidents/board${2:+?version=$2}"
}
version_of() { python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["version"])'; }
intake() { # intake SERVER TEXT
	curl -s -m 10 -o /dev/null -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
		-d "{\"channel\":\"phone\",\"category\":\"help\",\"narrative\":\"$2\"}" \
		"$(url "$1")/api/incidents"
}

V=$(board A | version_of)
[ -n "$V" ] && ok "board answers a version ($V)" || bad "board answers a version"

now_s() { date +%s.%N; }
# woke NAME FILE TEXT T_WRITE MAX: the poll in FILE answered with TEXT at most
# MAX seconds after the write at T_WRITE.
woke() {
	local t
	t=$(stat -c %.3Y "$2")
	if grep -q "$3" "$2" && python3 -c "import sys; sys.exit(0 if $t - $4 < $5 else 1)"; then
		ok "$1 ($(python3 -c "print(round(max(0, $t - $4), 2))")s after the write)"
	else
		bad "$1 (answered $(python3 -c "print(round($t - $4, 2))")s after the write)"
		head -c 300 "$2"
	fi
}

# parked_write OUT SERVER TEXT POLL…: runs POLL (a poll that parks) into OUT,
# registers a call TEXT on SERVER a second later (its time in TW), and waits
# for the poll's answer.
parked_write() {
	local out=$1 srv=$2 text=$3 pid
	shift 3
	"$@" >"$out" &
	pid=$!
	sleep 1
	TW=$(now_s)
	expect "intake on $srv" "$(intake "$srv" "$text")" "201"
	wait "$pid"
}

# 1. A write on the same server wakes the parked poll at once.
parked_write "$TMP/poll1.out" A 'long poll one' board A "$V"
read -r code secs < <(tail -n 1 "$TMP/poll1.out")
expect "parked poll answered 200" "$code" "200"
woke "parked poll woke with the new incident" "$TMP/poll1.out" 'long poll one' "$TW" 1.5

# 2. A write on another server wakes it within about a second.
V=$(board A | version_of)
parked_write "$TMP/poll2.out" B 'long poll two' board A "$V"
woke "a write on server B wakes a poll parked on A within about a second" "$TMP/poll2.out" \
	'long poll two' "$TW" 2.5

# 2b. The overview: a call registered on B reaches an overview poll parked on
# A (its figure of calls received one more) within about a second.
overview() { # overview SERVER [VERSION] → body; timing on the last line
	curl -s -m 30 "${auth[@]}" -w '\n%{http_code} %{time_total}\n' \
		"$(url "$1")/api/overview${2:+?version=$2}"
}
received() { python3 -c 'import json,sys; print([c["value"] for c in json.loads(sys.stdin.readline())["cards"] if c["key"] == "received"][0])'; }
overview A >"$TMP/ov0.out"
V=$(version_of <"$TMP/ov0.out")
R=$(received <"$TMP/ov0.out")
[ -n "$V" ] && [ -n "$R" ] && ok "overview answers a version ($V) and $R calls received" ||
	bad "overview answers a version and calls received"
parked_write "$TMP/ov1.out" B 'overview poll' overview A "$V"
woke "a write on server B wakes an overview poll parked on A within about a second" \
	"$TMP/ov1.out" "\"key\":\"received\",\"value\":$((R + 1))," "$TW" 2.5
V=$(overview C | version_of)
overview C "$V" >"$TMP/ov2.out"
read -r code secs < <(tail -n 1 "$TMP/ov2.out")
if [ "$code" = 200 ] && ! grep -q '"cards"' "$TMP/ov2.out" && grep -q "\"version\":\"$V\"" "$TMP/ov2.out"; then
	ok "an unchanged overview poll answers the version only after the wait (${secs}s)"
else
	bad "an unchanged overview poll answers the version only ($code, ${secs}s)"
	head -c 300 "$TMP/ov2.out"
fi

# 3. Nothing changes: the answer comes after long_poll_seconds, version only.
V=$(board C | version_of)
board C "$V" >"$TMP/poll3.out"
read -r code secs < <(tail -n 1 "$TMP/poll3.out")
if [ "$code" = 200 ] && ! grep -q '"incidents"' "$TMP/poll3.out" &&
	python3 -c "import sys; sys.exit(0 if 1.8 <= float('$secs') < 6 else 1)"; then
	ok "an unchanged poll answers the version only after the wait (${secs}s)"
else
	bad "an unchanged poll answers the version only after the wait ($code, ${secs}s)"
	head -c 300 "$TMP/poll3.out"
fi

# 4. Forty parked polls on a server with 2 worker threads: other requests go on.
V=$(board A | version_of)
pids=()
for i in $(seq 1 40); do
	board A "$V" >"$TMP/many.$i.out" &
	pids+=($!)
done
sleep 2
h=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$(url A)/healthz")
expect "healthz answers while 40 polls are parked" "$h" "200"
expect "intake answers while 40 polls are parked" "$(intake A 'many polls')" "201"
for p in "${pids[@]}"; do wait "$p"; done
woke=$(grep -l 'many polls' "$TMP"/many.*.out | wc -l)
expect "all 40 parked polls got the new incident" "$woke" "40"

# 5. SIGTERM with parked polls: the server stops promptly and answers them.
V=$(board A | version_of)
board A "$V" >"$TMP/poll5.out" &
P5=$!
sleep 1
T0=$(date +%s.%N)
kill -TERM "${SERVER_PID[A]}"
wait "${SERVER_PID[A]}"
rc=$?
T1=$(date +%s.%N)
unset 'SERVER_PID[A]'
wait "$P5"
expect "server A exits 0 on SIGTERM with a parked poll" "$rc" "0"
if python3 -c "import sys; sys.exit(0 if $T1 - $T0 < 2.5 else 1)"; then
	ok "server A stopped promptly ($(python3 -c "print(round($T1 - $T0, 2))")s)"
else
	bad "server A stopped promptly (took $(python3 -c "print(round($T1 - $T0, 2))")s)"
fi
read -r code secs < <(tail -n 1 "$TMP/poll5.out")
expect "the parked poll was answered at shutdown" "$code" "200"

summary
[ "$failed" -eq 0 ]
