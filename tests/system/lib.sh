# Shared by the system tests (sourced, not run): several `fengqiao serve`
# processes on one PostgreSQL database.
#
# The database: with FQ_TEST_PG_URL (a postgresql:// URL of a server where this
# user may CREATE DATABASE and DROP DATABASE) a new database fq_sys_<random> is
# made there and dropped at the end; otherwise tools/pg-throwaway.sh starts a
# private cluster on a Unix socket and removes it at the end.
#
# Everything started here is stopped by the EXIT trap: servers (by PID), the
# load script, the cluster or database, the temporary folder. Every external
# command has a time limit, and a watchdog ends the whole test after
# SYS_TIME_LIMIT seconds (default 170), so nothing can hang. SYS_KEEP=1 keeps
# the temporary folder (server logs, load results) for a look afterwards.

set -u
[ $# -ge 1 ] && [ -x "$1" ] || { echo "usage: $0 PATH/TO/fengqiao" >&2; exit 2; }
FQ=$(realpath "$1")
SYS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SYS_DIR/../.." && pwd)
LOAD="$SYS_DIR/load.py"
TMP=$(mktemp -d /tmp/fq-sys.XXXXXX)
KEY="$TMP/fengqiao.key"
PASSWORD='Passw0rd!sys'
passed=0
failed=0
PG_DIR=           # the throwaway cluster's folder, when we started one
ADMIN_URL=        # FQ_TEST_PG_URL, when given
DB_NAME=          # the database we created on it
STORE=            # the store URL every fengqiao command uses
declare -A SERVER_PID=() SERVER_PORT=()
BG_PIDS=()        # other background jobs (load script)
WATCHDOG=

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	for name in "${!SERVER_PID[@]}"; do
		kill -KILL "${SERVER_PID[$name]}" 2>/dev/null
		wait "${SERVER_PID[$name]}" 2>/dev/null
	done
	for pid in "${BG_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ -n "$DB_NAME" ]; then
		timeout 30 psql "$ADMIN_URL" -XAtq -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 ||
			echo "warning: could not drop database $DB_NAME" >&2
	fi
	[ -n "$PG_DIR" ] && timeout 60 "$ROOT/tools/pg-throwaway.sh" stop "$PG_DIR"
	[ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null && wait "$WATCHDOG" 2>/dev/null
	if [ -n "${SYS_KEEP:-}" ]; then
		echo "kept $TMP (server logs, load results)"
	else
		rm -rf "$TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# A private copy: the binary under test cannot change while the test runs.
cp "$FQ" "$TMP/fengqiao" || exit 1
FQ="$TMP/fengqiao"

# The watchdog: SIGTERM to this shell ends it through the trap above.
(
	trap 'kill "$sp" 2>/dev/null; exit 0' TERM
	sleep "${SYS_TIME_LIMIT:-170}" &
	sp=$!
	wait "$sp" && { echo "time limit reached: stopping" >&2; kill -TERM $$; }
) 2>/dev/null &
WATCHDOG=$!

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
# expect NAME GOT WANT: passes when the two strings are equal.
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1"; echo "     got '$2', want '$3'"; fi
}
# check NAME COMMAND…: passes when the command succeeds; shows its output otherwise.
check() {
	local name=$1
	shift
	if "$@" >"$TMP/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/     /' "$TMP/check.out" | tail -n 20; fi
}
# Ends the test early when a step everything else depends on fails.
need() { # need WHAT COMMAND…
	local what=$1
	shift
	if ! "$@" >"$TMP/need.out" 2>&1; then
		bad "$what"
		sed 's/^/     /' "$TMP/need.out" | tail -n 20
		summary
		exit 1
	fi
	ok "$what"
}

# One query on the test database: unaligned, tuples only.
q() { timeout 30 psql "$STORE" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }

fq() { timeout 60 "$FQ" "$@" --store "$STORE" --key_file "$KEY"; }

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Makes the database and sets STORE.
setup_database() {
	if [ -n "${FQ_TEST_PG_URL:-}" ]; then
		ADMIN_URL=$FQ_TEST_PG_URL
		case "$ADMIN_URL" in postgresql://*) ;; *)
			echo "FQ_TEST_PG_URL must be a postgresql:// URL" >&2; return 1 ;;
		esac
		local name
		name="fq_sys_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
		timeout 30 psql "$ADMIN_URL" -XAtq -v ON_ERROR_STOP=1 \
			-c "CREATE DATABASE $name ENCODING 'UTF8' TEMPLATE template0" || return 1
		DB_NAME=$name
		# The same URL with the database (the path) replaced.
		STORE=$(python3 -c 'import re, sys; print(re.sub(r"^(postgresql://[^/?]*)(/[^?]*)?", lambda m: m.group(1) + "/" + sys.argv[2], sys.argv[1], count=1))' "$ADMIN_URL" "$name")
	else
		STORE=$(timeout 90 "$ROOT/tools/pg-throwaway.sh" start) || return 1
		PG_DIR=$(printf '%s\n' "$STORE" | sed -n 's/.*[?&]host=\([^&]*\).*/\1/p')
	fi
	echo "store: $STORE"
}

# init, an officer in the root org, and a bearer token in $TOKEN.
setup_fengqiao() {
	fq init >"$TMP/init.out" 2>&1 || { cat "$TMP/init.out"; return 1; }
	printf '%s\n' "$PASSWORD" | fq user add off.one --role officer --org root >/dev/null || return 1
	TOKEN=$(fq token create off.one --scopes person.read,person.write,person.unmask) || return 1
	case "$TOKEN" in fqt_*) ;; *) echo "token create printed '$TOKEN'"; return 1 ;; esac
}

