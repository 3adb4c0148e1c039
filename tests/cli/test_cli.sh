#!/usr/bin/env bash
# The fengqiao binary as an operator uses it: flags, settings, init, users,
# tokens, keep-alive, graceful shutdown, and backup/restore while serving.
# Usage: test_cli.sh PATH/TO/fengqiao
set -u
FQ=$(realpath "$1")
TMP=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
SERVER_PID=
passed=0
failed=0

cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { # check NAME COMMAND…: passes when the command succeeds
	local name=$1
	shift
	if "$@" >"$TMP/out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/     /' "$TMP/out" | tail -n 20; fi
}

STORE="sqlite:$TMP/fq.db"

start_server() {
	"$FQ" serve --store "$STORE" --listen "127.0.0.1:$PORT" --web_root "$TMP/noweb" \
		>"$TMP/serve.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 100); do
		curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# --- flags and settings -------------------------------------------------
check "unknown command exits 2 with usage" bash -c "out=\$('$FQ' frobnicate 2>&1); [ \$? -eq 2 ] && echo \"\$out\" | grep -q \"unknown command 'frobnicate'\" && echo \"\$out\" | grep -q '^usage:'"
check "unknown flag is named and exits non-zero" bash -c "out=\$('$FQ' serve --frob 1 2>&1); rc=\$?; [ \$rc -ne 0 ] && echo \"\$out\" | grep -q 'unknown flag --frob'"
check "out-of-range setting is named" bash -c "out=\$('$FQ' serve --threads 0 2>&1); [ \$? -ne 0 ] && echo \"\$out\" | grep -q \"setting 'threads'\""
check "environment setting is checked" bash -c "out=\$(FENGQIAO_MAX_BODY=abc '$FQ' serve 2>&1); [ \$? -ne 0 ] && echo \"\$out\" | grep -q FENGQIAO_MAX_BODY"
printf 'listen = 127.0.0.1:1\nbogus = 3\n' >"$TMP/bad.conf"
check "config file: unknown key names file and line" bash -c "out=\$('$FQ' serve --config '$TMP/bad.conf' 2>&1); [ \$? -ne 0 ] && echo \"\$out\" | grep -q 'bad.conf:2'"
check "version prints" bash -c "'$FQ' version | grep -q '^fengqiao '"

# --- COMMAND --help, for every command and subcommand ----------------------
# The commands are the lines under "commands:" of 'fengqiao --help'; the
# subcommands, the lower-case first words of a command's usage lines.
check "--help lists the commands" bash -c "'$FQ' --help | grep -q '^commands:'"
COMMANDS=$("$FQ" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
check "--help lists at least ten commands" bash -c "[ $(echo "$COMMANDS" | wc -w) -ge 10 ]"
for cmd in $COMMANDS; do
	check "$cmd --help prints its usage (exit 0)" bash -c "out=\$('$FQ' $cmd --help 2>&1) && echo \"\$out\" | grep -q '^usage: fengqiao $cmd\b'"
	subs=$("$FQ" "$cmd" --help 2>/dev/null | sed -n "s/^ *\(usage\|or\): fengqiao $cmd \([a-z][a-z-]*\)\( .*\)\{0,1\}\$/\2/p")
	for sub in $subs; do
		check "$cmd $sub --help prints its usage (exit 0)" bash -c "out=\$('$FQ' $cmd $sub --help 2>&1) && echo \"\$out\" | grep -q '^usage: fengqiao $cmd $sub\b' && ! echo \"\$out\" | grep -q '^   or:'"
	done
done
check "token create --help names --scopes" bash -c "'$FQ' token create --help | grep -q -- '--scopes VALUE'"
check "help COMMAND equals COMMAND --help" bash -c "diff <('$FQ' help user) <('$FQ' user --help)"
check "a wrong call prints the command's usage (exit 2)" bash -c "out=\$('$FQ' token 2>&1); [ \$? -eq 2 ] && echo \"\$out\" | grep -q '^usage: fengqiao token create'"

# --- init, users, tokens ------------------------------------------------
check "init creates database, key and admin" bash -c "'$FQ' init --store '$STORE' > '$TMP/init.out' && grep -q 'password: ' '$TMP/init.out'"
check "key file is mode 600" bash -c "[ \$(stat -c %a '$TMP/fq.db.key') = 600 ]"
check "init twice does not create a second admin" bash -c "'$FQ' init --store '$STORE' | grep -q 'already initialised'"
check "user add reads the password from stdin" bash -c "printf 'Passw0rd!x\n' | '$FQ' user add off.one --role officer --org root --store '$STORE'"
check "user add refuses a weak password" bash -c "! printf 'weak\n' | '$FQ' user add off.two --role officer --org root --store '$STORE' 2>/dev/null"
check "user add refuses an unknown org code" bash -c "out=\$(printf 'Passw0rd!x\n' | '$FQ' user add off.three --role officer --org nope --store '$STORE' 2>&1); [ \$? -ne 0 ] && echo \"\$out\" | grep -q \"code 'nope'\""
check "token create prints a token once" bash -c "'$FQ' token create off.one --scopes person.read,person.write --store '$STORE' 2>/dev/null | grep -q '^fqt_'"
check "token create refuses a scope the role lacks" bash -c "! '$FQ' token create off.one --scopes audit.read --store '$STORE' 2>/dev/null"

# --- the server -----------------------------------------------------------
if start_server; then ok "server starts"; else bad "server starts"; cat "$TMP/serve.log"; fi
TOKEN=$("$FQ" token create off.one --scopes person.read,person.write,person.unmask --store "$STORE" 2>/dev/null)
check "healthz answers" bash -c "curl -sf http://127.0.0.1:$PORT/healthz | grep -q '\"status\":\"ok\"'"
check "keep-alive survives two requests" bash -c "curl -sv http://127.0.0.1:$PORT/healthz http://127.0.0.1:$PORT/healthz 2>&1 | grep -qi 're-using existing connection'"
check "keep-alive survives a POST" bash -c "curl -sv -H 'Authorization: Bearer $TOKEN' -H 'Content-Type: application/json' -d '{\"name\":\"甲\",\"doc_type\":\"passport\",\"id_number\":\"E12345678\"}' http://127.0.0.1:$PORT/api/persons http://127.0.0.1:$PORT/healthz 2>&1 | grep -qi 're-using existing connection'"
check "bearer token creates a person" bash -c "curl -sf -H 'Authorization: Bearer $TOKEN' -H 'Content-Type: application/json' -d '{\"name\":\"测试\",\"doc_type\":\"id_card\",\"id_number\":\"11010519491231002X\"}' http://127.0.0.1:$PORT/api/persons | grep -q '110105\*\*\*\*\*\*\*\*002X'"
check "oversize body gets 413" bash -c "head -c 2000000 /dev/zero | tr '\0' 'a' > '$TMP/big'; [ \$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $TOKEN' -H 'Content-Type: application/json' --data-binary @'$TMP/big' http://127.0.0.1:$PORT/api/persons) = 413 ]"
check "metrics count requests by route" bash -c "curl -sf http://127.0.0.1:$PORT/metrics | grep -q 'fengqiao_requests_total{method=\"POST\",route=\"/api/persons\",status=\"201\"}'"
check "openapi document is served" bash -c "curl -sf http://127.0.0.1:$PORT/api/openapi.json | python3 -m json.tool >/dev/null"
check "static files without the app built say how to build it" bash -c "curl -s http://127.0.0.1:$PORT/ | grep -q 'make web'"
check "path traversal is refused" bash -c "[ \$(curl -s --path-as-is -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/../../etc/passwd) = 404 ]"
check "the CSP admits images from this server only, without a map setting" bash -c "curl -sI http://127.0.0.1:$PORT/healthz | grep -qi \"^content-security-policy: default-src 'self'; img-src 'self' data:;\""
# The map's tile host joins the CSP; a tile address without {z} {x} {y} stops the start.
check "a tile address without {z}, {x}, {y} is refused at start" bash -c "out=\$('$FQ' serve --store '$STORE' --listen 127.0.0.1:$((PORT + 1)) --map_tile_url 'https://tiles.example.cn/a.png' 2>&1); [ \$? -ne 0 ] && echo \"\$out\" | grep -q 'map_tile_url'"
"$FQ" serve --store "$STORE" --listen "127.0.0.1:$((PORT + 2))" --web_root "$TMP/noweb" \
	--map_tile_url 'https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k' >"$TMP/serve2.log" 2>&1 &
MAP_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$((PORT + 2))/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
check "the tile host joins the CSP's images, {s} as a wildcard" bash -c "curl -sI http://127.0.0.1:$((PORT + 2))/healthz | grep -qi \"img-src 'self' data: https://\\*.tianditu.gov.cn;\""
kill "$MAP_PID" 2>/dev/null; wait "$MAP_PID" 2>/dev/null

# Backup while writes go on, then restore into a new place and verify.
(for i in $(seq 1 40); do
	curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		-d "{\"name\":\"人$i\",\"doc_type\":\"passport\",\"id_number\":\"P$((1000000 + i))\"}" \
		"http://127.0.0.1:$PORT/api/persons"
done) &
WRITER=$!
check "backup runs while the server writes" "$FQ" backup "$TMP/backup.db" --store "$STORE"
wait $WRITER
mkdir -p "$TMP/restore"
cp "$TMP/backup.db" "$TMP/restore/fq.db"
cp "$TMP/fq.db.key" "$TMP/restore/fq.db.key"
check "restored copy: audit chain whole" "$FQ" audit verify --store "sqlite:$TMP/restore/fq.db"
check "restored copy: integrity ok" bash -c "[ \"\$(sqlite3 '$TMP/restore/fq.db' 'PRAGMA integrity_check')\" = ok ]"
RPORT=$((PORT + 1))
"$FQ" serve --store "sqlite:$TMP/restore/fq.db" --listen "127.0.0.1:$RPORT" >"$TMP/restore.log" 2>&1 &
RPID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$RPORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
check "restored copy: encrypted ID number decrypts" bash -c "id=\$(curl -sf -H 'Authorization: Bearer $TOKEN' 'http://127.0.0.1:$RPORT/api/persons?q=测试' | python3 -c 'import sys,json; print(json.load(sys.stdin)[\"items\"][0][\"id\"])') && curl -sf -X POST -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$RPORT/api/persons/\$id/unmask | grep -q 11010519491231002X"
kill -TERM $RPID; wait $RPID
check "backup refuses to overwrite" bash -c "! '$FQ' backup '$TMP/backup.db' --store '$STORE' 2>/dev/null"

# Graceful stop: a request in flight finishes, the process exits 0.
kill -TERM "$SERVER_PID"
if wait "$SERVER_PID"; then ok "SIGTERM stops cleanly (exit 0)"; else bad "SIGTERM stops cleanly (exit 0)"; fi
SERVER_PID=
check "server logged its stop" grep -q 'stopped' "$TMP/serve.log"
check "database is consistent after stop" "$FQ" audit verify --store "$STORE"
check "tampering is detected by audit verify" bash -c "sqlite3 '$TMP/fq.db' \"UPDATE audit_log SET detail='x' WHERE id=2\"; out=\$('$FQ' audit verify --store '$STORE'); [ \$? -eq 3 ] && echo \"\$out\" | grep -q 'BROKEN at entry 2'"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
