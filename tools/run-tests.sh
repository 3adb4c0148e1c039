#!/usr/bin/env bash
# Every test, on both stores: unit tests; the API suite through the real
# router; the command line; the browser app's unit tests; the browser end to
# end; then the API, end-to-end, export/import and multi-server tests again on
# a throwaway PostgreSQL cluster. Built with AddressSanitizer and
# UndefinedBehaviorSanitizer. Called by `make test`; ends with one line
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD=build/san
SAN="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
RESULTS=build/test-results
BIN=$BUILD/fengqiao
failed=0
PGDIR=

cleanup() {
	[ -n "$PGDIR" ] && tools/pg-throwaway.sh stop "$PGDIR"
}
trap cleanup EXIT

# step NAME COMMAND…: runs a test step, keeps its output in $RESULTS/NAME.out
# and shows its closing line (or all of it when it fails).
step() {
	local name=$1
	shift
	if "$@" >"$RESULTS/$name.out" 2>&1; then
		grep -E '([0-9]+ passed, [0-9]+ failed|^# (pass|fail) )' "$RESULTS/$name.out" | tr '\n' ' '
		echo "[$name]"
	else
		cat "$RESULTS/$name.out"
		echo "FAILED: $name"
		failed=1
	fi
}

tools/install-deps.sh --test || exit 1
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
make -s BUILD=$BUILD CFLAGS="$SAN" EXTRA_CFLAGS=-Werror -j2 \
	$BIN unit-bins api-bins web >"$RESULTS/build.log" 2>&1 || {
	cat "$RESULTS/build.log"
	exit 1
}

# --- SQLite ------------------------------------------------------------------
for t in $BUILD/tests/unit/*/test_*; do step "unit-$(basename "$t")" "$t"; done
for t in $BUILD/tests/api/test_*; do step "api-$(basename "$t")" "$t"; done
step cli tests/cli/test_cli.sh $BIN
step group-commit tests/system/test_group_commit.sh $BIN
# The HTTP layer's system tests use SQLite here, PostgreSQL below (setup_any_store).
for t in address_in_use http_framing connection_limits board_scope spread outbox_kill export_xlsx uploads static_encoding pdf_fonts; do
	step "$(echo $t | tr _ -)" tests/system/test_$t.sh $BIN
done
step web-unit bash -c "cd web && npm test"
step web-lint bash -c "cd web && npm run lint && npm run format:check"
(cd tests/e2e && npm ci --no-audit --no-fund >/dev/null 2>&1) || { echo "npm ci failed in tests/e2e"; exit 1; }
step e2e bash -c "cd tests/e2e && FQ_BIN=$PWD/$BIN node --test"

# --- PostgreSQL --------------------------------------------------------------
URL=$(tools/pg-throwaway.sh start) || { echo "cannot start PostgreSQL"; exit 1; }
PGDIR=$(echo "$URL" | sed 's/.*host=\([^&]*\).*/\1/')
export FQ_TEST_PG_URL=$URL
echo "PostgreSQL: $URL"
for t in $BUILD/tests/api/test_*; do step "pg-api-$(basename "$t")" "$t"; done
step pg-e2e bash -c "cd tests/e2e && FQ_BIN=$PWD/$BIN node --test"
for t in tests/cli/test_export.sh tests/system/test_*.sh; do
	[ -f "$t" ] || continue
	case $t in
	# It crashes PostgreSQL on purpose: it runs on a cluster of its own.
	*test_db_restart.sh) step "pg-$(basename "$t" .sh)" env -u FQ_TEST_PG_URL "$t" $BIN ;;
	*test_group_commit.sh) ;; # SQLite only: run above
	*) step "pg-$(basename "$t" .sh)" "$t" $BIN ;;
	esac
done
unset FQ_TEST_PG_URL

tools/summarize-tests.sh "$RESULTS"
summary=$?
[ $failed -eq 0 ] && [ $summary -eq 0 ]
