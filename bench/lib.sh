# Shell functions shared by the benchmark scripts (sourced, not run).

# as_pg COMMAND…: runs a PostgreSQL server command as the postgres user when
# the script runs as root (initdb and the server refuse root).
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_bin_dir: the newest PostgreSQL server binaries of the distribution.
pg_bin_dir() {
	# shellcheck disable=SC2012
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# The PostgreSQL cluster of a benchmark: its data in $pgdir/data, its socket
# in $pgdir (no TCP), the settings of tools/pg-throwaway.sh; $pg_bin holds the
# server binaries, $pg_started says whether this script started it.
psql_fq() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pgdir" -U fengqiao "$@"; }
pg_start() {
	[ -z "${pg_started:-}" ] || return 0
	pg_started=1
	as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 120 \
		-o "-c listen_addresses='' -c unix_socket_directories='$pgdir' -c max_connections=200 -c shared_buffers=256MB" \
		start >/dev/null || { tail -n 30 "$pgdir/server.log" >&2; exit 1; }
}
# pg_new_cluster [DB]: a new cluster in $pgdir/data (an old one deleted with
# its ready mark), started, with the empty database DB (fengqiao).
pg_new_cluster() {
	pg_stop
	mkdir -p "$pgdir"
	chmod 755 "$pgdir"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir"
	rm -rf "$pgdir/data" "$pgdir/ready"
	mkdir -m 700 "$pgdir/data"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$pgdir/data"
	as_pg "$pg_bin/initdb" -D "$pgdir/data" -U fengqiao -A trust -E UTF8 \
		--locale=C.UTF-8 >"$pgdir/initdb.log" 2>&1 || { cat "$pgdir/initdb.log" >&2; exit 1; }
	pg_start
	as_pg "$pg_bin/createdb" -h "$pgdir" -U fengqiao "${1:-fengqiao}"
}

# pg_fill_incidents ROWS OPEN UTC_OFFSET_MINUTES: fills the database fengqiao
# (initialised, with the demo station 500112001) as bench/incidents.c does —
# ROWS - OPEN closed calls of past years, one every two minutes back from
# 2025-01-01, then OPEN open calls received evenly over the seven days up to
# now (received, dispatched, on scene, handling in turn; 1 in 20 an
# emergency), spread over the station's grids, with texts of the same
# phrases — but with two INSERT … SELECT generate_series statements instead
# of a round trip per row: about a minute for a million rows where one
# connection took half an hour. The full-text index of these rows is not
# written (the work queue and the overview do not read it). Ends with VACUUM
# (ANALYZE) and a checkpoint.
pg_fill_incidents() {
	psql_fq -d fengqiao -v rows="$1" -v open="$2" -v off="$3" -v now="$(date +%s)000" <<'SQL'
CREATE TEMP TABLE bench_grids AS
 SELECT row_number() OVER (ORDER BY g.id) - 1 AS k, g.id, g.path, s.id AS station
 FROM org_units s JOIN org_units g ON g.kind = 'grid' AND substr(g.path, 1, length(s.path)) = s.path
 WHERE s.code = '500112001';
CREATE TEMP TABLE bench_rows AS
 SELECT n, CASE WHEN n < :rows - :open THEN 1735689600000 - (n + 1) * 120000
	ELSE :now - 604800000 + (n - (:rows - :open)) * 604800000 / :open END AS t,
	(n * 2654435761) % (SELECT count(*) FROM bench_grids) AS k
 FROM generate_series(0::bigint, :rows - 1) n;
INSERT INTO incidents (number, station_id, org_id, org_path, received_at, day, hour, channel,
	area_type, category, narrative, address_text, emergency, status, disposal, closed_at,
	target_minutes, dispatched_at, arrived_at, handling_at, created_at, updated_at)
SELECT 'H-' || lpad(r.n::text, 9, '0'), g.station, g.id, g.path, r.t,
	to_char(to_timestamp((r.t + :off * 60000) / 1000.0) AT TIME ZONE 'UTC', 'YYYYMMDD')::bigint,
	extract(hour FROM to_timestamp((r.t + :off * 60000) / 1000.0) AT TIME ZONE 'UTC')::bigint,
	'phone', 'urban', 'dispute',
	(ARRAY['报警人称', '群众来电反映', '12345转来：', '巡逻发现', '平安志愿者反映', '来所报称'])[1 + r.n % 6]
	|| (ARRAY['楼上住户深夜装修，噪音扰民', '朋友借款不还，手持借条要求处理', '双方因彩礼退还发生纠纷',
		'停放在楼下的电动车被盗', '老人外出走失，家属焦急', '两车剐蹭，双方对责任有争议',
		'物业停水停电，与物业人员争执', '工地拖欠工人工资', '邻居占用公共通道堆放杂物',
		'夫妻吵架摔砸物品', '网购被骗，对方已将其拉黑', '夜市有人聚众赌博',
		'宠物狗咬伤路人', '出租屋内疑似有人吸毒', '小区门口有人乱停车堵路'])[1 + (r.n / 6) % 15]
	|| (ARRAY['，请求民警到场处理。', '，情绪激动。', '，现场有多人围观。', '，要求调解。',
		'，已多次沟通无果。', '，无人员受伤。'])[1 + (r.n / 90) % 6],
	'重庆市渝北区' || (ARRAY['双龙大道', '金港路', '双凤路', '临港大道', '龙湾街'])[1 + r.n % 5]
	|| (1 + (r.n * 7) % 400) || '号',
	CASE WHEN r.n >= :rows - :open AND r.n % 20 = 0 THEN 1 ELSE 0 END,
	CASE WHEN r.n < :rows - :open THEN 'reviewed'
	ELSE (ARRAY['received', 'dispatched', 'on_scene', 'handling'])[1 + r.n % 4] END,
	CASE WHEN r.n < :rows - :open THEN 'on_site_mediation' END,
	CASE WHEN r.n < :rows - :open THEN r.t END,
	CASE WHEN r.n >= :rows - :open THEN 15 END,
	CASE WHEN r.n >= :rows - :open AND r.n % 4 >= 1 THEN r.t + 120000 END,
	CASE WHEN r.n >= :rows - :open AND r.n % 4 >= 2 THEN r.t + 600000 END,
	CASE WHEN r.n >= :rows - :open AND r.n % 4 >= 3 THEN r.t + 600000 END,
	r.t, r.t
FROM bench_rows r JOIN bench_grids g ON g.k = r.k ORDER BY r.n;
SQL
	psql_fq -d fengqiao -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'
}

pg_stop() {
	[ -n "${pg_started:-}" ] || return 0
	as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	pg_started=
}

# bench_stores: the stores BENCH_STORE names (sqlite, postgresql or both, the
# default), one word each; exits with a message on anything else.
bench_stores() {
	case "${BENCH_STORE:-both}" in
	sqlite) echo sqlite ;;
	postgresql | pg) echo postgresql ;;
	both) echo sqlite postgresql ;;
	*) echo "BENCH_STORE must be sqlite, postgresql or both" >&2; exit 2 ;;
	esac
}