# start_server NAME [PORT]: a `fengqiao serve` on 127.0.0.1, in the background
# (the browser app from $WEB_ROOT when set).
start_server() {
	local name=$1 port=${2:-$(free_port)}
	SERVER_PORT[$name]=$port
	"$FQ" serve --store "$STORE" --key_file "$KEY" --listen "127.0.0.1:$port" \
		--access_log false --threads 4 --web_root "${WEB_ROOT:-$TMP/noweb}" >>"$TMP/serve-$name.log" 2>&1 &
	SERVER_PID[$name]=$!
}

# wait_server NAME: until /healthz answers (10 s at most).
wait_server() {
	local name=$1
	for _ in $(seq 1 100); do
		curl -sf -m 2 "http://127.0.0.1:${SERVER_PORT[$name]}/healthz" >/dev/null 2>&1 && return 0
		kill -0 "${SERVER_PID[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	echo "server $name did not come up; its log:"
	tail -n 20 "$TMP/serve-$name.log"
	return 1
}

url() { echo "http://127.0.0.1:${SERVER_PORT[$1]}"; }

# The audit log's chains (src/audit/audit.c): verify says whole, each chain
# is numbered 1..N without gaps, and no two entries link to the same
# predecessor (a fork; each chain starts from a genesis of its own).
check_audit_chain() {
	local out n max fork
	out=$(fq audit verify 2>&1)
	if [ $? -eq 0 ] && echo "$out" | grep -q '^audit chain whole'; then
		ok "audit verify: chain whole ($(echo "$out" | grep -o '[0-9]* entries'))"
	else
		bad "audit verify: chain whole"
		echo "     $out"
	fi
	n=$(q "SELECT count(*) FROM (SELECT chain, max(seq) AS m, count(*) AS c FROM audit_log
		GROUP BY chain) AS chains WHERE m <> c")
	expect "audit log: no gaps in any chain (max(seq) = count, per chain)" "$n" "0"
	fork=$(q "SELECT count(*) - count(DISTINCT prev_hash) FROM audit_log")
	expect "audit log: no fork (every prev_hash distinct)" "$fork" "0"
}

summary() { echo "$SUITE: $passed passed, $failed failed"; }

# For tests of the HTTP layer, which behaves the same on either store: the
# PostgreSQL database of setup_database when FQ_TEST_PG_URL is set, otherwise
# a SQLite file in $TMP (no cluster to start).
setup_any_store() {
	if [ -n "${FQ_TEST_PG_URL:-}" ]; then
		setup_database
	else
		STORE="sqlite:$TMP/fq.db"
		echo "store: $STORE"
	fi
}

# A station under the root, an officer there and a token for incidents in
# $INC_TOKEN (an incident belongs to a station; the root is none). Uses the
# suite's q (a test on a SQLite file defines its own).
setup_incidents() {
	q "INSERT INTO org_units (parent_id, kind, name, code, path, area_type, created_at, updated_at)
		SELECT id, 'station', 'station STX', 'STX', '', 'urban', 0, 0 FROM org_units WHERE parent_id IS NULL;
	   UPDATE org_units SET path = (SELECT path FROM org_units WHERE parent_id IS NULL) || id || '/'
		WHERE code = 'STX';" || return 1
	printf '%s\n' "$PASSWORD" | fq user add off.inc --role officer --org STX >/dev/null || return 1
	INC_TOKEN=$(fq token create off.inc --scopes incident.read,incident.write) || return 1
	case "$INC_TOKEN" in fqt_*) ;; *) echo "token create printed '$INC_TOKEN'"; return 1 ;; esac
}
