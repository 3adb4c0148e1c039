#!/usr/bin/env bash
# Moving a station between stores with nothing lost: a demo station in SQLite
# is exported, imported into PostgreSQL, exported again and compared table by
# table, served from PostgreSQL (sign-in, unmask of encrypted ID numbers, new
# rows), and taken back into a new SQLite file. Damaged files, a wrong key file
# and non-empty targets are refused and change nothing.
# Usage: test_export.sh PATH/TO/fengqiao
#   With FQ_TEST_PG_URL set, uses that PostgreSQL server (creates its own
#   databases there and drops them); otherwise a throwaway cluster
#   (tools/pg-throwaway.sh). Needs psql, curl and python3.
set -u
FQ=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
SERVER_PID=
PG_DIR=
ADMIN_URL=
DBS=()
passed=0
failed=0

cleanup() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	if [ -n "${FQ_TEST_PG_URL:-}" ]; then
		for d in "${DBS[@]}"; do
			psql -qX "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1
		done
	fi
	[ -n "$PG_DIR" ] && "$ROOT/tools/pg-throwaway.sh" stop "$PG_DIR"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { # check NAME COMMAND…: passes when the command succeeds
	local name=$1
	shift
	if "$@" >"$TMP/out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/     /' "$TMP/out" | tail -n 20; fi
}
finish() {
	echo "export: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# --- PostgreSQL -------------------------------------------------------------
if [ -n "${FQ_TEST_PG_URL:-}" ]; then
	ADMIN_URL=$FQ_TEST_PG_URL
else
	ADMIN_URL=$("$ROOT/tools/pg-throwaway.sh" start 2>"$TMP/pg.err")
	PG_DIR=$(printf '%s' "$ADMIN_URL" | sed -n 's/.*host=\(\/tmp\/fq-pg\.[^&]*\).*/\1/p')
	if [ -z "$PG_DIR" ]; then
		bad "throwaway PostgreSQL starts"
		cat "$TMP/pg.err"
		finish
	fi
fi
if psql -qXtA "$ADMIN_URL" -c 'SELECT 1' >/dev/null 2>"$TMP/pg.err"; then
	ok "PostgreSQL answers"
else
	bad "PostgreSQL answers"
	cat "$TMP/pg.err"
	finish
fi

# new_db VAR NAME: creates a database and puts its store URL in VAR.
new_db() {
	local name="fqexp_$$_$2"
	psql -qX "$ADMIN_URL" -c "CREATE DATABASE \"$name\"" >/dev/null || return 1
	DBS+=("$name")
	printf -v "$1" '%s' "$(python3 -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(f"{p.scheme}://{p.netloc}/{sys.argv[2]}" + (f"?{p.query}" if p.query else ""))' "$ADMIN_URL" "$name")"
}

TABLES="meta org_units users sessions api_tokens login_attempts login_name_failures audit_log addresses persons person_events"
# Derived tables (derived[] in src/store/dump.c) are not exported: import
# rebuilds them. The full-text index is search_docs, and on SQLite the FTS5
# table search_index with its shadow tables search_index_*; the live board's
# counters are board_versions.
DERIVED_LIKE="search_%"
DERIVED_NAMES="'board_versions'"

# pg_fingerprint URL: every data table's row count and a digest of its rows.
pg_fingerprint() {
	for t in $TABLES; do
		psql -XqtA "$1" -c "SELECT '$t', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM $t x" || return 1
	done
}
# pg_empty URL: the schema is there and every data table is empty.
pg_empty() {
	local total=0 n
	for t in $TABLES; do
		n=$(psql -XqtA "$1" -c "SELECT count(*) FROM $t") || return 1
		total=$((total + n))
	done
	[ "$total" -eq 0 ]
}

# compare.py A B [ACTION…]: the two exports hold the same rows, table by
# table (columns, row lines, count and sha256), except that B's audit log may
# go on after A's with entries of exactly the given actions. Each file's
# sha256 are also recomputed from its row lines.
cat >"$TMP/compare.py" <<'EOF'
import hashlib, json, sys

def load(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[-1] == "", "no final line end"
    head = json.loads(lines[0])
    assert head["format"] == "fengqiao-export", "not an export"
    order, tables, cur, ended = [], {}, None, False
    for line in lines[1:-1]:
        o = json.loads(line)
        if isinstance(o, list):
            tables[cur]["rows"].append(line)
        elif "table" in o:
            cur = o["table"]
            order.append(cur)
            tables[cur] = {"columns": o["columns"], "rows": []}
        elif o.get("end") == "fengqiao-export":
            ended = o["tables"] == len(order)
        else:
            assert o["end"] == cur, "trailer of another table"
            tables[cur]["trailer"] = o
    assert ended, "no end line"
    for t, v in tables.items():
        sha = hashlib.sha256("".join(r + "\n" for r in v["rows"]).encode()).hexdigest()
        assert v["trailer"]["sha256"] == sha, f"{path}: {t}: sha256 does not match its rows"
        assert v["trailer"]["rows"] == len(v["rows"]), f"{path}: {t}: row count"
    return order, tables

a, b, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
oa, ta = load(a)
ob, tb = load(b)
problems = []
if oa != ob:
    problems.append(f"tables differ: {oa} / {ob}")
for t in oa:
    A, B = ta[t], tb.get(t)
    if B is None:
        continue
    if A["columns"] != B["columns"]:
        problems.append(f"{t}: columns differ")
        continue
    if t == "audit_log":
        n = len(A["rows"])
        if B["rows"][:n] != A["rows"]:
            problems.append(f"audit_log: the first {n} entries differ")
        col = A["columns"].index("action")
        got = [json.loads(r)[col] for r in B["rows"][n:]]
        if got != extra:
            problems.append(f"audit_log: entries after the copied ones are {got}, expected {extra}")
        print(f"  {t:16} {len(A['rows']):6} + {len(got)} ({', '.join(got) or 'none'})")
    else:
        same = A["rows"] == B["rows"] and A["trailer"] == B["trailer"]
        if not same:
            problems.append(f"{t}: rows {A['trailer']['rows']}/{B['trailer']['rows']}, "
                            f"sha256 {A['trailer']['sha256'][:16]}/{B['trailer']['sha256'][:16]}")
        print(f"  {t:16} {len(A['rows']):6}   {A['trailer']['sha256'][:16]} {'same' if same else 'DIFFERENT'}")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
EOF
compare() { python3 "$TMP/compare.py" "$@"; }

# serve URL: starts the server on a store and waits for it.
serve() {
	"$FQ" serve --store "$1" --key_file "$KEY" --listen "127.0.0.1:$PORT" --web_root "$TMP/noweb" \
		>>"$TMP/serve.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 100); do
		curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
stop_server() {
	kill -TERM "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}
API="http://127.0.0.1:$PORT/api"
# sign_in: a demo officer's session in $TMP/jar; prints the CSRF token.
sign_in() {
	rm -f "$TMP/jar"
	curl -sf -c "$TMP/jar" -H 'Content-Type: application/json' \
		-d '{"username":"demo.officer","password":"Demo@2026"}' "$API/session" |
		python3 -c 'import sys, json; print(json.load(sys.stdin)["csrf_token"])' 2>/dev/null
}
# unmask ID CSRF: the clear ID number and phone of person ID, as JSON.
unmask() {
	curl -sf -b "$TMP/jar" -X POST -H "X-CSRF-Token: $2" "$API/persons/$1/unmask"
}
# person_id NAME: the id of the first person found by name.
person_id() {
	curl -sf -b "$TMP/jar" -G --data-urlencode "q=$1" "$API/persons" |
		python3 -c 'import sys, json; print(json.load(sys.stdin)["items"][0]["id"])' 2>/dev/null
}

# --- the station on the laptop (SQLite) --------------------------------------
mkdir -p "$TMP/laptop" "$TMP/back"
LAPTOP="sqlite:$TMP/laptop/station.db"
KEY="$TMP/laptop/station.db.key"
SCHEMA=$("$FQ" version | sed -n 's/.*(schema \([0-9]*\)).*/\1/p')
check "init" "$FQ" init --store "$LAPTOP"
check "demo station" "$FQ" demo --store "$LAPTOP"
check "user add" bash -c "printf 'Passw0rd!x\n' | '$FQ' user add move.test --role officer --org 500112001 --store '$LAPTOP'"
TOKEN=$("$FQ" token create demo.officer --scopes person.read,person.write,person.unmask --store "$LAPTOP" 2>/dev/null)
if [ "${TOKEN#fqt_}" != "$TOKEN" ]; then ok "token create"; else bad "token create"; fi

# Through the server: a session, a login attempt, a person with a known ID
# number and phone, and the clear values of a demo resident.
ID_NUMBER=11010519491231002X
if serve "$LAPTOP"; then ok "server on SQLite starts"; else bad "server on SQLite starts"; fi
CSRF=$(sign_in)
[ -n "$CSRF" ] && ok "demo officer signs in on SQLite" || bad "demo officer signs in on SQLite"
check "person with a known ID number added" bash -c "curl -sf -b '$TMP/jar' -H 'X-CSRF-Token: $CSRF' -H 'Content-Type: application/json' -d '{\"name\":\"迁移测试\",\"doc_type\":\"id_card\",\"id_number\":\"$ID_NUMBER\",\"phone\":\"13800138000\"}' '$API/persons' | grep -q '\"id\"'"
unmask 1 "$CSRF" >"$TMP/unmask.sqlite" 2>/dev/null
check "demo resident unmasks on SQLite" grep -q '"id_number"' "$TMP/unmask.sqlite"
# An incident to find by full-text search after each import.
SEARCH_Q='q=%E5%80%9F%E6%9D%A1' # 借条
# search_finds: the incident registered on the laptop is found by a word of its narrative.
search_finds() {
	curl -sf -b "$TMP/jar" "$API/incidents?$SEARCH_Q" | grep -q '迁移借条测试'
}
check "incident registered on SQLite" bash -c "curl -sf -b '$TMP/jar' -H 'X-CSRF-Token: $CSRF' -H 'Content-Type: application/json' -d '{\"channel\":\"phone\",\"category\":\"dispute\",\"narrative\":\"迁移借条测试：借条丢失\"}' '$API/incidents' | grep -q '\"id\"'"
check "search finds it on SQLite" search_finds
stop_server

# --- export from SQLite ---------------------------------------------------------
E1="$TMP/laptop.export"
check "export from SQLite" bash -c "'$FQ' export '$E1' --store '$LAPTOP' >'$TMP/export1.out' 2>&1 || { cat '$TMP/export1.out'; exit 1; }"
check "export prints a summary" bash -c "'$FQ' export '$TMP/again.export' --store '$LAPTOP' | grep -Eq '^persons +[1-9][0-9]*  [0-9a-f]{16}$'"
check "export refuses to overwrite a file" bash -c "out=\$('$FQ' export '$E1' --store '$LAPTOP' 2>&1); [ \$? -ne 0 ] && echo \"\$out\" | grep -q 'exists already'"
check "export file is owner-only (mode 600)" bash -c "[ \$(stat -c %a '$E1') = 600 ]"
check "export names every table but schema_migrations" bash -c "
	diff <(sqlite3 '$TMP/laptop/station.db' \"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' AND name NOT LIKE '$DERIVED_LIKE' AND name NOT IN ($DERIVED_NAMES) ORDER BY name\") \
	     <(grep -o '^{\"table\":\"[a-z_]*\"' '$E1' | cut -d'\"' -f4 | sort)"
check "export is audited on the source" bash -c "sqlite3 '$TMP/laptop/station.db' \"SELECT action FROM audit_log ORDER BY id DESC LIMIT 1\" | grep -qx system.export"

# --- into PostgreSQL -------------------------------------------------------------
new_db CITY city || bad "create database city"
check "import into PostgreSQL" bash -c "'$FQ' import '$E1' --store '$CITY' --key_file '$KEY' >'$TMP/import.out' 2>&1 || { cat '$TMP/import.out'; exit 1; }"
SUMMARY='^[a-z_]+ +[0-9]+  [0-9a-f]{16}$'
check "import printed the export's summary" bash -c "grep -Eq '$SUMMARY' '$TMP/import.out' && diff <(grep -E '$SUMMARY' '$TMP/export1.out') <(grep -E '$SUMMARY' '$TMP/import.out')"
E2="$TMP/city.export"
check "export from PostgreSQL" "$FQ" export "$E2" --store "$CITY" --key_file "$KEY"
check "SQLite and PostgreSQL exports hold the same rows" compare "$E1" "$E2" system.import
check "PostgreSQL has no table the export lacks" bash -c "
	diff <(psql -XqtA '$CITY' -c \"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations' AND table_name NOT LIKE '$DERIVED_LIKE' AND table_name NOT IN ($DERIVED_NAMES) ORDER BY 1\") \
	     <(grep -o '^{\"table\":\"[a-z_]*\"' '$E2' | cut -d'\"' -f4 | sort)"
check "audit verify on PostgreSQL" bash -c "'$FQ' audit verify --store '$CITY' --key_file '$KEY' | grep -q 'audit chain whole'"

if serve "$CITY"; then ok "server on PostgreSQL starts"; else bad "server on PostgreSQL starts"; cat "$TMP/serve.log"; fi
CSRF=$(sign_in)
[ -n "$CSRF" ] && ok "demo officer signs in on PostgreSQL" || bad "demo officer signs in on PostgreSQL"
PID=$(person_id 迁移测试)
check "unmask on PostgreSQL returns the clear ID number" bash -c "curl -sf -b '$TMP/jar' -X POST -H 'X-CSRF-Token: $CSRF' '$API/persons/$PID/unmask' | grep -q '\"id_number\":\"$ID_NUMBER\"'"
check "search finds the incident on PostgreSQL (import rebuilt the index)" search_finds
check "a demo resident unmasks as on SQLite" bash -c "[ \"\$(curl -sf -b '$TMP/jar' -X POST -H 'X-CSRF-Token: $CSRF' '$API/persons/1/unmask')\" = \"\$(cat '$TMP/unmask.sqlite')\" ]"
check "API token from SQLite works on PostgreSQL" bash -c "curl -sf -H 'Authorization: Bearer $TOKEN' '$API/persons?q=迁移测试' | grep -q '迁移测试'"
NEXT=$(($(psql -XqtA "$CITY" -c 'SELECT max(id) FROM persons') + 1))
check "new person on PostgreSQL gets the next id" bash -c "curl -sf -b '$TMP/jar' -H 'X-CSRF-Token: $CSRF' -H 'Content-Type: application/json' -d '{\"name\":\"新登记\",\"doc_type\":\"passport\",\"id_number\":\"E99887766\"}' '$API/persons' | grep -q '\"id\":$NEXT'"
stop_server

# --- refusals on PostgreSQL -----------------------------------------------------
pg_fingerprint "$CITY" >"$TMP/city.before"
check "import into a non-empty store is refused" bash -c "out=\$('$FQ' import '$E1' --store '$CITY' --key_file '$KEY' 2>&1); [ \$? -ne 0 ] && echo \"\$out\" | grep -q 'the target store is not empty: table meta has 1 row'"
pg_fingerprint "$CITY" >"$TMP/city.after"
check "… and changes nothing" cmp "$TMP/city.before" "$TMP/city.after"

new_db EMPTY empty || bad "create database empty"
# refused NAME FILE PATTERN [KEY]: the import fails with PATTERN and the target stays empty.
refused() {
	local name=$1 file=$2 pattern=$3 key=${4:-$KEY}
	check "$name is refused" bash -c "out=\$('$FQ' import '$file' --store '$EMPTY' --key_file '$key' 2>&1); rc=\$?; echo \"\$out\"; [ \$rc -ne 0 ] && echo \"\$out\" | grep -q -- \"$pattern\""
	check "… and leaves the target empty" pg_empty "$EMPTY"
}
head -c $(($(stat -c %s "$E1") / 2)) "$E1" >"$TMP/cut.export"
refused "a file cut in the middle of a line" "$TMP/cut.export" 'the last line is cut off'
head -n -1 "$E1" >"$TMP/noend.export"
refused "a file without its end line" "$TMP/noend.export" 'before its end line: the file is truncated'
LINE=$(grep -n '"迁移测试"' "$E1" | cut -d: -f1)
sed "${LINE}s/迁移测试/迁移测验/" "$E1" >"$TMP/changed.export"
refused "a changed row" "$TMP/changed.export" 'table persons: the rows do not match their sha256'
sed '3s/"b64":"/"b64":"%/' "$E1" >"$TMP/b64.export"
refused "bad base64" "$TMP/b64.export" 'b64.export:3: table meta, column value: bad base64'
LINE=$(grep -n '"迁移测试"' "$E1" | cut -d: -f1)
sed "${LINE}s/,\"迁移测试\"//" "$E1" >"$TMP/columns.export"
refused "a wrong column count" "$TMP/columns.export" "columns.export:$LINE: table persons: expected 17 values, found 16"
sed 's/^{"table":"sessions",/{"table":"meetings",/' "$E1" >"$TMP/table.export"
refused "an unknown table" "$TMP/table.export" "unknown table 'meetings'"
{ head -n 2 "$E1"; printf '["'; head -c $((65 << 20)) /dev/zero | tr '\0' x; printf '"]\n'; } >"$TMP/long.export"
refused "a line longer than 64 MiB" "$TMP/long.export" 'long.export:3: the line is longer than 64 MiB'
rm -f "$TMP/long.export"
sed "1s/\"schema\":$SCHEMA/\"schema\":999/" "$E1" >"$TMP/schema.export"
refused "another schema version" "$TMP/schema.export" "schema version 999 but the target store is at schema version $SCHEMA"
"$FQ" init --store "sqlite:$TMP/other.db" >/dev/null 2>&1
refused "another station's key file" "$E1" 'does not belong to the exported station' "$TMP/other.db.key"
check "the refused imports wrote no audit entry" bash -c "[ \$(psql -XqtA '$EMPTY' -c 'SELECT count(*) FROM audit_log') = 0 ]"

# --- and back into SQLite ----------------------------------------------------------
E3="$TMP/city2.export"
check "export from PostgreSQL after serving" "$FQ" export "$E3" --store "$CITY" --key_file "$KEY"
BACK="sqlite:$TMP/back/station.db"
check "import into a new SQLite file" "$FQ" import "$E3" --store "$BACK" --key_file "$KEY"
E4="$TMP/back.export"
check "export from the new SQLite file" "$FQ" export "$E4" --store "$BACK" --key_file "$KEY"
check "PostgreSQL and SQLite exports hold the same rows" compare "$E3" "$E4" system.import
check "audit verify on the new SQLite file" bash -c "'$FQ' audit verify --store '$BACK' --key_file '$KEY' | grep -q 'audit chain whole'"
check "SQLite integrity and foreign keys" bash -c "[ \"\$(sqlite3 '$TMP/back/station.db' 'PRAGMA integrity_check; PRAGMA foreign_key_check')\" = ok ]"
cp "$KEY" "$TMP/back/station.db.key"
if serve "$BACK"; then ok "server on the new SQLite file starts"; else bad "server on the new SQLite file starts"; fi
CSRF=$(sign_in)
PID=$(person_id 迁移测试)
check "unmask on the new SQLite file returns the clear ID number" bash -c "curl -sf -b '$TMP/jar' -X POST -H 'X-CSRF-Token: $CSRF' '$API/persons/$PID/unmask' | grep -q '\"id_number\":\"$ID_NUMBER\"'"
check "search finds the incident on the new SQLite file (import rebuilt the index)" search_finds
stop_server

finish
