#!/usr/bin/env bash
# Two `fengqiao serve` processes on one PostgreSQL database, written to at the
# same time: every acknowledged write is there exactly once, the audit chain
# stays one chain, and sessions and lockout hold across the servers.
# Usage: tests/system/test_two_servers.sh PATH/TO/fengqiao
# Database: FQ_TEST_PG_URL (a database is created and dropped there), else a
# throwaway cluster (tools/pg-throwaway.sh). See lib.sh.
SUITE=system
source "$(dirname "$0")/lib.sh"

need "database created" setup_database
need "init, officer and token" setup_fengqiao
# Both at once, as systemd starts fengqiao@1 and fengqiao@2.
start_server A
start_server B
need "server A starts" wait_server A
need "server B starts" wait_server B
ok "two servers serve one database (A on ${SERVER_PORT[A]}, B on ${SERVER_PORT[B]})"

# --- concurrent writes through both servers ------------------------------
echo "load: 8 threads (4 per server), 300 requests each, 60 s at most"
timeout 120 python3 "$LOAD" write --server "127.0.0.1:${SERVER_PORT[A]}" \
	--server "127.0.0.1:${SERVER_PORT[B]}" --token "$TOKEN" --out "$TMP/load.jsonl" \
	--threads-per-server 4 --count 300 --seconds 60 >"$TMP/load.out" 2>&1
load_rc=$?
cat "$TMP/load.out"
expect "load script finished (no thread stuck)" "$load_rc" "0"

sent=$(wc -l <"$TMP/load.jsonl")
acked=$(grep -c '"status": 201' "$TMP/load.jsonl")
expect "every request acknowledged with 201 ($acked of $sent)" "$acked" "$sent"
expect "both servers took writes" \
	"$(grep '"status": 201' "$TMP/load.jsonl" | grep -o '"server": "[^"]*"' | sort -u | wc -l)" "2"

# (a) each acknowledged person is there with the right masked number.
check "(a) every acknowledged person reads back with its masked number" \
	timeout 120 python3 "$LOAD" check --server "127.0.0.1:${SERVER_PORT[A]}" \
	--server "127.0.0.1:${SERVER_PORT[B]}" --token "$TOKEN" --in "$TMP/load.jsonl" --unmask 20
ids_unique=$(grep '"status": 201' "$TMP/load.jsonl" | grep -o '"id": [0-9]*' | sort -u | wc -l)
expect "(a) no two acknowledgements share a person id" "$ids_unique" "$acked"

# (b) the database holds exactly the acknowledged persons.
persons=$(q "SELECT count(*) FROM persons")
expect "(b) persons in the database = acknowledged creations" "$persons" "$acked"
events=$(q "SELECT count(*) FROM person_events WHERE kind = 'registered'")
expect "(b) one 'registered' event per person" "$events" "$persons"

# (c) the audit log: whole, one success person.create per person, no gap, no fork.
check_audit_chain
creates=$(q "SELECT count(*) FROM audit_log WHERE action = 'person.create' AND outcome = 'success'")
expect "(c) success person.create entries = persons" "$creates" "$persons"
not_once=$(q "SELECT count(*) FROM persons p WHERE (SELECT count(*) FROM audit_log a
	WHERE a.action = 'person.create' AND a.outcome = 'success' AND a.object_type = 'person'
	AND a.object_id = CAST(p.id AS TEXT)) <> 1")
expect "(c) every person has exactly one success person.create entry" "$not_once" "0"
failures=$(q "SELECT count(*) FROM audit_log WHERE action = 'person.create' AND outcome <> 'success'")
expect "(c) no failed person.create entries" "$failures" "0"

# --- (d) sessions across servers ----------------------------------------------
A=$(url A)
B=$(url B)
curl -s -m 10 -c "$TMP/jar" -o "$TMP/session.json" -w '%{http_code}' -H 'Content-Type: application/json' \
	-d "{\"username\":\"off.one\",\"password\":\"$PASSWORD\"}" "$A/api/session" >"$TMP/code"
expect "(d) sign in through A" "$(cat "$TMP/code")" "200"
CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$TMP/session.json" 2>/dev/null)
expect "(d) the session on B is the one made on A" \
	"$(curl -s -m 10 -b "$TMP/jar" "$B/api/session" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["user"]["username"], d["csrf_token"] == sys.argv[1])' "$CSRF" 2>&1)" \
	"off.one True"
expect "(d) a cookie write on B with A's CSRF token" \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' -b "$TMP/jar" -H "X-CSRF-Token: $CSRF" \
		-H 'Content-Type: application/json' -d '{"name":"会话","doc_type":"passport","id_number":"S0000001"}' \
		"$B/api/persons")" "201"
expect "(d) a cookie write on B without the CSRF token is refused" \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' -b "$TMP/jar" \
		-H 'Content-Type: application/json' -d '{"name":"会话","doc_type":"passport","id_number":"S0000002"}' \
		"$B/api/persons")" "403"
expect "(d) sign out on B" \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' -b "$TMP/jar" -X DELETE -H "X-CSRF-Token: $CSRF" "$B/api/session")" "200"
expect "(d) … ends the session on A too" \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' -b "$TMP/jar" "$A/api/session")" "401"

# --- (d) lockout across servers ---------------------------------------------
printf '%s\n' "$PASSWORD" | fq user add lock.me --role officer --org root >/dev/null
login() { # login SERVER_URL PASSWORD → "STATUS CODE"
	curl -s -m 10 -H 'Content-Type: application/json' \
		-d "{\"username\":\"lock.me\",\"password\":\"$2\"}" "$1/api/session" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["error"]["code"] if "error" in d else "signed_in")' 2>&1
}
got=""
for srv in "$A" "$B" "$A" "$B"; do got="$got $(login "$srv" 'Wrong-pass1')"; done
expect "(d) wrong passwords 1–4 on A, B, A, B: bad_credentials" "$got" \
	" bad_credentials bad_credentials bad_credentials bad_credentials"
expect "(d) wrong password 5 (on A) locks the account" "$(login "$A" 'Wrong-pass1')" "account_locked"
expect "(d) locked on A even with the right password" "$(login "$A" "$PASSWORD")" "account_locked"
expect "(d) locked on B even with the right password" "$(login "$B" "$PASSWORD")" "account_locked"
expect "(d) locked sign-in answers 429 on B" \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"username\":\"lock.me\",\"password\":\"$PASSWORD\"}" "$B/api/session")" "429"
check_audit_chain

summary
[ "$failed" -eq 0 ]