# nginx_conf DIR PORT: writes DIR/nginx.conf for one worker serving DIR/www on
# 127.0.0.1:PORT with the headers fengqiao sends, so that responses of the
# same body have about the same size. Run it with
# `nginx -c DIR/nginx.conf -p DIR`.
nginx_conf() {
	local ngdir=$1 port=$2
	chmod 755 "$ngdir" # its worker runs as nobody when started by root
	mkdir -p "$ngdir/www" "$ngdir/tmp"
	chmod 755 "$ngdir/www"
	cat >"$ngdir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $ngdir/nginx.pid;
error_log $ngdir/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $ngdir/tmp/body;
	proxy_temp_path $ngdir/tmp/proxy;
	fastcgi_temp_path $ngdir/tmp/fastcgi;
	uwsgi_temp_path $ngdir/tmp/uwsgi;
	scgi_temp_path $ngdir/tmp/scgi;
	keepalive_requests 100000000;
	keepalive_timeout 120s;
	open_file_cache max=16 inactive=3600s;
	open_file_cache_valid 3600s;
	server {
		listen 127.0.0.1:$port;
		root $ngdir/www;
		location / {
			default_type "application/json; charset=utf-8";
			# The headers fengqiao sends, so responses have about the same size.
			add_header Cache-Control no-store;
			add_header X-Content-Type-Options nosniff;
			add_header X-Frame-Options DENY;
			add_header Referrer-Policy no-referrer;
			add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
		}
	}
}
EOF
}

# free_port: a TCP port on 127.0.0.1 nobody listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_up URL LOG: waits up to 20 s for URL to answer; else shows LOG and fails.
wait_up() {
	for _ in $(seq 1 200); do
		curl -sf -m 2 "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "bench: $1 did not answer" >&2
	tail -n 20 "$2" >&2
	return 1
}

