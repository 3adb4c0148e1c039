#!/usr/bin/env bash
# The database goes away under a write load and comes back: PostgreSQL is
# stopped as in a crash (pg_ctl -m immediate), which is what the servers see
# when the primary fails, and started again. While it is down the servers
# answer 503 (never 500); afterwards they reopen their connections by
# themselves; every acknowledged write is there, nothing is half written, a
# request answered with an error changed nothing, and the audit chain is whole.
# Usage: tests/system/test_db_restart.sh PATH/TO/fengqiao
# Needs its own throwaway cluster (tools/pg-throwaway.sh): with FQ_TEST_PG_URL
# set it is skipped, as it would restart a server that is not its own.
SUITE=db_restart
if [ -n "${FQ_TEST_PG_URL:-}" ]; then
	echo "$SUITE: skipped (restarts PostgreSQL: runs only on its own throwaway cluster; unset FQ_TEST_PG_URL)"
	exit 0
fi
source "$(dirname "$0")/lib.sh"

need "database created" setup_database
need "init, officer and token" setup_fengqiao
start_server A
start_server B
need "server A starts" wait_server A
need "server B starts" wait_server B

BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pgctl() {
	if [ "$(id -u)" -eq 0 ]; then
		timeout 60 runuser -u postgres -- "$BINDIR/pg_ctl" -D "$PG_DIR/data" "$@"
	else
		timeout 60 "$BINDIR/pg_ctl" -D "$PG_DIR/data" "$@"
	fi
}
# Same options as tools/pg-throwaway.sh gives it.
PG_OPTS="-c listen_addresses='' -c unix_socket_directories='$PG_DIR' -c max_connections=200 -c shared_buffers=256MB"

echo "load: 8 threads (4 per server) for 20 s; PostgreSQL crashes after 200 persons and is back 2 s later"
timeout 60 python3 "$LOAD" write --server "127.0.0.1:${SERVER_PORT[A]}" \
	--server "127.0.0.1:${SERVER_PORT[B]}" --token "$TOKEN" --out "$TMP/load.jsonl" \
	--threads-per-server 4 --count 100000 --seconds 20 --give-up 10 >"$TMP/load.out" 2>&1 &
LOAD_PID=$!
BG_PIDS+=("$LOAD_PID")

for _ in $(seq 1 150); do
	n=$(q "SELECT count(*) FROM persons" 2>/dev/null || echo 0)
	[ "${n:-0}" -ge 200 ] && break
	sleep 0.1
done
pgctl -m immediate stop >/dev/null 2>&1
DOWN_T=$(date +%s.%N)
echo "PostgreSQL stopped (immediate) with ${n:-?} persons stored"
sleep 2
down_health=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$(url A)/healthz")
pgctl -l "$PG_DIR/server.log" -w -t 60 -o "$PG_OPTS" start >/dev/null
UP_T=$(date +%s.%N)
echo "PostgreSQL started again"

wait "$LOAD_PID"
load_rc=$?
cat "$TMP/load.out"
expect "load script finished (no thread stuck)" "$load_rc" "0"
expect "/healthz answers 503 while the database is down" "$down_health" "503"

read -r during after lost others < <(python3 - "$TMP/load.jsonl" "$DOWN_T" "$UP_T" <<'EOF'
import json, sys
path, down, up = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
during = after = lost = 0
others = {}
for line in open(path, encoding="utf-8"):
    r = json.loads(line)
    if r["status"] == 201:
        if r["t"] > up + 0.5:
            after += 1
    elif r["status"] == 503:
        during += 1
    elif r["status"] == 0:
        lost += 1
    else:
        key = "%s:%s" % (r["status"], r.get("error"))
        others[key] = others.get(key, 0) + 1
print(during, after, lost, ",".join("%s×%d" % kv for kv in sorted(others.items())) or "none")
EOF
)
echo "503 answers: $during; 201 after the restart: $after; connection errors: $lost; other answers: $others"
expect "every answer was 201 or 503 (no 500 when the database fails)" "$others" "none"
expect "no client connection was dropped" "$lost" "0"
check "the servers acknowledged writes after the database came back ($after)" test "$after" -gt 50
for s in A B; do check "server $s is healthy again" curl -sf -m 5 "$(url $s)/healthz"; done

