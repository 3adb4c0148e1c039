#!/usr/bin/env bash
# The outbox survives kill -9: a server delivering webhooks to a receiver on
# 127.0.0.1 (tests/system/outbox_receiver.py: checks every HMAC signature,
# records every event id, is slow, and fails some events once) is killed
# with SIGKILL while a delivery is in flight, then started again. Every
# queued event reaches the receiver at least once with a valid signature;
# none is lost; the one cut off is sent again when its lease runs out (the
# receiver sees it twice: at-least-once, it dedupes by event id); the rows
# failed once are retried after their backoff. On PostgreSQL a second server
# started after the kill takes the killed one's work over (the cut-off row
# once its lease ends) and runs alongside it once it is back; no event is
# delivered twice but the one cut off.
# Usage: tests/system/test_outbox_kill.sh PATH/TO/fengqiao
# Store: PostgreSQL with FQ_TEST_PG_URL (lib.sh), otherwise a SQLite file.
SUITE=outbox_kill
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

EVENTS=30
SECRET='outbox-kill-test-secret-42'
need "store" setup_any_store
need "init" fq init
sql() {
	if [ -n "${FQ_TEST_PG_URL:-}" ]; then
		q "$1"
	else
		timeout 30 sqlite3 -cmd '.timeout 10000' "$TMP/fq.db" "$1"
	fi
}
need "station" sql "INSERT INTO org_units (parent_id, kind, name, code, path, area_type, created_at, updated_at)
		SELECT id, 'station', '两路派出所', 'STA', '', 'urban', 0, 0 FROM org_units WHERE parent_id IS NULL;
	     UPDATE org_units SET path = (SELECT path FROM org_units WHERE parent_id IS NULL) || id || '/'
		WHERE code = 'STA';"
admin_token() {
	printf '%s\n' "$PASSWORD" | fq user add adm.outbox --role sysadmin --org STA >/dev/null || return 1
	TOKEN=$(fq token create adm.outbox --scopes outbox.admin) || return 1
	case "$TOKEN" in fqt_*) ;; *) echo "token create printed '$TOKEN'"; return 1 ;; esac
}
need "a sysadmin token for the outbox" admin_token

python3 "$SYS_DIR/outbox_receiver.py" --port-file "$TMP/recv.port" \
	--log "$TMP/recv.jsonl" --inflight "$TMP/inflight" --secret "$SECRET" --delay 0.2 \
	--fail-every 5 --arm "$TMP/arm" --release "$TMP/release" &
BG_PIDS+=("$!") # stopped by lib.sh's clean-up (its watchdog bounds the test)
for _ in $(seq 1 50); do [ -s "$TMP/recv.port" ] && break; sleep 0.1; done
need "receiver listens" test -s "$TMP/recv.port"
RECV_PORT=$(cat "$TMP/recv.port")

start_outbox_server() { # NAME [PORT]: leases of 4 s, retries after 1–2 s
	local name=$1 port=${2:-$(free_port)}
	SERVER_PORT[$name]=$port
	"$FQ" serve --store "$STORE" --key_file "$KEY" --listen "127.0.0.1:$port" \
		--access_log false --threads 2 --web_root "$TMP/noweb" --outbox_allow_private true \
		--outbox_timeout_seconds 3 --outbox_lease_seconds 4 --outbox_backoff_seconds 1 \
		--outbox_backoff_max_seconds 2 --outbox_max_attempts 20 >>"$TMP/serve-$name.log" 2>&1 &
	SERVER_PID[$name]=$!
}
api() { # api METHOD PATH [BODY] → body, then the status on its own line (through S)
	curl -s -m 10 -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		${3:+-d "$3"} -w '\n%{http_code}\n' "$(url S)$2"
}

start_outbox_server S
need "server starts" wait_server S
TWO=
[ -n "${FQ_TEST_PG_URL:-}" ] && TWO=1
out=$(api POST /api/outbox/channels "{\"station_id\":$(sql "SELECT id FROM org_units WHERE code = 'STA'"),
	\"kind\":\"webhook\",\"name\":\"接收端\",\"url\":\"http://127.0.0.1:$RECV_PORT/hook\",
	\"secret\":\"$SECRET\",\"events\":[\"test\"]}")
expect "webhook channel created" "$(echo "$out" | tail -n 1)" "201"
CHANNEL=$(echo "$out" | head -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin).get("id", 0))')

# --- queue the events, kill the server in the middle of a delivery -----------
queued=0
for _ in $(seq 1 $EVENTS); do
	[ "$(api POST "/api/outbox/channels/$CHANNEL/test" | tail -n 1)" = 202 ] && queued=$((queued + 1))