# Instructions per request, counted by callgrind (docs/PERFORMANCE.md, "The
# board poll"): cg_serve DIR FENGQIAO ARGS… starts `FENGQIAO serve ARGS…`
# (the -O2 binary: make build/fengqiao) under callgrind with instrumentation
# off, on a free port ($port; its process $cg_pid, its dumps in DIR);
# cg_count DIR TOKEN N PATH [NAME [METHOD]] counts N GETs (or METHOD) of PATH over one keep-alive
# connection after BENCH_CG_WARM (10) to warm up, between `callgrind_control -i on` (and -z)
# and `-i off`, and prints the instructions of the whole process divided by
# N (the dump kept as DIR/NAME.callgrind for callgrind_annotate): everything
# the server does for a request, the store's library
# included (SQLite's work is in the process; PostgreSQL's in its own
# processes, not counted); cg_stop ends the server.
cg_serve() {
	local cgdir=$1 bin=$2
	shift 2
	command -v callgrind_control >/dev/null || { echo "bench: valgrind is missing" >&2; exit 1; }
	port=$(free_port)
	valgrind --tool=callgrind --instr-atstart=no "--callgrind-out-file=$cgdir/callgrind.out.%p" \
		"$bin" serve --listen "127.0.0.1:$port" --threads 2 --access_log false --log_level warn \
		"$@" >"$cgdir/callgrind-serve.log" 2>&1 &
	cg_pid=$!
	wait_up "http://127.0.0.1:$port/healthz" "$cgdir/callgrind-serve.log"
}
cg_count() {
	local cgdir=$1 token=$2 n=$3 path=$4 name=${5:-} method=${6:-GET} f
	python3 "$(dirname "${BASH_SOURCE[0]}")/requests.py" "$port" "$token" "${BENCH_CG_WARM:-10}" "$method" "$path"
	callgrind_control -i on "$cg_pid" >/dev/null 2>&1
	callgrind_control -z "$cg_pid" >/dev/null 2>&1
	python3 "$(dirname "${BASH_SOURCE[0]}")/requests.py" "$port" "$token" "$n" "$method" "$path"
	callgrind_control -i off "$cg_pid" >/dev/null 2>&1
	callgrind_control -d "$cg_pid" >/dev/null 2>&1
	# shellcheck disable=SC2012
	f=$(ls -t "$cgdir"/callgrind.out."$cg_pid"* | head -n 1)
	[ -z "$name" ] || cp "$f" "$cgdir/$name.callgrind"
	awk -v n="$n" '/^totals:/ { printf "%d\n", $2 / n; exit }' "$f"
}
cg_stop() {
	[ -n "${cg_pid:-}" ] || return 0
	kill "$cg_pid" 2>/dev/null || true
	wait "$cg_pid" 2>/dev/null || true
	cg_pid=
}

# sqlite_fill_sql FILE SQL NAME=VALUE…: runs the statements of the fill SQL
# (each ending with ";" at the end of a line) on the SQLite database FILE in
# one transaction, with the integer parameters NAME (:NAME in the SQL), then
# ANALYZE and a checkpoint.
sqlite_fill_sql() {
	python3 - "$@" <<'PY'
import sqlite3, sys
db, sql = sys.argv[1:3]
params = {k: int(v) for k, v in (a.split("=", 1) for a in sys.argv[3:])}
c = sqlite3.connect(db)
c.execute("PRAGMA foreign_keys = ON")
for stmt in open(sql, encoding="utf-8").read().split(";\n"):
    if stmt.strip() and not all(l.startswith("--") or not l.strip() for l in stmt.splitlines()):
        try:
            c.execute(stmt, {k: v for k, v in params.items() if ":" + k in stmt})
        except sqlite3.Error as e:
            sys.exit(f"bench: {e} in:\n{stmt.strip()[:300]}")
c.commit()
c.execute("ANALYZE")
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
}

# Disputes in bulk (bench/disputes_fill.sql, the same SQL on both stores):
# sqlite_fill_disputes FILE ROWS OPEN fills the SQLite database FILE,
# pg_fill_disputes ROWS OPEN the PostgreSQL database fengqiao (both
# initialised, with the demo station): ROWS disputes of the last three years,
# the newest OPEN of them open, with parties, mediators, sessions, agreements,
# follow-ups and the watch's scores. Each ends with ANALYZE (VACUUM (ANALYZE)
# and a checkpoint on PostgreSQL).
sqlite_fill_disputes() {
	sqlite_fill_sql "$1" "$(dirname "${BASH_SOURCE[0]}")/disputes_fill.sql" rows="$2" open="$3" \
		now="$(date +%s)000"
}
pg_fill_disputes() {
	psql_fq -d fengqiao -v rows="$1" -v open="$2" -v now="$(date +%s)000" \
		-c 'BEGIN' -f "$(dirname "${BASH_SOURCE[0]}")/disputes_fill.sql" \
		-c "SELECT setval(pg_get_serial_sequence('disputes', 'id'), (SELECT max(id) FROM disputes))" \
		-c "SELECT setval(pg_get_serial_sequence('dispute_agreements', 'id'), (SELECT max(id) FROM dispute_agreements))" \
		-c 'COMMIT' >/dev/null
	psql_fq -d fengqiao -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'
}

