#!/bin/bash
# Full-text search benchmark on both stores (docs/PERFORMANCE.md, "Full-text
# search"): fills a store with 1,000,000 incidents with generated Chinese
# narratives, then times search pages and indexed writes. The stores are
# kept and reused while their row count matches.
#
#   bench/search.sh [BENCH_SEARCH_BINARY]      (make bench-search builds and runs it)
#
# Settings (environment): BENCH_STORE=sqlite|postgresql|both (both),
# BENCH_SEARCH_ROWS (1000000), BENCH_SEARCH_RUNS (300 per query class),
# BENCH_SEARCH_WRITES (1000 per round), BENCH_SEARCH_DIR
# (/tmp/fengqiao-bench-search: the SQLite file, logs), BENCH_SEARCH_PG_DIR
# (/tmp/fengqiao-bench-search-pg: a PostgreSQL cluster of its own, with the
# settings of tools/pg-throwaway.sh, running only while this script does).
set -euo pipefail

bin=${1:-build/bench/bench-search}
dir=${BENCH_SEARCH_DIR:-/tmp/fengqiao-bench-search}
pgdir=${BENCH_SEARCH_PG_DIR:-/tmp/fengqiao-bench-search-pg}
rows=${BENCH_SEARCH_ROWS:-1000000}
runs=${BENCH_SEARCH_RUNS:-300}
writes=${BENCH_SEARCH_WRITES:-1000}
case "${BENCH_STORE:-both}" in
sqlite) stores=sqlite ;;
postgresql | pg) stores=postgresql ;;
both) stores="sqlite postgresql" ;;
*) echo "BENCH_STORE must be sqlite, postgresql or both" >&2; exit 2 ;;
esac

mkdir -p "$dir"
cp "$bin" "$dir/bench-search.new"
mv -f "$dir/bench-search.new" "$dir/bench-search"
bs=$dir/bench-search
# shellcheck source=bench/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pg_started=
declare -A url
url[sqlite]="sqlite:$dir/search.db"
url[postgresql]="postgresql:///search?host=$pgdir&user=fengqiao"
write_url_sqlite="sqlite:$dir/write.db"
write_url_pg="postgresql:///search_write?host=$pgdir&user=fengqiao"

cleanup() {
	[ -z "$pg_started" ] || psql_fq -d postgres -c 'DROP DATABASE IF EXISTS search_write' 2>/dev/null || true
	pg_stop
	rm -f "$dir"/write.db* "$dir"/write-noindex.db*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the stores (made once) ----
if [[ " $stores " == *" sqlite "* ]] && [ "$(cat "$dir/ready" 2>/dev/null)" != "$rows" ]; then
	rm -f "$dir/search.db" "$dir/search.db-wal" "$dir/search.db-shm" "$dir/ready"
	echo "== SQLite: fill $rows incidents"
	"$bs" fill --store "${url[sqlite]}" --rows "$rows" | tee "$dir/fill-sqlite.log"
	echo "$rows" >"$dir/ready"
fi
if [[ " $stores " == *" postgresql "* ]]; then
	[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
	mkdir -p "$pgdir"
	chmod 755 "$pgdir"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir"
	if [ -f "$pgdir/data/postmaster.pid" ] &&
		as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" status >/dev/null 2>&1; then
		pg_started=1
		pg_stop
	fi
	if [ "$(cat "$pgdir/ready" 2>/dev/null)" = "$rows" ] && [ -f "$pgdir/data/PG_VERSION" ]; then
		pg_start
	else
		rm -f "$pgdir"/*.log
		pg_new_cluster search
		# The incidents first, then the index of all of them as an import
		# makes it (fq_search_rebuild): GIN maintained row by row costs
		# about 2 ms per incident (see the writes below).
		echo "== PostgreSQL: fill $rows incidents, then index them"
		"$bs" fill --store "${url[postgresql]}" --rows "$rows" --no-index | tee "$dir/fill-postgresql.log"
		"$bs" rebuild --store "${url[postgresql]}" | tee -a "$dir/fill-postgresql.log"
		psql_fq -d search -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'
		echo "$rows" >"$pgdir/ready"
	fi
fi

# ---- sizes ----
if [[ " $stores " == *" sqlite "* ]]; then
	echo "== SQLite sizes (MB)"
	sqlite3 "$dir/search.db" "SELECT CASE WHEN name LIKE 'search_index%' THEN 'search_index (FTS5, all shadow tables)' WHEN name LIKE 'search_docs%' OR name LIKE 'sqlite_autoindex_search_docs%' THEN 'search_docs (the rows: type, id, scope, texts)' WHEN name = 'incidents' OR name LIKE 'incidents_%' OR name LIKE 'sqlite_autoindex_incidents%' THEN 'incidents (with its indexes)' ELSE 'other' END AS part, round(sum(pgsize) / 1e6) FROM dbstat GROUP BY part ORDER BY part" ||
		ls -l "$dir/search.db"
	sqlite3 "$dir/search.db" "SELECT name, round(sum(pgsize) / 1e6) FROM dbstat WHERE name LIKE 'search_%' GROUP BY name"
fi
if [[ " $stores " == *" postgresql "* ]]; then
	echo "== PostgreSQL sizes (MB)"
	psql_fq -d search -At -F ' ' -c "SELECT 'incidents (with its indexes)', round(pg_total_relation_size('incidents') / 1e6)" \
		-c "SELECT 'search_docs (table)', round(pg_relation_size('search_docs') / 1e6)" \
		-c "SELECT 'search_docs (TOAST)', round((pg_table_size('search_docs') - pg_relation_size('search_docs')) / 1e6)" \
		-c "SELECT 'search_docs_tokens (GIN)', round(pg_relation_size('search_docs_tokens') / 1e6)" \
		-c "SELECT 'search_docs_pkey', round(pg_relation_size('search_docs_pkey') / 1e6)"
fi

# ---- queries: the stores alternate, two rounds ----
for round in 1 2; do
	for s in $stores; do
		for scope in station grid; do
			echo "== $s, round $round"
			"$bs" query --store "${url[$s]}" --runs "$runs" --scope "$scope"
		done
	done
done

# ---- writes, one incident per commit, on copies: indexed and not, alternating ----
for s in $stores; do
	if [ "$s" = sqlite ]; then
		# Two copies: one written with the index, one without.
		cp "$dir/search.db" "$dir/write.db"
		cp "$dir/search.db" "$dir/write-noindex.db"
		wurl=$write_url_sqlite
		nurl="sqlite:$dir/write-noindex.db"
	else
		psql_fq -d postgres -c 'DROP DATABASE IF EXISTS search_write' -c 'CREATE DATABASE search_write TEMPLATE search'
		wurl=$write_url_pg
		nurl=$write_url_pg
	fi
	echo "== $s: writes, one incident per commit"
	for round in 1 2; do
		"$bs" write --store "$wurl" --rows "$writes"
		"$bs" write --store "$nurl" --rows "$writes" --no-index
	done
done