done
expect "$EVENTS test events queued" "$queued" "$EVENTS"
received() { [ -f "$TMP/recv.jsonl" ] && wc -l <"$TMP/recv.jsonl" || echo 0; }
killed=
# Once some have arrived, the receiver holds the next request until
# $TMP/release exists: the server is killed while it waits for the answer.
for _ in $(seq 1 300); do [ "$(received)" -ge 5 ] && break; sleep 0.05; done
touch "$TMP/arm"
for _ in $(seq 1 300); do
	if [ -s "$TMP/arm.held" ]; then
		killed=$(cat "$TMP/arm.held")
		kill -KILL "${SERVER_PID[S]}"
		break
	fi
	sleep 0.05
done
wait "${SERVER_PID[S]}" 2>/dev/null
touch "$TMP/release"
unset 'SERVER_PID[S]'
check "killed (SIGKILL) while event '$killed' was in flight" test -n "$killed"
before=$(received)
echo "received before the kill: $before requests"
pending=$(sql "SELECT count(*) FROM outbox WHERE status = 'pending'")
check "events were left undelivered by the killed server ($pending)" test "$pending" -gt 0

# --- the other server (PostgreSQL), or the restart: everything arrives ----------
all_delivered() {
	for _ in $(seq 1 600); do
		[ "$(sql "SELECT count(*) FROM outbox WHERE status <> 'delivered'")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}
if [ -n "$TWO" ]; then
	start_outbox_server T
	need "second server starts" wait_server T
	all_delivered
	expect "the second server delivered everything left, the cut-off event after its lease" \
		"$(sql "SELECT count(*) FROM outbox WHERE status = 'delivered'")" "$EVENTS"
	start_outbox_server S "${SERVER_PORT[S]}"
	need "server restarts" wait_server S
else
	start_outbox_server S "${SERVER_PORT[S]}"
	need "server restarts" wait_server S
	all_delivered
	expect "every event delivered after the restart" \
		"$(sql "SELECT count(*) FROM outbox WHERE status = 'delivered'")" "$EVENTS"
fi
sql "SELECT event_id FROM outbox ORDER BY id" >"$TMP/queued.txt"
check "the receiver got every queued event id at least once, all signed, none unknown" \
	python3 - "$TMP/queued.txt" "$TMP/recv.jsonl" <<'PY'
import json, sys
queued = [l.strip() for l in open(sys.argv[1]) if l.strip()]
got = [json.loads(l) for l in open(sys.argv[2])]
ok = {r["event_id"] for r in got if r["answer"] == 200}
missing = [e for e in queued if e not in ok]
unknown = {r["event_id"] for r in got} - set(queued)
bad = [r for r in got if not (r["signature_ok"] and r["fresh"] and r["body_event_id"] == r["event_id"])]
print(f"{len(queued)} queued, {len(got)} requests, {len(missing)} missing, {len(unknown)} unknown, {len(bad)} badly signed")
sys.exit(1 if missing or unknown or bad or len(queued) != len(set(queued)) else 0)
PY
seen_killed=$(grep -c "\"event_id\": \"$killed\"" "$TMP/recv.jsonl")
check "the event cut off by the kill was sent again (the receiver saw it $seen_killed times)" \
	test "$seen_killed" -ge 2
# The answer the killed server never read is in no attempt log.
lost_500=$(grep '"held": true' "$TMP/recv.jsonl" | grep -c '"answer": 500')
expect "… its row counts the lost attempt: attempts = attempt log + 1" \
	"$(sql "SELECT attempts - (SELECT count(*) FROM outbox_attempts a WHERE a.outbox_id = o.id)
		FROM outbox o WHERE event_id = '$killed'")" "1"
expect "no event was answered 200 twice but the one cut off (one claim at a time)" \
	"$(python3 -c 'import collections, json, sys
c = collections.Counter(json.loads(l)["event_id"] for l in open(sys.argv[1]) if "\"answer\": 200" in l)
print(sorted(e for e, n in c.items() if n > 1 and e != sys.argv[2]))' "$TMP/recv.jsonl" "$killed")" "[]"
failed_once=$(grep -c '"answer": 500' "$TMP/recv.jsonl")
check "some events failed once and were retried ($failed_once)" test "$failed_once" -gt 0
expect "every 500 answer the servers read is in the attempt log" \
	"$(sql "SELECT count(*) FROM outbox_attempts WHERE http_status = 500")" "$((failed_once - lost_500))"
expect "no attempt went wrong otherwise" \
	"$(sql "SELECT count(*) FROM outbox_attempts WHERE error IS NOT NULL AND (http_status IS NULL OR http_status <> 500)")" "0"
out=$(api GET "/api/outbox/deliveries?channel_id=$CHANNEL&status=delivered&per_page=100")
expect "the log lists every delivery" \
	"$(echo "$out" | head -n 1 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')" "$EVENTS"

summary
[ "$failed" -eq 0 ]