# disputes_paths YEAR MEDIATOR_ID: the requests of bench/disputes.sh and
# bench/disputes_cost.sh, one "WHO PATH" a line (WHO: chief or mediator).
disputes_paths() {
	cat <<PATHS
chief /api/disputes/watch
chief /api/disputes/figures?from=$1-01-01&to=$1-12-31&by=type
chief /api/disputes/figures?from=$1-01-01&to=$1-12-31&by=tier
chief /api/disputes/figures?from=$1-01-01&to=$1-12-31&by=mediator
chief /api/disputes/figures?from=$1-01-01&to=$1-12-31&by=grid
chief /api/disputes?per_page=20
chief /api/overview?period=week
mediator /api/work
mediator /api/overview/mine?period=week
mediator /api/disputes?status=open&mediator=$2&per_page=20
PATHS
}

# pg_copy_db FROM TO: TO (dropped first when there) a copy of database FROM.
pg_copy_db() {
	psql_fq -d postgres -c "SET client_min_messages TO warning" -c "DROP DATABASE IF EXISTS $2" \
		-c "CREATE DATABASE $2 TEMPLATE $1 STRATEGY FILE_COPY" >/dev/null
}

# one_client PORT PATH TOKEN: the median time of BENCH_DISPUTES_ONE (5) GETs of
# PATH on 127.0.0.1:PORT with a bearer token, one after the other (curl), in
# ms: the wait of one user when the server is not queueing others.
one_client() {
	for _ in $(seq 1 "${BENCH_DISPUTES_ONE:-5}"); do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $3" "http://127.0.0.1:$1$2"
	done | sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", t[int((NR + 1) / 2)] * 1000 }'
}

# wrk_cells FILE: wrk's figures in FILE (its --latency output) as the cells
# "req/s | p50 | p99 | non-2xx | load average |" of a Markdown table row.
wrk_cells() {
	python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
load = open("/proc/loadavg").read().split()[0]
print(f"{float(rps.group(1)) if rps else 0:,.0f} | {lat.get('50', '-')} | {lat.get('99', '-')} | {bad.group(1) if bad else 0} | {load} |")
PY
}

# A district in bulk (bench/grids_fill.sql, the same SQL on both stores):
# sqlite_fill_grids FILE ADDRESSES PLACES INCIDENTS UTC_OFFSET_MINUTES fills
# the SQLite database FILE, pg_fill_grids ADDRESSES PLACES INCIDENTS
# UTC_OFFSET_MINUTES the PostgreSQL database fengqiao (both initialised, with
# the demo's branch and demo.chief): the station BENCH-GRIDS with 200 grids
# drawn, its addresses, places and a year of incidents.
sqlite_fill_grids() {
	sqlite_fill_sql "$1" "$(dirname "${BASH_SOURCE[0]}")/grids_fill.sql" addresses="$2" \
		places="$3" incidents="$4" off="$5" now="$(date +%s)000"
}
pg_fill_grids() {
	local t
	psql_fq -d fengqiao -v addresses="$1" -v places="$2" -v incidents="$3" -v off="$4" \
		-v now="$(date +%s)000" -c 'BEGIN' \
		-f "$(dirname "${BASH_SOURCE[0]}")/grids_fill.sql" -c 'COMMIT' >/dev/null
	for t in org_units addresses places incidents; do
		psql_fq -d fengqiao -c \
			"SELECT setval(pg_get_serial_sequence('$t', 'id'), (SELECT max(id) FROM $t))" >/dev/null
	done
	psql_fq -d fengqiao -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'
}

# grids_paths TODAY MONTH_AGO GRID_ID: the requests of bench/grids.sh, one
# "METHOD PATH" a line (dates YYYY-MM-DD): the areas, the addresses layer in
# a street-level box (about 400 m square) and over the whole district, the
# incidents of a day and of 30 days, the places, the heat of 30 days, the
# coverage check, a grid's page and the station's, an address created.
grids_paths() {
	cat <<PATHS
GET /api/grids
GET /api/grids/points?layer=addresses&south=29.8525&west=106.7525&north=29.8565&east=106.7565
GET /api/grids/points?layer=addresses&south=29.79&west=106.69&north=29.91&east=106.91
GET /api/grids/points?layer=incidents&from=$1&to=$1
GET /api/grids/points?layer=incidents&from=$2&to=$1
GET /api/grids/points?layer=places
GET /api/grids/heat?from=$2&to=$1
GET /api/grids/coverage
GET /api/grids/$3
GET /api/grids/3000000
POST /api/addresses
PATHS
}
