#!/usr/bin/env bash
# A server killed with SIGKILL in the middle of a write load, on a database
# that another server goes on writing to: nothing acknowledged is lost, nothing
# is half written (a person, its 'registered' event and its audit entry are
# one transaction; so are an incident, its number and its audit entry, and no
# incident is left with the create path's placeholder number), the audit chain stays whole, the other server is not held
# up by the dead one's locks, a server whose database connections are cut
# reconnects, and the killed server comes back when restarted.
# Usage: tests/system/test_kill.sh PATH/TO/fengqiao
# Database: FQ_TEST_PG_URL (a database is created and dropped there), else a
# throwaway cluster (tools/pg-throwaway.sh). See lib.sh.
SUITE=kill
source "$(dirname "$0")/lib.sh"

need "database created" setup_database
need "init, officer and token" setup_fengqiao
need "a station, its officer and an incident token" setup_incidents
start_server A
start_server B
need "server A starts" wait_server A
need "server B starts" wait_server B

# --- the load, and the kill ------------------------------------------------
echo "load: 8 threads (4 per server) for 20 s; A is killed once 200 persons are in"
timeout 60 python3 "$LOAD" write --server "127.0.0.1:${SERVER_PORT[A]}" \
	--server "127.0.0.1:${SERVER_PORT[B]}" --token "$TOKEN" --out "$TMP/load.jsonl" \
	--threads-per-server 4 --count 100000 --seconds 20 --give-up 10 >"$TMP/load.out" 2>&1 &
LOAD_PID=$!
BG_PIDS+=("$LOAD_PID")
# Alongside, incident intakes: 2 threads per server, same 20 s.
timeout 60 python3 "$LOAD" write --kind incident --server "127.0.0.1:${SERVER_PORT[A]}" \
	--server "127.0.0.1:${SERVER_PORT[B]}" --token "$INC_TOKEN" --out "$TMP/load-inc.jsonl" \
	--threads-per-server 2 --count 100000 --seconds 20 --give-up 10 --prefix I >"$TMP/load-inc.out" 2>&1 &
INC_PID=$!
BG_PIDS+=("$INC_PID")

n=0
for _ in $(seq 1 150); do
	n=$(q "SELECT count(*) FROM persons" 2>/dev/null || echo 0)
	[ "${n:-0}" -ge 200 ] && break
	sleep 0.1
done
kill -KILL "${SERVER_PID[A]}"
wait "${SERVER_PID[A]}" 2>/dev/null
unset 'SERVER_PID[A]'
KILL_T=$(date +%s.%N)
echo "killed A (SIGKILL) with $n persons stored"