q "SELECT id, name, id_number_mask FROM persons ORDER BY id" >"$TMP/db.txt"
check "every acknowledged person is stored; every stored person was sent; none that was refused" \
	timeout 60 python3 "$LOAD" compare --in "$TMP/load.jsonl" --db "$TMP/db.txt"
persons=$(q "SELECT count(*) FROM persons")
expect "counts match: persons = 'registered' events" \
	"$(q "SELECT count(*) FROM person_events WHERE kind = 'registered'")" "$persons"
expect "counts match: persons = success person.create entries" \
	"$(q "SELECT count(*) FROM audit_log WHERE action = 'person.create' AND outcome = 'success'")" "$persons"
check_audit_chain

# --- a crash with no load: the next requests find dead connections ---------
# Every worker thread of each server holds a connection that died with the
# database; the first request on each must reopen it and run (the database is
# back), not fail.
pgctl -m immediate stop >/dev/null 2>&1
pgctl -l "$PG_DIR/server.log" -w -t 60 -o "$PG_OPTS" start >/dev/null
codes=""
for i in $(seq 1 8); do
	for s in A B; do
		codes="$codes $(curl -s -m 10 -o /dev/null -w '%{http_code}' "$(url $s)/healthz")"
		codes="$codes $(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
			-H 'Content-Type: application/json' \
			-d "{\"name\":\"重连\",\"doc_type\":\"passport\",\"id_number\":\"Q$s$i-0001\"}" "$(url $s)/api/persons")"
	done
done
expect "after a database restart, the first requests on old connections succeed" \
	"$(echo "$codes" | tr ' ' '\n' | grep . | sort | uniq -c | awk 'NF { printf "%s×%s ", $2, $1 }')" "200×16 201×16 "

# --- a COMMIT cut off: the answer must not say "not saved" when it was -----
# The COMMIT is held in a wait for a synchronous standby that does not exist;
# the backend is then terminated. PostgreSQL has committed the transaction
# locally at that point ("The transaction has already committed locally").
q "ALTER SYSTEM SET synchronous_standby_names = 'nobody'" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
curl -s -m 30 -o "$TMP/cut.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' -d '{"name":"提交","doc_type":"passport","id_number":"C0000001"}' \
	"$(url A)/api/persons" >"$TMP/cut.code" &
CURL_PID=$!
BG_PIDS+=("$CURL_PID")
pid=
for _ in $(seq 1 50); do
	pid=$(q "SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep' LIMIT 1")
	[ -n "$pid" ] && break
	sleep 0.1
done
q "ALTER SYSTEM RESET synchronous_standby_names" >/dev/null
[ -n "$pid" ] && q "SELECT pg_terminate_backend($pid)" >/dev/null
sleep 0.3
q "SELECT pg_reload_conf()" >/dev/null
wait "$CURL_PID"
check "a COMMIT was caught waiting and cut" test -n "$pid"
stored=$(q "SELECT count(*) FROM persons WHERE name = '提交'")
answer="$(cat "$TMP/cut.code") $(cat "$TMP/cut.json")"
echo "     stored: $stored; answer: $answer"
if [ "$stored" = 1 ] && echo "$answer" | grep -q '"code":"\(unavailable\|conflict\)"'; then
	bad "a write cut during COMMIT that was saved is not answered 'not saved' (or 409 from a retry)"
else
	ok "a write cut during COMMIT that was saved is not answered 'not saved' (or 409 from a retry)"
fi
expect "… and the audit log does not record that write as both done and failed" \
	"$(q "SELECT count(*) FROM audit_log a JOIN persons p ON a.object_id = CAST(p.id AS TEXT)
		WHERE a.action = 'person.create' AND a.outcome = 'failure'")" "0"
check_audit_chain

summary
[ "$failed" -eq 0 ]