# Two seconds on, cut every database connection of B (A's are gone with it):
# B must reopen them and go on.
sleep 2
cut=$(q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
CUT_T=$(date +%s.%N)
echo "cut $cut database connections of B"

wait "$LOAD_PID"
load_rc=$?
wait "$INC_PID"
inc_rc=$?
cat "$TMP/load.out" "$TMP/load-inc.out"
expect "load script finished (no thread stuck)" "$load_rc" "0"
expect "incident load script finished (no thread stuck)" "$inc_rc" "0"

# What the load saw, per server and around the two events.
read -r a_ok a_lost b_ok b_lost b_after_kill b_after_cut b_other b_commit < <(python3 - "$TMP/load.jsonl" \
	"127.0.0.1:${SERVER_PORT[A]}" "127.0.0.1:${SERVER_PORT[B]}" "$KILL_T" "$CUT_T" <<'EOF'
import json, sys
path, a, b, kill_t, cut_t = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
c = dict(a_ok=0, a_lost=0, b_ok=0, b_lost=0, b_after_kill=0, b_after_cut=0, b_other=0, b_commit=0)
for line in open(path, encoding="utf-8"):
    r = json.loads(line)
    side = "a" if r["server"] == a else "b"
    if r["status"] == 201:
        c[side + "_ok"] += 1
        if side == "b" and r["t"] > kill_t + 0.5:
            c["b_after_kill"] += 1
        if side == "b" and r["t"] > cut_t + 0.5:
            c["b_after_cut"] += 1
    elif r["status"] == 0:
        c[side + "_lost"] += 1
    elif side == "b" and r.get("error") == "outcome_unknown":
        c["b_commit"] += 1  # cut during its COMMIT: outcome unknown, rightly not retried
    elif side == "b":
        c["b_other"] += 1
print(*c.values())
EOF
)
echo "A: $a_ok acknowledged, $a_lost connection errors; B: $b_ok acknowledged, $b_lost connection errors, $b_commit cut during COMMIT, $b_other other error answers"
check "A acknowledged writes before it was killed" test "$a_ok" -gt 0
check "A's clients saw the kill as connection errors" test "$a_lost" -gt 0
expect "B's clients saw no connection error" "$b_lost" "0"
check "B went on acknowledging writes after A was killed ($b_after_kill)" test "$b_after_kill" -gt 50
check "B reopened its database connections after they were cut ($b_after_cut writes after)" \
	test "$b_after_cut" -gt 50
check "B is healthy" curl -sf -m 5 "$(url B)/healthz"
# A request that finds its connection gone before anything was committed is
# to be run again on a reopened connection (src/store/store.h, enum
# fq_db_health), so B's clients should see no error, except for a request cut
# during its COMMIT, whose outcome is unknown and which must not run twice.
expect "B answered 201 while its connections were cut (retry when nothing was committed)" \
	"$b_other" "0"
if [ "$b_other" != 0 ]; then
	grep "\"127.0.0.1:${SERVER_PORT[B]}\"" "$TMP/load.jsonl" | grep -v '"status": 201' |
		grep -v '"status": 0' | grep -v 'outcome_unknown' | head -n 5 | sed 's/^/     /'
fi

# --- every acknowledged write is there, nothing else, nothing half written ---
q "SELECT id, name, id_number_mask FROM persons ORDER BY id" >"$TMP/db.txt"
check "every acknowledged person is stored; every stored person was sent; none that was refused" \
	timeout 60 python3 "$LOAD" compare --in "$TMP/load.jsonl" --db "$TMP/db.txt"
check "every acknowledged person reads back through B with its masked number" \
	timeout 120 python3 "$LOAD" check --server "127.0.0.1:${SERVER_PORT[B]}" --token "$TOKEN" \
	--in "$TMP/load.jsonl" --unmask 20

persons=$(q "SELECT count(*) FROM persons")
expect "every person has its 'registered' event" \
	"$(q "SELECT count(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM person_events e
		WHERE e.person_id = p.id AND e.kind = 'registered')")" "0"
expect "every person has its success audit entry" \
	"$(q "SELECT count(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM audit_log a
		WHERE a.action = 'person.create' AND a.outcome = 'success' AND a.object_type = 'person'
		AND a.object_id = CAST(p.id AS TEXT))")" "0"
expect "every success person.create entry names a stored person" \
	"$(q "SELECT count(*) FROM audit_log a WHERE a.action = 'person.create' AND a.outcome = 'success'
		AND NOT EXISTS (SELECT 1 FROM persons p WHERE CAST(p.id AS TEXT) = a.object_id)")" "0"
expect "counts match: persons = 'registered' events" \
	"$(q "SELECT count(*) FROM person_events WHERE kind = 'registered'")" "$persons"
expect "counts match: persons = success person.create entries" \
	"$(q "SELECT count(*) FROM audit_log WHERE action = 'person.create' AND outcome = 'success'")" "$persons"

q "SELECT i.id, i.number, (SELECT count(*) FROM audit_log a WHERE a.action = 'incident.create'
	AND a.outcome = 'success' AND a.object_type = 'incident' AND a.object_id = CAST(i.id AS TEXT)),
	i.narrative FROM incidents i ORDER BY i.id" >"$TMP/db-incidents.txt"
inc_a=$(grep -c "\"127.0.0.1:${SERVER_PORT[A]}\", \"status\": 201" "$TMP/load-inc.jsonl")
inc_b=$(grep -c "\"127.0.0.1:${SERVER_PORT[B]}\", \"status\": 201" "$TMP/load-inc.jsonl")
check "A and B acknowledged incidents (A $inc_a, B $inc_b)" test "$inc_a" -gt 0 -a "$inc_b" -gt 0
check "every acknowledged incident is stored with its number and audit entry; none pending; none refused" \
	timeout 60 python3 "$LOAD" compare --kind incident --in "$TMP/load-inc.jsonl" --db "$TMP/db-incidents.txt"
check "every acknowledged incident reads back through B with its number" \
	timeout 120 python3 "$LOAD" check --server "127.0.0.1:${SERVER_PORT[B]}" --token "$INC_TOKEN" \
	--in "$TMP/load-inc.jsonl"
check_audit_chain
expect "no transaction left open by the killed server" \
	"$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
		AND state LIKE 'idle in transaction%'")" "0"

# --- a connection cut while a write waits for the audit chain -----------------
# Another session holds the advisory locks of every audit chain (key 1 for
# chain 0, FQ_LOCK_AUDIT; 1001 … 1007 for chains 1 … 7, FQ_LOCK_AUDIT_CHAIN + c:
# src/audit/audit.c), so a write through B waits for one, before its COMMIT;
# its connection is then cut. Nothing was committed: the request must run
# again on a new connection.
PGAPPNAME=fq_holder timeout 40 psql "$STORE" -XAtq -c "SELECT count(pg_advisory_lock(k)) FROM
	(SELECT 1 AS k UNION ALL SELECT generate_series(1001, 1007)) AS chains" -c "SELECT pg_sleep(30)" \
	>/dev/null 2>&1 &
HOLDER_PID=$!
BG_PIDS+=("$HOLDER_PID")
for _ in $(seq 1 50); do
	[ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE a.application_name = 'fq_holder' AND l.locktype = 'advisory' AND l.granted")" = 8 ] && break
	sleep 0.1
done
curl -s -m 30 -o "$TMP/wait.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' -d '{"name":"等锁","doc_type":"passport","id_number":"W0000001"}' \
	"$(url B)/api/persons" >"$TMP/wait.code" &
CURL_PID=$!
BG_PIDS+=("$CURL_PID")
waiter=
for _ in $(seq 1 50); do
	waiter=$(q "SELECT pid FROM pg_stat_activity WHERE wait_event = 'advisory'
		AND application_name <> 'fq_holder' LIMIT 1")
	[ -n "$waiter" ] && break
	sleep 0.1
done
check "a write through B waits for the audit chain's lock" test -n "$waiter"
[ -n "$waiter" ] && q "SELECT pg_terminate_backend($waiter)" >/dev/null
sleep 0.3
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fq_holder'" >/dev/null
wait "$CURL_PID"
expect "… its connection cut before COMMIT: the write is run again and acknowledged" \
	"$(cat "$TMP/wait.code")" "201"
if [ "$(cat "$TMP/wait.code")" != 201 ]; then
	echo "     answer: $(head -c 200 "$TMP/wait.json")"
	grep -E 'audit entry|retrying|could not be saved' "$TMP/serve-B.log" | tail -n 2 | sed 's/^/     B: /'
fi
expect "… and stored once, with its audit entry" \
	"$(q "SELECT count(*) FROM persons p WHERE p.name = '等锁' AND EXISTS (SELECT 1 FROM audit_log a
		WHERE a.action = 'person.create' AND a.outcome = 'success' AND a.object_id = CAST(p.id AS TEXT))")" "1"
persons=$(q "SELECT count(*) FROM persons")

# --- A comes back --------------------------------------------------------------
start_server A "${SERVER_PORT[A]}"
check "A restarts on its port" wait_server A
expect "A takes a write after the restart" \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' -d '{"name":"重启","doc_type":"passport","id_number":"R0000001"}' \
		"$(url A)/api/persons")" "201"
expect "persons after the restart = before + 1" "$(q "SELECT count(*) FROM persons")" "$((persons + 1))"
check_audit_chain

summary
[ "$failed" -eq 0 ]
